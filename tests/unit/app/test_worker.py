"""The worker's pure parts: DLQ records, one-call screening, manifest tracking."""

from datetime import UTC, datetime, timedelta

from aiokafka import TopicPartition

from app.settings import Settings
from app.watchlist_state import WatchlistStore
from app.worker import Outcome, ScreeningWorker, dlq_record
from schemas.paxlst import decode_paxlst
from schemas.paxlst_encode import encode_paxlst
from schemas.records import Flight, Traveller

SETTINGS = Settings(kafka_bootstrap_servers="127.0.0.1:9", manifest_wait_s=60)
FLIGHT = Flight(carrier="ZZ", number="0101", departure_airport="AAA", arrival_airport="BBB",
                scheduled_departure="2026-11-29T09:00")


def test_dlq_record_keeps_bytes_and_names_the_source() -> None:
    topic, key, value, headers = dlq_record("dlq", TopicPartition("raw", 2), 41, b"k", b"\xff\x00",
                                            Outcome(dlq_reason="not_edifact", dlq_detail="no UNB"))
    assert (topic, key, value) == ("dlq", b"k", b"\xff\x00")
    assert dict(headers) == {"error": b"not_edifact: no UNB", "source.topic": b"raw", "source.partition": b"2",
                             "source.offset": b"41"}


def part(n: int, final: bool) -> bytes:
    raw = encode_paxlst([Traveller(traveller_id="1", surname="DOE", given_names="JANE")], flight=FLIGHT,
                        interchange_ref=f"IC{n}", message_ref=f"M{n}")
    s010 = f"+ZZ0101/261129+0{n}{':F' if final else ''}'"  # UNH 0068 common access ref, then S010
    return raw.replace(b"PAXLST:D:05B:UN:IATA'", b"PAXLST:D:05B:UN:IATA" + s010.encode())


def test_missing_manifest_part_is_reported_once() -> None:
    worker = ScreeningWorker(SETTINGS, WatchlistStore(SETTINGS))
    for raw in (part(1, False), part(3, True)):
        decoded = decode_paxlst(raw)
        assert decoded.messages[0].part_number in (1, 3)
        worker._track_manifests(Outcome(messages=decoded.messages, flight_key="ZZ0101/2026-11-29"), None)
    later = datetime.now(UTC) + timedelta(seconds=61)
    [status] = worker.report_overdue_manifests(later)
    assert status.missing_parts == (2,) and status.final_part == 3
    assert worker.report_overdue_manifests(later + timedelta(seconds=120)) == []


def test_oversized_message_is_truncated_on_the_dlq() -> None:
    big = b"x" * 5000
    _, _, value, headers = dlq_record("dlq", TopicPartition("raw", 0), 7, None, big,
                                      Outcome(dlq_reason="not_edifact"), max_value_bytes=1024)
    assert value == big[:1024]
    assert dict(headers)["value.truncated"] == b"5000"
