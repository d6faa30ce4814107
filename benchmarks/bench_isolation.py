"""Cost of parsing uploads in a limited child process, before and after, side
by side in one run:

* the command line: ``python -m learn_core score FILE`` on a 50,000-respondent
  .xlsx (whole process: the check before parsing, the forked child's parse,
  scoring, JSON);
* the dashboard: a 10,000-respondent upload in Debian's Chromium, from the
  file chosen to the data report shown (the server parses it in a child of
  its helper processes);
* in one process, the parse alone (``--in-process``): ``read_survey``'s
  parse, decoding and validation of both files in this process, in a forked
  child and in a child of a helper process, in turns – the isolation's own
  cost without the noise of starting processes.

"Before" is the code of ``--before`` (default: where this branch left main),
unpacked with ``git archive`` into a temporary folder; "after" is this
working tree. The two run in turns (CLI: ``--repeat`` turns; dashboard:
``--rounds`` uploads to each of two servers started side by side), so a slow
spell of the machine hits both; the table gives the best and the median of
each, and the median of the per-turn ratios after / before.

Run from the project root (not part of the test run)::

    python benchmarks/bench_isolation.py [--before REV] [--repeat 5] [--rounds 5] [--skip-browser]
    python benchmarks/bench_isolation.py --in-process [--repeat 7]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _before_tree(rev: str | None, into: Path) -> tuple[str, Path]:
    if rev is None:
        rev = subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.strip()
    tree = into / "before"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return rev, tree


def _score(tree: Path, path: Path) -> float:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "learn_core", "score", str(path)], cwd=tree,
                         capture_output=True, env={**os.environ, "PYTHONPATH": str(tree)})
    wall = time.perf_counter() - t
    if out.returncode != 0:
        raise SystemExit(f"score failed in {tree}: {out.stderr.decode()[-400:]}")
    json.loads(out.stdout)
    return wall


def _summary(label: str, before: list[float], after: list[float]) -> str:
    ratios = [a / b for a, b in zip(after, before, strict=True)]
    return (f"| {label} | {min(before):.2f} s; {statistics.median(before):.2f} s | "
            f"{min(after):.2f} s; {statistics.median(after):.2f} s | "
            f"{min(after) / min(before):.3f}; {statistics.median(ratios):.3f} |")


def _server(tree: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(tree)},
    )


def _upload_seconds(browser, url: str, upload: Path, bench) -> float:
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        page.goto(url)
        bench._idle(page)
        t0 = time.perf_counter()
        page.locator("[data-testid=stMain] input[type=file]").first.set_input_files(str(upload))
        page.wait_for_selector("[data-testid=stMetric]", timeout=180_000)
        bench._idle(page)
        return time.perf_counter() - t0
    finally:
        page.close()


def in_process(files: dict[str, Path], repeat: int) -> None:
    """The parse of each file inline, in a forked child and in a helper's child, in turns."""
    import threading

    from learn_core.instrument import default_instrument
    from learn_core.reading import gate, isolation, reader

    inst = default_instrument()
    pool = isolation.ParserPool(isolation.Limits(workers=1))
    print("| file | inline: median | forked child: median, ratio | helper's child: median, ratio |")
    print("|---|---:|---:|---:|")
    for label, path in files.items():
        checked = gate.admit(path)
        args = (checked, None, None, inst, None, None)
        runs = {
            "inline": lambda a=args: reader._parse_survey(*a),
            "fork": lambda a=args: isolation.run(reader._parse_survey, *a),
            "pool": lambda a=args: pool.run(reader._parse_survey, *a),
        }
        times: dict[str, list[float]] = {k: [] for k in runs}
        pool.run(reader._parse_survey, *args)  # the helper's first job waits for its imports
        for _ in range(repeat):
            for name, run in runs.items():
                if name == "fork" and threading.active_count() != 1:
                    raise SystemExit("the fork path needs a process with one thread")
                t = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - t)
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"| {label} | {med['inline']:.3f} s | {med['fork']:.3f} s, {med['fork'] / med['inline']:.3f} | "
              f"{med['pool']:.3f} s, {med['pool'] / med['inline']:.3f} |", flush=True)
    pool.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="git revision of the code before (default: merge base with main)")
    parser.add_argument("--repeat", type=int, default=5, help="turns of the command line")
    parser.add_argument("--rounds", type=int, default=5, help="dashboard uploads to each server")
    parser.add_argument("--respondents", type=int, default=50_000)
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--in-process", action="store_true", help="only the parse alone, in one process")
    args = parser.parse_args()

    reader_bench, dash_bench = _load("bench_reader"), _load("bench_dashboard")
    from learn_core.instrument import default_instrument

    tmp = Path(tempfile.mkdtemp(prefix="learn-isolation-"))
    if args.in_process:
        files = {f"{args.respondents:,} respondents .xlsx": tmp / "a.xlsx", "10,000 respondents .xlsx (dashboard)": tmp / "b.xlsx"}
        reader_bench.write_xlsx(files[f"{args.respondents:,} respondents .xlsx"], args.respondents,
                                list(default_instrument().item_ids))
        dash_bench.make_upload(files["10,000 respondents .xlsx (dashboard)"])
        in_process(files, args.repeat)
        return
    rev, before = _before_tree(args.before, tmp)
    xlsx = tmp / f"umfrage-{args.respondents}.xlsx"
    reader_bench.write_xlsx(xlsx, args.respondents, list(default_instrument().item_ids))
    print(f"before: {rev[:12]}  after: working tree  file: {xlsx.stat().st_size / 1e6:.1f} MB")
    print("| measurement | before: best; median | after: best; median | after / before: best; median of turns |")
    print("|---|---:|---:|---:|")

    times: dict[str, list[float]] = {"before": [], "after": []}
    for _ in range(args.repeat):
        times["before"].append(_score(before, xlsx))
        times["after"].append(_score(ROOT, xlsx))
    print(_summary(f"`score`, {args.respondents:,} respondents .xlsx", times["before"], times["after"]), flush=True)

    if args.skip_browser:
        return
    from playwright.sync_api import sync_playwright

    upload = tmp / "gross.xlsx"
    dash_bench.make_upload(upload)
    ports = {"before": dash_bench._port(), "after": dash_bench._port()}
    servers = {"before": _server(before, ports["before"]), "after": _server(ROOT, ports["after"])}
    try:
        for port in ports.values():
            for _ in range(240):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.25)
        ups: dict[str, list[float]] = {"before": [], "after": []}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=dash_bench.FLAGS)
            for side in ("before", "after"):  # a first upload each: the servers' first-session start-up
                _upload_seconds(browser, f"http://127.0.0.1:{ports[side]}", upload, dash_bench)
            for _ in range(args.rounds):
                for side in ("before", "after"):
                    ups[side].append(_upload_seconds(browser, f"http://127.0.0.1:{ports[side]}", upload, dash_bench))
            browser.close()
        print(_summary("dashboard upload, 10,000 respondents (file chosen → report shown)", ups["before"],
                       ups["after"]))
    finally:
        for proc in servers.values():
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    main()
