"""Turning what users pass into day numbers, and back.

casetime works internally on *day numbers*: the number of days since
1970-01-01, which is exactly what ``numpy.datetime64[D].view("i8")`` holds, so
a ``datetime64[D]`` array becomes day numbers without a copy.

Missing values
--------------
``None``, ``NaN``, ``NaT`` (numpy or pandas), ``pandas.NA`` and the empty
string are *missing*. In an array a missing date is held as the day number
:data:`MISSING` (the integer behind ``NaT``); it gives a missing result for its
own row and never affects another row.

>>> day_number("2009-01-05")
14249
>>> day_number(None) is None
True
>>> to_day_numbers(["2009-01-05", None, "2009-01-06"]).tolist()[0::2]
[14249, 14250]
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from casetime._compat import is_arrow_array, is_polars_series, pandas_kind
from casetime.errors import CasetimeError, DateParseError

__all__ = [
    "MISSING",
    "EPOCH",
    "EPOCH_ORDINAL",
    "DayArray",
    "Coerced",
    "coerce_dates",
    "day_number",
    "date_from_day",
    "days_to_dates",
    "is_missing_scalar",
    "is_array_like",
    "parse_date_strings",
    "to_day_numbers",
    "weekday",
    "add_years",
    "lookup",
]

DayArray = npt.NDArray[np.int64]

#: The day number that stands for a missing date (``NaT`` viewed as ``int64``).
MISSING: Final[int] = int(np.iinfo(np.int64).min)

#: Day number 0.
EPOCH: Final = _dt.date(1970, 1, 1)
#: ``EPOCH.toordinal()``: a day number is ``date.toordinal() - EPOCH_ORDINAL``.
EPOCH_ORDINAL: Final[int] = EPOCH.toordinal()
_EPOCH_WEEKDAY: Final = EPOCH.weekday()  # a Thursday (3)
_MISSING_TYPE_NAMES: Final = frozenset({"NaTType", "NAType", "NoneType"})
_MISSING_STRINGS: Final = frozenset({"", "nan", "NaN", "NaT", "None", "<NA>", "null", "NULL"})


def is_missing_scalar(value: object) -> bool:
    """Whether a single value stands for a missing date.

    >>> [is_missing_scalar(v) for v in (None, float("nan"), "", "2009-01-05")]
    [True, True, True, False]
    """
    if value is None or type(value).__name__ in _MISSING_TYPE_NAMES:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    if isinstance(value, np.floating):
        return bool(np.isnan(value))
    if isinstance(value, str):
        return value.strip() == ""
    return False


def date_from_day(day: int) -> _dt.date:
    """The :class:`datetime.date` of a day number.

    >>> date_from_day(14249)
    datetime.date(2009, 1, 5)
    """
    return _dt.date.fromordinal(day + EPOCH_ORDINAL)


def add_years(days: DayArray, years: Any) -> DayArray:
    """``days`` plus whole calendar ``years`` (29 February + 1 year = 28 February), exactly; missing stays missing.

    ``years`` may be an array (one per day). This is ``dateutil.relativedelta(years=...)``,
    vectorised: the day of the month is kept, or the month's last day when it is shorter.

    >>> days_to_dates(add_years(np.array([13938, MISSING]), 2)).tolist()  # 29 February 2008
    [datetime.date(2010, 2, 28), None]
    """
    missing = days == MISSING
    safe = np.where(missing, 0, days).view("M8[D]")
    month = safe.astype("M8[M]")
    dom = (safe - month.astype("M8[D]")).view(np.int64)
    target = month + np.asarray(years, dtype=np.int64) * 12
    length = ((target + 1).astype("M8[D]") - target.astype("M8[D]")).view(np.int64)
    out = target.astype("M8[D]").view(np.int64) + np.minimum(dom, length - 1)
    result: DayArray = np.where(missing, MISSING, out)
    return result


def weekday(days: Any) -> Any:
    """The weekday of day numbers (Monday 0 ... Sunday 6), like :meth:`datetime.date.weekday`.

    >>> weekday(14249), weekday(np.array([0, 14250])).tolist()  # 5 January 2009 was a Monday
    (0, [3, 1])
    """
    return (days + _EPOCH_WEEKDAY) % 7


def day_number(value: object, position: int | None = None) -> int | None:
    """The day number of one date-like value, or ``None`` when it is missing.

    Accepts :class:`datetime.date`, :class:`datetime.datetime` (the date part,
    as written), ``pandas.Timestamp``, ``numpy.datetime64`` of any unit and ISO
    ``YYYY-MM-DD`` strings (a time after the date is ignored).

    >>> day_number("2009-01-05T16:30")
    14249
    >>> day_number("31/02/2009")
    Traceback (most recent call last):
    ...
    casetime.errors.DateParseError: not a date: '31/02/2009'; expected an ISO date such as 2009-01-05
    """
    if type(value) is str:
        quick = _iso_day(value)
        if quick is not None:
            return quick
    if is_missing_scalar(value):
        return None
    if isinstance(value, _dt.datetime):
        return value.date().toordinal() - EPOCH_ORDINAL
    if isinstance(value, _dt.date):
        return value.toordinal() - EPOCH_ORDINAL
    if isinstance(value, np.datetime64):
        return int(value.astype("M8[D]").view("i8"))
    if isinstance(value, str):
        days, bad = parse_date_strings(np.array([value]), slash=None)
        if bad[0]:
            raise DateParseError(value, position)
        return None if days[0] == MISSING else int(days[0])
    raise DateParseError(value, position, detail=f"unsupported type {type(value).__name__}")


def _iso_day(text: str) -> int | None:
    """The day number of a plain ``YYYY-MM-DD`` string without building an array; ``None`` for anything else.

    Only the exact ten-character ASCII form with a year from 1000 is taken here (what
    :func:`parse_date_strings` reads the same way); every other text, a bad date included, goes the
    general way.
    """
    if len(text) != 10 or text[4] != "-" or text[7] != "-" or text[0] not in "123456789" or not text.isascii():
        return None
    try:
        return _dt.date.fromisoformat(text).toordinal() - EPOCH_ORDINAL
    except ValueError:
        return None


def is_array_like(value: object) -> bool:
    """Whether ``value`` is a column of values rather than one value.

    Strings, dates and numpy scalars are scalars; numpy arrays, lists, tuples,
    pandas Series/Index, polars Series and pyarrow arrays are arrays.

    >>> is_array_like(["2009-01-05"]), is_array_like("2009-01-05")
    (True, False)
    """
    if isinstance(value, np.ndarray):
        return value.ndim > 0
    if isinstance(value, (list, tuple)):
        return True
    kind = pandas_kind(value)
    return (kind is not None and kind != "frame") or is_polars_series(value) or is_arrow_array(value)


def to_day_numbers(values: Any) -> DayArray:
    """Day numbers (``int64``) of an array-like of dates; missing values become :data:`MISSING`.

    ``datetime64`` input of any unit is converted without a Python loop (and
    without a copy when it is already ``datetime64[D]``); strings are parsed
    vectorised as ISO dates.

    >>> to_day_numbers(np.array(["2009-01-05T23:59"], dtype="M8[ns]")).tolist()
    [14249]
    """
    kind = pandas_kind(values)
    if kind is not None and kind != "frame":
        dtype = getattr(values, "dtype", None)
        if getattr(dtype, "kind", None) == "M" and getattr(dtype, "tz", None) is None:
            arr = np.asarray(values.to_numpy())
        else:
            arr = np.asarray(values.to_numpy(dtype=object, na_value=None))
    elif is_polars_series(values):
        arr = np.asarray(values.to_numpy())
    elif is_arrow_array(values):
        arr = np.asarray(values.to_numpy(zero_copy_only=False))
    elif isinstance(values, np.ndarray):
        arr = values
    else:
        arr = np.empty(len(values), dtype=object)
        arr[:] = list(values)
    return _array_to_days(arr)


def _array_to_days(arr: np.ndarray) -> DayArray:
    if arr.dtype.kind == "M":
        return arr.astype("M8[D]", copy=False).view(np.int64)
    if arr.dtype.kind in "US":
        flat = arr.ravel()
        days, bad = parse_date_strings(flat, slash=None)
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            raise DateParseError(flat[pos].item() if hasattr(flat[pos], "item") else flat[pos], pos)
        return days.reshape(arr.shape)
    if arr.dtype.kind == "O":
        flat = arr.ravel()
        if flat.size == 0:
            return np.empty(arr.shape, dtype=np.int64)
        # str() of a date, datetime, Timestamp or datetime64 is ISO; parse all at once,
        # then look again only at the rows the fast parse could not read.
        days, bad = parse_date_strings(flat.astype(str), slash=None)
        for pos in np.flatnonzero(bad).tolist():
            got = day_number(flat[pos], pos)
            days[pos] = MISSING if got is None else got
        return days.reshape(arr.shape)
    if arr.dtype.kind == "f" and arr.size and bool(np.isnan(arr).all()):
        return np.full(arr.shape, MISSING, dtype=np.int64)
    first = arr.ravel()[0].item() if arr.size else None
    raise DateParseError(first, 0, detail=f"an array of {arr.dtype} is not dates")


def days_to_dates(days: DayArray) -> npt.NDArray[np.datetime64]:
    """View day numbers as ``datetime64[D]`` (missing becomes ``NaT``), without a copy.

    >>> days_to_dates(np.array([14249, MISSING])).tolist()
    [datetime.date(2009, 1, 5), None]
    """
    return np.asarray(days, dtype=np.int64).view("M8[D]")


@dataclass(frozen=True, slots=True)
class Coerced:
    """Dates coerced for an operation, remembering how to shape the answer.

    ``days`` is an ``int`` (or ``None``) for a scalar input and an ``int64``
    array otherwise; ``index`` is the pandas index to give back, if any.
    """

    days: Any
    scalar: bool
    index: Any = None
    name: Any = None


def coerce_dates(values: Any) -> Coerced:
    """Coerce a scalar or array-like of dates for an operation.

    >>> coerce_dates("2009-01-05")
    Coerced(days=14249, scalar=True, index=None, name=None)
    """
    if type(values) is str or isinstance(values, _dt.date):  # the common scalars, before the array tests
        return Coerced(day_number(values), True)
    if not is_array_like(values):
        if isinstance(values, np.ndarray):  # 0-d array
            values = values[()]
        return Coerced(day_number(values), True)
    index = values.index if pandas_kind(values) == "series" else None
    name = getattr(values, "name", None) if index is not None else None
    return Coerced(to_day_numbers(values), False, index, name)


# ---------------------------------------------------------------------------
# vectorised string parsing
# ---------------------------------------------------------------------------

_ZERO: Final = ord("0")
_MIN_WIDTH: Final = 16
_TIME_CHARS: Final = np.array([ord(c) for c in "0123456789:.+-Z "], dtype=np.uint32)


def _digits(codes: npt.NDArray[np.uint32], rows: npt.NDArray[np.intp], cols: Any) -> tuple[Any, Any]:
    """Value and validity of the decimal digits at (rows, cols[i]) for each i."""
    value = np.zeros(len(rows), dtype=np.int64)
    ok = np.ones(len(rows), dtype=bool)
    for col in cols:
        c = codes[rows, col].astype(np.int64) - _ZERO
        ok &= (c >= 0) & (c <= 9)
        value = value * 10 + c
    return value, ok


def _time_tail_ok(codes: npt.NDArray[np.uint32], rows: npt.NDArray[np.intp], start: Any) -> Any:
    """True where the text from ``start`` is empty, or a separator then a time of day."""
    width = codes.shape[1]
    start = np.minimum(start, width - 1)
    first = codes[rows, start]
    result = first == 0
    more = np.flatnonzero(~result)
    if more.size:
        sub = codes[rows[more]]
        begin = start[more]
        sep = (first[more] == ord(" ")) | (first[more] == ord("T"))
        after = np.arange(width)[None, :] > begin[:, None]
        allowed = np.isin(sub, _TIME_CHARS) | (sub == 0) | ~after
        nonempty = (np.where(after, sub, 0) != 0).any(axis=1)
        result[more] = sep & allowed.all(axis=1) & nonempty
    return result


def parse_date_strings(values: Any, *, slash: str | None = "dayfirst") -> tuple[DayArray, npt.NDArray[np.bool_]]:
    """Parse an array of date strings without a Python loop over rows.

    Recognises ISO ``YYYY-MM-DD`` and, unless ``slash`` is ``None``, slash dates
    ``dd/mm/yyyy`` (``slash="dayfirst"``, the English default) or
    ``mm/dd/yyyy`` (``slash="monthfirst"``), with one- or two-digit day and
    month. A time of day after the date (``2009-01-05T10:00``,
    ``05/01/2009 10:00``) is allowed and ignored.

    Returns ``(days, bad)``: day numbers with :data:`MISSING` for blank or
    unparseable rows, and a mask of the rows that were not blank but could not
    be read as a real date (``31/02/2009`` is bad, never shifted to March).

    >>> days, bad = parse_date_strings(np.array(["2009-01-05", "05/01/2009", "", "31/02/2009"]))
    >>> days[:2].tolist(), bad.tolist()
    ([14249, 14249], [False, False, False, True])
    """
    if slash not in (None, "dayfirst", "monthfirst"):
        raise CasetimeError(f"slash must be 'dayfirst', 'monthfirst' or None, not {slash!r}")
    arr = np.asarray(values)
    if arr.dtype.kind == "S":
        arr = np.char.decode(arr, "utf-8", errors="replace")
    arr = np.strings.strip(arr.astype(str, copy=False))
    n = arr.shape[0]
    days = np.full(n, MISSING, dtype=np.int64)
    bad = np.zeros(n, dtype=bool)
    if n == 0:
        return days, bad
    width = max(arr.dtype.itemsize // 4, _MIN_WIDTH)
    arr = arr.astype(f"<U{width}", copy=False)
    codes = np.ascontiguousarray(arr).view(np.uint32).reshape(n, width)
    blank = (codes[:, 0] == 0) | np.isin(arr, list(_MISSING_STRINGS))
    year = np.zeros(n, dtype=np.int64)
    month = np.zeros(n, dtype=np.int64)
    day = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)

    # ISO: YYYY-MM-DD, then the end or a time
    iso = ~blank & (codes[:, 4] == ord("-")) & (codes[:, 7] == ord("-"))
    rows = np.flatnonzero(iso)
    if rows.size:
        y, oky = _digits(codes, rows, (0, 1, 2, 3))
        m, okm = _digits(codes, rows, (5, 6))
        d, okd = _digits(codes, rows, (8, 9))
        tail = _time_tail_ok(codes, rows, np.full(rows.size, 10))
        year[rows], month[rows], day[rows] = y, m, d
        ok[rows] = oky & okm & okd & tail

    if slash is not None:
        sl = ~blank & ~iso & ((codes[:, 1] == ord("/")) | (codes[:, 2] == ord("/")))
        rows = np.flatnonzero(sl)
        if rows.size:
            p1 = np.where(codes[rows, 1] == ord("/"), 1, 2)
            a1, ok1 = _digits(codes, rows, (0,))
            a2, ok2 = _digits(codes, rows, (1,))
            first = np.where(p1 == 2, a1 * 10 + a2, a1)
            okf = ok1 & (ok2 | (p1 == 1))
            s2 = p1 + 1
            second_one = codes[rows, s2 + 1] == ord("/")
            p2 = np.where(second_one, s2 + 1, s2 + 2)
            b1, okb1 = _digits(codes, rows, (s2,))
            b2, okb2 = _digits(codes, rows, (np.minimum(s2 + 1, width - 1),))
            second = np.where(second_one, b1, b1 * 10 + b2)
            oks = okb1 & (okb2 | second_one) & (codes[rows, np.minimum(p2, width - 1)] == ord("/"))
            y, oky = _digits(codes, rows, tuple(np.minimum(p2 + k, width - 1) for k in (1, 2, 3, 4)))
            tail = _time_tail_ok(codes, rows, p2 + 5)
            if slash == "dayfirst":
                d, m = first, second
            else:
                m, d = first, second
            year[rows], month[rows], day[rows] = y, m, d
            ok[rows] = okf & oks & oky & tail

    ok &= (month >= 1) & (month <= 12) & (day >= 1) & (year >= 1000)
    months = np.where(ok, (year - 1970) * 12 + month - 1, 0)
    start = months.astype("M8[M]").astype("M8[D]").view(np.int64)
    length = (months + 1).astype("M8[M]").astype("M8[D]").view(np.int64) - start
    ok &= day <= length
    days[ok] = start[ok] + day[ok] - 1
    bad = ~ok & ~blank
    return days, bad


def lookup(table: npt.NDArray[Any], days: DayArray, offset: int = 0) -> npt.NDArray[Any]:
    """``table[days + offset]``, clipped at both ends: a per-day table built with a sentinel at each
    end answers for missing days (:data:`MISSING`) and days outside it with those sentinels.

    >>> lookup(np.array([0, 10, 11, 12, 0]), np.array([0, 2, MISSING, 99]), offset=1).tolist()
    [10, 12, 0, 0]
    """
    return np.take(table, days if offset == 0 else days + offset, mode="clip")
