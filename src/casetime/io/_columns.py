"""The columns readers hand to the assembler: text, dates, lists, and pyarrow text, chunk by chunk.

Every reader (CSV, frames, and the next ones) turns its input into these few forms; the
assembler (:mod:`casetime.io.assemble`) never sees where a column came from.

- :class:`Text`: row ``i`` holds ``uniq[codes[i]]`` (each distinct text once);
- :class:`Days`: dates already typed as dates (day numbers);
- :class:`Lists`: several values per row (plan reviews);
- :class:`ArrowText`: a pyarrow string array, read from its buffers without a copy and
  dictionary-encoded only when needed.

>>> col = text_from_strs(["b", "a", "b"])
>>> col.codes.tolist(), col.uniq.tolist(), blank(col).tolist()
([0, 1, 0], ['b', 'a'], [False, False, False])
"""

from __future__ import annotations

import codecs
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, overload

import numpy as np
import numpy.typing as npt

from casetime._compat import arrow_values, as_intp
from casetime.dates import MISSING
from casetime.errors import CasetimeError
from casetime.tables import cell_text

__all__ = [
    "CELL_LIMIT",
    "yes_no",
    "cap_cells",
    "cap_arrow",
    "long_cells",
    "long_sizes",
    "Text",
    "Days",
    "Lists",
    "ArrowText",
    "Column",
    "NulError",
    "CellError",
    "UNSAFE_BYTE",
    "arrow_text",
    "as_text",
    "dictionary_text",
    "blank",
    "blank_rows",
    "printable",
    "valid_utf8",
    "days_to_text",
    "length",
    "lists_from_objects",
    "ragged_index",
    "take",
    "text_array",
    "text_from_numpy",
    "text_from_objects",
    "text_from_strs",
]

_I64 = npt.NDArray[np.int64]
_Bool = npt.NDArray[np.bool_]
_Obj = npt.NDArray[np.object_]
_Str = npt.NDArray[np.str_]

#: The most characters a cell may hold: a longer one is emptied and reported (rule ``cell_too_long``),
#: so that one huge cell cannot make every column of its chunk as wide as itself in memory.
CELL_LIMIT: Final = 1 << 16


#: Every way a yes/no cell is written, in the census (``true/false/1/0``) and in Annex A (``Yes/No``, ``Y/N``).
_YES_NO: Final = {"true": "true", "1": "true", "yes": "true", "y": "true",
                  "false": "false", "0": "false", "no": "false", "n": "false"}  # fmt: skip


def yes_no(text: str) -> str:
    """A yes/no cell as ``true`` or ``false``, whichever way it is written (any case); anything else as written.

    >>> [yes_no(t) for t in ("TRUE", "0", " Yes ", "n", "maybe")]
    ['true', 'false', 'true', 'false', 'maybe']
    """
    return _YES_NO.get(text.strip().lower(), text)


def cap_cells(values: Sequence[str]) -> tuple[Sequence[str], tuple[_I64, _I64] | None]:
    """A CSV column with cells over :data:`CELL_LIMIT` characters emptied, and their positions and lengths.

    >>> cap_cells(["A", "x" * 70_000])[1]
    (array([1]), array([70000]))
    """
    if not values or len(max(values, key=len)) <= CELL_LIMIT:
        return values, None
    sizes = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    at = np.flatnonzero(sizes > CELL_LIMIT)
    kept = list(values)
    for i in at.tolist():
        kept[i] = ""
    return kept, (at.astype(np.int64), sizes[at])


