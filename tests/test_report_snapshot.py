"""The outputs of ``casetime report`` and ``casetime validate`` on the bundled sample, pinned byte for byte.

Reshaping the code must change no number, label, order or message: each command of
``tests/data/make_report_snapshots.py`` is run and compared with its file in ``tests/data/snapshots/``.
Regenerate only on purpose (``python tests/data/make_report_snapshots.py``), after checking every
difference; the figures themselves are checked independently in ``tests/test_cli_report.py``.
"""

from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
_spec = importlib.util.spec_from_file_location("make_report_snapshots", DATA / "make_report_snapshots.py")
assert _spec is not None and _spec.loader is not None
snapshots = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(snapshots)


@pytest.mark.parametrize("name", sorted(snapshots.COMMANDS))
def test_output_matches_its_snapshot(name: str, tmp_path: Path) -> None:
    pinned = (snapshots.SNAPSHOTS / name).read_bytes().decode("utf-8")
    got = snapshots.run(name, tmp_path)
    if got != pinned:
        diff = "".join(difflib.unified_diff(pinned.splitlines(True), got.splitlines(True), "pinned", "now", n=1))
        pytest.fail(f"{name} differs from its snapshot (regenerate only on purpose):\n{diff[:4000]}")


def test_every_snapshot_file_has_a_command() -> None:
    assert sorted(p.name for p in snapshots.SNAPSHOTS.iterdir()) == sorted(snapshots.COMMANDS)
