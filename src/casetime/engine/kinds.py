"""What every kind of measure gives the shared counting: outcome classes per record, and the details behind them.

A *classifier* sorts each record of a definition into one of a few outcome classes (the last
axis of the count tensor of :mod:`casetime.engine.counting`), and says which classes are in the
denominator and the numerator and why the others are left out. Everything else (placing
records in months and groups, counting children once, merging exactly) is shared. One
classifier per kind (:data:`casetime.indicators.KINDS`) is registered in :data:`CLASSIFIERS`.

>>> from casetime.calendar import england
>>> from casetime.indicators import NI59
>>> classifier = classifier_for(NI59, england(), "day0")
>>> classifier.outcomes.counted, classifier.outcomes.numerator
((1, 2), (1,))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final, NamedTuple, Protocol

import numpy as np
import numpy.typing as npt

from casetime.calendar import Convention, WorkingCalendar
from casetime.dates import MISSING
from casetime.errors import CasetimeError
from casetime.indicators import Indicator
from casetime.tables import Table

__all__ = [
    "ALL",
    "Outcomes",
    "Sorted",
    "Details",
    "Position",
    "Classifier",
    "CLASSIFIERS",
    "register_kind",
    "classifier_for",
    "position_at",
    "calendar_days",
]

#: Every row of a bound table (the default ``rows=`` of :meth:`Classifier.classify`).
ALL: Final = slice(None)

_I64 = npt.NDArray[np.int64]
_F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Outcomes:
    """The outcome classes of a kind: ``size`` classes, the ones counted (in the denominator), in the numerator,
    and the reason (one of :data:`casetime.results.REASONS`) of each class left out.

    ``bands``: the classes of each duration band, in order (for the bands kind); ``exact``: how many
    of the first classes are themselves whole working days elapsed (class ``d`` is ``d`` days: a
    histogram counted by the same ``bincount``; 0 when the classes are not durations); ``outside``:
    classes whose records are in no row (for a snapshot: not open at the reference date), with their
    reason; ``values``: whether :meth:`Classifier.classify` gives the elapsed working days of records
    (those not counted by an exact class).
    """

    size: int
    counted: tuple[int, ...]
    numerator: tuple[int, ...]
    left_out: Mapping[int, str]
    bands: tuple[tuple[int, ...], ...] = ()
    outside: Mapping[int, str] = field(default_factory=dict)
    values: bool = False
    exact: int = 0


class Sorted(NamedTuple):
    """What a classifier gives for a run of records: the class of each, the rows still open (placed by
    their clock start), and (when the kind measures them) the whole working days elapsed (``-1`` where
    not measured)."""

    classes: npt.NDArray[np.integer[Any]]
    open_rows: _I64
    values: _I64 | None = None


@dataclass(frozen=True)
class Details:
    """Per record, what a case list shows: time elapsed (NaN where unknown) in ``unit``, due day, time over."""

    elapsed: _F64
    unit: str
    due: _I64
    over: _F64


class Position(NamedTuple):
    """Where each record stands at a reference day: no start date, started after it, or ended by it
    (on or before it); the others are open then."""

    no_start: npt.NDArray[np.bool_]
    started_after: npt.NDArray[np.bool_]
    ended: npt.NDArray[np.bool_]

    @property
    def open(self) -> npt.NDArray[np.bool_]:
        """Started on or before the reference day, with no end or one after it."""
        out: npt.NDArray[np.bool_] = ~(self.no_start | self.started_after | self.ended)
        return out


def position_at(start: _I64, stop: _I64, day: int) -> Position:
    """Each record's :class:`Position` at ``day`` (the one test of "open at the reference date").

    >>> p = position_at(np.array([1, 5, 1, MISSING]), np.array([MISSING, MISSING, 3, MISSING]), 4)
    >>> p.open.tolist(), p.started_after.tolist(), p.ended.tolist(), p.no_start.tolist()
    ([True, False, False, False], [False, True, False, False], [False, False, True, False], [False, False, False, True])
    """
    no_start = start == MISSING
    return Position(no_start, ~no_start & (start > day), ~no_start & (stop != MISSING) & (stop <= day))


def calendar_days(start: _I64, stop: _I64) -> _F64:
    """Calendar days from ``start`` to ``stop`` (NaN where either is missing).

    >>> calendar_days(np.array([1, MISSING]), np.array([31, 5])).tolist()
    [30.0, nan]
    """
    both = (start != MISSING) & (stop != MISSING)
    out = np.where(both, stop - np.where(both, start, 0), 0).astype(np.float64)
    out[~both] = np.nan
    return out


class Classifier(Protocol):
    """Sorts the records of one definition into outcome classes (see the module docstring)."""

    indicator: Indicator
    calendar: WorkingCalendar
    convention: Convention
    outcomes: Outcomes
    #: what a bound classifier found about its table that the figure cannot show (reported beside it)
    warnings: tuple[str, ...]

    def bind(self, table: Table, rows: int = 1) -> Classifier:
        """This classifier ready for ``table``, counted into ``rows`` result rows (a kind that looks across
        records, such as repeats, prepares here; a kind may choose its classes by how many rows there are)."""
        ...

    def classify(
        self,
        start: _I64,
        stop: _I64,
        child: _I64 | None,
        errors: npt.NDArray[np.bool_] | None,
        *,
        rows: slice = ALL,
        at: int | None = None,
    ) -> Sorted:
        """The class of each record (clock ``start`` and ``stop`` as day numbers), and the rows still open.

        ``child`` (child codes, when children are counted) and ``errors`` (rows with data-quality
        errors) may be ``None``. Open rows are placed by their clock start when the population is
        anchored on the stop. ``rows`` says which rows of the bound table these are; ``at`` is the
        reference day of a snapshot population.
        """
        ...

    def details(self, start: _I64, stop: _I64) -> Details:
        """Elapsed time, due day and time over the limit, per record."""
        ...


_CLASSIFIERS: dict[str, Callable[[Indicator, WorkingCalendar, Convention], Classifier]] = {}
#: The classifier of each kind, by kind (read-only; :func:`register_kind` adds one).
CLASSIFIERS: Final[Mapping[str, Callable[[Indicator, WorkingCalendar, Convention], Classifier]]] = MappingProxyType(
    _CLASSIFIERS
)


def register_kind(kind: str) -> Callable[[Any], Any]:
    """Register the decorated class (built from ``(indicator, calendar, convention)``) as the classifier of ``kind``."""

    def register(cls: Any) -> Any:
        if kind in _CLASSIFIERS:
            raise CasetimeError(f"kind {kind!r} already has a classifier")
        _CLASSIFIERS[kind] = cls
        return cls

    return register


def classifier_for(indicator: Indicator, calendar: WorkingCalendar, convention: Convention) -> Classifier:
    """The classifier of the definition's kind, set up for one calendar and counting convention."""
    make = _CLASSIFIERS.get(indicator.kind)
    if make is None:
        raise CasetimeError(f"indicator {indicator.id}: no classifier for kind {indicator.kind!r}")
    return make(indicator, calendar, convention)
