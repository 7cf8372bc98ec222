"""``casetime report`` and ``casetime validate`` end to end: every format, every option, every user error.

The numbers printed are compared with the Python API's (``casetime.extract.load`` then
``casetime.engine.compute_all``) on the same files: the bundled sample and generated extracts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from casetime.cli import EXIT_DATA_ERRORS, EXIT_OK, EXIT_USAGE, main
from casetime.engine import compute_all
from casetime.extract import Extract, load
from casetime.indicators import NI59, NI60, NI64
from casetime.periods import Period
from casetime.results import ResultTable
from casetime.sample import sample_path
from casetime.synth import generate, write_csv
from support import jsonschema

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "docs" / "report-schema.json").read_text(encoding="utf-8"))


def validator() -> Any:
    """The report schema's validator (jsonschema is imported by the tests that check against it)."""
    return jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


ISSUE_COLUMNS = ["record_type", "source", "row", "child_id", "field", "value", "rule", "severity", "message"]
CHILD_ID = re.compile(r"C\d{6}")  # the synthetic child ids (C000123)
DANGEROUS = ("=", "+", "-", "@")

Figure = tuple[str, int, int, str, "str | None"]


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def ok(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    status, out, err = run(capsys, *args)
    assert (status, err) == (EXIT_OK, ""), err
    return out


def report_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(capsys, "report", "--format", "json", *args))
    validator().validate(data)
    return data


