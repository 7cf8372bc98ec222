"""Date-ordering validation of case records: the DfE CIN rules and casetime's own checks.

:func:`validate` runs every rule over every table at once (numpy comparisons on
whole columns, never a Python loop over rows) and returns a
:class:`~casetime.quality.QualityReport`: one :class:`~casetime.quality.IssueSet`
per rule, table and field that found something. Every finding is an error
unless ``severity=`` says otherwise, and a row with an error is left out of every
indicator; reconciliation (rows read = rows valid + rows with errors) always
holds. :data:`RULES` lists the rules; :func:`describe_rule` explains one.

>>> from casetime.tables import Table
>>> ia = Table.from_columns("initial_assessment", {"child_id": ["A", "B"],
...     "referral_date": ["2009-01-05", "2009-01-06"], "completion_date": ["2009-01-14", "2009-01-02"]})
>>> report = validate({"initial_assessment": ia})
>>> report.counts_by_rule()
{'8608': 1}
>>> item = next(report.issue_rows())
>>> item["row"], item["child_id"], item["field"], item["value"]
(1, 'B', 'completion_date', '2009-01-02')
>>> describe_rule("8840")
'8840 (cpp): a plan cannot start and end on the same day'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt

from casetime._background import Background
from casetime.calendar import WorkingCalendar, england
from casetime.dates import MISSING, day_number
from casetime.errors import CasetimeError
from casetime.quality import IssueSet, QualityReport, Severity
from casetime.schema import RECORD_TYPES, SCHEMAS, record_type_of
from casetime.tables import Table

__all__ = ["Rule", "RULES", "INPUT_RULES", "describe_rule", "validate"]

_ASSESSMENTS: Final = ("initial_assessment", "core_assessment", "single_assessment")


class Rule(NamedTuple):
    """What a rule applies to and what it checks (a ``(record_types, description)`` pair)."""

    record_types: tuple[str, ...]
    description: str


#: Every rule :func:`validate` knows: code -> (record types, one-line description), in the order run.
RULES: Final[Mapping[str, Rule]] = MappingProxyType(
    {
        "missing_date": Rule(RECORD_TYPES, "the child id and the clock-start date must be present"),
        "out_of_coverage": Rule(RECORD_TYPES, "every date must lie inside the working-day calendar's coverage"),
        "after_as_at": Rule(RECORD_TYPES, "no date may be later than the extract's 'as at' date"),
        "1103": Rule(_ASSESSMENTS, "assessment start on or after the referral date"),
        "8608": Rule(
            _ASSESSMENTS,
            "assessment completion (authorisation) on or after its start, and on or after its clock start",
        ),
        "2889": Rule(("s47",), "section 47 enquiry start on or after the referral date"),
        "8615": Rule(("s47",), "an initial child protection conference needs a section 47 start on or before it"),
        "1105": Rule(("cpp",), "plan start on or after the referral date"),
        "8925": Rule(("cpp",), "plan end on or after the plan start"),
        "8840": Rule(("cpp",), "a plan cannot start and end on the same day"),
        "8841": Rule(("cpp",), "every review strictly after the plan start"),
        "8630": Rule(("referral",), "case closure on or after the referral date"),
        "8935": Rule(("cpp",), "at most one open plan (no end date) per child"),
        "8940": Rule(("cpp",), "plans of one child must not overlap: no plan starts within another"),
        "duplicate": Rule(RECORD_TYPES, "no exact duplicate records (the later copies are flagged)"),
    }
)

#: Issues found while reading input (by :mod:`casetime.io`), before any rule runs.
INPUT_RULES: Final[Mapping[str, Rule]] = MappingProxyType(
    {
        "unparseable_date": Rule(RECORD_TYPES, "a date cell that is not a real date (e.g. 31/02/2009 or text)"),
        "malformed_row": Rule(RECORD_TYPES, "a CSV row with too few or too many fields"),
        "unknown_record_type": Rule(RECORD_TYPES, "a combined-file row whose record_type is blank or unknown"),
    }
)

# Messages by (rule, field); "{field}" and "{coverage}" / "{as_at}" are filled in.
_MESSAGES: Final[dict[tuple[str, str], str]] = {
    ("1103", "start_date"): "assessment start (start_date) is before the referral date (referral_date); "
    "DfE CIN rule 1103 requires it on or after the referral",
    ("8608", "completion_date"): "assessment completion (completion_date) is before {clock}; "
    "DfE CIN rule 8608 requires completion on or after the start",
    ("2889", "start_date"): "section 47 start (start_date) is before the referral date (referral_date); "
    "DfE CIN rule 2889 requires it on or after the referral",
    ("8615", "conference_date"): "initial child protection conference (conference_date) has no section 47 start "
    "on or before it (start_date missing or later); DfE CIN rule 8615",
    ("1105", "start_date"): "plan start (start_date) is before the referral date (referral_date); "
    "DfE CIN rule 1105 requires it on or after the referral",
    ("8925", "end_date"): "plan end (end_date) is before the plan start (start_date); DfE CIN rule 8925",
    ("8840", "end_date"): "plan starts and ends on the same day (end_date = start_date); DfE CIN rule 8840",
    ("8841", "review_dates"): "plan review (review_dates) is on or before the plan start (start_date); "
    "DfE CIN rule 8841 requires every review after the start",
    ("8630", "closure_date"): "case closure (closure_date) is before the referral date (referral_date); "
    "DfE CIN rule 8630",
    ("8935", "end_date"): "this child has more than one open plan (no end_date); DfE CIN rule 8935 "
    "allows at most one; every open plan of the child is flagged",
    ("8940", "start_date"): "plan starts (start_date) within another plan of the same child (on or after its "
    "start, on or before its end, or while it is open); plans must not overlap, DfE CIN rule 8940",
    ("8940", "end_date"): "another plan of the same child starts within this plan (on or after its start, on "
    "or before its end_date, or while it is open); plans must not overlap, DfE CIN rule 8940",
    ("missing_date", "child_id"): "the child id (child_id) is missing; the record cannot be attributed",
    ("missing_date", "*"): "{field} is missing; it is the clock start of a {title} and is required",
    ("out_of_coverage", "*"): "{field} is outside the calendar's coverage {coverage}; working days cannot be "
    "counted for it (build the calendar with a wider start/end, or correct the date)",
    ("after_as_at", "*"): "{field} is after the extract's 'as at' date {as_at}; a date cannot be in the future",
    ("duplicate", "record"): "exact duplicate of an earlier record (same child, dates and other columns); "
    "the later copies are flagged so the record is counted once",
}


# the rules that look at exact duplicates (a later copy of a plan is not a second plan)
_NEED_DUPLICATES: Final = ("duplicate", "8935", "8940")
_THREAD_ROWS: Final = 1 << 16  # from this many rows on, duplicates are looked for on a helper thread


@dataclass(frozen=True)
class _Context:
    lo: int
    hi: int
    coverage: str
    as_at: int | None
    copies: dict[str, Background[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]] = dataclasses.field(
        default_factory=dict
    )

    def start_duplicates(self, table: Table) -> None:
        """Start looking for exact duplicates in ``table`` on a helper thread (the other rules go on meanwhile)."""
        if table.record_type not in self.copies:
            big = len(table) >= _THREAD_ROWS
            self.copies[table.record_type] = Background(
                lambda: _find_duplicates(table), "casetime-duplicates", thread=big
            )

    def duplicates(self, table: Table) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """The later copies of exact duplicates in ``table`` and the first copy of each (computed once)."""
        self.start_duplicates(table)
        return self.copies[table.record_type].result()


def describe_rule(code: str) -> str:
    """One line naming a rule, the record types it applies to, and what it checks.

    >>> describe_rule("1103")
    '1103 (initial_assessment, core_assessment, single_assessment): assessment start on or after the referral date'
    >>> describe_rule("unparseable_date")
    'unparseable_date (all record types): a date cell that is not a real date (e.g. 31/02/2009 or text)'
    >>> describe_rule("9999")
    Traceback (most recent call last):
    ...
    casetime.errors.CasetimeError: unknown rule '9999'; known rules: missing_date, out_of_coverage, ...
    """
    rule = RULES.get(str(code).strip()) or INPUT_RULES.get(str(code).strip())
    if rule is None:
        raise CasetimeError(f"unknown rule {code!r}; known rules: {', '.join([*RULES, *INPUT_RULES])}")
    kinds = "all record types" if rule.record_types == RECORD_TYPES else ", ".join(rule.record_types)
    return f"{str(code).strip()} ({kinds}): {rule.description}"


def validate(
    tables: Mapping[str, Table],
    *,
    calendar: WorkingCalendar | None = None,
    as_at: object = None,
    into: QualityReport | None = None,
    rules: Iterable[str] | None = None,
    severity: Mapping[str, Severity] | None = None,
    strict: bool = False,
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
      <input> row 1 (cpp, child A): end_date='2009-02-01': rule 8840: plan s
      <input> row 1 (cpp, child A): start_date='2009-02-01': rule 8940: plan
      <input> row 0 (cpp, child A): end_date='2009-03-01': rule 8940: anothe
    """
    cal = england() if calendar is None else calendar
    lo_date, hi_date = cal.coverage
    lo, hi = day_number(lo_date), day_number(hi_date)
    assert lo is not None and hi is not None
    cut = day_number(as_at) if as_at is not None else None
    ctx = _Context(lo, hi, f"{lo_date.isoformat()} to {hi_date.isoformat()}", cut)
    selected = _selected_rules(rules)
    levels = _severities(severity)
    by_type = _by_record_type(tables)
    report = _target_report(by_type, into)
    # a date the loader could not read is held as missing: report it once (as unparseable), not twice
    unreadable: dict[tuple[str, str], npt.NDArray[np.int64]] = {}
    for found in report.issue_sets:
        if found.rule == "unparseable_date":
            key = (found.record_type, found.field)
            unreadable[key] = np.concatenate((unreadable.get(key, np.empty(0, np.int64)), found.positions))
    for kind, table in by_type.items():
        if any(kind in RULES[code].record_types for code in _NEED_DUPLICATES if code in selected):
            ctx.start_duplicates(table)
    for kind, table in by_type.items():
        for code in selected:
            if kind not in RULES[code].record_types:
                continue
            for field, positions, values in _CHECKS[code](table, ctx):
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
                            _message(code, field, kind, ctx),
                            levels.get(code, "error"),
                        )
                    )
    if strict:
        report.raise_if_errors()
    return report


