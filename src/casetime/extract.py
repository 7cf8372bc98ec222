"""One call from files or frames to validated tables: :func:`load` and :class:`Extract`.

:func:`load` reads every input (CSV files, directories of them, pandas or
polars DataFrames, dicts of columns, or ready-made tables), validates the
tables with :func:`casetime.validation.validate` and returns an
:class:`Extract`: the tables by record type and one data-quality report
holding the loader's findings (unparseable dates, malformed rows, rows of an
unknown record type) and the validation rules' findings.

Reconciliation always holds, per record type and source: rows read = rows
valid + rows with errors. Rows of a combined file whose record type is unknown
belong to no table; they are counted under the record type ``"unknown"``,
all of them with errors.

>>> ex = load({"child_id": ["A", "B", "C"], "referral_date": ["05/01/2009", "06/01/2009", "31/02/2009"],
...            "completion_date": ["14/01/2009", "02/01/2009", None]}, record_type="ia")
>>> ex
Extract(initial_assessment: 3 rows, 1 valid, 2 with errors)
>>> ex.quality.counts_by_rule()
{'unparseable_date': 1, '8608': 1}
>>> ex.valid("ia").child.values().tolist()
['A']
"""

from __future__ import annotations

import datetime as _dt
from calendar import monthrange as _monthrange
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from casetime._compat import DASK_REFUSAL, is_dask_collection
from casetime.calendar import WorkingCalendar, as_calendar, england
from casetime.dates import date_from_day, day_number
from casetime.errors import CasetimeError, CasetimeTypeError
from casetime.io import CensusHeader, read_inputs
from casetime.io.cin import census_as_at
from casetime.periods import MONTH_NAMES, FinancialYear, Period
from casetime.quality import UNKNOWN_TYPE, QualityReport
from casetime.schema import RECORD_TYPES, record_type_of
from casetime.tables import Table, YearChoice, busiest_year

__all__ = ["Extract", "UNKNOWN_TYPE", "load"]


