"""The engine: one vectorised interpreter for every indicator definition.

>>> from casetime.tables import Table
>>> from casetime.indicators import NI59
>>> from casetime.periods import Month
>>> ia = Table.from_columns("initial_assessment", {
...     "child_id": ["A", "B", "C", "D"],
...     "referral_date":   ["2009-01-05", "2009-01-05", "2009-01-09", "2009-01-20"],
...     "completion_date": ["2009-01-14", "2009-01-15", None,         "2009-01-19"]})
>>> result = compute(NI59, ia, Month(2009, 1))
>>> r = result.get()
>>> r.numerator, r.denominator, r.display, r.status, r.left_out["still_open"], r.left_out["completed_before_start"]
(1, 2, '50.0', 'red', 1, 1)
>>> result.breaches().records()[0]["child_id"], result.breaches().records()[0]["elapsed"]
('B', 8)

How a record is classified (see :mod:`casetime.results` for the reasons):

1. it is placed in a row by the date that defines the population (the clock
   stop for NI59, NI60 and NI64), or, with no stop date, by its clock start;
2. it is left out, with the first reason that applies: a data-quality error
   (an extract's quality report): ``invalid``; no child id, when children are
   counted: ``invalid``; no stop date: ``still_open``; no clock start:
   ``missing_start``; a start the calendar does not cover: ``invalid``; a stop
   before the start: ``completed_before_start``;
3. otherwise it is in the denominator, and in the numerator when the elapsed
   time is within the limit (``numerator="within"``: working days elapsed
   ``<= limit``) or at least the limit (``numerator="at_least"``: for NI64,
   ``end >= start + 2 years``).

Working days are counted with ``calendar`` (England and Wales by default) under
the named ``convention`` (``"day0"`` by default: the working days ``d`` with
``start < d <= stop``; ``"inclusive"`` counts the start day as day 1).

How it is fast: dates are day numbers (``int64``); a combined per-day table
(``int32``) holds the working days to date and the days since the last working
day, so one gather per date and one subtraction give both the working days
elapsed and the order of the two dates (see :class:`_DayTables`); a day-to-row
lookup table places each record in its month (quarter, year); one integer
``bincount`` over ``row * 6 + outcome`` gives every count at once; and the
records are processed in chunks of 65,536 so that every temporary array stays
in the processor's cache.
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from casetime.calendar import Convention, WorkingCalendar, england
from casetime.dates import MISSING, date_from_day, day_number
from casetime.errors import CalendarRangeError, CasetimeError
from casetime.indicators import NI59, NI60, NI64, Indicator, get_indicator
from casetime.periods import TIME_UNITS, Period, as_period, bucket_lookup
from casetime.rag import RagRule, as_fraction
from casetime.results import REASONS, CaseTable, ChildSets, Key, Result, ResultTable, sorted_unique
from casetime.schema import SCHEMAS, resolve_columns
from casetime.tables import Labels, Table

__all__ = [
    "DEFAULT_TARGET",
    "compute",
    "compute_all",
    "open_cases",
    "as_table",
]

# outcome classes (the last axis of the count tensor)
_CBS: Final = 0  # completed before start
_SHORT: Final = 1  # elapsed below the threshold: within the limit (or under it, for "at least")
_LONG: Final = 2  # elapsed beyond the threshold
_INVALID: Final = 3
_MISSING_START: Final = 4
_STILL_OPEN: Final = 5
_K: Final = 6
_REASON_OF_CLASS: Final = {_CBS: "completed_before_start", _INVALID: "invalid", _MISSING_START: "missing_start",
                           _STILL_OPEN: "still_open"}  # fmt: skip

_ANNIV_SENTINEL: Final = 1 << 60
_ANNIV_LO: Final = _dt.date(1900, 1, 1)
_ANNIV_HI: Final = _dt.date(2199, 12, 31)
_BITMAP_LIMIT: Final = 1 << 27  # rows x children above which child sets are found by sorting
_GROUP_LIMIT: Final = 1 << 24  # count-tensor cells above which group combinations are compressed
_CHUNK: Final = 1 << 16  # rows per chunk: temporaries stay in cache
_EPOCH: Final = _dt.date(1970, 1, 1).toordinal()


class _DefaultTarget:
    def __repr__(self) -> str:
        return "DEFAULT_TARGET"


#: Use the definition's own target (the default of ``target=``).
DEFAULT_TARGET: Final = _DefaultTarget()


# ---------------------------------------------------------------------------
# lookup tables
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _DayTables:
    """Per-day tables for counting working days, indexed by ``day + offset``.

    ``stop[d] = scale * W(d) + r(d)``, where ``W(d)`` is the number of working
    days up to and including ``d`` and ``r(d)`` the number of days since the
    last working day on or before ``d``. For a start ``s`` and stop ``e``,
    ``stop[e] - stop[s] = scale * elapsed + (r(e) - r(s))`` with
    ``|r(e) - r(s)| <= slack < scale / 2``, and it is negative exactly when
    ``e < s`` (when no working day lies between them, ``r(e) - r(s) = e - s``).
    So one subtraction gives both the working days elapsed ("day 0") and the
    order of the dates. ``start_inclusive[d] = stop[d - 1] + 1`` does the same
    for the inclusive convention. Days outside the calendar's coverage hold
    ``-+sentinel``, so any difference of at least ``sentinel / 2`` involves a
    start outside it (or missing).
    """

    offset: int
    stop: npt.NDArray[Any]
    start_inclusive: npt.NDArray[Any]
    scale: int
    slack: int
    sentinel: int

    def threshold(self, limit: int, rule: str) -> int:
        """Differences at or above this are beyond ``limit`` ("within") or reach it ("at_least")."""
        if rule == "within":
            return self.scale * (limit + 1) - self.slack
        return max(self.scale * limit - self.slack, 0)


@functools.lru_cache(maxsize=16)
def _working_day_tables(calendar: WorkingCalendar) -> _DayTables:
    t = calendar._tables
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
    dtype = np.int32 if small else np.int64
    stop = np.empty(size, dtype=dtype)
    stop[:first] = -sentinel
    stop[first : last + 1] = values[first : last + 1]
    stop[last + 1 :] = sentinel
    start_inclusive = stop.copy()
    start_inclusive[first : last + 1] = values[first - 1 : last] + 1
    for arr in (stop, start_inclusive):
        arr.flags.writeable = False
    return _DayTables(t.offset, stop, start_inclusive, scale, slack, sentinel)


def _anniversaries(days: npt.NDArray[np.int64], years: int) -> npt.NDArray[np.int64]:
    """``day + years`` calendar years (29 February -> 28 February), exactly; MISSING stays MISSING."""
    missing = days == MISSING
    safe = np.where(missing, 0, days).view("M8[D]")
    month = safe.astype("M8[M]")
    dom = (safe - month.astype("M8[D]")).view(np.int64)
    target = month + 12 * years
    length = ((target + 1).astype("M8[D]") - target.astype("M8[D]")).view(np.int64)
    out = target.astype("M8[D]").view(np.int64) + np.minimum(dom, length - 1)
    return np.where(missing, MISSING, out)


@functools.lru_cache(maxsize=8)
def _anniversary_table(years: int) -> tuple[int, npt.NDArray[np.int64]]:
    """``(offset, table)``: ``table[d + offset]`` is the anniversary of day ``d``; sentinels at both ends."""
    lo = _ANNIV_LO.toordinal() - _EPOCH
    hi = _ANNIV_HI.toordinal() - _EPOCH
    offset = 1 - lo
    table = np.full(hi + offset + 2, _ANNIV_SENTINEL, dtype=np.int64)
    table[1 : hi + offset + 1] = _anniversaries(np.arange(lo, hi + 1, dtype=np.int64), years)
    table.flags.writeable = False
    return offset, table


def _gather(table: npt.NDArray[Any], days: npt.NDArray[np.int64], offset: int) -> npt.NDArray[Any]:
    index = days if offset == 0 else days + offset
    return np.take(table, index, mode="clip")


# ---------------------------------------------------------------------------
# inputs
# ---------------------------------------------------------------------------


def _frame_to_table(frame: Any, record_type: str) -> Table:
    headings = [str(c) for c in frame.columns]
    mapping = resolve_columns(record_type, headings, source="data frame")
    used = set(mapping.values())
    columns: dict[str, Any] = {std: frame[heading] for std, heading in mapping.items()}
    schema = SCHEMAS[record_type]
    for heading in headings:
        if heading not in used and heading not in schema.columns:
            columns[heading] = frame[heading]
    return Table.from_columns(record_type, columns, source="<data frame>")


def as_table(data: Any, record_type: str) -> tuple[Table, npt.NDArray[np.bool_] | None]:
    """The table of ``record_type`` in ``data``, and its data-quality error mask (or ``None``).

    ``data`` may be a :class:`~casetime.tables.Table`, an extract (anything with
    ``.tables``, a mapping of record type to table, and optionally ``.quality``
    with ``error_mask(record_type)``), a mapping of record type to table, or a
    data frame (pandas or polars) whose headings name the columns (aliases such
    as ``CINreferralDate`` are recognised).
    """
    if isinstance(data, Table):
        if data.record_type != record_type:
            raise CasetimeError(f"this indicator needs {record_type} records, but the table holds {data.record_type}")
        return data, None
    tables = getattr(data, "tables", None)
    if tables is None and isinstance(data, Mapping):
        tables = data
    if tables is not None:
        table = tables.get(record_type) if isinstance(tables, Mapping) else None
        if not isinstance(table, Table):
            found = ", ".join(sorted(tables)) if isinstance(tables, Mapping) else "none"
            raise CasetimeError(f"the extract has no {record_type} records (it has: {found or 'none'})")
        quality = getattr(data, "quality", None)
        mask = None
        if quality is not None and hasattr(quality, "error_mask"):
            mask = np.asarray(quality.error_mask(record_type), dtype=bool)
            if mask.shape != (len(table),):
                raise CasetimeError(f"the quality report's {record_type} mask has {mask.shape} rows, not {len(table)}")
        return table, mask
    if hasattr(data, "columns") and hasattr(data, "__getitem__"):
        return _frame_to_table(data, record_type), None
    raise CasetimeError(f"cannot read records from {type(data).__name__}: give a Table, an extract or a data frame")


def _split_by(by: str | Sequence[str], table: Table) -> tuple[str | None, tuple[str, ...]]:
    names = (by,) if isinstance(by, str) else tuple(by)
    time = [n for n in names if n in TIME_UNITS]
    if len(time) > 1:
        raise CasetimeError(f"group by at most one of month, quarter, year (got {', '.join(time)})")
    extras = tuple(n for n in names if n not in TIME_UNITS)
    if len(set(extras)) != len(extras):
        raise CasetimeError(f"a column is named twice in by={names}")
    missing = [n for n in extras if n not in table.extra]
    if missing:
        available = ", ".join(sorted(table.extra)) or "none"
        raise CasetimeError(
            f"cannot group by {', '.join(missing)}: no such column (columns to group by: month, quarter, year, "
            f"{available})"
        )
    return (time[0] if time else None), extras


def _calendar_for(indicator: Indicator, calendar: WorkingCalendar | None, period: Period) -> WorkingCalendar:
    cal = england() if calendar is None else calendar
    if not isinstance(cal, WorkingCalendar):
        raise CasetimeError(f"calendar must be a WorkingCalendar, not {type(cal).__name__}")
    if indicator.unit == "working_days":
        lo, hi = cal.coverage
        if period.start < lo or period.end > hi:
            raise CalendarRangeError(f"{period.label} ({period.start}..{period.end})", cal.coverage, what="period")
    return cal


def _check_convention(convention: str) -> None:
    if convention not in ("day0", "inclusive"):
        raise CasetimeError(f"unknown convention {convention!r}; choose day0 or inclusive")


# ---------------------------------------------------------------------------
# classifying records
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Setup:
    indicator: Indicator
    calendar: WorkingCalendar
    convention: str

    @property
    def num_class(self) -> int:
        return _SHORT if self.indicator.numerator == "within" else _LONG


def _classify(
    setup: _Setup,
    s: npt.NDArray[np.int64],
    e: npt.NDArray[np.int64],
    child: npt.NDArray[np.int64] | None,
    errors: npt.NDArray[np.bool_] | None,
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int64]]:
    """Outcome class per record (clock start ``s``, stop ``e`` as day numbers), and the still-open rows.

    ``child`` (child codes, when children are counted) and ``errors`` (rows
    with data-quality errors) may be ``None``. Returns ``(classes,
    open_rows)``; for stop-anchored populations the open rows are placed by
    their clock start.
    """
    ind = setup.indicator
    limit = ind.limit
    if ind.unit == "working_days":
        tables = _working_day_tables(setup.calendar)
        start_t = tables.stop if setup.convention == "day0" else tables.start_inclusive
        diff = _gather(tables.stop, e, tables.offset)
        np.subtract(diff, _gather(start_t, s, tables.offset), out=diff)
        classes = (diff >= 0).view(np.int8)
        classes += diff >= tables.threshold(limit, ind.numerator)
        classes += diff >= tables.sentinel // 2
        del diff
        odd = np.flatnonzero(classes == _INVALID)
        if odd.size:
            # missing starts and starts outside the calendar; stops are in coverage for placed rows
            classes[odd[s[odd] == MISSING]] = _MISSING_START
    else:
        offset, anniv_t = _anniversary_table(limit)
        anniv = _gather(anniv_t, s, offset)
        classes = (e >= s).view(np.int8)
        classes += (e >= anniv) if ind.numerator == "at_least" else (e > anniv)
        odd = np.flatnonzero(anniv == _ANNIV_SENTINEL)
        del anniv
        if odd.size:
            so, eo = s[odd], e[odd]
            exact = _anniversaries(so, limit)
            long = (eo >= exact) if ind.numerator == "at_least" else (eo > exact)
            fixed = np.where(eo < so, _CBS, np.where(long, _LONG, _SHORT)).astype(np.int8)
            classes[odd] = np.where(so == MISSING, _MISSING_START, fixed)
    # no stop date: every comparison above came out "stopped before it started"
    before = np.flatnonzero(classes == _CBS)
    open_rows = before[e[before] == MISSING]
    classes[open_rows] = _STILL_OPEN
    if child is not None:
        classes[child < 0] = _INVALID
    if errors is not None:
        classes[errors] = _INVALID
    return classes, open_rows


def _bucket_table(period: Period, unit: str | None, scale: int) -> tuple[int, npt.NDArray[np.int64], list[Period]]:
    """``(offset, lut, buckets)``: ``lut[d + offset] = (bucket + 1) * scale`` inside the period, 0 outside."""
    inner, buckets = bucket_lookup(period, unit)
    offset = max(0, 1 - period.first_day)
    lut = np.zeros(period.last_day + offset + 2, dtype=np.int64)
    lut[period.first_day + offset : period.last_day + offset + 1] = (inner + 1) * scale
    return offset, lut, buckets


@dataclass(frozen=True)
class _Groups:
    """Group combinations of the extra columns: a code per record, and the labels of any code."""

    columns: tuple[Labels, ...]
    codes: npt.NDArray[np.int64] | None  # None when there is one group
    combos: npt.NDArray[np.int64]  # code -> combined code (mixed radix over the columns' codes + 1)
    count: int

    def labels(self, group: int) -> tuple[str | None, ...]:
        combo = int(self.combos[group])
        parts: list[str | None] = []
        for col in self.columns:
            size = len(col.labels) + 1
            code = combo % size - 1
            combo //= size
            parts.append(None if code < 0 else str(col.labels[code]))
        return tuple(parts)


def _groups(table: Table, names: tuple[str, ...], cells_per_group: int) -> _Groups:
    if not names:
        return _Groups((), None, np.zeros(1, dtype=np.int64), 1)
    columns = tuple(table.extra[n] for n in names)
    sizes = [len(c.labels) + 1 for c in columns]
    total = int(np.prod(sizes, dtype=np.int64))
    combined = np.zeros(len(table), dtype=np.int64)
    stride = 1
    for col, size in zip(columns, sizes, strict=True):
        combined += (col.codes + 1) * stride
        stride *= size
    if total * cells_per_group <= _GROUP_LIMIT:
        return _Groups(columns, combined, np.arange(total, dtype=np.int64), total)
    combos = sorted_unique(combined)
    return _Groups(columns, np.searchsorted(combos, combined).astype(np.int64), combos, len(combos))


def _label_order(labels: dict[int, tuple[str | None, ...]]) -> list[int]:
    """Groups in label order, missing labels last."""
    return sorted(labels, key=lambda g: tuple((1, "") if v is None else (0, v) for v in labels[g]))


class _RowSets:
    """Distinct child codes per result row, gathered chunk by chunk; unpacked on request.

    Small enough (rows x children <= 2**27): a bitmap per row, packed at the end.
    Otherwise the ``row * children + child`` pairs, sorted and made unique at the end.
    """

    def __init__(self, rows: int, nc: int) -> None:
        self.rows, self.nc = rows, nc
        self._seen: npt.NDArray[np.bool_] | None = None
        self._parts: list[npt.NDArray[np.int64]] = []
        if rows * nc <= _BITMAP_LIMIT:
            self._seen = np.zeros(rows * nc, dtype=bool)
        self._packed: npt.NDArray[np.uint8] | None = None
        self._uniq: npt.NDArray[np.int64] | None = None
        self._cuts: npt.NDArray[np.int64] | None = None
        self.counts = np.zeros(rows, dtype=np.int64)

    def add(self, pairs: npt.NDArray[np.int64]) -> None:
        if self._seen is not None:
            self._seen[pairs] = True
        else:
            self._parts.append(pairs)

    def finish(self) -> _RowSets:
        if self._seen is not None:
            grid = self._seen.reshape(self.rows, self.nc)
            self.counts = np.count_nonzero(grid, axis=1).astype(np.int64)
            self._packed = np.packbits(grid, axis=1)
            self._seen = None
        else:
            self._uniq = sorted_unique(np.concatenate([np.empty(0, dtype=np.int64), *self._parts]))
            self._parts = []
            self._cuts = np.searchsorted(self._uniq, np.arange(self.rows + 1, dtype=np.int64) * self.nc)
            self.counts = np.diff(self._cuts).astype(np.int64)
        return self

    def codes(self, row: int) -> npt.NDArray[np.int64]:
        if self._packed is not None:
            return np.flatnonzero(np.unpackbits(self._packed[row], count=self.nc)).astype(np.int64)
        assert self._uniq is not None and self._cuts is not None
        return self._uniq[self._cuts[row] : self._cuts[row + 1]] - row * self.nc


class _KeyedSets(Mapping[Key, npt.NDArray[np.int64]]):
    """A read-only mapping from a result row's key to its child codes (computed on access)."""

    def __init__(self, sets: _RowSets, index: dict[Key, int]) -> None:
        self._sets = sets
        self._index = index

    def __getitem__(self, key: Key) -> npt.NDArray[np.int64]:
        return self._sets.codes(self._index[key])

    def __iter__(self) -> Any:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def _count(
    setup: _Setup,
    table: Table,
    errors: npt.NDArray[np.bool_] | None,
    lut: npt.NDArray[np.int64],
    lut_offset: int,
    groups: _Groups,
    n_time: int,
) -> tuple[npt.NDArray[np.int64], tuple[_RowSets, _RowSets] | None]:
    """The count tensor ``[window, group, outcome]`` and, when children are counted, the child sets.

    Works through the table in chunks of :data:`_CHUNK` rows, so that every
    temporary array stays in the processor's cache and is reused.
    """
    ind = setup.indicator
    s_all = table.days(ind.clock_start)
    e_all = table.days(ind.clock_stop)
    anchor_all = table.days(ind.anchor)
    by_stop = ind.population != "started_in_period"
    child_level = ind.counting == "child"
    child_all = table.child.codes if child_level else None
    cells = (n_time + 1) * groups.count * _K
    base = groups.count * _K  # keys below this are records outside the period
    counts = np.zeros(cells, dtype=np.int64)
    rows = n_time * groups.count
    nc = max(len(table.child.labels), 1)
    sets = (_RowSets(rows, nc), _RowSets(rows, nc)) if child_level else None
    for lo in range(0, len(table), _CHUNK):
        part = slice(lo, lo + _CHUNK)
        s, e = s_all[part], e_all[part]
        child = None if child_all is None else child_all[part]
        classes, open_rows = _classify(setup, s, e, child, None if errors is None else errors[part])
        keys = _gather(lut, anchor_all[part], lut_offset)
        if by_stop and open_rows.size:
            keys[open_rows] = _gather(lut, s[open_rows], lut_offset)
        if groups.codes is not None:
            keys += groups.codes[part] * _K
        keys += classes
        counts += np.bincount(keys, minlength=cells)
        if sets is not None and child is not None:
            placed = (classes == _SHORT) | (classes == _LONG)
            placed &= keys >= base
            idx = np.flatnonzero(placed)
            pair = keys[idx]
            pair //= _K
            pair -= groups.count
            pair *= nc
            pair += child[idx]
            sets[0].add(pair)
            sets[1].add(pair[classes[idx] == setup.num_class])
    tensor = counts[base:].reshape(n_time, groups.count, _K)
    return tensor, (None if sets is None else (sets[0].finish(), sets[1].finish()))


