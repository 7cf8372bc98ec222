"""CSV files: sniffing the encoding, the standard-library reader, the pyarrow reader and its read-ahead.

Both readers feed the one assembler (:mod:`casetime.io.assemble`) and give identical tables and
issues; ``engine="auto"`` takes pyarrow when it is installed and the file allows it (no row with
the wrong number of fields, no NUL byte), falling back to the standard library otherwise.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "ia.csv").write_text("child_id,referral_date\\nA,05/01/2009\\n", encoding="utf-8")
>>> read_csv(folder / "ia.csv").tables["initial_assessment"].row.tolist()
[2]
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as _dt
import gc
import io as _io
import os
import queue
import re
import sys
import threading
from collections.abc import Callable, Generator, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any, Final, TypeVar

import numpy as np
import numpy.typing as npt

from casetime.dates import EPOCH_ORDINAL, FIRST_YEAR, MISSING, DateStyle, to_day_numbers
from casetime.errors import CasetimeError
from casetime.io._columns import (
    ArrowText,
    Column,
    Days,
    NulError,
    Text,
    cap_arrow,
    cap_cells,
    dictionary_text,
    length,
    text_from_strs,
    valid_utf8,
)
from casetime.io.assemble import Assembler, Chunk, Layout, Prepared, ReadResult, layout_of, sole_date_columns
from casetime.quality import UNKNOWN_TYPE, Notice

__all__ = ["ENGINES", "read_csv"]

_T = TypeVar("_T")
_I64 = npt.NDArray[np.int64]
_Obj = npt.NDArray[np.object_]

_SAMPLE_BYTES: Final = 1 << 16
#: The least the pyarrow reader parses at a time (however few ``chunk_rows``: smaller blocks were slower).
_MIN_BLOCK_BYTES = 1 << 20
#: The CSV readers ``engine=`` chooses from.
ENGINES: Final = ("auto", "python", "pyarrow")


class _Undecodable(Exception):
    """The file is not in the encoding tried."""


class _Fallback(Exception):
    """The fast reader cannot give the exact answer for this file: use the stdlib reader."""


class _Untyped(Exception):
    """A column read as dates by pyarrow holds a cell it must not read: read it as text from here on."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


#: ``YYYY-MM-DD`` and nothing else: the one form pyarrow's date type reads.
_ISO_CELL: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: What pyarrow says when a cell of a column it was told to read as dates is not one.
_NOT_A_DATE: Final = re.compile(r"In CSV column #(\d+): .*conversion error to date32")
#: Day number of the first day of :data:`~casetime.dates.FIRST_YEAR`.
_FIRST_DAY: Final = _dt.date(FIRST_YEAR, 1, 1).toordinal() - EPOCH_ORDINAL


_CONTROL: Final = bytes(c for c in range(32) if c not in (9, 10, 13)) + b"\x7f"


#: The field separators a file may use, in the order preferred on a tie.
SEPARATORS: Final = (",", ";", "\t")


def _separator(sample: bytes, encoding: str) -> tuple[str, list[str]]:
    """The field separator of a file: the one of :data:`SEPARATORS` its header row holds most often
    (outside quotes), a comma on a tie or when it holds none (a file of one column); and the other
    separators the header row also holds (then the choice was not clear-cut, and is said).

    >>> _separator(b"child_id;referral_date;team", "utf-8"), _separator(b'"a;b",c', "utf-8")
    ((';', []), (',', []))
    >>> _separator(b"child id;date, referral;team", "utf-8")
    (';', [','])
    """
    text = sample.decode(encoding, errors="replace")
    line = text.lstrip("\ufeff").split("\n", 1)[0]
    bare = "".join(line.split('"')[::2])  # (what is outside quotes)
    counts = {sep: bare.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: (counts[sep], -SEPARATORS.index(sep)))
    sep = best if counts[best] else ","
    return sep, [other for other in SEPARATORS if other != sep and counts[other]]


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


