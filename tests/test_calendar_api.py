"""Unit tests of the working-day calendar API (casetime.calendar, casetime.dates, casetime.errors).

Expected values are worked out by hand from the calendar (weekdays, and the England and
Wales bank holidays as published on GOV.UK, https://www.gov.uk/bank-holidays) or, for
custom weekmasks, from ``numpy.busday_count`` as an independent implementation.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import casetime
from casetime import CalendarRangeError, CasetimeError, DateParseError, WorkingCalendar
from support import installed, pa, pd, pl


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


COVERAGE_TEXT = "1990-01-01 to 2040-12-31"
# (pandas' missing values where pandas is installed: the rest run without it, as under Pyodide)
MISSING_SCALARS = [
    None,
    float("nan"),
    np.nan,
    np.datetime64("NaT"),
    *([pd.NaT, pd.NA] if installed("pandas") else []),
    "",
]
MISSING_IDS = [
    "None",
    "float-nan",
    "np-nan",
    "np-NaT",
    *(["pd-NaT", "pd-NA"] if installed("pandas") else []),
    "empty-string",
]


# ---------------------------------------------------------------------------
# custom calendars and weekmasks
# ---------------------------------------------------------------------------


def test_custom_holidays_list_and_mapping() -> None:
    plain = WorkingCalendar(["2009-01-01", d("2009-01-02")], start="2008-01-01", end="2010-12-31")
    # Wed 31 Dec 2008 -> Mon 5 Jan 2009: Thu 1 and Fri 2 closed, Sat/Sun, Mon 5 open
    assert plain.working_days_between("2008-12-31", "2009-01-05") == 1
    assert plain.holidays == {d("2009-01-01"): "holiday", d("2009-01-02"): "holiday"}
    named = WorkingCalendar({"2009-01-01": "New Year", "2009-01-03": "Saturday thing"}, name="mine")
    assert named.holidays == {d("2009-01-01"): "New Year", d("2009-01-03"): "Saturday thing"}
    # a holiday on a Saturday closes nothing, and is not listed as closing a weekday
    assert [(h.date, h.name) for h in named.bank_holidays()] == [(d("2009-01-01"), "New Year")]
    assert named.working_days_between("2008-12-31", "2009-01-05") == 2
    assert named.name == "mine"
    assert named.coverage == (d("1990-01-01"), d("2040-12-31"))


def test_holidays_property_is_a_copy() -> None:
    cal = WorkingCalendar(["2009-01-01"])
    cal.holidays.clear()
    assert cal.holidays == {d("2009-01-01"): "holiday"}
    assert cal.is_working_day("2009-01-01") is False


@pytest.mark.parametrize(
    "weekmask",
    [
        "1111100",
        " 1111100 ",
        "Mon Tue Wed Thu Fri",
        "mon,tue,wed,thu,fri",
        "Monday Tuesday Wednesday Thursday Friday",
        [True, True, True, True, True, False, False],
        (1, 1, 1, 1, 1, 0, 0),
    ],
    ids=repr,
)
def test_weekmask_spellings_of_monday_to_friday(weekmask: object) -> None:
    cal = WorkingCalendar(weekmask=weekmask)
    assert cal.weekmask == (True, True, True, True, True, False, False)
    # Fri 2 Jan 2009 -> Fri 9 Jan 2009: Mon..Fri = 5
    assert cal.working_days_between("2009-01-02", "2009-01-09") == 5


@pytest.mark.parametrize(
    ("weekmask", "numpy_weekmask"),
    [
        ("1111110", "1111110"),
        ("0000011", "0000011"),
        ("1010100", "1010100"),
        ("Sat Sun", "0000011"),
        ("1111111", "1111111"),
    ],
)
def test_custom_weekmask_matches_numpy_busday_count(weekmask: str, numpy_weekmask: str) -> None:
    hol = ["2009-01-01", "2009-01-03", "2009-04-13", "2009-12-25"]
    cal = WorkingCalendar(hol, weekmask=weekmask)
    starts = np.arange(np.datetime64("2008-12-20"), np.datetime64("2009-01-20"), 3)
    offsets = np.array([0, 1, 2, 5, 7, 13, 30, 120, 365, -3, -40])
    assert starts.size == offsets.size
    ends = starts + offsets
    # day 0 elapsed = busday_count(start + 1, end + 1), as domain.md section 3 says, for start <= end;
    # reversed is minus the forward count (numpy's own reversed busday_count counts a different
    # half-open interval, so it is not used for those rows)
    forward = np.busday_count(starts + 1, ends + 1, weekmask=numpy_weekmask, holidays=hol)
    backward = -np.busday_count(ends + 1, starts + 1, weekmask=numpy_weekmask, holidays=hol)
    expected = np.where(ends >= starts, forward, backward)
    np.testing.assert_array_equal(cal.working_days_between(starts, ends), expected.astype(float))
    # due date = busday_offset(start, N, roll="backward")
    for n in (0, 1, 9, -4):
        np.testing.assert_array_equal(
            cal.add_working_days(starts, n),
            np.busday_offset(starts, n, roll="backward", weekmask=numpy_weekmask, holidays=hol),
        )


def test_saturday_working_weekmask_by_hand() -> None:
    cal = WorkingCalendar(weekmask="1111110")
    assert cal.is_working_day("2009-01-03") is True  # Saturday
    assert cal.is_working_day("2009-01-04") is False  # Sunday
    assert cal.working_days_between("2009-01-02", "2009-01-09") == 6


@pytest.mark.parametrize(
    "weekmask",
    ["1111", "11111000", "1111102", "", "Funday", "Mon Tue Caturday", [1, 1, 1, 1, 1, 0], [1] * 8],
    ids=repr,
)
def test_bad_weekmask(weekmask: object) -> None:
    with pytest.raises(CasetimeError, match="weekmask"):
        WorkingCalendar(weekmask=weekmask)


def test_bad_coverage_order_and_missing_start() -> None:
    with pytest.raises(CasetimeError, match="before its start"):
        WorkingCalendar(start="2010-01-01", end="2009-12-31")
    with pytest.raises(CasetimeError, match="calendar start is missing"):
        WorkingCalendar(start=None)


def test_errors_are_value_errors() -> None:
    assert issubclass(CasetimeError, ValueError)
    assert issubclass(CalendarRangeError, CasetimeError)
    assert issubclass(DateParseError, CasetimeError)


# ---------------------------------------------------------------------------
# coverage
# ---------------------------------------------------------------------------


def _assert_range_error(excinfo: pytest.ExceptionInfo[CalendarRangeError], date_text: str) -> None:
    message = str(excinfo.value)
    assert isinstance(excinfo.value, ValueError)
    assert date_text in message
    assert COVERAGE_TEXT in message


@pytest.mark.parametrize(
    ("call", "date_text"),
    [
        (lambda: casetime.is_working_day("1989-12-31"), "1989-12-31"),
        (lambda: casetime.is_working_day(d("2041-01-01")), "2041-01-01"),
        (lambda: casetime.working_days_between("1989-12-29", "2009-01-05"), "1989-12-29"),
        (lambda: casetime.working_days_between("2009-01-05", "2041-01-02"), "2041-01-02"),
        (lambda: casetime.working_days_between("2009-01-05", "2041-01-02", "inclusive"), "2041-01-02"),
        (lambda: casetime.add_working_days("1989-06-01", 3), "1989-06-01"),
        (lambda: casetime.next_working_day("2050-01-01"), "2050-01-01"),
        (lambda: casetime.previous_working_day("1900-01-01"), "1900-01-01"),
    ],
)
def test_scalar_outside_coverage(call: Callable[[], object], date_text: str) -> None:
    with pytest.raises(CalendarRangeError) as excinfo:
        call()
    _assert_range_error(excinfo, date_text)


@pytest.mark.parametrize(
    ("call", "date_text"),
    [
        (lambda: casetime.is_working_day(["2009-01-05", None, "1989-12-31", "2041-01-01"]), "1989-12-31"),
        (
            lambda: casetime.working_days_between(["2009-01-05", None], ["2009-01-09", "1989-12-31"]),
            "1989-12-31",
        ),
        (
            lambda: casetime.working_days_between(
                np.array(["2009-01-05", "2041-01-01"], dtype="M8[D]"), "2009-01-09", convention="inclusive"
            ),
            "2041-01-01",
        ),
        (lambda: casetime.add_working_days(["2009-01-05", "1989-12-31"], 3), "1989-12-31"),
        (lambda: casetime.next_working_day(pd.Series(["2009-01-05", "2041-03-01"])), "2041-03-01"),
        (lambda: casetime.previous_working_day(("2009-01-05", "1989-03-01")), "1989-03-01"),
    ],
)
def test_array_outside_coverage(call: Callable[[], object], date_text: str) -> None:
    with pytest.raises(CalendarRangeError) as excinfo:
        call()
    _assert_range_error(excinfo, date_text)


@pytest.mark.parametrize("as_array", [False, True])
def test_add_result_outside_coverage(as_array: bool) -> None:
    # Fri 28 Dec 2040 + 5 working days is in January 2041
    start: object = ["2009-01-05", "2040-12-28"] if as_array else "2040-12-28"
    with pytest.raises(CalendarRangeError) as excinfo:
        casetime.add_working_days(start, 5)
    _assert_range_error(excinfo, "2040-12-28")
    assert "5 working days" in str(excinfo.value)
    # backwards past the start of coverage
    back: object = ["1990-01-02"] if as_array else "1990-01-02"
    with pytest.raises(CalendarRangeError) as excinfo:
        casetime.add_working_days(back, -5)
    _assert_range_error(excinfo, "1990-01-02")


def test_last_and_first_working_days_of_coverage_are_reachable() -> None:
    # Mon 31 Dec 2040 is a working day (Christmas 2040 is Tue, Boxing Day Wed)
    assert casetime.add_working_days("2040-12-28", 1) == d("2040-12-31")
    assert casetime.working_days_between("2040-12-28", "2040-12-31") == 1
    # Mon 1 Jan 1990 is New Year's Day, so the first working day is Tue 2 Jan 1990
    assert casetime.previous_working_day("1990-01-03") == d("1990-01-02")
    assert casetime.working_days_between("1990-01-01", "1990-01-02") == 1
    with pytest.raises(CalendarRangeError):
        casetime.previous_working_day("1990-01-02")
    with pytest.raises(CalendarRangeError):
        casetime.next_working_day("2040-12-31")
    with pytest.raises(CalendarRangeError):
        casetime.previous_working_day(["1990-01-02"])
    # add 0 rolls back to a working day on or before the start: none inside coverage here
    with pytest.raises(CalendarRangeError):
        casetime.add_working_days("1990-01-01", 0)


def test_missing_rows_never_trigger_range_errors() -> None:
    got = casetime.working_days_between(["2009-01-05", None, ""], "2009-01-14")
    np.testing.assert_array_equal(got, [7.0, np.nan, np.nan])


def test_covers() -> None:
    cal = casetime.england()
    assert cal.covers("1990-01-01") is True
    assert cal.covers("2040-12-31") is True
    assert cal.covers("1989-12-31") is False
    assert cal.covers(d("2041-01-01")) is False


def test_range_error_attributes() -> None:
    with pytest.raises(CalendarRangeError) as excinfo:
        casetime.is_working_day("1989-12-31")
    assert excinfo.value.value == d("1989-12-31")
    assert excinfo.value.coverage == (d("1990-01-01"), d("2040-12-31"))


# ---------------------------------------------------------------------------
# england(start=..., end=...)
# ---------------------------------------------------------------------------


def test_england_is_cached_and_has_default_coverage() -> None:
    assert casetime.england() is casetime.england()
    assert casetime.england().coverage == (d("1990-01-01"), d("2040-12-31"))


def test_england_custom_coverage() -> None:
    cal = casetime.england(start="2000-01-01", end=d("2010-12-31"))
    assert cal.coverage == (d("2000-01-01"), d("2010-12-31"))
    assert cal.is_working_day("2010-12-28") is False  # Boxing Day (substitute)
    assert cal.working_days_between("2008-12-19", "2009-01-02") == 7
    with pytest.raises(CalendarRangeError) as excinfo:
        cal.is_working_day("1999-12-31")
    assert "1999-12-31" in str(excinfo.value)
    assert "2000-01-01 to 2010-12-31" in str(excinfo.value)
    with pytest.raises(CalendarRangeError):
        cal.add_working_days("2010-12-30", 3)
    listed = cal.bank_holidays()
    assert listed[0].date == d("2000-01-03")  # New Year's Day 2000 was a Saturday
    assert listed[-1].date == d("2010-12-28")


def test_england_coverage_before_1970() -> None:
    cal = casetime.england(start="1960-01-01", end="2012-12-31")
    assert cal.coverage == (d("1960-01-01"), d("2012-12-31"))
    assert cal.is_working_day("1969-12-25") is False  # Christmas Day, Thursday
    assert cal.is_working_day("1969-12-31") is True  # Wednesday
    assert cal.is_working_day("1965-01-02") is False  # Saturday
    # Wed 24 Dec 1969 -> Fri 2 Jan 1970: 25, 26 Dec closed; 29, 30, 31 Dec, Thu 1 Jan 1970
    # (New Year's Day was not yet a bank holiday), Fri 2 Jan
    assert cal.working_days_between("1969-12-24", "1970-01-02") == 5
    assert cal.add_working_days("1969-12-24", 5) == d("1970-01-02")
    assert cal.working_days_between("1970-01-02", "1969-12-24") == -5
    assert cal.previous_working_day("1970-01-01") == d("1969-12-31")
    # same answers as the default calendar where both cover
    assert cal.working_days_between("2008-12-19", "2009-01-02") == 7
    assert cal.add_working_days("2012-05-25", 1) == d("2012-05-28")


@pytest.mark.parametrize(("start", "end"), [("1960-01-01", "2012-12-31"), ("1970-01-01", "1979-12-31")])
def test_pre_1970_coverage_arrays_missing_rows_and_range(start: str, end: str) -> None:
    cal = casetime.england(start=start, end=end)
    first = d(start)
    # missing rows stay missing (they must not be read as the first day of coverage)
    np.testing.assert_array_equal(cal.working_days_between([None, "1970-01-05"], "1970-01-09"), [np.nan, 4.0])
    np.testing.assert_array_equal(
        cal.add_working_days(np.array(["NaT", "1970-01-05"], dtype="M8[ns]"), 4),
        np.array(["NaT", "1970-01-09"], dtype="M8[D]"),
    )
    assert cal.is_working_day([pd.NaT, "1970-01-05"]).tolist() == [None, True]
    assert np.isnat(cal.previous_working_day([None]))[0]
    # a date one day before the coverage is refused, as scalar and in an array
    before = (first - dt.timedelta(days=1)).isoformat()
    with pytest.raises(CalendarRangeError, match=before):
        cal.is_working_day([before, "1970-01-05"])
    with pytest.raises(CalendarRangeError, match=before):
        cal.working_days_between("1970-01-05", [before])
    with pytest.raises(CalendarRangeError, match=before):
        cal.add_working_days(np.array([before], dtype="M8[us]"), 1)
    with pytest.raises(CalendarRangeError, match=before):
        cal.is_working_day(before)
    # the first day of coverage itself is fine
    assert cal.working_days_between([first], [first]).tolist() == [0.0]


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_pre_1970_datetime64_with_time_maps_to_its_own_day(unit: str) -> None:
    cal = casetime.england(start="1960-01-01", end="2012-12-31")
    scalar = np.datetime64("1969-12-31T23:00", unit)
    assert cal.add_working_days(scalar, 0) == d("1969-12-31")
    assert cal.is_working_day(scalar) is True
    assert cal.working_days_between(scalar, "1970-01-02") == 2  # Thu 1 and Fri 2 Jan 1970
    arr = np.array(["1969-12-31T23:00", "1969-12-29T01:00", "1969-12-27T12:00"], dtype=f"M8[{unit}]")
    # Sat 27 Dec rolls back past Boxing Day (Fri) and Christmas (Thu) to Wed 24 Dec
    np.testing.assert_array_equal(
        cal.add_working_days(arr, 0), np.array(["1969-12-31", "1969-12-29", "1969-12-24"], dtype="M8[D]")
    )
    np.testing.assert_array_equal(cal.working_days_between(arr, "1970-01-02"), [2.0, 4.0, 5.0])
    assert cal.is_working_day(arr).tolist() == [True, True, False]
    # the default calendar starts in 1990 and says so
    with pytest.raises(CalendarRangeError, match="1969-12-31"):
        casetime.england().is_working_day(arr)


# ---------------------------------------------------------------------------
# closure layers
# ---------------------------------------------------------------------------


def test_with_closures_returns_a_new_calendar_and_leaves_statutory_unchanged() -> None:
    statutory = casetime.england()
    local = statutory.with_closures(["2009-12-24", "2009-12-29"], layer="council closure")
    assert local is not statutory
    assert statutory.is_working_day("2009-12-24") is True
    assert local.is_working_day("2009-12-24") is False
    # Wed 23 Dec 2009 -> Wed 30 Dec: statutory 24, 29, 30 (25 and 28 closed); local only 30
    assert statutory.working_days_between("2009-12-23", "2009-12-30") == 3
    assert local.working_days_between("2009-12-23", "2009-12-30") == 1
    assert statutory.add_working_days("2009-12-23", 1) == d("2009-12-24")
    assert local.add_working_days("2009-12-23", 1) == d("2009-12-30")
    assert statutory.closure_days() == []
    assert casetime.england().is_working_day("2009-12-24") is True
    assert local.coverage == statutory.coverage
    # the statutory listing is unchanged on the new calendar too: closures are not bank holidays
    assert local.bank_holidays("2009-12-01", "2009-12-31") == statutory.bank_holidays("2009-12-01", "2009-12-31")
    # bank holidays still apply on the local calendar
    assert local.is_working_day("2009-12-28") is False


def test_closure_days_listing() -> None:
    local = casetime.england().with_closures(
        {"2009-12-31": "New Year's Eve", d("2009-12-24"): "Christmas Eve", "2009-12-26": "a Saturday"},
        layer="office closure",
    )
    assert local.closure_days() == [
        casetime.Holiday(d("2009-12-24"), "Christmas Eve", "office closure"),
        casetime.Holiday(d("2009-12-26"), "a Saturday", "office closure"),
        casetime.Holiday(d("2009-12-31"), "New Year's Eve", "office closure"),
    ]
    more = local.with_closures(["2010-12-24"])
    assert [(h.date, h.name, h.layer) for h in more.closure_days()] == [
        (d("2009-12-24"), "Christmas Eve", "office closure"),
        (d("2009-12-26"), "a Saturday", "office closure"),
        (d("2009-12-31"), "New Year's Eve", "office closure"),
        (d("2010-12-24"), "council closure", "council closure"),
    ]
    assert len(local.closure_days()) == 3
    assert more.is_working_day("2010-12-24") is False
    assert local.is_working_day("2010-12-24") is True


def test_closure_on_a_bank_holiday_or_weekend_changes_nothing_more() -> None:
    local = casetime.england().with_closures(["2009-12-25", "2009-12-26"])
    assert local.working_days_between("2009-12-24", "2009-12-31") == casetime.working_days_between(
        "2009-12-24", "2009-12-31"
    )
    assert local.working_days_between("2009-12-24", "2009-12-31") == 3  # 29, 30, 31


def test_closure_outside_coverage_is_refused() -> None:
    with pytest.raises(CalendarRangeError, match="1980-12-24"):
        casetime.england().with_closures(["1980-12-24"])


def test_custom_calendar_with_closures_keeps_weekmask() -> None:
    cal = WorkingCalendar(["2009-01-01"], weekmask="1111110", start="2008-01-01", end="2010-12-31")
    local = cal.with_closures(["2009-01-03"])  # a Saturday, working under this weekmask
    assert cal.is_working_day("2009-01-03") is True
    assert local.is_working_day("2009-01-03") is False
    assert local.weekmask == cal.weekmask
    assert local.coverage == cal.coverage
    assert local.is_working_day("2009-01-01") is False


# ---------------------------------------------------------------------------
# GOV.UK files
# ---------------------------------------------------------------------------


def _event(date: str, title: str) -> dict[str, object]:
    return {"title": title, "date": date, "notes": "", "bunting": True}


GOVUK = {
    "england-and-wales": {
        "division": "england-and-wales",
        "events": [
            _event("2024-12-25", "Christmas Day"),
            _event("2024-12-26", "Boxing Day"),
            _event("2025-01-01", "New Year\u2019s Day"),
            _event("2025-04-18", "Good Friday"),
        ],
    },
    "scotland": {
        "division": "scotland",
        "events": [
            _event("2025-01-01", "New Year\u2019s Day"),
            _event("2025-01-02", "2nd January"),
            _event("2025-08-04", "Summer bank holiday"),
        ],
    },
}


@pytest.fixture
def govuk_file(tmp_path: Path) -> Path:
    path = tmp_path / "bank-holidays.json"
    path.write_text(json.dumps(GOVUK), encoding="utf-8")
    return path


def test_from_govuk_json_default_division(govuk_file: Path) -> None:
    cal = casetime.from_govuk_json(govuk_file)
    assert cal.coverage == (d("2024-01-01"), d("2025-12-31"))
    assert [(h.date.isoformat(), h.name) for h in cal.bank_holidays()] == [
        ("2024-12-25", "Christmas Day"),
        ("2024-12-26", "Boxing Day"),
        ("2025-01-01", "New Year\u2019s Day"),
        ("2025-04-18", "Good Friday"),
    ]
    assert cal.is_working_day("2025-01-02") is True
    # Tue 24 Dec 2024 -> Fri 3 Jan 2025: 27, 30, 31 Dec, 2, 3 Jan
    assert cal.working_days_between("2024-12-24", "2025-01-03") == 5
    assert "england-and-wales" in cal.name
    with pytest.raises(CalendarRangeError, match="2023-12-29"):
        cal.is_working_day("2023-12-29")


def test_from_govuk_json_division_by_name(govuk_file: Path) -> None:
    cal = casetime.from_govuk_json(str(govuk_file), "scotland", name="Scotland")
    assert cal.name == "Scotland"
    assert cal.coverage == (d("2025-01-01"), d("2025-12-31"))
    assert cal.is_working_day("2025-01-02") is False
    assert cal.is_working_day("2025-04-18") is True  # Good Friday is not in this (made-up) Scottish list
    # Wed 1 Jan -> Fri 3 Jan 2025: 2 Jan closed in Scotland
    assert cal.working_days_between("2025-01-01", "2025-01-03") == 1
    with pytest.raises(CalendarRangeError, match="2024-12-31"):
        cal.working_days_between("2024-12-31", "2025-01-03")


def test_from_govuk_json_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(GOVUK).encode("utf-8"))
    assert casetime.from_govuk_json(path).is_working_day("2025-04-18") is False


def test_from_govuk_json_unknown_division_lists_what_was_found(govuk_file: Path) -> None:
    with pytest.raises(CasetimeError) as excinfo:
        casetime.from_govuk_json(govuk_file, "northern-ireland")
    message = str(excinfo.value)
    assert "northern-ireland" in message
    assert "england-and-wales, scotland" in message
    assert str(govuk_file) in message


def test_from_govuk_json_missing_file_names_it(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "bank-holidays.json"
    with pytest.raises(CasetimeError, match="cannot read") as excinfo:
        casetime.from_govuk_json(path)
    assert str(path) in str(excinfo.value)


def test_from_govuk_json_directory_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(CasetimeError) as excinfo:
        casetime.from_govuk_json(tmp_path)
    assert str(tmp_path) in str(excinfo.value)


@pytest.mark.parametrize("content", ["<html>not json</html>", "", '{"england-and-wales": '])
def test_from_govuk_json_not_json_names_the_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "page.html"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CasetimeError, match="not a JSON file") as excinfo:
        casetime.from_govuk_json(path)
    assert str(path) in str(excinfo.value)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ([1, 2], "found: list"),
        ({"england-and-wales": {"events": []}}, "no 'events' list"),
        ({"england-and-wales": {"division": "england-and-wales"}}, "no 'events' list"),
        ({"england-and-wales": {"events": [{"title": "x", "date": "25/12/2024"}]}}, "no valid 'date'"),
        ({"england-and-wales": {"events": [{"title": "x"}]}}, "no valid 'date'"),
    ],
)
def test_from_govuk_json_malformed(tmp_path: Path, data: object, fragment: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CasetimeError, match=fragment) as excinfo:
        casetime.from_govuk_json(path)
    assert str(path) in str(excinfo.value)


# ---------------------------------------------------------------------------
# input types
# ---------------------------------------------------------------------------

# Mon 5 Jan 2009 -> Wed 14 Jan 2009 is 7 working days (domain.md section 3)
MON_5_JAN_2009 = [
    d("2009-01-05"),
    dt.datetime(2009, 1, 5, 23, 59, 59),
    "2009-01-05",
    "2009-01-05T16:30",
    "2009-01-05 16:30:00",
    "2009-01-05T23:59:59.999999",
    " 2009-01-05 ",
    np.datetime64("2009-01-05", "D"),
    np.datetime64("2009-01-05T23:59:59", "s"),
    np.datetime64("2009-01-05T23:59:59.999", "ms"),
    np.datetime64("2009-01-05T12:00:00.000001", "us"),
    np.datetime64("2009-01-05T23:59:59.999999999", "ns"),
    *(
        [pd.Timestamp("2009-01-05 18:00"), pd.Timestamp("2009-01-05 00:30", tz="Europe/London")]
        if installed("pandas")
        else []
    ),
    np.array("2009-01-05", dtype="M8[D]"),  # 0-d array
]


@pytest.mark.parametrize("value", MON_5_JAN_2009, ids=repr)
def test_scalar_input_types(value: object) -> None:
    assert casetime.working_days_between(value, "2009-01-14") == 7
    assert casetime.working_days_between("2009-01-14", value) == -7
    assert casetime.add_working_days(value, 7) == d("2009-01-14")
    assert casetime.is_working_day(value) is True
    assert casetime.next_working_day(value) == d("2009-01-06")
    assert casetime.previous_working_day(value) == d("2009-01-02")


def test_scalar_result_types() -> None:
    count = casetime.working_days_between(np.datetime64("2009-01-05"), np.datetime64("2009-01-14"))
    assert type(count) is int
    due = casetime.add_working_days(np.datetime64("2009-01-05"), np.int64(7))
    assert type(due) is dt.date
    assert due == d("2009-01-14")
    assert type(casetime.is_working_day(pd.Timestamp("2009-01-05"))) is bool
    assert type(casetime.next_working_day("2009-01-05")) is dt.date
    assert type(casetime.previous_working_day("2009-01-05")) is dt.date
    assert type(casetime.working_days_between("2009-01-05", "2009-01-14", "inclusive")) is int
    assert type(casetime.add_working_days("2009-01-05", 7.0, "inclusive")) is dt.date


def test_timezone_aware_values_use_the_local_date_as_written() -> None:
    # 00:30 on Mon 8 Jun 2009 in London is 23:30 on Sunday in UTC: the local (written) date counts
    ts = pd.Timestamp("2009-06-08 00:30", tz="Europe/London")
    assert casetime.is_working_day(ts) is True
    series = pd.Series([ts, pd.NaT], index=[10, 20])
    assert casetime.is_working_day(series).tolist() == [True, pd.NA]
    aware = dt.datetime(2009, 6, 8, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert casetime.add_working_days(aware, 0) == d("2009-06-08")


STARTS = ["2009-01-05", "2009-01-03", "2008-12-19", "2009-12-24"]
# to 2009-01-14 / 2010-01-07 (hand-checked: see domain.md section 3)
ENDS = ["2009-01-14", "2009-01-05", "2009-01-02", "2010-01-07"]
COUNTS = [7.0, 1.0, 7.0, 7.0]
DUE_7 = ["2009-01-14", "2009-01-13", "2009-01-02", "2010-01-07"]  # Sat 3 Jan + 7 = Tue 13 Jan


def _as(kind: str, values: list[str]) -> object:
    dates = [d(v) for v in values]
    if kind == "list-str":
        return list(values)
    if kind == "tuple-date":
        return tuple(dates)
    if kind == "list-datetime":
        return [dt.datetime.combine(v, dt.time(9, 30)) for v in dates]
    if kind == "numpy-str":
        return np.array(values)
    if kind == "numpy-object":
        return np.array(dates, dtype=object)
    if kind.startswith("numpy-"):
        unit = kind.split("-")[1]
        return np.array(values, dtype="M8[D]").astype(f"M8[{unit}]") + np.timedelta64(1, "h").astype(f"m8[{unit}]")
    if kind == "pandas-index":
        return pd.Index(pd.to_datetime(values))
    if kind == "pandas-index-str":
        return pd.Index(values)
    if kind == "polars-date":
        return pl.Series("x", dates, dtype=pl.Date)
    if kind == "polars-datetime":
        return pl.Series("x", [dt.datetime.combine(v, dt.time(23, 0)) for v in dates])
    if kind == "pyarrow-date32":
        return pa.array(dates, type=pa.date32())
    if kind == "pyarrow-timestamp":
        return pa.array([dt.datetime.combine(v, dt.time(12)) for v in dates], type=pa.timestamp("ms"))
    if kind == "pyarrow-chunked":
        return pa.chunked_array([dates[:1], dates[1:]], type=pa.date32())
    if kind == "pyarrow-string":
        return pa.array(values)
    raise AssertionError(kind)


ARRAY_KINDS = [
    "list-str",
    "tuple-date",
    "list-datetime",
    "numpy-D",
    "numpy-s",
    "numpy-ms",
    "numpy-us",
    "numpy-ns",
    "numpy-str",
    "numpy-object",
    "pandas-index",
    "pandas-index-str",
    "polars-date",
    "polars-datetime",
    "pyarrow-date32",
    "pyarrow-timestamp",
    "pyarrow-chunked",
    "pyarrow-string",
]


@pytest.mark.parametrize("kind", ARRAY_KINDS)
def test_array_input_types(kind: str) -> None:
    starts, ends = _as(kind, STARTS), _as(kind, ENDS)
    got = casetime.working_days_between(starts, ends)
    assert isinstance(got, np.ndarray)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, COUNTS)
    due = casetime.add_working_days(_as(kind, STARTS), 7)
    assert isinstance(due, np.ndarray)
    assert due.dtype == np.dtype("M8[D]")
    np.testing.assert_array_equal(due, np.array(DUE_7, dtype="M8[D]"))
    flags = casetime.is_working_day(_as(kind, STARTS))
    assert isinstance(flags, np.ma.MaskedArray)
    assert flags.tolist() == [True, False, True, True]


def test_pandas_series_in_gives_series_out() -> None:
    index = pd.Index([30, 10, 20], name="case")
    starts = pd.Series(pd.to_datetime(["2009-01-05", None, "2009-01-03"]), index=index, name="referral")
    counts = casetime.working_days_between(starts, "2009-01-14")
    assert isinstance(counts, pd.Series)
    assert counts.name == "working_days_day0"
    assert counts.index.equals(index)
    assert counts.dtype == "Int64"  # counts, with missing rows as <NA> (not float64 with NaN)
    assert counts.iloc[0] == 7
    assert counts.iloc[1] is pd.NA
    assert counts.iloc[2] == 8
    incl = casetime.working_days_between(starts, "2009-01-14", convention="inclusive")
    assert incl.name == "working_days_inclusive"
    assert incl.tolist()[::2] == [8.0, 8.0]
    due = casetime.add_working_days(starts, 7)
    assert isinstance(due, pd.Series)
    assert due.name == "due_date"
    assert due.index.equals(index)
    assert due.iloc[0] == pd.Timestamp("2009-01-14")
    assert due.iloc[1] is pd.NaT
    assert due.iloc[2] == pd.Timestamp("2009-01-13")
    flags = casetime.is_working_day(starts)
    assert isinstance(flags, pd.Series)
    assert flags.index.equals(index)
    assert flags.dtype == "boolean"
    assert flags.tolist() == [True, pd.NA, False]
    prev = casetime.previous_working_day(starts)
    assert prev.name == "previous_working_day"
    assert prev.tolist() == [pd.Timestamp("2009-01-02"), pd.NaT, pd.Timestamp("2009-01-02")]
    nxt = casetime.next_working_day(starts)
    assert nxt.index.equals(index)
    assert nxt.tolist() == [pd.Timestamp("2009-01-06"), pd.NaT, pd.Timestamp("2009-01-05")]


def test_pandas_series_as_end_and_of_strings() -> None:
    ends = pd.Series(["2009-01-14", "", None], index=["a", "b", "c"])
    counts = casetime.working_days_between("2009-01-05", ends)
    assert isinstance(counts, pd.Series)
    assert list(counts.index) == ["a", "b", "c"]
    assert counts.iloc[0] == 7
    assert counts.iloc[1:].isna().all()


def test_pandas_index_and_timestamp_scalars() -> None:
    got = casetime.working_days_between(pd.Index(["2009-01-05", None]), pd.Timestamp("2009-01-14"))
    np.testing.assert_array_equal(got, [7.0, np.nan])
    assert casetime.working_days_between(pd.Timestamp("2009-01-05"), pd.NaT) is None


def test_polars_date_series_with_nulls() -> None:
    s = pl.Series("start", [d("2009-01-05"), None, d("2009-01-03")], dtype=pl.Date)
    np.testing.assert_array_equal(casetime.working_days_between(s, "2009-01-14"), [7.0, np.nan, 8.0])
    np.testing.assert_array_equal(
        casetime.add_working_days(s, 7), np.array(["2009-01-14", "NaT", "2009-01-13"], dtype="M8[D]")
    )
    flags = casetime.is_working_day(s)
    assert flags.mask.tolist() == [False, True, False]
    assert flags.tolist() == [True, None, False]


def test_pyarrow_with_nulls() -> None:
    arr = pa.array([d("2009-01-05"), None, d("2009-01-03")], type=pa.date32())
    np.testing.assert_array_equal(casetime.working_days_between(arr, "2009-01-14"), [7.0, np.nan, 8.0])
    chunked = pa.chunked_array([[d("2009-01-05"), None], [], [d("2009-01-03")]], type=pa.date32())
    np.testing.assert_array_equal(
        casetime.add_working_days(chunked, 7), np.array(["2009-01-14", "NaT", "2009-01-13"], dtype="M8[D]")
    )
    assert casetime.is_working_day(chunked).tolist() == [True, None, False]


def test_empty_arrays() -> None:
    assert casetime.working_days_between([], []).shape == (0,)
    assert casetime.add_working_days(np.array([], dtype="M8[D]"), 3).dtype == np.dtype("M8[D]")
    assert casetime.is_working_day([]).shape == (0,)


def test_count_array_for_add() -> None:
    got = casetime.add_working_days("2009-01-05", [7, None, 1.0, np.nan, -1, 0])
    np.testing.assert_array_equal(
        got, np.array(["2009-01-14", "NaT", "2009-01-06", "NaT", "2009-01-02", "2009-01-05"], dtype="M8[D]")
    )
    got = casetime.add_working_days(["2009-01-05", "2009-01-03"], np.array([7, 7]))
    np.testing.assert_array_equal(got, np.array(["2009-01-14", "2009-01-13"], dtype="M8[D]"))


@pytest.mark.parametrize("n", [True, 1.5, "7", [1.5], np.array(["a"])], ids=repr)
def test_bad_number_of_working_days(n: object) -> None:
    with pytest.raises(CasetimeError, match="working days"):
        casetime.add_working_days("2009-01-05", n)


# ---------------------------------------------------------------------------
# missing values
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("missing", MISSING_SCALARS, ids=MISSING_IDS)
def test_missing_scalars_give_none(missing: object) -> None:
    assert casetime.working_days_between(missing, "2009-01-14") is None
    assert casetime.working_days_between("2009-01-05", missing) is None
    assert casetime.working_days_between(missing, "2009-01-14", convention="inclusive") is None
    assert casetime.add_working_days(missing, 7) is None
    assert casetime.is_working_day(missing) is None
    assert casetime.next_working_day(missing) is None
    assert casetime.previous_working_day(missing) is None


@pytest.mark.parametrize(
    "missing",
    [None, float("nan"), *([pd.NA] if installed("pandas") else [])],
    ids=["None", "nan", "pd-NA"][: 3 if installed("pandas") else 2],
)
def test_missing_number_of_days_gives_none(missing: object) -> None:
    assert casetime.add_working_days("2009-01-05", missing) is None


@pytest.mark.parametrize("missing", MISSING_SCALARS, ids=MISSING_IDS)
def test_missing_rows_in_arrays(missing: object) -> None:
    starts = ["2009-01-05", missing, "2009-01-03", missing]
    ends = ["2009-01-14", "2009-01-14", missing, missing]
    np.testing.assert_array_equal(casetime.working_days_between(starts, ends), [7.0, np.nan, np.nan, np.nan])
    np.testing.assert_array_equal(
        casetime.working_days_between(starts, "2009-01-14", convention="inclusive"), [8.0, np.nan, 8.0, np.nan]
    )
    np.testing.assert_array_equal(
        casetime.add_working_days(starts, 7), np.array(["2009-01-14", "NaT", "2009-01-13", "NaT"], dtype="M8[D]")
    )
    flags = casetime.is_working_day(starts)
    assert isinstance(flags, np.ma.MaskedArray)
    assert np.ma.getmaskarray(flags).tolist() == [False, True, False, True]
    assert flags.tolist() == [True, None, False, None]
    np.testing.assert_array_equal(
        casetime.previous_working_day(starts), np.array(["2009-01-02", "NaT", "2009-01-02", "NaT"], dtype="M8[D]")
    )


def test_all_missing_columns() -> None:
    np.testing.assert_array_equal(casetime.working_days_between([None, None], "2009-01-14"), [np.nan, np.nan])
    np.testing.assert_array_equal(casetime.working_days_between(np.full(2, np.nan), "2009-01-14"), [np.nan] * 2)
    assert np.isnat(casetime.add_working_days(np.array(["NaT", "NaT"], dtype="M8[ns]"), 3)).all()
    np.testing.assert_array_equal(casetime.working_days_between(None, ["2009-01-14", None]), [np.nan, np.nan])
    assert np.isnat(casetime.add_working_days(None, [1, 2])).all()


@pytest.mark.parametrize("text", ["NaT", "nan", "None", "null", "<NA>"])
def test_missing_marker_strings_as_scalars_match_arrays(text: str) -> None:
    np.testing.assert_array_equal(casetime.working_days_between([text], "2009-01-14"), [np.nan])
    assert casetime.working_days_between(text, "2009-01-14") is None
    assert casetime.is_working_day(text) is None
    assert casetime.add_working_days(text, 3) is None


# ---------------------------------------------------------------------------
# not dates
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["2009-13-01", "2009-02-29", "20090105", "2009-01-05x", "05/01/09", "5th Jan 2009", "Jan 5 2009"]
)
def test_strings_that_are_not_dates_are_refused(text: str) -> None:
    with pytest.raises(DateParseError) as excinfo:
        casetime.working_days_between(text, "2009-01-14")
    assert repr(text) in str(excinfo.value)
    assert excinfo.value.value == text
    assert excinfo.value.position is None
    with pytest.raises(DateParseError) as excinfo:
        casetime.add_working_days(["2009-01-05", "2009-01-06", text], 7)
    assert repr(text) in str(excinfo.value)
    assert "position 2" in str(excinfo.value)
    assert excinfo.value.position == 2


@pytest.mark.parametrize("text", ["05/01/2009", "5/1/2009", "2009-1-5", "5 Jan 2009", "05-Jan-2009", "05.01.2009"])
def test_text_dates_are_read_day_first_as_in_files(text: str) -> None:
    # 5 January 2009 (a Monday) to 14 January: 7 working days, and 5 January written any of these ways
    assert casetime.working_days_between(text, "14/01/2009") == 7
    assert casetime.add_working_days([text], 7).tolist() == [d("2009-01-14")]


def test_a_two_digit_year_is_refused_with_its_reason() -> None:
    with pytest.raises(DateParseError, match=r"'05/01/09' \(a two-digit year is never guessed"):
        casetime.working_days_between("05/01/09", "2009-01-14")


def test_parse_error_position_in_end_dates_and_other_ops() -> None:
    with pytest.raises(DateParseError, match=r"position 1: '31/02/2009'"):
        casetime.working_days_between("2009-01-05", ["2009-01-14", "31/02/2009"])
    with pytest.raises(DateParseError, match=r"position 0: '2009-13-01'"):
        casetime.is_working_day(np.array(["2009-13-01", "2009-01-05"]))
    with pytest.raises(DateParseError, match=r"position 1: '05/01/09'"):
        casetime.previous_working_day(pd.Series(["2009-01-05", "05/01/09"], index=[7, 8]))
    with pytest.raises(DateParseError, match=r"position 1"):
        casetime.working_days_between([d("2009-01-05"), "2009-02-30"], "2009-01-14")


@pytest.mark.parametrize("value", [5, 3.5, b"2009-01-05", object()], ids=repr)
def test_unsupported_scalar_types(value: object) -> None:
    with pytest.raises(DateParseError, match="not a date"):
        casetime.is_working_day(value)


def test_integer_arrays_are_not_dates() -> None:
    with pytest.raises(DateParseError, match="not dates"):
        casetime.working_days_between(np.array([14249, 14250]), "2009-01-14")


# ---------------------------------------------------------------------------
# next / previous working day
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "nxt", "prev"),
    [
        ("2009-04-09", "2009-04-14", "2009-04-08"),  # Thu before Easter 2009
        ("2009-04-14", "2009-04-15", "2009-04-09"),  # Tue after Easter Monday
        ("2009-04-11", "2009-04-14", "2009-04-09"),  # Easter Saturday
        ("2010-12-24", "2010-12-29", "2010-12-23"),  # Christmas 2010: 27, 28 substitutes
        ("2010-12-29", "2010-12-30", "2010-12-24"),
        ("2010-12-31", "2011-01-04", "2010-12-30"),  # New Year's Day 2011 observed Mon 3 Jan
        ("2012-06-01", "2012-06-06", "2012-05-31"),  # Diamond Jubilee 4-5 Jun
        ("2012-05-25", "2012-05-28", "2012-05-24"),  # 28 May 2012 was a working day
        ("2022-06-01", "2022-06-06", "2022-05-31"),  # Platinum Jubilee 2-3 Jun
        ("2022-09-16", "2022-09-20", "2022-09-15"),  # state funeral Mon 19 Sep
        ("2023-05-05", "2023-05-09", "2023-05-04"),  # coronation Mon 8 May
        ("2020-05-07", "2020-05-11", "2020-05-06"),  # VE Day Fri 8 May 2020
        ("2009-01-03", "2009-01-05", "2009-01-02"),  # Saturday
    ],
)
def test_next_and_previous_working_day(day: str, nxt: str, prev: str) -> None:
    assert casetime.next_working_day(day) == d(nxt)
    assert casetime.previous_working_day(day) == d(prev)
    assert casetime.england().next_working_day(d(day)) == d(nxt)
    assert casetime.england().previous_working_day(np.datetime64(day)) == d(prev)


def test_next_and_previous_working_day_arrays() -> None:
    days = np.array(["2009-04-09", "NaT", "2010-12-24", "2022-09-16"], dtype="M8[D]")
    np.testing.assert_array_equal(
        casetime.next_working_day(days), np.array(["2009-04-14", "NaT", "2010-12-29", "2022-09-20"], dtype="M8[D]")
    )
    np.testing.assert_array_equal(
        casetime.previous_working_day(days),
        np.array(["2009-04-08", "NaT", "2010-12-23", "2022-09-15"], dtype="M8[D]"),
    )


def test_calendar_keyword_on_module_functions() -> None:
    local = casetime.england().with_closures(["2009-01-06"])
    assert casetime.next_working_day("2009-01-05", calendar=local) == d("2009-01-07")
    assert casetime.previous_working_day("2009-01-07", calendar=local) == d("2009-01-05")
    assert casetime.is_working_day("2009-01-06", calendar=local) is False
    assert casetime.working_days_between("2009-01-05", "2009-01-14", calendar=local) == 6
    assert casetime.add_working_days("2009-01-05", 6, calendar=local) == d("2009-01-14")


# ---------------------------------------------------------------------------
# conventions
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("convention", ["day1", "Day0", "", "exclusive", None])
def test_invalid_convention(convention: object) -> None:
    for call in (
        lambda: casetime.working_days_between("2009-01-05", "2009-01-14", convention),
        lambda: casetime.add_working_days("2009-01-05", 7, convention),
        lambda: casetime.england().working_days_between(["2009-01-05"], "2009-01-14", convention=convention),
        lambda: casetime.england().add_working_days(["2009-01-05"], 7, convention=convention),
    ):
        with pytest.raises(CasetimeError, match="unknown convention") as excinfo:
            call()
        assert "day0" in str(excinfo.value)
        assert "inclusive" in str(excinfo.value)


# ---------------------------------------------------------------------------
# optional dependencies stay optional
# ---------------------------------------------------------------------------


def test_numpy_use_does_not_import_pandas_polars_or_pyarrow() -> None:
    code = textwrap.dedent(
        """
        import sys
        import numpy as np
        import casetime

        starts = np.array(["2009-01-05", "NaT", "2009-01-03"], dtype="datetime64[D]")
        assert casetime.working_days_between(starts, np.datetime64("2009-01-14")).tolist()[::2] == [7.0, 8.0]
        assert casetime.working_days_between(starts, "2009-01-14", "inclusive").tolist()[::2] == [8.0, 8.0]
        assert str(casetime.add_working_days(starts, 7)[0]) == "2009-01-14"
        assert casetime.is_working_day(starts).tolist() == [True, None, False]
        assert str(casetime.previous_working_day(starts)[0]) == "2009-01-02"
        assert casetime.working_days_between(["2009-01-05", None], "2009-01-14")[0] == 7.0
        assert casetime.working_days_between("2009-01-05", "2009-01-14") == 7
        loaded = sorted(m for m in ("pandas", "polars", "pyarrow") if m in sys.modules)
        assert loaded == [], loaded
        print("ok")
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_repr_names_calendar_and_coverage() -> None:
    text = repr(casetime.england())
    assert "England and Wales" in text
    assert "1990-01-01" in text
    assert "2040-12-31" in text
    assert "closures=1" in repr(casetime.england().with_closures(["2009-12-24"]))


