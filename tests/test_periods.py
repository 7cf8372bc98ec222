"""Reporting periods: construction, labels, parsing, splitting."""

from __future__ import annotations

import datetime as dt
import pickle

import numpy as np
import pytest

from casetime.errors import CasetimeError
from casetime.periods import (
    FinancialYear,
    Month,
    Period,
    PeriodError,
    Quarter,
    Rolling12,
    YearToDate,
    as_period,
    bucket_lookup,
    parse_period,
)

D = dt.date


def span(p: Period) -> tuple[str, str]:
    return (p.start.isoformat(), p.end.isoformat())


def test_financial_year() -> None:
    fy = FinancialYear(2008)
    assert span(fy) == ("2008-04-01", "2009-03-31")
    assert fy.label == "2008/09" and str(fy) == "2008/09"
    assert fy.days == 365
    assert FinancialYear(2011).days == 366  # includes 29 February 2012
    assert FinancialYear(1999).label == "1999/00"
    assert FinancialYear.containing("2009-03-31") == FinancialYear(2008)
    assert FinancialYear.containing(D(2009, 4, 1)) == FinancialYear(2009)


@pytest.mark.parametrize(
    ("quarter", "expected", "label"),
    [
        (1, ("2008-04-01", "2008-06-30"), "2008/09 Q1"),
        (2, ("2008-07-01", "2008-09-30"), "2008/09 Q2"),
        (3, ("2008-10-01", "2008-12-31"), "2008/09 Q3"),
        (4, ("2009-01-01", "2009-03-31"), "2008/09 Q4"),
    ],
)
def test_quarters(quarter: int, expected: tuple[str, str], label: str) -> None:
    q = Quarter(2008, quarter)
    assert span(q) == expected and q.label == label


def test_months() -> None:
    assert span(Month(2008, 2)) == ("2008-02-01", "2008-02-29")
    assert span(Month(2009, 2)) == ("2009-02-01", "2009-02-28")
    assert span(Month(2008, 12)) == ("2008-12-01", "2008-12-31")
    assert Month(2009, 1).label == "2009-01"


def test_year_to_date_and_rolling() -> None:
    assert span(YearToDate(Quarter(2008, 3))) == ("2008-04-01", "2008-12-31")
    assert span(YearToDate(Month(2009, 1))) == ("2008-04-01", "2009-01-31")
    assert span(YearToDate(Month(2008, 4))) == ("2008-04-01", "2008-04-30")
    assert span(YearToDate(Quarter(2008, 4))) == span(FinancialYear(2008))
    assert span(Rolling12(Month(2009, 3))) == ("2008-04-01", "2009-03-31")
    assert span(Rolling12(Month(2009, 12))) == ("2009-01-01", "2009-12-31")
    assert span(Rolling12(Month(2010, 1))) == ("2009-02-01", "2010-01-31")
    with pytest.raises(PeriodError, match="Month or a Quarter"):
        YearToDate(FinancialYear(2008))  # type: ignore[arg-type]
    with pytest.raises(PeriodError, match="ends with a Month"):
        Rolling12(Quarter(2008, 1))  # type: ignore[arg-type]


def test_explicit_period_and_membership() -> None:
    p = Period("2008-04-01", D(2008, 12, 31))
    assert p.label == "2008-04-01..2008-12-31"
    assert "2008-04-01" in p and D(2008, 12, 31) in p and "2009-01-01" not in p and None not in p
    assert Period("2009-01-05", "2009-01-05").days == 1
    with pytest.raises(PeriodError, match="before its start"):
        Period("2009-01-02", "2009-01-01")
    with pytest.raises(PeriodError, match="period start"):
        Period("05/01/09", "2009-01-06")
    with pytest.raises(PeriodError, match="missing"):
        Period(None, "2009-01-06")


