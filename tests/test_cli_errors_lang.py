"""The command line prints its errors in the language of --lang."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from learn_core.cli import main

SAMPLE = Path(__file__).parents[1] / "sample_data" / "beispielstadt.csv"
GERMAN = ("Fehler", "Datei", " ist ", " und ", " nicht ", "ä", "ö", "ü", "ß", "„")


def _err(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


def test_an_empty_csv_in_english_has_no_german(tmp_path, capsys):
    path = tmp_path / "leer.csv"
    path.write_bytes(b"")
    code, err = _err(capsys, "score", "--lang", "en", str(path))
    assert code == 2 and err == "Error: The file is empty.\n"


def test_an_empty_csv_in_german_is_the_german_sentence(tmp_path, capsys):
    path = tmp_path / "leer.csv"
    path.write_bytes(b"")
    code, err = _err(capsys, "score", str(path))
    assert code == 2 and err == "Fehler: Die Datei ist leer.\n"


def test_a_table_without_items_names_its_columns_in_english(tmp_path, capsys):
    path = tmp_path / "ohne.csv"
    path.write_text("ID;Abteilung;Foo\n1;A;x\n2;B;y\n", encoding="utf-8")
    code, err = _err(capsys, "score", "--lang", "en", str(path))
    assert code == 2
    assert err.startswith("Error: The table has no column with answers to the LEARN questionnaire")
    assert err.rstrip().endswith("it has the columns “ID”, “Abteilung”, “Foo”.")
    assert not any(w in err.replace("Abteilung", "") for w in GERMAN), err


def test_compare_names_the_file_and_renders_its_error_in_english(tmp_path, capsys):
    bad = tmp_path / "leer.csv"
    bad.write_bytes(b"  \n")
    code, err = _err(capsys, "compare", "--lang", "en", str(bad), str(bad))
    assert code == 2 and err == "Error: leer.csv: The file is empty.\n"


@pytest.mark.parametrize("lang, expected", [
    ("en", "Error: The filter needs the form COLUMN=VALUE, e.g. Site=Town hall (given: x).\n"),
    ("de", "Fehler: Der Filter braucht die Form SPALTE=WERT, z. B. Standort=Rathaus (angegeben: x).\n"),
])
def test_the_cli_own_usage_errors_follow_the_language(capsys, lang, expected):
    assert _err(capsys, "score", "--lang", lang, "--filter", "x", str(SAMPLE)) == (2, expected)


def test_a_missing_output_folder_is_said_in_english(tmp_path, capsys):
    code, err = _err(capsys, "template", "--lang", "en", str(tmp_path / "nope" / "v.xlsx"))
    assert code == 2
    assert err == f"Error: The file {tmp_path / 'nope' / 'v.xlsx'} cannot be written (the folder does not exist).\n"


def test_python_dash_m_score_in_english(tmp_path):
    path = tmp_path / "leer.csv"
    path.write_bytes(b"")
    run = subprocess.run([sys.executable, "-m", "learn_core", "score", "--lang", "en", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and run.stderr == "Error: The file is empty.\n"


def _bad_instrument(tmp_path: Path) -> Path:
    """The built-in 2.0 file with its first statement given a dimension that does not exist."""
    from learn_core.instrument import DATA_DIR

    text = (DATA_DIR / "instrument_v2.toml").read_text("utf-8")
    assert 'dimension = "motivation"' in text  # the replacement below must hit
    path = tmp_path / "eigen.toml"
    path.write_text(text.replace('dimension = "motivation"', 'dimension = "spass"', 1), "utf-8")
    return path


@pytest.mark.parametrize("lang, expected", [
    ("en", "Error: Field “items[0].dimension”: “spass” is none of the dimensions "
           "motivation, fuehrung, kompetenz, lernerfolg.\n"),
    ("de", "Fehler: Feld „items[0].dimension“: „spass“ ist keine der Dimensionen "
           "motivation, fuehrung, kompetenz, lernerfolg.\n"),
])
def test_a_broken_own_instrument_is_said_in_the_language(tmp_path, capsys, lang, expected):
    code, err = _err(capsys, "score", "--lang", lang, "--instrument", str(_bad_instrument(tmp_path)), str(SAMPLE))
    assert (code, err) == (2, expected)
    if lang == "en":
        assert not any(w in err for w in (*GERMAN, "Die ", " der ", "Feld", "keine")), err


def test_python_dash_m_with_an_own_instrument_not_in_utf8(tmp_path):
    path = tmp_path / "eigen.toml"
    path.write_bytes('name_de = "Gr\xfc\xdfe"'.encode("latin-1"))  # was an internal error (UnicodeDecodeError)
    run = subprocess.run([sys.executable, "-m", "learn_core", "instrument", "--lang", "en", "--instrument", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert (run.returncode, run.stderr) == (2, f"Error: The instrument file “{path}” is not saved as UTF-8.\n")


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Error: The headcount of “Bauamt” must lie between 1 and 1,000,000.\n"),
    ("de", "Fehler: Die Kopfzahl von „Bauamt“ muss zwischen 1 und 1.000.000 liegen.\n"),
])
def test_a_bad_headcount_file_follows_the_language_with_its_number_format(tmp_path, capsys, lang, expected):
    bad = tmp_path / "kopfzahlen.csv"
    bad.write_text("Abteilung;Kopfzahl\nBauamt;2000000\n", "utf-8")
    assert _err(capsys, "score", "--lang", lang, "--headcounts", str(bad), str(SAMPLE)) == (2, expected)


@pytest.mark.parametrize("lang, argv, expected", [
    ("en", ("score", "--filter", "Standort=Mond", str(SAMPLE)), "Error: The column “Standort” has no value “Mond”.\n"),
    ("de", ("score", "--filter", "Standort=Mond", str(SAMPLE)),
     "Fehler: Den Wert „Mond“ gibt es in der Spalte „Standort“ nicht.\n"),
    ("en", ("compare", "--labels", "A,A", str(SAMPLE), str(SAMPLE)),
     "Error: Two waves have the same name; please give unique names.\n"),
    ("de", ("compare", "--labels", "A,A", str(SAMPLE), str(SAMPLE)),
     "Fehler: Zwei Wellen haben denselben Namen; bitte eindeutige Namen vergeben.\n"),
])
def test_the_analysis_refusals_follow_the_language(capsys, lang, argv, expected):
    assert _err(capsys, argv[0], "--lang", lang, *argv[1:]) == (2, expected)


def test_the_notes_of_score_follow_the_language(capsys):
    code = main(["score", "--format", "text", "--lang", "en", str(SAMPLE)])
    notes = capsys.readouterr().out.split("\nNotes:\n")[1].splitlines()
    assert code == 0 and notes == [
        "  [info] Columns not analysed: “Lfd. Nr.”, “Standort”, “Führungskraft”, “Anmerkungen”.",
        "  [info] Abteilung: 2 groups hidden (fewer than 5 responses, or to protect small groups): Kultur und "
        "Bildung, Stabsstelle Gleichstellung."]
    main(["score", "--format", "text", "--lang", "de", str(SAMPLE)])
    assert "  [info] Nicht ausgewertete Spalten: „Lfd. Nr.“, „Standort“, „Führungskraft“, „Anmerkungen“." in (
        capsys.readouterr().out.split("\nHinweise:\n")[1].splitlines())


def test_a_single_hidden_group_is_one_group(tmp_path, capsys):
    import json

    lines = ["Abteilung;" + ";".join(f"{d}{i}" for d in "MFKL" for i in range(1, 7))]
    lines += ["Amt A;" + ";".join(["4"] * 24)] * 3
    path = tmp_path / "klein.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    main(["score", "--format", "json", "--group-column", "Abteilung", str(path)])
    problems = {p["column"]: p for p in json.loads(capsys.readouterr().out)["problems"]}
    assert problems[None]["message_en"] == ("Too few answers: 3 people answered; an analysis needs at least 5 "
                                            "(minimum group size).")
    assert problems["Abteilung"]["message"] == ("1 Gruppe ausgeblendet (weniger als 5 Antworten oder zum Schutz "
                                                "kleiner Gruppen): Amt A.")
    assert problems["Abteilung"]["message_en"].startswith("1 group hidden (fewer than 5 responses")


def test_a_hidden_dimension_says_why_in_the_language(tmp_path, capsys):
    ids = [f"{d}{i}" for d in "MFKL" for i in range(1, 7)]
    rows = [";".join("" if i.startswith("F") and n >= 3 else "4" for i in ids) for n in range(6)]  # Führung: 3 answers
    path = tmp_path / "drei.csv"
    path.write_text(";".join(ids) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    main(["score", "--format", "text", "--lang", "en", str(path)])
    (line,) = [x for x in capsys.readouterr().out.splitlines() if x.lstrip().startswith("Leadership")]
    assert line.split(None, 1)[1] == "hidden (fewer than 5 responses)"
    main(["score", "--format", "text", str(path)])
    (line,) = [x for x in capsys.readouterr().out.splitlines() if x.lstrip().startswith("Führung")]
    assert line.split(None, 1)[1] == "verborgen (weniger als 5 Antworten)"


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Error: The action plan {path} cannot be read (that is a folder).\n"),
    ("de", "Fehler: Der Maßnahmenplan {path} kann nicht gelesen werden (das ist ein Ordner).\n"),
])
def test_a_folder_given_as_the_plan_is_called_a_folder(tmp_path, capsys, lang, expected):
    folder = tmp_path / "plan"
    folder.mkdir()
    code, err = _err(capsys, "report", "--lang", lang, "--plan", str(folder), "-o", str(tmp_path / "x.pdf"),
                     str(SAMPLE))
    assert (code, err) == (2, expected.format(path=folder))  # it said "read error" before
