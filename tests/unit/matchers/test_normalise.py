from __future__ import annotations

import pytest

from matchers.normalise import (
    canonical_document_number,
    is_unknown,
    lookalike_document_number,
    name_variants,
    normalise_country,
    normalise_gender,
    split_document_numbers,
)


def texts(full: str | None = None, sur: str | None = None, giv: str | None = None) -> set[tuple[str, ...]]:
    return {tuple(t.text for t in v.tokens) for v in name_variants(full, sur, giv)}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Schüßler", {("SCHUSSLER",), ("SCHUESSLER",)}),
        ("Jörg", {("JORG",), ("JOERG",)}),
        ("Brøndum", {("BRONDUM",), ("BROENDUM",)}),
        ("Åge", {("AGE",), ("AAGE",)}),
        ("ÖZDEMİRCAN", {("OZDEMIRCAN",), ("OEZDEMIRCAN",)}),
        ("Leão", {("LEAO",)}),
        ("O'Dwyer", {("ODWYER",)}),
        ("O’DWYER", {("ODWYER",)}),
        ("Jean-Marie Runiga", {("JEAN", "MARIE", "RUNIGA")}),
        ("Mr John Hale", {("JOHN", "HALE")}),
        ("DR", {("DR",)}),
        ("Al-Qaidi", {("ALQAIDI",)}),
        ("AL QAIDI", {("ALQAIDI",)}),
        ("ALQAIDI", {("ALQAIDI",)}),
        ("Abd al-Rahman bin Umayr", {("ABDALRAHMAN", "BINUMAYR")}),
        ("Ludwig van", {("LUDWIG", "VAN")}),
    ],
)
def test_name_tokens(raw: str, expected: set[tuple[str, ...]]) -> None:
    assert texts(raw) == expected


def test_particle_core_is_kept() -> None:
    (variant,) = name_variants(None, "AL-HADDADIN", "FARID")
    assert [(t.text, t.core, t.field) for t in variant.tokens] == [
        ("ALHADDADIN", "HADDADIN", "s"),
        ("FARID", "FARID", "g"),
    ]
    assert variant.structured


def test_structured_fields_win_over_full_name() -> None:
    (variant,) = name_variants("IGNORED NAME", "TAN", "WEI JIE")
    assert [t.field for t in variant.tokens] == ["s", "g", "g"]
    assert variant.concat == "TANWEIJIE"


@pytest.mark.parametrize("value", [None, "", "  ", "NONE", "unknown", "XX", "00", "null"])
def test_unknown_values(value: str | None) -> None:
    assert is_unknown(value)
    assert name_variants(value, value, value) == ()


def test_untransliterable_name_is_uncomparable() -> None:
    # Egyptian hieroglyphs transliterate to nothing: no keys, never "equal" (case 13 b)
    assert name_variants("\U00013000\U00013001") == ()


def test_known_value_is_not_unknown() -> None:
    assert not is_unknown("XXA")


@pytest.mark.parametrize(
    ("raw", "canon"),
    [
        ("ZK 447-1203", "ZK4471203"),
        ("ZK4471203\n\t\t\t", "ZK4471203"),
        ("zk447 1203", "ZK4471203"),
        ("ZK4471203<", "ZK4471203"),
        ("<<<", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_canonical_document_number(raw: str | None, canon: str) -> None:
    assert canonical_document_number(raw) == canon


def test_split_document_numbers() -> None:
    assert split_document_numbers("ZK4471203, PB0093311") == ["ZK4471203", "PB0093311"]
    assert split_document_numbers("A1;B2/C3\nD4") == ["A1", "B2", "C3", "D4"]
    assert split_document_numbers("<<<") == []


def test_lookalike_fold() -> None:
    assert lookalike_document_number("PB0O93311") == lookalike_document_number("PB0093311")
    assert lookalike_document_number("00512334") == lookalike_document_number("512334")
    assert lookalike_document_number("AB123") != lookalike_document_number("AB124")


def test_country_and_gender() -> None:
    assert normalise_country(" deu ") == "DEU"
    assert normalise_country("XXX") is None
    assert normalise_country("XX") is None
    assert normalise_gender("f") == "F"
    assert normalise_gender("X") is None
    assert normalise_gender("U") is None


def test_memoised_variants_are_equal_and_share_tokens() -> None:
    a = name_variants(None, "AL HADDADIN", "FARID")
    b = name_variants(None, "AL HADDADIN", "FARID")
    assert a == b
    # one Token object per distinct token, across names
    other = name_variants(None, "AL HADDADIN", "OMAR")
    assert a[0].tokens[0] is other[0].tokens[0]
    expected = [("ALHADDADIN", "HADDADIN", "s"), ("FARID", "FARID", "g")]
    assert [(t.text, t.core, t.field) for t in a[0].tokens] == expected
    # a trailing particle moves per name, not into the cached field tokens
    moved = name_variants(None, "GHABRA", "MOHAMMED AL")
    assert [t.text for t in moved[0].tokens] == ["ALGHABRA", "MOHAMMED"]
    assert [t.text for t in name_variants(None, "GHABRA", "MOHAMMED")[0].tokens] == ["GHABRA", "MOHAMMED"]
    # ASCII and accented input still fold alike, digits inside words still read as letters
    assert [t.text for t in name_variants("Sech1n Müller")[0].tokens] == ["SECHIN", "MULLER"]


def test_the_screener_loads_the_syllable_scripts_tables_when_it_builds() -> None:
    import importlib.util
    import sys

    from matchers import MatchConfig, Screener
    from matchers.normalise import _SYLLABLE_BLOCKS, load_transliteration_tables

    Screener([], MatchConfig())
    # one unidecode module per 256 code points: x030 (kana) … x09f (Han), x0ac … x0d7
    # (Hangul), x0f9 and x0fa (Han compatibility)
    wanted = {f"unidecode.x{block >> 8:03x}" for lo, hi in _SYLLABLE_BLOCKS for block in range(lo, hi, 256)}
    assert {"unidecode.x04e", "unidecode.x0ac", "unidecode.x0d7"} <= wanted
    # each is loaded, unless unidecode has no table for the block (it folds to nothing)
    missing = {m for m in wanted if m not in sys.modules}
    assert all(importlib.util.find_spec(m) is None for m in missing)
    assert len(missing) < len(wanted) / 4
    load_transliteration_tables()  # again: nothing to do
