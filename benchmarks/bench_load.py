"""Loading benchmark (issue 9): casetime.load against pandas.read_csv and polars.read_csv on the same files.

Generates initial-assessment CSVs (child_id, referral_date, completion_date, team) with realistic
child ids of 6, 10, 13 and 20 characters, ISO or dd/mm/yyyy dates and a small fault rate
(impossible dates, blank completions), then times, each in a fresh subprocess so that its peak
memory is its own:

- ``pandas``: ``pandas.read_csv(path, parse_dates=[...], dayfirst=...)`` (the C engine);
- ``polars``: ``polars.read_csv(path, try_parse_dates=True, ignore_errors=True)`` (``ignore_errors``
  because the faulty dates otherwise stop it);
- ``load``: ``casetime.load(path, record_type="ia")``: read, parse and validate (the modules it
  imports when first called, the validation rules and pyarrow's CSV reader, are imported before
  the clock, as each library's own modules are, and that time is printed apart; its process
  imports neither pandas nor polars, and the script fails if ``load`` does);
- ``load+texts``: the same, then every label's texts read once (child ids are made into Python
  strings only when first read, ``Labels.from_texts``; this row includes that cost).

The ids, about three records per child:

======  =====================================================================
width   what they look like
======  =====================================================================
6       six random upper-case letters and digits (``K3Z09Q``)
10      ten random digits, like an NHS number (``4857773456``)
13      a letter and twelve digits, like a unique pupil number (``H801200001234``)
20      a council code, a dash and ten digits, as in a national extract (``E09000003-0004857773``)
======  =====================================================================

It prints seconds, rows per second, the time ratio to pandas and to polars measured in the same
run, and the peak resident memory added by the call (``VmHWM`` minus the resident size just before
it), beside pandas' own peak on the same file. Each measurement runs ``--repeat`` times,
interleaved; the best run counts and every run is printed. Before each measurement a separate
process writes to (and frees) about five times the file's size of memory, because on these VMs the
first write to fresh memory costs 10-20 ns per 8 bytes and otherwise lands on whichever
measurement happens to get fresh pages (``--no-pretouch`` turns this off).

Targets (issue 9), for ``load``: time at most ``PANDAS_TARGET`` times pandas' and at most
``POLARS_TARGET`` times polars'; peak memory at most ``MEMORY_TARGET`` times pandas' peak. The
``load+texts`` row is printed beside it, unchecked: it adds what neither pandas (its strings stay in
Arrow) nor polars does, a Python string per distinct child id. The script prints a line per miss
and exits 1 if there is one.

    python benchmarks/bench_load.py                       # 1,000,000 rows, every width and date style
    python benchmarks/bench_load.py --big                 # also 10,000,000 rows
    python benchmarks/bench_load.py --rows 200000 --repeat 1 --widths 13 --styles iso
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CHILD_RATIO = 3  # about three records per child
FAULT_RATE = 0.001
PANDAS_TARGET = 1.0  # not slower than pandas.read_csv(parse_dates=...)
POLARS_TARGET = 1.5  # within 1.5x of polars.read_csv(try_parse_dates=True)
MEMORY_TARGET = 1.0  # peak no more than pandas' peak on the same file
CHECKED = ("load",)
WIDTHS = (6, 10, 13, 20)
_ALNUM = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))
_COUNCILS = np.array([f"E{c:08d}" for c in (6000001, 6000002, 8000012, 9000003, 9000033, 10000021, 7000044)])


def child_ids(rng: np.random.Generator, n: int, children: int, width: int) -> np.ndarray:
    """``n`` ids of ``width`` characters drawn from ``children`` distinct ones (see the module docstring)."""
    which = rng.integers(0, max(children, 1), n)
    if width == 6:
        # a fixed random id per child: base 36 digits of a scrambled child number
        scrambled = (which * 2654435761 + 97) % (36**6)
        digits = [(scrambled // 36**k) % 36 for k in range(5, -1, -1)]
        out = _ALNUM[digits[0]]
        for d in digits[1:]:
            out = np.strings.add(out, _ALNUM[d])
        return out
    if width == 10:
        return np.strings.zfill(((which * 48271 + 1_000_000_007) % 10**10).astype(str), 10)
    if width == 13:
        letter = _ALNUM[(which * 7) % 26]
        return np.strings.add(letter, np.strings.zfill(((which * 9973 + 880_120_000_000) % 10**12).astype(str), 12))
    if width == 20:
        council = _COUNCILS[which % _COUNCILS.size]
        return np.strings.add(np.strings.add(council, "-"), np.strings.zfill((which * 31 % 10**10).astype(str), 10))
    raise SystemExit(f"no id of width {width}")


def generate(path: Path, rows: int, style: str, width: int, seed: int = 1, block: int = 1_000_000) -> None:
    """Write ``rows`` initial assessments to ``path`` (vectorised, in blocks)."""
    rng = np.random.default_rng(seed)
    teams = np.array(["North", "South", "East", "West", "City Centre"])
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("child_id,referral_date,completion_date,team\n")
        for start in range(0, rows, block):
            n = min(block, rows - start)
            child = child_ids(rng, n, rows // CHILD_RATIO, width)
            ref = np.datetime64("2008-04-01") + rng.integers(0, 1500, n)
            done = ref + rng.integers(0, 40, n)
            if style == "iso":
                ref_text, done_text = ref.astype(str), done.astype(str)
            else:
                ref_text, done_text = _dmy(ref), _dmy(done)
            done_text = done_text.astype(object)
            done_text[rng.random(n) < 0.1] = ""
            done_text[rng.random(n) < FAULT_RATE] = "31/02/2009"
            team = teams[rng.integers(0, teams.size, n)]
            line = np.strings.add(np.strings.add(np.strings.add(child, ","), ref_text), ",")
            line = np.strings.add(np.strings.add(line, done_text.astype(str)), ",")
            line = np.strings.add(line, team)
            handle.write("\n".join(line.tolist()))
            handle.write("\n")


def _dmy(days: np.ndarray) -> np.ndarray:
    text = days.astype(str)  # YYYY-MM-DD
    year, month, day = np.strings.slice(text, 0, 4), np.strings.slice(text, 5, 7), np.strings.slice(text, 8, 10)
    return np.strings.add(np.strings.add(np.strings.add(np.strings.add(day, "/"), month), "/"), year)


# ---------------------------------------------------------------------------
# one measurement, run in a child process
# ---------------------------------------------------------------------------


def _rss_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _make_texts(tables: dict) -> None:
    """Read every label column's texts: child ids from the readers become Python strings here."""
    for table in tables.values():
        for lab in [table.child, *table.extra.values()]:
            assert lab.labels.shape[0] >= 0


