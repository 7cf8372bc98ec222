"""Property tests: today's DfE measures (C2, C4, D5, D6, D7, D3, C1) against a plain-Python, record-by-record reference.

The reference reads each record as ``datetime.date`` values, counts working days one day at a
time with the calendar's scalar ``is_working_day``, adds months with ``dateutil.relativedelta``,
finds earlier records of a child by looking at every other record, and takes percentiles with
``statistics.quantiles`` (its "inclusive" method is numpy's "linear"). It shares no code with the
engine. Random extracts come from :mod:`casetime.testing` (plans with reviews about 3 and 6 months
apart, repeat plans, referrals about 12 months apart), with stop dates removed or put before the
start here, and whole extracts with rows broken on purpose (``casetime.testing.extracts``), whose
generator says which rows are in error.
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from collections import Counter
from fractions import Fraction
from typing import Any
from unittest import mock

from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casetime.calendar import WorkingCalendar, england
from casetime.engine import bands as bands_kind
from casetime.engine import compute
from casetime.indicators import (
    C1,
    C1_CHILD,
    C2,
    C4,
    D3,
    D5,
    D6,
    D7,
    PLAN_BANDS_ANNIVERSARY,
    WITHIN_2_YEARS_OF_ENDING,
    Indicator,
)
from casetime.periods import FinancialYear, Month, Period, Quarter
from casetime.tables import Table
from casetime.testing import tables

CAL = england("2019-01-01", "2026-12-31")
SHORT_CAL = england("2022-06-01", "2025-12-31")  # some generated starts fall before it
LO, HI = "2021-06-01", "2025-06-30"
PERIODS: list[Period] = [FinancialYear(2023), Quarter(2023, 4), Month(2024, 2)]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- the reference --------------------------------------------------------------------------


def working_days(start: dt.date, end: dt.date) -> int:
    """Working days d with start < d <= end (end >= start)."""
    n, d = 0, start
    while d < end:
        d += dt.timedelta(days=1)
        n += CAL.is_working_day(d)
    return n


def months(day: dt.date, n: int) -> dt.date:
    return day + relativedelta(months=n)


def windows(period: Period, by: str | None) -> list[Period]:
    return [period] if by is None else list(period.split(by))


def date_of(table: Table, name: str, i: int) -> dt.date | None:
    value = table.dates[name][i]
    return None if value != value else value.astype(object)  # NaT != NaT


def rows_of(table: Table) -> list[dict[str, Any]]:
    out = []
    for i in range(len(table)):
        rec = {name: date_of(table, name, i) for name in table.dates}
        rec["child"] = table.child.values()[i]
        rec["reviews"] = table.reviews.lists()[i] if table.reviews is not None else []
        for name, col in table.extra.items():
            rec[name] = col.values()[i]
        out.append(rec)
    return out


C2_EDGES = [0, 10, 20, 30, 40, 45, 50, 60]
C4_EDGES = [10, 15, 20]


def wd_band(elapsed: int, edges: list[int]) -> int:
    band = 0
    for edge in edges:
        if elapsed > edge:
            band += 1
    return band


def plan_band(start: dt.date, end: dt.date, *, anniversary: bool = False) -> int:
    if end <= months(start, 3):
        return 0
    if end <= months(start, 6):
        return 1
    if end < months(start, 12):
        return 2
    two_years = end >= months(start, 24) if anniversary else (end - start).days + 1 > 729
    return 4 if two_years else 3


def quartiles(values: list[int]) -> tuple[float, float, float] | None:
    if not values:
        return None
    if len(values) == 1:
        return (float(values[0]),) * 3  # type: ignore[return-value]
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], q[1], q[2]


def duration_reference(
    ind: Indicator, table: Table, period: Period, by: str | None, invalid: frozenset[int] = frozenset()
) -> list[dict[str, Any]]:
    """C2, C4, D7 (records whose clock stopped in each window): bands, share, left out, quartiles.

    A row in ``invalid`` (a data-quality error) is left out as invalid, except C4's conference dated before
    its start, which is in the total in no band however it was flagged."""
    wd = ind.id in ("C2", "C4")
    edges = C2_EDGES if ind.id == "C2" else C4_EDGES
    anniversary = ind.bands is PLAN_BANDS_ANNIVERSARY
    out = []
    for window in windows(period, by):
        bands: Counter[int] = Counter()
        left: Counter[str] = Counter()
        values: list[int] = []
        for i, rec in enumerate(rows_of(table)):
            s, e = rec[ind.clock_start], rec[ind.clock_stop]
            placed = e if e is not None else s
            if placed is None or not window.start <= placed <= window.end:
                continue
            if i in invalid and not (ind.id == "C4" and s is not None and e is not None and e < s):
                left["invalid"] += 1
            elif e is None:
                left["still_open"] += 1
            elif s is None:
                left["missing_start"] += 1
            elif e < s:
                left["completed_before_start"] += 1
            elif wd:
                elapsed = working_days(s, e)
                bands[wd_band(elapsed, edges)] += 1
                values.append(elapsed)
            else:
                bands[plan_band(s, e, anniversary=anniversary)] += 1
        share = set(ind.bands.share)  # type: ignore[union-attr]
        out.append(
            {
                "bands": [bands[i] for i in range(len(edges) + 1 if wd else 5)],
                "numerator": sum(n for b, n in bands.items() if b in share),
                "left": dict(left),
                "quartiles": quartiles(values) if wd else None,
                "unbanded": left["completed_before_start"] if ind.id == "C4" else 0,
            }
        )
    return out


def open_at(rec: dict[str, Any], ref: dt.date) -> bool:
    s, e = rec["start_date"], rec["end_date"]
    return s is not None and s <= ref and (e is None or e > ref)


def d5_reference(table: Table, period: Period, by: str | None) -> list[list[int]]:
    out = []
    for window in windows(period, by):
        bands = [0] * 5
        for rec in rows_of(table):
            if open_at(rec, window.end):
                bands[plan_band(rec["start_date"], window.end)] += 1
        out.append(bands)
    return out


def d6_reference(
    table: Table, period: Period, by: str | None, invalid: frozenset[int] = frozenset()
) -> list[tuple[int, int, int]]:
    """(on time, counted, too recent) at each window's end; a plan in ``invalid`` open then is left out."""
    out = []
    for window in windows(period, by):
        ref = window.end
        on_time = counted = recent = 0
        for i, rec in enumerate(rows_of(table)):
            if not open_at(rec, ref) or i in invalid:
                continue
            start = rec["start_date"]
            if ref < months(start, 3):
                recent += 1
                continue
            counted += 1
            reviews = sorted(r for r in rec["reviews"] if r <= ref)
            ok = bool(reviews) and reviews[0] <= months(start, 3)
            for before, after in itertools.pairwise(reviews):
                ok = ok and after <= months(before, 6)
            ok = ok and bool(reviews) and ref <= months(reviews[-1], 6)
            on_time += ok
        out.append((on_time, counted, recent))
    return out


