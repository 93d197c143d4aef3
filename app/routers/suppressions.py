"""Suppressions (``GET /v1/suppressions``) and the cleared-travellers list (``/v1/cleared``).

See :mod:`app.suppression` for how workers apply them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from app.publish import ENTRY_KEY_JSON_PATTERN, check_entry_key
from app.routers.deps import Admin, Context, Operator
from app.routers.problems import NotFound, Unprocessable, problems
from app.suppression import ClearedTraveller, normalise_document_number

router = APIRouter(prefix="/v1", tags=["suppressions"])


class SuppressionPublic(BaseModel):
    """A false-positive suppression: traveller ``identity`` hash × ``entry_key`` until ``expires_at``."""

    identity: str
    entry_key: str
    alert_id: str
    operator: str
    decided_at: datetime
    expires_at: datetime


class SuppressionsPublic(BaseModel):
    suppressions: list[SuppressionPublic]
    cleared: list[ClearedTraveller]


EntryKey = Annotated[str, Field(max_length=300, json_schema_extra={"pattern": ENTRY_KEY_JSON_PATTERN}),
                     AfterValidator(check_entry_key)]
"""``list_id:entry_id``, checked by :func:`app.publish.check_entry_key` (422 naming the item)."""


class ClearedIn(BaseModel):
    """A redress number to clear; ``entry_keys`` (``list_id:entry_id``, each a valid list
    id and a non-empty entry id) limits the clearance to those entries (default: every
    list)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "redress_number": "RN1234567", "entry_keys": ["demo-list:DEMO-009"], "reason": "DHS TRIP redress granted"}]})

    redress_number: str = Field(min_length=1, max_length=64)
    entry_keys: list[EntryKey] = Field(default_factory=list, max_length=100)
    reason: str | None = Field(default=None, max_length=2000)


class ClearedWritten(BaseModel):
    """The cleared-travellers record produced (``cleared`` null for a removal) and where
    the broker put it; ``entry_keys_not_loaded``: keys of the record naming no entry this
    instance holds now (accepted all the same; check them for typos)."""

    redress_number: str
    cleared: ClearedTraveller | None
    topic: str
    partition: int
    offset: int
    entry_keys_not_loaded: list[str] = []


@router.get("/suppressions", response_model=SuppressionsPublic, responses=problems(401, 403, 503))
async def suppressions(ctx: Context, who: Operator) -> SuppressionsPublic:
    """The active false-positive suppressions and cleared travellers this instance holds
    (role ``operator``)."""
    sup = ctx.require_service().suppressions
    return SuppressionsPublic(
        suppressions=[SuppressionPublic(**s.__dict__) for s in sup.active()],
        cleared=sorted(sup.cleared.values(), key=lambda c: c.cleared_at, reverse=True))


@router.post("/cleared", response_model=ClearedWritten, status_code=202, responses=problems(401, 403, 422, 503))
async def add_cleared(body: ClearedIn, ctx: Context, who: Admin) -> ClearedWritten:
    """Clear a traveller by redress number (role ``admin``): produced to the compacted
    ``topic_cleared_travellers``; every worker then drops hits of travellers carrying a
    document with that number. Audited as ``cleared.add``.

    422 when the redress number has no letter or digit, or an ``entry_keys`` item is not
    ``list_id:entry_id`` (a valid list id, a non-empty entry id without surrounding white
    space); repeated keys are kept once. A well-formed key of an entry that is not loaded
    now is accepted (lists change: an entry may come back with the next version, and a
    clearance should hold when it does) and named in ``entry_keys_not_loaded``.
    """
    number = normalise_document_number(body.redress_number)
    if not number:
        raise Unprocessable("the redress number has no letter or digit")
    service = ctx.require_service()
    entry_keys = list(dict.fromkeys(body.entry_keys))
    record = ClearedTraveller(redress_number=number, entry_keys=entry_keys, reason=body.reason,
                              cleared_by=who.subject, cleared_at=datetime.now(UTC))
    topic = ctx.settings.topic_cleared_travellers
    partition, offset = await ctx.produce(topic, key=number.encode(), value=record.model_dump_json().encode())
    service.suppressions.apply_cleared(number, record)
    await ctx.audit_event(who, "cleared.add", target=f"redress:{number}", result_count=1)
    not_loaded = [k for k in entry_keys if k not in service.store.entries]
    return ClearedWritten(redress_number=number, cleared=record, topic=topic, partition=partition, offset=offset,
                          entry_keys_not_loaded=not_loaded)


@router.delete("/cleared/{redress_number}", response_model=ClearedWritten, responses=problems(401, 403, 404, 503))
async def remove_cleared(redress_number: str, ctx: Context, who: Admin) -> ClearedWritten:
    """Remove a cleared traveller (a tombstone on the topic; role ``admin``); 404 when
    this instance holds no such number. Audited as ``cleared.remove``."""
    number = normalise_document_number(redress_number)
    sup = ctx.require_service().suppressions
    if number not in sup.cleared:
        raise NotFound("no cleared traveller with this redress number")
    topic = ctx.settings.topic_cleared_travellers
    partition, offset = await ctx.produce(topic, key=number.encode(), value=None)
    sup.apply_cleared(number, None)
    await ctx.audit_event(who, "cleared.remove", target=f"redress:{number}", result_count=1)
    return ClearedWritten(redress_number=number, cleared=None, topic=topic, partition=partition, offset=offset)
