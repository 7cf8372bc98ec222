"""Reports: the indicators of an extract as a text table, CSV, JSON or one HTML page.

A :class:`Report` is plain data (numbers already computed); the writers here
only present it. The JSON has a stable, documented schema
(``docs/report-schema.json``, identified by :data:`SCHEMA_ID`); the CSV is safe
to open in a spreadsheet; the HTML is one self-contained file (inline SVG, no
scripts, no external assets).

>>> row = Row("2008/09", 59, 100, 59.0, "59.0", "red")
>>> ind = IndicatorSummary("NI59", "Initial assessments within 7 working days", "higher", 70.0,
...                        row, [Row("Apr 2008", 5, 8, 62.5, "62.5", "red")], {"still_open": 3})
>>> rep = Report("Sample", "2008/09", "sample", [ind], {"reconciliation": [], "counts_by_rule": {}})
>>> print(to_text(rep).splitlines()[2])
NI59       59.0%    59 / 100   target 70.0%  RED      Initial assessments within 7 working days
"""

from __future__ import annotations

import csv
import datetime as _dt
import html
import io
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from casetime.cells import safe_cell

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

#: Identifies the JSON layout; it changes only when the layout changes incompatibly.
SCHEMA_ID = "casetime.report/1"
#: Output formats the writers support.
FORMATS = ("table", "csv", "json", "html")

_RAG_COLOURS = {"green": "#1b7a3a", "amber": "#b86e00", "red": "#b3261e", None: "#6b6b6b"}


@dataclass(frozen=True)
class Row:
    """One figure: a label (period or group), exact counts, value and display text."""

    label: str
    numerator: int
    denominator: int
    value: float | None
    display: str
    rag: str | None


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


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def to_text(report: Report) -> str:
    """A plain-text table for the terminal."""
    lines = [f"{report.title}: {report.period} (working days: {report.calendar}, convention {report.convention})", ""]
    for ind in report.indicators:
        o = ind.overall
        rag = (o.rag or "-").upper()
        display = "-" if o.value is None else f"{o.display}%"
        lines.append(
            f"{ind.id:<8} {display:>7} {o.numerator:>5} / {o.denominator:<5} target {_pct(ind.target):<6} "
            f"{rag:<8} {ind.title}"
        )
        for r in ind.rows:
            disp = "-" if r.value is None else f"{r.display}%"
            lines.append(f"  {r.label:<20} {disp:>7} {r.numerator:>5} / {r.denominator:<5} {(r.rag or '-').upper()}")
        left = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in ind.left_out.items() if v)
        if left:
            lines.append(f"  left out: {left}")
        if ind.late_cases is not None:
            lines.append(f"  late cases ({len(ind.late_cases)}): child, clock start -> stop, elapsed, over the limit")
            for case in ind.late_cases:
                lines.append(
                    f"    {case.get('child_id')}  {case.get('clock_start')} -> {case.get('clock_stop')}  "
                    f"{case.get('elapsed')} {case.get('elapsed_unit')}  +{case.get('over_limit')}"
                )
        lines.append("")
    q = report.quality
    for rec in q.get("reconciliation", []):
        lines.append(
            f"{rec['record_type']} ({rec['source']}): {rec['rows_read']} read, {rec['rows_valid']} valid, "
            f"{rec['rows_with_errors']} with errors"
        )
    if q.get("counts_by_rule"):
        lines.append("data-quality issues: " + ", ".join(f"{k}: {v}" for k, v in q["counts_by_rule"].items()))
    return "\n".join(lines).rstrip() + "\n"


def to_csv(report: Report) -> str:
    """One row per indicator figure (overall first, then its rows); spreadsheet-safe cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
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
        ]
    )
    for ind in report.indicators:
        for level, r in [("overall", ind.overall), *[(ind.group_by, x) for x in ind.rows]]:
            writer.writerow(
                [
                    safe_cell(v)
                    for v in (
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
                ]
            )
    return buffer.getvalue()


def to_json(report: Report) -> str:
    """The report as JSON with the documented schema :data:`SCHEMA_ID`."""
    data = {"schema": SCHEMA_ID, **asdict(report)}
    return json.dumps(data, indent=2, sort_keys=False) + "\n"


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;margin:24px auto;max-width:980px;color:#1d1d1d}
h1{font-size:1.5rem;margin:0 0 4px}
.sub{color:#555;margin:0 0 20px}
.ind{border:1px solid #ddd;border-radius:8px;padding:12px 16px;margin:0 0 18px}
.ind h2{font-size:1.1rem;margin:0 0 6px}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600;font-size:.85rem}
.big{font-size:1.8rem;font-weight:700;margin-right:10px}
table{border-collapse:collapse;font-size:.85rem;margin-top:6px}
td,th{border-bottom:1px solid #eee;padding:3px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}
.note{color:#555;font-size:.85rem}
"""


