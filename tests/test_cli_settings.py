"""The project file (``casetime.toml``), ``casetime config``, ``--closures`` and ``validate``'s own outputs
(``--format json``, ``--max-issues``, ``--show-values``): issue 12, "a command line that behaves"."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from casetime.calendar import england, read_closures
from casetime.cli import EXIT_DATA_ERRORS, EXIT_OK, EXIT_USAGE, main
from casetime.config import find_config, read_config
from casetime.errors import CasetimeError
from casetime.sample import sample_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def settings(out: str) -> dict[str, tuple[str, str]]:
    """``casetime config``'s lines as {name: (value, origin)} (columns two or more spaces apart)."""
    found = {}
    for line in out.splitlines()[1:]:
        parts = [p for p in line.strip().split("  ") if p.strip()]
        found[parts[0].strip()] = (parts[1].strip(), parts[-1].strip())
    return found


# ---------------------------------------------------------------------------
# closure days
# ---------------------------------------------------------------------------


def test_closures_are_read_with_names_headings_comments_and_day_first_dates(tmp_path: Path) -> None:
    path = tmp_path / "closures.csv"
    path.write_text("Date,Reason\n# the office\n24/12/2008,Christmas Eve\n\n2008-12-29\n", encoding="utf-8")
    assert read_closures(path) == {dt.date(2008, 12, 24): "Christmas Eve", dt.date(2008, 12, 29): "council closure"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2008-12-24\n31/02/2009\n", "line 2: '31/02/2009' is not a date"),
        ("date\nnext tuesday\n", "line 2: 'next tuesday' is not a date"),
        ("# nothing\n\n", "no closure days in the file"),
    ],
)
def test_a_bad_closures_file_is_refused_naming_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "closures.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CasetimeError, match=message):
        read_closures(path)


