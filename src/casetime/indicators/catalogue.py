"""The catalogue: NI59, NI60, NI64 (the 2008-2013 national indicators), SA45 and ICPC15, and named limit schedules.

>>> NI59.heading
'initial assessments carried out within 7 working days of referral'
>>> NI59.with_limit(10).heading  # Working Together 2010
'initial assessments carried out within 10 working days of referral'
>>> NI59.with_limit(IA_WORKING_TOGETHER_2010).heading
'initial assessments carried out within 7 (10 from 2010-04-01) working days of referral'
"""

from __future__ import annotations

import datetime as _dt
from fractions import Fraction
from typing import Final

from casetime.indicators.definition import Indicator, Limit, LimitSchedule

__all__ = ["NI59", "NI60", "NI64", "SA45", "ICPC15", "CATALOGUE", "IA_WORKING_TOGETHER_2010"]

NI59: Final = Indicator(
    id="NI59",
    title="initial assessments carried out within {limit} working days of referral",
    record_type="initial_assessment",
    clock_start="referral_date",
    clock_stop="completion_date",
    limit=7,
    unit="working_days",
    population="completed_in_period",
    counting="record",
    polarity="higher",
    comparison="within",
    target=Fraction(70),
    description=(
        "denominator: initial assessments completed in the period; numerator: of those, completed within "
        "the limit of working days from the referral date"
    ),
    source=(
        "National Indicator Set (2008); limit 7 working days (10 under Working Together 2010); target: Derby 2008/09"
    ),
)

NI60: Final = Indicator(
    id="NI60",
    title="core assessments carried out within {limit} working days of their commencement",
    record_type="core_assessment",
    clock_start="start_date",
    clock_stop="completion_date",
    limit=35,
    unit="working_days",
    population="completed_in_period",
    counting="record",
    polarity="higher",
    comparison="within",
    target=Fraction(88),
    description=(
        "denominator: core assessments completed in the period; numerator: of those, completed within the "
        "limit of working days from their start"
    ),
    source="National Indicator Set (2008); target: Derby 2008/09",
)

NI64: Final = Indicator(
    id="NI64",
    title="child protection plans lasting {limit} years or more",
    record_type="cpp",
    clock_start="start_date",
    clock_stop="end_date",
    limit=2,
    unit="years",
    population="ended_in_period",
    counting="child",
    polarity="lower",
    comparison="at_least",
    target=Fraction(8),
    description=(
        "denominator: children who ceased to be the subject of a child protection plan in the period; "
        "numerator: of those, children whose plan had lasted the limit in years or more (end >= start + years, "
        "29 February + 2 years = 28 February); a child with several plans ending counts once"
    ),
    source="National Indicator Set (2008); target: Derby 2008/09; plan-level counting as DfE table D7",
)

SA45: Final = Indicator(
    id="SA45",
    title="single assessments completed within {limit} working days of referral",
    record_type="single_assessment",
    clock_start="referral_date",
    clock_stop="completion_date",
    limit=45,
    unit="working_days",
    population="completed_in_period",
    counting="record",
    polarity="higher",
    comparison="within",
    target=None,
    description=(
        "denominator: single assessments completed (authorised) in the period; numerator: of those, completed "
        "within the limit of working days from the referral (with_clock_start('start_date') counts from the "
        "assessment start, as DfE's census does)"
    ),
    source="Working Together to Safeguard Children (2013)",
)

ICPC15: Final = Indicator(
    id="ICPC15",
    title="initial child protection conferences held within {limit} working days of the section 47 start",
    record_type="s47",
    clock_start="start_date",
    clock_stop="conference_date",
    limit=15,
    unit="working_days",
    population="completed_in_period",
    counting="record",
    polarity="higher",
    comparison="within",
    target=None,
    description=(
        "denominator: initial child protection conferences held in the period; numerator: of those, held "
        "within the limit of working days of the strategy discussion that started the section 47 enquiry"
    ),
    source="Working Together to Safeguard Children (2010, 2013)",
)

#: The initial assessment limit of a council that took up the 10 working days Working Together 2010
#: allowed, from April 2010 (``NI59.with_limit(IA_WORKING_TOGETHER_2010)``); some councils kept 7.
IA_WORKING_TOGETHER_2010: Final = LimitSchedule(
    "initial assessments: 7 working days, 10 from April 2010",
    (
        Limit(None, 7, "National Indicator Set (2008)"),
        Limit(_dt.date(2010, 4, 1), 10, "Working Together to Safeguard Children (2010)"),
    ),
)

#: casetime's own definitions, by id.
CATALOGUE: Final = {ind.id: ind for ind in (NI59, NI60, NI64, SA45, ICPC15)}
