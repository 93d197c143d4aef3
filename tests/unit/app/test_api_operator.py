"""The operator API on a Service whose store is filled directly (no broker): every
endpoint, credentials (missing, wrong, revoked, JWT) and roles, problem details."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from app import publish
from app.api import create_app
from app.publish import ImportReport
from app.routers.deps import ApiContext
from app.suppression import traveller_identity
from schemas.records import Disposition, EntryDate

from .api_helpers import (
    BOOTSTRAP_KEY,
    ENTRIES,
    RecordingSink,
    alert_for,
    make_service,
    make_settings,
    token,
    traveller,
)

PROBLEM = "application/problem+json"


class Api:
    """A TestClient, the app's context, the recording producer and a key per role."""

    def __init__(self, client: TestClient, sink: RecordingSink) -> None:
        self.client = client
        self.sink = sink
        self.ctx: ApiContext = client.app.state.ctx  # type: ignore[attr-defined]
        self.keys = {role: self.ctx.keys.create(role=role, name=f"test {role}")[1]
                     for role in ("operator", "admin", "feed")}

    def h(self, role: str) -> dict[str, str]:
        return {"X-API-Key": self.keys[role]}


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    service, sink = make_service(make_settings(str(tmp_path / "api.db")))
    with TestClient(create_app(service)) as client:
        yield Api(client, sink)


def is_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:apis-matcher:problem:")
    assert body["title"] and "instance" in body and "detail" in body
    return body


# -- credentials and roles -------------------------------------------------------------
ENDPOINTS = [
    ("post", "/v1/screen", "operator"), ("get", "/v1/alerts", "operator"), ("get", "/v1/alerts/ALR-x", "operator"),
    ("post", "/v1/alerts/ALR-x/disposition", "operator"), ("get", "/v1/suppressions", "operator"),
    ("get", "/v1/watchlists", "admin"), ("post", "/v1/watchlists/t-list/import", "admin"),
    ("get", "/v1/watchlists/t-list/entries/E-1", "admin"), ("put", "/v1/watchlists/t-list/entries/E-1", "admin"),
    ("delete", "/v1/watchlists/t-list/entries/E-1", "admin"), ("post", "/v1/cleared", "admin"),
    ("delete", "/v1/cleared/RN1", "admin"), ("get", "/v1/keys", "admin"), ("post", "/v1/keys", "admin"),
    ("delete", "/v1/keys/abc", "admin"), ("get", "/v1/audit", "admin"),
    ("post", "/v1/messages/paxlst", "feed"), ("post", "/v1/messages/pnrgov", "feed"),
]


@pytest.mark.parametrize(("method", "path", "role"), ENDPOINTS)
def test_every_endpoint_needs_a_credential_with_the_role(api: Api, method: str, path: str, role: str) -> None:
    call = getattr(api.client, method)
    body = is_problem(call(path), 401)
    assert "credential" in body["detail"]
    assert call(path).headers["www-authenticate"].startswith("Bearer")
    is_problem(call(path, headers={"X-API-Key": "amk_nope_nope"}), 401)
    is_problem(call(path, headers={"Authorization": "Bearer not-a-key"}), 401)
    wrong = {"operator": "feed", "admin": "operator", "feed": "operator"}[role]
    assert "role" in is_problem(call(path, headers=api.h(wrong)), 403)["detail"]


def test_health_ready_and_metrics_need_no_credential_by_default(api: Api) -> None:
    assert api.client.get("/healthz").status_code == 200
    assert api.client.get("/readyz").status_code == 503
    assert api.client.get("/metrics").status_code == 200


def test_metrics_can_require_a_credential(tmp_path: Path) -> None:
    service, _ = make_service(make_settings(str(tmp_path / "m.db"), metrics_require_auth=True))
    with TestClient(create_app(service)) as client:
        is_problem(client.get("/metrics"), 401)
        assert client.get("/metrics", headers={"X-API-Key": BOOTSTRAP_KEY}).status_code == 200
        assert client.get("/healthz").status_code == 200


