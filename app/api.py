"""The HTTP app: health, readiness and metrics (the operator API grows here).

``create_app(service)`` returns a FastAPI app; with a service it starts and stops the
service with the app's lifespan. Errors are RFC 9457 problem details.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from app.service import Service


class Health(BaseModel):
    status: str
    reason: str | None = None


class ReadinessPublic(BaseModel):
    ready: bool
    reasons: list[str]
    checks: dict[str, bool]
    last_error: str | None = None


def create_app(service: Service | None = None, *, exit_on_failure: bool = False) -> FastAPI:
    """Build the FastAPI app. When ``service`` is given, its ``run()`` task starts with
    the app and is cancelled at shutdown; with ``exit_on_failure`` a service that stops
    for good (``Service.failure``) ends the process with SIGTERM."""

    def _stop_process(task: asyncio.Task[None]) -> None:
        # The service stopped for good (e.g. fenced): end the process so that it is
        # restarted; /healthz fails meanwhile.
        if not task.cancelled() and task.exception() is not None and exit_on_failure:
            os.kill(os.getpid(), signal.SIGTERM)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(service.run()) if service else None
        if task:
            task.add_done_callback(_stop_process)
        try:
            yield
        finally:
            if task:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    app = FastAPI(
        title="apis-matcher",
        summary="Screens PAXLST/PNRGOV travellers against watchlists and publishes alerts.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.service = service

    @app.exception_handler(Exception)
    async def problem(request: Request, exc: Exception) -> JSONResponse:  # pragma: no cover - last resort
        return JSONResponse(
            {"type": "about:blank", "title": "Internal Server Error", "status": 500,
             "detail": type(exc).__name__, "instance": str(request.url.path)},
            status_code=500, media_type="application/problem+json",
        )

    @app.get("/healthz", response_model=Health, tags=["operations"], response_model_exclude_none=True,
             responses={503: {"model": Health, "description": "the service stopped for good"}})
    async def healthz() -> Any:
        """Liveness: the process answers (also while the broker is unreachable); 503 once
        the service has stopped for good (for example, fenced by another instance)."""
        if service is not None and service.failure:
            return JSONResponse(Health(status="failed", reason=service.failure).model_dump(), status_code=503)
        return Health(status="ok")

    @app.get("/readyz", response_model=ReadinessPublic, tags=["operations"],
             responses={503: {"model": ReadinessPublic, "description": "not ready, with the reasons"}})
    async def readyz() -> Any:
        """Readiness: broker reachable, watchlists loaded, partitions assigned."""
        if service is None:
            body = ReadinessPublic(ready=False, reasons=["no_service"], checks={})
            return JSONResponse(body.model_dump(), status_code=503)
        r = service.readiness()
        body = ReadinessPublic(ready=r.ready, reasons=r.reasons, checks=r.checks, last_error=service.last_error)
        return JSONResponse(body.model_dump(), status_code=200 if r.ready else 503)

    @app.get("/metrics", tags=["operations"], response_class=Response)
    async def metrics() -> Response:
        """Prometheus metrics in the text exposition format."""
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return app
