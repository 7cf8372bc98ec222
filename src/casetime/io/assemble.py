"""The seam every reader feeds: columns of one chunk of rows in, tables and row-level issues out.

A reader (CSV, frames, and the XML and Excel readers to come) does two things only: it works out
a :class:`Layout` from its headings (:func:`layout_of`: which heading feeds which field of which
record type), and it hands its rows, chunk by chunk, to an :class:`Assembler` as a :class:`Chunk`
of columns (:mod:`casetime.io._columns`) with the rows' numbers in the source. The assembler
does everything else, the same way for every reader: it skips blank rows, splits a combined
input by its ``record_type`` column, parses dates, keys the label columns, records unreadable
dates and malformed rows as issues and rows of an unknown type as rejected rows, and at the end
builds one :class:`~casetime.tables.Table` per record type (:meth:`Assembler.finish`).

The rules it applies are :data:`INPUT_RULES` (each a :class:`~casetime.quality.Rule`, registered
with the validation rules in :data:`casetime.validation.RULES`).

>>> from casetime.io._columns import text_from_strs
>>> layout = layout_of(["child_id", "referral_date"], "ia", None, "<example>", None)
>>> assembler = Assembler(layout, "<example>", DateStyle())
>>> assembler.add(Chunk([text_from_strs(["A", "B"]), text_from_strs(["05/01/2009", "31/02/2009"])],
...                     np.arange(2, 4)))
>>> result = assembler.finish()
>>> result.tables["initial_assessment"].dates["referral_date"].tolist()
[datetime.date(2009, 1, 5), None]
>>> issue = result.issues[0]
>>> issue.rule, issue.positions.tolist(), issue.values.tolist()
('unparseable_date', [1], ['31/02/2009'])
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Final, NamedTuple

import numpy as np
import numpy.typing as npt

from casetime._compat import as_intp
from casetime._keys import Part
from casetime._memory import give_back_freed_memory
from casetime.dates import MISSING, DateStyle, day_number
from casetime.errors import CasetimeError
from casetime.io._columns import (
    CELL_LIMIT,
    ArrowText,
    Column,
    Days,
    Lists,
    as_text,
    blank_rows,
    length,
    ragged_index,
    take,
    text_array,
)
from casetime.io._labels import LabelColumn, merge_labels
from casetime.quality import ColumnsUsed, IssueSet, Notice, RejectedRows, Rule, Severity
from casetime.schema import RECORD_TYPES, SCHEMAS, ColumnError, match_columns, normalise_heading, record_type_of
from casetime.tables import Labels, Ragged, Table, no_dates, zeros

__all__ = [
    "INPUT_RULES",
    "EMPTYING_RULES",
    "type_column",
    "UNPARSEABLE_DATE",
    "TWO_DIGIT_YEAR",
    "MALFORMED_ROW",
    "UNKNOWN_RECORD_TYPE",
    "TYPE_LACKS_COLUMNS",
    "CELL_TOO_LONG",
    "CELL_LIMIT",
    "ReadResult",
    "CensusHeader",
    "NotRecords",
    "Chunk",
    "Prepared",
    "Plan",
    "Layout",
    "layout_of",
    "sole_date_columns",
    "is_nested_mapping",
    "file_keys",
    "mapping_for_source",
    "join_results",
    "unique_headings",
    "Assembler",
    "date_part",
    "DatesSeen",
    "SEEN_LIMIT",
    "ragged_part",
]

_I64 = npt.NDArray[np.int64]
_Bool = npt.NDArray[np.bool_]
_Obj = npt.NDArray[np.object_]

_TYPE_HEADING: Final = "recordtype"
_READING: Final = "casetime: found while reading the input, before any rule runs"

#: A cell that should hold a date and does not hold a real one.
UNPARSEABLE_DATE: Final = Rule(
    code="unparseable_date",
    record_types=RECORD_TYPES,
    description="a date cell that is not a real date (e.g. 31/02/2009 or text)",
    messages={
        "*": "{field} could not be read as a date (expected {forms}, a real calendar date); "
        "it is left missing, never guessed"
    },
    source=_READING,
)
#: A date cell written with a two-digit year.
TWO_DIGIT_YEAR: Final = Rule(
    code="two_digit_year",
    record_types=RECORD_TYPES,
    description="a date cell with a two-digit year (05/01/09: 2009 or 1909?)",
    messages={
        "*": "{field} has a two-digit year, which is never guessed; it is left missing: write the year in full "
        "(05/01/2009), or give the format (date_format= in Python, --date-format on the command line)"
    },
    source=_READING,
)
#: A CSV row with more or fewer fields than its header.
MALFORMED_ROW: Final = Rule(
    code="malformed_row",
    record_types=RECORD_TYPES,
    description="a CSV row with too few or too many fields",
    messages={
        "row": "the row has a different number of fields from the header; missing fields are left empty and "
        "surplus ones dropped"
    },
    source=_READING,
)
#: A row of a combined input whose record type cannot be told.
UNKNOWN_RECORD_TYPE: Final = Rule(
    code="unknown_record_type",
    record_types=RECORD_TYPES,
    description="a combined-file row whose record_type is blank or unknown",
    messages={
        "record_type": "the record_type is not a known record type (" + ", ".join(RECORD_TYPES) + "); "
        "the row is in no table"
    },
    source=_READING,
)
#: A row of a combined input whose record type needs a column the input does not have.
TYPE_LACKS_COLUMNS: Final = Rule(
    code="type_lacks_columns",
    record_types=RECORD_TYPES,
    description="a combined-file row of a record type whose required columns the file does not have",
    messages={
        "record_type": "the file has no {missing} column, which {title} rows need; the row is in no table "
        "(if the column is there under another name, map it: columns= in Python, --column TYPE.FIELD=HEADING "
        "on the command line)"
    },
    source=_READING,
)
#: A cell longer than a reader keeps (:data:`CELL_LIMIT` characters).
CELL_TOO_LONG: Final = Rule(
    code="cell_too_long",
    record_types=RECORD_TYPES,
    description=f"a cell of more than {CELL_LIMIT:,} characters (a quote left open, or a document pasted in)",
    messages={
        "*": f"{{field}} holds more than {CELL_LIMIT:,} characters, more than any value casetime reads; it is "
        "left empty (the value shown is its length)"
    },
    source=_READING,
)
#: The reading rules whose cells are held as missing: validation does not report them missing again.
EMPTYING_RULES: Final = frozenset({UNPARSEABLE_DATE.code, TWO_DIGIT_YEAR.code, CELL_TOO_LONG.code})
#: The rules the assembler applies while reading, in the order their issues are listed.
INPUT_RULES: Final = (
    UNPARSEABLE_DATE,
    TWO_DIGIT_YEAR,
    MALFORMED_ROW,
    UNKNOWN_RECORD_TYPE,
    TYPE_LACKS_COLUMNS,
    CELL_TOO_LONG,
)


class NotRecords(CasetimeError):
    """A file of a kind casetime reads that holds no records for it: XML that is not a census, a workbook
    with no sheet of records, or a workbook when its reader is not installed. In a folder such a file is
    a warning and the other files are read; named on its own, it is this error."""


@dataclass(frozen=True)
class CensusHeader:
    """What a census file's ``Header`` says: the collection, its year, the reference date and the council."""

    source: str
    collection: str | None
    year: str | None
    reference_date: _dt.date | None
    lea: str | None


