"""The screener: builds the candidate index over listed persons and screens queries.

A :class:`Screener` is immutable once built; :meth:`Screener.screen` only reads it
(but for a cache of the listed names it scored, whose entries hold equal values however
threads interleave, and each thread's memo of query-side index work), so one instance
may serve several worker threads. On a watchlist change the service builds a new
instance and swaps it in. :meth:`Screener.screen` takes a whole manifest at once: one
compiled call ranks every traveller's candidates, and query-side index work (token
neighbours, posting sets, weights) is kept by the thread over its batches.
"""

from __future__ import annotations

import gc
import heapq
import threading
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from matchers.dates import parse_partial_date
from matchers.index import IndexedName, NameIndex, NameShape, QueryMemo
from matchers.model import DateSpec, MatchConfig, MatchResult, Person
from matchers.normalise import (
    NameVariant,
    canonical_document_number,
    compiled_name_variants,
    load_transliteration_tables,
    lookalike_document_number,
    name_variants,
    normalise_country,
    normalise_gender,
    variant_texts,
)
from matchers.scoring import (
    NameScore,
    best_name,
    combine,
    compiled_name_form,
    dob_feature,
    document_feature,
    gender_feature,
    nationality_feature,
    string_similarity,
)


def birth_year_span(dates: Sequence[DateSpec], approximate_years: int) -> tuple[int, int]:
    """Smallest ``(first year, last year)`` covering every parseable date of birth
    (exact, partial, range; circa widened by ``approximate_years``); ``(0, 0)`` when
    none parses. Open-ended ranges reach 1 or 9999."""
    lo, hi = 10_000, 0
    for d in dates:
        tol = approximate_years if d.approximate else 0
        if d.date is not None:
            pd = parse_partial_date(d.date)
            if pd is None:
                continue
            lo, hi = min(lo, pd.year - tol), max(hi, pd.year + tol)
            continue
        a, b = parse_partial_date(d.from_), parse_partial_date(d.to)
        if a is None and b is None:
            continue
        lo = min(lo, a.year - tol if a else 1)
        hi = max(hi, b.year + tol if b else 9999)
    if hi == 0:
        return 0, 0
    return max(1, lo), min(9999, hi)


_BATCH_CHUNK = 32
"""Queries per compiled candidate call: the call holds the interpreter (about 0.05 ms
per traveller against the accuracy suite's lists, some ms at a million names), and
other threads (the service's event loop) run between calls. Calls of 8 cost about 10%
more per traveller than one call per batch; calls of 32 as little as one call."""

_SCORING_RECORDS = 20_000
"""Records a screener keeps in the form its scorer takes (about 1 kB each)."""

_MEMO_ENTRIES = 50_000
"""Token entries (Python and compiled tables together) a thread's kept
:class:`~matchers.index.QueryMemo` may reach before the next batch starts a fresh one
(some 10 MB beyond the ids)."""

_MEMO_IDS = 4_000_000
"""Record ids and neighbours the compiled token sets of a thread's kept memo may reach
(16 MB when all are record ids, 64 MB at most) before the next batch starts a fresh
one."""

_NO_ID = 0xFFFFFFFF
"""An interned id no listed value has (a query's value absent from every entry)."""


def _gender_code(genders: Sequence[str]) -> int:
    """0 unknown (none, ``X``/``U``, or both), 1 ``M``, 2 ``F``."""
    codes = {g for g in map(normalise_gender, genders) if g}
    return {"M": 1, "F": 2}.get(codes.pop(), 0) if len(codes) == 1 else 0


_NO_DAYS: frozenset[str] = frozenset()


def _query_birth_dates(dates: Sequence[DateSpec]) -> tuple[frozenset[str], set[int]]:
    """A query's exact birth dates (``YYYY-MM-DD``) and the first year of each parseable
    date of birth (what :func:`birth_year_span` gives for it alone, without circa
    tolerance)."""
    if len(dates) == 1 and dates[0].date is not None:  # the usual query: one date
        text = dates[0].date
        pd = parse_partial_date(text)
        return (frozenset((text,)) if len(text) == 10 else _NO_DAYS), ({pd.year} if pd is not None else set())
    days: set[str] = set()
    years: set[int] = set()
    for d in dates:
        if d.date is not None:
            if len(d.date) == 10:
                days.add(d.date)
            # one date: birth_year_span's span is its year (parse_partial_date is memoised)
            pd = parse_partial_date(d.date)
            if pd is not None:
                years.add(pd.year)
        else:
            y = birth_year_span((d,), 0)[0]
            if y:
                years.add(y)
    return frozenset(days), years