def _rows_to_columns(
    rows: list[list[str]], width: int, sep: str = ","
) -> tuple[list[Column], _I64, _Obj, dict[int, tuple[_I64, _I64]]]:
    """A chunk of CSV rows as columns; rows of the wrong length are padded or cut and reported, and
    cells over the cell limit are emptied and reported (by column: positions and lengths)."""
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    odd = np.flatnonzero(lengths != width)
    at: list[int] = []
    text: list[str] = []
    for i in odd.tolist():  # only the rows with the wrong number of fields
        row = rows[i]
        if any(cell.strip() for cell in row):
            at.append(i)
            joined = sep.join(row)
            text.append(joined if len(joined) <= _SHOWN else joined[:_SHOWN] + "...")
        rows[i] = (row + [""] * width)[:width]
    columns: list[Column] = []
    long: dict[int, tuple[_I64, _I64]] = {}
    for j, values in enumerate(zip(*rows, strict=True) if rows else ()):
        kept, found = cap_cells(values)
        if found is not None:
            long[j] = found
        columns.append(text_from_strs(kept))
    return columns, np.array(at, dtype=np.int64), np.array(text, dtype=object), long


#: The most characters of a malformed row kept as its issue's value.
_SHOWN: Final = 200


def _stem(path: str) -> str:
    return Path(path).stem


def _read_python(
    path: str,
    encoding: str,
    record_type: str | None,
    columns: Mapping[str, str] | None,
    style: DateStyle,
    chunk_rows: int,
    progress: Callable[[int], object] | None,
    sep: str = ",",
    mixed: list[int] | None = None,
) -> tuple[ReadResult, int]:
    """The standard-library reader: the tables, and the number of the last row read.

    With ``mixed`` (a file that is UTF-8 but for some bytes), text is read as UTF-8, each cell that
    is not UTF-8 is read as Windows-1252, and the numbers of the rows holding such cells are added to
    ``mixed``.
    """
    errors = "strict" if mixed is None else "surrogateescape"
    try:
        with open(path, encoding=encoding, errors=errors, newline="") as handle, _any_field_size():
            reader = csv.reader(handle, delimiter=sep)
            try:
                header = _check_header(next(reader, None), path)
                if mixed is not None:
                    header = [_as_cp1252(h, path, 1, h) if _ESCAPED.search(h) else h for h in header]
                layout = layout_of(header, record_type, columns, path, _stem(path))
                assembler = Assembler(layout, path, style)
                width, done = len(header), 1
                while True:
                    collecting = gc.isenabled()
                    gc.disable()  # the chunk's many small lists would trigger needless collections
                    try:
                        rows = list(islice(reader, chunk_rows))
                        if not rows:
                            break
                        cols, malformed, text, long = _rows_to_columns(rows, width, sep)
                        del rows
                    finally:
                        if collecting:
                            gc.enable()
                    count = length(cols[0]) if cols else 0
                    if mixed is not None:
                        cols, text = _fix_cells(cols, malformed, text, header, path, done + 1, mixed)
                    rows_here = np.arange(done + 1, done + 1 + count, dtype=np.int64)
                    assembler.add(Chunk(cols, rows_here, malformed, text, long=long))
                    done += count
                    if progress is not None:
                        progress(done - 1)
            except csv.Error as exc:
                raise CasetimeError(f"{path}: not a readable CSV file near line {reader.line_num}: {exc}") from None
            except NulError:
                raise CasetimeError(f"{path}: not a CSV file (it holds binary data, not text)") from None
    except UnicodeError:
        raise _Undecodable from None
    except OSError as exc:
        raise CasetimeError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    return assembler.finish(), done


@contextlib.contextmanager
def _any_field_size() -> Generator[None, None, None]:
    """The standard library's field size limit lifted while reading (a long cell is a row issue, not an error)."""
    before = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)
    try:
        yield
    finally:
        csv.field_size_limit(before)


#: The characters ``surrogateescape`` puts for bytes that are not UTF-8.
_ESCAPED: Final = re.compile("[\udc80-\udcff]")
#: Text that only valid UTF-8 beyond ASCII gives (a byte-order mark aside).
_UTF8_TEXT: Final = re.compile("[\u0080-\udc7f\udd00-\ufefe\uff00-\U0010ffff]")


