"""The exhaustive-hits cache of the speed benchmark (loadtest.bench_speed): reading one
run scope, the legacy format, the stale check, appending; no shared data needed."""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path

import pytest

from loadtest.bench_speed import (
    LEGACY_CACHE_SCOPE,
    CachedScan,
    Hits,
    append_cache,
    check_cache,
    exhaustive,
    read_cache,
    same_hits,
)
from loadtest.synthetic import generated_persons, synthetic_watchlist
from matchers import MatchConfig, Person, Screener

SCOPE = {"names": 5000, "seed": 3, "queries": 60}
HITS: Hits = [("synthetic:S1", 0.9036), ("synthetic:S2", 0.88)]


def _write(path: Path, *records: dict[str, object], tail: str = "") -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + tail, encoding="utf-8")


def test_missing_file_is_an_empty_cache(tmp_path: Path) -> None:
    assert read_cache(tmp_path / "none.jsonl", **SCOPE) == {}


def test_legacy_lines_belong_to_1m_seed_7_2000_queries(tmp_path: Path) -> None:
    path = tmp_path / "exh.jsonl"
    _write(
        path,
        {"i": 0, "kind": "negative", "hits": [], "cpu_s": 60.74},
        {"i": 1, "kind": "noisy:transliteration", "hits": [list(h) for h in HITS], "cpu_s": 73.55},
    )
    assert LEGACY_CACHE_SCOPE == {"names": 1_000_000, "seed": 7, "queries": 2000}
    got = read_cache(path, names=1_000_000, seed=7, queries=2000)
    assert got == {
        0: CachedScan(kind="negative", hits=[], cpu_s=60.74),
        1: CachedScan(kind="noisy:transliteration", hits=HITS, cpu_s=73.55),
    }
    assert got[1].hits[0] == ("synthetic:S1", 0.9036)  # tuples, as _keys returns them
    # the same lines are not another run's
    assert read_cache(path, names=100_000, seed=7, queries=2000) == {}
    assert read_cache(path, names=1_000_000, seed=7, queries=200) == {}
    assert read_cache(path, names=1_000_000, seed=8, queries=2000) == {}


def test_lines_of_another_scope_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "exh.jsonl"
    _write(
        path,
        {"i": 0, "kind": "negative", "hits": [], **SCOPE},
        {"i": 0, "kind": "negative", "hits": [list(h) for h in HITS], **{**SCOPE, "names": 100_000}},
        {"i": 1, "kind": "negative", "hits": [list(h) for h in HITS], **{**SCOPE, "seed": 4}},
        {"i": 2, "kind": "negative", "hits": [list(h) for h in HITS], **{**SCOPE, "queries": 61}},
        {"i": 3, "kind": "negative", "hits": [], "cpu_s": 1.0},  # legacy: the 1M run's
    )
    assert read_cache(path, **SCOPE) == {0: CachedScan("negative", [], None)}


def test_a_line_cut_short_is_skipped_and_appending_ends_it(tmp_path: Path) -> None:
    path = tmp_path / "exh.jsonl"
    _write(path, {"i": 0, "kind": "negative", "hits": [], **SCOPE}, tail='{"i": 1, "kind": "neg')
    assert set(read_cache(path, **SCOPE)) == {0}
    append_cache(path, 2, kind="noisy:typo", hits=HITS, cpu_s=1.234, **SCOPE)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1] == '{"i": 1, "kind": "neg'  # ended, not glued to the new line
    got = read_cache(path, **SCOPE)
    assert set(got) == {0, 2}
    assert got[2] == CachedScan("noisy:typo", HITS, 1.23)


