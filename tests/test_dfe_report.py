"""Today's DfE measures end to end: the catalogue's definitions, ``casetime report`` in every format
(band columns, DfE's column names, stacked bars), ``--compare`` beside the packaged published figures,
named limit schedules, and the results' own views (``to_pandas``, ``compare``, percentiles).

Published values written here were read by hand from DfE's files (``../shared/dfe/measures_by_la.csv``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from fractions import Fraction
from pathlib import Path

import pytest

from casetime.cli import EXIT_OK, EXIT_USAGE, main
from casetime.engine import compute, compute_all
from casetime.errors import CasetimeError
from casetime.extract import load
from casetime.indicators import C2, C4, D6, D7, SCHEDULES, Bands, Edge, Indicator, Repeat, ReviewRule
from casetime.results import Distribution, MergeError
from casetime.synth import generate, write_csv
from casetime.tables import Table
from support import jsonschema

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "docs" / "report-schema.json").read_text(encoding="utf-8"))
DFE = "C2,C4,D5,D6,D7,D3,C1"


@pytest.fixture(scope="module")
def extract_2023(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic extract of 2023/24: single assessments, s47s, plans with reviews, referrals."""
    folder = tmp_path_factory.mktemp("fy2023")
    write_csv(generate(3000, financial_year=2023, seed=7), folder)
    return folder


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def ok(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    status, out, err = run(capsys, *args)
    assert (status, err) == (EXIT_OK, ""), err
    return out


def fails(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    status, out, err = run(capsys, *args)
    assert status == EXIT_USAGE and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    return lines[0]


# -- definitions -------------------------------------------------------------------------------


def test_a_kind_gets_what_it_needs_and_nothing_else() -> None:
    base = {"id": "X", "title": "x", "record_type": "cpp", "clock_start": "start_date", "clock_stop": "end_date",
            "limit": 2, "unit": "years"}  # fmt: skip
    with pytest.raises(CasetimeError, match="kind 'bands' needs bands="):
        Indicator(**base, kind="bands")
    with pytest.raises(CasetimeError, match="takes no bands="):
        Indicator(**base, bands=C2.bands)
    with pytest.raises(CasetimeError, match="counts records"):
        Indicator(**base, kind="bands", bands=D7.bands, counting="child")
    with pytest.raises(CasetimeError, match="'open_at_end' is for the bands and reviews kinds"):
        Indicator(**base, population="open_at_end")
    with pytest.raises(CasetimeError, match="reviews are of child protection plans"):
        Indicator(**{**base, "record_type": "s47", "clock_stop": "conference_date"}, kind="reviews",
                  reviews=ReviewRule(), population="open_at_end")  # fmt: skip
    with pytest.raises(CasetimeError, match="repeats are counted among records started"):
        Indicator(**base, kind="repeats", repeat=Repeat())


def test_bands_refuse_what_cannot_be_banded() -> None:
    with pytest.raises(CasetimeError, match="2 labels need 1 edges"):
        Bands("b", ("a", "b"), (Edge(1), Edge(2)), share=(0,))
    with pytest.raises(CasetimeError, match="must increase"):
        Bands("b", ("a", "b", "c"), (Edge(10), Edge(9)), share=(0,))
    with pytest.raises(CasetimeError, match="cannot be mixed"):
        Bands("b", ("a", "b", "c"), (Edge(10), Edge(3, "months")), share=(0,))
    with pytest.raises(CasetimeError, match="share must name"):
        Bands("b", ("a", "b"), (Edge(1),), share=(2,))
    with pytest.raises(CasetimeError, match="percentiles are for working-day bands"):
        Bands("b", ("a", "b"), (Edge(1, "months"),), share=(0,), percentiles=True)
    assert [C2.bands.band_of_working_days(d) for d in (0, 1, 10, 11, 45, 46, 60, 61, 500)] == [
        0,
        1,
        1,
        2,
        5,
        6,
        7,
        8,
        8,
    ]


def test_the_schedules_by_era_judge_each_record_by_its_clock_start() -> None:
    wt = SCHEDULES["wt2010+2013"]
    assert [wt.limit_on(d) for d in ("2010-03-31", "2010-04-01", "2013-04-14", "2013-04-15")] == [7, 10, 10, 45]
    assert SCHEDULES["ni2008"].limits == (7,)


# -- distributions and percentiles ----------------------------------------------------------------


def test_percentiles_by_hand() -> None:
    d = Distribution.of([1, 2, 3, 4])
    # linear: h = (n - 1) p; 25th: h = 0.75 -> 1 + 0.75; median: h = 1.5 -> 2.5
    assert (d.percentile(25), d.percentile(50), d.percentile(100), d.percentile(0)) == (
        Fraction(7, 4), Fraction(5, 2), Fraction(4), Fraction(1),
    )  # fmt: skip
    # inverted cdf: the smallest value with at least p of the values at or below it
    assert [d.percentile(p, "inverted_cdf") for p in (0, 25, 26, 50, 51, 100)] == [1, 1, 2, 2, 3, 4]
    assert Distribution.empty().percentile(50) is None
    assert Distribution.of([7]).percentile(75) == 7
    with pytest.raises(CasetimeError, match="between 0 and 100"):
        d.percentile(101)
    with pytest.raises(CasetimeError, match="method must be one of"):
        d.percentile(50, "nearest")


# -- results ----------------------------------------------------------------------------------------


def test_band_results_to_pandas_and_json() -> None:
    sa = Table.from_columns("single_assessment", {"child_id": ["A", "B", "C"], "start_date": ["2023-10-02"] * 3,
        "completion_date": ["2023-10-02", "2023-10-16", "2023-11-20"]})  # fmt: skip
    result = compute(C2, sa, "2023/24", by="quarter")
    frame = result.to_pandas()
    q3 = frame[frame["quarter"] == "2023/24 Q3"].iloc[0]
    assert (q3["same day"], q3["1-10"], q3["31-40"], q3["total"], q3["median"]) == (1, 1, 1, 3, 10.0)
    assert int(frame["total"].sum()) == 3
    row = result.get(quarter="2023/24 Q3").to_dict()
    assert row["bands"]["31-40"] == 1 and row["percentiles"] == {"p25": 5.0, "median": 10.0, "p75": 22.5}
    assert "31-40" in repr(result) and "median" in repr(result)


def test_band_results_merge_only_with_their_own_kind() -> None:
    sa = Table.from_columns("single_assessment", {"child_id": ["A"], "start_date": ["2023-10-02"],
                                                  "completion_date": ["2023-10-03"]})  # fmt: skip
    with pytest.raises(MergeError):
        compute(C2, sa, "2023/24") + compute(C2.with_clock_start("referral_date"), sa, "2023/24")


def test_snapshot_cases_are_the_position_at_the_window_asked_for() -> None:
    plans = Table.from_columns("cpp", {"child_id": ["A", "B"], "start_date": ["2015-01-01", "2016-01-05"],
                                       "end_date": ["2015-11-30", None],
                                       "review_dates": ["2015-03-20", ""]})  # fmt: skip
    result = compute(D6, plans, "2015/16", by="quarter")
    assert [c["child_id"] for c in result.cases(quarter="2015/16 Q2").records()] == ["A"]
    assert [(c["child_id"], c["reason"]) for c in result.cases().records()] == [("B", "too_recent")]
    assert result.total().left_out["ended_by_reference"] == 1


def test_compare_refuses_a_measure_without_published_figures() -> None:
    ia = Table.from_columns("ia", {"child_id": ["A"], "referral_date": ["2009-01-05"]})
    with pytest.raises(CasetimeError, match="NI59 has no published counterpart"):
        compute("NI59", ia, "2008/09").compare("Barnet")


# -- the command line --------------------------------------------------------------------------------


def test_report_csv_has_bands_that_add_up(capsys: pytest.CaptureFixture[str], extract_2023: Path) -> None:
    out = ok(capsys, "report", str(extract_2023), "--indicators", DFE, "--format", "csv", "--period", "2023/24")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["indicator"] for r in rows} == set(DFE.split(","))
    band_columns = [c for c in rows[0] if c.startswith("band ")]
    for r in rows:
        bands = [int(r[c]) for c in band_columns if r[c] != ""]
        if r["indicator"] in ("C2", "C4", "D5", "D7"):
            assert sum(bands) == int(r["denominator"]), r
        else:
            assert bands == [] and r["total"] == ""
    for ind in ("C2", "C4", "D7"):  # the months add up to the year
        months = [r for r in rows if r["indicator"] == ind and r["group_by"] == "month"]
        overall = next(r for r in rows if r["indicator"] == ind and r["group_by"] == "overall")
        for c in band_columns:
            if overall[c] != "":
                assert sum(int(m[c]) for m in months) == int(overall[c])
    # the same figures as the library's
    results = compute_all(load(extract_2023), "2023/24", indicators=DFE.split(","), by="month")
    c2 = results["C2"].total()
    overall = next(r for r in rows if r["indicator"] == "C2" and r["group_by"] == "overall")
    assert [int(overall[f"band {label}"]) for label, _ in c2.bands] == [n for _, n in c2.bands]
    assert float(overall["median"]) == float(c2.percentile(50))  # type: ignore[arg-type]
    d5 = next(r for r in rows if r["indicator"] == "D5" and r["group_by"] == "overall")
    last_month = [r for r in rows if r["indicator"] == "D5" and r["group_by"] == "month"][-1]
    assert [d5[c] for c in band_columns] == [last_month[c] for c in band_columns]  # the position at 31 March


def test_report_csv_with_dfe_columns(capsys: pytest.CaptureFixture[str], extract_2023: Path) -> None:
    out = ok(capsys, "report", str(extract_2023), "--indicators", "C2", "--format", "csv", "--dfe-columns",
             "--period", "2023/24")  # fmt: skip
    header = out.splitlines()[0].split(",")
    assert header == [
        "indicator", "period", "group_by", "group", "Assessments_completed", "Same_day", "1-10_days", "11-20_days",
        "21-30_days", "31-40_days", "41-45_days", "46-50_days", "51-60_days", "61+_days",
        "Assessments_within_45_days", "Continue_Assess_Comp", "Median_days",
    ]  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out)))
    for r in rows:
        bands = [int(r[c]) for c in header[5:14]]
        assert sum(bands) == int(r["Assessments_completed"])
        assert sum(bands[:6]) == int(r["Assessments_within_45_days"])
    out = ok(capsys, "report", str(extract_2023), "--indicators", "C4,D6", "--format", "csv", "--dfe-columns",
             "--period", "2023/24")  # fmt: skip
    header = out.splitlines()[0].split(",")
    assert header[4:] == ["ICPC_Num", "10_ICPC", "15_ICPC", "20_ICPC", "21_ICPC", "ICPC_within_15_days",
                          "CP_conf_15days", "ICPC_Duration_median", "CPP_31March_3MnthorMore",
                          "CPP_Reviewed_InReqTimeScl", "RevCP"]  # fmt: skip
    assert "--dfe-columns names the columns of --format csv" in fails(
        capsys, "report", str(extract_2023), "--indicators", "C2", "--dfe-columns"
    )