class ReadResult(NamedTuple):
    """What a reader returns: tables by record type, the row-level issues, the rejected rows, and
    which heading fed which field, with the warnings about whole sources (and a census file's header)."""

    tables: dict[str, Table]
    issues: list[IssueSet]
    rejected: list[RejectedRows]
    columns: Sequence[ColumnsUsed] = ()
    notices: Sequence[Notice] = ()
    census: Sequence[CensusHeader] = ()
    #: the Ofsted Annex A workbooks read (their lists cover the six months before their latest date)
    annex_a: Sequence[str] = ()


@dataclass(frozen=True, eq=False)
class Chunk:
    """One batch of a reader's rows: a column per heading (in heading order) and each row's number.

    ``rows`` are consecutive numbers in the source (a CSV's spreadsheet rows, a frame's
    positions). ``malformed`` are the positions (in this chunk) of rows with the wrong number of
    fields, with their text. ``parts`` and ``dates`` hold label parts and date parts a reader
    already made (on a helper thread: see :meth:`Assembler.prepare`), by column.
    """

    columns: Sequence[Column]
    rows: _I64
    malformed: _I64 = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    malformed_text: _Obj = field(default_factory=lambda: np.empty(0, dtype=object))
    parts: Mapping[int, Part] = field(default_factory=dict)
    dates: Mapping[int, tuple[_I64, _I64, _Obj]] = field(default_factory=dict)
    #: cells over :data:`CELL_LIMIT` characters, emptied by the reader: by column, their positions and lengths
    long: Mapping[int, tuple[_I64, _I64]] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Prepared:
    """What :meth:`Assembler.prepare` made of a chunk ahead of :meth:`Assembler.add`: label and date parts by column."""

    parts: dict[int, Part]
    dates: dict[int, tuple[_I64, _I64, _Obj]]


#: The most distinct texts a :class:`DatesSeen` keeps (a column of date-times, nearly one text a row,
#: is read chunk by chunk without being kept).
SEEN_LIMIT: Final = 1 << 16


