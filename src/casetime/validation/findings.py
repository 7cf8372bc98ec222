"""What a check sees of a table: its date columns as day numbers, reviews flattened, findings as ISO text.

>>> from casetime.tables import Table
>>> t = Table.from_columns("cpp", {"child_id": ["A"], "start_date": ["2009-01-05"], "end_date": ["2009-01-02"]})
>>> before(t, "end_date", "start_date").tolist(), iso(t.days("end_date")).tolist()
([True], ['2009-01-02'])
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from casetime._compat import as_intp
from casetime.dates import MISSING
from casetime.tables import Table
from casetime.validation.registry import Found

__all__ = ["before", "date_fields", "flag", "iso", "review_rows"]


def iso(days: npt.NDArray[np.int64]) -> npt.NDArray[np.object_]:
    """Day numbers as ISO text (empty for missing); each distinct date is formatted once."""
    days = np.asarray(days, dtype=np.int64)
    distinct, inverse = np.unique(days, return_inverse=True)
    text = np.datetime_as_string(distinct.view("M8[D]"), unit="D").astype(object)
    text[distinct == MISSING] = ""
    out: npt.NDArray[np.object_] = text[inverse.reshape(days.shape)]
    return out


def flag(field: str, mask: npt.NDArray[np.bool_], values: npt.NDArray[np.int64]) -> Found:
    positions = np.flatnonzero(mask).astype(np.int64)
    if positions.size:
        yield field, positions, iso(values[positions])


def before(table: Table, late: str, early: str) -> npt.NDArray[np.bool_]:
    """Rows where both dates are present and ``late`` is before ``early``."""
    a, b = table.days(late), table.days(early)
    both: npt.NDArray[np.bool_] = (a != MISSING) & (b != MISSING)
    return both & (a < b)


def review_rows(table: Table) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The plan reviews flattened: (row of each review, its day number)."""
    if table.reviews is None:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    offsets = table.reviews.offsets
    rows = np.repeat(np.arange(offsets.shape[0] - 1, dtype=np.int64), as_intp(np.diff(offsets)))
    return rows, table.reviews.values.view(np.int64)


def date_fields(table: Table) -> list[str]:
    known = list(table.schema.dates)
    return known + [name for name in table.dates if name not in known]
