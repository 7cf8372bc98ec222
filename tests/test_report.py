"""The report writers (text, CSV, JSON, HTML) on hand-built reports, and build_report on a hand-worked table."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from casetime.engine import compute_all
from casetime.extract import load
from casetime.report import (
    FORMATS,
    SCHEMA_ID,
    IndicatorSummary,
    Report,
    Row,
    build_report,
    render,
    to_csv,
    to_html,
    to_json,
    to_text,
)
from support import jsonschema

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "docs" / "report-schema.json").read_text(encoding="utf-8"))


def validator() -> Any:
    """The report schema's validator (jsonschema is imported by the tests that check against it)."""
    return jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


TRICKY_TITLE = 'Q&A <b>"first" report</b>'
TRICKY_LABEL = "Smith & 'Jones' <North>"
CSV_HEADER = [
    "indicator", "title", "period", "group_by", "group", "numerator", "denominator",
    "value", "display", "target", "polarity", "rag",
]  # fmt: skip


def _ni59(*, target: float | None = 70.0, late: list[dict[str, Any]] | None = None) -> IndicatorSummary:
    return IndicatorSummary(
        "NI59",
        "Initial assessments within 7 working days",
        "higher",
        target,
        Row("2008/09", 9, 14, 900 / 14, "64.3", "red" if target is not None else None),
        [
            Row("Apr 2008", 6, 8, 75.0, "75.0", "green" if target is not None else None),
            Row("May 2008", 0, 0, None, "-", None),
            Row(TRICKY_LABEL, 3, 6, 50.0, "50.0", "red" if target is not None else None),
        ],
        {"still_open": 2, "invalid": 1, "missing_start": 0},
        late,
        "month",
    )


def _ni64() -> IndicatorSummary:
    return IndicatorSummary(
        "NI64",
        "Child protection plans lasting 2 years or more",
        "lower",
        8.0,
        Row("2008/09", 1, 20, 5.0, "5.0", "green"),
        [Row("=SUM(A1:A9)", 1, 10, 10.0, "10.0", "amber"), Row("@team", 0, 10, 0.0, "0.0", "green")],
        {},
        None,
        "team",
    )


def _report(**kw: Any) -> Report:
    return Report(
        TRICKY_TITLE,
        "2008/09",
        "ia.csv & cpp.csv",
        [_ni59(**kw), _ni64()],
        {
            "reconciliation": [
                {
                    "record_type": "initial_assessment",
                    "source": "ia.csv",
                    "rows_read": 17,
                    "rows_valid": 16,
                    "rows_with_errors": 1,
                },
            ],
            "counts_by_rule": {"8608": 1},
        },
        generated="2009-04-30",
    )


# ---------------------------------------------------------------------------
# text
# ---------------------------------------------------------------------------


def test_text_shows_each_indicator_its_rows_and_the_data_quality() -> None:
    lines = to_text(_report()).splitlines()
    assert lines[0].startswith(f"{TRICKY_TITLE}: 2008/09 ")
    assert "convention day0" in lines[0]
    by_first = {line.split()[0]: line for line in lines if line.strip()}
    assert by_first["NI59"].split() == [
        "NI59", "64.3%", "9", "/", "14", "target", "70.0%", "RED", "Initial", "assessments", "within", "7",
        "working", "days",
    ]  # fmt: skip
    assert by_first["Apr"].split() == ["Apr", "2008", "75.0%", "6", "/", "8", "GREEN"]
    assert by_first["May"].split() == ["May", "2008", "-", "0", "/", "0", "-"]  # no value: a dash, no colour
    assert by_first["NI64"].split()[:8] == ["NI64", "5.0%", "1", "/", "20", "target", "8.0%", "GREEN"]
    # only the non-zero reasons are listed
    assert "  left out: still open: 2, invalid: 1" in lines
    assert not any("missing start" in line for line in lines)
    assert "initial_assessment (ia.csv): 17 read, 16 valid, 1 with errors" in lines
    assert lines[-1] == "data-quality issues: 8608: 1"


