"""Running the rules: :func:`validate` and the context every check sees.

>>> from casetime.tables import Table
>>> ia = Table.from_columns("initial_assessment", {"child_id": ["A", "B"],
...     "referral_date": ["2009-01-05", "2009-01-06"], "completion_date": ["2009-01-14", "2009-01-02"]})
>>> validate({"initial_assessment": ia}).counts_by_rule()
{'8608': 1}
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from casetime._background import Background
from casetime.calendar import WorkingCalendar, as_calendar
from casetime.dates import day_number
from casetime.errors import CasetimeError, CasetimeTypeError
from casetime.io import EMPTYING_RULES
from casetime.quality import SEVERITIES, IssueSet, QualityReport, Rule, Severity
from casetime.schema import record_type_of
from casetime.tables import Table, busiest_year
from casetime.validation.duplicates import find_duplicates
from casetime.validation.registry import RULES

__all__ = ["Context", "validate"]

_THREAD_ROWS: Final = 1 << 16  # from this many rows on, duplicates are looked for on a helper thread
_Copies = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]


@dataclass(frozen=True)
class Context:
    """What every check of one :func:`validate` run may use besides its table.

    ``lo`` and ``hi`` are the calendar's coverage as day numbers (``coverage`` in words), ``as_at``
    the extract's date as a day number (``None``: not checked); exact duplicates are found once
    per table, on a helper thread for large tables, while the other rules run.
    """

    lo: int
    hi: int
    coverage: str
    as_at: int | None
    copies: dict[str, Background[_Copies]] = dataclasses.field(default_factory=dict)
    #: clock dates after this day are ``outlier_date`` warnings (``None``: not checked), and why
    outlier_after: int | None = None
    outlier_why: str = ""
    #: the working-day calendar, for the rules that count working days
    calendar: WorkingCalendar | None = None

    @classmethod
    def of(cls, calendar: WorkingCalendar | None, as_at: object) -> Context:
        """The context for a calendar (England and Wales by default) and an 'as at' date (or ``None``)."""
        cal = as_calendar(calendar)
        lo_date, hi_date = cal.coverage
        lo, hi = day_number(lo_date), day_number(hi_date)
        assert lo is not None and hi is not None
        cut = day_number(as_at) if as_at is not None else None
        return cls(lo, hi, f"{lo_date.isoformat()} to {hi_date.isoformat()}", cut, calendar=cal)

    def with_bulk(self, tables: Mapping[str, Table], today: _dt.date | None = None) -> Context:
        """This context with the outlier cut of ``tables``: a year past the end of the financial year
        holding most clock-stop dates, or (without an 'as at' date) today, whichever comes first."""
        choice = busiest_year(tables, (self.lo, self.hi))
        if choice is None:
            return self
        end = choice.period.last_day + 365
        why = f"more than a year past {choice.period.label}, the financial year of most {choice.dates} dates"
        now = day_number(today or _dt.date.today())
        assert now is not None
        if self.as_at is None and now < end:
            end, why = now, "today: a date cannot be in the future"
        return dataclasses.replace(self, outlier_after=end, outlier_why=why)

    def start_duplicates(self, table: Table) -> None:
        """Start looking for exact duplicates in ``table`` on a helper thread (the other rules go on meanwhile)."""
        if table.record_type not in self.copies:
            big = len(table) >= _THREAD_ROWS
            self.copies[table.record_type] = Background(
                lambda: find_duplicates(table), "casetime-duplicates", thread=big
            )

    def duplicates(self, table: Table) -> _Copies:
        """The later copies of exact duplicates in ``table`` and the first copy of each (computed once)."""
        self.start_duplicates(table)
        return self.copies[table.record_type].result()

    def wording(self, table: Table) -> dict[str, str]:
        """What a rule's message may name besides ``{field}``: ``title``, ``coverage``, ``as_at`` and ``clock``."""
        schema = table.schema
        start = schema.clock[0]
        clock = (
            "its start (start_date)"
            if start == "start_date"
            else f"its clock start ({start}) or its start (start_date)"
        )
        as_at = "" if self.as_at is None else str(np.datetime64(self.as_at, "D"))
        cut = "" if self.outlier_after is None else str(np.datetime64(self.outlier_after, "D"))
        return {
            "title": schema.title,
            "coverage": self.coverage,
            "as_at": as_at,
            "clock": clock,
            "outlier_cut": cut,
            "outlier_why": self.outlier_why,
        }


