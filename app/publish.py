"""Producers used by the CLI and the demo: publish a watchlist version, replay raw files."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from app.alerts import flight_key_of
from app.kafka_utils import stop_consumer, topic_partitions
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
    consumer = AIOKafkaConsumer(group_id=None, enable_auto_commit=False, auto_offset_reset="earliest",
                                isolation_level="read_committed", **settings.kafka_common())  # type: ignore[arg-type]
    await consumer.start()
    try:
        tps = await topic_partitions(consumer, settings.topic_watchlist_entries)
        if not tps:
            return {}
        consumer.assign(tps)
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
            for tp in list(pending):
                if await consumer.position(tp) >= end[tp]:
                    pending.discard(tp)
        return current
    finally:
        await stop_consumer(consumer)


async def publish_watchlist(
    settings: Settings,
    entries: list[WatchlistEntry],
    *,
    list_id: str,
    source: str | None,
    fmt: str | None,
    owner: str | None = None,
    shareable: bool = True,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Publish one list version to ``watchlist.entries`` and then its WatchList record to
    ``watchlist.lists``. Replaces the list: entries on the topic but not in ``entries``
    get tombstones; entries whose JSON is unchanged are not re-sent (no churn).

    ``progress`` is called with the number of records sent since the last call.
    Raises aiokafka's KafkaError when the broker is unreachable.
    """
    values: dict[str, bytes] = {}
    for e in entries:
        e = e.model_copy(update={"list_id": list_id})
        values[e.key] = entry_value(e)
    version = hashlib.sha256(b"".join(values[k] for k in sorted(values))).hexdigest()[:16]
    current = await read_current_entries(settings, list_id)
    producer = AIOKafkaProducer(enable_idempotence=True, acks="all", linger_ms=20,
                                **settings.kafka_common())  # type: ignore[arg-type]
    await producer.start()
    published = unchanged = tombstoned = 0
    try:
        pending: list[asyncio.Future[object]] = []
        for key, value in values.items():
            if current.get(key) == value:
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
        meta = WatchList(list_id=list_id, version=version, entry_count=len(values),
                         imported_at=datetime.now(UTC), source=source, format=fmt, owner=owner,
                         shareable=shareable)
        await producer.send_and_wait(settings.topic_watchlist_lists, key=list_id.encode(),
                                     value=orjson.dumps(meta.model_dump(mode="json")))
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

    try:
        key = flight_key_of(decode_paxlst(raw).travellers)
    except DecodeError:
        return None
    return key.encode() if key else None


async def replay_files(settings: Settings, paths: Iterable[Path], *, topic: str,
                       source: str = "replay") -> list[tuple[str, int, int]]:
    """Publish each file's bytes as one record to ``topic`` (headers content-type, source,
    received-at). Returns (file, partition, offset) per file, in order.
    Raises OSError for an unreadable file (before anything is sent)."""
    payloads = [(str(p), Path(p).read_bytes()) for p in paths]
    producer = AIOKafkaProducer(enable_idempotence=True, acks="all", **settings.kafka_common())  # type: ignore[arg-type]
    await producer.start()
    try:
        out = []
        for name, data in payloads:
            headers = [("content-type", b"application/edifact"), ("source", source.encode()),
                       ("received-at", datetime.now(UTC).isoformat().encode())]
            md = await producer.send_and_wait(topic, value=data, key=flight_key(data), headers=headers)
            out.append((name, md.partition, md.offset))
        return out
    finally:
        await producer.stop()
