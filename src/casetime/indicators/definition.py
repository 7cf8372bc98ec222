"""What an indicator is, as data: :class:`Indicator`, its kind, and its dated limits (:class:`LimitSchedule`).

An :class:`Indicator` says everything needed to compute a measure: which records, which dates
start and stop the clock, the limit and its unit, which records form the population of a
period, whether records or children are counted, which direction is better, and a default
target. Its *kind* says how the engine sorts each record (see :data:`KINDS`); one engine
(:func:`casetime.engine.compute`) interprets every definition of every kind, so a new measure
is a new row, not new code.

A limit can change with the era: a :class:`LimitSchedule` holds rows of (from date, limit,
source), and each record is judged against the limit in force on its clock start.

>>> schedule = LimitSchedule("example", (Limit(None, 7, "before"), Limit(_dt.date(2010, 4, 1), 10, "after")))
>>> str(schedule), schedule.limit_on(_dt.date(2010, 3, 31)), schedule.limit_on(_dt.date(2010, 4, 1))
('7 (10 from 2010-04-01)', 7, 10)
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Final, Literal, get_args

import numpy as np
import numpy.typing as npt

from casetime.dates import MISSING, date_from_day, day_number
from casetime.errors import CasetimeError, CasetimeTypeError
from casetime.rag import POLARITIES, Polarity, as_fraction
from casetime.schema import SCHEMAS, record_type_of

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
]

Kind = Literal["timeliness", "bands", "reviews", "repeats"]
#: How a definition sorts its records; each kind has one classifier in the engine
#: (:mod:`casetime.engine.kinds`). ``"timeliness"``: the clock ran within (or at least) a limit.
#: ``"bands"``: how long the clock ran, in duration bands (:class:`Bands`: DfE tables C2, C4, D5, D7).
#: ``"reviews"``: plans reviewed in timescale (:class:`ReviewRule`: D6). ``"repeats"``: a record
#: that repeats an earlier one of the same child (:class:`Repeat`: D3 second plans, C1 re-referrals).
KINDS: Final[tuple[Kind, ...]] = get_args(Kind)
Unit = Literal["working_days", "years", "months"]
#: Units a limit can be in.
UNITS: Final[tuple[Unit, ...]] = get_args(Unit)
Population = Literal["completed_in_period", "ended_in_period", "started_in_period", "open_at_end"]
#: Which records of a period are counted: by the date the clock stopped, or started; or those open at the
#: end of each window (``"open_at_end"``: started on or before it and not ended by it; a snapshot, as on 31 March).
POPULATIONS: Final[tuple[Population, ...]] = get_args(Population)
Counting = Literal["record", "child"]
#: ``"record"`` counts records (plans, assessments); ``"child"`` counts each child once per result row.
COUNTINGS: Final[tuple[Counting, ...]] = get_args(Counting)
Comparison = Literal["within", "at_least"]
#: What puts a record in the numerator: ``"within"``: elapsed <= limit; ``"at_least"``: elapsed >= limit.
COMPARISONS: Final[tuple[Comparison, ...]] = get_args(Comparison)
EdgeUnit = Literal["working_days", "days", "months"]

_UNIT_WORDS: Final = {"working_days": "working days", "years": "years", "months": "months"}


def _choice(value: object, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise CasetimeError(f"{what} must be one of {', '.join(allowed)}, not {value!r}")


def _whole(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or int(value) < 0:
        raise CasetimeError(f"{what} must be a whole number >= 0, not {value!r}")
    return int(value)


@dataclass(frozen=True)
class Limit:
    """One row of a limit schedule: ``limit`` applies to records whose clock starts on or after ``start``.

    ``start=None`` is the first row: from the beginning (any date-like value is read as a date).
    ``source`` says where the limit comes from.
    """

    start: _dt.date | None
    limit: int
    source: str = ""

    def __post_init__(self) -> None:
        day = None if self.start is None else day_number(self.start)
        if day is None and self.start is not None:  # "", NaN, NaT: a missing date is not "from the beginning"
            raise CasetimeError(f"a limit's start must be a date, or None for the first row, not {self.start!r}")
        object.__setattr__(self, "start", None if day is None else date_from_day(day))
        object.__setattr__(self, "limit", _whole(self.limit, "a limit"))


@dataclass(frozen=True)
class LimitSchedule:
    """Dated limits, looked up per record by its clock start (see the module docstring).

    ``rows`` start with a row from the beginning (``start=None``), then rows in date order.
    """

    name: str
    rows: tuple[Limit, ...]

    def __post_init__(self) -> None:
        rows = tuple(self.rows)
        if not rows or rows[0].start is not None:
            raise CasetimeError(
                f"limit schedule {self.name!r}: the first row must apply from the beginning (start=None)"
            )
        starts = [r.start for r in rows[1:]]
        if any(s is None for s in starts) or starts != sorted(starts) or len(set(starts)) != len(starts):  # type: ignore[type-var]
            raise CasetimeError(f"limit schedule {self.name!r}: the rows after the first need increasing start dates")
        object.__setattr__(self, "rows", rows)

    @classmethod
    def single(cls, limit: int, source: str = "") -> LimitSchedule:
        """One limit for every record."""
        return cls(str(limit), (Limit(None, limit, source),))

    @property
    def limits(self) -> tuple[int, ...]:
        """The limit of each row, in order."""
        return tuple(r.limit for r in self.rows)

    def limit_on(self, start: object) -> int:
        """The limit for a record whose clock starts on ``start`` (the first row's for a missing start).

        Row by row, as the schedule reads: the scalar reference :meth:`limits_for` is tested against.
        """
        day = day_number(start)
        chosen = self.rows[0]
        for row in self.rows[1:]:
            assert row.start is not None
            if day is not None and date_from_day(day) >= row.start:
                chosen = row
        return chosen.limit

    def row_of(self, starts: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Which row applies to each clock start (day numbers; a missing start takes row 0)."""
        rows: npt.NDArray[np.int64] = np.searchsorted(self._bounds, starts, side="right").astype(np.int64)
        rows[starts == MISSING] = 0
        return rows

    def limits_for(self, starts: npt.NDArray[np.int64]) -> Any:
        """The limit of each record (an ``int`` when there is one row, else an ``int64`` array)."""
        if len(self.rows) == 1:
            return self.rows[0].limit
        return self._limit_array[self.row_of(starts)]

    @functools.cached_property
    def _bounds(self) -> npt.NDArray[np.int64]:
        return np.array([day_number(r.start) for r in self.rows[1:]], dtype=np.int64)

    @functools.cached_property
    def _limit_array(self) -> npt.NDArray[np.int64]:
        return np.array(self.limits, dtype=np.int64)

    def __str__(self) -> str:
        first, *later = self.rows
        if not later:
            return str(first.limit)
        assert all(r.start is not None for r in later)
        return f"{first.limit} (" + ", ".join(f"{r.limit} from {r.start}" for r in later) + ")"


@dataclass(frozen=True)
class Edge:
    """A band boundary ``amount`` (working days elapsed, or calendar days or months after the clock start).

    ``closed=True``: a duration equal to the edge falls in the band below ("up to 3 months", "1-10 days");
    ``closed=False``: in the band above ("under 1 year": a plan of exactly one year is in "1 year ...").
    For calendar edges the boundary is the date ``start + amount`` (months by anniversary:
    31 January + 1 month = 28 or 29 February).
    """

    amount: int
    unit: EdgeUnit = "working_days"
    closed: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", _whole(self.amount, "a band edge"))
        _choice(self.unit, get_args(EdgeUnit), "a band edge's unit")


@dataclass(frozen=True)
class Bands:
    """Duration bands: ``labels`` (one per band, shortest first) split by ``edges`` (one fewer).

    ``share`` are the bands (indices) whose records make the headline percentage; ``columns`` the
    names DfE's published files give the bands (for ``--dfe-columns``). ``unbanded_in_total``: records
    whose clock stopped before it started are in no band but are in the total (DfE table C4), also when
    validation flagged them for it (rule 8615).
    ``percentiles``: report the 25th, 50th and 75th percentiles (working-day bands only).

    >>> b = Bands("example", ("0-10", "11+"), (Edge(10),), share=(0,))
    >>> b.band_of_working_days(10), b.band_of_working_days(11)
    (0, 1)
    """

    name: str
    labels: tuple[str, ...]
    edges: tuple[Edge, ...]
    share: tuple[int, ...]
    columns: tuple[str, ...] = ()
    unbanded_in_total: bool = False
    percentiles: bool = False

    def __post_init__(self) -> None:
        labels, edges, share = tuple(self.labels), tuple(self.edges), tuple(self.share)
        if len(labels) != len(edges) + 1 or not edges:
            raise CasetimeError(f"bands {self.name!r}: {len(labels)} labels need {len(labels) - 1} edges")
        units = {e.unit for e in edges}
        if "working_days" in units and len(units) > 1:
            raise CasetimeError(f"bands {self.name!r}: working-day edges cannot be mixed with calendar ones")
        if units == {"working_days"}:
            bounds = [e.amount + int(e.closed) for e in edges]
            if bounds != sorted(set(bounds)):
                raise CasetimeError(f"bands {self.name!r}: the edges must increase")
        if not share or any(not 0 <= i < len(labels) for i in share) or len(set(share)) != len(share):
            raise CasetimeError(f"bands {self.name!r}: share must name some of the bands 0..{len(labels) - 1}")
        if self.columns and len(self.columns) != len(labels):
            raise CasetimeError(f"bands {self.name!r}: one column name per band")
        if self.percentiles and units != {"working_days"}:
            raise CasetimeError(f"bands {self.name!r}: percentiles are for working-day bands")
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "edges", edges)
        object.__setattr__(self, "share", share)
        object.__setattr__(self, "columns", tuple(self.columns))

    @property
    def working_days(self) -> bool:
        """Whether the bands are of working days elapsed (else calendar time from the start)."""
        return self.edges[0].unit == "working_days"

    @property
    def first_beyond(self) -> tuple[int, ...]:
        """For working-day bands: the fewest working days that pass each edge."""
        return tuple(e.amount + int(e.closed) for e in self.edges)

    def band_of_working_days(self, elapsed: int) -> int:
        """The band of a duration of ``elapsed`` working days (>= 0), one edge at a time."""
        return sum(elapsed >= bound for bound in self.first_beyond)

    def with_edge(self, index: int, edge: Edge, name: str) -> Bands:
        """The same bands with edge ``index`` replaced (a named variant: ``name``)."""
        edges = list(self.edges)
        edges[index] = edge
        return dataclasses.replace(self, name=name, edges=tuple(edges))


