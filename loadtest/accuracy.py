"""Screening accuracy and speed on labelled query sets.

Reads a watchlist with :func:`schemas.watchlists.read_watchlist`, turns the yente
screening fixtures (``positives_un_untreated.csv``: queries built from the UN SC list;
``negatives_us.csv``: people who are not listed) into ``Traveller`` records, screens
them and prints recall on positives, the false-positive rate on negatives (a negative
with any hit at the threshold is a false positive) and travellers per second::

    python -m loadtest.accuracy --watchlist ../shared/data/watchlists/un_sc_consolidated_2026-02-27.xml

``--write-jsonl DIR`` also writes both sets as Traveller JSONL for
``apis-matcher screen --travellers``.

The whole benchmark (issue 6) is one command; it prints a table (one column per matcher)
and writes the JSON report (default ``build/accuracy-report.json``)::

    python -m loadtest.accuracy --suite                          # this project only
    .venv-bench/bin/python -m loadtest.accuracy --suite --peers  # + nomenklatura logic-v1/v2

Sets (all from ``../shared/data``): UN positives vs the UN list; US Congress rows vs a
list made from them; ``negatives_us.csv`` vs UN+OFAC SDN+UK HMT together (all 50,000 for
this project, a seeded subsample of 5,000 for every matcher); noisy variants of UN
persons per kind of noise (:mod:`loadtest.noise`); nomenklatura's name_bench Person pairs;
watchman's cross-script pairs. Peers (:mod:`loadtest.peers`) need the separate
``.venv-bench`` environment.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

from loadtest.noise import noisy_travellers
from matchers import MatchConfig, Person, Screener
from schemas.countries import to_alpha3
from schemas.records import EntryDate, EntryName, Traveller, WatchlistEntry
from schemas.screening import entry_to_person, traveller_to_person
from schemas.watchlists import read_watchlist

T = TypeVar("T")

FIXTURES = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "namepairs" / "yente_screening_fixtures"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_GENDERS = {"male": "M", "m": "M", "female": "F", "f": "F", "other": "X", "x": "X"}


def row_to_traveller(row: dict[str, str], traveller_id: str) -> Traveller:
    """One fixture CSV row (``full_name,first_name,middle_name,last_name,gender,
    date_of_birth,place_of_birth,nationality``) as a Traveller: surname/given names when
    ``last_name`` is given, else ``full_name``; gender ``male``/``female``/``other`` →
    ``M``/``F``/``X``; nationality (alpha-2 code or English name) → alpha-3; a DOB that
    is not ISO ``YYYY[-MM[-DD]]`` is dropped."""
    last = (row.get("last_name") or "").strip()
    given = " ".join(p for p in ((row.get("first_name") or "").strip(), (row.get("middle_name") or "").strip()) if p)
    dob = (row.get("date_of_birth") or "").strip()
    return Traveller(
        traveller_id=traveller_id,
        surname=last or None,
        given_names=(given or None) if last else None,
        full_name=(row.get("full_name") or "").strip() or None,
        gender=_GENDERS.get((row.get("gender") or "").strip().lower()),  # type: ignore[arg-type]
        date_of_birth=dob if _DATE.match(dob) else None,
        nationality=to_alpha3(row.get("nationality")),
        place_of_birth=(row.get("place_of_birth") or "").strip() or None,
    )


def read_travellers(path: Path, prefix: str, limit: int | None = None) -> list[Traveller]:
    """Travellers from a fixture CSV, ids ``{prefix}-{row number}``; at most ``limit``."""
    out: list[Traveller] = []
    with path.open(newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=1):
            if limit is not None and len(out) >= limit:
                break
            out.append(row_to_traveller(row, f"{prefix}-{i}"))
    return out


def write_jsonl(travellers: Iterable[Traveller], path: Path) -> None:
    """Write one Traveller JSON object per line (UTF-8)."""
    with path.open("w", encoding="utf-8") as fh:
        for t in travellers:
            fh.write(json.dumps(t.model_dump(mode="json", exclude_none=True), ensure_ascii=False))
            fh.write("\n")


def measure(
    screener: Screener,
    travellers: Sequence[Traveller],
    *,
    threshold: float | None = None,
    batch: int = 500,
) -> dict[str, Any]:
    """Screen ``travellers`` in batches; returns ``{"travellers", "with_hits", "rate",
    "seconds", "travellers_per_s", "examples"}`` (``rate`` = share with at least one hit,
    0.0–1.0; ``examples`` up to 10 ``(traveller, best hit)`` pairs for inspection)."""
    queries: list[Person] = [traveller_to_person(t) for t in travellers]
    start = time.perf_counter()
    with_hits = 0
    examples: list[dict[str, Any]] = []
    misses: list[str] = []
    for i in range(0, len(queries), batch):
        chunk = queries[i : i + batch]
        for t, hits in zip(travellers[i : i + batch], screener.screen(chunk, threshold=threshold), strict=True):
            if hits:
                with_hits += 1
                if len(examples) < 10:
                    examples.append(
                        {
                            "query": t.display_name(),
                            "dob": t.date_of_birth,
                            "hit": hits[0].matched_name,
                            "score": hits[0].score,
                            "reasons": hits[0].explanation.get("reasons"),
                        }
                    )
            elif len(misses) < 10:
                misses.append(f"{t.display_name()} ({t.date_of_birth})")
    seconds = time.perf_counter() - start
    n = len(queries)
    return {
        "travellers": n,
        "with_hits": with_hits,
        "rate": with_hits / n if n else 0.0,
        "seconds": round(seconds, 3),
        "travellers_per_s": round(n / seconds, 1) if seconds > 0 else None,
        "examples": examples,
        "misses": misses,
    }


def load_entries(paths: Sequence[str], fmt: str, list_id: str) -> list[WatchlistEntry]:
    """Watchlist entries of every file in ``paths`` (via ``schemas.watchlists``)."""
    entries: list[WatchlistEntry] = []
    for p in paths:
        entries.extend(read_watchlist(p, format=fmt, list_id=list_id).entries)
    return entries


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; prints a JSON report and returns the exit code."""
    ap = argparse.ArgumentParser(prog="python -m loadtest.accuracy", description=__doc__.split("\n")[0])
    ap.add_argument("--watchlist", action="append", help="watchlist file (repeatable; required without --suite)")
    ap.add_argument("--suite", action="store_true", help="run the whole benchmark suite (issue 6): table + JSON")
    ap.add_argument("--peers", action="store_true", help="with --suite: also nomenklatura logic-v1/v2 (.venv-bench)")
    ap.add_argument("--out", type=Path, default=Path("build/accuracy-report.json"), help="--suite JSON report path")
    ap.add_argument("--negatives-sample", type=int, default=5000, help="--suite: seeded negatives subsample size")
    ap.add_argument("--seed", type=int, default=6, help="--suite: seed of the subsample and the noise")
    ap.add_argument(
        "--speed-rounds", type=int, default=3, help="--suite: interleaved speed rounds after the sets (0: none)"
    )
    ap.add_argument("--format", default="auto", help="watchlist format (default auto)")
    ap.add_argument("--list-id", default="un-sc")
    ap.add_argument("--positives", type=Path, default=FIXTURES / "positives_un_untreated.csv")
    ap.add_argument("--negatives", type=Path, default=FIXTURES / "negatives_us.csv")
    ap.add_argument("--limit-negatives", type=int, default=None, help="first N negatives only")
    ap.add_argument("--threshold", type=float, default=None, help="override the default threshold")
    ap.add_argument(
        "--write-jsonl",
        type=Path,
        default=None,
        metavar="DIR",
        help="also write positives.jsonl and negatives.jsonl here",
    )
    ap.add_argument("--examples", action="store_true", help="include example hits and misses")
    args = ap.parse_args(argv)
    if args.suite:
        return suite_main(args)
    if not args.watchlist:
        ap.error("--watchlist is required without --suite")

    config = MatchConfig()
    t0 = time.perf_counter()
    entries = load_entries(args.watchlist, args.format, args.list_id)
    screener = Screener((entry_to_person(e) for e in entries), config)
    build_s = time.perf_counter() - t0
    positives = read_travellers(args.positives, "pos")
    negatives = read_travellers(args.negatives, "neg", args.limit_negatives)
    if args.write_jsonl:
        args.write_jsonl.mkdir(parents=True, exist_ok=True)
        write_jsonl(positives, args.write_jsonl / "positives.jsonl")
        write_jsonl(negatives, args.write_jsonl / "negatives.jsonl")
    pos = measure(screener, positives, threshold=args.threshold)
    neg = measure(screener, negatives, threshold=args.threshold)
    if not args.examples:
        for res in (pos, neg):
            res.pop("examples")
            res.pop("misses")
    report = {
        "watchlist_entries": len(screener),
        "build_s": round(build_s, 3),
        "threshold": args.threshold if args.threshold is not None else config.threshold,
        "recall": round(pos["rate"], 4),
        "false_positive_rate": round(neg["rate"], 4),
        "positives": pos,
        "negatives": neg,
    }
    json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


