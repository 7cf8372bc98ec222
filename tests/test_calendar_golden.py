"""Golden tests of the England and Wales working-day calendar against published facts.

The oracle is ``tests/data/ew_bank_holidays_2008_2026.csv``: the England and Wales
bank holidays as published on GOV.UK "UK bank holidays" (https://www.gov.uk/bank-holidays,
division ``england-and-wales``; the same list is served as ``bank-holidays.json``) and
in the Royal Proclamations for the one-off days (2011 royal wedding, 2012 Diamond
Jubilee, 2020 VE Day, 2022 Platinum Jubilee and State Funeral, 2023 coronation). It was
typed by hand from the published list, not generated from the ``holidays`` package or
from casetime, and is cross-checked against ``holidays`` below.

The worked examples come from ``/work/shared/domain.md`` sections 2 and 3 and were
re-derived by hand (the inclusive ones too; see the comments).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import holidays
import numpy as np
import pytest

import casetime

DATA = Path(__file__).parent / "data"
PUBLISHED_CSV = DATA / "ew_bank_holidays_2008_2026.csv"
FIRST = dt.date(2008, 1, 1)
LAST = dt.date(2026, 12, 31)


def _published() -> dict[dt.date, str]:
    with PUBLISHED_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    return {dt.date.fromisoformat(row["date"]): row["title"] for row in rows}


PUBLISHED = _published()
ALL_DAYS = [FIRST + dt.timedelta(days=k) for k in range((LAST - FIRST).days + 1)]


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _expected_working(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in PUBLISHED


# ---------------------------------------------------------------------------
# the published list itself
# ---------------------------------------------------------------------------


def test_published_csv_has_a_source_header() -> None:
    first_line = PUBLISHED_CSV.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("#")
    assert "GOV.UK" in first_line
    assert "Proclamation" in first_line


def test_published_csv_is_well_formed() -> None:
    dates = list(PUBLISHED)
    assert dates == sorted(dates)
    assert all(day.weekday() < 5 for day in dates), "GOV.UK lists the observed weekday"
    assert min(dates).year == 2008
    assert max(dates).year == 2026
    per_year = {year: sum(day.year == year for day in dates) for year in range(2008, 2027)}
    special = {2011: 9, 2012: 9, 2022: 10, 2023: 9}
    assert per_year == {year: special.get(year, 8) for year in range(2008, 2027)}


def test_published_csv_agrees_with_holidays_package_on_weekdays() -> None:
    """Two independent sources: a difference means one of them is wrong."""
    table = holidays.country_holidays("GB", subdiv="ENG", years=range(2008, 2027))
    from_package = {day for day in table if day.weekday() < 5}
    assert sorted(from_package ^ set(PUBLISHED)) == []


# ---------------------------------------------------------------------------
# every day 2008-2026
# ---------------------------------------------------------------------------


def test_every_day_2008_2026_array_call() -> None:
    days = np.arange(np.datetime64(FIRST), np.datetime64(LAST) + 1, dtype="datetime64[D]")
    assert days.size == len(ALL_DAYS) == 6940
    got = casetime.england().is_working_day(days)
    assert isinstance(got, np.ma.MaskedArray)
    assert not np.ma.getmaskarray(got).any()
    expected = np.array([_expected_working(day) for day in ALL_DAYS])
    mismatched = [ALL_DAYS[i].isoformat() for i in np.flatnonzero(np.asarray(got.filled(False)) != expected)]
    assert mismatched == []


def test_every_day_2008_2026_scalar_calls() -> None:
    cal = casetime.england()
    mismatched = [day for day in ALL_DAYS if cal.is_working_day(day) is not _expected_working(day)]
    assert mismatched == []


@pytest.mark.parametrize("day", sorted(PUBLISHED)[::3], ids=str)
def test_sample_of_published_days_are_closed_scalar(day: dt.date) -> None:
    assert casetime.england().is_working_day(day) is False
    assert casetime.is_working_day(day.isoformat()) is False
    # the day before a Monday/Tuesday holiday (Friday or Monday) is a normal working day
    # unless it is itself on the list
    before = day - dt.timedelta(days=1 if day.weekday() > 0 else 3)
    assert casetime.england().is_working_day(before) is (before not in PUBLISHED)


def test_working_day_totals_per_year() -> None:
    cal = casetime.england()
    for year in range(2008, 2027):
        weekdays = sum(1 for day in ALL_DAYS if day.year == year and day.weekday() < 5)
        closed = sum(1 for day in PUBLISHED if day.year == year)
        count = cal.working_days_between(dt.date(year - 1, 12, 31), dt.date(year, 12, 31))
        assert count == weekdays - closed, year


# ---------------------------------------------------------------------------
# the one-offs of domain.md section 2
# ---------------------------------------------------------------------------

CLOSED_ONE_OFFS = [
    "1995-05-08",  # VE Day 50: early May moved here
    "1999-12-31",  # millennium
    "2002-06-03",  # spring moved (Golden Jubilee)
    "2002-06-04",  # Golden Jubilee
    "2011-04-29",  # royal wedding
    "2012-06-04",  # spring moved (Diamond Jubilee)
    "2012-06-05",  # Diamond Jubilee
    "2020-05-08",  # VE Day 75: early May moved here
    "2022-06-02",  # spring moved (Platinum Jubilee)
    "2022-06-03",  # Platinum Jubilee
    "2022-09-19",  # state funeral
    "2023-05-08",  # coronation
]

OPENED_BY_ONE_OFFS = [
    "1995-05-01",  # the first Monday in May 1995, moved to 8 May
    "2002-05-27",  # last Monday in May 2002, spring moved to 3 Jun
    "2012-05-28",  # last Monday in May 2012, spring moved to 4 Jun
    "2020-05-04",  # the first Monday in May 2020, moved to 8 May
    "2022-05-30",  # last Monday in May 2022, spring moved to 2 Jun
]


@pytest.mark.parametrize("day", CLOSED_ONE_OFFS)
def test_one_off_bank_holidays_are_closed(day: str) -> None:
    assert casetime.england().is_working_day(day) is False
    assert day in {h.date.isoformat() for h in casetime.england().bank_holidays(day, day)}


@pytest.mark.parametrize("day", OPENED_BY_ONE_OFFS)
def test_days_that_became_working_days(day: str) -> None:
    assert d(day).weekday() == 0
    assert casetime.england().is_working_day(day) is True
    assert casetime.england().bank_holidays(day, day) == []


def test_one_off_years_array_call() -> None:
    days = np.array(CLOSED_ONE_OFFS + OPENED_BY_ONE_OFFS, dtype="datetime64[D]")
    got = casetime.england().is_working_day(days).tolist()
    assert got == [False] * len(CLOSED_ONE_OFFS) + [True] * len(OPENED_BY_ONE_OFFS)


# ---------------------------------------------------------------------------
# the worked table of domain.md section 3
# ---------------------------------------------------------------------------

# (start, N, due date under "day0", due date under "inclusive")
# Inclusive: the start day, when a working day, is day 1, so the due date is the working
# day before the day-0 due date. Each inclusive date below was worked out by hand.
WORKED = [
    ("2009-01-05", 7, "2009-01-14", "2009-01-13"),  # Mon; plain week
    ("2008-12-19", 7, "2009-01-02", "2008-12-31"),  # Fri; 1 Jan is closed, so the day before 2 Jan is 31 Dec
    # Sat 20 Dec 2008 is not a working day, so under "inclusive" it is not day 1 either:
    # day 1 is Mon 22, then Tue 23, Wed 24, (25, 26 Dec closed) Mon 29, Tue 30, Wed 31,
    # (1 Jan closed) Fri 2 Jan = day 7. Same as day 0.
    ("2008-12-20", 7, "2009-01-02", "2009-01-02"),
    ("2008-12-24", 35, "2009-02-16", "2009-02-13"),  # Wed; day-0 due is Mon 16 Feb, one earlier is Fri 13 Feb
    ("2009-12-24", 7, "2010-01-07", "2010-01-06"),  # Thu; 25 Dec, 28 Dec (substitute), 1 Jan closed
    ("2009-03-27", 7, "2009-04-07", "2009-04-06"),  # Fri; Good Friday 10 Apr falls after
    ("2020-05-01", 7, "2020-05-13", "2020-05-12"),  # Fri; 8 May closed, 4 May open
    ("2022-05-27", 10, "2022-06-14", "2022-06-13"),  # Fri; 30 May open, 2-3 Jun closed
    ("2022-09-12", 7, "2022-09-22", "2022-09-21"),  # Mon; 19 Sep closed
    ("2023-05-05", 1, "2023-05-09", "2023-05-05"),  # Fri; inclusive: the start itself is day 1
]


@pytest.mark.parametrize(("start", "n", "due", "due_inclusive"), WORKED)
def test_worked_table_day0(start: str, n: int, due: str, due_inclusive: str) -> None:
    assert casetime.add_working_days(start, n) == d(due)
    assert casetime.add_working_days(d(start), n, convention="day0") == d(due)
    assert casetime.working_days_between(start, due) == n
    assert casetime.working_days_between(due, start) == -n
    # the due date is the *last* day within N: the next working day is N + 1
    after = casetime.next_working_day(due)
    assert casetime.working_days_between(start, after) == n + 1


@pytest.mark.parametrize(("start", "n", "due", "due_inclusive"), WORKED)
def test_worked_table_inclusive(start: str, n: int, due: str, due_inclusive: str) -> None:
    assert casetime.add_working_days(start, n, convention="inclusive") == d(due_inclusive)
    assert casetime.working_days_between(start, due_inclusive, convention="inclusive") == n
    after = casetime.next_working_day(due_inclusive)
    assert casetime.working_days_between(start, after, convention="inclusive") == n + 1


def test_worked_table_array_call() -> None:
    starts = np.array([row[0] for row in WORKED], dtype="datetime64[D]")
    ns = np.array([row[1] for row in WORKED])
    dues = np.array([row[2] for row in WORKED], dtype="datetime64[D]")
    dues_incl = np.array([row[3] for row in WORKED], dtype="datetime64[D]")
    np.testing.assert_array_equal(casetime.add_working_days(starts, ns), dues)
    np.testing.assert_array_equal(casetime.add_working_days(starts, ns, convention="inclusive"), dues_incl)
    np.testing.assert_array_equal(casetime.working_days_between(starts, dues), ns.astype(float))
    np.testing.assert_array_equal(
        casetime.working_days_between(starts, dues_incl, convention="inclusive"), ns.astype(float)
    )


@pytest.mark.parametrize(
    ("start", "end", "day0", "inclusive"),
    [
        ("2009-01-05", "2009-01-05", 0, 1),  # same working day: 0 elapsed; inclusive counts it as day 1
        ("2009-01-03", "2009-01-05", 1, 1),  # Sat -> Mon: the weekend start adds nothing
        ("2009-01-02", "2009-01-03", 0, 1),  # Fri -> Sat: only the Friday start, counted by inclusive
        ("2009-01-14", "2009-01-05", -7, -8),  # reversed: Jan 5..14 holds 8 working days
    ],
)
def test_elapsed_examples(start: str, end: str, day0: int, inclusive: int) -> None:
    assert casetime.working_days_between(start, end) == day0
    assert casetime.working_days_between(start, end, convention="inclusive") == inclusive


# ---------------------------------------------------------------------------
# financial year 2008/09 and the listing
# ---------------------------------------------------------------------------


def test_financial_year_2008_09_has_six_bank_holidays() -> None:
    listed = casetime.england().bank_holidays("2008-04-01", "2009-03-31")
    assert [h.date for h in listed] == [
        d("2008-05-05"),
        d("2008-05-26"),
        d("2008-08-25"),
        d("2008-12-25"),
        d("2008-12-26"),
        d("2009-01-01"),
    ]
    weekdays = sum(1 for day in ALL_DAYS if d("2008-04-01") <= day <= d("2009-03-31") and day.weekday() < 5)
    assert weekdays == 261
    assert casetime.working_days_between("2008-03-31", "2009-03-31") == 261 - 6


def test_bank_holidays_2009_with_names() -> None:
    listed = casetime.england().bank_holidays("2009-01-01", "2009-12-31")
    assert [(h.date.isoformat(), h.name, h.layer) for h in listed] == [
        ("2009-01-01", "New Year's Day", "bank holiday"),
        ("2009-04-10", "Good Friday", "bank holiday"),
        ("2009-04-13", "Easter Monday", "bank holiday"),
        ("2009-05-04", "May Day", "bank holiday"),
        ("2009-05-25", "Spring Bank Holiday", "bank holiday"),
        ("2009-08-31", "Late Summer Bank Holiday", "bank holiday"),
        ("2009-12-25", "Christmas Day", "bank holiday"),
        ("2009-12-28", "Boxing Day (observed)", "bank holiday"),
    ]
    assert [h.date for h in listed] == [day for day in PUBLISHED if day.year == 2009]


def test_bank_holidays_2022_with_names() -> None:
    listed = casetime.england().bank_holidays(d("2022-01-01"), d("2022-12-31"))
    assert [(h.date.isoformat(), h.name) for h in listed] == [
        ("2022-01-03", "New Year's Day (observed)"),
        ("2022-04-15", "Good Friday"),
        ("2022-04-18", "Easter Monday"),
        ("2022-05-02", "May Day"),
        ("2022-06-02", "Spring Bank Holiday"),
        ("2022-06-03", "Platinum Jubilee of Elizabeth II"),
        ("2022-08-29", "Late Summer Bank Holiday"),
        ("2022-09-19", "State Funeral of Queen Elizabeth II"),
        ("2022-12-26", "Boxing Day"),
        ("2022-12-27", "Christmas Day (observed)"),
    ]
    assert [h.date for h in listed] == [day for day in PUBLISHED if day.year == 2022]


def test_bank_holidays_listing_matches_published_list_2008_2026() -> None:
    listed = casetime.england().bank_holidays(FIRST, LAST)
    assert [h.date for h in listed] == list(PUBLISHED)
    assert all(isinstance(h, casetime.Holiday) for h in listed)
