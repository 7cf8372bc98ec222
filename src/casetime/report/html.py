"""The report as one self-contained HTML page: inline SVG charts, no scripts, no external assets.

Each indicator is a card: its figure and RAG, one chart scaled to its data with the target always
in view (time along the axis; groups as small multiples, never a line across categories; the year
to date as a line beside the monthly bars; the previous year and DfE's published figures as
reference lines), its table with RAG in colour and words, the accounting line, the columns its
records were read from and, when asked for, the late cases by month, most late first. The page
scales to the window and prints one card to a page where it fits.

>>> from casetime.report.model import IndicatorSummary, Report, Row
>>> ind = IndicatorSummary("NI59", "t", "higher", 70.0, Row("2008/09", 1, 2, 50.0, "50.0", "red"), [], {})
>>> page = to_html(Report("Sample", "2008/09", "s", [ind], {}))
>>> page.startswith("<!DOCTYPE html>"), "<script" in page
(True, False)
"""

from __future__ import annotations

import html
from typing import Any

from casetime.cells import html_row
from casetime.charts import Bar, Mark, indicator_chart, rag_badge, stacked_chart, target_mark, time_position
from casetime.periods import TIME_UNITS
from casetime.rag import RAG_COLOURS
from casetime.report.model import IndicatorSummary, Report, Row
from casetime.report.text import percent