# --- the benchmark suite (issue 6) ------------------------------------------------------

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
NAMEPAIRS = SHARED / "namepairs"
WATCHLISTS = SHARED / "watchlists"
SUITE_LISTS = (
    ("un-sc", WATCHLISTS / "un_sc_consolidated_2026-02-27.xml"),
    ("ofac-sdn", WATCHLISTS / "ofac_sdn_2021-07-07"),
    ("uk-hmt", WATCHLISTS / "uk_hmt_conlist_2014-04-02.csv"),
)
_SUFFIXES = frozenset({"JR", "SR", "II", "III", "IV"})
_PARTICLES = frozenset({"VAN", "VON", "DE", "DEL", "LA", "DA", "DI", "LE", "ST"})


class Engine(Protocol):
    """A matcher under test: ``name``, its alert ``threshold`` (0.0–1.0), and

    * ``load(entries)`` — index a list (returns the engine);
    * ``screen(travellers)`` — per traveller the ``(entry key, score)`` hits at or above
      the threshold, best first;
    * ``pair_score(traveller, entry)`` — one comparison, 0.0–1.0;
    * ``warm_up()`` — CPU seconds spent loading lazy data before the first comparison."""

    name: str
    threshold: float

    def load(self, entries: Sequence[WatchlistEntry]) -> Engine: ...

    def screen(self, travellers: Sequence[Traveller]) -> list[list[tuple[str, float]]]: ...

    def pair_score(self, query: Traveller, entry: WatchlistEntry) -> float: ...

    def warm_up(self) -> float: ...