def test_closures_change_the_working_days_counted(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "closures.csv"
    path.write_text("2008-12-24\n2008-12-29\n", encoding="utf-8")
    # 22-31 December 2008: 23, 24, 29, 30, 31 are working days (25, 26 bank holidays; 27, 28 a weekend)
    assert run(capsys, "between", "2008-12-22", "2008-12-31")[1] == "5\n"
    assert run(capsys, "between", "2008-12-22", "2008-12-31", "--closures", str(path))[1] == "3\n"
    # three working days after 22 December: 23, 24, 29 (30, 31 once 24 and 29 are closed)
    assert run(capsys, "due", "2008-12-22", "3")[1] == "2008-12-29\n"
    assert run(capsys, "due", "2008-12-22", "3", "--closures", str(path))[1] == "2008-12-31\n"
    status, _, err = run(capsys, "between", "2008-12-22", "2008-12-31", "--closures", str(tmp_path / "none.csv"))
    assert status == EXIT_USAGE and err.count("\n") == 1 and "cannot read the closure days" in err


def test_the_report_counts_with_the_closures_and_says_so(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    closures = tmp_path / "closures.csv"
    days = [dt.date(2008, 12, 24) + dt.timedelta(days=k) for k in range(0, 60)]
    closures.write_text("".join(f"{d.isoformat()}\n" for d in days if d.weekday() < 5), encoding="utf-8")
    _, plain, _ = run(capsys, "report", "--format", "json", "--indicators", "NI59")
    _, closed, _ = run(capsys, "report", "--format", "json", "--indicators", "NI59", "--closures", str(closures))
    a, b = json.loads(plain), json.loads(closed)
    assert b["calendar"].startswith("England and Wales + council closure")
    assert a["indicators"][0]["overall"]["denominator"] == b["indicators"][0]["overall"]["denominator"]
    # two months without working days: more assessments are within 7 working days
    assert b["indicators"][0]["overall"]["numerator"] > a["indicators"][0]["overall"]["numerator"]


# ---------------------------------------------------------------------------
# the project file
# ---------------------------------------------------------------------------

PROJECT = """\
title = "Anytown safeguarding"
period = "2008/09 Q3"
by = ["quarter", "team"]
closures = "closures.csv"
indicators = "NI59,NI60"

[targets]
NI59 = "75%"
NI60 = 85

[limits]
NI59 = "wt2010"
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "casetime.toml").write_text(PROJECT, encoding="utf-8")
    (tmp_path / "closures.csv").write_text("date,name\n24/12/2008,Christmas Eve\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_project_file_is_read_and_checked(project: Path) -> None:
    found = find_config()
    assert found == (project / "casetime.toml").resolve()
    values = read_config(found).values
    assert values["by"] == "quarter,team"
    assert values["closures"] == (project / "closures.csv").resolve()  # relative to the file, not the caller
    assert values["targets"] == {"NI59": "75%", "NI60": 85}


def test_config_prints_each_setting_and_where_it_came_from(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "config")
    assert status == EXIT_OK
    assert out.splitlines()[0] == f"project file: {(project / 'casetime.toml').resolve()}"
    found = settings(out)
    file = str((project / "casetime.toml").resolve())
    assert found["title"] == ("Anytown safeguarding", file)
    assert found["convention"] == ("day0", "default")
    assert found["targets.NI59"] == ("75%", file)
    assert found["limits.NI59"] == ("wt2010", file)
    # every option overrides the file; targets merge key by key
    status, out, _ = run(capsys, "config", "--title", "Cabinet", "--target", "NI59=80", "--ytd", "2008-12")
    found = settings(out)
    assert found["title"] == ("Cabinet", "command line")
    assert found["period"] == ("ytd:2008-12", "command line")
    assert found["targets.NI59"] == ("80%", "command line")
    assert found["targets.NI60"] == ("85%", file)
    assert found["by"] == ("quarter,team", file)


def test_the_report_uses_the_project_file_and_the_options_over_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "report", str(sample_path()), "--format", "json")
    assert status == EXIT_OK
    data = json.loads(out)
    assert data["title"] == "Anytown safeguarding"
    assert data["period"] == "2008/09 Q3"
    assert data["calendar"].startswith("England and Wales + council closure")
    assert [i["id"] for i in data["indicators"]] == ["NI59", "NI60"]
    ni59, ni60 = data["indicators"]
    assert (ni59["target"], ni60["target"]) == (75.0, 85.0)
    assert "wt2010" in ni59["limit"] or "10 from" in ni59["limit"]
    assert ni59["group_by"] == "quarter / team"
    status, out, _ = run(capsys, "report", "--format", "json", "--target", "NI59=60", "--period", "2008/09", "--by",
                         "month")  # fmt: skip
    data = json.loads(out)
    assert data["period"] == "2008/09" and data["indicators"][0]["target"] == 60.0
    assert data["indicators"][1]["target"] == 85.0  # still the file's
    assert data["indicators"][0]["group_by"] == "month"


def test_config_names_another_file_and_a_period_option_overrides_the_files_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "elsewhere.toml"
    other.write_text('period = "2008/09 Q1"\n[columns]\ncompletion_date = "Signed off"\n', encoding="utf-8")
    _, out, _ = run(capsys, "config", "--config", str(other), "--from", "2008-04-01", "--to", "2008-06-30")
    found = settings(out)
    assert found["period"] == ("2008-04-01..2008-06-30", "command line")
    assert found["columns.completion_date"] == ("'Signed off'", str(other))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("targte = 3\n", "unknown key 'targte'"),
        ("strict = 'yes'\n", "strict = 'yes': expected true or false"),
        ("[targets]\nNI59 = true\n", "targets.NI59 = True: expected a percentage"),
        ("[limits]\nNI59 = 'wt2099'\n", r"limits.NI59 = 'wt2099': expected ID=NUMBER"),
        ("[targets]\nNI59 = 170\n", r"targets.NI59 = '170': expected ID=NUMBER"),
        ("title = \n", "not a valid TOML file"),
        ('period = "2008-09"\n', "period: .*2008-09"),
    ],
)
def test_a_wrong_project_file_is_one_line_naming_the_file_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    (tmp_path / "casetime.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, _, err = run(capsys, "report")
    assert status == EXIT_USAGE
    assert err.count("\n") == 1 and "casetime.toml" in err
    import re

    assert re.search(message, err), err


def test_a_target_for_an_indicator_not_reported_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "casetime.toml").write_text("[targets]\nNI99 = 50\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, _, err = run(capsys, "report")
    assert status == EXIT_USAGE and "NI99" in err and "casetime.toml" in err


def test_between_reads_the_project_files_closures(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "between", "2008-12-22", "2008-12-31")[1] == "4\n"  # 24 December is closed


# ---------------------------------------------------------------------------
# validate: JSON, how many issues, no child ids unless asked
# ---------------------------------------------------------------------------


def test_validate_json_counts_everything_and_leaves_out_child_ids(
    faulty_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "validate", str(faulty_dir), "--format", "json", "--max-issues", "3")
    assert status == EXIT_DATA_ERRORS
    data = json.loads(out)
    assert len(data["issues"]) == 3
    total = sum(r["count"] for r in data["counts_by_rule"])
    assert data["issues_not_shown"] == total - 3
    assert sum(r["rows_read"] for r in data["reconciliation"]) == data["rows_read"]
    assert all(r["rows_read"] == r["rows_valid"] + r["rows_with_errors"] for r in data["reconciliation"])
    assert all("child_id" not in issue for issue in data["issues"])
    assert all(r["message"] for r in data["counts_by_rule"])
    _, shown, _ = run(capsys, "validate", str(faulty_dir), "--format", "json", "--show-values")
    assert all("child_id" in issue for issue in json.loads(shown)["issues"])


def test_validate_json_to_a_file_lists_every_issue(
    faulty_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "issues.json"
    status, _, err = run(capsys, "validate", str(faulty_dir), "-o", str(target))
    assert status == EXIT_DATA_ERRORS and f"wrote {target}" in err
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["issues_not_shown"] == 0
    assert len(data["issues"]) == sum(r["count"] for r in data["counts_by_rule"])


def test_validate_text_hides_child_ids_unless_asked(faulty_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import csv
    import io

    _, issues_csv, _ = run(capsys, "validate", str(faulty_dir), "-o", "-")
    ids = {row["child_id"] for row in csv.DictReader(io.StringIO(issues_csv)) if row["child_id"]}
    assert ids
    _, out, _ = run(capsys, "validate", str(faulty_dir), "--max-issues", "1000")
    assert not any(f"child {i})" in out or f"'{i}'" in out for i in ids)
    assert "more issue(s) not shown" not in out
    _, out, _ = run(capsys, "validate", str(faulty_dir), "--show-values", "--max-issues", "5")
    assert sum(f"child {i})" in out for i in ids) == 5
    assert "--max-issues N" in out


@pytest.fixture
def faulty_dir(tmp_path: Path) -> Path:
    from casetime.synth import generate, write_csv

    folder = tmp_path / "faulty"
    write_csv(generate(n_referrals=300, fault_rate=0.1, seed=3), folder)
    return folder


def test_repr_of_a_quality_report_is_one_line(faulty_dir: Path) -> None:
    from casetime import load

    text = repr(load(faulty_dir).quality)
    assert "\n" not in text and len(text) < 300
    assert text.startswith("<QualityReport: ") and "issue(s)" in text
    assert england().is_working_day("2008-12-24")  # (the closures of other tests changed no shared calendar)