def test_bearer_api_key_and_revocation(api: Api) -> None:
    created = api.client.post("/v1/keys", json={"role": "operator", "name": "night shift"},
                              headers={"Authorization": f"Bearer {BOOTSTRAP_KEY}"})
    assert created.status_code == 201
    key = created.json()["key"]
    assert key.startswith("amk_") and created.json()["role"] == "operator"
    assert api.client.get("/v1/alerts", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    listed = api.client.get("/v1/keys", headers=api.h("admin")).json()
    assert "key" not in listed[0] and created.json()["id"] in [k["id"] for k in listed]
    # The key is stored hashed only.
    rows = api.ctx.db.run(lambda c: c.execute("SELECT key_hash FROM api_keys").fetchall())
    assert all(key not in r["key_hash"] for r in rows)
    revoked = api.client.delete(f"/v1/keys/{created.json()['id']}", headers=api.h("admin"))
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    is_problem(api.client.get("/v1/alerts", headers={"X-API-Key": key}), 401)
    is_problem(api.client.delete(f"/v1/keys/{created.json()['id']}", headers=api.h("admin")), 404)


def test_jwt_roles_issuer_audience_and_expiry(api: Api) -> None:
    ok = api.client.get("/v1/alerts", headers={"Authorization": f"Bearer {token(roles=['operator'])}"})
    assert ok.status_code == 200
    admin = {"Authorization": f"Bearer {token(roles=['admin'])}"}
    assert api.client.get("/v1/audit", headers=admin).status_code == 200  # admin implies operator too
    assert api.client.get("/v1/alerts", headers=admin).status_code == 200
    is_problem(api.client.get("/v1/audit", headers={"Authorization": f"Bearer {token(roles=['operator'])}"}), 403)
    for bad in (token(aud="someone-else"), token(iss="https://evil.test"), token(exp_in_s=-60),
                token(roles=["viewer"])):
        is_problem(api.client.get("/v1/alerts", headers={"Authorization": f"Bearer {bad}"}), 401)
    events = api.ctx.audit.query(actor="analyst@agency", action="alerts.list")[1]
    assert events and events[0].auth == "jwt"


# -- screening ---------------------------------------------------------------------------
def test_screen_one_and_many(api: Api) -> None:
    body = {"travellers": [
        {"traveller_id": "q1", "surname": "VOLKOVA", "given_names": "IRINA", "date_of_birth": "1975-03-14",
         "nationality": "RUS", "gender": "F"},
        {"traveller_id": "q2", "full_name": "Gerald SMITHSON"}]}
    response = api.client.post("/v1/screen", json=body, headers=api.h("operator"))
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["traveller_id"] for r in results] == ["q1", "q2"]
    [hit] = results[0]["hits"]
    assert (hit["list_id"], hit["entry_id"], hit["list_version"]) == ("t-list", "E-1", "v7")
    assert 0.75 <= hit["score"] <= 1.0
    assert hit["explanation"]["dob"]["result"] == "match"
    assert results[1]["hits"] == []
    assert response.json()["index_entries"] == 2
    # The threshold overrides the lists': just above the hit's score leaves no hit.
    if hit["score"] < 1.0:
        above = min(1.0, hit["score"] + 0.01)
        strict = api.client.post("/v1/screen", json={**body, "threshold": above}, headers=api.h("operator")).json()
        assert strict["results"][0]["hits"] == []
    loose = api.client.post("/v1/screen", json={**body, "threshold": 0.0}, headers=api.h("operator")).json()
    assert len(loose["results"][0]["hits"]) >= 1
    [event] = api.ctx.audit.query(action="screen", limit=1)[1]
    assert event.result_count == sum(len(r["hits"]) for r in loose["results"]) and event.target == "2 travellers"


def test_screen_validation_is_a_problem(api: Api) -> None:
    body = is_problem(api.client.post("/v1/screen", json={"travellers": [{"traveller_id": "q"}]},
                                      headers=api.h("operator")), 422)
    assert body["traveller_ids"] == ["q"]
    body = is_problem(api.client.post("/v1/screen", json={"travellers": []}, headers=api.h("operator")), 422)
    assert body["errors"][0]["loc"] == ["body", "travellers"]
    body = is_problem(api.client.post("/v1/screen", json={"travellers": [{"traveller_id": "q", "surname": "X"}],
                                                           "threshold": 2}, headers=api.h("operator")), 422)
    assert body["errors"][0]["loc"] == ["body", "threshold"]
    is_problem(api.client.get("/v1/nothing-here", headers=api.h("operator")), 404)


