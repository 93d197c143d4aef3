"""PNRGOV contract tests on the real sample files in ``<repo>/../shared/data/samples/pnrgov``.

Expected values were read from the bytes of each file (see SOURCES.md there); the
mutation tests check that damaged real messages never raise anything but DecodeError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.errors import DecodeError
from schemas.pnrgov import PnrgovDecodeResult, decode_pnrgov, looks_like_pnrgov

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "samples" / "pnrgov"

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"shared sample data not present at {SAMPLES}")


def decode(name: str) -> PnrgovDecodeResult:
    return decode_pnrgov((SAMPLES / name).read_bytes())


def codes(result: PnrgovDecodeResult) -> set[str]:
    return {w.code for w in result.warnings}


def row(result: PnrgovDecodeResult, tid: str) -> tuple[object, ...]:
    (t,) = [t for t in result.travellers if t.traveller_id == tid]
    docs = [(d.type, d.number, d.issuing_country, d.expiry_date) for d in t.documents]
    return (t.role, t.surname, t.given_names, t.gender, t.date_of_birth, t.nationality, docs)


# file → (PNRs, travellers): SRC groups and distinct TIF travellers counted in the bytes
COUNTS = {
    "gtas_2_pnrs_basic.edi": (2, 4),
    "gtas_3_pnrs_group_infant_history.edi": (3, 7),
    "gtas_adult_and_infant.edi": (1, 2),
    "gtas_bigbigPnr_47pnrs.edi": (47, 86),
    "gtas_danglingMetaCharacter_dash_star.edi": (1, 1),
    "gtas_no_pnr_history_backslash_release.edi": (3, 4),
    "gtas_pnrEdge_release_plus_truncated.edi": (1, 1),
    "gtas_pnrMessagePg76_wrapped_unterminated.edi": (1, 2),
    "gtas_pnrWithDoco.edi": (1, 1),
    "gtas_pnr_split_3pnrs.edi": (2, 3),
}


@pytest.mark.parametrize(("name", "pnrs", "travellers"), [(n, *c) for n, c in COUNTS.items()])
def test_counts(name: str, pnrs: int, travellers: int) -> None:
    r = decode(name)
    assert (len(r.pnrs), len(r.travellers)) == (pnrs, travellers)
    assert [m.message_type for m in r.messages] == ["PNRGOV"]
    assert sum(len(p.traveller_ids) for p in r.pnrs) == travellers
    assert len({t.traveller_id for t in r.travellers}) == travellers
    assert looks_like_pnrgov((SAMPLES / name).read_bytes())


def test_two_pnrs_basic() -> None:
    r = decode("gtas_2_pnrs_basic.edi")
    assert [p.record_locator for p in r.pnrs] == ["MFN4TI", "23456"]
    assert row(r, "MFN4TI-1") == (
        "passenger",
        "SMITHJR",
        "JOHN",
        "M",
        "1964-07-12",
        "GBR",
        [("P", "123456789", "GBR", "2019-08-23")],
    )
    # SSR DOCS with empty document fields: nationality/DOB/gender kept, no document
    assert row(r, "MFN4TI-2") == ("passenger", "JONES", "WILLIAM", "M", "1964-07-12", "GBR", [])
    # DOCS says MRJONATHON (a different spelling): TIF name kept, warned
    smith = r.travellers[0]
    assert [w.code for w in smith.warnings] == ["docs_name_mismatch"]
    assert smith.source is not None and smith.source.flight is not None
    f = smith.source.flight
    assert (f.carrier, f.number, f.departure_airport, f.arrival_airport, f.scheduled_departure) == (
        "DL", "324", "LHR", "JFK", "2010-12-12T09:15",
    )  # fmt: skip
    assert [(leg.number, leg.departure_airport, leg.arrival_airport) for leg in smith.source.legs] == [
        ("324", "LHR", "JFK"),
        ("330", "JFK", "YVR"),
    ]
    # history kept apart (X cancelled, A added); the meal code AVML and the sponsor's
    # name and address (IFT 4:43) appear nowhere with the default drop_sensitive
    hist = r.pnrs[0].history
    assert [c["action"] for c in hist[0]["changes"]][:2] == ["X", "X"]
    assert "AVML" not in json.dumps(r.to_json())
    assert "TIMOTHY SIMS" not in json.dumps(r.to_json())
    assert r.pnrs[1].history[0]["changes"][1]["items"] == [
        {"segment": "TIF", "surname": "WAYNE", "given_names": "JOHN", "traveller_ref": "1"}
    ]


def test_group_infant_history() -> None:
    r = decode("gtas_3_pnrs_group_infant_history.edi")
    assert row(r, "W9TEND-1") == (
        "passenger", "VANDENBERG", "KEVINMICHAEL", "M", "1980-07-04", "USA", [("P", "548721687", "USA", "2019-01-12")],
    )  # fmt: skip
    assert row(r, "D1RGHI-3") == (
        "infant",
        "DYE",
        "ARCHER",
        "M",
        "2012-04-15",
        "USA",
        [("P", "654321987", "USA", "2019-12-31")],
    )
    archer = r.travellers[3]
    assert archer.source is not None and archer.source.model_extra is not None
    assert archer.source.model_extra["accompanying_traveller_id"] == "D1RGHI-2"  # KAYLA, ref 43578
    assert row(r, "D1RGHI-2")[1:3] == ("DYE", "KAYLA")
    assert [t.given_names for t in r.travellers if t.traveller_id.startswith("GBFKSK")] == ["LISAL", "HUNTER", "SETH"]
    assert {"group_name_skipped", "placeholder_name_skipped"} <= codes(r)
    assert [p.booking_date for p in r.pnrs] == ["2013-05-23"] * 3
    assert len(r.pnrs[0].history) == 3
    assert r.pnrs[0].history[0]["changes"] == [{"action": "X", "items": [{"segment": "IFT", "qualifier": "4:19"}]}]
    assert "VANDENBERG KEVIN 20" not in json.dumps(r.to_json())  # IFT 4:19 history text


def test_adult_and_infant() -> None:
    r = decode("gtas_adult_and_infant.edi")
    assert row(r, "XXXYET-1") == (
        "passenger",
        "TESTSURNAMEONE",
        "TESTNAMEONE",
        "F",
        "1976-05-30",
        "COL",
        [("P", "52263000", "COL", "2015-10-31")],
    )
    assert row(r, "XXXYET-2") == (
        "infant",
        "TESTSURNAMETWO",
        "TESTNAMETWO",
        "F",
        "2011-08-10",
        "COL",
        [("P", "AO234000", "COL", "2022-12-21")],
    )
    src = r.travellers[1].source
    assert src is not None and src.model_extra == {"push_type": "22", "accompanying_traveller_id": "XXXYET-1"}
    assert r.travellers[0].warnings == []  # DOCS surname "TESTSURNA MEONE" is the same name
    assert "ADV TKT NUMBER" not in json.dumps(r.to_json())  # SSR OTHS free text


def test_big_big_pnr_47_pnrs() -> None:
    r = decode("gtas_bigbigPnr_47pnrs.edi")
    assert r.pnrs[0].record_locator == "BGXFR4" and r.pnrs[1].record_locator == "8S2818"
    assert row(r, "BGXFR4-1") == (
        "passenger",
        "LAI",
        "BI",
        "F",
        "1989-05-28",
        None,
        [("P", "191259499", "ERI", "2022-07-24")],
    )
    assert row(r, "8S2818-2") == (
        "passenger",
        "GUZMAN",
        "PENELOPE",
        "F",
        "1939-09-03",
        None,
        [("P", "692281869", "USA", "2026-10-14")],
    )
    # nationality "0" is not a country: dropped with a warning on the traveller
    assert [w.code for w in r.travellers[0].warnings] == ["invalid_country_code"]
    # EQN+1 at level 0 but 47 SRC groups
    assert [w.message for w in r.warnings if w.code == "pnr_count_mismatch"] == ["EQN says 1 PNRs, message has 47"]
    # the e-mail and DOCS text holding "UNT" never ended the message early
    assert "segment_count_mismatch" in codes(r)
    assert "FOP" not in json.dumps([p.payments for p in r.pnrs]) and all(p.payments == [] for p in r.pnrs)


def test_dangling_meta_character_dash_star() -> None:
    r = decode("gtas_danglingMetaCharacter_dash_star.edi")
    assert row(r, "BGXFR4-1") == (
        "passenger",
        "SERIO",
        "REUBEN",
        "M",
        "1994-10-20",
        "THA",
        [("P", "9173574", "THA", "2028-04-20")],
    )
    (pnr,) = r.pnrs
    assert [(f.carrier, f.number) for f in pnr.itinerary] == [("VS", "138"), ("BA", "117"), ("DL", "441")]
    assert r.messages[0].interchange_ref == "0.579602"
    assert len(pnr.history) == 1  # the trailing ABI


def test_backslash_release_codeshare_two_locators() -> None:
    r = decode("gtas_no_pnr_history_backslash_release.edi")
    assert [(p.record_locator, p.other_locators) for p in r.pnrs] == [
        ("3MZVP2", ["AC:P46KA5"]),
        ("33O6DK", ["1G:MS6HXI"]),
        ("35K2IO", ["1S:EVFSDI"]),
    ]
    assert row(r, "3MZVP2-1") == ("passenger", "JACKS", "JAMES", "M", "1966-04-21", None, [])
    assert row(r, "33O6DK-1") == (
        "passenger",
        "CARRERA",
        "MARCUS",
        "M",
        "1980-04-17",
        "ITA",
        [("P", "YA0196755", "ITA", "2020-01-11")],
    )
    assert row(r, "35K2IO-1")[1:5] == ("DORON", "NINA", "F", "1953-02-05")
    # "TVL+++++474:U" (operating flight of a codeshare) is not a leg
    assert [(f.carrier, f.number) for f in r.pnrs[0].itinerary] == [("AC", "9099")]


def test_edge_release_plus_inside_email() -> None:
    r = decode("gtas_pnrEdge_release_plus_truncated.edi")
    assert row(r, "7C789A-1") == ("passenger", "LOBB", "MOLLY", None, None, None, [])
    assert r.pnrs[0].booking_date == "2018-08-23"
    full = decode_pnrgov((SAMPLES / "gtas_pnrEdge_release_plus_truncated.edi").read_bytes(), drop_sensitive=False)
    assert full.pnrs[0].free_text == [{"qualifier": "4:28:YY", "text": "CTCE MOLLY..LOUUNT+50BB//GMAIL.COM"}]


def test_page76_wrapped_unterminated() -> None:
    r = decode("gtas_pnrMessagePg76_wrapped_unterminated.edi")
    assert r.messages[0].message_ref == "00102181551362"
    assert r.messages[0].common_access_ref == "AUTZ000623052013221001SIN20130528"
    assert [row(r, tid)[1:5] for tid in ("35K2IO-1", "35K2IO-2")] == [
        ("DORON", "NINA", "F", "1953-02-05"),
        ("LENDROT", "CHARLOTTE", "F", "1952-02-14"),
    ]
    assert "unterminated_segment" in codes(r)


def test_pnr_with_doco() -> None:
    r = decode("gtas_pnrWithDoco.edi")
    (t,) = r.travellers
    assert (t.surname, t.given_names, t.gender, t.date_of_birth, t.place_of_birth) == (
        "ACKARY", "CHARLES", "M", "1948-12-26", "HERE VA",
    )  # fmt: skip
    assert [(d.type, d.number, d.issuing_country, d.expiry_date) for d in t.documents] == [
        ("P", "602120901", "GBR", "2021-01-30"),
        ("V", "8675309", None, None),
    ]
    assert "YAHOO" not in json.dumps(r.to_json())


def test_split_pnrs() -> None:
    r = decode("gtas_pnr_split_3pnrs.edi")
    assert [(t.traveller_id, t.surname, t.given_names) for t in r.travellers] == [
        ("ICOXXX-1", "TESTSURNAMEONE", "TESTNAMEONE"),
        ("ICOXXX-2", "TESTSURNAMEONE", "TESTNAMETWO"),
        ("BJOXXX-1", "TESTSURNAMETHREE", "TESTNAMETHREE"),
    ]
    assert row(r, "BJOXXX-1")[3:] == ("M", "1994-10-14", "COL", [("P", "AO589000", "COL", "2023-05-08")])
    # the trailing "EQN+1 / RCI+AM:ZLMXXX" has no SRC and no TIF: kept as a locator, warned
    assert r.pnrs[1].other_locators == ["AM:ZLMXXX"]
    assert "unexpected_segment" in codes(r)


# ----------------------------------------------------------------------------- mutations

SMALL = sorted(p.name for p in SAMPLES.glob("*.edi") if p.stat().st_size < 8000) if SAMPLES.is_dir() else ["none"]
_SERVICE = b"'+:?*-\\\r\n UNTSRCTIF"


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    name = draw(st.sampled_from(SMALL))
    data = bytearray((SAMPLES / name).read_bytes())
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        pos = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["flip", "delete", "insert", "truncate", "service"]))
        if op == "flip":
            data[pos] = draw(st.integers(0, 255))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 40))]
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=12))
        elif op == "truncate":
            del data[pos:]
        else:
            data[pos] = _SERVICE[draw(st.integers(0, len(_SERVICE) - 1))]
    return bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated())
def test_mutated_samples_raise_only_decode_error(data: bytes) -> None:
    try:
        r = decode_pnrgov(data)
    except DecodeError:
        return
    assert sum(len(p.traveller_ids) for p in r.pnrs) == len(r.travellers)
    json.dumps(r.to_json())


@settings(max_examples=20, deadline=None)
@given(cut=st.integers(0, 71540), junk=st.binary(max_size=20))
def test_mutated_big_sample(cut: int, junk: bytes) -> None:
    raw = (SAMPLES / "gtas_bigbigPnr_47pnrs.edi").read_bytes()
    try:
        r = decode_pnrgov(raw[:cut] + junk + raw[cut + len(junk) :])
    except DecodeError:
        return
    assert sum(len(p.traveller_ids) for p in r.pnrs) == len(r.travellers)
