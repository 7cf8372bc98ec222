"""Columnar tables of case records: numpy arrays, one table per record type.

A :class:`Table` holds, for ``n`` records of one type:

- ``child``: the child ids as a :class:`Labels` column (integer codes plus labels);
- ``dates``: every date field of the type (see :mod:`casetime.schema`) as
  ``datetime64[D]``, ``NaT`` where missing or absent;
- ``extra``: any other column (team, locality ...) as :class:`Labels`, ready to group by;
- ``source`` and ``row``: where each record came from (file or frame label, and
  its row: the spreadsheet row number in a CSV, header = row 1; the 0-based
  position in a frame or dict), so every issue can be traced back;
- ``reviews``: for plans, the review dates as a ragged column ``(offsets, values)``.

>>> t = Table.from_columns("initial_assessment", {
...     "child_id": ["A", "B"], "referral_date": ["2009-01-05", "2009-01-06"],
...     "completion_date": ["2009-01-14", None], "team": ["North", "South"]})
>>> len(t), t.child.values().tolist(), t.extra["team"].labels.tolist()
(2, ['A', 'B'], ['North', 'South'])
>>> t.dates["completion_date"].tolist()
[datetime.date(2009, 1, 14), None]
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from casetime._compat import as_intp
from casetime._keys import KeyPart, Part, Radix, TextPart, grid_of, merge, strings
from casetime.dates import MISSING, to_day_numbers
from casetime.errors import CasetimeError
from casetime.periods import Period, busiest_financial_year
from casetime.schema import SCHEMAS, record_type_of

__all__ = ["Labels", "Ragged", "Table", "YearChoice", "busiest_year", "cell_text", "no_dates", "zeros"]


@dataclass(frozen=True, eq=False)
class Labels:
    """A categorical column: ``codes`` (``int64``, ``-1`` = missing) into ``labels``, sorted and distinct.

    >>> lab = Labels.from_values(["b", "a", None, "b"])
    >>> lab.codes.tolist(), lab.labels.tolist(), lab.values().tolist()
    ([1, 0, -1, 1], ['a', 'b'], ['b', 'a', None, 'b'])
    """

    codes: npt.NDArray[np.int64]
    labels: npt.NDArray[np.object_]

    @classmethod
    def from_values(cls, values: Any) -> Labels:
        """Encode any 1-d sequence; ``None``/NaN/empty become missing (code -1)."""
        raw = np.asarray(values.to_numpy() if hasattr(values, "to_numpy") else values)
        if raw.dtype.kind in "iu" and raw.ndim == 1:
            # whole-number ids: the distinct numbers, then only those made text (and put in text order)
            numbers, inverse = np.unique(raw, return_inverse=True)
            texts = numbers.astype(str)
            order = np.argsort(texts, kind="stable")
            rank = np.empty(order.size, dtype=np.int64)
            rank[order] = np.arange(order.size, dtype=np.int64)
            return cls(rank[inverse.ravel()], texts[order].astype(object))
        if raw.dtype.kind in "US":
            # the fast path (CSV columns): strip, blank = missing, no Python loop
            text = np.strings.strip(raw.astype(str, copy=False).ravel())
            present = np.strings.str_len(text) > 0
        else:
            arr = raw.astype(object).ravel()
            text = np.array([_label(v) for v in arr], dtype=object) if arr.size else arr
            present = text != None  # noqa: E711 (elementwise comparison)
        codes = np.full(text.shape[0], -1, dtype=np.int64)
        if present.any():
            uniq, inv = np.unique(text[present].astype(str), return_inverse=True)
            codes[present] = inv
            labels = uniq.astype(object)
        else:
            labels = np.empty(0, dtype=object)
        return cls(codes, labels)

    @classmethod
    def deferred(cls, codes: npt.NDArray[np.int64], make: Callable[[], npt.NDArray[np.object_]]) -> Labels:
        """Labels whose texts ``make()`` returns when ``labels`` is first read (once; the codes are ready now).

        Millions of Python strings cost more than sorting them, and counting by child needs only
        the codes. ``take`` keeps the deferral; pickling or copying reads the labels first, so what
        travels is plain :class:`Labels`.

        >>> lab = Labels.deferred(np.array([1, 0, 1]), lambda: np.array(["a", "b"], dtype=object))
        >>> lab.values().tolist()
        ['b', 'a', 'b']
        """
        return cls._made(codes, make=make)

    @classmethod
    def from_texts(cls, codes: npt.NDArray[np.int64], texts: npt.NDArray[Any], *, complete: bool = False) -> Labels:
        """Labels from codes into sorted distinct ``texts`` (``S`` holding UTF-8, or ``U``).

        The Python strings are made when ``labels`` is first read (as with :meth:`deferred`); the
        compact texts are kept, so that joining such columns (:meth:`concat`) never makes them.
        ``complete=True`` says every text is some row's (the readers know it), which spares the join
        a count.

        >>> lab = Labels.from_texts(np.array([1, -1, 0]), np.array([b"A1", b"B2"]))
        >>> "labels" in vars(lab), lab.values().tolist()
        (False, ['B2', None, 'A1'])
        """
        return cls._made(codes, make=functools.partial(strings, texts), compact=texts, complete=complete)

    @classmethod
    def _made(
        cls,
        codes: npt.NDArray[np.int64],
        *,
        labels: npt.NDArray[np.object_] | None = None,
        make: Callable[[], npt.NDArray[np.object_]] | None = None,
        compact: npt.NDArray[Any] | None = None,
        complete: bool = False,
    ) -> Labels:
        out = object.__new__(cls)
        object.__setattr__(out, "codes", codes)
        if labels is not None:
            object.__setattr__(out, "labels", labels)
        else:
            object.__setattr__(out, "_make", make)
        if compact is not None:
            object.__setattr__(out, "_compact", compact)
        if complete:
            object.__setattr__(out, "_complete", True)  # every label is some row's
        return out

    if not TYPE_CHECKING:  # (hidden from type checkers, so that a misspelt attribute is still an error)

        def __getattr__(self, name: str) -> Any:
            # only reached while a deferred ``labels`` is not yet in the instance's __dict__
            make = self.__dict__.get("_make") if name == "labels" else None
            if make is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            labels = make()
            object.__setattr__(self, "labels", labels)
            self.__dict__.pop("_make", None)
            return labels

    def compact(self) -> npt.NDArray[Any] | None:
        """The sorted distinct texts as a compact numpy array (``S`` or ``U``), where the column was built from one."""
        texts: npt.NDArray[Any] | None = self.__dict__.get("_compact")
        return texts

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.codes, self.labels))

    def values(self) -> npt.NDArray[np.object_]:
        """The labels row by row (``None`` where missing)."""
        out = np.empty(self.codes.shape[0], dtype=object)
        ok = self.codes >= 0
        out[ok] = self.labels[self.codes[ok]]
        return out

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    def take(self, index: Any) -> Labels:
        """The rows ``index`` (an integer array or boolean mask), sharing the labels (deferred ones too)."""
        if "labels" in self.__dict__:
            return Labels._made(self.codes[index], labels=self.labels, compact=self.compact())
        return Labels._made(self.codes[index], make=lambda: self.labels, compact=self.compact())

    @staticmethod
    def concat(parts: Sequence[Labels]) -> Labels:
        """Join columns whose labels may differ; the result's labels are sorted and unique.

        Only the (few) distinct labels are sorted, never the rows. Columns that hold their texts
        compactly (:meth:`from_texts`, as the readers make them) are joined without making Python
        strings: the result is deferred too.
        """
        if not parts:
            return Labels(np.empty(0, dtype=np.int64), np.empty(0, dtype=object))
        pieces: list[Part] = []
        for p in parts:
            texts = p.compact()
            if texts is not None and texts.dtype.kind == "S":
                pieces.append(KeyPart(p.codes, *_keys_of(texts), complete="_complete" in p.__dict__))
            else:
                pieces.append(TextPart(p.codes, p.labels.astype(str) if len(p.labels) else np.empty(0, "<U1")))
        codes, merged = merge(pieces)
        if merged.dtype.kind == "S":
            return Labels.from_texts(codes, merged, complete=True)
        return Labels(codes, merged.astype(object))


def _keys_of(texts: npt.NDArray[np.bytes_]) -> tuple[npt.NDArray[np.uint64], Radix]:
    """Sorted distinct texts as the keys of their own radix (sorted bytes give sorted keys)."""
    grid = grid_of(texts)
    radix = Radix.of(grid)
    return radix.encode(grid), radix


def cell_text(value: object) -> tuple[str, bool]:
    """The text of one cell of a frame or a list, and whether it is missing: every reader's one rule.

    A whole float is the whole number it holds (a frame reads an id column with blanks as floats).

    >>> cell_text(123.0), cell_text("A1"), cell_text(float("nan")), cell_text(None)
    (('123', False), ('A1', False), ('', True), ('', True))
    """
    if value is None or type(value).__name__ in ("NaTType", "NAType"):
        return "", True
    if isinstance(value, (float, np.floating)):
        if value != value:
            return "", True
        if float(value).is_integer() and abs(float(value)) < 2**53:
            return str(int(value)), False
        return str(value), False
    if isinstance(value, np.datetime64) and np.isnat(value):
        return "", True
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace"), False
    return str(value), False


def _label(value: object) -> str | None:
    text, missing = cell_text(value)
    text = text.strip()
    return None if missing or not text else text


@dataclass(frozen=True, eq=False)
class Ragged:
    """Several dates per record: record ``i`` has ``values[offsets[i]:offsets[i + 1]]``."""

    offsets: npt.NDArray[np.int64]
    values: npt.NDArray[np.datetime64]

    def take(self, index: Any) -> Ragged:
        """The rows ``index`` (an integer array or boolean mask)."""
        rows = np.arange(self.offsets.shape[0] - 1, dtype=np.int64)[index]
        starts = self.offsets[rows]
        lengths = self.offsets[rows + 1] - starts
        offsets = np.zeros(rows.shape[0] + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        # the flat positions of the kept rows' dates: each row's start, then counting up within the row
        flat = np.repeat(starts - offsets[:-1], as_intp(lengths)) + np.arange(offsets[-1], dtype=np.int64)
        return Ragged(offsets, self.values[flat].astype("M8[D]"))

    def lists(self) -> list[list[Any]]:
        """The dates per record as Python lists of :class:`datetime.date`."""
        return [self.values[a:b].tolist() for a, b in zip(self.offsets[:-1], self.offsets[1:], strict=True)]


@dataclass(frozen=True, eq=False)
class Table:
    """Records of one type as numpy columns (see the module docstring)."""

    record_type: str
    child: Labels
    dates: Mapping[str, npt.NDArray[np.datetime64]]
    extra: Mapping[str, Labels] = field(default_factory=dict)
    source: Labels | None = None
    row: npt.NDArray[np.int64] | None = None
    reviews: Ragged | None = None

    def __post_init__(self) -> None:
        n = len(self.child)
        schema = SCHEMAS[self.record_type]
        dates = dict(self.dates)
        for name in schema.dates:
            if name not in dates:
                dates[name] = no_dates(n)
        object.__setattr__(self, "dates", dates)
        if self.source is None:
            object.__setattr__(self, "source", Labels(zeros(n), np.array(["<input>"], object)))
        if self.row is None:
            object.__setattr__(self, "row", np.arange(n, dtype=np.int64))
        for name, col in dates.items():
            if col.shape != (n,):
                raise CasetimeError(f"column {name} has {col.shape[0]} rows, expected {n}")

    def __len__(self) -> int:
        return len(self.child)

    @property
    def schema(self) -> Any:
        """The :class:`~casetime.schema.RecordSchema` of this table's record type."""
        return SCHEMAS[self.record_type]

    def days(self, name: str) -> npt.NDArray[np.int64]:
        """A date column as day numbers (``int64``, :data:`~casetime.dates.MISSING` where missing)."""
        return self.dates[name].view(np.int64)

    def take(self, index: Any) -> Table:
        """The rows ``index`` (an integer array or boolean mask) as a new table."""
        assert self.source is not None
        assert self.row is not None
        return Table(
            self.record_type,
            self.child.take(index),
            {k: v[index] for k, v in self.dates.items()},
            {k: v.take(index) for k, v in self.extra.items()},
            self.source.take(index),
            self.row[index],
            None if self.reviews is None else self.reviews.take(index),
        )

    @classmethod
    def concat(cls, parts: Sequence[Table]) -> Table:
        """Join tables of the same record type (labels are merged)."""
        if not parts:
            raise CasetimeError("nothing to concatenate")
        kind = parts[0].record_type
        if any(p.record_type != kind for p in parts):
            raise CasetimeError("cannot concatenate tables of different record types")
        extra_names = sorted({k for p in parts for k in p.extra})
        extra = {}
        for name in extra_names:
            extra[name] = Labels.concat([p.extra.get(name) or _missing_labels(len(p)) for p in parts])
        reviews = None
        if any(p.reviews is not None for p in parts):
            offsets, values, base = [np.zeros(1, dtype=np.int64)], [], 0
            for p in parts:
                r = p.reviews or Ragged(np.zeros(len(p) + 1, dtype=np.int64), np.empty(0, dtype="M8[D]"))
                offsets.append(r.offsets[1:] + base)
                values.append(r.values)
                base += int(r.offsets[-1])
            reviews = Ragged(np.concatenate(offsets), np.concatenate(values).astype("M8[D]"))
        return cls(
            kind,
            Labels.concat([p.child for p in parts]),
            {k: np.concatenate([p.dates[k] for p in parts]) for k in parts[0].dates},
            extra,
            Labels.concat([p.source for p in parts if p.source is not None]),
            np.concatenate([p.row for p in parts if p.row is not None]),
            reviews,
        )

    @classmethod
    def from_columns(
        cls,
        record_type: str,
        columns: Mapping[str, Any],
        *,
        source: str = "<input>",
        rows: Any = None,
    ) -> Table:
        """A table from standard-named columns (lists or arrays of equal length).

        Date columns may be anything :func:`casetime.dates.to_day_numbers`
        accepts; columns that are not standard are kept as ``extra``.
        ``review_dates`` (plans only) is a list of lists of dates, strings
        with dates separated by ``;``, or a :class:`Ragged` (offsets and dates: no Python loop).
        Whole-number child ids (an integer array) are read without a Python call per id.

        >>> plans = Table.from_columns("cpp", {"child_id": np.array([10, 9, 10]),
        ...     "start_date": np.array(["2023-01-02"] * 3, dtype="M8[D]"),
        ...     "review_dates": Ragged(np.array([0, 1, 1, 3]), np.array(["2023-04-01", "2023-03-01", "2023-09-01"],
        ...                                                      dtype="M8[D]"))})
        >>> plans.child.values().tolist(), [len(r) for r in plans.reviews.lists()]
        (['10', '9', '10'], [1, 0, 2])
        """
        kind = record_type_of(record_type)
        schema = SCHEMAS[kind]
        if "child_id" not in columns:
            raise CasetimeError("columns must include child_id")
        child = Labels.from_values(columns["child_id"])
        n = len(child)
        dates = {}
        for name in schema.dates:
            if name in columns:
                dates[name] = to_day_numbers(columns[name]).astype(np.int64, copy=False).view("M8[D]")
        extra = {
            k: Labels.from_values(v)
            for k, v in columns.items()
            if k not in schema.columns and k not in ("record_type",)
        }
        reviews = None
        if "review_dates" in schema.ragged and "review_dates" in columns:
            given = columns["review_dates"]
            reviews = given if isinstance(given, Ragged) else _ragged_from_values(given)
            if reviews.offsets.shape[0] != n + 1:
                raise CasetimeError(f"review_dates has {reviews.offsets.shape[0] - 1} rows, expected {n}")
        src = Labels(zeros(n), np.array([source], dtype=object))
        row = np.arange(n, dtype=np.int64) if rows is None else np.asarray(rows, dtype=np.int64)
        return cls(kind, child, dates, extra, src, row, reviews)

    def to_columns(self) -> dict[str, Any]:
        """Standard-named columns as numpy arrays (ids and extras as object arrays)."""
        out: dict[str, Any] = {"child_id": self.child.values()}
        out.update({k: v.copy() for k, v in self.dates.items()})
        if self.reviews is not None:
            out["review_dates"] = self.reviews.lists()
        out.update({k: v.values() for k, v in self.extra.items()})
        return out


