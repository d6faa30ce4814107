"""Load test of the live workshop through the real app: N phones against a
running ``streamlit run app.py``, at the protocol level.

    python benchmarks/load_app.py [--participants 60] [--server-flag=--runner.postScriptGC=true …]
                                  [--before [REV] [--turns 2]] [--json results.json]

With ``--before`` the app of git revision REV (default: the merge base
with main, unpacked with ``git archive``) and the working tree's are run in
turns, driven by the same phones, and one line per run is printed.

Since the phones have their light path (pages/room/phone_server.py), each
participant of a tree that has it is one HTTP connection sending what the
phone's page sends (benchmarks/load_phone.py: statements are answered on
the phone, so the taps measured are the dot taps); ``--phone streamlit``
(and a tree without it, e.g. ``--before``) drives Streamlit sessions instead.

With Streamlit sessions, each participant is one Streamlit session over its own websocket
(``/_stcore/stream``) and sends the BackMsg protobuf messages a phone's
browser sends: the first run with ``?join=CODE``; per step one widget state
per statement tapped (a rerun each) and the "Weiter" / "Antworten absenden"
trigger; the fragment reruns the server asks for (``auto_rerun``), at their
interval; after the reveal three dot taps. The phones join one after
another over ``--ramp`` seconds and take ``--think`` seconds (± half, fixed
seed) per statement or dot, as people reading do; ``--ramp 0 --think 0``
makes all of them tap as fast as they are answered. The workshop is created and revealed through the store (as the
facilitator's buttons do), on an SQLite file in a fresh temporary folder.

Reported: acknowledgement of each tap and of the submission (from sending
the message to the end of the script run it caused; for the submission to
"Danke!" on the phone), median and slowest; reveal to the radar chart on
every phone; the server's CPU seconds and peak memory; stored answers and
dots. Bounded: at most 200 participants, every wait has a time limit, the
server is stopped at the end. Traffic goes to 127.0.0.1 only. Not part of
the test run.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402
from websockets.exceptions import ConnectionClosed  # noqa: E402

from learn_core.workshop import WorkshopStore  # noqa: E402

MAX_PARTICIPANTS = 200
STEP_TIMEOUT = 60.0  # seconds one acknowledgement may take before the participant counts as failed
FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
FRAGMENT_FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_FRAGMENT_RUN_SUCCESSFULLY")
WIDGETS = ("button", "button_group", "selectbox", "radio")
TICKS = os.sysconf("SC_CLK_TCK")


class Phone:
    """One participant's browser, reduced to the messages it exchanges."""

    def __init__(self, url: str, code: str, number: int, *, delay: float = 0.0, think: float = 0.0,
                 seed: int = 0) -> None:  # fmt: skip
        self.url, self.number, self.query = url, number, f"join={code}"
        self.delay, self.think, self.rng = delay, think, random.Random(seed * 1000 + number)
        self.page_hash = ""
        self.states: dict[str, object] = {}  # widget id → WidgetState to resend with every rerun
        self.elements: dict[tuple, tuple[str, object]] = {}  # delta path → (kind, proto) of the latest full run
        self.runs_done = asyncio.Event()
        self.waiting_for = ""  # the fragment (or "" for the page) whose run is awaited
        self.pending = False  # a rerun this phone asked for has not finished yet
        self.fragment_of: dict[str, str] = {}  # widget id → fragment id ("" outside fragments)
        self.pollers: dict[str, asyncio.Task] = {}
        self.chart_at: float | None = None
        self.shown = asyncio.Event()  # a run of the page that drew the chart has finished (the vote is there)
        self.taps: list[float] = []
        self.submit: float | None = None
        self.error: str | None = None
        self.ws = None

    # ---------------------------------------------------------------- messages

    async def _send(self, *, trigger: str | None = None, fragment: str = "", auto: bool = True) -> None:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string, cs.page_script_hash = self.query, self.page_hash
        if fragment:
            cs.fragment_id, cs.is_auto_rerun = fragment, auto
        cs.widget_states.widgets.extend(self.states.values())
        if trigger:
            t = cs.widget_states.widgets.add()
            t.id, t.trigger_value = trigger, True
        await self.ws.send(msg.SerializeToString())

    async def _read(self) -> None:
        try:
            await self._read_messages()
        except ConnectionClosed:
            return

    async def _pause(self) -> None:
        """A person's time to read the next statement: ``think`` seconds ± half."""
        if self.think:
            await asyncio.sleep(self.think * (0.5 + self.rng.random()))

    async def _read_messages(self) -> None:
        async for raw in self.ws:
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = fm.new_session.page_script_hash or self.page_hash
                if not fm.metadata.run.fragment_ids:  # a fragment run replaces only its own elements
                    self.elements = {}
                    for task in self.pollers.values():  # as the browser: a full run registers them anew
                        task.cancel()
                    self.pollers = {}
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                el = fm.delta.new_element
                self.elements[tuple(fm.metadata.delta_path)] = (el.WhichOneof("type"), el)
                self.fragment_of[getattr(el, el.WhichOneof("type")).id if el.WhichOneof("type") in WIDGETS
                                 else ""] = fm.delta.fragment_id  # a widget in a fragment reruns only that
                if el.WhichOneof("type") == "vega_lite_chart" and self.chart_at is None:
                    self.chart_at = time.monotonic()
            elif kind == "page_info_changed":
                self.query = fm.page_info_changed.query_string
            elif kind == "auto_rerun" and fm.auto_rerun.fragment_id not in self.pollers:
                self.pollers[fm.auto_rerun.fragment_id] = asyncio.create_task(
                    self._poll(fm.auto_rerun.fragment_id, fm.auto_rerun.interval))
            elif kind == "stop_auto_rerun":
                for fragment in fm.stop_auto_rerun.fragment_ids:
                    if fragment in self.pollers:
                        self.pollers.pop(fragment).cancel()
            elif kind == "script_finished" and fm.script_finished in (FINISHED, FRAGMENT_FINISHED):
                ran = set(fm.metadata.run.fragment_ids) if fm.script_finished == FRAGMENT_FINISHED else {""}
                if self.waiting_for in ran or "" in ran:  # a run of the page reruns its fragments too
                    self.runs_done.set()
                if "" in ran and self._of("vega_lite_chart"):
                    self.shown.set()

    async def _poll(self, fragment: str, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            if not self.pending:  # as the browser: no timed rerun while a rerun it asked for is running
                await self._send(fragment=fragment)

    async def _run(self, *, trigger: str | None = None, widget: str | None = None) -> float:
        """Send the rerun a browser sends for a change of ``widget`` (or a click
        on ``trigger``): of its fragment when it sits in one, else of the page;
        wait for the end of that run and return the seconds it took."""
        fragment = self.fragment_of.get(trigger or widget or "", "")
        self.waiting_for = fragment
        self.runs_done.clear()
        self.pending, start = True, time.monotonic()
        try:
            await self._send(trigger=trigger, fragment=fragment, auto=False)
            try:
                await asyncio.wait_for(self.runs_done.wait(), STEP_TIMEOUT)
            except TimeoutError:
                raise TimeoutError(f"no end of the run for {'a click' if trigger else 'a change' if widget else 'the page'} "
                                   f"({'fragment' if fragment else 'page'})") from None
        finally:
            self.pending = False
        return time.monotonic() - start

    def _of(self, kind: str) -> list:
        return [el for path, (k, el) in sorted(self.elements.items()) if k == kind]

    def _button(self, label: str):
        return next(el.button for el in self._of("button") if el.button.label == label)

    def _text(self) -> str:
        return "\n".join(el.alert.body for el in self._of("alert")) + "\n".join(
            el.markdown.body for el in self._of("markdown"))

    # ---------------------------------------------------------------- the participant

    async def answer(self, value: int) -> None:
        """Join, answer every statement with ``value`` step by step, send."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        await asyncio.sleep(self.delay)  # people scan the QR code one after another
        self.ws = await connect(self.url, subprotocols=["streamlit"], max_size=2**26, open_timeout=STEP_TIMEOUT,
                                ping_interval=None)  # a browser sends no websocket pings either
        self._reader = asyncio.create_task(self._read())
        await self._run()
        for step in range(4):
            for group in [el.button_group for el in self._of("button_group") if len(el.button_group.options) == 6]:
                state = WidgetState(id=group.id)  # a button group sends the chosen option's text
                state.string_array_value.data.append(group.options[value - 1].content)
                self.states[group.id] = state
                await self._pause()
                self.taps.append(await self._run(widget=group.id))
            label = "Antworten absenden" if step == 3 else "Weiter"
            start = time.monotonic()
            await self._run(trigger=self._button(label).id)
            if step == 3:
                self.waiting_for, self.pending = "", True  # the submission reruns the whole page
                while "Danke!" not in self._text():
                    self.runs_done.clear()
                    await asyncio.wait_for(self.runs_done.wait(), STEP_TIMEOUT)
                self.pending = False
                self.submit = time.monotonic() - start

    async def vote(self) -> None:
        """Three dot taps: "+" buttons when the page has them, else one dot on each of three controls.
        Waits for the end of the run that drew the chart: the vote's buttons come after it (voting
        from the first chart delta on found no buttons yet and failed with StopIteration)."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        try:
            await asyncio.wait_for(self.shown.wait(), STEP_TIMEOUT)
        except TimeoutError:
            raise TimeoutError("no finished run of the page with the chart") from None

        plus = [el.button for el in self._of("button") if el.button.label.startswith("+")]
        if plus:
            for i in range(3):
                await self._pause()
                self.taps.append(await self._run(trigger=plus[i % len(plus)].id))
                plus = [el.button for el in self._of("button") if el.button.label.startswith("+")] or plus
            return
        controls = [el.button_group for el in self._of("button_group")
                    if [o.content for o in el.button_group.options[:1]] == ["0"]]
        for group in controls[:3]:
            state = WidgetState(id=group.id)
            state.string_array_value.data.append("1")
            self.states[group.id] = state
            await self._pause()
            self.taps.append(await self._run(widget=group.id))
        self.taps.append(await self._run(trigger=self._button("Punkte abgeben").id))

    async def close(self) -> None:
        for task in self.pollers.values():
            task.cancel()
        if self.ws is not None:
            await self.ws.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _summary(values: list[float]) -> dict:
    if not values:
        return {"median_ms": None, "slowest_ms": None, "count": 0}
    return {"median_ms": round(statistics.median(values) * 1000), "slowest_ms": round(max(values) * 1000),
            "count": len(values)}


