"""The screener: builds the candidate index over listed persons and screens queries.

A :class:`Screener` is immutable once built; :meth:`Screener.screen` only reads it, so
one instance may serve several worker threads. On a watchlist change the service builds
a new instance and swaps it in. :meth:`Screener.screen` takes a whole manifest at once:
query-side index work (token neighbours, posting sets, weights) is shared by the batch.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from matchers.dates import parse_partial_date
from matchers.index import IndexedName, NameIndex, QueryMemo
from matchers.model import DateSpec, MatchConfig, MatchResult, Person
from matchers.normalise import (
    NameVariant,
    canonical_document_number,
    lookalike_document_number,
    name_variants,
)
from matchers.scoring import (
    NameScore,
    combine,
    dob_feature,
    document_feature,
    gender_feature,
    nationality_feature,
    score_name,
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


def person_variants(person: Person) -> list[tuple[int, NameVariant]]:
    """``(name position, variant)`` for every comparable name variant of ``person``."""
    out = []
    for i, name in enumerate(person.names):
        for v in name_variants(name.full_name, name.surname, name.given_names):
            out.append((i, v))
    return out


class Screener:
    """Screens queries (travellers) against listed persons.

    ``entries`` are listed :class:`~matchers.model.Person` values (``list_id`` and
    ``entry_id`` set; when absent they are taken from ``key`` ``"{list_id}:{entry_id}"``).
    Building normalises every name and indexes it (about linear in the number of names).
    """

    def __init__(self, entries: Iterable[Person], config: MatchConfig) -> None:
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

        self._index = NameIndex(records(), string_similarity)
        self._docs = {k: tuple(sorted(v)) for k, v in docs.items()}
        # birth-year span per person (0 = unknown), to rank equal names by DOB
        self._dob_lo = array("H")
        self._dob_hi = array("H")
        for person in self._entries:
            lo, hi = birth_year_span(person.dates_of_birth, config.approximate_years)
            self._dob_lo.append(lo)
            self._dob_hi.append(hi)

    def __len__(self) -> int:
        return len(self._entries)

    def _dob_boost(self, query: Person) -> Callable[[int], float] | None:
        """Ranking factor per person position from birth years: 1.0 when a query year
        falls in the person's span, 0.85 when either is unknown, 0.65 otherwise (the
        shape of the DOB bonus and malus in :func:`matchers.scoring.combine`)."""
        years = {y for y in (birth_year_span((d,), 0)[0] for d in query.dates_of_birth) if y}
        if not years:
            return None
        lo_arr, hi_arr = self._dob_lo, self._dob_hi

        def boost(pos: int) -> float:
            lo = lo_arr[pos]
            if lo == 0:
                return 0.85
            hi = hi_arr[pos]
            return 1.0 if any(lo <= y <= hi for y in years) else 0.65

        return boost

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
        memo = QueryMemo()
        return [self._screen_one(q, threshold, memo, exhaustive) for q in queries]

    def _screen_one(
        self, query: Person, threshold: float | None, memo: QueryMemo, exhaustive: bool
    ) -> list[MatchResult]:
        cfg = self.config
        q_variants = person_variants(query)
        cand_records: dict[int, list[int]] = defaultdict(list)
        index = self._index
        if exhaustive and q_variants:
            for rid in index.all_records():
                cand_records[index.person_of(rid)].append(rid)
        elif q_variants:
            found = index.candidates(
                [v for _, v in q_variants],
                limit=cfg.max_candidates,
                min_similarity=cfg.token_min_similarity,
                memo=memo,
                boost=self._dob_boost(query),
            )
            for rid, _est in found:
                cand_records[index.person_of(rid)].append(rid)
        for q_doc in query.documents:
            canon = canonical_document_number(q_doc.number)
            if canon:
                for key in ("=" + canon, "~" + lookalike_document_number(canon)):
                    for pos in self._docs.get(key, ()):
                        cand_records.setdefault(pos, [])
        q_weights = [[index.token_weight(t.text, memo) for t in v.tokens] for _, v in q_variants]
        results: list[MatchResult] = []
        for pos, rids in cand_records.items():
            entry = self._entries[pos]
            list_id, entry_id = self._ids(entry)
            limit = threshold if threshold is not None else cfg.threshold_for(list_id)
            best = self._best_name(q_variants, q_weights, entry, rids, memo)
            name_score, name_pos, q_rule, c_rule = best
            if name_score.score < limit and not (query.documents and entry.documents):
                # other evidence only scales the name score down (factor ≤ 1.0); only a
                # document floor could lift it, and that needs documents on both sides
                continue
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
        results.sort(key=lambda r: (-r.score, r.list_id, r.entry_id))
        return results[: cfg.max_hits]

    def _best_name(
        self,
        q_variants: list[tuple[int, NameVariant]],
        q_weights: list[list[float]],
        entry: Person,
        rids: list[int],
        memo: QueryMemo,
    ) -> tuple[NameScore, tuple[int, int] | None, str | None, str | None]:
        records = [self._index.record(r) for r in rids]
        if not records:
            # document-only candidate: score every name of the entry
            records = [IndexedName(-1, name_pos, v) for name_pos, v in person_variants(entry)]
        best: NameScore = NameScore(0.0, "unknown", reasons=["uncomparable_name"])
        best_pos: tuple[int, int] | None = None
        rules: tuple[str | None, str | None] = (None, None)
        for (q_pos, qv), qw in zip(q_variants, q_weights, strict=True):
            for rec in records:
                cw = [self._index.token_weight(t.text, memo) for t in rec.variant.tokens]
                ns = score_name(qv, rec.variant, qw, cw, self.config)
                if best_pos is None or ns.score > best.score:
                    best, best_pos, rules = ns, (q_pos, rec.name), (qv.rule, rec.variant.rule)
        return best, best_pos, rules[0], rules[1]
