"""Make casetime's packaged DfE figures (``src/casetime/data/dfe/``) from the published extracts.

The source is a folder holding ``measures_by_la.csv``, ``measures.csv``, ``statistical_neighbours.csv``
and ``README.md`` (DfE's *Characteristics of children in need* figures, England, regions and local
authorities, 2016 to 2025, taken 2026-04 from DfE's public GitHub repositories; see that README). The
script keeps every row and drops the columns ``casetime.published`` does not read, then writes:

- ``figures.csv.gz``: one row per (measure, year, area), gzip-compressed CSV;
- ``neighbours.csv.gz``: the statistical neighbour groups of both models (2025 and 2021);
- ``measures.csv``: code, title, unit, polarity and definition of each measure;
- ``README.md``: attribution (Open Government Licence v3.0), source, provenance, date taken, years.

The output is deterministic: rows keep the source's order, lines end in ``\\n``, and the gzip header has
no file name and time 0. Remake the files after the source changes, then run ``tests/test_published.py``::

    python tests/data/make_published.py [SOURCE] [--out FOLDER]

``SOURCE`` defaults to ``/work/shared/dfe`` and ``FOLDER`` to the package's ``data/dfe``. Importing this
module does nothing (pytest collects it with ``--doctest-modules``).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

SOURCE = Path("/work/shared/dfe")
TARGET = Path(__file__).resolve().parents[2] / "src" / "casetime" / "data" / "dfe"

#: When the source extracts were taken (the repositories' snapshots are of April 2026).
TAKEN = "2026-04"

FIGURE_COLUMNS = (
    "measure",
    "year",
    "area_code",
    "old_la_code",
    "area_name",
    "geographic_level",
    "region_name",
    "value",
    "suppression",
    "numerator",
    "denominator",
)
NEIGHBOUR_COLUMNS = (
    "sn_model",
    "la_old_code",
    "la_code",
    "la_name",
    "neighbour_rank",
    "neighbour_old_code",
    "neighbour_code",
    "neighbour_name",
    "closeness",
)
MEASURE_COLUMNS = ("code", "title", "unit", "polarity", "definition")

#: Sections of the source README copied word for word into the packaged README.
COPIED_SECTIONS = ("Provenance", "Suppression and missing-value codes", "Caveats")

ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."
OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def read_rows(path: Path, columns: Sequence[str]) -> list[dict[str, str]]:
    """The rows of a CSV file, refusing a file that lacks one of ``columns``."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or ())]
        if missing:
            raise SystemExit(f"{path}: missing columns {missing}")
        return list(reader)


