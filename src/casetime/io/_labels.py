"""Label columns (child ids, teams ...) chunk by chunk, joined into one :class:`~casetime.tables.Labels` at the end.

Each chunk's column becomes a *part* (:mod:`casetime._keys`): its rows' codes into its own
distinct texts held as integer keys. A pyarrow column whose cells need no stripping is keyed
straight from its UTF-8 buffer, without making a Python string; other columns are stripped
first. The parts of one column share a :class:`Column`'s radix from chunk to chunk, so that their
keys merge without re-encoding.

>>> from casetime.io._columns import text_from_strs
>>> state = LabelColumn()
>>> parts = [state.part(text_from_strs(["B", " A", ""])), state.part(text_from_strs(["C", "B"]))]
>>> lab = merge_labels(parts)
>>> lab.codes.tolist(), lab.labels.tolist()
([1, 0, -1, 2, 1], ['A', 'B', 'C'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt

from casetime._compat import as_intp
from casetime._keys import KeyPart, Part, Radix, TextPart, grid_of, key_part, merge, utf8
from casetime.io._columns import ArrowText, Column, Text, as_text, printable
from casetime.tables import Labels

__all__ = ["LabelColumn", "MAX_KEY_BYTES", "empty_part", "merge_labels"]

#: Texts longer than this many bytes are sorted as texts, not as keys (a free-text column).
MAX_KEY_BYTES: Final = 64


@dataclass
class LabelColumn:
    """One label column of one source, across its chunks: the radix its parts share so far.

    ``many=True`` (child ids: nearly one distinct text per row) keys a pyarrow column straight from
    its bytes; otherwise (teams, localities: few distinct texts) the column is dictionary-encoded
    first and only its distinct texts are keyed.
    """

    many: bool = False
    radix: Radix | None = field(default=None)

    def part(self, col: Column) -> Part:
        """This chunk's part of the column (blank or missing cells: code -1)."""
        if isinstance(col, ArrowText):
            fast = self._arrow(col) if self.many else None
            if fast is not None:
                return fast
        return self._text(as_text(col))

    def _keep(self, part: KeyPart) -> KeyPart:
        self.radix = part.radix
        return part

    def _arrow(self, col: ArrowText) -> KeyPart | None:
        """The part straight from the UTF-8 bytes, when no cell needs stripping; else ``None``."""
        lengths = col.lengths
        n = lengths.shape[0]
        if n == 0:
            return None
        width = int(lengths.max())
        if width > MAX_KEY_BYTES:
            return None
        blank = None
        if col.width is not None:
            grid = col.data.reshape(n, width)
            # (every first and last byte printable ASCII: nothing to strip, seen without a look-up per cell)
            if not (printable(grid[:, 0]) and printable(grid[:, -1])) and _needs_stripping(col):
                return None
        else:
            if _needs_stripping(col):
                return None
            blank = lengths == 0
            grid = np.zeros((n, width), dtype=np.uint8)
            if col.data.size:
                target = np.repeat(np.arange(0, n * width, width, dtype=np.int64) - col.offsets[:-1], as_intp(lengths))
                target += np.arange(col.data.shape[0], dtype=np.int64)
                grid.reshape(-1)[target] = col.data
        return self._keep(key_part(grid, blank, self.radix))

    def _text(self, col: Text) -> Part:
        """The part of a text column: its distinct texts stripped, keyed (or, when very long, as texts)."""
        if col.uniq.size == 0:
            return empty_part()
        # only the distinct texts some row holds (a column taken from a bigger chunk keeps them all)
        present = ~col.blank_uniq & (np.bincount(as_intp(col.codes), minlength=col.uniq.shape[0]) > 0)
        held = np.flatnonzero(present)
        texts = col.stripped[held]
        remap = np.full(col.uniq.shape[0] + 1, -1, dtype=np.int32)  # (the last place: a code for none)
        remap[held] = np.arange(held.size, dtype=np.int32)
        encoded = utf8(texts)
        if encoded.dtype.itemsize > MAX_KEY_BYTES:
            return TextPart(remap[col.codes], texts)
        uniq = self._keep(key_part(grid_of(encoded), None, self.radix))
        keyed = np.append(uniq.codes, np.int32(-1)).astype(np.int32)  # (a blank row's -1 picks the last place)
        codes: npt.NDArray[np.int32] = keyed[remap[col.codes]]
        return KeyPart(codes, uniq.uniq, uniq.radix)


def _needs_stripping(col: ArrowText) -> bool:
    """Whether some cell starts or ends with a byte that may be (part of) white space."""
    _, first, last = col.edges
    return bool(first.any() or last.any())


def empty_part() -> KeyPart:
    """The part of a column with no rows."""
    return KeyPart(np.empty(0, dtype=np.int32), np.zeros((0, 1), dtype=np.uint64), Radix.of(np.zeros((0, 0), np.uint8)))


def merge_labels(parts: list[Part]) -> Labels:
    """One :class:`~casetime.tables.Labels` from a column's parts (``parts`` is emptied as it goes).

    Labels from keys make their Python strings when first read (:meth:`Labels.from_texts`).
    """
    codes, texts = merge(parts if parts else [empty_part()])
    parts.clear()
    if texts.dtype.kind == "S":
        return Labels.from_texts(codes, texts, complete=True)
    return Labels(codes, texts.astype(object))
