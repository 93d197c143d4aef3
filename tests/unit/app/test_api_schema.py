"""Property-based run of the OpenAPI schema (schemathesis, bounded): no server error (503, the
documented "broker unavailable" of the write paths, is expected here: no broker) on
any endpoint, errors are problem details, and nothing under /v1 answers without a credential."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from app.api import create_app

from .api_helpers import BOOTSTRAP_KEY, make_service, make_settings

_DB = Path(tempfile.mkdtemp(prefix="apis-matcher-schema-")) / "api.db"
_SERVICE, _SINK = make_service(make_settings(str(_DB), kafka_request_timeout_ms=1000))
APP = create_app(_SERVICE)
schemathesis.serializer.alias("application/edifact", "text/plain")
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)

DOCUMENTED = {path: set(ops) for path, ops in APP.openapi()["paths"].items()}
OPEN = {"/healthz", "/readyz", "/metrics"}
BOUNDED = settings(max_examples=8, deadline=None, derandomize=True,
                   suppress_health_check=list(HealthCheck))


@schema.parametrize()
@BOUNDED
def test_no_server_error_with_an_admin_key(case: schemathesis.Case) -> None:
    response = case.call(headers={"X-API-Key": BOOTSTRAP_KEY})
    assert response.status_code not in (500, 501, 502, 504), (case.method, case.path, response.text[:500])
    if response.status_code >= 400 and case.path.startswith("/v1"):
        assert response.headers["content-type"][0].startswith("application/problem+json")


@schema.parametrize()
@BOUNDED
def test_nothing_answers_without_a_credential(case: schemathesis.Case) -> None:
    for name in ("X-API-Key", "Authorization"):
        if case.headers is not None:
            case.headers.pop(name, None)
    response = case.call()
    if case.path in OPEN and case.method.lower() in DOCUMENTED[case.path]:
        assert response.status_code in (200, 503)
    elif case.method.lower() not in DOCUMENTED[case.path]:
        assert response.status_code in (401, 405)  # a method the path lacks (schemathesis tries them)
    else:
        assert response.status_code == 401, (case.method, case.path, response.status_code)
