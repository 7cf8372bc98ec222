"""Outputs never destroy and never leak: whole files or none, no output over an input, ``-o -``, the format
from the extension, a closed pipe, ``--version`` and one error prefix (issue 12, first part)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from casetime.cells import replace_file
from casetime.cli import EXIT_OK, EXIT_USAGE, main
from casetime.sample import sample_path
from casetime.synth import generate, write_csv


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_a_file_is_replaced_only_once_it_is_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("the previous report\n", encoding="utf-8")

    def fail_half_way() -> None:
        with replace_file(target) as handle:
            handle.write("half a new one")
            raise RuntimeError("the disk filled up")

    with pytest.raises(RuntimeError):
        fail_half_way()
    assert target.read_text(encoding="utf-8") == "the previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]  # no temporary file left
    with replace_file(target) as handle:
        handle.write("the new report\n")
    assert target.read_text(encoding="utf-8") == "the new report\n"


def test_a_killed_write_leaves_the_previous_file(tmp_path: Path) -> None:
    """``kill -9`` in the middle of writing: the previous file is intact; at most a temporary file is left."""
    target = tmp_path / "report.html"
    target.write_text("previous", encoding="utf-8")
    script = textwrap.dedent(
        f"""
        import os, signal
        from casetime.cells import replace_file
        with replace_file({str(target)!r}) as handle:
            handle.write("x" * 100_000)
            handle.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], check=False)
    assert done.returncode != 0
    assert target.read_text(encoding="utf-8") == "previous"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "report.html"]
    assert all(name.startswith(".report.html.") and name.endswith(".tmp") for name in leftovers)


#: A run of the command line in which the report's write is cut short, half written, by ``STOP``.
_CUT_SHORT = """
import contextlib, errno, os, signal, sys
import casetime.cells as cells

whole = cells.replace_file

@contextlib.contextmanager
def cut_short(path, **options):
    with whole(path, **options) as handle:
        handle.write("<!DOCTYPE html> half of a new report")
        handle.flush()
        STOP
        yield handle

cells.replace_file = cut_short
from casetime.cli import main
sys.exit(main(["report", "-o", TARGET]))
"""


@pytest.mark.parametrize(
    ("stop", "status", "said"),
    [
        ("os.kill(os.getpid(), signal.SIGINT)", 130, "casetime: interrupted\n"),
        ("os.kill(os.getpid(), signal.SIGTERM)", 143, "casetime: terminated\n"),
        (
            "raise OSError(errno.ENOSPC, 'No space left on device')",
            2,
            "casetime: error: [Errno 28] No space left on device\n",
        ),
    ],
    ids=["ctrl-c", "sigterm", "disk-full"],
)
def test_an_interrupted_write_leaves_the_previous_report(tmp_path: Path, stop: str, status: int, said: str) -> None:
    target = tmp_path / "report.html"
    target.write_text("the previous report", encoding="utf-8")
    script = _CUT_SHORT.replace("STOP", stop).replace("TARGET", repr(str(target)))
    done = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (status, said)
    assert target.read_text(encoding="utf-8") == "the previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]  # and no temporary file left


def test_an_output_that_is_an_input_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write_csv(generate(200, seed=1), tmp_path)
    before = (tmp_path / "initial_assessment.csv").read_bytes()
    status, out, err = run(capsys, "validate", str(tmp_path / "initial_assessment.csv"), "-o",
                           str(tmp_path / "initial_assessment.csv"))  # fmt: skip
    assert (status, out) == (EXIT_USAGE, "")
    assert "is one of the inputs: writing it would destroy the extract" in err
    assert (tmp_path / "initial_assessment.csv").read_bytes() == before
    status, _, err = run(capsys, "report", str(tmp_path), "-o", str(tmp_path / "report.csv"))
    assert status == EXIT_USAGE and "where the next run would read it as records" in err
    assert not (tmp_path / "report.csv").exists()
    elsewhere = tmp_path.parent / f"{tmp_path.name}-report.csv"
    status, _, err = run(capsys, "report", str(tmp_path), "-o", str(elsewhere))
    assert status == EXIT_OK and elsewhere.read_text(encoding="utf-8").startswith("indicator,title,")


