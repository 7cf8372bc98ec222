"""Property tests: the engine against a plain-Python, record-by-record reference.

The reference below is written for clarity, not speed: it walks the days one by
one asking the calendar's scalar ``is_working_day``, adds years with
``dateutil.relativedelta``, and counts children with Python sets. Random
extracts come from hypothesis strategies defined here.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import numpy as np
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from casetime.calendar import WorkingCalendar, england
from casetime.engine import compute, counting
from casetime.indicators import ICPC15, NI59, NI60, NI64, SA45, Indicator, Limit, LimitSchedule
from casetime.periods import FinancialYear, Month, Period, Quarter, Rolling12, YearToDate
from casetime.tables import Table

# A calendar that stops short, so that some clock starts fall outside it ("invalid").
CAL = england("2006-01-01", "2011-12-31")
CAL_FIRST = dt.date(2006, 1, 1)
STOP_FROM = dt.date(2008, 2, 1)  # random stop dates run from here for 640 days

STARTED = Indicator(
    id="START7",
    title="assessments started in the period and completed within {limit} working days",
    record_type="initial_assessment",
    clock_start="referral_date",
    clock_stop="completion_date",
    limit=7,
    unit="working_days",
    population="started_in_period",
)
LONG_CA = Indicator(
    id="CA20+", title="core assessments lasting at least {limit} working days", record_type="core_assessment",
    clock_start="start_date", clock_stop="completion_date", limit=20, unit="working_days", comparison="at_least",
    polarity="lower",
)  # fmt: skip
SHORT_PLAN = Indicator(
    id="CPP1", title="plans ending within {limit} year", record_type="cpp", clock_start="start_date",
    clock_stop="end_date", limit=1, unit="years", population="ended_in_period", counting="child",
)  # fmt: skip

DEFINITIONS: list[tuple[Indicator, str]] = [
    (NI59, "day0"),
    (NI59.with_limit(10), "day0"),
    (NI59, "inclusive"),
    (NI60, "day0"),
    (NI64, "day0"),
    (NI64.with_counting("record"), "day0"),
    (SA45, "day0"),
    (SA45.with_clock_start("start_date"), "day0"),
    (ICPC15, "day0"),
    (STARTED, "day0"),
    (LONG_CA, "inclusive"),
    (SHORT_PLAN, "day0"),
    # limits that change with the era, looked up per record by its clock start
    (NI59.with_limit(LimitSchedule("eras", (Limit(None, 7), Limit("2008-10-01", 10), Limit("2009-03-02", 3)))), "day0"),
    (LONG_CA.with_limit(LimitSchedule("eras", (Limit(None, 20), Limit("2008-12-25", 5)))), "inclusive"),
    (NI64.with_limit(LimitSchedule("eras", (Limit(None, 2), Limit("2008-06-01", 1)))), "day0"),
]

PERIODS: list[Period] = [
    FinancialYear(2008),
    Quarter(2008, 3),
    Month(2009, 2),
    YearToDate(Month(2009, 1)),
    Rolling12(Month(2009, 9)),
    Period("2008-11-15", "2009-05-20"),
]
GROUPINGS: list[tuple[str, ...]] = [(), ("month",), ("quarter",), ("year",), ("team",), ("month", "team")]


# -- random extracts ----------------------------------------------------------------------------------


@dataclass
class Record:
    child: str | None
    start: dt.date | None
    stop: dt.date | None
    team: str | None


@dataclass
class Extract:
    """A minimal extract: tables plus a quality report with an error mask (duck-typed)."""

    tables: dict[str, Table]
    errors: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def quality(self) -> Extract:
        return self

    def error_mask(self, record_type: str) -> np.ndarray:
        return self.errors[record_type]


@st.composite
def records(draw: Any, years: bool) -> list[Record]:
    """Up to 30 records, most of them stopping in or near 2008/09, some faulty."""
    n = draw(st.integers(0, 30))
    out = []
    for _ in range(n):
        child = draw(st.sampled_from(["c0", "c1", "c2", "c3", "c4", "c5", None]))
        stop: dt.date | None = STOP_FROM + dt.timedelta(days=draw(st.integers(0, 640)))
        if years:
            span = draw(st.one_of(st.integers(-3, 40), st.integers(330, 400), st.integers(700, 760)))
        else:
            span = draw(st.one_of(st.integers(-3, 16), st.integers(0, 60)))
        assert stop is not None
        start: dt.date | None = stop - dt.timedelta(days=span)
        start_kind = draw(st.integers(0, 19))
        if start_kind == 0:
            start = None
        elif start_kind == 1:
            start = dt.date(2005, 12, draw(st.integers(1, 31)))  # before the calendar's coverage
        elif start_kind == 2 and years:
            start = dt.date(draw(st.sampled_from([2006, 2007, 2008])), 2, 28) + dt.timedelta(days=1)
        if draw(st.integers(0, 11)) == 0:
            stop = None
        team = draw(st.sampled_from(["North", "South", None]))
        out.append(Record(child, start, stop, team))
    return out


def to_table(indicator: Indicator, recs: list[Record]) -> Table:
    return Table.from_columns(
        indicator.record_type,
        {
            "child_id": [r.child for r in recs],
            indicator.clock_start: np.array([r.start for r in recs], dtype="M8[D]"),
            indicator.clock_stop: np.array([r.stop for r in recs], dtype="M8[D]"),
            "team": [r.team for r in recs],
        },
    )


# -- the reference ------------------------------------------------------------------------------------------


def ref_elapsed(cal: WorkingCalendar, start: dt.date, stop: dt.date, convention: str) -> int:
    """Working days d with start < d <= stop, walking the days (start <= stop)."""
    count = 0
    day = start + dt.timedelta(days=1)
    while day <= stop:
        if cal.is_working_day(day):
            count += 1
        day += dt.timedelta(days=1)
    if convention == "inclusive" and cal.is_working_day(start):
        count += 1
    return count


def ref_window(day: dt.date, unit: str | None, period: Period) -> str:
    if unit is None:
        return period.label
    if unit == "month":
        return f"{day.year:04d}-{day.month:02d}"
    fy = day.year if day.month >= 4 else day.year - 1
    if unit == "year":
        return f"{fy}/{(fy + 1) % 100:02d}"
    quarter = ((day.month - 4) % 12) // 3 + 1
    return f"{fy}/{(fy + 1) % 100:02d} Q{quarter}"


def reference(
    indicator: Indicator,
    recs: list[Record],
    period: Period,
    by: tuple[str, ...],
    convention: str,
    errors: set[int],
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Row key -> {num, den, left_out}, computed one record at a time."""
    unit = next((b for b in by if b in ("month", "quarter", "year")), None)
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for i, r in enumerate(recs):
        # placed by the clock start for "started" populations, else by the stop (the start if still open)
        by_start = indicator.population == "started_in_period" or r.stop is None
        place = r.start if by_start else r.stop
        if place is None or not (period.start <= place <= period.end):
            continue
        key = tuple(ref_window(place, unit, period) if b == unit else r.team for b in by)
        row = out.setdefault(key, {"num": set(), "den": set(), "nrec": 0, "drec": 0, "left": {}})
        reason = None
        if i in errors or (indicator.counting == "child" and r.child is None):
            reason = "invalid"
        elif r.stop is None:
            reason = "still_open"
        elif r.start is None:
            reason = "missing_start"
        elif indicator.unit == "working_days" and r.start < CAL_FIRST:
            reason = "invalid"
        elif r.stop < r.start:
            reason = "completed_before_start"
        if reason is not None:
            row["left"][reason] = row["left"].get(reason, 0) + 1
            continue
        assert r.start is not None and r.stop is not None
        limit = indicator.schedule.limit_on(r.start)  # the limit in force on the clock start
        if indicator.unit == "working_days":
            elapsed = ref_elapsed(CAL, r.start, r.stop, convention)
            hit = elapsed <= limit if indicator.comparison == "within" else elapsed >= limit
        else:
            anniversary = r.start + relativedelta(years=limit)
            hit = r.stop >= anniversary if indicator.comparison == "at_least" else r.stop <= anniversary
        who = r.child if indicator.counting == "child" else i
        row["den"].add(who)
        row["drec"] += 1
        if hit:
            row["num"].add(who)
            row["nrec"] += 1
    return {k: {"num": len(v["num"]), "den": len(v["den"]), "left": v["left"]} for k, v in out.items()}


