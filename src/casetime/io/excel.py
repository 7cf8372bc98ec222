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
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

import numpy as np

from casetime.dates import DateStyle
from casetime.errors import CasetimeError
from casetime.io._columns import Column, text_from_objects, yes_no
from casetime.io.assemble import (
    Assembler,
    Chunk,
    NotRecords,
    ReadResult,
    join_results,
    layout_of,
    mapping_for_source,
)
from casetime.quality import UNKNOWN_TYPE, Notice
from casetime.schema import ColumnError, normalise_heading
from casetime.tables import cell_text

__all__ = ["ANNEX_A_LISTS", "ASSESSMENT_CLOCK", "EXCEL_SUFFIXES", "is_excel", "read_excel"]

#: Ofsted's Annex A lists that carry casetime's records: list number -> record type, and for each standard
#: column the headings the lists have used (the first one present is taken; the others are older names).
ANNEX_A_LISTS: Final[Mapping[int, tuple[str, Mapping[str, tuple[str, ...]]]]] = {
    3: ("referral", {"child_id": ("Child Unique ID",), "referral_date": ("Date of referral",)}),
    4: ("single_assessment", {
        "child_id": ("Child Unique ID",),
        "start_date": ("Continuous Assessment Start Date", "Assessment start date"),
        "completion_date": ("Continuous Assessment Date of Authorisation", "Assessment completion date"),
    }),
    5: ("s47", {
        "child_id": ("Child Unique ID",),
        "start_date": ("Strategy discussion initiating Section 47 Enquiry Start Date",),
        "conference_date": ("Date of Initial Child Protection Conference", "Date of ICPC"),
    }),
    6: ("referral", {
        "child_id": ("Child Unique ID",), "referral_date": ("CIN Start Date",), "closure_date": ("CIN Closure Date",),
    }),
    7: ("cpp", {
        "child_id": ("Child Unique ID",),
        "start_date": ("Child Protection Plan Start Date", "CPP Start Date"),
        "end_date": ("Child Protection Plan End Date", "CPP End Date"),
        "review_dates": ("Date of latest review conference",),
    }),
}  # fmt: skip
_LIST_TITLES: Final = {
    1: "contacts", 2: "early help assessments", 3: "referrals", 4: "assessments", 5: "section 47 enquiries and ICPCs",
    6: "children in need", 7: "child protection", 8: "children looked after", 9: "care leavers",
    10: "adoption", 11: "adopters",
}  # fmt: skip
_LIST: Final = re.compile(r"^\s*list\s*(\d{1,2})\b", re.IGNORECASE)
#: The heading casetime adds to List 4, which has no referral date (its assessment start stands in).
ASSESSMENT_CLOCK: Final = "Continuous Assessment Start Date (as the clock start)"

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
        raise NotRecords(f"{os.fspath(path)}: reading an Excel workbook needs python-calamine: {_INSTALL}") from None
    source = os.fspath(path)
    try:
        book = CalamineWorkbook.from_path(source)
    except Exception as exc:  # (calamine's own errors: a file that is not a workbook, or damaged)
        raise CasetimeError(f"{source}: not a readable workbook ({exc})") from None
    style = DateStyle(dayfirst, date_format)
    mapping = mapping_for_source(columns, source)
    sheets = [(sheet, book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)) for sheet in book.sheet_names]
    lists = _annex_a_lists(sheets)
    results: list[ReadResult] = []
    skipped: list[Notice] = []
    done = 0
    for sheet, rows in sheets:
        label = f"{source} [{sheet}]"
        if not rows or not any(_filled(v) for v in rows[0]):
            skipped.append(Notice(label, UNKNOWN_TYPE, "sheet_not_read", f"{label}: the sheet is empty; not read"))
            continue
        headings = [_heading(v) for v in rows[0]]
        body: list[list[Any]] = rows[1:]  # (calamine gives each row as a list)
        kind, own, said = record_type, mapping, []
        if sheet in lists:
            number = lists[sheet]
            why = _unused_list(number, set(lists.values()))
            if why:
                said_rows = f" ({_rows(body)})"
                skipped.append(Notice(label, UNKNOWN_TYPE, "list_not_used", f"{label}: Annex A {why}{said_rows}"))
                continue
            kind, own = ANNEX_A_LISTS[number][0], _list_mapping(number, headings)
            if number == 4 and "start_date" in own:  # no referral date: the assessment's start is its clock start
                headings.append(ASSESSMENT_CLOCK)
                at = headings.index(own["start_date"])
                body = [[*row, row[at] if at < len(row) else None] for row in body]
                own["referral_date"] = ASSESSMENT_CLOCK
                said.append(Notice(
                    label, kind, "annex_a_clock",
                    f"{label}: Annex A List 4 has no referral date: each assessment's start ({own['start_date']!r}) "
                    "is its clock start, as DfE's table C2 counts; SA45 here counts from the assessment's start, "
                    "not the referral",
                ))  # fmt: skip
            if number == 5:  # "deemed unnecessary?" (Yes / No) as the census's ICPCnotRequired (true / false)
                waived = _first_heading(headings, _ICPC_WAIVED)
                if waived is not None:
                    at = headings.index(waived)
                    headings.append("ICPCnotRequired")
                    body = [[*row, _yes_no(row[at] if at < len(row) else None)] for row in body]
        try:
            layout = layout_of(headings, kind, own, label, sheet)
        except ColumnError as exc:
            if record_type is not None:
                raise
            skipped.append(
                Notice(label, UNKNOWN_TYPE, "sheet_not_read", f"{exc}; the sheet ({_rows(body)}) was not read")
            )
            continue
        width = len(headings)
        cols: list[Column] = []
        for j in range(width):
            values = np.empty(len(body), dtype=object)
            values[:] = [row[j] if j < len(row) else None for row in body]
            cols.append(text_from_objects(values))
        assembler = Assembler(layout, label, style)
        assembler.add(Chunk(cols, np.arange(2, 2 + len(body), dtype=np.int64)))
        result = assembler.finish()
        if said:
            result = ReadResult(result.tables, result.issues, result.rejected, result.columns, [*result.notices, *said])
        results.append(result)
        done += len(body)
        if progress is not None:
            progress(done)
    if not results:
        reasons = "; ".join(n.message for n in skipped) or f"{source}: the workbook has no sheets"
        raise NotRecords(f"{source}: no sheet of the workbook holds records ({reasons})")
    if skipped:
        results.append(ReadResult({}, [], [], [], skipped))
    if lists:  # (an Annex A workbook: the default period is its six months)
        results.append(ReadResult({}, [], [], [], [], (), (source,)))
    return join_results(results)


