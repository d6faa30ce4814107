"""Accessibility measured in a real browser (issue 19.1): axe-core, shipped
inside the ``axe-playwright-python`` package (no download), on every page in
German and English, in presentation mode, on the participant's phone and on
the presenter view. No finding of impact "serious" or "critical" may remain
outside :data:`STREAMLIT_ONLY` (findings only Streamlit itself can fix, each
listed in the README with the reason).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from learn_core.workshop.store import WorkshopStore
from tests.app import test_browser
from tests.app.test_browser import CHROMIUM, PAGES, _free_port, _go, _settle
from tests.app.test_workshop_browser import _start

ROOT = Path(__file__).resolve().parents[2]
#: axe rule ids that only Streamlit's own markup triggers (README, "Accessibility").
STREAMLIT_ONLY: set[str] = set()
SERIOUS = ("serious", "critical")

pytestmark = pytest.mark.browser
browser = test_browser.browser  # the same Chromium fixture


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="playwright (pip) is not installed")
    pytest.importorskip("axe_playwright_python", reason="axe-playwright-python (pip) is not installed")
    data = tmp_path_factory.mktemp("a11y-data")
    with WorkshopStore(data_dir=data) as store:
        workshop = store.create_workshop("Barrierefreiheit", ["Bauamt", "Kämmerei"])
    port = _free_port()
    proc = _start(port, data)
    url = f"http://127.0.0.1:{port}"
    yield url, workshop.code
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _serious(page) -> list[str]:
    """The serious and critical axe findings on the page, as 'rule: element'."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['nodes'][0]['target']}" for v in found
            if v["impact"] in SERIOUS and v["id"] not in STREAMLIT_ONLY]


@pytest.mark.parametrize(("lang", "presentation"), [("de", False), ("en", False), ("de", True)])
def test_no_serious_finding_on_any_page(served, browser, lang, presentation):
    url, _ = served
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(url)
    _settle(page)
    if lang == "en":
        page.get_by_text("English", exact=True).click()
        _settle(page)
    page.get_by_text("Beispieldaten laden" if lang == "de" else "Load sample data", exact=True).click()
    _settle(page)
    if presentation:
        page.get_by_text("Präsentationsmodus", exact=True).click()
        _settle(page)
    findings = {}
    for slug, de, en in PAGES:
        _go(page, url, en if lang == "en" else de)
        assert page.locator("[data-testid=stException]").count() == 0, slug
        if found := _serious(page):
            findings[slug] = found
    page.close()
    assert findings == {}


@pytest.mark.parametrize("view", ["join", "present"])
def test_no_serious_finding_on_the_phone_and_the_projector(served, browser, view):
    url, code = served
    size = {"width": 390, "height": 844} if view == "join" else {"width": 1920, "height": 1080}
    page = browser.new_page(viewport=size)
    page.goto(f"{url}/?{view}={code}")
    if view == "join":  # the phones' light page (pages/room/phone): its script draws the questionnaire
        page.wait_for_selector("fieldset.item")
        page.locator("details").first.evaluate("d => d.open = true")  # the data-protection notice too
    else:
        _settle(page)
    assert page.locator("[data-testid=stException]").count() == 0
    assert _serious(page) == []
    assert page.evaluate("document.documentElement.lang") == "de"
    page.close()
