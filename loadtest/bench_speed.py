"""Screening speed at scale (issue 7): the candidate index vs an exhaustive scan.

One command; prints a table and writes a JSON report (default
``build/bench-speed.json``)::

    python -m loadtest.bench_speed                      # 100k and 1M names
    python -m loadtest.bench_speed --sizes 20000 --queries 200 --exhaustive 20,0

Per list size (each in a fresh child process, so memory figures do not mix):

* the list — :func:`loadtest.synthetic.synthetic_watchlist` (real lists + generated
  names of many cultures, aliases, partial DOBs), seeded;
* index build — wall seconds, resident memory added by the build (RSS delta, MiB) and
  the peak during the build (``VmHWM`` reset through ``/proc/self/clear_refs``);
* queries — half noisy variants of listed persons (:mod:`loadtest.noise`, every kind),
  half people who are not listed (``negatives_us.csv``), shuffled, screened as
  manifests of ``--batch`` travellers; travellers per CPU second;
* exhaustive scan — :meth:`matchers.Screener.screen` with ``exhaustive=True`` (every
  listed name scored with the same scorer) on the first ``--exhaustive`` queries of the
  mix, spread over ``--workers`` forked processes; travellers per CPU second,
  extrapolated from that sample;
* recall — the share of the exhaustive scan's hits (default threshold, at most
  ``max_hits`` per traveller) that the index also returns; *tie-aware* also counts a
  missed hit as found when the index returned ``max_hits`` hits that all score at least
  as high (the cap was full of equally good hits);
* wide cut — a larger, cheaper reference on every query: the same index with
  ``max_candidates`` :data:`WIDE_CANDIDATES` and no estimate pruning; the share of its
  hits the default configuration returns (what the ranking and pruning lose; it cannot
  see what the index keys miss, which only the exhaustive sample shows).
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import multiprocessing as mp
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matchers import MatchConfig, MatchResult, Person, Screener

FIXTURES = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "namepairs" / "yente_screening_fixtures"
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

Hits = list[tuple[str, float]]

WIDE_CANDIDATES = 3000
"""``max_candidates`` of the wide-cut reference run (no estimate pruning)."""


def rss_mib() -> float:
    """Current resident set size of this process, MiB (``/proc/self/statm``)."""
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * _PAGE / 2**20


def peak_mib() -> float:
    """Peak resident set size since the last :func:`reset_peak`, MiB (``VmHWM``; the
    process lifetime peak where ``/proc`` is unavailable)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> bool:
    """Reset the peak RSS counter (Linux ``clear_refs`` 5); False when not possible."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def deep_size_mib(obj: object) -> float:
    """Bytes held by ``obj`` and everything it references (``sys.getsizeof``, each
    object once), MiB; for the index's own structures."""
    seen: set[int] = set()
    stack = [obj]
    total = 0
    while stack:
        o = stack.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        total += sys.getsizeof(o)
        if isinstance(o, dict):
            stack.extend(o.keys())
            stack.extend(o.values())
        elif isinstance(o, list | tuple | set | frozenset):
            stack.extend(o)
        elif hasattr(o, "__slots__") and not isinstance(o, str | int | float):
            stack.extend(getattr(o, a) for a in o.__slots__ if hasattr(o, a))
    return total / 2**20


def build_queries(persons: Sequence[Person], n: int, seed: int) -> list[tuple[str, Person]]:
    """``n`` queries ``(kind, traveller)``: half noisy variants of a seeded sample of
    listed persons (kind ``noisy:{noise kind}``), half negatives (kind ``negative``),
    shuffled with the seed."""
    from loadtest.accuracy import read_travellers
    from loadtest.noise import noisy_travellers
    from loadtest.synthetic import person_to_entry
    from schemas.screening import traveller_to_person

    rng = random.Random(f"bench-speed:{seed}")
    n_pos = n // 2
    sample = rng.sample(list(persons), min(len(persons), max(1, n_pos)))
    noisy = noisy_travellers([person_to_entry(p) for p in sample], seed=seed)
    rng.shuffle(noisy)
    pos = [("noisy:" + v.kind, traveller_to_person(v.traveller)) for v in noisy[:n_pos]]
    negs = read_travellers(FIXTURES / "negatives_us.csv", "neg")
    neg = [("negative", traveller_to_person(t)) for t in rng.sample(negs, min(len(negs), n - len(pos)))]
    mixed = pos + neg
    rng.shuffle(mixed)
    return mixed


