"""What compute reads: one frame path (compute(df) == compute(load(df))), the extract's calendar and 'as at',
and limits that change with the era, each record judged against the limit in force on its clock start."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import casetime
from casetime.engine import compute, compute_all, open_cases
from casetime.errors import CasetimeError
from casetime.extract import load
from casetime.indicators import IA_WORKING_TOGETHER_2010, NI59, NI64, Limit, LimitSchedule
from casetime.results import ResultTable
from support import pd

# UK dates, an impossible date (31/02), an exact duplicate (rows 0 and 3), a missing completion, a team
COLUMNS: dict[str, list[Any]] = {
    "Child ID": ["A", "B", "C", "A", "D", "E"],
    "Date of referral": ["05/01/2009", "05/01/2009", "31/02/2009", "05/01/2009", "12/01/2009", "13/01/2009"],
    "Date completed": ["14/01/2009", "15/01/2009", "20/02/2009", "14/01/2009", None, "12/01/2009"],
    "Team": ["North", "South", "North", "North", "South", "North"],
}


def rows(result: ResultTable) -> list[tuple[Any, ...]]:
    return [(r.key, r.numerator, r.denominator, tuple(sorted(r.left_out.items()))) for r in result]


def frame_of(kind: str) -> Any:
    """The columns as a pandas or polars DataFrame (skipped where the library is missing) or a dict."""
    if kind == "pandas":
        return pd.DataFrame(COLUMNS)
    if kind == "polars":
        return pytest.importorskip("polars", reason="needs polars, which is not installed here").DataFrame(COLUMNS)
    return dict(COLUMNS)


@pytest.mark.parametrize("kind", ["pandas", "polars", "dict"])
@pytest.mark.parametrize("by", [(), ("month",), ("month", "Team")])
def test_compute_on_a_frame_is_compute_on_its_load(kind: str, by: tuple[str, ...]) -> None:
    frame = frame_of(kind)
    direct = compute(NI59, frame, "2008/09", by=by)
    loaded = compute(NI59, load(frame, record_type="ia"), "2008/09", by=by)
    assert rows(direct) == rows(loaded)
    total = direct.total()
    # A within 7 (14 Jan), B 8 days (15 Jan); C's referral is unreadable and E completed before its
    # referral (8608); the second A is a duplicate; D is still open
    assert (total.numerator, total.denominator) == (1, 2)
    assert {k: v for k, v in total.left_out.items() if v} == {"invalid": 3, "still_open": 1}
    assert direct.reconciliation() == {"population": 6, "counted": 2, "invalid": 3, "still_open": 1}
    assert direct.cases().to_dict()["rows"] == loaded.cases().to_dict()["rows"]


def test_a_combined_frame_is_read_once_for_every_indicator() -> None:
    frame = pd.DataFrame(
        {
            "record_type": ["ia", "ia", "cpp", "cpp"],
            "child_id": ["A", "B", "C", "C"],
            "referral_date": ["05/01/2009", "05/01/2009", None, None],
            "completion_date": ["14/01/2009", "15/01/2009", None, None],
            "start_date": [None, None, "01/02/2007", "01/02/2007"],
            "end_date": [None, None, "02/03/2009", "02/03/2009"],
        }
    )
    direct = compute_all(frame, "2008/09")
    loaded = compute_all(load(frame), "2008/09")
    assert sorted(direct) == sorted(loaded) == ["NI59", "NI64"]
    for key in direct:
        assert rows(direct[key]) == rows(loaded[key])
    assert direct["NI64"].total().left_out["invalid"] == 1  # the duplicate plan


def test_compute_uses_the_calendar_the_extract_was_validated_with() -> None:
    frame = {"child_id": ["A"], "referral_date": ["2008-12-19"], "completion_date": ["2009-01-05"]}
    plain = load(frame, record_type="ia")
    closed = casetime.england().with_closures(["2008-12-24", "2008-12-31"])
    local = load(frame, record_type="ia", calendar=closed)
    assert local.calendar is closed and plain.calendar is casetime.england()
    # 19 Dec 2008 -> 5 Jan 2009: 22, 23, 24, 29, 30, 31 Dec, 2, 5 Jan = 8 working days; 6 with the closures
    assert compute(NI59, plain, "2008/09").total().numerator == 0
    assert compute(NI59, local, "2008/09").total().numerator == 1
    assert compute(NI59, local, "2008/09", calendar=casetime.england()).total().numerator == 0  # explicit wins
    assert compute(NI59, local, "2008/09").settings["calendar_days"] == closed.fingerprint


def test_a_frame_of_one_type_is_read_once_as_that_type_or_refused() -> None:
    # the columns fit a plan only: NI64 alone (before, NI59 and NI60 read the same row as an open assessment)
    plans = {
        "child_id": ["C"],
        "start_date": ["2007-02-01"],
        "end_date": ["2009-03-02"],
        "referral_date": ["2007-01-05"],
    }
    results = compute_all(plans, "2008/09")
    assert sorted(results) == ["NI64"] and results["NI64"].total().denominator == 1
    # these fit an initial and a single assessment alike: refused, unless the type is given
    assessments = {"child_id": ["A"], "referral_date": ["2009-01-05"], "completion_date": ["2009-01-08"]}
    with pytest.raises(CasetimeError, match="cannot tell the record type from the columns"):
        compute_all(assessments, "2008/09")
    assert compute_all(assessments, "2008/09", record_type="ia")["NI59"].total().numerator == 1
    with pytest.raises(CasetimeError, match="record_type= is for a frame"):
        compute_all(load(plans), "2008/09", record_type="cpp")


def test_compute_all_names_its_defaults_by_id_so_a_registered_definition_is_used() -> None:
    frame = {"child_id": ["A"], "referral_date": ["2009-01-05"], "completion_date": ["2009-01-15"]}  # 8 days
    assert compute_all(frame, "2008/09", record_type="ia")["NI59"].total().numerator == 0
    casetime.indicators.register(NI59.with_limit(10), replace=True)
    try:
        assert compute_all(frame, "2008/09", record_type="ia")["NI59"].total().numerator == 1
    finally:
        casetime.indicators.unregister("NI59")


def test_a_dict_of_tables_may_name_its_types_as_load_does() -> None:
    extract = load(
        {"child_id": ["A"], "referral_date": ["2009-01-05"], "completion_date": ["2009-01-08"]}, record_type="ia"
    )
    assert compute(NI59, {"IA": extract["ia"]}, "2008/09").total().numerator == 1
    assert sorted(compute_all({"ia": extract["ia"]}, "2008/09")) == ["NI59"]


def test_a_calendar_that_is_not_one_is_a_type_error_everywhere() -> None:
    frame = {"child_id": ["A"], "referral_date": ["2009-01-05"], "completion_date": ["2009-01-08"]}
    extract = load(frame, record_type="ia")
    calls = [
        lambda: load(frame, record_type="ia", calendar="england"),
        lambda: casetime.validate(extract.tables, calendar="england"),
        lambda: compute(NI59, extract, "2008/09", calendar="england"),
        lambda: open_cases(NI59, extract, "2009-01-06", calendar="england"),
    ]
    for call in calls:
        with pytest.raises(TypeError, match="calendar must be a WorkingCalendar, not str"):
            call()


def test_a_calendar_of_another_coverage_than_the_extracts_is_refused() -> None:
    frame = {"child_id": ["A"], "referral_date": ["2008-12-29"], "completion_date": ["2009-01-08"]}
    narrow = casetime.england("2009-01-01", "2009-12-31")
    extract = load(frame, record_type="ia", calendar=narrow)  # the referral is outside: the row is in error
    assert compute(NI59, extract, "2009-01").total().left_out["invalid"] == 1
    for call in (
        lambda: compute(NI59, extract, "2009-01", calendar=casetime.england()),
        lambda: open_cases(NI59, extract, "2009-01-06", calendar=casetime.england()),
    ):
        with pytest.raises(CasetimeError, match=r"validated with a calendar covering 2009-01-01\.\.2009-12-31"):
            call()


def test_open_work_the_calendar_cannot_count_is_refused_not_left_out() -> None:
    narrow = casetime.england("2009-01-01", "2009-12-31")
    frame = {"child_id": ["A", "B"], "referral_date": ["2008-12-29", "2009-01-12"], "completion_date": [None, None]}
    table = load(frame, record_type="ia")["ia"]  # a bare table: no calendar of its own
    with pytest.raises(casetime.CalendarRangeError, match="the clock start of 1 open record"):
        open_cases(NI59, table, "2009-01-20", calendar=narrow)
    # the whole calendar lists both: A overdue; B (12 Jan + 7 working days = 21 Jan) due in one working day
    late = open_cases(NI59, table, "2009-01-20", due_within=5)
    assert [(r["child_id"], r["status"]) for r in late.records()] == [("A", "overdue"), ("B", "due_soon")]
    # 31 Dec 2009 is 20 working days or so after 1 Dec: a window of 30 runs past the calendar's end
    recent = load({"child_id": ["C"], "referral_date": ["2009-12-01"], "completion_date": [None]}, record_type="ia")
    with pytest.raises(casetime.CalendarRangeError, match="the due-soon window"):
        open_cases(NI59, recent["ia"], "2009-12-01", calendar=narrow, due_within=30)
    assert len(open_cases(NI59, recent["ia"], "2009-12-01", calendar=narrow, due_within=5)) == 0


def test_open_cases_default_to_the_extracts_as_at_date() -> None:
    frame = {"child_id": ["A", "B"], "referral_date": ["2009-01-05", "2009-01-12"], "completion_date": [None, None]}
    extract = load(frame, record_type="ia", as_at="2009-01-20")
    assert extract.as_at == dt.date(2009, 1, 20)
    late = open_cases(NI59, extract)
    assert [(r["child_id"], r["status"]) for r in late.records()] == [("A", "overdue")]
    assert late.title == "NI59 open at 2009-01-20"
    with pytest.raises(CasetimeError, match="as_at is missing"):
        open_cases(NI59, load(frame, record_type="ia"))


# ---------------------------------------------------------------------------
# limits across eras
# ---------------------------------------------------------------------------

# Two initial assessments of 8 working days each, either side of 1 April 2010 (Easter: 2 and 5 April):
# 31 Mar -> 14 Apr is 1, 6, 7, 8, 9, 12, 13, 14 April; 1 Apr -> 15 Apr is 6, 7, 8, 9, 12, 13, 14, 15 April.
ERAS = {
    "child_id": ["A", "B"],
    "referral_date": ["2010-03-31", "2010-04-01"],
    "completion_date": ["2010-04-14", "2010-04-15"],
}


def test_each_record_is_judged_against_the_limit_of_its_own_era() -> None:
    pairs = zip(ERAS["referral_date"], ERAS["completion_date"], strict=True)
    assert [casetime.working_days_between(a, b) for a, b in pairs] == [8, 8]
    extract = load(ERAS, record_type="ia")
    for limit, within in ((7, 0), (10, 2), (IA_WORKING_TOGETHER_2010, 1)):
        total = compute(NI59.with_limit(limit), extract, "2010/11").total()
        assert (total.numerator, total.denominator) == (within, 2), limit
    cases = compute(NI59.with_limit(IA_WORKING_TOGETHER_2010), extract, "2010/11").cases().records()
    assert [(c["child_id"], c["due_date"], c["in_numerator"]) for c in cases] == [
        ("A", dt.date(2010, 4, 13), False),  # 7 working days from 31 March
        ("B", dt.date(2010, 4, 19), True),  # 10 working days from 1 April: 6, 7, 8, 9, 12, 13, 14, 15, 16, 19
    ]
    assert cases[0]["over_limit"] == 1 and cases[1]["over_limit"] == 0


def test_the_schedule_is_named_in_the_heading_and_the_results() -> None:
    ind = NI59.with_limit(IA_WORKING_TOGETHER_2010)
    assert ind.heading == "initial assessments carried out within 7 (10 from 2010-04-01) working days of referral"
    data = compute(ind, load(ERAS, record_type="ia"), "2010/11").to_dict()["indicator"]
    assert data["limit"] == "7 (10 from 2010-04-01)"
    assert [(r["from"], r["limit"]) for r in data["limits"]] == [(None, 7), ("2010-04-01", 10)]


def test_open_work_is_due_by_the_limit_of_its_own_era() -> None:
    frame = {"child_id": ["A", "B"], "referral_date": ["2010-03-31", "2010-04-01"], "completion_date": [None, None]}
    late = open_cases(NI59.with_limit(IA_WORKING_TOGETHER_2010), load(frame, record_type="ia"), "2010-04-16")
    assert [(r["child_id"], r["due_date"], r["status"]) for r in late.records()] == [
        ("A", dt.date(2010, 4, 13), "overdue")
    ]


def test_a_plan_schedule_in_years() -> None:
    plans = {"child_id": ["A", "B"], "start_date": ["2008-05-01", "2008-06-01"], "end_date": ["2009-06-10"] * 2}
    schedule = LimitSchedule("plans", (Limit(None, 2), Limit("2008-06-01", 1)))
    total = compute(NI64.with_limit(schedule).with_counting("record"), load(plans, record_type="cpp"), "2009/10")
    assert (total.total().numerator, total.total().denominator) == (1, 2)  # only B reached its (one year) limit


def test_a_schedule_must_start_from_the_beginning_and_go_forward() -> None:
    with pytest.raises(CasetimeError, match="from the beginning"):
        LimitSchedule("x", (Limit("2010-04-01", 10),))
    with pytest.raises(CasetimeError, match="increasing start dates"):
        LimitSchedule("x", (Limit(None, 7), Limit("2010-04-01", 10), Limit("2010-04-01", 12)))
    with pytest.raises(CasetimeError, match="whole number"):
        Limit(None, -1)
    for missing in ("", float("nan"), "NaT"):  # a blank start is refused, never read as "from the beginning"
        with pytest.raises(CasetimeError, match="a limit's start must be a date"):
            Limit(missing, 10)  # type: ignore[arg-type]
    assert IA_WORKING_TOGETHER_2010.limit_on("2010-03-31") == 7 and IA_WORKING_TOGETHER_2010.limit_on(None) == 7


def test_a_grouping_name_that_fits_two_columns_is_refused() -> None:
    from casetime.engine.inputs import split_by
    from casetime.tables import Table

    t = Table.from_columns("ia", {"child_id": ["A"], "referral_date": ["2009-01-05"], "Team": ["N"], "TEAM": ["S"]})
    assert split_by(["TEAM"], t) == (None, ("TEAM",))  # as written wins
    with pytest.raises(ValueError, match="cannot group by 'team': it fits 'Team' and 'TEAM'; name one as written"):
        split_by("team", t)
