"""The report as a plain-text table for the terminal.

>>> from casetime.report.model import IndicatorSummary, Report, Row
>>> row = Row("2008/09", 59, 100, 59.0, "59.0", "red")
>>> ind = IndicatorSummary("NI59", "Initial assessments within 7 working days", "higher", 70.0,
...                        row, [Row("Apr 2008", 5, 8, 62.5, "62.5", "red")], {"still_open": 3})
>>> rep = Report("Sample", "2008/09", "sample", [ind], {"reconciliation": [], "counts_by_rule": {}})
>>> print(to_text(rep).splitlines()[2])
NI59       59.0%    59 / 100   target 70.0%  RED      Initial assessments within 7 working days
"""

from __future__ import annotations

from typing import Any

from casetime.report.model import IndicatorSummary, Report

__all__ = ["to_text", "percent", "bands_line", "published_lines"]


def percent(value: float | None) -> str:
    """A percentage as text with one decimal (``"-"`` when missing)."""
    return "-" if value is None else f"{value:.1f}%"


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def bands_line(ind: IndicatorSummary) -> str | None:
    """The whole period's band counts and percentiles in one line (``None`` for a measure without bands)."""
    o = ind.overall
    if ind.bands is None or o.bands is None:
        return None
    parts = ", ".join(f"{label} {n:,}" for label, n in zip(ind.bands, o.bands, strict=True))
    line = f"bands: {parts}"
    if o.total is not None and o.total != o.denominator:
        line += f" ({o.total - o.denominator:,} more in the total, in no band)"
    if o.percentiles is not None:
        p = o.percentiles
        line += (
            f"; median {_days(p.get('median'))} working days (25th percentile {_days(p.get('p25'))}, "
            f"75th {_days(p.get('p75'))}; {ind.percentile_method or 'linear'} method, as numpy's default)"
        )
    return line


def published_lines(published: dict[str, Any]) -> list[str]:
    """The ``--compare`` lines: your figure, then DfE's published figures year by year, kept apart."""
    own = published["own"]
    area = published["area"]
    shown = "no cases" if own["display"] is None else f"{own['display']}%"
    where = ""
    if own["quartile"] is not None:
        year = own["year"]
        where = f"; among councils' published {own['year_label']} figures: quartile {own['quartile']} (1 best)"
    lines = [f"your figure, computed from your records: {shown} in {own['period']}{where}"]
    lines.append(
        f"published by DfE ({published['published_measure']}, year ending 31 March): {area['name']} | "
        f"{area['region']} | England | quartile of {area['name']} | statistical neighbours' mean (n)"
    )

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f}"

    for row in published["published"]:
        council = pct(row["council"]) if row["council"] is not None else (row["council_suppression"] or "-")
        mean = pct(row["neighbours_mean"])
        year = row["label"]
        lines.append(
            f"  {year}  {council:>6} {pct(row['region']):>6} {pct(row['england']):>6}"
            f"  {row['quartile'] or '-'}  {mean} ({row['neighbours']})"
        )
    return lines


def to_text(report: Report) -> str:
    """A plain-text table for the terminal."""
    lines = [f"{report.title}: {report.period} (working days: {report.calendar}, convention {report.convention})"]
    if report.period_words:
        note = f" ({report.period_note})" if report.period_note else ""
        lines.append(f"period: {report.period_words}{note}")
    lines.append("")
    for ind in report.indicators:
        o = ind.overall
        rag = (o.rag or "-").upper()
        display = "-" if o.value is None else f"{o.display}%"
        lines.append(
            f"{ind.id:<8} {display:>7} {o.numerator:>5} / {o.denominator:<5} target {percent(ind.target):<6} "
            f"{rag:<8} {ind.title}"
        )
        for r in ind.rows:
            disp = "-" if r.value is None else f"{r.display}%"
            lines.append(f"  {r.label:<20} {disp:>7} {r.numerator:>5} / {r.denominator:<5} {(r.rag or '-').upper()}")
        if "schedule:" in ind.limit:
            lines.append(f"  limit: {ind.limit}, each record against the limit in force on its clock start")
        banding = bands_line(ind)
        if banding is not None:
            lines.append(f"  {banding}")
        if ind.published is not None:
            lines.extend(f"  {x}" for x in published_lines(ind.published))
        lines.extend(f"  warning: {w}" for w in ind.warnings)
        line = ind.reconciliation_line()
        left = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in ind.left_out.items() if v)
        if line is not None:
            lines.append(f"  {line}")
        elif left:
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
    lines.extend(f"warning: {w}" for w in q.get("other_warnings", []))
    if q.get("counts_by_rule"):
        lines.append("data-quality issues: " + ", ".join(f"{k}: {v}" for k, v in q["counts_by_rule"].items()))
    return "\n".join(lines).rstrip() + "\n"
