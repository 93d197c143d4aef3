"""The compiled string similarity, key hash and neighbour lookup (``native/src/similarity.rs``
and ``native/src/lib.rs``, built into ``matchers._core``) against their Python references:
:func:`matchers.scoring.string_similarity`, :func:`matchers.index.key_hash` and
:meth:`matchers.index.NameIndex.neighbours` with ``native=False``.

The compiled code is a port, operation for operation, so parity is asserted with ``==``
on bit patterns (``float.hex``), never with a tolerance, and on the rule names. The
generated strings are weighted to reach every rule of ``string_similarity`` (exact, known
variant, wildcard, initial, consonant skeleton, one and two edits, Metaphone, none) and
both letter paths of the port (bytes for ASCII strings, chars otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations
from random import Random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from matchers import MatchConfig, Screener
from matchers.index import NATIVE_AVAILABLE, IndexedName, NameIndex, _xxh3_40, key_hash
from matchers.normalise import KNOWN_VARIANTS, PARTICLES, NameVariant, Token, name_variants
from matchers.scoring import _COMPILED_SIMILARITY, python_string_similarity, string_similarity
from tests.unit.matchers.helpers import entry

PARITY = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])

RULES = ("exact", "known_variant", "wildcard", "initial", "skeleton", "edit", "phonetic", "none")
"""Every rule name :func:`matchers.scoring.string_similarity` returns."""

NAMES = (
    *("JOHN", "JON", "SMITH", "SMYTHE", "MARIA", "MARTA", "ANNA", "STEFAN", "STEPHEN", "PHILIP"),
    *("KATHERINE", "KATHRYN", "SCHNEIDER", "FERNANDO", "ANDERSEN", "KOWALSKI", "NOWAK", "WOJCIK"),
    *("HADDADIN", "QAHTANI", "QASIM", "KASIM", "BAGHDADI", "RAHMAN", "HOSSEINI", "KHAMENEI", "YUSUPOV"),
    *("ABDULKARIMOV", "VAJIRALONGKORN", "AHMADINEJAD", "NURISTANI", "SEMENCHUK", "WEIJIE", "HOJIN"),
    *("LI", "LU", "HO", "YU", "KIM", "ALI", "ALY", "WEI", "JIE", "TAN", "ZHANG", "YOUNG", "WONG"),
)
"""Real-looking name tokens: short and long, with Q/K and W/Y, near one another."""

VARIANT_GROUPS: dict[str, tuple[str, ...]] = {}
for _form, _key in KNOWN_VARIANTS.items():
    VARIANT_GROUPS[_key] = (*VARIANT_GROUPS.get(_key, ()), _form)

VARIANT_PAIRS = tuple(pair for group in VARIANT_GROUPS.values() for pair in combinations(group, 2))
"""Two spellings of one name from :data:`matchers.normalise.KNOWN_VARIANTS` (MOHAMED/MOHD,
I/LEE, ...)."""

BASES = (*NAMES, *KNOWN_VARIANTS)

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 4 + "AEIOU" * 2 + "QKWY" + "??" + "013" + "ÄÖЖЩ김정É"
"""Letters an edit inserts, weighted: mostly ``A–Z``, some vowels more (skeletons), some
wildcards, digits and non-ASCII letters (the port's char path)."""

NON_ASCII = ("Ä", "Ö", "Ü", "É", "Ж", "Щ", "김", "정", "은")


# --- the compiled core ---------------------------------------------------------------


def test_compiled_core_is_built() -> None:
    # the parity below compares against nothing when the extension is missing: fail, not skip
    assert NATIVE_AVAILABLE
    assert _COMPILED_SIMILARITY is not None


def test_scorer_uses_the_compiled_similarity(monkeypatch: pytest.MonkeyPatch) -> None:
    # a pair the scorer's memo has not seen goes to the port (tested equal to the
    # reference below), once: the memo answers the second time
    import matchers.scoring

    port = matchers.scoring._COMPILED_SIMILARITY
    asked: list[tuple[str, str]] = []

    def recording(a: str, b: str) -> tuple[float, str]:
        asked.append((a, b))
        return port(a, b)

    monkeypatch.setattr(matchers.scoring, "_COMPILED_SIMILARITY", recording)
    string_similarity.cache_clear()
    try:
        assert string_similarity("JON", "JOHN") == python_string_similarity("JON", "JOHN") == (0.85, "edit")
        assert string_similarity("PHILIP", "FILIP") == python_string_similarity("PHILIP", "FILIP")
        assert string_similarity("JON", "JOHN") == (0.85, "edit")
        assert asked == [("JON", "JOHN"), ("PHILIP", "FILIP")]
    finally:
        string_similarity.cache_clear()  # no value computed by the recording wrapper stays


def test_compiled_similarity_raises_what_phonetic_raises() -> None:
    from matchers._core import Similarity

    def broken(text: str) -> str:
        raise LookupError(text)

    sim = Similarity({}, broken)
    assert sim("SMITH", "SMITH") == (1.0, "exact")  # decided before any sound is asked
    # a sound decides: the port computes the Metaphone keys of A–Z strings itself
    assert sim("SMITHSON", "SMYTHSEN") == (0.8, "phonetic")
    with pytest.raises(LookupError, match="smithson"):
        sim("smithson", "smythsen")  # other strings ask the callable: its error comes through


@pytest.fixture(scope="module")
def core() -> Any:
    """A ``matchers._core.CandidateCore`` whose vocabulary holds part of :data:`NAMES` (the
    port reads those strings' Metaphone keys from the index and asks Python for others)."""
    entries = [entry(f"E{i}", NAMES[i], NAMES[i + 1]) for i in range(0, len(NAMES) - 1, 3)]
    built = Screener(entries, MatchConfig(), native=True).index._core
    assert built is not None
    return built


def bits(result: tuple[float, str]) -> tuple[str, str]:
    """``(value as a float's exact hex pattern, rule)``: equal only when bit-identical
    (``0.0`` and ``-0.0`` differ too)."""
    value, rule = result
    assert type(value) is float and type(rule) is str
    return value.hex(), rule


def assert_same_similarity(core: Any, a: str, b: str) -> None:
    """Both orders of ``(a, b)``: the compiled values and rules (the index's port and
    the scorer's, :class:`matchers._core.Similarity`) equal the Python reference's."""
    for x, y in ((a, b), (b, a)):
        py = python_string_similarity(x, y)
        native = core.string_similarity(x, y)
        assert bits(native) == bits(py), f"string_similarity({x!r}, {y!r}): compiled {native} vs Python {py}"
        scorer = _COMPILED_SIMILARITY(x, y)
        assert bits(scorer) == bits(py), f"Similarity()({x!r}, {y!r}): compiled {scorer} vs Python {py}"


# --- generated strings ---------------------------------------------------------------


def _edit(draw: st.DrawFn, s: str) -> str:
    """One OSA edit of ``s``: substitution, insertion, deletion or adjacent transposition."""
    kind = draw(st.sampled_from(("sub", "ins", "del", "swap")))
    i = draw(st.integers(0, max(0, len(s) - 1)))
    letter = draw(st.sampled_from(LETTERS))
    if kind == "ins" or not s:
        return s[:i] + letter + s[i:]
    if kind == "sub":
        return s[:i] + letter + s[i + 1 :]
    if kind == "del":
        return s[:i] + s[i + 1 :]
    if len(s) < 2:
        return s
    i = min(i, len(s) - 2)
    return s[:i] + s[i + 1] + s[i] + s[i + 2 :]


def _unvowelled(draw: st.DrawFn, s: str) -> str:
    """``s`` written without vowels (MHMD), as its consonant skeleton (W/Y dropped, Q as
    K, doubles once), or with Q/K or W/Y exchanged."""
    kind = draw(st.sampled_from(("vowels", "skeleton", "qk", "wy")))
    if kind == "vowels":
        return "".join(c for c in s if c not in "AEIOU")
    if kind == "skeleton":
        out: list[str] = []
        for c in s.replace("Q", "K"):
            if c not in "AEIOUWY?" and (not out or out[-1] != c):
                out.append(c)
        return "".join(out)
    if kind == "qk":
        return s.replace("Q", "K") if "Q" in s else s.replace("K", "Q")
    return s.translate(str.maketrans("WY", "YW"))


def _wildcarded(draw: st.DrawFn, s: str) -> str:
    """``s`` with 1–4 letters replaced by ``?`` (MA?TA)."""
    if not s:
        return "?"
    chars = list(s)
    for _ in range(draw(st.integers(1, 4))):
        chars[draw(st.integers(0, len(chars) - 1))] = "?"
    return "".join(chars)


def _non_ascii(draw: st.DrawFn, s: str) -> str:
    """``s`` with a non-ASCII letter put in, in place of a letter or added."""
    letter = draw(st.sampled_from(NON_ASCII))
    i = draw(st.integers(0, len(s)))
    return s[:i] + letter + s[i + 1 :] if draw(st.booleans()) else s[:i] + letter + s[i:]


def _sound_alike(draw: st.DrawFn, s: str) -> str:
    """``s`` written otherwise with its sound kept, twice over (Metaphone, two edits): a
    vowel after the first letter exchanged, a consonant doubled, PH for F or F for PH."""
    for _ in range(2):
        kind = draw(st.sampled_from(("vowel", "double", "ph")))
        vowels = [k for k in range(1, len(s)) if s[k] in "AEIOU"]
        consonants = [k for k in range(1, len(s)) if s[k] not in "AEIOU"]
        if kind == "vowel" and vowels:
            k = draw(st.sampled_from(vowels))
            s = s[:k] + draw(st.sampled_from("AEIOU")) + s[k + 1 :]
        elif kind == "ph" and ("PH" in s or "F" in s):
            s = s.replace("PH", "F", 1) if "PH" in s else s.replace("F", "PH", 1)
        elif consonants:
            k = draw(st.sampled_from(consonants))
            s = s[:k] + s[k] + s[k:]
    return s


def _digit(draw: st.DrawFn, s: str) -> str:
    """``s`` with a letter replaced by a digit (a keying slip normalisation would read)."""
    i = draw(st.integers(0, max(0, len(s) - 1)))
    return s[:i] + draw(st.sampled_from("0123456789")) + s[i + 1 :]


TRANSFORMS: dict[str, Callable[[st.DrawFn, str], str]] = {
    "edit": _edit,
    "two_edits": lambda draw, s: _edit(draw, _edit(draw, s)),
    "initial": lambda draw, s: s[:1],
    "short": lambda draw, s: s[draw(st.integers(0, max(0, len(s) - 2))) :][:2],
    "unvowelled": _unvowelled,
    "sound_alike": _sound_alike,
    "wildcard": _wildcarded,
    "non_ascii": _non_ascii,
    "digit": _digit,
}
"""Ways to write a name otherwise, each aimed at a rule (or at the port's char path)."""


@st.composite
def transformed(draw: st.DrawFn, base: str) -> str:
    """``base`` through one of :data:`TRANSFORMS` (the rarer rules' weighted up), now and
    then one edit more."""
    s = TRANSFORMS[draw(st.sampled_from((*TRANSFORMS, "unvowelled", "sound_alike")))](draw, base)
    return _edit(draw, s) if draw(st.integers(0, 3)) == 0 else s


@st.composite
def non_ascii_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """A real-looking name (perhaps transformed) against a transform of it with a non-ASCII
    letter put in."""
    base = draw(st.sampled_from(NAMES))
    a = draw(transformed(base)) if draw(st.booleans()) else base
    return a, _non_ascii(draw, draw(transformed(base)))


random_tokens = st.text(alphabet=st.sampled_from(LETTERS), min_size=0, max_size=14)
"""Unrelated tokens from the weighted alphabet (mostly ``none``, some short and wildcard)."""


@st.composite
def pairs(draw: st.DrawFn) -> tuple[str, str]:
    """Two strings meant to reach every rule: a real-looking name or known-variant form
    (now and then misspelt) against a transform of it or its unvowelled forms, two
    transforms of one name, a known-variant pair (perhaps one transformed), identical
    strings, unrelated tokens."""
    kind = draw(st.sampled_from(("related",) * 5 + ("unvowelled", "both", "variants", "identical", "random")))
    if kind == "variants":
        a, b = draw(st.sampled_from(VARIANT_PAIRS))
        return (a, draw(transformed(b))) if draw(st.booleans()) else (a, b)
    if kind == "identical":
        a = draw(st.one_of(st.sampled_from(BASES).flatmap(transformed), random_tokens))
        return a, a
    if kind == "random":
        return draw(random_tokens), draw(random_tokens)
    base = draw(st.sampled_from(BASES))
    if kind == "both":
        return draw(transformed(base)), draw(transformed(base))
    if kind == "unvowelled":  # the skeleton rule's inputs: W/Y, Q/K, doubled letters
        return (draw(transformed(base)) if draw(st.booleans()) else base), _unvowelled(draw, base)
    a = _edit(draw, base) if draw(st.integers(0, 3)) == 0 else base
    return a, draw(transformed(base))


# --- 1. string_similarity: generated parity ----------------------------------------


@PARITY
@given(pair=pairs())
def test_string_similarity_parity_on_related_names(core: Any, pair: tuple[str, str]) -> None:
    assert_same_similarity(core, *pair)


@st.composite
def text_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """Any Unicode text against any text, or against itself in other case, cut short,
    lengthened or with a letter replaced (lowercase, combining marks, astral planes)."""
    a = draw(st.text(max_size=12))
    kind = draw(st.sampled_from(("other", "case", "cut", "longer", "replaced")))
    if kind == "case":
        return a, draw(st.sampled_from((a.swapcase(), a.lower(), a.upper())))
    if kind == "cut":
        return a, a[1:] if draw(st.booleans()) else a[:-1]
    if kind == "longer":
        return a, a + draw(st.text(min_size=1, max_size=2))
    if kind == "replaced" and a:
        i = draw(st.integers(0, len(a) - 1))
        # no lone surrogate (st.text leaves them out too): the port refuses them, as documented
        return a, a[:i] + draw(st.characters(exclude_categories=["Cs"])) + a[i + 1 :]
    return a, draw(st.text(max_size=12))


@PARITY
@given(pair=text_pairs())
def test_string_similarity_parity_on_any_text(core: Any, pair: tuple[str, str]) -> None:
    # outside the A–Z the scorer is fed, yet the port promises the same values for any string
    assert_same_similarity(core, *pair)


@PARITY
@given(pair=non_ascii_pairs())
def test_string_similarity_parity_on_non_ascii_names(core: Any, pair: tuple[str, str]) -> None:
    # a non-ASCII letter on one side at least: the port compares both as chars (Ä, Ж, 김)
    assert_same_similarity(core, *pair)


def test_generated_pairs_reach_every_rule() -> None:
    # the parity above is only as good as its inputs: every rule is among them on the
    # port's byte path (ASCII), the commonest on its char path (the table below has the rest)
    seen: set[tuple[str, bool]] = set()

    @settings(max_examples=300, database=None, deadline=None, derandomize=True)
    @given(pair=pairs())
    def collect(pair: tuple[str, str]) -> None:
        seen.add((python_string_similarity(*pair)[1], pair[0].isascii() and pair[1].isascii()))

    collect()
    assert {rule for rule, ascii_only in seen if ascii_only} == set(RULES)
    assert {rule for rule, ascii_only in seen if not ascii_only} >= {"exact", "edit", "none"}


# --- 2. string_similarity: one pair per rule, values by hand -------------------------

# expected values worked out from the docstring of matchers.scoring.string_similarity;
# each literal is the nearest double to the formula's value (the comment), as Python prints it
RULE_TABLE = [
    ("MOHAMED", "MOHAMED", 1.0, "exact"),
    ("MOHAMED", "MUHAMMAD", 0.95, "known_variant"),
    ("I", "LEE", 0.95, "known_variant"),  # a one-letter form of a listed group, before the initial rule
    ("MA?TA", "MARTA", 0.9, "wildcard"),
    ("MA??A", "MARTA", 0.8, "wildcard"),  # 0.9 - 0.1 × 1
    ("M???A", "MARTA", 0.7, "wildcard"),  # 0.9 - 0.1 × 2
    ("?A", "JA", 0.0, "none"),  # one known letter: no wildcard rule, then 2 letters: strict
    ("J", "JOHN", 0.9, "initial"),
    ("J", "SMITH", 0.0, "none"),
    ("MHMD", "MOHAMED", 0.9, "skeleton"),
    ("HSN", "HUSSEIN", 0.9, "skeleton"),
    ("QSM", "KASIM", 0.9, "skeleton"),  # Q read as K
    ("SLMN", "SULAYMAN", 0.9, "skeleton"),  # Y dropped (a long vowel in an abjad)
    ("MHMWD", "MAHMOUD", 0.9, "skeleton"),  # W dropped, on the unvowelled side too
    ("LI", "LU", 0.0, "none"),  # 2 letters: strict
    ("ALI", "ALY", 0.85, "edit"),  # one edit, n = 3: max(0.85, 1 - 0.8/3)
    ("JON", "JOHN", 0.85, "edit"),  # n = 4: max(0.85, 0.8)
    ("KARIMI", "KARIMA", 0.8666666666666667, "edit"),  # n = 6: 1 - 0.8/6
    ("JOHNSON", "JONSON", 0.8857142857142857, "edit"),  # n = 7: 1 - 0.8/7
    ("ANDERSEN", "ANDERSON", 0.89, "edit"),  # n = 8: min(0.89, 1 - 0.8/8 = 0.9)
    ("SCHNEIDER", "SCHNIEDER", 0.89, "edit"),  # n = 9, a transposition: capped at 0.89
    ("ABDULKARIMOV", "ABDULKERIMOV", 0.89, "edit"),  # n = 12: capped at 0.89
    ("BARTON", "CARSON", 0.6666666666666667, "edit"),  # two edits, n = 6: 1 - 2/6 (first letters differ)
    ("FERNANDO", "FERMANDA", 0.75, "edit"),  # two edits, n = 8: 1 - 2/8 (Metaphone FRNNT vs FRMNT)
    ("SCHNEIDER", "SCHNAIDAR", 0.8222222222222222, "edit"),  # two edits, n = 9: 1 - 1.6/9
    ("ABDULKARIMOV", "ABDOLKARIMOF", 0.85, "edit"),  # two edits, n = 12: min(0.85, 1 - 1.6/12)
    ("SMITH", "SMYTHE", 0.8, "phonetic"),  # two edits in 5 letters: no edit rule; SM0 = SM0
    ("PHILIPPE", "PHILIP", 0.8, "phonetic"),  # two edits, n = 8: 0.75 < 0.8, FLP = FLP
    ("STEFAN", "STEPHEN", 0.8, "phonetic"),  # three edits; STFN = STFN
    ("BORIS", "DORIT", 0.0, "none"),  # two edits in 5 letters, other first letters
    ("SMITH", "JONES", 0.0, "none"),
    # non-ASCII letters: the port's char path
    ("ÄÄÄ", "ÄÄÄ", 1.0, "exact"),
    ("MÜ?LER", "MÜLLER", 0.9, "wildcard"),
    ("Ж", "ЖУКОВ", 0.9, "initial"),
    ("김", "김정은", 0.9, "initial"),
    ("MÖLLR", "MÖLLER", 0.9, "skeleton"),  # Ö is no vowel letter: MÖLLR is unvowelled, both MÖLR
    ("MÜLLER", "MULLER", 0.8666666666666667, "edit"),  # one edit, n = 6: 1 - 0.8/6
    ("ЖУКОВ", "ЖУКОФ", 0.85, "edit"),  # one edit, n = 5: max(0.85, 1 - 0.8/5)
    ("SCHÖNBERGER", "SCHÖNBURGAR", 0.85, "edit"),  # two edits, n = 11: min(0.85, 1 - 1.6/11)
    ("김정", "김정은", 0.0, "none"),  # 2 letters: strict
]


@pytest.mark.parametrize(("a", "b", "value", "rule"), RULE_TABLE, ids=[f"{r[3]}-{r[0]}-{r[1]}" for r in RULE_TABLE])
def test_one_pair_per_rule(core: Any, a: str, b: str, value: float, rule: str) -> None:
    assert bits(python_string_similarity(a, b)) == bits((value, rule))
    assert_same_similarity(core, a, b)


def test_rule_table_covers_every_rule() -> None:
    assert {row[3] for row in RULE_TABLE} == set(RULES)
    lengths: dict[int, set[int]] = {1: set(), 2: set()}
    for a, b, _value, rule in RULE_TABLE:
        if rule == "edit":
            lengths[OSA.distance(a, b)].add(max(len(a), len(b)))
    assert lengths[1] >= {6, 8, 9, 12} and lengths[2] >= {6, 8, 9, 12}


# --- 3. key_hash ---------------------------------------------------------------------

KEY_PREFIXES = ("C:", "D:", "V:", "P:", "KV:", "KU:")
"""Prefixes of :func:`matchers.index.token_keys`."""


def native_key_hash(key: str) -> int:
    from matchers._core import CandidateCore

    return int(CandidateCore.key_hash(key))


@pytest.mark.parametrize("key", ["", *KEY_PREFIXES, *(p + "MOHAMED" for p in KEY_PREFIXES), "KV:MHMD", "D:MHAMED"])
def test_key_hash_parity_on_prefixes(key: str) -> None:
    assert native_key_hash(key) == _xxh3_40(key)
    assert 0 <= _xxh3_40(key) < 2**40
    # the index hashes with the compiled port when it is built
    assert key_hash(key) == _xxh3_40(key)


@PARITY
@given(prefix=st.sampled_from(("", *KEY_PREFIXES)), rest=st.text(max_size=24))
def test_key_hash_parity_on_any_text(prefix: str, rest: str) -> None:
    key = prefix + rest
    assert native_key_hash(key) == _xxh3_40(key)


def test_key_hash_parity_on_non_ascii_and_nul() -> None:
    for key in ("C:MÜLLER", "C:ЖУКОВ", "C:김정은", "P:\x00", "D:A\x00B", "C:𝔸"):
        assert native_key_hash(key) == _xxh3_40(key), key


def test_key_hash_refuses_lone_surrogates_as_python_does() -> None:
    with pytest.raises(UnicodeEncodeError):
        _xxh3_40("C:\ud800")
    with pytest.raises(UnicodeEncodeError):
        native_key_hash("C:\ud800")


# --- 4. neighbours -------------------------------------------------------------------

_GIVEN = (
    *("MOHAMED", "MUHAMMAD", "MOHD", "MHMD", "AHMED", "AHMAD", "ALI", "OMAR", "UMAR", "YUSUF", "YOUSSEF"),
    *("IBRAHIM", "KHALID", "HASSAN", "HASAN", "FATIMA", "AISHA", "JOHN", "JON", "JAMES", "MARIA", "MARTA"),
    *("ANNA", "ALEKSANDR", "ALEXANDER", "SERGEY", "SERGEI", "DMITRIY", "WEI", "JIE", "HO", "JIN", "JONG"),
    *("YU", "RO", "SAID", "SAEED", "QASIM", "KASIM", "J", "A", "M", "ABDUL RAHMAN", "ABDULRAHMAN"),
)
_SURNAMES = (
    *("HADDADIN", "QAHTANI", "BAGHDADI", "RAHMAN", "HOSSEINI", "KHAMENEI", "SMITH", "SMYTH", "KOWALSKI"),
    *("NOWAK", "PETROV", "IVANOVA", "SEMENCHUK", "KIM", "PARK", "PAK", "TAN", "ZHANG", "SILVA", "SANTOS"),
    *("BERG", "CRUZ", "LADEN", "LADIN", "SALMAN", "HMD", "BDLLH", "SCHNEIDER", "SCHNIEDER", "MULLER"),
    *("YUSUPOV", "AHMADINEJAD", "NURISTANI", "ABDULKARIMOV", "VAJIRALONGKORN", "WEIJIE", "HOJIN"),
)
_PARTICLE_WORDS = ("AL", "EL", "BIN", "IBN", "ABU", "ABDUL", "DE", "DE LA", "VAN", "VAN DER", "DOS")


def invented_names(n: int, seed: int) -> list[str]:
    """``n`` invented free-form names: given names (some joined, unvowelled, variants,
    initials) and a surname, about a third behind particles, some misspelt."""
    rng = Random(seed)
    out = []
    for _ in range(n):
        given = " ".join(rng.sample(_GIVEN, rng.choice((1, 1, 2))))
        surname = rng.choice(_SURNAMES)
        if rng.random() < 0.35:
            surname = f"{rng.choice(_PARTICLE_WORDS)} {surname}"
        if rng.random() < 0.15:
            i = rng.randrange(len(surname))
            surname = surname[:i] + rng.choice("ABCDEFGHIJKLMNOPRSTUVWYZ") + surname[i + 1 :]
        if rng.random() < 0.1:
            surname = surname.replace(" ", "")  # the particle joined as written
        out.append(f"{given} {surname}")
    return out


def hand_variants() -> list[NameVariant]:
    """Listed names no normalisation writes (a wildcard kept, non-ASCII letters left in)
    for the port's char path and wildcard rule inside the index."""
    return [
        NameVariant((Token("MA?TA", "MA?TA", "n"), Token("NOWAK", "NOWAK", "n")), "plain", False),
        NameVariant((Token("MÜLLER", "MÜLLER", "s"), Token("JÜRGEN", "JÜRGEN", "g")), "plain", True),
        NameVariant((Token("ALЖУКОВ", "ЖУКОВ", "n"), Token("김정은", "김정은", "n")), "plain", False),
    ]


@pytest.fixture(scope="module")
def indexes() -> tuple[NameIndex, NameIndex]:
    """``(compiled, Python)`` indexes over the same ~350 invented names."""
    variants = [v for name in invented_names(350, seed=11) for v in name_variants(name)]
    variants += [v for name in ("KIM JONG UN", "김정은", "Müller Jürgen", "O'Dwyer Sean") for v in name_variants(name)]
    variants += hand_variants()
    records = [IndexedName(person, 0, v) for person, v in enumerate(variants)]
    native = NameIndex(records, string_similarity, native=True)
    python = NameIndex(records, string_similarity, native=False)
    assert native.native and not python.native
    return native, python


MIN_SIMILARITIES = (0.5, 0.72, 0.9)


def assert_same_neighbours(indexes: tuple[NameIndex, NameIndex], tok: Token) -> list[tuple[int, float]]:
    """At every :data:`MIN_SIMILARITIES`, the compiled neighbours of ``tok`` equal the
    Python ones bit for bit; returns those at 0.5."""
    native, python = indexes
    found: list[tuple[int, float]] = []
    for min_similarity in MIN_SIMILARITIES:
        py = python.neighbours(tok, min_similarity)
        nat = native.neighbours(tok, min_similarity)
        assert [(t, s.hex()) for t, s in nat] == [(t, s.hex()) for t, s in py], (
            f"neighbours({tok}, {min_similarity}): compiled {nat} vs Python {py}"
        )
        if min_similarity == 0.5:
            found = py
    return found


def edited_forms(text: str, rng: Random) -> list[str]:
    """``text``, one deletion, substitution, insertion and transposition of it, its
    first letter, its vowel-free form and one with a wildcard."""
    i = rng.randrange(len(text))
    letter = rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    out = [
        text,
        text[:i] + text[i + 1 :],
        text[:i] + letter + text[i + 1 :],
        text[:i] + letter + text[i:],
        text[:1],
        "".join(c for c in text if c not in "AEIOU"),
        text[:i] + "?" + text[i + 1 :],
    ]
    if len(text) >= 2:
        j = min(i, len(text) - 2)
        out.append(text[:j] + text[j + 1] + text[j] + text[j + 2 :])
    return [s for s in out if s]


def query_tokens(index: NameIndex, seed: int) -> list[Token]:
    """Query tokens near the index's vocabulary: each listed token text edited, without
    a particle and with one (a particle-free core), and the tokens of edited full names
    as :func:`matchers.normalise.name_variants` writes them."""
    rng = Random(seed)
    listed = {t for rid in index.all_records() for t in index.record(rid).variant.tokens}
    tokens: set[Token] = set(listed)
    texts = sorted({t.core for t in listed})
    for text in texts:
        for form in edited_forms(text, rng):
            tokens.add(Token(form, form, "n"))
            particle = rng.choice(sorted(PARTICLES))
            tokens.add(Token(particle + form, form, "n"))
    for name in invented_names(120, seed=seed):
        i = rng.randrange(len(name))
        edited = name[:i] + rng.choice("ABEHIKMOSUY ") + name[i + 1 :]
        for v in name_variants(edited):
            tokens.update(v.tokens)
    return sorted(tokens, key=lambda t: (t.text, t.core))


def test_neighbours_parity_on_edited_vocabulary(indexes: tuple[NameIndex, NameIndex]) -> None:
    tokens = query_tokens(indexes[1], seed=5)
    assert len(tokens) > 1500
    met = below_one = via_core = 0
    for tok in tokens:
        found = assert_same_neighbours(indexes, tok)
        met += bool(found)
        below_one += any(s < 1.0 for _, s in found)
        via_core += tok.core != tok.text and bool(found)
    # the comparison is not vacuous: most tokens meet listed tokens, many fuzzily, and
    # particle-joined tokens meet through their cores
    assert met > 3 * len(tokens) // 4 and below_one > 1500 and via_core > 800


@st.composite
def query_token(draw: st.DrawFn) -> Token:
    """A query token near the invented names: a transformed name, perhaps behind a particle
    (its particle-free core the transformed name)."""
    core = draw(st.sampled_from((*_GIVEN, *_SURNAMES)).map(lambda s: s.replace(" ", "")).flatmap(transformed))
    if not core:
        core = "A"
    if draw(st.booleans()):
        return Token(draw(st.sampled_from(sorted(PARTICLES))) + core, core, "n")
    return Token(core, core, "n")


@PARITY
@given(tok=query_token())
def test_neighbours_parity_on_generated_tokens(indexes: tuple[NameIndex, NameIndex], tok: Token) -> None:
    assert_same_neighbours(indexes, tok)
