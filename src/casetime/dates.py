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
import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, NamedTuple

import numpy as np
import numpy.typing as npt

from casetime._compat import arrow_values, as_intp, is_arrow_array, is_polars_series, pandas_kind, take_clip
from casetime.errors import DateParseError

__all__ = [
    "MISSING",
    "EPOCH",
    "FIRST_YEAR",
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
    "read_date_strings",
    "DatesRead",
    "DATE_FORMS",
    "DateStyle",
    "time_of_day_ok",
    "to_day_numbers",
    "weekday",
    "add_months",
    "months_later",
    "add_years",
    "lookup",
]

DayArray = npt.NDArray[np.int64]
_Index = npt.NDArray[np.int64]

#: The day number that stands for a missing date (``NaT`` viewed as ``int64``).
MISSING: Final[int] = int(np.iinfo(np.int64).min)

#: Day number 0.
EPOCH: Final = _dt.date(1970, 1, 1)
#: ``EPOCH.toordinal()``: a day number is ``date.toordinal() - EPOCH_ORDINAL``.
EPOCH_ORDINAL: Final[int] = EPOCH.toordinal()
_EPOCH_WEEKDAY: Final = EPOCH.weekday()  # a Thursday (3)
#: The earliest year date text is read in (an earlier one is a typing slip, not a date).
FIRST_YEAR: Final = 1000
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


def add_months(days: DayArray, months: Any) -> DayArray:
    """``days`` plus whole calendar ``months`` (31 January + 1 month = 28 or 29 February), exactly; missing stays
    missing.

    ``months`` may be an array (one per day). This is ``dateutil.relativedelta(months=...)``,
    vectorised: the day of the month is kept, or the month's last day when it is shorter.

    >>> days_to_dates(add_months(np.array([14275, 13909, MISSING]), 1)).tolist()  # 31 January 2009, 2008
    [datetime.date(2009, 2, 28), datetime.date(2008, 2, 29), None]
    """
    missing = days == MISSING
    safe = np.where(missing, 0, days).view("M8[D]")
    month = safe.astype("M8[M]")
    dom = (safe - month.astype("M8[D]")).view(np.int64)
    target = month + np.asarray(months, dtype=np.int64)
    length = ((target + 1).astype("M8[D]") - target.astype("M8[D]")).view(np.int64)
    out = target.astype("M8[D]").view(np.int64) + np.minimum(dom, length - 1)
    result: DayArray = np.where(missing, MISSING, out)
    return result


def add_years(days: DayArray, years: Any) -> DayArray:
    """``days`` plus whole calendar ``years`` (29 February + 1 year = 28 February), exactly; missing stays missing.

    ``years`` may be an array (one per day): :func:`add_months` of twelve months a year
    (``dateutil.relativedelta(years=...)``, vectorised).

    >>> days_to_dates(add_years(np.array([13938, MISSING]), 2)).tolist()  # 29 February 2008
    [datetime.date(2010, 2, 28), None]
    """
    return add_months(days, np.asarray(years, dtype=np.int64) * 12)


_TABLE_FIRST: Final = _dt.date(1900, 1, 1)
_TABLE_LAST: Final = _dt.date(2199, 12, 31)


@functools.lru_cache(maxsize=16)
def _months_later_table(months: int) -> tuple[int, DayArray]:
    """``(offset, table)``: ``table[d + offset]`` is ``add_months(d, months)`` for 1900-2199, MISSING beyond."""
    lo = _TABLE_FIRST.toordinal() - EPOCH_ORDINAL
    hi = _TABLE_LAST.toordinal() - EPOCH_ORDINAL
    offset = 1 - lo
    table = np.full(hi + offset + 2, MISSING, dtype=np.int64)
    table[1 : hi + offset + 1] = add_months(np.arange(lo, hi + 1, dtype=np.int64), months)
    table.flags.writeable = False
    return offset, table


def months_later(days: DayArray, months: int) -> DayArray:
    """:func:`add_months` by one number of months, with a per-day table (one gather; exact for every day).

    >>> days_to_dates(months_later(np.array([14275, MISSING, -43799]), 1)).tolist()  # 31 January 2009, 1850
    [datetime.date(2009, 2, 28), None, datetime.date(1850, 2, 28)]
    """
    offset, table = _months_later_table(int(months))
    out = lookup(table, days, offset)
    odd = np.flatnonzero((out == MISSING) & (days != MISSING))
    if odd.size:
        out[odd] = add_months(days[odd], months)
    return out


