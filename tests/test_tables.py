"""Columnar pieces: Ragged.take, Labels.concat and deferred labels against plain-Python references."""

from __future__ import annotations

import copy
import datetime as dt
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casetime.errors import CasetimeError
from casetime.tables import Labels, Ragged, Table

SETTINGS = settings(max_examples=150, deadline=None)

days = st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2015, 12, 31))
date_lists = st.lists(st.lists(days, max_size=4), max_size=12)


def _ragged(lists: list[list[dt.date]]) -> Ragged:
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum([len(x) for x in lists], out=offsets[1:])
    flat = [d for x in lists for d in x]
    return Ragged(offsets, np.array(flat, dtype="M8[D]") if flat else np.empty(0, dtype="M8[D]"))


def test_ragged_take_worked_example() -> None:
    r = _ragged([[dt.date(2009, 1, 5)], [], [dt.date(2009, 2, 1), dt.date(2009, 3, 1)]])
    taken = r.take(np.array([2, 0, 2, 1]))
    assert taken.offsets.tolist() == [0, 2, 3, 5, 5]
    assert taken.lists() == [
        [dt.date(2009, 2, 1), dt.date(2009, 3, 1)],
        [dt.date(2009, 1, 5)],
        [dt.date(2009, 2, 1), dt.date(2009, 3, 1)],
        [],
    ]
    assert taken.values.dtype == np.dtype("M8[D]")
    assert r.take(np.array([True, False, True])).lists() == [[dt.date(2009, 1, 5)], r.lists()[2]]
    assert r.take(np.empty(0, dtype=np.int64)).lists() == []


@SETTINGS
@given(data=st.data(), lists=date_lists)
def test_ragged_take_matches_picking_lists(data: st.DataObject, lists: list[list[dt.date]]) -> None:
    r = _ragged(lists)
    n = len(lists)
    if n and data.draw(st.booleans()):
        mask = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
        picked = [x for x, keep in zip(lists, mask, strict=True) if keep]
        taken = r.take(np.array(mask, dtype=bool))
    else:
        index = data.draw(st.lists(st.integers(0, n - 1), max_size=20)) if n else []
        picked = [lists[i] for i in index]
        taken = r.take(np.array(index, dtype=np.int64))
    assert taken.lists() == picked
    assert taken.offsets.shape == (len(picked) + 1,)
    assert taken.offsets[-1] == taken.values.shape[0]


texts = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "a", "b", " a", "B", "é", "ab", "a b", "zz"]),
    st.text(st.characters(blacklist_characters="\x00"), max_size=3),
)


@SETTINGS
@given(parts=st.lists(st.lists(texts, max_size=8), max_size=4))
def test_labels_concat_matches_concatenated_values(parts: list[list[str | None]]) -> None:
    joined = Labels.concat([Labels.from_values(np.array(p, dtype=object)) for p in parts])
    expected: list[str | None] = []
    for part in parts:
        for value in part:
            text = None if value is None else value.strip() or None
            expected.append(text)
    assert joined.values().tolist() == expected
    labels = joined.labels.tolist()
    assert labels == sorted({v for v in expected if v is not None})
    assert joined.codes.dtype == np.int64


def test_deferred_labels_are_made_once_when_first_read() -> None:
    calls: list[int] = []

    def make() -> np.ndarray:
        calls.append(1)
        return np.array(["a", "b"], dtype=object)

    lab = Labels.deferred(np.array([1, -1, 0], dtype=np.int64), make)
    assert len(lab) == 3 and lab.take(np.array([0, 2])).codes.tolist() == [1, 0]
    assert calls == []  # codes alone never make the texts
    assert lab.values().tolist() == ["b", None, "a"]
    assert lab.labels.tolist() == ["a", "b"]
    assert calls == [1]
    with pytest.raises(AttributeError, match="no attribute 'lables'"):
        lab.lables  # noqa: B018


def test_deferred_labels_pickle_and_copy_as_plain_labels() -> None:
    lab = Labels.deferred(np.array([0, 0, 1], dtype=np.int64), lambda: np.array(["x", "y"], dtype=object))
    for other in (pickle.loads(pickle.dumps(lab)), copy.copy(lab), copy.deepcopy(lab)):
        assert type(other) is Labels
        assert other.codes.tolist() == [0, 0, 1] and other.labels.tolist() == ["x", "y"]
    plain = Labels(np.array([0]), np.array(["z"], dtype=object))
    with pytest.raises(AttributeError, match="no attribute 'texts'"):
        plain.texts  # type: ignore[attr-defined]  # noqa: B018


def test_joining_compact_labels_makes_no_python_strings() -> None:
    a = Labels.from_texts(np.array([1, 0, -1, 1]), np.array([b"C0000000001", b"C0000000007"]))
    b = Labels.from_texts(np.array([0, 1]), np.array([b"A12345678901234", b"C0000000007"]))
    joined = Labels.concat([a, b])
    for lab in (a, b, joined):
        assert "labels" not in vars(lab)  # still deferred: only the codes and the compact texts
    assert joined.compact() is not None
    assert joined.values().tolist() == ["C0000000007", "C0000000001", None, "C0000000007", "A12345678901234",
                                        "C0000000007"]  # fmt: skip
    assert joined.labels.tolist() == ["A12345678901234", "C0000000001", "C0000000007"]


def test_joining_plain_and_compact_labels_gives_the_same_labels() -> None:
    compact = Labels.from_texts(np.array([0, 1]), np.array([b"B", b"D"]))
    plain = Labels.from_values(["C", "A", None, "B"])
    joined = Labels.concat([compact, plain])
    assert joined.labels.tolist() == ["A", "B", "C", "D"]
    assert joined.values().tolist() == ["B", "D", "C", "A", None, "B"]


def test_a_table_and_a_frame_read_a_cell_to_the_same_text() -> None:
    from casetime.extract import load

    cells = [123.0, " A1 ", b"B2", float("nan"), None, 7]
    table = Table.from_columns("ia", {"child_id": cells, "referral_date": ["2009-01-05"] * len(cells)})
    frame = load({"child_id": cells, "referral_date": ["2009-01-05"] * len(cells)}, record_type="ia")["ia"]
    assert table.child.values().tolist() == frame.child.values().tolist() == ["123", "A1", "B2", None, None, "7"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-(2**40), 2**40) | st.integers(0, 30), max_size=40))
def test_whole_number_ids_read_as_their_text_would_be(ids: list[int]) -> None:
    """The integer fast path of Labels.from_values gives the codes and labels of reading each id's text."""
    fast = Labels.from_values(np.array(ids, dtype=np.int64))
    slow = Labels.from_values([str(i) for i in ids])
    assert fast.codes.tolist() == slow.codes.tolist()
    assert fast.labels.tolist() == slow.labels.tolist()


def test_review_dates_given_as_ragged_must_have_a_row_per_plan() -> None:
    one = Ragged(np.array([0, 1]), np.array(["2023-04-01"], dtype="M8[D]"))
    with pytest.raises(CasetimeError, match="review_dates has 1 rows, expected 2"):
        Table.from_columns("cpp", {"child_id": ["A", "B"], "start_date": ["2023-01-02"] * 2, "review_dates": one})
