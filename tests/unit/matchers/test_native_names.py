"""The compiled name score (``native/src/names.rs``, built into ``matchers._core`` as
``NameScorer``/``NameForm``) against its Python reference :func:`matchers.scoring.score_name`,
and :func:`matchers.scoring.best_name`, which the screener uses to pick a candidate's best
name pair, against the Python loop it replaces.

The compiled score is a port, operation for operation, so parity is asserted with ``==``
on bit patterns (``float.hex``), never with a tolerance: on hand-written pairs aimed at each
rule of the name score (particles, joined tokens, initials, suffixes, swapped fields,
Chinese and Korean syllables, lineage swaps, single tokens, empty names), on generated
names (transformed the ways lists and passports write one name otherwise), with random
weights in 0.3–1.0 and with other ``MatchConfig`` constants. Skipped when ``matchers._core``
is not built (``test_native_similarity`` fails then instead).
"""

from __future__ import annotations

import dataclasses
import math
from itertools import product
from random import Random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import matchers.scoring
from matchers import MatchConfig
from matchers.normalise import NameVariant, Token, name_variants
from matchers.scoring import best_name, compiled_name_form, name_form, name_scorer, score_name

pytestmark = pytest.mark.skipif(name_scorer(MatchConfig()) is None, reason="matchers._core is not built")

PARITY = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])

Name = tuple[str | None, str | None, str | None]
"""``(full name, surname, given names)`` as :func:`matchers.normalise.name_variants` takes them."""


def free(full_name: str) -> Name:
    return (full_name, None, None)


def structured(surname: str | None, given: str | None) -> Name:
    return (None, surname, given)


def variants(name: Name) -> tuple[NameVariant, ...]:
    return name_variants(*name)


def assert_same_score(
    query: NameVariant,
    candidate: NameVariant,
    query_weights: list[float],
    candidate_weights: list[float],
    config: MatchConfig,
) -> float:
    """The compiled score of the pair is bit-identical to ``score_name(...).score``."""
    py = score_name(query, candidate, query_weights, candidate_weights, config).score
    scorer = name_scorer(config)
    compiled = scorer.score(name_form(query), name_form(candidate), query_weights, candidate_weights)
    assert type(compiled) is float
    assert compiled.hex() == py.hex(), (
        f"{[t.text for t in query.tokens]} vs {[t.text for t in candidate.tokens]} "
        f"(weights {query_weights}, {candidate_weights}): compiled {compiled!r}, Python {py!r}"
    )
    return py


def weights_of(variant: NameVariant, rng: Random) -> list[float]:
    return [rng.uniform(0.3, 1.0) for _ in variant.tokens]


def assert_same_scores(query: Name, candidate: Name, config: MatchConfig, rng: Random) -> list[float]:
    """Every variant of ``query`` against every variant of ``candidate``, with weights
    1.0, with the same random weights on both sides' equal tokens, and with random ones."""
    scores = []
    for qv, cv in product(variants(query), variants(candidate)):
        shared: dict[str, float] = {}
        for qw, cw in (
            ([1.0] * len(qv.tokens), [1.0] * len(cv.tokens)),
            (
                [shared.setdefault(t.text, rng.uniform(0.3, 1.0)) for t in qv.tokens],
                [shared.setdefault(t.text, rng.uniform(0.3, 1.0)) for t in cv.tokens],
            ),
            (weights_of(qv, rng), weights_of(cv, rng)),
        ):
            scores.append(assert_same_score(qv, cv, qw, cw, config))
    return scores


# --- hand-written pairs --------------------------------------------------------------