# ---------------------------------------------------------------------------
# arguments
# ---------------------------------------------------------------------------


def _selected_rules(rules: Iterable[str] | None) -> tuple[str, ...]:
    if rules is None:
        return tuple(RULES)
    wanted = [str(r).strip() for r in ([rules] if isinstance(rules, str) else rules)]
    unknown = [r for r in wanted if r not in RULES]
    if unknown:
        raise CasetimeError(f"unknown rule(s) {', '.join(map(repr, unknown))}; known rules: {', '.join(RULES)}")
    return tuple(code for code in RULES if code in wanted)


def _severities(severity: Mapping[str, Severity] | None) -> dict[str, Severity]:
    levels: dict[str, Severity] = {}
    for code, level in (severity or {}).items():
        if code not in RULES:
            raise CasetimeError(f"severity names unknown rule {code!r}; known rules: {', '.join(RULES)}")
        if level not in ("error", "warning"):
            raise CasetimeError(f"severity of rule {code} must be 'error' or 'warning', not {level!r}")
        levels[code] = level
    return levels


def _by_record_type(tables: Mapping[str, Table]) -> dict[str, Table]:
    out: dict[str, Table] = {}
    for key, table in tables.items():
        if not isinstance(table, Table):
            raise CasetimeError(f"tables[{key!r}] is a {type(table).__name__}, not a casetime Table")
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