def test_text_without_target_or_value_shows_dashes() -> None:
    ind = IndicatorSummary("NI60", "Core assessments", "higher", None, Row("2008/09", 0, 0, None, "-", None), [], {})
    text = to_text(Report("T", "2008/09", "s", [ind], {"reconciliation": [], "counts_by_rule": {}}))
    assert text.endswith("\n")
    line = next(x for x in text.splitlines() if x.startswith("NI60"))
    assert line.split() == ["NI60", "-", "0", "/", "0", "target", "-", "-", "Core", "assessments"]
    assert "data-quality issues" not in text


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def test_csv_has_one_row_per_figure_overall_first() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(_report()))))
    assert rows[0] == CSV_HEADER
    body = [dict(zip(CSV_HEADER, r, strict=True)) for r in rows[1:]]
    assert [(r["indicator"], r["group_by"], r["group"]) for r in body] == [
        ("NI59", "overall", "2008/09"),
        ("NI59", "month", "Apr 2008"),
        ("NI59", "month", "May 2008"),
        ("NI59", "month", TRICKY_LABEL),
        ("NI64", "overall", "2008/09"),
        ("NI64", "team", "'=SUM(A1:A9)"),
        ("NI64", "team", "'@team"),
    ]
    first = body[0]
    assert (first["numerator"], first["denominator"], first["display"], first["target"]) == ("9", "14", "64.3", "70.0")
    assert float(first["value"]) == pytest.approx(900 / 14, abs=1e-12)  # the exact value, not the rounded one
    assert (first["polarity"], first["rag"], first["period"]) == ("higher", "red", "2008/09")
    may = body[2]
    assert (may["value"], may["rag"], may["numerator"], may["denominator"]) == ("", "", "0", "0")
    assert body[4]["polarity"] == "lower"


def test_csv_neutralises_every_cell_that_could_start_a_formula() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(_report()))))
    cells = [cell for row in rows for cell in row]
    assert [c for c in cells if c[:1] in ("=", "+", "-", "@")] == []
    assert "'=SUM(A1:A9)" in cells
    assert "'@team" in cells
    assert "'-" in cells  # the "no value" dash of May is neutralised too


def test_csv_without_target_leaves_the_target_blank() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(_report(target=None)))))
    ni59 = [r for r in rows if r["indicator"] == "NI59"]
    assert {r["target"] for r in ni59} == {""}
    assert {r["rag"] for r in ni59} == {""}


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------


def test_json_is_valid_against_the_documented_schema() -> None:
    validator().check_schema(SCHEMA)
    assert SCHEMA["$id"] == SCHEMA_ID
    for report in (_report(), _report(target=None), _report(late=[{"child_id": "C1", "elapsed": 9}])):
        data = json.loads(to_json(report))
        validator().validate(data)
        assert data["schema"] == SCHEMA_ID


def test_json_schema_rejects_what_it_should() -> None:
    data = json.loads(to_json(_report()))
    broken = json.loads(json.dumps(data))
    broken["indicators"][0]["overall"]["rag"] = "purple"
    with pytest.raises(jsonschema.ValidationError):
        validator().validate(broken)
    broken = json.loads(json.dumps(data))
    broken["generated"] = "30/04/2009"
    with pytest.raises(jsonschema.ValidationError):
        validator().validate(broken)
    broken = json.loads(json.dumps(data))
    del broken["indicators"][1]["rows"][0]["denominator"]
    with pytest.raises(jsonschema.ValidationError):
        validator().validate(broken)


def test_json_round_trips_with_the_figures_and_text_intact() -> None:
    text = to_json(_report(late=[{"child_id": "C000001", "elapsed": 9}]))
    data = json.loads(text)
    assert json.dumps(data, indent=2) + "\n" == text  # nothing lost or reordered by a round trip
    assert data["title"] == TRICKY_TITLE
    assert data["source"] == "ia.csv & cpp.csv"
    assert (data["calendar"], data["convention"], data["generated"]) == ("England and Wales", "day0", "2009-04-30")
    ni59, ni64 = data["indicators"]
    assert ni59["overall"] == {
        "label": "2008/09", "numerator": 9, "denominator": 14, "value": 900 / 14, "display": "64.3", "rag": "red",
        "bands": None, "total": None, "percentiles": None, "keys": None,
    }  # fmt: skip
    assert ni59["rows"][1] == {"label": "May 2008", "numerator": 0, "denominator": 0, "value": None,
                               "display": "-", "rag": None, "bands": None, "total": None,
                               "percentiles": None, "keys": None}  # fmt: skip
    assert ni59["rows"][2]["label"] == TRICKY_LABEL  # JSON is not a spreadsheet: labels are not altered
    assert ni59["late_cases"] == [{"child_id": "C000001", "elapsed": 9}]
    assert ni64["late_cases"] is None
    assert ni64["rows"][0]["label"] == "=SUM(A1:A9)"
    assert (ni64["polarity"], ni64["target"], ni64["group_by"]) == ("lower", 8.0, "team")
    assert data["quality"]["counts_by_rule"] == {"8608": 1}


