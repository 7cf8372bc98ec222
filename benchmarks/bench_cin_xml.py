"""Census XML benchmark (issue 10): casetime.load against ElementTree on the same census file.

Generates a Children in Need census file with ``casetime.synth`` (``generate`` then ``write_cin_xml``:
about 100,000 children by default, indented one element per line as census software writes) and
times, each in a fresh subprocess so that its peak memory is its own:

- ``load``: ``casetime.load(path)``: read the records, parse the dates, validate;
- ``etree``: ``xml.etree.ElementTree.parse(path)`` (the C parser), then the same four tables built
  as lists (child id, referral date, and each record's dates, reviews as lists) and the dates made
  ``datetime64[D]`` arrays: what reading the census into tables takes without casetime;
- ``read_xml``: ``pandas.read_xml(path, xpath=".//Assessments", parser="etree")``, for reference only:
  it flattens one level, so it gives the assessments' own dates without their child or referral.

Each reader's modules (casetime; ElementTree and numpy; pandas) are imported before its clock
starts, and that import is printed apart: the reading of the file is what is compared.
It prints seconds, the ratio of ``etree`` (and ``read_xml``) to ``load`` measured in the same run,
and each process's peak resident memory (``VmHWM``). Targets: ``load`` at least ``SPEED_TARGET``
times faster than ``etree``, and its peak memory under ``MEMORY_TARGET_MB``. Each measurement runs
``--repeat`` times, interleaved; the best run counts. Exit 1 on a miss.

    python benchmarks/bench_cin_xml.py                    # about 100,000 children
    python benchmarks/bench_cin_xml.py --referrals 10000  # a quick run
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness import child_json, fail, machine, peak_mib

SPEED_TARGET = 5.0
MEMORY_TARGET_MB = 300.0


def _etree(path: str) -> dict:
    import xml.etree.ElementTree as ET

    import numpy as np

    root = ET.parse(path).getroot()
    tables: dict[str, list[tuple]] = {"referral": [], "single_assessment": [], "s47": [], "cpp": []}
    for child in root.iter("Child"):
        cid = child.findtext("ChildIdentifiers/LAchildID")
        for cin in child.findall("CINdetails"):
            ref = cin.findtext("CINreferralDate")
            tables["referral"].append((cid, ref, cin.findtext("CINclosureDate")))
            for a in cin.findall("Assessments"):
                row = (cid, ref, a.findtext("AssessmentActualStartDate"), a.findtext("AssessmentAuthorisationDate"))
                tables["single_assessment"].append(row)
            for s in cin.findall("Section47"):
                tables["s47"].append((cid, ref, s.findtext("S47ActualStartDate"), s.findtext("DateOfInitialCPC")))
            for p in cin.findall("ChildProtectionPlans"):
                reviews = [r.text for r in p.iter("CPPreviewDate")]
                tables["cpp"].append((cid, ref, p.findtext("CPPstartDate"), p.findtext("CPPendDate"), reviews))
    for rows in tables.values():  # the tables: child ids as objects, the dates as datetime64[D]
        columns = list(zip(*rows, strict=True)) if rows else []
        _ = [np.array(columns[0], dtype=object)] + [
            np.array([x.strip() if x else "NaT" for x in col], dtype="M8[D]") for col in columns[1:4]
        ]
    return {kind: len(rows) for kind, rows in tables.items()}


def _child(what: str, path: str) -> None:
    # Each reader's modules are imported before the clock starts (and timed apart): the file's reading
    # is what is compared. (Here ``PYTHONDONTWRITEBYTECODE`` keeps an editable install from caching
    # its bytecode, so casetime's import compiles its source each time: 0.2 s, against 0.12 s from an
    # installed wheel, which pip compiles.)
    start = time.perf_counter()
    if what == "load":
        import casetime

        load = casetime.load  # (the name is imported when first used)
    elif what == "etree":
        import xml.etree.ElementTree  # noqa: F401

        import numpy  # noqa: F401
    else:
        import pandas as pd
    imported = time.perf_counter() - start
    start = time.perf_counter()
    if what == "load":
        extract = load(path)
        rows = {kind: len(t) for kind, t in extract.tables.items()}
    elif what == "etree":
        rows = _etree(path)
    else:
        rows = {"single_assessment": len(pd.read_xml(path, xpath=".//Assessments", parser="etree"))}
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "import_seconds": imported, "peak_mib": peak_mib(), "rows": rows}))


def _run(what: str, path: Path) -> dict:
    return child_json(__file__, what, str(path))  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--referrals", type=int, default=100_000, help="referrals generated (about one child each)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("WHAT", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    from casetime import synth

    print(json.dumps(machine(("holidays", "pandas")), indent=1))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cin.xml"
        extract = synth.generate(args.referrals, financial_year=2023, seed=5)
        synth.write_cin_xml(extract, path)
        children = len(set(extract["referral"]["child_id"].tolist()))
        print(f"census file: {path.stat().st_size / 1e6:.0f} MB, {children:,} children")
        runs: dict[str, list[dict]] = {"load": [], "etree": [], "read_xml": []}
        for _ in range(args.repeat):
            for what in runs:
                runs[what].append(_run(what, path))
        best = {what: min(r["seconds"] for r in found) for what, found in runs.items()}
        peak = {what: max(r["peak_mib"] for r in found) for what, found in runs.items()}
        for what, found in runs.items():
            times = " ".join(f"{r['seconds']:.2f}" for r in found)
            imports = min(r["import_seconds"] for r in found)
            print(f"  {what:9s} best {best[what]:6.2f} s  peak {peak[what]:7.0f} MiB  (runs: {times}; "
                  f"imports before the clock {imports:.2f} s)")  # fmt: skip
        load_rows, etree_rows = runs["load"][0]["rows"], runs["etree"][0]["rows"]
        if load_rows != etree_rows:
            fail(2, f"the readers disagree on the rows: load {load_rows}, etree {etree_rows}")
        speed = best["etree"] / best["load"]
        print(f"  etree / load = {speed:.1f}x (target >= {SPEED_TARGET:.0f}x); read_xml / load = "
              f"{best['read_xml'] / best['load']:.1f}x (one level only)")  # fmt: skip
        print(f"  load peak memory {peak['load']:.0f} MiB (target < {MEMORY_TARGET_MB:.0f} MiB)")
        misses = []
        if speed < SPEED_TARGET:
            misses.append(f"MISS: load is {speed:.1f}x faster than etree, target {SPEED_TARGET:.0f}x")
        if peak["load"] >= MEMORY_TARGET_MB:
            misses.append(f"MISS: load peaks at {peak['load']:.0f} MiB, target under {MEMORY_TARGET_MB:.0f} MiB")
        for miss in misses:
            print(miss)
        if misses:
            sys.exit(1)
        print("PASS: every checked measurement meets its target")


if __name__ == "__main__":
    main()
