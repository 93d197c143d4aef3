"""RFC 9457 problem details: the error classes of the operator API and their handlers.

Every error the API returns is ``application/problem+json`` with ``type``, ``title``,
``status``, ``detail`` and ``instance`` (the request path); validation errors (422) add
``errors`` (``[{"loc": [...], "msg": str, "type": str}]``, the input values left out so no
personal data is echoed).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:apis-matcher:problem:"


class Problem(BaseModel):
    """An RFC 9457 problem details object (extension members allowed)."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [{
        "type": "urn:apis-matcher:problem:not-found", "title": "Not Found", "status": 404,
        "detail": "no alert ALR-0123456789abcdef0123456789abcdef", "instance": "/v1/alerts/ALR-0123"}]})

    type: str = Field(description="a URI naming the problem type")
    title: str
    status: int = Field(ge=400, le=599)
    detail: str | None = None
    instance: str | None = None


class ApiProblem(Exception):
    """Base of the API's errors: ``status``, ``code`` (the last part of ``type``),
    ``title``; ``detail`` and ``extra`` members per instance."""

    status = 500
    code = "internal-error"
    title = "Internal Server Error"

    def __init__(self, detail: str | None = None, *, headers: dict[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.headers = headers
        self.extra = extra


class BadRequest(ApiProblem):
    status, code, title = 400, "bad-request", "Bad Request"


class Unauthorized(ApiProblem):
    status, code, title = 401, "unauthorized", "Unauthorized"


class Forbidden(ApiProblem):
    status, code, title = 403, "forbidden", "Forbidden"


class NotFound(ApiProblem):
    status, code, title = 404, "not-found", "Not Found"


class PayloadTooLarge(ApiProblem):
    status, code, title = 413, "payload-too-large", "Content Too Large"


class UnsupportedMediaType(ApiProblem):
    status, code, title = 415, "unsupported-media-type", "Unsupported Media Type"


class Unprocessable(ApiProblem):
    status, code, title = 422, "unprocessable", "Unprocessable Content"


class UnknownQueryParameters(ApiProblem):
    """Query parameters the operation does not declare (422, the ``validation`` problem
    type): ``errors`` has one ``extra_forbidden`` item per unknown name (``loc``
    ``["query", name]``) and ``accepted`` lists the names the operation takes."""

    status, code, title = 422, "validation", "Unprocessable Content"


class Unavailable(ApiProblem):
    status, code, title = 503, "unavailable", "Service Unavailable"


_HTTP_CODES = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found",
               405: "method-not-allowed", 406: "not-acceptable", 413: "payload-too-large",
               415: "unsupported-media-type", 422: "unprocessable", 503: "unavailable"}


def problem_response(request: Request, *, status: int, code: str, title: str, detail: str | None,
                     headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    """The problem+json response for ``request``."""
    body: dict[str, Any] = {"type": TYPE_PREFIX + code, "title": title, "status": status, "detail": detail,
                            "instance": request.url.path, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting problem details for ``statuses``."""
    descriptions = {400: "bad request", 401: "no or invalid credential", 403: "the credential lacks the role",
                    404: "not found", 413: "body too large", 415: "unsupported content type",
                    422: "invalid request", 503: "index not loaded or broker unavailable"}
    return {s: {"model": Problem, "description": descriptions.get(s, "error"),
                "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            for s in statuses}


def install(app: FastAPI) -> None:
    """Register the handlers: ApiProblem, validation errors, Starlette HTTP errors, and a
    last-resort 500 (the exception's type only; no message, which may hold data)."""

    @app.exception_handler(ApiProblem)
    async def api_problem(request: Request, exc: ApiProblem) -> JSONResponse:
        return problem_response(request, status=exc.status, code=exc.code, title=exc.title, detail=exc.detail,
                                headers=exc.headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
                  for e in exc.errors()]
        return problem_response(request, status=422, code="validation", title="Unprocessable Content",
                                detail=f"{len(errors)} invalid field(s) in the request", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http-error")
        title = code.replace("-", " ").title()
        detail = exc.detail if isinstance(exc.detail, str) else None
        return problem_response(request, status=exc.status_code, code=code, title=title, detail=detail,
                                headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(request, status=500, code="internal-error", title="Internal Server Error",
                                detail=type(exc).__name__)