def _as_cp1252(text: str, path: str, row: int, heading: str) -> str:
    """A cell read as UTF-8 with its undecodable bytes escaped, read as Windows-1252 instead."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("cp1252")
    except UnicodeError:
        raise CasetimeError(
            f"{path}: row {row}, column {heading!r}: the text is neither UTF-8 nor Windows-1252"
        ) from None


def _fix_cells(
    cols: list[Column], malformed: _I64, text: _Obj, header: list[str], path: str, first: int, rows: list[int]
) -> tuple[list[Column], _Obj]:
    """A chunk's cells that were not UTF-8, read as Windows-1252; their row numbers added to ``rows``."""
    out: list[Column] = []
    affected: set[int] = set()
    for col, heading in zip(cols, header, strict=True):
        assert isinstance(col, Text)
        n = col.uniq.shape[0]
        points = np.ascontiguousarray(col.uniq).view(np.uint32).reshape(n, -1)
        bad: npt.NDArray[np.bool_] = np.asarray(((points >= 0xDC80) & (points <= 0xDCFF)).any(axis=1))
        if not bad.any():
            out.append(col)
            continue
        at = np.flatnonzero(bad[col.codes])
        affected.update((at + first).tolist())
        values = col.uniq.tolist()
        for i in np.flatnonzero(bad).tolist():
            row = first + int(np.flatnonzero(col.codes == i)[0])
            values[i] = _as_cp1252(values[i], path, row, heading)
        out.append(text_from_strs([values[c] for c in col.codes.tolist()]))
    fixed = text.copy()
    for i, cell in enumerate(text.tolist()):
        if _ESCAPED.search(cell):
            fixed[i] = _as_cp1252(cell, path, first + int(malformed[i]), "(the row)")
    rows.extend(sorted(affected))
    return out, fixed


def _holds_utf8_text(path: str) -> bool:
    """Whether the file holds text beyond ASCII that is valid UTF-8 (so it is not a Windows-1252 file)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    with open(path, "rb") as handle:
        while True:
            block = handle.read(1 << 22)
            text = decoder.decode(block, final=not block)
            if not text.isascii() and _UTF8_TEXT.search(text):
                return True
            if not block:
                return False


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


_SCAN_BYTES: Final = 1 << 16  # (a bigger buffer was slower to scan with here, at first use)


#: The first part of a file the pyarrow reader parses on its own, as one block, where the file holds no
#: double quote (a line break then always ends a row): the first batch is ready after this much rather
#: than after a whole block, so that the threads that prepare and add the batches start sooner.
_FIRST_PART_BYTES: Final = 1 << 18


def _first_part_end(path: str, end: int) -> int | None:
    """Where the first part of a file without quotes ends: just after the first line break past
    :data:`_FIRST_PART_BYTES`; ``None`` for a file too small to split (or with no line break there)."""
    if end < 8 * _FIRST_PART_BYTES:
        return None
    with open(path, "rb") as handle:
        handle.seek(_FIRST_PART_BYTES)
        found = handle.read(_SAMPLE_BYTES).find(b"\n")
    return None if found < 0 else _FIRST_PART_BYTES + found + 1


def _content_end(path: str) -> int:
    """Where the file's content ends (trailing line breaks left out)."""
    size = os.path.getsize(path)
    with open(path, "rb") as handle:
        handle.seek(max(0, size - _SAMPLE_BYTES))
        tail = handle.read()
    return size - (len(tail) - len(tail.rstrip(b"\r\n")))


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


def _has_quote(path: str) -> bool:
    """Whether the file holds a double quote anywhere (only then can a value hold a line break).

    A scan for one byte runs at memory speed; parsing without looking for line breaks inside
    values is about a third faster. The file is read a block at a time into one small buffer, not
    mapped: a mapped file counts in the process's resident memory while it is scanned (388 MB
    at 10 million rows, on top of the tables when it came after the read).
    """
    return any(block.find(b'"') >= 0 for block in _blocks(path))


def _blocks(path: str, limit: int | None = None) -> Generator[bytearray, None, None]:
    """The file's bytes (its first ``limit``), a block at a time, in one buffer reused (not mapped)."""
    buffer = bytearray(_SCAN_BYTES)
    left = limit
    with open(path, "rb", buffering=0) as handle:
        while (left is None or left > 0) and (got := handle.readinto(buffer)):
            if left is not None:
                got = min(got, left)
                left -= got
            yield buffer if got == len(buffer) else buffer[:got]


def _typed_dates(layout: Layout, header: list[str], sample: str, sep: str, style: DateStyle) -> set[int]:
    """The date columns pyarrow may read as dates: those whose cells in the sample are all
    ``YYYY-MM-DD`` or empty, with at least one date (a column's first other cell further on makes the
    reader read it as text from there: see :func:`_read_arrow`)."""
    if style.date_format is not None:
        return set()
    candidates = [i for i in sole_date_columns(layout) if header.count(header[i]) == 1]
    if not candidates:
        return set()
    try:
        rows = list(csv.reader(sample.split("\n")[:-1], delimiter=sep))
    except csv.Error:  # (a lone carriage return in a cell: no guess, every column read as text)
        return set()
    typed = set()
    for i in candidates:
        cells = [row[i] for row in rows if len(row) > i]
        if all(c == "" or _ISO_CELL.fullmatch(c) for c in cells) and any(cells):
            typed.add(i)
    return typed