def cap_arrow(col: ArrowText) -> tuple[ArrowText, tuple[_I64, _I64] | None]:
    """:func:`cap_cells` for a pyarrow text column, its characters counted from its UTF-8 bytes.

    Only a cell of more than :data:`CELL_LIMIT` bytes can hold more characters; the bytes that do not
    continue a character (``0b10xxxxxx``) are its characters. The column is made again from its
    buffers (pyarrow's ``utf8_length(...).to_numpy()`` and string scalars would import pandas).
    """
    lengths = np.diff(col.offsets)
    if not lengths.size or int(lengths.max()) <= CELL_LIMIT:
        return col, None
    import pyarrow as pa

    at = np.flatnonzero(lengths > CELL_LIMIT)
    starts = col.offsets[:-1]
    sizes = np.array(
        [np.count_nonzero((col.data[starts[i] : starts[i] + lengths[i]] & 0xC0) != 0x80) for i in at.tolist()],
        dtype=np.int64,
    )
    over = sizes > CELL_LIMIT
    if not over.any():
        return col, None
    emptied = at[over]
    keep = np.ones(lengths.shape[0], dtype=bool)
    keep[emptied] = False
    offsets = np.zeros_like(col.offsets)
    offsets[1:] = np.cumsum(np.where(keep, lengths, 0))
    data = np.ascontiguousarray(col.data[np.repeat(keep, as_intp(lengths))])
    kept = pa.Array.from_buffers(col.array.type, lengths.shape[0], [None, pa.py_buffer(offsets), pa.py_buffer(data)])
    return ArrowText.of(kept), (emptied.astype(np.int64), sizes[over])


@dataclass(frozen=True, eq=False)
class Text:
    """A text column: row ``i`` holds ``uniq[codes[i]]``; ``missing`` marks None/NaN entries of ``uniq``.

    ``long``, where a reader emptied cells over :data:`CELL_LIMIT` characters while making the column
    (the census reader), holds each entry of ``uniq``'s length before it was emptied (0 for the others).
    """

    codes: _I64
    uniq: _Str
    missing: _Bool
    long: _I64 | None = None

    @functools.cached_property
    def stripped(self) -> _Str:
        out: _Str = np.strings.strip(self.uniq)
        return out

    @functools.cached_property
    def blank_uniq(self) -> _Bool:
        out: _Bool = self.missing | (np.strings.str_len(self.stripped) == 0)
        return out


@dataclass(frozen=True, eq=False)
class Days:
    """A column of dates already typed as dates (day numbers)."""

    days: _I64


@dataclass(frozen=True, eq=False)
class Lists:
    """A list-valued column (plan reviews): row ``i`` holds ``pieces`` rows ``offsets[i]:offsets[i + 1]``."""

    offsets: _I64
    pieces: Text


@dataclass(frozen=True, eq=False)
class ArrowText:
    """A text column of one pyarrow batch (a string array without nulls), dictionary-encoded only when needed.

    ``offsets`` and ``data`` are its UTF-8 bytes (row ``i`` is ``data[offsets[i]:offsets[i + 1]]``),
    read from the arrow buffers without a copy.
    """

    array: Any
    offsets: npt.NDArray[Any]  # int32 as pyarrow holds them (int64 for large strings)
    data: npt.NDArray[np.uint8]

    @classmethod
    def of(cls, array: Any) -> ArrowText:
        n = len(array)
        buffers = array.buffers()
        if n == 0 or buffers[1] is None:
            return cls(array, np.zeros(n + 1, dtype=np.int64), np.empty(0, dtype=np.uint8))
        wide = array.type.id == _large_string_id()
        kind = np.int64 if wide else np.int32
        offsets = np.frombuffer(buffers[1], dtype=kind, count=n + 1, offset=array.offset * (8 if wide else 4))
        data = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None else np.empty(0, np.uint8)
        data = data[int(offsets[0]) : int(offsets[-1])]
        if offsets[0]:  # (a slice of an array: count from its own first byte)
            offsets = offsets - offsets[0]
        return cls(array, offsets, data)

    @functools.cached_property
    def text(self) -> Text:
        return arrow_text(self.array)

    @functools.cached_property
    def lengths(self) -> npt.NDArray[Any]:
        """Byte length of each cell (the offsets' type)."""
        out: npt.NDArray[Any] = np.diff(self.offsets)
        return out

    @functools.cached_property
    def width(self) -> int | None:
        """The byte length of every cell, when all have the same one of at least a byte (else ``None``)."""
        lengths = self.lengths
        if not lengths.size or not lengths[0] or not bool((lengths == lengths[0]).all()):
            return None
        return int(lengths[0])

    @functools.cached_property
    def edges(self) -> tuple[_I64, _Bool, _Bool]:
        """Byte length of each cell, and whether its first / last byte may be (part of) white space."""
        lengths = self.lengths
        full = lengths > 0
        if not self.data.size:
            return lengths, full, full
        last = self.data.shape[0] - 1
        first = UNSAFE_BYTE[self.data[np.minimum(self.offsets[:-1], last)]] & full
        end = UNSAFE_BYTE[self.data[np.maximum(self.offsets[1:] - 1, 0)]] & full
        return lengths, first, end


