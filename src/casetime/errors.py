"""Domain exceptions.

Every error casetime raises on purpose subclasses :class:`CasetimeError`, which
itself subclasses :class:`ValueError`, so ``except ValueError`` still works and
the command line can print the message without a traceback. A value of the wrong
type raises :class:`CasetimeTypeError`, which is also a :class:`TypeError`.

>>> issubclass(DateParseError, ValueError)
True
"""

from __future__ import annotations

__all__ = [
    "CasetimeError",
    "CasetimeTypeError",
    "DateParseError",
    "CalendarRangeError",
]


class CasetimeError(ValueError):
    """Base class of every domain error raised by casetime."""


class CasetimeTypeError(CasetimeError, TypeError):
    """A value of the wrong type (a number where a table belongs ...).

    It is a :class:`TypeError` and, like every casetime error, a :class:`CasetimeError`, so
    ``except TypeError`` and ``except CasetimeError`` both catch it.

    >>> issubclass(CasetimeTypeError, TypeError), issubclass(CasetimeTypeError, ValueError)
    (True, True)
    """


class DateParseError(CasetimeError):
    """A value that should be a date is not one.

    The message names the value and, for arrays, its position.
    """

    def __init__(
        self, value: object, position: int | None = None, *, detail: str = "", short_year: bool = False
    ) -> None:
        self.value = value
        self.position = position
        where = "" if position is None else f" at position {position}"
        if short_year:
            detail = detail or "a two-digit year is never guessed: write the year in full"
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"not a date{where}: {value!r}{extra}; expected a real date such as 2009-01-05, 05/01/2009 "
            "(day first) or 5 Jan 2009"
        )


class CalendarRangeError(CasetimeError):
    """A date falls outside the years a calendar covers.

    A calendar never treats a date outside its coverage as holiday-free: it
    refuses it and names the date and the coverage.
    """

    def __init__(self, value: object, coverage: tuple[object, object], *, what: str = "date") -> None:
        self.value = value
        self.coverage = coverage
        lo, hi = coverage
        subject = " ".join(part for part in (what, str(value)) if part)
        super().__init__(
            f"{subject} is outside the calendar's coverage {lo} to {hi}; "
            "build a calendar with a wider coverage (for England and Wales: casetime.england(start=..., end=...))"
        )
