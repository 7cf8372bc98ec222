"""Hypothesis strategies for property-based tests of code that uses casetime.

Public and documented so analysts can test their own pipelines with the same
generators casetime's own suite uses. ``hypothesis`` is a test dependency only:
``import casetime`` never imports it, and importing this module without it
raises an :class:`ImportError` saying what to install.

- :func:`dates`: dates within a calendar's coverage, biased towards the days that
  break date code (weekends, bank holidays, 29 February, month ends, the
  31 March / 1 April financial-year boundary);
- :func:`records` and :func:`tables`: valid records of each type (dicts of the
  standard columns) and valid :class:`~casetime.tables.Table` objects, open
  records (no completion or end date) included;
- :func:`breaking`: records built to break one named rule of
  :data:`casetime.validation.RULES` on purpose, with the rows and fields that
  must be flagged;
- :func:`extracts`: whole extracts (a table per record type) of a chosen size and
  fault rate, with the list of faults put in.

>>> from hypothesis import given, settings
>>> from casetime.validation import validate
>>> @settings(max_examples=20, deadline=None)
... @given(breaking("8925"))
... def test_8925_is_caught(case):
...     report = validate(case.tables())
...     assert report.counts_by_rule().get("8925") == 1
>>> test_8925_is_caught()
"""

from __future__ import annotations

import datetime as _dt
import functools
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "casetime.testing needs the 'hypothesis' package, which is a test dependency of casetime: "
        "install it with `pip install hypothesis` (or `pip install 'casetime[test]'`)"
    ) from exc

import numpy as np
import numpy.typing as npt

from casetime.calendar import WorkingCalendar, as_calendar
from casetime.dates import EPOCH_ORDINAL, MISSING, add_months, date_from_day, day_number, weekday
from casetime.errors import CasetimeError
from casetime.schema import RECORD_TYPES, SCHEMAS, record_type_of
from casetime.tables import Table
from casetime.validation import RULES

__all__ = [
    "BREAKERS",
    "Breaker",
    "Broken",
    "Extract",
    "Fault",
    "breaking",
    "breaks",
    "dates",
    "extracts",
    "records",
    "tables",
]

#: The longest gap generated between a clock start and its stop (a little over two years, so NI64's
#: "2 years or more" is reached).
_MAX_GAP: Final = 800
_SHORT_GAP: Final = 60

_DrawFn = st.DrawFn
_Days = dict[str, Any]  # field -> day number (int) or None; "review_dates" -> list of ints; "child_id" -> str | None


# ---------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Broken:
    """Records built to break one rule: what :func:`breaking` generates.

    ``records`` are dicts of standard columns (one record, or two plans of one
    child for ``8935`` / ``8940``, or two copies for ``duplicate``); ``flagged``
    lists ``(index into records, field)`` for every finding the rule must make.
    """

    rule: str
    record_type: str
    records: tuple[dict[str, Any], ...]
    flagged: tuple[tuple[int, str], ...]

    def table(self, *, source: str = "<input>") -> Table:
        """The records as a :class:`~casetime.tables.Table`."""
        return _table(self.record_type, list(self.records), source=source)

    def tables(self) -> dict[str, Table]:
        """``{record_type: table}``, ready for :func:`casetime.validation.validate`."""
        return {self.record_type: self.table()}


@dataclass(frozen=True)
class Fault:
    """One finding an extract was built to produce: rule ``rule`` on row ``row`` (table position), ``field``."""

    record_type: str
    row: int
    rule: str
    field: str


@dataclass(frozen=True)
class Extract:
    """Tables by record type, and the faults put into them on purpose."""

    tables: dict[str, Table]
    faults: tuple[Fault, ...]

    def faulty_rows(self, record_type: str) -> frozenset[int]:
        """The positions of the rows of ``record_type`` built to be flagged with an error (so left out of the
        indicators; a warning's row, such as a census query's, stays in)."""
        return frozenset(
            f.row for f in self.faults if f.record_type == record_type and RULES[f.rule].severity == "error"
        )


# ---------------------------------------------------------------------------
# the date window
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Window:
    """Where generated dates fall: ``lo..hi`` (day numbers) inside the calendar's coverage."""

    calendar: WorkingCalendar
    lo: int
    hi: int
    cov_lo: int
    cov_hi: int
    pool: npt.NDArray[np.int64]  # sorted special days within lo..hi


def _day_or_fail(value: object, what: str) -> int:
    day = day_number(value)
    if day is None:
        raise CasetimeError(f"{what} is missing")
    return day


def _window(calendar: WorkingCalendar | None, min_value: object, max_value: object, as_at: object = None) -> _Window:
    cal = as_calendar(calendar)
    cov_lo = _day_or_fail(cal.coverage[0], "calendar start")
    cov_hi = _day_or_fail(cal.coverage[1], "calendar end")
    lo = cov_lo if min_value is None else _day_or_fail(min_value, "min_value")
    hi = cov_hi if max_value is None else _day_or_fail(max_value, "max_value")
    if as_at is not None:
        hi = min(hi, _day_or_fail(as_at, "as_at"))
    for day, what in ((lo, "min_value"), (hi, "max_value")):
        if not cov_lo <= day <= cov_hi:
            raise CasetimeError(
                f"{what} {date_from_day(day)} is outside the calendar's coverage {cal.coverage[0]} to {cal.coverage[1]}"
            )
    if hi < lo:
        raise CasetimeError(f"no dates to draw: {date_from_day(lo)} is after {date_from_day(hi)}")
    return _Window(cal, lo, hi, cov_lo, cov_hi, _special_days(cal, lo, hi))


