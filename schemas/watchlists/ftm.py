"""Reader for OpenSanctions FollowTheMoney (FtM) entity files, JSON lines.

One entity per line: ``{"id", "schema", "caption", "properties": {prop: [values…]}}``.
Only ``schema: "Person"`` is imported; every other schema (``Company``, ``Sanction``,
``Ownership``, ``Address``, ``Vessel`` …) is counted in ``skipped`` under its lower-cased
schema name. FtM properties read (all multi-valued lists of strings):

====================================== ===========================================================
property                               becomes
====================================== ===========================================================
``caption`` (else the first ``name``)  the primary name
``name``                               further names: ``alias`` (Latin script) or
                                       ``original_script`` (any other script), quality ``None``
``alias`` / ``weakAlias`` /            aliases with quality ``aka`` / ``weak`` / ``fka``
``previousName``
``firstName`` + ``lastName``           ``given_names``/``surname`` of the primary name when
                                       each has exactly one Latin value found in it
``birthDate``                          ``dates_of_birth`` (ISO, full or partial)
``birthPlace``                         ``places_of_birth``
``nationality`` / ``citizenship``      alpha-3 ``nationalities`` / ``citizenships`` (FtM
                                       writes ISO alpha-2, lower case)
``gender``                             ``male``/``female`` → ``M``/``F``; ``other`` → ``X``
``passportNumber`` / ``idNumber``      ``P`` / ``I`` documents (``idNumber`` values naming a
                                       tax number — ``TIN``, ``Taxpayer`` — skipped)
``programId`` / ``notes``              ``programme`` (``;``-joined) / ``remarks`` (first note)
====================================== ===========================================================

Names repeated (case-insensitively) on one entity are kept once. A line that is not a
JSON object, or a Person without an id or any name, is a :class:`~.common.RowError` with
its 1-based line; a value that cannot be read is dropped with a warning.

Senzing JSON (the other OpenSanctions export, ``DATA_SOURCE``/``RECORD_ID`` keys) is a
different format and is not read here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

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
    truncate,
)

FORMAT = "ftm"
_ALIAS_PROPS = (("alias", "aka"), ("weakAlias", "weak"), ("previousName", "fka"))
_TAX_NUMBER = re.compile(r"\b(?:tin|tax|taxpayer|inn|vat)\b", re.IGNORECASE)


def _values(props: dict[str, Any], key: str) -> list[str]:
    raw = props.get(key) or []
    if isinstance(raw, str):
        raw = [raw]
    out: list[str] = []
    for value in raw:
        if isinstance(value, str):
            text = " ".join(value.split())
            if text and text not in out:
                out.append(text)
    return out


def _person(obj: dict[str, Any], *, line: int, list_id: str, version: str, warnings: list[RowError]) -> WatchlistEntry:
    """Convert one FtM Person. Raises ``ValueError``/``ValidationError`` for a row to drop."""
    entry_id = obj.get("id")
    if not isinstance(entry_id, str) or not entry_id.strip():
        raise ValueError("Person without an id")
    props = obj.get("properties") or {}
    if not isinstance(props, dict):
        raise ValueError(f"{entry_id}: properties is not an object")

    def warn(message: str) -> None:
        warnings.append(RowError(line, f"{entry_id}: {message}"))

    all_names = _values(props, "name")
    caption = obj.get("caption")
    primary_full = caption if isinstance(caption, str) and caption.strip() else (all_names[0] if all_names else None)
    if not primary_full:
        raise ValueError(f"{entry_id}: Person without a name")
    primary_full = " ".join(primary_full.split())
    surname = given = None
    latin_last = [v for v in _values(props, "lastName") if detect_script(v) == "Latn"]
    latin_first = [v for v in _values(props, "firstName") if detect_script(v) == "Latn"]
    folded = primary_full.casefold()
    last_in = [v for v in latin_last if v.casefold() in folded]
    first_in = [v for v in latin_first if v.casefold() in folded]
    if len({v.casefold() for v in last_in}) == 1 and first_in:
        surname = last_in[0]
        given = max(first_in, key=len)
    names = [
        EntryName(
            full_name=primary_full,
            surname=surname,
            given_names=given,
            script=detect_script(primary_full),
            kind="primary",
        )
    ]

    def add(full: str, quality: str | None) -> None:
        if any(n.full_name.casefold() == full.casefold() for n in names):
            return
        script = detect_script(full)
        kind = "alias" if script in (None, "Latn") else "original_script"
        names.append(EntryName(full_name=full, script=script, quality=quality, kind=kind))  # type: ignore[arg-type]

    for name in all_names:
        add(name, None)
    for prop, quality in _ALIAS_PROPS:
        for name in _values(props, prop):
            add(name, quality)

    dates: list[EntryDate] = []
    for raw in _values(props, "birthDate"):
        try:
            dates.extend(d for d in parse_dob(raw, day_first=True) if d not in dates)
        except ValueError as exc:
            warn(f"date of birth dropped: {exc}")

    def countries(prop: str) -> list[str]:
        out: list[str] = []
        for raw in _values(props, prop):
            code = to_alpha3(raw)
            if code is None:
                warn(f"{prop} {raw!r} not recognised, dropped")
            elif code not in out:
                out.append(code)
        return out

    genders: list[Gender] = []
    for raw in _values(props, "gender"):
        try:
            gender = "X" if raw.casefold() == "other" else to_gender(raw)
        except ValueError as exc:
            warn(str(exc))
            continue
        if gender and gender not in genders:
            genders.append(gender)

    documents: list[Document] = []
    for prop, doc_type in (("passportNumber", "P"), ("idNumber", "I")):
        for raw in _values(props, prop):
            if doc_type == "I" and _TAX_NUMBER.search(raw):
                continue
            if filler_only_document_numbers(raw):
                warn(f"{prop}: {FILLER_ONLY_WARNING}")
            for number in split_document_numbers(raw):
                doc = Document(type=doc_type, number=number)
                if doc not in documents:
                    documents.append(doc)

    programmes = _values(props, "programId") or _values(props, "program")
    notes = _values(props, "notes")
    return WatchlistEntry(
        list_id=list_id,
        entry_id=entry_id.strip(),
        names=names,
        dates_of_birth=dates,
        places_of_birth=_values(props, "birthPlace"),
        nationalities=countries("nationality"),
        citizenships=countries("citizenship"),
        genders=genders,
        documents=documents,
        category="individual",
        programme="; ".join(programmes) or None,
        remarks=truncate(notes[0]) if notes else None,
        list_version=version,
    )


def read_ftm(path: Path, *, list_id: str | None = None) -> WatchlistReadResult:
    """Read a FollowTheMoney JSON-lines file (OpenSanctions ``entities.ftm.json``).

    ``list_id`` defaults to the file name up to its first dot (``zala_cluster.ftm.jsonl``
    → ``"zala_cluster"``); ``list_version`` is ``sha256:<16 hex>`` of the file bytes.
    Returns a :class:`WatchlistReadResult`: one entry per ``Person``, other schemas in
    ``skipped`` by lower-cased schema name, bad lines in ``errors`` (1-based line), a
    repeated Person id kept once (error on the repeat). Raises ``OSError`` when the file
    cannot be read.
    """
    p = Path(path)
    data = p.read_bytes()
    version = content_version(data)
    lid = list_id or p.name.split(".", 1)[0]
    result = WatchlistReadResult(list_id=lid, format=FORMAT, entries=[], list_version=version)
    seen: set[str] = set()
    for line_no, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            result.errors.append(RowError(line_no, "not valid UTF-8"))
            continue
        except json.JSONDecodeError as exc:
            result.errors.append(RowError(line_no, f"not JSON: {exc.msg} at column {exc.colno}"))
            continue
        if not isinstance(obj, dict):
            result.errors.append(RowError(line_no, "not a JSON object"))
            continue
        schema = obj.get("schema")
        if not isinstance(schema, str) or not schema:
            result.errors.append(RowError(line_no, "entity without a schema"))
            continue
        if schema != "Person":
            reason = schema.casefold()
            result.skipped[reason] = result.skipped.get(reason, 0) + 1
            continue
        if obj.get("id") in seen:
            result.errors.append(RowError(line_no, f"{obj.get('id')}: duplicate entity id, ignored"))
            continue
        try:
            entry = _person(obj, line=line_no, list_id=lid, version=version, warnings=result.warnings)
        except ValidationError as exc:
            result.errors.append(RowError(line_no, invalid_text(exc, what="entity", fallback_loc="entity")))
            continue
        except ValueError as exc:
            result.errors.append(RowError(line_no, str(exc)))
            continue
        seen.add(entry.entry_id)
        result.entries.append(entry)
    return result
