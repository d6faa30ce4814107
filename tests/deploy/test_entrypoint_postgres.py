"""The entry point of the image, run from this checkout with PostgreSQL (what
``compose.yaml`` runs, without the container): the health check answers and a
phone's workshop answer, given in Chromium, is stored in PostgreSQL. Skips
without a PostgreSQL server (``eval "$(.ci/postgres start)"``), Chromium or
Playwright."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from learn_core.settings import read_settings
from learn_core.workshop import WorkshopStore
from tests.app.test_browser import CHROMIUM, FLAGS
from tests.app.test_workshop_browser import PHONE, _answer, _phone_ready
from tests.deploy.test_container import ROOT, _entrypoint_env, _free_port, _get
from tests.workshop.test_store import pg_schema

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


def test_the_entrypoint_with_postgresql_stores_a_phones_answer(tmp_path):
    base = read_settings()["LEARN_TEST_POSTGRES_URL"]
    if not base:
        pytest.skip('no PostgreSQL server: set LEARN_TEST_POSTGRES_URL (eval "$(.ci/postgres start)")')
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (pip) is not installed")
    with pg_schema(sa.make_url(base)) as url:
        with WorkshopStore(url) as store:
            made = store.create_workshop("Container-Probe")
        port = _free_port()
        env = _entrypoint_env(tmp_path, STREAMLIT_SERVER_PORT=str(port), LEARN_DATABASE_URL=url)
        proc = subprocess.Popen(["sh", str(ROOT / "deploy" / "entrypoint.sh")], env=env, cwd=tmp_path,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(300):  # a bounded wait for the start, not a speed check
                try:
                    assert _get(f"http://127.0.0.1:{port}/_stcore/health") == (200, "ok")
                    break
                except OSError:
                    time.sleep(0.2)
            with sync_api.sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
                phone = browser.new_context(**PHONE).new_page()
                phone.goto(f"http://127.0.0.1:{port}/?join={made.code}")
                _phone_ready(phone)  # the phones' light page
                _answer(phone, "trifft eher zu", None)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(30)
        with WorkshopStore(url) as store:
            assert store.count(made.code) == 1
        assert not (tmp_path / "data").exists()  # nothing went to SQLite
