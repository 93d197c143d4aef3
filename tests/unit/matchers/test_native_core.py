"""The compiled candidate stage (``matchers._core``, built from ``native/src/lib.rs``)
against the Python reference (``NameIndex(..., native=False)``): the same candidate
records in the same order with bit-identical estimates, hence the same hits; the same
evidence factor; and the compiled core's argument checks.

Parity is asserted with ``==`` on the ``(record id, estimate)`` lists, never with a
tolerance: the compiled stage is a port, operation for operation, of the Python one.
"""

from __future__ import annotations

import dataclasses
from array import array
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import product
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import matchers.index
from loadtest.accuracy import FIXTURES, SUITE_LISTS, read_travellers, seeded_sample
from loadtest.noise import noisy_travellers
from matchers import DateSpec, DocumentKey, MatchConfig, MatchResult, Person, PersonName, Screener
from matchers.index import MAX_NATIVE_QUERY_TOKENS, NATIVE_AVAILABLE, IndexedName, NameIndex
from matchers.normalise import NameVariant, name_variants
from matchers.scoring import string_similarity
from matchers.screener import person_variants, query_variants
from schemas.screening import entry_to_person, traveller_to_person
from schemas.watchlists import read_watchlist
from tests.unit.matchers.helpers import entry, query, require_suite_data
from tests.unit.matchers.test_properties import persons as script_persons
from tests.unit.matchers.test_properties import watchlists as script_watchlists

Candidates = list[tuple[int, float]]


# --- helpers -------------------------------------------------------------------------


@dataclasses.dataclass
class CandidateCall:
    """One ``NameIndex.candidates`` call seen by the spy: the query variants (token
    texts), whether the call qualifies for the compiled stage (no Python-only ``boost``,
    no variant over :data:`MAX_NATIVE_QUERY_TOKENS` tokens) and what it returned."""

    variants: tuple[tuple[str, ...], ...]
    compiled_eligible: bool
    found: Candidates


@contextmanager
def spy_candidates(index: NameIndex) -> Iterator[list[CandidateCall]]:
    """Wrap ``index.candidates``, ``index.text_candidates``, ``index.name_candidates``
    and ``index.batch_candidates`` (the compiled stage's entries for names it folds, one
    query or a batch; the bound methods) for the duration; yields the calls, one per
    query ranked, in query order (a query the compiled stage declines, or with no name
    to rank, makes none there: a batch keeps its place for the Python call that follows
    when the query has a name to rank)."""
    calls: list[CandidateCall | None] = []  # None: a place kept for a Python call
    real, real_texts, real_names = index.candidates, index.text_candidates, index.name_candidates
    real_batch = index.batch_candidates

    def record(call: CandidateCall) -> None:
        if None in calls:  # the first place a batch kept: the calls come in query order
            calls[calls.index(None)] = call
        else:
            calls.append(call)

    def spy(variants: Sequence[NameVariant], **kwargs: Any) -> Candidates:
        found = real(variants, **kwargs)
        record(
            CandidateCall(
                variants=tuple(tuple(t.text for t in v.tokens) for v in variants),
                compiled_eligible=(kwargs.get("boost") is None or kwargs.get("native_boost") is not None)
                and all(len(v.tokens) <= MAX_NATIVE_QUERY_TOKENS for v in variants),
                found=list(found),
            )
        )
        return found

    def spy_texts(queries: Sequence[tuple[Sequence[str], Sequence[str]]], **kwargs: Any) -> Candidates:
        found = real_texts(queries, **kwargs)
        record(CandidateCall(tuple(tuple(texts) for texts, _ in queries), True, list(found)))
        return found

    def spy_names(names: Sequence[Any], fold: Any, **kwargs: Any) -> tuple[bool, Candidates] | None:
        got = real_names(names, fold, **kwargs)
        texts = [v[0] for n in names for v in fold(n.full_name, n.surname, n.given_names) or []]
        if got is not None and texts:  # an uncomparable name: the Python path makes no call
            record(CandidateCall(tuple(tuple(t) for t in texts), True, list(got[1])))
        return got

    def spy_batch(persons: Sequence[Person], fold: Any, evidence: Any, **kwargs: Any) -> list[Candidates | None]:
        got = real_batch(persons, fold, evidence, **kwargs)
        for person, found in zip(persons, got, strict=True):
            if found is None:
                if query_variants(person):  # the Python path ranks it: its place
                    calls.append(None)
                continue
            texts = [v[0] for n in person.names for v in fold(n.full_name, n.surname, n.given_names) or []]
            if texts:  # in its place, after the places kept before it
                calls.append(CandidateCall(tuple(tuple(t) for t in texts), True, list(found)))
        return got

    index.candidates = spy  # type: ignore[method-assign]
    index.text_candidates = spy_texts  # type: ignore[method-assign]
    index.name_candidates = spy_names  # type: ignore[method-assign]
    index.batch_candidates = spy_batch  # type: ignore[method-assign]
    try:
        yield calls  # type: ignore[misc]
    finally:
        # the class's methods again
        del index.candidates, index.text_candidates, index.name_candidates, index.batch_candidates
    assert None not in calls, "a place kept for a Python call that was not made"


@contextmanager
def python_stage_runs(index: NameIndex) -> Iterator[list[int]]:
    """Count, for the duration, the runs of the Python candidate stage
    (``NameIndex._variant_candidates``, one per query variant) on ``index``: spies on the
    compiled index's Python fallback."""
    runs: list[int] = []
    real = index._variant_candidates

    def spy(*args: Any, **kwargs: Any) -> Candidates:
        runs.append(1)
        return real(*args, **kwargs)

    index._variant_candidates = spy  # type: ignore[method-assign]
    try:
        yield runs
    finally:
        del index._variant_candidates


def result_rows(results: list[MatchResult]) -> list[tuple[Any, ...]]:
    return [(r.list_id, r.entry_id, r.score, r.matched_name, r.explanation) for r in results]


def assert_same_screening(
    python: Screener, compiled: Screener, queries: Sequence[Person], *, threshold: float | None = None
) -> tuple[list[CandidateCall], list[list[MatchResult]]]:
    """Screen ``queries`` as one batch with both screeners; assert every candidates call
    and every query's hits are identical. Returns the compiled side's calls and hits."""
    assert not python.index.native and compiled.index.native
    with spy_candidates(python.index) as py_calls:
        py_hits = python.screen(queries, threshold=threshold)
    with spy_candidates(compiled.index) as core_calls:
        core_hits = compiled.screen(queries, threshold=threshold)
    assert len(core_calls) == len(py_calls)
    for py_call, core_call in zip(py_calls, core_calls, strict=True):
        assert core_call.variants == py_call.variants
        assert core_call.found == py_call.found, f"candidates differ for query {core_call.variants}"
    for q, py_res, core_res in zip(queries, py_hits, core_hits, strict=True):
        assert result_rows(core_res) == result_rows(py_res), f"hits differ for {q.names} (threshold {threshold})"
    return core_calls, core_hits


def screener_pair(entries: Sequence[Person], config: MatchConfig) -> tuple[Screener, Screener]:
    """``(Python reference, compiled)`` screeners over the same entries."""
    return Screener(entries, config, native=False), Screener(entries, config, native=True)


def listed(
    entry_id: str,
    *names: str | tuple[str, str],
    dob: Sequence[str | DateSpec] = (),
    nationality: Sequence[str] = (),
    gender: Sequence[str] = (),
    list_id: str = "wl",
) -> Person:
    """A listed person with several names: a ``str`` is a free-form full name, a pair is
    ``(surname, given names)``."""
    return Person(
        key=f"{list_id}:{entry_id}",
        names=tuple(
            PersonName(full_name=n) if isinstance(n, str) else PersonName(surname=n[0], given_names=n[1]) for n in names
        ),
        dates_of_birth=tuple(d if isinstance(d, DateSpec) else DateSpec(date=d) for d in dob),
        nationalities=tuple(nationality),
        genders=tuple(gender),
        list_id=list_id,
        entry_id=entry_id,
    )


# --- the build -----------------------------------------------------------------------


def test_compiled_core_is_built() -> None:
    # CI fails here when the extension is not built (or the build was skipped): the
    # default index and screener run the compiled candidate stage
    assert NATIVE_AVAILABLE
    records = [IndexedName(0, 0, name_variants(None, "NOWAK", "ADAM")[0])]
    assert NameIndex(records, string_similarity).native
    assert NameIndex(records, string_similarity, native=True).native
    assert not NameIndex(records, string_similarity, native=False).native
    s = Screener([entry("E1", "NOWAK", "ADAM", "1970-01-01")], MatchConfig())
    assert s.index.native
    evidence = s._evidence_boost(query("NOWAK", "ADAM", "1970-01-01"))
    assert evidence is not None and evidence[1] is not None  # the compiled stage's boost
    assert not Screener([entry("E1", "NOWAK", "ADAM")], MatchConfig(), native=False).index.native


