"""The phones' light path over HTTP (pages/room/phone_server.py), through
Starlette's test client: the join link serves the page, the questions are
JSON, the participant id stays in an HttpOnly cookie, and hostile or foreign
requests are refused."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from learn_core.i18n import t
from learn_core.workshop import WorkshopStore
from pages.room import phone_server
from tests.workshop.test_store import answers_of


@pytest.fixture
def served(tmp_path, monkeypatch):
    monkeypatch.setenv("LEARN_DATABASE_URL", f"sqlite:///{tmp_path / 'w.db'}")
    monkeypatch.setattr(phone_server, "_DESK", phone_server._Desk())
    monkeypatch.setattr(phone_server, "STATE_TTL", 0)  # every poll reads the store (the memo has its own tests)
    dashboard = Route("/", lambda request: PlainTextResponse("dashboard"))  # stands for Streamlit's index page
    app = Starlette(routes=[dashboard], middleware=phone_server.middleware())  # as app.py: the middleware serves
    store = WorkshopStore(f"sqlite:///{tmp_path / 'w.db'}")
    with TestClient(app, base_url="http://testserver") as client:
        yield client, store
    store.close()


def _post(client, action: str, body: dict, **kwargs):
    return client.post(f"/mitmachen/api/{action}", json=body, **kwargs)


def test_the_join_link_serves_the_phone_page_with_a_strict_policy(served):
    client, store = served
    made = store.create_workshop("Raum")
    page = client.get(f"/?join={made.code}")
    assert page.status_code == 200 and "phone.js" in page.text and "<html lang=\"de\">" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert client.get("/").text == "dashboard"  # without join the dashboard
    assert client.get("/?joined=1").text == "dashboard"
    script = client.get("/mitmachen/phone.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert client.get("/mitmachen/phone.js", headers={"If-None-Match": script.headers["etag"]}).status_code == 304
    assert client.get("/mitmachen/index.html").status_code == 404  # only the two assets by name
    assert client.get("/mitmachen/..%2Fphone_server.py").status_code == 404


def test_join_sets_an_httponly_cookie_and_submit_uses_it(served):
    client, store = served
    made = store.create_workshop("Raum")
    joined = _post(client, "join", {"code": made.code.lower(), "lang": "de"})
    assert joined.status_code == 200 and joined.json()["code"] == made.code
    cookie = joined.headers["set-cookie"]
    assert f"learn_workshop_{made.code}=" in cookie and "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    assert joined.headers["cache-control"] == "no-store"
    sent = _post(client, "submit", {"code": made.code, "answers": answers_of(4), "group": None, "lang": "de"})
    assert sent.status_code == 200 and sent.json() == {"submitted": True}
    again = _post(client, "join", {"code": made.code, "lang": "de"})  # a reload: the same participant
    assert again.json()["submitted"] is True and store.count(made.code) == 1
    client.cookies.clear()
    lost = _post(client, "submit", {"code": made.code, "answers": answers_of(4), "lang": "de"})
    assert lost.status_code == 400 and "Kennung" in lost.json()["error"]


def test_polling_state_and_results(served):
    client, store = served
    made = store.create_workshop("Raum", min_group_size=5)
    assert client.get(f"/mitmachen/api/state?code={made.code}").json() == {"revealed": False, "seq": 0, "closed": False}
    assert client.get(f"/mitmachen/api/results?code={made.code}").status_code == 409
    for i in range(5):
        store.submit(made.code, f"p{i}", answers_of(5))
    store.reveal(made.code, made.admin_key)
    results = client.get(f"/mitmachen/api/results?code={made.code}&lang=en").json()
    assert results["n"] == 5 and [d["score"] for d in results["dimensions"]] == [100.0] * 4
    unknown = client.get("/mitmachen/api/state?code=ZZZZZZ")
    assert unknown.status_code == 404 and unknown.json()["error"]


@pytest.mark.parametrize(("headers", "content"), [
    ({"Content-Type": "text/plain"}, b'{"code": "X"}'),  # a form of another site cannot send JSON unasked
    ({"Content-Type": "application/json", "Origin": "http://evil.example"}, b'{"code": "X"}'),
])  # fmt: skip
def test_foreign_requests_are_refused(served, headers, content):
    client, store = served
    made = store.create_workshop("Raum")
    body = content.replace(b'"X"', f'"{made.code}"'.encode())
    assert client.post("/mitmachen/api/join", content=body, headers=headers).status_code == 403


@pytest.mark.parametrize(("content", "status"), [
    (b"[1, 2]", 400),
    (b"{not json", 400),
    (b'{"code": "' + b"A" * 20_000 + b'"}', 413),
])  # fmt: skip
def test_hostile_bodies_get_a_clear_refusal(served, content, status):
    client, _ = served
    answer = client.post("/mitmachen/api/join", content=content, headers={"Content-Type": "application/json"})
    assert answer.status_code == status
    assert "Traceback" not in answer.text


def test_a_hostile_title_is_data_not_markup(served):
    client, store = served
    made = store.create_workshop("<img src=x onerror=alert(1)>")
    payload = _post(client, "join", {"code": made.code}).json()
    assert payload["title"] == "<img src=x onerror=alert(1)>"  # JSON text; the page sets it with textContent
    script = client.get("/mitmachen/phone.js").text
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "eval(" not in script


@pytest.mark.parametrize("lang", ["de", "en"])
def test_an_unreachable_database_is_one_friendly_sentence(tmp_path, monkeypatch, lang):
    monkeypatch.setenv("LEARN_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/learn?connect_timeout=2")
    monkeypatch.setattr(phone_server, "_DESK", phone_server._Desk())
    app = Starlette(middleware=phone_server.middleware())
    with TestClient(app) as client:
        joined = _post(client, "join", {"code": "ABCDEF", "lang": lang})
        polled = client.get(f"/mitmachen/api/state?code=ABCDEF&lang={lang}")
    assert joined.status_code == polled.status_code == 503
    assert joined.json() == polled.json() == {"error": t("errors.workshop.database", lang)}


def test_an_unsupported_database_is_a_setting_sentence(monkeypatch):
    monkeypatch.setenv("LEARN_DATABASE_URL", "mysql://learn@db/learn")
    monkeypatch.setattr(phone_server, "_DESK", phone_server._Desk())
    with TestClient(Starlette(middleware=phone_server.middleware())) as client:
        joined = _post(client, "join", {"code": "ABCDEF", "lang": "en"})
    assert joined.status_code == 503 and joined.json() == {"error": t("workshop2.err_setup", "en")}


def test_a_deleted_store_file_refuses_the_submission(served, tmp_path):
    client, store = served
    made = store.create_workshop("Ausfall")
    assert _post(client, "join", {"code": made.code}).status_code == 200
    for suffix in ("", "-wal", "-shm"):  # gone while the phone is on the last step
        (tmp_path / f"w.db{suffix}").unlink(missing_ok=True)
    sent = _post(client, "submit", {"code": made.code, "answers": answers_of(4), "lang": "de"})
    assert sent.status_code >= 400 and sent.json() == {"error": t("errors.workshop.lost", "de")}


def test_below_a_base_path_the_page_its_files_and_questions_move_with_it(tmp_path, monkeypatch):
    """Behind a reverse proxy at https://host/learn/ (server.baseUrlPath = learn)."""
    from streamlit import config

    monkeypatch.setenv("LEARN_DATABASE_URL", f"sqlite:///{tmp_path / 'w.db'}")
    monkeypatch.setattr(phone_server, "_DESK", phone_server._Desk())
    old = config.get_option("server.baseUrlPath")
    config.set_option("server.baseUrlPath", "learn")
    try:
        app = Starlette(routes=[Route("/{path:path}", lambda request: PlainTextResponse("dashboard"))],
                        middleware=phone_server.middleware())
        with WorkshopStore(f"sqlite:///{tmp_path / 'w.db'}") as store, TestClient(app) as client:
            made = store.create_workshop("Unterpfad")
            page = client.get(f"/learn/?join={made.code}")
            assert page.status_code == 200 and 'src="/learn/mitmachen/phone.js"' in page.text
            assert client.get("/learn/mitmachen/phone.js").status_code == 200
            joined = client.post("/learn/mitmachen/api/join", json={"code": made.code})
            assert joined.status_code == 200 and joined.json()["code"] == made.code
            assert client.get(f"/?join={made.code}").text == "dashboard"  # outside the base path: not ours
            assert client.get("/mitmachen/phone.js").text == "dashboard"
    finally:
        config.set_option("server.baseUrlPath", old)


def test_the_code_form_texts_come_from_the_texts_file(served):
    """The page shows the code form before it has joined: its texts are served
    with it (de and en, from texts.toml), as data the script reads, not code."""
    import json as _json
    import re as _re

    client, _ = served
    page = client.get("/?join=").text
    blob = _re.search(r'<script type="application/json" id="first-texts">(.*?)</script>', page, _re.S).group(1)
    texts = _json.loads(blob)
    assert texts["de"]["code_label"] == t("teilnehmen.code_label", "de")
    assert texts["en"]["code_button"] == t("teilnehmen.code_button", "en")
    assert t("phone.noscript", "de") in page
