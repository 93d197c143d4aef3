"""Suppression of hits operators have already decided on, in every screening worker.

Two sources, both on Kafka so that every worker sees them:

- **False positives** (``alerts.dispositions``): a ``false_positive`` disposition names
  the traveller's identity (:func:`traveller_identity`: a stable hash of the normalised
  names, date of birth and identity-document numbers) and the entries decided on
  (``list_id:entry_id``). A new hit of the same identity against the same entry is
  dropped for ``suppression_expiry_days`` after the decision. A later decision on the
  same pair with another status (``true_match``, ``escalated``…) lifts it.
- **Cleared travellers** (topic ``topic_cleared_travellers``, compacted, key = redress
  number, null = removed): a traveller carrying a document whose number is a cleared
  redress number (PNRGOV ``SSR DOCO`` type ``R``, or any document type) has its hits
  dropped — all of them, or only those against ``entry_keys`` when the record names some.

:class:`SuppressionSet` keeps both in memory; :meth:`SuppressionSet.filter` is the
worker's hook (``screen_travellers(..., suppress=...)``); :class:`SuppressionConsumer`
feeds it from the topics.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from prometheus_client import Counter, Gauge
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from unidecode import unidecode

from app.kafka_utils import discard_caught_up, run_forever, topic_reader
from app.settings import Settings
from schemas.records import Disposition, Hit, Traveller

log = logging.getLogger(__name__)

SUPPRESSED_HITS = Counter("apis_matcher_hits_suppressed_total",
                          "Hits dropped before alerting (earlier false positive or cleared traveller)", ["reason"])
SUPPRESSIONS_ACTIVE = Gauge("apis_matcher_suppressions_active", "Active suppressions held by this worker", ["kind"])

NON_IDENTITY_DOCUMENTS = frozenset({"V", "R", "K"})
"""Document types left out of the identity: visas, redress and known-traveller numbers
(a PNR may carry them where the manifest does not)."""

SuppressFn = Callable[[Traveller, list[Hit]], tuple[list[Hit], list[dict[str, Any]]]]
"""The worker's hook: ``(traveller, hits) -> (hits kept, notes on the hits dropped)``."""


def _tokens(text: str | None) -> list[str]:
    return [t for t in re.split(r"[^A-Z0-9]+", unidecode(text or "").upper()) if t]


def normalise_document_number(number: str) -> str:
    """Upper-case letters and digits only (``"x 123-45"`` → ``"X12345"``)."""
    return "".join(re.findall(r"[A-Z0-9]", unidecode(number).upper()))


def traveller_identity(t: Traveller) -> str:
    """A stable identity of a traveller across messages: SHA-256 (``"TID-"`` + 32 hex) over
    the sorted name tokens (surname, given names or full name; transliterated to ASCII,
    so ``SCHÖNBERGER`` and ``SCHONBERGER`` agree; name order does not matter), the date of
    birth as sent, and the sorted identity-document numbers (letters and digits; visas,
    redress and known-traveller numbers left out)."""
    names = sorted(_tokens(t.surname) + _tokens(t.given_names)) or sorted(_tokens(t.full_name))
    docs = sorted({normalise_document_number(d.number) for d in t.documents
                   if (d.type or "").upper() not in NON_IDENTITY_DOCUMENTS} - {""})
    raw = "\x1f".join([" ".join(names), t.date_of_birth or "", ",".join(docs)])
    return "TID-" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


class ClearedTraveller(BaseModel):
    """A cleared-travellers record (value on ``topic_cleared_travellers``, key = the
    normalised ``redress_number``): ``entry_keys`` (``list_id:entry_id``) limits the
    clearance to those entries; empty = every list."""

    model_config = ConfigDict(extra="forbid")

    redress_number: str = Field(min_length=1, max_length=64)
    entry_keys: list[str] = Field(default_factory=list)
    reason: str | None = Field(default=None, max_length=2000)
    cleared_by: str
    cleared_at: datetime


@dataclass(frozen=True)
class Suppression:
    """One active false-positive suppression: ``identity`` × ``entry_key`` until ``expires_at``."""

    identity: str
    entry_key: str
    alert_id: str
    operator: str
    decided_at: datetime
    expires_at: datetime


