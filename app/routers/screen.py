"""``POST /v1/screen``: ad hoc screening of one or many travellers against the live index."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from app.routers.deps import Context, Operator
from app.routers.problems import Unprocessable, problems
from app.watchlist_state import Snapshot
from schemas.records import Hit, Traveller
from schemas.screening import result_to_hit, traveller_to_person

router = APIRouter(prefix="/v1", tags=["screening"])


class ScreenRequest(BaseModel):
    """Travellers in canonical form (only ``traveller_id`` and a name are required:
    ``surname``/``given_names`` or ``full_name``) and an optional threshold 0.0–1.0 that
    overrides every list's threshold."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "travellers": [{"traveller_id": "q1", "surname": "SCHOENBERGER", "given_names": "JUERGEN",
                        "date_of_birth": "1974-01-30", "nationality": "DEU"}],
        "threshold": 0.8}]})

    travellers: list[Traveller] = Field(min_length=1)
    threshold: float | None = Field(default=None, ge=0.0, le=1.0)


class ScreenResult(BaseModel):
    """One traveller's hits at or above the threshold, best first."""

    traveller_id: str
    hits: list[Hit]


class ScreenResponse(BaseModel):
    """The results in request order and the index they came from (``index_built_at`` UTC,
    ``index_entries``)."""

    results: list[ScreenResult]
    index_built_at: datetime
    index_entries: int


def _screen(snapshot: Snapshot, travellers: list[Traveller], threshold: float | None,
            default_owner: str | None) -> list[ScreenResult]:
    results = snapshot.screener.screen([traveller_to_person(t) for t in travellers], threshold=threshold)
    out = []
    for t, matches in zip(travellers, results, strict=True):
        hits = [result_to_hit(r, list_version=snapshot.list_version(r.list_id, r.entry_id),
                              list_owner=snapshot.list_owner(r.list_id, default_owner)) for r in matches]
        out.append(ScreenResult(traveller_id=t.traveller_id, hits=sorted(hits, key=lambda h: h.score, reverse=True)))
    return out


@router.post("/screen", response_model=ScreenResponse,
             responses=problems(401, 403, 422, 503))
async def screen(body: ScreenRequest, ctx: Context, who: Operator) -> ScreenResponse:
    """Screen travellers against the same index the stream uses (role ``operator``).

    Runs in a worker thread. 422 when a traveller has no name or there are more than
    ``api_screen_max_travellers``; 503 while the index is not loaded. Audited as
    ``screen`` with the number of hits.
    """
    if len(body.travellers) > ctx.settings.api_screen_max_travellers:
        raise Unprocessable(f"at most {ctx.settings.api_screen_max_travellers} travellers per request")
    nameless = [t.traveller_id for t in body.travellers if not t.display_name().strip()]
    if nameless:
        raise Unprocessable("every traveller needs a name (surname, given_names or full_name)",
                            traveller_ids=nameless[:20])
    snapshot = ctx.snapshot()
    owner = ctx.settings.default_list_owner or ctx.settings.originator
    results = await asyncio.to_thread(_screen, snapshot, body.travellers, body.threshold, owner)
    hits = sum(len(r.hits) for r in results)
    await ctx.audit_event(who, "screen", target=f"{len(body.travellers)} travellers", result_count=hits)
    return ScreenResponse(results=results, index_built_at=datetime.fromtimestamp(snapshot.built_at, UTC),
                          index_entries=len(snapshot.entry_versions))
