"""Property tests of loading: fuzzed CSV input, engine equality, round trips, reconciliation."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casetime.errors import CasetimeError
from casetime.extract import load
from casetime.io import ReadResult, read_csv
from casetime.records import (
    ChildProtectionPlan,
    CoreAssessment,
    InitialAssessment,
    Referral,
    Section47,
    SingleAssessment,
    records_to_table,
    table_to_records,
)
from casetime.tables import Table
from support import installed

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
ENGINES = ("python", "pyarrow")

dates = st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2015, 12, 31))
child_ids = st.text(alphabet="ABCXYZ0123456789", min_size=1, max_size=6)


def _date_text(day: dt.date, style: int) -> str:
    return [
        day.isoformat(),
        day.strftime("%d/%m/%Y"),
        day.strftime("%d/%m/%Y 14:30"),
        f"{day.day}/{day.month}/{day.year}",
    ][style]


cells = st.one_of(
    st.builds(_date_text, dates, st.integers(0, 3)),
    st.sampled_from(["", " ", "31/02/2009", "2009-13-01", "NULL", "n/a", "29/02/2009", "Derby, North", 'say "hi"']),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=8),
    st.text(alphabet='\u00e9\u2013\u20ac\u00a3 ,;"\r\n', max_size=5),
)
HEADINGS = [
    "child_id",
    "LAchildID",
    "referral_date",
    "Date of Referral",
    "completion_date",
    "AssessmentActualStartDate",
    "team",
    "Notes",
    "record_type",
]


def _same(a: ReadResult, b: ReadResult) -> None:
    assert list(a.tables) == list(b.tables)
    for kind, ta in a.tables.items():
        tb = b.tables[kind]
        assert len(ta) == len(tb)
        assert ta.child.values().tolist() == tb.child.values().tolist()
        for name in ta.dates:
            assert np.array_equal(ta.days(name), tb.days(name))
        assert sorted(ta.extra) == sorted(tb.extra)
        for name in ta.extra:
            assert ta.extra[name].values().tolist() == tb.extra[name].values().tolist()
        assert ta.row is not None and tb.row is not None and ta.row.tolist() == tb.row.tolist()
    key = [(i.record_type, i.rule, i.field, i.positions.tolist(), i.values.tolist()) for i in a.issues]
    assert key == [(i.record_type, i.rule, i.field, i.positions.tolist(), i.values.tolist()) for i in b.issues]
    assert [r.rows.tolist() for r in a.rejected] == [r.rows.tolist() for r in b.rejected]


def _read(path: Path, engine: str, kind: str | None) -> ReadResult | CasetimeError:
    try:
        return read_csv(path, kind, engine=engine, chunk_rows=3)
    except CasetimeError as exc:  # a clear error is an allowed outcome; anything else fails the test
        return exc


@pytest.mark.skipif(not installed("pyarrow"), reason="compares the engines: needs pyarrow, not installed here")
@SETTINGS
@given(data=st.binary(max_size=400), prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"child_id,referral_date\n"]))
def test_random_bytes_give_a_clear_error_or_row_issues(tmp_path: Path, data: bytes, prefix: bytes) -> None:
    path = tmp_path / "ia.csv"
    path.write_bytes(prefix + data)
    outcomes = [_read(path, engine, None) for engine in ENGINES]
    for outcome in outcomes:
        assert isinstance(outcome, (ReadResult, CasetimeError))
    if all(isinstance(o, ReadResult) for o in outcomes):
        _same(outcomes[0], outcomes[1])  # type: ignore[arg-type]
    else:
        assert type(outcomes[0]) is type(outcomes[1])


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[bytes, int, str | None]:
    """A CSV file made with csv.writer, then roughened; returns (bytes, records written, record type)."""
    headings = draw(st.lists(st.sampled_from(HEADINGS), min_size=1, max_size=6))
    rows = draw(st.lists(st.lists(cells, min_size=len(headings), max_size=len(headings)), max_size=12))
    if "record_type" in headings:
        at = headings.index("record_type")
        for row in rows:
            row[at] = draw(st.sampled_from(["IA", "cpp", "referral", "nonsense", ""]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(headings)
    for row in rows:
        if draw(st.booleans()) and draw(st.booleans()):
            buffer.write("\n")  # a blank line
        writer.writerow(row)
    text = buffer.getvalue()
    if draw(st.booleans()) and len(text) > 2:
        text = text[: draw(st.integers(len(text) // 2, len(text) - 1))]  # truncated
    if draw(st.booleans()):
        text = "\ufeff" + text
    encoding = draw(st.sampled_from(["utf-8", "cp1252"]))
    raw = text.encode(encoding, errors="replace" if encoding == "cp1252" else "strict")
    kind = draw(st.sampled_from([None, "ia"]))
    return raw, len(rows), kind


@pytest.mark.skipif(not installed("pyarrow"), reason="compares the engines: needs pyarrow, not installed here")
@SETTINGS
@given(made=csv_files())
def test_fuzzed_csv_files_never_crash_and_engines_agree(tmp_path: Path, made: tuple[bytes, int, str | None]) -> None:
    raw, _, kind = made
    path = tmp_path / "export.csv"
    path.write_bytes(raw)
    outcomes = [_read(path, engine, kind) for engine in ENGINES]
    assert all(isinstance(o, (ReadResult, CasetimeError)) for o in outcomes)
    if isinstance(outcomes[0], ReadResult) and isinstance(outcomes[1], ReadResult):
        _same(outcomes[0], outcomes[1])
        result = outcomes[0]
        # every non-blank record is in a table or among the rejected rows, never dropped
        with open(path, newline="", encoding="cp1252" if b"\x80" in raw or b"\xe9" in raw else "utf-8-sig") as f:
            try:
                records = list(csv.reader(f))[1:]
            except UnicodeDecodeError:
                return
        expected = sum(1 for r in records if any(c.strip() for c in r))
        got = sum(len(t) for t in result.tables.values()) + sum(len(r) for r in result.rejected)
        assert got == expected
    else:
        assert str(outcomes[0]) == str(outcomes[1])


plain_cells = st.one_of(
    st.builds(_date_text, dates, st.integers(0, 3)),
    st.sampled_from(["", " ", "31/02/2009", "0999-12-31", "North", "é"]),
    st.text(alphabet="aZ9 -é€\r", max_size=6),
)


@st.composite
def unquoted_files(draw: st.DrawFn) -> tuple[bytes, int, str | None]:
    """A UTF-8 CSV file with no double quote (so that the pyarrow reader may cut it in two): rows of
    dates, blanks and short texts (a lone carriage return among them), blank lines, ``\n`` or
    ``\r\n``, perhaps a byte-order mark, perhaps a row of the wrong width or cut short."""
    headings = draw(st.lists(st.sampled_from(HEADINGS[:-1]), min_size=1, max_size=5))
    width = len(headings)
    rows = draw(st.lists(st.lists(plain_cells, min_size=width, max_size=width), min_size=1, max_size=30))
    if draw(st.booleans()) and draw(st.booleans()):
        rows[draw(st.integers(0, len(rows) - 1))].append("extra")
    end = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [",".join(headings)]
    for row in rows:
        if draw(st.booleans()) and draw(st.booleans()):
            lines.append("")
        lines.append(",".join(row))
    text = end.join(lines) + (end if draw(st.booleans()) else "")
    if draw(st.booleans()) and len(text) > 2:
        text = text[: draw(st.integers(len(text) // 2, len(text) - 1))]
    raw = ("\ufeff" if draw(st.booleans()) else "").encode() + text.encode("utf-8")
    return raw, len(rows), draw(st.sampled_from([None, "ia"]))


@pytest.mark.skipif(not installed("pyarrow"), reason="compares the engines: needs pyarrow, not installed here")
@SETTINGS
@given(made=unquoted_files(), first=st.integers(1, 48))
def test_a_file_read_in_two_parts_reads_as_one(tmp_path: Path, made: tuple[bytes, int, str | None], first: int) -> None:
    """The pyarrow reader parses a file without quotes in two parts (a small first one, so that the
    work on the batches starts sooner): with the first part made a few bytes long, the cut falls
    anywhere (in a blank line, a byte-order mark, a heading, a truncated last row), and the file
    reads as the standard-library reader reads it, or fails with the same error; and the pyarrow
    reader hands a file to the standard-library reader in two parts exactly when it does in one."""
    from unittest import mock

    import casetime.io.csv as csv_reader

    raw, _, kind = made
    path = tmp_path / "export.csv"
    path.write_bytes(raw)
    handed: list[int] = []
    real = csv_reader._read_python

    def spy(*args: Any, **kwargs: Any) -> Any:
        handed.append(1)
        return real(*args, **kwargs)

    with mock.patch.object(csv_reader, "_read_python", spy):
        whole = _read(path, "pyarrow", kind)
        in_one = len(handed)
        with mock.patch.object(csv_reader, "_FIRST_PART_BYTES", first):
            parts = _read(path, "pyarrow", kind)
        in_two = len(handed) - in_one
    python = _read(path, "python", kind)
    assert bool(in_two) == bool(in_one)
    for outcome in (whole, parts):
        if isinstance(outcome, ReadResult) and isinstance(python, ReadResult):
            _same(outcome, python)
        else:
            assert str(outcome) == str(python)


def _records(draw: st.DrawFn, kind: str) -> Any:
    child = draw(child_ids)
    a, b, c = draw(dates), draw(st.none() | dates), draw(st.none() | dates)
    if kind == "referral":
        return Referral(child, a, b)
    if kind == "ia":
        return InitialAssessment(child, a, b, c)
    if kind == "ca":
        return CoreAssessment(child, a, b, c)
    if kind == "sa":
        return SingleAssessment(child, a, b, c)
    if kind == "s47":
        return Section47(child, a, b, c)
    reviews = draw(st.lists(dates, max_size=3))
    return ChildProtectionPlan(child, a, b, c, tuple(reviews))


NAMES = {"referral": "referral", "ia": "ia", "ca": "ca", "sa": "single assessment", "s47": "s47", "cpp": "cpp"}


@SETTINGS
@given(data=st.data(), kind=st.sampled_from(sorted(NAMES)))
def test_records_table_records_round_trip(data: st.DataObject, kind: str) -> None:
    records = [_records(data.draw, kind) for _ in range(data.draw(st.integers(0, 8)))]
    table = records_to_table(records, NAMES[kind])
    assert len(table) == len(records)
    assert table_to_records(table) == records


@st.composite
def frames(draw: st.DrawFn) -> dict[str, list[Any]]:
    n = draw(st.integers(0, 30))
    fault = draw(st.floats(0, 0.5))

    def maybe_bad(day: dt.date | None) -> Any:
        if draw(st.floats(0, 1)) < fault:
            return draw(st.sampled_from(["31/02/2009", "", None, "garbage", "2031-01-01"]))
        return None if day is None else day.strftime("%d/%m/%Y")

    ref = [draw(dates) for _ in range(n)]
    done = [r + dt.timedelta(days=draw(st.integers(-5, 40))) if draw(st.booleans()) else None for r in ref]
    return {
        "child_id": [draw(st.sampled_from(["A", "B", "C", "D", " ", None])) for _ in range(n)],
        "referral_date": [maybe_bad(r) for r in ref],
        "completion_date": [maybe_bad(d) for d in done],
        "team": [draw(st.sampled_from(["N", "S", None])) for _ in range(n)],
    }


@SETTINGS
@given(frame=frames(), engine=st.sampled_from(ENGINES))
def test_reconciliation_on_random_extracts(tmp_path: Path, frame: dict[str, list[Any]], engine: str) -> None:
    path = tmp_path / "ia.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(frame)
        writer.writerows(zip(*frame.values(), strict=True))
    for ex in (load(frame, record_type="ia", as_at="2030-01-01"), load(path, engine=engine, as_at="2030-01-01")):
        non_blank = sum(1 for row in zip(*frame.values(), strict=True) if any(v not in (None, "", " ") for v in row))
        entries = ex.reconciliation()
        for entry in entries:
            assert entry["rows_read"] == entry["rows_valid"] + entry["rows_with_errors"]
        assert sum(e["rows_read"] for e in entries) == non_blank
        table: Table = ex["ia"]
        assert len(ex.valid("ia")) == sum(e["rows_valid"] for e in entries)
        assert len(table) == non_blank


@pytest.mark.parametrize("engine", ENGINES)
def test_many_chunks_equal_one_chunk(tmp_path: Path, engine: str) -> None:
    rng = np.random.default_rng(7)
    path = tmp_path / "cpp.csv"
    days = np.datetime64("2009-01-01") + rng.integers(0, 900, 500)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["child_id", "start_date", "end_date", "review_dates", "team"])
        for i, day in enumerate(days.tolist()):
            end = "31/02/2009" if i % 97 == 0 else (day + dt.timedelta(days=400)).strftime("%d/%m/%Y")
            reviews = ";".join((day + dt.timedelta(days=k * 90)).isoformat() for k in range(i % 4))
            writer.writerow([f"C{i % 173}", day.strftime("%d/%m/%Y"), end, reviews, f"T{i % 5}"])
    whole = read_csv(path, engine=engine)
    for chunk in (7, 64, 499):
        _same(whole, read_csv(path, engine=engine, chunk_rows=chunk))
    table = whole.tables["cpp"]
    assert table.reviews is not None and sum(map(len, table.reviews.lists())) == sum(i % 4 for i in range(500))


_DATE_CELLS = ["05/01/2009", "5/1/2009", "2009-01-05", "31/02/2009", "29/02/2008", "29/02/2009", "", "NULL",
               "05/01/09", "2009-01-05 10:00", "1 Feb 2010", "x", " 06/01/2009 ", "0999-01-01"]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_DATE_CELLS), max_size=12), min_size=1, max_size=6),
    st.booleans(),
    st.sampled_from([1, 3, 1 << 16]),
)
def test_date_texts_seen_in_earlier_chunks_read_as_reading_them_again(
    chunks: list[list[str]], dayfirst: bool, limit: int
) -> None:
    # each chunk's distinct texts looked up among those of the chunks before, however few are kept
    from casetime.dates import DateStyle
    from casetime.io import assemble

    style = DateStyle(dayfirst=dayfirst)
    seen = assemble.DatesSeen(style)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(assemble, "SEEN_LIMIT", limit)
        for chunk in chunks:
            texts = np.unique(np.array(chunk, dtype=str))
            days, bad = seen.read(texts)
            again = style.read(texts)
            assert days.tolist() == again.days.tolist() and bad.tolist() == again.bad.tolist()
            assert seen.texts.size <= limit


def test_a_date_text_seen_before_is_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from casetime.dates import DateStyle
    from casetime.io import assemble

    asked: list[list[str]] = []
    real = DateStyle.read

    def spy(self: DateStyle, values: Any) -> Any:
        asked.append(list(values))
        return real(self, values)

    monkeypatch.setattr(DateStyle, "read", spy)
    seen = assemble.DatesSeen(DateStyle())
    seen.read(np.array(["05/01/2009", "31/02/2009"]))
    days, bad = seen.read(np.array(["05/01/2009", "06/01/2009", "31/02/2009"]))
    seen.read(np.array(["06/01/2009", "31/02/2009"]))
    assert asked == [["05/01/2009", "31/02/2009"], ["06/01/2009"]]
    assert bad.tolist() == [False, False, True] and days[:2].astype("M8[D]").astype(str).tolist() == [
        "2009-01-05",
        "2009-01-06",
    ]


@pytest.mark.skipif(not installed("pyarrow"), reason="compares the engines: needs pyarrow, not installed here")
@SETTINGS
@given(
    cells=st.lists(st.text(alphabet="aé€\U0001d11e", max_size=8), min_size=1, max_size=12),
    limit=st.integers(1, 5),
)
def test_cells_over_the_limit_in_characters_are_emptied_and_reported_by_both_engines(
    tmp_path: Path, cells: list[str], limit: int
) -> None:
    """With the cell limit made small, characters of one to four UTF-8 bytes: a cell of more than
    ``limit`` characters (Python's ``len``) is emptied and reported with its length, by both readers,
    and its row stays (so do rows whose every cell was emptied: the ids and dates are over the limit too)."""
    from unittest import mock

    import casetime.io._columns as columns

    path = tmp_path / "ia.csv"
    body = "".join(f"C{i},05/01/2009,{cell}\n" for i, cell in enumerate(cells))
    path.write_text("child_id,referral_date,team\n" + body, encoding="utf-8")
    with mock.patch.object(columns, "CELL_LIMIT", limit):
        results = [read_csv(path, "ia", engine=engine) for engine in ENGINES]
    over = [i for i, cell in enumerate(cells) if len(cell) > limit]
    for result in results:
        teams = result.tables["initial_assessment"].extra["team"].values().tolist()
        assert teams == [None if i in over or not cell else cell for i, cell in enumerate(cells)]
        found = [(s.positions.tolist(), s.values.tolist()) for s in result.issues if s.field == "team"]
        assert found == ([(over, [f"<{len(cells[i]):,} characters>" for i in over])] if over else [])
