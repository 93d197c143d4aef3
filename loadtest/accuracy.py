"""Screening accuracy and speed on labelled query sets.

Reads a watchlist with :func:`schemas.watchlists.read_watchlist`, turns the yente
screening fixtures (``positives_un_untreated.csv``: queries built from the UN SC list;
``negatives_us.csv``: people who are not listed) into ``Traveller`` records, screens
them and prints recall on positives, the false-positive rate on negatives (a negative
with any hit at the threshold is a false positive) and travellers per second::

    python -m loadtest.accuracy --watchlist ../shared/data/watchlists/un_sc_consolidated_2026-02-27.xml

``--write-jsonl DIR`` also writes both sets as Traveller JSONL for
``apis-matcher screen --travellers``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from matchers import MatchConfig, Person, Screener
from schemas.countries import to_alpha3
from schemas.records import Traveller, WatchlistEntry
from schemas.screening import entry_to_person, traveller_to_person

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
    from schemas.watchlists import read_watchlist

    entries: list[WatchlistEntry] = []
    for p in paths:
        entries.extend(read_watchlist(p, format=fmt, list_id=list_id).entries)
    return entries


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; prints a JSON report and returns the exit code."""
    ap = argparse.ArgumentParser(prog="python -m loadtest.accuracy", description=__doc__.split("\n")[0])
    ap.add_argument("--watchlist", action="append", required=True, help="watchlist file (repeatable)")
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


if __name__ == "__main__":
    raise SystemExit(main())
