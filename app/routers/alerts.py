"""Alerts and dispositions (``/v1/alerts``), read from the API database that
:class:`app.alert_store.AlertMaterialiser` fills from ``alerts.internal`` and
``alerts.dispositions``."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from app.alert_store import AlertFilter, StoredDisposition
from app.routers.deps import Context, Operator
from app.routers.problems import NotFound, Unprocessable, problems
from app.suppression import traveller_identity
from schemas.records import Alert, Disposition, DispositionStatus

router = APIRouter(prefix="/v1/alerts", tags=["alerts"])

AlertStatus = Literal["open", "true_match", "false_positive", "inconclusive", "escalated"]


class AlertPublic(BaseModel):
    """One alert, its current ``status`` (``open`` until decided) and, on the single-alert
    read, its disposition ``history`` (oldest first)."""

    alert: Alert
    status: AlertStatus
    history: list[Disposition] | None = None


class AlertsPublic(BaseModel):
    """A page of alerts (newest first) and the ``total`` matching the filters."""

    total: int
    limit: int
    offset: int
    items: list[AlertPublic]


class DispositionIn(BaseModel):
    """An operator's decision: ``status`` and ``reason``; ``entry_keys``
    (``list_id:entry_id``) limits it to some of the alert's hits (default: all)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "status": "false_positive", "reason": "different person: date of birth and passport differ"}]})

    status: DispositionStatus
    reason: str = Field(min_length=1, max_length=2000)
    entry_keys: list[str] | None = Field(default=None, min_length=1, max_length=100)


class DispositionWritten(BaseModel):
    """The Disposition produced to ``alerts.dispositions`` and where the broker put it;
    ``repeat`` is true when nothing new was produced because the same decision was
    just recorded (that earlier record is the one shown)."""

    disposition: Disposition
    topic: str
    partition: int
    offset: int
    repeat: bool = False


def is_repeat(latest: StoredDisposition | None, *, status: str, operator: str, reason: str,
              entry_keys: list[str], now: datetime, window_s: float) -> bool:
    """True when ``latest`` (the alert's latest disposition) is the same decision —
    same ``status``, ``operator``, ``reason`` and ``entry_keys`` — decided at most
    ``window_s`` seconds before ``now`` (a double click or a client's retry). An identical
    decision with another one in between is not a repeat: it changes the alert's status."""
    if latest is None or window_s <= 0:
        return False
    d = latest.disposition
    decided = d.decided_at if d.decided_at.tzinfo else d.decided_at.replace(tzinfo=UTC)
    return ((d.status, d.operator, d.reason, d.entry_keys) == (status, operator, reason, entry_keys)
            and (now - decided).total_seconds() <= window_s)


