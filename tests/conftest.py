"""Shared fixtures."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest

#: Under Pyodide (the browser build's test run) there is no process, no thread and no pandas, polars or
#: pyarrow: a test that needs one is skipped, saying which, when it reaches for it.
PYODIDE = sys.platform == "emscripten"

if PYODIDE:

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(item: pytest.Item) -> Any:
        from casetime.errors import CasetimeError

        try:
            return (yield)
        except OSError as exc:
            if exc.errno == 138:  # "emscripten does not support processes"
                pytest.skip("starts a process, which Pyodide cannot")
            raise
        except RuntimeError as exc:
            if "can't start new thread" in str(exc):
                pytest.skip("starts a thread, which Pyodide cannot")
            raise
        except CasetimeError as exc:
            text = str(exc)
            if "pip install" in text and any(f"needs {lib}" in text for lib in ("pandas", "polars", "pyarrow")):
                pytest.skip(f"needs a library Pyodide does not have: {text}")
            raise


@pytest.fixture
def no_threads() -> Iterator[None]:
    """A platform where no thread can start (as under Pyodide): ``Thread.start`` raises RuntimeError."""

    def refuse(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(threading.Thread, "start", refuse)
        yield
