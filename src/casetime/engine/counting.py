"""The counting every kind shares: records placed in months (quarters, years) and groups, counted once, merged exactly.

A classifier (:mod:`casetime.engine.kinds`) gives each record an outcome class; this module
places each record in its result row with a day-to-row lookup table (by the date that defines
the population, or by its clock start while it is still open), adds the group code of its extra
columns, and counts every row and class at once with one integer ``bincount`` over
``row * classes + class``, working through the records in chunks of 65,536 so that every
temporary stays in the processor's cache. When children are counted, the distinct children of
each row are kept (:class:`RowSets`), which is what makes merging results exact.

>>> from casetime.periods import Quarter
>>> offset, lut, buckets = bucket_table(Quarter(2008, 3), "month", 6)
>>> [b.label for b in buckets], int(lut[Quarter(2008, 3).first_day + offset])
(['2008-10', '2008-11', '2008-12'], 6)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from casetime._compat import as_intp
from casetime.dates import MISSING, lookup
from casetime.engine.kinds import Classifier
from casetime.periods import Period, bucket_lookup
from casetime.results import OUTSIDE_REASONS, Distribution, Key, sorted_unique
from casetime.tables import Labels, Table

__all__ = [
    "CHUNK",
    "Groups",
    "RowSets",
    "KeyedSets",
    "Histograms",
    "Counted",
    "bucket_table",
    "count",
    "groups",
    "label_order",
]

_BITMAP_LIMIT: Final = 1 << 27  # rows x children above which child sets are found by sorting
_GROUP_LIMIT: Final = 1 << 24  # count-tensor cells above which group combinations are compressed
_HIST_CAP: Final = 512  # working days counted in a dense histogram per row; longer ones are kept exactly
_HIST_DENSE: Final = 1 << 17  # rows x cap above which every value is kept as a (row, value) pair
#: Rows per chunk: temporaries stay in cache.
CHUNK: Final = 1 << 16


def bucket_table(period: Period, unit: str | None, scale: int) -> tuple[int, npt.NDArray[np.int64], list[Period]]:
    """``(offset, lut, buckets)``: ``lut[d + offset] = (bucket + 1) * scale`` inside the period, 0 outside."""
    inner, buckets = bucket_lookup(period, unit)
    offset = max(0, 1 - period.first_day)
    lut = np.zeros(period.last_day + offset + 2, dtype=np.int64)
    lut[period.first_day + offset : period.last_day + offset + 1] = (inner + 1) * scale
    return offset, lut, buckets


@dataclass(frozen=True)
class Groups:
    """Group combinations of the extra columns: a code per record, and the labels of any code."""

    columns: tuple[Labels, ...]
    codes: npt.NDArray[np.int64] | None  # None when there is one group
    combos: npt.NDArray[np.int64]  # code -> combined code (mixed radix over the columns' codes + 1)
    count: int

    def labels(self, group: int) -> tuple[str | None, ...]:
        combo = int(self.combos[group])
        parts: list[str | None] = []
        for col in self.columns:
            size = len(col.labels) + 1
            code = combo % size - 1
            combo //= size
            parts.append(None if code < 0 else str(col.labels[code]))
        return tuple(parts)


def groups(table: Table, names: tuple[str, ...], cells_per_group: int) -> Groups:
    if not names:
        return Groups((), None, np.zeros(1, dtype=np.int64), 1)
    columns = tuple(table.extra[n] for n in names)
    sizes = [len(c.labels) + 1 for c in columns]
    total = int(np.prod(sizes, dtype=np.int64))
    combined = np.zeros(len(table), dtype=np.int64)
    stride = 1
    for col, size in zip(columns, sizes, strict=True):
        combined += (col.codes + 1) * stride
        stride *= size
    if total * cells_per_group <= _GROUP_LIMIT:
        return Groups(columns, combined, np.arange(total, dtype=np.int64), total)
    combos = sorted_unique(combined)
    return Groups(columns, np.searchsorted(combos, combined).astype(np.int64), combos, len(combos))


def label_order(labels: dict[int, tuple[str | None, ...]]) -> list[int]:
    """Groups in label order, missing labels last."""
    return sorted(labels, key=lambda g: tuple((1, "") if v is None else (0, v) for v in labels[g]))


class RowSets:
    """Distinct child codes per result row, gathered chunk by chunk; unpacked on request.

    Small enough (rows x children <= 2**27): a bitmap per row, packed at the end.
    Otherwise the ``row * children + child`` pairs, sorted and made unique at the end.
    """

    def __init__(self, rows: int, nc: int) -> None:
        self.rows, self.nc = rows, nc
        self._seen: npt.NDArray[np.bool_] | None = None
        self._parts: list[npt.NDArray[np.int64]] = []
        if rows * nc <= _BITMAP_LIMIT:
            self._seen = np.zeros(rows * nc, dtype=bool)
        self._packed: npt.NDArray[np.uint8] | None = None
        self._uniq: npt.NDArray[np.int64] | None = None
        self._cuts: npt.NDArray[np.int64] | None = None
        self.counts = np.zeros(rows, dtype=np.int64)

    def add(self, pairs: npt.NDArray[np.int64]) -> None:
        if self._seen is not None:
            self._seen[pairs] = True
        else:
            self._parts.append(pairs)

    def finish(self) -> RowSets:
        if self._seen is not None:
            grid = self._seen.reshape(self.rows, self.nc)
            self.counts = np.count_nonzero(grid, axis=1).astype(np.int64)
            self._packed = np.packbits(grid, axis=1)
            self._seen = None
        else:
            self._uniq = sorted_unique(np.concatenate([np.empty(0, dtype=np.int64), *self._parts]))
            self._parts = []
            self._cuts = np.searchsorted(self._uniq, np.arange(self.rows + 1, dtype=np.int64) * self.nc)
            self.counts = np.diff(self._cuts).astype(np.int64)
        return self

    def codes(self, row: int) -> npt.NDArray[np.int64]:
        if self._packed is not None:
            return np.flatnonzero(np.unpackbits(self._packed[row], count=self.nc)).astype(np.int64)
        assert self._uniq is not None and self._cuts is not None
        return self._uniq[self._cuts[row] : self._cuts[row + 1]] - row * self.nc


class KeyedSets(Mapping[Key, npt.NDArray[np.int64]]):
    """A read-only mapping from a result row's key to its child codes (computed on access)."""

    def __init__(self, sets: RowSets, index: dict[Key, int]) -> None:
        self._sets = sets
        self._index = index

    def __getitem__(self, key: Key) -> npt.NDArray[np.int64]:
        return self._sets.codes(self._index[key])

    def __iter__(self) -> Any:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