class Ours:
    """This project's :class:`~matchers.Screener` as an :class:`Engine`."""

    name = "apis-matcher"

    def __init__(self, config: MatchConfig | None = None) -> None:
        self.config = config or MatchConfig()
        self.threshold = self.config.threshold
        self._screener: Screener | None = None

    def load(self, entries: Sequence[WatchlistEntry]) -> Ours:
        self._screener = Screener([entry_to_person(e) for e in entries], self.config)
        return self

    def screen(self, travellers: Sequence[Traveller]) -> list[list[tuple[str, float]]]:
        if self._screener is None:
            raise RuntimeError("load() a list first")
        results = self._screener.screen([traveller_to_person(t) for t in travellers])
        return [[(f"{r.list_id}:{r.entry_id}", r.score) for r in hits] for hits in results]

    def pair_score(self, query: Traveller, entry: WatchlistEntry) -> float:
        screener = Screener([entry_to_person(entry)], self.config)
        hits = screener.screen([traveller_to_person(query)], threshold=0.0)[0]
        return hits[0].score if hits else 0.0

    def warm_up(self) -> float:
        return 0.0


def congress_list(path: Path) -> tuple[list[WatchlistEntry], list[Traveller]]:
    """The PEP list made from ``positives_us_congress_untreated.csv`` and its queries.

    The fixture's queries are the list's own rows, untreated (no noise to undo), so the
    list holds each row as one entry (``us-congress:{row}``) with the name split as a
    list would hold it (surname = last token, with particles such as VAN and without
    JR/III suffixes; given names = the rest) and the birth year; the query is the row's
    free-form ``full_name`` and DOB. Homonyms (two rows with one name) stay two entries."""
    entries: list[WatchlistEntry] = []
    queries = read_travellers(path, "congress")
    for i, t in enumerate(queries, start=1):
        raw = (t.full_name or "").replace(",", " ").split()
        toks = [x for x in raw if x.upper().strip(".") not in _SUFFIXES]
        cut = len(toks) - 1
        while cut > 1 and toks[cut - 1].upper() in _PARTICLES:
            cut -= 1
        entries.append(
            WatchlistEntry(
                list_id="us-congress",
                entry_id=str(i),
                names=[
                    EntryName(
                        full_name=t.full_name or "",
                        surname=" ".join(toks[cut:]) or None,
                        given_names=" ".join(toks[:cut]) or None,
                    )
                ],
                dates_of_birth=[EntryDate(date=t.date_of_birth)] if t.date_of_birth else [],
                category="individual",
            )
        )
    return entries, queries


