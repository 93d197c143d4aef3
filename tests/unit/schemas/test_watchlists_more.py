"""Unit tests for the OFAC, UK HMT, EU FSF and FtM readers with small invented inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.records import Document, EntryDate, EntryName
from schemas.watchlists import FORMATS, RowError, WatchlistFormatError, detect_format, read_watchlist
from schemas.watchlists.common import country_or_nationality_to_alpha3, date_range, decode_text
from schemas.watchlists.eu_fsf_csv import parse_identification
from schemas.watchlists.ofac_csv import parse_remarks, split_ofac_name
from schemas.watchlists.uk_hmt_csv import parse_hmt_documents, split_enumerated


def test_formats_registered() -> None:
    assert set(FORMATS) >= {"ofac-csv", "uk-hmt-csv", "eu-fsf-csv", "ftm"}


# --------------------------------------------------------------------------- OFAC Remarks


def test_remarks_full_example() -> None:
    found = parse_remarks(
        "DOB 12 Jan 1965; alt. DOB 1966; POB Tehran, Iran; nationality Iran; citizen Korea, North; "
        "Passport A1234567 (Iran) issued 01 Feb 2010 expires 31 Jan 2020; National ID No. 0012345678 (Iran); "
        "Gender Male; a.k.a. 'ABU-'UMAR'; Linked To: SOME CO."
    )
    assert found.dates_of_birth == [EntryDate(date="1965-01-12"), EntryDate(date="1966")]
    assert found.places_of_birth == ["Tehran, Iran"]
    assert found.nationalities == ["IRN"]
    assert found.citizenships == ["PRK"]
    assert found.genders == ["M"]
    assert found.documents == [
        Document(type="P", number="A1234567", issuing_country="IRN", expiry_date="2020-01-31"),
        Document(type="I", number="0012345678", issuing_country="IRN"),
    ]
    assert found.weak_aliases == ["ABU-'UMAR"]
    assert found.problems == []


@pytest.mark.parametrize(
    ("remarks", "dates"),
    [
        ("DOB circa 1955", [EntryDate(date="1955", approximate=True)]),
        ("DOB 1960 to 1962", [date_range("1960", "1962")]),
        ("DOB 01 Jan 1960 to 31 Dec 1962", [date_range("1960-01-01", "1962-12-31")]),
        ("DOB Mar 1960", [EntryDate(date="1960-03")]),
        ("DOB circa 1955-1957", [date_range("1955", "1957", approximate=True)]),
        ("DOB 1970; alt. DOB 1970", [EntryDate(date="1970")]),
    ],
)
def test_remarks_dob_forms(remarks: str, dates: list[EntryDate]) -> None:
    assert parse_remarks(remarks).dates_of_birth == dates


@pytest.mark.parametrize(
    "remarks",
    ["DOB sometime in the sixties", "DOB 31 Feb 1960", "DOB 1962 to 1960"],
)
def test_remarks_bad_dob_is_a_problem_not_an_exception(remarks: str) -> None:
    found = parse_remarks(remarks + "; nationality Iran")
    assert found.dates_of_birth == []
    assert found.nationalities == ["IRN"]
    assert len(found.problems) == 1 and found.problems[0].startswith("date of birth dropped")


def test_remarks_documents_edge_cases() -> None:
    found = parse_remarks(
        "Passport C234897(0) (United Kingdom); National ID No. (HWI)040182 (Burma); "
        "Passport issued in Sarajevo; Passport I066302 (Cabo Verde.  Previously Cape Verde.); "
        "Passport 123 (Atlantis)"
    )
    assert found.documents == [
        Document(type="P", number="C234897(0)", issuing_country="GBR"),
        Document(type="I", number="(HWI)040182", issuing_country="MMR"),
        Document(type="P", number="I066302", issuing_country="CPV"),
        Document(type="P", number="123"),
    ]
    assert found.problems == ["P document without a number dropped", "document country 'Atlantis' not recognised"]


def test_remarks_empty() -> None:
    assert parse_remarks("-0- ").documents == []
    assert parse_remarks(None).dates_of_birth == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NORIEGA, Manuel Antonio", ("Manuel Antonio NORIEGA", "NORIEGA", "Manuel Antonio")),
        ("ABU ABBAS", ("ABU ABBAS", None, None)),
        ("SMITH,", ("SMITH", None, None)),
    ],
)
def test_split_ofac_name(raw: str, expected: tuple[str, str | None, str | None]) -> None:
    assert split_ofac_name(raw) == expected


def _write(path: Path, text: str, encoding: str = "latin-1") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_ofac_directory_with_bad_rows(tmp_path: Path) -> None:
    _write(
        tmp_path / "sdn.csv",
        '1,"DOE, John","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 1970; Passport X1 (Iran)."\r\n'
        '2,"ACME LTD",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        '3,"SEA STAR","vessel","IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        'x4,"BAD, Id","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        '5,"SHORT, Row","individual"\r\n'
        '6,"MÜLLER, Jörg","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 1980; Gender Female."\r\n'
        "\x1a",
    )
    _write(
        tmp_path / "alt.csv",
        '1,10,"aka","DOE, Johnny",-0- \r\n1,11,"fka","DOE, John",-0- \r\n99,12,"aka","NOBODY",-0- \r\n'
        '2,13,"aka","ACME",-0- \r\n',
    )
    assert detect_format(tmp_path) == "ofac-csv"
    result = read_watchlist(tmp_path)
    assert result.list_id == "ofac-sdn"
    assert result.skipped == {"entity": 1, "vessel": 1}
    assert result.errors == [
        RowError(4, "ent_num 'x4' is not a number, row dropped"),
        RowError(5, "3 cells for 12 columns, row dropped"),
    ]
    assert result.warnings == [RowError(3, "alt.csv: alias of unknown ent_num '99'")]
    doe, muller = result.entries
    assert doe.names == [
        EntryName(full_name="John DOE", surname="DOE", given_names="John", script="Latn"),
        EntryName(
            full_name="Johnny DOE", surname="DOE", given_names="Johnny", script="Latn", quality="aka", kind="alias"
        ),
    ]
    assert doe.documents == [Document(type="P", number="X1", issuing_country="IRN")]
    assert muller.names[0].full_name == "Jörg MÜLLER"
    assert muller.genders == ["F"]


def test_ofac_empty_directory_refused(tmp_path: Path) -> None:
    with pytest.raises(WatchlistFormatError):
        detect_format(tmp_path)


# --------------------------------------------------------------------------- UK HMT

HMT_HEADER = (
    "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,DOB,Town of Birth,Country of Birth,Nationality,"
    "Passport Details,NI Number,Position,Address 1,Address 2,Address 3,Address 4,Address 5,Address 6,"
    "Post/Zip Code,Country,Other Information,Group Type,Alias Type,Regime,Listed On,Last Updated,Group ID"
)


def _hmt_row(surname: str, given: str, dob: str, nat: str, passport: str, group_type: str, alias: str, gid: str) -> str:
    cells = [surname, given, "", "", "", "", "", dob, "Town", "Iraq", nat, passport, ""]
    cells += [""] * 9 + ["Note", group_type, alias, "Iraq", "01/01/2010", "01/01/2011", gid]
    return ",".join(f'"{c}"' if "," in c else c for c in cells)


def test_uk_hmt_grouping_dates_and_bad_rows(tmp_path: Path) -> None:
    lines = [
        "Last Updated,02/04/2014",
        HMT_HEADER,
        _hmt_row(
            "AL-TEST",
            "Ali",
            "00/00/1960",
            "(1) Iraqi (2) Syrian",
            "A123456 (Iraqi). Issued 2001",
            "Individual",
            "AKA",
            "7",
        ),
        _hmt_row("TEST", "Ali", "00/05/1960", "Iraqi", "", "Individual", "Prime Alias", "7"),
        _hmt_row("TEST", "ALI", "31/02/1960", "Martian", "", "Individual", "AKA", "7"),
        "too,few,cells",
        _hmt_row("ACME", "", "", "", "", "Entity", "Prime Alias", "8"),
        _hmt_row("SHIP ONE", "", "", "", "", "Ship", "Prime Alias", "9"),
        _hmt_row("NOGROUP", "X", "", "", "", "Individual", "AKA", ""),
    ]
    path = _write(tmp_path / "conlist.csv", "\r\n".join(lines) + "\r\n", encoding="cp1252")
    assert detect_format(path) == "uk-hmt-csv"
    result = read_watchlist(path)
    assert result.list_version == "2014-04-02"
    assert result.skipped == {"entity": 1, "ship": 1}
    assert result.errors == [
        RowError(6, "3 cells for 29 columns, row dropped"),
        RowError(9, "row without Group ID, dropped"),
    ]
    (entry,) = result.entries
    assert entry.entry_id == "7"
    assert [(n.full_name, n.kind) for n in entry.names] == [("Ali TEST", "primary"), ("Ali AL-TEST", "alias")]
    assert entry.dates_of_birth == [EntryDate(date="1960"), EntryDate(date="1960-05")]
    assert entry.nationalities == ["IRQ", "SYR"]
    assert entry.documents == [Document(type="P", number="A123456", issuing_country="IRQ")]
    assert [w.error for w in result.warnings] == [
        "7: date of birth dropped: day is out of range for month",
        "7: nationality 'Martian' not recognised, dropped",
    ]


def test_uk_hmt_without_header(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.csv", "Last Updated,02/04/2014\r\na,b,c\r\n")
    result = read_watchlist(path, format="uk-hmt-csv")
    assert result.entries == []
    assert result.errors == [RowError(None, "no header with 'Name 6' and 'Group ID' columns")]


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("D 000974 (Afghan)", "P", [Document(type="P", number="D 000974", issuing_country="AFG")]),
        ("284158, expires 21 Aug 2005 (Iraq)", "P", [Document(type="P", number="284158", issuing_country="IRQ")]),
        (
            "(1) 6487 (Egypt). Issued 30 Jan 1986. (2) (Eqypt). Issued 1993. (3) 388181 (Yemen).",
            "P",
            [
                Document(type="P", number="6487", issuing_country="EGY"),
                Document(type="P", number="388181", issuing_country="YEM"),
            ],
        ),
        ("no 3603251708570001", "I", [Document(type="I", number="3603251708570001")]),
        ("(1) 660105-01-5297 (2) Driver license no D2161572.", "I", [Document(type="I", number="660105-01-5297")]),
        ("", "P", []),
    ],
)
def test_hmt_documents(raw: str, kind: str, expected: list[Document]) -> None:
    assert parse_hmt_documents(raw, kind) == expected


def test_split_enumerated() -> None:
    assert split_enumerated("(1) Afghan (2) Pakistani") == ["Afghan", "Pakistani"]
    assert split_enumerated("1) Uzbek 2) Afghan") == ["Uzbek", "Afghan"]
    assert split_enumerated("Iraqi") == ["Iraqi"]
    assert split_enumerated(None) == []


@pytest.mark.parametrize(
    ("raw", "code"),
    [("Afghan", "AFG"), ("Saudi Arabian", "SAU"), ("Korea, North", "PRK"), ("Burma", "MMR"),
     ("Possibly Ethiopian", "ETH"), ("Iranian citizenship", "IRN"), ("USSR", None), ("", None)],
)  # fmt: skip
def test_country_or_nationality(raw: str, code: str | None) -> None:
    assert country_or_nationality_to_alpha3(raw) == code


def test_decode_text() -> None:
    assert decode_text("Zürich".encode()) == ("Zürich", "utf-8")
    assert decode_text("DPRK’s".encode("cp1252")) == ("DPRK’s", "cp1252")
    assert decode_text(b"\x81") == ("\x81", "latin-1")


# --------------------------------------------------------------------------- EU FSF

EU_HEADER = (
    "Date_file;Entity_logical_id;Subject_type;Programme;Entity_remark;Naal_lastname;Naal_firstname;"
    "Naal_middlename;Naal_wholename;Naal_gender;Birt_date;Birt_place;Birt_country;Iden_number;Iden_country;"
    "Entity_logical_id;Citi_country"
)


def test_eu_cross_product_dedup(tmp_path: Path) -> None:
    rows = [
        EU_HEADER,
        "04/07/2018;5;P;IRQ;;Doe;John;;John Doe;M;;;;;;5;",
        "04/07/2018;5;P;IRQ;;Doe;John;;John Doe;M;1960-01-02;Baghdad;IRQ;;;5;IRQ",
        "04/07/2018;5;P;IRQ;;Doe;Jon;;Jon Doe;M;1960-01-02;Baghdad;IRQ;A1 (passport-National passport);IRQ;5;IRQ",
        "04/07/2018;5;P;IRQ;;;;;;;N/A;;;A1 (passport-National passport);IRQ;5;IRQ",
        "04/07/2018;5;P;IRQ;;;;;;;1960;;;;;5;ATL",
        "04/07/2018;6;E;IRQ;;;;;ACME;;;;;;;6;",
        "04/07/2018;7;P;IRQ;;too;many;;;;;;;;;7;;extra",
        "04/07/2018;;P;IRQ;;;;;;;;;;;;;",
        "04/07/2018;8;P;IRQ;;;;;;;1970;;;;;8;",
    ]
    path = _write(tmp_path / "eu.csv", "\n".join(f'"{r}\t\t"' for r in rows) + "\n")
    assert detect_format(path) == "eu-fsf-csv"
    result = read_watchlist(path)
    assert result.list_version == "2018-07-04"
    assert result.skipped == {"entity": 1}
    assert result.errors == [
        RowError(8, "18 fields for 17 columns, row dropped"),
        RowError(9, "row without Entity_logical_id, dropped"),
        RowError(10, "8: person without any name"),
    ]
    (entry,) = result.entries
    assert [n.full_name for n in entry.names] == ["John Doe", "Jon Doe"]
    assert entry.dates_of_birth == [EntryDate(date="1960-01-02"), EntryDate(date="1960")]
    assert entry.places_of_birth == ["Baghdad, IRQ"]
    assert entry.citizenships == ["IRQ"]
    assert entry.genders == ["M"]
    assert entry.documents == [Document(type="P", number="A1", issuing_country="IRQ")]
    assert [w.error for w in result.warnings] == ["5: citizenship 'ATL' not recognised, dropped"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("AD001095 (passport-National passport) ((passport))", Document(type="P", number="AD001095")),
        ("63-646650 Q70 (id-National identification card) ((id))", Document(type="I", number="63-646650 Q70")),
        ('""AD001159 (other-Other identification number) ""', Document(number="AD001159")),
        ("N/A", None),
        ("unknown (passport-National passport)", None),
    ],
)
def test_eu_identification(raw: str, expected: Document | None) -> None:
    assert parse_identification(raw) == expected


# --------------------------------------------------------------------------- FtM


def test_ftm_person_and_bad_lines(tmp_path: Path) -> None:
    person = {
        "id": "P1",
        "schema": "Person",
        "caption": "Ivan PETROV",
        "properties": {
            "name": ["Ivan PETROV", "Иван Петров", "ivan petrov"],
            "alias": ["Vanya"],
            "weakAlias": ["The Bear"],
            "firstName": ["Ivan"],
            "lastName": ["PETROV"],
            "birthDate": ["1970", "1970-05-06", "2999-01-01"],
            "nationality": ["ru", "zz"],
            "citizenship": ["ua"],
            "gender": ["male"],
            "passportNumber": ["123456789"],
            "idNumber": ["TIN: 7700", "AB 12345"],
        },
    }
    lines = [
        json.dumps(person),
        json.dumps({"id": "C1", "schema": "Company", "properties": {"name": ["ACME"]}}),
        "{not json",
        json.dumps({"id": "P2", "schema": "Person", "properties": {}}),
        json.dumps(["a"]),
        json.dumps({"id": "X", "properties": {}}),
        json.dumps(person),
    ]
    path = tmp_path / "list.ftm.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert detect_format(path) == "ftm"
    result = read_watchlist(path)
    assert result.list_id == "list"
    assert result.skipped == {"company": 1}
    assert [e.line for e in result.errors] == [3, 4, 5, 6, 7]
    assert result.errors[1] == RowError(4, "P2: Person without a name")
    (entry,) = result.entries
    assert entry.names == [
        EntryName(full_name="Ivan PETROV", surname="PETROV", given_names="Ivan", script="Latn"),
        EntryName(full_name="Иван Петров", script="Cyrl", kind="original_script"),
        EntryName(full_name="Vanya", script="Latn", quality="aka", kind="alias"),
        EntryName(full_name="The Bear", script="Latn", quality="weak", kind="alias"),
    ]
    assert entry.dates_of_birth == [EntryDate(date="1970"), EntryDate(date="1970-05-06")]
    assert entry.nationalities == ["RUS"]
    assert entry.citizenships == ["UKR"]
    assert entry.genders == ["M"]
    assert entry.documents == [Document(type="P", number="123456789"), Document(type="I", number="AB 12345")]
    assert [w.error.split(": ", 1)[1] for w in result.warnings] == [
        "date of birth dropped: birth date 2999-01-01 is in the future",
        "nationality 'zz' not recognised, dropped",
    ]


def test_senzing_detected_and_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps({"DATA_SOURCE": "X", "RECORD_ID": "1", "NAME_FULL": "A B"}) + "\n", encoding="utf-8")
    with pytest.raises(WatchlistFormatError, match="Senzing"):
        detect_format(path)
