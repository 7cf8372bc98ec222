"""Exact duplicate records, found by hashing every row and comparing the rows that share a hash exactly.

A hash collision can never make two different records duplicates: the digests only pick the
candidates, which are then compared column by column.

>>> from casetime.tables import Table
>>> t = Table.from_columns("ia", {"child_id": ["A", "B", "A"], "referral_date": ["2009-01-05"] * 3})
>>> later, first = find_duplicates(t)
>>> later.tolist(), first.tolist()
([2], [0])
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from casetime._compat import as_intp
from casetime._keys import mix
from casetime.tables import Table
from casetime.validation.findings import date_fields

__all__ = ["find_duplicates", "salt"]

_OPEN: Final = int(np.iinfo(np.int64).max)

_BLOCK: Final = 1 << 16  # rows per block when hashing


def salt(k: int) -> np.uint64:
    """An odd 64-bit multiplier for column ``k``: splitmix64 of ``k``, so the columns' salts are unrelated."""
    z = (0x9E3779B97F4A7C15 * (k + 1)) % 2**64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) % 2**64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) % 2**64
    return np.uint64((z ^ (z >> 31)) | 1)


def find_duplicates(table: Table) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Exact duplicates: hash every row, then compare the rows sharing a hash exactly.

    Returns the positions of the later copies (ascending) and, for each, the
    position of its first copy.
    """
    n = len(table)
    none = np.empty(0, dtype=np.int64)
    if n < 2:
        return none, none
    columns = [table.child.codes] + [table.days(f) for f in date_fields(table)]
    columns += [table.extra[name].codes for name in sorted(table.extra)]
    # a column holding one value seen n times (a date column the input lacked) tells no rows apart:
    # left out, it is never copied out of its broadcast
    columns = columns[:1] + [col for col in columns[1:] if col.strides != (0,)]
    review_sum = None
    if table.reviews is not None:
        offsets = table.reviews.offsets
        columns.append(np.diff(offsets).astype(np.int64))
        # an order-free digest of each row's reviews (the order of reviews carries no meaning)
        mixed = mix(table.reviews.values.view(np.int64).astype(np.uint64))
        cum = np.concatenate((np.zeros(1, dtype=np.uint64), np.cumsum(mixed, dtype=np.uint64)))
        review_sum = cum[offsets[1:]] - cum[offsets[:-1]]
    # a salted sum of the columns, mixed once: equal rows get equal digests; unequal rows rarely do,
    # and when they do the exact comparison below tells them apart. Digests are made in blocks, so
    # temporaries stay small and in cache (fresh memory is slow to touch on these machines).
    salts = [salt(k) for k in range(len(columns))]
    words = [np.ascontiguousarray(col, dtype=np.int64).view(np.uint64) for col in columns]
    spread = np.empty(min(n, _BLOCK), dtype=np.uint64)

    def digest_block(lo: int, hi: int, out: npt.NDArray[np.uint64]) -> None:
        tmp = spread[: hi - lo]
        np.multiply(words[0][lo:hi], salts[0], out=out)
        for word, salt in zip(words[1:], salts[1:], strict=True):
            np.multiply(word[lo:hi], salt, out=tmp)
            out += tmp
        if review_sum is not None:
            out ^= mix(review_sum[lo:hi].copy())
        out[:] = mix(out)

    # rows whose digest occurs more than once are the only candidates: sort the digests' high 32 bits
    # in place (half the memory of the full digests; the few extra chance matches are weeded out by
    # the exact comparison) and keep the repeated values
    ordered = np.empty(n, dtype=np.uint32)
    block = np.empty(min(n, _BLOCK), dtype=np.uint64)
    for lo in range(0, n, _BLOCK):
        hi = min(lo + _BLOCK, n)
        digest_block(lo, hi, block[: hi - lo])
        np.right_shift(block[: hi - lo], np.uint64(32), out=block[: hi - lo])
        ordered[lo:hi] = block[: hi - lo]
    ordered.sort()
    repeated = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    del ordered
    if not repeated.size:
        return none, none
    # then make the digests again block by block: a bit table on their low bits screens out most
    # rows with one gather, and only the rows it lets through are looked up exactly
    size = 1 << max(10, min(24, int(repeated.size * 16).bit_length()))
    low = np.uint64(size - 1)
    seen = np.zeros(size, dtype=bool)
    seen[(repeated.astype(np.uint64) & low).view(np.int64)] = True
    index = np.empty(min(n, _BLOCK), dtype=np.uint64)
    pieces = []
    for lo in range(0, n, _BLOCK):
        hi = min(lo + _BLOCK, n)
        out = block[: hi - lo]
        digest_block(lo, hi, out)
        np.right_shift(out, np.uint64(32), out=out)
        np.bitwise_and(out, low, out=index[: hi - lo])
        hit = np.flatnonzero(np.take(seen, as_intp(index[: hi - lo].view(np.int64))))
        if hit.size:
            found = out[hit]
            slot = np.minimum(np.searchsorted(repeated, found), repeated.size - 1)
            pieces.append(hit[repeated[slot] == found] + lo)
    cand = np.concatenate(pieces).astype(np.int64) if pieces else np.empty(0, dtype=np.int64)
    # exact comparison of the candidates: sort by every column, position last
    keys = [c[cand] for c in columns]
    if table.reviews is not None:
        keys += _review_matrix(table, cand)
    sub = np.lexsort([cand, *reversed(keys)])
    equal = np.ones(sub.size - 1, dtype=bool)
    for key in keys:
        part = key[sub]
        equal &= part[1:] == part[:-1]
    if not equal.any():
        return none, none
    run_start = np.concatenate(([True], ~equal))
    first = cand[sub][np.maximum.accumulate(np.where(run_start, np.arange(sub.size), 0))]
    later = cand[sub][1:][equal]
    first_of_later = first[1:][equal]
    order = np.argsort(later)
    return later[order], first_of_later[order]


def _review_matrix(table: Table, rows: npt.NDArray[np.int64]) -> list[npt.NDArray[np.int64]]:
    """The reviews of ``rows`` sorted within each row, padded: one column per review slot."""
    assert table.reviews is not None
    offsets, values = table.reviews.offsets, table.reviews.values.view(np.int64)
    counts = offsets[rows + 1] - offsets[rows]
    width = int(counts.max()) if counts.size else 0
    if width == 0:
        return []
    slot = np.arange(width, dtype=np.int64)
    take = np.minimum(offsets[rows][:, None] + slot[None, :], max(values.shape[0] - 1, 0))
    matrix = np.where(slot[None, :] < counts[:, None], values[take], _OPEN)
    matrix.sort(axis=1)
    return [matrix[:, j] for j in range(width)]
