"""Watchlists on the real broker: no churn on re-import, live add/remove, empty list not ready."""

from __future__ import annotations

import asyncio
import contextlib

import orjson
import pytest

from app.publish import publish_watchlist, read_current_entries
from app.service import Service
from app.settings import Settings
from app.topics import ensure_topics
from schemas.records import EntryDate, EntryName, WatchlistEntry

from .conftest import produce, read_all, running
from .test_pipeline import ENTRIES, manifest, pax

pytestmark = pytest.mark.integration

NEW = WatchlistEntry(list_id="it-list", entry_id="E-9", names=[EntryName(full_name="Orsolya VANDERHAAG")],
                     dates_of_birth=[EntryDate(date="1981-06-30")])
def listed_traveller_manifest(ref: str) -> bytes:
    return manifest(ref, [pax("a", "VANDERHAAG", "ORSOLYA", "1981-06-30", "NLD", "F")])


async def test_reimport_makes_no_churn_and_a_removed_entry_is_tombstoned(settings: Settings) -> None:
    await ensure_topics(settings)
    first = await publish_watchlist(settings, ENTRIES, list_id="it-list", source="t", fmt="jsonl", version="v1")
    assert (first.published, first.unchanged, first.tombstoned) == (3, 0, 0)
    # Same people, new list version: nothing to send.
    again = [e.model_copy(update={"list_version": "v2"}) for e in ENTRIES]
    second = await publish_watchlist(settings, again, list_id="it-list", source="t", fmt="jsonl", version="v2")
    assert (second.published, second.unchanged, second.tombstoned) == (0, 3, 0)
    # Another list whose id starts the same is left alone.
    await publish_watchlist(settings, [NEW.model_copy(update={"list_id": "it-list2"})], list_id="it-list2",
                            source="t", fmt="jsonl")
    third = await publish_watchlist(settings, ENTRIES[:2], list_id="it-list", source="t", fmt="jsonl")
    assert (third.published, third.unchanged, third.tombstoned) == (0, 2, 1)
    assert set(await read_current_entries(settings, "it-list")) == {"it-list:E-1", "it-list:E-2"}
    assert set(await read_current_entries(settings, "it-list2")) == {"it-list2:E-9"}
    lists = await read_all(settings, settings.topic_watchlist_lists, expect=8)
    statuses = [orjson.loads(r.value)["status"] for r in lists if r.key == b"it-list"]
    assert statuses == ["importing", "complete"] * 3


async def _alerts_for(settings: Settings, expect: int) -> list[str]:
    records = await read_all(settings, settings.topic_alerts_bilateral, expect=expect, timeout_s=30, settle_s=2)
    return [orjson.loads(r.value)["hits"][0]["entry_id"] for r in records]


async def test_entries_added_and_removed_live(settings: Settings) -> None:
    await ensure_topics(settings)
    await publish_watchlist(settings, ENTRIES, list_id="it-list", source="t", fmt="jsonl")
    async with running(Service(settings)) as service:
        # The traveller is not listed yet: no alert.
        await produce(settings, settings.topic_paxlst_raw, [listed_traveller_manifest("N1")])
        assert await _alerts_for(settings, expect=0) == []
        # Add the entry: the next manifest with that traveller alerts, without a restart.
        await publish_watchlist(settings, [*ENTRIES, NEW], list_id="it-list", source="t", fmt="jsonl")
        for _ in range(100):
            snap = service.store.snapshot
            if snap is not None and len(snap.screener) == 4:
                break
            await asyncio.sleep(0.1)
        await produce(settings, settings.topic_paxlst_raw, [listed_traveller_manifest("N2")])
        assert await _alerts_for(settings, expect=1) == ["E-9"]
        # Remove it again: no more alerts.
        await publish_watchlist(settings, ENTRIES, list_id="it-list", source="t", fmt="jsonl")
        for _ in range(100):
            snap = service.store.snapshot
            if snap is not None and len(snap.screener) == 3:
                break
            await asyncio.sleep(0.1)
        await produce(settings, settings.topic_paxlst_raw, [listed_traveller_manifest("N3")])
        assert await _alerts_for(settings, expect=2) == ["E-9"]


async def test_no_screening_against_an_empty_watchlist(settings: Settings) -> None:
    await ensure_topics(settings)
    await produce(settings, settings.topic_paxlst_raw, [manifest("1", [pax("a", "VOLKOVA", "IRINA", "1975-03-14",
                                                                        "RUS", "F")])])
    service = Service(settings)
    task = asyncio.create_task(service.run())
    try:
        for _ in range(50):
            if service.store.loaded.is_set():
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)
        readiness = service.readiness()
        assert not readiness.ready and "watchlist_empty" in readiness.reasons
        assert not service.worker.assignment  # it has not even joined the group
        await publish_watchlist(settings, ENTRIES, list_id="it-list", source="t", fmt="jsonl")
        alerts = await read_all(settings, settings.topic_alerts_bilateral, expect=1, timeout_s=30)
        assert [orjson.loads(r.value)["hits"][0]["entry_id"] for r in alerts] == ["E-1"]
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
