"""The command line's help follows --lang: German by default, English with ``--lang en``."""

from __future__ import annotations

import argparse
import re
import tomllib
from pathlib import Path

import pytest

import learn_core.cli as cli
from learn_core.cli import argv_lang, build_parser, main
from learn_core.i18n import texts

SETTINGS_TOML = Path(cli.__file__).parent / "data" / "settings.toml"
GERMAN = ("Datei", "Spalte", "Mindestgruppengröße", "Standard", " und ", " oder ", " der ", " die ", "ä", "ö", "ü", "ß")
COMMANDS = ("settings", "purge", "instrument", "score", "compare", "report", "aggregate", "template")


def _help(capsys, monkeypatch, *argv: str) -> str:
    monkeypatch.setenv("COLUMNS", "400")  # one help a line: exact sentences, no wrapping
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    assert exit_.value.code == 0
    return capsys.readouterr().out


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices[name]


def _option_help(parser: argparse.ArgumentParser, option: str) -> str | None:
    return next(a.help for a in parser._actions if option in a.option_strings or a.dest == option)


def _setting_text(name: str, lang: str) -> str:
    with open(SETTINGS_TOML, "rb") as fh:
        return next(s[lang] for s in tomllib.load(fh)["setting"] if s["name"] == name)


@pytest.mark.parametrize(("argv", "lang"), [
    ([], "de"),
    (["score", "x.csv"], "de"),
    (["score", "--lang", "en", "--help"], "en"),
    (["score", "--lang=en", "--help"], "en"),
    (["--lang", "en", "score"], "en"),
    (["score", "--lang", "en", "--lang", "de"], "de"),  # the last one, as argparse takes it
    (["score", "--lang", "fr"], "de"),  # argparse refuses it, in German
    (["score", "--lang"], "de"),
    (["score", "--", "--lang", "en"], "de"),  # after -- it is a file name
])  # fmt: skip
def test_the_language_is_read_from_argv_before_parsing(argv, lang):
    assert argv_lang(argv) == lang


def test_score_help_in_english(capsys, monkeypatch):
    out = _help(capsys, monkeypatch, "score", "--lang", "en", "--help")
    assert "--group-column NAME   column with the department\n" in out
    assert "--min-group-size K    minimum group size (default: LEARN_MIN_GROUP_SIZE, else 5)\n" in out
    assert "[--filter COLUMN=VALUE]" in out and "FILE" in out and "usage:" in out
    assert not [w for w in GERMAN if w in out], out


def test_score_help_stays_german_by_default(capsys, monkeypatch):
    out = _help(capsys, monkeypatch, "score", "--help")
    assert "--group-column NAME   Spalte mit der Abteilung\n" in out
    assert "--min-group-size K    Mindestgruppengröße (Standard: LEARN_MIN_GROUP_SIZE, sonst 5)\n" in out
    assert "[--filter SPALTE=WERT]" in out and "DATEI" in out


def test_the_german_parser_keeps_its_wording():
    parser = build_parser()
    assert parser.description == "LEARN-Selbstcheck auswerten (Kaizen für Kommunen)."
    score = _subparser(parser, "score")
    assert _option_help(score, "file") == "Excel- oder CSV-Datei mit den Antworten"
    assert _option_help(score, "--answer-map") == (
        'JSON-Datei, die Antworttexte den Werten 1–5 zuordnet (0: keine Angabe), z. B. {"Somewhat agree": 4}')
    instrument = _subparser(parser, "instrument")
    assert _option_help(instrument, "--instrument-version") == (
        "eingebaute Fragebogen-Version: 1.0, 2.0 (Standard: 2.0)")
    assert _option_help(_subparser(parser, "purge"), "--days") == "Frist in Tagen (Standard: LEARN_RETENTION_DAYS)"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_helps_in_english(capsys, monkeypatch, command):
    out = _help(capsys, monkeypatch, command, "--lang", "en", "--help")
    assert f"python -m learn_core {command}" in out
    assert "language of the output, the error messages and this help" in out
    assert not [w for w in GERMAN if w in out], out


