"""Helpers shared by the matcher tests: small watchlists built from field-case tables,
and the accuracy suite's shared data (the tests skip without it)."""

from __future__ import annotations

import pytest

from loadtest.accuracy import FIXTURES, SHARED, SUITE_LISTS, read_travellers
from matchers import DateSpec, DocumentKey, MatchConfig, Person, PersonName, Screener
from schemas.watchlists import read_watchlist


def entry(
    entry_id: str,
    surname: str | None = None,
    given: str | None = None,
    dob: str | None = None,
    *,
    full_name: str | None = None,
    nationality: str | None = None,
    documents: tuple[DocumentKey, ...] = (),
    dates: tuple[DateSpec, ...] | None = None,
    list_id: str = "wl",
) -> Person:
    """A listed person with one structured (or free-form) name."""
    return Person(
        key=f"{list_id}:{entry_id}",
        names=(PersonName(full_name=full_name, surname=surname, given_names=given),),
        dates_of_birth=dates if dates is not None else ((DateSpec(date=dob),) if dob else ()),
        nationalities=(nationality,) if nationality else (),
        documents=documents,
        list_id=list_id,
        entry_id=entry_id,
    )


def query(
    surname: str | None = None,
    given: str | None = None,
    dob: str | None = None,
    *,
    full_name: str | None = None,
    nationality: str | None = None,
    gender: str | None = None,
    documents: tuple[DocumentKey, ...] = (),
) -> Person:
    """A traveller query."""
    return Person(
        key="t1",
        names=(PersonName(full_name=full_name, surname=surname, given_names=given),),
        dates_of_birth=(DateSpec(date=dob),) if dob else (),
        nationalities=(nationality,) if nationality else (),
        genders=(gender,) if gender else (),
        documents=documents,
    )


def scores(screener: Screener, q: Person) -> dict[str, float]:
    """``entry_id → score`` of every candidate (threshold 0)."""
    return {r.entry_id: r.score for r in screener.screen([q], threshold=0.0)[0]}


def build(*entries: Person, config: MatchConfig | None = None) -> Screener:
    """A screener over ``entries`` with the default (or given) configuration."""
    return Screener(entries, config or MatchConfig())


def require_suite_data() -> None:
    """Skip the calling test, saying where it looked, unless the accuracy suite's shared
    data is there: UN, OFAC SDN and UK HMT (``SUITE_LISTS``) and the fixtures folder."""
    if not (all(p.exists() for _, p in SUITE_LISTS) and FIXTURES.is_dir()):
        pytest.skip(f"shared watchlists and fixtures not found under {SHARED.resolve()}")


def suite_names(fixtures: dict[str, str]) -> list[tuple[str | None, str | None, str | None]]:
    """``(full_name, surname, given_names)`` of every name of the suite's lists, then of
    the travellers of each fixture (file name -> traveller id prefix); skips as
    :func:`require_suite_data`."""
    require_suite_data()
    names: list[tuple[str | None, str | None, str | None]] = [
        (n.full_name, n.surname, n.given_names)
        for _, path in SUITE_LISTS
        for e in read_watchlist(str(path), format="auto").entries
        for n in e.names
    ]
    for fixture, prefix in fixtures.items():
        names += [(t.full_name, t.surname, t.given_names) for t in read_travellers(FIXTURES / fixture, prefix)]
    return names
