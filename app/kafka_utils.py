"""Small helpers around aiokafka clients shared by the service, the CLI and the demo."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from aiokafka import AIOKafkaConsumer, TopicPartition

if TYPE_CHECKING:
    from app.settings import Settings


async def stop_consumer(consumer: AIOKafkaConsumer) -> None:
    """Stop ``consumer``. aiokafka 0.14 re-raises the CancelledError of its own internal
    commit-reset task when a consumer is stopped right after it started; that one is
    swallowed, a cancellation of the calling task is not."""
    try:
        await consumer.stop()
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise


async def topic_partitions(consumer: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    """The partitions of ``topic`` (refreshing metadata once if they are not known yet);
    empty when the topic does not exist."""
    parts = consumer.partitions_for_topic(topic)
    if not parts:
        await consumer._client.force_metadata_update()
        parts = consumer.partitions_for_topic(topic) or set()
    return [TopicPartition(topic, p) for p in sorted(parts)]


async def broker_answers(common: dict[str, Any], *, timeout_s: float = 5.0) -> str | None:
    """Ask the cluster for its metadata (DescribeCluster); None when it answers with at
    least one broker and an active controller, else the reason as a short string."""
    from aiokafka.admin import AIOKafkaAdminClient

    kwargs = {**common, "request_timeout_ms": int(timeout_s * 1000)}
    admin = AIOKafkaAdminClient(**kwargs)
    try:
        await asyncio.wait_for(admin.start(), timeout_s)
        cluster = await asyncio.wait_for(admin.describe_cluster(), timeout_s)
        if not cluster.get("brokers"):
            return "no broker in the cluster metadata"
        if cluster.get("controller_id", -1) < 0:
            return "no active controller"
        return None
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"[:300] or type(exc).__name__
    finally:
        with contextlib.suppress(Exception):
            await admin.close()


@contextlib.asynccontextmanager
async def topic_reader(
    settings: Settings, topics: Sequence[str], *, require: bool = True
) -> AsyncIterator[tuple[AIOKafkaConsumer, list[TopicPartition]]]:
    """A started consumer without a group (``read_committed``, no commits) assigned every
    partition of ``topics``; the caller seeks. Used by every reader that keeps its own
    position: the watchlist store, the suppression set, the alert store, imports, the demo.

    Raises RuntimeError when a topic does not exist (unless ``require`` is False: then it
    is left out), and aiokafka's KafkaError when the broker is unreachable.
    """
    consumer = AIOKafkaConsumer(group_id=None, enable_auto_commit=False, auto_offset_reset="earliest",
                                isolation_level="read_committed", **settings.kafka_common())  # type: ignore[arg-type]
    try:
        await consumer.start()
    except BaseException:
        await stop_consumer(consumer)
        raise
    try:
        tps: list[TopicPartition] = []
        for topic in topics:
            parts = await topic_partitions(consumer, topic)
            if not parts and require:
                raise RuntimeError(f"topic {topic} does not exist")
            tps.extend(parts)
        if tps:
            consumer.assign(tps)
        yield consumer, tps
    finally:
        await stop_consumer(consumer)


async def discard_caught_up(consumer: AIOKafkaConsumer, pending: set[TopicPartition],
                            end: dict[TopicPartition, int]) -> None:
    """Remove from ``pending`` the partitions whose position reached ``end``."""
    for tp in list(pending):
        if await consumer.position(tp) >= end[tp]:
            pending.discard(tp)


async def run_forever(step: Callable[[], Awaitable[None]], *, what: str, backoff_s: float,
                      on_failure: Callable[[], None] | None = None) -> None:
    """Run ``step`` again and again after it fails (broker gone, topic missing…), waiting
    ``backoff_s`` between tries and logging ``what`` failed; cancellation stops it."""
    log = logging.getLogger("app.kafka")
    while True:
        try:
            await step()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if on_failure is not None:
                on_failure()
            log.warning("%s failed; retrying", what, extra={"error": repr(exc)[:300]})
            await asyncio.sleep(backoff_s)