def test_report_compare_shows_published_figures_apart(capsys: pytest.CaptureFixture[str], extract_2023: Path) -> None:
    out = ok(capsys, "report", str(extract_2023), "--indicators", "D6,SA45", "--period", "2023/24",
             "--compare", "E09000003")  # fmt: skip
    assert "your figure, computed from your records" in out
    assert "published by DfE (RevCP, year ending 31 March): Barnet | London | England" in out
    # Barnet's published RevCP for the year ending 31 March 2024: 98.8 (London 93.3, England 89.8)
    assert re.search(r"2023/24\s+98\.8\s+93\.3\s+89\.8", out)
    data = json.loads(ok(capsys, "report", str(extract_2023), "--indicators", "D6,SA45", "--period", "2023/24",
                         "--compare", "Barnet", "--format", "json"))  # fmt: skip
    jsonschema.validate(data, SCHEMA)
    d6, sa45 = data["indicators"]
    assert sa45["published"] is None
    published = d6["published"]
    assert published["own"]["computed_from"] == "your records" and published["own"]["year"] == 2024
    assert published["own"]["display"] == d6["overall"]["display"]
    assert published["own"]["quartile"] in (1, 2, 3, 4)
    row = next(r for r in published["published"] if r["year"] == 2024)
    assert (row["council"], row["region"], row["england"]) == (98.8, 93.3, 89.8)
    assert "Open Government Licence v3.0" in published["attribution"]
    page = ok(capsys, "report", str(extract_2023), "--indicators", "C4", "--period", "2023/24", "--compare",
              "Barnet", "--format", "html")  # fmt: skip
    assert page.count('class="published"') == 3  # England's and London's lines on the chart, and the table
    # CP_conf_15days, England, year ending March 2024: the line's label, and its tooltip naming the year
    assert ">England 79.7%</text>" in page and "England 79.7% (published by DfE, 2023/24)" in page