__all__ = ["to_html", "chart", "bands_chart", "page_style", "LATE_HEADINGS"]


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;margin:24px auto;max-width:980px;color:#1d1d1d;
padding:0 12px}
h1{font-size:1.5rem;margin:0 0 4px}
.sub{color:#555;margin:0 0 20px}
.ind{border:1px solid #ddd;border-radius:8px;padding:12px 16px;margin:0 0 18px}
.ind h2{font-size:1.1rem;margin:0 0 6px}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600;font-size:.85rem}
.rag{display:inline-block;padding:0 6px;border-radius:8px;color:#fff;font-weight:600;font-size:.75rem}
.big{font-size:1.8rem;font-weight:700;margin-right:10px}
table{border-collapse:collapse;font-size:.85rem;margin-top:6px}
td,th{border-bottom:1px solid #eee;padding:3px 8px;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
.scroll{overflow-x:auto;max-width:100%}
.note{color:#555;font-size:.85rem}
.warn{color:#8a4b00;font-size:.9rem}
svg.chart{display:block;width:100%;height:auto;max-width:100%}
.multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:8px 16px}
.multiples figure{margin:0}
.multiples figcaption{font-size:.85rem;font-weight:600;color:#333}
footer{color:#555;font-size:.85rem;border-top:1px solid #ddd;padding-top:8px}
tr.overdue td:nth-last-child(3){color:#b3261e;font-weight:600}
tr.due_soon td:nth-last-child(3){color:#b86e00;font-weight:600}
@media print{body{margin:0;max-width:none}.ind{break-inside:avoid;page-break-inside:avoid}details{display:block}
details>summary{list-style:none}}
"""

#: The late cases' columns, with the headings the page and the text give them.
LATE_HEADINGS = {
    "child_id": "Child",
    "clock_start": "Clock started",
    "clock_stop": "Clock stopped",
    "due_date": "Due",
    "elapsed": "Took",
    "over_limit": "Late by",
    "source": "File",
    "row": "Row",
}


def page_style() -> str:
    """The pages' style sheet (the report's, and the lists of cases')."""
    return _CSS


def _by(ind: IndicatorSummary) -> list[str]:
    """The grouping's names (from ``group_by`` for a summary built without ``by``)."""
    return ind.by or [part.strip() for part in ind.group_by.split(" / ") if part.strip() and ind.group_by != "period"]


def _bar(row: Row, label: str | None = None) -> Bar:
    note = f"{row.display}% ({row.numerator:,} of {row.denominator:,})" if row.value is not None else "no cases"
    return Bar(row.label if label is None else label, row.value, row.rag, note)


def _marks(ind: IndicatorSummary) -> list[Mark]:
    marks = []
    if ind.target is not None:
        marks.append(target_mark(ind.target))
    prev = ind.previous
    if prev is not None and prev.value is not None:
        marks.append(Mark(prev.label, prev.value, "previous", f"{prev.label}: {prev.display}% (the year before)"))
    for name, value, year, kind in _published_marks(ind):
        marks.append(Mark(kind, value, kind, f"{name} {value:.1f}% (published by DfE, {year})"))
    return marks


def chart(ind: IndicatorSummary) -> str:
    """The indicator's chart (inline SVG, :func:`casetime.charts.indicator_chart`): bars coloured by RAG on an
    axis scaled to the data and the target, laid out by the grouping."""
    ytd = None if ind.year_to_date is None else [r.value for r in ind.year_to_date]
    return indicator_chart(
        [_bar(r) for r in ind.rows], [r.keys for r in ind.rows], _by(ind), marks=_marks(ind), year_to_date=ytd,
        label=f"{ind.id} by {ind.group_by}",
    )  # fmt: skip


def _published_marks(ind: IndicatorSummary) -> list[tuple[str, float, str, str]]:
    """England's and the region's published figure for the year the report's period lies in (none if no such year)."""
    if ind.published is None or not ind.published["published"]:
        return []
    rows = ind.published["published"]
    year = ind.published["own"]["year"]
    row = next((r for r in rows if r["year"] == year), None)
    if row is None:  # the period is in no published year: no line would be a fair comparison
        return []
    marks = [
        ("England", row["england"], row["label"], "England"),
        (row["region_name"], row["region"], row["label"], "region"),
    ]
    return [(name, float(v), label, kind) for name, v, label, kind in marks if v is not None]


def bands_chart(ind: IndicatorSummary) -> str:
    """An inline SVG: one stacked bar per row, each band's share of the row's records, with a legend."""
    stacks = [(r.label, list(r.bands or [])) for r in ind.rows]
    return stacked_chart(stacks, ind.bands or [], label=f"{ind.id} by band and {ind.group_by}")


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
    colour = RAG_COLOURS.get(rag, RAG_COLOURS[None])
    text = (rag or ("no target" if has_value else "no data")).upper()
    return f'<span class="badge rag-{html.escape(rag or "none")}" style="background:{colour}">{text}</span>'


def _rag_cell(rag: str | None) -> str:
    """A table cell with the status in colour and in words (``-`` for none)."""
    return f"<td>{rag_badge(rag)}</td>"


def _cells(values: list[object]) -> str:
    return "".join(f"<td>{html.escape(str(v))}</td>" for v in values)


_CONVENTION_WORDS = {
    "day0": "the day after the clock starts is day 1 (a same-day completion took 0 working days)",
    "inclusive": "the day the clock starts is day 1",
}


def _late_cases(ind: IndicatorSummary) -> list[str]:
    """The late cases with plain headings, grouped by the row's time (month ...), most late first in each."""
    cases = ind.late_cases or []
    esc = html.escape
    out = [f'<details class="late"><summary>Late cases: {len(cases):,} (child ids: personal data)</summary>']
    if not cases:
        return [*out, "<p class='note'>None.</p></details>"]
    own = set(LATE_HEADINGS) | {"elapsed_unit"}
    extras = [k for k in cases[0] if k not in own]
    by = _by(ind)
    where = time_position(by)
    time = (
        by[where] if where is not None and by[where] in extras else next((k for k in extras if k in TIME_UNITS), None)
    )
    shown = [k for k in extras if k != time]
    head = ["Child", *shown, "Clock started", "Clock stopped", "Due", "Took", "Late by", "File", "Row"]
    groups: dict[str, list[dict[str, Any]]] = {}
    for case in cases:
        groups.setdefault(str(case.get(time, "")) if time else "", []).append(case)
    for name, members in groups.items():
        members = sorted(members, key=lambda c: -(c.get("over_limit") or 0))
        if time:
            out.append(f"<details><summary>{esc(name)}: {len(members):,} late</summary>")
        out.append('<div class="scroll"><table>' + html_row(head, header=True))
        for case in members:
            unit = case.get("elapsed_unit") or "working days"
            took = "-" if case.get("elapsed") is None else f"{case['elapsed']} {unit}"
            late = "-" if case.get("over_limit") is None else f"{case['over_limit']} {unit}"
            dates = [case.get("clock_start"), case.get("clock_stop"), case.get("due_date")]
            values = [case.get("child_id"), *(case.get(k) for k in shown), *dates, took, late]
            source = str(case.get("source") or "")
            values += [
                source.replace("\\", "/").rsplit("/", 1)[-1],
                case.get("row"),
            ]  # (the file's name: its folder is above)
            out.append(html_row(["" if v is None else v for v in values]))
        out.append("</table></div>")
        if time:
            out.append("</details>")
    out.append("</details>")
    return out


def _columns_used(ind: IndicatorSummary) -> list[str]:
    parts = []
    for item in ind.columns_used:
        fields = ", ".join(f"{k} from '{v}'" for k, v in item["fields"].items())
        parts.append(f"{item['source']}: {fields}")
    return [f'<p class="note">Columns used: {html.escape("; ".join(parts))}</p>'] if parts else []


def to_html(report: Report) -> str:
    """One self-contained HTML page: per indicator a chart against target, RAG, YTD, data quality."""
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
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
        ytd = ""
        if ind.year_to_date and len(ind.year_to_date) > 1:
            last = ind.year_to_date[-1]
            ytd = f" &middot; year to date {esc(last.display)}% to {esc(ind.rows[-1].label)}"
        before = ""
        if ind.previous is not None:
            before = f" &middot; {esc(ind.previous.label)}: {esc(ind.previous.display)}%"
        out.append(
            f'<p><span class="big">{esc(shown)}</span>{_badge(o.rag, o.value is not None)} '
            f'<span class="note">{o.numerator:,} of {o.denominator:,} &middot; target {percent(ind.target)} '
            f"({direction}) &middot; {esc(report.period)}{ytd}{before}</span></p>"
        )
        out.append(chart(ind))
        if ind.bands:
            out.append(bands_chart(ind))
        bands = ind.bands or []
        medians = ind.overall.percentiles is not None
        running = ind.year_to_date if ind.year_to_date and len(ind.year_to_date) == len(ind.rows) else None
        head = [ind.group_by, "value", "numerator", "denominator", "RAG", *(["year to date"] if running else []),
                *bands, *(["median"] if medians else [])]  # fmt: skip
        out.append('<div class="scroll"><table>' + html_row(head, header=True))
        shown_rows = [*ind.rows, ind.overall] if bands else ind.rows
        for i, r in enumerate(shown_rows):
            val = "-" if r.value is None else f"{r.display}%"
            extra: list[object] = [*(r.bands or [])]
            if medians:
                median = (r.percentiles or {}).get("median")
                extra.append("-" if median is None else f"{median:g}")
            cells = _cells([r.label, val, r.numerator, r.denominator]) + _rag_cell(r.rag)
            if running:
                ytd_row = running[i] if i < len(running) else None
                cells += _cells(["-" if ytd_row is None or ytd_row.value is None else f"{ytd_row.display}%"])
            out.append(f"<tr>{cells}{_cells(extra)}</tr>")
        out.append("</table></div>")
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
            out.append(f'<p class="note reconciliation">{esc(line)}</p>')
        elif left:
            out.append(f'<p class="note">Left out: {left}</p>')
        out.extend(_columns_used(ind))
        if ind.late_cases is not None:
            out.extend(_late_cases(ind))
        out.append("</section>")
    out.extend(_quality(report))
    out.extend(_footer(report))
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _quality(report: Report) -> list[str]:
    esc = html.escape
    q = report.quality
    out = ['<section class="ind" id="data-quality"><h2>Data quality</h2><div class="scroll"><table>']
    out.append(html_row(["records", "source", "read", "valid", "with errors"], header=True))
    for rec in q.get("reconciliation", []):
        out.append(
            html_row([rec["record_type"], rec["source"], rec["rows_read"], rec["rows_valid"], rec["rows_with_errors"]])
        )
    out.append("</table></div>")
    for warning in q.get("other_warnings", []):
        out.append(f'<p class="warn">Warning: {esc(warning)}</p>')
    counts = q.get("counts_by_rule") or {}
    words = q.get("rule_descriptions") or {}
    if counts:
        out.append(
            '<div class="scroll"><table class="rules">' + html_row(["rule", "what it checks", "issues"], header=True)
        )
        for code, n in counts.items():
            out.append(html_row([code, words.get(code, ""), n]))
        out.append("</table></div>")
        out.append('<p class="note">Issues by rule: ' + ", ".join(f"{esc(k)}: {v}" for k, v in counts.items()) + "</p>")
    else:
        out.append('<p class="note">No data-quality issues found.</p>')
    used = q.get("columns_used") or []
    if used:
        out.append('<h3>Columns used</h3><div class="scroll"><table>')
        out.append(html_row(["source", "records", "field <- heading (found by)", "not used"], header=True))
        for item in used:
            fields = ", ".join(f"{k} <- {v} ({item['how'].get(k, '?')})" for k, v in item["fields"].items())
            out.append(html_row([item["source"], item["record_type"], fields, ", ".join(item["unused"])]))
        out.append("</table></div>")
    out.append("</section>")
    return out


def _footer(report: Report) -> list[str]:
    esc = html.escape
    convention = _CONVENTION_WORDS.get(report.convention, report.convention)
    limits = "; ".join(f"{ind.id}: {ind.limit}" for ind in report.indicators if ind.limit)
    return [
        f"<footer><p>Working days: {esc(report.calendar)} (weekends, bank holidays and any closure days are not "
        f"counted); counted so that {esc(convention)}.</p>"
        + (f"<p>Limits: {esc(limits)}.</p>" if limits else "")
        + f"<p>Made by casetime on {esc(report.generated)} from {esc(report.source)}.</p></footer>"
    ]
