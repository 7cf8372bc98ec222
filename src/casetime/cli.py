"""The ``casetime`` command line.

Exit status: 0 success; 1 the data has errors (``validate``); 2 bad arguments
or unreadable input. Errors print one line to stderr, never a traceback.

>>> main(["between", "2009-01-05", "2009-01-14"])
7
0
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from casetime.calendar import CONVENTIONS, WorkingCalendar, england
from casetime.cells import terminal_text
from casetime.config import CONFIG_NAME, KEYS
from casetime.dates import date_from_day, day_number
from casetime.errors import CalendarRangeError, CasetimeError

__all__ = ["main", "console", "build_parser", "EXIT_OK", "EXIT_DATA_ERRORS", "EXIT_USAGE"]

EXIT_OK = 0
EXIT_DATA_ERRORS = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """An argument parser that raises instead of exiting, so errors stay one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        # (the command line prints "casetime: error: ..."; a subcommand names itself: "report: ...")
        where = self.prog.removeprefix("casetime").strip()
        raise CasetimeError(f"{where}: {message}" if where else message)


class _Version(argparse.Action):
    """``--version``: the installed version (looked up only when asked for)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: Any, values: Any, option: str | None = None) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("casetime")
        except PackageNotFoundError:  # pragma: no cover - run from a source tree that was never installed
            found = "(not installed)"
        print(f"casetime {found}")
        parser.exit()


def _calendar(args: argparse.Namespace) -> WorkingCalendar:
    """England and Wales, with the closure days of ``--closures`` or the project file."""
    _settle(args)
    closures = getattr(args, "closures", None)
    if closures is None:
        return england()
    from casetime.calendar import read_closures

    days = read_closures(closures) if isinstance(closures, (str, Path)) else closures
    return england().with_closures(days)


def _cmd_calendar(args: argparse.Namespace) -> int:
    first = int(args.year)
    last = int(args.to) if args.to is not None else first
    cal = _calendar(args)
    lo, hi = cal.coverage
    for year in (first, last):  # a year the calendar does not cover has no holidays it knows, not none
        if not lo.year <= year <= hi.year:
            raise CalendarRangeError(year, cal.coverage, what="year")
    for holiday in cal.bank_holidays(f"{first:04d}-01-01", f"{last:04d}-12-31"):
        print(f"{holiday.date.isoformat()}  {holiday.date:%a}  {holiday.name}")
    return EXIT_OK


def _cmd_between(args: argparse.Namespace) -> int:
    calendar = _calendar(args)  # (first: it settles args.convention from the project file)
    print(calendar.working_days_between(args.start, args.end, args.convention))
    return EXIT_OK


def _cmd_due(args: argparse.Namespace) -> int:
    calendar = _calendar(args)
    due = calendar.add_working_days(args.start, args.n, args.convention)
    print(due.isoformat())
    return EXIT_OK


def _date_arg(text: str) -> str:
    """A date on the command line, read as in files (day first), given on as ISO."""
    try:
        day = day_number(text)
    except CasetimeError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if day is None:
        raise argparse.ArgumentTypeError("a date is required, for example 2009-01-05 or 05/01/2009")
    return date_from_day(day).isoformat()


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
    parser = _Parser(
        prog="casetime",
        description="Timeliness of children's social care cases in England.",
        epilog=f"exit status: {EXIT_OK} success, {EXIT_DATA_ERRORS} the data has errors (validate), {EXIT_USAGE} bad "
        "arguments or unreadable input, 130 interrupted (Ctrl-C), 141 the output pipe closed, 143 terminated (SIGTERM)",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="print the installed version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    p = sub.add_parser("calendar", help="list the England and Wales bank holidays in a year")
    p.add_argument("year", type=_year_arg, help="a calendar year, e.g. 2009")
    p.add_argument("--to", type=_year_arg, default=None, metavar="YEAR", help="list up to this year too")
    p.set_defaults(func=_cmd_calendar)

    conv_help = "day0 (default: start < d <= end) or inclusive (the start day is day 1)"
    p = sub.add_parser("between", help="working days from START to END")
    p.add_argument("start", type=_date_arg, help="the first date (2009-01-05 or 05/01/2009)")
    p.add_argument("end", type=_date_arg, help="the last date; before START gives a negative count")
    p.add_argument("--convention", choices=CONVENTIONS, default=None, help=conv_help)
    _calendar_options(p)
    p.set_defaults(func=_cmd_between)

    p = sub.add_parser("due", help="the last date within N working days of START")
    p.add_argument("start", type=_date_arg, help="the date the clock starts (2009-01-05 or 05/01/2009)")
    p.add_argument("n", type=_int_arg, help="the limit in working days, e.g. 7")
    p.add_argument("--convention", choices=CONVENTIONS, default=None, help=conv_help)
    _calendar_options(p)
    p.set_defaults(func=_cmd_due)

    _add_report_commands(sub)
    return parser


class _Terminated(BaseException):
    """SIGTERM, raised where the process is, so that a file being written is removed as on Ctrl-C."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise _Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    import signal
    import threading

    previous = None
    if threading.current_thread() is threading.main_thread():  # (a handler can be set only there)
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return _run(argv)
    except _Terminated:
        print("casetime: terminated", file=sys.stderr)
        return 143
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _run(argv: Sequence[str] | None) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        status: int = args.func(args)
        return status
    except CasetimeError as exc:
        print(f"casetime: error: {terminal_text(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # the reader went away (``| head``): end quietly, as other tools do
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except (OSError, MemoryError) as exc:
        print(f"casetime: error: {terminal_text(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("casetime: interrupted", file=sys.stderr)
        return 130


# ---------------------------------------------------------------------------
# report and validate
# ---------------------------------------------------------------------------


_PATHS_HELP = "CSV files, census .xml files, Excel workbooks (with casetime[excel]) or folders of them"
_COLUMN_HELP = (
    "the heading of a standard column, where names, aliases and words miss "
    "(e.g. --column completion_date='Date IA Signed Off', or ia.completion_date=... for one record type; "
    "repeatable)"
)
_INDICATORS_HELP = "comma-separated ids (default NI59,NI60,NI64, and SA45,ICPC15 when there are single assessments)"


def _add_report_commands(sub: Any) -> None:
    from casetime.report import FORMATS

    p = sub.add_parser(
        "report",
        help="timeliness indicators (NI59, NI60, NI64, SA45, ICPC15) from extracts; the bundled sample by default",
        description="Read, validate and report the timeliness indicators. With no PATH, the bundled synthetic "
        f"sample (financial year 2008/09) is used. Settings come from {CONFIG_NAME} in the current folder (or "
        "--config), and every option given here overrides them: see casetime config.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help=_PATHS_HELP)
    _report_settings(p)
    p.add_argument(
        "--format", choices=FORMATS, default=None,
        help="output format (default: by the -o file's extension, .html .json .csv, else table)",
    )  # fmt: skip
    p.add_argument(
        "--dfe-columns", action="store_true",
        help="with --format csv: DfE's published column names (Assessments_completed, Same_day, 1-10_days ... "
        "Median_days), to put your rows beside the published ones",
    )  # fmt: skip
    p.add_argument(
        "-o", "--output",
        help="write to this file (replaced only once it is whole; '-' for standard output) instead of standard output",
    )  # fmt: skip
    p.add_argument("--late-cases", action="store_true", help="list the late cases (child ids: personal data)")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("validate", help="the data-quality report of extracts (exit 1 when there are errors)")
    p.add_argument("paths", nargs="+", metavar="PATH", help=_PATHS_HELP)
    p.add_argument(
        "-o", "--output",
        help="write the row-level issues to this file: CSV (child ids included: personal data), or JSON with "
        "--format json or a .json name; '-' for standard output",
    )  # fmt: skip
    p.add_argument(
        "--format", choices=("text", "json"), default=None,
        help="the summary as text (default) or JSON (counts, reconciliation and the first issues, without child "
        "ids unless --show-values)",
    )  # fmt: skip
    p.add_argument(
        "--max-issues", type=int, default=10, metavar="N",
        help="how many issues the summary lists (default 10; -o lists every one)",
    )  # fmt: skip
    p.add_argument(
        "--show-values", action="store_true",
        help="show child ids in the summary's issue lines (hidden by default: personal data)",
    )  # fmt: skip
    _reading_settings(p)
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser(
        "open",
        help="open work at a date that is overdue or due soon (child ids: personal data)",
        description="The assessments, enquiries and plans still open at --as-at (a census file: its reference date "
        "by default) that are past their limit, or due within --due-within working days, most late first, with "
        "their team. Work that stopped after --as-at counts as open at it, so a past date shows what was open then.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help=_PATHS_HELP)
    p.add_argument(
        "--due-within", type=_int_arg, default=0, metavar="N",
        help="also list work due within the next N working days (default 0: overdue only)",
    )  # fmt: skip
    p.add_argument("--indicators", default=None, help="comma-separated ids (default: the report's timeliness ones)")
    p.add_argument("--convention", choices=CONVENTIONS, default=None, help="day0 (default) or inclusive")
    p.add_argument(
        "--format", choices=("table", "csv", "json", "html"), default=None,
        help="output format (default: by the -o file's extension, else table)",
    )  # fmt: skip
    p.add_argument("-o", "--output", help="write to this file ('-' for standard output)")
    p.add_argument("--title", default=None, help="the page's title (html)")
    _reading_settings(p)
    p.set_defaults(func=_cmd_open)

    p = sub.add_parser(
        "config",
        help=f"the settings in force ({CONFIG_NAME} and options) and where each came from",
        description=f"Print every setting the report would use, and where it came from: the default, {CONFIG_NAME} "
        "(in the current folder, or --config) or the command line. Takes the report's options.",
    )
    _report_settings(p)
    p.set_defaults(func=_cmd_config)

    p = sub.add_parser(
        "web",
        help="write an offline web page that runs casetime in the browser (no install, no file leaves the machine)",
        description="Write a folder holding one page, the Pyodide runtime (Python compiled to WebAssembly) and "
        "casetime: opened from file:// or any static server, it makes the report from the files the user picks, "
        "inside the browser tab, with no network request at all.",
    )
    p.add_argument("-o", "--out", required=True, help="the folder to write (new, empty, or written by casetime web)")
    p.add_argument(
        "--pyodide", metavar="DIR",
        help="an offline Pyodide 0.27 runtime folder (default: $CASETIME_PYODIDE), with numpy, python-dateutil and "
        "six's wheels beside it",
    )  # fmt: skip
    p.add_argument(
        "--wheel", metavar="FILE", help="casetime's wheel to put in the page (default: the installed casetime)"
    )
    p.set_defaults(func=_cmd_web)

    p = sub.add_parser(
        "synth",
        help="write a SYNTHETIC case extract as CSV files (or rewrite the bundled sample)",
        description="Write a synthetic extract (made up by casetime.synth: no record describes a real child) as "
        "one CSV file per record type.",
    )
    p.add_argument("--sample", action="store_true", help="(re)write the bundled sample extract")
    p.add_argument("-o", "--out", help="output directory (required unless --sample)")
    # (no defaults here: what is not given keeps casetime.synth.generate's own default)
    p.add_argument("-n", "--referrals", type=int, help="referrals in the year (default 4000)")
    p.add_argument("--year", type=int, help="financial year, 2008 for 2008/09 (the default)")
    p.add_argument("--seed", type=int, help="random seed (default 0)")
    p.add_argument("--fault-rate", type=float, help="share of faulty records (default 0)")
    p.add_argument("--teams", help="comma-separated team names (default North,South,East,West)")
    p.set_defaults(func=_cmd_synth)


def _report_settings(p: argparse.ArgumentParser) -> None:
    """The report's settings: each also a key of the project file (so no option here has a default of its own:
    ``None`` means "not given", and :func:`_settle` fills in the project file's value or the default)."""
    when = p.add_argument_group("period (default: the financial year holding most clock-stop dates, stated)")
    when.add_argument(
        "--period", help="2008/09 (financial year), '2008/09 Q3', 'Jan 2009' or 2009-01, ytd:2008-12, "
        "rolling:2009-03, A..B",
    )  # fmt: skip
    when.add_argument("--from", dest="date_from", type=_date_arg, help="explicit start (with --to)")
    when.add_argument("--to", dest="date_to", type=_date_arg, help="explicit end, inclusive (with --from)")
    when.add_argument("--ytd", metavar="MONTH", help="year to date up to the end of MONTH (e.g. 2008-12)")
    p.add_argument("--by", default=None, help="grouping: month (default), quarter, year, team or e.g. month,team")
    p.add_argument("--indicators", default=None, help=_INDICATORS_HELP)
    p.add_argument("--target", action="append", default=[], metavar="ID=PCT", help="e.g. --target NI59=70 or 70%%")
    p.add_argument(
        "--limit", action="append", default=[], metavar="ID=N",
        help="a limit, or a named schedule of limits by era: e.g. --limit NI59=10, --limit NI59=wt2010 (7 working "
        "days, 10 from April 2010), wt2013 (45 from 15 April 2013), wt2010+2013, ni2008",
    )  # fmt: skip
    p.add_argument(
        "--compare", metavar="COUNCIL",
        help="show DfE's published figures (the council's own, its region's, England's, its quartile and "
        "statistical neighbours) beside each measure that has them: an ONS code (E09000003), DfE number or name",
    )  # fmt: skip
    p.add_argument("--convention", choices=CONVENTIONS, default=None, help="day0 (default) or inclusive")
    p.add_argument("--title", default=None, help="the report's title (default 'Safeguarding timeliness')")
    p.add_argument(
        "--strict", action="store_true", default=None,
        help="fail (exit 1) on any warning about the files (a clock-stop column not found, an ambiguous heading)",
    )  # fmt: skip
    _reading_settings(p)


def _reading_settings(p: argparse.ArgumentParser) -> None:
    """How the files are read, and the calendar: shared by ``report``, ``validate``, ``open`` and ``config``."""
    p.add_argument(
        "--month-first", action="store_true", default=None,
        help="numeric dates in the files are mm/dd/yyyy (default dd/mm/yyyy)",
    )  # fmt: skip
    p.add_argument(
        "--date-format", metavar="FORMAT",
        help="read every date in the files with this strptime format, e.g. '%%Y%%m%%d' or '%%d/%%m/%%y'",
    )  # fmt: skip
    p.add_argument(
        "--as-at", type=_date_arg,
        help="the date the data is as at: later dates are flagged; open work is measured at it (a census file: its "
        "reference date)",
    )  # fmt: skip
    p.add_argument("--record-type", help="the record type of every file, where names and columns do not tell")
    p.add_argument("--column", action="append", default=[], metavar="FIELD=HEADING", help=_COLUMN_HELP)
    _calendar_options(p)


def _calendar_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--closures", metavar="FILE",
        help="local closure days, not counted as working days: a file with one date per line (and a name after a "
        "comma)",
    )  # fmt: skip
    p.add_argument(
        "--config", metavar="FILE",
        help=f"the project file to read (default: {CONFIG_NAME} in the current folder, if there is one)",
    )  # fmt: skip


# ---------------------------------------------------------------------------
# settings: the command line over the project file over the defaults
# ---------------------------------------------------------------------------

#: The default of each setting that has one (the others default to "not set").
_DEFAULTS: dict[str, Any] = {
    "title": "Safeguarding timeliness",
    "by": "month",
    "convention": "day0",
    "month_first": False,
    "strict": False,
}
#: The project file's keys, in the order ``casetime config`` prints them.
_SETTINGS = tuple(KEYS)
#: The options that choose a period, overriding the project file's ``period``.
_PERIOD_OPTIONS = ("period", "ytd", "date_from", "date_to")


def _settle(args: argparse.Namespace) -> None:
    """Fill in every setting of ``args``: the command line's, else the project file's, else the default.

    Targets, limits and columns merge key by key. Where each value came from is kept in
    ``args.origins`` (for ``casetime config``). Safe to call twice.
    """
    if getattr(args, "origins", None) is not None:
        return
    project = None
    if getattr(args, "config", None):
        from casetime.config import read_config

        project = read_config(args.config)
    else:
        from casetime.config import find_config  # (a cheap look: `casetime between` stays quick)

        found = find_config()
        if found is not None:
            from casetime.config import read_config

            project = read_config(found)
    values = dict(project.values) if project is not None else {}
    label = str(project.path) if project is not None else ""
    origins: dict[str, str] = {}
    period_given = any(getattr(args, name, None) for name in _PERIOD_OPTIONS)
    for name in _SETTINGS:
        if not hasattr(args, name):
            continue
        given = getattr(args, name)
        if given is not None and not (name == "period" and not given):
            origins[name] = "command line"
            if name == "closures":
                args.closures = Path(given)
        elif name == "period" and period_given:
            origins[name] = "command line"
        elif name in values:
            setattr(args, name, values[name])
            origins[name] = label
        else:
            setattr(args, name, _DEFAULTS.get(name))
            origins[name] = "default"
    if hasattr(args, "target"):
        file_targets = _pairs(_items(values.get("targets", {})), "target", label)
        args.targets = _merged(file_targets, _pairs(args.target, "target"), "targets", label, origins)
        file_limits = _limits(_items(values.get("limits", {})), label)
        args.limits = _merged(file_limits, _limits(args.limit), "limits", label, origins)
    if hasattr(args, "column"):
        args.columns = _merged_columns(values.get("columns", {}), _columns(args.column), label, origins)
    args.origins = origins
    args.project = project


def _items(table: dict[str, Any]) -> list[str]:
    return [f"{key}={value}" for key, value in table.items()]


def _merged(
    from_file: dict[str, Any], from_line: dict[str, Any], what: str, label: str, origins: dict[str, str]
) -> dict[str, Any]:
    out = dict(from_file)
    for key in from_file:
        origins[f"{what}.{key}"] = label
    for key, value in from_line.items():
        out[key] = value
        origins[f"{what}.{key}"] = "command line"
    return out


def _merged_columns(
    from_file: dict[str, Any], from_line: dict[str, Any] | None, label: str, origins: dict[str, str]
) -> dict[str, Any] | None:
    from casetime.schema import record_type_of

    out: dict[str, Any] = {}
    for key, value in from_file.items():
        if isinstance(value, dict):
            kind = record_type_of(key)
            out[kind] = dict(value)
            origins.update({f"columns.{kind}.{field}": label for field in value})
        else:
            out[key] = value
            origins[f"columns.{key}"] = label
    for key, value in (from_line or {}).items():
        if isinstance(value, dict):
            out.setdefault(key, {}).update(value)
            origins.update({f"columns.{key}.{field}": "command line" for field in value})
        else:
            out[key] = value
            origins[f"columns.{key}"] = "command line"
    if any(isinstance(v, dict) for v in out.values()) and not all(isinstance(v, dict) for v in out.values()):
        raise CasetimeError(
            "columns: give every column as FIELD=HEADING, or every one per record type (TYPE.FIELD=HEADING, "
            f"[columns.TYPE] in {CONFIG_NAME})"
        )
    return out or None


def _schedule_name(limit: Any) -> str:
    """A limit as given: whole days, or the name of a schedule (``wt2010``)."""
    from casetime.indicators import SCHEDULES

    names = [name for name, schedule in SCHEDULES.items() if schedule is limit]
    return names[0] if names else str(limit)


def _cmd_config(args: argparse.Namespace) -> int:
    _settle(args)
    project = args.project
    where = f"{project.path}" if project is not None else f"none ({CONFIG_NAME} not found in the current folder)"
    print(f"project file: {where}")
    rows: list[tuple[str, str, str]] = []
    for name in _SETTINGS:
        value = getattr(args, name)
        if name == "period" and value is None and args.origins.get(name) == "command line":
            value = f"ytd:{args.ytd}" if args.ytd else f"{args.date_from}..{args.date_to}"
        shown = "(not set)" if value is None else str(value)
        if name == "period" and value is None:
            shown = "(not set: chosen from the data)"
        if name == "indicators" and value is None:
            shown = "(not set: chosen from the data)"
        rows.append((name, shown, args.origins[name]))
    for what, table in (("targets", args.targets), ("limits", args.limits)):
        for key, value in table.items():
            text = f"{value:g}%" if what == "targets" else _schedule_name(value)
            rows.append((f"{what}.{key}", text, args.origins[f"{what}.{key}"]))
    for key, value in (args.columns or {}).items():
        for field, heading in value.items() if isinstance(value, dict) else [(None, value)]:
            name = f"columns.{key}" if field is None else f"columns.{key}.{field}"
            rows.append((name, repr(heading), args.origins[name]))
    width = max(len(r[0]) for r in rows)
    value_width = min(48, max(len(r[1]) for r in rows))
    for name, shown, origin in rows:
        print(terminal_text(f"  {name:<{width}}  {shown:<{value_width}}  {origin}"))
    return EXIT_OK


def _progress(paths: Sequence[str], stream: Any = None) -> Any:
    """A progress callback for reading ``paths``, printing rows read and about how much of the files' bytes that
    is, to ``stream`` (stderr) only when it is a terminal, at most five times a second."""
    out = sys.stderr if stream is None else stream
    if not out.isatty():
        return None

    from casetime.io import FOLDER_SUFFIXES

    files = []
    for given in paths:
        path = Path(given)
        found = sorted(p for p in path.iterdir() if p.suffix.lower() in FOLDER_SUFFIXES) if path.is_dir() else [path]
        files += [f for f in found if f.is_file()]
    total_bytes = sum(f.stat().st_size for f in files)
    expected = 0.0  # rows (census: children) the files hold, from the size of their first records
    for f in files:
        with open(f, "rb") as handle:
            head = handle.read(1 << 18)
        marker = b"<Child>" if f.suffix.lower() == ".xml" else b"\n"
        seen = head.count(marker)
        size = f.stat().st_size
        expected += size * seen / len(head) if head and seen else size / 100
    return _Progress(out, total_bytes, expected)


class _Progress:
    """Rows read, and about how much of the files that is (by the size of their first rows), on one line."""

    def __init__(self, out: Any, total_bytes: int, expected_rows: float) -> None:
        self.out, self.total, self.expected = out, total_bytes, expected_rows
        self.last = 0.0
        self.rows = 0
        self.shown = False

    def __call__(self, rows: int) -> None:
        import time

        self.rows = rows
        now = time.monotonic()
        if now - self.last < 0.2:
            return
        self.last = now
        share = min(rows / self.expected, 0.99) if self.expected else 0.0
        self._line(f"about {_size(self.total * share)} of {_size(self.total)} ({share:.0%})")

    def _line(self, where: str) -> None:
        print(f"\rread {self.rows:,} rows, {where}   ", end="", file=self.out, flush=True)
        self.shown = True

    def finish(self) -> None:
        """The last line (all of the files read), ended, if a line was shown at all."""
        if self.shown:
            self._line(f"{_size(self.total)} (100%)")
            print(file=self.out)


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:,.1f} GB"  # pragma: no cover - (the loop returns)


def _load(paths: Sequence[str], args: argparse.Namespace) -> Any:
    from casetime.extract import load

    for path in paths:
        if not Path(path).exists():
            raise CasetimeError(f"{path}: no such file or directory")
    calendar = _calendar(args)
    progress = _progress(paths)
    extract = load(
        *paths, record_type=args.record_type, columns=args.columns, dayfirst=not args.month_first,
        date_format=args.date_format, as_at=args.as_at, progress=progress, calendar=calendar,
    )  # fmt: skip
    if progress is not None:
        progress.finish()
    if not any(len(t) for t in extract.tables.values()):
        raise CasetimeError(f"{', '.join(paths)}: the extract holds no records")
    return extract


def _columns(items: Sequence[str]) -> dict[str, Any] | None:
    """``--column [TYPE.]FIELD=HEADING`` options as a mapping (``None`` when there are none)."""
    from casetime.schema import record_type_of

    flat: dict[str, str] = {}
    typed: dict[str, dict[str, str]] = {}
    for item in items:
        name, sep, heading = item.partition("=")
        name, heading = name.strip(), heading.strip()
        if not sep or not name or not heading:
            raise CasetimeError(f"--column {item!r}: expected FIELD=HEADING, e.g. completion_date='IA Completed Date'")
        kind, dot, field = name.rpartition(".")
        target = typed.setdefault(record_type_of(kind), {}) if dot else flat
        key = field if dot else name
        if key in target and target[key] != heading:
            raise CasetimeError(f"--column names {name} twice ({target[key]!r} and {heading!r})")
        target[key] = heading
    if flat and typed:
        raise CasetimeError("--column: give every column as FIELD=HEADING, or every one as TYPE.FIELD=HEADING")
    return typed or flat or None


def _limits(items: Sequence[str], origin: str = "") -> dict[str, Any]:
    """``--limit ID=N`` (a whole number) or ``ID=NAME`` (a named schedule of limits by era)."""
    from casetime.indicators import SCHEDULES

    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        name = value.strip().lower()
        if sep and key.strip() and name in SCHEDULES:
            out[key.strip().upper()] = SCHEDULES[name]
        else:
            out.update({k: int(v) for k, v in _pairs([item], "limit", origin).items()})
    return out


def _pairs(items: Sequence[str], what: str, origin: str = "") -> dict[str, float]:
    """``ID=NUMBER`` options; a ``--limit`` must be a whole number of working days (or years); a ``--target``
    is a percentage (``70`` or ``70%``). ``origin`` names the project file the items came from."""
    out: dict[str, float] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if what == "target":
            value = value.strip().removesuffix("%")
        try:
            number = int(value) if what == "limit" else float(value)
        except ValueError:
            sep = ""
        if not sep or not key.strip() or (what == "target" and not 0 <= number <= 100):
            example = (
                "a percentage from 0 to 100, e.g. NI59=70"
                if what == "target"
                else "whole days, e.g. NI59=10, or a schedule: ni2008, wt2010, wt2013, wt2010+2013"
            )
            where = f"{origin}: {what}s.{key.strip()} = {value.strip()!r}" if origin else f"--{what} {item!r}"
            raise CasetimeError(f"{where}: expected ID=NUMBER ({example})")
        out[key.strip().upper()] = number
    return out


def _period(args: argparse.Namespace, extract: Any) -> tuple[Any, str]:
    """The period to report and, when it was not given, why it was chosen."""
    from casetime.periods import Period, parse_period

    chosen = [x for x in (args.period, args.ytd, args.date_from or args.date_to) if x]
    if len(chosen) > 1:
        raise CasetimeError("give one of --period, --ytd, or --from/--to")
    if args.period:
        where = "" if args.origins.get("period") == "command line" else f"{args.origins.get('period')}: period: "
        try:
            return parse_period(args.period), ""
        except CasetimeError as exc:
            raise CasetimeError(f"{where}{exc}") from None
    if args.ytd:
        return parse_period(f"ytd:{args.ytd}"), ""
    if args.date_from or args.date_to:
        if not (args.date_from and args.date_to):
            raise CasetimeError("--from and --to go together")
        return Period(args.date_from, args.date_to), ""
    choice = extract.default_period()
    if choice is None:
        lo, hi = extract.calendar.coverage
        raise CasetimeError(
            f"the extract has no clock dates inside the calendar's coverage ({lo}..{hi}) to choose a period from; "
            "casetime validate lists the dates it could not use; give --period"
        )
    return choice.period, f"{choice.note}; give --period to choose another"


def _chosen_indicators(args: argparse.Namespace, extract: Any, limits: dict[str, Any] | None = None) -> Any:
    """The definitions asked for (``--indicators``, with ``--limit``s applied), or ``None`` for the default."""
    from casetime.engine import default_indicators
    from casetime.indicators import get_indicator

    ids = [i.strip().upper() for i in args.indicators.split(",") if i.strip()] if args.indicators else None
    if ids is None and not limits:
        return None
    chosen = [get_indicator(i) for i in (ids or default_indicators(extract))]
    return [ind.with_limit(limits[ind.id]) if limits and ind.id in limits else ind for ind in chosen]


def _cmd_report(args: argparse.Namespace) -> int:
    from casetime.engine import compute_all, default_indicators
    from casetime.report import build_report, render

    _settle(args)
    if args.paths:
        paths = list(args.paths)
        source = ", ".join(paths)
    else:
        from casetime.sample import sample_path

        paths = [str(sample_path())]
        source = "bundled synthetic sample (2008/09)"
    _check_output(args.output, paths)
    fmt = _output_format(args)
    extract = _load(paths, args)
    notices = extract.quality.notices
    if args.strict and notices:
        more = f" (and {len(notices) - 1} more: see casetime validate)" if len(notices) > 1 else ""
        print(f"casetime: strict: {terminal_text(notices[0].message)}{more}", file=sys.stderr)
        return EXIT_DATA_ERRORS
    period, period_note = _period(args, extract)
    if args.late_cases and fmt == "csv":
        raise CasetimeError("--late-cases lists child ids in the table, json and html formats, not in csv")
    if args.dfe_columns and fmt != "csv":
        raise CasetimeError("--dfe-columns names the columns of --format csv")
    targets, limits = args.targets, args.limits
    chosen = _chosen_indicators(args, extract, limits)
    known = {ind.id for ind in chosen} if chosen is not None else set(default_indicators(extract))
    stray = [k for k in sorted(set(limits) | set(targets)) if k not in known]
    if stray:
        where = sorted({args.origins.get(f"{w}.{k}", "") for k in stray for w in ("targets", "limits")} - {""})
        raise CasetimeError(f"targets/limits ({', '.join(where)}) name {', '.join(stray)}, which is not being reported")
    by = [b.strip() for b in args.by.split(",") if b.strip()]
    results = compute_all(extract, period, indicators=chosen, by=by, targets=targets, convention=args.convention)
    if args.compare is not None:
        from casetime.indicators import INDICATORS
        from casetime.published import find_area

        find_area(args.compare)  # an unknown or ambiguous council: one clear line, before any work
        if not any(table.indicator.published is not None for table in results.values()):
            have = ", ".join(i.id for i in INDICATORS.values() if i.published is not None)
            raise CasetimeError(
                f"--compare: none of {', '.join(results)} has published figures (those that do: {have}; "
                "choose them with --indicators)"
            )
    from casetime.engine import compute_previous

    previous = compute_previous(results, extract, convention=args.convention)
    report = build_report(
        results, extract.quality, title=args.title, source=source, late_cases=args.late_cases,
        convention=args.convention, period_note=period_note, compare=args.compare, previous=previous,
    )  # fmt: skip
    text = render(report, fmt, dfe_columns=args.dfe_columns)
    if fmt == "table" and (not args.output or args.output == "-"):
        text = terminal_text(text)  # a team or heading cannot send escape sequences to the terminal
    _write_output(args.output, text)
    return EXIT_OK


#: The format of ``-o FILE`` by its extension, when ``--format`` is not given.
_FORMAT_OF_SUFFIX = {".html": "html", ".htm": "html", ".json": "json", ".csv": "csv", ".txt": "table"}


def _output_format(args: argparse.Namespace, default: str = "table") -> str:
    """``--format``, else the output file's extension, else the table."""
    if args.format is not None:
        return str(args.format)
    if args.output and args.output != "-":
        return _FORMAT_OF_SUFFIX.get(Path(args.output).suffix.lower(), default)
    return default


def _check_output(output: str | None, inputs: Sequence[str]) -> None:
    """Refuse an output that is one of the inputs, or lies in an input folder where it would be read as one."""
    if not output or output == "-":
        return
    from casetime.io import FOLDER_SUFFIXES

    out = Path(output).resolve()
    for given in inputs:
        source = Path(given).resolve()
        if out == source:
            raise CasetimeError(f"-o {output} is one of the inputs: writing it would destroy the extract")
        if source.is_dir() and out.parent == source and out.suffix.lower() in FOLDER_SUFFIXES:
            raise CasetimeError(
                f"-o {output} is inside the input folder {given}, where the next run would read it as records: "
                "write it somewhere else"
            )


def _write_output(output: str | None, text: str) -> None:
    """``-o FILE`` (replaced only once it is whole), ``-o -`` or no ``-o``: standard output."""
    if not output or output == "-":
        sys.stdout.write(text)
        return
    from casetime.cells import replace_file  # (here: `casetime between` need not import tempfile)

    with replace_file(output) as handle:
        handle.write(text)
    print(f"wrote {output}", file=sys.stderr)


def _cmd_validate(args: argparse.Namespace) -> int:
    _settle(args)
    _check_output(args.output, args.paths)
    if args.max_issues < 0:
        raise CasetimeError(f"--max-issues {args.max_issues}: expected a number of issues, 0 or more")
    fmt = args.format or ("json" if args.output and Path(args.output).suffix.lower() == ".json" else "text")
    extract = _load(args.paths, args)
    quality = extract.quality
    if fmt == "json":
        import json

        summary = quality.to_dict(max_issues=args.max_issues, show_ids=args.show_values)
        if args.output and args.output != "-":  # the file holds every issue (as the CSV does), with child ids
            _write_output(args.output, json.dumps(quality.to_dict(max_issues=None), indent=2) + "\n")
        else:
            sys.stdout.write(json.dumps(summary, indent=2) + "\n")
        return EXIT_DATA_ERRORS if quality.has_errors else EXIT_OK
    # with -o -, the issues are the standard output and the summary goes to the error stream
    text = quality.summary(max_issues=args.max_issues, show_ids=args.show_values)
    print(terminal_text(text), file=sys.stderr if args.output == "-" else sys.stdout)
    if args.output == "-":
        sys.stdout.write(quality.to_csv() or "")
    elif args.output:
        _check_writable(args.output)
        quality.to_csv(args.output)
        print(f"wrote {len(quality)} issue(s) to {args.output}", file=sys.stderr)
    return EXIT_DATA_ERRORS if quality.has_errors else EXIT_OK


def _check_writable(output: str) -> None:
    folder = Path(output).resolve().parent
    if not folder.is_dir():
        raise CasetimeError(f"-o {output}: no folder {folder} to write it in")


def _cmd_open(args: argparse.Namespace) -> int:
    from casetime.engine import default_indicators, open_cases
    from casetime.indicators import get_indicator
    from casetime.report.cases import render_open_work

    _settle(args)
    _check_output(args.output, args.paths)
    fmt = _output_format(args)
    # measured at --as-at, a date that may be in the past: work stopped after it was open at it, so the
    # extract is not validated as at that date (a census file keeps its own reference date)
    as_at, args.as_at = args.as_at, None
    extract = _load(args.paths, args)
    as_at = as_at or extract.as_at
    if as_at is None:
        raise CasetimeError("open: give --as-at DATE, the date the open work is measured at")
    chosen = _chosen_indicators(args, extract)
    if chosen is None:  # the default: every timeliness measure the extract has records for
        held = {kind for kind, table in extract.tables.items() if len(table)}
        chosen = [get_indicator(i) for i in default_indicators(extract)]
        chosen = [ind for ind in chosen if ind.record_type in held] or chosen
    definitions = chosen
    listed = [ind for ind in definitions if ind.kind == "timeliness"]
    if not listed:
        raise CasetimeError(
            f"open: {', '.join(i.id for i in definitions)} measure no open work with a due date "
            "(open work is listed for timeliness measures: NI59, NI60, NI64, SA45, ICPC15)"
        )
    tables = [
        open_cases(ind, extract, as_at, due_within=args.due_within, convention=args.convention) for ind in listed
    ]  # fmt: skip
    text = render_open_work(
        tables, listed, fmt, as_at=as_at, due_within=args.due_within, title=args.title,
        calendar=extract.calendar.name,
    )  # fmt: skip
    if fmt == "table" and (not args.output or args.output == "-"):
        text = terminal_text(text)
    _write_output(args.output, text)
    return EXIT_OK


def _cmd_web(args: argparse.Namespace) -> int:
    from casetime.web import build_site

    written = build_site(args.out, pyodide=args.pyodide, wheel=args.wheel)
    size = sum(path.stat().st_size for path in written)
    page = Path(args.out) / "index.html"
    print(f"wrote {page} and {len(written) - 1} more file(s), {size / 1e6:.1f} MB: open it in a browser (file:// "
          "or any static server); it works offline", file=sys.stderr)  # fmt: skip
    return EXIT_OK


def _cmd_synth(args: argparse.Namespace) -> int:
    from casetime.synth import generate, write_csv, write_sample

    if args.sample:
        paths = write_sample(args.out)
    elif args.out is None:
        raise CasetimeError("synth: give --out DIRECTORY (or --sample)")
    else:
        given = {
            "n_referrals": args.referrals,
            "financial_year": args.year,
            "seed": args.seed,
            "fault_rate": args.fault_rate,
            "teams": None if args.teams is None else [t.strip() for t in args.teams.split(",")],
        }
        extract = generate(**{k: v for k, v in given.items() if v is not None})
        paths = write_csv(extract, args.out)
    for path in paths:
        print(path)
    return EXIT_OK


def console() -> None:
    """Entry point of the ``casetime`` console script."""
    sys.exit(main())
