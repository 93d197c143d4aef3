"""Unit tests for the PNRGOV decoder (``schemas.pnrgov``): field cases 01, 02, 03 and 07
(PNRGOV parts), titles, infants, document attachment, data protection and errors."""

from __future__ import annotations

import json
from datetime import date

import pytest

from schemas.errors import DecodeError, NotEdifactError, NoTravellersError
from schemas.pnrgov import (
    NotPnrgovError,
    PnrgovDecodeResult,
    decode_pnrgov,
    looks_like_pnrgov,
    mask_card_number,
    split_title,
)
from schemas.records import Traveller


def pnrgov(*body: str, una: str = "UNA:+.? '", rel: str = "?", unt: int | None = None) -> bytes:
    """A one-message PNRGOV interchange around ``body`` lines (default delimiters);
    ``rel`` replaces ``?`` in the body so the same case runs with another release char."""
    lines = [
        "UNB+IATA:1+ZZ+ZZBORDER+261129:1200+R0001'",
        "UNH+1+PNRGOV:13:1:IA+ZZ0001'",
        "MSG+:22'",
        "ORG+ZZ'",
        "TVL+291126:1015+AAA+BBB+ZZ+0421'",
        "EQN+1'",
        *(line.replace("?", rel) for line in body),
    ]
    count = unt if unt is not None else len(lines)  # UNH..UNT inclusive = len(lines) - 1 + 1
    lines += [f"UNT+{count}+1'", "UNZ+1+R0001'"]
    return (una + "\n" + "\n".join(lines) + "\n").encode("latin-1")


def one(result: PnrgovDecodeResult, surname: str, given: str | None = None) -> Traveller:
    found = [t for t in result.travellers if t.surname == surname and (given is None or t.given_names == given)]
    assert len(found) == 1, [t.display_name() for t in result.travellers]
    return found[0]


def codes(result: PnrgovDecodeResult) -> set[str]:
    return {w.code for w in result.warnings}


# ----------------------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("raw", "given", "title"),
    [
        ("ASTRIDMS", "ASTRID", "MS"),
        ("MA?TAMRS", "MA?TA", "MRS"),
        ("JOHNMR", "JOHN", "MR"),
        ("KEVINMICHAELMR", "KEVINMICHAEL", "MR"),
        ("NINA MS", "NINA", "MS"),
        ("TESTNAMEONE MRS", "TESTNAMEONE", "MRS"),
        ("TOMMSTR", "TOM", "MSTR"),
        ("THOMAS", "THOMAS", None),
        ("EMMA", "EMMA", None),
        ("WILLIAMS", "WILLIAMS", None),
        ("ALEKSANDR", "ALEKSANDR", None),
        ("AMR", "AMR", None),  # two letters must remain: never eat the name
        ("AMRMR", "AMR", "MR"),
        ("  JOHN   PAUL  ", "JOHN PAUL", None),
        ("", "", None),
    ],
)
def test_split_title(raw: str, given: str, title: str | None) -> None:
    assert split_title(raw) == (given, title)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [("3717XXXXXXX5115", "XXXXXXXXXXX5115"), ("4111111111111111", "XXXXXXXXXXXX1111"), ("123", "XXX")],
)
def test_mask_card_number(raw: str, masked: str) -> None:
    assert mask_card_number(raw) == masked


# ----------------------------------------------------------------------------- case 01


RELEASE_CASES = [
    ("IFT+4:28::ZZ+GATE CHANGE??'", "GATE CHANGE?"),
    ("IFT+4:28::ZZ+SEAT 12A???'OK'", "SEAT 12A?'OK"),
    ("IFT+4:28::ZZ+X????'", "X??"),
    ("IFT+4:28::ZZ+WHY??????'", "WHY???"),
    ("IFT+4:28::ZZ+ONE?+TWO?:THREE'", "ONE+TWO:THREE"),
    ("IFT+4:28::ZZ+MAIL AT?@HOST'", "MAIL AT@HOST"),
]


