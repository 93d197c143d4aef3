"""Findings of the second review, kept as tests: owner-only database file, JSON body
limit, the cleared-travellers topic created with the others, list owner on ad hoc hits."""

from __future__ import annotations

import stat
from pathlib import Path

from fastapi.testclient import TestClient

from app.api import create_app
from app.settings import Settings
from app.topics import topic_specs

from .api_helpers import BOOTSTRAP_KEY, make_service, make_settings


def test_database_file_is_owner_only(tmp_path: Path) -> None:
    settings = make_settings(str(tmp_path / "db" / "apis.db"))
    service, _ = make_service(settings)
    with TestClient(create_app(service)) as client:
        assert client.get("/v1/alerts", headers={"X-API-Key": BOOTSTRAP_KEY}).status_code == 200
    mode = stat.S_IMODE((tmp_path / "db" / "apis.db").stat().st_mode)
    assert mode == 0o600


def test_oversized_json_body_is_refused_before_reading(tmp_path: Path) -> None:
    settings = make_settings(str(tmp_path / "apis.db"), api_max_json_bytes=2048)
    service, _ = make_service(settings)
    body = '{"travellers": [' + ",".join(['{"traveller_id": "x", "full_name": "A B"}'] * 100) + "]}"
    with TestClient(create_app(service)) as client:
        response = client.post("/v1/screen", content=body, headers={"X-API-Key": BOOTSTRAP_KEY,
                                                                    "Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")


def test_ad_hoc_hits_name_the_list_owner(tmp_path: Path) -> None:
    settings = make_settings(str(tmp_path / "apis.db"))
    service, _ = make_service(settings)
    with TestClient(create_app(service)) as client:
        response = client.post("/v1/screen", headers={"X-API-Key": BOOTSTRAP_KEY}, json={
            "travellers": [{"traveller_id": "1", "surname": "VOLKOVA", "given_names": "IRINA"}]})
    hits = response.json()["results"][0]["hits"]
    assert hits and all(h["list_owner"] for h in hits)


def test_cleared_travellers_topic_is_created_with_the_others() -> None:
    specs = {s.name: s.cleanup for s in topic_specs(Settings())}
    assert specs["apis-matcher.cleared"] == "compact"


def test_a_resent_alert_keeps_when_it_was_first_raised(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from app.alert_store import AlertStore, Database

    from .api_helpers import alert_for, traveller

    store = AlertStore(Database(str(tmp_path / "a.db")))
    t = traveller("M1-1", "VOLKOVA", "IRINA", "1975-03-14", "RUS")
    first = alert_for(t, ("E-1", 0.9)).model_copy(update={"created_at": datetime(2026, 11, 29, 8, tzinfo=UTC)})
    again = first.model_copy(update={"created_at": datetime(2026, 11, 29, 9, tzinfo=UTC)})
    store.db.run(lambda conn: store._upsert_alert(conn, first))
    store.db.run(lambda conn: store._upsert_alert(conn, again))
    row = store.get(first.alert_id)
    assert row is not None
    assert row.alert.created_at == datetime(2026, 11, 29, 8, tzinfo=UTC)
