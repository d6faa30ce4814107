"""End to end in a real browser: Debian's Chromium driven by Playwright.

Starts ``streamlit run app.py`` on a free loopback port, uploads a workbook,
visits every page in German and English and in presentation mode, asserts no
exception box and charts present and no serious accessibility finding of
axe-core on any page (the rest of issue 19.1's checks are in
``test_accessibility_browser.py``), checks that the browser made no request
outside the machine, and saves screenshots to ``tests/screenshots/``.
Skips with a clear reason when Chromium or Playwright is missing.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path
from urllib.parse import urlparse

import pytest

from learn_core.settings import read_settings
from tests.app.serving import start_app, stop_app

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = str(read_settings()["LEARN_CHROMIUM"])  # declared in the settings registry
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PAGES = [
    ("daten", "Daten", "Data"),
    ("ueberblick", "Überblick", "Overview"),
    ("abteilungsvergleich", "Abteilungsvergleich", "Department comparison"),
    ("ansatzpunkte", "Ansatzpunkte", "Where to act"),
    ("details", "Details", "Details"),
    ("massnahmen", "Maßnahmen", "Measures"),
    ("verlauf", "Verlauf", "Progress"),
    ("live-workshop", "Live-Workshop", "Live workshop"),
    ("methodik", "Methodik", "Method"),
    ("barrierefreiheit", "Barrierefreiheit", "Accessibility"),
]
CHART_PAGES = {"ueberblick", "abteilungsvergleich", "ansatzpunkte", "details"}
#: axe rule ids that only Streamlit's own markup triggers (README, "Accessibility").
STREAMLIT_ONLY: set[str] = set()
SERIOUS = ("serious", "critical")

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="playwright (pip) is not installed")
    port = _free_port()
    env = {**os.environ, "LEARN_DATA_DIR": str(ROOT / "tests" / ".browser-data")}
    proc = start_app(port, env)
    url = f"http://127.0.0.1:{port}"
    yield url
    stop_app(proc)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


#: Two animation frames: what the page drew after the script ended is on screen.
_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"

def _settle(page) -> None:
    """Wait until Streamlit has finished running the script (the app root
    says so in ``data-test-script-state``), the running indicator is gone and
    the result is drawn (two animation frames and a little more, where a
    fixed half second was waited before)."""
    page.wait_for_timeout(300)  # the run an action caused has begun
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state')"
        " === 'notRunning' && !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=30_000,
    )
    page.evaluate(_FRAMES)
    page.wait_for_timeout(150)


def _shot(page, path: Path) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main
    element, so the viewport is made as tall as that element's content."""
    size = page.viewport_size
    height = page.evaluate(
        "() => (document.querySelector('[data-testid=stMain]') || document.body).scrollHeight"
    )
    page.set_viewport_size({"width": size["width"], "height": min(max(size["height"], height + 40), 9000)})
    page.evaluate(_FRAMES)  # the charts follow the new width in a frame or two
    page.wait_for_timeout(200)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


def serious_findings(page) -> list[str]:
    """The serious and critical axe-core findings on the page, as 'rule: element'
    (axe ships inside the ``axe-playwright-python`` package: no download)."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['nodes'][0]['target']}" for v in found
            if v["impact"] in SERIOUS and v["id"] not in STREAMLIT_ONLY]


def _go(page, url: str, label: str) -> None:
    link = page.get_by_role("link", name=label, exact=True).first
    if not link.is_visible():  # the top bar of the presentation mode folds pages into "more"
        page.get_by_text("more", exact=False).last.click()
        page.wait_for_timeout(300)
        link = page.get_by_role("link", name=label, exact=True).last
        if not link.is_visible():
            link = page.get_by_text(label, exact=True).last
    link.click()
    _settle(page)


@pytest.mark.parametrize(("lang", "presentation"), [("de", False), ("en", False), ("de", True)])
def test_every_page_in_the_browser(server, browser, lang, presentation):
    pytest.importorskip("axe_playwright_python", reason="axe-playwright-python (pip) is not installed")
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="de-DE")
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).hostname not in ("127.0.0.1", None) and not r.url.startswith(("data:", "blob:")) else None)
    page.goto(server)
    _settle(page)
    if lang == "en":
        page.get_by_text("English", exact=True).click()
        _settle(page)
    # upload the sample workbook like a user
    page.locator("[data-testid=stMain] input[type=file]").first.set_input_files(str(ROOT / "sample_data" / "beispielstadt.xlsx"))
    _settle(page)
    page.wait_for_selector("[data-testid=stMetric]", timeout=30_000)
    # the sidebar's filter is offered in the run that loaded the data (it is drawn after the page)
    sidebar = page.locator("[data-testid=stSidebar]")
    choice = sidebar.get_by_text("Filter" if lang == "en" else "Auswahl", exact=True)
    choice.wait_for(timeout=30_000)  # under load the sidebar may be drawn a moment after the page
    assert choice.count() == 1
    if presentation:
        page.get_by_text("Präsentationsmodus", exact=True).click()
        _settle(page)
    tag = f"{lang}{'-praesentation' if presentation else ''}"
    findings = {}
    for slug, de, en in PAGES:
        label = en if lang == "en" else de
        _go(page, server, label)
        assert page.locator("[data-testid=stException]").count() == 0, f"exception on {slug}"
        # WCAG 3.1.1: the page says its language (Streamlit itself writes "en")
        assert page.evaluate("document.documentElement.lang") == lang, slug
        if slug in CHART_PAGES:
            page.wait_for_selector(".vega-embed canvas, .vega-embed svg", timeout=30_000)
            assert page.locator(".vega-embed").count() >= 1
        if slug == "details":  # the Likert bars get the page's width, not a squeezed plot
            widths = page.eval_on_selector_all(
                ".vega-embed canvas, .vega-embed svg", "els => els.map(e => e.getBoundingClientRect().width)"
            )
            assert widths and min(widths) >= 600, widths
        if found := serious_findings(page):  # WCAG by axe-core, in the viewport the page was drawn for
            findings[slug] = found
        _shot(page, SHOTS / f"{tag}-{slug}.png")
    context.close()
    assert outside == [], f"requests left the machine: {outside[:5]}"
    assert findings == {}
