"""The CIN census XML reader: hand-made census files of several years, hostile files, and the CSV it equals."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

import casetime
import casetime.io.cin as cin
from casetime.cli import EXIT_USAGE, main
from casetime.io import ReadResult, read_cin_xml, read_csv
from casetime.tables import Table

DATA = Path(__file__).parent / "data" / "cin"
D = dt.date


def dates(table: Table, name: str) -> list[dt.date | None]:
    return list(table.dates[name].tolist())


def extra(table: Table, name: str) -> list[str | None]:
    return list(table.extra[name].values().tolist())


def test_census_2024_records_one_referral_per_cindetails_with_its_episode() -> None:
    result = read_cin_xml(DATA / "census_2024.xml")
    t = result.tables
    assert list(t) == ["referral", "single_assessment", "s47", "cpp"]
    ref = t["referral"]
    assert ref.child.values().tolist() == ["C1", "C1", "C&2"]  # (C&amp;2 in the file)
    assert dates(ref, "referral_date") == [D(2023, 5, 2), D(2024, 1, 10), D(2023, 11, 30)]  # (" 2023-05-02 ")
    assert dates(ref, "closure_date") == [D(2023, 9, 1), None, None]
    assert extra(ref, "episode") == ["C1/1", "C1/2", "C&2/1"]
    assert extra(ref, "ReferralNFA") == ["false", "false", "true"]  # false, 0, TRUE
    assert ref.row is not None and ref.row.tolist() == [11, 24, 36]  # the lines of the CINdetails
    sa = t["single_assessment"]
    assert dates(sa, "referral_date") == [D(2023, 5, 2), D(2024, 1, 10)]  # each CINdetails' own
    assert dates(sa, "start_date") == [D(2023, 5, 3), D(2024, 1, 11)]
    assert dates(sa, "completion_date") == [D(2023, 6, 20), None]
    assert extra(sa, "episode") == ["C1/1", "C1/2"]
    s47 = t["s47"]
    # the first Section47 has its own conference date (2023-05-19, differing from the CINdetails' 2023-05-20);
    # the second has none, and takes the CINdetails' one
    assert dates(s47, "conference_date") == [D(2023, 5, 19), D(2023, 5, 20)]
    assert extra(s47, "ICPCnotRequired") == ["false", "true"]  # FALSE, 1
    assert extra(s47, "InitialCPCtarget") == ["2023-05-25", None]
    cpp = t["cpp"]
    assert dates(cpp, "end_date") == [None]  # <CPPendDate/>
    assert cpp.reviews is not None and cpp.reviews.lists() == [[D(2023, 8, 10), D(2024, 2, 1)]]
    assert extra(cpp, "NumberOfPreviousCPP") == ["1"]
    assert result.issues == [] and result.rejected == []
    notices = {n.code: n.message for n in result.notices}
    assert notices == {
        "unknown_element": f"{DATA / 'census_2024.xml'}: <Mystery> is not an element of the census schemas "
        "2017-18 to 2026-27 (once, the first on line 29); it was ignored",
        "conference_dates_differ": f"{DATA / 'census_2024.xml'}: 1 Section47 has a DateOfInitialCPC different "
        "from its CINdetails' one (the first on line 18); the Section47 date is used",
    }
    (header,) = result.census
    assert (header.collection, header.year, header.reference_date, header.lea) == ("CIN", "2024", D(2024, 3, 31), "831")


def test_census_2018_shape_empty_elements_and_several_plans() -> None:
    result = read_cin_xml(DATA / "census_2018.xml")
    t = result.tables
    assert dates(t["referral"], "closure_date") == [None]  # <CINclosureDate></CINclosureDate>
    assert extra(t["referral"], "ReasonForClosure") == [None]  # <ReasonForClosure/>
    assert dates(t["single_assessment"], "completion_date") == [D(2017, 6, 5), None]
    cpp = t["cpp"]
    assert dates(cpp, "start_date") == [D(2017, 4, 26), D(2018, 2, 1)]
    assert cpp.reviews is not None and cpp.reviews.lists() == [[D(2017, 7, 20), D(2017, 12, 21)], []]
    assert extra(cpp, "episode") == ["B1/1", "B1/1"]
    assert result.notices == [] and result.issues == []


def test_census_2027_shape_sex_and_the_pre_proceedings_block_are_read_without_a_word() -> None:
    result = read_cin_xml(DATA / "census_2027.xml")
    assert result.notices == []
    assert result.tables["referral"].child.values().tolist() == ["Z9"]
    assert extra(result.tables["referral"], "ReferralNFA") == ["true"]
    assert dates(result.tables["s47"], "conference_date") == [None]
    assert result.census[0].lea == "926"


def test_load_takes_the_reference_date_as_at_and_the_census_year_as_the_default_period() -> None:
    extract = casetime.load(DATA / "census_2024.xml")
    assert extract.as_at == D(2024, 3, 31)
    assert extract.census[0].reference_date == D(2024, 3, 31)
    choice = extract.default_period()
    assert choice is not None and choice.period.label == "2023/24"
    assert choice.note == "the census year closing at the census file's reference date, 31 March 2024"
    # an explicit as_at wins
    assert casetime.load(DATA / "census_2024.xml", as_at="2024-06-30").as_at == D(2024, 6, 30)


def test_the_report_of_a_census_file(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["report", str(DATA / "census_2024.xml"), "--by", "year", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert status == 0 and out["period"] == "2023/24"
    ids = [i["id"] for i in out["indicators"]]
    assert ids == ["NI64", "SA45", "ICPC15"]  # single assessments: their era's measures join in
    sa45 = out["indicators"][1]
    # 2 May -> 20 June 2023 is 33 working days (bank holidays 29 May): within 45; the other is open
    assert (sa45["overall"]["numerator"], sa45["overall"]["denominator"]) == (1, 1)


def test_blocks_of_children_give_the_same_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = read_cin_xml(DATA / "census_2024.xml")
    monkeypatch.setattr(cin, "_BLOCK", 200)  # a block per child, cut at each </Child>
    cut = read_cin_xml(DATA / "census_2024.xml")
    assert_read_alike(cut, whole)


def assert_read_alike(got: ReadResult, expected: ReadResult) -> None:
    """The same tables (ids, rows, dates, extra columns) and the same notices."""
    assert got.tables.keys() == expected.tables.keys()
    for kind, table in expected.tables.items():
        other = got.tables[kind]
        assert other.child.values().tolist() == table.child.values().tolist()
        assert other.row is not None and table.row is not None and other.row.tolist() == table.row.tolist()
        for name in table.dates:
            assert dates(other, name) == dates(table, name)
        assert {n: extra(other, n) for n in other.extra} == {n: extra(table, n) for n in table.extra}
    assert [n.message for n in got.notices] == [n.message for n in expected.notices]


def test_blocks_read_where_no_thread_can_start_give_the_same_tables(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.setattr(cin, "_BLOCK", 300)  # several blocks, parsed two at a time on helper threads
    threaded = read_cin_xml(DATA / "census_2024.xml")
    request.getfixturevalue("no_threads")
    inline = read_cin_xml(DATA / "census_2024.xml")
    assert_read_alike(inline, threaded)


def test_the_census_equals_its_csv(tmp_path: Path) -> None:
    (tmp_path / "single_assessment.csv").write_text(
        "child_id,referral_date,start_date,completion_date\nB1,2017-04-03,2017-04-04,2017-06-05\n"
        "B1,2017-04-03,2017-09-01,\n"
    )
    (tmp_path / "cpp.csv").write_text(
        "child_id,referral_date,start_date,end_date,review_dates\n"
        "B1,2017-04-03,2017-04-26,2018-01-15,2017-07-20;2017-12-21\nB1,2017-04-03,2018-02-01,,\n"
    )
    xml = read_cin_xml(DATA / "census_2018.xml")
    for kind in ("single_assessment", "cpp"):
        csv = read_csv(tmp_path / f"{kind}.csv", kind)
        a, b = xml.tables[kind], csv.tables[kind]
        assert a.child.values().tolist() == b.child.values().tolist()
        for name in b.dates:
            assert dates(a, name) == dates(b, name)
    a_reviews, b_reviews = xml.tables["cpp"].reviews, read_csv(tmp_path / "cpp.csv", "cpp").tables["cpp"].reviews
    assert a_reviews is not None and b_reviews is not None and a_reviews.lists() == b_reviews.lists()
    one = casetime.compute_all(casetime.load(DATA / "census_2018.xml"), "2017/18", indicators=["SA45", "NI64"])
    two = casetime.compute_all(casetime.load(tmp_path, as_at="2018-03-31"), "2017/18", indicators=["SA45", "NI64"])
    assert {k: (v.total().numerator, v.total().denominator) for k, v in one.items()} == {
        k: (v.total().numerator, v.total().denominator) for k, v in two.items()
    }


HOSTILE = {
    "laughs.xml": (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n'
        "<Message><Children><Child><ChildIdentifiers><LAchildID>&lol2;</LAchildID></ChildIdentifiers>"
        "</Child></Children></Message>\n",
        "line 2: the file holds a DOCTYPE declaration; census files have none, and casetime never expands "
        "entities or fetches a DTD: remove it",
    ),
    "local.xml": (
        '<?xml version="1.0"?>\n<!DOCTYPE m [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        "<Message><Children><Child><ChildIdentifiers><LAchildID>&secret;</LAchildID></ChildIdentifiers>"
        "</Child></Children></Message>\n",
        "line 2: the file holds a DOCTYPE declaration",
    ),
    "remote.xml": (
        '<?xml version="1.0"?>\n<!DOCTYPE Message SYSTEM "http://example.com/cin.dtd">\n'
        "<Message><Children></Children></Message>\n",
        "line 2: the file holds a DOCTYPE declaration",
    ),
    "truncated.xml": (
        "<Message><Children><Child><ChildIdentifiers><LAchildID>A1</LAchildID></ChildIdentifiers>\n<CINdetails>"
        "<CINreferralDate>2024-01-0",
        "line 2: not well-formed XML (no element found) (the file ends early: is it truncated?)",
    ),
    "root.xml": (
        "<Root>\n<Children><Child><ChildIdentifiers><LAchildID>A</LAchildID></ChildIdentifiers></Child>"
        "</Children></Root>\n",
        "line 1: not a CIN census file: the root element is <Root>, expected <Message>",
    ),
    "deep.xml": (
        "<Message><Children><Child>\n" + "<a>" * 40 + "</a>" * 40 + "</Child></Children></Message>",
        "line 2: elements nested more than 32 deep",
    ),
    "mismatched.xml": (
        "<Message><Children><Child>\n<ChildIdentifiers><LAchildID>A</LAchildID></ChildIdentifers>\n"
        "</Child></Children></Message>",
        "line 2: <ChildIdentifiers> opened on line 2 is closed by </ChildIdentifers>",
    ),
    "entity.xml": (
        "<Message><Children><Child>\n<ChildIdentifiers><LAchildID>A&nbsp;</LAchildID></ChildIdentifiers>"
        "</Child></Children></Message>",
        "line 2: an undefined entity &nbsp; (XML defines only &lt; &gt; &amp; &apos; &quot;)",
    ),
    "cdata.xml": (
        "<Message><Children><Child>\n<ChildIdentifiers><LAchildID><![CDATA[A]]></LAchildID>"
        "</ChildIdentifiers></Child></Children></Message>",
        "line 2: a CDATA section; census files have none",
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_are_refused_in_one_line_with_exit_2(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, message = HOSTILE[name]
    path = tmp_path / name
    path.write_text(text)
    status = main(["report", str(path)])
    out, err = capsys.readouterr()
    assert (status, out) == (EXIT_USAGE, "")
    assert err.startswith(f"casetime: error: {path}: {message}")
    assert err.count("\n") == 1 and "Traceback" not in err
    with pytest.raises(ValueError, match=re.escape(message)) as info:  # the same message from Python
        read_cin_xml(path)
    assert str(info.value) == err.removeprefix("casetime: error: ").rstrip("\n")


def test_a_directory_reads_its_census_files_too(tmp_path: Path) -> None:
    (tmp_path / "cin.xml").write_bytes((DATA / "census_2018.xml").read_bytes())
    extract = casetime.load(tmp_path)
    assert extract.record_types == ("referral", "single_assessment", "s47", "cpp", "cin_plan")
    with pytest.raises(ValueError, match="a census file holds several record types"):
        casetime.load(DATA / "census_2018.xml", record_type="cpp")


def test_an_issue_names_the_line_the_child_and_the_element() -> None:
    quality = casetime.load(DATA / "census_2018.xml").quality
    text = quality.summary(show_ids=True)
    # the second assessment (line 10) is open as at 31 March 2018, more than 45 working days after 1 September
    assert (
        f"{DATA / 'census_2018.xml'} line 10 (single_assessment, child B1): "
        "start_date (Assessments/AssessmentActualStartDate)='2017-09-01': rule 8670Q:"
    ) in text
    # by default the line and the element say where, without the child's id (personal data)
    assert (
        f"{DATA / 'census_2018.xml'} line 10 (single_assessment): "
        "start_date (Assessments/AssessmentActualStartDate)='2017-09-01': rule 8670Q:"
    ) in quality.summary()
    assert "B1" not in quality.summary()
    # 15 working days after Wednesday 5 April 2017 (Good Friday 14, Easter Monday 17 April) is 28 April
    assert "InitialCPCtarget='2017-04-27 (should be 2017-04-28)': rule icpc_target" in text


def test_a_synthetic_extract_written_as_csv_and_as_a_census_loads_alike(tmp_path: Path) -> None:
    from casetime import synth

    extract = synth.generate(300, financial_year=2023, seed=3)
    synth.write_csv(extract, tmp_path / "csv")
    synth.write_cin_xml(extract, tmp_path / "cin.xml")
    csv, xml = casetime.load(tmp_path / "csv", as_at="2024-03-31"), casetime.load(tmp_path / "cin.xml")
    assert xml.as_at == csv.as_at == D(2024, 3, 31)
    assert csv.record_types == xml.record_types == ("referral", "single_assessment", "s47", "cpp")

    def records(table: Table) -> list[tuple[object, ...]]:  # (the census orders records by child)
        cols = [table.child.values().tolist(), *(table.dates[n].tolist() for n in table.dates)]
        if table.reviews is not None:
            cols.append([tuple(r) for r in table.reviews.lists()])
        return sorted(zip(*cols, strict=True), key=repr)

    for kind in csv.record_types:
        assert records(xml.tables[kind]) == records(csv.tables[kind]), kind
    assert csv.quality.counts().by_rule == xml.quality.counts().by_rule
    a, b = casetime.compute_all(csv, "2023/24"), casetime.compute_all(xml, "2023/24")
    assert {k: (v.total().numerator, v.total().denominator) for k, v in a.items()} == {
        k: (v.total().numerator, v.total().denominator) for k, v in b.items()
    }
    assert set(a) == {"NI64", "SA45", "ICPC15"}


def test_a_column_mapping_does_not_apply_to_a_census_file_and_says_so() -> None:
    extract = casetime.load(DATA / "census_2018.xml", columns={"completion_date": "Signed Off"})
    (notice,) = [n for n in extract.quality.notices if n.code == "mapping_not_used"]
    assert notice.message.endswith(
        "the columns= mapping does not apply to a census file (its elements say what each date is)"
    )
    assert not [n for n in casetime.load(DATA / "census_2018.xml").quality.notices if n.code == "mapping_not_used"]


def test_cin_plan_dates_are_a_record_type_of_their_own(tmp_path: Path) -> None:
    """Each CINPlanDates block is a child in need plan, with its CINdetails' referral date and episode; a file
    named for the type reads the same; columns alone never make one (they are a protection plan's)."""
    extract = casetime.load(DATA / "census_2018.xml")
    plans = extract["cin_plan"].to_columns()
    assert plans["child_id"].tolist() == ["B1"]
    assert [str(d) for d in plans["start_date"]] == ["2017-06-06"]
    assert [str(d) for d in plans["referral_date"]] == ["2017-04-03"]
    assert str(plans["end_date"][0]) == "NaT"
    assert plans["episode"].tolist() == extract["referral"].to_columns()["episode"].tolist()
    (tmp_path / "cin_plan.csv").write_text(
        "LAchildID,CINreferralDate,CINPlanStartDate,CINPlanEndDate\nB1,2017-04-03,2017-06-06,\n", encoding="utf-8"
    )
    from_csv = casetime.load(tmp_path)["cin_plan"].to_columns()
    assert [str(d) for d in from_csv["start_date"]] == ["2017-06-06"]
    frame = {"child_id": ["A"], "start_date": ["2017-06-06"], "end_date": [None]}
    assert casetime.load(frame).record_types == ("cpp",)
    assert casetime.load(frame, record_type="CIN plan").record_types == ("cin_plan",)


def _census(tmp_path: Path, children: list[str], before: str = "", after: str = "") -> Path:
    path = tmp_path / "census.xml"
    body = "".join(children)
    text = f'<?xml version="1.0"?>\n{before}<Message>\n<Children>\n{body}</Children>\n</Message>\n{after}'
    path.write_text(text, encoding="utf-8")
    return path


def _child(child_id: str, inner: str = "", ident: str = "<ChildIdentifiers>") -> str:
    return (
        f"<Child>{ident}<LAchildID>{child_id}</LAchildID></ChildIdentifiers><CINdetails>"
        f"<CINreferralDate>2024-01-05</CINreferralDate>{inner}</CINdetails></Child>\n"
    )


def test_the_first_error_in_the_file_is_the_one_said_however_blocks_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cin, "_BLOCK", 100)  # a block per child, several parsed at once
    children = [_child(f"A{i}") for i in range(6)]
    children[3] = _child("A3", "<ReferralSource>1A</ReferralSourc>")  # line 7
    children[4] = _child("A4", "<a>" * 40 + "</a>" * 40)  # line 8, parsed beside it
    path = _census(tmp_path, children)
    with pytest.raises(ValueError, match=r"line 7: <ReferralSource> opened on line 7 is closed by </ReferralSourc>$"):
        read_cin_xml(path)
    children[3] = _child("A3")
    with pytest.raises(ValueError, match=r"line 8: elements nested more than 32 deep$"):
        read_cin_xml(_census(tmp_path, children))