@dataclass(eq=False)
class DatesSeen:
    """A date column's distinct texts read in its earlier chunks, sorted, with what they read as.

    A column's chunks mostly hold the same few thousand dates: each is read once, in the chunk where
    it first occurs, and looked up in the chunks after (the same day numbers and faults as reading
    it again, since a text reads alike wherever it is), in ``style`` (the assembler's).

    >>> seen = DatesSeen(DateStyle())
    >>> for chunk in (["05/01/2009", "31/02/2009"], ["31/02/2009", "06/01/2009", "05/01/2009"]):
    ...     days, bad = seen.read(np.array(chunk))
    >>> days.astype("M8[D]").tolist()[1:], bad.tolist()
    ([datetime.date(2009, 1, 6), datetime.date(2009, 1, 5)], [True, False, False])
    >>> seen.texts.tolist()
    ['05/01/2009', '06/01/2009', '31/02/2009']
    """

    style: DateStyle
    texts: npt.NDArray[np.str_] = field(default_factory=lambda: np.empty(0, dtype="<U1"))
    days: _I64 = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    bad: _Bool = field(default_factory=lambda: np.empty(0, dtype=bool))

    def read(self, texts: npt.NDArray[np.str_]) -> tuple[_I64, _Bool]:
        """What the style reads each of ``texts`` as: day numbers (:data:`MISSING` if none), and which are no date."""
        n = texts.shape[0]
        if self.texts.size:
            at = np.minimum(np.searchsorted(self.texts, texts), self.texts.size - 1)
            known = self.texts[at] == texts
        else:
            at, known = np.zeros(n, dtype=np.intp), np.zeros(n, dtype=bool)
        if known.all():
            return self.days[at], self.bad[at]
        new = texts[~known]
        read = self.style.read(new)
        days, bad = np.empty(n, dtype=np.int64), np.empty(n, dtype=bool)
        days[known], bad[known] = self.days[at[known]], self.bad[at[known]]
        days[~known], bad[~known] = read.days, read.bad
        if self.texts.size + new.size <= SEEN_LIMIT:
            every = np.concatenate([self.texts, new])
            order = np.argsort(every, kind="stable")
            self.texts = every[order]
            self.days = np.concatenate([self.days, read.days])[order]
            self.bad = np.concatenate([self.bad, read.bad])[order]
        return days, bad


def date_part(col: Column, style: DateStyle, seen: DatesSeen | None = None) -> tuple[_I64, _I64, _Obj]:
    """Day numbers, and the positions and original text of unparseable dates (``seen``: the column's
    texts read in its earlier chunks in ``style``, to look up instead of reading again)."""
    if isinstance(col, Days):
        return col.days, np.empty(0, dtype=np.int64), np.empty(0, dtype=object)
    col = as_text(col)
    source = np.where(col.missing, "", col.uniq) if col.missing.any() else col.uniq
    days_u, bad_u = style.read(source)[:2] if seen is None else seen.read(source)
    days: _I64 = np.take(days_u, as_intp(col.codes))
    if not bad_u.any():
        return days, np.empty(0, dtype=np.int64), np.empty(0, dtype=object)
    bad = np.flatnonzero(np.take(bad_u, as_intp(col.codes))).astype(np.int64)
    return days, bad, col.uniq[col.codes[bad]].astype(object)


def ragged_part(col: Column, style: DateStyle) -> tuple[_I64, _I64, _I64, _Obj]:
    """Plan reviews: (row lengths, day numbers, positions of rows with bad dates, their text)."""
    n = length(col)
    if isinstance(col, ArrowText):
        col = col.text
    if isinstance(col, Days):
        present = col.days != MISSING
        return present.astype(np.int64), col.days[present], np.empty(0, dtype=np.int64), np.empty(0, dtype=object)
    if isinstance(col, Lists):
        days, bad, _ = date_part(col.pieces, style)
        piece_row = np.repeat(np.arange(n, dtype=np.int64), as_intp(np.diff(col.offsets)))
        keep = days != MISSING
        lengths = np.bincount(as_intp(piece_row[keep]), minlength=n).astype(np.int64)
        bad_rows = np.unique(piece_row[bad])
        texts = col.pieces.uniq[col.pieces.codes].astype(object)
        values = np.array(
            [";".join(texts[col.offsets[r] : col.offsets[r + 1]].tolist()) for r in bad_rows.tolist()], dtype=object
        )
        return lengths, days[keep], bad_rows.astype(np.int64), values
    # ";"-separated text: split each distinct text once, then gather per row
    source = np.where(col.missing, "", col.uniq) if col.missing.any() else col.uniq
    counts = (np.strings.count(source, ";") + 1).astype(np.int64)
    pieces = text_array(";".join(source.tolist()).split(";"))
    days_p, bad_p, _ = style.read(pieces)
    bounds = np.zeros(counts.shape[0] + 1, dtype=np.int64)
    np.cumsum(counts, out=bounds[1:])
    good = days_p != MISSING
    good_u = np.add.reduceat(good.astype(np.int64), as_intp(bounds[:-1])) if counts.size else np.zeros(0, np.int64)
    bad_u = np.logical_or.reduceat(bad_p, as_intp(bounds[:-1])) if counts.size else np.zeros(0, bool)
    good_bounds = np.zeros(counts.shape[0] + 1, dtype=np.int64)
    np.cumsum(good_u, out=good_bounds[1:])
    _, flat = ragged_index(good_bounds, col.codes)
    lengths = good_u[col.codes]
    bad = np.flatnonzero(bad_u[col.codes]).astype(np.int64)
    return lengths, days_p[good][flat], bad, col.uniq[col.codes[bad]].astype(object)


# ---------------------------------------------------------------------------
# which columns feed which fields
# ---------------------------------------------------------------------------