def test_screen_without_an_index_is_503(tmp_path: Path) -> None:
    service, _ = make_service(make_settings(str(tmp_path / "n.db")), loaded=False)
    with TestClient(create_app(service)) as client:
        body = {"travellers": [{"traveller_id": "q", "surname": "VOLKOVA"}]}
        response = client.post("/v1/screen", json=body, headers={"X-API-Key": BOOTSTRAP_KEY})
        assert "not loaded" in is_problem(response, 503)["detail"]


# -- watchlists ----------------------------------------------------------------------------
def test_watchlists_and_entries(api: Api) -> None:
    [wl] = api.client.get("/v1/watchlists", headers=api.h("admin")).json()["watchlists"]
    assert (wl["list_id"], wl["version"], wl["entry_count"], wl["entries_loaded"]) == ("t-list", "v7", 2, 2)
    assert wl["imported_at"].startswith("2026-11-01")
    got = api.client.get("/v1/watchlists/t-list/entries/E-1", headers=api.h("admin")).json()
    assert got["names"][0]["surname"] == "VOLKOVA"
    is_problem(api.client.get("/v1/watchlists/t-list/entries/NOPE", headers=api.h("admin")), 404)

    new = ENTRIES[0].model_copy(update={"entry_id": "E-9"}).model_dump(mode="json", by_alias=True)
    created = api.client.put("/v1/watchlists/t-list/entries/E-9", json=new, headers=api.h("admin"))
    assert created.status_code == 201, created.text
    topic, key, value, _ = api.sink.sent[-1]
    assert (topic, key) == (api.ctx.settings.topic_watchlist_entries, b"t-list:E-9")
    assert value is not None and orjson.loads(value)["list_version"] == "v7"
    replaced = api.client.put("/v1/watchlists/t-list/entries/E-1",
                              json=ENTRIES[0].model_dump(mode="json", by_alias=True), headers=api.h("admin"))
    assert replaced.status_code == 200
    mismatch = api.client.put("/v1/watchlists/t-list/entries/E-2", json=new, headers=api.h("admin"))
    is_problem(mismatch, 422)

    deleted = api.client.delete("/v1/watchlists/t-list/entries/E-2", headers=api.h("admin"))
    assert deleted.status_code == 200 and deleted.json()["entry"] is None
    assert api.sink.sent[-1][1:3] == (b"t-list:E-2", None)  # a tombstone
    is_problem(api.client.delete("/v1/watchlists/t-list/entries/NOPE", headers=api.h("admin")), 404)
    actions = [e.action for e in api.ctx.audit.query(actor=f"key:{api.keys['admin'].split('_')[1]}")[1]]
    assert actions.count("watchlist.entry.put") == 2 and "watchlist.entry.delete" in actions

    api.sink.fail = True
    is_problem(api.client.delete("/v1/watchlists/t-list/entries/E-1", headers=api.h("admin")), 503)


