"""Charts as inline SVG, drawn from plain numbers: the report's charts and ``ResultTable.plot()``.

Every chart scales to the width of the page (a ``viewBox``, no fixed size), starts its bars at
zero and scales its axis to the data and its reference lines (the target is always inside the
plot), never draws a line across categories (a line joins points in time only), thins its axis
labels so that none collide, and writes its reference labels in a margin of their own, spaced so
that they never overlap each other, the bars or the lines.

>>> svg = bar_chart([Bar("Apr 2008", 62.5, "red"), Bar("May 2008", 75.0, "green")], marks=[Mark("target", 70.0)])
>>> svg.startswith("<svg") and 'class="target"' in svg and svg.count('class="bar"') == 2
True
>>> axis_top([29.4, 8.0])
(30.0, [0.0, 10.0, 20.0, 30.0])
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from casetime.cells import Html
from casetime.periods import TIME_UNITS
from casetime.rag import RAG_COLOURS

__all__ = [
    "Bar", "Mark", "axis_top", "bar_chart", "small_multiples", "stacked_chart", "indicator_chart", "short_time",
    "time_position", "text_width", "rag_badge", "target_mark", "BAND_COLOURS",
]  # fmt: skip

#: Band colours, shortest first (a sequential blue-to-red ramp: short is light blue, long is dark red).
BAND_COLOURS: Final = (
    "#c6dbef",
    "#9ecae1",
    "#6baed6",
    "#4292c6",
    "#2171b5",
    "#08519c",
    "#fdae6b",
    "#e6550d",
    "#a63603",
)
#: The colour of each kind of reference line.
_MARK_COLOURS: Final = {"target": "#111111", "England": "#5b2a86", "region": "#00707a", "previous": "#8c6d1f"}
_DASHES: Final = {"target": "6 4", "England": "2 3", "region": "2 3", "previous": "8 3 2 3"}
_FONT: Final = 11
_GAP: Final = _FONT + 3  # the least distance between two margin labels


@dataclass(frozen=True)
class Bar:
    """One bar: its axis label, its value in percent (``None``: no bar), its RAG status and a tooltip."""

    label: str
    value: float | None
    rag: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Mark:
    """A horizontal reference line: ``kind`` is ``"target"``, ``"England"``, ``"region"`` or ``"previous"``.

    ``name`` is the short text drawn in the margin beside its value; ``note`` the tooltip.
    """

    name: str
    value: float
    kind: str = "target"
    note: str = ""


def target_mark(target: float) -> Mark:
    """The target as a reference line (the report's and ``ResultTable.plot()``'s alike)."""
    return Mark("target", float(target), "target", f"target {target:g}%")


def text_width(text: str, size: float = _FONT) -> float:
    """A generous estimate of the drawn width of ``text`` at ``size`` px in a sans-serif font."""
    return len(text) * size * 0.62 + 2


def axis_top(values: Sequence[float | None]) -> tuple[float, list[float]]:
    """The top of a percentage axis holding every value (a round number, at most 100 when they all fit)
    and its ticks from 0, four or five of them."""
    known = [v for v in values if v is not None and math.isfinite(v)]
    high = max([*known, 0.0])
    if high <= 0:
        return 10.0, [0.0, 5.0, 10.0]
    for step in (1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 500):
        top = math.ceil(high * 1.02 / step) * step
        if top / step <= 5:
            break
    if high <= 100 < top:
        top = 100.0
        step = 25.0
    ticks = [round(i * step, 6) for i in range(round(top / step) + 1)]
    return float(top), [float(t) for t in ticks]


def _thinned(labels: Sequence[str], step: float, size: float = _FONT - 1) -> list[bool]:
    """Which axis labels to draw so that none collide: every k-th, k as small as fits."""
    widest = max((text_width(label, size) for label in labels), default=0.0)
    every = max(1, math.ceil((widest + 4) / step)) if step > 0 else 1
    return [i % every == 0 for i in range(len(labels))]


def _spread(wanted: list[float], low: float, high: float) -> list[float]:
    """Label positions near ``wanted`` (sorted), at least :data:`_GAP` apart, within ``[low, high]``."""
    placed: list[float] = []
    for y in wanted:
        placed.append(max(y, placed[-1] + _GAP) if placed else max(y, low))
    overflow = (placed[-1] - high) if placed else 0.0
    if overflow > 0:  # push the whole column up, keeping the gaps
        placed = [y - overflow for y in placed]
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - _GAP)
    return placed


class _Frame:
    """The geometry of one plot: the drawing's size, the plot's box and the value axis."""

    def __init__(self, width: float, height: float, left: float, right: float, top: float, bottom: float,
                 values: Sequence[float | None]) -> None:  # fmt: skip
        self.width, self.height = width, height
        self.x0, self.x1 = left, width - right
        self.y0, self.y1 = top, height - bottom
        self.top, self.ticks = axis_top(values)

    def y(self, value: float) -> float:
        return self.y1 - (self.y1 - self.y0) * min(max(value, 0.0), self.top) / self.top

    def open(self, label: str, css: str) -> list[str]:
        esc = html.escape
        parts = [
            f'<svg class="{css}" role="img" aria-label="{esc(label)}" viewBox="0 0 {self.width:g} {self.height:g}" '
            f'width="100%" preserveAspectRatio="xMinYMin meet" font-family="system-ui,Arial,sans-serif">',
            f'<rect class="plot" x="{self.x0:.1f}" y="{self.y0:.1f}" width="{self.x1 - self.x0:.1f}" '
            f'height="{self.y1 - self.y0:.1f}" fill="none"/>',
        ]
        for tick in self.ticks:
            ty = self.y(tick)
            parts.append(
                f'<line x1="{self.x0:.1f}" x2="{self.x1:.1f}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#e6e6e6"/>'
                f'<text class="tick" x="{self.x0 - 6:.1f}" y="{ty + 4:.1f}" font-size="{_FONT}" text-anchor="end" '
                f'fill="#555">{tick:g}%</text>'
            )
        return parts


def _bars(frame: _Frame, bars: Sequence[Bar]) -> tuple[list[str], list[float]]:
    """The bars and their axis labels; returns the parts and each bar's centre."""
    esc = html.escape
    n = max(len(bars), 1)
    step = (frame.x1 - frame.x0) / n
    shown = _thinned([b.label for b in bars], step)
    parts, centres = [], []
    for i, bar in enumerate(bars):
        x = frame.x0 + i * step + step * 0.15
        w = step * 0.7
        centres.append(x + w / 2)
        if bar.value is not None:
            colour = RAG_COLOURS.get(bar.rag, RAG_COLOURS[None])
            top = min(frame.y(bar.value), frame.y1 - 0.5)  # (a 0% bar is a hairline, inside the plot)
            parts.append(
                f'<rect class="bar" data-label="{esc(bar.label)}" data-value="{bar.value:.4f}" x="{x:.1f}" '
                f'y="{top:.1f}" width="{w:.1f}" height="{frame.y1 - top:.1f}" fill="{colour}">'
                f"<title>{esc(bar.label)}: {esc(bar.note or f'{bar.value:.1f}%')}</title></rect>"
            )
        if shown[i]:
            parts.append(_axis_label(frame, x + w / 2, bar.label))
    return parts, centres


