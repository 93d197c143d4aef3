"""PAXLST decoder unit tests on small invented messages."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.errors import DecodeError, NotEdifactError, NotPaxlstError, NoTravellersError
from schemas.paxlst import clean_document_number, decode_paxlst, looks_like_paxlst

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
        "status": "parsed",
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


# ----------------------------------------------------------------------------- field case 07


def test_case07_doc_without_type_junk_segment_and_wrong_unt() -> None:
    """``DOC++ZX0099887'`` keeps the number with type None; a stray ``L'`` and a wrong UNT
    count are warnings; every traveller is still decoded."""
    body = HEAD + "NAD+FL+++MENSAH:KOFI'ATT+2++M'DOC++ZX0099887'NAD+FL+++OKAFOR:EMEKA'L'"
    data = (body + "UNT+19+M1'UNZ+1+R0001'").encode("ascii")
    r = decode_paxlst(data)
    assert [(t.surname, t.given_names) for t in r.travellers] == [("MENSAH", "KOFI"), ("OKAFOR", "EMEKA")]
    mensah = r.travellers[0]
    assert [d.model_dump() for d in mensah.documents] == [
        {"type": None, "number": "ZX0099887", "issuing_country": None, "expiry_date": None}
    ]
    assert "document_type_missing" in {w.code for w in mensah.warnings}
    got = {w.code: w for w in r.warnings}
    assert got["invalid_segment_tag"].segment == "L"
    assert got["unexpected_segment"].segment == "L"
    assert got["segment_count_mismatch"].message == "UNT says 19 segments, message has 14"
    assert r.errors == []


# ----------------------------------------------------------------------------- field case 17


@pytest.mark.parametrize(
    ("doc", "number", "cleaned"),
    [
        ("DOC+P:110:111+ZK4471203'", "ZK4471203", False),
        ("DOC+P+ZK4471203<'", "ZK4471203", True),  # MRZ filler
        ("DOC+P+ZK4471203<<<'", "ZK4471203", True),
        ("DOC+P+ZK 447 1203'", "ZK4471203", True),
        ("DOC+P+\tZK4471203\x0b'", "ZK4471203", False),  # surrounding whitespace: plain strip
        ("DOC+P+ZK447\x1f1203'", "ZK4471203", True),  # control character inside
        ("DOC+P+PB0O93311'", "PB0O93311", False),  # look-alike O kept: the matcher decides
        ("DOC+P+zk-447.1203'", "zk-447.1203", False),  # case and punctuation kept as sent
        ("DOC+P+00512334'", "00512334", False),  # leading zeros kept
    ],
)
def test_case17_document_number_kept_as_sent_minus_fillers(doc: str, number: str, cleaned: bool) -> None:
    (t,) = decode_paxlst(manifest("NAD+FL+++DOE:JANE'" + doc)).travellers
    assert [d.number for d in t.documents] == [number]
    assert ("document_number_cleaned" in {w.code for w in t.warnings}) is cleaned


@pytest.mark.parametrize("doc", ["DOC+P+<<<'", "DOC+P+   '", "DOC+P+\x7f'"])
def test_case17_number_empty_after_cleaning_is_not_a_document(doc: str) -> None:
    r = decode_paxlst(manifest("NAD+FL+++DOE:JANE'" + doc))
    assert r.travellers[0].documents == []
    assert [e.code for e in r.errors] == ["document_without_number"]


def test_clean_document_number() -> None:
    assert clean_document_number("ZK4471203\n\t\t\t") == "ZK4471203"
    assert clean_document_number("ZK\u200b4471203<") == "ZK4471203"
    assert clean_document_number("<<<") == ""


# ----------------------------------------------------------------------------- BGM and RFF


def with_bgm(bgm: str, *groups: str) -> bytes:
    return manifest(*groups).replace(b"BGM+745'", bgm.encode("ascii"))


@pytest.mark.parametrize(
    ("bgm", "nad", "role", "warned"),
    [
        ("BGM+745'", "FL", "passenger", False),
        ("BGM+250+C'", "FM", "crew", False),
        ("BGM+250+C'", "FL", "crew", True),  # crew list: FL read as crew, warned
        ("BGM+250+C'", "DDT", "in_transit_crew", True),
        ("BGM+336+G'", "FL", "crew", True),  # master crew list
        ("BGM+745'", "FM", "crew", False),  # the NAD qualifier names crew on a passenger list
        ("BGM+655'", "FL", "passenger", False),  # gate pass request
    ],
)
def test_bgm_document_code_and_role(bgm: str, nad: str, role: str, warned: bool) -> None:
    r = decode_paxlst(with_bgm(bgm, f"NAD+{nad}+++DOE:JANE'"))
    (t,) = r.travellers
    assert t.role == role
    assert ("role_from_document_code" in {w.code for w in t.warnings}) is warned
    assert t.source is not None and t.source.document_code == bgm[4:7]


def test_bgm_document_identifier_and_unknown_code() -> None:
    r = decode_paxlst(with_bgm("BGM+999+XX'", "NAD+FL+++DOE:JANE'"))
    assert (r.messages[0].document_code, r.messages[0].document_id) == ("999", "XX")
    assert [w.code for w in r.warnings] == ["unknown_document_code"]


def test_flight_status_message_without_travellers_is_not_rejected() -> None:
    """BGM+266 (flight close-out, CLOB) carries no traveller: an empty result, not a DLQ."""
    r = decode_paxlst(with_bgm("BGM+266+CLOB'"))
    assert r.travellers == []
    assert (r.messages[0].document_code, r.messages[0].document_id) == ("266", "CLOB")
    assert [w.code for w in r.warnings] == ["no_travellers"]
    with pytest.raises(NoTravellersError):
        decode_paxlst(with_bgm("BGM+745'"))


def test_rff_reservation_reference_becomes_record_locator() -> None:
    r = decode_paxlst(
        manifest(
            "NAD+FL+++DOE:JANE'RFF+AVF:QX7P2L'RFF+SEA:23C'RFF+ABO:PAX1'",
            "NAD+FL+++ROE:JOHN'RFF+CR:998'RFF+AEA:X1'RFF+ZZZ:1'",
        )
    )
    a, b = r.travellers
    assert a.source is not None and b.source is not None
    assert (a.source.record_locator, b.source.record_locator) == ("QX7P2L", None)
    assert a.source.message_ref == b.source.message_ref == "M1"
    assert a.warnings == []
    assert [w.code for w in b.warnings] == ["unknown_qualifier"]


# ----------------------------------------------------------------------------- US/EDIFACT legacy


def legacy(*pdts: str) -> bytes:
    """An invented pre-2005 US/EDIFACT PAXLST (CTA, TDT++, LOC+005/PT/008, DTM+136/132, UNS, PDT)."""
    body = (
        "UNH+M300+PAXLST:001:000:ZZ+ZZ301/261129/1015+01:C'"
        "CTA+IC+:ZZ HELP DESK+555-0100:TE'"
        "TDT++ZZ301+40+ZZ'"
        "LOC+005+GBAAA:50'DTM+136+261129+1015+M05'"
        "LOC+PT+IEBBB:50'DTM+132+261129+1140'"
        "LOC+008+USCCC:50'DTM+132+261129+1730+M05'"
        "UNS+D'" + "".join(pdts)
    )
    n = body.count("'") - body.count("?'") + 1
    return (
        "UNA:+.? 'UNB+UNOA:1+ZZAIR:ZZ+USCS:US+261129:0800+R0300++CEDIPAX'"
        "UNG+PAXLST+ZZAIR:ZZ+TECS:US+261129:0800+R0300+ZZ+001:000'" + body + f"UNT+{n}+M300'UNE+1+R0300'UNZ+1+R0300'"
    ).encode("ascii")


def test_legacy_us_edifact_pdt_travellers() -> None:
    r = decode_paxlst(
        legacy(
            "PDT+P/ZX0012345:300615:GB+QUILLMORE:ANWEL:J:800229:M+PAX+GBAAA:USCCC'",
            "PDT+V/ZV778899:281231:US+O?'DELLIX:BRISKA::010101:F+CRW+GBAAA:USCCC'",
            "PDT+A/ZA55<+KARVENBY:EVRIC:::U+ITI+GBAAA:USCCC'",
        )
    )
    got = [(t.role, t.surname, t.given_names, t.gender, t.date_of_birth) for t in r.travellers]
    assert got == [
        ("passenger", "QUILLMORE", "ANWEL J", "M", "1980-02-29"),
        ("crew", "O'DELLIX", "BRISKA", "F", "2001-01-01"),
        ("in_transit_passenger", "KARVENBY", "EVRIC", "U", None),
    ]
    assert [[d.model_dump() for d in t.documents] for t in r.travellers] == [
        [{"type": "P", "number": "ZX0012345", "issuing_country": "GBR", "expiry_date": "2030-06-15"}],
        [{"type": "V", "number": "ZV778899", "issuing_country": "USA", "expiry_date": "2028-12-31"}],
        [{"type": "A", "number": "ZA55", "issuing_country": None, "expiry_date": None}],
    ]
    src = r.travellers[0].source
    assert src is not None and src.flight is not None
    assert src.flight.model_dump() == {
        "carrier": "ZZ",
        "number": "301",
        "departure_airport": "AAA",
        "arrival_airport": "CCC",
        "scheduled_departure": "2026-11-29T10:15",
        "scheduled_arrival": "2026-11-29T17:30",
    }
    h = r.messages[0]
    assert (h.message_version, h.common_access_ref, h.part_number, h.final_part) == (
        "001:000",
        "ZZ301/261129/1015",
        1,
        False,
    )
    assert [w.code for w in r.warnings] == ["document_number_cleaned"]
    assert [t.traveller_id for t in r.travellers] == ["M300-1", "M300-2", "M300-3"]


def test_legacy_pdt_without_status_or_document() -> None:
    r = decode_paxlst(legacy("PDT++ROE:JOHN'", "PDT+ZK4471203+DOE:JANE'"))
    a, b = r.travellers
    assert (a.role, a.surname, a.documents) == ("passenger", "ROE", [])
    assert "unknown_qualifier" in {w.code for w in a.warnings}
    assert [(d.type, d.number) for d in b.documents] == [(None, "ZK4471203")]
