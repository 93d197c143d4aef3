"""Feature scoring: names (order-insensitive token alignment), date of birth,
nationality, gender and travel documents; and their combination into one 0.0–1.0 score.

One function per feature; each returns a :class:`Feature` whose ``result`` is
``match``, ``partial``, ``mismatch`` or ``unknown`` together with the values compared.
``unknown`` never adds evidence (field case 13). String metrics come from RapidFuzz
(``OSA`` edit distance, counted in characters) and are mapped to 0.0–1.0 here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import OSA

from matchers.dates import compare_dob
from matchers.index import SPELLING_RULES, _plain_sum, phonetic_key
from matchers.model import DateSpec, DocumentKey, MatchConfig
from matchers.normalise import (
    KNOWN_VARIANTS,
    PARTICLES,
    SUFFIXES,
    WILDCARD,
    NameVariant,
    Token,
    canonical_document_number,
    consonant_skeleton,
    is_patronymic,
    is_unvowelled,
    lookalike_document_number,
    normalise_country,
    normalise_gender,
    particle_class,
    variant_key,
)

try:
    from matchers._core import Similarity as _Similarity
except ImportError:  # the compiled stage is not built: the Python reference runs
    _Similarity = None  # type: ignore[assignment,misc]
try:
    from matchers._core import NameForm as _NameForm
    from matchers._core import NameScorer as _NameScorer
except ImportError:  # not built (or built without the name scorer): score_name alone runs
    _NameForm = _NameScorer = None  # type: ignore[assignment,misc]

MATCH, PARTIAL, MISMATCH, UNKNOWN = "match", "partial", "mismatch", "unknown"


@dataclass(frozen=True, slots=True)
class Feature:
    """One feature comparison: ``result`` (``match``/``partial``/``mismatch``/
    ``unknown``), ``detail`` (precision or rule, e.g. ``day``, ``lookalike_O0``), the
    ``query``/``candidate`` values compared (JSON-serialisable) and ``flags`` that qualify
    the result (``ambiguous_century``: a two-digit birth year whose century was open,
    field case 06)."""

    result: str
    detail: str | None = None
    query: Any = None
    candidate: Any = None
    flags: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON-serialisable form for explanations: ``result``, ``detail``, ``query``,
        ``candidate``, and ``flags`` (a list) only when there are any."""
        out: dict[str, Any] = {
            "result": self.result,
            "detail": self.detail,
            "query": self.query,
            "candidate": self.candidate,
        }
        if self.flags:
            out["flags"] = list(self.flags)
        return out


# --- names -------------------------------------------------------------------------



def _wildcard_similarity(a: str, b: str) -> float:
    """``a`` and ``b`` equal where neither has a :data:`~matchers.normalise.WILDCARD`:
    0.9 for one wildcard, 0.1 less for each further one (never full agreement), 0.0
    when they differ elsewhere, have other lengths or fewer than two known letters."""
    if len(a) != len(b):
        return 0.0
    known = 0
    wild = 0
    for x, y in zip(a, b, strict=True):
        if x == WILDCARD or y == WILDCARD:
            wild += 1
        elif x != y:
            return 0.0
        else:
            known += 1
    return max(0.0, 0.9 - 0.1 * (wild - 1)) if known >= 2 else 0.0


@lru_cache(maxsize=1_000_000)
def string_similarity(a: str, b: str) -> tuple[float, str]:
    """Similarity 0.0–1.0 of two normalised ``A–Z`` strings and the rule that gave it
    (memoised; computed by the compiled port ``matchers._core.Similarity`` when it is
    built, else by :func:`python_string_similarity`, the reference: the same values for
    any strings, tested, except that the port raises ``UnicodeEncodeError`` for a lone
    surrogate, which normalised names never hold).

    ``exact`` 1.0; two spellings of one name in :data:`matchers.normalise.KNOWN_VARIANTS`
    (MOHAMMED/MUHAMMAD) ``known_variant`` 0.95; a :data:`~matchers.normalise.WILDCARD`
    (MA?TA/MARTA) ``wildcard`` 0.9 (less for several); one-letter initial vs a name
    starting with it ``initial`` 0.9; a token without vowels whose consonants are those
    of the other (MHMD/MOHAMED, :func:`consonant_skeleton`) ``skeleton`` 0.9; tokens of
    1–2 letters otherwise strict (0.0); one edit (OSA: substitution, insertion,
    deletion, adjacent transposition) ``edit`` 0.85 — also for 3–4 letter names
    (JON/JOHN, field case 10) — rising with the length ``n`` of the longer token as
    ``1 - 0.8/n`` up to 0.89 (from 8 letters on); two edits in names of 6+ letters
    ``edit`` ``1 - 2/n``, from 9 letters on ``1 - 1.6/n`` up to 0.85; equal Metaphone
    key with the same first letter ``phonetic`` 0.8; else 0.0.
    """
    if _COMPILED_SIMILARITY is not None:
        return _COMPILED_SIMILARITY(a, b)
    return python_string_similarity(a, b)