def test_of_two_tags_that_do_not_pair_in_one_block_the_first_in_the_file_is_said(tmp_path: Path) -> None:
    # the pairs are found level by level; the one said is the first closing tag in the file, however deep
    children = [
        _child("A1", "<Reviews></Assessments>"),  # line 4, five levels deep
        _child("A2", ident="<ChildIdentity>"),  # line 5, four levels deep: closed by </ChildIdentifiers>
    ]
    with pytest.raises(ValueError, match=r"line 4: <Reviews> opened on line 4 is closed by </Assessments>$"):
        read_cin_xml(_census(tmp_path, children))
    # (and the second child's own fault, on its own: it is on the first line of children then)
    with pytest.raises(ValueError, match=r"line 4: <ChildIdentity> opened on line 4 is closed by </ChildIdentifiers>$"):
        read_cin_xml(_census(tmp_path, children[1:]))


def test_declarations_anywhere_are_refused_with_their_line(tmp_path: Path) -> None:
    path = _census(tmp_path, [_child("A1")], after="\n<!DOCTYPE x>\n")
    with pytest.raises(ValueError, match=r"census.xml: line 8: the file holds a DOCTYPE declaration"):
        read_cin_xml(path)
    path = _census(tmp_path, [_child("A1"), '<!ENTITY x "y">\n', _child("A2")])
    with pytest.raises(ValueError, match=r"line 5: the file holds an entity declaration"):
        read_cin_xml(path)
    path = _census(tmp_path, [_child("A1"), _child("A2", "<!ELEMENT x ANY>")])
    with pytest.raises(ValueError, match=r"line 5: a declaration inside the children; census files have none"):
        read_cin_xml(path)


