"""Screening speed at scale (issue 7): the candidate index vs an exhaustive scan.

One command; prints a table and writes a JSON report (default
``build/bench-speed.json``)::

    python -m loadtest.bench_speed                      # 100k and 1M names
    python -m loadtest.bench_speed --sizes 20000 --queries 200 --exhaustive 20,0
    python -m loadtest.bench_speed --exhaustive 10 --exhaustive-cache build/exh.jsonl
    python -m loadtest.bench_speed --sizes 1000000 --fill-cache 40 --exhaustive-cache build/exh.jsonl

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
  mix, one traveller per call, spread over ``--workers`` forked processes; travellers
  per CPU second, extrapolated from that sample (always scanned in this run, never
  taken from the cache, so the speed-up is measured);
* recall — the share of the exhaustive hits (default threshold, at most ``max_hits``
  per traveller) that the index also returns, over the *recall sample*: the timed
  exhaustive sample plus every query position found in ``--exhaustive-cache``;
  *tie-aware* also counts a missed hit as found when the index returned ``max_hits``
  hits that all score at least as high (the cap was full of equally good hits);
* wide cut — a larger, cheaper reference on every query: the same index with
  ``max_candidates`` :data:`WIDE_CANDIDATES`, a ranking pool of ten times that and no
  estimate pruning; the share of its
  hits the default configuration returns (what the ranking and pruning lose; it cannot
  see what the index keys miss, which only the exhaustive sample shows).

Exhaustive cache (``--exhaustive-cache PATH``, JSON Lines). An exhaustive scan costs
about 80 CPU seconds per traveller at 1M names, so a run affords a few dozen while the
recall figure needs hundreds; the cache keeps them across runs. One line per scanned
query: ``{"i": position in the query mix, "kind": query kind, "hits": [[entry key
"list_id:entry_id", score 0.0–1.0], ...] (best first, as the exhaustive scan returns
them), "cpu_s": CPU seconds of that scan, "names": the --sizes value, "seed": --seed,
"queries": --queries}``; other fields are ignored. A line is used only by a run with the
same ``names``, ``seed`` and ``queries`` (they fix the list and the query mix). A line
without ``names``/``seed``/``queries`` is the legacy format of the first cache file
(``exh-1m-075b693.jsonl``) and belongs to names 1,000,000, seed 7, queries 2000. A line
that is not JSON (a write cut short by a killed run) is skipped.

The exhaustive hits depend only on the scorer (:mod:`matchers.scoring`,
:mod:`matchers.normalise`, :mod:`matchers.dates`, the :class:`matchers.MatchConfig`
defaults, the screener's combination of features, the index's token weights) and on
the list and queries (:mod:`loadtest.synthetic`, :mod:`loadtest.noise`, the seed and
sizes) — not on the candidate ranking, the part this benchmark measures. A cache is
therefore valid only while the scorer and the generators are unchanged. Each run checks
it: every timed position that is also cached must have the same hits (same keys in the
same order, scores within 1e-9), and every cached position the same query kind; else
the run stops (``SystemExit`` naming the position) — delete the file or use another.
The check is a sample: a scorer change that moves only rare scores can pass it. Timed
results not yet cached are appended as each finishes, so runs accumulate.

``--fill-cache K`` only fills the cache: per size it scans the K lowest query positions
not yet cached, spread over ``--workers``, appending each line as soon as its scan
finishes (a killed run keeps what it finished), with progress on stderr; no table.
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
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from matchers import MatchConfig, MatchResult, Person, Screener

FIXTURES = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "namepairs" / "yente_screening_fixtures"
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

Hits = list[tuple[str, float]]

WIDE_CANDIDATES = 3000
"""``max_candidates`` of the wide-cut reference run (``ranking_pool`` ten times that, no
estimate pruning)."""


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


def _exhaustive_one(item: tuple[int, Person]) -> tuple[int, Hits, float]:
    assert _SCREENER is not None
    pos, query = item
    t0 = time.process_time()
    hits = _keys(_SCREENER.screen([query], exhaustive=True))[0]
    return pos, hits, time.process_time() - t0


def exhaustive(
    screener: Screener,
    queries: Sequence[tuple[int, Person]],
    workers: int,
    on_done: Callable[[int, Hits, float], None] | None = None,
) -> dict[int, tuple[Hits, float]]:
    """Exhaustive hits of each ``(position, traveller)`` in ``queries`` and the CPU
    seconds its scan took, by position; one traveller per ``screen`` call, spread over
    ``workers`` forked processes (1: in this process). ``on_done(position, hits, cpu_s)``
    is called in this process as each scan finishes (completion order); what it raises
    stops the scan (the pool is terminated)."""
    global _SCREENER
    _SCREENER = screener
    out: dict[int, tuple[Hits, float]] = {}

    def done(pos: int, hits: Hits, cpu_s: float) -> None:
        out[pos] = (hits, cpu_s)
        if on_done is not None:
            on_done(pos, hits, cpu_s)

    if workers <= 1 or len(queries) < 2:
        for item in queries:
            done(*_exhaustive_one(item))
        return out
    with mp.get_context("fork").Pool(min(workers, len(queries))) as pool:
        for res in pool.imap_unordered(_exhaustive_one, queries):
            done(*res)
    return out


class CachedScan(NamedTuple):
    """One query's exhaustive hits as read from the cache (see the module doc)."""

    kind: str | None
    """query kind (``negative``, ``noisy:…``); None when the line has none"""
    hits: Hits
    """``(entry key "list_id:entry_id", score 0.0–1.0)``, best first"""
    cpu_s: float | None
    """CPU seconds the scan took; None when the line has none"""


