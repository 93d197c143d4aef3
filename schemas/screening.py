"""Converters between the canonical wire records and the screening core's types.

``Traveller``/``WatchlistEntry`` (pydantic, :mod:`schemas.records`) become
:class:`matchers.Person`; a :class:`matchers.MatchResult` becomes a ``Hit``. Country
names and codes are mapped to alpha-3 by :func:`schemas.countries.to_alpha3`; multi-value
document number fields are split (field case 17).
"""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timedelta
from functools import lru_cache

from matchers import DateSpec, DocumentKey, MatchResult, Person, PersonName
from matchers.normalise import canonical_document_number, is_unknown, name_variants
from schemas.countries import to_alpha3
from schemas.records import Document, Hit, Traveller, WatchlistEntry
from schemas.watchlists.common import split_document_numbers

_today: tuple[float, float, str] = (0.0, 0.0, "")
"""The cached local day: (its first midnight, the midnight ending it, both POSIX
timestamps; its ISO date)."""


def _today_iso() -> str:
    """Today's local date as ``YYYY-MM-DD``, read from the clock once per day (and again
    when the clock is set back before the day's start)."""
    global _today
    start, until, iso = _today
    now = time.time()
    if not start <= now < until:
        day = date.today()
        start = datetime.combine(day, datetime.min.time()).timestamp()
        until = datetime.combine(day + timedelta(days=1), datetime.min.time()).timestamp()
        _today = start, until, iso = start, until, day.isoformat()
    return iso


def in_future(value: str | None, today: date | None = None) -> bool:
    """True when a (full or partial) ISO date lies wholly after ``today`` (default: the
    local date): a birth date that cannot be right, read as unknown rather than as
    evidence against a match."""
    if not value:
        return False
    iso = today.isoformat() if today is not None else _today_iso()
    return value > iso[: len(value)]


_ASCII_LETTER = re.compile(r"[A-Za-z]")


def name_is_uncomparable(full_name: str | None, surname: str | None, given_names: str | None) -> bool:
    """True when a traveller has a name that yields no comparable form for the matcher
    (a script that transliterates to nothing; field case 13): it can never match a
    listed name, so decoders warn ``uncomparable_name`` for data-quality follow-up.
    ``False`` for a traveller without any name (warned otherwise) and, cheaply, for any
    name holding an ASCII letter."""
    parts = [p for p in (full_name, surname, given_names) if p and not is_unknown(p)]
    if not parts or any(_ASCII_LETTER.search(p) for p in parts):
        return False
    return not name_variants(full_name, surname, given_names)


def _documents(docs: list[Document]) -> tuple[DocumentKey, ...]:
    """Canonical document keys (field case 17): a multi-value number field is split as
    the watchlist readers split it (:func:`schemas.watchlists.common.split_document_numbers`:
    ``,`` ``;`` line breaks, and ``/`` only between two whole numbers, so ``S/263963``
    stays one number), then canonicalised; empty and placeholder numbers are dropped."""
    out: list[DocumentKey] = []
    for doc in docs:
        country = to_alpha3(doc.issuing_country)
        for number in split_document_numbers(doc.number):
            canon = canonical_document_number(number)
            if canon:
                out.append(DocumentKey(number=canon, type=doc.type, issuing_country=country))
    return tuple(out)


def _countries(values: list[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for v in values:
        code = to_alpha3(v)
        if code:
            seen[code] = None
    return tuple(seen)


@lru_cache(maxsize=65_536)
def _birth_date(dob: str) -> tuple[DateSpec]:
    """``(DateSpec(date=dob),)``, one shared tuple per date (immutable; the travellers'
    birth dates repeat: some 30,000 days in 80 years)."""
    return (DateSpec(date=dob),)


@lru_cache(maxsize=4096)
def _nationality(value: str) -> tuple[str, ...]:
    """:func:`_countries` of one traveller nationality, memoised."""
    return _countries([value])


def _traveller_dates(t: Traveller) -> tuple[DateSpec, ...]:
    if not t.date_of_birth_alternatives:  # the usual case: one reading, not ambiguous
        dob = t.date_of_birth
        return _birth_date(dob) if dob and not in_future(dob) else ()
    readings = [d for d in (t.date_of_birth, *t.date_of_birth_alternatives) if d and not in_future(d)]
    ambiguous = len(readings) > 1
    return tuple(DateSpec(date=d, ambiguous_century=ambiguous) for d in dict.fromkeys(readings))


def traveller_to_person(t: Traveller) -> Person:
    """A traveller as a screening query: ``key`` = ``traveller_id``; one primary name
    (``surname``/``given_names`` or ``full_name``); DOB (``YYYY[-MM[-DD]]``) and, for a
    two-digit year of open century, its other readings (each ``ambiguous_century``,
    field case 06), future dates left out; nationality and gender; documents with
    multi-value numbers split."""
    return Person(
        key=t.traveller_id,
        names=(PersonName(full_name=t.full_name, surname=t.surname, given_names=t.given_names),),
        dates_of_birth=_traveller_dates(t),
        nationalities=_nationality(t.nationality) if t.nationality else (),
        genders=(t.gender,) if t.gender else (),
        documents=_documents(t.documents) if t.documents else (),
    )


def entry_to_person(e: WatchlistEntry) -> Person:
    """A watchlist entry as a listed person: ``key`` = ``{list_id}:{entry_id}``; every
    name (primary, aliases, original script) with its ``kind``; every listed DOB (exact,
    partial, range, circa); nationalities and citizenships together; documents split
    and canonicalised (empty or ``<``-only numbers dropped)."""
    return Person(
        key=e.key,
        names=tuple(
            PersonName(full_name=n.full_name, surname=n.surname, given_names=n.given_names, kind=n.kind)
            for n in e.names
        ),
        dates_of_birth=tuple(
            DateSpec(
                date=d.date, from_=d.from_, to=d.to, approximate=d.approximate, ambiguous_century=d.ambiguous_century
            )
            for d in e.dates_of_birth
            if not in_future(d.date or d.from_)
        ),
        nationalities=_countries(e.nationalities + e.citizenships),
        genders=tuple(e.genders),
        documents=_documents(e.documents),
        list_id=e.list_id,
        entry_id=e.entry_id,
    )


def result_to_hit(r: MatchResult, *, list_version: str | None = None, list_owner: str | None = None) -> Hit:
    """A screening result as a wire ``Hit`` (score clamped to 0.0–1.0)."""
    return Hit(
        list_id=r.list_id,
        list_version=list_version,
        list_owner=list_owner,
        entry_id=r.entry_id,
        score=min(1.0, max(0.0, r.score)),
        matched_name=r.matched_name,
        explanation=r.explanation,
    )
