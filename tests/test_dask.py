"""casetime.dask on a real two-process LocalCluster: the merged numbers are exactly one process's.

Four councils' synthetic extracts (1% faults), one folder each. Their child ids repeat across
councils (the generator numbers children from C000001), which is what ``id_prefix`` is for: the
same folders with every id written ``code:id`` by hand (the csv module) are the reference, loaded
and computed in this process.
"""

from __future__ import annotations

import csv
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

distributed = pytest.importorskip("distributed", reason="casetime.dask needs distributed: pip install 'casetime[dask]'")

import casetime  # noqa: E402
import casetime.dask  # noqa: E402
from casetime.calendar import WorkingCalendar  # noqa: E402
from casetime.errors import CasetimeError  # noqa: E402
from casetime.quality import QualityCounts  # noqa: E402
from casetime.results import MergeError, Results  # noqa: E402
from casetime.synth import generate, write_csv  # noqa: E402

CODES = ("E09000001", "E09000002", "E09000003", "E09000004")
#: every kind of measure the 2008/09 records allow: timeliness, bands (with distributions), snapshots,
#: reviews, repeats, and children counted (NI64, C1_child)
INDICATORS = ("NI59", "NI60", "NI64", "ICPC15", "C4", "D5", "D6", "D7", "D3", "C1", "C1_child")
BY = ("month", "team")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    )
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


@pytest.fixture(scope="module")
def councils(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list[Path]]:
    """The councils' folders as exported (ids unique only within each), and copies with prefixed ids."""
    root = tmp_path_factory.mktemp("councils")
    raw, prefixed = [], []
    for seed, code in enumerate(CODES, start=1):
        folder = root / "raw" / code
        folder.mkdir(parents=True)
        write_csv(generate(400, financial_year=2008, seed=seed, fault_rate=0.01), folder)
        copy = root / "prefixed" / code
        copy.mkdir(parents=True)
        for path in sorted(folder.glob("*.csv")):
            with open(path, newline="", encoding="utf-8") as src, open(copy / path.name, "w", newline="") as dst:
                reader, writer = csv.DictReader(src), None
                for row in reader:
                    if writer is None:
                        writer = csv.DictWriter(dst, fieldnames=list(row), lineterminator="\n")
                        writer.writeheader()
                    if row["child_id"].strip():
                        row["child_id"] = f"{code}:{row['child_id'].strip()}"
                    writer.writerow(row)
        raw.append(folder)
        prefixed.append(copy)
    return raw, prefixed


def single_process(folders: Sequence[Path], indicators: Sequence[str] | None) -> tuple[Results, QualityCounts]:
    extract = casetime.load(*folders)
    return casetime.compute_all(extract, "2008/09", indicators=indicators, by=BY), extract.quality.counts()


def renamed(counts: QualityCounts, old: Path, new: Path) -> QualityCounts:
    """The counts with the sources under ``old`` named as under ``new``."""
    rec = {(kind, source.replace(str(old), str(new))): v for (kind, source), v in counts.reconciliation.items()}
    return QualityCounts(rec, counts.by_rule)


def assert_same(got: Results, want: Results) -> None:
    """Every row, every left-out count, the reconciliation and (for children counted) the child sets."""
    assert list(got) == list(want)
    for ind, table in want.items():
        mine = got[ind]
        assert mine.by == table.by and mine.settings == table.settings, ind
        assert mine.rows == table.rows, ind  # numerators, denominators, left out by reason, bands, keys, status
        assert [r.left_out for r in mine.rows] == [r.left_out for r in table.rows], ind
        assert [r.distribution for r in mine.rows] == [r.distribution for r in table.rows], ind
        assert mine.outside == table.outside and mine.counted_records == table.counted_records, ind
        assert mine.reconciliation() == table.reconciliation(), ind
        assert mine.total() == table.total(), ind  # children: the union of the rows' child sets
        assert mine.year_to_date() == table.year_to_date(), ind
        if table.indicator.counting == "child" and table.indicator.kind != "repeats":
            # |A u B| == |A| == |B| only when the child sets A and B are the same, row by row
            both = mine.merge(table)
            assert [(r.numerator, r.denominator) for r in both.rows] == [
                (r.numerator, r.denominator) for r in table.rows
            ], ind


def test_prefixed_partitions_give_the_single_process_numbers(client: Any, councils: Any) -> None:
    raw, prefixed = councils
    with warnings.catch_warnings():
        warnings.simplefilter("error", casetime.dask.SharedChildrenWarning)
        done = casetime.dask.compute_all(client, raw, "2008/09", indicators=INDICATORS, by=BY, id_prefix=list(CODES))
    results, quality = single_process(prefixed, INDICATORS)
    assert_same(done.results, results)
    want = renamed(quality, prefixed[0].parent, raw[0].parent)
    assert done.quality == want
    assert done.quality.rows() == want.rows()  # in the order one load gives
    assert sum(done.quality.by_rule.values()) > 0  # (faults were there to count)
    assert (done.partitions, done.shared_children) == (len(CODES), 0)
    assert "4 partitions" in repr(done)


