"""Casualty counts in news text (English and Arabic), for :mod:`desertgeo.text`.

One call, :func:`counts_in`, reads a clause and returns a :class:`Counts`: killed,
wounded, abducted, released and missing, each a list of ``(n, what)`` items, with
the rules that fired and whether a figure is approximate ("at least", "more than",
"about", "dozens"). Totals, breakdowns and subsets inside the clause are resolved
here: "61 civilians and seven soldiers were killed" is a breakdown (68), "19
civilians, including 12 women, were killed" a total with a subset (19), "30 dead,
four of them soldiers and 26 militiamen" a total with its breakdown (30).

Examples
--------
>>> c = counts_in("At least 61 civilians and seven soldiers were killed.")
>>> c.total("killed"), c.approximate
(68, True)
>>> counts_in("Nineteen civilians, including 12 women, were killed.").total("killed")
19
>>> counts_in("مقتل ١٤ عنصراً وإصابة ثمانية آخرين").total("wounded")
8
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["KINDS", "Counts", "arabic_digits", "counts_in", "number"]

KINDS = ("killed", "wounded", "abducted", "released", "missing")

_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def arabic_digits(text: str) -> str:
    """Arabic-Indic and Persian digits to ASCII digits (same length, same offsets).

    >>> arabic_digits("مقتل ٢٦ عنصراً")
    'مقتل 26 عنصراً'
    """
    return text.translate(_ARABIC_DIGITS)


# ----------------------------------------------------------------------------- numbers

_UNITS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# "dozens" and friends: ACLED's convention for vague plurals, flagged approximate
_VAGUE = {"dozens": 12, "a dozen": 12, "scores": 20, "hundreds": 100}
_WORD_NUM = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four"
    r"|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    r"|(?:a|one|two|three|four|five) hundred|dozens|a dozen|scores|hundreds)"
)
NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?i:{_WORD_NUM}))"
QUANT = (
    r"(?i:at least|about|around|some|nearly|almost|more than|over|up to|approximately"
    r"|roughly|no fewer than|no less than|as many as|an estimated)"
)

_AR_UNITS = {
    "واحد": 1,
    "واحدة": 1,
    "اثنان": 2,
    "اثنين": 2,
    "اثنتين": 2,
    "ثلاثة": 3,
    "ثلاث": 3,
    "أربعة": 4,
    "أربع": 4,
    "اربعة": 4,
    "خمسة": 5,
    "خمس": 5,
    "ستة": 6,
    "ست": 6,
    "سبعة": 7,
    "سبع": 7,
    "ثمانية": 8,
    "ثماني": 8,
    "تسعة": 9,
    "تسع": 9,
    "عشرة": 10,
    "عشر": 10,
    # "أحد عشر" (11), "اثنا عشر" (12); alone, "أحد" is "one (of)"
    "أحد": 1,
    "احد": 1,
    "إحدى": 1,
    "احدى": 1,
    "اثنا": 2,
    "اثني": 2,
}
_AR_TENS = {
    "عشرين": 20,
    "عشرون": 20,
    "ثلاثين": 30,
    "ثلاثون": 30,
    "أربعين": 40,
    "أربعون": 40,
    "خمسين": 50,
    "خمسون": 50,
    "ستين": 60,
    "سبعين": 70,
    "ثمانين": 80,
    "تسعين": 90,
    "مئة": 100,
    "مائة": 100,
}
# dual nouns count two ("عنصران", "جنديين")
_AR_DUAL = r"(?:عنصر[اي]ن|جندي[اي]ن|شخص[اي]ن|مدني[اي]ن|طفل[اي]ن|ضابط[اي]ن|راعي[اي]ن)"
_AR_WORD = "|".join(sorted([*_AR_UNITS, *_AR_TENS], key=len, reverse=True))
AR_NUM = rf"(?:\d+|(?:{_AR_WORD})(?:\s+(?:عشر|عشرة))?(?:\s+و\s?(?:{_AR_WORD}))?|عشرات|{_AR_DUAL})"


def number(text: str) -> int | None:
    """Parse a count written in digits, English words (up to 999) or Arabic words.

    >>> [number(w) for w in ("seven", "twenty-two", "3,000", "dozens", "خمسة وعشرين")]
    [7, 22, 3000, 12, 25]
    """
    t = arabic_digits(text.strip()).lower().replace(",", "")
    if t.isdigit():
        return int(t)
    if t in _VAGUE:
        return _VAGUE[t]
    if t == "another":
        return 1
    if re.search(r"[\u0600-\u06FF]", t):
        return _arabic_number(t)
    if t.endswith("hundred"):
        head = t.split()[0]
        return _UNITS.get(head, 0) * 100 or None
    parts = re.split(r"[- ]", t)
    if parts[0] in _TENS:
        return _TENS[parts[0]] + (_UNITS.get(parts[1], 0) if len(parts) > 1 else 0)
    return _UNITS.get(t)


def _arabic_number(t: str) -> int | None:
    if t == "عشرات":
        return 12
    if re.fullmatch(_AR_DUAL, t):
        return 2
    total = 0
    words = re.split(r"\s+و?\s?|\s*و(?=[\u0600-\u06FF])", t)
    words = [w for w in re.split(r"\s+", t.replace(" و", " ")) if w]
    for i, w in enumerate(words):
        w = w.removeprefix("و") if w not in _AR_UNITS and w not in _AR_TENS else w
        if w in ("عشر", "عشرة") and i > 0:
            total += 10
        elif w in _AR_UNITS:
            total += _AR_UNITS[w]
        elif w in _AR_TENS:
            total += _AR_TENS[w]
        else:
            return None
    return total or None


def is_vague(text: str) -> bool:
    """True for "dozens", "scores", "عشرات" (counts that are a convention, not a figure)."""
    return text.strip().lower() in (*_VAGUE, "عشرات")


# ------------------------------------------------------------------------------ counts


@dataclass
class Counts:
    """Counts found in one clause (each kind a list of ``(n, what)``)."""

    killed: list[tuple[int, str]] = field(default_factory=list)
    wounded: list[tuple[int, str]] = field(default_factory=list)
    abducted: list[tuple[int, str]] = field(default_factory=list)
    released: list[tuple[int, str]] = field(default_factory=list)
    missing: list[tuple[int, str]] = field(default_factory=list)
    victim_group: str | None = None
    approximate: bool = False
    rules: list[str] = field(default_factory=list)
    additive: bool = False  # "five militiamen were also killed", "another three"
    update: bool = False  # "the death toll rose to 33"
    mention_only: bool = False  # "killed" with no figure ("soldiers were killed")

    def any(self) -> bool:
        """Any killed, wounded or abducted figure."""
        return bool(self.killed or self.wounded or self.abducted)

    def add(self, kind: str, n: int, what: str, rule: str) -> None:
        """Add one figure of ``kind`` with the rule that found it."""
        getattr(self, kind).append((n, what.strip()))
        if rule not in self.rules:
            self.rules.append(rule)

    def total(self, kind: str) -> int | None:
        """Sum of the figures of ``kind`` (None when there are none)."""
        items = getattr(self, kind)
        return sum(n for n, _w in items) if items else None


_PASSIVE_VERBS = (
    r"killed|wounded|injured|hurt|kidnapped|abducted|released|missing|executed|captured"
    r"|slain|shot dead|gunned down|martyred|beheaded|taken hostage|freed|taken(?!\s+to\b)"
    r"|found dead"
)
_PASSIVE = re.compile(
    r"\b(?P<aux>were|was|have been|has been|had been|are|is|being|got)\s+"
    r"(?:(?:reportedly|also|later|all|allegedly|initially|subsequently|then)\s+){0,2}"
    rf"(?P<verb>{_PASSIVE_VERBS})\b"
    r"|(?P<intrans>\bdied\b|\blost their lives\b|\bperished\b|\bsuccumbed\b)",
    re.I,
)
_ACTIVE = re.compile(
    rf"\b(?P<verb>killing|killed|kills|kill|kidnapped|kidnapping|abducted|abducting|wounded"
    r"|wounding|injured|injuring|injuring|executed|executing|gunned down|gunning down"
    r"|shot dead|shooting dead|slaying|slew|beheaded|seized|capturing|captured"
    r"|claimed the lives of|claiming the lives of|took the lives of|leaving|left)"
    rf"\s+(?:{QUANT}\s+)?(?P<n>{NUM}|another)\b"
    r"(?P<what>(?:\s+(?!and\b|in\b|at\b|from\b|on\b|near\b|outside\b|while\b|as\b)"
    r"[\w-]+){0,3})",
    re.I,
)
_NOUN_OF = re.compile(
    r"\b(?P<verb>martyrdom|killing|deaths?|murder|execution|kidnapping|abduction|injury"
    r"|injuries|wounding)\s+of\s+"
    rf"(?:{QUANT}\s+)?(?P<n>{NUM})\b(?P<what>(?:\s+[\w-]+){{0,1}})"
    r"(?:\s+of\s+(?:the\s+)?(?P<group>[\w\s'-]+?))?(?=[,.;]|\s+was|\s+in\b|\s+and\b|$)",
    re.I,
)
_DEAD = re.compile(
    rf"(?:(?P<q>{QUANT})\s+)?\b(?P<n>{NUM})\s+(?P<what>(?:[\w-]+\s+){{0,3}}?)"
    r"(?:people\s+)?(?P<kind>dead|were\s+dead|killed|wounded|injured|hurt|casualties)\b"
    r"(?!\s+(?:in|by)\s+(?:the\s+)?(?:\d|one|two))",
    re.I,
)
_TOLL = re.compile(
    r"\b(?:death\s+)?toll\s+(?:(?:from|of|in)\s+[^.;]{0,100}?\s+)?(?:has\s+|had\s+)?"
    r"(?:rose|rises|risen|climbed|climbs|increased"
    r"|jumped|reached|was raised)\s+(?:to\s+)?(?:at least\s+)?"
    rf"(?P<n>{NUM})\b|\b(?:raising|bringing|pushing)\s+the\s+(?:death\s+)?toll\s+to\s+"
    rf"(?:at least\s+)?(?P<n2>{NUM})\b",
    re.I,
)
# "put the death toll at 13", "gave a toll of six": another source's figure (not an update)
_TOLL_AT = re.compile(
    r"\b(?:put|puts|putting|gave|gives|giving|placed|places|reported|reports)\s+(?:the|a)\s+"
    r"(?:death\s+toll|toll|number\s+of\s+(?:dead|deaths|those\s+killed|victims|fatalities))"
    rf"\s+(?:at|of)\s+(?:at least\s+)?(?P<n>{NUM})\b",
    re.I,
)
# "beheaded Khaled al-Asaad": one named person
_NAMED = re.compile(
    r"\b(?:beheaded|executed|assassinated|shot dead|gunned down|slit the throat of)\s+"
    r"(?!(?:Islamic|Syrian|Kurdish|Russian|American|Iraqi|Iranian|Jordanian|Turkish|US|U\.S)\b)"
    r"(?:[A-Z][a-z]+\s+)?(?:(?:al|el|as|ad|ash)-)?[A-Z][a-z]+(?:\s+(?:(?:al|el|as|ad|ash|bin|abu)-?\s?)?"
    r"[A-Z][a-z]+)+"
)
_COUNT_IN_SEGMENT = re.compile(
    rf"(?:(?<=^)|(?<=[\s,(]))(?:(?P<q>{QUANT})\s+)?(?P<n>{NUM})\b(?P<what>(?:\s+(?!and\b"
    r"|were\b|was\b|including\b|of\b|among\b)[a-z\"“][\w\"”-]*){0,4})",
    re.I,
)
_SUBSET_AFTER = re.compile(
    r"\b(?:including|among\s+(?:them|whom|those|the\s+(?:dead|victims|killed))|of\s+whom"
    r"|of\s+them)\b",
    re.I,
)
_ONE_PERSON = re.compile(
    r"\b(?:a|an|one)\s+(?:[\w-]+\s+){0,2}?(?:soldier|civilian|officer|fighter|member|shepherd"
    r"|herder|man|woman|child|boy|girl|policeman|guard|militiaman|driver|farmer|worker"
    r"|hunter|gatherer|commander|leader|general|colonel|adviser|advisor|serviceman|journalist"
    r"|policewoman|contractor)\b(?:\s+(?:of|from)\s+[^,;]{1,60})?\s*$",
    re.I,
)
_UNIT_WORDS = re.compile(
    r"(?:days?|weeks?|months?|years?|hours?|km|kilomet(?:re|er)s?|miles?|metres?|meters?"
    r"|percent|per cent|%|a\.m|p\.m|am\b|pm\b|o'clock|vehicles?|cars?|trucks?|buses|sq)\b",
    re.I,
)
_ADDITIVE = re.compile(
    r"\b(?:also|another|other|additional|further|in addition|as well)\b(?!-)", re.I
)
_GENERIC_NOUN = re.compile(
    r"^(?:people|persons|individuals|members|dead|killed|victims|men|of|in)\b|^$", re.I
)
_KIND = {
    "killed": "killed",
    "killing": "killed",
    "kills": "killed",
    "kill": "killed",
    "executed": "killed",
    "executing": "killed",
    "slain": "killed",
    "slaying": "killed",
    "slew": "killed",
    "shot dead": "killed",
    "found dead": "killed",
    "shooting dead": "killed",
    "gunned down": "killed",
    "gunning down": "killed",
    "martyred": "killed",
    "martyrdom": "killed",
    "beheaded": "killed",
    "death": "killed",
    "deaths": "killed",
    "murder": "killed",
    "execution": "killed",
    "dead": "killed",
    "were dead": "killed",
    "died": "killed",
    "lost their lives": "killed",
    "perished": "killed",
    "succumbed": "killed",
    "claimed the lives of": "killed",
    "claiming the lives of": "killed",
    "took the lives of": "killed",
    "leaving": "killed",
    "left": "killed",
    "wounded": "wounded",
    "wounding": "wounded",
    "injured": "wounded",
    "injuring": "wounded",
    "injury": "wounded",
    "injuries": "wounded",
    "hurt": "wounded",
    "casualties": "killed",
    "kidnapped": "abducted",
    "kidnapping": "abducted",
    "abducted": "abducted",
    "abducting": "abducted",
    "abduction": "abducted",
    "captured": "abducted",
    "capturing": "abducted",
    "seized": "abducted",
    "taken hostage": "abducted",
    "taken": "abducted",
    "released": "released",
    "freed": "released",
    "missing": "missing",
}


def _is_year(token: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d{2}", token))


def _segment_items(segment: str) -> list[tuple[int, str, bool, int]]:
    """(n, what, approximate, position) of the figures in the text before a verb."""
    out: list[tuple[int, str, bool, int]] = []
    for c in _COUNT_IN_SEGMENT.finditer(segment):
        raw = c.group("n")
        n = number(raw)
        what = c.group("what").strip()
        if raw.lower() in ("a", "an") and out and re.search(r"\band\s+$", segment[: c.start()]):
            n = 1  # "Two US soldiers and a civilian interpreter"
        elif n is None or raw.lower() in ("a", "an") or _is_year(raw) or _UNIT_WORDS.match(what):
            continue
        tail = segment[c.end() :]
        if re.match(r"\s*(?:of\s+(?:the|those)|percent|%)", tail):
            continue  # "12 of the 19 dead": a subset of a figure given elsewhere
        if segment[: c.start()].rstrip().endswith(("aged", "age", "No.", "number")):
            continue
        out.append((n, what, bool(c.group("q")) or is_vague(raw), c.start()))
    one = re.search(r"\band\s+an?\s+(?P<w>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s*$", segment, re.I)
    if out and one is not None:
        out.append((1, one.group("w"), False, one.start()))  # "and a civilian interpreter"
    return out


def _resolve_segment(items: list[tuple[int, str, bool, int]], segment: str) -> list[int]:
    """Indices of the items that make the figure (drop subsets and breakdown parts)."""
    if not items:
        return []
    cut = _SUBSET_AFTER.search(segment)
    among = re.search(r"\b(?:were|was)\s+among\b|\bamong\s+(?:the\s+)?(?=\d|[a-z]+\s)", segment)
    keep = list(range(len(items)))
    if among is not None and any(p > among.start() for *_x, p in items):
        return [i for i, it in enumerate(items) if it[3] > among.start()][:1]
    if cut is not None:
        before = [i for i in keep if items[i][3] < cut.start()]
        after = [
            i
            for i in keep
            if items[i][3] > cut.start()
            and re.match(r"(?:others?|more)\b", items[i][1], re.I) is not None
        ]
        keep = before + after if before else after
    if len(keep) > 1:
        first = items[keep[0]]
        rest = sum(items[i][0] for i in keep[1:])
        gap = segment[first[3] : items[keep[1]][3]]
        if first[0] >= rest and (_GENERIC_NOUN.match(first[1]) or re.search(r"[:—(]|–", gap)):
            return [keep[0]]  # a total and its breakdown
    return keep


def _passive(clause: str, counts: Counts, used: list[tuple[int, int]]) -> None:
    last_end = 0
    for m in _PASSIVE.finditer(clause):
        verb = (m.group("verb") or m.group("intrans")).lower()
        kind = _KIND.get(verb, "killed")
        segment = clause[last_end : m.start()]
        seg_start = last_end
        last_end = m.end()
        items = _segment_items(segment)
        singular = m.group("aux") is not None and m.group("aux").lower() == "was"
        if not items and singular and _ONE_PERSON.search(segment):
            counts.add(kind, 1, "", "count:singular")
            continue
        if not items:
            if kind == "killed":
                counts.mention_only = True
            continue
        for i in _resolve_segment(items, segment):
            n, what, approx, pos = items[i]
            counts.add(kind, n, what, "count:passive")
            counts.approximate = counts.approximate or approx
            used.append((seg_start + pos, seg_start + pos + 1))
        if _ADDITIVE.search(segment) or re.search(r"\balso\b", clause[m.start() : m.end()]):
            counts.additive = True


def _active(clause: str, counts: Counts, used: list[tuple[int, int]]) -> None:
    for m in _ACTIVE.finditer(clause):
        if any(s <= m.start("n") < e for s, e in used):
            continue
        raw = m.group("n")
        n = number(raw)
        what = (m.group("what") or "").strip()
        verb = m.group("verb").lower()
        if n is None or _is_year(raw) or _UNIT_WORDS.match(what):
            continue
        if verb in ("leaving", "left"):
            tail = clause[m.end("n") : m.end("n") + 40]
            dead = re.match(r"(?:\s+[\w-]+){0,3}?\s+(dead|killed|wounded|injured)\b", tail, re.I)
            if dead is None:
                continue
            verb = dead.group(1).lower()
        if raw.lower() in ("a", "an") and verb not in ("killed", "killing"):
            continue
        kind = _KIND.get(verb, "killed")
        counts.add(kind, n, what, "count:active")
        counts.approximate = counts.approximate or is_vague(raw) or _quantified(clause, m)
        used.append((m.start("n"), m.end("n")))


# "also killed a local commander", "shot dead an officer": one person, the object of the verb
_ACTIVE_ONE = re.compile(
    r"\b(?:killing|killed|kills|shot dead|shooting dead|gunned down|gunning down|assassinated"
    r"|assassinating)\s+(?:a|an)\s+(?:[\w-]+\s+){0,3}?(?P<what>soldier|civilian|officer|fighter"
    r"|member|shepherd|herder|man|woman|child|boy|girl|policeman|guard|militiaman|driver|farmer"
    r"|commander|leader|general|colonel|adviser|advisor|serviceman|journalist|contractor)\b",
    re.I,
)


# the attackers' own deaths: "blew himself up", "shot the first (attacker) dead"; other
# people than the victims counted before, so added to the incident's toll
_ATTACKER_DEAD = re.compile(
    r"\b(?:blew\s+himself\s+up|detonated\s+(?:his|an?)\s+(?:explosive\s+)?(?:belt|vest)\s+"
    r"(?:on|at|among)\b|shot\s+(?:the\s+)?(?:first|second|other|one)(?:\s+(?:attacker|assailant"
    r"|militant|gunman|bomber))?\s+dead)",
    re.I,
)


def _attackers(clause: str, counts: Counts) -> None:
    for _m in _ATTACKER_DEAD.finditer(clause):
        counts.add("killed", 1, "attacker", "count:attacker_dead")
        counts.additive = True


def _active_one(clause: str, counts: Counts, used: list[tuple[int, int]]) -> None:
    for m in _ACTIVE_ONE.finditer(clause):
        if any(m.start() <= s < m.end() for s, _e in used):
            continue
        counts.add("killed", 1, m.group("what"), "count:active_singular")
        used.append((m.start("what"), m.end("what")))
        if _ADDITIVE.search(clause[max(0, m.start() - 30) : m.start() + 6]):
            counts.additive = True


def _quantified(clause: str, m: re.Match[str]) -> bool:
    return re.search(rf"{QUANT}\s+$", clause[max(0, m.start("n") - 20) : m.start("n")]) is not None


def _nouns(clause: str, counts: Counts, used: list[tuple[int, int]]) -> None:
    for m in _NOUN_OF.finditer(clause):
        if any(s <= m.start("n") < e for s, e in used):
            continue
        n = number(m.group("n"))
        if n is None or _is_year(m.group("n")):
            continue
        counts.add(
            _KIND.get(m.group("verb").lower(), "killed"), n, m.group("what") or "", "count:noun"
        )
        counts.approximate = counts.approximate or _quantified(clause, m)
        used.append((m.start("n"), m.end("n")))
        if m.group("group"):
            counts.victim_group = m.group("group").strip()
    for m in _TOLL_AT.finditer(clause):
        n = number(m.group("n"))
        if n is not None:
            counts.add("killed", n, "toll", "count:toll_of_source")
            used.append((m.start("n"), m.end("n")))
    for m in _NAMED.finditer(clause):
        if not counts.killed:
            counts.add("killed", 1, m.group(0).split(maxsplit=1)[-1], "count:named_person")
    for m in _TOLL.finditer(clause):
        raw = m.group("n") or m.group("n2")
        n = number(raw)
        if n is None:
            continue
        counts.killed = [(n, "toll")]
        counts.update = True
        counts.rules.append("count:toll")
        used.append((m.start(), m.end()))


def _adjectives(clause: str, counts: Counts, used: list[tuple[int, int]]) -> None:
    for m in _DEAD.finditer(clause):
        if any(s <= m.start("n") < e for s, e in used):
            continue
        n = number(m.group("n"))
        kind = _KIND.get(re.sub(r"\s+", " ", m.group("kind").lower()), "killed")
        if n is None or _is_year(m.group("n")) or getattr(counts, kind):
            continue
        if _UNIT_WORDS.match(m.group("what")):
            continue
        counts.add(kind, n, m.group("what"), "count:adjective")
        counts.approximate = counts.approximate or bool(m.group("q")) or is_vague(m.group("n"))
        used.append((m.start("n"), m.end("n")))


# ------------------------------------------------------------------------------ Arabic

_AR_Q = r"(?:ما\s+لا\s+يقل\s+عن|أكثر\s+من|نحو|حوالي|قرابة)"
_AR_KILL = re.compile(
    r"(?:مقتل|قتل|قُتل|استشهاد|استشهد|اغتيال|مصرع|وفاة|إعدام|أعدم)\s+"
    rf"(?:(?P<q>{_AR_Q})\s+)?(?P<n>{AR_NUM})(?![\u0621-\u064A\u066E-\u06D3])"
)
_AR_KILL_AFTER = re.compile(
    rf"(?:(?P<q>{_AR_Q})\s+)?(?P<n>{AR_NUM})\s+(?:[\u0600-\u06FF]+\s+){{0,2}}?"
    r"(?:قتلى|قتيل[اًا]*|شهداء|شهيد[اًا]*)"
)
_AR_WOUND = re.compile(
    r"(?:إصابة|وإصابة|جرح|وجرح|أصيب|وأصيب|اصابة)\s+"
    rf"(?:(?P<q>{_AR_Q})\s+)?(?P<n>{AR_NUM})(?![\u0621-\u064A\u066E-\u06D3])"
)
_AR_WOUND_AFTER = re.compile(
    rf"(?P<n>{AR_NUM})\s+(?:[\u0600-\u06FF]+\s+){{0,2}}?(?:جرحى|مصابين|جريح[اًا]*|بجروح)"
)
_AR_ABDUCT = re.compile(
    rf"(?:اختطاف|خطف|أسر|واختطاف|وخطف)\s+(?:(?P<q>{_AR_Q})\s+)?(?P<n>{AR_NUM})(?![\u0621-\u064A\u066E-\u06D3])"
)


_AR_ONE = re.compile(
    r"(?:مقتل|قتل|قُتل|استشهاد|استشهد|اغتيال|اغتيل|مصرع)\s+"
    r"(?:عنصر|جندي|مدني|شخص|طفل|امرأة|ضابط|راع|راعي|مقاتل|رجل|شاب|مواطن)(?![\u0621-\u064A])"
)


def _arabic(clause: str, counts: Counts) -> None:
    text = arabic_digits(clause)
    for kind, patterns in (
        ("killed", (_AR_KILL, _AR_KILL_AFTER)),
        ("wounded", (_AR_WOUND, _AR_WOUND_AFTER)),
        ("abducted", (_AR_ABDUCT,)),
    ):
        seen: list[int] = []
        for rx in patterns:
            for m in rx.finditer(text):
                n = number(m.group("n"))
                if n is None or _is_year(m.group("n")) or m.start("n") in seen:
                    continue
                seen.append(m.start("n"))
                counts.add(kind, n, "", "count:arabic")
                q = m.groupdict().get("q")
                counts.approximate = counts.approximate or bool(q) or m.group("n") == "عشرات"
            if getattr(counts, kind):
                break
    if not counts.killed and _AR_ONE.search(text):
        counts.add("killed", 1, "", "count:arabic_singular")


def counts_in(clause: str) -> Counts:
    """Killed, wounded, abducted (and released, missing) figures in one clause.

    Parameters
    ----------
    clause : str
        A sentence or clause (English or Arabic).

    Returns
    -------
    Counts
        The figures, the rules that fired, and flags: ``approximate`` ("at least",
        "about", "dozens"), ``additive`` ("also", "another": add to the incident's
        figure given before), ``update`` ("the toll rose to N": replaces it).

    Examples
    --------
    >>> c = counts_in("Five members of a militia were also killed")
    >>> c.total("killed"), c.additive
    (5, True)
    >>> counts_in("The death toll rose to 33.").update
    True
    >>> counts_in("The attack killed 30 people: 20 soldiers and 10 militiamen.").total("killed")
    30
    """
    counts = Counts()
    if re.search(r"[\u0600-\u06FF]{3}", clause):
        _arabic(clause, counts)
        if counts.any():
            return counts
    used: list[tuple[int, int]] = []
    _nouns(clause, counts, used)
    if counts.update:
        return counts
    _passive(clause, counts, used)
    _active(clause, counts, used)
    if not counts.killed:
        _active_one(clause, counts, used)
    if not counts.killed:
        _attackers(clause, counts)
    _adjectives(clause, counts, used)
    return counts
