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
    # the command line runs them in a thread while pandas loads (see learn_core/reading/source.py)
    code = "import sys, learn_core.reading.source, learn_core.reading.limits, learn_core.reading.biff\nprint('pandas' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


#: The stages of learn_core, lowest first; a module may import its own stage
#: and the stages listed for it, never a later one (one direction, no circle).
STAGES = {
    "base": set(),
    "reading": {"base"},
    "analysis": {"base", "reading"},
    "display": {"base", "reading", "analysis"},
    "reports": {"base", "reading", "analysis", "display"},
    "workshop": {"base", "reading", "analysis", "display"},
    "cli": {"base", "reading", "analysis", "display", "reports", "workshop"},
}


def _stage(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in STAGES:
        return parts[1]
    if len(parts) > 1 and parts[1] in ("cli", "__main__"):
        return "cli"
    return "base"


def _imports(path: Path) -> set[str]:
    import ast

    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("learn_core"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("learn_core"))
    return found


def test_imports_go_one_way_between_stages():
    wrong = []
    for path in sorted((ROOT / "learn_core").rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        module = ".".join(p for p in rel.parts if p != "__init__")
        mine = _stage(module)
        for target in _imports(path):
            theirs = _stage(target)
            if theirs != mine and theirs not in STAGES[mine]:
                wrong.append(f"{module} ({mine}) imports {target} ({theirs})")
    assert wrong == []


def test_every_stage_is_a_package_with_a_docstring():
    for stage in STAGES:
        if stage in ("base", "cli"):
            continue
        init = ROOT / "learn_core" / stage / "__init__.py"
        assert init.exists(), stage
        assert importlib.import_module(f"learn_core.{stage}").__doc__, stage


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text("utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-r"):
            name, _, version = line.partition("==")
            pins[name.split("[")[0].lower()] = version
    return pins


def test_runtime_requirements_are_what_the_code_imports_and_pyproject_agrees():
    import ast
    import tomllib

    imported = set()
    for path in [*(ROOT / "learn_core").rglob("*.py"), *(ROOT / "pages").rglob("*.py"), ROOT / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
    distribution = {"python_calamine": "python-calamine", "fpdf": "fpdf2", "vl_convert": "vl-convert-python",
                    "PIL": "pillow", "sqlalchemy": "sqlalchemy", "segno": "segno", "streamlit": "streamlit",
                    "pandas": "pandas", "numpy": "numpy", "altair": "altair", "openpyxl": "openpyxl",
                    "starlette": "starlette", "fastexcel": "fastexcel", "pyarrow": "pyarrow"}
    third_party = {distribution[m] for m in imported if m in distribution}
    unknown = {m for m in imported - set(distribution) - {"learn_core", "pages"}
               if m not in sys.stdlib_module_names}
    assert unknown == set()  # every third-party import is mapped to its distribution above
    pins = _pins(ROOT / "requirements.txt")
    assert third_party <= set(pins)
    # needed by what the code imports, not imported itself: pandas' Styler (learn_core.display.export)
    # needs Jinja2, which pandas lists only as an optional extra
    assert set(pins) - third_party == {"jinja2"}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    declared = {d.split("==")[0].split("[")[0]: d.split("==")[1] for d in project["dependencies"]}
    assert declared == pins
    assert "psycopg" not in pins  # PostgreSQL is optional
    assert project["optional-dependencies"]["postgres"] == ["psycopg[binary]==" + _pins(ROOT / "requirements-postgres.txt")["psycopg"]]


def _imported_by(args: list[str], tmp_path: Path) -> set[str]:
    """The top-level packages a command line run imports (from ``-X importtime``)."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "learn_core", *args], capture_output=True,
                         text=True, cwd=tmp_path, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip().split(".")[0] for line in out.stderr.splitlines()
            if line.startswith("import time:") and "|" in line}


def test_commands_load_only_the_libraries_they_need(tmp_path):
    # fpdf2, altair and vl-convert cost about half a second of start-up; only the PDF report needs them
    sample = str(ROOT / "sample_data" / "beispielstadt.csv")
    heavy = {"fpdf", "altair", "vl_convert"}
    for args in (["score", sample], ["instrument"], ["report", sample, "--output", str(tmp_path / "r.xlsx")]):
        assert not _imported_by(args, tmp_path) & heavy, args
    # the PDF report draws its charts itself: it loads fpdf2, but no chart library
    pdf = _imported_by(["report", sample, "--output", str(tmp_path / "r.pdf")], tmp_path)
    assert "fpdf" in pdf  # the check can fail
    assert not pdf & {"altair", "vl_convert"}
