"""Administration: API keys (``/v1/keys``) and the audit trail (``/v1/audit``); role ``admin``."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from app.auth import Role
from app.routers.deps import Admin, Context
from app.routers.problems import NotFound, problems

router = APIRouter(prefix="/v1", tags=["administration"])


class KeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"role": "operator",
                                                                                 "name": "duty analyst 1"}]})

    role: Role
    name: str = Field(min_length=1, max_length=200, pattern=r"\S")


class KeyPublic(BaseModel):
    """A stored key (never the key itself)."""

    id: str
    name: str
    role: str
    created_at: str
    created_by: str | None
    revoked_at: str | None


class KeyCreated(KeyPublic):
    """A new key: ``key`` is shown this once; only its SHA-256 is stored."""

    key: str


class AuditEventPublic(BaseModel):
    id: int
    at: datetime
    actor: str
    auth: str
    action: str
    target: str | None
    result_count: int | None
    outcome: str


class AuditPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[AuditEventPublic]


@router.post("/keys", response_model=KeyCreated, status_code=201, responses=problems(401, 403, 422))
async def create_key(body: KeyIn, ctx: Context, who: Admin) -> KeyCreated:
    """Create an API key for ``role`` (``operator``, ``admin``, ``feed``). Audited as ``keys.create``."""
    record, key = await asyncio.to_thread(ctx.keys.create, role=body.role, name=body.name, created_by=who.subject)
    await ctx.audit_event(who, "keys.create", target=f"key:{record.id}", result_count=1)
    return KeyCreated(**record.__dict__, key=key)


@router.get("/keys", response_model=list[KeyPublic], responses=problems(401, 403))
async def list_keys(ctx: Context, who: Admin) -> list[KeyPublic]:
    """Every key (revoked ones with ``revoked_at``)."""
    return [KeyPublic(**k.__dict__) for k in await asyncio.to_thread(ctx.keys.list)]


@router.delete("/keys/{key_id}", response_model=KeyPublic, responses=problems(401, 403, 404))
async def revoke_key(key_id: str, ctx: Context, who: Admin) -> KeyPublic:
    """Revoke a key at once; 404 when no active key has this id. Audited as ``keys.revoke``."""
    if not await asyncio.to_thread(ctx.keys.revoke, key_id):
        raise NotFound(f"no active key {key_id[:40]!r}")
    await ctx.audit_event(who, "keys.revoke", target=f"key:{key_id}", result_count=1)
    record = next(k for k in await asyncio.to_thread(ctx.keys.list) if k.id == key_id)
    return KeyPublic(**record.__dict__)


@router.get("/audit", response_model=AuditPage, responses=problems(401, 403, 422))
async def audit(
    ctx: Context, who: Admin,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    action: Annotated[str | None, Query(max_length=200)] = None,
    target: Annotated[str | None, Query(max_length=200)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> AuditPage:
    """The audit trail, newest first, filtered by actor, action, target and time (UTC, inclusive)."""
    total, events = await asyncio.to_thread(ctx.audit.query, actor=actor, action=action, target=target, since=since,
                                            until=until, limit=limit, offset=offset)
    return AuditPage(total=total, limit=limit, offset=offset,
                     items=[AuditEventPublic(**e.__dict__) for e in events])
