"""Topic creation at start: the names and cleanup policies of DESIGN.md ("Topics")."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from app.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TopicSpec:
    """One topic: ``name``, ``cleanup`` (``delete`` or ``compact``) and extra configs."""

    name: str
    cleanup: str
    config: dict[str, str]


def topic_specs(settings: Settings) -> list[TopicSpec]:
    """The service's topics with their cleanup policies (raw input and DLQ: delete;
    watchlists: compact; alerts and dispositions: delete with long retention)."""
    long_retention = {"retention.ms": str(settings.alerts_retention_ms)}
    return [
        TopicSpec(settings.topic_paxlst_raw, "delete", {}),
        TopicSpec(settings.topic_pnrgov_raw, "delete", {}),
        TopicSpec(settings.topic_watchlist_entries, "compact", {"min.cleanable.dirty.ratio": "0.1"}),
        TopicSpec(settings.topic_watchlist_lists, "compact", {}),
        TopicSpec(settings.topic_alerts_internal, "delete", long_retention),
        TopicSpec(settings.topic_alerts_bilateral, "delete", long_retention),
        TopicSpec(settings.topic_alerts_dispositions, "delete", long_retention),
        TopicSpec(settings.topic_dlq, "delete", long_retention),
        TopicSpec(settings.topic_cleared_travellers, "compact", {}),
    ]


async def _wait_for_leaders(admin: AIOKafkaAdminClient, topics: list[str], *, timeout_s: float) -> None:
    """Wait until every partition of ``topics`` has a leader, so the first clients do
    not meet NotLeaderForPartition right after creation. Raises TimeoutError."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while True:
        described = await admin.describe_topics(topics)
        if all(t["error_code"] == 0 and t["partitions"] and all(p["leader"] >= 0 for p in t["partitions"])
               for t in described):
            return
        if loop.time() > deadline:
            raise TimeoutError(f"topics without leaders after {timeout_s:.0f} s: {topics}")
        await asyncio.sleep(0.1)


async def ensure_topics(settings: Settings) -> list[str]:
    """Create the topics that do not exist yet; returns the names created.

    Raises aiokafka's KafkaError subclasses when the broker is unreachable; an existing
    topic is left as it is (its configuration is not changed).
    """
    admin = AIOKafkaAdminClient(**settings.kafka_common())  # type: ignore[arg-type]
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        new = [
            NewTopic(
                name=spec.name,
                num_partitions=settings.topic_partitions,
                replication_factor=settings.topic_replication_factor,
                topic_configs={"cleanup.policy": spec.cleanup, **spec.config},
            )
            for spec in topic_specs(settings)
            if spec.name not in existing
        ]
        if not new:
            return []
        with contextlib.suppress(TopicAlreadyExistsError):  # another worker was quicker
            await admin.create_topics(new)
        created = [t.name for t in new]
        await _wait_for_leaders(admin, created, timeout_s=settings.kafka_request_timeout_ms / 1000)
        log.info("topics created", extra={"topics": created})
        return created
    finally:
        await admin.close()
