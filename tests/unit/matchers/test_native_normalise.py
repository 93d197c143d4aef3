"""The compiled name path (``native/src/normalise.rs``, exposed as
:data:`matchers.normalise.variant_texts`) against :func:`matchers.normalise.name_variants`,
its reference: the same token texts, particle-free cores and syllable flags, variant by
variant, for every name written in ASCII, the characters of
:func:`matchers.normalise._char_folds` (accented Latin letters; Greek, Cyrillic, Arabic,
Hebrew, the Indic scripts… through unidecode) and, once
:func:`matchers.normalise.load_transliteration_tables` has given the port their folds,
Han and Hangul (read syllable by syllable; Hangul's Korean variants); ``None`` (the
Python path) for any other (kana, a voicing mark).

Parity is exact (``==`` on the strings). The generated names are weighted to reach every
step the port copies: case folding and the camel-case split, apostrophes, digit
look-alikes inside words, separators, the ``?`` wildcard, titles (and names of titles
only), particles joined, trailing particles moved (structured and free-form), suffixes
dropped, placeholders and Python's whitespace (``\\x1c``–``\\x1f`` too), each accented
letter alone and next to others (the camel-case split reads ``À``–``ÿ``).
"""

from __future__ import annotations

import dataclasses
from random import Random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchers.normalise import (
    _HAN_BLOCKS,
    _ICAO_TABLE,
    _ICAO_TRIGGERS,
    _PLAIN_TABLE,
    PARTICLES,
    SUFFIXES,
    TITLES,
    UNKNOWN_VALUES,
    _char_folds,
    _compiled_variant_texts,
    _fold,
    _syllable_folds,
    compiled_name_variants,
    load_transliteration_tables,
    name_variants,
    variant_texts,
)
from tests.unit.matchers.helpers import suite_names

pytestmark = pytest.mark.skipif(variant_texts is None, reason="matchers._core is not built")
load_transliteration_tables()  # the port folds Han and Hangul from here on (the screener does this)

PARITY = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PLAIN = _char_folds(_PLAIN_TABLE)
ICAO = _char_folds(_ICAO_TABLE)
ASCII = {chr(c) for c in range(128)}
HAN = {chr(cp) for lo, hi in _HAN_BLOCKS for cp in range(lo, hi)}
HANGUL = {chr(cp) for cp in range(0xAC00, 0xD7A4)}
FOLDABLE = ASCII | set(PLAIN) | HAN | HANGUL
"""The characters the port folds: ASCII, the folded characters (with an ICAO letter
in the field, those of ``ICAO`` only), Han and Hangul."""


def foldable(value: str | None) -> bool:
    if value is None or not set(value) <= FOLDABLE:
        return value is None
    icao_letter = any(not _ICAO_TRIGGERS.isdisjoint(c.casefold()) for c in value)
    return not icao_letter or set(value) <= ASCII | set(ICAO) | HAN | HANGUL


Texts = list[tuple[list[str], list[str], list[bool]]]


def reference(full_name: str | None, surname: str | None, given_names: str | None) -> Texts:
    return [
        ([t.text for t in v.tokens], [t.core for t in v.tokens], [t.syllable for t in v.tokens])
        for v in name_variants(full_name, surname, given_names)
    ]


def unflagged(got: Texts | None) -> list[tuple[list[str], list[str]]]:
    """``(texts, cores)`` of each variant, checking that no token is a syllable."""
    assert got is not None
    assert not any(any(flags) for _, _, flags in got)
    return [(texts, cores) for texts, cores, _ in got]