def _days_column(array: Any, index: int) -> Days:
    """A batch's column that pyarrow read as dates, as day numbers (empty cells missing).

    Its cells are ``YYYY-MM-DD`` of a real day (pyarrow refuses any other), which
    :func:`casetime.dates.read_date_strings` reads to the same day, but for a year before
    :data:`~casetime.dates.FIRST_YEAR`: then :class:`_Untyped`, so that the text says why.
    """
    days = to_day_numbers(array)  # (empty cells are nulls: MISSING)
    if (days[days != MISSING] < _FIRST_DAY).any():
        raise _Untyped(index)
    return Days(days)


def _arrow_column(array: Any) -> tuple[ArrowText | Text, tuple[_I64, _I64] | None]:
    """A batch's column, with its cells over the cell limit emptied (and their positions and lengths).

    A column read dictionary-encoded (see :func:`_coded_columns`) comes as :class:`Text`, unless it
    needs looking at cell by cell (:func:`~casetime.io._columns.dictionary_text`): then as plain text.
    Its cells must be UTF-8, else the standard library reader reads the file (which says which cells
    are not): they are checked here, where a quick look at the bytes mostly suffices, not by pyarrow's
    parser, which checks every cell as it goes (``check_utf8``: 7-10% of its time on the benchmark files).
    """
    if _is_dictionary(array.type):
        if not valid_utf8(ArrowText.of(array.dictionary)):
            raise _Fallback
        text = dictionary_text(array)
        if text is not None:
            return text, None
        array = array.dictionary_decode()
    col = ArrowText.of(array)
    if col.data.size and not col.data.all():  # a NUL: not text; the python reader says so
        raise _Fallback
    if not valid_utf8(col):
        raise _Fallback
    return cap_arrow(col)


def _is_dictionary(kind: Any) -> bool:
    import pyarrow.types

    return bool(pyarrow.types.is_dictionary(kind))


def _coded_columns(layout: Layout, width: int, typed: set[int]) -> set[int]:
    """The columns pyarrow reads dictionary-encoded: every one but the child ids (keyed from their
    bytes, nearly one distinct text per row) and the columns it reads as dates."""
    ids = {plan.fields["child_id"] for plan in layout.plans.values() if "child_id" in plan.fields}
    return set(range(width)) - ids - typed


