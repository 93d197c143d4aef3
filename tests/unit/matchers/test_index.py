"""The candidate index (issue 7): recall of the exhaustive scan's hits on a synthetic
list, determinism, compact storage, and the fuzzy keys that find each kind of variant."""

from __future__ import annotations

import dataclasses
from array import array
from typing import Any

import pytest

import matchers.screener
from loadtest.bench_speed import compare
from loadtest.noise import noisy_travellers
from loadtest.synthetic import generated_persons, person_to_entry, synthetic_watchlist
from matchers import DateSpec, DocumentKey, MatchConfig, Person, PersonName, Screener
from matchers.index import IndexedName, NameIndex, key_hash, token_keys
from matchers.normalise import name_variants
from matchers.scoring import string_similarity
from schemas.screening import traveller_to_person
from tests.unit.matchers.helpers import build, entry, query, scores

CONFIG = MatchConfig()


def _hits(screener: Screener, queries: list[Person], *, exhaustive: bool = False) -> list[list[tuple[str, float]]]:
    return [
        [(f"{r.list_id}:{r.entry_id}", r.score) for r in hits]
        for hits in screener.screen(queries, exhaustive=exhaustive)
    ]


@pytest.fixture(scope="module")
def listed() -> list[Person]:
    return synthetic_watchlist(1200, seed=3, include_real=False)


@pytest.fixture(scope="module")
def queries(listed: list[Person]) -> list[Person]:
    # noisy variants of every 25th listed person (every kind of noise) plus people who
    # are not listed but share the list's common names (other seed)
    noisy = noisy_travellers([person_to_entry(p) for p in listed[::25]], seed=3)
    others = generated_persons(99, real_tokens=False)
    strangers = [
        Person(key=f"t{i}", names=p.names[:1], dates_of_birth=p.dates_of_birth[:1])
        for i, p in zip(range(25), others, strict=False)
    ]
    return [traveller_to_person(n.traveller) for n in noisy[::3]] + strangers


def test_index_finds_every_exhaustive_hit(listed: list[Person], queries: list[Person]) -> None:
    screener = Screener(listed, CONFIG)
    index_hits = _hits(screener, queries)
    exhaustive_hits = _hits(screener, queries, exhaustive=True)
    rec = compare(index_hits, exhaustive_hits, CONFIG.max_hits)
    assert rec["exhaustive_hits"] >= 40  # the sample is not trivially empty
    assert rec["misses"] == []
    assert rec["recall_tie_aware"] == 1.0
    # what the index returns is what the scorer says: same scores for the same entries
    for got, want in zip(index_hits, exhaustive_hits, strict=True):
        want_scores = dict(want)
        assert all(want_scores.get(k, s) == s for k, s in got)


def test_screening_is_deterministic(listed: list[Person], queries: list[Person]) -> None:
    first = _hits(Screener(listed, CONFIG), queries)
    again = _hits(Screener(list(listed), CONFIG), queries)
    assert first == again
    # one batch or one query at a time: the batch memo changes nothing
    screener = Screener(listed, CONFIG)
    assert [_hits(screener, [q])[0] for q in queries[:20]] == first[:20]


def test_synthetic_list_is_seeded() -> None:
    a = synthetic_watchlist(300, seed=5, include_real=False)
    b = synthetic_watchlist(300, seed=5, include_real=False)
    c = synthetic_watchlist(300, seed=6, include_real=False)
    assert a == b
    assert a != c
    assert 300 <= sum(len(p.names) for p in a) < 306
    assert len({p.key for p in a}) == len(a)


