"""The HTTP app answers /healthz while the broker is unreachable, and /readyz says why."""

from fastapi.testclient import TestClient

from app.api import create_app
from app.service import Service
from app.settings import Settings


def test_health_and_readiness_without_a_broker() -> None:
    settings = Settings(kafka_bootstrap_servers="127.0.0.1:9", broker_retry_backoff_s=0.05,
                        kafka_request_timeout_ms=1000)
    with TestClient(create_app(Service(settings))) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 503
        body = ready.json()
        assert body["ready"] is False
        assert set(body["reasons"]) == {"broker_unreachable", "watchlist_not_loaded", "watchlist_empty",
                                        "no_partitions_assigned"}
        assert body["last_error"]
        metrics = client.get("/metrics")
        assert metrics.status_code == 200
        assert "apis_matcher_messages_consumed_total" in metrics.text
        assert client.get("/openapi.json").json()["info"]["title"] == "apis-matcher"


def test_healthz_fails_once_the_service_stopped_for_good() -> None:
    service = Service(Settings(kafka_bootstrap_servers="127.0.0.1:9"))
    service.failure = "ProducerFenced: another instance took over"
    with TestClient(create_app(service)) as client:
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["status"] == "failed"
        assert "service_failed" in client.get("/readyz").json()["reasons"]


def test_docs_page_works_without_the_internet() -> None:
    with TestClient(create_app(None)) as client:
        page = client.get("/docs")
        assert page.status_code == 200
        assert "cdn" not in page.text.lower()
        assert "/static/swagger-ui/swagger-ui-bundle.js" in page.text
        assert client.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200