@dataclass(eq=False)
class Extract:
    """Tables by record type, their data-quality report, and the calendar and 'as at' date they were checked with.

    ``extract["ia"]`` (any name :func:`~casetime.schema.record_type_of`
    knows) is the whole table; :meth:`valid` keeps only the rows without
    errors, the ones every indicator counts. :func:`casetime.compute` and
    :func:`casetime.open_cases` use ``calendar`` (and ``as_at``) unless told otherwise.
    """

    tables: dict[str, Table]
    quality: QualityReport
    calendar: WorkingCalendar = field(default_factory=england)
    as_at: _dt.date | None = None
    #: the headers of the census files read (reference date, year, council)
    census: tuple[CensusHeader, ...] = ()
    #: the Ofsted Annex A workbooks read (their lists cover the six months before their latest date)
    annex_a: tuple[str, ...] = ()

    @property
    def record_types(self) -> tuple[str, ...]:
        """The record types present, in the standard order."""
        return tuple(k for k in RECORD_TYPES if k in self.tables)

    def _kind(self, record_type: str) -> str:
        kind = record_type_of(record_type)
        if kind not in self.tables:
            raise CasetimeError(f"the extract has no {kind} records (it has: {', '.join(self.record_types) or 'none'})")
        return kind

    def __getitem__(self, record_type: str) -> Table:
        return self.tables[self._kind(record_type)]

    def __contains__(self, record_type: object) -> bool:
        try:
            return isinstance(record_type, str) and record_type_of(record_type) in self.tables
        except CasetimeError:
            return False

    def valid(self, record_type: str) -> Table:
        """The rows of ``record_type`` with no error (warnings do not exclude a row)."""
        kind = self._kind(record_type)
        return self.tables[kind].take(~self.quality.error_mask(kind))

    def __add__(self, other: object) -> Extract:
        """The two extracts as one: their tables joined, what their readers found kept, validated again as a
        whole (so a record in both is a duplicate, counted once). Both must have the same calendar coverage
        and 'as at' date."""
        if not isinstance(other, Extract):
            return NotImplemented
        if other.calendar.coverage != self.calendar.coverage or other.as_at != self.as_at:
            raise CasetimeError(
                "cannot add extracts checked differently (calendar coverage or 'as at' date): "
                "load(first, second, calendar=..., as_at=...) checks both the same way"
            )
        return load(self, other, calendar=self.calendar, as_at=self.as_at)

    def default_period(self) -> YearChoice | None:
        """The financial year holding most clock-stop dates, and why (``None`` with no dates at all).

        This is the period ``casetime report`` uses when none is given, and says so. Dates outside the
        calendar's coverage are not counted (validation reports them as ``out_of_coverage``). A census
        file's period is the census year its reference date closes; an Annex A workbook's, the six
        months up to its latest date (what Annex A lists cover).
        """
        lo, hi = (day_number(d) for d in self.calendar.coverage)
        assert lo is not None and hi is not None
        choice = busiest_year(self.tables, (lo, hi))
        reference = census_as_at(self.census)
        if reference is None and self.annex_a:
            return self._annex_a_period(lo, hi, choice)
        if reference is None:
            return choice
        year = FinancialYear.containing(reference)
        where = "the census file's" if len(self.census) == 1 else "the census files'"
        said = f"{reference.day} {MONTH_NAMES[reference.month - 1]} {reference.year}"
        reason = f"the census year closing at {where} reference date, {said}"
        if choice is None:
            return YearChoice(year, 0, 0, "clock-stop", reason)
        return YearChoice(year, choice.count if choice.period == year else 0, choice.total, choice.dates, reason)

    def _annex_a_period(self, lo: int, hi: int, choice: YearChoice | None) -> YearChoice | None:
        """The six months up to the latest date of the Annex A lists (inside the calendar's coverage)."""
        latest = None
        for table in self.tables.values():
            for name in table.schema.dates:
                days = table.days(name)
                days = days[(days >= lo) & (days <= hi)]
                if days.size:
                    latest = max(latest or int(days.max()), int(days.max()))
        if latest is None:
            return choice
        end = date_from_day(latest)
        back = end.year * 12 + end.month - 1 - 6  # six calendar months before (the 31st -> the month's last day)
        year, month = divmod(back, 12)
        start = _dt.date(year, month + 1, min(end.day, _monthrange(year, month + 1)[1])) + _dt.timedelta(days=1)
        said = f"{end.day} {MONTH_NAMES[end.month - 1]} {end.year}"
        reason = f"Annex A lists cover the six months before their latest date, {said}"
        period = Period(start, end)
        total = choice.total if choice is not None else 0
        return YearChoice(period, 0, total, choice.dates if choice is not None else "clock-stop", reason)

    def reconciliation(self) -> list[dict[str, Any]]:
        """Rows read = rows valid + rows with errors, per record type and source."""
        return self.quality.reconciliation()

    def __repr__(self) -> str:
        parts = []
        for kind in self.record_types:
            n = len(self.tables[kind])
            bad = int(self.quality.error_mask(kind).sum())
            parts.append(f"{kind}: {n:,} rows, {n - bad:,} valid, {bad:,} with errors")
        rejected = sum(len(r) for r in self.quality.rejected)
        if rejected:
            parts.append(f"{rejected:,} rows of unknown record type")
        return f"Extract({'; '.join(parts) or 'no records'})"

    def _repr_html_(self) -> str:
        from html import escape

        from casetime.cells import html_table

        rows = []
        for kind in self.record_types:
            n = len(self.tables[kind])
            bad = int(self.quality.error_mask(kind).sum())
            rows.append([kind, f"{n:,}", f"{n - bad:,}", f"{bad:,}"])
        rejected = sum(len(r) for r in self.quality.rejected)
        if rejected:
            rows.append(["(unknown record type)", f"{rejected:,}", "0", f"{rejected:,}"])
        said = f"as at {self.as_at}; " if self.as_at is not None else ""
        caption = [f"Extract: {said}working days {self.calendar.name}"]
        style = {"attributes": " class='casetime-extract'", "caption_attributes": " style='text-align:left'"}
        table = html_table(["records", "rows", "valid", "with errors"], rows, caption=caption, **style)
        counts = self.quality.counts_by_rule("error")
        errors = ", ".join(f"{escape(rule)}: {n:,}" for rule, n in counts.items())
        return table + (f"<p>errors by rule: {errors} (extract.quality shows them)</p>" if errors else "")


