"""Sorted distinct texts, fast: each text becomes an integer key that sorts as the text does.

Sorting millions of child ids as strings is slow (numpy compares them byte by byte); sorting
64-bit integers is fast. A text of ``w`` bytes is a row of a ``(n, w)`` byte grid (shorter texts
padded with zero bytes, which sort first, as the end of a text does). A :class:`Radix` records
which bytes occur at each position; read as a mixed-radix number, position by position, a row is
an integer that orders exactly as its bytes do, and positions holding one value only (a fixed
prefix) take no room at all. Real ids (digits, a letter or two, a fixed prefix) fit in one
64-bit word even at 20 characters; others take a few words and are sorted word by word. UTF-8
bytes sort as the code points do, so byte order is text order.

The pieces are *parts*: one per chunk of rows (a reader's batch, or a table being joined), each
with its rows' codes into its own sorted distinct keys. :func:`merge` joins parts into one set of
sorted distinct texts and every row's code into it, sorting only the parts' distinct keys, never
the rows, on two threads when there are many (numpy sorts without holding the GIL).

>>> part = text_part(np.array([b"C2", b"C10", b"", b"C2"]))
>>> codes, texts = merge([part])
>>> codes.tolist(), texts.tolist()
([1, 0, -1, 1], [b'C10', b'C2'])
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from casetime._background import Background
from casetime._compat import as_intp

__all__ = [
    "Radix",
    "KeyPart",
    "TextPart",
    "Part",
    "SPLIT_KEYS",
    "RANGE_KEYS",
    "grid_of",
    "key_part",
    "utf8",
    "text_part",
    "merge",
    "strings",
    "unique_inverse",
    "mix",
]

_U8 = npt.NDArray[np.uint8]
_U64 = npt.NDArray[np.uint64]
_I64 = npt.NDArray[np.int64]

#: From this many distinct keys in all (about 130,000), two threads share the final sort.
SPLIT_KEYS: Final = 1 << 17
#: A range of the final sort holds about this many keys at most: its temporaries (some 40 bytes a key,
#: about 5 MB) stay small and mostly in cache (1M keys a range: 20-40% slower merges at 1M rows, and
#: 5-10 MiB more at the peak of a load).
RANGE_KEYS: Final = 1 << 17
_MEASURED_FROM: Final = 1 << 14  # keys in runs from which the faster sort is measured for (see _runs_sort_kind)
_STR_BLOCK: Final = 1 << 16  # texts turned into Python strings at a time (the temporaries stay small)
_DECODE_BLOCK: Final = 1 << 16  # keys turned back into bytes at a time
_WORD: Final = 1 << 64
_NO_CODE: Final = np.array([-1], dtype=np.int64)  # the code of a blank row, at the end of a remapping


@dataclass(frozen=True, eq=False)
class Radix:
    """The bytes each position of a set of texts holds (from ``lo`` to ``hi``, and ``pad`` where a text has
    ended), as a number system.

    A position's *digit* is its byte less ``lo`` (shifted up by one where ``pad``: the end of a text
    is digit 0); its *size* is how many digits it can take. Positions are grouped into *words*
    whose sizes multiply to less than ``2**64``, so that each word is one ``uint64`` read most
    significant digit first: keys sort as the texts do, and a word of decimal digits takes
    log2(10) bits per digit. A position holding one value only (a fixed prefix) takes no room.
    """

    lo: _U8  # (width,); 255 where a position holds no byte but the end of a text
    hi: _U8  # (width,); 0 there
    pad: npt.NDArray[np.bool_]  # (width,): some text has ended at this position

    @classmethod
    def of(cls, grid: _U8) -> Radix:
        """The radix of the rows of ``grid`` (``(n, width)`` bytes)."""
        n, width = grid.shape
        if n == 0:
            return cls(np.full(width, 255, np.uint8), np.zeros(width, np.uint8), np.zeros(width, bool))
        hi = grid.max(axis=0)
        pad = (grid == 0).any(axis=0) if bool((grid.min(axis=0) == 0).any()) else np.zeros(width, bool)
        lo = np.where(grid == 0, np.uint8(255), grid).min(axis=0) if pad.any() else grid.min(axis=0)
        return cls(lo.astype(np.uint8), hi.astype(np.uint8), pad)

    @property
    def width(self) -> int:
        """The number of byte positions."""
        return int(self.lo.shape[0])

    @functools.cached_property
    def _held(self) -> npt.NDArray[np.bool_]:
        return self.hi >= self.lo  # the position holds some byte (not only the end of a text)

    @functools.cached_property
    def sizes(self) -> tuple[int, ...]:
        """How many digits each position can take (1: it holds one value only)."""
        sizes = np.where(self._held, self.hi.astype(np.int64) - self.lo.astype(np.int64) + 1, 0) + self.pad
        return tuple(max(int(v), 1) for v in sizes.tolist())

    @functools.cached_property
    def words(self) -> tuple[tuple[int, ...], ...]:
        """The positions of each word, in order (at least one word, possibly of no position)."""
        spans: list[tuple[int, ...]] = []
        current: list[int] = []
        product = 1
        for position, size in enumerate(self.sizes):
            if size == 1:
                continue
            if product * size >= _WORD:
                spans.append(tuple(current))
                current, product = [], 1
            current.append(position)
            product *= size
        spans.append(tuple(current))
        return tuple(spans)

    @functools.cached_property
    def _groups(self) -> tuple[tuple[tuple[tuple[int, ...], int], ...], ...]:
        """Each word's positions in runs whose sizes multiply to less than ``2**32``, with that product.

        A run's digits are read into one ``uint32`` first (most significant first, as in the word),
        then into the word: the same key, with most of the arithmetic on 4-byte numbers, not 8
        (2.65 against 1.46 ms for 95,674 ids of 13 characters).
        """
        words = []
        for span in self.words:
            runs: list[tuple[tuple[int, ...], int]] = []
            current: list[int] = []
            product = 1
            for position in span:
                size = self.sizes[position]
                if product * size >= 1 << 32:
                    runs.append((tuple(current), product))
                    current, product = [], 1
                current.append(position)
                product *= size
            if current:
                runs.append((tuple(current), product))
            words.append(tuple(runs))
        return tuple(words)

    @functools.cached_property
    def limits(self) -> tuple[int, ...]:
        """Every key of each word is below this (the product of its positions' sizes)."""
        return tuple(math.prod(self.sizes[p] for p in span) for span in self.words)

    def covers(self, other: Radix) -> bool:
        """Whether every byte ``other`` holds at each position is within this radix's (texts' ends included)."""
        if other.width > self.width:
            return False
        k = other.width
        held = other._held
        inside = ~held | ((self.lo[:k] <= other.lo) & (other.hi <= self.hi[:k]))
        ends = ~other.pad | self.pad[:k]
        # other's texts end (a zero byte) at the positions beyond its width
        return bool(inside.all() and ends.all() and self.pad[k:].all())

    def union(self, other: Radix) -> Radix:
        """A radix holding both radices' bytes (the wider width)."""
        width = max(self.width, other.width)
        lo = np.full(width, 255, np.uint8)
        hi = np.zeros(width, np.uint8)
        pad = np.ones(width, bool)  # a narrower radix's texts end before the added positions
        for r in (self, other):
            k = r.width
            lo[:k] = np.minimum(lo[:k], r.lo)
            hi[:k] = np.maximum(hi[:k], r.hi)
        pad[: min(self.width, other.width)] = False
        for r in (self, other):
            pad[: r.width] |= r.pad
        return Radix(lo, hi, pad)

    def encode(self, grid: _U8) -> _U64:
        """The keys of the rows of ``grid`` (``(n, len(words))``; rows must hold only bytes of this radix)."""
        keys = self.try_encode(grid)
        if keys is None:
            raise ValueError("internal: the grid holds bytes outside the radix")  # pragma: no cover
        return keys

    def try_encode(self, grid: _U8) -> _U64 | None:
        """:meth:`encode`, or ``None`` as soon as a row holds a byte this radix cannot (a digit too big).

        Checking costs one maximum per position, far less than finding the grid's own radix.
        """
        n = grid.shape[0]
        if grid.shape[1] > self.width:
            return None
        if grid.shape[1] < self.width:
            if not self.pad[grid.shape[1] :].all():
                return None
            grid = _widen(grid, self.width)
        held = self._held
        keys = np.zeros((len(self.words), n), dtype=np.uint64)
        digit = np.empty(n, dtype=np.uint8)  # (a byte outside the radix wraps round to a digit too big)
        group_key = np.empty(n, dtype=np.uint32)
        for w, groups in enumerate(self._groups):
            key = keys[w]
            for group, product in groups:
                for i, position in enumerate(group):
                    col = grid[:, position]
                    lo = int(self.lo[position])
                    if self.pad[position]:  # the end of a text is digit 0, the bytes from 1
                        if lo > 1 and bool((col == lo - 1).any()):  # a byte just below lo would read as an end
                            return None
                        np.subtract(col, np.uint8(lo - 1), out=digit)
                        digit[col == 0] = 0
                    else:
                        np.subtract(col, np.uint8(lo), out=digit)
                    size = self.sizes[position]
                    if n and int(digit.max()) >= size:  # a byte below lo (it wrapped round) or above hi
                        return None
                    if i == 0:
                        group_key[:] = digit
                    else:
                        np.multiply(group_key, np.uint32(size), out=group_key)
                        np.add(group_key, digit, out=group_key)
                np.multiply(key, np.uint64(product), out=key)
                np.add(key, group_key, out=key)
        # the positions of one value only: every row must hold exactly it
        for position in np.flatnonzero(np.array(self.sizes) == 1).tolist():
            if n and held[position] and not self.pad[position]:
                if not bool((grid[:, position] == self.lo[position]).all()):
                    return None
            elif n and not held[position] and bool(grid[:, position].any()):
                return None
        return keys.T

    def decode(self, keys: _U64) -> _U8:
        """The byte grid (``(n, width)``) of ``keys``: the inverse of :meth:`encode` (block by block, in cache)."""
        n = keys.shape[0]
        grid = np.zeros((n, self.width), dtype=np.uint8)
        for position, size in enumerate(self.sizes):
            if size == 1 and self._held[position]:
                grid[:, position] = self.lo[position]  # (a position with only the end of a text stays 0)
        for lo_row in range(0, n, _DECODE_BLOCK):
            hi_row = min(lo_row + _DECODE_BLOCK, n)
            block = grid[lo_row:hi_row]
            for w, span in enumerate(self.words):
                key = keys[lo_row:hi_row, w].copy()
                for position in reversed(span):
                    base = np.uint64(self.sizes[position])
                    quotient = key // base
                    digit = key - quotient * base
                    key = quotient
                    lo = int(self.lo[position])
                    if self.pad[position]:
                        block[:, position] = np.where(digit == 0, 0, digit + np.uint64(lo - 1))
                    else:
                        block[:, position] = digit + np.uint64(lo)
        return grid


@dataclass(frozen=True, eq=False)
class KeyPart:
    """Rows as codes (``-1`` for a blank text) into ``uniq``: sorted distinct keys (``(m, words)``) of ``radix``.

    ``complete``: every key of ``uniq`` is some row's (then nothing needs dropping when parts merge).
    """

    codes: npt.NDArray[np.int32] | _I64
    uniq: _U64
    radix: Radix
    complete: bool = True


@dataclass(frozen=True, eq=False)
class TextPart:
    """Rows as codes (``-1`` for blank) into ``texts``: distinct texts, not necessarily sorted (``U`` or ``S``)."""

    codes: npt.NDArray[np.int32] | _I64
    texts: npt.NDArray[Any]


Part = KeyPart | TextPart


def utf8(texts: npt.NDArray[Any]) -> npt.NDArray[np.bytes_]:
    """A ``U`` array encoded as UTF-8 (``S``, as wide as its longest text), vectorised when it is all ASCII.

    ``numpy.strings.encode`` calls ``str.encode`` once per text; an ASCII array is only narrowed.

    >>> utf8(np.array(["ab", "c", ""])).tolist(), utf8(np.array(["é"])).tolist()
    ([b'ab', b'c', b''], [b'\\xc3\\xa9'])
    """
    width = texts.dtype.itemsize // 4
    if texts.dtype.kind != "U" or not texts.size or not width:
        out: npt.NDArray[np.bytes_] = np.strings.encode(texts, "utf-8") if texts.dtype.kind == "U" else texts
        return out
    points = np.ascontiguousarray(texts).view(np.uint32).reshape(-1, width)
    if int(points.max()) >= 128:
        return np.strings.encode(texts, "utf-8")
    used = np.flatnonzero(points.any(axis=0))
    keep = int(used[-1]) + 1 if used.size else 1
    return np.ascontiguousarray(points[:, :keep], dtype=np.uint8).view(f"S{keep}").reshape(texts.shape)


def grid_of(texts: npt.NDArray[Any]) -> _U8:
    """The ``(n, width)`` byte grid of an ``S`` array (``U`` is encoded as UTF-8 first)."""
    if texts.dtype.kind == "U":
        texts = utf8(texts)
    width = texts.dtype.itemsize
    if texts.shape[0] == 0 or width == 0:
        return np.zeros((texts.shape[0], 0), dtype=np.uint8)
    return np.ascontiguousarray(texts).view(np.uint8).reshape(texts.shape[0], width)


def unique_inverse(values: npt.NDArray[Any], runs: bool = False) -> tuple[npt.NDArray[Any], _I64]:
    """``numpy.unique(values, return_inverse=True)`` for a 1-d array, by one (unstable) argsort.

    With numpy 2.4, ``numpy.unique`` with ``return_inverse`` takes about three times as long on
    ten million 64-bit keys; the order among equal values does not matter for the inverse.
    ``runs``: the values are a few ascending runs one after another, which a stable argsort merges.

    >>> uniq, inverse = unique_inverse(np.array([5, 3, 5]))
    >>> uniq.tolist(), inverse.tolist()
    ([3, 5], [1, 0, 1])
    """
    if values.size == 0:
        return values.copy(), np.empty(0, dtype=np.int64)
    order = np.argsort(values, kind="stable" if runs else "quicksort")
    ordered = values[order]
    starts = np.empty(ordered.size, dtype=bool)
    starts[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    inverse = np.empty(values.size, dtype=np.int64)
    inverse[order] = np.cumsum(starts, dtype=np.int64) - 1
    return ordered[starts], inverse


def _unique_rows(keys: _U64, limits: tuple[int, ...] = ()) -> tuple[_U64, _I64]:
    """Sorted distinct rows of a ``(n, words)`` key array, and each row's place among them.

    ``limits`` bound each word's keys (:attr:`Radix.limits`): when a one-word key and a row number
    fit in 64 bits together, one plain sort of both does what a slower argsort would.
    """
    if keys.shape[1] == 1:
        n = keys.shape[0]
        shift = max(n - 1, 1).bit_length()
        if limits and n and limits[0] <= 1 << (64 - shift):
            return _unique_packed(keys[:, 0], shift)
        uniq, inverse = unique_inverse(keys[:, 0])
        return uniq[:, None], inverse
    n = keys.shape[0]
    if n == 0:
        return keys.copy(), np.empty(0, dtype=np.int64)
    order = np.lexsort(keys.T[::-1])
    ordered = keys[order]
    starts = np.ones(n, dtype=bool)
    starts[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.cumsum(starts, dtype=np.int64) - 1
    return ordered[starts], inverse


def _unique_packed(keys: _U64, shift: int, runs: bool = False) -> tuple[_U64, _I64]:
    """:func:`unique_inverse` of keys below ``2**(64 - shift)``: each key and its row number as one integer, sorted.

    ``runs``: the keys are a few ascending runs one after another (each part's sorted distinct keys),
    sorted with :func:`_runs_sort_kind` (the packed integers are distinct: either sort gives the same).
    """
    n = keys.shape[0]
    packed = np.left_shift(keys, np.uint64(shift))
    packed |= np.arange(n, dtype=np.uint64)
    packed.sort(kind=("stable" if n < _MEASURED_FROM else _runs_sort_kind()) if runs else "quicksort")
    ordered = packed >> np.uint64(shift)
    starts = np.empty(n, dtype=bool)
    starts[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    inverse = np.empty(n, dtype=np.int64)
    inverse[(packed & np.uint64((1 << shift) - 1)).view(np.int64)] = np.cumsum(starts, dtype=np.int64) - 1
    return ordered[starts][:, None], inverse


def mix(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """A 64-bit finaliser (xor-shift-multiply, splitmix64's), in place on ``x`` (wrapping arithmetic); returns ``x``.

    >>> mix(np.arange(3, dtype=np.uint64)).tolist()[0], len(set(mix(np.arange(1000, dtype=np.uint64)).tolist()))
    (0, 1000)
    """
    tmp = np.right_shift(x, np.uint64(30))
    x ^= tmp
    x *= np.uint64(0xBF58476D1CE4E5B9)
    np.right_shift(x, np.uint64(27), out=tmp)
    x ^= tmp
    x *= np.uint64(0x94D049BB133111EB)
    np.right_shift(x, np.uint64(31), out=tmp)
    x ^= tmp
    return x


@functools.cache
def _runs_sort_kind() -> Literal["stable", "quicksort"]:
    """The faster of numpy's two sorts, on this machine, for distinct 64-bit integers in a few ascending runs.

    numpy's stable sort (a timsort for 64-bit integers) merges runs rather than sorting them: about
    five times as fast as its default sort on a CPU without AVX-512 (13 ms against 65 ms for ten
    runs of 100,000 keys). Where the CPU has AVX-512 the default sort is a vectorised one and twice
    as fast as the merging (12 ms against 25 ms). Which one this machine has is measured once, on
    eight runs of 4,096 keys (a few milliseconds, spent only by a merge of at least
    :data:`_MEASURED_FROM` keys); the default sort must win clearly to be chosen.

    >>> _runs_sort_kind() in ("stable", "quicksort")
    True
    """
    n = 8 << 12
    scattered = mix(np.arange(1, n + 1, dtype=np.uint64)) >> np.uint64(24)  # (random-like keys, without numpy.random)
    runs = np.sort(scattered.reshape(8, -1), axis=1).ravel()
    keys = runs << np.uint64(20) | np.arange(n, dtype=np.uint64)
    best: dict[Literal["stable", "quicksort"], float] = {}
    for _ in range(3):
        for kind in ("stable", "quicksort"):
            trial = keys.copy()
            start = time.perf_counter()
            trial.sort(kind=kind)
            best[kind] = min(best.get(kind, math.inf), time.perf_counter() - start)
    return "quicksort" if best["quicksort"] < 0.8 * best["stable"] else "stable"


def key_part(grid: _U8, blank: npt.NDArray[np.bool_] | None = None, radix: Radix | None = None) -> KeyPart:
    """The part of the texts in the rows of ``grid``; ``blank`` rows get code -1.

    ``radix`` is used when it covers the grid's values (so that parts of one column share it and
    their keys merge without re-encoding); otherwise the grid's own radix (joined with ``radix``).
    """
    rows = grid if blank is None or not blank.any() else grid[~blank]
    keys = None if radix is None else radix.try_encode(rows)
    chosen = radix
    if keys is None:  # the first part, or one with bytes the shared radix cannot hold
        own = Radix.of(rows)
        chosen = own if radix is None else radix.union(own)
        keys = chosen.encode(_widen(rows, chosen.width))
    assert chosen is not None
    uniq, inverse = _unique_rows(keys, chosen.limits)
    if rows is grid:
        codes = inverse.astype(np.int32)
    else:
        assert blank is not None
        codes = np.full(grid.shape[0], -1, dtype=np.int32)
        codes[~blank] = inverse
    return KeyPart(codes, uniq, chosen)


def text_part(texts: npt.NDArray[Any]) -> KeyPart:
    """The part of an ``S`` or ``U`` array of texts (empty texts are blank).

    >>> text_part(np.array(["b", "a", "b"])).codes.tolist()
    [1, 0, 1]
    """
    grid = grid_of(texts)
    blank = grid[:, 0] == 0 if grid.shape[1] else np.ones(grid.shape[0], dtype=bool)
    return key_part(grid, blank)


def _as_text_part(part: Part) -> TextPart:  # (a key part's texts; unused ones are dropped in the merge)
    if isinstance(part, TextPart):
        return part
    return TextPart(part.codes, _as_bytes(part.radix.decode(part.uniq)))


def _as_bytes(grid: _U8) -> npt.NDArray[np.bytes_]:
    width = grid.shape[1]
    if width == 0:
        return np.zeros(grid.shape[0], dtype="S1")
    return np.ascontiguousarray(grid).view(f"S{width}").ravel()


def merge(parts: Sequence[Part]) -> tuple[_I64, npt.NDArray[Any]]:
    """Every row's code (``int64``, -1 for blank) into the sorted distinct texts of all the parts.

    The texts are an ``S`` array (UTF-8 bytes) when every part has keys, else a ``U`` array; a
    distinct text no row uses is dropped, so the result depends only on the rows' texts.
    """
    if not parts:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype="S1")
    if all(isinstance(p, KeyPart) for p in parts):
        return _merge_keys([p for p in parts if isinstance(p, KeyPart)])
    return _merge_texts([_as_text_part(p) for p in parts])


def _final_radix(parts: Sequence[KeyPart]) -> Radix:
    radix = parts[0].radix
    for part in parts[1:]:
        if part.radix is not radix and not radix.covers(part.radix):
            radix = radix.union(part.radix)
    return radix


def _merge_keys(parts: list[KeyPart]) -> tuple[_I64, npt.NDArray[Any]]:
    radix = _final_radix(parts)
    every = [p.uniq if p.radix is radix else radix.encode(_widen(p.radix.decode(p.uniq), radix.width)) for p in parts]
    if every[0].shape[1] != 1:
        return _merge_rows(parts, every, radix)
    flat = [u[:, 0] for u in every]
    total = sum(u.shape[0] for u in flat)
    # the keys are cut into ranges by value (at quantiles of a sample), each range sorted on its
    # own, the ranges shared between two threads (numpy sorts without holding the GIL); a range
    # whose keys (less its lowest) and positions fit in 64 bits together is sorted with one plain
    # sort of both, far faster than an argsort; a range holds one ascending run per part, sorted
    # with the sort measured faster for runs on this machine (measured here, before the threads start)
    if total >= _MEASURED_FROM:
        _runs_sort_kind()
    ranges = _ranges(flat, total, radix.limits[0])
    bounds = _bounds(flat, ranges)
    count = len(ranges) + 1

    # each range's places are kept until every part is renumbered: as int32 where they fit (half the memory)
    place = np.int32 if total < 1 << 31 else np.int64

    def sort_range(k: int) -> tuple[_U64, npt.NDArray[np.signedinteger[Any]]]:
        pieces = [u[b[k] : b[k + 1]] for u, b in zip(flat, bounds, strict=True)]
        keys = np.concatenate(pieces) if pieces else np.empty(0, np.uint64)
        if not keys.size:
            return keys, np.empty(0, dtype=place)
        base = keys.min()
        span = int(keys.max()) - int(base) + 1
        shift = max(keys.shape[0] - 1, 1).bit_length()
        if span <= 1 << (64 - shift):
            uniq, inverse = _unique_packed(keys - base, shift, runs=True)
            return uniq[:, 0] + base, inverse.astype(place)
        uniq, inverse = unique_inverse(keys, runs=True)
        return uniq, inverse.astype(place)

    def sort_ranges(which: range) -> list[tuple[_U64, npt.NDArray[np.signedinteger[Any]]]]:
        return [sort_range(k) for k in which]

    middle = (count + 1) // 2
    upper = Background(lambda: sort_ranges(range(middle, count)), "casetime-merge-keys") if count > 1 else None
    done = sort_ranges(range(middle)) + (upper.result() if upper is not None else [])
    keys = np.concatenate([u for u, _ in done])[:, None]
    complete = all(p.complete for p in parts)
    # the texts are made on a helper thread while the rows' codes are made here
    texts = Background(lambda: _as_bytes(radix.decode(keys)), "casetime-decode-keys", thread=complete and count > 1)
    firsts = np.cumsum([0, *(u.shape[0] for u, _ in done)])
    for k, (_, inverse) in enumerate(done):
        inverse += firsts[k]  # each range's codes follow the ones before it
    codes = np.empty(sum(p.codes.shape[0] for p in parts), dtype=np.int64)
    at = 0
    taken = [0] * count
    for part, b in zip(parts, bounds, strict=True):
        pieces = []
        for k in range(count):
            size = b[k + 1] - b[k]
            pieces.append(done[k][1][taken[k] : taken[k] + size])
            taken[k] += size
        remap = np.concatenate([*pieces, _NO_CODE])  # (int64 on every platform: the codes are)
        _remap_into(remap, part.codes, codes[at : at + part.codes.shape[0]])
        at += part.codes.shape[0]
    if complete:
        return codes, texts.result()
    return _drop_unused(codes, keys, radix)


def _ranges(flat: list[_U64], total: int, limit: int) -> list[int]:
    """Where to cut the keys into ranges (ascending cut points) so that each range sorts fast.

    At least two ranges from :data:`SPLIT_KEYS` keys on (one per thread), and enough that a
    range's keys and positions fit in 64 bits together, as far as a sample of the keys tells, and
    that a range holds about :data:`RANGE_KEYS` keys at most (the two threads sort one range each
    at a time, so the memory the sort needs does not grow with the file).
    """
    if total < SPLIT_KEYS:
        return []
    wanted = 2
    while wanted < 64 and ((limit // wanted) * (total // wanted) * 4 >= 1 << 64 or total > wanted * RANGE_KEYS):
        wanted *= 2
    sample = np.sort(np.concatenate([u[:: max(u.shape[0] // 256, 1)] for u in flat]))
    cuts = sample[[sample.shape[0] * k // wanted for k in range(1, wanted)]]
    return sorted({int(c) for c in cuts.tolist()})


def _bounds(flat: list[_U64], cuts: list[int]) -> list[list[int]]:
    """Where each part's sorted keys cross the cut points: ``[0, keys below cut 1, keys below cut 2, ..., all]``.

    The cuts are compared as 64-bit unsigned integers: given a Python int below ``2**63``, numpy
    compares every key as a float64 (about 100 us a call on 100,000 keys; the ranges stay in order,
    as rounding keeps it, but a key and a cut can read as equal).

    >>> _bounds([np.array([3, 5, 9], dtype=np.uint64)], [5, 10])
    [[0, 1, 3, 3]]
    """
    at = np.array(cuts, dtype=np.uint64)
    return [[0, *np.searchsorted(u, at).tolist(), u.shape[0]] for u in flat]


def _widen(grid: _U8, width: int) -> _U8:
    if grid.shape[1] == width:
        return grid
    out = np.zeros((grid.shape[0], width), dtype=np.uint8)
    out[:, : grid.shape[1]] = grid
    return out


def _merge_rows(parts: list[KeyPart], every: list[_U64], radix: Radix) -> tuple[_I64, npt.NDArray[Any]]:
    """:func:`merge` for keys of several words: one sort of every part's distinct keys, word by word."""
    uniq, inverse = _unique_rows(np.concatenate(every))
    codes = _recode([p.codes for p in parts], inverse, [keys.shape[0] for keys in every])
    if all(p.complete for p in parts):
        return codes, _as_bytes(radix.decode(uniq))
    return _drop_unused(codes, uniq, radix)


def _remap_into(remap: _I64, codes: npt.NDArray[Any], out: _I64) -> None:
    """``out[i] = remap[codes[i]]``, where ``remap`` ends with the code of a blank row, which code -1 takes.

    ``mode="wrap"``: -1 wraps round to the last entry, and every other code is in range by
    construction. (With ``out`` and the default ``mode="raise"``, numpy buffers the output and checks
    every index: 4-5 times as slow, about 0.7 against 0.16 ms for 97,000 codes.)

    >>> out = np.empty(3, dtype=np.int64)
    >>> _remap_into(np.array([5, 7, -1]), np.array([1, -1, 0], dtype=np.int32), out)
    >>> out.tolist()
    [7, -1, 5]
    """
    np.take(remap, as_intp(codes), out=out, mode="wrap")


def _recode(part_codes: list[npt.NDArray[Any]], inverse: _I64, sizes: list[int]) -> _I64:
    """Every part's row codes in the merged numbering, one array (code -1 stays -1).

    Part ``k`` holds ``sizes[k]`` distinct values; its value ``j`` is merged value
    ``inverse[sum(sizes[:k]) + j]``.
    """
    codes = np.empty(sum(c.shape[0] for c in part_codes), dtype=np.int64)
    at = start = 0
    for own, size in zip(part_codes, sizes, strict=True):
        _remap_into(np.append(inverse[start : start + size], -1), own, codes[at : at + own.shape[0]])
        start += size
        at += own.shape[0]
    return codes


def _used_only(codes: _I64, count: int) -> tuple[_I64, npt.NDArray[np.bool_] | None]:
    """Codes renumbered to the values some row uses, and which of the ``count`` values those are (``None``: all)."""
    used = np.bincount(as_intp(codes + 1), minlength=count + 1)[1:] > 0
    if used.all():
        return codes, None
    renumber = np.append(np.cumsum(used, dtype=np.int64) - 1, -1)
    return renumber[codes], used


def _drop_unused(codes: _I64, keys: _U64, radix: Radix) -> tuple[_I64, npt.NDArray[np.bytes_]]:
    """The texts of the keys some row uses (a part may hold texts of rows it no longer has), codes renumbered."""
    codes, used = _used_only(codes, keys.shape[0])
    return codes, _as_bytes(radix.decode(keys if used is None else keys[used]))


def _merge_texts(parts: list[TextPart]) -> tuple[_I64, npt.NDArray[Any]]:
    """:func:`merge` when some part holds texts (not keys): one sort of the parts' distinct texts."""
    texts = [p.texts for p in parts]
    if any(t.dtype.kind == "U" for t in texts):
        texts = [np.strings.decode(t, "utf-8") if t.dtype.kind == "S" else t for t in texts]
    every = np.concatenate(texts)
    uniq, inverse = np.unique(every, return_inverse=True)
    inverse = inverse.ravel().astype(np.int64, copy=False)
    codes, used = _used_only(_recode([p.codes for p in parts], inverse, [t.shape[0] for t in texts]), uniq.shape[0])
    return codes, (uniq if used is None else uniq[used])


def strings(texts: npt.NDArray[Any]) -> npt.NDArray[np.object_]:
    """Texts (``S`` holding UTF-8, or ``U``) as an object array of Python strings.

    Bytes are decoded one block at a time and split at NULs (which no text holds): much faster
    than converting through a ``U`` array.

    >>> strings(np.array([b"A1", b"Zo\\xc3\\xab"])).tolist()
    ['A1', 'Zoë']
    """
    out = np.empty(texts.shape[0], dtype=object)
    if texts.dtype.kind != "S" or texts.shape[0] == 0 or texts.dtype.itemsize == 0:
        out[:] = texts.astype(str).tolist() if texts.dtype.kind != "S" else [""] * texts.shape[0]
        return out
    width = texts.dtype.itemsize
    for lo in range(0, texts.shape[0], _STR_BLOCK):
        block = np.ascontiguousarray(texts[lo : lo + _STR_BLOCK])
        k = block.shape[0]
        grid = np.zeros((k, width + 1), dtype=np.uint8)
        grid[:, :width] = block.view(np.uint8).reshape(k, width)
        keep = grid != 0
        keep[:, width] = True  # one NUL after each text
        pieces = grid[keep].tobytes().decode("utf-8").split("\x00")
        pieces.pop()
        out[lo : lo + k] = pieces
    return out
