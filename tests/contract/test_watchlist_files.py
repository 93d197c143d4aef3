"""Contract tests: the real UN Security Council Consolidated List XML (2026-02-27).

Expected counts were established independently of the reader, with grep over the raw
file restricted to the INDIVIDUALS section
(``sed -n '/<INDIVIDUALS>/,/<\\/INDIVIDUALS>/p' FILE > ind.xml``):

- individuals 730 = ``grep -c '<INDIVIDUAL>' ind.xml``; entities 273 = ``grep -c '<ENTITY>' FILE``
  (SOURCES.md: 730 individuals, 273 entities).
- original-script names 336 = ``grep -c '<NAME_ORIGINAL_SCRIPT>' ind.xml`` (none repeated).
- aliases 2203 = 2139 non-empty ``<ALIAS_NAME>`` + 54 ``;`` inside them (each one more
  name) + 20 parenthesised groups in another script / ``original script:`` (listed with
  ``grep -o '<ALIAS_NAME>[^<]*([^<]*' ind.xml``, counted by hand) − 10 names repeated
  on the same person (a per-``INDIVIDUAL`` regex, casefolded).
- names 3269 = 730 primary + 336 original-script + 2203 aliases.
- dates of birth 894 = 870 ``<TYPE_OF_DATE>`` with a value (919 elements − 49 empty)
  − 1 unreadable (``30-35 years old``, LYi.022) + 25 of the 58 alias ``<DATE_OF_BIRTH>``
  values that are not already a date of the same person.
- documents 448 = 454 ``<NUMBER>`` elements − 6 repeats (KPi.006, KPi.008, KPi.009 list
  one passport three times each); ``R00012098, South Sudan`` stays one number.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas.records import Document, EntryDate, EntryName
from schemas.watchlists import WatchlistReadResult, detect_format, read_watchlist
from schemas.watchlists.common import date_range

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
UN_XML = SHARED / "data" / "watchlists" / "un_sc_consolidated_2026-02-27.xml"

pytestmark = pytest.mark.contract


@pytest.fixture(scope="module")
def un() -> WatchlistReadResult:
    if not UN_XML.exists():
        pytest.skip(f"shared sample data not found at {UN_XML}")
    return read_watchlist(UN_XML)


def test_un_xml_detected() -> None:
    if not UN_XML.exists():
        pytest.skip(f"shared sample data not found at {UN_XML}")
    assert detect_format(UN_XML) == "un-xml"


def test_un_xml_summary_counts(un: WatchlistReadResult) -> None:
    assert un.summary() == {
        "list_id": "un-sc",
        "format": "un-xml",
        "entries": 730,
        "individuals": 730,
        "names": 3269,
        "aliases": 2203,
        "dates_of_birth": 894,
        "documents": 448,
        "skipped": {"entity": 273},
        "errors": [],
    }


def test_un_xml_version_and_ids(un: WatchlistReadResult) -> None:
    assert un.list_version == "2026-02-27T00:00:09.554Z"
    assert {e.list_version for e in un.entries} == {"2026-02-27T00:00:09.554Z"}
    assert len({e.entry_id for e in un.entries}) == 730
    assert un.entries[0].entry_id == "CDi.001"


def test_un_xml_warnings_name_dropped_values(un: WatchlistReadResult) -> None:
    assert sorted(w.error for w in un.warnings) == [
        "LYi.022: date of birth dropped: unreadable birth date '30-35 years old'",
        "QDi.290: nationality 'former Soviet Union' not recognised, dropped",
        "SDi.001: nationality 'na' not recognised, dropped",
    ]


def test_un_xml_year_only_dob_gender_nationality(un: WatchlistReadResult) -> None:
    entry = next(e for e in un.entries if e.entry_id == "CDi.001")
    assert entry.names == [EntryName(full_name="ERIC BADEGE", script="Latn", kind="primary")]
    assert entry.dates_of_birth == [EntryDate(date="1971")]
    assert entry.nationalities == ["COD"]
    assert entry.genders == ["M"]
    assert entry.programme == "DRC"
    assert entry.category == "individual"
    assert entry.remarks is not None and entry.remarks.startswith("He fled to Rwanda")


def test_un_xml_between_dob(un: WatchlistReadResult) -> None:
    entry = next(e for e in un.entries if e.entry_id == "CDi.030")
    assert entry.dates_of_birth == [date_range("1973", "1974")]
    assert entry.places_of_birth == ["Bigogwe, Rwanda"]
    assert EntryName(full_name="Bosco Ntaganda", script="Latn", quality="good", kind="alias") in entry.names
    assert EntryName(full_name="Terminator", script="Latn", quality="low", kind="alias") in entry.names


def test_un_xml_original_script_and_passport(un: WatchlistReadResult) -> None:
    entry = next(e for e in un.entries if e.entry_id == "LYi.023")
    assert entry.names[0] == EntryName(full_name="Ahmad Oumar Imhamad al-Fitouri", script="Latn", kind="primary")
    assert entry.names[1] == EntryName(full_name="احمد عمر امحمد الفيتوري", script="Arab", kind="original_script")
    assert entry.documents == [
        Document(type="P", number="LY53FP76", issuing_country="LBY"),
        Document(type="I", number="119880387067"),
    ]
    assert entry.dates_of_birth == [EntryDate(date="1988-05-07")]
    assert entry.nationalities == ["LBY"]


def test_un_xml_repeated_passport_kept_once(un: WatchlistReadResult) -> None:
    entry = next(e for e in un.entries if e.entry_id == "KPi.009")
    assert entry.documents == [Document(type="P", number="PS381420397", issuing_country="PRK")]


def test_un_xml_note_dates_and_parenthesised_aliases(un: WatchlistReadResult) -> None:
    entry = next(e for e in un.entries if e.entry_id == "QDi.306")
    # <NOTE>Between Aug. and Sep. 1977</NOTE> and an alias DOB-less YEAR 1976
    assert date_range("1977-08", "1977-09") in entry.dates_of_birth
    aliases = [n.full_name for n in entry.names if n.kind == "alias"]
    # <ALIAS_NAME>حسن غول (Hassan Ghul; Hassan Gul; Hasan Gul)</ALIAS_NAME>
    assert aliases[:4] == ["حسن غول", "Hassan Ghul", "Hassan Gul", "Hasan Gul"]
    assert entry.nationalities == ["PAK", "SAU"]


def test_un_xml_hijri_date_converted(un: WatchlistReadResult) -> None:
    # <NOTE>24/06/1402 (Hijri Calendar)</NOTE> → 19 April 1982 (tabular calendar), approximate
    hits = [e.entry_id for e in un.entries if EntryDate(date="1982-04-19", approximate=True) in e.dates_of_birth]
    assert len(hits) == 1


def test_un_xml_passports_and_alias_qualities(un: WatchlistReadResult) -> None:
    passports = sum(1 for e in un.entries for d in e.documents if d.type == "P")
    ids = sum(1 for e in un.entries for d in e.documents if d.type == "I")
    # Regression values of this reader, not derived independently: SOURCES.md counts 308
    # ``Passport`` elements; the French/Spanish ones and ``TYPE_OF_DOCUMENT2`` passports
    # add to them, numbers without any digit and repeats on one person take away.
    assert (passports, ids) == (309, 126)
    qualities = {n.quality for e in un.entries for n in e.names if n.kind == "alias"}
    assert qualities == {"good", "low"}
    scripts = {n.script for e in un.entries for n in e.names if n.kind == "original_script"}
    assert scripts == {"Arab", "Cyrl"}