@router.get("", response_model=AlertsPublic, responses=problems(401, 403, 422))
async def list_alerts(
    ctx: Context, who: Operator,
    carrier: Annotated[str | None, Query(min_length=2, max_length=3, description="airline code (TDT+20)")] = None,
    flight_number: Annotated[str | None, Query(min_length=1, max_length=5)] = None,
    departure_from: Annotated[date | None, Query(description="scheduled departure on or after (local date)")]
    = None,
    departure_to: Annotated[date | None, Query(description="scheduled departure on or before")] = None,
    list_id: Annotated[str | None, Query(max_length=64)] = None,
    min_score: Annotated[float | None, Query(ge=0.0, le=1.0, description="best hit's score at least")] = None,
    status: AlertStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> AlertsPublic:
    """Alerts matching every filter given, newest first, with paging (role ``operator``).
    Audited as ``alerts.list`` with the number returned."""
    flt = AlertFilter(carrier=carrier, flight_number=flight_number,
                      departure_from=departure_from.isoformat() if departure_from else None,
                      departure_to=departure_to.isoformat() if departure_to else None,
                      list_id=list_id, min_score=min_score, status=status)
    total, rows = await asyncio.to_thread(ctx.alerts.list_alerts, flt, limit=limit, offset=offset)
    await ctx.audit_event(who, "alerts.list", result_count=len(rows))
    return AlertsPublic(total=total, limit=limit, offset=offset,
                        items=[AlertPublic(alert=r.alert, status=r.status) for r in rows])  # type: ignore[arg-type]


@router.get("/{alert_id}", response_model=AlertPublic, responses=problems(401, 403, 404))
async def get_alert(alert_id: str, ctx: Context, who: Operator) -> AlertPublic:
    """One alert with every hit's explanation, its status and disposition history
    (role ``operator``); 404 when unknown. Audited as ``alerts.read``."""
    row = await asyncio.to_thread(ctx.alerts.get, alert_id)
    await ctx.audit_event(who, "alerts.read", target=alert_id[:100], result_count=1 if row else 0)
    if row is None:
        raise NotFound(f"no alert {alert_id[:100]!r}")
    return AlertPublic(alert=row.alert, status=row.status, history=row.history)  # type: ignore[arg-type]


@router.post("/{alert_id}/disposition", response_model=DispositionWritten, status_code=202,
             responses={200: {"model": DispositionWritten,
                              "description": "a repeat of the decision just recorded: that one, nothing produced"},
                        **problems(401, 403, 404, 422, 503)})
async def disposition(alert_id: str, body: DispositionIn, ctx: Context, who: Operator) -> Any:
    """Record a decision on an alert (role ``operator``): a Disposition (operator = the
    caller) is produced to ``alerts.dispositions`` (key ``alert_id``) and answered 202
    once the broker acknowledged it. A ``false_positive`` suppresses new hits of the same
    traveller identity against the same entries in every worker. 404 for an unknown
    alert; 422 for ``entry_keys`` that are not the alert's. Audited as ``disposition``.

    Idempotent for a repeat: when the alert's latest disposition is the same decision
    (status, operator, reason, entries) made at most ``disposition_repeat_window_s`` ago,
    nothing is produced and that disposition is answered with 200 and ``repeat: true``
    (audited with outcome ``repeat``). Requests on one alert are handled one at a time,
    so two clicks arriving together record one decision. The check uses this instance's
    store: a repeat sent to another instance before that one has read the first record
    from ``alerts.dispositions`` is recorded twice.
    """
    async with ctx.alert_lock(alert_id):
        row = await asyncio.to_thread(ctx.alerts.get, alert_id)
        if row is None:
            raise NotFound(f"no alert {alert_id[:100]!r}")
        keys = [f"{h.list_id}:{h.entry_id}" for h in row.alert.hits]
        if body.entry_keys is not None:
            unknown = [k for k in body.entry_keys if k not in keys]
            if unknown:
                raise Unprocessable("entry_keys must name hits of this alert", unknown=unknown[:20])
            keys = [k for k in keys if k in body.entry_keys]
        now = datetime.now(UTC)
        latest = await asyncio.to_thread(ctx.alerts.latest_disposition, alert_id)
        if latest is not None and is_repeat(latest, status=body.status, operator=who.subject,
                                            reason=body.reason, entry_keys=keys, now=now,
                                            window_s=ctx.settings.disposition_repeat_window_s):
            await ctx.audit_event(who, "disposition", target=alert_id, result_count=len(keys), outcome="repeat")
            same = DispositionWritten(disposition=latest.disposition, topic=latest.topic, partition=latest.partition,
                                      offset=latest.offset, repeat=True)
            return JSONResponse(same.model_dump(mode="json", by_alias=True), status_code=200)
        record = Disposition(alert_id=alert_id, status=body.status, operator=who.subject, reason=body.reason,
                             decided_at=now, traveller_identity=traveller_identity(row.alert.traveller),
                             entry_keys=keys)
        topic = ctx.settings.topic_alerts_dispositions
        partition, offset = await ctx.produce(topic, key=alert_id.encode(),
                                              value=orjson.dumps(record.model_dump(mode="json", by_alias=True)))
        # Seen at once by this instance; the consumers apply the same record again (idempotent).
        await asyncio.to_thread(ctx.alerts.put_disposition, record, topic=topic, partition=partition, offset=offset)
    if ctx.service is not None:
        ctx.service.suppressions.apply_disposition(record)
    await ctx.audit_event(who, "disposition", target=alert_id, result_count=len(keys))
    return DispositionWritten(disposition=record, topic=topic, partition=partition, offset=offset)