def test_native_true_requires_the_compiled_core(monkeypatch: pytest.MonkeyPatch) -> None:
    # as in a source tree without the built extension
    monkeypatch.setattr(matchers.index, "_core", None)
    records = [IndexedName(0, 0, name_variants(None, "NOWAK", "ADAM")[0])]
    with pytest.raises(RuntimeError, match="not built"):
        NameIndex(records, string_similarity, native=True)
    with pytest.raises(RuntimeError, match="not built"):
        Screener([entry("E1", "NOWAK", "ADAM")], MatchConfig(), native=True)
    assert not NameIndex(records, string_similarity).native


# --- parity on an invented list --------------------------------------------------------

_CROWD_GIVEN = ("JAMES", "JAMIE", "JAMES R", "JAMESON", "JIM", "JAMES ALAN")

INVENTED: tuple[Person, ...] = (
    # initials
    listed("I1", ("SMITH", "J R"), dob=["1961-03-04"], nationality=["GBR"], gender=["M"]),
    listed("I2", "A B KOWALSKI", dob=["1975"]),
    listed("I3", ("NOWAK", "ADAM"), ("NOWAK", "A"), nationality=["POL"]),
    # written without vowels (an abjad without short vowels), and vowelled namesakes
    listed("V1", "MHMD BDLLH", dob=["1980-05-06"], nationality=["SAU"]),
    listed("V2", ("HMD", "MHMD SLH"), gender=["M"]),
    listed("V3", ("ABDULLAH", "MOHAMMED"), ("BDLLH", "MHMD"), dob=["1980"], nationality=["SAU", "YEM"]),
    # particles
    listed("P1", ("AL HADDADIN", "FARID NAIM"), dob=["1979-04-02"], nationality=["JOR"]),
    listed("P2", ("VAN DER BERG", "JAN PIETER"), ("VANDENBERG", "JAN"), dob=["1955-11-30"], gender=["M"]),
    listed("P3", ("DE LA CRUZ", "MARIA"), dob=["1990-01-01"], nationality=["PHL"], gender=["F"]),
    listed("P4", "ABU BAKR AL BAGHDADI", "IBRAHIM AWAD AL BADRI", dob=["1971"], nationality=["IRQ"]),
    # joined and split tokens
    listed("J1", ("TAN", "WEI JIE"), dob=["1990-12-01"], nationality=["SGP"]),
    listed("J2", ("ZHANG", "WEIJIE"), nationality=["CHN"], gender=["M"]),
    listed("J3", ("YUN", "HO JIN"), ("YUN", "HOJIN"), dob=["1966"], nationality=["PRK"]),
    listed("J4", "HAN YU RO", nationality=["PRK"], gender=["F"]),
    # repeated tokens
    listed("R1", ("AHMED", "AHMED"), dob=["1968-07-07"]),
    listed("R2", ("GUPTA", "MOHAMMAD MOHAMMAD"), nationality=["IND"]),
    listed("R3", ("GUPTA", "MOHAMMAD AMIT")),
    # one-token names
    listed("O1", "SUHARTO", dob=["1921-06-08"], nationality=["IDN"], gender=["M"]),
    listed("O2", "MADONNA"),
    listed("O3", ("ZHOU", ""), gender=["F"]),
    # long names
    listed(
        "L1",
        "ABDUL RAHMAN IBN SAID IBN MUHAMMAD IBN ABDULLAH AL QAHTANI AL DOSARI",
        ("AL QAHTANI", "ABDUL RAHMAN SAID MUHAMMAD"),
        dob=["1973-02-28"],
        nationality=["SAU"],
    ),
    listed("L2", ("DOS SANTOS PEREIRA DA SILVA", "JOSE CARLOS ALBERTO"), dob=["1960"], nationality=["BRA", "PRT"]),
    # known spelling variants
    listed("K1", ("ALI", "MOHAMED"), dob=["1977-09-09"], nationality=["EGY"], gender=["M"]),
    listed(
        "K2", ("ALI", "MUHAMMAD"), ("ALY", "MOHAMMAD"), dob=[DateSpec(from_="1970", to="1975")], nationality=["PAK"]
    ),
    listed("K3", ("HASSAN", "MOHAMMED ALI"), dob=[DateSpec(date="1965", approximate=True)], gender=["M"]),
    listed("K4", ("HASAN", "MEHMET"), nationality=["TUR"]),
    # other evidence on one side only, several dates and nationalities, both genders
    listed("E1", ("IVANOV", "ALEKSANDR SEMENCHUK"), "ELEKSANDR SEMENCHUK IVANOV", nationality=["UKR", "RUS"]),
    listed("E2", ("PETROVA", "OLGA"), dob=["1985-02-03", "1985-03-02"], gender=["F"]),
    listed("E3", ("KIM", "JONG IL"), ("KIM", "CHONG IL"), dob=["1941", "1942-02-16"], gender=["M", "F"]),
    listed("E4", ("MULLER", "JURGEN"), ("MÜLLER", "JÜRGEN"), dob=["1950-10"], nationality=["DEU"]),
    listed("E5", ("LAWSON", "AL JR"), list_id="pep"),
    listed("E6", ("SMITH", "JOHN"), dob=["1961"], list_id="pep", gender=["M"]),
    listed("E7", ("SMYTH", "JON"), dob=["1962-01-01"], nationality=["IRL"], list_id="pep"),
    # a crowded name: namesakes with and without evidence (pool, limit and bar at work)
    *(
        listed(
            f"C{i}",
            ("SMITH", _CROWD_GIVEN[i % len(_CROWD_GIVEN)]),
            dob=[f"{1950 + i % 30}-0{1 + i % 9}-1{i % 10}"] if i % 3 else [],
            nationality=[("GBR", "USA", "AUS")[i % 3]] if i % 4 else [],
            gender=["M"] if i % 5 == 0 else (["F"] if i % 5 == 1 else []),
            list_id="pep" if i % 7 == 0 else "wl",
        )
        for i in range(60)
    ),
    *(
        listed(f"G{i}", ("GUPTA", f"MOHAMMAD {n}"), dob=[f"{1960 + i}"] if i % 2 else [])
        for i, n in enumerate(("AMIT", "RAJ", "ANIL", "VIKRAM", "RAVI", "ARUN", "SANJAY", "RAHUL") * 3)
    ),
)


def q(
    name: str | tuple[str, str],
    dob: str | None = None,
    *,
    nationality: str | None = None,
    gender: str | None = None,
) -> Person:
    """A traveller: a ``str`` is a free-form full name, a pair ``(surname, given names)``."""
    if isinstance(name, str):
        return query(full_name=name, dob=dob, nationality=nationality, gender=gender)
    return query(name[0], name[1], dob, nationality=nationality, gender=gender)


