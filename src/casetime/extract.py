"""One call from files or frames to validated tables: :func:`load` and :class:`Extract`.

:func:`load` reads every input (CSV files, directories of them, pandas or
polars DataFrames, dicts of columns, or ready-made tables), validates the
tables with :func:`casetime.validation.validate` and returns an
:class:`Extract`: the tables by record type and one data-quality report
holding the loader's findings (unparseable dates, malformed rows, rows of an
unknown record type) and the validation rules' findings.

Reconciliation always holds, per record type and source: rows read = rows
valid + rows with errors. Rows of a combined file whose record type is unknown
belong to no table; they are counted under the record type ``"unknown"``,
all of them with errors.

>>> ex = load({"child_id": ["A", "B", "C"], "referral_date": ["05/01/2009", "06/01/2009", "31/02/2009"],
...            "completion_date": ["14/01/2009", "02/01/2009", None]}, record_type="ia")
>>> ex
Extract(initial_assessment: 3 rows, 1 valid, 2 with errors)
>>> ex.quality.counts_by_rule()
{'unparseable_date': 1, '8608': 1}
>>> ex.valid("ia").child.values().tolist()
['A']
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from casetime.calendar import WorkingCalendar
from casetime.errors import CasetimeError
from casetime.io import ReadResult, RejectedRows, _combine, read_path, tables_from_frame
from casetime.quality import QualityReport, Severity
from casetime.schema import RECORD_TYPES, record_type_of
from casetime.tables import Table

__all__ = ["Extract", "ExtractQuality", "UNKNOWN_TYPE", "load"]

#: The record type under which rows of an unknown type are counted.
UNKNOWN_TYPE = "unknown"


@dataclass(eq=False)
class ExtractQuality(QualityReport):
    """A :class:`~casetime.quality.QualityReport` that also counts rows belonging to no table.

    ``rejected`` holds the rows of a combined input whose record type could
    not be told. They appear in :meth:`reconciliation` (record type
    ``"unknown"``, every row with an error), in :meth:`counts_by_rule`, in the
    row-level issues and in the CSV export.
    """

    rejected: list[RejectedRows] = field(default_factory=list)

    def __len__(self) -> int:
        return super().__len__() + sum(len(r) for r in self.rejected)

    @property
    def has_errors(self) -> bool:
        """Whether any row has an error (rejected rows are errors)."""
        return super().has_errors or any(len(r) for r in self.rejected)

    def counts_by_rule(self, severity: Severity | None = None) -> dict[str, int]:
        """Issues per rule code, the rejected rows included (they are errors)."""
        out = super().counts_by_rule(severity)
        if severity in (None, "error"):
            for r in self.rejected:
                if len(r):
                    out[r.rule] = out.get(r.rule, 0) + len(r)
        return out

    def reconciliation(self) -> list[dict[str, Any]]:
        """Rows read, valid and with errors per record type and source, the rejected rows included."""
        out = super().reconciliation()
        by_source: dict[str, int] = {}
        for r in self.rejected:
            by_source[r.source] = by_source.get(r.source, 0) + len(r)
        for source, count in by_source.items():
            if count:
                out.append(
                    {
                        "record_type": UNKNOWN_TYPE,
                        "source": source,
                        "rows_read": count,
                        "rows_valid": 0,
                        "rows_with_errors": count,
                    }
                )
        return out

    def issue_rows(self, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """The row-level issues: the rejected rows first, then every rule's findings."""
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
        yield from super().issue_rows(None if limit is None else limit - emitted)

    def raise_if_errors(self, max_issues: int = 5) -> None:
        """Raise :class:`~casetime.quality.ValidationError` summarising the first issues when there are errors."""
        if self.has_errors:
            from casetime.quality import ValidationError

            total = sum(len(s) for s in self.issue_sets if s.severity == "error")
            total += sum(len(r) for r in self.rejected)
            raise ValidationError(f"{total} data-quality error(s)\n" + self.summary(max_issues))


