"""Texts as bytes and keys (casetime._keys): the fast ASCII encoding agrees with Python's own."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from casetime._keys import grid_of, text_part, utf8

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