@pytest.mark.parametrize(("una", "rel"), [("UNA:+.? '", "?"), ("UNA:+.\\ '", "\\")])
@pytest.mark.parametrize(("line", "text"), RELEASE_CASES)
def test_case01_release_parity_in_free_text(line: str, text: str, una: str, rel: str) -> None:
    data = pnrgov("SRC'", "RCI+ZZ:AB12CD'", line, "TIF+NOWAK+ANNAMS:A:1'", "SRC'", una=una, rel=rel)
    r = decode_pnrgov(data, drop_sensitive=False)
    (pnr,) = [p for p in r.pnrs if p.record_locator == "AB12CD"]
    assert pnr.free_text == [{"qualifier": "4:28:ZZ", "text": text.replace("?", rel)}]
    # the IFT is one segment: the TIF after it is still a traveller of the same PNR
    assert [(t.surname, t.given_names) for t in r.travellers] == [("NOWAK", "ANNA")]
    assert "segment_count_mismatch" not in codes(r)
    assert ("release_before_non_service_char" in codes(r)) == ("@" in line)


@pytest.mark.parametrize(("una", "rel"), [("UNA:+.? '", "?"), ("UNA:+.\\ '", "\\")])
def test_case01_literal_release_in_tif_name(una: str, rel: str) -> None:
    r = decode_pnrgov(pnrgov("SRC'", "RCI+ZZ:AB12CD'", "TIF+WOJCIK+MA???TAMRS:A:1'", una=una, rel=rel))
    t = one(r, "WOJCIK")
    assert t.given_names == f"MA{rel}TA"
    if rel == "?":
        assert [w.code for w in t.warnings] == ["unknown_character_in_name"]


# ----------------------------------------------------------------------------- case 02


CASE02 = (
    b"UNA:+.? '\r\n"
    b"UNB+UNOA:4+ZZAIR+ZZBORDER+261129:0800+R0002'\r\n"
    b"UNH+1+PNRGOV:13:1:IA+ZZ0202'\n"
    b"MSG+:22'\n"
    b"ORG+ZZ'\r"
    b"TVL+291126:1015+AAA+BBB+ZZ+0421'\r\n"
    b"EQN+1'\r\n"
    b"SRC'\r\n"
    b"RCI+ZZ:LQ4MZT'\r\n"
    b"TIF+LINDQVIST+ASTRIDMS:A:1'\r\n"
    b"FTI+ZZ:0000123456::\r\n"
    b":GOLD'\r\n"
    b"IFT+4:28::ZZ+PASSENGER REQUESTS ASSISTANCE AT ARRIVAL GATE PLE\r\n"
    b"ASE MEET'\r\n"
    b"SSR+DOCS:HK::ZZ:::::/P/SWE/XY0001234/SWE/17APR91/F/30JUN30/LIN\r\n"
    b"DQVIST/ASTRID'\r\n"
    b"UNT+12+1'\r\n"
    b"UNZ+1+R0002'\r\n"
)


def test_case02_newlines_are_layout() -> None:
    r = decode_pnrgov(CASE02, drop_sensitive=False)
    (t,) = r.travellers
    assert (t.traveller_id, t.surname, t.given_names, t.gender, t.date_of_birth, t.nationality) == (
        "LQ4MZT-1",
        "LINDQVIST",
        "ASTRID",
        "F",
        "1991-04-17",
        "SWE",
    )
    assert [d.model_dump() for d in t.documents] == [
        {"type": "P", "number": "XY0001234", "issuing_country": "SWE", "expiry_date": "2030-06-30"}
    ]
    assert t.warnings == []  # DOCS surname rejoined: no name mismatch
    assert r.pnrs[0].free_text == [
        {"qualifier": "4:28:ZZ", "text": "PASSENGER REQUESTS ASSISTANCE AT ARRIVAL GATE PLEASE MEET"}
    ]
    assert not codes(r) & {"segment_count_mismatch", "tag_whitespace"}


def test_case02_known_limit_space_replaced_by_line_break() -> None:
    data = CASE02.replace(b"LIN\r\nDQVIST/ASTRID", b"LINDQVIST/ANNA\r\nASTRID")
    t = decode_pnrgov(data).travellers[0]
    # the sender's space became a line break: the words run together (matcher tolerates it)
    assert t.given_names == "ASTRID"
    assert [w.code for w in t.warnings] == ["docs_name_mismatch"]


# ----------------------------------------------------------------------------- case 03


