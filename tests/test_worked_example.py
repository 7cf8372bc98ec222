"""The worked example of docs/indicators.md, checked against the engine.

Every expected number below was worked out by hand (the working-day counts are
shown day by day in the document); none was produced by casetime.
"""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from casetime.engine import compute
from casetime.indicators import NI59, NI60, NI64
from casetime.periods import FinancialYear, Month, Quarter, YearToDate
from casetime.tables import Table

# -- the extract (the same rows as the tables in docs/indicators.md) --------------------------

IA_ROWS = [
    # child, referral, completion, team, working days elapsed (by hand), within 7?
    ("A00", "2008-10-30", "2008-11-11", "North"),  # 8: no (crosses the month end)
    ("A01", "2008-12-01", "2008-12-10", "North"),  # 7: yes (exactly the limit)
    ("A02", "2008-12-01", "2008-12-11", "South"),  # 8: no (limit + 1)
    ("A03", "2008-12-19", "2009-01-02", "South"),  # 7: yes (25, 26 Dec and 1 Jan skipped)
    ("A04", "2008-12-20", "2009-01-05", "North"),  # 8: no (a Saturday referral adds nothing)
    ("A05", "2008-12-24", "2009-01-07", "North"),  # 7: yes
    ("A06", "2009-01-14", "2009-01-24", "South"),  # 7: yes (completed on a Saturday)
    ("A07", "2009-01-29", "2009-02-10", "North"),  # 8: no
    ("A08", "2009-03-27", "2009-04-07", "North"),  # 7: yes (2009/10)
    ("A09", "2009-04-06", "2009-04-16", "South"),  # 6: yes (Good Friday, Easter Monday skipped)
    ("A10", "2009-04-08", "2009-04-22", "South"),  # 8: no
    ("A11", "2009-03-02", "2009-03-01", "North"),  # left out: completed before start
    ("A12", "2009-03-10", None, "South"),  # left out: still open (placed by its referral)
    ("A13", None, "2009-03-16", "North"),  # left out: no referral date
]

CA_ROWS = [
    ("B01", "2008-12-24", "2009-02-16"),  # 35: yes (exactly the limit)
    ("B02", "2008-12-24", "2009-02-17"),  # 36: no
    ("B03", "2009-03-02", "2009-04-22"),  # 35: yes (37 if Easter were ignored)
    ("B04", "2008-11-10", None),  # still open
]

CPP_ROWS = [
    ("C01", "2008-02-29", "2010-02-28"),  # 29 Feb + 2 years = 28 Feb: 2 years, yes
    ("C02", "2008-02-29", "2010-02-27"),  # one day short: no
    ("C03", "2007-04-01", "2009-04-15"),  # 2 years and 14 days: yes
    ("C03", "2009-06-01", "2010-03-10"),  # the same child's second plan: no
    ("C04", "2008-03-16", "2010-03-15"),  # anniversary 16 March 2010: no
    ("C05", "2008-02-01", None),  # still open, started before the period: not placed in 2009/10
    ("C06", "2010-01-10", "2010-01-05"),  # ended before it started: left out
]


def ia_table() -> Table:
    return Table.from_columns(
        "initial_assessment",
        {
            "child_id": [r[0] for r in IA_ROWS],
            "referral_date": [r[1] for r in IA_ROWS],
            "completion_date": [r[2] for r in IA_ROWS],
            "team": [r[3] for r in IA_ROWS],
        },
    )


def ca_table() -> Table:
    return Table.from_columns(
        "core_assessment",
        {
            "child_id": [r[0] for r in CA_ROWS],
            "start_date": [r[1] for r in CA_ROWS],
            "completion_date": [r[2] for r in CA_ROWS],
        },
    )


def cpp_table() -> Table:
    return Table.from_columns(
        "cpp",
        {
            "child_id": [r[0] for r in CPP_ROWS],
            "start_date": [r[1] for r in CPP_ROWS],
            "end_date": [r[2] for r in CPP_ROWS],
        },
    )


def counts(result_row: object) -> tuple[int, int, str | None]:
    return (result_row.numerator, result_row.denominator, result_row.display)  # type: ignore[attr-defined]


# -- NI59 -----------------------------------------------------------------------------------------

NI59_MONTHS_2008 = {
    "2008-04": (0, 0, None),
    "2008-05": (0, 0, None),
    "2008-06": (0, 0, None),
    "2008-07": (0, 0, None),
    "2008-08": (0, 0, None),
    "2008-09": (0, 0, None),
    "2008-10": (0, 0, None),
    "2008-11": (0, 1, "0.0"),
    "2008-12": (1, 2, "50.0"),
    "2009-01": (3, 4, "75.0"),
    "2009-02": (0, 1, "0.0"),
    "2009-03": (0, 0, None),
}


def test_ni59_by_month() -> None:
    result = compute(NI59, ia_table(), FinancialYear(2008), by="month")
    got = {r.get("month"): counts(r) for r in result}
    assert got == NI59_MONTHS_2008
    march = result.get(month="2009-03")
    assert march.left_out == {"invalid": 0, "completed_before_start": 1, "missing_start": 1, "still_open": 1}
    assert march.value is None and march.status is None