def valid_utf8(col: ArrowText) -> bool:
    """Whether every cell is valid UTF-8 (a reader that did not have pyarrow check them asks this).

    All-ASCII bytes (one maximum) are; otherwise the bytes must decode as a whole and no cell may
    start inside a character (with a continuation byte, ``0b10xxxxxx``), so that no cell ends inside one.

    >>> def cells(*texts: bytes) -> ArrowText:
    ...     return ArrowText(None, np.cumsum([0, *map(len, texts)]), np.frombuffer(b"".join(texts), np.uint8))
    >>> valid_utf8(cells(b"Zo\\xc3\\xab", b"A")), valid_utf8(cells(b"Zo\\xeb")), valid_utf8(cells(b"A\\xc3", b"\\xa9B"))
    (True, False, False)
    """
    data = col.data
    if not data.size or int(data.max()) < 0x80:
        return True
    try:
        codecs.utf_8_decode(data.tobytes(), "strict", True)
    except UnicodeDecodeError:
        return False
    starts = col.offsets[:-1][col.lengths > 0]
    return not bool(((data[as_intp(starts)] & 0xC0) == 0x80).any())


@functools.cache
def _large_string_id() -> int:
    import pyarrow as pa

    return int(pa.large_string().id)


# bytes that may start or end text which strip() would change: ASCII white space (as str.isspace
# counts it, \x1c-\x1f included) and any byte of a non-ASCII character
UNSAFE_BYTE: Final = np.array([chr(b).isspace() or b >= 128 for b in range(256)], dtype=bool)

Column = Text | Days | Lists | ArrowText


def length(col: Column) -> int:
    if isinstance(col, Text):
        return int(col.codes.shape[0])
    if isinstance(col, Days):
        return int(col.days.shape[0])
    return int(col.offsets.shape[0] - 1)  # Lists and ArrowText


def ragged_index(offsets: _I64, index: _I64) -> tuple[_I64, _I64]:
    """New offsets and flat positions of the rows ``index`` of a ragged column."""
    lengths = (offsets[1:] - offsets[:-1])[index]
    new = np.zeros(index.shape[0] + 1, dtype=np.int64)
    np.cumsum(lengths, out=new[1:])
    flat = np.repeat(offsets[:-1][index] - new[:-1], as_intp(lengths)) + np.arange(new[-1], dtype=np.int64)
    return new, flat


@overload
def take(col: Text, index: _I64) -> Text: ...
@overload
def take(col: Column, index: _I64) -> Column: ...
def take(col: Column, index: _I64) -> Column:
    """The rows ``index`` of a column, as a column of the same kind."""
    if isinstance(col, ArrowText):
        return ArrowText.of(col.array.take(index))
    if isinstance(col, Text):
        return Text(col.codes[index], col.uniq, col.missing, col.long)
    if isinstance(col, Days):
        return Days(col.days[index])
    offsets, flat = ragged_index(col.offsets, index)
    return Lists(offsets, take(col.pieces, flat))


