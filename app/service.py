"""Wiring: topics, the watchlist store and the screening worker in one process.

``Service.run()`` keeps trying to reach the broker (so ``/healthz`` answers while it is
down) and then runs the store and the worker until cancelled. ``readiness()`` says what
is missing before the service is ready.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from app.settings import Settings
from app.topics import ensure_topics
from app.watchlist_state import WatchlistStore
from app.worker import ScreeningWorker

log = logging.getLogger(__name__)


@dataclass
class Readiness:
    """``ready`` and, when not, the ``reasons`` (machine-readable codes)."""

    ready: bool
    reasons: list[str] = field(default_factory=list)
    checks: dict[str, bool] = field(default_factory=dict)


class Service:
    """The screening service: one watchlist store and one screening worker."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = WatchlistStore(settings)
        self.worker = ScreeningWorker(settings, self.store)
        self.topics_ready = False
        self.last_error: str | None = None
        self._tasks: list[asyncio.Task[None]] = []

    async def _prepare_topics(self) -> None:
        while True:
            try:
                if self.settings.create_topics:
                    await ensure_topics(self.settings)
                self.topics_ready = True
                self.last_error = None
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.last_error = f"broker unreachable: {exc!r}"[:300]
                log.warning("broker unreachable; retrying", extra={"error": repr(exc)[:300],
                                                                   "bootstrap": self.settings.bootstrap_servers})
                await asyncio.sleep(self.settings.broker_retry_backoff_s)

    async def run(self) -> None:
        """Run until cancelled."""
        await self._prepare_topics()
        self._tasks = [asyncio.create_task(self.store.run(), name="watchlist-store"),
                       asyncio.create_task(self.worker.run(), name="screening-worker")]
        try:
            done, _ = await asyncio.wait(self._tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                task.result()
        finally:
            for task in self._tasks:
                task.cancel()
            for task in self._tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    def readiness(self) -> Readiness:
        """Broker reachable, watchlists loaded, partitions assigned."""
        checks = {
            "broker_reachable": self.topics_ready and self.store.connected and self.worker.connected,
            "watchlist_loaded": self.store.loaded.is_set() and self.store.snapshot is not None,
            "partitions_assigned": bool(self.worker.assignment),
        }
        reasons = [name for name, ok in checks.items() if not ok]
        return Readiness(ready=not reasons, reasons=reasons, checks=checks)
