"""Giving the C heap's free pages back to the system once a big read is done.

The readers make their arrays on helper threads (:mod:`casetime._background`, the CSV read-ahead),
and glibc's ``malloc`` gives each thread its own heap: what a thread frees stays in its heap, where
the main thread's next arrays (the tables being joined, then validation) cannot reuse it, so the
process's resident memory grows past what it holds. :func:`give_back_freed_memory` asks glibc to
return every heap's free pages (``malloc_trim(0)``); it takes a few milliseconds for a heap of a few
hundred megabytes. Emscripten's C library (Pyodide) has the call too; where the C library has none
(macOS, musl) it does nothing.

>>> give_back_freed_memory() in (True, False)
True
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

__all__ = ["give_back_freed_memory"]


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], Any] | None:
    try:
        import ctypes

        trim = ctypes.CDLL(None).malloc_trim  # (the process's own C library)
    except (ImportError, OSError, AttributeError, TypeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    fn: Callable[[int], Any] = trim
    return fn


def give_back_freed_memory() -> bool:
    """Return the C heap's free pages to the system; ``True`` if the C library could be asked."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
