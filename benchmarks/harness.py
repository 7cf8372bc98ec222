"""What the benchmark scripts share: the machine description, memory pre-touch, timing, failing.

Imported by the scripts beside it (run them as ``python benchmarks/<script>.py``).
"""

from __future__ import annotations

import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any, NoReturn

import numpy as np

__all__ = ["child_json", "fail", "machine", "peak_mib", "pretouch", "run_interleaved"]


def machine(modules: tuple[str, ...] = ("holidays", "pandas")) -> dict[str, str]:
    """Platform, CPU, Python, numpy, casetime and the versions of ``modules``."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    import casetime

    info = {
        "platform": platform.platform(),
        "cpu": f"{cpu}, {os.cpu_count()} CPUs ({usable} usable)",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "casetime": casetime.__version__,
    }
    for module in modules:
        try:
            info[module] = __import__(module).__version__
        except ImportError:
            info[module] = "not installed"
    return info


def pretouch(nbytes: int) -> float:
    """Write to ``nbytes`` of fresh memory and free it; return the seconds it took.

    On these VMs the first write to memory the process has not used costs more than the lookups being
    measured; touching it once first keeps that cost out of the timings.
    """
    t0 = time.perf_counter()
    buffer = np.ones(nbytes // 8)
    del buffer
    return time.perf_counter() - t0


def peak_mib() -> float:
    """This process's peak resident memory so far (``VmHWM``), in MiB (NaN where /proc is not there)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def child_json(script: str, *args: str, missing_ok: bool = False) -> dict[str, Any] | None:
    """Run ``python script --child *args`` in a fresh process and return the JSON it printed last.

    A child that fails is a benchmark failure (exit 2), unless ``missing_ok`` and it failed for want of a
    module: then ``None`` (the caller says what was skipped).
    """
    out = subprocess.run([sys.executable, script, "--child", *args], capture_output=True, text=True, check=False)
    if out.returncode:
        if missing_ok and "ModuleNotFoundError" in out.stderr:
            return None
        fail(2, f"{' '.join(args)} failed:\n{out.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def fail(code: int, message: str) -> NoReturn:
    """Print ``FAIL: message`` to stderr and exit with ``code``."""
    print(f"\nFAIL: {message}", file=sys.stderr)
    sys.exit(code)


def run_interleaved(methods: dict[str, Callable[[], Any]], repeat: int) -> tuple[dict[str, float], dict[str, float]]:
    """Seconds per method: (the warm-up pass, the median of the ``repeat`` passes after it).

    Passes of the methods are interleaved, so load on a shared machine hits them alike; no output is
    held across passes, so each pass allocates alike.
    """
    first: dict[str, float] = {}
    passes: dict[str, list[float]] = {name: [] for name in methods}
    for round_ in range(repeat + 1):
        for name, fn in methods.items():
            gc.collect()
            t0 = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - t0
            del result
            if round_ == 0:
                first[name] = elapsed
            else:
                passes[name].append(elapsed)
    return first, {name: statistics.median(times) for name, times in passes.items()}
