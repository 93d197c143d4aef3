"""Integration tests run against a real Apache Kafka broker.

The broker is the one `make test` / `.ci/run` starts from deploy/kafka (or
APIS_MATCHER_KAFKA_BOOTSTRAP_SERVERS). Under CI (CI=true) an unreachable broker fails the
run; elsewhere these tests are skipped with the reason. Each test gets its own topic names
and consumer group, so tests do not see each other's records.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from app.kafka_utils import stop_consumer, topic_partitions
from app.localkafka import is_ready
from app.service import Service
from app.settings import Settings


def _bootstrap() -> str:
    return os.environ.get("APIS_MATCHER_KAFKA_BOOTSTRAP_SERVERS") or (
        f"127.0.0.1:{os.environ.get('APIS_MATCHER_LOCAL_KAFKA_PORT', '19092')}")


@pytest.fixture(scope="session")
def bootstrap() -> str:
    bs = _bootstrap()
    if not is_ready(bs, timeout_s=10.0):
        message = f"no Kafka broker answers at {bs}; start it with `make broker-start`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return bs


@pytest.fixture
def settings(bootstrap: str) -> Settings:
    suffix = uuid.uuid4().hex[:10]
    return Settings(
        kafka_bootstrap_servers=bootstrap,
        topic_paxlst_raw=f"it.{suffix}.apis.paxlst.raw",
        topic_pnrgov_raw=f"it.{suffix}.pnr.pnrgov.raw",
        topic_watchlist_entries=f"it.{suffix}.watchlist.entries",
        topic_watchlist_lists=f"it.{suffix}.watchlist.lists",
        topic_alerts_internal=f"it.{suffix}.alerts.internal",
        topic_alerts_bilateral=f"it.{suffix}.alerts.bilateral",
        topic_alerts_dispositions=f"it.{suffix}.alerts.dispositions",
        topic_dlq=f"it.{suffix}.dlq",
        topic_partitions=2,
        consumer_group=f"it-{suffix}",
        instance_id="w1",
        poll_timeout_ms=200,
        retry_backoff_s=0.1,
        broker_retry_backoff_s=0.5,
        watchlist_rebuild_delay_s=0.1,
        originator="TEST-AGENCY",
    )


@contextlib.asynccontextmanager
async def running(service: Service, *, ready_timeout_s: float = 60.0) -> AsyncIterator[Service]:
    """Run ``service`` in the background until it is ready; cancel it on exit."""
    task = asyncio.create_task(service.run())
    try:
        deadline = asyncio.get_running_loop().time() + ready_timeout_s
        while not service.readiness().ready:
            if task.done():
                task.result()
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"service not ready: {service.readiness()}")
            await asyncio.sleep(0.1)
        yield service
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def produce(settings: Settings, topic: str, values: list[bytes], key: bytes | None = b"flight") -> list[int]:
    """Produce ``values`` in order (same key: same partition); returns their offsets."""
    producer = AIOKafkaProducer(**settings.kafka_common())  # type: ignore[arg-type]
    await producer.start()
    try:
        return [(await producer.send_and_wait(topic, value=v, key=key)).offset for v in values]
    finally:
        await producer.stop()


async def read_all(settings: Settings, topic: str, *, expect: int, timeout_s: float = 60.0,
                   settle_s: float = 1.5) -> list:
    """Read committed records of ``topic`` from the beginning until ``expect`` records are
    seen (then wait ``settle_s`` more for unexpected extras) or the timeout passes."""
    consumer = AIOKafkaConsumer(group_id=None, auto_offset_reset="earliest", isolation_level="read_committed",
                                **settings.kafka_common())  # type: ignore[arg-type]
    await consumer.start()
    try:
        consumer.assign(await topic_partitions(consumer, topic))
        await consumer.seek_to_beginning()
        records: list = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        settle_until: float | None = None
        while True:
            batch = await consumer.getmany(timeout_ms=200)
            for msgs in batch.values():
                records.extend(msgs)
            now = loop.time()
            if len(records) >= expect and settle_until is None:
                settle_until = now + settle_s
            if (settle_until is not None and now >= settle_until) or now >= deadline:
                return records
    finally:
        await stop_consumer(consumer)