@functools.lru_cache(maxsize=32)
def _special_days(calendar: WorkingCalendar, lo: int, hi: int) -> npt.NDArray[np.int64]:
    """Bank holidays (weekend ones too), closures, 29 February, month ends, 31 March and 1 April."""
    first, last = date_from_day(lo), date_from_day(hi)
    days = [d for d in calendar.holidays if first <= d <= last]
    days += [h.date for h in calendar.closure_days()]
    months = np.arange(np.datetime64(first, "M"), np.datetime64(last, "M") + 2)
    month_ends = (months[1:].astype("M8[D]") - np.timedelta64(1, "D")).view(np.int64)
    month_starts = months.astype("M8[D]").view(np.int64)
    month_no = months.astype(np.int64) % 12  # 0 = January
    extra = np.concatenate(
        (
            month_ends,
            month_starts[month_no == 3],  # 1 April: a financial year starts
            month_starts[month_no == 2] + 28,  # 29 February (or 1 March in a common year)
            np.array([d.toordinal() - EPOCH_ORDINAL for d in days], dtype=np.int64),
        )
    )
    pool = np.unique(extra.astype(np.int64))
    pool = pool[(pool >= lo) & (pool <= hi)]
    pool.flags.writeable = False
    return pool


def _day(draw: _DrawFn, w: _Window, a: int, b: int, *, near: bool = True) -> int:
    """A day number in ``a..b`` (inclusive), biased towards awkward days.

    ``near`` adds two more biases: the lower bound itself (a same-day completion)
    and a day soon after it.
    """
    if b < a:
        raise CasetimeError(f"internal: empty date range {a}..{b}")  # pragma: no cover
    branch = draw(st.integers(0, 4 if near else 2))
    if branch == 1:  # a weekend
        d = draw(st.integers(a, b))
        target = draw(st.sampled_from((5, 6)))
        moved = d + (target - int(weekday(d))) % 7
        if moved > b:
            moved -= 7
        if moved >= a:
            return moved
        return d
    if branch == 2:  # a bank holiday, month end, 29 February, financial-year boundary
        i = int(np.searchsorted(w.pool, a, side="left"))
        j = int(np.searchsorted(w.pool, b, side="right"))
        if j > i:
            return int(w.pool[draw(st.integers(i, j - 1))])
        return draw(st.integers(a, b))
    if branch == 3:  # soon after the lower bound
        return a + draw(st.integers(0, min(b - a, 14)))
    if branch == 4:  # the same day as the lower bound (the earlier date)
        return a
    return draw(st.integers(a, b))


def dates(
    calendar: WorkingCalendar | None = None, min_value: object = None, max_value: object = None
) -> st.SearchStrategy[_dt.date]:
    """Dates within a calendar's coverage (and ``min_value..max_value``), biased towards awkward days.

    About half the examples are weekends, bank holidays, month ends, 29 February
    or the 31 March / 1 April financial-year boundary.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=30, deadline=None)
    ... @given(dates(min_value="2008-04-01", max_value="2009-03-31"))
    ... def test_in_year(d):
    ...     assert _dt.date(2008, 4, 1) <= d <= _dt.date(2009, 3, 31)
    >>> test_in_year()
    """
    w = _window(calendar, min_value, max_value)

    @st.composite
    def draw_date(draw: _DrawFn) -> _dt.date:
        return date_from_day(_day(draw, w, w.lo, w.hi, near=False))

    return draw_date()


# ---------------------------------------------------------------------------
# valid records
# ---------------------------------------------------------------------------


def _default_child_ids() -> st.SearchStrategy[str]:
    return st.integers(0, 999_999).map(lambda i: f"C{i:06d}")


def _maybe(draw: _DrawFn) -> bool:
    return draw(st.booleans())


def _after(draw: _DrawFn, w: _Window, a: int, gap: int = _MAX_GAP) -> int:
    """A day on or after ``a`` (at most ``gap`` days later, within the window)."""
    return _day(draw, w, a, min(a + gap, w.hi))


def _valid_days(draw: _DrawFn, kind: str, w: _Window, *, lo: int | None = None) -> _Days:
    """One valid record of ``kind`` as day numbers (None = missing); its first date is at least ``lo``."""
    lo = w.lo if lo is None else lo
    out: _Days = {}
    if kind == "referral":
        r = _day(draw, w, lo, w.hi)
        out = {"referral_date": r, "closure_date": _after(draw, w, r) if _maybe(draw) else None}
    elif kind in ("initial_assessment", "single_assessment"):
        r = _day(draw, w, lo, w.hi)
        s = _after(draw, w, r, _SHORT_GAP) if _maybe(draw) else None
        clock = r if s is None else s
        out = {"referral_date": r, "start_date": s, "completion_date": _after(draw, w, clock) if _maybe(draw) else None}
    elif kind == "core_assessment":
        ref = _day(draw, w, lo, w.hi) if _maybe(draw) else None
        s = _day(draw, w, lo, w.hi) if ref is None else _after(draw, w, ref, _SHORT_GAP)
        out = {"referral_date": ref, "start_date": s, "completion_date": _after(draw, w, s) if _maybe(draw) else None}
    elif kind == "s47":
        ref = _day(draw, w, lo, w.hi) if _maybe(draw) else None
        s = _day(draw, w, lo, w.hi) if ref is None else _after(draw, w, ref, _SHORT_GAP)
        out = {
            "referral_date": ref,
            "start_date": s,
            "conference_date": _after(draw, w, s, 90) if _maybe(draw) else None,
        }
    elif kind == "cpp":
        ref = _day(draw, w, lo, w.hi) if _maybe(draw) else None
        s = _day(draw, w, lo, w.hi) if ref is None else _after(draw, w, ref, _SHORT_GAP)
        out = {"referral_date": ref, "start_date": s, **_plan_tail(draw, w, s)}
    elif kind == "cin_plan":
        ref = _day(draw, w, lo, w.hi) if _maybe(draw) else None
        s = _day(draw, w, lo, w.hi) if ref is None else _after(draw, w, ref, _SHORT_GAP)
        out = {"referral_date": ref, "start_date": s, "end_date": _after(draw, w, s) if _maybe(draw) else None}
    else:  # pragma: no cover - record_type_of guards this
        raise CasetimeError(f"unknown record type {kind!r}")
    return out