async def _drive(url: str, store: WorkshopStore, participants: int, dots: bool, ramp: float = 0.0,
                 think: float = 0.0, phone_class=None) -> dict:  # fmt: skip
    """N phones through one workshop: ``Phone`` sessions at the websocket ``url``,
    or ``phone_class(url, code, number, delay=, think=)`` (the light path's)."""
    made = store.create_workshop("Lasttest", dots=3)
    phones = [(phone_class or Phone)(url, made.code, i, delay=ramp * i / max(1, participants - 1), think=think)
              for i in range(participants)]  # fmt: skip

    async def one(phone: Phone) -> None:
        try:
            await phone.answer(1 + phone.number % 5)
        except Exception as exc:  # a load test reports failures instead of stopping
            phone.error = f"answering: {type(exc).__name__}: {exc}"

    await asyncio.gather(*(one(p) for p in phones))
    stored = store.count(made.code)
    reveal_at = time.monotonic()
    store.reveal(made.code, made.admin_key)
    deadline = time.monotonic() + STEP_TIMEOUT
    while time.monotonic() < deadline and any(p.chart_at is None for p in phones if not p.error):
        await asyncio.sleep(0.05)
    reveal = [p.chart_at - reveal_at for p in phones if p.chart_at is not None]
    if dots:
        async def vote(phone: Phone) -> None:
            try:
                await phone.vote()
            except Exception as exc:
                phone.error = f"voting: {type(exc).__name__}: {exc}"

        await asyncio.gather(*(vote(p) for p in phones if p.chart_at is not None))
    votes = sum(n for _, n in store.votes(made.code))
    for p in phones:
        await p.close()
    return {
        "participants": participants, "stored": stored, "dots": votes,
        "taps": _summary([t for p in phones for t in p.taps]),
        "submit": _summary([p.submit for p in phones if p.submit is not None]),
        "reveal_to_chart": {**_summary(reveal), "phones_without_chart": participants - len(reveal)},
        "failed_phones": sum(1 for p in phones if p.error),
        "errors": sorted({p.error for p in phones if p.error})[:5],
    }  # fmt: skip


