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