def repeat_reference(
    ind: Indicator, table: Table, period: Period, by: str | None, invalid: frozenset[int] = frozenset()
) -> list[tuple[int, int]]:
    """(numerator, denominator) of D3 or C1 (by record or by child) in each window. A record in ``invalid`` is
    not counted, but is still an earlier record of its child (it happened, however it was written)."""
    records = rows_of(table)
    rule = ind.repeat
    assert rule is not None
    date = ind.clock_start

    def repeats(rec: dict[str, Any]) -> bool:
        s = rec[date]
        earlier = [o for o in records if o["child"] == rec["child"] and o[date] is not None and o[date] < s]
        if rule.within is None:
            counted_before = str(rec.get("NumberOfPreviousCPP") or "0").strip()
            return bool(earlier) or (counted_before.isdigit() and int(counted_before) > 0)
        floor = months(s, -rule.within)
        if rule.since == "start":
            return any(o[date] >= floor for o in earlier)
        return any(o[ind.clock_stop] is None or o[ind.clock_stop] >= floor for o in earlier)

    out = []
    for window in windows(period, by):
        chosen = [
            r
            for i, r in enumerate(records)
            if r[date] is not None and window.start <= r[date] <= window.end and i not in invalid
        ]
        if ind.counting == "child":
            den = {r["child"] for r in chosen}
            num = {r["child"] for r in chosen if repeats(r)}
            out.append((len(num), len(den)))
        else:
            out.append((sum(repeats(r) for r in chosen), len(chosen)))
    return out


