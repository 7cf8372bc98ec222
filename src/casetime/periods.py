"""Reporting periods: financial years, quarters, months, year to date, rolling years, explicit ranges.

Every period is an inclusive range of calendar dates ``[start, end]`` with a
label. The English public sector reports by *financial year*, 1 April to
31 March: ``FinancialYear(2008)`` is 1 April 2008 to 31 March 2009, labelled
``2008/09``; its quarters run April-June (Q1), July-September (Q2),
October-December (Q3) and January-March (Q4).

>>> FinancialYear(2008)
FinancialYear(2008)
>>> p = FinancialYear(2008)
>>> p.label, p.start.isoformat(), p.end.isoformat()
('2008/09', '2008-04-01', '2009-03-31')
>>> Quarter(2008, 3).label, Quarter(2008, 3).end.isoformat()
('2008/09 Q3', '2008-12-31')
>>> YearToDate(Quarter(2008, 3)).label, YearToDate(Quarter(2008, 3)).start.isoformat()
('ytd:2008/09 Q3', '2008-04-01')
>>> [m.label for m in Quarter(2008, 4).split("month")]
['2009-01', '2009-02', '2009-03']

Two periods are equal when they cover the same dates, whatever their labels:

>>> YearToDate(Month(2008, 12)) == YearToDate(Quarter(2008, 3)) == Period("2008-04-01", "2008-12-31")
True

Text forms (what :func:`parse_period` reads, and what every label is)
---------------------------------------------------------------------
=========================== =================================================
``2008/09``                 financial year 2008/09 (``2008/2009`` also read)
``2008/09 Q3``              its third quarter, October-December 2008
``2009-01``                 the calendar month January 2009 (also ``Jan 2009``, ``January 2009``)
``ytd:2008-12``             year to date: 1 April 2008 to 31 December 2008
``ytd:2008/09 Q3``          the same window, to the end of a quarter
``rolling:2009-03``         the 12 months April 2008 to March 2009
``2008-04-01..2008-12-31``  any explicit inclusive range
=========================== =================================================

``YYYY-MM`` is a calendar month, and a financial year is written with a slash. A ``YYYY-MM`` that
also reads as a financial year (``2008-09``: September 2008, or the year DfE and councils write
``2008-09``) is refused with both unambiguous spellings, ``2008/09`` and ``Sep 2008`` (after
``ytd:`` or ``rolling:``, where only a month can stand, it is the month). The label of such a
month (``2008-09``) is therefore read back only after ``ytd:``/``rolling:`` or as ``Sep 2008``.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from typing import Any, ClassVar, Final, Literal, get_args

import numpy as np
import numpy.typing as npt

from casetime._compat import as_intp
from casetime.dates import EPOCH_ORDINAL, MISSING, date_from_day, day_number
from casetime.errors import CasetimeError

__all__ = [
    "PeriodError",
    "Period",
    "FinancialYear",
    "Quarter",
    "Month",
    "YearToDate",
    "Rolling12",
    "TimeUnit",
    "TIME_UNITS",
    "MONTH_NAMES",
    "busiest_financial_year",
    "parse_period",
    "as_period",
    "bucket_lookup",
]

#: The months in English, as periods are written in words (not the locale's).
MONTH_NAMES: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTH_NUMBER: Final = {
    **{name.lower(): i + 1 for i, name in enumerate(MONTH_NAMES)},
    **{name[:3].lower(): i + 1 for i, name in enumerate(MONTH_NAMES)},
    "sept": 9,
}

TimeUnit = Literal["month", "quarter", "year"]
#: The time units a period can be split into (``"year"`` is the financial year).
TIME_UNITS: Final[tuple[TimeUnit, ...]] = get_args(TimeUnit)

_FORMS: Final = (
    "'2008/09' (financial year), '2008/09 Q3' (quarter), '2009-01' (month), 'ytd:2008-12' or "
    "'ytd:2008/09 Q3' (year to date), 'rolling:2009-03' (12 months to the end of March 2009), "
    "'2008-04-01..2008-12-31' (explicit inclusive range)"
)


class PeriodError(CasetimeError):
    """A period that cannot be built or read (the message says what was expected)."""


def _date(value: object, what: str) -> _dt.date:
    try:
        day = day_number(value)
    except CasetimeError as exc:
        raise PeriodError(f"{what}: {exc}") from None
    if day is None:
        raise PeriodError(f"{what} is missing")
    return date_from_day(day)


def _month_start(year: int, month: int) -> _dt.date:
    return _dt.date(year, month, 1)


def _month_end(year: int, month: int) -> _dt.date:
    nxt = _dt.date(year + 1, 1, 1) if month == 12 else _dt.date(year, month + 1, 1)
    return nxt - _dt.timedelta(days=1)


def _check_year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)):
        raise PeriodError(f"a year must be an integer such as 2008, not {year!r}")
    value = int(year)
    if not 1 <= value <= 9998:
        raise PeriodError(f"year {value} is out of range")
    return value


def _fy_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


class Period:
    """An inclusive range of dates ``[start, end]`` with a label.

    ``Period(start, end)`` is an explicit range; the subclasses build the
    usual reporting periods. Periods are immutable and compare (and hash) by
    their dates only.

    >>> p = Period("2008-04-01", "2008-12-31")
    >>> p.label, p.days, "2008-12-31" in p, "2009-01-01" in p
    ('2008-04-01..2008-12-31', 275, True, False)
    """

    __slots__ = ("_end", "_label", "_start")
    kind: ClassVar[str] = "range"
    _start: _dt.date
    _end: _dt.date
    _label: str

    def __init__(self, start: object, end: object, label: str | None = None) -> None:
        first = _date(start, "period start")
        last = _date(end, "period end")
        if last < first:
            raise PeriodError(f"period end {last} is before its start {first}")
        object.__setattr__(self, "_start", first)
        object.__setattr__(self, "_end", last)
        object.__setattr__(self, "_label", label if label is not None else f"{first}..{last}")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("periods are immutable")

    @property
    def start(self) -> _dt.date:
        """The first date in the period."""
        return self._start

    @property
    def end(self) -> _dt.date:
        """The last date in the period (inclusive)."""
        return self._end

    @property
    def label(self) -> str:
        """The period as text (readable back with :func:`parse_period`)."""
        return self._label

    @property
    def first_day(self) -> int:
        """The day number (days since 1970-01-01) of :attr:`start`."""
        return self.start.toordinal() - EPOCH_ORDINAL

    @property
    def last_day(self) -> int:
        """The day number of :attr:`end`."""
        return self.end.toordinal() - EPOCH_ORDINAL

    @property
    def days(self) -> int:
        """How many calendar days the period covers."""
        return self.last_day - self.first_day + 1

    def __contains__(self, value: object) -> bool:
        day = day_number(value)
        return day is not None and self.first_day <= day <= self.last_day

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.start, self.end) == (other.start, other.end)

    def __hash__(self) -> int:
        return hash((self.start, self.end))

    def __repr__(self) -> str:
        label = "" if self.label == f"{self.start}..{self.end}" else f", {self.label!r}"
        return f"Period({self.start.isoformat()!r}, {self.end.isoformat()!r}{label})"

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (Period, (self.start, self.end, self.label))

    def __str__(self) -> str:
        return self.label

    def split(self, unit: str | None) -> list[Period]:
        """The period cut into months, financial quarters or financial years, in date order.

        A piece that is only partly inside the period is clipped to it and keeps
        the label of the whole month (quarter, year); ``unit=None`` gives
        ``[self]``.

        >>> [p.label for p in FinancialYear(2008).split("quarter")]
        ['2008/09 Q1', '2008/09 Q2', '2008/09 Q3', '2008/09 Q4']
        >>> Period("2009-01-15", "2009-03-10").split("month")
        [Period('2009-01-15', '2009-01-31', '2009-01'), Month(2009, 2), Period('2009-03-01', '2009-03-10', '2009-03')]
        """
        _, pieces = bucket_lookup(self, unit)
        return pieces

    @property
    def in_words(self) -> str:
        """The period in words, as every report states it.

        >>> FinancialYear(2008).in_words
        'financial year 2008/09: 1 April 2008 to 31 March 2009'
        >>> Month(2008, 9).in_words, Period("2009-01-15", "2009-03-10").in_words
        ('month September 2008: 1 to 30 September 2008', '15 January 2009 to 10 March 2009')
        """
        what = {
            "financial_year": "financial year",
            "quarter": "quarter",
            "month": "month",
            "year_to_date": "year to date",
            "rolling_12_months": "rolling 12 months",
        }.get(self.kind)
        a, b = self.start, self.end
        ma, mb = MONTH_NAMES[a.month - 1], MONTH_NAMES[b.month - 1]
        if self.kind == "month":
            return f"month {mb} {b.year}: 1 to {b.day} {mb} {b.year}"
        span = f"{a.day} {ma} {a.year} to {b.day} {mb} {b.year}"
        return span if what is None else f"{what} {self.label}: {span}"

    def year_before(self) -> Period:
        """The same period a year earlier (29 February becomes 28 February), of the same kind and label style.

        >>> Period("2008-04-01", "2008-12-31").year_before()
        Period('2007-04-01', '2007-12-31')
        >>> FinancialYear(2008).year_before(), YearToDate(Month(2009, 1)).year_before().label
        (FinancialYear(2007), 'ytd:2008-01')
        """

        def back(day: _dt.date) -> _dt.date:
            try:
                return day.replace(year=day.year - 1)
            except ValueError:  # 29 February
                return day.replace(year=day.year - 1, day=28)

        return Period(back(self.start), back(self.end))

    def to_dict(self) -> dict[str, str]:
        """``{"label", "start", "end", "kind"}`` as text."""
        return {"label": self.label, "start": self.start.isoformat(), "end": self.end.isoformat(), "kind": self.kind}


class FinancialYear(Period):
    """The financial year starting 1 April ``year`` (``FinancialYear(2008)`` is ``2008/09``).

    >>> FinancialYear(2010).end
    datetime.date(2011, 3, 31)
    """

    __slots__ = ("year",)
    kind: ClassVar[str] = "financial_year"
    year: int

    def __init__(self, year: int) -> None:
        y = _check_year(year)
        super().__init__(_dt.date(y, 4, 1), _dt.date(y + 1, 3, 31), _fy_label(y))
        object.__setattr__(self, "year", y)

    def __repr__(self) -> str:
        return f"FinancialYear({self.year})"

    def year_before(self) -> FinancialYear:
        """The same financialyear a year earlier."""
        return FinancialYear(self.year - 1)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (FinancialYear, (self.year,))

    @classmethod
    def containing(cls, value: object) -> FinancialYear:
        """The financial year a date falls in.

        >>> FinancialYear.containing("2009-03-31"), FinancialYear.containing("2009-04-01")
        (FinancialYear(2008), FinancialYear(2009))
        """
        d = _date(value, "date")
        return cls(d.year if d.month >= 4 else d.year - 1)


class Quarter(Period):
    """Quarter ``quarter`` (1-4) of the financial year starting in ``year``.

    Q1 is April-June, Q2 July-September, Q3 October-December, Q4 January-March
    (of ``year + 1``).

    >>> Quarter(2008, 4).start, Quarter(2008, 4).label
    (datetime.date(2009, 1, 1), '2008/09 Q4')
    """

    __slots__ = ("quarter", "year")
    kind: ClassVar[str] = "quarter"
    year: int
    quarter: int

    def __init__(self, year: int, quarter: int) -> None:
        y = _check_year(year)
        if isinstance(quarter, bool) or not isinstance(quarter, (int, np.integer)) or not 1 <= quarter <= 4:
            raise PeriodError(f"a quarter must be 1, 2, 3 or 4, not {quarter!r}")
        q = int(quarter)
        first_month = 4 + 3 * (q - 1)  # 4, 7, 10, 13
        cal_year = y + (first_month - 1) // 12
        month = (first_month - 1) % 12 + 1
        super().__init__(_month_start(cal_year, month), _month_end(cal_year, month + 2), f"{_fy_label(y)} Q{q}")
        object.__setattr__(self, "year", y)
        object.__setattr__(self, "quarter", q)

    def __repr__(self) -> str:
        return f"Quarter({self.year}, {self.quarter})"

    def year_before(self) -> Quarter:
        """The same quarter a year earlier."""
        return Quarter(self.year - 1, self.quarter)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (Quarter, (self.year, self.quarter))


class Month(Period):
    """A calendar month: ``Month(2009, 1)`` is January 2009, labelled ``2009-01``.

    >>> Month(2008, 2).end
    datetime.date(2008, 2, 29)
    """

    __slots__ = ("month", "year")
    kind: ClassVar[str] = "month"
    year: int
    month: int

    def __init__(self, year: int, month: int) -> None:
        y = _check_year(year)
        if isinstance(month, bool) or not isinstance(month, (int, np.integer)) or not 1 <= month <= 12:
            raise PeriodError(f"a month must be 1 to 12, not {month!r}")
        m = int(month)
        super().__init__(_month_start(y, m), _month_end(y, m), f"{y:04d}-{m:02d}")
        object.__setattr__(self, "year", y)
        object.__setattr__(self, "month", m)

    def __repr__(self) -> str:
        return f"Month({self.year}, {self.month})"

    def year_before(self) -> Month:
        """The same month a year earlier."""
        return Month(self.year - 1, self.month)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (Month, (self.year, self.month))


class YearToDate(Period):
    """From 1 April of the financial year to the end of ``through`` (a :class:`Month` or :class:`Quarter`).

    >>> YearToDate(Month(2009, 1))
    YearToDate(Month(2009, 1))
    >>> YearToDate(Month(2009, 1)).start
    datetime.date(2008, 4, 1)
    """

    __slots__ = ("through",)
    kind: ClassVar[str] = "year_to_date"
    through: Month | Quarter

    def __init__(self, through: Month | Quarter) -> None:
        if not isinstance(through, (Month, Quarter)):
            raise PeriodError(f"year to date runs to the end of a Month or a Quarter, not {through!r}")
        fy = FinancialYear.containing(through.end)
        super().__init__(fy.start, through.end, f"ytd:{through.label}")
        object.__setattr__(self, "through", through)

    def __repr__(self) -> str:
        return f"YearToDate({self.through!r})"

    def year_before(self) -> YearToDate:
        """The same year to date a year earlier."""
        return YearToDate(self.through.year_before())

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (YearToDate, (self.through,))


class Rolling12(Period):
    """The 12 calendar months ending with ``through`` (a :class:`Month`).

    >>> r = Rolling12(Month(2009, 3))
    >>> r.label, r.start.isoformat(), r.end.isoformat()
    ('rolling:2009-03', '2008-04-01', '2009-03-31')
    """

    __slots__ = ("through",)
    kind: ClassVar[str] = "rolling_12_months"
    through: Month

    def __init__(self, through: Month) -> None:
        if not isinstance(through, Month):
            raise PeriodError(f"a rolling 12 months ends with a Month, not {through!r}")
        index = through.year * 12 + through.month - 1 - 11
        super().__init__(_month_start(index // 12, index % 12 + 1), through.end, f"rolling:{through.label}")
        object.__setattr__(self, "through", through)

    def __repr__(self) -> str:
        return f"Rolling12({self.through!r})"

    def year_before(self) -> Rolling12:
        """The same rolling12 a year earlier."""
        return Rolling12(self.through.year_before())

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (Rolling12, (self.through,))


# ---------------------------------------------------------------------------
# reading periods from text
# ---------------------------------------------------------------------------

_FY_RE: Final = re.compile(r"^(?:fy\s*)?(\d{4})\s*/\s*(\d{2}|\d{4})$", re.IGNORECASE)
_Q_RE: Final = re.compile(r"^(?:fy\s*)?(\d{4})\s*/\s*(\d{2}|\d{4})\s+q([1-4])$", re.IGNORECASE)
_Q_FIRST_RE: Final = re.compile(r"^q([1-4])\s+(?:fy\s*)?(\d{4})\s*/\s*(\d{2}|\d{4})$", re.IGNORECASE)
_MONTH_RE: Final = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_NAME_RE: Final = re.compile(r"^([A-Za-z]+)\.?[\s-]*(\d{4})$")
_RANGE_RE: Final = re.compile(r"^(\S+)\s*\.\.\s*(\S+)$")


def _fy_year(first: str, second: str, text: str) -> int:
    year = int(first)
    following = int(second)
    expected = (year + 1) % 100 if len(second) == 2 else year + 1
    if following != expected:
        raise PeriodError(
            f"period {text!r}: a financial year runs from one year into the next, "
            f"e.g. {_fy_label(year)} for 1 April {year} to 31 March {year + 1}"
        )
    return year


def parse_period(text: str, *, _within: bool = False) -> Period:
    """Read a period from text (see the module docstring for the forms).

    >>> parse_period("2008/09"), parse_period("2008/09 Q3"), parse_period("2009-01")
    (FinancialYear(2008), Quarter(2008, 3), Month(2009, 1))
    >>> parse_period("ytd:2008-12").end, parse_period("rolling:2009-03").start
    (datetime.date(2008, 12, 31), datetime.date(2008, 4, 1))
    >>> parse_period("2008-04-01..2008-12-31")
    Period('2008-04-01', '2008-12-31')
    >>> parse_period("2008/10")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    casetime.periods.PeriodError: period '2008/10': a financial year runs from one year into the next, e.g. 2008/09 ...
    """
    if not isinstance(text, str):
        raise PeriodError(f"a period must be text such as '2008/09', not {text!r}")
    raw = text.strip()
    lowered = raw.lower()
    for prefix in ("ytd:", "rolling:"):
        if lowered.startswith(prefix):
            inner = parse_period(raw[len(prefix) :], _within=True)
            if prefix == "ytd:":
                if not isinstance(inner, (Month, Quarter)):
                    raise PeriodError(f"period {text!r}: 'ytd:' needs a month (2008-12) or a quarter (2008/09 Q3)")
                return YearToDate(inner)
            if not isinstance(inner, Month):
                raise PeriodError(f"period {text!r}: 'rolling:' needs a month such as 2009-03")
            return Rolling12(inner)
    if m := _FY_RE.match(raw):
        return FinancialYear(_fy_year(m.group(1), m.group(2), text))
    if m := _Q_RE.match(raw):
        return Quarter(_fy_year(m.group(1), m.group(2), text), int(m.group(3)))
    if m := _Q_FIRST_RE.match(raw):
        return Quarter(_fy_year(m.group(2), m.group(3), text), int(m.group(1)))
    if m := _MONTH_RE.match(raw):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"period {text!r}: month {month} is not 1 to 12 (YYYY-MM is a calendar month)")
        if not _within and len(m.group(2)) == 2 and month == (year + 1) % 100:
            raise PeriodError(
                f"period {text!r} reads two ways: write {_fy_label(year)} for the financial year (1 April {year} to "
                f"31 March {year + 1}) or '{MONTH_NAMES[month - 1][:3]} {year}' for the month of "
                f"{MONTH_NAMES[month - 1]} {year}"
            )
        return Month(year, month)
    if (m := _MONTH_NAME_RE.match(raw)) and m.group(1).lower() in _MONTH_NUMBER:
        return Month(int(m.group(2)), _MONTH_NUMBER[m.group(1).lower()])
    if m := _RANGE_RE.match(raw):
        return Period(m.group(1), m.group(2))
    raise PeriodError(f"cannot read period {text!r}; expected one of {_FORMS}")


_COUNTED_SPAN: Final = 1 << 20  # days apart up to which the days are counted by bincount
_COUNTED_BLOCK: Final = 1 << 16  # days counted at a time


def _days_counted(arr: npt.NDArray[np.int64], lo: int, hi: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The distinct days of ``arr`` from ``lo`` to ``hi`` and how often each occurs, by one count of every day
    of the span (the days outside it, missing ones too, counted in one more bin, then dropped).

    >>> [a.tolist() for a in _days_counted(np.array([5, 3, 5, 9, -1]), 3, 6)]
    [[3, 5], [1, 2]]
    """
    span = hi - lo + 1
    per_day = np.zeros(span + 1, dtype=np.int64)
    offset = np.empty(min(arr.shape[0], _COUNTED_BLOCK), dtype=np.uint64)  # (block by block: it stays in cache)
    for start in range(0, arr.shape[0], _COUNTED_BLOCK):
        block = offset[: min(_COUNTED_BLOCK, arr.shape[0] - start)]
        np.subtract(arr[start : start + block.shape[0]].view(np.uint64), np.uint64(lo % (1 << 64)), out=block)
        np.minimum(block, np.uint64(span), out=block)  # (a day before lo wrapped round past the span)
        per_day += np.bincount(as_intp(block.view(np.int64)), minlength=span + 1)
    per_day = per_day[:span]
    distinct = np.flatnonzero(per_day)
    return distinct + lo, per_day[distinct].astype(np.int64)


