"""Texts as bytes and keys (casetime._keys): the fast ASCII encoding agrees with Python's own."""

from __future__ import annotations

from unittest import mock

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import casetime._keys
from casetime._keys import grid_of, merge, text_part, utf8

TEXTS = st.lists(st.one_of(st.text(max_size=12), st.text(alphabet="abcXYZ019 -/", max_size=12)), max_size=30)


@given(TEXTS)
def test_utf8_is_what_python_encodes(texts: list[str]) -> None:
    array = np.array(texts, dtype=str)
    got = utf8(array)
    assert got.dtype.kind == "S"
    # numpy strips trailing NULs from S values, as it does from U ones
    assert got.tolist() == [t.rstrip("\0").encode("utf-8") for t in texts]
    longest = max((len(t.rstrip("\0").encode("utf-8")) for t in texts), default=0)
    assert got.dtype.itemsize == max(longest, 1) or not texts


def test_utf8_narrows_a_wide_ascii_array_to_its_longest_text() -> None:
    wide = np.array(["ab", "c"], dtype="<U20")
    assert utf8(wide).dtype == np.dtype("S2")
    assert grid_of(wide).tolist() == [[97, 98], [99, 0]]
    assert utf8(np.array(["", ""], dtype="<U5")).tolist() == [b"", b""]


@given(TEXTS)
def test_a_part_keys_equal_texts_alike(texts: list[str]) -> None:
    array = np.array(texts, dtype=str)
    part = text_part(array)
    assert part.codes.shape == (len(texts),)
    for i in range(len(texts)):
        for j in range(len(texts)):
            same = texts[i].rstrip("\0") == texts[j].rstrip("\0")
            if texts[i].rstrip("\0") and texts[j].rstrip("\0"):
                assert (part.codes[i] == part.codes[j]) == same


@given(
    st.lists(st.lists(st.text(alphabet="abcXYZ019", max_size=9), max_size=40), min_size=1, max_size=6),
    st.sampled_from([1, 2, 5, 1 << 20]),
    st.sampled_from(["stable", "quicksort"]),
)
def test_parts_merge_to_the_sorted_distinct_texts_however_the_sort_is_cut(
    chunks: list[list[str]], per: int, kind: str
) -> None:
    # every cut into ranges sorted apart (two threads, a few keys a range), with either sort of the runs
    # (the one measured faster on the machine), gives what one sort does
    every = [t for chunk in chunks for t in chunk]
    labels = sorted({t for t in every if t})
    expected = [labels.index(t) if t else -1 for t in every]
    parts = [text_part(np.array(chunk, dtype=str)) for chunk in chunks]
    with (
        mock.patch.object(casetime._keys, "SPLIT_KEYS", 1),
        mock.patch.object(casetime._keys, "RANGE_KEYS", per),
        mock.patch.object(casetime._keys, "_MEASURED_FROM", 0),
        mock.patch.object(casetime._keys, "_runs_sort_kind", return_value=kind),
    ):
        codes, texts = merge(parts)
    assert codes.tolist() == expected
    assert [t.decode() for t in texts.tolist()] == labels


@given(st.lists(st.lists(st.integers(0, 2**64 - 1), max_size=30), min_size=1, max_size=5), st.booleans())
def test_distinct_keys_in_ascending_runs_read_as_numpy_unique_reads_them(runs: list[list[int]], wide: bool) -> None:
    # the merge's input: each part's sorted distinct keys, one part after another (sorted with a stable sort)
    pieces = [np.unique(np.array(run, dtype=np.uint64) if wide else np.array(run, dtype=np.uint64) >> np.uint64(40))
              for run in runs]  # fmt: skip
    keys = np.concatenate(pieces)
    uniq, inverse = np.unique(keys, return_inverse=True)
    got_uniq, got_inverse = casetime._keys.unique_inverse(keys, runs=True)
    assert got_uniq.tolist() == uniq.tolist() and got_inverse.tolist() == inverse.ravel().tolist()
    if not wide and keys.size:  # (keys below 2**24 and positions fit in 64 bits together)
        packed_uniq, packed_inverse = casetime._keys._unique_packed(keys, 40, runs=True)
        assert packed_uniq[:, 0].tolist() == uniq.tolist() and packed_inverse.tolist() == inverse.ravel().tolist()