@dataclass
class Plan:
    """Which column (by position) feeds each field of one record type, and the other columns (extras)."""

    kind: str
    fields: dict[str, int]
    extras: list[tuple[str, int]] = field(default_factory=list)
    #: how each field's column was found ("mapping", "name", "alias", "words")
    how: dict[str, str] = field(default_factory=dict)
    #: ambiguities, each settled and said
    warnings: tuple[str, ...] = ()


@dataclass
class Layout:
    """How the columns of an input map to tables."""

    plans: dict[str, Plan]
    fixed: str | None
    type_col: int | None
    failures: dict[str, ColumnError]
    headings: Sequence[str] = ()


def sole_date_columns(layout: Layout) -> list[int]:
    """The columns of a one-type input that feed one date field and nothing else.

    A reader may hand such a column to the assembler as :class:`Days` where it reads every cell
    exactly as :func:`date_part` would (the pyarrow reader, for ``YYYY-MM-DD`` cells).

    >>> sole_date_columns(layout_of(["child_id", "referral_date", "team"], "ia", None, "<test>", None))
    [1]
    """
    if layout.fixed is None:
        return []
    plan = layout.plans[layout.fixed]
    uses = [*plan.fields.values(), *(i for _, i in plan.extras)]
    found = (plan.fields[name] for name in SCHEMAS[layout.fixed].dates if name in plan.fields)
    return sorted(i for i in found if uses.count(i) == 1)


def unique_headings(headings: Sequence[object]) -> list[str]:
    """Headings as text, stripped; blank ones named ``column_<n>``; repeats get ``.1``, ``.2`` ..."""
    out: list[str] = []
    seen: set[str] = set()
    for i, heading in enumerate(headings):
        name = str(heading).strip().lstrip("\ufeff").strip() or f"column_{i + 1}"
        base, k = name, 0
        while name in seen:
            k += 1
            name = f"{base}.{k}"
        seen.add(name)
        out.append(name)
    return out


def _plan(kind: str, headings: list[str], mapping: Mapping[str, str] | None, source: str, skip: int | None) -> Plan:
    found = [h for i, h in enumerate(headings) if i != skip]
    match = match_columns(kind, found, mapping, source=source)
    fields = {name: headings.index(heading) for name, heading in match.fields.items()}
    used = set(fields.values())
    extras = [(h, i) for i, h in enumerate(headings) if i not in used and i != skip]
    return Plan(kind, fields, extras, dict(match.how), match.warnings)


def type_column(headings: list[str], mapping: Mapping[str, str] | None = None) -> int | None:
    """Where the heading giving each row's record type is (``record_type``, or as ``mapping`` says), if any."""
    given = (mapping or {}).get("record_type")
    for i, heading in enumerate(headings):
        if given is not None:
            if heading == given or normalise_heading(heading) == normalise_heading(given):
                return i
        elif normalise_heading(heading) == _TYPE_HEADING:
            return i
    if given is not None:
        raise ColumnError(f"mapping says 'record_type' is column {given!r}, which is not there")
    return None


def is_nested_mapping(mapping: Mapping[str, object] | None) -> bool:
    """Whether a ``columns=`` mapping is by record type or by file (its values are mappings), not flat.

    >>> is_nested_mapping({"completion_date": "IA Completed"}), is_nested_mapping({"ia": {"completion_date": "X"}})
    (False, True)
    """
    if not mapping:
        return False
    kinds = {isinstance(v, Mapping) for v in mapping.values()}
    if kinds == {True, False}:
        raise ColumnError(
            "columns= mixes standard names and mappings: give one mapping (standard name -> heading) for every "
            "input, or one per record type or per file ({'initial_assessment': {...}, 'cpp.csv': {...}})"
        )
    return kinds == {True}


def _is_type_name(key: object) -> bool:
    try:
        record_type_of(str(key))
    except CasetimeError:
        return False
    return True


def file_keys(mapping: Mapping[str, object] | None) -> list[str]:
    """The keys of a nested ``columns=`` mapping that name files (not record types)."""
    if not is_nested_mapping(mapping):
        return []
    assert mapping is not None
    return [str(k) for k in mapping if not _is_type_name(k)]


def mapping_for_source(mapping: Mapping[str, Any] | None, source: str) -> Mapping[str, Any] | None:
    """The part of a ``columns=`` mapping for one source: its own entry (by path or file name) if it has one,
    else the entries by record type (or the flat mapping)."""
    if not is_nested_mapping(mapping):
        return mapping
    assert mapping is not None
    name = PurePath(source).name
    for key, value in mapping.items():
        if not _is_type_name(key) and str(key) in (source, name):
            return value  # type: ignore[no-any-return]
    by_type = {k: v for k, v in mapping.items() if _is_type_name(k)}
    return by_type or None


def _refuse_data_as_headings(headings: Sequence[str], source: str) -> None:
    """A first row that holds dates is data, not headings: say so without showing it (it holds child ids).

    >>> _refuse_data_as_headings(["C000123", "2009-01-05", "14/01/2009"], "ia.csv")
    Traceback (most recent call last):
    ...
    casetime.schema.ColumnError: ia.csv: the first row holds dates (2 of its 3 cells), so it is a record, ...
    """
    dated = 0
    for heading in headings:
        try:
            dated += day_number(heading.strip()) is not None
        except CasetimeError:
            continue
    if dated:
        raise ColumnError(
            f"{source}: the first row holds dates ({dated} of its {len(headings)} cells), so it is a record, not "
            "headings: the file needs a first row naming its columns (child_id, referral_date, ...); its values "
            "are not shown here, as they hold child ids"
        )


