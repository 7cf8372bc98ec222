"""Building tables from frames, dicts and CSV files: headings, dates, row numbers, bad input.

The fixtures in tests/data/io/ were written by hand (bytes exact: BOM, CRLF, cp1252, UTF-16);
expected values are read off the fixture text, not produced by the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import pickle
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import casetime
import casetime._keys
from casetime.errors import CasetimeError
from casetime.io import ReadResult, read_csv, read_inputs, read_path, table_from_frame, tables_from_frame
from casetime.schema import ColumnError
from casetime.tables import Table
from support import installed, pd, pl

DATA = Path(__file__).parent / "data" / "io"
D = dt.date
#: the CSV engines, each test run with both (pyarrow's skipped, saying so, where pyarrow is missing: Pyodide)
ENGINES = ("python", "pyarrow")


def dates(table: Table, name: str) -> list[dt.date | None]:
    out: list[dt.date | None] = table.dates[name].tolist()
    return out


def same_table(a: Table, b: Table, *, rows: bool = True) -> None:
    """Assert two tables hold the same records (labels compared by value, not by code)."""
    assert a.record_type == b.record_type
    assert len(a) == len(b)
    assert a.child.values().tolist() == b.child.values().tolist()
    assert sorted(a.dates) == sorted(b.dates)
    for name in a.dates:
        assert np.array_equal(a.days(name), b.days(name)), name
    assert sorted(a.extra) == sorted(b.extra)
    for name in a.extra:
        assert a.extra[name].values().tolist() == b.extra[name].values().tolist(), name
    assert (a.reviews is None) == (b.reviews is None)
    if a.reviews is not None and b.reviews is not None:
        assert a.reviews.lists() == b.reviews.lists()
    if rows:
        assert a.row is not None and b.row is not None
        assert a.row.tolist() == b.row.tolist()
        assert a.source is not None and b.source is not None
        assert a.source.values().tolist() == b.source.values().tolist()


def issue_list(result: ReadResult | tuple[Table, list[Any]]) -> list[tuple[str, str, list[int], list[str]]]:
    issues = result[1]
    return [(i.rule, i.field, i.positions.tolist(), i.values.tolist()) for i in issues]


# ---------------------------------------------------------------------------
# frames and dicts
# ---------------------------------------------------------------------------

CIN = {
    "LAchildID": ["C1", "C2", "C3"],
    "CINreferralDate": ["05/01/2009", "19/12/2008", "06/01/2009"],
    "AssessmentActualStartDate": ["06/01/2009", None, ""],
    "AssessmentAuthorisationDate": ["14/01/2009", "02/01/2009", None],
    "Team": ["North", "South", None],
}


def test_cin_census_names_are_recognised() -> None:
    table, issues = table_from_frame("initial_assessment", CIN)
    assert issues == []
    assert table.child.values().tolist() == ["C1", "C2", "C3"]
    assert dates(table, "referral_date") == [D(2009, 1, 5), D(2008, 12, 19), D(2009, 1, 6)]
    assert dates(table, "start_date") == [D(2009, 1, 6), None, None]
    assert dates(table, "completion_date") == [D(2009, 1, 14), D(2009, 1, 2), None]
    assert table.extra["Team"].values().tolist() == ["North", "South", None]
    assert table.source is not None and table.source.values().tolist() == ["<dataframe>"] * 3
    assert table.row is not None and table.row.tolist() == [0, 1, 2]


def test_cpp_cin_names_and_review_dates() -> None:
    frame = {
        "LAchildID": ["A", "B"],
        "CPPstartDate": ["2009-01-05", "2009-02-02"],
        "CPPendDate": ["2011-01-05", None],
        "CPPreviewDate": ["2009-04-01;2009-10-01", ""],
    }
    table, issues = table_from_frame("cpp", frame)
    assert issues == []
    assert dates(table, "end_date") == [D(2011, 1, 5), None]
    assert table.reviews is not None
    assert table.reviews.lists() == [[D(2009, 4, 1), D(2009, 10, 1)], []]


def test_review_dates_as_list_columns() -> None:
    frame = {
        "child_id": ["A", "B", "C"],
        "start_date": ["2009-01-05", "2009-02-02", "2009-03-02"],
        "review_dates": [["2009-04-01", D(2009, 10, 1)], [], ["31/04/2009", "2009-05-01"]],
    }
    table, issues = table_from_frame("cpp", frame)
    assert table.reviews is not None
    assert table.reviews.lists() == [[D(2009, 4, 1), D(2009, 10, 1)], [], [D(2009, 5, 1)]]
    # the whole cell is reported, as for ";"-separated text
    assert issue_list((table, issues)) == [("unparseable_date", "review_dates", [2], ["31/04/2009;2009-05-01"])]
    pl_frame = pl.DataFrame({"child_id": ["A"], "start_date": [D(2009, 1, 5)], "review_dates": [[D(2009, 4, 1)]]})
    table2, _ = table_from_frame("cpp", pl_frame)
    assert table2.reviews is not None and table2.reviews.lists() == [[D(2009, 4, 1)]]


def test_headings_with_odd_case_and_spaces() -> None:
    frame = {" child   ID ": ["A"], "Date of REFERRAL": ["05/01/2009"], "date_completed": ["14/01/2009"]}
    table, _ = table_from_frame("ia", frame)
    assert dates(table, "referral_date") == [D(2009, 1, 5)]
    assert dates(table, "completion_date") == [D(2009, 1, 14)]
    assert table.extra == {}


def test_explicit_mapping_wins_over_aliases() -> None:
    frame = {
        "Client": ["A", "B"],
        "Received": ["05/01/2009", "06/01/2009"],
        "Signed off": ["14/01/2009", None],
        "referral_date": ["01/01/2000", "01/01/2000"],
    }
    table, _ = table_from_frame(
        "ia", frame, columns={"child_id": "Client", "referral_date": "Received", "completion_date": "signed off"}
    )
    assert table.child.values().tolist() == ["A", "B"]
    assert dates(table, "referral_date") == [D(2009, 1, 5), D(2009, 1, 6)]
    assert dates(table, "completion_date") == [D(2009, 1, 14), None]
    assert list(table.extra) == ["referral_date"]


def test_mapping_errors_name_the_problem() -> None:
    with pytest.raises(ColumnError, match="'Nope'"):
        table_from_frame("ia", CIN, columns={"completion_date": "Nope"})
    with pytest.raises(ColumnError, match="end_date"):
        table_from_frame("ia", CIN, columns={"end_date": "Team"})


def test_missing_required_column_lists_expected_and_found() -> None:
    with pytest.raises(ColumnError) as info:
        table_from_frame("ia", {"child_id": ["A"], "completion date": ["2009-01-14"], "team": ["N"]})
    text = str(info.value)
    assert "referral_date" in text and "CINreferralDate" in text
    assert "found: child_id, completion date, team" in text
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("text", "dayfirst", "expected"),
    [
        ("2009-01-05", True, D(2009, 1, 5)),
        ("2009-01-05", False, D(2009, 1, 5)),
        ("05/01/2009", True, D(2009, 1, 5)),
        ("05/01/2009", False, D(2009, 5, 1)),
        ("5/1/2009", True, D(2009, 1, 5)),
        ("05/01/2009 14:30", True, D(2009, 1, 5)),
        ("05/01/2009 14:30:59", False, D(2009, 5, 1)),
        ("2009-01-05T23:59:00", True, D(2009, 1, 5)),
        (" 05/01/2009 ", True, D(2009, 1, 5)),
        ("12/31/2008", False, D(2008, 12, 31)),
        ("05-01-2009", True, D(2009, 1, 5)),
        ("05.01.2009", True, D(2009, 1, 5)),
        ("5 Jan 2009", True, D(2009, 1, 5)),
        ("5 Jan 2009", False, D(2009, 1, 5)),
        ("05-Jan-2009", True, D(2009, 1, 5)),
        ("5 SEPTEMBER 2009", True, D(2009, 9, 5)),
        ("2009/01/05", True, D(2009, 1, 5)),
        ("2009/01/05", False, D(2009, 1, 5)),
        ("05/01/2009 12:00 AM", True, D(2009, 1, 5)),
        ("05/01/2009 11:59:59 PM", True, D(2009, 1, 5)),
        ("5/1/2009 0:00", True, D(2009, 1, 5)),
        ("05/01/2009 00:00:00.000", True, D(2009, 1, 5)),
        ("2009-01-05 10:00:00+01:00", True, D(2009, 1, 5)),
    ],
)
def test_date_formats(text: str, dayfirst: bool, expected: dt.date) -> None:
    table, issues = table_from_frame("referral", {"child_id": ["A"], "referral_date": [text]}, dayfirst=dayfirst)
    assert issues == []
    assert dates(table, "referral_date") == [expected]


@pytest.mark.parametrize("text", ["31/02/2009", "29/02/2009", "12/31/2008", "2009-13-01", "5th Jan", "1", "5 Jnu 2009"])
def test_impossible_or_unreadable_dates_are_row_issues_never_shifted(text: str) -> None:
    frame = {"child_id": ["A", "B"], "referral_date": ["2009-01-05", text]}
    table, issues = table_from_frame("referral", frame)
    assert dates(table, "referral_date") == [D(2009, 1, 5), None]
    assert issue_list((table, issues)) == [("unparseable_date", "referral_date", [1], [text])]
    assert issues[0].severity == "error" and "referral_date" in issues[0].message


def test_a_two_digit_year_is_a_row_issue_of_its_own_never_guessed() -> None:
    frame = {"child_id": ["A", "B", "C"], "referral_date": ["05/01/09", "31/02/2009", "5-Jan-09"]}
    table, issues = table_from_frame("referral", frame)
    assert dates(table, "referral_date") == [None, None, None]
    assert issue_list((table, issues)) == [
        ("two_digit_year", "referral_date", [0, 2], ["05/01/09", "5-Jan-09"]),
        ("unparseable_date", "referral_date", [1], ["31/02/2009"]),
    ]
    assert "two-digit year, which is never guessed" in issues[0].message and "--date-format" in issues[0].message


def test_date_format_reads_every_date_with_one_format() -> None:
    frame = {"child_id": ["A", "B", "C"], "referral_date": ["05/01/09", "20090105", ""]}
    table, issues = table_from_frame("referral", frame, date_format="%d/%m/%y")
    assert dates(table, "referral_date") == [D(2009, 1, 5), None, None]
    assert issue_list((table, issues)) == [("unparseable_date", "referral_date", [1], ["20090105"])]
    assert "the date format '%d/%m/%y'" in issues[0].message


def test_missing_markers_are_missing_not_bad() -> None:
    frame = {
        "child_id": ["A", "B", "C", "D"],
        "referral_date": ["2009-01-05"] * 4,
        "closure_date": ["", None, "NaT", " "],
    }
    table, issues = table_from_frame("referral", frame)
    assert issues == [] and dates(table, "closure_date") == [None] * 4


def test_pandas_frames_with_datetime_and_text_columns() -> None:
    frame = pd.DataFrame(
        {
            "Child ID": ["A", "B", "C"],
            "Referral Date": pd.to_datetime(["2009-01-05 10:00", "2009-01-06", None], format="mixed"),
            "Completed": ["14/01/2009", "31/02/2009", None],
            "team": pd.Categorical(["N", "S", "N"]),
            "n": [1, 2, 3],
        },
        index=[10, 20, 30],
    )
    table, issues = table_from_frame("ia", frame, source="frame")
    assert dates(table, "referral_date") == [D(2009, 1, 5), D(2009, 1, 6), None]
    assert dates(table, "completion_date") == [D(2009, 1, 14), None, None]
    assert issue_list((table, issues)) == [("unparseable_date", "completion_date", [1], ["31/02/2009"])]
    assert table.extra["team"].values().tolist() == ["N", "S", "N"]
    assert table.extra["n"].values().tolist() == ["1", "2", "3"]
    assert table.row is not None and table.row.tolist() == [0, 1, 2]


def test_timezone_aware_columns_keep_their_wall_date() -> None:
    stamps = pd.to_datetime(["2009-01-05 23:30"]).tz_localize("Europe/London")
    frame = pd.DataFrame({"child_id": ["A"], "referral_date": stamps})
    assert dates(table_from_frame("referral", frame)[0], "referral_date") == [D(2009, 1, 5)]
    pframe = pl.DataFrame({"child_id": ["A"], "referral_date": [dt.datetime(2009, 1, 5, 23, 30)]}).with_columns(
        pl.col("referral_date").dt.replace_time_zone("Europe/London")
    )
    assert dates(table_from_frame("referral", pframe)[0], "referral_date") == [D(2009, 1, 5)]


def test_polars_frames() -> None:
    frame = pl.DataFrame(
        {
            "LAchildID": ["A", "B", None],
            "CINreferralDate": [D(2009, 1, 5), D(2009, 1, 6), D(2009, 1, 7)],
            "AssessmentAuthorisationDate": ["14/01/2009", None, "31/02/2009"],
            "team": pl.Series(["N", "S", "N"], dtype=pl.Categorical),
            "score": [1.0, None, 2.5],
        }
    )
    table, issues = table_from_frame("ia", frame)
    assert table.child.values().tolist() == ["A", "B", None]
    assert dates(table, "referral_date") == [D(2009, 1, 5), D(2009, 1, 6), D(2009, 1, 7)]
    assert dates(table, "completion_date") == [D(2009, 1, 14), None, None]
    assert issue_list((table, issues)) == [("unparseable_date", "completion_date", [2], ["31/02/2009"])]
    assert table.extra["team"].values().tolist() == ["N", "S", "N"]
    assert table.extra["score"].values().tolist() == ["1", None, "2.5"]


def test_numeric_child_ids_from_frames_read_as_in_a_file() -> None:
    frame = pd.DataFrame({"child_id": [1001.0, None, 1003.0], "referral_date": ["2009-01-05"] * 3})
    table, _ = table_from_frame("referral", frame)
    assert table.child.values().tolist() == ["1001", None, "1003"]


def test_rows_with_every_cell_empty_are_skipped_but_keep_numbering() -> None:
    frame = {"child_id": ["A", None, "C"], "referral_date": ["2009-01-05", None, "2009-01-07"], "team": ["N", "", "S"]}
    table, _ = table_from_frame("referral", frame)
    assert table.child.values().tolist() == ["A", "C"]
    assert table.row is not None and table.row.tolist() == [0, 2]


def test_bad_frames() -> None:
    with pytest.raises(CasetimeError, match="different lengths"):
        table_from_frame("referral", {"child_id": ["A", "B"], "referral_date": ["2009-01-05"]})
    with pytest.raises(CasetimeError, match="single value"):
        table_from_frame("referral", {"child_id": "A", "referral_date": ["2009-01-05"]})
    with pytest.raises(CasetimeError, match="DataFrame"):
        table_from_frame("referral", [("A", "2009-01-05")])
    with pytest.raises(CasetimeError, match="unknown record type"):
        table_from_frame("adoption", {"child_id": ["A"], "referral_date": ["2009-01-05"]})


def test_dataframe_to_table_to_dataframe_round_trip() -> None:
    frame = pd.DataFrame(
        {
            "child_id": ["A", "B", "C"],
            "referral_date": pd.to_datetime(["2009-01-05", "2009-01-06", "2009-01-07"]),
            "start_date": pd.to_datetime(["2009-01-06", None, None]),
            "completion_date": pd.to_datetime(["2009-01-14", None, "2009-01-20"]),
            "team": ["North", "South", None],
        }
    )
    table, issues = table_from_frame("ia", frame)
    assert issues == []
    back = pd.DataFrame(table.to_columns())
    for name in ("referral_date", "start_date", "completion_date"):
        expected = frame[name].to_numpy().astype("M8[D]")
        assert np.array_equal(back[name].to_numpy().astype("M8[D]"), expected, equal_nan=True), name
    assert back["child_id"].tolist() == frame["child_id"].tolist()
    assert back["team"].tolist()[:2] == ["North", "South"] and back["team"].isna().tolist() == [False, False, True]
    again, _ = table_from_frame("ia", back)
    same_table(table, again)
    pl_back = pl.DataFrame({k: v.tolist() for k, v in table.to_columns().items()})
    same_table(table, table_from_frame("ia", pl_back)[0])


def test_combined_frame_splits_by_record_type() -> None:
    frame = {
        "Record Type": ["IA", "cpp", "Initial Assessment", "adoption"],
        "child_id": ["A", "A", "B", "C"],
        "referral_date": ["05/01/2009", "05/01/2009", "06/01/2009", "07/01/2009"],
        "start_date": [None, "20/01/2009", None, None],
        "team": ["N", "N", "S", "S"],
    }
    result = tables_from_frame(frame)
    assert sorted(result.tables) == ["cpp", "initial_assessment"]
    assert result.tables["initial_assessment"].row is not None
    assert result.tables["initial_assessment"].row.tolist() == [0, 2]
    assert dates(result.tables["cpp"], "start_date") == [D(2009, 1, 20)]
    assert [r.rows.tolist() for r in result.rejected] == [[3]]
    assert [r.values.tolist() for r in result.rejected] == [["adoption"]]
    with pytest.raises(CasetimeError, match="record_type"):
        table_from_frame(None, frame)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# CSV files
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_cin_file_with_bom_crlf_quotes_and_blank_lines(engine: str) -> None:
    result = read_csv(DATA / "ia_cin.csv", "ia", engine=engine)
    table = result.tables["initial_assessment"]
    # header is row 1; rows 4 and 9 are blank lines and row 7 has only commas
    assert table.row is not None and table.row.tolist() == [2, 3, 5, 6, 8]
    assert table.source is not None and set(table.source.values().tolist()) == {str(DATA / "ia_cin.csv")}
    assert table.child.values().tolist() == ["C001", "C002", "C003", "C004", "C005"]
    assert dates(table, "referral_date") == [D(2009, 1, 5), D(2008, 12, 19), None, D(2009, 1, 5), D(2009, 1, 7)]
    assert dates(table, "start_date") == [D(2009, 1, 6), None, None, None, D(2009, 1, 8)]
    assert dates(table, "completion_date") == [D(2009, 1, 14), D(2009, 1, 2), None, D(2009, 1, 20), None]
    assert table.extra["Team"].values().tolist() == ["North", "South, East", "North", "South, East", "North"]
    assert issue_list(result) == [("unparseable_date", "referral_date", [2], ["31/02/2009"])]
    assert result.rejected == []


@pytest.mark.parametrize("engine", ENGINES)
def test_spreadsheet_headings(engine: str) -> None:
    result = read_csv(DATA / "ia_headings.csv", "initial assessment", engine=engine)
    table = result.tables["initial_assessment"]
    assert dates(table, "completion_date") == [D(2009, 1, 14), None, D(2009, 1, 20)]  # 2009/01/20: year first
    assert table.extra["Locality"].values().tolist() == ["Derby City", "Derby South", "Derby City"]
    assert issue_list(result) == []


@pytest.mark.parametrize("engine", ENGINES)
def test_month_first_option(engine: str) -> None:
    result = read_csv(DATA / "ia_monthfirst.csv", "ia", dayfirst=False, engine=engine)
    table = result.tables["initial_assessment"]
    assert dates(table, "referral_date") == [D(2009, 1, 5), D(2008, 12, 31)]
    assert dates(table, "completion_date") == [D(2009, 1, 14), None]
    assert issue_list(result) == [("unparseable_date", "completion_date", [1], ["13/01/2009"])]
    dayfirst = read_csv(DATA / "ia_monthfirst.csv", "ia", engine=engine)
    assert dates(dayfirst.tables["initial_assessment"], "referral_date") == [D(2009, 5, 1), None]


@pytest.mark.parametrize("engine", ENGINES)
def test_truncated_last_line_is_a_malformed_row(engine: str) -> None:
    result = read_csv(DATA / "truncated.csv", "ia", engine=engine)
    table = result.tables["initial_assessment"]
    assert table.row is not None and table.row.tolist() == [2, 3, 4]
    assert table.child.values().tolist() == ["A1", "A2", "A3"]
    assert table.extra["team"].values().tolist() == ["North", "South", None]
    assert issue_list(result) == [
        ("malformed_row", "row", [2], ["A3,07/01"]),
        ("unparseable_date", "referral_date", [2], ["07/01"]),
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_windows_1252_file_is_read_without_warnings(engine: str) -> None:
    table = read_csv(DATA / "cp1252_teams.csv", "ia", engine=engine).tables["initial_assessment"]
    assert table.extra["team"].values().tolist() == ["Équipe Nord", "Café \u2013 South"]


def test_utf16_with_bom() -> None:
    table = read_csv(DATA / "utf16.csv", "referral").tables["referral"]
    assert dates(table, "referral_date") == [D(2009, 1, 5)]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("binary.csv", "not a CSV file"),
        ("empty.csv", "empty"),
        ("missing.csv", "cannot read"),
    ],
)
def test_unreadable_files_are_clear_errors(engine: str, name: str, message: str) -> None:
    with pytest.raises(CasetimeError, match=message) as info:
        read_csv(DATA / name, "ia", engine=engine)
    assert name in str(info.value)


def test_garbage_bytes_that_no_encoding_reads(tmp_path: Path) -> None:
    path = tmp_path / "ia.csv"
    path.write_bytes(b"child_id,referral_date\nA,\x81\x8d\x8f\x90\x9d\xff\n")
    with pytest.raises(CasetimeError, match="neither UTF-8 nor Windows-1252"):
        read_csv(path)


def test_a_directory_given_to_read_csv(tmp_path: Path) -> None:
    with pytest.raises(CasetimeError, match="directory"):
        read_csv(tmp_path)


@pytest.mark.parametrize("engine", ENGINES)
def test_combined_file_rows_of_a_type_lacking_its_columns_are_rejected_not_the_file(
    engine: str, tmp_path: Path
) -> None:
    path = tmp_path / "combined.csv"
    path.write_text(
        "record_type,child_id,referral_date,completion_date\n"
        "IA,A1,05/01/2009,14/01/2009\nCPP,A2,05/01/2009,\nIA,A3,06/01/2009,\nCPP,A4,,\nXX,A5,,\n"
    )
    result = read_csv(path, engine=engine)
    assert list(result.tables) == ["initial_assessment"]
    assert result.tables["initial_assessment"].child.values().tolist() == ["A1", "A3"]
    by_rule = {r.rule: (r.rows.tolist(), r.values.tolist(), r.message) for r in result.rejected}
    assert by_rule["type_lacks_columns"][:2] == ([3, 5], ["CPP", "CPP"])
    assert by_rule["type_lacks_columns"][2].startswith(
        "the file has no start_date column, which child protection plan rows need; the row is in no table"
    )
    assert by_rule["unknown_record_type"][:2] == ([6], ["XX"])
    # the extract accounts for every row: 2 in the table, 3 rejected
    extract = casetime.load(path, engine=engine)
    assert extract.quality.counts().reconciliation == {
        ("initial_assessment", str(path)): (2, 2, 0),
        ("unknown", str(path)): (3, 0, 3),
    }


def test_a_mapping_error_in_a_combined_file_still_refuses_the_file(tmp_path: Path) -> None:
    path = tmp_path / "combined.csv"
    path.write_text("record_type,child_id,referral_date\nIA,A1,05/01/2009\nCPP,A2,05/01/2009\n")
    with pytest.raises(ColumnError, match="'Plan Began', which is not there"):
        read_csv(path, columns={"cpp": {"start_date": "Plan Began"}})


@pytest.mark.parametrize("engine", ENGINES)
def test_a_utf8_file_with_some_windows_1252_cells_is_read_cell_by_cell_and_said(engine: str, tmp_path: Path) -> None:
    path = tmp_path / "ia.csv"
    path.write_bytes(
        b"child_id,referral_date,completion_date,team\n"
        b"A1,05/01/2009,14/01/2009,Zo\xc3\xab\n"  # UTF-8
        b"A2,05/01/2009,,Zo\xeb\n"  # one Windows-1252 byte
        b"A3,06/01/2009,,Ren\xc3\xa9e\n"
        b"A4,06/01/2009,,Caf\xe9\n"
    )
    result = read_csv(path, "ia", engine=engine)
    assert result.tables["initial_assessment"].extra["team"].values().tolist() == ["Zoë", "Zoë", "Renée", "Café"]
    (notice,) = result.notices
    assert notice.code == "mixed_encoding"
    assert notice.message == (
        f"{path}: 2 rows hold text that is not UTF-8 in a file otherwise UTF-8 (row 3, 5); "
        "those cells were read as Windows-1252: check the names in them"
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_a_windows_1252_file_is_read_as_one_without_a_warning(engine: str, tmp_path: Path) -> None:
    path = tmp_path / "ia.csv"
    path.write_bytes(
        b"child_id,referral_date,completion_date,team\r\nA1,05/01/2009,,Zo\xeb\r\nA2,05/01/2009,,Ren\xe9e\r\n"
    )
    result = read_csv(path, "ia", engine=engine)
    assert result.tables["initial_assessment"].extra["team"].values().tolist() == ["Zoë", "Renée"]
    assert result.notices == []


def test_a_cell_neither_utf8_nor_windows_1252_is_named_by_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "ia.csv"
    path.write_bytes(b"child_id,referral_date,team\nA1,05/01/2009,Zo\xc3\xab\nA2,05/01/2009,X\x81\n")
    with pytest.raises(CasetimeError, match=r"row 3, column 'team': the text is neither UTF-8 nor Windows-1252"):
        read_csv(path, "ia")


@pytest.mark.parametrize("engine", ENGINES)
def test_an_open_quote_says_how_many_lines_it_took(engine: str, tmp_path: Path) -> None:
    path = tmp_path / "ia.csv"
    path.write_text(
        "child_id,referral_date,completion_date\n"
        'A1,05/01/2009,14/01/2009\nA2,"05/01/2009,14/01/2009\nA3,05/01/2009,14/01/2009\n'
        'A4,05/01/2009,"14/01/2009\nA5,05/01/2009,14/01/2009\n'
    )
    result = read_csv(path, "ia", engine=engine)
    # the quote opened on line 3 closes on line 5: A3 and A4 are inside A2's cell; A5 is read
    assert result.tables["initial_assessment"].child.values().tolist() == ["A1", "A2", "A5"]
    (notice,) = result.notices
    assert notice.code == "open_quote"
    assert notice.message == (
        f"{path}: 1 row runs over several lines (row 3, lines 3 to 5): 2 lines were read inside quoted cells, "
        "not as rows; if a quote was left open, close it (a notes column may hold line breaks on purpose)"
    )
    path.write_text(
        'child_id,referral_date,completion_date,notes\nA1,05/01/2009,,"one\ntwo"\nA2,05/01/2009,,"3\n4\n5"\n'
    )
    (notice,) = read_csv(path, "ia", engine=engine).notices
    assert "2 rows run over several lines (the first: row 2, lines 2 to 3): 3 lines were read" in notice.message


@pytest.mark.parametrize("engine", ENGINES)
def test_a_quote_far_into_the_file_is_found_and_its_lines_counted(engine: str, tmp_path: Path) -> None:
    # the file is scanned a block at a time (64 KiB): the one quote, and the line break in it, lie past the first
    path = tmp_path / "ia.csv"
    rows = [f"A{i},05/01/2009,14/01/2009,x\n" for i in range(10_000)]  # ~300 KB
    rows[7_000] = 'B1,05/01/2009,14/01/2009,"two\nlines"\n'
    path.write_text("child_id,referral_date,completion_date,notes\n" + "".join(rows))
    result = read_csv(path, "ia", engine=engine)
    table = result.tables["initial_assessment"]
    assert len(table) == 10_000 and table.extra["notes"].values().tolist()[7_000] == "two\nlines"
    (notice,) = result.notices
    assert notice.code == "open_quote" and "(row 7002, lines 7002 to 7003)" in notice.message


def test_no_quote_no_line_check(tmp_path: Path) -> None:
    path = tmp_path / "ia.csv"
    path.write_text("child_id,referral_date,completion_date\nA1,05/01/2009,\n\nA2,05/01/2009,\n\n\n")
    assert read_csv(path, "ia").notices == []


@pytest.mark.parametrize("engine", ENGINES)
def test_a_cell_past_the_limit_is_a_row_issue_and_is_emptied(engine: str, tmp_path: Path) -> None:
    path = tmp_path / "ia.csv"
    huge = "x" * 200_000  # past the standard library's own field limit too
    path.write_text(
        "child_id,referral_date,completion_date,notes\n"
        f"A1,05/01/2009,14/01/2009,{huge}\nA2,{'1' * 70_000},,short\nA3,05/01/2009,,{'y' * 65_536}\n"
    )
    result = read_csv(path, "ia", engine=engine)
    table = result.tables["initial_assessment"]
    assert table.child.values().tolist() == ["A1", "A2", "A3"]
    assert table.extra["notes"].values().tolist() == [None, "short", "y" * 65_536]  # at the limit: kept
    assert issue_list(result) == [
        ("cell_too_long", "referral_date", [1], ["<70,000 characters>"]),
        ("cell_too_long", "notes", [0], ["<200,000 characters>"]),
    ]
    assert dates(table, "referral_date") == [D(2009, 1, 5), None, D(2009, 1, 5)]


@pytest.mark.parametrize("engine", ENGINES)
def test_the_cell_limit_counts_characters_not_bytes(engine: str, tmp_path: Path) -> None:
    """Two-byte characters: 40,000 of them (80,000 bytes) are within the limit; 65,537 are over it."""
    path = tmp_path / "ia.csv"
    path.write_text(
        "child_id,referral_date,team\n"
        f"A1,05/01/2009,{'é' * 40_000}\nA2,05/01/2009,{'é' * 65_537}\nA3,05/01/2009,Nörth\n",
        encoding="utf-8",
    )
    result = read_csv(path, "ia", engine=engine)
    table = result.tables["initial_assessment"]
    assert table.extra["team"].values().tolist() == ["é" * 40_000, None, "Nörth"]
    assert issue_list(result) == [("cell_too_long", "team", [1], ["<65,537 characters>"])]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_row_whose_only_cell_is_past_the_limit_stays_and_is_reported(engine: str, tmp_path: Path) -> None:
    """Emptying the cell leaves the row blank; it was not blank in the file, so it is kept and reported
    (it was dropped without a word, or, as a chunk's only row, the reader failed)."""
    path = tmp_path / "ia.csv"
    path.write_text(f"child_id,referral_date\n{'1' * 70_000},\nA2,05/01/2009\n")
    result = read_csv(path, "ia", engine=engine)
    table = result.tables["initial_assessment"]
    assert table.child.values().tolist() == [None, "A2"]
    assert issue_list(result) == [("cell_too_long", "child_id", [0], ["<70,000 characters>"])]
    alone = tmp_path / "alone.csv"
    alone.write_text(f"child_id,referral_date\n{'1' * 70_000},\n")
    only = read_csv(alone, "ia", engine=engine)
    assert only.tables["initial_assessment"].child.values().tolist() == [None]
    assert issue_list(only) == [("cell_too_long", "child_id", [0], ["<70,000 characters>"])]


@pytest.mark.parametrize("engine", ENGINES)
def test_header_only_gives_an_empty_table(engine: str) -> None:
    result = read_csv(DATA / "header_only.csv", "ia", engine=engine)
    assert len(result.tables["initial_assessment"]) == 0 and result.issues == []


@pytest.mark.parametrize("engine", ENGINES)
def test_missing_required_columns_in_a_file(engine: str) -> None:
    with pytest.raises(ColumnError) as info:
        read_csv(DATA / "missing_columns.csv", "ia", engine=engine)
    text = str(info.value)
    assert "missing_columns.csv" in text and "referral_date" in text
    assert "found: child_id, completion_date, team" in text


def test_record_type_from_file_name_or_columns(tmp_path: Path) -> None:
    shutil.copy(DATA / "header_only.csv", tmp_path / "core_assessments.csv")
    (tmp_path / "core_assessments.csv").write_text("child_id,start_date\nA,05/01/2009\n")
    assert list(read_csv(tmp_path / "core_assessments.csv").tables) == ["core_assessment"]
    (tmp_path / "ia.csv").write_text("child_id,referral_date\nA,05/01/2009\n")
    assert list(read_csv(tmp_path / "ia.csv").tables) == ["initial_assessment"]
    (tmp_path / "export1.csv").write_text("LAchildID,CPPstartDate,CPPendDate\nA,05/01/2009,\n")
    assert list(read_csv(tmp_path / "export1.csv").tables) == ["cpp"]
    (tmp_path / "export2.csv").write_text("child_id,referral_date,completion_date\nA,05/01/2009,\n")
    with pytest.raises(CasetimeError, match="initial_assessment and single_assessment"):
        read_csv(tmp_path / "export2.csv")
    (tmp_path / "export3.csv").write_text("name,age\nA,3\n")
    with pytest.raises(ColumnError, match="cannot tell the record type"):
        read_csv(tmp_path / "export3.csv")


@pytest.mark.parametrize("engine", ENGINES)
def test_combined_file(engine: str) -> None:
    result = read_csv(DATA / "combined.csv", engine=engine)
    assert list(result.tables) == ["referral", "initial_assessment", "cpp"]
    ia, cpp, ref = result.tables["initial_assessment"], result.tables["cpp"], result.tables["referral"]
    assert ia.row is not None and ia.row.tolist() == [2, 4]
    assert cpp.row is not None and cpp.row.tolist() == [3, 8]
    assert ref.row is not None and ref.row.tolist() == [5]
    assert dates(ia, "completion_date") == [D(2009, 1, 14), None]
    assert dates(cpp, "start_date") == [D(2009, 1, 20), D(2009, 2, 1)]
    assert cpp.reviews is not None
    assert cpp.reviews.lists() == [[D(2009, 3, 1), D(2009, 6, 1)], [D(2009, 3, 1)]]
    assert cpp.extra["team"].values().tolist() == ["North", "South"]
    assert "end_date" not in ia.extra and "review_dates" not in ia.extra
    got = sorted((i.record_type, *t) for i, t in zip(result.issues, issue_list(result), strict=True))
    assert got == [
        ("cpp", "unparseable_date", "review_dates", [1], ["01/03/2009;31/04/2009"]),
        ("initial_assessment", "unparseable_date", "completion_date", [1], ["31/02/2009"]),
    ]
    assert len(result.rejected) == 1
    assert result.rejected[0].rows.tolist() == [6, 7]
    assert result.rejected[0].values.tolist() == ["Foster care", ""]
    total = sum(len(t) for t in result.tables.values()) + sum(len(r) for r in result.rejected)
    assert total == 7  # the file has 7 records


def test_combined_file_with_explicit_record_type_reads_every_row_as_that_type() -> None:
    result = read_csv(DATA / "combined.csv", "referral")
    assert list(result.tables) == ["referral"] and len(result.tables["referral"]) == 7
    assert "record_type" not in result.tables["referral"].extra


def test_directory_of_files(tmp_path: Path) -> None:
    result = read_path(DATA / "extract_dir")
    assert list(result.tables) == ["initial_assessment", "cpp"]
    cpp = result.tables["cpp"]
    assert cpp.child.values().tolist() == ["A1", "A2"]
    assert dates(cpp, "end_date") == [None, D(2009, 2, 1)]
    assert cpp.source is not None
    assert cpp.source.values().tolist() == [str(DATA / "extract_dir" / "cpp.csv")] * 2
    # two files of one type are joined, and issue positions follow the joined table
    shutil.copy(DATA / "ia_cin.csv", tmp_path / "ia_1.csv")
    shutil.copy(DATA / "ia_headings.csv", tmp_path / "ia_2.csv")
    joined = read_path(tmp_path, "ia")
    table = joined.tables["initial_assessment"]
    assert len(table) == 8
    assert table.row is not None and table.row.tolist() == [2, 3, 5, 6, 8, 2, 3, 4]
    assert issue_list(joined) == [("unparseable_date", "referral_date", [2], ["31/02/2009"])]
    (tmp_path / "nothing_here").mkdir()
    with pytest.raises(CasetimeError, match=r"no \.csv files"):
        read_path(tmp_path / "nothing_here")


@pytest.mark.parametrize(
    "name", ["ia_cin.csv", "ia_headings.csv", "ia_monthfirst.csv", "truncated.csv", "cp1252_teams.csv", "combined.csv"]
)
def test_engines_and_chunk_sizes_give_identical_tables(name: str) -> None:
    kind = None if name == "combined.csv" else "ia"
    results = [
        read_csv(DATA / name, kind, engine=engine, chunk_rows=chunk)
        for engine in ENGINES
        for chunk in (1, 2, 1_000_000)
    ]
    first = results[0]
    for other in results[1:]:
        assert list(first.tables) == list(other.tables)
        for kind_name in first.tables:
            same_table(first.tables[kind_name], other.tables[kind_name])
        assert issue_list(first) == issue_list(other)
        assert [r.rows.tolist() for r in first.rejected] == [r.rows.tolist() for r in other.rejected]


def test_csv_gives_the_same_table_as_the_dataframe_path() -> None:
    path = DATA / "ia_cin.csv"
    from_csv = read_csv(path, "ia")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=True)
    from_frame = table_from_frame("ia", frame)
    same_table(from_csv.tables["initial_assessment"], from_frame[0], rows=False)
    assert [i[:2] + i[3:] for i in issue_list(from_csv)] == [i[:2] + i[3:] for i in issue_list(from_frame)]
    pl_frame = pl.read_csv(path, infer_schema=False)
    same_table(from_csv.tables["initial_assessment"], table_from_frame("ia", pl_frame)[0], rows=False)


