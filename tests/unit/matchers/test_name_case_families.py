"""Field cases 09, 10 and 11 beyond the literal reproducers: other members of each
family (other particles, surname-first names, patronymics and second surnames, short
names, other letters the ICAO and plain transliterations treat differently)."""

from __future__ import annotations

import pytest

from matchers import MatchConfig, MatchResult, Person
from tests.unit.matchers.helpers import build, entry, query

CFG = MatchConfig()
T, S = CFG.threshold, CFG.strong_level


def top(
    entries: tuple[Person, ...], surname: str | None, given: str | None, dob: str, full_name: str | None = None
) -> MatchResult | None:
    hits = build(*entries).screen([query(surname, given, dob, full_name=full_name)], threshold=0.0)[0]
    return hits[0] if hits else None


# --- case 09: particles, swapped order, joined tokens --------------------------------

C09 = (
    entry("E1", "EL-SAYED", "OMAR", "1970-01-01"),
    entry("E2", "KIM", "MIN JUN", "1985-05-05"),
    entry("E3", "ABU BAKR", "YUSUF", "1975-03-03"),
)


@pytest.mark.parametrize(
    ("surname", "given", "dob", "entry_id", "low", "high", "reason"),
    [
        ("EL SAYED", "OMAR", "1970-01-01", "E1", 1.0, 1.0, "exact_after_normalisation"),
        ("ELSAYED", "OMAR", "1970-01-01", "E1", 1.0, 1.0, "exact_after_normalisation"),
        ("el-Sayed", "Omar", "1970-01-01", "E1", 1.0, 1.0, "exact_after_normalisation"),
        ("SAYED", "OMAR", "1970-01-01", "E1", T, 0.999, "particle_dropped"),
        ("OMAR", "EL SAYED", "1970-01-01", "E1", T, 0.999, "order_swapped"),
        ("KIM", "MINJUN", "1985-05-05", "E2", S, 1.0, "tokens_joined"),
        ("MIN JUN", "KIM", "1985-05-05", "E2", T, 0.999, "order_swapped"),
        ("MINJUN", "KIM", "1985-05-05", "E2", T, 0.999, "order_swapped"),
        ("ABUBAKR", "YUSUF", "1975-03-03", "E3", 1.0, 1.0, "exact_after_normalisation"),
        ("YUSUF", "ABU BAKR", "1975-03-03", "E3", T, 0.999, "order_swapped"),
    ],
)
def test_case09_family(surname: str, given: str, dob: str, entry_id: str, low: float, high: float, reason: str) -> None:
    hit = top(C09, surname, given, dob)
    assert hit is not None and hit.entry_id == entry_id
    assert low <= hit.score <= high
    assert reason in hit.explanation["reasons"]


def test_case09_surname_first_full_name_meets_the_structured_listing() -> None:
    hit = top(C09, None, None, "1985-05-05", full_name="KIM MIN JUN")
    assert hit is not None and (hit.entry_id, hit.score) == ("E2", 1.0)


@pytest.mark.parametrize(("surname", "given"), [("SAYEDI", "OMRAN"), ("EL SAYED", "AMIRA"), ("OMARI", "SAID")])
def test_case09_other_tokens_with_the_same_dob_do_not_alert(surname: str, given: str) -> None:
    hit = top(C09, surname, given, "1970-01-01")
    assert hit is None or hit.score < T


# --- case 10: omitted patronymics and second surnames, initials, short names ----------

C10 = (
    entry("E1", "IVANOVA", "ANNA PETROVNA", "1980-01-01"),
    entry("E2", "GARCIA LOPEZ", "MARIA JOSE", "1990-02-02"),
    entry("E3", "LI", "NA", "1988-08-08"),
    entry("E4", "ROSS", "AMY", "1977-07-07"),
)


def score(surname: str, given: str, dob: str, entry_id: str) -> float:
    hits = build(*C10).screen([query(surname, given, dob)], threshold=0.0)[0]
    return next((h.score for h in hits if h.entry_id == entry_id), 0.0)


def test_case10_patronymic_omitted_initial_and_contradicted() -> None:
    omitted = score("IVANOVA", "ANNA", "1980-01-01", "E1")
    initial = score("IVANOVA", "ANNA P", "1980-01-01", "E1")
    wrong_initial = score("IVANOVA", "ANNA S", "1980-01-01", "E1")
    contradicted = score("IVANOVA", "ANNA IVANOVNA", "1980-01-01", "E1")
    assert initial >= omitted > contradicted
    assert omitted >= T and initial >= T
    assert contradicted < S
    assert wrong_initial < initial


