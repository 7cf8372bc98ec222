"""Excel reader benchmark (issue 10): which library reads a 200,000-row sheet, and what casetime.load adds.

Writes one sheet of initial assessments (child id, referral and completion dates as real Excel dates,
one completion in ten blank, a team) with openpyxl, then times, each in a fresh process:

- ``calamine``: ``python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_name(...).to_python()``
  (the library casetime uses: Rust, every cell as a Python value of its own type);
- ``fastexcel``: ``fastexcel.read_excel(path).load_sheet(...).to_arrow()`` (Rust, typed Arrow columns);
- ``openpyxl``: ``load_workbook(path, read_only=True).iter_rows(values_only=True)`` (pure Python);
- ``load``: ``casetime.load(path)``: the calamine read, the headings matched, dates parsed, validated.

It prints each one's best time of ``--repeat`` and peak memory, and the ratios. Target: ``load`` at
most ``LOAD_TARGET`` times the calamine read alone (what casetime adds stays small). A reader that is
not installed is skipped and said.

    python benchmarks/bench_excel.py                   # 200,000 rows, best of 3
    python benchmarks/bench_excel.py --rows 20000 --repeat 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness import child_json, fail, machine, peak_mib

LOAD_TARGET = 2.0
SHEET = "initial_assessment"


def write(path: Path, rows: int) -> None:
    import random

    from openpyxl import Workbook

    rng = random.Random(1)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    sheet.append(["Child ID", "Referral Date", "IA Completed Date", "Team"])
    first = dt.datetime(2008, 4, 1)
    for i in range(rows):
        referral = first + dt.timedelta(days=rng.randrange(365))
        done = referral + dt.timedelta(days=rng.randrange(20)) if rng.random() < 0.9 else None
        sheet.append([f"C{i // 3:07d}", referral, done, rng.choice(["North", "South", "East", "West"])])
    book.save(path)


def _child(what: str, path: str) -> None:
    start = time.perf_counter()
    if what == "calamine":
        from python_calamine import CalamineWorkbook

        n = len(CalamineWorkbook.from_path(path).get_sheet_by_name(SHEET).to_python()) - 1
    elif what == "fastexcel":
        import fastexcel

        n = fastexcel.read_excel(path).load_sheet(SHEET).to_arrow().num_rows
    elif what == "openpyxl":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        n = sum(1 for _ in book[SHEET].iter_rows(values_only=True)) - 1
    else:
        import casetime

        n = len(casetime.load(path).tables["initial_assessment"])
    print(json.dumps({"seconds": time.perf_counter() - start, "peak_mib": peak_mib(), "rows": n}))


def _run(what: str, path: Path) -> dict | None:
    return child_json(__file__, what, str(path), missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("WHAT", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    print(json.dumps(machine(("fastexcel", "openpyxl")), indent=1))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "extract.xlsx"
        write(path, args.rows)
        print(f"workbook: {path.stat().st_size / 1e6:.1f} MB, {args.rows:,} rows")
        runs: dict[str, list[dict]] = {}
        for _ in range(args.repeat):
            for what in ("calamine", "fastexcel", "openpyxl", "load"):
                got = _run(what, path)
                if got is None:
                    print(f"  {what}: not installed, skipped")
                    continue
                if got["rows"] != args.rows:
                    fail(2, f"{what} read {got['rows']} rows, not {args.rows}")
                runs.setdefault(what, []).append(got)
        best = {what: min(r["seconds"] for r in found) for what, found in runs.items()}
        for what, found in runs.items():
            peak = max(r["peak_mib"] for r in found)
            times = " ".join(f"{r['seconds']:.2f}" for r in found)
            print(f"  {what:9s} best {best[what]:6.2f} s  peak {peak:6.0f} MiB  (runs: {times})")
        if "calamine" not in best:
            fail(2, "python-calamine is not installed: pip install 'casetime[excel]'")
        for what in ("fastexcel", "openpyxl"):
            if what in best:
                print(f"  {what} / calamine = {best[what] / best['calamine']:.2f}x")
        ratio = best["load"] / best["calamine"]
        print(f"  load / calamine = {ratio:.2f}x (target <= {LOAD_TARGET:.1f}x)")
        if ratio > LOAD_TARGET:
            print(f"MISS: load takes {ratio:.2f}x the calamine read, target {LOAD_TARGET:.1f}x")
            sys.exit(1)
        print("PASS: every checked measurement meets its target")


if __name__ == "__main__":
    main()