INVENTED_QUERIES: tuple[Person, ...] = (
    # exact
    q(("SMITH", "J R"), "1961-03-04", nationality="GBR", gender="M"),
    q(("AL HADDADIN", "FARID NAIM"), "1979-04-02"),
    q("MHMD BDLLH"),
    q("SUHARTO", "1921-06-08"),
    q("MADONNA"),
    q(("AHMED", "AHMED")),
    q(("SMITH", "JAMES"), nationality="GBR"),
    q(("SMITH", "JAMES")),
    # one and two edits
    q(("SMITH", "JAMSE"), "1961-01-10"),
    q(("SMIHT", "JAMES"), "1970-02-11", gender="F"),
    q(("HADAD", "KHALID")),
    q(("AL HADDADN", "FARID NAEM"), "1979-04-02", nationality="JOR"),
    q(("KOWALSKY", "A B")),
    q(("PETROVVA", "OLGAA"), "1985-03-02"),
    q("SUHARTOO"),
    q(("GUPTA", "MOHAMAD MOHAMAD")),
    q(("ABDULA", "MOHAMED"), "1980-05-06"),
    # swapped order
    q(("FARID", "AL HADDADIN"), "1979-04-02"),
    q(("JAMES", "SMITH"), "1975-05-15", nationality="USA"),
    q(("WEIJIE", "TAN"), "1990-12-01"),
    q("SEMENCHUK ALEKSANRD", "1996-01-24", nationality="UKR", gender="F"),
    # joined and split
    q(("TAN", "WEIJIE"), "1990-12-01"),
    q(("ZHANG", "WEI JIE"), nationality="CHN"),
    q(("HOFJIN", "YUN")),
    q("YU-ORO HAN"),
    q(("ALHADDADIN", "FARIDNAIM")),
    q(("VANDERBERG", "JAN PIETER"), "1955-11-30"),
    q(("VAN DEN BERG", "JAN"), gender="M"),
    q(("HAO", "LIJIAN")),
    # initials
    q(("SMITH", "J"), "1961-03-04"),
    q("J R SMITH"),
    q(("NOWAK", "A"), nationality="POL"),
    q("M ALI", "1977-09-09"),
    # vowel-less and known variants
    q(("ABDULLAH", "MOHAMED")),
    q(("BDLLH", "MOHAMMAD"), "1980"),
    q(("ALI", "MUHAMMAD"), "1972", nationality="PAK"),
    q(("ALI", "MOHAMMED"), "1977-09-09", nationality="EGY", gender="M"),
    q(("HASAN", "MOHAMMAD ALI"), "1966"),
    q(("HASSAN", "MEHMET"), nationality="TUR"),
    # particles dropped or added
    q(("HADDADIN", "FARID")),
    q(("CRUZ", "MARIA"), "1990-01-01", gender="F"),
    q(("DELACRUZ", "MARIA")),
    q("AL BAGHDADI ABU BAKR", "1971"),
    q(("LAWSON", "AL")),
    # long names
    q("ABDUL RAHMAN SAID MUHAMMAD ABDULLAH AL QAHTANI", "1973-02-28"),
    q(("DA SILVA", "JOSE CARLOS"), "1960-04-04", nationality="BRA"),
    q(("PEREIRA DA SILVA", "JOSE CARLOS ALBERTO"), nationality="PRT"),
    # evidence only: a DOB range, a nationality nobody listed has, gender alone
    q(("SMITH", "JOHN"), "1961", nationality="NZL"),
    q(("SMYTH", "JON"), "1962-01-01", nationality="ATA", gender="F"),
    q(("KIM", "JONG IL"), "1942-02-16", gender="F"),
    q(("MULLER", "JURGEN"), "1950-10-03", nationality="DEU"),
    q(("MÜLLER", "JÜRGEN")),
    q(("ZHOU", "")),
    q("ZHOU", gender="F"),
    # strangers sharing one common token
    q(("SMITH", "PETER"), "2001-01-01"),
    q(("GUPTA", "ANITA"), nationality="IND", gender="F"),
    q(("NGUYEN", "VAN AN")),
    q("XYZZY"),
)

INVENTED_CONFIGS = {
    "default": MatchConfig(),
    # few persons, a small pool: the person limit, the pool cut and the single-token fill
    "narrow": MatchConfig(max_candidates=3, ranking_pool=12),
    "list-thresholds": MatchConfig(list_thresholds={"wl": 0.7, "pep": 0.9}),
    "no-bar": MatchConfig(refine_margin=1.0, estimate_margin=1.0, max_candidates=8, ranking_pool=30),
}


@pytest.fixture(scope="module", params=list(INVENTED_CONFIGS), ids=list(INVENTED_CONFIGS))
def invented_pair(request: pytest.FixtureRequest) -> tuple[Screener, Screener]:
    return screener_pair(INVENTED, INVENTED_CONFIGS[request.param])


@pytest.mark.parametrize("threshold", [None, 0.0, 0.6, 0.9])
def test_invented_list_same_candidates_and_hits(
    invented_pair: tuple[Screener, Screener], threshold: float | None
) -> None:
    python, compiled = invented_pair
    calls, hits = assert_same_screening(python, compiled, INVENTED_QUERIES, threshold=threshold)
    # the compiled stage did run (every call qualifies) and had work to do
    assert len(calls) == len(INVENTED_QUERIES)
    assert all(c.compiled_eligible for c in calls)
    assert sum(1 for c in calls if c.found) >= 2 * len(INVENTED_QUERIES) // 3  # not a parity of empty lists
    if threshold is None:
        assert sum(1 for h in hits if h) >= 30


def test_invented_list_one_query_at_a_time(invented_pair: tuple[Screener, Screener]) -> None:
    # without the batch memo (each query its own batch) the same as in one batch
    python, compiled = invented_pair
    for one in INVENTED_QUERIES:
        assert_same_screening(python, compiled, [one], threshold=0.0)


@pytest.mark.parametrize(
    ("limit", "pool", "need", "refine_margin", "min_similarity"),
    [
        (300, None, None, 0.25, 0.72),  # no bar
        (300, 1000, 0.5, 0.25, 0.72),
        (3, 10, 0.8, 0.25, 0.72),
        (1, 3, 0.9, 0.0, 0.72),
        (5, 20, -0.2, 0.25, 0.72),  # threshold 0: a bar below every estimate
        (10, 40, 0.6, 0.25, 0.9),
        (10, 40, 0.6, 0.25, 0.6),
    ],
)
def test_invented_list_same_candidates_without_boost(
    invented_pair: tuple[Screener, Screener],
    limit: int,
    pool: int | None,
    need: float | None,
    refine_margin: float,
    min_similarity: float,
) -> None:
    # NameIndex.candidates called directly, without evidence, over the arguments'
    # range (need=None: no bar at all, which the screener never asks for)
    python, compiled = invented_pair
    for one in INVENTED_QUERIES:
        variants = [v for _, v in person_variants(one)]
        kwargs: dict[str, Any] = {
            "limit": limit,
            "pool": pool,
            "need": need,
            "refine_margin": refine_margin,
            "min_similarity": min_similarity,
            "shape": compiled._shape,
        }
        want = python.index.candidates(variants, **kwargs)
        assert compiled.index.candidates(variants, **kwargs) == want, one.names


@pytest.mark.parametrize(
    ("prune", "left_out"),
    [
        ((1.0, 0.0, 0.0), "none"),  # every estimate reaches 0
        ((0.8, 0.1, 0.7), "some"),
        ((0.8, 0.1, 5.0), "all"),
        ((0.0, 0.0, 0.0), "none"),  # a zero factor: 0 + 0 is not below 0
    ],
)
def test_prune_leaves_out_persons_below_the_floor(
    invented_pair: tuple[Screener, Screener], prune: tuple[float, float, float], left_out: str
) -> None:
    # of the persons the unpruned call returns, those whose best (first) estimate ×
    # factor + margin is below the floor are left out with all their records; the rest
    # keep their records and their order; both stages alike
    python, compiled = invented_pair
    dropped = kept = 0
    for one in INVENTED_QUERIES:
        variants = [v for _, v in person_variants(one)]
        full = python.index.candidates(variants, limit=20, need=0.5, shape=python._shape)
        best: dict[int, float] = {}
        for rid, est in full:
            best.setdefault(python.index.person_of(rid), est)
        want = [(r, e) for r, e in full if best[python.index.person_of(r)] * prune[0] + prune[1] >= prune[2]]
        dropped += len(full) - len(want)
        kept += len(want)
        assert python.index.candidates(variants, limit=20, need=0.5, shape=python._shape, prune=prune) == want
        got = compiled.index.candidates(variants, limit=20, need=0.5, shape=compiled._shape, prune=prune)
        assert got == want, one.names
    assert (dropped > 0, kept > 0) == {"none": (False, True), "some": (True, True), "all": (True, False)}[left_out]


def test_python_boost_alone_takes_the_python_stage(invented_pair: tuple[Screener, Screener]) -> None:
    # a caller passing only a Python boost callable gets the Python stage (the compiled
    # one cannot call it); with the compiled form too, the compiled stage runs: the same
    # list either way, and the Python reference's
    python, compiled = invented_pair
    max_boost = 1.0 / compiled.config.name_only_factor
    boosted = 0
    for one in INVENTED_QUERIES:
        evidence = compiled._evidence_boost(one)
        if evidence is None:
            continue
        boost, native_boost = evidence
        py_boost = python._evidence_boost(one)
        assert py_boost is not None and py_boost[1] is None  # the Python screener has no compiled form
        variants = [v for _, v in person_variants(one)]
        want = python.index.candidates(variants, limit=20, boost=py_boost[0], need=0.5, max_boost=max_boost)
        with python_stage_runs(compiled.index) as ran:
            assert compiled.index.candidates(variants, limit=20, boost=boost, need=0.5, max_boost=max_boost) == want
        assert ran
        with python_stage_runs(compiled.index) as ran:
            got = compiled.index.candidates(
                variants, limit=20, boost=boost, native_boost=native_boost, need=0.5, max_boost=max_boost
            )
        assert not ran
        assert got == want
        boosted += 1
    assert boosted >= 30


