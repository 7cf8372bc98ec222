"""casetime._background: work on a helper thread, or inline where no thread can start."""

from __future__ import annotations

import sys
import threading

import pytest

from casetime._background import Background


@pytest.mark.skipif(
    sys.platform == "emscripten", reason="no thread can start under Pyodide (the fallback is tested below)"
)
def test_result_comes_from_another_thread() -> None:
    seen: list[str] = []
    job = Background(lambda: seen.append(threading.current_thread().name) or 42, name="casetime-test")
    assert job.result() == 42
    assert job.result() == 42  # asking again returns it again, without running it again
    assert seen == ["casetime-test"]


def test_an_error_is_raised_to_whoever_asks() -> None:
    job = Background(lambda: 1 // 0)
    with pytest.raises(ZeroDivisionError):
        job.result()


@pytest.mark.usefixtures("no_threads")
def test_without_threads_the_work_runs_once_when_asked_for() -> None:
    seen: list[str] = []
    job = Background(lambda: seen.append(threading.current_thread().name) or 7)
    assert seen == []  # nothing ran yet
    assert job.result() == 7
    assert job.result() == 7
    assert seen == [threading.current_thread().name]


def test_work_not_worth_a_thread_runs_on_the_caller_at_first_use() -> None:
    seen: list[str] = []
    job = Background(lambda: seen.append(threading.current_thread().name) or 1, thread=False)
    assert seen == []
    assert job.result() == 1 and job.result() == 1
    assert seen == [threading.current_thread().name]
