"""Reader for the OFAC legacy CSV files: the SDN list and the Consolidated (non-SDN) list.

A list release is a set of header-less, comma-separated files (RFC 4180 quoting,
``-0-`` = empty, Windows-1252/Latin-1, the last line a ``0x1A`` end-of-file byte):

============================== ============================================================
file (SDN / Consolidated)      columns
============================== ============================================================
``sdn.csv`` / ``cons_prim.csv`` ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign,
                               Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks
``alt.csv`` / ``cons_alt.csv``  ent_num, alt_num, alt_type (``aka``/``fka``/``nka``),
                               alt_name, alt_remarks
``sdn_comments.csv`` /          ent_num, the continuation of a Remarks text cut in the
``cons_comments.csv``           primary file (appended before parsing)
``add.csv`` / ``cons_add.csv``  addresses — not read (no address field on WatchlistEntry)
============================== ============================================================

Mapping to :class:`~schemas.records.WatchlistEntry`:

- ``entry_id`` = ``ent_num``; ``category`` = ``"individual"``; ``programme`` = Program
  (``SDGT] [SYRIA`` → ``SDGT; SYRIA``); ``remarks`` = Remarks (truncated).
- Only ``SDN_Type`` ``individual`` is imported. Other rows are counted in ``skipped``
  under ``entity`` (SDN_Type ``-0-``), ``vessel``, ``aircraft`` (or the type as written).
- Names: ``LAST, First`` → ``surname`` ``LAST``, ``given_names`` ``First``, ``full_name``
  ``First LAST``; a name without a comma is kept whole. alt.csv names of an individual
  become aliases with ``quality`` = their alt_type (``aka``, ``fka``, ``nka``; OFAC's
  strong aliases). ``a.k.a. 'X'`` inside Remarks are OFAC's *weak* aliases: ``quality``
  ``"weak"``. A name already present on the entry is not repeated.
- Remarks (``;``-separated clauses, ``alt.`` prefix = another value of the same kind):
  ``DOB 12 Jan 1965`` / ``DOB 1966`` / ``DOB circa 1970`` / ``DOB Mar 1960`` /
  ``DOB 01 Jan 1960 to 31 Dec 1962`` → ``dates_of_birth``; ``POB …`` →
  ``places_of_birth``; ``nationality Iran`` → ``nationalities``; ``citizen Iran`` →
  ``citizenships``; ``Gender Male`` → ``genders``; ``Passport A123 (Iran) issued … expires
  13 Dec 2003`` (also ``Diplomatic Passport``, ``Passport Booklet:``) → a ``P`` document
  with its issuing country and expiry; ``National ID No.``, ``Cedula No.``, ``D.N.I.``,
  ``Identification Number`` → an ``I`` document. Every other clause stays in remarks only.

A row that cannot be read (wrong number of cells, a non-numeric ``ent_num``, no name, a
repeated ``ent_num``) is a :class:`~.common.RowError` with its 1-based line; file name
prefixed for the alias and comment files. Unreadable values in a kept row (a date of
birth, an unknown country) are dropped with a warning.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from schemas.records import Document, EntryDate, EntryName, Gender, WatchlistEntry

from .common import (
    RowError,
    WatchlistFormatError,
    WatchlistReadResult,
    content_version,
    country_or_nationality_to_alpha3,
    date_range,
    decode_text,
    detect_script,
    parse_dob,
    to_gender,
    truncate,
)

FORMAT = "ofac-csv"
EMPTY = "-0-"
PRIMARY_COLUMNS = (
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
)
"""The twelve columns of ``sdn.csv`` / ``cons_prim.csv`` (the file has no header row)."""
ALIAS_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
"""The five columns of ``alt.csv`` / ``cons_alt.csv``."""

_FILES = {
    "sdn": ("sdn.csv", "alt.csv", "sdn_comments.csv", "ofac-sdn"),
    "cons": ("cons_prim.csv", "cons_alt.csv", "cons_comments.csv", "ofac-cons"),
}
_SKIP_REASON = {EMPTY: "entity", "": "entity"}
_ALIAS_QUALITY = {"aka": "aka", "fka": "fka", "nka": "nka", "a.k.a.": "aka", "f.k.a.": "fka", "n.k.a.": "nka"}

_ALT = re.compile(r"^alt\.\s+", re.IGNORECASE)
_WEAK_ALIAS = re.compile(r"^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+'(.+)'$", re.IGNORECASE)
_PASSPORT_HEAD = re.compile(
    r"^(?:(?:diplomatic|official|service|national)\s+)?passport(?:\s+booklet)?(?:\s+no\.?)?\s*:?\s+", re.IGNORECASE
)
_ID_HEAD = re.compile(
    r"^(?:national\s+id\s+no\.?|cedula\s+no\.?|d\.n\.i\.|identification\s+number)\s*:?\s+", re.IGNORECASE
)
_DOC_COUNTRY = re.compile(r"(?:^|\s)\(([^)]*)\)(?=$|[\s.,;])")
_DOC_TAIL = re.compile(r"\s+(?:issued|expires|expired|valid)\b.*$", re.IGNORECASE)
_EXPIRES = re.compile(r"\bexpire[sd]\s+(\d{1,2}\s+[A-Za-z]{3,9}\s+\d{4}|[A-Za-z]{3,9}\s+\d{4}|\d{4})", re.IGNORECASE)


@dataclass
class RemarksData:
    """What :func:`parse_remarks` found in one OFAC Remarks text.

    ``dates_of_birth`` (partial dates and ranges), ``places_of_birth`` (free text),
    ``nationalities``/``citizenships`` (alpha-3), ``genders``, ``documents`` (``P``/``I``
    with number as published, issuing country alpha-3, expiry ISO), ``weak_aliases``
    (``(quality, name)`` pairs, quality ``"weak"``), and ``problems`` (values dropped).
    """

    dates_of_birth: list[EntryDate] = field(default_factory=list)
    places_of_birth: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    genders: list[Gender] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    weak_aliases: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def split_clauses(remarks: str) -> list[str]:
    """The ``;``-separated clauses of a Remarks text (a ``;`` inside parentheses does not
    split); each whitespace-normalised, one trailing ``.`` removed, empty ones dropped."""
    clauses: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in remarks:
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        if ch == ";" and depth == 0:
            clauses.append("".join(current))
            current = []
        else:
            current.append(ch)
    clauses.append("".join(current))
    out = []
    for clause in clauses:
        text = " ".join(clause.split())
        if text.endswith(".") and not text.endswith("a.k.a."):
            text = text[:-1].rstrip()
        if text:
            out.append(text)
    return out


def _ofac_date(text: str) -> list[EntryDate]:
    """``DOB`` value → EntryDate list; ``X to Y`` with full or month dates → one range."""
    approximate = False
    if text.casefold().startswith("circa "):
        approximate = True
        text = text[6:].strip()
    if " to " in text:
        lo_raw, hi_raw = (p.strip() for p in text.split(" to ", 1))
        lo, hi = parse_dob(lo_raw), parse_dob(hi_raw, today=date.max)
        if len(lo) == 1 and len(hi) == 1 and lo[0].date and hi[0].date:
            if lo[0].date > hi[0].date:
                raise ValueError(f"date range {lo_raw!r} to {hi_raw!r} runs backwards")
            return [date_range(lo[0].date, hi[0].date, approximate=approximate)]
        raise ValueError(f"unreadable birth date range {text!r}")
    dates = parse_dob(text)
    if approximate:
        dates = [d.model_copy(update={"approximate": True}) for d in dates]
    return dates


def _document(kind: str, value: str, problems: list[str]) -> Document | None:
    """``A1234567 (Iran) issued 12 Aug 2010 expires 11 Aug 2020`` → Document."""
    country: str | None = None
    groups = _DOC_COUNTRY.findall(value)
    if groups:
        # ``(Cabo Verde.  Previously Cape Verde.)``: the first sentence names the country.
        raw_country = groups[-1].split(".")[0].strip()
        country = country_or_nationality_to_alpha3(raw_country)
        if country is None:
            problems.append(f"document country {raw_country!r} not recognised")
    expiry: str | None = None
    if e := _EXPIRES.search(value):
        try:
            exp = parse_dob(e.group(1), today=date.max)
        except ValueError:
            exp = []
        expiry = exp[0].date if len(exp) == 1 else None
    number = _DOC_TAIL.sub("", _DOC_COUNTRY.sub(" ", value)).strip(" .:,")
    number = " ".join(number.split())
    if not any(ch.isdigit() for ch in number):
        problems.append(f"{kind} document without a number dropped")
        return None
    return Document(type=kind, number=number, issuing_country=country, expiry_date=expiry)


def parse_remarks(remarks: str | None) -> RemarksData:
    """Parse the evidence out of one OFAC legacy CSV ``Remarks`` text.

    Input: the Remarks cell (``None``/``-0-`` → nothing), e.g. ``"DOB 12 Jan 1965; alt. DOB
    1966; POB Tehran, Iran; nationality Iran; Passport A1234567 (Iran); National ID No.
    0012345678 (Iran); Gender Male; a.k.a. 'ABU X'."``. Returns a :class:`RemarksData`
    (see the module docstring for the clauses read). Never raises: an unreadable value
    is left out and described in ``problems``.
    """
    data = RemarksData()
    if remarks is None or remarks.strip() in ("", EMPTY):
        return data
    for clause in split_clauses(remarks):
        body = _ALT.sub("", clause)
        lower = body.casefold()
        if m := _WEAK_ALIAS.match(body):
            name = " ".join(m.group(2).split())
            if name and name not in data.weak_aliases:
                data.weak_aliases.append(name)
        elif lower.startswith("dob "):
            try:
                dates = _ofac_date(body[4:].strip())
            except ValueError as exc:
                data.problems.append(f"date of birth dropped: {exc}")
                continue
            data.dates_of_birth.extend(d for d in dates if d not in data.dates_of_birth)
        elif lower.startswith("pob "):
            place = body[4:].strip()
            if place and place not in data.places_of_birth:
                data.places_of_birth.append(place)
        elif lower.startswith(("nationality ", "citizen ")):
            head, _, raw = body.partition(" ")
            code = country_or_nationality_to_alpha3(raw)
            target = data.nationalities if head.casefold() == "nationality" else data.citizenships
            if code is None:
                data.problems.append(f"{head.casefold()} {raw!r} not recognised, dropped")
            elif code not in target:
                target.append(code)
        elif lower.startswith("gender "):
            try:
                gender = to_gender(body[7:])
            except ValueError as exc:
                data.problems.append(str(exc))
                continue
            if gender and gender not in data.genders:
                data.genders.append(gender)
        elif (m := _PASSPORT_HEAD.match(body)) or (m := _ID_HEAD.match(body)):
            kind = "P" if m.re is _PASSPORT_HEAD else "I"
            doc = _document(kind, body[m.end() :], data.problems)
            if doc is not None and doc not in data.documents:
                data.documents.append(doc)
    return data


def split_ofac_name(name: str) -> tuple[str, str | None, str | None]:
    """``"NORIEGA, Manuel Antonio"`` → ``("Manuel Antonio NORIEGA", "NORIEGA", "Manuel
    Antonio")``: (full name in given-surname order, surname, given names). The first
    comma separates surname and given names (OFAC writes individuals ``LAST, First``); a
    name without a comma, or with an empty side, is returned whole with ``None`` parts."""
    text = " ".join(name.split())
    surname, sep, given = text.partition(",")
    surname, given = surname.strip(), given.strip()
    if not sep or not surname or not given:
        return text.strip(" ,"), None, None
    return f"{given} {surname}", surname, given


def _cell(value: str) -> str | None:
    text = " ".join(value.split())
    return None if text in ("", EMPTY) else text


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """CSV rows with the 1-based line each starts on; blank and ``0x1A`` lines dropped.
    Raises ``csv.Error`` on broken quoting."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out: list[tuple[int, list[str]]] = []
    start = 1
    for cells in reader:
        line = start
        start = reader.line_num + 1
        if not any(c.strip().strip("\x1a") for c in cells):
            continue
        out.append((line, cells))
    return out


def _locate(path: Path) -> tuple[Path, Path | None, Path | None, str]:
    """(primary, alias, comments, default list id) for a directory or a primary file."""
    if path.is_dir():
        for kind in ("sdn", "cons"):
            if (path / _FILES[kind][0]).is_file():
                primary = path / _FILES[kind][0]
                break
        else:
            raise WatchlistFormatError(f"{path}: no sdn.csv or cons_prim.csv in this directory")
    else:
        primary = path
    kind = "cons" if primary.name.casefold().startswith("cons") else "sdn"
    _, alt_name, comments_name, default_id = _FILES[kind]
    alt = primary.with_name(alt_name)
    comments = primary.with_name(comments_name)
    return primary, alt if alt.is_file() else None, comments if comments.is_file() else None, default_id


@dataclass
class _Draft:
    line: int
    entry_id: str
    names: list[EntryName]
    programme: str | None
    remarks: str | None


def read_ofac_csv(path: Path, *, list_id: str | None = None) -> WatchlistReadResult:
    """Read an OFAC legacy CSV release (SDN or Consolidated non-SDN list).

    ``path``: the directory holding ``sdn.csv`` (or ``cons_prim.csv``) and its sibling
    files, or the primary file itself; ``alt.csv``/``cons_alt.csv`` and the comments file
    are read when present next to it. ``list_id`` defaults to ``"ofac-sdn"`` /
    ``"ofac-cons"``; ``list_version`` is ``sha256:<16 hex>`` over the primary, alias and
    comments files' bytes (the legacy CSV carries no publication date).

    Returns a :class:`WatchlistReadResult`: one entry per ``individual`` row, other rows
    counted in ``skipped`` (``entity``, ``vessel``, ``aircraft``), bad rows in ``errors``,
    dropped values in ``warnings``. Raises ``OSError`` when a file cannot be read and
    :class:`WatchlistFormatError` when a directory holds no primary file.
    """
    primary, alt, comments, default_id = _locate(Path(path))
    lid = list_id or default_id
    blobs = [primary.read_bytes()]
    alt_bytes = alt.read_bytes() if alt else b""
    comment_bytes = comments.read_bytes() if comments else b""
    version = content_version(blobs[0] + alt_bytes + comment_bytes)
    result = WatchlistReadResult(list_id=lid, format=FORMAT, entries=[], list_version=version)

    overflow: dict[str, str] = {}
    if comments is not None:
        for line, cells in _safe_rows(comment_bytes, comments.name, result):
            if len(cells) < 2 or not cells[0].strip().isdigit():
                result.errors.append(RowError(line, f"{comments.name}: unreadable comment row, ignored"))
                continue
            overflow[cells[0].strip()] = overflow.get(cells[0].strip(), "") + cells[1]

    drafts: dict[str, _Draft] = {}
    other_ids: set[str] = set()
    for line, cells in _safe_rows(blobs[0], None, result):
        if len(cells) != len(PRIMARY_COLUMNS):
            result.errors.append(RowError(line, f"{len(cells)} cells for {len(PRIMARY_COLUMNS)} columns, row dropped"))
            continue
        row = dict(zip(PRIMARY_COLUMNS, cells, strict=True))
        entry_id = row["ent_num"].strip()
        if not entry_id.isdigit():
            result.errors.append(RowError(line, f"ent_num {entry_id[:20]!r} is not a number, row dropped"))
            continue
        if entry_id in drafts or entry_id in other_ids:
            result.errors.append(RowError(line, f"{entry_id}: duplicate ent_num, ignored"))
            continue
        sdn_type = (_cell(row["SDN_Type"]) or EMPTY).casefold()
        if sdn_type != "individual":
            reason = _SKIP_REASON.get(sdn_type, sdn_type)
            result.skipped[reason] = result.skipped.get(reason, 0) + 1
            other_ids.add(entry_id)
            continue
        raw_name = _cell(row["SDN_Name"])
        if raw_name is None:
            result.errors.append(RowError(line, f"{entry_id}: individual without a name, row dropped"))
            continue
        full, surname, given = split_ofac_name(raw_name)
        primary_name = EntryName(
            full_name=full, surname=surname, given_names=given, script=detect_script(full), kind="primary"
        )
        remarks = _cell(row["Remarks"] + overflow.get(entry_id, "")) if row["Remarks"].strip() != EMPTY else None
        program = _cell(row["Program"])
        drafts[entry_id] = _Draft(
            line=line,
            entry_id=entry_id,
            names=[primary_name],
            programme=program.replace("] [", "; ") if program else None,
            remarks=remarks,
        )

    if alt is not None:
        for line, cells in _safe_rows(alt_bytes, alt.name, result):
            if len(cells) != len(ALIAS_COLUMNS):
                result.errors.append(
                    RowError(line, f"{alt.name}: {len(cells)} cells for {len(ALIAS_COLUMNS)} columns, row dropped")
                )
                continue
            ent_num = cells[0].strip()
            draft = drafts.get(ent_num)
            if draft is None:
                if ent_num not in other_ids:
                    result.warnings.append(RowError(line, f"{alt.name}: alias of unknown ent_num {ent_num[:20]!r}"))
                continue
            raw_alias = _cell(cells[3])
            if raw_alias is None:
                result.warnings.append(RowError(line, f"{alt.name}: {ent_num}: empty alias name, dropped"))
                continue
            quality = _ALIAS_QUALITY.get((_cell(cells[2]) or "").casefold(), "aka")
            full, surname, given = split_ofac_name(raw_alias)
            _add_name(draft.names, full, surname, given, quality)

    for draft in drafts.values():
        try:
            entry = _finish(draft, lid, version, result.warnings)
        except (ValueError, ValidationError) as exc:
            result.errors.append(RowError(draft.line, f"{draft.entry_id}: invalid entry: {exc}"[:300]))
            continue
        result.entries.append(entry)
    return result


def _safe_rows(data: bytes, name: str | None, result: WatchlistReadResult) -> list[tuple[int, list[str]]]:
    text, _ = decode_text(data)
    try:
        return _rows(text.replace("\x1a", ""))
    except csv.Error as exc:
        prefix = f"{name}: " if name else ""
        result.errors.append(RowError(None, f"{prefix}CSV syntax error, file not read: {exc}"))
        return []


def _add_name(names: list[EntryName], full: str, surname: str | None, given: str | None, quality: str) -> None:
    if any(n.full_name.casefold() == full.casefold() for n in names):
        return
    names.append(
        EntryName(
            full_name=full,
            surname=surname,
            given_names=given,
            script=detect_script(full),
            quality=quality,
            kind="alias",
        )
    )


def _finish(draft: _Draft, list_id: str, version: str, warnings: list[RowError]) -> WatchlistEntry:
    found = parse_remarks(draft.remarks)
    for problem in found.problems:
        warnings.append(RowError(draft.line, f"{draft.entry_id}: {problem}"))
    for alias in found.weak_aliases:
        full, surname, given = split_ofac_name(alias)
        _add_name(draft.names, full, surname, given, "weak")
    return WatchlistEntry(
        list_id=list_id,
        entry_id=draft.entry_id,
        names=draft.names,
        dates_of_birth=found.dates_of_birth,
        places_of_birth=found.places_of_birth,
        nationalities=found.nationalities,
        citizenships=found.citizenships,
        genders=found.genders,
        documents=found.documents,
        category="individual",
        programme=draft.programme,
        remarks=truncate(draft.remarks),
        list_version=version,
    )
