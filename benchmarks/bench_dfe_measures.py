"""Benchmark: DfE tables C2 (assessments by working days, by month) and D6 (plans reviewed in timescale).

Run from the repository root::

    python benchmarks/bench_dfe_measures.py            # 10M assessments, 1M plans, median of 3
    python benchmarks/bench_dfe_measures.py --quick    # 1M assessments, 100,000 plans: a smoke run

What it measures, all in one run (targets are ratios, so machine drift cancels):

* **C2**, 2023/24 by month, on ``--assessments`` single assessments held as a
  :class:`casetime.tables.Table`: ``casetime.compute("C2", table, "2023/24", by="month")`` and, per
  month, the nine band counts, the share within 45 working days (numerator and denominator) and the
  median working days (``r.percentile(50)``). Against it:

  - *pandas*: the rows completed in the year and not before their start, ``numpy.busday_count(start + 1,
    completion + 1, busdaycal=...)`` (the same "day 0" count, since numpy counts [start, end)), ``pd.cut``
    into the bands, ``groupby`` on ``dt.to_period("M")`` for the counts and the median;
  - *polars*: the same with ``pl.business_day_count(..., holidays=...)``, ``bin_intervals`` (``cut``'s
    replacement since polars 2.0; right-closed bins), ``dt.truncate("1mo")`` and ``group_by``, lazily.

  Both are given the England and Wales bank holidays of the years the data spans (35 for 2022-2025),
  as an analyst would list them: polars' count takes time in proportion to the length of the list
  (measured here: casetime's whole 1990-2040 list, 415 holidays, made its business-day count ten times slower).

* **D6** at 31 March 2024 on ``--plans`` child protection plans with 0-8 reviews each:
  ``casetime.compute("D6", table, "2023/24").total()`` (numerator: on time; denominator: plans open at
  the reference date that had lasted at least 3 months). Against it, two pandas versions, both vectorised:

  - *pandas (long table)*: a plans frame and a reviews frame of one row per review (the exploded form,
    the same information as casetime's offsets and dates): the reviews up to the reference date,
    ``sort_values``, ``groupby(...).shift()`` for the gaps, ``pd.DateOffset(months=...)`` for the
    limits, ``groupby(...).agg`` per plan and a join;
  - *pandas (explode)*: the plans frame with a list column of review dates per plan, ``explode`` (and
    the conversion back to dates) inside the timed call, then the same.

  The target (10x) is checked against both.

Before anything is timed, every competitor's numbers are checked to equal casetime's exactly (band
counts, numerator, denominator and median per month; numerator and denominator of D6); a mismatch exits 2.
Data generation, building the casetime table and building the frames are outside the timings (the table
and frame constructions are timed once and shown, for context). Each figure is the median of ``--repeat``
timed passes after one warm-up pass, the competitors' passes interleaved with casetime's. Memory is
pre-touched first (see benchmarks/bench_calendar.py for why).

The data (seeded): assessments start uniformly over October 2022 - March 2024 and take 0-80 days (5% take
81-400), 2% are still open and 0.5% were completed 1-10 days before their start. Plans start uniformly
over January 2021 - June 2024 (so some start after the reference date); 30% end 30-900 days after their
start (some before the reference date); each has 0-8 reviews, the first 7-92 days after the start (5%
93-130: late), each later one 60-183 days after the one before (4% 184-260: late), 0.1% of review dates
missing, the reviews of each plan in random order (``--reviews-in-order``: in date order).

Exits 1 if a speed-up is below its target, 2 if the results disagree.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from fractions import Fraction
from typing import Any

import numpy as np
from harness import fail, machine, pretouch, run_interleaved

C2_PANDAS_TARGET = 10.0  # casetime at least this many times faster than pandas for C2
C2_POLARS_TARGET = 1.0  # ... and faster than polars
D6_PANDAS_TARGET = 10.0  # casetime at least this many times faster than pandas for D6
SEED = 20261202
PERIOD = "2023/24"
YEAR_START, YEAR_END = np.datetime64("2023-04-01", "D"), np.datetime64("2024-03-31", "D")
REFERENCE = YEAR_END  # D6's snapshot: the last day of the period
BAND_LABELS = ("same day", "1-10", "11-20", "21-30", "31-40", "41-45", "46-50", "51-60", "61+")
BAND_EDGES = (0, 10, 20, 30, 40, 45, 50, 60)  # right-closed: 0 | 1-10 | ... | 51-60 | 61+
WITHIN = 6  # the bands up to 41-45 are "within 45 working days"
PRETOUCH_BYTES_PER_ROW = 250  # about the peak memory per assessment (2.5 GB at 10M)
NAT = np.iinfo(np.int64).min

Summary = dict[str, tuple[tuple[int, ...], int, int, Fraction | None]]  # month -> bands, num, den, median


# --- data ------------------------------------------------------------------------------------------------------


def make_assessments(rng: np.random.Generator, rows: int) -> dict[str, np.ndarray]:
    """Start and completion dates (``datetime64[D]``, NaT when open) and child codes of ``rows`` assessments."""
    lo = int(np.datetime64("2022-10-01", "D").view("i8"))
    hi = int(np.datetime64("2024-03-31", "D").view("i8"))
    start = rng.integers(lo, hi + 1, size=rows, dtype=np.int64)
    took = rng.integers(0, 81, size=rows, dtype=np.int64)
    fault = rng.integers(0, 1000, size=rows)
    long_ = fault < 50
    took[long_] = rng.integers(81, 401, size=int(long_.sum()))
    backwards = (fault >= 50) & (fault < 55)
    took[backwards] = -rng.integers(1, 11, size=int(backwards.sum()))  # completed before the start
    done = start + took
    done[(fault >= 55) & (fault < 75)] = NAT  # still open
    child = rng.integers(0, max(rows // 3, 1), size=rows, dtype=np.int64)
    return {"child": child, "start": start.view("M8[D]"), "completion": done.view("M8[D]")}


def make_plans(rng: np.random.Generator, plans: int, *, in_order: bool = False) -> dict[str, np.ndarray]:
    """Plans (start, end with NaT, child codes) and their reviews as ``offsets`` into ``reviews`` (NaT = missing).

    Each plan's reviews are in random order, or in date order with ``in_order``.
    """
    lo = int(np.datetime64("2021-01-01", "D").view("i8"))
    hi = int(np.datetime64("2024-06-30", "D").view("i8"))
    start = rng.integers(lo, hi + 1, size=plans, dtype=np.int64)
    end = np.full(plans, NAT, dtype=np.int64)
    ended = rng.random(plans) < 0.3
    end[ended] = start[ended] + rng.integers(30, 901, size=int(ended.sum()))
    count = rng.integers(0, 9, size=plans, dtype=np.int64)
    offsets = np.zeros(plans + 1, dtype=np.int64)
    np.cumsum(count, out=offsets[1:])
    total = int(offsets[-1])
    plan = np.repeat(np.arange(plans, dtype=np.int64), count)
    first = np.zeros(total, dtype=bool)
    first[offsets[:-1][count > 0]] = True
    gap = np.where(first, rng.integers(7, 93, size=total), rng.integers(60, 184, size=total))
    late = rng.random(total)
    gap[first & (late < 0.05)] = rng.integers(93, 131, size=int((first & (late < 0.05)).sum()))
    gap[~first & (late < 0.04)] = rng.integers(184, 261, size=int((~first & (late < 0.04)).sum()))
    running = np.cumsum(gap)
    before = np.concatenate(([0], running))[offsets[:-1]]  # the running sum before each plan's first review
    reviews = start[plan] + running - np.repeat(before, count)
    reviews[rng.random(total) < 0.001] = NAT
    shuffled = np.lexsort((rng.random(total), plan))  # each plan's reviews in random order
    if in_order:
        shuffled = np.arange(total)
    return {
        "child": rng.integers(0, max(plans // 2, 1), size=plans, dtype=np.int64),
        "start": start.view("M8[D]"),
        "end": end.view("M8[D]"),
        "offsets": offsets,
        "reviews": reviews[shuffled].view("M8[D]"),
    }


def child_ids(codes: np.ndarray) -> np.ndarray:
    """Text ids ``C00000042`` for integer codes, as a fixed-width numpy array (no Python string per row)."""
    digits = np.char.zfill(codes.astype("U9"), 8)
    return np.char.add("C", digits)


# --- casetime --------------------------------------------------------------------------------------------------


def casetime_c2_table(cols: dict[str, np.ndarray], ids: np.ndarray) -> Any:
    from casetime.tables import Table

    return Table.from_columns(
        "single_assessment", {"child_id": ids, "start_date": cols["start"], "completion_date": cols["completion"]}
    )


def casetime_d6_table(cols: dict[str, np.ndarray], ids: np.ndarray) -> Any:
    """The plans as a table; the reviews as a :class:`~casetime.tables.Ragged` column built from the arrays.

    ``Table.from_columns`` takes review dates only as one list (or ``;``-joined text) per plan, read in a
    Python loop, so the table is built from the offsets and dates directly (with its child ids and dates
    from ``from_columns``).
    """
    from casetime.tables import Ragged, Table

    base = Table.from_columns("cpp", {"child_id": ids, "start_date": cols["start"], "end_date": cols["end"]})
    return Table(
        "cpp", base.child, base.dates, base.extra, base.source, base.row, Ragged(cols["offsets"], cols["reviews"])
    )


def casetime_c2(table: Any) -> Summary:
    import casetime

    result = casetime.compute("C2", table, PERIOD, by="month")
    return {
        r.get("month"): (tuple(r.band_counts.values()), r.numerator, r.denominator, r.percentile(50)) for r in result
    }


def casetime_d6(table: Any) -> tuple[int, int]:
    import casetime

    total = casetime.compute("D6", table, PERIOD).total()
    return total.numerator, total.denominator


# --- pandas ----------------------------------------------------------------------------------------------------


def pandas_c2_frame(cols: dict[str, np.ndarray]) -> Any:
    import pandas as pd

    return pd.DataFrame({"child": cols["child"], "start": cols["start"], "completion": cols["completion"]})


def pandas_c2(df: Any, busdaycal: np.busdaycalendar) -> Any:
    """Band counts, within 45 and the median per month, the way a pandas user would write it."""
    import pandas as pd

    done = df[df["completion"].between(pd.Timestamp(YEAR_START), pd.Timestamp(YEAR_END))]
    done = done[done["completion"] >= done["start"]]
    start = done["start"].to_numpy().astype("M8[D]")
    completion = done["completion"].to_numpy().astype("M8[D]")
    days = np.busday_count(start + 1, completion + 1, busdaycal=busdaycal)
    frame = pd.DataFrame(
        {
            "month": done["completion"].dt.to_period("M").array,
            "days": days,
            "band": pd.cut(days, bins=[-1, *BAND_EDGES, np.inf], labels=list(BAND_LABELS)),
        }
    )
    bands = frame.groupby(["month", "band"], observed=False).size().unstack("band")
    per_month = frame.groupby("month")["days"].agg(denominator="size", median="median")
    per_month["numerator"] = bands[list(BAND_LABELS[:WITHIN])].sum(axis=1)
    return bands.join(per_month)


def pandas_c2_summary(out: Any) -> Summary:
    return {
        str(month): (
            tuple(int(row[label]) for label in BAND_LABELS),
            int(row["numerator"]),
            int(row["denominator"]),
            Fraction(float(row["median"])),
        )
        for month, row in out.iterrows()
    }


def pandas_d6_frames(cols: dict[str, np.ndarray]) -> tuple[Any, Any]:
    import pandas as pd

    plans = pd.DataFrame({"child": cols["child"], "start": cols["start"], "end": cols["end"]})
    plan_of_review = np.repeat(np.arange(len(plans), dtype=np.int64), np.diff(cols["offsets"]))
    reviews = pd.DataFrame({"plan": plan_of_review, "review": cols["reviews"]})
    return plans, reviews


def pandas_d6(plans: Any, reviews: Any) -> tuple[int, int]:
    """D6 from a plans frame (index = plan) and a long reviews frame (plan, review), the pandas way."""
    import pandas as pd

    ref = pd.Timestamp(REFERENCE)
    three, six = pd.DateOffset(months=3), pd.DateOffset(months=6)
    open_ = plans[(plans["start"] <= ref) & (plans["end"].isna() | (plans["end"] > ref))]
    counted = open_[open_["start"] + three <= ref]
    so_far = reviews[reviews["review"] <= ref]  # a missing review date is no review
    so_far = so_far[so_far["plan"].isin(counted.index)].sort_values(["plan", "review"])
    previous = so_far.groupby("plan")["review"].shift()
    so_far = so_far.assign(late=so_far["review"] > previous + six)  # NaT (a plan's first review) is not late
    per_plan = so_far.groupby("plan").agg(first=("review", "first"), latest=("review", "last"), late=("late", "any"))
    both = counted[["start"]].join(per_plan, how="left")
    on_time = (
        both["first"].notna()
        & (both["first"] <= both["start"] + three)
        & ~both["late"].astype("boolean").fillna(True)
        & (both["latest"] + six >= ref)
    )
    return int(on_time.sum()), len(both)


def pandas_d6_lists(plans: Any) -> tuple[int, int]:
    """The same from a plans frame with a ``reviews`` list column: ``explode`` first (context only)."""
    exploded = plans["reviews"].explode().dropna()
    reviews = exploded.rename("review").rename_axis("plan").reset_index()
    reviews["review"] = reviews["review"].astype("datetime64[s]")
    return pandas_d6(plans, reviews)


def with_review_lists(plans: Any, cols: dict[str, np.ndarray]) -> Any:
    """The plans frame with a list column of each plan's review dates (numpy arrays), as an analyst may hold it."""
    lists = np.empty(len(plans), dtype=object)
    lists[:] = np.split(cols["reviews"], cols["offsets"][1:-1])
    return plans.assign(reviews=lists)


