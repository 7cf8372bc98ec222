"""compute and compute_all: one definition (or several) over one period, optionally grouped, as exact results.

>>> from casetime.tables import Table
>>> from casetime.indicators import NI59
>>> from casetime.periods import Month
>>> ia = Table.from_columns("initial_assessment", {
...     "child_id": ["A", "B", "C", "D"],
...     "referral_date":   ["2009-01-05", "2009-01-05", "2009-01-09", "2009-01-20"],
...     "completion_date": ["2009-01-14", "2009-01-15", None,         "2009-01-19"]})
>>> result = compute(NI59, ia, Month(2009, 1))
>>> r = result.get()
>>> r.numerator, r.denominator, r.display, r.status, r.left_out["still_open"], r.left_out["completed_before_start"]
(1, 2, '50.0', 'red', 1, 1)
>>> result.breaches().records()[0]["child_id"], result.breaches().records()[0]["elapsed"]
('B', 8)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, Final

import numpy as np

from casetime._compat import DASK_REFUSAL, is_dask_collection
from casetime.calendar import Convention, WorkingCalendar, check_convention
from casetime.engine.cases import Cases
from casetime.engine.counting import KeyedSets, bucket_table, count, groups, label_order
from casetime.engine.inputs import Records, holds, is_frame_input, records_of, split_by
from casetime.engine.kinds import Classifier, classifier_for
from casetime.errors import CalendarRangeError, CasetimeError, CasetimeTypeError
from casetime.indicators import Indicator, get_indicator
from casetime.periods import Period, as_period, bucket_lookup
from casetime.rag import RagRule, as_fraction
from casetime.results import ChildSets, Distribution, Key, Result, Results, ResultTable

__all__ = ["DEFAULT_TARGET", "PREVIOUS_SHARE", "compute", "compute_all", "compute_previous"]


class _DefaultTarget:
    def __repr__(self) -> str:
        return "DEFAULT_TARGET"


#: Use the definition's own target (the default of ``target=``).
DEFAULT_TARGET: Final = _DefaultTarget()


def _calendar_for(
    indicator: Indicator, calendar: WorkingCalendar | None, records: Records, period: Period
) -> WorkingCalendar:
    cal = records.calendar_for(calendar)
    if indicator.unit == "working_days":
        lo, hi = cal.coverage
        if period.start < lo or period.end > hi:
            raise CalendarRangeError(f"{period.label} ({period.start}..{period.end})", cal.coverage, what="period")
    return cal


def _target_of(indicator: Indicator, target: object) -> Fraction | None:
    if target is DEFAULT_TARGET:
        return indicator.target
    return None if target is None else as_fraction(target, "target")


def _settings(classifier: Classifier) -> dict[str, str]:
    """What a result depends on beyond its definition and period (compared when merging)."""
    cal = classifier.calendar
    lo, hi = cal.coverage
    closures = len(cal.closure_days())
    return {
        "calendar": f"{cal.name} ({lo}..{hi}, {closures} closure days)",
        "calendar_days": cal.fingerprint,
        "convention": classifier.convention,
    }


def compute(
    indicator: Indicator | str,
    data: Any,
    period: Period | str,
    *,
    by: str | Sequence[str] = (),
    target: object = DEFAULT_TARGET,
    rag: RagRule | None = None,
    calendar: WorkingCalendar | None = None,
    convention: Convention = "day0",
) -> ResultTable:
    """Compute one indicator over one period, optionally grouped.

    Parameters
    ----------
    indicator:
        A definition (``NI59``) or its id (``"NI59"``).
    data:
        An extract (:func:`casetime.load`: rows with data-quality errors are left out as
        ``invalid``), a :class:`~casetime.tables.Table`, a mapping of record type to table, or a
        pandas or polars DataFrame or a dict of columns, read exactly as :func:`casetime.load`
        reads it (``compute(df)`` is ``compute(load(df))``).
    period:
        A :class:`~casetime.periods.Period` or text (``"2008/09"``, ``"ytd:2008-12"``).
    by:
        Grouping: at most one of ``"month"``, ``"quarter"``, ``"year"``, and any
        extra columns (``"team"``), alone or combined. The time key comes
        first in each row's key. Without a time key each row covers the period.
    target:
        A percentage; by default the definition's; ``None`` for no target (and no RAG).
    rag:
        A RAG rule (see :mod:`casetime.rag`); default amber within 5 points.
    calendar, convention:
        How working days are counted: by default the calendar an extract was validated with
        (England and Wales otherwise) and ``"day0"``.

    Every month (quarter, year) of the period has a row, with a missing value
    when nothing is in its denominator; each group combination that has at
    least one record placed in the period has a row in every time window.
    """
    ind = get_indicator(indicator)
    per = as_period(period)
    check_convention(convention)
    records = records_of(data, ind.record_type)
    table, errors = records.table, records.errors
    time_unit, extras = split_by(by, table)
    cal = _calendar_for(ind, calendar, records, per)
    classifier = classifier_for(ind, cal, convention)
    outcomes = classifier.outcomes
    k = outcomes.size
    goal = _target_of(ind, target)

    n_time = len(bucket_lookup(per, time_unit)[1])
    group_set = groups(table, extras, (n_time + 1) * k)
    lut_offset, lut, buckets = bucket_table(per, time_unit, group_set.count * k)
    bound = classifier.bind(table, n_time * group_set.count)
    if bound.outcomes.size != k:  # the kind chose other classes for this many rows: place records for them
        # (the groups stay: a kind chooses more classes only for few rows, which are never compressed)
        outcomes, k = bound.outcomes, bound.outcomes.size
        lut_offset, lut, buckets = bucket_table(per, time_unit, group_set.count * k)
    counted = count(bound, table, errors, lut, lut_offset, group_set, buckets)
    counts, child_sets, outside = counted.tensor, counted.sets, counted.outside
    if child_sets is None:
        den = counts[:, :, list(outcomes.counted)].sum(axis=2)
        num = counts[:, :, list(outcomes.numerator)].sum(axis=2)
    else:
        den = child_sets[0].counts.reshape(n_time, group_set.count)
        num = child_sets[1].counts.reshape(n_time, group_set.count)
    in_rows = [c for c in range(k) if c not in outcomes.outside]
    placed = counts[:, :, in_rows].sum(axis=(0, 2))
    present = [0] if group_set.codes is None else np.flatnonzero(placed > 0).tolist()
    group_labels = {g: group_set.labels(g) for g in present}
    order = label_order(group_labels)
    bands = ind.bands
    unbanded_class = None
    if bands is not None and bands.unbanded_in_total:
        unbanded_class = next(c for c, r in outcomes.left_out.items() if r == "completed_before_start")
    rows: list[Result] = []
    row_of_key: dict[Key, int] = {}
    for t, window in enumerate(buckets):
        for g in order:
            key: Key = ((time_unit, window.label),) if time_unit else ()
            key += tuple(zip(extras, group_labels[g], strict=True))
            left = {reason: int(counts[t, g, cls]) for cls, reason in outcomes.left_out.items()}
            banding: dict[str, Any] = {}
            if bands is not None:
                cell = counts[t, g]
                banding["bands"] = tuple(
                    (label, int(cell[list(classes)].sum()))
                    for label, classes in zip(bands.labels, outcomes.bands, strict=True)
                )
                banding["unbanded"] = 0 if unbanded_class is None else int(cell[unbanded_class])
                if counted.distributions is not None:
                    distribution = counted.distributions[t * group_set.count + g]
                    if outcomes.exact:  # the first classes are whole working days: a histogram already
                        days = np.flatnonzero(cell[: outcomes.exact]).astype(np.int64)
                        distribution = Distribution(days, cell[days].astype(np.int64)) + distribution
                    banding["distribution"] = distribution
            rows.append(
                Result(
                    indicator=ind.id, title=ind.heading, period=window, key=key, numerator=int(num[t, g]),
                    denominator=int(den[t, g]), left_out=left, target=goal, polarity=ind.polarity,
                    counting=ind.counting, rule=rag, **banding,
                )
            )  # fmt: skip
            row_of_key[key] = t * group_set.count + g
    children = None
    if child_sets is not None:
        den_sets, num_sets = (KeyedSets(sets, row_of_key) for sets in child_sets)
        children = ChildSets(table.child.labels, den_sets, num_sets)
    snapshot = ind.population == "open_at_end"
    source = Cases(classifier, table, errors, per, time_unit, extras)
    by_names = ((time_unit,) if time_unit else ()) + extras
    result = ResultTable(
        ind, per, by_names, rows, target=goal, rule=rag, settings=_settings(classifier), children=children,
        sources=[source], outside=outside, warnings=bound.warnings,
        child_ids=table.child if ind.kind == "repeats" else None,
        counted_records=int(counts[-1:, :, list(outcomes.counted)].sum() if snapshot else
                            counts[:, :, list(outcomes.counted)].sum()),
    )  # fmt: skip
    if result.population != len(table):  # every record counted or left out, once (a bug otherwise)
        raise CasetimeError(f"{ind.id}: {len(table)} records but {result.reconciliation()}; please report this")
    return result


#: The 2008-2013 national indicators, reported by default.
NATIONAL: Final = ("NI59", "NI60", "NI64")
#: The measures of single assessments' era (Working Together 2013 on), reported by default when the data has them.
SINGLE_ASSESSMENT_ERA: Final = ("SA45", "ICPC15")


def default_indicators(data: Any) -> tuple[str, ...]:
    """The indicators reported when none are named: NI59, NI60 and NI64, and SA45 and ICPC15 too when the
    data holds single assessments (records of 2013 on, such as a census file's).

    >>> from casetime.tables import Table
    >>> sa = Table.from_columns("single_assessment", {"child_id": ["A"], "referral_date": ["2024-01-05"]})
    >>> default_indicators({}), default_indicators({"single_assessment": sa})
    (('NI59', 'NI60', 'NI64'), ('NI59', 'NI60', 'NI64', 'SA45', 'ICPC15'))
    """
    return NATIONAL + SINGLE_ASSESSMENT_ERA if holds(data, "single_assessment") else NATIONAL


def compute_all(
    data: Any,
    period: Period | str,
    *,
    indicators: Sequence[Indicator | str] | None = None,
    by: str | Sequence[str] = (),
    targets: Mapping[str, object] | None = None,
    rag: RagRule | None = None,
    calendar: WorkingCalendar | None = None,
    convention: Convention = "day0",
    record_type: str | None = None,
) -> Results:
    """Compute several indicators on one extract: ``{id: ResultTable}`` (a :class:`~casetime.results.Results`,
    with a notebook view, ``to_pandas()``, ``to_polars()`` and ``merge()``).

    By default :func:`default_indicators` (by id, so a definition you registered under one of those
    ids is the one used), those whose records the extract holds (at least one must be there); a list
    given in ``indicators`` must all be computable. ``targets`` maps ids to targets (others keep
    their default).

    A frame (or dict of columns) is read once, exactly as :func:`casetime.load` reads it: its rows
    say their record type in a ``record_type`` column, or ``record_type=`` gives the type of every
    row, or its columns must fit one record type only (never one per indicator: the same rows are
    not read as assessments for one measure and as plans for another).

    >>> frame = {"child_id": ["A"], "referral_date": ["2009-01-05"], "completion_date": ["2009-01-08"]}
    >>> sorted(compute_all(frame, "2008/09", record_type="ia"))
    ['NI59']
    """
    explicit = indicators is not None
    if is_dask_collection(data):
        raise CasetimeTypeError(DASK_REFUSAL)
    if is_frame_input(data):
        from casetime.extract import load

        data = load(data, record_type=record_type, calendar=calendar)
    elif record_type is not None:
        raise CasetimeError("record_type= is for a frame or a dict of columns: tables and extracts know their types")
    chosen = [get_indicator(i) for i in (indicators if indicators is not None else default_indicators(data))]
    out = Results()
    skipped = []
    for ind in chosen:
        if not explicit and not holds(data, ind.record_type):
            skipped.append(ind.id)
            continue
        goal = (targets or {}).get(ind.id, DEFAULT_TARGET)
        out[ind.id] = compute(ind, data, period, by=by, target=goal, rag=rag, calendar=calendar, convention=convention)
    if not out:
        raise CasetimeError(f"none of {', '.join(skipped)} can be computed: the data has none of their records")
    return out


#: A month of the year before counts as held by the data when it has at least this share of a typical
#: month's records in the period itself (the median month).
PREVIOUS_SHARE: Final = Fraction(1, 2)


def compute_previous(
    results: Mapping[str, ResultTable],
    data: Any,
    *,
    calendar: WorkingCalendar | None = None,
    convention: Convention = "day0",
) -> dict[str, ResultTable]:
    """The same measures over the period a year earlier, for those the data holds that year for.

    An extract of one year's work holds a few records of the year before (late completions of old
    referrals): a figure from them would be wrong with confidence. So a measure is computed for the
    year before only when every month of it has at least half as many records as the median month
    of the period itself (:data:`PREVIOUS_SHARE`), and never for a snapshot (D5, D6) or a repeat
    measure (D3, C1), which would need the data's history further back still. Targets and limits are
    the same as in ``results``.

    >>> from casetime.tables import Table
    >>> from casetime.indicators import NI59
    >>> from casetime.periods import Month
    >>> ia = Table.from_columns("initial_assessment", {
    ...     "child_id": ["A", "B"], "referral_date": ["2008-01-07", "2009-01-05"],
    ...     "completion_date": ["2008-01-10", "2009-01-14"]})
    >>> now = compute_all(ia, Month(2009, 1), indicators=[NI59])
    >>> sorted(compute_previous(now, ia))   # January 2008 has as many records as January 2009
    ['NI59']
    """
    out: dict[str, ResultTable] = {}
    for ind_id, table in results.items():
        ind = table.indicator
        if table.snapshot or ind.kind == "repeats":
            continue
        earlier = table.period.year_before()
        target = None if table.target is None else table.target
        try:
            now = compute(ind, data, table.period, by="month", target=target, calendar=calendar, convention=convention)
            then = compute(ind, data, earlier, by="month", target=target, calendar=calendar, convention=convention)
        except CalendarRangeError:
            continue
        typical = sorted(r.denominator for r in now.rows)
        if not typical or not then.rows:
            continue
        median = Fraction(typical[(len(typical) - 1) // 2] + typical[len(typical) // 2], 2)
        if median == 0 or any(r.denominator < PREVIOUS_SHARE * median for r in then.rows):
            continue
        out[ind_id] = compute(ind, data, earlier, target=target, calendar=calendar, convention=convention)
    return out