def measure(what: str, path: str, dayfirst: bool) -> dict:
    # Each measurement imports only its own library: ``load``'s process never imports pandas or
    # polars unless casetime does (until 2026-12-02's second session every process imported both, which hid pyarrow's
    # ``to_numpy`` importing pandas in the middle of each load: 0.3-0.5 s and some 40 MB).
    import casetime
    import casetime.extract

    casetime.england().working_days_between("2009-01-05", "2009-01-06")  # build the calendar first
    # The modules ``load`` imports when first called (the validation rules, pyarrow's CSV reader) are
    # imported here, before the clock, and timed apart, as bench_cin_xml.py does for its readers and
    # as pandas' and polars' own modules are imported before theirs: the reading is what is compared.
    started = time.perf_counter()
    import casetime.validation

    with contextlib.suppress(ImportError):
        import pyarrow.csv
    imports = time.perf_counter() - started
    if what == "pandas":
        import pandas as pd
    elif what == "polars":
        import polars as pl
    else:
        try:  # warm up pyarrow's lazy imports outside the timing (pyarrow.array would import pandas)
            import pyarrow as pa
            import pyarrow.compute as pc

            pc.dictionary_encode(pyarrow.csv.read_csv(pa.BufferReader(b"a\nx\n")).column(0))
        except ImportError:
            pass
    before = _rss_kib("VmRSS")
    start = time.perf_counter()
    if what == "pandas":
        frame = pd.read_csv(path, parse_dates=["referral_date", "completion_date"], dayfirst=dayfirst)
        rows = len(frame)
    elif what == "polars":
        frame = pl.read_csv(path, try_parse_dates=True, ignore_errors=True)
        rows = frame.height
    else:
        extract = casetime.load(path, record_type="ia", dayfirst=dayfirst)
        if what == "load+texts":
            _make_texts(extract.tables)
        rows = len(extract["ia"])
    seconds = time.perf_counter() - start
    if what.startswith("load"):
        assert "pandas" not in sys.modules and "polars" not in sys.modules, "casetime.load imported a frame library"
    peak = (_rss_kib("VmHWM") - before) * 1024
    return {"what": what, "seconds": seconds, "rows": rows, "peak": peak, "imports": imports}


