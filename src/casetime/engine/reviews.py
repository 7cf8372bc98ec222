"""The reviews kind: child protection plans reviewed in timescale at a reference date (DfE table D6; NI67).

A snapshot: at each window's last day (31 March for a year) the plans open then (started on or
before it, not ended by it) are looked at. A plan on it for less than the rule's minimum
(3 months) is left out as ``too_recent``; the others are counted, and are on time when every
review so far was in timescale (:class:`~casetime.indicators.ReviewRule`): the first within
3 months of the start, each later one within 6 months of the one before, and the reference date
within 6 months of the latest. Reviews after the reference date are not looked at. Plans not open
at the reference date are in no row: ``started_after_reference``, ``ended_by_reference`` (or
``no_readable_date`` without a start).

How it is fast: :meth:`ReviewsKind.bind` sorts each plan's reviews once and marks, for every
review, whether any review up to it came late after the one before (a running flag per plan).
At a reference date a plan's reviews so far are a prefix of its sorted reviews, so its verdict is
the flag of the last review in that prefix, its first review's verdict and one comparison.

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


def _sorted_within(days: _I64, plan: _I64) -> _I64:
    """Each plan's review days in date order (``plan`` non-decreasing); only the plans out of order are sorted."""
    if days.size < 2:
        return days
    descending = (plan[1:] == plan[:-1]) & (days[1:] < days[:-1])
    if not descending.any():
        return days
    unsorted = np.zeros(int(plan[-1]) + 1, dtype=bool)
    unsorted[plan[1:][descending]] = True
    at = np.flatnonzero(unsorted[plan])
    lo = int(days[at].min())
    # one integer sort of (plan, day) keys: the plans stay in order, each one's days come out sorted
    keys = np.sort((plan[at] << 32) | (days[at] - lo))
    out = days.copy()
    out[at] = (keys & 0xFFFFFFFF) + lo
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
        self._late_so_far = np.empty(0, dtype=bool)
        self._first_ok = np.empty(0, dtype=bool)

    def bind(self, table: Table, rows: int = 1) -> ReviewsKind:
        """A copy ready for ``table``: its plans' reviews sorted, with the running "late so far" flag."""
        bound = ReviewsKind(self.indicator, self.calendar, self.convention)
        n = len(table)
        ragged = table.reviews
        if ragged is None:
            offsets = np.zeros(n + 1, dtype=np.int64)
            days = np.empty(0, dtype=np.int64)
        else:
            offsets = ragged.offsets.astype(np.int64)
            days = ragged.values.view(np.int64)
        plan = np.repeat(np.arange(n, dtype=np.int64), np.diff(offsets))
        keep = days != MISSING  # an unreadable review date is not a review
        if not keep.all():
            days, plan = days[keep], plan[keep]
        days = _sorted_within(days, plan)
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(plan, minlength=n), out=offsets[1:])
        late = np.zeros(days.shape[0], dtype=bool)
        if days.size > 1:
            same = plan[1:] == plan[:-1]
            late[1:] = same & (days[1:] > months_later(days[:-1], self.rule.then))
        # a running "any late so far" within each plan: counts of late reviews, less the count before the plan
        running = np.cumsum(late, dtype=np.int64)
        before_plan = np.concatenate([np.zeros(1, dtype=np.int64), running])[offsets[:-1]]
        bound._late_so_far = (running - np.repeat(before_plan, np.diff(offsets))) > 0
        starts = table.days(self.indicator.clock_start)
        has = np.diff(offsets) > 0
        first = np.full(n, MISSING, dtype=np.int64)
        first[has] = days[offsets[:-1][has]]
        bound._first_ok = has & (first <= months_later(starts, self.rule.first))
        bound._offsets, bound._reviews = offsets, days
        bound.warnings = self._warnings(table, offsets)
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
        plan = np.repeat(np.arange(n, dtype=np.int64), np.diff(offsets))
        so_far = np.bincount(plan[seg <= at], minlength=n)
        last = offsets[:-1] + so_far - 1
        has = so_far > 0
        safe_last = np.where(has, last, 0)
        late = self._late_so_far[safe_last] if self._late_so_far.size else np.zeros(n, dtype=bool)
        latest = self._reviews[safe_last] if self._reviews.size else np.zeros(n, dtype=np.int64)
        reference = np.full(n, at, dtype=np.int64)
        due = months_later(np.where(has, latest, 0), self.rule.then)
        on_time = has & self._first_ok[lo : lo + n] & ~late & (reference <= due)
        classes = on_time.astype(np.int8)
        classes[reference < months_later(s, self.rule.at_least)] = TOO_RECENT
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
