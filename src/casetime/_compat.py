"""Telling the optional libraries' objects apart without importing the libraries.

casetime never imports pandas, polars or pyarrow to find out what it was given: a value can only
be one of their objects if the library is already imported (``sys.modules``), so every test here
is a dictionary lookup when the library is absent.

>>> pandas_kind([1, 2]) is None, is_polars_series("x"), is_arrow_array(3)
(True, False, False)
"""

from __future__ import annotations

import sys
from typing import Any, Literal

import numpy as np

__all__ = [
    "PandasKind",
    "pandas_kind",
    "is_pandas_series",
    "is_pandas_frame",
    "is_polars_series",
    "is_polars_frame",
    "is_arrow_array",
    "arrow_values",
    "is_dask_collection",
    "frame_library",
    "DASK_REFUSAL",
    "as_intp",
    "take_clip",
]

PandasKind = Literal["series", "index", "frame"]


def pandas_kind(value: object) -> PandasKind | None:
    """``"series"``, ``"index"`` (an Index or an extension array) or ``"frame"`` for pandas objects, else ``None``."""
    pd = sys.modules.get("pandas")
    if pd is None:
        return None
    if isinstance(value, pd.Series):
        return "series"
    if isinstance(value, pd.DataFrame):
        return "frame"
    if isinstance(value, (pd.Index, pd.api.extensions.ExtensionArray)):
        return "index"
    return None


def is_pandas_series(value: object) -> bool:
    """Whether ``value`` is a ``pandas.Series``."""
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(value, pd.Series)


def is_pandas_frame(value: object) -> bool:
    """Whether ``value`` is a ``pandas.DataFrame``."""
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(value, pd.DataFrame)


def is_polars_series(value: object) -> bool:
    """Whether ``value`` is a ``polars.Series``."""
    pl = sys.modules.get("polars")
    return pl is not None and isinstance(value, pl.Series)


def is_polars_frame(value: object) -> bool:
    """Whether ``value`` is a ``polars.DataFrame``."""
    pl = sys.modules.get("polars")
    return pl is not None and isinstance(value, pl.DataFrame)


def is_arrow_array(value: object) -> bool:
    """Whether ``value`` is a ``pyarrow.Array`` or ``pyarrow.ChunkedArray``."""
    pa = sys.modules.get("pyarrow")
    return pa is not None and isinstance(value, (pa.Array, pa.ChunkedArray))


def arrow_values(array: Any, dtype: Any) -> tuple[Any, Any]:
    """A ``pyarrow.Array`` of fixed-width values (``dtype``: numpy's type of one value, such as ``int32``
    for indices or ``date32``) read from its buffers, no copy: the values, and which are valid (``None``
    when none is null; a null's value is whatever the buffer holds).

    pyarrow's own ``to_numpy`` (and ``pyarrow.array``) import pandas when it is installed, to see
    whether they were given pandas objects: 0.3-0.5 s and some 40 MB on the first call, in the middle
    of a read that never needed pandas. Reading the buffers does not.

    >>> import pyarrow as pa
    >>> values, valid = arrow_values(pa.array([4, None, 6], type=pa.int32()), np.int32)
    >>> values[valid].tolist(), valid.tolist()
    ([4, 6], [True, False, True])
    """
    n, start = len(array), array.offset
    validity, data = array.buffers()[:2]
    kind = np.dtype(dtype)
    if data is None or kind.itemsize * 8 != array.type.bit_width:
        raise TypeError(f"internal: a {array.type} array is not one of {kind} values")  # pragma: no cover
    values = np.frombuffer(data, dtype=kind, count=n, offset=start * kind.itemsize)
    if validity is None or array.null_count == 0:
        return values, None
    bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), count=start + n, bitorder="little")
    return values, bits[start:].view(bool)


#: Why ``load`` and ``compute`` refuse a dask collection, and what to do instead.
DASK_REFUSAL = (
    "a dask collection is work that has not run: load and compute would pull all of it to one machine (and "
    "skip the partitions that make a merge exact); use casetime.dask.compute_all(client, inputs, period, ...) "
    "with one file or folder per partition, such as a council (pip install 'casetime[dask]'; see docs/scale.md)"
)


def is_dask_collection(value: object) -> bool:
    """Whether ``value`` is a dask collection (a dask DataFrame, Series or Array): work that has not run yet."""
    if "dask" not in sys.modules:
        return False
    return callable(getattr(value, "__dask_graph__", None)) and callable(getattr(value, "compute", None))


def frame_library(value: object) -> Literal["pandas", "polars"] | None:
    """``"pandas"`` or ``"polars"`` for their DataFrames, else ``None``."""
    if is_pandas_frame(value):
        return "pandas"
    if is_polars_frame(value):
        return "polars"
    return None


# ---------------------------------------------------------------------------
# index arrays on 32-bit builds of numpy (Pyodide: intp is int32)
# ---------------------------------------------------------------------------


def as_intp(index: Any) -> Any:
    """``index`` as numpy's index type, for the functions that take index or count arrays (``np.bincount``,
    ``np.repeat``'s counts, ``ufunc.reduceat``, ``np.add.at``, ``np.take``): they refuse an ``int64`` array
    where ``intp`` is 32 bits (WebAssembly). The values must fit; on 64-bit machines this is no copy.

    >>> as_intp(np.array([1, 2], dtype=np.int64)).dtype == np.intp
    True
    """
    return np.asarray(index).astype(np.intp, copy=False)


def take_clip(table: Any, index: Any, out: Any = None) -> Any:
    """``np.take(table, index, mode="clip")`` for any integer index, even far outside the table (a missing
    day is ``int64``'s least value): clipped to the table first where ``intp`` is narrower than the index.

    >>> take_clip(np.array([10, 20, 30]), np.array([-(2**62), 1, 2**62])).tolist()
    [10, 20, 30]
    """
    index = np.asarray(index)
    if index.dtype != np.intp:
        index = np.clip(index, 0, max(np.shape(table)[0] - 1, 0)).astype(np.intp)
    return np.take(table, index, mode="clip", out=out)
