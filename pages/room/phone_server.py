"""The phones' light path on the web: the participant's page (one static HTML
page with its script and style) and the small JSON questions it asks, served
by the same server process as the dashboard (``st.App`` routes in
``app.py``) on the same workshop store. No Streamlit session per phone: a tap
is one request and one store write (see :mod:`learn_core.workshop.phone`).

Addresses (below Streamlit's ``server.baseUrlPath``):

* ``/?join=CODE`` and ``/mitmachen?join=CODE`` – the page (the join link and QR code stay as they were);
* ``/mitmachen/phone.js``, ``/mitmachen/phone.css`` – its script and style;
* ``/mitmachen/api/join|state|results|submit|vote`` – the questions (JSON).

Every answer carries a strict Content-Security-Policy (only this server's
own script, style and requests; no frames), ``no-store`` for the questions,
and the participant id only in an HttpOnly, SameSite=Strict cookie.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import threading
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from learn_core.i18n import render_error, t
from learn_core.settings import SettingError, read_settings
from learn_core.workshop import WorkshopStore
from learn_core.workshop import room as live
from learn_core.workshop.guard import JoinGuard
from learn_core.workshop.memo import RoomMemo
from learn_core.workshop.phone import PhoneDesk, PhoneRefusal

PREFIX = "/mitmachen"
_STATIC = Path(__file__).parent / "phone"
_FILES = {"phone.js": "text/javascript; charset=utf-8", "phone.css": "text/css; charset=utf-8"}
#: Seconds a workshop's state is answered from memory: 60 phones polling each
#: second cost one store read per this; a reveal reaches them within it plus their poll.
STATE_TTL = 0.25
#: Largest request body a phone sends (24 answers or a dozen dots are far below it).
MAX_BODY = 16 * 1024
_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")  # fmt: skip
_HEADERS = {"Content-Security-Policy": _CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY"}  # fmt: skip
_LOG = logging.getLogger(__name__)


class _Desk:
    """The process's one :class:`PhoneDesk`, made at the first request (the
    settings and the store's address are read from the environment then)."""

    def __init__(self) -> None:
        self._desk: PhoneDesk | None = None
        self._lock = threading.Lock()

    def get(self, lang: str = "de") -> PhoneDesk:
        """The desk; PhoneRefusal 503 with one sentence when the store or the
        settings cannot be opened (tried again at the next request)."""
        with self._lock:
            if self._desk is None:
                try:
                    url, data_dir = live.store_settings()
                    settings = read_settings()
                    store = WorkshopStore(url, data_dir=data_dir)
                except SettingError as exc:
                    _LOG.error("bad setting: %s", exc)
                    raise PhoneRefusal(503, t("server.bad_setting", lang, reason=render_error(exc, lang))) from None
                except live.STORE_ERRORS as exc:
                    _LOG.warning("workshop store unavailable for the phones: %s", exc)
                    raise PhoneRefusal(503, live.friendly_error(exc, lang, opening=True)) from None
                self._desk = PhoneDesk(store, RoomMemo(ttl=STATE_TTL), JoinGuard(), settings)
            return self._desk


_DESK = _Desk()


@functools.cache
def _asset(name: str) -> tuple[bytes, str]:
    """A file of the page and its ETag, read once per process (package files, never changed while serving)."""
    data = (_STATIC / name).read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:16]


def _base(scope: Scope) -> str:
    """Streamlit's base path (``server.baseUrlPath``), '' or '/path'."""
    from streamlit import config

    path = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{path}" if path else ""


def _first_texts() -> str:
    """The code form's texts in both languages as JSON for the page (``<`` escaped: it sits in HTML)."""
    texts = {lang: {name: t(f"teilnehmen.{name}", lang) for name in ("code_label", "code_intro", "code_button")}
             for lang in ("de", "en")}  # fmt: skip
    return json.dumps(texts, ensure_ascii=False).replace("<", "\\u003c")


def _page(request: Request) -> Response:
    html, _ = _asset("index.html")
    noscript = f"{t('phone.noscript', 'de')} / {t('phone.noscript', 'en')}"
    body = (html.decode("utf-8").replace("{{BASE}}", _base(request.scope)).replace("{{FIRST_TEXTS}}", _first_texts())
            .replace("{{NOSCRIPT}}", noscript))  # fmt: skip
    return Response(body, media_type="text/html; charset=utf-8", headers={**_HEADERS, "Cache-Control": "no-store"})


async def _static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in _FILES:
        return Response(status_code=404, headers=_HEADERS)
    data, tag = _asset(name)
    if request.headers.get("if-none-match") == f'"{tag}"':
        return Response(status_code=304, headers={**_HEADERS, "ETag": f'"{tag}"'})
    return Response(data, media_type=_FILES[name], headers={**_HEADERS, "ETag": f'"{tag}"', "Cache-Control": "no-cache"})


def _json(payload: object, status: int = 200) -> JSONResponse:
    return JSONResponse(payload, status_code=status, headers={**_HEADERS, "Cache-Control": "no-store"})


