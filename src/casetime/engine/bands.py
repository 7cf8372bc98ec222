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

from typing import Final

import numpy as np
import numpy.typing as npt

from casetime.calendar import Convention, WorkingCalendar
from casetime.dates import MISSING, months_later
from casetime.engine.kinds import ALL, Details, Outcomes, Sorted, register_kind
from casetime.indicators import Bands, Indicator
from casetime.tables import Table

__all__ = ["BandsKind", "band_reasons"]

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


def band_reasons(bands: Bands) -> dict[int, str]:
    """The class of each reason a record is in no band, for ``bands`` (classes after the bands)."""
    n = len(bands.labels)
    return {n + i: reason for i, reason in enumerate(_REASONS)}


@register_kind("bands")
class BandsKind:
    """The classifier of the ``"bands"`` kind (see the module docstring)."""

    def __init__(self, indicator: Indicator, calendar: WorkingCalendar, convention: Convention) -> None:
        assert indicator.bands is not None
        self.indicator = indicator
        self.calendar = calendar
        self.convention = convention
        self.bands = bands = indicator.bands
        n = len(bands.labels)
        self._n = n
        reasons = band_reasons(bands)
        snapshot = indicator.population == "open_at_end"
        outside_names = ("started_after_reference", "ended_by_reference", "no_readable_date")
        self.outcomes = Outcomes(
            n + len(_REASONS),
            tuple(range(n)),
            bands.share,
            {c: r for c, r in reasons.items() if r not in outside_names},
            bands=tuple(range(n)),
            outside={c: r for c, r in reasons.items() if snapshot and r in outside_names},
            values=bands.working_days,
        )
        if bands.working_days:
            bounds = bands.first_beyond
            lut = np.zeros(bounds[-1] + 1, dtype=np.int8)
            for b in bounds:
                lut[b:] += 1
            self._lut = lut

    def _class(self, reason: str) -> int:
        return self._n + _REASONS.index(reason)

    def bind(self, table: Table) -> BandsKind:
        """Itself: a record's band depends on the record alone."""
        return self

    def _calendar_bands(self, s: _I64, e: _I64) -> npt.NDArray[np.int8]:
        band = np.zeros(s.shape[0], dtype=np.int8)
        for edge in self.bands.edges:
            bound = months_later(s, edge.amount) if edge.unit == "months" else s + edge.amount
            band += (e > bound) if edge.closed else (e >= bound)
        return band

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
        if self.bands.working_days:
            tables = self.calendar.day_tables()
            diff = tables.gather(tables.stop, e).astype(np.int64)
            diff -= tables.gather(tables.start_table(self.convention), s)
            elapsed = diff + tables.slack
            elapsed //= tables.scale
            classes = np.take(self._lut, elapsed, mode="clip")
            big = tables.sentinel // 2
            outside_calendar = diff >= big
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
            classes[(s != MISSING) & (s > e)] = self._class("started_after_reference")
            ended = (stop != MISSING) & (stop <= e) & ~missing_start
            classes[ended] = self._class("ended_by_reference")
        else:
            no_stop = e == MISSING
            open_rows = np.flatnonzero(no_stop & ~missing_start)
            classes[open_rows] = self._class("still_open")
        if child is not None:
            classes[child < 0] = self._class("invalid")
        if errors is not None:
            classes[errors & (classes < self._class("started_after_reference"))] = self._class("invalid")
        if values is not None:
            values[classes >= self._n] = -1
        return Sorted(classes, open_rows, values)

    def details(self, start: _I64, stop: _I64) -> Details:
        """Per record: working days elapsed (or calendar days for calendar bands; NaN if unknown), no due day."""
        s, e = start, stop
        both = (s != MISSING) & (e != MISSING)
        if self.bands.working_days:
            elapsed = self.calendar.elapsed(s, e, self.convention)
            unit = "working days"
        else:
            elapsed = np.where(both, e - np.where(both, s, 0), 0).astype(np.float64)
            elapsed[~both] = np.nan
            unit = "days"
        none = np.full(s.shape[0], MISSING, dtype=np.int64)
        return Details(elapsed, unit, none, np.zeros(s.shape[0], dtype=np.float64))
