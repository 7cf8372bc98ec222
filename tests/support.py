"""What several test modules share: the optional libraries, imported when a test first uses one.

A test that uses pandas, polars, pyarrow or jsonschema where the library is not installed (under
Pyodide, in the browser build's test run) is skipped, saying which library it needs; the other
tests of its module still run. (``pythonpath = ["tests"]`` in pyproject.toml makes this importable.)
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest

__all__ = ["Optional", "installed", "jsonschema", "pa", "pd", "pl"]


def installed(name: str) -> bool:
    """Whether a library can be imported here: by importing it (under Pyodide, ``find_spec`` finds the
    libraries of its distribution that are not installed too)."""
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


class Optional:
    """A library imported on first use; where it is missing, the test using it is skipped with a reason."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_"):  # (pytest looks at every name of a test module for its own markers)
            raise AttributeError(attr)
        module = pytest.importorskip(self._name, reason=f"needs {self._name}, which is not installed here")
        return getattr(module, attr)


pd: Any = Optional("pandas")
pl: Any = Optional("polars")
pa: Any = Optional("pyarrow")
jsonschema: Any = Optional("jsonschema")