def test_equality_is_by_dates() -> None:
    assert YearToDate(Month(2008, 12)) == YearToDate(Quarter(2008, 3)) == Period("2008-04-01", "2008-12-31")
    assert len({FinancialYear(2008), Period("2008-04-01", "2009-03-31"), YearToDate(Quarter(2008, 4))}) == 1
    assert FinancialYear(2008) != FinancialYear(2009)
    assert FinancialYear(2008) != "2008/09"


def test_periods_are_immutable_and_picklable() -> None:
    fy = FinancialYear(2008)
    with pytest.raises(AttributeError):
        fy.year = 2009  # type: ignore[misc]
    for p in (fy, Quarter(2008, 3), Month(2009, 1), YearToDate(Month(2009, 1)), Rolling12(Month(2009, 3)),
              Period("2008-01-01", "2008-02-01", "custom")):  # fmt: skip
        back = pickle.loads(pickle.dumps(p))
        assert back == p and back.label == p.label and type(back) is type(p)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (lambda: FinancialYear("2008"), "integer"),
        (lambda: FinancialYear(True), "integer"),
        (lambda: Quarter(2008, 5), "1, 2, 3 or 4"),
        (lambda: Month(2009, 13), "1 to 12"),
        (lambda: Month(2009, 0), "1 to 12"),
    ],
)
def test_bad_arguments(bad: object, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        bad()  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2008/09", FinancialYear(2008)),
        (" 2008/2009 ", FinancialYear(2008)),
        ("FY2008/09", FinancialYear(2008)),
        ("1999/00", FinancialYear(1999)),
        ("2008/09 Q3", Quarter(2008, 3)),
        ("2008/09 q4", Quarter(2008, 4)),
        ("Q1 2009/10", Quarter(2009, 1)),
        ("2009-01", Month(2009, 1)),
        ("Sep 2008", Month(2008, 9)),  # the unambiguous spelling of September 2008
        ("september 2008", Month(2008, 9)),
        ("Sept. 2008", Month(2008, 9)),
        ("2008-10", Month(2008, 10)),  # YYYY-MM that cannot be a financial year is a month
        ("ytd:2008-09", YearToDate(Month(2008, 9))),  # after ytd: only a month can stand
        ("2009-1", Month(2009, 1)),
        ("ytd:2008-12", YearToDate(Month(2008, 12))),
        ("YTD:2008/09 Q3", YearToDate(Quarter(2008, 3))),
        ("rolling:2009-03", Rolling12(Month(2009, 3))),
        ("2008-04-01..2008-12-31", Period("2008-04-01", "2008-12-31")),
        ("2008-04-01 .. 2008-12-31", Period("2008-04-01", "2008-12-31")),
    ],
)
def test_parse_period(text: str, expected: Period) -> None:
    got = parse_period(text)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize(
    "p",
    [FinancialYear(2008), Quarter(2008, 3), Month(2009, 1), YearToDate(Month(2009, 1)), YearToDate(Quarter(2008, 3)),
     Rolling12(Month(2009, 3)), Period("2008-04-01", "2008-12-31")],
)  # fmt: skip
def test_labels_read_back(p: Period) -> None:
    assert parse_period(p.label) == p and parse_period(p.label).label == p.label


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2008/10", "one year into the next"),
        ("2008/2010", "one year into the next"),
        ("2009-13", "not 1 to 12"),
        ("ytd:2008/09", "needs a month"),
        ("rolling:2008/09 Q1", "needs a month"),
        ("Janvier 2009", "cannot read period"),
        ("2008-04-31..2008-05-01", "not a date"),
        ("", "cannot read period"),
    ],
)
def test_parse_errors(text: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message) as info:
        parse_period(text)
    assert isinstance(info.value, CasetimeError) and isinstance(info.value, ValueError)


def test_as_period() -> None:
    assert as_period("2008/09") == FinancialYear(2008)
    fy = FinancialYear(2008)
    assert as_period(fy) is fy
    with pytest.raises(PeriodError):
        as_period(2008)  # type: ignore[arg-type]


