"""Every rule :func:`~casetime.validation.validate` runs: casetime's own checks and the DfE date-ordering rules.

Each rule is one definition: the :func:`~casetime.validation.registry.rule` decorator carries its
code, record types, description, messages and source; the function under it is the check, run on
a whole table at once (numpy comparisons on whole columns, never a Python loop over rows). They
are registered, and run, in the order they appear here.

>>> from casetime.tables import Table
>>> t = Table.from_columns("s47", {"child_id": ["A"], "start_date": ["2009-02-10"], "conference_date": ["2009-02-06"]})
>>> [(field, positions.tolist()) for field, positions, _ in RULE_8615.check(t, None)]
[('conference_date', [0])]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt

from casetime._compat import as_intp
from casetime.dates import MISSING, parse_date_strings
from casetime.schema import RECORD_TYPES, RecordType
from casetime.tables import Table
from casetime.validation.findings import before, date_fields, flag, iso, review_rows
from casetime.validation.registry import CASETIME_SOURCE, DFE_SOURCE, Found, rule

if TYPE_CHECKING:
    from collections.abc import Callable

    from casetime.validation.run import Context

__all__ = [
    "MISSING_DATE",
    "OUT_OF_COVERAGE",
    "AFTER_AS_AT",
    "OUTLIER_DATE",
    "RULE_1103",
    "RULE_8608",
    "RULE_2889",
    "RULE_8615",
    "RULE_1105",
    "RULE_8925",
    "RULE_8840",
    "RULE_8841",
    "RULE_8630",
    "RULE_8935",
    "RULE_8940",
    "ICPC_TARGET",
    "QUERY_8670",
    "QUERY_8675",
    "DUPLICATE",
]

_ASSESSMENTS: Final[tuple[RecordType, ...]] = ("initial_assessment", "core_assessment", "single_assessment")


# ---------------------------------------------------------------------------
# casetime's own checks, before the DfE rules
# ---------------------------------------------------------------------------


@rule(
    code="missing_date",
    record_types=RECORD_TYPES,
    description="the child id and the clock-start date must be present",
    messages={
        "child_id": "the child id (child_id) is missing; the record cannot be attributed",
        "*": "{field} is missing; it is the clock start of a {title} and is required",
    },
    source=CASETIME_SOURCE,
)
def MISSING_DATE(table: Table, ctx: Context) -> Found:
    for field in table.schema.required:
        if field == "child_id":
            missing = table.child.codes < 0
            if missing.any():
                positions = np.flatnonzero(missing).astype(np.int64)
                yield field, positions, np.full(positions.size, "", dtype=object)
        else:
            yield from flag(field, table.days(field) == MISSING, table.days(field))


def _outside(table: Table, bad: Callable[[npt.NDArray[np.int64]], npt.NDArray[np.bool_]]) -> Found:
    for field in date_fields(table):
        days = table.days(field)
        yield from flag(field, (days != MISSING) & bad(days), days)
    rows, days = review_rows(table)
    hit = (days != MISSING) & bad(days)
    if hit.any():
        yield "review_dates", rows[hit], iso(days[hit])


@rule(
    code="out_of_coverage",
    record_types=RECORD_TYPES,
    description="every date must lie inside the working-day calendar's coverage",
    messages={
        "*": "{field} is outside the calendar's coverage {coverage}; working days cannot be counted for it "
        "(build the calendar with a wider start/end, or correct the date)"
    },
    source=CASETIME_SOURCE,
)
def OUT_OF_COVERAGE(table: Table, ctx: Context) -> Found:
    yield from _outside(table, lambda d: (d < ctx.lo) | (d > ctx.hi))


@rule(
    code="after_as_at",
    record_types=RECORD_TYPES,
    description="no date may be later than the extract's 'as at' date",
    messages={"*": "{field} is after the extract's 'as at' date {as_at}; a date cannot be in the future"},
    source=CASETIME_SOURCE,
)
def AFTER_AS_AT(table: Table, ctx: Context) -> Found:
    if ctx.as_at is not None:
        cut = ctx.as_at
        yield from _outside(table, lambda d: d > cut)


@rule(
    code="outlier_date",
    record_types=RECORD_TYPES,
    description="a clock date far outside the bulk of the data (a typo that would move the default period)",
    messages={
        "*": "{field} is after {outlier_cut}: {outlier_why}; check it for a typo "
        "(a warning: the record is not left out for it)"
    },
    source=CASETIME_SOURCE,
    severity="warning",
)
def OUTLIER_DATE(table: Table, ctx: Context) -> Found:
    if ctx.outlier_after is not None:
        cut = ctx.outlier_after
        for field in dict.fromkeys(table.schema.clock):
            days = table.days(field)
            yield from flag(field, (days != MISSING) & (days > cut), days)


# ---------------------------------------------------------------------------
# the DfE date-ordering rules
# ---------------------------------------------------------------------------


@rule(
    code="1103",
    record_types=_ASSESSMENTS,
    description="assessment start on or after the referral date",
    messages={
        "start_date": "assessment start (start_date) is before the referral date (referral_date); "
        "DfE CIN rule 1103 requires it on or after the referral"
    },
    source=DFE_SOURCE,
)
def RULE_1103(table: Table, ctx: Context) -> Found:
    yield from flag("start_date", before(table, "start_date", "referral_date"), table.days("start_date"))


@rule(
    code="8608",
    record_types=_ASSESSMENTS,
    description="assessment completion (authorisation) on or after its start, and on or after its clock start",
    messages={
        "completion_date": "assessment completion (completion_date) is before {clock}; "
        "DfE CIN rule 8608 requires completion on or after the start"
    },
    source=DFE_SOURCE,
)
def RULE_8608(table: Table, ctx: Context) -> Found:
    bad = before(table, "completion_date", "start_date") | before(table, "completion_date", table.schema.clock[0])
    yield from flag("completion_date", bad, table.days("completion_date"))


@rule(
    code="2889",
    record_types=("s47",),
    description="section 47 enquiry start on or after the referral date",
    messages={
        "start_date": "section 47 start (start_date) is before the referral date (referral_date); "
        "DfE CIN rule 2889 requires it on or after the referral"
    },
    source=DFE_SOURCE,
)
def RULE_2889(table: Table, ctx: Context) -> Found:
    yield from flag("start_date", before(table, "start_date", "referral_date"), table.days("start_date"))


@rule(
    code="8615",
    record_types=("s47",),
    description="an initial child protection conference needs a section 47 start on or before it",
    messages={
        "conference_date": "initial child protection conference (conference_date) has no section 47 start on or "
        "before it (start_date missing or later); DfE CIN rule 8615"
    },
    source=DFE_SOURCE,
)
def RULE_8615(table: Table, ctx: Context) -> Found:
    conf, start = table.days("conference_date"), table.days("start_date")
    bad = (conf != MISSING) & ((start == MISSING) | (start > conf))
    yield from flag("conference_date", bad, conf)


@rule(
    code="1105",
    record_types=("cpp",),
    description="plan start on or after the referral date",
    messages={
        "start_date": "plan start (start_date) is before the referral date (referral_date); "
        "DfE CIN rule 1105 requires it on or after the referral"
    },
    source=DFE_SOURCE,
)
def RULE_1105(table: Table, ctx: Context) -> Found:
    yield from flag("start_date", before(table, "start_date", "referral_date"), table.days("start_date"))


@rule(
    code="8925",
    record_types=("cpp",),
    description="plan end on or after the plan start",
    messages={"end_date": "plan end (end_date) is before the plan start (start_date); DfE CIN rule 8925"},
    source=DFE_SOURCE,
)
def RULE_8925(table: Table, ctx: Context) -> Found:
    yield from flag("end_date", before(table, "end_date", "start_date"), table.days("end_date"))


@rule(
    code="8840",
    record_types=("cpp",),
    description="a plan cannot start and end on the same day",
    messages={"end_date": "plan starts and ends on the same day (end_date = start_date); DfE CIN rule 8840"},
    source=DFE_SOURCE,
)
def RULE_8840(table: Table, ctx: Context) -> Found:
    start, end = table.days("start_date"), table.days("end_date")
    yield from flag("end_date", (start != MISSING) & (end == start), end)


@rule(
    code="8841",
    record_types=("cpp",),
    description="every review strictly after the plan start",
    messages={
        "review_dates": "plan review (review_dates) is on or before the plan start (start_date); "
        "DfE CIN rule 8841 requires every review after the start"
    },
    source=DFE_SOURCE,
)
def RULE_8841(table: Table, ctx: Context) -> Found:
    rows, days = review_rows(table)
    start = table.days("start_date")[rows]
    hit = (days != MISSING) & (start != MISSING) & (days <= start)
    if hit.any():
        yield "review_dates", rows[hit], iso(days[hit])


@rule(
    code="8630",
    record_types=("referral",),
    description="case closure on or after the referral date",
    messages={
        "closure_date": "case closure (closure_date) is before the referral date (referral_date); DfE CIN rule 8630"
    },
    source=DFE_SOURCE,
)
def RULE_8630(table: Table, ctx: Context) -> Found:
    yield from flag("closure_date", before(table, "closure_date", "referral_date"), table.days("closure_date"))


@rule(
    code="8935",
    record_types=("cpp",),
    description="at most one open plan (no end date) per child",
    messages={
        "end_date": "this child has more than one open plan (no end_date); DfE CIN rule 8935 allows at most one; "
        "every open plan of the child is flagged"
    },
    source=DFE_SOURCE,
    needs_duplicates=True,
)
def RULE_8935(table: Table, ctx: Context) -> Found:
    child, end = table.child.codes, table.days("end_date")
    is_open = (end == MISSING) & (child >= 0)
    is_open[ctx.duplicates(table)[0]] = False  # a later copy of a duplicate is not a second plan
    per_child = np.bincount(as_intp(child[is_open]), minlength=int(child.max(initial=0)) + 1)
    bad = is_open & (per_child[np.maximum(child, 0)] >= 2)
    yield from flag("end_date", bad, end)


@rule(
    code="8940",
    record_types=("cpp",),
    description="plans of one child must not overlap: no plan starts within another",
    messages={
        "start_date": "plan starts (start_date) within another plan of the same child (on or after its start, on "
        "or before its end, or while it is open); plans must not overlap, DfE CIN rule 8940",
        "end_date": "another plan of the same child starts within this plan (on or after its start, on or before "
        "its end_date, or while it is open); plans must not overlap, DfE CIN rule 8940",
    },
    source=DFE_SOURCE,
    needs_duplicates=True,
)
def RULE_8940(table: Table, ctx: Context) -> Found:
    yield from _overlaps(table, ctx)


def _overlaps(table: Table, ctx: Context) -> Found:
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
    block_max_end = np.maximum.reduceat(e, as_intp(first))
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
    others_reaching = np.bincount(as_intp(block[ends_after_start]), minlength=first.size)[block] - ends_after_start
    later = reached[block] | (others_reaching > 0)
    earlier = (next_start[block] <= e) | ((block_size[block] > 1) & ends_after_start)
    if later.any():
        yield "start_date", idx[later], iso(start[idx[later]])
    if earlier.any():
        yield "end_date", idx[earlier], iso(end[idx[earlier]])


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


# ---------------------------------------------------------------------------
# the census's working-day checks (its InitialCPCtarget, queries 8670Q and 8675Q)
# ---------------------------------------------------------------------------

#: The working days from an s47 start to its initial conference (Working Together), the census's target.
ICPC_WORKING_DAYS: Final = 15
#: An assessment open longer than this many working days at the reference date is queried (8670Q).
ASSESSMENT_QUERY_DAYS: Final = 45


def _census_days(table: Table, name: str) -> npt.NDArray[np.int64]:
    """An extra column of census dates as day numbers (missing where blank or unreadable)."""
    days, _ = parse_date_strings(table.extra[name].values().astype(str))
    return days


@rule(
    code="icpc_target",
    record_types=("s47",),
    description=f"the census's InitialCPCtarget is {ICPC_WORKING_DAYS} working days after the s47 start",
    messages={
        "InitialCPCtarget": f"InitialCPCtarget is not {ICPC_WORKING_DAYS} working days after the s47 start "
        "(start_date); the value shows the target given, then the date it should be (a warning)"
    },
    source=CASETIME_SOURCE,
    severity="warning",
)
def ICPC_TARGET(table: Table, ctx: Context) -> Found:
    if "InitialCPCtarget" not in table.extra or ctx.calendar is None:
        return
    start = table.days("start_date")
    target = _census_days(table, "InitialCPCtarget")
    due = ctx.calendar.due(start, ICPC_WORKING_DAYS)
    bad = np.flatnonzero((start != MISSING) & (target != MISSING) & (due != MISSING) & (target != due))
    if bad.size:
        said = [f"{a} (should be {b})" for a, b in zip(iso(target[bad]).tolist(), iso(due[bad]).tolist(), strict=True)]
        yield "InitialCPCtarget", bad.astype(np.int64), np.array(said, dtype=object)


def _open_too_long(table: Table, ctx: Context, stop: str, limit: int) -> npt.NDArray[np.int64]:
    """Rows with a start, no ``stop``, and more than ``limit`` working days from the start to the 'as at' date."""
    if ctx.as_at is None or ctx.calendar is None:
        return np.empty(0, dtype=np.int64)
    start = table.days("start_date")
    elapsed = ctx.calendar.elapsed(start, np.full(start.shape, ctx.as_at, dtype=np.int64))
    late = (start != MISSING) & (table.days(stop) == MISSING) & (start <= ctx.as_at) & (elapsed > limit)
    return np.flatnonzero(late).astype(np.int64)


@rule(
    code="8670Q",
    record_types=("single_assessment",),
    description=f"an assessment open more than {ASSESSMENT_QUERY_DAYS} working days before the reference date",
    messages={
        "start_date": f"the assessment started (start_date) more than {ASSESSMENT_QUERY_DAYS} working days before "
        "the 'as at' date {as_at} and has no authorisation date (completion_date); DfE CIN query 8670Q asks to "
        "check it (a warning)"
    },
    source=DFE_SOURCE,
    severity="warning",
)
def QUERY_8670(table: Table, ctx: Context) -> Found:
    rows = _open_too_long(table, ctx, "completion_date", ASSESSMENT_QUERY_DAYS)
    if rows.size:
        yield "start_date", rows, iso(table.days("start_date")[rows])


@rule(
    code="8675Q",
    record_types=("s47",),
    description=f"an s47 enquiry open more than {ICPC_WORKING_DAYS} working days before the reference date, "
    "with no initial conference",
    messages={
        "start_date": f"the s47 enquiry started (start_date) more than {ICPC_WORKING_DAYS} working days before the "
        "'as at' date {as_at}, has no initial conference (conference_date) and is not marked ICPCnotRequired; "
        "DfE CIN query 8675Q asks to check it (a warning)"
    },
    source=DFE_SOURCE,
    severity="warning",
)
def QUERY_8675(table: Table, ctx: Context) -> Found:
    rows = _open_too_long(table, ctx, "conference_date", ICPC_WORKING_DAYS)
    if rows.size and "ICPCnotRequired" in table.extra:
        waived = np.char.lower(table.extra["ICPCnotRequired"].values().astype(str)) == "true"
        rows = rows[~waived[rows]]
    if rows.size:
        yield "start_date", rows, iso(table.days("start_date")[rows])


# ---------------------------------------------------------------------------
# after every other rule: exact duplicates
# ---------------------------------------------------------------------------


@rule(
    code="duplicate",
    record_types=RECORD_TYPES,
    description="no exact duplicate records (the later copies are flagged)",
    messages={
        "record": "exact duplicate of an earlier record (same child, dates and other columns); the later copies "
        "are flagged so the record is counted once"
    },
    source=CASETIME_SOURCE,
    needs_duplicates=True,
)
def DUPLICATE(table: Table, ctx: Context) -> Found:
    later, first = ctx.duplicates(table)
    if later.size:
        assert table.source is not None and table.row is not None
        sources = table.source.take(first).values().astype(str)
        rows = table.row[first].astype(str)
        text = np.strings.add(np.strings.add(np.strings.add("same as ", sources), " row "), rows)
        yield "record", later, text.astype(object)
