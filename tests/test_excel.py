"""Excel workbooks: real Excel dates beside text dates, a sheet per record type, issues naming the sheet."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

import casetime
from casetime.cli import main
from casetime.io import read_excel

D = dt.date


def workbook(path: Path) -> Path:
    """Two sheets of records and a notes sheet, as an analyst's export."""
    book = Workbook()
    ia = book.active
    assert ia is not None
    ia.title = "Initial assessments"
    ia.append(["Child ID", "Referral Date", "IA Completed Date", "Team"])
    ia.append(["A1", dt.datetime(2009, 1, 5, 9, 30), dt.datetime(2009, 1, 14), "North"])  # real Excel dates
    ia.append([12345, "05/01/2009", "15/01/2009 00:00", "South"])  # a number id; text dates, day first
    ia.append([None, None, None, None])  # a blank row keeps its number
    ia.append(["A3", dt.date(2009, 1, 6), "TBC", "North"])
    ia.append(["A4", "31/02/2009", None, "South"])
    cpp = book.create_sheet("CPP")
    cpp.append(["LAchildID", "CPPstartDate", "CPPendDate", "CPPreviewDate"])
    cpp.append(["P1", dt.date(2006, 4, 1), dt.date(2008, 4, 10), "2006-06-01;2007-01-10"])
    cpp.append(["P2", dt.date(2008, 5, 15), dt.date(2008, 11, 20), None])
    notes = book.create_sheet("Notes")
    notes.append(["Exported by", "the case system"])
    book.save(path)
    return path


def test_a_workbook_reads_every_sheet_of_records(tmp_path: Path) -> None:
    result = read_excel(workbook(tmp_path / "extract.xlsx"))
    ia, cpp = result.tables["initial_assessment"], result.tables["cpp"]
    assert ia.child.values().tolist() == ["A1", "12345", "A3", "A4"]
    assert ia.dates["referral_date"].tolist() == [D(2009, 1, 5), D(2009, 1, 5), D(2009, 1, 6), None]
    assert ia.dates["completion_date"].tolist() == [D(2009, 1, 14), D(2009, 1, 15), None, None]
    assert ia.row is not None and ia.row.tolist() == [2, 3, 5, 6]  # as Excel numbers them
    assert ia.source is not None and set(ia.source.values().tolist()) == {
        f"{tmp_path / 'extract.xlsx'} [Initial assessments]"
    }
    assert cpp.reviews is not None and cpp.reviews.lists() == [[D(2006, 6, 1), D(2007, 1, 10)], []]
    issues = sorted((i.record_type, i.rule, i.field, i.positions.tolist(), i.values.tolist()) for i in result.issues)
    assert issues == [
        ("initial_assessment", "unparseable_date", "completion_date", [2], ["TBC"]),
        ("initial_assessment", "unparseable_date", "referral_date", [3], ["31/02/2009"]),
    ]
    (notice,) = result.notices
    assert notice.code == "sheet_not_read" and "[Notes]" in notice.message and "was not read" in notice.message


def test_the_report_of_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = workbook(tmp_path / "extract.xlsx")
    status = main(["report", str(path), "--period", "2008/09", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert status == 0
    ni59, ni64 = out["indicators"]
    # A1: 5 -> 14 January is 7 working days (in time); 12345: 5 -> 15 January, 8 (late); A3's completion
    # "TBC" is unreadable (an error: invalid); A4 has no readable date at all (no period can hold it)
    assert (ni59["overall"]["numerator"], ni59["overall"]["denominator"]) == (1, 2)
    assert ni59["records"] == {"population": 4, "counted": 2, "invalid": 1, "no_readable_date": 1}
    # P1: 1 April 2006 -> 10 April 2008, 2 years or more; P2: under
    assert (ni64["overall"]["numerator"], ni64["overall"]["denominator"]) == (1, 2)


def test_an_issue_names_the_sheet_and_the_excel_row(tmp_path: Path) -> None:
    extract = casetime.load(workbook(tmp_path / "extract.xlsx"))
    rows = {
        (r["source"], r["row"], r["value"]) for r in extract.quality.issue_rows() if r["rule"] == "unparseable_date"
    }
    assert rows == {
        (f"{tmp_path / 'extract.xlsx'} [Initial assessments]", 6, "31/02/2009"),
        (f"{tmp_path / 'extract.xlsx'} [Initial assessments]", 5, "TBC"),
    }


def test_a_workbook_with_no_sheet_of_records_is_refused(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "age"])
    book.save(tmp_path / "other.xlsx")
    with pytest.raises(ValueError, match=r"no sheet of the workbook holds records .*cannot tell the record type"):
        read_excel(tmp_path / "other.xlsx")


def test_without_python_calamine_the_message_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # (an import of it now fails)
    with pytest.raises(ValueError, match=r"needs python-calamine: pip install 'casetime\[excel\]'"):
        read_excel(workbook(tmp_path / "extract.xlsx"))


def test_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    (tmp_path / "broken.xlsx").write_text("child_id,referral_date\nA,05/01/2009\n")
    with pytest.raises(ValueError, match=r"broken\.xlsx: not a readable workbook"):
        read_excel(tmp_path / "broken.xlsx")
