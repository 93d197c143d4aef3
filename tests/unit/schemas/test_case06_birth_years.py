"""Field case 06 as a family: two-digit birth years take the century that puts them on
or before the reference date (flight departure, watchlist load date); a reading over 100
years old is kept beside the recent one unless an infant marker or a four-digit year
decides; a future birth date is a data error; the matcher accepts either reading and
flags the comparison. Reference date in every table: departure 2026-11-29."""

from __future__ import annotations

from datetime import date

import pytest

from matchers import DateSpec, MatchConfig, Person, PersonName, Screener
from schemas.edifact import MAX_AGE_YEARS, birth_date_candidates, parse_dtm
from schemas.paxlst import decode_paxlst
from schemas.pnrgov import decode_pnrgov
from schemas.records import EntryDate, EntryName, Traveller, WatchlistEntry
from schemas.screening import entry_to_person, traveller_to_person
from schemas.watchlists.common import parse_dob

REF = date(2026, 11, 29)


# --- the one helper: every plausible century, latest first --------------------------


@pytest.mark.parametrize(
    ("yymmdd", "expected"),
    [
        ("380517", [date(1938, 5, 17)]),  # naive %y: 2038
        ("640712", [date(1964, 7, 12)]),  # naive %y: 2064
        ("680716", [date(1968, 7, 16)]),  # naive %y: 2068
        ("261130", [date(1926, 11, 30)]),  # one day after departure: 1926, not 2026
        ("261129", [date(2026, 11, 29), date(1926, 11, 29)]),  # born on the day, or 100 today
        ("250901", [date(2025, 9, 1), date(1925, 9, 1)]),  # infant or a person over 100
        ("061201", [date(2006, 12, 1), date(1906, 12, 1)]),  # 1906: 119 years old, still plausible
        ("050101", [date(2005, 1, 1)]),  # 1905 would be 121
        ("000229", [date(2000, 2, 29)]),  # 1900 was no leap year
        ("010229", []),  # 29 February exists in neither 2001 nor 1901
    ],
)
def test_birth_date_candidates(yymmdd: str, expected: list[date]) -> None:
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    assert list(birth_date_candidates(yy, mm, dd, reference=REF)) == expected
    assert MAX_AGE_YEARS == 120


def test_birth_date_candidates_never_in_the_future_and_first_is_the_dtm_reading() -> None:
    for yy in range(100):
        for mm, dd in ((1, 1), (6, 15), (11, 29), (11, 30), (12, 31)):
            readings = birth_date_candidates(yy, mm, dd, reference=REF)
            assert readings, (yy, mm, dd)
            assert all(r <= REF for r in readings)
            assert list(readings) == sorted(readings, reverse=True)
            dtm, _ = parse_dtm(f"{yy:02d}{mm:02d}{dd:02d}", "101", reference=REF, kind="birth")
            assert readings[0] == dtm


def test_birth_date_candidates_rejects_impossible_dates() -> None:
    with pytest.raises(ValueError):
        birth_date_candidates(80, 13, 1, reference=REF)
    with pytest.raises(ValueError):
        birth_date_candidates(80, 4, 31, reference=REF)
    with pytest.raises(ValueError):
        birth_date_candidates(100, 1, 1, reference=REF)


# --- PAXLST DTM+329 / DTM+36 ---------------------------------------------------------


def paxlst(group: str) -> bytes:
    body = (
        "UNA:+.? 'UNB+UNOA:4+ZZAIR+ZZBORDER+261129:0800+R0006'UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'"
        "TDT+20+ZZ0106+++ZZ'LOC+125+AAA'DTM+189:2611291015:201'LOC+87+BBB'DTM+232:2611291240:201'" + group
    )
    n = body[body.index("UNH") :].count("'") + 1
    return (body + f"UNT+{n}+M1'UNZ+1+R0006'").encode("ascii")


@pytest.mark.parametrize(
    ("segments", "dob", "alternatives", "role", "codes"),
    [
        ("ATT+2++F'DTM+329:380517'", "1938-05-17", [], "passenger", []),
        ("ATT+2++F'DTM+329:261130'", "1926-11-30", [], "passenger", []),
        ("ATT+2++M'DTM+329:640712'", "1964-07-12", [], "passenger", []),
        ("ATT+2++F'DTM+329:250901'", "2025-09-01", ["1925-09-01"], "passenger", ["dob_ambiguous_century"]),
        ("ATT+2++FI'DTM+329:250901'", "2025-09-01", [], "infant", []),  # infant marker decides
        ("ATT+2++MI'DTM+329:250901:101'", "2025-09-01", [], "infant", []),
        ("ATT+2++F'DTM+329:19250901:102'", "1925-09-01", [], "passenger", []),  # four digits decide
        ("ATT+2++F'DTM+329:20250901:102'", "2025-09-01", [], "passenger", []),
    ],
)
def test_paxlst_birth_dates(segments: str, dob: str, alternatives: list[str], role: str, codes: list[str]) -> None:
    (t,) = decode_paxlst(paxlst("NAD+FL+++OKAFOR:ADA'" + segments + "CNT+42:1'")).travellers
    assert (t.date_of_birth, t.date_of_birth_alternatives, t.role) == (dob, alternatives, role)
    assert [w.code for w in t.warnings] == codes


