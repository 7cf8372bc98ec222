"""Tests of the public hypothesis strategies in casetime.testing."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

import casetime.testing as testing
from casetime.calendar import WorkingCalendar, england
from casetime.errors import CasetimeError
from casetime.schema import RECORD_TYPES, SCHEMAS
from casetime.tables import Table
from casetime.testing import Broken, Extract, breaking, dates, extracts, records, tables
from casetime.validation import RULES, validate

FIND = settings(max_examples=2000, database=None, deadline=None)


def test_public_api() -> None:
    assert sorted(testing.__all__) == [
        "BREAKERS", "Breaker", "Broken", "Extract", "Fault", "breaking", "breaks", "dates", "extracts", "records",
        "tables",
    ]  # fmt: skip


def test_importing_casetime_does_not_import_hypothesis() -> None:
    code = (
        "import sys, casetime, casetime.validation, casetime.quality, casetime.tables\n"
        "print('hypothesis' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_casetime_testing_without_hypothesis_says_what_to_install() -> None:
    code = (
        "import sys\n"
        "sys.modules['hypothesis'] = None\n"
        "try:\n"
        "    import casetime.testing\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "casetime.testing needs the 'hypothesis' package" in out.stdout
    assert "pip install hypothesis" in out.stdout


# ---------------------------------------------------------------------------
# dates
# ---------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(dates(min_value="2008-04-01", max_value="2009-03-31"))
def test_dates_stay_in_bounds(d: dt.date) -> None:
    assert dt.date(2008, 4, 1) <= d <= dt.date(2009, 3, 31)


@settings(max_examples=100, deadline=None)
@given(dates(WorkingCalendar(start="2009-01-10", end="2009-02-20")))
def test_dates_stay_in_a_calendars_coverage(d: dt.date) -> None:
    assert dt.date(2009, 1, 10) <= d <= dt.date(2009, 2, 20)


def test_dates_are_biased_towards_awkward_days() -> None:
    """Each awkward kind of day turns up within a modest number of examples (1 in ~300 uniformly)."""
    cal = england()
    strategy = dates(min_value="2000-01-01", max_value="2030-12-31")
    assert (
        cal.is_working_day(find(strategy, lambda d: d.weekday() < 5 and not cal.is_working_day(d), settings=FIND))
        is False
    )
    assert find(strategy, lambda d: (d.month, d.day) == (2, 29), settings=FIND).year % 4 == 0
    assert find(strategy, lambda d: (d.month, d.day) == (3, 31), settings=FIND).month == 3
    assert find(strategy, lambda d: (d + dt.timedelta(days=1)).day == 1, settings=FIND).day >= 28
    counts = {"weekend": 0, "other": 0}

    @settings(max_examples=300, deadline=None, database=None, derandomize=True)
    @given(strategy)
    def tally(d: dt.date) -> None:
        counts["weekend" if d.weekday() >= 5 else "other"] += 1

    tally()
    # uniform dates are weekend 2 days in 7 (29%); the bias adds more
    assert counts["weekend"] / (counts["weekend"] + counts["other"]) > 0.35


def test_dates_refuse_bounds_outside_coverage() -> None:
    with pytest.raises(CasetimeError, match="outside the calendar's coverage"):
        dates(min_value="1980-01-01")
    with pytest.raises(CasetimeError, match="no dates to draw"):
        dates(min_value="2009-02-01", max_value="2009-01-01")


# ---------------------------------------------------------------------------
# records and tables
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("record_type", RECORD_TYPES)
def test_records_have_the_standard_columns(record_type: str) -> None:
    @settings(max_examples=40, deadline=None)
    @given(records(record_type, extra_columns={"team": st.just("North")}))
    def check(record: dict[str, Any]) -> None:
        assert list(record) == [*SCHEMAS[record_type].columns, "team"]
        assert isinstance(record["child_id"], str) and record["child_id"].strip()
        for name in SCHEMAS[record_type].dates:
            assert record[name] is None or isinstance(record[name], dt.date)
        assert record[SCHEMAS[record_type].clock[0]] is not None

    check()


@pytest.mark.parametrize("record_type", [k for k in RECORD_TYPES if k != "s47"])
def test_open_and_closed_records_are_both_generated(record_type: str) -> None:
    stop = SCHEMAS[record_type].clock[1]
    strategy = records(record_type)
    assert find(strategy, lambda r: r[stop] is None, settings=FIND)[stop] is None
    assert find(strategy, lambda r: r[stop] is not None, settings=FIND)[stop] is not None


def test_same_day_completion_is_generated() -> None:
    record = find(records("initial_assessment"), lambda r: r["completion_date"] == r["referral_date"], settings=FIND)
    assert record["completion_date"] == record["referral_date"]


def test_records_refuse_extra_columns_named_like_standard_ones() -> None:
    with pytest.raises(CasetimeError, match="clash"):
        records("cpp", extra_columns={"end_date": st.just("x")})


@settings(max_examples=40, deadline=None)
@given(tables("cpp", 2, 9))
def test_tables_have_the_size_asked_for(table: Table) -> None:
    assert table.record_type == "cpp" and 2 <= len(table) <= 9
    assert table.reviews is not None and table.reviews.offsets.shape == (len(table) + 1,)


def test_tables_hold_several_records_of_one_child() -> None:
    def repeated(t: Table) -> bool:
        return len(t) > len(set(t.child.codes.tolist()))

    assert repeated(find(tables("cpp", 0, 10), repeated, settings=FIND))
    assert repeated(find(tables("referral", 0, 10), repeated, settings=FIND))


def test_tables_argument_errors() -> None:
    with pytest.raises(CasetimeError, match="min_size"):
        tables("cpp", 5, 2)
    with pytest.raises(CasetimeError, match="unknown record type"):
        tables("care leaver")


# ---------------------------------------------------------------------------
# breaking
# ---------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(breaking("8940"))
def test_breaking_two_plan_rules_give_one_child(case: Broken) -> None:
    assert len(case.records) == 2
    assert case.records[0]["child_id"] == case.records[1]["child_id"]
    assert {row for row, _ in case.flagged} == {0, 1}
    assert case.table().record_type == "cpp" and len(case.table()) == 2


@settings(max_examples=30, deadline=None)
@given(breaking("duplicate"))
def test_breaking_duplicate_gives_two_equal_records(case: Broken) -> None:
    assert case.records[0] == case.records[1] and case.flagged == ((1, "record"),)


@settings(max_examples=30, deadline=None)
@given(breaking("after_as_at", as_at="2012-03-31"))
def test_breaking_after_as_at_moves_one_date_past_it(case: Broken) -> None:
    (record,) = case.records
    ((_, field),) = case.flagged
    later = record[field] if field != "review_dates" else max(record[field])
    assert later > dt.date(2012, 3, 31)
    others = [v for k, v in record.items() if k not in (field, "child_id", "review_dates") and v is not None]
    assert all(v <= dt.date(2012, 3, 31) for v in others)


def test_breaking_argument_errors() -> None:
    with pytest.raises(CasetimeError, match="unknown rule"):
        breaking("1234")
    with pytest.raises(CasetimeError, match="does not apply to referral"):
        breaking("8925", "referral")
    with pytest.raises(CasetimeError, match="needs as_at"):
        breaking("after_as_at")
    with pytest.raises(CasetimeError, match="no date after as_at"):
        breaking("after_as_at", as_at="2040-12-31")
    with pytest.raises(CasetimeError, match="too short"):
        breaking("1103", min_value="2009-01-05", max_value="2009-01-05")


PAIRS = [(code, kind) for code, rule in RULES.items() for kind in rule.record_types]


@pytest.mark.parametrize(("rule", "kind"), PAIRS, ids=[f"{r}-{k}" for r, k in PAIRS])
def test_every_rule_can_be_broken_for_every_record_type_it_applies_to(rule: str, kind: str) -> None:
    @settings(max_examples=5, deadline=None, database=None)
    @given(breaking(rule, kind, as_at="2030-01-01" if rule in ("after_as_at", "8670Q", "8675Q") else None))
    def check(case: Broken) -> None:
        assert case.rule == rule and case.record_type == kind and case.flagged
        assert all(0 <= row < len(case.records) for row, _ in case.flagged)

    check()


# ---------------------------------------------------------------------------
# extracts
# ---------------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(extracts(size=12, fault_rate=0.5, record_types=["referral", "cpp"], sources=3))
def test_extracts_have_the_size_types_and_sources_asked_for(ex: Extract) -> None:
    assert list(ex.tables) == ["referral", "cpp"]
    for kind, table in ex.tables.items():
        assert len(table) == 12
        names = table.source.values()
        assert set(names.tolist()) <= {f"{kind}_{k}.csv" for k in (1, 2, 3)}
        for name in set(names.tolist()):
            rows = table.row[names == name]
            assert rows.tolist() == list(range(2, 2 + rows.size))  # spreadsheet numbering per file
    for fault in ex.faults:
        assert fault.rule in RULES and 0 <= fault.row < 12
        assert fault.record_type in RULES[fault.rule].record_types
    assert all(f.rule != "after_as_at" for f in ex.faults)  # no as_at given


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(extracts(size=10, fault_rate=1.0, record_types=["s47"], rules=["8615", "2889"]))
def test_extracts_fault_rate_one_and_chosen_rules(ex: Extract) -> None:
    assert ex.faulty_rows("s47") == frozenset(range(10))
    assert {f.rule for f in ex.faults} <= {"8615", "2889"}
    found = validate(ex.tables).counts_by_rule("error")  # (outlier_date warnings are about the spread)
    assert sum(found.values()) == 10


def test_extracts_of_size_zero() -> None:
    ex = find(extracts(size=0), lambda e: True, settings=settings(max_examples=1, database=None))
    assert all(len(t) == 0 for t in ex.tables.values()) and ex.faults == ()
    assert len(validate(ex.tables)) == 0


def test_extracts_argument_errors() -> None:
    with pytest.raises(CasetimeError, match="fault_rate"):
        extracts(fault_rate=1.5)
    with pytest.raises(CasetimeError, match="size"):
        extracts(size=-1)
    with pytest.raises(CasetimeError, match="sources"):
        extracts(sources=0)
    with pytest.raises(CasetimeError, match="unknown rule"):
        extracts(rules=["nope"])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extracts(size=12, fault_rate=0.5, record_types=["cpp"], rules=["8840"]))
def test_fault_positions_follow_the_shuffled_rows(ex: Extract) -> None:
    """The faults point at the rows that really hold the broken dates, whatever the row order."""
    table = ex.tables["cpp"]
    same_day = np.flatnonzero(table.dates["start_date"] == table.dates["end_date"])
    assert set(same_day.tolist()) == ex.faulty_rows("cpp") == {f.row for f in ex.faults}
