"""Property tests: the vectorised date-text reader against a plain scalar reference.

The reference reads one text at a time with one regular expression and ``datetime.date``, as the
forms are described in docs/records.md: three parts with the same separator (``-``, ``/``, ``.`` or
a space) twice, year first (``2009/01/05``), or day first (month first when asked) with a four-digit
year, or a day, a month name and a year; then nothing, or a space or ``T`` and a time of day. A
two-digit year is refused as such. It shares no code with ``casetime.dates``.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from casetime.dates import EPOCH, MISSING, day_number, parse_date_strings, read_date_strings
from casetime.errors import DateParseError

_MONTH_NAMES = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_BLANKS = {"", "nan", "NaN", "NaT", "None", "<NA>", "null", "NULL"}
_SHAPE = re.compile(r"([0-9]+)([-/. ])([A-Za-z]+|[0-9]+)\2([0-9]+)(.*)", re.DOTALL)
_CLOCK = re.compile(
    r"[ T]([0-9]{1,2}):([0-9]{2})(:([0-9]{2})([.,][0-9]{1,9})?)?( ?([AaPp][Mm]))?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?"
)


def _time_ok(tail: str) -> bool:
    if tail == "":
        return True
    m = _CLOCK.fullmatch(tail)
    if not m:
        return False
    hour, minute, second = int(m.group(1)), int(m.group(2)), m.group(4)
    return hour <= (12 if m.group(7) else 23) and minute < 60 and (second is None or int(second) < 60)


def reference(text: str, dayfirst: bool = True) -> tuple[str, dt.date | None]:
    """("blank" | "ok" | "short" | "bad", the date when ok)."""
    text = text.strip()
    if text in _BLANKS:
        return "blank", None
    m = _SHAPE.fullmatch(text)
    if not m or not _time_ok(m.group(5)):
        return "bad", None
    a, b, c = m.group(1), m.group(3), m.group(4)
    b_digits = b.isdigit() and len(b) <= 2
    b_name = _MONTH_NAMES.get(b.lower())
    if len(a) == 4 and b_digits and len(c) <= 2:
        y, mo, d = int(a), int(b), int(c)
    elif len(a) <= 2 and (b_digits or b_name) and len(c) in (2, 4):
        if len(c) == 2:
            return "short", None
        y = int(c)
        if b_name:
            d, mo = int(a), b_name
        elif dayfirst:
            d, mo = int(a), int(b)
        else:
            mo, d = int(a), int(b)
    else:
        return "bad", None
    if y < 1000:
        return "bad", None
    try:
        return "ok", dt.date(y, mo, d)
    except ValueError:
        return "bad", None


_FULL = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
         "November", "December"]  # fmt: skip


@st.composite
def date_texts(draw: st.DrawFn) -> str:
    """A date written the ways councils write them, sometimes wrongly."""
    day = draw(
        st.dates(dt.date(1000, 1, 1), dt.date(2999, 12, 31)) | st.dates(dt.date(2008, 1, 1), dt.date(2012, 12, 31))
    )
    y, m, d = day.year, day.month, day.day
    if draw(st.booleans()):  # an impossible day now and then
        d = draw(st.sampled_from([d, 29, 30, 31, 0, 32]))
    pad = draw(st.booleans())
    dd, mm = (f"{d:02d}", f"{m:02d}") if pad else (str(d), str(m))
    sep = draw(st.sampled_from("-/. "))
    sep2 = draw(st.sampled_from([sep, sep, sep, "-", "/", ":"]))
    year = draw(st.sampled_from([str(y), str(y), str(y)[2:], str(y)[1:], f"0{y}"]))
    name = draw(st.sampled_from([_FULL[m - 1], _FULL[m - 1][:3], _FULL[m - 1][:4], "Sept", "Jnu"]))
    name = draw(st.sampled_from([name, name.lower(), name.upper()]))
    form = draw(st.integers(0, 3))
    body = [f"{year}{sep}{mm}{sep2}{dd}", f"{dd}{sep}{mm}{sep2}{year}", f"{mm}{sep}{dd}{sep2}{year}",
            f"{dd}{sep}{name}{sep2}{year}"][form]  # fmt: skip
    tail = draw(
        st.sampled_from(["", "", "", " 00:00", " 0:00", "T10:30:00", " 12:00 AM", " 11:59:59 pm", " 13:00 PM",
                         " 23:59:59.000", "T10:00:00Z", " 10:00:00+01:00", " 24:00", " 10", " ::", "x", " 9:5"])
    )  # fmt: skip
    space = draw(st.sampled_from(["", "", " ", "\t"]))
    return space + body + tail + space


_garbage = st.text(alphabet="0123456789-/. :TAPMajnSept\u0663", max_size=22)
_any_text = date_texts() | _garbage | st.sampled_from(sorted(_BLANKS))


def _vectorised(texts: list[str], dayfirst: bool) -> list[tuple[str, dt.date | None]]:
    read = read_date_strings(np.array(texts, dtype=object).astype(str), dayfirst=dayfirst)
    out: list[tuple[str, dt.date | None]] = []
    for day, bad, short in zip(read.days.tolist(), read.bad.tolist(), read.short_year.tolist(), strict=True):
        if day != MISSING:
            assert not bad
            out.append(("ok", EPOCH + dt.timedelta(days=day)))
        else:
            out.append(("short" if short else "bad", None) if bad else ("blank", None))
            assert bad or not short
    return out


@settings(max_examples=400, deadline=None)
@given(st.lists(_any_text, min_size=1, max_size=40), st.booleans())
@example(["05/01/2009", "5 Jan 2009", "05-Jan-2009", "2009/01/05", "05/01/2009 12:00 AM", "05.01.2009"], True)
@example(["05/01/09", "31/02/2009", "2009-02-29", "29/02/2008 00:00", "1/13/2009"], False)
@example(["05/01/2009 13:00 PM", "2009-01-05 ::", "\u0663/01/2009", "5-Jan/2009", "0999-01-01"], True)
def test_vectorised_reader_equals_the_scalar_reference(texts: list[str], dayfirst: bool) -> None:
    assert _vectorised(texts, dayfirst) == [reference(t, dayfirst) for t in texts]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)), min_size=1, max_size=20), st.data())
def test_every_written_form_reads_back_as_the_date_written(days: list[dt.date], data: st.DataObject) -> None:
    forms = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d-%b-%Y", "%d %B %Y", "%Y/%m/%d",
             "%d/%m/%Y %H:%M", "%d/%m/%Y %I:%M %p", "%Y-%m-%dT%H:%M:%S"]  # fmt: skip
    moments = [dt.datetime(d.year, d.month, d.day, data.draw(st.integers(0, 23)), 7) for d in days]
    texts = [m.strftime(data.draw(st.sampled_from(forms))) for m in moments]
    # (strftime writes years below 1000 with fewer digits on some platforms; those are not the forms read)
    texts = [t if len(str(d.year)) == 4 else d.isoformat() for t, d in zip(texts, days, strict=True)]
    days_read, bad = parse_date_strings(texts)
    assert not bad.any()
    assert [EPOCH + dt.timedelta(days=int(x)) for x in days_read] == days


@settings(max_examples=200, deadline=None)
@given(_any_text)
def test_one_text_reads_as_it_does_in_an_array(text: str) -> None:
    kind, day = reference(text)
    if kind == "ok":
        assert day is not None and day_number(text) == (day - EPOCH).days
    elif kind == "blank":
        assert day_number(text) is None
    else:
        with pytest.raises(DateParseError) as info:
            day_number(text)
        assert repr(text) in str(info.value)
        assert ("two-digit year" in str(info.value)) == (kind == "short")


#: The day pyarrow's ``date32`` counts from.
_ARROW_EPOCH = dt.date(1970, 1, 1)
#: Day counts that ``datetime.date`` can hold (years 1 to 9999), or None (a null).
_ARROW_DAYS = st.lists(
    st.none() | st.integers((dt.date(1, 1, 1) - _ARROW_EPOCH).days, (dt.date(9999, 12, 31) - _ARROW_EPOCH).days),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(_ARROW_DAYS, _ARROW_DAYS, st.integers(0, 40), st.integers(0, 40))
def test_arrow_date32_arrays_read_from_their_buffers_give_their_days(
    first: list[int | None], second: list[int | None], start: int, stop: int
) -> None:
    """pyarrow ``date32`` arrays (nulls anywhere, slices, chunked) become their days, nulls MISSING."""
    pa = pytest.importorskip("pyarrow", reason="needs pyarrow, which is not installed here")
    from casetime.dates import to_day_numbers

    whole = pa.array(first, type=pa.int32()).cast(pa.date32())
    cut = whole.slice(start, stop)
    for arrow in [whole, cut, pa.chunked_array([cut, pa.array(second, type=pa.int32()).cast(pa.date32())])]:
        # the reference: pyarrow's own Python dates, each counted from the epoch by datetime
        expected = [MISSING if d is None else (d - _ARROW_EPOCH).days for d in arrow.to_pylist()]
        got = to_day_numbers(arrow)
        assert got.dtype == np.int64 and got.tolist() == expected
