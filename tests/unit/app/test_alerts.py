from datetime import UTC, datetime

import pytest

from app.alerts import alert_id, build_alert
from schemas.records import Hit, Source, Traveller


def traveller(tid: str = "M1-1", icr: str = "IC1", mref: str = "M1") -> Traveller:
    return Traveller(traveller_id=tid, surname="DOE", given_names="JANE",
                     source=Source(format="PAXLST", interchange_ref=icr, message_ref=mref, sender="ZZAIR"))


def hit(entry: str, score: float) -> Hit:
    return Hit(list_id="l", entry_id=entry, score=score, matched_name="DOE, JANE")


def test_alert_id_is_deterministic_and_depends_on_message_and_traveller() -> None:
    assert alert_id(traveller()) == alert_id(traveller())
    assert alert_id(traveller()).startswith("ALR-") and len(alert_id(traveller())) == 36
    others = {alert_id(traveller(tid="M1-2")), alert_id(traveller(icr="IC2")), alert_id(traveller(mref="M2"))}
    assert alert_id(traveller()) not in others and len(others) == 3


def test_build_alert_orders_hits_best_first() -> None:
    alert = build_alert(traveller(), [hit("a", 0.8), hit("b", 0.95)], originator="XX", releasability="bilateral",
                        created_at=datetime(2026, 11, 29, tzinfo=UTC))
    assert [h.entry_id for h in alert.hits] == ["b", "a"]
    assert alert.originator == "XX" and alert.alert_id == alert_id(traveller())


def test_build_alert_needs_a_hit() -> None:
    with pytest.raises(ValueError):
        build_alert(traveller(), [], originator="XX", releasability="bilateral")


def pnr_traveller(interchange: str, position: int) -> Traveller:
    from schemas.records import Flight

    return Traveller(traveller_id=f"LQ4MZT-{position}", surname="LINDQVIST", given_names="ASTRID",
                     source=Source(format="PNRGOV", interchange_ref=interchange, message_ref=interchange, sender="ZZ",
                                   record_locator="LQ4MZT",
                                   flight=Flight(carrier="ZZ", number="0421", scheduled_departure="2026-11-29T10:15")))


def test_a_resent_pnr_push_keeps_its_alert_id() -> None:
    # A PNR is pushed again (new interchange), even with the traveller at another position.
    assert alert_id(pnr_traveller("R0002", 1)) == alert_id(pnr_traveller("R0002B", 2))
    other_flight = pnr_traveller("R0002", 1)
    assert other_flight.source is not None and other_flight.source.flight is not None
    other_flight.source.flight.number = "0422"
    assert alert_id(other_flight) != alert_id(pnr_traveller("R0002", 1))