def name_bench_cases(path: Path, schema: str = "Person") -> list[tuple[str, str, bool]]:
    """``(name1, name2, is_match)`` of nomenklatura's name_bench ``cases.csv`` rows of
    ``schema`` (columns ``case_group,schema,name1,name2,is_match,quality,…``)."""
    with path.open(newline="", encoding="utf-8") as fh:
        return [
            (r["name1"], r["name2"], r["is_match"].strip().lower() == "true")
            for r in csv.DictReader(fh)
            if r["schema"] == schema
        ]


def cross_script_pairs(path: Path) -> list[tuple[str, str]]:
    """``(query, expected)`` of watchman's ``cross_script_pairs.csv`` (``#`` comments)."""
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    return [(row[0], row[1]) for row in csv.reader(lines)]


def seeded_sample(items: Sequence[T], n: int, seed: int) -> list[T]:
    """``n`` items chosen with ``random.Random(seed)`` in their original order (all
    when ``n >= len(items)``)."""
    if n >= len(items):
        return list(items)
    picks = sorted(random.Random(seed).sample(range(len(items)), n))
    return [items[i] for i in picks]


def _timed_screen(engine: Engine, travellers: Sequence[Traveller]) -> tuple[list[list[tuple[str, float]]], float]:
    """The engine's answers and the CPU seconds they took. The cyclic garbage collector
    is run first, untimed, and what is alive then is frozen (:func:`gc.freeze`) while
    the engine screens, as the service freezes its lists and index once built
    (:func:`app.watchlist_state.freeze_heap`): the benchmark holds some millions of
    objects (fixtures, noisy variants, every engine's lists), and one full collection
    over them inside a timing costs about 0.3 s (some 60 µs per traveller of the
    5,000-traveller sample). The objects the screening makes are collected as usual;
    afterwards the collector's generations are restored (:func:`gc.unfreeze`: nothing
    else in the benchmark freezes). Every engine is timed so."""
    gc.collect()
    gc.freeze()
    try:
        t0 = time.process_time()
        out = engine.screen(travellers)
        return out, time.process_time() - t0
    finally:
        gc.unfreeze()