# ---------------------------------------------------------------------------
# compute
# ---------------------------------------------------------------------------


def _target_of(indicator: Indicator, target: object) -> Fraction | None:
    if target is DEFAULT_TARGET:
        return indicator.target
    return None if target is None else as_fraction(target, "target")


@functools.lru_cache(maxsize=16)
def _fingerprint(calendar: WorkingCalendar) -> str:
    """A short digest of which days the calendar counts (equal calendars built apart agree)."""
    return hashlib.sha256(calendar._tables.flag.tobytes()).hexdigest()[:12]


def _settings(setup: _Setup) -> dict[str, str]:
    """What a result depends on beyond its definition and period (compared when merging)."""
    cal = setup.calendar
    lo, hi = cal.coverage
    closures = len(cal.closure_days())
    return {
        "calendar": f"{cal.name} ({lo}..{hi}, {closures} closure days)",
        "calendar_days": _fingerprint(cal),
        "convention": setup.convention,
    }


def compute(
    indicator: Indicator | str,
    data: Any,
    period: Period | str,
    *,
    by: str | Sequence[str] = (),
    target: object = DEFAULT_TARGET,
    rag: RagRule | None = None,
    calendar: WorkingCalendar | None = None,
    convention: Convention = "day0",
) -> ResultTable:
    """Compute one indicator over one period, optionally grouped.

    Parameters
    ----------
    indicator:
        A definition (``NI59``) or its id (``"NI59"``).
    data:
        A :class:`~casetime.tables.Table`, an extract (``.tables`` and
        optionally ``.quality``: rows with data-quality errors are left out as
        ``invalid``), a mapping of record type to table, or a data frame.
    period:
        A :class:`~casetime.periods.Period` or text (``"2008/09"``, ``"ytd:2008-12"``).
    by:
        Grouping: at most one of ``"month"``, ``"quarter"``, ``"year"``, and any
        extra columns (``"team"``), alone or combined. The time key comes
        first in each row's key. Without a time key each row covers the period.
    target:
        A percentage; by default the definition's; ``None`` for no target (and no RAG).
    rag:
        A RAG rule (see :mod:`casetime.rag`); default amber within 5 points.
    calendar, convention:
        How working days are counted (England and Wales, ``"day0"``).

    Every month (quarter, year) of the period has a row, with a missing value
    when nothing is in its denominator; each group combination that has at
    least one record placed in the period has a row in every time window.
    """
    ind = get_indicator(indicator)
    per = as_period(period)
    _check_convention(convention)
    table, errors = as_table(data, ind.record_type)
    time_unit, extras = _split_by(by, table)
    cal = _calendar_for(ind, calendar, per)
    setup = _Setup(ind, cal, convention)
    goal = _target_of(ind, target)

    n_time = len(bucket_lookup(per, time_unit)[1])
    groups = _groups(table, extras, (n_time + 1) * _K)
    lut_offset, lut, buckets = _bucket_table(per, time_unit, groups.count * _K)
    counts, child_sets = _count(setup, table, errors, lut, lut_offset, groups, n_time)
    num_class = setup.num_class
    if child_sets is None:
        den = counts[:, :, _SHORT] + counts[:, :, _LONG]
        num = counts[:, :, num_class]
    else:
        den = child_sets[0].counts.reshape(n_time, groups.count)
        num = child_sets[1].counts.reshape(n_time, groups.count)

    present = [0] if groups.codes is None else np.flatnonzero(counts.sum(axis=(0, 2)) > 0).tolist()
    group_labels = {g: groups.labels(g) for g in present}
    order = _label_order(group_labels)
    rows: list[Result] = []
    row_of_key: dict[Key, int] = {}
    for t, window in enumerate(buckets):
        for g in order:
            key: Key = ((time_unit, window.label),) if time_unit else ()
            key += tuple(zip(extras, group_labels[g], strict=True))
            left = {reason: int(counts[t, g, cls]) for cls, reason in _REASON_OF_CLASS.items()}
            rows.append(
                Result(
                    ind.id, ind.heading, window, key, int(num[t, g]), int(den[t, g]), left, goal,
                    ind.polarity, ind.counting, rule=rag,
                )
            )  # fmt: skip
            row_of_key[key] = t * groups.count + g
    children = None
    if child_sets is not None:
        den_sets, num_sets = (_KeyedSets(sets, row_of_key) for sets in child_sets)
        children = ChildSets(table.child.labels, den_sets, num_sets)
    source = _Source(setup, table, errors, per, time_unit, extras)
    by_names = ((time_unit,) if time_unit else ()) + extras
    return ResultTable(
        ind, per, by_names, rows, target=goal, rule=rag, settings=_settings(setup), children=children, sources=[source]
    )


