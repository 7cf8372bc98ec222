"""The calendar commands of the ``casetime`` CLI: answers by hand, errors in one line, exit status."""

from __future__ import annotations

import subprocess
import sys

import pytest

from casetime.cli import EXIT_USAGE, main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_between_prints_the_worked_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "between", "2009-01-05", "2009-01-14") == (0, "7\n", "")
    assert run(capsys, "between", "2009-01-14", "2009-01-05") == (0, "-7\n", "")
    assert run(capsys, "between", "2009-01-05", "2009-01-14", "--convention", "inclusive") == (0, "8\n", "")


def test_due_prints_the_due_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "due", "2009-01-05", "7") == (0, "2009-01-14\n", "")
    assert run(capsys, "due", "2008-12-19", "7") == (0, "2009-01-02\n", "")
    assert run(capsys, "due", "2022-09-12", "7") == (0, "2022-09-22\n", "")


def test_calendar_lists_the_2009_bank_holidays(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "calendar", "2009")
    assert status == 0
    assert err == ""
    dates = [line.split()[0] for line in out.splitlines()]
    assert dates == [
        "2009-01-01", "2009-04-10", "2009-04-13", "2009-05-04",
        "2009-05-25", "2009-08-31", "2009-12-25", "2009-12-28",
    ]  # fmt: skip
    assert "Boxing Day" in out.splitlines()[-1]


def test_calendar_range_of_years_includes_one_offs(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "calendar", "2022", "--to", "2023")
    assert status == 0
    assert "2022-09-19" in out
    assert "2023-05-08" in out
    assert "2022-05-30" not in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("between", "2009-13-01", "2009-01-14"), "not a date: '2009-13-01'"),
        (("due", "2009-01-05", "seven"), "not a whole number of working days: 'seven'"),
        (("calendar", "09"), "not a year: '09'"),
        (("between", "1980-01-01", "2009-01-01"), "1980-01-01 is outside the calendar's coverage"),
        (("due", "2040-12-28", "10"), "outside the calendar's coverage"),
        (("calendar", "1800"), "year 1800 is outside the calendar's coverage 1990-01-01 to 2040-12-31"),
        (("calendar", "2039", "--to", "2041"), "year 2041 is outside the calendar's coverage"),
        (("frobnicate",), "invalid choice: 'frobnicate'"),
        ((), "required: COMMAND"),
        (("between", "2009-01-05"), "required: end"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], needle: str
) -> None:
    status, out, err = run(capsys, *args)
    assert status == EXIT_USAGE
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("casetime: error: ")
    assert needle in err


def test_console_script_runs_without_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from casetime.cli import console; console()", "between", "x", "2009-01-01"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == EXIT_USAGE
    assert "Traceback" not in done.stderr
    assert "not a date: 'x'" in done.stderr


@pytest.mark.parametrize(
    ("start", "end"), [("05/01/2009", "14/01/2009"), ("5 Jan 2009", "2009/01/14"), ("05-Jan-2009", "14.01.2009")]
)
def test_dates_on_the_command_line_are_read_as_in_files_day_first(
    capsys: pytest.CaptureFixture[str], start: str, end: str
) -> None:
    assert run(capsys, "between", start, end) == (0, "7\n", "")
    assert run(capsys, "due", start, "7") == (0, "2009-01-14\n", "")


def test_a_two_digit_year_on_the_command_line_is_refused_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "between", "05/01/09", "14/01/2009")
    assert (status, out) == (EXIT_USAGE, "")
    assert "'05/01/09' (a two-digit year is never guessed: write the year in full)" in err
    assert err.count("\n") == 1
