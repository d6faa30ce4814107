"""One gate for every file: each entry point (survey upload, waves, plan,
mapping, the command line's score, report --plan and compare) runs the
checks before parsing and then parses in a limited child; no parser is
called anywhere else; hostile files through every entry point are one
German sentence."""

from __future__ import annotations

import ast
import json
import tomllib
from pathlib import Path

import pytest

from learn_core import i18n
from learn_core.actionplan import ActionPlanError, add_measures, empty_plan, plan_to_csv
from learn_core.errors import ReadError
from learn_core.reading import gate, isolation, limits, list_columns, read_survey, sheet_names
from learn_core.reading.headcounts import read_headcounts
from learn_core.reading.mapping import column_map_json, read_answer_map, read_column_map
from learn_core.reading.plans import read_plan
from learn_core.reading.source import CheckedFile
from learn_core.recommendations import catalogue
from learn_core.samples import sample_bytes
from tests.reading import isolation_tasks as tasks
from tests.reading.hostile_files import far_plan_xlsx
from tests.reading.test_biff import big_xls, forged

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args):
    from learn_core.cli import main

    return main(list(args))


@pytest.fixture
def files(tmp_path):
    sample = tmp_path / "welle1.xlsx"
    sample.write_bytes(sample_bytes())
    second = tmp_path / "welle2.xlsx"
    second.write_bytes(sample_bytes())
    plan = tmp_path / "plan.csv"
    plan.write_bytes(plan_to_csv(add_measures(empty_plan(), list(catalogue()[:2]))))
    answers = tmp_path / "antworten.json"
    answers.write_bytes(b'{"Somewhat agree": 4}')
    headcounts = tmp_path / "kopfzahlen.csv"
    headcounts.write_bytes(b"Abteilung;Kopfzahl\nBauamt;40\n")
    return {"sample": sample, "second": second, "plan": plan, "out": tmp_path / "bericht.xlsx",
            "headcounts": headcounts, "answers": answers}


#: Every place a file enters, called with harmless files: (entry, files it takes in)
ENTRY_POINTS = {
    "survey upload (read_survey)": (lambda f: read_survey(f["sample"].read_bytes(), file_name="a.xlsx"), 1),
    "survey headers (list_columns)": (lambda f: list_columns(f["sample"].read_bytes()), 1),
    "survey sheets (sheet_names)": (lambda f: sheet_names(f["sample"].read_bytes()), 1),
    "dashboard upload (analyse_upload)": (
        lambda f: __import__("learn_core.analysis", fromlist=["x"]).analyse_upload(
            name="a.xlsx", data=f["sample"].read_bytes()), 1),
    "plan upload (read_plan)": (lambda f: read_plan(f["plan"].read_bytes(), "plan.csv"), 1),
    "mapping file (read_column_map)": (lambda f: read_column_map(b'{"Frage 1": "M1"}'), 1),
    "answer mapping file (read_answer_map)": (lambda f: read_answer_map(b'{"Somewhat agree": 4}'), 1),
    "cli score --answer-map": (lambda f: _cli("score", str(f["sample"]), "--answer-map", str(f["answers"])), 2),
    "cli score": (lambda f: _cli("score", str(f["sample"])), 1),
    "cli report --plan": (lambda f: _cli("report", str(f["sample"]), "-o", str(f["out"]), "--plan", str(f["plan"])), 2),
    "cli compare": (lambda f: _cli("compare", str(f["sample"]), str(f["second"])), 2),
    "headcount file (read_headcounts)": (lambda f: read_headcounts(b"Bauamt;30\nKultur und Bildung;20\n", "k.csv"), 1),
    "cli score --headcounts": (lambda f: _cli("score", str(f["sample"]), "--headcounts", str(f["headcounts"])), 2),
}


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_every_entry_point_goes_through_the_gate(name, files, monkeypatch, capsys):
    calls = []
    admit, parse = gate.admit, gate.parse

    def spy_admit(*args, **kwargs):
        checked = admit(*args, **kwargs)
        calls.append(("admit", id(checked)))
        return checked

    def spy_parse(func, checked, *args, **kwargs):
        calls.append(("parse", id(checked)))
        return parse(func, checked, *args, **kwargs)

    monkeypatch.setattr(gate, "admit", spy_admit)
    monkeypatch.setattr(gate, "parse", spy_parse)
    entry, n_files = ENTRY_POINTS[name]
    entry(files)
    capsys.readouterr()
    admitted = [c for kind, c in calls if kind == "admit"]
    parsed = [c for kind, c in calls if kind == "parse"]
    assert len(admitted) == n_files, calls
    assert parsed and set(parsed) <= set(admitted), calls  # only admitted files are parsed
    assert calls[0][0] == "admit"