def interleaved_speed(
    engines: Sequence[Engine],
    entries: Sequence[WatchlistEntry],
    negatives: Sequence[Traveller],
    *,
    sample: int,
    rounds: int,
    seed: int,
    log: Callable[[str], None] = lambda _m: None,
) -> dict[str, Any]:
    """Speed in interleaved rounds: in round ``r`` (0-based) every engine is loaded
    afresh with ``entries`` (untimed) and screens the same seeded subsample of
    ``negatives`` (``sample`` travellers, :func:`seeded_sample` with ``seed + 1 + r``)
    once, its first screening after the load, timed as :func:`run_suite` times it
    (:func:`_timed_screen`). The engines take turns in an order rotated by one each
    round. Timed one after the other, minutes apart, engines meet different moments of
    a shared machine (whose speed drifts by 10–30% within an hour); interleaved, the
    drift falls on all of them alike. Process-wide caches (every engine has some) stay
    from earlier rounds, each round's travellers are others. Returns ``{"rounds",
    "sample", "per_round": {engine: [CPU s per traveller, one per round]}, "median":
    {engine: CPU s per traveller}}``; raises ``ValueError`` for ``rounds`` or
    ``sample`` below 1."""
    if rounds < 1 or sample < 1:
        raise ValueError("rounds and sample must be at least 1")
    per_round: dict[str, list[float]] = {e.name: [] for e in engines}
    for r in range(rounds):
        travellers = seeded_sample(negatives, sample, seed + 1 + r)
        k = r % len(engines) if engines else 0
        for engine in [*engines[k:], *engines[:k]]:
            log(f"speed round {r + 1}/{rounds}: {engine.name}")
            engine.load(entries)
            _, cpu = _timed_screen(engine, travellers)
            per_round[engine.name].append(cpu / len(travellers))
    return {
        "rounds": rounds,
        "sample": min(sample, len(negatives)),
        "per_round": {name: [round(v, 6) for v in vs] for name, vs in per_round.items()},
        "median": {name: round(statistics.median(vs), 6) for name, vs in per_round.items()},
    }


def _rate(k: int, n: int) -> float | None:
    return round(k / n, 4) if n else None


def _pairwise(engine: Engine, pairs: Sequence[tuple[str, str, bool]]) -> dict[str, Any]:
    tp = fp = tn = fn = 0
    wrong: list[dict[str, Any]] = []
    for i, (a, b, truth) in enumerate(pairs):
        q = Traveller(traveller_id=f"pair-{i}", full_name=a)
        e = WatchlistEntry(list_id="pairs", entry_id=str(i), names=[EntryName(full_name=b)])
        score = engine.pair_score(q, e)
        pred = score >= engine.threshold
        tp += pred and truth
        fp += pred and not truth
        tn += (not pred) and not truth
        fn += (not pred) and truth
        if pred != truth:
            wrong.append({"name1": a, "name2": b, "outcome": "fp" if pred else "fn", "score": round(score, 4)})
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs": len(pairs),
        "tp": tp,
        "fp": fp,
        "tn": tn,
        "fn": fn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "wrong": wrong,
    }


