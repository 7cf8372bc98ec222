"""The project file, ``casetime.toml``: a folder's settings for the command line.

A performance team keeps its targets, limits, closure days, column headings and period beside its
extracts, so that ``casetime report extract/`` needs no options. The command line reads
``casetime.toml`` from the current folder (or the file ``--config`` names); every option given on
the command line overrides the file, key by key for targets, limits and columns.
``casetime config`` prints the settings in force and where each came from.

Every key is checked: an unknown key or a value of the wrong type is refused, naming the file and
the key, never ignored. The keys, with the option each stands for:

================  ====================  ===============================================
key               option                value
================  ====================  ===============================================
``title``         ``--title``           text
``period``        ``--period``          text: ``"2008/09"``, ``"ytd:2008-12"`` ...
``by``            ``--by``              text or list: ``"month,team"``, ``["quarter", "team"]``
``indicators``    ``--indicators``      text or list of ids
``convention``    ``--convention``      ``"day0"`` or ``"inclusive"``
``closures``      ``--closures``        a file (relative to ``casetime.toml``) or a list of dates
``month_first``   ``--month-first``     true or false
``date_format``   ``--date-format``     text (a strptime format)
``as_at``         ``--as-at``           a date
``record_type``   ``--record-type``     text
``compare``       ``--compare``         a council's code, number or name
``strict``        ``--strict``          true or false
``[targets]``     ``--target ID=PCT``   id = a percentage (``70`` or ``"70%"``)
``[limits]``      ``--limit ID=N``      id = whole days, or a schedule name (``"wt2010"``)
``[columns]``     ``--column F=H``      field = heading, or a table per record type
================  ====================  ===============================================

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "casetime.toml").write_text('title = "Anytown"\\n[targets]\\nNI59 = "75%"\\n')
>>> found = read_config(folder / "casetime.toml")
>>> found.values["title"], found.values["targets"]
('Anytown', {'NI59': '75%'})
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from casetime.errors import CasetimeError

__all__ = ["CONFIG_NAME", "KEYS", "TABLES", "ProjectFile", "find_config", "read_config"]

#: The project file's name, looked for in the current folder.
CONFIG_NAME: Final = "casetime.toml"

#: The plain keys, with the kind of value each takes.
KEYS: Final[dict[str, str]] = {
    "title": "text",
    "period": "text",
    "by": "text or list",
    "indicators": "text or list",
    "convention": "text",
    "closures": "file or list of dates",
    "month_first": "boolean",
    "date_format": "text",
    "as_at": "date",
    "record_type": "text",
    "compare": "text",
    "strict": "boolean",
}
#: The tables (``[targets]`` ...), each mapping an id or field to a value.
TABLES: Final = ("targets", "limits", "columns")


@dataclass(frozen=True)
class ProjectFile:
    """A read and checked project file: its path and its values (lists joined to text, paths resolved).

    ``closures`` is a :class:`~pathlib.Path` (relative to the file's folder, made absolute) or a list
    of ISO dates; ``as_at`` an ISO date; ``columns`` a mapping of field to heading, or of record type
    to such a mapping.
    """

    path: Path
    values: Mapping[str, Any]


def find_config(folder: str | os.PathLike[str] | None = None) -> Path | None:
    """``casetime.toml`` in ``folder`` (the current folder by default), if there is one."""
    candidate = Path(folder if folder is not None else ".") / CONFIG_NAME
    return candidate.resolve() if candidate.is_file() else None


def _toml() -> Any:
    import importlib

    for name in ("tomllib", "tomli"):  # (tomllib from Python 3.11; tomli is the same parser for 3.10)
        try:
            return importlib.import_module(name)
        except ImportError:  # pragma: no cover - Python 3.10
            continue
    raise CasetimeError(  # pragma: no cover - Python 3.10 without tomli
        f"reading {CONFIG_NAME} needs Python 3.11 or later, or the tomli package (pip install tomli)"
    )


def read_config(path: str | os.PathLike[str]) -> ProjectFile:
    """Read and check a project file (see the module's table of keys).

    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "casetime.toml"
    >>> _ = bad.write_text("targte = 3\\n")
    >>> read_config(bad)
    Traceback (most recent call last):
    ...
    casetime.errors.CasetimeError: .../casetime.toml: unknown key 'targte' (known: title, period, ...)
    """
    where = Path(path)
    tomllib = _toml()
    try:
        with open(where, "rb") as handle:
            raw = tomllib.load(handle)
    except OSError as exc:
        raise CasetimeError(f"{where}: cannot read the project file ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise CasetimeError(f"{where}: not a valid TOML file ({exc})") from None
    except UnicodeDecodeError:
        raise CasetimeError(f"{where}: the project file is not UTF-8 text") from None
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key in TABLES:
            values[key] = _table(where, key, value)
        elif key in KEYS:
            values[key] = _value(where, key, value)
        else:
            known = ", ".join([*KEYS, *TABLES])
            raise CasetimeError(f"{where}: unknown key {key!r} (known: {known})")
    return ProjectFile(where, values)


def _refuse(where: Path, key: str, value: Any, wanted: str) -> CasetimeError:
    return CasetimeError(f"{where}: {key} = {value!r}: expected {wanted}")


def _value(where: Path, key: str, value: Any) -> Any:
    kind = KEYS[key]
    if kind == "boolean":
        if not isinstance(value, bool):
            raise _refuse(where, key, value, "true or false")
        return value
    if kind == "date":
        if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
            return value.isoformat()
        if isinstance(value, str) and value.strip():
            return value.strip()
        raise _refuse(where, key, value, "a date, e.g. 2024-03-31")
    if kind == "text or list":
        if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
            return ",".join(v.strip() for v in value)
        if isinstance(value, str) and value.strip():
            return value.strip()
        raise _refuse(where, key, value, "text or a list of texts")
    if kind == "file or list of dates":
        if isinstance(value, str) and value.strip():
            return (where.parent / value.strip()).resolve()
        if isinstance(value, list) and value:
            days = []
            for item in value:
                if isinstance(item, _dt.date) and not isinstance(item, _dt.datetime):
                    days.append(item.isoformat())
                elif isinstance(item, str) and item.strip():
                    days.append(item.strip())
                else:
                    raise _refuse(where, key, item, "a date in the list, e.g. 2009-12-24")
            return days
        raise _refuse(where, key, value, "a file name, or a list of dates")
    if not isinstance(value, str) or not value.strip():
        raise _refuse(where, key, value, "text")
    return value.strip()


def _table(where: Path, key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _refuse(where, key, value, f"a table: [{key}]")
    out: dict[str, Any] = {}
    for name, item in value.items():
        label = f"{key}.{name}"
        if key == "targets":
            if isinstance(item, bool) or not isinstance(item, int | float | str):
                raise _refuse(where, label, item, "a percentage, e.g. 70 or '70%'")
            out[name] = item
        elif key == "limits":
            if isinstance(item, bool) or not isinstance(item, int | str):
                raise _refuse(where, label, item, "whole days, e.g. 10, or a schedule name, e.g. 'wt2010'")
            out[name] = item
        elif isinstance(item, dict):  # [columns.initial_assessment]
            inner = {}
            for field, heading in item.items():
                if not isinstance(heading, str) or not heading.strip():
                    raise _refuse(where, f"{label}.{field}", heading, "a heading (text)")
                inner[field] = heading.strip()
            out[name] = inner
        elif isinstance(item, str) and item.strip():
            out[name] = item.strip()
        else:
            raise _refuse(where, label, item, "a heading (text), or a table per record type")
    return out