CASE03A = (
    b"UNA:+.?*'\n"
    b"UNB+IATA:1+ZZ+ZZBORDER+261129:0930+R0003'\n"
    b"UNH+1+PNRGOV:13:1:IA+ZZ0303'\n"
    b"MSG+:22'\n"
    b"ORG+ZZ'\n"
    b"TVL+291126:1015+AAA+BBB+ZZ+0421'\n"
    b"EQN+1'\n"
    b"SRC'\n"
    b"RCI+ZZ:W8DKQ2'\n"
    b"TIF+ACHTERBERG+FLORISMR:A:1'\n"
    b"IFT+4:28::ZZ+CTCE FLORIS.A*WORK//EXAMPLE.NET'\n"
    b"LTS+0/O/SS/ZZ0421 Y 29NOV 6 AAABBB HK1 1015 1240 *1A/E*'\n"
    b"UNT+11+1'\n"
    b"UNZ+1+R0003'\n"
)


def test_case03_star_is_data_not_repetition() -> None:
    r = decode_pnrgov(CASE03A, drop_sensitive=False)
    assert [(t.surname, t.given_names) for t in r.travellers] == [("ACHTERBERG", "FLORIS")]
    assert r.pnrs[0].free_text == [
        {"qualifier": "4:28:ZZ", "text": "CTCE FLORIS.A*WORK//EXAMPLE.NET"},
        {"qualifier": "LTS", "text": "0/O/SS/ZZ0421 Y 29NOV 6 AAABBB HK1 1015 1240 *1A/E*"},
    ]
    assert "segment_count_mismatch" not in codes(r)


def test_case03_default_drop_sensitive_keeps_no_contact_text() -> None:
    blob = json.dumps(decode_pnrgov(CASE03A).to_json())
    assert "EXAMPLE.NET" not in blob and "AAABBB HK1" not in blob


# ----------------------------------------------------------------------------- case 07


CASE07 = (
    b"UNA:+.?*'\n"
    b"UNB+IATA:1+ZZ+ZZBORDER+261129:1200+R0007'\n"
    b"UNH+1+PNRGOV:13:1:IA+ZZ0707'\n"
    b"MSG+:22'\n"
    b"ORG+ZZ'\n"
    b"TVL+291126:1015+AAA+BBB+ZZ+0421'\n"
    b"EQN+3'\n"
    b"SRC'\n"
    b"RCI+ZZ:QX7P2L'\n"
    b"SSR+DOCS:HK:1:ZZ:::::/P/GHA/ZG0771234/GHA/21AUG79/M/02FEB29/MENSAH/KOFI+::1'\n"
    b"TIF+MENSAH+KOFIMR:A:1'\n"
    b"SSR+DOCS:HK::ZZ:::::/P/GBR/ZB7731902/GBR///15JAN30/OKAFOR/EMEKA'\n"
    b"TIF+OKAFOR+EMEKAMR:A:2'\n"
    b"SSR+DOCS:HK::ZZ:::::////GBR/05MAY25/FI//OKAFOR/ADA'\n"
    b"TIF+OKAFOR+ADA:IN:3'\n"
    b"TVL+291126:1015+AAA+BBB+ZZ+0421'\n"
    b"TIF+MENSAH+KOFIMR:A:1'\n"
    b"L'\n"
    b"UNT+19+1'\n"
    b"UNZ+1+R0007'\n"
)


def test_case07_partial_docs_tolerant_grammar() -> None:
    r = decode_pnrgov(CASE07)
    got = [
        (
            t.traveller_id,
            t.surname,
            t.given_names,
            t.role,
            t.gender,
            t.date_of_birth,
            [(d.type, d.issuing_country, d.number, d.expiry_date) for d in t.documents],
        )
        for t in r.travellers
    ]
    assert got == [
        ("QX7P2L-1", "MENSAH", "KOFI", "passenger", "M", "1979-08-21", [("P", "GHA", "ZG0771234", "2029-02-02")]),
        ("QX7P2L-2", "OKAFOR", "EMEKA", "passenger", None, None, [("P", "GBR", "ZB7731902", "2030-01-15")]),
        ("QX7P2L-3", "OKAFOR", "ADA", "infant", "F", "2025-05-05", []),
    ]
    emeka, ada = r.travellers[1], r.travellers[2]
    assert [w.code for w in emeka.warnings] == ["docs_incomplete"]
    assert "gender and date of birth" in emeka.warnings[0].message
    assert [w.code for w in ada.warnings] == ["docs_without_document"]
    assert ada.source is not None and ada.source.model_extra == {
        "push_type": "22",
        "accompanying_traveller_id": "QX7P2L-2",
    }
    mismatch = [w for w in r.warnings if w.code == "segment_count_mismatch"]
    assert [w.message for w in mismatch] == ["UNT says 19 segments, message has 17"]
    assert "unknown_segment" in codes(r)
    assert r.pnrs[0].traveller_ids == ["QX7P2L-1", "QX7P2L-2", "QX7P2L-3"]
    assert r.errors == []