def _message(code: str, field: str, kind: str, ctx: _Context) -> str:
    template = _MESSAGES.get((code, field)) or _MESSAGES[(code, "*")]
    clock = (
        "its start (start_date)"
        if kind == "core_assessment"
        else "its clock start (referral_date) or its start (start_date)"
    )
    as_at = "" if ctx.as_at is None else str(np.datetime64(ctx.as_at, "D"))
    return template.format(field=field, title=SCHEMAS[kind].title, coverage=ctx.coverage, as_at=as_at, clock=clock)


# ---------------------------------------------------------------------------
# helpers on columns
# ---------------------------------------------------------------------------

_Found = Iterator[tuple[str, npt.NDArray[np.int64], npt.NDArray[np.object_]]]


def _iso(days: npt.NDArray[np.int64]) -> npt.NDArray[np.object_]:
    """Day numbers as ISO text (empty for missing); each distinct date is formatted once."""
    days = np.asarray(days, dtype=np.int64)
    distinct, inverse = np.unique(days, return_inverse=True)
    text = np.datetime_as_string(distinct.view("M8[D]"), unit="D").astype(object)
    text[distinct == MISSING] = ""
    out: npt.NDArray[np.object_] = text[inverse.reshape(days.shape)]
    return out


def _flag(field: str, mask: npt.NDArray[np.bool_], values: npt.NDArray[np.int64]) -> _Found:
    positions = np.flatnonzero(mask).astype(np.int64)
    if positions.size:
        yield field, positions, _iso(values[positions])


