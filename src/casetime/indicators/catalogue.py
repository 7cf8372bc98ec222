"""The catalogue: NI59, NI60, NI64 (the 2008-2013 national indicators), SA45 and ICPC15; today's DfE measures
C2, C4, D5, D6, D7, D3 and C1 (*Characteristics of children in need*); named limit schedules and bands.

>>> NI59.heading
'initial assessments carried out within 7 working days of referral'
>>> NI59.with_limit(10).heading  # Working Together 2010
'initial assessments carried out within 10 working days of referral'
>>> NI59.with_limit(IA_WORKING_TOGETHER_2010).heading
'initial assessments carried out within 7 (10 from 2010-04-01) working days of referral'
>>> C2.bands.labels[:3], D7.bands.name
(('same day', '1-10', '11-20'), 'over 729 days, as DfE counts')
>>> D7.heading
'child protection plans ending in the period that lasted 2 years or more (over 729 days, as DfE counts; DfE table D7)'
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from fractions import Fraction
from typing import Final

from casetime.indicators.definition import (
    Bands,
    Edge,
    Indicator,
    Limit,
    LimitSchedule,
    Publication,
    Repeat,
    ReviewRule,
)

__all__ = [
    "NI59",
    "NI60",
    "NI64",
    "SA45",
    "ICPC15",
    "C2",
    "C4",
    "D5",
    "D6",
    "D7",
    "D3",
    "C1",
    "C1_CHILD",
    "CATALOGUE",
    "IA_NATIONAL_INDICATOR",
    "IA_WORKING_TOGETHER_2010",
    "ASSESSMENT_WORKING_TOGETHER_2013",
    "ASSESSMENT_WORKING_TOGETHER_2010_2013",
    "SCHEDULES",
    "ASSESSMENT_BANDS",
    "ICPC_BANDS",
    "PLAN_BANDS",
    "PLAN_BANDS_ANNIVERSARY",
    "WITHIN_2_YEARS_OF_ENDING",
]

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

_NI: Final = "National Indicator Set (2008)"
_WT2010: Final = "Working Together to Safeguard Children (2010)"
_WT2013: Final = "Working Together to Safeguard Children (2013), in force 15 April 2013"

#: The initial assessment limit of the National Indicator Set throughout: 7 working days.
IA_NATIONAL_INDICATOR: Final = LimitSchedule("initial assessments: 7 working days throughout", (Limit(None, 7, _NI),))

#: The initial assessment limit of a council that took up the 10 working days Working Together 2010
#: allowed, from April 2010 (``NI59.with_limit(IA_WORKING_TOGETHER_2010)``); some councils kept 7.
IA_WORKING_TOGETHER_2010: Final = LimitSchedule(
    "initial assessments: 7 working days, 10 from April 2010",
    (Limit(None, 7, _NI), Limit(_dt.date(2010, 4, 1), 10, _WT2010)),
)

#: Assessments from referral across the change to single assessments: 7 working days, then 45 for
#: those whose clock starts on or after 15 April 2013 (a council that kept 7 until then).
ASSESSMENT_WORKING_TOGETHER_2013: Final = LimitSchedule(
    "assessments: 7 working days, 45 from 15 April 2013",
    (Limit(None, 7, _NI), Limit(_dt.date(2013, 4, 15), 45, _WT2013)),
)

#: As :data:`ASSESSMENT_WORKING_TOGETHER_2013`, for a council that took up 10 days from April 2010.
ASSESSMENT_WORKING_TOGETHER_2010_2013: Final = LimitSchedule(
    "assessments: 7 working days, 10 from April 2010, 45 from 15 April 2013",
    (Limit(None, 7, _NI), Limit(_dt.date(2010, 4, 1), 10, _WT2010), Limit(_dt.date(2013, 4, 15), 45, _WT2013)),
)

#: The named schedules, as ``--limit NI59=wt2010`` names them.
SCHEDULES: Final = {
    "ni2008": IA_NATIONAL_INDICATOR,
    "wt2010": IA_WORKING_TOGETHER_2010,
    "wt2013": ASSESSMENT_WORKING_TOGETHER_2013,
    "wt2010+2013": ASSESSMENT_WORKING_TOGETHER_2010_2013,
}

_CIN: Final = "DfE, Characteristics of children in need (children in need census)"

#: DfE table C2: assessments completed, by working days from the assessment start to its authorisation.
ASSESSMENT_BANDS: Final = Bands(
    "assessments by working days (DfE table C2)",
    ("same day", "1-10", "11-20", "21-30", "31-40", "41-45", "46-50", "51-60", "61+"),
    tuple(Edge(n) for n in (0, 10, 20, 30, 40, 45, 50, 60)),
    share=(0, 1, 2, 3, 4, 5),
    columns=(
        "Same_day", "1-10_days", "11-20_days", "21-30_days", "31-40_days", "41-45_days", "46-50_days",
        "51-60_days", "61+_days",
    ),
    percentiles=True,
)  # fmt: skip

#: DfE table C4: initial child protection conferences by working days from the section 47 start.
ICPC_BANDS: Final = Bands(
    "conferences by working days (DfE table C4)",
    ("0-10", "11-15", "16-20", "21+"),
    (Edge(10), Edge(15), Edge(20)),
    share=(0, 1),
    columns=("10_ICPC", "15_ICPC", "20_ICPC", "21_ICPC"),
    unbanded_in_total=True,
    percentiles=True,
)

#: DfE tables D5 and D7: plans by duration, "2 years or more" as DfE's local authority tool defines it:
#: "more than 729 calendar days including days of cessation", i.e. (end - start) + 1 > 729.
PLAN_BANDS: Final = Bands(
    "over 729 days, as DfE counts",
    (
        "up to 3 months", "over 3 up to 6 months", "over 6 months, under 1 year", "1 year, under 2 years",
        "2 years or more",
    ),
    (Edge(3, "months"), Edge(6, "months"), Edge(12, "months", closed=False), Edge(729, "days", closed=False)),
    share=(4,),
    columns=(
        "Under_3_months", "3_months_to_under_6_months", "6_months_to_under_1_year", "1_year_to_under_2_years",
        "2_years_or_more",
    ),
)  # fmt: skip

#: :data:`PLAN_BANDS` with "2 years or more" by anniversary (end >= start + 2 years), as NI64 counts it.
PLAN_BANDS_ANNIVERSARY: Final = PLAN_BANDS.with_edge(
    3, Edge(24, "months", closed=False), "by anniversary, as NI64 counts"
)

#: D3's variant: a plan that starts within 2 years of the end of the child's previous plan.
WITHIN_2_YEARS_OF_ENDING: Final = Repeat(within=24, since="end")

C2: Final = Indicator(
    id="C2",
    published=Publication("Continue_Assess_Comp", "Assessments_completed", "Assessments_within_45_days", "Median_days"),
    title="assessments completed within {limit} working days of their start (DfE table C2, by duration)",
    record_type="single_assessment",
    clock_start="start_date",
    clock_stop="completion_date",
    limit=45,
    unit="working_days",
    kind="bands",
    bands=ASSESSMENT_BANDS,
    population="completed_in_period",
    polarity="higher",
    description=(
        "assessments completed (authorised) in the period, by working days from the assessment start to its "
        "authorisation; the share is the bands up to 41-45 over all completed (with_clock_start('referral_date') "
        "counts from the referral, as Working Together's 45-day limit and SA45 do)"
    ),
    source=f"{_CIN}, table C2",
)

C4: Final = Indicator(
    id="C4",
    published=Publication("CP_conf_15days", "ICPC_Num", "ICPC_within_15_days", "ICPC_Duration_median"),
    title="initial child protection conferences within {limit} working days of the section 47 start (DfE table C4)",
    record_type="s47",
    clock_start="start_date",
    clock_stop="conference_date",
    limit=15,
    unit="working_days",
    kind="bands",
    bands=ICPC_BANDS,
    population="completed_in_period",
    polarity="higher",
    description=(
        "conferences held in the period, by working days from the section 47 start (the strategy discussion); "
        "conferences dated before their start are in the total but in no band; the share is 0-10 and 11-15 over "
        "the banded"
    ),
    source=f"{_CIN}, table C4",
)

D7: Final = Indicator(
    id="D7",
    published=Publication("CPPlans2yrs", "CPP_ended", "CPRDuration"),
    title="child protection plans ending in the period that lasted {limit} years or more ({bands}; DfE table D7)",
    record_type="cpp",
    clock_start="start_date",
    clock_stop="end_date",
    limit=2,
    unit="years",
    kind="bands",
    bands=PLAN_BANDS,
    population="ended_in_period",
    polarity="lower",
    description=(
        "plans ending in the period, each plan counted, by duration in calendar months; 2 years or more is "
        "(end - start) + 1 > 729 days as DfE's tool defines it (with_bands(PLAN_BANDS_ANNIVERSARY) for the "
        "anniversary, as NI64 counts)"
    ),
    source=f"{_CIN}, table D7; DfE local authority interactive tool (CPPlans2yrs)",
)

D5: Final = Indicator(
    id="D5",
    published=Publication("CPPlans2yrsActive", "CPP_At31", "2_years_or_more"),
    title=(
        "child protection plans open at the end of the period that had lasted {limit} years or more "
        "({bands}; DfE table D5)"
    ),
    record_type="cpp",
    clock_start="start_date",
    clock_stop="end_date",
    limit=2,
    unit="years",
    kind="bands",
    bands=PLAN_BANDS,
    population="open_at_end",
    polarity="lower",
    description=(
        "plans open at the reference date (the end of each window: started on or before it, with no end date "
        "or one after it), by duration to it; bands as D7"
    ),
    source=f"{_CIN}, table D5",
)

D6: Final = Indicator(
    id="D6",
    published=Publication("RevCP", "CPP_31March_3MnthorMore", "CPP_Reviewed_InReqTimeScl"),
    title="child protection plans open at the end of the period, reviewed in timescale (DfE table D6)",
    record_type="cpp",
    clock_start="start_date",
    clock_stop="end_date",
    limit=6,
    unit="months",
    kind="reviews",
    reviews=ReviewRule(first=3, then=6, at_least=3),
    population="open_at_end",
    polarity="higher",
    description=(
        "plans open at the reference date that had lasted at least 3 months; on time when the first review was "
        "within 3 months of the start, each later one within 6 months of the one before and the reference date "
        "within 6 months of the latest (reviews after the reference date not counted)"
    ),
    source=f"{_CIN}, table D6 (NI67's successor)",
)

D3: Final = Indicator(
    id="D3",
    published=Publication("PrevRegCPR", "CPP_start", "CPP_subsequent"),
    title="child protection plans starting in the period that were a second or subsequent plan (DfE table D3)",
    record_type="cpp",
    clock_start="start_date",
    clock_stop="end_date",
    limit=0,
    unit="months",
    kind="repeats",
    repeat=Repeat(previous_column="NumberOfPreviousCPP"),
    population="started_in_period",
    polarity="lower",
    description=(
        "plans starting in the period, each plan counted, where the child had an earlier plan in the data "
        "(however long ago) or NumberOfPreviousCPP above 0 (with_repeat(WITHIN_2_YEARS_OF_ENDING): within 2 "
        "years of the previous plan ending)"
    ),
    source=f"{_CIN}, table D3 (NI65's successor)",
)

C1: Final = Indicator(
    id="C1",
    published=Publication("ReReferral", "referral_count", "rereferral_count"),
    title="referrals within {limit} months of a previous referral of the same child (DfE table C1)",
    record_type="referral",
    clock_start="referral_date",
    clock_stop="closure_date",
    limit=12,
    unit="months",
    kind="repeats",
    repeat=Repeat(within=12, since="start"),
    population="started_in_period",
    polarity="lower",
    description=(
        "referrals in the period where the same child had an earlier referral on or after the date 12 months "
        "before (each referral counted)"
    ),
    source=f"{_CIN}, table C1",
)

C1_CHILD: Final = dataclasses.replace(
    C1,
    id="C1_child",
    title="children re-referred within {limit} months of a previous referral (DfE table C1, by child)",
    counting="child",
    published=None,  # (DfE's ReReferral counts referrals)
    description=(
        "children with a referral in the period; of those, children with a referral in the period made within "
        "12 months of an earlier one"
    ),
)

#: casetime's own definitions, by id.
CATALOGUE: Final = {ind.id: ind for ind in (NI59, NI60, NI64, SA45, ICPC15, C2, C4, D5, D6, D7, D3, C1, C1_CHILD)}