def engine_rows(result: Any) -> dict[tuple[Any, ...], dict[str, Any]]:
    out = {}
    for row in result:
        key = tuple(v for _, v in row.key)
        out[key] = {
            "num": row.numerator,
            "den": row.denominator,
            "left": {k: v for k, v in row.left_out.items() if v},
        }
    return out


def drop_empty(rows: dict[tuple[Any, ...], dict[str, Any]]) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {k: v for k, v in rows.items() if v["den"] or v["left"]}


# -- properties ------------------------------------------------------------------------------------------------

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def cases(draw: Any) -> tuple[Indicator, str, list[Record], Period, tuple[str, ...], set[int]]:
    indicator, convention = draw(st.sampled_from(DEFINITIONS))
    recs = draw(records(indicator.unit == "years"))
    period = draw(st.sampled_from(PERIODS))
    by = draw(st.sampled_from(GROUPINGS))
    errors = set(draw(st.sets(st.integers(0, max(len(recs) - 1, 0)), max_size=3))) if recs else set()
    return indicator, convention, recs, period, by, errors


@SETTINGS
@given(cases())
def test_engine_equals_reference(case: tuple[Indicator, str, list[Record], Period, tuple[str, ...], set[int]]) -> None:
    indicator, convention, recs, period, by, errors = case
    table = to_table(indicator, recs)
    mask = np.zeros(len(recs), dtype=bool)
    mask[list(errors)] = True
    extract = Extract({indicator.record_type: table}, {indicator.record_type: mask})
    result = compute(indicator, extract, period, by=by, calendar=CAL, convention=convention)  # type: ignore[arg-type]
    expected = reference(indicator, recs, period, by, convention, errors)
    got = engine_rows(result)
    assert drop_empty(got) == expected
    # every time window of the period has a row for every group present, even when empty
    if by and by[0] in ("month", "quarter", "year"):
        labels = [p.label for p in period.split(by[0])]
        groups = {tuple(v for _, v in r.key[1:]) for r in result} or ({()} if len(by) == 1 else set())
        got_keys = [tuple(v for _, v in r.key) for r in result]
        assert len(got_keys) == len(set(got_keys))
        assert set(got_keys) == {(label, *g) for label in labels for g in groups}
    for row in result:
        if row.denominator == 0:
            assert row.value is None and row.display is None and row.status is None