def assert_parity(full_name: str | None, surname: str | None = None, given_names: str | None = None) -> bool:
    """Both paths agree; True when the compiled path answered (it may refuse only a name
    with a field outside ASCII)."""
    assert variant_texts is not None
    got = variant_texts(full_name, surname, given_names)
    if got is None:
        fields = (full_name, surname, given_names)
        assert not all(foldable(v) for v in fields), fields
        return False
    assert got == reference(full_name, surname, given_names), (full_name, surname, given_names)
    # the whole NameVariant objects too (fields, rules, structured), tokens shared
    made = compiled_name_variants(full_name, surname, given_names)
    python = name_variants(full_name, surname, given_names)
    assert made == python, (full_name, surname, given_names)
    assert all(a is b for m, r in zip(made, python, strict=True) for a, b in zip(m.tokens, r.tokens, strict=True))
    return True


@pytest.mark.parametrize(
    ("full_name", "surname", "given_names", "texts"),
    [
        ("Al Lawson, Jr.", None, None, [(["ALLAWSON", "JR"], ["LAWSON", "JR"]), (["ALLAWSON"], ["LAWSON"])]),
        (None, "GHABRA", "MOHAMMED AL", [(["ALGHABRA", "MOHAMMED"], ["GHABRA", "MOHAMMED"])]),
        ("SALMAN MOHAMMED BIN", None, None, [(["BINSALMAN", "MOHAMMED"], ["SALMAN", "MOHAMMED"])]),
        ("FridrichBuchenberg", None, None, [(["FRIDRICH", "BUCHENBERG"], ["FRIDRICH", "BUCHENBERG"])]),
        ("O'Dwyer SECH1N", None, None, [(["ODWYER", "SECHIN"], ["ODWYER", "SECHIN"])]),
        ("Mr Ma?ta Smith", None, None, [(["MA?TA", "SMITH"], ["MA?TA", "SMITH"])]),
        ("MR DR", None, None, [(["MR", "DR"], ["MR", "DR"])]),
        ("the name", " none ", "\x1cUNK\x1f", [(["THE", "NAME"], ["THE", "NAME"])]),
        ("???", None, None, []),
        ("José Muñoz-Łukasz", None, None, [(["JOSE", "MUNOZ", "LUKASZ"], ["JOSE", "MUNOZ", "LUKASZ"])]),
        ("AndréÉtienne", None, None, [(["ANDRE", "ETIENNE"], ["ANDRE", "ETIENNE"])]),
        (None, "\xa0NONE", "Straße", [(["STRASSE"], ["STRASSE"])]),
        ("Jürgen", None, None, [(["JURGEN"], ["JURGEN"]), (["JUERGEN"], ["JUERGEN"])]),
        (None, "\x1cNONE\xa0", "JOHN", [(["JOHN"], ["JOHN"])]),  # a placeholder among Python's whitespace
        (None, "Øster Åsa", "al", [(["ALOSTER", "ASA"], ["OSTER", "ASA"]), (["ALOESTER", "AASA"], ["OESTER", "AASA"])]),
        (
            "Søren Jr",
            None,
            None,
            [(["SOREN", "JR"], ["SOREN", "JR"]), (["SOEREN", "JR"], ["SOEREN", "JR"]), (["SOREN"], ["SOREN"])],
        ),
        (None, None, None, []),
    ],
)
def test_known_names(full_name: str | None, surname: str | None, given_names: str | None, texts: Any) -> None:
    assert variant_texts is not None
    assert unflagged(variant_texts(full_name, surname, given_names)) == texts
    assert assert_parity(full_name, surname, given_names)


def test_a_field_read_with_other_letters_takes_the_python_path() -> None:
    # kana and a kana voicing mark (NFC joins it to the kana before it)
    assert variant_texts is not None
    assert variant_texts("さゆり", None, None) is None
    assert variant_texts("ﾊﾞﾊﾞ", None, None) is None
    assert "\uff9e" not in PLAIN and "\u3099" not in PLAIN
    assert variant_texts("Müller さゆり", None, None) is None
    assert variant_texts(None, "Müller", "ゆ") is None
    # a field that is not read does not matter: structured fields win over the full name
    assert unflagged(variant_texts("さゆり", "MULLER", "JURGEN")) == [(["MULLER", "JURGEN"], ["MULLER", "JURGEN"])]
    # a lone surrogate (a JSON body may carry one) is no UTF-8: the Python path, no error
    assert variant_texts("A\ud800B", None, None) is None
    assert variant_texts(None, "SMITH\ud800", "JOHN") is None