TRICKY: list[tuple[str, Name, Name]] = [
    # particles: dropped article, other kinship word, theophoric, father of
    ("article_dropped", free("AL HADDADIN ABDULLAH"), free("HADDADIN ABDULLAH")),
    ("article_joined", structured("AL QAIDI", "HAMZA"), structured("ALQAIDI", "HAMZA")),
    ("bin_vs_ibn", free("OSAMA BIN LADEN"), free("USAMA IBN LADIN")),
    ("bin_dropped", free("MOHAMMED BIN SALMAN"), free("MOHAMMED SALMAN")),
    ("abdul_differs", free("ABDUL MOHAMMAD KARIMI"), free("MOHAMMAD KARIMI")),
    ("abu_dropped", free("ABU BAKR AL BAGHDADI"), free("BAKR BAGHDADI")),
    ("abu_joined", free("ABU BAKR AL BAGHDADI"), free("ABUBAKR ALBAGHDADI")),
    ("trailing_particle", structured("GHABRA", "MOHAMMED AL"), free("MOHAMMED AL GHABRA")),
    ("abu_split_fields", structured("RUSDAN", "ABU"), free("ABURUSDAN")),
    # joined tokens: a lost or added space
    ("abdul_rahman_joined", free("ABDUL RAHMAN"), free("ABDULRAHMAN")),
    ("aebdul_rahman", free("AEBDUL RAHMAN"), free("ABDULRAHMAN")),
    ("two_joined_edit", free("TONG HU"), free("TONG HO")),
    ("yu_oro", free("YU ORO"), free("YU RO")),
    ("joined_fields", structured("VIK", "TOR"), free("VIKTOR")),
    ("joined_misspelt", free("ABDUL RAHMAN AZIZ"), free("ABDULRAHMAAN AZIZ")),
    # initials
    ("initial", free("J SMITH"), free("JOHN SMITH")),
    ("initial_middle", free("THOMAS A LINDEMANN"), free("THOMAS LINDEMANN")),
    ("initial_contradicts", free("THOMAS B LINDEMANN"), free("THOMAS A LINDEMANN")),
    ("initial_joined", free("A KHAMENEI"), free("AKHAMENEI")),
    ("initials_only", free("J R"), free("JOHN ROBERT")),
    # generational suffixes
    ("suffix_dropped", free("AL LAWSON JR"), free("AL LAWSON")),
    ("suffix_other", free("JOHN SMITH JR"), free("JOHN SMITH SR")),
    ("suffix_structured", structured("REYES JR", "JOSE"), structured("REYES", "JOSE")),
    # swapped surname and given names
    ("swapped_structured", structured("SMITH", "JOHN"), structured("JOHN", "SMITH")),
    ("swapped_surname_missed", structured("WILLIAMS", "TAYLOR CHARLES"), structured("TAYLOR", "CHARLES")),
    ("structured_vs_free", structured("SMITH", "JOHN PAUL"), free("JOHN PAUL SMITH")),
    # Chinese and Korean syllables
    ("hanzi", free("习近平"), free("XI JIN PING")),
    ("hanzi_joined", structured("习", "近平"), structured("XI", "JINPING")),
    ("hangul", free("김정은"), free("KIM JONG UN")),
    ("hangul_structured", structured("김", "정은"), structured("KIM", "JONG UN")),
    ("syllables_one_letter_apart", structured("WANG", "YONG"), structured("WANG", "JONG")),
    ("syllable_left_out", free("HAN YU RO"), free("HAN YU")),
    # X BIN Y against Y BIN X: father and son
    ("lineage_swap", free("MOHAMMED BIN SALMAN"), free("SALMAN BIN MOHAMMED")),
    ("lineage_swap_long", free("ABDULLAH BIN ALI BIN HASSAN"), free("ALI BIN ABDULLAH BIN HASSAN")),
    # single tokens
    ("single_same", free("MADONNA"), free("MADONNA")),
    ("single_vs_two", free("MOHAMMED"), free("MOHAMMED ALI")),
    ("single_shared", free("JOHN SMITH"), free("JOHN BROWN")),
    ("single_misspelt", free("SHAKIRA"), free("SHAKIRRA")),
    # spellings: known variants, no vowels, wildcards, patronymics, sound
    ("known_variant", free("MOHAMED HASSAN"), free("MUHAMMAD HASAN")),
    ("unvowelled", free("MHMD HSN"), free("MOHAMED HASSAN")),
    ("wildcard", free("MA?TA NOWAK"), free("MARTA NOWAK")),
    ("patronymic", structured("IVANOV", "SERGEY PETROVICH"), structured("IVANOV", "SERGEI")),
    ("phonetic", free("STEPHEN SMYTHE"), free("STEFAN SMITH")),
    ("unrelated", free("JOHN SMITH"), free("MARIA GONZALEZ")),
    ("repeated_tokens", free("ALI ALI HASSAN"), free("ALI HASSAN ALI")),
    ("umlaut", structured("SCHÜSSLER", "JÖRG"), structured("SCHUESSLER", "JORG")),
]


