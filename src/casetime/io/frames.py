"""Tables from what a notebook holds: pandas and polars DataFrames and dicts of columns (the one frame path).

Every frame goes through here and through the same assembler as files
(:mod:`casetime.io.assemble`): the same heading matching, the same date parsing (ISO or
``dd/mm/yyyy`` text, or real dates), the same issues. :func:`casetime.load` and
:func:`casetime.compute` on a frame both come here.

>>> result = tables_from_frame({"child_id": ["A"], "referral_date": ["05/01/2009"]}, "ia")
>>> result.tables["initial_assessment"].dates["referral_date"].tolist()
[datetime.date(2009, 1, 5)]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from casetime._compat import frame_library, is_pandas_series, is_polars_series
from casetime.dates import DateStyle
from casetime.errors import CasetimeError, CasetimeTypeError
from casetime.io._columns import (
    CellError,
    Column,
    Days,
    lists_from_objects,
    text_from_numpy,
    text_from_objects,
)
from casetime.io.assemble import Assembler, Chunk, ReadResult, layout_of, type_column
from casetime.quality import IssueSet
from casetime.schema import record_type_of
from casetime.tables import Table

__all__ = ["is_frame", "has_record_type_column", "table_from_frame", "tables_from_frame"]


def is_frame(value: object) -> bool:
    """Whether ``value`` is something :func:`tables_from_frame` reads: a pandas or polars DataFrame, or a mapping."""
    return frame_library(value) is not None or isinstance(value, Mapping)


def has_record_type_column(frame: Any) -> bool:
    """Whether a frame (or dict of columns) says each row's record type in a ``record_type`` column.

    >>> has_record_type_column({"Record Type": ["ia"], "child_id": ["A"]})
    True
    """
    headings = list(frame.keys()) if isinstance(frame, Mapping) else list(frame.columns)
    return type_column([str(h) for h in headings]) is not None


def _frame_kind(frame: object) -> str:
    library = frame_library(frame)
    if library is not None:
        return library
    if isinstance(frame, Mapping):
        return "mapping"
    raise CasetimeTypeError(
        f"expected a pandas or polars DataFrame or a dict of columns, not {type(frame).__name__}; "
        "for a file use read_csv or casetime.load"
    )


def _frame_values(frame: Any) -> tuple[list[object], list[Any], int]:
    kind = _frame_kind(frame)
    if kind == "pandas":
        return list(frame.columns), [frame.iloc[:, i] for i in range(frame.shape[1])], int(frame.shape[0])
    if kind == "polars":
        return list(frame.columns), [frame.to_series(i) for i in range(frame.width)], int(frame.height)
    headings = list(frame.keys())
    values = [frame[k] for k in headings]
    lengths = set()
    for heading, value in zip(headings, values, strict=True):
        if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
            raise CasetimeTypeError(f"column {heading!r} is a single value, not a column of values")
        lengths.add(len(value))
    if len(lengths) > 1:
        sizes = ", ".join(f"{h}: {len(v)}" for h, v in zip(headings, values, strict=True))
        raise CasetimeError(f"the columns have different lengths ({sizes})")
    return headings, values, lengths.pop() if lengths else 0


def _as_column(values: Any, lists: bool) -> Column:
    """One frame column in chunk form."""
    arr: npt.NDArray[Any]
    if is_pandas_series(values):
        import pandas as pd  # (already imported: it made the Series)

        dtype = values.dtype
        if isinstance(dtype, pd.DatetimeTZDtype):
            values = values.dt.tz_localize(None)
            dtype = values.dtype
        if isinstance(dtype, np.dtype) and dtype.kind == "M":
            return Days(values.to_numpy().astype("M8[D]").view(np.int64))
        if isinstance(dtype, np.dtype) and dtype.kind in "iub":
            arr = values.to_numpy()
        else:
            arr = values.to_numpy(dtype=object, na_value=None)
    elif is_polars_series(values):
        import polars as pl  # (already imported: it made the Series)

        dtype = values.dtype
        if dtype == pl.Date or isinstance(dtype, pl.Datetime):
            if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
                values = values.dt.replace_time_zone(None)
            return Days(values.cast(pl.Date).to_numpy().astype("M8[D]").view(np.int64))
        if isinstance(dtype, (pl.Categorical, pl.Enum)):
            values = values.cast(pl.String)
        if dtype.is_numeric() and values.null_count() == 0:
            arr = values.to_numpy()
        else:
            arr = np.empty(values.len(), dtype=object)
            arr[:] = values.to_list()
    elif isinstance(values, np.ndarray):
        arr = values.ravel()
    else:
        items = list(values)
        arr = np.fromiter(items, dtype=object, count=len(items))
    if arr.dtype.kind == "M":
        return Days(arr.astype("M8[D]").view(np.int64))
    if arr.dtype.kind == "O":
        if lists and any(isinstance(v, (list, tuple, np.ndarray)) or hasattr(v, "to_list") for v in arr.tolist()):
            return lists_from_objects(arr.tolist())
        return text_from_objects(arr)
    if arr.dtype.kind in "USiubf":
        return text_from_numpy(arr)
    return text_from_objects(arr.astype(object))


def tables_from_frame(
    frame: Any,
    record_type: str | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    source: str = "<dataframe>",
    dayfirst: bool = True,
    date_format: str | None = None,
) -> ReadResult:
    """Tables from a pandas or polars DataFrame or a dict of columns.

    With ``record_type`` every row is of that type; without it the frame must
    have a ``record_type`` column, and its rows are split by type (rows of an
    unknown type are returned as :class:`~casetime.quality.RejectedRows`). Rows are numbered by
    position, from 0 (not by the frame's index).

    >>> result = tables_from_frame({"record_type": ["IA", "CPP", "?"], "child_id": ["A", "A", "B"],
    ...     "referral_date": ["2009-01-05", "2009-01-05", "2009-01-06"], "start_date": [None, "2009-02-01", None]})
    >>> sorted(result.tables), len(result.rejected[0])
    (['cpp', 'initial_assessment'], 1)
    """
    headings, values, n = _frame_values(frame)
    layout = layout_of(headings, record_type, columns, source, None)
    lists_at = {plan.fields["review_dates"] for plan in layout.plans.values() if "review_dates" in plan.fields}
    cols: list[Column] = []
    for i, v in enumerate(values):
        try:
            cols.append(_as_column(v, i in lists_at))
        except CellError as exc:  # (rows are numbered by position, as in every issue of a frame)
            where = f"{source}: row {exc.row}, column {str(headings[i])!r}: {exc.problem}"
            if exc.wrong_type:
                raise CasetimeTypeError(where + " (only review_dates may hold several dates)") from None
            raise CasetimeError(where) from None
    assembler = Assembler(layout, source, DateStyle(dayfirst, date_format))
    assembler.add(Chunk(cols, np.arange(n, dtype=np.int64)))
    return assembler.finish()


def table_from_frame(
    record_type: str,
    frame: Any,
    *,
    columns: Mapping[str, str] | None = None,
    source: str = "<dataframe>",
    dayfirst: bool = True,
    date_format: str | None = None,
) -> tuple[Table, list[IssueSet]]:
    """One table from a pandas or polars DataFrame or a dict of lists or arrays.

    ``columns`` maps standard names to the frame's headings where the aliases
    do not find them. Rows keep their position (from 0) as their row number.

    >>> t, issues = table_from_frame("cpp", {"LAchildID": ["A"], "CPPstartDate": ["01/02/2009"],
    ...     "CPPreviewDate": ["2009-03-01; 2009-06-01"]})
    >>> t.dates["start_date"].tolist(), t.reviews.lists(), issues
    ([datetime.date(2009, 2, 1)], [[datetime.date(2009, 3, 1), datetime.date(2009, 6, 1)]], [])
    """
    if record_type is None:
        raise CasetimeError("table_from_frame needs a record_type; use tables_from_frame for a combined frame")
    kind = record_type_of(record_type)
    result = tables_from_frame(frame, kind, columns=columns, source=source, dayfirst=dayfirst, date_format=date_format)
    return result.tables[kind], result.issues