def test_tokens_are_stored_once() -> None:
    names = [("SMITH", "JOHN"), ("SMITH", "JANE"), ("SMYTH", "JOHN")]
    records = [IndexedName(i, 0, name_variants(None, s, g)[0]) for i, (s, g) in enumerate(names)]
    index = NameIndex(records, string_similarity)
    assert len(index) == 3
    assert index.vocabulary_size == 4  # SMITH JOHN JANE SMYTH
    assert index.df("SMITH") == 2
    assert index.df("JOHN") == 2
    assert index.df("NOBODY") == 0
    for rid, rec in enumerate(records):
        assert index.record(rid) == rec
    assert isinstance(index._keys, array)
    assert list(index._keys) == sorted(index._keys)


def test_key_hash_is_stable() -> None:
    # the same in every process (not Python's randomised hash())
    assert key_hash("D:SMITH") == key_hash("D:SMITH")
    assert key_hash("D:SMITH") != key_hash("D:SMYTH")
    assert 0 <= key_hash("C:X") < 2**40
    assert token_keys(["JON"]) == {"C:JON", "P:JN", "D:JON", "D:ON", "D:JN", "D:JO", "KV:JN"}
    # the skeleton key is side-aware: a listed unvowelled token and a vowelled traveller's
    # token meet, two vowelled tokens of one skeleton do not (MOHAMED / MAHMOUD)
    assert "KU:MHMD" in token_keys(["MHMD"]) & token_keys(["MOHAMED"], query=True)
    assert "KV:MHMD" in token_keys(["MOHAMED"]) & token_keys(["MHMD"], query=True)
    assert not {k for k in token_keys(["MAHMOUD"]) if k.startswith("K")} & token_keys(["MOHAMED"], query=True)


def test_unvowelled_listed_names_are_candidates_for_latin_travellers() -> None:
    # the list's Arabic-script name rendered without short vowels (عبدالله أحمد → BDLLH
    # HMD; their Metaphone keys differ from ABDULLAH/AHMED) among many other listed
    # persons: the Latin passport name finds it through the index
    others = [entry(f"O{i}", f"AHMAD{chr(65 + i % 26)}", f"ABDUL{chr(65 + i // 26)}") for i in range(60)]
    s = build(entry("T", full_name="BDLLH HMD"), *others)
    hits = s.screen([query("AHMED", "ABDULLAH")], threshold=0.0)[0]
    top = {h.entry_id: h for h in hits}
    assert "T" in top
    assert "consonant_skeleton" in top["T"].explanation["reasons"]


@pytest.mark.parametrize(
    ("listed_surname", "listed_given", "q_surname", "q_given", "reason"),
    [
        ("HADDAD", "KHALID", "HADAD", "KHALID", "spelling_variant"),  # one deletion
        ("HADDAD", "KHALID", "HADDAD", "KAHLID", "spelling_variant"),  # transposition
        ("RAHMAN", "MOHAMMED", "RAHMAN", "MUHAMMAD", "known_variant"),
        ("AL HADDADIN", "SAMIR", "HADDADIN", "SAMIR", "particle_dropped"),
        ("ZHANG", "WEIJIE", "ZHANG", "WEI JIE", "tokens_joined"),  # query split
        ("ZHANG", "WEI JIE", "ZHANG", "WEIJIE", "tokens_joined"),  # listed split
    ],
)
def test_each_kind_of_variant_is_a_candidate(
    listed_surname: str, listed_given: str, q_surname: str, q_given: str, reason: str
) -> None:
    # the listed person among many others sharing its surname
    others = [entry(f"O{i}", listed_surname, f"OTHER{chr(65 + i % 26)}{i}") for i in range(200)]
    s = build(entry("E1", listed_surname, listed_given, "1970-01-01"), *others)
    hits = s.screen([query(q_surname, q_given, "1970-01-01")])[0]
    assert hits and hits[0].entry_id == "E1"
    assert reason in hits[0].explanation["reasons"]