def pretouch(size: int) -> None:
    """Write ``size`` bytes of memory in a throw-away process, so later processes get touched pages."""
    code = f"import numpy as np; a = np.ones({max(size, 0) // 8}, dtype=np.int64)"
    subprocess.run([sys.executable, "-c", code], check=True)


def _available() -> int:
    with open("/proc/meminfo") as info:
        for line in info:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 1 << 30


def run_child(what: str, path: Path, dayfirst: bool) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", what, str(path), "1" if dayfirst else "0"],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def bench(rows: int, style: str, width: int, repeat: int, workdir: Path, touch: bool) -> list[str]:
    path = workdir / f"ia_{rows}_{style}_{width}.csv"
    t0 = time.perf_counter()
    generate(path, rows, style, width)
    size = path.stat().st_size
    print(
        f"\n{rows:,} rows, {style} dates, {width}-character ids, {size / 1e6:.0f} MB "
        f"(generated in {time.perf_counter() - t0:.1f} s)"
    )
    dayfirst = style == "dmy"
    cases = ["pandas", "polars", "load", "load+texts"]
    runs: dict[str, list[dict]] = {what: [] for what in cases}
    touch_bytes = min(max(5 * size, 1 << 30), int(0.6 * _available()))
    for _ in range(repeat):
        for what in cases:
            if touch:
                pretouch(touch_bytes)
            runs[what].append(run_child(what, path, dayfirst))
    best = {what: min(got, key=lambda r: r["seconds"]) for what, got in runs.items()}
    pandas, polars = best["pandas"], best["polars"]
    head = ("measurement", "best s", "all runs (s)", "rows/s", "vs pandas", "vs polars", "peak MB", "vs pandas peak")
    print("{:<12} {:>7} {:>22} {:>12} {:>10} {:>10} {:>8} {:>15}".format(*head))
    misses = []
    for what, r in best.items():
        to_pandas, to_polars = r["seconds"] / pandas["seconds"], r["seconds"] / polars["seconds"]
        memory = r["peak"] / max(pandas["peak"], 1)
        every = " ".join(f"{x['seconds']:.2f}" for x in runs[what])
        print(
            f"{what:<12} {r['seconds']:7.2f} {every:>22} {r['rows'] / r['seconds']:12,.0f} {to_pandas:9.2f}x "
            f"{to_polars:9.2f}x {r['peak'] / 1e6:8.0f} {memory:14.2f}x"
        )
        where = f"{rows:,} rows, {style}, {width}-character ids: {what}"
        if r["rows"] != rows:  # every reader must have read every row, or its time means nothing
            misses.append(f"{where} read {r['rows']:,} rows, not {rows:,}")
        if what not in CHECKED:
            continue
        if to_pandas > PANDAS_TARGET:
            misses.append(f"{where} takes {to_pandas:.2f}x pandas' time (target {PANDAS_TARGET}x)")
        if to_polars > POLARS_TARGET:
            misses.append(f"{where} takes {to_polars:.2f}x polars' time (target {POLARS_TARGET}x)")
        if memory > MEMORY_TARGET:
            misses.append(f"{where} peaks at {memory:.2f}x pandas' peak memory (target {MEMORY_TARGET}x)")
    imported = min(r["imports"] for got in runs.values() for r in got)
    print(f"(casetime's lazily imported modules, imported before every clock: {imported * 1e3:.0f} ms at best)")
    path.unlink()
    return misses


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(measure(sys.argv[2], sys.argv[3], sys.argv[4] == "1")))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--big", action="store_true", help="also 10,000,000 rows")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs per measurement")
    parser.add_argument("--styles", default="iso,dmy", help="date styles: iso, dmy or both")
    parser.add_argument("--widths", default=",".join(map(str, WIDTHS)), help="id widths, e.g. 10,13")
    parser.add_argument("--no-pretouch", action="store_true", help="do not touch memory before each measurement")
    args = parser.parse_args()
    sizes = [args.rows] + ([10_000_000] if args.big else [])
    from harness import machine

    for key, value in machine(("pandas", "polars", "pyarrow")).items():
        print(f"{key:<9} {value}")
    misses: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for rows in sizes:
            for width in (int(w) for w in args.widths.split(",")):
                for style in args.styles.split(","):
                    misses += bench(rows, style, width, args.repeat, Path(tmp), not args.no_pretouch)
    print()
    for miss in misses:
        print("MISS:", miss)
    if misses:
        sys.exit(1)
    print("PASS: every checked measurement meets its targets")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
