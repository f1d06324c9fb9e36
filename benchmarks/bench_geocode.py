"""Benchmark: gazetteer lookups per second, desertgeo vs plain rapidfuzz ``extractOne``.

Queries are drawn (seeded) from the default gazetteer's own Latin and Arabic spellings:

- *normalised* set: N names, each a gazetteer spelling with a reporter-style variation
  (case, an ``al-`` / ``as-`` article added or dropped, hyphens, diacritics removed, a
  doubled letter, ``ou`` for ``u``), drawn with replacement from a pool of 20,000;
- *fuzzy* set: N names, each a spelling with one random edit (substitution, insertion,
  deletion or transposition of a letter, never the first one), drawn with replacement
  from a pool of 20,000 distinct misspellings (an event table repeats its misspellings);
- *fuzzy unique*: the 20,000 distinct misspellings once each (no repetition to exploit).

desertgeo: ``Gazetteer.lookup_many`` (dict lookups of the exact / normalised keys; the
rest through ``rapidfuzz.process.cdist`` with all cores, blocked by first letter, each
distinct name once). Baseline, same run, same gazetteer: ``rapidfuzz.process.extractOne(q,
names)`` with its default scorer (WRatio) over every indexed spelling, one call per query,
timed on a sample of ``--baseline-n`` queries (a plain loop's rate does not depend on N;
the full N would take minutes). ``hit`` = the answer holds the spelling the query was made
from. Timings are noisy on the shared 2-core machine.

Ready time and memory: ``Gazetteer.default()`` in fresh processes (``python -c``): the
first one builds the index and writes the snapshot cache (``$DESERTGEO_CACHE_DIR``, here a
temporary folder, so the run never reads a stale cache), the next three read it (the warm
figure is their median); memory is the resident set (RSS, ``/proc/self/status``) of the
warm process before and after ``default()``, and the size of the snapshot file.

Run: .venv/bin/python benchmarks/bench_geocode.py [--quick] [--scale X] [--n N]
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import bench_args, result
from rapidfuzz import process

from desertgeo.gazetteer import Gazetteer
from desertgeo.names import fuzzy_key, script_of

POOL = 20_000
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def strip_marks(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def variant(name: str, rng: random.Random) -> str:
    """A reporter-style variant that the exact or normalised layer should resolve."""
    if script_of(name) != "latin":
        return name if rng.random() < 0.5 else "ال" + name if not name.startswith("ال") else name
    s = name
    r = rng.random()
    if r < 0.2:
        s = s.upper()
    elif r < 0.4:
        s = s.lower()
    if rng.random() < 0.3:
        s = strip_marks(s)
    if rng.random() < 0.3:
        s = ("al-" + s) if not s.lower().startswith(("al", "as", "ar", "ad")) else s[3:] or s
    if rng.random() < 0.2:
        s = s.replace(" ", "-")
    if rng.random() < 0.15:
        s = s.replace("u", "ou", 1)
    return s


def typo(name: str, rng: random.Random) -> str:
    """One random letter edit after the first letter."""
    s = strip_marks(name)
    if len(s) < 5:
        return s + rng.choice(LETTERS)
    i = rng.randrange(1, len(s) - 1)
    op = rng.randrange(4)
    c = rng.choice(LETTERS)
    if op == 0:
        return s[:i] + c + s[i + 1 :]
    if op == 1:
        return s[:i] + c + s[i:]
    if op == 2:
        return s[:i] + s[i + 1 :]
    return s[:i] + s[i + 1] + s[i] + s[i + 2 :]


_READY = """
import json, time
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return float(line.split()[1]) / 1024.0
t0 = time.perf_counter()
from desertgeo.gazetteer import Gazetteer
t1 = time.perf_counter()
r0 = rss()
gaz = Gazetteer.default()
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "default_s": t2 - t1, "total_s": t2 - t0,
                  "rss_before_mb": r0, "rss_after_mb": rss(), "entries": len(gaz)}))