def test_equal_names_are_ranked_by_date_of_birth() -> None:
    # more listed namesakes than max_candidates: the one whose DOB agrees is scored
    namesakes = [entry(f"N{i}", "SMITH", "JAMES", f"{1950 + i % 20}-01-01") for i in range(120)]
    target = entry("T", "SMITH", "JAMES", "1985-06-07")
    s = build(*namesakes, target)
    got = scores(s, query("SMITH", "JAMES", "1985-06-07"))
    assert got["T"] == 1.0
    assert len(got) <= CONFIG.max_candidates


def test_candidates_count_persons_not_names() -> None:
    # one person with many aliases takes one of the max_candidates places
    many_aliases = Person(
        key="wl:A",
        names=tuple(
            name_variants_person
            for name_variants_person in (entry("x", "KOVAL", f"IVAN{c}").names[0] for c in "ABCDEFGHIJ")
        ),
        list_id="wl",
        entry_id="A",
    )
    others = [entry(f"K{i}", "KOVAL", "IVAN") for i in range(5)]
    s = Screener([many_aliases, *others], MatchConfig(max_candidates=3))
    q = query("KOVAL", "IVAN")
    found = s.index.candidates([v for v in name_variants(None, "KOVAL", "IVAN")], limit=3)
    assert len({s.index.person_of(rid) for rid, _ in found}) == 3
    assert len(scores(s, q)) == 3


def test_exhaustive_scan_matches_index_on_a_small_list() -> None:
    s = build(
        entry("E1", "NKUNDA", "LAURENT", "1967-02-06"),
        entry("E2", "NKUNDA", "LORAN", "1967-02-06"),
        entry("E3", "KABILA", "JOSEPH"),
    )
    q = [query("NKUNDA", "LAURENT", "1967-02-06"), query("KABILA", "JOSEF")]
    assert _hits(s, q) == _hits(s, q, exhaustive=True)
    assert [h[0] for h in _hits(s, q)[0]] == ["wl:E1"]
    assert [h[0] for h in _hits(s, q)[1]] == ["wl:E3"]


def test_equal_names_are_ranked_by_nationality_and_gender() -> None:
    # more namesakes than max_candidates, no DOB anywhere: the one whose nationality
    # agrees (and whose gender does not contradict) is among the scored, and on top
    small = MatchConfig(max_candidates=5)
    namesakes = [
        dataclasses.replace(entry(f"N{i}", "ZHANG", "WEI", nationality="CHN"), genders=("F",)) for i in range(60)
    ]
    target = dataclasses.replace(entry("T", "ZHANG", "WEI", nationality="TWN"), genders=("M",))
    s = build(*namesakes, target, config=small)
    hits = s.screen([query("ZHANG", "WEI", nationality="TWN", gender="M")])[0]
    assert hits[0].entry_id == "T"
    assert hits[0].score > max(h.score for h in hits[1:])


def test_repeated_query_token_does_not_inflate_the_estimate() -> None:
    # MOHAMMAD MOHAMMAD GUPTA meets the one listed name with both MOHAMMADs first, not
    # the many MOHAMMAD <other> GUPTA whose single MOHAMMAD matched twice in the estimate
    small = MatchConfig(max_candidates=3)
    others = [entry(f"O{i}", "GUPTA", f"MOHAMMAD {n}") for i, n in enumerate(["AMIT", "RAJ", "ANIL", "VIKRAM"] * 10)]
    target = entry("T", "GUPTA", "MOHAMMAD MOHAMMAD")
    s = build(*others, target, config=small)
    found = s.index.candidates(
        [v for v in name_variants(None, "GUPTA", "MOHAMMAD MOHAMMAD")], limit=1, shape=s._shape
    )
    assert s._entries[s.index.person_of(found[0][0])].entry_id == "T"
    assert s.screen([query("GUPTA", "MOHAMMAD MOHAMMAD")])[0][0].entry_id == "T"


