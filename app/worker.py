"""The screening worker: consume raw messages (PAXLST and PNRGOV), decode, screen, publish alerts.

One consumer in the group ``consumer_group`` and one transactional producer per worker.
Each fetched batch is handled in one Kafka transaction: the alerts (``alerts.internal``
and ``alerts.bilateral``), the dead-letter records, and the consumer offsets are
committed together, so no alert is lost and none is published twice by this service
(alert ids are deterministic as well, for consumers that read uncommitted data).

Failure handling (field case 18):
- auto-commit is off; decoding happens here on raw bytes, never in a deserializer;
- a message that cannot be decoded goes to the DLQ with headers ``error``,
  ``source.topic``, ``source.partition``, ``source.offset`` and its original bytes;
- a transient failure aborts the transaction, seeks every partition of the batch back
  to its first offset and retries with back-off; a message whose processing raised
  unexpectedly ``retry_max_attempts`` times is dead-lettered as ``processing_error``;
- a rebalance waits for the batch in hand (the revocation callback takes the batch lock).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import KafkaError, ProducerFenced

from app import metrics
from app.alerts import build_alert, flight_key_of
from app.kafka_utils import stop_consumer
from app.settings import Settings
from app.suppression import SuppressFn
from app.watchlist_state import Snapshot, WatchlistStore
from schemas.edifact import peek_header
from schemas.errors import DecodeError
from schemas.manifests import ManifestStatus, ManifestTracker
from schemas.paxlst import MessageHeader, decode_paxlst
from schemas.pnrgov import decode_pnrgov
from schemas.records import Alert, Traveller
from schemas.screening import result_to_hit, traveller_to_person

log = logging.getLogger(__name__)

class Decoded(Protocol):
    """What a decoder returns: the message headers and the travellers."""

    @property
    def messages(self) -> Sequence[MessageHeader]: ...

    @property
    def travellers(self) -> list[Traveller]: ...


Decoder = Callable[[bytes], Decoded]


R = TypeVar("R", bound=Decoded)


def repetition_aware(decode: Callable[..., R], senders: Collection[str]) -> Callable[[bytes], R]:
    """``decode`` (:func:`~schemas.paxlst.decode_paxlst` or
    :func:`~schemas.pnrgov.decode_pnrgov`) with ``split_repetitions=True`` for the
    interchanges whose UNB sender (S002 0004, read with
    :func:`~schemas.edifact.peek_header`) is one of ``senders``, off for every other
    (field case 03: PAXLST and PNRGOV senders declare ``*`` in UNA and send it as data).
    Returns ``decode`` itself when ``senders`` is empty."""
    if not senders:
        return decode
    chosen = frozenset(senders)

    def run(raw: bytes) -> R:
        header = peek_header(raw)
        return decode(raw, split_repetitions=header is not None and header.sender in chosen)

    return run


@dataclass
class Outcome:
    """What handling one raw message produced: alerts to publish (and the headers of
    the decoded messages, for manifest tracking), or a DLQ reason."""

    alerts: list[Alert] = field(default_factory=list)
    travellers: int = 0
    messages: Sequence[MessageHeader] = ()
    flight_key: str | None = None
    dlq_reason: str | None = None
    dlq_detail: str | None = None


def screen_travellers(travellers: list[Traveller], snapshot: Snapshot, settings: Settings, *,
                      suppress: SuppressFn | None = None) -> list[Alert]:
    """Screen one message's travellers in one call; one Alert per traveller with hits.

    ``suppress`` (see :mod:`app.suppression`) drops hits operators already decided were
    false positives (or of cleared travellers); when other hits remain, the dropped ones
    are listed under ``"suppressed"`` in the best remaining hit's explanation.
    """
    persons = [traveller_to_person(t) for t in travellers]
    started = time.perf_counter()
    results = snapshot.screener.screen(persons)
    metrics.SCREENING_LATENCY.observe(time.perf_counter() - started)
    alerts = []
    for traveller, matches in zip(travellers, results, strict=True):
        if not matches:
            continue
        hits = [
            result_to_hit(
                r,
                list_version=snapshot.list_version(r.list_id, r.entry_id),
                list_owner=snapshot.list_owner(r.list_id, settings.default_list_owner or settings.originator),
            )
            for r in matches
        ]
        if suppress is not None:
            hits, dropped = suppress(traveller, hits)
            if not hits:
                continue
            if dropped:
                best = max(hits, key=lambda h: h.score)
                best.explanation = {**best.explanation, "suppressed": dropped}
        alerts.append(build_alert(traveller, hits, originator=settings.originator,
                                  releasability=settings.releasability))
    return alerts


Output = tuple[str, bytes | None, bytes, list[tuple[str, bytes]]]
"""One record to produce: topic, key, value, headers."""


def dlq_record(dlq_topic: str, tp: TopicPartition, offset: int, key: bytes | None, value: bytes | None,
               outcome: Outcome, *, max_value_bytes: int = 900_000) -> Output:
    """The dead-letter record of a raw message: original key and bytes, and the headers
    ``error`` (``reason: detail``), ``source.topic``, ``source.partition``, ``source.offset``.

    A value longer than ``max_value_bytes`` (the broker would refuse the record) is cut
    to that length and the header ``value.truncated`` gives the original size in bytes;
    the original stays on the source topic at the offset named.
    """
    headers = [
        ("error", f"{outcome.dlq_reason}: {outcome.dlq_detail or ''}"[:1000].encode()),
        ("source.topic", tp.topic.encode()),
        ("source.partition", str(tp.partition).encode()),
        ("source.offset", str(offset).encode()),
    ]
    body = value or b""
    if len(body) > max_value_bytes:
        headers.append(("value.truncated", str(len(body)).encode()))
        body = body[:max_value_bytes]
    return (dlq_topic, key, body, headers)


class ScreeningWorker:
    """Consumes the raw-message topics (by default ``apis.paxlst.raw``) of one group."""

    def __init__(self, settings: Settings, store: WatchlistStore,
                 decoders: dict[str, Decoder] | None = None) -> None:
        self.settings = settings
        self.store = store
        senders = settings.edifact_repetition_senders
        self.decoders: dict[str, Decoder] = decoders or {
            settings.topic_paxlst_raw: repetition_aware(decode_paxlst, senders),
            settings.topic_pnrgov_raw: repetition_aware(decode_pnrgov, senders)}
        self.manifests = ManifestTracker()
        self.consumer: AIOKafkaConsumer | None = None
        self.producer: AIOKafkaProducer | None = None
        self.connected = False
        self.batch_lock = asyncio.Lock()
        self._attempts: dict[tuple[str, int, int], int] = {}
        self._failing: tuple[tuple[str, int, int], int] | None = None
        self._unpublishable: tuple[tuple[str, int, int], str] | None = None
        self._single_remaining = 0
        self.stuck_reason: str | None = None
        self.suppress: SuppressFn | None = None
        """Hook dropping suppressed hits (the service sets it; see :mod:`app.suppression`)."""
        self.suppress_ready: Callable[[], bool] | None = None
        """When set, the worker joins its group only once this returns True (suppressions loaded)."""

    @property
    def assignment(self) -> set[TopicPartition]:
        return set(self.consumer.assignment()) if self.consumer and self.connected else set()

    # -- lifecycle -------------------------------------------------------------
    async def run(self) -> None:
        """Run until cancelled, reconnecting after broker failures."""
        while True:
            try:
                await self._run_once()
            except asyncio.CancelledError:
                raise
            except ProducerFenced:
                log.error("producer fenced: another worker runs with transactional id %s; stopping",
                          self.settings.transactional_id)
                raise
            except Exception as exc:
                log.warning("screening worker failed; reconnecting", extra={"error": repr(exc)[:300]})
                await asyncio.sleep(self.settings.broker_retry_backoff_s)
            finally:
                self.connected = False

    async def _run_once(self) -> None:
        s = self.settings
        common = s.kafka_common()
        producer = AIOKafkaProducer(
            transactional_id=s.transactional_id if s.transactional else None,
            enable_idempotence=True, acks="all", **common,  # type: ignore[arg-type]
        )
        consumer = AIOKafkaConsumer(
            group_id=s.consumer_group, enable_auto_commit=False, auto_offset_reset="earliest",
            isolation_level="read_committed", max_poll_records=s.batch_max_records,
            **common,  # type: ignore[arg-type]
        )
        await producer.start()
        try:
            await consumer.start()
            try:
                self.producer, self.consumer = producer, consumer
                self.connected = True
                # Never screen against nothing: join the group only once the index serves.
                while not self.store.serving(require_entries=s.require_watchlist_entries):
                    await asyncio.sleep(0.2)
                while self.suppress_ready is not None and not self.suppress_ready():
                    await asyncio.sleep(0.2)
                consumer.subscribe(list(self.decoders), listener=_Listener(self))
                next_overdue_check = time.monotonic() + s.manifest_check_interval_s
                while True:
                    batch = await consumer.getmany(timeout_ms=s.poll_timeout_ms,
                                                   max_records=1 if self._single_remaining else None)
                    if batch:
                        async with self.batch_lock:
                            await self._handle_batch(batch)
                    await self._update_lag()
                    if time.monotonic() >= next_overdue_check:
                        self.report_overdue_manifests()
                        next_overdue_check = time.monotonic() + s.manifest_check_interval_s
            finally:
                await stop_consumer(consumer)
        finally:
            self.producer = self.consumer = None
            with contextlib.suppress(Exception):
                await producer.stop()

    async def _update_lag(self) -> None:
        consumer = self.consumer
        if consumer is None:
            return
        for tp in consumer.assignment():
            high = consumer.highwater(tp)
            if high is None:
                continue
            with contextlib.suppress(Exception):
                pos = await consumer.position(tp)
                metrics.CONSUMER_LAG.labels(topic=tp.topic, partition=str(tp.partition)).set(max(0, high - pos))

    # -- one batch -------------------------------------------------------------
    def _process(self, topic: str, partition: int, offset: int, raw: bytes | None) -> Outcome:
        """Decode and screen one raw message (runs in a worker thread)."""
        snapshot = self.store.snapshot
        if snapshot is None:
            raise TransientProcessingError("watchlist index not loaded")
        if not raw:
            return Outcome(dlq_reason="empty_message", dlq_detail="the record has no value")
        decoder = self.decoders[topic]
        try:
            decoded = decoder(raw)
        except DecodeError as exc:
            return Outcome(dlq_reason=exc.reason, dlq_detail=exc.detail)
        travellers = decoded.travellers
        for t in travellers:
            if t.source is not None:
                t.source.topic, t.source.partition, t.source.offset = topic, partition, offset
            for w in t.warnings:
                metrics.DECODE_WARNINGS.labels(code=w.code).inc()
        alerts = screen_travellers(travellers, snapshot, self.settings, suppress=self.suppress) if travellers else []
        return Outcome(alerts=alerts, travellers=len(travellers), messages=list(decoded.messages),
                       flight_key=flight_key_of(travellers))

    async def _handle_batch(self, batch: dict[TopicPartition, list[Any]]) -> None:
        """Screen one fetched batch and publish its results in one transaction.

        On failure nothing is committed: every partition of the batch is rewound to its
        first offset and the batch is fetched again after a back-off. A message whose
        decoding or screening raises ``retry_max_attempts`` times is dead-lettered as
        ``processing_error``. A batch the broker keeps refusing for a reason that retrying
        cannot fix (a record too large, say) is retried one message at a time, and such a
        message is finally dead-lettered (value truncated if need be) as
        ``publish_failed``; while that goes on the worker reports ``processing_stuck``.
        """
        s = self.settings
        consumer = self.consumer
        assert consumer is not None
        started = time.perf_counter()
        outputs: list[Output] = []
        screened: list[tuple[str, Outcome]] = []
        first_tp = min(batch, key=lambda tp: (tp.topic, tp.partition))
        first = batch[first_tp][0]
        batch_key = (first_tp.topic, first_tp.partition, first.offset)
        try:
            for tp, msgs in batch.items():
                for m in msgs:
                    if self._unpublishable is not None and self._unpublishable[0] == (tp.topic, tp.partition, m.offset):
                        outcome = Outcome(dlq_reason="publish_failed", dlq_detail=self._unpublishable[1])
                    else:
                        outcome = await self._outcome(tp, m)
                    if outcome.dlq_reason:
                        outputs.append(dlq_record(s.topic_dlq, tp, m.offset, m.key, m.value, outcome,
                                                  max_value_bytes=s.dlq_max_value_bytes))
                    else:
                        self._track_manifests(outcome, m.key)
                        for alert in outcome.alerts:
                            value = orjson.dumps(alert.model_dump(mode="json", by_alias=True))
                            key = alert.alert_id.encode()
                            outputs.append((s.topic_alerts_internal, key, value, []))
                            outputs.append((s.topic_alerts_bilateral, key, value, []))
                    screened.append((tp.topic, outcome))
            offsets = {tp: msgs[-1].offset + 1 for tp, msgs in batch.items()}
            await self._publish(outputs, offsets)
        except (TransientProcessingError, KafkaError) as exc:
            if isinstance(exc, ProducerFenced):
                raise
            self._note_failure(batch_key, exc, sum(len(msgs) for msgs in batch.values()))
            metrics.TRANSIENT_FAILURES.inc()
            log.warning("batch aborted; retrying", extra={"error": repr(exc)[:300], "topic": first_tp.topic,
                                                          "partition": first_tp.partition, "offset": first.offset})
            for tp, msgs in batch.items():
                consumer.seek(tp, msgs[0].offset)
            await asyncio.sleep(s.retry_backoff_s)
            return
        self._failing = None
        self._unpublishable = None
        self._single_remaining = max(0, self._single_remaining - 1)
        self.stuck_reason = None
        metrics.PROCESSING_STUCK.set(0)
        for tp, msgs in batch.items():
            for m in msgs:
                self._attempts.pop((tp.topic, tp.partition, m.offset), None)
        self._count(screened)
        metrics.MESSAGE_LATENCY.observe(time.perf_counter() - started)

    async def _outcome(self, tp: TopicPartition, m: Any) -> Outcome:
        """Decode and screen one message in a worker thread; count a failure and raise
        TransientProcessingError until it has failed ``retry_max_attempts`` times."""
        try:
            return await asyncio.to_thread(self._process, tp.topic, tp.partition, m.offset, m.value)
        except TransientProcessingError:
            raise
        except Exception as exc:  # a decoder or matcher bug: retry, then dead-letter
            attempt = (tp.topic, tp.partition, m.offset)
            self._attempts[attempt] = self._attempts.get(attempt, 0) + 1
            if self._attempts[attempt] < self.settings.retry_max_attempts:
                raise TransientProcessingError(f"processing failed: {exc!r}") from exc
            log.exception("message dead-lettered after %d attempts", self._attempts[attempt],
                          extra={"topic": tp.topic, "partition": tp.partition, "offset": m.offset})
            return Outcome(dlq_reason="processing_error", dlq_detail=repr(exc)[:500])

    def _note_failure(self, batch_key: tuple[str, int, int], exc: Exception, size: int) -> None:
        """Track batches the broker keeps refusing for a reason retrying cannot fix: after
        ``retry_max_attempts`` failures a batch is retried one message at a time, and a
        single message that still fails is dead-lettered as ``publish_failed``."""
        if not isinstance(exc, KafkaError) or getattr(exc, "retriable", False):
            return
        count = self._failing[1] + 1 if self._failing and self._failing[0] == batch_key else 1
        self._failing = (batch_key, count)
        if count < self.settings.retry_max_attempts:
            return
        self.stuck_reason = f"publish keeps failing: {exc!r}"[:300]
        metrics.PROCESSING_STUCK.set(1)
        self._failing = None
        if size > 1:
            self._single_remaining = size
        else:
            self._unpublishable = (batch_key, repr(exc)[:300])

    def _count(self, screened: list[tuple[str, Outcome]]) -> None:
        """Metrics for a committed batch (counted once, after the commit)."""
        s = self.settings
        alerts = 0
        for topic, outcome in screened:
            metrics.MESSAGES_CONSUMED.labels(topic=topic).inc()
            if outcome.dlq_reason:
                metrics.DECODE_FAILURES.labels(reason=outcome.dlq_reason).inc()
                metrics.DEAD_LETTERED.labels(topic=s.topic_dlq, reason=outcome.dlq_reason).inc()
                log.warning("message dead-lettered", extra={"topic": topic, "reason": outcome.dlq_reason})
                continue
            fmt = "PAXLST" if topic == s.topic_paxlst_raw else "PNRGOV"
            metrics.TRAVELLERS_SCREENED.labels(format=fmt).inc(outcome.travellers)
            alerts += len(outcome.alerts)
        metrics.ALERTS_PUBLISHED.labels(topic=s.topic_alerts_bilateral).inc(alerts)
        metrics.ALERTS_PUBLISHED.labels(topic=s.topic_alerts_internal).inc(alerts)
        log.info("batch committed", extra={"messages": len(screened), "alerts": alerts})

    def _track_manifests(self, outcome: Outcome, record_key: bytes | None) -> None:
        """Record the parts of multi-part manifests (UNH 0070/0073); a part seen twice is
        logged (its alerts keep their deterministic ids)."""
        key = outcome.flight_key or (record_key or b"").decode("utf-8", "replace")
        now = datetime.now(UTC)
        for header in outcome.messages:
            status = self.manifests.observe(header, key, now)
            if status.duplicate:
                log.info("manifest part received again", extra={"manifest": status.manifest_id,
                                                                 "part": header.part_number})
        metrics.MANIFESTS_TRACKED.set(len(self.manifests))

    def report_overdue_manifests(self, now: datetime | None = None) -> list[ManifestStatus]:
        """Log and count the manifests still missing parts after ``manifest_wait_s``."""
        overdue = self.manifests.overdue(now or datetime.now(UTC), self.settings.manifest_wait_s)
        for status in overdue:
            metrics.MANIFESTS_INCOMPLETE.inc()
            log.warning("manifest incomplete", extra={
                "manifest": status.manifest_id, "parts_received": list(status.parts_received),
                "missing_parts": list(status.missing_parts), "final_part": status.final_part})
        return overdue

    async def _publish(self, outputs: list[Output],
                       offsets: dict[TopicPartition, int]) -> None:
        """Send the outputs and commit the offsets: in one transaction, or (without
        transactions) commit only after the broker acknowledged every output."""
        producer, consumer = self.producer, self.consumer
        assert producer is not None and consumer is not None
        if self.settings.transactional:
            async with producer.transaction():
                for topic, key, value, headers in outputs:
                    await producer.send(topic, value=value, key=key, headers=headers)
                await producer.send_offsets_to_transaction(offsets, self.settings.consumer_group)
        else:
            futures = [await producer.send(topic, value=value, key=key, headers=headers)
                       for topic, key, value, headers in outputs]
            for fut in futures:
                await fut
            await consumer.commit(offsets)


class TransientProcessingError(Exception):
    """A failure worth retrying (the index is not loaded yet, a dependency is down)."""

    retriable = True


class _Listener(ConsumerRebalanceListener):  # type: ignore[misc]
    """Waits for the batch in hand before partitions are given up (case 18, scenario Y)."""

    def __init__(self, worker: ScreeningWorker) -> None:
        self.worker = worker

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        async with self.worker.batch_lock:
            log.info("partitions revoked", extra={"partitions": [f"{tp.topic}:{tp.partition}" for tp in revoked]})

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        log.info("partitions assigned", extra={"partitions": [f"{tp.topic}:{tp.partition}" for tp in assigned]})