@pytest.mark.parametrize(
    ("full_name", "surname", "given_names", "texts"),
    [
        # Hangul: one token a syllable, and the Korean rules' vowels (ㅓ, ㅡ) when they differ
        (
            "김정은",
            None,
            None,
            [
                (["GIM", "JEONG", "EUN"], ["GIM", "JEONG", "EUN"], [True] * 3),
                (["GIM", "JONG", "UN"], ["GIM", "JONG", "UN"], [True] * 3),
                (["GIM", "JUNG", "EUN"], ["GIM", "JUNG", "EUN"], [True] * 3),
            ],
        ),
        (None, "박", "민수", [(["BAK", "MIN", "SU"], ["BAK", "MIN", "SU"], [True] * 3)]),
        # Han, the compatibility ideographs through their unified forms; a syllabic field
        # joins no particle, and its Latin words are syllables too
        (None, "田中", "学", [(["TIAN", "ZHONG", "XUE"], ["TIAN", "ZHONG", "XUE"], [True] * 3)]),
        (None, "\uf900", None, [(["QI"], ["QI"], [True])]),  # U+F900 is U+8C48 豈 under NFKD
        ("박 Al Hassan", None, None, [(["BAK", "AL", "HASSAN"], ["BAK", "AL", "HASSAN"], [True] * 3)]),
        # the flags are per field; an ICAO letter beside Han gives its variant
        (
            None,
            "Müller",
            "学",
            [
                (["MULLER", "XUE"], ["MULLER", "XUE"], [False, True]),
                (["MUELLER", "XUE"], ["MUELLER", "XUE"], [False, True]),
            ],
        ),
        # a generational suffix dropped from a free-form name in syllables
        (
            "豐田 Jr",
            None,
            None,
            [
                (["FENG", "TIAN", "JR"], ["FENG", "TIAN", "JR"], [True] * 3),
                (["FENG", "TIAN"], ["FENG", "TIAN"], [True] * 2),
            ],
        ),
    ],
)
def test_names_in_syllables(full_name: str | None, surname: str | None, given_names: str | None, texts: Any) -> None:
    assert variant_texts is not None
    assert variant_texts(full_name, surname, given_names) == texts
    assert assert_parity(full_name, surname, given_names)


def test_han_and_hangul_wait_for_their_tables() -> None:
    # a port made anew folds them only once given their folds; the first tables given count
    fresh = _compiled_variant_texts()
    assert fresh is not None and not fresh.syllabic
    assert fresh("김정은") is None and fresh(None, "田中", "学") is None
    assert fresh("JOHN SMITH") == [(["JOHN", "SMITH"], ["JOHN", "SMITH"], [False, False])]
    han, hangul = _syllable_folds()
    assert fresh.add_syllables(han, hangul) and fresh.syllabic
    assert not fresh.add_syllables({}, {})
    assert fresh(None, "田中", "学") == variant_texts(None, "田中", "学") == reference(None, "田中", "学")


def test_the_syllable_folds_are_python_folds() -> None:
    # every ideograph and syllable as _fold writes it, with either table (and each Korean rule)
    han, hangul = _syllable_folds()
    assert set(han) == HAN and set(hangul) == HANGUL
    for ch, fold in han.items():
        assert fold == _fold(ch, _PLAIN_TABLE) == _fold(ch, _ICAO_TABLE), ch
    for ch, folds in hangul.items():
        assert folds == tuple(_fold(ch, _PLAIN_TABLE, rule) for rule in ("plain", "korean_mr", "korean_u")), ch
    assert han["田"] == "Tian " and hangul["정"] == (" jeong ", " jong ", " jung ")


