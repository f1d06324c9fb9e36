"""Splitting a location description into the place it names and the context around it.

Coders and reporters write a place together with what locates it: ``"Hajin, Deir ez-Zor"``,
``"Deir ez-Zor: Hajin"``, ``"the village of Hamrat in the eastern countryside of
Deir ez-Zor"``, ``"Al-Shola, south of Deir ez-Zor city"``, ``"Mayadin district"``,
``"Diban, east of the Euphrates"``, ``"قرية الشعيطات بريف دير الزور الشرقي"``,
``"الكشمة شرق مدينة الميادين"``. :func:`split_description` returns the *head* (the place
itself, possibly still a phrase such as ``"near Hajin"``) and a list of :class:`Clause`
(the context: a governorate, district or sub-district, a town with a direction and a
radius, a river bank), which :mod:`desertgeo.geocoder` turns into constraints on the
candidates of the head. :func:`split_list` recognises lists ("the towns of X, Y and Z").

Examples
--------
>>> head, clauses = split_description("Hamrat village in the eastern countryside of Deir ez-Zor")
>>> head, [(c.kind, c.text, c.azimuth) for c in clauses]
('Hamrat village', [('countryside', 'Deir ez-Zor', 90.0)])
>>> split_description("Deir ez-Zor: Hajin")[0]
'Hajin'
>>> split_list("the towns of Hajin, al-Shafa and al-Susah")
['Hajin', 'al-Shafa', 'al-Susah']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Clause", "split_description", "split_head_list", "split_list"]

_DIR_WORDS: dict[str, float] = {
    "north": 0.0, "northern": 0.0, "northeast": 45.0, "north-east": 45.0,
    "northeastern": 45.0, "north-eastern": 45.0, "east": 90.0, "eastern": 90.0,
    "southeast": 135.0, "south-east": 135.0, "southeastern": 135.0, "south-eastern": 135.0,
    "south": 180.0, "southern": 180.0, "southwest": 225.0, "south-west": 225.0,
    "southwestern": 225.0, "south-western": 225.0, "west": 270.0, "western": 270.0,
    "northwest": 315.0, "north-west": 315.0, "northwestern": 315.0, "north-western": 315.0,
}  # fmt: skip
_AR_DIR_WORDS: dict[str, float] = {
    "شمال": 0.0, "الشمالي": 0.0, "الشمالية": 0.0, "شمالي": 0.0,
    "شمال شرق": 45.0, "الشمالي الشرقي": 45.0, "شرق": 90.0, "الشرقي": 90.0, "الشرقية": 90.0,
    "شرقي": 90.0, "جنوب شرق": 135.0, "الجنوبي الشرقي": 135.0, "جنوب": 180.0,
    "الجنوبي": 180.0, "الجنوبية": 180.0, "جنوبي": 180.0, "جنوب غرب": 225.0,
    "الجنوبي الغربي": 225.0, "غرب": 270.0, "الغربي": 270.0, "الغربية": 270.0, "غربي": 270.0,
    "شمال غرب": 315.0, "الشمالي الغربي": 315.0,
}  # fmt: skip
_DIR = "|".join(sorted((re.escape(d) for d in _DIR_WORDS), key=len, reverse=True))
#: compass abbreviations, capitals only and only after a distance ("12 km NE of X")
_DIR_ABBR: dict[str, float] = {
    "N": 0.0, "NE": 45.0, "E": 90.0, "SE": 135.0, "S": 180.0, "SW": 225.0, "W": 270.0, "NW": 315.0,
}  # fmt: skip
_DIR_ABBR_RE = r"(?-i:NE|NW|SE|SW|N|S|E|W)"
_AR_DIR = "|".join(sorted((re.escape(d) for d in _AR_DIR_WORDS), key=len, reverse=True))
#: direction words that start a clause ("شرق دير الزور"); with the article they are an
#: adjective of the word before ("أم السرج الجنوبي", "ريف حمص الشرقي")
_AR_DIR_BARE = "|".join(
    sorted((re.escape(d) for d in _AR_DIR_WORDS if not d.startswith("ال")), key=len, reverse=True)
)
#: kilometres in a statute mile
MILE_KM = 1.609344
_UNIT = r"(?:km|kms|kilomet(?:er|re)s?|miles?|mi)"
_AR_UNIT = r"(?:كم|كيلومترا?|كيلومترات)"

# "... in the eastern countryside of X", "in the X countryside", "in rural X"
_COUNTRYSIDE_OF = re.compile(
    rf"^(?:in\s+|of\s+|at\s+|on\s+)?(?:the\s+)?(?:({_DIR})\s+)?(?:countryside|rural\s+areas?"
    rf"|desert|badia|outskirts|suburbs|environs|edges?|fringes|periphery|vicinity)\s+(?:of|around)"
    rf"\s+(?:the\s+)?(.+)$",
    re.IGNORECASE,
)
_X_COUNTRYSIDE = re.compile(
    rf"^(?:in\s+|of\s+|at\s+)?(?:the\s+)?(?:({_DIR})\s+)?(.+?)\s+(?:countryside|rural\s+areas?"
    r"|desert|badia|outskirts|suburbs)$",
    re.IGNORECASE,
)
_RURAL = re.compile(rf"^(?:in\s+)?(?:({_DIR})\s+)?rural\s+(.+)$", re.IGNORECASE)
_OFFSET = re.compile(
    rf"^(?:about\s+|some\s+|around\s+|approximately\s+|nearly\s+)?(\d+(?:[.,]\d+)?)"
    rf"(?:\s*(?:-|–|to)\s*(\d+(?:[.,]\d+)?))?\s*-?\s*"
    rf"(?P<unit>{_UNIT})\s+(?:to\s+the\s+)?(?P<dir>{_DIR}|{_DIR_ABBR_RE})\s+of\s+(?:the\s+)?"
    rf"(?P<place>.+)$",
    re.IGNORECASE,
)
#: "about 50 kilometers from Damascus", "3 km away from Anah town": a distance, no direction
_DISTANCE_FROM = re.compile(
    rf"^(?:about\s+|some\s+|around\s+|approximately\s+|nearly\s+|roughly\s+|only\s+"
    rf"|just\s+)?(\d+(?:[.,]\d+)?)(?:\s*(?:-|–|to)\s*(\d+(?:[.,]\d+)?))?\s*-?\s*"
    rf"(?P<unit>{_UNIT})\s+(?:away\s+)?(?:from|outside|off)\s+(?:the\s+)?(?P<place>.+)$",
    re.IGNORECASE,
)
_UNITS_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
_WORD_NUMBERS = dict(zip(_UNITS_WORDS.split(" "), range(21), strict=True)) | {
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "a hundred": 100, "one hundred": 100, "a few": 3, "several": 5,
}  # fmt: skip
_WORD_NUMBER_RE = re.compile(
    r"\b(" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) + rf")(?=[\s-]+{_UNIT}\b)",
    re.IGNORECASE,
)


def _mean(low: str, high: str | None) -> float:
    """The middle of a distance written "17" or "17-18" (decimal comma allowed)."""
    a = float(low.replace(",", "."))
    return (a + float(high.replace(",", "."))) / 2.0 if high else a


def _km(m: re.Match[str]) -> float:
    """The distance of an offset match in km (its ``unit`` group: km or miles)."""
    km = _mean(m.group(1), m.group(2))
    return km * MILE_KM if m.group("unit").lower().startswith("mi") else km


def spelled_numbers(text: str) -> str:
    """``text`` with a spelled-out distance written in digits ("three km" -> "3 km").

    Examples
    --------
    >>> spelled_numbers("three kilometers away from Anah town")
    '3 kilometers away from Anah town'
    >>> spelled_numbers("One of three towns")
    'One of three towns'
    """
    return _WORD_NUMBER_RE.sub(lambda m: str(_WORD_NUMBERS[m.group(1).lower()]), text)


def distance_from(text: str) -> tuple[float, str] | None:
    """The distance in km and the place of "N km (away) from X", or None.

    Examples
    --------
    >>> distance_from("about 50 kilometers from Damascus")
    (50.0, 'Damascus')
    >>> distance_from("three kilometers away from Anah town")
    (3.0, 'Anah town')
    >>> distance_from("20 km east of Palmyra") is None
    True
    """
    m = _DISTANCE_FROM.match(spelled_numbers(" ".join(text.split())))
    if m is None:
        return None
    return _km(m), m.group("place").strip()


_DIRECTION = re.compile(
    rf"^(?:just\s+|to\s+the\s+|in\s+the\s+|directly\s+|due\s+|further\s+)?({_DIR})\s+of\s+"
    r"(?:the\s+)?(.+)$",
    re.IGNORECASE,
)
_NEAR = re.compile(
    r"^(?:near(?:by)?|close\s+to|next\s+to|outside(?:\s+of)?|not\s+far\s+from|around|opposite"
    r"|in\s+the\s+vicinity\s+of|on\s+the\s+outskirts\s+of|the\s+outskirts\s+of"
    r"|(?:on\s+)?the\s+(?:\w+ern\s+)?(?:outskirts|edges?|surroundings|periphery)\s+of)\s+(?:the\s+)?"
    r"(.+)$",
    re.IGNORECASE,
)
_RIVER = re.compile(
    rf"^(?:on\s+the\s+|in\s+the\s+)?(?:({_DIR})\s+(?:banks?\s+)?of\s+(?:the\s+)?|the\s+)?"
    rf"(?:({_DIR})\s+banks?\s+of\s+the\s+)?(euphrates|khabur|khabour)(?:\s+river)?"
    rf"(?:\s+({_DIR})\s+banks?)?$",
    re.IGNORECASE,
)
_ADMIN_SUFFIX = re.compile(
    r"^(?:in\s+)?(?:the\s+)?(.+?)\s+(governorate|province|district|sub-?district|nahiya|"
    r"nahiyah|area|region|city|town)$",
    re.IGNORECASE,
)
_ADMIN_PREFIX = re.compile(
    r"^(?:in\s+)?(?:the\s+)?(governorate|province|district|sub-?district|nahiya|city|town)"
    r"\s+of\s+(?:the\s+)?(.+)$",
    re.IGNORECASE,
)
# separators between the head and a context clause (English)
#: a distance belongs to its direction: no split inside "5 km (to the) east of X"
_NOT_AFTER_A_UNIT = (
    r"(?<!\bkm)(?<!\bkms)(?<!\bmi)(?<!\bmile)(?<!\bmiles)(?<!metres)(?<!meters)(?<!\bthe)"
)
_SEP = re.compile(
    _NOT_AFTER_A_UNIT + rf"\s+(?=(?:in|near|outside|close\s+to|not\s+far\s+from|opposite"
    rf"|(?:on|at)\s+the\s+(?:outskirts|edges?|fringes|periphery|vicinity)\s+of"
    rf"|(?:halfway|midway|somewhere)\s+between"
    # "al-Abbas village between X and Y" (not "clashes between the SDF and ISIS")
    r"|(?:(?<=village\s)|(?<=town\s)|(?<=city\s)|(?<=area\s)|(?<=region\s)"
    r"|(?<=hamlet\s))between"
    rf"|(?:(?:about\s+|some\s+|around\s+)?\d+(?:[.,]\d+)?(?:\s*(?:-|–|to)\s*\d+(?:[.,]\d+)?)?"
    rf"\s*-?\s*{_UNIT}\s+)?(?:to\s+the\s+)?(?:{_DIR})\s+of"
    rf"|(?:on|in)\s+the\s+(?:{_DIR})\s+banks?"
    # "on the Euphrates", "on the Damascus-Suweida road", "on the northeastern border region"
    r"|(?:on|along)(?=\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}?(?:road|highway|motorway|border"
    r"|borders|banks?|euphrates|khabur|khabour|river|frontier|badia|desert|countryside)\b))\s)",
    re.IGNORECASE,
)
_LIST_RE = re.compile(
    r"^(?:in\s+|near\s+|at\s+)?(?:the\s+)?(?:(?:desert|rural|border|remote|nearby|eastern"
    r"|western|northern|southern)\s+)?(?:(?:towns|villages|cities|areas|localities"
    r"|neighbou?rhoods|neighborhoods|districts|hamlets|settlements)\s+of\s+)(.+)$",
    re.IGNORECASE,
)
_AR_LIST_RE = re.compile(
    r"^(?:في\s+)?(?:بلدات|قرى|مدن|مناطق|أحياء|احياء|بلدتي|بلدتا|قريتي|قريتا|مدينتي|مدينتا"
    r"|حيي|حيا)\s+(.+)$"
)
# "X and Y villages", "X, Y and Z towns": a list named by a plural noun after it
_PLURAL_TAIL = re.compile(
    r"\s+(?:towns|villages|cities|areas|localities|neighbou?rhoods|neighborhoods|districts"
    r"|hamlets|settlements|farms)$",
    re.IGNORECASE,
)
_AND_RE = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+", re.IGNORECASE)
# Arabic items joined by "و" before a noun ("وقرية", "وبلدة") or an article ("والجنينة")
_AR_AND_RE = re.compile(r"\s*[،,]\s*|\s+و(?=(?:قرية|بلدة|مدينة|حي|منطقة)\s|ال\S)")
_AR_PREFIX = re.compile(
    r"^(?:في\s+)?(?:قرية|بلدة|مدينة|حي|منطقة|مزرعة|ناحية|بلدتي|بلدتا|قريتي|قريتا|مدينتي|مدينتا)\s+"
)
# Arabic context: "بريف X", "في ريف X الشرقي", "شرق (مدينة) X", "في بادية X", "ناحية X"
_AR_SEP = re.compile(
    rf"\s+(?=(?:ب|في\s+|على\s+)?(?:ريف|بادية|صحراء|محافظة|منطقة|ناحية|قضاء|قرب|بالقرب\s+من|محيط"
    rf"|أطراف|اطراف|ضواحي)\s|(?:على\s+بعد\s+)?\d+\s*{_AR_UNIT}\s|(?:{_AR_DIR_BARE})\s+(?:مدينة|بلدة"
    r"|قرية|نهر|الفرات)?|شرق\s+الفرات|غرب\s+الفرات|(?:جنوب|شمال)\s"
    r"|(?:ب|في\s+)(?:مدينة|بلدة|قرية)\s|ضمن\s|(?:الواقعة|التي\s+تقع|التابعة|الواقع)\s"
    r"|(?:ب|في\s+)?الريف\s|(?:ب|في\s+)?البادية\s"
    r"|على\s+(?:ال)?ضفة\s|مقابل\s|وسط\s|بال(?!قرب)\S{3,}$|مركز\s+(?:محافظة|قضاء|ناحية)\s"
    # "بلدة كنصفرة في جبل الزاوية", "قرية القاهرة في سهل الغاب": a mountain or plain region
    r"|(?:في\s+|ب)(?:جبل|سهل|هضبة)\s"
    # "بلدة محجة على أوتوستراد دمشق درعا": the road it lies on
    r"|على\s+(?:ال)?(?:طريق|أوتوستراد|اوتوستراد)\s)"
)
# "حي الجورة بدير الزور": a named quarter or village, then "ب" + the town; a quarter also
# with "في" ("حي الطحطوح في الميادين"; "قرية X في Y" is often a region, left alone)
_AR_BI = re.compile(
    r"^((?:حي|قرية|بلدة|مدينة|منطقة|مزرعة)\s+\S+(?:\s+\S+)?)\s+ب(\S.*)$"
    r"|^(حي\s+\S+(?:\s+\S+)??)\s+في\s+(\S.*)$"
)


_NOUN_ONLY = re.compile(
    r"^(?:an?|the|which\s+is\s+an?)\s+(?:small\s+|desert\s+|border\s+|remote\s+)?(?:town|city"
    r"|village|hamlet|area|locality|settlement)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Clause:
    """One piece of context around a place.

    ``kind`` is ``"admin"`` (a governorate, district or sub-district: ``level`` says which
    when the text says so), ``"near"`` (within ``radius_km`` of the place ``text``),
    ``"direction"`` (``azimuth`` degrees from ``text``, at ``distance_km`` when given),
    ``"countryside"`` (the countryside of ``text``, optionally one side of it),
    ``"between"`` (``text`` is ``"X|Y"``) or ``"river"`` (``text`` is the river,
    ``azimuth`` the side).
    """

    kind: str
    text: str
    azimuth: float | None = None
    distance_km: float | None = None
    level: str = ""


def _dir(word: str | None) -> float | None:
    if not word:
        return None
    if word in _DIR_ABBR:
        return _DIR_ABBR[word]
    return _DIR_WORDS.get(word.lower().replace(" ", "-"), _DIR_WORDS.get(word.lower()))


def _clause(text: str, *, strict: bool = False) -> Clause | None:
    """One English context clause, or None when it is not one (``strict``: None also
    for a bare name, which is a clause only by its place in a description)."""
    t = " ".join(text.strip(" ,.;").split())
    # "a town to the south-east of X", "a village located north of X"
    t = re.sub(
        r"^(?:which\s+is\s+|that\s+is\s+)?(?:an?\s+)?(?:small\s+|desert\s+|border\s+)?"
        r"(?:town|city|village|area|hamlet|locality)\s+(?:(?:located|situated|lying)\s+)?"
        r"(?=(?:in|near|to|on|\d|(?:" + _DIR + r")\b))",
        "",
        t,
        flags=re.IGNORECASE,
    )
    if not t:
        return None
    m = _RIVER.match(t)
    if m:
        side = _dir(m.group(1) or m.group(2) or m.group(4))
        return Clause("river", m.group(3).lower(), azimuth=side)
    m = re.match(
        r"^(?:halfway\s+|midway\s+|somewhere\s+)?between\s+(?:the\s+)?(.+?)\s+and\s+(?:the\s+)?"
        r"(.+)$",
        t,
        re.IGNORECASE,
    )
    if m:
        return Clause("between", f"{m.group(1)}|{m.group(2)}")
    far = distance_from(t)
    if far is not None:
        return Clause("direction", far[1], azimuth=None, distance_km=far[0])
    t = spelled_numbers(t)
    m = _OFFSET.match(t)
    if m:
        return Clause(
            "direction", m.group("place"), azimuth=_dir(m.group("dir")), distance_km=_km(m)
        )
    m = _COUNTRYSIDE_OF.match(t) or _RURAL.match(t)
    if m:
        return Clause("countryside", m.group(2), azimuth=_dir(m.group(1)))
    m = _DIRECTION.match(t)
    if m:
        return Clause("direction", m.group(2), azimuth=_dir(m.group(1)))
    m = _NEAR.match(t)
    if m:
        return Clause("near", m.group(1))
    m = _X_COUNTRYSIDE.match(t)
    if m:
        return Clause("countryside", m.group(2), azimuth=_dir(m.group(1)))
    m = _ADMIN_PREFIX.match(t)
    if m:
        return Clause("admin", m.group(2), level=_level(m.group(1)))
    m = re.match(rf"^(?:in\s+)?(?:the\s+)?({_DIR})\s+(?!of\b)(\S.+)$", t, re.IGNORECASE)
    if m:
        return Clause("countryside", m.group(2), azimuth=_dir(m.group(1)))
    m = _ADMIN_SUFFIX.match(t)
    if m:
        return Clause("admin", m.group(1), level=_level(m.group(2)))
    if strict:
        return None
    t = re.sub(r"^(?:in|at)\s+(?:the\s+)?", "", t, flags=re.IGNORECASE)
    return Clause("admin", t)


def context_clause(text: str) -> Clause | None:
    """``text`` as a context clause when its own words say so, else None.

    A bare name ("Deir ez-Zor") could be context or a place: only a clause with a
    direction, a countryside, a distance, "near", a river bank or an admin word counts.
    Used to tell a list's last item from the context after it ("the towns of X and Y,
    east of Deir ez-Zor").

    Examples
    --------
    >>> context_clause("eastern Homs countryside").kind
    'countryside'
    >>> context_clause("east of Deir ez-Zor").azimuth
    90.0
    >>> context_clause("Tal al-Ward") is None
    True
    """
    t = " ".join(str(text).split())
    if any("\u0600" <= ch <= "\u06ff" for ch in t):
        return None
    return _clause(t, strict=True)


def _level(word: str) -> str:
    w = word.lower().replace("-", "")
    if w in {"governorate", "province"}:
        return "governorate"
    if w == "district":
        return "district"
    if w in {"subdistrict", "nahiya", "nahiyah"}:
        return "nahiya"
    if w in {"city", "town"}:
        return "town"
    return ""


_AR_LEAD_ONLY = re.compile(
    rf"^(?:ضمن|في|على|قرب|بالقرب\s+من|ب|(?:على\s+بعد\s+|على\s+مسافة\s+|نحو\s+|حوالي\s+)?"
    rf"\d+(?:[.,]\d+)?\s*{_AR_UNIT})$"
)


def _ar_pieces(rest: str) -> list[str]:
    """The clauses of an Arabic context, split where a new one begins; a direction word
    that ends a clause ("بريف حمص الشرقي") stays with it."""
    out: list[str] = []
    carry = ""
    for piece in _AR_SEP.split(rest):
        piece = f"{carry} {piece.strip()}".strip()
        carry = ""
        if not piece:
            continue
        if _AR_LEAD_ONLY.match(piece):
            carry = piece  # "ضمن" / "31 كم": the start of the next clause
        elif out and piece in _AR_DIR_WORDS:
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    if carry:
        out.append(carry)
    return out


def _ar_clause(text: str) -> Clause | None:
    t = " ".join(text.split())
    t = re.sub(r"^(?:الواقعة|التي\s+تقع|التابعة|الواقع|مركز)\s+", "", t)
    t = re.sub(r"^(?:في|على|ضمن|ل)\s*(?=\S)", "", t) if re.match(r"^(?:في|على|ضمن)\s", t) else t
    t = re.sub(r"^ب(?=(?:مدينة|بلدة|قرية|جبل|سهل|هضبة)\s)", "", t)
    t = re.sub(r"^(?:إلى|الى)\s+ال(شمال|جنوب|شرق|غرب)\s+من\s+", r"\1 ", t)
    bank = re.match(
        r"^(?:ال)?ضفة\s+(?:(الشرقية|الغربية|الشمالية|الجنوبية)\s+)?(?:لل|ل|ال)?(?:نهر\s+)?(?:ال)?فرات"
        r"(?:\s+(الشرقية|الغربية|الشمالية|الجنوبية))?",
        t,
    )
    if bank:
        side = bank.group(1) or bank.group(2)
        az = {"الشرقية": 90.0, "الشمالية": 90.0, "الغربية": 270.0, "الجنوبية": 270.0}.get(
            side or ""
        )
        return Clause("river", "euphrates", azimuth=az)
    m = re.match(r"^مقابل\s+(.+)$", t)
    if m:
        return Clause("near", _AR_PREFIX.sub("", m.group(1)))
    if re.match(r"^(?:شرق|شرقي)\s+(?:نهر\s+)?الفرات", t):
        return Clause("river", "euphrates", azimuth=90.0)
    if re.match(r"^(?:غرب|غربي)\s+(?:نهر\s+)?الفرات", t):
        return Clause("river", "euphrates", azimuth=270.0)
    m = re.match(rf"^(?:على\s+بعد\s+)?(\d+)\s*{_AR_UNIT}\s+({_AR_DIR})\s+(?:من\s+)?(.+)$", t)
    if m:
        rest = _AR_PREFIX.sub("", m.group(3))
        return Clause("direction", rest, azimuth=_AR_DIR_WORDS[m.group(2)],
                      distance_km=float(m.group(1)))  # fmt: skip
    m = re.match(rf"^(?:ب|في\s+)?ال(?:ريف|بادية)\s+({_AR_DIR})\s+(?:ل|من\s+)(?:مدينة\s+)?(.+)$", t)
    if m:
        return Clause("countryside", m.group(2), azimuth=_AR_DIR_WORDS[m.group(1)])
    m = re.match(r"^ب?(ريف|بادية|صحراء|أطراف|اطراف|ضواحي|محيط)\s+(.+)$", t)
    if m:
        rest, az = m.group(2), None
        for word in sorted(_AR_DIR_WORDS, key=len, reverse=True):
            if rest.endswith(" " + word):
                rest, az = rest[: -len(word) - 1], _AR_DIR_WORDS[word]
                break
        rest = _AR_PREFIX.sub("", rest)
        kind = "near" if m.group(1) in {"أطراف", "اطراف", "ضواحي", "محيط"} else "countryside"
        return Clause(kind, rest, azimuth=az)
    m = re.match(r"^(?:ب|ل)?(محافظة|منطقة|ناحية|قضاء)\s+(.+)$", t)
    if m:
        level = {"محافظة": "governorate", "منطقة": "district", "ناحية": "nahiya",
                 "قضاء": "district"}[m.group(1)]  # fmt: skip
        return Clause("admin", m.group(2), level=level)
    m = re.match(r"^(?:قرب|بالقرب\s+من)\s+(.+)$", t)
    if m:
        return Clause("near", _AR_PREFIX.sub("", m.group(1)))
    m = re.match(rf"^({_AR_DIR})\s+(.+)$", t)
    if m:
        return Clause("direction", _AR_PREFIX.sub("", m.group(2)),
                      azimuth=_AR_DIR_WORDS[m.group(1)])  # fmt: skip
    # "بالحسكة": "in al-Hasakah"; "وسط سوريا": "central Syria" (the country)
    t = re.sub(r"^ب(?=ال\S{2,})", "", t)
    t = re.sub(r"^(?:وسط|في\s+وسط)\s+", "", t)
    return Clause("admin", _AR_PREFIX.sub("", t))


#: a path of names written with spaced dashes, largest unit first ("Deir ez-Zor - Al-Mayadin
#: - Mahkan", "Homs: Palmyra - Tadmur"); not a road, a range or a stretch
_DASH_RE = re.compile(r"\s+[-–—]\s+")
_NOT_A_PATH_RE = re.compile(
    r"\b(?:road|highway|motorway|route|expressway|stretch|axis|line|front|frontline|border"
    r"|crossing|between|from|to|and)\b|\d",
    re.IGNORECASE,
)


def _dash_path(t: str, clauses: list[Clause]) -> str:
    """The last name of a dash path, its other names put in ``clauses`` as context (the
    nearest unit first); ``t`` itself when it is no such path."""
    parts = _DASH_RE.split(t)
    if (
        len(parts) < 2
        or _NOT_A_PATH_RE.search(t)
        or not all(re.match(r"^[^\W\d_]", p) and len(p.split()) <= 4 for p in parts)
    ):
        return t
    for p in reversed(parts[:-1]):
        c = _clause(p)
        if c is not None:
            # a bare name in a path must be an admin unit ("unit"): "Ithriya - Khanasir"
            # is two towns (a road, maybe), not Khanasir near Ithriya
            clauses.append(
                c if c.kind != "admin" else Clause("admin", c.text, level=c.level or "unit")
            )
    return parts[-1]


def _split_arabic(t: str) -> tuple[str, list[Clause]]:
    """:func:`split_description` of a text in Arabic script."""
    clauses: list[Clause] = []
    t = re.sub(r"^(?:في|فى)\s+(?=\S)", "", t)  # "في بادية الميادين": "in" is no name
    parts = [p.strip() for p in re.split(r"\s*[،,]\s*", t) if p.strip()]
    head = parts[0]
    bi = _AR_BI.match(head)
    if bi and not _AR_SEP.search(head):
        pair = [g for g in bi.groups() if g is not None]
        parts = [*pair, *parts[1:]]
        head = parts[0]
    pieces = _AR_SEP.split(head, maxsplit=1)
    if re.fullmatch(r"(?:على\s+بعد|على\s+مسافة|نحو|حوالي|بحدود)", pieces[0].strip()):
        return t, []  # "على بعد 20 كم شرق تدمر": an offset, whole
    if len(pieces) == 2 and pieces[0].strip():
        head = pieces[0].strip()
        # "في بلدة ذيبان شرق دير الزور": the town, then its direction from the city;
        # a context that reads as one clause stays one ("بالريف الغربي لدير الزور")
        whole = _ar_clause(pieces[1])
        one = (
            whole is not None
            and (whole.kind != "admin" or bool(whole.level))
            and not _AR_SEP.search(whole.text)
        )
        parts = [pieces[1] if one else _ar_pieces(pieces[1]), *parts[1:]]
        parts = [q for p in parts for q in ([p] if isinstance(p, str) else p)]
    else:
        parts = parts[1:]
    for p in parts:
        c = _ar_clause(p)
        if c is not None:
            clauses.append(c)
    return head, clauses


def split_description(text: str) -> tuple[str, list[Clause]]:
    """Split ``text`` into its head (the place) and the context clauses around it.

    Returns ``(text, [])`` when nothing in ``text`` reads as context.

    Examples
    --------
    >>> split_description("Hajin, Deir ez-Zor")
    ('Hajin', [Clause(kind='admin', text='Deir ez-Zor', azimuth=None, distance_km=None, level='')])
    >>> split_description("al-Shola, south of Deir ez-Zor city")[1][0].kind
    'direction'
    >>> head, cl = split_description("قرية الشعيطات بريف دير الزور الشرقي")
    >>> head, cl[0].text, cl[0].azimuth
    ('قرية الشعيطات', 'دير الزور', 90.0)
    """
    t = " ".join(str(text).split()).strip(" .;")
    clauses: list[Clause] = []
    if any("\u0600" <= ch <= "\u06ff" for ch in t):
        return _split_arabic(t)
    # "Al-Joura district of Deir ez-Zor", "the Tammo neighbourhood of al-Mayadin"
    t = re.sub(
        r"(?<!\bthe)\s+(neighbou?rhoods?|neighborhoods?|district|quarter|suburb)\s+of\s+",
        r" \1, ",
        t,
        flags=re.IGNORECASE,
    )
    # "Province: place" / "City: district"
    if ":" in t:
        left, right = (p.strip() for p in t.split(":", 1))
        if left and right and len(left.split()) <= 4:
            c = _clause(left)
            if c is not None:
                clauses.append(c if c.kind != "admin" else Clause("admin", c.text, level=c.level))
            t = right
    t = _dash_path(t, clauses)
    parts = [p.strip() for p in re.split(r"\s*[,;(]\s*|\)\s*", t) if p.strip()]
    if not parts:
        return str(text), []
    head, rest = parts[0], parts[1:]
    tail = re.match(
        rf"^(.+?)\s+((?:in\s+)?(?:the\s+)?(?:{_DIR})\s+\S+(?:\s+\S+)?\s+(?:province|governorate"
        r"|countryside))$",
        head,
        re.IGNORECASE,
    )
    if tail and not re.fullmatch(r"(?:in|at|of|the|in\s+the)", tail.group(1), re.IGNORECASE):
        head, rest = tail.group(1), [tail.group(2), *rest]
    pieces = _SEP.split(head, maxsplit=1)
    if (
        len(pieces) == 2
        and pieces[0].strip()
        # "the area between X and Y" is the between itself ("Jabal al-Bishri area between")
        and not (
            re.fullmatch(
                r"(?:the|an?)\s+(?:(?:desert|open|rural|border|mountain|farm)\s+)?(?:area|region)",
                pieces[0].strip(),
                re.IGNORECASE,
            )
            and re.match(r"between\s", pieces[1], re.IGNORECASE)
        )
        and not re.match(
            r"^(?:\d|between\b|the\s+(?:towns|villages)\s+of\b|(?:about|some|around|approximately"
            r"|nearly|roughly|almost|over|more\s+than|less\s+than|up\s+to|just|only)\s+\d)",
            head,
            re.IGNORECASE,
        )
    ):
        head = pieces[0].strip()
        rest = [pieces[1], *rest]
    # a further "X in Y" inside a clause ("in the countryside of Mayadin in Deir ez-Zor")
    flat: list[str] = []
    for r in rest:
        sub = re.split(
            _NOT_AFTER_A_UNIT + rf"\s+(?=in\s|opposite\s|(?:{_DIR})\s+of\s)",
            r.strip(),
            flags=re.IGNORECASE,
        )
        flat += [s for s in sub if s.strip()]
    flat = [r for r in flat if not _NOUN_ONLY.match(r.strip())]
    for r in flat:
        c = _clause(r)
        if c is not None:
            clauses.append(c)
    return head, clauses


def split_list(text: str) -> list[str] | None:
    """The items of a list of places ("the towns of X, Y and Z"), or None.

    Only an explicit plural noun (*towns of*, *villages of*, Arabic *بلدات*, *قرى*) makes a
    list: "Hajin, Deir ez-Zor" is a place and its context, not two places.

    Examples
    --------
    >>> split_list("villages of Jazrat al-Buhmeid and al-Buleel")
    ['Jazrat al-Buhmeid', 'al-Buleel']
    >>> split_list("Hajin, Deir ez-Zor") is None
    True
    """
    t = " ".join(str(text).split()).strip(" .;")
    m = _LIST_RE.match(t)
    if m:
        body = m.group(1)
        items = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", body, flags=re.IGNORECASE)
    else:
        m = _AR_LIST_RE.match(t)
        if not m:
            return None
        items = re.split(r"\s*[،,]\s*|\s+و(?=\S)", m.group(1))
    items = [i.strip() for i in items if i.strip()]
    return items if len(items) >= 2 else None


def split_head_list(head: str) -> list[str] | None:
    """The places of a head that names several ("X and Y villages", "بلدة X وقرية Y").

    Examples
    --------
    >>> split_head_list("Al-Sousah and Al-Baghoz towns")
    ['Al-Sousah', 'Al-Baghoz']
    >>> split_head_list("the city of Inkhel and the town of Dael")
    ['the city of Inkhel', 'the town of Dael']
    >>> split_head_list("بلدة السوسة وقرية الشعفة")
    ['بلدة السوسة', 'قرية الشعفة']
    >>> split_head_list("Hajin") is None
    True
    """
    t = " ".join(str(head).split()).strip(" .;,")
    if any("\u0600" <= ch <= "\u06ff" for ch in t):
        if re.match(r"^(?:ما\s+)?بين\s", t):
            return None  # "بين بلدتي X وY": between two places, not both
        items = _AR_AND_RE.split(t)
    else:
        if not re.search(r"\s(?:and|&)\s", t, re.IGNORECASE) or re.search(
            r"\b(?:between|from)\b", t, re.IGNORECASE
        ):
            return None
        items = _AND_RE.split(_PLURAL_TAIL.sub("", t).replace(" & ", " and "))
    items = [i.strip() for i in items if i and i.strip()]
    return items if len(items) >= 2 else None
