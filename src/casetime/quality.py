"""The data-quality report: every record counted or reported, with its reason.

Issues are held columnar (an :class:`IssueSet` is one rule's findings on one
table: the positions of the rows it flagged, and the values it saw), so a
10-million-row extract with many faults stays cheap; row-level lists are made
only when asked for (:meth:`QualityReport.issue_rows`, :meth:`QualityReport.to_csv`).
Rows of a combined input whose record type could not be told belong to no table;
they are :class:`RejectedRows`, counted under the record type ``"unknown"``.

Reconciliation always holds: for each record type and source,
``rows read == rows valid + rows with errors``. :meth:`QualityReport.counts` gives the
reconciliation and the counts by rule as :class:`QualityCounts`, which add up exactly
across the parts of an extract (files, councils, partitions).

A :class:`Rule` is what a finding refers to: its code, the record types it applies to,
what it checks and where it comes from, the message for each field, and (for the rules
:func:`casetime.validation.validate` runs) the check itself.

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

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from html import escape as html_escape
from typing import Any, Final, Literal, get_args

import numpy as np
import numpy.typing as npt

from casetime._compat import as_intp
from casetime.cells import Text, csv_text, html_table, write_csv
from casetime.errors import CasetimeError
from casetime.schema import RECORD_TYPES, RecordType
from casetime.tables import Table

__all__ = [
    "Severity",
    "SEVERITIES",
    "Rule",
    "IssueSet",
    "RejectedRows",
    "QualityReport",
    "QualityCounts",
    "ValidationError",
    "ISSUE_COLUMNS",
    "UNKNOWN_TYPE",
    "ColumnsUsed",
    "Notice",
    "NOTICE_CODES",
]

Severity = Literal["error", "warning"]
#: The severities a finding can have.
SEVERITIES: Final[tuple[Severity, ...]] = get_args(Severity)

#: The columns of the row-level issue list, in order.
ISSUE_COLUMNS: Final = ("record_type", "source", "row", "child_id", "field", "value", "rule", "severity", "message")

#: The record type under which rows of an unknown type are counted.
UNKNOWN_TYPE: Final = "unknown"


#: The file-level warnings a load can give (:class:`Notice`).
NOTICE_CODES: Final = ("no_clock_stop", "ambiguous_heading", "unreadable_file", "ambiguous_separator")


@dataclass(frozen=True)
class ColumnsUsed:
    """Which heading of one source fed each field of one record type, how, and the headings not used.

    ``fields`` maps standard name -> heading, ``how`` says how it was found (``"mapping"``,
    ``"name"``, ``"alias"`` or ``"words"``); ``unused`` headings are kept as extra columns (a
    ``team`` to group by).

    >>> ColumnsUsed("ia.csv", "initial_assessment", {"completion_date": "IA Completed Date"},
    ...             {"completion_date": "words"}, ("Team",)).describe()
    "ia.csv (initial_assessment): completion_date <- 'IA Completed Date' (words); not used: 'Team'"
    """

    source: str
    record_type: str
    fields: Mapping[str, str]
    how: Mapping[str, str]
    unused: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line: each field and its heading, then the headings not used."""
        used = ", ".join(f"{k} <- {v!r} ({self.how.get(k, '?')})" for k, v in self.fields.items())
        rest = f"; not used: {', '.join(map(repr, self.unused))}" if self.unused else ""
        return f"{self.source} ({self.record_type}): {used}{rest}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "source": self.source,
            "record_type": self.record_type,
            "fields": dict(self.fields),
            "how": dict(self.how),
            "unused": list(self.unused),
        }


