"""Date-of-birth comparison as dates, never as strings (field cases 13 and 14).

A date is held as ``(year, month, day)`` with ``None`` for the unknown parts; a
:class:`~matchers.model.DateSpec` becomes a set of such values, a range or an
approximate year. Results are ``match`` (same date at the coarser precision of the two),
``partial`` (inside a range or an approximate window, a full date with day and
month exchanged: ``day_month_swapped``, or one reading of a listed date whose day/month
order is open: ``day_month_order``), ``mismatch`` (different at a
known precision) or ``unknown`` (nothing comparable). A two-digit birth year of open
century arrives as one spec per reading (``ambiguous_century``, field case 06): either
may match, and the result says it was ambiguous.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from matchers.model import DateSpec

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

PRECISIONS = ("year", "month", "day")


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A calendar date known to ``year``, ``month`` or ``day`` precision."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        """``year``, ``month`` or ``day``."""
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def truncated(self, precision: str) -> tuple[int, ...]:
        """The date cut to ``precision`` as a tuple (``(1971,)``, ``(1971, 3)``…)."""
        full = (self.year, self.month or 0, self.day or 0)
        return full[: PRECISIONS.index(precision) + 1]

    def bounds(self) -> tuple[dt.date, dt.date]:
        """First and last calendar day this partial date may denote."""
        if self.month is None:
            return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        if self.day is None:
            nxt = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
            return dt.date(self.year, self.month, 1), nxt - dt.timedelta(days=1)
        d = dt.date(self.year, self.month, self.day)
        return d, d

    def iso(self) -> str:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
            if self.day is not None:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)


@lru_cache(maxsize=100_000)
def parse_partial_date(value: str | None) -> PartialDate | None:
    """Parse ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; zero month/day parts mean
    unknown (``1971-00-00`` → year 1971). Returns ``None`` for unknown, malformed or
    impossible dates (``1971-02-30``); leap days are valid (``1972-02-29``). Memoised
    (the result is immutable)."""
    if value is None:
        return None
    m = _ISO.match(value.strip())
    if not m:
        return None
    y, mo, d = m.groups()
    year = int(y)
    month = int(mo) if mo else 0
    day = int(d) if d and month else 0
    if year == 0 or month > 12:
        return None
    if day:
        leap = month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        if day > _MONTH_DAYS[month - 1] + leap:
            return None
    elif month == 12 and year == 9999:
        return None  # its last day is the last date there is: no bounds() (dt.date)
    return PartialDate(year, month or None, day or None)


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _day_month_swapped(a: PartialDate, b: PartialDate) -> bool:
    """Same year, and ``a``'s day and month are ``b``'s month and day (``1971-03-04`` vs
    ``1971-04-03``): the common DD/MM vs MM/DD entry error."""
    return a.year == b.year and a.day is not None and a.month != a.day and (a.day, a.month) == (b.month, b.day)


@dataclass(frozen=True, slots=True)
class DobResult:
    """Outcome of one DOB comparison: ``result`` (``match``/``partial``/``mismatch``/
    ``unknown``), ``precision`` of a match (``day``/``month``/``year``) or the kind of
    partial agreement (``range``/``approximate``/``day_month_swapped``), the values
    compared (ISO), and ``ambiguous_century`` when the deciding query or listed date is
    one reading of a two-digit year of open century (field case 06)."""

    result: str
    precision: str | None
    query: str | None
    candidate: str | None
    ambiguous_century: bool = False


_RANK = {"match": 3, "partial": 2, "mismatch": 1, "unknown": 0}
_PREC_RANK = {
    "day": 3,
    "month": 2,
    "year": 1,
    "range": 0,
    "approximate": 0,
    "day_month_swapped": 0,
    "day_month_order": 1,  # a listed reading itself agrees: better than a swap
    None: 0,
}


def _spec_text(spec: DateSpec) -> str:
    if spec.date:
        return ("~" if spec.approximate else "") + spec.date
    return f"{spec.from_ or ''}..{spec.to or ''}"


def _compare_one(query: PartialDate, spec: DateSpec, approximate_years: int) -> DobResult:
    text = _spec_text(spec)
    q_text = query.iso()
    if spec.date is not None:
        listed = parse_partial_date(spec.date)
        if listed is None:
            return DobResult("unknown", None, q_text, text)
        if spec.approximate:
            if abs(listed.year - query.year) <= approximate_years:
                return DobResult("partial", "approximate", q_text, text)
            return DobResult("mismatch", "approximate", q_text, text)
        prec = PRECISIONS[min(PRECISIONS.index(listed.precision), PRECISIONS.index(query.precision))]
        if listed.truncated(prec) == query.truncated(prec):
            return DobResult("match", prec, q_text, text)
        if prec == "day" and _day_month_swapped(query, listed):
            return DobResult("partial", "day_month_swapped", q_text, text)
        return DobResult("mismatch", prec, q_text, text)
    lo = parse_partial_date(spec.from_)
    hi = parse_partial_date(spec.to)
    if lo is None and hi is None:
        return DobResult("unknown", None, q_text, text)
    q_lo, q_hi = query.bounds()
    start = lo.bounds()[0] if lo else dt.date.min
    end = hi.bounds()[1] if hi else dt.date.max
    if spec.approximate:
        start = dt.date(max(1, start.year - approximate_years), 1, 1) if lo else start
        end = dt.date(min(9999, end.year + approximate_years), 12, 31) if hi else end
    if q_hi >= start and q_lo <= end:
        return DobResult("partial", "range", q_text, text)
    return DobResult("mismatch", "range", q_text, text)


def _order_ambiguous(candidate: tuple[DateSpec, ...]) -> set[int]:
    """Positions of the specs that are one reading of a listed date whose day/month order
    the source left open (``05/03/1971``: 5 March or 3 May, field case 14): approximate
    full dates whose swapped twin (day and month exchanged) is also listed approximate."""
    full = {}
    for i, spec in enumerate(candidate):
        if spec.approximate and spec.date is not None:
            d = parse_partial_date(spec.date)
            if d is not None and d.day is not None and d.day != d.month:
                full[(d.year, d.month, d.day)] = i
    return {i for (y, m, d), i in full.items() if (y, d, m) in full}


def _compare_order_ambiguous(query: PartialDate, spec: DateSpec, approximate_years: int) -> DobResult:
    """One reading of a date of open day/month order: compared as an exact date, a match
    finer than the year is only ``partial`` (``day_month_order``) — the other reading may
    be the true one."""
    res = _compare_one(query, DateSpec(date=spec.date), approximate_years)
    text = _spec_text(spec)
    if res.result == "match" and res.precision != "year":
        return DobResult("partial", "day_month_order", res.query, text)
    return DobResult(res.result, res.precision, res.query, text)


def compare_dob(
    query: tuple[DateSpec, ...], candidate: tuple[DateSpec, ...], *, approximate_years: int = 2
) -> DobResult:
    """Best agreement between the query's and the candidate's dates of birth.

    ``query`` holds the traveller's DOB (PAXLST ``DTM+329``, PNRGOV ``SSR DOCS``; only
    ``date`` is used), ``candidate`` the listed dates (exact, partial, ranges, circa).
    ``match`` beats ``partial`` beats ``mismatch``; ``unknown`` when either side has no
    parseable date. ``approximate_years`` is the circa tolerance in years. Specs marked
    ``ambiguous_century`` (one per reading of a two-digit year) are alternatives: the
    best reading counts and the result carries ``ambiguous_century=True``.
    """
    q_dates = [(d, s.ambiguous_century) for d, s in ((parse_partial_date(s.date), s) for s in query) if d is not None]
    if not q_dates or not candidate:
        return DobResult(
            "unknown",
            None,
            q_dates[0][0].iso() if q_dates else None,
            ", ".join(_spec_text(c) for c in candidate) or None,
        )
    best = DobResult("unknown", None, q_dates[0][0].iso(), None)
    order_open = _order_ambiguous(candidate)
    for q, q_ambiguous in q_dates:
        for i, spec in enumerate(candidate):
            if i in order_open:
                res = _compare_order_ambiguous(q, spec, approximate_years)
            else:
                res = _compare_one(q, spec, approximate_years)
            if (_RANK[res.result], _PREC_RANK[res.precision]) > (
                _RANK[best.result],
                _PREC_RANK[best.precision],
            ):
                best = res
                if q_ambiguous or spec.ambiguous_century:
                    best = DobResult(res.result, res.precision, res.query, res.candidate, ambiguous_century=True)
    if best.result == "mismatch" and len(candidate) > 1:
        best = DobResult(
            "mismatch",
            best.precision,
            best.query,
            ", ".join(map(_spec_text, candidate)),
            ambiguous_century=best.ambiguous_century,
        )
    return best
