"""Candidate index: finds, for a query name, the few listed names worth scoring.

Two levels, both memory-lean (issue 7: a million names with aliases):

* **Vocabulary** — every distinct normalised token text is interned once (``tid``);
  each listed name (*record*) is stored as a run of token ids in flat ``array``\\ s, and
  each token id has a posting list (``array('I')`` of record ids). Fuzzy keys are
  computed per distinct token, never per name occurrence.
* **Token keys** — per vocabulary token (its text and its particle-free core): the form
  itself and every one-letter deletion (tokens of 3+ letters; any single edit —
  substitution, insertion, deletion, adjacent transposition — meets on a shared key), the
  known-spelling-variant group (MOHAMED → MUHAMMAD) and the Metaphone key. Keys are
  hashed (XXH3, 40 bits) and packed with the token id into one sorted
  ``array('Q')`` (8 bytes a key, looked up with ``bisect``) instead of a dict of strings.
  Adjacent listed tokens joined (``WEI JIE`` → ``WEIJIE``) are packed the same way with
  the record id, for queries that write them as one word.

A query token's neighbours are the vocabulary tokens sharing a key, kept only when the
scorer's own token similarity (:func:`matchers.scoring.string_similarity`, text and
core) reaches ``token_min_similarity``. The scorer caps a name that has fewer than two
matched tokens at ``single_token_cap``, so the candidates are the records where at least
two query tokens (or a joined pair) meet a neighbour. They are ranked in two stages: a
coarse estimate of the name score from set membership (query-token rarity, exact or
fuzzy, leftover tokens penalised), times the other evidence (``boost``: date of birth,
nationality, gender); then the best ``pool`` records are re-estimated by a greedy
one-to-one token alignment with the verified similarities and the listed tokens' own
rarity, in the shape of the scorer's formula (:class:`NameShape`). The best ``limit``
persons are returned. Records matching one query token only are added (the best few)
when there is room: they score below ``single_token_cap`` unless a pair the keys do not
reach (two edits in a long token) aligns too.

The query side runs compiled when ``matchers._core`` is built (``native/``, Rust via
pyo3; :data:`NATIVE_AVAILABLE`): the neighbour lookup (keys, hashing, verification with a
port of the scorer's string similarity), the posting-list merge, both estimates, the
evidence boost and the bar. It is a port of the Python code below, operation for
operation, and returns the same candidates with the same estimates to the last bit; the
Python stage stays as the reference (``native=False``) and for query variants of more
than :data:`MAX_NATIVE_QUERY_TOKENS` tokens.

Limits: at most 2**24 (16.7 million) records and as many distinct tokens; two edits
inside one token are not keyed (such a pair is found when another token matches too).
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence, Sized
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import combinations, pairwise
from typing import Any

import jellyfish
import xxhash

from matchers.normalise import (
    KNOWN_VARIANTS,
    NameVariant,
    Token,
    consonant_skeleton,
    is_unvowelled,
    variant_key,
)

try:  # the compiled candidate stage (native/, built by ``pip install``)
    from matchers import _core
except ImportError:  # pragma: no cover - a source tree without the built extension
    _core = None  # type: ignore[assignment]

NATIVE_AVAILABLE = _core is not None
"""Whether the compiled candidate stage ``matchers._core`` is built and importable."""

MAX_NATIVE_QUERY_TOKENS = 32
"""Query variants with more tokens than this take the Python candidate stage."""

Similarity = Callable[[str, str], tuple[float, str]]

NativeBoost = tuple[Any, tuple[list[int], list[int], list[int], int]]
"""The evidence boost in the compiled stage's form: ``(matchers._core.Evidence, (birth-date
ids, birth years, nationality ids, gender code))``."""
"""A string similarity ``(a, b) -> (0.0–1.0, rule)`` (the scorer's ``string_similarity``)."""

_ID_BITS = 24
_ID_MASK = (1 << _ID_BITS) - 1
MAX_IDS = 1 << _ID_BITS
"""Upper bound (exclusive) of record ids and token ids the packed arrays can hold."""

_FILL_UNION_CAP = 4000
"""Single-token-match records are added to the candidates only when the union of the
query tokens' posting sets is at most this large."""


@lru_cache(maxsize=200_000)
def phonetic_key(text: str) -> str:
    """Metaphone key of an ``A–Z`` token (``""`` for tokens shorter than 3 letters)."""
    if len(text) < 3:
        return ""
    return str(jellyfish.metaphone(text))


def _xxh3_40(key: str) -> int:
    return int(xxhash.xxh3_64_intdigest(key.encode())) >> 24


key_hash: Callable[[str], int] = _xxh3_40 if _core is None else _core.CandidateCore.key_hash
"""``key_hash(key) -> int``: deterministic 40-bit hash of an index key (the top 40 bits
of the XXH3-64 hash of its UTF-8 bytes; the same in every process, unlike ``hash()``),
0 ≤ value < 2**40; raises ``UnicodeEncodeError`` for a lone surrogate. The compiled
stage's (``xxhash-rust``) when it is built, else the ``xxhash`` package's: the same
values, tested."""


SPELLING_RULES = frozenset({"edit", "phonetic", "skeleton"})
"""Rules of :func:`matchers.scoring.string_similarity` that read a token as a
misspelling of another: never a match for a syllable of a Chinese or Korean name
(:attr:`~matchers.normalise.Token.syllable`; :func:`matchers.scoring.token_similarity`)."""


def token_keys(forms: Iterable[str], *, query: bool = False) -> set[str]:
    """Fuzzy keys of one token given its forms (text and particle-free core, ``A–Z``):
    ``C:`` each form, ``V:`` its known-variant group, ``P:`` its Metaphone key (3+
    letters), ``D:`` each form and its one-letter deletions (3+ letters), and its
    consonant skeleton (:func:`~matchers.normalise.consonant_skeleton`, 3+ letters) as
    ``KU:`` for a token written without vowels (MHMD, from Arabic or Hebrew script) or
    ``KV:`` for one with vowels; ``query=True`` swaps the two, so that a listed
    unvowelled name meets a vowelled traveller's name (and the reverse) without every
    vowelled name of the same skeleton meeting every other."""
    keys: set[str] = set()
    for form in forms:
        if len(form) >= 3:
            skel = consonant_skeleton(form)
            if len(skel) >= 2:
                keys.add(("KV:" if is_unvowelled(form) == query else "KU:") + skel)
        keys.add("C:" + form)
        known = variant_key(form)
        if known:
            keys.add("V:" + known)
        ph = phonetic_key(form)
        if ph:
            keys.add("P:" + ph)
        if len(form) >= 3:
            keys.add("D:" + form)
            keys.update("D:" + form[:i] + form[i + 1 :] for i in range(len(form)))
    return keys


@dataclass(frozen=True, slots=True)
class IndexedName:
    """One indexed name variant: ``person`` position in the screener's entry list,
    ``name`` position in that person's names, and the normalised ``variant``."""

    person: int
    name: int
    variant: NameVariant


@dataclass(frozen=True, slots=True)
class NameShape:
    """The scorer's name-formula constants the ranking estimate mirrors (see
    :class:`matchers.model.MatchConfig`): penalty weights of a contradicted listed token
    (the mean of the given-name and surname penalties: the index does not know name
    fields), an absent listed token and an extra query token, and the cap of a name
    with fewer than two tokens in common."""

    contradicted_penalty: float = 0.75
    absent_penalty: float = 0.15
    extra_penalty: float = 0.45
    single_token_cap: float = 0.5


def _shape_args(shape: NameShape) -> tuple[float, float, float, float]:
    """A shape as the compiled stage takes it."""
    return (shape.contradicted_penalty, shape.absent_penalty, shape.extra_penalty, shape.single_token_cap)


class QueryMemo:
    """Cache of query-side work (token neighbours, posting sets, token weights) for one
    index and one ``min_similarity``, shared by the queries of a
    :meth:`NameIndex.candidates` batch so a manifest's frequent names are looked up
    once; a :class:`~matchers.Screener` keeps one per thread over its batches (bounded
    by :meth:`held`). Not thread-safe: one per thread."""

    __slots__ = ("compiled", "neighbour_maps", "neighbours", "postings", "weights")

    def __init__(self) -> None:
        self.compiled: Any = None  # the compiled stage's own memo (matchers._core.QueryCache)
        # by (text, core, syllable) of a query token
        self.neighbours: dict[tuple[str, str, bool], list[tuple[int, float]]] = {}
        self.neighbour_maps: dict[tuple[str, str, bool], dict[int, float]] = {}
        self.postings: dict[tuple[str, str, bool], tuple[frozenset[int], frozenset[int]]] = {}
        self.weights: dict[str, float] = {}

    def held(self) -> tuple[int, int]:
        """``(entries, compiled ids)``: the token entries of the Python stage's tables
        (neighbour lists and maps, record sets, weights) and of the compiled stage's
        (token sets, weights; each entry some 100–200 bytes beyond its ids), and the
        record ids (4 bytes each) and neighbours (16 bytes each) the compiled token sets
        hold, for a caller that keeps one memo over many batches and bounds it."""
        entries = len(self.neighbours) + len(self.neighbour_maps) + len(self.postings) + len(self.weights)
        if self.compiled is None:
            return entries, 0
        return entries + len(self.compiled), self.compiled.held_ids()


def _loose_token(text: str) -> bool:
    """A token the coarse estimate cannot see the alignment's rescue of: a one-letter
    initial or a token written without vowels."""
    return len(text) == 1 or is_unvowelled(text)


def _loose(tokens: Sequence[Token]) -> bool:
    """Whether a name has a :func:`_loose_token`."""
    return any(_loose_token(t.text) for t in tokens)


def _plain_sum(values: Iterable[float]) -> float:
    """Sum of floats added left to right, one rounding per addition, as the compiled
    stage adds them (the built-in ``sum`` compensates rounding errors from Python 3.12
    on, which would make the two stages differ in the last bit)."""
    total = 0.0
    for v in values:
        total += v
    return total


def _is_scorer_similarity(similarity: Similarity) -> bool:
    """Whether ``similarity`` is :func:`matchers.scoring.string_similarity`, which the
    compiled stage carries its own port of (the index may not import the scorer)."""
    return (
        getattr(similarity, "__module__", None) == "matchers.scoring"
        and getattr(similarity, "__qualname__", None) == "string_similarity"
    )


def _pack_sorted(values: list[int]) -> array[int]:
    values.sort()
    return array("Q", values)


def _lookup(packed: array[int], h: int) -> list[int]:
    """Ids packed under hash ``h``."""
    lo = h << _ID_BITS
    hi = lo | _ID_MASK
    i = bisect_left(packed, lo)
    out: list[int] = []
    n = len(packed)
    while i < n:
        v = packed[i]
        if v > hi:
            break
        out.append(v & _ID_MASK)
        i += 1
    return out


class NameIndex:
    """Candidate index over listed name variants (immutable once built; safe to read
    from several threads — query-side state lives in a :class:`QueryMemo`).

    ``records`` are :class:`IndexedName` values; record ids are their positions. Raises
    ``ValueError`` when there are more than :data:`MAX_IDS` records or distinct tokens.
    ``similarity`` is the scorer's string similarity ``(a, b) -> (0.0–1.0, rule)`` used to
    verify neighbours (injected to keep the import direction scoring → index).

    ``native`` chooses the candidate stage: ``None`` (default) the compiled one
    (``matchers._core``, a Rust port giving the same candidates and estimates; see
    ``python -m loadtest.bench_native`` for the speed) when it is built and
    ``similarity`` is :func:`matchers.scoring.string_similarity` (which it ports), else the
    Python one; ``True`` requires the compiled one (``RuntimeError`` when it is not built,
    ``ValueError`` for another ``similarity``); ``False`` the Python one (the reference the
    parity tests compare against).
    """

    def __init__(self, records: Iterable[IndexedName], similarity: Similarity, *, native: bool | None = None) -> None:
        if native and _core is None:
            raise RuntimeError("the compiled candidate stage matchers._core is not built (pip install the package)")
        if native and not _is_scorer_similarity(similarity):
            raise ValueError("the compiled candidate stage verifies with matchers.scoring.string_similarity only")
        self._similarity = similarity
        vocab: dict[str, int] = {}
        texts: list[str] = []
        cores: dict[int, set[str]] = {}
        postings: list[array[int]] = []
        df: list[int] = []
        tok_ids: dict[Token, int] = {}
        self._tokens: list[Token] = []
        self._rec_person = array("I")
        self._rec_name = array("I")
        self._rec_flags = array("B")  # structured (bit 0) | rule id << 1
        # 1 where the record has a token the alignment rescues beyond the coarse
        # estimate's reach (an initial, a name written without vowels)
        self._rec_loose = bytearray()
        self._rules: list[str] = []  # variant rule names (icao, plain, korean_mr …)
        rule_ids: dict[str, int] = {}
        self._rec_start = array("I", [0])
        self._rec_toks = array("I")
        self._rec_tids = array("I")  # like _rec_toks, the token text ids
        joins: list[int] = []

        def tid_of(text: str) -> int:
            tid = vocab.get(text)
            if tid is None:
                tid = len(texts)
                vocab[text] = tid
                texts.append(text)
                postings.append(array("I"))
                df.append(0)
            return tid

        # per distinct token object: (the object, kept alive so its id is not reused; its
        # token id; its text id; its core's text id or -1; loose). Equal tokens share one
        # token id through ``tok_ids``; normalisation hands out shared Token objects, so
        # most lookups stop at the identity map.
        tok_info: dict[int, tuple[Token, int, int, int, bool]] = {}
        join_hashes: dict[str, int] = {}
        rec_person, rec_name, rec_flags = self._rec_person, self._rec_name, self._rec_flags
        rec_loose, rec_toks, rec_tids, rec_start = self._rec_loose, self._rec_toks, self._rec_tids, self._rec_start
        rid = -1
        for rid, rec in enumerate(records):
            if rid >= MAX_IDS:
                raise ValueError(f"more than {MAX_IDS} indexed names")
            variant = rec.variant
            toks = variant.tokens
            rec_person.append(rec.person)
            rec_name.append(rec.name)
            rule_id = rule_ids.get(variant.rule)
            if rule_id is None:
                if len(self._rules) >= 127:
                    raise ValueError("more than 127 name-variant rules")
                rule_id = rule_ids[variant.rule] = len(self._rules)
                self._rules.append(variant.rule)
            rec_flags.append(int(variant.structured) | rule_id << 1)
            loose = False
            t_keys: set[int] = set()
            for tok in toks:
                info = tok_info.get(id(tok))
                if info is None:
                    oid = tok_ids.get(tok)
                    if oid is None:
                        oid = len(self._tokens)
                        tok_ids[tok] = oid
                        self._tokens.append(tok)
                    text_tid = tid_of(tok.text)
                    core_tid = -1
                    if tok.core != tok.text:
                        cores.setdefault(text_tid, set()).add(tok.core)
                        core_tid = tid_of(tok.core)
                    info = tok_info[id(tok)] = (
                        tok,
                        oid,
                        text_tid,
                        core_tid,
                        _loose_token(tok.text),
                    )
                _, oid, tid, core_tid, tok_loose = info
                loose = loose or tok_loose
                rec_toks.append(oid)
                rec_tids.append(tid)
                post = postings[tid]
                if not post or post[-1] != rid:
                    post.append(rid)
                t_keys.add(tid)
                if core_tid >= 0:
                    t_keys.add(core_tid)
            rec_loose.append(loose)
            rec_start.append(len(rec_toks))
            for key_tid in t_keys:
                df[key_tid] += 1
            seen_joins: set[str] = set()
            for a, b in pairwise(toks):
                j = a.text + b.text
                if j not in seen_joins and vocab.get(j) not in t_keys:
                    seen_joins.add(j)
                    h = join_hashes.get(j)
                    if h is None:
                        h = join_hashes[j] = key_hash(j)
                    joins.append(h << _ID_BITS | rid)
        del tok_info, join_hashes
        if len(texts) >= MAX_IDS:
            raise ValueError(f"more than {MAX_IDS} distinct tokens")
        self._n_records = rid + 1
        # person p's records are ids _person_start[p] .. _person_start[p + 1] - 1: records
        # come person by person, in order (checked)
        n_persons = (self._rec_person[-1] + 1) if self._n_records else 0
        counts = [0] * (n_persons + 1)
        prev = 0
        for p in self._rec_person:
            if p < prev:
                raise ValueError("records must come person by person, in order")
            counts[p + 1] += 1
            prev = p
        for p in range(n_persons):
            counts[p + 1] += counts[p]
        self._person_start = array("I", counts)
        self._vocab = vocab
        self._texts = texts
        self._cores: dict[int, tuple[str, ...]] = {k: tuple(sorted(v)) for k, v in cores.items()}
        self._postings = postings
        self._df = array("I", df)
        self._joins = _pack_sorted(joins)
        del joins
        packed: list[int] = []
        for tid, text in enumerate(texts):
            if not postings[tid]:
                continue  # a core only, never a listed token text
            for key in token_keys((text, *self._cores.get(tid, ()))):
                packed.append(key_hash(key) << _ID_BITS | tid)
        self._keys = _pack_sorted(packed)
        n = max(1, self._n_records)
        self._n = n
        self._max_idf = math.log(1.0 + n)
        # rarity weight of every listed token text, for the ranking estimate
        self._tid_w = array("d", (self.token_weight(t) if postings[i] else 1.0 for i, t in enumerate(texts)))
        self._core: Any = None
        if native is not False and _core is not None and _is_scorer_similarity(similarity):
            post_off = array("Q", [0])
            post_ids = array("I")
            for post in postings:
                post_ids.extend(post)
                post_off.append(len(post_ids))
            core_off = array("I", [0])
            core_texts: list[str] = []
            for tid in range(len(texts)):
                core_texts.extend(self._cores.get(tid, ()))
                core_off.append(len(core_texts))
            self._core = _core.CandidateCore(
                self._rec_start,
                self._rec_tids,
                self._rec_person,
                self._rec_loose,
                self._tid_w,
                texts,
                post_off,
                post_ids,
                core_off,
                core_texts,
                [phonetic_key(t) for t in texts],
                self._keys,
                self._joins,
                KNOWN_VARIANTS,
                phonetic_key,
                self._df,
                self._n,
                self._max_idf,
            )

    def __len__(self) -> int:
        return self._n_records

    @property
    def native(self) -> bool:
        """Whether :meth:`candidates` runs the compiled candidate stage."""
        return self._core is not None

    @property
    def vocabulary_size(self) -> int:
        """Distinct token texts (listed tokens and their particle-free cores)."""
        return len(self._texts)

    def record(self, rid: int) -> IndexedName:
        """The indexed name ``rid`` (0 ≤ rid < ``len(self)``; ``IndexError`` otherwise)."""
        toks = tuple(self._tokens[i] for i in self._rec_toks[self._rec_start[rid] : self._rec_start[rid + 1]])
        flags = self._rec_flags[rid]
        variant = NameVariant(toks, self._rules[flags >> 1], bool(flags & 1))
        return IndexedName(self._rec_person[rid], self._rec_name[rid], variant)

    def record_weights(self, rid: int) -> list[float]:
        """:meth:`token_weight` of each token of record ``rid``, in order (the same
        floats: the rarity weights kept per listed token text)."""
        tid_w = self._tid_w
        return [tid_w[t] for t in self._rec_tids[self._rec_start[rid] : self._rec_start[rid + 1]]]

    def person_of(self, rid: int) -> int:
        """Position of record ``rid``'s person in the screener's entry list."""
        return self._rec_person[rid]

    def query_tids(self, variants: Sequence[NameVariant], min_similarity: float, memo: QueryMemo | None) -> set[int]:
        """Ids of the listed token texts the keys relate to any token of ``variants``
        (their neighbours at ``min_similarity``)."""
        out: set[int] = set()
        for v in variants:
            for t in v.tokens:
                out.update(self._neighbour_map(t, min_similarity, memo))
        return out

    def query_reach(
        self, variants: Sequence[NameVariant], min_similarity: float, memo: QueryMemo | None
    ) -> Callable[[Sequence[int]], list[int]]:
        """A test of record ids against the query ``variants``: called with ids, it
        returns those, in order, of records holding a token among the neighbours (at
        ``min_similarity``) of any token of the variants, as :meth:`meets` of
        :meth:`query_tids` tells. With the compiled stage and a ``memo`` it reads the
        tokens' sets the batch's compiled call left there, without making the neighbour
        lists in Python."""
        if self._core is not None and memo is not None:
            keys = dict.fromkeys((t.text, t.core, t.syllable) for v in variants for t in v.tokens)
            sets = [self._native_sets(text, core, min_similarity, memo, syllable) for text, core, syllable in keys]
            return partial(_core.TokenSets.reached, sets)
        tids = self.query_tids(variants, min_similarity, memo)
        return lambda rids: [r for r in rids if self.meets(r, tids)]

    def meets(self, rid: int, tids: set[int]) -> bool:
        """Whether record ``rid`` has a token among ``tids``."""
        return not tids.isdisjoint(self._rec_tids[self._rec_start[rid] : self._rec_start[rid + 1]])

    def person_records(self, person: int) -> range:
        """Record ids of ``person`` (its position in the screener's entry list); empty
        for a person without an indexed name."""
        if person + 1 >= len(self._person_start):
            return range(0)
        return range(self._person_start[person], self._person_start[person + 1])

    def all_records(self) -> range:
        """Every record id (for an exhaustive scan)."""
        return range(self._n_records)

    def df(self, text: str) -> int:
        """Records holding ``text`` as a token, a particle-free core or two adjacent
        tokens joined (document frequency of the token)."""
        tid = self._vocab.get(text)
        n = self._df[tid] if tid is not None else 0
        return n + len(_lookup(self._joins, key_hash(text)))

    def token_weight(self, text: str, memo: QueryMemo | None = None) -> float:
        """Rarity weight of a normalised token in 0.3–1.0: 1.0 for tokens rare in (or
        absent from) the index, down to 0.3 for a token in every name."""
        if memo is not None:
            w = memo.weights.get(text)
            if w is not None:
                return w
        df = self.df(text)
        w = 1.0
        if df and self._n > 1:
            w = 0.3 + 0.7 * math.log(1.0 + self._n / df) / self._max_idf
        if memo is not None:
            memo.weights[text] = w
        return w

    # --- query side ----------------------------------------------------------------

    def _upper_similarity(self, forms: tuple[str, ...], tid: int, syllable: bool = False) -> float:
        text = self._texts[tid]
        best, rule = self._similarity(forms[0], text)
        if syllable and rule in SPELLING_RULES:
            return 0.0  # the scorer never aligns a syllable with its misspelling
        if rule == "initial":
            best = 0.0
        other = self._cores.get(tid, ())
        for i, qf in enumerate(forms):
            for j, cf in enumerate((text, *other)):
                if (i == 0 and j == 0) or min(len(qf), len(cf)) < 3:
                    continue
                s, r = self._similarity(qf, cf)
                if r != "initial" and s * 0.95 > best:
                    best = s * 0.95
        return best

    def neighbours(self, tok: Token, min_similarity: float, memo: QueryMemo | None = None) -> list[tuple[int, float]]:
        """Vocabulary tokens ``(tid, similarity)`` a query token can align with:
        similarity (0.0–1.0, the scorer's, over texts and cores; initials excluded) at
        least ``min_similarity``; for a syllable of a Chinese or Korean name
        (``tok.syllable``), not the tokens its text reads as a misspelling of
        (:data:`SPELLING_RULES`: the scorer gives such a pair 0.0)."""
        mkey = (tok.text, tok.core, tok.syllable)
        if memo is not None:
            hit = memo.neighbours.get(mkey)
            if hit is not None:
                return hit
        forms = (tok.text,) if tok.core == tok.text else (tok.text, tok.core)
        out: list[tuple[int, float]]
        if self._core is not None:
            out = self._native_sets(tok.text, tok.core, min_similarity, memo or QueryMemo(), tok.syllable).neighbours()
        else:
            found: set[int] = set()
            for key in token_keys(forms, query=True):
                found.update(_lookup(self._keys, key_hash(key)))
            out = []
            for tid in sorted(found):
                sim = self._upper_similarity(forms, tid, tok.syllable)
                if sim >= min_similarity:
                    out.append((tid, sim))
        if memo is not None:
            memo.neighbours[mkey] = out
        return out

    def _token_sets(
        self, tok: Token, min_similarity: float, memo: QueryMemo | None
    ) -> tuple[frozenset[int], frozenset[int]]:
        """``(strong, all)`` record ids with a neighbour of ``tok``: ``strong`` those
        with similarity ≥ 0.95 (exact, core or known variant)."""
        mkey = (tok.text, tok.core, tok.syllable)
        if memo is not None:
            hit = memo.postings.get(mkey)
            if hit is not None:
                return hit
        nb = self.neighbours(tok, min_similarity, memo)
        strong = frozenset().union(*(self._postings[t] for t, s in nb if s >= 0.95))
        weak = [self._postings[t] for t, s in nb if s < 0.95]
        every = strong.union(*weak) if weak else strong
        res = (strong, every)
        if memo is not None:
            memo.postings[mkey] = res
        return res

    def _join_records(self, text: str, min_similarity: float, memo: QueryMemo | None) -> frozenset[int]:
        """Records matching ``text`` (two query tokens joined) with one listed token; its
        misspelling neighbours are kept even when one of the two is a syllable: the
        scorer never aligns them, but they reach names it aligns otherwise (O CHOL:
        OCHOL is one letter from CHOL; the scorer pairs O with OH, an initial, and CHOL
        with CHOL)."""
        tok = Token(text, text, "n")
        return self._token_sets(tok, min_similarity, memo)[1]

    def candidates(
        self,
        variants: Sequence[NameVariant],
        *,
        limit: int,
        min_similarity: float = 0.72,
        memo: QueryMemo | None = None,
        boost: Callable[[int], float] | None = None,
        pool: int | None = None,
        shape: NameShape | None = None,
        need: float | None = None,
        refine_margin: float = 0.25,
        max_boost: float = 1.0,
        native_boost: NativeBoost | None = None,
        prune: tuple[float, float, float] | None = None,
    ) -> list[tuple[int, float]]:
        """Candidate records for the query ``variants`` as ``(record id, estimate)``,
        best first (ties by record id), covering the best ``limit`` persons (every
        candidate record of those persons is kept). The estimate (about 0.0–1.0) ranks
        candidates; it is not the final score.

        Two stages per variant: every record meeting the query on the keys gets a coarse
        estimate from set membership; the best ``pool`` of them (default ``10 × limit``)
        are re-estimated by a greedy token alignment with the verified token
        similarities, the listed tokens' rarity and the leftover-token penalties of
        ``shape`` (the scorer's name formula without name fields; joined units are
        tried among the tokens left over). Records meeting the query on one token only
        fill at most ``2 × pool / 5`` places of the first stage.
        ``min_similarity`` is the scorer's ``token_min_similarity``; ``memo`` shares work
        across the queries of a batch; ``boost(person)`` (0.0 to about 1.2: the other
        evidence, date of birth, nationality, gender) multiplies each person's
        estimates, so that among many equal names the ones other evidence supports are
        scored.

        ``need`` (same units as the estimates, boost included; None: no bar) is the
        estimate a record must reach to be of use to the caller, ``max_boost`` the
        largest value ``boost`` returns. It bars *single* records (meeting the query on
        one token only, by keys), unless the query or the record has a one-letter
        initial or a token without vowels (the alignment rescues those beyond the
        coarse estimate's reach): a single whose coarse estimate × ``max_boost`` +
        ``refine_margin`` is below ``need`` is not ranked; after the boost, a person
        none of whose ranked records is a non-barred one (coarse estimate × boost +
        ``refine_margin`` ≥ ``need``, or a record meeting two query tokens) is dropped
        before the token alignment, all its records together; a person that keeps one
        keeps its barred records too, unaligned (at their first-stage value: half the
        coarse estimate, boosted). Records meeting the query on two tokens or more are
        never barred. The margin is empirical: on the benchmark suites (UN, UN+OFAC+UK
        with noisy and perturbed names) no hit differs from ``refine_margin=1.0``,
        which bars nothing.

        ``native_boost`` is ``boost`` in the compiled stage's form, ``(evidence, (birth-date
        ids, birth years, nationality ids, gender code))`` with ``evidence`` a
        ``matchers._core.Evidence`` (built by :class:`matchers.screener.Screener`). The
        compiled stage runs when the index has it and either no ``boost`` is given or its
        ``native_boost`` is, and every variant has at most
        :data:`MAX_NATIVE_QUERY_TOKENS` tokens; it returns the same list.

        ``prune`` (None: keep all) is ``(factor, margin, floor)``: of the best ``limit``
        persons, those whose best estimate × ``factor`` + ``margin`` is below ``floor``
        are left out, all their records (the screener's rule for a person that cannot
        reach the threshold, applied where it costs least)."""
        shape = shape or NameShape()
        pool = pool if pool is not None else 10 * limit
        if self.native_ready(boost is not None, native_boost, [v.tokens for v in variants]):
            # the compiled stage makes (and memoises) each token's neighbour sets, its
            # joined pairs', the rarity weights and the looseness itself, from the texts
            return self._compiled_candidates(
                [([t.text for t in v.tokens], [t.core for t in v.tokens]) for v in variants],
                limit, pool, min_similarity, memo if memo is not None else QueryMemo(), shape, need, refine_margin,
                max_boost, native_boost if boost is not None else None, prune,
                [[t.syllable for t in v.tokens] for v in variants],
            )
        best: dict[int, float] = {}
        for variant in variants:
            for rid, est in self._variant_candidates(
                variant, pool, 2 * pool // 5, min_similarity, memo, boost, shape, need, refine_margin, max_boost
            ):
                if best.get(rid, -1.0) < est:
                    best[rid] = est
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
        persons: dict[int, bool] = {}  # person -> kept; its first record is its best
        out: list[tuple[int, float]] = []
        for rid, est in ranked:
            person = self._rec_person[rid]
            keep = persons.get(person)
            if keep is None:
                if len(persons) >= limit:
                    continue
                keep = persons[person] = prune is None or not (est * prune[0] + prune[1] < prune[2])
            if keep:
                out.append((rid, est))
        return out

    def _native_sets(
        self, text: str, core: str, min_similarity: float, memo: QueryMemo, syllable: bool = False
    ) -> Any:
        """The compiled stage's ``TokenSets`` of a query token ``text`` with particle-free
        ``core`` (a ``syllable`` of a Chinese or Korean name: see :meth:`neighbours`),
        memoised in the memo the compiled candidates use too."""
        return self._core.cached_query_token(self._query_cache(memo), text, core, min_similarity, syllable)

    @staticmethod
    def _query_cache(memo: QueryMemo) -> Any:
        """The batch's ``matchers._core.QueryCache`` (made on first use)."""
        if memo.compiled is None:
            memo.compiled = _core.QueryCache()
        return memo.compiled

    def native_ready(self, boosted: bool, native_boost: Any, queries: Sequence[Sized]) -> bool:
        """Whether :meth:`text_candidates` can serve a query: the compiled stage is built
        for this index, a ``boost`` (``boosted``) comes with its ``native_boost``, and no
        variant has more than :data:`MAX_NATIVE_QUERY_TOKENS` tokens (``queries``: each
        variant's tokens or token texts)."""
        return (
            self._core is not None
            and (not boosted or native_boost is not None)
            and all(len(q) <= MAX_NATIVE_QUERY_TOKENS for q in queries)
        )

    def text_candidates(
        self,
        queries: Sequence[tuple[Sequence[str], Sequence[str]]],
        *,
        limit: int,
        min_similarity: float = 0.72,
        memo: QueryMemo | None = None,
        pool: int | None = None,
        shape: NameShape | None = None,
        need: float | None = None,
        refine_margin: float = 0.25,
        max_boost: float = 1.0,
        native_boost: NativeBoost | None = None,
        prune: tuple[float, float, float] | None = None,
    ) -> list[tuple[int, float]]:
        """:meth:`candidates` in the compiled stage, for query variants given as ``(token
        texts, particle-free cores)`` (:data:`matchers.normalise.variant_texts`), so that
        no :class:`NameVariant` need be made; the same arguments, with the boost as
        ``native_boost`` only, and the same list. Raises ``RuntimeError`` when the
        compiled stage is not built for this index and ``ValueError`` for a variant of
        more than :data:`MAX_NATIVE_QUERY_TOKENS` tokens (see :meth:`native_ready`)."""
        if self._core is None:
            raise RuntimeError("the compiled candidate stage is not built for this index")
        if any(len(texts) > MAX_NATIVE_QUERY_TOKENS for texts, _ in queries):
            raise ValueError(f"a query variant has more than {MAX_NATIVE_QUERY_TOKENS} tokens")
        return self._compiled_candidates(
            queries, limit, pool if pool is not None else 10 * limit, min_similarity,
            memo if memo is not None else QueryMemo(), shape or NameShape(), need, refine_margin, max_boost,
            native_boost, prune,
        )

    def name_candidates(
        self,
        names: Iterable[Any],
        fold: _core.FoldedNames,
        *,
        limit: int,
        min_similarity: float = 0.72,
        memo: QueryMemo | None = None,
        pool: int | None = None,
        shape: NameShape | None = None,
        syllabic_shape: NameShape | None = None,
        need: float | None = None,
        refine_margin: float = 0.25,
        max_boost: float = 1.0,
        native_boost: NativeBoost | None = None,
        prune: tuple[float, float, float] | None = None,
    ) -> tuple[bool, list[tuple[int, float]]] | None:
        """:meth:`text_candidates` for a query's names as they are (each with
        ``full_name``, ``surname`` and ``given_names``: a
        :class:`matchers.model.PersonName`), folded in the compiled stage by ``fold``
        (the compiled port itself, :data:`matchers.normalise.variant_texts`: another
        callable raises ``TypeError``), every name's variants ranked
        together: one call, no Python object per token. ``syllabic_shape`` (default
        ``shape``) is the shape used when every variant has a Chinese or Korean syllable
        token (the screener passes none: a stricter shape there, the scorer's penalties
        for such names, lost a hit at a million names, where the candidate is ranked on
        its coarse estimate). Returns ``(whether it was so, the candidates)``, or None when a name is not
        one ``fold`` folds or has a variant of more than :data:`MAX_NATIVE_QUERY_TOKENS`
        tokens (call :meth:`candidates` with its :class:`NameVariant` objects). Raises
        ``RuntimeError`` when the compiled stage is not built for this index."""
        if self._core is None:
            raise RuntimeError("the compiled candidate stage is not built for this index")
        shape = shape or NameShape()
        syllabic = syllabic_shape or shape
        found: tuple[bool, list[tuple[int, float]]] | None = self._core.name_candidates(
            self._query_cache(memo if memo is not None else QueryMemo()),
            fold,
            names,
            limit,
            pool if pool is not None else 10 * limit,
            min_similarity,
            (_shape_args(shape), _shape_args(syllabic)),
            need,
            refine_margin,
            max_boost,
            native_boost,
            prune,
        )
        return found

    def batch_candidates(
        self,
        persons: Sequence[Any],
        fold: _core.FoldedNames,
        evidence: _core.Evidence | None,
        *,
        limit: int,
        min_similarity: float = 0.72,
        memo: QueryMemo | None = None,
        pool: int | None = None,
        shape: NameShape | None = None,
        need: float | None = None,
        refine_margin: float = 0.25,
        prune: tuple[float, float, float] | None = None,
        unpruned: Sequence[int] = (),
    ) -> list[list[tuple[int, float]] | None]:
        """:meth:`name_candidates` for every query of a batch (a manifest) in one compiled
        call: ``persons`` are :class:`matchers.model.Person` queries, each ranked with the
        evidence boost of its own dates of birth, nationalities and genders, read in the
        compiled stage as :meth:`matchers.Screener` reads them when ``evidence`` is given
        (the screener's ``matchers._core.Evidence``, made with its ``keys``; None: no
        boost). ``prune`` applies to each query but those at the positions in
        ``unpruned``. Returns one item per query, in order: its candidates as
        :meth:`name_candidates` gives them, or None where the query takes the Python
        path (a value only Python reads: call :meth:`candidates`). Raises
        ``RuntimeError`` when the compiled stage is not built for this index and
        ``ValueError`` for evidence made without keys (at the first query whose names
        the compiled stage folds)."""
        if self._core is None:
            raise RuntimeError("the compiled candidate stage is not built for this index")
        shape_args = _shape_args(shape or NameShape())
        found: list[list[tuple[int, float]] | None] = self._core.batch_candidates(
            self._query_cache(memo if memo is not None else QueryMemo()),
            fold,
            persons,
            limit,
            pool if pool is not None else 10 * limit,
            min_similarity,
            (shape_args, shape_args),
            need,
            refine_margin,
            evidence,
            prune,
            list(unpruned),
        )
        return found

    def _compiled_candidates(
        self,
        queries: Sequence[tuple[Sequence[str], Sequence[str]]],
        limit: int,
        pool: int,
        min_similarity: float,
        memo: QueryMemo,
        shape: NameShape,
        need: float | None,
        refine_margin: float,
        max_boost: float,
        native_boost: NativeBoost | None,
        prune: tuple[float, float, float] | None,
        syllables: Sequence[Sequence[bool]] | None = None,
    ) -> list[tuple[int, float]]:
        given = [k for k, q in enumerate(queries) if q[0]]
        result: list[tuple[int, float]] = self._core.text_candidates(
            self._query_cache(memo),
            [queries[k] for k in given],
            limit,
            pool,
            min_similarity,
            _shape_args(shape),
            need,
            refine_margin,
            max_boost,
            native_boost,
            prune,
            None if syllables is None else [list(syllables[k]) for k in given],
        )
        return result

    def _variant_candidates(
        self,
        variant: NameVariant,
        pool: int,
        fill: int,
        min_similarity: float,
        memo: QueryMemo | None,
        boost: Callable[[int], float] | None,
        shape: NameShape,
        need: float | None = None,
        refine_margin: float = 0.25,
        max_boost: float = 1.0,
    ) -> list[tuple[int, float]]:
        toks = variant.tokens
        n = len(toks)
        if n == 0:
            return []
        weights = [self.token_weight(t.text, memo) for t in toks]
        strong: list[frozenset[int]] = []
        every: list[frozenset[int]] = []
        joined: list[frozenset[int]] = []
        for t in toks:
            s, e = self._token_sets(t, min_similarity, memo)
            # a query token written as two listed tokens joined (WEIJIE vs WEI JIE)
            j = frozenset(_lookup(self._joins, key_hash(t.text)))
            strong.append(s)
            every.append(e | j if j else e)
            joined.append(j)
        covered: set[int] = set()
        for i, k in combinations(range(n), 2):
            covered |= every[i] & every[k]
        via_joins: set[int] = set()
        for j in joined:
            via_joins |= j
        pair_sets: list[frozenset[int]] = []
        for a, b in pairwise(toks):
            ps = self._join_records(a.text + b.text, min_similarity, memo)
            pair_sets.append(ps)
            via_joins |= ps
        covered |= via_joins
        if n == 1:
            covered |= {r for r in every[0] if self._rec_start[r + 1] - self._rec_start[r] == 1}
        maps = [self._neighbour_map(t, min_similarity, memo) for t in toks]
        q_texts = [t.text for t in toks]
        # query token position -> how many earlier tokens have the same text (AHMED AHMED)
        repeats = {i: q_texts[:i].count(q_texts[i]) + 1 for i in range(n) if q_texts[i] in q_texts[:i]}
        total_w = _plain_sum(weights)
        start = self._rec_start
        person = self._rec_person

        def estimate(rid: int) -> float:
            # coarse name-score estimate from set membership, in the scorer's shape:
            # matched query weight over itself plus the leftover penalties
            m = mw = 0.0
            k = 0
            for i in range(n):
                if i in repeats and repeats[i] > self._count_neighbours(rid, maps[i]):
                    continue  # a repeated query token needs a listed token of its own
                if rid in strong[i]:
                    m += weights[i]
                    mw += weights[i]
                    k += 1
                elif joined[i] and rid in joined[i]:
                    m += weights[i]
                    mw += weights[i]
                    k += 2  # one query token, two listed tokens
                elif rid in every[i]:
                    m += 0.85 * weights[i]
                    mw += weights[i]
                    k += 1
            for i, ps in enumerate(pair_sets):
                if rid in ps and 0.9 * (weights[i] + weights[i + 1]) > m:
                    m = 0.9 * (weights[i] + weights[i + 1])
                    mw = weights[i] + weights[i + 1]
                    k = max(k, 1)
            if mw == 0.0:
                return 0.0
            left = max(0, start[rid + 1] - start[rid] - k)
            return m / (mw + shape.extra_penalty * (total_w - mw) + shape.absent_penalty * left)

        # with ``need``: a record meeting the query on one token only (a "single") whose
        # coarse estimate, at the largest boost, cannot come within ``refine_margin`` of
        # it is dropped before the boost and the alignment, unless either name has an
        # initial or a token without vowels (rescues the coarse estimate cannot see)
        loose_q = need is None or _loose(toks)
        loose_c = self._rec_loose
        scored = [(rid, estimate(rid)) for rid in covered]
        room = fill - len(scored)
        if room > 0:
            union = frozenset().union(*every)
            if len(union) <= _FILL_UNION_CAP:
                # single-token matches: below single_token_cap unless a leftover pair
                # the keys do not reach aligns (two edits in a long token); the best
                # ``fill`` of them when there is room
                bar = -1.0 if need is None else (need - refine_margin) / max_boost
                singles = sorted(
                    (
                        (rid, 0.5 * coarse)
                        for rid in union - covered
                        if (coarse := estimate(rid)) >= bar or loose_q or loose_c[rid]
                    ),
                    key=lambda kv: (-kv[1], kv[0]),
                )
                scored += singles[:room]
        factors: dict[int, float] = {}
        if boost is not None:
            for rid, _est in scored:
                pos = person[rid]
                if pos not in factors:
                    factors[pos] = boost(pos)
            scored = [(rid, est * factors[person[rid]]) for rid, est in scored]
        scored.sort(key=lambda kv: (-kv[1], kv[0]))
        head = scored[:pool]
        barred: set[int] = set()
        if not loose_q:
            # the same test after the boost; a barred record of a person that keeps
            # another record stays a candidate, unaligned, at its first-stage value (the
            # scorer compares the person's candidate names only)
            bar = need - refine_margin  # type: ignore[operator]
            barred = {rid for rid, est in head if rid not in covered and not loose_c[rid] and 2.0 * est < bar}
            keep = {person[rid] for rid, _est in head if rid not in barred}
            head = [(rid, est) for rid, est in head if person[rid] in keep]
        refined: list[tuple[int, float]] = []
        for rid, est in head:
            if rid in barred:
                refined.append((rid, est))
                continue
            est2 = self._align_estimate(rid, maps, q_texts, weights, min_similarity, shape)
            if boost is not None:
                est2 *= factors[person[rid]]
            if rid in via_joins:
                est2 = max(est2, est)  # joined units are outside the token alignment
            refined.append((rid, est2))
        refined.sort(key=lambda kv: (-kv[1], kv[0]))
        return refined

    def _neighbour_map(self, tok: Token, min_similarity: float, memo: QueryMemo | None) -> dict[int, float]:
        mkey = (tok.text, tok.core, tok.syllable)
        if memo is not None:
            hit = memo.neighbour_maps.get(mkey)
            if hit is not None:
                return hit
        out = dict(self.neighbours(tok, min_similarity, memo))
        if memo is not None:
            memo.neighbour_maps[mkey] = out
        return out

    def _count_neighbours(self, rid: int, neighbour_map: dict[int, float]) -> int:
        """How many of record ``rid``'s tokens are in ``neighbour_map``."""
        return sum(1 for t in self._rec_tids[self._rec_start[rid] : self._rec_start[rid + 1]] if t in neighbour_map)

    def _align_estimate(
        self,
        rid: int,
        maps: list[dict[int, float]],
        q_texts: list[str],
        q_weights: list[float],
        min_similarity: float,
        shape: NameShape,
    ) -> float:
        """Name-score estimate of record ``rid`` (0.0–1.0): greedy one-to-one alignment
        of query tokens (``maps``: listed token id -> similarity) with the record's
        tokens, weighted mean similarity over pairs, leftover tokens penalised as
        :func:`matchers.scoring.score_name` does (contradicted, absent, extra), capped
        at ``shape.single_token_cap`` with fewer than two pairs."""
        tids = self._rec_tids[self._rec_start[rid] : self._rec_start[rid + 1]]
        options = []
        for i, nb in enumerate(maps):
            for j, t in enumerate(tids):
                sim = nb.get(t)
                if sim is not None:
                    options.append((sim, i, j))
        if not options:
            return 0.0
        options.sort(reverse=True)
        tid_w = self._tid_w
        c_weights = [tid_w[t] for t in tids]
        used_q = used_c = 0
        total = weight = 0.0
        pairs = 0
        for sim, i, j in options:
            if (used_q >> i) & 1 or (used_c >> j) & 1:
                continue
            used_q |= 1 << i
            used_c |= 1 << j
            w = (q_weights[i] + c_weights[j]) / 2.0
            total += sim * w
            weight += w
            pairs += 1
        nq, nc = len(maps), len(tids)
        if pairs < nq and pairs < nc:
            # leftovers on both sides: the scorer may still align them where the keys do
            # not reach (an initial, two edits in a long token, a token against two
            # adjacent tokens joined with an edit: HOFJIN vs HO JIN)
            texts = self._texts
            q_units: list[tuple[tuple[int, ...], str]] = [
                ((i,), q_texts[i]) for i in range(nq) if not (used_q >> i) & 1
            ]
            q_units += [
                ((i, i + 1), q_texts[i] + q_texts[i + 1])
                for i in range(nq - 1)
                if not (used_q >> i) & 1 and not (used_q >> (i + 1)) & 1
            ]
            c_units: list[tuple[tuple[int, ...], str]] = [
                ((j,), texts[tids[j]]) for j in range(nc) if not (used_c >> j) & 1
            ]
            c_units += [
                ((j, j + 1), texts[tids[j]] + texts[tids[j + 1]])
                for j in range(nc - 1)
                if not (used_c >> j) & 1 and not (used_c >> (j + 1)) & 1
            ]
            rescue = []
            for qi, qs in q_units:
                for cj, cs in c_units:
                    single = len(qi) == 1 and len(cj) == 1
                    if single and (len(qs) == 1 or len(cs) == 1):
                        if qs[0] != cs[0]:
                            continue
                    elif abs(len(qs) - len(cs)) > 2 or (single and min(len(qs), len(cs)) < 6):
                        continue  # one edit is keyed already; two edits need 6+ letters
                    sim, rule = self._similarity(qs, cs)
                    if sim < min_similarity or (not single and rule in ("initial", "none")):
                        continue
                    if len(qi) == 2 and len(cj) == 2 and rule != "edit":
                        continue
                    rescue.append((sim, len(qi) + len(cj), qi, cj, rule))
            rescue.sort(key=lambda o: (-o[0], -o[1]))
            for sim, _n, qi, cj, rule in rescue:
                if any((used_q >> i) & 1 for i in qi) or any((used_c >> j) & 1 for j in cj):
                    continue
                for i in qi:
                    used_q |= 1 << i
                for j in cj:
                    used_c |= 1 << j
                w = (_plain_sum(q_weights[i] for i in qi) + _plain_sum(c_weights[j] for j in cj)) / 2.0
                total += sim * w
                weight += w
                if rule != "initial":
                    pairs += max(len(qi), len(cj))
        left_q = sorted(((q_weights[i], len(q_texts[i])) for i in range(nq) if not (used_q >> i) & 1), reverse=True)
        left_c = sorted(
            ((c_weights[j], len(self._texts[tids[j]])) for j in range(nc) if not (used_c >> j) & 1), reverse=True
        )
        k = min(len(left_q), len(left_c))
        penalty = 0.0
        for (wq, lq), (wc, lc) in zip(left_q[:k], left_c[:k], strict=True):
            # a syllable of 2-3 letters may join a neighbour in the scorer's alignment
            # (YU ORO vs YU RO): counted as absent, not contradicted
            factor = shape.absent_penalty if min(lq, lc) <= 3 else shape.contradicted_penalty
            penalty += factor * (wq + wc) / 2.0
        penalty += shape.absent_penalty * _plain_sum(w for w, _ in left_c[k:])
        penalty += shape.extra_penalty * _plain_sum(w for w, _ in left_q[k:])
        est = total / (weight + penalty)
        if pairs < 2 and nq > 1 and nc > 1:
            # (with one token on one side, only a joined unit on the other can make the
            # second match: left to the scorer)
            est = min(est, shape.single_token_cap)
        return est
