"""The accuracy script (loadtest/accuracy.py) on a tiny list built here."""

from __future__ import annotations

from pathlib import Path

from loadtest.accuracy import measure, row_to_traveller, write_jsonl
from matchers import MatchConfig, Screener
from schemas.records import EntryDate, EntryName, Traveller, WatchlistEntry
from schemas.screening import entry_to_person


def test_row_to_traveller_structured_and_free_form() -> None:
    t = row_to_traveller(
        {
            "full_name": "Reni Mehdi Klemm",
            "first_name": "Reni",
            "middle_name": "Mehdi",
            "last_name": "Klemm",
            "gender": "female",
            "date_of_birth": "1965-01-07",
            "place_of_birth": "Hamburg",
            "nationality": "Denmark",
        },
        "neg-3",
    )
    assert (t.surname, t.given_names, t.gender, t.nationality) == ("Klemm", "Reni Mehdi", "F", "DNK")
    u = row_to_traveller({"full_name": "JANAN AGHA", "date_of_birth": "1958", "nationality": "af"}, "pos-2")
    assert (u.surname, u.full_name, u.date_of_birth, u.nationality) == (None, "JANAN AGHA", "1958", "AFG")


def test_measure_and_jsonl(tmp_path: Path) -> None:
    entries = [
        WatchlistEntry(
            list_id="un-sc",
            entry_id="1",
            names=[EntryName(full_name="JANAN AGHA")],
            dates_of_birth=[EntryDate(date="1958")],
            nationalities=["AFG"],
        ),
    ]
    screener = Screener([entry_to_person(e) for e in entries], MatchConfig())
    travellers = [
        Traveller(traveller_id="p1", full_name="JANAN AGHA", date_of_birth="1958"),
        Traveller(traveller_id="n1", surname="Barr", given_names="Kathryn", date_of_birth="1966-07-06"),
    ]
    res = measure(screener, travellers)
    assert (res["travellers"], res["with_hits"], res["rate"]) == (2, 1, 0.5)
    write_jsonl(travellers, tmp_path / "t.jsonl")
    lines = (tmp_path / "t.jsonl").read_text(encoding="utf-8").splitlines()
    assert [Traveller.model_validate_json(line) for line in lines] == travellers
