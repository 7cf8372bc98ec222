"""``casetime web``: the page computes the sample's report in headless Chromium, offline, with the CLI's numbers.

The page is served from a local server on 127.0.0.1 and every other request is blocked (and
recorded: there must be none). It needs an offline Pyodide runtime folder (``$CASETIME_PYODIDE``,
or the ``shared/pyodide`` folder beside the checkout, as CI has) and a Chromium; without either it
skips and says so.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from casetime.cli import main
from casetime.errors import CasetimeError
from casetime.sample import sample_path
from casetime.web import MARKER, build_site, find_pyodide

HERE = Path(__file__).resolve().parents[1]
CANDIDATES = [os.environ.get("CASETIME_PYODIDE"), HERE.parent / "shared" / "pyodide", Path("/work/shared/pyodide")]
PYODIDE = next((Path(c) for c in CANDIDATES if c and (Path(c) / "pyodide.asm.wasm").is_file()), None)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")

needs_runtime = pytest.mark.skipif(PYODIDE is None, reason="no offline Pyodide runtime folder (set CASETIME_PYODIDE)")


def test_the_runtime_folder_is_required_and_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CASETIME_PYODIDE", raising=False)
    with pytest.raises(CasetimeError, match=r"needs an offline Pyodide 0\.27 runtime: give --pyodide DIR"):
        find_pyodide()
    with pytest.raises(CasetimeError, match="not an offline Pyodide runtime folder"):
        find_pyodide(tmp_path)
    (tmp_path / "mine.txt").write_text("a file of the user's", encoding="utf-8")
    assert main(["web", "-o", str(tmp_path), "--pyodide", str(tmp_path)]) == 2  # one line, no traceback
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "a file of the user's"


@needs_runtime
def test_the_site_holds_everything_and_writes_over_only_its_own_folder(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert main(["web", "-o", str(site), "--pyodide", str(PYODIDE)]) == 0
    page = (site / "index.html").read_text(encoding="utf-8")
    assert (site / MARKER).is_file()
    for script in ("assets/pyodide.asm.js", "assets/pyodide.js", "assets/pyodide.asm.wasm.js"):
        assert f'src="{script}"' in page and (site / script).is_file()
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    assert main(["web", "-o", str(site), "--pyodide", str(PYODIDE)]) == 0  # its own folder: written again
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(CasetimeError, match="not an empty folder, nor one casetime web wrote"):
        build_site(other, pyodide=PYODIDE)


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """A static server of ``folder`` on 127.0.0.1 (a free port), for as long as the block runs."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@needs_runtime
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium browser installed (CI installs Debian's chromium)")
def test_the_page_makes_the_reports_figures_offline_in_chromium(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright, which is not installed here")
    assert main(["report", "--format", "json"]) == 0
    cli = {i["id"]: i["overall"]["display"] for i in json.loads(capsys.readouterr().out)["indicators"]}
    site = tmp_path / "site"
    build_site(site, pyodide=PYODIDE)
    blocked: list[str] = []
    with served(site) as base, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True)
        page = browser.new_page(viewport={"width": 1200, "height": 900})

        def only_local(route: object) -> None:
            request = route.request  # type: ignore[attr-defined]
            if request.url.startswith(base) or request.url.startswith(("blob:", "data:")):
                route.continue_()  # type: ignore[attr-defined]
            else:
                blocked.append(request.url)
                route.abort()  # type: ignore[attr-defined]

        page.route("**/*", only_local)
        seen: list[str] = []
        page.on("request", lambda request: seen.append(request.url))
        page.goto(base + "index.html")
        state = "#status[data-state=ready], #status[data-state=error]"
        page.wait_for_selector(state, timeout=180_000)
        assert page.locator("#status").get_attribute("data-state") == "ready", page.locator("#status").inner_text()
        # the user's own files: the sample's CSV files, picked as a user would
        page.set_input_files("#files", sorted(str(p) for p in sample_path().glob("*.csv")))
        page.click("#run")
        page.wait_for_selector("#status[data-state=done], #status[data-state=error]", timeout=180_000)
        assert page.locator("#status").get_attribute("data-state") == "done", page.locator("#status").inner_text()
        figures = page.evaluate("window.casetimeResult.figures")
        assert figures == cli  # NI59, NI60 and NI64 as the command line gives them
        report = page.frame_locator("#report")
        assert report.locator("#NI59 .big").inner_text() == f"{cli['NI59']}%"
        assert report.locator("#NI59 svg.chart rect.bar").count() == 12
        assert page.locator("#downloads a").count() == 3
        # and the bundled sample, from its button
        page.click("#sample")
        page.wait_for_selector("#status[data-state=done]", timeout=180_000)
        assert page.evaluate("window.casetimeResult.figures") == cli
        assert page.evaluate("window.casetimeRefused") == []
        load, made = page.evaluate("[window.casetimeLoadSeconds, window.casetimeReportSeconds]")
        print(f"page load {load} s, report {made} s")  # (docs/web.md records these)
        browser.close()
    assert blocked == [], "the page must make no request outside its own folder"
    assert all(url.startswith((base, "blob:", "data:")) for url in seen)
