"""The report as one self-contained HTML page: inline SVG charts, no scripts, no external assets.

>>> from casetime.report.model import IndicatorSummary, Report, Row
>>> ind = IndicatorSummary("NI59", "t", "higher", 70.0, Row("2008/09", 1, 2, 50.0, "50.0", "red"), [], {})
>>> page = to_html(Report("Sample", "2008/09", "s", [ind], {}))
>>> page.startswith("<!DOCTYPE html>"), "<script" in page
(True, False)
"""

from __future__ import annotations

import html

from casetime.cells import html_row
from casetime.report.model import IndicatorSummary, Report
from casetime.report.text import percent

__all__ = ["to_html", "chart"]

_RAG_COLOURS = {"green": "#1b7a3a", "amber": "#b86e00", "red": "#b3261e", None: "#6b6b6b"}

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
.warn{color:#8a4b00;font-size:.9rem}
"""


def chart(ind: IndicatorSummary) -> str:
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
    if report.period_words:
        note = f" ({esc(report.period_note)})" if report.period_note else ""
        out.append(f'<p class="sub">Period: {esc(report.period_words)}{note}</p>')
    for ind in report.indicators:
        o = ind.overall
        direction = "higher is better" if ind.polarity == "higher" else "lower is better"
        shown = "no data" if o.value is None else f"{o.display}%"
        out.append(f'<section class="ind" id="{esc(ind.id)}">')
        out.append(f"<h2>{esc(ind.id)}: {esc(ind.title)}</h2>")
        out.append(
            f'<p><span class="big">{esc(shown)}</span>{_badge(o.rag)} '
            f'<span class="note">{o.numerator} of {o.denominator} &middot; target {percent(ind.target)} '
            f"({direction}) &middot; {esc(report.period)}</span></p>"
        )
        out.append(chart(ind))
        out.append("<table>" + html_row([ind.group_by, "value", "numerator", "denominator", "RAG"], header=True))
        for r in ind.rows:
            val = "-" if r.value is None else f"{r.display}%"
            out.append(html_row([r.label, val, r.numerator, r.denominator, r.rag or "-"]))
        out.append("</table>")
        for warning in ind.warnings:
            out.append(f'<p class="warn">Warning: {esc(warning)}</p>')
        line = ind.reconciliation_line()
        left = ", ".join(f"{esc(k.replace('_', ' '))}: {v}" for k, v in ind.left_out.items() if v)
        if line is not None:
            out.append(f'<p class="note">{esc(line)}</p>')
        elif left:
            out.append(f'<p class="note">Left out: {left}</p>')
        if ind.late_cases is not None:
            out.append(f"<details><summary>Late cases ({len(ind.late_cases)})</summary><table>")
            if ind.late_cases:
                keys = list(ind.late_cases[0])
                out.append(html_row(keys, header=True))
                for case in ind.late_cases:
                    out.append(html_row(case[k] for k in keys))
            out.append("</table></details>")
        out.append("</section>")
    q = report.quality
    out.append('<section class="ind" id="data-quality"><h2>Data quality</h2><table>')
    out.append(html_row(["records", "source", "read", "valid", "with errors"], header=True))
    for rec in q.get("reconciliation", []):
        out.append(
            html_row([rec["record_type"], rec["source"], rec["rows_read"], rec["rows_valid"], rec["rows_with_errors"]])
        )
    out.append("</table>")
    for warning in q.get("other_warnings", []):
        out.append(f'<p class="warn">Warning: {esc(warning)}</p>')
    counts = q.get("counts_by_rule") or {}
    if counts:
        out.append('<p class="note">Issues by rule: ' + ", ".join(f"{esc(k)}: {v}" for k, v in counts.items()) + "</p>")
    else:
        out.append('<p class="note">No data-quality issues found.</p>')
    used = q.get("columns_used") or []
    if used:
        out.append("<h3>Columns used</h3><table>")
        out.append(html_row(["source", "records", "field <- heading (found by)", "not used"], header=True))
        for item in used:
            fields = ", ".join(f"{k} <- {v} ({item['how'].get(k, '?')})" for k, v in item["fields"].items())
            out.append(html_row([item["source"], item["record_type"], fields, ", ".join(item["unused"])]))
        out.append("</table>")
    out.append("</section></body></html>")
    return "\n".join(out) + "\n"