def test_the_port_refuses_syllable_tables_it_cannot_hold() -> None:
    fresh = _compiled_variant_texts()
    assert fresh is not None
    with pytest.raises(ValueError, match="han"):
        fresh.add_syllables({"a": "a"}, {})
    with pytest.raises(ValueError, match="han"):
        fresh.add_syllables({"田": "田"}, {})
    with pytest.raises(ValueError, match="hangul"):
        fresh.add_syllables({}, {"田": ("a", "b", "c")})
    with pytest.raises(ValueError, match="hangul"):
        fresh.add_syllables({}, {"정": ("jeong", "정", "jung")})
    assert not fresh.syllabic


@pytest.mark.parametrize(
    ("full_name", "surname", "given_names", "texts"),
    [
        ("Владимир Путин", None, None, [(["VLADIMIR", "PUTIN"], ["VLADIMIR", "PUTIN"])]),
        ("محمد عبد الله", None, None, [(["MHMD", "BD", "LLH"], ["MHMD", "BD", "LLH"])]),
        (None, "गावडे", "शान्ता", [(["GAAVDDE", "SHAANTAA"], ["GAAVDDE", "SHAANTAA"])]),
        ("ΓΙΏΡΓΟΣ Παπαδόπουλος", None, None, [(["GIORGOS", "PAPADOPOULOS"], ["GIORGOS", "PAPADOPOULOS"])]),
        ("מרים כהן", None, None, [(["MRYM", "KHHN"], ["MRYM", "KHHN"])]),
        ("علی\u200cرضا", None, None, [(["LYRD"], ["LYRD"])]),  # a zero-width non-joiner
        ("ＪＯＨＮ ｓｍｉｔｈ", None, None, [(["JOHN", "SMITH"], ["JOHN", "SMITH"])]),  # full-width
    ],
)
def test_names_in_other_alphabets(
    full_name: str | None, surname: str | None, given_names: str | None, texts: Any
) -> None:
    assert variant_texts is not None
    assert unflagged(variant_texts(full_name, surname, given_names)) == texts
    assert assert_parity(full_name, surname, given_names)


def test_the_folded_characters() -> None:
    assert len(PLAIN) > 8000 and len(ICAO) > 8000
    assert PLAIN["é"] == "e" and PLAIN["É"] == "e" and PLAIN["ß"] == "ss" and PLAIN["ł"] == "l"
    assert PLAIN["ü"] == "u" and ICAO["ü"] == "ue" and ICAO["Å"] == "aa" and ICAO["ł"] == "l"
    assert PLAIN["\u0301"] == ""  # a combining accent is dropped
    assert PLAIN["ж"] == "zh" and PLAIN["ع"] == "`" and PLAIN["\u094d"] == ""  # a virama folds to nothing
    assert "\u093c" not in PLAIN  # the nukta: NFC joins it to the letter before (न + ़ = ऩ)
    assert all(v.isascii() for v in (*PLAIN.values(), *ICAO.values()))


def test_each_folded_character_agrees_alone_and_among_others() -> None:
    # alone, in a word, after and before lowercase letters (camel-case split: À–Þ upper,
    # ß–ÿ lower), inside a placeholder, next to another accented letter
    for ch in sorted(set(PLAIN) | set(ICAO)):
        for text in (ch, f"ab{ch}cd", f"xy{ch}Ab", f"abC{ch}{ch}", f"N{ch}NE", f"{ch}NA", f" {ch}N/A{ch} ", f"é{ch}ñ"):
            assert assert_parity(text) is foldable(text), text
            assert assert_parity(None, text, "MARIA") is foldable(text), text


