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

__all__ = ["to_html", "chart", "bands_chart", "page_style"]

_RAG_COLOURS = {"green": "#1b7a3a", "amber": "#b86e00", "red": "#b3261e", None: "#6b6b6b"}
#: Band colours, shortest first (a sequential blue-to-red ramp: short is light blue, long is dark red).
_BAND_COLOURS = ("#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#fdae6b", "#e6550d", "#a63603")
_PUBLISHED_COLOURS = {"England": "#5b2a86", "region": "#00707a"}

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
tr.overdue td:nth-last-child(3){color:#b3261e;font-weight:600}
tr.due_soon td:nth-last-child(3){color:#b86e00;font-weight:600}
"""


def page_style() -> str:
    """The pages' style sheet (the report's, and the lists of cases')."""
    return _CSS


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
    for name, value, year in _published_marks(ind):
        colour = _PUBLISHED_COLOURS["England" if name == "England" else "region"]
        parts.append(
            f'<line class="published" data-area="{html.escape(name)}" x1="{left}" x2="{width - 10}" '
            f'y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="{colour}" stroke-width="1.5" stroke-dasharray="2 3"/>'
            f'<text x="{left + 4 if name == "England" else width - 14}" y="{y(value) - 4:.1f}" font-size="11" '
            f'text-anchor="{"start" if name == "England" else "end"}" fill="{colour}">{html.escape(name)} '
            f"{value:.1f}% (published, {html.escape(year)})</text>"
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


def _published_marks(ind: IndicatorSummary) -> list[tuple[str, float, str]]:
    """England's and the region's published figure for the year the report's period lies in (none if no such year)."""
    if ind.published is None or not ind.published["published"]:
        return []
    rows = ind.published["published"]
    year = ind.published["own"]["year"]
    row = next((r for r in rows if r["year"] == year), None)
    if row is None:  # the period is in no published year: no line would be a fair comparison
        return []
    marks = [("England", row["england"], row["label"]), (row["region_name"], row["region"], row["label"])]
    return [(name, float(v), label) for name, v, label in marks if v is not None]


def _band_colour(i: int, n: int) -> str:
    """Band ``i`` of ``n``: spread over the whole ramp, so the longest band is always the darkest red."""
    last = len(_BAND_COLOURS) - 1
    return _BAND_COLOURS[0 if n <= 1 else round(i * last / (n - 1))]


def bands_chart(ind: IndicatorSummary) -> str:
    """An inline SVG: one stacked bar per row, each band's share of the row's records, with a legend."""
    labels = ind.bands or []
    width, height, left, bottom, top = 900, 240, 44, 36, 34
    rows = ind.rows
    n = max(len(rows), 1)
    plot_w, plot_h = width - left - 10, height - bottom - top
    step = plot_w / n
    parts = [
        f'<svg class="chart bands" role="img" aria-label="{html.escape(ind.id)} by band and '
        f'{html.escape(ind.group_by)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    x: float = left
    for i, label in enumerate(labels):  # the legend, on one line above the plot
        colour = _band_colour(i, len(labels))
        parts.append(
            f'<rect x="{x}" y="6" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="15" font-size="11" fill="#333">{html.escape(label)}</text>'
        )
        x += 22 + 6.5 * len(label)
    for tick in (0, 50, 100):
        ty = top + plot_h * (1 - tick / 100)
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#eee"/>'
            f'<text x="{left - 6}" y="{ty + 4:.1f}" font-size="11" text-anchor="end" fill="#555">{tick}%</text>'
        )
    for i, r in enumerate(rows):
        bx = left + i * step + step * 0.15
        w = step * 0.7
        total = sum(r.bands or [])
        base: float = top + plot_h
        for b, count in enumerate(r.bands or []):
            if not total or not count:
                continue
            h = plot_h * count / total
            base -= h
            colour = _band_colour(b, len(labels))
            label = labels[b] if b < len(labels) else str(b)
            parts.append(
                f'<rect class="band" data-band="{html.escape(label)}" data-count="{count}" x="{bx:.1f}" '
                f'y="{base:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{html.escape(r.label)}: {html.escape(label)} {count} of {total}</title></rect>"
            )
        parts.append(
            f'<text x="{bx + w / 2:.1f}" y="{height - bottom + 14}" font-size="10" text-anchor="middle" '
            f'fill="#333">{html.escape(r.label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _published_table(ind: IndicatorSummary) -> list[str]:
    """DfE's published figures, year by year, apart from the figure computed from the user's records."""
    p = ind.published
    if p is None:
        return []
    esc = html.escape
    own = p["own"]
    shown = "no cases" if own["display"] is None else f"{own['display']}%"
    where = ""
    if own["quartile"] is not None:
        where = f"; among councils' published figures for that year: quartile {own['quartile']} (1 best)"
    out = [
        f'<p class="note"><b>Your figure</b> (computed by casetime from your records): {esc(shown)} in '
        f"{esc(own['period'])}{esc(where)}</p>",
        f'<details class="published"><summary>Published by DfE: {esc(p["published_measure"])}, '
        f"{esc(p['area']['name'])} beside {esc(p['area']['region'] or '')} and England</summary><table>",
        html_row(
            [
                "year ending 31 March",
                p["area"]["name"],
                "region",
                "England",
                "quartile (1 best)",
                "neighbours' mean (n)",
            ],
            header=True,
        ),
    ]

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f}%"

    for row in p["published"]:
        council = pct(row["council"]) if row["council"] is not None else (row["council_suppression"] or "-")
        out.append(
            html_row(
                [
                    row["year"],
                    council,
                    pct(row["region"]),
                    pct(row["england"]),
                    row["quartile"] or "-",
                    f"{pct(row['neighbours_mean'])} ({row['neighbours']})",
                ]
            )
        )
    out.append(f'</table><p class="note">{esc(p["attribution"])}</p></details>')
    return out


def _badge(rag: str | None, has_value: bool = False) -> str:
    colour = _RAG_COLOURS.get(rag, _RAG_COLOURS[None])
    text = (rag or ("no target" if has_value else "no data")).upper()
    return f'<span class="badge rag-{html.escape(rag or "none")}" style="background:{colour}">{text}</span>'


def to_html(report: Report) -> str:
    """One self-contained HTML page: per indicator a trend chart against target, RAG, YTD, data quality."""
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(report.title)}: {esc(report.period)}</title>",
        f"<style>{page_style()}</style></head><body>",
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
            f'<p><span class="big">{esc(shown)}</span>{_badge(o.rag, o.value is not None)} '
            f'<span class="note">{o.numerator} of {o.denominator} &middot; target {percent(ind.target)} '
            f"({direction}) &middot; {esc(report.period)}</span></p>"
        )
        out.append(chart(ind))
        if ind.bands:
            out.append(bands_chart(ind))
        bands = ind.bands or []
        medians = ind.overall.percentiles is not None
        head = [ind.group_by, "value", "numerator", "denominator", "RAG", *bands, *(["median"] if medians else [])]
        out.append("<table>" + html_row(head, header=True))
        for r in [*ind.rows, ind.overall] if bands else ind.rows:
            val = "-" if r.value is None else f"{r.display}%"
            extra: list[object] = [*(r.bands or [])]
            if medians:
                median = (r.percentiles or {}).get("median")
                extra.append("-" if median is None else f"{median:g}")
            out.append(html_row([r.label, val, r.numerator, r.denominator, r.rag or "-", *extra]))
        out.append("</table>")
        if medians:
            out.append(
                f'<p class="note">Median: the 50th percentile of working days elapsed, by the '
                f"{esc(ind.percentile_method or 'linear')} method (numpy's default).</p>"
            )
        out.extend(_published_table(ind))
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
