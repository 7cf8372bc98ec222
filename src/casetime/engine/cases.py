"""The records behind the numbers: the cases of a result row, and the open work due at a date.

Listing cases is personal data (child ids): it happens only when asked for
(:meth:`casetime.results.ResultTable.cases`, :func:`open_cases`).

>>> from casetime.tables import Table
>>> from casetime.indicators import NI59
>>> ia = Table.from_columns("initial_assessment", {"child_id": ["A", "B", "C"],
...     "referral_date": ["2009-01-05", "2009-01-12", "2009-01-13"], "completion_date": [None, None, None]})
>>> late = open_cases(NI59, ia, "2009-01-20", due_within=1)
>>> [(r["child_id"], r["due_date"].isoformat(), r["status"]) for r in late.records()]
[('A', '2009-01-14', 'overdue'), ('B', '2009-01-21', 'due_soon')]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from casetime.calendar import Convention, WorkingCalendar, check_convention
from casetime.dates import MISSING, date_from_day, day_number, lookup
from casetime.engine.counting import bucket_table
from casetime.engine.inputs import records_of
from casetime.engine.kinds import Classifier, Details, classifier_for, position_at
from casetime.engine.timeliness import Timeliness
from casetime.errors import CalendarRangeError, CasetimeError
from casetime.indicators import Indicator, get_indicator
from casetime.periods import Period
from casetime.results import REASONS, CaseTable
from casetime.tables import Table

_I64 = npt.NDArray[np.int64]

__all__ = ["Cases", "open_cases"]


@dataclass(frozen=True, eq=False)
class Cases:
    """One computed table's records: enough to list them on request (a :class:`~casetime.results.CaseSource`)."""

    classifier: Classifier
    table: Table
    errors: npt.NDArray[np.bool_] | None
    period: Period
    time_unit: str | None
    extras: tuple[str, ...]

    def cases(self, which: str, keys: Mapping[str, Any]) -> CaseTable:
        """The records, filtered by ``which`` (:data:`~casetime.results.CASE_FILTERS`) and row keys."""
        classifier = self.classifier
        ind = classifier.indicator
        outcomes = classifier.outcomes
        table = self.table
        s_all, e_all = table.days(ind.clock_start), table.days(ind.clock_stop)
        child = table.child.codes if ind.counting == "child" else None
        classifier = classifier.bind(table)
        outcomes = classifier.outcomes  # (the bound classifier's classes)
        offset, lut, buckets = bucket_table(self.period, self.time_unit, 1)
        snapshot = ind.population == "open_at_end"
        at: int | None = None
        if snapshot:
            # one window's position: the one asked for, else the period's end
            chosen = len(buckets) - 1
            if self.time_unit is not None and self.time_unit in keys:
                matches = [i for i, b in enumerate(buckets) if b.label == str(keys[self.time_unit])]
                chosen = matches[0] if matches else -1
            at = buckets[chosen].last_day if chosen >= 0 else self.period.last_day
            classes, open_rows, _ = classifier.classify(s_all, e_all, child, self.errors, at=at)
            in_row = ~np.isin(classes, list(outcomes.outside)) & (chosen >= 0)
            bucket = np.where(in_row, chosen + 1, 0).astype(np.int64)
        else:
            classes, open_rows, _ = classifier.classify(s_all, e_all, child, self.errors)
            bucket = lookup(lut, table.days(ind.anchor), offset)
            if ind.population != "started_in_period" and open_rows.size:
                bucket[open_rows] = lookup(lut, s_all[open_rows], offset)
        keep = bucket > 0
        if self.time_unit is not None and self.time_unit in keys and not snapshot:
            wanted = [i + 1 for i, b in enumerate(buckets) if b.label == str(keys[self.time_unit])]
            keep &= np.isin(bucket, wanted)
        for name in self.extras:
            if name in keys:
                col = table.extra[name]
                value = keys[name]
                found = np.flatnonzero(col.labels.astype(str) == str(value)) if value is not None else None
                code = -1 if found is None else (int(found[0]) if found.size else -2)
                keep &= col.codes == code
        in_den = np.isin(classes, outcomes.counted)
        in_num = np.isin(classes, outcomes.numerator)
        breach = in_den & (in_num == (ind.polarity == "lower"))
        if which == "denominator":
            keep &= in_den
        elif which == "numerator":
            keep &= in_num
        elif which == "breaches":
            keep &= breach
        elif which == "left_out":
            keep &= ~in_den
        rows = np.flatnonzero(keep)
        rows = rows[np.argsort(bucket[rows], kind="stable")]
        s = table.days(ind.clock_start)[rows]
        e = table.days(ind.clock_stop)[rows]
        details = classifier.details(s, e if at is None else np.full(rows.size, at, dtype=np.int64))
        reasons = np.array(["", *REASONS], dtype=object)
        reason_code = np.zeros(outcomes.size, dtype=np.int64)
        for cls, reason in outcomes.left_out.items():
            reason_code[cls] = REASONS.index(reason) + 1
        assert table.source is not None and table.row is not None
        columns: dict[str, npt.NDArray[Any]] = {
            "source": table.source.take(rows).values(),
            "row": table.row[rows],
            "child_id": table.child.take(rows).values(),
        }
        if self.time_unit is not None:
            labels = np.array(["", *(b.label for b in buckets)], dtype=object)
            columns[self.time_unit] = labels[bucket[rows]]
        for name in (*self.extras, *(n for n in table.extra if n not in self.extras)):  # the grouping's first
            columns[name] = table.extra[name].take(rows).values()
        columns.update(
            {
                "clock_start": s.view("M8[D]"),
                "clock_stop": e.view("M8[D]"),
                "elapsed": details.elapsed,
                "elapsed_unit": np.full(rows.size, details.unit, object),
                "due_date": details.due.view("M8[D]"),
                "over_limit": details.over,
                "in_denominator": in_den[rows],
                "in_numerator": in_num[rows],
                "breach": breach[rows],
                "reason": reasons[reason_code[classes[rows]]],
            }
        )
        return CaseTable(columns, title=f"{ind.id} {self.period.label}")


