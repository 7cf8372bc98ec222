"""The one-call entry point: load() and Extract, with the data-quality report and reconciliation."""

from __future__ import annotations

import csv
import datetime as dt
import doctest
import io
from pathlib import Path

import pytest

from casetime.calendar import WorkingCalendar
from casetime.errors import CasetimeError
from casetime.extract import Extract, load
from casetime.quality import QualityReport, ValidationError
from casetime.records import InitialAssessment, records_to_table
from casetime.tables import Table
from support import pd

DATA = Path(__file__).parent / "data" / "io"


def check_reconciliation(extract: Extract) -> None:
    for entry in extract.reconciliation():
        assert entry["rows_read"] == entry["rows_valid"] + entry["rows_with_errors"]


def test_load_a_file_with_a_bad_date() -> None:
    ex = load(DATA / "ia_cin.csv", record_type="ia")
    assert ex.record_types == ("initial_assessment",)
    assert len(ex["ia"]) == 5 and ex["initial assessment"] is ex.tables["initial_assessment"]
    counts = ex.quality.counts_by_rule()
    # row 5 (31/02/2009): unparseable; reported once, not again as a missing clock start
    assert counts["unparseable_date"] == 1
    assert "missing_date" not in counts
    valid = ex.valid("ia")
    assert valid.row is not None and 5 not in valid.row.tolist()
    check_reconciliation(ex)
    [entry] = ex.reconciliation()
    assert entry["source"] == str(DATA / "ia_cin.csv")
    assert entry["rows_read"] == 5 and entry["rows_with_errors"] == len(ex["ia"]) - len(valid)
    rows = list(csv.DictReader(io.StringIO(ex.quality.to_csv() or "")))
    assert {"row": "5", "field": "referral_date", "value": "31/02/2009", "rule": "unparseable_date"}.items() <= rows[
        0
    ].items()


def test_repr_is_readable() -> None:
    ex = load(DATA / "extract_dir")
    text = repr(ex)
    assert text.startswith("Extract(initial_assessment: 2 rows, 1 valid, 1 with errors; cpp: 2 rows")
    assert "cpp" in ex and "adoption" not in ex and 3 not in ex


def test_load_frames_tables_and_files_together() -> None:
    frame = pd.DataFrame({"Child ID": ["X1"], "Date of referral": ["05/01/2009"], "Completed": ["14/01/2009"]})
    table = records_to_table([InitialAssessment("R1", "2009-01-05", "2009-01-14")])
    ex = load(frame, table, DATA / "extract_dir" / "initial_assessments.csv", record_type="ia")
    ia = ex["ia"]
    assert ia.child.values().tolist() == ["X1", "R1", "A1", "A2"]
    assert ia.source is not None
    assert ia.source.values().tolist()[:2] == ["<dataframe>", "<records>"]
    check_reconciliation(ex)
    assert sum(e["rows_read"] for e in ex.reconciliation()) == 4


def test_strict_mode_raises_a_summary() -> None:
    with pytest.raises(ValidationError) as info:
        load(DATA / "extract_dir", strict=True)
    text = str(info.value)
    assert "data-quality error" in text and "8608" in text and isinstance(info.value, ValueError)
    ids = load(DATA / "extract_dir").tables["initial_assessment"].child.labels.tolist()
    assert " row " in text and "child" not in text and not any(i in text for i in ids)  # no child in an error
    ok = load({"child_id": ["A"], "referral_date": ["05/01/2009"]}, record_type="referral", strict=True)
    assert not ok.quality.has_errors


def test_combined_file_counts_unknown_types() -> None:
    ex = load(DATA / "combined.csv")
    assert isinstance(ex.quality, QualityReport)
    check_reconciliation(ex)
    unknown = [e for e in ex.reconciliation() if e["record_type"] == "unknown"]
    assert unknown == [
        {
            "record_type": "unknown",
            "source": str(DATA / "combined.csv"),
            "rows_read": 2,
            "rows_valid": 0,
            "rows_with_errors": 2,
        }
    ]
    assert sum(e["rows_read"] for e in ex.reconciliation()) == 7
    assert ex.quality.counts_by_rule()["unknown_record_type"] == 2
    first = next(ex.quality.issue_rows())
    assert (first["row"], first["value"], first["rule"]) == (6, "Foster care", "unknown_record_type")
    assert "unknown_record_type" in (ex.quality.to_csv() or "")
    assert "2 rows of unknown record type" in repr(ex)
    with pytest.raises(ValidationError, match="unknown_record_type"):
        ex.quality.raise_if_errors()


def test_as_at_and_calendar_reach_validation() -> None:
    frame = {"child_id": ["A", "B"], "referral_date": ["05/01/2009", "05/01/2031"]}
    ex = load(frame, record_type="referral", as_at="2010-03-31")
    assert ex.quality.counts_by_rule() == {"after_as_at": 1}
    small = WorkingCalendar([], start="2009-01-01", end="2009-12-31")
    ex2 = load(frame, record_type="referral", calendar=small)
    # (2031 is also after today: an outlier_date warning, as load runs that rule)
    assert ex2.quality.counts_by_rule() == {"out_of_coverage": 1, "outlier_date": 1}
    assert ex2.quality.counts_by_rule("error") == {"out_of_coverage": 1}


def test_load_errors() -> None:
    with pytest.raises(CasetimeError, match="at least one input"):
        load()
    with pytest.raises(CasetimeError, match="cannot load"):
        load(42)
    with pytest.raises(CasetimeError, match="record_type"):
        load({"child_id": ["A"], "referral_date": ["05/01/2009"]})
    ex = load(DATA / "header_only.csv", record_type="ia")
    with pytest.raises(CasetimeError, match="no cpp records"):
        ex.valid("cpp")
    table = Table.from_columns("referral", {"child_id": ["A"], "referral_date": ["2009-01-05"]})
    with pytest.raises(CasetimeError, match="record_type"):
        load(table, record_type="cpp")


def test_valid_rows_become_records() -> None:
    ex = load(DATA / "extract_dir")
    from casetime.records import table_to_records

    [record] = table_to_records(ex.valid("ia"))
    assert record == InitialAssessment("A1", dt.date(2009, 1, 5), dt.date(2009, 1, 14))


def test_the_examples_in_docs_records_md_run(monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(__file__).parent.parent
    monkeypatch.chdir(root)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testfile(str(root / "docs" / "records.md"), module_relative=False, optionflags=flags)
    assert result.attempted >= 20 and result.failed == 0