def test_progress_is_called_with_rows_read(tmp_path: Path) -> None:
    path = tmp_path / "ia.csv"
    path.write_text("child_id,referral_date\n" + "".join(f"C{i},05/01/2009\n" for i in range(25)))
    for engine in ENGINES:
        seen: list[int] = []
        read_csv(path, chunk_rows=10, engine=engine, progress=seen.append)
        assert seen and seen[-1] == 25 and seen == sorted(seen)
    seen = []
    read_csv(path, chunk_rows=10, engine="python", progress=seen.append)
    assert seen == [10, 20, 25]


def test_progress_runs_on_across_the_files_and_inputs_read(tmp_path: Path) -> None:
    folder = tmp_path / "extract"
    folder.mkdir()
    (folder / "cpp.csv").write_text("child_id,start_date\n" + "".join(f"P{i},05/01/2009\n" for i in range(5)))
    (folder / "ia.csv").write_text("child_id,referral_date\n" + "".join(f"C{i},05/01/2009\n" for i in range(12)))
    seen: list[int] = []
    read_path(folder, chunk_rows=10, engine="python", progress=seen.append)
    assert seen == [5, 15, 17]  # cpp.csv, then ia.csv counted on from there
    seen = []
    frame = {"child_id": ["F"], "start_date": ["05/01/2009"], "end_date": [None]}
    read_inputs([folder, frame, folder / "ia.csv"], chunk_rows=10, engine="python", progress=seen.append)
    assert seen == [5, 15, 17, 27, 29]


