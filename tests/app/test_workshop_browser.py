"""A live workshop end to end in real browsers (Debian's Chromium via Playwright).

One facilitator (1440×1000, the projector) and three participants (phones,
390×844), each in their own browser context, against ``streamlit run app.py``
with the store in a temporary ``LEARN_DATA_DIR``: create the workshop, join by
the link of the QR code, answer, watch the counter rise, SIGKILL the server
after some answers and start it again on the same folder (no answer lost; the
facilitator resumes with code and admin key), reveal, vote, analyse, export.
Screenshots go to ``tests/screenshots/workshop-*.png``. Skips with a clear
reason when Chromium or Playwright is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from learn_core.i18n import t
from learn_core.recommendations import catalogue
from learn_core.workshop import WorkshopStore
from tests.app.serving import start_app
from tests.app.test_browser import CHROMIUM, FLAGS, SHOTS, _free_port, _settle
from tests.workshop.test_store import answers_of

ROOT = Path(__file__).resolve().parents[2]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
PROJECTOR = {"viewport": {"width": 1440, "height": 1000}}
#: Streamlit's widgets: none of them may be on the presenter view
CONTROLS = "[data-testid=stButton], [data-testid=stDownloadButton], [data-testid=stLinkButton], input, textarea"

pytestmark = pytest.mark.browser


def _start(port: int, data_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "LEARN_DATA_DIR": str(data_dir)}
    env.pop("LEARN_DATABASE_URL", None)
    return start_app(port, env)


@pytest.fixture
def browser():
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (pip) is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


def _shot(page, name: str, *, tall: bool = False) -> None:
    """Save a screenshot; ``tall``: the whole page (Streamlit scrolls inside its main element)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    page.mouse.move(size["width"] - 2, size["height"] - 2)  # no hover toolbar over the content
    if tall:
        height = page.evaluate("(document.querySelector('[data-testid=stMain]') || document.body).scrollHeight")
        page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
        page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / f"workshop-{name}.png"))
    page.set_viewport_size(size)


def _goto(page, url: str) -> None:
    """Open ``url``; close the "Page not found" notice that a deep link may get
    while a freshly started server still lists the files of ``pages/``."""
    page.goto(url)
    _settle(page)
    notice = page.get_by_role("dialog").filter(has_text="Page not found")
    if notice.count():
        page.keyboard.press("Escape")
        notice.wait_for(state="hidden")
        _settle(page)


def _metric(page, value: str, timeout: float = 15_000) -> None:
    """Wait until the live counter shows ``value`` (it refreshes itself)."""
    page.locator("[data-testid=stMetricValue]").filter(has_text=re.compile(f"^{value}$")).wait_for(timeout=timeout)


def _idle(page) -> None:
    """Wait until the script run that the last action started has finished."""
    page.wait_for_timeout(150)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)


def _phone_ready(page) -> None:
    """The phone's light page has joined (its script drew the questionnaire or the thanks)."""
    page.wait_for_selector("fieldset.item, .box.ok", timeout=30_000)


def _answer(page, label: str, group: str | None, shot: str | None = None, kept: bool = False) -> None:
    """Answer four statements a dimension with ``label``, step by step, and send
    (the phone's light page: pages/room/phone/phone.js)."""
    page.wait_for_selector("fieldset.item")
    if group:
        page.get_by_label("Ihre Abteilung (optional)").select_option(group)
    for step in range(4):
        page.get_by_text(f"Schritt {step + 1} von 4", exact=True).first.wait_for()
        groups = page.locator("fieldset.item")
        for i in range(4):  # 4 of 6 give a dimension score
            groups.nth(i).locator("label").filter(has_text=re.compile(f"^{re.escape(label)}$")).click()
            assert groups.nth(i).locator("input:checked + span").inner_text() == label
        if not kept:  # a phone that changes its answers starts from the ones it sent
            page.get_by_text(f"{4 * (step + 1)} von 24 Aussagen beantwortet").wait_for()
        if shot and step == 0:
            _shot(page, f"{shot}-schritt1", tall=True)
        page.get_by_role("button", name="Antworten absenden" if step == 3 else "Weiter").click()
    page.get_by_text("Danke! Ihre Antworten sind gespeichert.").wait_for()


def _vote(page, taps: list[int]) -> None:
    """Tap "+ Punkt" on these measures (by position), one dot a tap; each is stored at once."""
    for done, measure in enumerate(taps, start=1):
        page.get_by_role("button", name=re.compile(r"^\+ Punkt")).nth(measure).click()
        page.get_by_text(f"Noch {3 - done} von 3 Punkten frei").wait_for()
    box = page.locator(".dotsleft").bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]  # dots left in view


