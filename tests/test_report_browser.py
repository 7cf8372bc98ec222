"""The HTML report, rendered by a real headless Chromium: what is drawn, not just what is written.

CI installs Debian's chromium (``.ci/run``). The test skips only when no Chromium
executable exists on the machine, and says so.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from casetime.report import IndicatorSummary, Report, Row, to_html

sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright, which is not installed here")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium browser installed (CI installs Debian's chromium)"
)


def _report() -> Report:
    months = [
        Row("Apr 2008", 6, 10, 60.0, "60.0", "red"),
        Row("May 2008", 8, 10, 80.0, "80.0", "green"),
        Row("Jun 2008", 0, 0, None, "-", None),
        Row("Jul 2008", 13, 20, 65.0, "65.0", "amber"),
    ]
    ni59 = IndicatorSummary(
        "NI59",
        "Initial assessments carried out within 7 working days of referral",
        "higher",
        70.0,
        Row("2008/09", 27, 40, 67.5, "67.5", "amber"),
        months,
        {"still_open": 2, "invalid": 1},
        late_cases=[{"child_id": "C000001", "working_days": 9, "over_limit": 2}],
    )
    return Report(
        "Safeguarding timeliness",
        "2008/09",
        "test",
        [ni59],
        {
            "reconciliation": [
                {
                    "record_type": "initial_assessment",
                    "source": "ia.csv",
                    "rows_read": 43,
                    "rows_valid": 42,
                    "rows_with_errors": 1,
                }
            ],
            "counts_by_rule": {"8608": 1},
        },
    )


def test_report_renders_bars_target_and_badges_in_chromium(tmp_path: Path) -> None:
    page_file = tmp_path / "report.html"
    page_file.write_text(to_html(_report()), encoding="utf-8")
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_file.as_uri())
        bars = page.locator("#NI59 svg.chart rect.bar")
        assert bars.count() == 3  # June has no value: no bar
        heights = {}
        for i in range(bars.count()):
            bar = bars.nth(i)
            box = bar.bounding_box()
            assert box is not None and box["width"] > 5
            heights[bar.get_attribute("data-label")] = box["height"]
        # drawn heights are proportional to the values (80 > 65 > 60)
        assert heights["May 2008"] > heights["Jul 2008"] > heights["Apr 2008"] > 0
        assert heights["May 2008"] / heights["Apr 2008"] == pytest.approx(80 / 60, rel=0.02)
        colours = [bars.nth(i).evaluate("e => getComputedStyle(e).fill") for i in range(3)]
        assert colours == ["rgb(179, 38, 30)", "rgb(27, 122, 58)", "rgb(184, 110, 0)"]  # red, green, amber
        target = page.locator("#NI59 svg.chart line.target").bounding_box()
        assert target is not None and target["width"] > 500
        # the 70% target line sits above the 65% bar's top and below the 80% bar's top
        may = bars.nth(1).bounding_box()
        jul = bars.nth(2).bounding_box()
        assert may is not None and jul is not None
        assert may["y"] < target["y"] < jul["y"]
        badge = page.locator("#NI59 .badge").first
        assert badge.inner_text() == "AMBER"
        assert badge.is_visible()
        assert "67.5%" in page.locator("#NI59 .big").inner_text()
        assert "8608: 1" in page.locator("#data-quality").inner_text()
        shot = page.screenshot(full_page=True)
        assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 10_000
        browser.close()
    assert requests == [page_file.as_uri()], "the report must load nothing but itself"


# ---------------------------------------------------------------------------
# the report a cabinet reads: what is drawn at 700 and 1400 px and in print (issue 12)
# ---------------------------------------------------------------------------

#: In the page: every chart's text boxes that overlap, bars outside their plot, and reference lines.
_DRAWN = """
() => Array.from(document.querySelectorAll('svg.chart')).map(svg => {
  const box = e => e.getBoundingClientRect();
  const texts = Array.from(svg.querySelectorAll('text')).map(box).filter(b => b.width > 0);
  const overlaps = [];
  for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
    const a = texts[i], b = texts[j];
    if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
      overlaps.push([svg.querySelectorAll('text')[i].textContent, svg.querySelectorAll('text')[j].textContent]);
  }
  const plot = box(svg.querySelector('rect.plot'));
  const outside = Array.from(svg.querySelectorAll('rect.bar, rect.band')).map(box).filter(b =>
    b.left < plot.left - 0.5 || b.right > plot.right + 0.5 || b.top < plot.top - 0.5 || b.bottom > plot.bottom + 0.5
  ).length;
  const target = svg.querySelector('line.target');
  const t = target ? box(target) : null;
  return {
    id: svg.closest('section').id, overlaps, outside, bars: svg.querySelectorAll('rect.bar').length,
    target: t ? (t.top >= plot.top - 0.5 && t.bottom <= plot.bottom + 0.5 && t.width > 0.5 * plot.width) : null,
    right: box(svg).right, lines: svg.querySelectorAll('polyline').length,
    ticks: Array.from(svg.querySelectorAll('text.tick')).map(e => parseFloat(e.textContent)),
    panel: svg.classList.contains('panel'),
    values: Array.from(svg.querySelectorAll('rect.bar')).map(e => parseFloat(e.getAttribute('data-value'))),
  };
})
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from casetime.cli import main
    from casetime.synth import generate, write_csv

    folder = tmp_path_factory.mktemp("pages")
    earlier, later = folder / "2007", folder / "2008"
    write_csv(generate(n_referrals=2500, financial_year=2007, seed=1), earlier)
    write_csv(generate(n_referrals=2500, financial_year=2008, seed=2, teams=["Anytown North"]), later)
    out = {}
    for name, args in {
        "month": ["--period", "2008/09", "--late-cases", str(earlier), str(later)],
        "quarter_team": ["--by", "quarter,team"],
        "month_team": ["--by", "month,team"],
        "team": ["--by", "team"],
    }.items():
        out[name] = folder / f"{name}.html"
        assert main(["report", *args, "-o", str(out[name])]) == 0
    return out


