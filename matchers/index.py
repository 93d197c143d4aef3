"""Candidate index: an inverted index from name keys to listed names.

Keys per normalised token (both sides, every transliteration variant):

* ``T:`` the token, its particle-free core, and the join of each two adjacent tokens
  (``WEI JIE`` → ``WEIJIE``) — finds exact, swapped-order, joined and split forms;
* ``V:`` the known-spelling-variant group of the core (MOHAMED → MUHAMMAD);
* ``P:`` the Metaphone key of the core (tokens of 3+ letters) — phonetic variants;
* ``D:`` the token and every one-letter deletion of it (tokens of 4+ letters) — any single
  edit (substitution, insertion, deletion, transposition) meets on a shared key.

A query collects, per query token, the best key weight of each listed name (inverse
document frequency), sums them over tokens, and keeps the best ``limit`` names, so each
query is scored against a few candidates instead of the whole list.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import jellyfish

from matchers.normalise import NameVariant, Token, variant_key

_KEY_FACTOR = {"T": 1.0, "V": 0.9, "P": 0.6, "D": 0.7}


@lru_cache(maxsize=200_000)
def phonetic_key(text: str) -> str:
    """Metaphone key of an ``A–Z`` token (``""`` for tokens shorter than 3 letters)."""
    if len(text) < 3:
        return ""
    return str(jellyfish.metaphone(text))


def _token_keys(tok: Token) -> set[str]:
    keys = {"T:" + tok.text, "T:" + tok.core}
    known = variant_key(tok.core)
    if known:
        keys.add("V:" + known)
    ph = phonetic_key(tok.core)
    if ph:
        keys.add("P:" + ph)
    if len(tok.text) >= 4:
        keys.add("D:" + tok.text)
        keys.update("D:" + tok.text[:i] + tok.text[i + 1 :] for i in range(len(tok.text)))
    return keys


def token_groups(variant: NameVariant) -> list[set[str]]:
    """Index keys of ``variant``: one key set per token, then one per adjacent pair join."""
    groups = [_token_keys(t) for t in variant.tokens]
    toks = variant.tokens
    for a, b in pairwise(toks):
        groups.append({"T:" + a.text + b.text})
    return groups


@dataclass(frozen=True, slots=True)
class IndexedName:
    """One indexed name variant: ``person`` position in the screener's entry list,
    ``name`` position in that person's names, and the normalised ``variant``."""

    person: int
    name: int
    variant: NameVariant


class NameIndex:
    """Inverted index over :class:`IndexedName` records (immutable once built; safe to
    read from several threads)."""

    def __init__(self, records: Iterable[IndexedName]) -> None:
        self.records: list[IndexedName] = list(records)
        postings: dict[str, set[int]] = defaultdict(set)
        for rid, rec in enumerate(self.records):
            for group in token_groups(rec.variant):
                for key in group:
                    postings[key].add(rid)
        self._postings: dict[str, tuple[int, ...]] = {k: tuple(v) for k, v in postings.items()}
        n = max(1, len(self.records))
        self._n = n
        self._max_idf = math.log(1.0 + n)

    def __len__(self) -> int:
        return len(self.records)

    def idf(self, key: str) -> float:
        """``log(1 + N / df)`` of ``key``; 0.0 for keys not in the index."""
        df = len(self._postings.get(key, ()))
        return math.log(1.0 + self._n / df) if df else 0.0

    def token_weight(self, text: str) -> float:
        """Rarity weight of a normalised token in 0.3–1.0: 1.0 for tokens rare in (or
        absent from) the index, down to 0.3 for a token in every name."""
        df = len(self._postings.get("T:" + text, ()))
        if df == 0:
            return 1.0
        return 0.3 + 0.7 * math.log(1.0 + self._n / df) / self._max_idf if self._n > 1 else 1.0

    def candidates(self, variants: Sequence[NameVariant], *, limit: int) -> list[tuple[int, float]]:
        """Best ``limit`` records for the query ``variants`` as ``(record id, index
        score)``, best first. The index score is a sum of key IDFs, not a 0–1 score."""
        totals: dict[int, float] = defaultdict(float)
        for variant in variants:
            per_variant: dict[int, float] = defaultdict(float)
            for group in token_groups(variant):
                best: dict[int, float] = {}
                for key in group:
                    posting = self._postings.get(key)
                    if not posting:
                        continue
                    w = _KEY_FACTOR[key[0]] * math.log(1.0 + self._n / len(posting))
                    for rid in posting:
                        if best.get(rid, 0.0) < w:
                            best[rid] = w
                for rid, w in best.items():
                    per_variant[rid] += w
            for rid, w in per_variant.items():
                if totals[rid] < w:
                    totals[rid] = w
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
        return ranked[:limit]