@dataclass(frozen=True)
class Notice:
    """A warning about a whole source, not a row: a clock-stop column not found, an ambiguous heading.

    ``code`` is one of :data:`NOTICE_CODES`. Reports print the notices of a record type next to its
    indicators; ``casetime report --strict`` fails on any.
    """

    source: str
    record_type: str
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready dict."""
        return {"source": self.source, "record_type": self.record_type, "code": self.code, "message": self.message}


class ValidationError(CasetimeError):
    """Raised in strict mode when an extract has errors; the message summarises the first ones."""


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One data-quality rule: what it checks, where it comes from, how its findings read, and the check.

    ``messages`` holds a message per field the rule flags (``"*"``: any field); a message may name
    ``{field}``, ``{title}`` (the record type in words) and whatever else the check's context
    supplies (see :meth:`message`). ``source`` says where the rule comes from, with the DfE
    specification year for the census rules. ``check`` is ``None`` for the rules found while
    reading (an unreadable date, a malformed row), which the readers apply.

    >>> rule = Rule(code="X1", record_types=("cpp",), description="plans need a start",
    ...             messages={"start_date": "{field} is missing"}, source="an example")
    >>> rule.message("start_date"), rule.describe()
    ('start_date is missing', 'X1 (cpp): plans need a start')
    """

    code: str
    record_types: tuple[RecordType, ...]
    description: str
    messages: Mapping[str, str]
    source: str
    check: Callable[..., Iterable[tuple[str, npt.NDArray[np.int64], npt.NDArray[np.object_]]]] | None = field(
        default=None, repr=False, compare=False
    )
    #: whether the check reads the exact duplicates (so they are looked for before it runs)
    needs_duplicates: bool = False
    #: the severity of its findings unless :func:`~casetime.validation.validate` is told otherwise
    severity: Severity = "error"

    def __post_init__(self) -> None:
        unknown = [k for k in self.record_types if k not in RECORD_TYPES]
        if not self.code or unknown or not self.record_types:
            raise CasetimeError(f"rule {self.code!r}: record types must be some of {', '.join(RECORD_TYPES)}")
        if not self.messages:
            raise CasetimeError(f"rule {self.code}: needs a message for each field it flags (or '*')")

    def message(self, field: str, **context: object) -> str:
        """The message for a finding on ``field``, with ``{field}`` and the ``context`` names filled in."""
        template = self.messages.get(field, self.messages.get("*"))
        if template is None:
            raise CasetimeError(f"rule {self.code} has no message for field {field!r}")
        return template.format(field=field, **context)

    def describe(self) -> str:
        """One line: the code, the record types it applies to, and what it checks."""
        kinds = "all record types" if set(self.record_types) == set(RECORD_TYPES) else ", ".join(self.record_types)
        return f"{self.code} ({kinds}): {self.description}"


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
            raise CasetimeError("an IssueSet needs one value per position")
        object.__setattr__(self, "values", values)

    def __len__(self) -> int:
        return int(self.positions.shape[0])


@dataclass(frozen=True, eq=False)
class RejectedRows:
    """Rows of one source that belong to no table (their record type could not be told).

    ``rows`` are their row numbers in the source, ``values`` the record type
    text each one had. They are reported and counted (record type ``"unknown"``,
    every row with an error), never silently dropped.
    """

    source: str
    rows: npt.NDArray[np.int64]
    values: npt.NDArray[np.object_]
    rule: str
    message: str

    def __len__(self) -> int:
        return int(self.rows.shape[0])


@dataclass(frozen=True)
class QualityCounts:
    """The reconciliation and the counts by rule of a report, as plain numbers that add up exactly.

    ``reconciliation`` maps ``(record_type, source)`` to ``(rows read, rows valid, rows with
    errors)``; ``by_rule`` maps ``(rule, severity)`` to the number of findings. Adding the counts
    of the parts of an extract (disjoint sources, or whole children per part) gives the counts
    of the whole.

    >>> a = QualityCounts({("cpp", "a.csv"): (3, 2, 1)}, {("8925", "error"): 1})
    >>> b = QualityCounts({("cpp", "b.csv"): (2, 2, 0)}, {})
    >>> (a + b).rows_read, (a + b).by_rule
    (5, {('8925', 'error'): 1})
    """

    reconciliation: Mapping[tuple[str, str], tuple[int, int, int]]
    by_rule: Mapping[tuple[str, str], int]

    @property
    def rows_read(self) -> int:
        """Every row read, in every record type and source."""
        return sum(read for read, _, _ in self.reconciliation.values())

    def __add__(self, other: object) -> QualityCounts:
        if not isinstance(other, QualityCounts):
            return NotImplemented
        rec = dict(self.reconciliation)
        for key, (read, valid, bad) in other.reconciliation.items():
            r0, v0, b0 = rec.get(key, (0, 0, 0))
            rec[key] = (r0 + read, v0 + valid, b0 + bad)
        rules = dict(self.by_rule)
        for key, count in other.by_rule.items():
            rules[key] = rules.get(key, 0) + count
        return QualityCounts(rec, rules)

    def __radd__(self, other: object) -> QualityCounts:
        if other == 0:  # sum() starts from 0
            return self
        return NotImplemented

    def rows(self) -> list[dict[str, Any]]:
        """The reconciliation as rows (as :meth:`QualityReport.reconciliation` gives them)."""
        return [
            {"record_type": kind, "source": source, "rows_read": r, "rows_valid": v, "rows_with_errors": b}
            for (kind, source), (r, v, b) in self.reconciliation.items()
        ]