def test_report_compare_errors(capsys: pytest.CaptureFixture[str], extract_2023: Path) -> None:
    line = fails(capsys, "report", str(extract_2023), "--indicators", "D6", "--compare", "Barnett Shire")
    assert "Barnett Shire" in line
    line = fails(capsys, "report", str(extract_2023), "--indicators", "SA45", "--compare", "Barnet")
    assert "none of SA45 has published figures" in line


def test_report_html_draws_the_bands_as_stacked_bars(capsys: pytest.CaptureFixture[str], extract_2023: Path) -> None:
    page = ok(capsys, "report", str(extract_2023), "--indicators", "C2,D6", "--period", "2023/24", "--format", "html")
    c2 = page.split('id="C2"', 1)[1].split("</section>", 1)[0]
    results = compute_all(load(extract_2023), "2023/24", indicators=["C2"], by="month")["C2"]
    segments = sum(1 for r in results for _, n in r.bands if n)  # type: ignore[union-attr]
    assert c2.count('class="band"') == segments
    assert c2.count('class="chart bands"') == 1
    d6 = page.split('id="D6"', 1)[1].split("</section>", 1)[0]
    assert 'class="chart bands"' not in d6


def test_limit_schedules_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    out = ok(capsys, "report", "--indicators", "NI59", "--limit", "NI59=wt2010", "--target", "NI59=70%")
    assert "initial assessments carried out within 7 (10 from 2010-04-01) working days of referral" in out
    assert "limit: 7 (10 from 2010-04-01) working days (schedule: initial assessments: 7 working days, 10 from" in out
    assert "target 70.0%" in out
    line = fails(capsys, "report", "--indicators", "NI59", "--limit", "NI59=wt2099")
    assert "ni2008, wt2010, wt2013, wt2010+2013" in line