def test_the_commands_tested_are_the_parsers():
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert tuple(sub.choices) == COMMANDS


def test_the_main_help_in_english_before_and_after_the_options(capsys, monkeypatch):
    for argv in (["--lang", "en", "--help"], ["--help", "--lang=en"]):
        out = _help(capsys, monkeypatch, *argv)
        assert "Evaluate the LEARN self-check (Kaizen for municipalities)." in out
        assert "score         analyse a survey file\n" in out and "COMMAND" in out
        assert not [w for w in GERMAN if w in out], out


def test_a_lang_before_the_subcommand_holds_for_it(capsys):
    assert main(["--lang", "en", "instrument"]) == 0
    assert capsys.readouterr().out.startswith("LEARN self-check 2.0\n")
    assert main(["--lang", "en", "instrument", "--lang", "de"]) == 0
    assert capsys.readouterr().out.startswith("LEARN-Selbstcheck 2.0\n")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_settings_text_prints_each_settings_text_in_the_language(capsys, monkeypatch, lang):
    monkeypatch.setenv("LEARN_LOCKED", "LEARN_PUBLIC_URL")
    assert main(["settings", "--format", "text", *(["--lang", "en"] if lang == "en" else [])]) == 0
    lines = capsys.readouterr().out.splitlines()
    k_line = next(line for line in lines if line.startswith("LEARN_MIN_GROUP_SIZE = "))
    assert k_line == f"LEARN_MIN_GROUP_SIZE = 5  – {_setting_text('LEARN_MIN_GROUP_SIZE', lang)}"
    url_line = next(line for line in lines if line.startswith("LEARN_PUBLIC_URL = "))
    assert url_line.startswith("LEARN_PUBLIC_URL = '' (locked)  – " if lang == "en"
                               else "LEARN_PUBLIC_URL = '' (gesperrt)  – ")


@pytest.mark.parametrize(("lang", "start"), [
    ("en", "Error: The setting LEARN_UPLOADS must be yes or no"),
    ("de", "Fehler: Die Einstellung LEARN_UPLOADS muss ja oder nein sein"),
])  # fmt: skip
def test_a_bad_setting_in_settings_follows_the_language(capsys, monkeypatch, lang, start):
    monkeypatch.setenv("LEARN_UPLOADS", "vielleicht")
    assert main(["settings", "--format", "text", "--lang", lang]) == 2
    assert capsys.readouterr().err.startswith(start)


def test_every_cli_help_text_is_used(capsys, monkeypatch):
    used: set[str] = set()

    def recording(key: str, lang: str = "de", **values: object) -> str:
        used.add(key)
        return real(key, lang, **values)

    real = cli.t
    monkeypatch.setattr(cli, "t", recording)
    monkeypatch.setenv("LEARN_LOCKED", "LEARN_PUBLIC_URL")
    build_parser("en")
    assert main(["settings", "--format", "text"]) == 0
    capsys.readouterr()
    declared = {key for key in texts() if key.startswith("cli_help.")}
    assert declared - used == set()
    assert {key for key in used if key.startswith("cli_help.")} <= declared


def test_the_cli_help_texts_have_the_same_placeholders_in_both_languages():
    for key, text in texts().items():
        if key.startswith("cli_help."):
            assert set(re.findall(r"{(\w+)}", text["de"])) == set(re.findall(r"{(\w+)}", text["en"])), key


@pytest.mark.parametrize(("lang", "scale", "flag"), [("en", "Scale: 1 = ", "M8 (reverse-keyed): "),
                                                      ("de", "Skala: 1 = ", "M8 (umgepolt): ")])
def test_the_instrument_as_text_follows_the_language(capsys, lang, scale, flag):
    assert main(["instrument", "--format", "text", "--instrument-version", "2.0", "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1].startswith(scale) and f"  {flag}" in out
    if lang == "en":
        assert "Skala" not in out and "umgepolt" not in out