def test_han_and_hangul_agree_alone_and_among_others() -> None:
    # a sample of both scripts: alone, between Latin letters (camel-case split), before a
    # combining accent (dropped) and a kana voicing mark (not folded: the Python path),
    # beside an ICAO letter, a particle, a suffix and each other
    for ch in sorted(HAN | HANGUL)[::97]:
        contexts = (f"ab{ch}cd", f"xy{ch}Ab", f"{ch}\u0301", f"{ch}\u3099", f"Ø{ch}", f"AL {ch}", f"{ch}김 Jr")
        for text in (ch, *contexts):
            assert assert_parity(text) is foldable(text), text
            assert assert_parity(None, text, "AL") is foldable(text), text


def test_the_port_refuses_tables_it_cannot_hold() -> None:
    from matchers._core import FoldedNames

    with pytest.raises(ValueError, match="lookalike"):
        FoldedNames(set(), set(), set(), set(), set(), {"1": "ii"}, {}, {}, set())
    with pytest.raises(ValueError, match="plain"):
        FoldedNames(set(), set(), set(), set(), set(), {}, {"é": "é"}, {}, set())
    with pytest.raises(ValueError, match="icao"):
        FoldedNames(set(), set(), set(), set(), set(), {}, {}, {"e": "e"}, set())


WORDS = (
    *("john", "SMITH", "Maria", "de", "la", "van", "der", "al", "bin", "abu", "abdul", "ibn", "el"),
    *sorted(PARTICLES)[:12],
    *sorted(TITLES)[:6],
    *sorted(SUFFIXES),
    *("o'neil", "d`arcy", "mc donald", "McDonald", "FridrichBuchenberg", "deLuca", "SECH1N", "4ndrew"),
    *("2pac", "1990", "ma?ta", "?", "??x", "x-y", "a.b", "Jean-Luc", "K", "L."),
    *sorted(UNKNOWN_VALUES),
)
SEPARATORS = (" ", " ", " ", "  ", "-", ", ", ".", "\t", "\x1c", "/", "'")


def _generated_name(rng: Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(0, 5))]
    out = ""
    for w in words:
        out += w + rng.choice(SEPARATORS)
    return rng.choice(["", " ", "\x1f"]) + out.strip(" ") + rng.choice(["", " ", "\x0b"])


def test_generated_names_agree() -> None:
    rng = Random(7)
    answered = 0
    for _ in range(6000):
        full = _generated_name(rng) if rng.random() < 0.9 else None
        shape = rng.random()
        if shape < 0.4:
            answered += assert_parity(full)
        else:
            sur = _generated_name(rng) if rng.random() < 0.8 else None
            giv = _generated_name(rng) if rng.random() < 0.8 else None
            answered += assert_parity(full, sur, giv)
    assert answered == 6000  # every generated name is ASCII


@PARITY
@given(
    st.one_of(st.none(), st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=24)),
    st.one_of(st.none(), st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=16)),
    st.one_of(st.none(), st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=16)),
)
def test_any_ascii_agrees(full_name: str | None, surname: str | None, given_names: str | None) -> None:
    assert assert_parity(full_name, surname, given_names)


@PARITY
@given(
    st.text(alphabet=st.sampled_from(sorted(FOLDABLE)), max_size=24),
    st.one_of(st.none(), st.text(alphabet=st.sampled_from(sorted(FOLDABLE)), max_size=16)),
)
def test_any_foldable_text_agrees(full_name: str, surname: str | None) -> None:
    answered = assert_parity(full_name, surname, None)
    assert answered or not (foldable(full_name) and foldable(surname))


@PARITY
@given(st.text(max_size=20), st.one_of(st.none(), st.text(max_size=12)))
def test_any_text_agrees_or_takes_the_python_path(full_name: str, surname: str | None) -> None:
    assert_parity(full_name, surname, None)


@pytest.mark.contract
def test_real_names_agree() -> None:
    # every name of UN + OFAC SDN + UK HMT and of the negatives fixture: those of ASCII
    # and the folded characters through the port, the others refused
    names = suite_names({"negatives_us.csv": "neg"})
    answered = sum(assert_parity(*n) for n in names)
    assert len(names) > 60_000 and answered > 0.85 * len(names)


