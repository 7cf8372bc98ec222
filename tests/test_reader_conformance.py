"""Reader conformance: every reader, given the same logical extract, gives identical tables and issues.

A *logical extract* is a header and rows of cell texts ("" for an empty cell). Each reader gets it
in its own form: a CSV file read by the standard-library engine and by the pyarrow engine (in small
chunks, so that labels are merged across several), a pandas DataFrame, a polars DataFrame and a dict
of lists. What they give back is compared after two differences that are the readers' own: the
source's name (a file path, ``<dataframe>``) and the row numbering (a CSV's spreadsheet rows start at
2, a frame's positions at 0); a one-sheet workbook of text cells is read by the Excel reader too. The
census XML reader reads a different shape (elements, not a header and rows): it is compared with the
CSV reader on generated plans below.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casetime.io import ReadResult, read_cin_xml, read_csv, read_excel, tables_from_frame
from casetime.tables import Labels, Table
from support import pd, pl

Logical = tuple[list[str], list[list[str]]]


def _write(logical: Logical, path: Path) -> Path:
    header, rows = logical
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _columns(logical: Logical) -> dict[str, list[str]]:
    header, rows = logical
    return {h: [r[i] for r in rows] for i, h in enumerate(header)}


def _stdlib(logical: Logical, tmp: Path, record_type: str | None) -> ReadResult:
    return read_csv(_write(logical, tmp / "extract.csv"), record_type, engine="python", chunk_rows=3)


def _pyarrow(logical: Logical, tmp: Path, record_type: str | None) -> ReadResult:
    return read_csv(_write(logical, tmp / "extract.csv"), record_type, engine="pyarrow", chunk_rows=3)


def _pandas(logical: Logical, tmp: Path, record_type: str | None) -> ReadResult:
    return tables_from_frame(pd.DataFrame(_columns(logical), dtype=object), record_type)


def _polars(logical: Logical, tmp: Path, record_type: str | None) -> ReadResult:
    return tables_from_frame(pl.DataFrame(_columns(logical), schema={h: pl.String for h in logical[0]}), record_type)


def _dict(logical: Logical, tmp: Path, record_type: str | None) -> ReadResult:
    return tables_from_frame(_columns(logical), record_type)


def _excel(logical: Logical, tmp: Path, record_type: str | None) -> ReadResult:
    """The extract as a one-sheet workbook of text cells (written by openpyxl, read by python-calamine)."""
    header, rows = logical
    openpyxl = pytest.importorskip("openpyxl", reason="needs openpyxl (and python-calamine), not installed here")
    pytest.importorskip("python_calamine", reason="needs python-calamine, which is not installed here")
    from openpyxl.cell import WriteOnlyCell

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("extract")
    for row in [header, *rows]:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text, even when it starts with "=" (never a formula)
            cells.append(cell)
        sheet.append(cells)
    book.save(tmp / "extract.xlsx")
    return read_excel(tmp / "extract.xlsx", record_type)


#: reader name -> (read the logical extract, the row number of its first record)
READERS: dict[str, tuple[Callable[[Logical, Path, str | None], ReadResult], int]] = {
    "csv-stdlib": (_stdlib, 2),
    "csv-pyarrow": (_pyarrow, 2),
    "pandas": (_pandas, 0),
    "polars": (_polars, 0),
    "dict": (_dict, 0),
    "excel": (_excel, 2),
}


def _labels(lab: Labels) -> tuple[list[int], list[str]]:
    return lab.codes.tolist(), [str(x) for x in lab.labels.tolist()]


def _table(table: Table, first_row: int) -> dict[str, Any]:
    assert table.row is not None
    return {
        "child": _labels(table.child),
        "dates": {k: [str(d) for d in v.astype(str)] for k, v in table.dates.items()},
        "extra": {k: _labels(v) for k, v in table.extra.items()},
        "reviews": None if table.reviews is None else table.reviews.lists(),
        "rows": (table.row - first_row).tolist(),
    }


def signature(result: ReadResult, first_row: int) -> dict[str, Any]:
    """What a reader gave, without the source's name and with rows numbered from 0."""
    return {
        "tables": {kind: _table(t, first_row) for kind, t in result.tables.items()},
        "issues": sorted(
            (s.record_type, s.rule, s.field, s.positions.tolist(), [str(v) for v in s.values], s.message, s.severity)
            for s in result.issues
        ),
        "rejected": [((r.rows - first_row).tolist(), [str(v) for v in r.values], r.rule) for r in result.rejected],
    }


