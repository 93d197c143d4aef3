"""Field case 17 through the wire: every watchlist reader rejects empty or ``<``-only
document numbers with a warning; multi-value fields are split; PAXLST and PNRGOV
document numbers reach the matcher in canonical form and hit the listed numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matchers import MatchConfig, Screener
from schemas.paxlst import decode_paxlst
from schemas.pnrgov import decode_pnrgov
from schemas.records import Document, EntryName, Traveller, WatchlistEntry
from schemas.screening import entry_to_person, traveller_to_person
from schemas.watchlists import read_watchlist
from schemas.watchlists.common import FILLER_ONLY_WARNING, filler_only_document_numbers

WARNING = FILLER_ONLY_WARNING


@pytest.mark.parametrize(
    ("raw", "count"),
    [
        ("<<<", 1),
        ("ZK4471203, <<<", 1),
        ("<<<; --; //", 3),  # punctuation only, each value
        ("ZK4471203\n\t\t\t", 0),  # the tail is blank, not a value
        ("ZK4471203, PB0093311", 0),
        ("", 0),
        (None, 0),
    ],
)
def test_filler_only_values_are_counted(raw: str | None, count: int) -> None:
    assert filler_only_document_numbers(raw) == count


# --- each reader: entry kept, the value dropped, a warning -------------------------


def test_csv_reader(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "entry_id,surname,given_names,document_number,document_type,document_country\n"
        'E1,BERZINS,ANDRIS,"ZK4471203, PB0093311",P,LVA\n'
        "E2,NOBODY,KNOWN,<<<,P,XXX\n"
        'E3,TAMM,KAAREL,"00512334; <<<",P,EST\n',
        encoding="utf-8",
    )
    result = read_watchlist(path)
    one, two, three = result.entries
    assert [d.number for d in one.documents] == ["ZK4471203", "PB0093311"]
    assert two.documents == []
    assert [d.number for d in three.documents] == ["00512334"]
    assert [(w.line, w.error) for w in result.warnings] == [(3, f"E2: {WARNING}"), (4, f"E3: {WARNING}")]


def test_jsonl_reader(tmp_path: Path) -> None:
    rows = [
        {"entry_id": "E1", "names": [{"full_name": "KNOWN NOBODY"}], "documents": [{"number": "<<<"}]},
        {
            "entry_id": "E2",
            "names": [{"full_name": "ANDRIS BERZINS"}],
            "documents": [{"number": "ZK 447-1203", "issuing_country": "LVA"}, {"number": " < < "}],
        },
    ]
    path = tmp_path / "list.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = read_watchlist(path)
    one, two = result.entries
    assert one.documents == []
    assert two.documents == [Document(number="ZK 447-1203", issuing_country="LVA")]
    assert [(w.line, w.error) for w in result.warnings] == [(1, f"E1: {WARNING}"), (2, f"E2: {WARNING}")]


def test_ftm_reader(tmp_path: Path) -> None:
    person = {
        "id": "P1",
        "schema": "Person",
        "properties": {"name": ["Andris BERZINS"], "passportNumber": ["<<<", "ZK4471203"]},
    }
    path = tmp_path / "list.ftm.jsonl"
    path.write_text(json.dumps(person) + "\n", encoding="utf-8")
    result = read_watchlist(path, format="ftm")
    (entry,) = result.entries
    assert entry.documents == [Document(type="P", number="ZK4471203")]
    assert [w.error for w in result.warnings] == [f"P1: passportNumber: {WARNING}"]


def test_un_xml_reader(tmp_path: Path) -> None:
    xml = (
        '<CONSOLIDATED_LIST dateGenerated="2026-01-01T00:00:00Z"><INDIVIDUALS>'
        "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>ANDRIS</FIRST_NAME><SECOND_NAME>BERZINS</SECOND_NAME>"
        "<REFERENCE_NUMBER>XXi.017</REFERENCE_NUMBER>"
        "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>&lt;&lt;&lt;</NUMBER>"
        "</INDIVIDUAL_DOCUMENT></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"
    )
    path = tmp_path / "un.xml"
    path.write_text(xml, encoding="utf-8")
    result = read_watchlist(path)
    (entry,) = result.entries
    assert entry.documents == []
    assert [w.error for w in result.warnings] == [f"XXi.017: {WARNING}"]


def test_eu_fsf_reader(tmp_path: Path) -> None:
    header = (
        "Date_file;Entity_logical_id;Subject_type;Programme;Entity_remark;Naal_lastname;Naal_firstname;"
        "Naal_middlename;Naal_wholename;Naal_gender;Birt_date;Birt_place;Birt_country;Iden_number;Iden_country;"
        "Entity_logical_id;Citi_country"
    )
    row = "04/07/2018;5;P;LVA;;Berzins;Andris;;Andris Berzins;M;;;;<<<;LVA;5;"
    path = tmp_path / "eu.csv"
    path.write_text(header + "\n" + row + "\n", encoding="utf-8")
    result = read_watchlist(path)
    (entry,) = result.entries
    assert entry.documents == []
    assert [w.error for w in result.warnings] == [f"5: {WARNING}"]


# --- decoders to matcher: the case's passenger table ---------------------------------

LISTED = [
    WatchlistEntry(
        list_id="wl",
        entry_id="WL-A",
        names=[EntryName(full_name="ANDRIS BERZINS", surname="BERZINS", given_names="ANDRIS")],
        documents=[
            Document(type="P", number="ZK 447-1203", issuing_country="LVA"),
            Document(type="P", number="ZK4471203\n\t\t\t", issuing_country="LVA"),
            Document(type="P", number="ZK4471203, PB0093311", issuing_country="LVA"),
        ],
    ),
    WatchlistEntry(
        list_id="wl",
        entry_id="WL-B",
        names=[EntryName(full_name="KAAREL TAMM", surname="TAMM", given_names="KAAREL")],
        documents=[Document(type="P", number="00512334", issuing_country="EST")],
    ),
    WatchlistEntry(
        list_id="wl",
        entry_id="WL-C",
        names=[EntryName(full_name="KNOWN NOBODY", surname="NOBODY", given_names="KNOWN")],
        documents=[Document(type="P", number="<<<", issuing_country="XXX")],
    ),
]


def paxlst(doc_segments: str, name: str = "OZOLS:JANIS") -> bytes:
    return (
        "UNA:+.? 'UNB+UNOA:4+ZZAIR+ZZBORDER+261129:0800+R17'UNH+1+PAXLST:D:05B:UN:IATA+ZZ17'BGM+745'"
        "TDT+20+ZZ0170'LOC+125+AAA'DTM+189:2611291000:201'LOC+87+BBB'DTM+232:2611291300:201'"
        f"NAD+FL+++{name}'ATT+2++M'DTM+329:800101'{doc_segments}CNT+42:1'UNT+12+1'UNZ+1+R17'"
    ).encode("ascii")


def screen(data: bytes, decoder: str = "paxlst") -> list[tuple[str, str | None]]:
    result = decode_paxlst(data) if decoder == "paxlst" else decode_pnrgov(data)
    (traveller,) = result.travellers
    screener = Screener([entry_to_person(e) for e in LISTED], MatchConfig())
    hits = screener.screen([traveller_to_person(traveller)])[0]
    return [(h.entry_id, h.explanation["document"]["detail"]) for h in hits]


@pytest.mark.parametrize(
    ("segments", "expected"),
    [
        ("DOC+P:110:111+ZK4471203'LOC+91+LVA'", [("WL-A", "exact")]),  # a
        ("DOC+P:110:111+PB0O93311'LOC+91+LVA'", [("WL-A", "lookalike_O0")]),  # c
        ("DOC+P:110:111+512334'LOC+91+EST'", [("WL-B", "leading_zeros")]),  # d
        ("DOC+P:110:111+ZK4471203<'LOC+91+LVA'", [("WL-A", "exact")]),  # e
        ("DOC+P:110:111+ZK4471203'LOC+91+EST'", [("WL-A", "exact_other_country")]),  # f
        ("DOC+P:110:111+<<<'LOC+91+XXX'", []),  # g: no comparison
    ],
)
def test_case17_passengers_from_paxlst(segments: str, expected: list[tuple[str, str]]) -> None:
    # the passenger's name (OZOLS JANIS) is none of the listed names: the document decides
    assert screen(paxlst(segments)) == expected


def test_case17_passenger_b_from_pnr_docs() -> None:
    data = (
        "UNA:+.?*'UNB+IATA:1+ZZ+ZZBORDER+261129:1200+R17'UNH+1+PNRGOV:13:1:IA+ZZ17'MSG+:22'ORG+ZZ'"
        "TVL+291126:1015+AAA+BBB+ZZ+0170'EQN+1'SRC'RCI+ZZ:QX7P2L'TIF+OZOLS+JANISMR:A:1'"
        "SSR+DOCS:HK::ZZ:::::/P/LVA/zk447 1203/LVA/01JAN80/M/02FEB29/OZOLS/JANIS'UNT+12+1'UNZ+1+R17'"
    ).encode("ascii")
    assert screen(data, "pnrgov") == [("WL-A", "exact")]


@pytest.mark.parametrize(
    ("raw", "keys"),
    [
        ("S/263963", ["S263963"]),  # a slash inside one number: not a list
        ("AB12345/CD67890", ["AB12345", "CD67890"]),  # a slash between two whole numbers
        ("ZK4471203, PB0093311", ["ZK4471203", "PB0093311"]),
        ("ZK4471203\n\t\t\t", ["ZK4471203"]),
        ("zk447 1203; <<<", ["ZK4471203"]),
        ("NONE", []),
    ],
)
def test_number_fields_are_split_like_the_readers_split_them(raw: str, keys: list[str]) -> None:
    entry = LISTED[0].model_copy(update={"documents": [Document(type="P", number=raw, issuing_country="SDN")]})
    assert [d.number for d in entry_to_person(entry).documents] == keys
    traveller = screen_traveller(raw)
    assert [d.number for d in traveller_to_person(traveller).documents] == keys


def screen_traveller(number: str) -> Traveller:
    return Traveller(
        traveller_id="t",
        surname="OZOLS",
        given_names="JANIS",
        documents=[Document(type="P", number=number, issuing_country="SDN")],
    )


def test_slash_number_on_the_list_is_an_exact_document_hit() -> None:
    entry = LISTED[0].model_copy(update={"documents": [Document(type="P", number="S/263963", issuing_country="SDN")]})
    screener = Screener([entry_to_person(entry)], MatchConfig())
    (hit,) = screener.screen([traveller_to_person(screen_traveller("S263963"))])[0]
    assert (hit.entry_id, hit.explanation["document"]["detail"]) == ("WL-A", "exact")