def test_attributes_and_spaces_in_tags_are_read_past(tmp_path: Path) -> None:
    children = [
        _child("A1", ident='<ChildIdentifiers source="x">'),
        _child("A2", "<ReferralSource >1B</ReferralSource >"),
    ]
    read = read_cin_xml(_census(tmp_path, children))
    assert extra(read.tables["referral"], "ReferralSource") == [None, "1B"]
    assert read.tables["referral"].child.values().tolist() == ["A1", "A2"]
    bad = [_child("A1", ident='<ChildIdentifiers source="x">').replace("</ChildIdentifiers>", "</ChildIdentifier>")]
    with pytest.raises(ValueError, match=r"<ChildIdentifiers> opened on line 4 is closed by </ChildIdentifier>$"):
        read_cin_xml(_census(tmp_path, bad))


def test_long_and_non_ascii_values_beside_plain_ones(tmp_path: Path) -> None:
    long_plain = "x" * 60
    long_odd = "é" * 30 + " &amp; " + "y" * 20
    children = [
        _child("A1", f"<ReferralSource>{long_plain}</ReferralSource>"),
        _child("Zoë", f"<ReferralSource> {long_odd} </ReferralSource>"),
        _child("A3", "<ReferralSource>1A</ReferralSource>"),
        _child("Zoë", "<ReferralSource>&#x31;A</ReferralSource>"),
    ]
    read = read_cin_xml(_census(tmp_path, children))
    referral = read.tables["referral"]
    assert referral.child.values().tolist() == ["A1", "Zoë", "A3", "Zoë"]
    assert extra(referral, "ReferralSource") == [long_plain, "é" * 30 + " & " + "y" * 20, "1A", "1A"]
    assert extra(referral, "episode") == ["A1/1", "Zoë/1", "A3/1", "Zoë/1"]


