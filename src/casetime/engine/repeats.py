"""The repeats kind: records that repeat an earlier one of the same child (DfE tables D3 and C1).

D3 counts plans starting in the period for children who had a plan before (however long ago, or
within 2 years of the previous plan ending); C1 counts referrals in the period that follow another
referral of the same child within 12 months (:class:`~casetime.indicators.Repeat`). Every record of
the data is looked at as a possible earlier one, whatever its period: only the records counted
are those that start in the period.

How it is fast: :meth:`RepeatsKind.bind` sorts the records once by child and clock start. A
record's earlier records are those before the run of records of its child starting on its day,
so the latest earlier start is one gather, and the latest earlier end a running maximum within
each child (one ``maximum.accumulate`` over keys offset by the child's rank).

A record is left out as ``invalid`` when it has a data-quality error or no child id; records
without a clock start are in no row (``no_readable_date``).

>>> from casetime.calendar import england
>>> from casetime.indicators import C1
>>> from casetime.tables import Table
>>> referrals = Table.from_columns("referral", {"child_id": ["A", "A", "A", "B"],
...     "referral_date": ["2008-01-10", "2009-01-10", "2010-01-11", "2009-01-10"]})
>>> k = RepeatsKind(C1, england(), "day0").bind(referrals)
>>> k.classify(referrals.days("referral_date"), referrals.days("closure_date"), None, None).classes.tolist()
[0, 1, 0, 0]
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from casetime.calendar import Convention, WorkingCalendar
from casetime.dates import MISSING, add_months
from casetime.engine.kinds import ALL, Details, Outcomes, Sorted, register_kind
from casetime.indicators import Indicator
from casetime.schema import normalise_heading
from casetime.tables import Labels, Table

__all__ = ["RepeatsKind", "FIRST", "REPEAT", "previous_counts"]

_I64 = npt.NDArray[np.int64]

FIRST: Final = 0
REPEAT: Final = 1
_INVALID: Final = 2
_MISSING_START: Final = 3
_LAST: Final = np.iinfo(np.int64).max


def previous_counts(labels: Labels) -> _I64:
    """A column of counts of earlier records (``NumberOfPreviousCPP``) as numbers: 0 where blank or not a number.

    >>> previous_counts(Labels.from_values(["0", "2", "", "x", " 1 "])).tolist()
    [0, 2, 0, 0, 1]
    """
    texts = labels.labels
    numbers = np.zeros(len(texts) + 1, dtype=np.int64)
    for i, text in enumerate(texts):
        word = str(text).strip()
        numbers[i + 1] = int(word) if word.isascii() and word.isdigit() else 0
    out: _I64 = numbers[labels.codes + 1]
    return out


@register_kind("repeats")
class RepeatsKind:
    """The classifier of the ``"repeats"`` kind (see the module docstring)."""

    def __init__(self, indicator: Indicator, calendar: WorkingCalendar, convention: Convention) -> None:
        assert indicator.repeat is not None
        self.indicator = indicator
        self.calendar = calendar
        self.convention = convention
        self.warnings: tuple[str, ...] = ()
        self.rule = indicator.repeat
        self.outcomes = Outcomes(4, (FIRST, REPEAT), (REPEAT,), {_INVALID: "invalid", _MISSING_START: "missing_start"})
        self._repeat = np.empty(0, dtype=bool)
        self._no_child = np.empty(0, dtype=bool)

    def _previous_column(self, table: Table) -> Labels | None:
        name = self.rule.previous_column
        if name is None:
            return None
        wanted = normalise_heading(name)
        for heading, labels in table.extra.items():
            if normalise_heading(heading) == wanted:
                return labels
        return None

    def bind(self, table: Table, rows: int = 1) -> RepeatsKind:
        """A copy ready for ``table``: whether each record repeats an earlier one, and that one's date."""
        bound = RepeatsKind(self.indicator, self.calendar, self.convention)
        rule = self.rule
        n = len(table)
        child = table.child.codes.astype(np.int64)
        s = table.days(self.indicator.clock_start)
        e = table.days(self.indicator.clock_stop)
        known = (s != MISSING) & (child >= 0)
        key_start = np.where(known, s, _LAST)  # records without a start (or child) are never earlier
        order = np.lexsort((key_start, child))
        cs, ss = child[order], key_start[order]
        # the first position of the run of records of one child starting on one day
        new_run = np.ones(n, dtype=bool)
        if n > 1:
            new_run[1:] = (cs[1:] != cs[:-1]) | (ss[1:] != ss[:-1])
        run_start = np.maximum.accumulate(np.where(new_run, np.arange(n, dtype=np.int64), 0))
        prev = run_start - 1
        safe = np.maximum(prev, 0)
        has_prev = (prev >= 0) & (cs[safe] == cs) & (ss[safe] != _LAST) & (ss != _LAST)
        if rule.since == "start":
            earlier = np.where(has_prev, ss[safe], MISSING)
        else:
            # the latest end among the child's earlier records (one not yet ended counts as latest)
            ends = e[order]
            end_key = np.where(ends == MISSING, np.int64(1 << 31) - 1, np.clip(ends, -(1 << 30), (1 << 30)))
            end_key = np.where(ss != _LAST, end_key, -(1 << 31))  # records without a start are not earlier
            rank = np.cumsum(np.concatenate([np.zeros(min(n, 1), dtype=np.int64), cs[1:] != cs[:-1]]), dtype=np.int64)
            running = np.maximum.accumulate(rank * (1 << 33) + end_key)
            latest_end = running[safe] - rank * (1 << 33)
            earlier = np.where(has_prev, np.where(latest_end == (1 << 31) - 1, _LAST, latest_end), MISSING)
        if rule.within is None:
            repeat_sorted = has_prev
        else:
            floor = add_months(np.where(ss != _LAST, ss, 0), -rule.within)
            repeat_sorted = has_prev & (earlier >= floor)
        repeat = np.empty(n, dtype=bool)
        repeat[order] = repeat_sorted
        column = self._previous_column(table)
        if column is not None and rule.within is None:
            repeat |= previous_counts(column) > 0
        bound._repeat, bound._no_child = repeat, child < 0
        return bound

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
        """Whether each record of ``rows`` repeats an earlier one (see :class:`~casetime.engine.kinds.Classifier`)."""
        classes = self._repeat[rows].astype(np.int8)
        classes[self._no_child[rows]] = _INVALID
        if errors is not None:
            classes[errors] = _INVALID
        classes[start == MISSING] = _MISSING_START
        return Sorted(classes, np.empty(0, dtype=np.int64))

    def details(self, start: _I64, stop: _I64) -> Details:
        """Per record: no elapsed time or due day (a repeat is an event, not a duration)."""
        n = start.shape[0]
        return Details(np.full(n, np.nan), "days", np.full(n, MISSING, dtype=np.int64), np.zeros(n, np.float64))