@pytest.mark.parametrize(
    ("gender", "expected", "role"),
    [("M", "M", "passenger"), ("F", "F", "passenger"), ("MI", "M", "infant"), ("FI", "F", "infant"),
     ("U", None, "passenger"), ("X", None, "passenger"), ("", None, "passenger")],
)  # fmt: skip
def test_case07_docs_gender_map(gender: str, expected: str | None, role: str) -> None:
    data = pnrgov(
        "SRC'",
        "RCI+ZZ:AB12CD'",
        "TIF+BERG+LARS:A:1'",
        f"SSR+DOCS:HK::ZZ:::::/P/NOR/N1234567/NOR/01JAN80/{gender}/01JAN30/BERG/LARS+::1'",
    )
    (t,) = decode_pnrgov(data).travellers
    assert (t.gender, t.role) == (expected, role)


def test_case07_docs_at_pnr_level_attached_by_name() -> None:
    data = pnrgov(
        "SRC'",
        "RCI+ZZ:AB12CD'",
        "SSR+DOCS:HK::ZZ:::::/P/FIN/FP1111111/FIN/02FEB82/F/01JAN30/VIRTANEN/AINO'",
        "SSR+DOCS:HK::ZZ:::::/P/FIN/FP2222222/FIN/03MAR81/M/01JAN30/KORHONEN/EERO'",
        "TIF+KORHONEN+EEROMR:A:1'",
        "TIF+VIRTANEN+AINOMS:A:2'",
    )
    r = decode_pnrgov(data)
    assert [(t.surname, t.documents[0].number, t.date_of_birth) for t in r.travellers] == [
        ("KORHONEN", "FP2222222", "1981-03-03"),
        ("VIRTANEN", "FP1111111", "1982-02-02"),
    ]


def test_case07_orphan_docs_becomes_a_traveller_of_its_own() -> None:
    data = pnrgov(
        "SRC'",
        "RCI+ZZ:AB12CD'",
        "TIF+KORHONEN+EEROMR:A:1'",
        "TIF+VIRTANEN+AINOMS:A:2'",
        "TVL+291126:1015+AAA+BBB+ZZ+0421'",
        "SSR+DOCS:HK::ZZ:::::/P/FIN/FP3333333/FIN/04APR70/M/01JAN30/LAINE/OTTO'",
    )
    r = decode_pnrgov(data)
    assert len(r.travellers) == 3
    otto = one(r, "LAINE", "OTTO")
    assert (otto.traveller_id, otto.documents[0].number) == ("AB12CD-3", "FP3333333")
    assert [w.code for w in otto.warnings] == ["orphan_docs"]


# ----------------------------------------------------------------------------- travellers


def test_docs_name_differs_from_tif_tif_kept_with_warning() -> None:
    data = pnrgov(
        "SRC'",
        "RCI+ZZ:AB12CD'",
        "TIF+SMITH+JOHNMR:A:1'",
        "SSR+DOCS:HK::ZZ:::::/P/GBR/123456789/GBR/12JUL64/M/23AUG30/BROWN/PETER+::1'",
    )
    (t,) = decode_pnrgov(data).travellers
    assert (t.surname, t.given_names, t.documents[0].number) == ("SMITH", "JOHN", "123456789")
    assert [w.code for w in t.warnings] == ["docs_name_mismatch"]
    assert "BROWN" not in t.warnings[0].message  # no personal data in warnings


def test_middle_names_in_docs_are_not_a_mismatch() -> None:
    data = pnrgov(
        "SRC'", "RCI+ZZ:AB12CD'", "TIF+VANDENBERG+KEVINMICHAELMR:A:1'",
        "SSR+DOCS:HK::ZZ:::::/P/USA/548721687/USA/04JUL80/M/12JAN30/VANDENBERG/KEVIN/MICHAEL+::1'",
    )  # fmt: skip
    (t,) = decode_pnrgov(data).travellers
    assert t.warnings == []


