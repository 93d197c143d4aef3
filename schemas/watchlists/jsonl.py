"""Reader for our own JSON-lines watchlist format.

One :class:`~schemas.records.WatchlistEntry` JSON object per line, exactly the wire form
of ``watchlist.entries`` (``model_dump(mode="json", by_alias=True)``), UTF-8. In a row
``list_id`` and ``list_version`` are optional: when absent the file's list id and
version (a content hash) are used. Blank lines are ignored. Example::

    {"entry_id": "DEMO-001", "names": [{"full_name": "IVAN PETROV", "surname": "PETROV",
     "given_names": "IVAN"}], "dates_of_birth": [{"date": "1971-03"}], "nationalities": ["RUS"]}
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from matchers.normalise import canonical_document_number
from schemas.records import WatchlistEntry

from .common import (
    FILLER_ONLY_WARNING,
    RowError,
    WatchlistReadResult,
    content_version,
    future_birth_date_warning,
    future_birth_dates,
    invalid_text,
)

FORMAT = "jsonl"


def read_jsonl(path: Path, *, list_id: str | None = None, today: date | None = None) -> WatchlistReadResult:
    """Read a JSONL watchlist file.

    List id: an explicit ``list_id`` argument is set on every entry (an import under a
    given id is consistent); without it a row keeps its own ``list_id`` and rows without
    one get the file stem (``watchlist.jsonl`` → ``"watchlist"``), which is also the
    result's ``list_id``. ``list_version`` = ``sha256:<16 hex>`` of the file bytes
    unless a row carries its own.

    A line that is not JSON, not an object, not a valid ``WatchlistEntry``, or repeats an
    ``entry_id`` already read becomes a :class:`RowError` with its 1-based line number;
    reading goes on. A document whose number is empty after canonicalisation (``<<<``,
    field case 17) and a date of birth after ``today`` (default: the current date; field
    cases 06 and 14) are dropped from their entry with a warning. Raises ``OSError`` when the file cannot be read.
    """
    data = path.read_bytes()
    version = content_version(data)
    lid = list_id or path.stem
    result = WatchlistReadResult(list_id=lid, format=FORMAT, entries=[], list_version=version)
    seen: set[str] = set()
    today = today or date.today()
    for line_no, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            result.errors.append(RowError(line_no, "not valid UTF-8"))
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            result.errors.append(RowError(line_no, f"not JSON: {exc.msg} at column {exc.colno}"))
            continue
        if not isinstance(row, dict):
            result.errors.append(RowError(line_no, "not a JSON object"))
            continue
        if list_id is not None or not row.get("list_id"):
            row["list_id"] = lid
        row.setdefault("list_version", version)
        try:
            entry = WatchlistEntry.model_validate(row)
        except ValidationError as exc:
            result.errors.append(RowError(line_no, invalid_text(exc)))
            continue
        if not entry.names:
            result.errors.append(RowError(line_no, f"{entry.entry_id}: entry has no name"))
            continue
        if entry.entry_id in seen:
            result.errors.append(RowError(line_no, f"{entry.entry_id}: duplicate entry id, ignored"))
            continue
        seen.add(entry.entry_id)
        usable = [d for d in entry.documents if canonical_document_number(d.number)]
        if len(usable) != len(entry.documents):
            # case 17: an empty or ``<``-only number must never equal another empty number
            result.warnings.append(RowError(line_no, f"{entry.entry_id}: {FILLER_ONLY_WARNING}"))
            entry.documents = usable
        future = future_birth_dates(entry.dates_of_birth, today)
        for d in future:
            result.warnings.append(RowError(line_no, f"{entry.entry_id}: {future_birth_date_warning(d)}"))
        if future:
            entry.dates_of_birth = [d for d in entry.dates_of_birth if d not in future]
        result.entries.append(entry)
    return result