def test_a_value_past_the_cell_limit_is_a_row_issue_and_is_emptied_as_in_a_csv(tmp_path: Path) -> None:
    # the limit is on characters, as in a CSV: 40,000 two-byte characters are kept, 65,536 too
    plan = "<ChildProtectionPlans><CPPstartDate>2024-01-{}</CPPstartDate><Reviews>{}</Reviews></ChildProtectionPlans>"
    review = "<CPPreviewDate>{}</CPPreviewDate>"
    children = [
        _child("A1", f"<ReferralSource>{'x' * 70_000}</ReferralSource>"),
        _child("A2", f"<ReferralSource>{'é' * 40_000}</ReferralSource>"),
        _child("A3", f"<ReferralSource>{'y' * 65_536}</ReferralSource>"),
        _child(
            "A4",
            "<DateOfInitialCPC>2024-01-20</DateOfInitialCPC>"
            f"<Section47><S47ActualStartDate>2024-01-09</S47ActualStartDate><DateOfInitialCPC>{'2' * 70_001}"
            "</DateOfInitialCPC></Section47>"
            "<Section47><S47ActualStartDate>2024-01-09</S47ActualStartDate></Section47>",
        ),
        _child("A5", plan.format(20, review.format("2024-04-01") + review.format("9" * 80_000))),
        _child("A6", plan.format(22, "")),
        _child("B" * 66_000, "<Section47><S47ActualStartDate>2024-01-09</S47ActualStartDate></Section47>"),
    ]
    read = read_cin_xml(_census(tmp_path, children))
    referral, s47, cpp = read.tables["referral"], read.tables["s47"], read.tables["cpp"]
    assert extra(referral, "ReferralSource") == [None, "é" * 40_000, "y" * 65_536, None, None, None, None]
    assert referral.child.values().tolist() == ["A1", "A2", "A3", "A4", "A5", "A6", None]
    # an s47's own conference date emptied for its length is said so, not replaced by its CINdetails' date
    assert dates(s47, "conference_date") == [None, D(2024, 1, 20), None]
    assert cpp.reviews is not None and cpp.reviews.lists() == [[D(2024, 4, 1)], []]  # (the emptied review: none)
    found = sorted(
        (i.record_type, i.rule, i.field, i.positions.tolist(), i.values.tolist())
        for i in read.issues
        if i.rule == "cell_too_long"
    )
    assert found == [
        ("cpp", "cell_too_long", "review_dates", [0], ["<80,000 characters>"]),
        ("referral", "cell_too_long", "ReferralSource", [0], ["<70,000 characters>"]),
        ("referral", "cell_too_long", "child_id", [6], ["<66,000 characters>"]),
        ("s47", "cell_too_long", "child_id", [2], ["<66,000 characters>"]),
        ("s47", "cell_too_long", "conference_date", [0], ["<70,001 characters>"]),
    ]
    # the emptied cells are not said missing again by validation, and no child id is shown by default
    summary = casetime.load(_census(tmp_path, children)).quality.summary(max_issues=100)
    assert "\nissues by rule: cell_too_long: 5\n" in summary
    assert "line 10 (s47): child_id (LAchildID)=(not shown): rule cell_too_long" in summary and "BBB" not in summary