#: Calls that parse bytes; they may stand only in the functions the child runs.
PARSERS = {"CalamineWorkbook", "read_csv", "read_excel", "load_workbook", "loads", "load", "reader", "load_sheet",
           "read_delimited", "from_filelike", "from_path", "parse_instrument_file"}
#: module → functions that run in the child (through gate.parse), or that read package data
ALLOWED = {
    "learn_core/reading/reader.py": {"_workbook", "_workbook_table", "_arrow_workbook_table", "_table"},
    "learn_core/reading/arrow_sheet.py": {"body_columns"},
    "learn_core/reading/delimited.py": {"_records", "read_delimited"},
    "learn_core/reading/plans.py": {"_rows"},
    "learn_core/reading/mapping.py": {"_parse_mapping", "_parse_answer_map"},
    "learn_core/reading/workstate_file.py": {"_parse_work_state"},
    "learn_core/reading/isolation.py": {"_outcome", "_result"},  # pickle.loads of our own protocol
    # package data and the operator's own settings, never an upload
    "learn_core/instrument.py": "*", "learn_core/recommendations.py": "*", "learn_core/i18n.py": "*",
    "learn_core/workshop/store.py": "*", "learn_core/workshop/room.py": "*",
    "learn_core/settings.py": "*",  # the settings registry and the server's configuration file
    # a contributed aggregate file (command line, at most MAX_AGGREGATE_BYTES): JSON of our own small format
    "learn_core/aggregate.py": {"read_aggregate"},
    # a phone's JSON request of at most MAX_BODY (16 KB), never a file
    "pages/room/phone_server.py": {"_body"},
}


def _parser_calls(path: Path):
    tree = ast.parse(path.read_text("utf-8"))
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(fn):
                if isinstance(node, ast.Call):
                    f = node.func
                    name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
                    if name in PARSERS:
                        yield fn.name, name, node.lineno


def test_no_parser_is_called_outside_the_child():
    found = []
    for path in sorted([*(ROOT / "learn_core").rglob("*.py"), *(ROOT / "pages").rglob("*.py"), ROOT / "app.py"]):
        rel = path.relative_to(ROOT).as_posix()
        allowed = ALLOWED.get(rel, set())
        for func, call, line in _parser_calls(path):
            if allowed != "*" and func not in allowed:
                found.append(f"{rel}:{line} {func} calls {call}")
    assert found == []


#: What the child runs: handed to gate.parse, never called.
CHILD_FUNCTIONS = {"_parse_survey", "_parse_columns", "_parse_sheet_names", "_parse_plan", "_parse_mapping",
                   "_parse_answer_map",
                   "_parse_work_state", "_parse_headcounts"}


