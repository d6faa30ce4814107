"""The phones of benchmarks/load_app.py on the light path: each participant
is one HTTP/1.1 keep-alive connection (as a phone's browser holds one) that
sends what pages/room/phone/phone.js sends:

* the page, its script and style (``/?join=CODE``, ``/mitmachen/phone.js|css``);
* ``POST mitmachen/api/join``, then ``GET …/api/state`` every second (its poll);
* the statements are answered on the phone (no request per tap), one ``POST …/api/submit``;
* after the reveal, at the first poll that sees it, ``GET …/api/results`` (the radar is drawn from it);
* three dot taps, each a ``POST …/api/vote`` with the whole allocation.

Measured as in load_app.py: each dot tap's and the submission's
acknowledgement (request sent → answer read), reveal → results on the phone.
Not part of the test run; used by ``python benchmarks/load_app.py`` (its
``_drive`` runs these phones through a workshop).
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from learn_core.instrument import default_instrument

POLL = 1.0  # seconds, as phone.js
STEP_TIMEOUT = 60.0


class LightPhone:
    """One participant's browser on the light path, reduced to its requests."""

    def __init__(self, url: str, code: str, number: int, *, delay: float = 0.0, think: float = 0.0,
                 seed: int = 0) -> None:  # fmt: skip
        parts = urlsplit(url)
        self.host, self.port, self.code, self.number = parts.hostname, parts.port, code, number
        self.delay, self.think, self.rng = delay, think, random.Random(seed * 1000 + number)
        self.cookies: dict[str, str] = {}
        self.reader = self.writer = None
        self.lock = asyncio.Lock()  # one request at a time on the connection, as HTTP/1.1 without pipelining
        self.poller: asyncio.Task | None = None
        self.revealed_seq: int | None = None
        self.chart_at: float | None = None
        self.measures: list[str] = []
        self.taps: list[float] = []
        self.submit: float | None = None
        self.error: str | None = None

    async def _request(self, method: str, path: str, body: object = None) -> tuple[int, bytes]:
        async with self.lock:
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            data = b"" if body is None else json.dumps(body).encode()
            head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Connection: keep-alive"]
            if self.cookies:
                head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
            if body is not None:
                head += ["Content-Type: application/json", f"Content-Length: {len(data)}",
                         f"Origin: http://{self.host}:{self.port}"]  # fmt: skip
            self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
            await self.writer.drain()
            status_line = await asyncio.wait_for(self.reader.readline(), STEP_TIMEOUT)
            status = int(status_line.split()[1])
            length, chunked = 0, False
            while (line := await self.reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                name, value = name.strip().lower(), value.strip()
                if name == "content-length":
                    length = int(value)
                elif name == "transfer-encoding" and "chunked" in value:
                    chunked = True
                elif name == "set-cookie":
                    for morsel in SimpleCookie(value).values():
                        self.cookies[morsel.key] = morsel.value
            if chunked:
                parts = []
                while (size := int((await self.reader.readline()).strip(), 16)) > 0:
                    parts.append(await self.reader.readexactly(size))
                    await self.reader.readline()
                await self.reader.readline()
                payload = b"".join(parts)
            else:
                payload = await self.reader.readexactly(length) if length else b""
            return status, payload

    async def _pause(self) -> None:
        if self.think:
            await asyncio.sleep(self.think * (0.5 + self.rng.random()))

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(POLL)
            status, payload = await self._request("GET", f"/mitmachen/api/state?code={self.code}&lang=de")
            state = json.loads(payload) if status == 200 else {}
            if state.get("revealed") and self.revealed_seq != state.get("seq"):
                self.revealed_seq = state["seq"]
                status, payload = await self._request("GET", f"/mitmachen/api/results?code={self.code}&lang=de")
                if status == 200 and "dimensions" in (results := json.loads(payload)):
                    self.measures = [m["id"] for m in results["measures"]]
                    self.chart_at = time.monotonic()

    async def answer(self, value: int) -> None:
        """Open the page, join, read and answer every statement, submit."""
        await asyncio.sleep(self.delay)
        for path in (f"/?join={self.code}", "/mitmachen/phone.js", "/mitmachen/phone.css"):
            status, _ = await self._request("GET", path)
            if status != 200:
                raise RuntimeError(f"GET {path}: {status}")
        status, payload = await self._request("POST", "/mitmachen/api/join", {"code": self.code, "lang": "de"})
        if status != 200:
            raise RuntimeError(f"join: {status} {payload[:200]!r}")
        self.poller = asyncio.create_task(self._poll())
        answers = {}
        for item in default_instrument().item_ids:
            await self._pause()
            answers[item] = value
        t0 = time.monotonic()
        status, payload = await self._request("POST", "/mitmachen/api/submit",
                                              {"code": self.code, "answers": answers, "group": None, "lang": "de"})
        if status != 200:
            raise RuntimeError(f"submit: {status} {payload[:200]!r}")
        self.submit = time.monotonic() - t0

    async def vote(self) -> None:
        """Three dots, one tap each, on the first measures shown."""
        given: dict[str, int] = {}
        for rid in (self.measures * 3)[:3]:
            await self._pause()
            given[rid] = given.get(rid, 0) + 1
            t0 = time.monotonic()
            status, payload = await self._request("POST", "/mitmachen/api/vote",
                                                  {"code": self.code, "given": given, "lang": "de"})
            if status != 200:
                raise RuntimeError(f"vote: {status} {payload[:200]!r}")
            self.taps.append(time.monotonic() - t0)

    async def close(self) -> None:
        if self.poller is not None:
            self.poller.cancel()
        if self.writer is not None:
            self.writer.close()
