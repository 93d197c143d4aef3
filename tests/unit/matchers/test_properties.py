"""Property tests: score range, self-match is best, thresholds are monotone."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchers import DateSpec, MatchConfig, Person, PersonName, Screener

# Latin with umlauts and separators, the unknown-character '?', Hangul and Arabic letters
NAME = st.text(alphabet="ABCDEFGHIJKLMNOPRSTUVWYZÄÖÜß'- ?김정은박حمدسن", min_size=1, max_size=14)
DATE = st.dates().map(lambda d: d.isoformat()) | st.integers(1900, 2020).map(str)


@st.composite
def persons(draw: st.DrawFn, key: str) -> Person:
    names = draw(st.lists(st.tuples(NAME, NAME), min_size=1, max_size=3))
    dobs = draw(st.lists(DATE, max_size=2))
    return Person(
        key=f"wl:{key}",
        names=tuple(PersonName(surname=s, given_names=g) for s, g in names),
        dates_of_birth=tuple(DateSpec(date=d) for d in dobs),
        nationalities=tuple(draw(st.lists(st.sampled_from(["DEU", "FRA", "JOR"]), max_size=1))),
        genders=tuple(draw(st.lists(st.sampled_from(["M", "F"]), max_size=1))),
        list_id="wl",
        entry_id=key,
    )


@st.composite
def watchlists(draw: st.DrawFn) -> list[Person]:
    n = draw(st.integers(1, 6))
    return [draw(persons(f"E{i}")) for i in range(n)]


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(watchlists(), persons("Q"))
def test_scores_within_unit_interval(entries: list[Person], q: Person) -> None:
    for hit in Screener(entries, MatchConfig()).screen([q], threshold=0.0)[0]:
        assert 0.0 <= hit.score <= 1.0
        assert 0.0 <= hit.explanation["name"]["score"] <= 1.0


@SETTINGS
@given(watchlists(), st.data())
def test_record_against_itself_scores_highest(entries: list[Person], data: st.DataObject) -> None:
    pick = data.draw(st.sampled_from(entries))
    screener = Screener(entries, MatchConfig())
    hits = screener.screen([pick], threshold=0.0)[0]
    own = [h.score for h in hits if h.entry_id == pick.entry_id]
    if not own:
        # only names that normalise to nothing are uncomparable, never a self-miss
        from matchers.screener import person_variants

        assert person_variants(pick) == []
        return
    assert own[0] == max(h.score for h in hits)


@SETTINGS
@given(watchlists(), persons("Q"), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_raising_threshold_never_adds_hits(entries: list[Person], q: Person, t1: float, t2: float) -> None:
    low, high = sorted((t1, t2))
    screener = Screener(entries, MatchConfig(max_hits=100))
    low_hits = {h.entry_id for h in screener.screen([q], threshold=low)[0]}
    high_hits = {h.entry_id for h in screener.screen([q], threshold=high)[0]}
    assert high_hits <= low_hits
