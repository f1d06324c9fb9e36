"""The gazetteer's name index: exact, normalised and fuzzy lookups, one name or a batch.

A :class:`NameIndex` maps the match keys of every spelling to the entries (row positions
of the gazetteer table) that carry it:

1. **exact**: :func:`desertgeo.names.fold_name` (case, diacritics, apostrophes and
   punctuation folded; articles kept). Score 100.
2. **normalised**: :func:`desertgeo.names.normalize_name` (articles dropped,
   transliteration variants and vowels folded). Score 95.
3. **fuzzy**: :func:`desertgeo.names.fuzzy_key` scored with the larger of
   ``rapidfuzz.fuzz.ratio`` and the optimal-string-alignment similarity, against the keys
   that share the query's first letter (then those that allow an edit of the first
   letter); the ratio, capped at 94, is the score.

The keys of a spelling are computed once per process and kept between processes in a
cache file (:func:`load_key_cache` / :func:`save_key_cache`).

Examples
--------
>>> idx = NameIndex()
>>> idx.add([("Tadmur", "Palmyra", "تدمر")])
>>> [(e, layer) for e, _, layer, _ in idx.raw_matches("Palmyra", 85.0, 5)]
[(0, 'exact')]
>>> [(e, layer) for e, _, layer, _ in idx.raw_matches("Plamyra", 80.0, 5)]
[(0, 'fuzzy')]
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from desertgeo.names import fold_name, fuzzy_key, normalize_name, script_of

__all__ = [
    "CLOSE_SIMILARITY",
    "FUZZY_CAP",
    "KEY_RULES_VERSION",
    "LAYER_SCORE",
    "MIN_FUZZY_KEY",
    "NameIndex",
    "keys_of",
    "similarity",
]

#: Score of a match in each layer (fuzzy matches carry their ratio, capped below this).
LAYER_SCORE = {"exact": 100.0, "normalised": 95.0}
FUZZY_CAP = 94.0
#: a normalised match whose spelling similarity (``fuzz.ratio`` of the fuzzy keys) is at
#: least this is "close"; below it the fuzzy layer is consulted too and the match is weak
CLOSE_SIMILARITY = 90.0
MIN_FUZZY_KEY = 4
#: bump when the rules of :func:`keys_of` change (the key cache file name depends on it)
KEY_RULES_VERSION = "1"
#: rows of a ``process.cdist`` batch
_BATCH = 4096
#: fuzzy keys of one length (and first letter) and their positions in the index's key order
_Pool = tuple[list[str], list[int]]
_NONE: _Pool = ([], [])

#: name -> (indexable, fold_name, normalize_name, fuzzy_key); filled lazily, persisted
#: between processes by :func:`load_key_cache` / :func:`save_key_cache`
_KEYS: dict[str, tuple[bool, str, str, str]] = {}
_KEYS_LOADED = [0]


def similarity(query: str, matched: str) -> float:
    """``fuzz.ratio`` of the fuzzy keys (vowels kept) of a query and the name it matched.

    Examples
    --------
    >>> similarity("Tadmor", "Tadmur") < 100 <= similarity("Tadmur", "tadmur")
    True
    """
    return float(fuzz.ratio(fuzzy_key(query), fuzzy_key(matched)))


def _is_code(name: str) -> bool:
    """IATA / ICAO-like codes (``PMS``, ``DEZ``) that GeoNames lists as alternate names."""
    return name.isascii() and name.isupper() and len(name) <= 4 and name.isalpha()


def keys_of(name: str) -> tuple[bool, str, str, str]:
    """(indexable, exact key, normalised key, fuzzy key) of one spelling, memoised.

    Codes (``PMS``) and names in scripts other than Latin and Arabic are not indexable.

    Examples
    --------
    >>> keys_of("Deir ez-Zor")[0], keys_of("PMS")[0]
    (True, False)
    """
    hit = _KEYS.get(name)
    if hit is None:
        ok = bool(name) and not _is_code(name) and script_of(name) != "other"
        hit = (ok, fold_name(name), normalize_name(name), fuzzy_key(name))
        _KEYS[name] = hit
    return hit


def key_cache_file() -> Path | None:
    """Where the match keys of the shipped names are kept between processes.

    ``$DESERTGEO_CACHE_DIR`` (``off`` turns the cache off), else ``$XDG_CACHE_HOME`` or
    ``~/.cache``, then ``desertgeo/``. The file name carries a hash of the normalisation
    code, so a changed :mod:`desertgeo.names` never reads stale keys.
    """
    from desertgeo import names as names_module

    where = os.environ.get("DESERTGEO_CACHE_DIR", "")
    if where.lower() == "off":
        return None
    base = Path(where) if where else Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    ) / "desertgeo"  # fmt: skip
    code = Path(names_module.__file__).read_bytes() + KEY_RULES_VERSION.encode()
    return base / f"name_keys-{hashlib.sha256(code).hexdigest()[:16]}.json"


def load_key_cache() -> None:
    """Read the keys of a previous process (a damaged file is ignored and rebuilt)."""
    file = key_cache_file()
    if file is None or not file.is_file():
        return
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        for name, (ok, a, b, c) in data.items():
            _KEYS.setdefault(str(name), (bool(ok), str(a), str(b), str(c)))
    except (OSError, ValueError, TypeError):
        return
    _KEYS_LOADED[0] = len(_KEYS)


def save_key_cache() -> None:
    """Write the keys computed in this process when there are new ones."""
    from desertgeo._atomic import atomic_write_text

    file = key_cache_file()
    if file is None or len(_KEYS) <= _KEYS_LOADED[0]:
        return
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(file, json.dumps(_KEYS, ensure_ascii=False))
    except OSError:
        return  # a read-only home: build the keys each time


def clear_key_cache() -> None:
    """Forget the keys held in memory (the cache file stays)."""
    _KEYS.clear()
    _KEYS_LOADED[0] = 0


def extract(
    query: str, choices: list[str], threshold: float, limit: int
) -> list[tuple[str, float]]:
    """Best ``choices`` by ``max(fuzz.ratio, OSA similarity)`` (0-100), at or above threshold.

    Examples
    --------
    >>> extract("plmyr", ["plmr", "tdmr"], 80.0, 3)
    [('plmr', 88.88888888888889)]
    """
    if not choices:
        return []
    ratio = process.extract(query, choices, scorer=fuzz.ratio, score_cutoff=threshold, limit=limit)
    osa = process.extract(
        query, choices, scorer=OSA.normalized_similarity, score_cutoff=threshold / 100.0,
        limit=limit,
    )  # fmt: skip
    return _merge(
        [(key, float(score)) for key, score, _ in ratio],
        [(key, 100.0 * float(score)) for key, score, _ in osa],
        limit,
    )


def _merge(
    ratio: Iterable[tuple[str, float]], osa: Iterable[tuple[str, float]], limit: int
) -> list[tuple[str, float]]:
    """The ``limit`` best keys of two scorings (0-100), each key at the larger of its scores.

    Examples
    --------
    >>> _merge([("plmr", 88.9), ("tdmr", 80.0)], [("tdmr", 85.0)], 2)
    [('plmr', 88.9), ('tdmr', 85.0)]
    """
    best = dict(ratio)
    for key, score in osa:
        best[key] = max(best.get(key, 0.0), score)
    return sorted(best.items(), key=lambda kv: -kv[1])[:limit]


def _length_span(n: int, t: float) -> range:
    """Key lengths that can reach a ratio / OSA similarity of ``t`` against length ``n``."""
    lo = min(n * t / (2.0 - t), n * t)
    hi = max(n * (2.0 - t) / t, n / t)
    return range(max(1, math.floor(lo)), math.ceil(hi) + 1)


def _deletions(key: str) -> set[str]:
    """The key and every string made by deleting one of its letters."""
    return {key, *(key[:i] + key[i + 1 :] for i in range(len(key)))}


def _far_match_possible(n: int, t: float) -> bool:
    """Whether a key outside the one-deletion neighbourhood of a query of length ``n``
    can reach a similarity of ``t`` (0-1).

    Outside it, against a key of length ``m``, the Indel distance is at least 4 (equal
    lengths), 3 (lengths one apart) or ``|n - m|``, so ``fuzz.ratio`` is at most
    ``1 - d / (n + m)``; the OSA distance is at least ``max(2, |n - m|)``, so the OSA
    similarity is at most ``1 - max(2, |n - m|) / max(n, m)``. Short queries cannot.
    """
    for m in range(1, math.ceil(n * (2.0 - t) / t) + 3):
        gap = abs(n - m)
        indel = 4 if gap == 0 else 3 if gap == 1 else gap
        if 1.0 - indel / (n + m) >= t or 1.0 - max(2, gap) / max(n, m) >= t:
            return True
    return False


def _owner_add(store: dict[str, list[int]], key: str, idx: int) -> bool:
    owners = store.setdefault(key, [])
    if idx in owners:
        return False
    owners.append(idx)
    return True


class OwnerMap(Mapping[str, list[int]]):
    """A read-only key -> owners map over flat arrays (CSR), as a snapshot stores it.

    Building a dict of ~300,000 small lists costs more than the rest of a warm start;
    this map slices the owners of a key when asked. :meth:`NameIndex.add` turns it into
    a plain dict before changing it.
    """

    def __init__(self, keys: list[str], indptr: list[int], owners: list[int]) -> None:
        self._pos = dict(zip(keys, range(len(keys)), strict=True))
        self._ptr = indptr
        self._owners = owners

    def __getitem__(self, key: str) -> list[int]:
        i = self._pos[key]
        return self._owners[self._ptr[i] : self._ptr[i + 1]]

    def get(self, key: str, default: Any = None) -> Any:
        """The owners of ``key``, or ``default`` (no exception on the way: lookups miss
        far more often than they hit)."""
        i = self._pos.get(key)
        if i is None:
            return default
        return self._owners[self._ptr[i] : self._ptr[i + 1]]

    def __contains__(self, key: object) -> bool:
        return key in self._pos

    def __iter__(self) -> Iterator[str]:
        return iter(self._pos)

    def __len__(self) -> int:
        return len(self._pos)


class NameIndex:
    """The match keys of every spelling, each pointing at the entries that carry it.

    Attributes
    ----------
    exact, norm, fuzzy_owner : dict of str to list of int
        Exact, normalised and fuzzy keys to entry positions.
    fuzzy_matched : dict of (str, int) to str
        The spelling behind a fuzzy key of an entry (for messages).
    """

    def __init__(self) -> None:
        self.exact: Mapping[str, list[int]] = {}
        self.norm: Mapping[str, list[int]] = {}
        self.fuzzy_owner: Mapping[str, list[int]] = {}
        self._matched: dict[tuple[str, int], str] | None = {}
        self._matched_src: Any = None
        self._blocks: dict[str, list[str]] | None = None
        self._every: list[str] | None = None
        self._lengths: dict[tuple[str, int], _Pool] | None = None
        self._longest = 0
        self._nbr: dict[str, list[str]] | None = None
        self._size = 0

    # ------------------------------------------------------------------ building
    @classmethod
    def from_state(cls, state: dict[str, Any], size: int) -> NameIndex:
        """An index from :meth:`state` (maps of key -> owners; ``matched`` as three lists:
        fuzzy keys, entries, spellings)."""
        out = cls()
        out.exact = state["exact"]
        out.norm = state["norm"]
        out.fuzzy_owner = state["fuzzy"]
        out._matched, out._matched_src = None, state["matched"]
        out._size = size
        return out

    @property
    def fuzzy_matched(self) -> dict[tuple[str, int], str]:
        """The spelling behind each (fuzzy key, entry) pair (built on first use)."""
        if self._matched is None:
            keys, entries, names = self._matched_src
            self._matched = {(k, int(i)): n for k, i, n in zip(keys, entries, names, strict=True)}
            self._matched_src = None
        return self._matched

    @fuzzy_matched.setter
    def fuzzy_matched(self, value: dict[tuple[str, int], str]) -> None:
        self._matched, self._matched_src = value, None

    def _thaw(self) -> None:
        """Turn snapshot maps into dicts that :meth:`add` can change."""
        for attr in ("exact", "norm", "fuzzy_owner"):
            store = getattr(self, attr)
            if not isinstance(store, dict):
                setattr(self, attr, {k: list(v) for k, v in store.items()})

    def state(self) -> dict[str, Any]:
        """The index as JSON-ready lists and dicts."""
        return {
            "exact": self.exact,
            "norm": self.norm,
            "fuzzy": self.fuzzy_owner,
            "matched": (
                [k for k, _ in self.fuzzy_matched],
                [i for _, i in self.fuzzy_matched],
                list(self.fuzzy_matched.values()),
            ),
        }

    def copy(self) -> NameIndex:
        """An independent copy (the owner lists are copied, the keys shared)."""
        new = NameIndex()
        new.exact = {k: list(v) for k, v in self.exact.items()}
        new.norm = {k: list(v) for k, v in self.norm.items()}
        new.fuzzy_owner = {k: list(v) for k, v in self.fuzzy_owner.items()}
        new.fuzzy_matched = dict(self.fuzzy_matched)
        new._size = self._size
        return new

    def add(self, names_per_entry: Iterable[Sequence[str]]) -> None:
        """Index the spellings of new entries (positions follow the ones already held)."""
        self._thaw()
        exact, norm, fuzzy = self.exact, self.norm, self.fuzzy_owner
        assert isinstance(exact, dict)
        assert isinstance(norm, dict)
        assert isinstance(fuzzy, dict)
        matched = self.fuzzy_matched
        start = self._size
        for offset, names in enumerate(names_per_entry):
            idx = start + offset
            for name in names:
                _, e, n, f = keys_of(name)
                if e:
                    _owner_add(exact, e, idx)
                if n:
                    _owner_add(norm, n, idx)
                if len(f) >= MIN_FUZZY_KEY and _owner_add(fuzzy, f, idx):
                    matched[(f, idx)] = name
            self._size = idx + 1
        self._blocks = self._lengths = self._nbr = None

    # ------------------------------------------------------------------ one name
    def _fuzzy_pools(self) -> dict[str, list[str]]:
        """Fuzzy keys by first letter, in the index's key order."""
        if self._blocks is None:
            blocks: dict[str, list[str]] = {}
            for key in self.fuzzy_owner:
                blocks.setdefault(key[0], []).append(key)
            self._blocks = blocks
        return self._blocks

    def _by_length(self) -> dict[tuple[str, int], _Pool]:
        """Fuzzy keys by (first letter, length), by (``"2"`` + second letter, length) and
        by (``""``, length) (every key): the keys in the index's key order and their
        positions in it (built once, shared by :meth:`_top` and :meth:`scan_batch`)."""
        if self._lengths is None:
            lengths: dict[tuple[str, int], _Pool] = {}
            longest = 0
            for pos, key in enumerate(self.fuzzy_owner):
                m = len(key)
                longest = max(longest, m)
                for where in ((key[0], m), ("2" + key[1:2], m), ("", m)):
                    keys, at = lengths.setdefault(where, ([], []))
                    keys.append(key)
                    at.append(pos)
            self._lengths, self._longest = lengths, longest
        return self._lengths

    def _top(
        self, query: str, letter: str, limit: int, cutoff: float, *, osa: bool
    ) -> list[tuple[str, float]]:
        """The ``limit`` best keys that start with ``letter`` (``""``: every key) by
        ``fuzz.ratio`` (``osa``: OSA similarity, 0-100) at or above ``cutoff``, ties in key
        order: the answer of ``process.extract`` over all those keys.

        Lossless pruning: the keys are scored one length at a time, the lengths nearest the
        query's first; a length outside :func:`_length_span` of the floor (``cutoff``, or
        the ``limit``-th best score found so far once there are ``limit``) cannot reach it
        and is never scored.
        """
        lengths = self._by_length()
        n = len(query)
        scorer: Any = OSA.normalized_similarity if osa else fuzz.ratio
        found: list[tuple[float, int, str]] = []  # (-score, position, key)
        floor = cutoff
        span = _length_span(n, min(floor, 100.0) / 100.0) if floor > 0 else None
        for m in sorted(range(1, self._longest + 1), key=lambda m: (abs(m - n), m)):
            pool = lengths.get((letter, m))
            if pool is None or (span is not None and m not in span):
                continue
            keys, where = pool
            # the caller's cutoff exactly as extract() passes it, or a little below the
            # running floor (ties at the floor are kept: the sort below settles them)
            cut = floor - 1e-6 if floor > cutoff + 1e-6 else cutoff
            for key, score, j in process.extract(
                query, keys, scorer=scorer, score_cutoff=cut / 100.0 if osa else cut,
                limit=limit,
            ):  # fmt: skip
                found.append((-(100.0 * float(score) if osa else float(score)), where[j], key))
            if len(found) >= limit:
                found.sort()
                del found[limit:]
                if -found[-1][0] > floor:
                    floor = -found[-1][0]
                    span = _length_span(n, min(floor, 100.0) / 100.0)
        found.sort()
        return [(key, -neg) for neg, _, key in found[:limit]]

    def _extract(
        self, query: str, letter: str, threshold: float, limit: int
    ) -> list[tuple[str, float]]:
        """:func:`extract` over the keys that start with ``letter`` (``""``: every key),
        by length (:meth:`_top`): the same answer."""
        return _merge(
            self._top(query, letter, limit, threshold, osa=False),
            self._top(query, letter, limit, threshold, osa=True),
            limit,
        )

    def matched_name(self, entry: int, layer: str, key: str, names: Sequence[str]) -> str:
        """The spelling of ``entry`` (with spellings ``names``) that ``key`` matched."""
        if layer == "fuzzy":
            return self.fuzzy_matched.get((key, entry), names[0] if names else key)
        fn = fold_name if layer == "exact" else normalize_name
        for n in names:
            if fn(n) == key:
                return str(n)
        return str(names[0]) if names else key

    def raw_matches(
        self,
        name: str,
        threshold: float,
        limit: int,
        names_of: Any = None,
    ) -> list[tuple[int, float, str, str]]:
        """(entry, score, layer, key) for every entry that matches, best layer first.

        ``names_of(entry)`` gives an entry's spellings; it decides whether a normalised
        match is close (then the fuzzy layer is skipped) or loose (Sukhana: s*kh*n* is As
        Sakhanah, while As Sukhnah, s*khn*, is one edit away: the fuzzy layer competes).
        """
        out: dict[int, tuple[int, float, str, str]] = {}
        exact = fold_name(name)
        for idx in self.exact.get(exact, ()):
            out[idx] = (idx, LAYER_SCORE["exact"], "exact", exact)
        norm = normalize_name(name)
        for idx in self.norm.get(norm, ()):
            out.setdefault(idx, (idx, LAYER_SCORE["normalised"], "normalised", norm))
        if out and self._close_enough(name, out, norm, names_of):
            return list(out.values())
        fkey = fuzzy_key(name)
        if len(fkey) < MIN_FUZZY_KEY - 1 or threshold > 100:
            return list(out.values())
        hits = self._extract(fkey, fkey[0], threshold, limit)
        if not hits:
            hits = self._extract(fkey, "", threshold, limit)
        for key, score in hits:
            for idx in self.fuzzy_owner[key]:
                if idx not in out:
                    out[idx] = (idx, min(float(score), FUZZY_CAP), "fuzzy", key)
        return list(out.values())

    def _close_enough(
        self, name: str, out: dict[int, tuple[int, float, str, str]], norm: str, names_of: Any
    ) -> bool:
        if any(layer == "exact" for _, _, layer, _ in out.values()):
            return True
        if names_of is None:
            return True
        return (
            max(
                similarity(name, self.matched_name(i, "normalised", norm, names_of(i))) for i in out
            )
            >= CLOSE_SIMILARITY
        )

    def closest(
        self, name: str, n: int = 3, *, cutoff: float | None = None
    ) -> list[tuple[str, float]]:
        """The ``n`` closest spellings by ``fuzz.ratio`` of the fuzzy keys (rounded to one
        decimal), whatever the threshold: the answer of ``process.extract`` over every key.

        ``cutoff``: only spellings whose rounded score is at least this (the same as
        dropping the others from the answer without it, but the lengths that cannot reach
        it are never scored).
        """
        fkey = fuzzy_key(name) if isinstance(name, str) else ""
        if not fkey or n <= 0:
            return []
        # a little below the cutoff: a score that rounds up to it counts
        floor = 0.0 if cutoff is None else max(0.0, float(cutoff) - 0.1)
        out = []
        for key, score in self._top(fkey, "", n, floor, osa=False):
            shown = round(score, 1)
            if cutoff is not None and shown < cutoff:
                continue
            entry = self.fuzzy_owner[key][0]
            out.append((self.fuzzy_matched.get((key, entry), key), shown))
        return out

    # ------------------------------------------------------------------ batches
    def lookup_many(
        self, names: list[Any], importance: np.ndarray, *, threshold: float, fuzzy: bool
    ) -> dict[Any, tuple[int, float, str]]:
        """Best (entry, score, layer) of each distinct name; ties go to the most important."""
        best: dict[Any, tuple[int, float, str]] = {}
        pending: dict[str, list[str]] = {}
        for name in dict.fromkeys(names):
            hit = self._dict_hit(name, importance) if isinstance(name, str) else None
            if hit is not None:
                best[name] = hit
                continue
            fkey = fuzzy_key(name) if isinstance(name, str) else ""
            if fuzzy and len(fkey) >= MIN_FUZZY_KEY - 1:
                pending.setdefault(fkey, []).append(name)
            else:
                best[name] = (-1, 0.0, "")
        found = self.fuzzy_batch(list(pending), threshold, importance) if pending else {}
        for fkey, group in pending.items():
            for name in group:
                best[name] = found.get(fkey, (-1, 0.0, ""))
        return best

    def _dict_hit(self, name: str, importance: np.ndarray) -> tuple[int, float, str] | None:
        owners = self.exact.get(fold_name(name))
        layer = "exact"
        if not owners:
            owners = self.norm.get(normalize_name(name))
            layer = "normalised"
        if not owners:
            return None
        top = owners[0] if len(owners) == 1 else max(owners, key=lambda i: importance[i])
        return (top, LAYER_SCORE[layer], layer)

    def _score_batch(
        self,
        queries: list[str],
        choices: list[str],
        *,
        threshold: float,
        osa: bool,
        importance: np.ndarray,
        out: dict[str, tuple[int, float, str]],
    ) -> None:
        t = min(max(threshold, 1.0), 100.0) / 100.0
        for start in range(0, len(queries), _BATCH):
            chunk = queries[start : start + _BATCH]
            # threads pay off only on large matrices
            workers = -1 if len(chunk) * len(choices) > 500_000 else 1
            scores = process.cdist(
                chunk, choices, scorer=fuzz.ratio, score_cutoff=threshold,
                dtype=np.uint8, workers=workers,
            ).astype(np.float32)  # fmt: skip
            if osa:
                scores = np.maximum(
                    scores,
                    process.cdist(
                        chunk, choices, scorer=OSA.normalized_similarity,
                        score_cutoff=t, workers=workers, dtype=np.float32,
                    ) * 100.0,
                )  # fmt: skip
            best = scores.argmax(axis=1)
            for row, (q, j) in enumerate(zip(chunk, best, strict=False)):
                score = float(scores[row, j])
                if score > 0:
                    owners = self.fuzzy_owner[choices[j]]
                    top = max(owners, key=lambda i: importance[i])
                    out[q] = (top, min(score, FUZZY_CAP), "fuzzy")

    def _neighbours(self) -> dict[str, list[str]]:
        """Each fuzzy key and each of its one-letter deletions -> the keys that give it."""
        if self._nbr is None:
            nbr: dict[str, list[str]] = {}
            for key in self.fuzzy_owner:
                for variant in _deletions(key):
                    nbr.setdefault(variant, []).append(key)
            self._nbr = nbr
        return self._nbr

    def fuzzy_batch(
        self, fkeys: list[str], threshold: float, importance: np.ndarray
    ) -> dict[str, tuple[int, float, str]]:
        """Best fuzzy key for many query keys.

        First the keys within one deletion of the query (they and the query share a
        string after at most one letter is deleted from each: a substitution, an
        insertion, a deletion or a transposition anywhere, the first letter included),
        scored with the larger of ``fuzz.ratio`` and OSA; the best wins, ties to the most
        important entry. Queries with no such key, and long enough that a key two or
        more edits away could still reach ``threshold``, are scored against every key with
        their first letter (``process.cdist``). :meth:`scan_batch` is the older scan of
        length blocks, kept as the reference (``tests/test_gazetteer.py`` compares them).
        """
        t = min(max(threshold, 1.0), 100.0) / 100.0
        nbr = self._neighbours()
        out: dict[str, tuple[int, float, str]] = {}
        rest = []
        for q in fkeys:
            hit = self._best_neighbour(q, nbr, threshold, importance)
            if hit is not None:
                out[q] = hit
            elif _far_match_possible(len(q), t):
                rest.append(q)
        if rest:
            self._far_batch(rest, threshold, importance, out)
        return out

    def _far_batch(
        self,
        fkeys: list[str],
        threshold: float,
        importance: np.ndarray,
        out: dict[str, tuple[int, float, str]],
    ) -> None:
        """Queries without a one-deletion neighbour: every key of their first letter."""
        blocks = self._fuzzy_pools()
        groups: dict[str, list[str]] = {}
        for fkey in fkeys:
            groups.setdefault(fkey[0], []).append(fkey)
        for letter, queries in groups.items():
            choices = blocks.get(letter, [])
            if choices:
                self._score_batch(
                    queries, choices, threshold=threshold, osa=True, importance=importance,
                    out=out,
                )  # fmt: skip

    def _best_neighbour(
        self, q: str, nbr: dict[str, list[str]], threshold: float, importance: np.ndarray
    ) -> tuple[int, float, str] | None:
        cands = {k for v in _deletions(q) for k in nbr.get(v, ())}
        best: tuple[float, float, int] | None = None
        for k in cands:
            score = max(fuzz.ratio(q, k), 100.0 * OSA.normalized_similarity(q, k))
            if score < threshold:
                continue
            top = max(self.fuzzy_owner[k], key=lambda i: importance[i])
            rank = (score, float(importance[top]), -top)
            if best is None or rank > best:
                best = rank
        if best is None:
            return None
        return (-best[2], min(best[0], FUZZY_CAP), "fuzzy")

    def scan_batch(
        self, fkeys: list[str], threshold: float, importance: np.ndarray
    ) -> dict[str, tuple[int, float, str]]:
        """Best fuzzy key for many query keys by scanning blocks of keys.

        Only keys whose length can reach ``threshold`` are compared (lossless: a ratio of
        ``t`` needs ``2 min(l1, l2) / (l1 + l2) >= t / 100``, an OSA similarity
        ``|l1 - l2| <= (1 - t / 100) max(l1, l2)``); first those with the query's first
        letter (scored with the larger of ``fuzz.ratio`` and OSA), then, for the queries
        still unmatched, those that allow one edit at the front: keys that start with the
        query's second letter or whose second letter is the query's first or second letter
        (``fuzz.ratio`` only).
        """
        lengths = self._by_length()
        t = min(max(threshold, 1.0), 100.0) / 100.0
        out: dict[str, tuple[int, float, str]] = {}
        kw: dict[str, Any] = {"threshold": threshold, "importance": importance, "out": out}
        groups: dict[tuple[str, int], list[str]] = {}
        for fkey in fkeys:
            groups.setdefault((fkey[0], len(fkey)), []).append(fkey)
        for (letter, n), queries in groups.items():
            choices = [k for m in _length_span(n, t) for k in lengths.get((letter, m), _NONE)[0]]
            if choices:
                self._score_batch(queries, choices, osa=True, **kw)
        front: dict[tuple[str, str, int], list[str]] = {}
        for fkey in fkeys:
            if fkey not in out and len(fkey) >= 2:
                front.setdefault((fkey[0], fkey[1], len(fkey)), []).append(fkey)
        for (c0, c1, n), queries in front.items():
            span = _length_span(n, t)
            pools = [(c1, m) for m in span] + [("2" + c, m) for c in {c0, c1} for m in span]
            choices = list(
                dict.fromkeys(k for where in pools for k in lengths.get(where, _NONE)[0])
            )
            if choices:
                self._score_batch(queries, choices, osa=False, **kw)
        return out
