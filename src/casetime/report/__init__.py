"""Reports: the indicators of an extract as a text table, CSV, JSON or one HTML page.

A :class:`Report` is plain data (numbers already computed, by :func:`build_report`); each writer
only presents it: :func:`to_text`, :func:`to_csv`, :func:`to_json` (a stable, documented schema,
``docs/report-schema.json``, identified by :data:`SCHEMA_ID`) and :func:`to_html` (one
self-contained page: inline SVG, no scripts, no external assets). Every cell they write goes
through :mod:`casetime.cells`, which the notebook views of results use too.

>>> row = Row("2008/09", 59, 100, 59.0, "59.0", "red")
>>> ind = IndicatorSummary("NI59", "Initial assessments within 7 working days", "higher", 70.0,
...                        row, [Row("Apr 2008", 5, 8, 62.5, "62.5", "red")], {"still_open": 3})
>>> rep = Report("Sample", "2008/09", "sample", [ind], {"reconciliation": [], "counts_by_rule": {}})
>>> print(render(rep, "table").splitlines()[2])
NI59       59.0%    59 / 100   target 70.0%  RED      Initial assessments within 7 working days
"""

from __future__ import annotations

from collections.abc import Callable

from casetime.errors import CasetimeError
from casetime.report.csv import to_csv
from casetime.report.html import to_html
from casetime.report.json import to_json
from casetime.report.model import FORMATS, SCHEMA_ID, IndicatorSummary, Report, Row, build_report
from casetime.report.text import to_text

__all__ = [
    "SCHEMA_ID",
    "Row",
    "IndicatorSummary",
    "Report",
    "to_text",
    "to_csv",
    "to_json",
    "to_html",
    "render",
    "build_report",
    "FORMATS",
]

_WRITERS: dict[str, Callable[[Report], str]] = {"table": to_text, "csv": to_csv, "json": to_json, "html": to_html}


def render(report: Report, fmt: str) -> str:
    """The report in one of :data:`FORMATS`."""
    if fmt not in _WRITERS:
        raise CasetimeError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return _WRITERS[fmt](report)
