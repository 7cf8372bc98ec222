"""casetime: how quickly children's social care cases are handled in England.

Working days with the England and Wales bank holidays, named counting
conventions, and (built on them) the timeliness indicators NI59, NI60, NI64.

>>> import casetime
>>> casetime.working_days_between("2009-01-05", "2009-01-14")
7
>>> casetime.add_working_days("2009-01-05", 7)
datetime.date(2009, 1, 14)
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
from casetime.errors import CalendarRangeError, CasetimeError, DateParseError

__version__ = "0.1.0"

__all__ = [
    "CONVENTIONS",
    "MISSING",
    "CalendarRangeError",
    "CasetimeError",
    "Convention",
    "DateParseError",
    "Holiday",
    "WorkingCalendar",
    "__version__",
    "add_working_days",
    "england",
    "from_govuk_json",
    "is_working_day",
    "next_working_day",
    "previous_working_day",
    "working_days_between",
]
