"""Field cases 09, 10, 11, 13 and 17 as screener tests (each a small family)."""

from __future__ import annotations

import json

import pytest

from matchers import DateSpec, DocumentKey, MatchConfig, Person, PersonName, Screener
from tests.unit.matchers.helpers import build, entry, query, scores

THRESHOLD = MatchConfig().threshold
STRONG = MatchConfig().strong_level


def best(screener_entries: tuple[Person, ...], q: Person) -> tuple[str, float, list[str]]:
    hits = build(*screener_entries).screen([q])[0]
    assert hits, "expected a hit"
    top = hits[0]
    return top.entry_id, top.score, list(top.explanation["reasons"])


# --- case 09: swapped order and run-together tokens ----------------------------------

CASE09 = (
    entry("WL-0901", "AL-HADDADIN", "FARID NAIM", "1979-04-02", nationality="JOR"),
    entry("WL-0902", "TAN", "WEI JIE", "1990-12-01", nationality="SGP"),
)


def test_case09_family() -> None:
    s = build(*CASE09)
    a = s.screen([query("AL HADDADIN", "FARID NAIM", "1979-04-02")])[0][0]
    b = s.screen([query("FARID", "AL HADDADIN", "1979-04-02")])[0][0]
    c = s.screen([query("ALHADDADIN", "FARIDNAIM", "1979-04-02")])[0][0]
    d = s.screen([query("HADDADIN", "FARID", "1979-04-02")])[0][0]
    e = s.screen([query("TAN", "WEIJIE", "1990-12-01")])[0][0]
    f = s.screen([query("WEIJIE", "TAN", "1990-12-01")])[0][0]
    assert {h.entry_id for h in (a, b, c, d)} == {"WL-0901"}
    assert {h.entry_id for h in (e, f)} == {"WL-0902"}
    assert a.score == 1.0
    assert "exact_after_normalisation" in a.explanation["reasons"]
    assert THRESHOLD <= b.score < a.score
    assert "order_swapped" in b.explanation["reasons"]
    assert c.score >= STRONG and "tokens_joined" in c.explanation["reasons"]
    assert THRESHOLD <= d.score < STRONG
    assert {"particle_dropped", "given_name_omitted"} <= set(d.explanation["reasons"])
    assert d.explanation["band"] == "review"
    assert e.score >= STRONG and "tokens_joined" in e.explanation["reasons"]
    assert THRESHOLD <= f.score < e.score
    assert "order_swapped" in f.explanation["reasons"]
    assert "order_swapped" not in e.explanation["reasons"]


def test_case09_same_dob_other_name_no_alert() -> None:
    s = build(*CASE09)
    assert s.screen([query("FARIDA", "HADDAD", "1979-04-02")]) == [[]]
    assert scores(s, query("FARIDA", "HADDAD", "1979-04-02")).get("WL-0901", 0.0) < 0.5


def test_case09_swap_never_identical_full_name_vs_structured() -> None:
    s = build(entry("E1", "KOVACS", "ISTVAN", "1960-01-01"))
    right = scores(s, query("KOVACS", "ISTVAN", "1960-01-01"))["E1"]
    swapped = scores(s, query("ISTVAN", "KOVACS", "1960-01-01"))["E1"]
    assert right == 1.0
    assert THRESHOLD <= swapped < right


# --- case 10: missing middle names, initials, short variants --------------------------

CASE10 = (
    entry("WL-1001", "KORNEV", "VALENTIN SERGEYEVICH", "1966-10-09"),
    entry("WL-1002", "HALE", "JOHN EDWARD", "1983-06-17"),
    entry("WL-1003", "MENDEZ CORDERO", "RICARDO ALONSO", "1972-02-29"),
)


