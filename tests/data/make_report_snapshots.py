"""Regenerate the pinned outputs of ``casetime report`` and ``casetime validate`` on the bundled sample.

``tests/test_report_snapshot.py`` runs the same commands and compares their output, byte for byte, with
the files in ``tests/data/snapshots/``: a change of the code that moves any number, label, order or
message fails there. Regenerate only on purpose, after checking every difference::

    python tests/data/make_report_snapshots.py

Importing this module does nothing (pytest collects it with ``--doctest-modules``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
from pathlib import Path

SNAPSHOTS = Path(__file__).with_name("snapshots")

#: snapshot file name -> the command's arguments ({sample} is the bundled sample folder, {out} a scratch file)
COMMANDS: dict[str, tuple[str, ...]] = {
    "report.json": ("report", "--format", "json"),
    "report.txt": ("report",),
    "report.csv": ("report", "--format", "csv"),
    "report.html": ("report", "--format", "html"),
    "report_quarter_team_late.json": (
        "report",
        "--by",
        "quarter,team",
        "--indicators",
        "NI64,NI60",
        "--late-cases",
        "--format",
        "json",
        "--target",
        "NI60=80",
    ),
    "report_ytd_limit_inclusive.txt": ("report", "--ytd", "2008-12", "--limit", "NI59=10", "--convention", "inclusive"),
    "validate.txt": ("validate", "{sample}"),
    "validate_issues.csv": ("validate", "{sample}", "-o", "{out}"),
}


def run(name: str, scratch: Path) -> str:
    """The output of the command behind snapshot ``name``, with the run's own details made stable.

    The sample's folder (it depends on where casetime is installed) becomes ``<sample>`` and
    today's date ``<today>``; for ``-o`` commands the output is the written file.
    """
    from casetime.cli import main
    from casetime.sample import sample_path

    sample = str(sample_path())
    out = scratch / f"out-{name}"
    args = [a.format(sample=sample, out=out) for a in COMMANDS[name]]
    buffer, errors = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(errors):
        status = main(args)
    text = out.read_bytes().decode("utf-8") if "{out}" in COMMANDS[name] else buffer.getvalue()
    text = text.replace(sample + os.sep, "<sample>/").replace(sample, "<sample>")
    text = text.replace(dt.date.today().isoformat(), "<today>")
    return f"exit {status}\n{text}"


def main() -> None:
    import tempfile

    SNAPSHOTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in COMMANDS:
            (SNAPSHOTS / name).write_bytes(run(name, Path(tmp)).encode("utf-8"))
            print(SNAPSHOTS / name)


if __name__ == "__main__":
    main()