@pytest.mark.parametrize("width", [700, 1400])
def test_every_chart_fits_and_nothing_collides(pages: dict[str, Path], width: int) -> None:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": width, "height": 900})
        for name, path in pages.items():
            page.goto(path.as_uri())
            charts = page.evaluate(_DRAWN)
            assert charts, name
            inner = page.evaluate("() => document.documentElement.clientWidth")
            for chart in charts:
                where = f"{name} {chart['id']} at {width}px"
                assert chart["overlaps"] == [], where
                assert chart["outside"] == 0, where
                assert chart["right"] <= inner + 0.5, f"{where}: the chart is cut off"
                if chart["bars"]:
                    assert chart["target"] is True, f"{where}: no target line inside the plot"
                if name in ("team", "quarter_team", "month_team"):
                    assert chart["lines"] == 0, f"{where}: a line across categories"
            for chart in charts:  # scaled to the data: NI64's few percent are not drawn on a 0-100% axis
                if chart["values"] and max(chart["values"]) < 45 and not chart["panel"]:  # (panels share one axis)
                    assert max(chart["ticks"]) <= 50, f"{name} {chart['id']}: {chart['ticks']}"
            ni64 = next(c for c in charts if c["id"] == "NI64")
            if name in ("month", "team"):
                assert max(ni64["ticks"]) < 100, f"{name}: NI64 (a few percent) drawn on a 0-100% axis"
            shot = page.screenshot(full_page=True)
            assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 20_000, name
            if name == "month":
                ni59 = next(c for c in charts if c["id"] == "NI59")
                assert ni59["lines"] == 1  # the year to date, beside the monthly bars
                assert page.locator("#NI59 svg.chart line.previous").count() == 1  # 2007/08, which the data holds
                assert page.locator("#NI59 details.late").count() == 1
        browser.close()


def test_printed_cards_stay_whole_and_the_pdf_is_made(pages: dict[str, Path], tmp_path: Path) -> None:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
        page.goto(pages["quarter_team"].as_uri())
        page.emulate_media(media="print")
        rules = page.evaluate(
            "() => Array.from(document.querySelectorAll('section.ind')).map(s => getComputedStyle(s).breakInside)"
        )
        assert rules and set(rules) == {"avoid"}
        for chart in page.evaluate(_DRAWN):
            assert chart["overlaps"] == [] and chart["outside"] == 0, chart["id"]
        pdf = page.pdf(format="A4")
        assert pdf[:5] == b"%PDF-" and len(pdf) > 20_000
        (tmp_path / "report.pdf").write_bytes(pdf)
        browser.close()