def _presenters(browser, url: str) -> list:
    """The presenter view on a 1280×720 and a 1920×1080 projector."""
    pages = []
    for width, height in ((1280, 720), (1920, 1080)):
        page = browser.new_context(viewport={"width": width, "height": height}).new_page()
        _goto(page, url)
        pages.append(page)
    return pages


def _present_shots(pages, name: str) -> None:
    for page in pages:
        _shot(page, f"praesentation-{page.viewport_size['width']}-{name}")


def test_live_workshop_end_to_end(browser, tmp_path):
    port = _free_port()
    server = f"http://127.0.0.1:{port}"
    proc = _start(port, tmp_path)
    try:
        fac = browser.new_context(**PROJECTOR, accept_downloads=True).new_page()
        _goto(fac, f"{server}/live-workshop")
        fac.get_by_role("textbox", name="Titel").fill("Klausur Verwaltungsspitze 2026")
        fac.get_by_role("textbox", name="Abteilungen zur Auswahl").fill("Bauamt\nKämmerei\nBürgerbüro")
        fac.get_by_role("button", name="Workshop anlegen").click()
        _settle(fac)
        fac.wait_for_selector("[data-testid=stImage] img")  # the QR code
        url = fac.locator("[data-testid=stCode] code").first.inner_text().strip()
        code = url.rsplit("=", 1)[1]
        assert url == f"{server}/?join={code}"
        assert "erreicht nur diesen Rechner" in fac.content()  # 127.0.0.1: the warning with the fix
        presenters = _presenters(browser, f"{server}/?present={code}")
        for page in presenters:
            page.wait_for_selector("[data-testid=stImage] img")
            assert page.get_by_text(code, exact=True).is_visible()  # the code, in view without scrolling
            assert page.locator(CONTROLS).count() == 0  # no admin control before the room
            box = page.locator("[data-testid=stImage] img").bounding_box()
            assert box["y"] + box["height"] <= page.viewport_size["height"]  # the whole QR code in view
        _present_shots(presenters, "beitreten")
        fac.get_by_role("button", name="Admin-Schlüssel anzeigen").click()
        _settle(fac)
        key = fac.locator("[data-testid=stCode] code").nth(1).inner_text().strip()
        assert len(key) >= 43
        fac.get_by_text("Präsentationsmodus", exact=True).click()  # the projector's view
        _settle(fac)
        assert key not in fac.content()  # shown once only
        _shot(fac, "projektor-beitreten")

        with WorkshopStore(data_dir=tmp_path) as store:  # two people who answered on another device
            for i, value in enumerate((2, 4)):
                store.submit(code, f"vorab{i}", answers_of(value), group="Bauamt")
        phones = [browser.new_context(**PHONE).new_page() for _ in range(3)]
        for phone in phones:
            phone.goto(url)
        _phone_ready(phones[0])
        assert phones[0].locator("[data-testid=stApp]").count() == 0  # the light page, not a Streamlit session
        assert phones[0].get_by_role("link", name="Daten").count() == 0  # no dashboard navigation
        assert key not in phones[0].content()
        _shot(phones[0], "handy-start")
        _answer(phones[0], "trifft eher zu", "Kämmerei", shot="handy")
        _metric(fac, "3")  # the counter rose by itself

        proc.kill()  # SIGKILL after an acknowledged answer
        proc.wait(10)
        with WorkshopStore(data_dir=tmp_path) as store:
            assert store.count(code) == 3  # no answer lost
        proc = _start(port, tmp_path)
        _goto(fac, f"{server}/live-workshop")  # a new session: resume with code and admin key
        fac.get_by_role("tab", name="Workshop fortsetzen").click()
        fac.get_by_role("textbox", name="Workshop-Code").fill(code.lower())
        fac.get_by_role("textbox", name="Admin-Schlüssel").fill(key)
        fac.get_by_role("button", name="Fortsetzen").click()
        _settle(fac)
        _metric(fac, "3")
        fac.get_by_text("Präsentationsmodus", exact=True).click()
        _settle(fac)

        for phone, label, group in ((phones[1], "trifft voll zu", None), (phones[2], "teils/teils", "Bürgerbüro")):
            phone.reload()  # a reload after the restart
            _phone_ready(phone)
            _answer(phone, label, group)
        _metric(fac, "5")
        _shot(phones[2], "handy-danke")

        fac.get_by_role("button", name="Ergebnisse freigeben").click()
        _settle(fac)
        for phone in phones[1:]:
            phone.wait_for_selector("svg.radar", timeout=10_000)  # polled, no reload
            assert phone.locator(".legend").inner_text().strip() == "dieser Workshop"  # the room, not the whole administration
        # the ring values lie beside the first axis (they sat on its line, under its point), drawn after the polygon
        spoke_x = phones[1].evaluate("() => document.querySelector('svg.radar line').getAttribute('x1')")
        rings = phones[1].eval_on_selector_all("svg.radar text.ring-value",
                                               "els => els.map(e => [e.textContent, +e.getAttribute('x')])")
        assert [t for t, _ in rings] == ["25", "50", "75", "100"]
        assert all(x > float(spoke_x) + 5 for _, x in rings)
        assert phones[1].evaluate("() => { const t = document.querySelector('svg.radar text.ring-value');"
                                  " let e = t; while ((e = e.previousElementSibling)) if (e.tagName === 'circle') return true;"
                                  " return false; }")
        for page in presenters:  # the projector follows the reveal by itself
            page.wait_for_selector(".vega-embed svg, .vega-embed canvas", timeout=40_000)
        _present_shots(presenters, "ergebnis")
        _shot(phones[1], "handy-ergebnis", tall=True)
        _vote(phones[1], [0, 0, 1])
        _shot(phones[1], "handy-punkte")
        phones[1].get_by_role("button", name=re.compile("^− zurück")).first.click()  # take a dot back
        phones[1].get_by_text("Noch 1 von 3 Punkten frei").wait_for()
        phones[1].get_by_role("button", name=re.compile(r"^\+ Punkt")).first.click()
        phones[1].get_by_text("Noch 0 von 3 Punkten frei").wait_for()
        _vote(phones[2], [0, 2, 2])
        fac.wait_for_selector("[data-testid=stProgress]", timeout=15_000)  # the ranking, live
        with WorkshopStore(data_dir=tmp_path) as store:
            votes = store.votes(code)
        assert [n for _, n in votes] == [3, 2, 1]
        top = next(r for r in catalogue() if r.id == votes[0][0]).title("de")
        fac.get_by_text(f"1. {top}").wait_for()
        fac.locator("[data-testid=stProgress]").nth(2).wait_for(timeout=10_000)  # three measures with dots
        _shot(fac, "projektor-rangfolge", tall=True)
        fac.get_by_role("button", name="Rangfolge im Raum zeigen").click()
        for page in presenters:
            page.get_by_text("Punktabfrage: Rangfolge der Maßnahmen").wait_for(timeout=20_000)
            page.get_by_text(f"1. {top}").wait_for()
            assert page.locator(CONTROLS).count() == 0
        _present_shots(presenters, "rangfolge")

        with fac.expect_download() as download:
            fac.get_by_role("button", name=t("workshop2.export", "de", k=5)).click()
        lines = Path(download.value.path()).read_bytes().decode("utf-8-sig").splitlines()
        assert lines[0].startswith("Abteilung;M1;M7;") and len(lines) == 6  # version 2.0
        assert {line.split(";")[0] for line in lines[1:]} == {""}  # no department has 5 people
        fac.get_by_role("button", name="Diese Antworten auswerten").click()
        _settle(fac)
        fac.get_by_test_id("stMain").get_by_role("link", name="Zum Überblick").click()
        _settle(fac)
        fac.wait_for_selector(".vega-embed svg, .vega-embed canvas", timeout=15_000)
        respondents = fac.locator("[data-testid=stMetric]").filter(has_text="Antwortende")
        assert respondents.locator("[data-testid=stMetricValue]").inner_text().strip() == "5"
        assert fac.locator("[data-testid=stException]").count() == 0
        _shot(fac, "projektor-ueberblick")
    finally:
        proc.kill()
        proc.wait(10)


def test_a_phone_that_reloads_stays_one_participant(browser, tmp_path):
    """Reloading ``/?join=CODE`` must not start a new participant (issue 11:
    one phone submitting four times made "aus 5 Antworten" of one colleague)."""
    port = _free_port()
    proc = _start(port, tmp_path)
    try:
        with WorkshopStore(data_dir=tmp_path) as store:
            made = store.create_workshop("Neu laden")
        phone = browser.new_context(**PHONE).new_page()
        phone.goto(f"http://127.0.0.1:{port}/?join={made.code}")
        _phone_ready(phone)
        for turn, label in enumerate(("trifft eher zu", "trifft voll zu", "teils/teils")):
            _answer(phone, label, None, kept=turn > 0)
            phone.reload()
            phone.get_by_text("Danke! Ihre Antworten sind gespeichert.").wait_for()  # known after the reload
            phone.get_by_role("button", name="Antworten ändern").click()
        with WorkshopStore(data_dir=tmp_path) as store:
            assert store.count(made.code) == 1
            assert store.responses(made.code, made.admin_key).iloc[0]["M1"] == 3  # the last sent answers
    finally:
        proc.kill()
        proc.wait(10)
