"""PAXLST decoding speed: our tokeniser + decoder against pydifact, in one process.

Builds one PAXLST manifest of ``--travellers`` invented travellers (default 500) with
:func:`schemas.paxlst_encode.encode_paxlst`, then times, over ``--repeat`` rounds of
``--number`` runs each (best round reported, per run):

- **ours**: :func:`schemas.paxlst.decode_paxlst` on the raw bytes: charset detection,
  tokenising, and the full PAXLST decode into validated ``Traveller`` records (names,
  dates with century expansion, country codes, documents, counts, warnings);
- **pydifact**: ``Parser().parse()`` on the already-decoded text, materialised into a
  list of segments: tokenising and segment building only, **less work than ours** (no
  byte decoding, no PAXLST semantics, no records).

Run (pydifact is the ``bench`` extra: ``pip install -e '.[bench]'``)::

    python -m loadtest.bench_edifact [--travellers 500] [--repeat 5] [--number 5]

Exit status 0 when ours is at least ``--min-ratio`` (default 5.0) times faster, 1 when
slower, 2 when pydifact is not installed.
"""

from __future__ import annotations

import argparse
import random
import sys
import timeit
import warnings
from collections.abc import Callable

from schemas.paxlst import decode_paxlst
from schemas.paxlst_encode import encode_paxlst
from schemas.records import Document, Flight, Traveller

_SURNAMES = ("ZORVANEK", "QUILLMORE", "BRASHTOVA", "ODELLIX", "KARVENBY", "TULLWREN", "MESKARDI", "VOLLANTE")
_GIVEN = ("ANWEL", "BRISKA", "CORVIN", "DALMA", "EVRIC", "FENNA", "GORLAN", "HESTRA", "IVOLD", "JURNA")
_COUNTRIES = ("DEU", "FRA", "GBR", "USA", "ESP", "ITA", "NLD", "POL")


def build_manifest(travellers: int, *, seed: int = 7) -> bytes:
    """One PAXLST interchange with ``travellers`` invented passengers (names, gender,
    birth date, nationality, residence, one passport each), UNOA, default delimiters, a
    few names with ``'`` and ``+`` so the release character is exercised."""
    rng = random.Random(seed)
    people = []
    for n in range(travellers):
        surname = rng.choice(_SURNAMES)
        if n % 50 == 0:
            surname = "O'" + surname
        given = " ".join(rng.sample(_GIVEN, rng.randint(1, 2)))
        country = rng.choice(_COUNTRIES)
        people.append(
            Traveller(
                traveller_id=str(n + 1),
                surname=surname,
                given_names=given,
                gender=rng.choice(("M", "F")),
                date_of_birth=f"{rng.randint(1940, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                nationality=country,
                country_of_residence=rng.choice(_COUNTRIES),
                documents=[
                    Document(
                        type="P",
                        number=f"ZX{rng.randint(0, 9_999_999):07d}",
                        issuing_country=country,
                        expiry_date=f"{rng.randint(2027, 2035)}-{rng.randint(1, 12):02d}-15",
                    )
                ],
            )
        )
    flight = Flight(
        carrier="ZZ",
        number="0101",
        departure_airport="AAA",
        arrival_airport="BBB",
        scheduled_departure="2026-11-29T10:15",
        scheduled_arrival="2026-11-29T12:40",
    )
    return encode_paxlst(people, flight=flight, interchange_ref="B0001", message_ref="M1")


def _best_per_run(fn: Callable[[], object], *, repeat: int, number: int) -> float:
    return min(timeit.repeat(fn, repeat=repeat, number=number)) / number


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the timings (seconds per manifest) and the ratio."""
    parser = argparse.ArgumentParser(prog="python -m loadtest.bench_edifact", description=__doc__.split("\n")[0])
    parser.add_argument("--travellers", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5, help="timing rounds (best one is reported)")
    parser.add_argument("--number", type=int, default=5, help="runs per round")
    parser.add_argument("--min-ratio", type=float, default=5.0)
    args = parser.parse_args(argv)

    try:
        from pydifact.parser import Parser  # bench-only dependency (pyproject extra "bench")
    except ImportError:
        print("pydifact is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2

    # pydifact warns once per segment type that it has no directory XML to validate with
    warnings.filterwarnings("ignore", module="pydifact")
    data = build_manifest(args.travellers)
    text = data.decode("ascii")
    result = decode_paxlst(data)
    segments = list(Parser().parse(text))
    if len(result.travellers) != args.travellers:
        print(f"decoder returned {len(result.travellers)} travellers, expected {args.travellers}", file=sys.stderr)
        return 1

    ours = _best_per_run(lambda: decode_paxlst(data), repeat=args.repeat, number=args.number)
    theirs = _best_per_run(lambda: list(Parser().parse(text)), repeat=args.repeat, number=args.number)
    ratio = theirs / ours
    print(
        f"manifest: {args.travellers} travellers, {len(data)} bytes, {len(segments)} segments (pydifact count)\n"
        f"ours     decode_paxlst (bytes -> charset -> tokenise -> Traveller records): {ours * 1000:8.2f} ms/manifest\n"
        f"pydifact Parser().parse (text -> segment objects only; less work than ours): "
        f"{theirs * 1000:8.2f} ms/manifest\n"
        f"ratio    pydifact / ours = {ratio:.1f}x (target >= {args.min_ratio:.1f}x; best of {args.repeat} rounds "
        f"x {args.number} runs)"
    )
    return 0 if ratio >= args.min_ratio else 1


if __name__ == "__main__":
    raise SystemExit(main())