def long_sizes(text: Text) -> _I64:
    """Each row's length before a reader emptied it for holding over :data:`CELL_LIMIT` characters (0 for the others).

    >>> long_sizes(Text(np.array([1, 0]), np.array(["A", ""]), np.zeros(2, dtype=bool), np.array([0, 70_000])))
    array([70000,     0])
    """
    if text.long is None:
        return np.zeros(text.codes.shape[0], dtype=np.int64)
    out: _I64 = text.long[text.codes]
    return out


def long_cells(col: Column) -> tuple[_I64, _I64] | None:
    """The rows of a column whose cell a reader emptied for holding over :data:`CELL_LIMIT` characters, and
    the lengths it had (for a list, its longest piece); ``None`` where there are none.

    >>> text = Text(np.array([0, 1, 1, 0]), np.array(["A", ""]), np.zeros(2, dtype=bool), np.array([0, 70_000]))
    >>> long_cells(text)
    (array([1, 2]), array([70000, 70000]))
    >>> long_cells(Lists(np.array([0, 0, 3]), take(text, np.array([0, 1, 2]))))  # (row 1 holds all three pieces)
    (array([1]), array([70000]))
    """
    pieces = col.pieces if isinstance(col, Lists) else col
    if not isinstance(pieces, Text) or pieces.long is None:
        return None
    sizes = long_sizes(pieces)
    at = np.flatnonzero(sizes).astype(np.int64)
    if not at.size:
        return None
    if not isinstance(col, Lists):
        return at, sizes[at]
    rows = (np.searchsorted(col.offsets, at, side="right") - 1).astype(np.int64)
    longest = np.zeros(col.offsets.shape[0] - 1, dtype=np.int64)
    np.maximum.at(longest, rows, sizes[at])
    kept = np.unique(rows)
    return kept, longest[kept]


def blank(col: Column) -> _Bool:
    """Rows where the cell is empty."""
    if isinstance(col, Text):
        out: _Bool = col.blank_uniq[col.codes]
        return out
    if isinstance(col, Days):
        empty: _Bool = col.days == MISSING
        return empty
    if isinstance(col, ArrowText):
        return blank(col.text)
    none: _Bool = col.offsets[1:] == col.offsets[:-1]
    return none


def printable(data: npt.NDArray[np.uint8]) -> bool:
    """Whether every byte is printable ASCII other than the space (``!`` to ``~``), so that no text
    starting or ending with it is changed by ``strip()``: a quick test (``False`` says look closer).

    >>> printable(np.frombuffer(b"A1~", dtype=np.uint8)), printable(np.frombuffer(b"A1 ", dtype=np.uint8))
    (True, False)
    """
    return not data.size or bool(int(data.min()) > 0x20 and int(data.max()) < 0x7F)


def blank_rows(cols: Sequence[Column], n: int) -> _I64:
    """The rows whose every cell is empty, narrowing the candidates column by column."""
    rows = np.arange(n, dtype=np.int64)
    for k, col in enumerate(cols):
        if not rows.size:
            break
        if isinstance(col, ArrowText) and k == 0 and col.width is not None and printable(col.data[:: col.width]):
            return rows[:0]  # every cell as long as the others and starting with a printable byte: none is blank
        if isinstance(col, ArrowText) and k == 0:  # every row still a candidate: the cells' edges tell
            lengths, first, _ = col.edges
            empty = lengths == 0
            unsure = np.flatnonzero(first)
            if unsure.size:  # a cell that starts with white space may be blank: ask its stripped text
                empty[unsure] = col.text.blank_uniq[col.text.codes[unsure]]
        elif isinstance(col, ArrowText):
            empty = col.offsets[rows + 1] == col.offsets[rows]
            if col.data.size:  # a cell that starts with white space may be blank: ask its stripped text
                start = col.data[np.minimum(col.offsets[rows], col.data.shape[0] - 1)]
                unsure = np.flatnonzero(~empty & UNSAFE_BYTE[start])
                if unsure.size:
                    empty[unsure] = col.text.blank_uniq[col.text.codes[rows[unsure]]]
        else:
            empty = blank(col)[rows]
        rows = rows[empty]
    return rows