def _axis_label(frame: _Frame, centre: float, text: str) -> str:
    """An axis label under the plot, centred on its bar but never reaching past the plot's sides (where the
    tick labels are)."""
    half = text_width(text, _FONT - 1) / 2
    x = min(max(centre, frame.x0 + half), frame.x1 - half) if frame.x1 - frame.x0 > 2 * half else centre
    return (
        f'<text class="label" x="{x:.1f}" y="{frame.y1 + 14:.1f}" font-size="{_FONT - 1}" text-anchor="middle" '
        f'fill="#333">{html.escape(text)}</text>'
    )


def _marks(frame: _Frame, marks: Sequence[Mark], extra: Sequence[tuple[str, float, str]] = ()) -> list[str]:
    """The reference lines across the plot, and every margin label (theirs and ``extra``: (text, y, colour))."""
    esc = html.escape
    parts = []
    labels: list[tuple[float, str, str, str]] = []
    for mark in marks:
        ty = frame.y(mark.value)
        colour = _MARK_COLOURS.get(mark.kind, "#333")
        css = "target" if mark.kind == "target" else ("previous" if mark.kind == "previous" else "published")
        parts.append(
            f'<line class="{css}" data-name="{esc(mark.name)}" x1="{frame.x0:.1f}" x2="{frame.x1:.1f}" '
            f'y1="{ty:.1f}" y2="{ty:.1f}" stroke="{colour}" stroke-width="{2 if css == "target" else 1.5}" '
            f'stroke-dasharray="{_DASHES.get(mark.kind, "4 3")}"><title>{esc(mark.note or mark.name)}</title></line>'
        )
        labels.append((ty, f"{mark.name} {mark.value:.1f}%".replace(".0%", "%"), colour, css))
    labels += [(y, text, colour, "line-label") for text, y, colour in extra]
    labels.sort(key=lambda item: item[0])
    placed = _spread([y + 4 for y, *_ in labels], frame.y0 + 4, frame.height - 4)
    for (_, text, colour, css), y in zip(labels, placed, strict=True):
        parts.append(
            f'<text class="mark-label {css}" x="{frame.x1 + 6:.1f}" y="{y:.1f}" font-size="{_FONT}" '
            f'fill="{colour}">{esc(text)}</text>'
        )
    return parts


