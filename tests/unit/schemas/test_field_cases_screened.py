"""Field cases 01, 02 and 07 carried through to screening: what the decoders recover must
also be what the matcher compares (apostrophe names, wrapped DOCS lines, incomplete and
misplaced passenger data)."""

from __future__ import annotations

from matchers import MatchConfig, Screener
from schemas.paxlst import decode_paxlst
from schemas.pnrgov import decode_pnrgov
from schemas.records import Document, EntryDate, EntryName, Traveller, WatchlistEntry
from schemas.screening import entry_to_person, traveller_to_person
from tests.unit.schemas.test_edifact import CASE01_PAXLST, CASE02
from tests.unit.schemas.test_pnrgov import CASE07


def listed(entry_id: str, surname: str, given: str, dob: str | None = None, *docs: Document) -> WatchlistEntry:
    return WatchlistEntry(
        list_id="wl",
        entry_id=entry_id,
        names=[EntryName(full_name=f"{given} {surname}", surname=surname, given_names=given)],
        dates_of_birth=[EntryDate(date=dob)] if dob else [],
        documents=list(docs),
    )


def screen(entries: list[WatchlistEntry], travellers: list[Traveller]) -> dict[str, list[tuple[str, list[str]]]]:
    """``traveller_id → [(entry_id, evidence)]`` of the hits at the default threshold."""
    screener = Screener([entry_to_person(e) for e in entries], MatchConfig())
    results = screener.screen([traveller_to_person(t) for t in travellers])
    return {
        t.traveller_id: [(h.entry_id, list(h.explanation["evidence"])) for h in hits]
        for t, hits in zip(travellers, results, strict=True)
    }


# --- case 01: the escaped apostrophe reaches the matcher without it -------------------


def test_case01_apostrophe_name_matches_every_spelling_of_the_listing() -> None:
    (t,) = decode_paxlst(CASE01_PAXLST.encode("ascii")).travellers
    assert t.surname == "O'DWYER"
    entries = [
        listed("A", "O'DWYER", "NIAMH", "1990-03-11"),
        listed("B", "ODWYER", "NIAMH", "1990-03-11"),
        listed("C", "O DWYER", "NIAMH", "1990-03-11"),
        listed("D", "O’DWYER", "NIAMH", "1990-03-11"),  # typographic apostrophe on the list
    ]
    got = screen(entries, [t])[t.traveller_id]
    assert sorted(e for e, _ in got) == ["A", "B", "C", "D"]
    assert all(ev == ["name", "dob"] for _, ev in got)


# --- case 02: a DOCS line wrapped by the transport is screened whole ------------------


def test_case02_wrapped_docs_line_is_screened_by_name_and_document() -> None:
    (t,) = decode_pnrgov(CASE02).travellers
    assert (t.surname, t.given_names, t.date_of_birth) == ("LINDQVIST", "ASTRID", "1991-04-17")
    assert [(d.number, d.issuing_country) for d in t.documents] == [("XY0001234", "SWE")]
    entries = [
        listed("E1", "LINDQVIST", "ASTRID", "1991-04-17"),
        listed("E2", "NYSTROM", "BO", None, Document(type="P", number="XY 000 1234", issuing_country="SWE")),
    ]
    got = dict(screen(entries, [t])[t.traveller_id])
    assert got == {"E1": ["name", "dob"], "E2": ["document"]}


# --- case 07: every traveller of the tolerant PNR is screened --------------------------


def test_case07_all_three_travellers_screened_pax2_on_name_and_document() -> None:
    r = decode_pnrgov(CASE07)
    entries = [
        listed("W-MENSAH", "MENSAH", "KOFI", "1979-08-21"),
        listed(
            "W-OKAFOR", "OKAFOR", "EMEKA", "1968-02-02", Document(type="P", number="ZB7731902", issuing_country="GBR")
        ),
        listed("W-ADA", "OKAFOR", "ADA", "2025-05-05"),
    ]
    got = screen(entries, r.travellers)
    assert got["QX7P2L-1"] == [("W-MENSAH", ["name", "dob"])]
    # pax 2 has no gender and no DOB: name and document decide, the DOB stays unknown (not a mismatch)
    assert got["QX7P2L-2"] == [("W-OKAFOR", ["name", "document"])]
    assert [e for e, _ in got["QX7P2L-3"]] == ["W-ADA"]


def test_case07_orphan_docs_is_screened_against_the_document_watchlist() -> None:
    itinerary = b"TIF+OKAFOR+ADA:IN:3'\nTVL+291126:1015+AAA+BBB+ZZ+0421'\n"
    assert CASE07.count(itinerary) == 1
    data = CASE07.replace(
        itinerary, itinerary + b"SSR+DOCS:HK::ZZ:::::/P/NGA/A07711122/NGA/01JAN70/M/01JAN30/BELLO/TUNDE'\n"
    )
    r = decode_pnrgov(data)
    orphan = next(t for t in r.travellers if t.surname == "BELLO")
    assert "orphan_docs" in [w.code for w in orphan.warnings]
    entries = [listed("W-DOC", "DANJUMA", "SANI", None, Document(type="P", number="A07711122", issuing_country="NGA"))]
    assert screen(entries, [orphan])[orphan.traveller_id] == [("W-DOC", ["document"])]


def test_case07_paxlst_doc_without_type_is_still_screened() -> None:
    head = CASE01_PAXLST.split("NAD+FL")[0].replace("BGM+250'", "BGM+745'")
    data = head + "NAD+FL+++MENSAH:KOFI'ATT+2++M'DOC++ZX0099887'L'UNT+19+1'UNZ+1+R0001'"
    (t,) = decode_paxlst(data.encode("ascii")).travellers
    assert [(d.type, d.number) for d in t.documents] == [(None, "ZX0099887")]
    entries = [listed("W-ZX", "ASANTE", "YAW", None, Document(type="P", number="ZX0099887", issuing_country="GHA"))]
    assert screen(entries, [t])[t.traveller_id] == [("W-ZX", ["document"])]
