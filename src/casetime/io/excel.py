"""Excel workbooks (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``): each sheet read like a CSV file, by python-calamine.

A sheet's first row holds its headings, matched as a CSV file's are; its record type comes from
``record_type=``, a ``record_type`` column, the sheet's name (``cpp``, ``Initial assessments``) or
the headings. Cells that are real Excel dates are dates; cells of text are read as text dates are
(day first unless told otherwise); a number in an id column is the whole number it holds. Every
issue names the workbook and the sheet (``extract.xlsx [cpp]``) and the row as Excel shows it (the
headings are row 1). A sheet no record type fits is not read, and a warning says so; the workbook
must have at least one sheet that is read.

Reading needs the optional ``python-calamine`` (``pip install 'casetime[excel]'``): a Rust reader,
about 20 times faster than ``openpyxl`` on a 200,000-row sheet (see benchmarks/README.md).

>>> import importlib.util
>>> importlib.util.find_spec("python_calamine") is not None
True
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, Final

import numpy as np

from casetime.dates import DateStyle
from casetime.errors import CasetimeError
from casetime.io._columns import Column, text_from_objects
from casetime.io.assemble import Assembler, Chunk, ReadResult, join_results, layout_of, mapping_for_source
from casetime.quality import UNKNOWN_TYPE, Notice
from casetime.schema import ColumnError
from casetime.tables import cell_text

__all__ = ["EXCEL_SUFFIXES", "is_excel", "read_excel"]

#: The workbook file name endings read as Excel (python-calamine reads all of them).
EXCEL_SUFFIXES: Final = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
_INSTALL: Final = "pip install 'casetime[excel]'"


def is_excel(path: str | os.PathLike[str]) -> bool:
    """Whether a path names a workbook (by its extension).

    >>> is_excel("extract.xlsx"), is_excel("extract.csv")
    (True, False)
    """
    return os.fspath(path).lower().endswith(EXCEL_SUFFIXES)


def read_excel(
    path: str | os.PathLike[str],
    record_type: str | None = None,
    *,
    columns: Mapping[str, Any] | None = None,
    dayfirst: bool = True,
    date_format: str | None = None,
    progress: Callable[[int], object] | None = None,
) -> ReadResult:
    """Read every sheet of a workbook that holds records into tables (see the module docstring)."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        raise CasetimeError(f"reading an Excel workbook needs python-calamine: {_INSTALL}") from None
    source = os.fspath(path)
    try:
        book = CalamineWorkbook.from_path(source)
    except Exception as exc:  # (calamine's own errors: a file that is not a workbook, or damaged)
        raise CasetimeError(f"{source}: not a readable workbook ({exc})") from None
    style = DateStyle(dayfirst, date_format)
    mapping = mapping_for_source(columns, source)
    results: list[ReadResult] = []
    skipped: list[Notice] = []
    done = 0
    for sheet in book.sheet_names:
        label = f"{source} [{sheet}]"
        rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        if not rows or not any(_filled(v) for v in rows[0]):
            skipped.append(Notice(label, UNKNOWN_TYPE, "sheet_not_read", f"{label}: the sheet is empty; not read"))
            continue
        headings = [_heading(v) for v in rows[0]]
        try:
            layout = layout_of(headings, record_type, mapping, label, sheet)
        except ColumnError as exc:
            if record_type is not None:
                raise
            skipped.append(Notice(label, UNKNOWN_TYPE, "sheet_not_read", f"{exc}; the sheet was not read"))
            continue
        body = rows[1:]
        width = len(headings)
        cols: list[Column] = []
        for j in range(width):
            values = np.empty(len(body), dtype=object)
            values[:] = [row[j] if j < len(row) else None for row in body]
            cols.append(text_from_objects(values))
        assembler = Assembler(layout, label, style)
        assembler.add(Chunk(cols, np.arange(2, 2 + len(body), dtype=np.int64)))
        results.append(assembler.finish())
        done += len(body)
        if progress is not None:
            progress(done)
    if not results:
        reasons = "; ".join(n.message for n in skipped) or f"{source}: the workbook has no sheets"
        raise CasetimeError(f"{source}: no sheet of the workbook holds records ({reasons})")
    if skipped:
        results.append(ReadResult({}, [], [], [], skipped))
    return join_results(results)


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""


def _heading(value: object) -> str:
    """A heading cell's text, as any reader reads a cell (a number heading is its whole number)."""
    return cell_text(value)[0]
