"""Shared dependencies of the routers: the API context, credentials and roles.

Typed aliases in the style of the FastAPI template: ``Operator``, ``Admin`` and ``Feed``
are the :class:`~app.auth.Principal` of a request that holds that role (``admin``
implies ``operator``); a missing or invalid credential is a 401 problem, a credential
without the role a 403 problem (recorded in the audit trail as ``denied``).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, TypeVar

from aiokafka.errors import KafkaError, MessageSizeTooLargeError
from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from app.alert_store import AlertStore, Database
from app.audit import AuditLog
from app.auth import Authenticator, AuthError, KeyStore, Principal
from app.routers.problems import Forbidden, PayloadTooLarge, Unauthorized, Unavailable, UnknownQueryParameters
from app.service import Service
from app.settings import Settings
from app.watchlist_state import Snapshot

T = TypeVar("T")


@dataclass
class ApiContext:
    """Everything a request handler needs: the service (None when the app runs without
    one), the settings and the stores of the API database."""

    settings: Settings
    service: Service | None
    db: Database
    alerts: AlertStore
    keys: KeyStore
    audit: AuditLog
    auth: Authenticator
    _alert_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = field(
        default_factory=weakref.WeakValueDictionary, repr=False)

    def alert_lock(self, alert_id: str) -> asyncio.Lock:
        """The lock serialising this instance's dispositions of one alert (kept while
        a request holds it)."""
        return self._alert_locks.setdefault(alert_id, asyncio.Lock())

    def require_service(self) -> Service:
        """The service, or a 503 problem when the app has none."""
        if self.service is None:
            raise Unavailable("no screening service is attached to this API")
        return self.service

    def snapshot(self) -> Snapshot:
        """The serving watchlist index, or a 503 problem while it is not loaded."""
        snap = self.require_service().store.snapshot
        if snap is None:
            raise Unavailable("the watchlist index is not loaded yet", headers={"Retry-After": "5"})
        return snap

    async def audit_event(self, who: Principal, action: str, *, target: str | None = None,
                          result_count: int | None = None, outcome: str = "ok") -> None:
        """Append one audit event (in a worker thread)."""
        await asyncio.to_thread(self.audit.record, actor=who.subject, auth=who.auth, action=action,
                                target=target, result_count=result_count, outcome=outcome)

    async def produce(self, topic: str, *, key: bytes | None, value: bytes | None,
                      headers: list[tuple[str, bytes]] | None = None) -> tuple[int, int]:
        """Produce through the service's long-lived producer and wait for the broker's
        acknowledgement (at most ``kafka_request_timeout_ms``); a 503 problem when the
        broker is unreachable or refuses."""
        service = self.require_service()
        try:
            return await asyncio.wait_for(service.producer.send(topic, key=key, value=value, headers=headers),
                                          self.settings.kafka_request_timeout_ms / 1000)
        except MessageSizeTooLargeError as exc:  # retrying cannot help
            raise PayloadTooLarge("the record is larger than the broker accepts") from exc
        except (KafkaError, TimeoutError, OSError) as exc:
            raise Unavailable(f"the broker did not acknowledge the record: {type(exc).__name__}",
                              headers={"Retry-After": "5"}) from exc


def get_context(request: Request) -> ApiContext:
    ctx: ApiContext = request.app.state.ctx
    return ctx


Context = Annotated[ApiContext, Depends(get_context)]

_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="an API key (apis-matcher keys create)")
_bearer = HTTPBearer(auto_error=False, description="an API key or an OAuth2 access token (JWT)")


WWW_AUTHENTICATE = {"WWW-Authenticate": 'Bearer realm="apis-matcher"'}


def bearer_of(authorization: str | None) -> str | None:
    """The credential of an ``Authorization: Bearer <credential>`` header, else None."""
    scheme, _, credential = (authorization or "").partition(" ")
    return credential.strip() or None if scheme.lower() == "bearer" else None


async def authenticate(ctx: ApiContext, *, api_key: str | None, bearer: str | None) -> Principal:
    """The caller of a credential; :class:`Unauthorized` (401 problem) when missing or invalid."""
    try:
        return await asyncio.to_thread(ctx.auth.authenticate, api_key=api_key, bearer=bearer)
    except AuthError as exc:
        raise Unauthorized(exc.detail, headers=WWW_AUTHENTICATE) from exc


async def current_principal(
    request: Request,
    ctx: Context,
    api_key: Annotated[str | None, Depends(_api_key)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller, from ``X-API-Key`` or ``Authorization: Bearer`` (already checked by the
    app's middleware before the body is read, so an anonymous request never sees a
    validation error); 401 problem otherwise."""
    known: Principal | None = getattr(request.state, "principal", None)
    if known is not None:
        return known
    return await authenticate(ctx, api_key=api_key, bearer=bearer.credentials if bearer else None)


Authenticated = Annotated[Principal, Depends(current_principal)]


def require_role(role: str) -> Callable[..., Awaitable[Principal]]:
    """A dependency returning the caller when it holds ``role``; 403 problem otherwise."""

    async def check(request: Request, ctx: Context, who: Authenticated) -> Principal:
        if not who.has(role):
            await ctx.audit_event(who, f"{request.method} {request.url.path}"[:200], outcome="denied")
            raise Forbidden(f"this operation needs the {role!r} role")
        return who

    return check


Operator = Annotated[Principal, Depends(require_role("operator"))]
Admin = Annotated[Principal, Depends(require_role("admin"))]
Feed = Annotated[Principal, Depends(require_role("feed"))]


def _query_names(dependant: Dependant) -> frozenset[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return frozenset(names)


async def reject_unknown_query(request: Request) -> None:
    """Refuse query parameters the matched operation does not declare (its own and its
    dependencies' query parameters), so a misspelt filter (``?statu=open``) is an error
    instead of an unfiltered answer: :class:`UnknownQueryParameters` (422 problem) naming
    the unknown ones (at most 20, each cut to 100 characters) and the accepted ones."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    accepted = _query_names(dependant)
    unknown = [name for name in dict.fromkeys(request.query_params.keys()) if name not in accepted]
    if unknown:
        shown = [name[:100] for name in unknown[:20]]
        raise UnknownQueryParameters(
            f"unknown query parameter(s): {', '.join(shown)}; accepted: {', '.join(sorted(accepted)) or 'none'}",
            errors=[{"loc": ["query", name], "msg": "unknown query parameter", "type": "extra_forbidden"}
                    for name in shown],
            accepted=sorted(accepted))
