"""Accessibility measured in a real browser (issue 19.1): axe-core, shipped
inside the ``axe-playwright-python`` package (no download), on the
participant's phone and on the presenter view, and the keyboard walks. No
finding of impact "serious" or "critical" may remain outside
:data:`tests.app.test_browser.STREAMLIT_ONLY` (findings only Streamlit itself
can fix, each listed in the README with the reason). Every dashboard page in
German, English and presentation mode is checked by axe in
``test_browser.test_every_page_in_the_browser``, which visits them anyway.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from learn_core.workshop.store import WorkshopStore
from tests.app import test_browser
from tests.app.test_browser import CHROMIUM, _free_port, _settle, serious_findings
from tests.app.test_workshop_browser import _start
from tests.workshop.test_store import answers_of

ROOT = Path(__file__).resolve().parents[2]
_DATA: dict[str, Path] = {}  # served address → its store's folder


def served_data(served) -> Path:
    """The store folder of the server ``served`` runs."""
    return _DATA[served[0]]

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
    _DATA[url] = data
    yield url, workshop.code
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


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
    assert serious_findings(page) == []
    assert page.evaluate("document.documentElement.lang") == "de"
    page.close()


def _focused(page, test: str) -> bool:
    """Whether the focused element satisfies the JavaScript ``test`` (of ``el``)."""
    return page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({test}); }})()")


def _tab_to(page, test: str, limit: int = 80) -> None:
    """Press Tab until the focused element satisfies the JavaScript ``test`` (of ``el``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _focused(page, test):
            return
    raise AssertionError(f"no element with {test} reached by Tab")


def test_the_phone_walks_by_keyboard_only(served, browser):
    """The phone's four steps, the submission and a dot, with the keyboard
    alone (issue 19.2): every control is reached by Tab, answered with the
    arrow keys or Space, pressed with Enter; the focus is always visible."""
    url, _ = served
    with WorkshopStore(data_dir=served_data(served)) as store:
        made = store.create_workshop("Tastatur", min_group_size=3)
        for i in range(3):
            store.submit(made.code, f"vorab{i}", answers_of(2 + i))  # three whole answers: a result with measures
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{url}/?join={made.code}")
    page.wait_for_selector("fieldset.item")
    for step in range(4):
        first = page.locator("fieldset.item input").first.get_attribute("name")
        _tab_to(page, f"el.name === '{first}'")
        page.keyboard.press("Space")  # the first option of the first statement
        page.keyboard.press("ArrowRight")  # arrow keys move the choice within a statement
        outline = page.evaluate("getComputedStyle(document.activeElement.nextElementSibling).outlineStyle")
        assert outline != "none"  # the focused option shows it
        assert page.locator(f"input[name='{first}']:checked").get_attribute("value") == "2"
        label = "Antworten absenden" if step == 3 else "Weiter"
        _tab_to(page, f"el.tagName === 'BUTTON' && el.textContent === '{label}'")
        page.keyboard.press("Enter")
        if step < 3:
            page.get_by_text(f"Schritt {step + 2} von 4", exact=True).first.wait_for()
    page.get_by_text("Danke! Ihre Antworten sind gespeichert.").wait_for()
    with WorkshopStore(data_dir=served_data(served)) as store:
        assert store.count(made.code) == 4
        store.reveal(made.code, made.admin_key)
    page.wait_for_selector("svg.radar", timeout=10_000)
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent === '+ Punkt'")
    page.keyboard.press("Enter")
    page.get_by_text("Noch 2 von 3 Punkten frei").wait_for()
    assert page.locator(".dotsleft").get_attribute("aria-live") == "polite"  # announced, not shouted
    page.close()


def test_the_phone_page_reflows_at_320_css_pixels(served, browser):
    """WCAG 1.4.10: at 320 CSS pixels (1280 at 400 % zoom) the phone's page
    needs no horizontal scrolling, neither the questions nor the result."""
    url, _ = served
    with WorkshopStore(data_dir=served_data(served)) as store:
        made = store.create_workshop("Zoom auf vierhundert Prozent mit langem Titel", min_group_size=3)
        for i in range(3):
            store.submit(made.code, f"vorab{i}", answers_of(2 + i))
        store.reveal(made.code, made.admin_key)
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(f"{url}/?join={made.code}")
    page.wait_for_selector("fieldset.item")
    width = "document.scrollingElement.scrollWidth"
    assert page.evaluate(width) <= 320
    for _ in range(3):
        page.get_by_role("button", name="Weiter").click()
    page.locator("fieldset.item label").first.click()
    page.get_by_role("button", name="Antworten absenden").click()
    page.wait_for_selector("svg.radar", timeout=10_000)
    assert page.evaluate(width) <= 320
    page.close()


def test_the_dashboard_walks_by_keyboard_only(served, browser, tmp_path):
    """Upload → Überblick → a measure into the plan → the plan and the PDF
    report downloaded, with the keyboard alone (issue 19.2): Tab to each
    control, Enter or Space to use it (the file itself is chosen in the
    system's dialog, which Playwright stands in for)."""
    import openpyxl

    url, _ = served
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(url)
    _settle(page)
    browse = "el.tagName === 'BUTTON' && !!el.closest('[data-testid=stMain] [data-testid=stFileUploaderDropzone]')"
    _tab_to(page, browse)
    from playwright.sync_api import TimeoutError as NoDialog

    try:  # Enter on the focused "Browse files" button opens the system's dialog …
        with page.expect_file_chooser(timeout=5_000) as chooser:
            page.keyboard.press("Enter")
    except NoDialog:  # … and where that key press went to the drop zone first, Space does
        if not _focused(page, browse):  # a rerun of the page took the focus away (once in a loaded CI run)
            _tab_to(page, browse)
        with page.expect_file_chooser(timeout=15_000) as chooser:
            page.keyboard.press("Space")
    chooser.value.set_files(str(ROOT / "sample_data" / "beispielstadt.xlsx"))
    _settle(page)
    assert page.locator("[data-testid=stException]").count() == 0
    for label in ("Überblick", "Maßnahmen"):
        _tab_to(page, f"el.tagName === 'A' && el.textContent.trim().endsWith('{label}')", limit=200)
        page.keyboard.press("Enter")
        _settle(page)
        assert page.get_by_role("heading", name=label).count() >= 1
    _tab_to(page, "el.type === 'checkbox' && !!el.closest('[class*=\"st-key-pick_\"]')", limit=200)
    picked = page.evaluate("document.activeElement.closest('[class*=\"st-key-pick_\"]').className"
                           ".match(/st-key-pick_([A-Z]+-[0-9]+)/)[1]")
    page.keyboard.press("Space")
    _settle(page)
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Ausgewählte in den Maßnahmenplan')", limit=200)
    page.keyboard.press("Enter")
    _settle(page)
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Maßnahmenplan herunterladen')", limit=300)
    with page.expect_download() as plan_file:
        page.keyboard.press("Enter")
    plan_file.value.save_as(tmp_path / "plan.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "plan.xlsx").active
    assert picked in [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('PDF-Bericht')", limit=300)
    with page.expect_download() as report:
        page.keyboard.press("Enter")
    assert Path(report.value.path()).read_bytes()[:5] == b"%PDF-"
    page.close()
