"""Field case 13 as a family: unknown is never agreement, in every feature. The case's
reproducer (WL-1301…1303, passengers a–d) plus the placeholders of every field, on both
sides, including document numbers."""

from __future__ import annotations

import pytest

from matchers import DateSpec, DocumentKey, MatchConfig, Person, PersonName
from matchers.normalise import canonical_document_number
from matchers.scoring import document_feature, gender_feature, nationality_feature
from tests.unit.matchers.helpers import build, entry, query, scores

CFG = MatchConfig()

WL = (
    entry("WL-1301", "VARGA", "ILSE", None),
    Person(
        key="wl:WL-1302",
        names=(PersonName(full_name="كمال الحداد"),),
        dates_of_birth=(DateSpec(date="1980-01-01"),),
        list_id="wl",
        entry_id="WL-1302",
    ),
    entry("WL-1303", "PELLEGRINI", "NORA", "1980-01-01"),
)

PLACEHOLDERS = ["", " ", "NONE", "none", "UNKNOWN", "XX", "00", "NULL", "N/A", "-"]


def test_a_name_match_with_dob_unknown_on_both_sides_is_name_only_review() -> None:
    (hit,) = build(*WL).screen([query("VARGA", "ILSE", None)])[0]
    assert hit.entry_id == "WL-1301"
    assert hit.explanation["evidence"] == ["name"]  # never a two-field match
    assert hit.explanation["dob"] == {"result": "unknown", "detail": None, "query": None, "candidate": None}
    assert hit.explanation["band"] == "review"
    assert hit.score == pytest.approx(CFG.name_only_factor)


def test_b_other_arabic_name_same_missing_dob_no_alert() -> None:
    q = Person(key="b", names=(PersonName(full_name="نور الهدى"),))
    assert build(*WL).screen([q]) == [[]]
    assert scores(build(*WL), q).get("WL-1302", 0.0) < 0.5


@pytest.mark.parametrize("name", ["\U00013002", "\U00013002 \U00013003", "NONE", " "])
def test_b_names_without_keys_never_compare(name: str) -> None:
    # a transliteration that yields nothing on both sides: no key, no candidate, no score
    listed = Person(key="wl:E1", names=(PersonName(full_name="\U00013000\U00013001"),), list_id="wl", entry_id="E1")
    q = Person(key="b", names=(PersonName(full_name=name),), dates_of_birth=(DateSpec(date="1980-01-01"),))
    assert build(listed).screen([q], threshold=0.0) == [[]]


@pytest.mark.parametrize("dob", ["1980-01-01", "1980-01", "1980"])
def test_c_same_dob_other_name_never_alerts(dob: str) -> None:
    assert build(*WL).screen([query("OSEI", "KWAME", dob)]) == [[]]
    assert scores(build(*WL), query("OSEI", "KWAME", dob)).get("WL-1303", 0.0) < CFG.threshold


def test_d_dob_compared_as_a_date_mismatch_lowers_the_name_score() -> None:
    s = build(*WL)
    (hit,) = s.screen([query("PELLEGRINI", "NORA", "1975-11-30")], threshold=0.0)[0]
    assert (hit.explanation["dob"]["result"], hit.explanation["dob"]["detail"]) == ("mismatch", "day")
    assert hit.score < scores(s, query("PELLEGRINI", "NORA", None))["WL-1303"]
    assert hit.score < CFG.threshold


@pytest.mark.parametrize("placeholder", PLACEHOLDERS)
def test_placeholders_are_unknown_in_every_feature_on_both_sides(placeholder: str) -> None:
    p = placeholder
    listed = Person(
        key="wl:E1",
        names=(PersonName(surname="VARGA", given_names="ILSE"),),
        dates_of_birth=(DateSpec(date=p or None),),
        nationalities=(p,),
        genders=(p,),
        documents=(DocumentKey(p, "P", p),),
        list_id="wl",
        entry_id="E1",
    )
    q = Person(
        key="t",
        names=(PersonName(surname="VARGA", given_names="ILSE"),),
        dates_of_birth=(DateSpec(date=p or None),),
        nationalities=(p,),
        genders=(p,),
        documents=(DocumentKey(p, "P", p),),
    )
    (hit,) = build(listed).screen([q])[0]
    for feature in ("dob", "nationality", "gender", "document"):
        assert hit.explanation[feature]["result"] == "unknown", feature
    assert hit.explanation["evidence"] == ["name"]
    assert hit.score == pytest.approx(CFG.name_only_factor)


@pytest.mark.parametrize(
    "number", ["UNKNOWN", "NONE", "N/A", "n.a.", "UNK", "XX", "00", "000000000", "0-000-000", "XXXXXXXX", "<<<"]
)
def test_placeholder_document_numbers_never_agree(number: str) -> None:
    assert canonical_document_number(number) == ""
    assert document_feature((DocumentKey(number, "P", "GBR"),), (DocumentKey(number, "P", "GBR"),)).result == "unknown"
    # a listed placeholder never lifts a stranger to a document-level hit
    listed = entry("E1", "SMITH", "ANNA", documents=(DocumentKey(number, "P", "GBR"),))
    assert build(listed).screen([query("OTHER", "PERSON", documents=(DocumentKey(number, "P", "GBR"),))]) == [[]]


def test_real_numbers_with_zeros_and_x_still_compare() -> None:
    for number in ("X0000001", "0000001X", "XK0000000", "1000000"):
        assert canonical_document_number(number) == number
        feat = document_feature((DocumentKey(number, "P", "GBR"),), (DocumentKey(number, "P", "GBR"),))
        assert (feat.result, feat.detail) == ("match", "exact")


@pytest.mark.parametrize(
    ("query_values", "listed_values", "result"),
    [
        (["XXX"], ["XXX"], "unknown"),  # ICAO "unspecified" is no nationality
        (["UNKNOWN"], ["DEU"], "unknown"),
        ([], ["DEU"], "unknown"),
        (["DEU"], ["DEU", "FRA"], "match"),
        (["DEU"], ["FRA"], "mismatch"),
    ],
)
def test_nationality_unknown_is_neutral(query_values: list[str], listed_values: list[str], result: str) -> None:
    assert nationality_feature(query_values, listed_values).result == result


@pytest.mark.parametrize(
    ("query_values", "listed_values", "result"),
    [(["X"], ["X"], "unknown"), (["U"], ["U"], "unknown"), (["M"], [], "unknown"), (["F"], ["M"], "mismatch")],
)
def test_gender_unknown_is_neutral(query_values: list[str], listed_values: list[str], result: str) -> None:
    assert gender_feature(query_values, listed_values).result == result


def test_dob_only_raises_what_the_name_supports() -> None:
    s = build(entry("E1", "PELLEGRINI", "NORA", "1980-01-01"), entry("E2", "OSEI", "KWAME", "1980-01-01"))
    with_dob = scores(s, query("PELLEGRINI", "NORA", "1980-01-01"))
    without = scores(s, query("PELLEGRINI", "NORA", None))
    assert with_dob["E1"] > without["E1"]
    assert with_dob.get("E2", 0.0) < 0.5  # the same DOB does not make the other name a candidate
