"""Indicator results: exact numbers, display values, RAG, and the cases behind them.

A :class:`Result` is one line of a report: a numerator, a denominator, the
exact percentage (a :class:`fractions.Fraction`, ``None`` when the denominator
is 0: never 0 and never an error), the display value rounded **half away from
zero** to one decimal place, the target, the RAG status and the counts of
records left out, by reason. A :class:`ResultTable` holds the rows of a
grouped computation (one per month, team ...) and merges exactly with a table
computed on another chunk of the same extract.

>>> display_percentage(41, 65), display_percentage(1, 16), display_percentage(0, 0)
('63.1', '6.3', None)
>>> from casetime.periods import Month
>>> r = Result(indicator="NI59", title="initial assessments ...", period=Month(2009, 1), key=(("month", "2009-01"),),
...            numerator=41, denominator=65, left_out={"invalid": 0}, target=Fraction(70), polarity="higher",
...            counting="record")
>>> r.value, r.display, r.status
(Fraction(820, 13), '63.1', 'red')

Reasons a record is left out (:data:`REASONS`):

- ``invalid``: a data-quality error (rows flagged by an extract's quality
  report), a clock start outside the calendar's coverage, or, when children are
  counted, no child id;
- ``completed_before_start``: the clock stopped before it started;
- ``missing_start``: the clock stopped (in the period) but there is no start date;
- ``still_open``: no stop date;
- ``clock_stop_outside_period``: the record is in no row, because its clock stopped outside the
  period (for a population "completed/ended in the period");
- ``open_started_outside_period``: no row either: it has no stop date, and its clock started
  outside the period;
- ``clock_start_outside_period``: no row: its clock started outside the period (for a population
  "started in the period");
- ``no_readable_date``: the record is in no row, because the date that places it is
  missing or could not be read.

A snapshot (population ``"open_at_end"``: DfE tables D5 and D6) looks at the records open at the
end of each window, so a record can be in the rows of several windows; its whole period is the
snapshot at the period's end, and the records not open then are in no row as
``started_after_reference`` or ``ended_by_reference``. D6 leaves out, in its row, plans open for
less than 3 months (``too_recent``).

Band measures (DfE tables C2, C4, D5, D7) give each row its count per band (:attr:`Result.bands`)
and, for working-day bands, the distribution of working days elapsed (:class:`Distribution`), from
which the 25th, 50th and 75th percentiles are exact and merge exactly across chunks.

Every record is placed in at most one row, by the date that defines the
population (the clock stop for "completed/ended in the period"; the clock start
for "started in the period"). A record with no stop date is placed by its clock
start, as ``still_open`` (or ``invalid``), so every count adds up across months,
quarters and chunks. The records placed in no row are counted too, once, in the
whole period's row (:meth:`ResultTable.total`), under the last four reasons, so
that ``population == counted + left out`` always holds
(:meth:`ResultTable.reconciliation`). Left-out counts are records, also when the
indicator counts children.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from html import escape as html_escape
from typing import TYPE_CHECKING, Any, Final, Protocol

import numpy as np
import numpy.typing as npt

from casetime._compat import as_intp
from casetime.cells import csv_text, fixed_width, html_table, key_text, write_csv
from casetime.errors import CasetimeError
from casetime.indicators import Indicator
from casetime.periods import TIME_UNITS, FinancialYear, Period
from casetime.rag import RagRule, rag_status

if TYPE_CHECKING:  # (read on first use: casetime.published loads its figures lazily, and is not needed to compute)
    from casetime.published import Area, Comparison, PublishedMeasure

__all__ = [
    "REASONS",
    "ROW_REASONS",
    "OUTSIDE_REASONS",
    "REASON_WORDS",
    "CASE_FILTERS",
    "KIND_REASONS",
    "SNAPSHOT_REASONS",
    "PERCENTILE_METHODS",
    "MergeError",
    "Distribution",
    "Beside",
    "round_half_away",
    "display_percentage",
    "Result",
    "ResultTable",
    "Results",
    "Chart",
    "CaseTable",
    "CaseSource",
    "ChildSets",
    "merge_results",
    "sorted_unique",
]

#: Why a record is in no row of the period (see the module docstring).
OUTSIDE_REASONS: Final[tuple[str, ...]] = (
    "clock_stop_outside_period",
    "open_started_outside_period",
    "clock_start_outside_period",
    "no_readable_date",
)
#: Why a record is in no row of a snapshot: not open at the reference date (see the module docstring).
SNAPSHOT_REASONS: Final[tuple[str, ...]] = ("started_after_reference", "ended_by_reference", "no_readable_date")
#: Why a record placed in a row is not in its denominator (see the module docstring).
ROW_REASONS: Final[tuple[str, ...]] = ("invalid", "completed_before_start", "missing_start", "still_open")
#: Reasons of one kind only, in a row: a plan open for less than the reviews kind's minimum (D6).
KIND_REASONS: Final[tuple[str, ...]] = ("too_recent",)
#: Why a record is not in the denominator: in a row, or in none (only the whole period's row,
#: :meth:`ResultTable.total`, has the second kind).
REASONS: Final[tuple[str, ...]] = (
    *ROW_REASONS,
    *KIND_REASONS,
    *OUTSIDE_REASONS,
    *(r for r in SNAPSHOT_REASONS if r not in OUTSIDE_REASONS),
)
#: Each reason in words, as reports show it.
REASON_WORDS: Final[Mapping[str, str]] = {
    "invalid": "invalid",
    "completed_before_start": "stopped before it started",
    "missing_start": "no clock start",
    "still_open": "still open",
    "clock_stop_outside_period": "stopped outside the period",
    "open_started_outside_period": "open, started outside the period",
    "clock_start_outside_period": "started outside the period",
    "no_readable_date": "no readable date to place it",
    "too_recent": "open less than the minimum time",
    "started_after_reference": "started after the reference date",
    "ended_by_reference": "ended by the reference date",
}
#: How :meth:`Distribution.percentile` can read a percentile: ``"linear"`` (numpy's default, Hyndman and
#: Fan's type 7: between the two nearest values) and ``"inverted_cdf"`` (type 1: the smallest value with at
#: least that share at or below it, always a value that occurs).
PERCENTILE_METHODS: Final[tuple[str, ...]] = ("linear", "inverted_cdf")
#: What :meth:`ResultTable.cases` can list.
CASE_FILTERS: Final[tuple[str, ...]] = ("all", "denominator", "numerator", "breaches", "left_out")

Key = tuple[tuple[str, Any], ...]


class MergeError(CasetimeError):
    """Two results cannot be merged (different definitions, periods, groupings or settings)."""


def round_half_away(value: Fraction, places: int = 1) -> Decimal:
    """``value`` rounded half away from zero to ``places`` decimals, exactly (no float, no double rounding).

    >>> round_half_away(Fraction(1, 8) * 100), round_half_away(Fraction(-25, 100)), round_half_away(Fraction(60))
    (Decimal('12.5'), Decimal('-0.3'), Decimal('60.0'))
    """
    scale = 10**places
    scaled = abs(value) * scale
    whole = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
    signed = -whole if value < 0 else whole
    return Decimal(signed).scaleb(-places)


def display_percentage(numerator: int, denominator: int, places: int = 1) -> str | None:
    """The percentage ``100 * numerator / denominator`` as text, rounded half away from zero.

    ``None`` when the denominator is 0.

    >>> display_percentage(593, 1000), display_percentage(1, 3, places=2)
    ('59.3', '33.33')
    """
    if denominator == 0:
        return None
    return str(round_half_away(Fraction(100 * numerator, denominator), places))


def _fmt_number(value: Fraction | None) -> str:
    if value is None:
        return ""
    if value.denominator == 1:
        return str(value.numerator)
    return str(round_half_away(value, 2)).rstrip("0").rstrip(".")


@dataclass(frozen=True, eq=False)
class Distribution:
    """Whole working days elapsed of the records in a row: each distinct value (sorted) and how many have it.

    Exact, and merged exactly by adding counts, so the percentiles of a merged result are those of the
    whole.

    >>> d = Distribution.of([0, 3, 3, 10])
    >>> d.percentile(50), d.percentile(25), d.percentile(50, "inverted_cdf"), d.total
    (Fraction(3, 1), Fraction(9, 4), Fraction(3, 1), 4)
    >>> (d + Distribution.of([20])).percentile(50)
    Fraction(3, 1)
    """

    values: npt.NDArray[np.int64]
    counts: npt.NDArray[np.int64]

    @classmethod
    def of(cls, values: Sequence[int] | npt.NDArray[np.int64]) -> Distribution:
        """The distribution of some values (a reference and a convenience; the engine counts them itself)."""
        distinct, counts = np.unique(np.asarray(values, dtype=np.int64), return_counts=True)
        return cls(distinct.astype(np.int64), counts.astype(np.int64))

    @classmethod
    def empty(cls) -> Distribution:
        """No values."""
        return cls(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))

    @property
    def total(self) -> int:
        """How many values."""
        return int(self.counts.sum())

    def __add__(self, other: object) -> Distribution:
        if not isinstance(other, Distribution):
            return NotImplemented
        values = np.concatenate([self.values, other.values])
        counts = np.concatenate([self.counts, other.counts])
        distinct = sorted_unique(values)
        summed = np.zeros(distinct.size, dtype=np.int64)
        np.add.at(summed, as_intp(np.searchsorted(distinct, values)), counts)
        return Distribution(distinct, summed)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Distribution):
            return NotImplemented
        return bool(np.array_equal(self.values, other.values) and np.array_equal(self.counts, other.counts))

    def _kth(self, k: int) -> int:
        """The ``k``-th smallest value (from 0)."""
        return int(self.values[int(np.searchsorted(np.cumsum(self.counts), k, side="right"))])

    def percentile(self, p: int | Fraction, method: str = "linear") -> Fraction | None:
        """The ``p``-th percentile (0-100), exactly, by ``method`` (:data:`PERCENTILE_METHODS`); ``None`` if empty."""
        if method not in PERCENTILE_METHODS:
            raise CasetimeError(f"method must be one of {', '.join(PERCENTILE_METHODS)}, not {method!r}")
        share = Fraction(p) / 100
        if not 0 <= share <= 1:
            raise CasetimeError(f"a percentile is between 0 and 100, not {p}")
        n = self.total
        if n == 0:
            return None
        if method == "inverted_cdf":
            k = max(-(-share.numerator * n // share.denominator) - 1, 0)  # ceil(n * share) - 1
            return Fraction(self._kth(k))
        h = (n - 1) * share
        lo = h.numerator // h.denominator
        low = self._kth(lo)
        if lo + 1 >= n:
            return Fraction(low)
        return low + (h - lo) * (self._kth(lo + 1) - low)

    def to_dict(self) -> dict[str, int]:
        """``{value: count}`` with text keys (JSON-ready)."""
        return {str(int(v)): int(c) for v, c in zip(self.values, self.counts, strict=True)}


@dataclass(frozen=True, kw_only=True)
class Result:
    """One line of a report (see the module docstring).

    ``key`` names the row: ``(("month", "2009-01"), ("team", "North"))``, or
    ``()`` for a whole period. ``period`` is the window the row covers.
    ``status`` is computed from the exact value with ``rule`` (the default RAG
    rule when ``None``) unless given. A band measure's row also has ``bands`` (each band's label and
    count, in order; the denominator is their sum), ``unbanded`` (records in the total but in no band:
    DfE table C4's conferences dated before their start) and, for working-day bands, ``distribution``.
    """

    indicator: str
    title: str
    period: Period
    key: Key
    numerator: int
    denominator: int
    left_out: Mapping[str, int]
    target: Fraction | None
    polarity: str
    counting: str
    status: str | None = field(default=None)
    rule: RagRule | None = field(default=None, repr=False, compare=False)
    bands: tuple[tuple[str, int], ...] | None = None
    unbanded: int = 0
    distribution: Distribution | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.numerator < 0 or self.denominator < 0 or self.numerator > self.denominator:
            raise CasetimeError(
                f"a result needs 0 <= numerator <= denominator, got {self.numerator}/{self.denominator}"
            )
        if self.bands is not None:
            bands = tuple((str(label), int(n)) for label, n in self.bands)
            if sum(n for _, n in bands) != self.denominator or any(n < 0 for _, n in bands):
                raise CasetimeError(f"a result's band counts must add up to its denominator {self.denominator}")
            object.__setattr__(self, "bands", bands)
        left = {reason: int(self.left_out.get(reason, 0)) for reason in ROW_REASONS}
        left.update({r: int(self.left_out[r]) for r in REASONS if r not in ROW_REASONS and r in self.left_out})
        unknown = [k for k in self.left_out if k not in REASONS]
        if unknown:
            raise CasetimeError(
                f"unknown left-out reason(s) {', '.join(unknown)}; expected some of {', '.join(REASONS)}"
            )
        object.__setattr__(self, "left_out", left)
        if self.status is None:
            object.__setattr__(self, "status", rag_status(self.value, self.target, self.polarity, self.rule))

    @property
    def value(self) -> Fraction | None:
        """The exact percentage, or ``None`` when nothing is in the denominator."""
        if self.denominator == 0:
            return None
        return Fraction(100 * self.numerator, self.denominator)

    @property
    def display_value(self) -> Decimal | None:
        """The percentage rounded half away from zero to one decimal place."""
        value = self.value
        return None if value is None else round_half_away(value, 1)

    @property
    def display(self) -> str | None:
        """:attr:`display_value` as text (``"63.1"``), ``None`` when missing."""
        shown = self.display_value
        return None if shown is None else str(shown)

    @property
    def met(self) -> bool | None:
        """Whether the target is met (respecting polarity); ``None`` without a value or a target."""
        value = self.value
        if value is None or self.target is None:
            return None
        return value >= self.target if self.polarity == "higher" else value <= self.target

    @property
    def left_out_total(self) -> int:
        """All records left out, whatever the reason."""
        return sum(self.left_out.values())

    @property
    def band_counts(self) -> dict[str, int]:
        """Each band's count, by label (empty for a measure without bands)."""
        return dict(self.bands or ())

    @property
    def total_records(self) -> int:
        """The records in the total: the denominator, and those in the total but in no band (C4)."""
        return self.denominator + self.unbanded

    def percentile(self, p: int | Fraction, method: str = "linear") -> Fraction | None:
        """The ``p``-th percentile of working days elapsed (``None`` without a distribution or records)."""
        return None if self.distribution is None else self.distribution.percentile(p, method)

    @property
    def quartiles(self) -> tuple[Fraction | None, Fraction | None, Fraction | None]:
        """The 25th, 50th (median) and 75th percentiles of working days elapsed, ``"linear"`` method."""
        return self.percentile(25), self.percentile(50), self.percentile(75)

    def get(self, name: str) -> Any:
        """The value of one key (``r.get("month")``); ``KeyError`` if the row has no such key."""
        for k, v in self.key:
            if k == name:
                return v
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the keys, the window, the counts, the value (float) and its display text."""
        value = self.value
        out: dict[str, Any] = {k: v for k, v in self.key}
        out.update(
            {
                "indicator": self.indicator,
                "period": self.period.label,
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
                "numerator": self.numerator,
                "denominator": self.denominator,
                "value": None if value is None else float(value),
                "display": self.display,
                "target": None if self.target is None else float(self.target),
                "polarity": self.polarity,
                "status": self.status,
                "counting": self.counting,
                "left_out": dict(self.left_out),
            }
        )
        if self.bands is not None:
            out["bands"] = dict(self.bands)
            out["total"] = self.total_records
        if self.distribution is not None:
            out["percentiles"] = {
                name: None if q is None else float(q)
                for name, q in zip(("p25", "median", "p75"), self.quartiles, strict=True)
            }
            out["percentile_method"] = "linear"
        return out

    def describe(self) -> str:
        """One line of text, as a cabinet report would put it."""
        where = ", ".join(f"{k} {key_text(v)}" for k, v in self.key) or self.period.label
        shown = "no cases" if self.display is None else f"{self.display}%"
        target = "" if self.target is None else f", target {_fmt_number(self.target)}%"
        status = "" if self.status is None else f": {self.status}"
        return f"{self.indicator}: {shown} in {where} ({self.numerator}/{self.denominator}{target}){status}"

    def __repr__(self) -> str:
        return f"<Result {self.describe()}>"

    def _repr_html_(self) -> str:
        from casetime.charts import rag_badge

        shown = "no cases" if self.display is None else f"{self.display}%"
        where = ", ".join(f"{k} {key_text(v)}" for k, v in self.key) or self.period.label
        target = "" if self.target is None else f", target {_fmt_number(self.target)}%"
        return (
            f"<p class='casetime-result'><b>{html_escape(self.indicator)}</b>: <b>{html_escape(shown)}</b> "
            f"in {html_escape(str(where))} ({self.numerator:,} of {self.denominator:,}{html_escape(target)}) "
            f"{rag_badge(self.status)}</p>"
        )


class CaseSource(Protocol):
    """Something that can list the record-level outcomes behind a result (the engine provides it)."""

    def cases(self, which: str, keys: Mapping[str, Any]) -> CaseTable:
        """The records, filtered by ``which`` (:data:`CASE_FILTERS`) and row keys."""
        ...


def sorted_unique(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Sorted distinct values: a sort and a comparison of neighbours (several times faster than ``np.unique``
    on large integer or text arrays with numpy 2.4).

    >>> sorted_unique(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(values)
    if ordered.size < 2:
        return ordered
    keep = np.empty(ordered.size, dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


@dataclass(frozen=True, eq=False)
class ChildSets:
    """Per-row child sets for child-level counting: what makes merging chunks exact.

    ``den[key]`` and ``num[key]`` are child codes into ``labels`` (this chunk's
    child id labels). Merging converts codes to labels and takes unions, so a
    child that appears in two chunks still counts once.
    """

    labels: npt.NDArray[np.object_]
    den: Mapping[Key, npt.NDArray[np.int64]]
    num: Mapping[Key, npt.NDArray[np.int64]]

    def label_sets(self, key: Key) -> tuple[npt.NDArray[np.str_], npt.NDArray[np.str_]]:
        """Sorted unique child labels (denominator, numerator) of one row."""
        empty = np.empty(0, dtype=np.int64)
        den = self.labels[self.den.get(key, empty)].astype(str)
        num = self.labels[self.num.get(key, empty)].astype(str)
        return sorted_unique(den), sorted_unique(num)


def _union_sets(parts: Sequence[ChildSets], keys: Sequence[Key]) -> tuple[npt.NDArray[np.str_], npt.NDArray[np.str_]]:
    """The union, over chunks and rows, of the child labels (denominator, numerator)."""
    pairs = [p.label_sets(key) for p in parts for key in keys]
    empty = np.empty(0, dtype=str)
    den = sorted_unique(np.concatenate([empty, *(d for d, _ in pairs)]))
    num = sorted_unique(np.concatenate([empty, *(n for _, n in pairs)]))
    return den, num


def _sets_from_labels(per_key: Mapping[Key, tuple[npt.NDArray[np.str_], npt.NDArray[np.str_]]]) -> ChildSets:
    """ChildSets over one shared label array, from per-row label arrays."""
    all_labels = [arr for pair in per_key.values() for arr in pair]
    labels = sorted_unique(np.concatenate(all_labels)) if all_labels else np.empty(0, dtype=str)
    den = {k: np.searchsorted(labels, d).astype(np.int64) for k, (d, _) in per_key.items()}
    num = {k: np.searchsorted(labels, n).astype(np.int64) for k, (_, n) in per_key.items()}
    return ChildSets(labels.astype(object), den, num)


class ResultTable:
    """The rows of one indicator computed over one period, with one grouping.

    Iterate over it, index it, or look a row up by its keys::

        table.get(month="2009-01")              # a Result
        table.total()                           # the whole period as one Result
        table.cases(which="breaches", month="2009-01")   # the records behind a row
        table + other_chunk                     # an exact merge

    ``by`` lists the grouping keys; a time key (``month``, ``quarter`` or
    ``year``) comes first in each row key, then the extra columns in the order
    given.
    """

    def __init__(
        self,
        indicator: Indicator,
        period: Period,
        by: tuple[str, ...],
        rows: Sequence[Result],
        *,
        target: Fraction | None,
        rule: RagRule | None,
        settings: Mapping[str, str],
        children: ChildSets | None = None,
        sources: Sequence[CaseSource] = (),
        outside: Mapping[str, int] | None = None,
        counted_records: int | None = None,
        warnings: Sequence[str] = (),
        child_ids: Any = None,
    ) -> None:
        self.indicator = indicator
        #: what the engine found about the records that the figure cannot show (no review dates ...)
        self.warnings = tuple(dict.fromkeys(warnings))
        # a repeat measure (D3, C1) judges each record against the child's other records: the children it
        # saw (a Labels, or their ids), so that chunks sharing a child are refused rather than merged wrongly
        self._child_ids = child_ids
        self.period = period
        self.by = tuple(by)
        self.rows: tuple[Result, ...] = tuple(rows)
        self.target = target
        self.rule = rule
        self.settings = dict(settings)
        self._children = children
        self._sources = tuple(sources)
        self._index = {r.key: i for i, r in enumerate(self.rows)}
        #: a snapshot (D5, D6): the whole period is the rows of its last window (see the module docstring)
        self.snapshot = indicator.population == "open_at_end"
        reasons = SNAPSHOT_REASONS if self.snapshot else OUTSIDE_REASONS
        self.outside = {reason: int((outside or {}).get(reason, 0)) for reason in reasons}
        if counted_records is None:
            if indicator.counting == "child":
                raise CasetimeError("a ResultTable that counts children needs counted_records (records, not children)")
            counted_records = sum(r.denominator for r in self._final_rows())
        self.counted_records = int(counted_records)

    def _final_rows(self) -> tuple[Result, ...]:
        """The rows the whole period adds up: every row, or for a snapshot those of the last window."""
        if not self.snapshot:
            return self.rows
        return tuple(r for r in self.rows if r.period.end == self.period.end)

    # -- access ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Result]:
        return iter(self.rows)

    def __getitem__(self, index: int) -> Result:
        return self.rows[index]

    @property
    def keys(self) -> list[Key]:
        """The row keys, in row order."""
        return [r.key for r in self.rows]

    def get(self, **keys: Any) -> Result:
        """The one row whose keys match (``get(month="2009-01", team="North")``).

        With no grouping, ``get()`` is the single row.
        """
        found = [r for r in self.rows if all(r.get(k) == v for k, v in keys.items())] if keys else list(self.rows)
        if len(found) != 1:
            shown = ", ".join(f"{k}={v!r}" for k, v in keys.items()) or "no keys"
            raise KeyError(f"{len(found)} rows match {shown} (keys: {', '.join(self.by) or 'none'})")
        return found[0]

    def total(self) -> Result:
        """The whole period as one row: counts added up (children counted once across rows), with the
        records placed in no row of the period among those left out. For a snapshot (D5, D6), the rows
        of the last window: the position at the period's end."""
        return self._added(self._final_rows(), self.period, (), self._left_out())

    def _added(self, rows: Sequence[Result], period: Period, key: Key, left: Mapping[str, int]) -> Result:
        """``rows`` as one row over ``period``: counts added up, children counted once across them."""
        nums = sum(r.numerator for r in rows)
        dens = sum(r.denominator for r in rows)
        if self.indicator.counting == "child" and self._children is not None:
            den_labels, num_labels = _union_sets([self._children], [r.key for r in rows])
            dens, nums = int(den_labels.size), int(num_labels.size)
        return Result(
            indicator=self.indicator.id,
            title=self.indicator.heading,
            period=period,
            key=key,
            numerator=nums,
            denominator=dens,
            left_out=left,
            target=self.target,
            polarity=self.indicator.polarity,
            counting=self.indicator.counting,
            rule=self.rule,
            **_banding(self.indicator, rows),
        )

    def year_to_date(self) -> list[Result] | None:
        """Each time row's running figure from the period's start to the row's end (the year to date, for a
        financial year by month), exactly as :meth:`total` adds rows up: children counted once. ``None``
        when the rows are not one time unit alone (``by="month"``, ``"quarter"`` or ``"year"``), or for a
        snapshot (D5, D6), whose rows are positions, not counts to add up.

        >>> from casetime import compute, load
        >>> frame = {"child_id": ["A", "B", "C"], "referral_date": ["2008-04-01", "2008-04-10", "2008-05-01"],
        ...          "completion_date": ["2008-04-07", "2008-04-30", "2008-05-06"]}
        >>> table = compute("NI59", load(frame, record_type="ia"), "2008/09 Q1", by="month")
        >>> [(r.display, r.numerator, r.denominator) for r in table.year_to_date()]
        [('50.0', 1, 2), ('66.7', 2, 3), ('66.7', 2, 3)]
        """
        if self.snapshot or len(self.by) != 1 or self.by[0] not in TIME_UNITS:
            return None
        out = []
        left: dict[str, int] = {}
        for i, row in enumerate(self.rows):
            for reason, n in row.left_out.items():
                left[reason] = left.get(reason, 0) + n
            out.append(self._added(self.rows[: i + 1], Period(self.period.start, row.period.end), row.key, dict(left)))
        return out

    @property
    def population(self) -> int:
        """Every record the indicator looked at: those counted and those left out, whatever the reason."""
        return self.counted_records + sum(self._left_out().values())

    def _left_out(self) -> dict[str, int]:
        """The whole period's records left out, by reason (no child sets needed)."""
        rows = self._final_rows()
        left = {reason: sum(r.left_out.get(reason, 0) for r in rows) for reason in _row_reasons(rows)}
        left.update(self.outside)
        return left

    def reconciliation(self) -> dict[str, int]:
        """``population == counted + left out``, by reason (records, also when children are counted).

        >>> from casetime.tables import Table
        >>> from casetime.indicators import NI59
        >>> from casetime.engine import compute
        >>> ia = Table.from_columns("ia", {"child_id": ["A", "B", "C"],
        ...     "referral_date": ["2009-01-05", "2009-01-06", "2010-06-01"],
        ...     "completion_date": ["2009-01-08", None, "2010-06-02"]})
        >>> compute(NI59, ia, "2008/09").reconciliation()
        {'population': 3, 'counted': 1, 'still_open': 1, 'clock_stop_outside_period': 1}
        """
        out = {"population": self.population, "counted": self.counted_records}
        out.update({k: v for k, v in self._left_out().items() if v})
        return out

    # -- merging -------------------------------------------------------------------------

    def _check_mergeable(self, other: ResultTable) -> None:
        problems = []
        if self.indicator != other.indicator:
            problems.append(f"indicator {self.indicator} vs {other.indicator}")
        if self.period != other.period:
            problems.append(f"period {self.period.label} vs {other.period.label}")
        if self.by != other.by:
            problems.append(f"grouping {self.by} vs {other.by}")
        if self.target != other.target:
            problems.append(f"target {self.target} vs {other.target}")
        if self.settings != other.settings:
            problems.append(f"settings {self.settings} vs {other.settings}")
        if problems:
            raise MergeError("cannot merge results computed differently: " + "; ".join(problems))

    def _ids(self) -> npt.NDArray[Any] | None:
        ids = self._child_ids
        if ids is None:
            return None
        codes = getattr(ids, "codes", None)
        if codes is None:  # ids already
            return np.asarray(ids, dtype=object)
        present = sorted_unique(codes[codes >= 0])  # (a table taken from another keeps all its labels)
        out: npt.NDArray[Any] = np.asarray(ids.labels, dtype=object)[present]
        return out

    def merge(self, *others: ResultTable) -> ResultTable:
        """The exact result of the union of the chunks (rows with the same keys add up).

        Children are counted once even when they appear in several chunks.
        The chunks must be disjoint sets of records (split an extract, do not
        duplicate it). A repeat measure (D3, C1) needs each child's records in one chunk, since a
        record is judged against the child's earlier ones: chunks that share a child are refused.
        """
        tables = (self, *others)
        for other in others:
            if not isinstance(other, ResultTable):
                raise MergeError(f"cannot merge a ResultTable with {type(other).__name__}")
            self._check_mergeable(other)
        ids: npt.NDArray[Any] | None = None
        if self.indicator.kind == "repeats":
            seen = [t._ids() for t in tables]
            if all(x is not None for x in seen):
                id_parts = [sorted_unique(x.astype(str)) for x in seen if x is not None]
                together = np.concatenate([np.empty(0, dtype=str), *id_parts])
                ids = sorted_unique(together)
                shared = together.size - ids.size
                if shared:
                    raise MergeError(
                        f"{self.indicator.id} judges each record against the child's earlier ones, and these chunks "
                        f"share {shared:,} child(ren): compute on chunks that each hold whole children"
                    )
        by_key: dict[Key, list[Result]] = {}
        for table in tables:
            for row in table.rows:
                by_key.setdefault(row.key, []).append(row)
        order = sorted(by_key, key=lambda k: _sort_key(k, by_key[k][0].period))
        child_parts = [t._children for t in tables if t._children is not None]
        child_level = self.indicator.counting == "child"
        per_key: dict[Key, tuple[npt.NDArray[np.str_], npt.NDArray[np.str_]]] = {}
        rows = []
        for key in order:
            parts = by_key[key]
            num = sum(p.numerator for p in parts)
            den = sum(p.denominator for p in parts)
            if child_level:
                den_l, num_l = _union_sets(child_parts, [key])
                per_key[key] = (den_l, num_l)
                den, num = int(den_l.size), int(num_l.size)
            left = {reason: sum(p.left_out.get(reason, 0) for p in parts) for reason in _row_reasons(parts)}
            first = parts[0]
            rows.append(
                Result(
                    indicator=first.indicator, title=first.title, period=first.period, key=key, numerator=num,
                    denominator=den, left_out=left, target=self.target, polarity=first.polarity,
                    counting=first.counting, rule=self.rule, **_banding(self.indicator, parts),
                )
            )  # fmt: skip
        children = _sets_from_labels(per_key) if child_level else None
        return ResultTable(
            self.indicator,
            self.period,
            self.by,
            rows,
            target=self.target,
            rule=self.rule,
            settings=self.settings,
            children=children,
            sources=[s for t in tables for s in t._sources],
            outside={reason: sum(t.outside[reason] for t in tables) for reason in self.outside},
            counted_records=sum(t.counted_records for t in tables),
            warnings=[w for t in tables for w in t.warnings],
            child_ids=ids,
        )

    def __add__(self, other: object) -> ResultTable:
        if not isinstance(other, ResultTable):
            return NotImplemented
        return self.merge(other)

    def __radd__(self, other: object) -> ResultTable:
        if other == 0:  # sum() starts from 0
            return self
        if not isinstance(other, ResultTable):
            return NotImplemented
        return other.merge(self)

    # -- the records behind the numbers --------------------------------------------------------

    def cases(self, which: str = "all", **keys: Any) -> CaseTable:
        """The record-level outcomes behind the rows (personal data: only when asked).

        ``which``: ``"all"`` (every record placed in a row, left-out ones with
        their reason), ``"denominator"``, ``"numerator"``, ``"breaches"`` (in the
        denominator and on the wrong side of the limit for the polarity:
        not within the limit for NI59/NI60, lasting 2 years or more for NI64)
        or ``"left_out"``. ``keys`` narrow to rows (``month="2009-01"``).
        """
        if which not in CASE_FILTERS:
            raise CasetimeError(f"which must be one of {', '.join(CASE_FILTERS)}, not {which!r}")
        unknown = [k for k in keys if k not in self.by]
        if unknown:
            raise CasetimeError(
                f"unknown key(s) {', '.join(unknown)}; this result is grouped by {self.by or 'nothing'}"
            )
        if not self._sources:
            raise CasetimeError("this result holds no records to list (see without_records())")
        parts = [source.cases(which, keys) for source in self._sources]
        return CaseTable.concat(parts) if len(parts) > 1 else parts[0]

    def without_records(self) -> ResultTable:
        """A copy that holds no reference to the records (smaller to keep, pickle or send; no :meth:`cases`)."""
        return ResultTable(
            self.indicator,
            self.period,
            self.by,
            self.rows,
            target=self.target,
            rule=self.rule,
            settings=self.settings,
            children=self._children,
            outside=self.outside,
            counted_records=self.counted_records,
            warnings=self.warnings,
            child_ids=self._ids(),
        )

    def compare(self, area: str | int, *, model: int = 2025) -> Beside:
        """This result's whole-period figure beside DfE's published figures for a council (code, number or name):
        the council's own published figure, its region's and England's for every published year, the quartile
        among councils and the statistical neighbours (``model``: 2025 or 2021). Your figure and the published
        ones stay apart (:class:`Beside`).

        >>> from casetime.tables import Table
        >>> from casetime.engine import compute
        >>> referrals = Table.from_columns("referral", {"child_id": ["A", "A", "B", "C"],
        ...     "referral_date": ["2023-05-01", "2024-01-10", "2023-06-01", "2023-07-01"]})
        >>> beside = compute("C1", referrals, "2023/24").compare("Barnet")
        >>> beside.own.display, beside.own_year, beside.own_quartile, str(beside.rows[-1].council.value)
        ('25.0', 2024, 4, '14.8')
        """
        from casetime.indicators import INDICATORS
        from casetime.published import MEASURES, compare, find_area, quartile_of, years

        if self.indicator.published is None:
            have = ", ".join(i.id for i in INDICATORS.values() if i.published is not None)
            raise CasetimeError(f"{self.indicator.id} has no published counterpart (those with one: {have})")
        code = self.indicator.published.code
        place = find_area(area)
        published_years = [y for y in years(code) if place.first_year <= y <= place.last_year]
        rows = tuple(compare(code, y, place, model=model) for y in published_years)
        own = self.total()
        p = self.period
        ending = p.start.year + 1 if p.start.month >= 4 else p.start.year  # the year ending 31 March holding the start
        within_one = p.end <= _dt.date(ending, 3, 31)
        own_year = ending if within_one and ending in published_years else None
        whole = p.start == _dt.date(ending - 1, 4, 1) and p.end == _dt.date(ending, 3, 31)
        quartile = None
        if own_year is not None and whole and own.display_value is not None:
            # placed as published, at one decimal place: a figure shown as 17.7 falls where a published 17.7 does
            quartile = quartile_of(own.display_value, code, own_year)
        return Beside(self.indicator.id, MEASURES[code], place, own, own_year, quartile, rows)

    def breaches(self, **keys: Any) -> CaseTable:
        """The cases that count against the target (``cases("breaches", ...)``)."""
        return self.cases("breaches", **keys)

    # -- output ------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the definition, the period, the settings and the rows."""
        ind = self.indicator
        return {
            "indicator": {
                "id": ind.id,
                "title": ind.heading,
                "record_type": ind.record_type,
                "clock": [ind.clock_start, ind.clock_stop],
                "kind": ind.kind,
                "limit": ind.limit if isinstance(ind.limit, int) else str(ind.limit),
                "limits": [
                    {"from": None if r.start is None else r.start.isoformat(), "limit": r.limit, "source": r.source}
                    for r in ind.schedule.rows
                ],
                "unit": ind.unit,
                "comparison": ind.comparison,
                "population": ind.population,
                "counting": ind.counting,
                "polarity": ind.polarity,
                **({} if ind.bands is None else {"bands": _bands_dict(ind.bands)}),
            },
            "period": self.period.to_dict(),
            "by": list(self.by),
            "target": None if self.target is None else float(self.target),
            "settings": dict(self.settings),
            "rows": [r.to_dict() for r in self.rows],
            "reconciliation": self.reconciliation(),
        }

    def _columns(self) -> list[str]:
        bands = self.indicator.bands
        shown = [] if bands is None else [*bands.labels, *(["median"] if bands.percentiles else [])]
        return [*self.by, *shown, "numerator", "denominator", "value", "status", "left out"]

    def _cells(self, row: Result) -> list[str]:
        keys = [key_text(v) for _, v in row.key]
        left = ", ".join(f"{k} {v}" for k, v in row.left_out.items() if v)
        bands = [str(n) for _, n in row.bands or ()]
        if row.distribution is not None:
            bands.append(_fmt_number(row.percentile(50)) or "-")
        return [*keys, *bands, str(row.numerator), str(row.denominator), row.display or "-", row.status or "-", left]

    def _header(self) -> list[str]:
        ind = self.indicator
        target = "no target" if self.target is None else f"target {_fmt_number(self.target)}%"
        better = f"{ind.polarity} is better"
        lines = [f"{ind.id}: {ind.heading}"]
        grouping = f", by {', '.join(self.by)}" if self.by else ""
        lines.append(
            f"period {self.period.label} ({self.period.start}..{self.period.end}){grouping}; "
            f"{target} ({better}); counting {'children' if ind.counting == 'child' else 'records'}"
        )
        if ind.unit == "working_days":
            lines.append(f"working days: {self.settings.get('calendar')}, convention {self.settings.get('convention')}")
        return lines

    def __repr__(self) -> str:
        cells = [self._cells(r) for r in self.rows]
        bands = self.indicator.bands
        right = {"numerator", "denominator", "value", "median", *(() if bands is None else bands.labels)}
        lines = self._header() + fixed_width(self._columns(), cells, right=right)
        if not cells:
            lines.append("(no rows)")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from casetime.charts import rag_badge

        columns = self._columns()
        at = columns.index("status")
        rows: list[list[object]] = []
        for row in self.rows:
            cells: list[object] = list(self._cells(row))
            cells[at] = rag_badge(row.status)  # (RAG in colour and in words, as in the report)
            rows.append(cells)
        return html_table(
            columns,
            rows,
            caption=self._header(),
            attributes=" class='casetime-result'",
            caption_attributes=" style='text-align:left'",
        )

    def _frame(self) -> tuple[list[str], dict[str, list[Any]], set[str]]:
        """The rows as columns of Python values (dates as dates), and which columns are counts."""
        records = []
        for row in self.rows:
            d = row.to_dict()
            rec: dict[str, Any] = {k: d[k] for k in self.by}
            rec.update({"start": row.period.start, "end": row.period.end})
            rec.update({k: d[k] for k in ("numerator", "denominator", "value", "display")})
            rec.update({"target": d["target"], "status": d["status"]})
            rec.update({f"left_out_{k}": v for k, v in row.left_out.items()})
            rec.update(row.band_counts)
            if row.bands is not None:
                rec["total"] = row.total_records
            for name, q in zip(("p25", "median", "p75"), row.quartiles, strict=True):
                rec[name] = None if q is None else float(q)
            records.append(rec)
        columns = [*self.by, "start", "end", "numerator", "denominator", "value", "display", "target", "status"]
        counts = {"numerator", "denominator"}
        reasons = [f"left_out_{k}" for k in _row_reasons(self.rows)]
        columns += reasons
        counts.update(reasons)
        bands = self.indicator.bands
        if bands is not None:
            columns += [*bands.labels, "total", *(["p25", "median", "p75"] if bands.percentiles else [])]
            counts.update([*bands.labels, "total"])
        data = {name: [rec.get(name) for rec in records] for name in columns}
        for name in counts:  # (a reason a row does not have is none of its records)
            data[name] = [0 if v is None else int(v) for v in data[name]]
        return columns, data, counts

    def to_pandas(self) -> Any:
        """The rows as a ``pandas.DataFrame`` (pandas is imported only here).

        Columns: the keys, ``start``, ``end`` (dates, ``datetime64``), ``numerator``, ``denominator``
        (counts, ``Int64``), ``value`` (float, NaN when missing), ``display``, ``target``, ``status``
        and ``left_out_<reason>`` for each reason (``Int64``); a band measure adds a column per band
        (its label) and ``total`` (``Int64``) and, for working-day bands, ``p25``, ``median`` and ``p75``.
        """
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the environment
            raise CasetimeError("to_pandas() needs pandas: pip install pandas") from None
        columns, data, counts = self._frame()
        frame = pd.DataFrame({name: data[name] for name in columns}, columns=columns)
        frame["value"] = frame["value"].astype("float64")
        for name in counts:
            frame[name] = frame[name].astype("Int64")
        for name in ("start", "end"):  # real dates, not text
            frame[name] = pd.to_datetime(frame[name]).astype("datetime64[s]")
        return frame

    def to_polars(self) -> Any:
        """The rows as a ``polars.DataFrame``, the columns of :meth:`to_pandas` (dates as ``Date``, counts as
        ``Int64``; polars is imported only here)."""
        try:
            import polars as pl
        except ImportError:  # pragma: no cover - depends on the environment
            raise CasetimeError("to_polars() needs polars: pip install polars") from None
        columns, data, counts = self._frame()
        schema: dict[str, Any] = {name: pl.Int64 for name in counts}
        schema.update({"start": pl.Date, "end": pl.Date, "value": pl.Float64, "target": pl.Float64})
        schema.update({k: pl.Utf8 for k in (*self.by, "display", "status")})
        for name in ("p25", "median", "p75"):
            if name in data:
                schema[name] = pl.Float64
        by_key = {k: [None if v is None else str(v) for v in data[k]] for k in self.by}
        return pl.DataFrame({**data, **by_key}, schema={name: schema.get(name, pl.Utf8) for name in columns})

    def plot(self) -> Chart:
        """The chart the HTML report draws for these rows (inline SVG, shown in a notebook; no plotting library
        needed): bars coloured by RAG, the target, the year to date by month; small charts per group by time
        and a group."""
        from casetime.charts import Bar, indicator_chart, target_mark

        bars = []
        for row in self.rows:
            label = " / ".join(key_text(v) for _, v in row.key) if row.key else str(row.period.label)
            value = None if row.value is None else float(row.value)
            note = "no cases" if row.display is None else f"{row.display}% ({row.numerator:,} of {row.denominator:,})"
            bars.append(Bar(label, value, row.status, note))
        keys = [[key_text(v) for _, v in row.key] if row.key else None for row in self.rows]
        marks = [] if self.target is None else [target_mark(float(self.target))]
        running = self.year_to_date()
        ytd = None if running is None else [None if r.value is None else float(r.value) for r in running]
        label = f"{self.indicator.id} by {' / '.join(self.by) or 'period'}"
        svg = indicator_chart(bars, keys, self.by, marks=marks, year_to_date=ytd, label=label)
        return Chart(svg, title=f"{self.indicator.id}: {self.indicator.heading}")


class Chart:
    """An SVG chart: a notebook shows it inline; ``str(chart)`` (or :attr:`svg`) is the SVG to save or embed."""

    def __init__(self, svg: str, *, title: str = "") -> None:
        self.svg = svg
        self.title = title

    def __str__(self) -> str:
        return self.svg

    def __repr__(self) -> str:
        return f"<Chart {self.title}: {len(self.svg):,} characters of SVG>"

    def _repr_html_(self) -> str:
        return f'<figure style="margin:0"><figcaption>{html_escape(self.title)}</figcaption>{self.svg}</figure>'

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the chart as a standalone ``.svg`` file (or, for a name ending ``.html``, a page holding it)."""
        from casetime.cells import replace_file

        text = self.svg
        if str(path).lower().endswith((".html", ".htm")):
            text = f'<!DOCTYPE html><html lang="en"><meta charset="utf-8"><body>{self._repr_html_()}</body></html>\n'
        else:
            text = text.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
        with replace_file(path) as handle:
            handle.write(text)


@dataclass(frozen=True)
class Beside:
    """Your own figure beside DfE's published ones, for one measure and council (:meth:`ResultTable.compare`).

    ``own`` is computed by casetime from your records (the whole period); ``rows`` are published by
    DfE (one :class:`casetime.published.Comparison` per year: the council's published figure, its
    region's, England's, the quartiles among councils and the statistical neighbours). They are never
    mixed into one number. ``own_year`` is the published year (ending 31 March) your period lies in, if
    it lies in one; ``own_quartile`` says where your figure, at the published precision (one decimal
    place), would fall among the councils' published figures of that year, when your period is that
    whole financial year.
    """

    indicator: str
    measure: PublishedMeasure
    area: Area
    own: Result
    own_year: int | None
    own_quartile: int | None
    rows: tuple[Comparison, ...]  # one per published year

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: your figure (computed) and the published rows, each labelled as what it is."""

        def num(value: Any) -> float | None:
            return None if value is None else float(value)

        from casetime.published import ATTRIBUTION

        return {
            "indicator": self.indicator,
            "published_measure": self.measure.code,
            "area": {"code": self.area.code, "name": self.area.name, "region": self.area.region},
            "own": {
                "computed_from": "your records",
                "period": self.own.period.label,
                "value": num(self.own.value),
                "display": self.own.display,
                "numerator": self.own.numerator,
                "denominator": self.own.denominator,
                "year": self.own_year,
                "year_label": None if self.own_year is None else FinancialYear(self.own_year - 1).label,
                "quartile": self.own_quartile,
            },
            "published": [
                {
                    "year": c.year,
                    "label": FinancialYear(c.year - 1).label,
                    "council": num(c.council.value),
                    "council_suppression": c.council.suppression,
                    "region": num(c.region.value),
                    "region_name": c.region.area_name,
                    "england": num(c.england.value),
                    "quartile": c.quartile,
                    "quartile_bounds": [num(c.quartiles.lower), num(c.quartiles.median), num(c.quartiles.upper)],
                    "neighbours_mean": num(c.neighbour_mean),
                    "neighbours": c.neighbour_count,
                }
                for c in self.rows
            ],
            "attribution": ATTRIBUTION,
        }

    def _table(self) -> tuple[list[str], list[list[str]]]:
        def text(value: Any) -> str:
            return "-" if value is None else f"{value}"

        names = ["year", self.area.name, "region", "England", "quartile (1 best)", "neighbours' mean"]
        rows = []
        for c in self.rows:
            mean = "-" if c.neighbour_mean is None else str(round_half_away(c.neighbour_mean, 1))
            council = text(c.council.value) if c.council.value is not None else (c.council.suppression or "-")
            rows.append([FinancialYear(c.year - 1).label, council, text(c.region.value), text(c.england.value),
                         text(c.quartile), f"{mean} ({c.neighbour_count})"])  # fmt: skip
        return names, rows

    def _own_line(self) -> str:
        shown = "no cases" if self.own.display is None else f"{self.own.display}%"
        where = ""
        if self.own_quartile is not None and self.own_year is not None:
            where = f"; among councils' published {FinancialYear(self.own_year - 1).label} figures: quartile "
            where += f"{self.own_quartile} (1 best)"
        return f"your figure (computed from your records): {shown} in {self.own.period.label}{where}"

    def __repr__(self) -> str:
        names, rows = self._table()
        lines = [
            f"{self.indicator} beside DfE's published {self.measure.code} ({self.measure.title})",
            self._own_line(),
        ]
        lines.append("published by DfE (year ending 31 March):")
        lines += fixed_width(names, rows)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        names, rows = self._table()
        return html_table(names, rows, caption=[f"{self.indicator} beside DfE's {self.measure.code}", self._own_line()])


def _bands_dict(bands: Any) -> dict[str, Any]:
    return {"name": bands.name, "labels": list(bands.labels), "share": list(bands.share)}


def _row_reasons(rows: Sequence[Result]) -> list[str]:
    """The row reasons the rows have: the common ones, and a kind's own (``too_recent``) where present."""
    extra = [r for r in KIND_REASONS if any(r in row.left_out for row in rows)]
    return [*ROW_REASONS, *extra]


def _banding(indicator: Indicator, rows: Sequence[Result]) -> dict[str, Any]:
    """The band counts, records in no band and distribution of several rows added up (for a band measure)."""
    if indicator.bands is None:
        return {}
    labels = indicator.bands.labels
    counts = [sum(dict(r.bands or ()).get(label, 0) for r in rows) for label in labels]
    out: dict[str, Any] = {"bands": tuple(zip(labels, counts, strict=True)), "unbanded": sum(r.unbanded for r in rows)}
    if indicator.bands.percentiles:
        out["distribution"] = sum((r.distribution for r in rows if r.distribution is not None), Distribution.empty())
    return out


def _sort_key(key: Key, period: Period) -> tuple[Any, ...]:
    """Rows in date order, then by label (missing labels last)."""
    parts: list[Any] = [period.start]
    for _, value in key:
        parts.append((1, "") if value is None else (0, str(value)))
    return tuple(parts)


class Results(dict[str, ResultTable]):
    """Several indicators computed together (:func:`casetime.compute_all`): ``{id: ResultTable}``, with a
    notebook view, frames of every row, and an exact merge of the results of several parts.

    >>> from casetime import compute_all, load
    >>> frame = {"child_id": ["A", "B"], "referral_date": ["2009-01-05", "2009-01-06"],
    ...          "completion_date": ["2009-01-08", "2009-01-30"]}
    >>> results = compute_all(load(frame, record_type="ia"), "2008/09 Q4")
    >>> print(repr(results))
    NI59  50.0%  1 / 2  target 70%  red  initial assessments carried out within 7 working days of referral
    """

    def __repr__(self) -> str:
        lines = []
        for ind_id, table in self.items():
            total = table.total()
            shown = "no cases" if total.display is None else f"{total.display}%"
            target = "no target" if table.target is None else f"target {_fmt_number(table.target)}%"
            lines.append(
                f"{ind_id:<5} {shown:>6}  {total.numerator:,} / {total.denominator:,}  {target}  "
                f"{total.status or '-'}  {table.indicator.heading}"
            )
        return "\n".join(lines) or "Results()"

    def _repr_html_(self) -> str:
        from casetime.charts import rag_badge

        rows = []
        for ind_id, table in self.items():
            total = table.total()
            target = "-" if table.target is None else f"{_fmt_number(table.target)}%"
            rows.append([ind_id, table.indicator.heading, str(table.period.label),
                         "-" if total.display is None else f"{total.display}%", f"{total.numerator:,}",
                         f"{total.denominator:,}", target, rag_badge(total.status)])  # fmt: skip
        return html_table(
            ["indicator", "title", "period", "value", "numerator", "denominator", "target", "RAG"],
            rows,
            attributes=" class='casetime-results'",
        )

    def merge(self, *others: Results) -> Results:
        """The exact merge of the results of several parts of one extract (each part whole children): the same
        indicators in each."""
        for other in others:
            if set(other) != set(self):
                raise MergeError(f"the parts have different indicators: {sorted(self)} and {sorted(other)}")
        return Results({k: table.merge(*(o[k] for o in others)) for k, table in self.items()})

    def without_records(self) -> Results:
        """Every table without its record-level sources (small to keep or send; see
        :meth:`ResultTable.without_records`)."""
        return Results({k: table.without_records() for k, table in self.items()})

    def to_pandas(self) -> Any:
        """Every indicator's rows in one ``pandas.DataFrame``, with an ``indicator`` column first."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the environment
            raise CasetimeError("to_pandas() needs pandas: pip install pandas") from None
        frames = []
        for ind_id, table in self.items():
            frame = table.to_pandas()
            frame.insert(0, "indicator", ind_id)
            frames.append(frame)
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def to_polars(self) -> Any:
        """Every indicator's rows in one ``polars.DataFrame``, with an ``indicator`` column first (columns one
        indicator lacks are null)."""
        try:
            import polars as pl
        except ImportError:  # pragma: no cover - depends on the environment
            raise CasetimeError("to_polars() needs polars: pip install polars") from None
        frames = []
        for ind_id, table in self.items():
            frame = table.to_polars()
            frames.append(frame.insert_column(0, pl.Series("indicator", [ind_id] * frame.height, dtype=pl.Utf8)))
        return pl.concat(frames, how="diagonal_relaxed") if frames else pl.DataFrame()


def merge_results(tables: Sequence[ResultTable]) -> ResultTable:
    """Merge the results of several chunks (see :meth:`ResultTable.merge`)."""
    if not tables:
        raise MergeError("nothing to merge")
    first, *rest = tables
    return first.merge(*rest)


# ---------------------------------------------------------------------------
# record-level outcomes
# ---------------------------------------------------------------------------


class CaseTable:
    """Record-level outcomes as columns (numpy arrays), one row per record.

    Columns (in order): ``source``, ``row``, ``child_id``, the grouping keys, the extract's other own
    columns (a team not grouped by),
    ``clock_start``, ``clock_stop``, ``elapsed`` (working days under the named
    convention, or calendar days for year limits; NaN in the arrays, ``None`` in
    :meth:`records`, where unknown),
    ``elapsed_unit``, ``due_date`` (the last date still within the limit; for a
    year limit, the anniversary), ``over_limit`` (working days beyond the limit,
    or calendar days past the anniversary; 0 when not beyond),
    ``in_denominator``, ``in_numerator``, ``breach`` and ``reason`` (why it is
    left out, or empty).
    """

    def __init__(self, columns: Mapping[str, npt.NDArray[Any]], *, title: str = "") -> None:
        self.columns = dict(columns)
        lengths = {len(v) for v in self.columns.values()}
        if len(lengths) > 1:
            raise CasetimeError(f"columns have different lengths: {sorted(lengths)}")
        self.title = title

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def __getitem__(self, name: str) -> npt.NDArray[Any]:
        return self.columns[name]

    @property
    def names(self) -> list[str]:
        """The column names, in order."""
        return list(self.columns)

    @staticmethod
    def concat(parts: Sequence[CaseTable]) -> CaseTable:
        """Join case tables with the same columns."""
        if not parts:
            return CaseTable({})
        names = parts[0].names
        return CaseTable({n: np.concatenate([p.columns[n] for p in parts]) for n in names}, title=parts[0].title)

    def _py(self, name: str, i: int) -> Any:
        value = self.columns[name][i]
        if isinstance(value, np.datetime64):
            return None if np.isnat(value) else value.astype("M8[D]").item()
        if isinstance(value, np.floating):
            number = float(value)
            if number != number:
                return None
            return int(number) if number.is_integer() else number
        if isinstance(value, np.generic):
            return value.item()
        return value

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts of Python values (dates as :class:`datetime.date`, missing as ``None``)."""
        names = self.names
        return [{n: self._py(n, i) for n in names} for i in range(len(self))]

    def to_dict(self) -> dict[str, Any]:
        """``{"title", "columns", "rows"}`` with JSON-ready rows (dates as ISO text)."""
        rows = []
        for rec in self.records():
            rows.append({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in rec.items()})
        return {"title": self.title, "columns": self.names, "rows": rows}

    def to_pandas(self) -> Any:
        """The cases as a ``pandas.DataFrame`` (pandas is imported only here)."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the environment
            raise CasetimeError("to_pandas() needs pandas: pip install pandas") from None
        frame = pd.DataFrame({n: self.columns[n] for n in self.names})
        for name in self.names:
            col = self.columns[name]
            if col.dtype.kind == "f" and np.all(np.isnan(col) | (col == np.round(col))):
                frame[name] = frame[name].astype("Int64")  # whole numbers with missing values
        return frame

    def to_polars(self) -> Any:
        """The cases as a ``polars.DataFrame``: dates as ``Date``, whole numbers as ``Int64`` (missing as null),
        texts as ``Utf8`` (polars is imported only here)."""
        try:
            import polars as pl
        except ImportError:  # pragma: no cover - depends on the environment
            raise CasetimeError("to_polars() needs polars: pip install polars") from None
        series = []
        for name in self.names:
            col = self.columns[name]
            if col.dtype.kind == "M":
                series.append(pl.Series(name, col.astype("M8[D]"), dtype=pl.Date))
            elif col.dtype.kind == "f" and np.all(np.isnan(col) | (col == np.round(col))):
                values = [None if v != v else int(v) for v in col.tolist()]
                series.append(pl.Series(name, values, dtype=pl.Int64))
            elif col.dtype.kind == "O":
                series.append(pl.Series(name, [None if v is None else str(v) for v in col.tolist()], dtype=pl.Utf8))
            else:
                series.append(pl.Series(name, col))
        return pl.DataFrame(series)

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str | None:
        """Write the cases as CSV with spreadsheet-safe cells; returns the text when no path is given."""
        rows = [[rec[n] for n in self.names] for rec in self.to_dict()["rows"]]
        if path is None:
            return csv_text(self.names, rows)
        write_csv(path, self.names, rows)
        return None

    def _text_rows(self, limit: int) -> tuple[list[str], list[list[str]]]:
        names = self.names
        rows = []
        for rec in self.to_dict()["rows"][:limit]:
            rows.append(["" if rec[n] is None else str(rec[n]) for n in names])
        return names, rows

    def __repr__(self) -> str:
        names, rows = self._text_rows(20)
        lines = [f"{self.title}: {len(self)} case(s)" if self.title else f"{len(self)} case(s)"]
        lines += fixed_width(names, rows)
        if len(self) > len(rows):
            lines.append(f"... {len(self) - len(rows)} more")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        names, rows = self._text_rows(200)
        more = f"<p>... {len(self) - len(rows)} more (to_pandas() or to_polars() holds them all)</p>"
        return html_table(
            names,
            rows,
            caption=[f"{self.title}: {len(self)} case(s)"],
            attributes=" class='casetime-cases'",
            caption_attributes=" style='text-align:left'",
        ) + (more if len(self) > len(rows) else "")