def layout_of(
    raw_headings: Sequence[object],
    record_type: str | None,
    mapping: Mapping[str, Any] | None,
    source: str,
    stem: str | None,
) -> Layout:
    """How an input's headings map to tables.

    The record type is ``record_type`` if given; else every row's own (a ``record_type``
    column); else the one the name ``stem`` says (a file named ``ia.csv``); else the one type the
    headings fit best. ``mapping`` (standard name -> heading) wins over the aliases and words; it may
    instead be by record type (``{"initial_assessment": {...}, "cpp": {...}}``) or by file (a key that
    is the source's path or file name, its value a mapping of either form).
    """
    headings = unique_headings(raw_headings)
    _refuse_data_as_headings(headings, source)
    mapping = mapping_for_source(mapping, source)
    nested = is_nested_mapping(mapping)
    flat: Mapping[str, str] | None = None if nested else mapping
    type_col = type_column(headings, flat)
    columns = {} if nested else {k: v for k, v in (flat or {}).items() if k != "record_type"}

    def own(kind: str) -> dict[str, str]:
        """The mapping for one record type: its entry of a mapping by type, or the flat mapping."""
        if not nested:
            return columns
        assert mapping is not None
        found: dict[str, Mapping[str, str]] = {record_type_of(str(k)): v for k, v in mapping.items()}
        return dict(found.get(kind, {}))

    if record_type is not None:
        kind = record_type_of(record_type)
        return Layout({kind: _plan(kind, headings, own(kind), source, type_col)}, kind, None, {}, headings)
    if type_col is not None:
        known = {c for kind in RECORD_TYPES for c in SCHEMAS[kind].columns}
        strange = [k for k in columns if k not in known]
        if strange:
            raise ColumnError(
                f"{source}: mapping names {', '.join(map(repr, strange))}, not a column of any record type"
            )
        plans: dict[str, Plan] = {}
        failures: dict[str, ColumnError] = {}
        for kind in RECORD_TYPES:
            mine = own(kind) if nested else {k: v for k, v in columns.items() if k in SCHEMAS[kind].columns}
            try:
                plans[kind] = _plan(kind, headings, mine, f"{source} ({kind} rows)", type_col)
            except ColumnError as exc:
                failures[kind] = exc
        used = {i for plan in plans.values() for i in plan.fields.values()}
        extras = [(h, i) for i, h in enumerate(headings) if i not in used and i != type_col]
        for plan in plans.values():
            plan.extras = list(extras)
        return Layout(plans, None, type_col, failures, headings)
    if stem is not None:
        try:
            kind = record_type_of(stem)
        except CasetimeError:
            pass
        else:
            return Layout({kind: _plan(kind, headings, own(kind), source, None)}, kind, None, {}, headings)
    scored: list[tuple[int, str, Plan]] = []
    for kind in RECORD_TYPES:
        if not SCHEMAS[kind].by_columns:
            continue
        try:
            plan = _plan(kind, headings, own(kind), source, None)
        except ColumnError:
            continue
        scored.append((len(plan.fields), kind, plan))
    best = max((s for s, _, _ in scored), default=0)
    top = [(kind, plan) for s, kind, plan in scored if s == best]
    if len(top) == 1:
        kind, plan = top[0]
        return Layout({kind: plan}, kind, None, {}, headings)
    found = ", ".join(headings) or "no columns"
    if not top:
        needed = "; ".join(f"{kind}: {', '.join(SCHEMAS[kind].required)}" for kind in RECORD_TYPES)
        raise ColumnError(
            f"{source}: cannot tell the record type: the file name is not a record type and the columns found "
            f"({found}) lack the required columns of every type (needed: {needed}); name the file after its "
            "type (e.g. initial_assessment.csv) or give the type (record_type= in Python, --record-type on the "
            "command line)"
        )
    raise CasetimeError(
        f"{source}: cannot tell the record type from the columns ({found}): they fit "
        f"{' and '.join(kind for kind, _ in top)} equally; give the type (record_type= in Python, "
        "--record-type on the command line)"
    )


# ---------------------------------------------------------------------------
# assembling tables from chunks
# ---------------------------------------------------------------------------


@dataclass
class _Parts:
    """What has been collected for one record type so far."""

    n: int = 0
    child: list[Part] = field(default_factory=list)
    dates: dict[str, list[_I64]] = field(default_factory=dict)
    extras: dict[str, list[Part]] = field(default_factory=dict)
    review_lengths: list[_I64] = field(default_factory=list)
    review_days: list[_I64] = field(default_factory=list)
    rows: list[_I64 | range] = field(default_factory=list)
    issues: dict[tuple[str, str], list[tuple[_I64, _Obj]]] = field(default_factory=dict)
    labels: dict[int, LabelColumn] = field(default_factory=dict)
    dates_seen: dict[str, DatesSeen] = field(default_factory=dict)

    def label_column(self, index: int, *, many: bool = False) -> LabelColumn:
        return self.labels.setdefault(index, LabelColumn(many=many))