def test_pnr_without_docs_still_yields_travellers_and_infant_from_inft() -> None:
    data = pnrgov(
        "SRC'",
        "RCI+ZZ:AB12CD::201126:1000'",
        "TIF+SILVA+MARIAMRS:A:1:1'",
        "TVL+291126:1015+AAA+BBB+ZZ+0421:Y'",
        "SSR+INFT:HK:1:ZZ:::AAA:BBB:SILVA/LUIS 15APR26+::1'",
        "SSR+INFT:HK:1:ZZ:::AAA:BBB:SILVA/LUIS 15APR26+::1'",
    )
    r = decode_pnrgov(data)
    mother, baby = r.travellers
    assert (mother.surname, mother.given_names, mother.documents) == ("SILVA", "MARIA", [])
    assert (baby.role, baby.surname, baby.given_names, baby.date_of_birth) == ("infant", "SILVA", "LUIS", "2026-04-15")
    assert baby.source is not None and baby.source.model_extra is not None
    assert baby.source.model_extra["accompanying_traveller_id"] == "AB12CD-1"
    assert r.pnrs[0].booking_date == "2026-11-20"


def test_source_identity_and_legs() -> None:
    data = pnrgov(
        "SRC'",
        "RCI+ZZ:AB12CD'",
        "TIF+BERG+LARS:A:1'",
        "TVL+281126:0700:281126:0900+CCC+AAA+ZY:ZZ+0007:Y'",
        "TVL+291126:1015::1240+AAA+BBB+ZZ+0421:Y'",
        "TVL+++++474:U'",  # codeshare continuation: not a leg
    )
    (t,) = decode_pnrgov(data).travellers
    src = t.source
    assert src is not None and src.flight is not None
    assert (src.format, src.message_ref, src.interchange_ref, src.sender, src.record_locator) == (
        "PNRGOV", "1", "R0001", "ZZ", "AB12CD",
    )  # fmt: skip
    assert (src.flight.carrier, src.flight.number, src.flight.scheduled_departure) == ("ZZ", "0421", "2026-11-29T10:15")
    assert [
        (f.carrier, f.number, f.departure_airport, f.scheduled_departure, f.scheduled_arrival) for f in src.legs
    ] == [
        ("ZY", "0007", "CCC", "2026-11-28T07:00", "2026-11-28T09:00"),
        ("ZZ", "0421", "AAA", "2026-11-29T10:15", "2026-11-29T12:40"),
    ]


@pytest.mark.parametrize(
    ("raw", "expected"), [("17MAY38", "1938-05-17"), ("01JAN26", "2026-01-01"), ("12JUL1964", "1964-07-12")]
)
def test_birth_century_relative_to_flight(raw: str, expected: str) -> None:
    data = pnrgov(
        "SRC'", "RCI+ZZ:AB12CD'", "TIF+BERG+LARS:A:1'", f"SSR+DOCS:HK::ZZ:::::/P/NOR/N1/NOR/{raw}/M/01JAN30/BERG/LARS'"
    )
    assert decode_pnrgov(data).travellers[0].date_of_birth == expected


def test_group_names_and_tba_placeholders_are_counted_not_travellers() -> None:
    data = pnrgov(
        "SRC'", "RCI+ZZ:AB12CD'", "TIF+ACME TEAM PARTY:G'", "TIF+TBA+C:A:2'", "TIF+TBA+D:A:3'", "TIF+BERG+LARS:A:1'"
    )
    r = decode_pnrgov(data)
    assert [t.surname for t in r.travellers] == ["BERG"]
    msgs = {w.code: w.message for w in r.warnings}
    assert msgs["group_name_skipped"].startswith("1 ")
    assert msgs["placeholder_name_skipped"].startswith("2 ")


def test_traveller_ids_unique_when_a_locator_repeats() -> None:
    data = pnrgov("SRC'", "RCI+ZZ:AB12CD'", "TIF+BERG+LARS:A:1'", "SRC'", "RCI+ZZ:AB12CD'", "TIF+BERG+LARS:A:1'")
    assert [t.traveller_id for t in decode_pnrgov(data).travellers] == ["AB12CD-1", "AB12CD#2-1"]


# ----------------------------------------------------------------------------- data protection

SENSITIVE = ("MUSLIM MEAL", "WHEELCHAIR", "PREGNANT", "MOML", "WCHR", "4111111111111111", "SECRET STREET", "555 0100")