@dataclass(frozen=True)
class ReviewRule:
    """When a child protection plan is reviewed in timescale (DfE table D6; NI67).

    A plan open at the reference date that has lasted at least ``at_least`` months is counted; it is on time
    when its first review is within ``first`` months of the start, each later review within ``then`` months
    of the one before, and the reference date within ``then`` months of the latest review. Only reviews on
    or before the reference date count; a plan with none is not on time. "Within" is on or before the
    anniversary date (a review exactly 6 months after the one before is on time).
    """

    first: int = 3
    then: int = 6
    at_least: int = 3

    def __post_init__(self) -> None:
        for name in ("first", "then", "at_least"):
            object.__setattr__(self, name, _whole(getattr(self, name), f"a review rule's {name}"))


@dataclass(frozen=True)
class Repeat:
    """When a record repeats an earlier one of the same child (DfE tables D3 and C1).

    An earlier record is one of the same child whose clock started strictly before this one's (a record
    on the same day is not earlier). ``within=None``: any earlier record, however long ago. ``within=N``
    months: the earlier record's ``since`` date (``"start"``: its clock start; ``"end"``: its clock stop,
    for "within 2 years of the previous plan ending", where an earlier record not yet ended counts) is on
    or after this record's start minus ``N`` months. ``previous_column``: an extra column counting earlier
    records held outside the data (the census's ``NumberOfPreviousCPP``); a value above 0 makes a repeat
    when ``within`` is ``None``.
    """

    within: int | None = None
    since: Literal["start", "end"] = "start"
    previous_column: str | None = None

    def __post_init__(self) -> None:
        if self.within is not None:
            object.__setattr__(self, "within", _whole(self.within, "a repeat window"))
        _choice(self.since, ("start", "end"), "a repeat's since")