class Assembler:
    """Collects a reader's chunks into one table per record type, with their issues (see the module docstring).

    ``source`` names the input in every issue (a file's path, ``<dataframe>``); ``style`` is how
    date text is read (day first unless told otherwise).
    """

    def __init__(self, layout: Layout, source: str, style: DateStyle) -> None:
        self.layout = layout
        self.source = source
        self.style = style
        self.parts = {kind: _Parts() for kind in ([layout.fixed] if layout.fixed else [])}
        #: rows in no table, by (rule code, message): their row numbers and record type text
        self.rejected: dict[tuple[str, str], tuple[list[_I64], list[_Obj]]] = {}

    def prepare(self, columns: Sequence[Column]) -> Prepared:
        """A chunk's child ids keyed and its other label columns dictionary-encoded, ahead of :meth:`add`.

        A reader may call it on a helper thread while :meth:`add` works on the chunk before (which
        reads the dates: the work is split about evenly). Only for one record type (a combined input
        is split by type first, in :meth:`add`); each call must come in chunk order, and never at the
        same time as another ``prepare``.
        """
        kind = self.layout.fixed
        if kind is None:
            for col in columns:
                as_text(col)  # (computes and keeps a pyarrow column's dictionary encoding)
            return Prepared({}, {})
        plan = self.layout.plans[kind]
        index = plan.fields["child_id"]
        parts = {index: self.parts[kind].label_column(index, many=True).part(columns[index])}
        dated = {plan.fields[name] for name in SCHEMAS[kind].dates if name in plan.fields}
        for i, col in enumerate(columns):
            if i not in parts and i not in dated and isinstance(col, ArrowText):
                as_text(col)
        return Prepared(parts, {})

    def add(self, chunk: Chunk) -> None:
        """One chunk: its columns, its row numbers (consecutive) and its malformed rows."""
        cols, rows = chunk.columns, chunk.rows
        n = rows.shape[0]
        keep = np.ones(n, dtype=bool)
        if cols:
            keep[blank_rows(cols, n)] = False
        keep[chunk.malformed] = True
        for positions, _ in chunk.long.values():  # (a row is not blank for a cell emptied for its length)
            keep[positions] = True
        bad_row = np.zeros(n, dtype=bool)
        bad_row[chunk.malformed] = True
        row_text = np.empty(n, dtype=object)
        row_text[chunk.malformed] = chunk.malformed_text
        layout = self.layout
        if layout.fixed is not None:
            groups = {layout.fixed: None if keep.all() else np.flatnonzero(keep).astype(np.int64)}
        else:
            assert layout.type_col is not None
            groups = self._split(cols[layout.type_col], keep, rows)
        failing = [
            (int(index[0]), kind) for kind, index in groups.items() if kind in layout.failures and index is not None
        ]
        wrong = [(at, kind) for at, kind in failing if not layout.failures[kind].missing]
        if wrong:  # a mapping's error, at the first row (in file order) of a type it spoils
            raise layout.failures[min(wrong)[1]]
        for kind, index in groups.items():
            if kind in layout.failures and index is not None:  # rows of a type the file lacks columns for
                missing = layout.failures[kind].missing
                assert layout.type_col is not None  # (only a combined input has failures)
                text = as_text(cols[layout.type_col])
                message = TYPE_LACKS_COLUMNS.message(
                    "record_type", missing=" or ".join(missing), title=SCHEMAS[kind].title
                )
                self._reject(TYPE_LACKS_COLUMNS.code, message, rows[index], text.uniq[text.codes[index]])
                continue
            self._add_kind(kind, chunk, index, bad_row, row_text)

    def _reject(self, code: str, message: str, rows: _I64, values: npt.NDArray[Any]) -> None:
        found = self.rejected.setdefault((code, message), ([], []))
        found[0].append(rows)
        found[1].append(values.astype(object))

    def _split(self, col: Column, keep: _Bool, rows: _I64) -> dict[str, _I64 | None]:
        text = as_text(col)
        kinds: list[int] = []
        for label, empty in zip(text.stripped.tolist(), text.blank_uniq.tolist(), strict=True):
            try:
                kinds.append(-1 if empty else RECORD_TYPES.index(record_type_of(label)))
            except CasetimeError:
                kinds.append(-1)
        type_code = np.array(kinds, dtype=np.int64)[text.codes] if kinds else np.full(rows.shape[0], -1)
        unknown = keep & (type_code < 0)
        if unknown.any():
            rule = UNKNOWN_RECORD_TYPE
            self._reject(rule.code, rule.message("record_type"), rows[unknown], text.uniq[text.codes[unknown]])
        groups: dict[str, _I64 | None] = {}
        for t, kind in enumerate(RECORD_TYPES):
            index = np.flatnonzero(keep & (type_code == t)).astype(np.int64)
            if index.size:
                groups[kind] = index
        return groups

    def _add_kind(self, kind: str, chunk: Chunk, index: _I64 | None, bad_row: _Bool, row_text: _Obj) -> None:
        if kind in self.layout.failures:
            raise self.layout.failures[kind]
        plan = self.layout.plans[kind]
        parts = self.parts.setdefault(kind, _Parts())
        schema = SCHEMAS[kind]
        cols, rows = chunk.columns, chunk.rows

        def column(i: int) -> Column:
            return cols[i] if index is None else take(cols[i], index)

        def label(i: int, many: bool = False) -> Part:
            ready = chunk.parts.get(i) if index is None else None
            return ready if ready is not None else parts.label_column(i, many=many).part(column(i))

        base = parts.n
        count = rows.shape[0] if index is None else index.shape[0]
        if index is not None:
            parts.rows.append(rows[index])
        elif count and int(rows[-1]) - int(rows[0]) == count - 1:  # consecutive: keep the range, not an array
            parts.rows.append(range(int(rows[0]), int(rows[-1]) + 1))
        elif count:  # (an XML file's records are numbered by the line of their element)
            parts.rows.append(rows)
        parts.child.append(label(plan.fields["child_id"], many=True))
        flagged = bad_row if index is None else bad_row[index]
        if flagged.any():
            at = np.flatnonzero(flagged).astype(np.int64)
            text = row_text if index is None else row_text[index]
            parts.issues.setdefault((MALFORMED_ROW.code, "row"), []).append((base + at, text[at]))
        if chunk.long:
            names = {i: name for name, i in plan.fields.items()} | {i: name for name, i in plan.extras}
            for i, (positions, lengths) in chunk.long.items():
                if i not in names:
                    continue
                if index is None:
                    at, sizes = positions, lengths
                elif index.shape[0] == 0:
                    continue
                else:  # the positions among this type's rows
                    where = np.searchsorted(index, positions)
                    mine = (where < index.shape[0]) & (index[np.minimum(where, index.shape[0] - 1)] == positions)
                    at, sizes = where[mine], lengths[mine]
                if at.size:
                    said = np.array([f"<{size:,} characters>" for size in sizes.tolist()], dtype=object)
                    parts.issues.setdefault((CELL_TOO_LONG.code, names[i]), []).append((base + at, said))
        for name in schema.dates:
            if name not in plan.fields:
                continue
            ready_dates = chunk.dates.get(plan.fields[name]) if index is None else None
            seen = parts.dates_seen.setdefault(name, DatesSeen(self.style))
            days, bad, values = ready_dates or date_part(column(plan.fields[name]), self.style, seen)
            parts.dates.setdefault(name, []).append(days)
            if bad.size:
                parts.issues.setdefault((UNPARSEABLE_DATE.code, name), []).append((base + bad, values))
        if "review_dates" in plan.fields:
            lengths, days, bad, values = ragged_part(column(plan.fields["review_dates"]), self.style)
            parts.review_lengths.append(lengths)
            parts.review_days.append(days)
            if bad.size:
                parts.issues.setdefault((UNPARSEABLE_DATE.code, "review_dates"), []).append((base + bad, values))
        for name, i in plan.extras:
            parts.extras.setdefault(name, []).append(label(i))
        parts.n += count

    def finish(self) -> ReadResult:
        """The tables (in the standard order of record types), their issues and the rejected rows."""
        tables: dict[str, Table] = {}
        issues: list[IssueSet] = []
        for kind in RECORD_TYPES:
            if kind not in self.parts:
                continue
            parts = self.parts.pop(kind)
            plan = self.layout.plans[kind]
            n = parts.n
            child = merge_labels(parts.child)
            give_back_freed_memory()  # (the chunks' keys, freed by the merge: before the dates are joined)
            dates = {}
            for name in SCHEMAS[kind].dates:
                pieces = parts.dates.pop(name, [])
                if pieces:
                    dates[name] = np.concatenate(pieces).view("M8[D]")
                else:
                    dates[name] = no_dates(n)
            extras = {name: merge_labels(parts.extras.get(name, [])) for name, _ in plan.extras}
            reviews = None
            if "review_dates" in plan.fields:
                offsets = np.zeros(n + 1, dtype=np.int64)
                if parts.review_lengths:
                    np.cumsum(np.concatenate(parts.review_lengths), out=offsets[1:])
                values = np.concatenate(parts.review_days) if parts.review_days else np.empty(0, np.int64)
                reviews = Ragged(offsets, values.view("M8[D]"))
            rows = _joined_rows(parts.rows, n)
            source = Labels(zeros(n), np.array([self.source], dtype=object))
            tables[kind] = Table(kind, child, dates, extras, source, rows, reviews)
            issues.extend(_issue_sets(kind, parts.issues, self.style))
        columns, notices = self._columns_used(tables)
        rejected = sorted(  # (in file order of their first row, however the chunks fell)
            (
                RejectedRows(self.source, np.concatenate(rows), np.concatenate(values), code, message)
                for (code, message), (rows, values) in self.rejected.items()
            ),
            key=lambda r: int(r.rows[0]),
        )
        give_back_freed_memory()  # (what the reader's threads freed, before validation needs memory again)
        return ReadResult(tables, issues, rejected, columns, notices)

    def _columns_used(self, tables: Mapping[str, Table]) -> tuple[list[ColumnsUsed], list[Notice]]:
        """Which heading fed which field of each record type read, and the warnings about the source."""
        headings = list(self.layout.headings)
        columns: list[ColumnsUsed] = []
        notices: list[Notice] = []
        for kind in tables:
            plan = self.layout.plans[kind]
            fields = {name: headings[i] for name, i in plan.fields.items()}
            columns.append(ColumnsUsed(self.source, kind, fields, dict(plan.how), tuple(h for h, _ in plan.extras)))
            notices.extend(Notice(self.source, kind, "ambiguous_heading", text) for text in plan.warnings)
            stop = SCHEMAS[kind].clock[1]
            own = set(plan.fields.values()) | {i for _, i in plan.extras}
            # (a referral's closure stops no timeliness clock: a referral file without it is not warned about)
            if stop not in plan.fields and len(tables[kind]) and kind != "referral":
                notices.append(
                    Notice(
                        self.source,
                        kind,
                        "no_clock_stop",
                        f"{self.source}: no {stop} column among the {SCHEMAS[kind].title} headings "
                        f"({', '.join(repr(headings[i]) for i in sorted(own))}): "
                        f"every record will count as still open; map the column (columns= in Python, "
                        f"--column on the command line) if it is there under another name",
                    )
                )
        return columns, notices