# --- parity on random names ------------------------------------------------------------

# fmt: off
TOKENS = (
    "MOHAMED", "MUHAMMAD", "MOHAMMED", "MHMD", "ALI", "ALY", "AL", "HASSAN", "HASAN", "ABDUL",
    "RAHMAN", "BIN", "WEI", "JIE", "WEIJIE", "TAN", "ZHANG", "AHMED", "AHMAD", "VAN", "DER", "BERG",
    "DE", "LA", "CRUZ", "J", "A", "SMITH", "SMYTH", "KOWALSKI", "IVANOV", "YUN", "HO", "JIN", "YU",
    "RO", "HAN", "JR", "BDLLH", "ABDULLAH", "OLGA", "PETROVA",
)
# fmt: on
_LETTERS = "AEIOUHMNRSTKLDY"


@st.composite
def edited_token(draw: st.DrawFn) -> str:
    """A name token with up to two random edits (substitution, insertion, deletion,
    adjacent transposition)."""
    tok = draw(st.sampled_from(TOKENS))
    for _ in range(draw(st.integers(0, 2))):
        i = draw(st.integers(0, len(tok) - 1))
        op = draw(st.sampled_from(("sub", "ins", "del", "swap")))
        c = draw(st.sampled_from(_LETTERS))
        if op == "sub":
            tok = tok[:i] + c + tok[i + 1 :]
        elif op == "ins":
            tok = tok[:i] + c + tok[i:]
        elif op == "del" and len(tok) > 1:
            tok = tok[:i] + tok[i + 1 :]
        elif op == "swap" and i + 1 < len(tok):
            tok = tok[:i] + tok[i + 1] + tok[i] + tok[i + 2 :]
    return tok


@st.composite
def random_name(draw: st.DrawFn, base: Sequence[str] | None = None) -> PersonName:
    """A name of 1–6 tokens (or a noisy copy of ``base``: tokens edited, dropped,
    swapped, two joined), free-form or split into surname and given names."""
    if base is None:
        tokens = draw(st.lists(edited_token(), min_size=1, max_size=6))
    else:
        tokens = list(base)
        for k in range(len(tokens)):
            if draw(st.integers(0, 3)) == 0:
                tokens[k] = draw(edited_token())
        if len(tokens) > 1 and draw(st.booleans()):
            tokens.pop(draw(st.integers(0, len(tokens) - 1)))
        if len(tokens) > 1 and draw(st.booleans()):
            k = draw(st.integers(0, len(tokens) - 2))
            tokens[k : k + 2] = [tokens[k] + tokens[k + 1]] if draw(st.booleans()) else [tokens[k + 1], tokens[k]]
    if len(tokens) > 1 and draw(st.booleans()):
        cut = draw(st.integers(1, len(tokens) - 1))
        return PersonName(surname=" ".join(tokens[cut:]), given_names=" ".join(tokens[:cut]))
    return PersonName(full_name=" ".join(tokens))


DOBS = ("1970-01-01", "1970-01-02", "1970", "1971-06", "1985-12-31", "1990")
NATS = ("DEU", "FRA", "JOR", "PAK")


@st.composite
def random_person(draw: st.DrawFn, key: str) -> Person:
    names = tuple(draw(st.lists(random_name(), min_size=1, max_size=3)))
    return Person(
        key=f"wl:{key}",
        names=names,
        dates_of_birth=tuple(DateSpec(date=d) for d in draw(st.lists(st.sampled_from(DOBS), max_size=2))),
        nationalities=tuple(draw(st.lists(st.sampled_from(NATS), max_size=2, unique=True))),
        genders=tuple(draw(st.lists(st.sampled_from(("M", "F")), max_size=1))),
        list_id="wl",
        entry_id=key,
    )


@st.composite
def random_query(draw: st.DrawFn, persons: Sequence[Person]) -> Person:
    """A noisy copy of a listed name (mostly) or a random name, with random evidence
    (``SWE``: a nationality no listed person has)."""
    if draw(st.integers(0, 4)):
        name = draw(st.sampled_from([n for p in persons for n in p.names]))
        base = (name.full_name or f"{name.given_names} {name.surname}").split()
        pname = draw(random_name(base))
    else:
        pname = draw(random_name())
    return Person(
        key="t",
        names=(pname,),
        dates_of_birth=tuple(DateSpec(date=d) for d in draw(st.lists(st.sampled_from(DOBS), max_size=1))),
        nationalities=tuple(draw(st.lists(st.sampled_from((*NATS, "SWE")), max_size=1))),
        genders=tuple(draw(st.lists(st.sampled_from(("M", "F", "X")), max_size=1))),
    )


@st.composite
def watchlist_and_queries(draw: st.DrawFn) -> tuple[list[Person], list[Person]]:
    persons = [draw(random_person(f"E{i}")) for i in range(draw(st.integers(1, 14)))]
    queries = draw(st.lists(random_query(persons), min_size=1, max_size=4))
    return persons, queries


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    watchlist_and_queries(),
    st.sampled_from([(300, 1000), (2, 5), (1, 1)]),
    st.sampled_from([None, 0.0, 0.6]),
)
def test_random_names_same_candidates_and_hits(
    data: tuple[list[Person], list[Person]], limits: tuple[int, int], threshold: float | None
) -> None:
    persons, queries = data
    config = MatchConfig(max_candidates=limits[0], ranking_pool=limits[1])
    python, compiled = screener_pair(persons, config)
    calls, _hits = assert_same_screening(python, compiled, queries, threshold=threshold)
    assert all(c.compiled_eligible for c in calls)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script_watchlists(), st.lists(script_persons("Q"), min_size=1, max_size=3), st.sampled_from([None, 0.0]))
def test_names_in_other_scripts_same_candidates_and_hits(
    entries: list[Person], queries: list[Person], threshold: float | None
) -> None:
    # the property tests' names: umlauts, separators, the unknown-character '?', Hangul
    # and Arabic letters; the listed persons screened against themselves too
    python, compiled = screener_pair(entries, MatchConfig(max_hits=100))
    assert_same_screening(python, compiled, [*queries, *entries], threshold=threshold)


# --- evidence ----------------------------------------------------------------------------

EVIDENCE_PERSONS: tuple[Person, ...] = (
    listed("N0", "NOBODY"),
    listed("N1", "A", dob=["1970-01-01"]),
    listed("N2", "A", dob=["1970"]),
    listed("N3", "A", dob=["1970-06"]),
    listed("N4", "A", dob=[DateSpec(from_="1968", to="1972")]),
    listed("N5", "A", dob=[DateSpec(date="1970", approximate=True)]),
    listed("N6", "A", dob=["1970-01-01", "1971-01-01"]),
    listed("N7", "A", dob=[DateSpec(from_="1990")]),
    listed("N8", "A", dob=[DateSpec(to="1950")]),
    listed("N9", "A", dob=["not a date"]),
    listed("T0", "A", nationality=["DEU"]),
    listed("T1", "A", nationality=["DEU", "FRA"]),
    listed("T2", "A", nationality=["JOR"]),
    listed("G0", "A", gender=["M"]),
    listed("G1", "A", gender=["F"]),
    listed("G2", "A", gender=["M", "F"]),
    listed("G3", "A", gender=["X"]),
    listed("M0", "A", dob=["1970-01-01"], nationality=["DEU"], gender=["F"]),
    listed("M1", "A", dob=["1985-12-31"], nationality=["FRA", "JOR"], gender=["M"]),
    listed("M2", "A", dob=["2001"], nationality=["JOR"], gender=["F"]),
)
_Q_DOBS: tuple[tuple[DateSpec, ...], ...] = (
    (),
    (DateSpec(date="1970-01-01"),),
    (DateSpec(date="1970-01-02"),),
    (DateSpec(date="1970"),),
    (DateSpec(date="1971-03"),),
    (DateSpec(date="1985-12-31"),),
    (DateSpec(date="1960-05-05"),),
    (DateSpec(date="1970-01-01"), DateSpec(date="1995-01-01")),
    (DateSpec(from_="1969", to="1971"),),
    (DateSpec(date="garbage"),),
)
_Q_NATS: tuple[tuple[str, ...], ...] = ((), ("DEU",), ("FRA", "JOR"), ("SWE",), ("SWE", "DEU"))
_Q_GENDERS: tuple[tuple[str, ...], ...] = ((), ("M",), ("F",), ("X",), ("M", "F"))