def bar_chart(
    bars: Sequence[Bar],
    *,
    marks: Sequence[Mark] = (),
    line: Sequence[float | None] | None = None,
    line_name: str = "YTD",
    label: str = "",
    width: float = 900,
    height: float = 240,
) -> str:
    """Bars coloured by RAG over a 0-based axis scaled to the data and the marks; ``line`` (one value per
    bar, e.g. the year to date) is drawn over them, joining points in time (give it only when the bars are
    times)."""
    right = max([text_width(f"{m.name} {m.value:.1f}%") for m in marks] + [text_width(f"{line_name} 100.0%")]) + 10
    values = [b.value for b in bars] + [m.value for m in marks] + list(line or [])
    frame = _Frame(width, height, 46, min(right, width * 0.3), 12, 34, values)
    parts = frame.open(label, "chart")
    drawn, centres = _bars(frame, bars)
    parts += drawn
    extra: list[tuple[str, float, str]] = []
    if line is not None:
        points = [(x, frame.y(v)) for x, v in zip(centres, line, strict=True) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline class="ytd" points="{path}" fill="none" stroke="#222" stroke-width="2"/>')
        parts += [f'<circle class="ytd-point" cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#222"/>' for x, y in points]
        last = next((v for v in reversed(line) if v is not None), None)
        if last is not None:
            extra.append((f"{line_name} {last:.1f}%", frame.y(last), "#222"))
    parts += _marks(frame, marks, extra)
    parts.append("</svg>")
    return "".join(parts)


def small_multiples(
    panels: Sequence[tuple[str, Sequence[Bar]]],
    *,
    marks: Sequence[Mark] = (),
    label: str = "",
    width: float = 320,
    height: float = 170,
) -> str:
    """One small bar chart per group (its bars in time order), all on the same axis, side by side."""
    esc = html.escape
    values = [b.value for _, bars in panels for b in bars] + [m.value for m in marks]
    top, _ = axis_top(values)
    right = max([text_width(f"{m.name} {m.value:.1f}%") for m in marks] + [20]) + 8
    out = [f'<div class="multiples" role="group" aria-label="{esc(label)}">']
    for name, bars in panels:
        frame = _Frame(width, height, 40, min(right, width * 0.4), 8, 30, [top, *values])
        parts = frame.open(f"{label}: {name}", "chart panel")
        drawn, _ = _bars(frame, bars)
        parts += drawn
        parts += _marks(frame, marks)
        parts.append("</svg>")
        out.append(f'<figure class="panel"><figcaption>{esc(name)}</figcaption>{"".join(parts)}</figure>')
    out.append("</div>")
    return "".join(out)


def _band_colour(i: int, n: int) -> str:
    """Band ``i`` of ``n``: spread over the whole ramp, so the longest band is always the darkest red."""
    last = len(BAND_COLOURS) - 1
    return BAND_COLOURS[0 if n <= 1 else round(i * last / (n - 1))]


def stacked_chart(
    stacks: Sequence[tuple[str, Sequence[int]]], bands: Sequence[str], *, label: str = "", width: float = 900
) -> str:
    """One bar per row, stacked by each band's share of the row's records, with a legend above that wraps."""
    esc = html.escape
    legend: list[str] = []
    x, row = 46.0, 0
    for i, name in enumerate(bands):
        item = 22 + text_width(name)
        if x + item > width - 10 and x > 46:
            x, row = 46.0, row + 1
        legend.append(
            f'<rect x="{x:.1f}" y="{6 + row * 16}" width="10" height="10" fill="{_band_colour(i, len(bands))}"/>'
            f'<text class="legend" x="{x + 14:.1f}" y="{15 + row * 16}" font-size="{_FONT}" fill="#333">'
            f"{esc(name)}</text>"
        )
        x += item
    top_margin = 28 + row * 16
    frame = _Frame(width, 220 + top_margin, 46, 10, top_margin, 34, [100.0])
    frame.top, frame.ticks = 100.0, [0.0, 50.0, 100.0]
    parts = frame.open(label, "chart bands")
    parts += legend
    n = max(len(stacks), 1)
    step = (frame.x1 - frame.x0) / n
    shown = _thinned([name for name, _ in stacks], step)
    plot_h = frame.y1 - frame.y0
    for i, (name, counts) in enumerate(stacks):
        bx = frame.x0 + i * step + step * 0.15
        w = step * 0.7
        total = sum(counts)
        base = frame.y1
        for b, count in enumerate(counts):
            if not total or not count:
                continue
            h = plot_h * count / total
            base -= h
            band = bands[b] if b < len(bands) else str(b)
            parts.append(
                f'<rect class="band" data-band="{esc(band)}" data-count="{count}" x="{bx:.1f}" y="{base:.1f}" '
                f'width="{w:.1f}" height="{h:.1f}" fill="{_band_colour(b, len(bands))}">'
                f"<title>{esc(name)}: {esc(band)} {count} of {total}</title></rect>"
            )
        if shown[i]:
            parts.append(_axis_label(frame, bx + w / 2, name))
    parts.append("</svg>")
    return "".join(parts)


_MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def time_position(by: Sequence[str]) -> int | None:
    """Which key of a grouping is its time unit (month, quarter or year), if any.

    >>> time_position(["team", "quarter"]), time_position(["team"])
    (1, None)
    """
    return next((i for i, name in enumerate(by) if name in TIME_UNITS), None)


def short_time(label: str) -> str:
    """A time label short enough for a small chart: ``2008/09 Q3`` -> ``Q3``, ``2009-01`` -> ``Jan 09``.

    >>> short_time("2008/09 Q3"), short_time("2009-01"), short_time("North")
    ('Q3', 'Jan 09', 'North')
    """
    if len(label) == 10 and label[7:9] == " Q":
        return label[8:]
    if (
        len(label) == 7
        and label[4] == "-"
        and label[:4].isdigit()
        and label[5:].isdigit()
        and 1 <= int(label[5:]) <= 12
    ):
        return f"{_MONTHS[int(label[5:]) - 1]} {label[2:4]}"
    return label


def indicator_chart(
    bars: Sequence[Bar],
    keys: Sequence[Sequence[str] | None],
    by: Sequence[str],
    *,
    marks: Sequence[Mark] = (),
    year_to_date: Sequence[float | None] | None = None,
    label: str = "",
) -> str:
    """One indicator's chart, laid out by its grouping ``by`` (one key text per name for each bar, in ``keys``).

    By a time unit alone, the bars run in time with ``year_to_date`` as a line; by a time unit and
    groups, one small chart per group on a shared axis; by groups alone (or the period as one bar),
    a bar each and no line: a line never joins categories.
    """
    where = time_position(by)
    if where is not None and len(by) > 1 and bars and all(k is not None and len(k) == len(by) for k in keys):
        panels: dict[str, list[Bar]] = {}
        for bar, key in zip(bars, keys, strict=True):
            parts = list(key or [])
            time = parts.pop(where)
            panels.setdefault(" / ".join(parts), []).append(Bar(short_time(time), bar.value, bar.rag, bar.note))
        return small_multiples(list(panels.items()), marks=marks, label=label)
    line = None
    if where is not None and len(by) == 1 and year_to_date is not None and len(year_to_date) == len(bars) > 1:
        line = list(year_to_date)
    return bar_chart(bars, marks=marks, line=line, label=label)


def rag_badge(status: str | None) -> Html:
    """A status in colour and in words, for an HTML table cell (``-`` for no status).

    >>> rag_badge("red").startswith('<span class="rag rag-red" style="background:#b3261e;'), rag_badge(None)
    (True, '-')
    """
    if status is None:
        return Html("-")
    colour = RAG_COLOURS.get(status, RAG_COLOURS[None])
    return Html(
        f'<span class="rag rag-{html.escape(status)}" style="background:{colour};color:#fff;padding:0 6px;'
        f'border-radius:8px;font-weight:600">{html.escape(status.upper())}</span>'
    )
