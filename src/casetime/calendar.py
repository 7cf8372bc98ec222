"""Working-day calendars: which days count, and counting them fast.

A :class:`WorkingCalendar` is a weekmask (Monday to Friday by default) minus a
set of holidays, minus optional closure layers, over an explicit coverage. It
refuses dates outside its coverage (:class:`~casetime.errors.CalendarRangeError`)
instead of treating them as holiday-free.

Counting convention ("day 0", the default): ``working_days_between(a, b)`` is the
number of working days ``d`` with ``a < d <= b``; reversed dates give the
negative count. ``convention="inclusive"`` counts the start day as day 1.

>>> cal = england()
>>> cal.working_days_between("2009-01-05", "2009-01-14")
7
>>> cal.add_working_days("2008-12-19", 7)
datetime.date(2009, 1, 2)
>>> cal.working_days_between("2009-01-05", "2009-01-14", convention="inclusive")
8
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import importlib.resources
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal, NamedTuple, get_args

import numpy as np
import numpy.typing as npt

from casetime._compat import is_pandas_series, take_clip
from casetime.dates import (
    EPOCH_ORDINAL,
    MISSING,
    Coerced,
    coerce_dates,
    date_from_day,
    day_number,
    days_to_dates,
    is_array_like,
    is_missing_scalar,
    lookup,
    weekday,
)
from casetime.errors import CalendarRangeError, CasetimeError, CasetimeTypeError

__all__ = [
    "Convention",
    "CONVENTIONS",
    "DayTables",
    "Holiday",
    "check_convention",
    "as_calendar",
    "WorkingCalendar",
    "england",
    "from_govuk_json",
    "read_closures",
    "is_working_day",
    "working_days_between",
    "add_working_days",
    "next_working_day",
    "previous_working_day",
]

Convention = Literal["day0", "inclusive"]
#: The counting conventions, by name.
CONVENTIONS: Final[tuple[Convention, ...]] = get_args(Convention)

DEFAULT_START: Final = _dt.date(1990, 1, 1)
DEFAULT_END: Final = _dt.date(2040, 12, 31)

_BIG: Final = 1 << 40  # sentinel for cumulative counts outside coverage
_MAX_N: Final = 1 << 39


class Holiday(NamedTuple):
    """A non-working weekday with its name and the layer it comes from."""

    date: _dt.date
    name: str
    layer: str = "bank holiday"


@dataclass(frozen=True, slots=True)
class _Tables:
    """Lookup tables indexed by ``day number + offset`` (see the calendar docs)."""

    offset: int
    lo: int
    hi: int
    cum: npt.NDArray[np.float64]  # working days in [lo, d]; NaN outside coverage
    cum_i: npt.NDArray[np.int64]  # the same, with -BIG / +BIG outside coverage
    inv: npt.NDArray[np.int64]  # inv[k] = day number of the k-th working day; MISSING at both ends
    flag: npt.NDArray[np.int8]  # 1 working, 0 not, -1 outside coverage


def check_convention(convention: str) -> Convention:
    """``convention`` if it is one of :data:`CONVENTIONS`; otherwise a clear error.

    >>> check_convention("inclusive")
    'inclusive'
    """
    if convention not in CONVENTIONS:
        raise CasetimeError(f"unknown convention {convention!r}; choose one of {', '.join(CONVENTIONS)}")
    return convention


@dataclass(frozen=True, eq=False)
class DayTables:
    """One gather per date gives both the working days elapsed and the order of two dates.

    Indexed by ``day + offset``: ``stop[d] = scale * W(d) + r(d)``, where ``W(d)`` is the number of
    working days up to and including ``d`` and ``r(d)`` the days since the last working day on or
    before ``d``. For a start ``s`` and stop ``e``,
    ``stop[e] - stop[s] = scale * elapsed + (r(e) - r(s))`` with ``|r(e) - r(s)| <= slack < scale / 2``,
    and it is negative exactly when ``e < s`` (when no working day lies between them,
    ``r(e) - r(s) = e - s``). ``start_inclusive[d] = stop[d - 1] + 1`` does the same for the
    inclusive convention. Days outside the coverage hold ``-+sentinel``, so any difference of at
    least ``sentinel / 2`` involves a start outside it (or missing). Made once per calendar by
    :meth:`WorkingCalendar.day_tables` (the indicator engine's view of the calendar).
    """

    offset: int
    stop: npt.NDArray[Any]
    start_inclusive: npt.NDArray[Any]
    scale: int
    slack: int
    sentinel: int

    def start_table(self, convention: Convention) -> npt.NDArray[Any]:
        """The table the clock start is looked up in, for ``convention``."""
        return self.stop if convention == "day0" else self.start_inclusive

    def threshold(self, limit: Any, comparison: str) -> Any:
        """Differences at or above this are beyond ``limit`` (``"within"``) or reach it (``"at_least"``).

        ``limit`` may be an array (one limit per record).
        """
        if comparison == "within":
            return self.scale * (limit + 1) - self.slack
        return np.maximum(self.scale * limit - self.slack, 0)

    def gather(self, table: npt.NDArray[Any], days: npt.NDArray[np.int64]) -> npt.NDArray[Any]:
        """``table`` at ``days`` (missing or outside the coverage: the sentinels)."""
        return lookup(table, days, self.offset)


def _parse_weekmask(weekmask: str | Iterable[bool | int]) -> tuple[bool, ...]:
    if isinstance(weekmask, str):
        text = weekmask.strip()
        if len(text) == 7 and set(text) <= {"0", "1"}:
            return tuple(c == "1" for c in text)
        names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        full = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        words = [w.lower() for w in text.replace(",", " ").split()]
        if words and all(w in names or w in full for w in words):
            words = [w[:3] for w in words]
            return tuple(n in words for n in names)
        raise CasetimeError(f"weekmask {weekmask!r} is not 7 digits of 0/1 (Monday first) or day names")
    mask = tuple(bool(v) for v in weekmask)
    if len(mask) != 7:
        raise CasetimeError(f"weekmask needs 7 entries (Monday first), got {len(mask)}")
    return mask


def _to_date(value: object, what: str) -> _dt.date:
    day = day_number(value)
    if day is None:
        raise CasetimeError(f"{what} is missing")
    return date_from_day(day)


def _named_days(days: Iterable[object] | Mapping[object, str], default_name: str) -> dict[_dt.date, str]:
    if isinstance(days, Mapping):
        return {_to_date(k, "holiday date"): str(v) for k, v in days.items()}
    return {_to_date(k, "holiday date"): default_name for k in days}


class WorkingCalendar:
    """Working days: a weekmask minus holidays minus closure layers, over a coverage.

    Parameters
    ----------
    holidays:
        Non-working days, as dates (or ISO strings) or a mapping of date to name.
    weekmask:
        Which weekdays can be working days, Monday first: ``"1111100"`` (the
        default), ``"Mon Tue Wed Thu Fri"`` or seven booleans.
    start, end:
        The inclusive coverage. Any date outside it raises
        :class:`~casetime.errors.CalendarRangeError`.
    name:
        A label used in messages and reports.

    >>> cal = WorkingCalendar({"2009-01-01": "New Year"}, start="2008-01-01", end="2010-12-31")
    >>> cal.working_days_between("2008-12-31", "2009-01-02")
    1
    >>> cal.working_days_between("2007-12-31", "2008-01-02")
    Traceback (most recent call last):
    ...
    casetime.errors.CalendarRangeError: date 2007-12-31 is outside the calendar's coverage 2008-01-01 to 2010-12-31; ...
    """

    __slots__ = ("__dict__", "_closures", "_holidays", "_source", "end", "name", "start", "weekmask")

    def __init__(
        self,
        holidays: Iterable[object] | Mapping[object, str] = (),
        *,
        weekmask: str | Iterable[bool | int] = "1111100",
        start: object = DEFAULT_START,
        end: object = DEFAULT_END,
        name: str = "custom",
        closures: Mapping[_dt.date, tuple[str, str]] | None = None,
    ) -> None:
        self.name = name
        self.weekmask = _parse_weekmask(weekmask)
        self.start = _to_date(start, "calendar start")
        self.end = _to_date(end, "calendar end")
        if self.end < self.start:
            raise CasetimeError(f"calendar end {self.end} is before its start {self.start}")
        named = _named_days(holidays, "holiday")
        self._holidays: dict[_dt.date, str] | None = {d: n for d, n in named.items() if self.start <= d <= self.end}
        self._source: Any = None
        self._closures: dict[_dt.date, tuple[str, str]] = dict(closures or {})
        for day in self._closures:
            self._require_covered(day)

    @classmethod
    def _lazy(cls, source: Any, *, start: _dt.date, end: _dt.date, name: str) -> WorkingCalendar:
        """A calendar whose holidays are loaded by ``source()`` on first use."""
        cal = cls(start=start, end=end, name=name)
        cal._holidays = None
        cal._source = source
        return cal

    # -- what the calendar holds -------------------------------------------------

    @property
    def coverage(self) -> tuple[_dt.date, _dt.date]:
        """The first and last date (inclusive) this calendar can answer for."""
        return (self.start, self.end)

    @property
    def holidays(self) -> dict[_dt.date, str]:
        """Every holiday in coverage (weekend ones included) with its name; a copy."""
        return dict(self._holiday_map())

    def _holiday_map(self) -> dict[_dt.date, str]:
        if self._holidays is None:
            loaded = self._source()
            self._holidays = {d: n for d, n in loaded.items() if self.start <= d <= self.end}
        return self._holidays

    def covers(self, value: object) -> bool:
        """Whether a date lies inside the coverage.

        >>> england().covers("1989-12-31"), england().covers("2009-01-05")
        (False, True)
        """
        return self.start <= _to_date(value, "date") <= self.end

    def _require_covered(self, day: _dt.date) -> None:
        if not self.start <= day <= self.end:
            raise CalendarRangeError(day, self.coverage)

    def _closed_weekdays(self) -> list[Holiday]:
        found: dict[_dt.date, Holiday] = {}
        for day, name in self._holiday_map().items():
            if self.start <= day <= self.end and self.weekmask[day.weekday()]:
                found[day] = Holiday(day, name, "bank holiday")
        for day, (name, layer) in self._closures.items():
            if self.weekmask[day.weekday()] and day not in found:
                found[day] = Holiday(day, name, layer)
        return sorted(found.values())

    def bank_holidays(self, start: object = None, end: object = None) -> list[Holiday]:
        """The holidays that close a weekday, between ``start`` and ``end`` inclusive.

        Substitute days appear under their own name ("... (observed)");
        holidays falling on a weekend, which close nothing, are left out.
        Closure layers are not listed here (see :meth:`closure_days`).

        >>> [(h.date.isoformat(), h.name) for h in england().bank_holidays("2009-12-01", "2009-12-31")]
        [('2009-12-25', 'Christmas Day'), ('2009-12-28', 'Boxing Day (observed)')]
        """
        lo = self.start if start is None else _to_date(start, "start")
        hi = self.end if end is None else _to_date(end, "end")
        return [h for h in self._closed_weekdays() if h.layer == "bank holiday" and lo <= h.date <= hi]

    def closure_days(self) -> list[Holiday]:
        """The local closure days added with :meth:`with_closures`, in date order."""
        return sorted(Holiday(d, n, layer) for d, (n, layer) in self._closures.items())

    def with_closures(
        self, days: Iterable[object] | Mapping[object, str], *, layer: str = "council closure"
    ) -> WorkingCalendar:
        """A new calendar that also treats ``days`` as non-working; this one is unchanged.

        >>> cal = england()
        >>> local = cal.with_closures(["2009-12-24"], layer="office closure")
        >>> cal.is_working_day("2009-12-24"), local.is_working_day("2009-12-24")
        (True, False)
        """
        named = _named_days(days, layer)
        closures = dict(self._closures)
        for day, label in named.items():
            closures[day] = (label, layer)
        new = WorkingCalendar(
            weekmask=self.weekmask, start=self.start, end=self.end, name=f"{self.name} + {layer}", closures=closures
        )
        new._holidays = self._holidays
        new._source = self._source
        return new

    def __repr__(self) -> str:
        extra = f", closures={len(self._closures)}" if self._closures else ""
        return f"<WorkingCalendar {self.name!r} {self.start}..{self.end}{extra}>"

    # -- tables --------------------------------------------------------------------

    @functools.cached_property
    def _tables(self) -> _Tables:
        lo = self.start.toordinal() - EPOCH_ORDINAL
        hi = self.end.toordinal() - EPOCH_ORDINAL
        offset = 0 if lo >= 1 else 1 - lo
        size = hi + offset + 2
        span = np.arange(lo, hi + 1, dtype=np.int64)
        working = np.asarray(self.weekmask, dtype=bool)[weekday(span)]
        closed = [d for d in self._holiday_map() if self.start <= d <= self.end]
        closed += list(self._closures)
        if closed:
            idx = np.array([d.toordinal() for d in closed], dtype=np.int64) - EPOCH_ORDINAL - lo
            working[idx] = False
        counts = np.cumsum(working, dtype=np.int64)
        first = lo + offset
        cum = np.full(size, np.nan)
        cum[first : first + span.size] = counts
        cum_i = np.full(size, -_BIG, dtype=np.int64)
        cum_i[first : first + span.size] = counts
        cum_i[first + span.size :] = _BIG
        wd = span[working]
        inv = np.concatenate(([MISSING], wd, [MISSING])).astype(np.int64)
        flag = np.full(size, -1, dtype=np.int8)
        flag[first : first + span.size] = working
        for arr in (cum, cum_i, inv, flag):
            arr.flags.writeable = False
        return _Tables(offset, lo, hi, cum, cum_i, inv, flag)

    def _index(self, days: Any) -> Any:
        off = self._tables.offset
        return days + off if off else days

    # -- the engine's view: day-number arrays in, never an error for a missing or uncovered day ------

    def day_tables(self) -> DayTables:
        """The per-day tables the indicator engine classifies records with (made once; see :class:`DayTables`)."""
        return self._day_tables

    @functools.cached_property
    def _day_tables(self) -> DayTables:
        t = self._tables
        size = t.flag.size
        first, last = t.lo + t.offset, t.hi + t.offset  # the coverage, as indices (first >= 1)
        index = np.arange(size, dtype=np.int64)
        working = t.flag == 1
        working[first - 1] = True  # the day before the coverage counts as a working day (W = 0 there)
        last_working = np.maximum.accumulate(np.where(working, index, -1))
        since = index - last_working
        cum = np.where(index >= first, t.cum_i, 0)
        max_since = int(since[first - 1 : last + 1].max())
        scale = 2 * max_since + 4
        slack = max_since + 1
        values = cum * scale + since
        span = int(values[first - 1 : last + 1].max())
        small = span < (1 << 27)
        sentinel = (1 << 29) if small else (1 << 60)
        stop = np.empty(size, dtype=np.int32 if small else np.int64)
        stop[:first] = -sentinel
        stop[first : last + 1] = values[first : last + 1]
        stop[last + 1 :] = sentinel
        start_inclusive = stop.copy()
        start_inclusive[first : last + 1] = values[first - 1 : last] + 1
        for arr in (stop, start_inclusive):
            arr.flags.writeable = False
        return DayTables(t.offset, stop, start_inclusive, scale, slack, sentinel)

    @functools.cached_property
    def fingerprint(self) -> str:
        """A short digest of which days this calendar counts: calendars built apart with the same days agree.

        >>> england().fingerprint == england().with_closures([]).fingerprint
        True
        """
        return hashlib.sha256(self._tables.flag.tobytes()).hexdigest()[:12]

    def elapsed(self, start: Any, end: Any, convention: Convention = "day0") -> npt.NDArray[np.float64]:
        """Working days from ``start`` to ``end`` for day numbers (``int64`` arrays or ints), as ``float64``.

        NaN where either day is missing or outside the coverage; never raises for them (the
        public :meth:`working_days_between` raises instead).

        >>> days = np.array([14249, MISSING])
        >>> england().elapsed(days, np.array([14258, 14258])).tolist()
        [7.0, nan]
        """
        t = self._tables
        si, ei = self._index(np.asarray(start, dtype=np.int64)), self._index(np.asarray(end, dtype=np.int64))
        result = take_clip(t.cum, ei)
        before = take_clip(t.cum, si)
        if isinstance(result, np.ndarray) and result.shape == np.shape(before):
            np.subtract(result, before, out=result)
        else:
            result = np.asarray(result - before, dtype=np.float64)
        if convention == "inclusive":
            fs = take_clip(t.flag, si)
            fe = take_clip(t.flag, ei)
            result += np.where(np.asarray(start) <= np.asarray(end), fs, -fe)
        out: npt.NDArray[np.float64] = result
        return out

    def due(self, start: Any, n: Any, convention: Convention = "day0") -> npt.NDArray[np.int64]:
        """The due day (the ``n``-th working day after ``start``) for day numbers; ``n`` an int or array.

        :data:`~casetime.dates.MISSING` where the start is missing or outside the coverage, or the
        answer lies beyond it; never raises for them (the public :meth:`add_working_days` raises).

        >>> england().due(np.array([14249, MISSING]), 7).view("M8[D]").tolist()
        [datetime.date(2009, 1, 14), None]
        """
        t = self._tables
        si = self._index(np.asarray(start, dtype=np.int64))
        k = take_clip(t.cum_i, si) + n
        if convention == "inclusive":
            fs = take_clip(t.flag, si).astype(np.int64)
            k = k - np.where(np.asarray(n) >= 1, fs, 0) + (np.asarray(n) <= -1)
        out: npt.NDArray[np.int64] = take_clip(t.inv, k)
        return out

    def _raise_out_of_range(self, *coerced: Any) -> None:
        """Raise for the first non-missing day outside coverage (called only on the slow path)."""
        t = self._tables
        for days in coerced:
            arr = np.atleast_1d(np.asarray(days, dtype=np.int64))
            bad = (arr != MISSING) & ((arr < t.lo) | (arr > t.hi))
            if bad.any():
                raise CalendarRangeError(date_from_day(int(arr[np.flatnonzero(bad)[0]])), self.coverage)

    def _scalar_day(self, day: int) -> int:
        t = self._tables
        if not t.lo <= day <= t.hi:
            raise CalendarRangeError(date_from_day(day), self.coverage)
        return day + t.offset

    # -- operations ------------------------------------------------------------------

    def is_working_day(self, dates: Any) -> Any:
        """Whether each date is a working day.

        A scalar gives ``bool`` (``None`` if missing). An array gives a
        ``numpy.ma.MaskedArray`` of ``bool`` whose missing rows are masked (a
        pandas Series gives a nullable ``boolean`` Series with the same index).

        >>> england().is_working_day("2022-09-19")
        False
        >>> england().is_working_day(["2022-09-16", None]).tolist()
        [True, None]
        """
        c = coerce_dates(dates)
        t = self._tables
        if c.scalar:
            return None if c.days is None else bool(t.flag[self._scalar_day(c.days)] == 1)
        f = take_clip(t.flag, self._index(c.days))
        missing = f < 0
        if missing.any():
            self._raise_out_of_range(c.days)
        result = np.ma.MaskedArray(f == 1, mask=missing)
        if c.index is not None:
            import pandas as pd

            flags = pd.array(result.filled(False), dtype="boolean")
            flags[missing] = pd.NA
            return pd.Series(flags, index=c.index, name="is_working_day")
        return result

    def working_days_between(self, start: Any, end: Any, convention: Convention = "day0") -> Any:
        """Working days elapsed from ``start`` to ``end``.

        ``convention="day0"`` (default): the working days ``d`` with
        ``start < d <= end`` (same day gives 0; a weekend start adds nothing).
        ``convention="inclusive"``: the start day counts as day 1 when it is a
        working day, i.e. the working days in ``[start, end]``. Either way,
        reversed dates give the negative of the forward count.

        Scalars give ``int`` (``None`` when either date is missing). Arrays give
        a ``float64`` numpy array holding whole numbers, with ``NaN`` on rows
        where either date is missing (a pandas Series in gives a nullable ``Int64``
        Series with its index, named ``working_days_<convention>``; two Series must
        have the same index, as values are paired by position).

        >>> cal = england()
        >>> cal.working_days_between("2009-01-03", "2009-01-05")
        1
        >>> cal.working_days_between("2009-01-14", "2009-01-05")
        -7
        >>> cal.working_days_between(["2009-01-05", None], "2009-01-14").tolist()
        [7.0, nan]
        """
        check_convention(convention)
        s, e = coerce_dates(start), coerce_dates(end)
        t = self._tables
        if s.scalar and e.scalar:
            if s.days is None or e.days is None:
                return None
            si, ei = self._scalar_day(s.days), self._scalar_day(e.days)
            count = int(t.cum_i[ei] - t.cum_i[si])
            if convention == "inclusive":
                count += int(t.flag[si]) if s.days <= e.days else -int(t.flag[ei])
            return count
        _same_index("working_days_between", s, e)
        sd = MISSING if s.days is None else s.days
        ed = MISSING if e.days is None else e.days
        result = self.elapsed(sd, ed, convention)
        if np.isnan(result).any():
            self._raise_out_of_range(sd, ed)
        return _wrap(result, (s, e), f"working_days_{convention}", counts=True)

    def add_working_days(self, start: Any, n: Any, convention: Convention = "day0") -> Any:
        """The due date: the last date still within ``n`` working days of ``start``.

        ``convention="day0"`` (default): the ``n``-th working day after ``start``
        (``numpy.busday_offset(start, n, roll="backward")``), so that
        ``working_days_between(start, add_working_days(start, n)) == n`` always.
        ``convention="inclusive"``: the start day, if a working day, is day 1, so
        the due date is one working day earlier than under ``day0``. Negative
        ``n`` counts backwards.

        Scalars give :class:`datetime.date` (``None`` if missing); arrays give
        ``datetime64[D]`` with ``NaT`` on missing rows (a pandas Series in gives
        a Series with its index). ``n`` may be an array; a missing ``n`` gives a
        missing row.

        >>> cal = england()
        >>> cal.add_working_days("2009-01-05", 7)
        datetime.date(2009, 1, 14)
        >>> cal.add_working_days("2009-01-05", 7, convention="inclusive")
        datetime.date(2009, 1, 13)
        >>> cal.add_working_days(["2022-09-12", None], 7).tolist()
        [datetime.date(2022, 9, 22), None]
        """
        check_convention(convention)
        s = coerce_dates(start)
        n_arr, n_missing = _coerce_counts(n)
        t = self._tables
        if s.scalar and n_arr is None:
            if s.days is None or n_missing:
                return None
            si = self._scalar_day(s.days)
            k = int(t.cum_i[si]) + _as_int(n)
            if convention == "inclusive":
                nn = _as_int(n)
                k += -int(t.flag[si]) if nn >= 1 else (1 if nn <= -1 else 0)
            due = int(t.inv[min(max(k, 0), t.inv.size - 1)])
            if due == MISSING:
                raise CalendarRangeError(
                    f"{_as_int(n)} working days from {date_from_day(s.days)}", self.coverage, what="the result of"
                )
            return date_from_day(due)
        sd = MISSING if s.days is None else s.days
        steps = _as_int(n) if n_arr is None else n_arr
        out: Any = self.due(sd, steps, convention)
        if n_missing is not False and n_missing is not True:
            out = np.where(n_missing, MISSING, out)
        elif n_missing:
            out = np.full(np.shape(out), MISSING, dtype=np.int64)
        gone = out == MISSING
        if np.any(gone):
            self._raise_out_of_range(sd)
            start_ok = np.asarray(sd) != MISSING
            n_ok = ~np.asarray(n_missing, dtype=bool)
            beyond = gone & start_ok & n_ok
            if np.any(beyond):
                row = int(np.flatnonzero(np.broadcast_to(beyond, np.shape(out)))[0])
                s0 = int(np.broadcast_to(sd, np.shape(out)).ravel()[row])
                n0 = int(np.broadcast_to(steps, np.shape(out)).ravel()[row])
                raise CalendarRangeError(
                    f"{n0} working days from {date_from_day(s0)}", self.coverage, what="the result of"
                )
        n_info = Coerced(None, False, n.index) if n_arr is not None and is_pandas_series(n) else None
        inputs = (s,) if n_info is None else (s, n_info)
        _same_index("add_working_days", *inputs)
        return _wrap(days_to_dates(np.asarray(out, dtype=np.int64)), inputs, "due_date")

    def next_working_day(self, dates: Any) -> Any:
        """The first working day strictly after each date.

        >>> england().next_working_day("2022-09-16")
        datetime.date(2022, 9, 20)
        """
        return self.add_working_days(dates, 1)

    def previous_working_day(self, dates: Any) -> Any:
        """The last working day strictly before each date.

        >>> england().previous_working_day("2009-01-02")
        datetime.date(2008, 12, 31)
        """
        c = coerce_dates(dates)
        t = self._tables
        if c.scalar:
            if c.days is None:
                return None
            si = self._scalar_day(c.days)
            out = int(t.inv[max(int(t.cum_i[si]) - int(t.flag[si] == 1), 0)])
            if out == MISSING:
                raise CalendarRangeError(f"the working day before {date_from_day(c.days)}", self.coverage, what="")
            return date_from_day(out)
        si = self._index(c.days)
        k = take_clip(t.cum_i, si) - (take_clip(t.flag, si) == 1)
        out = take_clip(t.inv, k)
        gone = (out == MISSING) & (c.days != MISSING)
        if gone.any():
            self._raise_out_of_range(c.days)
            first = int(c.days[np.flatnonzero(gone)[0]])
            raise CalendarRangeError(f"the working day before {date_from_day(first)}", self.coverage, what="")
        return _wrap(days_to_dates(out), (c,), "previous_working_day")


def _as_int(n: Any) -> int:
    if isinstance(n, (bool, np.bool_)):
        raise CasetimeError(f"a number of working days must be an integer, not {n!r}")
    if isinstance(n, (int, np.integer)):
        return int(n)
    if isinstance(n, (float, np.floating)) and float(n).is_integer():
        return int(n)
    raise CasetimeError(f"a number of working days must be an integer, not {n!r}")


def _coerce_counts(n: Any) -> tuple[Any, Any]:
    """Return ``(array or None, missing)``; missing is a bool for scalars, a mask for arrays."""
    if not is_array_like(n):
        if isinstance(n, np.ndarray):
            n = n[()]
        if is_missing_scalar(n):
            return None, True
        _as_int(n)
        return None, False
    arr = np.asarray(n.to_numpy() if hasattr(n, "to_numpy") else n)
    if arr.dtype.kind in "iu":
        if arr.dtype.kind == "u" and arr.size and int(arr.max()) >= _MAX_N:  # (before the cast could wrap it)
            raise CasetimeError(f"a number of working days is too large: {int(arr.max())}")
        arr = arr.astype(np.int64, copy=False)
        if arr.dtype == np.int64 and arr.size and (arr.min() <= -_MAX_N or arr.max() >= _MAX_N):
            raise CasetimeError("a number of working days is too large")
        return arr, False
    if arr.dtype.kind in "fO":
        if arr.dtype.kind == "O":
            flat = [np.nan if is_missing_scalar(v) else v for v in arr.ravel()]
            as_float = np.array(flat, dtype=np.float64).reshape(arr.shape)
        else:
            as_float = arr.astype(np.float64, copy=False)
        missing = np.isnan(as_float)
        whole = np.where(missing, 0.0, as_float)
        if not np.all(whole == np.round(whole)) or (np.abs(whole) >= _MAX_N).any():
            raise CasetimeError("a number of working days must be a whole number")
        return whole.astype(np.int64), missing
    raise CasetimeError(f"a number of working days must be integers, not {arr.dtype}")


def _same_index(what: str, *inputs: Coerced) -> None:
    """Refuse pandas Series with different indexes: values are paired by position, never by a guess at labels."""
    indexes = [c.index for c in inputs if c.index is not None]
    for other in indexes[1:]:
        if not indexes[0].equals(other):
            raise CasetimeError(
                f"{what}: the pandas Series have different indexes, and casetime pairs values by position; "
                "align them first (a, b = a.align(b)) or pass arrays (.to_numpy())"
            )


def _wrap(result: Any, inputs: tuple[Coerced, ...], name: str, *, counts: bool = False) -> Any:
    """Give a pandas Series back (same index) when a pandas Series went in; counts as nullable ``Int64``."""
    for c in inputs:
        if c.index is not None and np.ndim(result) == 1 and len(c.index) == len(result):
            import pandas as pd

            if counts:
                missing = np.isnan(result)
                whole = np.where(missing, 0, result).astype(np.int64)
                return pd.Series(pd.arrays.IntegerArray(whole, missing), index=c.index, name=name)
            return pd.Series(result, index=c.index, name=name, copy=False)
    return result


# ---------------------------------------------------------------------------
# England and Wales, and GOV.UK files
# ---------------------------------------------------------------------------


_BUNDLED: Final = "england_and_wales.txt"


@functools.cache
def _bundled_england() -> tuple[int, int, dict[_dt.date, str]]:
    """The England and Wales holidays bundled with casetime: ``(first year, last year, date -> name)``.

    Made from the ``holidays`` package by ``tests/data/make_england_holidays.py`` (and checked against
    it and GOV.UK's list by the tests), so that the default calendar never imports ``holidays``,
    which loads every country's rules.
    """
    text = (importlib.resources.files("casetime") / "data" / _BUNDLED).read_text(encoding="utf-8")
    first = last = 0
    named: dict[_dt.date, str] = {}
    for line in text.splitlines():
        if line.startswith("# coverage "):
            first, last = (int(y) for y in line.split()[2:4])
        elif line and not line.startswith("#"):
            day, name = line.split("\t", 1)
            named[_dt.date.fromisoformat(day)] = name
    return first, last, named


def _england_holidays(start: _dt.date, end: _dt.date) -> dict[_dt.date, str]:
    first, last, named = _bundled_england()
    if first <= start.year and end.year <= last:
        return dict(named)
    import holidays  # only for years beyond the bundled table

    table = holidays.country_holidays("GB", subdiv="ENG", years=range(start.year, end.year + 1))
    return {day: str(name) for day, name in table.items()}


@functools.lru_cache(maxsize=8)
def _england(start: _dt.date, end: _dt.date) -> WorkingCalendar:
    return WorkingCalendar._lazy(
        functools.partial(_england_holidays, start, end), start=start, end=end, name="England and Wales"
    )


def england(start: object = DEFAULT_START, end: object = DEFAULT_END) -> WorkingCalendar:
    """The England and Wales working-day calendar (cached; built lazily, offline).

    Monday to Friday minus the England and Wales bank holidays, substitute days
    and one-off proclamations, as ``holidays.country_holidays("GB",
    subdiv="ENG")`` gives them. Coverage is 1990-01-01 to 2040-12-31 unless
    ``start``/``end`` say otherwise. Years after the current one hold only the
    rule-based holidays: a later proclamation may add one. For 1990-2040 the
    holidays come from a table bundled with casetime (made from ``holidays`` and
    checked against it and GOV.UK by the tests); other years import ``holidays``.

    >>> england().coverage
    (datetime.date(1990, 1, 1), datetime.date(2040, 12, 31))
    >>> england().is_working_day("2023-05-08")  # the coronation
    False
    """
    if start is DEFAULT_START and end is DEFAULT_END:
        return _england(DEFAULT_START, DEFAULT_END)  # (the default, without reading the dates again)
    return _england(_to_date(start, "calendar start"), _to_date(end, "calendar end"))


def from_govuk_json(
    path: str | os.PathLike[str], division: str = "england-and-wales", *, name: str | None = None
) -> WorkingCalendar:
    """A calendar from a GOV.UK ``bank-holidays.json`` file already on disk.

    ``division`` is ``"england-and-wales"``, ``"scotland"`` or
    ``"northern-ireland"``. Coverage is whole calendar years from the first to
    the last year with an event in the file (the feed is a rolling window: it
    does not reach back to the 2008-2011 indicator years).
    """
    try:
        with open(path, encoding="utf-8-sig") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise CasetimeError(f"{path}: cannot read bank holidays file ({exc.strerror or exc})") from None
    except json.JSONDecodeError as exc:
        raise CasetimeError(f"{path}: not a JSON file (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, dict) or division not in data:
        found = ", ".join(sorted(data)) if isinstance(data, dict) else type(data).__name__
        raise CasetimeError(f"{path}: no division {division!r} in the file (found: {found})")
    events = data[division].get("events") if isinstance(data[division], dict) else None
    if not isinstance(events, list) or not events:
        raise CasetimeError(f"{path}: division {division!r} has no 'events' list")
    named: dict[_dt.date, str] = {}
    for i, event in enumerate(events):
        try:
            day = _dt.date.fromisoformat(str(event["date"]))
        except (KeyError, TypeError, ValueError):
            raise CasetimeError(f"{path}: event {i} of {division!r} has no valid 'date': {event!r}") from None
        named[day] = str(event.get("title", "bank holiday"))
    years = [d.year for d in named]
    return WorkingCalendar(
        named,
        start=_dt.date(min(years), 1, 1),
        end=_dt.date(max(years), 12, 31),
        name=name or f"GOV.UK {division}",
    )


def read_closures(path: str | os.PathLike[str]) -> dict[_dt.date, str]:
    """Local closure days from a text or CSV file: one date per line, optionally a name after a comma.

    Dates are read as in extracts (ISO or day first: ``2009-12-24``, ``24/12/2009``); a first line
    that is not a date is a heading; blank lines and lines starting with ``#`` are skipped. Give the
    result to :meth:`WorkingCalendar.with_closures` (``casetime report --closures FILE`` does).
    A line whose date cannot be read is refused, naming the file, the line and the text.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "closures.csv").write_text("date,name\\n24/12/2009,Christmas Eve closure\\n2009-12-29\\n")
    >>> read_closures(folder / "closures.csv")
    {datetime.date(2009, 12, 24): 'Christmas Eve closure', datetime.date(2009, 12, 29): 'council closure'}
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            lines = handle.read().splitlines()
    except OSError as exc:
        raise CasetimeError(f"{path}: cannot read the closure days ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise CasetimeError(f"{path}: the closure days are not UTF-8 text") from None
    import csv  # (here: `casetime between` without closures does not load it)

    named: dict[_dt.date, str] = {}
    first = True
    for number, fields in enumerate(csv.reader(lines), start=1):
        text = fields[0].strip() if fields else ""
        if not text or text.startswith("#"):
            continue
        try:
            day = day_number(text)
        except CasetimeError:
            day = None
        if day is None:
            if first and not any(ch.isdigit() for ch in text):
                first = False
                continue  # a heading
            raise CasetimeError(
                f"{path} line {number}: {text!r} is not a date (expected YYYY-MM-DD or dd/mm/yyyy, one per line)"
            )
        first = False
        name = fields[1].strip() if len(fields) > 1 and fields[1].strip() else "council closure"
        named[date_from_day(day)] = name
    if not named:
        raise CasetimeError(f"{path}: no closure days in the file (one date per line, e.g. 2009-12-24)")
    return named


# ---------------------------------------------------------------------------
# module-level shortcuts (England and Wales unless told otherwise)
# ---------------------------------------------------------------------------


def as_calendar(calendar: object, default: WorkingCalendar | None = None) -> WorkingCalendar:
    """The calendar to use: ``calendar`` if given, else ``default``, else England and Wales (:func:`england`).

    Everything that takes ``calendar=`` reads it here, so a wrong type is one clear error everywhere.

    >>> as_calendar(None) is england()
    True
    >>> as_calendar("england")
    Traceback (most recent call last):
    ...
    casetime.errors.CasetimeTypeError: calendar must be a WorkingCalendar, not str
    """
    chosen = default if calendar is None else calendar
    if chosen is None:
        return england()
    if not isinstance(chosen, WorkingCalendar):
        raise CasetimeTypeError(f"calendar must be a WorkingCalendar, not {type(chosen).__name__}")
    return chosen


def is_working_day(dates: Any, *, calendar: WorkingCalendar | None = None) -> Any:
    """:meth:`WorkingCalendar.is_working_day` on ``calendar`` (England and Wales by default).

    >>> is_working_day("2009-04-13")  # Easter Monday
    False
    """
    return as_calendar(calendar).is_working_day(dates)


def working_days_between(
    start: Any, end: Any, convention: Convention = "day0", *, calendar: WorkingCalendar | None = None
) -> Any:
    """:meth:`WorkingCalendar.working_days_between` on ``calendar`` (England and Wales by default).

    >>> working_days_between("2008-12-19", "2009-01-02")
    7
    """
    return as_calendar(calendar).working_days_between(start, end, convention)


def add_working_days(
    start: Any, n: Any, convention: Convention = "day0", *, calendar: WorkingCalendar | None = None
) -> Any:
    """:meth:`WorkingCalendar.add_working_days` on ``calendar`` (England and Wales by default).

    >>> add_working_days("2023-05-05", 1)
    datetime.date(2023, 5, 9)
    """
    return as_calendar(calendar).add_working_days(start, n, convention)


def next_working_day(dates: Any, *, calendar: WorkingCalendar | None = None) -> Any:
    """:meth:`WorkingCalendar.next_working_day` on ``calendar`` (England and Wales by default).

    >>> next_working_day("2012-06-01")
    datetime.date(2012, 6, 6)
    """
    return as_calendar(calendar).next_working_day(dates)


def previous_working_day(dates: Any, *, calendar: WorkingCalendar | None = None) -> Any:
    """:meth:`WorkingCalendar.previous_working_day` on ``calendar`` (England and Wales by default).

    >>> previous_working_day("2011-05-03")
    datetime.date(2011, 4, 28)
    """
    return as_calendar(calendar).previous_working_day(dates)
