"""Screening manifest by manifest, as the service does, with the query memo kept over
the manifests against a fresh one per manifest (issue 7).

Builds one screener over UN + OFAC SDN + UK HMT (the accuracy suite's lists, from
``../shared/data``) and screens the seeded negatives subsample of the accuracy suite
(``--negatives``, default 5000: people who are not listed, the common case) cut into
manifests of ``--manifest`` travellers (default 200, a wide-body flight), in two
settings, alternating rounds so machine noise hits both, each round on another seeded
subsample: ``kept``, the screener as built (each thread keeps its
:class:`~matchers.index.QueryMemo` over its batches, bounded by
``matchers.screener._MEMO_ENTRIES`` and ``_MEMO_IDS``), and ``fresh``, the same screener
with those bounds at 0, so every manifest starts a fresh memo (the behaviour before the
memo was kept). Prints CPU µs per traveller (the traveller's conversion to a query
included, as in the accuracy suite) and whether both gave the same hits. Exit status 1
when they differ::

    python -m loadtest.bench_manifests [--negatives 5000] [--manifest 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Sequence
from typing import Any

import matchers.screener
from loadtest.accuracy import FIXTURES, SUITE_LISTS, read_travellers, seeded_sample
from matchers import MatchConfig, Screener
from schemas.records import Traveller
from schemas.screening import entry_to_person, traveller_to_person
from schemas.watchlists import read_watchlist


def _pass(screener: Screener, travellers: Sequence[Traveller], manifest: int) -> tuple[list[Any], float]:
    """``(hit rows, CPU seconds)`` of screening ``travellers`` manifest by manifest."""
    rows: list[Any] = []
    gc.collect()
    t0 = time.process_time()
    for k in range(0, len(travellers), manifest):
        batch = [traveller_to_person(t) for t in travellers[k : k + manifest]]
        rows += [[(r.list_id, r.entry_id, r.score) for r in hits] for hits in screener.screen(batch)]
    return rows, time.process_time() - t0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m loadtest.bench_manifests", description=__doc__.split("\n\n")[0])
    ap.add_argument("--negatives", type=int, default=5000, help="seeded negatives subsample size per round")
    ap.add_argument("--manifest", type=int, default=200, help="travellers per manifest (one screen call)")
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds per setting, alternating")
    args = ap.parse_args(argv)
    if args.negatives < 1 or args.manifest < 1 or args.rounds < 1:
        ap.error("--negatives, --manifest and --rounds must be at least 1")
    if not FIXTURES.is_dir() or not all(p.exists() for _, p in SUITE_LISTS):
        print(f"needs ../shared/data ({FIXTURES} not found)", file=sys.stderr)
        return 2
    lists = [read_watchlist(str(p), format="auto", list_id=lid).entries for lid, p in SUITE_LISTS]
    screener = Screener([entry_to_person(e) for entries in lists for e in entries], MatchConfig())
    negatives = read_travellers(FIXTURES / "negatives_us.csv", "neg")
    kept_bounds = (matchers.screener._MEMO_ENTRIES, matchers.screener._MEMO_IDS)
    times: dict[str, list[float]] = {"kept": [], "fresh": []}
    same = True
    gc.freeze()  # the lists and the index, as the service freezes them once built
    try:
        for r in range(args.rounds):
            sample = seeded_sample(negatives, args.negatives, 100 + r)
            got: dict[str, list[Any]] = {}
            for setting in ("fresh", "kept") if r % 2 else ("kept", "fresh"):
                bounds = kept_bounds if setting == "kept" else (0, 0)
                matchers.screener._MEMO_ENTRIES, matchers.screener._MEMO_IDS = bounds
                got[setting], seconds = _pass(screener, sample, args.manifest)
                times[setting].append(1e6 * seconds / len(sample))
            same = same and got["kept"] == got["fresh"]
    finally:
        matchers.screener._MEMO_ENTRIES, matchers.screener._MEMO_IDS = kept_bounds
        gc.unfreeze()
    kept, fresh = statistics.median(times["kept"]), statistics.median(times["fresh"])
    print(f"{args.rounds} rounds of {args.negatives} negatives in manifests of {args.manifest}; CPU µs per traveller")
    print(f"memo kept over manifests:  {kept:7.1f}  (rounds: {', '.join(f'{t:.1f}' for t in times['kept'])})")
    print(f"fresh memo per manifest:   {fresh:7.1f}  (rounds: {', '.join(f'{t:.1f}' for t in times['fresh'])})")
    print(f"fresh / kept: {fresh / kept:.2f}; same hits: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
