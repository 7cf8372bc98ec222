"""Texts as order-keeping integer keys (casetime._keys) against plain Python: sorted by code point, exactly.

Parts of one column share a radix from chunk to chunk (a later chunk may hold bytes the radix
cannot, and then the radix grows); merging them must give every row its text and the distinct
texts in code-point order, whatever the chunks, widths, blanks and multi-word keys.
"""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from casetime import _keys
from casetime.tables import Labels

PIECES = ["A", "B", "a", "1", "9", "0", "é", "Zoë", " ", "~", "\x01", "ÿ", "€", "Z"]
texts = st.lists(st.sampled_from(PIECES), max_size=7).map("".join) | st.text(
    st.characters(codec="utf-8", exclude_characters="\x00"), max_size=25
)
chunks = st.lists(st.lists(texts, max_size=9), min_size=1, max_size=5)


def _grid(values: list[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = np.strings.encode(np.array(values, dtype=str), "utf-8") if values else np.empty(0, "S1")
    grid = _keys.grid_of(encoded)
    blank = grid[:, 0] == 0 if grid.shape[1] else np.ones(grid.shape[0], bool)
    return grid, blank


@settings(max_examples=300, deadline=None)
@given(chunks, st.lists(st.booleans(), min_size=5, max_size=5))
@example([["A1", "B"], ["A0"]], [True] * 5)  # "0" is just below the shared radix's lowest byte at a padded place
@example([["B", "C"], ["A", "D"]], [True] * 5)  # bytes either side of the first chunk's range
@example([["K3Z09Q", "4857773456"], ["E09000003-0000012345", "A"]], [True] * 5)
def test_merged_parts_give_each_row_its_text_in_code_point_order(
    parts_values: list[list[str]], share: list[bool]
) -> None:
    parts, radix = [], None
    for values, shared in zip(parts_values, share, strict=False):
        grid, blank = _grid(values)
        part = _keys.key_part(grid, blank, radix if shared else None)
        radix = part.radix
        parts.append(part)
    codes, merged = _keys.merge(parts)
    labels = _keys.strings(merged).tolist()
    every = [v for values in parts_values for v in values]
    assert labels == sorted({v for v in every if v})
    assert [labels[c] if c >= 0 else None for c in codes.tolist()] == [v or None for v in every]


@settings(max_examples=200, deadline=None)
@given(chunks)
def test_joining_compact_labels_equals_joining_their_values(parts_values: list[list[str]]) -> None:
    columns = []
    for values in parts_values:
        grid, blank = _grid(values)
        codes, merged = _keys.merge([_keys.key_part(grid, blank)])
        columns.append(Labels.from_texts(codes, merged, complete=True))
    joined = Labels.concat(columns)
    every = [v or None for values in parts_values for v in values]
    assert joined.values().tolist() == every
    assert joined.labels.tolist() == sorted({v for v in every if v})
