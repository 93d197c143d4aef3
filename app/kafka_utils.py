"""Small helpers around aiokafka clients shared by the service, the CLI and the demo."""

from __future__ import annotations

import asyncio

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