def no_dates(n: int) -> npt.NDArray[np.datetime64]:
    """A column of ``n`` missing dates that takes no memory (one value seen ``n`` times: read-only).

    >>> col = no_dates(3)
    >>> col.tolist(), col.flags.writeable
    ([None, None, None], False)
    """
    out: npt.NDArray[np.datetime64] = np.broadcast_to(np.array(MISSING, dtype=np.int64).view("M8[D]"), (n,))
    return out


def zeros(n: int) -> npt.NDArray[np.int64]:
    """``n`` zeros that take no memory (read-only): the codes of a table read from one source."""
    out: npt.NDArray[np.int64] = np.broadcast_to(np.zeros(1, dtype=np.int64), (n,))
    return out


def _missing_labels(n: int) -> Labels:
    return Labels(np.full(n, -1, dtype=np.int64), np.empty(0, dtype=object))


def _ragged_from_values(values: Any) -> Ragged:
    lists: list[list[Any]] = []
    for item in values:
        if item is None or (isinstance(item, float) and item != item):
            lists.append([])
        elif isinstance(item, str):
            lists.append([p.strip() for p in item.split(";") if p.strip()])
        else:
            lists.append(list(item))
    lengths = np.array([len(x) for x in lists], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    flat = [d for x in lists for d in x]
    values_arr = to_day_numbers(flat).view("M8[D]") if flat else np.empty(0, dtype="M8[D]")
    return Ragged(offsets, values_arr)


@dataclass(frozen=True)
class YearChoice:
    """The financial year holding most clock dates of some tables (:func:`busiest_year`), and why.

    ``dates`` says which dates were counted: ``"clock-stop"`` (completions, plan ends,
    conferences), or ``"clock-start"`` when no record has stopped.
    """

    period: Period  # (a financial year, unless ``reason`` says why another period)
    count: int
    total: int
    dates: str
    #: a reason that is not a count of dates (a census file's reference date), said instead
    reason: str = ""

    @property
    def note(self) -> str:
        """Why this year: ``"chosen because 94% of the 4,598 clock-stop dates fall in it"``."""
        if self.reason:
            return self.reason
        share = (200 * self.count + self.total) // (2 * self.total)  # per cent, rounded half up
        if self.total == 1:
            return f"chosen because the one {self.dates} date falls in it"
        return f"chosen because {share}% of the {self.total:,} {self.dates} dates fall in it"


def busiest_year(tables: Mapping[str, Table], within: tuple[int, int] | None = None) -> YearChoice | None:
    """The financial year holding most clock-stop dates of the tables (clock starts if none has stopped).

    One typo date (``2035-06-01``) cannot move it, as "the year of the latest date" would. ``within``
    (first and last day numbers, a calendar's coverage) leaves out the dates outside it: they are
    errors of their own, and no period can be counted there.

    >>> ia = Table.from_columns("ia", {"child_id": ["A", "B", "C"], "referral_date": ["2008-05-01"] * 3,
    ...     "completion_date": ["2008-05-06", "2008-05-09", "2035-06-01"]})
    >>> choice = busiest_year({"ia": ia})
    >>> choice.period.label, choice.note
    ('2008/09', 'chosen because 67% of the 3 clock-stop dates fall in it')
    """
    for which, place in (("clock-stop", 1), ("clock-start", 0)):
        days = [t.days(t.schema.clock[place]) for t in tables.values()]
        found = busiest_financial_year(days, within)
        if found is not None:
            period, count, total = found
            return YearChoice(period, count, total, which)
    return None