def test_unique_ids_need_no_prefix_and_default_indicators_match(client: Any, councils: Any) -> None:
    _, prefixed = councils
    with warnings.catch_warnings():
        warnings.simplefilter("error", casetime.dask.SharedChildrenWarning)
        done = casetime.dask.compute_all(client, prefixed, "2008/09", by=BY)
    results, quality = single_process(prefixed, None)
    assert list(results) == ["NI59", "NI60", "NI64"]
    assert_same(done.results, results)
    assert done.quality == quality and done.shared_children == 0


def shared_ids(folders: Sequence[Path]) -> int:
    """Child ids in more than one folder, read from the files with the csv module."""
    seen: Counter[str] = Counter()
    for folder in folders:
        ids = set()
        for path in folder.glob("*.csv"):
            with open(path, newline="", encoding="utf-8") as handle:
                ids.update(row["child_id"].strip() for row in csv.DictReader(handle) if row["child_id"].strip())
        seen.update(ids)
    return sum(1 for n in seen.values() if n > 1)


def test_ids_in_two_partitions_are_counted_and_warned_of(client: Any, councils: Any) -> None:
    raw, _ = councils
    expected = shared_ids(raw)
    assert expected > 100
    with pytest.warns(casetime.dask.SharedChildrenWarning, match=f"{expected:,} child id") as caught:
        done = casetime.dask.compute_all(client, raw, "2008/09", indicators=["NI59", "NI64"])
    assert done.shared_children == expected
    message = str(caught[0].message)
    assert "id_prefix" in message and "C0" not in message  # the count, never an id
    with pytest.raises(MergeError, match=rf"C1 judges each .* {expected:,} child id.*id_prefix"):
        casetime.dask.compute_all(client, raw, "2008/09", indicators=["NI59", "C1"])


class Spy:
    """A client that counts what is sent: scatters, and calendars passed as task arguments."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.scattered: list[Any] = []
        self.calendar_arguments: list[Any] = []

    def scatter(self, data: Any, **options: Any) -> Any:
        future = self.client.scatter(data, **options)
        self.scattered.append((data, options, future))
        return future

    def submit(self, func: Any, /, *args: Any, **options: Any) -> Any:
        self.calendar_arguments += [a for a in args if isinstance(a, WorkingCalendar) or a is self.scattered[0][2]]
        return self.client.submit(func, *args, **options)


def test_the_calendar_is_scattered_once(client: Any, councils: Any) -> None:
    raw, _ = councils
    spy = Spy(client)
    local = casetime.england().with_closures(["2008-12-24"], layer="office closure")
    done = casetime.dask.compute_all(spy, raw, "2008/09", indicators=["NI59"], calendar=local, id_prefix=list(CODES))
    [(data, options, future)] = spy.scattered
    assert data is local and options["broadcast"] is True
    assert spy.calendar_arguments == [future] * len(raw)  # the future, once per partition; never the calendar
    assert "office closure" in done.results["NI59"].settings["calendar"]


def test_bad_inputs_are_named(client: Any, councils: Any, tmp_path: Path) -> None:
    raw, _ = councils
    spy = Spy(client)
    with pytest.raises(CasetimeError, match=r"partition .*nowhere: no such file or folder") as missing:
        casetime.dask.compute_all(spy, [*raw, tmp_path / "nowhere"], "2008/09")
    assert isinstance(missing.value, ValueError) and spy.scattered == []  # refused before any task
    empty = tmp_path / "E09000099"
    empty.mkdir()
    with pytest.raises(casetime.dask.PartitionError, match=r"partition .*E09000099: .*no \.csv files") as failed:
        casetime.dask.compute_all(client, [raw[0], empty], "2008/09", id_prefix=["A", "B"])
    assert failed.value.partition == str(empty) and str(failed.value).count("E09000099") == 1
    with pytest.raises(CasetimeError, match="given twice"):
        casetime.dask.compute_all(client, [raw[0], raw[0]], "2008/09")
    with pytest.raises(CasetimeError, match="3 texts for 4 partitions"):
        casetime.dask.compute_all(client, raw, "2008/09", id_prefix=list(CODES[:3]))
    with pytest.raises(CasetimeError, match="more than one partition"):
        casetime.dask.compute_all(client, raw, "2008/09", id_prefix=["A", "B", "A", "C"])
    with pytest.raises(CasetimeError, match="may not hold ':'"):
        casetime.dask.compute_all(client, raw, "2008/09", id_prefix=["A", "B", "C", "D:1"])
    with pytest.raises(TypeError, match="a list of files or folders"):
        casetime.dask.compute_all(client, str(raw[0]), "2008/09")
    with pytest.raises(TypeError, match="load_options cannot hold calendar"):
        casetime.dask.compute_all(client, raw, "2008/09", load_options={"calendar": None})


def test_with_id_prefix_keeps_rows_and_findings() -> None:
    ex = casetime.load(
        {"child_id": ["B", "A", None, "B"], "start_date": ["2009-01-05", "2009-02-01", "2009-01-05", "2009-01-05"]},
        record_type="cpp",
    )
    mine = casetime.dask.with_id_prefix(ex, "E1")
    assert mine["cpp"].child.values().tolist() == ["E1:B", "E1:A", None, "E1:B"]
    assert mine.quality.counts() == ex.quality.counts() and len(mine.quality) == len(ex.quality)
    assert mine.calendar is ex.calendar
    with pytest.raises(CasetimeError, match="non-empty"):
        casetime.dask.with_id_prefix(ex, " ")
