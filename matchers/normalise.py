"""Name, value and document-number normalisation (uppercase Latin as a passport writes it).

Every name gets one or two *variants* (keys), on both sides of a comparison:

* ``plain`` — diacritics dropped (Ü→U, Ø→O, ß→SS), other scripts through ``unidecode``;
* ``icao`` — ICAO Doc 9303 part 3 transliteration of the letters it treats specially
  (Ä/Æ→AE, Ö/Ø→OE, Ü→UE, Å→AA, ß→SS, Þ→TH), the rest as ``plain``.

Only names containing such letters get the second variant. Tokens are uppercase ``A–Z``
(digits inside a word are read as the letters they resemble, ``SECH1N`` → ``SECHIN``;
words of digits only are dropped);
apostrophes are dropped (O'DWYER → ODWYER), hyphens and other separators split tokens,
titles (MR, MRS, DR…) are removed, and name particles (AL, EL, BIN, ABU, DE, VAN…) are
joined to the token that follows (AL QAIDI → ALQAIDI) so joined and split forms meet;
the joined token remembers its particle so a dropped particle can still be recognised.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from unidecode import unidecode

UNKNOWN_VALUES = frozenset({"", "NONE", "NULL", "UNKNOWN", "UNK", "XX", "00", "N/A", "NA", "-"})
"""Placeholders that mean "not known" in any field (field case 13)."""

TITLES = frozenset({"MR", "MRS", "MS", "MISS", "MSTR", "MASTER", "DR", "PROF", "SIR", "MME", "MLLE", "MX", "REV"})
"""Titles and honorifics removed from names when other tokens remain."""

PARTICLES = frozenset(
    {
        "AL",
        "EL",
        "UL",
        "UD",
        "AD",
        "AS",
        "ABU",
        "ABD",
        "ABDUL",
        "BIN",
        "BINT",
        "BEN",
        "IBN",
        "DE",
        "DEL",
        "DELLA",
        "DA",
        "DAS",
        "DOS",
        "VAN",
        "VON",
        "DER",
        "DEN",
        "TER",
        "ZU",
    }
)
"""Name particles joined to the next token (Arabic article and kinship words, Romance,
Dutch and German particles). ``LE``/``LA``/``DU``/``DI`` are left out on purpose: they are
common surnames (Vietnamese LE, Chinese DU) as well as particles."""

_VARIANT_GROUPS: tuple[tuple[str, ...], ...] = (
    (
        "MUHAMMAD",
        "MOHAMMED",
        "MOHAMMAD",
        "MOHAMED",
        "MOHAMAD",
        "MUHAMMED",
        "MUHAMAD",
        "MUHAMMET",
        "MEHMET",
        "MOHAMMET",
        "MOHAMET",
        "MOUHAMED",
        "MOUHAMMAD",
        "MAHOMED",
        "MOHD",
    ),
    ("AHMAD", "AHMED", "AHMET", "ACHMAD", "ACHMED"),
    ("HUSAYN", "HUSSEIN", "HUSSAIN", "HUSAIN", "HOSSEIN", "HOSEIN", "HUSEYIN", "HUSEIN"),
    ("HASAN", "HASSAN", "HASSANE"),
    ("MAHMUD", "MAHMOUD", "MAHMOOD"),
    ("YUSUF", "YOUSUF", "YOUSSEF", "YOUSEF", "YUSSUF", "YOUSOF", "YUSOF", "YOUSSOUF"),
    ("ABDULLAH", "ABDALLAH", "ABDULLA", "ABDALLA", "ABDOULLAH", "ABDELLAH"),
    ("ABDULRAHMAN", "ABDELRAHMAN", "ABDERRAHMANE", "ABDERRAHMAN", "ABDURRAHMAN", "ABDALRAHMAN", "ABDURAHMAN"),
    ("UMAR", "OMAR", "OMER"),
    ("UTHMAN", "OSMAN", "USMAN", "OTHMAN"),
    ("MUSTAFA", "MUSTAPHA", "MOSTAFA", "MOUSTAFA"),
    ("IBRAHIM", "IBRAHEEM", "EBRAHIM", "IBRAGIM"),
    ("KHALID", "KHALED", "KHALEED"),
    ("SAID", "SAEED", "SAIID", "SAEID"),
    ("HAMID", "HAMED", "HAMEED"),
    ("RASHID", "RASHEED", "RACHID"),
    ("MAJID", "MAJEED", "MADJID"),
    ("YAHYA", "YAHIA", "YAHIYA"),
    ("ISMAIL", "ISMAEL", "ISMAIEL"),
    ("JAMAL", "GAMAL", "DJAMAL"),
    ("JAFAR", "JAAFAR", "JAFFAR"),
    ("SULAYMAN", "SULEIMAN", "SULAIMAN", "SOLIMAN", "SULEYMAN"),
    ("AISHA", "AYESHA", "AICHA", "AYSHA"),
    ("ALEKSANDR", "ALEXANDER", "ALEXANDR", "ALEKSANDER"),
    ("DMITRIY", "DMITRY", "DMITRI", "DMITRII", "DMITRIJ"),
    ("SERGEY", "SERGEI", "SERGUEI", "SERGEJ"),
    ("YURIY", "YURI", "IURII", "YURII", "JURIJ"),
    ("ALEKSEY", "ALEXEI", "ALEKSEI", "ALEXEY", "ALEKSEJ"),
    ("NIKOLAY", "NIKOLAI", "NIKOLAJ"),
    ("ANDREY", "ANDREI", "ANDREJ"),
    ("YEVGENIY", "EVGENY", "YEVGENY", "EVGENIY", "EVGENII"),
)
KNOWN_VARIANTS: dict[str, str] = {form: group[0] for group in _VARIANT_GROUPS for form in group}
"""Curated spelling variants of frequent given names across romanisations (Arabic,
Persian, Turkish, Russian): ``form → group key``. Forms in one group are the same name;
the table is small on purpose (a few frequent names whose variants are more than one
edit apart), so it never joins names that merely look alike."""


def variant_key(token: str) -> str | None:
    """The :data:`KNOWN_VARIANTS` group of an ``A–Z`` token (``MOHAMED`` →
    ``MUHAMMAD``), ``None`` when it is not listed."""
    return KNOWN_VARIANTS.get(token)


_ICAO_TABLE = {
    "ä": "ae",
    "æ": "ae",
    "ö": "oe",
    "ø": "oe",
    "ü": "ue",
    "å": "aa",
    "ß": "ss",
    "þ": "th",
    "œ": "oe",
    "ĳ": "ij",
}
_PLAIN_TABLE = {
    "ø": "o",
    "æ": "ae",
    "ß": "ss",
    "đ": "d",
    "ð": "d",
    "ł": "l",
    "þ": "th",
    "ı": "i",
    "œ": "oe",
    "ĳ": "ij",
}
_ICAO_TRIGGERS = frozenset("äæöøüåßþ")
_APOSTROPHES = re.compile(r"[\u0027\u2018\u2019\u02bc\u02bb\u0060\u00b4\u2032]")
_NON_LETTER = re.compile(r"[^A-Z]+")
_ALNUM_WORD = re.compile(r"[A-Z0-9]+")
_DIGIT_LOOKALIKE = str.maketrans({"0": "O", "1": "I", "3": "E", "4": "A", "5": "S", "6": "G", "8": "B", "9": "G"})
_DOC_SPLIT = re.compile(r"[,;/\r\n]+")
_DOC_KEEP = re.compile(r"[^A-Z0-9]+")


def is_unknown(value: str | None) -> bool:
    """True when ``value`` is absent or a placeholder (``""``, ``NONE``, ``UNKNOWN``,
    ``XX``, ``00``…, case-insensitive, whitespace ignored): such values are never
    compared (field case 13)."""
    return value is None or value.strip().upper() in UNKNOWN_VALUES


def clean_value(value: str | None) -> str | None:
    """Uppercased, stripped ``value``; ``None`` when :func:`is_unknown`."""
    if value is None or is_unknown(value):
        return None
    return value.strip().upper()


def _fold(text: str, table: dict[str, str]) -> str:
    folded = text.casefold()
    folded = "".join(table.get(ch, ch) for ch in folded)
    # NFKD splits accents from letters; unidecode handles the rest and other scripts.
    decomposed = unicodedata.normalize("NFKD", folded)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unidecode(stripped)


@dataclass(frozen=True, slots=True)
class Token:
    """One normalised name token: ``text`` (``A–Z``), ``core`` the text without a joined
    particle (``ALHADDADIN`` → ``HADDADIN``; equal to ``text`` when none), and ``field``
    ``s`` (surname), ``g`` (given names) or ``n`` (unstructured full name)."""

    text: str
    core: str
    field: str


def _unmix_digits(match: re.Match[str]) -> str:
    word = match.group(0)
    if word.isalpha() or word.isdigit():
        return word
    return word.translate(_DIGIT_LOOKALIKE)


def _split_tokens(text: str) -> list[str]:
    text = _APOSTROPHES.sub("", text.upper())
    # digits inside a word are OCR/keying look-alikes of letters (SECH1N → SECHIN)
    text = _ALNUM_WORD.sub(_unmix_digits, text)
    return [t for t in _NON_LETTER.split(text) if t]


def _join_particles(raw: list[str], field: str) -> list[Token]:
    out: list[Token] = []
    pending = ""
    for i, tok in enumerate(raw):
        if tok in PARTICLES and i < len(raw) - 1:
            pending += tok
            continue
        out.append(Token(pending + tok, tok, field))
        pending = ""
    return out


def _drop_titles(raw: list[str]) -> list[str]:
    kept = [t for t in raw if t not in TITLES]
    return kept if kept else raw


def _move_trailing_particles(fields: list[tuple[str, list[str]]]) -> None:
    """Given names ending in particles (``MOHAMMED AL`` + surname ``GHABRA``: a name split
    at its last space; given name ``ABU`` + surname ``RUSDAN``) hand them to the surname,
    which is written after them (→ ``ALGHABRA``, ``ABURUSDAN``), so the particle joins as
    it does in the unsplit name."""
    by_field = dict(fields)
    given, surname = by_field.get("g"), by_field.get("s")
    if not given or not surname:
        return
    moved: list[str] = []
    while given and given[-1] in PARTICLES:
        moved.insert(0, given.pop())
    surname[:0] = moved


@lru_cache(maxsize=200_000)
def _variants_of(text: str) -> tuple[tuple[str, str], ...]:
    """``(rule, folded_text)`` per transliteration variant of ``text``."""
    plain = _fold(text, _PLAIN_TABLE)
    if _ICAO_TRIGGERS.isdisjoint(text.casefold()):
        return (("plain", plain),)
    icao = _fold(text, _ICAO_TABLE)
    return (("plain", plain), ("icao", icao)) if icao != plain else (("plain", plain),)


@dataclass(frozen=True, slots=True)
class NameVariant:
    """One normalised form of a name: ``tokens`` in the order written, ``rule``
    (``plain``/``icao``), ``structured`` (True when surname/given fields were given)."""

    tokens: tuple[Token, ...]
    rule: str
    structured: bool

    @property
    def concat(self) -> str:
        """All tokens without spaces, in written order."""
        return "".join(t.text for t in self.tokens)


def name_variants(
    full_name: str | None, surname: str | None = None, given_names: str | None = None
) -> tuple[NameVariant, ...]:
    """Normalised variants of one name.

    Uses ``surname``/``given_names`` when either is known (structured), else
    ``full_name``. Returns ``()`` when nothing comparable remains (unknown placeholders,
    or a script that transliterates to nothing): such a name is *uncomparable* and never
    matches (field case 13).
    """
    sur = None if is_unknown(surname) else surname
    giv = None if is_unknown(given_names) else given_names
    parts: list[tuple[str, str]]
    if sur or giv:
        parts = [(f, v) for f, v in (("s", sur), ("g", giv)) if v]
        structured = True
    elif full_name and not is_unknown(full_name):
        parts = [("n", full_name)]
        structured = False
    else:
        return ()
    raw_by_rule: dict[str, list[tuple[str, list[str]]]] = {}
    for field_code, value in parts:
        for rule, folded in _variants_of(value):
            raw_by_rule.setdefault(rule, []).append((field_code, _drop_titles(_split_tokens(folded))))
    rules: dict[str, list[Token]] = {}
    for rule, fields in raw_by_rule.items():
        _move_trailing_particles(fields)
        rules[rule] = [tok for field_code, raw in fields for tok in _join_particles(raw, field_code)]
    plain_tokens = rules.get("plain", [])
    variants = []
    for rule in ("plain", "icao"):
        tokens = rules.get(rule)
        if not tokens:
            continue
        if rule == "icao" and [t.text for t in tokens] == [t.text for t in plain_tokens]:
            continue
        variants.append(NameVariant(tuple(tokens), rule, structured))
    return tuple(variants)


def normalise_country(value: str | None) -> str | None:
    """Uppercase country code, ``None`` for unknown placeholders and ``XXX``
    (ICAO "unspecified"). Codes are compared as given (ISO 3166 alpha-3 expected)."""
    code = clean_value(value)
    if code is None or code == "XXX":
        return None
    return code


def normalise_gender(value: str | None) -> str | None:
    """``M`` or ``F``; ``X``, ``U`` and unknown placeholders give ``None`` (not comparable)."""
    code = clean_value(value)
    if code in ("M", "MALE"):
        return "M"
    if code in ("F", "FEMALE"):
        return "F"
    return None


def split_document_numbers(raw: str) -> list[str]:
    """Split a multi-value document field on ``,`` ``;`` ``/`` and line breaks
    (``"ZK4471203, PB0093311"`` → two numbers); canonicalises each with
    :func:`canonical_document_number` and drops the ones that become empty."""
    out = []
    for part in _DOC_SPLIT.split(raw):
        canon = canonical_document_number(part)
        if canon:
            out.append(canon)
    return out


def canonical_document_number(raw: str | None) -> str:
    """Uppercase ``[A-Z0-9]`` only: spaces, ``-``, ``.``, ``/``, ``<`` fillers and control
    characters dropped (``"zk447 1203<"`` → ``"ZK4471203"``). ``""`` means unknown
    (field case 17), also for placeholders that name no document (field case 13):
    :data:`UNKNOWN_VALUES` (``NONE``, ``UNKNOWN``, ``N/A``…) and numbers made only of
    ``0`` or only of ``X`` (``000000000``, ``XXXXXXX``), so two such values never agree."""
    if raw is None:
        return ""
    canon = _DOC_KEEP.sub("", raw.upper())
    if canon in UNKNOWN_VALUES or not canon.strip("0") or not canon.strip("X"):
        return ""
    return canon


_LOOKALIKE = str.maketrans({"O": "0", "I": "1", "S": "5", "B": "8", "Z": "2", "Q": "0", "L": "1"})


def lookalike_document_number(canonical: str) -> str:
    """``canonical`` with look-alike letters folded to digits (O/Q→0, I/L→1, S→5, B→8,
    Z→2) and leading zeros removed: equal folded forms of different canonical numbers
    are a *near* document match (case 17)."""
    return canonical.translate(_LOOKALIKE).lstrip("0")