def _chart(ind: IndicatorSummary) -> str:
    """An inline SVG: one bar per row coloured by RAG, the target as a dashed line."""
    width, height, left, bottom, top = 900, 220, 44, 36, 12
    rows = ind.rows
    n = max(len(rows), 1)
    plot_w, plot_h = width - left - 10, height - bottom - top
    step = plot_w / n

    def y(v: float) -> float:
        return top + plot_h * (1 - v / 100.0)

    parts = [
        f'<svg class="chart" role="img" aria-label="{html.escape(ind.id)} by {html.escape(ind.group_by)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for tick in (0, 25, 50, 75, 100):
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#eee"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" font-size="11" text-anchor="end" fill="#555">{tick}%</text>'
        )
    for i, r in enumerate(rows):
        x = left + i * step + step * 0.15
        w = step * 0.7
        if r.value is not None:
            colour = _RAG_COLOURS.get(r.rag, _RAG_COLOURS[None])
            parts.append(
                f'<rect class="bar" data-label="{html.escape(r.label)}" data-value="{r.value:.4f}" x="{x:.1f}" '
                f'y="{y(r.value):.1f}" width="{w:.1f}" height="{max(y(0) - y(r.value), 0.5):.1f}" fill="{colour}">'
                f"<title>{html.escape(r.label)}: {html.escape(r.display)}% ({r.numerator}/{r.denominator})</title>"
                "</rect>"
            )
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{height - bottom + 14}" font-size="10" text-anchor="middle" '
            f'fill="#333">{html.escape(r.label)}</text>'
        )
    tops = [f"{left + i * step + step / 2:.1f},{y(r.value):.1f}" for i, r in enumerate(rows) if r.value is not None]
    if len(tops) > 1:
        parts.append(
            f'<polyline class="trend" points="{" ".join(tops)}" fill="none" stroke="#333" stroke-width="1.5"/>'
        )
    if ind.target is not None:
        parts.append(
            f'<line class="target" x1="{left}" x2="{width - 10}" y1="{y(ind.target):.1f}" y2="{y(ind.target):.1f}" '
            f'stroke="#111" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{width - 12}" y="{y(ind.target) - 4:.1f}" font-size="11" text-anchor="end">'
            f"target {ind.target:g}%</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _badge(rag: str | None) -> str:
    colour = _RAG_COLOURS.get(rag, _RAG_COLOURS[None])
    text = (rag or "no data").upper()
    return f'<span class="badge rag-{html.escape(rag or "none")}" style="background:{colour}">{text}</span>'


def to_html(report: Report) -> str:
    """One self-contained HTML page: per indicator a trend chart against target, RAG, YTD, data quality."""
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(report.title)}: {esc(report.period)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{esc(report.title)}</h1>",
        f'<p class="sub">Period {esc(report.period)} &middot; source {esc(report.source)} &middot; working days '
        f"{esc(report.calendar)}, convention {esc(report.convention)} &middot; generated {esc(report.generated)}</p>",
    ]
    for ind in report.indicators:
        o = ind.overall
        direction = "higher is better" if ind.polarity == "higher" else "lower is better"
        shown = "no data" if o.value is None else f"{o.display}%"
        out.append(f'<section class="ind" id="{esc(ind.id)}">')
        out.append(f"<h2>{esc(ind.id)}: {esc(ind.title)}</h2>")
        out.append(
            f'<p><span class="big">{esc(shown)}</span>{_badge(o.rag)} '
            f'<span class="note">{o.numerator} of {o.denominator} &middot; target {_pct(ind.target)} '
            f"({direction}) &middot; {esc(report.period)}</span></p>"
        )
        out.append(_chart(ind))
        out.append(
            f"<table><tr><th>{esc(ind.group_by)}</th><th>value</th><th>numerator</th><th>denominator</th>"
            "<th>RAG</th></tr>"
        )
        for r in ind.rows:
            val = "-" if r.value is None else f"{r.display}%"
            out.append(
                f"<tr><td>{esc(r.label)}</td><td>{esc(val)}</td><td>{r.numerator}</td><td>{r.denominator}</td>"
                f"<td>{esc(r.rag or '-')}</td></tr>"
            )
        out.append("</table>")
        left = ", ".join(f"{esc(k.replace('_', ' '))}: {v}" for k, v in ind.left_out.items() if v)
        if left:
            out.append(f'<p class="note">Left out: {left}</p>')
        if ind.late_cases is not None:
            out.append(f"<details><summary>Late cases ({len(ind.late_cases)})</summary><table>")
            if ind.late_cases:
                keys = list(ind.late_cases[0])
                out.append("<tr>" + "".join(f"<th>{esc(k)}</th>" for k in keys) + "</tr>")
                for case in ind.late_cases:
                    out.append("<tr>" + "".join(f"<td>{esc(str(case[k]))}</td>" for k in keys) + "</tr>")
            out.append("</table></details>")
        out.append("</section>")
    q = report.quality
    out.append('<section class="ind" id="data-quality"><h2>Data quality</h2><table>')
    out.append("<tr><th>records</th><th>source</th><th>read</th><th>valid</th><th>with errors</th></tr>")
    for rec in q.get("reconciliation", []):
        out.append(
            f"<tr><td>{esc(rec['record_type'])}</td><td>{esc(str(rec['source']))}</td><td>{rec['rows_read']}</td>"
            f"<td>{rec['rows_valid']}</td><td>{rec['rows_with_errors']}</td></tr>"
        )
    out.append("</table>")
    counts = q.get("counts_by_rule") or {}
    if counts:
        out.append('<p class="note">Issues by rule: ' + ", ".join(f"{esc(k)}: {v}" for k, v in counts.items()) + "</p>")
    else:
        out.append('<p class="note">No data-quality issues found.</p>')
    out.append("</section></body></html>")
    return "\n".join(out) + "\n"


