"""The operator API's embedded SQLite database and the alert store fed from Kafka.

:class:`Database` wraps one stdlib ``sqlite3`` connection (WAL journal) behind a lock;
async callers go through :meth:`Database.call`, which runs the work in a worker thread
so the event loop never blocks on disk. The same file holds the API keys
(:mod:`app.auth`) and the audit trail (:mod:`app.audit`).

:class:`AlertStore` materialises ``alerts.internal`` (Alert JSON, key ``alert_id``) and
``alerts.dispositions`` (Disposition JSON, key ``alert_id``) into tables. Writes are
idempotent (an alert is upserted by ``alert_id``, a disposition is keyed by its topic,
partition and offset), so the database can be deleted and rebuilt from the topics read
from the beginning. :class:`AlertMaterialiser` is the consumer task; it resumes from the
offsets stored with the rows.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import orjson
from pydantic import ValidationError

from app.kafka_utils import discard_caught_up, run_forever, topic_reader
from app.settings import Settings
from schemas.records import Alert, Disposition

log = logging.getLogger(__name__)

T = TypeVar("T")

ALERT_SCHEMA = """
CREATE TABLE IF NOT EXISTS alerts (
    alert_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    carrier TEXT,
    flight_number TEXT,
    departure_date TEXT,
    record_locator TEXT,
    max_score REAL NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_flight ON alerts (carrier, flight_number, departure_date);
CREATE INDEX IF NOT EXISTS alerts_created ON alerts (created_at);
CREATE TABLE IF NOT EXISTS alert_hits (
    alert_id TEXT NOT NULL,
    list_id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY (alert_id, list_id, entry_id)
);
CREATE INDEX IF NOT EXISTS alert_hits_list ON alert_hits (list_id);
CREATE TABLE IF NOT EXISTS dispositions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id TEXT NOT NULL,
    status TEXT NOT NULL,
    operator TEXT NOT NULL,
    reason TEXT,
    decided_at TEXT NOT NULL,
    body TEXT NOT NULL,
    topic TEXT NOT NULL,
    partition INTEGER NOT NULL,
    "offset" INTEGER NOT NULL,
    UNIQUE (topic, partition, "offset")
);
CREATE INDEX IF NOT EXISTS dispositions_alert ON dispositions (alert_id, decided_at);
CREATE TABLE IF NOT EXISTS consumer_offsets (
    topic TEXT NOT NULL,
    partition INTEGER NOT NULL,
    next_offset INTEGER NOT NULL,
    PRIMARY KEY (topic, partition)
);
"""

ALERT_STATUSES = ("open", "true_match", "false_positive", "inconclusive", "escalated")
"""An alert's status: ``open`` until its first disposition, then the latest decision's."""

_STATUS_SQL = ("COALESCE((SELECT d.status FROM dispositions d WHERE d.alert_id = a.alert_id "
               "ORDER BY d.decided_at DESC, d.id DESC LIMIT 1), 'open')")


class Database:
    """One SQLite connection shared by the API's stores, serialised by a lock.

    ``path`` is a file path (parent folders are created) or ``":memory:"``. The
    connection opens on first use. Blocking: call :meth:`run` from a worker thread, or
    :meth:`call` from async code.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._schemas: list[str] = []

    def add_schema(self, script: str) -> None:
        """Register DDL (``CREATE … IF NOT EXISTS``) run at open, or now when already open."""
        with self._lock:
            self._schemas.append(script)
            if self._conn is not None:
                self._conn.executescript(script)

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            if self.path != ":memory:":
                path = Path(self.path).expanduser()
                path.parent.mkdir(parents=True, exist_ok=True)
                # Alerts hold personal data and key hashes: owner-only, also for the WAL files.
                path.touch(mode=0o600, exist_ok=True)
                path.chmod(0o600)
                old_umask = os.umask(0o077)
            try:
                conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
            finally:
                if self.path != ":memory:":
                    os.umask(old_umask)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys=ON")
            for script in self._schemas:
                conn.executescript(script)
            self._conn = conn
        return self._conn

    def run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn(connection)`` in one transaction (commit on return, rollback on error)."""
        with self._lock:
            conn = self._connect()
            conn.execute("BEGIN")
            try:
                result = fn(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return result

    async def call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """:meth:`run` in a worker thread."""
        return await asyncio.to_thread(self.run, fn)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


@dataclass
class AlertFilter:
    """Filters of ``GET /v1/alerts``: flight (``carrier`` + ``flight_number``, as in PAXLST
    ``TDT+20``), departure date range (``YYYY-MM-DD``, inclusive, from the flight's
    ``scheduled_departure``), ``list_id`` (any hit), ``min_score`` (best hit, 0.0–1.0),
    ``status`` (see :data:`ALERT_STATUSES`)."""

    carrier: str | None = None
    flight_number: str | None = None
    departure_from: str | None = None
    departure_to: str | None = None
    list_id: str | None = None
    min_score: float | None = None
    status: str | None = None


@dataclass
class AlertRow:
    """One stored alert: the Alert record, its current ``status`` and its disposition history."""

    alert: Alert
    status: str
    history: list[Disposition] = field(default_factory=list)


@dataclass
class StoredDisposition:
    """A stored disposition and where it is on ``alerts.dispositions``."""

    disposition: Disposition
    topic: str
    partition: int
    offset: int


class AlertStore:
    """Alerts and dispositions in the :class:`Database` (idempotent writes)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.add_schema(ALERT_SCHEMA)

    # -- writes (from the consumer) ----------------------------------------------
    @staticmethod
    def _upsert_alert(conn: sqlite3.Connection, alert: Alert) -> None:
        # A resent message republishes the same alert id: keep when it was first raised,
        # take the rest (hits, traveller data) from the newest record.
        first = conn.execute("SELECT created_at FROM alerts WHERE alert_id = ?", (alert.alert_id,)).fetchone()
        if first is not None:
            alert = alert.model_copy(update={"created_at": datetime.fromisoformat(first[0])})
        src = alert.traveller.source
        flight = src.flight if src else None
        departure = (flight.scheduled_departure or "")[:10] if flight else ""
        conn.execute(
            "INSERT INTO alerts (alert_id, created_at, carrier, flight_number, departure_date, record_locator,"
            " max_score, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (alert_id) DO UPDATE SET"
            " carrier=excluded.carrier, flight_number=excluded.flight_number,"
            " departure_date=excluded.departure_date, record_locator=excluded.record_locator,"
            " max_score=excluded.max_score, body=excluded.body",
            (alert.alert_id, alert.created_at.astimezone(UTC).isoformat(), flight.carrier if flight else None,
             flight.number if flight else None, departure or None, src.record_locator if src else None,
             max((h.score for h in alert.hits), default=0.0), alert.model_dump_json(by_alias=True)))
        conn.execute("DELETE FROM alert_hits WHERE alert_id = ?", (alert.alert_id,))
        conn.executemany(
            "INSERT OR REPLACE INTO alert_hits (alert_id, list_id, entry_id, score) VALUES (?, ?, ?, ?)",
            [(alert.alert_id, h.list_id, h.entry_id, h.score) for h in alert.hits])

    @staticmethod
    def _insert_disposition(conn: sqlite3.Connection, d: Disposition, topic: str, partition: int,
                            offset: int) -> None:
        conn.execute(
            'INSERT OR IGNORE INTO dispositions (alert_id, status, operator, reason, decided_at, body, topic,'
            ' partition, "offset") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            (d.alert_id, d.status, d.operator, d.reason, d.decided_at.astimezone(UTC).isoformat(),
             d.model_dump_json(by_alias=True), topic, partition, offset))

    def put_alert(self, alert: Alert) -> None:
        """Insert or replace one alert (by ``alert_id``). Blocking."""
        self.db.run(lambda conn: self._upsert_alert(conn, alert))

    def put_disposition(self, d: Disposition, *, topic: str, partition: int, offset: int) -> None:
        """Record one disposition; the same topic/partition/offset again is a no-op. Blocking."""
        self.db.run(lambda conn: self._insert_disposition(conn, d, topic, partition, offset))

    def apply_records(self, records: list[tuple[str, int, int, bytes | None]], *, alerts_topic: str,
                      dispositions_topic: str) -> int:
        """Apply consumed records ``(topic, partition, offset, value)`` and store the next
        offsets, all in one transaction. Records that do not validate are skipped and
        logged (without their content). Returns the number applied. Blocking."""

        def go(conn: sqlite3.Connection) -> int:
            applied = 0
            nexts: dict[tuple[str, int], int] = {}
            for topic, partition, offset, value in records:
                nexts[(topic, partition)] = offset + 1
                if value is None:
                    continue
                try:
                    if topic == alerts_topic:
                        self._upsert_alert(conn, Alert.model_validate_json(value))
                    elif topic == dispositions_topic:
                        self._insert_disposition(conn, Disposition.model_validate_json(value), topic, partition,
                                                 offset)
                    else:
                        continue
                except (ValidationError, ValueError) as exc:
                    log.warning("bad record skipped", extra={"topic": topic, "partition": partition,
                                                             "offset": offset, "error": type(exc).__name__})
                    continue
                applied += 1
            conn.executemany(
                "INSERT INTO consumer_offsets (topic, partition, next_offset) VALUES (?, ?, ?)"
                " ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset",
                [(t, p, o) for (t, p), o in nexts.items()])
            return applied

        return self.db.run(go)

    def next_offsets(self) -> dict[tuple[str, int], int]:
        """The stored resume offsets by (topic, partition). Blocking."""
        rows = self.db.run(lambda c: c.execute("SELECT topic, partition, next_offset FROM consumer_offsets")
                           .fetchall())
        return {(r["topic"], r["partition"]): r["next_offset"] for r in rows}

    # -- reads ---------------------------------------------------------------------
    def list_alerts(self, flt: AlertFilter, *, limit: int = 50, offset: int = 0) -> tuple[int, list[AlertRow]]:
        """Alerts matching ``flt``, newest first: ``(total, page)``; the page's rows carry
        no history (see :meth:`get`). Blocking."""
        where: list[str] = []
        args: list[Any] = []
        if flt.carrier:
            where.append("a.carrier = ?")
            args.append(flt.carrier.upper())
        if flt.flight_number:
            where.append("(a.flight_number = ? OR ltrim(a.flight_number, '0') = ltrim(?, '0'))")
            args += [flt.flight_number, flt.flight_number]
        if flt.departure_from:
            where.append("a.departure_date >= ?")
            args.append(flt.departure_from)
        if flt.departure_to:
            where.append("a.departure_date <= ?")
            args.append(flt.departure_to)
        if flt.list_id:
            where.append("EXISTS (SELECT 1 FROM alert_hits h WHERE h.alert_id = a.alert_id AND h.list_id = ?)")
            args.append(flt.list_id)
        if flt.min_score is not None:
            where.append("a.max_score >= ?")
            args.append(flt.min_score)
        if flt.status:
            where.append(f"{_STATUS_SQL} = ?")
            args.append(flt.status)
        clause = f"WHERE {' AND '.join(where)}" if where else ""

        def go(conn: sqlite3.Connection) -> tuple[int, list[AlertRow]]:
            total = conn.execute(f"SELECT count(*) FROM alerts a {clause}", args).fetchone()[0]
            rows = conn.execute(
                f"SELECT a.body, {_STATUS_SQL} AS status FROM alerts a {clause}"
                " ORDER BY a.created_at DESC, a.alert_id LIMIT ? OFFSET ?", [*args, limit, offset]).fetchall()
            return total, [AlertRow(alert=Alert.model_validate_json(r["body"]), status=r["status"]) for r in rows]

        return self.db.run(go)

    def get(self, alert_id: str) -> AlertRow | None:
        """One alert with its status and disposition history (oldest first), or None. Blocking."""

        def go(conn: sqlite3.Connection) -> AlertRow | None:
            row = conn.execute(f"SELECT a.body, {_STATUS_SQL} AS status FROM alerts a WHERE a.alert_id = ?",
                               (alert_id,)).fetchone()
            if row is None:
                return None
            hist = conn.execute("SELECT body FROM dispositions WHERE alert_id = ? ORDER BY decided_at, id",
                                (alert_id,)).fetchall()
            return AlertRow(alert=Alert.model_validate_json(row["body"]), status=row["status"],
                            history=[Disposition.model_validate_json(h["body"]) for h in hist])

        return self.db.run(go)

    def latest_disposition(self, alert_id: str) -> StoredDisposition | None:
        """The alert's latest disposition (the one its status comes from: latest
        ``decided_at``, then latest stored), or None. Blocking."""
        row = self.db.run(lambda conn: conn.execute(
            'SELECT body, topic, partition, "offset" FROM dispositions WHERE alert_id = ?'
            " ORDER BY decided_at DESC, id DESC LIMIT 1", (alert_id,)).fetchone())
        if row is None:
            return None
        return StoredDisposition(disposition=Disposition.model_validate_json(row["body"]), topic=row["topic"],
                                 partition=row["partition"], offset=row["offset"])


