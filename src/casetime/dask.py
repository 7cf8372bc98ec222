"""Scale out with Dask: one task per partition (a council's files), merged exactly on the workers.

:func:`compute_all` takes a ``distributed.Client`` and a list of files or folders, one partition
each. It scatters the calendar to every worker once; each task loads and validates one partition
(:func:`casetime.load`), computes the indicators (:func:`casetime.compute_all`) and keeps only the
numbers (:meth:`~casetime.results.Results.without_records`); the parts are merged in a tree on the
workers, and the client receives one :class:`DaskResults`: the merged results, exactly what one
process computing on every partition at once gives (children counted once, NI64's child sets
included), and the merged data-quality counts (reconciliation and findings by rule, not the
row-level reports).

A partition must hold whole children, with child ids unique across partitions. Ids that are unique
only within a council are made unique with ``id_prefix`` (one text per partition, such as the
council code: ``E09000003:C000123``, see :func:`with_id_prefix`); without it, the child ids seen
in more than one partition are counted on the workers and a :class:`SharedChildrenWarning` says
how many (never which). See docs/scale.md for the recipe and the timings.

It needs ``distributed`` only for the client (``pip install 'casetime[dask]'``): this module
imports neither ``dask`` nor ``distributed``. What a cluster run looks like::

    from distributed import Client
    import casetime.dask

    client = Client(n_workers=2)
    done = casetime.dask.compute_all(client, ["E09000003", "E09000004"], "2008/09",
                                     id_prefix=["E09000003", "E09000004"])
    done.results["NI59"].total().display, done.quality.rows_read

>>> ex = with_id_prefix(load({"child_id": ["A", "B"], "referral_date": ["05/01/2009"] * 2,
...                           "completion_date": ["14/01/2009", None]}, record_type="ia"), "E09000003")
>>> ex["ia"].child.values().tolist()
['E09000003:A', 'E09000003:B']
"""

from __future__ import annotations

import dataclasses
import os
import uuid
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

import numpy as np
import numpy.typing as npt

from casetime._compat import is_dask_collection
from casetime.calendar import Convention, WorkingCalendar, as_calendar, check_convention
from casetime.engine import compute_all as compute_all_here
from casetime.engine import default_indicators
from casetime.errors import CasetimeError, CasetimeTypeError
from casetime.extract import Extract, load
from casetime.indicators import Indicator, get_indicator
from casetime.periods import Period, as_period
from casetime.quality import UNKNOWN_TYPE, Notice, QualityCounts, QualityReport
from casetime.rag import RagRule
from casetime.results import MergeError, Results, merge_results, sorted_unique
from casetime.schema import RECORD_TYPES
from casetime.tables import Labels, Table

__all__ = [
    "FAN_IN",
    "ID_SEPARATOR",
    "LOAD_OPTIONS",
    "ClientLike",
    "DaskResults",
    "PartitionError",
    "SharedChildrenWarning",
    "compute_all",
    "with_id_prefix",
]

#: Between a partition's prefix and a child id: ``E09000003:C000123``. A prefix may not hold it, so
#: two partitions' prefixed ids can never meet.
ID_SEPARATOR: Final = ":"
#: How many parts one merge task takes: 150 partitions merge in three levels of tasks.
FAN_IN: Final = 8
#: The keyword arguments of :func:`casetime.load` that ``load_options`` may give (the same for every partition).
LOAD_OPTIONS: Final = ("record_type", "columns", "dayfirst", "date_format", "engine", "strict")

_Bytes = npt.NDArray[np.bytes_]


class ClientLike(Protocol):
    """What :func:`compute_all` uses of a ``distributed.Client``."""

    def scatter(self, data: Any, *, broadcast: bool = ..., hash: bool = ...) -> Any:
        """Send ``data`` to the workers; a future."""
        ...

    def submit(self, func: Callable[..., Any], /, *args: Any, key: str = ..., priority: int = ...) -> Any:
        """Run ``func(*args)`` on a worker (futures among the arguments are their values there); a future."""
        ...


class SharedChildrenWarning(UserWarning):
    """Some child ids appear in more than one partition: children split between partitions, or ids unique
    only within a council (give ``id_prefix``). The message says how many, never which."""