def _refused(exc: PhoneRefusal) -> JSONResponse:
    return _json({"error": exc.message}, exc.status)


def _same_origin(request: Request) -> bool:
    """A request that may change something comes from this server's own page:
    JSON (a form of another site cannot send it without asking) and, where
    the browser names its origin, the same host."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return False
    origin = request.headers.get("origin")
    return origin is None or origin.split("://", 1)[-1] == request.headers.get("host")


async def _body(request: Request) -> dict:
    """The request's JSON object, at most :data:`MAX_BODY` bytes (PhoneRefusal 413/400)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise PhoneRefusal(413, "")
        chunks.append(chunk)
    try:
        value = json.loads(b"".join(chunks) or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise PhoneRefusal(400, "") from None
    if not isinstance(value, dict):
        raise PhoneRefusal(400, "")
    return value


def _client_keys(request: Request) -> list[str]:
    return [f"address:{request.client.host}"] if request.client and request.client.host else []


async def _post(request: Request) -> Response:
    """``join``, ``submit`` and ``vote``: they set or need the participant's cookie."""
    action = request.path_params["action"]
    if not _same_origin(request):
        return _json({"error": "forbidden"}, 403)
    try:
        body = await _body(request)
        lang = "en" if body.get("lang") == "en" else "de"
        desk = _DESK.get(lang)
        if action == "join":
            payload, pid = await run_in_threadpool(desk.join, body.get("code"), request.cookies,
                                                   _client_keys(request), lang)  # fmt: skip
            response = _json(payload)
            response.set_cookie(live.participant_cookie(payload["code"]), pid, max_age=live.COOKIE_MAX_AGE, path="/",
                                samesite="strict", httponly=True, secure=request.url.scheme == "https")  # fmt: skip
            return response
        if action == "submit":
            return _json(await run_in_threadpool(desk.submit, body.get("code"), request.cookies, body.get("answers"),
                                                 body.get("group"), lang))  # fmt: skip
        if action == "vote":
            return _json(await run_in_threadpool(desk.vote, body.get("code"), request.cookies, body.get("given"), lang))
    except PhoneRefusal as exc:
        if exc.status >= 500:
            _LOG.warning("phone request refused with %d (store unavailable)", exc.status)
        return _refused(exc)
    return _json({"error": "unknown"}, 404)


async def _get(request: Request) -> Response:
    """``state`` and ``results``: what every phone polls (answered from the process's memo)."""
    action = request.path_params["action"]
    code, lang = request.query_params.get("code"), request.query_params.get("lang", "de")
    try:
        desk = _DESK.get("en" if lang == "en" else "de")
        if action == "state":
            return _json(await run_in_threadpool(desk.state, code, lang))
        if action == "results":
            return _json(await run_in_threadpool(desk.results, code, lang))
    except PhoneRefusal as exc:
        return _refused(exc)
    return _json({"error": "unknown"}, 404)


def routes() -> list[Route]:
    """The light path's routes, relative to Streamlit's base path (the
    middleware hands them the requests below ``{base}/mitmachen``)."""
    return [
        Route(PREFIX, _page, methods=["GET"]),
        Route(PREFIX + "/{name}", _static, methods=["GET"]),
        Route(PREFIX + "/api/{action}", _get, methods=["GET"]),
        Route(PREFIX + "/api/{action}", _post, methods=["POST"]),
    ]


_ROUTER = Router(routes=routes())


class JoinLinkMiddleware:
    """The phones' light path in front of Streamlit, below its base path
    (``server.baseUrlPath``, read per request: st.App does not prefix own
    routes): ``{base}/mitmachen…`` goes to :func:`routes`; the join link
    ``{base}/?join=CODE`` (what the QR codes say; also the former page
    address ``{base}/teilnehmen?join=CODE``) opens the phone's page instead of
    the dashboard; every other request goes on to Streamlit."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            base, path = _base(scope), scope.get("path", "")
            inner = path[len(base):] if path.startswith(base) else None
            if inner is not None and (inner == PREFIX or inner.startswith(PREFIX + "/")):
                # without the outer app in the scope the router answers 404/405 itself instead of raising
                inner_scope = {key: value for key, value in scope.items() if key != "app"}
                await _ROUTER({**inner_scope, "path": inner, "raw_path": inner.encode()}, receive, send)
                return
            if (inner is not None and scope.get("method") == "GET" and inner.rstrip("/") in ("", "/teilnehmen")
                    and any(part.split(b"=", 1)[0] == live.JOIN_PARAM.encode()
                            for part in scope.get("query_string", b"").split(b"&"))):  # fmt: skip
                await _page(Request(scope, receive))(scope, receive, send)
                return
        await self.app(scope, receive, send)


def middleware() -> list[Middleware]:
    """The light path for ``st.App(middleware=…)`` (it serves the routes itself)."""
    return [Middleware(JoinLinkMiddleware)]
