"""Excel workbooks: real Excel dates beside text dates, a sheet per record type, issues naming the sheet."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

import casetime
from casetime.cli import main
from casetime.io import read_excel

Workbook = pytest.importorskip("openpyxl", reason="needs openpyxl, which is not installed here").Workbook

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


# ---------------------------------------------------------------------------
# Ofsted Annex A
# ---------------------------------------------------------------------------


def annex_a(path: Path, *, with_list_3: bool = True) -> Path:
    """An Annex A workbook of six months to 31 March 2024, with the lists' own headings."""
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "List 1 - Contacts"
    first.append(["Child Unique ID", "Gender", "Date of Contact"])
    first.append(["C1", "1", dt.date(2024, 1, 2)])
    if with_list_3:
        l3 = book.create_sheet("List 3 - Referrals")
        l3.append(
            ["Child Unique ID", "Gender", "Date of referral", "Referral Source", "Referral NFA?", "Allocated Team"]
        )
        l3.append(["C1", "1", dt.date(2024, 1, 3), "1A", "No", "North"])
        l3.append(["C2", "2", dt.date(2023, 10, 9), "5B", "Yes", "South"])
    l4 = book.create_sheet("List 4 - Assessments")
    l4.append(["Child Unique ID", "Continuous Assessment Start Date", "Child Seen During Continuous Assessment",
               "Continuous Assessment Date of Authorisation", "Allocated Team"])  # fmt: skip
    l4.append(["C1", dt.date(2024, 1, 4), "Yes", dt.date(2024, 2, 20), "North"])
    l4.append(["C3", dt.date(2024, 1, 8), "Yes", dt.date(2024, 3, 28), "South"])
    l4.append(["C4", dt.date(2024, 3, 1), "No", None, "South"])
    l5 = book.create_sheet("List 5")
    l5.append(["Child Unique ID", "Strategy discussion initiating Section 47 Enquiry Start Date",
               "Was an Initial Child Protection Conference deemed unnecessary?",
               "Date of Initial Child Protection Conference"])  # fmt: skip
    l5.append(["C1", dt.date(2024, 1, 5), "No", dt.date(2024, 1, 25)])
    l6 = book.create_sheet("List 6 - Children in need")
    l6.append(["Child Unique ID", "CIN Start Date", "CIN Closure Date"])
    l6.append(["C5", dt.date(2023, 6, 1), dt.date(2024, 2, 1)])
    l7 = book.create_sheet("List 7 - Child protection")
    l7.append(["Child Unique ID", "Child Protection Plan Start Date", "Date of the Last Statutory Visit",
               "Date of latest review conference", "Child Protection Plan End Date",
               "Number of Previous Child Protection Plans"])  # fmt: skip
    l7.append(["C1", dt.date(2024, 1, 25), dt.date(2024, 3, 1), dt.date(2024, 3, 14), None, 0])
    l7.append(["C6", dt.date(2021, 10, 1), None, None, dt.date(2024, 3, 31), 1])
    l8 = book.create_sheet("List 8 - Looked after")
    l8.append(["Child Unique ID", "Date Started to be Looked After"])
    l8.append(["C7", dt.date(2024, 2, 2)])
    book.save(path)
    return path


