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
['ICPC15', 'NI59', 'NI60', 'NI64', 'SA45']

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

from casetime.indicators.catalogue import IA_WORKING_TOGETHER_2010, ICPC15, NI59, NI60, NI64, SA45
from casetime.indicators.definition import (
    COMPARISONS,
    COUNTINGS,
    KINDS,
    POPULATIONS,
    UNITS,
    Comparison,
    Counting,
    Indicator,
    Kind,
    Limit,
    LimitSchedule,
    Population,
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
    "Indicator",
    "NI59",
    "NI60",
    "NI64",
    "SA45",
    "ICPC15",
    "IA_WORKING_TOGETHER_2010",
    "INDICATORS",
    "register",
    "unregister",
    "registered",
    "get_indicator",
]