def _read_arrow(
    path: str,
    record_type: str | None,
    columns: Mapping[str, str] | None,
    style: DateStyle,
    chunk_rows: int,
    progress: Callable[[int], object] | None,
    sep: str,
    quoted: bool,
) -> tuple[ReadResult, int]:
    """The pyarrow reader: the tables, and the number of the last row read (``quoted``: whether the
    file holds a double quote, so that a value may hold a line break)."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:
        raise _Fallback from None
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = _check_header(next(csv.reader(handle, delimiter=sep), None), path)
            sample = handle.read(_SAMPLE_BYTES)
    except (UnicodeError, csv.Error):
        raise _Fallback from None
    layout = layout_of(header, record_type, columns, path, _stem(path))
    line_bytes = max(len(sample.encode("utf-8")) / max(sample.count("\n"), 1), 8.0)
    block = int(min(max(chunk_rows * line_bytes, _MIN_BLOCK_BYTES), 1 << 26))
    invalid: list[int] = []

    def on_invalid(row: Any) -> str:
        invalid.append(1)
        return "skip"

    end = _content_end(path)
    assembler = Assembler(layout, path, style)
    typed = _typed_dates(layout, header, sample, sep, style)

    def prepare(batch: Any) -> tuple[list[Column], Prepared, int, dict[int, tuple[_I64, _I64]]]:
        """A batch's columns, with the work the assembler will want done first (off the main thread)."""
        cols: list[Column] = []
        long = {}
        for i in range(batch.num_columns):
            if i in typed:
                cols.append(_days_column(batch.column(i), i))
                continue
            col, found = _arrow_column(batch.column(i))
            cols.append(col)
            if found is not None:
                long[i] = found
        return cols, assembler.prepare(cols), int(batch.num_rows), long

    done = 1
    coded_type = pa.dictionary(pa.int32(), pa.string())
    parse_options = pacsv.ParseOptions(
        delimiter=sep,
        quote_char='"' if quoted else False,  # (no quote in the file: none looked for, 1-8% of the parse)
        newlines_in_values=quoted,
        ignore_empty_lines=False,
        invalid_row_handler=on_invalid,
    )

    def open_reader(handle: Any, size: int, *, skip: int = 0, names: list[str] | None = None, block_bytes: int) -> Any:
        """A pyarrow reader of ``size`` bytes of ``handle`` from where it is (``names``: the columns'
        names, for a part of the file without the heading line)."""
        coded = _coded_columns(layout, len(header), typed)
        reader = pacsv.open_csv(
            _io.BufferedReader(_Limited(handle, size), buffer_size=1 << 20),
            read_options=pacsv.ReadOptions(
                block_size=block_bytes, use_threads=False, skip_rows_after_names=skip, column_names=names
            ),
            parse_options=parse_options,
            convert_options=pacsv.ConvertOptions(
                column_types={
                    n: pa.date32() if i in typed else coded_type if i in coded else pa.string()
                    for i, n in enumerate(header)
                },
                null_values=[""],  # (for the date columns: an empty cell, and nothing else, is no date)
                check_utf8=False,  # (each text column's bytes are checked by valid_utf8 instead: see _arrow_column)
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        if reader.schema.names != header:
            raise _Fallback
        return reader

    def batches(skip: int) -> Generator[Any, None, None]:
        """The file's batches from row ``skip + 2``; from the top, a small first part of the file as one
        block on its own, so that preparing and adding batches starts sooner (see :data:`_FIRST_PART_BYTES`)."""
        cut = _first_part_end(path, end) if skip == 0 and not quoted else None
        with open(path, "rb") as raw:
            size = end if cut is None else cut
            yield from open_reader(raw, size, skip=skip, block_bytes=block if cut is None else cut)
        if cut is None:
            return
        with open(path, "rb") as raw:
            raw.seek(cut)
            yield from open_reader(raw, end - cut, names=header, block_bytes=block)

    # Once, or again from the row reached with a column pyarrow cannot read as dates read as text. A
    # batch prepared ahead of the one that failed is thrown away; the label radix it may have widened
    # stays wider, which changes no code (parts with different radixes merge alike).
    while True:
        try:
            with contextlib.closing(_read_ahead(batches(done - 1), prepare)) as ready_batches:
                for cols, ready, count, long in ready_batches:
                    if invalid:
                        raise _Fallback
                    rows = np.arange(done + 1, done + 1 + count, dtype=np.int64)
                    assembler.add(Chunk(cols, rows, parts=ready.parts, dates=ready.dates, long=long))
                    done += count
                    if progress is not None:
                        progress(done - 1)
                    del cols
            break
        except _Untyped as exc:
            typed.discard(exc.index)
        except pa.ArrowInvalid as exc:
            found = _NOT_A_DATE.match(str(exc))
            if found is None or int(found.group(1)) not in typed:
                raise _Fallback from None
            typed.discard(int(found.group(1)))
        except pa.ArrowException:
            raise _Fallback from None
    if invalid:
        raise _Fallback
    pa.default_memory_pool().release_unused()  # the parse buffers: give them back before the arrays are joined
    return assembler.finish(), done


def read_csv(
    path: str | os.PathLike[str],
    record_type: str | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    dayfirst: bool = True,
    date_format: str | None = None,
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
    a BOM is read too. Fields are separated by commas, semicolons or tabs: the
    one the header row holds most often (outside quotes; a comma on a tie).
    ``engine="auto"`` uses pyarrow when it is installed and the file allows it,
    falling back to the standard library reader (for example on a row with the
    wrong number of fields); both give identical tables. ``progress`` is called
    after each chunk with the rows read so far. Dates are read as
    :func:`casetime.dates.parse_date_strings` reads them (day first unless
    ``dayfirst=False``; ``date_format`` for one strptime format instead).

    Returns :class:`ReadResult` ``(tables, issues, rejected)``.
    """
    if engine not in ENGINES:
        raise CasetimeError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if int(chunk_rows) < 1:
        raise CasetimeError(f"chunk_rows must be at least 1, not {chunk_rows!r}")
    source = os.fspath(path)
    style = DateStyle(dayfirst, date_format)
    encodings = _sniff(source)
    with open(source, "rb") as handle:
        head = handle.read(_SAMPLE_BYTES)
    sep, others = _separator(head, encodings[0])
    quoted = _has_quote(source)
    result, rows, encoding, mixed = _read_csv(
        source, record_type, columns, style, int(chunk_rows), progress, sep, encodings, engine, quoted
    )
    notices = list(result.notices)
    if others:
        shown = " and ".join(repr(x) for x in [sep, *others])
        notices.append(Notice(
            source, UNKNOWN_TYPE, "ambiguous_separator",
            f"{source}: the header row holds {shown}; it was read as {sep!r}-separated (the most frequent); "
            "check the columns used",
        ))  # fmt: skip
    if mixed:
        notices.append(Notice(
            source, UNKNOWN_TYPE, "mixed_encoding",
            f"{source}: {_count(len(mixed), 'row holds', 'rows hold')} text that is not UTF-8 in a file otherwise "
            f"UTF-8 (row {_rows_said(mixed)}); those cells were read as Windows-1252: check the names in them",
        ))  # fmt: skip
    spanning = _spanning_rows(source, encoding, sep, rows) if quoted else []
    if spanning:
        row, first, last = spanning[0]
        lines = sum(b - a for _, a, b in spanning)
        first_said = "" if len(spanning) == 1 else "the first: "
        notices.append(Notice(
            source, UNKNOWN_TYPE, "open_quote",
            f"{source}: {_count(len(spanning), 'row runs', 'rows run')} over several lines ({first_said}row {row}, "
            f"lines {first} to {last}): {_count(lines, 'line was', 'lines were')} read inside quoted cells, not as "
            "rows; if a quote was left open, close it (a notes column may hold line breaks on purpose)",
        ))  # fmt: skip
    if len(notices) == len(result.notices):
        return result
    return ReadResult(result.tables, result.issues, result.rejected, result.columns, notices)


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _rows_said(rows: list[int], shown: int = 5) -> str:
    """``2, 7, 9`` or ``2, 7, 9, 11, 12 and 40 more``."""
    head = ", ".join(str(r) for r in rows[:shown])
    return head if len(rows) <= shown else f"{head} and {len(rows) - shown:,} more"


def _read_csv(
    source: str,
    record_type: str | None,
    columns: Mapping[str, str] | None,
    style: DateStyle,
    chunk_rows: int,
    progress: Callable[[int], object] | None,
    sep: str,
    encodings: list[str],
    engine: str,
    quoted: bool,
) -> tuple[ReadResult, int, str, list[int]]:
    """Read with the fast reader where it can, else the stdlib reader in each encoding in turn.

    Returns the tables, the last row number, the encoding read and the rows read as Windows-1252 in
    a file otherwise UTF-8.
    """
    if engine == "pyarrow" and "pyarrow" not in sys.modules:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise CasetimeError("engine='pyarrow' needs pyarrow installed (pip install casetime[interop])") from None
    if engine != "python" and encodings[0] == "utf-8-sig":
        try:
            got = _read_arrow(source, record_type, columns, style, chunk_rows, progress, sep, quoted)
            return (*got, "utf-8-sig", [])
        except _Fallback:
            pass
    args = (record_type, columns, style, chunk_rows, progress, sep)
    try:
        return (*_read_python(source, encodings[0], *args), encodings[0], [])
    except _Undecodable:
        if encodings[0] != "utf-8-sig":
            raise CasetimeError(f"{source}: cannot read the file as text: it is not valid {encodings[0]}") from None
    if _holds_utf8_text(source):  # UTF-8 but for some cells: those are read as Windows-1252, and said
        mixed: list[int] = []
        return (*_read_python(source, "utf-8-sig", *args, mixed=mixed), "utf-8-sig", mixed)
    try:
        return (*_read_python(source, "cp1252", *args), "cp1252", [])
    except _Undecodable:
        raise CasetimeError(f"{source}: cannot read the file as text: it is neither UTF-8 nor Windows-1252") from None


def _spanning_rows(path: str, encoding: str, sep: str, rows: int) -> list[tuple[int, int, int]]:
    """The rows whose quoted cells hold line breaks: (row, first line, last line), if the file has more
    lines than rows (only then can one), read again by the standard library to find them."""
    end = _content_end(path)
    if encoding != "utf-16" and end > 0:
        lines = 1 + sum(block.count(b"\n") for block in _blocks(path, end))
        if lines <= rows:
            return []
    found = []
    with open(path, encoding=encoding, errors="replace", newline="") as text:
        reader = csv.reader(text, delimiter=sep)
        last = 0
        for row, _ in enumerate(reader, start=1):
            if reader.line_num > last + 1:
                found.append((row, last + 1, reader.line_num))
            last = reader.line_num
    return found