def test_case10_omission_initial_conflict_ordering() -> None:
    s = build(*CASE10)
    a = scores(s, query("KORNEV", "VALENTIN", "1966-10-09"))["WL-1001"]
    b = scores(s, query("KORNEV", "VALENTIN S", "1966-10-09"))["WL-1001"]
    c = scores(s, query("KORNEV", "VALENTIN PETROVICH", "1966-10-09"))["WL-1001"]
    assert b >= a > c
    assert a >= THRESHOLD and b >= THRESHOLD
    assert c < STRONG


def test_case10_short_name_one_edit_alerts() -> None:
    eid, score, reasons = best(CASE10, query("HALE", "JON", "1983-06-17"))
    assert eid == "WL-1002" and score >= THRESHOLD
    assert "spelling_variant" in reasons


def test_case10_conflicting_middle_name_lower_than_omission_but_review() -> None:
    s = build(*CASE10)
    conflict = scores(s, query("HALE", "JOHN DAVID", "1983-06-17"))["WL-1002"]
    omitted = scores(s, query("HALE", "JOHN", "1983-06-17"))["WL-1002"]
    assert THRESHOLD <= conflict < omitted


def test_case10_name_subset_alerts() -> None:
    eid, score, reasons = best(CASE10, query("MENDEZ", "RICARDO", "1972-02-29"))
    assert eid == "WL-1003" and score >= THRESHOLD
    assert "name_subset" in reasons


def test_case10_initial_must_agree() -> None:
    s = build(*CASE10)
    good = scores(s, query("KORNEV", "VALENTIN S", "1966-10-09"))["WL-1001"]
    wrong = scores(s, query("KORNEV", "VALENTIN P", "1966-10-09"))["WL-1001"]
    assert wrong < good


def test_case10_contradicting_initial_is_a_whole_contradiction() -> None:
    # the letter P is frequent in the list (many listed middle initials), so a rarity
    # weight would make it a cheap contradiction; it contradicts SERGEYEVICH as fully
    # as PETROVICH does
    others = tuple(entry(f"O{i}", f"SURNAME{chr(65 + i % 26)}{chr(65 + i // 26)}", "JOHN P") for i in range(300))
    s = build(*CASE10, *others)
    initial = scores(s, query("KORNEV", "VALENTIN P", "1966-10-09"))["WL-1001"]
    full = scores(s, query("KORNEV", "VALENTIN PETROVICH", "1966-10-09"))["WL-1001"]
    omitted = scores(s, query("KORNEV", "VALENTIN", "1966-10-09"))["WL-1001"]
    agreeing = scores(s, query("KORNEV", "VALENTIN S", "1966-10-09"))["WL-1001"]
    assert initial <= full < omitted <= agreeing
    assert initial < STRONG


def test_case10_two_letter_tokens_stay_strict() -> None:
    s = build(entry("E1", "NG", "LI", "1980-01-01"), entry("E2", "NGUYEN", "LIEN", "1980-01-01"))
    assert "E1" not in {h.entry_id for h in s.screen([query("NA", "LU", "1980-01-01")])[0]}


# --- case 11: umlauts and diacritics ------------------------------------------------

CASE11 = (
    entry("WL-1101", "SCHÜSSLER", "JÖRG", "1974-01-30"),
    entry("WL-1102", "ÖZDEMİRCAN", "GÜLŞEN", "1988-07-07"),
    entry("WL-1103", "BRØNDUM", "SØREN ÅGE", "1959-03-12"),
    entry("WL-1104", "GROßKOPF", "MARIE", "1993-05-21"),
)


@pytest.mark.parametrize(
    ("surname", "given", "dob", "expected"),
    [
        ("SCHUESSLER", "JOERG", "1974-01-30", "WL-1101"),
        ("SCHUSSLER", "JORG", "1974-01-30", "WL-1101"),
        ("OZDEMIRCAN", "GULSEN", "1988-07-07", "WL-1102"),
        ("OEZDEMIRCAN", "GUELSEN", "1988-07-07", "WL-1102"),
        ("BROENDUM", "SOEREN AAGE", "1959-03-12", "WL-1103"),
        ("BRONDUM", "SOREN AGE", "1959-03-12", "WL-1103"),
        ("GROSSKOPF", "MARIE", "1993-05-21", "WL-1104"),
        ("Schüssler", "Jörg", "1974-01-30", "WL-1101"),
    ],
)
def test_case11_exact_after_transliteration(surname: str, given: str, dob: str, expected: str) -> None:
    eid, score, reasons = best(CASE11, query(surname, given, dob))
    assert eid == expected
    assert score == 1.0
    assert "exact_after_normalisation" in reasons