@pytest.mark.parametrize("config", [MatchConfig(), MatchConfig(name_only_factor=0.5, dob_mismatch_malus=0.6)])
def test_evidence_factor_is_the_same(config: MatchConfig) -> None:
    # every query shape × every listed person: the compiled Evidence.factor returns the
    # very float the Python factor function does (SWE: a nationality no person has)
    s = Screener(EVIDENCE_PERSONS, config)
    assert s.index.native
    compared = 0
    for dobs, nats, genders in product(_Q_DOBS, _Q_NATS, _Q_GENDERS):
        one = Person(
            key="t", names=(PersonName(full_name="A"),), dates_of_birth=dobs, nationalities=nats, genders=genders
        )
        evidence = s._evidence_boost(one)
        if evidence is None:
            continue
        boost, native = evidence
        core_evidence, q_evidence = native
        for pos in range(len(s)):
            assert core_evidence.factor(pos, q_evidence) == boost(pos), (pos, dobs, nats, genders)
            compared += 1
    assert compared >= 200 * len(EVIDENCE_PERSONS)
    with pytest.raises(ValueError, match="out of range"):
        core_evidence.factor(len(s), q_evidence)


def test_evidence_factor_on_the_invented_list() -> None:
    s = Screener(INVENTED, MatchConfig())
    compared = 0
    for one in INVENTED_QUERIES:
        evidence = s._evidence_boost(one)
        if evidence is None:
            continue
        boost, (core_evidence, q_evidence) = evidence
        for pos in range(len(s)):
            assert core_evidence.factor(pos, q_evidence) == boost(pos), (pos, one)
            compared += 1
    assert compared >= 30 * len(INVENTED)


def _python_reading(s: Screener, one: Person) -> tuple[bool, Any]:
    """What ``Evidence.query`` must give for ``one``: the Python screener's compiled
    form of its boost (lists sorted and unique), ``(True, None)`` without one."""
    evidence = s._evidence_boost(one)
    if evidence is None:
        return True, None
    days, years, nats, gender = evidence[1][1]
    return True, (sorted(set(days)), sorted(set(years)), sorted(set(nats)), gender)


# query values as travellers send them: placeholders, case, spaces, impossible and
# partial dates, ranges open at either end, codes no listed person has
_ODD_DOBS: tuple[tuple[DateSpec, ...], ...] = (
    (DateSpec(date=" 1970-01-01 "),),
    (DateSpec(date="1970-01-01\n"),),
    (DateSpec(date="1971-02-30"), DateSpec(date="1980")),
    (DateSpec(date="1971-02-30"),),
    (DateSpec(date="1971-00-00"),),
    (DateSpec(date="0000-01-01"),),
    (DateSpec(date="1971-13"),),
    (DateSpec(date="9999-12"),),
    (DateSpec(date="1972-02-29"), DateSpec(date="1900-02-29")),
    (DateSpec(to="1950-05-01"),),
    (DateSpec(from_="1990"),),
    (DateSpec(from_="garbage", to="1960"),),
    (DateSpec(from_="garbage", to="garbage"),),
    (DateSpec(date="1970-01-01", from_="1960"),),
    (DateSpec(date="70-01-01"),),
    (DateSpec(date="1970-01-01"), DateSpec(date="1970-01-01")),
)
_ODD_NATS: tuple[tuple[str, ...], ...] = (
    ("deu",),
    (" DEU ", "deu"),
    ("XXX",),
    ("XX", "UNKNOWN", "n/a"),
    ("XXX", "SWE"),
    ("SWE", "NOR"),
    ("",),
)
_ODD_GENDERS: tuple[tuple[str, ...], ...] = (("male",), ("Female",), ("M", "MALE"), ("M", "FEMALE"), ("U",), ("unk",))


@pytest.mark.parametrize("config", [MatchConfig(), MatchConfig(name_only_factor=0.5, dob_mismatch_malus=0.6)])
def test_evidence_query_reads_a_query_as_the_screener_does(config: MatchConfig) -> None:
    # the batch reads each query's boost in the compiled stage (Evidence.query): the
    # same day ids, years, nationality ids and gender code as Screener._evidence_boost,
    # and no boost where it gives none; every query shape, odd values too
    s = Screener(EVIDENCE_PERSONS, config)
    evidence = s._native_evidence
    assert evidence is not None and s._fold is not None
    boosted = 0
    shapes = [*product(_Q_DOBS, _Q_NATS, _Q_GENDERS), *product(_ODD_DOBS, _ODD_NATS[:3], _ODD_GENDERS[:2])]
    shapes += [((), nats, genders) for nats, genders in product(_ODD_NATS, _ODD_GENDERS)]
    for dobs, nats, genders in shapes:
        one = Person(
            key="t", names=(PersonName(full_name="A"),), dates_of_birth=dobs, nationalities=nats, genders=genders
        )
        want = _python_reading(s, one)
        assert evidence.query(s._fold, one) == want, (dobs, nats, genders)
        boosted += want[1] is not None
    assert boosted >= 0.8 * len(shapes)


@pytest.mark.parametrize(
    "odd",
    [
        {"dates_of_birth": (DateSpec(date="١٩٧٠-٠١-٠١"),)},  # Python's int() reads these digits
        {"dates_of_birth": (DateSpec(from_="١٩٧٠"),)},
        {"nationalities": ("DEU", "Ä")},
        {"genders": ("Ｍ",)},
        {"dates_of_birth": (DateSpec(date=1970),)},  # type: ignore[arg-type]
        {"nationalities": (None,)},
    ],
)
def test_evidence_query_leaves_other_values_to_python(odd: dict[str, Any]) -> None:
    # a value outside ASCII, or not a str: (False, None), and the screener takes the
    # Python path for that query, with the same hits as the Python reference
    s = Screener(EVIDENCE_PERSONS, MatchConfig())
    one = Person(key="t", names=(PersonName(full_name="A"),), **odd)
    assert s._native_evidence.query(s._fold, one) == (False, None)
    if not any(v is None or isinstance(v, int) for vals in odd.values() for v in (getattr(x, "date", x) for x in vals)):
        listed_one = Screener(EVIDENCE_PERSONS, MatchConfig(), native=False)
        q = dataclasses.replace(one, names=(PersonName(full_name=EVIDENCE_PERSONS[0].names[0].full_name),))
        assert result_rows(s.screen([q])[0]) == result_rows(listed_one.screen([q])[0])


def test_evidence_query_needs_the_keys() -> None:
    # Evidence made without its interned values cannot read a query
    from matchers import _core
    from matchers.normalise import variant_texts

    u16, u8, u32 = array("H", [0]), array("B", [0]), array("I", [0, 0])
    arrays = (u16, u16, u8, u32, array("I"), u32, array("I"), (0.9, 0.05, 0.02, 0.1, 0.02, 0.05, 0.1))
    with pytest.raises(ValueError, match="without keys"):
        _core.Evidence(*arrays).query(variant_texts, Person(key="t", names=()))
    with pytest.raises(ValueError, match="repeated"):
        _core.Evidence(*arrays, keys=(["A", "A"], []))


def test_a_listed_value_without_utf8_builds_and_screens_as_python() -> None:
    # a listed nationality or birth date with a lone surrogate has no UTF-8 key: the
    # screener builds, and a query holding the same value takes the Python path
    listed_one = listed("A", "JOHN SMITH", nationality=["D\ud800U"], dob=["1970-01-0\ud800"])
    compiled, python = Screener([listed_one], MatchConfig()), Screener([listed_one], MatchConfig(), native=False)
    q = Person("t", (PersonName(full_name="JOHN SMITH"),), nationalities=("D\ud800U",))
    assert compiled._native_evidence.query(compiled._fold, q) == (False, None)
    assert result_rows(compiled.screen([q])[0]) == result_rows(python.screen([q])[0]) != []