@dataclass(eq=False)
class Extract:
    """Tables by record type and their data-quality report.

    ``extract["ia"]`` (any name :func:`~casetime.schema.record_type_of`
    knows) is the whole table; :meth:`valid` keeps only the rows without
    errors, the ones every indicator counts.
    """

    tables: dict[str, Table]
    quality: QualityReport

    @property
    def record_types(self) -> tuple[str, ...]:
        """The record types present, in the standard order."""
        return tuple(k for k in RECORD_TYPES if k in self.tables)

    def _kind(self, record_type: str) -> str:
        kind = record_type_of(record_type)
        if kind not in self.tables:
            raise CasetimeError(f"the extract has no {kind} records (it has: {', '.join(self.record_types) or 'none'})")
        return kind

    def __getitem__(self, record_type: str) -> Table:
        return self.tables[self._kind(record_type)]

    def __contains__(self, record_type: object) -> bool:
        try:
            return isinstance(record_type, str) and record_type_of(record_type) in self.tables
        except CasetimeError:
            return False

    def valid(self, record_type: str) -> Table:
        """The rows of ``record_type`` with no error (warnings do not exclude a row)."""
        kind = self._kind(record_type)
        return self.tables[kind].take(~self.quality.error_mask(kind))

    def reconciliation(self) -> list[dict[str, Any]]:
        """Rows read = rows valid + rows with errors, per record type and source."""
        return self.quality.reconciliation()

    def __repr__(self) -> str:
        parts = []
        for kind in self.record_types:
            n = len(self.tables[kind])
            bad = int(self.quality.error_mask(kind).sum())
            parts.append(f"{kind}: {n:,} rows, {n - bad:,} valid, {bad:,} with errors")
        rejected = sum(len(r) for r in getattr(self.quality, "rejected", []))
        if rejected:
            parts.append(f"{rejected:,} rows of unknown record type")
        return f"Extract({'; '.join(parts) or 'no records'})"


def _is_frame(value: object) -> bool:
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(value, pd.DataFrame):
        return True
    pl = sys.modules.get("polars")
    if pl is not None and isinstance(value, pl.DataFrame):
        return True
    return isinstance(value, Mapping)


def load(
    *inputs: Any,
    record_type: str | None = None,
    columns: Mapping[str, str] | None = None,
    dayfirst: bool = True,
    calendar: WorkingCalendar | None = None,
    as_at: object = None,
    strict: bool = False,
    engine: str = "auto",
    progress: Callable[[int], object] | None = None,
) -> Extract:
    """Read, check and validate case records in one call.

    Parameters
    ----------
    inputs:
        CSV files or directories of them (see :func:`casetime.io.read_path`),
        pandas or polars DataFrames or dicts of columns (see
        :func:`casetime.io.tables_from_frame`: they need ``record_type`` unless
        they have a ``record_type`` column), or :class:`~casetime.tables.Table` objects.
        Tables of the same record type from several inputs are joined.
    record_type:
        The record type of every input (when they are all of one type).
    columns:
        Standard column name -> the input's heading, where the aliases miss.
    dayfirst:
        Slash dates are ``dd/mm/yyyy`` (default, as in English exports) or, if
        ``False``, ``mm/dd/yyyy``.
    calendar, as_at:
        Passed to :func:`casetime.validation.validate` (coverage and "as at" checks).
    strict:
        Raise :class:`~casetime.quality.ValidationError` if any row has an error.
    engine, progress:
        Passed to the CSV reader (``"auto"``, ``"python"`` or ``"pyarrow"``;
        a callable given the rows read so far).
    """
    from casetime.validation import validate

    if not inputs:
        raise CasetimeError("load() needs at least one input: a CSV file, a directory, a DataFrame or a Table")
    results: list[ReadResult] = []
    frames = 0
    for item in inputs:
        if isinstance(item, Table):
            if record_type is not None and record_type_of(record_type) != item.record_type:
                raise CasetimeError(f"record_type={record_type!r} but a Table of {item.record_type} records was given")
            results.append(ReadResult({item.record_type: item}, [], []))
        elif isinstance(item, (str, os.PathLike)):
            results.append(
                read_path(
                    item,
                    record_type,
                    columns=columns,
                    dayfirst=dayfirst,
                    engine=engine,
                    progress=progress,
                )
            )
        elif _is_frame(item):
            frames += 1
            label = "<dataframe>" if frames == 1 and sum(map(_is_frame, inputs)) == 1 else f"<dataframe {frames}>"
            results.append(tables_from_frame(item, record_type, columns=columns, source=label, dayfirst=dayfirst))
        else:
            raise CasetimeError(
                f"cannot load a {type(item).__name__}: expected a path, a DataFrame, a dict of columns or a Table"
            )
    combined = results[0] if len(results) == 1 else _combine(results)
    report = ExtractQuality(dict(combined.tables), list(combined.issues), list(combined.rejected))
    validate(combined.tables, calendar=calendar, as_at=as_at, into=report)
    extract = Extract(dict(report.tables), report)
    if strict:
        report.raise_if_errors()
    return extract