@dataclass(eq=False)
class QualityReport:
    """Counts per rule and the row-level issues of an extract's tables, and the rows that belong to none."""

    tables: Mapping[str, Table]
    issue_sets: list[IssueSet] = field(default_factory=list)
    rejected: list[RejectedRows] = field(default_factory=list)
    #: which heading fed which field, per source and record type (what the readers found)
    columns: list[ColumnsUsed] = field(default_factory=list)
    #: warnings about whole sources (see :class:`Notice`)
    notices: list[Notice] = field(default_factory=list)

    def add(self, issues: IssueSet) -> None:
        """Record one rule's findings (empty sets are ignored)."""
        if len(issues):
            self.issue_sets.append(issues)

    def __len__(self) -> int:
        return sum(len(s) for s in self.issue_sets) + sum(len(r) for r in self.rejected)

    def error_mask(self, record_type: str) -> npt.NDArray[np.bool_]:
        """True for the rows of ``record_type`` that have at least one error."""
        mask = np.zeros(len(self.tables[record_type]), dtype=bool)
        for s in self.issue_sets:
            if s.record_type == record_type and s.severity == "error":
                mask[s.positions] = True
        return mask

    @property
    def has_errors(self) -> bool:
        """Whether any row has an error (rejected rows are errors)."""
        return any(s.severity == "error" for s in self.issue_sets) or any(len(r) for r in self.rejected)

    def counts_by_rule(self, severity: Severity | None = None) -> dict[str, int]:
        """Issues per rule code, in first-seen order; rejected rows are errors, counted last."""
        out: dict[str, int] = {}
        for s in self.issue_sets:
            if severity is None or s.severity == severity:
                out[s.rule] = out.get(s.rule, 0) + len(s)
        if severity in (None, "error"):
            for r in self.rejected:
                if len(r):
                    out[r.rule] = out.get(r.rule, 0) + len(r)
        return out

    def reconciliation(self) -> list[dict[str, Any]]:
        """Per record type and source: rows read, rows valid, rows with errors (always adding up)."""
        return self.counts().rows()

    def counts(self) -> QualityCounts:
        """The reconciliation and the counts by rule and severity, ready to add up across parts."""
        rec: dict[tuple[str, str], tuple[int, int, int]] = {}
        for kind, table in self.tables.items():
            errors = self.error_mask(kind)
            assert table.source is not None
            codes = table.source.codes
            read_by = np.bincount(as_intp(codes), minlength=len(table.source.labels))
            bad_by = np.bincount(as_intp(codes[errors]), minlength=len(table.source.labels))
            for code, label in enumerate(table.source.labels.tolist()):
                read = int(read_by[code])
                if read:
                    bad = int(bad_by[code])
                    rec[(kind, label)] = (read, read - bad, bad)
        for r in self.rejected:
            if len(r):
                r0, _, b0 = rec.get((UNKNOWN_TYPE, r.source), (0, 0, 0))
                rec[(UNKNOWN_TYPE, r.source)] = (r0 + len(r), 0, b0 + len(r))
        rules: dict[tuple[str, str], int] = {}
        for s in self.issue_sets:
            rules[(s.rule, s.severity)] = rules.get((s.rule, s.severity), 0) + len(s)
        for r in self.rejected:
            if len(r):
                rules[(r.rule, "error")] = rules.get((r.rule, "error"), 0) + len(r)
        return QualityCounts(rec, rules)

    def issue_rows(self, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """The row-level issues (one dict per issue, keys :data:`ISSUE_COLUMNS`): rejected rows, then findings."""
        emitted = 0
        for r in self.rejected:
            for row, value in zip(r.rows.tolist(), r.values.tolist(), strict=True):
                if limit is not None and emitted >= limit:
                    return
                emitted += 1
                yield {
                    "record_type": UNKNOWN_TYPE,
                    "source": r.source,
                    "row": int(row),
                    "child_id": None,
                    "field": "record_type",
                    "value": "" if value is None else str(value),
                    "rule": r.rule,
                    "severity": "error",
                    "message": r.message,
                }
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
        rows = ([item[c] for c in ISSUE_COLUMNS] for item in self.issue_rows())
        if path is None:
            return csv_text(ISSUE_COLUMNS, rows)
        write_csv(path, ISSUE_COLUMNS, rows)
        return None

    def to_dict(self, max_issues: int | None = 10, *, show_ids: bool = False) -> dict[str, Any]:
        """The quality report as JSON-ready data: counts, reconciliation, counts by rule (with each rule's
        message), columns used, warnings, and the first ``max_issues`` issues (``None``: every one).

        Child ids (and the value of a ``child_id`` field) are left out unless ``show_ids=True``.
        """
        counts = self.counts()
        messages: dict[str, str] = {}
        for s in self.issue_sets:
            messages.setdefault(s.rule, s.message)
        for r in self.rejected:
            messages.setdefault(r.rule, r.message)
        issues = []
        for item in self.issue_rows(limit=max_issues):
            if not show_ids:
                item = {k: v for k, v in item.items() if k != "child_id"}
                if item["field"] == "child_id":
                    item["value"] = None
            issues.append(item)
        return {
            "rows_read": counts.rows_read,
            "has_errors": self.has_errors,
            "reconciliation": counts.rows(),
            "counts_by_rule": [
                {"rule": rule, "severity": severity, "count": n, "message": messages.get(rule, "")}
                for (rule, severity), n in counts.by_rule.items()
            ],
            "columns_used": [c.to_dict() for c in self.columns],
            "notices": [n.to_dict() for n in self.notices],
            "issues": issues,
            "issues_not_shown": len(self) - len(issues),
        }

    def __repr__(self) -> str:
        counts = self.counts_by_rule()
        rules = ", ".join(f"{k}: {v}" for k, v in list(counts.items())[:6]) + (", ..." if len(counts) > 6 else "")
        return (
            f"<QualityReport: {sum(len(t) for t in self.tables.values()):,} rows in {len(self.tables)} table(s), "
            f"{len(self):,} issue(s){f' ({rules})' if counts else ''}>"
        )

    def _repr_html_(self) -> str:
        counts = self.counts()
        messages: dict[str, str] = {}
        for s in self.issue_sets:
            messages.setdefault(s.rule, s.message)
        for r in self.rejected:
            messages.setdefault(r.rule, r.message)
        parts = [
            html_table(
                ["records", "source", "read", "valid", "with errors"],
                [
                    [
                        r["record_type"],
                        r["source"],
                        f"{r['rows_read']:,}",
                        f"{r['rows_valid']:,}",
                        f"{r['rows_with_errors']:,}",
                    ]
                    for r in counts.rows()
                ],
                caption=[f"Data quality: {counts.rows_read:,} rows read, {len(self):,} issue(s)"],
                attributes=" class='casetime-quality'",
                caption_attributes=" style='text-align:left'",
            )
        ]
        if counts.by_rule:
            parts.append(
                html_table(
                    ["rule", "severity", "issues", "what it means"],
                    [
                        [rule, severity, f"{n:,}", messages.get(rule, "")]
                        for (rule, severity), n in counts.by_rule.items()
                    ],
                    attributes=" class='casetime-quality'",
                )
            )
        parts += [f"<p>warning: {html_escape(n.message)}</p>" for n in self.notices]
        return "".join(parts)

    def summary(self, max_issues: int = 5, *, show_ids: bool = False, show_columns: bool = True) -> Text:
        """A short human-readable summary: columns used, warnings, reconciliation, counts per rule, the
        first issues.

        The issue lines name the file, row, field and value, not the child: ``show_ids=True`` adds
        the child ids (and shows a ``child_id`` field's value), ``show_columns=False`` leaves out the
        columns used and the warnings (as the error of :meth:`raise_if_errors` does).
        """
        lines = [f"columns used: {c.describe()}" for c in self.columns] if show_columns else []
        lines += [f"warning: {n.message}" for n in self.notices] if show_columns else []
        for r in self.reconciliation():
            lines.append(
                f"{r['record_type']} from {r['source']}: {r['rows_read']} rows read, "
                f"{r['rows_valid']} valid, {r['rows_with_errors']} with errors"
            )
        counts = self.counts_by_rule()
        if counts:
            lines.append("issues by rule: " + ", ".join(f"{k}: {v}" for k, v in counts.items()))
        headings = {(c.source, c.record_type): c.fields for c in self.columns}
        shown = 0
        for item in self.issue_rows(limit=max_issues):
            shown += 1
            whose = f", child {item['child_id']}" if show_ids else ""
            # the heading (or the census element) the field was read from, where it is not the field's name
            heading = headings.get((item["source"], item["record_type"]), {}).get(item["field"])
            field = item["field"] if heading in (None, item["field"]) else f"{item['field']} ({heading})"
            unit = "line" if str(item["source"]).lower().endswith(".xml") else "row"  # (a census: its lines)
            value = "(not shown)" if item["field"] == "child_id" and not show_ids else repr(item["value"])
            lines.append(
                f"  {item['source']} {unit} {item['row']} ({item['record_type']}{whose}): "
                f"{field}={value}: rule {item['rule']}: {item['message']}"
            )
        hidden = len(self) - shown
        if hidden > 0:
            lines.append(
                f"  ... and {hidden:,} more issue(s) not shown: to_csv() lists every one "
                "(casetime validate PATH -o issues.csv, or --max-issues N)"
            )
        return Text("\n".join(lines))

    def raise_if_errors(self, max_issues: int = 5) -> None:
        """Raise :class:`ValidationError` summarising the first issues when there are errors.

        The message names file, row, record type, field and value, never the child (an error may
        end up in a log).
        """
        if self.has_errors:
            total = sum(len(s) for s in self.issue_sets if s.severity == "error")
            total += sum(len(r) for r in self.rejected)
            raise ValidationError(
                f"{total} data-quality error(s)\n" + self.summary(max_issues, show_ids=False, show_columns=False)
            )
