"""Regenerate ``snapshot_ew_weekday_holidays_1990_2040.json`` from casetime.england().

The snapshot pins the weekday bank holidays (date -> name) that the England and Wales
calendar yields for its default coverage 1990-2040, so that a change in the ``holidays``
package (a new proclamation, a renamed or moved day) makes ``tests/test_calendar_snapshot.py``
fail until someone has checked the change against GOV.UK and regenerated the file::

    python tests/data/make_snapshot.py

Importing this module does nothing (pytest collects it with ``--doctest-modules``).
"""

from __future__ import annotations

import json
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("snapshot_ew_weekday_holidays_1990_2040.json")
START = "1990-01-01"
END = "2040-12-31"


def build() -> dict[str, object]:
    """The snapshot as a JSON-ready dict."""
    import holidays

    import casetime

    listed = casetime.england().bank_holidays(START, END)
    return {
        "_comment": (
            "Weekday bank holidays of casetime.england() for 1990-2040, date -> name. "
            "Regenerate with: python tests/data/make_snapshot.py (after checking the change against GOV.UK)."
        ),
        "holidays_package_version": holidays.__version__,
        "start": START,
        "end": END,
        "holidays": {h.date.isoformat(): h.name for h in listed},
    }


def main() -> None:
    SNAPSHOT.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT}")


if __name__ == "__main__":
    main()
