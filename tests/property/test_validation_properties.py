"""Property tests of casetime.validation, driven by the public casetime.testing strategies.

- every rule: records built to break it are flagged with it, at the rows and fields
  built in, and with nothing else; valid records are never flagged;
- extracts with random faults: the rows with errors are exactly the faulty rows, and
  reconciliation (rows read = rows valid + rows with errors) holds per record type and file;
- the vectorised rules equal a plain-Python, record-by-record reference (below) on
  random, messy tables (ties, missing values, duplicates, dates far out of range).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import casetime.validation.duplicates as duplicates_module
from casetime.calendar import WorkingCalendar, england
from casetime.schema import RECORD_TYPES, SCHEMAS
from casetime.tables import Table
from casetime.testing import breaking, extracts, tables
from casetime.validation import RULES, validate

AS_AT = dt.date(2030, 6, 30)
#: The census queries: open work at the 'as at' date, which valid records may well be (they are asked about,
#: never faulty); only their own tests run them among the rules.
QUERIES = ("8670Q", "8675Q")
NEEDS_AS_AT = ("after_as_at", *QUERIES)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def found_by(report: Any, rule: str) -> set[tuple[int, str]]:
    return {(int(p), s.field) for s in report.issue_sets if s.rule == rule for p in s.positions}


# ---------------------------------------------------------------------------
# each rule, broken on purpose
# ---------------------------------------------------------------------------

# two open plans of one child necessarily overlap as well
ALSO_BROKEN = {"8935": {"8940"}}


@pytest.mark.parametrize("rule", list(RULES))
def test_a_record_built_to_break_a_rule_is_flagged_with_it(rule: str) -> None:
    as_at = AS_AT if rule in NEEDS_AS_AT else None

    @SETTINGS
    @given(breaking(rule, as_at=as_at))
    def check(case: Any) -> None:
        # (a lone record dated after today is also an outlier_date warning, and an open one is queried:
        # only those rules' own tests look)
        chosen = [r for r in RULES if r not in ("outlier_date", *QUERIES) or rule == r]
        report = validate(case.tables(), as_at=as_at, rules=chosen)
        assert found_by(report, rule) == set(case.flagged)
        assert {s.rule for s in report.issue_sets} <= {rule} | ALSO_BROKEN.get(rule, set())
        errors = set(np.flatnonzero(report.error_mask(case.record_type)).tolist())
        if RULES[rule].severity == "warning":  # reported, never out of the indicators
            assert errors == set()
        else:  # every finding is an error, so every flagged row is out of the indicators
            assert errors >= {row for row, _ in case.flagged}

    check()


def latest_date(table: Table) -> Any:
    """The latest date anywhere in the table (None if it has none)."""
    parts = [col[~np.isnat(col)] for col in table.dates.values()]
    if table.reviews is not None:
        parts.append(table.reviews.values)
    every = np.concatenate(parts) if parts else np.empty(0, dtype="M8[D]")
    return every.max().item() if every.size else None


@pytest.mark.parametrize("record_type", RECORD_TYPES)
def test_valid_records_are_never_flagged(record_type: str) -> None:
    @SETTINGS
    @given(tables(record_type, 0, 12, extra_columns={"team": st.sampled_from(["North", "South"])}))
    def check(table: Table) -> None:
        # as at the latest date in the table: nothing is in the future yet (open work may be queried)
        chosen = [r for r in RULES if r not in (*QUERIES, "outlier_date")]
        report = validate({record_type: table}, as_at=latest_date(table), rules=chosen)
        assert len(report) == 0, report.summary()
        for rec in report.reconciliation():
            assert rec["rows_valid"] == rec["rows_read"] == len(table)

    check()


# ---------------------------------------------------------------------------
# extracts with random faults
# ---------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    extracts(size=25, fault_rate=0.25, as_at="2035-03-31", sources=3),
)
def test_extracts_faults_are_detected_and_reconciliation_holds(ex: Any) -> None:
    report = validate(ex.tables, as_at="2035-03-31")
    found = {(s.record_type, int(p), s.rule, s.field) for s in report.issue_sets for p in s.positions}
    for fault in ex.faults:
        assert (fault.record_type, fault.row, fault.rule, fault.field) in found
    by_source = {(r["record_type"], r["source"]): r for r in report.reconciliation()}
    for kind, table in ex.tables.items():
        errors = report.error_mask(kind)
        assert set(np.flatnonzero(errors).tolist()) == ex.faulty_rows(kind)
        names = table.source.values()
        for name in set(names.tolist()):
            here = names == name
            rec = by_source[(kind, name)]
            assert rec["rows_read"] == int(here.sum())
            assert rec["rows_with_errors"] == len([r for r in ex.faulty_rows(kind) if here[r]])
            assert rec["rows_read"] == rec["rows_valid"] + rec["rows_with_errors"]
        assert sum(r["rows_read"] for (k, _), r in by_source.items() if k == kind) == len(table) == 25


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extracts(size=15, fault_rate=0.0, record_types=["cpp", "initial_assessment"]))
def test_extracts_without_faults_validate_clean(ex: Any) -> None:
    assert ex.faults == ()
    assert len(validate(ex.tables)) == 0


# ---------------------------------------------------------------------------
# the reference: the rules record by record, in plain Python
# ---------------------------------------------------------------------------


def _rows(table: Table) -> list[dict[str, Any]]:
    cols = table.to_columns()
    out = []
    for i in range(len(table)):
        row: dict[str, Any] = {"child_id": cols["child_id"][i]}
        for name in table.dates:
            row[name] = cols[name][i].tolist()  # datetime.date or None
        row["review_dates"] = cols["review_dates"][i] if "review_dates" in cols else []
        row["extra"] = tuple((k, cols[k][i]) for k in sorted(table.extra))
        row["source"] = table.source.values()[i]
        row["row"] = int(table.row[i])
        out.append(row)
    return out


def _working_days_after(cal: WorkingCalendar, start: dt.date, end: dt.date) -> int | None:
    """Working days d with start < d <= end, counted one day at a time (None outside the coverage)."""
    lo, hi = cal.coverage
    if not (lo <= start <= hi and lo <= end <= hi):
        return None
    days = [start + dt.timedelta(k) for k in range(1, (end - start).days + 1)]
    return sum(bool(cal.is_working_day(d)) for d in days)


def _fifteenth_working_day(cal: WorkingCalendar, start: dt.date) -> dt.date | None:
    lo, hi = cal.coverage
    if not lo <= start <= hi:
        return None
    day, count = start, 0
    while count < 15:
        day += dt.timedelta(1)
        if day > hi:
            return None
        count += bool(cal.is_working_day(day))
    return day


def reference(
    tabs: dict[str, Table], lo: dt.date, hi: dt.date, as_at: dt.date | None, cal: WorkingCalendar | None = None
) -> Counter[tuple[Any, ...]]:
    found: Counter[tuple[Any, ...]] = Counter()
    for kind, table in tabs.items():
        schema = SCHEMAS[kind]
        rows = _rows(table)
        fields = list(schema.dates)

        def add(rule: str, field: str, i: int, value: dt.date | str | None, kind: str = kind) -> None:
            text = value.isoformat() if isinstance(value, dt.date) else (value or "")
            found[(kind, rule, field, i, text)] += 1

        first_copy: dict[Any, int] = {}
        later_copies = set()
        for i, r in enumerate(rows):
            key = (r["child_id"], *(r[f] for f in fields), r["extra"], tuple(sorted(r["review_dates"])))
            if key in first_copy:
                j = first_copy[key]
                later_copies.add(i)
                add("duplicate", "record", i, f"same as {rows[j]['source']} row {rows[j]['row']}")
            else:
                first_copy[key] = i
            for f in schema.required:
                if r[f] is None:
                    add("missing_date", f, i, "")
            for f in fields:
                d = r[f]
                if d is not None and not lo <= d <= hi:
                    add("out_of_coverage", f, i, d)
                if d is not None and as_at is not None and d > as_at:
                    add("after_as_at", f, i, d)
            for d in r["review_dates"]:
                if not lo <= d <= hi:
                    add("out_of_coverage", "review_dates", i, d)
                if as_at is not None and d > as_at:
                    add("after_as_at", "review_dates", i, d)
            ref, start = r.get("referral_date"), r.get("start_date")
            if kind in ("initial_assessment", "core_assessment", "single_assessment"):
                if start is not None and ref is not None and start < ref:
                    add("1103", "start_date", i, start)
                done = r["completion_date"]
                clock = r[schema.clock[0]]
                if done is not None and ((start is not None and done < start) or (clock is not None and done < clock)):
                    add("8608", "completion_date", i, done)
            if kind == "s47":
                if start is not None and ref is not None and start < ref:
                    add("2889", "start_date", i, start)
                conf = r["conference_date"]
                if conf is not None and (start is None or start > conf):
                    add("8615", "conference_date", i, conf)
            extras = dict(r["extra"])
            if cal is not None and as_at is not None and start is not None and start <= as_at:
                stop = {"single_assessment": "completion_date", "s47": "conference_date"}.get(kind)
                waived = str(extras.get("ICPCnotRequired") or "").lower() == "true"
                n = _working_days_after(cal, start, as_at) if stop is not None and r[stop] is None else None
                if kind == "single_assessment" and n is not None and n > 45:
                    add("8670Q", "start_date", i, start)
                if kind == "s47" and n is not None and n > 15 and not waived:
                    add("8675Q", "start_date", i, start)
            if cal is not None and kind == "s47" and start is not None and extras.get("InitialCPCtarget"):
                due = _fifteenth_working_day(cal, start)
                target = dt.date.fromisoformat(str(extras["InitialCPCtarget"]))
                if due is not None and target != due:
                    add("icpc_target", "InitialCPCtarget", i, f"{target} (should be {due})")
            if kind == "referral" and r["closure_date"] is not None and ref is not None and r["closure_date"] < ref:
                add("8630", "closure_date", i, r["closure_date"])
            if kind == "cpp":
                end = r["end_date"]
                if start is not None and ref is not None and start < ref:
                    add("1105", "start_date", i, start)
                if start is not None and end is not None and end < start:
                    add("8925", "end_date", i, end)
                if start is not None and end is not None and end == start:
                    add("8840", "end_date", i, end)
                for d in r["review_dates"]:
                    if start is not None and d <= start:
                        add("8841", "review_dates", i, d)
        if kind == "cpp":
            plans = [(i, r) for i, r in enumerate(rows) if i not in later_copies and r["child_id"] is not None]
            open_per_child = Counter(r["child_id"] for _, r in plans if r["end_date"] is None)
            for i, r in plans:
                if r["end_date"] is None and open_per_child[r["child_id"]] >= 2:
                    add("8935", "end_date", i, "")
            starts_within, contains = set(), set()
            for i, p in plans:
                for j, q in plans:
                    if i == j or p["child_id"] != q["child_id"] or p["start_date"] is None or q["start_date"] is None:
                        continue
                    if p["start_date"] <= q["start_date"] and (
                        p["end_date"] is None or q["start_date"] <= p["end_date"]
                    ):
                        starts_within.add(j)
                        contains.add(i)
            for j in starts_within:
                add("8940", "start_date", j, rows[j]["start_date"])
            for i in contains:
                add("8940", "end_date", i, rows[i]["end_date"])
    return found


def vectorised(report: Any) -> Counter[tuple[Any, ...]]:
    out: Counter[tuple[Any, ...]] = Counter()
    for s in report.issue_sets:
        for p, v in zip(s.positions.tolist(), s.values.tolist(), strict=True):
            out[(s.record_type, s.rule, s.field, p, v)] += 1
    return out


# messy tables: a short window with a narrow calendar (so coverage is often crossed), three children,
# any date missing, ties, copies of rows, and now and then a date centuries away
NARROW = WorkingCalendar(start="2009-01-10", end="2009-03-20", name="narrow")
WINDOW = (dt.date(2009, 1, 1), dt.date(2009, 3, 31))
FAR = st.sampled_from([dt.date(1200, 5, 1), dt.date(9000, 1, 1), dt.date(1970, 1, 1)])
any_date = st.one_of(st.none(), st.dates(*WINDOW), st.dates(*WINDOW), st.dates(*WINDOW), FAR)


@st.composite
def messy_table(draw: st.DrawFn, kind: str) -> Table:
    schema = SCHEMAS[kind]
    n = draw(st.integers(0, 14))
    rows = []
    for _ in range(n):
        row: dict[str, Any] = {"child_id": draw(st.sampled_from(["A", "B", "C", None]))}
        for f in schema.dates:
            row[f] = draw(any_date)
        if kind == "cpp":
            row["review_dates"] = draw(st.lists(st.dates(*WINDOW), max_size=3))
        row["team"] = draw(st.sampled_from(["N", "S"]))
        rows.append(row)
    # copies: exact, with the reviews reordered (still a duplicate), or near misses
    modes = st.sampled_from(["exact", "reordered", "other_reviews", "other_team"])
    copies = draw(st.lists(st.tuples(st.integers(0, max(n - 1, 0)), modes), max_size=4)) if n else []
    for k, mode in copies:
        copy = dict(rows[k])
        if kind == "cpp" and mode == "reordered":
            copy["review_dates"] = list(reversed(copy["review_dates"]))
        elif kind == "cpp" and mode == "other_reviews" and copy["review_dates"]:
            copy["review_dates"] = [d + dt.timedelta(days=1) for d in copy["review_dates"]]
        elif mode == "other_team":
            copy["team"] = "N" if copy["team"] == "S" else "S"
        rows.append(copy)
    order = draw(st.permutations(range(len(rows))))
    rows = [rows[k] for k in order]
    columns = {name: [r.get(name) for r in rows] for name in ("child_id", *schema.dates, "team")}
    if kind == "cpp":
        columns["review_dates"] = [r["review_dates"] for r in rows]
    return Table.from_columns(kind, columns, source=f"{kind}.csv", rows=np.arange(2, 2 + len(rows)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(RECORD_TYPES).flatmap(lambda kind: messy_table(kind).map(lambda t: {kind: t})),
    st.one_of(st.none(), st.dates(*WINDOW)),
)
def test_vectorised_rules_equal_the_record_by_record_reference(tabs: dict[str, Table], as_at: dt.date | None) -> None:
    report = validate(tabs, calendar=NARROW, as_at=as_at)
    assert vectorised(report) == reference(tabs, *NARROW.coverage, as_at, NARROW)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(extracts(size=20, fault_rate=0.3, as_at="2030-12-31"))
def test_vectorised_rules_equal_the_reference_on_generated_extracts(ex: Any) -> None:
    report = validate(ex.tables, as_at="2030-12-31")
    lo, hi = dt.date(1990, 1, 1), dt.date(2040, 12, 31)
    assert vectorised(report) == reference(ex.tables, lo, hi, dt.date(2030, 12, 31), england())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(RECORD_TYPES).flatmap(lambda kind: messy_table(kind).map(lambda t: {kind: t})))
def test_duplicates_stay_exact_when_every_row_hash_collides(tabs: dict[str, Table]) -> None:
    """The row hash only picks candidates: with a hash that maps everything to 0 the answers are unchanged."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(duplicates_module, "mix", lambda x: np.zeros_like(x))
        report = validate(tabs, calendar=NARROW)
    assert vectorised(report) == reference(tabs, *NARROW.coverage, None)


# ---------------------------------------------------------------------------
# quality counts add up across partitions
# ---------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extracts(size=24, fault_rate=0.3, as_at="2030-12-31", sources=2), st.integers(2, 4))
def test_quality_counts_of_partitions_by_child_add_up_to_the_whole(ex: Any, parts: int) -> None:
    """Partitions holding whole children: per-rule counts and reconciliation rows merge exactly."""
    whole = validate(ex.tables, as_at="2030-12-31").counts()
    pieces = []
    for k in range(parts):
        own = {}
        for kind, table in ex.tables.items():
            child = table.child.values()
            part = np.array([hash(c) % parts == k for c in child.tolist()], dtype=bool)
            own[kind] = table.take(part)
        pieces.append(validate(own, as_at="2030-12-31").counts())
    merged = sum(pieces[1:], pieces[0])
    assert merged.by_rule == whole.by_rule
    assert dict(merged.reconciliation) == dict(whole.reconciliation)
    assert merged.rows_read == sum(len(t) for t in ex.tables.values())
