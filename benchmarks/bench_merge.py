"""The child ids' final merge (issue 9): ``casetime._keys.merge`` over a real load's parts, by range size.

A reader keys each chunk's child ids on its own (sorted distinct keys and each row's code); the
merge joins the chunks' keys into one sorted set, cutting them into value ranges that two threads
sort one at a time (``casetime._keys.RANGE_KEYS`` keys a range at most). This script loads an
initial-assessment CSV once (``bench_load.generate`` writes one), keeps the child-id parts the
reader made, and times the merge of them with each ``--range-keys`` value (powers of two), beside
``numpy.unique(keys, return_inverse=True)`` over the same keys (the parts' keys, concatenated)
with each part's row codes taken through it, in the same process (the merge also makes the
texts). It checks that every range size gives the same codes and texts.

    python -c "import sys; sys.path.insert(0, 'benchmarks'); from bench_load import generate; \
        from pathlib import Path; generate(Path('/tmp/ia_iso_13.csv'), 1_000_000, 'iso', 13)"
    python benchmarks/bench_merge.py /tmp/ia_iso_13.csv
    python benchmarks/bench_merge.py /tmp/ia_iso_13.csv --range-keys 16,17,20 --repeat 7
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np
from harness import machine

import casetime
import casetime._keys as keys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path, help="an initial-assessment CSV")
    parser.add_argument("--range-keys", default="16,17,18,20", help="powers of two to try (default 16,17,18,20)")
    parser.add_argument("--repeat", type=int, default=5, help="timed merges per setting (default 5)")
    args = parser.parse_args()
    for name, value in machine(("pyarrow",)).items():
        print(f"{name:9} {value}")

    kept: list[list[Any]] = []
    merge_keys = keys._merge_keys

    def keep(parts: list[Any]) -> Any:
        if not kept:  # (the first merge of a load is the child ids')
            kept.append(list(parts))
        return merge_keys(parts)

    keys._merge_keys = keep
    casetime.load(args.path, record_type="ia", dayfirst="dmy" in args.path.name)
    keys._merge_keys = merge_keys
    parts = kept[0]
    flat = np.concatenate([p.uniq[:, 0] for p in parts]) if parts[0].uniq.shape[1] == 1 else None
    print(
        f"\n{args.path.name}: {len(parts)} parts, {sum(p.uniq.shape[0] for p in parts):,} keys, "
        f"{sum(p.codes.shape[0] for p in parts):,} rows"
    )

    def timed(fn: Any) -> tuple[list[float], Any]:
        times, out = [], None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - t0)
        return times, out

    base = None
    if flat is not None:
        sizes = np.cumsum([0, *(p.uniq.shape[0] for p in parts)])

        def plain() -> Any:  # (the row codes only: merge makes the texts too)
            _, inverse = np.unique(flat, return_inverse=True)
            return [np.append(inverse[a:b], -1)[p.codes] for p, a, b in zip(parts, sizes[:-1], sizes[1:], strict=True)]

        times, _ = timed(plain)
        base = statistics.median(times)
        label = "numpy.unique(keys), then the rows' codes"
        print(f"{label:42} median {base * 1000:7.1f} ms, best {min(times) * 1000:7.1f} ms")
    first = None
    for power in (int(p) for p in args.range_keys.split(",")):
        keys.RANGE_KEYS = 1 << power  # type: ignore[misc]
        times, (codes, texts) = timed(lambda: keys.merge(parts))
        if first is None:
            first = (codes, texts)
        elif not (np.array_equal(codes, first[0]) and np.array_equal(texts, first[1])):
            raise SystemExit(f"RANGE_KEYS 1 << {power} merged differently")
        median = statistics.median(times)
        ratio = f", {median / base:.2f}x the numpy way's time" if base else ""
        print(
            f"{f'merge, RANGE_KEYS = 1 << {power}':42} median {median * 1000:7.1f} ms, best {min(times) * 1000:7.1f} ms"
            f"{ratio} ({len(texts):,} distinct)"
        )


if __name__ == "__main__":
    main()
