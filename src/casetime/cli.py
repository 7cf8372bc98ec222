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
    return england()


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
    print(_calendar(args).working_days_between(args.start, args.end, args.convention))
    return EXIT_OK


def _cmd_due(args: argparse.Namespace) -> int:
    due = _calendar(args).add_working_days(args.start, args.n, args.convention)
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
        "arguments or unreadable input, 130 interrupted",
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
    p.add_argument("start", type=_date_arg)
    p.add_argument("end", type=_date_arg)
    p.add_argument("--convention", choices=CONVENTIONS, default="day0", help=conv_help)
    p.set_defaults(func=_cmd_between)

    p = sub.add_parser("due", help="the last date within N working days of START")
    p.add_argument("start", type=_date_arg)
    p.add_argument("n", type=_int_arg)
    p.add_argument("--convention", choices=CONVENTIONS, default="day0", help=conv_help)
    p.set_defaults(func=_cmd_due)

    _add_report_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
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


def _add_report_commands(sub: Any) -> None:
    from casetime.report import FORMATS

    p = sub.add_parser(
        "report",
        help="timeliness indicators (NI59, NI60, NI64, SA45, ICPC15) from extracts; the bundled sample by default",
        description="Read, validate and report the timeliness indicators. With no PATH, the bundled synthetic "
        "sample (financial year 2008/09) is used.",
    )
    p.add_argument(
        "paths", nargs="*", metavar="PATH",
        help="CSV files, census .xml files, Excel workbooks (with casetime[excel]) or folders of them",
    )  # fmt: skip
    when = p.add_argument_group("period (default: the financial year holding most clock-stop dates, stated)")
    when.add_argument(
        "--period", help="2008/09 (financial year), '2008/09 Q3', 'Jan 2009' or 2009-01, ytd:2008-12, "
        "rolling:2009-03, A..B",
    )  # fmt: skip
    when.add_argument("--from", dest="date_from", type=_date_arg, help="explicit start (with --to)")
    when.add_argument("--to", dest="date_to", type=_date_arg, help="explicit end, inclusive (with --from)")
    when.add_argument("--ytd", metavar="MONTH", help="year to date up to the end of MONTH (e.g. 2008-12)")
    p.add_argument("--by", default="month", help="grouping: month, quarter, year, team or e.g. month,team")
    p.add_argument(
        "--indicators",
        help="comma-separated ids (default NI59,NI60,NI64, and SA45,ICPC15 when there are single assessments)",
    )
    p.add_argument("--target", action="append", default=[], metavar="ID=PCT", help="e.g. --target NI59=70")
    p.add_argument(
        "--limit", action="append", default=[], metavar="ID=N",
        help="a limit, or a named schedule of limits by era: e.g. --limit NI59=10, --limit NI59=wt2010 (7 working "
        "days, 10 from April 2010), wt2013 (45 from 15 April 2013), wt2010+2013, ni2008",
    )  # fmt: skip
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
        "--compare", metavar="COUNCIL",
        help="show DfE's published figures (the council's own, its region's, England's, its quartile and "
        "statistical neighbours) beside each measure that has them: an ONS code (E09000003), DfE number or name",
    )  # fmt: skip
    p.add_argument(
        "-o", "--output",
        help="write to this file (replaced only once it is whole; '-' for standard output) instead of standard output",
    )  # fmt: skip
    p.add_argument("--late-cases", action="store_true", help="list the late cases (child ids: personal data)")
    _reading_options(p)
    p.add_argument("--convention", choices=CONVENTIONS, default="day0", help="day0 (default) or inclusive")
    p.add_argument("--title", default="Safeguarding timeliness", help="the report's title")
    p.add_argument(
        "--column", action="append", default=[], metavar="FIELD=HEADING",
        help="the heading of a standard column, where names, aliases and words miss "
        "(e.g. --column completion_date='Date IA Signed Off', or ia.completion_date=... for one record type; "
        "repeatable)",
    )  # fmt: skip
    p.add_argument(
        "--strict", action="store_true",
        help="fail (exit 1) on any warning about the files (a clock-stop column not found, an ambiguous heading)",
    )  # fmt: skip
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("validate", help="the data-quality report of extracts (exit 1 when there are errors)")
    p.add_argument(
        "paths", nargs="+", metavar="PATH",
        help="CSV files, census .xml files, Excel workbooks (with casetime[excel]) or folders of them",
    )  # fmt: skip
    p.add_argument("-o", "--output", help="write the row-level issues to this CSV file")
    _reading_options(p)
    p.add_argument(
        "--column", action="append", default=[], metavar="FIELD=HEADING",
        help="the heading of a standard column, where names, aliases and words miss ([TYPE.]FIELD=HEADING; "
        "repeatable)",
    )  # fmt: skip
    p.set_defaults(func=_cmd_validate)

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