def python_string_similarity(a: str, b: str) -> tuple[float, str]:
    """:func:`string_similarity` in Python (not memoised): the reference of the port."""
    if a == b:
        return 1.0, "exact"
    ka = variant_key(a)
    if ka is not None and ka == variant_key(b):
        return 0.95, "known_variant"
    la, lb = len(a), len(b)
    if WILDCARD in a or WILDCARD in b:
        wsim = _wildcard_similarity(a, b)
        if wsim > 0.0:
            return wsim, "wildcard"
    if la == 1 or lb == 1:
        if (la == 1 and b.startswith(a)) or (lb == 1 and a.startswith(b)):
            return 0.9, "initial"
        return 0.0, "none"
    if is_unvowelled(a) != is_unvowelled(b) and min(la, lb) >= 3:
        skel = consonant_skeleton(a)
        if len(skel) >= 2 and skel == consonant_skeleton(b):
            return 0.9, "skeleton"
    if min(la, lb) <= 2:
        return 0.0, "none"
    d = OSA.distance(a, b, score_cutoff=2)
    sim, rule = 0.0, "none"
    if d == 1:
        # one edit weighs less in a longer token; below 0.9 so that a misspelt name
        # stays review level even with DOB agreement (field case 11)
        sim, rule = min(0.89, max(0.85, 1.0 - 0.8 / max(la, lb))), "edit"
    elif d == 2 and min(la, lb) >= 6:
        # two edits: 1 - 2/n below 9 letters, 1 - 1.6/n from 9 on (0.82 to 0.85)
        n = max(la, lb)
        sim, rule = min(0.85, 1.0 - (2.0 if n < 9 else 1.6) / n), "edit"
    if sim < 0.8 and a[0] == b[0] and min(la, lb) >= 3:
        pa, pb = phonetic_key(a), phonetic_key(b)
        if pa and pa == pb:
            sim, rule = 0.8, "phonetic"
    return sim, rule


_COMPILED_SIMILARITY = None if _Similarity is None else _Similarity(KNOWN_VARIANTS, phonetic_key)


_REASONS = {
    "edit": "spelling_variant",
    "phonetic": "phonetic_match",
    "initial": "initial_matched",
    "skeleton": "consonant_skeleton",
    "wildcard": "unknown_character",
}
"""Reason code of a pair rule in explanations (other rules are their own code)."""

_SPELLING_RULES = SPELLING_RULES
"""Rules of :func:`string_similarity` that read a token as a misspelling of another
(:data:`matchers.index.SPELLING_RULES`: the candidate index mirrors the rule)."""


def token_similarity(a: Token, b: Token) -> tuple[float, str]:
    """Similarity of two tokens (see :func:`string_similarity`), also trying their
    particle-free cores (:func:`matchers.normalise.particle_class`): the cores' similarity
    × 0.95 when the particles are of one class or an article is dropped (``HADDADIN``
    vs ``ALHADDADIN``, ``BINLADEN`` vs ``IBNLADIN``: ``particle_dropped``), × 0.8 when
    a kinship or theophoric particle is dropped or differs (``MOHAMMAD`` vs
    ``ABDULMOHAMMAD``, ``BINSALMAN`` vs ``SALMAN``: ``particle_differs``)."""
    sim, rule = string_similarity(a.text, b.text)
    if (a.syllable or b.syllable) and rule in _SPELLING_RULES:
        # one letter apart are other syllables (YONG/JONG/SONG), not misspellings
        return 0.0, "none"
    if sim < 1.0 and (a.core != a.text or b.core != b.text) and min(len(a.core), len(b.core)) >= 3:
        csim, crule = string_similarity(a.core, b.core)
        if crule != "initial":
            pa, pb = particle_class(a), particle_class(b)
            same = pa == pb or ("article" in (pa, pb) and "" in (pa, pb))
            factor, prule = (0.95, "particle_dropped") if same else (0.8, "particle_differs")
            if csim * factor > sim:
                return csim * factor, prule
    return sim, rule


@dataclass(frozen=True, slots=True)
class _Unit:
    idx: tuple[int, ...]
    text: str
    fields: str


@lru_cache(maxsize=100_000)
def _units(tokens: tuple[Token, ...]) -> tuple[_Unit, ...]:
    units = [_Unit((i,), t.text, t.field) for i, t in enumerate(tokens)]
    for i in range(len(tokens) - 1):
        a, b = tokens[i], tokens[i + 1]
        units.append(_Unit((i, i + 1), a.text + b.text, a.field + b.field))
    return tuple(units)