def test_split() -> None:
    fy = FinancialYear(2008)
    months = fy.split("month")
    assert [m.label for m in months][:3] == ["2008-04", "2008-05", "2008-06"] and len(months) == 12
    assert all(isinstance(m, Month) for m in months)
    assert fy.split("quarter") == [Quarter(2008, q) for q in (1, 2, 3, 4)]
    assert fy.split("year") == [fy]
    assert fy.split(None) == [fy]
    # a ragged period: pieces are clipped, labelled by the whole month / quarter / year
    p = Period("2009-02-15", "2009-04-10")
    assert [(x.label, *span(x)) for x in p.split("month")] == [
        ("2009-02", "2009-02-15", "2009-02-28"),
        ("2009-03", "2009-03-01", "2009-03-31"),
        ("2009-04", "2009-04-01", "2009-04-10"),
    ]
    assert [(x.label, *span(x)) for x in p.split("quarter")] == [
        ("2008/09 Q4", "2009-02-15", "2009-03-31"),
        ("2009/10 Q1", "2009-04-01", "2009-04-10"),
    ]
    assert [x.label for x in p.split("year")] == ["2008/09", "2009/10"]
    assert [x.label for x in Rolling12(Month(2009, 9)).split("year")] == ["2008/09", "2009/10"]
    with pytest.raises(PeriodError, match="unknown time unit"):
        fy.split("week")


def test_bucket_lookup_matches_the_calendar() -> None:
    fy = FinancialYear(2008)
    lut, buckets = bucket_lookup(fy, "month")
    assert lut.dtype == np.int64 and lut.shape == (365,)
    days = np.arange(fy.first_day, fy.last_day + 1, dtype=np.int64)
    dates = days.view("M8[D]").tolist()
    for day, bucket in zip(dates, lut.tolist(), strict=True):
        assert day in buckets[bucket]
    quarters, qb = bucket_lookup(fy, "quarter")
    assert np.bincount(quarters.astype(np.intp)).tolist() == [91, 92, 92, 90]
    assert [b.label for b in qb] == ["2008/09 Q1", "2008/09 Q2", "2008/09 Q3", "2008/09 Q4"]


def test_period_before_1970() -> None:
    p = Period("1969-12-15", "1970-01-15")
    lut, buckets = bucket_lookup(p, "month")
    assert [b.label for b in buckets] == ["1969-12", "1970-01"]
    assert lut[16] == 0 and lut[17] == 1


@pytest.mark.parametrize(
    ("text", "year", "month"), [("2008-09", 2008, "Sep"), ("2009-10", 2009, "Oct"), ("2000-01", 2000, "Jan")]
)
def test_a_yyyy_mm_that_reads_as_a_financial_year_is_refused_with_both_spellings(
    text: str, year: int, month: str
) -> None:
    fy = f"{year}/{(year + 1) % 100:02d}"
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert str(caught.value).startswith(
        f"period {text!r} reads two ways: write {fy} for the financial year (1 April {year} to 31 March {year + 1}) "
        f"or '{month} {year}' for the month of "
    )
    assert parse_period(fy) == FinancialYear(year) and parse_period(f"{month} {year}") == Month(year, int(text[5:]))


@pytest.mark.parametrize(
    ("period", "words"),
    [
        (FinancialYear(2008), "financial year 2008/09: 1 April 2008 to 31 March 2009"),
        (Quarter(2008, 3), "quarter 2008/09 Q3: 1 October 2008 to 31 December 2008"),
        (Month(2009, 2), "month February 2009: 1 to 28 February 2009"),
        (Month(2008, 2), "month February 2008: 1 to 29 February 2008"),
        (YearToDate(Month(2008, 12)), "year to date ytd:2008-12: 1 April 2008 to 31 December 2008"),
        (Rolling12(Month(2009, 3)), "rolling 12 months rolling:2009-03: 1 April 2008 to 31 March 2009"),
        (Period("2009-01-15", "2009-03-10"), "15 January 2009 to 10 March 2009"),
    ],
)
def test_every_period_says_itself_in_words(period: Period, words: str) -> None:
    assert period.in_words == words