@lru_cache(maxsize=4096)
def _query_countries(values: tuple[str, ...]) -> frozenset[str]:
    """The known country codes of a query (:func:`normalise_country`), memoised."""
    return frozenset(c for c in map(normalise_country, values) if c)


@lru_cache(maxsize=1024)
def _query_gender(values: tuple[str, ...]) -> int:
    """:func:`_gender_code` of a query's genders, memoised."""
    return _gender_code(values)


_gc_lock = threading.Lock()
_gc_blocks = 0  # _gc_paused blocks running, in any thread
_gc_was_enabled = False  # the collector's state when the first of them began


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (when it runs) for the block: building creates
    millions of small acyclic objects, and every full collection would walk them all
    (about a quarter of a 1M-name build). Garbage with cycles made meanwhile is collected
    once it runs again. The collector's state is process-wide: blocks in several threads
    pause it together, and the state it had when the first began comes back when the
    last ends (a collector paused before then stays paused)."""
    global _gc_blocks, _gc_was_enabled
    with _gc_lock:
        if _gc_blocks == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_blocks += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_blocks -= 1
            if _gc_blocks == 0 and _gc_was_enabled:
                gc.enable()


def person_variants(
    person: Person, make: Callable[[str | None, str | None, str | None], tuple[NameVariant, ...]] = name_variants
) -> list[tuple[int, NameVariant]]:
    """``(name position, variant)`` for every comparable name variant of ``person``
    (``make``: a name's variants, :func:`~matchers.normalise.name_variants`)."""
    out = []
    for i, name in enumerate(person.names):
        for v in make(name.full_name, name.surname, name.given_names):
            out.append((i, v))
    return out


def _compiled_or_python(
    full_name: str | None, surname: str | None, given_names: str | None
) -> tuple[NameVariant, ...]:
    made = compiled_name_variants(full_name, surname, given_names)
    return made if made is not None else name_variants(full_name, surname, given_names)


def query_variants(person: Person) -> list[tuple[int, NameVariant]]:
    """:func:`person_variants` of a query, made by the compiled port where it folds the
    name (:func:`~matchers.normalise.compiled_name_variants`: the same variants; a
    traveller's name is seldom seen twice, so Python's memo rarely serves it)."""
    return person_variants(person, _compiled_or_python)


class Screener:
    """Screens queries (travellers) against listed persons.

    ``entries`` are listed :class:`~matchers.model.Person` values (``list_id`` and
    ``entry_id`` set; when absent they are taken from ``key`` ``"{list_id}:{entry_id}"``).
    Building normalises every name and indexes it (about linear in the number of names;
    about 50 s for a million names); meanwhile the cyclic garbage collector is paused,
    process-wide, and then left as it was found. The first build in a process also
    loads unidecode's kana, Han and Hangul tables and hands the folds of Han and Hangul
    to the compiled name fold (:func:`~matchers.normalise.load_transliteration_tables`,
    about 0.15 s).

    ``native`` chooses the index's candidate stage (None: compiled when
    ``matchers._core`` is built; False: the Python reference stage). The scorer's string
    similarity and name score are the compiled ports whenever they are built, either way
    (see :func:`matchers.scoring.string_similarity` and :func:`matchers.scoring.best_name`).
    """

    def __init__(self, entries: Iterable[Person], config: MatchConfig, *, native: bool | None = None) -> None:
        load_transliteration_tables()  # not at the first Korean or Chinese traveller
        with _gc_paused():
            self._build(entries, config, native)

    def _build(self, entries: Iterable[Person], config: MatchConfig, native: bool | None) -> None:
        self.config = config
        self._entries: list[Person] = list(entries)
        docs: dict[str, set[int]] = defaultdict(set)

        def records() -> Iterable[IndexedName]:
            for pos, person in enumerate(self._entries):
                for name_pos, variant in person_variants(person):
                    yield IndexedName(pos, name_pos, variant)
                for doc in person.documents:
                    canon = canonical_document_number(doc.number)
                    if canon:
                        docs["=" + canon].add(pos)
                        docs["~" + lookalike_document_number(canon)].add(pos)

        self._index = NameIndex(records(), string_similarity, native=native)
        # the compiled fold of the query names, when the index has the compiled stage
        self._fold = variant_texts if self._index.native else None
        self._shape = NameShape(
            contradicted_penalty=(config.contradicted_penalty + config.surname_contradicted_penalty) / 2.0,
            absent_penalty=config.absent_penalty,
            extra_penalty=config.extra_penalty,
            single_token_cap=config.single_token_cap,
        )
        self._docs = {k: tuple(sorted(v)) for k, v in docs.items()}
        # the records queries met, as the scorer takes them (_scoring_record)
        self._scoring: dict[int, tuple[IndexedName, list[float], Any]] = {}
        self._memos = threading.local()  # each thread's QueryMemo, kept over batches
        # per person, compact: birth-year span (0 = unknown), exact birth dates, the
        # nationality set and gender, to rank equal names by the other evidence
        self._dob_lo = array("H")
        self._dob_hi = array("H")
        self._dob_day: dict[int, frozenset[str]] = {}
        self._nat: list[frozenset[str]] = []
        self._gender = array("B")
        # equal values are parsed once (lists repeat birth dates, nationalities, genders)
        nat_sets: dict[frozenset[str], frozenset[str]] = {}
        dob_memo: dict[tuple[DateSpec, ...], tuple[int, int, frozenset[str]]] = {}
        nat_memo: dict[tuple[str, ...], frozenset[str]] = {}
        gender_memo: dict[tuple[str, ...], int] = {}
        for pos, person in enumerate(self._entries):
            dobs = tuple(person.dates_of_birth)
            dob = dob_memo.get(dobs)
            if dob is None:
                dob = dob_memo[dobs] = (
                    *birth_year_span(dobs, config.approximate_years),
                    frozenset(d.date for d in dobs if d.date and len(d.date) == 10),
                )
            self._dob_lo.append(dob[0])
            self._dob_hi.append(dob[1])
            if dob[2]:
                self._dob_day[pos] = dob[2]
            nats = tuple(person.nationalities)
            nat = nat_memo.get(nats)
            if nat is None:
                nat = frozenset(c for c in map(normalise_country, nats) if c)
                nat = nat_memo[nats] = nat_sets.setdefault(nat, nat)  # one object per distinct set
            self._nat.append(nat)
            genders = tuple(person.genders)
            gender = gender_memo.get(genders)
            if gender is None:
                gender = gender_memo[genders] = _gender_code(genders)
            self._gender.append(gender)
        del dob_memo, nat_memo, gender_memo, nat_sets
        # the same per-person evidence for the compiled candidate stage: birth dates and
        # nationalities as interned ids, person by person (CSR offsets)
        self._day_ids: dict[str, int] = {}
        self._nat_ids: dict[str, int] = {}
        self._native_evidence: Any = None
        if self._index.native and config.name_only_factor > 0.0:
            from matchers import _core

            nat_off, nat_ids, day_off, day_ids = array("I", [0]), array("I"), array("I", [0]), array("I")
            # per shared set object (the loop above shares equal sets), its sorted ids
            ids_memo: dict[int, list[int]] = {}
            for pos in range(len(self._entries)):
                nat = self._nat[pos]
                got = ids_memo.get(id(nat))
                if got is None:
                    got = ids_memo[id(nat)] = sorted(self._nat_ids.setdefault(c, len(self._nat_ids)) for c in nat)
                nat_ids.extend(got)
                nat_off.append(len(nat_ids))
                ds = self._dob_day.get(pos)
                if ds:
                    got = ids_memo.get(id(ds))
                    if got is None:
                        got = ids_memo[id(ds)] = sorted(self._day_ids.setdefault(d, len(self._day_ids)) for d in ds)
                    day_ids.extend(got)
                day_off.append(len(day_ids))
            del ids_memo
            self._native_evidence = _core.Evidence(
                self._dob_lo,
                self._dob_hi,
                self._gender,
                nat_off,
                nat_ids,
                day_off,
                day_ids,
                (
                    config.name_only_factor,
                    config.dob_day_bonus,
                    config.dob_year_bonus,
                    config.dob_mismatch_malus,
                    config.nationality_bonus,
                    config.nationality_malus,
                    config.gender_malus,
                ),
                # the interned values in id order, to read a query's evidence compiled
                keys=(list(self._day_ids), list(self._nat_ids)),
            )

    def __len__(self) -> int:
        return len(self._entries)

    def _evidence_boost(self, query: Person) -> tuple[Callable[[int], float], Any] | None:
        """Ranking factor per person position: the factor :func:`matchers.scoring.combine`
        would apply to the name score, estimated from compact per-person data (exact
        birth date or birth-year span, nationality set, gender), relative to a name
        alone: 1.0 for no other evidence, above 1.0 when evidence agrees, below when it
        contradicts. Returned as ``(factor function, the same for the compiled stage or
        None)``; ``None`` when the query carries none of these features or
        ``name_only_factor`` is not above 0 (no relative factor exists)."""
        cfg = self.config
        if cfg.name_only_factor <= 0.0:
            return None
        q_days, q_years = _query_birth_dates(query.dates_of_birth)
        q_nat = _query_countries(tuple(query.nationalities))
        q_gender = _query_gender(tuple(query.genders))
        if not q_years and not q_nat and not q_gender:
            return None
        native = None
        if self._native_evidence is not None:
            day_ids = self._day_ids
            q_day_ids = [day_ids[d] for d in q_days if d in day_ids]
            # a nationality no listed person has still contradicts theirs: an id that
            # matches none
            q_nat_ids = [self._nat_ids.get(c, _NO_ID) for c in q_nat]
            native = (
                self._native_evidence,
                (
                    q_day_ids if len(q_day_ids) < 2 else sorted(q_day_ids),
                    list(q_years) if len(q_years) < 2 else sorted(q_years),
                    q_nat_ids if len(q_nat_ids) < 2 else sorted(q_nat_ids),
                    q_gender,
                ),
            )
        lo_arr, hi_arr, days, nats, genders = self._dob_lo, self._dob_hi, self._dob_day, self._nat, self._gender
        base = cfg.name_only_factor

        def boost(pos: int) -> float:
            factor = base
            if q_years:
                lo = lo_arr[pos]
                if lo:
                    if q_days and not q_days.isdisjoint(days.get(pos, ())):
                        factor += cfg.dob_day_bonus
                    elif any(lo <= y <= hi_arr[pos] for y in q_years):
                        factor += cfg.dob_year_bonus
                    else:
                        factor -= cfg.dob_mismatch_malus
            if q_nat:
                nat = nats[pos]
                if nat:
                    factor += cfg.nationality_bonus if not q_nat.isdisjoint(nat) else -cfg.nationality_malus
            if q_gender:
                g = genders[pos]
                if g and g != q_gender:
                    factor -= cfg.gender_malus
            return min(1.0, max(0.0, factor)) / base

        return boost, native

    def _batch_memo(self) -> QueryMemo:
        """This thread's :class:`~matchers.index.QueryMemo`, kept over its batches: the
        query-side work of the index (token neighbours and their records, rarity
        weights) depends on the index and ``token_min_similarity`` only, and a
        manifest's names (JOHN, MOHAMMED, SMITH) recur in the next; started afresh
        when it holds :data:`_MEMO_ENTRIES` entries or :data:`_MEMO_IDS` compiled ids
        (bounds of 0: a fresh memo for every batch). Equal results either way."""
        memo: QueryMemo | None = getattr(self._memos, "memo", None)
        if memo is not None:
            entries, ids = memo.held()
            if entries >= _MEMO_ENTRIES or ids >= _MEMO_IDS:
                memo = None
        if memo is None:
            memo = self._memos.memo = QueryMemo()
        return memo

    def _scoring_record(self, rid: int) -> tuple[IndexedName, list[float], Any]:
        """Record ``rid`` as the scorer takes it: the indexed name, its tokens' rarity
        weights and its compiled form (:func:`~matchers.scoring.compiled_name_form`;
        None without the compiled scorer), kept for the next query that meets it (at
        most :data:`_SCORING_RECORDS`, then started afresh; equal values either way)."""
        held = self._scoring.get(rid)
        if held is None:
            record = self._index.record(rid)
            held = (record, self._index.record_weights(rid), compiled_name_form(record.variant))
            if len(self._scoring) >= _SCORING_RECORDS:
                self._scoring.clear()
            self._scoring[rid] = held
        return held

    def _ids(self, person: Person) -> tuple[str, str]:
        if person.list_id is not None and person.entry_id is not None:
            return person.list_id, person.entry_id
        list_id, _, entry_id = person.key.partition(":")
        return person.list_id or list_id, person.entry_id or entry_id or person.key

    @property
    def index(self) -> NameIndex:
        """The candidate index (read-only)."""
        return self._index

    def screen(
        self, queries: Sequence[Person], *, threshold: float | None = None, exhaustive: bool = False
    ) -> list[list[MatchResult]]:
        """Screen each query; returns one list per query (same order) of hits with
        ``score >= threshold``, best first, at most ``config.max_hits``.

        ``threshold`` (0.0–1.0) overrides every per-list threshold; without it each
        entry's list uses :meth:`MatchConfig.threshold_for`. Pass a whole manifest at
        once: the queries share the index's query-side work. ``exhaustive=True`` skips
        the index and scores every listed name with the same scorer (slow: for
        measuring the index's recall). Pure CPU work; thread-safe.
        """
        cfg = self.config
        # the lowest score that can be a hit: threshold, else the lowest list threshold
        floor = threshold if threshold is not None else min((cfg.threshold, *cfg.list_thresholds.values()))
        nof = cfg.name_only_factor
        # the candidate stage's settings, the same for every query of the batch
        settings: dict[str, Any] = {
            "limit": cfg.max_candidates,
            "pool": cfg.ranking_pool,
            "min_similarity": cfg.token_min_similarity,
            "memo": self._batch_memo(),
            "shape": self._shape,
            # what the pruning rule of _screen_one lets through, in the index's units
            "need": (floor - cfg.estimate_margin) / nof if nof > 0.0 else None,
            "refine_margin": cfg.refine_margin,
        }
        if exhaustive or self._fold is None:
            return [self._screen_one(q, threshold, floor, settings, exhaustive) for q in queries]
        queries = list(queries)  # read twice below
        # the batch's candidates in compiled calls of _BATCH_CHUNK queries each (each
        # holds the interpreter); each query's document candidates first (a query with
        # any is not pruned)
        doc_persons = [self._doc_persons(q) if q.documents else () for q in queries]
        batch: list[list[tuple[int, float]] | None] = []
        for start in range(0, len(queries), _BATCH_CHUNK):
            chunk = queries[start : start + _BATCH_CHUNK]
            batch += self._index.batch_candidates(
                chunk,
                self._fold,
                self._native_evidence,
                prune=(nof, cfg.estimate_margin, floor),
                unpruned=[i for i in range(len(chunk)) if doc_persons[start + i]],
                **settings,
            )
        return [
            []
            if found is not None and not found and not docs  # the usual traveller: nothing near
            else self._screen_one(q, threshold, floor, settings, exhaustive, found, docs)
            for q, found, docs in zip(queries, batch, doc_persons, strict=True)
        ]

    def _doc_persons(self, query: Person) -> list[int]:
        """Positions of the listed persons holding one of ``query``'s document numbers,
        as given or as it reads with look-alike characters (``O``/``0``…), repeats kept."""
        out: list[int] = []
        for q_doc in query.documents:
            canon = canonical_document_number(q_doc.number)
            if canon:
                for key in ("=" + canon, "~" + lookalike_document_number(canon)):
                    out.extend(self._docs.get(key, ()))
        return out

    def _screen_one(
        self,
        query: Person,
        threshold: float | None,
        floor: float,
        settings: dict[str, Any],
        exhaustive: bool,
        found: list[tuple[int, float]] | None = None,
        doc_persons: Sequence[int] | None = None,
    ) -> list[MatchResult]:
        """One query's hits; ``found`` its candidates when the batch's compiled call
        made them (None: made here), ``doc_persons`` its :meth:`_doc_persons` when known."""
        cfg = self.config
        memo: QueryMemo = settings["memo"]
        # the NameVariant objects are made only when a candidate is to be scored, unless
        # the screening is exhaustive or the compiled call does not serve the query (no
        # compiled stage, a boost without its compiled form, a name the fold cannot
        # read, a variant of more than MAX_NATIVE_QUERY_TOKENS tokens)
        q_variants = person_variants(query) if exhaustive else None
        cand_records: dict[int, list[int]] = defaultdict(list)
        estimates: dict[int, float] = {}  # person -> ranking estimate of the final score
        index = self._index
        if doc_persons is None:  # always scored, on every name meeting the query
            doc_persons = self._doc_persons(query)
        if exhaustive:
            if q_variants:
                for rid in index.all_records():
                    cand_records[index.person_of(rid)].append(rid)
        elif found is None:
            boosts = self._evidence_boost(query)
            boost, native_boost = boosts if boosts is not None else (None, None)
            nof = cfg.name_only_factor
            max_boost = 1.0 / nof if boost is not None and nof > 0.0 else 1.0
            # the pruning rule below for the floor, unless a document candidate is among
            # them (it is scored on the names the index ranked)
            prune = None if doc_persons else (nof, cfg.estimate_margin, floor)
            if self._fold is not None and (boost is None or native_boost is not None):
                # the names folded and ranked in one compiled call
                got = index.name_candidates(
                    query.names,
                    self._fold,
                    native_boost=native_boost,
                    max_boost=max_boost,
                    prune=prune,
                    **settings,
                )
                found = got[1] if got is not None else None
            if found is None:
                q_variants = query_variants(query)
                found = (
                    index.candidates(
                        [v for _, v in q_variants],
                        boost=boost,
                        native_boost=native_boost,
                        max_boost=max_boost,
                        prune=prune,
                        **settings,
                    )
                    if q_variants
                    else []
                )
        if found is not None:
            person_of = index.person_of
            nof = cfg.name_only_factor
            for rid, est in found:
                pos = person_of(rid)
                if pos not in cand_records:
                    estimates[pos] = est * nof
                cand_records[pos].append(rid)
        for pos in doc_persons:
            cand_records.setdefault(pos, [])
            estimates.pop(pos, None)  # a document candidate is always scored
        if q_variants is None:
            if not cand_records:
                return []
            q_variants = query_variants(query)
        q_weights: list[list[float]] | None = None  # once a candidate is scored
        q_forms: list[Any] = []  # the query variants' compiled forms, with q_weights
        results: list[MatchResult] = []
        best_scores: list[float] = []  # min-heap of the best max_hits scores so far
        q_reach: Callable[[Sequence[int]], list[int]] | None = None
        for pos, rids in cand_records.items():
            estimate = estimates.get(pos)
            if estimate is not None:
                bar = best_scores[0] if len(best_scores) >= cfg.max_hits else floor
                if estimate + cfg.estimate_margin < max(floor, bar):
                    continue  # cannot reach the threshold or the hits already found
            entry = self._entries[pos]
            list_id, entry_id = self._ids(entry)
            limit = threshold if threshold is not None else cfg.threshold_for(list_id)
            if rids:
                # a candidate person is scored on all its names that meet the query on a
                # keyed token, not only on those the index ranked (one name may meet the
                # query by keys, another only by the scorer)
                ranked = set(rids)
                others = [r for r in index.person_records(pos) if r not in ranked]
                if others:
                    if q_reach is None:
                        q_reach = index.query_reach([v for _, v in q_variants], cfg.token_min_similarity, memo)
                    rids = rids + q_reach(others)
            if q_weights is None:
                q_weights = [[index.token_weight(t.text, memo) for t in v.tokens] for _, v in q_variants]
                q_forms = [compiled_name_form(v) for _, v in q_variants]
            # other evidence only scales the name score down (factor ≤ 1.0); only a
            # document floor could lift it, and that needs documents on both sides
            best = self._best_name(
                q_variants,
                q_weights,
                entry,
                rids,
                memo,
                None if query.documents and entry.documents else limit,
                q_forms=None if None in q_forms else q_forms,
            )
            if best is None:
                continue
            name_score, name_pos, q_rule, c_rule = best
            dob = dob_feature(query.dates_of_birth, entry.dates_of_birth, cfg)
            nat = nationality_feature(query.nationalities, entry.nationalities)
            gen = gender_feature(query.genders, entry.genders)
            doc = document_feature(query.documents, entry.documents)
            score, evidence = combine(name_score, dob, nat, gen, doc, cfg)
            if score < limit:
                continue
            reasons = list(name_score.reasons)
            if "icao" in (q_rule, c_rule):
                reasons.append("icao_transliteration")
            if doc.result != "unknown" and doc.detail:
                reasons.append("document_" + doc.detail)
            explanation: dict[str, Any] = {
                "score": round(score, 4),
                "band": "strong" if score >= cfg.strong_level else "review",
                "threshold": limit,
                "evidence": evidence,
                "reasons": reasons,
                "name": {
                    **name_score.as_dict(),
                    "query_name": query.names[name_pos[0]].display() if name_pos else None,
                    "candidate_name": entry.names[name_pos[1]].display() if name_pos else None,
                    "candidate_kind": entry.names[name_pos[1]].kind if name_pos else None,
                    "transliteration": {"query": q_rule, "candidate": c_rule},
                },
                "dob": dob.as_dict(),
                "nationality": nat.as_dict(),
                "gender": gen.as_dict(),
                "document": doc.as_dict(),
            }
            matched = entry.names[name_pos[1]].display() if name_pos else ""
            results.append(MatchResult(list_id, entry_id, round(score, 4), matched, explanation))
            heapq.heappush(best_scores, score)
            if len(best_scores) > cfg.max_hits:
                heapq.heappop(best_scores)
        results.sort(key=lambda r: (-r.score, r.list_id, r.entry_id))
        return results[: cfg.max_hits]

    def _best_name(
        self,
        q_variants: list[tuple[int, NameVariant]],
        q_weights: list[list[float]],
        entry: Person,
        rids: list[int],
        memo: QueryMemo,
        floor: float | None = None,
        *,
        q_forms: list[Any] | None = None,
    ) -> tuple[NameScore, tuple[int, int] | None, str | None, str | None] | None:
        """The entry's best name against the query's: ``(its NameScore, (query name
        position, entry name position) or None when uncomparable, the two variants'
        rules)``; None when its score is below ``floor`` (None: no floor). ``q_forms``:
        the query variants' compiled forms when the caller made them (None: made
        here)."""
        forms: list[Any] | None = None
        if rids:
            held = [self._scoring_record(r) for r in rids]
            records = [h[0] for h in held]
            c_weights = [h[1] for h in held]
            forms = [h[2] for h in held]
            if None in forms:
                forms = None
        else:
            # document-only candidate: score every name of the entry
            records = [IndexedName(-1, name_pos, v) for name_pos, v in person_variants(entry)]
            weight = self._index.token_weight
            c_weights = [[weight(t.text, memo) for t in rec.variant.tokens] for rec in records]
        if not q_variants or not records:
            if floor is not None and floor > 0.0:
                return None
            return NameScore(0.0, "unknown", reasons=["uncomparable_name"]), None, None, None
        # every pair is scored compiled when it is built; Python explains the best one
        found = best_name(
            [v for _, v in q_variants],
            q_weights,
            [r.variant for r in records],
            c_weights,
            self.config,
            floor,
            query_forms=q_forms,
            candidate_forms=forms,
        )
        if found is None:
            return None
        qi, ci, best = found
        (q_pos, qv), rec = q_variants[qi], records[ci]
        return best, (q_pos, rec.name), qv.rule, rec.variant.rule