@pytest.mark.parametrize(
    ("period", "expected", "status"),
    [
        (YearToDate(Quarter(2008, 3)), (1, 3, "33.3"), "red"),
        (YearToDate(Month(2009, 1)), (4, 7, "57.1"), "red"),
        (FinancialYear(2008), (4, 8, "50.0"), "red"),
        (Quarter(2008, 3), (1, 3, "33.3"), "red"),
        (Quarter(2008, 4), (3, 5, "60.0"), "red"),
        (Month(2009, 1), (3, 4, "75.0"), "green"),
        (Month(2009, 4), (2, 3, "66.7"), "amber"),
    ],
)
def test_ni59_windows(period: object, expected: tuple[int, int, str], status: str) -> None:
    row = compute(NI59, ia_table(), period).get()
    assert counts(row) == expected
    assert row.status == status  # target 70%, amber from 65%


def test_ni59_by_team_for_the_year() -> None:
    result = compute(NI59, ia_table(), FinancialYear(2008), by="team")
    north, south = result.get(team="North"), result.get(team="South")
    assert counts(north) == (2, 5, "40.0")
    assert counts(south) == (2, 3, "66.7")
    assert north.left_out["completed_before_start"] == 1 and north.left_out["missing_start"] == 1
    assert south.left_out["still_open"] == 1


def test_ni59_breaches_in_january() -> None:
    result = compute(NI59, ia_table(), FinancialYear(2008), by="month")
    cases = result.breaches(month="2009-01").records()
    assert [(c["child_id"], c["elapsed"], c["due_date"].isoformat(), c["over_limit"]) for c in cases] == [
        ("A04", 8, "2009-01-02", 1)
    ]


def test_ni59_elapsed_for_every_record() -> None:
    by_hand = {"A00": 8, "A01": 7, "A02": 8, "A03": 7, "A04": 8, "A05": 7, "A06": 7, "A07": 8}
    cases = compute(NI59, ia_table(), FinancialYear(2008)).cases("denominator").records()
    assert {c["child_id"]: c["elapsed"] for c in cases} == by_hand
    april = compute(NI59, ia_table(), Month(2009, 4)).cases("denominator").records()
    assert {c["child_id"]: c["elapsed"] for c in april} == {"A08": 7, "A09": 6, "A10": 8}


# -- NI60 -----------------------------------------------------------------------------------------


def test_ni60() -> None:
    year = compute(NI60, ca_table(), FinancialYear(2008), by="month")
    assert counts(year.get(month="2009-02")) == (1, 2, "50.0")
    assert year.get(month="2008-11").left_out["still_open"] == 1
    assert sum(r.denominator for r in year) == 2
    assert counts(compute(NI60, ca_table(), YearToDate(Quarter(2008, 3))).get()) == (0, 0, None)
    assert counts(compute(NI60, ca_table(), FinancialYear(2008)).get()) == (1, 2, "50.0")
    assert counts(compute(NI60, ca_table(), Month(2009, 4)).get()) == (1, 1, "100.0")
    elapsed = {c["child_id"]: c["elapsed"] for c in year.cases("denominator").records()}
    assert elapsed == {"B01": 35, "B02": 36}


# -- NI64 -----------------------------------------------------------------------------------------


def test_ni64_by_month_child_level() -> None:
    result = compute(NI64, cpp_table(), FinancialYear(2009), by="month")
    got = {r.get("month"): counts(r) for r in result if r.denominator or r.left_out_total}
    assert got == {
        "2009-04": (1, 1, "100.0"),
        "2010-01": (0, 0, None),
        "2010-02": (1, 2, "50.0"),
        "2010-03": (0, 2, "0.0"),
    }
    assert result.get(month="2010-01").left_out["completed_before_start"] == 1


def test_ni64_year_and_year_to_date() -> None:
    assert counts(compute(NI64, cpp_table(), YearToDate(Month(2010, 2))).get()) == (2, 3, "66.7")
    year = compute(NI64, cpp_table(), FinancialYear(2009)).get()
    assert counts(year) == (2, 4, "50.0")
    assert year.status == "red"  # target 8%, lower is better
    assert counts(compute(NI64, cpp_table(), Quarter(2009, 4)).get()) == (1, 4, "25.0")
    # the year is not the sum of the months: child C03 ended plans in April and in March
    by_month = compute(NI64, cpp_table(), FinancialYear(2009), by="month")
    assert sum(r.denominator for r in by_month) == 5
    assert counts(by_month.total()) == (2, 4, "50.0")


def test_ni64_plan_level() -> None:
    plans = NI64.with_counting("record")
    assert counts(compute(plans, cpp_table(), FinancialYear(2009)).get()) == (2, 5, "40.0")
    assert counts(compute(plans, cpp_table(), Quarter(2009, 4)).get()) == (1, 4, "25.0")


def test_ni64_anniversaries() -> None:
    cases = compute(NI64, cpp_table(), FinancialYear(2009)).cases("denominator").records()
    got = {(c["child_id"], c["clock_stop"].isoformat()): (c["due_date"].isoformat(), c["in_numerator"]) for c in cases}
    assert got == {
        ("C01", "2010-02-28"): ("2010-02-28", True),
        ("C02", "2010-02-27"): ("2010-02-28", False),
        ("C03", "2009-04-15"): ("2009-04-01", True),
        ("C03", "2010-03-10"): ("2011-06-01", False),
        ("C04", "2010-03-15"): ("2010-03-16", False),
    }


def test_the_examples_in_the_document_run() -> None:
    doc = Path(__file__).resolve().parents[1] / "docs" / "indicators.md"
    result = doctest.testfile(str(doc), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 20 and result.failed == 0
