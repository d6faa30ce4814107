"""The command line contract: JSON shape, exit codes, one German line on errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from learn_core.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_XLSX = ROOT / "sample_data" / "beispielstadt.xlsx"
SAMPLE_CSV = ROOT / "sample_data" / "beispielstadt.csv"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "learn_core", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_help():
    out = run_cli("--help")
    assert out.returncode == 0
    for cmd in ("instrument", "score"):
        assert cmd in out.stdout


def test_instrument_json(capsys):
    assert main(["instrument", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["items"]) == 24
    assert set(data["items"][0]) >= {"id", "dimension", "text_de", "text_en", "reverse"}
    assert [d["key"] for d in data["dimensions"]] == ["motivation", "fuehrung", "kompetenz", "lernerfolg"]
    assert data["scale"]["labels_de"][2] == "teils/teils"
    assert data["version"] == "2.0"  # the default of new surveys
    assert [i["id"] for i in data["items"] if i["reverse"]] == ["M8", "F6", "K6", "L6"]


def test_instrument_prints_the_version_asked_for(capsys):
    assert main(["instrument", "--format", "json", "--instrument-version", "1.0"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == "1.0" and len(data["items"]) == 24
    assert [i["id"] for i in data["items"] if i["reverse"]] == ["M6", "F6", "K6", "L6"]
    assert main(["instrument", "--instrument-version", "1.0"]) == 0
    assert capsys.readouterr().out.startswith("LEARN-Selbstcheck 1.0\n")


def test_an_unknown_instrument_version_or_both_options_exit_2(tmp_path):
    out = run_cli("instrument", "--instrument-version", "3.0")
    assert out.returncode == 2 and "1.0" in out.stderr and "2.0" in out.stderr
    out = run_cli("template", str(tmp_path / "v.xlsx"), "--instrument", "own.toml", "--instrument-version", "1.0")
    assert out.returncode == 2 and not (tmp_path / "v.xlsx").exists()


@pytest.mark.parametrize(("args", "version"), [((), "2.0"), (("--instrument-version", "1.0"), "1.0"),
                                               (("--instrument-version", "2.0"), "2.0")])
def test_template_writes_the_version_asked_for(tmp_path, capsys, args, version):
    from openpyxl import load_workbook

    from learn_core.instrument import instrument_version

    path = tmp_path / "vorlage.xlsx"
    assert main(["template", str(path), *args]) == 0
    assert json.loads(capsys.readouterr().out)["format"] == "xlsx"
    header = [c.value for c in load_workbook(path).worksheets[0][1]]
    assert header == ["Abteilung", *instrument_version(version).item_ids]


def _v1_csv(path: Path) -> Path:
    """Six respondents of version 1.0 in two departments: every statement 4,
    the reversed M6, F6, K6, L6 2 (every dimension 75)."""
    from learn_core.instrument import instrument_version

    items = instrument_version("1.0").items
    lines = [";".join(["Abteilung", *(it.id for it in items)])]
    for i in range(6):
        lines.append(";".join(["Bauamt" if i % 2 else "Kämmerei", *("2" if it.reverse else "4" for it in items)]))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    return path


def test_a_version_1_export_is_scored_with_version_1_not_the_default(tmp_path, capsys):
    """Read with the default 2.0, a 1.0 file would lose the twelve statements
    2.0 rewrote (and Führung with only two of six left would have no score)."""
    path = _v1_csv(tmp_path / "welle_2025.csv")
    assert main(["score", str(path), "--min-group-size", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["instrument"]["version"] == "1.0"
    assert list(data["organisation"]["items"]) == ["M1", "M2", "M3", "M4", "M5", "M6", "F1", "F2", "F3", "F4", "F5",
                                                   "F6", "K1", "K2", "K3", "K4", "K5", "K6", "L1", "L2", "L3", "L4",
                                                   "L5", "L6"]  # fmt: skip
    assert {k: d["score"] for k, d in data["organisation"]["dimensions"].items()} == {
        "motivation": 75.0, "fuehrung": 75.0, "kompetenz": 75.0, "lernerfolg": 75.0}
    assert not [p for p in data["problems"] if p["severity"] in ("error", "warning")]
    assert main(["score", str(path), "--min-group-size", "3", "--format", "text"]) == 0
    assert "75" in capsys.readouterr().out


def test_a_version_1_export_gives_a_report_of_version_1(tmp_path, capsys):
    from openpyxl import load_workbook

    out = tmp_path / "bericht.xlsx"
    assert main(["report", str(_v1_csv(tmp_path / "alt.csv")), "--min-group-size", "3", "-o", str(out)]) == 0
    assert json.loads(capsys.readouterr().out)["respondents"] == 6
    cells = [str(c.value) for ws in load_workbook(out).worksheets for row in ws.iter_rows() for c in row
             if c.value is not None]
    assert "M6" in cells and "M7" not in cells  # the statements of 1.0, none of 2.0


@pytest.mark.parametrize("path", [SAMPLE_XLSX, SAMPLE_CSV])
def test_score_sample_json(path, capsys):
    assert main(["score", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("rows_read", "respondents", "problems", "organisation", "groups", "suppressed_groups",
                "comparison", "recommendations"):
        assert key in data
    assert data["respondents"] == 177
    # the Stabsstelle (3) is below k = 5; as it is the only hidden group, the
    # smallest reported department is hidden too (complementary suppression)
    assert data["suppressed_groups"] == ["Kultur und Bildung", "Stabsstelle Gleichstellung"]
    assert len(data["groups"]) == 7
    org = data["organisation"]
    assert org["n"] == 177 and 0 <= org["index"] <= 100
    for dim in org["dimensions"].values():
        assert set(dim) >= {"n", "score", "ci95", "level", "favourable", "alpha"}
    assert set(data["comparison"]) == {"motivation", "fuehrung", "kompetenz", "lernerfolg"}
    assert data["recommendations"] and set(data["recommendations"][0]) >= {"id", "dimension", "levels", "title"}
    assert "Stabsstelle" not in json.dumps(data["groups"]) and "Kultur" not in json.dumps(data["groups"])


def test_xlsx_and_csv_score_the_same(capsys):
    main(["score", str(SAMPLE_XLSX)])
    a = json.loads(capsys.readouterr().out)
    main(["score", str(SAMPLE_CSV)])
    b = json.loads(capsys.readouterr().out)
    assert a["organisation"] == b["organisation"]
    assert a["groups"] == b["groups"]


def test_score_text_is_german(capsys):
    assert main(["score", str(SAMPLE_CSV), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "LEARN-Index" in out and "Führung" in out and "Ausgeblendet" in out


@pytest.mark.parametrize(
    ("content", "name", "fragment"),
    [
        (b"", "leer.csv", "leer"),
        (b"Name;Alter\nAnna;3\n", "ohne_items.csv", "keine Spalte"),
        (b"PK\x03\x04garbage", "kaputt.xlsx", "Excel"),
    ],
)
def test_unusable_file_exit_2_one_line(tmp_path, content, name, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    out = run_cli("score", str(path))
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0]
    assert "Traceback" not in out.stderr


def test_missing_file_and_bad_k(tmp_path):
    out = run_cli("score", str(tmp_path / "gibtsnicht.xlsx"))
    assert out.returncode == 2 and "nicht gefunden" in out.stderr
    out = run_cli("score", str(SAMPLE_CSV), "--min-group-size", "2")
    assert out.returncode == 2 and "mindestens 3" in out.stderr


def test_min_group_size_changes_suppression(capsys):
    main(["score", str(SAMPLE_CSV), "--min-group-size", "3"])
    data = json.loads(capsys.readouterr().out)
    assert "Stabsstelle Gleichstellung" in data["groups"]
    assert data["suppressed_groups"] == []


def test_hostile_plan_and_xls_exit_2_not_134(tmp_path):
    """The 1.4 kB plan (a cell at XFD1048576) aborted ``report --plan`` with
    exit 134, and a 5.6 kB .xls whose directory chain loops grew memory until
    the process died; now each is one German line and exit 2, run as its own
    process (as an automation would)."""
    from tests.reading.hostile_files import far_plan_xlsx
    from tests.reading.test_biff import forged

    (tmp_path / "plan.xlsx").write_bytes(far_plan_xlsx())
    (tmp_path / "umfrage.xls").write_bytes(forged("directory chain loops"))
    for args in (["report", str(SAMPLE_XLSX), "-o", str(tmp_path / "b.pdf"), "--plan", str(tmp_path / "plan.xlsx")],
                 ["score", str(tmp_path / "umfrage.xls")],
                 ["compare", str(SAMPLE_XLSX), str(tmp_path / "umfrage.xls")]):
        out = run_cli(*args)
        assert out.returncode == 2, out.stderr[-500:]
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Fehler: ") and "Traceback" not in out.stderr
    assert not (tmp_path / "b.pdf").exists()


def _limesurvey_codes(tmp_path: Path) -> Path:
    """The sample survey as LimeSurvey writes it without a label export: answer codes A1 … A5."""
    import csv
    import io

    from learn_core.reading import read_survey

    survey = read_survey(SAMPLE_CSV)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "Abteilung", *[f"LEARN[{i}]" for i in survey.answers.columns]])
    for k, (group, row) in enumerate(zip(survey.groups, survey.answers.to_numpy(), strict=True)):
        writer.writerow([k + 1, group, *("" if v != v else f"A{int(v)}" for v in row)])
    path = tmp_path / "results-survey.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_answer_codes_exit_2_naming_column_and_codes_then_map_scores_like_the_sample(tmp_path, capsys):
    path = _limesurvey_codes(tmp_path)
    out = run_cli("score", str(path))
    assert out.returncode == 2 and out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "„LEARN[M1]“" in lines[0] and "„A" in lines[0] and "--answer-map" in lines[0]
    answers = tmp_path / "antworten.json"
    answers.write_text(json.dumps({f"A{k}": k for k in range(1, 6)}), encoding="utf-8")
    assert main(["score", str(path), "--answer-map", str(answers)]) == 0
    mapped = json.loads(capsys.readouterr().out)
    main(["score", str(SAMPLE_CSV)])
    clean = json.loads(capsys.readouterr().out)
    assert mapped["organisation"] == clean["organisation"] and mapped["groups"] == clean["groups"]


@pytest.mark.parametrize(("content", "fragment"), [
    (b'{"A1": 7}', "erlaubt sind 1 bis 5"), (b'["A1"]', "keine Antwortzuordnung"), (b'{"A1": {"x": 1}}', "verschachtelt"),
])
def test_a_bad_answer_map_is_one_line_exit_2(tmp_path, content, fragment):
    bad = tmp_path / "antworten.json"
    bad.write_bytes(content)
    out = run_cli("score", str(SAMPLE_CSV), "--answer-map", str(bad))
    assert out.returncode == 2 and fragment in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_score_with_headcounts_gives_participation(capsys):
    from learn_core.samples import SAMPLE_HEADCOUNTS, SAMPLE_XLSX

    assert main(["score", str(SAMPLE_XLSX), "--headcounts", str(SAMPLE_HEADCOUNTS)]) == 0
    part = json.loads(capsys.readouterr().out)["participation"]
    rows = {g["name"]: g for g in part["groups"]}
    assert part["headcount"] == 276 and part["rate"] == pytest.approx(177 * 100 / 276)
    assert rows["Ordnungsamt"]["rate"] == pytest.approx(20 * 100 / 45) and rows["Ordnungsamt"]["low"]
    # Stabsstelle (3 respondents, headcount 4 < k) and Kultur und Bildung (hidden to protect it): no figures
    assert rows["Stabsstelle Gleichstellung"] == {"name": "Stabsstelle Gleichstellung", "headcount": None,
                                                  "respondents": None, "rate": None, "low": False,
                                                  "hidden": "min_size"}
    assert rows["Kultur und Bildung"]["respondents"] is None and rows["Kultur und Bildung"]["rate"] is None


def test_bad_headcounts_exit_2(tmp_path, capsys):
    from learn_core.samples import SAMPLE_XLSX

    bad = tmp_path / "k.csv"
    bad.write_text("Bauamt;0\n", "utf-8")
    assert main(["score", str(SAMPLE_XLSX), "--headcounts", str(bad)]) == 2
    assert "Kopfzahl von „Bauamt“" in capsys.readouterr().err


#: The sample's comments (column Anmerkungen) per reported department, counted in the CSV
#: (pandas groupby count of the filled cells): 61 of 177 respondents wrote one.
SAMPLE_COMMENTS = {"Bauamt": 18, "Bürgeramt": 6, "IT und Digitalisierung": 5, "Jugendamt": 9, "Kämmerei": 3,
                   "Ordnungsamt": 10, "Personal und Organisation": 3}


def test_score_json_has_comment_counts_but_no_texts_without_the_flag(capsys):
    assert main(["score", str(SAMPLE_CSV)]) == 0
    c = json.loads(capsys.readouterr().out)["comments"]
    assert c["threshold"] == 10 and c["texts_included"] is False
    col = c["columns"][0]
    assert col["header"] == "Anmerkungen" and col["organisation"] == {"name": None, "respondents": 177, "count": 61}
    assert {g["name"]: g["count"] for g in col["groups"]} == SAMPLE_COMMENTS
    # the hidden groups (Stabsstelle 3 < k, Kultur und Bildung to protect it) get no list and no count
    assert c["hidden_groups"] == [{"name": "Kultur und Bildung", "reason": "hidden"},
                                  {"name": "Stabsstelle Gleichstellung", "reason": "hidden"}]
    assert '"texts":' not in json.dumps(c) and "Fortbildung" not in json.dumps(c)


def test_score_json_with_comments_has_the_texts_of_the_shown_lists_only(capsys):
    import pandas as pd

    assert main(["score", str(SAMPLE_CSV), "--comments"]) == 0
    col = json.loads(capsys.readouterr().out)["comments"]["columns"][0]
    frame = pd.read_csv(SAMPLE_CSV, sep=";", encoding="utf-8-sig")
    bauamt = frame.loc[frame["Abteilung"] == "Bauamt", "Anmerkungen"].dropna().tolist()
    groups = {g["name"]: g for g in col["groups"]}
    assert sorted(groups["Bauamt"]["texts"]) == sorted(bauamt)
    assert groups["Bauamt"]["texts"] != bauamt  # shuffled (18 texts: the file's order by chance is negligible)
    assert sorted(col["organisation"]["texts"]) == sorted(frame["Anmerkungen"].dropna())
    assert "Kultur und Bildung" not in groups


def test_the_comment_threshold_follows_the_setting_and_k(monkeypatch, capsys):
    monkeypatch.setenv("LEARN_COMMENT_MIN_GROUP", "20")
    assert main(["score", str(SAMPLE_CSV)]) == 0
    c = json.loads(capsys.readouterr().out)["comments"]
    # T = 20: Bürgeramt 34, Bauamt 26, Jugendamt 24, IT 22, Ordnungsamt 20 keep their list;
    # Kämmerei 18, Personal 16 are below; the rest 18 + 16 + 14 + 3 = 51 ≥ 20
    assert c["threshold"] == 20
    assert {g["name"] for g in c["columns"][0]["groups"]} == {"Bürgeramt", "Bauamt", "Jugendamt",
                                                             "IT und Digitalisierung", "Ordnungsamt"}
    assert main(["score", str(SAMPLE_CSV), "--min-group-size", "25"]) == 0
    assert json.loads(capsys.readouterr().out)["comments"]["threshold"] == 25


def test_report_has_comments_only_with_the_flag(tmp_path):
    from openpyxl import load_workbook

    for flag, expected in (([], False), (["--comments"], True)):
        out = tmp_path / f"b{len(flag)}.xlsx"
        assert main(["report", str(SAMPLE_CSV), "-o", str(out), *flag]) == 0
        assert ("Offene Kommentare" in load_workbook(out).sheetnames) is expected


def test_aggregate_prints_the_organisation_only_without_the_flag(capsys):
    assert main(["aggregate", str(SAMPLE_CSV)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["format"], data["format_version"]) == ("learn-aggregate", 1)
    assert "groups" not in data and data["organisation"]["n"] >= data["min_group_size"]


def test_aggregate_with_groups_to_a_file_round_trips(tmp_path, capsys):
    from learn_core.aggregate import read_aggregate

    out = tmp_path / "agg.json"
    assert main(["aggregate", str(SAMPLE_CSV), "--with-groups", "--out", str(out)]) == 0
    printed = json.loads(capsys.readouterr().out)
    agg = read_aggregate(out.read_bytes())
    assert printed == {"output": str(out), "format": "json", "bytes": out.stat().st_size, "groups": len(agg.groups)}
    assert main(["score", str(SAMPLE_CSV)]) == 0
    scored = json.loads(capsys.readouterr().out)
    assert [g.name for g in agg.groups] == list(scored["groups"])
    assert not {g.name for g in agg.groups} & set(scored["suppressed_groups"])
    assert all(g.n >= agg.min_group_size for g in agg.groups)


def test_score_json_has_the_benchmark_and_the_sample_s_leader_gap(capsys):
    import csv

    with SAMPLE_CSV.open(encoding="utf-8-sig", newline="") as f:
        roles = [row["Führungskraft"] for row in csv.DictReader(f, delimiter=";")]
    assert main(["score", str(SAMPLE_CSV)]) == 0
    data = json.loads(capsys.readouterr().out)
    gap = data["leader_gap"]
    assert (gap["column"], gap["leader_value"], gap["staff_value"]) == ("Führungskraft", "ja", "nein")
    # every sample row answered at least one statement per dimension: the counts are the file's
    assert {(d["leaders_n"], d["staff_n"]) for d in gap["dimensions"].values()} == {(roles.count("ja"),
                                                                                     roles.count("nein"))}
    assert data["privacy"]["groupings"] == ["Standort", "Führungskraft"]
    assert data["filter"] is None
    bench = data["benchmark"]
    assert set(bench["groups"]) == set(data["groups"]) and bench["min_groups"] == 4
    assert {b for bands in bench["groups"].values() for b in bands.values()} <= {"top", "middle", "bottom", None}


def test_score_text_names_the_gap_and_the_position(tmp_path, capsys):
    from tests.conftest import ITEM_IDS

    lines = [";".join(["Abteilung", "Führungskraft", *ITEM_IDS])]
    for d, dept in enumerate(["A", "B", "C", "D"]):
        for i in range(10):
            lines.append(";".join([dept, "ja" if i < 3 else "nein", *[str(1 + (i + j + d) % 5) for j in range(24)]]))
    path = tmp_path / "rollen.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["score", str(path), "--format", "text"]) == 0
    text = capsys.readouterr().out
    assert "Führungskräfte minus Mitarbeitende (Spalte „Führungskraft“: „ja“ gegen „nein“)" in text
    assert "n = 12 / 28" in text  # 4 × 3 leaders, 4 × 7 staff: the organisation's only
    assert text.count("Position: ") == 4


def test_score_text_in_english_with_the_own_instruments_names(capsys, tmp_path):
    """`--lang en` prints English labels and numbers, and an own instrument's
    dimension names (issue 17: "Datei", "zustimmend", "56,1" and "Motivation"
    for a dimension renamed "Antrieb")."""
    from learn_core.instrument import DATA_DIR

    own = (DATA_DIR / "instrument.toml").read_text("utf-8").replace(
        'name_de = "Motivation"\nname_en = "Motivation"', 'name_de = "Antrieb"\nname_en = "Drive"', 1)
    (tmp_path / "own.toml").write_text(own, "utf-8")
    assert main(["score", str(SAMPLE_CSV), "--format", "text", "--lang", "en",
                 "--instrument", str(tmp_path / "own.toml")]) == 0
    out = capsys.readouterr().out
    assert "File:" in out and "LEARN index:" in out and "favourable" in out and "Recommendations:" in out
    assert "  Drive " in out and "  Motivation " not in out
    for german in ("Datei", "Zeilen gelesen", "zustimmend", "Vertrauensbereich", "Gruppen:", "Ausgeblendet"):
        assert german not in out, german
    assert re.search(r"\b\d+\.\d\b", out) and not re.search(r"\b\d+,\d\b", out)  # 56.1, not 56,1
    assert main(["score", str(SAMPLE_CSV), "--format", "text", "--instrument", str(tmp_path / "own.toml")]) == 0
    assert "  Antrieb " in capsys.readouterr().out


def test_score_with_a_filter_gives_the_site_s_figures(capsys):
    import csv

    with SAMPLE_CSV.open(encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter=";") if r["Standort"] == "Technisches Rathaus"]
    assert main(["score", str(SAMPLE_CSV), "--filter", "Standort=Technisches Rathaus"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["filter"] == {"column": "Standort", "value": "Technisches Rathaus"}
    assert data["respondents"] == len(rows) == 68
    assert {name: g["n"] for name, g in data["groups"].items()} == {
        d: sum(r["Abteilung"] == d for r in rows) for d in ("Bauamt", "IT und Digitalisierung", "Ordnungsamt")}
    assert data["leader_gap"] is None and data["comments"]["reason"] == "filtered"


@pytest.mark.parametrize(("value", "says"), [("Standort", "die Form SPALTE=WERT"),
                                              ("Standort=Mond", "Den Wert „Mond“ gibt es"),
                                              ("Abteilung=Bauamt", "keine weitere Merkmalsspalte")])
def test_a_bad_filter_is_one_sentence_and_exit_2(value, says, capsys):
    assert main(["score", str(SAMPLE_CSV), "--filter", value]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err


def test_the_report_says_its_filter(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "bericht.xlsx"
    assert main(["report", str(SAMPLE_CSV), "--filter", "Standort=Rathaus", "-o", str(out)]) == 0
    ws = load_workbook(out).worksheets[0]
    facts = {r[0]: r[1] for r in ws.iter_rows(min_row=3, max_col=2, values_only=True) if r[0]}
    assert facts["Auswahl"] == "nur „Standort: Rathaus“ (die Abteilungen: ihr Teil davon)"
    assert facts["Antwortende"] == 85


def test_the_filtered_pdf_names_the_selection_not_the_whole_administration(tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "bericht.pdf"
    assert main(["report", str(SAMPLE_CSV), "--filter", "Standort=Rathaus", "-o", str(out)]) == 0
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert "Die vier Dimensionen der Auswahl „Standort: Rathaus“" in text
    assert "Abstand zur Auswahl „Standort: Rathaus“" in text
    assert "in der Auswahl „Standort: Rathaus“" in text
    assert "gesamten Verwaltung" not in text


@pytest.mark.parametrize(("given", "expected"), [(None, "1"), ("2", "2")])
def test_the_command_line_runs_numpy_with_one_blas_thread_unless_the_caller_says_otherwise(given, expected):
    """OpenBLAS's idle threads spin: one thread for the small matrices of the
    command line, set before numpy loads; a caller's own value stays."""
    import os

    code = ("import os, runpy, sys\n"
            "sys.argv = ['learn_core', 'instrument']\n"
            "try:\n"
            "    runpy.run_module('learn_core', run_name='__main__')\n"
            "except SystemExit:\n"
            "    pass\n"
            "print(os.environ['OPENBLAS_NUM_THREADS'])\n")
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    assert out.stdout.splitlines()[-1] == expected