def test_bad_arguments() -> None:
    with pytest.raises(CasetimeError, match="engine"):
        read_csv(DATA / "ia_cin.csv", "ia", engine="fast")
    with pytest.raises(CasetimeError, match="chunk_rows"):
        read_csv(DATA / "ia_cin.csv", "ia", chunk_rows=0)


def test_wide_and_odd_rows(tmp_path: Path) -> None:
    path = tmp_path / "ia.csv"
    path.write_text(
        "child_id,referral_date,notes\n"
        'A,05/01/2009,"line one\nline two"\nB,06/01/2009,x,surplus\n\n   \nC,07/01/2009,\n'
    )
    for engine in ENGINES:
        result = read_csv(path, engine=engine)
        table = result.tables["initial_assessment"]
        # A's record spans two lines of text but is one spreadsheet row
        assert table.row is not None and table.row.tolist() == [2, 3, 6]
        assert table.extra["notes"].values().tolist() == ["line one\nline two", "x", None]
        assert issue_list(result) == [("malformed_row", "row", [1], ["B,06/01/2009,x,surplus"])]


# ---------------------------------------------------------------------------
# labels: the pyarrow reader's fast paths give exactly the python reader's codes and labels
# ---------------------------------------------------------------------------

ODD_IDS = [
    "A",  # short
    "C0000001",  # exactly 8 bytes
    "AB12",
    " C0000001 ",  # the same child, padded: one label
    "A B",  # inner space is kept
    "LONGER-ID-12",  # wider than 8 bytes
    "\x1cX\x1f",  # str.isspace() counts \x1c-\x1f as white space
    "Zoë",  # non-ASCII
    "\u00a0Zoë",  # leading no-break space: stripped
    "É1",
    "   ",  # white space only: missing
    "",
]


