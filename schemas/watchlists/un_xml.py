"""Reader for the UN Security Council Consolidated List XML (schema ``sc-sanctions.xsd``).

Structure read (element names as the UN publishes them)::

    CONSOLIDATED_LIST[@dateGenerated]          → list_version
      INDIVIDUALS/INDIVIDUAL                   → one WatchlistEntry each
        REFERENCE_NUMBER (e.g. ``QDi.001``)    → entry_id (DATAID when the reference is blank)
        FIRST_NAME … FOURTH_NAME               → primary name, in that order
        NAME_ORIGINAL_SCRIPT                   → name of kind ``original_script`` (script detected)
        INDIVIDUAL_ALIAS/QUALITY, ALIAS_NAME   → aliases (``;``-separated names and
                         parenthesised ``(a; b)`` lists split, see split_names);
                         DATE_OF_BIRTH, CITY_/COUNTRY_OF_BIRTH → extra birth data
        INDIVIDUAL_DATE_OF_BIRTH               → dates_of_birth (TYPE_OF_DATE EXACT /
                         APPROXIMATELY / BETWEEN; DATE, YEAR, FROM_YEAR/TO_YEAR, NOTE)
        INDIVIDUAL_PLACE_OF_BIRTH              → places_of_birth ("street, city, state, country")
        NATIONALITY/VALUE                      → nationalities (alpha-3)
        INDIVIDUAL_DOCUMENT                    → documents (TYPE_OF_DOCUMENT[2], NUMBER,
                         ISSUING_COUNTRY or COUNTRY_OF_ISSUE)
        GENDER (``Male``/``Female``)           → genders
        UN_LIST_TYPE                           → programme;  COMMENTS1 → remarks (truncated)
      ENTITIES/ENTITY                          → skipped, counted under ``skipped["entity"]``

The file is streamed with :func:`xml.etree.ElementTree.iterparse` and each record is
cleared once read, so memory stays flat. ``ElementTree`` never fetches external
entities; files that declare entities (``<!ENTITY``) are refused outright.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from schemas.records import Document, EntryDate, EntryName, Gender, WatchlistEntry

from .common import (
    FILLER_ONLY_WARNING,
    RowError,
    WatchlistFormatError,
    WatchlistReadResult,
    detect_script,
    document_type_code,
    filler_only_document_numbers,
    invalid_text,
    parse_dob,
    split_document_numbers,
    to_alpha3,
    to_gender,
    truncate,
)

FORMAT = "un-xml"
DEFAULT_LIST_ID = "un-sc"
ROOT_TAG = "CONSOLIDATED_LIST"

_T = TypeVar("_T")
_PAREN = re.compile(r"\(([^)]*)\)")
_ORIGINAL_PREFIX = re.compile(r"^original script\s*:\s*", re.IGNORECASE)
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_QUALITY = {"good": "good", "low": "low", "a.k.a.": "aka", "f.k.a.": "fka", "n.k.a.": "nka"}


def _text(elem: ET.Element | None, tag: str | None = None) -> str | None:
    """Whitespace-normalised text of ``elem`` (or its child ``tag``); ``None`` when blank."""
    if elem is not None and tag is not None:
        elem = elem.find(tag)
    if elem is None or elem.text is None:
        return None
    value = " ".join(elem.text.split())
    return value or None


class _Warnings:
    """Collects per-record warnings (value dropped, entry kept)."""

    def __init__(self, sink: list[RowError], record_no: int, entry_id: str) -> None:
        self._sink = sink
        self._record_no = record_no
        self._entry_id = entry_id

    def add(self, message: str) -> None:
        self._sink.append(RowError(self._record_no, f"{self._entry_id}: {message}"))


def _dob(elem: ET.Element, warn: _Warnings) -> list[EntryDate]:
    """One INDIVIDUAL_DATE_OF_BIRTH → 0..n EntryDate (see module docstring)."""
    kind = (_text(elem, "TYPE_OF_DATE") or "").upper()
    full = _text(elem, "DATE")
    year = _text(elem, "YEAR")
    lo, hi = _text(elem, "FROM_YEAR"), _text(elem, "TO_YEAR")
    note = _text(elem, "NOTE")
    approximate = kind == "APPROXIMATELY" or (note or "").casefold().startswith("approx")
    if kind == "BETWEEN" or (lo and hi):
        if not (lo and hi):
            warn.add("BETWEEN date of birth without FROM_YEAR/TO_YEAR")
            return []
        raw = f"{lo}..{hi}"
    elif full:
        raw = full
    elif year:
        # ``<YEAR>1958</YEAR><NOTE>Sep.</NOTE>``: the note adds the month.
        raw = f"{note} {year}" if note and note.rstrip(".").isalpha() else year
    elif note:
        raw = note
    else:
        return []  # an empty element: no date given
    try:
        dates = parse_dob(raw, day_first=True)
    except ValueError as exc:
        if raw != year and year:
            dates = parse_dob(year, day_first=True)
        else:
            warn.add(f"date of birth dropped: {exc}")
            return []
    if approximate:
        dates = [d.model_copy(update={"approximate": True}) for d in dates]
    return dates


def split_names(text: str | None) -> list[str]:
    """The names in one UN name field (``ALIAS_NAME``, ``NAME_ORIGINAL_SCRIPT``).

    ``;`` separates names. A parenthesised group is read as further names when it is a
    ``;`` list, is written in another script than the text around it, or starts with
    ``original script:`` (``حسن غول (Hassan Ghul; Hasan Gul)`` → three names,
    ``Jin Tiesan (金铁三)`` → two); any other group is a note and is dropped
    (``EL PARA (COMBAT NAME)`` → ``EL PARA``), as is a group holding digits.
    Whitespace normalised, trailing commas stripped, empty parts dropped."""
    if not text:
        return []
    outer = _PAREN.sub(";", text)
    outer_script = detect_script(outer)
    parts = outer.split(";")
    for group in _PAREN.findall(text):
        body = group.strip()
        if any(ch.isdigit() for ch in body):
            continue
        prefixed = _ORIGINAL_PREFIX.match(body)
        if prefixed:
            parts.append(body[prefixed.end() :])
        elif ";" in body or detect_script(body) != outer_script:
            parts.extend(body.split(";"))
    return [name for name in (" ".join(p.split()).strip(" ,") for p in parts) if name]


def _place(elem: ET.Element) -> str | None:
    parts = [_text(elem, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")]
    place = ", ".join(p for p in parts if p)
    return place or None


def _documents(elem: ET.Element, warn: _Warnings) -> list[Document]:
    number_elem = elem.find("NUMBER")
    raw_number = number_elem.text if number_elem is not None else None
    if raw_number is None or not raw_number.strip():
        return []
    doc_type = document_type_code(_text(elem, "TYPE_OF_DOCUMENT"), _text(elem, "TYPE_OF_DOCUMENT2"))
    raw_country = _text(elem, "ISSUING_COUNTRY") or _text(elem, "COUNTRY_OF_ISSUE")
    country = to_alpha3(raw_country, codes=False)
    if raw_country and country is None:
        warn.add(f"document issuing country {raw_country!r} not recognised")
    numbers = split_document_numbers(raw_number)
    if not numbers or filler_only_document_numbers(raw_number):
        warn.add(FILLER_ONLY_WARNING)
    return [Document(type=doc_type, number=n, issuing_country=country) for n in numbers]


def _individual(
    elem: ET.Element, *, list_id: str, list_version: str | None, record_no: int, warnings: list[RowError]
) -> WatchlistEntry:
    """Convert one INDIVIDUAL element. Raises ``ValueError`` (incl. pydantic's
    ``ValidationError``) when the record has no id or no name."""
    entry_id = _text(elem, "REFERENCE_NUMBER") or _text(elem, "DATAID")
    if entry_id is None:
        raise ValueError("INDIVIDUAL without REFERENCE_NUMBER or DATAID")
    warn = _Warnings(warnings, record_no, entry_id)

    names: list[EntryName] = []
    seen: set[tuple[str, str]] = set()

    def add_name(full: str, kind: str, quality: str | None = None) -> None:
        key = (full.casefold(), kind)
        if key in seen:
            return
        seen.add(key)
        names.append(
            EntryName(full_name=full, script=detect_script(full), quality=quality, kind=kind)  # type: ignore[arg-type]
        )

    primary = " ".join(p for p in (_text(elem, t) for t in _NAME_PARTS) if p)
    if not primary:
        raise ValueError(f"{entry_id}: INDIVIDUAL without a name")
    add_name(primary, "primary")
    for original in elem.findall("NAME_ORIGINAL_SCRIPT"):
        for part in split_names(_text(original)):
            add_name(part, "original_script")

    dates: list[EntryDate] = []
    places: list[str] = []
    for alias in elem.findall("INDIVIDUAL_ALIAS"):
        raw_quality = _text(alias, "QUALITY")
        quality = _QUALITY.get(raw_quality.casefold(), raw_quality.casefold()) if raw_quality else None
        for part in split_names(_text(alias, "ALIAS_NAME")):
            add_name(part, "alias", quality)
        if alias_dob := _text(alias, "DATE_OF_BIRTH"):
            try:
                dates.extend(parse_dob(alias_dob, day_first=True))
            except ValueError as exc:
                warn.add(f"alias date of birth dropped: {exc}")
        alias_place = ", ".join(p for p in (_text(alias, "CITY_OF_BIRTH"), _text(alias, "COUNTRY_OF_BIRTH")) if p)
        if alias_place:
            places.append(alias_place)

    main_dates: list[EntryDate] = []
    for dob in elem.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        main_dates.extend(_dob(dob, warn))
    main_places = [p for p in (_place(pob) for pob in elem.findall("INDIVIDUAL_PLACE_OF_BIRTH")) if p]

    nationalities: list[str] = []
    for value in elem.findall("NATIONALITY/VALUE"):
        raw = _text(value)
        if raw is None:
            continue
        code = to_alpha3(raw, codes=False)
        if code is None:
            warn.add(f"nationality {raw!r} not recognised, dropped")
        elif code not in nationalities:
            nationalities.append(code)

    genders: list[Gender] = []
    for g in elem.findall("GENDER"):
        try:
            gender = to_gender(_text(g))
        except ValueError as exc:
            warn.add(str(exc))
            continue
        if gender and gender not in genders:
            genders.append(gender)

    documents: list[Document] = []
    for doc in elem.findall("INDIVIDUAL_DOCUMENT"):
        for d in _documents(doc, warn):
            if d not in documents:
                documents.append(d)

    return WatchlistEntry(
        list_id=list_id,
        entry_id=entry_id,
        names=names,
        dates_of_birth=_unique(main_dates + dates),
        places_of_birth=_unique(main_places + places),
        nationalities=nationalities,
        genders=genders,
        documents=documents,
        category="individual",
        programme=_text(elem, "UN_LIST_TYPE"),
        remarks=truncate(_text(elem, "COMMENTS1")),
        list_version=list_version,
    )


def _unique(items: list[_T]) -> list[_T]:
    out: list[_T] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def read_un_xml(path: Path, *, list_id: str | None = None) -> WatchlistReadResult:
    """Read a UN Security Council Consolidated List XML file.

    Returns a :class:`WatchlistReadResult` with one entry per ``INDIVIDUAL``
    (``entry_id`` = ``REFERENCE_NUMBER``, e.g. ``QDi.001``; ``DATAID`` when blank),
    ``skipped["entity"]`` = the number of ``ENTITY`` records, ``list_version`` = the
    root's ``dateGenerated`` attribute, ``list_id`` default ``"un-sc"``.
    A record that cannot be converted becomes a :class:`RowError` whose ``line`` is
    its 1-based ``INDIVIDUAL`` number; malformed XML ends the read with one error at the
    parser's line, keeping the entries read so far.

    Raises ``OSError`` when the file cannot be read and :class:`WatchlistFormatError`
    when the root element is not ``CONSOLIDATED_LIST`` or the file declares entities.
    """
    lid = list_id or DEFAULT_LIST_ID
    result = WatchlistReadResult(list_id=lid, format=FORMAT, entries=[])
    with path.open("rb") as fh:
        head = fh.read(4096)
        if b"<!ENTITY" in head:
            raise WatchlistFormatError(f"{path}: XML entity declarations are not accepted")
        fh.seek(0)
        record_no = 0
        skipped_entities = 0
        seen_ids: set[str] = set()
        root_seen = False
        try:
            for event, elem in ET.iterparse(fh, events=("start", "end")):
                if event == "start":
                    if not root_seen:
                        root_seen = True
                        if elem.tag != ROOT_TAG:
                            raise WatchlistFormatError(f"{path}: root element {elem.tag!r} is not {ROOT_TAG}")
                        result.list_version = elem.get("dateGenerated")
                    continue
                if elem.tag == "INDIVIDUAL":
                    record_no += 1
                    try:
                        entry = _individual(
                            elem,
                            list_id=lid,
                            list_version=result.list_version,
                            record_no=record_no,
                            warnings=result.warnings,
                        )
                    except (ValueError, ValidationError) as exc:
                        result.errors.append(RowError(record_no, _short(exc)))
                    else:
                        if entry.entry_id in seen_ids:
                            result.errors.append(RowError(record_no, f"{entry.entry_id}: duplicate entry id, ignored"))
                        else:
                            seen_ids.add(entry.entry_id)
                            result.entries.append(entry)
                    elem.clear()
                elif elem.tag == "ENTITY":
                    skipped_entities += 1
                    elem.clear()
        except ET.ParseError as exc:
            result.errors.append(RowError(exc.position[0], f"malformed XML: {exc}"))
        if not root_seen:
            raise WatchlistFormatError(f"{path}: no XML root element")
    if skipped_entities:
        result.skipped["entity"] = skipped_entities
    return result


def _short(exc: Exception) -> str:
    return invalid_text(exc, what="record", fallback_loc="")