def test_the_report_text_shows_bands_and_percentiles(capsys: pytest.CaptureFixture[str], extract_2023: Path) -> None:
    out = ok(capsys, "report", str(extract_2023), "--indicators", "C4", "--period", "2023/24")
    c4 = compute_all(load(extract_2023), "2023/24", indicators=["C4"])["C4"].total()
    counts = ", ".join(f"{label} {n:,}" for label, n in c4.bands)  # type: ignore[union-attr]
    assert f"bands: {counts}" in out
    assert f"median {float(c4.percentile(50)):g} working days" in out  # type: ignore[arg-type]


CENSUS = """<?xml version="1.0" encoding="utf-8"?>
<Message>
<Header><CollectionDetails><Collection>CIN</Collection><Year>2024</Year><ReferenceDate>2024-03-31</ReferenceDate>
</CollectionDetails><Source><SourceLevel>L</SourceLevel><LEA>302</LEA></Source></Header>
<Children>
<Child><ChildIdentifiers><LAchildID>K1</LAchildID></ChildIdentifiers>
<CINdetails><CINreferralDate>2023-04-03</CINreferralDate>
<ChildProtectionPlans><CPPstartDate>2023-05-01</CPPstartDate><NumberOfPreviousCPP>2</NumberOfPreviousCPP>
<Reviews><CPPreviewDate>2023-07-31</CPPreviewDate><CPPreviewDate>2024-01-30</CPPreviewDate></Reviews>
</ChildProtectionPlans></CINdetails></Child>
<Child><ChildIdentifiers><LAchildID>K2</LAchildID></ChildIdentifiers>
<CINdetails><CINreferralDate>2023-06-01</CINreferralDate>
<ChildProtectionPlans><CPPstartDate>2023-06-05</CPPstartDate><NumberOfPreviousCPP>0</NumberOfPreviousCPP>
<Reviews><CPPreviewDate>2023-09-06</CPPreviewDate></Reviews>
</ChildProtectionPlans></CINdetails></Child>
</Children>
</Message>
"""


