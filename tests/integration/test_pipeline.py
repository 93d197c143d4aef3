"""The main job end to end on the real broker: PAXLST in, alerts out, DLQ, restart."""

from __future__ import annotations

import orjson
import pytest

from app.publish import publish_watchlist
from app.service import Service
from app.settings import Settings
from app.topics import ensure_topics
from schemas.paxlst_encode import encode_paxlst
from schemas.records import Document, EntryDate, EntryName, Flight, Traveller, WatchlistEntry

from .conftest import produce, read_all, running

pytestmark = pytest.mark.integration

FLIGHT = Flight(carrier="ZZ", number="0421", departure_airport="AAA", arrival_airport="BBB",
                scheduled_departure="2026-11-29T09:00")

# Invented listed persons.
ENTRIES = [
    WatchlistEntry(list_id="it-list", entry_id="E-1",
                   names=[EntryName(full_name="Irina Sergeyevna VOLKOVA", surname="VOLKOVA",
                                    given_names="Irina Sergeyevna")],
                   dates_of_birth=[EntryDate(date="1975-03-14")], nationalities=["RUS"], genders=["F"]),
    WatchlistEntry(list_id="it-list", entry_id="E-2",
                   names=[EntryName(full_name="Khalid Mahmoud AL-RASHIDI", surname="AL-RASHIDI",
                                    given_names="Khalid Mahmoud")],
                   dates_of_birth=[EntryDate(date="1969")], nationalities=["JOR"]),
    WatchlistEntry(list_id="it-list", entry_id="E-3",
                   names=[EntryName(full_name="Lucia MENDOZA GARCIA", surname="MENDOZA GARCIA", given_names="Lucia")],
                   dates_of_birth=[EntryDate(date="1988-11-02")],
                   documents=[Document(type="P", number="X1234567", issuing_country="ESP")]),
]


def pax(tid: str, surname: str, given: str, dob: str, nat: str, gender: str = "M",
        doc: str | None = None) -> Traveller:
    docs = [Document(type="P", number=doc, issuing_country=nat)] if doc else []
    return Traveller(traveller_id=tid, surname=surname, given_names=given, date_of_birth=dob, nationality=nat,
                     gender=gender, documents=docs)


def manifest(ref: str, travellers: list[Traveller]) -> bytes:
    return encode_paxlst(travellers, flight=FLIGHT, interchange_ref=f"IC{ref}", message_ref=f"M{ref}")


M1 = manifest("1", [
    pax("a", "VOLKOVA", "IRINA", "1975-03-14", "RUS", "F"),
    pax("b", "SMITHSON", "GERALD", "1980-01-01", "GBR"),
    pax("c", "MENDOZA GARCIA", "LUCIA", "1988-11-02", "ESP", "F", doc="X1234567"),
])
GARBAGE = b"\xff\xfe\x00garbage, not EDIFACT"
M3 = manifest("3", [
    pax("a", "ALRASHIDI", "KHALID", "1969-05-01", "JOR"),
    pax("b", "BROWN", "EMMA", "1991-07-21", "CAN", "F"),
])
M4 = manifest("4", [pax("a", "VOLKOVA", "IRINA", "1975-03-14", "RUS", "F")])


def _alert_pairs(records: list) -> list[tuple[str, str]]:
    pairs = []
    for r in records:
        alert = orjson.loads(r.value)
        pairs.append((alert["traveller"]["surname"], alert["hits"][0]["entry_id"]))
    return sorted(pairs)


async def test_paxlst_to_alerts_dlq_and_restart(settings: Settings) -> None:
    await ensure_topics(settings)
    await publish_watchlist(settings, ENTRIES, list_id="it-list", source="test", fmt="jsonl", owner="TEST-AGENCY")
    offsets = await produce(settings, settings.topic_paxlst_raw, [M1, GARBAGE, M3])

    async with running(Service(settings)):
        alerts = await read_all(settings, settings.topic_alerts_bilateral, expect=3)
        dlq = await read_all(settings, settings.topic_dlq, expect=1)

    # Exactly the listed travellers, against the right entries; the garbage did not stop the stream.
    assert _alert_pairs(alerts) == [("ALRASHIDI", "E-2"), ("MENDOZA GARCIA", "E-3"), ("VOLKOVA", "E-1")]
    first = orjson.loads(alerts[0].value)
    assert first["originator"] == "TEST-AGENCY"
    assert first["hits"][0]["list_id"] == "it-list"
    assert first["hits"][0]["list_version"]
    assert first["hits"][0]["list_owner"] == "TEST-AGENCY"
    assert 0.0 < first["hits"][0]["score"] <= 1.0

    internal = await read_all(settings, settings.topic_alerts_internal, expect=3)
    assert sorted(r.key for r in internal) == sorted(r.key for r in alerts)

    assert len(dlq) == 1
    headers = dict(dlq[0].headers)
    assert dlq[0].value == GARBAGE
    assert headers["source.topic"].decode() == settings.topic_paxlst_raw
    assert int(headers["source.offset"]) == offsets[1]
    assert headers["error"].decode().split(":")[0] in {"not_edifact", "undecodable_bytes", "no_travellers"}

    # A restarted worker (same group, same transactional id) does not re-publish.
    async with running(Service(settings)):
        await produce(settings, settings.topic_paxlst_raw, [M4])
        alerts = await read_all(settings, settings.topic_alerts_bilateral, expect=4, settle_s=3.0)
    assert len(alerts) == 4
    assert len({r.key for r in alerts}) == 4
    assert _alert_pairs(alerts).count(("VOLKOVA", "E-1")) == 2
