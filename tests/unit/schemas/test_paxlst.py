"""PAXLST decoder unit tests on small invented messages."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.errors import DecodeError, NotEdifactError, NotPaxlstError, NoTravellersError
from schemas.paxlst import decode_paxlst, looks_like_paxlst

HEAD = (
    "UNA:+.? '"
    "UNB+UNOA:4+ZZAIR:ZZ+ZZBORDER:ZZ+261129:0800+R0001++APIS'"
    "UNH+M1+PAXLST:D:05B:UN:IATA+ZZ0101/261129+01:F'"
    "BGM+745'"
    "NAD+MS+++HELP DESK'"
    "TDT+20+ZZ0101+++ZZ'"
    "LOC+125+AAA'DTM+189:2611291015:201'"
    "LOC+87+BBB'DTM+232:2611291240:201'"
)
TAIL = "UNT+{n}+M1'UNZ+1+R0001'"


def manifest(*groups: str, cnt: str = "") -> bytes:
    body = HEAD + "".join(groups) + cnt
    n = body[body.index("UNH") :].count("'") + 1
    return (body + TAIL.format(n=n)).encode("ascii")


def test_header_and_flight() -> None:
    r = decode_paxlst(manifest("NAD+FL+++DOE:JANE'"))
    (h,) = r.messages
    assert h.to_json() == {
        "interchange_ref": "R0001",
        "sender": "ZZAIR",
        "recipient": "ZZBORDER",
        "syntax_id": "UNOA",
        "syntax_version": 4,
        "prepared_at": "2026-11-29T08:00",
        "message_ref": "M1",
        "message_type": "PAXLST",
        "message_version": "D:05B",
        "document_code": "745",
        "document_id": None,
        "part_number": 1,
        "final_part": True,
        "common_access_ref": "ZZ0101/261129",
    }
    src = r.travellers[0].source
    assert src is not None and src.flight is not None
    assert (src.flight.carrier, src.flight.number) == ("ZZ", "0101")
    assert (src.flight.departure_airport, src.flight.arrival_airport) == ("AAA", "BBB")
    assert src.flight.scheduled_departure == "2026-11-29T10:15"
    assert (src.interchange_ref, src.message_ref, src.part_number) == ("R0001", "M1", 1)
    assert r.warnings == []


@pytest.mark.parametrize(
    ("qualifier", "role"),
    [("FL", "passenger"), ("FM", "crew"), ("DDT", "in_transit_passenger"), ("DDU", "in_transit_crew")],
)
def test_roles(qualifier: str, role: str) -> None:
    (t,) = decode_paxlst(manifest(f"NAD+{qualifier}+++DOE:JANE'")).travellers
    assert t.role == role


def test_names_from_c080_components() -> None:
    r = decode_paxlst(manifest("NAD+FL+++VAN  DER BERG:ANNA:MARIA::LOUISE:1'", "NAD+FL+++SOLO:'"))
    a, b = r.travellers
    assert (a.surname, a.given_names) == ("VAN DER BERG", "ANNA MARIA LOUISE")
    assert (b.surname, b.given_names) == ("SOLO", None)
    assert [a.traveller_id, b.traveller_id] == ["M1-1", "M1-2"]


def test_traveller_fields() -> None:
    group = (
        "NAD+FL+++DOE:JANE'ATT+2++F'DTM+329:380517'LOC+174+FR'LOC+180+:::LYON FRANCE'"
        "NAT+2+D'DOC+P:110:111+AB123456'DTM+36:300615'LOC+91+DEU'"
        "DOC+V+V998877'DTM+36:20270101:102'LOC+91+VA:163'LOC+91+US:162'"
    )
    (t,) = decode_paxlst(manifest(group)).travellers
    assert t.gender == "F"
    assert t.date_of_birth == "1938-05-17"
    assert (t.nationality, t.country_of_residence, t.place_of_birth) == ("DEU", "FRA", "LYON FRANCE")
    assert [d.model_dump() for d in t.documents] == [
        {"type": "P", "number": "AB123456", "issuing_country": "DEU", "expiry_date": "2030-06-15"},
        {"type": "V", "number": "V998877", "issuing_country": "USA", "expiry_date": "2027-01-01"},
    ]
    assert t.warnings == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("380517", "1938-05-17"), ("250901", "2025-09-01"), ("261130", "1926-11-30"), ("19350919:102", "1935-09-19")],
)
def test_case06_birth_century_relative_to_flight(raw: str, expected: str) -> None:
    (t,) = decode_paxlst(manifest(f"NAD+FL+++DOE:JANE'DTM+329:{raw}'")).travellers
    assert t.date_of_birth == expected


def test_reference_date_used_when_no_flight_date() -> None:
    data = (
        "UNB+UNOA:4+A+B+261129:0800+R1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'"
        "NAD+FL+++DOE:JANE'DTM+329:100101'UNT+5+1'UNZ+1+R1'"
    ).encode("ascii")
    (t,) = decode_paxlst(data, reference_date=date(2005, 1, 1)).travellers
    assert t.date_of_birth == "1910-01-01"


def test_future_four_digit_birth_date_is_dropped_with_error() -> None:
    r = decode_paxlst(manifest("NAD+FL+++DOE:JANE'DTM+329:20300101:102'"))
    (t,) = r.travellers
    assert t.date_of_birth is None
    assert [e.code for e in r.errors] == ["dob_in_future"]
    assert [w.code for w in t.warnings] == ["dob_in_future"]


@pytest.mark.parametrize(
    ("att", "gender", "warning"),
    [("M", "M", None), ("M*M*M", "M", "gender_repeated"), ("x", "X", None), ("Q", None, "unknown_gender_code")],
)
def test_gender(att: str, gender: str | None, warning: str | None) -> None:
    (t,) = decode_paxlst(manifest(f"NAD+FL+++DOE:JANE'ATT+2++{att}'")).travellers
    assert t.gender == gender
    assert [w.code for w in t.warnings] == ([warning] if warning else [])


def test_count_mismatch_and_malformed_cnt() -> None:
    r = decode_paxlst(manifest("NAD+FL+++DOE:JANE'", cnt="CNT+42:3'"))
    assert [w.code for w in r.warnings] == ["count_mismatch"]
    r = decode_paxlst(manifest("NAD+FM+++DOE:JANE'", cnt="CNT+41+1'"))
    assert [w.code for w in r.warnings] == ["malformed_segment"]


def test_unt_count_mismatch() -> None:
    data = manifest("NAD+FL+++DOE:JANE'").replace(b"UNT+", b"UNT+9")
    r = decode_paxlst(data)
    assert "segment_count_mismatch" in [w.code for w in r.warnings]


def test_document_without_number_is_an_error_not_a_crash() -> None:
    r = decode_paxlst(manifest("NAD+FL+++DOE:JANE'DOC+P'DTM+36:300101'"))
    (t,) = r.travellers
    assert t.documents == []
    assert [e.code for e in r.errors] == ["document_without_number"]


def test_unknown_country_kept_as_sent_with_warning() -> None:
    (t,) = decode_paxlst(manifest("NAD+FL+++DOE:JANE'NAT+2+ABC'")).travellers
    assert t.nationality == "ABC"
    assert [w.code for w in t.warnings] == ["unknown_country_code"]


def test_two_messages_in_one_interchange() -> None:
    msg = "UNH+{r}+PAXLST:D:05B:UN:IATA'BGM+745'NAD+FL+++DOE:{g}'UNT+4+{r}'"
    data = (
        "UNB+UNOA:4+A+B+261129:0800+R1'" + msg.format(r="A", g="X") + msg.format(r="B", g="Y") + "UNZ+2+R1'"
    ).encode("ascii")
    r = decode_paxlst(data)
    assert [t.traveller_id for t in r.travellers] == ["A-1", "B-1"]
    assert [m.message_ref for m in r.messages] == ["A", "B"]


@pytest.mark.parametrize(
    ("data", "exc", "reason"),
    [
        (b"\x00\x01binary", NotEdifactError, "not_edifact"),
        (b"UNB+UNOA:4+A+B+261129:0800+R1'UNH+1+PNRGOV:13:1:IA'SRC'UNT+3+1'UNZ+1+R1'", NotPaxlstError, "not_paxlst"),
        (
            b"UNB+UNOA:4+A+B+261129:0800+R1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'UNT+3+1'UNZ+1+R1'",
            NoTravellersError,
            "no_travellers",
        ),
    ],
)
def test_decode_errors(data: bytes, exc: type[DecodeError], reason: str) -> None:
    with pytest.raises(exc) as err:
        decode_paxlst(data)
    assert err.value.reason == reason
    assert err.value.retriable is False


def test_looks_like_paxlst() -> None:
    assert looks_like_paxlst(manifest("NAD+FL+++DOE:JANE'"))
    assert not looks_like_paxlst(b"UNB+UNOA:4+A+B+261129:0800+R1'UNH+1+PNRGOV:13:1:IA'")
    assert not looks_like_paxlst(b"plain text")


def test_non_ascii_digits_are_not_numbers() -> None:
    # "²" passes str.isdigit() but int() rejects it: must not crash, just be ignored
    data = manifest("NAD+FL+++DOE:JANE'").replace(b"+01:F'", "+0²:F'".encode())
    r = decode_paxlst(data)
    assert r.messages[0].part_number is None
    assert len(r.travellers) == 1
