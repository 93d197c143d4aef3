"""Field case 14 end to end: the case's watchlist DOB strings read from a list file,
screened against passengers p1 (1971-03-22) and p2 (1972-01-05) — the whole expected
table, the order of evidence strength, and the future date rejected at load."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from matchers import MatchConfig, Screener
from schemas.records import Traveller
from schemas.screening import entry_to_person, traveller_to_person
from schemas.watchlists import read_watchlist

# entry id, raw DOB as listed, expected (result, detail) vs p1 and vs p2
TABLE = [
    ("E-DAY", "22/03/1971", ("match", "day"), ("mismatch", "day")),
    ("E-MONTH", "03/1971", ("match", "month"), ("mismatch", "month")),
    ("E-YEAR", "1971", ("match", "year"), ("mismatch", "year")),
    ("E-YEARS", "1969, 1971", ("match", "year"), ("mismatch", "year")),
    ("E-RANGE", "1970-1973", ("partial", "range"), ("partial", "range")),
    ("E-APPROX", "Approximately 1970", ("partial", "approximate"), ("partial", "approximate")),
    ("E-ZEROS", "1971-00-00", ("match", "year"), ("mismatch", "year")),
    ("E-DOTS", "00.03.1971", ("match", "month"), ("mismatch", "month")),
    ("E-EMPTY", "", ("unknown", None), ("unknown", None)),
    ("E-FUTURE", "2031-05-01", ("unknown", None), ("unknown", None)),  # rejected at load
    # order unknown and both readings valid: 5 March or 3 May, both kept, either is partial
    ("E-ORDER", "22/03/1971; 03/22/1971", ("match", "day"), ("mismatch", "day")),
    ("E-SWAP", "05/03/1971", ("mismatch", "day"), ("mismatch", "day")),  # neither reading is p1's
    ("E-MDY", "03/22/1971", ("match", "day"), ("mismatch", "day")),  # only month-first names a date
]

P1 = Traveller(traveller_id="p1", surname="DUARTE", given_names="MIGUEL", date_of_birth="1971-03-22")
P2 = Traveller(traveller_id="p2", surname="DUARTE", given_names="MIGUEL", date_of_birth="1972-01-05")


@pytest.fixture(scope="module")
def hits(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, dict[str, object]]]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["entry_id", "surname", "given_names", "date_of_birth"])
    for entry_id, raw, _, _ in TABLE:
        writer.writerow([entry_id, "DUARTE", "MIGUEL", raw])
    path: Path = tmp_path_factory.mktemp("case14") / "list.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    result = read_watchlist(path)
    assert [w.error for w in result.warnings] == [
        "E-FUTURE: date of birth dropped: birth date 2031-05-01 is in the future"
    ]
    screener = Screener([entry_to_person(e) for e in result.entries], MatchConfig(max_hits=50))
    got: dict[str, dict[str, dict[str, object]]] = {}
    for traveller in (P1, P2):
        (found,) = screener.screen([traveller_to_person(traveller)], threshold=0.0)
        got[traveller.traveller_id] = {h.entry_id: {**h.explanation["dob"], "score": h.score} for h in found}
    return got


@pytest.mark.parametrize(("entry_id", "raw", "vs_p1", "vs_p2"), TABLE)
def test_case14_table(
    hits: dict[str, dict[str, dict[str, object]]],
    entry_id: str,
    raw: str,
    vs_p1: tuple[str, str | None],
    vs_p2: tuple[str, str | None],
) -> None:
    for pax, expected in (("p1", vs_p1), ("p2", vs_p2)):
        dob = hits[pax][entry_id]
        assert (dob["result"], dob["detail"]) == expected, (raw, pax)


def test_case14_dob_is_never_stored_as_a_fake_full_date(hits: dict[str, dict[str, dict[str, object]]]) -> None:
    assert hits["p1"]["E-YEAR"]["candidate"] == "1971"
    assert hits["p1"]["E-MONTH"]["candidate"] == "1971-03"
    assert hits["p1"]["E-RANGE"]["candidate"] == "1970..1973"
    assert hits["p1"]["E-APPROX"]["candidate"] == "~1970"


def test_case14_evidence_grows_with_precision(hits: dict[str, dict[str, dict[str, object]]]) -> None:
    s = {k: v["score"] for k, v in hits["p1"].items()}
    assert s["E-DAY"] > s["E-MONTH"] > s["E-YEAR"] > s["E-RANGE"] == s["E-APPROX"] > s["E-EMPTY"]
    assert s["E-YEAR"] == s["E-YEARS"] == s["E-ZEROS"] and s["E-MONTH"] == s["E-DOTS"]
    assert s["E-EMPTY"] == s["E-FUTURE"]  # unknown is neutral
    p2 = {k: v["score"] for k, v in hits["p2"].items()}
    assert p2["E-DAY"] < p2["E-EMPTY"]  # a mismatch at a known precision is evidence against


def test_case14_day_month_order_unknown_keeps_both_readings() -> None:
    from schemas.watchlists.common import parse_dob

    readings = parse_dob("05/03/1971")
    assert [(d.date, d.approximate) for d in readings] == [("1971-03-05", True), ("1971-05-03", True)]
    assert [d.date for d in parse_dob("05/03/1971", day_first=True)] == ["1971-03-05"]
    screener = Screener(
        [entry_to_person(e) for e in _entries_with_dob("05/03/1971")],
        MatchConfig(),
    )
    for dob in ("1971-03-05", "1971-05-03"):
        t = P1.model_copy(update={"date_of_birth": dob})
        (hit,) = screener.screen([traveller_to_person(t)], threshold=0.0)[0]
        assert (hit.explanation["dob"]["result"], hit.explanation["dob"]["detail"]) == ("partial", "day_month_order")


def _entries_with_dob(raw: str) -> list:  # type: ignore[type-arg]
    from schemas.records import EntryName, WatchlistEntry
    from schemas.watchlists.common import parse_dob

    return [
        WatchlistEntry(
            list_id="wl",
            entry_id="E1",
            names=[EntryName(full_name="MIGUEL DUARTE", surname="DUARTE", given_names="MIGUEL")],
            dates_of_birth=parse_dob(raw),
        )
    ]


def test_jsonl_reader_drops_future_birth_dates_with_a_warning(tmp_path: Path) -> None:
    import json
    from datetime import date

    from schemas.records import EntryDate
    from schemas.watchlists.jsonl import read_jsonl

    row = {
        "entry_id": "E1",
        "names": [{"full_name": "MIGUEL DUARTE"}],
        "dates_of_birth": [{"date": "2031-05-01"}, {"date": "1971"}, {"from": "2027", "to": "2030"}],
    }
    path = tmp_path / "list.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    result = read_jsonl(path, today=date(2026, 11, 29))
    (entry,) = result.entries
    assert entry.dates_of_birth == [EntryDate(date="1971")]
    assert [w.error for w in result.warnings] == [
        "E1: date of birth dropped: birth date 2031-05-01 is in the future",
        "E1: date of birth dropped: birth date 2027 is in the future",
    ]
