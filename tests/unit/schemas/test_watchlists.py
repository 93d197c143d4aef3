"""Unit tests for the watchlist readers (schemas.watchlists): value parsers, JSONL, CSV,
format detection, and the invented demo list in app/sample_data."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas.records import Document, EntryDate, EntryName
from schemas.watchlists import (
    FORMATS,
    RowError,
    WatchlistFormatError,
    detect_format,
    read_watchlist,
)
from schemas.watchlists.common import (
    date_range,
    detect_script,
    document_type_code,
    hijri_to_gregorian,
    parse_dob,
    split_document_numbers,
    to_alpha3,
    to_gender,
)
from schemas.watchlists.un_xml import split_names

SAMPLE_DIR = Path(__file__).resolve().parents[3] / "app" / "sample_data"
TODAY = date(2026, 3, 1)

# --------------------------------------------------------------------------- dates (case 14)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("22/03/1971", [EntryDate(date="1971-03-22")]),
        ("03/1971", [EntryDate(date="1971-03")]),
        ("1971", [EntryDate(date="1971")]),
        ("1969, 1971", [EntryDate(date="1969"), EntryDate(date="1971")]),
        ("1970-1973", [date_range("1970", "1973")]),
        ("1970..1973", [date_range("1970", "1973")]),
        ("Approximately 1970", [EntryDate(date="1970", approximate=True)]),
        ("1971-00-00", [EntryDate(date="1971")]),
        ("00.03.1971", [EntryDate(date="1971-03")]),
        ("", []),
        ("   ", []),
        ("1971-03-22", [EntryDate(date="1971-03-22")]),
        ("Nov. 1973", [EntryDate(date="1973-11")]),
        ("22 March 1971", [EntryDate(date="1971-03-22")]),
        ("Between Aug. and Sep. 1977", [date_range("1977-08", "1977-09")]),
        ("24/06/1402 (Hijri Calendar)", [EntryDate(date="1982-04-19", approximate=True)]),
    ],
)
def test_parse_dob_case_14_forms(raw: str, expected: list[EntryDate]) -> None:
    assert parse_dob(raw, today=TODAY) == expected


def test_parse_dob_ambiguous_day_month_keeps_both_candidates() -> None:
    assert parse_dob("05/03/1971", today=TODAY) == [
        EntryDate(date="1971-03-05", approximate=True),
        EntryDate(date="1971-05-03", approximate=True),
    ]
    assert parse_dob("05/03/1971", day_first=True, today=TODAY) == [EntryDate(date="1971-03-05")]
    assert parse_dob("05/03/1971", day_first=False, today=TODAY) == [EntryDate(date="1971-05-03")]


@pytest.mark.parametrize("raw", ["2031-05-01", "2026-03-02", "2027"])
def test_parse_dob_rejects_future_dates(raw: str) -> None:
    with pytest.raises(ValueError, match="future"):
        parse_dob(raw, today=TODAY)


@pytest.mark.parametrize("raw", ["30-35 years old", "1973-1970", "31/02/1971", "13/13/1971", "abc"])
def test_parse_dob_rejects_unreadable(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_dob(raw, today=TODAY)


@given(st.dates(min_value=date(1900, 1, 1), max_value=TODAY - timedelta(days=1)))
def test_parse_dob_iso_round_trip(d: date) -> None:
    assert parse_dob(d.isoformat(), today=TODAY) == [EntryDate(date=d.isoformat())]


def test_hijri_conversion_known_dates() -> None:
    assert hijri_to_gregorian(1, 1, 1) == date(622, 7, 19)  # 16 July 622 Julian
    assert hijri_to_gregorian(1444, 9, 1) == date(2023, 3, 23)  # 1 Ramadan 1444
    with pytest.raises(ValueError):
        hijri_to_gregorian(1402, 13, 1)


# --------------------------------------------------------------------------- other values


@pytest.mark.parametrize(
    ("raw", "codes", "expected"),
    [
        ("DE", True, "DEU"),
        ("DEU", True, "DEU"),
        ("D", True, "DEU"),
        ("XXA", True, "XXA"),
        ("Germany", True, "DEU"),
        ("Iran (Islamic Republic of)", True, "IRN"),
        ("Democratic Republic of the Congo", False, "COD"),
        ("State of Palestine", False, "PSE"),
        ("Türkiye", False, "TUR"),
        ("United Kingdom of Great Britain and Northern Ireland", False, "GBR"),
        ("na", False, None),
        ("NA", True, "NAM"),
        ("former Soviet Union", False, None),
        ("", True, None),
        (None, True, None),
        ("QQ", True, None),
    ],
)
def test_to_alpha3(raw: str | None, codes: bool, expected: str | None) -> None:
    assert to_alpha3(raw, codes=codes) == expected


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("KARIM AL-HADDAWI", "Latn"),
        ("كريم ناصر الحداوي", "Arab"),
        ("Ирина Коваленкова", "Cyrl"),
        ("周明浩", "Hani"),
        ("박철준", "Hang"),
        ("Σταύρος", "Grek"),
        ("123 -", None),
    ],
)
def test_detect_script(text: str, script: str | None) -> None:
    assert detect_script(text) == script


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # case 17 reproducer: formatting noise, lists, fillers (numbers kept as published)
        ("ZK 447-1203", ["ZK 447-1203"]),
        ("ZK4471203\n\t\t\t", ["ZK4471203"]),
        ("ZK4471203, PB0093311", ["ZK4471203", "PB0093311"]),
        ("<<<", []),
        ("", []),
        (None, []),
        # UN prose in NUMBER
        ("French passport number 05AT521433", ["05AT521433"]),
        ("Libya B014995", ["B014995"]),
        ("R00012098, South Sudan", ["R00012098"]),
        ("S/263963", ["S/263963"]),
        ("AB123456/CD789012", ["AB123456", "CD789012"]),
        ("Afghan national identification card (tazkira) number 300786", ["300786"]),
        ("Provisional passport No.: 28642163", ["28642163"]),
    ],
)
def test_split_document_numbers(raw: str | None, expected: list[str]) -> None:
    assert split_document_numbers(raw) == expected


@given(st.text(max_size=40))
def test_split_document_numbers_never_yields_digitless_values(raw: str) -> None:
    for number in split_document_numbers(raw):
        assert any(ch.isdigit() for ch in number)
        assert number == number.strip()


@pytest.mark.parametrize(
    ("types", "expected"),
    [
        (("Passport", None), "P"),
        (("Numéro de passeport", None), "P"),
        (("National Identification Number", "national passport"), "P"),
        (("National Identification Number", None), "I"),
        (("National Identification Number", "Ration card no."), "Ration card no."),
        (("National Identification Number", "Italian Fiscal Code:"), "Italian Fiscal Code"),
        ((None, None), None),
        (("p", None), "P"),
    ],
)
def test_document_type_code(types: tuple[str | None, str | None], expected: str | None) -> None:
    assert document_type_code(*types) == expected


def test_to_gender() -> None:
    assert [to_gender(v) for v in ("Male", "female", "M", "x", "", None)] == ["M", "F", "M", "X", None, None]
    with pytest.raises(ValueError, match="unknown gender"):
        to_gender("unknown-value")


def test_split_names_parenthesised_groups() -> None:
    assert split_names("Jin Tiesan (金铁三)") == ["Jin Tiesan", "金铁三"]
    assert split_names("EL PARA (COMBAT NAME)") == ["EL PARA"]
    assert split_names("Abubakar (original script: Абубакар)") == ["Abubakar", "Абубакар"]
    assert split_names("A B; C D") == ["A B", "C D"]
    assert split_names(None) == []


# --------------------------------------------------------------------------- JSONL


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD_ROW = {
    "entry_id": "T-1",
    "names": [{"full_name": "JÖRG SCHÜSSLER", "surname": "SCHÜSSLER", "given_names": "JÖRG"}],
    "dates_of_birth": [{"date": "1974-01-30"}],
    "nationalities": ["DEU"],
}


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(GOOD_ROW),  # 1
        "",  # 2 blank, ignored
        "{not json",  # 3
        json.dumps({"entry_id": "T-2"}),  # 4 no names
        json.dumps([1, 2]),  # 5 not an object
        json.dumps(dict(GOOD_ROW, entry_id="T-3", list_id="other")),  # 6
        json.dumps(GOOD_ROW),  # 7 duplicate id
        json.dumps(dict(GOOD_ROW, entry_id="T-4", dates_of_birth=[{"date": "74-01-30"}])),  # 8 bad date
        json.dumps(dict(GOOD_ROW, entry_id="T-5", names=[])),  # 9 empty names
    ]
    path = _write(tmp_path, "agency.jsonl", "\n".join(lines) + "\n")
    result = read_watchlist(path)
    assert result.format == "jsonl"
    assert result.list_id == "agency"
    assert [e.entry_id for e in result.entries] == ["T-1", "T-3"]
    assert [e.list_id for e in result.entries] == ["agency", "other"]
    assert [err.line for err in result.errors] == [3, 4, 5, 7, 8, 9]
    assert result.errors[0].error.startswith("not JSON")
    assert result.errors[1].error == "invalid entry: names: Field required"
    assert result.errors[3].error == "T-1: duplicate entry id, ignored"
    assert result.list_version is not None and result.list_version.startswith("sha256:")
    assert result.entries[0].list_version == result.list_version
    assert result.summary()["errors"][0] == {"line": 3, "error": result.errors[0].error}


def test_jsonl_list_id_argument_wins(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.jsonl", json.dumps(dict(GOOD_ROW, list_id="row-id")) + "\n")
    result = read_watchlist(path, list_id="forced")
    assert result.list_id == "forced"
    assert result.entries[0].list_id == "forced"
    assert result.entries[0].key == "forced:T-1"


def test_jsonl_invalid_utf8_line_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl"
    path.write_bytes(json.dumps(GOOD_ROW).encode() + b"\n\xff\xfe{}\n")
    result = read_watchlist(path, format="jsonl")
    assert len(result.entries) == 1
    assert result.errors == [RowError(2, "not valid UTF-8")]


def test_jsonl_version_is_content_hash(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.jsonl", json.dumps(GOOD_ROW) + "\n")
    b = _write(tmp_path, "b.jsonl", json.dumps(GOOD_ROW) + "\n")
    c = _write(tmp_path, "c.jsonl", json.dumps(dict(GOOD_ROW, entry_id="X")) + "\n")
    va, vb, vc = (read_watchlist(p).list_version for p in (a, b, c))
    assert va == vb != vc


# --------------------------------------------------------------------------- CSV

CSV_HEADER = (
    "entry_id,surname,given_names,full_name,aliases,date_of_birth,nationality,gender,"
    "document_number,document_type,document_country,category,programme\n"
)


def test_csv_good_rows(tmp_path: Path) -> None:
    text = CSV_HEADER + (
        "WL-1,SCHÜSSLER,JÖRG,,JOERG SCHUESSLER;J. SCHUSSLER,1974-01-30,DE,M,C01X00T47,p,D,,EU-1\n"
        "WL-2,DUARTE,MIGUEL,,,1969..1973;approximately 1980,PRT;ESP,,,,,person,\n"
        'WL-3,,,"TAN WEI JIE",,1990-12,SGP,f,"ZK4471203, PB0093311",P,LVA,,\n'
    )
    result = read_watchlist(_write(tmp_path, "list.csv", text))
    assert result.format == "csv"
    assert result.errors == []
    assert result.warnings == []
    one, two, three = result.entries
    assert one.names == [
        EntryName(full_name="JÖRG SCHÜSSLER", surname="SCHÜSSLER", given_names="JÖRG", script="Latn"),
        EntryName(full_name="JOERG SCHUESSLER", script="Latn", kind="alias"),
        EntryName(full_name="J. SCHUSSLER", script="Latn", kind="alias"),
    ]
    assert one.dates_of_birth == [EntryDate(date="1974-01-30")]
    assert one.nationalities == ["DEU"]
    assert one.genders == ["M"]
    assert one.documents == [Document(type="P", number="C01X00T47", issuing_country="DEU")]
    assert (one.category, one.programme) == ("individual", "EU-1")
    assert two.dates_of_birth == [date_range("1969", "1973"), EntryDate(date="1980", approximate=True)]
    assert two.nationalities == ["PRT", "ESP"]
    assert two.genders == []
    assert two.category == "person"
    assert three.names == [EntryName(full_name="TAN WEI JIE", script="Latn")]
    assert three.documents == [
        Document(type="P", number="ZK4471203", issuing_country="LVA"),
        Document(type="P", number="PB0093311", issuing_country="LVA"),
    ]
    assert result.summary() == {
        "list_id": "list",
        "format": "csv",
        "entries": 3,
        "individuals": 2,
        "names": 5,
        "aliases": 2,
        "dates_of_birth": 4,
        "documents": 3,
        "skipped": {},
        "errors": [],
    }


def test_csv_bad_rows_counted_with_their_line(tmp_path: Path) -> None:
    text = CSV_HEADER + (
        "WL-1,ONE,ANNA,,,,,,,,,,\n"  # line 2 ok
        ",NOID,PERSON,,,,,,,,,,\n"  # line 3 no entry_id
        "WL-3,,,,,,,,,,,,\n"  # line 4 no name
        'WL-4,"MULTI\nLINE",BOB,,,,,,,,,,\n'  # lines 5-6 ok (quoted newline)
        "WL-1,DUP,ANNA,,,,,,,,,,\n"  # line 7 duplicate
        "WL-8,X,Y,,,,,,,,,,,extra,cells\n"  # line 8 too many cells
        "\n"  # line 9 blank
        "WL-10,TEN,TINA,,,2031-05-01,QQ,?,<<<,P,,,\n"  # line 10 ok, values dropped
    )
    result = read_watchlist(_write(tmp_path, "bad.csv", text))
    assert [e.entry_id for e in result.entries] == ["WL-1", "WL-4", "WL-10"]
    assert [(e.line, e.error) for e in result.errors] == [
        (3, "missing entry_id"),
        (4, "WL-3: no name (surname, given_names or full_name)"),
        (7, "WL-1: duplicate entry id, ignored"),
        (8, "15 cells for 13 columns, row dropped"),
    ]
    assert [(w.line, w.error) for w in result.warnings] == [
        (10, "WL-10: date of birth dropped: birth date 2031-05-01 is in the future"),
        (10, "WL-10: nationality 'QQ' not recognised, dropped"),
        (10, "WL-10: unknown gender '?'"),
        (10, "WL-10: document number empty after clean-up, dropped"),
    ]
    ten = result.entries[2]
    assert (ten.dates_of_birth, ten.nationalities, ten.genders, ten.documents) == ([], [], [], [])


def test_csv_not_utf8_and_missing_header(tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes(CSV_HEADER.encode() + "WL-1,MÜLLER,A,,,,,,,,,,\n".encode("latin-1"))
    result = read_watchlist(latin, format="csv")
    assert result.entries == []
    assert [e.line for e in result.errors] == [None]
    no_id = read_watchlist(_write(tmp_path, "x.csv", "name,dob\nA,1970\n"), format="csv")
    assert no_id.errors == [RowError(1, "header has no entry_id column")]


def test_csv_version_column(tmp_path: Path) -> None:
    text = "entry_id,full_name,list_version\nA-1,SOME ONE,2026-02-01\n"
    result = read_watchlist(_write(tmp_path, "v.csv", text))
    assert result.list_version == "2026-02-01"
    assert result.entries[0].list_version == "2026-02-01"


# --------------------------------------------------------------------------- detection


def test_detect_format(tmp_path: Path) -> None:
    assert FORMATS == ("un-xml", "jsonl", "csv", "ofac-csv", "uk-hmt-csv", "eu-fsf-csv", "ftm")
    xml = _write(tmp_path, "list.dat", '<?xml version="1.0"?>\n<CONSOLIDATED_LIST dateGenerated="x"/>')
    assert detect_format(xml) == "un-xml"
    assert detect_format(_write(tmp_path, "a.txt", "\n" + json.dumps(GOOD_ROW))) == "jsonl"
    assert detect_format(_write(tmp_path, "b.txt", "\ufeffEntry_ID,full_name\n")) == "csv"
    for name, text in [
        ("other.xml", "<sdnList/>"),
        ("ofac.csv", "ent_num,SDN_Name,SDN_Type\n"),
        ("empty.csv", ""),
    ]:
        with pytest.raises(WatchlistFormatError):
            detect_format(_write(tmp_path, name, text))


def test_read_watchlist_errors(tmp_path: Path) -> None:
    with pytest.raises(WatchlistFormatError, match="unknown watchlist format 'senzing'"):
        read_watchlist(tmp_path / "whatever", format="senzing")
    with pytest.raises(OSError):
        read_watchlist(tmp_path / "missing.jsonl")
    with pytest.raises(OSError):
        read_watchlist(tmp_path / "missing.csv", format="csv")
    assert issubclass(WatchlistFormatError, ValueError)


def test_un_xml_small_file_and_malformed_tail(tmp_path: Path) -> None:
    xml = (
        '<CONSOLIDATED_LIST dateGenerated="2026-01-01T00:00:00Z"><INDIVIDUALS>'
        "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>ANNA</FIRST_NAME><SECOND_NAME>TEST</SECOND_NAME>"
        "<REFERENCE_NUMBER>XXi.001</REFERENCE_NUMBER><GENDER>Female</GENDER>"
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1970</YEAR>"
        "</INDIVIDUAL_DATE_OF_BIRTH>"
        "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>A123456</NUMBER>"
        "<COUNTRY_OF_ISSUE>Iran (Islamic Republic of)</COUNTRY_OF_ISSUE></INDIVIDUAL_DOCUMENT></INDIVIDUAL>"
        "<INDIVIDUAL><DATAID>2</DATAID></INDIVIDUAL>"
        "<INDIVIDUAL><FIRST_NAME>BROKEN"
    )
    path = _write(tmp_path, "un.xml", xml)
    result = read_watchlist(path, list_id="un-test")
    assert result.list_id == "un-test"
    assert result.list_version == "2026-01-01T00:00:00Z"
    (entry,) = result.entries
    assert entry.entry_id == "XXi.001"
    assert entry.names == [EntryName(full_name="ANNA TEST", script="Latn")]
    assert entry.genders == ["F"]
    assert entry.dates_of_birth == [EntryDate(date="1970", approximate=True)]
    assert entry.documents == [Document(type="P", number="A123456", issuing_country="IRN")]
    assert result.errors[0] == RowError(2, "2: INDIVIDUAL without a name")
    assert result.errors[1].line == 1 and result.errors[1].error.startswith("malformed XML")


def test_un_xml_refuses_entity_declarations(tmp_path: Path) -> None:
    path = _write(tmp_path, "evil.xml", '<!DOCTYPE x [<!ENTITY a "aaaa">]><CONSOLIDATED_LIST>&a;</CONSOLIDATED_LIST>')
    with pytest.raises(WatchlistFormatError, match="entity"):
        read_watchlist(path, format="un-xml")


# --------------------------------------------------------------------------- demo sample list


def test_sample_watchlist_jsonl_and_csv_describe_the_same_people() -> None:
    jsonl = read_watchlist(SAMPLE_DIR / "watchlist.jsonl")
    csv_ = read_watchlist(SAMPLE_DIR / "watchlist.csv")
    assert (jsonl.format, csv_.format) == ("jsonl", "csv")
    for result in (jsonl, csv_):
        assert result.errors == []
        assert result.warnings == []
        assert [e.entry_id for e in result.entries] == [f"DEMO-{i:03d}" for i in range(1, 26)]
    for a, b in zip(jsonl.entries, csv_.entries, strict=True):
        assert a.model_dump(exclude={"list_version"}) == b.model_dump(exclude={"list_version"}), a.entry_id


def test_sample_watchlist_covers_the_demo_features() -> None:
    entries = read_watchlist(SAMPLE_DIR / "watchlist.jsonl").entries
    scripts = {n.script for e in entries for n in e.names if n.kind == "original_script"}
    assert {"Arab", "Cyrl", "Hani", "Hang", "Grek"} <= scripts
    schoenberger = next(e for e in entries if e.entry_id == "DEMO-009")
    assert [n.full_name for n in schoenberger.names] == ["JÜRGEN SCHÖNBERGER", "JUERGEN SCHOENBERGER"]
    assert any(d.from_ for e in entries for d in e.dates_of_birth)
    assert any(d.approximate for e in entries for d in e.dates_of_birth)
    assert any(len(d.date or "") == 4 for e in entries for d in e.dates_of_birth)
    assert sum(1 for e in entries for d in e.documents if d.type == "P") == 8
    assert {e.programme for e in entries} == {"DEMO"}


@pytest.mark.parametrize(("raw", "expected"), [
    ("16-07-68", ["1968-07-16"]),   # field case 06: two-digit year, not in the future
    ("16/07/24", ["2024-07-16", "1924-07-16"]),  # a child or a person over 100: both kept
    ("16.07.27", ["1927-07-16"]),   # 2027 would be after "today" (2026-11-29)
    ("16-07-1968", ["1968-07-16"]),
])
def test_two_digit_and_dashed_dates_of_birth(raw: str, expected: list[str]) -> None:
    from datetime import date

    from schemas.watchlists.common import parse_dob

    assert [d.date for d in parse_dob(raw, today=date(2026, 11, 29))] == expected