@pytest.mark.parametrize(("query", "candidate"), [c[1:] for c in TRICKY], ids=[c[0] for c in TRICKY])
def test_tricky_pairs_same_score(query: Name, candidate: Name) -> None:
    rng = Random(repr((query, candidate)))
    for q, c in ((query, candidate), (candidate, query)):
        assert_same_scores(q, c, MatchConfig(), rng)


def test_tricky_pairs_reach_the_rules() -> None:
    # the table above is only as good as what it reaches: the reasons of score_name
    # that change the score, and its joined units
    reasons: set[str] = set()
    for _, query, candidate in TRICKY:
        for q, c in ((query, candidate), (candidate, query)):
            for qv, cv in product(variants(q), variants(c)):
                ns = score_name(qv, cv, [1.0] * len(qv.tokens), [1.0] * len(cv.tokens), MatchConfig())
                reasons.update(ns.reasons)
    assert reasons >= {
        "tokens_joined",
        "particle_dropped",
        "particle_differs",
        "order_swapped",
        "lineage_swapped",
        "single_token_only",
        "initial_matched",
        "name_contradicted",
        "extra_tokens",
        "name_subset",
        "known_variant",
        "spelling_variant",
        "phonetic_match",
        "consonant_skeleton",
        "unknown_character",
        "exact_after_normalisation",
    }


def test_many_leftover_tokens_same_score() -> None:
    # four listed tokens absent (and, reversed, four extra query tokens): their penalties
    # are summed left to right, as the port sums them (a compensated sum differs in the
    # last bit for some of these weights)
    rng = Random(3)
    short = variants(free("JOHN SMITH"))[0]
    long = variants(free("JOHN PAUL GEORGE RINGO SMITH STARR"))[0]
    for _ in range(200):
        for q, c in ((short, long), (long, short)):
            assert_same_score(q, c, weights_of(q, rng), weights_of(c, rng), MatchConfig())


def test_empty_names_score_zero() -> None:
    empty = NameVariant((), "plain", False)
    smith = variants(free("JOHN SMITH"))[0]
    for q, c in ((empty, smith), (smith, empty), (empty, empty)):
        assert assert_same_score(q, c, [1.0] * len(q.tokens), [1.0] * len(c.tokens), MatchConfig()) == 0.0


# --- generated names -----------------------------------------------------------------

GIVEN = (
    *("JOHN", "JON", "MARIA", "MARTA", "ANNA", "STEFAN", "STEPHEN", "THOMAS", "SERGEY", "SERGEI"),
    *("MOHAMMED", "MUHAMMAD", "MOHAMED", "AHMED", "HASSAN", "HUSSEIN", "ALI", "OMAR", "YUSUF"),
    *("WEI", "JIE", "HOJIN", "JONG", "YONG", "UN", "HAN", "YU", "RO", "KIM", "LEE", "PARK"),
)
SURNAMES = (
    *("SMITH", "SMYTHE", "NOWAK", "KOWALSKI", "IVANOV", "PETROV", "HADDADIN", "BAGHDADI", "RAHMAN"),
    *("KARIMI", "LINDEMANN", "GONZALEZ", "ZHANG", "WANG", "TAN", "CHOI", "LAWSON", "REYES", "ALI"),
)
PARTICLES_USED = ("AL", "EL", "BIN", "IBN", "BINT", "ABU", "ABD", "ABDUL", "DE", "VAN", "DER")
SUFFIXES_USED = ("JR", "SR", "II", "III")
OTHER_WORDS = (
    *("PETROVICH", "SERGEEVNA", "MAMMADOGLU", "MHMD", "HSN", "MA?TA", "SM?TH"),
    *("习", "近平", "王", "小明", "김", "정은", "이", "순신", "ÖZTÜRK", "MÜLLER"),
)