class PartitionError(CasetimeError):
    """A partition could not be loaded or computed: the message names it, then says what was wrong.

    >>> str(PartitionError("E09000003", "the directory holds no .csv files"))
    'partition E09000003: the directory holds no .csv files'
    """

    def __init__(self, partition: str, detail: str) -> None:
        self.partition = partition
        self.detail = detail
        super().__init__(f"partition {partition}: {detail}")

    def __reduce__(self) -> tuple[Any, ...]:  # (raised on a worker, it travels to the client)
        return (type(self), (self.partition, self.detail))


@dataclass(frozen=True, eq=False)
class DaskResults:
    """What :func:`compute_all` returns.

    ``results`` are the merged results (:class:`~casetime.results.Results`, without records: no
    ``cases()``); ``quality`` the merged reconciliation and counts by rule
    (:class:`~casetime.quality.QualityCounts`, reconciliation in the order one :func:`casetime.load`
    of every partition gives); ``notices`` the file-level warnings of every partition;
    ``partitions`` how many there were; ``shared_children`` how many child ids appear in more than
    one partition (``0``, not counted, with ``id_prefix``).
    """

    results: Results
    quality: QualityCounts
    notices: tuple[Notice, ...]
    partitions: int
    shared_children: int

    def __repr__(self) -> str:
        head = (
            f"DaskResults({self.partitions:,} partitions, {self.quality.rows_read:,} rows read, "
            f"{self.shared_children:,} shared children)"
        )
        return "\n".join([head, repr(self.results)])


def _prefixed(labels: Labels, prefix: str) -> Labels:
    """The column with ``prefix`` before every label: still sorted and distinct, the codes unchanged."""
    texts = labels.compact()
    if texts is not None and texts.dtype.kind == "S":  # (the readers' UTF-8 texts: no Python string made)
        return Labels.from_texts(labels.codes, np.strings.add(np.bytes_(prefix.encode("utf-8")), texts))
    if texts is not None:
        return Labels.from_texts(labels.codes, np.strings.add(np.str_(prefix), texts))
    words = labels.labels.astype(str) if len(labels.labels) else np.empty(0, dtype="<U1")
    return Labels(labels.codes, np.strings.add(np.str_(prefix), words).astype(object))


def _check_prefix(prefix: object) -> str:
    if not isinstance(prefix, str) or not prefix.strip():
        raise CasetimeError(f"an id prefix must be a non-empty text (such as a council code), not {prefix!r}")
    if ID_SEPARATOR in prefix:
        raise CasetimeError(f"an id prefix may not hold {ID_SEPARATOR!r} (it separates the prefix): {prefix!r}")
    return prefix


def with_id_prefix(extract: Extract, prefix: str) -> Extract:
    """The extract with every child id written ``prefix:id`` (:data:`ID_SEPARATOR`), its findings unchanged.

    The rows, their order and what validation found stay as they are (a prefix shared by every row
    changes no comparison between them); only the ids differ, so that two councils' ``C000123`` are
    two children. Missing ids stay missing.

    >>> ex = load({"child_id": ["C1", None], "start_date": ["2009-01-05"] * 2}, record_type="cpp")
    >>> with_id_prefix(ex, "E09000004")["cpp"].child.values().tolist(), ex["cpp"].child.values().tolist()
    (['E09000004:C1', None], ['C1', None])
    """
    lead = _check_prefix(prefix) + ID_SEPARATOR
    tables = {kind: dataclasses.replace(t, child=_prefixed(t.child, lead)) for kind, t in extract.tables.items()}
    q = extract.quality
    quality = QualityReport(tables, list(q.issue_sets), list(q.rejected), list(q.columns), list(q.notices))
    return dataclasses.replace(extract, tables=tables, quality=quality)


