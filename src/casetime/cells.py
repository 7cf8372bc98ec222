"""Cells and tables as text: the one place a value becomes a spreadsheet cell, a terminal column or HTML.

Everything casetime writes goes through these few functions: the report writers
(:mod:`casetime.report`), the notebook views of results and cases, and the issue and case CSV
files. They know nothing of indicators or records, only of cells, rows and columns.

- :func:`key_text`: a group's value (``(missing)`` when blank);
- :func:`safe_cell`: a cell a spreadsheet will not run as a formula;
- :func:`csv_text` and :func:`write_csv`: rows as CSV, every cell through :func:`safe_cell`;
- :func:`fixed_width`: rows as aligned text columns for a terminal;
- :func:`html_row` and :func:`html_table`: rows as escaped HTML (an :class:`Html` value is put in as it is);
- :class:`Text`: text that a notebook shows as text, not as a quoted string.

>>> print(csv_text(["team", "value"], [["=cmd()", 1], ["North", None]]), end="")
team,value
'=cmd(),1
North,
>>> print("\\n".join(fixed_width(["team", "n"], [["North", "12"], ["S", "3"]], right={"n"})))
team    n
North  12
S       3
>>> html_row(["<b>", 5])
'<tr><td>&lt;b&gt;</td><td>5</td></tr>'
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import os
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Final, TextIO

__all__ = [
    "key_text",
    "safe_cell",
    "terminal_text",
    "csv_text",
    "write_csv",
    "replace_file",
    "fixed_width",
    "html_row",
    "html_table",
    "Html",
    "Text",
]


class Html(str):
    """Text that is already HTML (a badge, a chart): :func:`html_row` puts it in its cell as it is, where any
    other value is escaped."""

    __slots__ = ()


class Text(str):
    """Text that shows as itself, not as a quoted string, where Python shows values (a notebook's output,
    the interactive prompt): ``quality.summary()``.

    >>> Text("two\\nlines")
    two
    lines
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def key_text(value: object) -> str:
    """A group's value as text: a missing one (a blank team) is ``(missing)`` in every view and report.

    >>> key_text("North"), key_text(None)
    ('North', '(missing)')
    """
    return "(missing)" if value is None else str(value)


_CONTROLS: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_text(text: str) -> str:
    r"""Text for a terminal: control characters (an escape sequence's ESC, BEL, a carriage return) shown as
    ``\x1b`` and the like, so that a value in the data cannot move the cursor, retitle the window or hide
    lines; new lines and tabs are kept.

    >>> terminal_text("North\x1b]0;owned\x07 team\n")
    'North\\x1b]0;owned\\x07 team\n'
    """
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def safe_cell(value: object) -> str:
    """Text for a spreadsheet cell: a leading ``=``, ``+``, ``-`` or ``@`` (or tab, carriage return) is neutralised.

    ``None`` is the empty cell.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("-7"), safe_cell("ok"), safe_cell(None)
    ("'=HYPERLINK(1)", "'-7", 'ok', '')
    """
    text = "" if value is None else str(value)
    if text[:1] in _FORMULA_STARTS:
        return "'" + text
    return text


def _write(handle: TextIO, header: Sequence[object], rows: Iterable[Sequence[object]]) -> None:
    writer = csv.writer(handle)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """A header row and rows as CSV text (``\\r\\n`` line ends, as the csv module writes), every cell made safe."""
    buffer = io.StringIO()
    _write(buffer, header, rows)
    return buffer.getvalue()


def write_csv(path: str | os.PathLike[str], header: Sequence[object], rows: Iterable[Sequence[object]]) -> None:
    """:func:`csv_text` written to ``path`` (UTF-8), row by row, atomically (:func:`replace_file`)."""
    with replace_file(path, newline="") as handle:
        _write(handle, header, rows)


@contextlib.contextmanager
def replace_file(path: str | os.PathLike[str], *, newline: str | None = None) -> Iterator[TextIO]:
    """A text file (UTF-8) that replaces ``path`` only once it is whole.

    It is written to a temporary file in the same folder, flushed to disk and renamed over ``path``;
    an error, Ctrl-C or a full disk on the way leaves the previous file as it was and no partial one
    under its name (the temporary file is removed). A ``kill -9`` can leave only the temporary file,
    named ``.<name>.<random>.tmp``.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with replace_file(folder / "out.txt") as f:
    ...     _ = f.write("whole")
    >>> (folder / "out.txt").read_text(), sorted(p.name for p in folder.iterdir())
    ('whole', ['out.txt'])
    """
    import shutil
    import tempfile

    target = os.fspath(path)
    folder, name = os.path.split(os.path.abspath(target))
    fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if os.path.exists(target):
            shutil.copymode(target, temporary)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise


def fixed_width(columns: Sequence[str], rows: Sequence[Sequence[str]], *, right: Collection[str] = ()) -> list[str]:
    """The header and rows as lines of aligned columns (two spaces apart; ``right`` names right-aligned ones).

    Trailing spaces are cut from every line.
    """
    widths = [max([len(c), *(len(row[i]) for row in rows)]) for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        cells = [
            v.rjust(w) if columns[i] in right else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    return [line(columns), *(line(row) for row in rows)]


def html_row(cells: Iterable[object], *, header: bool = False) -> str:
    """One table row, every cell escaped (``<th>`` cells when ``header``)."""
    tag = "th" if header else "td"
    return (
        "<tr>" + "".join(f"<{tag}>{c if isinstance(c, Html) else html.escape(str(c))}</{tag}>" for c in cells) + "</tr>"
    )


def html_table(
    columns: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    caption: Sequence[str] = (),
    attributes: str = "",
    caption_attributes: str = "",
) -> str:
    """A whole ``<table>``: an escaped caption (its lines joined by ``<br>``), a header row and the rows.

    >>> html_table(["a"], [[1]], caption=["x & y"])
    '<table><caption>x &amp; y</caption><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>'
    """
    head = f"<caption{caption_attributes}>{'<br>'.join(html.escape(c) for c in caption)}</caption>" if caption else ""
    body = "".join(html_row(r) for r in rows)
    return f"<table{attributes}>{head}<thead>{html_row(columns, header=True)}</thead><tbody>{body}</tbody></table>"