def weekday(days: Any) -> Any:
    """The weekday of day numbers (Monday 0 ... Sunday 6), like :meth:`datetime.date.weekday`.

    >>> weekday(14249), weekday(np.array([0, 14250])).tolist()  # 5 January 2009 was a Monday
    (0, [3, 1])
    """
    return (days + _EPOCH_WEEKDAY) % 7


def day_number(value: object, position: int | None = None) -> int | None:
    """The day number of one date-like value, or ``None`` when it is missing.

    Accepts :class:`datetime.date`, :class:`datetime.datetime` (the date part,
    as written), ``pandas.Timestamp``, ``numpy.datetime64`` of any unit and text
    in the forms :func:`parse_date_strings` reads, day first (a time after the
    date is ignored).

    >>> day_number("2009-01-05T16:30"), day_number("05/01/2009"), day_number("5 Jan 2009")
    (14249, 14249, 14249)
    >>> day_number("31/02/2009")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    casetime.errors.DateParseError: not a date: '31/02/2009'; expected a real date such as 2009-01-05, ...
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
        read = read_date_strings(np.array([value]))
        if read.bad[0]:
            raise DateParseError(value, position, short_year=bool(read.short_year[0]))
        return None if read.days[0] == MISSING else int(read.days[0])
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
        if str(values.type) == "date32[day]":  # (the pyarrow CSV reader's dates: read without importing pandas)
            return _arrow_days(values)
        arr = np.asarray(values.to_numpy(zero_copy_only=False))
    elif isinstance(values, np.ndarray):
        arr = values
    else:
        arr = np.empty(len(values), dtype=object)
        arr[:] = list(values)
    return _array_to_days(arr)


def _arrow_days(values: Any) -> DayArray:
    """Day numbers of a pyarrow ``date32`` array or chunked array (the same count from the same epoch)."""
    chunks = values.chunks if hasattr(values, "chunks") else [values]
    out = np.empty(len(values), dtype=np.int64)
    at = 0
    for chunk in chunks:
        days, valid = arrow_values(chunk, np.int32)
        piece = out[at : at + days.shape[0]]
        piece[:] = days
        if valid is not None:
            piece[~valid] = MISSING
        at += days.shape[0]
    return out


def _array_to_days(arr: np.ndarray) -> DayArray:
    if arr.dtype.kind == "M":
        return arr.astype("M8[D]", copy=False).view(np.int64)
    if arr.dtype.kind in "US":
        flat = arr.ravel()
        read = read_date_strings(flat)
        if read.bad.any():
            pos = int(np.flatnonzero(read.bad)[0])
            value = flat[pos].item() if hasattr(flat[pos], "item") else flat[pos]
            raise DateParseError(value, pos, short_year=bool(read.short_year[pos]))
        return read.days.reshape(arr.shape)
    if arr.dtype.kind == "O":
        flat = arr.ravel()
        if flat.size == 0:
            return np.empty(arr.shape, dtype=np.int64)
        # str() of a date, datetime, Timestamp or datetime64 is ISO; parse all at once,
        # then look again only at the rows the fast parse could not read.
        days, bad = parse_date_strings(flat.astype(str))
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
_SEPARATORS: Final = np.array([ord(c) for c in "-/. "], dtype=np.uint32)
_MONTHS: Final = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_LONGEST_MONTH: Final = max(len(name) for name in _MONTHS)
_TIME: Final = re.compile(
    r"[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]{1,9})?)?"  # hours, minutes, seconds, fraction
    r"(?: ?([AaPp][Mm]))?(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?"  # AM or PM, a UTC offset
)

#: How the built-in reading is described in messages, by ``dayfirst``.
DATE_FORMS: Final = {
    first: f"YYYY-MM-DD or {order} (also with - or . between, 5 Jan 2009, 05-Jan-2009, a time after)"
    for first, order in ((True, "dd/mm/yyyy"), (False, "mm/dd/yyyy"))
}


class DatesRead(NamedTuple):
    """What :func:`read_date_strings` made of an array of text: day numbers (:data:`MISSING` where
    blank or unreadable), the rows that were not blank and not a real date, and among those the rows
    whose only fault is a two-digit year (never guessed: 09 may be 2009 or 1909)."""

    days: DayArray
    bad: npt.NDArray[np.bool_]
    short_year: npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class DateStyle:
    """How a reader reads date text: day first (the default) or month first, or one strptime format.

    >>> DateStyle().read(["05/01/2009"]).days.tolist(), DateStyle(dayfirst=False).forms
    ([14249], 'YYYY-MM-DD or mm/dd/yyyy (also with - or . between, 5 Jan 2009, 05-Jan-2009, a time after)')
    """

    dayfirst: bool = True
    date_format: str | None = None

    def read(self, values: Any) -> DatesRead:
        """:func:`read_date_strings` in this style."""
        return read_date_strings(values, dayfirst=self.dayfirst, date_format=self.date_format)

    @property
    def forms(self) -> str:
        """The forms read, in words, for messages."""
        if self.date_format is not None:
            return f"the date format {self.date_format!r}"
        return DATE_FORMS[self.dayfirst]


def time_of_day_ok(text: str) -> bool:
    """Whether ``text`` is what may follow a date: a space or ``T`` and a time of day, with seconds,
    fractions, ``AM``/``PM`` or a UTC offset (the time itself is ignored: the date is as written).

    >>> [time_of_day_ok(t) for t in (" 14:30", "T23:59:59.000", " 12:00 AM", " 0:00", " 25:00", " 12")]
    [True, True, True, True, False, False]
    """
    found = _TIME.fullmatch(text)
    if found is None:
        return False
    hour, minute, second, half = found.groups()
    top = 12 if half else 23
    return int(hour) <= top and int(minute) <= 59 and (second is None or int(second) <= 59)


def _gather(codes: npt.NDArray[np.uint32], start: _Index, width: int) -> npt.NDArray[np.uint32]:
    """``width`` characters of each row from ``start`` (the row's end past the last column)."""
    cols = np.minimum(start[:, None] + np.arange(width), codes.shape[1] - 1)
    return np.take_along_axis(codes, as_intp(cols), axis=1)


def _number(chars: npt.NDArray[np.uint32], length: _Index) -> tuple[_Index, npt.NDArray[np.bool_]]:
    """The value of the first ``length`` characters of each row, and whether they are all digits."""
    digits = chars.astype(np.int64) - _ZERO
    used = np.arange(chars.shape[1])[None, :] < length[:, None]
    ok: npt.NDArray[np.bool_] = np.asarray(np.where(used, (digits >= 0) & (digits <= 9), True).all(axis=1))
    value = np.zeros(chars.shape[0], dtype=np.int64)
    for k in range(chars.shape[1]):
        value = np.where(used[:, k], value * 10 + digits[:, k], value)
    return value, ok


def _lookup_text(chars: npt.NDArray[np.uint32], accept: Callable[[str], int]) -> _Index:
    """``accept(text)`` for each row of characters, called once per distinct text."""
    text = np.ascontiguousarray(chars).view(f"<U{chars.shape[1]}").ravel()
    uniq, inverse = np.unique(text, return_inverse=True)
    answers = np.array([accept(str(t)) for t in uniq.tolist()], dtype=np.int64)
    result: _Index = answers[inverse.ravel()]
    return result


def read_date_strings(values: Any, *, dayfirst: bool = True, date_format: str | None = None) -> DatesRead:
    """Read an array of date text, vectorised: see :func:`parse_date_strings` for the forms read.

    With ``date_format`` (a :meth:`datetime.datetime.strptime` format such as ``"%d %B %Y"``) every
    text is read with that format only, once per distinct text.

    >>> read_date_strings(["05/01/09", "5 Jan 2009"]).short_year.tolist()
    [True, False]
    """
    arr = np.asarray(values)
    if arr.dtype.kind == "S":
        arr = np.char.decode(arr, "utf-8", errors="replace")
    arr = np.strings.strip(arr.astype(str, copy=False).ravel())
    n = arr.shape[0]
    days = np.full(n, MISSING, dtype=np.int64)
    short = np.zeros(n, dtype=bool)
    if n == 0:
        return DatesRead(days, short.copy(), short)
    blank = (arr == "") | np.isin(arr, list(_MISSING_STRINGS))
    if date_format is not None:
        days = _lookup_text(
            np.ascontiguousarray(np.where(blank, "", arr)).view(np.uint32).reshape(n, -1),
            lambda text: _strptime_day(text, date_format),
        )
        return DatesRead(days, (days == MISSING) & ~blank, short)
    width = max(arr.dtype.itemsize // 4 + 1, 11)  # a last column of NUL ends every row
    codes = np.ascontiguousarray(arr.astype(f"<U{width}")).view(np.uint32).reshape(n, width)
    year = np.zeros(n, dtype=np.int64)
    month = np.zeros(n, dtype=np.int64)
    day = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)

    # the common case first, cheaply: exactly YYYY-MM-DD
    iso = ~blank & (codes[:, 4] == ord("-")) & (codes[:, 7] == ord("-")) & (codes[:, 10] == 0)
    rows = np.flatnonzero(iso)
    if rows.size:
        digits = np.delete(codes[rows, :10].astype(np.int64) - _ZERO, (4, 7), axis=1)
        fits = ((digits >= 0) & (digits <= 9)).all(axis=1)
        iso[rows[~fits]] = False  # (left to the general reading, which says why)
        rows, digits = rows[fits], digits[fits]
        y, m, d = (digits[:, a:b] @ (10 ** np.arange(b - a - 1, -1, -1)) for a, b in ((0, 4), (4, 6), (6, 8)))
        year[rows], month[rows], day[rows], ok[rows] = y, m, d, True

    rows = np.flatnonzero(~blank & ~iso)
    if rows.size:
        y, m, d, fits, short_rows = _read_general(codes[rows], dayfirst)
        year[rows], month[rows], day[rows], ok[rows], short[rows] = y, m, d, fits, short_rows

    ok &= (month >= 1) & (month <= 12) & (day >= 1) & (year >= FIRST_YEAR)
    months = np.where(ok, (year - 1970) * 12 + month - 1, 0)
    first = months.astype("M8[M]").astype("M8[D]").view(np.int64)
    length = (months + 1).astype("M8[M]").astype("M8[D]").view(np.int64) - first
    ok &= day <= length
    days[ok] = first[ok] + day[ok] - 1
    return DatesRead(days, ~ok & ~blank, short & ~blank)


def _read_general(
    codes: npt.NDArray[np.uint32], dayfirst: bool
) -> tuple[_Index, _Index, _Index, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Year, month, day, whether the text is a date form, and whether it is one but for a two-digit year.

    The text is three parts with the same separator (``-``, ``/``, ``.`` or a space) twice, then
    nothing or a time of day: ``YYYY sep M sep D``, ``D sep M sep YYYY`` (``M sep D sep YYYY`` when not
    ``dayfirst``) or ``D sep MonthName sep YYYY``, with one- or two-digit days and months.
    """
    n, width = codes.shape
    col = np.arange(width)[None, :]
    lower = codes | np.uint32(0x20)
    alpha = (lower >= ord("a")) & (lower <= ord("z"))
    digit = (codes >= _ZERO) & (codes <= _ZERO + 9)
    other = ~(alpha | digit)
    r = np.arange(n)
    s1 = np.argmax(other, axis=1)
    s2 = np.argmax(other & (col > s1[:, None]), axis=1)
    e3 = np.argmax(~digit & (col > s2[:, None]), axis=1)
    sep = codes[r, s1]
    len1, len2, len3 = s1, s2 - s1 - 1, e3 - s2 - 1
    shaped = np.isin(sep, _SEPARATORS) & (codes[r, s2] == sep) & (len1 >= 1) & (len2 >= 1) & (len3 >= 1)

    first, first_digits = _number(codes[:, :4], len1)
    second, second_digits = _number(_gather(codes, s1 + 1, 2), len2)
    third, _ = _number(_gather(codes, s2 + 1, 4), np.minimum(len3, 4))
    named = np.zeros(n, dtype=np.int64)
    wordy = np.flatnonzero(shaped & (len2 >= 3) & (len2 <= _LONGEST_MONTH))
    if wordy.size:
        chars = _gather(lower[wordy], s1[wordy] + 1, _LONGEST_MONTH)
        chars = np.where(np.arange(_LONGEST_MONTH)[None, :] < len2[wordy, None], chars, 0)
        named[wordy] = _lookup_text(chars, lambda text: _MONTHS.get(text, 0))

    small1 = first_digits & (len1 <= 2)
    small2 = (second_digits & (len2 <= 2)) | (named > 0)
    year_first = shaped & first_digits & (len1 == 4) & second_digits & (len2 <= 2) & (len3 <= 2)
    year_last = shaped & small1 & small2 & (len3 == 4)
    short = shaped & small1 & small2 & (len3 == 2)
    month_second = np.where(named > 0, named, second)
    if dayfirst:
        day_last, month_last = first, month_second
    else:
        day_last = np.where(named > 0, first, second)
        month_last = np.where(named > 0, named, first)
    year = np.where(year_first, first, third)
    month = np.where(year_first, second, month_last)
    day = np.where(year_first, third, day_last)

    fits = year_first | year_last
    tails = np.flatnonzero((fits | short) & (codes[r, e3] != 0))
    if tails.size:
        start = e3[tails]
        chars = _gather(codes[tails], start, width - int(start.min()))
        timed = _lookup_text(chars, lambda text: int(time_of_day_ok(text))).astype(bool)
        fits[tails] &= timed
        short[tails] &= timed
    return year, month, day, fits, short


def _strptime_day(text: str, date_format: str) -> int:
    if text == "":
        return MISSING
    try:
        return _dt.datetime.strptime(text, date_format).date().toordinal() - EPOCH_ORDINAL
    except ValueError:
        return MISSING


def parse_date_strings(
    values: Any, *, dayfirst: bool = True, date_format: str | None = None
) -> tuple[DayArray, npt.NDArray[np.bool_]]:
    """Parse an array of date strings without a Python loop over rows.

    Reads, always day first unless ``dayfirst=False``:

    - ``YYYY-MM-DD`` (ISO), and year first with ``/`` or ``.`` (``2009/01/05``);
    - ``dd/mm/yyyy`` with ``/``, ``-``, ``.`` or a space between (``05-01-2009``, ``5.1.2009``), or
      ``mm/dd/yyyy`` with ``dayfirst=False``;
    - a month by name or three-letter abbreviation, any case (``5 Jan 2009``, ``05-Jan-2009``,
      ``5 January 2009``);
    - any of these followed by a space or ``T`` and a time of day (``05/01/2009 12:00 AM``,
      ``2009-01-05T10:00:00.000Z``), which is ignored: the date is as written.

    A two-digit year (``05/01/09``) is never guessed. ``date_format`` reads every text with one
    :meth:`datetime.datetime.strptime` format instead.

    Returns ``(days, bad)``: day numbers with :data:`MISSING` for blank or unparseable rows, and a
    mask of the rows that were not blank but could not be read as a real date (``31/02/2009`` is bad,
    never shifted to March).

    >>> days, bad = parse_date_strings(["2009-01-05", "05/01/2009", "", "31/02/2009", "5 Jan 2009 0:00"])
    >>> days.tolist()[:2], days.tolist()[-1], bad.tolist()
    ([14249, 14249], 14249, [False, False, False, True, False])
    """
    days, bad, _ = read_date_strings(values, dayfirst=dayfirst, date_format=date_format)
    return days, bad


def lookup(table: npt.NDArray[Any], days: DayArray, offset: int = 0) -> npt.NDArray[Any]:
    """``table[days + offset]``, clipped at both ends: a per-day table built with a sentinel at each
    end answers for missing days (:data:`MISSING`) and days outside it with those sentinels.

    >>> lookup(np.array([0, 10, 11, 12, 0]), np.array([0, 2, MISSING, 99]), offset=1).tolist()
    [10, 12, 0, 0]
    """
    found: npt.NDArray[Any] = take_clip(table, days if offset == 0 else days + offset)
    return found
