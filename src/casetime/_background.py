"""Work started on a helper thread now and collected later (inline where threads cannot start).

numpy and pyarrow release the GIL inside their loops, so two array jobs on two threads use two
cores. Where no thread can start (a browser under Pyodide, or a platform without threads) the
work runs, unchanged, when its result is first asked for.

>>> job = Background(lambda: sum(range(10)))
>>> job.result()
45
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Background"]

_T = TypeVar("_T")


class Background(Generic[_T]):
    """``fn()`` on a daemon thread; :meth:`result` waits for it and returns it (or raises its error).

    >>> Background(lambda: "made at first use", thread=False).result()
    'made at first use'
    """

    def __init__(self, fn: Callable[[], _T], name: str = "casetime-background", *, thread: bool = True) -> None:
        self._fn: Callable[[], _T] | None = fn
        self._value: _T | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if thread:  # (``thread=False``: work too small to be worth a thread runs at first use)
            self._thread = threading.Thread(target=self._run, name=name, daemon=True)
            try:
                self._thread.start()
            except RuntimeError:  # no threads here: run at first use instead
                self._thread = None

    def _run(self) -> None:
        fn, self._fn = self._fn, None
        assert fn is not None
        try:
            self._value = fn()
        except BaseException as exc:  # handed to whoever asks for the result
            self._error = exc

    def result(self) -> _T:
        """The value ``fn()`` returned, once it is ready."""
        if self._thread is None:
            if self._fn is not None:
                self._run()
        else:
            self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]
