"""Snapshot of the weekday bank holidays casetime.england() yields for 1990-2040.

The England and Wales holidays come from the ``holidays`` package at run time, so an
upgrade of that package can silently move, add, drop or rename a day. The snapshot in
``tests/data/snapshot_ew_weekday_holidays_1990_2040.json`` pins them. When a test here
fails, check the change against GOV.UK (https://www.gov.uk/bank-holidays) and the
proclamations, then regenerate with ``python tests/data/make_snapshot.py``.

The snapshot is itself checked against the hand-typed published list
(``tests/data/ew_bank_holidays_2008_2026.csv``, from GOV.UK) and the one-offs of
domain.md section 2, so it is not its own oracle.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

import casetime

DATA = Path(__file__).parent / "data"
SNAPSHOT = DATA / "snapshot_ew_weekday_holidays_1990_2040.json"
REGENERATE = (
    "casetime.england() no longer matches the snapshot (probably a change in the `holidays` package). "
    "Check every difference against GOV.UK (https://www.gov.uk/bank-holidays) and the proclamations; "
    "if the new days are right, regenerate with: python tests/data/make_snapshot.py"
)


def _snapshot() -> dict[dt.date, str]:
    data = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert data["start"] == "1990-01-01"
    assert data["end"] == "2040-12-31"
    return {dt.date.fromisoformat(k): v for k, v in data["holidays"].items()}


def _published() -> dict[dt.date, str]:
    with (DATA / "ew_bank_holidays_2008_2026.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    return {dt.date.fromisoformat(row["date"]): row["title"] for row in rows}


def _diff(expected: dict[dt.date, str], got: dict[dt.date, str]) -> list[str]:
    lines = []
    for day in sorted(set(expected) | set(got)):
        if expected.get(day) != got.get(day):
            lines.append(f"{day}: snapshot {expected.get(day)!r}, now {got.get(day)!r}")
    return lines


def test_calendar_matches_snapshot() -> None:
    expected = _snapshot()
    got = {h.date: h.name for h in casetime.england().bank_holidays("1990-01-01", "2040-12-31")}
    differences = _diff(expected, got)
    assert not differences, REGENERATE + "\n" + "\n".join(differences)


def test_working_days_match_snapshot_every_day() -> None:
    """The day tables (not just the listing) agree with the snapshot, in one array call."""
    closed = set(_snapshot())
    days = np.arange(np.datetime64("1990-01-01"), np.datetime64("2041-01-01"), dtype="datetime64[D]")
    got = casetime.england().is_working_day(days)
    expected = np.array([day.weekday() < 5 and day not in closed for day in days.tolist()])
    wrong = [str(day) for day in days[np.asarray(got.filled(True)) != expected]]
    assert not wrong, REGENERATE + "\n" + ", ".join(wrong[:20])


def test_snapshot_agrees_with_published_list_2008_2026() -> None:
    snap = {day for day in _snapshot() if 2008 <= day.year <= 2026}
    assert sorted(snap ^ set(_published())) == []


def test_snapshot_has_the_one_offs_and_is_sane() -> None:
    snap = _snapshot()
    assert all(day.weekday() < 5 for day in snap)
    for one_off in ("1995-05-08", "1999-12-31", "2002-06-03", "2002-06-04", "2011-04-29", "2012-06-05"):
        assert dt.date.fromisoformat(one_off) in snap, one_off
    for opened in ("1995-05-01", "2002-05-27", "2012-05-28", "2020-05-04", "2022-05-30"):
        assert dt.date.fromisoformat(opened) not in snap, opened
    per_year = {year: sum(day.year == year for day in snap) for year in range(1990, 2041)}
    extra = {1999: 9, 2002: 9, 2011: 9, 2012: 9, 2022: 10, 2023: 9}
    assert per_year == {year: extra.get(year, 8) for year in range(1990, 2041)}


# ---------------------------------------------------------------------------
# the bundled table behind casetime.england() (src/casetime/data/england_and_wales.txt)
# ---------------------------------------------------------------------------

BUNDLED = Path(casetime.__file__).parent / "data" / "england_and_wales.txt"
REMAKE = (
    "the bundled England and Wales holidays differ from the installed `holidays` package. Check every "
    "difference against GOV.UK (https://www.gov.uk/bank-holidays); if the package is right, remake the file "
    "with: python tests/data/make_england_holidays.py"
)


def _bundled() -> dict[dt.date, str]:
    named = {}
    for line in BUNDLED.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            day, name = line.split("\t")
            named[dt.date.fromisoformat(day)] = name
    return named


def test_bundled_table_is_what_the_holidays_package_gives() -> None:
    import holidays

    source = holidays.country_holidays("GB", subdiv="ENG", years=range(1990, 2041))
    differences = _diff({day: str(name) for day, name in source.items()}, _bundled())
    assert not differences, REMAKE + "\n" + "\n".join(differences)


def test_default_calendar_holds_exactly_the_bundled_holidays_weekend_ones_included() -> None:
    assert casetime.england().holidays == _bundled()
    assert "# coverage 1990 2040" in BUNDLED.read_text(encoding="utf-8")


def test_default_calendar_does_not_import_the_holidays_package() -> None:
    code = (
        "import sys, casetime; cal = casetime.england(); "
        "assert cal.working_days_between('2022-09-12', '2022-09-22') == 7; "
        "print('holidays' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_years_beyond_the_bundled_table_come_from_the_holidays_package() -> None:
    import holidays

    wide = casetime.england(start="1980-01-01", end="2045-12-31")
    source = holidays.country_holidays("GB", subdiv="ENG", years=range(1980, 2046))
    assert wide.holidays == {day: str(name) for day, name in source.items()}
    assert wide.is_working_day("1981-07-29") is False  # royal wedding of 1981, before the bundled years
    assert wide.holidays.items() >= _bundled().items()