def test_json_key_order_is_stable_and_follows_the_schema() -> None:
    text = to_json(_report())
    assert to_json(_report()) == text  # the same report gives the same bytes
    data = json.loads(text)
    assert list(data) == SCHEMA["required"]
    ind_required = SCHEMA["properties"]["indicators"]["items"]["required"]
    row_required = SCHEMA["$defs"]["row"]["required"]
    for ind in data["indicators"]:
        assert list(ind) == ind_required
        for row in [ind["overall"], *ind["rows"]]:
            assert list(row) == row_required
    assert list(data["quality"]) == ["reconciliation", "counts_by_rule"]
    assert list(data["quality"]["reconciliation"][0]) == [
        "record_type", "source", "rows_read", "rows_valid", "rows_with_errors",
    ]  # fmt: skip


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text, of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser


def test_html_escapes_titles_labels_and_sources() -> None:
    page = to_html(_report(late=[{"child_id": "<C1>", "note": "a & b"}]))
    for raw in (TRICKY_TITLE, TRICKY_LABEL, "<C1>", "ia.csv & cpp.csv", "<North>", "<b>"):
        assert raw not in page
    assert "Q&amp;A &lt;b&gt;&quot;first&quot; report&lt;/b&gt;" in page
    assert "Smith &amp; &#x27;Jones&#x27; &lt;North&gt;" in page
    parsed = _parse(page)
    text = "".join(parsed.text)
    assert TRICKY_TITLE in text  # what the reader sees is the title as written
    assert TRICKY_LABEL in text
    assert "<C1>" in text
    labels = [a.get("data-label") for t, a in parsed.tags if t == "rect" and "bar" in (a.get("class") or "")]
    assert TRICKY_LABEL in labels  # the attribute survives quoting intact
    assert not any(t == "b" for t, _ in parsed.tags)  # the title's <b> was not turned into markup


def _bars(page: str, section: str) -> list[dict[str, str | None]]:
    body = page.split(f'<section class="ind" id="{section}">', 1)[1].split("</section>", 1)[0]
    return [a for t, a in _parse(body).tags if t == "rect" and "bar" in (a.get("class") or "")]


def test_html_draws_a_bar_per_row_with_a_value_and_none_for_no_value() -> None:
    page = to_html(_report())
    bars = _bars(page, "NI59")
    assert [b["data-label"] for b in bars] == ["Apr 2008", TRICKY_LABEL]  # May 2008 has no value: no bar
    heights = {b["data-label"]: float(b["height"] or 0) for b in bars}
    assert heights["Apr 2008"] == pytest.approx(1.5 * heights[TRICKY_LABEL], rel=0.01)  # 75% vs 50%
    assert [b["fill"] for b in bars] == ["#1b7a3a", "#b3261e"]  # green, red
    assert "May 2008" in page  # the month is still labelled on the axis and in the table
    assert len(_bars(page, "NI64")) == 2
    assert page.count("<svg") == 2  # one chart per indicator


def test_html_target_line_only_when_there_is_a_target() -> None:
    with_target = to_html(_report())
    ni59 = with_target.split('id="NI59"', 1)[1].split("</section>", 1)[0]
    assert ni59.count('class="target"') == 1
    assert "target 70%" in ni59
    without = to_html(_report(target=None)).split('id="NI59"', 1)[1].split("</section>", 1)[0]
    assert 'class="target"' not in without
    # the overall badge says there is no RAG because there is no target (the figure itself is there)
    assert "no target" in without.split("<svg", 1)[0].lower()


def test_html_late_cases_table_only_when_given() -> None:
    assert "<details" not in to_html(_report())
    assert "Late cases" not in to_html(_report())
    page = to_html(_report(late=[{"child_id": "C000001", "elapsed": 9}, {"child_id": "C000002", "elapsed": 12}]))
    assert page.count("<details") == 1
    assert "Late cases: 2 (child ids: personal data)" in page
    assert "C000001" in page and "C000002" in page
    empty = to_html(_report(late=[]))
    assert "Late cases: 0" in empty