def _annex_a_lists(sheets: list[tuple[str, list[list[Any]]]]) -> dict[str, int]:
    """The Annex A list of each sheet that is one: by its name (``List 4``, ``List 4 - Assessments``), or by
    its headings (``Child Unique ID`` and the heading of the list's clock start, such as
    ``Continuous Assessment Start Date``)."""
    found: dict[str, int] = {}
    for sheet, rows in sheets:
        named = _LIST.match(sheet)
        if named:
            found[sheet] = int(named.group(1))
        elif rows:
            headings = {normalise_heading(_heading(v)) for v in rows[0]}
            if normalise_heading("Child Unique ID") in headings:
                for number, (_, fields) in ANNEX_A_LISTS.items():
                    clock = "referral_date" if "referral_date" in fields else "start_date"
                    if normalise_heading(fields[clock][0]) in headings:
                        found[sheet] = number
                        break
    return found


#: List 5's headings saying an initial conference was not needed (the newer first).
_ICPC_WAIVED: Final = ("Was an Initial Child Protection Conference deemed unnecessary?", "ICPC deemed unnecessary?")


def _first_heading(headings: list[str], names: tuple[str, ...]) -> str | None:
    by_norm = {normalise_heading(h): h for h in headings}
    return next((by_norm[normalise_heading(n)] for n in names if normalise_heading(n) in by_norm), None)


def _yes_no(value: object) -> str | None:
    """An Annex A yes/no cell (``Yes`` / ``No``, any case, or ``Y`` / ``N``) as ``true`` / ``false``."""
    text = cell_text(value)[0].strip()
    return yes_no(text) if text else None


def _unused_list(number: int, present: set[int]) -> str:
    """Why an Annex A list is not read (``""`` when it is)."""
    title = _LIST_TITLES.get(number, "not an Annex A list")
    if number not in ANNEX_A_LISTS:
        return f"List {number} ({title}) holds no records casetime counts; read, not used"
    if number == 6 and 3 in present:
        return (
            "List 6 (children in need) was not used: List 3 gives the referrals, and its CIN episodes would "
            "count them twice"
        )
    return ""


def _list_mapping(number: int, headings: list[str]) -> dict[str, str]:
    """The standard columns of an Annex A list: for each, the first of its headings the sheet has."""
    out: dict[str, str] = {}
    for standard, names in ANNEX_A_LISTS[number][1].items():
        found = _first_heading(headings, names)
        if found is not None:
            out[standard] = found
    return out


def _rows(body: list[list[Any]]) -> str:
    """How many rows of a sheet hold something, in words (``3 rows``)."""
    n = sum(1 for row in body if any(_filled(v) for v in row))
    return f"{n:,} row" if n == 1 else f"{n:,} rows"


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""


def _heading(value: object) -> str:
    """A heading cell's text, as any reader reads a cell (a number heading is its whole number)."""
    return cell_text(value)[0]