def load(
    *inputs: Any,
    record_type: str | None = None,
    columns: Mapping[str, Any] | None = None,
    dayfirst: bool = True,
    date_format: str | None = None,
    calendar: WorkingCalendar | None = None,
    as_at: object = None,
    strict: bool = False,
    engine: str = "auto",
    progress: Callable[[int], object] | None = None,
) -> Extract:
    """Read, check and validate case records in one call.

    Parameters
    ----------
    inputs:
        CSV files or directories of them (see :func:`casetime.io.read_path`),
        pandas or polars DataFrames or dicts of columns (see
        :func:`casetime.io.tables_from_frame`: they need ``record_type`` unless
        they have a ``record_type`` column), :class:`~casetime.tables.Table` objects, or
        extracts (what their readers found is kept). Tables of the same record type from
        several inputs are joined, and validated as a whole.
    record_type:
        The record type of every input (when they are all of one type).
    columns:
        Standard column name -> the input's heading, where the aliases and heading words miss: one
        mapping for every input, or one per record type (``{"initial_assessment": {"completion_date":
        "Signed off"}, "cpp": {...}}``) or per file (a key that is a path or file name).
    dayfirst:
        Numeric dates are day first, ``dd/mm/yyyy`` (default, as in English exports) or, if
        ``False``, month first, ``mm/dd/yyyy``. ISO ``YYYY-MM-DD``, ``05-01-2009``, ``05.01.2009``,
        ``5 Jan 2009``, ``05-Jan-2009``, ``2009/01/05`` and a time after any of them are read too
        (see :func:`casetime.dates.parse_date_strings`); a two-digit year is never guessed.
    date_format:
        Read every date text with this :meth:`datetime.datetime.strptime` format instead
        (``"%Y%m%d"``, ``"%d/%m/%y"``): for anything the forms above do not cover.
    calendar, as_at:
        Passed to :func:`casetime.validation.validate` (coverage and "as at" checks) and kept on the
        extract, where :func:`casetime.compute` and :func:`casetime.open_cases` find them.
    strict:
        Raise :class:`~casetime.quality.ValidationError` if any row has an error.
    engine, progress:
        Passed to the CSV reader (``"auto"``, ``"python"`` or ``"pyarrow"``;
        a callable given the rows read so far).
    """
    from casetime.validation import validate

    if not inputs:
        raise CasetimeError("load() needs at least one input: a CSV file, a directory, a DataFrame or a Table")
    if any(is_dask_collection(given) for given in inputs):
        raise CasetimeTypeError(DASK_REFUSAL)
    combined = read_inputs(
        inputs,
        record_type,
        columns=columns,
        dayfirst=dayfirst,
        date_format=date_format,
        engine=engine,
        progress=progress,
    )
    report = QualityReport(
        dict(combined.tables),
        list(combined.issues),
        list(combined.rejected),
        list(combined.columns),
        list(combined.notices),
    )
    cal = as_calendar(calendar)
    census = tuple(combined.census)
    if as_at is None:  # a census is as at its reference date
        as_at = census_as_at(census)
    validate(combined.tables, calendar=cal, as_at=as_at, into=report, outliers=True)
    cut = day_number(as_at) if as_at is not None else None
    extract = Extract(
        dict(report.tables), report, cal, None if cut is None else date_from_day(cut), census, tuple(combined.annex_a)
    )
    if strict:
        report.raise_if_errors()
    return extract