def text_array(values: Sequence[str]) -> _Str:
    return np.array(values, dtype=str) if len(values) else np.empty(0, dtype="<U1")


class NulError(Exception):
    """A value holds a NUL character: the input is not a text file."""


class CellError(Exception):
    """A cell of a frame column that cannot be read as text: ``row`` (position) and what is wrong.

    The frame reader turns it into a domain error naming the source, the column and the row.
    """

    def __init__(self, row: int, problem: str, *, wrong_type: bool = False) -> None:
        super().__init__(problem)
        self.row = row
        self.problem = problem
        self.wrong_type = wrong_type


_CONTAINERS: Final = (list, tuple, dict, set, frozenset, np.ndarray)


def _first(codes: _I64, wanted: npt.NDArray[np.bool_]) -> int:
    """The first row whose distinct value is one of ``wanted`` (a mask over the distinct values)."""
    return int(np.flatnonzero(wanted[codes])[0])


def text_from_strs(values: Sequence[str]) -> Text:
    """Encode Python strings (a CSV column) by hashing: no sort, no Python-level loop."""
    uniq = list(dict.fromkeys(values))
    if len(uniq) == len(values):
        codes = np.arange(len(values), dtype=np.int64)
    else:
        position = dict(zip(uniq, range(len(uniq)), strict=True))
        codes = np.fromiter(map(position.__getitem__, values), dtype=np.int64, count=len(values))
    if "\x00" in "".join(uniq):
        raise NulError
    return Text(codes, text_array(uniq), np.zeros(len(uniq), dtype=bool))


def text_from_objects(values: _Obj) -> Text:
    """Encode an object column (a frame's strings, dates, numbers or None) by hashing.

    A cell holding a list, tuple, dict or array (only plan review dates may hold several values),
    or a text with a NUL character, raises :class:`CellError` naming its row.
    """
    items: Sequence[Any] = values.tolist()
    try:
        uniq = list(dict.fromkeys(items))
    except TypeError:  # unhashable cells: lists or dicts in a column that is not the reviews
        row = next(i for i, v in enumerate(items) if isinstance(v, _CONTAINERS))
        raise CellError(row, f"the cell holds a {type(items[row]).__name__}, not one value", wrong_type=True) from None
    position = dict(zip(uniq, range(len(uniq)), strict=True))
    codes = np.fromiter(map(position.__getitem__, items), dtype=np.int64, count=len(items))
    boxed = np.array([isinstance(v, _CONTAINERS) for v in uniq], dtype=bool)
    if boxed.any():
        row = _first(codes, boxed)
        raise CellError(row, f"the cell holds a {type(items[row]).__name__}, not one value", wrong_type=True)
    pairs = [cell_text(v) for v in uniq]
    texts = [t for t, _ in pairs]
    if "\x00" in "".join(texts):
        nul = np.array(["\x00" in t for t in texts], dtype=bool)
        raise CellError(_first(codes, nul), "the value holds a NUL character")
    return Text(codes, text_array(texts), np.array([m for _, m in pairs], dtype=bool))


def text_from_numpy(arr: npt.NDArray[Any]) -> Text:
    """Encode a numpy text or number column (sorting is cheap here: these come from frames).

    Bytes must be UTF-8, and no text may hold a NUL character (:class:`CellError` naming the row).
    """
    uniq, inverse = np.unique(arr, return_inverse=True)
    codes = inverse.astype(np.int64).ravel()
    if uniq.dtype.kind == "S":
        try:
            uniq = np.strings.decode(uniq, "utf-8")
        except UnicodeDecodeError:
            bad = np.array([not _is_utf8(b) for b in uniq.tolist()], dtype=bool)
            raise CellError(_first(codes, bad), "the value is not UTF-8 text") from None
    if uniq.dtype.kind == "U":
        nul = _holds_nul(uniq)
        if nul.any():
            raise CellError(_first(codes, nul), "the value holds a NUL character")
        return Text(codes, uniq, np.zeros(uniq.shape[0], dtype=bool))
    pairs = [cell_text(v) for v in uniq.tolist()]
    texts = text_array([t for t, _ in pairs])
    return Text(codes, texts, np.array([m for _, m in pairs], dtype=bool))


