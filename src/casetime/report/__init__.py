"""Reports: the indicators of an extract as a text table, CSV, JSON or one HTML page.

A :class:`Report` is plain data (numbers already computed, by :func:`build_report`); each writer
only presents it: :func:`to_text`, :func:`to_csv` (and :func:`to_dfe_csv`: DfE's column names),
:func:`to_json` (a stable, documented schema, ``docs/report-schema.json``, identified by
:data:`SCHEMA_ID`) and :func:`to_html` (one self-contained page: inline SVG, no scripts, no
external assets). The CSV and HTML cells go through :mod:`casetime.cells`, as the notebook views
of results do; the text writer lays out its own lines (their layout is pinned by the report
snapshots).

>>> row = Row("2008/09", 59, 100, 59.0, "59.0", "red")
>>> ind = IndicatorSummary("NI59", "Initial assessments within 7 working days", "higher", 70.0,
...                        row, [Row("Apr 2008", 5, 8, 62.5, "62.5", "red")], {"still_open": 3})
>>> rep = Report("Sample", "2008/09", "sample", [ind], {"reconciliation": [], "counts_by_rule": {}})
>>> print(render(rep, "table").splitlines()[2])
NI59       59.0%    59 / 100   target 70.0%  RED      Initial assessments within 7 working days
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

from casetime.errors import CasetimeError
from casetime.report.model import SCHEMA_ID, IndicatorSummary, Report, Row, build_report

if TYPE_CHECKING:
    from casetime.report.csv import to_csv, to_dfe_csv
    from casetime.report.html import to_html
    from casetime.report.json import to_json
    from casetime.report.text import to_text

__all__ = [
    "SCHEMA_ID",
    "Row",
    "IndicatorSummary",
    "Report",
    "to_text",
    "to_csv",
    "to_dfe_csv",
    "to_json",
    "to_html",
    "render",
    "build_report",
    "FORMATS",
]

# The writer of each format: (its module, its function). A writer is imported when first used, so
# that the command line can offer the formats without loading them.
_WRITERS: Final = {
    "table": ("casetime.report.text", "to_text"),
    "csv": ("casetime.report.csv", "to_csv"),
    "json": ("casetime.report.json", "to_json"),
    "html": ("casetime.report.html", "to_html"),
}
#: The formats :func:`render` writes.
FORMATS: Final = tuple(_WRITERS)
_BY_NAME: Final = {function: module for module, function in _WRITERS.values()} | {"to_dfe_csv": "casetime.report.csv"}


def render(report: Report, fmt: str, *, dfe_columns: bool = False) -> str:
    """The report in one of :data:`FORMATS`; ``dfe_columns=True`` (CSV only) names the columns as DfE's
    published files do (:func:`to_dfe_csv`)."""
    if fmt not in _WRITERS:
        raise CasetimeError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if dfe_columns and fmt != "csv":
        raise CasetimeError("DfE's column names are for the csv format")
    module, function = _WRITERS[fmt]
    if dfe_columns:
        function = "to_dfe_csv"
    text: str = getattr(importlib.import_module(module), function)(report)
    return text


def __getattr__(name: str) -> Any:
    if name not in _BY_NAME:
        raise AttributeError(f"module 'casetime.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(_BY_NAME[name]), name)
    globals()[name] = value
    return value
