"""The operator API on the real broker: raw intake → stream → alert in GET /v1/alerts;
a disposition round-trips through alerts.dispositions (a repeat of it is not produced again);
a false positive suppresses the next identical hit and not a different traveller's."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from app.api import create_app
from app.publish import publish_watchlist
from app.service import Service
from app.settings import Settings
from app.suppression import SUPPRESSED_HITS
from app.topics import ensure_topics
from schemas.paxlst_encode import encode_paxlst
from schemas.records import Document, EntryDate, EntryName, Flight, Traveller, WatchlistEntry

from .conftest import read_all

pytestmark = pytest.mark.integration

ADMIN = {"X-API-Key": "it-bootstrap-admin"}
FLIGHT = Flight(carrier="ZZ", number="0777", departure_airport="AAA", arrival_airport="BBB",
                scheduled_departure="2026-12-01T09:00")
# An invented listed person.
ENTRY = WatchlistEntry(list_id="it-api", entry_id="E-1",
                       names=[EntryName(full_name="Irina Sergeyevna VOLKOVA", surname="VOLKOVA",
                                        given_names="Irina Sergeyevna")],
                       dates_of_birth=[EntryDate(date="1975-03-14")], nationalities=["RUS"], genders=["F"])


def volkova(tid: str, passport: str) -> Traveller:
    return Traveller(traveller_id=tid, surname="VOLKOVA", given_names="IRINA", date_of_birth="1975-03-14",
                     nationality="RUS", gender="F", documents=[Document(type="P", number=passport,
                                                                        issuing_country="RUS")])


def manifest(ref: str, travellers: list[Traveller]) -> bytes:
    return encode_paxlst(travellers, flight=FLIGHT, interchange_ref=f"IC{ref}", message_ref=f"M{ref}")


def wait_for(check: Callable[[], Any], *, timeout_s: float = 60.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_alert_disposition_and_suppression_through_the_api(settings: Settings, tmp_path: Path) -> None:
    settings = settings.model_copy(update={"db_path": str(tmp_path / "api.db"),
                                           "api_bootstrap_admin_key": SecretStr(ADMIN["X-API-Key"])})

    async def prepare() -> None:
        await ensure_topics(settings)
        await publish_watchlist(settings, [ENTRY], list_id="it-api", source="test", fmt="jsonl")

    asyncio.run(prepare())
    suppressed_before = SUPPRESSED_HITS.labels(reason="false_positive")._value.get()
    with TestClient(create_app(Service(settings))) as client:
        wait_for(lambda: client.get("/readyz").status_code == 200, what="readiness")
        feed = {"X-API-Key": client.post("/v1/keys", json={"role": "feed", "name": "it feed"},
                                         headers=ADMIN).json()["key"]}
        first = client.post("/v1/messages/paxlst", content=manifest("1", [volkova("a", "P111")]),
                            headers={**feed, "Content-Type": "application/edifact"})
        assert first.status_code == 202, first.text
        assert first.json()["topic"] == settings.topic_paxlst_raw

        page = wait_for(lambda: (p := client.get("/v1/alerts?carrier=ZZ&flight_number=0777", headers=ADMIN)
                                 .json())["total"] == 1 and p, what="the alert in the store")
        typo = client.get("/v1/alerts?carrier=ZZ&flight_numbr=0777", headers=ADMIN)
        assert typo.status_code == 422 and typo.json()["errors"][0]["loc"] == ["query", "flight_numbr"]
        alert = page["items"][0]["alert"]
        assert (alert["traveller"]["documents"][0]["number"], alert["hits"][0]["entry_id"]) == ("P111", "E-1")

        decision = {"status": "false_positive", "reason": "passport and travel history differ"}
        decided = client.post(f"/v1/alerts/{alert['alert_id']}/disposition", headers=ADMIN, json=decision)
        assert decided.status_code == 202, decided.text
        # A double click: answered with the first record, nothing more on the topic.
        repeat = client.post(f"/v1/alerts/{alert['alert_id']}/disposition", headers=ADMIN, json=decision)
        assert repeat.status_code == 200 and repeat.json() == {**decided.json(), "repeat": True}
        [record] = asyncio.run(read_all(settings, settings.topic_alerts_dispositions, expect=1, settle_s=1.0))
        assert record.key == alert["alert_id"].encode()
        assert orjson.loads(record.value)["status"] == "false_positive"
        detail = client.get(f"/v1/alerts/{alert['alert_id']}", headers=ADMIN).json()
        assert detail["status"] == "false_positive" and len(detail["history"]) == 1

        # The same traveller again (a new manifest) is suppressed; a different traveller
        # with the same name and date of birth but another passport is not.
        again = client.post("/v1/messages/paxlst",
                            content=manifest("2", [volkova("a", "P111"), volkova("b", "P222")]),
                            headers={**feed, "Content-Type": "text/plain"})
        assert again.status_code == 202
        page = wait_for(lambda: (p := client.get("/v1/alerts", headers=ADMIN).json())["total"] >= 2 and p,
                        what="the second alert")
        time.sleep(1.5)
        alerts = asyncio.run(read_all(settings, settings.topic_alerts_internal, expect=2, settle_s=1.0))
    travellers = sorted(orjson.loads(r.value)["traveller"]["documents"][0]["number"] for r in alerts)
    assert travellers == ["P111", "P222"]
    assert SUPPRESSED_HITS.labels(reason="false_positive")._value.get() == suppressed_before + 1