# --- polars ----------------------------------------------------------------------------------------------------


def polars_c2_frame(cols: dict[str, np.ndarray]) -> Any:
    import polars as pl

    return pl.DataFrame({"child": cols["child"], "start": cols["start"], "completion": cols["completion"]})


def polars_c2(df: Any, holidays: Any) -> Any:
    """Band counts, within 45 and the median per month, the polars way (lazy, one query)."""
    import polars as pl

    one_day = pl.duration(days=1)
    banded = (
        df.lazy()
        .filter(pl.col("completion").is_between(YEAR_START.item(), YEAR_END.item()))
        .filter(pl.col("completion") >= pl.col("start"))
        .with_columns(
            days=pl.business_day_count(pl.col("start") + one_day, pl.col("completion") + one_day, holidays=holidays),
            month=pl.col("completion").dt.truncate("1mo"),
        )
        .with_columns(band=pl.col("days").bin_intervals(list(BAND_EDGES), labels=False, right_closed=True))
    )
    return (
        banded.group_by("month")
        .agg(
            *[(pl.col("band") == i).sum().alias(label) for i, label in enumerate(BAND_LABELS)],
            numerator=(pl.col("band") < WITHIN).sum(),
            denominator=pl.len(),
            median=pl.col("days").median(),
        )
        .sort("month")
        .collect()
    )


