"""The screener: builds the candidate index over listed persons and screens queries.

A :class:`Screener` is immutable once built; :meth:`Screener.screen` only reads it, so
one instance may serve several worker threads. On a watchlist change the service builds
a new instance and swaps it in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from matchers.index import IndexedName, NameIndex
from matchers.model import MatchConfig, MatchResult, Person
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
)


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
        records: list[IndexedName] = []
        docs: dict[str, set[int]] = defaultdict(set)
        for pos, person in enumerate(self._entries):
            for name_pos, variant in person_variants(person):
                records.append(IndexedName(pos, name_pos, variant))
            for doc in person.documents:
                canon = canonical_document_number(doc.number)
                if canon:
                    docs["=" + canon].add(pos)
                    docs["~" + lookalike_document_number(canon)].add(pos)
        self._index = NameIndex(records)
        self._docs = {k: tuple(sorted(v)) for k, v in docs.items()}

    def __len__(self) -> int:
        return len(self._entries)

    def _ids(self, person: Person) -> tuple[str, str]:
        if person.list_id is not None and person.entry_id is not None:
            return person.list_id, person.entry_id
        list_id, _, entry_id = person.key.partition(":")
        return person.list_id or list_id, person.entry_id or entry_id or person.key

    def screen(self, queries: Sequence[Person], *, threshold: float | None = None) -> list[list[MatchResult]]:
        """Screen each query; returns one list per query (same order) of hits with
        ``score >= threshold``, best first, at most ``config.max_hits``.

        ``threshold`` (0.0–1.0) overrides every per-list threshold; without it each
        entry's list uses :meth:`MatchConfig.threshold_for`. Pure CPU work; thread-safe.
        """
        return [self._screen_one(q, threshold) for q in queries]

    def _screen_one(self, query: Person, threshold: float | None) -> list[MatchResult]:
        cfg = self.config
        q_variants = person_variants(query)
        cand_records: dict[int, list[int]] = defaultdict(list)
        if q_variants:
            for rid, _w in self._index.candidates([v for _, v in q_variants], limit=cfg.max_candidates):
                cand_records[self._index.records[rid].person].append(rid)
        for q_doc in query.documents:
            canon = canonical_document_number(q_doc.number)
            if canon:
                for key in ("=" + canon, "~" + lookalike_document_number(canon)):
                    for pos in self._docs.get(key, ()):
                        cand_records.setdefault(pos, [])
        q_weights = [[self._index.token_weight(t.text) for t in v.tokens] for _, v in q_variants]
        results: list[MatchResult] = []
        for pos, rids in cand_records.items():
            entry = self._entries[pos]
            list_id, entry_id = self._ids(entry)
            limit = threshold if threshold is not None else cfg.threshold_for(list_id)
            best = self._best_name(q_variants, q_weights, entry, rids)
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
        results.sort(key=lambda r: (-r.score, r.list_id, r.entry_id))
        return results[: cfg.max_hits]

    def _best_name(
        self,
        q_variants: list[tuple[int, NameVariant]],
        q_weights: list[list[float]],
        entry: Person,
        rids: list[int],
    ) -> tuple[NameScore, tuple[int, int] | None, str | None, str | None]:
        records = [self._index.records[r] for r in rids]
        if not records:
            # document-only candidate: score every name of the entry
            records = [IndexedName(-1, name_pos, v) for name_pos, v in person_variants(entry)]
        best: NameScore = NameScore(0.0, "unknown", reasons=["uncomparable_name"])
        best_pos: tuple[int, int] | None = None
        rules: tuple[str | None, str | None] = (None, None)
        for (q_pos, qv), qw in zip(q_variants, q_weights, strict=True):
            for rec in records:
                cw = [self._index.token_weight(t.text) for t in rec.variant.tokens]
                ns = score_name(qv, rec.variant, qw, cw, self.config)
                if best_pos is None or ns.score > best.score:
                    best, best_pos, rules = ns, (q_pos, rec.name), (qv.rule, rec.variant.rule)
        return best, best_pos, rules[0], rules[1]