@pytest.mark.parametrize(
    ("surname", "given"),
    [("GARCIA", "MARIA"), ("GARCIA LOPEZ", "MARIA"), ("GARCIA", "MARIA JOSE"), ("LOPEZ", "MARIA JOSE")],
)
def test_case10_second_surname_or_given_name_omitted_alerts_as_subset(surname: str, given: str) -> None:
    hits = build(*C10).screen([query(surname, given, "1990-02-02")])[0]
    assert hits and hits[0].entry_id == "E2"
    assert "name_subset" in hits[0].explanation["reasons"]


@pytest.mark.parametrize(("surname", "given"), [("ROSS", "AMI"), ("ROS", "AMY"), ("ROSS", "EMY")])
def test_case10_one_edit_in_a_three_letter_token_alerts(surname: str, given: str) -> None:
    assert score(surname, given, "1977-07-07", "E4") >= T


@pytest.mark.parametrize(("surname", "given"), [("LI", "NI"), ("LU", "NA"), ("LI", "N")])
def test_case10_two_letter_tokens_stay_strict(surname: str, given: str) -> None:
    assert score(surname, given, "1988-08-08", "E3") < T


def test_case10_leap_day_listing_parses_and_matches() -> None:
    hits = build(*C10, entry("E5", "MENDEZ CORDERO", "RICARDO ALONSO", "1972-02-29")).screen(
        [query("MENDEZ", "RICARDO", "1972-02-29")]
    )[0]
    assert hits[0].entry_id == "E5"
    assert hits[0].explanation["dob"]["result"] == "match"


# --- case 11: letters the ICAO and the plain rule transliterate differently ----------

C11 = (
    entry("E1", "MÜLLER", "GÜNTHER", "1960-06-06"),
    entry("E2", "ŁUKASIEWICZ", "PIOTR", "1970-07-07"),
    entry("E3", "ÞÓRSDÓTTIR", "ÁSA", "1980-08-08"),
    entry("E4", "YILDIRIM", "IŞIL", "1991-01-01"),
    entry("E5", "ÅSTRÖM", "LARS", "1950-05-05"),
    entry("E6", "STRAßER", "ANNA", "1966-06-06"),
    entry("E7", "LÆSØE", "MADS", "1955-05-05"),
)


@pytest.mark.parametrize(
    ("surname", "given", "dob", "entry_id"),
    [
        ("MUELLER", "GUENTHER", "1960-06-06", "E1"),  # ICAO
        ("MULLER", "GUNTHER", "1960-06-06", "E1"),  # plain
        ("Müller", "Günther", "1960-06-06", "E1"),  # as listed, mixed case
        ("LUKASIEWICZ", "PIOTR", "1970-07-07", "E2"),
        ("THORSDOTTIR", "ASA", "1980-08-08", "E3"),
        ("YILDIRIM", "ISIL", "1991-01-01", "E4"),
        ("YıLDıRıM", "IŞIL", "1991-01-01", "E4"),  # dotless i on the traveller's side
        ("ASTROM", "LARS", "1950-05-05", "E5"),  # plain Å→A, Ö→O
        ("STRASSER", "ANNA", "1966-06-06", "E6"),
        ("LAESOE", "MADS", "1955-05-05", "E7"),  # plain Æ→AE, Ø→O
    ],
)
def test_case11_family_exact_after_transliteration(surname: str, given: str, dob: str, entry_id: str) -> None:
    hit = top(C11, surname, given, dob)
    assert hit is not None and hit.entry_id == entry_id
    assert hit.score == 1.0
    assert "exact_after_normalisation" in hit.explanation["reasons"]


@pytest.mark.parametrize(
    ("surname", "given", "dob", "entry_id"),
    [("STRASER", "ANNA", "1966-06-06", "E6"), ("MULER", "GUNTHER", "1960-06-06", "E1")],
)
def test_case11_one_letter_short_is_a_hit_below_exact(surname: str, given: str, dob: str, entry_id: str) -> None:
    hit = top(C11, surname, given, dob)
    assert hit is not None and hit.entry_id == entry_id
    assert T <= hit.score < 1.0
    assert "spelling_variant" in hit.explanation["reasons"]
