"""Normalisation of place names: Latin transliterations and Arabic script to match keys.

Reporters write the same place in many ways: *Deir ez-Zor*, *Dayr az Zawr*, *Deir Ezzor*,
*Dair al-Zour*, *دير الزور*. This module turns a name into keys that are equal for such
variants, at three levels of aggressiveness:

:func:`fold_name`
    The *exact* level: Unicode compatibility form, diacritics removed (Ḩ → h, ţ → t,
    ā → a), case folded, apostrophes / ʿayn / hamza marks (``' ‘ ’ ʼ ʾ ʿ `` `` ` ``) removed,
    every other punctuation (hyphens, dots) becomes a space. Arabic script is folded with
    :func:`fold_arabic`.
:func:`fuzzy_key`
    The key used for typo matching: :func:`fold_name` plus transliteration rules that keep
    the vowels (articles dropped, ``q`` → ``k``, ``ou``/``oo`` → ``u``, ``ee`` → ``i``,
    non-initial ``y`` → ``i``, ta marbuta ``-ah``/``-eh`` → ``-a``, doubled letters
    collapsed, spaces removed).
:func:`normalize_name`
    The *normalised* level: :func:`fuzzy_key` reduced to a consonant skeleton in which every
    run of vowels (``a e i o u`` and non-initial ``y``/``w`` next to a vowel) becomes one
    ``*``. *Deir / Dayr / Dair / Der* all give ``d*r``; *Zor / Zour / Zawr / Zur* give
    ``z*r``; *Raqqa / Rakka / Raqqah* give ``r*k*``.

What is deliberately **not** merged, because it would join distinct places: ``kh`` and
``h`` (*Khan* / *Han*), ``gh`` and ``g``, ``sh`` and ``s``, ``th``/``dh`` and ``t``/``d``/``z``,
consonant order (*Kafr* / *Kfar* are left to the fuzzy layer). Articles are dropped only as
separate tokens (*al-*, *el-*, *as-*, *ad-*, *ez-*, *ash-*, *ar-* ...) and, when glued with
sun-letter assimilation, only after the first word (*Deir Ezzor* → *Deir Zor*), so that
names which start like an article (*Assad*, *Ezra*) keep their first letters.

Arabic (:func:`fold_arabic`; the normalised key also drops a final ``ه ي ا`` of words of
four letters or more, as in *الشدادي* / *الشدادة*, and an article glued inside a
compound, *ديرالزور*): harakat, tatweel and Quranic marks removed; alef variants
``أ إ آ ٱ`` → ``ا``; ``ى`` and ``ئ`` → ``ي``; ``ؤ`` → ``و``; ``ة`` → ``ه``; lone hamza ``ء``
removed; Persian ``ی ک ھ`` → ``ي ك ه``; the article ``ال`` removed at the start of each word;
spaces removed.

Examples
--------
>>> normalize_name("Deir ez-Zor") == normalize_name("Dayr az Zawr") == normalize_name("Deir Ezzor")
True
>>> normalize_name("Ḩimş"), normalize_name("Homs")
('h*ms', 'h*ms')
>>> normalize_name("الرقة") == normalize_name("رقه")
True
>>> fold_name("Dar‘ā")
'dara'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "ARTICLES",
    "consonant_key",
    "fold_arabic",
    "fold_arabic_words",
    "fold_name",
    "fuzzy_key",
    "is_arabic",
    "loose_key",
    "normalize_name",
    "script_of",
]

#: Latin renderings of the Arabic article, dropped when they stand as a separate token.
ARTICLES: frozenset[str] = frozenset(
    {
        "al", "el", "il", "ul", "l",
        "as", "es", "us", "ash", "esh", "ush", "ach",
        "ad", "ed", "ud", "adh", "edh",
        "az", "ez", "uz", "ar", "er", "ur", "at", "et", "ut", "ath", "eth",
        "an", "en", "un", "ac", "ec",
    }
)  # fmt: skip

# marks that stand for ʿayn / hamza or an apostrophe: removed without a space
_APOSTROPHES = "'‘’ʼʾʿʻ`´ʹʽˈ′"
_APOS_RE = re.compile(f"[{re.escape(_APOSTROPHES)}]")
# letters that NFKD does not decompose
_SPECIAL = str.maketrans(
    {
        "ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ß": "ss", "æ": "ae", "Æ": "ae",
        "œ": "oe", "Œ": "oe", "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ə": "e", "Ə": "e",
        "ħ": "h", "Ħ": "h",
    }
)  # fmt: skip
_NON_ALNUM_RE = re.compile(r"[^0-9a-z\u0600-\u06ff\s]+")
_SPACES_RE = re.compile(r"\s+")

# --- Arabic -------------------------------------------------------------------------------
_AR_RANGE_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_AR_MARKS_RE = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_MAP = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
        "ى": "ي", "ئ": "ي", "ی": "ي", "ې": "ي",
        "ؤ": "و", "ة": "ه", "ۀ": "ه", "ھ": "ه", "ہ": "ه",
        "ک": "ك", "ء": "",
        "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4",
        "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
    }
)  # fmt: skip
_AR_NON_LETTER_RE = re.compile(r"[^\u0621-\u064a0-9\s]+")
_LATIN_LETTER_RE = re.compile(r"[a-z]")
_AR_GLUED_AL_RE = re.compile(r"(?<=^...)ال(?=...)")

# --- Latin transliteration rules (applied to a folded token) --------------------------------
_GLUED_ARTICLE_RE = re.compile(r"^[aeu]([tdrzsn])\1(?=[a-z]{2,})")
_GLUED_AL_RE = re.compile(r"^[ae]l-?(?=(?:t|th|d|dh|r|z|s|sh|n)[aeiouy])")
_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("dj", "j"),  # French Djebel -> Jebel
    ("ch", "sh"),  # French Chaddadi -> Shaddadi
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("q", "k"),
    ("ck", "k"),
    ("ph", "f"),
)
_SEMIVOWEL_RE = re.compile(r"(?<![aeiou])y(?![aeiou])")
_Y_AFTER_VOWEL_RE = re.compile(r"(?<=[aeiou])y(?![aeiou])")
_W_AFTER_VOWEL_RE = re.compile(r"(?<=[aeiou])w(?![aeiou])")
_DOUBLE_RE = re.compile(r"([a-z])\1+")
_VOWEL_RUN_RE = re.compile(r"[aeiou]+")


def is_arabic(text: str) -> bool:
    """Return True when ``text`` contains Arabic-script letters.

    Examples
    --------
    >>> is_arabic("تدمر"), is_arabic("Tadmur")
    (True, False)
    """
    return _AR_RANGE_RE.search(text) is not None


def script_of(text: str) -> str:
    """Return ``"arabic"``, ``"latin"`` or ``"other"`` for a name (by its letters).

    Names in other scripts (Cyrillic, Greek, CJK ...) are not indexed by the gazetteer.

    Examples
    --------
    >>> script_of("دير الزور"), script_of("Dayr az Zawr"), script_of("Пальмира")
    ('arabic', 'latin', 'other')
    """
    if is_arabic(text):
        return "other" if _LATIN_LETTER_RE.search(text.casefold()) else "arabic"
    folded = _strip_marks(text).casefold()
    letters = [c for c in folded if c.isalpha()]
    if letters and all("a" <= c <= "z" for c in letters):
        return "latin"
    return "other"


def _strip_marks(text: str) -> str:
    if text.isascii():  # nothing to strip (the common case: a fast path)
        return text
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(c for c in text if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def fold_arabic_words(text: str) -> tuple[str, ...]:
    """The words of :func:`fold_arabic` before they are joined (article removed)."""
    text = unicodedata.normalize("NFKC", text)
    text = _AR_MARKS_RE.sub("", text).translate(_AR_MAP)
    text = _AR_NON_LETTER_RE.sub(" ", text)
    words = []
    for word in text.split():
        if (word.startswith("ال") or word.startswith("لل")) and len(word) > 3:
            word = word[2:]
        words.append(word)
    return tuple(words)


@lru_cache(maxsize=65536)
def fold_arabic(text: str) -> str:
    """Fold Arabic script: letter variants, harakat, tatweel, the article ``ال``, spaces.

    Examples
    --------
    >>> fold_arabic("دير الزور")
    'ديرزور'
    >>> fold_arabic("إدلب") == fold_arabic("ادلب")
    True
    >>> fold_arabic("السُّخْنَة")
    'سخنه'
    """
    return "".join(fold_arabic_words(text))


@lru_cache(maxsize=131072)
def fold_name(text: str) -> str:
    """Return the exact-level key: diacritics, case, apostrophes and punctuation folded.

    Latin words stay separated by single spaces; Arabic goes through :func:`fold_arabic`.

    Examples
    --------
    >>> fold_name("Ḩimş")
    'hims'
    >>> fold_name("Deir ez-Zor")
    'deir ez zor'
    >>> fold_name("  Ra's al-‘Ayn ")
    'ras al ayn'
    """
    if not text.isascii() and is_arabic(text):
        return fold_arabic(text)
    text = _strip_marks(text).casefold()
    text = _APOS_RE.sub("", text)
    text = _NON_ALNUM_RE.sub(" ", text)
    return _SPACES_RE.sub(" ", text).strip()


def _fold_token(token: str, first: bool) -> str:
    if not first:
        token = _GLUED_ARTICLE_RE.sub(r"\1", token)
        token = _GLUED_AL_RE.sub("", token)
    for old, new in _DIGRAPHS:
        if old in token:
            token = token.replace(old, new)
    if len(token) > 1:
        # y / w after a vowel and before a consonant act as vowels (Dayr, Zawr: ai / au,
        # kept apart so that Hayl and Hawl stay two names); between vowels they are
        # consonants (Mayadin, Hawija); an initial y / w stays
        token = token[0] + _SEMIVOWEL_RE.sub("i", token[1:])
        token = _Y_AFTER_VOWEL_RE.sub("i", token)
        token = _W_AFTER_VOWEL_RE.sub("u", token)
    # ta marbuta: -ah / -eh / -at at the end of a word -> -a
    if len(token) > 3 and token[-1] == "h" and token[-2] in "aeiu":
        token = token[:-1]
    return token


@lru_cache(maxsize=131072)
def fuzzy_key(text: str) -> str:
    """Return the key used for typo matching: transliteration folded, vowels kept.

    Articles (as separate tokens) are dropped unless the name is only an article;
    ``q`` → ``k``, ``ou`` → ``u``, ``ee`` → ``i``, non-initial ``y`` → ``i``, ``dj`` → ``j``,
    ta marbuta dropped, doubled letters collapsed, spaces removed.

    Examples
    --------
    >>> fuzzy_key("Ar Raqqah"), fuzzy_key("al-Rakka")
    ('raka', 'raka')
    >>> fuzzy_key("Deir ez-Zour")
    'deirzur'
    """
    folded = fold_name(text)
    if not folded or not _LATIN_LETTER_RE.search(folded):
        return folded.replace(" ", "")
    tokens = folded.split()
    kept = [t for t in tokens if t not in ARTICLES] or tokens
    out = "".join(_fold_token(t, i == 0) for i, t in enumerate(kept))
    return _DOUBLE_RE.sub(r"\1", out)


#: sounds that transliterations of one Arabic letter spread over several Latin letters (ذ as
#: dh / th / z / d, غ as gh / g, خ as kh / h, ش as sh / ch / s) and vowels written several
#: ways (o / u, e / i, y / i, w / u): folded together for matching among few candidates
_LOOSE = (("dh", "d"), ("th", "t"), ("gh", "g"), ("kh", "h"), ("sh", "s"), ("z", "d"),
          ("ts", "s"), ("w", "u"), ("o", "u"), ("e", "i"), ("y", "i"))  # fmt: skip


@lru_cache(maxsize=131072)
def loose_key(key: str) -> str:
    """A :func:`fuzzy_key` with the letters transliterations confuse folded together.

    Too loose for a whole gazetteer ("Zaiban" and "Dhiban" become one; so do many
    unrelated names); meant for comparing a name with the few places a description's
    context allows.

    Examples
    --------
    >>> loose_key(fuzzy_key("Zaiban")), loose_key(fuzzy_key("Dhiban"))
    ('daiban', 'diban')
    >>> loose_key(fuzzy_key("Al Qusayer")) == loose_key(fuzzy_key("Al Qusair"))
    True
    """
    for old, new in _LOOSE:
        if old in key:
            key = key.replace(old, new)
    return _DOUBLE_RE.sub(r"\1", key)


#: Arabic letters as the consonants :func:`loose_key` leaves of their transliterations;
#: alif, waw, ya (long vowels or semivowels), ayn and hamza leave nothing
_AR_CONSONANTS = str.maketrans(
    {
        "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "h", "د": "d", "ذ": "d",
        "ر": "r", "ز": "d", "س": "s", "ش": "s", "ص": "s", "ض": "d", "ط": "t", "ظ": "d",
        "غ": "g", "ف": "f", "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",
        "ا": "", "و": "", "ي": "", "ع": "", "ء": "", " ": "",
    }
)  # fmt: skip
_LATIN_VOWELS_RE = re.compile(r"[aeiou]+")


@lru_cache(maxsize=131072)
def consonant_key(key: str) -> str:
    """The consonants of a match key, comparable across scripts.

    ``key`` is a :func:`loose_key` (Latin) or a :func:`fold_arabic` key (Arabic); both give
    the same letters for one name, since short vowels are not written in Arabic and
    transliterations spell the long ones every way. Matching on it is loose: meant, like
    :func:`loose_key`, for the few places a description's context allows.

    Examples
    --------
    >>> consonant_key(loose_key(fuzzy_key("As Sabhah"))), consonant_key(fold_arabic("الصبحة"))
    ('sbh', 'sbh')
    >>> consonant_key(loose_key(fuzzy_key("Dablan"))) == consonant_key(fold_arabic("دبلان"))
    True
    """
    if _LATIN_LETTER_RE.search(key):
        return _DOUBLE_RE.sub(r"\1", _LATIN_VOWELS_RE.sub("", key))
    if key.endswith("ه"):
        key = key[:-1]  # ta marbuta, which transliterations end in a vowel
    return _DOUBLE_RE.sub(r"\1", key.translate(_AR_CONSONANTS))


@lru_cache(maxsize=131072)
def normalize_name(text: str) -> str:
    """Return the normalised match key of a place name (Latin or Arabic script).

    Latin: :func:`fuzzy_key` with every run of vowels replaced by ``*`` (a consonant
    skeleton that keeps where the vowels were). Arabic: :func:`fold_arabic`. The key of an
    empty or punctuation-only string is ``""``.

    Parameters
    ----------
    text : str
        A place name as written in a report, in Latin or Arabic script.

    Returns
    -------
    str
        The match key; two spellings of the same name give the same key.

    Examples
    --------
    >>> [normalize_name(s) for s in ["Deir", "Dayr", "Dair", "Der"]]
    ['d*r', 'd*r', 'd*r', 'd*r']
    >>> {normalize_name(s) for s in ["Zor", "Zour", "Zawr", "Zur"]}
    {'z*r'}
    >>> normalize_name("As-Sukhnah") == normalize_name("Sukhna") == normalize_name("Al Sukhneh")
    True
    >>> normalize_name("Khan") == normalize_name("Han")
    False
    >>> normalize_name("آلتنف") == normalize_name("التنف")
    True
    """
    if is_arabic(text):
        return _arabic_skeleton(fold_arabic_words(text))
    key = fuzzy_key(text)
    if not key or not _LATIN_LETTER_RE.search(key):
        return key
    return _VOWEL_RUN_RE.sub("*", key)


def _arabic_skeleton(words: tuple[str, ...]) -> str:
    # a final long vowel / ta marbuta varies (الشدادي / الشدادة): dropped on words of 4+;
    # an article glued inside a compound (ديرالزور) is dropped too
    out = []
    for w in words:
        w = _AR_GLUED_AL_RE.sub("", w)
        out.append(w[:-1] if len(w) >= 4 and w[-1] in "هيا" else w)
    return "".join(out)