def _holds_nul(texts: npt.NDArray[np.str_]) -> npt.NDArray[np.bool_]:
    """Which texts hold a NUL before their end (numpy's own search treats a NUL as the empty string)."""
    width = texts.dtype.itemsize // 4
    if width == 0 or texts.shape[0] == 0:
        return np.zeros(texts.shape[0], dtype=bool)
    points = np.ascontiguousarray(texts).view(np.uint32).reshape(-1, width)
    inside = np.arange(width) < np.strings.str_len(texts)[:, None]
    held: npt.NDArray[np.bool_] = ((points == 0) & inside).any(axis=1)
    return held


def _is_utf8(value: bytes) -> bool:
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def as_text(col: Column) -> Text:
    """A column as :class:`Text` (dates as ISO text); a list column is refused."""
    if isinstance(col, ArrowText):
        return col.text
    if isinstance(col, Days):
        return days_to_text(col)
    if isinstance(col, Lists):
        raise CasetimeError("a list-valued column can only hold plan review dates")
    return col


def days_to_text(col: Days) -> Text:
    uniq, inverse = np.unique(col.days, return_inverse=True)
    text = np.datetime_as_string(uniq.view("M8[D]"), unit="D")
    missing = uniq == MISSING
    text[missing] = ""
    return Text(inverse.astype(np.int64).ravel(), text.astype(str), missing)


def lists_from_objects(values: Sequence[Any]) -> Lists:
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
    return Lists(np.cumsum(lengths), text_from_objects(pieces))


def arrow_text(array: Any) -> Text:
    import pyarrow.compute as pc

    return _encoded_text(pc.dictionary_encode(array))  # (NULs were ruled out by the reader)


def _encoded_text(encoded: Any) -> Text:
    """A dictionary-typed pyarrow array (int32 indices, no nulls) as :class:`Text`."""
    dictionary = encoded.dictionary
    # (from the buffers, and the few distinct texts as a list: pyarrow's to_numpy would import pandas)
    codes = arrow_values(encoded.indices, np.int32)[0].astype(np.int64)
    uniq = np.array(dictionary.to_pylist(), dtype=str) if len(dictionary) else np.empty(0, "<U1")
    return Text(codes, uniq, np.zeros(uniq.shape[0], dtype=bool))


def dictionary_text(array: Any) -> Text | None:
    """A text column that pyarrow read dictionary-encoded, as :class:`Text`; ``None`` when the reader
    must look at it cell by cell as plain text instead (a null, a NUL, or a distinct text of more
    than :data:`CELL_LIMIT` bytes: see :func:`cap_arrow`).

    pyarrow's parser builds the dictionary as it converts the cells, which costs less than making
    every cell a string and encoding the strings afterwards (see benchmarks/README.md).

    >>> import pyarrow as pa
    >>> text = dictionary_text(pa.array(["b", "a", "b"]).dictionary_encode())
    >>> text.codes.tolist(), text.uniq.tolist()
    ([0, 1, 0], ['b', 'a'])
    >>> dictionary_text(pa.array(["a", None]).dictionary_encode()) is None
    True
    """
    if array.null_count:
        return None
    dictionary = ArrowText.of(array.dictionary)
    if dictionary.data.size and not dictionary.data.all():
        return None
    if dictionary.offsets.shape[0] > 1 and int(np.diff(dictionary.offsets).max()) > CELL_LIMIT:
        return None
    return _encoded_text(array)
