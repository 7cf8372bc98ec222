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
    heavy = {m for m in loaded if m.split(".")[1:2] in (["engine"], ["io"], ["validation"], ["extract"], ["results"])}
    heavy |= {m for m in loaded if m.startswith("casetime.report.") and m != "casetime.report.model"}  # writers
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


def test_the_old_generator_command_says_where_it_went() -> None:
    out = subprocess.run([sys.executable, "-m", "casetime.synth", "--out", "x"], capture_output=True, text=True)
    assert (out.returncode, out.stdout) == (2, "")
    assert out.stderr == "python -m casetime.synth is now: casetime synth (see casetime synth --help)\n"


def test_submodules_are_attributes_of_the_package_as_before() -> None:
    code = "import casetime; print(casetime.calendar.england().name, casetime.engine.compute.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "England and Wales compute\n"
    import casetime

    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        casetime.nothing  # noqa: B018


def test_synth_keeps_the_generators_own_defaults_for_what_is_not_given(tmp_path: Path) -> None:
    from casetime.synth import generate, write_csv

    assert main(["synth", "--out", str(tmp_path / "cli"), "-n", "150", "--seed", "3"]) == 0
    direct = write_csv(generate(150, seed=3), tmp_path / "direct")
    for path in direct:
        assert (tmp_path / "cli" / path.name).read_bytes() == path.read_bytes()
    assert main(["synth", "--out", str(tmp_path / "teams"), "-n", "150", "--teams", "A, B"]) == 0
    assert (
        write_csv(generate(150, teams=["A", "B"]), tmp_path / "ab")[1].read_bytes()
        == (tmp_path / "teams" / "initial_assessment.csv").read_bytes()
    )


def test_reading_a_csv_with_pyarrow_does_not_import_pandas_or_polars(tmp_path: Path) -> None:
    """pyarrow's own ``to_numpy`` and ``pyarrow.array`` import pandas where it is installed (0.3-0.5 s and
    some 40 MB, once per process); the reader reads pyarrow's buffers instead, so a report from a CSV
    needs neither frame library. The file has a date column pyarrow reads as dates (with a blank, a
    null), one it reads as text (an impossible date) and a text column (dictionary-encoded) with a cell
    over the cell limit."""
    pytest.importorskip("pyarrow", reason="needs pyarrow, which is not installed here")
    path = tmp_path / "ia.csv"
    path.write_text(
        "child_id,referral_date,completion_date,team\n"
        "A1,2009-01-05,2009-01-14,North\nB2,,2009-02-31,South\nC3,2009-01-06,,North\n"
        f"D4,2009-01-07,,{'x' * 70_000}\n"  # (a cell over the limit: emptied, and reported)
    )
    args = [str(path), "--record-type", "ia", "--format", "json", "-o", str(tmp_path / "r.json")]
    code = (
        f"import sys; from casetime.cli import main; main(['report', *{args!r}]); import casetime.io.csv; "
        "print(' '.join(sorted(m for m in ('pandas', 'polars', 'pyarrow') if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1].split() == ["pyarrow"], (out.stdout, out.stderr)
    assert (tmp_path / "r.json").exists()
