"""The HTML report, rendered by a real headless Chromium: what is drawn, not just what is written.

CI installs Debian's chromium (``.ci/run``). The test skips only when no Chromium
executable exists on the machine, and says so.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright import sync_api

from casetime.report import IndicatorSummary, Report, Row, to_html

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
