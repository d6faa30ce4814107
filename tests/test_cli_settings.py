"""The command line and the settings registry: ``settings``, the floor of k."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from learn_core.cli import main

SAMPLE = "sample_data/beispielstadt.csv"


def test_settings_prints_what_the_process_reads_without_passwords(monkeypatch, capsys):
    monkeypatch.setenv("LEARN_DATABASE_URL", "postgresql+psycopg://learn:geheim@db:5432/learn")
    monkeypatch.setenv("LEARN_LOCKED", "LEARN_PUBLIC_URL")
    assert main(["settings"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["settings"]["LEARN_DATABASE_URL"] == "postgresql+psycopg://learn:***@db:5432/learn"
    assert out["locked"] == ["LEARN_PUBLIC_URL"] and out["settings"]["LEARN_MIN_GROUP_SIZE"] == 5


def test_a_bad_setting_ends_every_command_with_one_sentence(monkeypatch, capsys):
    monkeypatch.setenv("LEARN_UPLOADS", "vielleicht")
    assert main(["instrument"]) == 2
    assert capsys.readouterr().err.startswith("Fehler: Die Einstellung LEARN_UPLOADS muss ja oder nein sein")


@pytest.mark.parametrize(("env", "args", "k"), [
    ({}, [], 5),
    ({"LEARN_MIN_GROUP_SIZE": "8"}, [], 8),
    ({"LEARN_MIN_GROUP_SIZE_FLOOR": "7"}, [], 7),  # the default below the floor: the floor
    ({"LEARN_MIN_GROUP_SIZE_FLOOR": "7"}, ["--min-group-size", "9"], 9),
])  # fmt: skip
def test_score_takes_k_from_the_settings(monkeypatch, capsys, env, args, k):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["score", SAMPLE, *args]) == 0
    assert json.loads(capsys.readouterr().out)["min_group_size"] == k


def test_score_refuses_k_below_the_floor(monkeypatch, capsys):
    monkeypatch.setenv("LEARN_MIN_GROUP_SIZE_FLOOR", "7")
    assert main(["score", SAMPLE, "--min-group-size", "5"]) == 2
    assert "Die Mindestgruppengröße muss mindestens 7 betragen (angegeben: 5" in capsys.readouterr().err


def test_purge_deletes_what_the_retention_period_says(monkeypatch, capsys, tmp_path):
    from datetime import UTC, datetime, timedelta

    import sqlalchemy as sa

    from learn_core.workshop import WorkshopStore

    monkeypatch.setenv("LEARN_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LEARN_DATABASE_URL", raising=False)
    with WorkshopStore(data_dir=tmp_path) as store:
        old, new = store.create_workshop("alt"), store.create_workshop("neu")
        store.close_workshop(old.code, old.admin_key)
        store.close_workshop(new.code, new.admin_key)
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'workshops.sqlite3'}")
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE workshops SET created_at = :t WHERE code = :c"),
                     {"t": datetime.now(UTC) - timedelta(days=10), "c": old.code})
    engine.dispose()
    assert main(["purge"]) == 2  # no period set
    assert "Keine Aufbewahrungsfrist eingestellt" in capsys.readouterr().err
    monkeypatch.setenv("LEARN_RETENTION_DAYS", "30")
    assert main(["purge"]) == 0 and json.loads(capsys.readouterr().out) == {"days": 30, "deleted": 0}
    assert main(["purge", "--days", "7"]) == 0 and json.loads(capsys.readouterr().out) == {"days": 7, "deleted": 1}
    with WorkshopStore(data_dir=tmp_path) as store:
        assert store.workshop(new.code).title == "neu"


@pytest.mark.parametrize(("url", "lang", "line"), [
    ("mysql://learn@db/learn", "en", "Error: The database “mysql” is not supported (only SQLite and PostgreSQL)."),
    ("sqlite:///:memory:", "de", "Fehler: Der Workshop-Speicher braucht eine SQLite-Datei, keine In-Memory-Datenbank."),
])  # fmt: skip
def test_purge_says_what_is_wrong_with_the_store(monkeypatch, capsys, url, lang, line):
    monkeypatch.setenv("LEARN_DATABASE_URL", url)
    monkeypatch.setenv("LEARN_RETENTION_DAYS", "30")
    assert main(["purge", "--lang", lang]) == 2
    assert capsys.readouterr().err.strip() == line


def test_a_bad_setting_in_english_has_no_german(monkeypatch, capsys):
    monkeypatch.setenv("LEARN_PARSER_TIMEOUT_SECONDS", "0")
    assert main(["score", "--lang", "en", SAMPLE]) == 2
    assert capsys.readouterr().err == ("Error: The setting LEARN_PARSER_TIMEOUT_SECONDS must be a number from 0.001 "
                                       "to 86,400 (given in the environment: '0').\n")


def test_a_bad_setting_in_english_from_python_m_learn_core(tmp_path):
    """End to end: a new process, its environment and its stderr."""
    root = Path(__file__).resolve().parent.parent
    config = tmp_path / "learn.toml"
    config.write_text("[settings]\nLEARN_UPLOADS = 'vielleicht'\n", "utf-8")
    env = {**os.environ, "LEARN_CONFIG_FILE": str(config)}
    out = subprocess.run([sys.executable, "-m", "learn_core", "score", "--lang", "en", SAMPLE], cwd=root, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr == (f"Error: The setting LEARN_UPLOADS must be yes or no (1/0, true/false, on/off) "
                          f"(given in {config}: 'vielleicht').\n")
    assert not any(w in out.stderr for w in ("Fehler", "Einstellung", " muss ", "angegeben", "ä", "ö", "ü", "„"))