# -- the strategies -----------------------------------------------------------------------------


def extract(kind: str, **extra: Any) -> st.SearchStrategy[Table]:
    return tables(kind, 0, 24, calendar=CAL, min_value=LO, max_value=HI, **extra)


@st.composite
def with_gaps(draw: st.DrawFn, kind: str, gap: str) -> Table:
    """A table with some stop dates removed and some pairs reversed (stopped before it started)."""
    t = draw(extract(kind))
    cols: dict[str, Any] = {"child_id": list(t.child.values())}
    cols.update({name: [date_of(t, name, i) for i in range(len(t))] for name in t.dates})
    stop = t.schema.clock[1]
    n = len(t)
    for i in draw(st.lists(st.integers(0, max(n - 1, 0)), max_size=3)) if n else []:
        cols[stop][i] = None
    for i in draw(st.lists(st.integers(0, max(n - 1, 0)), max_size=2)) if n else []:
        start = cols[gap][i]
        if start is not None:
            cols[stop][i] = start - dt.timedelta(days=draw(st.integers(1, 5)))
    return Table.from_columns(kind, cols)


BY = st.sampled_from([None, "month", "quarter"])

# -- the tests ------------------------------------------------------------------------------------


def check_durations(ind: Indicator, table: Table, period: Period, by: str | None) -> None:
    result = compute(ind, table, period, by=by or (), calendar=CAL)
    expected = duration_reference(ind, table, period, by)
    assert len(result) == len(expected)
    for row, want in zip(result, expected, strict=True):
        assert [n for _, n in row.bands] == want["bands"]
        assert row.numerator == want["numerator"]
        assert row.denominator == sum(want["bands"])
        assert row.unbanded == want["unbanded"]
        assert {k: v for k, v in row.left_out.items() if v} == want["left"]
        if want["quartiles"] is None:
            assert row.distribution is None or row.distribution.total == 0
        else:
            got = [float(q) for q in row.quartiles]  # type: ignore[arg-type]
            assert all(abs(g - w) < 1e-9 for g, w in zip(got, want["quartiles"], strict=True))
    # the whole period: band counts add up across the windows, and to the total
    total = result.total()
    assert [n for _, n in total.bands] == [sum(col) for col in zip(*(w["bands"] for w in expected), strict=True)]
    assert sum(n for _, n in total.bands) == total.denominator
    assert result.population == len(table)


@FAST
@given(with_gaps("single_assessment", "start_date"), st.sampled_from(PERIODS), BY)
def test_c2_matches_the_reference(table: Table, period: Period, by: str | None) -> None:
    check_durations(C2, table, period, by)


@FAST
@given(with_gaps("s47", "start_date"), st.sampled_from(PERIODS), BY)
def test_c4_matches_the_reference(table: Table, period: Period, by: str | None) -> None:
    check_durations(C4, table, period, by)


@FAST
@given(with_gaps("cpp", "start_date"), st.sampled_from(PERIODS), BY, st.booleans())
def test_d7_matches_the_reference(table: Table, period: Period, by: str | None, anniversary: bool) -> None:
    check_durations(D7.with_bands(PLAN_BANDS_ANNIVERSARY) if anniversary else D7, table, period, by)


