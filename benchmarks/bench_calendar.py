"""Benchmark: casetime's working-day calendar against numpy, pandas and a plain loop.

Run from the repository root::

    python benchmarks/bench_calendar.py                 # 10M pairs, 1M adds, median of 3
    python benchmarks/bench_calendar.py --rows 1000000  # quicker

What it measures, all in one run (targets are ratios, so machine drift cancels):

* counting the working days in (start, end] on ``--rows`` random pairs:
  ``casetime.england().working_days_between(start, end)`` against
  ``numpy.busday_count(start + 1, end + 1, busdaycal=...)`` (the same (start, end] count,
  since numpy counts [start, end)) built from the same calendar's weekday bank holidays;
* adding ``n`` working days (n random in 0..60) on ``--add-rows`` rows:
  ``add_working_days(start, n)`` against ``numpy.busday_offset(start, n, roll="backward", ...)``;
* for context, a plain Python loop over the days with a ``holidays`` object on ``--loop-rows`` rows;
* the cost of pandas: a Series of datetime64 in, a Series out.

Before anything is timed the results are checked to be equal, so the comparison is honest.
The script first touches (writes to, then frees) about as much memory as it will use: on some virtual
machines the first write to memory the process has never used costs 10-20 ns per 8 bytes, more than the
lookup being measured, and whichever method happens to get fresh pages would look several times slower
(``--no-pretouch`` shows that effect).
Each figure is the median of ``--repeat`` timed passes, after one warm-up pass that is left out of
the median (shown in the "warm-up" column). Passes of the different methods are interleaved so that
load on a shared machine hits them alike, and no output is kept alive across passes.

Exits 1 if a speed-up is below its target, 2 if results disagree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from harness import fail, machine, pretouch, run_interleaved

# Targets: casetime must be at least this many times faster than the numpy equivalent.
COUNT_TARGET = 10.0  # working_days_between vs numpy.busday_count
ADD_TARGET = 10.0  # add_working_days vs numpy.busday_offset

SEED = 20261126
FIRST_START = np.datetime64("2000-01-01", "D")
LAST_START = np.datetime64("2030-12-31", "D")
MAX_SPAN = 120  # end = start + 0..MAX_SPAN days
MAX_N = 60  # n = 0..MAX_N working days
PRETOUCH_BYTES_PER_ROW = 96  # about the script's peak memory per row of the larger benchmark


def random_starts(rng: np.random.Generator, rows: int) -> np.ndarray:
    lo, hi = int(FIRST_START.view("i8")), int(LAST_START.view("i8"))
    return rng.integers(lo, hi + 1, size=rows, dtype=np.int64).view("M8[D]")


def check_equal(what: str, ours: Any, theirs: Any) -> None:
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    if ours.shape != theirs.shape:
        fail(2, f"{what}: shapes differ, {ours.shape} vs {theirs.shape}")
    if ours.dtype.kind == "f" and np.isnan(ours).any():
        fail(2, f"{what}: casetime gave NaN on {int(np.isnan(ours).sum())} rows")
    differ = ours != theirs
    if differ.any():
        i = int(np.flatnonzero(differ)[0])
        fail(
            2,
            f"{what}: {int(differ.sum())} rows differ; first at row {i}: casetime {ours[i]!r}, reference {theirs[i]!r}",
        )


def loop_count(pairs: list[tuple[dt.date, dt.date]], hols: Any) -> list[int]:
    """Working days in (start, end] by walking the days: what a hand-written loop does."""
    one = dt.timedelta(days=1)
    out = []
    for start, end in pairs:
        count = 0
        day = start + one
        while day <= end:
            if day.weekday() < 5 and day not in hols:
                count += 1
            day += one
        out.append(count)
    return out


def per_row(seconds: dict[str, float], rows: dict[str, int]) -> dict[str, float]:
    return {name: value / rows[name] * 1e9 for name, value in seconds.items()}


def bench_count(cal: Any, busdaycal: np.busdaycalendar, rng: np.random.Generator, args: Any, pd: Any) -> dict[str, Any]:
    """Count (start, end]: casetime, numpy, pandas Series, and a plain loop on the first --loop-rows pairs."""
    start = random_starts(rng, args.rows)
    end = start + rng.integers(0, MAX_SPAN + 1, size=args.rows, dtype=np.int64)
    expected = np.busday_count(start + 1, end + 1, busdaycal=busdaycal)
    check_equal("working_days_between vs numpy.busday_count", cal.working_days_between(start, end), expected)
    methods: dict[str, Callable[[], Any]] = {
        "casetime": lambda: cal.working_days_between(start, end),
        "numpy": lambda: np.busday_count(start + 1, end + 1, busdaycal=busdaycal),
    }
    series_dtype = ""
    if pd is not None:
        start_s, end_s = pd.Series(start), pd.Series(end)
        series_dtype = str(start_s.dtype)
        got = cal.working_days_between(start_s, end_s)
        if not (isinstance(got, pd.Series) and got.index.equals(start_s.index)):
            fail(2, "working_days_between on a pandas Series did not give a Series with the same index")
        check_equal("working_days_between on pandas Series vs numpy", got.to_numpy(), expected)
        del got
        methods["pandas"] = lambda: cal.working_days_between(start_s, end_s)
    del expected
    first, median = run_interleaved(methods, args.repeat)

    import holidays

    lo, hi = cal.coverage
    hols = holidays.country_holidays("GB", subdiv="ENG", years=range(lo.year, hi.year + 1))
    k = min(args.loop_rows, args.rows)
    pairs = list(zip(start[:k].tolist(), end[:k].tolist(), strict=True))
    check_equal(
        "holidays loop vs working_days_between", cal.working_days_between(start[:k], end[:k]), loop_count(pairs, hols)
    )
    loop_first, loop_median = run_interleaved({"loop": lambda: loop_count(pairs, hols)}, args.repeat)
    first.update(loop_first)
    median.update(loop_median)
    rows = {name: args.rows for name in median} | {"loop": k}
    return {"ns": per_row(median, rows), "first": per_row(first, rows), "loop_rows": k, "series_dtype": series_dtype}


def bench_add(cal: Any, busdaycal: np.busdaycalendar, rng: np.random.Generator, args: Any, pd: Any) -> dict[str, Any]:
    """Add n working days: casetime, numpy, pandas Series."""
    start = random_starts(rng, args.add_rows)
    n = rng.integers(0, MAX_N + 1, size=args.add_rows, dtype=np.int64)
    expected = np.busday_offset(start, n, roll="backward", busdaycal=busdaycal)
    check_equal("add_working_days vs numpy.busday_offset", cal.add_working_days(start, n), expected)
    methods: dict[str, Callable[[], Any]] = {
        "casetime": lambda: cal.add_working_days(start, n),
        "numpy": lambda: np.busday_offset(start, n, roll="backward", busdaycal=busdaycal),
    }
    if pd is not None:
        start_s = pd.Series(start)
        got = cal.add_working_days(start_s, n)
        if not (isinstance(got, pd.Series) and got.index.equals(start_s.index)):
            fail(2, "add_working_days on a pandas Series did not give a Series with the same index")
        check_equal("add_working_days on pandas Series vs numpy", got.to_numpy().astype("M8[D]"), expected)
        del got
        methods["pandas"] = lambda: cal.add_working_days(start_s, n)
    first, median = run_interleaved(methods, args.repeat)
    rows = dict.fromkeys(median, args.add_rows)
    return {"ns": per_row(median, rows), "first": per_row(first, rows)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="pairs for the count benchmark (10,000,000)")
    parser.add_argument("--add-rows", type=int, default=1_000_000, help="rows for the add benchmark (1,000,000)")
    parser.add_argument("--loop-rows", type=int, default=10_000, help="rows for the Python loop (10,000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per method; the median is reported (3)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed ({SEED})")
    parser.add_argument("--no-pretouch", action="store_true", help="do not pre-touch memory (see the docstring)")
    args = parser.parse_args(argv)
    if min(args.rows, args.add_rows, args.loop_rows, args.repeat) < 1:
        parser.error("--rows, --add-rows, --loop-rows and --repeat must be at least 1")
    wall = time.perf_counter()

    # -- one-off: the first call builds the calendar's tables (the bundled 1990-2040 holidays) -----
    import casetime

    t0 = time.perf_counter()
    cal = casetime.england()
    cal.working_days_between("2009-01-05", "2009-01-14")
    build = time.perf_counter() - t0
    lo, hi = cal.coverage
    weekday_holidays = [h.date for h in cal.bank_holidays()]
    busdaycal = np.busdaycalendar(holidays=np.array(weekday_holidays, dtype="M8[D]"))

    try:
        import pandas as pd
    except ImportError:
        pd = None

    touched = 0 if args.no_pretouch else PRETOUCH_BYTES_PER_ROW * max(args.rows, args.add_rows)
    touch_time = pretouch(touched) if touched else 0.0

    rng = np.random.default_rng(args.seed)

    count = bench_count(cal, busdaycal, rng, args, pd)
    add = bench_add(cal, busdaycal, rng, args, pd)
    count_ns, count_first, add_ns, add_first = count["ns"], count["first"], add["ns"], add["first"]
    count_ratio = count_ns["numpy"] / count_ns["casetime"]
    add_ratio = add_ns["numpy"] / add_ns["casetime"]
    k, loop_ns, series_dtype = count["loop_rows"], count_ns["loop"], count["series_dtype"]

    # -- report --------------------------------------------------------------------------------------
    print("casetime calendar benchmark")
    for key, value in machine().items():
        print(f"  {key:9} {value}")
    shown = sys.argv[1:] if argv is None else argv
    print(f"  command   python {' '.join([os.path.relpath(sys.argv[0]), *shown])}")
    print(f"  seed {args.seed}; median of {args.repeat} passes after one warm-up pass")
    if touched:
        print(f"  memory pre-touched: {touched / 2**20:,.0f} MiB in {touch_time:.1f} s")
    else:
        print("  memory not pre-touched (--no-pretouch): fresh pages may inflate some figures")
    print(
        f"\none-off table build (first call: read the bundled holidays {lo.year}-{hi.year}, build tables): "
        f"{build * 1e3:.0f} ms\n"
    )

    header = f"{'operation':<52} {'rows':>11} {'ns/row':>9} {'warm-up':>11} {'casetime speed-up':>18}"
    print(header)
    print("-" * len(header))

    def line(label: str, rows_: int, ns: float, first_ns: float | None, speedup: str) -> None:
        first_txt = "" if first_ns is None else f"{first_ns:,.1f}"
        print(f"{label:<52} {rows_:>11,} {ns:>9,.1f} {first_txt:>11} {speedup:>18}")

    def verdict(ratio: float, target: float) -> str:
        return f"{ratio:.1f}x ({'ok' if ratio >= target else 'BELOW'} >= {target:g}x)"

    print("count working days in (start, end]")
    line("  casetime working_days_between(start, end)", args.rows, count_ns["casetime"], count_first["casetime"], "1")
    line(
        "  numpy busday_count(start + 1, end + 1)",
        args.rows,
        count_ns["numpy"],
        count_first["numpy"],
        verdict(count_ratio, COUNT_TARGET),
    )
    line(
        "  Python loop over days with a holidays object",
        k,
        loop_ns,
        count_first["loop"],
        f"{loop_ns / count_ns['casetime']:,.0f}x",
    )
    if pd is not None:
        line(
            f"  casetime, pandas Series ({series_dtype}) in and out",
            args.rows,
            count_ns["pandas"],
            count_first["pandas"],
            f"{count_ns['numpy'] / count_ns['pandas']:.1f}x vs numpy",
        )
    print("add n working days (n = 0..60), due date")
    line("  casetime add_working_days(start, n)", args.add_rows, add_ns["casetime"], add_first["casetime"], "1")
    line(
        "  numpy busday_offset(start, n, roll='backward')",
        args.add_rows,
        add_ns["numpy"],
        add_first["numpy"],
        verdict(add_ratio, ADD_TARGET),
    )
    if pd is not None:
        line(
            f"  casetime, pandas Series ({series_dtype}) in and out",
            args.add_rows,
            add_ns["pandas"],
            add_first["pandas"],
            f"{add_ns['numpy'] / add_ns['pandas']:.1f}x vs numpy",
        )
    print()
    if pd is not None:
        print(
            f"pandas wrapping costs {count_ns['pandas'] / count_ns['casetime']:.1f}x the ndarray time when "
            f"counting and {add_ns['pandas'] / add_ns['casetime']:.1f}x when adding (unit conversion to days, "
            "Series construction)."
        )
    else:
        print("pandas is not installed: the Series rows are skipped.")
    print(
        f"speed-up vs numpy: count {count_ratio:.1f}x (target {COUNT_TARGET:g}x), "
        f"add {add_ratio:.1f}x (target {ADD_TARGET:g}x); total run {time.perf_counter() - wall:.0f} s"
    )

    below = []
    if count_ratio < COUNT_TARGET:
        below.append(
            f"working_days_between is {count_ratio:.1f}x faster than numpy.busday_count, target {COUNT_TARGET:g}x"
        )
    if add_ratio < ADD_TARGET:
        below.append(f"add_working_days is {add_ratio:.1f}x faster than numpy.busday_offset, target {ADD_TARGET:g}x")
    if below:
        fail(1, "; ".join(below))
    print("PASS: all speed-ups meet their targets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
