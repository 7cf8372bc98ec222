"""Lists of cases for people to act on: open work that is overdue or due soon (``casetime open``).

The cases come from :func:`casetime.engine.open_cases` (one :class:`~casetime.results.CaseTable`
per indicator); this module only presents them, with plain headings, the team (every extra column
of the extract) and how late each one is, most late first. These lists hold child ids: they are
written only when asked for.

>>> import numpy as np
>>> from casetime.results import CaseTable
>>> cases = CaseTable({
...     "source": np.array(["ia.csv"], object), "row": np.array([2]), "child_id": np.array(["C1"], object),
...     "team": np.array(["North"], object), "clock_start": np.array(["2009-03-02"], "M8[D]"),
...     "clock_stop": np.array(["NaT"], "M8[D]"), "elapsed": np.array([21.0]),
...     "elapsed_unit": np.array(["working days"], object), "due_date": np.array(["2009-03-11"], "M8[D]"),
...     "working_days_to_due": np.array([-14.0]), "status": np.array(["overdue"], object)})
>>> print(to_open_text([OpenWork("NI59", "Initial assessments within 7 working days", cases)], "2009-03-31", 0))
Open work at 2009-03-31: overdue
<BLANKLINE>
NI59: Initial assessments within 7 working days: 1 overdue
Child  team   Started     Due         How late                   File    Row
C1     North  2009-03-02  2009-03-11  14 working days overdue    ia.csv    2
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from casetime.cells import csv_text, fixed_width, html_row
from casetime.errors import CasetimeError
from casetime.report.html import page_style

__all__ = ["OpenWork", "to_open_text", "to_open_csv", "to_open_json", "to_open_html", "render_open_work"]

#: The columns of a case table that are the case's own (the rest are the extract's extra columns: team ...).
_OWN = (
    "source", "row", "child_id", "clock_start", "clock_stop", "elapsed", "elapsed_unit", "due_date",
    "working_days_to_due", "status",
)  # fmt: skip


@dataclass(frozen=True)
class OpenWork:
    """One indicator's open cases: its id, its heading and the cases (:func:`casetime.engine.open_cases`)."""

    id: str
    title: str
    cases: Any

    def extras(self) -> list[str]:
        """The extract's own columns carried on the cases (the team ...), in order."""
        return [n for n in self.cases.names if n not in _OWN]

    def counts(self) -> tuple[int, int]:
        """Overdue and due-soon cases."""
        status = list(self.cases["status"]) if len(self.cases) else []
        return status.count("overdue"), status.count("due_soon")


def _how_late(to_due: Any) -> str:
    if to_due is None:
        return "-"
    days = int(to_due)
    if days < 0:
        return f"{-days} working day{'' if days == -1 else 's'} overdue"
    if days == 0:
        return "due today"
    return f"due in {days} working day{'' if days == 1 else 's'}"


def _rows(work: OpenWork) -> tuple[list[str], list[list[str]]]:
    extras = work.extras()
    head = ["Child", *extras, "Started", "Due", "How late", "File", "Row"]
    rows = []
    for rec in work.cases.records():
        rows.append(
            [
                str(rec["child_id"]),
                *("" if rec[n] is None else str(rec[n]) for n in extras),
                "" if rec["clock_start"] is None else rec["clock_start"].isoformat(),
                "" if rec["due_date"] is None else rec["due_date"].isoformat(),
                _how_late(rec["working_days_to_due"]),
                str(rec["source"]),
                str(rec["row"]),
            ]
        )
    return head, rows


def _scope(due_within: int) -> str:
    return "overdue" if not due_within else f"overdue or due within {due_within} working day(s)"


def _counts_words(work: OpenWork, due_within: int) -> str:
    overdue, soon = work.counts()
    return f"{overdue} overdue" + (f", {soon} due within {due_within} working day(s)" if due_within else "")