@st.composite
def words(draw: st.DrawFn) -> list[str]:
    """2–5 words of a name: given names, surnames, now and then a particle before a
    word, an initial, a suffix, a patronymic, an unvowelled or wildcard spelling, a
    Chinese or Korean part."""
    out: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(("given",) * 3 + ("surname",) * 3 + ("particle", "initial", "other")))
        if kind == "given":
            out.append(draw(st.sampled_from(GIVEN)))
        elif kind == "surname":
            out.append(draw(st.sampled_from(SURNAMES)))
        elif kind == "particle":
            out += [draw(st.sampled_from(PARTICLES_USED)), draw(st.sampled_from(SURNAMES + GIVEN))]
        elif kind == "initial":
            out.append(draw(st.sampled_from("ABCJMST")))
        else:
            out.append(draw(st.sampled_from(OTHER_WORDS)))
    if draw(st.integers(0, 5)) == 0:
        out.append(draw(st.sampled_from(SUFFIXES_USED)))
    return out


def _misspell(draw: st.DrawFn, word: str) -> str:
    i = draw(st.integers(0, max(0, len(word) - 1)))
    kind = draw(st.sampled_from(("sub", "ins", "del", "swap")))
    letter = draw(st.sampled_from("AEIOUHKMNRSTY"))
    if kind == "sub":
        return word[:i] + letter + word[i + 1 :]
    if kind == "ins":
        return word[:i] + letter + word[i:]
    if kind == "del" and len(word) > 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i + 1 : i + 2] + word[i : i + 1] + word[i + 2 :]


@st.composite
def other_writing(draw: st.DrawFn, ws: list[str]) -> list[str]:
    """``ws`` written otherwise, once or twice: a word misspelt, dropped, added, cut to
    its initial, two words joined or one split, the order changed, a particle dropped or
    exchanged."""
    ws = list(ws)
    for _ in range(draw(st.integers(1, 2))):
        kind = draw(st.sampled_from(("misspell", "drop", "add", "initial", "join", "split", "order", "particle")))
        i = draw(st.integers(0, len(ws) - 1))
        if kind == "misspell":
            ws[i] = _misspell(draw, ws[i])
        elif kind == "drop" and len(ws) > 1:
            del ws[i]
        elif kind == "add":
            ws.insert(i, draw(st.sampled_from(GIVEN + SURNAMES + PARTICLES_USED)))
        elif kind == "initial":
            ws[i] = ws[i][:1]
        elif kind == "join" and i + 1 < len(ws):
            ws[i : i + 2] = [ws[i] + ws[i + 1]]
        elif kind == "split" and len(ws[i]) >= 4:
            k = draw(st.integers(1, len(ws[i]) - 1))
            ws[i : i + 1] = [ws[i][:k], ws[i][k:]]
        elif kind == "order":
            ws = draw(st.permutations(ws))
        elif kind == "particle":
            ps = [k for k, w in enumerate(ws) if w in PARTICLES_USED]
            if ps:
                k = draw(st.sampled_from(ps))
                if draw(st.booleans()):
                    del ws[k]
                else:
                    ws[k] = draw(st.sampled_from(PARTICLES_USED))
    return [w for w in ws if w] or ["X"]


@st.composite
def names(draw: st.DrawFn, ws: list[str]) -> Name:
    """``ws`` as a free-form name or split into surname and given names (either order)."""
    if len(ws) == 1 or draw(st.booleans()):
        return free(" ".join(ws))
    k = draw(st.integers(1, len(ws) - 1))
    first, rest = " ".join(ws[:k]), " ".join(ws[k:])
    return structured(first, rest) if draw(st.booleans()) else structured(rest, first)


