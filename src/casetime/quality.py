"""The data-quality report: every record counted or reported, with its reason.

Issues are held columnar (an :class:`IssueSet` is one rule's findings on one
table: the positions of the rows it flagged, and the values it saw), so a
10-million-row extract with many faults stays cheap; row-level lists are made
only when asked for (:meth:`QualityReport.issue_rows`, :meth:`QualityReport.to_csv`).

Reconciliation always holds: for each record type and source,
``rows read == rows valid + rows with errors``.

>>> from casetime.tables import Table
>>> t = Table.from_columns("initial_assessment", {"child_id": ["A", "B"],
...     "referral_date": ["2009-01-05", "2009-01-06"], "completion_date": ["2009-01-14", "2009-01-02"]})
>>> q = QualityReport({"initial_assessment": t})
>>> q.add(IssueSet("initial_assessment", "8608", "completion_date", np.array([1]),
...     np.array(["2009-01-02"], dtype=object), "completion before its start"))
>>> q.counts_by_rule()
{'8608': 1}
>>> q.reconciliation()[0]["rows_valid"], q.reconciliation()[0]["rows_with_errors"]
(1, 1)
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from casetime.errors import CasetimeError
from casetime.tables import Table

__all__ = [
    "Severity",
    "IssueSet",
    "QualityReport",
    "ValidationError",
    "safe_cell",
    "ISSUE_COLUMNS",
]

Severity = Literal["error", "warning"]

#: The columns of the row-level issue list, in order.
ISSUE_COLUMNS = ("record_type", "source", "row", "child_id", "field", "value", "rule", "severity", "message")


class ValidationError(CasetimeError):
    """Raised in strict mode when an extract has errors; the message summarises the first ones."""


def safe_cell(value: object) -> str:
    """Text for a spreadsheet cell: a leading ``=``, ``+``, ``-`` or ``@`` is neutralised.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("-7"), safe_cell("ok")
    ("'=HYPERLINK(1)", "'-7", 'ok')
    """
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


@dataclass(frozen=True, eq=False)
class IssueSet:
    """One rule's findings on one table.

    ``positions`` index rows of the table (``Table.take`` order), ``values``
    are the offending values as text (one per position), ``message`` explains
    the rule in words. ``severity="error"`` excludes the row from every
    indicator; ``"warning"`` only reports it.
    """

    record_type: str
    rule: str
    field: str
    positions: npt.NDArray[np.int64]
    values: npt.NDArray[np.object_]
    message: str
    severity: Severity = "error"

    def __post_init__(self) -> None:
        object.__setattr__(self, "positions", np.asarray(self.positions, dtype=np.int64))
        values = np.asarray(self.values, dtype=object)
        if values.shape != self.positions.shape:
            raise ValueError("an IssueSet needs one value per position")
        object.__setattr__(self, "values", values)

    def __len__(self) -> int:
        return int(self.positions.shape[0])


@dataclass(eq=False)
class QualityReport:
    """Counts per rule and the row-level issues of an extract's tables."""

    tables: Mapping[str, Table]
    issue_sets: list[IssueSet] = field(default_factory=list)

    def add(self, issues: IssueSet) -> None:
        """Record one rule's findings (empty sets are ignored)."""
        if len(issues):
            self.issue_sets.append(issues)

    def __len__(self) -> int:
        return sum(len(s) for s in self.issue_sets)

    def error_mask(self, record_type: str) -> npt.NDArray[np.bool_]:
        """True for the rows of ``record_type`` that have at least one error."""
        mask = np.zeros(len(self.tables[record_type]), dtype=bool)
        for s in self.issue_sets:
            if s.record_type == record_type and s.severity == "error":
                mask[s.positions] = True
        return mask

    @property
    def has_errors(self) -> bool:
        """Whether any row has an error."""
        return any(s.severity == "error" for s in self.issue_sets)

    def counts_by_rule(self, severity: Severity | None = None) -> dict[str, int]:
        """Issues per rule code, in first-seen order."""
        out: dict[str, int] = {}
        for s in self.issue_sets:
            if severity is None or s.severity == severity:
                out[s.rule] = out.get(s.rule, 0) + len(s)
        return out

    def reconciliation(self) -> list[dict[str, Any]]:
        """Per record type and source: rows read, rows valid, rows with errors (always adding up)."""
        out = []
        for kind, table in self.tables.items():
            errors = self.error_mask(kind)
            assert table.source is not None
            codes = table.source.codes
            for code, label in enumerate(table.source.labels.tolist()):
                in_source = codes == code
                read = int(in_source.sum())
                if not read:
                    continue
                bad = int((errors & in_source).sum())
                out.append(
                    {
                        "record_type": kind,
                        "source": label,
                        "rows_read": read,
                        "rows_valid": read - bad,
                        "rows_with_errors": bad,
                    }
                )
        return out

    def issue_rows(self, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """The row-level issues (one dict per issue, keys :data:`ISSUE_COLUMNS`), in file order."""
        emitted = 0
        for s in self.issue_sets:
            table = self.tables[s.record_type]
            assert table.source is not None
            assert table.row is not None
            sources = table.source.take(s.positions).values()
            rows = table.row[s.positions]
            children = table.child.take(s.positions).values()
            for i in range(len(s)):
                if limit is not None and emitted >= limit:
                    return
                emitted += 1
                yield {
                    "record_type": s.record_type,
                    "source": sources[i],
                    "row": int(rows[i]),
                    "child_id": children[i],
                    "field": s.field,
                    "value": "" if s.values[i] is None else str(s.values[i]),
                    "rule": s.rule,
                    "severity": s.severity,
                    "message": s.message,
                }

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str | None:
        """Write the row-level issues as CSV (spreadsheet-safe cells); returns the text if no path."""
        buffer = io.StringIO() if path is None else open(path, "w", newline="", encoding="utf-8")  # noqa: SIM115
        try:
            writer = csv.writer(buffer)
            writer.writerow(ISSUE_COLUMNS)
            for item in self.issue_rows():
                writer.writerow([safe_cell(item[c]) for c in ISSUE_COLUMNS])
            return buffer.getvalue() if isinstance(buffer, io.StringIO) else None
        finally:
            buffer.close() if path is not None else None

    def summary(self, max_issues: int = 5) -> str:
        """A short human-readable summary: reconciliation, counts per rule, the first issues."""
        lines = []
        for r in self.reconciliation():
            lines.append(
                f"{r['record_type']} from {r['source']}: {r['rows_read']} rows read, "
                f"{r['rows_valid']} valid, {r['rows_with_errors']} with errors"
            )
        counts = self.counts_by_rule()
        if counts:
            lines.append("issues by rule: " + ", ".join(f"{k}: {v}" for k, v in counts.items()))
        for item in self.issue_rows(limit=max_issues):
            lines.append(
                f"  {item['source']} row {item['row']} ({item['record_type']}, child {item['child_id']}): "
                f"{item['field']}={item['value']!r}: rule {item['rule']}: {item['message']}"
            )
        return "\n".join(lines)

    def raise_if_errors(self, max_issues: int = 5) -> None:
        """Raise :class:`ValidationError` summarising the first issues when there are errors."""
        if self.has_errors:
            total = sum(len(s) for s in self.issue_sets if s.severity == "error")
            raise ValidationError(f"{total} data-quality error(s)\n" + self.summary(max_issues))