"""


def ready_time() -> None:
    """``Gazetteer.default()`` cold (builds the snapshot) and warm (reads it), fresh processes."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "DESERTGEO_CACHE_DIR": cache}
        runs = []
        for _ in range(4):
            out = subprocess.run(
                [sys.executable, "-c", _READY], env=env, capture_output=True, text=True,
                check=True,
            ).stdout  # fmt: skip
            runs.append(json.loads(out.strip().splitlines()[-1]))
        snap = sum(f.stat().st_size for f in Path(cache).glob("gazetteer-*")) / 1e6
    cold, warm = runs[0], runs[1:]
    ready = statistics.median(r["default_s"] for r in warm)
    total = statistics.median(r["total_s"] for r in warm)
    rss = statistics.median(r["rss_after_mb"] - r["rss_before_mb"] for r in warm)
    print(f"default(): cold {cold['default_s']:.2f} s (builds, writes the snapshot), warm "
          f"{ready:.2f} s (+ import {total - ready:.2f} s); +{rss:.0f} MB RSS; "
          f"snapshot {snap:.1f} MB")  # fmt: skip
    result(
        "default gazetteer ready (warm cache)",
        round(ready, 3),
        "s",
        n=warm[0]["entries"],
        baseline="the same build without the snapshot cache (cold, first process)",
        baseline_value=round(cold["default_s"], 3),
        better="lower",
        goal="<= 1 s",
        note=f"median of 3 fresh processes; import of desertgeo.gazetteer {total - ready:.2f} s "
        "more",
    )
    result(
        "default gazetteer memory (RSS)",
        round(rss, 1),
        "MB",
        n=warm[0]["entries"],
        better="lower",
        note=f"resident set added by Gazetteer.default() (warm); cold process +"
        f"{cold['rss_after_mb'] - cold['rss_before_mb']:.0f} MB; snapshot file {snap:.1f} MB",
    )


