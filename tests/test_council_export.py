"""A council-style export, read end to end, with every figure worked out by hand below.

``tests/data/council/`` holds two files as a case system exports them: Windows-1252 text
("Hôpital", "Zoë Brontë"), CRLF line ends, headings in the council's own words
(``IA Completed Date``, ``CP Start Date``, ``Plan Ceased Date``), UK dates written several ways with
times (``05/01/2009 09:15``, ``12:00 AM``, ``19-12-2008``, ``02.01.2009``, ``1 Apr 2008``,
``25-Mar-2009 17:00``), a team column, and typos: an impossible date, a two-digit year, a completion
in 2035, and a row exported twice.

Working days (day0: working days d with referral < d <= completion), England and Wales bank
holidays of the winter: Thursday 25 and Friday 26 December 2008, Thursday 1 January 2009.

| row | child | referral -> completion | working days | NI59 2008/09 |
|---|---|---|---|---|
| 2 | A001 | Mon 5 Jan -> Wed 14 Jan 2009 | 6,7,8,9,12,13,14 = 7 | in time |
| 3 | A002 | Mon 5 Jan -> Thu 15 Jan 2009 | 8 | late |
| 4 | A003 | Fri 19 Dec 2008 -> Mon 5 Jan 2009 | 22,23,24,29,30,31 Dec, 2,5 Jan = 8 | late |
| 5 | A004 | Fri 19 Dec 2008 -> Fri 2 Jan 2009 | 22,23,24,29,30,31 Dec, 2 Jan = 7 | in time |
| 6 | A005 | Tue 1 Apr 2008 -> same day | 0 | in time |
| 7 | A006 | 31/02/2009 (no such day) | - | invalid (unparseable_date) |
| 8 | A007 | 10 Mar 2009 -> (blank) | - | still open |
| 9 | A008 | 12/01/09 (two-digit year) | - | invalid (two_digit_year) |
| 10 | A009 | 2 Mar 2009 -> 1 Jun 2035 | - | stopped outside the period (and outlier_date) |
| 11 | A010 | Mon 16 Mar -> Wed 25 Mar 2009 | 17,18,19,20,23,24,25 = 7 | in time |
| 12 | A001 | a copy of row 2 | - | invalid (duplicate) |
| 13 | A012 | Fri 27 Mar -> Mon 6 Apr 2009 | (6 April is in 2009/10) | stopped outside the period |

NI59 = 4 / 6 (A001, A004, A005, A010 in time of the six counted); 12 records = 6 counted + 3 invalid +
1 still open + 2 stopped outside the period. By team: Hôpital 2/2 (A005, A010), North 1/2 (A001 in,
A002 late), South 1/2 (A004 in, A003 late).

Plans (NI64, children whose plan ended in the period, lasting 2 years or more by anniversary): P1
1 Apr 2006 -> 10 Apr 2008 (past 1 Apr 2008: 2 years or more), P2 15 May -> 20 Nov 2008 (no), P3
1 Jun 2007 -> 31 Mar 2009 (before 1 Jun 2009: no), P4 open. NI64 = 1 / 3.

The default period: 14 clock-stop dates can be read (11 completions, A007 open; 3 plan ends), and
12 of them fall in 2008/09 (all but 1 June 2035 and 6 April 2009): 86%.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

import casetime
from casetime.cli import main

FOLDER = Path(__file__).parent / "data" / "council"
IA = str(FOLDER / "IA_Report_2008-09.csv")
CP = str(FOLDER / "CP_Plans_2008-09.csv")


def test_the_fixture_is_what_the_docstring_says() -> None:
    raw = (FOLDER / "IA_Report_2008-09.csv").read_bytes()
    assert b"\r\n" in raw and raw.count(b"\r\n") == raw.count(b"\n") == 13
    assert "Hôpital".encode("cp1252") in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_ni59_by_an_independent_count_of_working_days() -> None:
    # numpy's own business-day count with the three bank holidays typed by hand
    holidays = ["2008-12-25", "2008-12-26", "2009-01-01"]
    counted = [  # the six records counted, as in the table above
        ("2009-01-05", "2009-01-14"),
        ("2009-01-05", "2009-01-15"),
        ("2008-12-19", "2009-01-05"),
        ("2008-12-19", "2009-01-02"),
        ("2008-04-01", "2008-04-01"),
        ("2009-03-16", "2009-03-25"),
    ]
    start = np.array([a for a, _ in counted], dtype="M8[D]") + 1
    end = np.array([b for _, b in counted], dtype="M8[D]") + 1
    days = np.busday_count(start, end, holidays=holidays)
    assert days.tolist() == [7, 8, 8, 7, 0, 7]
    assert int((days <= 7).sum()) == 4


def test_the_extract_reads_every_cell_as_written() -> None:
    extract = casetime.load(FOLDER)
    ia = extract.tables["initial_assessment"]
    assert len(ia) == 12 and ia.row is not None and ia.row.tolist() == list(range(2, 14))
    assert ia.extra["Team"].values().tolist()[4] == "Hôpital"
    assert ia.extra["Worker"].values().tolist()[4] == "Zoë Brontë"
    assert ia.dates["referral_date"].tolist()[:6] == [
        dt.date(2009, 1, 5), dt.date(2009, 1, 5), dt.date(2008, 12, 19), dt.date(2008, 12, 19),
        dt.date(2008, 4, 1), None,
    ]  # fmt: skip
    assert ia.dates["completion_date"].tolist()[9] == dt.date(2009, 3, 25)
    used = {c.record_type: (c.fields, c.how) for c in extract.quality.columns}
    assert used["initial_assessment"][0]["completion_date"] == "IA Completed Date"
    assert used["initial_assessment"][1]["completion_date"] == "words"
    assert used["cpp"][0] == {"child_id": "Child ID", "start_date": "CP Start Date", "end_date": "Plan Ceased Date"}
    issues = {(i["rule"], i["row"], i["value"]) for i in extract.quality.issue_rows()}
    assert issues == {
        ("unparseable_date", 7, "31/02/2009"),
        ("two_digit_year", 9, "12/01/09"),
        ("outlier_date", 10, "2035-06-01"),
        ("duplicate", 12, f"same as {IA} row 2"),
    }
    assert extract.quality.notices == []  # a Windows-1252 file throughout is not a mixed one


def test_the_report_gives_the_worked_figures(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["report", str(FOLDER), "--by", "Team", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert status == 0
    assert out["period"] == "2008/09"
    assert out["period_note"].startswith("chosen because 86% of the 14 clock-stop dates fall in it")
    ni59, ni64 = out["indicators"]
    assert (ni59["id"], ni59["overall"]["numerator"], ni59["overall"]["denominator"]) == ("NI59", 4, 6)
    assert ni59["overall"]["display"] == "66.7" and ni59["overall"]["rag"] == "amber"
    assert [(r["label"], r["numerator"], r["denominator"]) for r in ni59["rows"]] == [
        ("Hôpital", 2, 2), ("North", 1, 2), ("South", 1, 2),
    ]  # fmt: skip
    assert ni59["records"] == {
        "population": 12, "counted": 6, "invalid": 3, "still_open": 1, "clock_stop_outside_period": 2,
    }  # fmt: skip
    assert (ni64["id"], ni64["overall"]["numerator"], ni64["overall"]["denominator"]) == ("NI64", 1, 3)
    assert ni64["records"] == {"population": 4, "counted": 3, "still_open": 1}


def test_by_team_finds_the_team_heading_as_loosely_as_columns_are_matched(capsys: pytest.CaptureFixture[str]) -> None:
    main(["report", str(FOLDER), "--by", "Team", "--format", "json"])
    exact = json.loads(capsys.readouterr().out)["indicators"][0]["rows"]
    main(["report", str(FOLDER), "--by", "team", "--format", "json"])
    loose = json.loads(capsys.readouterr().out)["indicators"][0]["rows"]
    assert loose == exact and [r["label"] for r in loose] == ["Hôpital", "North", "South"]
    table = casetime.compute("NI59", casetime.load(FOLDER), "2008/09", by="quarter, team")  # the CLI's form
    assert table.by == ("quarter", "Team")
    q4 = {row.key: (row.numerator, row.denominator) for row in table.rows}
    assert q4[(("quarter", "2008/09 Q4"), ("Team", "Hôpital"))] == (1, 1)  # A010, completed 25 March, in time
