"""The audit trail of the operator API: an append-only SQLite table.

Every ad hoc screen, alert read (list and single), disposition, watchlist change, raw
message intake and key change is recorded: who (``actor``: key id or token subject, and
its ``auth`` kind), when (UTC), ``action``, ``target`` (an alert id, list id, key id…;
never a name, date of birth or document number) and ``result_count``. SQLite triggers
refuse every UPDATE and DELETE on the table, so there is no path that rewrites history.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from app.alert_store import Database

AUDIT_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    auth TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    result_count INTEGER,
    outcome TEXT NOT NULL DEFAULT 'ok'
);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""


@dataclass(frozen=True)
class AuditEvent:
    """One audit row. ``at`` is timezone-aware UTC; ``result_count`` the number of
    results (hits, alerts, entries…) or None; ``outcome`` ``ok`` or a short code."""

    id: int
    at: datetime
    actor: str
    auth: str
    action: str
    target: str | None
    result_count: int | None
    outcome: str


class AuditLog:
    """Append and query the ``audit`` table of a :class:`Database` (blocking calls)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.add_schema(AUDIT_SCHEMA)

    def record(self, *, actor: str, auth: str, action: str, target: str | None = None,
               result_count: int | None = None, outcome: str = "ok") -> int:
        """Append one event; returns its id."""

        def go(conn: sqlite3.Connection) -> int:
            cur = conn.execute(
                "INSERT INTO audit (at, actor, auth, action, target, result_count, outcome)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (datetime.now(UTC).isoformat(), actor, auth, action, target, result_count, outcome))
            return int(cur.lastrowid or 0)

        return self.db.run(go)

    def query(self, *, actor: str | None = None, action: str | None = None, target: str | None = None,
              since: datetime | None = None, until: datetime | None = None, limit: int = 100,
              offset: int = 0) -> tuple[int, list[AuditEvent]]:
        """Events matching every filter given, newest first: ``(total, page)``.
        ``since``/``until`` are inclusive bounds (naive datetimes are taken as UTC)."""
        where: list[str] = []
        args: list[object] = []
        for column, value in (("actor", actor), ("action", action), ("target", target)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        if since is not None:
            where.append("at >= ?")
            args.append(_utc(since).isoformat())
        if until is not None:
            where.append("at <= ?")
            args.append(_utc(until).isoformat())
        clause = f"WHERE {' AND '.join(where)}" if where else ""

        def go(conn: sqlite3.Connection) -> tuple[int, list[AuditEvent]]:
            total = conn.execute(f"SELECT count(*) FROM audit {clause}", args).fetchone()[0]
            rows = conn.execute(f"SELECT * FROM audit {clause} ORDER BY id DESC LIMIT ? OFFSET ?",
                                [*args, limit, offset]).fetchall()
            return total, [AuditEvent(id=r["id"], at=datetime.fromisoformat(r["at"]), actor=r["actor"],
                                      auth=r["auth"], action=r["action"], target=r["target"],
                                      result_count=r["result_count"], outcome=r["outcome"]) for r in rows]

        return self.db.run(go)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
