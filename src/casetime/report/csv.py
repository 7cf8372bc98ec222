"""The report as CSV: one row per figure (overall first, then its rows); spreadsheet-safe cells.

>>> from casetime.report.model import IndicatorSummary, Report, Row
>>> ind = IndicatorSummary("NI59", "=t", "higher", None, Row("2008/09", 1, 2, 50.0, "50.0", None), [], {})
>>> to_csv(Report("S", "2008/09", "s", [ind], {})).splitlines()[1]
"NI59,'=t,2008/09,overall,2008/09,1,2,50.0,50.0,,higher,"
"""

from __future__ import annotations

from casetime.cells import csv_text
from casetime.report.model import Report

__all__ = ["COLUMNS", "to_csv"]

#: The columns of the report CSV.
COLUMNS = (
    "indicator",
    "title",
    "period",
    "group_by",
    "group",
    "numerator",
    "denominator",
    "value",
    "display",
    "target",
    "polarity",
    "rag",
)


def to_csv(report: Report) -> str:
    """One row per indicator figure (overall first, then its rows); spreadsheet-safe cells."""
    rows = []
    for ind in report.indicators:
        for level, r in [("overall", ind.overall), *[(ind.group_by, x) for x in ind.rows]]:
            rows.append(
                (
                    ind.id,
                    ind.title,
                    report.period,
                    level,
                    r.label,
                    r.numerator,
                    r.denominator,
                    "" if r.value is None else repr(r.value),
                    r.display,
                    "" if ind.target is None else ind.target,
                    ind.polarity,
                    r.rag or "",
                )
            )
    return csv_text(COLUMNS, rows)