def to_open_text(works: Sequence[OpenWork], as_at: object, due_within: int) -> str:
    """The open work as aligned text, one block per indicator."""
    lines = [f"Open work at {as_at}: {_scope(due_within)}"]
    for work in works:
        lines += ["", f"{work.id}: {work.title}: {_counts_words(work, due_within)}"]
        head, rows = _rows(work)
        if rows:
            lines += fixed_width(head, rows, right={"Row"})
    return "\n".join(lines) + "\n"


def to_open_csv(works: Sequence[OpenWork]) -> str:
    """One row per case (spreadsheet-safe cells): indicator, child, the extra columns, the dates, the working
    days late (overdue) or left (due soon), status, source and row."""
    extras: list[str] = []
    for work in works:
        extras += [n for n in work.extras() if n not in extras]
    head = [
        "indicator", "child_id", *extras, "clock_start", "due_date", "working_days_late", "working_days_left",
        "status", "source", "row",
    ]  # fmt: skip
    rows = []
    for work in works:
        for rec in work.cases.to_dict()["rows"]:
            to_due = rec["working_days_to_due"]
            late = None if to_due is None or to_due >= 0 else -to_due  # (no negative numbers: safe cells)
            left = None if to_due is None or to_due < 0 else to_due
            rows.append(
                [
                    work.id,
                    rec["child_id"],
                    *(rec.get(n) for n in extras),
                    rec["clock_start"],
                    rec["due_date"],
                    late,
                    left,
                    rec["status"],
                    rec["source"],
                    rec["row"],
                ]
            )
    return csv_text(head, rows)


def to_open_json(works: Sequence[OpenWork], as_at: object, due_within: int) -> str:
    """``{"as_at", "due_within", "indicators": [{"id", "title", "overdue", "due_soon", "cases"}]}``."""
    data = {
        "as_at": str(as_at),
        "due_within": due_within,
        "indicators": [
            {
                "id": work.id,
                "title": work.title,
                "overdue": work.counts()[0],
                "due_soon": work.counts()[1],
                "cases": work.cases.to_dict()["rows"],
            }
            for work in works
        ],
    }
    return json.dumps(data, indent=2) + "\n"


def to_open_html(
    works: Sequence[OpenWork], as_at: object, due_within: int, *, title: str = "Open work", calendar: str = ""
) -> str:
    """One self-contained page: per indicator a table of its cases, overdue in red and due soon in amber."""
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}: {esc(str(as_at))}</title>",
        f"<style>{page_style()}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="sub">Open at {esc(str(as_at))}: {esc(_scope(due_within))}'
        + (f" &middot; working days {esc(calendar)}" if calendar else "")
        + " &middot; holds child ids (personal data)</p>",
    ]
    for work in works:
        head, rows = _rows(work)
        out.append(f'<section class="ind" id="{esc(work.id)}"><h2>{esc(work.id)}: {esc(work.title)}</h2>')
        out.append(f'<p class="note">{esc(_counts_words(work, due_within))}</p>')
        if rows:
            statuses = [str(s) for s in work.cases["status"]]
            out.append('<table class="cases">' + html_row(head, header=True))
            for status, row in zip(statuses, rows, strict=True):
                out.append(html_row(row).replace("<tr>", f'<tr class="{esc(status)}">', 1))
            out.append("</table>")
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def render_open_work(
    tables: Sequence[Any],
    indicators: Sequence[Any],
    fmt: str,
    *,
    as_at: object,
    due_within: int = 0,
    title: str | None = None,
    calendar: str = "",
) -> str:
    """The open work of ``indicators`` (their case tables, in the same order) in ``fmt``: table, csv, json, html."""
    works = [OpenWork(ind.id, ind.heading, table) for ind, table in zip(indicators, tables, strict=True)]
    if fmt == "table":
        return to_open_text(works, as_at, due_within)
    if fmt == "csv":
        return to_open_csv(works)
    if fmt == "json":
        return to_open_json(works, as_at, due_within)
    if fmt == "html":
        return to_open_html(works, as_at, due_within, title=title or "Open work", calendar=calendar)
    raise CasetimeError(f"unknown format {fmt!r} for open work; choose table, csv, json or html")