def _joined_rows(pieces: Sequence[_I64 | range], n: int) -> _I64:
    """The row numbers of the chunks, one array (chunks that follow on from each other: one ``arange``).

    >>> _joined_rows([range(2, 4), range(4, 6)], 4).tolist(), _joined_rows([range(2, 4), np.array([7])], 3).tolist()
    ([2, 3, 4, 5], [2, 3, 7])
    """
    if pieces and all(isinstance(p, range) for p in pieces):
        ranges = [p for p in pieces if isinstance(p, range)]
        if all(a.stop == b.start for a, b in itertools.pairwise(ranges)):
            return np.arange(ranges[0].start, ranges[-1].stop, dtype=np.int64)
    rows = np.empty(n, dtype=np.int64)
    at = 0
    for piece in pieces:
        size = len(piece)
        rows[at : at + size] = np.arange(piece.start, piece.stop) if isinstance(piece, range) else piece
        at += size
    return rows


def _issue_sets(kind: str, found: dict[tuple[str, str], list[tuple[_I64, _Obj]]], style: DateStyle) -> list[IssueSet]:
    order = {name: i for i, name in enumerate(SCHEMAS[kind].columns)}
    rules = {rule.code: rule for rule in INPUT_RULES}
    joined: dict[tuple[str, str], tuple[_I64, _Obj]] = {}
    for (code, name), pieces in found.items():
        positions = np.concatenate([p for p, _ in pieces])
        values = np.concatenate([v for _, v in pieces])
        if code == UNPARSEABLE_DATE.code and name != "review_dates":  # a two-digit year is said as one
            short = style.read(values.astype(str)).short_year
            if short.any():
                joined[TWO_DIGIT_YEAR.code, name] = positions[short], values[short]
                positions, values = positions[~short], values[~short]
        if positions.size:
            joined[code, name] = positions, values
    keys = sorted(joined, key=lambda k: (k[0] != MALFORMED_ROW.code, order.get(k[1], len(order)), k[0]))
    return [
        IssueSet(kind, code, name, *joined[code, name], rules[code].message(name, forms=style.forms))
        for code, name in keys
    ]


