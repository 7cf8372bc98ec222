"""Indicator definitions as data: NI59, NI60, NI64 and their successors.

An :class:`Indicator` says everything needed to compute a measure: which records, which dates
start and stop the clock, the limit (or a dated :class:`LimitSchedule`) and its unit, which
records form the population of a period, whether records or children are counted, which
direction is better, a default target, and its kind (how records are sorted). One engine
(:func:`casetime.engine.compute`) interprets every definition, so a new measure is a new row,
not new code.

>>> NI59.heading
'initial assessments carried out within 7 working days of referral'
>>> NI59.with_limit(10).heading  # Working Together 2010
'initial assessments carried out within 10 working days of referral'
>>> NI64.counting, NI64.with_counting("record").counting
('child', 'record')
>>> sorted(INDICATORS)
['C1', 'C1_child', 'C2', 'C4', 'D3', 'D5', 'D6', 'D7', 'ICPC15', 'NI59', 'NI60', 'NI64', 'SA45']

The two comparisons of a timeliness measure:

- ``comparison="within"``: the clock ran for at most ``limit`` units
  (NI59, NI60: working days elapsed from clock start to clock stop, under the
  engine's counting convention, "day 0" by default: the working days ``d``
  with ``start < d <= stop``);
- ``comparison="at_least"``: the clock ran for at least ``limit`` units
  (NI64: the plan lasted 2 years or more, by anniversary arithmetic:
  ``end >= start + 2 years``, where 29 February + 2 years is 28 February).

Adding a measure::

    >>> CA20 = Indicator(id="CA20", title="core assessments completed within {limit} working days",
    ...                  record_type="core_assessment", clock_start="start_date", clock_stop="completion_date",
    ...                  limit=20, unit="working_days")
    >>> CA20.heading
    'core assessments completed within 20 working days'

The rooms: :mod:`~casetime.indicators.definition` (what a definition is),
:mod:`~casetime.indicators.catalogue` (casetime's own), :mod:`~casetime.indicators.registry`
(naming them by id, with your own in a layer above).
"""

from __future__ import annotations

from casetime.indicators.catalogue import (
    ASSESSMENT_BANDS,
    ASSESSMENT_WORKING_TOGETHER_2010_2013,
    ASSESSMENT_WORKING_TOGETHER_2013,
    C1,
    C1_CHILD,
    C2,
    C4,
    D3,
    D5,
    D6,
    D7,
    IA_NATIONAL_INDICATOR,
    IA_WORKING_TOGETHER_2010,
    ICPC15,
    ICPC_BANDS,
    NI59,
    NI60,
    NI64,
    PLAN_BANDS,
    PLAN_BANDS_ANNIVERSARY,
    SA45,
    SCHEDULES,
    WITHIN_2_YEARS_OF_ENDING,
)
from casetime.indicators.definition import (
    COMPARISONS,
    COUNTINGS,
    KINDS,
    POPULATIONS,
    UNITS,
    Bands,
    Comparison,
    Counting,
    Edge,
    Indicator,
    Kind,
    Limit,
    LimitSchedule,
    Population,
    Publication,
    Repeat,
    ReviewRule,
    Unit,
)
from casetime.indicators.registry import INDICATORS, get_indicator, register, registered, unregister

__all__ = [
    "Kind",
    "KINDS",
    "Unit",
    "UNITS",
    "Population",
    "POPULATIONS",
    "Counting",
    "COUNTINGS",
    "Comparison",
    "COMPARISONS",
    "Limit",
    "LimitSchedule",
    "Edge",
    "Bands",
    "ReviewRule",
    "Repeat",
    "Publication",
    "Indicator",
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
    "IA_NATIONAL_INDICATOR",
    "ASSESSMENT_WORKING_TOGETHER_2013",
    "ASSESSMENT_WORKING_TOGETHER_2010_2013",
    "SCHEDULES",
    "ASSESSMENT_BANDS",
    "ICPC_BANDS",
    "PLAN_BANDS",
    "PLAN_BANDS_ANNIVERSARY",
    "WITHIN_2_YEARS_OF_ENDING",
    "IA_WORKING_TOGETHER_2010",
    "INDICATORS",
    "register",
    "unregister",
    "registered",
    "get_indicator",
]