@FAST
@given(extract("cpp"), st.sampled_from(PERIODS), BY)
def test_d5_matches_the_reference(table: Table, period: Period, by: str | None) -> None:
    result = compute(D5, table, period, by=by or ())
    expected = d5_reference(table, period, by)
    assert [[n for _, n in r.bands] for r in result] == expected
    assert [n for _, n in result.total().bands] == expected[-1]  # the position at the period's end
    assert result.population == len(table)


@FAST
@given(extract("cpp"), st.sampled_from(PERIODS), BY)
def test_d6_matches_the_reference(table: Table, period: Period, by: str | None) -> None:
    result = compute(D6, table, period, by=by or ())
    expected = d6_reference(table, period, by)
    assert [(r.numerator, r.denominator, r.left_out.get("too_recent", 0)) for r in result] == expected
    total = result.total()
    assert (total.numerator, total.denominator) == expected[-1][:2]
    assert result.population == len(table)


@FAST
@given(
    extract("cpp", extra_columns={"NumberOfPreviousCPP": st.sampled_from(["", "0", "0", "1", "3"])}),
    st.sampled_from(PERIODS),
    BY,
    st.booleans(),
)
def test_d3_matches_the_reference(table: Table, period: Period, by: str | None, within: bool) -> None:
    ind = D3.with_repeat(WITHIN_2_YEARS_OF_ENDING) if within else D3
    result = compute(ind, table, period, by=by or ())
    assert [(r.numerator, r.denominator) for r in result] == repeat_reference(ind, table, period, by)
    assert result.population == len(table)


@FAST
@given(extract("referral"), st.sampled_from(PERIODS), BY, st.sampled_from([C1, C1_CHILD]))
def test_c1_matches_the_reference(table: Table, period: Period, by: str | None, ind: Indicator) -> None:
    result = compute(ind, table, period, by=by or ())
    assert [(r.numerator, r.denominator) for r in result] == repeat_reference(ind, table, period, by)
    whole = repeat_reference(ind, table, period, None)[0]
    assert (result.total().numerator, result.total().denominator) == whole
    assert result.population == len(table)


def split_by_child(table: Table, cut: int) -> tuple[Table, Table]:
    codes = table.child.codes
    return table.take(codes < cut), table.take(codes >= cut)


@FAST
@given(
    st.sampled_from(["C2", "C4", "D7", "D5", "D6", "D3", "C1", "C1_child"]),
    st.data(),
    st.sampled_from(PERIODS),
    BY,
)
def test_partitions_of_whole_children_merge_to_the_whole(
    ind_id: str, data: st.DataObject, period: Period, by: str | None
) -> None:
    kind = {"C2": "single_assessment", "C4": "s47", "C1": "referral", "C1_child": "referral"}.get(ind_id, "cpp")
    table = data.draw(extract(kind))
    cut = data.draw(st.integers(0, max(len(table.child.labels), 1)))
    left, right = split_by_child(table, cut)
    whole = compute(ind_id, table, period, by=by or (), calendar=CAL)
    merged = compute(ind_id, left, period, by=by or (), calendar=CAL) + compute(
        ind_id, right, period, by=by or (), calendar=CAL
    )
    for a, b in zip(whole, merged, strict=True):
        assert (a.key, a.numerator, a.denominator, a.bands, a.unbanded) == (
            b.key,
            b.numerator,
            b.denominator,
            b.bands,
            b.unbanded,
        )
        assert a.distribution == b.distribution
        assert a.left_out == b.left_out
    assert whole.total().quartiles == merged.total().quartiles
    assert whole.reconciliation() == merged.reconciliation()