def run_suite(
    engines: Sequence[Engine],
    *,
    negatives_sample: int = 5000,
    full_negatives: Sequence[str] = ("apis-matcher",),
    seed: int = 6,
    speed_rounds: int = 3,
    log: Callable[[str], None] = lambda _m: None,
) -> dict[str, Any]:
    """Run every benchmark set on every engine; returns the JSON report.

    Sets: UN positives vs the UN list (recall: any hit), US Congress rows vs a list made
    from them (recall: the row's own entry among the hits), negatives vs UN+OFAC+UK
    (false-positive rate: any hit; the full 50,000 for engines in ``full_negatives``,
    a ``random.Random(seed)`` subsample of ``negatives_sample`` for every engine),
    noisy variants of UN persons (:mod:`loadtest.noise`; recall of the source entry per
    kind), nomenklatura's name_bench Person pairs and watchman's cross-script pairs
    (name only, at each engine's threshold; the pairs an engine gets wrong are listed
    with its score under ``wrong`` / ``misses``, to group them by kind). Speed: CPU
    seconds per traveller on the negatives subsample after start-up; start-up (index
    build plus lazy data) apart; then, with ``speed_rounds`` ≥ 1, the same again in
    interleaved rounds (:func:`interleaved_speed`: ``report["speed_rounds"]``, each
    engine's median as ``cpu_s_per_traveller_rounds``), the figure to compare engines
    by.
    Raises ``FileNotFoundError`` when ../shared/data is missing."""
    lists = {lid: read_watchlist(str(p), format="auto", list_id=lid).entries for lid, p in SUITE_LISTS}
    un = lists["un-sc"]
    combined = [e for entries in lists.values() for e in entries]
    un_pos = read_travellers(FIXTURES / "positives_un_untreated.csv", "un")
    congress_entries, congress_queries = congress_list(FIXTURES / "positives_us_congress_untreated.csv")
    negatives = read_travellers(FIXTURES / "negatives_us.csv", "neg")
    neg_sample = seeded_sample(negatives, negatives_sample, seed)
    noisy = noisy_travellers(un, seed=seed)
    bench_pairs = name_bench_cases(NAMEPAIRS / "nomenklatura" / "name_bench_cases.csv")
    xs_pairs = cross_script_pairs(NAMEPAIRS / "watchman" / "cross_script_pairs.csv")
    report: dict[str, Any] = {
        "seed": seed,
        "lists": {lid: len(v) for lid, v in lists.items()},
        "sets": {
            "un_positives": len(un_pos),
            "congress_positives": len(congress_queries),
            "negatives": len(negatives),
            "negatives_sample": len(neg_sample),
            "noisy_variants": dict(Counter(n.kind for n in noisy)),
            "name_bench_person_pairs": len(bench_pairs),
            "cross_script_pairs": len(xs_pairs),
        },
        "engines": {},
    }
    for engine in engines:
        log(f"{engine.name}: start-up")
        res: dict[str, Any] = {"threshold": engine.threshold}
        gc.collect()  # what the suite's own objects are owed, untimed
        t0 = time.process_time()
        warm = engine.warm_up()
        engine.load(combined)
        gc.collect()  # what loading is owed (ours pauses the collector while it builds)
        res["startup_cpu_s"] = round(time.process_time() - t0, 3)
        res["warm_up_cpu_s"] = round(warm, 3)
        log(f"{engine.name}: negatives subsample ({len(neg_sample)})")
        hits, cpu = _timed_screen(engine, neg_sample)
        fps = [t for t, h in zip(neg_sample, hits, strict=True) if h]
        res["negatives_sample"] = {
            "travellers": len(neg_sample),
            "with_hits": len(fps),
            "fp_rate": _rate(len(fps), len(neg_sample)),
            "examples": [
                {"query": t.display_name(), "dob": t.date_of_birth, "hit": h[0][0], "score": round(h[0][1], 4)}
                for t, h in zip(neg_sample, hits, strict=True)
                if h
            ][:10],
        }
        res["cpu_s_per_traveller"] = round(cpu / len(neg_sample), 6) if neg_sample else None
        if engine.name in full_negatives:
            log(f"{engine.name}: all negatives ({len(negatives)})")
            hits, _ = _timed_screen(engine, negatives)
            k = sum(1 for h in hits if h)
            res["negatives_full"] = {"travellers": len(negatives), "with_hits": k, "fp_rate": _rate(k, len(negatives))}
        log(f"{engine.name}: UN positives")
        engine.load(un)
        hits, _ = _timed_screen(engine, un_pos)
        res["un_positives"] = {
            "travellers": len(un_pos),
            "with_hits": sum(1 for h in hits if h),
            "recall": _rate(sum(1 for h in hits if h), len(un_pos)),
            "misses": [t.display_name() for t, h in zip(un_pos, hits, strict=True) if not h][:20],
        }
        log(f"{engine.name}: noisy variants ({len(noisy)})")
        hits, _ = _timed_screen(engine, [n.traveller for n in noisy])
        per_kind: dict[str, dict[str, Any]] = {}
        for n, h in zip(noisy, hits, strict=True):
            row = per_kind.setdefault(n.kind, {"travellers": 0, "found": 0, "misses": []})
            row["travellers"] += 1
            if f"{n.list_id}:{n.entry_id}" in {k for k, _ in h}:
                row["found"] += 1
            elif len(row["misses"]) < 5:
                row["misses"].append(
                    {"query": n.traveller.display_name(), "entry": n.entry_id, "dob": n.traveller.date_of_birth}
                )
        for row in per_kind.values():
            row["recall"] = _rate(row["found"], row["travellers"])
        total = sum(r["travellers"] for r in per_kind.values())
        found = sum(r["found"] for r in per_kind.values())
        res["noisy"] = {"recall": _rate(found, total), "travellers": total, "per_kind": per_kind}
        log(f"{engine.name}: US Congress")
        engine.load(congress_entries)
        hits, _ = _timed_screen(engine, congress_queries)
        own = sum(1 for i, h in enumerate(hits, start=1) if f"us-congress:{i}" in {k for k, _ in h})
        res["congress_positives"] = {
            "travellers": len(congress_queries),
            "found": own,
            "recall": _rate(own, len(congress_queries)),
        }
        log(f"{engine.name}: name pairs")
        res["name_bench_person"] = _pairwise(engine, bench_pairs)
        xs = _pairwise(engine, [(a, b, True) for a, b in xs_pairs])
        res["cross_script"] = {"pairs": xs["pairs"], "found": xs["tp"], "recall": xs["recall"], "misses": xs["wrong"]}
        report["engines"][engine.name] = res
    if speed_rounds >= 1:
        speed = interleaved_speed(
            engines, combined, negatives, sample=negatives_sample, rounds=speed_rounds, seed=seed, log=log
        )
        report["speed_rounds"] = speed
        for name, median in speed["median"].items():
            report["engines"][name]["cpu_s_per_traveller_rounds"] = median
    return report


