"""Shared pieces of the watchlist file readers: result types, errors, and the value
parsers every format needs (birth dates, countries, scripts, genders, document numbers).

Nothing here reads files; the per-format modules (:mod:`.un_xml`, :mod:`.jsonl`,
:mod:`.csv_format`) do, and hand each raw field to these helpers.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pycountry
from pydantic import ValidationError

from matchers.normalise import canonical_document_number
from schemas.edifact import birth_date_candidates
from schemas.records import EntryDate, Gender, WatchlistEntry

REMARKS_MAX_CHARS = 1000
"""Free-text remarks (UN ``COMMENTS1``) are cut to this many characters (``…`` appended)."""


class WatchlistFormatError(ValueError):
    """The watchlist file's format is unknown, unsupported, or the file is not one of
    the formats in :data:`schemas.watchlists.FORMATS` (raised by ``detect_format`` and
    ``read_watchlist``)."""


@dataclass
class RowError:
    """One problem found while reading a watchlist file.

    ``line`` is the 1-based line of the file (JSONL, CSV: the line the record starts
    on) or the 1-based record number where the format has no usable lines (UN XML:
    the n-th ``INDIVIDUAL``); ``None`` when the problem concerns the whole file.
    ``error`` is a short human-readable message (no personal data beyond the entry id).
    """

    line: int | None
    error: str

    def as_dict(self) -> dict[str, Any]:
        """``{"line": int | None, "error": str}`` — the ``errors`` item of ``watchlist inspect``."""
        return {"line": self.line, "error": self.error}


@dataclass
class WatchlistReadResult:
    """Everything read from one watchlist file.

    - ``list_id``/``format``: the list the entries belong to and the format read
      (one of :data:`schemas.watchlists.FORMATS`).
    - ``entries``: the listed persons, as canonical :class:`~schemas.records.WatchlistEntry`.
    - ``skipped``: records deliberately not imported, counted by reason
      (``"entity"`` for UN ENTITIES, …).
    - ``errors``: records that could not be read (each dropped, the import went on).
    - ``list_version``: the file's version (UN ``dateGenerated``; otherwise a content
      hash ``sha256:<16 hex>`` or the CSV ``list_version`` column).
    - ``warnings``: values dropped from an entry that was kept (unknown nationality,
      future or unreadable birth date, empty document number …); *extra field, not in
      the brief's API* — ``summary()`` leaves it out to keep the DESIGN.md shape.
    """

    list_id: str
    format: str
    entries: list[WatchlistEntry]
    skipped: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    list_version: str | None = None
    warnings: list[RowError] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The ``apis-matcher watchlist inspect`` object of DESIGN.md.

        Shape: ``{"list_id": str, "format": str, "entries": int, "individuals": int,
        "names": int, "aliases": int, "dates_of_birth": int, "documents": int,
        "skipped": {reason: int}, "errors": [{"line": int | None, "error": str}]}``.
        ``names`` counts every name of every entry (primary, alias and original-script);
        ``aliases`` only those of kind ``alias``; ``individuals`` the entries whose
        ``category`` is ``"individual"``.
        """
        return {
            "list_id": self.list_id,
            "format": self.format,
            "entries": len(self.entries),
            "individuals": sum(1 for e in self.entries if e.category == "individual"),
            "names": sum(len(e.names) for e in self.entries),
            "aliases": sum(1 for e in self.entries for n in e.names if n.kind == "alias"),
            "dates_of_birth": sum(len(e.dates_of_birth) for e in self.entries),
            "documents": sum(len(e.documents) for e in self.entries),
            "skipped": dict(self.skipped),
            "errors": [err.as_dict() for err in self.errors],
        }


def content_version(data: bytes) -> str:
    """A file version derived from its bytes: ``"sha256:"`` + the first 16 hex digits of
    the SHA-256 of ``data``. Same bytes, same version; used where a list has no version
    of its own (JSONL, CSV without a ``list_version`` column)."""
    return "sha256:" + hashlib.sha256(data).hexdigest()[:16]


