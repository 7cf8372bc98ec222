"""The default period is the financial year holding most clock-stop dates, stated; a typo date is an outlier
warning, not a new report year; a period spelling that reads two ways is refused (issue 14, items 3 and 4)."""

from __future__ import annotations

import collections
import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casetime import load
from casetime.cli import EXIT_DATA_ERRORS, EXIT_OK, EXIT_USAGE, main
from casetime.dates import MISSING
from casetime.periods import FinancialYear, busiest_financial_year

HEADER = "child_id,referral_date,completion_date\n"
# ten assessments completed in 2008/09, each 5 working days after its referral (2-6 June to 9-13 June
# 2008), and one with a typo
ROWS = [f"C{i},2008-06-{i % 5 + 2:02d},2008-06-{i % 5 + 9:02d}\n" for i in range(10)]


def _extract(tmp_path: Path, typo: str) -> Path:
    path = tmp_path / "initial_assessment.csv"
    path.write_text(HEADER + "".join(ROWS) + f"T1,2008-06-02,{typo}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("typo", ["2035-06-01", "12/05/2018"])
def test_one_typo_date_does_not_retarget_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], typo: str
) -> None:
    path = _extract(tmp_path, typo)
    assert main(["report", str(path), "--indicators", "NI59", "--by", "year"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Safeguarding timeliness: 2008/09 ")
    assert lines[1] == (
        "period: financial year 2008/09: 1 April 2008 to 31 March 2009 (chosen because 91% of the 11 clock-stop "
        "dates fall in it; give --period to choose another)"
    )
    assert lines[3].startswith("NI59 ") and " 10 / 10 " in lines[3]  # the typo is not in 2008/09
    assert "  11 records = 10 counted + 1 stopped outside the period" in lines
    # validate lists it, as a warning (exit 0: no errors)
    assert main(["validate", str(path)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "issues by rule: outlier_date: 1" in out
    assert "row 12 (initial_assessment): completion_date=" in out  # (no child id: personal data)
    assert "is after 2010-03-31: more than a year past 2008/09, the financial year of most clock-stop dates" in out


def test_the_extract_offers_the_same_choice() -> None:
    ex = load({"child_id": ["A", "B", "C"], "referral_date": ["2008-05-01"] * 3,
               "completion_date": ["2008-05-06", "2009-05-09", "2009-06-01"]}, record_type="ia")  # fmt: skip
    choice = ex.default_period()
    assert choice is not None
    assert (choice.period, choice.count, choice.total, choice.dates) == (FinancialYear(2009), 2, 3, "clock-stop")
    assert choice.note == "chosen because 67% of the 3 clock-stop dates fall in it"
    # with nothing stopped, the clock starts decide
    open_only = load({"child_id": ["A"], "referral_date": ["2010-01-05"]}, record_type="ia").default_period()
    assert open_only is not None and (open_only.period, open_only.dates) == (FinancialYear(2009), "clock-start")


def test_a_date_after_today_is_an_outlier_without_as_at() -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    frame = {"child_id": ["A", "B"], "referral_date": [tomorrow.isoformat()] * 2}
    assert load(frame, record_type="referral").quality.counts_by_rule() == {"outlier_date": 2}
    # with an as-at date, a later date is an error of its own (after_as_at), not an outlier
    later = load(frame, record_type="referral", as_at=tomorrow + dt.timedelta(days=1)).quality.counts_by_rule()
    assert later == {}


def test_a_period_that_reads_two_ways_is_refused_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--period", "2008-09"]) == EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "casetime: error: period '2008-09' reads two ways: write 2008/09 for the financial year (1 April 2008 to "
        "31 March 2009) or 'Sep 2008' for the month of September 2008\n"
    )
    assert main(["report", "--period", "Sep 2008", "--indicators", "NI59"]) == EXIT_OK
    assert capsys.readouterr().out.splitlines()[1] == "period: month September 2008: 1 to 30 September 2008"


def _reference(days: list[int | None]) -> tuple[FinancialYear, int, int] | None:
    """One date at a time: the financial year of each, counted, the most (ties: the later year)."""
    counts = collections.Counter(
        FinancialYear.containing(dt.date(1970, 1, 1) + dt.timedelta(days=d)).year for d in days if d is not None
    )
    if not counts:
        return None
    year = max(counts, key=lambda y: (counts[y], y))
    return FinancialYear(year), counts[year], sum(counts.values())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.integers(-3000, 30000)), max_size=30), max_size=4))
