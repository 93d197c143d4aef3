"""The noisy-variant generator of the accuracy benchmark (loadtest/noise.py)."""

from __future__ import annotations

import random

import pytest

from loadtest.noise import NOISE_KINDS, noisy_travellers, traveller_dob, variants_of
from matchers.normalise import canonical_document_number, lookalike_document_number
from schemas.records import Document, EntryDate, EntryName, WatchlistEntry


def _entry(name: str, dob: str | None = "1961-04-06", **kw: object) -> WatchlistEntry:
    return WatchlistEntry(
        list_id="un-sc",
        entry_id="X1",
        names=[EntryName(full_name=name)],
        dates_of_birth=[EntryDate(date=dob)] if dob else [],
        nationalities=["RWA"],
        genders=["M"],
        category="individual",
        **kw,  # type: ignore[arg-type]
    )


def test_clean_swap_and_middle_dropped() -> None:
    e = _entry("STRATON ABDUL SAMAD AL-MUSONI")
    rng = random.Random(1)
    clean = variants_of(e, "clean", rng)
    swap = variants_of(e, "swap", rng)
    middle = variants_of(e, "middle_dropped", rng)
    assert clean is not None and swap is not None and middle is not None
    assert (clean.surname, clean.given_names, clean.date_of_birth) == ("AL-MUSONI", "STRATON ABDUL SAMAD", "1961-04-06")
    assert (swap.surname, swap.given_names) == ("STRATON", "ABDUL SAMAD AL-MUSONI")
    assert (middle.surname, middle.given_names) == ("AL-MUSONI", "STRATON")
    assert (clean.nationality, clean.gender) == ("RWA", "M")
    # a particle stays with its name when middle names go
    first_compound = variants_of(_entry("ABDUL SAMAD NOOR ACHEKZAI"), "middle_dropped", rng)
    assert first_compound is not None
    assert (first_compound.surname, first_compound.given_names) == ("ACHEKZAI", "ABDUL SAMAD")


def test_dob_swap_only_where_it_changes_the_date() -> None:
    rng = random.Random(1)
    t = variants_of(_entry("STRATON MUSONI"), "dob_day_month_swap", rng)
    assert t is not None and t.date_of_birth == "1961-06-04"
    assert variants_of(_entry("STRATON MUSONI", "1961-04-04"), "dob_day_month_swap", rng) is None
    assert variants_of(_entry("STRATON MUSONI", "1961-04-16"), "dob_day_month_swap", rng) is None
    assert variants_of(_entry("STRATON MUSONI", "1961"), "dob_day_month_swap", rng) is None


def test_typo_and_transliteration_change_one_or_two_tokens() -> None:
    e = _entry("LAURENT NKUNDA BATWARE")
    for seed in range(20):
        rng = random.Random(seed)
        typo = variants_of(e, "typo", rng)
        assert typo is not None
        got = [*(typo.given_names or "").split(), typo.surname]
        changed = [a for a, b in zip(got, ["LAURENT", "NKUNDA", "BATWARE"], strict=True) if a != b]
        assert len(changed) == 1
        tr = variants_of(e, "transliteration", rng)
        assert tr is not None
        got = [*(tr.given_names or "").split(), tr.surname]
        assert 1 <= sum(a != b for a, b in zip(got, ["LAURENT", "NKUNDA", "BATWARE"], strict=True)) <= 2


def test_passport_variant_carries_the_number_with_formatting_noise() -> None:
    e = _entry("FLORIBERT NJABU", documents=[Document(type="P", number="OB0243318", issuing_country="COD")])
    t = variants_of(e, "passport", random.Random(3))
    assert t is not None and t.date_of_birth is None and len(t.documents) == 1
    canon = canonical_document_number(t.documents[0].number)
    assert lookalike_document_number(canon) == lookalike_document_number("OB0243318")
    assert variants_of(_entry("FLORIBERT NJABU"), "passport", random.Random(3)) is None


def test_partial_listed_dates_become_full_dates_inside_them() -> None:
    rng = random.Random(5)
    assert (traveller_dob(_entry("A B", "1971"), rng) or "").startswith("1971-")
    assert (traveller_dob(_entry("A B", "1971-03"), rng) or "").startswith("1971-03-")
    rng_e = WatchlistEntry.model_validate(
        {
            "list_id": "l",
            "entry_id": "1",
            "names": [{"full_name": "A B"}],
            "dates_of_birth": [{"from": "1969", "to": "1971"}],
        }
    )
    got = traveller_dob(rng_e, rng) or ""
    assert "1969-01-01" <= got <= "1971-12-31"
    assert traveller_dob(_entry("A B", None), rng) is None


def test_generation_is_seeded_and_kinds_are_checked() -> None:
    entries = [_entry("STRATON ABDUL MUSONI"), _entry("JEAN BOSCO NTAGANDA", "1973-11-05")]
    a = noisy_travellers(entries, seed=9)
    b = noisy_travellers(entries, seed=9)
    assert [x.traveller for x in a] == [x.traveller for x in b]
    assert {x.kind for x in a} <= set(NOISE_KINDS)
    assert all(x.entry_id == "X1" for x in a)
    with pytest.raises(ValueError, match="unknown noise kind"):
        noisy_travellers(entries, kinds=("smudge",))
