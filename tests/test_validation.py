"""Example-based tests of casetime.validation: one worked row per rule, the report, strict mode, CSV export.

Expected values are written by hand from the rule texts (docs/validation.md shows the same examples).
"""

from __future__ import annotations

import csv
import datetime as dt
import doctest
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import casetime.validation as validation
import casetime.validation.duplicates as duplicates_module
import casetime.validation.run as run_module
from casetime.calendar import WorkingCalendar
from casetime.errors import CasetimeError, DateParseError
from casetime.quality import ISSUE_COLUMNS, IssueSet, QualityReport, ValidationError
from casetime.schema import RECORD_TYPES
from casetime.tables import Table
from casetime.validation import RULES, describe_rule, validate

DOCS = Path(__file__).resolve().parents[1] / "docs" / "validation.md"


def issues(report: QualityReport) -> list[tuple[str, int, str, str]]:
    """(rule, row, field, value) for every finding, sorted."""
    return sorted((i["rule"], i["row"], i["field"], i["value"]) for i in report.issue_rows())


# One row (or two) breaking each rule, and what must be reported: (rule, row, field, value).
EXAMPLES: list[tuple[str, str, dict[str, list[Any]], str | None, list[tuple[str, int, str, str]]]] = [
    (
        "1103",
        "initial_assessment",
        {"child_id": ["A"], "referral_date": ["2009-01-05"], "start_date": ["2009-01-02"]},
        None,
        [("1103", 0, "start_date", "2009-01-02")],
    ),
    (
        "8608",
        "initial_assessment",
        {"child_id": ["A"], "referral_date": ["2009-01-05"], "completion_date": ["2009-01-02"]},
        None,
        [("8608", 0, "completion_date", "2009-01-02")],
    ),
    (
        "2889",
        "s47",
        {"child_id": ["A"], "referral_date": ["2009-02-10"], "start_date": ["2009-02-09"]},
        None,
        [("2889", 0, "start_date", "2009-02-09")],
    ),
    (
        "8615",
        "s47",
        {"child_id": ["A"], "start_date": ["2009-02-10"], "conference_date": ["2009-02-06"]},
        None,
        [("8615", 0, "conference_date", "2009-02-06")],
    ),
    (
        "1105",
        "cpp",
        {"child_id": ["A"], "referral_date": ["2009-03-02"], "start_date": ["2009-02-27"]},
        None,
        [("1105", 0, "start_date", "2009-02-27")],
    ),
    (
        "8925",
        "cpp",
        {"child_id": ["A"], "start_date": ["2009-03-02"], "end_date": ["2009-03-01"]},
        None,
        [("8925", 0, "end_date", "2009-03-01")],
    ),
    (
        "8840",
        "cpp",
        {"child_id": ["A"], "start_date": ["2009-03-02"], "end_date": ["2009-03-02"]},
        None,
        [("8840", 0, "end_date", "2009-03-02")],
    ),
    (
        "8841",
        "cpp",
        {"child_id": ["A"], "start_date": ["2009-03-02"], "review_dates": ["2009-03-02;2009-05-20"]},
        None,
        [("8841", 0, "review_dates", "2009-03-02")],
    ),
    (
        "8630",
        "referral",
        {"child_id": ["A"], "referral_date": ["2009-01-05"], "closure_date": ["2009-01-04"]},
        None,
        [("8630", 0, "closure_date", "2009-01-04")],
    ),
    (
        "8935",
        "cpp",
        {"child_id": ["A", "A"], "start_date": ["2009-01-05", "2010-06-01"], "end_date": [None, None]},
        None,
        [
            ("8935", 0, "end_date", ""),
            ("8935", 1, "end_date", ""),
            ("8940", 0, "end_date", ""),
            ("8940", 1, "start_date", "2010-06-01"),
        ],
    ),
    (
        "8940",
        "cpp",
        {"child_id": ["A", "A"], "start_date": ["2009-01-05", "2009-06-30"], "end_date": ["2009-06-30", None]},
        None,
        [("8940", 0, "end_date", "2009-06-30"), ("8940", 1, "start_date", "2009-06-30")],
    ),
    (
        "missing_date",
        "core_assessment",
        {"child_id": ["A"], "start_date": [None], "completion_date": ["2009-02-20"]},
        None,
        [("missing_date", 0, "start_date", "")],
    ),
    (
        "out_of_coverage",
        "referral",
        {"child_id": ["A"], "referral_date": ["1989-12-31"]},
        None,
        [("out_of_coverage", 0, "referral_date", "1989-12-31")],
    ),
    (
        "after_as_at",
        "initial_assessment",
        {"child_id": ["A"], "referral_date": ["2009-03-30"], "completion_date": ["2009-04-02"]},
        "2009-03-31",
        [("after_as_at", 0, "completion_date", "2009-04-02")],
    ),
    (
        "outlier_date",
        "initial_assessment",
        {
            "child_id": ["A", "B", "C"],
            "referral_date": ["2008-05-01", "2008-06-02", "2008-07-01"],
            "completion_date": ["2008-05-06", "2035-06-01", "2008-07-03"],
        },  # a typo for 2008-06-05
        None,
        [("outlier_date", 1, "completion_date", "2035-06-01")],
    ),
    (
        "duplicate",
        "referral",
        {"child_id": ["A", "A"], "referral_date": ["2009-01-05", "2009-01-05"]},
        None,
        [("duplicate", 1, "record", "same as <input> row 0")],
    ),
    # The census queries count "more than N working days" before the reference date, here Sunday 31 March
    # 2024 (Good Friday 29 March: the last working day before it is Thursday 28 March). From Thursday
    # 25 January: 26, 29-31 January (4), February (21), 1-28 March (20) = 45 working days, not more:
    # not queried; from Wednesday 24 January, 46: queried. The published validator flags both.
    (
        "8670Q",
        "single_assessment",
        {
            "child_id": ["A", "B", "C"],
            "referral_date": ["2024-01-25", "2024-01-24", "2024-01-24"],
            "start_date": ["2024-01-25", "2024-01-24", "2024-01-24"],
            "completion_date": [None, None, "2024-03-28"],
        },
        "2024-03-31",
        [("8670Q", 1, "start_date", "2024-01-24")],
    ),
    # 8675Q: from Thursday 7 March, 8, 11-15, 18-22, 25-28 March = 15 working days: not queried; from
    # Wednesday 6 March, 16: queried, unless the conference is held or marked not required
    (
        "8675Q",
        "s47",
        {
            "child_id": ["A", "B", "C", "D"],
            "start_date": ["2024-03-07", "2024-03-06", "2024-03-06", "2024-03-06"],
            "conference_date": [None, None, None, "2024-03-27"],
            "ICPCnotRequired": ["false", "false", "true", "false"],
        },
        "2024-03-31",
        [("8675Q", 1, "start_date", "2024-03-06")],
    ),
    # 15 working days after Wednesday 27 March 2024: 28 March, (Good Friday, Easter Monday), 2-5, 8-12,
    # 15-19 April: Friday 19 April
    (
        "icpc_target",
        "s47",
        {
            "child_id": ["A", "B"],
            "start_date": ["2024-03-27", "2024-03-27"],
            "InitialCPCtarget": ["2024-04-19", "2024-04-18"],
        },
        None,
        [("icpc_target", 1, "InitialCPCtarget", "2024-04-18 (should be 2024-04-19)")],
    ),
]


