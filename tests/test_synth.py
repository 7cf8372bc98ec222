"""The synthetic extract generator (casetime.synth) and the bundled sample extract.

The realism checks recompute every figure from the arrays with plain numpy and
casetime's public working-day count, never with the generator's own helpers.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from dateutil.relativedelta import relativedelta

import casetime
from casetime.cli import main as cli_main
from casetime.errors import CasetimeError
from casetime.sample import sample_path
from casetime.schema import SCHEMAS
from casetime.synth import (
    DEFAULT_TEAMS,
    SAMPLE_PARAMETERS,
    SyntheticExtract,
    generate,
    to_tables,
    write_csv,
    write_sample,
)
from casetime.tables import Table

FY_START = np.datetime64("2008-04-01")
FY_END = np.datetime64("2009-03-31")
IA_ERA = ("referral", "initial_assessment", "core_assessment", "s47", "cpp")


@pytest.fixture(scope="module")
def year() -> SyntheticExtract:
    """A large fault-free 2008/09, for stable shares."""
    return generate(20_000, financial_year=2008, seed=11)


def in_year(dates: np.ndarray, start: np.datetime64 = FY_START, end: np.datetime64 = FY_END) -> np.ndarray:
    return (dates >= start) & (dates <= end)  # NaT compares False


def review_lists(strings: np.ndarray) -> list[list[np.datetime64]]:
    return [[np.datetime64(d) for d in s.split(";") if d] for s in strings.tolist()]


# ---------------------------------------------------------------------------
# determinism, sizes, shape
# ---------------------------------------------------------------------------


def test_same_seed_gives_the_same_arrays_bit_for_bit() -> None:
    a = generate(3000, seed=5, fault_rate=0.02, teams=("A", "B"))
    b = generate(3000, seed=5, fault_rate=0.02, teams=("A", "B"))
    assert list(a) == list(b)
    for kind in a:
        assert list(a[kind]) == list(b[kind])
        for name, col in a[kind].items():
            other = b[kind][name]
            assert col.dtype == other.dtype
            if col.dtype.kind == "M":
                assert np.array_equal(col.view(np.int64), other.view(np.int64)), (kind, name)
            else:
                assert np.array_equal(col, other), (kind, name)


def test_different_seeds_give_different_extracts() -> None:
    a, b = generate(3000, seed=5), generate(3000, seed=6)
    assert not np.array_equal(a["referral"]["referral_date"], b["referral"]["referral_date"])
    assert len(a["initial_assessment"]["child_id"]) != len(b["initial_assessment"]["child_id"]) or not np.array_equal(
        a["initial_assessment"]["completion_date"].view(np.int64),
        b["initial_assessment"]["completion_date"].view(np.int64),
    )


@pytest.mark.parametrize("n", [0, 1, 250, 5000])
def test_exactly_n_referrals_are_received_in_the_year(n: int) -> None:
    extract = generate(n, seed=3)
    assert int(in_year(extract["referral"]["referral_date"]).sum()) == n
    if n == 0:
        assert all(len(cols["child_id"]) == 0 for cols in extract.values())


def test_columns_are_the_standard_ones_plus_team(year: SyntheticExtract) -> None:
    assert tuple(year) == IA_ERA
    for kind, cols in year.items():
        assert list(cols) == [*SCHEMAS[kind].columns, "team"]
        n = len(cols["child_id"])
        for name in SCHEMAS[kind].dates:
            assert cols[name].dtype == np.dtype("M8[D]") and cols[name].shape == (n,)
        assert cols["child_id"].dtype.kind == "U" and cols["team"].dtype.kind == "U"
        assert all(re.fullmatch(r"C\d{6}", c) for c in cols["child_id"][:200].tolist())
    assert set(year["referral"]["team"].tolist()) == set(DEFAULT_TEAMS)


def test_single_assessments_replace_initial_and_core_from_2013() -> None:
    extract = generate(2000, financial_year=2014, seed=1)
    assert tuple(extract) == ("referral", "single_assessment", "s47", "cpp")
    sa = extract["single_assessment"]
    done = in_year(sa["completion_date"], np.datetime64("2014-04-01"), np.datetime64("2015-03-31"))
    elapsed = casetime.working_days_between(sa["referral_date"][done], sa["completion_date"][done])
    assert 0.7 <= np.mean(elapsed <= 45) <= 0.95


def test_to_tables_gives_one_table_per_record_type(year: SyntheticExtract) -> None:
    tables = to_tables(year)
    assert list(tables) == list(year)
    for kind, table in tables.items():
        assert isinstance(table, Table) and len(table) == len(year[kind]["child_id"])
        assert np.array_equal(table.days(SCHEMAS[kind].clock[0]), year[kind][SCHEMAS[kind].clock[0]].view(np.int64))
    plans = tables["cpp"]
    assert plans.reviews is not None
    assert int(plans.reviews.offsets[-1]) == sum(len(r) for r in review_lists(year["cpp"]["review_dates"]))


# ---------------------------------------------------------------------------
# realism
# ---------------------------------------------------------------------------


def test_initial_assessments_mostly_within_7_working_days_with_a_late_tail(year: SyntheticExtract) -> None:
    ia = year["initial_assessment"]
    done = in_year(ia["completion_date"])
    elapsed = casetime.working_days_between(ia["referral_date"][done], ia["completion_date"][done])
    assert done.sum() > 10_000
    assert 0.5 <= np.mean(elapsed <= 7) <= 0.85
    assert 0.02 <= np.mean(elapsed > 20) <= 0.2  # a late tail, not a cliff
    assert elapsed.max() >= 30
    referred = in_year(year["referral"]["referral_date"]).sum()
    assert 0.55 <= in_year(ia["referral_date"]).sum() / referred <= 0.8  # most referrals are assessed
    assert np.isnat(ia["completion_date"]).sum() > 50  # some still open on 31 March


def test_core_assessments_for_a_subset_about_80_percent_within_35(year: SyntheticExtract) -> None:
    ca = year["core_assessment"]
    done = in_year(ca["completion_date"])
    elapsed = casetime.working_days_between(ca["start_date"][done], ca["completion_date"][done])
    assert 0.65 <= np.mean(elapsed <= 35) <= 0.92
    assert 0.2 <= len(ca["child_id"]) / len(year["initial_assessment"]["child_id"]) <= 0.5
    assert np.isnat(ca["completion_date"]).sum() > 20


def test_conferences_mostly_within_15_working_days_of_the_s47(year: SyntheticExtract) -> None:
    s47 = year["s47"]
    held = ~np.isnat(s47["conference_date"])
    elapsed = casetime.working_days_between(s47["start_date"][held], s47["conference_date"][held])
    assert held.sum() > 300
    assert 0.6 <= np.mean(elapsed <= 15) <= 0.95
    assert 0.02 <= in_year(s47["start_date"]).sum() / in_year(year["referral"]["referral_date"]).sum() <= 0.3


def test_plans_have_realistic_lengths_and_history(year: SyntheticExtract) -> None:
    cpp = year["cpp"]
    ended = in_year(cpp["end_date"])
    days = (cpp["end_date"][ended] - cpp["start_date"][ended]).astype(np.int64)
    assert ended.sum() > 500
    assert 182 <= np.median(days) <= 365  # median about 9 months
    starts = cpp["start_date"][ended].tolist()
    ends = cpp["end_date"][ended].tolist()
    two_years = np.mean([e >= s + relativedelta(years=2) for s, e in zip(starts, ends, strict=True)])
    assert 0.07 <= two_years <= 0.2
    assert np.isnat(cpp["end_date"]).sum() > 300  # open on 31 March
    assert in_year(cpp["start_date"]).sum() > 300
    before = cpp["start_date"] < FY_START
    assert before.sum() > 300  # plans that started in earlier years ...
    earlier_referrals = {
        (c, d)
        for c, d in zip(year["referral"]["child_id"].tolist(), year["referral"]["referral_date"].tolist(), strict=True)
    }
    assert all(
        (c, d) in earlier_referrals
        for c, d in zip(cpp["child_id"][before].tolist(), cpp["referral_date"][before].tolist(), strict=True)
    )  # ... with their referrals
    _, per_child = np.unique(cpp["child_id"], return_counts=True)
    assert (per_child > 1).sum() > 50  # some children had a previous plan


def test_fewer_referrals_at_weekends_and_a_monday_peak(year: SyntheticExtract) -> None:
    referred = year["referral"]["referral_date"]
    referred = referred[in_year(referred)]
    calendar_days = np.arange(FY_START, FY_END + 1)

    def per_day(mask: str) -> float:
        return float(np.is_busday(referred, weekmask=mask).sum() / np.is_busday(calendar_days, weekmask=mask).sum())

    weekend, weekdays = per_day("0000011"), per_day("1111100")
    assert weekend < 0.3 * weekdays
    assert per_day("1000000") > 1.1 * per_day("0111000")


def test_dips_in_august_and_at_christmas(year: SyntheticExtract) -> None:
    referred = year["referral"]["referral_date"]

    def per_working_day(first: str, last: str) -> float:
        count = in_year(referred, np.datetime64(first), np.datetime64(last)).sum()
        days = np.arange(np.datetime64(first), np.datetime64(last) + 1)
        return float(count / np.asarray(casetime.is_working_day(days)).sum())

    autumn = per_working_day("2008-09-01", "2008-11-30")
    assert per_working_day("2008-08-01", "2008-08-31") < 0.9 * autumn
    assert per_working_day("2008-12-22", "2009-01-01") < 0.75 * per_working_day("2008-12-01", "2008-12-19")


def test_teams_differ_and_can_be_named() -> None:
    extract = generate(2000, seed=4, teams=("Alpha", "Beta", "Gamma"))
    teams, counts = np.unique(extract["referral"]["team"], return_counts=True)
    assert teams.tolist() == ["Alpha", "Beta", "Gamma"] and counts.min() > 0.15 * counts.sum()
    for cols in extract.values():
        assert set(cols["team"].tolist()) <= {"Alpha", "Beta", "Gamma"}


# ---------------------------------------------------------------------------
# date-ordering rules (domain.md section 6) hold when fault_rate is 0
# ---------------------------------------------------------------------------


def check_ordering_rules(extract: Mapping[str, Mapping[str, Any]], extract_date: np.datetime64) -> None:
    for kind, cols in extract.items():
        start_name = SCHEMAS[kind].clock[0]
        assert not np.isnat(cols[start_name]).any(), kind  # every record has its clock start
        assert (np.char.str_len(cols["child_id"]) > 0).all()
        for name in SCHEMAS[kind].dates:
            assert not (cols[name] > extract_date).any(), (kind, name)  # nothing after the extract date
        rows = list(zip(*(c.tolist() for c in cols.values()), strict=True))
        assert len(set(rows)) == len(rows), kind  # no duplicate rows
    ref = extract["referral"]
    pairs = list(zip(ref["child_id"].tolist(), ref["referral_date"].tolist(), strict=True))
    assert len(set(pairs)) == len(pairs)  # one referral per child and day
    closed = ~np.isnat(ref["closure_date"])
    assert (ref["closure_date"][closed] >= ref["referral_date"][closed]).all()  # 8630
    for kind in ("initial_assessment", "core_assessment", "single_assessment"):
        if kind not in extract:
            continue
        a = extract[kind]
        started, done = ~np.isnat(a["start_date"]), ~np.isnat(a["completion_date"])
        assert (a["start_date"][started] >= a["referral_date"][started]).all()  # 1103
        assert (a["completion_date"][started & done] >= a["start_date"][started & done]).all()  # 8608
        assert (a["completion_date"][done] >= a["referral_date"][done]).all()
        assert started[done].all() or kind != "core_assessment"
    s47 = extract["s47"]
    assert (s47["start_date"] >= s47["referral_date"]).all()  # 2889
    held = ~np.isnat(s47["conference_date"])
    assert (s47["start_date"][held] <= s47["conference_date"][held]).all()  # 8615
    cpp = extract["cpp"]
    assert (cpp["start_date"] >= cpp["referral_date"]).all()  # 1105
    ended = ~np.isnat(cpp["end_date"])
    assert (cpp["end_date"][ended] >= cpp["start_date"][ended]).all()  # 8925
    assert (cpp["end_date"][ended] != cpp["start_date"][ended]).all()  # 8840
    for start, end, reviews in zip(
        cpp["start_date"].tolist(), cpp["end_date"].tolist(), review_lists(cpp["review_dates"]), strict=True
    ):
        assert all(r > np.datetime64(start) for r in reviews)  # 8841
        assert reviews == sorted(reviews) and all(r <= extract_date for r in reviews)
        if end is not None:
            assert all(r <= np.datetime64(end) for r in reviews)
    order = np.lexsort((cpp["start_date"], cpp["child_id"]))
    child, start, end = cpp["child_id"][order], cpp["start_date"][order], cpp["end_date"][order]
    same = child[1:] == child[:-1]
    assert not np.isnat(end[:-1][same]).any()  # 8935: an earlier plan of the same child has ended ...
    assert (start[1:][same] > end[:-1][same]).all()  # 8940: ... before the next one starts
    referrals = set(zip(ref["child_id"].tolist(), ref["referral_date"].tolist(), strict=True))
    for kind, cols in extract.items():
        pairs = set(zip(cols["child_id"].tolist(), cols["referral_date"].tolist(), strict=True))
        assert pairs <= referrals, kind  # every record's referral is in the extract


def test_fault_free_year_obeys_the_date_ordering_rules(year: SyntheticExtract) -> None:
    check_ordering_rules(year, FY_END)


@pytest.mark.parametrize(("financial_year", "seed"), [(2005, 1), (2009, 2), (2010, 3), (2014, 4), (2022, 5)])
def test_other_years_and_seeds_obey_the_rules(financial_year: int, seed: int) -> None:
    extract = generate(3000, financial_year=financial_year, seed=seed, teams=("T1", "T2"))
    check_ordering_rules(extract, np.datetime64(f"{financial_year + 1}-03-31"))


# ---------------------------------------------------------------------------
# faults
# ---------------------------------------------------------------------------


def duplicate_rows(cols: Mapping[str, np.ndarray]) -> int:
    rows = list(zip(*(c.tolist() for c in cols.values()), strict=True))
    return len(rows) - len(set(rows))


def test_faults_appear_at_about_the_requested_rate() -> None:
    rate = 0.05
    extract = generate(20_000, seed=3, fault_rate=rate)
    ia, ca, s47, cpp, ref = (extract[k] for k in ("initial_assessment", "core_assessment", "s47", "cpp", "referral"))
    before = (ia["completion_date"] < ia["referral_date"]).sum()
    no_start = np.isnat(ia["referral_date"]).sum()
    dups = duplicate_rows(ia)
    for count in (before, no_start, dups):
        assert count > 0
    share = (before + no_start + dups) / len(ia["child_id"])
    assert 0.6 * rate <= share <= 1.4 * rate
    assert (ca["completion_date"] < ca["start_date"]).sum() > 0 and np.isnat(ca["start_date"]).sum() > 0
    assert (s47["conference_date"] < s47["start_date"]).sum() > 0
    assert (cpp["end_date"] < cpp["start_date"]).sum() > 0 and (cpp["end_date"] == cpp["start_date"]).sum() > 0
    assert (ref["closure_date"] < ref["referral_date"]).sum() > 0 and duplicate_rows(ref) > 0
    assert duplicate_rows(cpp) > 0


def test_the_fault_rate_does_not_change_the_clean_records_count_much() -> None:
    clean, faulty = generate(5000, seed=9), generate(5000, seed=9, fault_rate=0.01)
    for kind in clean:
        n_clean, n_faulty = len(clean[kind]["child_id"]), len(faulty[kind]["child_id"])
        assert n_clean <= n_faulty <= n_clean * 1.02 + 3


# ---------------------------------------------------------------------------
# CSV files
# ---------------------------------------------------------------------------


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def is_iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None


def test_csv_files_hold_the_arrays(tmp_path: Path) -> None:
    extract = generate(800, seed=2)
    paths = write_csv(extract, tmp_path / "out")
    assert [p.name for p in paths] == [f"{k}.csv" for k in extract]
    for path in paths:
        kind = path.stem
        header, rows = read_csv(path)
        assert header == [*SCHEMAS[kind].columns, "team"]
        cols = extract[kind]
        assert len(rows) == len(cols["child_id"])
        assert [r["child_id"] for r in rows] == cols["child_id"].tolist()
        for name in SCHEMAS[kind].dates:
            expected = ["" if d is None else d.isoformat() for d in cols[name].tolist()]
            assert [r[name] for r in rows] == expected
    assert path.read_bytes().endswith(b"\n") and b"\r" not in path.read_bytes()


def test_csv_only_faults_are_unreadable_dates(tmp_path: Path) -> None:
    extract = generate(4000, seed=8, fault_rate=0.05)
    write_csv(extract, tmp_path / "faulty")
    write_csv(extract, tmp_path / "clean", date_fault_rate=0.0)
    bad_rows = slash = 0
    total = 0
    for kind in extract:
        _, faulty_rows = read_csv(tmp_path / "faulty" / f"{kind}.csv")
        _, clean_rows = read_csv(tmp_path / "clean" / f"{kind}.csv")
        dates = SCHEMAS[kind].dates
        assert all(is_iso_date(r[c]) or r[c] == "" for r in clean_rows for c in dates)
        for row in faulty_rows:
            bad = [row[c] for c in dates if row[c] and not is_iso_date(row[c])]
            bad_rows += bool(bad)
            slash += any(re.fullmatch(r"\d\d/\d\d/\d{4}", b) for b in bad)
        total += len(faulty_rows)
    assert slash > 0
    assert 0.02 <= bad_rows / total <= 0.07


def test_csv_text_is_spreadsheet_safe_and_reproducible(tmp_path: Path) -> None:
    extract = generate(300, seed=1, teams=("=HYPERLINK(1)", "North"))
    first = write_csv(extract, tmp_path / "a")
    second = write_csv(generate(300, seed=1, teams=("=HYPERLINK(1)", "North")), tmp_path / "b")
    _, rows = read_csv(first[0])
    assert {r["team"] for r in rows} == {"'=HYPERLINK(1)", "North"}
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()


# ---------------------------------------------------------------------------
# the bundled sample
# ---------------------------------------------------------------------------


def test_bundled_sample_is_small_parses_and_says_it_is_synthetic() -> None:
    folder = sample_path()
    assert sorted(p.name for p in folder.iterdir()) == sorted([*(f"{k}.csv" for k in IA_ERA), "README.txt"])
    assert sum(p.stat().st_size for p in folder.iterdir()) < 1_000_000
    for kind in IA_ERA:
        header, rows = read_csv(folder / f"{kind}.csv")
        assert header == [*SCHEMAS[kind].columns, "team"]
        assert rows
    _, referrals = read_csv(folder / "referral.csv")
    received = sum(
        "2008-04-01" <= r["referral_date"] <= "2009-03-31" for r in referrals if is_iso_date(r["referral_date"])
    )
    n = SAMPLE_PARAMETERS["n_referrals"]
    assert 3000 <= n <= 5000 and n <= received <= n * 1.01
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    assert "SYNTHETIC" in readme and f"Seed:             {SAMPLE_PARAMETERS['seed']}" in readme
    assert "casetime synth --sample" in readme


def test_regenerating_the_sample_reproduces_it_byte_for_byte(tmp_path: Path) -> None:
    written = write_sample(tmp_path)
    bundled = sample_path()
    assert sorted(p.name for p in written) == sorted(p.name for p in bundled.iterdir())
    for path in written:
        assert path.read_bytes() == (bundled / path.name).read_bytes(), path.name


# ---------------------------------------------------------------------------
# bad arguments and the command line
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_referrals": -1}, "n_referrals"),
        ({"n_referrals": 2.5}, "n_referrals"),
        ({"fault_rate": 1.5}, "fault_rate"),
        ({"seed": -3}, "seed"),
        ({"teams": ()}, "teams"),
        ({"teams": ("A", "A")}, "teams"),
        ({"teams": "North"}, "teams"),
        ({"financial_year": 1995}, "calendar covering"),
        ({"financial_year": 3000}, "financial_year"),
        ({"financial_year": 2008, "calendar": casetime.england(start="2005-01-01")}, "calendar covering"),
    ],
)
def test_bad_arguments_raise_a_domain_error(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(CasetimeError, match=message):
        generate(**kwargs)


def test_command_line_writes_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["synth", "--out", str(tmp_path), "-n", "200", "--seed", "4", "--teams", "X, Y"]) == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(tmp_path / f"{k}.csv") for k in IA_ERA]
    _, rows = read_csv(tmp_path / "referral.csv")
    assert {r["team"] for r in rows} <= {"X", "Y"}
    assert cli_main(["synth", "--out", str(tmp_path), "-n", "-5"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "n_referrals" in err


def test_the_example_in_the_docs_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (Path(__file__).parents[1] / "docs" / "synthetic.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- example -->\n```python\n(.*?)```", text, re.DOTALL)
    assert block is not None
    monkeypatch.chdir(tmp_path)
    exec(compile(block.group(1), "docs/synthetic.md", "exec"), {})
    assert sorted(p.name for p in (tmp_path / "synthetic-2008").iterdir()) == sorted(f"{k}.csv" for k in IA_ERA)