@SETTINGS
@given(cases(), st.sampled_from([1, 2, 3, 7]))
def test_chunked_counting_equals_one_pass(
    case: tuple[Indicator, str, list[Record], Period, tuple[str, ...], set[int]], chunk: int
) -> None:
    """The engine works through big tables in chunks; tiny chunks must give the same rows as one pass."""
    indicator, convention, recs, period, by, errors = case
    mask = np.zeros(len(recs), dtype=bool)
    mask[list(errors)] = True
    extract = Extract({indicator.record_type: to_table(indicator, recs)}, {indicator.record_type: mask})
    kw: dict[str, Any] = {"by": by, "calendar": CAL, "convention": convention}
    one_pass = compute(indicator, extract, period, **kw)
    with mock.patch.object(counting, "CHUNK", chunk):
        chunked = compute(indicator, extract, period, **kw)
    assert engine_rows(chunked) == engine_rows(one_pass)
    assert chunked.total().denominator == one_pass.total().denominator


@SETTINGS
@given(st.sampled_from(DEFINITIONS), st.data())
def test_months_add_up_to_quarters_and_quarters_to_the_year(definition: tuple[Indicator, str], data: Any) -> None:
    indicator, convention = definition
    recs = data.draw(records(indicator.unit == "years"))
    table = to_table(indicator, recs)
    period = FinancialYear(2008)
    kw: dict[str, Any] = {"calendar": CAL, "convention": convention}
    months = compute(indicator, table, period, by="month", **kw)
    quarters = compute(indicator, table, period, by="quarter", **kw)
    year = compute(indicator, table, period, **kw).get()
    for q, quarter in enumerate(quarters):
        parts = [m for m in months if m.period.start >= quarter.period.start and m.period.end <= quarter.period.end]
        assert len(parts) == 3
        if indicator.counting == "record":
            assert quarter.numerator == sum(m.numerator for m in parts)
            assert quarter.denominator == sum(m.denominator for m in parts)
        else:  # a child is counted once per row: the quarter is the union of its months
            assert quarter.denominator <= sum(m.denominator for m in parts)
        for reason in quarter.left_out:
            assert quarter.left_out[reason] == sum(m.left_out[reason] for m in parts), q
    if indicator.counting == "record":
        assert year.numerator == sum(q.numerator for q in quarters)
        assert year.denominator == sum(q.denominator for q in quarters)
    # total() of a grouped result is the ungrouped result, children counted once; the records placed
    # in no row are in the totals only
    whole = compute(indicator, table, period, **kw).total()
    assert {k: v for k, v in whole.left_out.items() if k in year.left_out} == year.left_out
    for grouped in (months, quarters):
        total = grouped.total()
        assert (total.numerator, total.denominator, total.left_out) == (
            whole.numerator,
            whole.denominator,
            whole.left_out,
        )