def _keys(results: list[list[MatchResult]]) -> list[Hits]:
    return [[(f"{r.list_id}:{r.entry_id}", r.score) for r in hits] for hits in results]


_SCREENER: Screener | None = None


def _exhaustive_chunk(queries: list[Person]) -> tuple[list[Hits], float]:
    assert _SCREENER is not None
    t0 = time.process_time()
    out = _keys(_SCREENER.screen(queries, exhaustive=True))
    return out, time.process_time() - t0


def exhaustive(screener: Screener, queries: list[Person], workers: int) -> tuple[list[Hits], float]:
    """Exhaustive hits of ``queries`` and the CPU seconds spent (all workers), using
    ``workers`` forked processes (1: in this process)."""
    global _SCREENER
    _SCREENER = screener
    if workers <= 1 or len(queries) < 2:
        return _exhaustive_chunk(queries)
    chunks = [queries[i::workers] for i in range(workers)]
    with mp.get_context("fork").Pool(workers) as pool:
        parts = pool.map(_exhaustive_chunk, chunks)
    out: list[Hits] = [[] for _ in queries]
    for w, (hits, _cpu) in enumerate(parts):
        for j, h in enumerate(hits):
            out[w + j * workers] = h
    return out, sum(cpu for _, cpu in parts)


def compare(index_hits: Sequence[Hits], exhaustive_hits: Sequence[Hits], max_hits: int) -> dict[str, Any]:
    """Recall of the exhaustive hits by the index (strict and tie-aware, see module
    doc) and the first misses."""
    total = strict = tie = 0
    misses: list[dict[str, Any]] = []
    for ih, eh in zip(index_hits, exhaustive_hits, strict=True):
        got = {k for k, _ in ih}
        for key, score in eh:
            total += 1
            if key in got:
                strict += 1
                tie += 1
            elif len(ih) >= max_hits and min(s for _, s in ih) >= score:
                tie += 1
            elif len(misses) < 10:
                misses.append({"entry": key, "score": score, "index_best": ih[0][1] if ih else None})
    return {
        "exhaustive_hits": total,
        "found": strict,
        "found_tie_aware": tie,
        "recall": round(strict / total, 4) if total else None,
        "recall_tie_aware": round(tie / total, 4) if total else None,
        "misses": misses,
    }


