"""The bundled sample extract (synthetic, financial year 2008/09): where it is, without loading the generator.

``casetime report`` with no path reports on it; ``casetime synth --sample`` (re)writes it from
:func:`casetime.synth.write_sample`.

>>> sorted(p.name for p in sample_path().glob("*.csv"))
['core_assessment.csv', 'cpp.csv', 'initial_assessment.csv', 'referral.csv', 's47.csv']
"""

from __future__ import annotations

import atexit
import functools
import importlib.resources
import shutil
import tempfile
from pathlib import Path
from typing import Final

from casetime.errors import CasetimeError

__all__ = ["SAMPLE_COMMAND", "package_sample_dir", "sample_path"]

#: The command that (re)writes the bundled sample in a source checkout.
SAMPLE_COMMAND: Final = "casetime synth --sample"


def package_sample_dir() -> Path:
    """The package's own ``data/sample`` folder (where :func:`casetime.synth.write_sample` writes by default)."""
    return Path(__file__).resolve().parent / "data" / "sample"


@functools.cache
def _unpacked_sample() -> Path:
    """A copy of the sample on disk, for installations where the package is not a folder (a zip)."""
    source = importlib.resources.files("casetime") / "data" / "sample"
    target = Path(tempfile.mkdtemp(prefix="casetime-sample-"))
    atexit.register(shutil.rmtree, target, True)
    for item in source.iterdir():
        if item.is_file():
            (target / item.name).write_bytes(item.read_bytes())
    return target


def sample_path() -> Path:
    """The folder holding the bundled sample extract (synthetic, financial year 2008/09)."""
    resource = importlib.resources.files("casetime") / "data" / "sample"
    folder = resource if isinstance(resource, Path) else _unpacked_sample()
    if not (folder / "referral.csv").is_file():
        raise CasetimeError(
            f"the bundled sample extract is missing from this installation (looked in {folder}); "
            f"reinstall casetime, or run {SAMPLE_COMMAND} in a source checkout"
        )
    return folder