def truncate(text: str | None, max_chars: int = REMARKS_MAX_CHARS) -> str | None:
    """``text`` stripped, cut to ``max_chars`` characters (the last one replaced by ``…``
    when cut); ``None`` for ``None`` or blank text."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


# --------------------------------------------------------------------------- countries

_ICAO_NON_ISO = {"XXA", "XXB", "XXC", "XXX", "UNO", "UNA", "UNK", "XOM", "XPO", "XCC"}
"""ICAO Doc 9303 codes that are not ISO 3166 (stateless, refugees, UN, KFOR …), kept as is."""

_COUNTRY_ALIASES: dict[str, str] = {
    # UN Security Council spellings that pycountry's lookup does not resolve.
    "iran (islamic republic of)": "IRN",
    "iran": "IRN",
    "state of palestine": "PSE",
    "palestine": "PSE",
    "democratic republic of the congo": "COD",
    "the democratic republic of the congo": "COD",
    "democratic people's republic of korea": "PRK",
    "north korea": "PRK",
    "republic of korea": "KOR",
    "south korea": "KOR",
    "russian federation": "RUS",
    "russia": "RUS",
    "syrian arab republic": "SYR",
    "syria": "SYR",
    "united republic of tanzania": "TZA",
    "tanzania": "TZA",
    "united kingdom of great britain and northern ireland": "GBR",
    "united kingdom": "GBR",
    "united states of america": "USA",
    "united states": "USA",
    "turkey": "TUR",
    "türkiye": "TUR",
    "turkiye": "TUR",
    "kosovo": "XKX",
    "bolivia (plurinational state of)": "BOL",
    "venezuela (bolivarian republic of)": "VEN",
    "lao people's democratic republic": "LAO",
    "viet nam": "VNM",
    "republic of moldova": "MDA",
    "côte d'ivoire": "CIV",
    "cote d'ivoire": "CIV",
}


def to_alpha3(value: str | None, *, codes: bool = True) -> str | None:
    """Map a country name or code to ISO 3166-1 alpha-3.

    Accepts alpha-2 (``DE``), alpha-3 (``DEU``), the ICAO Doc 9303 non-ISO codes
    (``XXA``, ``XXB``, ``XXC``, ``XXX`` … kept), the MRZ ``D`` (→ ``DEU``), English
    names and official names as pycountry knows them, and the UN Security Council
    spellings (``Iran (Islamic Republic of)``, ``State of Palestine`` …).
    With ``codes=False`` (lists that only ever write names, like the UN's) two- and
    three-letter inputs are not read as codes, so the UN's ``na`` (not available) is not
    taken for Namibia. Returns ``None`` for blank input or a value that cannot be
    resolved (``na``, ``former Soviet Union``) — the caller records a warning; nothing
    is raised.
    """
    if value is None:
        return None
    text = " ".join(value.split())
    if not text:
        return None
    key = text.casefold()
    if codes and key == "d":
        return "DEU"  # MRZ code for Germany (ICAO Doc 9303)
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    upper = text.upper()
    if len(upper) <= 3 and not codes:
        return None
    if len(upper) == 3 and upper in _ICAO_NON_ISO:
        return upper
    if len(upper) in (2, 3) and upper.isalpha():
        found = pycountry.countries.get(alpha_2=upper) if len(upper) == 2 else None
        if found is None and len(upper) == 3:
            found = pycountry.countries.get(alpha_3=upper)
        if found is not None:
            return str(found.alpha_3)
        if len(upper) == 2:
            return None  # a two-letter token that is no country code, e.g. "na"
    try:
        return str(pycountry.countries.lookup(text).alpha_3)
    except LookupError:
        return None


# --------------------------------------------------------------------------- scripts

_SCRIPT_BY_NAME_PREFIX: tuple[tuple[str, str], ...] = (
    ("LATIN", "Latn"),
    ("ARABIC", "Arab"),
    ("CYRILLIC", "Cyrl"),
    ("CJK", "Hani"),
    ("HANGUL", "Hang"),
    ("HIRAGANA", "Hira"),
    ("KATAKANA", "Kana"),
    ("GREEK", "Grek"),
    ("HEBREW", "Hebr"),
    ("DEVANAGARI", "Deva"),
    ("BENGALI", "Beng"),
    ("GURMUKHI", "Guru"),
    ("THAI", "Thai"),
    ("GEORGIAN", "Geor"),
    ("ARMENIAN", "Armn"),
    ("ETHIOPIC", "Ethi"),
    ("MYANMAR", "Mymr"),
    ("KHMER", "Khmr"),
    ("TAMIL", "Taml"),
    ("SYRIAC", "Syrc"),
    ("THAANA", "Thaa"),
)


def detect_script(text: str) -> str | None:
    """The ISO 15924 code of the script most letters of ``text`` are written in
    (``Latn``, ``Arab``, ``Cyrl``, ``Hani``, ``Hang``, ``Grek``, ``Hebr`` …), from the
    Unicode character names; ``None`` when ``text`` has no letters or only letters of
    scripts not in the table. Ties go to the script seen first."""
    counts: Counter[str] = Counter()
    for ch in text:
        if not (ch.isalpha() or unicodedata.category(ch) == "Lo"):
            continue
        name = unicodedata.name(ch, "")
        for prefix, code in _SCRIPT_BY_NAME_PREFIX:
            if name.startswith(prefix):
                counts[code] += 1
                break
    if not counts:
        return None
    return counts.most_common(1)[0][0]


# --------------------------------------------------------------------------- genders

_GENDERS: dict[str, Gender] = {
    "m": "M",
    "male": "M",
    "f": "F",
    "female": "F",
    "x": "X",
    "u": "U",
    "unknown": "U",
}


def to_gender(value: str | None) -> Gender | None:
    """``M``/``F``/``X``/``U`` from a list's gender field (UN ``GENDER`` ``Male``/``Female``,
    CSV ``M``/``F``/``male``…), case-insensitive; ``None`` when blank.

    Raises ``ValueError`` for any other value (callers turn it into a warning)."""
    if value is None or not value.strip():
        return None
    try:
        return _GENDERS[value.strip().casefold()]
    except KeyError:
        raise ValueError(f"unknown gender {value.strip()!r}") from None


# --------------------------------------------------------------------------- documents

_DOC_SPLIT = re.compile(r"[,;\n\r]+")
_PROSE_WORD = re.compile(r"^[^\W\d_]{4,}[.:]*$|^(?:no|nr|n°|num|#)[.:]*$", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\([^)]*\)")
_SLASH_PAIR = re.compile(r"^\s*([A-Za-z0-9-]{5,})\s*/\s*([A-Za-z0-9-]{5,})\s*$")


def split_document_numbers(raw: str | None) -> list[str]:
    """The document numbers in one list field, as published (no canonicalisation).

    Multi-value fields are split on ``,`` ``;`` and line breaks, and on ``/`` when both
    sides are whole numbers of at least 5 characters (``AB12345/CD67890``; ``S/263963``
    stays one number). The prose the UN writes into ``NUMBER`` (``French passport number
    05AT521433``, ``Libya B014995``, ``(tazkira) number 4414``) — parenthesised text,
    alphabetic words of 4+ letters and ``no.``/``nr`` — is dropped; short letter groups
    (``ZK 447-1203``, ``SE 012820``) are kept. Pieces without a digit are dropped:
    ``<<<`` or blank (case 17: an empty number must never equal another empty number)
    and trailing prose (``R00012098, South Sudan`` gives one number). Returns ``[]`` for ``None``.
    """
    if raw is None:
        return []
    numbers: list[str] = []
    for part in _DOC_SPLIT.split(raw):
        pair = _SLASH_PAIR.match(part)
        pieces = [pair.group(1), pair.group(2)] if pair else [part]
        for piece in pieces:
            tokens = _PARENTHESIS.sub(" ", piece).split()
            kept = [t for t in tokens if not _PROSE_WORD.match(t)]
            value = " ".join(kept).strip(" .:\t")
            if any(ch.isdigit() for ch in value):
                numbers.append(value)
    return numbers


def filler_only_document_numbers(raw: str | None) -> int:
    """How many values of a (multi-value) document field are not blank but empty after
    canonicalisation (:func:`matchers.normalise.canonical_document_number`): only MRZ
    fillers ``<``, punctuation or control characters (``<<<``, ``-``, ``//``). Field case
    17: such values are rejected at load and the reader records a warning. Values are
    split as :func:`split_document_numbers` splits them (``,`` ``;`` line breaks)."""
    if raw is None:
        return 0
    return sum(1 for part in _DOC_SPLIT.split(raw) if part.strip() and not canonical_document_number(part))


FILLER_ONLY_WARNING = "document number empty after clean-up, dropped"
"""The warning text readers record for :func:`filler_only_document_numbers` (case 17)."""


_PASSPORT_WORDS = ("passport", "passeport", "pasaporte")
_ID_CARD_WORDS = ("identity card", "identification card", "national identification", "national identity")
_NOT_ID_CARD_WORDS = ("ration", "birth", "social security", "fiscal", "driver", "voter", "student", "military")


def document_type_code(*raw_types: str | None) -> str | None:
    """The ``Document.type`` for a list's document type text(s): ``P`` when any text names
    a passport (``Passport``, ``national passport``, ``Numéro de passeport``,
    ``Número de pasaporte``), ``I`` for national identity cards/numbers (UN ``National
    Identification Number`` unless the sub-type says ration card, birth certificate,
    fiscal code …), otherwise the most specific raw text (stripped, trailing ``:`` and
    spaces removed); ``None`` when every text is blank."""
    texts = [" ".join(t.split()) for t in raw_types if t and t.strip()]
    if not texts:
        return None
    lowered = [t.casefold() for t in texts]
    if any(w in t for t in lowered for w in _PASSPORT_WORDS):
        return "P"
    if any(t in ("p", "i", "id", "v", "a", "c") for t in lowered) and len(texts) == 1:
        return texts[0].upper()
    if not any(w in t for t in lowered for w in _NOT_ID_CARD_WORDS) and any(
        w in t for t in lowered for w in _ID_CARD_WORDS
    ):
        return "I"
    return texts[-1].rstrip(" :")


# --------------------------------------------------------------------------- dates

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_NAMES = {
    "january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
_APPROX = re.compile(r"^(?:approximately|approx\.?|circa|ca\.?|c\.|about|around|~)\s*", re.I)
_HIJRI = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*\((?:hijri|islamic)[^)]*\)$", re.I)
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_DMY2 = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{2})$")
_MY = re.compile(r"^(\d{1,2})[/.](\d{4})$")
_YEAR_RANGE = re.compile(r"^(\d{4})\s*(?:\.\.|-|–|to)\s*(\d{4})$")
_YEAR_LIST = re.compile(r"^\d{4}(?:\s*(?:,|;|\bor\b)\s*\d{4})+$")
_WORD_DATE = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]+)\.?,?\s+(\d{4})$")
_BETWEEN_MONTHS = re.compile(r"^between\s+([A-Za-z]+)\.?\s+and\s+([A-Za-z]+)\.?\s+(\d{4})$", re.I)


def _month(word: str) -> int | None:
    key = word.casefold().rstrip(".")
    return _MONTH_NAMES.get(key) or _MONTHS.get(key) or _MONTHS.get(key[:3] if len(key) >= 3 else "")


def _partial(year: int, month: int | None = None, day: int | None = None) -> str:
    """Validate and format a full or partial date; zeros mean unknown (``1971-00-00``)."""
    if not 1800 <= year <= 2999:
        raise ValueError(f"year {year} out of range")
    if not month:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} out of range")
    if not day:
        return f"{year:04d}-{month:02d}"
    date(year, month, day)  # raises ValueError for 31 February and the like
    return f"{year:04d}-{month:02d}-{day:02d}"


def date_range(lo: str, hi: str, *, approximate: bool = False) -> EntryDate:
    """An :class:`EntryDate` range ``{from: lo, to: hi}`` (inclusive, full or partial dates)."""
    return EntryDate.model_validate({"from": lo, "to": hi, "approximate": approximate})


def hijri_to_gregorian(year: int, month: int, day: int) -> date:
    """The Gregorian date of a date of the tabular (arithmetic) Islamic calendar, civil
    epoch (1 Muharram 1 AH = 16 July 622 Julian). Observed calendars may differ by a day
    or two, so callers mark the result approximate. Raises ``ValueError`` for a month
    outside 1–12 or a day outside 1–30."""
    if not (1 <= month <= 12 and 1 <= day <= 30):
        raise ValueError(f"invalid Hijri date {day}/{month}/{year}")
    jdn = day + math.ceil(29.5 * (month - 1)) + (year - 1) * 354 + (3 + 11 * year) // 30 + 1948439
    return date.fromordinal(jdn - 1721425)


def parse_dob(raw: str | None, *, day_first: bool | None = None, today: date | None = None) -> list[EntryDate]:
    """Parse a listed date-of-birth string into :class:`EntryDate` values (case 14).

    Accepted forms (``[]`` for blank input):

    ========================== ===========================================================
    ``1971-03-22`` ``1971-03``  ISO, full or partial; ``1971-00-00`` → ``1971`` (zeros =
    ``1971``                    unknown)
    ``22/03/1971`` ``22.03.1971`` day first (lists use D/M/Y); ``00.03.1971`` → ``1971-03``;
    ``22-03-1971`` ``16-07-68``  also with ``-``; a two-digit year takes each century that
                                is not in the future and not over 120 years ago (case 06:
                                ``68`` → 1968; ``16-07-24`` → 2024 and 1924, both
                                ``ambiguous_century=True``)
    ``03/1971``                 month precision
    ``1969, 1971``              several candidate years → one ``EntryDate`` each
    ``1970-1973`` ``1970..1973`` year range → ``{from, to}``
    ``Approximately 1970``      ``approximate=True`` (also ``circa``, ``ca.``, ``about``)
    ``Nov. 1973`` ``22 March 1971`` month names, English, full or abbreviated
    ``Between Aug. and Sep. 1977`` month range → ``{from: 1977-08, to: 1977-09}``
    ``24/06/1402 (Hijri …)``    converted from the tabular Islamic calendar, approximate
    ========================== ===========================================================

    Day/month order: with ``day_first=True`` (a source that declares D/M/Y) the string
    is read that way only. With ``day_first=None`` (order unknown, the default) a string
    whose two readings are both valid and differ (``05/03/1971``: 5 March or 3 May) gives
    *both* candidates, each ``approximate=True`` so a match on either scores partial —
    never a silent guess (:func:`matchers.dates.compare_dob` treats such a swapped pair
    as two exact readings, not as a circa year). Unambiguous strings (``22/03/1971``,
    and ``03/22/1971``, where only month first names a date) give one exact date.

    Raises ``ValueError`` for anything else, and for a date after ``today`` (default: the
    current date) — a future birth date is rejected at load (GTAS #1575); callers keep
    the entry and record a warning.
    """
    if raw is None:
        return []
    text = " ".join(raw.split()).strip(" ;,")
    if not text:
        return []
    approximate = False
    stripped = _APPROX.sub("", text)
    if stripped != text:
        approximate = True
        text = stripped
    if m := _DMY2.match(text):
        # date.max only disables the future check (OFAC expiry, range ends): the century
        # of a two-digit year is then read against the current date
        century_ref = today if today is not None and today != date.max else date.today()
        dates = _two_digit_year_dob(m, approximate, day_first, century_ref)
    else:
        dates = _parse_dob_body(text, approximate, day_first)
    limit = (today or date.today()).isoformat()
    for d in dates:
        earliest = d.date or d.from_ or ""
        if earliest and earliest[: len(limit)] > limit[: len(earliest)]:
            raise ValueError(f"birth date {earliest} is in the future")
    return dates


def _two_digit_year_dob(m: re.Match[str], approximate: bool, day_first: bool | None, today: date) -> list[EntryDate]:
    """``DD-MM-YY`` (field case 06): every century that puts the date on or before
    ``today`` (the load date) with the person at most :data:`~schemas.edifact.MAX_AGE_YEARS`
    old (:func:`~schemas.edifact.birth_date_candidates`, the helper the PAXLST and PNRGOV
    decoders use); two readings are both kept, each ``ambiguous_century=True``. Zero day
    or month parts (unknown) count as the first day or month."""
    first, second, yy = int(m.group(1)), int(m.group(3)), int(m.group(5))
    orders = [(first, second)] if day_first is False else [(second, first)]  # (month, day)
    if day_first is None:
        orders.append((first, second))  # M/D/Y when D/M/Y names no date
    readings: tuple[date, ...] = ()
    for month, day in orders:
        try:
            readings = birth_date_candidates(yy, max(month, 1), max(day, 1), reference=today)
        except ValueError:
            continue
        if readings:
            break
    if not readings:
        raise ValueError(f"unreadable birth date {m.group(0)!r}")
    dates: list[EntryDate] = []
    for reading in readings:
        body = f"{m.group(1)}{m.group(2)}{m.group(3)}{m.group(4)}{reading.year}"
        dates.extend(d for d in _parse_dob_body(body, approximate, day_first) if d not in dates)
    if len(readings) > 1:
        dates = [d.model_copy(update={"ambiguous_century": True}) for d in dates]
    return dates


def _parse_dob_body(text: str, approximate: bool, day_first: bool | None) -> list[EntryDate]:
    if m := _ISO.match(text):
        y, mo, d = (int(g) if g else 0 for g in m.groups())
        return [EntryDate(date=_partial(y, mo, d), approximate=approximate)]
    if m := _HIJRI.match(text):
        g = hijri_to_gregorian(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return [EntryDate(date=g.isoformat(), approximate=True)]
    if m := _DMY.match(text):
        d, mo, y = (int(g) for g in m.groups())
        if day_first is None and d != mo and 1 <= d <= 12 and 1 <= mo <= 12:
            return [
                EntryDate(date=_partial(y, mo, d), approximate=True),
                EntryDate(date=_partial(y, d, mo), approximate=True),
            ]
        if day_first is False or (day_first is None and mo > 12 and 1 <= d <= 12):
            d, mo = mo, d  # declared M/D/Y, or order unknown and only M/D/Y names a date
        return [EntryDate(date=_partial(y, mo, d), approximate=approximate)]
    if m := _MY.match(text):
        mo, y = int(m.group(1)), int(m.group(2))
        return [EntryDate(date=_partial(y, mo), approximate=approximate)]
    if m := _YEAR_RANGE.match(text):
        lo, hi = int(m.group(1)), int(m.group(2))
        if lo > hi:
            raise ValueError(f"year range {lo}-{hi} runs backwards")
        return [date_range(_partial(lo), _partial(hi), approximate=approximate)]
    if _YEAR_LIST.match(text):
        years = sorted({int(y) for y in re.findall(r"\d{4}", text)})
        return [EntryDate(date=_partial(y), approximate=approximate) for y in years]
    if m := _BETWEEN_MONTHS.match(text):
        m1, m2, y = _month(m.group(1)), _month(m.group(2)), int(m.group(3))
        if m1 and m2:
            return [date_range(_partial(y, m1), _partial(y, m2), approximate=approximate)]
    if m := _WORD_DATE.match(text):
        word_month = _month(m.group(2))
        if word_month:
            day_of_month = int(m.group(1)) if m.group(1) else None
            return [EntryDate(date=_partial(int(m.group(3)), word_month, day_of_month), approximate=approximate)]
    raise ValueError(f"unreadable birth date {text!r}")


# --------------------------------------------------------------------------- text decoding


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a list file's bytes without assuming its encoding.

    Returns ``(text, encoding)``: UTF-8 (a BOM is dropped) when the bytes are valid
    UTF-8, else Windows-1252 (the encoding of the UK HMT and OFAC legacy files), else
    ISO 8859-1, which decodes any byte string. Never raises."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


_DEMONYMS: dict[str, str] = {
    "afghan": "AFG", "albanian": "ALB", "algerian": "DZA", "american": "USA", "angolan": "AGO",
    "argentine": "ARG", "argentinian": "ARG", "armenian": "ARM", "australian": "AUS", "austrian": "AUT",
    "azerbaijani": "AZE", "bahraini": "BHR", "bangladeshi": "BGD", "belarusian": "BLR", "belarussian": "BLR",
    "belgian": "BEL", "bosnian": "BIH", "brazilian": "BRA", "british": "GBR", "burmese": "MMR",
    "burundian": "BDI", "cambodian": "KHM", "cameroonian": "CMR", "canadian": "CAN", "chadian": "TCD",
    "chinese": "CHN", "colombian": "COL", "congolese": "COD", "croatian": "HRV", "cuban": "CUB",
    "danish": "DNK", "djiboutian": "DJI", "dutch": "NLD", "egyptian": "EGY", "emirati": "ARE",
    "eritrean": "ERI", "ethiopian": "ETH", "filipino": "PHL", "french": "FRA", "gambian": "GMB",
    "georgian": "GEO", "german": "DEU", "ghanaian": "GHA", "greek": "GRC", "guinean": "GIN",
    "indian": "IND", "indonesian": "IDN", "iranian": "IRN", "iraqi": "IRQ", "irish": "IRL",
    "israeli": "ISR", "italian": "ITA", "ivorian": "CIV", "jordanian": "JOR", "kazakh": "KAZ",
    "kenyan": "KEN", "kosovar": "XKX", "kuwaiti": "KWT", "kyrgyz": "KGZ", "lebanese": "LBN",
    "liberian": "LBR", "libyan": "LBY", "malaysian": "MYS", "malian": "MLI", "mauritanian": "MRT",
    "mexican": "MEX", "moldovan": "MDA", "montenegrin": "MNE", "moroccan": "MAR", "nigerian": "NGA",
    "nigerien": "NER", "north korean": "PRK", "norwegian": "NOR", "omani": "OMN", "pakistani": "PAK",
    "palestinian": "PSE", "peruvian": "PER", "polish": "POL", "qatari": "QAT", "romanian": "ROU",
    "russian": "RUS", "rwandan": "RWA", "saudi": "SAU", "saudi arabian": "SAU", "senegalese": "SEN",
    "serbian": "SRB", "sierra leonean": "SLE", "singaporean": "SGP", "somali": "SOM",
    "south african": "ZAF", "south korean": "KOR", "south sudanese": "SSD", "spanish": "ESP",
    "sri lankan": "LKA", "sudanese": "SDN", "swedish": "SWE", "swiss": "CHE", "syrian": "SYR",
    "tajik": "TJK", "tanzanian": "TZA", "thai": "THA", "tunisian": "TUN", "turkish": "TUR",
    "turkmen": "TKM", "ugandan": "UGA", "ukrainian": "UKR", "uzbek": "UZB", "venezuelan": "VEN",
    "vietnamese": "VNM", "yemeni": "YEM", "zimbabwean": "ZWE",
}  # fmt: skip
"""English nationality adjectives (UK HMT ``Nationality``: ``Afghan``, ``Saudi Arabian``) → alpha-3."""

_LIST_COUNTRY_NAMES: dict[str, str] = {
    # Spellings of the US (OFAC) and UK (HMT) lists that pycountry's lookup does not resolve.
    "burma": "MMR",
    "korea, north": "PRK",
    "korea, south": "KOR",
    "congo, democratic republic of the": "COD",
    "congo, republic of the": "COG",
    "the gambia": "GMB",
    "gambia, the": "GMB",
    "macedonia, the former yugoslav republic of": "MKD",
    "macedonia": "MKD",
    "west bank": "PSE",
    "gaza": "PSE",
    "palestinian": "PSE",
    "cabo verde": "CPV",
    "libyan arab jamahiriya": "LBY",
    "libyan arab jamahirya": "LBY",
    "vietnam": "VNM",
    "laos": "LAO",
    "hong kong": "HKG",
    "macau": "MAC",
    "uk": "GBR",
    "usa": "USA",
    "us": "USA",
}


def country_or_nationality_to_alpha3(value: str | None) -> str | None:
    """Alpha-3 for a country *name or nationality adjective* as the US/UK/EU lists write
    them (``Iran``, ``Korea, North``, ``Burma``, ``Afghan``, ``Saudi Arabian``, ``North
    Korean``), after :func:`to_alpha3` (with ``codes=False``) fails. Qualifiers the lists
    add (``possibly``, ``citizenship``, ``national``, a trailing ``(…)``) are dropped
    first. Former states (``USSR``) give ``None``. Returns ``None``
    for blank or unresolvable text; never raises."""
    if value is None:
        return None
    text = " ".join(_PARENTHESIS.sub(" ", value).split()).strip(" .,;")
    text = re.sub(r"^(?:possibly|probably|stateless|believed to be)\s+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s+(?:citizenship|national|nationality|origin)\b.*$", "", text, flags=re.IGNORECASE)
    key = text.casefold()
    if not key:
        return None
    if key in _DEMONYMS:
        return _DEMONYMS[key]
    if key in _LIST_COUNTRY_NAMES:
        return _LIST_COUNTRY_NAMES[key]
    return to_alpha3(text, codes=False)


def invalid_text(exc: Exception, *, what: str = "entry", fallback_loc: str = "row") -> str:
    """The row error reported for a record that does not validate: ``invalid {what}:
    {field path}: {pydantic's message}`` for the first validation error, else ``str(exc)``."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or fallback_loc
        return f"invalid {what}: {loc}: {first['msg']}"
    return str(exc)


def future_birth_dates(dates: Iterable[EntryDate], today: date) -> list[EntryDate]:
    """The dates of birth wholly after ``today``: an exact or partial ``date``, or a range
    whose ``from`` is after it (``2026-12`` is after 2026-11-29, ``2026`` is not). Field
    cases 06 and 14: a future birth date is a data error, dropped and never compared."""
    limit = today.isoformat()
    return [d for d in dates if (first := d.date or d.from_) is not None and first > limit[: len(first)]]


def future_birth_date_warning(d: EntryDate) -> str:
    """The warning text for a dropped future date of birth (readers and the REST API)."""
    return f"date of birth dropped: birth date {d.date or d.from_} is in the future"