def test_the_busiest_year_equals_a_date_by_date_count(parts: list[list[int | None]]) -> None:
    arrays = [np.array([MISSING if d is None else d for d in part], dtype=np.int64) for part in parts]
    assert busiest_financial_year(arrays) == _reference([d for part in parts for d in part])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.integers(-700_000, 2_900_000)), max_size=30), max_size=4))
def test_the_busiest_year_of_dates_centuries_apart_equals_a_date_by_date_count(parts: list[list[int | None]]) -> None:
    arrays = [np.array([MISSING if d is None else d for d in part], dtype=np.int64) for part in parts]
    assert busiest_financial_year(arrays) == _reference([d for part in parts for d in part])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.one_of(st.none(), st.integers(-3000, 30000)), max_size=30), max_size=4),
    st.integers(-4000, 31000),
    st.integers(0, 20000),
)
def test_the_busiest_year_within_bounds_counts_only_the_days_inside(
    parts: list[list[int | None]], lo: int, span: int
) -> None:
    arrays = [np.array([MISSING if d is None else d for d in part], dtype=np.int64) for part in parts]
    inside = [d for part in parts for d in part if d is not None and lo <= d <= lo + span]
    assert busiest_financial_year(arrays, within=(lo, lo + span)) == _reference(inside)


def test_dates_ages_apart_are_counted_without_a_place_for_every_year_between() -> None:
    days = np.array([0, 0, -(2**62), MISSING], dtype=np.int64)  # (an unchecked day number far out of range)
    assert busiest_financial_year([days]) == (FinancialYear(1969), 2, 3)


def test_a_year_9999_date_is_left_to_validation_not_taken_as_the_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "initial_assessment.csv"
    path.write_text(HEADER + "A,2009-01-05,9999-01-01\nB,2009-01-05,2009-01-07\n", encoding="utf-8")
    assert main(["report", str(path), "--indicators", "NI59", "--by", "year"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == (
        "period: financial year 2008/09: 1 April 2008 to 31 March 2009 (chosen because the one clock-stop date "
        "falls in it; give --period to choose another)"
    )
    assert main(["validate", str(path)]) == EXIT_DATA_ERRORS
    out = capsys.readouterr().out
    assert f"{path} row 2 (initial_assessment): completion_date='9999-01-01': rule out_of_coverage" in out


def test_the_busiest_year_within_bounds_leaves_out_day_numbers_far_outside_them() -> None:
    # (counted by their offsets from the first day: far below it, they wrap round past the span)
    days = np.array([14000, 14000, 20000, -(2**62), 2**62, MISSING, MISSING + 1], dtype=np.int64)
    # 14000 is 2008-05-01 (twice), 20000 2024-10-04
    assert busiest_financial_year([days], within=(7305, 25567)) == (FinancialYear(2008), 2, 3)
    assert busiest_financial_year([days], within=(20001, 25567)) is None
    # (a span too wide to count day by day: the days inside are taken out first; -(2**62) and MISSING + 1 are in)
    assert busiest_financial_year([days], within=(MISSING + 1, 14000)) == (FinancialYear(2008), 2, 4)


def test_the_busiest_year_of_many_days_counted_block_by_block_equals_a_count_of_each_distinct_day() -> None:
    rng = np.random.default_rng(11)
    days = rng.integers(13_000, 17_000, 150_000)  # (more days than one block of the count holds)
    days[rng.integers(0, days.size, 5_000)] = MISSING
    days[rng.integers(0, days.size, 50)] = 40_000  # after the bounds
    inside = days[(days >= 13_500) & (days <= 16_500)]
    distinct, counts = np.unique(inside, return_counts=True)
    per_year: collections.Counter[int] = collections.Counter()
    for day, count in zip(distinct.tolist(), counts.tolist(), strict=True):
        per_year[FinancialYear.containing(dt.date(1970, 1, 1) + dt.timedelta(days=day)).year] += count
    year = max(per_year, key=lambda y: (per_year[y], y))
    expected = (FinancialYear(year), per_year[year], int(inside.size))
    assert busiest_financial_year([days], within=(13_500, 16_500)) == expected