@st.composite
def name_pairs(draw: st.DrawFn) -> tuple[Name, Name]:
    """A name against another writing of it (mostly) or an unrelated name."""
    ws = draw(words())
    other = draw(other_writing(ws)) if draw(st.integers(0, 4)) else draw(words())
    return draw(names(ws)), draw(names(other))


@st.composite
def configs(draw: st.DrawFn) -> MatchConfig:
    """The default ``MatchConfig``, or one with other name-score constants."""
    if draw(st.booleans()):
        return MatchConfig()
    unit = st.floats(0.0, 1.0, allow_nan=False)
    return MatchConfig(
        token_min_similarity=draw(st.floats(0.5, 0.95)),
        absent_penalty=draw(unit),
        extra_penalty=draw(unit),
        contradicted_penalty=draw(unit),
        surname_contradicted_penalty=draw(st.floats(0.0, 2.0)),
        swap_penalty=draw(st.floats(0.0, 0.2)),
        lineage_swap_factor=draw(unit),
        single_token_cap=draw(unit),
    )


@PARITY
@given(pair=name_pairs(), config=configs(), seed=st.integers(0, 2**32 - 1))
def test_generated_pairs_same_score(pair: tuple[Name, Name], config: MatchConfig, seed: int) -> None:
    assert_same_scores(*pair, config, Random(seed))


def test_many_seeded_pairs_same_score() -> None:
    # a fixed, larger sample of the generator (no shrinking, same pairs every run): every
    # variant pair with three sets of weights, so about 8,000 comparisons
    rng = Random(7)
    pairs: list[tuple[Name, Name]] = []

    @settings(max_examples=1500, database=None, deadline=None, derandomize=True)
    @given(pair=name_pairs())
    def collect(pair: tuple[Name, Name]) -> None:
        pairs.append(pair)

    collect()
    compared = sum(len(assert_same_scores(q, c, MatchConfig(), rng)) for q, c in pairs)
    assert compared >= 4000


# --- best_name: the screener's choice of a person's best name pair --------------------


def python_best(
    queries: list[NameVariant],
    query_weights: list[list[float]],
    candidates: list[NameVariant],
    candidate_weights: list[list[float]],
    config: MatchConfig,
) -> tuple[int, int, dict[str, Any]]:
    """The loop ``Screener._best_name`` ran before: query names outer, the first pair
    unless a later one scores strictly higher."""
    best: tuple[int, int, Any] | None = None
    for qi, qv in enumerate(queries):
        for ci, cv in enumerate(candidates):
            ns = score_name(qv, cv, query_weights[qi], candidate_weights[ci], config)
            if best is None or ns.score > best[2].score:
                best = qi, ci, ns
    assert best is not None
    return best[0], best[1], dataclasses.asdict(best[2])


@PARITY
@given(
    query=st.lists(name_pairs(), min_size=1, max_size=2),
    candidates=st.lists(name_pairs(), min_size=1, max_size=4),
    config=configs(),
    seed=st.integers(0, 2**32 - 1),
)
def test_best_name_picks_the_pair_the_python_loop_picks(
    query: list[tuple[Name, Name]], candidates: list[tuple[Name, Name]], config: MatchConfig, seed: int
) -> None:
    rng = Random(seed)
    qs = [v for q, _ in query for v in variants(q)]
    # a candidate person's names: writings of the query's (ties are common) and others
    cs = [v for pair in candidates for name in pair for v in variants(name)]
    if not qs or not cs:
        return
    # equal tokens often have equal weights (the index's), equal scores tie
    shared: dict[str, float] = {}
    qw = [[shared.setdefault(t.text, rng.uniform(0.3, 1.0)) for t in v.tokens] for v in qs]
    cw = [[shared.setdefault(t.text, rng.uniform(0.3, 1.0)) for t in v.tokens] for v in cs]
    found = best_name(qs, qw, cs, cw, config)
    assert found is not None
    qi, ci, ns = found
    assert (qi, ci, dataclasses.asdict(ns)) == python_best(qs, qw, cs, cw, config)
    # a floor: None below it, the same pair from it on
    assert best_name(qs, qw, cs, cw, config, math.nextafter(ns.score, 2.0)) is None
    assert best_name(qs, qw, cs, cw, config, ns.score) == found


