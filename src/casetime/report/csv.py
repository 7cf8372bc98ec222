"""The report as CSV: one row per figure (overall first, then its rows); spreadsheet-safe cells.

Band measures (C2, C4, D5, D7) add their records in the total, the percentiles of working days
elapsed and one column per band (``band <label>``); other rows leave those cells empty.
:func:`to_dfe_csv` writes the same figures under the column names DfE's published files use
(``Assessments_completed``, ``Same_day``, ``1-10_days`` ... ``Median_days``), so that a council's own
rows can be put beside the published ones.

>>> from casetime.report.model import IndicatorSummary, Report, Row
>>> ind = IndicatorSummary("NI59", "=t", "higher", None, Row("2008/09", 1, 2, 50.0, "50.0", None), [], {})
>>> to_csv(Report("S", "2008/09", "s", [ind], {})).splitlines()[1]
"NI59,'=t,2008/09,overall,2008/09,1,2,50.0,50.0,,higher,"
"""

from __future__ import annotations

from typing import Any

from casetime.cells import csv_text
from casetime.report.model import IndicatorSummary, Report, Row

__all__ = ["COLUMNS", "to_csv", "to_dfe_csv"]

#: The columns of the report CSV (band measures add ``total``, ``p25``, ``median``, ``p75`` and a column per band).
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
_PERCENTILES = ("p25", "median", "p75")


def _figures(ind: IndicatorSummary) -> list[tuple[str, Row]]:
    return [("overall", ind.overall), *[(ind.group_by, x) for x in ind.rows]]


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(value)


def to_csv(report: Report) -> str:
    """One row per indicator figure (overall first, then its rows); spreadsheet-safe cells."""
    labels: list[str] = []
    for ind in report.indicators:
        labels += [label for label in ind.bands or () if label not in labels]
    banded = any(ind.bands for ind in report.indicators)
    columns = [*COLUMNS, *(("total", *_PERCENTILES) if banded else ()), *(f"band {label}" for label in labels)]
    rows = []
    for ind in report.indicators:
        for level, r in _figures(ind):
            row: list[Any] = [
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
            ]
            if banded:
                row.append("" if r.total is None else r.total)
                row += [_number((r.percentiles or {}).get(name)) for name in _PERCENTILES]
                counts = dict(zip(ind.bands or (), r.bands or (), strict=True))
                row += [counts.get(label, "") for label in labels]
            rows.append(row)
    return csv_text(columns, rows)


def _dfe_names(ind: IndicatorSummary) -> list[tuple[str, str]]:
    """``(DfE column name, what it holds)`` for one indicator, in the published files' order."""
    names = dict(ind.dfe_columns or {})
    out = [(names.get("total", f"{ind.id}_total"), "total")]
    out += [(column, f"band {i}") for i, column in enumerate(ind.band_columns or ())]
    numerator = names.get("numerator", f"{ind.id}_numerator")
    if numerator not in (ind.band_columns or ()):  # (D5's numerator is its "2 years or more" band)
        out.append((numerator, "numerator"))
    out.append((names.get("share", f"{ind.id}_percent"), "share"))
    if "median" in names:
        out.append((names["median"], "median"))
    return out


def to_dfe_csv(report: Report) -> str:
    """The figures under DfE's column names: ``indicator, period, group_by, group`` and then
    each indicator's total, bands, numerator, share (percent at 1 dp, as published) and median.
    A position (D5, D6) by month is the position at the end of each month, under the names DfE gives
    the position at 31 March.

    >>> from casetime.report.model import IndicatorSummary, Report, Row
    >>> row = Row("2023/24", 3, 4, 75.0, "75.0", None, [1, 2, 0, 1, 0, 0, 0, 0, 0], 4, {"median": 5.0})
    >>> ind = IndicatorSummary("C2", "t", "higher", None, row, [], {}, bands=["same day"] + ["x"] * 8,
    ...     band_columns=["Same_day", "1-10_days", "11-20_days", "21-30_days", "31-40_days", "41-45_days",
    ...                   "46-50_days", "51-60_days", "61+_days"],
    ...     dfe_columns={"total": "Assessments_completed", "numerator": "n", "share": "Continue_Assess_Comp",
    ...                  "median": "Median_days"})
    >>> lines = to_dfe_csv(Report("S", "2023/24", "s", [ind], {})).splitlines()
    >>> lines[0].split(",")[4:7], lines[0].split(",")[-3:]
    (['Assessments_completed', 'Same_day', '1-10_days'], ['n', 'Continue_Assess_Comp', 'Median_days'])
    >>> lines[1]
    'C2,2023/24,overall,2023/24,4,1,2,0,1,0,0,0,0,0,3,75.0,5'
    """
    columns: list[str] = []
    for ind in report.indicators:
        for name, _ in _dfe_names(ind):
            if name not in columns:
                columns.append(name)
    rows = []
    for ind in report.indicators:
        for level, r in _figures(ind):
            cells: dict[str, Any] = {}
            for name, what in _dfe_names(ind):
                if what == "total":
                    cells[name] = r.denominator if r.total is None else r.total
                elif what.startswith("band "):
                    cells[name] = (r.bands or [])[int(what[5:])] if r.bands else ""
                elif what == "numerator":
                    cells[name] = r.numerator
                elif what == "share":
                    cells[name] = "" if r.value is None else r.display
                else:
                    cells[name] = _number((r.percentiles or {}).get("median"))
            rows.append([ind.id, report.period, level, r.label, *(cells.get(c, "") for c in columns)])
    return csv_text(["indicator", "period", "group_by", "group", *columns], rows)