def test_joined_listed_tokens_are_estimated_as_two_tokens() -> None:
    # HAO LIJIAN vs LI JIAN: one query token meets two listed tokens joined; among many
    # LI <x> namesakes the joined match keeps its place
    small = MatchConfig(max_candidates=3)
    others = [entry(f"O{i}", "LI", f"JI{chr(65 + i % 26)}{chr(65 + i // 26)}") for i in range(80)]
    s = build(*others, entry("T", "LI", "JIAN"), config=small)
    hits = s.screen([query("HAO", "LIJIAN")], threshold=0.0)[0]
    assert hits[0].entry_id == "T"
    assert "tokens_joined" in hits[0].explanation["reasons"]


def test_pruning_by_estimate_keeps_every_hit_of_the_exhaustive_scan(
    listed: list[Person], queries: list[Person]
) -> None:
    # the estimate margin prunes work, not hits: with and without pruning the same hits
    s = Screener(listed, CONFIG)
    unpruned = Screener(listed, dataclasses.replace(CONFIG, estimate_margin=1.0))
    assert _hits(s, queries) == _hits(unpruned, queries)


def test_a_candidate_far_below_the_threshold_is_not_scored(monkeypatch: pytest.MonkeyPatch) -> None:
    # one shared token with a long listed name: the estimate is far below the threshold,
    # so the full name scorer never runs for it (that is the point of the estimate)
    s = build(entry("E1", "KOWALSKI", "JAN PIOTR MAREK ANDRZEJ"), entry("E2", "NOWAK", "ADAM"))
    calls: list[str] = []
    real = s._best_name

    def spy(q_variants, q_weights, entry, rids, memo, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(entry.entry_id)
        return real(q_variants, q_weights, entry, rids, memo, *args, **kwargs)

    monkeypatch.setattr(s, "_best_name", spy)
    assert s.screen([query("NOWAK", "ADAM")])[0][0].entry_id == "E2"
    assert s.screen([query("KOWALSKI", "TOMASZ")])[0] == []
    assert "E1" not in calls


@pytest.mark.parametrize(
    ("listed", "traveller"),
    [
        (("YUN", "HO JIN"), ("HOFJIN", "YUN")),  # a typo inside two tokens written as one
        (("CHONG CHOL", "MUN"), ("CHONGKCHOL", "MUN")),
        ((None, "HAN YU RO"), ("YU-ORO", "HAN")),  # syllables joined differently
        ((None, "AL LAWSON"), (None, "AL LAWSON JR")),
    ],
)
def test_pruning_keeps_hits_the_scorer_finds_by_joining_tokens(
    listed: tuple[str | None, str], traveller: tuple[str | None, str]
) -> None:
    # the ranking estimate aligns single tokens; where only the scorer's joined units
    # reach the hit, the estimate must not prune it
    surname, given = listed
    target = entry("T", surname, given) if surname else entry("T", full_name=given)
    others = [entry(f"O{i}", "KIM", f"SOO {chr(65 + i % 26)}{chr(65 + i // 26)}") for i in range(50)]
    q_surname, q_given = traveller
    q = query(q_surname, q_given) if q_surname else query(full_name=q_given)
    pruned = build(target, *others).screen([q])[0]
    unpruned = build(target, *others, config=dataclasses.replace(CONFIG, estimate_margin=1.0)).screen([q])[0]
    assert [(h.entry_id, h.score) for h in pruned] == [(h.entry_id, h.score) for h in unpruned]


def test_records_keep_their_variant_rule() -> None:
    # every listed variant comes back from the index with the rule that made it
    # (explanations report it: icao, korean_mr, suffix_dropped …)
    s = build(entry("K", full_name="김정은"), entry("G", "MÜLLER", "JÜRGEN"), entry("J", full_name="AL LAWSON JR"))
    idx = s.index
    got = {(idx.record(r).variant.rule, idx.record(r).variant.structured) for r in idx.all_records()}
    want = {
        (v.rule, v.structured)
        for p in (s._entries[0], s._entries[1], s._entries[2])
        for n in p.names
        for v in name_variants(n.full_name, n.surname, n.given_names)
    }
    assert got == want
    assert len({rule for rule, _ in got}) >= 3


@pytest.mark.parametrize("native", [False, True], ids=["python", "compiled"])
def test_record_weights_are_the_token_weights(listed: list[Person], native: bool) -> None:
    # the rarity weights the scorer takes per listed record, read from the index's
    # per-token array: the very floats token_weight gives each token text
    s = Screener(listed, CONFIG, native=native)
    idx = s.index
    seen = set()
    for rid in idx.all_records():
        weights = idx.record_weights(rid)
        assert weights == [idx.token_weight(t.text) for t in idx.record(rid).variant.tokens]
        seen.update(weights)
    assert len(seen) >= 10 and min(seen) < 0.9  # distinct document frequencies


def test_scored_records_are_kept_and_bounded(
    monkeypatch: pytest.MonkeyPatch, listed: list[Person], queries: list[Person]
) -> None:
    # the screener keeps the records it scored in the scorer's form: a second pass
    # reads them from there, and a bound that keeps restarting the cache changes no hit
    s = Screener(listed, CONFIG)
    first = _hits(s, queries)
    kept = len(s._scoring)
    assert kept > 0
    made: list[int] = []
    real = s.index.record
    monkeypatch.setattr(s.index, "record", lambda rid: made.append(rid) or real(rid))
    assert _hits(s, queries) == first
    assert not made
    monkeypatch.setattr(matchers.screener, "_SCORING_RECORDS", 3)
    s._scoring.clear()
    assert _hits(s, queries) == first
    assert 0 < len(s._scoring) <= 3 and len(made) > kept


@pytest.mark.parametrize("native", [False, True], ids=["python", "compiled"])
def test_refine_bar_drops_records_not_hits(listed: list[Person], queries: list[Person], native: bool) -> None:
    # the index skips the token alignment of records whose coarse estimate cannot come
    # within refine_margin of what the screener needs: work saved, no hit lost (on both
    # candidate stages)
    s = Screener(listed, CONFIG, native=native)
    no_bar = Screener(listed, dataclasses.replace(CONFIG, refine_margin=1.0), native=native)
    assert s.index.native is native and no_bar.index.native is native
    assert _hits(s, queries) == _hits(no_bar, queries)


def _listed_with_script_name() -> list[Person]:
    # a listed person with a Latin and an unvowelled Arabic-script name (the UN list's
    # QDi.064 shape), among others sharing its given name and birth year
    target = Person(
        key="wl:T",
        names=(
            PersonName(full_name="SAMI BENKHAMIS BENSALEH ELSSEID"),
            PersonName(full_name="سامي بن خميس بن صالح الصيد"),
        ),
        dates_of_birth=(DateSpec(date="1968-02-10"),),
        nationalities=("TUN",),
        list_id="wl",
        entry_id="T",
    )
    others = [
        entry(f"O{i}", f"{chr(65 + i % 26)}{chr(65 + i // 26)}SSAR", "SAMI", "1968", nationality="TUN")
        for i in range(60)
    ]
    return [target, *others]


@pytest.mark.parametrize("native", [False, True], ids=["python", "compiled"])
@pytest.mark.parametrize(
    "name",
    [
        "SAMI B KHAMISBEN S SSEID",  # initials, joined tokens, a dropped letter
        "SAMIBEN K BENSALEH ELSSEID",
    ],
)
def test_refine_bar_keeps_hits_only_the_alignment_rescues(name: str, native: bool) -> None:
    # the coarse estimate cannot see an initial or a name written without vowels
    # aligning; such records are aligned whatever their coarse estimate (on both
    # candidate stages)
    listed = _listed_with_script_name()
    q = Person(
        key="t",
        names=(PersonName(full_name=name),),
        dates_of_birth=(DateSpec(date="1968-02-10"),),
        nationalities=("TUN",),
    )
    barred = Screener(listed, CONFIG, native=native).screen([q])[0]
    unbarred = Screener(listed, dataclasses.replace(CONFIG, refine_margin=1.0), native=native).screen([q])[0]
    assert [(h.entry_id, h.score, h.matched_name) for h in barred] == [
        (h.entry_id, h.score, h.matched_name) for h in unbarred
    ]
    assert barred and barred[0].entry_id == "T"


@pytest.mark.parametrize("native", [False, True], ids=["python", "compiled"])
@pytest.mark.parametrize(
    ("threshold", "list_thresholds", "floor"),
    [(None, {}, 0.75), (0.6, {}, 0.6), (None, {"wl": 0.65, "other": 0.9}, 0.65), (0.0, {}, 0.0)],
)
def test_screener_asks_the_index_for_what_its_pruning_rule_needs(
    monkeypatch: pytest.MonkeyPatch,
    threshold: float | None,
    list_thresholds: dict[str, float],
    floor: float,
    native: bool,
) -> None:
    # the estimate a candidate must reach: the lowest usable threshold minus
    # estimate_margin, over the name-only factor; max_boost bounds the evidence boost.
    # NameIndex.candidates is the entry point of both candidate stages, and
    # NameIndex.name_candidates that of the compiled stage for a name it folds: the same
    # request whichever runs, and the compiled stage is handed the same boost in its own
    # form
    cfg = dataclasses.replace(CONFIG, list_thresholds=list_thresholds)
    s = Screener([entry("E1", "NOWAK", "ADAM", "1970-01-01")], cfg, native=native)
    assert s.index.native is native
    seen: dict[str, Any] = {}

    def spy(name: str) -> None:
        real = getattr(s.index, name)

        def call(*args, **kwargs):  # type: ignore[no-untyped-def]
            seen.update(
                entry=name,
                need=kwargs["need"],
                max_boost=kwargs["max_boost"],
                refine_margin=kwargs["refine_margin"],
                native_boost=kwargs["native_boost"],
            )
            return real(*args, **kwargs)

        monkeypatch.setattr(s.index, name, call)

    spy("candidates")
    spy("name_candidates")
    real_batch = s.index.batch_candidates

    def batch(persons, fold, evidence, **kwargs):  # type: ignore[no-untyped-def]
        # the compiled stage's entry for a whole batch: each query's boost is read there
        seen.update(entry="batch_candidates", need=kwargs["need"], refine_margin=kwargs["refine_margin"])
        seen.update(evidence=evidence)
        return real_batch(persons, fold, evidence, **kwargs)

    monkeypatch.setattr(s.index, "batch_candidates", batch)
    q = query("NOWAK", "ADAM", "1970-01-01", nationality="POL", gender="M")
    s.screen([q], threshold=threshold)
    assert seen["need"] == pytest.approx((floor - cfg.estimate_margin) / cfg.name_only_factor)
    assert seen["refine_margin"] == cfg.refine_margin
    evidence = s._evidence_boost(q)
    assert evidence is not None
    boost = evidence[0]  # the factor function; [1] is its compiled form
    if native:
        assert seen["entry"] == "batch_candidates"
        # the query's evidence as the batch reads it, and the factor it gives
        core_evidence, q_evidence = evidence[1]
        assert seen["evidence"] is core_evidence
        served, read = core_evidence.query(s._fold, q)
        assert served and read is not None
        assert core_evidence.factor(0, read) == core_evidence.factor(0, q_evidence) == boost(0)
    else:
        assert boost(0) <= seen["max_boost"]
        assert seen["max_boost"] == pytest.approx(1.0 / cfg.name_only_factor)
        assert seen["entry"] == "candidates"
        assert seen["native_boost"] is None


def test_refine_bar_drops_work_on_a_crowded_name(listed: list[Person], queries: list[Person]) -> None:
    # the bar does remove alignments: fewer calls with it than without, same hits.
    # native=False: this counts calls of the Python stage's _align_estimate (the compiled
    # stage aligns in Rust); test_refine_bar_drops_candidates_on_a_crowded_name checks
    # both stages by what they return
    s = Screener(listed, CONFIG, native=False)
    calls = {"n": 0}
    real = s.index._align_estimate

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return real(*args, **kwargs)

    s.index._align_estimate = counting  # type: ignore[method-assign]
    with_bar = _hits(s, queries)
    barred_calls = calls["n"]
    calls["n"] = 0
    s.config = dataclasses.replace(CONFIG, refine_margin=1.0)
    without_bar = _hits(s, queries)
    assert with_bar == without_bar
    assert barred_calls < calls["n"]


@pytest.mark.parametrize("native", [False, True], ids=["python", "compiled"])
def test_refine_bar_drops_candidates_on_a_crowded_name(
    monkeypatch: pytest.MonkeyPatch, listed: list[Person], queries: list[Person], native: bool
) -> None:
    # the bar drops persons before the alignment (all their records together): fewer
    # candidate records come back with it than without, and the same hits (the
    # screener's floor rule, prune, is left off: it leaves out most of the same persons)
    s = Screener(listed, CONFIG, native=native)
    assert s.index.native is native
    returned: list[int] = []

    def spy(name: str) -> None:  # either entry point (name_candidates: a name it folds, compiled)
        real = getattr(s.index, name)

        def call(*args, **kwargs):  # type: ignore[no-untyped-def]
            kwargs.pop("prune", None)
            found = real(*args, **kwargs)
            if found is not None:
                returned.append(len(found[1] if name == "name_candidates" else found))
            return found

        monkeypatch.setattr(s.index, name, call)

    spy("candidates")
    spy("name_candidates")
    real_batch = s.index.batch_candidates

    def batch(*args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs["prune"] = None
        got = real_batch(*args, **kwargs)
        returned.extend(len(found) for found in got if found is not None)
        return got

    monkeypatch.setattr(s.index, "batch_candidates", batch)
    with_bar = _hits(s, queries)
    barred = sum(returned)
    returned.clear()
    s.config = dataclasses.replace(CONFIG, refine_margin=1.0)
    without_bar = _hits(s, queries)
    assert with_bar == without_bar
    assert len(returned) == len(queries)
    assert barred < sum(returned)


def test_a_candidate_person_is_scored_on_its_other_names_too() -> None:
    # the index ranks one name of the person (two keyed tokens); the other name meets
    # the query on one keyed token only and is not ranked (here: a pool of one record),
    # yet it is the name that scores best: the person is compared on both
    listed = Person(
        key="wl:T",
        names=(
            PersonName(surname="IVANOV", given_names="ALEKSANDR SEMENCHUK"),
            PersonName(full_name="ELEKSANDR SEMENCHUK IVANOV"),
        ),
        nationalities=("UKR",),
        list_id="wl",
        entry_id="T",
    )
    q = query("SEMENCHUK", "ALEKSANRD", "1996-01-24", nationality="UKR", gender="F")
    narrow = build(listed, config=dataclasses.replace(CONFIG, ranking_pool=1))
    exhaustive = narrow.screen([q], exhaustive=True)[0]
    assert exhaustive and exhaustive[0].matched_name == "ELEKSANDR SEMENCHUK IVANOV"
    got = narrow.screen([q])[0]
    assert [(h.entry_id, h.score, h.matched_name) for h in got] == [
        (h.entry_id, h.score, h.matched_name) for h in exhaustive
    ]


@pytest.mark.parametrize("native", [False, True], ids=["python", "compiled"])
def test_name_only_factor_zero_screens_without_a_boost(native: bool) -> None:
    # a share of 0 for a name alone leaves no relative factor to rank by: no boost, no
    # division by zero (it raised ZeroDivisionError on a query with a date of birth)
    config = MatchConfig(name_only_factor=0.0)
    s = Screener([entry("E1", "NOWAK", "ADAM", "1970-01-01")], config, native=native)
    assert s._evidence_boost(query("NOWAK", "ADAM", "1970-01-01")) is None
    hits = s.screen([query("NOWAK", "ADAM", "1970-01-01")], threshold=0.0)[0]
    assert [h.entry_id for h in hits] == ["E1"]


def test_screener_prunes_in_the_index_unless_a_document_candidate(monkeypatch: pytest.MonkeyPatch) -> None:
    # the screener's rule for persons that cannot reach the floor runs in the index
    # call (prune), except when a document candidate exists: that person is scored on
    # the names the index ranked, so the index must return them; the hits are those of
    # the unpruned call either way
    passport = DocumentKey("X1234567", "P", "GBR")
    s = build(
        entry("1", "SMITH", "JOHN", "1970-01-01", documents=(passport,)),
        entry("2", "SMITH", "JANE", "1980-02-02"),
        entry("3", "SMYTHE", "JONATHAN"),
        entry("4", "JONES", "PETER"),
    )
    queries = [
        query("SMITH", "J", documents=(passport,)),
        query("SMYTH", "JON"),
        query("PETERS", "JOHN", "1970-01-01"),
        query("JONES", "PETE", documents=(DocumentKey("X1234568"),)),
    ]
    seen: list[tuple[float, float, float] | None] = []
    prune = [True]
    # either entry point: name_candidates is the compiled stage's for a name it folds
    for name in ("candidates", "name_candidates"):
        real = getattr(s.index, name)

        def spy(*args: Any, real: Any = real, **kwargs: Any) -> Any:
            seen.append(kwargs.get("prune"))
            if not prune[0]:
                kwargs.pop("prune", None)
            return real(*args, **kwargs)

        monkeypatch.setattr(s.index, name, spy)
    real_batch = s.index.batch_candidates

    def batch(persons: Any, *args: Any, **kwargs: Any) -> Any:  # the compiled entry for a batch
        unpruned = set(kwargs["unpruned"])
        seen.extend(None if i in unpruned else kwargs["prune"] for i in range(len(persons)))
        if not prune[0]:
            kwargs["prune"] = None
        return real_batch(persons, *args, **kwargs)

    monkeypatch.setattr(s.index, "batch_candidates", batch)
    cfg = s.config
    for threshold in (None, 0.0, 0.5):
        seen.clear()
        prune[0] = True
        pruned = s.screen(queries, threshold=threshold)
        floor = cfg.threshold if threshold is None else threshold
        rule = (cfg.name_only_factor, cfg.estimate_margin, floor)
        # the last query's document is no listed person's: no document candidate
        assert seen == [None, rule, rule, rule]
        prune[0] = False
        assert s.screen(queries, threshold=threshold) == pruned
        assert any(pruned)


def test_query_birth_dates_are_birth_year_span_per_date() -> None:
    # the query side of the evidence boost: exact days as written, and per date the
    # first year birth_year_span gives it alone (exact, partial, ranges, open ranges,
    # circa without its tolerance, unparseable dates left out)
    from matchers.screener import _query_birth_dates, birth_year_span

    dates = (
        DateSpec(date="1971-03-04"),
        DateSpec(date="1971-02-30"),  # impossible: no year, but the day as written
        DateSpec(date="1980"),
        DateSpec(date="1955-07", approximate=True),
        DateSpec(from_="1960", to="1965"),
        DateSpec(to="1950-05-01"),
        DateSpec(from_="1990"),
        DateSpec(date="garbage"),
    )
    days, years = _query_birth_dates(dates)
    assert days == {"1971-03-04", "1971-02-30"}
    assert years == {y for y in (birth_year_span((d,), 0)[0] for d in dates) if y} == {1971, 1980, 1955, 1960, 1, 1990}
