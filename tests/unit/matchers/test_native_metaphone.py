"""The compiled Metaphone key (``native/src/metaphone.rs``, exposed as
``matchers._core.metaphone_key``) against its reference :func:`matchers.index.phonetic_key`
(``""`` under 3 letters, else ``jellyfish.metaphone`` of the jellyfish Python package).

The compiled stage computes the keys of strings outside its vocabulary itself when they
are written in ``A``–``Z`` and the ``?`` wildcard (every token text, core and two tokens
joined) and asks ``phonetic_key`` for any other string. Parity is exact (``==`` on the
strings): on written-out values (among them a final ``GH``, where the jellyfish crate
1.0.0 on crates.io and the Python package 1.3.0 disagree), on every string of up to 3
characters, on generated strings weighted to the letters whose rules read their
neighbours, and on every token of the real lists and fixtures; and the candidate stage
asks Python for no key of an ``A``–``Z`` query. Skipped when ``matchers._core`` is not
built (``test_native_similarity`` fails then instead).
"""

from __future__ import annotations

from itertools import pairwise, product
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import matchers.index
from matchers.index import IndexedName, NameIndex, phonetic_key
from matchers.normalise import name_variants
from matchers.scoring import string_similarity
from tests.unit.matchers.helpers import suite_names

_core: Any = matchers.index._core

pytestmark = pytest.mark.skipif(_core is None, reason="matchers._core is not built")

PARITY = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

AZ = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

RULE_LETTERS = "ACDGHIOSTWXYEBMNPKU?"
"""Letters whose Metaphone rules read a neighbour (``CH``, ``CIA``, ``DGE``, ``GH``, ``GN``,
``SIO``, ``TCH``, ``WH``, ``X``, a final ``MB``, an ``H`` after a vowel, ``CK``, ``PH``)
and the wildcard, which is a letter to its neighbours' rules."""

reference = phonetic_key.__wrapped__
""":func:`phonetic_key` without its memo (the strings below would fill it)."""


def assert_same_key(text: str) -> None:
    assert _core.metaphone_key(text) == reference(text), text


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("SMITH", "SM0"),
        ("MOHAMMED", "MHMT"),
        ("SCHMIDT", "SXMTT"),
        ("CHRISTOPHER", "XRSTFR"),
        ("THOMPSON", "0MPSN"),
        ("KNIGHT", "NT"),
        ("WRIGHT", "RT"),
        ("AESCHYLUS", "ESXLS"),
        ("XAVIER", "SFR"),
        ("XIONG", "XNK"),
        ("ZHANG", "SHNK"),
        ("WHYTE", "WT"),
        ("TCHAIKOVSKY", "XKFSK"),
        ("NATION", "NXN"),
        ("BUDGE", "BJ"),
        ("LAMB", "LM"),
        ("LAMBERT", "LMBRT"),
        ("DOUGHERTY", "TKHRT"),
        ("GHOST", "KHST"),
        # a final GH is silent in jellyfish 1.3.0 (the crate 1.0.0 gives HKH, BRKH)
        ("HUGH", "H"),
        ("BERGH", "BR"),
        ("DABBAGH", "TB"),
        # the wildcard gives nothing but stands between letters
        ("MA?TA", "MT"),
        ("C?H", "KH"),
        ("???", ""),
        # under 3 letters: no key
        ("JO", ""),
        ("X", ""),
        ("", ""),
    ],
)
def test_known_keys(text: str, key: str) -> None:
    assert phonetic_key(text) == key
    assert _core.metaphone_key(text) == key


def test_every_short_string_agrees() -> None:
    # all strings of up to 3 characters over A–Z and ?, and of 4 over the rule letters
    for n in range(4):
        for letters in product(AZ + "?", repeat=n):
            assert_same_key("".join(letters))
    for letters in product(RULE_LETTERS, repeat=4):
        assert_same_key("".join(letters))


@PARITY
@given(st.text(alphabet=AZ + "?", max_size=20))
def test_any_token_text_agrees(text: str) -> None:
    assert_same_key(text)


@PARITY
@given(st.text(alphabet=st.sampled_from(RULE_LETTERS), max_size=20))
def test_rule_letters_agree(text: str) -> None:
    assert_same_key(text)


@pytest.mark.parametrize("text", ["smith", "Smith", "JOHN SMITH", "MÜLLER", "O'NEIL", "A1B", "ÀBC"])
def test_other_strings_are_left_to_python(text: str) -> None:
    # outside A–Z and ?: None, and the compiled stage asks phonetic_key (its reading of
    # case, accents and spaces is not ported)
    assert _core.metaphone_key(text) is None


@pytest.mark.parametrize("text", ["ab", "Ü", "a?", " "])
def test_any_string_under_three_characters_has_no_key(text: str) -> None:
    assert _core.metaphone_key(text) == phonetic_key(text) == ""


def test_the_candidate_stage_asks_python_only_for_other_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    # an index built with a recording phonetic_key: its keys for the vocabulary are asked
    # while it is built; then queries outside the vocabulary (misspelt, joined, with a
    # wildcard) ask for nothing and give the candidates of an index built as usual;
    # a lowercase query text is asked of Python
    records = [
        IndexedName(p, 0, v)
        for p, (sur, giv) in enumerate(
            [("AL HADDADIN", "FARID"), ("SMITH", "JOHN"), ("BERGH", "HUGH"), ("TCHAIKOVSKY", "PYOTR")]
        )
        for v in name_variants(None, sur, giv)
    ]
    asked: list[str] = []

    def recording(text: str) -> str:
        asked.append(text)
        return reference(text)

    usual = NameIndex(records, string_similarity)
    monkeypatch.setattr(matchers.index, "phonetic_key", recording)
    recorded = NameIndex(records, string_similarity)
    assert recorded.native and asked
    queries = [
        [(["SMYTHE", "JON"], ["SMYTHE", "JON"])],
        [(["BERG", "HEW"], ["BERG", "HEW"]), (["BERGHHUGH"], ["BERGHHUGH"])],
        [(["ALHADADIN", "FAREED"], ["HADADIN", "FAREED"])],
        [(["CHAIKOVSKI", "P?OTR"], ["CHAIKOVSKI", "P?OTR"])],
    ]
    asked.clear()
    for q in queries:
        got = recorded.text_candidates(q, limit=10)
        assert got == usual.text_candidates(q, limit=10)
        assert got, q
    assert asked == []
    recorded.text_candidates([(["smyth", "JON"], ["smyth", "JON"])], limit=10)
    assert "smyth" in asked


@pytest.mark.contract
def test_real_tokens_agree() -> None:
    # every token text and core of UN + OFAC SDN + UK HMT and of the three fixtures, and
    # each name's adjacent tokens joined (the compiled stage's joined units)
    names = suite_names(
        {
            "negatives_us.csv": "neg",
            "positives_un_untreated.csv": "un",
            "positives_us_congress_untreated.csv": "congress",
        }
    )
    texts: set[str] = set()
    for name in names:
        for variant in name_variants(*name):
            tokens = variant.tokens
            texts.update(t.text for t in tokens)
            texts.update(t.core for t in tokens)
            texts.update(a.text + b.text for a, b in pairwise(tokens))
    assert len(texts) > 50_000
    for text in texts:
        assert set(text) <= set(AZ + "?"), text
        assert_same_key(text)
