"""Producers used by the CLI and the demo: publish a watchlist version, replay raw files."""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import orjson
from aiokafka import AIOKafkaProducer

from app.alerts import flight_key_of
from app.kafka_utils import discard_caught_up, topic_reader
from app.settings import Settings
from schemas.records import WatchList, WatchlistEntry


@dataclass
class ImportReport:
    """What ``publish_watchlist`` did: entries ``published`` (new or changed),
    ``unchanged`` (skipped: same JSON as on the topic), ``tombstoned`` (left the list)."""

    list_id: str
    version: str
    published: int
    unchanged: int
    tombstoned: int
    entry_count: int

    def to_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def entry_value(entry: WatchlistEntry) -> bytes:
    """The wire form of an entry on ``watchlist.entries`` (canonical JSON)."""
    return orjson.dumps(entry.model_dump(mode="json", by_alias=True), option=orjson.OPT_SORT_KEYS)


async def read_current_entries(settings: Settings, list_id: str) -> dict[str, bytes]:
    """The current values of one list on the compacted ``watchlist.entries`` topic
    (key → value, tombstoned keys absent), read from the beginning to the end offsets."""
    async with topic_reader(settings, (settings.topic_watchlist_entries,), require=False) as (consumer, tps):
        if not tps:
            return {}
        await consumer.seek_to_beginning(*tps)
        end = await consumer.end_offsets(tps)
        current: dict[str, bytes] = {}
        prefix = f"{list_id}:"
        pending = {tp for tp in tps if end[tp] > 0}
        while pending:
            batch = await consumer.getmany(timeout_ms=1000, max_records=10_000)
            for _tp, msgs in batch.items():
                for m in msgs:
                    key = (m.key or b"").decode("utf-8", "replace")
                    if not key.startswith(prefix):
                        continue
                    if m.value is None:
                        current.pop(key, None)
                    else:
                        current[key] = m.value
            await discard_caught_up(consumer, pending, end)
        return current


LIST_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
"""List ids: letters, digits, ``.``, ``_``, ``-``; no ``:`` (it separates list and entry in keys)."""


def check_list_id(list_id: str) -> str:
    """Return ``list_id`` or raise ValueError when it is not a valid list id."""
    if not LIST_ID_PATTERN.fullmatch(list_id or ""):  # fullmatch: "$" alone lets a final newline through
        raise ValueError(f"invalid list id {list_id!r}: use 1-64 letters, digits, '.', '_' or '-' (no ':')")
    return list_id


ENTRY_KEY_JSON_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}:\S([\s\S]*\S)?$"
"""The form of an entry key ``list_id:entry_id`` (as :func:`check_entry_key` checks it),
for JSON Schemas."""


def check_entry_key(key: str) -> str:
    """Return ``key`` or raise ValueError when it is not ``list_id:entry_id``: a valid list
    id (:func:`check_list_id`), ``:``, and a non-empty entry id without leading or trailing
    white space (the entry id may itself contain ``:``; the key of ``watchlist.entries``)."""
    list_id, sep, entry_id = key.partition(":")
    if not sep:
        raise ValueError("an entry key is 'list_id:entry_id'")
    if not LIST_ID_PATTERN.fullmatch(list_id):
        raise ValueError(f"the list id {list_id[:70]!r} is not valid: 1-64 letters, digits, '.', '_' or '-'")
    if not entry_id.strip():
        raise ValueError("the entry id after ':' is empty")
    if entry_id != entry_id.strip():
        raise ValueError("the entry id has leading or trailing white space")
    return key


def _content(value: bytes) -> dict[str, object]:
    """An entry's content for change detection: everything but its ``list_version``."""
    data = orjson.loads(value)
    data.pop("list_version", None)
    return data  # type: ignore[no-any-return]


async def _send_list_record(producer: AIOKafkaProducer, settings: Settings, meta: WatchList) -> None:
    await producer.send_and_wait(settings.topic_watchlist_lists, key=meta.list_id.encode(),
                                 value=orjson.dumps(meta.model_dump(mode="json")))