def test_the_format_follows_the_extension_unless_told(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for name, start in (("r.html", "<!DOCTYPE html>"), ("r.json", "{"), ("r.csv", "indicator,"), ("r.txt", "Safeg")):
        status, _, err = run(capsys, "report", "-o", str(tmp_path / name))
        assert status == EXIT_OK, err
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(start), name
    status, _, _ = run(capsys, "report", "--format", "json", "-o", str(tmp_path / "x.html"))
    assert status == EXIT_OK and json.loads((tmp_path / "x.html").read_text(encoding="utf-8"))["schema"]


def test_dash_is_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "report", "--format", "csv", "-o", "-")
    assert (status, err) == (EXIT_OK, "") and out.startswith("indicator,title,")
    status, out, err = run(capsys, "validate", str(sample_path()), "-o", "-")
    assert out.startswith("record_type,source,row,child_id,") and "read" in err  # the summary on stderr


class _ClosedPipe(io.StringIO):
    """A standard output whose reader has gone (``| head``)."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_ends_quietly(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``casetime report | head``: casetime stops at the closed pipe, with no traceback and no error line, and
    the status other tools give (128 + SIGPIPE)."""
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    status = main(["report"])
    assert status == 141
    assert capsys.readouterr().err == ""


def test_version_and_one_error_prefix(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("casetime 0.")
    status, _, err = run(capsys)
    assert status == EXIT_USAGE and err == "casetime: error: the following arguments are required: COMMAND\n"
    status, _, err = run(capsys, "report", "--format", "pdf")
    assert err.startswith("casetime: error: report: argument --format: invalid choice")


def test_no_escape_sequence_reaches_the_terminal(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A title (or a team, a heading) holding an escape sequence is shown escaped in terminal output; a file
    written with -o keeps the text as given."""
    title = "Report\x1b]0;owned\x07\x1b[2J"
    status, out, err = run(capsys, "report", "--title", title)
    assert status == EXIT_OK and err == ""
    assert "\x1b" not in out and "\x07" not in out
    assert out.startswith("Report\\x1b]0;owned\\x07\\x1b[2J:")
    status, _, err = run(capsys, "report", "--period", "\x1b[2Jnonsense")
    assert status == EXIT_USAGE and "\x1b" not in err and "\\x1b[2Jnonsense" in err
    status, _, _ = run(capsys, "report", "--title", title, "-o", str(tmp_path / "r.txt"))
    assert (tmp_path / "r.txt").read_text(encoding="utf-8").startswith(title)


def test_validate_says_how_many_issues_it_did_not_show(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "extract"
    write_csv(generate(1000, seed=4, fault_rate=0.03), folder)
    status, out, _ = run(capsys, "validate", str(folder), "-o", str(tmp_path / "issues.csv"))
    assert status == 1
    every = (tmp_path / "issues.csv").read_text(encoding="utf-8").strip().splitlines()[1:]
    shown = [line for line in out.splitlines() if line.startswith(f"  {folder}")]
    (more,) = [line for line in out.splitlines() if "more issue(s) not shown" in line]
    assert len(shown) == 10 and more.startswith(f"  ... and {len(every) - 10:,} more issue(s) not shown")


def test_a_headerless_file_is_refused_without_showing_its_ids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "extract.csv"
    path.write_text("C000123,2009-01-05,2009-01-14\nC000124,2009-01-06,2009-01-15\n", encoding="utf-8")
    for extra in ((), ("--record-type", "ia")):
        status, out, err = run(capsys, "report", str(path), *extra)
        assert status == EXIT_USAGE and out == ""
        assert "the first row holds dates (2 of its 3 cells)" in err and "needs a first row naming its columns" in err
        assert "C000123" not in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_rows_and_about_how_much_of_the_files_on_a_terminal_only(tmp_path: Path) -> None:
    from casetime.cli import _progress  # (the command line's own helper: what it prints is the behaviour)

    write_csv(generate(n_referrals=3000, seed=1), tmp_path / "x")
    assert _progress([str(tmp_path / "x")], io.StringIO()) is None  # not a terminal: nothing at all
    screen = _Terminal()
    progress = _progress([str(tmp_path / "x")], screen)
    from casetime import load

    rows = sum(len(t) for t in load(tmp_path / "x", progress=progress).tables.values())
    progress.finish()
    lines = screen.getvalue().split("\r")
    assert lines[-1].startswith(f"read {rows:,} rows, ") and lines[-1].rstrip().endswith("(100%)")
    size = sum(p.stat().st_size for p in (tmp_path / "x").iterdir()) / 1000
    assert f"{size:,.1f} KB (100%)" in lines[-1]
