"""The in-memory watchlist index of one worker, fed from the compacted topics.

At start the store reads ``watchlist.entries`` and ``watchlist.lists`` from the beginning
up to their end offsets (the initial load), builds a :class:`matchers.Screener` in a worker
thread and only then reports itself loaded. It keeps consuming: updates and tombstones are
applied to the entry map, and after a quiet time (``watchlist_rebuild_delay_s``) a new
index is built beside the serving one and swapped in, so screening never pauses.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import orjson
from pydantic import ValidationError

from app import metrics
from app.kafka_utils import discard_caught_up, run_forever, topic_reader
from app.settings import Settings
from matchers import MatchConfig, Person, Screener
from schemas.records import WatchList, WatchlistEntry
from schemas.screening import entry_to_person

log = logging.getLogger(__name__)


def freeze_heap() -> float:
    """Put the objects alive now (the entries, the new index) out of the cyclic garbage
    collector's reach (:func:`gc.freeze`): they live until the next rebuild, and every
    full collection would otherwise walk them all, hundreds of milliseconds for a large
    index, between two travellers' screenings. The superseded index is unfrozen and
    collected first, so that its reference cycles do not stay frozen (a screener holds
    none: it is freed when the last batch using it ends). The collection holds the
    interpreter: consuming and screening wait for it, once per rebuild. Returns the
    seconds taken (one full collection: it grows with the heap; logged with the
    rebuild as ``heap_frozen_s``)."""
    started = time.perf_counter()
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    return time.perf_counter() - started


@dataclass(frozen=True)
class Snapshot:
    """An immutable view the screening code uses for one batch: the index, each entry's
    list version (by ``list_id:entry_id``) and the lists' metadata."""

    screener: Screener
    entry_versions: dict[str, str | None]
    lists: dict[str, WatchList]
    built_at: float = field(default_factory=time.time)

    def list_owner(self, list_id: str, default: str | None) -> str | None:
        meta = self.lists.get(list_id)
        return (meta.owner if meta and meta.owner else None) or default

    def list_version(self, list_id: str, entry_id: str) -> str | None:
        """The list's current version (its ``watchlist.lists`` record), else the version
        the entry was last published with."""
        meta = self.lists.get(list_id)
        if meta is not None:
            return meta.version
        return self.entry_versions.get(f"{list_id}:{entry_id}")


def build_match_config(settings: Settings) -> MatchConfig:
    """The matcher's configuration from the service settings (threshold 0 = default)."""
    base = MatchConfig()
    kwargs: dict[str, object] = {"list_thresholds": dict(settings.list_thresholds),
                                 "max_hits": settings.max_hits_per_traveller}
    if settings.match_threshold > 0:
        kwargs["threshold"] = settings.match_threshold
    return type(base)(**{**base.__dict__, **kwargs})


