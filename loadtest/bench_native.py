"""The compiled candidate stage against its Python reference, in one process (issue 7).

Builds two screeners over UN + OFAC SDN + UK HMT (the accuracy suite's lists, from
``../shared/data``): one with the compiled candidate stage (``matchers._core``,
``native=True``) and one with the Python stage (``native=False``). Both screen the same
travellers, alternating rounds so machine noise hits both: the seeded negatives subsample
of the accuracy suite (``--negatives``, default 5000; people who are not listed, the
common case) and the UN positives. Prints CPU ms per traveller of each, the ratio, and
whether the two gave the same candidates (record ids and estimates, exactly) and the same
hits. Exit status 1 when they differ::

    python -m loadtest.bench_native [--negatives 5000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from loadtest.accuracy import FIXTURES, SUITE_LISTS, read_travellers, seeded_sample
from matchers import MatchConfig, Person, Screener
from matchers.index import NATIVE_AVAILABLE, NameIndex
from matchers.screener import query_variants
from schemas.screening import entry_to_person, traveller_to_person
from schemas.watchlists import read_watchlist


def _screen(screener: Screener, queries: Sequence[Person]) -> tuple[list[Any], list[Any], float]:
    """``(candidate lists, hits, CPU seconds)`` of one pass (one batch, as a manifest):
    the candidates of every entry point, one list per query ranked, in query order
    (``batch_candidates`` and ``name_candidates`` are the compiled stage's for names it
    folds; a query it declines keeps its place for the Python call that follows, and a
    query without a comparable name, for which the Python path makes no call, is not
    counted)."""
    index = screener.index
    seen: list[list[tuple[int, float]] | None] = []  # None: a place kept for a Python call
    real_candidates, real_names, real_batch = index.candidates, index.name_candidates, index.batch_candidates

    def record(found: list[tuple[int, float]]) -> None:
        if None in seen:  # the first place the batch kept: the Python calls come in query order
            seen[seen.index(None)] = found
        else:
            seen.append(found)

    def candidates(*args: Any, **kwargs: Any) -> list[tuple[int, float]]:
        out = real_candidates(*args, **kwargs)
        record(out)
        return out

    def batch_candidates(persons: Sequence[Person], fold: Any, evidence: Any, **kwargs: Any) -> list[Any]:
        got = real_batch(persons, fold, evidence, **kwargs)
        for person, found in zip(persons, got, strict=True):
            if found is None:
                if query_variants(person):
                    seen.append(None)
            elif any(fold(n.full_name, n.surname, n.given_names) for n in person.names):
                seen.append(found)
        return got

    def name_candidates(names: Any, fold: Any, **kwargs: Any) -> tuple[bool, list[tuple[int, float]]] | None:
        got = real_names(names, fold, **kwargs)
        if got is not None and any(fold(n.full_name, n.surname, n.given_names) for n in names):
            record(got[1])
        return got

    index.candidates = candidates  # type: ignore[method-assign]
    index.name_candidates = name_candidates  # type: ignore[method-assign]
    index.batch_candidates = batch_candidates  # type: ignore[method-assign]
    try:
        t0 = time.process_time()
        results = screener.screen(queries)
        cpu = time.process_time() - t0
    finally:
        del index.candidates, index.name_candidates, index.batch_candidates
    if None in seen:
        raise RuntimeError("a place kept for a Python candidates call that was not made")
    hits = [[(r.list_id, r.entry_id, r.score) for r in hs] for hs in results]
    return seen, hits, cpu


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m loadtest.bench_native", description=__doc__.split("\n\n")[0])
    ap.add_argument("--negatives", type=int, default=5000, help="seeded negatives subsample size")
    ap.add_argument("--seed", type=int, default=6, help="seed of the subsample (the accuracy suite's)")
    ap.add_argument("--rounds", type=int, default=2, help="timed passes per stage, alternating")
    ap.add_argument("--out", type=Path, default=Path("build/bench-native.json"))
    args = ap.parse_args(argv)
    if not NATIVE_AVAILABLE:
        print("matchers._core is not built: pip install -e . (needs cargo)", file=sys.stderr)
        return 2
    if not FIXTURES.is_dir():
        print(f"needs ../shared/data ({FIXTURES} not found)", file=sys.stderr)
        return 2
    entries = [
        entry_to_person(e) for lid, p in SUITE_LISTS for e in read_watchlist(str(p), format="auto", list_id=lid).entries
    ]
    negatives = seeded_sample(read_travellers(FIXTURES / "negatives_us.csv", "neg"), args.negatives, args.seed)
    positives = read_travellers(FIXTURES / "positives_un_untreated.csv", "un")
    sets = {
        "negatives": [traveller_to_person(t) for t in negatives],
        "un_positives": [traveller_to_person(t) for t in positives],
    }
    config = MatchConfig()
    screeners: dict[str, Screener] = {}
    build: dict[str, float] = {}
    # an untimed build first: normalisation memoises names, so the first timed build
    # would otherwise pay for both
    Screener(entries, config, native=False)
    for name, native in (("compiled", True), ("python", False)):
        t0 = time.process_time()
        screeners[name] = Screener(entries, config, native=native)
        build[name] = time.process_time() - t0
    assert isinstance(screeners["compiled"].index, NameIndex) and screeners["compiled"].index.native
    report: dict[str, Any] = {"names": len(entries), "build_cpu_s": build, "sets": {}}
    same = True
    for set_name, queries in sets.items():
        cpu: dict[str, float] = {"compiled": 0.0, "python": 0.0}
        outs: dict[str, tuple[Any, Any]] = {}
        for _ in range(args.rounds):
            for name, screener in screeners.items():
                seen, hits, c = _screen(screener, queries)
                cpu[name] += c
                outs[name] = (seen, hits)
        cand_same = outs["compiled"][0] == outs["python"][0]
        hits_same = outs["compiled"][1] == outs["python"][1]
        same = same and cand_same and hits_same
        ms = {k: 1000.0 * v / (args.rounds * len(queries)) for k, v in cpu.items()}
        report["sets"][set_name] = {
            "travellers": len(queries),
            "cpu_ms_per_traveller": ms,
            "ratio": ms["python"] / ms["compiled"],
            "same_candidates": cand_same,
            "same_hits": hits_same,
        }
    print(f"{len(entries)} listed persons (UN + OFAC SDN + UK HMT); CPU ms per traveller, {args.rounds} rounds")
    print(f"{'set':14} {'travellers':>10} {'compiled':>9} {'python':>9} {'ratio':>7}  same candidates / hits")
    for set_name, r in report["sets"].items():
        ms = r["cpu_ms_per_traveller"]
        print(
            f"{set_name:14} {r['travellers']:>10} {ms['compiled']:>9.3f} {ms['python']:>9.3f} "
            f"{r['ratio']:>6.1f}x  {r['same_candidates']} / {r['same_hits']}"
        )
    print(f"index build CPU s (names memoised): compiled {build['compiled']:.1f}, python {build['python']:.1f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"JSON report: {args.out}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