def _before(table: Table, late: str, early: str) -> npt.NDArray[np.bool_]:
    """Rows where both dates are present and ``late`` is before ``early``."""
    a, b = table.days(late), table.days(early)
    both: npt.NDArray[np.bool_] = (a != MISSING) & (b != MISSING)
    return both & (a < b)


def _review_rows(table: Table) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The plan reviews flattened: (row of each review, its day number)."""
    if table.reviews is None:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    offsets = table.reviews.offsets
    rows = np.repeat(np.arange(offsets.shape[0] - 1, dtype=np.int64), np.diff(offsets))
    return rows, table.reviews.values.view(np.int64)


def _date_fields(table: Table) -> list[str]:
    known = list(table.schema.dates)
    return known + [name for name in table.dates if name not in known]


# ---------------------------------------------------------------------------
# the rules
# ---------------------------------------------------------------------------


def _missing_date(table: Table, ctx: _Context) -> _Found:
    for field in table.schema.required:
        if field == "child_id":
            missing = table.child.codes < 0
            if missing.any():
                positions = np.flatnonzero(missing).astype(np.int64)
                yield field, positions, np.full(positions.size, "", dtype=object)
        else:
            yield from _flag(field, table.days(field) == MISSING, table.days(field))


def _outside(table: Table, bad: Callable[[npt.NDArray[np.int64]], npt.NDArray[np.bool_]]) -> _Found:
    for field in _date_fields(table):
        days = table.days(field)
        yield from _flag(field, (days != MISSING) & bad(days), days)
    rows, days = _review_rows(table)
    hit = (days != MISSING) & bad(days)
    if hit.any():
        yield "review_dates", rows[hit], _iso(days[hit])


def _out_of_coverage(table: Table, ctx: _Context) -> _Found:
    yield from _outside(table, lambda d: (d < ctx.lo) | (d > ctx.hi))


def _after_as_at(table: Table, ctx: _Context) -> _Found:
    if ctx.as_at is not None:
        cut = ctx.as_at
        yield from _outside(table, lambda d: d > cut)


def _rule_1103(table: Table, ctx: _Context) -> _Found:
    yield from _flag("start_date", _before(table, "start_date", "referral_date"), table.days("start_date"))


def _rule_8608(table: Table, ctx: _Context) -> _Found:
    bad = _before(table, "completion_date", "start_date") | _before(table, "completion_date", table.schema.clock[0])
    yield from _flag("completion_date", bad, table.days("completion_date"))


def _rule_2889(table: Table, ctx: _Context) -> _Found:
    yield from _flag("start_date", _before(table, "start_date", "referral_date"), table.days("start_date"))


def _rule_8615(table: Table, ctx: _Context) -> _Found:
    conf, start = table.days("conference_date"), table.days("start_date")
    bad = (conf != MISSING) & ((start == MISSING) | (start > conf))
    yield from _flag("conference_date", bad, conf)


def _rule_1105(table: Table, ctx: _Context) -> _Found:
    yield from _flag("start_date", _before(table, "start_date", "referral_date"), table.days("start_date"))


def _rule_8925(table: Table, ctx: _Context) -> _Found:
    yield from _flag("end_date", _before(table, "end_date", "start_date"), table.days("end_date"))


def _rule_8840(table: Table, ctx: _Context) -> _Found:
    start, end = table.days("start_date"), table.days("end_date")
    yield from _flag("end_date", (start != MISSING) & (end == start), end)


def _rule_8841(table: Table, ctx: _Context) -> _Found:
    rows, days = _review_rows(table)
    start = table.days("start_date")[rows]
    hit = (days != MISSING) & (start != MISSING) & (days <= start)
    if hit.any():
        yield "review_dates", rows[hit], _iso(days[hit])


def _rule_8630(table: Table, ctx: _Context) -> _Found:
    yield from _flag("closure_date", _before(table, "closure_date", "referral_date"), table.days("closure_date"))


def _rule_8935(table: Table, ctx: _Context) -> _Found:
    child, end = table.child.codes, table.days("end_date")
    is_open = (end == MISSING) & (child >= 0)
    is_open[ctx.duplicates(table)[0]] = False  # a later copy of a duplicate is not a second plan
    per_child = np.bincount(child[is_open], minlength=int(child.max(initial=0)) + 1)
    bad = is_open & (per_child[np.maximum(child, 0)] >= 2)
    yield from _flag("end_date", bad, end)


_OPEN: Final = int(np.iinfo(np.int64).max)


def _rule_8940(table: Table, ctx: _Context) -> _Found:
    """Overlapping plans of one child, found by sorting on (child, start) and comparing blocks.

    Plan ``q`` starts inside plan ``p`` when ``p.start <= q.start <= p.end`` (an open
    plan runs for ever), as in DfE's rule text. Both plans of such a pair are
    flagged: ``q`` at its start, ``p`` at its end. Plans of one child with the same
    start form a block. ``q`` starts inside an earlier plan when the running maximum
    end of the child's earlier blocks reaches its start, or another plan of its own
    block ends on or after that start; ``p`` contains a later start when the next
    block of the child starts on or before its end, or its own block has another
    plan and ``p`` does not end before it starts.
    """
    start, end, child = table.days("start_date"), table.days("end_date"), table.child.codes
    use = (start != MISSING) & (child >= 0)
    use[ctx.duplicates(table)[0]] = False  # a later copy of a duplicate is not a second plan
    idx = np.flatnonzero(use).astype(np.int64)
    if idx.size < 2:
        return
    c = child[idx]
    s, e = _compact(start[idx], end[idx])
    span = max(int(s.max()), int(e.max())) + 1  # every value in 0..span-1
    if (int(c.max()) + 1) * span >= 2**62:  # pragma: no cover - needs ~10**12 children
        c = np.unique(c, return_inverse=True)[1].astype(np.int64)
    order = np.argsort(c * span + s, kind="stable")
    s, e, c, idx = s[order], e[order], c[order], idx[order]
    n = idx.size
    new_block = np.ones(n, dtype=bool)
    new_block[1:] = (c[1:] != c[:-1]) | (s[1:] != s[:-1])
    first = np.flatnonzero(new_block)
    block = np.cumsum(new_block) - 1
    block_start, block_child = s[first], c[first]
    block_size = np.diff(np.append(first, n))
    block_max_end = np.maximum.reduceat(e, first)
    # block b and block b + 1 belong to one child
    next_same = block_child[1:] == block_child[:-1]
    # running maximum end over the child's blocks: offset each child so earlier children never win
    offset = np.concatenate(([0], np.cumsum(~next_same))).astype(np.int64) * span
    running = np.maximum.accumulate(offset + block_max_end)
    reached = np.zeros(first.size, dtype=bool)  # an earlier block ends on or after this block's start
    reached[1:] = next_same & (running[:-1] - offset[1:] >= block_start[1:])
    next_start = np.full(first.size, span, dtype=np.int64)  # span: no later block
    next_start[:-1] = np.where(next_same, block_start[1:], span)
    ends_after_start = e >= s
    others_reaching = np.bincount(block[ends_after_start], minlength=first.size)[block] - ends_after_start
    later = reached[block] | (others_reaching > 0)
    earlier = (next_start[block] <= e) | ((block_size[block] > 1) & ends_after_start)
    if later.any():
        yield "start_date", idx[later], _iso(start[idx[later]])
    if earlier.any():
        yield "end_date", idx[earlier], _iso(end[idx[earlier]])


def _compact(
    start: npt.NDArray[np.int64], end: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Starts and ends recoded to small integers, keeping every ``start <= end`` comparison.

    Only comparisons of a start with an end (or another start) matter, so ends are
    clipped to the range of the starts (one below the first start, or the last start;
    an open end counts as the last start). Wide ranges are replaced by ranks.

    >>> s, e = _compact(np.array([14249, 14300]), np.array([MISSING, 14000]))
    >>> s.tolist(), e.tolist()
    ([1, 52], [52, 0])
    """
    lo, hi = int(start.min()), int(start.max())
    end = np.clip(np.where(end == MISSING, hi, end), lo - 1, hi)
    if hi - lo < 2**20:
        return start - (lo - 1), end - (lo - 1)
    _, inverse = np.unique(np.concatenate((start, end)), return_inverse=True)
    return inverse[: start.size].astype(np.int64), inverse[start.size :].astype(np.int64)