@SETTINGS
@given(cases(), st.data())
def test_split_anywhere_and_merge_gives_the_whole(
    case: tuple[Indicator, str, list[Record], Period, tuple[str, ...], set[int]], data: Any
) -> None:
    indicator, convention, recs, period, by, _ = case
    table = to_table(indicator, recs)
    kw: dict[str, Any] = {"by": by, "calendar": CAL, "convention": convention}
    whole = compute(indicator, table, period, **kw)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(recs)), max_size=3)))
    bounds = [0, *cuts, len(recs)]
    chunks = [recs[a:b] for a, b in itertools.pairwise(bounds)]
    # each chunk is built on its own (its own child labels), as a larger engine would
    parts = [compute(indicator, to_table(indicator, chunk), period, **kw) for chunk in chunks]
    merged = sum(parts[1:], parts[0])
    assert drop_empty(engine_rows(merged)) == drop_empty(engine_rows(whole))
    assert [r.key for r in merged if r.denominator or r.left_out_total] == [
        r.key for r in whole if r.denominator or r.left_out_total
    ]
    total_m, total_w = merged.total(), whole.total()
    assert (total_m.numerator, total_m.denominator) == (total_w.numerator, total_w.denominator)
    assert len(merged.cases()) == len(whole.cases())


def ref_outside(indicator: Indicator, recs: list[Record], period: Period) -> dict[str, int]:
    """The records placed in no row of the period, by reason, one record at a time."""
    out: dict[str, int] = {}
    for r in recs:
        started = indicator.population == "started_in_period"
        place = r.start if started or r.stop is None else r.stop
        if place is None:
            reason = "no_readable_date"
        elif period.start <= place <= period.end:
            continue
        elif started:
            reason = "clock_start_outside_period"
        elif r.stop is None:
            reason = "open_started_outside_period"
        else:
            reason = "clock_stop_outside_period"
        out[reason] = out.get(reason, 0) + 1
    return out


@SETTINGS
@given(cases())
def test_every_record_is_counted_or_left_out_once(
    case: tuple[Indicator, str, list[Record], Period, tuple[str, ...], set[int]],
) -> None:
    indicator, convention, recs, period, by, errors = case
    mask = np.zeros(len(recs), dtype=bool)
    mask[list(errors)] = True
    extract = Extract({indicator.record_type: to_table(indicator, recs)}, {indicator.record_type: mask})
    result = compute(indicator, extract, period, by=by, calendar=CAL, convention=convention)  # type: ignore[arg-type]
    total = result.total()
    outside = {k: v for k, v in total.left_out.items() if k in result.outside and v}
    assert outside == ref_outside(indicator, recs, period)
    rows = drop_empty(engine_rows(result))
    in_rows = sum(sum(row["left"].values()) for row in rows.values())
    if indicator.counting == "record":
        in_rows += sum(row["den"] for row in rows.values())
        assert result.counted_records == total.denominator
    else:
        in_rows += result.counted_records
    assert in_rows + sum(outside.values()) == len(recs)  # population = counted + left out
    assert result.reconciliation()["population"] == len(recs)


@SETTINGS
@given(cases(), st.randoms(use_true_random=False))
def test_shuffling_rows_changes_nothing(
    case: tuple[Indicator, str, list[Record], Period, tuple[str, ...], set[int]], rnd: random.Random
) -> None:
    indicator, convention, recs, period, by, _ = case
    kw: dict[str, Any] = {"by": by, "calendar": CAL, "convention": convention}
    before = compute(indicator, to_table(indicator, recs), period, **kw)
    shuffled = list(recs)
    rnd.shuffle(shuffled)
    after = compute(indicator, to_table(indicator, shuffled), period, **kw)
    assert engine_rows(after) == engine_rows(before)
    assert [r.key for r in after] == [r.key for r in before]


