"""Single sign-on end to end (issue 18): the dashboard with ``LEARN_AUTH=oidc``
against a small OIDC provider of the test's own (tests/app/oidc_provider.py),
in Chromium. The analysis asks for a sign-in, the provider signs the test
person in, the sidebar shows who is signed in; a participant's phone joins
a workshop by its link without any sign-in. Screenshots in
``tests/screenshots/signin-*.png``."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from learn_core.i18n import t
from learn_core.workshop import WorkshopStore
from tests.app.oidc_provider import CLIENT_ID, CLIENT_SECRET, PERSON, Provider
from tests.app.serving import start_app
from tests.app.test_browser import CHROMIUM, FLAGS, SHOTS, _free_port, _settle

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser


@pytest.fixture
def browser():
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (pip) is not installed")
    pytest.importorskip("authlib", reason="Authlib is not installed (pip install -r requirements-oidc.txt)")
    pytest.importorskip("httpx", reason="httpx is not installed (pip install -r requirements-oidc.txt)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


def _start(port: int, tmp: Path, provider: Provider) -> subprocess.Popen:
    """``streamlit run app.py`` from a folder holding the configuration and
    the test's secrets (so nothing is written into the checkout)."""
    (tmp / ".streamlit").mkdir()
    shutil.copy(ROOT / ".streamlit" / "config.toml", tmp / ".streamlit" / "config.toml")
    (tmp / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-test-cookie-secret-of-enough-length-0123456789"\n'
        f'client_id = "{CLIENT_ID}"\nclient_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{provider.url}/.well-known/openid-configuration"\n', "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEARN_")}
    env.update(LEARN_AUTH="oidc", LEARN_DATA_DIR=str(tmp / "data"), PYTHONPATH=str(ROOT))
    return start_app(port, env, cwd=tmp)


def test_the_analysis_needs_a_sign_in_and_a_participant_does_not(browser, tmp_path):
    port = _free_port()
    with Provider() as provider:
        proc = _start(port, tmp_path, provider)
        try:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            page.goto(f"http://127.0.0.1:{port}/")
            _settle(page)
            page.get_by_text(t("server.sign_in_title", "de")).wait_for()
            assert page.get_by_text(t("page.daten", "de"), exact=True).count() == 0  # no page behind it
            page.screenshot(path=str(SHOTS / "signin-required.png"))
            page.get_by_role("button", name=t("server.sign_in", "de")).click()
            # the provider signs the test person in at once and sends the browser back
            page.get_by_text(t("server.signed_in", "de", name=PERSON["name"])).wait_for(timeout=30_000)
            _settle(page)
            assert provider.logins == 1
            assert page.get_by_role("heading", name=t("page.daten", "de")).count() == 1
            page.screenshot(path=str(SHOTS / "signin-done.png"))

            with WorkshopStore(data_dir=tmp_path / "data") as store:
                made = store.create_workshop("Workshop im Rathaus")
            phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
            phone.goto(f"http://127.0.0.1:{port}/?join={made.code}")
            phone.wait_for_selector("fieldset.item", timeout=30_000)  # the phones' own page (no Streamlit session)
            phone.get_by_text("Workshop im Rathaus").first.wait_for()  # the workshop's own page, its questions
            phone.get_by_text(t("teilnehmen.step", "de", i=1, n=4)).first.wait_for()
            assert phone.get_by_text(t("server.sign_in_title", "de")).count() == 0
            assert provider.logins == 1  # the phone never went to the provider
            phone.screenshot(path=str(SHOTS / "signin-participant.png"))
        finally:
            proc.terminate()
            proc.wait(30)