def test_best_name_takes_the_forms_a_caller_holds() -> None:
    # forms made by the caller (compiled_name_form: anew, not memoised) give the pair and
    # NameScore the memoised ones give; a form list of another length is refused
    qs = [*variants(structured("SCHÜSSLER", "JÖRG")), *variants(free("JORG SMITH"))]
    cs = [*variants(free("JORG SCHUSSLER")), *variants(structured("SCHUESSLER", "JOERG"))]
    qw = [[0.8] * len(v.tokens) for v in qs]
    cw = [[0.6] * len(v.tokens) for v in cs]
    q_forms = [compiled_name_form(v) for v in qs]
    c_forms = [compiled_name_form(v) for v in cs]
    assert all(f is not None and f is not name_form(v) for f, v in zip(c_forms, cs, strict=True))
    want = best_name(qs, qw, cs, cw, MatchConfig())
    assert want is not None
    assert best_name(qs, qw, cs, cw, MatchConfig(), query_forms=q_forms, candidate_forms=c_forms) == want
    assert best_name(qs, qw, cs, cw, MatchConfig(), candidate_forms=c_forms) == want
    with pytest.raises(ValueError, match="one per name"):
        best_name(qs, qw, cs, cw, MatchConfig(), candidate_forms=c_forms[:1])


def test_compiled_name_form_without_the_compiled_scorer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matchers.scoring, "_NameForm", None)
    assert compiled_name_form(variants(free("JOHN SMITH"))[0]) is None


def test_best_name_ties_keep_the_first_pair() -> None:
    smith = variants(free("JOHN SMITH"))[0]
    other = variants(free("MARIA GONZALEZ"))[0]
    w2 = [1.0, 1.0]
    scorer = name_scorer(MatchConfig())
    forms = [name_form(v) for v in (other, smith, smith)]
    # the same name twice: the first of them; a first pair scoring 0.0 stays the best
    assert scorer.best([name_form(smith)], [w2], forms, [w2] * 3)[:2] == (0, 1)
    assert scorer.best([name_form(smith)], [w2], forms[:1], [w2])[:2] == (0, 0)
    assert scorer.best([name_form(smith)] * 2, [w2] * 2, forms, [w2] * 3)[:2] == (0, 1)
    found = best_name([smith, smith], [w2, w2], [other, smith, smith], [w2] * 3, MatchConfig())
    assert found is not None and (found[0], found[1], found[2].score) == (0, 1, 1.0)


def test_best_name_without_the_compiled_scorer(monkeypatch: pytest.MonkeyPatch) -> None:
    # the Python path (matchers._core not built): the same choice and NameScore
    qs = [*variants(structured("SCHÜSSLER", "JÖRG"))]
    cs = [*variants(free("JORG SCHUSSLER")), *variants(structured("SCHUESSLER", "JOERG"))]
    qw = [[0.8, 0.6]] * len(qs)
    cw = [[0.6, 0.8]] * len(cs)
    compiled = best_name(qs, qw, cs, cw, MatchConfig())
    assert compiled is not None
    monkeypatch.setattr(matchers.scoring, "_NameScorer", None)
    assert name_scorer(MatchConfig()) is None
    assert best_name(qs, qw, cs, cw, MatchConfig()) == compiled
    assert compiled[:2] == python_best(qs, qw, cs, cw, MatchConfig())[:2]
    # the floor, in the Python loop too
    assert best_name(qs, qw, cs, cw, MatchConfig(), math.nextafter(compiled[2].score, 2.0)) is None
    assert best_name(qs, qw, cs, cw, MatchConfig(), compiled[2].score) == compiled


