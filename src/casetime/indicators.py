"""Indicator definitions as data: NI59, NI60, NI64 and their successors.

An :class:`Indicator` says everything needed to compute a timeliness measure:
which records, which dates start and stop the clock, the limit and its unit,
which records form the population of a period, whether records or children are
counted, which direction is better, and a default target. One engine
(:func:`casetime.engine.compute`) interprets every definition, so a new
measure is a new row, not new code.

>>> NI59.heading
'initial assessments carried out within 7 working days of referral'
>>> NI59.with_limit(10).heading  # Working Together 2010
'initial assessments carried out within 10 working days of referral'
>>> NI64.counting, NI64.with_counting("record").counting
('child', 'record')
>>> sorted(INDICATORS)
['ICPC15', 'NI59', 'NI60', 'NI64', 'SA45']

The two kinds of numerator:

- ``numerator="within"``: the clock ran for at most ``limit`` units
  (NI59, NI60: working days elapsed from clock start to clock stop, under the
  engine's counting convention, "day 0" by default: the working days ``d``
  with ``start < d <= stop``);
- ``numerator="at_least"``: the clock ran for at least ``limit`` units
  (NI64: the plan lasted 2 years or more, by anniversary arithmetic:
  ``end >= start + 2 years``, where 29 February + 2 years is 28 February).

Adding a measure::

    >>> from casetime.indicators import Indicator, register
    >>> CA20 = Indicator("CA20", "core assessments completed within {limit} working days", "core_assessment",
    ...                  "start_date", "completion_date", limit=20, unit="working_days")
    >>> CA20.heading
    'core assessments completed within 20 working days'
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, Literal

from casetime.errors import CasetimeError
from casetime.rag import POLARITIES, Polarity, as_fraction
from casetime.schema import SCHEMAS, record_type_of

__all__ = [
    "Unit",
    "UNITS",
    "Population",
    "POPULATIONS",
    "Counting",
    "COUNTINGS",
    "NumeratorRule",
    "NUMERATOR_RULES",
    "Indicator",
    "NI59",
    "NI60",
    "NI64",
    "SA45",
    "ICPC15",
    "INDICATORS",
    "register",
    "get_indicator",
]

Unit = Literal["working_days", "years"]
#: Units a limit can be in.
UNITS: Final[tuple[str, ...]] = ("working_days", "years")
Population = Literal["completed_in_period", "ended_in_period", "started_in_period"]
#: Which records of a period are counted: by the date the clock stopped, or started.
POPULATIONS: Final[tuple[str, ...]] = ("completed_in_period", "ended_in_period", "started_in_period")
Counting = Literal["record", "child"]
#: ``"record"`` counts records (plans, assessments); ``"child"`` counts each child once per result row.
COUNTINGS: Final[tuple[str, ...]] = ("record", "child")
NumeratorRule = Literal["within", "at_least"]
#: ``"within"``: elapsed <= limit; ``"at_least"``: elapsed >= limit.
NUMERATOR_RULES: Final[tuple[str, ...]] = ("within", "at_least")

_UNIT_WORDS: Final = {"working_days": "working days", "years": "years"}


def _choice(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise CasetimeError(f"{what} must be one of {', '.join(allowed)}, not {value!r}")


@dataclass(frozen=True)
class Indicator:
    """One timeliness measure, as data.

    Parameters
    ----------
    id:
        Short identifier (``"NI59"``), the key in :data:`INDICATORS`.
    title:
        What is measured, in words; ``{limit}`` is filled in by :attr:`heading`.
    record_type:
        The record type counted (see :mod:`casetime.schema`).
    clock_start, clock_stop:
        The date columns that start and stop the clock.
    limit, unit:
        The time limit: working days (counted with a calendar and a named
        convention) or calendar years (anniversary arithmetic).
    population:
        Which records belong to a period: ``"completed_in_period"`` and
        ``"ended_in_period"`` (the clock stopped in it; the same rule, named for
        assessments and for plans) or ``"started_in_period"``.
    counting:
        ``"record"`` or ``"child"`` (each child once per result row; in the
        numerator if any of its records is).
    polarity:
        ``"higher"`` or ``"lower"``: which direction is better.
    numerator:
        ``"within"`` (elapsed <= limit) or ``"at_least"`` (elapsed >= limit).
    target:
        Default target, a percentage (or ``None``).
    description, source:
        The denominator and numerator in words; where the definition comes from.

    >>> NI60.limit, NI60.clock_start, NI60.clock_stop, NI60.target
    (35, 'start_date', 'completion_date', Fraction(88, 1))
    >>> Indicator("X", "x", "cpp", "start_date", "review", limit=1, unit="years")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    casetime.errors.CasetimeError: indicator X: 'review' is not a date of child protection plan records (dates: ...)
    """

    id: str
    title: str
    record_type: str
    clock_start: str
    clock_stop: str
    limit: int
    unit: Unit
    population: Population = "completed_in_period"
    counting: Counting = "record"
    polarity: Polarity = "higher"
    numerator: NumeratorRule = "within"
    target: Fraction | None = None
    description: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        if not self.id or not isinstance(self.id, str):
            raise CasetimeError(f"an indicator needs a text id, not {self.id!r}")
        kind = record_type_of(self.record_type)
        object.__setattr__(self, "record_type", kind)
        schema = SCHEMAS[kind]
        for name in (self.clock_start, self.clock_stop):
            if name not in schema.dates:
                raise CasetimeError(
                    f"indicator {self.id}: {name!r} is not a date of {schema.title} records "
                    f"(dates: {', '.join(schema.dates)})"
                )
        if self.clock_start == self.clock_stop:
            raise CasetimeError(f"indicator {self.id}: the clock cannot start and stop on the same column")
        if isinstance(self.limit, bool) or not isinstance(self.limit, int) or self.limit < 0:
            raise CasetimeError(f"indicator {self.id}: the limit must be a whole number >= 0, not {self.limit!r}")
        _choice(self.unit, UNITS, f"indicator {self.id}: unit")
        _choice(self.population, POPULATIONS, f"indicator {self.id}: population")
        _choice(self.counting, COUNTINGS, f"indicator {self.id}: counting")
        _choice(self.polarity, POLARITIES, f"indicator {self.id}: polarity")
        _choice(self.numerator, NUMERATOR_RULES, f"indicator {self.id}: numerator")
        if self.target is not None:
            object.__setattr__(self, "target", as_fraction(self.target, f"indicator {self.id}: target"))

    @property
    def heading(self) -> str:
        """The title with the limit filled in."""
        return self.title.replace("{limit}", str(self.limit))

    @property
    def unit_words(self) -> str:
        """The unit in words (``"working days"``, ``"years"``)."""
        return _UNIT_WORDS[self.unit]

    @property
    def anchor(self) -> str:
        """The date column that places a record in a period."""
        return self.clock_start if self.population == "started_in_period" else self.clock_stop

    def with_limit(self, limit: int) -> Indicator:
        """The same measure with another limit (e.g. ``NI59.with_limit(10)`` for Working Together 2010)."""
        return dataclasses.replace(self, limit=limit)

    def with_target(self, target: object) -> Indicator:
        """The same measure with another default target (a percentage, or ``None``)."""
        return dataclasses.replace(self, target=None if target is None else as_fraction(target, "target"))

    def with_counting(self, counting: Counting) -> Indicator:
        """Count records (``"record"``: plans, for DfE table D7) or children (``"child"``).

        >>> NI64.with_counting("record").counting
        'record'
        """
        return dataclasses.replace(self, counting=counting)

    def with_clock_start(self, column: str) -> Indicator:
        """Start the clock on another date column (``SA45.with_clock_start("start_date")``)."""
        return dataclasses.replace(self, clock_start=column)

    def __str__(self) -> str:
        return f"{self.id}: {self.heading}"


NI59: Final = Indicator(
    "NI59",
    "initial assessments carried out within {limit} working days of referral",
    "initial_assessment",
    "referral_date",
    "completion_date",
    limit=7,
    unit="working_days",
    population="completed_in_period",
    counting="record",
    polarity="higher",
    numerator="within",
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
    "NI60",
    "core assessments carried out within {limit} working days of their commencement",
    "core_assessment",
    "start_date",
    "completion_date",
    limit=35,
    unit="working_days",
    population="completed_in_period",
    counting="record",
    polarity="higher",
    numerator="within",
    target=Fraction(88),
    description=(
        "denominator: core assessments completed in the period; numerator: of those, completed within the "
        "limit of working days from their start"
    ),
    source="National Indicator Set (2008); target: Derby 2008/09",
)

NI64: Final = Indicator(
    "NI64",
    "child protection plans lasting {limit} years or more",
    "cpp",
    "start_date",
    "end_date",
    limit=2,
    unit="years",
    population="ended_in_period",
    counting="child",
    polarity="lower",
    numerator="at_least",
    target=Fraction(8),
    description=(
        "denominator: children who ceased to be the subject of a child protection plan in the period; "
        "numerator: of those, children whose plan had lasted the limit in years or more (end >= start + years, "
        "29 February + 2 years = 28 February); a child with several plans ending counts once"
    ),
    source="National Indicator Set (2008); target: Derby 2008/09; plan-level counting as DfE table D7",
)

SA45: Final = Indicator(
    "SA45",
    "single assessments completed within {limit} working days of referral",
    "single_assessment",
    "referral_date",
    "completion_date",
    limit=45,
    unit="working_days",
    population="completed_in_period",
    counting="record",
    polarity="higher",
    numerator="within",
    target=None,
    description=(
        "denominator: single assessments completed (authorised) in the period; numerator: of those, completed "
        "within the limit of working days from the referral (with_clock_start('start_date') counts from the "
        "assessment start, as DfE's census does)"
    ),
    source="Working Together to Safeguard Children (2013)",
)

ICPC15: Final = Indicator(
    "ICPC15",
    "initial child protection conferences held within {limit} working days of the section 47 start",
    "s47",
    "start_date",
    "conference_date",
    limit=15,
    unit="working_days",
    population="completed_in_period",
    counting="record",
    polarity="higher",
    numerator="within",
    target=None,
    description=(
        "denominator: initial child protection conferences held in the period; numerator: of those, held "
        "within the limit of working days of the strategy discussion that started the section 47 enquiry"
    ),
    source="Working Together to Safeguard Children (2010, 2013)",
)

#: Every known definition by id. Add one with :func:`register`.
INDICATORS: Final[dict[str, Indicator]] = {ind.id: ind for ind in (NI59, NI60, NI64, SA45, ICPC15)}


def register(indicator: Indicator, *, replace: bool = False) -> Indicator:
    """Add a definition to :data:`INDICATORS` (``replace=True`` to overwrite one with the same id).

    >>> register(NI59)
    Traceback (most recent call last):
    ...
    casetime.errors.CasetimeError: an indicator NI59 is already registered; pass replace=True to overwrite it
    """
    if not isinstance(indicator, Indicator):
        raise CasetimeError(f"expected an Indicator, not {indicator!r}")
    if indicator.id in INDICATORS and not replace:
        raise CasetimeError(f"an indicator {indicator.id} is already registered; pass replace=True to overwrite it")
    INDICATORS[indicator.id] = indicator
    return indicator


def get_indicator(name: str | Indicator) -> Indicator:
    """A definition by id (any case), or the definition itself.

    >>> get_indicator("ni64") is NI64
    True
    """
    if isinstance(name, Indicator):
        return name
    if isinstance(name, str):
        for key, value in INDICATORS.items():
            if key.lower() == name.strip().lower():
                return value
    raise CasetimeError(f"unknown indicator {name!r}; known: {', '.join(INDICATORS)}")
