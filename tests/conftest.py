"""Shared fixtures."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest


@pytest.fixture
def no_threads() -> Iterator[None]:
    """A platform where no thread can start (as under Pyodide): ``Thread.start`` raises RuntimeError."""

    def refuse(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(threading.Thread, "start", refuse)
        yield