def _distinct(ordered: _Bytes) -> _Bytes:
    """The distinct values of a sorted array."""
    if ordered.size < 2:
        return ordered
    keep = np.empty(ordered.size, dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    out: _Bytes = ordered[keep]
    return out


def _sorted_runs(runs: Sequence[_Bytes]) -> _Bytes:
    """Sorted arrays as one sorted array (a stable sort finds the runs: many times faster than sorting anew)."""
    out: _Bytes = np.sort(np.concatenate([np.empty(0, dtype="S1"), *runs]), kind="stable")
    return out


def _child_ids(tables: Mapping[str, Table]) -> _Bytes:
    """The distinct child ids of every table, sorted, as UTF-8 bytes."""
    runs: list[_Bytes] = []
    for table in tables.values():
        used = sorted_unique(table.child.codes[table.child.codes >= 0])
        texts = table.child.compact()
        if texts is None or texts.dtype.kind != "S":
            words = table.child.labels.astype(str) if len(table.child.labels) else np.empty(0, dtype="<U1")
            texts = np.strings.encode(words, "utf-8")
        runs.append(texts[used])  # (labels are sorted: so are the ids of the rows)
    return _distinct(_sorted_runs(runs))


@dataclass(frozen=True, eq=False)
class _Plan:
    """What every partition's task is told (the same for all)."""

    period: Period
    indicators: tuple[Indicator, ...]
    by: str | tuple[str, ...]
    targets: Mapping[str, object] | None
    rag: RagRule | None
    convention: Convention
    as_at: object
    load_options: Mapping[str, Any]
    count_children: bool


@dataclass(frozen=True, eq=False)
class _Part:
    """One partition's numbers, or several merged: results, quality counts, notices, the record types held."""

    results: Results
    quality: QualityCounts
    notices: tuple[Notice, ...]
    held: frozenset[str]
    children: _Children | None = None


@dataclass(frozen=True, eq=False)
class _Children:
    """The distinct child ids of some partitions, and those among them seen in more than one (kept on the workers)."""

    ids: _Bytes
    shared: _Bytes


def _partition(path: str, prefix: str | None, calendar: WorkingCalendar, plan: _Plan) -> _Part:
    """One task: load and validate one partition, prefix its ids, compute, keep the numbers."""
    try:
        extract = load(path, calendar=calendar, as_at=plan.as_at, **plan.load_options)
        if prefix is not None:
            extract = with_id_prefix(extract, prefix)
        wanted = [i for i in plan.indicators if i.record_type in extract.tables]
        results = Results()
        if wanted:
            results = compute_all_here(
                extract, plan.period, indicators=wanted, by=plan.by, targets=plan.targets, rag=plan.rag,
                convention=plan.convention,
            ).without_records()  # fmt: skip
    except CasetimeError as exc:
        detail = str(exc)
        raise PartitionError(path, detail.removeprefix(f"{path}: ")) from exc
    children = None
    if plan.count_children:
        children = _Children(_child_ids(extract.tables), np.empty(0, dtype="S1"))
    quality = extract.quality
    return _Part(results, quality.counts(), tuple(quality.notices), frozenset(extract.tables), children)


def _merge_parts(*parts: _Part) -> _Part:
    """One merge task: the parts' results (by indicator: a part without an indicator's records has none),
    quality counts and notices."""
    merged = Results()
    ids = list(dict.fromkeys(k for part in parts for k in part.results))
    for ind in ids:
        merged[ind] = merge_results([part.results[ind] for part in parts if ind in part.results])
    quality = sum((part.quality for part in parts[1:]), parts[0].quality)
    notices = tuple(n for part in parts for n in part.notices)
    return _Part(merged, quality, notices, frozenset().union(*(part.held for part in parts)))


def _merge_children(*parts: _Part | _Children) -> _Children:
    """One merge task of the child ids: their union, and the ids seen in more than one partition."""
    found = [p.children if isinstance(p, _Part) else p for p in parts]
    sets = [c for c in found if c is not None]
    together = _sorted_runs([c.ids for c in sets])
    again = _distinct(together[1:][together[1:] == together[:-1]])
    shared = _distinct(_sorted_runs([again, *(c.shared for c in sets)]))
    return _Children(_distinct(together), shared)


def _count_shared(children: _Children | _Part) -> int:
    """The last task: how many ids were seen in more than one partition (the ids stay on the worker)."""
    if isinstance(children, _Part):  # (one partition: nothing to share)
        return 0
    return int(children.shared.size)


def _numbers(part: _Part) -> _Part:
    """The last task: the merged numbers without the child ids (which stay on the worker)."""
    return dataclasses.replace(part, children=None)


def _tree(client: ClientLike, futures: list[Any], merge: Callable[..., Any], name: str) -> Any:
    """Merge futures :data:`FAN_IN` at a time on the workers until one is left."""
    level = 0
    while len(futures) > 1:
        groups = [futures[i : i + FAN_IN] for i in range(0, len(futures), FAN_IN)]
        futures = [
            # (before the partitions still waiting: a merge frees its parts' memory, and the tail is shorter)
            group[0] if len(group) == 1 else client.submit(merge, *group, key=f"{name}-{level}-{j}", priority=1)
            for j, group in enumerate(groups)
        ]
        level += 1
    return futures[0]


def _inputs(inputs: object) -> list[str]:
    if is_dask_collection(inputs):
        raise CasetimeTypeError(
            "casetime.dask.compute_all reads partitions from files: write the Dask DataFrame as one folder per "
            "council (whole children in each), then give the list of folders"
        )
    if isinstance(inputs, (str, bytes, os.PathLike)) or not isinstance(inputs, Sequence):
        raise CasetimeTypeError(
            f"inputs must be a list of files or folders, one per partition, not {type(inputs).__name__}"
        )
    paths: list[str] = []
    for item in inputs:
        if not isinstance(item, (str, os.PathLike)):
            raise CasetimeTypeError(f"each input must be a file or folder path, not {type(item).__name__}")
        paths.append(os.fspath(item))
    if not paths:
        raise CasetimeError("casetime.dask.compute_all needs at least one partition (a file or folder)")
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        more = f" (and {len(missing) - 1:,} more)" if len(missing) > 1 else ""
        raise CasetimeError(f"partition {missing[0]}: no such file or folder{more}")
    seen: set[str] = set()
    for p in paths:
        real = os.path.realpath(p)
        if real in seen:
            raise CasetimeError(f"partition {p} is given twice: its records would be counted twice")
        seen.add(real)
    return paths


def _prefixes(id_prefix: Sequence[str] | None, count: int) -> list[str | None]:
    if id_prefix is None:
        return [None] * count
    if isinstance(id_prefix, str) or not isinstance(id_prefix, Sequence):
        raise CasetimeTypeError("id_prefix must be a list of texts, one per partition (such as the council codes)")
    if len(id_prefix) != count:
        raise CasetimeError(f"id_prefix has {len(id_prefix):,} texts for {count:,} partitions: give one per partition")
    prefixes = [_check_prefix(p) for p in id_prefix]
    twice = sorted({p for p in prefixes if prefixes.count(p) > 1})
    if twice:
        raise CasetimeError(f"id_prefix {twice[0]!r} is given to more than one partition: their children would meet")
    return list(prefixes)


def _load_options(options: Mapping[str, Any] | None) -> dict[str, Any]:
    given = dict(options or {})
    unknown = sorted(k for k in given if k not in LOAD_OPTIONS)
    if unknown:
        raise CasetimeTypeError(
            f"load_options cannot hold {', '.join(unknown)}: they may be {', '.join(LOAD_OPTIONS)} "
            "(calendar= and as_at= are compute_all's own)"
        )
    return given


def _stand_in(kinds: frozenset[str] | Sequence[str]) -> dict[str, Table]:
    """Empty tables of ``kinds``: what the default indicators are chosen from (which record types are held)."""
    return {k: Table.from_columns(k, {"child_id": np.empty(0, dtype=object)}) for k in kinds}


def _ordered(quality: QualityCounts) -> QualityCounts:
    """The reconciliation in the order one load of every partition gives it: record types, then sources."""
    rank = {kind: i for i, kind in enumerate((*RECORD_TYPES, UNKNOWN_TYPE))}
    keys = sorted(quality.reconciliation, key=lambda k: (rank.get(k[0], len(rank)), k[1]))
    return QualityCounts({k: quality.reconciliation[k] for k in keys}, dict(quality.by_rule))


def compute_all(
    client: ClientLike,
    inputs: Sequence[str | os.PathLike[str]],
    period: Period | str,
    *,
    indicators: Sequence[Indicator | str] | None = None,
    by: str | Sequence[str] = (),
    targets: Mapping[str, object] | None = None,
    rag: RagRule | None = None,
    calendar: WorkingCalendar | None = None,
    convention: Convention = "day0",
    as_at: object = None,
    id_prefix: Sequence[str] | None = None,
    load_options: Mapping[str, Any] | None = None,
) -> DaskResults:
    """Load, validate and compute every partition on the workers of ``client``; merge there; return the numbers.

    Parameters
    ----------
    client:
        A ``distributed.Client``. Every path must be readable on the workers (and is checked on the client).
    inputs:
        Files or folders, one partition each (one council's extract): what :func:`casetime.load` reads.
        A partition holds whole children, with ids unique across partitions (or give ``id_prefix``).
    period, indicators, by, targets, rag, convention:
        As for :func:`casetime.compute_all`. By default the indicators one process would choose for the
        whole (NI59, NI60 and NI64; SA45 and ICPC15 too if any partition holds single assessments),
        those whose records some partition holds; a partition without an indicator's records adds nothing to it.
    calendar:
        Working days (England and Wales by default): scattered to every worker once, and used to load,
        validate and compute every partition.
    as_at:
        The 'as at' date each partition is validated with (see :func:`casetime.load`).
    id_prefix:
        One text per partition (the council codes), written before its child ids (:func:`with_id_prefix`),
        so that ids unique only within a council stay apart. Without it, the ids seen in more than one
        partition are counted (on the workers) and a :class:`SharedChildrenWarning` gives the count.
    load_options:
        Other arguments of :func:`casetime.load`, the same for every partition (:data:`LOAD_OPTIONS`).

    A :class:`PartitionError` names a partition that could not be loaded or computed; a missing file
    or folder is refused before any task starts. A repeat measure (D3, C1) with child ids in more
    than one partition is refused (:class:`~casetime.results.MergeError`): it judges each record
    against the child's other records, which would be in another partition.
    """
    paths = _inputs(inputs)
    prefixes = _prefixes(id_prefix, len(paths))
    options = _load_options(load_options)
    per = as_period(period)
    check_convention(convention)
    explicit = indicators is not None
    if indicators is not None:
        chosen = tuple(get_indicator(i) for i in indicators)
    else:  # every indicator the default could choose: which it does depends on the whole (below)
        chosen = tuple(get_indicator(i) for i in default_indicators(_stand_in(RECORD_TYPES)))
    if isinstance(by, str):
        grouping: str | tuple[str, ...] = by
    else:
        grouping = tuple(by)
    plan = _Plan(
        per, chosen, grouping, None if targets is None else dict(targets), rag, convention, as_at, options,
        count_children=id_prefix is None,
    )  # fmt: skip
    run = uuid.uuid4().hex[:8]
    # once, to every worker; a key of its own (a hashed key, shared with the run before, can be released under it)
    cal = client.scatter(as_calendar(calendar), broadcast=True, hash=False)
    leaves = [
        client.submit(_partition, path, prefix, cal, plan, key=f"casetime-partition-{run}-{i}")
        for i, (path, prefix) in enumerate(zip(paths, prefixes, strict=True))
    ]
    root = _tree(client, leaves, _merge_parts, f"casetime-merge-{run}")
    numbers = client.submit(_numbers, root, key=f"casetime-numbers-{run}")
    shared = 0
    if plan.count_children:
        ids = _tree(client, leaves, _merge_children, f"casetime-merge-children-{run}")
        shared = client.submit(_count_shared, ids, key=f"casetime-shared-children-{run}").result()
        repeats = [i.id for i in chosen if i.kind == "repeats"]
        if shared and repeats:  # (refused before the results are waited for: their merge would refuse them)
            raise MergeError(
                f"{' and '.join(repeats)} {'judges' if len(repeats) == 1 else 'judge'} each record against the "
                f"child's other records, and {shared:,} child id(s) appear in more than one of the {len(paths):,} "
                "partitions: give partitions that hold whole children, and id_prefix= (one text per partition, such "
                "as the council code) if ids are unique only within a council"
            )
        if shared:
            warnings.warn(
                f"{shared:,} child id(s) appear in more than one of the {len(paths):,} partitions: a partition must "
                "hold whole children, with ids unique across partitions. If ids are unique only within a council, "
                "give id_prefix= (one text per partition, such as the council code); as it is, a child id in two "
                "partitions is one child to the measures that count children (NI64)",
                SharedChildrenWarning,
                stacklevel=2,
            )
    whole: _Part = numbers.result()
    results = _final(whole, chosen, explicit)
    return DaskResults(results, _ordered(whole.quality), whole.notices, len(paths), shared)


def _final(whole: _Part, chosen: Sequence[Indicator], explicit: bool) -> Results:
    """The merged results of the indicators one process would have computed on the whole, in its order."""
    if explicit:
        absent = [i for i in chosen if i.id not in whole.results]
        if absent:
            ind = absent[0]
            raise CasetimeError(
                f"{ind.id} needs {ind.record_type} records, and no partition has any "
                f"(they have: {', '.join(k for k in RECORD_TYPES if k in whole.held) or 'none'})"
            )
        return Results({i.id: whole.results[i.id] for i in chosen})
    wanted = [get_indicator(i) for i in default_indicators(_stand_in(whole.held))]
    out = Results({i.id: whole.results[i.id] for i in wanted if i.id in whole.results})
    if not out:
        names = ", ".join(i.id for i in wanted)
        raise CasetimeError(f"none of {names} can be computed: no partition has any of their records")
    return out
