"""The bands kind: how long the clock ran, sorted into duration bands (DfE tables C2, C4, D5 and D7).

Each record counted falls in exactly one band (:class:`~casetime.indicators.Bands`); the bands are
the first outcome classes, so the shared counting gives the band counts of every month and group
with its one ``bincount``. Records left out are sorted, with the first reason that applies, as in
the timeliness kind: a data-quality error ``invalid``; no stop date ``still_open``; no clock start
``missing_start``; a start the calendar does not cover ``invalid``; a stop before the start
``completed_before_start``. A snapshot (population ``"open_at_end"``, D5) measures each record open
at the reference date up to it; records not open then are in no row: ``started_after_reference``,
``ended_by_reference``, or ``no_readable_date`` when the start is missing.

Working-day bands are found from the calendar's per-day tables (two gathers and a subtraction give
the working days elapsed, one more gather the band), and the working days elapsed are given to the
counting for the percentiles. Calendar bands compare the stop with ``start + amount`` months (one
gather in a per-day table of month anniversaries) or days.

>>> from casetime.calendar import england
>>> from casetime.indicators import C2
>>> b = BandsKind(C2, england(), "day0")
>>> start = np.full(4, 14249, dtype=np.int64)  # Monday 5 January 2009
>>> sorted_ = b.classify(start, start + np.array([0, 14, 63, -1]), None, None)
>>> [C2.bands.labels[c] if c < 9 else "before start" for c in sorted_.classes], sorted_.values.tolist()
(['same day', '1-10', '41-45', 'before start'], [0, 10, 45, -1])
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt

from casetime._compat import take_clip
from casetime.calendar import Convention, WorkingCalendar
from casetime.dates import MISSING, months_later
from casetime.engine.kinds import ALL, Details, Outcomes, Sorted, calendar_days, position_at, register_kind
from casetime.errors import CasetimeError
from casetime.indicators import Indicator
from casetime.tables import Table

__all__ = ["BandsKind", "EXACT_DAYS", "EXACT_CELLS"]

_I64 = npt.NDArray[np.int64]

#: The reasons after the bands, in class order: ``bands + i`` is the class of reason ``i``.
_REASONS: Final = (
    "completed_before_start",
    "invalid",
    "missing_start",
    "still_open",
    "started_after_reference",
    "ended_by_reference",
    "no_readable_date",
)


#: Whole working days told apart by class when the result has few rows (longer durations are kept exactly).
EXACT_DAYS: Final = 512
#: Result rows x classes up to which each whole working day is its own class (see :class:`BandsKind`).
EXACT_CELLS: Final = 1 << 17


@register_kind("bands")
class BandsKind:
    """The classifier of the ``"bands"`` kind (see the module docstring).

    Two sets of classes give the same counts. By default each band is one class, and the working days
    elapsed go to the counting's histograms. Bound to a result of few rows (:meth:`bind`), working-day
    bands make each whole working day below :data:`EXACT_DAYS` its own class (``exact``), so that one
    ``bincount`` gives the bands, the distribution and the records left out at once; only longer
    durations are given as values.
    """

    def __init__(
        self, indicator: Indicator, calendar: WorkingCalendar, convention: Convention, *, exact: bool = False
    ) -> None:
        assert indicator.bands is not None
        if indicator.bands.working_days and convention != "day0":
            raise CasetimeError(
                f"{indicator.id}: duration bands count working days on the day-0 convention (an assessment "
                f"authorised the day it started took 0 days, 'same day'), not {convention!r}"
            )
        self.indicator = indicator
        self.calendar = calendar
        self.convention = convention
        self.warnings: tuple[str, ...] = ()
        self.bands = bands = indicator.bands
        self.exact = exact = exact and bands.working_days
        n = len(bands.labels)
        # the first classes: one per band, or (exact) one per whole working day and one for the longer ones
        self._n = first = EXACT_DAYS + 1 if exact else n
        snapshot = indicator.population == "open_at_end"
        outside_names = ("started_after_reference", "ended_by_reference", "no_readable_date")
        reasons = {first + i: reason for i, reason in enumerate(_REASONS)}
        if exact:
            band_of = [bands.band_of_working_days(d) for d in range(EXACT_DAYS + 1)]
            per_band = tuple(tuple(c for c in range(first) if band_of[c] == b) for b in range(n))
        else:
            per_band = tuple((b,) for b in range(n))
        self.outcomes = Outcomes(
            first + len(_REASONS),
            tuple(range(first)),
            tuple(c for b in bands.share for c in per_band[b]),
            {c: r for c, r in reasons.items() if r not in outside_names},
            bands=per_band,
            outside={c: r for c, r in reasons.items() if snapshot and r in outside_names},
            values=bands.working_days,
            exact=EXACT_DAYS if exact else 0,
        )
        if bands.working_days:
            tables = calendar.day_tables()
            # the first difference (see DayTables) of EXACT_DAYS working days
            self._hi = tables.scale * EXACT_DAYS - tables.slack
            bounds = bands.first_beyond
            lut = np.zeros(bounds[-1] + 1, dtype=np.int8)
            for bound in bounds:
                lut[bound:] += 1
            self._lut = lut

    def _class(self, reason: str) -> int:
        return self._n + _REASONS.index(reason)

    def bind(self, table: Table, rows: int = 1) -> BandsKind:
        """Ready for ``table``: with few result ``rows``, working-day bands count every whole day in its own class."""
        if self.bands.working_days and not self.exact and rows * (EXACT_DAYS + 1 + len(_REASONS)) <= EXACT_CELLS:
            return BandsKind(self.indicator, self.calendar, self.convention, exact=True)
        return self

    def _calendar_bands(self, s: _I64, e: _I64) -> npt.NDArray[np.int8]:
        band = np.zeros(s.shape[0], dtype=np.int8)
        for edge in self.bands.edges:
            bound = months_later(s, edge.amount) if edge.unit == "months" else s + edge.amount
            band += (e > bound) if edge.closed else (e >= bound)
        return band

    def _exact_classes(
        self, s: _I64, e: _I64, snapshot: bool
    ) -> tuple[npt.NDArray[np.integer[Any]], _I64, _I64 | None]:
        """Classes of whole working days: ``(classes, rows still open, values of the longer ones or None)``."""
        tables = self.calendar.day_tables()
        diff = tables.gather(tables.stop, e)  # (int32 for a calendar of up to a few centuries, else int64)
        diff -= tables.gather(tables.start_table(self.convention), s)
        negative = np.flatnonzero(diff < 0)  # no stop date (still open), or a stop before the start
        # whole working days elapsed (see DayTables); EXACT_DAYS for that many or more, or a start not covered
        np.clip(diff, 0, self._hi, out=diff)
        diff += tables.slack
        diff //= tables.scale
        classes = diff
        classes[negative] = self._class("completed_before_start")
        open_rows = negative[e[negative] == MISSING]
        classes[open_rows] = self._class("still_open")
        values = None
        longer = np.flatnonzero(classes == EXACT_DAYS)
        if longer.size:  # EXACT_DAYS or more, or no start, or a start (or stop) the calendar does not cover
            sl, el = s[longer], e[longer]
            days = self.calendar.elapsed(sl, el, self.convention)
            unknown = np.isnan(days)
            classes[longer[unknown]] = self._class("invalid")
            no_start = longer[sl == MISSING]
            classes[no_start] = self._class("no_readable_date" if snapshot else "missing_start")
            values = np.full(s.shape[0], -1, dtype=np.int64)
            values[longer[~unknown]] = days[~unknown].astype(np.int64)
        # (no start and no stop: in no row, placed by neither; the counting tells them apart by their dates)
        return classes, open_rows, values

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
        """The band (or reason left out) of each record (see :class:`~casetime.engine.kinds.Classifier`)."""
        s = start
        snapshot = self.indicator.population == "open_at_end"
        if snapshot:
            assert at is not None, "a snapshot is classified at a reference day"
            e = np.full(s.shape[0], at, dtype=np.int64)
        else:
            e = stop
        values: _I64 | None = None
        classes: npt.NDArray[np.integer]
        if self.exact:
            classes, open_rows, values = self._exact_classes(s, e, snapshot)
        else:
            if self.bands.working_days:
                tables = self.calendar.day_tables()
                diff = tables.gather(tables.stop, e).astype(np.int64)
                diff -= tables.gather(tables.start_table(self.convention), s)
                elapsed = diff + tables.slack
                elapsed //= tables.scale
                classes = take_clip(self._lut, elapsed)
                outside_calendar = diff >= tables.sentinel // 2
                before = diff < 0
                elapsed[before | outside_calendar] = -1
                values = elapsed
                classes[before] = self._class("completed_before_start")
                classes[outside_calendar] = self._class("invalid")
            else:
                classes = self._calendar_bands(s, e)
                classes[e < s] = self._class("completed_before_start")
            missing_start = s == MISSING
            classes[missing_start] = self._class("missing_start")
            open_rows = np.empty(0, dtype=np.int64)
            if snapshot:
                classes[missing_start] = self._class("no_readable_date")
            else:
                open_rows = np.flatnonzero((e == MISSING) & ~missing_start)
                classes[open_rows] = self._class("still_open")
        if snapshot:
            assert at is not None
            where = position_at(s, stop, at)
            classes[where.started_after] = self._class("started_after_reference")
            classes[where.ended] = self._class("ended_by_reference")
        if child is not None:
            classes[child < 0] = self._class("invalid")
        if errors is not None:
            flagged = errors & (classes < self._class("started_after_reference"))
            if self.bands.unbanded_in_total:
                # a conference dated before its start is itself the error (rule 8615) and stays in the total
                flagged &= classes != self._class("completed_before_start")
            classes[flagged] = self._class("invalid")
        if values is not None:
            values[classes >= self._n] = -1
            if self.exact:
                values[classes < EXACT_DAYS] = -1
        return Sorted(classes, open_rows, values)

    def details(self, start: _I64, stop: _I64) -> Details:
        """Per record: working days elapsed (or calendar days for calendar bands; NaN if unknown), no due day."""
        if self.bands.working_days:
            elapsed, unit = self.calendar.elapsed(start, stop, self.convention), "working days"
        else:
            elapsed, unit = calendar_days(start, stop), "days"
        none = np.full(start.shape[0], MISSING, dtype=np.int64)
        return Details(elapsed, unit, none, np.zeros(start.shape[0], dtype=np.float64))