def test_an_annex_a_workbook_reads_its_lists_of_records(tmp_path: Path) -> None:
    extract = casetime.load(annex_a(tmp_path / "annex_a.xlsx"))
    t = extract.tables
    assert list(t) == ["referral", "single_assessment", "s47", "cpp"]
    assert t["referral"].child.values().tolist() == ["C1", "C2"]  # List 3 (List 6 would repeat them)
    sa = t["single_assessment"]
    # List 4 has no referral date: the assessment's start is its clock start, and that is said
    assert sa.dates["referral_date"].tolist() == sa.dates["start_date"].tolist() == [
        D(2024, 1, 4), D(2024, 1, 8), D(2024, 3, 1)
    ]  # fmt: skip
    assert sa.dates["completion_date"].tolist() == [D(2024, 2, 20), D(2024, 3, 28), None]
    assert t["s47"].dates["conference_date"].tolist() == [D(2024, 1, 25)]
    cpp = t["cpp"]
    assert cpp.dates["end_date"].tolist() == [None, D(2024, 3, 31)]
    assert cpp.reviews is not None and cpp.reviews.lists() == [[D(2024, 3, 14)], []]
    codes = {n.code: n.message for n in extract.quality.notices}
    assert "List 4 has no referral date" in codes["annex_a_clock"]
    unused = [n.message for n in extract.quality.notices if n.code == "list_not_used"]
    assert len(unused) == 3 and any("List 1 (contacts)" in m for m in unused)
    assert any("List 6 (children in need) was not used: List 3 gives the referrals" in m for m in unused)
    assert any("List 8 (children looked after)" in m for m in unused)
    assert all(m.endswith("(1 row)") for m in unused)  # every row left out is said
    # the default period: the six months up to the latest date, 31 March 2024
    choice = extract.default_period()
    assert choice is not None
    assert (choice.period.start, choice.period.end) == (D(2023, 10, 1), D(2024, 3, 31))
    assert choice.note == "Annex A lists cover the six months before their latest date, 31 March 2024"


def test_an_annex_a_workbook_without_list_3_takes_its_referrals_from_list_6(tmp_path: Path) -> None:
    extract = casetime.load(annex_a(tmp_path / "annex_a.xlsx", with_list_3=False))
    ref = extract.tables["referral"]
    assert ref.child.values().tolist() == ["C5"]
    assert ref.dates["closure_date"].tolist() == [D(2024, 2, 1)]


def test_the_report_of_an_annex_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["report", str(annex_a(tmp_path / "annex_a.xlsx")), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert status == 0 and out["period"] == "2023-10-01..2024-03-31"
    assert out["period_note"].startswith("Annex A lists cover the six months before their latest date")
    by_id = {i["id"]: i for i in out["indicators"]}
    # SA45 from the assessment's start: C1 4 January -> 20 February 2024 is 33 working days (in time);
    # C3 8 January -> 28 March, 58 (late); C4 is open
    assert (by_id["SA45"]["overall"]["numerator"], by_id["SA45"]["overall"]["denominator"]) == (1, 2)
    # ICPC15: 5 -> 25 January 2024 is 14 working days: within 15
    assert (by_id["ICPC15"]["overall"]["numerator"], by_id["ICPC15"]["overall"]["denominator"]) == (1, 1)


def test_a_folder_s_other_workbooks_and_xml_files_are_warned_about_not_read(tmp_path: Path) -> None:
    (tmp_path / "initial_assessment.csv").write_text("child_id,referral_date,completion_date\nA,05/01/2009,\n")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "age"])
    book.save(tmp_path / "budget.xlsx")
    (tmp_path / "settings.xml").write_text("<config><a>1</a></config>")
    extract = casetime.load(tmp_path)
    assert list(extract.tables) == ["initial_assessment"]
    notices = sorted((n.source, n.code) for n in extract.quality.notices)
    assert notices == [
        (str(tmp_path / "budget.xlsx"), "file_not_read"),
        (str(tmp_path / "settings.xml"), "file_not_read"),
    ]
    # named on their own, they are errors
    with pytest.raises(ValueError, match="no sheet of the workbook holds records"):
        casetime.load(tmp_path / "budget.xlsx")
    with pytest.raises(ValueError, match="not a CIN census file: the root element is <config>"):
        casetime.load(tmp_path / "settings.xml")


