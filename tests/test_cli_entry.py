"""The ways in: ``python -m casetime``, ``casetime synth``, and a start-up that loads only what a command needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from casetime.cli import EXIT_USAGE, main


def test_python_dash_m_casetime_runs_the_command_line() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "casetime", "between", "2009-01-05", "2009-01-14"], capture_output=True, text=True
    )
    assert (out.returncode, out.stdout, out.stderr) == (0, "7\n", "")


def test_between_loads_neither_the_engine_nor_the_readers_nor_holidays() -> None:
    code = (
        "import sys; from casetime.cli import main; main(['between', '2009-01-05', '2009-01-14']); "
        "print(' '.join(sorted(m for m in sys.modules if m.startswith(('casetime', 'holidays', 'pandas')))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(out.stdout.split()[1:])  # (the first word is the 7 the command printed)
    heavy = {m for m in loaded if m.split(".")[1:2] in (["engine"], ["io"], ["validation"], ["extract"])}
    assert heavy == set() and not {m for m in loaded if m.startswith(("holidays", "pandas"))}, loaded
    assert {"casetime.calendar", "casetime.dates"} <= loaded


def test_synth_writes_an_extract_and_says_what_it_needs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["synth", "--out", str(tmp_path / "demo"), "-n", "150", "--seed", "3"]) == 0
    written = capsys.readouterr().out.split()
    assert [Path(p).name for p in written] == ["referral.csv", "initial_assessment.csv", "core_assessment.csv",
                                              "s47.csv", "cpp.csv"]  # fmt: skip
    assert main(["synth"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err == "casetime: error: synth: give --out DIRECTORY (or --sample)\n"
