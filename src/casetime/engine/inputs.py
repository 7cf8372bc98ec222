"""What compute reads: a table of one record type, its rows with errors, and the calendar it was checked with.

Every input comes down to the same three things. An extract (:func:`casetime.load`) gives its
table, its quality report's error mask, and the calendar and 'as at' date it was validated with;
a bare :class:`~casetime.tables.Table` is taken as it is; a DataFrame or a dict of columns is read
exactly as :func:`casetime.load` reads it (the one frame path: same parsing, same validation, same
rows left out), so ``compute(df) == compute(load(df))``.

>>> from casetime.tables import Table
>>> t = Table.from_columns("ia", {"child_id": ["A"], "referral_date": ["2009-01-05"]})
>>> records_of(t, "initial_assessment").errors is None
True
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from casetime._compat import DASK_REFUSAL, is_dask_collection
from casetime.calendar import WorkingCalendar, as_calendar
from casetime.errors import CasetimeError, CasetimeTypeError
from casetime.io import has_record_type_column, is_frame
from casetime.periods import TIME_UNITS
from casetime.schema import normalise_heading, record_type_of
from casetime.tables import Table

__all__ = ["Records", "records_of", "holds", "as_table", "split_by", "is_frame_input"]


@dataclass(frozen=True, eq=False)
class Records:
    """The records an indicator is computed on: the table, the rows with errors (or ``None``) and the
    calendar and 'as at' date the rows were validated with (``None`` when not known)."""

    table: Table
    errors: npt.NDArray[np.bool_] | None
    calendar: WorkingCalendar | None = None
    as_at: _dt.date | None = None

    def calendar_for(self, calendar: object) -> WorkingCalendar:
        """The calendar to count with: ``calendar`` if given, else the one the rows were validated with
        (England and Wales when not known).

        A calendar given here may differ from the validating one in its closure days, but not in its
        coverage: the rows found in error for dates outside the coverage would not be these."""
        held = self.calendar
        cal = as_calendar(calendar, held)
        if held is not None and cal.coverage != held.coverage:
            raise CasetimeError(
                f"the records were validated with a calendar covering {held.coverage[0]}..{held.coverage[1]}, "
                f"not {cal.coverage[0]}..{cal.coverage[1]} as the one given: load them again with calendar=, "
                "or leave calendar= out to use the one they were validated with"
            )
        return cal


def is_frame_input(data: object) -> bool:
    """Whether ``data`` is a frame or a dict of columns (not a dict of tables)."""
    if not is_frame(data):
        return False
    return not (isinstance(data, Mapping) and all(isinstance(v, Table) for v in data.values()))


def _tables_of(data: Any) -> Mapping[str, Any] | None:
    """An extract's or a mapping's tables by standard record type (``{"ia": t}`` is ``initial_assessment``)."""
    tables = getattr(data, "tables", None)
    if tables is None and isinstance(data, Mapping):
        tables = data
    if not isinstance(tables, Mapping):
        return None
    return {record_type_of(str(k)): v for k, v in tables.items()}


def holds(data: Any, record_type: str) -> bool:
    """Whether ``data`` (a table, an extract or a mapping of tables; not a frame) holds ``record_type`` records."""
    if isinstance(data, Table):
        return data.record_type == record_type
    tables = _tables_of(data)
    return tables is not None and isinstance(tables.get(record_type), Table)


def records_of(data: Any, record_type: str) -> Records:
    """The records of ``record_type`` in ``data`` (see the module docstring).

    ``data`` may be a :class:`~casetime.tables.Table` (counted as it is), an extract (anything with
    ``.tables`` and optionally ``.quality`` with ``error_mask(record_type)``, ``.calendar`` and
    ``.as_at``), a mapping of record type to table (validated first, with the England and Wales
    calendar, as :func:`casetime.load` would: its rows with errors are left out), or a pandas or
    polars DataFrame or a dict of columns.
    """
    if isinstance(data, Table):
        if data.record_type != record_type:
            raise CasetimeError(f"this indicator needs {record_type} records, but the table holds {data.record_type}")
        return Records(data, None)
    if is_dask_collection(data):
        raise CasetimeTypeError(DASK_REFUSAL)
    if is_frame_input(data):
        from casetime.extract import load

        extract = load(data) if has_record_type_column(data) else load(data, record_type=record_type)
        return records_of(extract, record_type)
    tables = _tables_of(data)
    if tables is None:
        raise CasetimeTypeError(
            f"cannot read records from {type(data).__name__}: give a Table, an extract or a data frame"
        )
    table = tables.get(record_type)
    if not isinstance(table, Table):
        raise CasetimeError(f"the extract has no {record_type} records (it has: {', '.join(sorted(tables)) or 'none'})")
    quality = getattr(data, "quality", None)
    if quality is None and isinstance(data, Mapping):
        # a dict of tables has no quality report: validated here (as load would), never counted raw
        from casetime.validation import validate

        cal = as_calendar(None)
        report = validate({k: v for k, v in tables.items() if isinstance(v, Table)}, calendar=cal)
        return Records(table, report.error_mask(record_type), cal, None)
    mask = None
    if quality is not None and hasattr(quality, "error_mask"):
        mask = np.asarray(quality.error_mask(record_type), dtype=bool)
        if mask.shape != (len(table),):
            raise CasetimeError(f"the quality report's {record_type} mask has {mask.shape} rows, not {len(table)}")
    calendar = getattr(data, "calendar", None)
    as_at = getattr(data, "as_at", None)
    return Records(
        table,
        mask,
        calendar if isinstance(calendar, WorkingCalendar) else None,
        as_at if isinstance(as_at, _dt.date) else None,
    )


def _column_named(name: str, table: Table) -> str | None:
    """The extra column ``name`` means: itself, or the one heading it fits loosely (``None`` for none)."""
    if name in table.extra:
        return name
    fits = [h for h in table.extra if normalise_heading(h) == normalise_heading(name)]
    if len(fits) > 1:
        raise CasetimeError(f"cannot group by {name!r}: it fits {' and '.join(map(repr, fits))}; name one as written")
    return fits[0] if fits else None


def as_table(data: Any, record_type: str) -> tuple[Table, npt.NDArray[np.bool_] | None]:
    """The table of ``record_type`` in ``data``, and its data-quality error mask (or ``None``).

    ``data`` is anything :func:`records_of` reads.
    """
    found = records_of(data, record_type)
    return found.table, found.errors


def split_by(by: str | Sequence[str], table: Table) -> tuple[str | None, tuple[str, ...]]:
    """The time unit (or ``None``) and the extra columns of a grouping, checked against the table.

    ``by`` is one name, a list of names or names joined by commas (``"quarter,team"``, as on the
    command line). A column is found by its heading as written or, failing that, as loosely as
    headings are matched (``team`` finds ``Team``); a name that fits two columns is refused.

    >>> t = Table.from_columns("ia", {"child_id": ["A"], "referral_date": ["2009-01-05"], "Team Name": ["N"]})
    >>> split_by("quarter, team name", t)
    ('quarter', ('Team Name',))
    """
    raw = tuple(by.split(",")) if isinstance(by, str) else tuple(by)
    names = tuple(str(n).strip() for n in raw if str(n).strip())
    time = [n.lower() for n in names if n.lower() in TIME_UNITS]
    if len(time) > 1:
        raise CasetimeError(f"group by at most one of month, quarter, year (got {', '.join(time)})")
    asked = [n for n in names if n.lower() not in TIME_UNITS]
    extras = tuple(_column_named(n, table) or n for n in asked)
    if len(set(extras)) != len(extras):
        raise CasetimeError(f"a column is named twice in by={names}")
    missing = [n for n in extras if n not in table.extra]
    if missing:
        available = ", ".join(sorted(table.extra)) or "none"
        raise CasetimeError(
            f"cannot group by {', '.join(missing)}: no such column (columns to group by: month, quarter, year, "
            f"{available})"
        )
    return (time[0] if time else None), extras
