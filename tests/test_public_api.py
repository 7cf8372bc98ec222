"""The public API of casetime changes only on purpose.

``casetime.__all__`` is pinned here as an explicit set: adding or removing a public
name means editing this file in the same change.
"""

from __future__ import annotations

import importlib

import pytest

import casetime

EXPECTED_ALL = {
    "AbsoluteTolerance",
    "CONVENTIONS",
    "CalendarRangeError",
    "CaseTable",
    "CasetimeError",
    "ChildProtectionPlan",
    "ColumnError",
    "Convention",
    "CoreAssessment",
    "DateParseError",
    "Extract",
    "FinancialYear",
    "Holiday",
    "ICPC15",
    "INDICATORS",
    "Indicator",
    "InitialAssessment",
    "MISSING",
    "MergeError",
    "Month",
    "NI59",
    "NI60",
    "NI64",
    "Period",
    "PeriodError",
    "QualityReport",
    "Quarter",
    "Referral",
    "RelativeTolerance",
    "Result",
    "ResultTable",
    "Rolling12",
    "SA45",
    "Section47",
    "SingleAssessment",
    "Table",
    "ValidationError",
    "WorkingCalendar",
    "YearToDate",
    "__version__",
    "add_working_days",
    "compute",
    "compute_all",
    "england",
    "from_govuk_json",
    "is_working_day",
    "load",
    "merge_results",
    "next_working_day",
    "open_cases",
    "parse_period",
    "previous_working_day",
    "validate",
    "working_days_between",
}

PUBLIC_MODULES = [
    "casetime.calendar",
    "casetime.config",
    "casetime.charts",
    "casetime.web",
    "casetime.dask",
    "casetime.cli",
    "casetime.dates",
    "casetime.engine",
    "casetime.errors",
    "casetime.extract",
    "casetime.indicators",
    "casetime.io",
    "casetime.periods",
    "casetime.published",
    "casetime.quality",
    "casetime.rag",
    "casetime.sample",
    "casetime.records",
    "casetime.report",
    "casetime.results",
    "casetime.schema",
    "casetime.synth",
    "casetime.tables",
    "casetime.validation",
]


def test_all_is_pinned() -> None:
    assert set(casetime.__all__) == EXPECTED_ALL
    assert len(casetime.__all__) == len(set(casetime.__all__)), "duplicate names in __all__"


def test_every_name_in_all_exists() -> None:
    missing = [name for name in casetime.__all__ if not hasattr(casetime, name)]
    assert missing == []


def test_star_import_gives_exactly_all() -> None:
    namespace: dict[str, object] = {}
    exec("from casetime import *", namespace)
    assert set(namespace) - {"__builtins__"} == EXPECTED_ALL


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_public_modules_have_valid_all(module_name: str) -> None:
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    assert isinstance(names, (list, tuple)), f"{module_name} has no __all__"
    assert names, f"{module_name}.__all__ is empty"
    assert len(names) == len(set(names)), f"duplicate names in {module_name}.__all__"
    missing = [name for name in names if not hasattr(module, name)]
    assert missing == [], f"{module_name}.__all__ names missing attributes: {missing}"


def test_top_level_names_are_the_module_objects() -> None:
    from casetime import calendar, dates, errors

    assert casetime.england is calendar.england
    assert casetime.WorkingCalendar is calendar.WorkingCalendar
    assert casetime.MISSING == dates.MISSING
    assert casetime.CalendarRangeError is errors.CalendarRangeError
    assert casetime.CONVENTIONS == ("day0", "inclusive")
    assert isinstance(casetime.__version__, str)