def check_conformance(logical: Logical, tmp: Path, record_type: str | None) -> dict[str, Any]:
    got = {}
    for name, (read, first_row) in READERS.items():
        got[name] = signature(read(logical, tmp, record_type), first_row)
    first = got["csv-stdlib"]
    for name, sig in got.items():
        assert sig == first, f"{name} differs from csv-stdlib"
    return first


# ---------------------------------------------------------------------------
# hand-made extracts
# ---------------------------------------------------------------------------

ODD_IDS = ["A", "C0000001", " C0000001 ", "A B", "LONGER-ID-12", "Zoë", "\u00a0Zoë", "É1", "   ", "",
           "A123456789012", "E09000003-0000012345", "X" * 80]  # fmt: skip


def test_initial_assessments_with_odd_ids_uk_dates_bad_dates_and_a_blank_row(tmp_path: Path) -> None:
    header = ["Child ID", "Date of referral", "Date completed", "Team"]
    rows = [[child, "05/01/2009", "14/01/2009" if i % 3 else "31/02/2009", f"T{i % 2}"] for i, child in
            enumerate(ODD_IDS)]  # fmt: skip
    rows.insert(4, ["", "", "", ""])  # a blank row: no record, but it keeps its number
    sig = check_conformance((header, rows), tmp_path, "ia")
    table = sig["tables"]["initial_assessment"]
    assert 4 not in table["rows"] and len(table["rows"]) == len(ODD_IDS)
    assert "Zoë" in table["child"][1] and "C0000001" in table["child"][1]
    assert table["child"][1] == sorted(table["child"][1])  # labels sorted by code point, stripped, distinct
    assert [(i[1], i[2], i[3]) for i in sig["issues"]] == [("unparseable_date", "completion_date", [0, 3, 6, 9, 12])]


def test_a_combined_extract_with_an_unknown_record_type(tmp_path: Path) -> None:
    header = ["record_type", "child_id", "referral_date", "start_date", "completion_date", "end_date",
              "review_dates", "team"]  # fmt: skip
    rows = [
        ["IA", "A1", "05/01/2009", "", "14/01/2009", "", "", "North"],
        ["cpp", "A1", "05/01/2009", "20/01/2009", "", "", "01/03/2009;01/06/2009", "North"],
        ["Initial Assessment", "A2", "06/01/2009", "", "31/02/2009", "", "", "South"],
        ["adoption", "A3", "07/01/2009", "", "", "", "", "South"],
        ["CPP", "A2", "", "2009-02-01", "2009-01-31", "", "2009-02-10; nope", ""],
        ["", "A4", "07/01/2009", "", "", "", "", ""],
    ]
    sig = check_conformance((header, rows), tmp_path, None)
    assert sorted(sig["tables"]) == ["cpp", "initial_assessment"]
    assert sig["rejected"] == [([3, 5], ["adoption", ""], "unknown_record_type")]
    assert sig["tables"]["cpp"]["reviews"] == [[dt.date(2009, 3, 1), dt.date(2009, 6, 1)], [dt.date(2009, 2, 10)]]


def test_plans_with_census_headings_and_reviews(tmp_path: Path) -> None:
    header = ["LAchildID", "CPPstartDate", "CPPendDate", "CPPreviewDate"]
    rows = [["C1", "2009-01-05", "2009-06-01", "2009-02-01;2009-04-01"], ["C2", "05/01/2009", "", ""],
            ["C1", "2009-07-01", "", "2009-08-01"], ["C3", "2009-13-01", "", "2009-08-01;31/02/2009"]]  # fmt: skip
    sig = check_conformance((header, rows), tmp_path, None)
    assert sig["tables"]["cpp"]["reviews"] == [
        [dt.date(2009, 2, 1), dt.date(2009, 4, 1)],
        [],
        [dt.date(2009, 8, 1)],
        [dt.date(2009, 8, 1)],
    ]
    assert {i[2] for i in sig["issues"]} == {"start_date", "review_dates"}