def test_batches_are_ranked_in_chunks(
    monkeypatch: pytest.MonkeyPatch, invented_pair: tuple[Screener, Screener]
) -> None:
    # the compiled calls take _BATCH_CHUNK queries each (the interpreter is free between
    # them); a query with a document candidate stays unpruned in its own chunk; a batch
    # given as a one-shot iterable is read once; the same hits whatever the chunk
    import matchers.screener

    passport = DocumentKey("X1234567", "P", "GBR")
    python, compiled = screener_pair(
        [dataclasses.replace(INVENTED[0], documents=(passport,)), *INVENTED[1:]], invented_pair[1].config
    )
    queries = [
        dataclasses.replace(q, documents=(passport,)) if i % 5 == 3 else q for i, q in enumerate(INVENTED_QUERIES)
    ]
    want = [result_rows(h) for h in python.screen(queries)]
    calls: list[tuple[int, list[int]]] = []
    real = compiled.index.batch_candidates

    def batch(persons: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append((len(persons), list(kwargs["unpruned"])))
        return real(persons, *args, **kwargs)

    monkeypatch.setattr(compiled.index, "batch_candidates", batch)
    for chunk in (1, 3, matchers.screener._BATCH_CHUNK, 1000):
        monkeypatch.setattr(matchers.screener, "_BATCH_CHUNK", chunk)
        calls.clear()
        assert [result_rows(h) for h in compiled.screen(iter(queries))] == want, chunk
        assert [n for n, _ in calls] == [min(chunk, len(queries) - k) for k in range(0, len(queries), chunk)]
        assert all(u < n for n, unpruned in calls for u in unpruned)
        assert sum(len(unpruned) for _, unpruned in calls) == len(queries[3::5])
    assert any(want)


def test_batch_candidates_are_name_candidates_query_by_query(invented_pair: tuple[Screener, Screener]) -> None:
    # one compiled call for the batch gives each query what name_candidates gives it
    # with that query's compiled boost (max_boost 1 / name_only_factor with a boost, 1
    # without), pruned but at the positions in unpruned; no evidence: no boost
    _python, s = invented_pair
    assert s._fold is not None
    queries = list(INVENTED_QUERIES)
    cfg = s.config
    prune = (cfg.name_only_factor, cfg.estimate_margin, 0.6)
    settings: dict[str, Any] = {"limit": 20, "need": 0.5, "shape": s._shape}
    unpruned = [0, 3, len(queries) - 1]
    got = s.index.batch_candidates(queries, s._fold, s._native_evidence, prune=prune, unpruned=unpruned, **settings)
    plain = s.index.batch_candidates(queries, s._fold, None, prune=None, **settings)
    assert len(got) == len(plain) == len(queries)
    found = 0
    for i, one in enumerate(queries):
        evidence = s._evidence_boost(one)
        native = evidence[1] if evidence is not None else None
        max_boost = 1.0 / cfg.name_only_factor if evidence is not None else 1.0
        want = s.index.name_candidates(
            one.names,
            s._fold,
            native_boost=native,
            max_boost=max_boost,
            prune=None if i in unpruned else prune,
            **settings,
        )
        assert got[i] == (want[1] if want is not None else None), one.names
        bare = s.index.name_candidates(one.names, s._fold, **settings)
        assert plain[i] == (bare[1] if bare is not None else None), one.names
        found += bool(got[i])
    assert found >= len(queries) // 3


# --- the compiled core's argument checks ---------------------------------------------


class CallRecorder:
    """Stands in for the ``matchers._core`` module or a ``CandidateCore``: forwards every
    attribute, keeps the arguments of every call (``(name, args, kwargs)``)."""

    def __init__(self, target: Any) -> None:
        self.target = target
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.target, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, args, kwargs))
            return attr(*args, **kwargs)

        return call


# the leading CandidateCore arguments, in order (see NameIndex.__init__)
CORE_ARRAYS = (
    *("rec_start", "rec_tids", "rec_person", "rec_loose", "tid_w", "texts", "post_off", "post_ids", "core_off"),
    *("core_texts", "metas", "keys", "joins", "variants", "phonetic", "df"),
)
"""``CandidateCore``'s arguments in order (as far as the tests below break them)."""


