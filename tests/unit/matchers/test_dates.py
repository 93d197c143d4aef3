from __future__ import annotations

import pytest

from matchers.dates import compare_dob, parse_partial_date
from matchers.model import DateSpec


@pytest.mark.parametrize(
    ("raw", "iso", "precision"),
    [
        ("1971-03-22", "1971-03-22", "day"),
        ("1971-03", "1971-03", "month"),
        ("1971", "1971", "year"),
        ("1971-00-00", "1971", "year"),
        ("1971-03-00", "1971-03", "month"),
        ("1972-02-29", "1972-02-29", "day"),
    ],
)
def test_parse_partial_date(raw: str, iso: str, precision: str) -> None:
    parsed = parse_partial_date(raw)
    assert parsed is not None
    assert parsed.iso() == iso
    assert parsed.precision == precision


@pytest.mark.parametrize("raw", ["", "1971-02-30", "1971-13", "22/03/1971", "0000", None])
def test_parse_rejects(raw: str | None) -> None:
    assert parse_partial_date(raw) is None


P1 = (DateSpec(date="1971-03-22"),)
P2 = (DateSpec(date="1972-01-05"),)

# field case 14: the list's DOB forms (as the importer stores them) vs p1 and p2
CASE14 = [
    ("22/03/1971", (DateSpec(date="1971-03-22"),), ("match", "day"), ("mismatch", "day")),
    ("03/1971", (DateSpec(date="1971-03"),), ("match", "month"), ("mismatch", "month")),
    ("1971", (DateSpec(date="1971"),), ("match", "year"), ("mismatch", "year")),
    ("1969, 1971", (DateSpec(date="1969"), DateSpec(date="1971")), ("match", "year"), ("mismatch", "year")),
    ("1970-1973", (DateSpec(from_="1970", to="1973"),), ("partial", "range"), ("partial", "range")),
    (
        "Approximately 1970",
        (DateSpec(date="1970", approximate=True),),
        ("partial", "approximate"),
        ("partial", "approximate"),
    ),
    ("1971-00-00", (DateSpec(date="1971-00-00"),), ("match", "year"), ("mismatch", "year")),
    ("00.03.1971", (DateSpec(date="1971-03"),), ("match", "month"), ("mismatch", "month")),
    ("", (), ("unknown", None), ("unknown", None)),
]


@pytest.mark.parametrize(("raw", "listed", "vs_p1", "vs_p2"), CASE14, ids=[c[0] or "empty" for c in CASE14])
def test_case14_partial_dob(
    raw: str, listed: tuple[DateSpec, ...], vs_p1: tuple[str, str | None], vs_p2: tuple[str, str | None]
) -> None:
    r1 = compare_dob(P1, listed)
    r2 = compare_dob(P2, listed)
    assert (r1.result, r1.precision) == vs_p1
    assert (r2.result, r2.precision) == vs_p2


def test_approximate_tolerance_is_configurable() -> None:
    listed = (DateSpec(date="1970", approximate=True),)
    assert compare_dob(P2, listed, approximate_years=1).result == "mismatch"
    assert compare_dob(P2, listed, approximate_years=2).result == "partial"


def test_open_range_and_outside_range() -> None:
    assert compare_dob(P1, (DateSpec(from_="1972-01"),)).result == "mismatch"
    assert compare_dob(P2, (DateSpec(from_="1972-01"),)).result == "partial"


def test_dates_are_not_compared_as_strings() -> None:
    # case 13 d: same century and format, different date -> mismatch, never "similar"
    res = compare_dob((DateSpec(date="1975-11-30"),), (DateSpec(date="1980-01-01"),))
    assert (res.result, res.precision) == ("mismatch", "day")


def test_unknown_on_either_side() -> None:
    assert compare_dob((), P1).result == "unknown"
    assert compare_dob(P1, ()).result == "unknown"
    assert compare_dob((DateSpec(date="NONE"),), P1).result == "unknown"


def test_partial_query_date_against_full_list_date() -> None:
    res = compare_dob((DateSpec(date="1971"),), P1)
    assert (res.result, res.precision) == ("match", "year")


def _reference_parse(raw: str) -> tuple[int, int | None, int | None] | None:
    """What parse_partial_date gives, read off the calendar of :mod:`datetime`."""
    import datetime as dt
    import re

    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", raw.strip())
    if not m or int(m.group(1)) == 0:
        return None
    year, month, day = int(m.group(1)), int(m.group(2) or 0) or None, None
    if month is not None:
        if month > 12:
            return None
        day = int(m.group(3) or 0) or None
    try:
        if month is None:
            dt.date(year, 1, 1)
        elif day is None:
            dt.date(year + (month == 12), month % 12 + 1, 1)
        else:
            dt.date(year, month, day)
    except ValueError:
        return None
    return year, month, day


def test_parse_partial_date_agrees_with_the_calendar() -> None:
    # every month and day form around the leap-year rules and the calendar's ends
    for year in ("0001", "1900", "1971", "1972", "2000", "2100", "9999"):
        forms = [year, f"{year}-00"]
        forms += [f"{year}-{m:02d}" for m in range(14)]
        forms += [f"{year}-{m:02d}-{d:02d}" for m in range(14) for d in range(33)]
        for raw in [*forms, f" {forms[-1]} ", "0000-01-01"]:
            parsed = parse_partial_date(raw)
            got = None if parsed is None else (parsed.year, parsed.month, parsed.day)
            assert got == _reference_parse(raw), raw