@given(
    st.lists(
        st.lists(st.one_of(st.integers(0, 2**64 - 1), st.integers(2**53 - 4, 2**53 + 4)), max_size=20),
        min_size=1,
        max_size=4,
    ),
    st.lists(st.one_of(st.integers(0, 2**64 - 1), st.integers(2**53 - 4, 2**53 + 4)), max_size=5),
)
def test_each_part_is_cut_into_ranges_by_exact_integer_comparison(runs: list[list[int]], cuts: list[int]) -> None:
    # (numpy given a Python int below 2**63 as the needle compares uint64 keys as float64s: 2**53 + 1 reads as 2**53)
    cuts = sorted(set(cuts))
    flat = [np.array(sorted(set(run)), dtype=np.uint64) for run in runs]
    expected = [[0, *(sum(1 for k in sorted(set(run)) if k < c) for c in cuts), len(set(run))] for run in runs]
    assert casetime._keys._bounds(flat, cuts) == expected


def test_keys_a_float64_cannot_tell_apart_fall_either_side_of_a_cut() -> None:
    keys = np.array([2**53, 2**53 + 2], dtype=np.uint64)
    assert casetime._keys._bounds([keys], [2**53 + 1]) == [[0, 1, 2]]


def test_the_sort_for_runs_is_measured_once_and_is_one_of_numpys_two() -> None:
    casetime._keys._runs_sort_kind.cache_clear()
    kind = casetime._keys._runs_sort_kind()
    assert kind in ("stable", "quicksort")
    assert casetime._keys._runs_sort_kind.cache_info().hits == 0
    assert casetime._keys._runs_sort_kind() == kind
    assert casetime._keys._runs_sort_kind.cache_info().hits == 1


_BYTES = st.sampled_from([0, 1, 2, 3, 47, 48, 49, 57, 65, 90, 127, 128, 200, 253, 254, 255])


def _key_by_hand(radix: casetime._keys.Radix, row: list[int]) -> list[int] | None:
    """A row's key, digit by digit in Python integers; ``None`` if a byte is outside the radix."""
    lo, hi, pad, sizes = radix.lo.tolist(), radix.hi.tolist(), radix.pad.tolist(), radix.sizes
    for p, b in enumerate(row):
        if not ((b == 0 and pad[p]) or lo[p] <= b <= hi[p]):
            return None
    words = []
    for span in radix.words:
        key = 0
        for p in span:
            digit = (0 if row[p] == 0 else row[p] - lo[p] + 1) if pad[p] else row[p] - lo[p]
            key = key * sizes[p] + digit
        words.append(key)
    return words


@given(
    st.integers(1, 10).flatmap(
        lambda w: st.tuples(
            st.lists(st.lists(_BYTES, min_size=w, max_size=w), min_size=1, max_size=12),
            st.lists(st.lists(_BYTES, min_size=w, max_size=w), max_size=12),
        )
    )
)
def test_a_grid_is_keyed_as_its_digits_read_by_hand_or_refused_for_a_byte_outside_the_radix(
    grids: tuple[list[list[int]], list[list[int]]],
) -> None:
    # (digits read a few positions at a time into 32 bits, then into the word: the same number)
    seen, other = grids
    radix = casetime._keys.Radix.of(np.array(seen, dtype=np.uint8))
    for rows in (seen, other):
        grid = np.array(rows, dtype=np.uint8).reshape(len(rows), len(seen[0]))
        by_hand = [_key_by_hand(radix, row) for row in rows]
        keys = radix.try_encode(grid)
        if any(k is None for k in by_hand):
            assert keys is None
        else:
            assert keys is not None and keys.tolist() == by_hand
            if rows:
                assert radix.decode(keys).tolist() == rows