def test_sensitive_free_text_payment_and_contact_never_in_output() -> None:
    data = pnrgov(
        "SRC'",
        "RCI+ZZ:AB12CD'",
        "IFT+4:28::ZZ+PAX REQUESTS MUSLIM MEAL'",
        "ADD++700:1 SECRET STREET:TOWN::ZZ:12345:555 0100'",
        "TIF+BERG+LARS:A:1'",
        "SSR+MOML:HK:1:ZZ+::1'",
        "SSR+WCHR:HK:1:ZZ:::::WHEELCHAIR TO GATE+::1'",
        "SSR+OTHS:::::::: PAX PREGNANT 30 WEEKS'",
        "FOP+CC:::VI:4111111111111111:0930'",
        "ABI+1+:AGENT+LON++ZZ'",
        "DAT+T:201126:1000'",
        "SAC+++A'",
        "SSR+WCHR:HK:1:ZZ+::1'",
        "IFT+4:19+WHEELCHAIR PREGNANT MUSLIM MEAL'",
    )
    r = decode_pnrgov(data)
    blob = json.dumps(r.to_json())
    for word in SENSITIVE:
        assert word not in blob
    (t,) = r.travellers
    assert t.surname == "BERG"
    hist = r.pnrs[0].history
    assert hist[0]["action_at"] == "2026-11-20T10:00"
    assert hist[0]["changes"] == [
        {"action": "A", "items": [{"segment": "SSR", "code": None}, {"segment": "IFT", "qualifier": "4:19"}]}
    ]


def test_drop_sensitive_false_keeps_it_on_the_pnr_only_and_masks_cards() -> None:
    data = pnrgov(
        "SRC'", "RCI+ZZ:AB12CD'", "TIF+BERG+LARS:A:1'", "IFT+4:28::ZZ+WHEELCHAIR'", "FOP+CC:::VI:4111111111111111:0930'"
    )
    r = decode_pnrgov(data, drop_sensitive=False)
    assert "WHEELCHAIR" not in r.travellers[0].model_dump_json()
    assert r.pnrs[0].payments == [{"type": "CC", "vendor": "VI", "card_number": "XXXXXXXXXXXX1111"}]
    raw = decode_pnrgov(data, drop_sensitive=False, mask_payment=False)
    assert raw.pnrs[0].payments[0]["card_number"] == "4111111111111111"


# ----------------------------------------------------------------------------- errors


PAXLST = b"UNB+UNOA:4+ZZ+ZZ+261129:0800+R1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'NAD+FL+++DOE:JOHN'UNT+4+1'UNZ+1+R1'"


@pytest.mark.parametrize(
    ("data", "exc", "reason"),
    [
        (b"hello world, no edifact here", NotEdifactError, "not_edifact"),
        (PAXLST, NotPnrgovError, "not_pnrgov"),
        (pnrgov("SRC'", "RCI+ZZ:AB12CD'", "TIF+ACME TEAM PARTY:G'"), NoTravellersError, "no_travellers"),
    ],
)
def test_decode_errors(data: bytes, exc: type[DecodeError], reason: str) -> None:
    with pytest.raises(exc) as info:
        decode_pnrgov(data)
    assert info.value.reason == reason


def test_empty_push_with_eqn_zero_is_not_an_error() -> None:
    data = pnrgov(unt=None).replace(b"EQN+1'", b"EQN+0'")
    r = decode_pnrgov(data)
    assert (r.pnrs, r.travellers, [m.message_type for m in r.messages]) == ([], [], ["PNRGOV"])
    assert "no_pnrs" in codes(r)


def test_reference_date_used_without_any_date() -> None:
    data = (
        b"UNH+1+PNRGOV:13:1:IA'SRC'RCI+ZZ:AB12CD'TIF+BERG+LARS:A:1'"
        b"SSR+DOCS:HK::ZZ:::::/P/NOR/N1/NOR/17MAY38/M/01JAN30/BERG/LARS'UNT+6+1'"
    )
    t = decode_pnrgov(data, reference_date=date(2040, 1, 1)).travellers[0]
    assert t.date_of_birth == "2038-05-17"
    t = decode_pnrgov(data, reference_date=date(2037, 1, 1)).travellers[0]
    assert t.date_of_birth == "1938-05-17"


def test_looks_like_pnrgov() -> None:
    assert looks_like_pnrgov(CASE07)
    assert not looks_like_pnrgov(PAXLST)
    assert not looks_like_pnrgov(b"\x00\x01 not edifact")


def test_pnr_data_without_src_is_still_a_pnr() -> None:
    r = decode_pnrgov(pnrgov("RCI+ZZ:AB12CD'", "TIF+BERG+LARS:A:1'"))
    assert [t.traveller_id for t in r.travellers] == ["AB12CD-1"]
    assert [w.code for w in r.pnrs[0].warnings] == ["missing_src"]