def test_the_child_functions_are_only_handed_to_gate_parse():
    called, handed = [], set()
    for path in sorted((ROOT / "learn_core").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
                if name in CHILD_FUNCTIONS:
                    called.append(f"{path.name}:{node.lineno} {name}")
                if name == "parse" and node.args and isinstance(node.args[0], ast.Name):
                    handed.add(node.args[0].id)
    assert called == []
    assert handed == CHILD_FUNCTIONS


def test_pages_take_files_only_into_gated_functions():
    """Every ``.getvalue()`` of an uploaded file in a page is handed straight
    to a learn_core function that passes the gate, or to the session's data."""
    gated = {"set_dataset", "read_survey", "read_plan", "read_column_map", "read_answer_map", "read_work_state",
             "sha256"}
    wrong = []
    for path in sorted((ROOT / "pages").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "getvalue":
                up = parents.get(node)
                while isinstance(up, ast.keyword):
                    up = parents.get(up)
                f = up.func if isinstance(up, ast.Call) else None
                name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
                if name not in gated:
                    wrong.append(f"{path.name}:{node.lineno}")
    assert wrong == []


def test_one_upload_limit():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert cfg["server"]["maxUploadSize"] == limits.UPLOAD_LIMIT_MB
    assert limits.MAX_FILE_BYTES == limits.UPLOAD_LIMIT_MB * 10**6  # the browser's MB
    for path in sorted((ROOT / "pages").rglob("*.py")):
        text = path.read_text("utf-8")
        assert text.count("st.file_uploader(") == text.count("**upload_limit()"), path.name


@pytest.mark.parametrize(("size", "refused"), [(limits.MAX_FILE_BYTES, False), (limits.MAX_FILE_BYTES + 1, True)])
def test_the_size_limit_edge(size, refused):
    data = b"M1\n" + b"5\n" * ((size - 3) // 2) + b" " * ((size - 3) % 2)
    assert len(data) == size
    if refused:
        with pytest.raises(ReadError, match=r"^Die Datei ist zu groß \(50,0 MB\); höchstens 50 MB werden angenommen\.$"):
            gate.admit(data)
    else:
        assert gate.admit(data).kind == "text"


# --------------------------------------------------------------------------- mapping


def test_mapping_round_trip():
    mapping = {"Frage „eins“": "M1", "Spalte; mit = Zeichen": "L6"}
    assert read_column_map(column_map_json(mapping)) == mapping


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        (b'{"a": "M1"}', 1),
        (b'{"a": {"b": [1, 2]}}', 3),
        (b'{"[[[{{{": "M1"}', 1),  # brackets in strings do not count
        (b'{"a\\"[[[": "]]]M1"}', 1),  # nor after an escaped quote
        (b"[" * 5000 + b"]" * 5000, 5000),
        (b"", 0),
    ],
)
def test_json_depth(text, depth):
    assert gate.json_depth(text) == depth


MAPPINGS = {
    "nested 100,000 deep": (b"[" * 100_000 + b"]" * 100_000, i18n.t(gate.MAPPING_TOO_DEEP)),
    "nested object": (b'{"a": {"b": "M1"}}', i18n.t(gate.MAPPING_TOO_DEEP)),
    "not json": (b"Spalte;Item\nA;M1\n", i18n.t(gate.NOT_A_MAPPING)),
    "not utf-8": ('{"Größe": "M1"}'.encode("cp1252"), i18n.t(gate.NOT_A_MAPPING)),
    "a list": (b'["M1", "M2"]', i18n.t(gate.NOT_A_MAPPING)),
    "a number as item": (b'{"a": 5}', i18n.t(gate.NOT_A_MAPPING)),
    "unknown item": (b'{"a": "Z9"}', "„Z9“, das ist keine Item-ID des Fragebogens."),
    "too large": (b'{"a": "' + b"x" * (gate.MAX_MAPPING_BYTES) + b'"}', "Die Zuordnungsdatei ist zu groß"),
    "empty": (b"", "Die Datei ist leer."),
}


@pytest.mark.parametrize("name", MAPPINGS)
def test_bad_mapping_files_are_one_german_sentence(name):
    data, message = MAPPINGS[name]
    with pytest.raises(ReadError) as info:
        read_column_map(data)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_deep_json_would_have_raised_recursion_error():
    """What the page's json.loads did with the 100,000-deep file before the gate."""
    with pytest.raises(RecursionError):
        json.loads(MAPPINGS["nested 100,000 deep"][0])


# --------------------------------------------------------------------------- hostile files everywhere



HOSTILE = {
    "far plan xlsx (1.4 kB, 512 GB)": far_plan_xlsx(),
    "xls directory loop": forged("directory chain loops"),
    "xls DIFAT loop": forged("DIFAT chain loops"),
    "xls FAT sector beyond the file": forged("FAT sector beyond the file"),
}


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("entry", ["survey", "plan", "cli score", "cli report --plan", "cli compare"])
def test_hostile_files_through_every_entry_point(name, entry, tmp_path, capsys):
    data = HOSTILE[name]
    path = tmp_path / ("boese.xls" if b"\xd0\xcf" == data[:2] else "boese.xlsx")
    path.write_bytes(data)
    good = tmp_path / "gut.xlsx"
    good.write_bytes(sample_bytes())
    if entry == "survey":
        with pytest.raises(ReadError) as info:
            read_survey(data, file_name=path.name)
        sentence = str(info.value)
    elif entry == "plan":
        with pytest.raises(ActionPlanError) as info:
            read_plan(data, path.name)
        sentence = str(info.value)
    else:
        args = {"cli score": ["score", str(path)],
                "cli report --plan": ["report", str(good), "-o", str(tmp_path / "b.pdf"), "--plan", str(path)],
                "cli compare": ["compare", str(good), str(path)]}[entry]
        assert _cli(*args) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("Fehler: ")
        sentence = err.removeprefix("Fehler: ").strip().removeprefix("boese.xlsx: ").removeprefix("boese.xls: ")
    assert sentence in (i18n.t(limits.BROKEN_WORKBOOK), i18n.t(isolation.UNSAFE)) or "zu groß" in sentence or "mehr als" in sentence
    assert sentence.endswith((".", ")")) and "\n" not in sentence


def test_parse_takes_only_admitted_files():
    with pytest.raises(TypeError, match="CheckedFile"):
        gate.parse(len, b"bytes")
    assert gate.parse(tasks.kind, CheckedFile(b"x", "text", "")) == "text"


def test_the_old_plan_path_aborted_and_the_gate_refuses_first():
    with pytest.raises(ReadError, match="mehr als 1.000.000 Zeilen"):
        gate.admit(far_plan_xlsx())
    assert len(far_plan_xlsx()) < 1500
    assert sheet_names(big_xls().bytes()) == ["Blatt1"]