@pytest.fixture
def core_args(monkeypatch: pytest.MonkeyPatch) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The arguments a small NameIndex hands ``matchers._core.CandidateCore`` (copies)."""
    recorder = CallRecorder(matchers.index._core)
    monkeypatch.setattr(matchers.index, "_core", recorder)
    records = [
        IndexedName(p, 0, v)
        for p, (sur, giv) in enumerate([("AL HADDADIN", "FARID"), ("TAN", "WEI JIE"), ("SMITH", "J")])
        for v in name_variants(None, sur, giv)
    ]
    assert NameIndex(records, string_similarity).native
    [(_name, args, kwargs)] = [c for c in recorder.calls if c[0] == "CandidateCore"]
    copies = tuple(
        array(a.typecode, a) if isinstance(a, array) else (a.copy() if isinstance(a, list | bytearray) else a)
        for a in args
    )
    return copies, kwargs


def _broken(args: tuple[Any, ...], field: str, change: Callable[[Any, tuple[Any, ...]], None]) -> tuple[Any, ...]:
    out = list(args)
    i = CORE_ARRAYS.index(field)
    out[i] = array(out[i].typecode, out[i]) if isinstance(out[i], array) else out[i].copy()
    change(out[i], args)
    return tuple(out)


def _n_texts(args: tuple[Any, ...]) -> int:
    return len(args[CORE_ARRAYS.index("texts")])


def _n_records(args: tuple[Any, ...]) -> int:
    return len(args[CORE_ARRAYS.index("rec_person")])


def test_candidate_core_accepts_the_index_arrays(core_args: tuple[tuple[Any, ...], dict[str, Any]]) -> None:
    # the arguments as the index builds them are accepted (the breaks below are the cause)
    from matchers import _core

    args, kwargs = core_args
    core = _core.CandidateCore(*args, **kwargs)
    assert core.token_sets([0], [1.0], []).sizes()[1] >= 1


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("rec_start", lambda a, _: a.pop()),  # one record short
        ("rec_start", lambda a, _: a.__setitem__(-1, a[-1] + 1)),  # past the token run
        ("rec_loose", lambda a, _: a.pop()),
        ("rec_person", lambda a, _: a.pop()),
        ("tid_w", lambda a, _: a.pop()),
        ("texts", lambda a, _: a.pop()),
        ("post_off", lambda a, _: a.pop()),
        ("post_off", lambda a, _: a.__setitem__(-1, a[-1] - 1)),  # fewer ids than the postings hold
        ("post_ids", lambda a, _: a.pop()),
        ("rec_tids", lambda a, args: a.__setitem__(0, _n_texts(args) + 5)),  # a token id out of range
        ("post_ids", lambda a, args: a.__setitem__(0, _n_records(args) + 7)),  # a record id out of range
        ("df", lambda a, _: a.pop()),
    ],
    ids=[
        "rec_start-short",
        "rec_start-past-end",
        "rec_loose-short",
        "rec_person-short",
        "tid_w-short",
        "texts-short",
        "post_off-short",
        "post_off-wrong-end",
        "post_ids-short",
        "rec_tids-token-out-of-range",
        "post_ids-record-out-of-range",
        "df-short",
    ],
)
def test_candidate_core_rejects_inconsistent_arrays(
    core_args: tuple[tuple[Any, ...], dict[str, Any]], field: str, change: Callable[[Any, tuple[Any, ...]], None]
) -> None:
    from matchers import _core

    args, kwargs = core_args
    with pytest.raises(ValueError):
        _core.CandidateCore(*_broken(args, field, change), **kwargs)


@pytest.mark.parametrize(("n_weight", "max_idf"), [(0, 1.0), (5, 0.0), (5, float("nan"))])
def test_candidate_core_rejects_weight_counts_out_of_range(
    core_args: tuple[tuple[Any, ...], dict[str, Any]], n_weight: int, max_idf: float
) -> None:
    from matchers import _core

    args, kwargs = core_args
    i = len(CORE_ARRAYS)  # n_weight and max_idf follow df
    broken = (*args[:i], n_weight, max_idf, *args[i + 2 :])
    with pytest.raises(ValueError, match="n_weight"):
        _core.CandidateCore(*broken, **kwargs)


def test_token_sets_rejects_a_length_mismatch(core_args: tuple[tuple[Any, ...], dict[str, Any]]) -> None:
    from matchers import _core

    args, kwargs = core_args
    core = _core.CandidateCore(*args, **kwargs)
    with pytest.raises(ValueError, match="differ in length"):
        core.token_sets([0, 1], [1.0], [])
    with pytest.raises(ValueError, match="differ in length"):
        core.token_sets([0], [1.0, 0.9], [])


def test_core_candidates_rejects_a_variant_over_32_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    # the index keeps longer variants from the core; with that guard lifted, the core
    # itself refuses them rather than overflowing its 32-bit token masks
    python, compiled = screener_pair(INVENTED, MatchConfig())
    variants = [v for _, v in person_variants(q(_long_name(MAX_NATIVE_QUERY_TOKENS + 1)))]
    assert max(len(v.tokens) for v in variants) == MAX_NATIVE_QUERY_TOKENS + 1
    monkeypatch.setattr(matchers.index, "MAX_NATIVE_QUERY_TOKENS", 64)
    with pytest.raises(ValueError, match="32 tokens"):
        compiled.index.candidates(variants, limit=10)
    assert python.index.candidates(variants, limit=10)  # the Python stage has no such limit


def _long_name(n_tokens: int) -> str:
    """A free-form name of ``n_tokens`` distinct tokens ending in SMITH JAMES."""
    return (
        " ".join(f"{TOKENS[i % len(TOKENS)]}{chr(66 + i // len(TOKENS))}" for i in range(n_tokens - 2)) + " SMITH JAMES"
    )


@pytest.mark.parametrize(("n_tokens", "python_stage"), [(MAX_NATIVE_QUERY_TOKENS, False), (40, True)])
def test_a_long_query_takes_the_python_stage_over_32_tokens(n_tokens: int, python_stage: bool) -> None:
    # up to MAX_NATIVE_QUERY_TOKENS the compiled stage runs; over it the compiled index
    # falls back to the Python stage: no error, and the Python reference's candidates
    # and hits either way
    one = q(_long_name(n_tokens), "1970-01-01", nationality="GBR")
    variants = [v for _, v in person_variants(one)]
    assert max(len(v.tokens) for v in variants) == n_tokens
    python, compiled = screener_pair(INVENTED, MatchConfig())
    want = python.index.candidates(variants, limit=300, need=0.3, shape=python._shape)
    with python_stage_runs(compiled.index) as ran:
        got = compiled.index.candidates(variants, limit=300, need=0.3, shape=compiled._shape)
    assert bool(ran) is python_stage
    assert got == want and got
    calls, _hits = assert_same_screening(python, compiled, [one, q(("SMITH", "JAMES"))], threshold=0.0)
    assert [c.compiled_eligible for c in calls] == [not python_stage, True]
    assert calls[0].found


# --- parity on the real lists (contract) --------------------------------------------

NEGATIVES_SAMPLE = 300
NOISY_SAMPLE = 400


@pytest.fixture(scope="module")
def suite_lists() -> dict[str, list[Any]]:
    require_suite_data()
    return {lid: read_watchlist(str(p), format="auto", list_id=lid).entries for lid, p in SUITE_LISTS}


@pytest.fixture(scope="module")
def suite_pair(suite_lists: dict[str, list[Any]]) -> tuple[Screener, Screener]:
    """Python and compiled screeners over UN + OFAC SDN + UK HMT (the benchmark's lists)."""
    persons = [entry_to_person(e) for entries in suite_lists.values() for e in entries]
    return screener_pair(persons, MatchConfig())


@pytest.mark.contract
@pytest.mark.parametrize("query_set", ["negatives", "un_positives", "noisy_un"])
def test_suite_lists_same_candidates_and_hits(
    suite_lists: dict[str, list[Any]], suite_pair: tuple[Screener, Screener], query_set: str
) -> None:
    # negatives: a seeded sample of negatives_us.csv; the UN positives (all 683); a seeded
    # sample of the noisy UN variants (every kind of noise). Python stage ≈ 3 ms per
    # negative, 14 ms per positive or noisy variant
    if query_set == "negatives":
        travellers = seeded_sample(read_travellers(FIXTURES / "negatives_us.csv", "neg"), NEGATIVES_SAMPLE, 6)
    elif query_set == "un_positives":
        travellers = read_travellers(FIXTURES / "positives_un_untreated.csv", "un")
    else:
        noisy = seeded_sample(noisy_travellers(suite_lists["un-sc"], seed=6), NOISY_SAMPLE, 6)
        assert len({n.kind for n in noisy}) >= 6
        travellers = [n.traveller for n in noisy]
    queries = [traveller_to_person(t) for t in travellers]
    python, compiled = suite_pair
    calls, hits = assert_same_screening(python, compiled, queries)
    assert all(c.compiled_eligible for c in calls)
    with_hits = sum(1 for h in hits if h)
    if query_set == "negatives":
        assert with_hits <= len(queries) // 50
    else:
        assert with_hits >= 0.9 * len(queries)


@pytest.mark.contract
def test_suite_travellers_evidence_read_as_the_screener_reads_it(suite_pair: tuple[Screener, Screener]) -> None:
    # every traveller of the negatives and the UN positives: Evidence.query gives the
    # Python screener's reading of its dates of birth, nationality and gender
    _python, compiled = suite_pair
    evidence = compiled._native_evidence
    travellers = read_travellers(FIXTURES / "negatives_us.csv", "neg")
    travellers += read_travellers(FIXTURES / "positives_un_untreated.csv", "un")
    boosted = 0
    for t in travellers:
        one = traveller_to_person(t)
        want = _python_reading(compiled, one)
        assert evidence.query(compiled._fold, one) == want, t
        boosted += want[1] is not None
    assert boosted >= 0.9 * len(travellers)




def test_a_kept_memo_screens_as_a_fresh_one(
    monkeypatch: pytest.MonkeyPatch, invented_pair: tuple[Screener, Screener]
) -> None:
    # each thread's QueryMemo is kept over its batches, within _MEMO_ENTRIES Python
    # entries and _MEMO_IDS compiled ids; the hits are the same batch by batch, in two
    # threads at once, and with a bound that makes every batch start afresh
    import threading

    import matchers.screener

    config = invented_pair[1].config
    python, compiled = screener_pair(INVENTED, config)
    queries = list(INVENTED_QUERIES)
    want = [result_rows(h) for h in python.screen(queries)]
    batches = [queries[k : k + 4] for k in range(0, len(queries), 4)]
    for screener in (python, compiled):
        assert [result_rows(h) for b in batches for h in screener.screen(b)] == want
        memo = screener._batch_memo()
        assert screener._batch_memo() is memo  # kept
        entries, ids = memo.held()
        assert (ids > 0) if screener is compiled else (entries > 0 and ids == 0)
        in_thread: list[Any] = []
        worker = threading.Thread(target=lambda s=screener, out=in_thread: out.append(s._batch_memo()))
        worker.start()
        worker.join()
        assert in_thread[0] is not memo  # one per thread
    monkeypatch.setattr(matchers.screener, "_MEMO_IDS", compiled._batch_memo().held()[1] - 1)
    fresh = compiled._batch_memo()
    assert fresh.held() == (0, 0)
    monkeypatch.setattr(matchers.screener, "_MEMO_ENTRIES", python._batch_memo().held()[0] - 1)
    assert python._batch_memo().held() == (0, 0)
    monkeypatch.setattr(matchers.screener, "_MEMO_IDS", 0)
    monkeypatch.setattr(matchers.screener, "_MEMO_ENTRIES", 0)
    for screener in (python, compiled):
        assert [result_rows(h) for b in batches for h in screener.screen(b)] == want
    monkeypatch.undo()
    results: list[list[Any]] = [[], []]

    def run(k: int) -> None:
        for _ in range(3):
            results[k].append([result_rows(h) for b in batches for h in compiled.screen(b)])

    threads = [threading.Thread(target=run, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [[want] * 3, [want] * 3]


@pytest.mark.contract
def test_suite_batches_with_a_kept_memo_screen_as_with_fresh_ones(
    monkeypatch: pytest.MonkeyPatch, suite_pair: tuple[Screener, Screener]
) -> None:
    # negatives and UN positives in batches of 25, the thread's memo kept over them (as
    # the service's manifests come) and made afresh for each (_MEMO_IDS = 0)
    import matchers.screener

    _python, compiled = suite_pair
    travellers = seeded_sample(read_travellers(FIXTURES / "negatives_us.csv", "neg"), 300, 12)
    travellers += read_travellers(FIXTURES / "positives_un_untreated.csv", "un")[:100]
    queries = [traveller_to_person(t) for t in travellers]
    batches = [queries[k : k + 25] for k in range(0, len(queries), 25)]
    kept = [result_rows(h) for b in batches for h in compiled.screen(b, threshold=0.5)]
    assert compiled._batch_memo().held()[1] > 0
    monkeypatch.setattr(matchers.screener, "_MEMO_IDS", 0)
    fresh = [result_rows(h) for b in batches for h in compiled.screen(b, threshold=0.5)]
    assert kept == fresh
    assert sum(1 for rows in kept if rows) >= 100

@pytest.mark.contract
def test_query_reach_reads_the_compiled_sets_as_meets_reads_the_neighbours(
    suite_pair: tuple[Screener, Screener],
) -> None:
    # NameIndex.query_reach: with the compiled stage and a memo, the tokens' TokenSets
    # (their `every` records); without, meets() over query_tids(); over the records of
    # the persons each query's candidates belong to, and a stride of all records
    _python, compiled = suite_pair
    index = compiled.index
    min_sim = compiled.config.token_min_similarity
    travellers = seeded_sample(read_travellers(FIXTURES / "negatives_us.csv", "neg"), 150, 11)
    travellers += read_travellers(FIXTURES / "positives_un_untreated.csv", "un")[:150]
    stride = list(range(0, len(index), 97))
    reached_some = 0
    for t in travellers:
        variants = [v for _, v in query_variants(traveller_to_person(t))]
        memo = matchers.index.QueryMemo()
        near = index.candidates(variants, limit=20, min_similarity=min_sim, memo=memo)
        rids = sorted({r for rid, _ in near for r in index.person_records(index.person_of(rid))}) + stride
        tids = index.query_tids(variants, min_sim, None)
        want = [r for r in rids if index.meets(r, tids)]
        assert index.query_reach(variants, min_sim, memo)(rids) == want, t
        assert index.query_reach(variants, min_sim, None)(rids) == want
        reached_some += bool(want)
    assert reached_some >= len(travellers) // 2

def _small_index() -> NameIndex:
    records = [
        IndexedName(p, 0, v)
        for p, (sur, giv) in enumerate([("AL HADDADIN", "FARID"), ("TAN", "WEI JIE"), ("NOWAK", "ADAM")])
        for v in name_variants(None, sur, giv)
    ]
    return NameIndex(records, string_similarity, native=True)


def test_a_query_memo_shared_by_two_indexes_is_refused() -> None:
    # the memo's compiled cache holds token sets with the record ids of the index that
    # made them: another index's core refuses it with a ValueError instead of reading
    # out of its arrays, and so does the same index at another min_similarity
    a, b = _small_index(), _small_index()
    memo = matchers.index.QueryMemo()
    variants = list(name_variants(None, "NOWAK", "ADAM"))
    assert a.candidates(variants, limit=5, memo=memo)
    with pytest.raises(ValueError, match="another index"):
        b.candidates(variants, limit=5, memo=memo)
    with pytest.raises(ValueError, match="another index"):
        b.neighbours(variants[0].tokens[0], 0.72, memo)
    with pytest.raises(ValueError, match="another min_similarity"):
        a.candidates(variants, limit=5, memo=memo, min_similarity=0.8)
    assert a.neighbours(variants[0].tokens[0], 0.72, memo)
    assert b.candidates(variants, limit=5, memo=matchers.index.QueryMemo()) == a.candidates(variants, limit=5)


def test_candidate_core_refuses_decreasing_offsets(core_args: tuple[tuple[Any, ...], dict[str, Any]]) -> None:
    args, kwargs = core_args
    broken = list(args)
    i = CORE_ARRAYS.index("rec_start")
    starts = array(args[i].typecode, args[i])
    starts[1], starts[2] = starts[2], starts[1]
    broken[i] = starts
    with pytest.raises(ValueError, match="must not decrease"):
        matchers.index._core.CandidateCore(*broken, **kwargs)


def test_float_sums_are_plain_left_to_right() -> None:
    # the compiled stage adds one by one; Python 3.12's sum() compensates, so the index
    # uses its own plain sum to stay bit-identical on every Python version
    assert matchers.index._plain_sum([1e16, 1.0, -1e16]) == 0.0
    assert matchers.index._plain_sum(iter([0.1, 0.2, 0.3])) == (0.1 + 0.2) + 0.3


def test_long_tokens_compare_in_linear_memory() -> None:
    # the edit distance keeps a band of the table: a 20,000-letter token costs no more
    # than a few rows (the full table would be 3 GiB) and agrees with the scorer
    core = _small_index()._core
    long = "AB" * 10_000
    one_off = long[:15_000] + "Z" + long[15_001:]
    assert core.string_similarity(long, one_off) == string_similarity(long, one_off)
    assert core.string_similarity(long, long[::-1]) == string_similarity(long, long[::-1])


def test_the_compiled_query_cache_memoises_per_batch() -> None:
    # the compiled stage keeps each query token's sets and weight in the batch's memo:
    # a second query of the same tokens adds nothing, a new token adds to it, and the
    # answers are those of a fresh memo
    index = _small_index()
    memo = matchers.index.QueryMemo()
    first = list(name_variants(None, "AL HADDADIN", "FARID"))
    want = index.candidates(first, limit=5, memo=memo)
    assert want and memo.compiled is not None
    held = len(memo.compiled)
    assert held > 0
    assert index.candidates(first, limit=5, memo=memo) == want
    assert len(memo.compiled) == held
    other = list(name_variants(None, "NOWAK", "ADAM"))
    assert index.candidates(other, limit=5, memo=memo) == index.candidates(other, limit=5)
    assert len(memo.compiled) > held


# --- a syllable of a Chinese or Korean name has no misspelling neighbours -------------


def _korean_index(native: bool) -> NameIndex:
    records = [
        IndexedName(p, 0, v)
        for p, (sur, giv) in enumerate([("KIM", "YONG SU"), ("PAK", "SONG HUI"), ("RI", "JONG HO"), ("CHOE", "JONGSU")])
        for v in name_variants(None, sur, giv)
    ]
    return NameIndex(records, string_similarity, native=native)


@pytest.mark.parametrize("native", [False, True], ids=["python", "compiled"])
def test_a_syllable_has_no_misspelling_neighbours(native: bool) -> None:
    # the scorer's token_similarity gives a syllable 0.0 against a token its text reads
    # as a misspelling of (JONG vs YONG, SONG: other syllables); the index leaves those
    # out of a syllable's neighbours and keeps the others (JONG itself; the known
    # variant CHONG would stay too)
    from matchers.index import SPELLING_RULES
    from matchers.normalise import Token
    from matchers.scoring import token_similarity

    index = _korean_index(native)
    texts = index._texts
    latin, syllable = Token("JONG", "JONG", "g"), Token("JONG", "JONG", "g", syllable=True)
    every = {texts[t] for t, _ in index.neighbours(latin, 0.72)}
    kept = {texts[t] for t, _ in index.neighbours(syllable, 0.72)}
    assert {"JONG", "YONG", "SONG"} <= every
    assert kept == {t for t in every if string_similarity("JONG", t)[1] not in SPELLING_RULES}
    assert "JONG" in kept and not kept & {"YONG", "SONG"}
    for text in every - kept:
        assert token_similarity(syllable, Token(text, text, "n"))[0] == 0.0
    # the memo keeps the two readings apart
    memo = matchers.index.QueryMemo()
    assert index.neighbours(latin, 0.72, memo) != index.neighbours(syllable, 0.72, memo)
    assert {texts[t] for t, _ in index.neighbours(syllable, 0.72, memo)} == kept


@pytest.mark.parametrize("native", [False, True], ids=["python", "compiled"])
@pytest.mark.parametrize("dob", ["1970-03-03", None])
@pytest.mark.parametrize(
    ("surname", "given", "listed"),
    [("오", "철", ("OH", "CHOL")), ("오", "성", ("OH", "SEONG")), ("阿", "明", ("AH", "MING"))],
)
def test_a_one_letter_syllable_still_reaches_its_usual_spelling(
    surname: str, given: str, listed: tuple[str, str], dob: str | None, native: bool
) -> None:
    # 오철 reads O CHOL; the list writes OH CHOL. The scorer pairs O with OH (an initial)
    # and CHOL with CHOL; the index reaches the name through the joined pair OCHOL, one
    # letter from CHOL, a misspelling neighbour a joined pair keeps even with a syllable
    # (without it the name met the query on one token and was pruned)
    person = entry("WL-OH", listed[0], listed[1], dob)
    traveller = query(surname, given, dob)
    screener = Screener([person], MatchConfig(), native=native)
    exhaustive = screener.screen([traveller], exhaustive=True)[0]
    assert exhaustive and exhaustive[0].score >= 0.8
    assert result_rows(screener.screen([traveller])[0]) == result_rows(exhaustive)


def test_text_candidates_takes_syllable_flags_per_variant() -> None:
    index = _korean_index(True)
    memo = matchers.index.QueryMemo()
    query = (["RI", "YONG", "HO"], ["RI", "YONG", "HO"])
    plain = index.text_candidates([query], limit=5, memo=memo)
    as_syllables = index._compiled_candidates(
        [query], 5, 50, 0.72, memo, matchers.index.NameShape(), None, 0.25, 1.0, None, None, [[False, True, True]]
    )
    persons = {index.person_of(r) for r, _ in plain}
    assert 2 in persons  # RI JONG HO: YONG is one edit from JONG
    assert {index.person_of(r) for r, _ in as_syllables} < persons
    cache = index._query_cache(memo)
    for bad in ([[True]], [[True, True, True], [False]]):
        with pytest.raises(ValueError, match="syllables"):
            index._core.text_candidates(
                cache, [query], 5, 50, 0.72, (0.75, 0.15, 0.45, 0.5), None, 0.25, 1.0, None, None, bad
            )