@pytest.mark.parametrize(
    ("inner", "message"),
    [
        ("<ReferralSource <x>1A</ReferralSource>", "line 4: a '<' inside a tag: not well-formed XML"),
        ("</Reviews>", "line 4: </Child> closes an element that was not opened"),  # (the first tag too many)
        ("<Reviews>", "line 4: an element is not closed (is the file truncated?)"),
        ("<Reviews></Assessments>", "line 4: <Reviews> opened on line 4 is closed by </Assessments>"),
        ("<?pi skipped?><ReferralSource>1A</ReferralSource><!-- a <note> -->", None),
    ],
)
def test_tags_that_do_not_pair_are_refused_with_their_line(tmp_path: Path, inner: str, message: str | None) -> None:
    path = _census(tmp_path, [_child("A1", inner)])
    if message is None:
        assert extra(read_cin_xml(path).tables["referral"], "ReferralSource") == ["1A"]
        return
    with pytest.raises(ValueError, match=re.escape(message) + "$"):
        read_cin_xml(path)
    with pytest.raises(ValueError, match=r"line 5: </Child> closes an element that was not opened$"):
        read_cin_xml(_census(tmp_path, ["<Child>\n</CINdetails></Child>\n"]))


def test_a_greater_than_sign_in_a_value_is_text(tmp_path: Path) -> None:
    """XML allows a bare '>' in text: the tags are still found by each '<' and the first '>' after it."""
    children = [
        _child("A1", "<ReferralSource>a > b</ReferralSource>"),
        _child("A2>", "<ReferralSource>1A</ReferralSource>"),
    ]
    read = read_cin_xml(_census(tmp_path, children))
    assert read.tables["referral"].child.values().tolist() == ["A1", "A2>"]
    assert extra(read.tables["referral"], "ReferralSource") == ["a > b", "1A"]
    with pytest.raises(ValueError, match=r"line 4: a '<' inside a tag: not well-formed XML$"):
        read_cin_xml(_census(tmp_path, [_child("A1", "<ReferralSource>a > b</ReferralSource <x>")]))


def test_names_longer_than_the_words_compared_must_still_pair_exactly(tmp_path: Path) -> None:
    long = "X" * 32
    path = _census(tmp_path, [_child("A1", f"<{long}a>1</{long}b>")])
    with pytest.raises(ValueError, match=rf"<{long}a> opened on line 4 is closed by </{long}b>$"):
        read_cin_xml(path)
    fine = read_cin_xml(_census(tmp_path, [_child("A1", f"<{long}a>1</{long}a>")]))
    assert [n.code for n in fine.notices] == ["unknown_element"]


def test_a_comment_inside_a_value_is_not_part_of_it(tmp_path: Path) -> None:
    read = read_cin_xml(_census(tmp_path, [_child("A1<!-- a note <b> -->", "<ReferralSource>1A</ReferralSource>")]))
    assert read.tables["referral"].child.values().tolist() == ["A1"]


def test_the_first_bad_value_in_the_file_is_the_one_said(tmp_path: Path) -> None:
    path = _census(tmp_path, [_child("A1&zz;"), _child("A2&aa;")])
    with pytest.raises(ValueError, match=r"line 4: an undefined entity &zz;"):
        read_cin_xml(path)
