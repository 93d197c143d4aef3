"""The demo on the real broker: alerts for exactly the planted listed travellers, from
PAXLST manifests and from a PNRGOV push (with and without SSR DOCS)."""

from __future__ import annotations

import orjson
import pytest

from app.demo import run_demo
from app.settings import Settings

pytestmark = pytest.mark.integration

# The sample manifests plant five listed persons among 21 travellers, and the PNR push two
# among 5 travellers of 3 PNRs (app/sample_data).
PLANTED = {
    ("WARSAME", "DEMO-014"),         # PNRGOV with SSR DOCS
    ("HASSANI", "DEMO-021"),         # PNRGOV without DOCS: screened on the name alone
    ("ALHADDAWI", "DEMO-001"),       # particle joined, passport match
    ("VOLKOVSKIY", "DEMO-003"),      # alias spelling
    ("MENDOZA ILLESCAS", "DEMO-005"),  # double surname, accent dropped
    ("ZHOU", "DEMO-007"),
    ("SCHOENBERGER", "DEMO-009"),    # ICAO umlaut rendering
}


async def test_demo_alerts_exactly_the_planted_travellers(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code = await run_demo(settings, json_output=True, timeout_s=90)
    out = capsys.readouterr().out
    assert code == 0
    alerts = [orjson.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert {(a["traveller"]["surname"], a["hits"][0]["entry_id"]) for a in alerts} == PLANTED
    assert len(alerts) == len(PLANTED)
    for a in alerts:
        assert a["hits"][0]["list_id"] == "demo-list"
        assert a["traveller"]["source"]["flight"]["carrier"] == "ZZ"
    by_name = {a["traveller"]["surname"]: a for a in alerts}
    assert by_name["ZHOU"]["hits"][0]["score"] >= 0.95
    pnr = by_name["WARSAME"]["traveller"]["source"]
    assert (pnr["format"], pnr["record_locator"], pnr["push_type"]) == ("PNRGOV", "KQ7W2D", "22")
    assert [(leg["departure_airport"], leg["arrival_airport"]) for leg in pnr["legs"]] == [("NBO", "AMS")]
    # Name alone: a review-level hit that says the date of birth was unknown.
    name_only = by_name["HASSANI"]["hits"][0]
    assert 0.75 <= name_only["score"] < 0.95
    assert name_only["explanation"]["dob"]["result"] == "unknown"