# --- the screener's use ---------------------------------------------------------------


def spy_query_variants(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys of the queries whose NameVariant objects the screener makes (a spy on
    ``matchers.screener.query_variants`` for the test)."""
    import matchers.screener as screener_module

    made: list[str] = []
    real = screener_module.query_variants

    def spy(person: Any) -> Any:
        made.append(person.key)
        return real(person)

    monkeypatch.setattr(screener_module, "query_variants", spy)
    return made


def test_the_screener_makes_name_variants_only_for_a_name_to_score(monkeypatch: pytest.MonkeyPatch) -> None:
    # a Latin name goes to the compiled stage as texts (an ICAO letter: its two variants);
    # its NameVariant objects are made only when a candidate person is to be scored; a
    # name in another script takes the variants path; the hits are those of the Python
    # reference stage
    from matchers import MatchConfig, Screener
    from tests.unit.matchers.helpers import entry, query

    listed = [
        entry("1", "NOWAK", "ADAM", "1970-01-01"),
        entry("2", "ПЕТРОВ", "ВЛАДИМИР"),
        entry("3", "MUELLER", "JUERGEN"),
    ]
    compiled = Screener(listed, MatchConfig(), native=True)
    reference = Screener(listed, MatchConfig(), native=False)
    made = spy_query_variants(monkeypatch)
    queries = [
        dataclasses.replace(query(sur, giv), key=key)
        for key, sur, giv in (
            ("q1", "KOWALSKI", "JAN"),
            ("q2", "NOWAK", "ADAM"),
            ("q3", "ПЕТРОВ", "ВЛАДИМИР"),
            ("q4", "MÜLLER", "JÜRGEN"),
        )
    ]
    hits = compiled.screen(queries)
    assert made == ["q2", "q3", "q4"]  # q1 meets no candidate; q3 is Cyrillic
    assert [[h.entry_id for h in hs] for hs in hits] == [[], ["1"], ["2"], ["3"]]
    assert hits == reference.screen(queries)


def test_text_candidates_refuses_what_the_compiled_stage_cannot_serve() -> None:
    from matchers import MatchConfig, Screener
    from matchers.index import MAX_NATIVE_QUERY_TOKENS
    from tests.unit.matchers.helpers import entry

    python = Screener([entry("1", "NOWAK", "ADAM")], MatchConfig(), native=False)
    with pytest.raises(RuntimeError, match="not built"):
        python.index.text_candidates([(["NOWAK"], ["NOWAK"])], limit=5)
    compiled = Screener([entry("1", "NOWAK", "ADAM")], MatchConfig(), native=True)
    long = ["A"] * (MAX_NATIVE_QUERY_TOKENS + 1)
    with pytest.raises(ValueError, match="more than"):
        compiled.index.text_candidates([(long, long)], limit=5)
    assert not compiled.index.native_ready(False, None, [long])
    assert compiled.index.native_ready(False, None, [["NOWAK"]])
    assert not compiled.index.native_ready(True, None, [["NOWAK"]])  # a boost without its compiled form
    found = compiled.index.text_candidates([(["NOWAK", "ADAM"], ["NOWAK", "ADAM"])], limit=5)
    assert [compiled.index.person_of(rid) for rid, _ in found] == [0]


def test_name_candidates_is_text_candidates_of_the_folded_names() -> None:
    # one compiled call folds the names and ranks: the same candidates as the two steps;
    # None for a name the fold cannot read (kana, a lone surrogate, not a str)
    from matchers import MatchConfig, Screener
    from matchers.index import NameShape
    from matchers.model import PersonName
    from tests.unit.matchers.helpers import entry

    listed = [
        entry("1", "NOWAK", "ADAM"),
        entry("2", "MUELLER", "JUERGEN"),
        entry("3", "KIM", "JONG UN"),
        entry("4", "GIM", "JEONG EUN SU"),
    ]
    compiled = Screener(listed, MatchConfig(), native=True)
    index = compiled.index
    usual, strict = NameShape(absent_penalty=0.0, extra_penalty=0.0), NameShape(absent_penalty=2.0, extra_penalty=2.0)
    assert variant_texts is not None
    for names in (
        (PersonName(surname="NOWAK", given_names="ADAM"),),
        (PersonName(full_name="Jürgen Müller"), PersonName(surname="NOWAK", given_names="A")),
        (PersonName(full_name="김정은"),),
        (PersonName(full_name=None),),
    ):
        folded = [v for n in names for v in variant_texts(n.full_name, n.surname, n.given_names) or []]
        texts = [(t, c) for t, c, _ in folded]
        syllabic = all(True in f for _, _, f in folded) and bool(texts)
        # the syllable shape when every variant has a syllable, the other one otherwise
        got = index.name_candidates(names, variant_texts, limit=5, shape=usual, syllabic_shape=strict)
        expected = index.text_candidates(texts, limit=5, shape=strict if syllabic else usual)
        assert got == (syllabic, expected), names
        if syllabic:  # the shapes rank it differently, so the test tells them apart
            assert expected != index.text_candidates(texts, limit=5, shape=usual)
    assert index.name_candidates((PersonName(full_name="さゆり"),), variant_texts, limit=5) is None
    assert index.name_candidates((PersonName(full_name="A\ud800B"),), variant_texts, limit=5) is None
    assert index.name_candidates((dataclasses.replace(PersonName(), full_name=7),), variant_texts, limit=5) is None
    python = Screener(listed, MatchConfig(), native=False)
    with pytest.raises(RuntimeError, match="not built"):
        python.index.name_candidates((PersonName(full_name="ADAM NOWAK"),), variant_texts, limit=5)


@pytest.mark.filterwarnings("ignore:Surrogate character:RuntimeWarning")  # unidecode drops it, and says so
def test_a_lone_surrogate_in_a_name_screens_as_in_the_python_stage() -> None:
    # one traveller's broken name must not stop the batch
    from matchers import MatchConfig, Screener
    from tests.unit.matchers.helpers import entry, query

    listed = [entry("1", "SMITH", "JOHN"), entry("2", "VOLKOVA", "IRINA")]
    queries = [query("SMITH\ud800", "JOHN"), query("VOLKOVA", "IRINA")]
    compiled = Screener(listed, MatchConfig(), native=True).screen(queries)
    assert [[h.entry_id for h in hs] for hs in compiled] == [["1"], ["2"]]
    assert compiled == Screener(listed, MatchConfig(), native=False).screen(queries)


def test_a_name_in_syllables_screens_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    # a Chinese or Korean name goes to the compiled stage too: its NameVariant objects are
    # made only when a candidate person is to be scored (山田太郎 meets no listed name),
    # and the hits are those of the Python reference stage
    from matchers import MatchConfig, Screener
    from tests.unit.matchers.helpers import entry, query

    listed = [entry("1", "JANG", "YONG SON"), entry("2", "JIANG", "JUN HONG"), entry("3", "KIM", "JONG UN")]
    compiled = Screener(listed, MatchConfig(), native=True)
    reference = Screener(listed, MatchConfig(), native=False)
    made = spy_query_variants(monkeypatch)
    queries = [
        dataclasses.replace(query(sur, giv), key=key)
        for key, sur, giv in (("q1", "江", "俊宏"), ("q2", "김", "정은"), ("q3", "山田", "太郎"))
    ]
    ranked = [compiled.index.name_candidates(q.names, variant_texts, limit=5) for q in queries]
    assert [got is not None and got[0] for got in ranked] == [True, True, True]  # compiled, syllables
    hits = compiled.screen(queries)
    assert [[h.entry_id for h in hs] for hs in hits] == [["2"], ["3"], []]
    assert "q3" not in made
    assert hits == reference.screen(queries)
