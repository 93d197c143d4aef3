"""Reader for the EU Financial Sanctions Files (FSF) consolidated list, 2018 CSV layout.

One header row, then rows whose fields are separated by ``;`` (the separator is taken
from the header: ``;`` when it has more semicolons than commas, else ``,``). Published
files wrap each whole line in double quotes and pad it with tabs; both are removed.
Encoding detected (:func:`~.common.decode_text`; the published files are Latin-1).

The rows of one subject share ``Entity_logical_id`` (the second column; the header
repeats that name in every section, only the first is used) and together form the cross
product of its sections — names (``Naal_*``), addresses (``Addr_*``), births
(``Birt_*``), identifications (``Iden_*``), citizenships (``Citi_*``) — so the same value
appears on many rows; every value is kept once per subject.

=============================== ==============================================================
column                          becomes
=============================== ==============================================================
Entity_logical_id               ``entry_id``
Subject_type                    ``P`` (person) → an entry; ``E`` (enterprise) → ``skipped["entity"]``
Naal_wholename (else first +    names: the first is primary, the rest aliases; ``surname``
middle + last), Naal_lastname,  ``given_names`` from the split columns
Naal_firstname, Naal_middlename
Naal_gender                     ``genders``
Birt_date, Birt_place,          ``dates_of_birth`` (ISO, ``N/A`` = none), ``places_of_birth``
Birt_country                    (``place, country``)
Iden_number, Iden_country       documents: ``AD001095 (passport-National passport) …`` →
                                ``P``; ``(id-…)`` → ``I``; other kinds keep type ``None``
Citi_country                    ``citizenships`` (alpha-3)
Programme                       ``programme``;  Entity_remark → ``remarks`` (truncated)
=============================== ==============================================================

A row with the wrong number of fields or no ``Entity_logical_id`` is a
:class:`~.common.RowError` with its 1-based line; the rest of the file is read (a list
cut short — the sample is the first 999 rows — simply ends with the last subject read).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from schemas.records import Document, EntryDate, EntryName, Gender, WatchlistEntry

from .common import (
    FILLER_ONLY_WARNING,
    RowError,
    WatchlistReadResult,
    content_version,
    decode_text,
    detect_script,
    filler_only_document_numbers,
    parse_dob,
    to_alpha3,
    to_gender,
    truncate,
)

FORMAT = "eu-fsf-csv"
DEFAULT_LIST_ID = "eu-fsf"
_NONE_VALUES = {"", "n/a", "na", "unknown"}
_IDEN = re.compile(r"^(?P<number>.*?)\s*\((?P<kind>[a-z]+)-[^)]*\)", re.IGNORECASE)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    text = " ".join(value.replace('""', '"').split()).strip(' "')
    return None if text.casefold() in _NONE_VALUES else text


def parse_identification(raw: str | None) -> Document | None:
    """``Iden_number`` → Document: ``"AD001095 (passport-National passport) ((passport))"``
    → ``Document(type="P", number="AD001095")``; kind ``id`` → ``I``; other kinds (``other-…``)
    → type ``None``. Text without a kind is taken whole as the number. ``None`` for a
    blank cell or one without any digit. Never raises."""
    text = _clean(raw)
    if text is None:
        return None
    m = _IDEN.match(text)
    number, kind = (m.group("number"), m.group("kind").casefold()) if m else (text, "")
    number = number.strip(" .,;")
    if not any(ch.isdigit() for ch in number):
        return None
    doc_type = {"passport": "P", "id": "I"}.get(kind)
    return Document(type=doc_type, number=number)


@dataclass
class _Subject:
    line: int
    entity_id: str
    subject_type: str
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _split_line(line: str, sep: str) -> list[str]:
    text = line.rstrip("\r").rstrip("\t ")
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        text = text[1:-1]
    return text.rstrip("\t ").split(sep)


def read_eu_fsf_csv(path: Path, *, list_id: str | None = None) -> WatchlistReadResult:
    """Read an EU FSF consolidated list CSV (layout of the module docstring).

    ``list_id`` defaults to ``"eu-fsf"``; ``list_version`` is the file date of the first
    row (``Date_file`` ``DD/MM/YYYY`` → ``YYYY-MM-DD``), else ``sha256:<16 hex>`` of the
    file. Returns a :class:`WatchlistReadResult`: one entry per person subject, other
    subjects in ``skipped`` (``entity`` for ``E``), bad rows in ``errors``. Raises
    ``OSError`` when the file cannot be read.
    """
    data = Path(path).read_bytes()
    text, _encoding = decode_text(data)
    lid = list_id or DEFAULT_LIST_ID
    result = WatchlistReadResult(list_id=lid, format=FORMAT, entries=[], list_version=content_version(data))
    lines = text.split("\n")
    header: list[str] | None = None
    sep = ";"
    subjects: dict[str, _Subject] = {}
    for line_no, line in enumerate(lines, start=1):
        if not line.strip(' \t\r"'):
            continue
        if header is None:
            sep = ";" if line.count(";") > line.count(",") else ","
            header = [c.strip().casefold() for c in _split_line(line, sep)]
            if "entity_logical_id" not in header:
                result.errors.append(RowError(line_no, "header has no Entity_logical_id column"))
                return result
            continue
        cells = _split_line(line, sep)
        if len(cells) != len(header):
            result.errors.append(RowError(line_no, f"{len(cells)} fields for {len(header)} columns, row dropped"))
            continue
        row: dict[str, str] = {}
        for name, value in zip(header, cells, strict=True):
            row.setdefault(name, value)  # the repeated Entity_logical_id columns: keep the first
        entity_id = _clean(row.get("entity_logical_id"))
        if entity_id is None:
            result.errors.append(RowError(line_no, "row without Entity_logical_id, dropped"))
            continue
        if (result.list_version or "").startswith("sha256:") and (
            m := re.match(r"^(\d{2})/(\d{2})/(\d{4})$", (_clean(cells[0]) or ""))
        ):
            result.list_version = f"{m.group(3)}-{m.group(2)}-{m.group(1)}"
        subject = subjects.get(entity_id)
        if subject is None:
            subject_type = (_clean(row.get("subject_type")) or "").upper()
            subject = subjects[entity_id] = _Subject(line=line_no, entity_id=entity_id, subject_type=subject_type)
        subject.rows.append((line_no, row))

    version = result.list_version or ""
    for subject in subjects.values():
        if subject.subject_type != "P":
            reason = "entity" if subject.subject_type == "E" else f"subject type {subject.subject_type or '?'}"
            result.skipped[reason] = result.skipped.get(reason, 0) + 1
            continue
        try:
            entry = _subject_to_entry(subject, list_id=lid, version=version, warnings=result.warnings)
        except (ValueError, ValidationError) as exc:
            result.errors.append(RowError(subject.line, f"{subject.entity_id}: {exc}"[:300]))
            continue
        result.entries.append(entry)
    return result


def _subject_to_entry(subject: _Subject, *, list_id: str, version: str, warnings: list[RowError]) -> WatchlistEntry:
    """Deduplicate the cross-product rows of one person. Raises ``ValueError`` without a name."""
    names: list[EntryName] = []
    dates: list[EntryDate] = []
    places: list[str] = []
    citizenships: list[str] = []
    genders: list[Gender] = []
    documents: list[Document] = []
    seen: set[tuple[str, str]] = set()
    programme = remarks = None

    def warn(line: int, message: str) -> None:
        warnings.append(RowError(line, f"{subject.entity_id}: {message}"))

    for line, row in subject.rows:
        last, first, middle = (_clean(row.get(k)) for k in ("naal_lastname", "naal_firstname", "naal_middlename"))
        given = " ".join(p for p in (first, middle) if p) or None
        whole = _clean(row.get("naal_wholename")) or " ".join(p for p in (given, last) if p)
        if whole and not any(n.full_name.casefold() == whole.casefold() for n in names):
            names.append(
                EntryName(
                    full_name=whole,
                    surname=last,
                    given_names=given,
                    script=detect_script(whole),
                    kind="alias" if names else "primary",
                )
            )
        raw_gender = _clean(row.get("naal_gender"))
        if raw_gender:
            try:
                gender = to_gender(raw_gender)
            except ValueError as exc:
                warn(line, str(exc))
            else:
                if gender and gender not in genders:
                    genders.append(gender)
        raw_date = _clean(row.get("birt_date"))
        if raw_date and ("dob", raw_date) not in seen:
            seen.add(("dob", raw_date))
            try:
                dates.extend(d for d in parse_dob(raw_date, day_first=True) if d not in dates)
            except ValueError as exc:
                warn(line, f"date of birth dropped: {exc}")
        place = ", ".join(p for p in (_clean(row.get("birt_place")), _clean(row.get("birt_country"))) if p)
        if place and place not in places:
            places.append(place)
        doc = parse_identification(row.get("iden_number"))
        if doc is None and filler_only_document_numbers(row.get("iden_number")):
            warn(line, FILLER_ONLY_WARNING)
        if doc is not None:
            raw_country = _clean(row.get("iden_country"))
            if raw_country:
                doc = doc.model_copy(update={"issuing_country": to_alpha3(raw_country)})
            if not any(d.number == doc.number for d in documents):
                documents.append(doc)
        raw_citi = _clean(row.get("citi_country"))
        if raw_citi:
            code = to_alpha3(raw_citi)
            if code is None:
                warn(line, f"citizenship {raw_citi!r} not recognised, dropped")
            elif code not in citizenships:
                citizenships.append(code)
        programme = programme or _clean(row.get("programme"))
        remarks = remarks or _clean(row.get("entity_remark"))
    if not names:
        raise ValueError("person without any name")
    return WatchlistEntry(
        list_id=list_id,
        entry_id=subject.entity_id,
        names=names,
        dates_of_birth=dates,
        places_of_birth=places,
        citizenships=citizenships,
        genders=genders,
        documents=documents,
        category="individual",
        programme=programme,
        remarks=truncate(remarks),
        list_version=version,
    )
