"""Regenerate casetime's bundled England and Wales bank holidays (``src/casetime/data/england_and_wales.txt``).

``casetime.england()`` reads its holidays from that file for its default coverage (1990-2040), so
that the command line starts without importing the ``holidays`` package (about 0.2 s, every
country's rules). The file is made from ``holidays.country_holidays("GB", subdiv="ENG")``; the test
``tests/test_calendar_snapshot.py`` fails when the installed ``holidays`` disagrees with it (a new
proclamation, a renamed day), and the hand-typed GOV.UK list checks both. After checking a change
against GOV.UK (https://www.gov.uk/bank-holidays)::

    python tests/data/make_england_holidays.py

Importing this module does nothing (pytest collects it with ``--doctest-modules``).
"""

from __future__ import annotations

from pathlib import Path

TARGET = Path(__file__).resolve().parents[2] / "src" / "casetime" / "data" / "england_and_wales.txt"
FIRST, LAST = 1990, 2040


def build() -> str:
    """The file's text: comment lines, then ``YYYY-MM-DD<TAB>name`` per holiday, weekend ones included."""
    import holidays

    table = holidays.country_holidays("GB", subdiv="ENG", years=range(FIRST, LAST + 1))
    lines = [
        f"# England and Wales bank holidays, substitute days and one-off proclamations, {FIRST}-01-01 to {LAST}-12-31.",
        f"# Made by tests/data/make_england_holidays.py from holidays {holidays.__version__}: "
        'holidays.country_holidays("GB", subdiv="ENG").',
        "# Checked against GOV.UK's list (https://www.gov.uk/bank-holidays) by tests/test_calendar_golden.py.",
        f"# coverage {FIRST} {LAST}",
    ]
    lines += [f"{day.isoformat()}\t{name}" for day, name in sorted(table.items())]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    TARGET.write_text(build(), encoding="utf-8", newline="\n")
    print(TARGET)