# ---------------------------------------------------------------------------
# generated extracts
# ---------------------------------------------------------------------------

# (control characters make a CSV file "binary", which the CSV reader refuses by design: they are left out)
TEXT = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))
ids = st.one_of(
    st.sampled_from(ODD_IDS),
    st.from_regex(r"[A-Z][0-9]{12}", fullmatch=True),
    st.from_regex(r"[0-9]{6,10}", fullmatch=True),
    st.text(TEXT, max_size=12),
)
date_cells = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.sampled_from(["", " ", "31/02/2009", "2009-02-29", "29/02/2008", "n/a", "05/01/2009 10:00"]),
)
teams = st.one_of(
    st.sampled_from(["North", "South", " North ", "", "City Centre", "Ümlaut"]), st.text(TEXT, max_size=4)
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(ids, date_cells, date_cells, teams), max_size=25))
def test_generated_assessments_read_alike_by_every_reader(tmp_path: Path, rows: list[tuple[str, ...]]) -> None:
    header = ["child_id", "referral_date", "completion_date", "team"]
    cells = [list(row) for row in rows]
    if not cells or not any(c.strip() for row in cells for c in row):
        cells.append(["X", "05/01/2009", "", "North"])
    check_conformance((header, cells), tmp_path, "ia")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["ia", "cpp", "CP plan", "referral", "s47", "unknown", ""]),
            ids,
            date_cells,
            date_cells,
            st.lists(date_cells, max_size=3).map(";".join),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_generated_combined_extracts_read_alike_by_every_reader(tmp_path: Path, rows: list[tuple[str, ...]]) -> None:
    header = ["record_type", "child_id", "referral_date", "start_date", "review_dates"]
    check_conformance((header, [list(r) for r in rows]), tmp_path, None)


def test_every_reader_is_in_the_suite() -> None:
    # the CSV engines, the frame path's three inputs and workbooks (the census XML is compared below)
    assert sorted(READERS) == ["csv-pyarrow", "csv-stdlib", "dict", "excel", "pandas", "polars"]


# ---------------------------------------------------------------------------
# the census beside the CSV readers (the reader-conformance suite's extracts)
# ---------------------------------------------------------------------------


def _census_of(rows: list[tuple[str, str, str, str]]) -> str:
    """One Child (and one CINdetails holding one plan) per row: child id, referral, plan start, plan end."""
    children = "".join(
        f"<Child><ChildIdentifiers><LAchildID>{escape(c)}</LAchildID></ChildIdentifiers><CINdetails>"
        f"<CINreferralDate>{escape(r)}</CINreferralDate><ChildProtectionPlans><CPPstartDate>{escape(s)}"
        f"</CPPstartDate><CPPendDate>{escape(e)}</CPPendDate></ChildProtectionPlans></CINdetails></Child>\n"
        for c, r, s, e in rows
    )
    return f"<Message>\n<Children>\n{children}</Children>\n</Message>\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(ids, date_cells, date_cells, date_cells),
                min_size=1, max_size=20))  # fmt: skip
def test_generated_plans_read_alike_from_the_census_and_from_csv(
    tmp_path: Path, rows: list[tuple[str, str, str, str]]
) -> None:
    rows = [(c.strip() or "X", r, s, e) for c, r, s, e in rows]  # (a census child always has its id)
    (tmp_path / "cin.xml").write_text(_census_of(rows), encoding="utf-8")
    header = ["child_id", "referral_date", "start_date", "end_date"]
    logical = (header, [list(row) for row in rows])
    xml = signature(read_cin_xml(tmp_path / "cin.xml"), 0)
    csv = signature(READERS["csv-stdlib"][0](logical, tmp_path, "cpp"), 2)
    got, want = xml["tables"]["cpp"], csv["tables"]["cpp"]
    assert got["child"] == want["child"] and got["dates"] == want["dates"]
    assert [i for i in xml["issues"] if i[0] == "cpp"] == csv["issues"]
