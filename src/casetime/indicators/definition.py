"""What an indicator is, as data: :class:`Indicator`, its kind, and its dated limits (:class:`LimitSchedule`).

An :class:`Indicator` says everything needed to compute a measure: which records, which dates
start and stop the clock, the limit and its unit, which records form the population of a
period, whether records or children are counted, which direction is better, and a default
target. Its *kind* says how the engine sorts each record (see :data:`KINDS`); one engine
(:func:`casetime.engine.compute`) interprets every definition of every kind, so a new measure
is a new row, not new code.

A limit can change with the era: a :class:`LimitSchedule` holds rows of (from date, limit,
source), and each record is judged against the limit in force on its clock start.

>>> schedule = LimitSchedule("example", (Limit(None, 7, "before"), Limit(_dt.date(2010, 4, 1), 10, "after")))
>>> str(schedule), schedule.limit_on(_dt.date(2010, 3, 31)), schedule.limit_on(_dt.date(2010, 4, 1))
('7 (10 from 2010-04-01)', 7, 10)
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Final, Literal, get_args

import numpy as np
import numpy.typing as npt

from casetime.dates import MISSING, date_from_day, day_number
from casetime.errors import CasetimeError, CasetimeTypeError
from casetime.rag import POLARITIES, Polarity, as_fraction
from casetime.schema import SCHEMAS, record_type_of

__all__ = [
    "Kind",
    "KINDS",
    "Unit",
    "UNITS",
    "Population",
    "POPULATIONS",
    "Counting",
    "COUNTINGS",
    "Comparison",
    "COMPARISONS",
    "Limit",
    "LimitSchedule",
    "Indicator",
]

Kind = Literal["timeliness"]
#: How a definition sorts its records. ``"timeliness"``: the clock ran within (or at least) a limit.
#: Each kind has one classifier in the engine (:mod:`casetime.engine.kinds`); the kinds DfE's
#: tables need next (distributions over duration bands, event counts such as repeat plans,
#: review timeliness) are added there, beside it.
KINDS: Final[tuple[Kind, ...]] = get_args(Kind)
Unit = Literal["working_days", "years"]
#: Units a limit can be in.
UNITS: Final[tuple[Unit, ...]] = get_args(Unit)
Population = Literal["completed_in_period", "ended_in_period", "started_in_period"]
#: Which records of a period are counted: by the date the clock stopped, or started.
POPULATIONS: Final[tuple[Population, ...]] = get_args(Population)
Counting = Literal["record", "child"]
#: ``"record"`` counts records (plans, assessments); ``"child"`` counts each child once per result row.
COUNTINGS: Final[tuple[Counting, ...]] = get_args(Counting)
Comparison = Literal["within", "at_least"]
#: What puts a record in the numerator: ``"within"``: elapsed <= limit; ``"at_least"``: elapsed >= limit.
COMPARISONS: Final[tuple[Comparison, ...]] = get_args(Comparison)

_UNIT_WORDS: Final = {"working_days": "working days", "years": "years"}


def _choice(value: object, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise CasetimeError(f"{what} must be one of {', '.join(allowed)}, not {value!r}")


def _whole(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or int(value) < 0:
        raise CasetimeError(f"{what} must be a whole number >= 0, not {value!r}")
    return int(value)


@dataclass(frozen=True)
class Limit:
    """One row of a limit schedule: ``limit`` applies to records whose clock starts on or after ``start``.

    ``start=None`` is the first row: from the beginning (any date-like value is read as a date).
    ``source`` says where the limit comes from.
    """

    start: _dt.date | None
    limit: int
    source: str = ""

    def __post_init__(self) -> None:
        day = None if self.start is None else day_number(self.start)
        if day is None and self.start is not None:  # "", NaN, NaT: a missing date is not "from the beginning"
            raise CasetimeError(f"a limit's start must be a date, or None for the first row, not {self.start!r}")
        object.__setattr__(self, "start", None if day is None else date_from_day(day))
        object.__setattr__(self, "limit", _whole(self.limit, "a limit"))


@dataclass(frozen=True)
class LimitSchedule:
    """Dated limits, looked up per record by its clock start (see the module docstring).

    ``rows`` start with a row from the beginning (``start=None``), then rows in date order.
    """

    name: str
    rows: tuple[Limit, ...]

    def __post_init__(self) -> None:
        rows = tuple(self.rows)
        if not rows or rows[0].start is not None:
            raise CasetimeError(
                f"limit schedule {self.name!r}: the first row must apply from the beginning (start=None)"
            )
        starts = [r.start for r in rows[1:]]
        if any(s is None for s in starts) or starts != sorted(starts) or len(set(starts)) != len(starts):  # type: ignore[type-var]
            raise CasetimeError(f"limit schedule {self.name!r}: the rows after the first need increasing start dates")
        object.__setattr__(self, "rows", rows)

    @classmethod
    def single(cls, limit: int, source: str = "") -> LimitSchedule:
        """One limit for every record."""
        return cls(str(limit), (Limit(None, limit, source),))

    @property
    def limits(self) -> tuple[int, ...]:
        """The limit of each row, in order."""
        return tuple(r.limit for r in self.rows)

    def limit_on(self, start: object) -> int:
        """The limit for a record whose clock starts on ``start`` (the first row's for a missing start).

        Row by row, as the schedule reads: the scalar reference :meth:`limits_for` is tested against.
        """
        day = day_number(start)
        chosen = self.rows[0]
        for row in self.rows[1:]:
            assert row.start is not None
            if day is not None and date_from_day(day) >= row.start:
                chosen = row
        return chosen.limit

    def row_of(self, starts: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Which row applies to each clock start (day numbers; a missing start takes row 0)."""
        rows: npt.NDArray[np.int64] = np.searchsorted(self._bounds, starts, side="right").astype(np.int64)
        rows[starts == MISSING] = 0
        return rows

    def limits_for(self, starts: npt.NDArray[np.int64]) -> Any:
        """The limit of each record (an ``int`` when there is one row, else an ``int64`` array)."""
        if len(self.rows) == 1:
            return self.rows[0].limit
        return self._limit_array[self.row_of(starts)]

    @functools.cached_property
    def _bounds(self) -> npt.NDArray[np.int64]:
        return np.array([day_number(r.start) for r in self.rows[1:]], dtype=np.int64)

    @functools.cached_property
    def _limit_array(self) -> npt.NDArray[np.int64]:
        return np.array(self.limits, dtype=np.int64)

    def __str__(self) -> str:
        first, *later = self.rows
        if not later:
            return str(first.limit)
        assert all(r.start is not None for r in later)
        return f"{first.limit} (" + ", ".join(f"{r.limit} from {r.start}" for r in later) + ")"


@dataclass(frozen=True, kw_only=True)
class Indicator:
    """One measure, as data (build it by keyword).

    Parameters
    ----------
    id:
        Short identifier (``"NI59"``), the key in :data:`~casetime.indicators.INDICATORS`.
    title:
        What is measured, in words; ``{limit}`` is filled in by :attr:`heading`.
    record_type:
        The record type counted (see :mod:`casetime.schema`).
    clock_start, clock_stop:
        The date columns that start and stop the clock.
    limit, unit:
        The time limit, a whole number or a :class:`LimitSchedule` (per record by its clock
        start), in working days (counted with a calendar and a named convention) or calendar
        years (anniversary arithmetic).
    kind:
        How records are sorted (:data:`KINDS`; default ``"timeliness"``).
    population:
        Which records belong to a period: ``"completed_in_period"`` and
        ``"ended_in_period"`` (the clock stopped in it; the same rule, named for
        assessments and for plans) or ``"started_in_period"``.
    counting:
        ``"record"`` or ``"child"`` (each child once per result row; in the
        numerator if any of its records is).
    polarity:
        ``"higher"`` or ``"lower"``: which direction is better.
    comparison:
        What puts a record in the numerator: ``"within"`` (elapsed <= limit) or
        ``"at_least"`` (elapsed >= limit).
    target:
        Default target, a percentage (or ``None``).
    description, source:
        The denominator and numerator in words; where the definition comes from.

    >>> from casetime.indicators import NI60
    >>> NI60.limit, NI60.clock_start, NI60.clock_stop, NI60.target
    (35, 'start_date', 'completion_date', Fraction(88, 1))
    >>> Indicator(id="X", title="x", record_type="cpp", clock_start="start_date", clock_stop="review",
    ...           limit=1, unit="years")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    casetime.errors.CasetimeError: indicator X: 'review' is not a date of child protection plan records (dates: ...)
    """

    id: str
    title: str
    record_type: str
    clock_start: str
    clock_stop: str
    limit: int | LimitSchedule
    unit: Unit
    kind: Kind = "timeliness"
    population: Population = "completed_in_period"
    counting: Counting = "record"
    polarity: Polarity = "higher"
    comparison: Comparison = "within"
    target: Fraction | None = None
    description: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        if not self.id or not isinstance(self.id, str):
            raise CasetimeTypeError(f"an indicator needs a text id, not {self.id!r}")
        kind = record_type_of(self.record_type)
        object.__setattr__(self, "record_type", kind)
        schema = SCHEMAS[kind]
        for name in (self.clock_start, self.clock_stop):
            if name not in schema.dates:
                raise CasetimeError(
                    f"indicator {self.id}: {name!r} is not a date of {schema.title} records "
                    f"(dates: {', '.join(schema.dates)})"
                )
        if self.clock_start == self.clock_stop:
            raise CasetimeError(f"indicator {self.id}: the clock cannot start and stop on the same column")
        if not isinstance(self.limit, LimitSchedule):
            object.__setattr__(self, "limit", _whole(self.limit, f"indicator {self.id}: the limit"))
        _choice(self.kind, KINDS, f"indicator {self.id}: kind")
        _choice(self.unit, UNITS, f"indicator {self.id}: unit")
        _choice(self.population, POPULATIONS, f"indicator {self.id}: population")
        _choice(self.counting, COUNTINGS, f"indicator {self.id}: counting")
        _choice(self.polarity, POLARITIES, f"indicator {self.id}: polarity")
        _choice(self.comparison, COMPARISONS, f"indicator {self.id}: comparison")
        if self.target is not None:
            object.__setattr__(self, "target", as_fraction(self.target, f"indicator {self.id}: target"))

    @property
    def schedule(self) -> LimitSchedule:
        """The limit as a schedule (one row when the limit is a single number)."""
        if isinstance(self.limit, LimitSchedule):
            return self.limit
        return LimitSchedule.single(self.limit, self.source)

    @property
    def heading(self) -> str:
        """The title with the limit filled in."""
        return self.title.replace("{limit}", str(self.limit))

    @property
    def unit_words(self) -> str:
        """The unit in words (``"working days"``, ``"years"``)."""
        return _UNIT_WORDS[self.unit]

    @property
    def anchor(self) -> str:
        """The date column that places a record in a period."""
        return self.clock_start if self.population == "started_in_period" else self.clock_stop

    def with_limit(self, limit: int | LimitSchedule) -> Indicator:
        """The same measure with another limit (e.g. ``NI59.with_limit(10)`` for Working Together 2010)."""
        return dataclasses.replace(self, limit=limit)

    def with_target(self, target: object) -> Indicator:
        """The same measure with another default target (a percentage, or ``None``)."""
        return dataclasses.replace(self, target=None if target is None else as_fraction(target, "target"))

    def with_counting(self, counting: Counting) -> Indicator:
        """Count records (``"record"``: plans, for DfE table D7) or children (``"child"``).

        >>> from casetime.indicators import NI64
        >>> NI64.with_counting("record").counting
        'record'
        """
        return dataclasses.replace(self, counting=counting)

    def with_clock_start(self, column: str) -> Indicator:
        """Start the clock on another date column (``SA45.with_clock_start("start_date")``)."""
        return dataclasses.replace(self, clock_start=column)

    def __str__(self) -> str:
        return f"{self.id}: {self.heading}"
