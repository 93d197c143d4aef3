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


def repeating_manifest(una: bytes = b"UNA:+.?*'") -> bytes:
    """A PAXLST from ZZAIR that declares '*' as repetition separator and repeats the NAD name element."""
    raw = encode_paxlst([Traveller(traveller_id="1", surname="DOE", given_names="JANE")], flight=FLIGHT,
                        interchange_ref="IC1", message_ref="M1")
    return raw.replace(b"UNA:+.? '", una).replace(b"NAD+FL+++DOE:JANE'", b"NAD+FL+++DOE:JANE*DOE:JAYNE'")


def test_repetition_splitting_is_off_unless_the_sender_is_listed() -> None:
    # Field case 03: '*' is data for every sender by default; a listed sender's
    # interchanges are split on the UNA repetition separator (first repetition used).
    default = ScreeningWorker(SETTINGS, WatchlistStore(SETTINGS)).decoders[SETTINGS.topic_paxlst_raw]
    [t] = default(repeating_manifest()).travellers
    assert (t.surname, t.given_names) == ("DOE", "JANE*DOE JAYNE")

    listed = Settings(kafka_bootstrap_servers="127.0.0.1:9", edifact_repetition_senders=["ZZAIR"])
    decode = ScreeningWorker(listed, WatchlistStore(listed)).decoders[listed.topic_paxlst_raw]
    [t] = decode(repeating_manifest()).travellers
    assert (t.surname, t.given_names, t.warnings) == ("DOE", "JANE", [])
    # a space in UNA position 5 means "no repetition separator", listed or not
    [t] = decode(repeating_manifest(b"UNA:+.? '")).travellers
    assert t.given_names == "JANE*DOE JAYNE"

    other = Settings(kafka_bootstrap_servers="127.0.0.1:9", edifact_repetition_senders=["ZZOTHER"])
    decode = ScreeningWorker(other, WatchlistStore(other)).decoders[other.topic_paxlst_raw]
    assert decode(repeating_manifest()).travellers[0].given_names == "JANE*DOE JAYNE"


def test_pnrgov_decoder_honours_the_listed_senders_too() -> None:
    from app.worker import repetition_aware
    from schemas.pnrgov import decode_pnrgov

    pnr = (b"UNA:+.?*'UNB+IATA:1+ZZ+ZZBORDER+261129:0930+R0003'UNH+1+PNRGOV:13:1:IA+ZZ0303'MSG+:22'ORG+ZZ'"
           b"TVL+291126:1015+AAA+BBB+ZZ+0421'EQN+1'SRC'RCI+ZZ:W8DKQ2'TIF+ACHTERBERG*ACHTERBERG-DE VRIES+FLORISMR:A:1'"
           b"UNT+10+1'UNZ+1+R0003'")
    unsplit = repetition_aware(decode_pnrgov, [])(pnr).travellers
    assert [t.surname for t in unsplit] == ["ACHTERBERG*ACHTERBERG-DE VRIES"]
    assert [t.surname for t in repetition_aware(decode_pnrgov, ["ZZ"])(pnr).travellers] == ["ACHTERBERG"]
    assert repetition_aware(decode_pnrgov, []) is decode_pnrgov
