"""Small helpers around aiokafka clients shared by the service, the CLI and the demo."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition


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
