"""Field case 18 without a broker: the worker's batch handling against a fake consumer
and producer (the integration tests run the same scenarios on a real broker). Partition
p0 holds offsets 40–44 (valid manifests; 42 fails transiently once), p1 holds 7 (bytes
that are no EDIFACT) and 8 (valid)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from aiokafka import TopicPartition

from app.settings import Settings
from app.watchlist_state import Snapshot
from app.worker import ScreeningWorker, TransientProcessingError, _Listener
from matchers import MatchConfig, Person, PersonName, Screener
from schemas.paxlst import PaxlstDecodeResult, decode_paxlst
from schemas.paxlst_encode import encode_paxlst
from schemas.records import Flight, Traveller

TOPIC = "apis.paxlst.raw"
P0, P1 = TopicPartition(TOPIC, 0), TopicPartition(TOPIC, 1)
FLIGHT = Flight(carrier="ZZ", number="0180", departure_airport="AAA", arrival_airport="BBB")
GARBAGE = b"\xff\xfe\x00garbage"


def manifest(n: int, surname: str = "DOE") -> bytes:
    traveller = Traveller(traveller_id="1", surname=surname, given_names="JANE", date_of_birth="1980-01-01")
    return encode_paxlst([traveller], flight=FLIGHT, interchange_ref=f"IC{n}", message_ref=f"M{n}")


@dataclass
class Record:
    offset: int
    value: bytes
    key: bytes | None = b"ZZ0180"


@dataclass
class FakeConsumer:
    seeks: list[tuple[TopicPartition, int]] = field(default_factory=list)
    commits: list[dict[TopicPartition, int]] = field(default_factory=list)

    def seek(self, tp: TopicPartition, offset: int) -> None:
        self.seeks.append((tp, offset))

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.commits.append(dict(offsets))


@dataclass
class FakeProducer:
    sent: list[tuple[str, bytes | None, bytes, list[tuple[str, bytes]]]] = field(default_factory=list)

    async def send(self, topic: str, *, value: bytes, key: bytes | None, headers: list[tuple[str, bytes]]) -> Any:
        self.sent.append((topic, key, value, headers))

        async def acked() -> None:
            return None

        return acked()


class FakeStore:
    def __init__(self) -> None:
        name = PersonName(surname="DOE", given_names="JANE")
        listed = Person(key="wl:E1", names=(name,), list_id="wl", entry_id="E1")
        self.snapshot = Snapshot(screener=Screener([listed], MatchConfig()), entry_versions={}, lists={})


def worker(decode: Any, *, attempts: int = 3) -> tuple[ScreeningWorker, FakeConsumer, FakeProducer]:
    settings = Settings(
        kafka_bootstrap_servers="127.0.0.1:9",
        transactional=False,
        retry_max_attempts=attempts,
        retry_backoff_s=0.001,
        topic_paxlst_raw=TOPIC,
    )
    w = ScreeningWorker(settings, FakeStore(), decoders={TOPIC: decode})  # type: ignore[arg-type]
    consumer, producer = FakeConsumer(), FakeProducer()
    w.consumer, w.producer = consumer, producer  # type: ignore[assignment]
    return w, consumer, producer


def batch() -> dict[TopicPartition, list[Record]]:
    return {
        P0: [Record(o, manifest(o)) for o in range(40, 45)],
        P1: [Record(7, GARBAGE), Record(8, manifest(8))],
    }


async def test_transient_failure_rewinds_every_partition_and_commits_nothing() -> None:
    failed: set[bytes] = set()

    def decode(raw: bytes) -> PaxlstDecodeResult:
        if raw == manifest(42) and raw not in failed:
            failed.add(raw)
            raise TransientProcessingError("watchlist store unavailable")
        return decode_paxlst(raw)

    w, consumer, producer = worker(decode)
    await w._handle_batch(batch())  # type: ignore[arg-type]
    assert consumer.commits == [] and producer.sent == []
    assert sorted(consumer.seeks, key=lambda s: s[0].partition) == [(P0, 40), (P1, 7)]

    await w._handle_batch(batch())  # type: ignore[arg-type]  # the same records, fetched again
    assert consumer.commits == [{P0: 45, P1: 9}]
    dlq = [s for s in producer.sent if s[0] == w.settings.topic_dlq]
    assert len(dlq) == 1
    _, key, value, headers = dlq[0]
    assert (key, value) == (b"ZZ0180", GARBAGE)  # original key and bytes unchanged
    got = dict(headers)
    assert (got["source.topic"], got["source.partition"], got["source.offset"]) == (TOPIC.encode(), b"1", b"7")
    assert got["error"].startswith(b"not_edifact")
    internal = [s for s in producer.sent if s[0] == w.settings.topic_alerts_internal]
    assert len(internal) == 6  # one alert per valid manifest: p0 40–44 and p1 8, none lost
    assert len({s[1] for s in internal}) == 6


async def test_poison_message_is_dead_lettered_after_the_last_attempt() -> None:
    def decode(raw: bytes) -> PaxlstDecodeResult:
        if raw == manifest(41):
            raise RuntimeError("decoder bug")
        return decode_paxlst(raw)

    w, consumer, producer = worker(decode, attempts=3)
    for _ in range(2):
        await w._handle_batch(batch())  # type: ignore[arg-type]
        assert consumer.commits == [] and producer.sent == []
    await w._handle_batch(batch())  # type: ignore[arg-type]
    assert consumer.commits == [{P0: 45, P1: 9}]
    dlq = {dict(s[3])["source.offset"]: dict(s[3])["error"] for s in producer.sent if s[0] == w.settings.topic_dlq}
    assert set(dlq) == {b"41", b"7"}
    assert dlq[b"41"].startswith(b"processing_error")


async def test_redelivered_batch_yields_the_same_alert_ids() -> None:
    w, _, producer = worker(decode_paxlst)
    await w._handle_batch(batch())  # type: ignore[arg-type]
    first = [s[1] for s in producer.sent if s[0] == w.settings.topic_alerts_internal]
    producer.sent.clear()
    await w._handle_batch(batch())  # type: ignore[arg-type]  # at-least-once: delivered again
    again = [s[1] for s in producer.sent if s[0] == w.settings.topic_alerts_internal]
    assert first == again and len(first) == 6


async def test_revocation_waits_for_the_batch_in_hand() -> None:
    """Scenario Y: partitions are given up only after the batch being handled has
    committed its offsets, so no stale offset of a revoked partition is committed later."""
    w, consumer, _ = worker(decode_paxlst)
    events: list[str] = []

    async def handle() -> None:
        async with w.batch_lock:
            await asyncio.sleep(0.05)
            await w._handle_batch(batch())  # type: ignore[arg-type]
            events.append("committed")

    async def revoke() -> None:
        await asyncio.sleep(0.01)  # the rebalance starts while the batch is in hand
        await _Listener(w).on_partitions_revoked([P1])
        events.append("revoked")

    await asyncio.gather(handle(), revoke())
    assert events == ["committed", "revoked"]
    assert consumer.commits == [{P0: 45, P1: 9}]
