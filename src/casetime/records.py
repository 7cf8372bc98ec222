"""Case records one at a time: small frozen dataclasses, one per record type.

Each record carries a child id and its dates (:class:`datetime.date`, ``None``
where not known yet), under the standard column names of
:data:`casetime.schema.SCHEMAS`. ISO strings, ``datetime``, ``numpy.datetime64``
and ``pandas.Timestamp`` are accepted and coerced to dates; anything else that
is not a date raises :class:`~casetime.errors.DateParseError`.

A record knows its clock (the start and stop fields the timeliness indicators
measure) and, given a working-day calendar (England and Wales by default),
answers how many working days it took, its due date for a limit and whether
it was within that limit. Counting follows the named convention (``"day0"``,
the default: working days ``d`` with ``start < d <= stop``).

>>> ia = InitialAssessment("A1", "2009-01-05", completion_date="2009-01-14")
>>> ia.clock_start, ia.working_days(), ia.within(7)
(datetime.date(2009, 1, 5), 7, True)
>>> ia.due_date(7)
datetime.date(2009, 1, 14)
>>> InitialAssessment("A2", "2009-01-05").within(7) is None  # still open
True

For tables of records (the columnar form every indicator uses) see
:func:`records_to_table` and :func:`table_to_records`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Final, Literal

from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped,unused-ignore]

from casetime.calendar import Convention, WorkingCalendar, as_calendar
from casetime.dates import date_from_day, day_number, is_missing_scalar
from casetime.errors import CasetimeError, DateParseError
from casetime.schema import SCHEMAS, record_type_of
from casetime.tables import Table

__all__ = [
    "Record",
    "RECORD_CLASSES",
    "Referral",
    "InitialAssessment",
    "CoreAssessment",
    "SingleAssessment",
    "Section47",
    "ChildProtectionPlan",
    "ChildInNeedPlan",
    "SingleAssessmentClock",
    "records_to_table",
    "table_to_records",
]

#: Where a single assessment's clock starts: ``"referral"`` (Working Together) or ``"start"`` (DfE census).
SingleAssessmentClock = Literal["referral", "start"]


def _coerce_child(value: object, kind: str) -> str:
    if is_missing_scalar(value):
        raise CasetimeError(f"a {kind} record needs a child_id, got {value!r}")
    text = str(value).strip()
    if not text:
        raise CasetimeError(f"a {kind} record needs a child_id, got {value!r}")
    return text


def _coerce_date(value: object, name: str) -> _dt.date | None:
    if type(value) is _dt.date:
        return value
    try:
        day = day_number(value)
    except DateParseError as exc:
        raise DateParseError(value, detail=f"field {name}") from exc
    return None if day is None else date_from_day(day)


class _Record:
    """What every record type shares: coercion, the clock and the working-day answers."""

    __slots__ = ()

    child_id: str
    #: The standard record type name (a key of :data:`casetime.schema.SCHEMAS`).
    record_type: ClassVar[str]
    #: The fields the clock runs between: ``(start field, stop field)``.
    clock_fields: ClassVar[tuple[str, str]]

    def __post_init__(self) -> None:
        kind = self.record_type
        object.__setattr__(self, "child_id", _coerce_child(getattr(self, "child_id"), kind))  # noqa: B009
        required = SCHEMAS[kind].required
        for f in fields(self):  # type: ignore[arg-type]
            if f.name == "child_id":
                continue
            if f.name == "review_dates":
                raw = getattr(self, f.name)
                if raw is None or isinstance(raw, (str, bytes)):
                    raise CasetimeError(f"review_dates must be a sequence of dates, not {raw!r}")
                reviews = tuple(_coerce_date(v, f.name) for v in raw)
                if any(r is None for r in reviews):
                    raise CasetimeError(f"review_dates holds a missing date: {raw!r}")
                object.__setattr__(self, f.name, reviews)
                continue
            value = _coerce_date(getattr(self, f.name), f.name)
            if value is None and f.name in required:
                raise CasetimeError(f"a {SCHEMAS[kind].title} needs a {f.name}")
            object.__setattr__(self, f.name, value)

    def _clock(self, clock: str | None = None) -> tuple[_dt.date | None, _dt.date | None]:
        start, stop = self.clock_fields
        return getattr(self, start), getattr(self, stop)

    @property
    def clock_start(self) -> _dt.date | None:
        """The date the clock starts (the first of :attr:`clock_fields`)."""
        return self._clock()[0]

    @property
    def clock_stop(self) -> _dt.date | None:
        """The date the clock stops (``None`` while the record is open)."""
        return self._clock()[1]

    def _working_days(self, clock: str | None, calendar: WorkingCalendar | None, convention: Convention) -> int | None:
        start, stop = self._clock(clock)
        if start is None or stop is None:
            return None
        cal = as_calendar(calendar)
        result: int = cal.working_days_between(start, stop, convention)
        return result

    def _due_date(
        self, limit: int, clock: str | None, calendar: WorkingCalendar | None, convention: Convention
    ) -> _dt.date:
        start, _ = self._clock(clock)
        if start is None:
            raise CasetimeError(
                f"this {SCHEMAS[self.record_type].title} has no "
                f"{self.clock_fields[0] if clock is None else 'start_date'}: it has no due date"
            )
        cal = as_calendar(calendar)
        result: _dt.date = cal.add_working_days(start, limit, convention)
        return result

    def _within(
        self, limit: int, clock: str | None, calendar: WorkingCalendar | None, convention: Convention
    ) -> bool | None:
        start, stop = self._clock(clock)
        elapsed = self._working_days(clock, calendar, convention)
        if elapsed is None or start is None or stop is None:
            return None
        return stop >= start and elapsed <= limit

    def working_days(self, calendar: WorkingCalendar | None = None, convention: Convention = "day0") -> int | None:
        """Working days from clock start to clock stop (``None`` while open).

        A stop before the start gives a negative count (a data-quality error the
        validation rules report).
        """
        return self._working_days(None, calendar, convention)

    def due_date(
        self, limit: int, calendar: WorkingCalendar | None = None, convention: Convention = "day0"
    ) -> _dt.date:
        """The last date still within ``limit`` working days of the clock start."""
        return self._due_date(limit, None, calendar, convention)

    def within(
        self, limit: int, calendar: WorkingCalendar | None = None, convention: Convention = "day0"
    ) -> bool | None:
        """Whether the clock stopped within ``limit`` working days (``None`` while open).

        A stop before the start is not "within" (it is a data-quality error).
        """
        return self._within(limit, None, calendar, convention)


@dataclass(frozen=True, slots=True)
class Referral(_Record):
    """A referral to children's social care; the clock runs from referral to case closure.

    >>> Referral("A1", "2009-01-05", "2009-02-02").working_days()
    20
    """

    record_type: ClassVar[str] = "referral"
    clock_fields: ClassVar[tuple[str, str]] = SCHEMAS["referral"].clock

    child_id: str
    referral_date: _dt.date
    closure_date: _dt.date | None = None


@dataclass(frozen=True, slots=True)
class InitialAssessment(_Record):
    """An initial assessment (2000-2013): the clock runs from referral to completion (NI59).

    >>> InitialAssessment("A1", "2008-12-19", "2009-01-02").within(7)  # Christmas and New Year skipped
    True
    """

    record_type: ClassVar[str] = "initial_assessment"
    clock_fields: ClassVar[tuple[str, str]] = SCHEMAS["initial_assessment"].clock

    child_id: str
    referral_date: _dt.date
    completion_date: _dt.date | None = None
    start_date: _dt.date | None = None


@dataclass(frozen=True, slots=True)
class CoreAssessment(_Record):
    """A core assessment (2000-2013): the clock runs from its start to completion (NI60).

    >>> CoreAssessment("A1", "2008-12-24").due_date(35)
    datetime.date(2009, 2, 16)
    """

    record_type: ClassVar[str] = "core_assessment"
    clock_fields: ClassVar[tuple[str, str]] = SCHEMAS["core_assessment"].clock

    child_id: str
    start_date: _dt.date
    completion_date: _dt.date | None = None
    referral_date: _dt.date | None = None


@dataclass(frozen=True, slots=True)
class SingleAssessment(_Record):
    """A single assessment (Working Together 2013): at most 45 working days.

    The clock starts at the referral (``clock="referral"``, Working Together, the
    default) or at the assessment start (``clock="start"``, the DfE census).

    >>> sa = SingleAssessment("A1", "2015-01-05", start_date="2015-01-09", completion_date="2015-03-06")
    >>> sa.working_days(), sa.working_days(clock="start"), sa.within(45, clock="start")
    (44, 40, True)
    """

    record_type: ClassVar[str] = "single_assessment"
    clock_fields: ClassVar[tuple[str, str]] = SCHEMAS["single_assessment"].clock

    child_id: str
    referral_date: _dt.date
    start_date: _dt.date | None = None
    completion_date: _dt.date | None = None

    def _clock(self, clock: str | None = None) -> tuple[_dt.date | None, _dt.date | None]:
        if clock is None or clock == "referral":
            return self.referral_date, self.completion_date
        if clock == "start":
            return self.start_date, self.completion_date
        raise CasetimeError(f"clock must be 'referral' or 'start', not {clock!r}")

    def working_days(
        self,
        calendar: WorkingCalendar | None = None,
        convention: Convention = "day0",
        *,
        clock: SingleAssessmentClock = "referral",
    ) -> int | None:
        """Working days from the clock start (see ``clock``) to completion (``None`` while open)."""
        return self._working_days(clock, calendar, convention)

    def due_date(
        self,
        limit: int,
        calendar: WorkingCalendar | None = None,
        convention: Convention = "day0",
        *,
        clock: SingleAssessmentClock = "referral",
    ) -> _dt.date:
        """The last date within ``limit`` working days of the clock start (an error if it is missing)."""
        return self._due_date(limit, clock, calendar, convention)

    def within(
        self,
        limit: int,
        calendar: WorkingCalendar | None = None,
        convention: Convention = "day0",
        *,
        clock: SingleAssessmentClock = "referral",
    ) -> bool | None:
        """Whether completed within ``limit`` working days of the clock start (``None`` while open)."""
        return self._within(limit, clock, calendar, convention)


@dataclass(frozen=True, slots=True)
class Section47(_Record):
    """A section 47 enquiry; the clock runs from its start to the initial conference.

    >>> Section47("A1", "2009-01-05", "2009-01-26").within(15)
    True
    """

    record_type: ClassVar[str] = "s47"
    clock_fields: ClassVar[tuple[str, str]] = SCHEMAS["s47"].clock

    child_id: str
    start_date: _dt.date
    conference_date: _dt.date | None = None
    referral_date: _dt.date | None = None


@dataclass(frozen=True, slots=True)
class ChildProtectionPlan(_Record):
    """A child protection plan, from its start to its end, with its review dates.

    NI64 measures a plan in calendar years (:meth:`lasted_at_least`), not in
    working days; :meth:`working_days` and :meth:`within` are there for
    completeness.

    >>> plan = ChildProtectionPlan("A1", "2008-02-29", end_date="2010-02-28")
    >>> plan.lasted_at_least(2)
    True
    """

    record_type: ClassVar[str] = "cpp"
    clock_fields: ClassVar[tuple[str, str]] = SCHEMAS["cpp"].clock

    child_id: str
    start_date: _dt.date
    end_date: _dt.date | None = None
    referral_date: _dt.date | None = None
    review_dates: tuple[_dt.date, ...] = ()

    def lasted_at_least(self, years: int = 2) -> bool | None:
        """Whether the plan lasted ``years`` calendar years or more (``None`` while open).

        Anniversary arithmetic: ``end >= start + relativedelta(years=years)``, so
        a plan starting on 29 February reaches two years on 28 February.

        >>> ChildProtectionPlan("A1", "2009-03-02", end_date="2011-03-01").lasted_at_least()
        False
        """
        if self.end_date is None:
            return None
        due: _dt.date = self.start_date + relativedelta(years=years)
        return self.end_date >= due


@dataclass(frozen=True, slots=True)
class ChildInNeedPlan(_Record):
    """A child in need plan (the census's ``CINPlanDates``), from its start to its end.

    >>> ChildInNeedPlan("A1", "2023-05-02", end_date="2023-06-30").working_days()  # 8 and 29 May: bank holidays
    41
    """

    record_type: ClassVar[str] = "cin_plan"
    clock_fields: ClassVar[tuple[str, str]] = SCHEMAS["cin_plan"].clock

    child_id: str
    start_date: _dt.date
    end_date: _dt.date | None = None
    referral_date: _dt.date | None = None


#: Any record.
Record = (
    Referral | InitialAssessment | CoreAssessment | SingleAssessment | Section47 | ChildProtectionPlan | ChildInNeedPlan
)

#: The record class of each record type.
RECORD_CLASSES: Final[dict[str, type[Record]]] = {
    cls.record_type: cls
    for cls in (
        Referral,
        InitialAssessment,
        CoreAssessment,
        SingleAssessment,
        Section47,
        ChildProtectionPlan,
        ChildInNeedPlan,
    )
}


def records_to_table(records: Iterable[Record], record_type: str | None = None) -> Table:
    """A columnar :class:`~casetime.tables.Table` of records of one type.

    ``record_type`` is needed only when ``records`` is empty. Rows are
    numbered from 0 in the order given; the source is ``"<records>"``.

    >>> t = records_to_table([InitialAssessment("A1", "2009-01-05", "2009-01-14"),
    ...                       InitialAssessment("B2", "2009-01-06")])
    >>> t.record_type, len(t), t.dates["completion_date"].tolist()
    ('initial_assessment', 2, [datetime.date(2009, 1, 14), None])
    """
    items = list(records)
    kinds = sorted({getattr(r, "record_type", type(r).__name__) for r in items})
    if len(kinds) > 1:
        raise CasetimeError(f"records of more than one type ({', '.join(kinds)}); make one table per type")
    if kinds:
        kind = kinds[0]
        if kind not in RECORD_CLASSES or not isinstance(items[0], RECORD_CLASSES[kind]):
            raise CasetimeError(f"not a casetime record: {items[0]!r}")
        if record_type is not None and record_type_of(record_type) != kind:
            raise CasetimeError(f"record_type={record_type!r} but the records are {kind} records")
    elif record_type is None:
        raise CasetimeError("no records: pass record_type= to make an empty table")
    else:
        kind = record_type_of(record_type)
    schema = SCHEMAS[kind]
    columns: dict[str, Any] = {"child_id": [r.child_id for r in items]}
    for name in schema.dates:
        columns[name] = [getattr(r, name) for r in items]
    if "review_dates" in schema.ragged:
        columns["review_dates"] = [list(getattr(r, "review_dates")) for r in items]  # noqa: B009
    return Table.from_columns(kind, columns, source="<records>")


def table_to_records(table: Table) -> list[Record]:
    """The records of a table, one dataclass per row; extra columns are left out.

    A row without a child id or a required date cannot be a record: it raises
    :class:`~casetime.errors.CasetimeError` naming its source and row (take
    ``Extract.valid(...)`` first to keep only rows without errors).

    >>> t = records_to_table([ChildProtectionPlan("A1", "2009-01-05", review_dates=["2009-02-01"])])
    >>> table_to_records(t)[0].review_dates
    (datetime.date(2009, 2, 1),)
    """
    cls = RECORD_CLASSES[table.record_type]
    names = [f.name for f in fields(cls) if f.name not in ("child_id", "review_dates")]
    children = table.child.values().tolist()
    dates = {name: table.dates[name].tolist() for name in names}
    reviews = table.reviews.lists() if table.reviews is not None else None
    assert table.source is not None and table.row is not None
    sources = table.source.values().tolist()
    rows = table.row.tolist()
    out: list[Record] = []
    for i, child in enumerate(children):
        kwargs: dict[str, Any] = {name: dates[name][i] for name in names}
        if cls is ChildProtectionPlan:
            kwargs["review_dates"] = tuple(reviews[i]) if reviews is not None else ()
        try:
            out.append(cls(child, **kwargs))
        except CasetimeError as exc:
            raise CasetimeError(f"{sources[i]} row {rows[i]}: {exc}") from None
    return out
