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