_BLOCK: Final = 1 << 16  # rows per block when hashing


def _salt(k: int) -> np.uint64:
    """An odd 64-bit multiplier for column ``k``: splitmix64 of ``k``, so the columns' salts are unrelated."""
    z = (0x9E3779B97F4A7C15 * (k + 1)) % 2**64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) % 2**64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) % 2**64
    return np.uint64((z ^ (z >> 31)) | 1)


def _mix(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """A 64-bit finaliser (xor-shift-multiply), in place on ``x`` (wrapping arithmetic); returns ``x``."""
    tmp = np.right_shift(x, np.uint64(30))
    x ^= tmp
    x *= np.uint64(0xBF58476D1CE4E5B9)
    np.right_shift(x, np.uint64(27), out=tmp)
    x ^= tmp
    x *= np.uint64(0x94D049BB133111EB)
    np.right_shift(x, np.uint64(31), out=tmp)
    x ^= tmp
    return x


def _duplicate(table: Table, ctx: _Context) -> _Found:
    later, first = ctx.duplicates(table)
    if later.size:
        assert table.source is not None and table.row is not None
        sources = table.source.take(first).values().astype(str)
        rows = table.row[first].astype(str)
        text = np.strings.add(np.strings.add(np.strings.add("same as ", sources), " row "), rows)
        yield "record", later, text.astype(object)


def _find_duplicates(table: Table) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Exact duplicates: hash every row, then compare the rows sharing a hash exactly.

    Returns the positions of the later copies (ascending) and, for each, the
    position of its first copy.
    """
    n = len(table)
    none = np.empty(0, dtype=np.int64)
    if n < 2:
        return none, none
    columns = [table.child.codes] + [table.days(f) for f in _date_fields(table)]
    columns += [table.extra[name].codes for name in sorted(table.extra)]
    review_sum = None
    if table.reviews is not None:
        offsets = table.reviews.offsets
        columns.append(np.diff(offsets).astype(np.int64))
        # an order-free digest of each row's reviews (the order of reviews carries no meaning)
        mixed = _mix(table.reviews.values.view(np.int64).astype(np.uint64))
        cum = np.concatenate((np.zeros(1, dtype=np.uint64), np.cumsum(mixed, dtype=np.uint64)))
        review_sum = cum[offsets[1:]] - cum[offsets[:-1]]
    # a salted sum of the columns, mixed once: equal rows get equal digests; unequal rows rarely do,
    # and when they do the exact comparison below tells them apart. Digests are made in blocks, so
    # temporaries stay small and in cache (fresh memory is slow to touch on these machines).
    salts = [_salt(k) for k in range(len(columns))]
    words = [np.ascontiguousarray(col, dtype=np.int64).view(np.uint64) for col in columns]
    spread = np.empty(min(n, _BLOCK), dtype=np.uint64)

    def digest_block(lo: int, hi: int, out: npt.NDArray[np.uint64]) -> None:
        tmp = spread[: hi - lo]
        np.multiply(words[0][lo:hi], salts[0], out=out)
        for word, salt in zip(words[1:], salts[1:], strict=True):
            np.multiply(word[lo:hi], salt, out=tmp)
            out += tmp
        if review_sum is not None:
            out ^= _mix(review_sum[lo:hi].copy())
        out[:] = _mix(out)

    # rows whose digest occurs more than once are the only candidates: sort the digests' high 32 bits
    # in place (half the memory of the full digests; the few extra chance matches are weeded out by
    # the exact comparison) and keep the repeated values
    ordered = np.empty(n, dtype=np.uint32)
    block = np.empty(min(n, _BLOCK), dtype=np.uint64)
    for lo in range(0, n, _BLOCK):
        hi = min(lo + _BLOCK, n)
        digest_block(lo, hi, block[: hi - lo])
        np.right_shift(block[: hi - lo], np.uint64(32), out=block[: hi - lo])
        ordered[lo:hi] = block[: hi - lo]
    ordered.sort()
    repeated = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    del ordered
    if not repeated.size:
        return none, none
    # then make the digests again block by block: a bit table on their low bits screens out most
    # rows with one gather, and only the rows it lets through are looked up exactly
    size = 1 << max(10, min(24, int(repeated.size * 16).bit_length()))
    low = np.uint64(size - 1)
    seen = np.zeros(size, dtype=bool)
    seen[(repeated.astype(np.uint64) & low).view(np.int64)] = True
    index = np.empty(min(n, _BLOCK), dtype=np.uint64)
    pieces = []
    for lo in range(0, n, _BLOCK):
        hi = min(lo + _BLOCK, n)
        out = block[: hi - lo]
        digest_block(lo, hi, out)
        np.right_shift(out, np.uint64(32), out=out)
        np.bitwise_and(out, low, out=index[: hi - lo])
        hit = np.flatnonzero(np.take(seen, index[: hi - lo].view(np.int64)))
        if hit.size:
            found = out[hit]
            slot = np.minimum(np.searchsorted(repeated, found), repeated.size - 1)
            pieces.append(hit[repeated[slot] == found] + lo)
    cand = np.concatenate(pieces).astype(np.int64) if pieces else np.empty(0, dtype=np.int64)
    # exact comparison of the candidates: sort by every column, position last
    keys = [c[cand] for c in columns]
    if table.reviews is not None:
        keys += _review_matrix(table, cand)
    sub = np.lexsort([cand, *reversed(keys)])
    equal = np.ones(sub.size - 1, dtype=bool)
    for key in keys:
        part = key[sub]
        equal &= part[1:] == part[:-1]
    if not equal.any():
        return none, none
    run_start = np.concatenate(([True], ~equal))
    first = cand[sub][np.maximum.accumulate(np.where(run_start, np.arange(sub.size), 0))]
    later = cand[sub][1:][equal]
    first_of_later = first[1:][equal]
    order = np.argsort(later)
    return later[order], first_of_later[order]


def _review_matrix(table: Table, rows: npt.NDArray[np.int64]) -> list[npt.NDArray[np.int64]]:
    """The reviews of ``rows`` sorted within each row, padded: one column per review slot."""
    assert table.reviews is not None
    offsets, values = table.reviews.offsets, table.reviews.values.view(np.int64)
    counts = offsets[rows + 1] - offsets[rows]
    width = int(counts.max()) if counts.size else 0
    if width == 0:
        return []
    slot = np.arange(width, dtype=np.int64)
    take = np.minimum(offsets[rows][:, None] + slot[None, :], max(values.shape[0] - 1, 0))
    matrix = np.where(slot[None, :] < counts[:, None], values[take], _OPEN)
    matrix.sort(axis=1)
    return [matrix[:, j] for j in range(width)]


_CHECKS: Final[dict[str, Callable[[Table, _Context], _Found]]] = {
    "missing_date": _missing_date,
    "out_of_coverage": _out_of_coverage,
    "after_as_at": _after_as_at,
    "1103": _rule_1103,
    "8608": _rule_8608,
    "2889": _rule_2889,
    "8615": _rule_8615,
    "1105": _rule_1105,
    "8925": _rule_8925,
    "8840": _rule_8840,
    "8841": _rule_8841,
    "8630": _rule_8630,
    "8935": _rule_8935,
    "8940": _rule_8940,
    "duplicate": _duplicate,
}