def test_weekmask_words_must_be_day_names() -> None:
    assert casetime.WorkingCalendar(weekmask="Monday Tuesday wed").weekmask[:4] == (True, True, True, False)
    with pytest.raises(ValueError, match="weekmask"):
        casetime.WorkingCalendar(weekmask="Monkey Tuesday")


def test_series_of_counts_gives_a_series_back() -> None:
    n = pd.Series([1, 7], index=["a", "b"])
    due = casetime.add_working_days("2009-01-05", n)
    assert list(due.index) == ["a", "b"]
    assert [d.date().isoformat() for d in due] == ["2009-01-06", "2009-01-14"]
    flags = casetime.is_working_day(pd.Series(["2009-01-01", None], index=[5, 6]))
    assert flags.name == "is_working_day"
    assert not flags.iloc[0]
    assert flags.isna().tolist() == [False, True]


def test_two_series_with_different_indexes_are_refused_not_paired_by_position() -> None:
    starts = pd.Series(pd.to_datetime(["2009-01-05", "2009-01-05"]), index=["A", "B"])
    ends = pd.Series(pd.to_datetime(["2009-01-14", "2009-01-05"]), index=["B", "A"])
    with pytest.raises(CasetimeError) as caught:
        casetime.working_days_between(starts, ends)
    assert str(caught.value) == (
        "working_days_between: the pandas Series have different indexes, and casetime pairs values by position; "
        "align them first (a, b = a.align(b)) or pass arrays (.to_numpy())"
    )
    a, b = starts.align(ends)  # by label: A 0 working days, B 7
    assert casetime.working_days_between(a, b).tolist() == [0, 7]
    with pytest.raises(CasetimeError, match="different indexes"):
        casetime.add_working_days(starts, pd.Series([1, 2], index=["x", "y"]))


def test_an_unsigned_count_too_large_is_refused_not_wrapped() -> None:
    with pytest.raises(CasetimeError, match="too large: 18446744073709551615"):
        casetime.add_working_days(["2009-01-05"], np.array([2**64 - 1], dtype=np.uint64))
    ok = casetime.add_working_days(["2009-01-05"], np.array([7], dtype=np.uint64))
    assert ok.tolist() == [dt.date(2009, 1, 14)]
