"""Raw message intake for feeds without Kafka (``/v1/messages/paxlst``, ``/v1/messages/pnrgov``).

The body is the raw EDIFACT interchange (``Content-Type: application/edifact`` or
``text/plain``). It is produced, unchanged, to the raw topic with the headers
``content-type``, ``source`` (the caller) and ``received-at`` (ISO-8601 UTC), keyed by
flight like ``apis-matcher replay``; the answer (202) comes once the broker acknowledged it.
Decoding happens in the screening workers: an undecodable message goes to the DLQ there.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from app.publish import flight_key
from app.routers.deps import Context, Feed
from app.routers.problems import PayloadTooLarge, Unprocessable, UnsupportedMediaType, problems

router = APIRouter(prefix="/v1/messages", tags=["intake"])

ACCEPTED_TYPES = ("application/edifact", "text/plain")

_BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {
    t: {"schema": {"type": "string"}, "example": "UNA:+.? 'UNB+UNOA:4+ZZAIR+XXBORDER+261129:1200+IC1'…"}
    for t in ACCEPTED_TYPES}}}


class Accepted(BaseModel):
    """Where the raw message landed: ``topic``, ``partition``, ``offset``."""

    topic: str
    partition: int
    offset: int


async def _intake(request: Request, ctx: Context, who: Any, topic: str, kind: str) -> Accepted:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in ACCEPTED_TYPES:
        raise UnsupportedMediaType(f"send the raw message as {' or '.join(ACCEPTED_TYPES)}")
    limit = ctx.settings.api_message_max_bytes
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise PayloadTooLarge(f"a raw message is at most {limit} bytes")
    if not data.strip():
        raise Unprocessable("the body is empty")
    ctx.require_service()
    headers = [("content-type", b"application/edifact"), ("source", who.subject.encode()),
               ("received-at", datetime.now(UTC).isoformat().encode())]
    key = await asyncio.to_thread(flight_key, data)  # decoding a large manifest is CPU work
    partition, offset = await ctx.produce(topic, key=key, value=data, headers=headers)
    await ctx.audit_event(who, f"messages.{kind}", target=f"{topic}:{partition}:{offset}", result_count=1)
    return Accepted(topic=topic, partition=partition, offset=offset)


@router.post("/paxlst", response_model=Accepted, status_code=202, openapi_extra=_BODY,
             responses=problems(401, 403, 413, 415, 422, 503))
async def paxlst(request: Request, ctx: Context, who: Feed) -> Accepted:
    """Accept one raw PAXLST interchange onto ``apis.paxlst.raw`` (role ``feed``)."""
    return await _intake(request, ctx, who, ctx.settings.topic_paxlst_raw, "paxlst")


@router.post("/pnrgov", response_model=Accepted, status_code=202, openapi_extra=_BODY,
             responses=problems(401, 403, 413, 415, 422, 503))
async def pnrgov(request: Request, ctx: Context, who: Feed) -> Accepted:
    """Accept one raw PNRGOV interchange onto ``pnr.pnrgov.raw`` (role ``feed``)."""
    return await _intake(request, ctx, who, ctx.settings.topic_pnrgov_raw, "pnrgov")
