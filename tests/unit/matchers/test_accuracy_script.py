"""The accuracy script (loadtest/accuracy.py) on a tiny list built here."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from loadtest.accuracy import (
    Ours,
    _pairwise,
    congress_list,
    cross_script_pairs,
    format_table,
    interleaved_speed,
    measure,
    name_bench_cases,
    row_to_traveller,
    seeded_sample,
    write_jsonl,
)
from loadtest.peers import name_tokens, traveller_name
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


def test_congress_list_splits_names_as_a_list_would(tmp_path: Path) -> None:
    csv_path = tmp_path / "congress.csv"
    csv_path.write_text(
        "full_name,first_name,middle_name,last_name,gender,date_of_birth,place_of_birth,nationality\n"
        "Chris Van Hollen,,,,,1959,,\n"
        "Charles H. Taylor Jr.,,,,,1941,,\n"
        "Mike Rogers,,,,,1963,,\n"
        "Mike Rogers,,,,,1958,,\n",
        encoding="utf-8",
    )
    entries, queries = congress_list(csv_path)
    assert [(e.key, e.names[0].surname, e.names[0].given_names) for e in entries] == [
        ("us-congress:1", "Van Hollen", "Chris"),
        ("us-congress:2", "Taylor", "Charles H."),
        ("us-congress:3", "Rogers", "Mike"),
        ("us-congress:4", "Rogers", "Mike"),
    ]
    assert [q.full_name for q in queries][3] == "Mike Rogers"
    hits = Ours().load(entries).screen(queries)
    # each homonym finds its own row first: the birth year decides
    assert [h[0][0] for h in hits] == [e.key for e in entries]


def test_pair_files_and_sampling(tmp_path: Path) -> None:
    xs = tmp_path / "xs.csv"
    xs.write_text(
        "# comment\n# Format: Query,Expected\n\nВладимир Путин,Vladimir Putin,0.95,Russian\n", encoding="utf-8"
    )
    assert cross_script_pairs(xs) == [("Владимир Путин", "Vladimir Putin")]
    nb = tmp_path / "cases.csv"
    nb.write_text(
        "case_group,schema,name1,name2,is_match,quality,category,notes\n"
        "g,Person,Olaf Scholze,Olaf Scholz,true,STRONG,,\n"
        "g,Company,Siemens AG,SiemensAG,true,STRONG,,\n"
        "g,Person,Angelo Cruz,Angela Merkel,false,MEDIUM,,\n",
        encoding="utf-8",
    )
    assert name_bench_cases(nb) == [("Olaf Scholze", "Olaf Scholz", True), ("Angelo Cruz", "Angela Merkel", False)]
    items = list(range(100))
    sample = seeded_sample(items, 10, 6)
    assert sample == seeded_sample(items, 10, 6) and sample == sorted(sample) and len(set(sample)) == 10
    assert seeded_sample(items, 500, 6) == items


def test_pairwise_counts_and_cross_script_with_ours() -> None:
    ours = Ours()
    res = _pairwise(
        ours,
        [
            ("Vladimir Putin", "PUTIN, Vladimir", True),
            ("Владимир Путин", "Vladimir Putin", True),
            ("Angelo Cruz", "Angela Merkel", False),
            ("Olaf Schulze", "Olaf Scholz", True),
            ("Octavian Scholz", "Olaf Scholz", False),
            ("Xi Jinping", "习近平", True),
            ("Kim Jong Un", "金正恩", True),
        ],
    )
    # name-only comparisons top out at name_only_factor (0.85): a shared surname with a
    # different given name stays below the threshold; Chinese characters go through
    # unidecode as Mandarin pinyin (XI JIN PING meets XI JINPING), so the Korean reading
    # KIM JONG UN of 金正恩 (JIN ZHENG EN) is missed
    assert (res["tp"], res["fp"], res["tn"], res["fn"]) == (4, 0, 2, 1)
    assert (res["precision"], res["recall"]) == (1.0, 0.8)


def test_format_table_lists_every_engine_and_marks_missing_figures() -> None:
    report = {
        "sets": {
            "un_positives": 2,
            "congress_positives": 1,
            "negatives": 4,
            "negatives_sample": 2,
            "noisy_variants": {"typo": 1},
            "name_bench_person_pairs": 1,
            "cross_script_pairs": 1,
        },
        "engines": {
            "apis-matcher": {
                "threshold": 0.75,
                "un_positives": {"recall": 1.0},
                "congress_positives": {"recall": 0.5},
                "negatives_full": {"fp_rate": 0.0},
                "negatives_sample": {"fp_rate": 0.5},
                "noisy": {"recall": 1.0, "per_kind": {"typo": {"recall": 1.0}}},
                "name_bench_person": {"precision": 1.0, "recall": 0.0, "f1": 0.0},
                "cross_script": {"recall": 0.0},
                "cpu_s_per_traveller": 0.002,
                "startup_cpu_s": 1.0,
            },
            "logic-v2": {"threshold": 0.7, "un_positives": {"recall": 0.9}},
        },
    }
    lines = format_table(report).splitlines()
    assert "apis-matcher" in lines[0] and "logic-v2" in lines[0]
    un = next(ln for ln in lines if ln.startswith("UN positives recall (n=2)"))
    assert un.split()[-2:] == ["100.00%", "90.00%"]
    fp_all = next(ln for ln in lines if ln.startswith("negatives FP rate, UN+OFAC+UK, all"))
    assert fp_all.split()[-2:] == ["0.00%", "—"]
    assert next(ln for ln in lines if ln.startswith("CPU ms")).split()[-2:] == ["2.00", "—"]


def test_peer_helpers_without_nomenklatura() -> None:
    assert name_tokens("Владимир Путин") == ["vladimir", "putin"]
    assert name_tokens("O'Neil-Smith, J.") == ["o", "neil", "smith", "j"]
    assert traveller_name(Traveller(traveller_id="1", surname="Barr", given_names="Kathryn")) == "Kathryn Barr"
    assert traveller_name(Traveller(traveller_id="2", full_name="JANAN AGHA")) == "JANAN AGHA"


class _FakeEngine:
    """An engine that records what it is asked (for interleaved_speed)."""

    threshold = 0.5

    def __init__(self, name: str, calls: list[tuple[str, str, int]]) -> None:
        self.name = name
        self.calls = calls

    def load(self, entries: Sequence[WatchlistEntry]) -> _FakeEngine:
        self.calls.append(("load", self.name, len(entries)))
        return self

    def screen(self, travellers: Sequence[Traveller]) -> list[list[tuple[str, float]]]:
        self.calls.append(("screen", self.name, hash(tuple(t.traveller_id for t in travellers))))
        return [[] for _ in travellers]

    def pair_score(self, query: Traveller, entry: WatchlistEntry) -> float:
        return 0.0

    def warm_up(self) -> float:
        return 0.0


def test_interleaved_speed_rounds_take_turns_on_the_same_travellers() -> None:
    calls: list[tuple[str, str, int]] = []
    engines = [_FakeEngine("a", calls), _FakeEngine("b", calls), _FakeEngine("c", calls)]
    entries = [WatchlistEntry(list_id="l", entry_id=str(i), names=[EntryName(full_name=f"N {i}")]) for i in range(3)]
    negatives = [Traveller(traveller_id=f"t{i}", full_name=f"T {i}") for i in range(40)]
    speed = interleaved_speed(engines, entries, negatives, sample=5, rounds=3, seed=6)
    screens = [c for c in calls if c[0] == "screen"]
    # each engine loaded afresh before each of its screenings; the order rotates
    assert [c[:2] for c in calls if c[0] == "load"] == [("load", c[1]) for c in screens]
    assert all(c[2] == 3 for c in calls if c[0] == "load")
    assert [c[1] for c in screens] == ["a", "b", "c", "b", "c", "a", "c", "a", "b"]
    # one sample per round, the same for every engine, another each round
    samples = [{c[2] for c in screens[3 * r : 3 * r + 3]} for r in range(3)]
    assert all(len(s) == 1 for s in samples) and len(set.union(*samples)) == 3
    assert speed["rounds"] == 3 and speed["sample"] == 5
    assert {k: len(v) for k, v in speed["per_round"].items()} == {"a": 3, "b": 3, "c": 3}
    assert all(speed["median"][k] == sorted(v)[1] for k, v in speed["per_round"].items())
    with pytest.raises(ValueError, match="at least 1"):
        interleaved_speed(engines, entries, negatives, sample=5, rounds=0, seed=6)


def test_format_table_adds_the_interleaved_median() -> None:
    report = {
        "sets": {
            "un_positives": 1,
            "congress_positives": 1,
            "negatives": 1,
            "negatives_sample": 1,
            "noisy_variants": {},
            "name_bench_person_pairs": 1,
            "cross_script_pairs": 1,
        },
        "engines": {
            "apis-matcher": {"cpu_s_per_traveller": 0.00007, "cpu_s_per_traveller_rounds": 0.000061},
            "logic-v2": {"cpu_s_per_traveller": 0.007, "cpu_s_per_traveller_rounds": 0.0069},
        },
        "speed_rounds": {"rounds": 3},
    }
    row = next(ln for ln in format_table(report).splitlines() if "median of 3 interleaved rounds" in ln)
    assert row.split()[-2:] == ["0.061", "6.900"]