def _measure(tree: Path, n: int, args: argparse.Namespace) -> dict:
    """One load run of ``n`` phones against ``streamlit run app.py`` started in ``tree``."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "LEARN_DATA_DIR": tmp, "PYTHONPATH": str(tree)}
        env.pop("LEARN_DATABASE_URL", None)
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", *args.server_flag],
            cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            deadline = time.time() + 60
            while time.time() < deadline:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            light = args.phone == "light" or (args.phone == "auto" and (tree / "pages/room/phone_server.py").exists())
            with WorkshopStore(data_dir=tmp) as store:
                if light:  # the phones' light path beside Streamlit (pages/room/phone_server.py)
                    light_phone = _load("load_phone").LightPhone
                    base = f"http://127.0.0.1:{port}"
                    asyncio.run(_drive(base, store, 1, False, phone_class=light_phone))  # warm-up
                    cpu0, wall0 = _cpu_seconds(server.pid), time.monotonic()
                    result = asyncio.run(_drive(base, store, n, not args.no_dots, args.ramp, args.think,
                                                phone_class=light_phone))  # fmt: skip
                    result["path"] = "light"
                else:  # one Streamlit session per phone
                    asyncio.run(_drive(f"ws://127.0.0.1:{port}/_stcore/stream", store, 1, False))  # warm-up
                    cpu0, wall0 = _cpu_seconds(server.pid), time.monotonic()
                    result = asyncio.run(_drive(f"ws://127.0.0.1:{port}/_stcore/stream", store, n, not args.no_dots,
                                                args.ramp, args.think))  # fmt: skip
                    result["path"] = "streamlit"
                result["ramp_seconds"], result["think_seconds"] = args.ramp, args.think
                wall = time.monotonic() - wall0
                result["server_cpu_seconds"] = round(_cpu_seconds(server.pid) - cpu0, 1)
                result["server_cpu_share"] = round(result["server_cpu_seconds"] / wall, 2)
                result["wall_seconds"] = round(wall, 1)
                result["server_peak_mb"] = round(_peak_mb(server.pid))
                result["server_flags"] = args.server_flag
        finally:
            server.terminate()
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()
    return result


def _line(label: str, r: dict) -> str:
    return (f"{label:<7} [{r.get('path', 'streamlit')}] taps median {r['taps']['median_ms']} ms, slowest {r['taps']['slowest_ms']} ms · "
            f"submit median {r['submit']['median_ms']} ms, slowest {r['submit']['slowest_ms']} ms · "
            f"reveal→radar median {r['reveal_to_chart']['median_ms']} ms, slowest "
            f"{r['reveal_to_chart']['slowest_ms']} ms ({r['reveal_to_chart']['phones_without_chart']} without) · "
            f"stored {r['stored']}/{r['participants']}, dots {r['dots']} · server CPU {r['server_cpu_seconds']} s "
            f"({r['server_cpu_share']} of a core), peak {r['server_peak_mb']} MB · errors {len(r['errors'])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--server-flag", action="append", default=[],
                        help="extra option for streamlit run, e.g. --server-flag=--runner.postScriptGC=true")
    parser.add_argument("--no-dots", action="store_true", help="stop after the reveal")
    parser.add_argument("--phone", choices=["auto", "light", "streamlit"], default="auto",
                        help="the phones' path: the light page (where the tree has it: auto) or Streamlit sessions")
    parser.add_argument("--ramp", type=float, default=20.0, help="seconds over which the phones join (0: at once)")
    parser.add_argument("--think", type=float, default=2.0,
                        help="seconds a person takes per statement or dot, ± half (0: tap as fast as acknowledged)")
    parser.add_argument("--before", metavar="REV", nargs="?", const="",
                        help="also run the app of git revision REV (default: the merge base with main), "
                             "unpacked with git archive, in turns with the working tree")
    parser.add_argument("--turns", type=int, default=1, help="with --before: how many before/after pairs")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    n = max(1, min(args.participants, MAX_PARTICIPANTS))
    if args.before is None:
        result = _measure(ROOT, n, args)
        print(json.dumps(result, indent=2))
        results = [result]
        ok = result["stored"] == n and not result["errors"]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            rev, before = _load("bench_isolation")._before_tree(args.before or None, Path(tmp))
            results = []
            for turn in range(max(1, args.turns)):
                for label, tree in (("before", before), ("after", ROOT)):
                    result = {"turn": turn + 1, "tree": label, "revision": rev if label == "before" else "working tree",
                              **_measure(tree, n, args)}  # fmt: skip
                    print(_line(f"{label}:", result), flush=True)
                    results.append(result)
        ok = all(r["stored"] == n and not r["errors"] for r in results if r["tree"] == "after")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results if len(results) > 1 else results[0], indent=2), "utf-8")
    return 0 if ok else 1


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    sys.exit(main())