class Histograms:
    """Working days elapsed per result row, counted chunk by chunk: exact, whatever the values.

    Values below a cap (512) are counted in one dense ``bincount`` per chunk when the rows are few;
    longer ones (and every value when the rows are many) are kept as ``row * 2**32 + value`` pairs
    and counted at the end.
    """

    def __init__(self, rows: int) -> None:
        self.rows = rows
        self._dense = np.zeros(rows * _HIST_CAP, dtype=np.int64) if rows * _HIST_CAP <= _HIST_DENSE else None
        self._pairs: list[npt.NDArray[np.int64]] = []

    def add(self, row: npt.NDArray[np.int64], values: npt.NDArray[np.int64]) -> None:
        """Count ``values`` (whole working days, >= 0) in result rows ``row``."""
        if self._dense is not None:
            small = values < _HIST_CAP
            cells = row[small] * _HIST_CAP
            cells += values[small]
            self._dense += np.bincount(as_intp(cells), minlength=self._dense.size)
            big = ~small
            if big.any():
                self._pairs.append((row[big] << 32) + values[big])
        else:
            self._pairs.append((row << 32) + values)

    def distributions(self) -> list[Distribution]:
        """One :class:`~casetime.results.Distribution` per row."""
        per_row: list[list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]] = [[] for _ in range(self.rows)]
        if self._dense is not None:
            grid = self._dense.reshape(self.rows, _HIST_CAP)
            for r in range(self.rows):
                nz = np.flatnonzero(grid[r])
                if nz.size:
                    per_row[r].append((nz.astype(np.int64), grid[r, nz]))
        if self._pairs:
            pairs = np.sort(np.concatenate(self._pairs))
            distinct = sorted_unique(pairs)
            counts = np.searchsorted(pairs, distinct, side="right") - np.searchsorted(pairs, distinct, side="left")
            rows = distinct >> 32
            cuts = np.searchsorted(rows, np.arange(self.rows + 1))
            for r in range(self.rows):
                a, b = cuts[r], cuts[r + 1]
                if b > a:
                    per_row[r].append((distinct[a:b] & 0xFFFFFFFF, counts[a:b].astype(np.int64)))
        out = []
        for parts in per_row:
            if not parts:
                out.append(Distribution.empty())
            elif len(parts) == 1:
                out.append(Distribution(*parts[0]))
            else:  # dense values are all below the cap, the pairs' all at or above it
                out.append(Distribution(np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])))
        return out


@dataclass(frozen=True, eq=False)
class Counted:
    """What :func:`count` gives: the count tensor ``[window, group, outcome]``, the child sets when children
    are counted, the records placed in no row by reason, and the working days elapsed per row (a
    kind that measures them)."""

    tensor: npt.NDArray[np.int64]
    sets: tuple[RowSets, RowSets] | None
    outside: dict[str, int]
    distributions: list[Distribution] | None


