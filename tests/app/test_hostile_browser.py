"""A real server under attack, in Chromium: while one session uploads crafted
files (forged .xls, the far-cell .xlsx as survey and as plan, a nested
mapping, a file whose parse exceeds the child's memory), a second session
loads data and changes pages throughout; every refusal is one German
sentence, the server process stays up and its log names each stopped parse.

The server runs with ``LEARN_PARSER_MEMORY_MB=150``: the sample parses, a
legitimate 150,000-row CSV does not – the way a parser bug we do not know
yet would end. Screenshots go to ``tests/screenshots/hostile-*.png``.
"""

from __future__ import annotations

import os
import shutil
import time
import urllib.request
from pathlib import Path

import pytest

from learn_core import i18n
from learn_core.reading import gate, isolation, limits
from tests.app.serving import start_app
from tests.app.test_browser import CHROMIUM, FLAGS, SHOTS, _free_port
from tests.reading.hostile_files import far_plan_xlsx
from tests.reading.test_biff import forged

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="playwright (pip) is not installed")
    tmp = tmp_path_factory.mktemp("hostile")
    log = tmp / "server.log"
    port = _free_port()
    env = {**os.environ, "LEARN_DATA_DIR": str(tmp), "LEARN_PARSER_MEMORY_MB": "150"}
    with open(log, "wb") as out:
        proc = start_app(port, env, out=out)
    url = f"http://127.0.0.1:{port}"
    files = {
        "forged.xls": forged("directory chain loops"),
        "difat.xls": forged("DIFAT chain loops"),
        "weit.xlsx": far_plan_xlsx(),
        "zuordnung.json": b"[" * 100_000 + b"]" * 100_000,
        "gross.csv": b"Abteilung;M1;M2;F1;K1;L1\n" + b"Bauamt;3;4;5;2;1\n" * 150_000,
    }
    for name, data in files.items():
        (tmp / name).write_bytes(data)
    yield url, proc, log, tmp
    proc.terminate()
    proc.wait(10)


def _idle(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000)


def _alerts(page) -> list[str]:
    return [t.strip() for t in page.locator("[data-testid=stAlert]").all_inner_texts()]


def _upload(page, index: int, path: Path, expected: str) -> list[str]:
    """Upload ``path``; the page's alerts once one holds ``expected`` (or after 120 s)."""
    page.locator("[data-testid=stMain] input[type=file]").nth(index).set_input_files(str(path))
    deadline = time.time() + 120
    while time.time() < deadline:
        page.wait_for_timeout(300)
        alerts = _alerts(page)
        if any(expected in a for a in alerts):
            break
    _idle(page)
    return _alerts(page)


def test_a_second_user_is_served_while_the_first_attacks(server):
    from playwright.sync_api import sync_playwright

    url, proc, log, tmp = server
    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        attacker = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        user = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        for page in (attacker, user):
            page.goto(url)
            _idle(page)

        expected = {"forged.xls": i18n.t(limits.BROKEN_WORKBOOK), "difat.xls": i18n.t(limits.BROKEN_WORKBOOK),
                    "weit.xlsx": "Die Tabelle hat mehr als 1.000.000 Zeilen und kann nicht ausgewertet werden.",
                    "gross.csv": i18n.t(isolation.UNSAFE)}
        seen = []
        for name, sentence in expected.items():
            seen.append(_upload(attacker, 0, tmp / name, sentence))
            # meanwhile the other user works
            if name == "forged.xls":
                user.get_by_role("button", name="Beispieldaten laden").click()
                _idle(user)
                assert "177" in user.locator("[data-testid=stMetric]").first.inner_text()
            else:
                user.get_by_role("link", name="Überblick", exact=True).first.click()
                _idle(user)
                user.wait_for_selector(".vega-embed svg, .vega-embed canvas", timeout=60_000)
                user.get_by_role("link", name="Daten", exact=True).first.click()
                _idle(user)
            assert proc.poll() is None
        attacker.screenshot(path=str(SHOTS / "hostile-attacker.png"), full_page=True)
        for alerts, sentence in zip(seen, expected.values(), strict=True):
            assert sentence in alerts, alerts

        # the attacker's own session goes on: the sample, then a nested mapping and a forged plan
        attacker.get_by_role("button", name="Beispieldaten laden").click()
        _idle(attacker)
        alerts = _upload(attacker, 1, tmp / "zuordnung.json", i18n.t(gate.MAPPING_TOO_DEEP))
        assert any(i18n.t(gate.MAPPING_TOO_DEEP) in a for a in alerts), alerts
        attacker.get_by_role("link", name="Maßnahmen", exact=True).first.click()
        attacker.wait_for_url("**/massnahmen", timeout=60_000)  # upload on the plan page, not the one before
        _idle(attacker)
        alerts = _upload(attacker, 0, tmp / "weit.xlsx", "mehr als 1.000.000 Zeilen")
        assert any("mehr als 1.000.000 Zeilen" in a for a in alerts), alerts
        user.screenshot(path=str(SHOTS / "hostile-second-user.png"), full_page=True)
        browser.close()
    assert proc.poll() is None
    assert urllib.request.urlopen(url + "/_stcore/health", timeout=5).status == 200
    text = log.read_text("utf-8", errors="replace")
    assert "parse stopped: MemoryError" in text or "parse stopped: SIGABRT" in text or "parse stopped: SIG" in text
