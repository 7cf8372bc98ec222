"""casetime: how quickly children's social care cases are handled in England.

Working days with the England and Wales bank holidays, named counting
conventions, case records and their validation, and (built on them) the
timeliness indicators NI59, NI60, NI64 and their successors.

>>> import casetime
>>> casetime.working_days_between("2009-01-05", "2009-01-14")
7
>>> casetime.add_working_days("2009-01-05", 7)
datetime.date(2009, 1, 14)
>>> ia = casetime.load({"child_id": ["A", "B"], "referral_date": ["05/01/2009", "05/01/2009"],
...                     "completion_date": ["14/01/2009", "15/01/2009"]}, record_type="initial_assessment")
>>> casetime.compute(casetime.NI59, ia, "2008/09").total().display
'50.0'
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from casetime.calendar import (
        CONVENTIONS,
        Convention,
        Holiday,
        WorkingCalendar,
        add_working_days,
        england,
        from_govuk_json,
        is_working_day,
        next_working_day,
        previous_working_day,
        working_days_between,
    )
    from casetime.dates import MISSING
    from casetime.engine import compute, compute_all, open_cases
    from casetime.errors import CalendarRangeError, CasetimeError, DateParseError
    from casetime.extract import Extract, load
    from casetime.indicators import ICPC15, INDICATORS, NI59, NI60, NI64, SA45, Indicator
    from casetime.periods import FinancialYear, Month, Period, PeriodError, Quarter, Rolling12, YearToDate, parse_period
    from casetime.quality import QualityReport, ValidationError
    from casetime.rag import AbsoluteTolerance, RelativeTolerance
    from casetime.records import (
        ChildProtectionPlan,
        CoreAssessment,
        InitialAssessment,
        Referral,
        Section47,
        SingleAssessment,
    )
    from casetime.results import CaseTable, MergeError, Result, ResultTable, merge_results
    from casetime.schema import ColumnError
    from casetime.tables import Table
    from casetime.validation import validate

__version__ = "0.1.0"

# What each public name is imported from. Names are imported when first used (PEP 562), so that
# ``import casetime`` (and ``casetime between``) does not load the engine, the readers and the report
# writers until they are wanted.
_WHERE: dict[str, str] = {
    "AbsoluteTolerance": "casetime.rag",
    "CONVENTIONS": "casetime.calendar",
    "CalendarRangeError": "casetime.errors",
    "CaseTable": "casetime.results",
    "CasetimeError": "casetime.errors",
    "ChildProtectionPlan": "casetime.records",
    "ColumnError": "casetime.schema",
    "Convention": "casetime.calendar",
    "CoreAssessment": "casetime.records",
    "DateParseError": "casetime.errors",
    "Extract": "casetime.extract",
    "FinancialYear": "casetime.periods",
    "Holiday": "casetime.calendar",
    "ICPC15": "casetime.indicators",
    "INDICATORS": "casetime.indicators",
    "Indicator": "casetime.indicators",
    "InitialAssessment": "casetime.records",
    "MISSING": "casetime.dates",
    "MergeError": "casetime.results",
    "Month": "casetime.periods",
    "NI59": "casetime.indicators",
    "NI60": "casetime.indicators",
    "NI64": "casetime.indicators",
    "Period": "casetime.periods",
    "PeriodError": "casetime.periods",
    "QualityReport": "casetime.quality",
    "Quarter": "casetime.periods",
    "Referral": "casetime.records",
    "RelativeTolerance": "casetime.rag",
    "Result": "casetime.results",
    "ResultTable": "casetime.results",
    "Rolling12": "casetime.periods",
    "SA45": "casetime.indicators",
    "Section47": "casetime.records",
    "SingleAssessment": "casetime.records",
    "Table": "casetime.tables",
    "ValidationError": "casetime.quality",
    "WorkingCalendar": "casetime.calendar",
    "YearToDate": "casetime.periods",
    "add_working_days": "casetime.calendar",
    "compute": "casetime.engine",
    "compute_all": "casetime.engine",
    "england": "casetime.calendar",
    "from_govuk_json": "casetime.calendar",
    "is_working_day": "casetime.calendar",
    "load": "casetime.extract",
    "merge_results": "casetime.results",
    "next_working_day": "casetime.calendar",
    "open_cases": "casetime.engine",
    "parse_period": "casetime.periods",
    "previous_working_day": "casetime.calendar",
    "validate": "casetime.validation",
    "working_days_between": "casetime.calendar",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        if name.startswith("_") or importlib.util.find_spec(f"casetime.{name}") is None:
            raise AttributeError(f"module 'casetime' has no attribute {name!r}")
        return importlib.import_module(f"casetime.{name}")  # a submodule (casetime.calendar), as a package gives
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "CONVENTIONS",
    "ICPC15",
    "INDICATORS",
    "MISSING",
    "NI59",
    "NI60",
    "NI64",
    "SA45",
    "AbsoluteTolerance",
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
    "Indicator",
    "InitialAssessment",
    "MergeError",
    "Month",
    "Period",
    "PeriodError",
    "QualityReport",
    "Quarter",
    "Referral",
    "RelativeTolerance",
    "Result",
    "ResultTable",
    "Rolling12",
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
]