def test_the_census_feeds_d3_and_d6(tmp_path: Path) -> None:
    """K1's census record counts two earlier plans (a second plan, though the file has no earlier one);
    K1's reviews came 3 months and 6 months apart (on time), K2's first a day late (5 September + 1)."""
    path = tmp_path / "cin_2024.xml"
    path.write_text(CENSUS, encoding="utf-8")
    extract = load(path)
    d3 = compute("D3", extract, "2023/24").total()
    assert (d3.numerator, d3.denominator) == (1, 2)
    d6 = compute("D6", extract, "2023/24")
    assert [(c["child_id"], c["in_numerator"]) for c in d6.cases().records()] == [("K1", True), ("K2", False)]


# -- found in review ----------------------------------------------------------------------------------


def test_c4_keeps_a_conference_before_its_start_in_the_total_through_load(tmp_path: Path) -> None:
    """Validation flags it (rule 8615), and it is still in the total, in no band, as DfE's ICPC_Num counts it."""
    (tmp_path / "s47.csv").write_text(
        "child_id,start_date,conference_date\nA,2023-12-04,2023-12-18\nB,2023-12-04,2023-12-01\nC,2023-12-04,2024-01-30\n",
        encoding="utf-8",
    )
    extract = load(tmp_path)
    assert extract.quality.counts_by_rule().get("8615") == 1
    c4 = compute(C4, extract, "2023/24").total()
    assert (c4.unbanded, c4.total_records, c4.denominator, c4.left_out["invalid"]) == (1, 3, 2, 0)


def test_a_limit_changes_the_figure_or_is_refused(capsys: pytest.CaptureFixture[str], extract_2023: Path) -> None:
    sa = Table.from_columns("single_assessment", {"child_id": ["A", "B"], "start_date": ["2023-10-02"] * 2,
                                                  "completion_date": ["2023-11-10", "2023-11-17"]})  # fmt: skip
    # 29 and 34 working days: both within 45, one within 30
    assert compute(C2, sa, "2023/24").total().numerator == 2
    assert compute(C2.with_limit(30), sa, "2023/24").total().numerator == 1
    for ind, limit in ((C2, 33), (D7, 1), (D6, 3)):
        with pytest.raises(CasetimeError):
            ind.with_limit(limit)
    out = ok(capsys, "report", str(extract_2023), "--indicators", "C2,C1", "--period", "2023/24", "--limit", "C2=30",
             "--limit", "C1=6", "--format", "json")  # fmt: skip
    c2, c1 = json.loads(out)["indicators"]
    loaded = load(extract_2023)
    assert c2["overall"]["numerator"] == compute(C2.with_limit(30), loaded, "2023/24").total().numerator
    assert c1["overall"]["numerator"] < compute("C1", loaded, "2023/24").total().numerator  # 6 months, not 12
    assert "not one of its band edges (0, 10, 20" in fails(
        capsys, "report", str(extract_2023), "--indicators", "C2", "--limit", "C2=33"
    )


def test_d6_says_when_the_review_dates_cannot_judge_it() -> None:
    none = Table.from_columns("cpp", {"child_id": ["A"], "start_date": ["2023-01-01"]})
    assert "have no review dates" in compute(D6, none, "2023/24").warnings[0]
    latest = Table.from_columns("cpp", {"child_id": ["A", "B"], "start_date": ["2022-01-01", "2023-01-01"],
                                        "review_dates": ["2024-01-10", "2023-12-01"]})  # fmt: skip
    (warning,) = compute(D6, latest, "2023/24").warnings
    assert "no plan has more than one review date" in warning and "Annex A" in warning
    full = Table.from_columns("cpp", {"child_id": ["A"], "start_date": ["2023-01-01"],
                                      "review_dates": ["2023-03-30;2023-09-20;2024-03-01"]})  # fmt: skip
    assert compute(D6, full, "2023/24").warnings == ()


