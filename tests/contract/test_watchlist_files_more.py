"""Contract tests: the real OFAC, UK HMT, EU FSF and OpenSanctions FtM sample files.

Expected counts were established independently of the readers (csv module / grep / awk
over the raw files, no reader code), then reconciled entry by entry:

OFAC SDN 2021-07-07 (``sdn.csv`` Latin-1, 12 columns, no header):
- individuals 4620 = rows with SDN_Type ``individual``; skipped 3673 ``-0-`` (entity),
  406 vessel, 277 aircraft (SOURCES.md gives the same split).
- aliases 8017 = 6272 alt.csv rows whose ent_num is an individual + 1755
  ``a.k.a. '`` in their Remarks (weak aliases) + 2 more in sdn_comments.csv (the Remarks
  overflow of 28264) − 12 aliases equal to another name of the same person once
  ``LAST, First`` is written ``First LAST`` (4307, 4564, 6368, 10594, 11270, 11271, 11293,
  12609, 12762, 13369, 16448, 20125). names 12637 = 4620 + 8017.
- dates of birth 5124 = 5125 ``DOB`` clauses (``(^|; )(alt. )?DOB ``) − 1 repeated
  (6703: ``DOB 31 Jul 1964; alt. DOB 31 Jul 1964``).
- documents 2822 = 2823 clauses ``(alt. )?(Diplomatic )?Passport|National ID No.|Cedula
  No.|D.N.I.|Identification Number`` − 3 without a number (8116 ``Passport issued in
  Sarajevo``, 11968 ``Passport and National ID were issued in Ulm``, 11313's copy inside a
  parenthesised note) + 2 in sdn_comments.csv (28264, 29703).
OFAC Consolidated 2025-12-19: 79 individuals, 363 entities; aliases 87 = 84 alt rows + 3
``a.k.a. '``; dates of birth 74 ``DOB`` clauses; documents 1 clause.

UK HMT 2014-04-02: groups by Group ID: 1337 Individual, 960 Entity (2297 in all);
names 3770 = distinct casefolded ``Name 1..6`` per individual group; dates of birth
1181 = 1182 distinct DOB strings per group − 1 impossible date (group 8052).

EU FSF 2018-07-04 (first 999 rows): ``awk -F';' '{print $2" "$3}' | sort -u`` → 61 P and
32 E subjects; line 55 has one field more than the header (a ``;`` inside a value).

FtM: ``grep -c '"schema": "Person"'`` → 6 in zala_cluster, 4 in t1_sample.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas.records import Document, EntryDate, EntryName
from schemas.watchlists import RowError, WatchlistFormatError, WatchlistReadResult, detect_format, read_watchlist
from schemas.watchlists.common import date_range

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
WL = SHARED / "data" / "watchlists"
OFAC_SDN = WL / "ofac_sdn_2021-07-07"
OFAC_CONS = WL / "ofac_consolidated_nonsdn_2025-12-19"
UK_HMT = WL / "uk_hmt_conlist_2014-04-02.csv"
EU_FSF = WL / "eu_fsf_consolidated_2018-07-04_first999rows.csv"
FTM_ZALA = WL / "opensanctions_ftm" / "zala_cluster.ftm.jsonl"
FTM_T1 = WL / "opensanctions_ftm" / "t1_sample.ftm.jsonl"

pytestmark = pytest.mark.contract


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared sample data not found at {path}")
    return path


@pytest.fixture(scope="module")
def sdn() -> WatchlistReadResult:
    return read_watchlist(_need(OFAC_SDN))


@pytest.fixture(scope="module")
def hmt() -> WatchlistReadResult:
    return read_watchlist(_need(UK_HMT))


@pytest.fixture(scope="module")
def eu() -> WatchlistReadResult:
    return read_watchlist(_need(EU_FSF))


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("ofac_sdn_2021-07-07", "ofac-csv"),
        ("ofac_sdn_2021-07-07/sdn.csv", "ofac-csv"),
        ("ofac_consolidated_nonsdn_2025-12-19", "ofac-csv"),
        ("ofac_consolidated_nonsdn_2025-12-19/cons_prim.csv", "ofac-csv"),
        ("uk_hmt_conlist_2014-04-02.csv", "uk-hmt-csv"),
        ("eu_fsf_consolidated_2018-07-04_first999rows.csv", "eu-fsf-csv"),
        ("opensanctions_ftm/zala_cluster.ftm.jsonl", "ftm"),
        ("opensanctions_ftm/t1_sample.ftm.jsonl", "ftm"),
        ("un_sc_consolidated_2026-02-27.xml", "un-xml"),
    ],
)
def test_formats_detected(relative: str, expected: str) -> None:
    assert detect_format(_need(WL / relative)) == expected


@pytest.mark.parametrize(
    "relative", ["opensanctions_ftm/us_congress_senzing.jsonl", "opensanctions_ftm/peps_senzing_sample.json"]
)
def test_senzing_files_refused_clearly(relative: str) -> None:
    with pytest.raises(WatchlistFormatError, match="Senzing JSON is not a supported"):
        read_watchlist(_need(WL / relative))


def test_us_csl_not_supported() -> None:
    with pytest.raises(WatchlistFormatError, match="unknown watchlist format"):
        detect_format(_need(WL / "us_csl_sample_2019" / "csl.csv"))


def test_ofac_sdn_summary_counts(sdn: WatchlistReadResult) -> None:
    assert sdn.summary() == {
        "list_id": "ofac-sdn",
        "format": "ofac-csv",
        "entries": 4620,
        "individuals": 4620,
        "names": 12637,
        "aliases": 8017,
        "dates_of_birth": 5124,
        "documents": 2822,
        "skipped": {"entity": 3673, "vessel": 406, "aircraft": 277},
        "errors": [],
    }
    assert sdn.list_version is not None and sdn.list_version.startswith("sha256:")


def test_ofac_sdn_file_path_same_as_directory(sdn: WatchlistReadResult) -> None:
    by_file = read_watchlist(OFAC_SDN / "sdn.csv")
    assert by_file.summary() == sdn.summary()
    assert by_file.list_version == sdn.list_version


def test_ofac_consolidated_summary_counts() -> None:
    result = read_watchlist(_need(OFAC_CONS))
    assert result.summary() == {
        "list_id": "ofac-cons",
        "format": "ofac-csv",
        "entries": 79,
        "individuals": 79,
        "names": 166,
        "aliases": 87,
        "dates_of_birth": 74,
        "documents": 1,
        "skipped": {"entity": 363},
        "errors": [],
    }


def test_ofac_passport_from_remarks(sdn: WatchlistReadResult) -> None:
    # 2676,"AL ZAWAHIRI, Dr. Ayman",...,"DOB 19 Jun 1951; POB Giza, Egypt; Passport 1084010 (Egypt);
    # alt. Passport 19820215; ..."  + alt.csv: 3 aliases
    entry = next(e for e in sdn.entries if e.entry_id == "2676")
    assert entry.names[0] == EntryName(
        full_name="Dr. Ayman AL ZAWAHIRI", surname="AL ZAWAHIRI", given_names="Dr. Ayman", script="Latn"
    )
    assert [n.full_name for n in entry.names[1:]] == [
        "Ayman AL-ZAWAHIRI",
        "Ahmad Fuad SALIM",
        "Aiman Muhammad Rabi AL-ZAWAHIRI",
    ]
    assert {n.quality for n in entry.names[1:]} == {"aka"}
    assert entry.documents == [
        Document(type="P", number="1084010", issuing_country="EGY"),
        Document(type="P", number="19820215"),
    ]
    assert entry.dates_of_birth == [EntryDate(date="1951-06-19")]
    assert entry.places_of_birth == ["Giza, Egypt"]
    assert entry.programme == "SDGT"


def test_ofac_year_only_dob_and_weak_alias(sdn: WatchlistReadResult) -> None:
    # 2678,"AWDA, Abd Al Aziz",...,"DOB 1946; ..."
    entry = next(e for e in sdn.entries if e.entry_id == "2678")
    assert entry.dates_of_birth == [EntryDate(date="1946")]
    # 4106 "HERRERA BUITRAGO, Helmer": DOB 24 Aug 1951; alt. DOB 05 Jul 1951; Cedula No. 16247821 (Colombia);
    # Passport J287011 (Colombia); a.k.a. 'PACHO'; a.k.a. 'H7'.
    entry = next(e for e in sdn.entries if e.entry_id == "4106")
    assert entry.dates_of_birth == [EntryDate(date="1951-08-24"), EntryDate(date="1951-07-05")]
    assert entry.documents == [
        Document(type="I", number="16247821", issuing_country="COL"),
        Document(type="P", number="J287011", issuing_country="COL"),
    ]
    weak = [n.full_name for n in entry.names if n.quality == "weak"]
    assert weak == ["PACHO", "H7"]


def test_ofac_range_gender_nationality_and_comments_overflow(sdn: WatchlistReadResult) -> None:
    kim = next(e for e in sdn.entries if e.entry_id == "20125")
    assert kim.dates_of_birth == [date_range("1937-01-01", "1938-12-31")]
    nasrallah = next(e for e in sdn.entries if e.entry_id == "2686")
    assert nasrallah.genders == ["M"]
    assert nasrallah.programme == "SDGT; SYRIA"
    assert len(nasrallah.dates_of_birth) == 4
    tian = next(e for e in sdn.entries if e.entry_id == "28264")
    # The Remarks of 28264 end in sdn_comments.csv: "... Identification Number 210302198701102136 (China);
    # a.k.a. 'blackjack1987'; a.k.a. 'khaleesi'; ..."
    assert tian.nationalities == ["CHN"]
    assert Document(type="I", number="210302198701102136", issuing_country="CHN") in tian.documents
    assert [n.full_name for n in tian.names if n.quality == "weak"] == ["blackjack1987", "khaleesi"]


def test_ofac_warnings_name_dropped_values(sdn: WatchlistReadResult) -> None:
    assert [w.error for w in sdn.warnings] == [
        "8116: P document without a number dropped",
        "10375: P document without a number dropped",
        "11968: P document without a number dropped",
    ]


def test_uk_hmt_summary_counts(hmt: WatchlistReadResult) -> None:
    summary = hmt.summary()
    assert summary["entries"] == summary["individuals"] == 1337
    assert summary["names"] == 3770
    assert summary["aliases"] == 3770 - 1337
    assert summary["dates_of_birth"] == 1181
    assert summary["skipped"] == {"entity": 960}
    assert summary["errors"] == []
    assert hmt.list_version == "2014-04-02"
    # Regression value of this reader (prose-heavy Passport Details / NI Number cells;
    # not derived independently): 404 numbers.
    assert summary["documents"] == 404
    assert RowError(8726, "8052: date of birth dropped: day is out of range for month") in hmt.warnings


def test_uk_hmt_group_of_alias_rows(hmt: WatchlistReadResult) -> None:
    # Group 6894: 7 rows (Prime Alias ABDURRAHMAN, AKA A RAHMAN, ABDUL RAHMAN …), DOB 17/08/1957 and
    # 17/08/1958 on different rows, Nationality Indonesian, NI Number "no 3603251708570001".
    entry = next(e for e in hmt.entries if e.entry_id == "6894")
    assert entry.names[0] == EntryName(
        full_name="Mohamad Iqbal ABDURRAHMAN", surname="ABDURRAHMAN", given_names="Mohamad Iqbal", script="Latn"
    )
    assert len(entry.names) == 7
    assert (
        EntryName(
            full_name="Mohamad Iqbal A RAHMAN",
            surname="A RAHMAN",
            given_names="Mohamad Iqbal",
            script="Latn",
            quality="aka",
            kind="alias",
        )
        in entry.names
    )
    assert entry.dates_of_birth == [EntryDate(date="1957-08-17"), EntryDate(date="1958-08-17")]
    assert entry.nationalities == ["IDN"]
    assert entry.documents == [Document(type="I", number="3603251708570001")]
    assert entry.programme == "Al-Qaida"


def test_uk_hmt_year_only_dob(hmt: WatchlistReadResult) -> None:
    # Group 12510: "ABBAS,Fayssal,...,Dr,00/00/1955,Hama Province" (Prime Alias) + AKA Faysal
    entry = next(e for e in hmt.entries if e.entry_id == "12510")
    assert entry.dates_of_birth == [EntryDate(date="1955")]
    assert [n.full_name for n in entry.names] == ["Fayssal ABBAS", "Faysal ABBAS"]
    assert entry.places_of_birth == ["Hama Province"]


def test_eu_fsf_counts_and_cut_row(eu: WatchlistReadResult) -> None:
    summary = eu.summary()
    assert summary["entries"] == summary["individuals"] == 61
    assert summary["skipped"] == {"entity": 32}
    assert summary["errors"] == [{"line": 55, "error": "60 fields for 59 columns, row dropped"}]
    assert eu.list_version == "2018-07-04"


def test_eu_fsf_cross_product_deduplicated(eu: WatchlistReadResult) -> None:
    # Entity 1 (Mugabe): two name rows with the same wholename, birth 1924-02-21 Kutama, passport AD001095.
    entry = next(e for e in eu.entries if e.entry_id == "1")
    assert entry.names == [
        EntryName(full_name="Robert Gabriel Mugabe", surname="Mugabe", given_names="Robert Gabriel", script="Latn")
    ]
    assert entry.dates_of_birth == [EntryDate(date="1924-02-21")]
    assert entry.genders == ["M"]
    assert Document(type="P", number="AD001095") in entry.documents
    assert entry.programme == "ZWE"


def test_ftm_zala_cluster() -> None:
    result = read_watchlist(_need(FTM_ZALA))
    summary = result.summary()
    assert summary["entries"] == 6
    assert summary["skipped"] == {
        "sanction": 41,
        "ownership": 14,
        "company": 11,
        "address": 11,
        "family": 4,
        "directorship": 3,
        "passport": 1,
    }
    assert summary["errors"] == []
    entry = next(e for e in result.entries if e.entry_id == "NK-hUAjuiA3vTKXF6v2X6MYnS")
    assert entry.names[0].full_name == "Lavrentiy Aleksandrovich ZAKHAROV"
    assert entry.dates_of_birth == [EntryDate(date="1999-02-26")]
    assert entry.nationalities == ["RUS"]
    assert entry.genders == ["M"]
    assert entry.documents == [Document(type="P", number="089132114")]
    assert any(n.kind == "original_script" and n.script == "Cyrl" for n in entry.names)


def test_ftm_t1_sample() -> None:
    result = read_watchlist(_need(FTM_T1))
    assert result.summary()["entries"] == 4
    assert result.skipped == {"organization": 2, "address": 1}