def polars_c2_summary(out: Any) -> Summary:
    return {
        row["month"].strftime("%Y-%m"): (
            tuple(int(row[label]) for label in BAND_LABELS),
            int(row["numerator"]),
            int(row["denominator"]),
            Fraction(float(row["median"])),
        )
        for row in out.iter_rows(named=True)
    }


# --- checking and reporting ------------------------------------------------------------------------------------


def check_c2(name: str, ours: Summary, theirs: Summary) -> None:
    months = sorted(set(ours) | set(theirs))
    if len(ours) != 12:
        fail(2, f"C2: casetime gave {len(ours)} months, expected 12")
    for month in months:
        got, expected = ours.get(month), theirs.get(month)
        if got != expected:
            fail(2, f"C2 {month}: casetime {got} vs {name} {expected}")


def check_d6(name: str, ours: tuple[int, int], theirs: tuple[int, int]) -> None:
    if ours != theirs:
        fail(2, f"D6 (on time, counted): casetime {ours} vs {name} {theirs}")


def timed(fn: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def run_c2(rng: np.random.Generator, rows: int, repeat: int, use_polars: bool) -> dict[str, Any]:
    """Generate the assessments, check every version's numbers against casetime's, then time them."""
    import casetime

    cols = make_assessments(rng, rows)
    # the bank holidays of the years the data spans, as an analyst would list them (polars' business-day count
    # takes time in proportion to the list: the calendar's 415 holidays of 1990-2040 make it ten times slower)
    dates = np.concatenate([cols["start"], cols["completion"]])
    first, last = (int(str(d)[:4]) for d in (np.nanmin(dates), np.nanmax(dates)))
    listed = casetime.england().bank_holidays(f"{first}-01-01", f"{last}-12-31")
    bank_holidays = np.array([h.date for h in listed], dtype="M8[D]")
    busdaycal = np.busdaycalendar(holidays=bank_holidays)
    ids = child_ids(cols["child"])
    setup: dict[str, float] = {}
    setup["C2 Table.from_columns"], table = timed(lambda: casetime_c2_table(cols, ids))
    setup["C2 pandas DataFrame"], frame = timed(lambda: pandas_c2_frame(cols))
    ours = casetime_c2(table)
    check_c2("pandas", ours, pandas_c2_summary(pandas_c2(frame, busdaycal)))
    methods: dict[str, Any] = {"casetime": lambda: casetime_c2(table), "pandas": lambda: pandas_c2(frame, busdaycal)}
    if use_polars:
        import polars as pl

        setup["C2 polars DataFrame"], pframe = timed(lambda: polars_c2_frame(cols))
        holidays = pl.Series("holidays", bank_holidays)
        check_c2("polars", ours, polars_c2_summary(polars_c2(pframe, holidays)))
        methods["polars"] = lambda: polars_c2(pframe, holidays)
    pipeline, _ = timed(lambda: casetime_c2(casetime_c2_table(cols, ids)))
    first_pass, median = run_interleaved(methods, repeat)
    return {
        "first": first_pass,
        "median": median,
        "setup": setup,
        "pipeline": pipeline,
        "banded": sum(v[2] for v in ours.values()),
        "holidays": f"{len(bank_holidays)} bank holidays of {first}-{last}",
    }


def run_d6(rng: np.random.Generator, plans: int, repeat: int, in_order: bool) -> dict[str, Any]:
    """Generate the plans, check both pandas versions' numbers against casetime's, then time them."""
    cols = make_plans(rng, plans, in_order=in_order)
    ids = child_ids(cols["child"])
    setup: dict[str, float] = {}
    setup["D6 table (from_columns + Ragged)"], table = timed(lambda: casetime_d6_table(cols, ids))
    setup["D6 pandas frames (plans, reviews)"], (frame, reviews) = timed(lambda: pandas_d6_frames(cols))
    setup["D6 pandas list column"], lists = timed(lambda: with_review_lists(frame, cols))
    ours = casetime_d6(table)
    check_d6("pandas (long table)", ours, pandas_d6(frame, reviews))
    check_d6("pandas (explode)", ours, pandas_d6_lists(lists))
    methods = {
        "casetime": lambda: casetime_d6(table),
        "pandas (long table)": lambda: pandas_d6(frame, reviews),
        "pandas (explode)": lambda: pandas_d6_lists(lists),
    }
    first_pass, median = run_interleaved(methods, repeat)
    return {"first": first_pass, "median": median, "setup": setup, "result": ours, "reviews": int(cols["offsets"][-1])}


def keep_freed_memory() -> bool:
    """Have glibc's malloc keep the memory it is given back, so that a pass reuses pages already touched.

    By default glibc serves every block over 32 MB with its own ``mmap`` and returns it to the system when
    freed; on these VMs the system hands such pages back to the host within seconds, and touching them
    again costs more than the work being measured. A pandas pass at 10M rows (hundreds of MB of
    temporaries) then took 1.2-1.7 s or 3.3-3.6 s depending on whether the pass before it (polars, or a
    few seconds' pause) had let the pages go, which decided a 10x target by itself. With ``mmap`` off and
    no trimming, every method reuses memory it has touched (and the pre-touch works as intended).
    Returns whether the settings took (glibc only).
    """
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_max = -1, -4  # from glibc's malloc.h
        return bool(libc.mallopt(m_mmap_max, 0)) and bool(libc.mallopt(m_trim_threshold, 2**31 - 1))
    except (OSError, AttributeError):
        return False


def source_version() -> str:
    """The commit the library's source is at, and whether ``src/`` has uncommitted changes (shared trees)."""
    import subprocess

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        head = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        dirty = subprocess.run(
            ["git", "-C", root, "status", "--porcelain", "--", "src"], capture_output=True, text=True
        )
    except OSError:
        return "unknown"
    if head.returncode:
        return "unknown"
    return head.stdout.strip() + (" (src/ has uncommitted changes)" if dirty.stdout.strip() else "")


def print_times(out: dict[str, Any], rows: int) -> None:
    header = f"  {'method':<20} {'seconds':>9} {'ns/record':>10} {'warm-up s':>10} {'casetime faster by':>20}"
    print(header)
    ours = out["median"]["casetime"]
    for name, sec in out["median"].items():
        ratio = "" if name == "casetime" else f"{sec / ours:.1f}x"
        print(f"  {name:<20} {sec:>9.3f} {sec / rows * 1e9:>10.1f} {out['first'][name]:>10.3f} {ratio:>20}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assessments", type=int, default=None, help="C2 assessments (10,000,000; --quick 1,000,000)")
    parser.add_argument("--plans", type=int, default=None, help="D6 plans (1,000,000; --quick 100,000)")
    parser.add_argument("--quick", action="store_true", help="a smoke run at a tenth of the sizes (targets may miss)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per method; the median is reported (3)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed ({SEED})")
    parser.add_argument(
        "--reviews-in-order", action="store_true", help="each plan's reviews in date order (default: random order)"
    )
    parser.add_argument("--no-polars", action="store_true", help="leave polars out (its target is then not checked)")
    parser.add_argument("--no-pretouch", action="store_true", help="do not pre-touch memory")
    parser.add_argument(
        "--malloc-default", action="store_true", help="leave glibc's malloc as it is (see keep_freed_memory)"
    )
    args = parser.parse_args(argv)
    rows = args.assessments if args.assessments is not None else (1_000_000 if args.quick else 10_000_000)
    plans = args.plans if args.plans is not None else (100_000 if args.quick else 1_000_000)
    if min(rows, plans, args.repeat) < 1:
        parser.error("--assessments, --plans and --repeat must be at least 1")
    wall = time.perf_counter()
    kept = False if args.malloc_default else keep_freed_memory()

    import casetime

    source = source_version()  # before the run: another engineer may commit while it runs
    casetime.england().working_days_between("2023-04-03", "2023-04-14")  # build the calendar's tables once
    use_polars = not args.no_polars
    if use_polars:
        try:
            import polars  # noqa: F401
        except ImportError:
            use_polars = False
            print("polars is not installed: its comparison is skipped", file=sys.stderr)
    touched = 0 if args.no_pretouch else PRETOUCH_BYTES_PER_ROW * rows
    touch_time = pretouch(touched) if touched else 0.0
    rng = np.random.default_rng(args.seed)
    c2 = run_c2(rng, rows, args.repeat, use_polars)
    d6 = run_d6(rng, plans, args.repeat, args.reviews_in_order)

    print("casetime DfE measures benchmark (C2, D6)")
    for key, value in machine(modules=("pandas", "polars")).items():
        print(f"  {key:9} {value}")
    print(f"  source    {source}")
    shown = sys.argv[1:] if argv is None else argv
    print(f"  command   python {' '.join([os.path.relpath(sys.argv[0]), *shown])}")
    print(f"  seed {args.seed}; median of {args.repeat} passes after a warm-up; results checked equal before timing")
    if touched:
        print(f"  memory pre-touched: {touched / 2**20:,.0f} MiB in {touch_time:.1f} s")
    print(f"  malloc    {'freed memory kept (no mmap, no trim)' if kept else 'glibc defaults'}")
    print(f"\nC2 {PERIOD} by month: {rows:,} assessments ({c2['banded']:,} banded); band counts, within 45, median")
    print(f"  (numpy and polars given the {c2['holidays']})")
    print_times(c2, rows)
    print(f"  (casetime Table.from_columns + compute, once: {c2['pipeline']:.3f} s)")
    order = "in date order" if args.reviews_in_order else "in random order"
    on_time, counted = d6["result"]
    print(f"\nD6 at {REFERENCE}: {plans:,} plans, {d6['reviews']:,} reviews ({order} per plan); on time {on_time:,} "
          f"of {counted:,}")  # fmt: skip
    print_times(d6, plans)
    print("\nbuilding the inputs (once, not in the timings above)")
    for name, sec in {**c2["setup"], **d6["setup"]}.items():
        print(f"  {name:<36} {sec:>7.3f} s")

    c2_med, d6_med = c2["median"], d6["median"]
    targets = [("C2 vs pandas", c2_med["pandas"] / c2_med["casetime"], C2_PANDAS_TARGET)]
    if use_polars:
        targets.append(("C2 vs polars", c2_med["polars"] / c2_med["casetime"], C2_POLARS_TARGET))
    for name in ("pandas (long table)", "pandas (explode)"):
        targets.append((f"D6 vs {name}", d6_med[name] / d6_med["casetime"], D6_PANDAS_TARGET))
    print()
    missed = []
    for name, ratio, target in targets:
        verdict = "PASS" if ratio >= target else "MISS"
        gap = f"{ratio / target:.2f}x the target" if ratio >= target else f"short by a factor of {target / ratio:.2f}"
        print(f"{verdict}: {name}: speed-up {ratio:.2f}x (target {target:g}x; {gap})")
        if ratio < target:
            missed.append(f"{name} {ratio:.1f}x < {target:g}x")
    print(f"\ntotal run {time.perf_counter() - wall:.0f} s")
    if missed:
        fail(1, "; ".join(missed))
    print("PASS: every speed-up meets its target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
