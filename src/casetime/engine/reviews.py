"""The reviews kind: child protection plans reviewed in timescale at a reference date (DfE table D6; NI67).

A snapshot: at each window's last day (31 March for a year) the plans open then (started on or
before it, not ended by it) are looked at. A plan on it for less than the rule's minimum
(3 months) is left out as ``too_recent``; the others are counted, and are on time when every
review so far was in timescale (:class:`~casetime.indicators.ReviewRule`): the first within
3 months of the start, each later one within 6 months of the one before, and the reference date
within 6 months of the latest. Reviews after the reference date are not looked at. Plans not open
at the reference date are in no row: ``started_after_reference``, ``ended_by_reference`` (or
``no_readable_date`` without a start).

How it is fast: plans are classified a chunk at a time, so everything stays in the processor's
cache. Of a chunk's reviews only those on or before the reference date are kept; they are put in
date order within each plan only when some plan's are not (one integer sort of plan-and-day keys),
and then each plan's count, first and latest review come from one ``bincount`` and two gathers,
and a late gap anywhere from one comparison of neighbours.

>>> from casetime.calendar import england
>>> from casetime.indicators import D6
>>> from casetime.tables import Table
>>> plans = Table.from_columns("cpp", {"child_id": ["A", "B", "C"], "start_date": ["2008-04-01"] * 3,
...     "review_dates": ["2008-07-01;2009-01-01", "2008-07-02", "2008-07-01;2009-01-02"]})
>>> k = ReviewsKind(D6, england(), "day0").bind(plans)
>>> reference = 14334  # 31 March 2009
>>> k.classify(plans.days("start_date"), plans.days("end_date"), None, None, at=reference).classes.tolist()
[1, 0, 0]
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from casetime._compat import as_intp
from casetime.calendar import Convention, WorkingCalendar
from casetime.dates import MISSING, months_later
from casetime.engine.kinds import ALL, Details, Outcomes, Sorted, calendar_days, position_at, register_kind
from casetime.indicators import Indicator
from casetime.tables import Table

__all__ = ["ReviewsKind", "LATE", "ON_TIME", "TOO_RECENT"]

_I64 = npt.NDArray[np.int64]

LATE: Final = 0
ON_TIME: Final = 1
TOO_RECENT: Final = 2
_INVALID: Final = 3
_STARTED_AFTER: Final = 4
_ENDED: Final = 5
_NO_START: Final = 6


def _in_date_order(days: _I64, plan: _I64) -> _I64:
    """The review days in date order within each plan (``plan`` non-decreasing); unchanged when they are."""
    if days.size < 2:
        return days
    descending = (plan[1:] == plan[:-1]) & (days[1:] < days[:-1])
    if not descending.any():
        return days
    lo = int(days.min())
    # one integer sort of (plan, day) keys: the plans stay in order, each one's days come out sorted
    keys = np.sort((plan << 32) | (days - lo))
    out: _I64 = (keys & 0xFFFFFFFF) + lo
    return out


@register_kind("reviews")
class ReviewsKind:
    """The classifier of the ``"reviews"`` kind (see the module docstring)."""

    def __init__(self, indicator: Indicator, calendar: WorkingCalendar, convention: Convention) -> None:
        assert indicator.reviews is not None
        self.indicator = indicator
        self.calendar = calendar
        self.convention = convention
        self.warnings: tuple[str, ...] = ()
        self.rule = indicator.reviews
        self.outcomes = Outcomes(
            7,
            (LATE, ON_TIME),
            (ON_TIME,),
            {TOO_RECENT: "too_recent", _INVALID: "invalid"},
            outside={
                _STARTED_AFTER: "started_after_reference",
                _ENDED: "ended_by_reference",
                _NO_START: "no_readable_date",
            },
        )
        self._offsets = np.zeros(1, dtype=np.int64)
        self._reviews = np.empty(0, dtype=np.int64)

    def bind(self, table: Table, rows: int = 1) -> ReviewsKind:
        """A copy ready for ``table``: its plans' review dates (as day numbers), and what they cannot show."""
        bound = ReviewsKind(self.indicator, self.calendar, self.convention)
        ragged = table.reviews
        if ragged is None:
            bound._offsets = np.zeros(len(table) + 1, dtype=np.int64)
        else:
            bound._offsets = ragged.offsets.astype(np.int64)
            bound._reviews = ragged.values.view(np.int64)
        bound.warnings = self._warnings(table, bound._offsets)
        return bound

    def _warnings(self, table: Table, offsets: _I64) -> tuple[str, ...]:
        """No review dates at all, or never more than one a plan though plans lasted long enough for two."""
        if len(table) == 0:
            return ()
        most = int(np.diff(offsets).max())
        if most == 0:
            return (
                f"{self.indicator.id}: the plans have no review dates (no review column was found, or it is empty): "
                "every plan open 3 months or more counts as not reviewed in timescale",
            )
        rule = self.rule
        start, end = table.days(self.indicator.clock_start), table.days(self.indicator.clock_stop)
        second_due = months_later(start, rule.first + rule.then)
        long_enough = (start != MISSING) & ((end == MISSING) | (end > second_due))
        if most == 1 and long_enough.any():
            return (
                f"{self.indicator.id}: no plan has more than one review date, though {int(long_enough.sum()):,} "
                "lasted long enough for two: the review dates may hold only each plan's latest review (as Ofsted's "
                "Annex A List 7 does), and then review timeliness cannot be judged from them",
            )
        return ()

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
        """Each plan's class at the reference day ``at`` (see :class:`~casetime.engine.kinds.Classifier`)."""
        assert at is not None, "reviews are classified at a reference day"
        s, e = start, stop
        n = s.shape[0]
        lo = 0 if rows.start is None else rows.start
        offsets = self._offsets[lo : lo + n + 1]
        seg = self._reviews[offsets[0] : offsets[-1]]
        plan = np.repeat(np.arange(n, dtype=np.int64), as_intp(np.diff(offsets)))
        # the reviews so far (a missing date, very small, is no review); in date order within each plan
        kept = (seg <= at) & (seg != MISSING)
        plan = plan[kept]
        days = _in_date_order(seg[kept], plan)
        count = np.bincount(as_intp(plan), minlength=n).astype(np.int64)
        has = count > 0
        after = np.cumsum(count)
        first = days[np.minimum(after - count, max(days.size - 1, 0))] if days.size else np.zeros(n, np.int64)
        latest = days[np.maximum(after - 1, 0)] if days.size else np.zeros(n, np.int64)
        late = np.zeros(n, dtype=bool)
        if days.size > 1:
            gap = (plan[1:] == plan[:-1]) & (days[1:] > months_later(days[:-1], self.rule.then))
            late[plan[1:][gap]] = True
        rule = self.rule
        on_time = has & (first <= months_later(s, rule.first)) & ~late
        on_time &= at <= months_later(np.where(has, latest, 0), rule.then)
        classes = on_time.astype(np.int8)
        classes[at < months_later(s, rule.at_least)] = TOO_RECENT
        if errors is not None:
            classes[errors] = _INVALID
        if child is not None:
            classes[child < 0] = _INVALID
        where = position_at(s, e, at)
        classes[where.ended] = _ENDED
        classes[where.started_after] = _STARTED_AFTER
        classes[where.no_start] = _NO_START
        return Sorted(classes, np.empty(0, dtype=np.int64))

    def details(self, start: _I64, stop: _I64) -> Details:
        """Per plan, measured to ``stop`` (the reference day): days on the plan; no due day."""
        none = np.full(start.shape[0], MISSING, dtype=np.int64)
        return Details(calendar_days(start, stop), "days", none, np.zeros(start.shape[0], dtype=np.float64))