_Option = tuple[float, int, int, _Unit, _Unit, str]


def _surname_missed(tokens: tuple[Token, ...], used: set[int]) -> bool:
    """A structured name has surname tokens and none of them is aligned."""
    surname = [i for i, t in enumerate(tokens) if t.field == "s"]
    return bool(surname) and used.isdisjoint(surname)


def _leftover_weight(token: Token) -> float:
    """Share of a token's weight that counts when the other name lacks it."""
    return 0.5 if len(token.text) == 1 or is_patronymic(token.text) else 1.0


def _has_initial(tokens: tuple[Token, ...], unit: _Unit) -> bool:
    return any(len(tokens[i].text) == 1 for i in unit.idx)


def _joins_fields(tokens: tuple[Token, ...], unit: _Unit) -> bool:
    """A joined unit of a surname and a given name, not a particle and its name."""
    return len(set(unit.fields) - {"n"}) > 1 and tokens[unit.idx[0]].text not in PARTICLES


def _has_syllable(tokens: tuple[Token, ...], unit: _Unit) -> bool:
    return any(tokens[i].syllable for i in unit.idx)


@dataclass
class NameScore:
    """Result of aligning a query name with a listed name: ``score`` 0.0–1.0 (0.0 and
    ``result`` ``unknown`` when either side has no tokens), the aligned ``pairs``, the
    listed tokens ``absent`` from or ``contradicted`` by the query, the query's ``extra``
    tokens, and ``reasons`` (reason codes)."""

    score: float
    result: str
    pairs: list[dict[str, Any]] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    contradicted: list[list[str]] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-serialisable form for explanations."""
        return {
            "score": round(self.score, 4),
            "result": self.result,
            "pairs": self.pairs,
            "absent": self.absent,
            "contradicted": self.contradicted,
            "extra": self.extra,
            "reasons": self.reasons,
        }


def score_name(
    query: NameVariant,
    candidate: NameVariant,
    query_weights: Sequence[float],
    candidate_weights: Sequence[float],
    config: MatchConfig,
) -> NameScore:
    """Order-insensitive alignment of two normalised names.

    Token pairs (and a token against two adjacent tokens joined, for lost spaces; two
    joined pairs only when they differ by an edit, TONG HU vs TONG HO; never an initial
    or a Chinese/Korean syllable joined into a misspelling) are aligned greedily by
    similarity (:func:`token_similarity`), and once more with joined units first when
    there are any (AEBDUL RAHMAN vs ABDULRAHMAN); the better of the two alignments
    counts. The score is the weighted mean similarity of the aligned pairs, where the
    denominator also carries a small penalty per listed token absent from the query
    (``absent_penalty``) and per extra query token (``extra_penalty``) — a name one side
    leaves out, as passports and lists both do; ``contradicted_penalty`` instead when
    either name is Chinese or Korean syllables (a given name is its syllables together)
    — and a large one per listed token contradicted by a different query token
    (``contradicted_penalty``, ``surname_contradicted_penalty`` for a structured
    surname; a contradicting initial weighs as a rare token, field case 10). Weights
    (0.3–1.0, rarity in the index) are per token. Fewer than two tokens in common, not
    counting initials unless a full token matched too (a joined pair counts its two
    tokens, except a surname joined to a given name), caps the score at
    ``single_token_cap`` (a shared common first name alone never alerts) unless both
    names are a single token. A surname/given swap between
    structured names costs ``swap_penalty`` and is reported as ``order_swapped``.
    """
    qt, ct = query.tokens, candidate.tokens
    if not qt or not ct:
        return NameScore(0.0, UNKNOWN, reasons=["uncomparable_name"])
    options: list[_Option] = []
    for qu in _units(qt):
        for cu in _units(ct):
            if len(qu.idx) == 1 and len(cu.idx) == 1:
                sim, rule = token_similarity(qt[qu.idx[0]], ct[cu.idx[0]])
            else:
                sim, rule = string_similarity(qu.text, cu.text)
                if rule in ("initial", "none"):
                    continue
                if rule != "exact" and _has_initial(qt, qu) | _has_initial(ct, cu):
                    # an initial is a letter, not a spelling: A KHAMENEI is not one
                    # edit from KHAMENEI, THOMAS A not one edit from THOMAS
                    continue
                if rule in _SPELLING_RULES and _has_syllable(qt, qu) | _has_syllable(ct, cu):
                    continue
                if len(qu.idx) == 2 and len(cu.idx) == 2 and rule != "edit":
                    # two joined pairs only for an edit spanning a short syllable
                    # (TONG HU vs TONG HO); equal pairs align token by token
                    continue
                if rule == "edit":
                    # edits over two tokens are edits in a shorter token: the length of
                    # the join adds no certainty (one edit 0.85, two at most 0.8)
                    sim = min(sim, 0.85 if OSA.distance(qu.text, cu.text, score_cutoff=2) == 1 else 0.8)
                rule = "tokens_joined" if rule == "exact" else "tokens_joined_" + rule
            if sim < config.token_min_similarity:
                continue
            same_field = int(qu.fields[0] == cu.fields[0])
            options.append((sim, len(qu.idx) + len(cu.idx), same_field, qu, cu, rule))
    options.sort(key=lambda o: (-o[0], -o[1], -o[2]))
    best = _align(query, candidate, options, query_weights, candidate_weights, config)
    if any(o[1] > 2 for o in options):
        # a lost or added space (AEBDUL RAHMAN vs ABDULRAHMAN, YU ORO vs YU RO): greedy
        # by similarity may spend a token on a weaker single pair; try joins first too
        joined_first = sorted(options, key=lambda o: (-(o[1] > 2), -o[0], -o[2]))
        other = _align(query, candidate, joined_first, query_weights, candidate_weights, config)
        if other.score > best.score:
            best = other
    return best


def _align(
    query: NameVariant,
    candidate: NameVariant,
    options: Sequence[_Option],
    query_weights: Sequence[float],
    candidate_weights: Sequence[float],
    config: MatchConfig,
) -> NameScore:
    qt, ct = query.tokens, candidate.tokens
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[dict[str, Any]] = []
    total = weight = 0.0
    full_matches = initials = 0
    cross = same = 0
    rules: set[str] = set()
    lineage: set[str] = set()  # which side wrote a "child of" particle the other lacks
    for sim, _n, _sf, qu, cu, rule in options:
        if used_q.intersection(qu.idx) or used_c.intersection(cu.idx):
            continue
        used_q.update(qu.idx)
        used_c.update(cu.idx)
        wq = sum(query_weights[i] for i in qu.idx)
        wc = sum(candidate_weights[i] for i in cu.idx)
        w = (wq + wc) / 2.0
        total += sim * w
        weight += w
        if rule != "initial":
            # a joined pair (ABU RUSDAN = ABURUSDAN) carries both of its tokens, unless
            # it joins a surname to a given name (VIK, TOR is not VIKTOR twice)
            mixed = _joins_fields(qt, qu) or _joins_fields(ct, cu)
            full_matches += 1 if mixed else max(len(qu.idx), len(cu.idx))
        else:
            initials += 1
        if rule == "particle_differs" and len(qu.idx) == 1 and len(cu.idx) == 1:
            pq, pc = particle_class(qt[qu.idx[0]]), particle_class(ct[cu.idx[0]])
            if "child_of" in (pq, pc) and pq != pc:
                lineage.add("query" if pq == "child_of" else "candidate")
        rules.add(rule)
        for qf in qu.fields:
            for cf in cu.fields:
                if "n" in (qf, cf):
                    continue
                if qf == cf:
                    same += 1
                else:
                    cross += 1
        pairs.append(
            {
                "query": " ".join(qt[i].text for i in qu.idx),
                "candidate": " ".join(ct[i].text for i in cu.idx),
                "similarity": round(sim, 4),
                "rule": rule,
            }
        )
    # a generational suffix one name has and the other lacks (Al Lawson, Jr.) is no
    # evidence either way
    un_c = sorted(
        (i for i in range(len(ct)) if i not in used_c and ct[i].text not in SUFFIXES),
        key=lambda i: -candidate_weights[i],
    )
    un_q = sorted(
        (i for i in range(len(qt)) if i not in used_q and qt[i].text not in SUFFIXES), key=lambda i: -query_weights[i]
    )
    n_q = len(qt) - sum(1 for i in range(len(qt)) if i not in used_q and qt[i].text in SUFFIXES)
    n_c = len(ct) - sum(1 for i in range(len(ct)) if i not in used_c and ct[i].text in SUFFIXES)
    penalty = 0.0
    contradicted: list[list[str]] = []
    k = min(len(un_c), len(un_q))
    for ci, qi in zip(un_c[:k], un_q[:k], strict=True):
        fld = ct[ci].field
        factor = (
            config.surname_contradicted_penalty
            if fld == "s"
            else config.contradicted_penalty
            if fld == "g"
            else (config.surname_contradicted_penalty + config.contradicted_penalty) / 2.0
        )
        # an initial that contradicts is a whole contradiction (field case 10): its
        # weight is that of a rare token, however frequent the letter is in the list
        wq = 1.0 if len(qt[qi].text) == 1 else query_weights[qi]
        wc = 1.0 if len(ct[ci].text) == 1 else candidate_weights[ci]
        penalty += factor * (wc + wq) / 2.0
        contradicted.append([qt[qi].text, ct[ci].text])
    absent = un_c[k:]
    extra = un_q[k:]
    absent_factor, extra_factor = config.absent_penalty, config.extra_penalty
    if any(t.syllable for t in qt) or any(t.syllable for t in ct):
        # a Chinese or Korean given name is its syllables together: one left out is
        # another given name (HAN YU is not HAN YU RO), not an omitted middle name
        absent_factor = extra_factor = config.contradicted_penalty
    # a structured surname of which no token aligned is not an omitted name: the
    # person's surname is missing from the other name (WILLIAMS, TAYLOR CHARLES vs
    # TAYLOR, CHARLES), so its tokens count as contradicted
    q_surname_missed = _surname_missed(qt, used_q)
    c_surname_missed = _surname_missed(ct, used_c)
    # an initial or a patronymic one side has and the other lacks says little
    # (THOMAS A LINDEMANN; passports without the patronymic a list carries); summed left
    # to right (the built-in sum compensates rounding from Python 3.12 on)
    penalty += _plain_sum(
        (config.contradicted_penalty if c_surname_missed and ct[i].field == "s" else absent_factor)
        * candidate_weights[i]
        * _leftover_weight(ct[i])
        for i in absent
    )
    penalty += _plain_sum(
        (config.contradicted_penalty if q_surname_missed and qt[i].field == "s" else extra_factor)
        * query_weights[i]
        * _leftover_weight(qt[i])
        for i in extra
    )
    score = total / (weight + penalty) if weight + penalty > 0 else 0.0
    reasons: list[str] = []
    if pairs and not absent and not extra and not contradicted and rules == {"exact"}:
        reasons.append("exact_after_normalisation")
    if any(r.startswith("tokens_joined") for r in rules):
        reasons.append("tokens_joined")
    for r in (
        "particle_dropped",
        "particle_differs",
        "known_variant",
        "edit",
        "phonetic",
        "skeleton",
        "wildcard",
        "initial",
    ):
        if r in rules or (r in ("skeleton", "wildcard") and "tokens_joined_" + r in rules):
            reasons.append(_REASONS.get(r, r))
    if query.structured and candidate.structured and cross > same:
        reasons.append("order_swapped")
        score -= config.swap_penalty
    if absent:
        fields = {ct[i].field for i in absent}
        if "g" in fields:
            reasons.append("given_name_omitted")
        if "s" in fields:
            reasons.append("surname_omitted")
        if "n" in fields:
            reasons.append("tokens_omitted")
        if not contradicted and not extra:
            reasons.append("name_subset")
    if len(lineage) == 2:
        # X BIN Y against Y BIN X: the father's and the son's names swapped places,
        # another person (not a spelling); counts as a contradiction
        reasons.append("lineage_swapped")
        score *= config.lineage_swap_factor
    if contradicted:
        reasons.append("name_contradicted")
    if extra:
        reasons.append("extra_tokens")
    if full_matches + min(initials, full_matches) < 2 and not (n_q == 1 and n_c == 1):
        reasons.append("single_token_only")
        score = min(score, config.single_token_cap)
    score = max(0.0, min(1.0, score))
    result = MATCH if score >= 0.999 else PARTIAL if pairs else MISMATCH
    return NameScore(
        score,
        result,
        pairs=pairs,
        absent=[ct[i].text for i in absent],
        contradicted=contradicted,
        extra=[qt[i].text for i in extra],
        reasons=reasons,
    )


@lru_cache(maxsize=50_000)
def name_form(variant: NameVariant) -> Any:
    """``variant`` compiled for :func:`name_scorer`'s scorer (``matchers._core.NameForm``):
    per token its text, core, field and syllable flag, what
    :mod:`matchers.normalise` says of it (:func:`~matchers.normalise.particle_class`, in
    :data:`~matchers.normalise.SUFFIXES`, in :data:`~matchers.normalise.PARTICLES`, its
    leftover weight by :func:`~matchers.normalise.is_patronymic`), and the Metaphone
    keys (:func:`matchers.index.phonetic_key`) of its tokens, cores and adjacent tokens
    joined. Memoised by value (the index makes a new :class:`NameVariant` per record
    read, of shared tokens): about 0.75 kB per form held, 50,000 at most. Raises
    ``RuntimeError`` when ``matchers._core`` is not built with the name scorer
    (:func:`name_scorer` is then ``None``)."""
    similarity = _COMPILED_SIMILARITY
    if _NameForm is None or similarity is None:
        raise RuntimeError("matchers._core is not built with the name scorer")
    tokens = [
        (
            t.text,
            t.core,
            t.field,
            t.syllable,
            particle_class(t),
            _leftover_weight(t),
            t.text in SUFFIXES,
            t.text in PARTICLES,
        )
        for t in variant.tokens
    ]
    return _NameForm(similarity, tokens, variant.structured)


def compiled_name_form(variant: NameVariant) -> Any | None:
    """:func:`name_form` of ``variant``, made anew (not memoised), or ``None`` when
    ``matchers._core`` is not built with the name scorer: for a caller that keeps the
    forms of the names it scores itself."""
    if _NameForm is None or _COMPILED_SIMILARITY is None:
        return None
    form: Any = name_form.__wrapped__(variant)
    return form


def name_scorer(config: MatchConfig) -> Any | None:
    """The compiled :func:`score_name` score for ``config`` (``matchers._core.NameScorer``,
    one per distinct set of the constants it reads; ``None`` when ``matchers._core`` is
    not built with it). ``scorer.score(query, candidate, query_weights,
    candidate_weights)`` takes two :func:`name_form` values and one weight (0.3–1.0) per
    token of each, and returns the very float ``score_name(...).score`` returns (a port,
    tested bit for bit); ``scorer.best(queries, query_weights, candidates,
    candidate_weights)`` returns ``(query index, candidate index, score)`` of the best
    pair (see :func:`best_name`). Both raise ``ValueError`` for weights that are not one
    per token or are NaN."""
    if _NameScorer is None:
        return None
    return _name_scorer(
        (
            config.token_min_similarity,
            config.absent_penalty,
            config.extra_penalty,
            config.contradicted_penalty,
            config.surname_contradicted_penalty,
            config.swap_penalty,
            config.lineage_swap_factor,
            config.single_token_cap,
        )
    )


@lru_cache(maxsize=64)
def _name_scorer(constants: tuple[float, float, float, float, float, float, float, float]) -> Any:
    similarity = _COMPILED_SIMILARITY
    if _NameScorer is None or similarity is None:
        raise RuntimeError("matchers._core is not built with the name scorer")
    return _NameScorer(similarity, constants)


def best_name(
    queries: Sequence[NameVariant],
    query_weights: Sequence[Sequence[float]],
    candidates: Sequence[NameVariant],
    candidate_weights: Sequence[Sequence[float]],
    config: MatchConfig,
    floor: float | None = None,
    *,
    query_forms: Sequence[Any] | None = None,
    candidate_forms: Sequence[Any] | None = None,
) -> tuple[int, int, NameScore] | None:
    """The best of ``queries`` × ``candidates`` by :func:`score_name`: ``(query index,
    candidate index, its NameScore)``; ``None`` when its score is below ``floor`` (None:
    no floor). Query names outer, candidates inner; the first pair unless a later one
    scores strictly higher. ``query_weights[i]`` holds one weight (0.3–1.0) per token of
    ``queries[i]``, likewise ``candidate_weights``.

    The scores are the compiled scorer's (:func:`name_scorer`) when it is built, and
    only the best pair, if it reaches ``floor``, is scored in Python for its
    explanation; else each pair is scored in Python. ``query_forms`` and
    ``candidate_forms``: the names' :func:`name_form` values when the caller holds them
    (one per name; ignored without the compiled scorer). Raises ``ValueError`` when either
    list is empty or the weight lists are not one per name; the compiled scorer also for
    a name's weights not one per token (Python raises ``IndexError`` for too few and
    ignores extra ones).
    """
    if not queries or not candidates:
        raise ValueError("no query or no candidate name")
    scorer = name_scorer(config)
    if scorer is not None:
        if query_forms is None:
            query_forms = [name_form(v) for v in queries]
        if candidate_forms is None:
            candidate_forms = [name_form(v) for v in candidates]
        if len(query_forms) != len(queries) or len(candidate_forms) != len(candidates):
            raise ValueError("query_forms, candidate_forms: one per name")
        qi, ci, score = scorer.best(query_forms, query_weights, candidate_forms, candidate_weights)
        if floor is not None and score < floor:
            return None
        return qi, ci, score_name(queries[qi], candidates[ci], query_weights[qi], candidate_weights[ci], config)
    best: tuple[int, int, NameScore] | None = None
    for qi, (qv, qw) in enumerate(zip(queries, query_weights, strict=True)):
        for ci, (cv, cw) in enumerate(zip(candidates, candidate_weights, strict=True)):
            ns = score_name(qv, cv, qw, cw, config)
            if best is None or ns.score > best[2].score:
                best = qi, ci, ns
    assert best is not None
    return None if floor is not None and best[2].score < floor else best


# --- other features ----------------------------------------------------------------


def dob_feature(query: tuple[DateSpec, ...], candidate: tuple[DateSpec, ...], config: MatchConfig) -> Feature:
    """Date of birth compared as dates (:func:`matchers.dates.compare_dob`): ``detail``
    is the precision of a match (``day``/``month``/``year``) or ``range``/``approximate``/
    ``day_month_swapped``; ``flags`` holds ``ambiguous_century`` when the deciding date is
    one reading of a two-digit year whose century was open (field case 06: the reading
    that agrees counts)."""
    res = compare_dob(query, candidate, approximate_years=config.approximate_years)
    flags = ("ambiguous_century",) if res.ambiguous_century and res.result != UNKNOWN else ()
    return Feature(res.result, res.precision, res.query, res.candidate, flags)


def nationality_feature(query: Sequence[str], candidate: Sequence[str]) -> Feature:
    """Nationality (ISO 3166 alpha-3; PAXLST ``NAT+2``, list nationality/citizenship):
    ``match`` when the sets share a code, ``mismatch`` when both are known and disjoint,
    ``unknown`` otherwise (``XXX`` and placeholders are unknown)."""
    q = sorted({c for c in map(normalise_country, query) if c})
    c = sorted({x for x in map(normalise_country, candidate) if x})
    if not q or not c:
        return Feature(UNKNOWN, None, q or None, c or None)
    return Feature(MATCH if set(q) & set(c) else MISMATCH, None, q, c)


def gender_feature(query: Sequence[str], candidate: Sequence[str]) -> Feature:
    """Gender (PAXLST ``ATT+2``, list gender): only ``M``/``F`` compare; ``X``/``U``
    and placeholders are ``unknown``."""
    q = sorted({g for g in map(normalise_gender, query) if g})
    c = sorted({g for g in map(normalise_gender, candidate) if g})
    if not q or not c:
        return Feature(UNKNOWN, None, q or None, c or None)
    return Feature(MATCH if set(q) & set(c) else MISMATCH, None, q, c)


DOC_ONLY_NEAR_MIN_CHARS = 6
"""A look-alike document number issued by the same country lifts a hit to review level
without name support only when its folded form (:func:`lookalike_document_number`) has
at least this many characters: short numbers collide by chance."""


def lookalike_reason(query_number: str, candidate_number: str) -> str:
    """Name the difference between two canonical document numbers that are equal under
    :func:`~matchers.normalise.lookalike_document_number` (field case 17).

    Returns ``leading_zeros`` when one number has more leading zeros than the other, then
    ``lookalike_`` and one letter–digit pair per kind of substitution (``O0``, ``I1``,
    ``S5``, ``B8``, ``Z2``, ``Q0``, ``L1``; ``OQ``/``IL`` for two letters that fold to one
    digit), sorted and joined with ``_``: ``PB0O93311`` vs ``PB0093311`` →
    ``lookalike_O0``; ``512334`` vs ``00512334`` → ``leading_zeros``; ``O512334`` vs
    ``512334`` → ``leading_zeros_lookalike_O0``; ``ZKI4S`` vs ``2K145`` →
    ``lookalike_I1_S5_Z2``. Plain ``lookalike`` when the two numbers are equal."""
    width = max(len(query_number), len(candidate_number))
    pairs: set[str] = set()
    for a, b in zip(query_number.rjust(width, "0"), candidate_number.rjust(width, "0"), strict=True):
        if a == b:
            continue
        if a.isdigit() or b.isdigit():
            pairs.add(b + a if a.isdigit() else a + b)
        else:
            pairs.add("".join(sorted((a, b))))
    parts = ["leading_zeros"] if len(query_number) != len(candidate_number) else []
    if pairs:
        parts.append("lookalike_" + "_".join(sorted(pairs)))
    return "_".join(parts) or "lookalike"


def document_feature(query: Sequence[DocumentKey], candidate: Sequence[DocumentKey]) -> Feature:
    """Travel document numbers (PAXLST ``DOC`` 1004 with ``LOC+91`` issuer, PNRGOV ``SSR
    DOCS``; list passport and ID numbers), canonicalised (field case 17).

    ``match``/``exact`` — equal canonical numbers and issuing countries equal or unknown;
    ``match``/``exact_other_country`` — equal numbers, different issuers;
    ``partial`` — equal after folding look-alike characters (O↔0, I↔1, S↔5, B↔8, Z↔2…)
    or leading zeros, ``detail`` naming the difference (:func:`lookalike_reason`:
    ``lookalike_O0``, ``leading_zeros`` …); ``mismatch`` when both sides have numbers and
    none agree (weak: people hold several documents); ``unknown`` when either side has no
    usable number (empty or ``<``-only after canonicalisation). ``query``/``candidate``
    are ``[number, issuing country]`` of the pair that decided, else the number lists.
    Preference: exact, exact with another issuer, look-alike with the same issuer,
    other look-alikes.
    """
    qd = [(canonical_document_number(d.number), normalise_country(d.issuing_country)) for d in query]
    cd = [(canonical_document_number(d.number), normalise_country(d.issuing_country)) for d in candidate]
    qd = [x for x in qd if x[0]]
    cd = [x for x in cd if x[0]]
    if not qd or not cd:
        return Feature(UNKNOWN, None, [n for n, _ in qd] or None, [n for n, _ in cd] or None)
    best = Feature(MISMATCH, None, [n for n, _ in qd], [n for n, _ in cd])
    best_rank = 0
    for qn, qc in qd:
        folded = lookalike_document_number(qn)
        for cn, cc in cd:
            if qn == cn:
                if qc is None or cc is None or qc == cc:
                    return Feature(MATCH, "exact", [qn, qc], [cn, cc])
                rank, found = 4, Feature(MATCH, "exact_other_country", [qn, qc], [cn, cc])
            elif folded and folded == lookalike_document_number(cn):
                # an all-zero number folds to "": never a look-alike of another (case 13)
                rank = 3 if qc is not None and qc == cc else 2
                found = Feature(PARTIAL, lookalike_reason(qn, cn), [qn, qc], [cn, cc])
            else:
                continue
            if rank > best_rank:
                best, best_rank = found, rank
    return best


def _same_issuer_lookalike(document: Feature) -> bool:
    """A ``partial`` document whose two numbers share a known issuing country and fold to
    at least :data:`DOC_ONLY_NEAR_MIN_CHARS` characters."""
    q, c = document.query, document.candidate
    if not (isinstance(q, list) and isinstance(c, list) and len(q) == 2 and len(c) == 2):
        return False
    return q[1] is not None and q[1] == c[1] and len(lookalike_document_number(q[0])) >= DOC_ONLY_NEAR_MIN_CHARS


# --- combination -------------------------------------------------------------------


NAME_SUPPORT = 0.5
"""Name score (0.0–1.0) from which a name counts as evidence in :func:`combine` and
supports a look-alike document number."""


def combine(
    name: NameScore,
    dob: Feature,
    nationality: Feature,
    gender: Feature,
    document: Feature,
    config: MatchConfig,
) -> tuple[float, list[str]]:
    """Overall score 0.0–1.0 and the evidence used.

    ``name.score × factor``, where ``factor`` starts at ``name_only_factor`` (a name
    alone is review level at most) and moves with DOB (``match`` by precision,
    ``partial``, ``mismatch``), nationality and gender; ``unknown`` features leave it
    unchanged, so a DOB can only raise a score the name already supports. A document
    ``match``/``partial`` sets a floor (``document_*_floor``; a ``partial`` only when the
    name score is at least 0.5, or without name support when both numbers name the same
    issuing country: a look-alike of a listed number is a review-level hit whatever the
    traveller's name, as an exact number is a strong one — field case 17).

    The evidence list names the features that agreed, in this order: ``name`` (a name
    score of at least :data:`NAME_SUPPORT`; an unrelated name is no evidence), ``dob``
    or ``dob_partial``, ``nationality``, ``document`` or ``document_near``.
    """
    factor = config.name_only_factor
    evidence = ["name"] if name.result != UNKNOWN and name.score >= NAME_SUPPORT else []
    if dob.result == MATCH:
        factor += {
            "day": config.dob_day_bonus,
            "month": config.dob_month_bonus,
        }.get(dob.detail or "", config.dob_year_bonus)
        evidence.append("dob")
    elif dob.result == PARTIAL:
        factor += config.dob_partial_bonus
        evidence.append("dob_partial")
    elif dob.result == MISMATCH:
        factor -= config.dob_mismatch_malus
    if nationality.result == MATCH:
        factor += config.nationality_bonus
        evidence.append("nationality")
    elif nationality.result == MISMATCH:
        factor -= config.nationality_malus
    if gender.result == MISMATCH:
        factor -= config.gender_malus
    score = name.score * min(1.0, max(0.0, factor))
    if document.result == MATCH:
        floor = config.document_exact_floor if document.detail == "exact" else config.document_other_country_floor
        score = max(score, floor)
        evidence.append("document")
    elif document.result == PARTIAL and (name.score >= NAME_SUPPORT or _same_issuer_lookalike(document)):
        score = max(score, config.document_near_floor)
        evidence.append("document_near")
    return max(0.0, min(1.0, score)), evidence