def test_a_synthetic_extract_written_as_annex_a_reads_back_what_annex_a_keeps(tmp_path: Path) -> None:
    from casetime import synth

    extract = synth.generate(300, financial_year=2023, seed=4)
    synth.write_csv(extract, tmp_path / "csv")
    synth.write_annex_a(extract, tmp_path / "annex_a.xlsx")
    csv, annex = casetime.load(tmp_path / "csv"), casetime.load(tmp_path / "annex_a.xlsx")
    assert csv.record_types == annex.record_types == ("referral", "single_assessment", "s47", "cpp")
    kept = {  # what each list holds
        "referral": ("referral_date",),
        "single_assessment": ("start_date", "completion_date"),
        "s47": ("start_date", "conference_date"),
        "cpp": ("start_date", "end_date"),
    }
    for kind, names in kept.items():
        a, b = csv.tables[kind], annex.tables[kind]
        assert a.child.values().tolist() == b.child.values().tolist(), kind  # (the lists keep the rows' order)
        for name in names:
            assert a.dates[name].tolist() == b.dates[name].tolist(), (kind, name)
    # a plan's latest review only
    latest = [[max(r)] if r else [] for r in csv.tables["cpp"].reviews.lists()]  # type: ignore[union-attr]
    assert annex.tables["cpp"].reviews is not None and annex.tables["cpp"].reviews.lists() == latest
    # the figures that do not depend on what Annex A leaves out agree
    one = casetime.compute_all(csv, "2023/24", indicators=["NI64", "ICPC15"])
    two = casetime.compute_all(annex, "2023/24", indicators=["NI64", "ICPC15"])
    assert {k: (v.total().numerator, v.total().denominator) for k, v in one.items()} == {
        k: (v.total().numerator, v.total().denominator) for k, v in two.items()
    }


def test_annex_a_lists_are_known_by_their_headings_too(tmp_path: Path) -> None:
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "Assessments"  # List 4, by its headings
    first.append(["Child Unique ID", "Continuous Assessment Start Date", "Continuous Assessment Date of Authorisation"])
    first.append(["C1", dt.date(2024, 1, 4), dt.date(2024, 2, 20)])
    plans = book.create_sheet("CP plans")  # List 7
    plans.append(["Child Unique ID", "Child Protection Plan Start Date", "Child Protection Plan End Date"])
    plans.append(["C2", dt.date(2022, 1, 4), dt.date(2024, 3, 1)])
    book.save(tmp_path / "annex.xlsx")
    extract = casetime.load(tmp_path / "annex.xlsx")
    assert extract.record_types == ("single_assessment", "cpp")
    assert extract.tables["single_assessment"].dates["referral_date"].tolist() == [D(2024, 1, 4)]  # its start
    assert "annex_a_clock" in {n.code for n in extract.quality.notices}
    choice = extract.default_period()
    assert choice is not None and (choice.period.start, choice.period.end) == (D(2023, 9, 2), D(2024, 3, 1))


def test_an_icpc_deemed_unnecessary_in_list_5_is_the_census_s_icpc_not_required(tmp_path: Path) -> None:
    book = Workbook()
    l5 = book.active
    assert l5 is not None
    l5.title = "List 5"
    l5.append(["Child Unique ID", "Strategy discussion initiating Section 47 Enquiry Start Date",
               "Was an Initial Child Protection Conference deemed unnecessary?",
               "Date of Initial Child Protection Conference"])  # fmt: skip
    l5.append(["C1", dt.date(2024, 3, 6), "Yes", None])  # 16 working days to 31 March, but no ICPC was needed
    l5.append(["C2", dt.date(2024, 3, 6), "No", None])  # 16 working days, no ICPC: queried (8675Q)
    l5.append(["C3", dt.date(2024, 3, 7), "no", None])  # 15 working days: not yet
    book.save(tmp_path / "annex.xlsx")
    extract = casetime.load(tmp_path / "annex.xlsx", as_at="2024-03-31")
    assert extract.tables["s47"].extra["ICPCnotRequired"].values().tolist() == ["true", "false", "false"]
    queried = [(i.rule, i.positions.tolist()) for i in extract.quality.issue_sets if i.rule == "8675Q"]
    assert queried == [("8675Q", [1])]