def compute_all(
    data: Any,
    period: Period | str,
    *,
    indicators: Sequence[Indicator | str] | None = None,
    by: str | Sequence[str] = (),
    targets: Mapping[str, object] | None = None,
    rag: RagRule | None = None,
    calendar: WorkingCalendar | None = None,
    convention: Convention = "day0",
) -> dict[str, ResultTable]:
    """Compute several indicators on one extract: ``{id: ResultTable}``.

    By default NI59, NI60 and NI64, those whose records the extract holds (at
    least one must be there); a list given in ``indicators`` must all be
    computable. ``targets`` maps ids to targets (others keep their default).
    """
    explicit = indicators is not None
    chosen = [get_indicator(i) for i in (indicators if indicators is not None else (NI59, NI60, NI64))]
    out: dict[str, ResultTable] = {}
    skipped = []
    for ind in chosen:
        try:
            as_table(data, ind.record_type)
        except CasetimeError:
            if explicit:
                raise
            skipped.append(ind.id)
            continue
        goal = (targets or {}).get(ind.id, DEFAULT_TARGET)
        out[ind.id] = compute(ind, data, period, by=by, target=goal, rag=rag, calendar=calendar, convention=convention)
    if not out:
        raise CasetimeError(f"none of {', '.join(skipped)} can be computed: the data has none of their records")
    return out


