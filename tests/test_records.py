"""Records one at a time: coercion, clocks, working days, due dates, NI64 anniversaries, tables.

Expected values are the worked checks of /work/shared/domain.md section 3 (day 0, England and
Wales) and dates counted by hand on a calendar; none comes from the code under test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from casetime.calendar import WorkingCalendar
from casetime.errors import CasetimeError, DateParseError
from casetime.records import (
    RECORD_CLASSES,
    ChildInNeedPlan,
    ChildProtectionPlan,
    CoreAssessment,
    InitialAssessment,
    Referral,
    Section47,
    SingleAssessment,
    records_to_table,
    table_to_records,
)
from casetime.schema import SCHEMAS
from casetime.tables import Table

D = dt.date


def test_every_record_type_has_a_class_with_the_standard_field_names() -> None:
    assert set(RECORD_CLASSES) == set(SCHEMAS)
    for kind, cls in RECORD_CLASSES.items():
        names = {f.name for f in dataclasses.fields(cls)}
        assert names == set(SCHEMAS[kind].columns), kind
        assert cls.clock_fields == SCHEMAS[kind].clock


def test_records_are_frozen_and_slotted() -> None:
    ia = InitialAssessment("A", "2009-01-05")
    with pytest.raises(AttributeError):
        ia.referral_date = D(2009, 1, 6)  # type: ignore[misc]
    assert not hasattr(ia, "__dict__")


def test_dates_are_coerced_from_iso_strings_datetimes_and_numpy() -> None:
    ia = InitialAssessment(" A1 ", "2009-01-05T10:30", np.datetime64("2009-01-14"), dt.datetime(2009, 1, 6, 23, 59))
    assert ia.child_id == "A1"
    assert ia.referral_date == D(2009, 1, 5)
    assert ia.completion_date == D(2009, 1, 14)
    assert ia.start_date == D(2009, 1, 6)
    assert type(ia.start_date) is dt.date
    assert InitialAssessment(123, "2009-01-05").child_id == "123"


def test_bad_dates_raise_date_parse_error_naming_the_field() -> None:
    with pytest.raises(DateParseError, match="completion_date"):
        InitialAssessment("A", "2009-01-05", "31/02/2009")
    with pytest.raises(DateParseError):
        Referral("A", "2009-02-30")


def test_missing_child_or_clock_start_is_an_error() -> None:
    with pytest.raises(CasetimeError, match="child_id"):
        Referral(None, "2009-01-05")  # type: ignore[arg-type]
    with pytest.raises(CasetimeError, match="child_id"):
        Referral("  ", "2009-01-05")
    with pytest.raises(CasetimeError, match="start_date") as info:
        CoreAssessment("SECRET-1", None)  # type: ignore[arg-type]
    assert "SECRET-1" not in str(info.value)  # an error never names the child


@pytest.mark.parametrize(
    ("start", "limit", "due"),
    [
        (D(2009, 1, 5), 7, D(2009, 1, 14)),
        (D(2008, 12, 19), 7, D(2009, 1, 2)),
        (D(2008, 12, 20), 7, D(2009, 1, 2)),
        (D(2009, 12, 24), 7, D(2010, 1, 7)),
        (D(2009, 3, 27), 7, D(2009, 4, 7)),
        (D(2020, 5, 1), 7, D(2020, 5, 13)),
        (D(2022, 5, 27), 10, D(2022, 6, 14)),
        (D(2022, 9, 12), 7, D(2022, 9, 22)),
        (D(2023, 5, 5), 1, D(2023, 5, 9)),
    ],
)
def test_initial_assessment_due_date_matches_the_worked_checks(start: dt.date, limit: int, due: dt.date) -> None:
    ia = InitialAssessment("A", start)
    assert ia.due_date(limit) == due
    done_on_due = InitialAssessment("A", start, due)
    assert done_on_due.working_days() == limit
    assert done_on_due.within(limit) is True
    late = InitialAssessment("A", start, due + dt.timedelta(days=1))
    # the day after the due date is a working day in every row of this table except a Saturday
    assert late.within(limit) is (due.weekday() == 4)


def test_core_assessment_35_days_over_christmas() -> None:
    ca = CoreAssessment("A", "2008-12-24", "2009-02-16")
    assert ca.clock_start == D(2008, 12, 24) and ca.clock_stop == D(2009, 2, 16)
    assert ca.due_date(35) == D(2009, 2, 16)
    assert ca.working_days() == 35
    assert ca.within(35) is True
    assert CoreAssessment("A", "2008-12-24", "2009-02-17").within(35) is False


def test_open_records_answer_none() -> None:
    assert InitialAssessment("A", "2009-01-05").working_days() is None
    assert InitialAssessment("A", "2009-01-05").within(7) is None
    assert InitialAssessment("A", "2009-01-05").clock_stop is None
    assert ChildProtectionPlan("A", "2009-01-05").lasted_at_least() is None


def test_stop_before_start_is_negative_and_never_within() -> None:
    ia = InitialAssessment("A", "2009-01-14", "2009-01-05")
    assert ia.working_days() == -7
    assert ia.within(7) is False


def test_weekend_start_adds_nothing_and_inclusive_is_one_day_shorter() -> None:
    ia = InitialAssessment("A", "2009-01-03", "2009-01-05")  # Saturday to Monday
    assert ia.working_days() == 1
    assert InitialAssessment("A", "2009-01-05").due_date(7, convention="inclusive") == D(2009, 1, 13)
    assert InitialAssessment("A", "2009-01-05", "2009-01-14").working_days(convention="inclusive") == 8


def test_single_assessment_clock_referral_or_start() -> None:
    # Mon 5 Jan 2015 referral, Fri 9 Jan start, Fri 6 Mar completion; no bank holiday in between
    sa = SingleAssessment("A", "2015-01-05", "2015-01-09", "2015-03-06")
    assert sa.working_days() == 44
    assert sa.working_days(clock="start") == 40
    assert sa.due_date(45) == D(2015, 3, 9)
    assert sa.due_date(45, clock="start") == D(2015, 3, 13)
    assert sa.within(43) is False and sa.within(43, clock="start") is True
    with pytest.raises(CasetimeError, match="clock"):
        sa.working_days(clock="census")  # type: ignore[arg-type]
    no_start = SingleAssessment("A", "2015-01-05", completion_date="2015-03-06")
    assert no_start.within(45, clock="start") is None
    with pytest.raises(CasetimeError, match="start_date"):
        no_start.due_date(45, clock="start")


def test_section_47_to_conference_and_referral_closure() -> None:
    s47 = Section47("A", "2009-01-05", "2009-01-27")  # 16 working days
    assert s47.working_days() == 16
    assert s47.within(15) is False
    assert s47.due_date(15) == D(2009, 1, 26)
    ref = Referral("A", "2009-04-09", "2009-04-14")  # Good Friday 10th and Easter Monday 13th closed
    assert ref.working_days() == 1


def test_a_custom_calendar_is_used() -> None:
    weekdays_only = WorkingCalendar([], start="2008-01-01", end="2010-12-31")
    ia = InitialAssessment("A", "2008-12-19", "2009-01-02")
    assert ia.working_days() == 7
    assert ia.working_days(calendar=weekdays_only) == 10


@pytest.mark.parametrize(
    ("start", "end", "years", "expected"),
    [
        ("2008-02-29", "2010-02-28", 2, True),  # 29 Feb + 2 years = 28 Feb
        ("2008-02-29", "2010-02-27", 2, False),
        ("2009-03-02", "2011-03-02", 2, True),
        ("2009-03-02", "2011-03-01", 2, False),
        ("2009-03-02", "2010-03-02", 1, True),
        ("2008-02-29", "2012-02-29", 4, True),
        ("2008-02-29", "2012-02-28", 4, False),
    ],
)
def test_plan_duration_is_anniversary_arithmetic(start: str, end: str, years: int, expected: bool) -> None:
    assert ChildProtectionPlan("A", start, end).lasted_at_least(years) is expected


def test_plan_review_dates_are_coerced_and_validated() -> None:
    plan = ChildProtectionPlan("A", "2009-01-05", review_dates=["2009-02-01", D(2009, 5, 1)])
    assert plan.review_dates == (D(2009, 2, 1), D(2009, 5, 1))
    with pytest.raises(CasetimeError, match="review_dates"):
        ChildProtectionPlan("A", "2009-01-05", review_dates="2009-02-01")  # type: ignore[arg-type]
    with pytest.raises(CasetimeError, match="missing") as info:
        ChildProtectionPlan("SECRET-1", "2009-01-05", review_dates=[None])  # type: ignore[list-item]
    assert "SECRET-1" not in str(info.value)


def _example_records() -> dict[str, list[object]]:
    return {
        "referral": [Referral("A", "2009-01-05", "2009-02-02"), Referral("B", "2009-01-06")],
        "initial_assessment": [InitialAssessment("A", "2009-01-05", "2009-01-14", "2009-01-06")],
        "core_assessment": [CoreAssessment("A", "2009-01-15"), CoreAssessment("C", "2009-01-16", "2009-02-20")],
        "single_assessment": [SingleAssessment("A", "2015-01-05", None, "2015-03-06")],
        "s47": [Section47("A", "2009-01-05", "2009-01-26", "2009-01-02")],
        "cpp": [
            ChildProtectionPlan("A", "2009-01-26", "2011-02-01", review_dates=("2009-04-20", "2009-10-19")),
            ChildProtectionPlan("B", "2009-03-02"),
        ],
        "cin_plan": [ChildInNeedPlan("A", "2023-05-02", "2023-06-30"), ChildInNeedPlan("B", "2023-07-03")],
    }


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_records_to_table_and_back(kind: str) -> None:
    records = _example_records()[kind]
    table = records_to_table(records)  # type: ignore[arg-type]
    assert isinstance(table, Table) and table.record_type == kind and len(table) == len(records)
    assert table.row is not None and table.row.tolist() == list(range(len(records)))
    assert table_to_records(table) == records


def test_records_to_table_columns() -> None:
    table = records_to_table(_example_records()["cpp"])  # type: ignore[arg-type]
    assert table.child.values().tolist() == ["A", "B"]
    assert table.dates["end_date"].tolist() == [D(2011, 2, 1), None]
    assert table.reviews is not None
    assert table.reviews.lists() == [[D(2009, 4, 20), D(2009, 10, 19)], []]


def test_records_to_table_refuses_mixed_and_needs_a_type_when_empty() -> None:
    with pytest.raises(CasetimeError, match="more than one type"):
        records_to_table([Referral("A", "2009-01-05"), CoreAssessment("A", "2009-01-05")])
    with pytest.raises(CasetimeError, match="record_type"):
        records_to_table([])
    empty = records_to_table([], "ia")
    assert empty.record_type == "initial_assessment" and len(empty) == 0
    assert table_to_records(empty) == []
    with pytest.raises(CasetimeError, match="referral"):
        records_to_table([Referral("A", "2009-01-05")], "cpp")


def test_table_to_records_ignores_extra_columns_and_names_bad_rows() -> None:
    table = Table.from_columns(
        "initial_assessment",
        {"child_id": ["A", "B"], "referral_date": ["2009-01-05", None], "team": ["North", "South"]},
        source="ia.csv",
        rows=[2, 3],
    )
    with pytest.raises(CasetimeError, match=r"ia\.csv row 3: .*referral_date"):
        table_to_records(table)
    assert table_to_records(table.take(np.array([0]))) == [InitialAssessment("A", "2009-01-05")]
