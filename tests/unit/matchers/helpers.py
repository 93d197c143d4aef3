"""Helpers shared by the matcher tests: small watchlists built from field-case tables."""

from __future__ import annotations

from matchers import DateSpec, DocumentKey, MatchConfig, Person, PersonName, Screener


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
