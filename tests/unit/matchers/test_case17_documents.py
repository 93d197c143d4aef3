"""Field case 17 as a family: document-number noise, look-alike characters and leading
zeros (each substitution named in the reason code), look-alike numbers that decide a hit
on their own, and empty numbers that never compare."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matchers import DocumentKey, MatchConfig
from matchers.normalise import canonical_document_number, lookalike_document_number
from matchers.scoring import DOC_ONLY_NEAR_MIN_CHARS, document_feature, lookalike_reason
from tests.unit.matchers.helpers import build, entry, query

CFG = MatchConfig()
THRESHOLD = CFG.threshold
STRONG = CFG.strong_level

LISTED = (
    entry("WL-A", "BERZINS", "ANDRIS", documents=(DocumentKey("ZK 447-1203", "P", "LVA"),)),
    entry("WL-P", "BERZINA", "ILZE", documents=(DocumentKey("PB0093311", "P", "LVA"),)),
    entry("WL-B", "TAMM", "KAAREL", documents=(DocumentKey("00512334", "P", "EST"),)),
    entry("WL-C", "NOBODY", "KNOWN", documents=(DocumentKey("<<<", "P", "XXX"),)),
)


def doc(number: str, country: str | None = "LVA") -> tuple[DocumentKey, ...]:
    return (DocumentKey(number, "P", country),)


# --- canonical form: formatting noise on either side is an exact match --------------


@pytest.mark.parametrize(
    "raw",
    [
        "ZK4471203",
        "zk447 1203",
        "ZK 447-1203",
        "ZK4471203\n\t\t\t",
        "ZK4471203<",
        "ZK<4471203<<<",
        "ZK.447/1203",
        " ZK-447-12-03 ",
        "ZK4471203\x00",
    ],
)
def test_noise_is_dropped_before_comparison(raw: str) -> None:
    assert canonical_document_number(raw) == "ZK4471203"
    hit = build(*LISTED).screen([query("BERZINS", "ANDRIS", documents=doc(raw))])[0][0]
    assert (hit.entry_id, hit.explanation["document"]["detail"]) == ("WL-A", "exact")
    assert hit.score >= STRONG


# --- look-alike characters and leading zeros: near, reason names the substitution ---


@pytest.mark.parametrize(
    ("query_number", "listed_number", "reason"),
    [
        ("PB0O93311", "PB0093311", "lookalike_O0"),  # case 17 (c), letter O typed for zero
        ("PB0093311", "PBOO93311", "lookalike_O0"),  # the list holds the letter instead
        ("ZK447I203", "ZK4471203", "lookalike_I1"),
        ("ZK447120S", "ZK4471205", "lookalike_S5"),
        ("Z84471203", "ZB4471203", "lookalike_B8"),
        ("2K4471203", "ZK4471203", "lookalike_Z2"),
        ("ZKQ471203", "ZK0471203", "lookalike_Q0"),
        ("ZK447L203", "ZK4471203", "lookalike_L1"),
        ("ZK44712O3", "ZK447I2O3", "lookalike_I1"),
        ("2K447I2O3", "ZK4471203", "lookalike_I1_O0_Z2"),
        ("512334", "00512334", "leading_zeros"),  # case 17 (d)
        ("000512334", "512334", "leading_zeros"),
        ("O512334", "512334", "leading_zeros_lookalike_O0"),
        ("ZK4471203", "ZK4471203", "lookalike"),
    ],
)
def test_lookalike_reason_names_the_substitution(query_number: str, listed_number: str, reason: str) -> None:
    assert lookalike_document_number(query_number) == lookalike_document_number(listed_number)
    assert lookalike_reason(query_number, listed_number) == reason


@pytest.mark.parametrize(
    ("number", "country", "entry_id", "reason"),
    [
        ("PB0O93311", "LVA", "WL-P", "document_lookalike_O0"),
        ("PBOO933II", "LVA", "WL-P", "document_lookalike_I1_O0"),
        ("512334", "EST", "WL-B", "document_leading_zeros"),
        ("0000512334", "EST", "WL-B", "document_leading_zeros"),
        ("ZK447I2O3", "LVA", "WL-A", "document_lookalike_I1_O0"),
    ],
)
def test_lookalike_with_same_name_is_near_review_level(number: str, country: str, entry_id: str, reason: str) -> None:
    names = {"WL-P": ("BERZINA", "ILZE"), "WL-B": ("TAMM", "KAAREL"), "WL-A": ("BERZINS", "ANDRIS")}[entry_id]
    hit = build(*LISTED).screen([query(*names, documents=doc(number, country))])[0][0]
    assert hit.entry_id == entry_id
    assert hit.explanation["document"]["result"] == "partial"
    assert reason in hit.explanation["reasons"]
    assert "document_near" in hit.explanation["evidence"]


@pytest.mark.parametrize(
    ("surname", "given_names", "number", "country", "entry_id"),
    [
        ("SMITH", "PETER", "PB0O93311", "LVA", "WL-P"),  # name differs entirely
        (None, None, "PB0O93311", "LVA", "WL-P"),  # no name at all (orphan document, case 07)
        ("SMITH", "PETER", "512334", "EST", "WL-B"),
        (None, None, "ZK447I2O3", "LVA", "WL-A"),
    ],
)
def test_lookalike_alone_same_issuer_is_a_review_hit(
    surname: str | None, given_names: str | None, number: str, country: str, entry_id: str
) -> None:
    hits = build(*LISTED).screen([query(surname, given_names, documents=doc(number, country))])[0]
    assert [h.entry_id for h in hits] == [entry_id]
    hit = hits[0]
    assert hit.score == CFG.document_near_floor
    assert THRESHOLD <= hit.score < STRONG
    assert hit.explanation["band"] == "review"
    assert hit.explanation["evidence"] == ["document_near"]  # an unrelated name is no evidence
    assert any(r.startswith("document_lookalike") or r == "document_leading_zeros" for r in hit.explanation["reasons"])


@pytest.mark.parametrize(
    ("number", "country"),
    [
        ("PB0O93311", "EST"),  # other issuer: two weak signals do not make a hit
        ("PB0O93311", None),  # issuer unknown on the traveller's side
        ("PB0O93311", "XXX"),  # ICAO "unspecified" is unknown
    ],
)
def test_lookalike_alone_without_same_issuer_is_no_hit(number: str, country: str | None) -> None:
    assert build(*LISTED).screen([query("SMITH", "PETER", documents=doc(number, country))]) == [[]]


def test_lookalike_with_other_issuer_still_counts_with_name_support() -> None:
    hit = build(*LISTED).screen([query("BERZINA", "ILZE", documents=doc("PB0O93311", "EST"))])[0][0]
    assert hit.explanation["document"]["result"] == "partial"
    assert "document_near" in hit.explanation["evidence"]


def test_short_lookalike_numbers_need_name_support() -> None:
    def pair(n: int) -> tuple[str, str]:
        return "4" * (n - 1) + "2", "0" + "4" * (n - 1) + "Z"  # traveller, listed

    number, listed_number = pair(DOC_ONLY_NEAR_MIN_CHARS)
    assert lookalike_document_number(number) == lookalike_document_number(listed_number)
    listed = entry("E1", "ONE", "PERSON", documents=(DocumentKey(listed_number, "I", "EST"),))
    assert build(listed).screen([query("OTHER", "MAN", documents=doc(number, "EST"))])[0][0].entry_id == "E1"
    number, listed_number = pair(DOC_ONLY_NEAR_MIN_CHARS - 1)
    listed = entry("E2", "ONE", "PERSON", documents=(DocumentKey(listed_number, "I", "EST"),))
    assert build(listed).screen([query("OTHER", "MAN", documents=doc(number, "EST"))]) == [[]]
    # with the name, the short look-alike still counts
    hit = build(listed).screen([query("ONE", "PERSON", documents=doc(number, "EST"))])[0][0]
    assert "document_near" in hit.explanation["evidence"]


def test_all_zero_numbers_are_never_lookalikes() -> None:
    # "O0" and "0O0" both fold to "": that would be empty equals empty (case 13)
    feat = document_feature(doc("O0"), doc("0O0"))
    assert feat.result == "mismatch"
    assert document_feature(doc("O0"), doc("000")).result == "unknown"  # all zeros is a placeholder
    assert build(entry("E1", "X", "Y", documents=doc("0000000"))).screen(
        [query("OTHER", "MAN", documents=doc("OOOOOOO"))]
    ) == [[]]


def test_unrelated_numbers_are_a_mismatch_not_a_lookalike() -> None:
    feat = document_feature(doc("ZK4471203"), doc("ZK4471204"))
    assert (feat.result, feat.detail) == ("mismatch", None)


def test_exact_beats_lookalike_and_same_issuer_lookalike_beats_other() -> None:
    listed = (DocumentKey("PB0093311", "P", "EST"), DocumentKey("PB0O93311", "P", "LVA"))
    assert document_feature(doc("PB0093311", "LVA"), listed).detail == "exact_other_country"
    listed2 = (DocumentKey("PBOO93311", "P", "EST"), DocumentKey("PB0O93311", "P", "LVA"))
    feat = document_feature(doc("PB0093311", "LVA"), listed2)
    assert (feat.result, feat.detail, feat.candidate) == ("partial", "lookalike_O0", ["PB0O93311", "LVA"])


# --- exact number, other issuer: review, never dropped -------------------------------


@pytest.mark.parametrize(("surname", "given_names"), [("BERZINS", "ANDRIS"), ("SMITH", "PETER"), (None, None)])
def test_exact_number_other_country_is_review(surname: str | None, given_names: str | None) -> None:
    hits = build(*LISTED).screen([query(surname, given_names, documents=doc("ZK4471203", "EST"))])[0]
    assert hits[0].entry_id == "WL-A"
    assert hits[0].explanation["document"]["detail"] == "exact_other_country"
    assert hits[0].score >= THRESHOLD
    if surname != "BERZINS":
        assert hits[0].score == CFG.document_other_country_floor
        assert hits[0].explanation["band"] == "review"


# --- empty numbers never compare -----------------------------------------------------


@pytest.mark.parametrize("raw", ["", "<<<", "<", "  ", "\n\t", "-", "//", "<<<<<<<<<"])
def test_empty_numbers_are_unknown_never_equal(raw: str) -> None:
    assert canonical_document_number(raw) == ""
    feat = document_feature(doc(raw, "XXX"), (DocumentKey("<<<", "P", "XXX"),))
    assert feat.result == "unknown"
    hits = build(*LISTED).screen([query("SMITH", "PETER", documents=doc(raw, "XXX"))], threshold=0.0)[0]
    assert all(h.explanation["document"]["result"] == "unknown" for h in hits)
    assert "WL-C" not in {h.entry_id for h in hits}


@given(st.text(alphabet="0123456789OISBZQL", min_size=1, max_size=12))
def test_lookalike_reason_is_symmetric_in_kind(number: str) -> None:
    folded = number.translate(str.maketrans("OQILSBZ", "0011582"))
    if lookalike_document_number(number) and lookalike_document_number(number) == lookalike_document_number(folded):
        there, back = lookalike_reason(number, folded), lookalike_reason(folded, number)
        assert there == back
        assert (there == "lookalike") == (number == folded)
