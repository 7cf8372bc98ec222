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

from casetime.report.model import Report

__all__ = ["to_text", "percent"]


def percent(value: float | None) -> str:
    """A percentage as text with one decimal (``"-"`` when missing)."""
    return "-" if value is None else f"{value:.1f}%"


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
