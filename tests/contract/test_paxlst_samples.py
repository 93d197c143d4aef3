"""PAXLST contract tests on the real sample files in ``<repo>/../shared/data/samples/paxlst``.

Expected values were read from the bytes of each file (see SOURCES.md there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas.paxlst import PaxlstDecodeResult, decode_paxlst, looks_like_paxlst

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "samples" / "paxlst"

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"shared sample data not present at {SAMPLES}")


def decode(name: str) -> PaxlstDecodeResult:
    return decode_paxlst((SAMPLES / name).read_bytes())


def codes(result: PaxlstDecodeResult) -> set[str]:
    return {w.code for w in result.warnings}


def test_gtas_apis_message() -> None:
    r = decode("gtas_apisMessage.edi")
    got = [(t.surname, t.given_names, t.gender, t.date_of_birth, t.role) for t in r.travellers]
    assert got == [
        ("CLARK", "MICHAEL", "M", "1972-09-07", "passenger"),
        ("CLARK", "CHERYL", "F", "1973-04-07", "passenger"),
    ]
    src = r.travellers[0].source
    assert src is not None and src.flight is not None
    assert [(leg.carrier, leg.number, leg.departure_airport, leg.arrival_airport) for leg in src.legs] == [
        ("AA", "123", "ATL", "ORD"),
        ("AA", "124", "ORD", "JFK"),
    ]
    assert src.flight.scheduled_departure == "2007-02-19T15:40"
    assert (src.message_ref, src.interchange_ref, src.sender) == ("PAX001", "000006640", "AIR1")
    assert [t.traveller_id for t in r.travellers] == ["PAX001-1", "PAX001-2"]
    # UNT+33 and CNT+42:2 both agree with the message
    assert not codes(r) & {"segment_count_mismatch", "count_mismatch"}
    assert r.errors == []


def test_gtas_crew_list() -> None:
    r = decode("gtas_Test1_crew.edi")
    assert len(r.travellers) == 8
    assert {t.role for t in r.travellers} == {"crew"}
    assert r.messages[0].document_code == "250"
    t = r.travellers[0]
    assert (t.surname, t.given_names, t.gender, t.date_of_birth) == ("Steur", "Andrea Pat", "F", "1978-07-06")
    assert (t.nationality, t.country_of_residence, t.place_of_birth) == ("GBR", "GBR", "Hartford USA")
    (doc,) = t.documents
    # DTM+36:610218 on a 2017-01-27 flight: 1961 and 2061 are both outside the
    # plausible window; 2061 is the nearer century, and the doubt is warned.
    assert doc.model_dump() == {
        "type": "P",
        "number": "123456789",
        "issuing_country": "GBR",
        "expiry_date": "2061-02-18",
    }
    assert "expiry_date_implausible" in {w.code for w in t.warnings}
    assert r.travellers[-1].surname == "Zschieschak"
    assert r.travellers[-1].date_of_birth == "1978-07-13"
    assert t.source is not None and t.source.flight is not None
    assert (t.source.flight.carrier, t.source.flight.number) == ("UA", "0989")
    # CNT+41+8 is malformed (element separator instead of component separator)
    assert "malformed_segment" in codes(r)
    assert "count_mismatch" not in codes(r)


def test_smooks_release_characters() -> None:
    r = decode("smooks_d03b_ace_release_char.edi")
    (t,) = r.travellers
    assert (t.surname, t.given_names, t.gender, t.date_of_birth) == ("AOMAD", "CHRIS", "M", "1935-09-19")
    assert t.nationality == "USA"
    assert [(d.type, d.number, d.issuing_country) for d in t.documents] == [
        ("5K", "P100971204141", "USA"),
        ("39", "15504141", "USA"),
    ]
    assert r.messages[0].message_version == "D:03B"
    assert "segment_count_mismatch" not in codes(r)  # UNT+16 counts `?'` correctly


def test_smooks_release_in_ung_and_nad_address() -> None:
    from schemas.edifact import tokenise

    inter = tokenise((SAMPLES / "smooks_d03b_ace_release_char.edi").read_bytes())
    ung = next(s for s in inter.segments if s.tag == "UNG")
    nad = next(s for s in inter.segments if s.tag == "NAD")
    assert ung.value(2) == "CBP-A+CE-TEST"
    assert nad.value(4) == "11107 SUNSET HILL'S ROAD"
    assert nad.value(5) == "RESTON"


def test_gtas_large_multipart_first_part() -> None:
    r = decode("gtas_Test3_part01C.edi")
    # 260 NAD+FL groups are in the file; CNT+41:206 (wrong qualifier and count) is warned
    assert len(r.travellers) == 260
    assert len({t.traveller_id for t in r.travellers}) == 260
    h = r.messages[0]
    assert (h.part_number, h.final_part, h.common_access_ref) == (1, False, "ABC01")
    odd = next(t for t in r.travellers if t.surname and t.surname.startswith("Nov"))
    assert odd.surname == "Nov‡k"  # 0x87 read as cp1252, never dropped
    assert "doubtful_character" in {w.code for w in odd.warnings}
    assert {"charset_violation", "count_mismatch"} <= codes(r)
    assert r.travellers[0].surname == "Kuchel"
    assert r.travellers[-1].surname == "Pfaffelhuber"


def test_gtas_airline2_star_dollar() -> None:
    r = decode("gtas_airline2_star_dollar_part10F.edi")
    assert len(r.travellers) == 10
    t = r.travellers[0]
    assert (t.surname, t.given_names, t.date_of_birth, t.nationality) == ("BETTON", "DAVID", "1954-10-16", "USA")
    assert [(d.type, d.number, d.expiry_date) for d in t.documents] == [("P", "178556534", "2018-02-21")]
    assert r.travellers[-1].surname == "LOWE"
    h = r.messages[0]
    assert (h.part_number, h.final_part) == (10, True)
    assert t.source is not None and t.source.flight is not None
    assert (t.source.flight.carrier, t.source.flight.number) == ("TN", "506")
    assert {"count_mismatch", "unt_reference_mismatch", "tag_whitespace"} <= codes(r)


def test_gtas_multiple_flight_legs() -> None:
    r = decode("gtas_multiple_flight_leg_apis.edi")
    assert [(t.surname, t.given_names, t.date_of_birth) for t in r.travellers] == [
        ("BARRETT", "TODD", "1968-02-23"),
        ("LANG", "KRISTIN", "1960-06-06"),
    ]
    src = r.travellers[0].source
    assert src is not None and src.flight is not None
    assert len(src.legs) == 3
    assert (src.flight.departure_airport, src.flight.arrival_airport) == ("JFK", "CDG")
    assert r.travellers[1].documents[0].model_dump() == {
        "type": "P",
        "number": "TRQWE99800",
        "issuing_country": "ESP",
        "expiry_date": "2009-09-16",
    }
    assert "trailing_data_ignored" in codes(r)


def test_tamr_several_documents() -> None:
    r = decode("gtas_tamr_flight1_bags_visa.edi")
    assert len(r.travellers) == 10
    jiang = r.travellers[0]
    assert [(d.type, d.number, d.issuing_country, d.expiry_date) for d in jiang.documents] == [
        (None, "433419360", "CHN", "2023-09-20"),
        ("V", "57131424", "USA", "2021-07-29"),
    ]
    cannon = r.travellers[2]
    assert (cannon.surname, cannon.given_names) == ("CANNON", "ALEXANDRA EVA")
    assert [(d.type, d.issuing_country) for d in cannon.documents] == [("P", None), ("V", "USA")]
    assert sum(len(t.documents) for t in r.travellers) == 15
    ogrady = r.travellers[-1]
    assert (ogrady.surname, ogrady.date_of_birth) == ("O GRADY", "2000-05-20")
    assert (r.travellers[7].surname, r.travellers[7].date_of_birth) == ("MUNOZ", "1941-01-08")


def test_ediclean_wrapped_equals_reference() -> None:
    wrapped = decode("ediclean_A_typeb_wrapped_part02.txt")
    reference = decode("ediclean_A_reference_cleaned.edi")
    assert [t.model_dump() for t in wrapped.travellers] == [t.model_dump() for t in reference.travellers]
    assert [m.to_json() for m in wrapped.messages] == [m.to_json() for m in reference.messages]
    (t,) = wrapped.travellers
    assert (t.surname, t.given_names, t.date_of_birth) == ("DJEMFISJER", "REDJAE", "1993-04-08")
    assert {"preamble_ignored", "trailing_data_ignored"} <= codes(wrapped)


@pytest.mark.parametrize(
    ("name", "count", "first", "part", "final"),
    [
        ("ediclean_B_star_hash_part08.txt", 1, ("AERWDEDE", "FERDE H", "1983-02-12"), 8, False),
        ("ediclean_D_stx_etx_dash_part10.txt", 1, ("ERFADFEFW", "HTRFFCE", "1983-10-31"), 10, False),
        ("ediclean_E_stx_etx_dash_part16F.txt", 3, ("ERSFE", "EREWFSDFTY JUDKGFR", "1979-02-01"), 16, True),
    ],
)
def test_ediclean_wrappers(name: str, count: int, first: tuple[str, str, str], part: int, final: bool) -> None:
    r = decode(name)
    assert len(r.travellers) == count
    t = r.travellers[0]
    assert (t.surname, t.given_names, t.date_of_birth) == first
    assert (r.messages[0].part_number, r.messages[0].final_part) == (part, final)


def test_ediclean_e_old_passenger_and_missing_issuer() -> None:
    r = decode("ediclean_E_stx_etx_dash_part16F.txt")
    assert r.travellers[1].date_of_birth == "1949-03-02"
    assert r.travellers[2].documents[0].issuing_country is None


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*")) if SAMPLES.is_dir() else [], ids=lambda p: p.name)
def test_every_sample_sniffs_as_paxlst(path: Path) -> None:
    assert looks_like_paxlst(path.read_bytes())


@pytest.mark.parametrize(
    ("name", "locators"),
    [
        ("ediclean_E_stx_etx_dash_part16F.txt", ["9N2DYZ", "NHSAR4", "ZXNHTW"]),
        ("gtas_apisMessage.edi", ["TYR123", "TYR123"]),
        ("gtas_Test1_crew.edi", [None] * 8),
    ],
)
def test_rff_avf_record_locators(name: str, locators: list[str | None]) -> None:
    r = decode(name)
    assert [t.source.record_locator if t.source else "no source" for t in r.travellers] == locators


def test_tamr_document_without_type_is_kept_and_warned() -> None:
    jiang = decode("gtas_tamr_flight1_bags_visa.edi").travellers[0]
    assert (jiang.documents[0].type, jiang.documents[0].number) == (None, "433419360")
    assert "document_type_missing" in {w.code for w in jiang.warnings}


def test_ace_document_code_is_warned_not_rejected() -> None:
    r = decode("smooks_d03b_ace_release_char.edi")
    assert r.messages[0].document_code == "10"
    assert "unknown_document_code" in codes(r)
    assert len(r.travellers) == 1