@dataclass(frozen=True)
class Publication:
    """Where DfE publishes a measure: its code among the published figures (:mod:`casetime.published`, the
    counterpart a result is compared with) and the names DfE's files give its total, numerator and median
    (``--dfe-columns``; where DfE's files hold no such count, a name in the files' own style).

    >>> from casetime.indicators import C2
    >>> C2.published.code, C2.published.total
    ('Continue_Assess_Comp', 'Assessments_completed')
    """

    code: str
    total: str
    numerator: str
    median: str | None = None

    def columns(self) -> dict[str, str]:
        """``{"total", "numerator", "share", "median"}`` to the names DfE's files give them."""
        out = {"total": self.total, "numerator": self.numerator, "share": self.code}
        if self.median is not None:
            out["median"] = self.median
        return out


@dataclass(frozen=True, kw_only=True)
class Indicator:
    """One measure, as data (build it by keyword).

    Parameters
    ----------
    id:
        Short identifier (``"NI59"``), the key in :data:`~casetime.indicators.INDICATORS`.
    title:
        What is measured, in words; ``{limit}`` is filled in by :attr:`heading`.
    record_type:
        The record type counted (see :mod:`casetime.schema`).
    clock_start, clock_stop:
        The date columns that start and stop the clock.
    limit, unit:
        The time limit, a whole number or a :class:`LimitSchedule` (per record by its clock
        start), in working days (counted with a calendar and a named convention) or calendar
        years (anniversary arithmetic).
    kind:
        How records are sorted (:data:`KINDS`; default ``"timeliness"``).
    population:
        Which records belong to a period: ``"completed_in_period"`` and
        ``"ended_in_period"`` (the clock stopped in it; the same rule, named for
        assessments and for plans) or ``"started_in_period"``.
    counting:
        ``"record"`` or ``"child"`` (each child once per result row; in the
        numerator if any of its records is).
    polarity:
        ``"higher"`` or ``"lower"``: which direction is better.
    comparison:
        What puts a record in the numerator: ``"within"`` (elapsed <= limit) or
        ``"at_least"`` (elapsed >= limit).
    target:
        Default target, a percentage (or ``None``).
    bands, reviews, repeat:
        What the ``"bands"``, ``"reviews"`` and ``"repeats"`` kinds need (:class:`Bands`,
        :class:`ReviewRule`, :class:`Repeat`); each is given with its kind only.
    published:
        Where DfE publishes the measure (:class:`Publication`), for ``compare`` and ``--dfe-columns``.
    description, source:
        The denominator and numerator in words; where the definition comes from.

    >>> from casetime.indicators import NI60
    >>> NI60.limit, NI60.clock_start, NI60.clock_stop, NI60.target
    (35, 'start_date', 'completion_date', Fraction(88, 1))
    >>> Indicator(id="X", title="x", record_type="cpp", clock_start="start_date", clock_stop="review",
    ...           limit=1, unit="years")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    casetime.errors.CasetimeError: indicator X: 'review' is not a date of child protection plan records (dates: ...)
    """

    id: str
    title: str
    record_type: str
    clock_start: str
    clock_stop: str
    limit: int | LimitSchedule
    unit: Unit
    kind: Kind = "timeliness"
    population: Population = "completed_in_period"
    counting: Counting = "record"
    polarity: Polarity = "higher"
    comparison: Comparison = "within"
    target: Fraction | None = None
    description: str = ""
    source: str = ""
    bands: Bands | None = None
    reviews: ReviewRule | None = None
    repeat: Repeat | None = None
    published: Publication | None = None

    def __post_init__(self) -> None:
        if not self.id or not isinstance(self.id, str):
            raise CasetimeTypeError(f"an indicator needs a text id, not {self.id!r}")
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
        if not isinstance(self.limit, LimitSchedule):
            object.__setattr__(self, "limit", _whole(self.limit, f"indicator {self.id}: the limit"))
        _choice(self.kind, KINDS, f"indicator {self.id}: kind")
        _choice(self.unit, UNITS, f"indicator {self.id}: unit")
        _choice(self.population, POPULATIONS, f"indicator {self.id}: population")
        _choice(self.counting, COUNTINGS, f"indicator {self.id}: counting")
        _choice(self.polarity, POLARITIES, f"indicator {self.id}: polarity")
        _choice(self.comparison, COMPARISONS, f"indicator {self.id}: comparison")
        if self.target is not None:
            object.__setattr__(self, "target", as_fraction(self.target, f"indicator {self.id}: target"))
        self._check_kind()

    def _check_kind(self) -> None:
        """Each kind has what it needs, and nothing another kind needs."""
        needs = {"bands": "bands", "reviews": "reviews", "repeats": "repeat"}
        for kind, name in needs.items():
            given = getattr(self, name) is not None
            if given != (self.kind == kind):
                what = f"needs {name}=" if not given else f"takes no {name}= (that is for kind {kind!r})"
                raise CasetimeError(f"indicator {self.id}: kind {self.kind!r} {what}")
        snapshot = self.population == "open_at_end"
        if snapshot and self.kind not in ("bands", "reviews"):
            raise CasetimeError(f"indicator {self.id}: population 'open_at_end' is for the bands and reviews kinds")
        if self.kind == "reviews" and (self.record_type != "cpp" or not snapshot):
            raise CasetimeError(f"indicator {self.id}: reviews are of child protection plans open at the end")
        if self.kind in ("bands", "reviews") and self.counting != "record":
            raise CasetimeError(f"indicator {self.id}: kind {self.kind!r} counts records (plans, assessments)")
        if self.kind == "repeats" and self.population != "started_in_period":
            raise CasetimeError(f"indicator {self.id}: repeats are counted among records started in the period")

    @property
    def schedule(self) -> LimitSchedule:
        """The limit as a schedule (one row when the limit is a single number)."""
        if isinstance(self.limit, LimitSchedule):
            return self.limit
        return LimitSchedule.single(self.limit, self.source)

    @property
    def heading(self) -> str:
        """The title with the limit (and a band measure's bands, ``{bands}``) filled in."""
        heading = self.title.replace("{limit}", str(self.limit))
        return heading if self.bands is None else heading.replace("{bands}", self.bands.name)

    @property
    def unit_words(self) -> str:
        """The unit in words (``"working days"``, ``"years"``)."""
        return _UNIT_WORDS[self.unit]

    @property
    def anchor(self) -> str:
        """The date column that places a record in a period."""
        return self.clock_start if self.population == "started_in_period" else self.clock_stop

    def with_limit(self, limit: int | LimitSchedule) -> Indicator:
        """The same measure with another limit (e.g. ``NI59.with_limit(10)`` for Working Together 2010).

        A band measure's limit must be one of its working-day band edges (the share becomes the bands on
        that side of it: ``C2.with_limit(30)``); a repeat's is its window in months (``C1.with_limit(6)``).
        A limit that would not change the figure is refused, not ignored.

        >>> from casetime.indicators import C1, C2, D7
        >>> C2.with_limit(30).bands.share, C1.with_limit(6).repeat.within
        ((0, 1, 2, 3), 6)
        >>> D7.with_limit(1)
        Traceback (most recent call last):
        ...
        casetime.errors.CasetimeError: indicator D7: its limit is a band of its duration bands: choose ...
        """
        if self.kind == "timeliness":
            return dataclasses.replace(self, limit=limit)
        if isinstance(limit, LimitSchedule):
            raise CasetimeError(f"indicator {self.id}: limits by era are for timeliness measures")
        number = _whole(limit, f"indicator {self.id}: the limit")
        if self.kind == "repeats" and self.repeat is not None and self.repeat.within is not None:
            return dataclasses.replace(self, limit=number, repeat=dataclasses.replace(self.repeat, within=number))
        if self.kind == "bands" and self.bands is not None and self.bands.working_days:
            edges = [e.amount for e in self.bands.edges]
            if number not in edges:
                raise CasetimeError(
                    f"indicator {self.id}: a limit of {number} working days is not one of its band edges "
                    f"({', '.join(map(str, edges))})"
                )
            cut = edges.index(number) + 1
            lower = 0 in self.bands.share  # the share is the shorter bands ("within"), or the longer ones
            share = tuple(range(cut)) if lower else tuple(range(cut, len(self.bands.labels)))
            return dataclasses.replace(self, limit=number, bands=dataclasses.replace(self.bands, share=share))
        what = {
            "bands": "its limit is a band of its duration bands: choose other bands with with_bands() "
            "(PLAN_BANDS, PLAN_BANDS_ANNIVERSARY)",
            "reviews": "its timescales are its review rule (ReviewRule(first=3, then=6, at_least=3))",
            "repeats": "it counts earlier records however long ago: give a window with with_repeat(Repeat(within=N))",
        }[self.kind]
        raise CasetimeError(f"indicator {self.id}: {what}")

    def with_target(self, target: object) -> Indicator:
        """The same measure with another default target (a percentage, or ``None``)."""
        return dataclasses.replace(self, target=None if target is None else as_fraction(target, "target"))

    def with_counting(self, counting: Counting) -> Indicator:
        """Count records (``"record"``: plans, for DfE table D7) or children (``"child"``).

        >>> from casetime.indicators import NI64
        >>> NI64.with_counting("record").counting
        'record'
        """
        return dataclasses.replace(self, counting=counting)

    def _variant(self, note: str, **changes: Any) -> Indicator:
        """The same measure with ``changes``, its title saying so (``note``), so that outputs tell them apart."""
        return dataclasses.replace(self, title=f"{self.title} ({note})", **changes)

    def with_bands(self, bands: Bands) -> Indicator:
        """The same measure with other bands, named in its title (``D7.with_bands(PLAN_BANDS_ANNIVERSARY)``).

        >>> from casetime.indicators import D7, PLAN_BANDS_ANNIVERSARY
        >>> D7.with_bands(PLAN_BANDS_ANNIVERSARY).heading.split("(")[1]
        'by anniversary, as NI64 counts; DfE table D7)'
        """
        if bands == self.bands:
            return self
        if "{bands}" in self.title:
            return dataclasses.replace(self, bands=bands)
        return self._variant(bands.name, bands=bands)

    def with_repeat(self, repeat: Repeat) -> Indicator:
        """The same measure with another repeat rule, said in its title (``D3.with_repeat(WITHIN_2_YEARS_OF_ENDING)``).

        >>> from casetime.indicators import D3, WITHIN_2_YEARS_OF_ENDING
        >>> D3.with_repeat(WITHIN_2_YEARS_OF_ENDING).heading.endswith("(within 24 months of the previous one ending)")
        True
        """
        if repeat == self.repeat:
            return self
        since = "ending" if repeat.since == "end" else "starting"
        note = (
            "however long ago"
            if repeat.within is None
            else f"within {repeat.within} months of the previous one {since}"
        )
        return self._variant(note, repeat=repeat)

    def with_clock_start(self, column: str) -> Indicator:
        """Start the clock on another date column, said in the title (``SA45.with_clock_start("start_date")``).

        >>> from casetime.indicators import C2
        >>> C2.with_clock_start("referral_date").heading.endswith("(clock started on the referral date)")
        True
        """
        if column == self.clock_start:
            return self
        return self._variant(f"clock started on the {column.replace('_', ' ')}", clock_start=column)

    def __str__(self) -> str:
        return f"{self.id}: {self.heading}"
