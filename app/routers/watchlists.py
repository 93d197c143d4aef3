"""Watchlists: the loaded lists, file import, and single entries (``/v1/watchlists``).

Writes go through Kafka so every worker sees them: an import publishes a list version
with :func:`app.publish.publish_watchlist` (the CLI's path and refusal rules); a single
entry is produced to ``watchlist.entries`` (key ``list_id:entry_id``; a tombstone deletes).
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from aiokafka.errors import KafkaError
from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app import publish
from app.publish import check_list_id, entry_value
from app.routers.deps import Admin, Context
from app.routers.problems import NotFound, PayloadTooLarge, Unavailable, Unprocessable, problems
from schemas.records import WatchlistEntry
from schemas.watchlists import WatchlistFormatError, read_watchlist
from schemas.watchlists.common import future_birth_date_warning, future_birth_dates

router = APIRouter(prefix="/v1/watchlists", tags=["watchlists"])

ImportFormat = Literal["auto", "ofac-csv", "un-xml", "uk-hmt-csv", "eu-fsf-csv", "ftm", "jsonl", "csv"]


class WatchlistPublic(BaseModel):
    """A loaded list: its ``watchlist.lists`` record (version, declared ``entry_count``,
    ``imported_at`` = load time, source, format, owner, shareable, status) and
    ``entries_loaded``, the entries this instance holds."""

    list_id: str
    version: str | None
    entry_count: int | None
    entries_loaded: int
    imported_at: datetime | None
    source: str | None = None
    format: str | None = None
    owner: str | None = None
    shareable: bool | None = None
    status: str | None = None


class WatchlistsPublic(BaseModel):
    watchlists: list[WatchlistPublic]
    index_built_at: datetime | None


class RowProblem(BaseModel):
    """A problem with one record of a file: ``line`` (1-based line or record number;
    null for the whole file) and a short ``error``."""

    line: int | None
    error: str


class ImportResult(BaseModel):
    """What an import published (``published``, ``unchanged``, ``tombstoned``, ``entry_count``),
    the file's counts (``summary``: the ``watchlist inspect`` object) and the values the
    reader dropped from entries it kept (``warnings``, the first 100 of ``warning_count``:
    a future date of birth, an empty document number …)."""

    list_id: str
    version: str
    published: int
    unchanged: int
    tombstoned: int
    entry_count: int
    summary: dict[str, Any]
    warnings: list[RowProblem] = []
    warning_count: int = 0


class EntryWritten(BaseModel):
    """A produced entry (or tombstone: ``entry`` null) and where the broker put it;
    ``warnings`` name the values dropped from the entry before it was produced (worded
    as the file importers word them)."""

    list_id: str
    entry_id: str
    entry: WatchlistEntry | None
    topic: str
    partition: int
    offset: int
    warnings: list[str] = []


def _list_id(list_id: str) -> str:
    try:
        return check_list_id(list_id)
    except ValueError as exc:
        raise Unprocessable(str(exc)) from exc


@router.get("", response_model=WatchlistsPublic, responses=problems(401, 403, 503))
async def list_watchlists(ctx: Context, who: Admin) -> WatchlistsPublic:
    """The lists this instance has loaded (role ``admin``)."""
    store = ctx.require_service().store
    counts: dict[str, int] = {}
    for e in list(store.entries.values()):
        counts[e.list_id] = counts.get(e.list_id, 0) + 1
    out = []
    for list_id in sorted(set(store.lists) | set(counts)):
        meta = store.lists.get(list_id)
        out.append(WatchlistPublic(
            list_id=list_id, version=meta.version if meta else None, entry_count=meta.entry_count if meta else None,
            entries_loaded=counts.get(list_id, 0), imported_at=meta.imported_at if meta else None,
            source=meta.source if meta else None, format=meta.format if meta else None,
            owner=meta.owner if meta else None, shareable=meta.shareable if meta else None,
            status=meta.status if meta else None))
    snap = store.snapshot
    built = datetime.fromtimestamp(snap.built_at, UTC) if snap else None
    return WatchlistsPublic(watchlists=out, index_built_at=built)


def _safe_suffix(filename: str | None) -> str:
    name = Path(filename or "upload").name
    m = re.search(r"(\.[A-Za-z0-9]{1,8}){1,2}$", name)
    return m.group(0) if m else ""


@router.post("/{list_id}/import", response_model=ImportResult,
             responses=problems(401, 403, 413, 422, 503))
async def import_watchlist(
    list_id: str, ctx: Context, who: Admin,
    file: Annotated[UploadFile, File(description="the list file (one file; OFAC legacy CSV needs the CLI)")],
    format: Annotated[ImportFormat, Form(description="file format; auto detects it")] = "auto",
    force: Annotated[bool, Form(description="publish even a file with no entry or more bad rows than entries")]
    = False,
    owner: Annotated[str | None, Form(max_length=64)] = None,
    shareable: Annotated[bool, Form()] = True,
) -> ImportResult:
    """Publish a new version of a list from an uploaded file (role ``admin``).

    Same rules as ``apis-matcher watchlist import``: a file that yields no entry, or more
    bad rows than entries, is refused (422 with the counts) unless ``force``; entries no
    longer in the file get tombstones. 413 above ``api_upload_max_bytes``; 503 when the
    broker is unreachable. Audited as ``watchlist.import``.
    """
    _list_id(list_id)
    ctx.require_service()
    limit = ctx.settings.api_upload_max_bytes
    with tempfile.TemporaryDirectory(prefix="apis-matcher-import-") as tmp:
        path = Path(tmp) / f"upload{_safe_suffix(file.filename)}"
        size = 0
        with path.open("wb") as out:
            while chunk := await file.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLarge(f"the file is larger than {limit} bytes")
                out.write(chunk)
        try:
            res = await asyncio.to_thread(read_watchlist, path, format=format, list_id=list_id)
        except (WatchlistFormatError, OSError, UnicodeDecodeError) as exc:
            raise Unprocessable(f"cannot read the file: {exc}".replace(str(path), file.filename or "upload")) from exc
    summary = res.summary()
    summary["errors"] = summary["errors"][:100]
    warnings = [RowProblem(line=w.line, error=w.error) for w in res.warnings[:100]]
    if not force and (not res.entries or len(res.errors) > len(res.entries)):
        await ctx.audit_event(who, "watchlist.import", target=list_id, result_count=0, outcome="refused")
        raise Unprocessable(f"the file yields {len(res.entries)} entries and {len(res.errors)} bad rows; not "
                            "publishing (it would replace the live list): check the format, or use force",
                            summary=summary)
    try:
        report = await publish.publish_watchlist(
            ctx.settings, res.entries, list_id=list_id, source=file.filename, fmt=res.format,
            version=res.list_version, owner=owner, shareable=shareable)
    except (KafkaError, OSError, TimeoutError) as exc:
        raise Unavailable(f"publishing failed: {type(exc).__name__}", headers={"Retry-After": "5"}) from exc
    await ctx.audit_event(who, "watchlist.import", target=list_id, result_count=report.published + report.tombstoned)
    return ImportResult(list_id=report.list_id, version=report.version, published=report.published,
                        unchanged=report.unchanged, tombstoned=report.tombstoned, entry_count=report.entry_count,
                        summary=summary, warnings=warnings, warning_count=len(res.warnings))


@router.get("/{list_id}/entries/{entry_id}", response_model=WatchlistEntry, responses=problems(401, 403, 404, 503))
async def get_entry(list_id: str, entry_id: str, ctx: Context, who: Admin) -> WatchlistEntry:
    """One entry as this instance holds it (role ``admin``); 404 when unknown."""
    entry = ctx.require_service().store.entries.get(f"{list_id}:{entry_id}")
    if entry is None:
        raise NotFound(f"no entry {entry_id!r} in list {list_id!r}")
    return entry


@router.put("/{list_id}/entries/{entry_id}", response_model=EntryWritten, status_code=200,
            responses={201: {"model": EntryWritten, "description": "a new entry was produced"},
                       **problems(401, 403, 422, 503)})
async def put_entry(list_id: str, entry_id: str, entry: WatchlistEntry, ctx: Context, who: Admin) -> Any:
    """Add (201) or replace (200) one entry by producing it to ``watchlist.entries``
    (role ``admin``); every worker applies it. The body's ``list_id``/``entry_id`` must
    equal the path's (422 otherwise). Audited as ``watchlist.entry.put``.

    A date of birth in the future (UTC date; a range whose ``from`` is) is dropped from
    the entry and named in ``warnings``, as the file importers do (field cases 06, 14):
    the rest of the entry is still produced.
    """
    _list_id(list_id)
    if entry.list_id != list_id or entry.entry_id != entry_id:
        raise Unprocessable("the entry's list_id and entry_id must equal the path's")
    if not entry.names:
        raise Unprocessable("an entry needs at least one name")
    future = future_birth_dates(entry.dates_of_birth, datetime.now(UTC).date())
    warnings = [future_birth_date_warning(d) for d in future]
    if future:
        entry = entry.model_copy(update={"dates_of_birth": [d for d in entry.dates_of_birth if d not in future]})
    store = ctx.require_service().store
    meta = store.lists.get(list_id)
    if entry.list_version is None and meta is not None:
        entry = entry.model_copy(update={"list_version": meta.version})
    existed = entry.key in store.entries
    partition, offset = await ctx.produce(ctx.settings.topic_watchlist_entries, key=entry.key.encode(),
                                          value=entry_value(entry))
    await ctx.audit_event(who, "watchlist.entry.put", target=entry.key, result_count=1)
    body = EntryWritten(list_id=list_id, entry_id=entry_id, entry=entry, topic=ctx.settings.topic_watchlist_entries,
                        partition=partition, offset=offset, warnings=warnings)
    return JSONResponse(body.model_dump(mode="json", by_alias=True), status_code=200 if existed else 201)


@router.delete("/{list_id}/entries/{entry_id}", response_model=EntryWritten, responses=problems(401, 403, 404, 503))
async def delete_entry(list_id: str, entry_id: str, ctx: Context, who: Admin) -> EntryWritten:
    """Remove one entry by producing a tombstone to ``watchlist.entries`` (role ``admin``);
    404 when this instance does not hold it. Audited as ``watchlist.entry.delete``."""
    key = f"{list_id}:{entry_id}"
    if key not in ctx.require_service().store.entries:
        raise NotFound(f"no entry {entry_id!r} in list {list_id!r}")
    partition, offset = await ctx.produce(ctx.settings.topic_watchlist_entries, key=key.encode(), value=None)
    await ctx.audit_event(who, "watchlist.entry.delete", target=key, result_count=1)
    return EntryWritten(list_id=list_id, entry_id=entry_id, entry=None, topic=ctx.settings.topic_watchlist_entries,
                        partition=partition, offset=offset)