def join_results(results: Iterable[ReadResult]) -> ReadResult:
    """Join the results of several sources: tables of one type are concatenated, issues shifted.

    Label columns are joined without making their Python strings (:meth:`Labels.concat`).
    """
    tables: dict[str, list[Table]] = {}
    found: dict[tuple[str, str, str, str, Severity], list[tuple[_I64, _Obj]]] = {}
    rejected: list[RejectedRows] = []
    columns: list[ColumnsUsed] = []
    notices: list[Notice] = []
    census: list[CensusHeader] = []
    annex_a: list[str] = []
    for result in results:
        columns.extend(result.columns)
        notices.extend(result.notices)
        census.extend(result.census)
        annex_a.extend(result.annex_a)
        offsets = {kind: sum(len(t) for t in tables.get(kind, [])) for kind in result.tables}
        for kind, table in result.tables.items():
            tables.setdefault(kind, []).append(table)
        for issue in result.issues:
            key = (issue.record_type, issue.rule, issue.field, issue.message, issue.severity)
            found.setdefault(key, []).append((issue.positions + offsets[issue.record_type], issue.values))
        rejected.extend(result.rejected)
    joined = {kind: parts[0] if len(parts) == 1 else Table.concat(parts) for kind, parts in tables.items()}
    issues = []
    for (kind, rule, name, message, severity), pieces in found.items():
        positions = np.concatenate([p for p, _ in pieces])
        values = np.concatenate([v for _, v in pieces])
        issues.append(IssueSet(kind, rule, name, positions, values, message, severity))
    ordered: dict[str, Table] = {k: joined[k] for k in RECORD_TYPES if k in joined}
    return ReadResult(ordered, issues, rejected, columns, notices, census, annex_a)