def run_size(n_names: int, *, n_queries: int, n_exhaustive: int, workers: int, batch: int, seed: int) -> dict[str, Any]:
    """The measurements of one list size (see the module doc)."""
    from loadtest.synthetic import synthetic_watchlist

    config = MatchConfig()
    t0 = time.perf_counter()
    persons = synthetic_watchlist(n_names, seed=seed)
    gen_s = time.perf_counter() - t0
    queries = build_queries(persons, n_queries, seed)
    gc.collect()
    rss0 = rss_mib()
    peak_ok = reset_peak()
    t0 = time.perf_counter()
    screener = Screener(persons, config)
    build_s = time.perf_counter() - t0
    rss1 = rss_mib()
    peak = peak_mib()
    qs = [q for _, q in queries]
    t0 = time.process_time()
    index_hits: list[Hits] = []
    for i in range(0, len(qs), batch):
        index_hits += _keys(screener.screen(qs[i : i + batch]))
    index_cpu = time.process_time() - t0
    # a larger, cheaper reference: the same index with a 30x wider cut and no pruning
    wide_cfg = dataclasses.replace(config, max_candidates=WIDE_CANDIDATES, estimate_margin=1.0)
    wide = Screener.__new__(Screener)
    wide.__dict__.update(screener.__dict__)
    wide.config = wide_cfg
    t0 = time.process_time()
    wide_hits: list[Hits] = []
    for i in range(0, len(qs), batch):
        wide_hits += _keys(wide.screen(qs[i : i + batch]))
    wide_cpu = time.process_time() - t0
    ex_q = qs[:n_exhaustive]
    ex_hits, ex_cpu = exhaustive(screener, ex_q, workers) if ex_q else ([], 0.0)
    index_rate = len(qs) / index_cpu if index_cpu else None
    ex_rate = len(ex_q) / ex_cpu if ex_cpu else None
    rec = compare(index_hits[: len(ex_q)], ex_hits, config.max_hits)
    wide_rec = compare(index_hits, wide_hits, config.max_hits)
    kinds: dict[str, int] = {}
    for kind, _ in queries:
        kinds[kind] = kinds.get(kind, 0) + 1
    return {
        "names": sum(len(p.names) for p in persons),
        "persons": len(persons),
        "indexed_name_variants": len(screener.index),
        "vocabulary": screener.index.vocabulary_size,
        "generate_s": round(gen_s, 2),
        "build_s": round(build_s, 2),
        "rss_before_build_mib": round(rss0, 1),
        "build_rss_delta_mib": round(rss1 - rss0, 1),
        "build_peak_rss_mib": round(peak, 1),
        "build_peak_delta_mib": round(peak - rss0, 1) if peak_ok else None,
        "index_structures_mib": round(
            deep_size_mib(
                [
                    vars(screener.index),
                    screener._docs,
                    screener._dob_lo,
                    screener._dob_hi,
                    screener._dob_day,
                    screener._nat,
                    screener._gender,
                ]
            ),
            1,
        ),
        "queries": len(qs),
        "query_kinds": kinds,
        "with_hits": sum(1 for h in index_hits if h),
        "index_cpu_ms_per_traveller": round(1000 * index_cpu / len(qs), 3) if qs else None,
        "index_travellers_per_cpu_s": round(index_rate, 1) if index_rate else None,
        "exhaustive_queries": len(ex_q),
        "exhaustive_cpu_ms_per_traveller": round(1000 * ex_cpu / len(ex_q), 1) if ex_q else None,
        "exhaustive_travellers_per_cpu_s": round(ex_rate, 4) if ex_rate else None,
        "speedup": round(index_rate / ex_rate, 1) if index_rate and ex_rate else None,
        **rec,
        "wide_cut_cpu_ms_per_traveller": round(1000 * wide_cpu / len(qs), 3) if qs else None,
        "wide_cut_hits": wide_rec["exhaustive_hits"],
        "wide_cut_found": wide_rec["found"],
        "wide_cut_recall": wide_rec["recall"],
        "wide_cut_recall_tie_aware": wide_rec["recall_tie_aware"],
    }