def test_paxlst_infant_counts_as_a_passenger() -> None:
    r = decode_paxlst(paxlst("NAD+FL+++OKAFOR:ADA'ATT+2++FI'DTM+329:250505'CNT+42:1'"))
    (t,) = r.travellers
    assert (t.gender, t.role) == ("F", "infant")
    assert r.warnings == []


def test_paxlst_future_four_digit_birth_date_is_unknown_raw_value_kept() -> None:
    r = decode_paxlst(paxlst("NAD+FL+++OKAFOR:ADA'DTM+329:20261130:102'"))
    (t,) = r.travellers
    assert (t.date_of_birth, t.date_of_birth_alternatives) == (None, [])
    (w,) = t.warnings
    assert w.code == "dob_in_future" and "'20261130'" in w.message
    assert traveller_to_person(t).dates_of_birth == ()


@pytest.mark.parametrize(("raw", "expiry"), [("300615", "2030-06-15"), ("120101", "2012-01-01")])
def test_paxlst_expiry_window(raw: str, expiry: str) -> None:
    group = f"NAD+FL+++OKAFOR:ADA'DTM+329:380517'DOC+P+ZB7731902'DTM+36:{raw}'"
    (t,) = decode_paxlst(paxlst(group)).travellers
    assert t.documents[0].expiry_date == expiry


# --- PNRGOV SSR DOCS / SSR INFT ------------------------------------------------------


def pnr(*lines: str) -> bytes:
    body = [
        "UNB+IATA:1+ZZ+ZZBORDER+261129:1200+R0006'",
        "UNH+1+PNRGOV:13:1:IA+ZZ0006'",
        "MSG+:22'",
        "ORG+ZZ'",
        "TVL+291126:1015+AAA+BBB+ZZ+0421'",
        "EQN+1'",
        "SRC'",
        "RCI+ZZ:QX7P2L'",
        *lines,
    ]
    body += [f"UNT+{len(body)}+1'", "UNZ+1+R0006'"]
    return ("UNA:+.? '" + "".join(body)).encode("ascii")


def docs(dob: str, gender: str = "F", expiry: str = "14JUN31") -> str:
    return f"SSR+DOCS:HK::ZZ:::::/P/GBR/ZB7731902/GBR/{dob}/{gender}/{expiry}/OKAFOR/ADA+::1'"


@pytest.mark.parametrize(
    ("lines", "dob", "alternatives", "codes"),
    [
        (("TIF+OKAFOR+ADA:A:1'", docs("12JUL64")), "1964-07-12", [], []),
        (("TIF+OKAFOR+ADA:A:1'", docs("17MAY38")), "1938-05-17", [], []),
        (("TIF+OKAFOR+ADA:A:1'", docs("01SEP25")), "2025-09-01", ["1925-09-01"], ["dob_ambiguous_century"]),
        (("TIF+OKAFOR+ADA:A:1'", docs("01SEP25", "FI")), "2025-09-01", [], []),  # DOCS infant gender
        (("TIF+OKAFOR+ADA:IN:1'", docs("01SEP25")), "2025-09-01", [], []),  # TIF passenger type IN
        # a four-digit year on another line decides the century, whichever line comes first
        (("TIF+OKAFOR+ADA:A:1'", docs("01SEP25"), docs("01SEP1925")), "1925-09-01", [], []),
        (("TIF+OKAFOR+ADA:A:1'", docs("01SEP1925"), docs("01SEP25")), "1925-09-01", [], []),
        (
            ("TIF+OKAFOR+ADA:A:1'", docs("01SEP25"), docs("02SEP1925")),
            "2025-09-01",
            ["1925-09-01"],
            ["conflicting_date_of_birth", "dob_ambiguous_century"],
        ),
    ],
)
def test_pnr_docs_birth_dates(lines: tuple[str, ...], dob: str, alternatives: list[str], codes: list[str]) -> None:
    (t,) = decode_pnrgov(pnr(*lines)).travellers
    assert (t.date_of_birth, t.date_of_birth_alternatives) == (dob, alternatives)
    assert [w.code for w in t.warnings] == codes
    assert t.documents[0].expiry_date == "2031-06-14"  # expiry: [ref - 15 y, ref + 20 y]


def test_pnr_future_four_digit_birth_date_is_unknown_raw_value_kept() -> None:
    (t,) = decode_pnrgov(pnr("TIF+OKAFOR+ADA:A:1'", docs("30NOV2026"))).travellers
    assert t.date_of_birth is None
    (w,) = t.warnings
    assert w.code == "dob_in_future" and "'30NOV2026'" in w.message


def test_pnr_inft_birth_date_takes_the_recent_century() -> None:
    lines = ("TIF+OKAFOR+EMEKAMR:A:1'", "SSR+INFT:HK:1:ZZ:::::OKAFOR/ADA 05MAY25+::1'")
    travellers = decode_pnrgov(pnr(*lines)).travellers
    infant = next(t for t in travellers if t.role == "infant")
    assert (infant.date_of_birth, infant.date_of_birth_alternatives) == ("2025-05-05", [])