def _months_after(day: int, months: int) -> int:
    return int(add_months(np.array([day], dtype=np.int64), months)[0])


def _near(draw: _DrawFn, day: int) -> int:
    """``day`` or a day or two either side of it (the edges of "within 3 months", "within 12 months")."""
    return day + draw(st.integers(-2, 2))


def _plan_tail(draw: _DrawFn, w: _Window, s: int, *, may_open: bool = True) -> _Days:
    """The end (after the start, never the same day) and reviews (after the start) of a plan.

    Reviews come at random, or (half the time each) on or about the timescale of DfE table D6: the first
    about 3 months after the start, each later one about 6 months after the one before.
    """
    end = None
    if s < w.hi and (not may_open or _maybe(draw)):
        end = _day(draw, w, s + 1, min(s + _MAX_GAP, w.hi))
    last = w.hi if end is None else end
    reviews: list[int] = []
    if last > s:
        style = draw(st.integers(0, 2))  # 0: at random; 1: on timescale until the plan ends; 2: a mixture
        count = draw(st.integers(0, 4)) if style != 1 else 12
        previous = s
        for k in range(count):
            if style == 1 or (style == 2 and _maybe(draw)):
                review = _near(draw, _months_after(previous, 3 if k == 0 else 6))
            else:
                review = _day(draw, w, s + 1, min(s + _MAX_GAP, last))
            if review > last and style == 1:
                break
            if s < review <= last:
                reviews.append(review)
                previous = max(previous, review)
        reviews.sort()
    return {"end_date": end, "review_dates": reviews}


def _to_record(kind: str, days: _Days, child: str | None, extra: Mapping[str, Any]) -> dict[str, Any]:
    """Day numbers to a dict of standard columns (dates as :class:`datetime.date`, missing as None)."""
    out: dict[str, Any] = {"child_id": child}
    for field in SCHEMAS[kind].dates:
        value = days.get(field)
        out[field] = None if value is None else date_from_day(value)
    if "review_dates" in SCHEMAS[kind].ragged:
        out["review_dates"] = [date_from_day(v) for v in days.get("review_dates", [])]
    out.update(extra)
    return out


def _draw_extra(draw: _DrawFn, extra_columns: Mapping[str, st.SearchStrategy[Any]] | None) -> dict[str, Any]:
    return {name: draw(strategy) for name, strategy in (extra_columns or {}).items()}