def format_table(report: dict[str, Any]) -> str:
    """The report as a fixed-width table: one row per figure, one column per size."""
    sizes = list(report["sizes"])
    rows: list[tuple[str, str]] = [
        ("names (primary + aliases)", "names"),
        ("listed persons", "persons"),
        ("distinct tokens", "vocabulary"),
        ("index build, wall s", "build_s"),
        ("index build, RSS delta MiB", "build_rss_delta_mib"),
        ("index structures MiB (deep size)", "index_structures_mib"),
        ("index build, peak RSS delta MiB", "build_peak_delta_mib"),
        ("process peak RSS MiB (list + index)", "build_peak_rss_mib"),
        ("queries (noisy + negatives)", "queries"),
        ("index: CPU ms / traveller", "index_cpu_ms_per_traveller"),
        ("index: travellers / CPU s", "index_travellers_per_cpu_s"),
        ("exhaustive: sample travellers", "exhaustive_queries"),
        ("exhaustive: CPU ms / traveller", "exhaustive_cpu_ms_per_traveller"),
        ("exhaustive: travellers / CPU s", "exhaustive_travellers_per_cpu_s"),
        ("speed-up per traveller (x)", "speedup"),
        ("exhaustive hits (sample)", "exhaustive_hits"),
        ("found by index", "found"),
        ("recall of exhaustive hits", "recall"),
        ("recall, tie-aware at max_hits", "recall_tie_aware"),
        (f"wide cut ({WIDE_CANDIDATES} persons): hits, all queries", "wide_cut_hits"),
        ("wide cut: CPU ms / traveller", "wide_cut_cpu_ms_per_traveller"),
        ("recall of wide-cut hits", "wide_cut_recall"),
        ("recall of wide-cut hits, tie-aware", "wide_cut_recall_tie_aware"),
    ]
    width = max(len(label) for label, _ in rows) + 2
    lines = ["".ljust(width) + "".join(f"{int(s):,}".rjust(14) for s in sizes)]
    for label, key in rows:
        cells = []
        for s in sizes:
            v = report["sizes"][s].get(key)
            if v is None:
                cells.append("—")
            elif "recall" in key:
                cells.append(f"{100 * v:.2f}%")
            elif isinstance(v, float):
                cells.append(f"{v:,.4g}" if v < 1 else f"{v:,.1f}")
            else:
                cells.append(f"{v:,}")
        lines.append(label.ljust(width) + "".join(c.rjust(14) for c in cells))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point (see the module doc); returns the exit code."""
    ap = argparse.ArgumentParser(prog="python -m loadtest.bench_speed", description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000], help="list sizes in names")
    ap.add_argument("--queries", type=int, default=2000, help="travellers screened through the index per size")
    ap.add_argument(
        "--exhaustive", default="200,40", help="exhaustive sample per size, comma-separated (last value repeats)"
    )
    ap.add_argument("--workers", type=int, default=2, help="processes for the exhaustive scan")
    ap.add_argument("--batch", type=int, default=500, help="travellers per screen() call (one manifest)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=Path("build/bench-speed.json"))
    ap.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    ex_sizes = [int(x) for x in str(args.exhaustive).split(",")]
    if args.one is not None:
        i = args.sizes.index(args.one) if args.one in args.sizes else len(ex_sizes) - 1
        res = run_size(
            args.one,
            n_queries=args.queries,
            n_exhaustive=ex_sizes[min(i, len(ex_sizes) - 1)],
            workers=args.workers,
            batch=args.batch,
            seed=args.seed,
        )
        sys.stdout.write(json.dumps(res) + "\n")
        return 0
    if not FIXTURES.is_dir():
        sys.stderr.write(f"benchmark data not found at {FIXTURES}\n")
        return 2
    report: dict[str, Any] = {"seed": args.seed, "config": {"threshold": MatchConfig().threshold}, "sizes": {}}
    for size in args.sizes:
        sys.stderr.write(f"{size:,} names …\n")
        cmd = [sys.executable, "-m", "loadtest.bench_speed", "--one", str(size), *_pass_through(argv)]
        proc = subprocess.run(cmd, check=True, capture_output=True, text=True)
        report["sizes"][str(size)] = json.loads(proc.stdout.strip().splitlines()[-1])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(format_table(report))
    print(f"\nJSON report: {args.out}")
    return 0


def _pass_through(argv: Sequence[str] | None) -> list[str]:
    args = list(sys.argv[1:] if argv is None else argv)
    out: list[str] = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a in ("--out", "--one"):
            skip = True
            continue
        out.append(a)
    return out


if __name__ == "__main__":
    raise SystemExit(main())