# --- watchlist import: the load date is the reference ----------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("16-07-68", [EntryDate(date="1968-07-16")]),
        ("17.05.38", [EntryDate(date="1938-05-17")]),
        ("30/11/26", [EntryDate(date="1926-11-30")]),
        (
            "01-09-25",
            [
                EntryDate(date="2025-09-01", ambiguous_century=True),
                EntryDate(date="1925-09-01", ambiguous_century=True),
            ],
        ),
        ("00.03.71", [EntryDate(date="1971-03")]),  # zero day = unknown, still the right century
        ("approximately 16-07-68", [EntryDate(date="1968-07-16", approximate=True)]),
    ],
)
def test_watchlist_two_digit_years(raw: str, expected: list[EntryDate]) -> None:
    assert parse_dob(raw, day_first=True, today=REF) == expected


def test_watchlist_future_four_digit_birth_date_rejected() -> None:
    with pytest.raises(ValueError, match="future"):
        parse_dob("2031-05-01", today=REF)


# --- the matcher accepts either reading and flags it ----------------------------------


def listed(entry_id: str, dob: str) -> WatchlistEntry:
    return WatchlistEntry(
        list_id="wl",
        entry_id=entry_id,
        names=[EntryName(full_name="ADA OKAFOR", surname="OKAFOR", given_names="ADA")],
        dates_of_birth=[EntryDate(date=dob)],
    )


def dob_of(traveller: Traveller, entry: WatchlistEntry) -> dict[str, object]:
    screener = Screener([entry_to_person(entry)], MatchConfig())
    (hit,) = screener.screen([traveller_to_person(traveller)], threshold=0.0)[0]
    return dict(hit.explanation["dob"])


AMBIGUOUS = Traveller(
    traveller_id="t1",
    surname="OKAFOR",
    given_names="ADA",
    date_of_birth="2025-09-01",
    date_of_birth_alternatives=["1925-09-01"],
)


@pytest.mark.parametrize(("listed_dob", "matched"), [("1925-09-01", "1925-09-01"), ("2025-09-01", "2025-09-01")])
def test_either_reading_matches_flagged(listed_dob: str, matched: str) -> None:
    got = dob_of(AMBIGUOUS, listed("E1", listed_dob))
    assert got == {
        "result": "match",
        "detail": "day",
        "query": matched,
        "candidate": listed_dob,
        "flags": ["ambiguous_century"],
    }


def test_ambiguous_dob_still_mismatches_a_third_date() -> None:
    got = dob_of(AMBIGUOUS, listed("E1", "1960-01-01"))
    assert (got["result"], got["flags"]) == ("mismatch", ["ambiguous_century"])


def test_certain_dob_has_no_flag_and_wrong_century_is_a_mismatch() -> None:
    certain = AMBIGUOUS.model_copy(update={"date_of_birth_alternatives": []})
    got = dob_of(certain, listed("E1", "1925-09-01"))
    assert got["result"] == "mismatch" and "flags" not in got


def test_ambiguous_listed_dob_accepts_either_traveller_reading() -> None:
    entry = listed("E1", "2024-07-16").model_copy(
        update={
            "dates_of_birth": [
                EntryDate(date=d.date, ambiguous_century=True) for d in parse_dob("16-07-24", day_first=True, today=REF)
            ]
        }
    )
    old = Traveller(traveller_id="t2", surname="OKAFOR", given_names="ADA", date_of_birth="1924-07-16")
    got = dob_of(old, entry)
    assert (got["result"], got["candidate"], got["flags"]) == ("match", "1924-07-16", ["ambiguous_century"])


def test_ambiguous_readings_reach_the_matcher_as_flagged_specs() -> None:
    person = traveller_to_person(AMBIGUOUS)
    assert person.dates_of_birth == (
        DateSpec(date="2025-09-01", ambiguous_century=True),
        DateSpec(date="1925-09-01", ambiguous_century=True),
    )
    screener = Screener(
        [Person(key="wl:E1", names=(PersonName(surname="OKAFOR", given_names="ADA"),), list_id="wl", entry_id="E1")],
        MatchConfig(),
    )
    (hit,) = screener.screen([person], threshold=0.0)[0]
    assert hit.explanation["dob"]["result"] == "unknown" and "flags" not in hit.explanation["dob"]


def test_end_to_end_old_passenger_from_paxlst_hits_the_1938_entry() -> None:
    (t,) = decode_paxlst(paxlst("NAD+FL+++OKAFOR:ADA'ATT+2++F'DTM+329:380517'")).travellers
    got = dob_of(t, listed("E1", "1938-05-17"))
    assert (got["result"], got["detail"]) == ("match", "day")


def test_watchlist_two_digit_year_without_future_check_reads_the_century_against_today() -> None:
    # callers pass date.max only to switch the future check off (OFAC range ends, expiry)
    assert parse_dob("16-07-68", day_first=True, today=date.max) == [EntryDate(date="1968-07-16")]
