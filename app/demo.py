"""``apis-matcher demo``: the main job end to end on the embedded default.

Starts the local broker from ``deploy/kafka`` when no bootstrap server is configured,
creates the topics, publishes the invented sample watchlist (``app/sample_data``), runs
the screening service in this process, replays the invented sample manifests to
``apis.paxlst.raw`` and the sample PNR push to ``pnr.pnrgov.raw``, waits until the service
has committed them, and prints the alerts it published on ``alerts.bilateral`` for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from importlib import resources
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition

from app.kafka_utils import discard_caught_up, stop_consumer, topic_reader
from app.publish import publish_watchlist, replay_files
from app.service import Service
from app.settings import Settings
from app.topics import ensure_topics
from schemas.records import Alert
from schemas.watchlists import read_watchlist

DEMO_LIST_ID = "demo-list"


def sample_dir() -> Path:
    """The folder of the invented sample watchlist and manifests shipped with the package."""
    return Path(str(resources.files("app") / "sample_data"))


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


async def _end_offsets(settings: Settings, topic: str) -> dict[TopicPartition, int]:
    async with topic_reader(settings, (topic,), require=False) as (consumer, tps):
        return await consumer.end_offsets(tps) if tps else {}


async def _committed(settings: Settings, tps: list[TopicPartition]) -> dict[TopicPartition, int]:
    consumer = AIOKafkaConsumer(group_id=settings.consumer_group, enable_auto_commit=False,
                                **settings.kafka_common())  # type: ignore[arg-type]
    await consumer.start()
    try:
        return {tp: (await consumer.committed(tp)) or 0 for tp in tps}
    finally:
        await stop_consumer(consumer)


async def read_alerts(settings: Settings, start: dict[TopicPartition, int], topic: str) -> list[Alert]:
    """Every committed alert on ``topic`` from ``start`` offsets to the current end."""
    async with topic_reader(settings, (topic,)) as (consumer, _tps):
        for tp, off in start.items():
            consumer.seek(tp, off)
        end = await consumer.end_offsets(list(start))
        alerts: list[Alert] = []
        pending = {tp for tp in start if end[tp] > start[tp]}
        while pending:
            batch = await consumer.getmany(timeout_ms=1000)
            for msgs in batch.values():
                alerts.extend(Alert.model_validate_json(m.value) for m in msgs if m.value)
            await discard_caught_up(consumer, pending, end)
        return alerts


def format_alert(alert: Alert) -> str:
    """One human line per alert: who, which flight, which entry, how strong."""
    t = alert.traveller
    flight = t.source.flight if t.source and t.source.flight else None
    where = f"{flight.carrier or ''}{flight.number or ''}" if flight else "?"
    if t.source and t.source.record_locator and t.source.format == "PNRGOV":
        where += f" PNR {t.source.record_locator}"
    best = alert.hits[0]
    return (f"ALERT {alert.alert_id}  flight {where}  traveller {t.traveller_id}: {t.display_name()}"
            f" (born {t.date_of_birth or '?'}, {t.nationality or '?'})  ->  {best.list_id}/{best.entry_id}"
            f" \"{best.matched_name}\" score {best.score:.2f}"
            + (f"  (+{len(alert.hits) - 1} more hits)" if len(alert.hits) > 1 else ""))


async def run_demo(settings: Settings, *, json_output: bool = False, timeout_s: float = 120.0,
                   keep_broker: bool = False) -> int:
    """Run the demo; returns the process exit code (0 when every manifest was handled).

    Without ``APIS_MATCHER_KAFKA_BOOTSTRAP_SERVERS`` it starts the local broker, and stops
    it again at the end unless ``keep_broker`` (a broker that was already running is left
    running).
    """
    local = None
    if settings.kafka_bootstrap_servers is None:
        from app.localkafka import LocalKafka, LocalKafkaError

        local = LocalKafka(home=LocalKafka.from_env().home, port=settings.local_kafka_port)
        _say(f"starting the local Apache Kafka broker on {local.bootstrap} (the first run fetches it with Maven)...")
        try:
            started = await asyncio.to_thread(local.start)
        except LocalKafkaError as exc:
            _say(f"error: {exc}")
            return 1
        _say("local broker started" if started else "local broker already running")
        if not started or keep_broker:
            local = None
    try:
        return await _run(settings, json_output=json_output, timeout_s=timeout_s)
    finally:
        if local is not None:
            _say("stopping the local broker")
            await asyncio.to_thread(local.stop)


async def _run(settings: Settings, *, json_output: bool, timeout_s: float) -> int:
    settings = settings.model_copy(update={"consumer_group": f"{settings.consumer_group}-demo"})
    await ensure_topics(settings)

    samples = sample_dir()
    wl = read_watchlist(samples / "watchlist.jsonl", format="jsonl", list_id=DEMO_LIST_ID)
    report = await publish_watchlist(settings, wl.entries, list_id=DEMO_LIST_ID,
                                     source="app/sample_data/watchlist.jsonl", fmt=wl.format,
                                     owner=settings.originator)
    _say(f"watchlist {DEMO_LIST_ID}: {report.entry_count} entries ({report.published} published, "
         f"{report.unchanged} unchanged, {report.tombstoned} removed)")

    service = Service(settings)
    task = asyncio.create_task(service.run())
    try:
        alert_start = await _end_offsets(settings, settings.topic_alerts_bilateral)
        need: dict[TopicPartition, int] = {}
        sent: list[tuple[str, int, int]] = []
        for folder, topic in (("paxlst", settings.topic_paxlst_raw), ("pnrgov", settings.topic_pnrgov_raw)):
            files = sorted((samples / folder).glob("*.edi"))
            replayed = await replay_files(settings, files, topic=topic, source="demo")
            _say(f"replayed {len(replayed)} sample {folder.upper()} messages to {topic}")
            for _name, partition, offset in replayed:
                tp = TopicPartition(topic, partition)
                need[tp] = max(need.get(tp, 0), offset + 1)
            sent.extend(replayed)
        deadline = time.monotonic() + timeout_s
        while True:
            if task.done():
                task.result()
                _say("error: the screening service stopped")
                return 1
            committed = await _committed(settings, list(need))
            if all(committed[tp] >= off for tp, off in need.items()):
                break
            if time.monotonic() > deadline:
                _say(f"error: manifests not screened within {timeout_s:.0f} s; readiness: {service.readiness()}")
                return 1
            await asyncio.sleep(0.3)
        alerts = await read_alerts(settings, alert_start, settings.topic_alerts_bilateral)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    seen: set[str] = set()
    unique = [a for a in alerts if not (a.alert_id in seen or seen.add(a.alert_id))]  # type: ignore[func-returns-value]
    for alert in unique:
        if json_output:
            sys.stdout.buffer.write(orjson.dumps(alert.model_dump(mode="json", by_alias=True)) + b"\n")
        else:
            print(format_alert(alert))
    sys.stdout.flush()
    _say(f"{len(unique)} alerts on {settings.topic_alerts_bilateral} for {len(sent)} messages")
    return 0
