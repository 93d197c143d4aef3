"""The HTTP app: health, readiness, metrics and the operator API (``/v1``).

``create_app(service)`` returns a FastAPI app; with a service it starts and stops the
service, and the consumer that fills the alert store, with the app's lifespan. Errors
are RFC 9457 problem details (:mod:`app.routers.problems`). Every endpoint except
``/healthz`` and ``/readyz`` needs a credential (``/metrics`` only with
``metrics_require_auth``); see :mod:`app.auth`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from swagger_ui_bundle import swagger_ui_path

from app.alert_store import AlertMaterialiser, AlertStore, Database
from app.audit import AuditLog
from app.auth import Authenticator, KeyStore
from app.routers import admin, alerts, messages, screen, suppressions, watchlists
from app.routers import problems as problem_details
from app.routers.deps import ApiContext, _api_key, _bearer, authenticate, bearer_of, reject_unknown_query
from app.service import Service
from app.settings import Settings, get_settings


class Health(BaseModel):
    status: str
    reason: str | None = None


class ReadinessPublic(BaseModel):
    ready: bool
    reasons: list[str]
    checks: dict[str, bool]
    last_error: str | None = None


def create_app(service: Service | None = None, *, exit_on_failure: bool = False,
               settings: Settings | None = None) -> FastAPI:
    """Build the FastAPI app. When ``service`` is given, its ``run()`` task starts with
    the app and is cancelled at shutdown; with ``exit_on_failure`` a service that stops
    for good (``Service.failure``) ends the process with SIGTERM.

    ``settings`` defaults to the service's (else the environment's); the API database
    is ``settings.db_path``, opened on first use and closed at shutdown.
    """
    settings = settings or (service.settings if service else get_settings())
    db = Database(settings.db_path)
    keys = KeyStore(db)
    alert_store = AlertStore(db)
    ctx = ApiContext(settings=settings, service=service, db=db, alerts=alert_store, keys=keys,
                     audit=AuditLog(db), auth=Authenticator(settings, keys))
    materialiser = AlertMaterialiser(settings, alert_store)

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
        feeder = asyncio.create_task(materialiser.run(), name="alert-store") if service else None
        try:
            yield
        finally:
            for t in (feeder, task):
                if t:
                    t.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await t
            db.close()

    app = FastAPI(
        title="apis-matcher",
        summary="Screens PAXLST/PNRGOV travellers against watchlists and publishes alerts.",
        version="0.1.0",
        lifespan=lifespan,
        description=API_DESCRIPTION,
        docs_url=None,
        redoc_url=None,
    )
    # Swagger UI served from the installed package, not a CDN: the docs page works on an
    # air-gapped network.
    app.mount("/static/swagger-ui", StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="apis-matcher API",
                                   swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="/static/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url="/static/swagger-ui/favicon-32x32.png")

    app.state.service = service
    app.state.ctx = ctx
    app.state.materialiser = materialiser
    problem_details.install(app)

    @app.middleware("http")
    async def limit_json_bodies(request: Request, call_next: Any) -> Any:
        # JSON bodies are parsed whole: refuse oversized ones before reading them.
        length = request.headers.get("content-length")
        is_json = (request.headers.get("content-type") or "").startswith("application/json")
        if is_json and length and length.isdigit() and int(length) > settings.api_max_json_bytes:
            return problem_details.problem_response(
                request, status=413, code="payload_too_large", title="Payload Too Large",
                detail=f"JSON bodies are limited to {settings.api_max_json_bytes} bytes")
        return await call_next(request)

    @app.middleware("http")
    async def authenticate_first(request: Request, call_next: Any) -> Any:
        # Credentials are checked before routing and body parsing: without a valid
        # credential nothing under /v1 answers anything but 401 (no validation errors).
        path = request.url.path
        if path.startswith("/v1/") or path == "/v1" or (path == "/metrics" and settings.metrics_require_auth):
            try:
                request.state.principal = await authenticate(
                    ctx, api_key=request.headers.get("x-api-key"),
                    bearer=bearer_of(request.headers.get("authorization")))
            except problem_details.ApiProblem as exc:
                return problem_details.problem_response(request, status=exc.status, code=exc.code, title=exc.title,
                                                        detail=exc.detail, headers=exc.headers)
        return await call_next(request)
    for module in (screen, watchlists, alerts, suppressions, messages, admin):
        app.include_router(module.router, dependencies=[Depends(reject_unknown_query)],
                           responses=problem_details.problems(422))

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

    async def metrics_auth(api_key: Annotated[str | None, Depends(_api_key)],
                           bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
        if settings.metrics_require_auth:
            await authenticate(ctx, api_key=api_key, bearer=bearer.credentials if bearer else None)

    @app.get("/metrics", tags=["operations"], response_class=Response, dependencies=[Depends(metrics_auth)],
             responses={200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}},
                        **problem_details.problems(401)})
    async def metrics() -> Response:
        """Prometheus metrics in the text exposition format (a credential of any role is
        needed when ``metrics_require_auth`` is set)."""
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return app


API_DESCRIPTION = """\
Operator API of apis-matcher: ad hoc screening, watchlists, alerts and dispositions,
suppressions, raw message intake, API keys and the audit trail.

Credentials: an API key in `X-API-Key` (or `Authorization: Bearer <key>`), or an OAuth2
bearer JWT. Roles: `operator` (screen, alerts, dispositions), `admin` (watchlists, keys,
audit; implies operator), `feed` (raw message intake). Errors are RFC 9457 problem details
(`application/problem+json`). A query parameter an operation does not declare is refused
(422, `errors` naming it, `accepted` listing the operation's parameters), so a misspelt
filter never returns unfiltered results.
"""
