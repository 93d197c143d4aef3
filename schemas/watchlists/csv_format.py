"""Reader for our own CSV watchlist format (agencies' own lists, the demo).

UTF-8 (a BOM is tolerated), comma-separated, RFC 4180 quoting, one header row, one
listed person per row. Column order is free; unknown columns are ignored; header names
are matched case-insensitively after trimming. Multi-value cells use ``;``.

==================== ========= ===========================================================
column               required  content
==================== ========= ===========================================================
entry_id             yes       the list's id for the person (``DEMO-001``)
surname              \\*        family name(s) as listed
given_names          \\*        given name(s) as listed
full_name            \\*        the whole name; default ``given_names surname``
aliases              no        ``;``-separated alias full names
original_script_names no       ``;``-separated names in their own script (script detected)
date_of_birth        no        ``;``-separated; each ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``
                               or a range ``YYYY..YYYY`` (the other forms of
                               :func:`~schemas.watchlists.common.parse_dob` are accepted
                               too); ``approximately YYYY`` marks circa
place_of_birth       no        ``;``-separated free text
nationality          no        ``;``-separated ISO 3166 alpha-2 or alpha-3 (or ICAO 9303
                               ``XXA``…); stored as alpha-3
gender               no        ``M``, ``F``, ``X``, ``U`` (or ``male``/``female``)
document_number      no        ``;``-separated numbers of the same type and country
document_type        no        ICAO/EDIFACT document code as sent (``P``, ``I``, ``ID``…)
document_country     no        issuing country, alpha-2 or alpha-3
category             no        default ``individual``
programme            no        sanctions programme / list section
remarks              no        free text
list_version         no        the list's own version; default a hash of the file
==================== ========= ===========================================================

\\* at least one of ``surname``, ``given_names``, ``full_name``.

A row without ``entry_id`` or without any name, or repeating an ``entry_id``, is an
error (the row is dropped). A bad value in an optional column (unreadable or future
date, unknown country or gender, empty document number) drops only that value and adds
a warning; the person stays listed.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pydantic import ValidationError

from schemas.records import Document, EntryDate, EntryName, Gender, WatchlistEntry

from .common import (
    FILLER_ONLY_WARNING,
    RowError,
    WatchlistReadResult,
    content_version,
    detect_script,
    filler_only_document_numbers,
    invalid_text,
    parse_dob,
    split_document_numbers,
    to_alpha3,
    to_gender,
)

FORMAT = "csv"
COLUMNS = (
    "entry_id",
    "surname",
    "given_names",
    "full_name",
    "aliases",
    "original_script_names",
    "date_of_birth",
    "place_of_birth",
    "nationality",
    "gender",
    "document_number",
    "document_type",
    "document_country",
    "category",
    "programme",
    "remarks",
    "list_version",
)
"""Every column the reader understands, in the order the sample file uses."""


def _cell(row: dict[str, str], name: str) -> str | None:
    value = row.get(name)
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def _multi(row: dict[str, str], name: str) -> list[str]:
    value = row.get(name) or ""
    return [" ".join(p.split()) for p in value.split(";") if p.strip()]


def _row_to_entry(
    row: dict[str, str], *, line: int, list_id: str, version: str, warnings: list[RowError]
) -> WatchlistEntry:
    """Convert one CSV row; raises ``ValueError``/``ValidationError`` for a row to drop."""
    entry_id = _cell(row, "entry_id")
    if entry_id is None:
        raise ValueError("missing entry_id")

    def warn(message: str) -> None:
        warnings.append(RowError(line, f"{entry_id}: {message}"))

    surname, given = _cell(row, "surname"), _cell(row, "given_names")
    full = _cell(row, "full_name") or " ".join(p for p in (given, surname) if p)
    if not full:
        raise ValueError(f"{entry_id}: no name (surname, given_names or full_name)")
    names = [EntryName(full_name=full, surname=surname, given_names=given, script=detect_script(full), kind="primary")]
    for alias in _multi(row, "aliases"):
        names.append(EntryName(full_name=alias, script=detect_script(alias), kind="alias"))
    for original in _multi(row, "original_script_names"):
        names.append(EntryName(full_name=original, script=detect_script(original), kind="original_script"))

    dates: list[EntryDate] = []
    for raw in _multi(row, "date_of_birth"):
        try:
            dates.extend(d for d in parse_dob(raw) if d not in dates)
        except ValueError as exc:
            warn(f"date of birth dropped: {exc}")

    nationalities: list[str] = []
    for raw in _multi(row, "nationality"):
        code = to_alpha3(raw)
        if code is None:
            warn(f"nationality {raw!r} not recognised, dropped")
        elif code not in nationalities:
            nationalities.append(code)

    genders: list[Gender] = []
    try:
        gender = to_gender(_cell(row, "gender"))
    except ValueError as exc:
        warn(str(exc))
    else:
        if gender:
            genders.append(gender)

    documents: list[Document] = []
    raw_numbers = row.get("document_number") or ""
    if raw_numbers.strip():
        raw_country = _cell(row, "document_country")
        country = to_alpha3(raw_country)
        if raw_country and country is None:
            warn(f"document country {raw_country!r} not recognised")
        numbers = split_document_numbers(raw_numbers)
        if not numbers or filler_only_document_numbers(raw_numbers):
            warn(FILLER_ONLY_WARNING)
        doc_type = _cell(row, "document_type")
        documents = [
            Document(type=doc_type.upper() if doc_type else None, number=n, issuing_country=country) for n in numbers
        ]

    return WatchlistEntry(
        list_id=list_id,
        entry_id=entry_id,
        names=names,
        dates_of_birth=dates,
        places_of_birth=_multi(row, "place_of_birth"),
        nationalities=nationalities,
        genders=genders,
        documents=documents,
        category=_cell(row, "category") or "individual",
        programme=_cell(row, "programme"),
        remarks=_cell(row, "remarks"),
        list_version=_cell(row, "list_version") or version,
    )


def read_csv(path: Path, *, list_id: str | None = None) -> WatchlistReadResult:
    """Read a CSV watchlist file in the format of the module docstring.

    ``list_id`` defaults to the file stem; ``list_version`` is the ``list_version``
    column of the first row that has one, else ``sha256:<16 hex>`` of the file bytes.
    Row errors carry the 1-based line the record starts on (the header is line 1).

    Raises ``OSError`` when the file cannot be read; a file that is not UTF-8 or has no
    ``entry_id`` column yields no entries and one :class:`RowError` with ``line=None``
    (or the header's line).
    """
    data = path.read_bytes()
    version = content_version(data)
    lid = list_id or path.stem
    result = WatchlistReadResult(list_id=lid, format=FORMAT, entries=[], list_version=version)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        result.errors.append(RowError(None, f"file is not UTF-8 (byte {exc.start})"))
        return result
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    seen: set[str] = set()
    row_start = 1
    try:
        for cells in reader:
            line = row_start
            row_start = reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip().casefold() for c in cells]
                if "entry_id" not in header:
                    result.errors.append(RowError(line, "header has no entry_id column"))
                    return result
                continue
            if len(cells) > len(header):
                result.errors.append(RowError(line, f"{len(cells)} cells for {len(header)} columns, row dropped"))
                continue
            row = dict(zip(header, cells, strict=False))
            try:
                entry = _row_to_entry(row, line=line, list_id=lid, version=version, warnings=result.warnings)
            except ValidationError as exc:
                result.errors.append(RowError(line, invalid_text(exc)))
                continue
            except ValueError as exc:
                result.errors.append(RowError(line, str(exc)))
                continue
            if entry.entry_id in seen:
                result.errors.append(RowError(line, f"{entry.entry_id}: duplicate entry id, ignored"))
                continue
            seen.add(entry.entry_id)
            result.entries.append(entry)
    except csv.Error as exc:
        result.errors.append(RowError(reader.line_num, f"CSV syntax error, rest of file not read: {exc}"))
    if result.entries and result.entries[0].list_version != version:
        result.list_version = result.entries[0].list_version
    return result
