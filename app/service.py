"""Wiring: topics, the watchlist store and the screening worker in one process.

``Service.run()`` keeps trying to reach the broker (so ``/healthz`` answers while it is
down) and then runs the store, the worker and a broker probe until cancelled.
``readiness()`` says what is missing before the service is ready; ``failure`` is set when
the service stopped for good (for example, fenced by another instance with the same
transactional id), and ``/healthz`` then fails so the orchestrator restarts it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import Protocol

from aiokafka import AIOKafkaProducer

from app import metrics
from app.kafka_utils import broker_answers
from app.settings import Settings
from app.suppression import SuppressionConsumer, SuppressionSet
from app.topics import ensure_topics
from app.watchlist_state import WatchlistStore
from app.worker import ScreeningWorker

log = logging.getLogger(__name__)


@dataclass
class Readiness:
    """``ready`` and, when not, the ``reasons`` (machine-readable codes:
    ``broker_unreachable``, ``watchlist_not_loaded``, ``watchlist_empty``,
    ``no_partitions_assigned``, ``processing_stuck``, ``service_failed``)."""

    ready: bool
    reasons: list[str] = field(default_factory=list)
    checks: dict[str, bool] = field(default_factory=dict)


class RecordSink(Protocol):
    """Where the operator API produces records (dispositions, watchlist entries, raw messages)."""

    async def send(self, topic: str, *, key: bytes | None, value: bytes | None,
                   headers: list[tuple[str, bytes]] | None = None) -> tuple[int, int]:
        """Produce one record and wait for the broker's acknowledgement; returns
        ``(partition, offset)``. Raises aiokafka's KafkaError when the broker refuses."""
        ...


class KafkaRecordSink:
    """One long-lived idempotent producer (``acks=all``), started on first use and
    stopped with the service."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._producer: AIOKafkaProducer | None = None
        self._lock = asyncio.Lock()

    async def _get(self) -> AIOKafkaProducer:
        async with self._lock:
            if self._producer is None:
                producer = AIOKafkaProducer(enable_idempotence=True, acks="all",
                                            **self.settings.kafka_common())  # type: ignore[arg-type]
                try:
                    await producer.start()
                except BaseException:
                    with contextlib.suppress(Exception):
                        await producer.stop()
                    raise
                self._producer = producer
            return self._producer

    async def send(self, topic: str, *, key: bytes | None, value: bytes | None,
                   headers: list[tuple[str, bytes]] | None = None) -> tuple[int, int]:
        producer = await self._get()
        md = await producer.send_and_wait(topic, value=value, key=key, headers=headers)
        return md.partition, md.offset

    async def stop(self) -> None:
        async with self._lock:
            if self._producer is not None:
                with contextlib.suppress(Exception):
                    await self._producer.stop()
                self._producer = None


class Service:
    """The screening service: one watchlist store and one screening worker."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = WatchlistStore(settings)
        self.worker = ScreeningWorker(settings, self.store)
        self.suppressions = SuppressionSet(expiry_days=settings.suppression_expiry_days)
        self.worker.suppress = self.suppressions.filter
        self.worker.suppress_ready = self.suppressions.loaded.is_set
        self.producer: RecordSink = KafkaRecordSink(settings)
        self.topics_ready = False
        self.broker_error: str | None = "not contacted yet"
        self.failure: str | None = None
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def last_error(self) -> str | None:
        """The most telling current problem, for ``/readyz``."""
        return self.failure or self.broker_error or self.worker.stuck_reason

    async def probe_broker(self) -> bool:
        """One metadata request; records the result for readiness and the metric."""
        self.broker_error = await broker_answers(self.settings.kafka_common(),
                                                 timeout_s=min(5.0, self.settings.kafka_request_timeout_ms / 1000))
        metrics.BROKER_UP.set(0 if self.broker_error else 1)
        return self.broker_error is None

    async def _probe_loop(self) -> None:
        was_up = True
        while True:
            up = await self.probe_broker()
            if up != was_up:
                (log.info if up else log.warning)("broker %s", "reachable again" if up else "unreachable",
                                                  extra={"error": self.broker_error})
                was_up = up
            await asyncio.sleep(self.settings.broker_probe_interval_s)

    async def _prepare_topics(self) -> None:
        while True:
            try:
                if self.settings.create_topics:
                    await ensure_topics(self.settings)
                self.topics_ready = True
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.broker_error = f"broker unreachable: {exc!r}"[:300]
                log.warning("broker unreachable; retrying", extra={"error": repr(exc)[:300],
                                                                   "bootstrap": self.settings.bootstrap_servers})
                await asyncio.sleep(self.settings.broker_retry_backoff_s)

    async def run(self) -> None:
        """Run until cancelled; a fatal error (fencing) is recorded in ``failure`` and raised."""
        try:
            await self._prepare_topics()
            await self.probe_broker()
            self._tasks = [asyncio.create_task(self.store.run(), name="watchlist-store"),
                           asyncio.create_task(self.worker.run(), name="screening-worker"),
                           asyncio.create_task(self._probe_loop(), name="broker-probe"),
                           asyncio.create_task(SuppressionConsumer(self.settings, self.suppressions).run(),
                                               name="suppressions")]
            done, _ = await asyncio.wait(self._tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                task.result()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.failure = f"{type(exc).__name__}: {exc}"[:300]
            log.critical("service stopped", extra={"error": self.failure})
            raise
        finally:
            for task in self._tasks:
                task.cancel()
            for task in self._tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            if isinstance(self.producer, KafkaRecordSink):
                await self.producer.stop()

    def readiness(self) -> Readiness:
        """Ready when the broker answers, the watchlists are loaded (and not empty, unless
        ``require_watchlist_entries`` is off), partitions are assigned and nothing is stuck."""
        snapshot = self.store.snapshot
        checks = {
            "broker_reachable": self.topics_ready and self.broker_error is None,
            "watchlist_loaded": self.store.loaded.is_set() and snapshot is not None,
            "watchlist_not_empty": (snapshot is not None and len(snapshot.screener) > 0)
            or not self.settings.require_watchlist_entries,
            "partitions_assigned": bool(self.worker.assignment),
            "not_stuck": self.worker.stuck_reason is None,
            "running": self.failure is None,
        }
        names = {"broker_reachable": "broker_unreachable", "watchlist_loaded": "watchlist_not_loaded",
                 "watchlist_not_empty": "watchlist_empty", "partitions_assigned": "no_partitions_assigned",
                 "not_stuck": "processing_stuck", "running": "service_failed"}
        reasons = [names[name] for name, ok in checks.items() if not ok]
        return Readiness(ready=not reasons, reasons=reasons, checks=checks)
