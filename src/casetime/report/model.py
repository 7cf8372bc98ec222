"""The report model: what one report shows, as plain data (numbers already computed), and building it.

:func:`build_report` turns computed results (``{id: ResultTable}``) and a quality report into a
:class:`Report`; the writers (:mod:`~casetime.report.text`, :mod:`~casetime.report.csv`,
:mod:`~casetime.report.json`, :mod:`~casetime.report.html`) only present it.

>>> row = Row("2008/09", 59, 100, 59.0, "59.0", "red")
>>> ind = IndicatorSummary("NI59", "Initial assessments within 7 working days", "higher", 70.0,
...                        row, [Row("Apr 2008", 5, 8, 62.5, "62.5", "red")], {"still_open": 3})
>>> Report("Sample", "2008/09", "sample", [ind], {"reconciliation": [], "counts_by_rule": {}}).indicators[0].id
'NI59'
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Final

from casetime.cells import key_text

__all__ = ["SCHEMA_ID", "Row", "IndicatorSummary", "Report", "build_report"]

#: Identifies the JSON layout; it changes only when the layout changes incompatibly.
SCHEMA_ID: Final = "casetime.report/1"


@dataclass(frozen=True)
class Row:
    """One figure: a label (period or group), exact counts, value and display text."""

    label: str
    numerator: int
    denominator: int
    value: float | None
    display: str
    rag: str | None
    #: a band measure's count per band (in the order of :attr:`IndicatorSummary.bands`)
    bands: list[int] | None = None
    #: a band measure's records in the total (the denominator, and C4's conferences dated before their start)
    total: int | None = None
    #: working-day bands: the 25th, 50th and 75th percentiles of working days elapsed ("linear" method)
    percentiles: dict[str, float | None] | None = None
    #: the row's key values as text, one per grouping (``["2008/09 Q3", "North"]``); the label joins them
    keys: list[str] | None = None


@dataclass(frozen=True)
class IndicatorSummary:
    """One indicator over the report period: the overall figure and its rows (months, teams ...)."""

    id: str
    title: str
    polarity: str
    target: float | None
    overall: Row
    rows: list[Row]
    left_out: dict[str, int]
    late_cases: list[dict[str, Any]] | None = None
    group_by: str = "month"
    #: ``population == counted + left out`` by reason (:meth:`casetime.results.ResultTable.reconciliation`)
    records: dict[str, int] | None = None
    #: warnings about the sources of this indicator's records (a clock-stop column not found ...)
    warnings: list[str] = field(default_factory=list)
    #: the limit in force, in words: ``7``, or a schedule ``7 (10 from 2010-04-01)`` with its name
    limit: str = ""
    #: a band measure's band labels, and the names DfE's files give them (``--dfe-columns``)
    bands: list[str] | None = None
    band_columns: list[str] | None = None
    #: DfE's names for the total, the numerator, the share and the median (``--dfe-columns``)
    dfe_columns: dict[str, str] | None = None
    #: ``--compare``: the published figures beside this one (:meth:`casetime.results.Beside.to_dict`)
    published: dict[str, Any] | None = None
    #: how the percentiles of a working-day band measure are read (``"linear"``: numpy's default), else None
    percentile_method: str | None = None
    #: the grouping, one name per key (``["quarter", "team"]``; empty for the period as one row)
    by: list[str] = field(default_factory=list)
    #: by month, quarter or year alone: each row's running figure from the period's start (the year to date)
    year_to_date: list[Row] | None = None
    #: the same measure over the period a year earlier, where the data has records for it
    previous: Row | None = None
    #: the columns each source's records were read from (``source``, ``record_type``, ``fields``, ``how``)
    columns_used: list[dict[str, Any]] = field(default_factory=list)

    def reconciliation_line(self) -> str | None:
        """The records in words: ``2906 records = 2799 counted + 27 invalid + ...`` (``None`` if unknown)."""
        if self.records is None:
            return None
        from casetime.results import REASON_WORDS  # (here: `casetime between` builds the parser, not results)

        parts = [f"{self.records['counted']:,} counted"]
        parts += [
            f"{n:,} {REASON_WORDS.get(k, k.replace('_', ' '))}"
            for k, n in self.records.items()
            if k not in ("population", "counted") and n
        ]
        population = self.records["population"]
        return f"{population:,} record{'' if population == 1 else 's'} = " + " + ".join(parts)


@dataclass(frozen=True)
class Report:
    """Everything one report shows."""

    title: str
    period: str
    source: str
    indicators: list[IndicatorSummary]
    quality: dict[str, Any]
    calendar: str = "England and Wales"
    convention: str = "day0"
    generated: str = field(default_factory=lambda: _dt.date.today().isoformat())
    #: the period in words ("financial year 2008/09: 1 April 2008 to 31 March 2009")
    period_words: str = ""
    #: how the period was chosen, when it was not given ("chosen because 94% of ...")
    period_note: str = ""


# ---------------------------------------------------------------------------
# building a report from computed results
# ---------------------------------------------------------------------------

_LATE_COLUMNS = (
    "source",
    "row",
    "child_id",
    "clock_start",
    "clock_stop",
    "elapsed",
    "elapsed_unit",
    "due_date",
    "over_limit",
)


#: The columns of a case table that are not the row it is in or the extract's own.
_CASE_COLUMNS = (*_LATE_COLUMNS, "in_denominator", "in_numerator", "breach", "reason")


def _row_label(result: Any) -> str:
    if not result.key:
        return str(result.period.label)
    return " / ".join(key_text(value) for _, value in result.key)


def _as_row(result: Any, label: str | None = None) -> Row:
    value = result.value
    percentiles = None
    if result.distribution is not None:
        percentiles = {
            name: None if q is None else float(q)
            for name, q in zip(("p25", "median", "p75"), result.quartiles, strict=True)
        }
    return Row(
        _row_label(result) if label is None else label,
        int(result.numerator),
        int(result.denominator),
        None if value is None else float(value),
        result.display or "-",
        result.status,
        None if result.bands is None else [n for _, n in result.bands],
        None if result.bands is None else result.total_records,
        percentiles,
        [key_text(v) for _, v in result.key] if result.key else None,
    )


def _limit_words(indicator: Any) -> str:
    limit = indicator.limit
    if isinstance(limit, int):
        return f"{limit} {indicator.unit_words}"
    return f"{limit} {indicator.unit_words} (schedule: {limit.name})"


def build_report(
    results: Any,
    quality: Any,
    *,
    title: str = "Safeguarding timeliness",
    source: str = "",
    late_cases: bool = False,
    convention: str = "day0",
    period_note: str = "",
    compare: str | None = None,
    previous: Any = None,
) -> Report:
    """A :class:`Report` from ``{id: ResultTable}`` (``casetime.engine.compute_all``) and a quality report.

    Record-level late cases (child ids) are included only with ``late_cases=True``. ``compare`` (a
    council's code, number or name) puts DfE's published figures beside each measure that has them.
    ``previous`` (``{id: ResultTable}`` over the period a year earlier) adds each measure's figure then,
    where it counted any record.
    """

    indicators = []
    period_label = ""
    period_words = ""
    calendar = "England and Wales"
    notices = list(getattr(quality, "notices", []))
    for ind_id, table in results.items():
        total = table.total()
        period_label = str(table.period.label)
        period_words = table.period.in_words
        calendar = table.settings.get("calendar", calendar)
        late = None
        if late_cases:
            cases = table.breaches()
            # the case's own columns, then the row it is in (month ...) and the extract's own columns (team ...)
            extras = [n for n in cases.names if n not in _CASE_COLUMNS]
            late = [{k: _plain(rec.get(k)) for k in (*_LATE_COLUMNS, *extras)} for rec in cases.records()]
        target = None if table.target is None else float(table.target)
        ind = table.indicator
        published = None
        if compare is not None and ind.published is not None:
            published = table.compare(compare).to_dict()
        indicators.append(
            IndicatorSummary(
                ind_id,
                ind.heading,
                ind.polarity,
                target,
                _as_row(total, period_label),
                [_as_row(r) for r in table.rows],
                dict(total.left_out),
                late,
                " / ".join(table.by) or "period",
                table.reconciliation(),
                [*(n.message for n in notices if n.record_type == ind.record_type), *table.warnings],
                _limit_words(ind),
                None if ind.bands is None else list(ind.bands.labels),
                None if ind.bands is None or not ind.bands.columns else list(ind.bands.columns),
                None if ind.published is None else ind.published.columns(),
                published,
                "linear" if ind.bands is not None and ind.bands.percentiles else None,
                list(table.by),
                _year_to_date(table),
                _previous(previous, ind_id),
                [c.to_dict() for c in getattr(quality, "columns", []) if c.record_type == ind.record_type],
            )
        )
    kinds = {table.indicator.record_type for table in results.values()}
    q = {
        "reconciliation": [
            {k: (v if isinstance(v, int) else str(v)) for k, v in rec.items()} for rec in quality.reconciliation()
        ],
        "counts_by_rule": dict(quality.counts_by_rule()),
        "rule_descriptions": _rule_words(quality.counts_by_rule()),
        "columns_used": [c.to_dict() for c in getattr(quality, "columns", [])],
        "notices": [n.to_dict() for n in notices],
        # (the warnings shown under no indicator: an unreadable file, a record type not reported)
        "other_warnings": [n.message for n in notices if n.record_type not in kinds],
    }
    return Report(
        title, period_label, source, indicators, q, calendar=calendar, convention=convention,
        period_words=period_words, period_note=period_note,
    )  # fmt: skip


def _rule_words(counts: dict[str, int]) -> dict[str, str]:
    """What each rule found checks, in words (the rules casetime registered; the readers' own rules too)."""
    from casetime.errors import CasetimeError
    from casetime.validation import get_rule

    words = {}
    for code in counts:
        try:
            words[code] = get_rule(code).description
        except CasetimeError:  # not a registered rule (a finding made by the caller's own code): its code alone
            words[code] = ""
    return words


def _year_to_date(table: Any) -> list[Row] | None:
    running = table.year_to_date()
    return None if running is None else [_as_row(r) for r in running]


def _previous(previous: Any, ind_id: str) -> Row | None:
    if not previous or ind_id not in previous:
        return None
    earlier = previous[ind_id]
    total = earlier.total()
    if not total.denominator:
        return None
    return _as_row(total, str(earlier.period.label))


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return None if value != value else (int(value) if value.is_integer() else value)
    if isinstance(value, (_dt.date,)):
        return value.isoformat()
    return str(value)
