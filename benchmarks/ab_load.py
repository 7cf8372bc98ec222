"""A/B of ``casetime.load`` between source trees: the same file, fresh processes, alternating.

For a change to the readers, whose effect (a few per cent) is smaller than the spread between runs of
``bench_load.py`` on these VMs: each tree's ``src`` is put first on ``PYTHONPATH`` in turn, so the
trees take turns on the same machine state. Each run imports casetime, its extract and validation
modules and pyarrow before the clock (as a session that has loaded once would), then times one
``casetime.load(path, record_type="ia")`` (day first if the file's name holds ``dmy``), with the CPU
time of all the process's threads during it and its peak (``VmHWM`` minus the resident size before);
neither pandas nor polars is imported before the clock, and a tree whose ``load`` imports either says so.
Before each run this process writes to (and frees) memory, as ``bench_load.py`` does. It prints each
tree's best and median seconds, its median CPU seconds and its range of peaks.

    python -c "import sys; sys.path.insert(0, 'benchmarks'); from bench_load import generate; \
        from pathlib import Path; generate(Path('/tmp/ia_iso_13.csv'), 1_000_000, 'iso', 13)"
    git worktree add /tmp/before HEAD~1
    python benchmarks/ab_load.py /tmp/ia_iso_13.csv --runs 10 /tmp/before/src src
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

from harness import pretouch

_CHILD = r"""
import resource, sys, time
def rss(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field))
import casetime, casetime.extract, casetime.validation
import pyarrow as pa, pyarrow.compute as pc
import pyarrow.csv
pc.dictionary_encode(pyarrow.csv.read_csv(pa.BufferReader(b"a\nx\n")).column(0))  # (pyarrow.array would import pandas)
casetime.england().working_days_between("2009-01-05", "2009-01-06")
def cpu():
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime
before, used = rss("VmRSS"), cpu()
start = time.perf_counter()
casetime.load(sys.argv[1], record_type="ia", dayfirst=sys.argv[2] == "1")
seconds, used, peak = time.perf_counter() - start, cpu() - used, (rss("VmHWM") - before) / 1024
print(seconds, used, peak, int("pandas" in sys.modules or "polars" in sys.modules))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="an initial-assessment CSV (bench_load.generate writes one)")
    parser.add_argument("trees", nargs="+", help="source folders (each holds the casetime package)")
    parser.add_argument("--runs", type=int, default=10, help="runs of each tree (default 10)")
    args = parser.parse_args()
    dayfirst = "1" if "dmy" in args.path.name else "0"
    runs: dict[str, list[tuple[float, float, float]]] = {tree: [] for tree in args.trees}
    touch = max(5 * args.path.stat().st_size, 320 << 20)
    for _ in range(args.runs):
        for tree in args.trees:
            pretouch(touch)
            env = {**os.environ, "PYTHONPATH": str(Path(tree).resolve())}
            out = subprocess.run(
                [sys.executable, "-c", _CHILD, str(args.path), dayfirst], env=env, capture_output=True, text=True
            )
            if out.returncode:
                sys.exit(f"{tree}: {out.stderr.strip().splitlines()[-1] if out.stderr.strip() else out.returncode}")
            seconds, cpu, peak, frames = map(float, out.stdout.split())
            runs[tree].append((seconds, cpu, peak, frames))
    for tree, got in runs.items():
        times, cpus, peaks, frames = ([run[k] for run in got] for k in range(4))
        print(
            f"{tree:40} best {min(times):.3f} s, median {statistics.median(times):.3f} s, "
            f"CPU median {statistics.median(cpus):.3f} s, peak {min(peaks):.0f}-{max(peaks):.0f} MiB ({len(got)} runs)"
            + (f"; load imported pandas or polars in {int(sum(frames))} of them" if any(frames) else "")
        )


if __name__ == "__main__":
    main()