# ---------------------------------------------------------------------------
# the records behind the numbers
# ---------------------------------------------------------------------------


def _elapsed_and_due(
    setup: _Setup, s: npt.NDArray[np.int64], e: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Per record: elapsed (working days, or calendar days for years; NaN if unknown), due day, over the limit."""
    ind = setup.indicator
    s_ok = s != MISSING
    both = s_ok & (e != MISSING)
    if ind.unit == "working_days":
        t = setup.calendar._tables
        si = np.where(s_ok, s, t.lo) + t.offset
        covered_s = s_ok & (s >= t.lo) & (s <= t.hi)
        ei = np.where(e != MISSING, e, t.lo) + t.offset
        covered_e = (e != MISSING) & (e >= t.lo) & (e <= t.hi)
        cum_s = np.take(t.cum_i, np.clip(si, 0, t.cum_i.size - 1))
        cum_e = np.take(t.cum_i, np.clip(ei, 0, t.cum_i.size - 1))
        flag_s = np.take(t.flag, np.clip(si, 0, t.flag.size - 1)) == 1
        flag_e = np.take(t.flag, np.clip(ei, 0, t.flag.size - 1)) == 1
        elapsed = (cum_e - cum_s).astype(np.float64)
        if setup.convention == "inclusive":
            elapsed += np.where(s <= e, flag_s, -flag_e.astype(np.int64))
        elapsed[~(both & covered_s & covered_e)] = np.nan
        k = cum_s + ind.limit - (flag_s if setup.convention == "inclusive" and ind.limit >= 1 else 0)
        due = np.take(t.inv, np.clip(k, 0, t.inv.size - 1))
        due = np.where(covered_s, due, MISSING)
        over = elapsed - ind.limit
    else:
        due = _anniversaries(s, ind.limit)
        elapsed = np.where(both, e - np.where(s_ok, s, 0), 0).astype(np.float64)
        elapsed[~both] = np.nan
        over = np.where(both & (due != MISSING), e - np.where(due != MISSING, due, 0), 0).astype(np.float64)
        over[~both] = np.nan
    over = np.where(over > 0, over, np.where(np.isnan(over), np.nan, 0.0))
    return elapsed, due, over


@dataclass(frozen=True, eq=False)
class _Source:
    """One computed table: enough to list its records on request."""

    setup: _Setup
    table: Table
    errors: npt.NDArray[np.bool_] | None
    period: Period
    time_unit: str | None
    extras: tuple[str, ...]

    def cases(self, which: str, keys: Mapping[str, Any]) -> CaseTable:
        ind = self.setup.indicator
        table = self.table
        s_all, e_all = table.days(ind.clock_start), table.days(ind.clock_stop)
        child = table.child.codes if ind.counting == "child" else None
        classes, open_rows = _classify(self.setup, s_all, e_all, child, self.errors)
        offset, lut, buckets = _bucket_table(self.period, self.time_unit, 1)
        bucket = _gather(lut, table.days(ind.anchor), offset)
        if ind.population != "started_in_period" and open_rows.size:
            bucket[open_rows] = _gather(lut, s_all[open_rows], offset)
        keep = bucket > 0
        if self.time_unit is not None and self.time_unit in keys:
            wanted = [i + 1 for i, b in enumerate(buckets) if b.label == str(keys[self.time_unit])]
            keep &= np.isin(bucket, wanted)
        for name in self.extras:
            if name in keys:
                col = table.extra[name]
                value = keys[name]
                found = np.flatnonzero(col.labels.astype(str) == str(value)) if value is not None else None
                code = -1 if found is None else (int(found[0]) if found.size else -2)
                keep &= col.codes == code
        in_den = (classes == _SHORT) | (classes == _LONG)
        in_num = classes == self.setup.num_class
        breach = in_den & (in_num == (ind.polarity == "lower"))
        if which == "denominator":
            keep &= in_den
        elif which == "numerator":
            keep &= in_num
        elif which == "breaches":
            keep &= breach
        elif which == "left_out":
            keep &= ~in_den
        rows = np.flatnonzero(keep)
        rows = rows[np.argsort(bucket[rows], kind="stable")]
        s = table.days(ind.clock_start)[rows]
        e = table.days(ind.clock_stop)[rows]
        elapsed, due, over = _elapsed_and_due(self.setup, s, e)
        reasons = np.array(["", *REASONS], dtype=object)
        reason_code = np.zeros(_K, dtype=np.int64)
        for cls, reason in _REASON_OF_CLASS.items():
            reason_code[cls] = REASONS.index(reason) + 1
        assert table.source is not None and table.row is not None
        columns: dict[str, npt.NDArray[Any]] = {
            "source": table.source.take(rows).values(),
            "row": table.row[rows],
            "child_id": table.child.take(rows).values(),
        }
        if self.time_unit is not None:
            labels = np.array(["", *(b.label for b in buckets)], dtype=object)
            columns[self.time_unit] = labels[bucket[rows]]
        for name in self.extras:
            columns[name] = table.extra[name].take(rows).values()
        columns.update(
            {
                "clock_start": s.view("M8[D]"),
                "clock_stop": e.view("M8[D]"),
                "elapsed": elapsed,
                "elapsed_unit": np.full(rows.size, "working days" if ind.unit == "working_days" else "days", object),
                "due_date": due.view("M8[D]"),
                "over_limit": over,
                "in_denominator": in_den[rows],
                "in_numerator": in_num[rows],
                "breach": breach[rows],
                "reason": reasons[reason_code[classes[rows]]],
            }
        )
        return CaseTable(columns, title=f"{ind.id} {self.period.label}")


def open_cases(
    indicator: Indicator | str,
    data: Any,
    as_at: object,
    *,
    due_within: int = 0,
    calendar: WorkingCalendar | None = None,
    convention: Convention = "day0",
) -> CaseTable:
    """Work open at ``as_at`` that is already overdue or due within the next ``due_within`` working days.

    A record is open at ``as_at`` when its clock started on or before it and
    it has no stop date, or stops after it. Rows with data-quality errors or
    no clock start are left out. Columns: ``source``, ``row``, ``child_id``,
    the extra columns, ``clock_start``, ``clock_stop``, ``elapsed`` (as at
    ``as_at``), ``elapsed_unit``, ``due_date`` (the last date within the
    limit; for NI64 the 2-year anniversary), ``working_days_to_due`` (negative
    when overdue) and ``status``: ``"overdue"`` (past the due date; for an
    "at least" measure such as NI64, the limit has been reached) or
    ``"due_soon"``. Sorted by due date.

    >>> from casetime.tables import Table
    >>> from casetime.indicators import NI59
    >>> ia = Table.from_columns("initial_assessment", {"child_id": ["A", "B", "C"],
    ...     "referral_date": ["2009-01-05", "2009-01-12", "2009-01-13"], "completion_date": [None, None, None]})
    >>> late = open_cases(NI59, ia, "2009-01-20", due_within=1)
    >>> [(r["child_id"], r["due_date"].isoformat(), r["status"]) for r in late.records()]
    [('A', '2009-01-14', 'overdue'), ('B', '2009-01-21', 'due_soon')]
    """
    ind = get_indicator(indicator)
    _check_convention(convention)
    if isinstance(due_within, bool) or not isinstance(due_within, int) or due_within < 0:
        raise CasetimeError(f"due_within must be a whole number of working days >= 0, not {due_within!r}")
    day = day_number(as_at)
    if day is None:
        raise CasetimeError("as_at is missing")
    table, errors = as_table(data, ind.record_type)
    cal = england() if calendar is None else calendar
    t = cal._tables
    if not t.lo <= day <= t.hi:
        raise CalendarRangeError(date_from_day(day), cal.coverage)
    setup = _Setup(ind, cal, convention)
    s = table.days(ind.clock_start)
    e = table.days(ind.clock_stop)
    is_open = (s != MISSING) & (s <= day) & ((e == MISSING) | (e > day))
    if errors is not None:
        is_open &= ~errors
    rows = np.flatnonzero(is_open)
    so = s[rows]
    elapsed, due, _ = _elapsed_and_due(setup, so, np.full(rows.size, day, dtype=np.int64))
    due_known = due != MISSING
    due_in_cal = due_known & (due >= t.lo) & (due <= t.hi)
    due_idx = np.clip(np.where(due_in_cal, due, t.lo) + t.offset, 0, t.cum_i.size - 1)
    to_due = np.take(t.cum_i, due_idx) - t.cum_i[day + t.offset]
    to_due_f = np.where(due_in_cal, to_due, np.nan).astype(np.float64)
    if ind.unit == "working_days":
        known = ~np.isnan(elapsed)
        limit = ind.limit
        overdue = known & ((elapsed > limit) if ind.numerator == "within" else (elapsed >= limit))
    else:
        overdue = due_known & ((day > due) if ind.numerator == "within" else (day >= due))
    soon = ~overdue & due_in_cal & (to_due >= 0) & (to_due <= due_within)
    keep = overdue | soon
    order = np.flatnonzero(keep)
    order = order[np.lexsort((rows[order], due[order]))]
    chosen = rows[order]
    status = np.where(overdue[order], "overdue", "due_soon").astype(object)
    assert table.source is not None and table.row is not None
    columns: dict[str, npt.NDArray[Any]] = {
        "source": table.source.take(chosen).values(),
        "row": table.row[chosen],
        "child_id": table.child.take(chosen).values(),
    }
    for name in table.extra:
        columns[name] = table.extra[name].take(chosen).values()
    columns.update(
        {
            "clock_start": s[chosen].view("M8[D]"),
            "clock_stop": e[chosen].view("M8[D]"),
            "elapsed": elapsed[order],
            "elapsed_unit": np.full(chosen.size, "working days" if ind.unit == "working_days" else "days", object),
            "due_date": due[order].view("M8[D]"),
            "working_days_to_due": to_due_f[order],
            "status": status,
        }
    )
    return CaseTable(columns, title=f"{ind.id} open at {date_from_day(day)}")