def _distinct_days(
    arr: npt.NDArray[np.int64], first: int, last: int | None
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The days of ``arr`` from ``first`` to ``last`` (``None``: no end), each once, and how often each occurs
    (counted day by day when the days are near enough together; else every day once, weight 1).

    >>> [a.tolist() for a in _distinct_days(np.array([5, 3, 5, 9]), 4, None)]
    [[5, 9], [2, 1]]
    """
    if last is not None and last - first < _COUNTED_SPAN:  # one count over the bounds
        return _days_counted(arr, first, last)
    present = arr[arr >= first] if last is None else arr[(arr >= first) & (arr <= last)]
    if present.size and int(present.max()) - int(present.min()) < _COUNTED_SPAN:
        return _days_counted(present, int(present.min()), int(present.max()))
    return present, np.ones(present.size, dtype=np.int64)


def busiest_financial_year(
    days: Sequence[npt.NDArray[np.int64]], within: tuple[int, int] | None = None
) -> tuple[FinancialYear, int, int] | None:
    """The financial year holding most of the given day numbers (missing ones ignored, and with
    ``within``, first and last day numbers, those outside it), with how many fall in it and how many
    there are; ``None`` when there are none. A tie goes to the later year.

    >>> from casetime.dates import MISSING
    >>> days = np.array([14000, 14100, 14200, 20000, MISSING])  # 2008-05-01, 2008-08-09, 2008-11-17, 2024-10-04
    >>> busiest_financial_year([days]), busiest_financial_year([days], within=(14100, 20000))
    ((FinancialYear(2008), 3, 4), (FinancialYear(2008), 2, 3))
    """
    counts: dict[int, int] = {}
    first_day = MISSING + 1 if within is None else max(within[0], MISSING + 1)  # (MISSING is below any first day)
    last_day = None if within is None else within[1]
    for arr in days:
        present, weight = _distinct_days(arr, first_day, last_day)
        if not present.size:
            continue
        months = present.astype("M8[D]").astype("M8[M]").astype(np.int64)  # months since 1970-01
        fy = (months - 3) // 12 + 1970  # April starts a financial year
        first = int(fy.min())
        if int(fy.max()) - first < _COUNTED_SPAN:
            per_year = np.bincount(as_intp(fy - first), weights=weight).astype(np.int64)
            years = np.flatnonzero(per_year) + first
            n = per_year[years - first]
        else:  # (dates far apart, typos of the year 9999 or beyond: only the years that occur)
            years, inverse = np.unique(fy, return_inverse=True)
            n = np.bincount(as_intp(inverse.ravel()), weights=weight).astype(np.int64)
        for year, k in zip(years.tolist(), n.tolist(), strict=True):
            counts[year] = counts.get(year, 0) + k
    if not counts:
        return None
    best = max(counts, key=lambda y: (counts[y], y))
    return FinancialYear(best), counts[best], sum(counts.values())


def as_period(value: Period | str) -> Period:
    """A :class:`Period` as given, or read from text with :func:`parse_period`.

    >>> as_period("2008/09") == FinancialYear(2008)
    True
    """
    if isinstance(value, Period):
        return value
    if isinstance(value, str):
        return parse_period(value)
    raise PeriodError(f"expected a Period or text such as '2008/09', not {value!r}")


# ---------------------------------------------------------------------------
# splitting a period: a day-to-bucket lookup table
# ---------------------------------------------------------------------------


def _piece(unit: str, index: int) -> Period:
    """The whole month / financial quarter / financial year with calendar-month or fy index ``index``."""
    if unit == "month":
        return Month(index // 12, index % 12 + 1)
    if unit == "quarter":
        return Quarter(index // 4, index % 4 + 1)
    return FinancialYear(index)


def bucket_lookup(period: Period, unit: str | None) -> tuple[npt.NDArray[np.int64], list[Period]]:
    """A lookup from day to bucket for ``period`` cut by ``unit``, and the buckets.

    Returns ``(lut, buckets)``: ``lut[d - period.first_day]`` is the index in
    ``buckets`` of the bucket holding day number ``d``, for every day of the
    period. Buckets are whole months, financial quarters or financial years,
    clipped to the period.

    >>> lut, buckets = bucket_lookup(Quarter(2008, 3), "month")
    >>> lut[[0, 30, 31, 91]].tolist(), [b.label for b in buckets]
    ([0, 0, 1, 2], ['2008-10', '2008-11', '2008-12'])
    """
    if unit is None:
        return np.zeros(period.days, dtype=np.int64), [period]
    if unit not in TIME_UNITS:
        raise PeriodError(f"unknown time unit {unit!r}; choose one of {', '.join(TIME_UNITS)}")
    days = np.arange(period.first_day, period.last_day + 1, dtype=np.int64)
    months = days.view("M8[D]").astype("M8[M]").view(np.int64) + 1970 * 12  # year * 12 + month - 1
    if unit == "month":
        index = months
    elif unit == "quarter":
        index = (months - 3) // 3  # financial year * 4 + quarter - 1
    else:
        index = (months - 3) // 12  # financial year
    lut = index - index[0]
    first = int(index[0])
    buckets: list[Period] = []
    for k in range(int(lut[-1]) + 1):
        whole = _piece(unit, first + k)
        lo, hi = max(whole.start, period.start), min(whole.end, period.end)
        buckets.append(whole if (lo, hi) == (whole.start, whole.end) else Period(lo, hi, whole.label))
    return lut, buckets