def main() -> None:
    args = bench_args("geocoder lookups vs rapidfuzz extractOne", default_n=100_000, quick_n=2_000)
    n = args.n
    base_n = 100 if args.quick else max(100, round(500 * min(args.scale, 1.0)))
    rng = random.Random(3)
    ready_time()

    t0 = time.perf_counter()
    gaz = Gazetteer.default()
    t_build = time.perf_counter() - t0
    table = gaz.table
    spellings: list[tuple[str, int]] = [
        (s, idx)
        for idx, names in enumerate(gaz._table["names"])
        for s in names
        if script_of(s) in {"latin", "arabic"} and len(fuzzy_key(s)) >= 5
    ]
    all_names = gaz.names()
    print(
        f"gazetteer: {len(gaz):,} entries, {len(all_names):,} spellings, built in {t_build:.2f} s"
    )
    result("gazetteer build", round(t_build, 3), "s", n=len(gaz))

    def hit_rate(queries: list[tuple[str, int]], entries: list[int]) -> float:
        ok = 0
        for (_q, src), e in zip(queries, entries, strict=False):
            if e < 0:
                continue
            source = spellings_of[src]
            if e == src or source & set(gaz._table.at[e, "names"]):
                ok += 1
        return ok / max(1, len(queries))

    spellings_of = {i: set(names) for i, names in enumerate(gaz._table["names"])}

    # ---------------------------------------------------------------- normalised set
    pool_n = [(variant(s, rng), i) for s, i in rng.sample(spellings, min(POOL, len(spellings)))]
    norm = [rng.choice(pool_n) for _ in range(n)]
    norm_q = [q for q, _ in norm]
    # the caches of names.py are per process; clear them so the first pass pays for them
    from desertgeo import names as _names

    for fn in (_names.fold_name, _names.fuzzy_key, _names.normalize_name, _names.fold_arabic):
        fn.cache_clear()
    t0, c0 = time.perf_counter(), time.process_time()
    res = gaz.lookup_many(norm_q, fuzzy=False)
    t_norm, c_norm = time.perf_counter() - t0, time.process_time() - c0
    hits_norm = hit_rate(norm, list(res["entry"]))
    layers = res["layer"].value_counts().to_dict()

    sample = norm[:base_n]
    t0 = time.perf_counter()
    base_hits = 0
    for q, src in sample:
        m = process.extractOne(q, all_names)
        if m is not None and m[0] in spellings_of[src]:
            base_hits += 1
    t_base = time.perf_counter() - t0
    rate_base = len(sample) / t_base
    print(f"normalised: {n / t_norm:,.0f} names/s (hit {hits_norm:.3f}, layers {layers}); "
          f"extractOne {rate_base:,.0f} names/s (hit {base_hits / len(sample):.3f}, "
          f"{len(sample)} queries)")  # fmt: skip
    result(
        f"exact/normalised lookups {n // 1000}k",
        round(n / t_norm, 1),
        "items/s",
        n=n,
        baseline="rapidfuzz process.extractOne (WRatio) over the same spellings",
        baseline_value=round(rate_base, 1),
        better="higher",
        goal=">= 200k names/s",
        note=f"hit {hits_norm:.3f} vs baseline {base_hits / len(sample):.3f}; baseline rate "
        f"from {len(sample)} queries; {len(set(norm_q))} distinct names; "
        f"{n / c_norm:,.0f} names per CPU-second",
    )

    # ---------------------------------------------------------------- fuzzy set
    pool_f = []
    seen: set[str] = set()
    for s, i in rng.sample(spellings, min(len(spellings), POOL * 2)):
        if script_of(s) != "latin":
            continue
        q = typo(s, rng)
        if q not in seen:
            seen.add(q)
            pool_f.append((q, i))
        if len(pool_f) >= POOL:
            break
    fuzzy = [rng.choice(pool_f) for _ in range(n)]
    fuzzy_q = [q for q, _ in fuzzy]
    for fn in (_names.fold_name, _names.fuzzy_key, _names.normalize_name):
        fn.cache_clear()
    t0, c0 = time.perf_counter(), time.process_time()
    res = gaz.lookup_many(fuzzy_q)
    t_fuzzy, c_fuzzy = time.perf_counter() - t0, time.process_time() - c0
    hits_fuzzy = hit_rate(fuzzy, list(res["entry"]))
    layers = res["layer"].value_counts().to_dict()

    sample = fuzzy[:base_n]
    t0 = time.perf_counter()
    base_hits = 0
    for q, src in sample:
        m = process.extractOne(q, all_names)
        if m is not None and m[0] in spellings_of[src]:
            base_hits += 1
    t_base = time.perf_counter() - t0
    rate_base = len(sample) / t_base
    print(f"fuzzy: {n / t_fuzzy:,.0f} names/s (hit {hits_fuzzy:.3f}, layers {layers}); "
          f"extractOne {rate_base:,.0f} names/s (hit {base_hits / len(sample):.3f})")  # fmt: skip
    result(
        f"fuzzy lookups {n // 1000}k",
        round(n / t_fuzzy, 1),
        "items/s",
        n=n,
        baseline="rapidfuzz process.extractOne (WRatio) over the same spellings",
        baseline_value=round(rate_base, 1),
        better="higher",
        goal=">= 20k names/s",
        note=f"hit {hits_fuzzy:.3f} vs baseline {base_hits / len(sample):.3f}; "
        f"{len(set(fuzzy_q))} distinct misspellings, each resolved once; "
        f"{n / c_fuzzy:,.0f} names per CPU-second (all threads)",
    )

    # ---------------------------------------------------------------- fuzzy, all distinct
    uniq = pool_f[: min(len(pool_f), n)]
    for fn in (_names.fold_name, _names.fuzzy_key, _names.normalize_name):
        fn.cache_clear()
    t0, c0 = time.perf_counter(), time.process_time()
    res = gaz.lookup_many([q for q, _ in uniq])
    t_uniq, c_uniq = time.perf_counter() - t0, time.process_time() - c0
    hits_uniq = hit_rate(uniq, list(res["entry"]))
    print(f"fuzzy, all distinct: {len(uniq) / t_uniq:,.0f} names/s (hit {hits_uniq:.3f})")
    result(
        f"fuzzy lookups distinct {len(uniq) // 1000}k",
        round(len(uniq) / t_uniq, 1),
        "items/s",
        n=len(uniq),
        baseline="rapidfuzz process.extractOne (WRatio) over the same spellings",
        baseline_value=round(rate_base, 1),
        better="higher",
        goal=">= 20k names/s",
        note=f"no repeated names; hit {hits_uniq:.3f}; "
        f"{len(uniq) / c_uniq:,.0f} names per CPU-second (all threads)",
    )

    # ---------------------------------------------------------------- geocode() end to end
    k = min(n, 20_000)
    from desertgeo.geocoder import geocode

    t0 = time.perf_counter()
    geocode(norm_q[:k])
    t_geo = time.perf_counter() - t0
    print(f"geocode() on {k:,} names ({len(set(norm_q[:k])):,} distinct): {k / t_geo:,.0f} names/s")
    result(f"geocode() {k // 1000}k names", round(k / t_geo, 1), "items/s", n=k, better="higher",
           note="full rules and ranking with context; distinct names resolved once")  # fmt: skip
    _ = table


if __name__ == "__main__":
    main()