def _kind_recall(kind: str, pct: Callable[[Any], str]) -> Callable[[dict[str, Any]], str]:
    return lambda r: pct(r["noisy"]["per_kind"][kind]["recall"])


def format_table(report: dict[str, Any]) -> str:
    """The report as a fixed-width text table: one row per figure, one column per engine."""
    engines = list(report["engines"])

    def pct(v: Any) -> str:
        return "—" if v is None else f"{100 * v:.2f}%"

    rows: list[tuple[str, list[str]]] = []

    def add(label: str, fn: Callable[[dict[str, Any]], str]) -> None:
        cells = []
        for name in engines:
            try:
                cells.append(fn(report["engines"][name]))
            except (KeyError, TypeError):
                cells.append("—")
        rows.append((label, cells))

    sets = report["sets"]
    add("threshold", lambda r: f"{r['threshold']:.2f}")
    add(f"UN positives recall (n={sets['un_positives']})", lambda r: pct(r["un_positives"]["recall"]))
    add(
        f"US Congress recall, own entry (n={sets['congress_positives']})",
        lambda r: pct(r["congress_positives"]["recall"]),
    )
    add(f"negatives FP rate, UN+OFAC+UK, all (n={sets['negatives']})", lambda r: pct(r["negatives_full"]["fp_rate"]))
    add(
        f"negatives FP rate, seeded subsample (n={sets['negatives_sample']})",
        lambda r: pct(r["negatives_sample"]["fp_rate"]),
    )
    add("noisy variants recall, all kinds", lambda r: pct(r["noisy"]["recall"]))
    for kind, n in sets["noisy_variants"].items():
        add(f"  noise: {kind} (n={n})", _kind_recall(kind, pct))
    npairs = sets["name_bench_person_pairs"]
    add(f"name_bench Person pairs precision (n={npairs})", lambda r: pct(r["name_bench_person"]["precision"]))
    add("name_bench Person pairs recall", lambda r: pct(r["name_bench_person"]["recall"]))
    add("name_bench Person pairs F1", lambda r: f"{r['name_bench_person']['f1']:.3f}")
    add(f"cross-script pairs recall (n={sets['cross_script_pairs']})", lambda r: pct(r["cross_script"]["recall"]))
    add("CPU ms per traveller (negatives subsample)", lambda r: f"{1000 * r['cpu_s_per_traveller']:.2f}")
    if "speed_rounds" in report:
        add(
            f"  median of {report['speed_rounds']['rounds']} interleaved rounds",
            lambda r: f"{1000 * r['cpu_s_per_traveller_rounds']:.3f}",
        )
    add("start-up CPU s (index build + lazy data)", lambda r: f"{r['startup_cpu_s']:.1f}")
    width = max(len(label) for label, _ in rows) + 2
    colw = max(14, *(len(e) + 2 for e in engines))
    lines = ["".ljust(width) + "".join(e.rjust(colw) for e in engines)]
    lines += [label.ljust(width) + "".join(c.rjust(colw) for c in cells) for label, cells in rows]
    return "\n".join(lines)