# how the pyarrow reader's chunk keys are merged: as one sort; cut in two halves sorted on two
# threads (the path of files with over a million distinct ids); cut in two where no thread can start;
# cut into many ranges of a few keys each (the path of files with many millions of distinct ids)
MERGES = ("one-sort", "two-halves", "two-halves-no-threads", "many-ranges")


def _merge_setting(merge: str, request: pytest.FixtureRequest) -> None:
    if merge != "one-sort":
        patch = request.getfixturevalue("monkeypatch")
        patch.setattr(casetime._keys, "SPLIT_KEYS", 1)
        if merge == "many-ranges":
            patch.setattr(casetime._keys, "RANGE_KEYS", 2)
    if merge == "two-halves-no-threads":
        request.getfixturevalue("no_threads")


def _reference_labels(cells: list[str]) -> tuple[list[int], list[str]]:
    """Codes and labels worked out directly: stripped text, sorted by code point, blank = -1."""
    stripped = [c.strip() for c in cells]
    labels = sorted({s for s in stripped if s})
    position = {label: i for i, label in enumerate(labels)}
    return [position[s] if s else -1 for s in stripped], labels


def _write_ids(path: Path, ids: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("child_id,referral_date,team\n")
        for i, child in enumerate(ids):
            handle.write(f"{child},05/01/2009,T{i % 3}\n")


@pytest.mark.parametrize(
    "ids",
    [
        [f"C{i:07d}" for i in (5, 3, 5, 1, 9, 3)],  # every id 8 bytes
        ["B", "A12", "B", "C0000007", "A12", ""],  # short ids of mixed width, one blank
        ["A", " A", "B\t", "\x1cC", "  ", "D", "A", "C"] * 2,  # short ASCII ids that strip() changes
        ["AéB", "A", "B", "AéB"],  # short, non-ASCII inside only
        # every id 3 bytes (no padding), some starting or ending with what strip() takes away, or with
        # a byte the quick printable-ASCII test does not pass but strip() keeps (DEL, a tilde)
        # (with plain ids around them, so that the control bytes do not make the file look binary)
        ["A1 ", " A1", "B2\t", "\x1cC3", "é1", "1é", "\u00a0A", "~!}", "\x7f12", "A1B", "A1B", "12\x7f", *["Z9Z"] * 60],
        ["A1B", "~!}", "\x7f12", "12\x7f", "A1B", *["Z9Z"] * 60],  # the same width, nothing to strip
        ODD_IDS,
        [*ODD_IDS[::-1], *ODD_IDS],
    ],
)
@pytest.mark.parametrize("merge", MERGES)
def test_child_ids_give_identical_codes_and_labels_on_both_engines(
    tmp_path: Path, ids: list[str], merge: str, request: pytest.FixtureRequest
) -> None:
    _merge_setting(merge, request)
    path = tmp_path / "ia.csv"
    _write_ids(path, ids)
    codes, labels = _reference_labels(ids)
    for engine in ENGINES:
        for chunk in (1, 4, 1_000_000):
            table = read_csv(path, "ia", engine=engine, chunk_rows=chunk).tables["initial_assessment"]
            assert table.child.labels.tolist() == labels, (engine, chunk)
            assert table.child.codes.tolist() == codes, (engine, chunk)
            assert table.child.codes.dtype == np.int64


@pytest.mark.parametrize("merge", MERGES)
def test_many_batches_mixing_short_ascii_ids_with_other_ids(
    tmp_path: Path, merge: str, request: pytest.FixtureRequest
) -> None:
    _merge_setting(merge, request)
    # ~2 MB, so the pyarrow reader reads it in several blocks: the first ones hold only short ASCII
    # ids (read as integer keys), the last ones also wide, padded and non-ASCII ids
    rng = np.random.default_rng(7)
    clean = [f"C{n:07d}" for n in rng.integers(0, 20_000, 60_000).tolist()]
    short = [f"K{n}" for n in rng.integers(0, 500, 5_000).tolist()]
    odd = [ODD_IDS[n] for n in rng.integers(0, len(ODD_IDS), 5_000).tolist()]
    for ids in (clean + short, clean + short + odd):
        path = tmp_path / "ia.csv"
        _write_ids(path, ids)
        codes, labels = _reference_labels(ids)
        for engine in ENGINES:
            for chunk in (7_000, 100_000):
                result = read_csv(path, "ia", engine=engine, chunk_rows=chunk)
                table = result.tables["initial_assessment"]
                assert table.child.labels.tolist() == labels
                assert table.child.codes.tolist() == codes
                assert table.extra["team"].labels.tolist() == ["T0", "T1", "T2"]
                assert table.extra["team"].codes.tolist() == [i % 3 for i in range(len(ids))]
                assert table.row is not None and table.row.tolist() == list(range(2, len(ids) + 2))


def test_rows_of_white_space_only_are_blank_on_both_engines(tmp_path: Path) -> None:
    path = tmp_path / "ia.csv"
    filler = "".join(f"F{i},06/01/2009,N\n" for i in range(20))  # enough text that two control bytes are not "binary"
    body = "A,05/01/2009,N\n  ,\t, \n\x1c, ,\nB, ,S\n \u00a0,,\n"
    path.write_text("child_id,referral_date,team\n" + body + filler, encoding="utf-8")
    for engine in ENGINES:
        table = read_csv(path, "ia", engine=engine).tables["initial_assessment"]
        assert table.row is not None and table.row.tolist() == [2, 5, *range(7, 27)]
        assert table.child.values().tolist() == ["A", "B", *(f"F{i}" for i in range(20))]
        assert dates(table, "referral_date")[:3] == [D(2009, 1, 5), None, D(2009, 1, 6)]


@pytest.mark.usefixtures("no_threads")
def test_reading_where_no_thread_can_start_gives_the_same_tables(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    ids = [f"C{n:07d}" for n in rng.integers(0, 3_000, 20_000).tolist()]
    path = tmp_path / "ia.csv"
    _write_ids(path, ids)
    codes, labels = _reference_labels(ids)
    for engine in ENGINES:
        table = read_csv(path, "ia", engine=engine, chunk_rows=3_000).tables["initial_assessment"]
        assert table.child.codes.tolist() == codes and table.child.labels.tolist() == labels


def test_child_ids_from_the_pyarrow_reader_become_text_when_first_read(tmp_path: Path) -> None:
    ids = ["C0000002", "C0000001", "", "C0000002"]
    path = tmp_path / "ia.csv"
    _write_ids(path, ids)
    table = read_csv(path, "ia", engine="pyarrow").tables["initial_assessment"]
    assert "labels" not in vars(table.child)  # deferred: only the codes so far
    copied = pickle.loads(pickle.dumps(table))
    assert copied.child.labels.tolist() == ["C0000001", "C0000002"]
    assert copied.child.codes.tolist() == [1, 0, -1, 1]
    assert table.child.values().tolist() == ["C0000002", "C0000001", None, "C0000002"]


def test_joining_two_files_of_one_type_keeps_the_child_ids_deferred(tmp_path: Path) -> None:
    folder = tmp_path / "extract"
    folder.mkdir()
    first = [f"A{n:012d}" for n in (5, 3, 5)]  # 13-character ids (UPN-like)
    second = [f"A{n:012d}" for n in (9, 3)] + ["E09000003-0000012345"]
    _write_ids(folder / "ia_1.csv", first)
    _write_ids(folder / "ia_2.csv", second)
    table = read_path(folder, "ia", engine="pyarrow").tables["initial_assessment"]
    assert "labels" not in vars(table.child)  # joined without making the ids' Python strings
    codes, labels = _reference_labels(first + second)
    assert table.child.codes.tolist() == codes
    assert table.child.labels.tolist() == labels
    assert (
        table.source is not None
        and table.source.values().tolist() == [str(folder / "ia_1.csv")] * 3 + [str(folder / "ia_2.csv")] * 3
    )


@pytest.mark.parametrize(
    ("cells", "error", "message"),
    [
        (np.array(["A", "B\x00C"]), CasetimeError, "row 1, column 'child_id': the value holds a NUL character"),
        (np.array([b"A", b"B\x00C"]), CasetimeError, "row 1, column 'child_id': the value holds a NUL character"),
        (["A", "B", "C\x00"], CasetimeError, "row 2, column 'child_id': the value holds a NUL character"),
        (np.array([b"ok", b"\xff"]), CasetimeError, "row 1, column 'child_id': the value is not UTF-8 text"),
        (np.array([b"\xfe", b"ok"]), CasetimeError, "row 0, column 'child_id': the value is not UTF-8 text"),
        (["A", ["x"]], TypeError, "row 1, column 'child_id': the cell holds a list, not one value"),
        (["A", ("x", "y"), "B"], TypeError, "row 1, column 'child_id': the cell holds a tuple, not one value"),
        *(
            [(pd.Series(["A", None, {"id": 1}]), TypeError, "row 2, column 'child_id': the cell holds a dict")]
            if installed("pandas")
            else []
        ),
    ],
)
def test_a_frame_cell_that_is_not_one_text_is_refused_naming_row_and_column(
    cells: Any, error: type[Exception], message: str
) -> None:
    # (before: NULs were dropped, undecodable bytes became U+FFFD, so two children could merge, and a
    # list became the text of its repr)
    frame = {"child_id": cells, "referral_date": ["2009-01-05"] * len(cells)}
    with pytest.raises(error, match=re.escape(f"<dataframe>: {message}")):
        tables_from_frame(frame, "ia")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("sep", [";", "\t"])
def test_semicolon_and_tab_separated_files_read_as_the_comma_file(tmp_path: Path, engine: str, sep: str) -> None:
    rows = [["Child ID", "Referral Date", "Date Completed", "Team"], ["A", "05/01/2009", "14/01/2009", "North, East"],
            ["B", "06/01/2009", "", "South"], ["C", "31/02/2009", "16/01/2009", "South"]]  # fmt: skip
    comma = tmp_path / "comma.csv"
    with open(comma, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    other = tmp_path / "other.csv"
    with open(other, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=sep).writerows(rows)
    want, got = read_csv(comma, "ia", engine=engine), read_csv(other, "ia", engine=engine)
    a, b = want.tables["initial_assessment"], got.tables["initial_assessment"]
    assert b.child.values().tolist() == ["A", "B", "C"]
    assert b.extra["Team"].values().tolist() == ["North, East", "South", "South"]
    for name in a.dates:
        assert a.dates[name].tolist() == b.dates[name].tolist()
    assert (
        [(s.rule, s.field, s.positions.tolist()) for s in got.issues]
        == [(s.rule, s.field, s.positions.tolist()) for s in want.issues]
        == [("unparseable_date", "referral_date", [2])]
    )


def test_a_separator_inside_a_quoted_heading_does_not_decide(tmp_path: Path) -> None:
    path = tmp_path / "ia.csv"
    path.write_text('child_id,"referral; date",completion_date\nA,2009-01-05,2009-01-14\n', encoding="utf-8")
    table = read_csv(path, "ia", columns={"referral_date": "referral; date"}).tables["initial_assessment"]
    assert table.dates["completion_date"].astype(str).tolist() == ["2009-01-14"]


def test_a_csv_entry_that_cannot_be_read_is_reported_not_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "extract"
    folder.mkdir()
    (folder / "ia.csv").write_text("child_id,referral_date,completion_date\nA,2009-01-05,\n", encoding="utf-8")
    (folder / "cpp.csv").symlink_to(tmp_path / "gone.csv")
    (folder / "old.csv").mkdir()
    result = read_path(folder)
    assert list(result.tables) == ["initial_assessment"]
    assert [(n.code, n.message) for n in result.notices] == [
        (
            "unreadable_file",
            f"{folder / 'cpp.csv'}: a broken link (to {str(tmp_path / 'gone.csv')!r}); it was not read",
        ),
        ("unreadable_file", f"{folder / 'old.csv'}: a directory named like a CSV file; it was not read"),
    ]
    only_broken = tmp_path / "broken"
    only_broken.mkdir()
    (only_broken / "ia.csv").symlink_to(tmp_path / "gone.csv")
    with pytest.raises(CasetimeError, match=r"ia\.csv: a broken link .*; no \.csv file could be read"):
        read_path(only_broken)


def test_a_header_with_two_separators_is_read_by_the_most_frequent_and_said(tmp_path: Path) -> None:
    path = tmp_path / "ia.csv"
    path.write_text("child_id;referral_date;completion, date\nA;2009-01-05;2009-01-14\n", encoding="utf-8")
    result = read_csv(path, "ia")
    assert result.tables["initial_assessment"].dates["referral_date"].astype(str).tolist() == ["2009-01-05"]
    assert [(n.code, n.message) for n in result.notices if n.code == "ambiguous_separator"] == [
        ("ambiguous_separator", f"{path}: the header row holds ';' and ','; it was read as ';'-separated (the most "
         "frequent); check the columns used"),
    ]  # fmt: skip


def test_a_date_column_the_file_lacks_and_the_one_source_take_no_memory(tmp_path: Path) -> None:
    path = tmp_path / "ia.csv"
    path.write_text("child_id,referral_date,completion_date\nA,2009-01-05,2009-01-09\nB,2009-01-06,\n")
    table = read_csv(path, "ia").tables["initial_assessment"]
    start = table.dates["start_date"]  # (an initial assessment file has no start date: the clock starts at referral)
    assert start.tolist() == [None, None] and start.strides == (0,) and not start.flags.writeable
    assert table.source is not None and table.source.codes.strides == (0,)
    assert table.source.values().tolist() == [str(path), str(path)]
    assert table.dates["completion_date"].tolist() == [dt.date(2009, 1, 9), None]
    assert table.dates["completion_date"].strides == (8,)


# ---------------------------------------------------------------------------
# ISO date columns read as dates by pyarrow, and read again as text from a cell it must not read
# ---------------------------------------------------------------------------

#: cells after which a column read as dates must be read as text (pyarrow refuses them, or reads
#: them where casetime does not: a year before 1000), beside ordinary ones
ODD_DATE_CELLS = ["31/02/2009", "2009-02-29", "0999-12-31", "0001-01-01", "NULL", "n/a", " 2009-01-05",
                  "2009-01-05 10:00", "2009-1-5", "+209-01-05", "", "2008-02-29", "9999-12-31", '""']  # fmt: skip


def _iso_rows(n: int) -> list[list[str]]:
    """``n`` rows of ISO dates (some completions empty): more than the 64 KiB sample the reader looks at."""
    base = dt.date(2008, 4, 1)
    return [
        [f"C{i:07d}", (base + dt.timedelta(days=i % 700)).isoformat(),
         "" if i % 9 == 0 else (base + dt.timedelta(days=i % 700 + i % 40)).isoformat(), "North"]
        for i in range(n)
    ]  # fmt: skip


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("child_id,referral_date,completion_date,team\n")
        for row in rows:  # (a '""' cell is written as two quotes: a quoted empty cell)
            handle.write(",".join(row) + "\n")


def _same_result(a: ReadResult, b: ReadResult) -> None:
    same_table(a.tables["initial_assessment"], b.tables["initial_assessment"])

    def said(r: ReadResult) -> list[Any]:
        return sorted((s.rule, s.field, s.positions.tolist(), [str(v) for v in s.values], s.message) for s in r.issues)

    assert said(a) == said(b)


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pyarrow reader parses 4 KiB at a time (about a hundred rows), not at least 1 MiB."""
    import casetime.io.csv as csv_reader

    monkeypatch.setattr(csv_reader, "_MIN_BLOCK_BYTES", 4_096)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.integers(0, 2_599), st.sampled_from([1, 2]), st.sampled_from(ODD_DATE_CELLS)), max_size=4),
    st.sampled_from([1, 97, 100_000]),
)
def test_iso_date_columns_read_alike_by_both_engines_wherever_an_odd_cell_falls(
    tmp_path: Path, small_blocks: None, odd: list[tuple[int, int, str]], chunk: int
) -> None:
    rows = _iso_rows(2_600)  # ~100 KB: an odd cell may fall inside the 64 KiB sample or past it, in any block
    for at, column, cell in odd:
        rows[at][column] = cell
    path = tmp_path / "ia.csv"
    _write_rows(path, rows)
    seen: list[int] = []
    fast = read_csv(path, "ia", engine="pyarrow", chunk_rows=chunk, progress=seen.append)
    _same_result(fast, read_csv(path, "ia", engine="python", chunk_rows=chunk))
    assert seen == sorted(set(seen)) and seen[-1] == 2_600  # (read again from a row, never counted back)


def test_an_iso_column_is_read_as_dates_and_read_as_text_from_a_cell_past_the_sample(
    tmp_path: Path, small_blocks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pyarrow", reason="needs pyarrow, which is not installed here")
    import casetime.io.csv as csv_reader

    typed: dict[int, int] = {1: 0, 2: 0}  # rows read as dates, by column
    real = csv_reader._days_column

    def spy(array: Any, i: int) -> Any:
        days = real(array, i)
        typed[i] += len(array)
        return days

    monkeypatch.setattr(csv_reader, "_days_column", spy)
    rows = _iso_rows(5_000)
    rows[4_000][2] = "31/02/2009"  # past the sample and past the first blocks
    rows[4_500][1] = "0999-12-31"  # read by pyarrow, but not a date casetime reads
    path = tmp_path / "ia.csv"
    _write_rows(path, rows)
    result = read_csv(path, "ia", engine="pyarrow", chunk_rows=1)
    # read as dates up to the block holding the odd cell (and the block after, prepared ahead and thrown away)
    assert 3_000 < typed[2] <= 4_000 + 300 and 4_000 < typed[1] <= 4_500 + 300
    table = result.tables["initial_assessment"]
    assert dates(table, "referral_date")[:2] == [D(2008, 4, 1), D(2008, 4, 2)]
    assert dates(table, "completion_date")[4_000] is None and dates(table, "referral_date")[4_500] is None
    said = [(s.field, s.positions.tolist(), s.values.tolist()) for s in result.issues if s.rule == "unparseable_date"]
    assert said == [("referral_date", [4_500], ["0999-12-31"]), ("completion_date", [4_000], ["31/02/2009"])]
    _same_result(result, read_csv(path, "ia", engine="python"))


@pytest.mark.skipif(not installed("pyarrow"), reason="compares the engines: needs pyarrow, not installed here")
def test_a_lone_carriage_return_near_the_top_reads_alike_with_both_engines(tmp_path: Path) -> None:
    """A cell ending in a bare ``\\r`` (a line break to both readers) in the rows the pyarrow reader samples
    to choose its date columns: found by the fuzzed-files property test, where it escaped as ``csv.Error``."""
    path = tmp_path / "ia.csv"
    path.write_bytes(b"child_id,referral_date,completion_date\nA1,2009-01-05,2009-01-14\r,B2,\nC3,2009-01-06,\n")
    python, arrow = (read_csv(path, "ia", engine=engine) for engine in ENGINES)
    same_table(python.tables["initial_assessment"], arrow.tables["initial_assessment"])
    assert dates(arrow.tables["initial_assessment"], "referral_date") == [
        dt.date(2009, 1, 5),
        None,
        dt.date(2009, 1, 6),
    ]
    assert [(s.rule, s.field, s.values.tolist()) for s in arrow.issues] == [
        ("unparseable_date", "referral_date", ["B2"])
    ]
    assert [(s.rule, s.field, s.values.tolist()) for s in python.issues] == [
        ("unparseable_date", "referral_date", ["B2"])
    ]


@pytest.mark.skipif(not installed("pyarrow"), reason="the pyarrow reader: needs pyarrow, not installed here")
def test_the_pyarrow_reader_has_pyarrow_encode_every_column_but_the_child_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The team and the text dates come dictionary-encoded from pyarrow's parser (the child ids as plain
    text, keyed from their bytes), and read as the standard-library reader reads them."""
    import casetime.io.csv as csv_reader

    seen: list[str] = []
    real = csv_reader.dictionary_text

    def spy(array: Any) -> Any:
        found = real(array)
        seen.append(f"{array.type.value_type}:{'text' if found is not None else 'cell by cell'}")
        return found

    monkeypatch.setattr(csv_reader, "dictionary_text", spy)
    path = tmp_path / "ia.csv"
    path.write_text(
        "child_id,referral_date,completion_date,team\nA1,05/01/2009,14/01/2009,North\nB2,06/01/2009,,South\n"
        "A1,31/02/2009,16/01/2009, North\n",
        encoding="utf-8",
    )
    arrow = read_csv(path, "ia", engine="pyarrow")
    assert seen == ["string:text"] * 3  # (referral_date, completion_date, team; one batch)
    _same_result(arrow, read_csv(path, "ia", engine="python"))
    assert arrow.tables["initial_assessment"].extra["team"].values().tolist() == ["North", "South", "North"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("cell", ["North\x00", "14/01\x002009"])
def test_a_nul_in_a_column_other_than_the_child_id_is_binary_data_to_both_engines(
    tmp_path: Path, engine: str, cell: str
) -> None:
    path = tmp_path / "ia.csv"
    team, completed = (cell, "") if cell.startswith("North") else ("North", cell)
    body = f"child_id,referral_date,completion_date,team\nA1,05/01/2009,{completed},{team}\n"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(CasetimeError, match=re.escape(f"{path}: not a CSV file (it holds binary data, not text)")):
        read_csv(path, "ia", engine=engine)


@pytest.mark.skipif(not installed("pyarrow"), reason="the pyarrow reader: needs pyarrow, not installed here")
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_the_pyarrow_reader_cuts_a_file_without_quotes_after_a_line_break(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, newline: str
) -> None:
    """With the first part made 75 bytes long, the cut falls after the line break that ends row 4 (an
    impossible date), before a blank line: the date is reported and the blank line skipped, as in one part."""
    import casetime.io.csv as csv_reader

    monkeypatch.setattr(csv_reader, "_FIRST_PART_BYTES", 75)
    lines = ["child_id,referral_date,team", "A1,05/01/2009,North", "B2,06/01/2009,South", "C3,31/02/2009,East", "",
             *(f"D{i},07/01/2009,West" for i in range(40))]  # fmt: skip
    path = tmp_path / "ia.csv"
    path.write_bytes(newline.join(lines).encode() + newline.encode())
    assert csv_reader._first_part_end(str(path), path.stat().st_size - len(newline)) == len(
        newline.join(lines[:4]) + newline
    )
    python = read_csv(path, "ia", engine="python", chunk_rows=2)
    monkeypatch.setattr(csv_reader, "_read_python", None)  # (the pyarrow reader must not hand the file on)
    arrow = read_csv(path, "ia", engine="pyarrow", chunk_rows=2)
    _same_result(arrow, python)
    table = arrow.tables["initial_assessment"]
    assert table.row is not None and table.row.tolist() == [2, 3, 4, *range(6, 46)]
    assert [(s.field, s.positions.tolist(), s.values.tolist()) for s in arrow.issues] == [
        ("referral_date", [2], ["31/02/2009"])
    ]


@pytest.mark.parametrize(
    "body",
    [
        b"A\xc3,05/01/2009,North\n\xa9B,05/01/2009,North\n",  # child ids: the bytes of two cells form a character
        b"A1,05/01/2009,Zo\xeb\nA2,05/01/2009,Zo\xc3\xab\n",  # a team (read dictionary-encoded) not UTF-8
        b"A1,05/01/2009,Zo\xc3\nA2,05/01/2009,\xabN\n",  # teams whose bytes together would be UTF-8
        b"A1,05/01/2009,North\nA\xe92,05/01/2009,North\n",
    ],
)
def test_cells_that_are_not_utf8_are_found_by_the_pyarrow_reader_as_by_the_python_one(
    tmp_path: Path, body: bytes
) -> None:
    # (the pyarrow parser is told not to check; the reader checks each column's bytes itself)
    path = tmp_path / "ia.csv"
    # (after the first 64 KB, which the reader reads as text before it starts pyarrow's parser)
    filler = b"".join(b"F%d,06/01/2009,South\n" % i for i in range(5_000))
    path.write_bytes(b"child_id,referral_date,team\n" + filler + body + b"G,06/01/2009,Zo\xc3\xab\n")
    python = read_csv(path, "ia", engine="python")
    arrow = read_csv(path, "ia", engine="pyarrow")
    assert [n.message for n in python.notices] == [n.message for n in arrow.notices]
    assert "mixed_encoding" in [n.code for n in arrow.notices]
    ours, theirs = python.tables["initial_assessment"], arrow.tables["initial_assessment"]
    assert ours.child.values().tolist() == theirs.child.values().tolist()
    assert ours.extra["team"].values().tolist() == theirs.extra["team"].values().tolist()