def test_html_is_self_contained() -> None:
    page = to_html(_report(late=[{"child_id": "C1"}]))
    parsed = _parse(page)
    names = {t for t, _ in parsed.tags}
    assert not names & {"script", "link", "img", "iframe", "object", "embed", "base"}
    attrs = {k for _, a in parsed.tags for k in a}
    assert not attrs & {"src", "href", "srcset", "action", "xlink:href"}
    assert not any(k.startswith("on") for k in attrs)  # no inline event handlers
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", page))
    assert urls <= {"http://www.w3.org/2000/svg"}  # only the SVG namespace name, never fetched
    assert "url(" not in page
    assert "@import" not in page


def test_html_shows_overall_figure_badge_and_data_quality() -> None:
    parsed = _parse(to_html(_report()))
    text = " ".join(parsed.text)
    assert "64.3%" in text
    badges = [a["class"] for t, a in parsed.tags if t == "span" and "badge" in (a.get("class") or "")]
    assert badges == ["badge rag-red", "badge rag-green"]  # NI59 red, NI64 green
    assert "8608: 1" in text
    sections = [a.get("id") for t, a in parsed.tags if t == "section"]
    assert sections == ["NI59", "NI64", "data-quality"]


# ---------------------------------------------------------------------------
# render
# ---------------------------------------------------------------------------


def test_render_dispatches_to_each_writer() -> None:
    report = _report()
    assert FORMATS == ("table", "csv", "json", "html")
    assert render(report, "table") == to_text(report)
    assert render(report, "csv") == to_csv(report)
    assert render(report, "json") == to_json(report)
    assert render(report, "html") == to_html(report)


def test_render_unknown_format_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"unknown format 'pdf'; choose one of table, csv, json, html"):
        render(_report(), "pdf")


# ---------------------------------------------------------------------------
# build_report on a table worked out by hand
# ---------------------------------------------------------------------------

# NI59, 2008/09 Q4 by month; working days "day 0" (England and Wales):
#   A  Mon 05 Jan -> Wed 14 Jan: 7 working days, within        Jan
#   B  Mon 05 Jan -> Thu 15 Jan: 8, late (due Wed 14 Jan)      Jan
#   C  Fri 19 Dec -> Fri 02 Jan: 7 (25, 26 Dec, 1 Jan closed)  Jan (placed by its completion)
#   D  Mon 02 Feb -> Mon 02 Feb: 0, within                     Feb
#   E  Tue 10 Feb -> (open): still open                        Feb (placed by its referral)
#   F  Tue 10 Mar -> Thu 05 Mar: completed before referral: 8608 error, left out as invalid   Mar
#   G  31/02/2009 -> Fri 20 Mar: unreadable referral date: error, left out as invalid         Mar
#   H  Fri 27 Mar -> Tue 07 Apr: completed in April, outside the period: not counted at all
#   I  Mon 02 Mar -> Thu 12 Mar: 8, late (due Wed 11 Mar)      Mar
# Jan 2/3 = 66.7% amber (within 5 points of 70); Feb 1/1 = 100.0% green; Mar 0/1 = 0.0% red;
# quarter 3/5 = 60.0% red; left out: invalid 2 (F, G), still open 1 (E), and H completed on 7 April,
# after the quarter: 9 records = 5 counted + 2 invalid + 1 still open + 1 stopped outside the period.
HAND = {
    "child_id": [f"K00{i}" for i in range(1, 10)],  # A = K001 ... I = K009
    "referral_date": ["2009-01-05", "2009-01-05", "2008-12-19", "2009-02-02", "2009-02-10", "2009-03-10",
                      "31/02/2009", "2009-03-27", "2009-03-02"],
    "completion_date": ["2009-01-14", "2009-01-15", "2009-01-02", "2009-02-02", None, "2009-03-05",
                        "2009-03-20", "2009-04-07", "2009-03-12"],
}  # fmt: skip


def _hand_report(**kw: Any) -> Report:
    extract = load(HAND, record_type="ia")
    results = compute_all(extract, "2008/09 Q4", by="month")
    return build_report(results, extract.quality, source="hand", **kw)


