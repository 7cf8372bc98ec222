"""Property tests: the vectorised working-day code against a plain scalar reference.

The reference below is a loop over ``datetime.date`` values with a set of holiday
dates. The holidays are the England and Wales bank holidays as published on GOV.UK
(https://www.gov.uk/bank-holidays; hand-typed in ``tests/data/ew_bank_holidays_2008_2026.csv``)
for 2008-2026, and ``holidays.country_holidays("GB", subdiv="ENG")`` for the other years
of the default coverage 1990-2040. The conventions are those of domain.md section 3:

* ``day0``: elapsed(a, b) = #working days d with a < d <= b; reversed gives the negative.
* ``inclusive``: #working days d with a <= d <= b; reversed gives minus the count of [b, a].
* due date (day0): the working day e with elapsed(s, e) == n (unique, since elapsed grows by
  exactly one per working day); for n <= 0 that is a roll back to a working day on or before s.
* due date (inclusive): walk from s itself (s counts when it is a working day) forwards for
  n >= 1, backwards for n <= -1 (the mirror image).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import holidays
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import casetime
from support import installed, pa, pd, pl

LO = dt.date(1990, 1, 1)
HI = dt.date(2040, 12, 31)
ONE = dt.timedelta(days=1)
CSV = Path(__file__).parents[1] / "data" / "ew_bank_holidays_2008_2026.csv"


def _holiday_dates() -> frozenset[dt.date]:
    with CSV.open(encoding="utf-8") as handle:
        published = {
            dt.date.fromisoformat(row["date"])
            for row in csv.DictReader(line for line in handle if not line.startswith("#"))
        }
    package = holidays.country_holidays("GB", subdiv="ENG", years=range(LO.year, HI.year + 1))
    others = {day for day in package if not 2008 <= day.year <= 2026}
    return frozenset(published | others)


HOLIDAYS = _holiday_dates()


# ---------------------------------------------------------------------------
# the reference
# ---------------------------------------------------------------------------


def ref_working(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAYS


def ref_between(a: dt.date, b: dt.date, convention: str = "day0") -> int:
    if a > b:
        return -ref_between(b, a, convention)
    day = a if convention == "inclusive" else a + ONE
    count = 0
    while day <= b:
        if ref_working(day):
            count += 1
        day += ONE
    return count


def ref_add(start: dt.date, n: int, convention: str = "day0") -> dt.date | None:
    """The due date, or None when it falls outside the coverage."""
    if convention == "inclusive" and n != 0:
        step = ONE if n > 0 else -ONE
        day, count = start, 0
        while LO <= day <= HI:
            count += ref_working(day)
            if count == abs(n):
                return day
            day += step
        return None
    # day0 (and inclusive with n == 0: no working day has an inclusive count of 0 from a
    # working start; the library rolls back like day 0, which is pinned here on purpose)
    if n >= 1:
        day, count = start, 0
        while day < HI:
            day += ONE
            count += ref_working(day)
            if count == n:
                return day
        return None
    day, count = start, 0
    while day >= LO:
        count += ref_working(day)
        if count == -n + 1:
            return day
        day -= ONE
    return None


def test_reference_against_hand_worked_examples() -> None:
    """The reference itself reproduces domain.md section 3, so it can be trusted as an oracle."""
    d = dt.date.fromisoformat
    assert ref_add(d("2008-12-19"), 7) == d("2009-01-02")
    assert ref_add(d("2008-12-20"), 7) == d("2009-01-02")
    assert ref_add(d("2008-12-24"), 35) == d("2009-02-16")
    assert ref_add(d("2022-05-27"), 10) == d("2022-06-14")
    assert ref_add(d("2023-05-05"), 1, "inclusive") == d("2023-05-05")
    assert ref_between(d("2009-01-03"), d("2009-01-05")) == 1
    assert ref_between(d("2009-01-14"), d("2009-01-05")) == -7
    assert ref_between(d("2009-01-14"), d("2009-01-05"), "inclusive") == -8
    assert ref_add(d("1990-01-01"), 0) is None  # Mon 1 Jan 1990 is closed: nothing before it in coverage
    assert ref_add(d("2040-12-31"), 1) is None


# ---------------------------------------------------------------------------
# strategies
# ---------------------------------------------------------------------------

LEAP_DAYS = [dt.date(year, 2, 29) for year in range(1992, 2041, 4)]
EDGES = [LO, LO + ONE, LO + 2 * ONE, HI, HI - ONE, HI - 3 * ONE]
ONE_OFFS = [
    dt.date.fromisoformat(text)
    for text in (
        "1995-05-01",
        "1995-05-08",
        "1999-12-31",
        "2002-05-27",
        "2002-06-04",
        "2011-04-29",
        "2012-05-28",
        "2012-06-05",
        "2020-05-04",
        "2020-05-08",
        "2022-05-30",
        "2022-09-19",
        "2023-05-08",
    )
]
HOLIDAY_LIST = sorted(day for day in HOLIDAYS if LO <= day <= HI)
_NEAR_HOLIDAYS = {h + k * ONE for h in HOLIDAY_LIST for k in (-3, -1, 1, 2)}
AROUND_HOLIDAYS = sorted(day for day in _NEAR_HOLIDAYS if LO <= day <= HI)
WEEKENDS = [day for day in AROUND_HOLIDAYS if day.weekday() >= 5]
SPECIAL = sorted(set(LEAP_DAYS + EDGES + ONE_OFFS + HOLIDAY_LIST + WEEKENDS))

any_date = st.one_of(st.dates(LO, HI), st.sampled_from(SPECIAL), st.sampled_from(AROUND_HOLIDAYS))


def _clamp(day: dt.date) -> dt.date:
    return min(max(day, LO), HI)


near_pair = st.builds(
    lambda a, k: (a, _clamp(a + k * ONE)),
    any_date,
    st.integers(-200, 200),
)
far_pair = st.tuples(any_date, any_date)
conventions = st.sampled_from(["day0", "inclusive"])

D = dt.date.fromisoformat
EXPLICIT_PAIRS = [
    (D("2008-02-29"), D("2009-03-01")),  # leap day
    (D("2012-02-29"), D("2012-02-29")),
    (D("2009-01-14"), D("2009-01-05")),  # reversed
    (D("2022-06-05"), D("2022-05-27")),  # reversed over the jubilee
    (D("2009-01-03"), D("2009-01-04")),  # weekend to weekend
    (D("2022-09-19"), D("2022-09-19")),  # a bank holiday to itself
    (LO, HI),
    (HI, LO),
]


def _as_datetime64(days: list[dt.date], unit: str) -> np.ndarray:
    return np.array(days, dtype="M8[D]").astype(f"M8[{unit}]")


# ---------------------------------------------------------------------------
# counts against the reference
# ---------------------------------------------------------------------------


@settings(max_examples=250, deadline=None)
@given(pairs=st.lists(near_pair, min_size=1, max_size=20), convention=conventions)
@example(pairs=EXPLICIT_PAIRS[:-2], convention="day0")
@example(pairs=EXPLICIT_PAIRS[:-2], convention="inclusive")
def test_count_matches_reference_near_pairs(pairs: list[tuple[dt.date, dt.date]], convention: str) -> None:
    starts = np.array([a for a, _ in pairs], dtype="M8[D]")
    ends = np.array([b for _, b in pairs], dtype="M8[D]")
    expected = [ref_between(a, b, convention) for a, b in pairs]
    got = casetime.working_days_between(starts, ends, convention=convention)
    assert got.tolist() == [float(x) for x in expected]
    scalar = [casetime.working_days_between(a, b, convention=convention) for a, b in pairs]
    assert scalar == expected


@settings(max_examples=200, deadline=None)
@given(pairs=st.lists(far_pair, min_size=1, max_size=4), convention=conventions)
@example(pairs=EXPLICIT_PAIRS[-2:], convention="day0")
@example(pairs=EXPLICIT_PAIRS[-2:], convention="inclusive")
def test_count_matches_reference_far_pairs(pairs: list[tuple[dt.date, dt.date]], convention: str) -> None:
    starts = np.array([a for a, _ in pairs], dtype="M8[D]")
    ends = np.array([b for _, b in pairs], dtype="M8[D]")
    expected = [float(ref_between(a, b, convention)) for a, b in pairs]
    assert casetime.working_days_between(starts, ends, convention=convention).tolist() == expected


@settings(max_examples=200, deadline=None)
@given(days=st.lists(any_date, min_size=1, max_size=40))
@example(days=LEAP_DAYS + EDGES + ONE_OFFS)
def test_is_working_day_matches_reference(days: list[dt.date]) -> None:
    expected = [ref_working(day) for day in days]
    got = casetime.is_working_day(np.array(days, dtype="M8[D]"))
    assert not np.ma.getmaskarray(got).any()
    assert got.tolist() == expected
    assert [casetime.is_working_day(day) for day in days] == expected


# ---------------------------------------------------------------------------
# algebraic properties
# ---------------------------------------------------------------------------


@settings(max_examples=250, deadline=None)
@given(a=any_date, b=any_date, c=any_date)
@example(a=D("2008-12-20"), b=D("2009-01-01"), c=D("2008-12-19"))
def test_day0_is_additive(a: dt.date, b: dt.date, c: dt.date) -> None:
    between = casetime.working_days_between
    assert between(a, b) + between(b, c) == between(a, c)
    arr = np.array([a, b], dtype="M8[D]")
    assert float(np.sum(between(arr, np.array([b, c], dtype="M8[D]")))) == between(a, c)


@settings(max_examples=250, deadline=None)
@given(pair=st.one_of(near_pair, far_pair), convention=conventions)
@example(pair=(D("2009-01-14"), D("2009-01-05")), convention="inclusive")
@example(pair=(D("2009-01-03"), D("2009-01-05")), convention="inclusive")
@example(pair=(D("2009-01-03"), D("2009-01-03")), convention="inclusive")
@example(pair=(D("2009-01-05"), D("2009-01-05")), convention="day0")
def test_antisymmetric(pair: tuple[dt.date, dt.date], convention: str) -> None:
    a, b = pair
    forward = casetime.working_days_between(a, b, convention=convention)
    backward = casetime.working_days_between(b, a, convention=convention)
    if a == b and convention == "inclusive":
        # the one exception, by definition: the same day counts as day 1 when it is a working day
        assert forward == backward == int(ref_working(a))
    else:
        assert forward == -backward
    vec = casetime.working_days_between(np.array([a, b], dtype="M8[D]"), np.array([b, a], dtype="M8[D]"), convention)
    assert vec.tolist() == [float(forward), float(backward)]


@settings(max_examples=300, deadline=None)
@given(start=any_date, n=st.integers(-60, 200), convention=conventions)
@example(start=D("2009-01-05"), n=0, convention="day0")
@example(start=D("2009-01-03"), n=0, convention="day0")
@example(start=D("2009-01-05"), n=-1, convention="inclusive")
@example(start=D("2009-01-03"), n=-1, convention="inclusive")
@example(start=D("2008-02-29"), n=1, convention="inclusive")
@example(start=D("2022-09-19"), n=-5, convention="inclusive")
def test_add_and_count_are_inverses(start: dt.date, n: int, convention: str) -> None:
    try:
        due = casetime.add_working_days(start, n, convention=convention)
    except casetime.CalendarRangeError:
        assert ref_add(start, n, convention) is None
        return
    assert ref_working(due)
    count = casetime.working_days_between(start, due, convention=convention)
    if convention == "day0":
        assert count == n
    elif n == 0:
        # inclusive, n = 0: the library rolls back like day 0 (start itself when it works)
        assert due == casetime.add_working_days(start, 0)
    elif n == -1 and ref_working(start):
        # inclusive, n = -1 from a working start: the mirror of n = 1 is the start itself,
        # whose same-day inclusive count is +1 (no working day has a count of -1 here)
        assert due == start
        assert count == 1
    else:
        assert count == n


@settings(max_examples=250, deadline=None)
@given(pair=st.one_of(near_pair, far_pair), convention=conventions)
@example(pair=(D("2009-01-03"), D("2009-01-02")), convention="day0")
@example(pair=(D("2009-01-05"), D("2009-01-05")), convention="inclusive")
@example(pair=(D("2009-01-05"), D("2009-01-02")), convention="inclusive")
@example(pair=(D("2009-01-05"), LO), convention="day0")
def test_add_of_count_lands_on_the_working_end(pair: tuple[dt.date, dt.date], convention: str) -> None:
    start, end = pair
    count = casetime.working_days_between(start, end, convention=convention)
    if ref_working(end):
        assert casetime.add_working_days(start, count, convention=convention) == end
    elif convention == "day0":
        # a non-working end: the due date is the last working day before it
        try:
            due = casetime.add_working_days(start, count)
        except casetime.CalendarRangeError:
            assert not any(ref_working(LO + k * ONE) for k in range((end - LO).days + 1))
            return
        assert due < end
        assert ref_working(due)
        assert casetime.working_days_between(due, end) == 0


# ---------------------------------------------------------------------------
# add: vectorised == scalar == reference
# ---------------------------------------------------------------------------


@settings(max_examples=250, deadline=None)
@given(
    rows=st.lists(st.tuples(any_date, st.integers(-60, 200)), min_size=1, max_size=20),
    convention=conventions,
)
@example(rows=[(HI - 3 * ONE, 5), (D("2009-01-05"), 7)], convention="day0")
@example(rows=[(LO, 0), (D("2009-01-05"), 7)], convention="inclusive")
@example(rows=[(d, n) for d in LEAP_DAYS[:5] for n in (-1, 0, 1)], convention="inclusive")
def test_add_vectorised_equals_scalar_and_reference(rows: list[tuple[dt.date, int]], convention: str) -> None:
    expected = [ref_add(start, n, convention) for start, n in rows]
    for (start, n), want in zip(rows, expected, strict=True):
        if want is None:
            with pytest.raises(casetime.CalendarRangeError):
                casetime.add_working_days(start, n, convention=convention)
        else:
            assert casetime.add_working_days(start, n, convention=convention) == want
    starts = np.array([start for start, _ in rows], dtype="M8[D]")
    ns = np.array([n for _, n in rows])
    if any(want is None for want in expected):
        with pytest.raises(casetime.CalendarRangeError):
            casetime.add_working_days(starts, ns, convention=convention)
        keep = np.array([want is not None for want in expected])
        starts, ns = starts[keep], ns[keep]
        expected = [want for want in expected if want is not None]
    got = casetime.add_working_days(starts, ns, convention=convention)
    assert got.tolist() == expected
    # one n for all rows
    if len(starts):
        n0 = int(ns[0])
        same = [ref_add(start, n0, convention) for start in starts.tolist()]
        if None not in same:
            assert casetime.add_working_days(starts, n0, convention=convention).tolist() == same


# ---------------------------------------------------------------------------
# input types and missing rows
# ---------------------------------------------------------------------------


def _variants(days: list[dt.date]) -> dict[str, object]:
    return {
        "date": days,
        "tuple": tuple(days),
        "iso": [day.isoformat() for day in days],
        "iso-with-time": [f"{day.isoformat()}T13:45:00" for day in days],
        "datetime": [dt.datetime.combine(day, dt.time(23, 59)) for day in days],
        "M8[D]": _as_datetime64(days, "D"),
        "M8[s]": _as_datetime64(days, "s") + np.timedelta64(86399, "s"),
        "M8[ns]": _as_datetime64(days, "ns") + np.timedelta64(1, "ns"),
        "pandas": pd.Series(pd.to_datetime([day.isoformat() for day in days]), index=range(10, 10 + len(days))),
        "polars": pl.Series("d", days, dtype=pl.Date),
        "pyarrow": pa.array(days, type=pa.date32()),
    }


def _plain(result: object) -> list[object]:
    if isinstance(result, pd.Series):
        values = result.to_numpy()
        return [None if pd.isna(v) else pd.Timestamp(v).date() if result.dtype.kind == "M" else v for v in values]
    return np.asarray(result).tolist()


@settings(max_examples=150, deadline=None)
@given(pairs=st.lists(near_pair, min_size=1, max_size=8), n=st.integers(-60, 200), convention=conventions)
def test_results_do_not_depend_on_input_type(pairs: list[tuple[dt.date, dt.date]], n: int, convention: str) -> None:
    starts = [a for a, _ in pairs]
    ends = [b for _, b in pairs]
    counts = [float(ref_between(a, b, convention)) for a, b in pairs]
    flags = [ref_working(a) for a in starts]
    dues = [ref_add(a, n, convention) for a in starts]
    start_variants, end_variants = _variants(starts), _variants(ends)
    for kind, start_values in start_variants.items():
        got = casetime.working_days_between(start_values, end_variants[kind], convention=convention)
        assert _plain(got) == counts, kind
        # mixing input types between start and end changes nothing either
        got = casetime.working_days_between(start_values, end_variants["M8[D]"], convention=convention)
        assert _plain(got) == counts, kind
        assert _plain(casetime.is_working_day(start_values)) == flags, kind
        if None not in dues:
            assert _plain(casetime.add_working_days(start_values, n, convention=convention)) == dues, kind


MISSING_VALUES = [None, float("nan"), np.datetime64("NaT"), *([pd.NaT, pd.NA] if installed("pandas") else []), ""]


@settings(max_examples=150, deadline=None)
@given(
    pairs=st.lists(near_pair, min_size=1, max_size=10),
    inserts=st.lists(
        st.tuples(
            st.integers(0, 20),
            st.sampled_from(range(len(MISSING_VALUES))),
            st.sampled_from(["start", "end", "both"]),
            any_date,
        ),
        min_size=1,
        max_size=6,
    ),
    n=st.integers(-60, 200),
    convention=conventions,
)
def test_missing_rows_change_no_other_row(
    pairs: list[tuple[dt.date, dt.date]],
    inserts: list[tuple[int, int, str, dt.date]],
    n: int,
    convention: str,
) -> None:
    # rows: (start, end, start is missing, end is missing, index in pairs or None)
    rows: list[tuple[object, object, bool, bool, int | None]] = [
        (a, b, False, False, k) for k, (a, b) in enumerate(pairs)
    ]
    for position, which, side, other in inserts:
        value = MISSING_VALUES[which]
        start = value if side in ("start", "both") else other
        end = value if side in ("end", "both") else other
        rows.insert(min(position, len(rows)), (start, end, side != "end", side != "start", None))

    starts = np.empty(len(rows), dtype=object)
    starts[:] = [row[0] for row in rows]
    ends = np.empty(len(rows), dtype=object)
    ends[:] = [row[1] for row in rows]
    original = [i for i, row in enumerate(rows) if row[4] is not None]
    assert [rows[i][4] for i in original] == list(range(len(pairs)))

    counts = casetime.working_days_between(starts, ends, convention=convention)
    assert [counts[i] for i in original] == [float(ref_between(a, b, convention)) for a, b in pairs]
    assert all(np.isnan(counts[i]) for i, row in enumerate(rows) if row[2] or row[3])

    start_ok = [i for i, row in enumerate(rows) if not row[2]]
    flags = casetime.is_working_day(starts)
    assert np.ma.getmaskarray(flags).tolist() == [row[2] for row in rows]
    assert [bool(flags[i]) for i in start_ok] == [ref_working(rows[i][0]) for i in start_ok]  # type: ignore[arg-type]

    dues = [ref_add(rows[i][0], n, convention) for i in start_ok]  # type: ignore[arg-type]
    if None not in dues:
        got = casetime.add_working_days(starts, n, convention=convention)
        assert [got[i].item() for i in start_ok] == dues
        assert all(np.isnat(got[i]) for i, row in enumerate(rows) if row[2])