def csv_text(rows: Iterable[Mapping[str, str]], columns: Sequence[str]) -> str:
    """``rows`` as CSV text with only ``columns``, lines ending in ``\\n``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([row[c] for c in columns] for row in rows)
    return out.getvalue()


def gzipped(text: str) -> bytes:
    """``text`` as UTF-8, gzip-compressed with no file name and time 0 (so the bytes are reproducible)."""
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def check_figures(rows: Sequence[Mapping[str, str]]) -> None:
    """Refuse figures that break what ``casetime.published`` relies on (one row per key, codes only when empty)."""
    seen: set[tuple[str, str, str]] = set()
    for number, row in enumerate(rows, start=2):
        key = (row["measure"], row["year"], row["area_code"])
        if key in seen:
            raise SystemExit(f"measures_by_la.csv line {number}: a second row for {key}")
        seen.add(key)
        if bool(row["value"]) == bool(row["suppression"]):
            raise SystemExit(f"measures_by_la.csv line {number}: a row needs a value or a suppression code, not both")
        if (row["geographic_level"] == "Local authority") != bool(row["old_la_code"]):
            raise SystemExit(f"measures_by_la.csv line {number}: an LA number belongs on LA rows only")


def section(readme: str, title: str) -> str:
    """The text of one ``## title`` section of a Markdown file, its heading included."""
    match = re.search(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", readme, re.MULTILINE | re.DOTALL)
    if match is None:
        raise SystemExit(f"README.md has no section '## {title}'")
    return match.group(0).rstrip() + "\n"


def readme_text(
    source_readme: str, figures: Sequence[Mapping[str, str]], neighbours: Sequence[Mapping[str, str]]
) -> str:
    """The packaged README: attribution, source, files, date taken, years covered and the copied sections."""
    years = sorted({int(row["year"]) for row in figures})
    measures = list(dict.fromkeys(row["measure"] for row in figures))
    models = sorted({row["sn_model"] for row in neighbours}, reverse=True)
    las = {row["old_la_code"] for row in figures if row["old_la_code"]}
    lines = [
        "# DfE children's social care figures packaged with casetime",
        "",
        ATTRIBUTION,
        "",
        "The figures are Department for Education official statistics from *Characteristics of children in need*",
        "(the children in need census), published on Explore Education Statistics under the Open Government Licence",
        f"v3.0 ({OGL}).",
        f"They were taken in {TAKEN} from two public DfE GitHub repositories that hold copies of the published data",
        "(dfe-analytical-services/CSC_outcomes_and_enablers and",
        "dfe-analytical-services/local-authority-interactive-tool), as listed under Provenance below.",
        "",
        f"- Taken: {TAKEN} (repository snapshots of 2026-04-08 and 2026-04-27, see Provenance).",
        f"- Years covered: {years[0]} to {years[-1]} (the year ending 31 March: {years[-1]} = 1 April {years[-1] - 1}"
        f" to 31 March {years[-1]}).",
        f"- Areas: England, the nine regions, Inner and Outer London, and {len(las)} local authorities"
        " (those that existed in each year).",
        f"- Measures ({len(measures)}): {', '.join(measures)}.",
        f"- Statistical neighbour models: {', '.join(models)}.",
        "",
        "Made by `tests/data/make_published.py` from the extract described in its own README; every row is kept,",
        "only columns were dropped, and no value was changed. Read the files with `casetime.published`.",
        "",
        "## Files",
        "",
        "| file | rows (excl. header) | columns |",
        "|---|---|---|",
        f"| `figures.csv.gz` | {len(figures):,} | {', '.join(FIGURE_COLUMNS)} |",
        f"| `neighbours.csv.gz` | {len(neighbours):,} | {', '.join(NEIGHBOUR_COLUMNS)} |",
        f"| `measures.csv` | {len(measures)} | {', '.join(MEASURE_COLUMNS)} |",
        "",
        "`value` is as published (percentages 0-100 at 1 dp; the EES files write a whole percentage without its",
        "`.0`); it is empty when `suppression` holds the source's code. `polarity` is the LAIT dictionary's",
        "(High = higher is better, Low = lower is better, - = none stated).",
        "",
    ]
    copied = [section(source_readme, title) for title in COPIED_SECTIONS]
    return "\n".join(lines) + "\n" + "\n".join(copied)


def build(source: Path) -> dict[str, bytes]:
    """The packaged files, by name, made from the extract in ``source``."""
    figures = read_rows(source / "measures_by_la.csv", FIGURE_COLUMNS)
    neighbours = read_rows(source / "statistical_neighbours.csv", NEIGHBOUR_COLUMNS)
    measures = read_rows(source / "measures.csv", MEASURE_COLUMNS)
    check_figures(figures)
    unknown = sorted({row["measure"] for row in figures} - {row["code"] for row in measures})
    if unknown:
        raise SystemExit(f"measures_by_la.csv has measures that measures.csv does not define: {unknown}")
    readme = (source / "README.md").read_text(encoding="utf-8")
    return {
        "figures.csv.gz": gzipped(csv_text(figures, FIGURE_COLUMNS)),
        "neighbours.csv.gz": gzipped(csv_text(neighbours, NEIGHBOUR_COLUMNS)),
        "measures.csv": csv_text(measures, MEASURE_COLUMNS).encode("utf-8"),
        "README.md": readme_text(readme, figures, neighbours).encode("utf-8"),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=SOURCE, help=f"the extract's folder ({SOURCE})")
    parser.add_argument("--out", type=Path, default=TARGET, help="where to write (the package's data/dfe)")
    args = parser.parse_args(argv)
    files = build(args.source)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.out / name).write_bytes(data)
        print(f"{args.out / name}: {len(data):,} bytes")


if __name__ == "__main__":
    main()
