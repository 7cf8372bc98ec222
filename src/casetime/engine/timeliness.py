"""The timeliness kind: did the clock run within (or for at least) the limit in force on its start?

NI59, NI60, NI64, SA45 and ICPC15 are all of this kind. A record is sorted, with the first
reason that applies, into: a data-quality error (an extract's quality report), or no child id
when children are counted: ``invalid``; no stop date: ``still_open``; no clock start:
``missing_start``; a start the calendar does not cover: ``invalid``; a stop before the start:
``completed_before_start``; otherwise counted, and in the numerator when the elapsed time is
within the limit (``comparison="within"``: working days elapsed ``<= limit``) or reaches it
(``comparison="at_least"``: for NI64, ``end >= start + 2 years``). The limit is looked up per
record by its clock start (:class:`~casetime.indicators.LimitSchedule`).

How it is fast: the calendar's combined per-day table (:class:`~casetime.calendar.DayTables`)
gives, with one gather per date and one subtraction, both the working days elapsed and the order
of the two dates; year limits use a per-day table of anniversaries.

>>> from casetime.calendar import england
>>> from casetime.indicators import NI59
>>> t = Timeliness(NI59, england(), "day0")
>>> days = np.array([14249, 14249, 14249], dtype=np.int64)  # 5 January 2009
>>> classes, still_open, _ = t.classify(days, days + np.array([9, 10, -1]), None, None)
>>> classes.tolist(), still_open.tolist()  # within 7 working days; 8 days; stopped before it started
([1, 2, 0], [])
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from casetime.calendar import Convention, WorkingCalendar
from casetime.dates import MISSING, add_years, months_later
from casetime.engine.kinds import ALL, Details, Outcomes, Sorted, calendar_days, register_kind
from casetime.indicators import Indicator
from casetime.tables import Table

__all__ = [
    "Timeliness",
    "COMPLETED_BEFORE_START",
    "SHORT",
    "LONG",
    "INVALID",
    "MISSING_START",
    "STILL_OPEN",
]

_I64 = npt.NDArray[np.int64]

# the outcome classes (the last axis of the count tensor)
COMPLETED_BEFORE_START: Final = 0
SHORT: Final = 1  # elapsed below the threshold: within the limit (or under it, for "at least")
LONG: Final = 2  # elapsed beyond the threshold
INVALID: Final = 3
MISSING_START: Final = 4
STILL_OPEN: Final = 5
_LEFT_OUT: Final = {
    COMPLETED_BEFORE_START: "completed_before_start",
    INVALID: "invalid",
    MISSING_START: "missing_start",
    STILL_OPEN: "still_open",
}


@register_kind("timeliness")
class Timeliness:
    """The classifier of the ``"timeliness"`` kind (see the module docstring)."""

    def __init__(self, indicator: Indicator, calendar: WorkingCalendar, convention: Convention) -> None:
        self.indicator = indicator
        self.calendar = calendar
        self.convention = convention
        self.warnings: tuple[str, ...] = ()
        self.numerator_class = SHORT if indicator.comparison == "within" else LONG
        self.outcomes = Outcomes(6, (SHORT, LONG), (self.numerator_class,), _LEFT_OUT)

    def _anniversaries(self, start: _I64) -> _I64:
        """Each record's anniversary ``start + limit years`` (MISSING where the start is missing)."""
        schedule = self.indicator.schedule
        if len(schedule.rows) == 1:
            return months_later(start, 12 * schedule.rows[0].limit)
        rows = schedule.row_of(start)
        out = np.empty(start.shape[0], dtype=np.int64)
        for r, row in enumerate(schedule.rows):
            chosen = rows == r
            out[chosen] = months_later(start[chosen], 12 * row.limit)
        return out

    def bind(self, table: Table, rows: int = 1) -> Timeliness:
        """Itself: a record's class depends on the record alone."""
        return self

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
        """The outcome class of each record and the rows still open (see :class:`~casetime.engine.kinds.Classifier`)."""
        ind = self.indicator
        s, e = start, stop
        if ind.unit == "working_days":
            tables = self.calendar.day_tables()
            diff = tables.gather(tables.stop, e)
            np.subtract(diff, tables.gather(tables.start_table(self.convention), s), out=diff)
            classes = (diff >= 0).view(np.int8)
            classes += diff >= tables.threshold(ind.schedule.limits_for(s), ind.comparison)
            classes += diff >= tables.sentinel // 2
            del diff
            odd = np.flatnonzero(classes == INVALID)
            if odd.size:
                # missing starts and starts outside the calendar; stops are in coverage for placed rows
                classes[odd[s[odd] == MISSING]] = MISSING_START
        else:
            anniv = self._anniversaries(s)
            classes = (e >= s).view(np.int8)
            classes += (e >= anniv) if ind.comparison == "at_least" else (e > anniv)
            del anniv
            classes[s == MISSING] = MISSING_START
        # no stop date: every comparison above came out "stopped before it started"
        before = np.flatnonzero(classes == COMPLETED_BEFORE_START)
        open_rows = before[e[before] == MISSING]
        classes[open_rows] = STILL_OPEN
        if child is not None:
            classes[child < 0] = INVALID
        if errors is not None:
            classes[errors] = INVALID
        return Sorted(classes, open_rows)

    def details(self, start: _I64, stop: _I64) -> Details:
        """Per record: elapsed (working days, or calendar days for years; NaN if unknown), due day, over the limit."""
        ind = self.indicator
        s, e = start, stop
        limits = ind.schedule.limits_for(s)
        both = (s != MISSING) & (e != MISSING)
        if ind.unit == "working_days":
            elapsed = self.calendar.elapsed(s, e, self.convention)
            due = self.calendar.due(s, limits, self.convention)
            over = elapsed - limits
            unit = "working days"
        else:
            due = add_years(s, limits)
            elapsed = calendar_days(s, e)
            over = np.where(both & (due != MISSING), e - np.where(due != MISSING, due, 0), 0).astype(np.float64)
            over[~both] = np.nan
            unit = "days"
        over = np.where(over > 0, over, np.where(np.isnan(over), np.nan, 0.0))
        return Details(elapsed, unit, due, over)

    def overdue(self, start: _I64, day: int, details: Details) -> npt.NDArray[np.bool_]:
        """Which open records (clock ``start``) are past the limit as at ``day`` (``details`` measured to ``day``).

        For an "at least" measure such as NI64, past the limit means it has been reached.
        """
        ind = self.indicator
        if ind.unit == "working_days":
            known = ~np.isnan(details.elapsed)
            limits = ind.schedule.limits_for(start)
            reached = (details.elapsed > limits) if ind.comparison == "within" else (details.elapsed >= limits)
            out: npt.NDArray[np.bool_] = known & reached
            return out
        known = details.due != MISSING
        passed: npt.NDArray[np.bool_] = known & (
            (day > details.due) if ind.comparison == "within" else (day >= details.due)
        )
        return passed