# --- the compiled forms and argument checks -------------------------------------------


def test_name_form_is_memoised_by_value() -> None:
    v = variants(free("ABDUL RAHMAN AL QAIDI"))[0]
    copy = NameVariant(tuple(Token(t.text, t.core, t.field, t.syllable) for t in v.tokens), v.rule, v.structured)
    assert copy is not v
    assert name_form(copy) is name_form(v)
    assert len(name_form(v)) == len(v.tokens)


def test_name_scorer_is_shared_per_constants() -> None:
    assert name_scorer(MatchConfig()) is name_scorer(MatchConfig(threshold=0.9))
    assert name_scorer(MatchConfig()) is not name_scorer(MatchConfig(swap_penalty=0.1))


def test_argument_checks() -> None:
    from matchers._core import NameForm

    scorer = name_scorer(MatchConfig())
    smith = name_form(variants(free("JOHN SMITH"))[0])
    with pytest.raises(ValueError, match="weights"):
        scorer.score(smith, smith, [1.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="NaN"):
        scorer.score(smith, smith, [1.0, float("nan")], [1.0, 1.0])
    with pytest.raises(ValueError, match="no query or no candidate"):
        scorer.best([], [], [smith], [[1.0, 1.0]])
    with pytest.raises(ValueError, match="one weight list per name"):
        scorer.best([smith], [], [smith], [[1.0, 1.0]])
    with pytest.raises(ValueError, match="no query or no candidate"):
        best_name([], [], [variants(free("JOHN SMITH"))[0]], [[1.0, 1.0]], MatchConfig())
    with pytest.raises(ValueError, match="one character"):
        NameForm(matchers.scoring._COMPILED_SIMILARITY, [("JOHN", "JOHN", "sg", False, "", 1.0, False, False)], True)


def test_the_screener_explains_only_a_best_name_that_can_be_a_hit(monkeypatch: pytest.MonkeyPatch) -> None:
    # a candidate person whose best name scores below the threshold is not explained
    # (score_name is not run), unless documents on both sides could still lift it; the
    # hits are the Python stage's either way
    from matchers import DocumentKey, Screener
    from tests.unit.matchers.helpers import entry, query

    passport = DocumentKey("X1234567", "P", "CHN")
    listed = [entry("1", "PAO", "YU LIANG", documents=(passport,)), entry("2", "NOWAK", "ADAM")]
    explained: list[str] = []
    real = matchers.scoring.score_name

    def spy(query_variant: NameVariant, candidate: NameVariant, *args: Any) -> Any:
        explained.append(" ".join(t.text for t in candidate.tokens))
        return real(query_variant, candidate, *args)

    compiled = Screener(listed, MatchConfig(), native=True)
    reference = Screener(listed, MatchConfig(), native=False)
    weak = query("YU", "QIANG")  # a candidate by its estimate, below the threshold scored
    assert compiled.screen([weak]) == reference.screen([weak]) == [[]]
    monkeypatch.setattr(matchers.scoring, "score_name", spy)
    floors: list[Any] = []
    real_best = compiled._best_name

    def best_spy(*args: Any, **kwargs: Any) -> Any:
        found = real_best(*args, **kwargs)
        floors.append((args[-1], found is None))
        return found

    monkeypatch.setattr(compiled, "_best_name", best_spy)
    assert compiled.screen([weak]) == [[]]
    assert floors == [(MatchConfig().threshold, True)] and explained == []  # scored, not explained
    # with a document on both sides (here the listed passport: a document candidate),
    # the best name is explained whatever its score
    with_doc = dataclasses.replace(weak, documents=(passport,))
    floors.clear()
    hits = compiled.screen([with_doc])
    assert floors == [(None, False)] and explained == ["PAO YU LIANG"]
    monkeypatch.undo()
    assert hits == reference.screen([with_doc])
