"""The ``casetime`` command line.

Exit status: 0 success; 1 the data has errors (``validate``); 2 bad arguments
or unreadable input. Errors print one line to stderr, never a traceback.

>>> main(["between", "2009-01-05", "2009-01-14"])
7
0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from casetime.calendar import CONVENTIONS, WorkingCalendar, england
from casetime.dates import day_number
from casetime.errors import CasetimeError

__all__ = ["main", "EXIT_OK", "EXIT_DATA_ERRORS", "EXIT_USAGE"]

EXIT_OK = 0
EXIT_DATA_ERRORS = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """An argument parser that raises instead of exiting, so errors stay one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise CasetimeError(f"{self.prog}: {message}")


def _calendar(args: argparse.Namespace) -> WorkingCalendar:
    return england()


def _cmd_calendar(args: argparse.Namespace) -> int:
    first = int(args.year)
    last = int(args.to) if args.to is not None else first
    cal = _calendar(args)
    for holiday in cal.bank_holidays(f"{first:04d}-01-01", f"{last:04d}-12-31"):
        print(f"{holiday.date.isoformat()}  {holiday.date:%a}  {holiday.name}")
    return EXIT_OK


def _cmd_between(args: argparse.Namespace) -> int:
    print(_calendar(args).working_days_between(args.start, args.end, args.convention))
    return EXIT_OK


def _cmd_due(args: argparse.Namespace) -> int:
    due = _calendar(args).add_working_days(args.start, args.n, args.convention)
    print(due.isoformat())
    return EXIT_OK


def _date_arg(text: str) -> str:
    try:
        missing = day_number(text) is None
    except CasetimeError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if missing:
        raise argparse.ArgumentTypeError("a date is required, for example 2009-01-05")
    return text


def _year_arg(text: str) -> int:
    if not text.isdigit() or len(text) != 4:
        raise argparse.ArgumentTypeError(f"not a year: {text!r} (expected four digits, e.g. 2009)")
    return int(text)


def _int_arg(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of working days: {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = _Parser(prog="casetime", description="Timeliness of children's social care cases in England.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    p = sub.add_parser("calendar", help="list the England and Wales bank holidays in a year")
    p.add_argument("year", type=_year_arg, help="a calendar year, e.g. 2009")
    p.add_argument("--to", type=_year_arg, default=None, metavar="YEAR", help="list up to this year too")
    p.set_defaults(func=_cmd_calendar)

    conv_help = "day0 (default: start < d <= end) or inclusive (the start day is day 1)"
    p = sub.add_parser("between", help="working days from START to END")
    p.add_argument("start", type=_date_arg)
    p.add_argument("end", type=_date_arg)
    p.add_argument("--convention", choices=CONVENTIONS, default="day0", help=conv_help)
    p.set_defaults(func=_cmd_between)

    p = sub.add_parser("due", help="the last date within N working days of START")
    p.add_argument("start", type=_date_arg)
    p.add_argument("n", type=_int_arg)
    p.add_argument("--convention", choices=CONVENTIONS, default="day0", help=conv_help)
    p.set_defaults(func=_cmd_due)

    for register in _EXTRA_COMMANDS:
        register(sub)
    return parser


#: Hooks that add further subcommands (filled by the modules that implement them).
_EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction[_Parser]], None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        status: int = args.func(args)
        return status
    except CasetimeError as exc:
        print(f"casetime: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (OSError, MemoryError) as exc:
        print(f"casetime: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("casetime: interrupted", file=sys.stderr)
        return 130


def console() -> None:
    """Entry point of the ``casetime`` console script."""
    sys.exit(main())