def _check_countable(
    ind: Indicator, cal: WorkingCalendar, start: _I64, details: Details, day: int, due_within: int
) -> None:
    """Refuse, rather than leave out, open work the calendar cannot count (every open record is listed or not due)."""
    if ind.unit != "working_days":
        return
    unknown = np.isnan(details.elapsed)
    if unknown.any():
        n = int(unknown.sum())
        earliest = date_from_day(int(start[unknown].min()))
        raise CalendarRangeError(earliest, cal.coverage, what=f"the clock start of {n} open record(s), the earliest,")
    if due_within and cal.due(np.array([day]), np.array([due_within]), "day0")[0] == MISSING:
        raise CalendarRangeError(
            f"{date_from_day(day)} + {due_within} working days", cal.coverage, what="the due-soon window"
        )


def open_cases(
    indicator: Indicator | str,
    data: Any,
    as_at: object = None,
    *,
    due_within: int = 0,
    calendar: WorkingCalendar | None = None,
    convention: Convention = "day0",
) -> CaseTable:
    """Work open at ``as_at`` that is already overdue or due within the next ``due_within`` working days.

    ``as_at`` defaults to the date an extract was validated as at (``load(..., as_at=...)``), and
    ``calendar`` to the extract's calendar (England and Wales otherwise). A record is open at
    ``as_at`` when its clock started on or before it and it has no stop date, or stops after it.
    Rows with data-quality errors or no clock start are left out. Columns: ``source``, ``row``,
    ``child_id``, the extra columns, ``clock_start``, ``clock_stop``, ``elapsed`` (as at ``as_at``),
    ``elapsed_unit``, ``due_date`` (the last date within the limit; for NI64 the 2-year
    anniversary), ``working_days_to_due`` (negative when overdue) and ``status``: ``"overdue"``
    (past the due date; for an "at least" measure such as NI64, the limit has been reached) or
    ``"due_soon"``. Sorted by due date.
    """
    ind = get_indicator(indicator)
    check_convention(convention)
    if isinstance(due_within, bool) or not isinstance(due_within, int) or due_within < 0:
        raise CasetimeError(f"due_within must be a whole number of working days >= 0, not {due_within!r}")
    records = records_of(data, ind.record_type)
    day = day_number(records.as_at if as_at is None else as_at)
    if day is None:
        raise CasetimeError("as_at is missing: give the date the open work is measured at")
    table, errors = records.table, records.errors
    cal = records.calendar_for(calendar)
    if not cal.covers(date_from_day(day)):
        raise CalendarRangeError(date_from_day(day), cal.coverage)
    classifier = classifier_for(ind, cal, convention)
    if not isinstance(classifier, Timeliness):
        raise CasetimeError(f"indicator {ind.id}: open work is listed for timeliness measures only")
    s = table.days(ind.clock_start)
    e = table.days(ind.clock_stop)
    is_open = position_at(s, e, day).open
    if errors is not None:
        is_open &= ~errors
    rows = np.flatnonzero(is_open)
    so = s[rows]
    details = classifier.details(so, np.full(rows.size, day, dtype=np.int64))
    _check_countable(ind, cal, so, details, day, due_within)
    due = details.due
    to_due = cal.elapsed(np.full(rows.size, day, dtype=np.int64), due, "day0")
    overdue = classifier.overdue(so, day, details)
    soon = ~overdue & ~np.isnan(to_due) & (to_due >= 0) & (to_due <= due_within)
    keep = overdue | soon
    order = np.flatnonzero(keep)
    order = order[np.lexsort((rows[order], due[order]))]
    chosen = rows[order]
    status = np.where(overdue[order], "overdue", "due_soon").astype(object)
    assert table.source is not None and table.row is not None
    columns: dict[str, npt.NDArray[Any]] = {
        "source": table.source.take(chosen).values(),
        "row": table.row[chosen],
        "child_id": table.child.take(chosen).values(),
    }
    for name in table.extra:
        columns[name] = table.extra[name].take(chosen).values()
    columns.update(
        {
            "clock_start": s[chosen].view("M8[D]"),
            "clock_stop": e[chosen].view("M8[D]"),
            "elapsed": details.elapsed[order],
            "elapsed_unit": np.full(chosen.size, details.unit, object),
            "due_date": due[order].view("M8[D]"),
            "working_days_to_due": to_due[order],
            "status": status,
        }
    )
    return CaseTable(columns, title=f"{ind.id} open at {date_from_day(day)}")