def validate(
    tables: Mapping[str, Table],
    *,
    calendar: WorkingCalendar | None = None,
    as_at: object = None,
    into: QualityReport | None = None,
    rules: Iterable[str] | None = None,
    severity: Mapping[str, Severity] | None = None,
    strict: bool = False,
    outliers: bool = False,
) -> QualityReport:
    """Check every table against the rules; the findings as a data-quality report.

    Parameters
    ----------
    tables:
        Tables by record type (the keys may be any name :func:`~casetime.schema.record_type_of`
        understands; each must agree with its table's record type).
    calendar:
        Dates outside its coverage are flagged ``out_of_coverage`` (default :func:`casetime.england`).
    as_at:
        The date the extract was taken; any later date is flagged ``after_as_at``. ``None`` skips the rule.
    into:
        An existing report over the same tables (for example the loader's, holding the unparseable dates)
        to add the findings to; it is returned.
    rules:
        The rule codes to run (default: all of :data:`RULES`).
    severity:
        Overrides by rule code, e.g. ``{"8841": "warning"}``: a warning is reported but does not exclude
        the row. Every rule is an error by default.
    strict:
        Raise :class:`~casetime.quality.ValidationError` summarising the first issues when there are errors.
    outliers:
        Also run ``outlier_date`` (as :func:`casetime.load` does): clock dates more than a year past the
        financial year holding most clock-stop dates, or after today without ``as_at``, are warnings.
        It looks at the spread of all the tables given, so unlike every other rule its findings on
        parts of an extract need not add up to those on the whole; it is off unless asked for (here,
        or by naming it in ``rules``).

    >>> cpp = Table.from_columns("cpp", {"child_id": ["A", "A"], "start_date": ["2009-01-05", "2009-02-01"],
    ...     "end_date": ["2009-03-01", "2009-02-01"]})
    >>> validate({"cpp": cpp}, as_at="2009-02-15").counts_by_rule()
    {'after_as_at': 1, '8840': 1, '8940': 2}
    >>> try:
    ...     validate({"cpp": cpp}, strict=True)
    ... except ValueError as exc:
    ...     for line in str(exc).splitlines():
    ...         print(line[:72])
    3 data-quality error(s)
    cpp from <input>: 2 rows read, 0 valid, 2 with errors
    issues by rule: 8840: 1, 8940: 2
      <input> row 1 (cpp): end_date='2009-02-01': rule 8840: plan starts and
      <input> row 1 (cpp): start_date='2009-02-01': rule 8940: plan starts (
      <input> row 0 (cpp): end_date='2009-03-01': rule 8940: another plan of
    """
    selected = _selected_rules(rules)
    if not outliers and rules is None:
        selected = tuple(r for r in selected if r.code != "outlier_date")
    levels = _severities(severity)
    by_type = _by_record_type(tables)
    ctx = Context.of(calendar, as_at)
    # the duplicate search starts first, so that its helper thread runs beside the outlier cut too
    # (the context with the cut shares the searches begun: ``copies`` is the same dict)
    for kind, table in by_type.items():
        if any(kind in rule.record_types and rule.needs_duplicates for rule in selected):
            ctx.start_duplicates(table)
    if any(r.code == "outlier_date" for r in selected):
        ctx = ctx.with_bulk(by_type)
    report = _target_report(by_type, into)
    # a date the loader could not read is held as missing: report it once (as the loader did), not twice
    unreadable: dict[tuple[str, str], npt.NDArray[np.int64]] = {}
    for found in report.issue_sets:
        if found.rule in EMPTYING_RULES:
            key = (found.record_type, found.field)
            unreadable[key] = np.concatenate((unreadable.get(key, np.empty(0, np.int64)), found.positions))
    for kind, table in by_type.items():
        for rule in selected:
            if kind not in rule.record_types:
                continue
            assert rule.check is not None
            code = rule.code
            for field, positions, values in rule.check(table, ctx):
                if code == "missing_date" and (kind, field) in unreadable:
                    keep = ~np.isin(positions, unreadable[(kind, field)])
                    positions, values = positions[keep], values[keep]
                if positions.size:
                    order = np.argsort(positions, kind="stable")
                    report.add(
                        IssueSet(
                            kind,
                            code,
                            field,
                            positions[order],
                            values[order],
                            rule.message(field, **ctx.wording(table)),
                            levels.get(code, rule.severity),
                        )
                    )
    if strict:
        report.raise_if_errors()
    return report


# ---------------------------------------------------------------------------
# arguments
# ---------------------------------------------------------------------------


def _selected_rules(rules: Iterable[str] | None) -> tuple[Rule, ...]:
    if rules is None:
        return tuple(RULES.values())
    wanted = [str(r).strip() for r in ([rules] if isinstance(rules, str) else rules)]
    unknown = [r for r in wanted if r not in RULES]
    if unknown:
        raise CasetimeError(f"unknown rule(s) {', '.join(map(repr, unknown))}; known rules: {', '.join(RULES)}")
    return tuple(rule for code, rule in RULES.items() if code in wanted)


def _severities(severity: Mapping[str, Severity] | None) -> dict[str, Severity]:
    levels: dict[str, Severity] = {}
    for code, level in (severity or {}).items():
        if code not in RULES:
            raise CasetimeError(f"severity names unknown rule {code!r}; known rules: {', '.join(RULES)}")
        if level not in SEVERITIES:
            raise CasetimeError(f"severity of rule {code} must be 'error' or 'warning', not {level!r}")
        levels[code] = level
    return levels


def _by_record_type(tables: Mapping[str, Table]) -> dict[str, Table]:
    out: dict[str, Table] = {}
    for key, table in tables.items():
        if not isinstance(table, Table):
            raise CasetimeTypeError(f"tables[{key!r}] is a {type(table).__name__}, not a casetime Table")
        if record_type_of(key) != table.record_type:
            raise CasetimeError(f"tables[{key!r}] holds {table.record_type} records, not {record_type_of(key)}")
        if table.record_type in out:
            raise CasetimeError(f"two tables of {table.record_type} records; concatenate them with Table.concat")
        out[table.record_type] = table
    return out


def _target_report(by_type: dict[str, Table], into: QualityReport | None) -> QualityReport:
    if into is None:
        return QualityReport(by_type)
    merged = dict(into.tables)
    for kind, table in by_type.items():
        held = merged.get(kind)
        if held is not None and held is not table:
            raise CasetimeError(
                f"the report passed as into= holds a different {kind} table; "
                "validate the same Table objects the report was made for"
            )
        merged[kind] = table
    into.tables = merged
    return into
