"""Reader for the UK HM Treasury (OFSI) Consolidated List of Financial Sanctions Targets,
CSV layout used until 2022.

File shape: the first line is ``Last Updated,DD/MM/YYYY`` (→ ``list_version``
``YYYY-MM-DD``), the second the header, then **one row per name** (primary name or
alias); the rows of one target share a ``Group ID``. The encoding is detected
(:func:`~.common.decode_text`: UTF-8, else Windows-1252 — the published files are cp1252).

Columns read (header names as published, matched case-insensitively):

=========================== ===================================================================
column                      becomes
=========================== ===================================================================
Group ID                    ``entry_id`` (rows grouped on it)
Group Type                  ``Individual`` → an entry; ``Entity``, ``Ship`` → ``skipped``
                            (``entity``, ``ship``), counted once per group
Name 1 … Name 5, Name 6     given names (1–5, in order) and surname (6); ``full_name`` =
                            given names + surname
Alias Type                  ``Prime Alias``/``Primary name`` → ``kind="primary"``; ``AKA``,
                            ``FKA`` … → ``kind="alias"``, ``quality`` ``aka``/``fka`` …
DOB                         ``dd/mm/yyyy``, ``00`` for an unknown day or month
                            (``00/00/1955`` → ``1955``); the union over all rows
Town of Birth, Country …    ``places_of_birth`` (``town, country``)
Nationality                 adjectives or names, enumerated ``(1) Afghan (2) Pakistani`` →
                            alpha-3 ``nationalities``
Passport Details            ``P`` documents (number, country in parentheses after it)
NI Number                   ``I`` documents (national identity numbers; driver licences,
                            fiscal codes and the like skipped)
Regime                      ``programme``;  Other Information → ``remarks`` (truncated)
=========================== ===================================================================

A row with the wrong number of cells or no Group ID, and a group without any name, is a
:class:`~.common.RowError` (line = the row's 1-based line in the file; the group's first
row for group errors). A value that cannot be read is dropped with a warning.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from schemas.records import Document, EntryDate, EntryName, WatchlistEntry

from .common import (
    RowError,
    WatchlistReadResult,
    content_version,
    country_or_nationality_to_alpha3,
    decode_text,
    detect_script,
    parse_dob,
    truncate,
)

FORMAT = "uk-hmt-csv"
DEFAULT_LIST_ID = "uk-hmt"
_PRIMARY_ALIAS_TYPES = {"prime alias", "primary name", "primary name variation"}
_ENUM = re.compile(r"\(?\b\d{1,2}\)\s*(?:-\s*\(?\d{1,2}\)\s*|to\s+\(\d{1,2}\)\s*)?")
_PROSE = re.compile(r"^[^\W\d_]{2,}[.:,]?$")
_NOT_NATIONAL_ID = ("driver", "fiscal", "tax", "social security", "licen")
_LAST_UPDATED = re.compile(r"^\s*\"?last updated\"?\s*,\s*\"?(\d{2})/(\d{2})/(\d{4})", re.IGNORECASE)


def split_enumerated(text: str | None) -> list[str]:
    """``"(1) Afghan (2) Pakistani"`` / ``"1) Uzbek 2) Afghan"`` → ``["Afghan", "Pakistani"]``;
    text without enumerators → ``[text]``; blank → ``[]``. Pieces are whitespace-normalised
    and stripped of ``.`` ``,`` ``;``; empty pieces dropped."""
    if text is None or not text.strip():
        return []
    pieces = _ENUM.split(text)
    return [p for p in (" ".join(piece.split()).strip(" .,;") for piece in pieces) if p]


def parse_hmt_documents(text: str | None, doc_type: str) -> list[Document]:
    """Document numbers from a ``Passport Details`` or ``NI Number`` cell.

    The cell is split on its enumerators (``(1) … (2) …``); in each piece leading words
    (``no``, ``Provisional``, ``Passport number``) are skipped, the number is the run of
    tokens from the first token holding a digit up to a parenthesis, a sentence end
    (``.``/``,``) or a word (``issued``, ``expires``); the issuing country is the first
    parenthesised group after it when it names a country or nationality
    (``G025057 (Tunisian). Issued …`` → ``G025057``, ``TUN``). Pieces without a digit, and
    for ``I`` pieces naming a driver licence, fiscal or tax code, are dropped.
    ``doc_type`` is the ``Document.type`` given to every number. Never raises."""
    documents: list[Document] = []
    for piece in split_enumerated(text):
        if doc_type == "I" and any(w in piece.casefold() for w in _NOT_NATIONAL_ID):
            continue
        tokens = piece.split()
        kept: list[str] = []
        rest_at = len(tokens)
        for i, token in enumerate(tokens):
            if not kept:
                if any(ch.isdigit() for ch in token) or (i + 1 < len(tokens) and _short_prefix(token, tokens[i + 1])):
                    kept.append(token)
                elif token.endswith(".") and len(token) > 4:
                    break  # ``(2) (Eqypt). Issued 1993.``: the sentence ended without a number
                else:
                    continue
            else:
                if token.startswith("(") or (_PROSE.match(token) and len(token.strip(".,:")) > 3):
                    rest_at = i
                    break
                kept.append(token)
            if kept and token.endswith((",", ".", ";")):
                rest_at = i + 1
                break
        number = " ".join(kept).strip(" .,;:")
        if not any(ch.isdigit() for ch in number):
            continue
        country = None
        for token_group in re.findall(r"\(([^)]*)\)", " ".join(tokens[rest_at:])):
            country = country_or_nationality_to_alpha3(token_group)
            if country:
                break
        doc = Document(type=doc_type, number=number, issuing_country=country)
        if doc not in documents:
            documents.append(doc)
    return documents


def _short_prefix(token: str, following: str) -> bool:
    """``D 000974``: a 1–3 letter uppercase prefix written apart from the digits."""
    return token.isalpha() and token.isupper() and len(token) <= 3 and following[:1].isdigit()


def _norm(value: str | None) -> str | None:
    if value is None:
        return None
    text = " ".join(value.split())
    return text or None


@dataclass
class _Group:
    line: int
    group_id: str
    group_type: str
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def read_uk_hmt_csv(path: Path, *, list_id: str | None = None) -> WatchlistReadResult:
    """Read a UK HMT/OFSI consolidated list CSV (layout of the module docstring).

    ``list_id`` defaults to ``"uk-hmt"``; ``list_version`` is the ``Last Updated`` date
    (``YYYY-MM-DD``), else ``sha256:<16 hex>`` of the file. Returns a
    :class:`WatchlistReadResult` with one entry per ``Individual`` group, other groups
    counted in ``skipped`` by their lower-cased Group Type. Raises ``OSError`` when the
    file cannot be read; a file without the expected header yields one error, no entries.
    """
    data = Path(path).read_bytes()
    text, _encoding = decode_text(data)
    lid = list_id or DEFAULT_LIST_ID
    version = content_version(data)
    first, _, _ = text.partition("\n")
    if m := _LAST_UPDATED.match(first):
        version = f"{m.group(3)}-{m.group(2)}-{m.group(1)}"
    result = WatchlistReadResult(list_id=lid, format=FORMAT, entries=[], list_version=version)

    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    groups: dict[str, _Group] = {}
    start = 1
    try:
        for cells in reader:
            line = start
            start = reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                names = [c.strip().casefold() for c in cells]
                if "group id" in names and "name 6" in names:
                    header = names
                elif line > 5:
                    break
                continue
            if len(cells) != len(header):
                result.errors.append(RowError(line, f"{len(cells)} cells for {len(header)} columns, row dropped"))
                continue
            row = dict(zip(header, cells, strict=True))
            group_id = _norm(row.get("group id"))
            if group_id is None:
                result.errors.append(RowError(line, "row without Group ID, dropped"))
                continue
            group = groups.get(group_id)
            if group is None:
                group_type = (_norm(row.get("group type")) or "unknown").casefold()
                group = groups[group_id] = _Group(line=line, group_id=group_id, group_type=group_type)
            group.rows.append((line, row))
    except csv.Error as exc:
        result.errors.append(RowError(reader.line_num, f"CSV syntax error, rest of file not read: {exc}"))
    if header is None:
        result.errors.append(RowError(None, "no header with 'Name 6' and 'Group ID' columns"))
        return result

    for group in groups.values():
        if group.group_type != "individual":
            result.skipped[group.group_type] = result.skipped.get(group.group_type, 0) + 1
            continue
        try:
            entry = _group_to_entry(group, list_id=lid, version=version, warnings=result.warnings)
        except (ValueError, ValidationError) as exc:
            result.errors.append(RowError(group.line, f"{group.group_id}: {exc}"[:300]))
            continue
        result.entries.append(entry)
    return result


def _group_to_entry(group: _Group, *, list_id: str, version: str, warnings: list[RowError]) -> WatchlistEntry:
    """Merge the alias rows of one Individual group. Raises ``ValueError`` when no row has a name."""

    def warn(line: int, message: str) -> None:
        warnings.append(RowError(line, f"{group.group_id}: {message}"))

    primaries: list[EntryName] = []
    aliases: list[EntryName] = []
    dates: list[EntryDate] = []
    places: list[str] = []
    nationalities: list[str] = []
    documents: list[Document] = []
    programme: str | None = None
    remarks: str | None = None
    seen_raw: set[tuple[str, str]] = set()
    for line, row in group.rows:
        given = _norm(" ".join(row.get(f"name {i}", "") for i in range(1, 6)))
        surname = _norm(row.get("name 6"))
        full = " ".join(p for p in (given, surname) if p)
        if full:
            alias_type = (_norm(row.get("alias type")) or "").casefold()
            is_primary = alias_type in _PRIMARY_ALIAS_TYPES
            name = EntryName(
                full_name=full,
                surname=surname,
                given_names=given,
                script=detect_script(full),
                quality=None if is_primary else (alias_type or None),
                kind="primary" if is_primary else "alias",
            )
            (primaries if is_primary else aliases).append(name)
        raw_dob = _norm(row.get("dob"))
        if raw_dob and ("dob", raw_dob) not in seen_raw:
            seen_raw.add(("dob", raw_dob))
            try:
                dates.extend(d for d in parse_dob(raw_dob, day_first=True) if d not in dates)
            except ValueError as exc:
                warn(line, f"date of birth dropped: {exc}")
        place = ", ".join(p for p in (_norm(row.get("town of birth")), _norm(row.get("country of birth"))) if p)
        if place and place not in places:
            places.append(place)
        raw_nat = _norm(row.get("nationality"))
        if raw_nat and ("nat", raw_nat) not in seen_raw:
            seen_raw.add(("nat", raw_nat))
            for piece in split_enumerated(raw_nat):
                code = country_or_nationality_to_alpha3(piece)
                if code is None:
                    warn(line, f"nationality {piece!r} not recognised, dropped")
                elif code not in nationalities:
                    nationalities.append(code)
        for column, doc_type in (("passport details", "P"), ("ni number", "I")):
            for doc in parse_hmt_documents(row.get(column), doc_type):
                if doc not in documents:
                    documents.append(doc)
        programme = programme or _norm(row.get("regime"))
        remarks = remarks or _norm(row.get("other information"))

    if not primaries and not aliases:
        raise ValueError("group without any name")
    if not primaries:  # no row marked primary: the first name stands in for it
        first = aliases.pop(0)
        primaries = [first.model_copy(update={"kind": "primary", "quality": None})]
    names: list[EntryName] = []
    for name in primaries[:1] + [n.model_copy(update={"kind": "alias", "quality": "aka"}) for n in primaries[1:]]:
        if not any(n.full_name.casefold() == name.full_name.casefold() for n in names):
            names.append(name)
    for name in aliases:
        if not any(n.full_name.casefold() == name.full_name.casefold() for n in names):
            names.append(name)
    return WatchlistEntry(
        list_id=list_id,
        entry_id=group.group_id,
        names=names,
        dates_of_birth=dates,
        places_of_birth=places,
        nationalities=nationalities,
        documents=documents,
        category="individual",
        programme=programme,
        remarks=truncate(remarks),
        list_version=version,
    )
