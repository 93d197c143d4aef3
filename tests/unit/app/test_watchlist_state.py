import asyncio
import gc
import weakref

import orjson

from app.publish import entry_value
from app.settings import Settings
from app.watchlist_state import WatchlistStore, build_match_config
from schemas.records import EntryDate, EntryName, Traveller, WatchlistEntry
from schemas.screening import traveller_to_person

SETTINGS = Settings(kafka_bootstrap_servers="127.0.0.1:9")


def entry(entry_id: str, name: str, dob: str) -> WatchlistEntry:
    return WatchlistEntry(list_id="l1", entry_id=entry_id, names=[EntryName(full_name=name)],
                          dates_of_birth=[EntryDate(date=dob)], list_version="v1")


def test_updates_tombstones_and_bad_records() -> None:
    store = WatchlistStore(SETTINGS)
    topic = SETTINGS.topic_watchlist_entries
    assert store.apply(topic, b"l1:A", entry_value(entry("A", "Boris Kestrel VANTORIN", "1970-02-03")))
    assert store.apply(topic, b"l1:B", entry_value(entry("B", "Mira ODELLANO", "1985")))
    assert not store.apply(topic, b"l1:C", b"{not json")
    assert not store.apply(topic, None, b"{}")
    assert store.bad_records == 2
    assert store.apply(topic, b"l1:B", None)          # tombstone
    assert not store.apply(topic, b"l1:B", None)      # already gone
    assert set(store.entries) == {"l1:A"}
    meta = orjson.dumps({"list_id": "l1", "version": "v1", "entry_count": 1,
                         "imported_at": "2026-11-29T00:00:00Z", "owner": "AGENCY-B"})
    assert store.apply(SETTINGS.topic_watchlist_lists, b"l1", meta)

    snap = store.build_snapshot()
    assert len(snap.screener) == 1
    assert snap.list_version("l1", "A") == "v1"
    assert snap.list_owner("l1", "DEFAULT") == "AGENCY-B"
    assert snap.list_owner("other", "DEFAULT") == "DEFAULT"
    query = traveller_to_person(Traveller(traveller_id="t", surname="VANTORIN", given_names="BORIS KESTREL",
                                          date_of_birth="1970-02-03"))
    [hits] = snap.screener.screen([query])
    assert [h.entry_id for h in hits] == ["A"]


def test_threshold_settings_reach_the_match_config() -> None:
    cfg = build_match_config(Settings(match_threshold=0.9, list_thresholds={"un-sc": 0.8}))
    assert cfg.threshold == 0.9
    assert cfg.threshold_for("un-sc") == 0.8
    default = build_match_config(Settings())
    assert 0.0 < default.threshold < 1.0


def test_a_rebuild_freezes_the_new_index_and_lets_the_old_one_go() -> None:
    # the index a rebuild makes is out of the cyclic collector's reach (no full collection
    # walks it between two screenings); the one it replaces is collected, cycles and all
    store = WatchlistStore(SETTINGS)
    topic = SETTINGS.topic_watchlist_entries
    store.apply(topic, b"l1:A", entry_value(entry("A", "Boris Kestrel VANTORIN", "1970-02-03")))
    gc.unfreeze()
    try:
        asyncio.run(store._rebuild())
        first = store.snapshot
        assert first is not None and gc.get_freeze_count() > 0
        tracked = {id(o) for o in gc.get_objects()}  # the collector's generations, not the frozen
        assert gc.is_tracked(first.screener._entries) and gc.is_tracked(first.screener.__dict__)
        assert id(first.screener.__dict__) not in tracked and id(first.screener._entries) not in tracked
        cycle: list[object] = [first]
        cycle.append(cycle)  # the old snapshot held in a reference cycle
        gone = weakref.ref(first.screener.index)
        del first
        store.apply(topic, b"l1:B", entry_value(entry("B", "Mira ODELLANO", "1985")))
        asyncio.run(store._rebuild())
        del cycle
        asyncio.run(store._rebuild())
        assert gone() is None
        assert store.snapshot is not None and len(store.snapshot.screener) == 2
    finally:
        gc.unfreeze()
