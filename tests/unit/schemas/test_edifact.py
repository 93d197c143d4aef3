"""Tokeniser tests: field cases 01 (release parity), 02 (newlines), 03 (UNA), 04 (charsets),
06 (two-digit years), hygiene, and property tests."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.edifact import (
    DEFAULT_DELIMITERS,
    Delimiters,
    decode_bytes,
    escape,
    expand_two_digit_year,
    expiry_is_plausible,
    parse_decimal,
    parse_dtm,
    peek_header,
    tokenise,
    write_interchange,
)
from schemas.errors import DecodeError, NotEdifactError, UndecodableBytesError
from schemas.paxlst import decode_paxlst
from schemas.records import Warning_

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
SAMPLES = SHARED / "data" / "samples" / "paxlst"


def codes(inter_warnings: list) -> list[str]:  # type: ignore[type-arg]
    return [w.code for w in inter_warnings]


# --------------------------------------------------------------------------- case 01

CASE01_PAXLST = (
    "UNA:+.? '\n"
    "UNB+UNOA:4+ZZAIR+ZZBORDER+261129:0800+R0001'\n"
    "UNH+1+PAXLST:D:05B:UN:IATA+ZZ0101'\n"
    "BGM+250'\n"
    "NAD+FL+++O?'DWYER:NIAMH'\n"
    "ATT+2++F'\n"
    "DTM+329:900311'\n"
    "UNT+6+1'\n"
    "UNZ+1+R0001'\n"
)

# raw segment, expected first component of element `el`, element index, extra warning
CASE01_TABLE = [
    ("IFT+4:28::ZZ+GATE CHANGE??'", "GATE CHANGE?", 1, None),
    ("IFT+4:28::ZZ+SEAT 12A???'OK'", "SEAT 12A?'OK", 1, None),
    ("IFT+4:28::ZZ+X????'", "X??", 1, None),
    ("IFT+4:28::ZZ+WHY??????'", "WHY???", 1, None),
    ("IFT+4:28::ZZ+ONE?+TWO?:THREE'", "ONE+TWO:THREE", 1, None),
    ("IFT+4:28::ZZ+MAIL AT?@HOST'", "MAIL AT@HOST", 1, "release_before_non_service_char"),
    # "??" is a literal "?", then "?T" releases a non-service character (dropped, warned)
    ("TIF+WOJCIK+MA???TAMRS:A:1'", "MA?TAMRS", 1, "release_before_non_service_char"),
]


@pytest.mark.parametrize("release", ["?", "\\", "!"])
@pytest.mark.parametrize(("raw", "expected", "element", "warning"), CASE01_TABLE)
def test_case01_release_parity(release: str, raw: str, expected: str, element: int, warning: str | None) -> None:
    una = f"UNA:+.{release} '"
    text = una + "UNB+UNOA:4+ZZ+ZZBORDER+261129:0930+R1'" + raw.replace("?", release)
    text += "SRC'UNZ+1+R1'"
    inter = tokenise(text.encode("ascii"))
    tags = [s.tag for s in inter.segments]
    assert tags == ["UNB", raw[:3], "SRC", "UNZ"]
    seg = inter.segments[1]
    assert seg.elements[element][0] == expected.replace("?", release)
    if raw.startswith("IFT"):
        assert len(seg.elements) == 2  # ONE+TWO:THREE stays one element, one component
        assert len(seg.elements[1]) == 1
    bad = [w for w in inter.warnings if w.code == "release_before_non_service_char"]
    assert bool(bad) == (warning is not None)


@pytest.mark.parametrize("release", ["?", "\\", "#"])
def test_case01_paxlst_apostrophe_name_and_unt(release: str) -> None:
    text = CASE01_PAXLST.replace("UNA:+.? '", f"UNA:+.{release} '").replace("O?'", f"O{release}'")
    result = decode_paxlst(text.encode("ascii"))
    (t,) = result.travellers
    assert (t.surname, t.given_names, t.gender) == ("O'DWYER", "NIAMH", "F")
    assert t.date_of_birth == "1990-03-11"
    assert "segment_count_mismatch" not in codes(result.warnings)


def test_case01_literal_question_mark_in_name_is_flagged_not_rejected() -> None:
    text = CASE01_PAXLST.replace("O?'DWYER:NIAMH", "WOJCIK:MA???TA")
    result = decode_paxlst(text.encode("ascii"))
    (t,) = result.travellers
    assert t.given_names == "MA?TA"
    assert "unknown_character_in_name" in codes(t.warnings)


def test_release_at_end_of_data_is_dropped_with_warning() -> None:
    inter = tokenise(b"UNB+UNOA:4+A+B+261129:0800+R1'UNH+1+PAXLST'BGM+250?")
    assert inter.segments[-1].elements == [["250"]]
    assert "release_before_non_service_char" in codes(inter.warnings)
    assert "unterminated_segment" in codes(inter.warnings)


# --------------------------------------------------------------------------- case 02

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
    inter = tokenise(CASE02)
    segs = inter.segments
    unh = next(i for i, s in enumerate(segs) if s.tag == "UNH")
    unt = next(i for i, s in enumerate(segs) if s.tag == "UNT")
    assert unt - unh + 1 == 12 == int(segs[unt].value(0))
    by_tag = {s.tag: s for s in segs}
    assert by_tag["FTI"].elements[0] == ["ZZ", "0000123456", "", "", "GOLD"]
    assert by_tag["IFT"].value(1) == "PASSENGER REQUESTS ASSISTANCE AT ARRIVAL GATE PLEASE MEET"
    docs = by_tag["SSR"].value(0, 8)
    assert docs.endswith("/LINDQVIST/ASTRID")
    assert "/XY0001234/" in docs
    assert all(s.tag == s.tag.strip() for s in segs)
    assert inter.warnings == []


def test_case02_known_limit_space_replaced_by_line_break_is_lost() -> None:
    inter = tokenise(b"UNB+UNOA:4+A+B+261129:0800+R1'IFT+4:28+GATE\r\nCHANGE'UNZ+1+R1'")
    assert inter.segments[1].value(1) == "GATECHANGE"


@pytest.mark.parametrize("nl", ["\n", "\r"])
def test_case02_newline_declared_as_terminator_is_kept(nl: str) -> None:
    text = f"UNA:+.? {nl}UNB+UNOA:4+A+B+261129:0800+R1{nl}UNH+1+PAXLST{nl}UNZ+1+R1{nl}"
    inter = tokenise(text.encode("ascii"))
    assert [s.tag for s in inter.segments] == ["UNB", "UNH", "UNZ"]
    assert inter.delimiters.terminator == nl


def test_leading_whitespace_before_tags_is_removed_with_one_warning() -> None:
    inter = tokenise(b" UNA:+.? '\n UNB+UNOA:4+A+B+261129:0800+R1'\n UNH+1+PAXLST'\n UNZ+1+R1'")
    assert [s.tag for s in inter.segments] == ["UNB", "UNH", "UNZ"]
    assert codes(inter.warnings) == ["tag_whitespace"]


# --------------------------------------------------------------------------- case 03

CASE03_A = (
    "UNA:+.?*'\n"
    "UNB+IATA:1+ZZ+ZZBORDER+261129:0930+R0003'\n"
    "UNH+1+PNRGOV:13:1:IA+ZZ0303'\n"
    "MSG+:22'\n"
    "TIF+ACHTERBERG+FLORISMR:A:1'\n"
    "IFT+4:28::ZZ+CTCE FLORIS.A*WORK//EXAMPLE.NET'\n"
    "LTS+0/O/SS/ZZ0421 Y 29NOV 6 AAABBB HK1 1015 1240 *1A/E*'\n"
    "UNT+5+1'\n"
    "UNZ+1+R0003'\n"
)


def test_case03_repetition_separator_off_by_default() -> None:
    inter = tokenise(CASE03_A.encode("ascii"))
    by_tag = {s.tag: s for s in inter.segments}
    assert inter.delimiters.repetition == "*"
    assert by_tag["IFT"].value(1) == "CTCE FLORIS.A*WORK//EXAMPLE.NET"
    assert by_tag["LTS"].value(0).endswith("*1A/E*")
    assert by_tag["IFT"].repeats == {}


def test_case03_repetition_splitting_is_opt_in() -> None:
    inter = tokenise(CASE03_A.encode("ascii"), split_repetitions=True)
    ift = next(s for s in inter.segments if s.tag == "IFT")
    assert ift.elements[1] == ["CTCE FLORIS.A"]
    assert ift.repeats[1] == [["CTCE FLORIS.A"], ["WORK//EXAMPLE.NET"]]


def test_case03_space_in_una_position5_means_no_repetition() -> None:
    text = CASE03_A.replace("UNA:+.?*'", "UNA:+.? '")
    inter = tokenise(text.encode("ascii"), split_repetitions=True)
    assert inter.delimiters.repetition is None
    ift = next(s for s in inter.segments if s.tag == "IFT")
    assert ift.value(1) == "CTCE FLORIS.A*WORK//EXAMPLE.NET"


@pytest.mark.parametrize(
    ("raw", "mark", "version", "expected"),
    [
        ("1234,50", ",", 3, Decimal("1234.50")),
        ("1301,25", ",", 3, Decimal("1301.25")),
        ("1234.50", ",", 4, Decimal("1234.50")),
        ("1234,50", ".", 4, Decimal("1234.50")),
        ("12", ".", 3, Decimal("12")),
    ],
)
def test_case03_decimal_mark(raw: str, mark: str, version: int, expected: Decimal) -> None:
    value = parse_decimal(raw, decimal_mark=mark, syntax_version=version)
    assert value == expected
    assert isinstance(value, Decimal)


@pytest.mark.parametrize("raw", ["1234,50", "1.2.3", "abc", "NaN"])
def test_case03_decimal_mark_rejects(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_decimal(raw, decimal_mark=".", syntax_version=3)


def test_case03_decimal_via_tokeniser_with_comma_una() -> None:
    text = "UNA:+,? 'UNB+UNOC:3+ZZ+ZZBORDER+261129:0930+R0013'MON+B:1234,50:EUR+T:1301,25:EUR'"
    inter = tokenise(text.encode("ascii"))
    mon = inter.segments[1]
    d = inter.delimiters
    amounts = [parse_decimal(mon.value(i, 1), decimal_mark=d.decimal, syntax_version=3) for i in (0, 1)]
    assert amounts == [Decimal("1234.50"), Decimal("1301.25")]


CASE03_C = (
    "UNA:+.\\ ~UNB+UNOB:4+ZZAIR+ZZBORDER+20261129:0800+R\\~7~UNH+1+PAXLST:D:05B:UN:IATA+"
    "ZZ0323~BGM+250~NAD+FL+++O'BRIAIN:CAOIMHE~ATT+2++F~UNT+5+1~UNZ+1+R\\~7~"
)


def test_case03_custom_release_and_terminator() -> None:
    inter = tokenise(CASE03_C.encode("ascii"))
    assert inter.segments[0].value(4) == "R~7"
    assert inter.segments[0].value(3, 0) == "20261129"
    result = decode_paxlst(CASE03_C.encode("ascii"))
    (t,) = result.travellers
    assert t.surname == "O'BRIAIN"
    assert result.messages[0].interchange_ref == "R~7"
    assert result.messages[0].prepared_at == "2026-11-29T08:00"
    assert "segment_count_mismatch" not in codes(result.warnings)


def test_case03_header_peek_is_release_aware() -> None:
    header = peek_header(CASE03_C.encode("ascii"))
    assert header is not None
    assert header.control_ref == "R~7"
    assert header.syntax_id == "UNOB"
    assert header.message_type == "PAXLST"
    assert header.message_version == "D:05B"


def test_no_una_means_defaults() -> None:
    inter = tokenise(b"UNB+UNOA:4+A+B+261129:0800+R1'UNZ+1+R1'")
    assert inter.delimiters == DEFAULT_DELIMITERS
    assert not inter.una_present


def test_una_glued_to_unb_with_odd_delimiters() -> None:
    inter = tokenise(b"UNA:-.? *UNB-UNOA:4-A-B-261129:0800-R.1*UNH-1-PNRGOV*UNZ-1-R.1*")
    assert [s.tag for s in inter.segments] == ["UNB", "UNH", "UNZ"]
    assert inter.segments[0].value(4) == "R.1"


# --------------------------------------------------------------------------- case 04

CASE04_BODY = (
    "UNA:+.? 'UNB+{sid}:4+ZZAIR+ZZBORDER+261129:0800+R0004'"
    "UNH+1+PAXLST:D:05B:UN:IATA+ZZ0404'BGM+250'"
    "NAD+FL+++{name}'ATT+2++U'UNT+5+1'UNZ+1+R0004'"
)

CASE04 = [
    ("UNOC", "GRØNVOLD:BÅRD ØYVIND", "latin-1", "GRØNVOLD", "BÅRD ØYVIND", None),
    ("UNOC", "GRØNVOLD:BÅRD ØYVIND", "utf-8", "GRØNVOLD", "BÅRD ØYVIND", ("charset_mislabelled", "UNOC→utf-8")),
    ("UNOC", "ŠIMEK:ŽOFIE", "cp1252", "ŠIMEK", "ŽOFIE", ("charset_mislabelled", "UNOC→cp1252")),
    ("UNOY", "ЛАПТЕВА:ОЛЕСЯ", "utf-8", "ЛАПТЕВА", "ОЛЕСЯ", None),
    ("UNOA", "GRØNVOLD:BÅRD", "latin-1", "GRØNVOLD", "BÅRD", ("charset_violation", None)),
    ("UNOD", "DVOŘÁK:LUDĚK", "iso8859-2", "DVOŘÁK", "LUDĚK", None),
    ("UNOE", "ЛАПТЕВА:ОЛЕСЯ", "iso8859-5", "ЛАПТЕВА", "ОЛЕСЯ", None),
    ("UNOL", "GRØNVOLD:BÅRD", "latin-1", "GRØNVOLD", "BÅRD", ("charset_unknown", None)),
    # the rest of the minimum table, and an unknown identifier with UTF-8 bytes (utf-8 tried first)
    ("UNOF", "ΠΑΠΑΔΟΠΟΥΛΟΣ:ΕΛΕΝΗ", "iso8859-7", "ΠΑΠΑΔΟΠΟΥΛΟΣ", "ΕΛΕΝΗ", None),
    ("UNOW", "GRØNVOLD:BÅRD", "utf-8", "GRØNVOLD", "BÅRD", None),
    ("UNOB", "O?'NEILL:SEAN", "ascii", "O'NEILL", "SEAN", None),
    (
        "UNOB",
        "GRØNVOLD:BÅRD",
        "latin-1",
        "GRØNVOLD",
        "BÅRD",
        ("charset_violation", "UNOB with 8-bit data, decoded as latin-1"),
    ),
    ("UNOL", "ЛАПТЕВА:ОЛЕСЯ", "utf-8", "ЛАПТЕВА", "ОЛЕСЯ", ("charset_unknown", "UNOL: decoded as utf-8")),
]


@pytest.mark.parametrize(("sid", "name", "codec", "surname", "given", "warning"), CASE04)
def test_case04_charset_decoding(
    sid: str, name: str, codec: str, surname: str, given: str, warning: tuple[str, str | None] | None
) -> None:
    data = CASE04_BODY.format(sid=sid, name=name).encode(codec)
    result = decode_paxlst(data)
    (t,) = result.travellers
    assert (t.surname, t.given_names) == (surname, given)
    charset = [w for w in result.warnings if w.code.startswith("charset_")]
    if warning is None:
        assert charset == []
    else:
        assert [w.code for w in charset] == [warning[0]]
        if warning[1] is not None:
            assert charset[0].message == warning[1]


def test_decode_bytes_ascii_is_silent() -> None:
    assert decode_bytes(b"UNB+UNOA", "UNOA") == ("UNB+UNOA", "ascii", [])


def test_utf8_bom_is_stripped() -> None:
    data = b"\xef\xbb\xbf" + CASE04_BODY.format(sid="UNOY", name="ÅS:ÖRJAN").encode("utf-8")
    (t,) = decode_paxlst(data).travellers
    assert t.surname == "ÅS"


def test_utf16_input_is_a_decode_error() -> None:
    data = CASE04_BODY.format(sid="UNOA", name="A:B").encode("utf-16-le")
    with pytest.raises(UndecodableBytesError) as err:
        tokenise(data)
    assert err.value.reason == "undecodable_bytes"


# --------------------------------------------------------------------------- hygiene


def test_type_b_preamble_controls_and_footer_are_ignored() -> None:
    body = CASE01_PAXLST.replace("\n", "\r\n").encode("ascii")
    data = b"\x01QD ZZBORDER\r\n.HDQCRA9 130631\r\n\x02" + body + b"\x03\r\nEmail footer\x0c"
    inter = tokenise(data)
    assert inter.segments[0].tag == "UNB"
    assert inter.segments[-1].tag == "UNZ"
    assert {"preamble_ignored", "trailing_data_ignored"} <= set(codes(inter.warnings))
    (t,) = decode_paxlst(data).travellers
    assert t.surname == "O'DWYER"


def test_wrapped_inside_tags_and_values() -> None:
    text = CASE01_PAXLST.replace("\n", "")
    wrapped = "\r\n".join(text[i : i + 7] for i in range(0, len(text), 7))
    a = decode_paxlst(wrapped.encode("ascii")).travellers
    b = decode_paxlst(text.encode("ascii")).travellers
    assert [t.model_dump() for t in a] == [t.model_dump() for t in b]


def test_garbage_is_not_edifact() -> None:
    with pytest.raises(NotEdifactError) as err:
        tokenise(b"hello world, this is not a manifest")
    assert err.value.reason == "not_edifact"
    assert err.value.retriable is False


def test_segment_positions_are_one_based_from_unb() -> None:
    inter = tokenise(CASE01_PAXLST.encode("ascii"))
    assert [(s.position, s.tag) for s in inter.segments[:3]] == [(1, "UNB"), (2, "UNH"), (3, "BGM")]


# --------------------------------------------------------------------------- case 06


@pytest.mark.parametrize(
    ("yy", "mm", "dd", "kind", "expected"),
    [
        (38, 5, 17, "birth", date(1938, 5, 17)),
        (25, 9, 1, "birth", date(2025, 9, 1)),
        (26, 11, 30, "birth", date(1926, 11, 30)),
        (26, 11, 29, "birth", date(2026, 11, 29)),
        (64, 7, 12, "birth", date(1964, 7, 12)),
        (31, 6, 14, "expiry", date(2031, 6, 14)),
        (30, 6, 15, "expiry", date(2030, 6, 15)),
        (12, 1, 1, "expiry", date(2012, 1, 1)),
        (68, 7, 16, "birth", date(1968, 7, 16)),
        (0, 2, 29, "birth", date(2000, 2, 29)),
        (99, 12, 31, "event", date(1999, 12, 31)),
        (70, 1, 1, "event", date(2070, 1, 1)),
        (80, 1, 1, "event", date(1980, 1, 1)),
    ],
)
def test_case06_century_choice(yy: int, mm: int, dd: int, kind: str, expected: date) -> None:
    ref = date(2026, 11, 29)
    assert expand_two_digit_year(yy, mm, dd, reference=ref, kind=kind) == expected  # type: ignore[arg-type]


def test_case06_expiry_outside_window_takes_nearest_century() -> None:
    ref = date(2017, 1, 27)
    got = expand_two_digit_year(61, 2, 18, reference=ref, kind="expiry")
    assert got == date(2061, 2, 18)
    assert not expiry_is_plausible(got, ref)
    assert expiry_is_plausible(date(2030, 1, 1), ref)


def test_case06_invalid_date_raises() -> None:
    with pytest.raises(ValueError):
        expand_two_digit_year(80, 13, 1, reference=date(2026, 1, 1), kind="birth")


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        ("380517", None, (date(1938, 5, 17), None)),
        ("19350919", "102", (date(1935, 9, 19), None)),
        ("0702191540", "201", (date(2007, 2, 19), time(15, 40))),
        ("202611291015", "203", (date(2026, 11, 29), time(10, 15))),
        ("380517", "102", (date(1938, 5, 17), None)),  # length beats a wrong code
    ],
)
def test_parse_dtm_formats(value: str, fmt: str | None, expected: tuple[date, time | None]) -> None:
    ref = date(2026, 11, 29)
    assert parse_dtm(value, fmt, reference=ref, kind="birth") == expected


@pytest.mark.parametrize("value", ["38051", "ABCDEF", "381317"])
def test_parse_dtm_rejects(value: str) -> None:
    with pytest.raises(ValueError):
        parse_dtm(value, None, reference=date(2026, 1, 1), kind="birth")


# --------------------------------------------------------------------------- properties

_SERVICE_POOL = ":+'?*!#$%&|~^-/\\=;@"
_NAME_CHARS = (
    st.text(
        alphabet=st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ ÅØÉ'" + _SERVICE_POOL),
        min_size=1,
        max_size=20,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: bool(s) and s[0] not in "?")
)


@st.composite
def delimiter_sets(draw: st.DrawFn) -> Delimiters:
    chars = draw(st.permutations(list(_SERVICE_POOL)))
    comp, elem, rel, term = chars[:4]
    rep = draw(st.sampled_from([None, chars[4]]))
    return Delimiters(component=comp, element=elem, decimal=".", release=rel, repetition=rep, terminator=term)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    delims=delimiter_sets(),
    people=st.lists(st.tuples(_NAME_CHARS, _NAME_CHARS, st.sampled_from("MFXU")), min_size=1, max_size=5),
    newline=st.sampled_from(["", "\r\n", "\n"]),
)
def test_property_round_trip(delims: Delimiters, people: list[tuple[str, str, str]], newline: str) -> None:
    segs: list[tuple[str, list[list[str]]]] = [
        ("UNB", [["UNOY", "4"], ["ZZAIR"], ["ZZBORDER"], ["261129", "0800"], ["R1"]]),
        ("UNH", [["1"], ["PAXLST", "D", "05B", "UN", "IATA"]]),
        ("BGM", [["745"]]),
    ]
    for surname, given_name, gender in people:
        segs.append(("NAD", [["FL"], [""], [""], [surname, given_name]]))
        segs.append(("ATT", [["2"], [""], [gender]]))
    segs.append(("UNT", [[str(len(segs) - 1 + 1 - 1)], ["1"]]))
    segs.append(("UNZ", [["1"], ["R1"]]))
    text = write_interchange(segs, delims, newline=newline)
    result = decode_paxlst(text.encode("utf-8"), reference_date=date(2026, 11, 29))
    got = [(t.surname, t.given_names, t.gender) for t in result.travellers]
    assert got == [(s, g, x) for s, g, x in people]
    assert not any(w.code == "release_before_non_service_char" for w in result.warnings)


def test_escape_requires_release() -> None:
    assert escape("O'NEIL") == "O?'NEIL"
    with pytest.raises(ValueError):
        escape("O'NEIL", Delimiters(release=None))


@pytest.fixture(scope="module")
def sample_bytes() -> bytes:
    path = SAMPLES / "gtas_tamr_flight1_bags_visa.edi"
    if not path.exists():
        pytest.skip(f"shared sample data not present at {SAMPLES}")
    return path.read_bytes()


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_property_mutations_raise_only_decode_error(sample_bytes: bytes, data: st.DataObject) -> None:
    buf = bytearray(sample_bytes)
    n = data.draw(st.integers(min_value=1, max_value=30))
    for _ in range(n):
        op = data.draw(st.sampled_from(["set", "delete", "insert", "truncate"]))
        if not buf:
            break
        i = data.draw(st.integers(min_value=0, max_value=len(buf) - 1))
        if op == "set":
            buf[i] = data.draw(st.integers(min_value=0, max_value=255))
        elif op == "delete":
            del buf[i]
        elif op == "insert":
            buf.insert(i, data.draw(st.sampled_from(b"+:'?*\r\n\x00\x87 UNAZ")))
        else:
            del buf[i:]
    try:
        result = decode_paxlst(bytes(buf))
    except DecodeError:
        return
    assert result.travellers


def test_tokeniser_speed_on_large_sample() -> None:
    import time as _time

    path = SAMPLES / "gtas_Test3_part01C.edi"
    if not path.exists():
        pytest.skip(f"shared sample data not present at {SAMPLES}")
    data = path.read_bytes()
    start = _time.perf_counter()
    for _ in range(5):
        inter = tokenise(data)
    per_run = (_time.perf_counter() - start) / 5
    assert len(inter.segments) > 3000
    assert per_run < 0.25, f"tokenising 47 KB took {per_run:.3f}s"


# ----------------------------------------------------------------------------- fast scanner


_SCAN_TOKENS = st.sampled_from(["A", "B", "Z", " ", "'", "+", ":", "?", "??", "?'", "*", "UNZ", "UNH", "\n", "é"])
_SCAN_DELIMS = st.sampled_from(
    [
        DEFAULT_DELIMITERS,
        Delimiters(repetition="*"),
        Delimiters(release=None),
        Delimiters("*", "#", ".", "!", None, "~"),
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    text=st.lists(_SCAN_TOKENS, max_size=40).map("".join),
    delims=_SCAN_DELIMS,
    max_segments=st.sampled_from([None, 1, 3]),
)
def test_fast_scanner_equals_reference_scanner(text: str, delims: Delimiters, max_segments: int | None) -> None:
    """The split-based scanner gives the same segments and warnings as the release-aware
    regular-expression scanner it replaced (kept for repetition splitting)."""
    from schemas.edifact import _scan, _scan_regex

    fast_warnings: list[Warning_] = []
    ref_warnings: list[Warning_] = []
    fast = _scan(text, 0, delims, split_repetitions=False, max_segments=max_segments, warnings=fast_warnings)
    ref = _scan_regex(text, 0, delims, split_repetitions=False, max_segments=max_segments, warnings=ref_warnings)
    assert fast == ref
    assert fast_warnings == ref_warnings


def test_fast_scanner_released_terminators_and_offsets() -> None:
    inter = tokenise(b"UNB+UNOA:4+A+B+261129:0800+R1'NAD+FL+++O?'BRIEN??'FTX+???'X'UNZ+1+R1'")
    nad, ftx = inter.segments[1], inter.segments[2]
    assert nad.elements[3] == ["O'BRIEN?"]
    assert ftx.elements == [["?'X"]]
    assert [s.offset for s in inter.segments] == [0, 30, 50, 60]
    assert [s.position for s in inter.segments] == [1, 2, 3, 4]


def test_parse_dtm_fast_path_matches_general_path() -> None:
    assert parse_dtm("20300615", "102", reference=date(2026, 1, 1), kind="expiry") == (date(2030, 6, 15), None)
    with pytest.raises(ValueError):
        parse_dtm("20300631", "102", reference=date(2026, 1, 1), kind="expiry")