def test_repeat_results_of_chunks_that_share_a_child_are_refused() -> None:
    last_year = Table.from_columns("referral", {"child_id": ["P"], "referral_date": ["2022-06-01"]})
    this_year = Table.from_columns("referral", {"child_id": ["P", "Q"], "referral_date": ["2023-05-01", "2023-06-01"]})
    with pytest.raises(MergeError, match="share 1 child"):
        compute("C1", last_year, "2023/24") + compute("C1", this_year, "2023/24")
    both = Table.concat([last_year, this_year])
    assert compute("C1", both, "2023/24").total().numerator == 1  # computed on whole children: P's is a repeat
    other = Table.from_columns("referral", {"child_id": ["R"], "referral_date": ["2023-06-01"]})
    merged = (compute("C1", both, "2023/24").without_records() + compute("C1", other, "2023/24")).total()
    assert (merged.numerator, merged.denominator) == (1, 3)


def test_dfe_columns_are_never_repeated(capsys: pytest.CaptureFixture[str], extract_2023: Path) -> None:
    out = ok(capsys, "report", str(extract_2023), "--indicators", "D5,D7,C2,C4", "--period", "2023/24",
             "--format", "csv", "--dfe-columns")  # fmt: skip
    header = out.splitlines()[0].split(",")
    assert len(header) == len(set(header))
    rows = list(csv.DictReader(io.StringIO(out)))
    d5 = next(r for r in rows if r["indicator"] == "D5" and r["group_by"] == "overall")
    assert d5["2_years_or_more"] != "" and int(d5["CPP_At31"]) >= int(d5["2_years_or_more"])


def test_variants_say_so_and_day_zero_bands_refuse_the_inclusive_count() -> None:
    from casetime.indicators import D3, PLAN_BANDS_ANNIVERSARY, WITHIN_2_YEARS_OF_ENDING

    assert "clock started on the referral date" in C2.with_clock_start("referral_date").heading
    assert "over 729 days" in D7.heading and "by anniversary" in D7.with_bands(PLAN_BANDS_ANNIVERSARY).heading
    assert "within 24 months of the previous one ending" in D3.with_repeat(WITHIN_2_YEARS_OF_ENDING).heading
    sa = Table.from_columns("single_assessment", {"child_id": ["A"], "start_date": ["2023-10-02"],
                                                  "completion_date": ["2023-10-02"]})  # fmt: skip
    with pytest.raises(CasetimeError, match="day-0 convention"):
        compute(C2, sa, "2023/24", convention="inclusive")


def test_your_quartile_is_placed_at_the_published_precision_and_only_for_a_whole_year() -> None:
    """ReReferral 2024/25 (year ending March 2025): the councils' published lower quartile, by hand from the file."""
    from casetime import published

    bound = published.quartiles("ReReferral", 2025).lower
    value = Fraction(int(bound * 100) + 3, 100)  # 0.03 above the boundary: shown (and published) as the boundary
    assert published.quartile_of(bound, "ReReferral", 2025) == 1  # lower is better; a boundary falls below
    # a result whose whole-year figure displays as the boundary is placed with it
    n = 10_000
    num = round(value * n / 100)
    referrals = {"child_id": [], "referral_date": []}  # type: dict[str, list[str]]
    for i in range(n):
        referrals["child_id"].append(f"K{i}")
        referrals["referral_date"].append("2024-06-03")
        if i < num:
            referrals["child_id"].append(f"K{i}")
            referrals["referral_date"].append("2024-01-10")
    table = Table.from_columns("referral", referrals)
    result = compute("C1", table, "2024/25")
    beside = result.compare("Barnet")
    assert result.total().display == str(bound) and beside.own_quartile == 1
    assert compute("C1", table, "ytd:2024-12").compare("Barnet").own_quartile is None  # not a whole year
    assert compute("C1", table, "ytd:2024-12").compare("Barnet").own_year == 2025


def test_no_published_lines_on_the_chart_for_a_period_in_no_published_year(capsys: pytest.CaptureFixture[str]) -> None:
    page = ok(capsys, "report", "--indicators", "D7", "--compare", "Barnet", "--format", "html")  # the 2008/09 sample
    assert 'class="published"' in page  # the table of published years is there
    assert "(published, " not in page  # but no line on the chart: 2008/09 is not a published year