_WRITERS = {"table": to_text, "csv": to_csv, "json": to_json, "html": to_html}


def render(report: Report, fmt: str) -> str:
    """The report in one of :data:`FORMATS`."""
    if fmt not in _WRITERS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return _WRITERS[fmt](report)


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


def _row_label(result: Any) -> str:
    if not result.key:
        return str(result.period.label)
    return " / ".join(str(value) for _, value in result.key)


def _as_row(result: Any) -> Row:
    value = result.value
    return Row(
        _row_label(result),
        int(result.numerator),
        int(result.denominator),
        None if value is None else float(value),
        result.display or "-",
        result.status,
    )


def build_report(
    results: Any,
    quality: Any,
    *,
    title: str = "Safeguarding timeliness",
    source: str = "",
    late_cases: bool = False,
    convention: str = "day0",
) -> Report:
    """A :class:`Report` from ``{id: ResultTable}`` (``casetime.engine.compute_all``) and a quality report.

    Record-level late cases (child ids) are included only with ``late_cases=True``.
    """
    indicators = []
    period_label = ""
    calendar = "England and Wales"
    for ind_id, table in results.items():
        total = table.total()
        period_label = str(table.period.label)
        calendar = table.settings.get("calendar", calendar)
        late = None
        if late_cases:
            cases = table.breaches()
            late = [{k: _plain(rec.get(k)) for k in _LATE_COLUMNS} for rec in cases.records()]
        target = None if table.target is None else float(table.target)
        indicators.append(
            IndicatorSummary(
                ind_id,
                table.indicator.heading,
                table.indicator.polarity,
                target,
                Row(
                    period_label,
                    total.numerator,
                    total.denominator,
                    None if total.value is None else float(total.value),
                    total.display or "-",
                    total.status,
                ),
                [_as_row(r) for r in table.rows],
                dict(total.left_out),
                late,
                " / ".join(table.by) or "period",
            )
        )
    q = {
        "reconciliation": [
            {k: (v if isinstance(v, int) else str(v)) for k, v in rec.items()} for rec in quality.reconciliation()
        ],
        "counts_by_rule": dict(quality.counts_by_rule()),
    }
    return Report(title, period_label, source, indicators, q, calendar=calendar, convention=convention)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return None if value != value else (int(value) if value.is_integer() else value)
    if isinstance(value, (_dt.date,)):
        return value.isoformat()
    return str(value)