def test_case11_icao_rule_is_reported() -> None:
    hits = build(*CASE11).screen([query("SCHUESSLER", "JOERG", "1974-01-30")])[0]
    assert hits[0].explanation["name"]["transliteration"] == {"query": "plain", "candidate": "icao"}
    assert "icao_transliteration" in hits[0].explanation["reasons"]


def test_case11_one_letter_short_is_review() -> None:
    eid, score, reasons = best(CASE11, query("GROSKOPF", "MARIE", "1993-05-21"))
    assert eid == "WL-1104"
    assert THRESHOLD <= score < STRONG
    assert "spelling_variant" in reasons


# --- case 13: absent evidence is never agreement --------------------------------------

CASE13 = (
    entry("WL-1301", "VARGA", "ILSE", None),
    Person(
        key="wl:WL-1302",
        names=(PersonName(full_name="\U00013000\U00013001"),),
        dates_of_birth=(DateSpec(date="1980-01-01"),),
        list_id="wl",
        entry_id="WL-1302",
    ),
    entry("WL-1303", "PELLEGRINI", "NORA", "1980-01-01"),
)


def test_case13_name_only_is_review_at_most() -> None:
    s = build(*CASE13)
    hit = s.screen([query("VARGA", "ILSE", None)])[0][0]
    assert hit.entry_id == "WL-1301"
    assert THRESHOLD <= hit.score < STRONG
    assert hit.explanation["dob"]["result"] == "unknown"
    assert hit.explanation["evidence"] == ["name"]


def test_case13_uncomparable_names_never_match() -> None:
    s = build(*CASE13)
    q = Person(key="b", names=(PersonName(full_name="\U00013002"),))
    assert s.screen([q], threshold=0.0) == [[]]


def test_case13_same_dob_other_name_no_alert() -> None:
    s = build(*CASE13)
    assert s.screen([query("OSEI", "KWAME", "1980-01-01")]) == [[]]


def test_case13_dob_mismatch_lowers_score() -> None:
    s = build(*CASE13)
    right = scores(s, query("PELLEGRINI", "NORA", "1980-01-01"))["WL-1303"]
    unknown = scores(s, query("PELLEGRINI", "NORA", None))["WL-1303"]
    wrong = scores(s, query("PELLEGRINI", "NORA", "1975-11-30"))["WL-1303"]
    assert right > unknown > wrong
    hit = s.screen([query("PELLEGRINI", "NORA", "1975-11-30")], threshold=0.0)[0][0]
    assert hit.explanation["dob"] == {
        "result": "mismatch",
        "detail": "day",
        "query": "1975-11-30",
        "candidate": "1980-01-01",
    }


@pytest.mark.parametrize("placeholder", ["", "NONE", "UNKNOWN", "XX", "00"])
def test_case13_placeholders_are_unknown(placeholder: str) -> None:
    s = build(entry("E1", "VARGA", "ILSE", None, nationality="XXX"))
    q = query("VARGA", "ILSE", None, nationality=placeholder or None, gender=placeholder or None)
    hit = s.screen([q])[0][0]
    for feature in ("dob", "nationality", "gender", "document"):
        assert hit.explanation[feature]["result"] == "unknown"


def test_common_first_name_alone_never_alerts() -> None:
    s = build(entry("E1", "HALE", "JOHN", "1983-06-17"), entry("E2", "KHAN", "JOHN", "1983-06-17"))
    assert s.screen([query("SMITH", "JOHN", "1983-06-17")]) == [[]]
    assert s.screen([query(None, "JOHN", "1983-06-17")]) == [[]]


