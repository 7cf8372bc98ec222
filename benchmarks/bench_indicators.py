"""Benchmark: NI59, NI60 and NI64 for one financial year by month, casetime against idiomatic pandas.

Run from the repository root::

    python benchmarks/bench_indicators.py                  # 10M records per indicator, median of 3
    python benchmarks/bench_indicators.py --rows 1000000   # quicker

What it measures, all in one run (targets are ratios, so machine drift cancels):

* for each of NI59 (initial assessments, 7 working days), NI60 (core assessments, 35 working
  days) and NI64 (child protection plans lasting 2 years or more, children counted once), on
  ``--rows`` records held as a :class:`casetime.tables.Table`:
  ``casetime.engine.compute(indicator, table, FinancialYear(2008), by="month")``, which gives per
  month the numerator, the denominator and the records left out (stopped before they started,
  no start date, still open);
* the same numbers from an idiomatic pandas version on a DataFrame of the same records:
  ``numpy.busday_count(start + 1, end + 1, busdaycal=...)`` with the same England and Wales bank
  holidays (the same "day 0" count, since numpy counts [start, end)), ``start + DateOffset(years=2)``
  for NI64, and ``groupby`` on ``dt.to_period("M")``; for NI64, a ``groupby`` on (month, child) first,
  so that a child counts once. The child ids are integer codes in pandas (cheaper to group than
  the text ids casetime holds).

Before anything is timed, both versions' numbers are checked to be equal month by month.
The data: completion (end) dates uniform from 60 days before to 60 days after the year; clock
starts 0-20 (NI59), 0-80 (NI60) or 0-1,200 (NI64) days earlier; 2% still open, 0.1% with no start,
0.1% stopped before they started; about three records per child.
Each figure is the median of ``--repeat`` timed passes after one warm-up pass; passes of the two
versions are interleaved so that load on a shared machine hits them alike. Memory is pre-touched
first (see benchmarks/bench_calendar.py for why).

Exits 1 if a speed-up is below its target, 2 if the results disagree.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

import numpy as np
from harness import fail, machine, pretouch, run_interleaved

TARGET = 10.0  # casetime must be at least this many times faster than pandas, for each indicator
SEED = 20261126
YEAR = 2008
MARGIN = 60  # days either side of the financial year
SPANS = {"NI59": 20, "NI60": 80, "NI64": 1200}
PRETOUCH_BYTES_PER_ROW = 320  # about the peak memory per record (3.1 GB at 10M)


def make_records(rng: np.random.Generator, rows: int, max_span: int) -> dict[str, np.ndarray]:
    """Day numbers of clock start and stop, and child codes, for ``rows`` records."""
    lo = int(np.datetime64(f"{YEAR}-04-01", "D").view("i8")) - MARGIN
    hi = int(np.datetime64(f"{YEAR + 1}-03-31", "D").view("i8")) + MARGIN
    stop = rng.integers(lo, hi + 1, size=rows, dtype=np.int64)
    start = stop - rng.integers(0, max_span + 1, size=rows, dtype=np.int64)
    fault = rng.integers(0, 1000, size=rows)
    stop[fault < 20] = np.iinfo(np.int64).min  # still open
    start[fault == 20] = np.iinfo(np.int64).min  # no start date
    backwards = fault == 21
    start[backwards] = stop[backwards] + rng.integers(1, 10, size=int(backwards.sum()))  # stopped before start
    child = rng.integers(0, max(rows // 3, 1), size=rows, dtype=np.int64)
    return {"start": start, "stop": stop, "child": child}


def casetime_table(kind: str, cols: dict[str, np.ndarray], child_labels: np.ndarray) -> Any:
    from casetime.schema import SCHEMAS
    from casetime.tables import Labels, Table

    start_col, stop_col = SCHEMAS[kind].clock if kind != "initial_assessment" else ("referral_date", "completion_date")
    return Table(
        kind,
        Labels(cols["child"], child_labels),
        {start_col: cols["start"].view("M8[D]"), stop_col: cols["stop"].view("M8[D]")},
    )


def pandas_frame(cols: dict[str, np.ndarray]) -> Any:
    import pandas as pd

    return pd.DataFrame(
        {"child": cols["child"], "start": cols["start"].view("M8[D]"), "stop": cols["stop"].view("M8[D]")}
    )


def pandas_indicator(df: Any, which: str, limit: int, busdaycal: np.busdaycalendar) -> Any:
    """Numerator, denominator and records left out per month, the way a pandas user would write it."""
    import pandas as pd

    lo, hi = pd.Timestamp(f"{YEAR}-04-01"), pd.Timestamp(f"{YEAR + 1}-03-31")
    done = df[df["stop"].between(lo, hi)]
    month = done["stop"].dt.to_period("M")
    has_start = done["start"].notna()
    ok = has_start & (done["stop"] >= done["start"])
    valid = done[ok]
    if which == "NI64":
        hit = valid["stop"] >= valid["start"] + pd.DateOffset(years=limit)
        per_child = pd.DataFrame({"month": month[ok], "child": valid["child"], "hit": hit})
        children = per_child.groupby(["month", "child"])["hit"].max()
        counts = children.groupby(level="month").agg(numerator="sum", denominator="count")
    else:
        s = valid["start"].to_numpy().astype("M8[D]")
        e = valid["stop"].to_numpy().astype("M8[D]")
        elapsed = np.busday_count(s + 1, e + 1, busdaycal=busdaycal)
        frame = pd.DataFrame({"month": month[ok], "hit": elapsed <= limit})
        counts = frame.groupby("month")["hit"].agg(numerator="sum", denominator="count")
    left = (
        pd.DataFrame({"month": month, "completed_before_start": has_start & ~ok, "missing_start": ~has_start})
        .groupby("month")[["completed_before_start", "missing_start"]]
        .sum()
    )
    still_open = df.loc[df["stop"].isna() & df["start"].between(lo, hi), "start"].dt.to_period("M")
    out = counts.join(left, how="outer").join(still_open.value_counts().rename("still_open"), how="outer")
    return out.fillna(0).astype("int64")


def check_equal(which: str, ours: Any, theirs: Any) -> None:
    for row in ours:
        month = row.get("month")
        got = (row.numerator, row.denominator, row.left_out["completed_before_start"], row.left_out["missing_start"],
               row.left_out["still_open"])  # fmt: skip
        if month in theirs.index.astype(str):
            ref = theirs.loc[theirs.index.astype(str) == month].iloc[0]
            expected = tuple(
                int(ref[c])
                for c in ("numerator", "denominator", "completed_before_start", "missing_start", "still_open")
            )
        else:
            expected = (0, 0, 0, 0, 0)
        if got != expected:
            fail(2, f"{which} {month}: casetime {got} vs pandas {expected}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="records per indicator (10,000,000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per method; the median is reported (3)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed ({SEED})")
    parser.add_argument("--no-pretouch", action="store_true", help="do not pre-touch memory")
    args = parser.parse_args(argv)
    if min(args.rows, args.repeat) < 1:
        parser.error("--rows and --repeat must be at least 1")
    wall = time.perf_counter()

    import casetime
    from casetime.engine import compute
    from casetime.indicators import NI59, NI60, NI64
    from casetime.periods import FinancialYear

    cal = casetime.england()
    cal.working_days_between("2009-01-05", "2009-01-14")  # build the calendar's tables once
    busdaycal = np.busdaycalendar(holidays=np.array([h.date for h in cal.bank_holidays()], dtype="M8[D]"))
    touched = 0 if args.no_pretouch else PRETOUCH_BYTES_PER_ROW * args.rows
    touch_time = pretouch(touched) if touched else 0.0
    rng = np.random.default_rng(args.seed)
    child_labels = np.array([f"C{i:08d}" for i in range(max(args.rows // 3, 1))], dtype=object)
    period = FinancialYear(YEAR)

    results: dict[str, dict[str, float]] = {}
    for indicator, kind in ((NI59, "initial_assessment"), (NI60, "core_assessment"), (NI64, "cpp")):
        cols = make_records(rng, args.rows, SPANS[indicator.id])
        table = casetime_table(kind, cols, child_labels)
        frame = pandas_frame(cols)
        ours = compute(indicator, table, period, by="month")
        theirs = pandas_indicator(frame, indicator.id, indicator.limit, busdaycal)
        check_equal(indicator.id, ours, theirs)
        del ours, theirs

        def run_casetime(ind: Any = indicator, tab: Any = table) -> Any:
            return compute(ind, tab, period, by="month")

        def run_pandas(ind: Any = indicator, df: Any = frame) -> Any:
            return pandas_indicator(df, ind.id, ind.limit, busdaycal)

        results[indicator.id] = run_interleaved({"casetime": run_casetime, "pandas": run_pandas}, args.repeat)[1]
        del table, frame, cols

    print("casetime indicators benchmark")
    for key, value in machine(modules=("pandas",)).items():
        print(f"  {key:9} {value}")
    shown = sys.argv[1:] if argv is None else argv
    print(f"  command   python {' '.join([os.path.relpath(sys.argv[0]), *shown])}")
    print(f"  seed {args.seed}; {args.rows:,} records per indicator; median of {args.repeat} passes after a warm-up")
    if touched:
        print(f"  memory pre-touched: {touched / 2**20:,.0f} MiB in {touch_time:.1f} s")
    print("  the task: one financial year (2008/09) by month: numerator, denominator, records left out\n")
    header = f"{'indicator':<34} {'casetime s':>11} {'ns/rec':>8} {'pandas s':>10} {'ns/rec':>8} {'speed-up':>20}"
    print(header)
    print("-" * len(header))
    below = []
    labels = {"NI59": "NI59 (7 working days)", "NI60": "NI60 (35 working days)", "NI64": "NI64 (2 years, children)"}
    for name, med in results.items():
        ratio = med["pandas"] / med["casetime"]
        verdict = f"{ratio:.1f}x ({'ok' if ratio >= TARGET else 'BELOW'} >= {TARGET:g}x)"
        print(
            f"{labels[name]:<34} {med['casetime']:>11.3f} {med['casetime'] / args.rows * 1e9:>8.1f} "
            f"{med['pandas']:>10.3f} {med['pandas'] / args.rows * 1e9:>8.1f} {verdict:>20}"
        )
        if ratio < TARGET:
            below.append(f"{name} is {ratio:.1f}x faster than pandas, target {TARGET:g}x")
    print(f"\ntotal run {time.perf_counter() - wall:.0f} s")
    if below:
        fail(1, "; ".join(below))
    print("PASS: every speed-up meets its target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