def _log_stderr(message: str) -> None:
    sys.stderr.write(message + "\n")


def suite_main(args: argparse.Namespace) -> int:
    """``--suite``: run :func:`run_suite`, print the table, write the JSON report."""
    engines: list[Engine] = [Ours()]
    if args.peers:
        from loadtest import peers

        reason = peers.available()
        if reason:
            sys.stderr.write(reason + "\n")
            return 2
        engines += [peers.Peer(name) for name in peers.PEER_NAMES]
    if not SHARED.is_dir():
        sys.stderr.write(f"benchmark data not found at {SHARED}\n")
        return 2
    report = run_suite(
        engines,
        negatives_sample=args.negatives_sample,
        seed=args.seed,
        speed_rounds=args.speed_rounds,
        log=_log_stderr,
    )
    if args.peers:
        from loadtest import peers

        peer = peers.Peer("logic-v1").load(
            read_watchlist(str(SUITE_LISTS[0][1]), format="auto", list_id="un-sc").entries
        )
        sample = seeded_sample(read_travellers(FIXTURES / "positives_un_untreated.csv", "un"), 100, args.seed)
        report["peer_candidate_check"] = {"peer": "logic-v1", "list": "un-sc", **peers.check_candidates(peer, sample)}
        # the peers' other configuration (name parts passed too) on the swapped-name variants
        un = read_watchlist(str(SUITE_LISTS[0][1]), format="auto", list_id="un-sc").entries
        swapped = noisy_travellers(un, kinds=("swap",), seed=args.seed)
        parts: dict[str, Any] = {}
        for name in peers.PEER_NAMES:
            p = peers.Peer(name, full_name_only=False).load(un)
            got = p.screen([n.traveller for n in swapped])
            found = sum(
                1 for n, h in zip(swapped, got, strict=True) if f"{n.list_id}:{n.entry_id}" in {k for k, _ in h}
            )
            parts[name] = {"travellers": len(swapped), "found": found, "recall": _rate(found, len(swapped))}
        report["peer_name_parts_swap"] = parts
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(format_table(report))
    if "peer_candidate_check" in report:
        c = report["peer_candidate_check"]
        print(
            f"\npeer candidates (token index, 50 best) vs exhaustive, {c['queries']} UN positives: "
            f"{c['found_by_index']}/{c['exhaustive_hits']} exhaustive hits found"
        )
    for name, row in report.get("peer_name_parts_swap", {}).items():
        print(
            f"{name} with firstName/lastName passed too (other configuration): "
            f"swap recall {100 * row['recall']:.2f}% (n={row['travellers']})"
        )
    speed = report.get("speed_rounds")
    if speed and len(speed["per_round"]) > 1:
        ours = speed["per_round"][engines[0].name]
        for name, times in list(speed["per_round"].items())[1:]:
            ratios = [t / o for t, o in zip(times, ours, strict=True) if o > 0]
            print(
                f"{name} / {engines[0].name}, CPU per traveller, interleaved rounds of {speed['sample']}: "
                + ", ".join(f"{x:.1f}x" for x in ratios)
                + f" (medians: {speed['median'][name] / max(speed['median'][engines[0].name], 1e-9):.1f}x)"
            )
    print(f"\npeers run on the seeded negatives subsample only; JSON report: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