def test_build_report_matches_the_hand_worked_numbers() -> None:
    report = _hand_report(title="Hand check")
    assert (report.title, report.period, report.source) == ("Hand check", "2008/09 Q4", "hand")
    assert report.convention == "day0"
    assert report.calendar.startswith("England and Wales")
    assert [i.id for i in report.indicators] == ["NI59"]  # only the records present are reported
    ni59 = report.indicators[0]
    assert (ni59.polarity, ni59.target, ni59.group_by) == ("higher", 70.0, "month")
    assert "7 working days" in ni59.title
    o = ni59.overall
    assert (o.label, o.numerator, o.denominator, o.display, o.rag) == ("2008/09 Q4", 3, 5, "60.0", "red")
    assert o.value == pytest.approx(60.0)
    got = [(r.label, r.numerator, r.denominator, r.display, r.rag) for r in ni59.rows]
    assert got == [
        ("2009-01", 2, 3, "66.7", "amber"),
        ("2009-02", 1, 1, "100.0", "green"),
        ("2009-03", 0, 1, "0.0", "red"),
    ]
    assert ni59.rows[0].value == pytest.approx(200 / 3)
    assert ni59.left_out["invalid"] == 2
    assert ni59.left_out["still_open"] == 1
    assert ni59.left_out["clock_stop_outside_period"] == 1  # H
    assert sum(ni59.left_out.values()) == 4
    assert ni59.records == {
        "population": 9,
        "counted": 5,
        "invalid": 2,
        "still_open": 1,
        "clock_stop_outside_period": 1,
    }
    assert (
        ni59.reconciliation_line() == "9 records = 5 counted + 2 invalid + 1 still open + 1 stopped outside the period"
    )
    assert ni59.late_cases is None  # no record-level data unless asked
    assert report.quality["counts_by_rule"] == {"unparseable_date": 1, "8608": 1}
    assert report.quality["reconciliation"] == [
        {"record_type": "initial_assessment", "source": "<dataframe>", "rows_read": 9, "rows_valid": 7,
         "rows_with_errors": 2},
    ]  # fmt: skip
    validator().validate(json.loads(to_json(report)))


def test_build_report_lists_late_cases_only_when_asked() -> None:
    late = _hand_report(late_cases=True).indicators[0].late_cases
    assert late == [
        {"source": "<dataframe>", "row": 1, "child_id": "K002", "clock_start": "2009-01-05", "clock_stop": "2009-01-15",
         "elapsed": 8, "elapsed_unit": "working days", "due_date": "2009-01-14", "over_limit": 1, "month": "2009-01"},
        {"source": "<dataframe>", "row": 8, "child_id": "K009", "clock_start": "2009-03-02", "clock_stop": "2009-03-12",
         "elapsed": 8, "elapsed_unit": "working days", "due_date": "2009-03-11", "over_limit": 1, "month": "2009-03"},
    ]  # fmt: skip
    with_cases = render(_hand_report(late_cases=True), "html")
    assert "K002" in with_cases and "K009" in with_cases
    without = _hand_report()
    for fmt in FORMATS:
        assert "K00" not in render(without, fmt)


def test_build_report_passes_targets_and_groups_through() -> None:
    extract = load({**HAND, "team": ["N", "N", "S", "S", "S", "N", "N", "N", "S"]}, record_type="ia")
    results = compute_all(extract, "2008/09 Q4", by="team", targets={"NI59": 50})
    ni59 = build_report(results, extract.quality).indicators[0]
    assert (ni59.target, ni59.group_by) == (50.0, "team")
    # N: A within, B late (F and G invalid) -> 1/2; S: C, D within, I late (E open) -> 2/3
    assert [(r.label, r.numerator, r.denominator, r.display, r.rag) for r in ni59.rows] == [
        ("N", 1, 2, "50.0", "green"),
        ("S", 2, 3, "66.7", "green"),
    ]
    assert (ni59.overall.numerator, ni59.overall.denominator, ni59.overall.rag) == (3, 5, "green")


def test_a_blank_group_reads_the_same_in_the_report_as_in_the_notebook_view() -> None:
    extract = load({**HAND, "team": ["N", "N", None, "S", "S", "N", "N", "N", "S"]}, record_type="ia")
    results = compute_all(extract, "2008/09 Q4", by="team")
    ni59 = build_report(results, extract.quality).indicators[0]
    assert [r.label for r in ni59.rows] == ["N", "S", "(missing)"]
    text = render(build_report(results, extract.quality), "table")
    assert "(missing)" in repr(results["NI59"]) and "(missing)" in text and "None" not in text
