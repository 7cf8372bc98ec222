"""casetime._memory: the C heap's free pages handed back to the system after a read."""

from __future__ import annotations

import platform
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

import casetime._memory
from casetime._memory import give_back_freed_memory

GLIBC = sys.platform == "linux" and platform.libc_ver()[0] == "glibc" and Path("/proc/self/status").exists()


def _resident_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS line")


def test_where_the_c_library_has_no_such_call_it_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(casetime._memory, "_malloc_trim", lambda: None)
    assert give_back_freed_memory() is False


@pytest.mark.skipif(not GLIBC, reason="malloc_trim is glibc's (Linux)")
def test_what_a_helper_thread_freed_goes_back_to_the_system() -> None:
    kept: list[np.ndarray] = []

    def fill() -> None:  # 128 MiB in 64 KiB arrays (below glibc's mmap threshold: in the thread's heap)
        blocks = [np.ones(8192) for _ in range(2048)]
        kept.extend(blocks[1::2])  # every other one freed: holes that free() alone cannot give back

    worker = threading.Thread(target=fill)
    worker.start()
    worker.join()
    before = _resident_mib()
    assert give_back_freed_memory() is True
    after = _resident_mib()
    assert before - after >= 32, (before, after)
    assert all(float(b[-1]) == 1.0 for b in kept)  # (what is still held is untouched)