def records(
    record_type: str,
    calendar: WorkingCalendar | None = None,
    *,
    min_value: object = None,
    max_value: object = None,
    child_ids: st.SearchStrategy[str] | None = None,
    extra_columns: Mapping[str, st.SearchStrategy[Any]] | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid records of one type, as dicts of the standard columns.

    Keys: ``child_id``, every date field of the type (a :class:`datetime.date`, or
    ``None`` when the record is open or the optional date is absent), for plans
    ``review_dates`` (a sorted list), and any ``extra_columns`` (name -> strategy).
    Every date lies in ``min_value..max_value`` within the calendar's coverage,
    and the record breaks no rule of :data:`~casetime.validation.RULES` on its
    own (several drawn independently may share a child and overlap, or repeat:
    :func:`tables` draws sets that are valid together).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=30, deadline=None)
    ... @given(records("cpp"))
    ... def test_plan(plan):
    ...     assert plan["end_date"] is None or plan["end_date"] > plan["start_date"]
    >>> test_plan()
    """
    kind = record_type_of(record_type)
    w = _window(calendar, min_value, max_value)
    ids = _default_child_ids() if child_ids is None else child_ids
    _check_extra(kind, extra_columns)

    @st.composite
    def draw_record(draw: _DrawFn) -> dict[str, Any]:
        child = draw(ids)
        return _to_record(kind, _valid_days(draw, kind, w), child, _draw_extra(draw, extra_columns))

    return draw_record()


def _check_extra(kind: str, extra_columns: Mapping[str, Any] | None) -> None:
    clash = [name for name in (extra_columns or {}) if name in SCHEMAS[kind].columns or name == "record_type"]
    if clash:
        raise CasetimeError(f"extra_columns {', '.join(clash)} clash with standard {kind} columns")


def _table(kind: str, rows: Sequence[Mapping[str, Any]], *, source: str = "<input>", first_row: int = 0) -> Table:
    schema = SCHEMAS[kind]
    names = list(schema.columns)
    for row in rows:
        names += [k for k in row if k not in names]
    columns: dict[str, Any] = {name: [row.get(name) for row in rows] for name in names}
    if "review_dates" in columns:
        columns["review_dates"] = [list(v or []) for v in columns["review_dates"]]
    return Table.from_columns(
        kind, columns, source=source, rows=np.arange(first_row, first_row + len(rows), dtype=np.int64)
    )


def _plan_chain(draw: _DrawFn, w: _Window, count: int) -> list[_Days]:
    """Up to ``count`` plans of one child that never overlap (each starts after the previous ends)."""
    plans: list[_Days] = []
    lo = w.lo
    for k in range(count):
        if lo > w.hi:
            break
        plan = _valid_days(draw, "cpp", w, lo=lo)
        if k < count - 1 and plan["end_date"] is None and plan["start_date"] < w.hi:
            plan.update(_plan_tail(draw, w, plan["start_date"], may_open=False))
        plans.append(plan)
        if plan["end_date"] is None:
            break
        lo = plan["end_date"] + 1
    return plans


def _referral_chain(draw: _DrawFn, w: _Window, count: int) -> list[_Days]:
    """Up to ``count`` referrals of one child: at random, or (half the time) about 12 months after the one
    before (the edge of DfE table C1's re-referral), or on the same day."""
    referrals = [_valid_days(draw, "referral", w)]
    while len(referrals) < count:
        before = referrals[-1]["referral_date"]
        branch = draw(st.integers(0, 3))
        if branch <= 1:
            day = _near(draw, _months_after(before, 12)) if branch == 0 else before
            if not w.lo <= day <= w.hi:
                break
            closure = _after(draw, w, day) if _maybe(draw) else None
            referrals.append({"referral_date": day, "closure_date": closure})
        else:
            referrals.append(_valid_days(draw, "referral", w))
    return referrals


def tables(
    record_type: str,
    min_size: int = 0,
    max_size: int = 20,
    *,
    calendar: WorkingCalendar | None = None,
    min_value: object = None,
    max_value: object = None,
    extra_columns: Mapping[str, st.SearchStrategy[Any]] | None = None,
) -> st.SearchStrategy[Table]:
    """Valid :class:`~casetime.tables.Table` objects of one record type, ``min_size..max_size`` rows.

    Children have several records (plans of one child follow each other without
    overlapping; at most the last is open; a plan's reviews often come about 3 and then 6 months
    apart, a child's referrals often about 12 months apart or on one day: the edges of DfE tables
    D6 and C1); no two records are exact duplicates; rows come in random order.
    :func:`casetime.validation.validate` finds nothing.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, deadline=None)
    ... @given(tables("initial_assessment", 1, 5))
    ... def test_size(t):
    ...     assert 1 <= len(t) <= 5
    >>> test_size()
    """
    kind = record_type_of(record_type)
    if not 0 <= min_size <= max_size:
        raise CasetimeError(f"need 0 <= min_size <= max_size, got {min_size} and {max_size}")
    w = _window(calendar, min_value, max_value)
    _check_extra(kind, extra_columns)

    @st.composite
    def draw_table(draw: _DrawFn) -> Table:
        n = draw(st.integers(min_size, max_size))
        rows = _valid_rows(draw, kind, w, n, extra_columns)
        return _table(kind, draw(st.permutations(rows)) if rows else rows)

    return draw_table()


def _valid_rows(
    draw: _DrawFn, kind: str, w: _Window, n: int, extra_columns: Mapping[str, st.SearchStrategy[Any]] | None
) -> list[dict[str, Any]]:
    """``n`` valid records: a few per child, no duplicates, plans of a child never overlapping."""
    rows: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    child_no = 0
    while len(rows) < n:
        child = f"C{child_no:06d}"
        child_no += 1
        count = draw(st.integers(1, min(3, n - len(rows))))
        if kind == "cpp":
            group = _plan_chain(draw, w, count)
        elif kind == "referral":
            group = _referral_chain(draw, w, count)
        else:
            group = [_valid_days(draw, kind, w) for _ in range(count)]
        for days in group:
            record = _to_record(kind, days, child, _draw_extra(draw, extra_columns))
            key = _record_key(record)
            if key not in seen:
                seen.add(key)
                rows.append(record)
    return rows


def _record_key(record: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(
        (k, tuple(sorted(v)) if isinstance(v, list) else v) for k, v in sorted(record.items(), key=lambda kv: kv[0])
    )


# ---------------------------------------------------------------------------
# records that break a rule
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Breaker:
    """How to build records that break one or more rules (registered against the rule codes with :func:`breaks`).

    ``make(draw, rule, record_type, window, as_at, child, extra)`` draws a :class:`Broken`;
    ``rows`` is how many records a case holds; ``room(window, as_at)`` says why no case can be
    built in a date window (or ``None`` when one can).
    """

    codes: tuple[str, ...]
    make: Callable[..., Broken]
    rows: int
    room: Callable[[_Window, int | None], str | None]


_BREAKERS: dict[str, Breaker] = {}
#: The breaker of every rule code, read-only (``tests/test_rules_registry.py`` checks that every rule has one).
BREAKERS: Final[Mapping[str, Breaker]] = MappingProxyType(_BREAKERS)


def _three_days(w: _Window, cut: int | None) -> str | None:
    return None if w.hi - w.lo >= 2 else "the date window is too short to break it"


def _any_window(w: _Window, cut: int | None) -> str | None:
    return None


def breaks(
    *codes: str, rows: int = 1, room: Callable[[_Window, int | None], str | None] = _three_days
) -> Callable[[Callable[..., Broken]], Callable[..., Broken]]:
    """Register the decorated function as the breaker of rule(s) ``codes`` (it is returned unchanged)."""

    def register(make: Callable[..., Broken]) -> Callable[..., Broken]:
        made = Breaker(codes, make, rows, room)
        for code in codes:
            if code in _BREAKERS:
                raise CasetimeError(f"rule {code} already has a breaker")
            _BREAKERS[code] = made
        return make

    return register


def _record_types_for(rule: str, record_type: str | None) -> tuple[str, ...]:
    if rule not in RULES:
        raise CasetimeError(f"unknown rule {rule!r}; known rules: {', '.join(RULES)}")
    kinds = RULES[rule].record_types
    if record_type is None:
        return kinds
    kind = record_type_of(record_type)
    if kind not in kinds:
        raise CasetimeError(f"rule {rule} does not apply to {kind} records (it applies to {', '.join(kinds)})")
    return (kind,)


def _breaker(rule: str) -> Breaker:
    found = _BREAKERS.get(rule)
    if found is None:  # pragma: no cover - tests/test_rules_registry.py checks every rule has one
        raise CasetimeError(f"rule {rule} has no breaker in casetime.testing; register one with @breaks({rule!r})")
    return found


def breaking(
    rule: str,
    record_type: str | None = None,
    *,
    calendar: WorkingCalendar | None = None,
    min_value: object = None,
    max_value: object = None,
    as_at: object = None,
    child_ids: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Broken]:
    """Records built to break ``rule`` (a code of :data:`~casetime.validation.RULES`) on purpose.

    Each example is a :class:`Broken`: one record (two plans of one child for
    ``8935`` and ``8940``, two copies for ``duplicate``) that breaks the rule and,
    as far as the rule allows, nothing else (two open plans of one child also
    overlap, so ``8935`` brings ``8940`` with it). ``flagged`` says which rows and
    fields :func:`~casetime.validation.validate` must flag. ``record_type``
    defaults to any type the rule applies to; ``after_as_at`` needs ``as_at`` (the
    same date must be given to ``validate``).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, deadline=None)
    ... @given(breaking("1103", "core_assessment"))
    ... def test_start_before_referral(case):
    ...     (record,) = case.records
    ...     assert record["start_date"] < record["referral_date"]
    ...     assert case.flagged == ((0, "start_date"),)
    >>> test_start_before_referral()
    """
    kinds = _record_types_for(rule, record_type)
    w = _window(calendar, min_value, max_value, as_at)
    cut = None if as_at is None else _day_or_fail(as_at, "as_at")
    why = _breaker(rule).room(w, cut)
    if why is not None:
        raise CasetimeError(f"cannot break rule {rule}: {why}")
    ids = _default_child_ids() if child_ids is None else child_ids

    @st.composite
    def draw_broken(draw: _DrawFn) -> Broken:
        kind = draw(st.sampled_from(kinds))
        return _broken(draw, rule, kind, w, cut, draw(ids), {})

    return draw_broken()


def _outside_room(w: _Window, cut: int | None) -> tuple[str, ...]:
    sides = []
    if w.cov_lo - 1 >= _dt.date.min.toordinal() - EPOCH_ORDINAL + 3650:
        sides.append("early")
    if cut is None and w.cov_hi + 1 <= _dt.date.max.toordinal() - EPOCH_ORDINAL - 3650:
        sides.append("late")
    return tuple(sides)


def _broken(
    draw: _DrawFn, rule: str, kind: str, w: _Window, cut: int | None, child: str, extra: Mapping[str, Any]
) -> Broken:
    """Draw one :class:`Broken` for ``rule`` and ``kind`` with the given child."""
    return _breaker(rule).make(draw, rule, kind, w, cut, child, extra)


@breaks("1103", "2889", "1105")
def _start_before_referral(
    draw: _DrawFn, rule: str, kind: str, w: _Window, cut: int | None, child: str, extra: Mapping[str, Any]
) -> Broken:
    r = _day(draw, w, w.lo + 1, w.hi)
    s = _day(draw, w, max(w.lo, r - _SHORT_GAP), r - 1)
    days: _Days = {"referral_date": r, "start_date": s}
    if kind == "cpp":
        days.update(_plan_tail(draw, w, s))
    elif kind == "s47":
        days["conference_date"] = _after(draw, w, r, 90) if _maybe(draw) else None
    else:
        days["completion_date"] = _after(draw, w, r) if _maybe(draw) else None
    return _made(rule, kind, [days], ((0, "start_date"),), child, extra)


@breaks("8608")
def _completed_before_start(
    draw: _DrawFn, rule: str, kind: str, w: _Window, cut: int | None, child: str, extra: Mapping[str, Any]
) -> Broken:
    lo, hi = w.lo, w.hi
    clock = _day(draw, w, lo + 1, hi)
    if kind == "core_assessment":
        days: _Days = {
            "start_date": clock,
            "referral_date": _day(draw, w, max(lo, clock - 30), clock) if _maybe(draw) else None,
        }
    else:
        r = _day(draw, w, max(lo + 1, clock - 30), clock) if _maybe(draw) else clock
        days = {"referral_date": r, "start_date": clock if clock != r or _maybe(draw) else None}
    days["completion_date"] = _day(draw, w, max(lo, clock - _SHORT_GAP), clock - 1)
    return _made(rule, kind, [days], ((0, "completion_date"),), child, extra)


@breaks("8615")
def _conference_before_s47(
    draw: _DrawFn, rule: str, kind: str, w: _Window, cut: int | None, child: str, extra: Mapping[str, Any]
) -> Broken:
    s = _day(draw, w, w.lo + 1, w.hi)
    ref = _day(draw, w, max(w.lo, s - 30), s) if _maybe(draw) else None
    days: _Days = {"referral_date": ref, "start_date": s, "conference_date": _day(draw, w, max(w.lo, s - 30), s - 1)}
    return _made(rule, kind, [days], ((0, "conference_date"),), child, extra)


@breaks("8925")
def _plan_ends_before_start(
    draw: _DrawFn, rule: str, kind: str, w: _Window, cut: int | None, child: str, extra: Mapping[str, Any]
) -> Broken:
    s = _day(draw, w, w.lo + 1, w.hi)
    ref = _day(draw, w, max(w.lo, s - 30), s) if _maybe(draw) else None
    end = _day(draw, w, max(w.lo, s - _MAX_GAP), s - 1)
    days: _Days = {"referral_date": ref, "start_date": s, "end_date": end, "review_dates": []}
    return _made(rule, kind, [days], ((0, "end_date"),), child, extra)


@breaks("8840", room=_any_window)
def _plan_of_one_day(
    draw: _DrawFn, rule: str, kind: str, w: _Window, cut: int | None, child: str, extra: Mapping[str, Any]
) -> Broken:
    s = _day(draw, w, w.lo, w.hi)
    ref = _day(draw, w, max(w.lo, s - 30), s) if _maybe(draw) else None
    days: _Days = {"referral_date": ref, "start_date": s, "end_date": s, "review_dates": []}
    return _made(rule, kind, [days], ((0, "end_date"),), child, extra)


@breaks("8841")
def _review_before_start(
    draw: _DrawFn, rule: str, kind: str, w: _Window, cut: int | None, child: str, extra: Mapping[str, Any]
) -> Broken:
    s = _day(draw, w, w.lo + 1, w.hi)
    days: _Days = {"referral_date": _day(draw, w, max(w.lo, s - 30), s) if _maybe(draw) else None, "start_date": s}
    days.update(_plan_tail(draw, w, s))
    bad = [_day(draw, w, max(w.lo, s - 90), s) for _ in range(draw(st.integers(1, 2)))]
    days["review_dates"] = sorted(days["review_dates"] + bad)
    return _made(rule, kind, [days], ((0, "review_dates"),), child, extra)


@breaks("8630")
def _closed_before_referral(
    draw: _DrawFn, rule: str, kind: str, w: _Window, cut: int | None, child: str, extra: Mapping[str, Any]
) -> Broken:
    r = _day(draw, w, w.lo + 1, w.hi)
    days = {"referral_date": r, "closure_date": _day(draw, w, max(w.lo, r - _MAX_GAP), r - 1)}
    return _made(rule, kind, [days], ((0, "closure_date"),), child, extra)


@breaks("8935", rows=2)
def _two_open_plans(
    draw: _DrawFn, rule: str, kind: str, w: _Window, cut: int | None, child: str, extra: Mapping[str, Any]
) -> Broken:
    s1 = _day(draw, w, w.lo, w.hi)
    s2 = _day(draw, w, w.lo, w.hi)
    if s2 == s1:
        s2 = s1 + 1 if s1 < w.hi else s1 - 1
    found: list[_Days] = [
        {"referral_date": None, "start_date": s, "end_date": None, "review_dates": []} for s in (s1, s2)
    ]
    return _made(rule, kind, found, ((0, "end_date"), (1, "end_date")), child, extra)


@breaks("8940", rows=2)
def _overlapping_plans(
    draw: _DrawFn, rule: str, kind: str, w: _Window, cut: int | None, child: str, extra: Mapping[str, Any]
) -> Broken:
    s1 = _day(draw, w, w.lo, w.hi - 1)
    e1 = _day(draw, w, s1 + 1, min(s1 + _MAX_GAP, w.hi))
    s2 = _day(draw, w, s1, e1)
    e2 = _day(draw, w, s2 + 1, min(s2 + _MAX_GAP, w.hi)) if s2 < w.hi and _maybe(draw) else None
    if s2 == s1 and e2 == e1:
        e2 = None
    found: list[_Days] = [
        {"referral_date": None, "start_date": s, "end_date": e, "review_dates": []} for s, e in ((s1, e1), (s2, e2))
    ]
    return _made(rule, kind, found, _overlaps(found), child, extra)


@breaks("missing_date", room=_any_window)
def _missing_required(
    draw: _DrawFn, rule: str, kind: str, w: _Window, cut: int | None, child: str, extra: Mapping[str, Any]
) -> Broken:
    days = _valid_days(draw, kind, w)
    field = draw(st.sampled_from(SCHEMAS[kind].required))
    if field == "child_id":
        child_value: str | None = None
    else:
        child_value = child
        days[field] = None
        if kind == "s47":
            days["conference_date"] = None  # an ICPC without an s47 start also breaks 8615
    return _made(rule, kind, [days], ((0, field),), child_value, extra)


def _coverage_room(w: _Window, cut: int | None) -> str | None:
    return None if _outside_room(w, cut) else "no room outside the calendar's coverage to put a date in"


def _as_at_room(w: _Window, cut: int | None) -> str | None:
    if cut is None:
        return "breaking('after_as_at') needs as_at= (the date later passed to validate)"
    if cut >= w.cov_hi:
        return f"no date after as_at {date_from_day(cut)} inside the calendar's coverage"
    return None


@breaks("out_of_coverage", room=_coverage_room)
@breaks("after_as_at", room=_as_at_room)
def _date_too_far(
    draw: _DrawFn, rule: str, kind: str, w: _Window, cut: int | None, child: str, extra: Mapping[str, Any]
) -> Broken:
    days = _valid_days(draw, kind, w)
    field = _move_extreme(draw, rule, kind, days, w, cut)
    return _made(rule, kind, [days], ((0, field),), child, extra)


def _today() -> int:
    return _day_or_fail(_dt.date.today(), "today")


def _future_room(w: _Window, cut: int | None) -> str | None:
    if cut is not None:
        return "breaking('outlier_date') needs no as_at (a lone record is an outlier when it is after today)"
    if w.hi <= _today():
        return "no date after today inside the window (a lone record is an outlier when it is after today)"
    return None


@breaks("outlier_date", room=_future_room)
def _after_today(
    draw: _DrawFn, rule: str, kind: str, w: _Window, cut: int | None, child: str, extra: Mapping[str, Any]
) -> Broken:
    today = _today()
    days = _valid_days(draw, kind, w, lo=today + 1)
    clock = dict.fromkeys(SCHEMAS[kind].clock)
    flagged = tuple((0, field) for field in clock if days.get(field) is not None)
    return _made(rule, kind, [days], flagged, child, extra)


def _census_room(days_before: int) -> Callable[[_Window, int | None], str | None]:
    """Room for a record open ``days_before`` calendar days or more before ``as_at`` (the census queries)."""

    def room(w: _Window, cut: int | None) -> str | None:
        if cut is None:
            return "the census queries need as_at= (the reference date later passed to validate)"
        if cut > w.cov_hi or min(w.hi, cut - days_before) < w.lo:
            return f"no start inside the window {days_before} days or more before as_at {date_from_day(cut)}"
        return None

    return room


# 100 calendar days hold more than 45 working days, and 40 more than 15, in any year
@breaks("8670Q", room=_census_room(100))
@breaks("8675Q", room=_census_room(40))
def _open_at_the_reference_date(
    draw: _DrawFn, rule: str, kind: str, w: _Window, cut: int | None, child: str, extra: Mapping[str, Any]
) -> Broken:
    assert cut is not None
    s = _day(draw, w, w.lo, min(w.hi, cut - (100 if rule == "8670Q" else 40)))
    r = _day(draw, w, max(w.lo, s - _SHORT_GAP), s) if kind == "s47" and not _maybe(draw) else s
    stop = "completion_date" if rule == "8670Q" else "conference_date"
    days: _Days = {"referral_date": r, "start_date": s, stop: None}
    return _made(rule, kind, [days], ((0, "start_date"),), child, extra)


@breaks("icpc_target")
def _wrong_conference_target(
    draw: _DrawFn, rule: str, kind: str, w: _Window, cut: int | None, child: str, extra: Mapping[str, Any]
) -> Broken:
    days = _valid_days(draw, kind, w)
    due = int(w.calendar.due(np.array([days["start_date"]], dtype=np.int64), 15)[0])
    if due == MISSING:  # (15 working days run past the coverage: a start earlier in the window)
        days["start_date"] = days["referral_date"] = w.lo
        days["conference_date"] = None
        due = int(w.calendar.due(np.array([w.lo], dtype=np.int64), 15)[0])
    wrong = due + draw(st.sampled_from([-3, -2, -1, 1, 2, 7]))
    target = {"InitialCPCtarget": date_from_day(wrong).isoformat()}
    return _made(rule, kind, [days], ((0, "InitialCPCtarget"),), child, {**extra, **target})


@breaks("duplicate", rows=2, room=_any_window)
def _two_copies(
    draw: _DrawFn, rule: str, kind: str, w: _Window, cut: int | None, child: str, extra: Mapping[str, Any]
) -> Broken:
    days = _valid_days(draw, kind, w)
    return _made(rule, kind, [days, dict(days)], ((1, "record"),), child, extra)


def _overlaps(plans: Sequence[_Days]) -> tuple[tuple[int, str], ...]:
    """Rule 8940 by its definition: plan ``q`` starting within plan ``p`` flags ``q``'s start and ``p``'s end."""
    found: set[tuple[int, str]] = set()
    for i, p in enumerate(plans):
        for j, q in enumerate(plans):
            p_end = p["end_date"]
            if i != j and p["start_date"] <= q["start_date"] and (p_end is None or q["start_date"] <= p_end):
                found |= {(j, "start_date"), (i, "end_date")}
    return tuple(sorted(found))


def _made(
    rule: str,
    kind: str,
    found: list[_Days],
    flagged: tuple[tuple[int, str], ...],
    child: str | None,
    extra: Mapping[str, Any],
) -> Broken:
    return Broken(rule, kind, tuple(_to_record(kind, days, child, extra) for days in found), flagged)


def _move_extreme(draw: _DrawFn, rule: str, kind: str, days: _Days, w: _Window, cut: int | None) -> str:
    """Move the earliest date before the coverage, or the latest after it (or after ``cut``).

    Moving the earliest date earlier, or the latest later, keeps every ordering rule satisfied.
    """
    order = {f: k for k, f in enumerate((*SCHEMAS[kind].dates, "review_dates"))}
    # ties go to the field that comes first (for the earliest) or last (for the latest) in the record's
    # own order, so referral <= start <= completion still holds after the move
    present = [(v, order[f], f) for f, v in days.items() if f != "review_dates" and v is not None]
    present += [(v, order["review_dates"], "review_dates") for v in days.get("review_dates", [])]
    if rule == "after_as_at":
        assert cut is not None
        value, _, field = max(present)
        new = draw(st.integers(cut + 1, min(cut + _MAX_GAP, w.cov_hi)))
    else:
        side = draw(st.sampled_from(_outside_room(w, cut)))
        if side == "early":
            value, _, field = min(present)
            new = draw(st.integers(w.cov_lo - 3650, w.cov_lo - 1))
        else:
            value, _, field = max(present)
            new = draw(st.integers(w.cov_hi + 1, w.cov_hi + 3650))
    if field == "review_dates":
        reviews = list(days["review_dates"])
        reviews[reviews.index(value)] = new
        days["review_dates"] = sorted(reviews)
    else:
        days[field] = new
    return field


# ---------------------------------------------------------------------------
# whole extracts
# ---------------------------------------------------------------------------


def extracts(
    size: int = 20,
    fault_rate: float = 0.1,
    record_types: Iterable[str] = RECORD_TYPES,
    *,
    calendar: WorkingCalendar | None = None,
    min_value: object = None,
    max_value: object = None,
    as_at: object = None,
    rules: Iterable[str] | None = None,
    sources: int = 1,
    extra_columns: Mapping[str, st.SearchStrategy[Any]] | None = None,
) -> st.SearchStrategy[Extract]:
    """Whole extracts: ``size`` rows of each record type, each unit faulty with probability ``fault_rate``.

    A unit is one valid child (a few records; plans that follow each other) or a
    :func:`breaking` case for a rule drawn from ``rules`` (default: every rule
    that applies; ``after_as_at`` only when ``as_at`` is given; never ``outlier_date``, which is
    about the spread of the whole extract's dates: a random extract spanning its window may have
    such warnings, which are not in :attr:`Extract.faults`). Children never repeat across units, so
    faults cannot interact. ``sources > 1`` splits each
    table into that many files (``"<record_type>_<k>.csv"``, rows numbered from
    2 as in a spreadsheet). :attr:`Extract.faults` lists what ``validate`` must
    flag; :meth:`Extract.faulty_rows` the rows that must count as errors.

    >>> from hypothesis import given, settings
    >>> from casetime.validation import validate
    >>> @settings(max_examples=10, deadline=None)
    ... @given(extracts(size=15, fault_rate=0.3, record_types=["cpp", "s47"]))
    ... def test_detects_faults(ex):
    ...     report = validate(ex.tables)
    ...     for kind in ex.tables:
    ...         assert set(np.flatnonzero(report.error_mask(kind))) == ex.faulty_rows(kind)
    >>> test_detects_faults()
    """
    names = [record_types] if isinstance(record_types, str) else list(record_types)
    kinds = tuple(dict.fromkeys(record_type_of(k) for k in names))
    if size < 0:
        raise CasetimeError(f"size must be at least 0, got {size}")
    if not 0.0 <= fault_rate <= 1.0:
        raise CasetimeError(f"fault_rate must be between 0 and 1, got {fault_rate}")
    if sources < 1:
        raise CasetimeError(f"sources must be at least 1, got {sources}")
    w = _window(calendar, min_value, max_value, as_at)
    cut = None if as_at is None else _day_or_fail(as_at, "as_at")
    wanted = tuple(RULES) if rules is None else tuple(rules)
    for rule in wanted:
        if rule not in RULES:
            raise CasetimeError(f"unknown rule {rule!r}; known rules: {', '.join(RULES)}")
    usable = tuple(r for r in wanted if _usable(r, w, cut) and r not in _EXTRACT_WIDE)
    for kind in kinds:
        _check_extra(kind, extra_columns)

    @st.composite
    def draw_extract(draw: _DrawFn) -> Extract:
        built: dict[str, Table] = {}
        faults: list[Fault] = []
        for kind in kinds:
            table, found = _draw_extract_table(draw, kind, w, cut, size, fault_rate, usable, sources, extra_columns)
            built[kind] = table
            faults += found
        return Extract(built, tuple(faults))

    return draw_extract()


#: Rules about a whole extract's spread of dates, not one unit: never drawn as a unit's fault. (Their
#: findings are warnings; a random extract's dates span its window, so it may well have some.)
_EXTRACT_WIDE: Final = ("outlier_date",)


def _usable(rule: str, w: _Window, cut: int | None) -> bool:
    return _breaker(rule).room(w, cut) is None


def _draw_extract_table(
    draw: _DrawFn,
    kind: str,
    w: _Window,
    cut: int | None,
    size: int,
    fault_rate: float,
    rules: tuple[str, ...],
    sources: int,
    extra_columns: Mapping[str, st.SearchStrategy[Any]] | None,
) -> tuple[Table, list[Fault]]:
    applicable = [r for r in rules if kind in RULES[r].record_types]
    units: list[tuple[list[dict[str, Any]], tuple[tuple[int, str], ...], str]] = []
    rows = 0
    unit = 0
    while rows < size:
        child = f"{kind[:3].upper()}{unit:06d}"
        unit += 1
        room = size - rows
        choices = [r for r in applicable if _breaker(r).rows <= room]
        if choices and draw(st.floats(0.0, 1.0, exclude_max=True)) < fault_rate:
            rule = draw(st.sampled_from(choices))
            case = _broken(draw, rule, kind, w, cut, child, _draw_extra(draw, extra_columns))
            units.append((list(case.records), case.flagged, rule))
            rows += len(case.records)
        else:
            count = draw(st.integers(1, min(3, room)))
            group = _plan_chain(draw, w, count) if kind == "cpp" else [_valid_days(draw, kind, w)]
            extra = _draw_extra(draw, extra_columns)
            units.append(([_to_record(kind, days, child, extra) for days in group], (), ""))
            rows += len(group)
    # rows in random order, remembering where each unit's rows went
    flat = [(u, i) for u, (recs, _, _) in enumerate(units) for i in range(len(recs))]
    order = draw(st.permutations(range(len(flat)))) if flat else []
    position = {flat[k]: p for p, k in enumerate(order)}
    ordered = [units[flat[k][0]][0][flat[k][1]] for k in order]
    faults = [
        Fault(kind, position[(u, i)], rule, field)
        for u, (_, flagged, rule) in enumerate(units)
        for i, field in flagged
        if rule != "duplicate"
    ]
    # exact duplicates from the rows as placed (a duplicate unit, or two records without a child id that
    # happen to match): the later copy in table order is the one flagged
    seen: set[tuple[Any, ...]] = set()
    for p, record in enumerate(ordered):
        key = _record_key(record)
        if key in seen:
            faults.append(Fault(kind, p, "duplicate", "record"))
        seen.add(key)
    faults.sort(key=lambda f: (f.row, f.rule, f.field))
    return _split_sources(draw, kind, ordered, sources), faults


def _split_sources(draw: _DrawFn, kind: str, rows: list[dict[str, Any]], sources: int) -> Table:
    if sources == 1 or len(rows) < 2:
        return _table(kind, rows, source=f"{kind}_1.csv", first_row=2)
    cuts = sorted(draw(st.lists(st.integers(0, len(rows)), min_size=sources - 1, max_size=sources - 1)))
    bounds = [0, *cuts, len(rows)]
    parts = [
        _table(kind, rows[a:b], source=f"{kind}_{k + 1}.csv", first_row=2)
        for k, (a, b) in enumerate(itertools.pairwise(bounds))
        if b > a
    ]
    return Table.concat(parts)
