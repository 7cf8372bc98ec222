"""Combining inputs never counts a record twice nor drops what its reader found (issue 14, item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from casetime import Table, compute, load
from casetime.errors import CasetimeError

HEADER = "child_id,referral_date,completion_date\n"
# A within 7 working days; B 8 days; C's referral cannot be read; D completed before its referral (8608)
FIRST = HEADER + "A,2009-01-05,2009-01-14\nB,2009-01-05,2009-01-15\nC,31/02/2009,2009-01-20\nD,2009-01-20,2009-01-19\n"
# E within; A again, the same record (a duplicate across files); F still open
SECOND = HEADER + "E,2009-01-12,2009-01-13\nA,2009-01-05,2009-01-14\nF,2009-01-26,\n"


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(FIRST, encoding="utf-8")
    b.write_text(SECOND, encoding="utf-8")
    return a, b


def figures(data: object) -> tuple[int, int, dict[str, int]]:
    total = compute("NI59", data, "2008/09").total()
    return total.numerator, total.denominator, {k: v for k, v in total.left_out.items() if v}


# worked by hand: counted A, B, E (2 within: A, E); invalid C (unreadable), D (8608), the second A
# (duplicate); F still open
EXPECTED = (2, 3, {"invalid": 3, "still_open": 1})


def test_loading_both_files_is_the_hand_worked_figure(paths: tuple[Path, Path]) -> None:
    assert figures(load(*paths, record_type="ia")) == EXPECTED


def test_adding_extracts_keeps_their_reader_issues_and_counts_each_record_once(paths: tuple[Path, Path]) -> None:
    a, b = (load(p, record_type="ia") for p in paths)
    assert figures(a) == (1, 2, {"invalid": 2})
    both = a + b
    assert figures(both) == EXPECTED
    whole = load(*paths, record_type="ia")
    assert both.quality.counts_by_rule() == whole.quality.counts_by_rule()
    assert both.quality.counts_by_rule() == {"unparseable_date": 1, "8608": 1, "duplicate": 1}
    assert both.reconciliation() == whole.reconciliation()
    assert figures(load(a, b)) == EXPECTED
    assert figures(load(a, paths[1], record_type="ia")) == EXPECTED


def test_a_dict_of_tables_without_quality_is_validated_not_counted_raw(paths: tuple[Path, Path]) -> None:
    a, b = (load(p, record_type="ia") for p in paths)
    table = Table.concat([a["ia"], b["ia"]])
    # a bare table is counted as it is: the duplicate A counts twice, D and C are left out for other reasons
    assert figures(table) == (3, 4, {"completed_before_start": 1, "missing_start": 1, "still_open": 1})
    # a dict of tables is validated first: the same figure as the loaded extract
    assert figures({"ia": table}) == EXPECTED


def test_extracts_checked_differently_are_not_added(paths: tuple[Path, Path]) -> None:
    a = load(paths[0], record_type="ia")
    b = load(paths[1], record_type="ia", as_at="2009-03-31")
    with pytest.raises(CasetimeError, match="checked differently"):
        _ = a + b
    with pytest.raises(CasetimeError, match="record_type='cpp' but an extract with initial_assessment records"):
        load(a, record_type="cpp")
