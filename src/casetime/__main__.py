"""``python -m casetime``: the command line (the same as the ``casetime`` command)."""

from __future__ import annotations

from casetime.cli import console

if __name__ == "__main__":
    console()