class AlertMaterialiser:
    """Consumes ``alerts.internal`` and ``alerts.dispositions`` into an :class:`AlertStore`.

    Reads without a consumer group (every API instance keeps its own database), resumes
    from the offsets stored in the database (from the beginning for a new database),
    and reconnects after broker failures. ``caught_up`` is set once the end offsets seen
    at connection time have been applied.
    """

    def __init__(self, settings: Settings, store: AlertStore) -> None:
        self.settings = settings
        self.store = store
        self.caught_up = asyncio.Event()
        self.applied = 0

    async def run(self) -> None:
        """Consume until cancelled."""
        await run_forever(self._consume, what="alert store consumer", backoff_s=self.settings.broker_retry_backoff_s)

    async def _consume(self) -> None:
        s = self.settings
        async with topic_reader(s, (s.topic_alerts_internal, s.topic_alerts_dispositions)) as (consumer, tps):
            stored = await asyncio.to_thread(self.store.next_offsets)
            for tp in tps:
                if (tp.topic, tp.partition) in stored:
                    consumer.seek(tp, stored[(tp.topic, tp.partition)])
                else:
                    await consumer.seek_to_beginning(tp)
            end = await consumer.end_offsets(tps)
            pending = {tp for tp in tps if end[tp] > 0}
            while True:
                batch = await consumer.getmany(timeout_ms=s.poll_timeout_ms, max_records=1000)
                records = [(tp.topic, tp.partition, m.offset, m.value) for tp, msgs in batch.items() for m in msgs]
                if records:
                    self.applied += await asyncio.to_thread(
                        self.store.apply_records, records, alerts_topic=s.topic_alerts_internal,
                        dispositions_topic=s.topic_alerts_dispositions)
                await discard_caught_up(consumer, pending, end)
                if not pending and not self.caught_up.is_set():
                    self.caught_up.set()
                    log.info("alert store caught up", extra={"applied": self.applied})


def now_utc() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def alert_json(alert: Alert) -> dict[str, Any]:
    """The wire form of an alert (``model_dump(mode="json")``), as the topic carries it."""
    return orjson.loads(alert.model_dump_json(by_alias=True))  # type: ignore[no-any-return]