def test_append_round_trips_and_accumulates(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "exh.jsonl"  # folder created
    scores: Hits = [("a:1", 0.1 + 0.2), ("b:2", 2 / 3)]  # floats that need all their digits
    append_cache(path, 5, kind="negative", hits=[], cpu_s=0.5, **SCOPE)
    append_cache(path, 3, kind="noisy:swap", hits=scores, cpu_s=0.25, **SCOPE)
    got = read_cache(path, **SCOPE)
    assert got == {5: CachedScan("negative", [], 0.5), 3: CachedScan("noisy:swap", scores, 0.25)}
    assert check_cache({3: scores}, {pos: scan.hits for pos, scan in got.items()}) is None
    rec = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert {k: rec[k] for k in SCOPE} == SCOPE


def test_identical_duplicates_are_accepted_conflicting_ones_are_not(tmp_path: Path) -> None:
    path = tmp_path / "exh.jsonl"
    line = {"i": 4, "kind": "negative", "hits": [list(h) for h in HITS], **SCOPE}
    _write(path, line, {**line, "cpu_s": 9.0})
    assert read_cache(path, **SCOPE)[4].hits == HITS
    _write(path, line, {**line, "hits": [list(h) for h in HITS[:1]]})
    with pytest.raises(ValueError, match=r"exh\.jsonl:2: query 4 has other hits than on line 1"):
        read_cache(path, **SCOPE)


@pytest.mark.parametrize(
    "line",
    [
        {"i": 0, "kind": "negative", "names": 5000},  # some scope fields, not all
        {"i": 0, "kind": "negative", **SCOPE},  # no hits
        {"kind": "negative", "hits": [], **SCOPE},  # no position
        {"i": 0, "hits": [["a:1"]], **SCOPE},  # a hit without score
        [0, "negative"],  # not an object
    ],
)
def test_a_json_line_that_is_not_a_scan_is_an_error(tmp_path: Path, line: object) -> None:
    path = tmp_path / "exh.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"exh\.jsonl:1: not an exhaustive-scan line"):
        read_cache(path, **SCOPE)


@pytest.mark.parametrize(
    ("fresh", "want"),
    [
        ({0: HITS, 1: []}, None),  # same
        ({0: [("synthetic:S1", 0.9036 + 1e-12), HITS[1]]}, None),  # float noise
        ({9: [("x:1", 0.5)]}, None),  # not cached: nothing to compare
        ({0: [("synthetic:S1", 0.9037), HITS[1]]}, 0),  # score beyond 1e-9
        ({0: HITS[::-1]}, 0),  # other order
        ({0: HITS[:1]}, 0),  # a hit lost
        ({0: [*HITS, ("synthetic:S3", 0.85)]}, 0),  # a hit more
        ({0: [("synthetic:S9", 0.9036), HITS[1]]}, 0),  # another entry
        ({0: HITS, 1: [("x:1", 0.8)], 2: [("x:2", 0.8)]}, 1),  # the lowest stale position
    ],
)
def test_check_cache_names_the_first_stale_position(fresh: dict[int, Hits], want: int | None) -> None:
    cached: dict[int, Hits] = {0: HITS, 1: [], 2: []}
    assert check_cache(fresh, cached) == want


def test_same_hits_tolerance() -> None:
    assert same_hits(HITS, [(k, s + 1e-9) for k, s in HITS])
    assert not same_hits(HITS, [(k, s + 1e-8) for k, s in HITS])
    assert same_hits([], [])


@pytest.mark.parametrize("workers", [1, 2])
def test_exhaustive_reports_each_position_as_it_finishes(workers: int) -> None:
    listed = synthetic_watchlist(300, seed=3, include_real=False)
    screener = Screener(listed, MatchConfig())
    others = list(islice(generated_persons(99, real_tokens=False), 2))
    queries: list[Person] = [listed[10], others[0], listed[len(listed) // 2], others[1]]
    positions = [7, 2, 11, 5]
    seen: dict[int, Hits] = {}
    got = exhaustive(
        screener, list(zip(positions, queries, strict=True)), workers, lambda p, h, _c: seen.update({p: h})
    )
    assert set(got) == set(seen) == set(positions)
    want = [
        [(f"{r.list_id}:{r.entry_id}", r.score) for r in hits] for hits in screener.screen(queries, exhaustive=True)
    ]
    for pos, hits in zip(positions, want, strict=True):
        assert got[pos][0] == seen[pos] == hits
        assert got[pos][1] >= 0.0
    assert got[7][0]  # a listed person has hits: the sample is not trivially empty