class WatchlistStore:
    """Consumes the watchlist topics and serves :class:`Snapshot` s.

    ``loaded`` is set after the first full load; ``snapshot`` is None until then.
    """

    def __init__(self, settings: Settings, config: MatchConfig | None = None) -> None:
        self.settings = settings
        self.config = config or build_match_config(settings)
        self.entries: dict[str, WatchlistEntry] = {}
        self.persons: dict[str, Person] = {}
        self.lists: dict[str, WatchList] = {}
        self.snapshot: Snapshot | None = None
        self.loaded = asyncio.Event()
        self.connected = False
        self.bad_records = 0
        self._dirty = asyncio.Event()

    def serving(self, *, require_entries: bool = True) -> bool:
        """True when an index has been built after the initial load (and, with
        ``require_entries``, holds at least one entry)."""
        snap = self.snapshot
        if not self.loaded.is_set() or snap is None:
            return False
        return len(snap.screener) > 0 or not require_entries

    # -- record handling -------------------------------------------------------
    def apply(self, topic: str, key: bytes | None, value: bytes | None) -> bool:
        """Apply one record of either topic; returns True when the entries or lists changed.
        A record that does not validate is counted in ``bad_records`` and skipped."""
        if key is None:
            self.bad_records += 1
            return False
        k = key.decode("utf-8", "replace")
        if topic == self.settings.topic_watchlist_lists:
            if value is None:
                return self.lists.pop(k, None) is not None
            try:
                self.lists[k] = WatchList.model_validate_json(value)
            except ValidationError as exc:
                self.bad_records += 1
                log.warning("bad watchlist.lists record", extra={"key": k, "error": str(exc)[:300]})
                return False
            return True
        if value is None:
            removed = self.entries.pop(k, None) is not None
            self.persons.pop(k, None)
            return removed
        try:
            entry = WatchlistEntry.model_validate_json(value)
        except (ValidationError, orjson.JSONDecodeError) as exc:
            self.bad_records += 1
            log.warning("bad watchlist.entries record", extra={"key": k, "error": str(exc)[:300]})
            return False
        self.entries[k] = entry
        self.persons[k] = entry_to_person(entry)
        return True

    def build_snapshot(self) -> Snapshot:
        """Build a new index from the current entries (CPU-bound; run in a thread)."""
        started = time.perf_counter()
        persons = list(self.persons.values())
        versions = {k: e.list_version for k, e in self.entries.items()}
        screener = Screener(persons, self.config)
        metrics.INDEX_BUILD_SECONDS.observe(time.perf_counter() - started)
        counts: dict[str, int] = {}
        for e in self.entries.values():
            counts[e.list_id] = counts.get(e.list_id, 0) + 1
        metrics.WATCHLIST_ENTRIES.clear()
        for list_id, n in counts.items():
            metrics.WATCHLIST_ENTRIES.labels(list_id=list_id).set(n)
        return Snapshot(screener=screener, entry_versions=versions, lists=dict(self.lists))

    async def _rebuild(self) -> None:
        snap = await asyncio.to_thread(self.build_snapshot)
        self.snapshot = snap
        frozen_s = freeze_heap()
        native = snap.screener.index.native
        log.info(
            "watchlist index built",
            extra={
                "entries": len(snap.entry_versions),
                "lists": len(snap.lists),
                "compiled_candidate_stage": native,
                "heap_frozen_s": round(frozen_s, 3),
            },
        )
        if not native:
            log.warning("matchers._core is not built: screening runs the Python candidate stage (several times slower)")

    # -- consuming -------------------------------------------------------------
    def _disconnected(self) -> None:
        self.connected = False

    async def run(self) -> None:
        """Consume forever, reconnecting after broker failures."""
        rebuilder = asyncio.create_task(self._rebuild_loop())
        try:
            await run_forever(self._consume, what="watchlist consumer", backoff_s=self.settings.broker_retry_backoff_s,
                              on_failure=self._disconnected)
        finally:
            rebuilder.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await rebuilder

    async def _consume(self) -> None:
        s = self.settings
        async with topic_reader(s, (s.topic_watchlist_lists, s.topic_watchlist_entries)) as (consumer, tps):
            # Reconnects re-read from the start: the maps are rebuilt exactly.
            self.entries.clear()
            self.persons.clear()
            self.lists.clear()
            await consumer.seek_to_beginning(*tps)
            end = await consumer.end_offsets(tps)
            self.connected = True
            pending = {tp for tp in tps if end[tp] > 0}
            caught_up = False
            while True:
                batch = await consumer.getmany(timeout_ms=s.poll_timeout_ms, max_records=5000)
                changed = False
                for tp, msgs in batch.items():
                    for m in msgs:
                        changed |= self.apply(tp.topic, m.key, m.value)
                await discard_caught_up(consumer, pending, end)
                if pending:
                    continue
                if not caught_up:
                    caught_up = True
                    if not self.loaded.is_set():
                        await self._rebuild()
                        self.loaded.set()
                        log.info("watchlists loaded", extra={"entries": len(self.entries),
                                                            "bad_records": self.bad_records})
                    else:
                        self._dirty.set()  # re-read after a reconnect
                elif changed:
                    self._dirty.set()

    def importing(self, now: datetime | None = None) -> list[str]:
        """Lists whose new version is still being published (``status="importing"`` for
        less than ``watchlist_import_hold_s``): the index is not rebuilt meanwhile."""
        now = now or datetime.now(UTC)
        hold = timedelta(seconds=self.settings.watchlist_import_hold_s)
        return [m.list_id for m in self.lists.values() if m.status == "importing" and now - m.imported_at < hold]

    async def _rebuild_loop(self) -> None:
        while True:
            await self._dirty.wait()
            # Quiet time: let a burst of updates settle, and wait for list versions in
            # the middle of their import to complete.
            while True:
                self._dirty.clear()
                await asyncio.sleep(self.settings.watchlist_rebuild_delay_s)
                if not self._dirty.is_set() and not self.importing():
                    break
            await self._rebuild()