INVALID_KINDS = ("completed_before_start", "missing_start", "flagged", "outside_calendar")


@SETTINGS
@given(cases(), st.sampled_from(INVALID_KINDS), st.integers(0, 400))
@example(  # the stop on the period's last day (a record placed by its start must start in the period)
    (STARTED, "day0", [Record("c0", None, None, "North")], Quarter(2008, 3), (), set()), "completed_before_start", 91
)
def test_an_invalid_record_changes_only_the_count_left_out(
    case: tuple[Indicator, str, list[Record], Period, tuple[str, ...], set[int]], kind: str, offset: int
) -> None:
    indicator, convention, recs, period, by, _ = case
    if kind == "outside_calendar" and indicator.unit != "working_days":
        kind = "completed_before_start"
    stop = period.start + dt.timedelta(days=offset % period.days)
    if kind == "completed_before_start":
        bad = Record("c1", stop + dt.timedelta(days=1), stop, "North")
    elif kind == "missing_start":
        bad = Record("c1", None, stop, "North")
    elif kind == "outside_calendar":
        bad = Record("c1", dt.date(2005, 12, 1), stop, "North")
    else:
        bad = Record("c1", stop - dt.timedelta(days=3), stop, "North")
    if indicator.population == "started_in_period":  # placed by its start, which must be in the period
        bad = Record("c1", stop, stop - dt.timedelta(days=1), "North")  # (stop + 1 may be the day after it)
        kind = "completed_before_start"
    kw: dict[str, Any] = {"by": by, "calendar": CAL, "convention": convention}
    before = compute(indicator, to_table(indicator, recs), period, **kw)
    grown = [*recs, bad]
    table = to_table(indicator, grown)
    mask = np.zeros(len(grown), dtype=bool)
    if kind == "flagged":
        mask[-1] = True
    after = compute(indicator, Extract({indicator.record_type: table}, {indicator.record_type: mask}), period, **kw)
    old = {r.key: r for r in before}
    assert set(old) <= {r.key for r in after}
    for row in after:
        prev = old.get(row.key)
        if prev is None:  # a new group: the bad record's team had no record in the period
            assert row.denominator == 0 and row.value is None
            continue
        assert (row.numerator, row.denominator, row.value) == (prev.numerator, prev.denominator, prev.value)
    expected_reason = {"flagged": "invalid", "outside_calendar": "invalid"}.get(kind, kind)
    grew = {k: n - before.total().left_out[k] for k, n in after.total().left_out.items()}
    assert {k: d for k, d in grew.items() if d} == {expected_reason: 1}  # (on failure: where the record went)
    assert sum(r.left_out_total for r in after) == sum(r.left_out_total for r in before) + 1


SCHEDULED = [(ind, conv) for ind, conv in DEFINITIONS if isinstance(ind.limit, LimitSchedule)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SCHEDULED), st.data())
def test_each_record_is_judged_against_the_limit_in_force_on_its_clock_start(
    definition: tuple[Indicator, str], data: st.DataObject
) -> None:
    """Records on both sides of each change of a schedule, elapsed times near each limit: engine == reference."""
    indicator, convention = definition
    assert isinstance(indicator.limit, LimitSchedule)
    changes = [r.start for r in indicator.limit.rows[1:] if r.start is not None]
    recs = []
    for _ in range(data.draw(st.integers(1, 25))):
        change = data.draw(st.sampled_from(changes))
        start = change + dt.timedelta(days=data.draw(st.integers(-10, 10)))
        if indicator.unit == "years":
            span = data.draw(st.integers(360, 370)) if data.draw(st.booleans()) else data.draw(st.integers(725, 735))
        else:
            span = data.draw(st.integers(0, 30))
        recs.append(Record(data.draw(st.sampled_from(["c0", "c1", "c2"])), start, start + dt.timedelta(days=span),
                           "North"))  # fmt: skip
    extract = Extract(
        {indicator.record_type: to_table(indicator, recs)}, {indicator.record_type: np.zeros(len(recs), bool)}
    )
    period = Period("2006-01-01", "2011-12-31")
    result = compute(indicator, extract, period, calendar=CAL, convention=convention)  # type: ignore[arg-type]
    assert drop_empty(engine_rows(result)) == reference(indicator, recs, period, (), convention, set())
