from __future__ import annotations

import pytest

from matchers import DateSpec, DocumentKey, MatchConfig, MatchResult, PersonName, Screener
from schemas.countries import to_alpha3
from schemas.records import Document, EntryDate, EntryName, Hit, Traveller, WatchlistEntry
from schemas.screening import entry_to_person, result_to_hit, traveller_to_person


def test_traveller_to_person() -> None:
    t = Traveller(
        traveller_id="T7",
        surname="AL-HADDADIN",
        given_names="FARID",
        gender="M",
        date_of_birth="1979-04-02",
        nationality="JOR",
        documents=[Document(type="P", number="zk447 1203", issuing_country="LVA")],
    )
    p = traveller_to_person(t)
    assert p.key == "T7"
    assert p.names == (PersonName(surname="AL-HADDADIN", given_names="FARID"),)
    assert p.dates_of_birth == (DateSpec(date="1979-04-02"),)
    assert p.nationalities == ("JOR",)
    assert p.genders == ("M",)
    assert p.documents == (DocumentKey(number="ZK4471203", type="P", issuing_country="LVA"),)


def test_traveller_without_optional_fields() -> None:
    p = traveller_to_person(Traveller(traveller_id="T1", full_name="Ko Tae Hun"))
    assert p.names == (PersonName(full_name="Ko Tae Hun"),)
    assert (p.dates_of_birth, p.nationalities, p.genders, p.documents) == ((), (), (), ())


def test_entry_to_person_splits_documents_and_keeps_dates() -> None:
    e = WatchlistEntry(
        list_id="un-sc",
        entry_id="QDi.1",
        names=[
            EntryName(full_name="FARID AL-HADDADIN", surname="AL-HADDADIN", given_names="FARID"),
            EntryName(full_name="ABU NAIM", kind="alias"),
        ],
        dates_of_birth=[EntryDate(date="1979"), EntryDate(**{"from": "1970", "to": "1973"}, approximate=True)],
        nationalities=["JOR"],
        citizenships=["Jordan", "IRQ"],
        genders=["M"],
        documents=[
            Document(number="ZK4471203, PB0093311", issuing_country="LVA"),
            Document(number="<<<", issuing_country="XXX"),
        ],
    )
    p = entry_to_person(e)
    assert p.key == "un-sc:QDi.1"
    assert (p.list_id, p.entry_id) == ("un-sc", "QDi.1")
    assert [n.kind for n in p.names] == ["primary", "alias"]
    assert p.dates_of_birth == (
        DateSpec(date="1979"),
        DateSpec(from_="1970", to="1973", approximate=True),
    )
    assert p.nationalities == ("JOR", "IRQ")
    assert [d.number for d in p.documents] == ["ZK4471203", "PB0093311"]


def test_to_alpha3() -> None:
    assert to_alpha3("af") == "AFG"
    assert to_alpha3("France") == "FRA"
    assert to_alpha3("D") == "DEU"
    assert to_alpha3("XXA") == "XXA"
    assert to_alpha3("NONE") is None
    assert to_alpha3("Atlantis") is None


def test_result_to_hit_round_trip_through_screener() -> None:
    e = WatchlistEntry(
        list_id="wl",
        entry_id="E1",
        names=[EntryName(full_name="KORNEV VALENTIN", surname="KORNEV", given_names="VALENTIN")],
        dates_of_birth=[EntryDate(date="1966-10-09")],
        list_version="v3",
    )
    t = Traveller(traveller_id="T1", surname="KORNEV", given_names="VALENTIN", date_of_birth="1966-10-09")
    screener = Screener([entry_to_person(e)], MatchConfig())
    (result,) = screener.screen([traveller_to_person(t)])[0]
    hit = result_to_hit(result, list_version="v3", list_owner="XAG")
    assert isinstance(hit, Hit)
    assert (hit.list_id, hit.entry_id, hit.list_version, hit.list_owner) == ("wl", "E1", "v3", "XAG")
    assert hit.score == 1.0
    assert hit.matched_name == "KORNEV, VALENTIN"
    assert hit.explanation["dob"]["result"] == "match"


def test_result_to_hit_clamps() -> None:
    hit = result_to_hit(MatchResult("wl", "E1", 1.0000001, "X", {}))
    assert hit.score == 1.0


def test_in_future_reads_the_local_date_anew_each_day(monkeypatch: pytest.MonkeyPatch) -> None:
    # today's date is read from the clock once per day: the cached day runs from its
    # local midnight to the next, and is read again outside it (the clock set back too)
    from datetime import date, datetime, timedelta

    import schemas.screening as screening

    today = date.today()
    assert screening.in_future((today + timedelta(days=1)).isoformat())
    assert not screening.in_future(today.isoformat())
    start, until, iso = screening._today
    assert iso == today.isoformat()
    assert start == datetime.combine(today, datetime.min.time()).timestamp()
    assert until == datetime.combine(today + timedelta(days=1), datetime.min.time()).timestamp()
    now = datetime.now().timestamp()
    for stale in ((now - 100.0, now - 1.0), (now + 1.0, now + 100.0)):  # ended; not yet begun
        monkeypatch.setattr(screening, "_today", (*stale, "1999-12-31"))
        assert not screening.in_future("2000-01-01")
        assert screening._today_iso() == today.isoformat()
    # within the cached day, the cached date answers
    monkeypatch.setattr(screening, "_today", (now - 60.0, now + 60.0, "1999-12-31"))
    assert screening.in_future("2000-01-01")


def test_future_and_unknown_birth_dates_are_not_evidence() -> None:
    from datetime import date

    from schemas.screening import in_future

    assert in_future("2090-01-01") and in_future("2090") and not in_future("1990-01-01")
    assert not in_future("2026-11", today=date(2026, 11, 29)) and in_future("2026-12", today=date(2026, 11, 29))
    future = Traveller(traveller_id="t", surname="ZHOU", given_names="MINGHAO", date_of_birth="2090-01-01")
    assert traveller_to_person(future).dates_of_birth == ()
    unknown = Traveller.model_validate({"traveller_id": "u", "full_name": "A B", "date_of_birth": "UNKNOWN"})
    assert unknown.date_of_birth is None
