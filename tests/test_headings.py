"""Headings understood by their words, the columns each load used, and the warnings where a heading is missing or
ambiguous (issue 14, item 1)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casetime import load
from casetime.cli import EXIT_DATA_ERRORS, EXIT_OK, main
from casetime.engine import compute
from casetime.schema import SCHEMAS, ColumnError, heading_words, match_columns

# the headings a council export was seen to use, with the record type and the field each one is
SEEN = [
    ("IA Completed Date", "initial_assessment", "completion_date"),
    ("Date IA Completed", "initial_assessment", "completion_date"),
    ("Completed Date", "initial_assessment", "completion_date"),
    ("Assessment Completed Date", "initial_assessment", "completion_date"),
    ("Initial Assessment Completed Date", "initial_assessment", "completion_date"),
    ("CA Completed Date", "core_assessment", "completion_date"),
    ("Core Assessment Completed", "core_assessment", "completion_date"),
    ("CP End Date", "cpp", "end_date"),
    ("Date Plan Ended", "cpp", "end_date"),
    ("Plan Ceased Date", "cpp", "end_date"),
]
START = {"initial_assessment": "Referral Date", "core_assessment": "CA Start Date", "cpp": "CP Start Date"}


@pytest.mark.parametrize(("heading", "kind", "field"), SEEN)
def test_the_headings_councils_use_feed_the_clock_stop(heading: str, kind: str, field: str) -> None:
    start = START[kind]
    frame = {"Child ID": ["A"], start: ["05/01/2009"], heading: ["07/01/2009"]}
    extract = load(frame, record_type=kind)
    (used,) = extract.quality.columns
    assert used.fields[field] == heading
    assert used.how[field] == "words" or heading == "Completed Date"  # ("completed date" is also an alias)
    assert extract.quality.notices == []
    assert extract[kind].dates[field].astype(str).tolist() == ["2009-01-07"]


def test_an_export_with_an_ia_completed_date_counts_its_assessments(tmp_path: Path) -> None:
    path = tmp_path / "initial_assessment.csv"
    path.write_text(
        "Child ID,Referral Date,IA Completed Date,Team\n"
        "A,05/01/2009,14/01/2009,North\n"  # 7 working days: within
        "B,05/01/2009,15/01/2009,South\n"  # 8: late
        "C,06/01/2009,,North\n",  # still open
        encoding="utf-8",
    )
    result = compute("NI59", load(path), "2008/09").total()
    assert (result.numerator, result.denominator, result.left_out["still_open"]) == (1, 2, 1)


@pytest.mark.parametrize(
    ("kind", "headings", "field"),
    [
        ("initial_assessment", ["Child ID", "Referral Date", "CA Completed Date"], "completion_date"),  # another type
        ("s47", ["Child ID", "S47 Start Date", "InitialCPCtarget"], "conference_date"),  # a target, not a conference
        ("cpp", ["Child ID", "CP Start Date", "Date of the last statutory visit"], "review_dates"),  # a visit
        ("cpp", ["Child ID", "CP Start Date", "Number of Previous CPPs"], "end_date"),
    ],
)
def test_a_heading_that_says_something_else_is_not_taken(kind: str, headings: list[str], field: str) -> None:
    match = match_columns(kind, headings)
    assert field not in match.fields
    assert match.unused == (headings[2],)


def test_the_annex_a_headings_are_understood() -> None:
    start = "Strategy discussion initiating Section 47 Enquiry Start Date"
    s47 = match_columns("s47", ["Child ID", start, "Date of ICPC"])
    assert s47.fields == {
        "child_id": "Child ID",
        "start_date": start,
        "conference_date": "Date of ICPC",
    }
    cpp = match_columns("cpp", ["Child ID", "CPP Start Date", "CPP End Date", "Date of latest review conference"])
    assert cpp.fields["review_dates"] == "Date of latest review conference"
    assert cpp.how == {"child_id": "name", "start_date": "alias", "end_date": "alias", "review_dates": "words"}


def test_two_headings_for_one_field_are_said_and_the_mapping_chooses() -> None:
    headings = ["Child ID", "Referral Date", "IA Completed Date", "Date IA Completed"]
    match = match_columns("ia", headings, source="ia.csv")
    assert match.fields["completion_date"] == "IA Completed Date"
    assert match.warnings == (
        "ia.csv: 'IA Completed Date' and 'Date IA Completed' both fit completion_date; 'IA Completed Date' is used "
        "(map the column to choose)",
    )
    chosen = match_columns("ia", headings, {"completion_date": "Date IA Completed"}, source="ia.csv")
    assert (chosen.fields["completion_date"], chosen.how["completion_date"]) == ("Date IA Completed", "mapping")
    assert chosen.warnings == ()
    # the warning reaches the extract, as a notice of the source
    frame = {h: ["A" if h == "Child ID" else "05/01/2009"] for h in headings}
    (notice,) = load(frame, record_type="ia").quality.notices
    assert (notice.code, notice.record_type) == ("ambiguous_heading", "initial_assessment")
    assert "'IA Completed Date' and 'Date IA Completed' both fit completion_date" in notice.message


def test_one_heading_for_two_fields_is_said_and_not_used() -> None:
    match = match_columns("cpp", ["Child ID", "CP Start Date", "Plan Start/End Date"], source="cpp.csv")
    assert "end_date" not in match.fields and match.fields["start_date"] == "CP Start Date"
    assert match.warnings == ("cpp.csv: 'Plan Start/End Date' fits start_date and end_date; it is not used "
                              "(map the column to choose)",)  # fmt: skip


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_report_warns_next_to_the_indicator_when_the_clock_stop_is_absent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "initial_assessment.csv", "Child ID,Referral Date,Outcome\nA,05/01/2009,NFA\n")
    assert main(["report", str(path), "--period", "2008/09", "--indicators", "NI59", "--by", "year"]) == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    warning = (
        f"  warning: {path}: no completion_date column among the initial assessment headings ('Child ID', "
        "'Referral Date', 'Outcome'): every record will count as still open; map the column (columns= in Python, "
        "--column on the command line) if it is there under another name"
    )
    at = out.index(warning)
    assert out[at - 2].startswith("NI59 ") and out[at + 1] == "  1 record = 0 counted + 1 still open"
    # --strict refuses, in one line, with exit 1
    assert main(["report", str(path), "--strict", "--period", "2008/09"]) == EXIT_DATA_ERRORS
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [f"casetime: strict: {warning.removeprefix('  warning: ')}"]
    # --column maps it, and the warning goes
    path2 = _write(tmp_path / "ia2.csv", "Child ID,Referral Date,Signed Off\nA,05/01/2009,07/01/2009\n")
    args = ["report", str(path2), "--record-type", "ia", "--column", "completion_date=Signed Off", "--strict"]
    assert main([*args, "--period", "2008/09", "--by", "year", "--indicators", "NI59"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "100.0%     1 / 1" in out and "warning" not in out


def test_validate_shows_the_columns_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "cpp.csv", "Child ID,CP Start Date,Date Plan Ended,Team\nA,05/01/2009,07/05/2009,N\n")
    assert main(["validate", str(path)]) == EXIT_OK
    first = capsys.readouterr().out.splitlines()[0]
    assert first == (
        f"columns used: {path} (cpp): child_id <- 'Child ID' (name), start_date <- 'CP Start Date' (words), "
        "end_date <- 'Date Plan Ended' (words); not used: 'Team'"
    )


def test_a_bad_column_option_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "ia.csv", "child_id,referral_date\nA,2009-01-05\n")
    assert main(["validate", str(path), "--column", "completion_date"]) == 2
    assert capsys.readouterr().err == (
        "casetime: error: --column 'completion_date': expected FIELD=HEADING, "
        "e.g. completion_date='IA Completed Date'\n"
    )


# -- property: headings by their words find what the standard names find ---------------------------------

_EVENT = {
    "referral_date": ["referral", "referred"],
    "start_date": ["start", "started", "commenced", "commencement"],
    "completion_date": ["completed", "completion", "authorised", "authorisation"],
    "end_date": ["end", "ended", "ceased", "closed"],
    "closure_date": ["closed", "closure", "ended"],
    "conference_date": ["conference", "icpc"],
    "review_dates": ["review", "reviews"],
}
_TYPE = {
    "referral": [],
    "initial_assessment": ["IA", "initial", "assessment"],
    "core_assessment": ["CA", "core", "assessment"],
    "single_assessment": ["single", "assessment"],
    "s47": ["s47", "section 47", "enquiry"],
    "cpp": ["CP", "plan", "CPP"],
    "cin_plan": ["CIN", "plan"],
}


@st.composite
def worded(draw: Any) -> tuple[str, dict[str, str]]:
    kind = draw(st.sampled_from(sorted(SCHEMAS)))
    out: dict[str, str] = {}
    for name in SCHEMAS[kind].columns[1:]:
        words = [draw(st.sampled_from(_EVENT[name]))]
        if _TYPE[kind] and draw(st.booleans()):
            words.append(draw(st.sampled_from(_TYPE[kind])))
        if draw(st.booleans()):
            words.append(draw(st.sampled_from(["date", "Date", "DATE", "dt"])))
        words = draw(st.permutations(words))
        cased = [draw(st.sampled_from([w, w.upper(), w.title(), w.lower()])) for w in words]
        out[name] = draw(st.sampled_from([" ", "_", "-", ". ", " / "])).join(cased)
    return kind, out


@settings(max_examples=300, deadline=None)
@given(worded())
def test_headings_by_their_words_find_the_same_columns_as_the_standard_names(case: tuple[str, dict[str, str]]) -> None:
    kind, headings = case
    standard = match_columns(kind, ["child_id", *headings])
    by_words = match_columns(kind, ["child_id", *headings.values()])
    assert set(standard.fields) == set(SCHEMAS[kind].columns)
    assert by_words.fields == {"child_id": "child_id", **headings}
    assert by_words.warnings == ()


def test_heading_words_split_camel_case_and_join_section_47() -> None:
    assert heading_words("AssessmentAuthorisationDate") == ("assessment", "authorisation", "date")
    assert heading_words("Section-47 Start") == ("s47", "start")
    assert heading_words("\ufeffIA_Completed.Date") == ("ia", "completed", "date")


# -- item 2: mappings for every input, per record type, per file -------------------------------------


@pytest.fixture
def council(tmp_path: Path) -> Path:
    _write(tmp_path / "initial_assessment.csv", "Child ID,Referral Date,Signed Off\nA,05/01/2009,07/01/2009\n")
    _write(tmp_path / "cpp.csv", "Child ID,Plan Began,Plan Stopped\nA,05/01/2009,07/05/2009\n")
    return tmp_path


def test_a_mapping_by_record_type_maps_each_file_its_own_way(council: Path) -> None:
    columns = {"ia": {"completion_date": "Signed Off"}, "cpp": {"start_date": "Plan Began", "end_date": "Plan Stopped"}}
    ex = load(council, columns=columns)
    used = {c.record_type: (dict(c.fields), dict(c.how)) for c in ex.quality.columns}
    assert used["initial_assessment"][0]["completion_date"] == "Signed Off"
    assert used["cpp"][0] == {"child_id": "Child ID", "start_date": "Plan Began", "end_date": "Plan Stopped"}
    assert used["cpp"][1]["end_date"] == "mapping"
    assert ex.quality.notices == []


def test_one_mapping_for_every_file_is_refused_where_it_names_another_types_column(council: Path) -> None:
    with pytest.raises(ColumnError) as caught:
        load(council, columns={"completion_date": "Signed Off"})
    assert str(caught.value).startswith(f"{council / 'cpp.csv'}: mapping names 'completion_date', which is not a ")
    assert "give the mapping by type (columns={'initial_assessment': {...}}, --column ia.FIELD=HEADING)" in str(
        caught.value
    )


def test_a_mapping_by_file_wins_and_must_name_a_file_read(council: Path) -> None:
    columns = {"initial_assessment.csv": {"completion_date": "Signed Off"}, "cpp": {"start_date": "Plan Began"}}
    ex = load(council, columns=columns)
    cpp = next(c for c in ex.quality.columns if c.record_type == "cpp")
    assert cpp.unused == ("Plan Stopped",)  # the cpp entry maps its start only: its end is not guessed
    assert [n.code for n in ex.quality.notices] == ["no_clock_stop"]
    with pytest.raises(ColumnError, match=re.escape("columns= names 'other.csv', which is neither a record type")):
        load(council, columns={"other.csv": {"completion_date": "Signed Off"}})
    with pytest.raises(ColumnError, match="mixes standard names and mappings"):
        load(council, columns={"completion_date": "Signed Off", "cpp": {"start_date": "Plan Began"}})


def test_the_command_line_maps_by_record_type(council: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["validate", str(council), "--column", "ia.completion_date=Signed Off"]
    args += ["--column", "cpp.start_date=Plan Began", "--column", "cpp.end_date=Plan Stopped"]
    assert main(args) == EXIT_OK
    out = capsys.readouterr().out
    assert "end_date <- 'Plan Stopped' (mapping)" in out and "completion_date <- 'Signed Off' (mapping)" in out
    assert main(["validate", str(council), "--column", "completion_date=X", "--column", "ia.start_date=Y"]) == 2
    assert capsys.readouterr().err == (
        "casetime: error: --column: give every column as FIELD=HEADING, or every one as TYPE.FIELD=HEADING\n"
    )


def test_a_referral_file_without_closures_is_not_warned_about(tmp_path: Path) -> None:
    # a referral's closure stops no timeliness clock: its absence says nothing about any indicator
    (tmp_path / "referral.csv").write_text("child_id,referral_date\nA,05/01/2009\n")
    (tmp_path / "cpp.csv").write_text("child_id,start_date\nA,05/01/2009\n")
    ex = load(tmp_path)
    assert [(n.record_type, n.code) for n in ex.quality.notices] == [("cpp", "no_clock_stop")]