@FAST
@given(with_gaps("single_assessment", "start_date"))
def test_months_add_up_to_quarters_and_the_year(table: Table) -> None:
    year = FinancialYear(2023)
    by_month = compute(C2, table, year, by="month", calendar=CAL)
    by_quarter = compute(C2, table, year, by="quarter", calendar=CAL)
    for q, row in enumerate(by_quarter):
        months_of = by_month.rows[3 * q : 3 * q + 3]
        assert [sum(n for n in col) for col in zip(*([n for _, n in m.bands] for m in months_of), strict=True)] == [
            n for _, n in row.bands
        ]
        merged = sum((m.distribution for m in months_of[1:]), months_of[0].distribution)  # type: ignore[arg-type]
        assert merged == row.distribution
    assert by_month.total().bands == compute(C2, table, year, calendar=CAL).total().bands
    assert Fraction(by_month.total().numerator) == compute(C2, table, year, calendar=CAL).total().numerator


@FAST
@given(
    st.sampled_from([(C2, "single_assessment"), (C4, "s47")]),
    st.data(),
    st.sampled_from(PERIODS),
    BY,
    st.sampled_from([CAL, SHORT_CAL]),
)
def test_a_class_per_band_and_a_class_per_day_give_the_same(
    which: tuple[Indicator, str], data: st.DataObject, period: Period, by: str | None, calendar: WorkingCalendar
) -> None:
    """Few result rows count every whole working day in its own class; many count a class per band and the
    days apart: the same numbers either way (the second forced here), also with a calendar that does not
    cover every start (those are invalid either way)."""
    ind, kind = which
    table = data.draw(with_gaps(kind, "start_date"))
    per_day = compute(ind, table, period, by=by or (), calendar=calendar)
    with mock.patch.object(bands_kind, "EXACT_CELLS", 0):
        per_band = compute(ind, table, period, by=by or (), calendar=calendar)
    for a, b in zip(per_day, per_band, strict=True):
        assert (a.bands, a.numerator, a.denominator, a.unbanded, a.left_out) == (
            b.bands, b.numerator, b.denominator, b.unbanded, b.left_out,
        )  # fmt: skip
        assert a.distribution == b.distribution
    assert per_day.reconciliation() == per_band.reconciliation()
    assert [c["elapsed"] for c in per_day.cases().records()] == [c["elapsed"] for c in per_band.cases().records()]


@FAST
@given(
    st.sampled_from(["C2", "C4", "D7", "D6", "D3", "C1", "C1_child"]),
    st.data(),
    st.sampled_from(PERIODS),
    BY,
)
def test_rows_with_data_quality_errors_are_left_out_as_the_reference_says(
    ind_id: str, data: st.DataObject, period: Period, by: str | None
) -> None:
    """Through validation: the rows the generator broke on purpose (its own list, not the validator's) are
    invalid; everything else is counted as without them."""
    from casetime.extract import Extract
    from casetime.indicators import get_indicator
    from casetime.testing import extracts
    from casetime.validation import validate

    ind = get_indicator(ind_id)
    kind = ind.record_type
    broken = data.draw(extracts(size=10, fault_rate=0.3, record_types=[kind], calendar=CAL, min_value=LO, max_value=HI))
    table = broken.tables[kind]
    invalid = frozenset(broken.faulty_rows(kind))
    extract = Extract(broken.tables, validate(broken.tables, calendar=CAL), CAL)
    result = compute(ind, extract, period, by=by or ())
    if ind.kind == "bands":
        expected = duration_reference(ind, table, period, by, invalid)
        for row, want in zip(result, expected, strict=True):
            assert [n for _, n in row.bands] == want["bands"]
            assert (row.numerator, row.unbanded) == (want["numerator"], want["unbanded"])
            assert {k: v for k, v in row.left_out.items() if v} == want["left"]
    elif ind.kind == "reviews":
        want_d6 = d6_reference(table, period, by, invalid)
        assert [(r.numerator, r.denominator) for r in result] == [w[:2] for w in want_d6]
    else:
        assert [(r.numerator, r.denominator) for r in result] == repeat_reference(ind, table, period, by, invalid)
    assert result.population == len(table)
