"""Files and directories, and several inputs joined into one result.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "ia.csv").write_text("child_id,referral_date\\nA,05/01/2009\\n", encoding="utf-8")
>>> _ = (folder / "cpp.csv").write_text("child_id,start_date\\nA,2009-02-01\\n", encoding="utf-8")
>>> sorted(read_path(folder).tables)
['cpp', 'initial_assessment']
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from casetime.errors import CasetimeError, CasetimeTypeError
from casetime.io.assemble import INPUT_RULES, NotRecords, ReadResult, file_keys, join_results, mapping_for_source
from casetime.io.cin import is_cin_xml, read_cin_xml
from casetime.io.csv import read_csv
from casetime.io.excel import EXCEL_SUFFIXES, is_excel, read_excel
from casetime.io.frames import is_frame, tables_from_frame
from casetime.quality import UNKNOWN_TYPE, Notice
from casetime.schema import ColumnError, record_type_of
from casetime.tables import Table

__all__ = ["FOLDER_SUFFIXES", "join_results", "read_inputs", "read_path"]

#: The suffixes of the files a folder's reading takes (CSV, the census XML, workbooks); others are left.
FOLDER_SUFFIXES: Final = frozenset({".csv", ".xml", *EXCEL_SUFFIXES})

_I64 = npt.NDArray[np.int64]
_Obj = npt.NDArray[np.object_]


class _Running:
    """One running count of rows read for a ``progress`` callback, across inputs read one after another."""

    def __init__(self, progress: Callable[[int], object] | None) -> None:
        self.progress = progress
        self.done = 0
        self.current = 0

    def next_input(self) -> Callable[[int], object] | None:
        """The callback for the next input (each reader counts from 0; the ones before are added)."""
        self.done += self.current
        self.current = 0
        if self.progress is None:
            return None
        report = self.progress

        def seen(count: int) -> None:
            self.current = count
            report(self.done + count)

        return seen


def read_path(
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
    """Read a CSV file, a CIN census XML file or an Excel workbook, or every such file of a directory (in
    name order), into tables (see :func:`casetime.io.cin.read_cin_xml` for the census and
    :func:`casetime.io.excel.read_excel` for workbooks).

    A ``.csv`` entry of a directory that cannot be read (a broken link, no permission) is not skipped
    silently: it is a :class:`~casetime.quality.Notice` (``unreadable_file``) of the result.

    Files of the same record type are joined into one table; each row keeps
    its file as ``table.source`` and its row number in that file.
    """
    source = os.fspath(path)
    if not os.path.isdir(source):
        return _read_file(source, record_type, columns, dayfirst, date_format, chunk_rows, engine, progress)
    entries = sorted(p for p in Path(source).iterdir() if p.suffix.lower() in FOLDER_SUFFIXES)
    files = [p for p in entries if p.is_file() and os.access(p, os.R_OK)]
    skipped = [
        Notice(os.fspath(p), UNKNOWN_TYPE, "unreadable_file", f"{p}: {_why_unreadable(p)}; it was not read")
        for p in entries
        if p not in files
    ]
    if not files:
        if skipped:
            raise CasetimeError(skipped[0].message.replace("; it was not read", "; no .csv file could be read"))
        raise CasetimeError(f"{source}: the directory holds no .csv files (nor census .xml files, nor workbooks)")
    running = _Running(progress)
    results = []
    for file in files:
        try:
            results.append(
                _read_file(
                    str(file), record_type, columns, dayfirst, date_format, chunk_rows, engine, running.next_input()
                )
            )
        except NotRecords as exc:  # (a workbook or XML file of something else, beside the extract's files)
            skipped.append(Notice(os.fspath(file), UNKNOWN_TYPE, "file_not_read", f"{exc}; it was not read"))
    if not results:
        raise CasetimeError(f"{source}: no file of the directory holds records ({skipped[0].message})")
    if skipped:
        results.append(ReadResult({}, [], [], [], skipped))
    return join_results(results)


def _read_file(
    source: str,
    record_type: str | None,
    columns: Mapping[str, Any] | None,
    dayfirst: bool,
    date_format: str | None,
    chunk_rows: int,
    engine: str,
    progress: Callable[[int], object] | None,
) -> ReadResult:
    """One file, by its reader: a census ``.xml`` file, an Excel workbook or a CSV file."""
    if is_excel(source):
        return read_excel(
            source, record_type, columns=columns, dayfirst=dayfirst, date_format=date_format, progress=progress
        )
    if is_cin_xml(source):
        if record_type is not None:
            raise CasetimeError(
                f"{source}: a census file holds several record types (its elements say which); "
                f"record_type={record_type!r} cannot apply to it"
            )
        result = read_cin_xml(source, dayfirst=dayfirst, date_format=date_format, progress=progress)
        if not mapping_for_source(columns, source):
            return result
        unused = Notice(
            source, UNKNOWN_TYPE, "mapping_not_used",
            f"{source}: the columns= mapping does not apply to a census file (its elements say what each date is)",
        )  # fmt: skip
        return ReadResult(
            result.tables, result.issues, result.rejected, result.columns, [*result.notices, unused], result.census
        )
    return read_csv(
        source,
        record_type,
        columns=columns,
        dayfirst=dayfirst,
        date_format=date_format,
        chunk_rows=chunk_rows,
        engine=engine,
        progress=progress,
    )


def _why_unreadable(path: Path) -> str:
    """Why a ``.csv`` entry of a directory cannot be read, in words."""
    if path.is_symlink() and not path.exists():
        return f"a broken link (to {os.readlink(path)!r})"
    if path.is_dir():
        return "a directory named like a CSV file"
    if not path.is_file():
        return "not a regular file"
    return "cannot be read (permission denied)"


def _check_file_keys(columns: Mapping[str, Any] | None, inputs: Sequence[Any]) -> None:
    """Every file named by a ``columns=`` mapping by file must be one of the inputs (or in one of their folders)."""
    keys = file_keys(columns)
    if not keys:
        return
    names: set[str] = set()
    for item in inputs:
        if isinstance(item, (str, os.PathLike)):
            path = Path(item)
            names.update({os.fspath(item), path.name})
            if path.is_dir():
                names.update(p.name for p in path.iterdir())
                names.update(os.fspath(p) for p in path.iterdir())
    stray = [k for k in keys if k not in names]
    if stray:
        raise ColumnError(
            f"columns= names {', '.join(map(repr, stray))}, which is neither a record type nor one of the files read"
        )


def _is_extract(item: object) -> bool:
    """An extract (:func:`casetime.load`'s result) given as an input: tables and a quality report."""
    return isinstance(getattr(item, "tables", None), Mapping) and hasattr(getattr(item, "quality", None), "issue_sets")


def _extract_result(item: Any, record_type: str | None) -> ReadResult:
    """An extract as a reader's result: its tables and what its readers found (the validation rules run again
    on the joined tables, so their findings are not carried over)."""
    tables = dict(item.tables)
    if record_type is not None:
        kind = record_type_of(record_type)
        strange = [k for k in tables if k != kind]
        if strange:
            raise CasetimeError(
                f"record_type={record_type!r} but an extract with {', '.join(strange)} records was given"
            )
    reading = {rule.code for rule in INPUT_RULES}
    quality = item.quality
    issues = [s for s in quality.issue_sets if s.rule in reading]
    return ReadResult(
        tables, issues, list(quality.rejected), list(getattr(quality, "columns", [])),
        list(getattr(quality, "notices", [])), tuple(getattr(item, "census", ())), tuple(getattr(item, "annex_a", ())),
    )  # fmt: skip


def read_inputs(
    inputs: Sequence[Any],
    record_type: str | None = None,
    *,
    columns: Mapping[str, Any] | None = None,
    dayfirst: bool = True,
    date_format: str | None = None,
    chunk_rows: int = 100_000,
    engine: str = "auto",
    progress: Callable[[int], object] | None = None,
) -> ReadResult:
    """Read every input (files, directories, frames, dicts of columns, ready-made tables, extracts) and join them.

    An extract (:func:`casetime.load`'s result) brings its tables and what its readers found (unreadable
    dates, malformed rows, rows of an unknown type); the validation rules are run again on the whole.
    Frames are labelled ``<dataframe>`` (``<dataframe 1>``, ``<dataframe 2>`` ... when there are
    several); a :class:`~casetime.tables.Table` is taken as it is.

    >>> result = read_inputs([{"child_id": ["A"], "start_date": ["2009-01-05"]}], "cpp")
    >>> sorted(result.tables), result.tables["cpp"].source.labels.tolist()
    (['cpp'], ['<dataframe>'])
    """
    if not inputs:
        raise CasetimeError("nothing to read: give a CSV file, a directory, a DataFrame or a Table")
    _check_file_keys(columns, inputs)
    results: list[ReadResult] = []
    running = _Running(progress)
    frames = sum(map(is_frame, inputs))
    seen = 0
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
                    date_format=date_format,
                    chunk_rows=chunk_rows,
                    engine=engine,
                    progress=running.next_input(),
                )
            )
        elif _is_extract(item):
            results.append(_extract_result(item, record_type))
        elif is_frame(item):
            seen += 1
            label = "<dataframe>" if frames == 1 else f"<dataframe {seen}>"
            results.append(
                tables_from_frame(
                    item, record_type, columns=columns, source=label, dayfirst=dayfirst, date_format=date_format
                )
            )
        else:
            raise CasetimeTypeError(
                f"cannot load a {type(item).__name__}: expected a path, a DataFrame, a dict of columns, a Table or "
                "an extract"
            )
    return results[0] if len(results) == 1 else join_results(results)