class SuppressionSet:
    """The suppressions of one worker (thread-safe: the hook runs in a worker thread)."""

    def __init__(self, *, expiry_days: float = 365.0) -> None:
        self.expiry = timedelta(days=expiry_days)
        self._lock = threading.Lock()
        self._pairs: dict[tuple[str, str], Suppression] = {}
        self._decided: dict[tuple[str, str], datetime] = {}
        self.cleared: dict[str, ClearedTraveller] = {}
        self.loaded = asyncio.Event()

    def apply_disposition(self, d: Disposition) -> None:
        """Add (``false_positive``) or lift (any other status) the pairs a disposition names;
        an older decision than the one held for a pair is ignored."""
        if not d.traveller_identity or not d.entry_keys:
            return
        decided = d.decided_at if d.decided_at.tzinfo else d.decided_at.replace(tzinfo=UTC)
        with self._lock:
            for entry_key in d.entry_keys:
                pair = (d.traveller_identity, entry_key)
                if pair in self._decided and self._decided[pair] > decided:
                    continue
                self._decided[pair] = decided
                if d.status == "false_positive":
                    self._pairs[pair] = Suppression(identity=d.traveller_identity, entry_key=entry_key,
                                                    alert_id=d.alert_id, operator=d.operator, decided_at=decided,
                                                    expires_at=decided + self.expiry)
                else:
                    self._pairs.pop(pair, None)
            SUPPRESSIONS_ACTIVE.labels(kind="false_positive").set(len(self._pairs))

    def apply_cleared(self, key: str, record: ClearedTraveller | None) -> None:
        """Add or (``None``: tombstone) remove a cleared traveller by redress number."""
        with self._lock:
            if record is None:
                self.cleared.pop(key, None)
            else:
                self.cleared[key] = record
            SUPPRESSIONS_ACTIVE.labels(kind="cleared").set(len(self.cleared))

    def active(self, now: datetime | None = None) -> list[Suppression]:
        """Unexpired false-positive suppressions, newest decision first."""
        now = now or datetime.now(UTC)
        with self._lock:
            items = [s for s in self._pairs.values() if s.expires_at > now]
        return sorted(items, key=lambda s: s.decided_at, reverse=True)

    def filter(self, traveller: Traveller, hits: list[Hit], now: datetime | None = None,
               ) -> tuple[list[Hit], list[dict[str, Any]]]:
        """The worker's hook: the hits to keep and a note per dropped hit
        (``{"list_id", "entry_id", "score", "reason": "false_positive"|"cleared", …}``).
        Counts the dropped hits in ``apis_matcher_hits_suppressed_total``."""
        if not hits:
            return hits, []
        now = now or datetime.now(UTC)
        with self._lock:
            pairs = dict(self._pairs)
            cleared = dict(self.cleared)
        if not pairs and not cleared:
            return hits, []
        identity = traveller_identity(traveller) if pairs else ""
        redress = [cleared[n] for n in (normalise_document_number(d.number) for d in traveller.documents)
                   if n in cleared]
        kept: list[Hit] = []
        notes: list[dict[str, Any]] = []
        for hit in hits:
            key = f"{hit.list_id}:{hit.entry_id}"
            sup = pairs.get((identity, key))
            if sup is not None and sup.expires_at > now:
                notes.append({"list_id": hit.list_id, "entry_id": hit.entry_id, "score": hit.score,
                              "reason": "false_positive", "alert_id": sup.alert_id,
                              "decided_at": sup.decided_at.isoformat()})
                continue
            clear = next((c for c in redress if not c.entry_keys or key in c.entry_keys), None)
            if clear is not None:
                notes.append({"list_id": hit.list_id, "entry_id": hit.entry_id, "score": hit.score,
                              "reason": "cleared", "cleared_at": clear.cleared_at.isoformat()})
                continue
            kept.append(hit)
        for note in notes:
            SUPPRESSED_HITS.labels(reason=note["reason"]).inc()
        return kept, notes


class SuppressionConsumer:
    """Feeds a :class:`SuppressionSet` from ``alerts.dispositions`` and the cleared-travellers
    topic, read from the beginning without a consumer group (every worker holds all of
    it); sets ``suppressions.loaded`` once caught up. Reconnects after failures."""

    def __init__(self, settings: Settings, suppressions: SuppressionSet) -> None:
        self.settings = settings
        self.suppressions = suppressions

    async def run(self) -> None:
        """Consume until cancelled."""
        await run_forever(self._consume, what="suppression consumer", backoff_s=self.settings.broker_retry_backoff_s)

    def apply(self, topic: str, key: bytes | None, value: bytes | None) -> None:
        """Apply one record of either topic; bad records are logged (no content) and skipped."""
        s = self.settings
        try:
            if topic == s.topic_alerts_dispositions:
                if value is not None:
                    self.suppressions.apply_disposition(Disposition.model_validate_json(value))
            elif topic == s.topic_cleared_travellers and key is not None:
                record = ClearedTraveller.model_validate_json(value) if value is not None else None
                self.suppressions.apply_cleared(key.decode("utf-8", "replace"), record)
        except (ValidationError, ValueError) as exc:
            log.warning("bad suppression record skipped", extra={"topic": topic, "error": type(exc).__name__})

    async def _consume(self) -> None:
        s = self.settings
        async with topic_reader(s, (s.topic_alerts_dispositions, s.topic_cleared_travellers)) as (consumer, tps):
            await consumer.seek_to_beginning(*tps)
            end = await consumer.end_offsets(tps)
            pending = {tp for tp in tps if end[tp] > 0}
            while True:
                batch = await consumer.getmany(timeout_ms=s.poll_timeout_ms, max_records=5000)
                for tp, msgs in batch.items():
                    for m in msgs:
                        self.apply(tp.topic, m.key, m.value)
                await discard_caught_up(consumer, pending, end)
                if not pending and not self.suppressions.loaded.is_set():
                    self.suppressions.loaded.set()
                    log.info("suppressions loaded", extra={"active": len(self.suppressions.active()),
                                                           "cleared": len(self.suppressions.cleared)})
