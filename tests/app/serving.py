"""Start ``streamlit run app.py`` for a browser test and wait until it answers."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start_app(port: int, env: dict[str, str], *, cwd: Path = ROOT, out=subprocess.DEVNULL,
              wait: float = 60.0) -> subprocess.Popen:
    """The app on 127.0.0.1:``port`` with ``env``, its output into ``out``; the
    test fails when its health endpoint does not answer within ``wait`` seconds
    (a bounded wait for the start, not a speed check)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.time() + wait
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return proc
        except OSError:
            time.sleep(0.25)
    proc.kill()
    pytest.fail(f"streamlit did not start within {wait:.0f} s")


def stop_app(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