async def publish_watchlist(
    settings: Settings,
    entries: list[WatchlistEntry],
    *,
    list_id: str,
    source: str | None,
    fmt: str | None,
    version: str | None = None,
    owner: str | None = None,
    shareable: bool = True,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Publish one list version and make it the list's current one.

    Order on the wire: a ``watchlist.lists`` record with ``status="importing"`` (workers
    hold index rebuilds for this list meanwhile), then the changed entries on
    ``watchlist.entries``, tombstones for entries no longer on the list, and finally the
    ``watchlist.lists`` record with ``status="complete"``. Entries whose content is
    unchanged (all but ``list_version``) are not re-sent, so re-importing a list makes no
    churn. ``version`` defaults to a hash of the entries' content.

    ``progress`` is called with the number of records sent since the last call.
    Raises ValueError for an invalid ``list_id``; aiokafka's KafkaError when the broker
    is unreachable.
    """
    check_list_id(list_id)
    values: dict[str, bytes] = {}
    for e in entries:
        e = e.model_copy(update={"list_id": list_id})
        values[e.key] = entry_value(e)
    version = version or hashlib.sha256(b"".join(values[k] for k in sorted(values))).hexdigest()[:16]
    current = await read_current_entries(settings, list_id)
    producer = AIOKafkaProducer(enable_idempotence=True, acks="all", linger_ms=20,
                                **settings.kafka_common())  # type: ignore[arg-type]
    await producer.start()
    published = unchanged = tombstoned = 0
    try:
        meta = WatchList(list_id=list_id, version=version, entry_count=len(values), imported_at=datetime.now(UTC),
                         source=source, format=fmt, owner=owner, shareable=shareable, status="importing")
        await _send_list_record(producer, settings, meta)
        pending: list[asyncio.Future[object]] = []
        for key, value in values.items():
            old = current.get(key)
            if old is not None and _content(old) == _content(value):
                unchanged += 1
                continue
            pending.append(await producer.send(settings.topic_watchlist_entries, key=key.encode(), value=value))
            published += 1
            if progress:
                progress(1)
        for key in current.keys() - values.keys():
            pending.append(await producer.send(settings.topic_watchlist_entries, key=key.encode(), value=None))
            tombstoned += 1
            if progress:
                progress(1)
        for fut in pending:
            await fut
        await _send_list_record(producer, settings, meta.model_copy(update={"status": "complete",
                                                                            "imported_at": datetime.now(UTC)}))
    finally:
        await producer.stop()
    return ImportReport(list_id=list_id, version=version, published=published, unchanged=unchanged,
                        tombstoned=tombstoned, entry_count=len(values))


def flight_key(raw: bytes) -> bytes | None:
    """The partitioning key of a raw message: carrier, flight number and departure date
    from the decoded flight (so every part of a manifest lands on one partition), or None
    when the message cannot be decoded (it is still published and will be dead-lettered)."""
    from schemas.errors import DecodeError
    from schemas.paxlst import decode_paxlst
    from schemas.pnrgov import decode_pnrgov, looks_like_pnrgov

    try:
        decoded = decode_pnrgov(raw) if looks_like_pnrgov(raw) else decode_paxlst(raw)
    except DecodeError:
        return None
    key = flight_key_of(decoded.travellers)
    return key.encode() if key else None


class UnknownTopic(ValueError):
    """The topic named does not exist on the cluster (this service never auto-creates)."""


async def replay_files(settings: Settings, paths: Iterable[Path], *, topic: str,
                       source: str = "replay") -> list[tuple[str, int, int]]:
    """Publish each file's bytes as one record to ``topic`` (headers content-type, source,
    received-at). Returns (file, partition, offset) per file, in order.
    Raises OSError for an unreadable file and UnknownTopic for a topic that does not
    exist (both before anything is sent); KafkaError when the broker is unreachable."""
    payloads = [(str(p), Path(p).read_bytes()) for p in paths]
    producer = AIOKafkaProducer(enable_idempotence=True, acks="all", **settings.kafka_common())  # type: ignore[arg-type]
    try:
        await producer.start()
    except BaseException:
        await producer.stop()
        raise
    try:
        if not topic or topic not in (await producer.client.fetch_all_metadata()).topics():
            raise UnknownTopic(f"topic {topic!r} does not exist")
        out = []
        for name, data in payloads:
            headers = [("content-type", b"application/edifact"), ("source", source.encode()),
                       ("received-at", datetime.now(UTC).isoformat().encode())]
            md = await producer.send_and_wait(topic, value=data, key=flight_key(data), headers=headers)
            out.append((name, md.partition, md.offset))
        return out
    finally:
        await producer.stop()