LEGACY_CACHE_SCOPE = {"names": 1_000_000, "seed": 7, "queries": 2000}
"""Scope of a cache line without ``names``/``seed``/``queries`` (the first cache file)."""


def same_hits(a: Hits, b: Hits, tol: float = 1e-9) -> bool:
    """True when two hit lists have the same keys in the same order and every score
    (0.0–1.0) differs by at most ``tol``."""
    return len(a) == len(b) and all(ka == kb and abs(sa - sb) <= tol for (ka, sa), (kb, sb) in zip(a, b, strict=True))


def read_cache(path: Path, *, names: int, seed: int, queries: int) -> dict[int, CachedScan]:
    """The cached exhaustive scans of one run scope (list size ``names``, ``seed``,
    ``queries`` in the mix) in the JSON Lines file ``path``, by query position; lines of
    another scope are ignored, legacy lines belong to :data:`LEGACY_CACHE_SCOPE`, lines
    that are not JSON (a write cut short) are skipped; empty when the file does not exist.

    Raises ``ValueError`` (with file and line number) for a JSON line that is not a scan
    (no ``i``/``hits``, only some of ``names``/``seed``/``queries``), and when two lines
    of the scope hold different hits for one position (runs of two scorers mixed)."""
    out: dict[int, CachedScan] = {}
    if not path.exists():
        return out
    line_of: dict[int, int] = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            try:
                if not isinstance(rec, dict):
                    raise ValueError("not a JSON object")
                present = [k for k in LEGACY_CACHE_SCOPE if k in rec]
                if present and len(present) < len(LEGACY_CACHE_SCOPE):
                    raise ValueError(f"has {present} but not all of {list(LEGACY_CACHE_SCOPE)}")
                scope = {k: int(rec[k]) for k in LEGACY_CACHE_SCOPE} if present else LEGACY_CACHE_SCOPE
                if scope != {"names": names, "seed": seed, "queries": queries}:
                    continue
                pos = int(rec["i"])
                scan = CachedScan(
                    kind=rec.get("kind"),
                    hits=[(str(key), float(score)) for key, score in rec["hits"]],
                    cpu_s=rec.get("cpu_s"),
                )
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise ValueError(f"{path}:{n}: not an exhaustive-scan line ({exc!r})") from None
            prev = out.get(pos)
            if prev is None:
                out[pos] = scan
                line_of[pos] = n
            elif not same_hits(prev.hits, scan.hits) or prev.kind != scan.kind:
                raise ValueError(f"{path}:{n}: query {pos} has other hits than on line {line_of[pos]}")
    return out


def check_cache(fresh: Mapping[int, Hits], cached: Mapping[int, Hits], tol: float = 1e-9) -> int | None:
    """The lowest query position in both ``fresh`` and ``cached`` whose hits differ
    (:func:`same_hits`): the cache is stale, the scorer changed since it was written;
    None when all agree (or none is in both)."""
    for pos in sorted(fresh.keys() & cached.keys()):
        if not same_hits(fresh[pos], cached[pos], tol):
            return pos
    return None


