"""``casetime open PATH --as-at DATE [--due-within N]``: the open work that is overdue or due soon (issue 12)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from casetime.calendar import england
from casetime.cli import EXIT_OK, EXIT_USAGE, main
from casetime.synth import generate, write_csv

AS_AT = dt.date(2009, 2, 27)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def extract_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("open") / "extract"
    write_csv(generate(n_referrals=800, seed=11), folder)
    return folder


def expected_ni59(folder: Path, as_at: dt.date, due_within: int) -> list[tuple[int, str, int]]:
    """Read the file row by row: (row, status, working days to the due date) of every open initial assessment
    that is overdue or due within ``due_within`` working days, in the order of due date then row."""
    cal = england()
    found = []
    with open(folder / "initial_assessment.csv", encoding="utf-8", newline="") as handle:
        for number, rec in enumerate(csv.DictReader(handle), start=2):
            start = dt.date.fromisoformat(rec["referral_date"])
            stop = dt.date.fromisoformat(rec["completion_date"]) if rec["completion_date"] else None
            if start > as_at or (stop is not None and stop <= as_at):
                continue  # not open at as_at
            due = cal.add_working_days(start, 7)
            to_due = cal.working_days_between(as_at, due)
            if as_at > due:
                found.append((due, number, "overdue", to_due))
            elif to_due <= due_within:
                found.append((due, number, "due_soon", to_due))
    return [(row, status, to_due) for _, row, status, to_due in sorted(found)]


@pytest.mark.parametrize("due_within", [0, 3])
def test_open_lists_what_a_row_by_row_reading_finds(
    extract_dir: Path, capsys: pytest.CaptureFixture[str], due_within: int
) -> None:
    status, out, _ = run(capsys, "open", str(extract_dir), "--as-at", AS_AT.isoformat(), "--due-within",
                         str(due_within), "--indicators", "NI59", "--format", "csv")  # fmt: skip
    assert status == EXIT_OK
    rows = list(csv.DictReader(io.StringIO(out)))
    got = []
    for r in rows:
        to_due = -int(r["working_days_late"]) if r["working_days_late"] else int(r["working_days_left"])
        got.append((int(r["row"]), r["status"], to_due))
    want = expected_ni59(extract_dir, AS_AT, due_within)
    assert got == want
    assert any(s == "overdue" for _, s, _ in want)
    if due_within:
        assert any(s == "due_soon" for _, s, _ in want)
    assert not any(cell.startswith("'-") for r in rows for cell in r.values())  # no negative numbers quoted


def test_the_table_has_plain_headings_the_team_and_how_late(
    extract_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "open", str(extract_dir), "--as-at", AS_AT.isoformat())
    assert status == EXIT_OK
    lines = out.splitlines()
    assert lines[0] == f"Open work at {AS_AT}: overdue"
    heads = [line for line in lines if line.startswith("Child ")]
    assert heads and all("team" in h and "How late" in h and "Due" in h for h in heads)
    assert "clock_start" not in out and "elapsed_unit" not in out
    blocks = [line for line in lines if line[:5] in ("NI59:", "NI60:", "NI64:")]
    assert [b.split(":")[0] for b in blocks] == ["NI59", "NI60", "NI64"]
    ni59 = expected_ni59(extract_dir, AS_AT, 0)
    assert f"NI59: initial assessments carried out within 7 working days of referral: {len(ni59)} overdue" in lines
    first = lines[lines.index(heads[0]) + 1]
    assert f"{-ni59[0][2]} working days overdue" in first  # most late first


def test_json_and_html(extract_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "open", str(extract_dir), "--as-at", AS_AT.isoformat(), "--format", "json")
    data = json.loads(out)
    assert data["as_at"] == AS_AT.isoformat() and data["due_within"] == 0
    ni59 = data["indicators"][0]
    assert ni59["id"] == "NI59" and ni59["overdue"] == len(ni59["cases"]) == len(expected_ni59(extract_dir, AS_AT, 0))
    page = tmp_path / "open.html"
    status, _, err = run(capsys, "open", str(extract_dir), "--as-at", AS_AT.isoformat(), "-o", str(page))
    assert status == EXIT_OK and f"wrote {page}" in err
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<script" not in text
    assert text.count('<tr class="overdue">') == sum(i["overdue"] for i in data["indicators"])
    assert "personal data" in text


def test_open_needs_a_date_and_timeliness_measures(extract_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "open", str(extract_dir))
    assert (
        status == EXIT_USAGE
        and err == "casetime: error: open: give --as-at DATE, the date the open work is measured at\n"
    )
    status, _, err = run(capsys, "open", str(extract_dir), "--as-at", "2009-02-27", "--indicators", "D7")
    assert status == EXIT_USAGE and "open work is listed for timeliness measures" in err