def test_every_rule_has_a_worked_example() -> None:
    assert sorted(e[0] for e in EXAMPLES) == sorted(RULES)


@pytest.mark.parametrize(("rule", "kind", "columns", "as_at", "expected"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_worked_example(
    rule: str, kind: str, columns: dict[str, list[Any]], as_at: str | None, expected: list[tuple[str, int, str, str]]
) -> None:
    report = validate({kind: Table.from_columns(kind, columns)}, as_at=as_at, outliers=rule == "outlier_date")
    assert issues(report) == sorted(expected)
    for s in report.issue_sets:
        assert s.severity == RULES[rule].severity
        assert s.field in s.message  # the message names the field it is about
        assert s.message == s.message.strip() and len(s.message) > 30


def test_boundaries_are_allowed() -> None:
    """Same-day dates are fine where the rule says "on or after"; an ICPC on the s47 start day too."""
    tabs = {
        "initial_assessment": Table.from_columns(
            "initial_assessment",
            {
                "child_id": ["A"],
                "referral_date": ["2009-01-05"],
                "start_date": ["2009-01-05"],
                "completion_date": ["2009-01-05"],
            },
        ),
        "s47": Table.from_columns(
            "s47",
            {
                "child_id": ["A"],
                "referral_date": ["2009-01-05"],
                "start_date": ["2009-01-05"],
                "conference_date": ["2009-01-05"],
            },
        ),
        "referral": Table.from_columns(
            "referral", {"child_id": ["A"], "referral_date": ["2009-01-05"], "closure_date": ["2009-01-05"]}
        ),
        "cpp": Table.from_columns(
            "cpp",
            {
                "child_id": ["A", "A", "B"],
                "referral_date": ["2009-01-05", None, None],
                "start_date": ["2009-01-05", "2009-02-03", "1990-01-01"],
                "end_date": ["2009-02-02", None, "2040-12-31"],
                "review_dates": ["2009-01-06", "", ""],
            },
        ),
    }
    assert len(validate(tabs, as_at="2040-12-31")) == 0
    # (with outliers, the 50-year plan's end, far past the bulk of the dates, is a warning only)
    report = validate(tabs, as_at="2040-12-31", outliers=True)
    assert not report.has_errors
    assert issues(report) == [("outlier_date", 2, "end_date", "2040-12-31")]


def test_ia_completion_is_checked_against_the_referral_and_the_start() -> None:
    t = Table.from_columns(
        "initial_assessment",
        {
            "child_id": ["A", "B", "C"],
            "referral_date": ["2009-01-05", "2009-01-05", "2009-01-05"],
            "start_date": ["2009-01-07", None, "2009-01-05"],
            "completion_date": ["2009-01-06", "2009-01-04", "2009-01-05"],
        },
    )
    assert issues(validate({"initial_assessment": t})) == [
        ("8608", 0, "completion_date", "2009-01-06"),
        ("8608", 1, "completion_date", "2009-01-04"),
    ]


def test_core_assessment_completion_is_checked_against_its_start_only() -> None:
    t = Table.from_columns(
        "core_assessment",
        {
            "child_id": ["A"],
            "referral_date": ["2009-01-10"],
            "start_date": ["2009-01-12"],
            "completion_date": ["2009-01-11"],
        },
    )
    assert issues(validate({"core_assessment": t})) == [("8608", 0, "completion_date", "2009-01-11")]


def test_missing_values_never_trigger_ordering_rules() -> None:
    t = Table.from_columns(
        "cpp",
        {"child_id": ["A"], "referral_date": [None], "start_date": [None], "end_date": ["2009-01-01"]},
    )
    assert issues(validate({"cpp": t})) == [("missing_date", 0, "start_date", "")]


def test_missing_child_id_is_reported_and_kept_out_of_the_per_child_rules() -> None:
    t = Table.from_columns("cpp", {"child_id": [None, None], "start_date": ["2009-01-05", "2009-02-01"]})
    assert issues(validate({"cpp": t})) == [("missing_date", 0, "child_id", ""), ("missing_date", 1, "child_id", "")]


def test_overlap_with_a_plan_that_is_not_the_previous_one() -> None:
    """A long plan contains two later ones that do not overlap each other: the third plan overlaps the first."""
    t = Table.from_columns(
        "cpp",
        {
            "child_id": ["A", "A", "A", "B"],
            "start_date": ["2009-01-01", "2009-02-01", "2009-04-01", "2009-04-01"],
            "end_date": ["2009-12-31", "2009-03-01", "2009-05-01", None],
        },
    )
    assert issues(validate({"cpp": t})) == [
        ("8940", 0, "end_date", "2009-12-31"),
        ("8940", 1, "start_date", "2009-02-01"),
        ("8940", 2, "start_date", "2009-04-01"),
    ]


def test_same_start_plans_each_start_within_the_other() -> None:
    t = Table.from_columns(
        "cpp",
        {"child_id": ["A", "A"], "start_date": ["2009-01-01", "2009-01-01"], "end_date": ["2009-02-01", "2009-03-01"]},
    )
    assert issues(validate({"cpp": t})) == [
        ("8940", 0, "end_date", "2009-02-01"),
        ("8940", 0, "start_date", "2009-01-01"),
        ("8940", 1, "end_date", "2009-03-01"),
        ("8940", 1, "start_date", "2009-01-01"),
    ]


def test_a_duplicated_plan_is_flagged_once_and_not_as_an_overlap() -> None:
    t = Table.from_columns("cpp", {"child_id": ["A", "A", "A"], "start_date": ["2009-01-05"] * 3})
    assert issues(validate({"cpp": t})) == [
        ("duplicate", 1, "record", "same as <input> row 0"),
        ("duplicate", 2, "record", "same as <input> row 0"),
    ]


def test_duplicates_compare_extras_and_reviews_but_not_their_order() -> None:
    t = Table.from_columns(
        "cpp",
        {
            "child_id": ["A", "A", "A", "A"],
            "start_date": ["2009-01-05"] * 4,
            "end_date": ["2009-06-01"] * 4,
            "review_dates": ["2009-02-01;2009-04-01", "2009-04-01;2009-02-01", "2009-02-01", "2009-02-01;2009-04-01"],
            "team": ["N", "N", "N", "S"],
        },
        source="plans.csv",
        rows=[2, 3, 4, 5],
    )
    found = [i for i in issues(validate({"cpp": t}, rules=["duplicate"]))]
    assert found == [("duplicate", 3, "record", "same as plans.csv row 2")]


@pytest.mark.parametrize("threads", [True, False], ids=["helper-thread", "no-threads"])
def test_duplicates_and_plan_rules_agree_with_and_without_a_helper_thread(
    threads: bool, request: pytest.FixtureRequest
) -> None:
    # the duplicate screen runs on a helper thread (from _THREAD_ROWS rows) while the other rules run;
    # without threads, in turn
    request.getfixturevalue("monkeypatch").setattr(run_module, "_THREAD_ROWS", 0)
    if not threads:
        request.getfixturevalue("no_threads")
    t = Table.from_columns(
        "cpp",
        {
            "child_id": ["A", "A", "A", "B", "B"],
            "start_date": ["2009-01-05", "2009-01-05", "2009-02-01", "2009-03-02", "2009-03-02"],
            "end_date": ["2009-03-01", "2009-03-01", None, None, None],
        },
    )
    # the later copies are duplicates; B's copy is not a second open plan (8935), and A's plan from
    # 1 February starts inside the first one (8940, both ends)
    assert issues(validate({"cpp": t})) == [
        ("8940", 0, "end_date", "2009-03-01"),
        ("8940", 2, "start_date", "2009-02-01"),
        ("duplicate", 1, "record", "same as <input> row 0"),
        ("duplicate", 4, "record", "same as <input> row 3"),
    ]


@pytest.mark.parametrize("collide", [False, True], ids=["real-hash", "every-hash-equal"])
def test_duplicates_are_decided_exactly(collide: bool) -> None:
    """Same-size review lists with other dates, or another team, are not duplicates, whatever the hash says."""
    reviews = ["2009-02-01;2009-04-01", "2009-02-02;2009-04-01", "2009-04-01;2009-02-01"]
    t = Table.from_columns(
        "cpp",
        {
            "child_id": ["A"] * 5,
            "start_date": ["2009-01-05"] * 5,
            "review_dates": [*reviews, reviews[0], reviews[0]],
            "team": ["N", "N", "N", "S", "N"],
        },
    )
    with pytest.MonkeyPatch.context() as patch:
        if collide:
            patch.setattr(duplicates_module, "mix", lambda x: np.zeros_like(x))
        found = issues(validate({"cpp": t}, rules=["duplicate"]))
    assert found == [
        ("duplicate", 2, "record", "same as <input> row 0"),
        ("duplicate", 4, "record", "same as <input> row 0"),
    ]


def test_out_of_coverage_and_as_at_look_at_every_date_including_reviews() -> None:
    cal = WorkingCalendar(start="2009-01-01", end="2009-12-31")
    t = Table.from_columns(
        "cpp",
        {
            "child_id": ["A"],
            "referral_date": ["2008-12-30"],
            "start_date": ["2009-01-02"],
            "end_date": ["2010-01-04"],
            "review_dates": ["2009-03-01;2010-01-02"],
        },
    )
    assert issues(validate({"cpp": t}, calendar=cal, as_at="2009-06-30")) == [
        ("after_as_at", 0, "end_date", "2010-01-04"),
        ("after_as_at", 0, "review_dates", "2010-01-02"),
        ("out_of_coverage", 0, "end_date", "2010-01-04"),
        ("out_of_coverage", 0, "referral_date", "2008-12-30"),
        ("out_of_coverage", 0, "review_dates", "2010-01-02"),
    ]


def test_empty_tables_and_tables_without_optional_columns() -> None:
    tabs = {kind: Table.from_columns(kind, {"child_id": []}) for kind in RECORD_TYPES}
    report = validate(tabs)
    assert len(report) == 0 and report.reconciliation() == []


# ---------------------------------------------------------------------------
# arguments
# ---------------------------------------------------------------------------


def test_rules_and_severity_arguments() -> None:
    t = Table.from_columns(
        "cpp",
        {
            "child_id": ["A", "B"],
            "start_date": ["2009-03-02", "2009-03-02"],
            "end_date": ["2009-03-02", None],
            "review_dates": ["", "2009-03-01"],
        },
    )
    only = validate({"cpp": t}, rules=["8841"])
    assert only.counts_by_rule() == {"8841": 1}
    soft = validate({"cpp": t}, severity={"8841": "warning"})
    assert soft.counts_by_rule() == {"8840": 1, "8841": 1}
    assert soft.counts_by_rule("warning") == {"8841": 1}
    assert soft.error_mask("cpp").tolist() == [True, False]  # a warning keeps the row in the indicators
    with pytest.raises(CasetimeError, match="unknown rule"):
        validate({"cpp": t}, rules=["8841", "9999"])
    with pytest.raises(CasetimeError, match="'error' or 'warning'"):
        validate({"cpp": t}, severity={"8841": "fatal"})  # type: ignore[dict-item]
    with pytest.raises(CasetimeError, match="unknown rule"):
        validate({"cpp": t}, severity={"88": "warning"})


def test_table_keys_must_match_their_record_type() -> None:
    t = Table.from_columns("cpp", {"child_id": ["A"], "start_date": ["2009-01-05"]})
    assert list(validate({"CP plans": t}).tables) == ["cpp"]
    with pytest.raises(CasetimeError, match="holds cpp records, not initial_assessment"):
        validate({"initial_assessment": t})
    with pytest.raises(CasetimeError, match="not a casetime Table"):
        validate({"cpp": {"child_id": ["A"]}})  # type: ignore[dict-item]


def test_bad_as_at_is_a_clear_error() -> None:
    t = Table.from_columns("cpp", {"child_id": ["A"], "start_date": ["2009-01-05"]})
    with pytest.raises(DateParseError, match="31/02/2009"):
        validate({"cpp": t}, as_at="31/02/2009")


def test_into_adds_to_an_existing_report() -> None:
    t = Table.from_columns("referral", {"child_id": ["A", "B", "C"], "referral_date": ["2009-01-05", None, None]})
    earlier = QualityReport({"referral": t})
    earlier.add(IssueSet("referral", "unparseable_date", "referral_date", np.array([1]), np.array(["31/02/2009"]), "x"))
    out = validate({"referral": t}, into=earlier)
    assert out is earlier
    # row 1's date was unreadable: reported once, as unparseable; row 2's is simply missing
    assert out.counts_by_rule() == {"unparseable_date": 1, "missing_date": 1}
    missing = [s for s in out.issue_sets if s.rule == "missing_date"]
    assert [m.positions.tolist() for m in missing] == [[2]]
    other = Table.from_columns("referral", {"child_id": ["A"], "referral_date": ["2009-01-05"]})
    with pytest.raises(CasetimeError, match="different referral table"):
        validate({"referral": other}, into=earlier)
    s47 = Table.from_columns(
        "s47", {"child_id": ["A"], "start_date": ["2009-01-05"], "conference_date": ["2009-01-01"]}
    )
    validate({"s47": s47}, into=earlier)
    assert set(earlier.tables) == {"referral", "s47"} and earlier.counts_by_rule()["8615"] == 1


def test_rules_catalogue_and_describe_rule() -> None:
    assert list(RULES)[:3] == ["missing_date", "out_of_coverage", "after_as_at"]
    for code, rule in RULES.items():
        kinds, text = rule.record_types, rule.description
        assert set(kinds) <= set(RECORD_TYPES) and text
        assert describe_rule(code).startswith(f"{code} (") and text in describe_rule(code)
    assert describe_rule("missing_date").startswith("missing_date (all record types)")
    with pytest.raises(CasetimeError, match="unknown rule '12'"):
        describe_rule("12")


def test_public_api() -> None:
    assert sorted(validation.__all__) == [
        "Context",
        "INPUT_RULES",
        "RULES",
        "Rule",
        "describe_rule",
        "get_rule",
        "validate",
    ]


# ---------------------------------------------------------------------------
# reconciliation, strict mode, CSV
# ---------------------------------------------------------------------------


def _two_files() -> Table:
    a = Table.from_columns(
        "initial_assessment",
        {
            "child_id": ["A", "B", "C"],
            "referral_date": ["2009-01-05", "2009-01-06", None],
            "completion_date": ["2009-01-14", "2009-01-02", None],
        },
        source="north.csv",
        rows=[2, 3, 4],
    )
    b = Table.from_columns(
        "initial_assessment",
        {
            "child_id": ["D", "E"],
            "referral_date": ["2009-02-02", "2009-02-03"],
            "completion_date": ["2009-02-04", None],
        },
        source="south.csv",
        rows=[2, 3],
    )
    return Table.concat([a, b])


def test_reconciliation_per_file() -> None:
    report = validate({"initial_assessment": _two_files()})
    assert report.reconciliation() == [
        {
            "record_type": "initial_assessment",
            "source": "north.csv",
            "rows_read": 3,
            "rows_valid": 1,
            "rows_with_errors": 2,
        },
        {
            "record_type": "initial_assessment",
            "source": "south.csv",
            "rows_read": 2,
            "rows_valid": 2,
            "rows_with_errors": 0,
        },
    ]


def test_strict_mode_raises_a_summary_naming_the_first_issues() -> None:
    tabs = {"initial_assessment": _two_files()}
    with pytest.raises(ValidationError) as caught:
        validate(tabs, strict=True)
    assert isinstance(caught.value, ValueError)
    text = str(caught.value)
    assert text.startswith("2 data-quality error(s)")
    # the error names file, row, record type, field and value, never the child (an error may reach a log)
    assert "north.csv row 4 (initial_assessment): referral_date='': rule missing_date" in text
    assert "north.csv row 3 (initial_assessment): completion_date='2009-01-02': rule 8608" in text
    assert "child" not in text
    with pytest.raises(ValidationError):
        validate(tabs).raise_if_errors()
    # warnings alone do not raise
    validate(tabs, severity={"8608": "warning", "missing_date": "warning"}, strict=True)


def test_issue_csv_neutralises_formula_like_cells(tmp_path: Path) -> None:
    nasty = ['=HYPERLINK("http://x")', "+441234", "-7", "@SUM(A1)"]
    t = Table.from_columns(
        "referral",
        {"child_id": nasty, "referral_date": ["2009-01-05"] * 4, "closure_date": ["2009-01-04"] * 4},
        source="=cmd|' /C calc'!A0",
        rows=[2, 3, 4, 5],
    )
    report = validate({"referral": t})
    path = tmp_path / "issues.csv"
    assert report.to_csv(path) is None
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == ISSUE_COLUMNS
    body = [dict(zip(ISSUE_COLUMNS, r, strict=True)) for r in rows[1:]]
    assert sorted(r["child_id"] for r in body) == sorted("'" + v for v in nasty)
    assert {r["source"] for r in body} == {"'=cmd|' /C calc'!A0"}
    assert {r["rule"] for r in body} == {"8630"} and {r["value"] for r in body} == {"2009-01-04"}
    assert sorted(r["row"] for r in body) == ["2", "3", "4", "5"]
    for r in body:
        for cell in r.values():
            assert cell[:1] not in ("=", "+", "-", "@")
    assert report.to_csv() == path.read_bytes().decode("utf-8")


# ---------------------------------------------------------------------------
# scale: vectorised, and the same answers on a large table
# ---------------------------------------------------------------------------


def test_large_table_counts_match_simple_numpy_expressions() -> None:
    rng = np.random.default_rng(7)
    n = 200_000
    start = rng.integers(14000, 15000, n)
    end = start + rng.integers(-2, 400, n)
    ends = end.astype("M8[D]")
    ends[rng.random(n) < 0.2] = np.datetime64("NaT")
    t = Table("cpp", _codes(np.arange(n)), {"start_date": start.astype("M8[D]"), "end_date": ends})
    report = validate({"cpp": t})
    e = ends.view(np.int64)
    closed = ~np.isnat(ends)
    assert report.counts_by_rule() == {
        k: v
        for k, v in {"8925": int((closed & (e < start)).sum()), "8840": int((closed & (e == start)).sum())}.items()
        if v
    }


def _codes(ids: Any) -> Any:
    from casetime.tables import Labels

    return Labels(np.asarray(ids, dtype=np.int64), np.array([f"C{i}" for i in range(len(ids))], dtype=object))


# ---------------------------------------------------------------------------
# the docs
# ---------------------------------------------------------------------------


def test_docs_examples_run() -> None:
    result = doctest.testfile(
        str(DOCS), module_relative=False, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    assert result.attempted >= 20
    assert result.failed == 0


def test_docs_show_every_rule_and_its_message() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for rule, kind, columns, as_at, _ in EXAMPLES:
        assert f"`{rule}`" in text
        report = validate({kind: Table.from_columns(kind, columns)}, as_at=as_at, outliers=rule == "outlier_date")
        first = next(s for s in report.issue_sets if s.rule == rule)
        assert first.message in text.replace("\n> ", " ").replace("\n", " ")


def test_dates_in_examples_are_real() -> None:  # guards the hand-written examples above
    for _, _, columns, _, _ in EXAMPLES:
        for name, values in columns.items():
            if name.endswith("_date") and name != "review_dates":
                for v in values:
                    if v is not None:
                        dt.date.fromisoformat(v)


def test_duplicates_found_alike_whether_a_missing_column_is_a_broadcast_or_an_array() -> None:
    columns = {
        "child_id": ["A", "A", "B", "A", "B"],
        "referral_date": ["2009-01-05", "2009-01-05", "2009-01-05", "2009-01-06", "2009-01-05"],
        "completion_date": ["2009-01-09", "2009-01-09", "", "2009-01-09", ""],
    }
    t = Table.from_columns("ia", columns)
    assert t.dates["start_date"].strides == (0,)  # (an initial assessment file has none: a broadcast)
    copied = Table.from_columns("ia", columns | {"start_date": [""] * 5})
    assert copied.dates["start_date"].strides == (8,)
    expected = (np.array([1, 4]), np.array([0, 2]))
    for table in (t, copied):
        later, first = duplicates_module.find_duplicates(table)
        assert later.tolist() == expected[0].tolist() and first.tolist() == expected[1].tolist()
