"""Start-up and one-date benchmark (issue 9): ``casetime between`` from a cold process, and one scalar count.

Two things a person feels directly:

- ``casetime between 2009-01-05 2009-01-14`` run as a command: the whole process, from start to exit
  (Python's own start-up included), best of ``--runs``; printed beside ``python -c pass`` and
  ``python -c "import numpy"`` measured the same way, which no casetime change can beat;
- ``casetime.working_days_between("2009-01-05", "2009-01-14")`` on ISO strings (and on
  ``datetime.date`` objects), per call, the median of ``--repeat`` timed loops after a warm-up;
  printed beside ``numpy.busday_count`` on one pair of ``datetime64`` values and a plain loop over
  the days against a set of the calendar's holidays, for context.

Targets: start-up under ``STARTUP_TARGET`` seconds; one count under ``SCALAR_TARGET`` seconds. The
script prints a line per miss and exits 1 if there is one.

    python benchmarks/bench_startup.py
    python benchmarks/bench_startup.py --runs 20 --repeat 7
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import time

STARTUP_TARGET = 0.250
SCALAR_TARGET = 10e-6


def process_seconds(command: list[str], runs: int) -> float:
    """The best wall time of ``runs`` runs of ``command`` (each a new process)."""
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        best = min(best, time.perf_counter() - t0)
    return best


def per_call(fn: object, loops: int, repeat: int) -> float:
    """The median seconds per call of ``fn()`` over ``repeat`` timed loops of ``loops`` calls."""
    call = fn  # (a plain name: the loop below is what is timed)
    for _ in range(loops // 10):
        call()  # type: ignore[operator]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(loops):
            call()  # type: ignore[operator]
        times.append((time.perf_counter() - t0) / loops)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="processes started per command (best counts)")
    parser.add_argument("--repeat", type=int, default=5, help="timed loops per scalar measurement (median)")
    parser.add_argument("--loops", type=int, default=20000, help="calls per timed loop")
    args = parser.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from harness import machine

    for key, value in machine(("holidays",)).items():
        print(f"{key:<9} {value}")
    command = shutil.which("casetime")
    if command is None:
        raise SystemExit("the casetime command is not installed (pip install .)")
    misses = []

    print("\nstart-up, whole process (best of", args.runs, "runs)")
    baseline = process_seconds([sys.executable, "-c", "pass"], args.runs)
    numpy_only = process_seconds([sys.executable, "-c", "import numpy"], args.runs)
    between = process_seconds([command, "between", "2009-01-05", "2009-01-14"], args.runs)
    rows = (
        ("python -c pass", baseline, ""),
        ('python -c "import numpy"', numpy_only, ""),
        ("casetime between 2009-01-05 2009-01-14", between, f"   target < {STARTUP_TARGET * 1000:.0f} ms"),
    )
    for name, secs, note in rows:
        print(f"  {name:<44} {secs * 1000:7.0f} ms{note}")
    if between >= STARTUP_TARGET:
        misses.append(
            f"casetime between takes {between * 1000:.0f} ms to run (target < {STARTUP_TARGET * 1000:.0f} ms)"
        )

    import numpy as np

    import casetime

    print(f"\none count, per call (median of {args.repeat} loops of {args.loops})")
    strings = per_call(lambda: casetime.working_days_between("2009-01-05", "2009-01-14"), args.loops, args.repeat)
    d0, d1 = dt.date(2009, 1, 5), dt.date(2009, 1, 14)
    dates = per_call(lambda: casetime.working_days_between(d0, d1), args.loops, args.repeat)
    holidays_days = np.array([h.date for h in casetime.england().bank_holidays()], dtype="M8[D]")
    cal = np.busdaycalendar(holidays=holidays_days)
    a, b = np.datetime64("2009-01-06"), np.datetime64("2009-01-15")
    numpy_one = per_call(lambda: np.busday_count(a, b, busdaycal=cal), args.loops, args.repeat)
    closed = set(casetime.england().holidays)

    def loop() -> int:
        day, count = d0, 0
        while day < d1:
            day += dt.timedelta(days=1)
            count += day.weekday() < 5 and day not in closed
        return count

    looped = per_call(loop, args.loops, args.repeat)
    assert (
        casetime.working_days_between("2009-01-05", "2009-01-14") == loop() == int(np.busday_count(a, b, busdaycal=cal))
    )
    for name, secs in (
        ('working_days_between("2009-01-05", "2009-01-14")', strings),
        ("working_days_between(date, date)", dates),
        ("numpy.busday_count(datetime64, datetime64)", numpy_one),
        ("a Python loop over the days (set of holidays)", looped),
    ):
        print(f"  {name:<52} {secs * 1e6:7.2f} us")
    print(f"  target for the ISO strings: < {SCALAR_TARGET * 1e6:.0f} us")
    if strings >= SCALAR_TARGET:
        misses.append(
            f"one count from ISO strings takes {strings * 1e6:.1f} us (target < {SCALAR_TARGET * 1e6:.0f} us)"
        )
    print()
    for miss in misses:
        print("MISS:", miss)
    if misses:
        sys.exit(1)
    print("PASS: every checked measurement meets its target")


if __name__ == "__main__":
    main()
