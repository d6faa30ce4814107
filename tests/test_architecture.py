"""House rules that code review would otherwise have to remember."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import learn_core

ROOT = Path(__file__).resolve().parent.parent


def test_learn_core_never_imports_streamlit():
    code = (
        "import importlib, pkgutil, sys, learn_core\n"
        "for m in pkgutil.walk_packages(learn_core.__path__, 'learn_core.'):\n"
        "    if m.name != 'learn_core.__main__':\n"
        "        importlib.import_module(m.name)\n"
        "print('streamlit' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_no_streamlit_in_learn_core_sources():
    for path in (ROOT / "learn_core").rglob("*.py"):
        assert "streamlit" not in path.read_text("utf-8").lower(), path


def test_every_module_imports():
    for m in pkgutil.walk_packages(learn_core.__path__, "learn_core."):
        if m.name != "learn_core.__main__":
            importlib.import_module(m.name)


def test_no_assert_in_library_code():
    for path in (ROOT / "learn_core").rglob("*.py"):
        for line in path.read_text("utf-8").splitlines():
            assert not line.strip().startswith("assert "), f"{path}: {line}"


def test_telemetry_is_off_and_toolbar_viewer():
    import tomllib

    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["client"]["toolbarMode"] == "viewer"


def test_file_checks_load_without_pandas():
    # the command line runs them in a thread while pandas loads (see learn_core/source.py)
    code = "import sys, learn_core.source, learn_core.limits, learn_core.biff\nprint('pandas' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"