def _reading_options(p: argparse.ArgumentParser) -> None:
    """The options of how the files are read, shared by ``report`` and ``validate``."""
    p.add_argument(
        "--month-first", action="store_true",
        help="numeric dates in the files are mm/dd/yyyy (default dd/mm/yyyy)",
    )  # fmt: skip
    p.add_argument(
        "--date-format", metavar="FORMAT",
        help="read every date in the files with this strptime format, e.g. '%%Y%%m%%d' or '%%d/%%m/%%y'",
    )  # fmt: skip
    p.add_argument("--as-at", type=_date_arg, help="flag dates after this date (a census file: its reference date)")
    p.add_argument("--record-type", help="the record type of every file, where names and columns do not tell")


def _progress() -> Any:
    """A progress callback printing to stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(rows: int) -> None:
        print(f"\rread {rows:,} rows", end="", file=sys.stderr, flush=True)

    return show


def _load(paths: Sequence[str], args: argparse.Namespace) -> Any:
    from casetime.extract import load

    for path in paths:
        if not Path(path).exists():
            raise CasetimeError(f"{path}: no such file or directory")
    progress = _progress()
    extract = load(
        *paths, record_type=args.record_type, columns=_columns(args.column), dayfirst=not args.month_first,
        date_format=args.date_format, as_at=args.as_at, progress=progress,
    )  # fmt: skip
    if progress is not None:
        print(file=sys.stderr)
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


def _limits(items: Sequence[str]) -> dict[str, Any]:
    """``--limit ID=N`` (a whole number) or ``ID=NAME`` (a named schedule of limits by era)."""
    from casetime.indicators import SCHEDULES

    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        name = value.strip().lower()
        if sep and key.strip() and name in SCHEDULES:
            out[key.strip().upper()] = SCHEDULES[name]
        else:
            out.update({k: int(v) for k, v in _pairs([item], "limit").items()})
    return out


def _pairs(items: Sequence[str], what: str) -> dict[str, float]:
    """``ID=NUMBER`` options; a ``--limit`` must be a whole number of working days (or years); a ``--target``
    is a percentage (``70`` or ``70%``)."""
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
            raise CasetimeError(f"--{what} {item!r}: expected ID=NUMBER ({example})")
        out[key.strip().upper()] = number
    return out


def _period(args: argparse.Namespace, extract: Any) -> tuple[Any, str]:
    """The period to report and, when it was not given, why it was chosen."""
    from casetime.periods import Period, parse_period

    chosen = [x for x in (args.period, args.ytd, args.date_from or args.date_to) if x]
    if len(chosen) > 1:
        raise CasetimeError("give one of --period, --ytd, or --from/--to")
    if args.period:
        return parse_period(args.period), ""
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


def _cmd_report(args: argparse.Namespace) -> int:
    from casetime.engine import compute_all, default_indicators
    from casetime.indicators import get_indicator
    from casetime.report import build_report, render

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
    ids = [i.strip().upper() for i in args.indicators.split(",")] if args.indicators else None
    if args.late_cases and fmt == "csv":
        raise CasetimeError("--late-cases lists child ids in the table, json and html formats, not in csv")
    if args.dfe_columns and fmt != "csv":
        raise CasetimeError("--dfe-columns names the columns of --format csv")
    targets = _pairs(args.target, "target")
    limits = _limits(args.limit)
    chosen: list[Any] | None = None
    if ids is not None or limits:
        chosen = [get_indicator(i) for i in (ids or default_indicators(extract))]
        chosen = [ind.with_limit(limits[ind.id]) if ind.id in limits else ind for ind in chosen]
    unknown = sorted(set(limits) | set(targets))
    known = {ind.id for ind in chosen} if chosen is not None else set(default_indicators(extract))
    stray = [k for k in unknown if k not in known]
    if stray:
        raise CasetimeError(f"--target/--limit name {', '.join(stray)}, which is not being reported")
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
    report = build_report(
        results, extract.quality, title=args.title, source=source, late_cases=args.late_cases,
        convention=args.convention, period_note=period_note, compare=args.compare,
    )  # fmt: skip
    text = render(report, fmt, dfe_columns=args.dfe_columns)
    if fmt == "table" and (not args.output or args.output == "-"):
        text = terminal_text(text)  # a team or heading cannot send escape sequences to the terminal
    _write_output(args.output, text)
    return EXIT_OK


#: The format of ``-o FILE`` by its extension, when ``--format`` is not given.
_FORMAT_OF_SUFFIX = {".html": "html", ".htm": "html", ".json": "json", ".csv": "csv", ".txt": "table"}


def _output_format(args: argparse.Namespace) -> str:
    """``--format``, else the output file's extension, else the table."""
    if args.format is not None:
        return str(args.format)
    if args.output and args.output != "-":
        return _FORMAT_OF_SUFFIX.get(Path(args.output).suffix.lower(), "table")
    return "table"


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
    _check_output(args.output, args.paths)
    extract = _load(args.paths, args)
    quality = extract.quality
    # with -o -, the issues are the standard output and the summary goes to the error stream
    print(terminal_text(quality.summary(max_issues=10)), file=sys.stderr if args.output == "-" else sys.stdout)
    if args.output == "-":
        sys.stdout.write(quality.to_csv() or "")
    elif args.output:
        quality.to_csv(args.output)
        print(f"wrote {len(quality)} issue(s) to {args.output}", file=sys.stderr)
    return EXIT_DATA_ERRORS if quality.has_errors else EXIT_OK


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
