"""A notebook that shows (issue 12): the HTML views, frames in pandas and polars, the results collection and
``ResultTable.plot()``, which draws the same chart as the HTML report."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pytest

import casetime
from casetime.cells import Text
from casetime.report import build_report, to_html
from casetime.results import Chart, Results
from casetime.sample import sample_path
from casetime.synth import generate, write_csv
from support import pl


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> casetime.Extract:
    folder = tmp_path_factory.mktemp("faulty")
    write_csv(generate(n_referrals=600, fault_rate=0.05, seed=4), folder)
    return casetime.load(folder)


def loaded(folder: Path, **options: object) -> casetime.Extract:
    """A synthetic extract written as CSV files and read back, as a user would have it."""
    write_csv(generate(**options), folder)  # type: ignore[arg-type]
    return casetime.load(folder)


def cells(html_text: str) -> list[list[str]]:
    """The body rows of an HTML table, as text (tags removed)."""
    body = html_text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body)
    return [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", row)] for row in rows]


def test_an_extract_shows_its_tables_rows_and_errors(faulty: casetime.Extract) -> None:
    page = faulty._repr_html_()
    rows = {r[0]: r[1:] for r in cells(page)}
    for kind in faulty.record_types:
        n = len(faulty.tables[kind])
        bad = int(faulty.quality.error_mask(kind).sum())
        assert rows[kind] == [f"{n:,}", f"{n - bad:,}", f"{bad:,}"]
    for rule, n in faulty.quality.counts_by_rule("error").items():
        assert f"{rule}: {n:,}" in page


def test_quality_is_one_line_and_its_summary_shows_as_text(faulty: casetime.Extract) -> None:
    quality = faulty.quality
    assert "\n" not in repr(quality) and len(repr(quality)) < 300
    summary = quality.summary()
    assert isinstance(summary, Text) and repr(summary) == str(summary)  # not an escaped string
    page = quality._repr_html_()
    assert f"{len(quality):,} issue(s)" in page
    counted = {(r[0], r[1]): int(r[2].replace(",", "")) for r in cells(page.split("</table>", 1)[1])}
    assert counted == dict(quality.counts().by_rule)


def test_results_show_rag_in_colour_and_in_words(faulty: casetime.Extract) -> None:
    results = casetime.compute_all(faulty, "2008/09", by="quarter")
    assert isinstance(results, Results) and isinstance(results, dict)
    table = results["NI59"]
    page = table._repr_html_()
    statuses = [r.status for r in table.rows]
    assert page.count('class="rag rag-') == sum(s is not None for s in statuses)
    for status in {s for s in statuses if s}:
        assert f">{status.upper()}</span>" in page
    total = table.total()
    assert total._repr_html_().count(f">{(total.status or '').upper()}</span>") == 1
    assert len(cells(results._repr_html_())) == len(results)
    text = repr(results)
    assert all(line.split()[0] in results for line in text.splitlines())


def test_frames_in_pandas_and_polars_agree_with_dates_and_counts_typed(
    faulty: casetime.Extract, tmp_path: Path
) -> None:
    extract = loaded(tmp_path / "x", n_referrals=400, financial_year=2023, seed=2)
    table = casetime.compute("C2", extract, "2023/24", by="month")
    frame = table.to_pandas()
    polars_frame = table.to_polars()
    assert str(frame["start"].dtype) == "datetime64[s]" and polars_frame["start"].dtype == pl.Date
    for name in ("numerator", "denominator", "same day", "61+", "total", "left_out_still_open"):
        assert str(frame[name].dtype) == "Int64", name
        assert polars_frame[name].dtype == pl.Int64, name
    assert list(polars_frame.columns) == list(frame.columns)
    for name in frame.columns:
        left = frame[name].tolist()
        right = polars_frame[name].to_list()
        if name in ("start", "end"):
            left = [v.date() for v in frame[name]]
        assert [None if isinstance(v, float) and np.isnan(v) else v for v in left] == right, name
    results = casetime.compute_all(faulty, "2008/09", by="month")
    both = results.to_pandas()
    assert len(both) == sum(len(t) for t in results.values()) == results.to_polars().height
    assert list(both.columns[:2]) == ["indicator", "month"]


def test_cases_in_polars_and_pandas(faulty: casetime.Extract) -> None:
    cases = casetime.compute("NI59", faulty, "2008/09").breaches()
    frame, polars_frame = cases.to_pandas(), cases.to_polars()
    assert polars_frame["clock_start"].dtype == pl.Date and polars_frame["elapsed"].dtype == pl.Int64
    assert polars_frame.height == len(frame) == len(cases)
    assert polars_frame["clock_start"].to_list() == [r["clock_start"] for r in cases.records()]
    assert polars_frame["child_id"].to_list() == frame["child_id"].tolist()
    assert "casetime-cases" in cases._repr_html_()


def test_results_merge_exactly_across_parts_holding_whole_children(tmp_path: Path) -> None:
    extract = generate(n_referrals=800, seed=9)
    write_csv(extract, tmp_path / "whole")
    whole = casetime.compute_all(casetime.load(tmp_path / "whole"), "2008/09", by="month")
    children = np.unique(extract["referral"]["child_id"])
    halves = [set(children[::2].tolist()), set(children[1::2].tolist())]
    parts = []
    for i, half in enumerate(halves):
        folder = tmp_path / f"part{i}"
        write_csv(extract, folder)
        for path in folder.glob("*.csv"):
            lines = path.read_text(encoding="utf-8").splitlines()
            head = lines[0].split(",")
            at = head.index("child_id")
            kept = [line for line in lines[1:] if line.split(",")[at] in half]
            path.write_text("\n".join([lines[0], *kept]) + "\n", encoding="utf-8")
        parts.append(casetime.compute_all(casetime.load(folder), "2008/09", by="month").without_records())
    merged = parts[0].merge(parts[1])
    assert isinstance(merged, Results) and list(merged) == list(whole)
    for key in whole:
        assert [(r.numerator, r.denominator) for r in merged[key].rows] == [
            (r.numerator, r.denominator) for r in whole[key].rows
        ], key


def test_plot_is_the_chart_the_report_draws(tmp_path: Path) -> None:
    extract = casetime.load(sample_path())
    for by in ("month", "quarter,team", "team"):
        results = casetime.compute_all(extract, "2008/09", by=by)
        page = to_html(build_report(results, extract.quality))
        for table in results.values():
            chart = table.plot()
            assert isinstance(chart, Chart) and chart.svg.startswith(("<svg", '<div class="multiples"'))
            assert chart.svg in page, (by, table.indicator.id)
            assert chart.svg in chart._repr_html_()
    chart = casetime.compute("NI59", extract, "2008/09", by="month").plot()
    chart.save(tmp_path / "ni59.svg")
    saved = (tmp_path / "ni59.svg").read_text(encoding="utf-8")
    assert saved.startswith('<svg xmlns="http://www.w3.org/2000/svg" ') and 'class="ytd"' in saved
    chart.save(tmp_path / "ni59.html")
    assert (tmp_path / "ni59.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_year_to_date_adds_up_the_months_and_counts_children_once(tmp_path: Path) -> None:
    extract = loaded(tmp_path / "x", n_referrals=600, seed=3)
    for ind in ("NI59", "NI64", "C1_CHILD"):  # (C1_child counts children: a child in two months counts once)
        table = casetime.compute(ind, extract, "2008/09", by="month")
        running = table.year_to_date()
        assert running is not None and len(running) == len(table.rows)
        assert (running[-1].numerator, running[-1].denominator) == (table.total().numerator, table.total().denominator)
        for i, r in enumerate(running):
            if ind == "NI59":  # records: the running counts are sums of the months
                assert r.denominator == sum(row.denominator for row in table.rows[: i + 1])
            window = casetime.compute(ind, extract, casetime.periods.Period(dt.date(2008, 4, 1), r.period.end))
            assert (r.numerator, r.denominator) == (window.total().numerator, window.total().denominator)
    assert casetime.compute("NI59", extract, "2008/09", by="team").year_to_date() is None