def fails(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run a command that must fail with one line on stderr and exit status 2; return that line."""
    status, out, err = run(capsys, *args)
    assert status == EXIT_USAGE
    assert out == ""
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("casetime: error: ")
    return err.strip()


def api_figures(results: Mapping[str, ResultTable]) -> dict[str, dict[str, Any]]:
    """What the Python API says: per indicator the overall figure, the rows and the target."""
    out = {}
    for ind_id, table in results.items():
        total = table.total()
        rows = [
            (" / ".join(str(v) for _, v in r.key) or r.period.label, r.numerator, r.denominator, r.display or "-",
             r.status)
            for r in table.rows
        ]  # fmt: skip
        out[ind_id] = {
            "overall": (table.period.label, total.numerator, total.denominator, total.display or "-", total.status),
            "rows": rows,
            "target": None if table.target is None else float(table.target),
            "left_out": {k: v for k, v in total.left_out.items() if v},
            "values": [None if r.value is None else float(r.value) for r in [total, *table.rows]],
        }
    return out


def json_figures(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    def row(r: Mapping[str, Any]) -> Figure:
        return (r["label"], r["numerator"], r["denominator"], r["display"], r["rag"])

    return {
        ind["id"]: {
            "overall": row(ind["overall"]),
            "rows": [row(r) for r in ind["rows"]],
            "target": ind["target"],
            "left_out": {k: v for k, v in ind["left_out"].items() if v},
            "values": [r["value"] for r in [ind["overall"], *ind["rows"]]],
        }
        for ind in data["indicators"]
    }


def api(extract: Extract, period: Period | str, by: str | Sequence[str] = "month", **kw: Any) -> dict[str, Any]:
    return api_figures(compute_all(extract, period, by=by, **kw))


_OVERALL = re.compile(
    r"^(?P<id>[A-Z]+\d+)\s+(?P<shown>-|\d+\.\d%)\s+(?P<num>\d+) / (?P<den>\d+)\s+target (?P<target>-|\d+\.\d%)\s+"
    r"(?P<rag>GREEN|AMBER|RED|-)\s+(?P<title>.+)$"
)
_ROW = re.compile(
    r"^  (?P<label>.+?)\s+(?P<shown>-|\d+\.\d%)\s+(?P<num>\d+) / (?P<den>\d+)\s+(?P<rag>GREEN|AMBER|RED|-)$"
)


def text_figures(text: str) -> dict[str, dict[str, Any]]:
    """The figures of the text table, read back from its lines."""
    out: dict[str, dict[str, Any]] = {}
    current: dict[str, Any] | None = None
    for line in text.splitlines():
        if m := _OVERALL.match(line):
            rag = None if m["rag"] == "-" else m["rag"].lower()
            current = {
                "overall": (int(m["num"]), int(m["den"]), m["shown"].rstrip("%"), rag),
                "target": None if m["target"] == "-" else float(m["target"].rstrip("%")),
                "title": m["title"],
                "rows": [],
            }
            out[m["id"]] = current
        elif (m := _ROW.match(line)) and current is not None:
            rag = None if m["rag"] == "-" else m["rag"].lower()
            current["rows"].append((m["label"], int(m["num"]), int(m["den"]), m["shown"].rstrip("%"), rag))
    return out


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def assert_same_as_api(data: Mapping[str, Any], expected: Mapping[str, Any]) -> None:
    got = json_figures(data)
    assert list(got) == list(expected)
    for ind_id, want in expected.items():
        assert got[ind_id] == want, ind_id


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.section: str | None = None
        self.svgs: dict[str | None, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "section":
            self.section = dict(attrs).get("id")
        if tag == "svg":
            self.svgs[self.section] = self.svgs.get(self.section, 0) + 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


# ---------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> Extract:
    return load(sample_path())


@pytest.fixture(scope="module")
def gen_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    write_csv(generate(900, seed=5, fault_rate=0.02), folder)
    return folder


@pytest.fixture(scope="module")
def gen(gen_dir: Path) -> Extract:
    return load(gen_dir)


@pytest.fixture(scope="module")
def clean_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("clean")
    write_csv(generate(300, seed=9, fault_rate=0.0), folder)
    return folder


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# the bundled sample, every format
# ---------------------------------------------------------------------------


def test_report_with_no_arguments_prints_the_samples_indicators(
    capsys: pytest.CaptureFixture[str], sample: Extract
) -> None:
    out = ok(capsys, "report")
    assert out.splitlines()[0].startswith("Safeguarding timeliness: 2008/09 ")
    expected = api(sample, "2008/09")
    got = text_figures(out)
    assert list(got) == ["NI59", "NI60", "NI64"]
    for ind_id, want in expected.items():
        _, num, den, display, rag = want["overall"]
        assert got[ind_id]["overall"] == (num, den, display, rag), ind_id
        assert got[ind_id]["target"] == want["target"]
        assert got[ind_id]["rows"] == want["rows"], ind_id
    # the published targets: 70% and 88% (higher is better), 8% (lower is better)
    assert [got[i]["target"] for i in ("NI59", "NI60", "NI64")] == [70.0, 88.0, 8.0]
    assert "7 working days" in got["NI59"]["title"]
    assert "35 working days" in got["NI60"]["title"]
    assert "2 years" in got["NI64"]["title"]
    # twelve months, April to March
    assert [r[0] for r in got["NI59"]["rows"]] == [f"2008-{m:02d}" for m in range(4, 13)] + [
        f"2009-{m:02d}" for m in range(1, 4)
    ]
    counts = sample.quality.counts_by_rule()
    assert "data-quality issues: " + ", ".join(f"{k}: {v}" for k, v in counts.items()) in out


def test_report_format_table_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert ok(capsys, "report", "--format", "table") == ok(capsys, "report")


def test_report_csv_on_the_sample_equals_the_api(capsys: pytest.CaptureFixture[str], sample: Extract) -> None:
    text = ok(capsys, "report", "--format", "csv")
    assert text.splitlines()[0] == (
        "indicator,title,period,group_by,group,numerator,denominator,value,display,target,polarity,rag"
    )
    rows = csv_rows(text)
    expected = api(sample, "2008/09")
    for ind_id, want in expected.items():
        mine = [r for r in rows if r["indicator"] == ind_id]
        assert mine[0]["group_by"] == "overall"
        assert {r["group_by"] for r in mine[1:]} == {"month"}
        got = [(r["group"], int(r["numerator"]), int(r["denominator"]), r["display"], r["rag"] or None) for r in mine]
        # a "-" (no value) is written "'-" so that a spreadsheet does not read it as a formula
        got = [(g, n, d, "-" if s == "'-" else s, rag) for g, n, d, s, rag in got]
        assert got == [want["overall"], *want["rows"]], ind_id
        assert [float(r["value"]) if r["value"] else None for r in mine] == want["values"]
        assert {float(r["target"]) for r in mine} == {want["target"]}
    assert {r["polarity"] for r in rows if r["indicator"] == "NI64"} == {"lower"}


def test_report_json_on_the_sample_is_schema_valid_and_equals_the_api(
    capsys: pytest.CaptureFixture[str], sample: Extract
) -> None:
    before = dt.date.today().isoformat()
    data = report_json(capsys)
    assert data["generated"] in {before, dt.date.today().isoformat()}
    assert data["schema"] == "casetime.report/1"
    assert data["period"] == "2008/09"
    assert "sample" in data["source"]
    assert data["convention"] == "day0"
    assert_same_as_api(data, api(sample, "2008/09"))
    assert data["quality"]["counts_by_rule"] == sample.quality.counts_by_rule()
    recon = data["quality"]["reconciliation"]
    assert [(r["record_type"], r["rows_read"], r["rows_valid"], r["rows_with_errors"]) for r in recon] == [
        (r["record_type"], r["rows_read"], r["rows_valid"], r["rows_with_errors"]) for r in sample.reconciliation()
    ]
    for r in recon:
        assert r["rows_read"] == r["rows_valid"] + r["rows_with_errors"]
    assert {ind["late_cases"] is None for ind in data["indicators"]} == {True}


def test_report_json_values_are_the_exact_fractions(capsys: pytest.CaptureFixture[str]) -> None:
    data = report_json(capsys)
    for ind in data["indicators"]:
        for row in [ind["overall"], *ind["rows"]]:
            if row["denominator"]:
                assert row["value"] == float(Fraction(100 * row["numerator"], row["denominator"]))
            else:
                assert (row["value"], row["display"], row["rag"]) == (None, "-", None)


def test_report_html_file_is_one_self_contained_page(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample: Extract
) -> None:
    target = tmp_path / "report.html"
    status, out, err = run(capsys, "report", "--format", "html", "-o", str(target))
    assert (status, out) == (EXIT_OK, "")
    assert err == f"wrote {target}\n"
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    parsed = _Tags()
    parsed.feed(page)
    names = {t for t, _ in parsed.tags}
    assert not names & {"script", "link", "img", "iframe", "object", "embed", "base"}
    attrs = {k for _, a in parsed.tags for k in a}
    assert not attrs & {"src", "href", "srcset", "action", "xlink:href"}
    assert set(re.findall(r"https?://[^\s\"'<>)]+", page)) <= {"http://www.w3.org/2000/svg"}  # a namespace name
    assert "url(" not in page
    assert parsed.svgs == {"NI59": 1, "NI60": 1, "NI64": 1}  # one chart per indicator
    expected = api(sample, "2008/09")
    big = [m.group(1) for m in re.finditer(r'<span class="big">([^<]*)</span>', page)]
    assert big == [f"{expected[i]['overall'][3]}%" for i in ("NI59", "NI60", "NI64")]
    bars = [a for t, a in parsed.tags if t == "rect" and a.get("class") == "bar"]
    with_value = sum(1 for want in expected.values() for r in want["rows"] if r[2] > 0)
    assert len(bars) == with_value
    assert "Data quality" in "".join(parsed.text)
    assert not CHILD_ID.search(page)


# ---------------------------------------------------------------------------
# generated extracts: the options
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "period", "by"),
    [
        ((), "2008/09", "month"),
        (("--period", "2008/09"), "2008/09", "month"),
        (("--period", "2008/09 Q3"), "2008/09 Q3", "month"),
        (("--period", "2009-01", "--by", "team"), "2009-01", "team"),
        (("--ytd", "2008-12"), "ytd:2008-12", "month"),
        (("--period", "rolling:2009-02", "--by", "quarter"), "rolling:2009-02", "quarter"),
        (("--from", "2008-06-01", "--to", "2008-11-30"), Period("2008-06-01", "2008-11-30"), "month"),
        (("--by", "quarter"), "2008/09", "quarter"),
        (("--by", "year"), "2008/09", "year"),
        (("--by", "team"), "2008/09", "team"),
        (("--by", "month,team"), "2008/09", ("month", "team")),
    ],
)
def test_report_on_a_generated_extract_equals_the_api(
    capsys: pytest.CaptureFixture[str],
    gen_dir: Path,
    gen: Extract,
    args: tuple[str, ...],
    period: Period | str,
    by: str | tuple[str, ...],
) -> None:
    data = report_json(capsys, str(gen_dir), *args)
    assert_same_as_api(data, api(gen, period, by=by))
    # the text table shows the same figures
    text = text_figures(ok(capsys, "report", str(gen_dir), *args))
    for ind in data["indicators"]:
        o = ind["overall"]
        assert text[ind["id"]]["overall"] == (o["numerator"], o["denominator"], o["display"], o["rag"])
        assert [r[1:3] for r in text[ind["id"]]["rows"]] == [(r["numerator"], r["denominator"]) for r in ind["rows"]]


def test_report_labels_of_each_grouping(capsys: pytest.CaptureFixture[str], gen_dir: Path) -> None:
    def labels(*args: str) -> tuple[str, list[str]]:
        ind = report_json(capsys, str(gen_dir), "--indicators", "NI59", *args)["indicators"][0]
        return ind["group_by"], [r["label"] for r in ind["rows"]]

    assert labels("--by", "quarter") == ("quarter", [f"2008/09 Q{q}" for q in (1, 2, 3, 4)])
    assert labels("--by", "team") == ("team", ["East", "North", "South", "West"])
    group_by, both = labels("--by", "month,team")
    assert group_by == "month / team"
    assert both[:4] == ["2008-04 / East", "2008-04 / North", "2008-04 / South", "2008-04 / West"]
    assert len(both) == 48
    assert labels("--period", "2008/09 Q3") == ("month", ["2008-10", "2008-11", "2008-12"])


def test_year_to_date_adds_up_numerators_and_denominators(capsys: pytest.CaptureFixture[str], gen_dir: Path) -> None:
    year = report_json(capsys, str(gen_dir), "--indicators", "NI59,NI60")
    ytd = report_json(capsys, str(gen_dir), "--indicators", "NI59,NI60", "--ytd", "2008-12")
    assert ytd["period"] != year["period"]
    for full, part in zip(year["indicators"], ytd["indicators"], strict=True):
        months = full["rows"][:9]  # April to December
        num = sum(r["numerator"] for r in months)
        den = sum(r["denominator"] for r in months)
        assert (part["overall"]["numerator"], part["overall"]["denominator"]) == (num, den)
        assert part["overall"]["value"] == float(Fraction(100 * num, den))
        assert [r["label"] for r in part["rows"]] == [r["label"] for r in months]


def test_quarters_add_up_to_the_months(capsys: pytest.CaptureFixture[str], gen_dir: Path) -> None:
    months = report_json(capsys, str(gen_dir), "--indicators", "NI59,NI60")
    quarters = report_json(capsys, str(gen_dir), "--indicators", "NI59,NI60", "--by", "quarter")
    for m, q in zip(months["indicators"], quarters["indicators"], strict=True):
        for i, row in enumerate(q["rows"]):
            three = m["rows"][3 * i : 3 * i + 3]
            assert row["numerator"] == sum(r["numerator"] for r in three)
            assert row["denominator"] == sum(r["denominator"] for r in three)
        assert q["overall"] == m["overall"]


def test_indicators_option_reports_only_those(capsys: pytest.CaptureFixture[str], gen_dir: Path, gen: Extract) -> None:
    data = report_json(capsys, str(gen_dir), "--indicators", "NI59,NI60")
    assert [i["id"] for i in data["indicators"]] == ["NI59", "NI60"]
    assert_same_as_api(data, api(gen, "2008/09", indicators=["NI59", "NI60"]))
    text = ok(capsys, "report", str(gen_dir), "--indicators", "ni60")  # ids are not case-sensitive
    assert list(text_figures(text)) == ["NI60"]


def test_target_option_changes_the_rag(capsys: pytest.CaptureFixture[str], gen_dir: Path, gen: Extract) -> None:
    base = report_json(capsys, str(gen_dir), "--indicators", "NI59", "--by", "year")["indicators"][0]
    num, den = base["overall"]["numerator"], base["overall"]["denominator"]
    value = Fraction(100 * num, den)
    assert 50 < value < 94  # what the generator makes: about 60-75% within 7 working days
    for target, rag in ((50, "green"), (99, "red"), (int(value) + 3, "amber")):
        data = report_json(capsys, str(gen_dir), "--indicators", "NI59", "--by", "year", "--target", f"NI59={target}")
        ind = data["indicators"][0]
        assert ind["target"] == float(target)
        assert (ind["overall"]["numerator"], ind["overall"]["denominator"]) == (num, den)  # counts do not change
        assert ind["overall"]["rag"] == rag, target
        expected = api(gen, "2008/09", by="year", indicators=["NI59"], targets={"NI59": target})
        assert_same_as_api(data, expected)
    # lower is better for NI64: a generous target is green
    ni64 = report_json(capsys, str(gen_dir), "--indicators", "NI64", "--target", "NI64=90")["indicators"][0]
    assert (ni64["target"], ni64["overall"]["rag"]) == (90.0, "green")
    text = ok(capsys, "report", str(gen_dir), "--target", "NI59=99", "--target", "NI60=1")
    got = text_figures(text)
    assert (got["NI59"]["target"], got["NI59"]["overall"][3]) == (99.0, "red")
    assert (got["NI60"]["target"], got["NI60"]["overall"][3]) == (1.0, "green")
    assert got["NI64"]["target"] == 8.0  # the others keep their default


def test_limit_option_changes_the_count(
    capsys: pytest.CaptureFixture[str], gen_dir: Path, gen: Extract, sample: Extract
) -> None:
    before = report_json(capsys, str(gen_dir), "--indicators", "NI59")["indicators"][0]
    after = report_json(capsys, str(gen_dir), "--indicators", "NI59", "--limit", "NI59=10")["indicators"][0]
    assert "10 working days" in after["title"]
    assert after["overall"]["denominator"] == before["overall"]["denominator"]
    assert after["overall"]["numerator"] > before["overall"]["numerator"]
    for b, a in zip(before["rows"], after["rows"], strict=True):
        assert a["denominator"] == b["denominator"]
        assert a["numerator"] >= b["numerator"]
    expected = api(gen, "2008/09", indicators=[NI59.with_limit(10)])
    assert_same_as_api({"indicators": [after]}, expected)
    # with no --indicators, the limit changes NI59 only
    data = report_json(capsys, "--limit", "NI59=10")
    assert_same_as_api(data, api(sample, "2008/09", indicators=[NI59.with_limit(10), NI60, NI64]))


def test_child_ids_appear_only_with_late_cases(
    capsys: pytest.CaptureFixture[str], gen_dir: Path, gen: Extract, tmp_path: Path
) -> None:
    for fmt in ("table", "csv", "json", "html"):
        text = ok(capsys, "report", str(gen_dir), "--format", fmt)
        assert not CHILD_ID.search(text), fmt
    data = report_json(capsys, str(gen_dir), "--late-cases")
    results = compute_all(gen, "2008/09", by="month")
    for ind in data["indicators"]:
        want = [r["child_id"] for r in results[ind["id"]].breaches().records()]
        assert [c["child_id"] for c in ind["late_cases"]] == want
        if ind["id"] in ("NI59", "NI60"):  # higher is better: late = in the denominator, not in the numerator
            assert len(want) == ind["overall"]["denominator"] - ind["overall"]["numerator"]
    ni59 = data["indicators"][0]["late_cases"]
    assert ni59 and all(c["elapsed"] > 7 and c["over_limit"] == c["elapsed"] - 7 for c in ni59)
    page = tmp_path / "late.html"
    assert run(capsys, "report", str(gen_dir), "--format", "html", "--late-cases", "-o", str(page))[0] == EXIT_OK
    html_text = page.read_text(encoding="utf-8")
    assert {c["child_id"] for c in ni59} <= set(CHILD_ID.findall(html_text))


def test_late_cases_are_listed_in_the_default_table_format(capsys: pytest.CaptureFixture[str], gen_dir: Path) -> None:
    """``--late-cases`` ("list the late cases") must not be silently ignored by the default format."""
    wanted = {c["child_id"] for c in report_json(capsys, str(gen_dir), "--late-cases")["indicators"][0]["late_cases"]}
    text = ok(capsys, "report", str(gen_dir), "--late-cases")
    assert wanted <= set(CHILD_ID.findall(text))


# ---------------------------------------------------------------------------
# spreadsheet safety
# ---------------------------------------------------------------------------

HOSTILE = """child_id,referral_date,completion_date,team
K1,2009-01-05,2009-01-14,=cmd()
K2,2009-01-05,2009-01-15,+SUM(A1:A2)
K3,2009-01-06,2009-01-07,-2+3
K4,2009-01-06,2009-01-08,@team
@x,2009-01-06,2009-01-05,North
-5,2009-01-07,=1+2,North
"""


def test_report_csv_neutralises_formula_cells(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path / "in" / "initial_assessment.csv", HOSTILE)
    text = ok(capsys, "report", str(path), "--by", "team", "--format", "csv", "--period", "2009-01")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert [c for c in cells if c.startswith(DANGEROUS)] == []
    groups = {r["group"] for r in csv_rows(text) if r["group_by"] == "team"}
    assert {"'=cmd()", "'+SUM(A1:A2)", "'-2+3", "'@team"} <= groups
    # the hostile text reaches the other formats as plain, escaped text
    data = report_json(capsys, str(path), "--by", "team", "--period", "2009-01")
    assert "=cmd()" in [r["label"] for r in data["indicators"][0]["rows"]]


def test_validate_issue_list_neutralises_formula_cells(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path / "in" / "initial_assessment.csv", HOSTILE)
    out_csv = tmp_path / "issues.csv"
    status, _, err = run(capsys, "validate", str(path), "-o", str(out_csv))
    assert status == EXIT_DATA_ERRORS
    assert err == f"wrote 2 issue(s) to {out_csv}\n"
    rows = list(csv.reader(io.StringIO(out_csv.read_text(encoding="utf-8"))))
    assert rows[0] == ISSUE_COLUMNS
    assert [c for row in rows for c in row if c.startswith(DANGEROUS)] == []
    issues = [dict(zip(ISSUE_COLUMNS, r, strict=True)) for r in rows[1:]]
    assert {(i["child_id"], i["rule"], i["value"]) for i in issues} == {
        ("'@x", "8608", "2009-01-05"),
        ("'-5", "unparseable_date", "'=1+2"),
    }


# ---------------------------------------------------------------------------
# validate
# ---------------------------------------------------------------------------


def test_validate_clean_extract_exits_0(capsys: pytest.CaptureFixture[str], clean_dir: Path, tmp_path: Path) -> None:
    out_csv = tmp_path / "issues.csv"
    status, out, err = run(capsys, "validate", str(clean_dir), "-o", str(out_csv))
    assert status == EXIT_OK
    assert err == f"wrote 0 issue(s) to {out_csv}\n"
    lines = out.splitlines()
    assert len(lines) == 10  # a "columns used" line and a reconciliation line per file
    assert all(line.startswith("columns used: ") and "child_id <- 'child_id' (name)" in line for line in lines[:5])
    assert all(line.endswith(" valid, 0 with errors") for line in lines[5:])
    assert "issues by rule" not in out
    assert out_csv.read_text(encoding="utf-8").splitlines() == [",".join(ISSUE_COLUMNS)]


def test_validate_faulty_extract_exits_1_and_writes_the_row_level_issues(
    capsys: pytest.CaptureFixture[str], gen_dir: Path, gen: Extract, tmp_path: Path
) -> None:
    out_csv = tmp_path / "issues.csv"
    status, out, err = run(capsys, "validate", str(gen_dir), "--output", str(out_csv))
    assert status == EXIT_DATA_ERRORS
    counts = gen.quality.counts_by_rule()
    assert "issues by rule: " + ", ".join(f"{k}: {v}" for k, v in counts.items()) in out
    total = sum(counts.values())
    assert err == f"wrote {total} issue(s) to {out_csv}\n"
    with open(out_csv, newline="", encoding="utf-8") as handle:
        issues = list(csv.DictReader(handle))
    assert list(issues[0]) == ISSUE_COLUMNS
    assert len(issues) == total
    by_rule: dict[str, int] = {}
    for issue in issues:
        by_rule[issue["rule"]] = by_rule.get(issue["rule"], 0) + 1
    assert by_rule == counts
    # each unreadable date points at its file and spreadsheet row (the header is row 1)
    unreadable = [i for i in issues if i["rule"] == "unparseable_date"]
    assert unreadable
    for issue in unreadable:
        lines = Path(issue["source"]).read_text(encoding="utf-8").splitlines()
        cells = next(csv.reader([lines[int(issue["row"]) - 1]]))
        header = next(csv.reader([lines[0]]))
        assert cells[header.index(issue["field"])] == issue["value"].removeprefix("'")
        assert cells[header.index("child_id")] == issue["child_id"]


def test_validate_needs_a_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert "the following arguments are required: PATH" in fails(capsys, "validate")


# ---------------------------------------------------------------------------
# the errors a user will hit: one line, exit status 2, never a traceback
# ---------------------------------------------------------------------------

IA_HEADER = "child_id,referral_date,completion_date\n"


def _case(name: str, args: tuple[str, ...], needles: list[str], files: dict[str, str | bytes] | None = None) -> Any:
    return pytest.param(files or {}, args, needles, id=name)


USER_ERRORS = [
    _case("missing-file", ("report", "{d}/nope.csv"), ["nope.csv: no such file or directory"]),
    _case("validate-missing-file", ("validate", "{d}/nope.csv"), ["nope.csv: no such file or directory"]),
    _case("binary-file", ("report", "{d}/pic.csv"), ["not a CSV file"],
          {"pic.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01"}),
    _case("validate-binary-file", ("validate", "{d}/book.csv"), ["book.csv", "not a CSV file"],
          {"book.csv": b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256))}),
    _case("empty-file", ("report", "{d}/initial_assessment.csv"), ["the file is empty"],
          {"initial_assessment.csv": ""}),
    _case("wrong-columns", ("report", "{d}/initial_assessment.csv"),
          ["missing required column(s) referral_date", "found: child_id, foo, bar"],
          {"initial_assessment.csv": "child_id,foo,bar\nA,1,2\n"}),
    _case("missing-column", ("report", "{d}/cpp.csv"), ["cpp.csv", "start_date", "found: child_id, plan status"],
          {"cpp.csv": "child_id,plan status\nA,2009-01-05\n"}),
    _case("header-only", ("report", "{d}/initial_assessment.csv"), ["holds no records"],
          {"initial_assessment.csv": IA_HEADER}),
    _case("validate-header-only", ("validate", "{d}/initial_assessment.csv"), ["holds no records"],
          {"initial_assessment.csv": IA_HEADER}),
    _case("directory-without-csv", ("report", "{d}"), ["holds no .csv files"]),
    _case("unknown-indicator", ("report", "--indicators", "NI99"), ["unknown indicator 'NI99'", "NI59, NI60, NI64"]),
    _case("indicator-without-records", ("report", "--indicators", "SA45"), ["no single_assessment records"]),
    _case("unknown-financial-year", ("report", "--period", "2008/13"), ["period '2008/13'", "2008/09"]),
    _case("unknown-period", ("report", "--period", "last year"), ["cannot read period 'last year'", "ytd:2008-12"]),
    _case("unknown-month", ("report", "--period", "2009-13"), ["month 13"]),
    _case("bad-ytd", ("report", "--ytd", "2008"), ["cannot read period '2008'"]),
    _case("period-outside-calendar", ("report", "--period", "2050/51"), ["outside the calendar's coverage"]),
    _case("bad-from-date", ("report", "--from", "2009-02-30", "--to", "2009-03-31"), ["not a date: '2009-02-30'"]),
    _case("target-not-a-number", ("report", "--target", "NI59=high"), ["--target 'NI59=high'", "expected ID=NUMBER"]),
    _case("target-without-value", ("report", "--target", "NI59"), ["--target 'NI59'", "expected ID=NUMBER"]),
    _case("target-without-id", ("report", "--target", "=70"), ["expected ID=NUMBER"]),
    _case("target-not-reported", ("report", "--target", "NI61=70"), ["NI61", "not being reported"]),
    _case("limit-not-a-number", ("report", "--limit", "NI59=ten"), ["--limit 'NI59=ten'"]),
    _case("negative-limit", ("report", "--limit", "NI59=-3"), ["limit must be a whole number >= 0"]),
    _case("from-without-to", ("report", "--from", "2008-04-01"), ["--from and --to go together"]),
    _case("to-without-from", ("report", "--to", "2008-12-31"), ["--from and --to go together"]),
    _case("two-periods", ("report", "--period", "2008/09", "--ytd", "2008-12"),
          ["give one of --period, --ytd, or --from/--to"]),
    _case("unknown-format", ("report", "--format", "pdf"), ["invalid choice: 'pdf'", "table", "html"]),
    _case("unknown-grouping", ("report", "--by", "colour"), ["cannot group by colour", "team"]),
    _case("two-time-groupings", ("report", "--by", "month,quarter"), ["at most one of month, quarter, year"]),
]  # fmt: skip


@pytest.mark.parametrize(("files", "args", "needles"), USER_ERRORS)
def test_user_errors_give_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    files: dict[str, str | bytes],
    args: tuple[str, ...],
    needles: list[str],
) -> None:
    for name, content in files.items():
        write(tmp_path / name, content)
    line = fails(capsys, *(a.format(d=tmp_path) for a in args))
    for needle in needles:
        assert needle in line


def test_unreadable_dates_are_row_issues_not_failures(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(
        tmp_path / "initial_assessment.csv",
        IA_HEADER + "A,2009-01-05,2009-01-14\nB,31/02/2009,2009-01-14\nC,2009-01-05,TBC\nD,05/01/2009,15/01/2009\n",
    )
    data = report_json(capsys, str(path), "--indicators", "NI59", "--period", "2009-01")
    ni59 = data["indicators"][0]
    assert (ni59["overall"]["numerator"], ni59["overall"]["denominator"]) == (1, 2)  # A within; D 8 days, late
    assert ni59["left_out"]["invalid"] == 2  # B and C: unreadable dates, left out and said to be
    assert data["quality"]["counts_by_rule"] == {"unparseable_date": 2}
    assert data["quality"]["reconciliation"][0]["rows_with_errors"] == 2
    text = ok(capsys, "report", str(path), "--indicators", "NI59", "--period", "2009-01")
    assert "unparseable_date: 2" in text
    assert "  4 records = 2 counted + 2 invalid\n" in text
    status, out, _ = run(capsys, "validate", str(path))
    assert status == EXIT_DATA_ERRORS
    assert "'31/02/2009'" in out and "'TBC'" in out


def test_unknown_record_type_says_which_columns_are_needed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A file whose name and headings match no record type: say what was found and what is needed."""
    path = write(tmp_path / "extract.csv", "id,date\nA,2009-01-05\n")
    line = fails(capsys, "report", str(path))
    assert "extract.csv" in line
    assert "id, date" in line  # found
    assert "child_id" in line and "referral_date" in line  # needed


def test_fractional_limit_is_refused_not_truncated(capsys: pytest.CaptureFixture[str]) -> None:
    """``--limit NI59=7.5`` must not silently count within 7 working days."""
    line = fails(capsys, "report", "--limit", "NI59=7.5")
    assert "7.5" in line


# ---------------------------------------------------------------------------
# the installed console script
# ---------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "emscripten", reason="no console script and no process under Pyodide")
def test_installed_console_script(tmp_path: Path, sample: Extract) -> None:
    script = Path(sys.executable).parent / "casetime"
    assert script.is_file()
    done = subprocess.run(
        [str(script), "report", "--indicators", "NI59", "--by", "quarter"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == EXIT_OK, done.stderr
    assert done.stderr == ""
    got = text_figures(done.stdout)["NI59"]
    want = api(sample, "2008/09", by="quarter", indicators=["NI59"])["NI59"]
    assert got["overall"] == want["overall"][1:]
    assert got["rows"] == want["rows"]
    bad = tmp_path / "binary.csv"
    bad.write_bytes(bytes(range(256)))
    done = subprocess.run([str(script), "report", str(bad)], capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == EXIT_USAGE
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [f"casetime: error: {bad}: not a CSV file (it holds binary data, not text)"]


def test_target_outside_0_100_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    line = fails(capsys, "report", "--target", "NI59=150")
    assert "--target 'NI59=150'" in line
    assert "0 to 100" in line


def test_late_cases_are_not_mixed_into_csv(capsys: pytest.CaptureFixture[str]) -> None:
    line = fails(capsys, "report", "--late-cases", "--format", "csv")
    assert "--late-cases" in line
    assert "csv" in line


def test_date_format_reads_dates_no_built_in_form_covers(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "initial_assessment.csv").write_text(
        "child_id,referral_date,completion_date\nA,20090105,20090114\nB,20090105,20090115\nC,20090106,\n"
    )
    # without the format: three unreadable referral dates, so no period can be chosen
    status, _, err = run(capsys, "report", str(tmp_path), "--indicators", "NI59")
    assert status == EXIT_USAGE and "no clock dates" in err
    status, out, _ = run(
        capsys, "report", str(tmp_path), "--date-format", "%Y%m%d", "--indicators", "NI59", "--format", "json"
    )
    (ni59,) = json.loads(out)["indicators"]
    # A: 5 -> 14 January is 7 working days (in time); B: 8 (late); C: still open
    assert status == 0 and (ni59["overall"]["numerator"], ni59["overall"]["denominator"]) == (1, 2)
    assert ni59["records"] == {"population": 3, "counted": 2, "still_open": 1}


def test_period_dates_on_the_command_line_are_day_first(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "report", "--from", "01/04/2008", "--to", "31 Mar 2009", "--format", "json")
    assert status == 0 and json.loads(out)["period"] == "2008-04-01..2009-03-31"
