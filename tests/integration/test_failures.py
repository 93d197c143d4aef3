"""Field case 18 on the real broker: a failed message is neither lost nor looped on forever."""

from __future__ import annotations

import asyncio
import threading
import time

import orjson
import pytest

from app.publish import publish_watchlist
from app.service import Service
from app.settings import Settings
from app.topics import ensure_topics
from schemas.paxlst import PaxlstDecodeResult, decode_paxlst

from .conftest import produce, read_all, running
from .test_pipeline import ENTRIES, manifest, pax

pytestmark = pytest.mark.integration

MA = manifest("A", [pax("a", "VOLKOVA", "IRINA", "1975-03-14", "RUS", "F")])
MB = manifest("B", [pax("a", "ALRASHIDI", "KHALID", "1969-05-01", "JOR")])
MC = manifest("C", [pax("a", "MENDOZA GARCIA", "LUCIA", "1988-11-02", "ESP", "F", doc="X1234567")])


async def _prepare(settings: Settings) -> None:
    await ensure_topics(settings)
    await publish_watchlist(settings, ENTRIES, list_id="it-list", source="test", fmt="jsonl")


def _surnames(records: list) -> list[str]:
    return sorted(orjson.loads(r.value)["traveller"]["surname"] for r in records)


async def test_transient_failure_is_retried_not_skipped(settings: Settings) -> None:
    await _prepare(settings)
    calls: dict[bytes, int] = {}

    def flaky(raw: bytes) -> PaxlstDecodeResult:
        calls[raw] = calls.get(raw, 0) + 1
        if raw == MB and calls[raw] == 1:
            raise ConnectionError("watchlist store unavailable")  # transient, first time only
        return decode_paxlst(raw)

    await produce(settings, settings.topic_paxlst_raw, [MA, MB, MC])
    service = Service(settings)
    service.worker.decoders[settings.topic_paxlst_raw] = flaky
    async with running(service):
        alerts = await read_all(settings, settings.topic_alerts_bilateral, expect=3)
    assert _surnames(alerts) == ["ALRASHIDI", "MENDOZA GARCIA", "VOLKOVA"]
    assert calls[MB] == 2
    assert await read_all(settings, settings.topic_dlq, expect=0, timeout_s=1, settle_s=0) == []


async def test_poison_message_is_dead_lettered_after_retries(settings: Settings) -> None:
    settings = settings.model_copy(update={"retry_max_attempts": 3})
    await _prepare(settings)
    calls: dict[bytes, int] = {}

    def poisoned(raw: bytes) -> PaxlstDecodeResult:
        calls[raw] = calls.get(raw, 0) + 1
        if raw == MB:
            raise IndexError("decoder bug")
        return decode_paxlst(raw)

    await produce(settings, settings.topic_paxlst_raw, [MA, MB, MC])
    service = Service(settings)
    service.worker.decoders[settings.topic_paxlst_raw] = poisoned
    async with running(service):
        alerts = await read_all(settings, settings.topic_alerts_bilateral, expect=2)
        dlq = await read_all(settings, settings.topic_dlq, expect=1)
    assert _surnames(alerts) == ["MENDOZA GARCIA", "VOLKOVA"]
    assert calls[MB] == 3
    assert len(dlq) == 1 and dlq[0].value == MB
    assert dict(dlq[0].headers)["error"].startswith(b"processing_error: IndexError")


async def test_worker_killed_mid_batch_loses_and_duplicates_nothing(settings: Settings) -> None:
    settings = settings.model_copy(update={"batch_max_records": 1})
    await _prepare(settings)
    entered = threading.Event()

    def slow(raw: bytes) -> PaxlstDecodeResult:
        if raw == MB:
            entered.set()
            time.sleep(2.0)  # the worker is stopped while it screens this message
        return decode_paxlst(raw)

    await produce(settings, settings.topic_paxlst_raw, [MA, MB, MC])
    first = Service(settings)
    first.worker.decoders[settings.topic_paxlst_raw] = slow
    async with running(first):
        while not entered.is_set():
            await asyncio.sleep(0.05)
    # The first worker is gone with MB in hand; a new one takes over the group.
    async with running(Service(settings)):
        alerts = await read_all(settings, settings.topic_alerts_bilateral, expect=3, settle_s=3.0)
    assert _surnames(alerts) == ["ALRASHIDI", "MENDOZA GARCIA", "VOLKOVA"]
    assert len({r.key for r in alerts}) == 3