def test_import_publishes_and_refuses_bad_files(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []

    async def fake_publish(settings: Any, entries: list[Any], **kwargs: Any) -> ImportReport:
        calls.append({"entries": entries, **kwargs})
        return ImportReport(list_id=kwargs["list_id"], version="abc", published=len(entries), unchanged=0,
                            tombstoned=1, entry_count=len(entries))

    monkeypatch.setattr(publish, "publish_watchlist", fake_publish)
    good = b"\n".join(orjson.dumps(e.model_dump(mode="json", by_alias=True)) for e in ENTRIES)
    response = api.client.post("/v1/watchlists/new-list/import", headers=api.h("admin"),
                               files={"file": ("list.jsonl", good)}, data={"format": "auto"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["published"], body["tombstoned"], body["summary"]["format"]) == (2, 1, "jsonl")
    assert {e.list_id for e in calls[0]["entries"]} == {"new-list"}

    bad = b"not json\n{\"also\": \"bad\"}\n"
    refused = is_problem(api.client.post("/v1/watchlists/new-list/import", headers=api.h("admin"),
                                         files={"file": ("list.jsonl", bad)}, data={"format": "jsonl"}), 422)
    assert refused["summary"]["entries"] == 0 and len(refused["summary"]["errors"]) == 2
    assert len(calls) == 1
    forced = api.client.post("/v1/watchlists/new-list/import", headers=api.h("admin"),
                             files={"file": ("list.jsonl", bad)}, data={"format": "jsonl", "force": "true"})
    assert forced.status_code == 200 and len(calls) == 2
    is_problem(api.client.post("/v1/watchlists/bad:id/import", headers=api.h("admin"),
                               files={"file": ("l.jsonl", good)}), 422)
    events = api.ctx.audit.query(action="watchlist.import")[1]
    assert [e.outcome for e in events] == ["ok", "refused", "ok"]


# -- alerts, dispositions, suppressions ---------------------------------------------------
def test_alerts_filters_paging_and_detail(api: Api) -> None:
    a1 = alert_for(traveller("a", "VOLKOVA", "IRINA", "1975-03-14", "RUS", ref="1"), ("E-1", 0.97))
    a2 = alert_for(traveller("b", "ALRASHIDI", "KHALID", "1969-05-01", "JOR", ref="2"), ("E-2", 0.8))
    for a in (a1, a2):
        api.ctx.alerts.put_alert(a)
    api.ctx.alerts.put_alert(a1)  # idempotent by alert_id
    h = api.h("operator")
    page = api.client.get("/v1/alerts", headers=h).json()
    assert page["total"] == 2 and {i["status"] for i in page["items"]} == {"open"}
    assert api.client.get("/v1/alerts?min_score=0.9", headers=h).json()["total"] == 1
    flight = "/v1/alerts?carrier=ZZ&flight_number=421&departure_from=2026-11-29&departure_to=2026-11-29"
    assert api.client.get(flight, headers=h).json()["total"] == 2
    assert api.client.get("/v1/alerts?departure_from=2026-11-30", headers=h).json()["total"] == 0
    assert api.client.get("/v1/alerts?list_id=other", headers=h).json()["total"] == 0
    paged = api.client.get("/v1/alerts?limit=1&offset=1", headers=h).json()
    assert paged["total"] == 2 and len(paged["items"]) == 1
    is_problem(api.client.get("/v1/alerts?status=closed", headers=h), 422)

    detail = api.client.get(f"/v1/alerts/{a1.alert_id}", headers=h).json()
    assert detail["alert"]["hits"][0]["explanation"] == {"score": 0.97}
    assert detail["history"] == [] and detail["status"] == "open"
    is_problem(api.client.get("/v1/alerts/ALR-unknown", headers=h), 404)
    assert [e.action for e in api.ctx.audit.query()[1]][:2] == ["alerts.read", "alerts.read"]


def test_false_positive_disposition_produces_records_and_suppresses(api: Api) -> None:
    t = traveller("a", "VOLKOVA", "IRINA", "1975-03-14", "RUS", doc="P123", ref="1")
    alert = alert_for(t, ("E-1", 0.97), ("E-2", 0.76))
    api.ctx.alerts.put_alert(alert)
    h = api.h("operator")
    response = api.client.post(f"/v1/alerts/{alert.alert_id}/disposition", headers=h,
                               json={"status": "false_positive", "reason": "other person",
                                     "entry_keys": ["t-list:E-1"]})
    assert response.status_code == 202, response.text
    topic, key, value, _ = api.sink.sent[-1]
    assert (topic, key) == (api.ctx.settings.topic_alerts_dispositions, alert.alert_id.encode())
    d = Disposition.model_validate_json(value or b"")
    assert (d.status, d.entry_keys, d.traveller_identity) == ("false_positive", ["t-list:E-1"], traveller_identity(t))
    assert d.operator.startswith("key:")

    detail = api.client.get(f"/v1/alerts/{alert.alert_id}", headers=h).json()
    assert detail["status"] == "false_positive" and detail["history"][0]["reason"] == "other person"
    assert api.client.get("/v1/alerts?status=false_positive", headers=h).json()["total"] == 1
    [sup] = api.client.get("/v1/suppressions", headers=h).json()["suppressions"]
    assert (sup["entry_key"], sup["alert_id"]) == ("t-list:E-1", alert.alert_id)

    is_problem(api.client.post(f"/v1/alerts/{alert.alert_id}/disposition", headers=h,
                               json={"status": "false_positive", "reason": "x", "entry_keys": ["t-list:E-7"]}), 422)
    is_problem(api.client.post(f"/v1/alerts/{alert.alert_id}/disposition", headers=h,
                               json={"status": "closed", "reason": "x"}), 422)
    is_problem(api.client.post("/v1/alerts/ALR-none/disposition", headers=h,
                               json={"status": "true_match", "reason": "x"}), 404)
    # A later true_match on the same pair lifts the suppression.
    api.client.post(f"/v1/alerts/{alert.alert_id}/disposition", headers=h,
                    json={"status": "true_match", "reason": "confirmed"})
    assert api.client.get("/v1/suppressions", headers=h).json()["suppressions"] == []
    history = api.client.get(f"/v1/alerts/{alert.alert_id}", headers=h).json()["history"]
    assert [x["status"] for x in history] == ["false_positive", "true_match"]


def test_cleared_travellers(api: Api) -> None:
    added = api.client.post("/v1/cleared", headers=api.h("admin"),
                            json={"redress_number": "rn-123 456", "reason": "redress granted"})
    assert added.status_code == 202 and added.json()["redress_number"] == "RN123456"
    assert api.sink.sent[-1][:2] == (api.ctx.settings.topic_cleared_travellers, b"RN123456")
    cleared = api.client.get("/v1/suppressions", headers=api.h("operator")).json()["cleared"]
    assert [c["redress_number"] for c in cleared] == ["RN123456"]
    assert api.client.delete("/v1/cleared/RN123456", headers=api.h("admin")).status_code == 200
    assert api.sink.sent[-1][1:3] == (b"RN123456", None)
    is_problem(api.client.delete("/v1/cleared/RN123456", headers=api.h("admin")), 404)


# -- raw message intake ------------------------------------------------------------------------
def test_raw_message_intake(api: Api) -> None:
    raw = b"UNA:+.? 'UNB+UNOA:4+ZZAIR+XXBORDER+261129:1200+IC1'UNZ+0+IC1'"
    response = api.client.post("/v1/messages/paxlst", content=raw, headers={
        **api.h("feed"), "Content-Type": "application/edifact"})
    assert response.status_code == 202, response.text
    assert response.json() == {"topic": api.ctx.settings.topic_paxlst_raw, "partition": 1, "offset": 0}
    _, _, value, headers = api.sink.sent[-1]
    assert value == raw and dict(headers)["content-type"] == b"application/edifact"
    assert dict(headers)["source"].startswith(b"key:")
    ok = api.client.post("/v1/messages/pnrgov", content=raw, headers={**api.h("feed"), "Content-Type": "text/plain"})
    assert ok.json()["topic"] == api.ctx.settings.topic_pnrgov_raw
    is_problem(api.client.post("/v1/messages/paxlst", content=raw,
                               headers={**api.h("feed"), "Content-Type": "application/json"}), 415)
    is_problem(api.client.post("/v1/messages/paxlst", content=b"  ",
                               headers={**api.h("feed"), "Content-Type": "text/plain"}), 422)
    api.sink.fail = True
    is_problem(api.client.post("/v1/messages/paxlst", content=raw,
                               headers={**api.h("feed"), "Content-Type": "text/plain"}), 503)


# -- audit ----------------------------------------------------------------------------------------
def test_audit_trail_is_append_only_and_filterable(api: Api) -> None:
    api.client.get("/v1/alerts", headers=api.h("operator"))
    api.client.get("/v1/watchlists", headers=api.h("operator"))  # denied
    page = api.client.get("/v1/audit?action=alerts.list", headers=api.h("admin")).json()
    assert page["total"] == 1 and page["items"][0]["result_count"] == 0
    denied = api.client.get("/v1/audit", headers=api.h("admin")).json()["items"]
    assert any(e["outcome"] == "denied" and e["action"] == "GET /v1/watchlists" for e in denied)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        api.ctx.db.run(lambda c: c.execute("UPDATE audit SET actor = 'x'"))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        api.ctx.db.run(lambda c: c.execute("DELETE FROM audit"))
    assert api.client.get("/v1/audit?since=2999-01-01T00:00:00Z", headers=api.h("admin")).json()["total"] == 0


def test_put_entry_drops_a_future_birth_date_with_a_warning(api: Api) -> None:
    # Field cases 06/14: a future birth date is a data error; like the file importers the
    # API drops it from the entry, says so, and still produces the rest of the entry.
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    body = ENTRIES[0].model_copy(update={"entry_id": "E-5", "dates_of_birth": [
        EntryDate(date="2031-05-01"), EntryDate(date="1975-03-14"), EntryDate(date=tomorrow),
        EntryDate(from_="2040", to="2045"), EntryDate(from_="1970", to="2090"),
        EntryDate(date=str(datetime.now(UTC).year))]}).model_dump(mode="json", by_alias=True)
    response = api.client.put("/v1/watchlists/t-list/entries/E-5", json=body, headers=api.h("admin"))
    assert response.status_code == 201, response.text
    out = response.json()
    assert out["warnings"] == [
        "date of birth dropped: birth date 2031-05-01 is in the future",
        f"date of birth dropped: birth date {tomorrow} is in the future",
        "date of birth dropped: birth date 2040 is in the future",
    ]
    kept = [{"date": "1975-03-14"}, {"from": "1970", "to": "2090"}, {"date": str(datetime.now(UTC).year)}]
    assert [{k: v for k, v in d.items() if v not in (None, False)} for d in out["entry"]["dates_of_birth"]] == kept
    produced = orjson.loads(api.sink.sent[-1][2] or b"")
    assert [{k: v for k, v in d.items() if v not in (None, False)} for d in produced["dates_of_birth"]] == kept

    clean = api.client.put("/v1/watchlists/t-list/entries/E-1", json=ENTRIES[0].model_dump(mode="json", by_alias=True),
                           headers=api.h("admin"))
    assert clean.status_code == 200 and clean.json()["warnings"] == []


def test_import_reports_the_values_the_reader_dropped(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    published: list[list[Any]] = []

    async def fake_publish(settings: Any, entries: list[Any], **kwargs: Any) -> ImportReport:
        published.append(entries)
        return ImportReport(list_id=kwargs["list_id"], version="abc", published=len(entries), unchanged=0,
                            tombstoned=0, entry_count=len(entries))

    monkeypatch.setattr(publish, "publish_watchlist", fake_publish)
    rows = [{"entry_id": "F-1", "names": [{"full_name": "MIGUEL DUARTE"}],
             "dates_of_birth": [{"date": "2031-05-01"}, {"date": "1971"}]},
            {"entry_id": "F-2", "names": [{"full_name": "ANA DUARTE"}]}]
    data = b"\n".join(orjson.dumps(r) for r in rows)
    response = api.client.post("/v1/watchlists/new-list/import", headers=api.h("admin"),
                               files={"file": ("list.jsonl", data)}, data={"format": "jsonl"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["warnings"] == [
        {"line": 1, "error": "F-1: date of birth dropped: birth date 2031-05-01 is in the future"}]
    assert body["warning_count"] == 1 and body["summary"]["dates_of_birth"] == 1
    assert [d.date for d in published[0][0].dates_of_birth] == ["1971"]


ALERT_FILTERS = ["carrier", "departure_from", "departure_to", "flight_number", "limit", "list_id", "min_score",
                 "offset", "status"]


def test_unknown_query_parameters_are_refused_with_the_accepted_ones(api: Api) -> None:
    a1 = alert_for(traveller("a", "VOLKOVA", "IRINA", "1975-03-14", "RUS", ref="1"), ("E-1", 0.97))
    api.ctx.alerts.put_alert(a1)
    h = api.h("operator")
    typo = is_problem(api.client.get("/v1/alerts?statu=open&carrier=ZZ", headers=h), 422)
    assert typo["type"] == "urn:apis-matcher:problem:validation"
    assert typo["errors"] == [{"loc": ["query", "statu"], "msg": "unknown query parameter", "type": "extra_forbidden"}]
    assert typo["accepted"] == ALERT_FILTERS
    assert typo["detail"] == f"unknown query parameter(s): statu; accepted: {', '.join(ALERT_FILTERS)}"
    two = is_problem(api.client.get("/v1/alerts?Status=open&min_scor=0.5&Status=x", headers=h), 422)
    assert [e["loc"] for e in two["errors"]] == [["query", "Status"], ["query", "min_scor"]]
    assert api.client.get("/v1/alerts?status=open&carrier=ZZ", headers=h).json()["total"] == 1

    audit = is_problem(api.client.get("/v1/audit?acton=alerts.list", headers=api.h("admin")), 422)
    assert audit["accepted"] == ["action", "actor", "limit", "offset", "since", "target", "until"]
    assert api.client.get("/v1/audit?action=alerts.list", headers=api.h("admin")).status_code == 200
    # An operation without query parameters refuses every one (it would ignore it).
    keys = is_problem(api.client.get("/v1/keys?role=operator", headers=api.h("admin")), 422)
    assert keys["accepted"] == [] and keys["detail"] == "unknown query parameter(s): role; accepted: none"
    is_problem(api.client.get(f"/v1/alerts/{a1.alert_id}?history=0", headers=h), 422)
    # Credentials are still checked first; health, readiness and metrics are untouched.
    is_problem(api.client.get("/v1/alerts?statu=open"), 401)
    assert api.client.get("/healthz?probe=1").status_code == 200
    assert api.client.get("/metrics?name[]=apis_matcher_alerts_published_total").status_code == 200


def test_every_operator_api_operation_documents_the_422_problem(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    undocumented = [(method, path) for path, ops in paths.items() if path.startswith("/v1/")
                    for method, op in ops.items() if "422" not in op["responses"]]
    assert undocumented == []
    problem = paths["/v1/keys"]["get"]["responses"]["422"]["content"]["application/problem+json"]
    assert problem == {"schema": {"$ref": "#/components/schemas/Problem"}}


@pytest.mark.parametrize(("key", "message"), [
    ("E-1", "an entry key is 'list_id:entry_id'"),
    ("t-list:", "the entry id after ':' is empty"),
    ("t-list:  ", "the entry id after ':' is empty"),
    (":E-1", "the list id '' is not valid: 1-64 letters, digits, '.', '_' or '-'"),
    ("t list:E-1", "the list id 't list' is not valid: 1-64 letters, digits, '.', '_' or '-'"),
    ("t-list\n:E-1", "the list id 't-list\\n' is not valid: 1-64 letters, digits, '.', '_' or '-'"),
    ("t-list: E-1", "the entry id has leading or trailing white space"),
])
def test_cleared_refuses_malformed_entry_keys(api: Api, key: str, message: str) -> None:
    body = is_problem(api.client.post("/v1/cleared", headers=api.h("admin"), json={
        "redress_number": "RN1", "entry_keys": ["t-list:E-1", key]}), 422)
    assert [(e["loc"], e["msg"]) for e in body["errors"]] == [(["body", "entry_keys", 1], f"Value error, {message}")]
    assert api.sink.sent == []


def test_cleared_accepts_keys_of_entries_not_loaded_and_names_them(api: Api) -> None:
    response = api.client.post("/v1/cleared", headers=api.h("admin"), json={
        "redress_number": "RN7", "entry_keys": ["t-list:E-1", "t-list:E-404", "old-list:X:1", "t-list:E-1"]})
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["cleared"]["entry_keys"] == ["t-list:E-1", "t-list:E-404", "old-list:X:1"]
    assert body["entry_keys_not_loaded"] == ["t-list:E-404", "old-list:X:1"]
    produced = orjson.loads(api.sink.sent[-1][2] or b"")
    assert produced["entry_keys"] == ["t-list:E-1", "t-list:E-404", "old-list:X:1"]


def test_list_ids_with_a_final_newline_are_refused() -> None:
    with pytest.raises(ValueError, match="invalid list id"):
        publish.check_list_id("t-list\n")
    assert publish.check_list_id("t-list") == "t-list"


# -- repeated dispositions --------------------------------------------------------------------
def _decide(api: Api, alert_id: str, role: str = "operator", **body: Any) -> Any:
    return api.client.post(f"/v1/alerts/{alert_id}/disposition", headers=api.h(role),
                           json={"status": "false_positive", "reason": "other person", **body})


def _stored_alert(api: Api) -> str:
    alert = alert_for(traveller("a", "VOLKOVA", "IRINA", "1975-03-14", "RUS", doc="P123", ref="1"),
                      ("E-1", 0.97), ("E-2", 0.76))
    api.ctx.alerts.put_alert(alert)
    return alert.alert_id


def test_an_identical_repeated_disposition_returns_the_first(api: Api) -> None:
    alert_id = _stored_alert(api)
    first = _decide(api, alert_id)
    assert first.status_code == 202 and first.json()["repeat"] is False
    again = _decide(api, alert_id)
    assert again.status_code == 200, again.text
    assert again.json() == {**first.json(), "repeat": True}
    assert [t for t, *_ in api.sink.sent] == [api.ctx.settings.topic_alerts_dispositions]
    history = api.client.get(f"/v1/alerts/{alert_id}", headers=api.h("operator")).json()["history"]
    assert len(history) == 1
    outcomes = [e.outcome for e in api.ctx.audit.query(action="disposition")[1]]
    assert outcomes == ["repeat", "ok"]  # newest first


def test_dispositions_that_differ_in_anything_are_all_recorded(api: Api) -> None:
    alert_id = _stored_alert(api)
    statuses = [
        _decide(api, alert_id).status_code,
        _decide(api, alert_id, reason="other person; passport differs").status_code,  # another reason
        _decide(api, alert_id, reason="other person; passport differs", entry_keys=["t-list:E-1"]).status_code,
        _decide(api, alert_id, "admin", reason="other person; passport differs", entry_keys=["t-list:E-1"]).status_code,
        _decide(api, alert_id, "admin", status="true_match", reason="confirmed").status_code,
        # the same decision as two steps ago, with another in between: a new decision
        _decide(api, alert_id, "admin", reason="other person; passport differs", entry_keys=["t-list:E-1"]).status_code,
    ]
    assert statuses == [202] * 6
    history = api.client.get(f"/v1/alerts/{alert_id}", headers=api.h("operator")).json()["history"]
    assert [(d["status"], len(d["entry_keys"])) for d in history] == [
        ("false_positive", 2), ("false_positive", 2), ("false_positive", 1), ("false_positive", 1),
        ("true_match", 2), ("false_positive", 1)]
    assert len(api.sink.sent) == 6


def test_a_zero_repeat_window_records_every_disposition(tmp_path: Path) -> None:
    service, sink = make_service(make_settings(str(tmp_path / "api.db"), disposition_repeat_window_s=0))
    with TestClient(create_app(service)) as client:
        api = Api(client, sink)
        alert_id = _stored_alert(api)
        assert [_decide(api, alert_id).status_code for _ in range(2)] == [202, 202]
        assert len(sink.sent) == 2


async def test_two_identical_dispositions_sent_together_record_one(tmp_path: Path) -> None:
    import asyncio

    import httpx2 as httpx

    service, sink = make_service(make_settings(str(tmp_path / "api.db")))
    app = create_app(service)
    ctx: ApiContext = app.state.ctx
    record = sink.send

    async def slow_send(topic: str, **kwargs: Any) -> tuple[int, int]:
        await asyncio.sleep(0.05)  # the broker's acknowledgement takes a while
        return await record(topic, **kwargs)

    sink.send = slow_send  # type: ignore[method-assign]
    alert = alert_for(traveller("a", "VOLKOVA", "IRINA", "1975-03-14", "RUS", ref="1"), ("E-1", 0.97))
    ctx.alerts.put_alert(alert)
    key = ctx.keys.create(role="operator", name="analyst")[1]
    body = {"status": "false_positive", "reason": "other person"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api") as client:
        responses = await asyncio.gather(*(client.post(f"/v1/alerts/{alert.alert_id}/disposition", json=body,
                                                       headers={"X-API-Key": key}) for _ in range(3)))
    assert sorted(r.status_code for r in responses) == [200, 200, 202]
    assert len(sink.sent) == 1
    assert {r.json()["offset"] for r in responses} == {0}
    ctx.db.close()


def test_is_repeat_window_boundaries() -> None:
    from app.alert_store import StoredDisposition
    from app.routers.alerts import is_repeat

    decided = datetime(2026, 11, 29, 12, 0, 0, tzinfo=UTC)
    latest = StoredDisposition(Disposition(alert_id="ALR-1", status="false_positive", operator="key:a",
                                           reason="r", decided_at=decided, entry_keys=["l:1"]), "t", 0, 5)
    same = {"status": "false_positive", "operator": "key:a", "reason": "r", "entry_keys": ["l:1"]}
    assert is_repeat(latest, **same, now=decided + timedelta(seconds=10), window_s=10)
    assert not is_repeat(latest, **same, now=decided + timedelta(seconds=10, microseconds=1), window_s=10)
    assert not is_repeat(latest, **same, now=decided, window_s=0)
    assert not is_repeat(None, **same, now=decided, window_s=10)
    for field, other in (("status", "true_match"), ("operator", "key:b"), ("reason", "r "),
                         ("entry_keys", ["l:1", "l:2"])):
        assert not is_repeat(latest, **{**same, field: other}, now=decided, window_s=10)