# --- case 17: document numbers --------------------------------------------------------

CASE17 = (
    entry(
        "WL-A",
        "BERZINS",
        "ANDRIS",
        documents=(
            DocumentKey("ZK 447-1203", "P", "LVA"),
            DocumentKey("PB0093311", "P", "LVA"),
        ),
    ),
    entry("WL-B", "TAMM", "KAAREL", documents=(DocumentKey("00512334", "P", "EST"),)),
    entry("WL-C", "NOBODY", "KNOWN", documents=(DocumentKey("<<<", "P", "XXX"),)),
)


@pytest.mark.parametrize(
    ("number", "country", "expected_entry", "detail"),
    [
        ("ZK4471203", "LVA", "WL-A", "exact"),
        ("zk447 1203", "LVA", "WL-A", "exact"),
        ("ZK4471203<", "LVA", "WL-A", "exact"),
        ("PB0O93311", "LVA", "WL-A", "lookalike_O0"),
        ("512334", "EST", "WL-B", "leading_zeros"),
        ("ZK4471203", "EST", "WL-A", "exact_other_country"),
    ],
)
def test_case17_document_numbers(number: str, country: str, expected_entry: str, detail: str) -> None:
    # the traveller's name differs slightly (one edit) so the document decides the level
    names = {"WL-A": ("BERZINS", "ANDRIS"), "WL-B": ("TAMM", "KAAREL")}[expected_entry]
    s = build(*CASE17)
    q = query(*names, documents=(DocumentKey(number, "P", country),))
    hit = s.screen([q])[0][0]
    assert hit.entry_id == expected_entry
    assert hit.explanation["document"]["result"] == ("match" if detail.startswith("exact") else "partial")
    assert hit.explanation["document"]["detail"] == detail
    assert "document_" + detail in hit.explanation["reasons"]


def test_case17_exact_document_beats_name_only() -> None:
    s = build(*CASE17)
    with_doc = s.screen([query("BERZINS", "ANDRIS", documents=(DocumentKey("ZK4471203", "P", "LVA"),))])[0][0]
    other_country = s.screen([query("BERZINS", "ANDRIS", documents=(DocumentKey("ZK4471203", "P", "EST"),))])[0][0]
    no_doc = s.screen([query("BERZINS", "ANDRIS")])[0][0]
    assert with_doc.score > other_country.score >= no_doc.score
    assert with_doc.score >= STRONG


def test_case17_document_alone_finds_entry_even_with_another_name() -> None:
    s = build(*CASE17)
    hits = s.screen([query("SMITH", "PETER", documents=(DocumentKey("ZK4471203", "P", "LVA"),))])[0]
    assert [h.entry_id for h in hits] == ["WL-A"]
    assert hits[0].score == MatchConfig().document_exact_floor


def test_case17_empty_number_is_no_comparison() -> None:
    s = build(*CASE17)
    hits = s.screen([query("NOBODY", "KNOWN", documents=(DocumentKey("", "P", "XXX"),))], threshold=0.0)[0]
    top = hits[0]
    assert top.entry_id == "WL-C"
    assert top.explanation["document"]["result"] == "unknown"


# --- general ------------------------------------------------------------------------


def test_explanation_is_json_serialisable_and_complete() -> None:
    s = build(*CASE09)
    hit = s.screen([query("FARID", "AL HADDADIN", "1979-04-02", nationality="JOR")])[0][0]
    text = json.dumps(hit.explanation)
    assert json.loads(text) == hit.explanation
    assert hit.explanation["nationality"]["result"] == "match"
    assert hit.explanation["name"]["pairs"][0]["similarity"] <= 1.0
    assert {p["candidate"] for p in hit.explanation["name"]["pairs"]} == {"ALHADDADIN", "FARID"}
    assert hit.matched_name == "AL-HADDADIN, FARID NAIM"


