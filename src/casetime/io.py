"""Building tables from what users hold: DataFrames, dicts of columns and CSV files.

Every row is accounted for. A row whose date cannot be read keeps its place in
the table with that date missing, and an :class:`~casetime.quality.IssueSet`
(rule ``"unparseable_date"``) names the field and the original text; a CSV row
with the wrong number of fields is kept, padded or cut, with rule
``"malformed_row"``; a row of a combined file whose record type is unknown
belongs to no table and is returned as :class:`RejectedRows` (rule
``"unknown_record_type"``). Rows with every cell empty are not records and are
skipped (their row numbers are still counted).

Column headings are matched with :func:`casetime.schema.resolve_columns`
(standard names, DfE census names, spreadsheet headings, any case or spacing,
or an explicit ``columns={standard: heading}`` mapping); columns that match
nothing are kept as :class:`~casetime.tables.Labels` in ``table.extra``.

Dates: ``datetime`` columns are taken as they are; text is parsed vectorised by
:func:`casetime.dates.parse_date_strings`: ISO ``YYYY-MM-DD`` and slash dates,
day first (``dd/mm/yyyy``, the default) or month first (``dayfirst=False``),
with any time of day ignored.

>>> table, issues = table_from_frame("ia", {"Child ID": ["A", "B"], "Date of referral": ["05/01/2009", "31/02/2009"],
...     "Team": ["North", "South"]})
>>> table.dates["referral_date"].tolist(), table.extra["Team"].labels.tolist()
([datetime.date(2009, 1, 5), None], ['North', 'South'])
>>> issues[0].rule, issues[0].field, issues[0].positions.tolist(), issues[0].values.tolist()
('unparseable_date', 'referral_date', [1], ['31/02/2009'])
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import functools
import gc
import io as _io
import os
import queue
import sys
import threading
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Final, NamedTuple, TypeVar

import numpy as np
import numpy.typing as npt

from casetime._background import Background
from casetime.dates import MISSING, parse_date_strings
from casetime.errors import CasetimeError
from casetime.quality import IssueSet
from casetime.schema import RECORD_TYPES, SCHEMAS, ColumnError, normalise_heading, record_type_of, resolve_columns
from casetime.tables import Labels, Ragged, Table

__all__ = [
    "ReadResult",
    "RejectedRows",
    "read_csv",
    "read_path",
    "table_from_frame",
    "tables_from_frame",
]

_T = TypeVar("_T")
_I64 = npt.NDArray[np.int64]
_I32 = npt.NDArray[np.int32]
_Codes = npt.NDArray[np.int32] | npt.NDArray[np.int64]
_Bool = npt.NDArray[np.bool_]
_Obj = npt.NDArray[np.object_]
_Str = npt.NDArray[np.str_]

_SAMPLE_BYTES: Final = 1 << 16
_ENGINES: Final = ("auto", "python", "pyarrow")
_TYPE_HEADING: Final = "recordtype"

_UNPARSEABLE: Final = "unparseable_date"
_MALFORMED: Final = "malformed_row"
_UNKNOWN_TYPE: Final = "unknown_record_type"


@dataclass(frozen=True, eq=False)
class RejectedRows:
    """Rows of one source that belong to no table (their record type could not be told).

    ``rows`` are their row numbers in the source, ``values`` the record type
    text each one had. They are reported and counted (see
    :meth:`casetime.extract.Extract.reconciliation`), never silently dropped.
    """

    source: str
    rows: _I64
    values: _Obj
    rule: str = _UNKNOWN_TYPE
    message: str = (
        "the record_type is not a known record type (" + ", ".join(RECORD_TYPES) + "); the row is in no table"
    )

    def __len__(self) -> int:
        return int(self.rows.shape[0])


class ReadResult(NamedTuple):
    """What a reader returns: tables by record type, the row-level issues, the rejected rows."""

    tables: dict[str, Table]
    issues: list[IssueSet]
    rejected: list[RejectedRows]


# ---------------------------------------------------------------------------
# columns of one chunk, in three forms
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Text:
    """A text column: row ``i`` holds ``uniq[codes[i]]``; ``missing`` marks None/NaN entries of ``uniq``."""

    codes: _I64
    uniq: _Str
    missing: _Bool

    @functools.cached_property
    def stripped(self) -> _Str:
        out: _Str = np.strings.strip(self.uniq)
        return out

    @functools.cached_property
    def blank_uniq(self) -> _Bool:
        out: _Bool = self.missing | (np.strings.str_len(self.stripped) == 0)
        return out


@dataclass(frozen=True, eq=False)
class _Days:
    """A column of dates already typed as dates (day numbers)."""

    days: _I64


@dataclass(frozen=True, eq=False)
class _Lists:
    """A list-valued column (plan reviews): row ``i`` holds ``pieces`` rows ``offsets[i]:offsets[i + 1]``."""

    offsets: _I64
    pieces: _Text


@dataclass(frozen=True, eq=False)
class _ArrowText:
    """A text column of one pyarrow batch (a string array without nulls), dictionary-encoded only when needed.

    ``offsets`` and ``data`` are its UTF-8 bytes (row ``i`` is ``data[offsets[i]:offsets[i + 1]]``),
    read from the arrow buffers without a copy.
    """

    array: Any
    offsets: _I64
    data: npt.NDArray[np.uint8]

    @classmethod
    def of(cls, array: Any) -> _ArrowText:
        n = len(array)
        buffers = array.buffers()
        if n == 0 or buffers[1] is None:
            return cls(array, np.zeros(n + 1, dtype=np.int64), np.empty(0, dtype=np.uint8))
        wide = array.type.id == _large_string_id()
        kind = np.int64 if wide else np.int32
        raw = np.frombuffer(buffers[1], dtype=kind, count=n + 1, offset=array.offset * (8 if wide else 4))
        offsets: _I64 = raw.astype(np.int64)
        data = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None else np.empty(0, np.uint8)
        data = data[offsets[0] : offsets[-1]]
        offsets -= offsets[0]
        return cls(array, offsets, data)

    @functools.cached_property
    def text(self) -> _Text:
        return _arrow_text(self.array)

    @functools.cached_property
    def label_part(self) -> _LabelPart:
        return _arrow_label_part(self)

    @functools.cached_property
    def edges(self) -> tuple[_I64, _Bool, _Bool]:
        """Byte length of each cell, and whether its first / last byte may be (part of) white space."""
        lengths = np.diff(self.offsets)
        full = lengths > 0
        if not self.data.size:
            return lengths, full, full
        last = self.data.shape[0] - 1
        first = _UNSAFE_BYTE[self.data[np.minimum(self.offsets[:-1], last)]] & full
        end = _UNSAFE_BYTE[self.data[np.maximum(self.offsets[1:] - 1, 0)]] & full
        return lengths, first, end


@functools.cache
def _large_string_id() -> int:
    import pyarrow as pa

    return int(pa.large_string().id)


# bytes that may start or end text which strip() would change: ASCII white space (as str.isspace
# counts it, \x1c-\x1f included) and any byte of a non-ASCII character
_UNSAFE_BYTE: Final = np.array([chr(b).isspace() or b >= 128 for b in range(256)], dtype=bool)

_Column = _Text | _Days | _Lists | _ArrowText


def _length(col: _Column) -> int:
    if isinstance(col, _Text):
        return int(col.codes.shape[0])
    if isinstance(col, _Days):
        return int(col.days.shape[0])
    return int(col.offsets.shape[0] - 1)  # _Lists and _ArrowText


def _ragged_index(offsets: _I64, index: _I64) -> tuple[_I64, _I64]:
    """New offsets and flat positions of the rows ``index`` of a ragged column."""
    lengths = (offsets[1:] - offsets[:-1])[index]
    new = np.zeros(index.shape[0] + 1, dtype=np.int64)
    np.cumsum(lengths, out=new[1:])
    flat = np.repeat(offsets[:-1][index] - new[:-1], lengths) + np.arange(new[-1], dtype=np.int64)
    return new, flat


def _take(col: _Column, index: _I64) -> _Column:
    if isinstance(col, _ArrowText):
        return _ArrowText.of(col.array.take(index))
    if isinstance(col, _Text):
        return _Text(col.codes[index], col.uniq, col.missing)
    if isinstance(col, _Days):
        return _Days(col.days[index])
    offsets, flat = _ragged_index(col.offsets, index)
    return _Lists(offsets, _Text(col.pieces.codes[flat], col.pieces.uniq, col.pieces.missing))


def _blank(col: _Column) -> _Bool:
    """Rows where the cell is empty."""
    if isinstance(col, _Text):
        out: _Bool = col.blank_uniq[col.codes]
        return out
    if isinstance(col, _Days):
        empty: _Bool = col.days == MISSING
        return empty
    if isinstance(col, _ArrowText):
        return _blank(col.text)
    none: _Bool = col.offsets[1:] == col.offsets[:-1]
    return none


def _blank_rows(cols: Sequence[_Column], n: int) -> _I64:
    """The rows whose every cell is empty, narrowing the candidates column by column."""
    rows = np.arange(n, dtype=np.int64)
    for col in cols:
        if not rows.size:
            break
        if isinstance(col, _ArrowText):
            empty = col.offsets[rows + 1] == col.offsets[rows]
            if col.data.size:  # a cell that starts with white space may be blank: ask its stripped text
                start = col.data[np.minimum(col.offsets[rows], col.data.shape[0] - 1)]
                unsure = np.flatnonzero(~empty & _UNSAFE_BYTE[start])
                if unsure.size:
                    empty[unsure] = col.text.blank_uniq[col.text.codes[rows[unsure]]]
        else:
            empty = _blank(col)[rows]
        rows = rows[empty]
    return rows


def _text_array(values: Sequence[str]) -> _Str:
    return np.array(values, dtype=str) if len(values) else np.empty(0, dtype="<U1")


class _NulError(Exception):
    """A value holds a NUL character: the input is not a text file."""


def _text_from_strs(values: Sequence[str]) -> _Text:
    """Encode Python strings (a CSV column) by hashing: no sort, no Python-level loop."""
    uniq = list(dict.fromkeys(values))
    if len(uniq) == len(values):
        codes = np.arange(len(values), dtype=np.int64)
    else:
        position = dict(zip(uniq, range(len(uniq)), strict=True))
        codes = np.fromiter(map(position.__getitem__, values), dtype=np.int64, count=len(values))
    if "\x00" in "".join(uniq):
        raise _NulError
    return _Text(codes, _text_array(uniq), np.zeros(len(uniq), dtype=bool))


def _scalar_text(value: object) -> tuple[str, bool]:
    """The text of one frame cell and whether it is missing."""
    if value is None or type(value).__name__ in ("NaTType", "NAType"):
        return "", True
    if isinstance(value, (float, np.floating)):
        if value != value:
            return "", True
        if float(value).is_integer() and abs(float(value)) < 2**53:
            return str(int(value)), False
        return str(value), False
    if isinstance(value, np.datetime64) and np.isnat(value):
        return "", True
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace"), False
    if isinstance(value, np.str_):
        return str(value), False
    return str(value), False


def _text_from_objects(values: _Obj) -> _Text:
    """Encode an object column (a frame's strings, dates, numbers or None) by hashing."""
    items: Sequence[Any] = values.tolist()
    try:
        uniq = list(dict.fromkeys(items))
    except TypeError:  # unhashable cells (lists in a column that is not the reviews)
        items = [_scalar_text(v)[0] if not isinstance(v, (list, tuple, np.ndarray)) else repr(v) for v in items]
        uniq = list(dict.fromkeys(items))
    position = dict(zip(uniq, range(len(uniq)), strict=True))
    codes = np.fromiter(map(position.__getitem__, items), dtype=np.int64, count=len(items))
    pairs = [_scalar_text(v) for v in uniq]
    texts = [t for t, _ in pairs]
    if "\x00" in "".join(texts):
        raise CasetimeError("a value holds a NUL character; text columns cannot hold one")
    return _Text(codes, _text_array(texts), np.array([m for _, m in pairs], dtype=bool))


def _text_from_numpy(arr: npt.NDArray[Any]) -> _Text:
    """Encode a numpy text or number column (sorting is cheap here: these come from frames)."""
    if arr.dtype.kind == "S":
        arr = np.strings.decode(arr, "utf-8", errors="replace")
    uniq, inverse = np.unique(arr, return_inverse=True)
    if arr.dtype.kind == "U":
        return _Text(inverse.astype(np.int64).ravel(), uniq, np.zeros(uniq.shape[0], dtype=bool))
    pairs = [_scalar_text(v) for v in uniq.tolist()]
    texts = _text_array([t for t, _ in pairs])
    return _Text(inverse.astype(np.int64).ravel(), texts, np.array([m for _, m in pairs], dtype=bool))


def _days_to_text(col: _Days) -> _Text:
    uniq, inverse = np.unique(col.days, return_inverse=True)
    text = np.datetime_as_string(uniq.view("M8[D]"), unit="D")
    missing = uniq == MISSING
    text[missing] = ""
    return _Text(inverse.astype(np.int64).ravel(), text.astype(str), missing)


def _lists_from_objects(values: Sequence[Any]) -> _Lists:
    """A list-valued column (each cell a list of dates, or ``None``)."""
    lengths = np.zeros(len(values) + 1, dtype=np.int64)
    flat: list[Any] = []
    for i, cell in enumerate(values):  # cells are Python lists: one pass to flatten them
        if cell is None or (isinstance(cell, float) and cell != cell):
            continue
        if isinstance(cell, str):
            items: list[Any] = cell.split(";")
        elif isinstance(cell, (list, tuple, np.ndarray)) or hasattr(cell, "to_list"):
            items = list(cell)
        else:
            items = [cell]
        flat.extend(items)
        lengths[i + 1] = len(items)
    pieces = np.empty(len(flat), dtype=object)
    pieces[:] = flat
    return _Lists(np.cumsum(lengths), _text_from_objects(pieces))


# ---------------------------------------------------------------------------
# turning columns into table parts
# ---------------------------------------------------------------------------


def _compact(text: _Str) -> npt.NDArray[Any]:
    """Plain ASCII text as bytes: a quarter of the memory, and it sorts the same, faster."""
    if text.size and text.dtype.itemsize and int(text.view(np.uint32).max()) < 128:
        return text.astype(f"S{text.dtype.itemsize // 4}")
    return text


@dataclass(frozen=True, eq=False)
class _Keys:
    """One chunk's labels as 8-byte keys: the ASCII text zero-padded to 8 bytes, read big-endian (0 = blank).

    Keys sort as their texts do, so sorting the integers sorts the labels. Row ``i`` has key
    ``uniq[inverse[i]]``; ``uniq`` is sorted.
    """

    uniq: npt.NDArray[np.uint64]
    inverse: _I32

    @classmethod
    def of(cls, keys: npt.NDArray[np.uint64]) -> _Keys:
        uniq, inverse = np.unique(keys, return_inverse=True)
        return cls(uniq, inverse.ravel().astype(np.int32))


_LabelPart = tuple[_Codes, npt.NDArray[Any]] | _Keys
_KEY_BYTES: Final = 8


def _key_part(col: _Column) -> _LabelPart:
    """A label column's part: :class:`_Keys` for the pyarrow reader's short ASCII ids, else :func:`_label_part`."""
    return col.label_part if isinstance(col, _ArrowText) else _label_part(col)


def _arrow_label_part(col: _ArrowText) -> _LabelPart:
    """:class:`_Keys` when every cell is short plain ASCII that strip() leaves alone; else :func:`_label_part`."""
    lengths, first, last = col.edges
    n = lengths.shape[0]
    if n == 0 or int(lengths.max()) > _KEY_BYTES or first.any() or last.any():
        return _label_part(col)
    # no cell starts or ends with white space or a non-ASCII byte; any inside one?
    if col.data.size and int(col.data.max()) >= 128:
        return _label_part(col)
    grid = np.zeros((n, _KEY_BYTES), dtype=np.uint8)
    width = int(lengths[0])
    if width and bool((lengths == width).all()):
        grid[:, :width] = col.data.reshape(n, width)
    elif col.data.size:
        target = np.repeat(np.arange(0, n * _KEY_BYTES, _KEY_BYTES, dtype=np.int64) - col.offsets[:-1], lengths)
        target += np.arange(col.data.shape[0], dtype=np.int64)
        grid.reshape(-1)[target] = col.data
    return _Keys.of(grid.view(">u8").ravel().astype(np.uint64))


def _label_part(col: _Column) -> tuple[_Codes, npt.NDArray[Any]]:
    """This chunk's codes (blank or missing = -1) into its distinct stripped texts (sorted later, once).

    The codes are ``int32`` (a chunk holds far fewer than 2**31 distinct texts): they wait in memory
    until the end of the file.
    """
    if isinstance(col, _ArrowText):
        col = col.text
    if isinstance(col, _Days):
        col = _days_to_text(col)
    if isinstance(col, _Lists):
        raise CasetimeError("a list-valued column can only hold plan review dates")
    present = ~col.blank_uniq
    if present.all():
        return col.codes.astype(np.int32), _compact(col.stripped)
    remap = np.cumsum(present, dtype=np.int32) - 1
    remap[~present] = -1
    return remap[col.codes], _compact(col.stripped[present])


_STR_BLOCK: Final = 1 << 16  # labels turned into strings at a time (so the temporaries stay small)


def _strs(texts: npt.NDArray[Any]) -> _Obj:
    """Sorted distinct texts (``S`` of plain ASCII, or ``U``) as an object array of Python strings.

    ASCII bytes are decoded in one piece per block and split at NULs (which no label holds): much
    faster than converting through a ``U`` array.
    """
    out = np.empty(texts.shape[0], dtype=object)
    if texts.dtype.kind != "S" or texts.shape[0] == 0 or texts.dtype.itemsize == 0:
        out[:] = texts.astype(str).tolist()
        return out
    width = texts.dtype.itemsize
    for lo in range(0, texts.shape[0], _STR_BLOCK):
        block = np.ascontiguousarray(texts[lo : lo + _STR_BLOCK])
        k = block.shape[0]
        grid = np.zeros((k, width + 1), dtype=np.uint8)
        grid[:, :width] = block.view(np.uint8).reshape(k, width)
        keep = grid != 0
        keep[:, width] = True  # one NUL after each text
        pieces = grid[keep].tobytes().decode("ascii").split("\x00")
        pieces.pop()
        out[lo : lo + k] = pieces
    return out


def _unique_inverse(values: npt.NDArray[Any]) -> tuple[npt.NDArray[Any], _I64]:
    """``numpy.unique(values, return_inverse=True)`` for a 1-d array, by one (unstable) argsort.

    With numpy 2.4, ``numpy.unique`` with ``return_inverse`` takes about three times as long on
    ten million 64-bit keys; the order among equal values does not matter for the inverse.
    """
    if values.size == 0:
        return values.copy(), np.empty(0, dtype=np.int64)
    order = np.argsort(values)
    ordered = values[order]
    starts = np.empty(ordered.size, dtype=bool)
    starts[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    inverse = np.empty(values.size, dtype=np.int64)
    inverse[order] = np.cumsum(starts, dtype=np.int64) - 1
    return ordered[starts], inverse


def _unique(every: npt.NDArray[Any]) -> tuple[npt.NDArray[Any], _I64]:
    """``numpy.unique(every, return_inverse=True)``; short byte strings are sorted as 8-byte integers."""
    if every.dtype.kind == "S" and 0 < every.dtype.itemsize <= _KEY_BYTES and every.size:
        keys = np.ascontiguousarray(every.astype(f"S{_KEY_BYTES}")).view(">u8").astype(np.uint64)
        uniq_keys, inverse = _unique_inverse(keys)
        uniq = uniq_keys.astype(">u8").view(f"S{_KEY_BYTES}").astype(every.dtype)
        return uniq, inverse
    uniq, inverse = np.unique(every, return_inverse=True)
    return uniq, inverse.ravel().astype(np.int64, copy=False)


def _keys_as_part(part: _Keys) -> tuple[_Codes, npt.NDArray[Any]]:
    texts = part.uniq.astype(">u8").view(f"S{_KEY_BYTES}")
    if part.uniq.size and part.uniq[0] == 0:  # the blank key
        return part.inverse - 1, texts[1:]
    return part.inverse, texts


_SPLIT_KEYS: Final = 1 << 17  # from this many distinct chunk keys on (~130,000), two threads share the sort


def _merge_keys(parts: list[_LabelPart]) -> Labels:
    """:func:`_merge_labels` when every part is :class:`_Keys`: sort the chunks' distinct keys (never the rows).

    The chunks' sorted keys laid end to end are runs that numpy sorts fast. Many keys are cut at
    about their median and the two halves sorted on two threads at once (numpy sorts without the
    GIL). The ids become Python strings only when the labels are first read (:meth:`Labels.deferred`).
    """
    chunks = [p for p in parts if isinstance(p, _Keys)]
    parts.clear()
    every = [p.uniq for p in chunks]
    if sum(u.shape[0] for u in every) >= _SPLIT_KEYS:
        sample = np.concatenate([u[:: max(u.shape[0] // 64, 1)] for u in every])
        # the blank key (0) is the smallest: it always falls in the lower half
        pivot = max(np.partition(sample, sample.shape[0] // 2)[sample.shape[0] // 2], np.uint64(1))
        cuts = [int(np.searchsorted(u, pivot)) for u in every]
    else:
        cuts = [u.shape[0] for u in every]

    def half(upper: bool) -> tuple[npt.NDArray[np.uint64], _I64]:
        pieces = [u[c:] if upper else u[:c] for u, c in zip(every, cuts, strict=True)]
        return _unique_inverse(np.concatenate(pieces) if pieces else np.empty(0, np.uint64))

    split = any(c < u.shape[0] for u, c in zip(every, cuts, strict=True))
    upper = Background(lambda: half(True), "casetime-merge-keys") if split else None
    low_uniq, low_inverse = half(False)
    high_uniq, high_inverse = upper.result() if upper is not None else half(True)
    if low_uniq.size and low_uniq[0] == 0:  # blank ids: code -1
        low_inverse -= 1
        low_uniq = low_uniq[1:]
    high_inverse += low_uniq.shape[0]  # the upper half's codes follow the lower half's
    codes = np.empty(sum(p.inverse.shape[0] for p in chunks), dtype=np.int64)
    at = lo = hi = 0
    for part, cut in zip(chunks, cuts, strict=True):
        size, count = part.inverse.shape[0], part.uniq.shape[0]
        remap = np.concatenate((low_inverse[lo : lo + cut], high_inverse[hi : hi + count - cut]))
        np.take(remap, part.inverse, out=codes[at : at + size])
        lo, hi, at = lo + cut, hi + count - cut, at + size
    chunks.clear()
    uniq = np.concatenate((low_uniq, high_uniq)).astype(">u8").view(f"S{_KEY_BYTES}")
    # millions of ids as Python strings cost more than all of the above: made when first read
    return Labels.deferred(codes, functools.partial(_strs, uniq))


def _merge_labels(parts: list[_LabelPart]) -> Labels:
    """One :class:`Labels` from chunk parts: sorted distinct labels that some row uses, codes remapped."""
    if not parts:
        return Labels(np.empty(0, dtype=np.int64), np.empty(0, dtype=object))
    if all(isinstance(p, _Keys) for p in parts):
        return _merge_keys(parts)
    tuples = [_keys_as_part(p) if isinstance(p, _Keys) else p for p in parts]
    parts.clear()
    keys = [texts for _, texts in tuples]
    if any(k.dtype.kind == "U" for k in keys):
        keys = [k.astype(str) if k.dtype.kind == "S" else k for k in keys]
    every = np.concatenate(keys)
    del keys
    uniq, inverse = _unique(every)
    del every
    out = np.empty(sum(codes.shape[0] for codes, _ in tuples), dtype=np.int64)
    at = start = 0
    while tuples:
        codes, texts = tuples.pop(0)
        remap = inverse[start : start + texts.shape[0]]
        start += texts.shape[0]
        chunk = out[at : at + codes.shape[0]]
        if remap.size:
            np.take(remap, codes, out=chunk, mode="clip")
            chunk[codes < 0] = -1
        else:
            chunk[:] = -1
        at += codes.shape[0]
    used = np.zeros(uniq.shape[0] + 1, dtype=bool)
    used[out] = True  # -1 marks the spare last slot
    used = used[:-1]
    if not used.all():
        renumber = np.cumsum(used, dtype=np.int64) - 1
        out = np.where(out >= 0, renumber[out], -1)
        uniq = uniq[used]
    return Labels(out, _strs(uniq))


def _date_part(col: _Column, slash: str) -> tuple[_I64, _I64, _Obj]:
    """Day numbers, and the positions and original text of unparseable dates."""
    if isinstance(col, _ArrowText):
        col = col.text
    if isinstance(col, _Days):
        return col.days, np.empty(0, dtype=np.int64), np.empty(0, dtype=object)
    if isinstance(col, _Lists):
        raise CasetimeError("a list-valued column can only hold plan review dates")
    source = np.where(col.missing, "", col.uniq) if col.missing.any() else col.uniq
    days_u, bad_u = parse_date_strings(source, slash=slash)
    days = days_u[col.codes]
    bad = np.flatnonzero(bad_u[col.codes]).astype(np.int64)
    return days, bad, col.uniq[col.codes[bad]].astype(object)


def _ragged_part(col: _Column, slash: str) -> tuple[_I64, _I64, _I64, _Obj]:
    """Plan reviews: (row lengths, day numbers, positions of rows with bad dates, their text)."""
    n = _length(col)
    if isinstance(col, _ArrowText):
        col = col.text
    if isinstance(col, _Days):
        present = col.days != MISSING
        return present.astype(np.int64), col.days[present], np.empty(0, dtype=np.int64), np.empty(0, dtype=object)
    if isinstance(col, _Lists):
        days, bad, _ = _date_part(col.pieces, slash)
        piece_row = np.repeat(np.arange(n, dtype=np.int64), np.diff(col.offsets))
        keep = days != MISSING
        lengths = np.bincount(piece_row[keep], minlength=n).astype(np.int64)
        bad_rows = np.unique(piece_row[bad])
        texts = col.pieces.uniq[col.pieces.codes].astype(object)
        values = np.array(
            [";".join(texts[col.offsets[r] : col.offsets[r + 1]].tolist()) for r in bad_rows.tolist()], dtype=object
        )
        return lengths, days[keep], bad_rows.astype(np.int64), values
    # ";"-separated text: split each distinct text once, then gather per row
    source = np.where(col.missing, "", col.uniq) if col.missing.any() else col.uniq
    counts = (np.strings.count(source, ";") + 1).astype(np.int64)
    pieces = _text_array(";".join(source.tolist()).split(";"))
    days_p, bad_p = parse_date_strings(pieces, slash=slash)
    bounds = np.zeros(counts.shape[0] + 1, dtype=np.int64)
    np.cumsum(counts, out=bounds[1:])
    good = days_p != MISSING
    good_u = np.add.reduceat(good.astype(np.int64), bounds[:-1]) if counts.size else np.zeros(0, np.int64)
    bad_u = np.logical_or.reduceat(bad_p, bounds[:-1]) if counts.size else np.zeros(0, bool)
    good_bounds = np.zeros(counts.shape[0] + 1, dtype=np.int64)
    np.cumsum(good_u, out=good_bounds[1:])
    _, flat = _ragged_index(good_bounds, col.codes)
    lengths = good_u[col.codes]
    bad = np.flatnonzero(bad_u[col.codes]).astype(np.int64)
    return lengths, days_p[good][flat], bad, col.uniq[col.codes[bad]].astype(object)


# ---------------------------------------------------------------------------
# which columns feed which fields
# ---------------------------------------------------------------------------


@dataclass
class _Plan:
    kind: str
    fields: dict[str, int]
    extras: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class _Layout:
    """How the columns of an input map to tables."""

    plans: dict[str, _Plan]
    fixed: str | None
    type_col: int | None
    failures: dict[str, ColumnError]


def _unique_headings(headings: Sequence[object]) -> list[str]:
    """Headings as text, stripped; blank ones named ``column_<n>``; repeats get ``.1``, ``.2`` ..."""
    out: list[str] = []
    seen: set[str] = set()
    for i, heading in enumerate(headings):
        name = str(heading).strip().lstrip("\ufeff").strip() or f"column_{i + 1}"
        base, k = name, 0
        while name in seen:
            k += 1
            name = f"{base}.{k}"
        seen.add(name)
        out.append(name)
    return out


def _plan(kind: str, headings: list[str], mapping: Mapping[str, str] | None, source: str, skip: int | None) -> _Plan:
    found = [h for i, h in enumerate(headings) if i != skip]
    resolved = resolve_columns(kind, found, mapping, source=source)
    fields = {name: headings.index(heading) for name, heading in resolved.items()}
    used = set(fields.values())
    extras = [(h, i) for i, h in enumerate(headings) if i not in used and i != skip]
    return _Plan(kind, fields, extras)


def _type_column(headings: list[str], mapping: Mapping[str, str] | None) -> int | None:
    given = (mapping or {}).get("record_type")
    for i, heading in enumerate(headings):
        if given is not None:
            if heading == given or normalise_heading(heading) == normalise_heading(given):
                return i
        elif normalise_heading(heading) == _TYPE_HEADING:
            return i
    if given is not None:
        raise ColumnError(f"mapping says 'record_type' is column {given!r}, which is not there")
    return None


def _layout(
    raw_headings: Sequence[object],
    record_type: str | None,
    mapping: Mapping[str, str] | None,
    source: str,
    stem: str | None,
) -> _Layout:
    headings = _unique_headings(raw_headings)
    type_col = _type_column(headings, mapping)
    columns = {k: v for k, v in (mapping or {}).items() if k != "record_type"}
    if record_type is not None:
        kind = record_type_of(record_type)
        return _Layout({kind: _plan(kind, headings, columns, source, type_col)}, kind, None, {})
    if type_col is not None:
        known = {c for kind in RECORD_TYPES for c in SCHEMAS[kind].columns}
        strange = [k for k in columns if k not in known]
        if strange:
            raise ColumnError(
                f"{source}: mapping names {', '.join(map(repr, strange))}, not a column of any record type"
            )
        plans: dict[str, _Plan] = {}
        failures: dict[str, ColumnError] = {}
        for kind in RECORD_TYPES:
            own = {k: v for k, v in columns.items() if k in SCHEMAS[kind].columns}
            try:
                plans[kind] = _plan(kind, headings, own, f"{source} ({kind} rows)", type_col)
            except ColumnError as exc:
                failures[kind] = exc
        used = {i for plan in plans.values() for i in plan.fields.values()}
        extras = [(h, i) for i, h in enumerate(headings) if i not in used and i != type_col]
        for plan in plans.values():
            plan.extras = list(extras)
        return _Layout(plans, None, type_col, failures)
    if stem is not None:
        try:
            kind = record_type_of(stem)
        except CasetimeError:
            pass
        else:
            return _Layout({kind: _plan(kind, headings, columns, source, None)}, kind, None, {})
    scored: list[tuple[int, str, _Plan]] = []
    for kind in RECORD_TYPES:
        try:
            plan = _plan(kind, headings, columns, source, None)
        except ColumnError:
            continue
        scored.append((len(plan.fields), kind, plan))
    best = max((s for s, _, _ in scored), default=0)
    top = [(kind, plan) for s, kind, plan in scored if s == best]
    if len(top) == 1:
        kind, plan = top[0]
        return _Layout({kind: plan}, kind, None, {})
    found = ", ".join(headings) or "no columns"
    if not top:
        needed = "; ".join(f"{kind}: {', '.join(SCHEMAS[kind].required)}" for kind in RECORD_TYPES)
        raise ColumnError(
            f"{source}: cannot tell the record type: the file name is not a record type and the columns found "
            f"({found}) lack the required columns of every type (needed: {needed}); name the file after its "
            "type (e.g. initial_assessment.csv) or give the type (record_type= in Python, --record-type on the "
            "command line)"
        )
    raise CasetimeError(
        f"{source}: cannot tell the record type from the columns ({found}): they fit "
        f"{' and '.join(kind for kind, _ in top)} equally; give the type (record_type= in Python, "
        "--record-type on the command line)"
    )


# ---------------------------------------------------------------------------
# assembling tables from chunks
# ---------------------------------------------------------------------------


@dataclass
class _Parts:
    n: int = 0
    child: list[_LabelPart] = field(default_factory=list)
    dates: dict[str, list[_I64]] = field(default_factory=dict)
    extras: dict[str, list[_LabelPart]] = field(default_factory=dict)
    review_lengths: list[_I64] = field(default_factory=list)
    review_days: list[_I64] = field(default_factory=list)
    rows: list[_I64 | range] = field(default_factory=list)
    issues: dict[tuple[str, str], list[tuple[_I64, _Obj]]] = field(default_factory=dict)


class _Assembler:
    """Collects chunks of rows into one table per record type, with their issues."""

    def __init__(self, layout: _Layout, source: str, slash: str) -> None:
        self.layout = layout
        self.source = source
        self.slash = slash
        self.parts = {kind: _Parts() for kind in ([layout.fixed] if layout.fixed else [])}
        self.rejected_rows: list[_I64] = []
        self.rejected_values: list[_Obj] = []
        self.width = 0

    def add(self, cols: list[_Column], rows: _I64, malformed: _I64, malformed_text: _Obj) -> None:
        """One chunk: its columns and its row numbers (consecutive), with its malformed rows."""
        n = rows.shape[0]
        keep = np.ones(n, dtype=bool)
        if cols:
            keep[_blank_rows(cols, n)] = False
        keep[malformed] = True
        bad_row = np.zeros(n, dtype=bool)
        bad_row[malformed] = True
        row_text = np.empty(n, dtype=object)
        row_text[malformed] = malformed_text
        layout = self.layout
        if layout.fixed is not None:
            groups = {layout.fixed: None if keep.all() else np.flatnonzero(keep).astype(np.int64)}
        else:
            assert layout.type_col is not None
            groups = self._split(cols[layout.type_col], keep, rows)
        failing = [
            (int(index[0]), kind) for kind, index in groups.items() if kind in layout.failures and index is not None
        ]
        if failing:  # the first row (in file order) of a type whose columns are missing
            raise layout.failures[min(failing)[1]]
        for kind, index in groups.items():
            self._add_kind(kind, cols, rows, index, bad_row, row_text)

    def _split(self, col: _Column, keep: _Bool, rows: _I64) -> dict[str, _I64 | None]:
        codes, labels = _label_part(col)
        kinds: list[int] = []
        for label in labels.astype(str).tolist():
            try:
                kinds.append(RECORD_TYPES.index(record_type_of(label)))
            except CasetimeError:
                kinds.append(-1)
        lookup = np.array([*kinds, -1], dtype=np.int64)
        type_code = lookup[np.where(codes >= 0, codes, len(kinds))]
        unknown = keep & (type_code < 0)
        if unknown.any():
            self.rejected_rows.append(rows[unknown])
            if isinstance(col, _ArrowText):
                col = col.text
            text = col if isinstance(col, _Text) else _days_to_text(col) if isinstance(col, _Days) else None
            assert text is not None
            self.rejected_values.append(text.uniq[text.codes[unknown]].astype(object))
        groups: dict[str, _I64 | None] = {}
        for t, kind in enumerate(RECORD_TYPES):
            index = np.flatnonzero(keep & (type_code == t)).astype(np.int64)
            if index.size:
                groups[kind] = index
        return groups

    def _add_kind(
        self, kind: str, cols: list[_Column], rows: _I64, index: _I64 | None, bad_row: _Bool, row_text: _Obj
    ) -> None:
        if kind in self.layout.failures:
            raise self.layout.failures[kind]
        plan = self.layout.plans[kind]
        parts = self.parts.setdefault(kind, _Parts())
        schema = SCHEMAS[kind]

        def column(i: int) -> _Column:
            return cols[i] if index is None else _take(cols[i], index)

        base = parts.n
        count = rows.shape[0] if index is None else index.shape[0]
        if index is not None:
            parts.rows.append(rows[index])
        elif count:  # consecutive row numbers: keep the range, not an array
            assert int(rows[-1]) - int(rows[0]) == count - 1
            parts.rows.append(range(int(rows[0]), int(rows[-1]) + 1))
        parts.child.append(_key_part(column(plan.fields["child_id"])))
        flagged = bad_row if index is None else bad_row[index]
        if flagged.any():
            at = np.flatnonzero(flagged).astype(np.int64)
            text = row_text if index is None else row_text[index]
            parts.issues.setdefault((_MALFORMED, ""), []).append((base + at, text[at]))
        for name in schema.dates:
            if name not in plan.fields:
                continue
            days, bad, values = _date_part(column(plan.fields[name]), self.slash)
            parts.dates.setdefault(name, []).append(days)
            if bad.size:
                parts.issues.setdefault((_UNPARSEABLE, name), []).append((base + bad, values))
        if "review_dates" in plan.fields:
            lengths, days, bad, values = _ragged_part(column(plan.fields["review_dates"]), self.slash)
            parts.review_lengths.append(lengths)
            parts.review_days.append(days)
            if bad.size:
                parts.issues.setdefault((_UNPARSEABLE, "review_dates"), []).append((base + bad, values))
        for name, i in plan.extras:
            parts.extras.setdefault(name, []).append(_label_part(column(i)))
        parts.n += count

    def finish(self) -> ReadResult:
        tables: dict[str, Table] = {}
        issues: list[IssueSet] = []
        for kind in RECORD_TYPES:
            if kind not in self.parts:
                continue
            parts = self.parts.pop(kind)
            plan = self.layout.plans[kind]
            n = parts.n
            child = _merge_labels(parts.child) if parts.child else _merge_labels([_empty_label_part()])
            dates = {}
            for name in SCHEMAS[kind].dates:
                pieces = parts.dates.pop(name, [])
                if pieces:
                    dates[name] = np.concatenate(pieces).view("M8[D]")
                else:
                    dates[name] = np.full(n, MISSING, dtype=np.int64).view("M8[D]")
            extras = {}
            for name, _ in plan.extras:
                extras[name] = _merge_labels(parts.extras.get(name) or [_empty_label_part()])
            reviews = None
            if "review_dates" in plan.fields:
                offsets = np.zeros(n + 1, dtype=np.int64)
                if parts.review_lengths:
                    np.cumsum(np.concatenate(parts.review_lengths), out=offsets[1:])
                values = np.concatenate(parts.review_days) if parts.review_days else np.empty(0, np.int64)
                reviews = Ragged(offsets, values.view("M8[D]"))
            rows = np.empty(n, dtype=np.int64)
            at = 0
            for piece in parts.rows:
                size = len(piece)
                rows[at : at + size] = np.arange(piece.start, piece.stop) if isinstance(piece, range) else piece
                at += size
            source = Labels(np.zeros(n, dtype=np.int64), np.array([self.source], dtype=object))
            tables[kind] = Table(kind, child, dates, extras, source, rows, reviews)
            issues.extend(_issue_sets(kind, parts.issues, self.slash))
        rejected = []
        if self.rejected_rows:
            rejected.append(
                RejectedRows(self.source, np.concatenate(self.rejected_rows), np.concatenate(self.rejected_values))
            )
        return ReadResult(tables, issues, rejected)


def _empty_label_part() -> _LabelPart:
    return np.empty(0, dtype=np.int64), np.empty(0, dtype="<U1")


def _issue_sets(kind: str, found: dict[tuple[str, str], list[tuple[_I64, _Obj]]], slash: str) -> list[IssueSet]:
    order = {name: i for i, name in enumerate(SCHEMAS[kind].columns)}
    keys = sorted(found, key=lambda k: (k[0] != _MALFORMED, order.get(k[1], -1)))
    out = []
    style = "dd/mm/yyyy" if slash == "dayfirst" else "mm/dd/yyyy"
    for rule, name in keys:
        pieces = found[rule, name]
        positions = np.concatenate([p for p, _ in pieces])
        values = np.concatenate([v for _, v in pieces])
        if rule == _MALFORMED:
            message = "the row has a different number of fields from the header; missing fields are left empty"
            message += " and surplus ones dropped"
        else:
            message = (
                f"{name} could not be read as a date (expected YYYY-MM-DD or {style}, a real calendar date); "
                "it is left missing, never guessed"
            )
        out.append(IssueSet(kind, rule, name or "row", positions, values, message))
    return out


# ---------------------------------------------------------------------------
# frames and dicts
# ---------------------------------------------------------------------------


def _frame_kind(frame: object) -> str:
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(frame, pd.DataFrame):
        return "pandas"
    pl = sys.modules.get("polars")
    if pl is not None and isinstance(frame, pl.DataFrame):
        return "polars"
    if isinstance(frame, Mapping):
        return "mapping"
    raise CasetimeError(
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
            raise CasetimeError(f"column {heading!r} is a single value, not a column of values")
        lengths.add(len(value))
    if len(lengths) > 1:
        sizes = ", ".join(f"{h}: {len(v)}" for h, v in zip(headings, values, strict=True))
        raise CasetimeError(f"the columns have different lengths ({sizes})")
    return headings, values, lengths.pop() if lengths else 0


def _as_column(values: Any, lists: bool) -> _Column:
    """One frame column in chunk form."""
    pd = sys.modules.get("pandas")
    pl = sys.modules.get("polars")
    arr: npt.NDArray[Any]
    if pd is not None and isinstance(values, pd.Series):
        dtype = values.dtype
        if isinstance(dtype, pd.DatetimeTZDtype):
            values = values.dt.tz_localize(None)
            dtype = values.dtype
        if isinstance(dtype, np.dtype) and dtype.kind == "M":
            return _Days(values.to_numpy().astype("M8[D]").view(np.int64))
        if isinstance(dtype, np.dtype) and dtype.kind in "iub":
            arr = values.to_numpy()
        else:
            arr = values.to_numpy(dtype=object, na_value=None)
    elif pl is not None and isinstance(values, pl.Series):
        dtype = values.dtype
        if dtype == pl.Date or isinstance(dtype, pl.Datetime):
            if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
                values = values.dt.replace_time_zone(None)
            return _Days(values.cast(pl.Date).to_numpy().astype("M8[D]").view(np.int64))
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
        return _Days(arr.astype("M8[D]").view(np.int64))
    if arr.dtype.kind == "O":
        if lists and any(isinstance(v, (list, tuple, np.ndarray)) or hasattr(v, "to_list") for v in arr.tolist()):
            return _lists_from_objects(arr.tolist())
        return _text_from_objects(arr)
    if arr.dtype.kind in "USiubf":
        return _text_from_numpy(arr)
    return _text_from_objects(arr.astype(object))


def tables_from_frame(
    frame: Any,
    record_type: str | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    source: str = "<dataframe>",
    dayfirst: bool = True,
) -> ReadResult:
    """Tables from a pandas or polars DataFrame or a dict of columns.

    With ``record_type`` every row is of that type; without it the frame must
    have a ``record_type`` column, and its rows are split by type (rows of an
    unknown type are returned as :class:`RejectedRows`). Rows are numbered by
    position, from 0 (not by the frame's index).

    >>> result = tables_from_frame({"record_type": ["IA", "CPP", "?"], "child_id": ["A", "A", "B"],
    ...     "referral_date": ["2009-01-05", "2009-01-05", "2009-01-06"], "start_date": [None, "2009-02-01", None]})
    >>> sorted(result.tables), len(result.rejected[0])
    (['cpp', 'initial_assessment'], 1)
    """
    headings, values, n = _frame_values(frame)
    layout = _layout(headings, record_type, columns, source, None)
    lists_at = {plan.fields["review_dates"] for plan in layout.plans.values() if "review_dates" in plan.fields}
    try:
        cols = [_as_column(v, i in lists_at) for i, v in enumerate(values)]
    except _NulError:
        raise CasetimeError(f"{source}: a value holds a NUL character") from None
    assembler = _Assembler(layout, source, "dayfirst" if dayfirst else "monthfirst")
    assembler.add(cols, np.arange(n, dtype=np.int64), np.empty(0, np.int64), np.empty(0, object))
    return assembler.finish()


def table_from_frame(
    record_type: str,
    frame: Any,
    *,
    columns: Mapping[str, str] | None = None,
    source: str = "<dataframe>",
    dayfirst: bool = True,
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
    result = tables_from_frame(frame, kind, columns=columns, source=source, dayfirst=dayfirst)
    return result.tables[kind], result.issues


# ---------------------------------------------------------------------------
# CSV files
# ---------------------------------------------------------------------------


class _Undecodable(Exception):
    """The file is not in the encoding tried."""


class _Fallback(Exception):
    """The fast reader cannot give the exact answer for this file: use the stdlib reader."""


_CONTROL: Final = bytes(c for c in range(32) if c not in (9, 10, 13)) + b"\x7f"


def _sniff(path: str) -> list[str]:
    """Check the file looks like text and give the encodings to try, in order."""
    try:
        with open(path, "rb") as handle:
            sample = handle.read(_SAMPLE_BYTES)
    except IsADirectoryError:
        raise CasetimeError(f"{path}: is a directory; use read_path for a directory of CSV files") from None
    except OSError as exc:
        raise CasetimeError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return ["utf-16"]
    body = sample.removeprefix(codecs.BOM_UTF8)
    if not body.strip():
        raise CasetimeError(f"{path}: the file is empty; expected a header row then one row per record")
    controls = len(body) - len(body.translate(None, _CONTROL))
    if b"\x00" in body or controls > max(len(body) // 100, 0):
        raise CasetimeError(f"{path}: not a CSV file (it holds binary data, not text)")
    return ["utf-8-sig", "cp1252"]


def _check_header(header: list[str] | None, path: str) -> list[str]:
    if header is None:
        raise CasetimeError(f"{path}: the file is empty; expected a header row then one row per record")
    if not any(h.strip() for h in header):
        raise CasetimeError(f"{path}: row 1 is empty; the first row must hold the column headings")
    if any("\x00" in h for h in header):
        raise CasetimeError(f"{path}: not a CSV file (it holds binary data, not text)")
    return header


def _rows_to_columns(rows: list[list[str]], width: int) -> tuple[list[_Column], _I64, _Obj]:
    """A chunk of CSV rows as columns; rows of the wrong length are padded or cut and reported."""
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    odd = np.flatnonzero(lengths != width)
    at: list[int] = []
    text: list[str] = []
    for i in odd.tolist():  # only the rows with the wrong number of fields
        row = rows[i]
        if any(cell.strip() for cell in row):
            at.append(i)
            text.append(",".join(row))
        rows[i] = (row + [""] * width)[:width]
    columns: list[_Column] = [_text_from_strs(c) for c in zip(*rows, strict=True)] if rows else []
    return columns, np.array(at, dtype=np.int64), np.array(text, dtype=object)


def _stem(path: str) -> str:
    return Path(path).stem


def _read_python(
    path: str,
    encoding: str,
    record_type: str | None,
    columns: Mapping[str, str] | None,
    slash: str,
    chunk_rows: int,
    progress: Callable[[int], object] | None,
) -> ReadResult:
    try:
        with open(path, encoding=encoding, newline="") as handle:
            reader = csv.reader(handle)
            try:
                header = _check_header(next(reader, None), path)
                layout = _layout(header, record_type, columns, path, _stem(path))
                assembler = _Assembler(layout, path, slash)
                width, done = len(header), 1
                while True:
                    collecting = gc.isenabled()
                    gc.disable()  # the chunk's many small lists would trigger needless collections
                    try:
                        rows = list(islice(reader, chunk_rows))
                        if not rows:
                            break
                        cols, malformed, text = _rows_to_columns(rows, width)
                        del rows
                    finally:
                        if collecting:
                            gc.enable()
                    count = _length(cols[0]) if cols else 0
                    assembler.add(cols, np.arange(done + 1, done + 1 + count, dtype=np.int64), malformed, text)
                    done += count
                    if progress is not None:
                        progress(done - 1)
            except csv.Error as exc:
                raise CasetimeError(f"{path}: not a readable CSV file near line {reader.line_num}: {exc}") from None
            except _NulError:
                raise CasetimeError(f"{path}: not a CSV file (it holds binary data, not text)") from None
    except UnicodeError:
        raise _Undecodable from None
    except OSError as exc:
        raise CasetimeError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    return assembler.finish()


class _Limited(_io.RawIOBase):
    """The first ``limit`` bytes of a binary file."""

    def __init__(self, handle: Any, limit: int) -> None:
        self.handle = handle
        self.left = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer)
        size = min(len(view), self.left)
        if size <= 0:
            return 0
        got = int(self.handle.readinto(view[:size]) or 0)
        self.left -= got
        return got


def _content_end(path: str) -> int:
    """Where the file's content ends (trailing line breaks left out)."""
    size = os.path.getsize(path)
    with open(path, "rb") as handle:
        handle.seek(max(0, size - _SAMPLE_BYTES))
        tail = handle.read()
    return size - (len(tail) - len(tail.rstrip(b"\r\n")))


def _arrow_text(array: Any) -> _Text:
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(array)  # NULs were ruled out by _arrow_column
    dictionary = encoded.dictionary
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    uniq = dictionary.to_numpy(zero_copy_only=False).astype(str) if len(dictionary) else np.empty(0, "<U1")
    return _Text(codes, uniq, np.zeros(uniq.shape[0], dtype=bool))


def _read_ahead(reader: Iterable[Any], prepare: Callable[[Any], _T]) -> Generator[_T, None, None]:
    """``prepare(batch)`` for the reader's batches, off the caller's thread, in order.

    One thread pulls batches from the reader (pyarrow parses without holding the GIL) and hands each
    to a second thread that prepares it (dictionary encoding, also without the GIL), so parsing,
    preparing and the caller's work on successive batches overlap. Only one batch waits between the
    stages, which keeps the memory in flight small beside the tables (see benchmarks/README.md for
    the peaks measured). Where no thread can start, the work runs in turn.
    """
    box: queue.Queue[tuple[int, Any]] = queue.Queue(maxsize=1)
    stop = threading.Event()
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="casetime-csv-prepare")

    def work() -> None:
        try:
            for batch in reader:
                if stop.is_set():
                    return
                box.put((0, pool.submit(prepare, batch)))
            box.put((1, None))
        except BaseException as exc:  # handed to the consumer, who raises it
            box.put((2, exc))

    thread = threading.Thread(target=work, name="casetime-csv-read-ahead", daemon=True)
    try:
        pool.submit(int).result()  # starts the preparing thread (or finds that none can start)
        thread.start()
    except RuntimeError:  # no threads here (Pyodide): the same work, in turn
        pool.shutdown(wait=False)
        yield from map(prepare, reader)
        return
    try:
        while True:
            kind, item = box.get()
            if kind == 1:
                return
            if kind == 2:
                raise item
            yield item.result()
    finally:
        stop.set()
        while thread.is_alive():  # let a blocked put finish so the thread can end
            with contextlib.suppress(queue.Empty):
                box.get(timeout=0.01)
        thread.join()
        pool.shutdown(wait=True, cancel_futures=True)


def _arrow_column(array: Any) -> _ArrowText:
    col = _ArrowText.of(array)
    if col.data.size and not col.data.all():  # a NUL: not text; the python reader says so
        raise _Fallback
    return col


def _read_arrow(
    path: str,
    record_type: str | None,
    columns: Mapping[str, str] | None,
    slash: str,
    chunk_rows: int,
    progress: Callable[[int], object] | None,
) -> ReadResult:
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:
        raise _Fallback from None
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = _check_header(next(csv.reader(handle), None), path)
            sample = handle.read(_SAMPLE_BYTES)
    except (UnicodeError, csv.Error):
        raise _Fallback from None
    layout = _layout(header, record_type, columns, path, _stem(path))
    line_bytes = max(len(sample.encode("utf-8")) / max(sample.count("\n"), 1), 8.0)
    block = int(min(max(chunk_rows * line_bytes, 1 << 20), 1 << 26))
    invalid: list[int] = []

    def on_invalid(row: Any) -> str:
        invalid.append(1)
        return "skip"

    end = _content_end(path)
    assembler = _Assembler(layout, path, slash)
    ids = {plan.fields["child_id"] for plan in layout.plans.values() if "child_id" in plan.fields}

    def prepare(batch: Any) -> tuple[list[_Column], int]:
        """A batch's columns, with the work the assembler will want done first (off the main thread)."""
        cols: list[_Column] = [_arrow_column(batch.column(i)) for i in range(batch.num_columns)]
        for i, col in enumerate(cols):
            assert isinstance(col, _ArrowText)
            if i not in ids:
                col.text  # noqa: B018 (computes the cached property)
            elif layout.fixed is not None:  # one record type: the ids are used as they are
                col.label_part  # noqa: B018
        return cols, int(batch.num_rows)

    done = 1
    try:
        with open(path, "rb") as raw:
            reader = pacsv.open_csv(
                _io.BufferedReader(_Limited(raw, end), buffer_size=1 << 20),
                read_options=pacsv.ReadOptions(block_size=block, use_threads=False),
                parse_options=pacsv.ParseOptions(
                    newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=on_invalid
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={name: pa.string() for name in header},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            if reader.schema.names != header:
                raise _Fallback
            with contextlib.closing(_read_ahead(reader, prepare)) as batches:
                for cols, count in batches:
                    if invalid:
                        raise _Fallback
                    rows = np.arange(done + 1, done + 1 + count, dtype=np.int64)
                    assembler.add(cols, rows, np.empty(0, dtype=np.int64), np.empty(0, dtype=object))
                    done += count
                    if progress is not None:
                        progress(done - 1)
                    del cols
    except pa.ArrowException:
        raise _Fallback from None
    if invalid:
        raise _Fallback
    del reader
    pa.default_memory_pool().release_unused()  # the parse buffers: give them back before the arrays are joined
    return assembler.finish()


def read_csv(
    path: str | os.PathLike[str],
    record_type: str | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    dayfirst: bool = True,
    chunk_rows: int = 100_000,
    engine: str = "auto",
    progress: Callable[[int], object] | None = None,
) -> ReadResult:
    """Read one CSV file into tables, chunk by chunk (memory bounded by ``chunk_rows``).

    The record type is ``record_type`` if given; otherwise, if the file has a
    ``record_type`` column, every row says its own type (a combined file, split
    into one table per type); otherwise it comes from the file name (for
    example ``initial_assessments.csv`` or ``ia.csv``), or from the columns when
    only one type fits them.

    Rows are numbered as a spreadsheet shows them: the header is row 1, the
    first record row 2; blank rows count in the numbering but make no record.
    UTF-8 (with or without a BOM) is read first, then Windows-1252; UTF-16 with
    a BOM is read too. ``engine="auto"`` uses pyarrow when it is installed and
    the file allows it, falling back to the standard library reader (for
    example on a row with the wrong number of fields); both give identical
    tables. ``progress`` is called after each chunk with the rows read so far.

    Returns :class:`ReadResult` ``(tables, issues, rejected)``.
    """
    if engine not in _ENGINES:
        raise CasetimeError(f"engine must be one of {', '.join(_ENGINES)}, not {engine!r}")
    if int(chunk_rows) < 1:
        raise CasetimeError(f"chunk_rows must be at least 1, not {chunk_rows!r}")
    source = os.fspath(path)
    slash = "dayfirst" if dayfirst else "monthfirst"
    encodings = _sniff(source)
    if engine == "pyarrow" and "pyarrow" not in sys.modules:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise CasetimeError("engine='pyarrow' needs pyarrow installed (pip install casetime[interop])") from None
    if engine != "python" and encodings[0] == "utf-8-sig":
        try:
            return _read_arrow(source, record_type, columns, slash, int(chunk_rows), progress)
        except _Fallback:
            pass
    for encoding in encodings:
        try:
            return _read_python(source, encoding, record_type, columns, slash, int(chunk_rows), progress)
        except _Undecodable:
            continue
    raise CasetimeError(f"{source}: cannot read the file as text: it is neither UTF-8 nor Windows-1252")


def _combine(results: Iterable[ReadResult]) -> ReadResult:
    """Join the results of several sources: tables of one type are concatenated, issues shifted."""
    tables: dict[str, list[Table]] = {}
    found: dict[tuple[str, str, str, str], list[tuple[_I64, _Obj]]] = {}
    rejected: list[RejectedRows] = []
    for result in results:
        offsets = {kind: sum(len(t) for t in tables.get(kind, [])) for kind in result.tables}
        for kind, table in result.tables.items():
            tables.setdefault(kind, []).append(table)
        for issue in result.issues:
            key = (issue.record_type, issue.rule, issue.field, issue.message)
            found.setdefault(key, []).append((issue.positions + offsets[issue.record_type], issue.values))
        rejected.extend(result.rejected)
    joined = {kind: parts[0] if len(parts) == 1 else Table.concat(parts) for kind, parts in tables.items()}
    issues = []
    for (kind, rule, name, message), pieces in found.items():
        positions = np.concatenate([p for p, _ in pieces])
        values = np.concatenate([v for _, v in pieces])
        issues.append(IssueSet(kind, rule, name, positions, values, message))
    return ReadResult({k: joined[k] for k in RECORD_TYPES if k in joined}, issues, rejected)


def read_path(
    path: str | os.PathLike[str],
    record_type: str | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    dayfirst: bool = True,
    chunk_rows: int = 100_000,
    engine: str = "auto",
    progress: Callable[[int], object] | None = None,
) -> ReadResult:
    """Read a CSV file, or every ``*.csv`` file of a directory (in name order), into tables.

    Files of the same record type are joined into one table; each row keeps
    its file as ``table.source`` and its row number in that file.
    """
    source = os.fspath(path)
    if not os.path.isdir(source):
        return read_csv(
            source,
            record_type,
            columns=columns,
            dayfirst=dayfirst,
            chunk_rows=chunk_rows,
            engine=engine,
            progress=progress,
        )
    files = sorted(p for p in Path(source).iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    if not files:
        raise CasetimeError(f"{source}: the directory holds no .csv files")
    done = 0

    def chained(count: int) -> None:
        if progress is not None:
            progress(done + count)

    results = []
    for file in files:
        counted: list[int] = [0]

        def seen(count: int, counted: list[int] = counted) -> None:
            counted[0] = count
            chained(count)

        results.append(
            read_csv(
                str(file),
                record_type,
                columns=columns,
                dayfirst=dayfirst,
                chunk_rows=chunk_rows,
                engine=engine,
                progress=seen,
            )
        )
        done += counted[0]
    return _combine(results)
