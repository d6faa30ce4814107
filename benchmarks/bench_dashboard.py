"""Dashboard speed in a real browser: page changes and department switches.

Generates an upload of 10,000 respondents in 20 departments, starts
``streamlit run app.py`` on a loopback port, uploads the file in Debian's
Chromium (Playwright), then measures from the click to the finished render
(Streamlit idle and every chart of the page drawn):

* page changes between Überblick, Abteilungsvergleich and Details;
* department switches on the Details page.

Run from the project root:  python benchmarks/bench_dashboard.py [--rounds 5]
Not part of the test run. Prints a table of median and worst times.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def make_upload(path: Path, n: int = 10_000, groups: int = 20, seed: int = 7) -> None:
    from openpyxl import Workbook

    from learn_core.instrument import default_instrument

    rng = np.random.default_rng(seed)
    ids = default_instrument().item_ids
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Antworten")
    ws.append(["Abteilung", *ids])
    shift = rng.normal(0, 0.5, size=groups)
    for i in range(n):
        g = i % groups
        vals = np.clip(np.rint(3 + shift[g] + rng.normal(0, 1, size=len(ids))), 1, 5).astype(int)
        ws.append([f"Fachbereich {g + 1:02d}", *vals.tolist()])
    wb.save(path)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _idle(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def _charts_drawn(page, expected: int, title: str | None = None) -> None:
    """Wait until the page shows ``title`` and ``expected`` drawn charts, none stale."""
    page.wait_for_function(
        """([n, title]) => {
            const h1 = document.querySelector('h1');
            if (title && (!h1 || h1.textContent.trim() !== title)) return false;
            const live = [...document.querySelectorAll('.vega-embed svg, .vega-embed canvas')]
                .filter(el => !el.closest('[data-stale="true"]'));
            return live.length >= n;
        }""",
        arg=[expected, title], timeout=60_000,
    )


def _timed(page, action, expected_charts: int, title: str | None = None) -> float:
    start = time.perf_counter()
    action()
    _charts_drawn(page, expected_charts, title)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=60_000)
    elapsed = time.perf_counter() - start
    _idle(page)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="learn-bench-"))
    upload = tmp / "gross.xlsx"
    make_upload(upload)
    port = _port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.25)
        results: dict[str, list[float]] = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.goto(url)
            _idle(page)
            t0 = time.perf_counter()
            page.locator("[data-testid=stMain] input[type=file]").first.set_input_files(str(upload))
            page.wait_for_selector("[data-testid=stMetric]", timeout=120_000)
            _idle(page)
            results["upload, read and score (once)"] = [time.perf_counter() - t0]
            pages = [("Überblick", 1), ("Abteilungsvergleich", 1), ("Details", 1), ("Methodik", 0)]
            for _ in range(args.rounds):
                for label, charts in pages:
                    link = page.get_by_role("link", name=label, exact=True).first
                    results.setdefault(f"page change → {label}", []).append(_timed(page, link.click, charts, label))
            _timed(page, page.get_by_role("link", name="Details", exact=True).first.click, 1, "Details")
            for i in range(args.rounds):
                box = page.locator("[data-testid=stSelectbox]").first  # "Auswertung für"
                name = f"Fachbereich {(i % 19) + 2:02d}"

                box.click()  # open the list and type the name first: the clock starts at the choice
                page.keyboard.type(name)
                page.wait_for_timeout(200)

                def switch():
                    page.keyboard.press("Enter")

                results.setdefault("department switch (Details)", []).append(_timed(page, switch, 1, "Details"))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)
    print(f"{'measurement (10,000 respondents, 20 departments)':<52} {'median':>8} {'worst':>8}  n")
    for name, values in results.items():
        print(f"{name:<52} {statistics.median(values):>7.2f}s {max(values):>7.2f}s  {len(values)}")


if __name__ == "__main__":
    main()