def test_per_list_threshold_and_override() -> None:
    cfg = MatchConfig(list_thresholds={"strict": 0.99})
    s = build(
        entry("E1", "KORNEV", "VALENTIN SERGEYEVICH", "1966-10-09", list_id="strict"),
        entry("E2", "KORNEV", "VALENTIN SERGEYEVICH", "1966-10-09", list_id="lax"),
        config=cfg,
    )
    q = query("KORNEV", "VALENTIN", "1966-10-09")
    assert [h.list_id for h in s.screen([q])[0]] == ["lax"]
    assert {h.list_id for h in s.screen([q], threshold=0.5)[0]} == {"strict", "lax"}


def test_max_hits_and_order() -> None:
    entries = tuple(entry(f"E{i}", "KORNEV", "VALENTIN", "1966-10-09") for i in range(5))
    s = build(*entries, config=MatchConfig(max_hits=3))
    hits = s.screen([query("KORNEV", "VALENTIN", "1966-10-09")])[0]
    assert len(hits) == 3
    assert len(s) == 5


def test_alias_is_searched() -> None:
    listed = Person(
        key="wl:E1",
        names=(PersonName(full_name="IBRAHIM AWWAD"), PersonName(full_name="ABU DUA", kind="alias")),
        list_id="wl",
        entry_id="E1",
    )
    hit = build(listed).screen([query(full_name="Abu Dua Ali")], threshold=0.0)[0][0]
    assert hit.matched_name == "ABU DUA"
    assert hit.explanation["name"]["candidate_kind"] == "alias"


# --- building pauses the garbage collector and restores it --------------------------


def test_build_restores_the_garbage_collector_state() -> None:
    import gc

    from matchers.screener import _gc_paused

    entries = (entry("WL-GC1", "KOVAL", "IVAN", "1970-01-01"),)
    assert gc.isenabled()
    Screener(entries, MatchConfig())
    assert gc.isenabled()
    gc.disable()
    try:
        Screener(entries, MatchConfig())
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
    with pytest.raises(RuntimeError, match="boom"), _gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()  # back on after a failed build


def test_garbage_cycles_made_during_a_build_are_collected_after_it() -> None:
    # the pause hides nothing from the collector for good (a gc.freeze at the end of the
    # build would: cycles dropped meanwhile, by this thread or another, would never go)
    import gc
    import weakref

    from matchers.screener import _gc_paused

    class Node:
        other: object = None

    def cycle() -> weakref.ref[Node]:
        a, b = Node(), Node()
        a.other, b.other = b, a
        return weakref.ref(a)

    with _gc_paused():
        during = cycle()
        Screener((entry("WL-GC2", "KOVAL", "IVAN"),), MatchConfig())
    after_build = cycle()
    gc.collect()
    assert during() is None and after_build() is None



def test_garbage_collector_pauses_in_several_threads_end_with_the_last() -> None:
    # blocks in two threads overlap: the collector stays paused until the later one
    # ends, then runs again; whichever thread ends first
    import gc
    import threading

    from matchers.screener import _gc_paused

    for first_out in ("a", "b"):
        entered = {k: threading.Event() for k in "ab"}
        leave = {k: threading.Event() for k in "ab"}
        left = {k: threading.Event() for k in "ab"}

        def block(entered: threading.Event, leave: threading.Event, left: threading.Event) -> None:
            with _gc_paused():
                entered.set()
                leave.wait(5)
            left.set()

        threads = {k: threading.Thread(target=block, args=(entered[k], leave[k], left[k])) for k in "ab"}
        threads["a"].start()
        assert entered["a"].wait(5)
        threads["b"].start()
        assert entered["b"].wait(5)
        assert not gc.isenabled()
        second_out = "b" if first_out == "a" else "a"
        leave[first_out].set()
        assert left[first_out].wait(5)
        assert not gc.isenabled()  # the other block still runs
        leave[second_out].set()
        for t in threads.values():
            t.join(5)
        assert gc.isenabled()