def append_cache(
    path: Path, pos: int, *, kind: str, hits: Hits, cpu_s: float, names: int, seed: int, queries: int
) -> None:
    """Append one scan to the cache ``path`` as one JSON line (module doc), creating the
    file and its folder; a last line cut short by a killed writer is ended first, so it
    stays a skipped line of its own. ``OSError`` when the file cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rec = {
        "i": pos,
        "kind": kind,
        "hits": [[key, score] for key, score in hits],
        "cpu_s": round(cpu_s, 2),
        "names": names,
        "seed": seed,
        "queries": queries,
    }
    with open(path, "a+b") as fh:
        prefix = b""
        if fh.seek(0, os.SEEK_END) > 0:
            fh.seek(-1, os.SEEK_END)
            if fh.read(1) != b"\n":
                prefix = b"\n"
        fh.write(prefix + json.dumps(rec).encode("utf-8") + b"\n")


def _stale(path: Path, pos: int, kind: str | None, what: str) -> SystemExit:
    return SystemExit(
        f"exhaustive cache {path} is stale: query {pos} ({kind}) {what} "
        "(the scorer or the list/query generators changed since); delete the file or use another"
    )


def _check_kinds(path: Path, cached: Mapping[int, CachedScan], kinds: Sequence[str]) -> None:
    for pos in sorted(cached):
        kind = cached[pos].kind
        if pos < len(kinds) and kind is not None and kind != kinds[pos]:
            raise _stale(path, pos, kinds[pos], f"was cached as another kind ({kind})")


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


def run_size(
    n_names: int,
    *,
    n_queries: int,
    n_exhaustive: int,
    workers: int,
    batch: int,
    seed: int,
    cache: Path | None = None,
) -> dict[str, Any]:
    """The measurements of one list size (see the module doc). With ``cache`` the recall
    sample also takes the cached positions, and the timed scans not yet cached are
    appended to it. Raises ``SystemExit`` when the cache is stale (module doc) and
    ``ValueError`` when it is malformed (:func:`read_cache`)."""
    from loadtest.synthetic import synthetic_watchlist

    config = MatchConfig()
    scope = {"names": n_names, "seed": seed, "queries": n_queries}
    t0 = time.perf_counter()
    persons = synthetic_watchlist(n_names, seed=seed)
    gen_s = time.perf_counter() - t0
    queries = build_queries(persons, n_queries, seed)
    cached = read_cache(cache, **scope) if cache is not None else {}
    if cache is not None:
        _check_kinds(cache, cached, [kind for kind, _ in queries])
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
    # a larger, cheaper reference: the same index with a 10x wider cut and pool, no pruning
    wide_cfg = dataclasses.replace(
        config, max_candidates=WIDE_CANDIDATES, ranking_pool=10 * WIDE_CANDIDATES, estimate_margin=1.0
    )
    wide = Screener.__new__(Screener)
    wide.__dict__.update(screener.__dict__)
    wide.config = wide_cfg
    t0 = time.process_time()
    wide_hits: list[Hits] = []
    for i in range(0, len(qs), batch):
        wide_hits += _keys(wide.screen(qs[i : i + batch]))
    wide_cpu = time.process_time() - t0
    ex_q = list(enumerate(qs[:n_exhaustive]))
    appended = 0

    def check_and_append(pos: int, hits: Hits, cpu_s: float) -> None:
        nonlocal appended
        kind = queries[pos][0]
        if pos in cached:
            if check_cache({pos: hits}, {pos: cached[pos].hits}) is not None:
                assert cache is not None
                raise _stale(cache, pos, kind, "has other exhaustive hits now than when it was cached")
        elif cache is not None:
            append_cache(cache, pos, kind=kind, hits=hits, cpu_s=cpu_s, **scope)
            appended += 1

    fresh = exhaustive(screener, ex_q, workers, check_and_append)
    ex_cpu = sum(cpu_s for _, cpu_s in fresh.values())
    ex_hits = {pos: hits for pos, (hits, _) in fresh.items()}
    from_cache = sorted(pos for pos in cached if pos < len(qs) and pos not in ex_hits)
    ex_hits.update((pos, cached[pos].hits) for pos in from_cache)
    recall_pos = sorted(ex_hits)
    index_rate = len(qs) / index_cpu if index_cpu else None
    ex_rate = len(ex_q) / ex_cpu if ex_cpu else None
    rec = compare([index_hits[pos] for pos in recall_pos], [ex_hits[pos] for pos in recall_pos], config.max_hits)
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
        "exhaustive_cache": str(cache) if cache is not None else None,
        "exhaustive_cache_appended": appended,
        "recall_queries": len(recall_pos),
        "recall_cached_queries": len(from_cache),
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
        ("exhaustive: timed sample travellers", "exhaustive_queries"),
        ("exhaustive: CPU ms / traveller", "exhaustive_cpu_ms_per_traveller"),
        ("exhaustive: travellers / CPU s", "exhaustive_travellers_per_cpu_s"),
        ("speed-up per traveller (x)", "speedup"),
        ("recall sample: travellers (timed + cached)", "recall_queries"),
        ("recall sample: of which from the cache", "recall_cached_queries"),
        ("exhaustive hits in the recall sample", "exhaustive_hits"),
        ("exhaustive hits found by the index", "found"),
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
            elif "recall" in key and isinstance(v, float):
                cells.append(f"{100 * v:.2f}%")
            elif isinstance(v, float):
                cells.append(f"{v:,.4g}" if v < 1 else f"{v:,.1f}")
            else:
                cells.append(f"{v:,}")
        lines.append(label.ljust(width) + "".join(c.rjust(14) for c in cells))
    return "\n".join(lines)


def fill_cache(n_names: int, *, n_queries: int, seed: int, count: int, workers: int, cache: Path) -> int:
    """Scan the ``count`` lowest query positions of one list size that ``cache`` does
    not hold yet and append each as soon as its scan finishes (module doc); progress on
    stderr. Returns the number of lines appended. Raises ``SystemExit`` when a cached
    query kind no longer matches (stale cache), ``ValueError`` when the cache is malformed."""
    from loadtest.synthetic import synthetic_watchlist

    scope = {"names": n_names, "seed": seed, "queries": n_queries}
    persons = synthetic_watchlist(n_names, seed=seed)
    queries = build_queries(persons, n_queries, seed)
    cached = read_cache(cache, **scope)
    _check_kinds(cache, cached, [kind for kind, _ in queries])
    todo = [pos for pos in range(len(queries)) if pos not in cached][:count]
    sys.stderr.write(f"{n_names:,} names: {len(cached)} queries cached, scanning {len(todo)} more …\n")
    if not todo:
        return 0
    screener = Screener(persons, MatchConfig())
    done = 0

    def append(pos: int, hits: Hits, cpu_s: float) -> None:
        nonlocal done
        append_cache(cache, pos, kind=queries[pos][0], hits=hits, cpu_s=cpu_s, **scope)
        done += 1
        sys.stderr.write(
            f"{n_names:,} names: query {pos} ({queries[pos][0]}): {len(hits)} hits, "
            f"{cpu_s:.1f} CPU s [{done}/{len(todo)}]\n"
        )

    exhaustive(screener, [(pos, queries[pos][1]) for pos in todo], workers, append)
    return done


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point (see the module doc); returns the exit code."""
    ap = argparse.ArgumentParser(prog="python -m loadtest.bench_speed", description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000], help="list sizes in names")
    ap.add_argument("--queries", type=int, default=2000, help="travellers screened through the index per size")
    ap.add_argument(
        "--exhaustive", default="200,40", help="exhaustive sample per size, comma-separated (last value repeats)"
    )
    ap.add_argument("--workers", type=int, default=2, help="processes for the exhaustive scan")
    ap.add_argument(
        "--exhaustive-cache",
        type=Path,
        default=None,
        metavar="PATH",
        help="JSON Lines cache of exhaustive hits (module doc): cached queries join the recall sample, "
        "timed ones are checked against it (stops when stale) and appended; valid only for an unchanged scorer",
    )
    ap.add_argument(
        "--fill-cache",
        type=int,
        default=None,
        metavar="K",
        help="only fill --exhaustive-cache: scan the K lowest uncached query positions per size, "
        "appending each as it finishes; no benchmark, no table",
    )
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
            cache=args.exhaustive_cache,
        )
        sys.stdout.write(json.dumps(res) + "\n")
        return 0
    if args.fill_cache is not None and args.exhaustive_cache is None:
        ap.error("--fill-cache needs --exhaustive-cache")
    if not FIXTURES.is_dir():
        sys.stderr.write(f"benchmark data not found at {FIXTURES}\n")
        return 2
    if args.fill_cache is not None:
        for size in args.sizes:
            n = fill_cache(
                size,
                n_queries=args.queries,
                seed=args.seed,
                count=args.fill_cache,
                workers=args.workers,
                cache=args.exhaustive_cache,
            )
            sys.stderr.write(f"{size:,} names: {n} lines appended to {args.exhaustive_cache}\n")
            gc.collect()
        return 0
    report: dict[str, Any] = {"seed": args.seed, "config": {"threshold": MatchConfig().threshold}, "sizes": {}}
    for size in args.sizes:
        sys.stderr.write(f"{size:,} names …\n")
        cmd = [sys.executable, "-m", "loadtest.bench_speed", "--one", str(size), *_pass_through(argv)]
        proc = subprocess.run(cmd, check=False, capture_output=True, text=True)
        if proc.returncode:
            sys.stderr.write(proc.stderr)
            return proc.returncode
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