def count(
    classifier: Classifier,
    table: Table,
    errors: npt.NDArray[np.bool_] | None,
    lut: npt.NDArray[np.int64],
    lut_offset: int,
    groups: Groups,
    buckets: list[Period],
) -> Counted:
    """Count the records of ``table`` (see :class:`Counted`), placing each in its window and group.

    Works through the table in chunks of :data:`CHUNK` rows, so that every temporary array stays
    in the processor's cache and is reused. ``classifier`` must be bound to ``table``. A snapshot
    population (``"open_at_end"``) is counted once per window, at its last day.
    """
    if classifier.indicator.population == "open_at_end":
        return _count_snapshot(classifier, table, errors, groups, buckets)
    n_time = len(buckets)
    ind = classifier.indicator
    outcomes = classifier.outcomes
    k = outcomes.size
    s_all = table.days(ind.clock_start)
    e_all = table.days(ind.clock_stop)
    anchor_all = table.days(ind.anchor)
    by_stop = ind.population != "started_in_period"
    child_level = ind.counting == "child"
    child_all = table.child.codes if child_level else None
    cells = (n_time + 1) * groups.count * k
    base = groups.count * k  # keys below this are records outside the period
    counts = np.zeros(cells, dtype=np.int64)
    rows = n_time * groups.count
    nc = max(_label_count(table.child), 1)
    sets = (RowSets(rows, nc), RowSets(rows, nc)) if child_level else None
    hist = Histograms(rows) if outcomes.values else None
    counted = np.zeros(k, dtype=bool)
    counted[list(outcomes.counted)] = True
    in_numerator = np.zeros(k, dtype=bool)
    in_numerator[list(outcomes.numerator)] = True
    outside = dict.fromkeys(OUTSIDE_REASONS, 0)
    for lo in range(0, len(table), CHUNK):
        part = slice(lo, lo + CHUNK)
        s, e = s_all[part], e_all[part]
        child = None if child_all is None else child_all[part]
        classes, open_rows, values = classifier.classify(
            s, e, child, None if errors is None else errors[part], rows=part
        )
        keys = lookup(lut, anchor_all[part], lut_offset)
        if by_stop and open_rows.size:
            keys[open_rows] = lookup(lut, s[open_rows], lut_offset)
        # the records in no row are counted at the end from the tensor (its region below ``base``);
        # here only those whose placing date is missing (usually few) are told apart
        no_date = np.flatnonzero((e if by_stop else s) == MISSING)
        if no_date.size:
            no_date = no_date[keys[no_date] == 0]
            unreadable = int(np.count_nonzero(s[no_date] == MISSING)) if by_stop else int(no_date.size)
            outside["no_readable_date"] += unreadable
            if by_stop:  # no stop, and a start outside the period
                outside["open_started_outside_period"] += int(no_date.size) - unreadable
        if groups.codes is not None:
            keys += groups.codes[part] * k
        keys += classes
        counts += np.bincount(as_intp(keys), minlength=cells)
        if hist is not None and values is not None:
            measured = np.flatnonzero((values >= 0) & (keys >= base))
            hist.add(keys[measured] // k - groups.count, values[measured])
        if sets is not None and child is not None:
            placed = counted[classes]
            placed &= keys >= base
            idx = np.flatnonzero(placed)
            pair = keys[idx]
            pair //= k
            pair -= groups.count
            pair *= nc
            pair += child[idx]
            sets[0].add(pair)
            sets[1].add(pair[in_numerator[classes[idx]]])
    tensor = counts[base:].reshape(n_time, groups.count, k)
    rest = int(counts[:base].sum()) - outside["no_readable_date"] - outside["open_started_outside_period"]
    outside["clock_stop_outside_period" if by_stop else "clock_start_outside_period"] += rest
    return Counted(
        tensor,
        None if sets is None else (sets[0].finish(), sets[1].finish()),
        outside,
        None if hist is None else hist.distributions(),
    )


def _count_snapshot(
    classifier: Classifier,
    table: Table,
    errors: npt.NDArray[np.bool_] | None,
    groups: Groups,
    buckets: list[Period],
) -> Counted:
    """A snapshot: every record classified at each window's last day; the records not open at the
    period's end (the last window's) are the whole period's records in no row."""
    outcomes = classifier.outcomes
    ind = classifier.indicator
    k = outcomes.size
    s_all = table.days(ind.clock_start)
    e_all = table.days(ind.clock_stop)
    n_time = len(buckets)
    tensor = np.zeros((n_time, groups.count, k), dtype=np.int64)
    hist = Histograms(n_time * groups.count) if outcomes.values else None
    for t, window in enumerate(buckets):
        cells = tensor[t].reshape(-1)
        for lo in range(0, len(table), CHUNK):
            part = slice(lo, lo + CHUNK)
            classes, _, values = classifier.classify(
                s_all[part], e_all[part], None, None if errors is None else errors[part], rows=part,
                at=window.last_day,
            )  # fmt: skip
            keys = classes.astype(np.int64)
            if groups.codes is not None:
                keys += groups.codes[part] * k
            cells += np.bincount(as_intp(keys), minlength=cells.size)
            if hist is not None and values is not None:
                measured = np.flatnonzero(values >= 0)
                hist.add(t * groups.count + keys[measured] // k, values[measured])
    outside = dict.fromkeys(outcomes.outside.values(), 0)
    for cls, reason in outcomes.outside.items():
        outside[reason] += int(tensor[-1, :, cls].sum()) if n_time else 0
    return Counted(tensor, None, outside, None if hist is None else hist.distributions())


def _label_count(labels: Labels) -> int:
    """How many distinct labels a column has, without making deferred label texts."""
    compact = labels.compact()
    if compact is not None:
        return int(compact.shape[0])
    return len(labels.labels)
