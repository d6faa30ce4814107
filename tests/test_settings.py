"""The settings registry (learn_core/settings.py, data/settings.toml):
types, bounds, the configuration file, locks, and the README's table."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from learn_core.errors import Phrase
from learn_core.settings import Setting, SettingError, read_settings, registry

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_without_any_setting():
    s = read_settings({})
    assert s["LEARN_MIN_GROUP_SIZE"] == 5 and s["LEARN_MIN_GROUP_SIZE_FLOOR"] == 3
    assert s["LEARN_UPLOADS"] is True and s["LEARN_WORKSHOPS"] is True and s["LEARN_AUTH"] == "off"
    assert s["LEARN_DATA_DIR"] == "data" and s["LEARN_PUBLIC_URL"] == "" and s.locked == frozenset()
    assert set(s.values) == set(registry())


@pytest.mark.parametrize(("name", "raw", "value"), [
    ("LEARN_MIN_GROUP_SIZE", "3", 3), ("LEARN_MIN_GROUP_SIZE", " 50 ", 50), ("LEARN_MIN_GROUP_SIZE", "7.0", 7),
    ("LEARN_PARSER_TIMEOUT_SECONDS", "2.5", 2.5), ("LEARN_UPLOADS", "0", False), ("LEARN_UPLOADS", "Off", False),
    ("LEARN_WORKSHOPS", "nein", False), ("LEARN_DEBUG", "1", True), ("LEARN_AUTH", "oidc", "oidc"),
    ("LEARN_PUBLIC_URL", "https://learn.stadt.de/", "https://learn.stadt.de"), ("LEARN_DATA_DIR", "", "data"),
])  # fmt: skip
def test_values_from_the_environment(name, raw, value):
    assert read_settings({name: raw})[name] == value


@pytest.mark.parametrize(("name", "raw", "message"), [
    ("LEARN_MIN_GROUP_SIZE", "2", "LEARN_MIN_GROUP_SIZE muss eine ganze Zahl von 3 bis 50 sein (angegeben in der Umgebung: '2')"),
    ("LEARN_MIN_GROUP_SIZE", "51", "von 3 bis 50"),
    ("LEARN_MIN_GROUP_SIZE", "5.5", "ganze Zahl"),
    ("LEARN_MIN_GROUP_SIZE_FLOOR", "fünf", "ganze Zahl von 3 bis 50"),
    ("LEARN_PARSER_WORKERS", "nan", "Zahl von 1 bis 64"),
    ("LEARN_UPLOADS", "vielleicht", "muss ja oder nein sein"),
    ("LEARN_AUTH", "saml", "muss eines von off, oidc sein"),
    ("LEARN_PUBLIC_URL", "learn.stadt.de", "Adresse mit http:// oder https://"),
    ("LEARN_IMPRINT_URL", "javascript:alert(1)", "Adresse mit http:// oder https://"),
    ("LEARN_LOCKED", "LEARN_DATA_DIR", "LEARN_DATA_DIR kann nicht gesperrt werden"),
    ("LEARN_LOCKED", "LEARN_NOPE", "LEARN_NOPE kann nicht gesperrt werden"),
])  # fmt: skip
def test_a_bad_value_is_one_german_sentence(name, raw, message):
    with pytest.raises(SettingError, match=re.escape(message)):
        read_settings({name: raw})



@pytest.mark.parametrize(("env", "code", "de", "en"), [
    ({"LEARN_PARSER_TIMEOUT_SECONDS": "0"}, "errors.settings.bad_value",
     "Die Einstellung LEARN_PARSER_TIMEOUT_SECONDS muss eine Zahl von 0,001 bis 86.400 sein "
     "(angegeben in der Umgebung: '0').",
     "The setting LEARN_PARSER_TIMEOUT_SECONDS must be a number from 0.001 to 86,400 (given in the environment: '0')."),
    ({"LEARN_MIN_GROUP_SIZE": "2"}, "errors.settings.bad_value",
     "Die Einstellung LEARN_MIN_GROUP_SIZE muss eine ganze Zahl von 3 bis 50 sein (angegeben in der Umgebung: '2').",
     "The setting LEARN_MIN_GROUP_SIZE must be a whole number from 3 to 50 (given in the environment: '2')."),
    ({"LEARN_UPLOADS": "vielleicht"}, "errors.settings.bad_value",
     "Die Einstellung LEARN_UPLOADS muss ja oder nein sein (1/0, true/false, on/off) "
     "(angegeben in der Umgebung: 'vielleicht').",
     "The setting LEARN_UPLOADS must be yes or no (1/0, true/false, on/off) (given in the environment: 'vielleicht')."),
    ({"LEARN_AUTH": "saml"}, "errors.settings.bad_value",
     "Die Einstellung LEARN_AUTH muss eines von off, oidc sein (angegeben in der Umgebung: 'saml').",
     "The setting LEARN_AUTH must be one of off, oidc (given in the environment: 'saml')."),
    ({"LEARN_PUBLIC_URL": "learn.stadt.de"}, "errors.settings.bad_value",
     "Die Einstellung LEARN_PUBLIC_URL muss eine Adresse mit http:// oder https:// sein "
     "(angegeben in der Umgebung: 'learn.stadt.de').",
     "The setting LEARN_PUBLIC_URL must be an address with http:// or https:// "
     "(given in the environment: 'learn.stadt.de')."),
    ({"LEARN_LOCKED": "LEARN_NOPE"}, "errors.settings.not_lockable",
     "Die Einstellung LEARN_NOPE kann nicht gesperrt werden (sperren lassen sich: LEARN_MIN_GROUP_SIZE, "
     "LEARN_PUBLIC_URL).",
     "The setting LEARN_NOPE cannot be locked (these can be locked: LEARN_MIN_GROUP_SIZE, LEARN_PUBLIC_URL)."),
])  # fmt: skip
def test_a_bad_value_has_its_code_and_both_languages(env, code, de, en):
    with pytest.raises(SettingError) as info:
        read_settings(env)
    assert info.value.code == code
    assert (str(info.value), info.value.message("de"), info.value.message("en")) == (de, de, en)


def test_bounds_are_numbers_in_the_language_and_the_default_is_named():
    s = Setting(name="LEARN_X", type="number", default=1.0, de="x", en="x", min=0.25, max=2000)
    with pytest.raises(SettingError) as info:
        s.convert(0.1, Phrase("errors.settings.origin_default"))
    assert info.value.message("de") == "Die Einstellung LEARN_X muss eine Zahl von 0,25 bis 2.000 sein (angegeben als Vorgabe: 0.1)."
    assert info.value.message("en") == "The setting LEARN_X must be a number from 0.25 to 2,000 (given as the default: 0.1)."

@pytest.mark.parametrize(("k", "floor", "locked", "default", "allowed"), [
    # the user's k, the floor, locked?, the default k, the k the user gets
    (3, 3, False, 5, 3), (4, 5, False, 5, 5), (5, 5, False, 5, 5), (9, 5, False, 5, 9),
    (3, 7, False, 7, 7),  # default 5 below the floor 7: the default is the floor
    (9, 5, True, 6, 6), (3, 5, True, 6, 6),  # locked: always the administrator's k
])  # fmt: skip
def test_k_never_below_the_floor_and_fixed_when_locked(k, floor, locked, default, allowed):
    env = {"LEARN_MIN_GROUP_SIZE_FLOOR": str(floor)}
    if locked:
        env |= {"LEARN_MIN_GROUP_SIZE": "6", "LEARN_LOCKED": "LEARN_MIN_GROUP_SIZE"}
    s = read_settings(env)
    assert (s.min_group_size, s.allowed_k(k)) == (default, allowed)


def test_the_configuration_file_with_locks_and_the_environment_first(tmp_path):
    path = tmp_path / "learn.toml"
    path.write_text('locked = ["LEARN_PUBLIC_URL"]\n[settings]\nLEARN_MIN_GROUP_SIZE_FLOOR = 6\n'
                    'LEARN_UPLOADS = false\nLEARN_PUBLIC_URL = "https://learn.stadt.de"\n', "utf-8")
    s = read_settings({"LEARN_CONFIG_FILE": str(path), "LEARN_UPLOADS": "1"})
    assert (s.k_floor, s["LEARN_UPLOADS"], s["LEARN_PUBLIC_URL"]) == (6, True, "https://learn.stadt.de")
    assert s.is_locked("LEARN_PUBLIC_URL") and not s.is_locked("LEARN_MIN_GROUP_SIZE")


@pytest.mark.parametrize(("text", "message"), [
    ("[settings]\nLEARN_MIN_GROUP_SIZE_FLOOR = 2\n", "(angegeben in {path}: 2)"),
    ("[settings]\nLEARN_UPLOADS = 'vielleicht'\n", "LEARN_UPLOADS muss ja oder nein sein"),
    ("[settings]\nLEARN_K = 5\n", "nennt die unbekannte Einstellung LEARN_K"),
    ("[settings]\nLEARN_CONFIG_FILE = 'x'\n", "nennt die unbekannte Einstellung LEARN_CONFIG_FILE"),
    ("[server]\nport = 1\n", "darf nur eine Tabelle [settings] und eine Liste locked enthalten"),
    ("locked = ['LEARN_DEBUG']\n", "LEARN_DEBUG kann nicht gesperrt werden"),
    ("[settings\n", "ist kein gültiges TOML"),
])  # fmt: skip
def test_a_bad_configuration_file_is_one_german_sentence(tmp_path, text, message):
    path = tmp_path / "learn.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(SettingError, match=re.escape(message.format(path=path))):
        read_settings({"LEARN_CONFIG_FILE": str(path)})



@pytest.mark.parametrize(("text", "code", "de", "en"), [
    ("[settings]\nLEARN_DATA_DIR = 5\n", "errors.settings.bad_value",
     "Die Einstellung LEARN_DATA_DIR muss ein Text sein (angegeben in {path}: 5).",
     "The setting LEARN_DATA_DIR must be a text (given in {path}: 5)."),
    ("[settings]\nLEARN_K = 5\n", "errors.settings.unknown_setting",
     "Die Konfigurationsdatei {path} nennt die unbekannte Einstellung LEARN_K.",
     "The configuration file {path} names the unknown setting LEARN_K."),
    ("[server]\nport = 1\n", "errors.settings.file_shape",
     "Die Konfigurationsdatei {path} darf nur eine Tabelle [settings] und eine Liste locked enthalten.",
     "The configuration file {path} may only contain a table [settings] and a list locked."),
    ("[settings\n", "errors.settings.not_toml",
     "Die Konfigurationsdatei {path} ist kein gültiges TOML (",
     "The configuration file {path} is not valid TOML ("),
])  # fmt: skip
def test_a_bad_configuration_file_has_its_code_and_both_languages(tmp_path, text, code, de, en):
    path = tmp_path / "learn.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(SettingError) as info:
        read_settings({"LEARN_CONFIG_FILE": str(path)})
    assert info.value.code == code
    assert info.value.message("de").startswith(de.format(path=path))
    assert info.value.message("en").startswith(en.format(path=path))


def test_a_missing_configuration_file_in_english():
    with pytest.raises(SettingError) as info:
        read_settings({"LEARN_CONFIG_FILE": "/nicht/da.toml"})
    assert info.value.code == "errors.settings.unreadable_file"
    assert info.value.message("en") == "The configuration file /nicht/da.toml cannot be read (the file does not exist)."
    # the reason in the sentence's language, not the system's English strerror as before
    assert info.value.message("de") == ("Die Konfigurationsdatei /nicht/da.toml kann nicht gelesen werden "
                                        "(die Datei gibt es nicht).")


def test_a_broken_configuration_file_names_the_place_or_the_encoding(tmp_path):
    path = tmp_path / "learn.toml"
    path.write_text("[settings\n", "utf-8")
    with pytest.raises(SettingError) as info:
        read_settings({"LEARN_CONFIG_FILE": str(path)})
    assert info.value.message("de").endswith("ist kein gültiges TOML (Zeile 1, Spalte 10).")
    assert info.value.message("en").endswith("is not valid TOML (line 1, column 10).")
    path.write_bytes('[settings]\nLEARN_IMPRINT_URL = "\xe4"\n'.encode("latin-1"))
    with pytest.raises(SettingError) as info:
        read_settings({"LEARN_CONFIG_FILE": str(path)})
    assert info.value.message("en").endswith("is not valid TOML (not saved as UTF-8).")

def test_a_missing_configuration_file():
    with pytest.raises(SettingError, match="Die Konfigurationsdatei /nicht/da.toml kann nicht gelesen werden"):
        read_settings({"LEARN_CONFIG_FILE": "/nicht/da.toml"})


def test_load_reads_the_process_environment(monkeypatch):
    monkeypatch.setenv("LEARN_MIN_GROUP_SIZE_FLOOR", "8")
    assert read_settings().k_floor == 8 and read_settings(os.environ).k_floor == 8


def test_every_declaration_has_both_languages_and_sane_bounds():
    for s in registry().values():
        assert s.name.startswith("LEARN_") and s.de.strip() and s.en.strip(), s.name
        assert s.help("en") == s.en and s.help("de") == s.de
        if s.type in ("int", "number"):
            assert s.min is not None and s.max is not None and s.min <= s.default <= s.max, s.name
        assert s.type == "choice" or not s.choices, s.name


def _readme_settings() -> dict[str, tuple[str, str]]:
    """The rows of the README's settings tables: name → (default, lockable)."""
    readme = (ROOT / "README.md").read_text("utf-8")
    part = readme.split("<!-- settings -->")[1].split("<!-- /settings -->")[0]
    rows = {}
    for line in part.splitlines():
        if m := re.match(r"\| `(LEARN_[A-Z_]+)` \| ([^|]*) \|[^|]*\| ([^|]*) \|", line):
            rows[m[1]] = (m[2].strip(), m[3].strip())
    return rows


def test_the_readme_lists_exactly_the_registrys_settings_with_their_defaults():
    def shown(s):
        if s.type == "bool":
            return "on" if s.default else "off"
        return f"`{s.default}`" if s.default != "" else "–"

    rows = _readme_settings()
    assert set(rows) == set(registry())
    for name, s in registry().items():
        assert rows[name] == (shown(s), "yes" if s.lockable else ""), name


def test_no_setting_is_read_outside_the_registry():
    """Every LEARN_ variable the code reads is declared (no os.environ lookups of our own)."""
    found = set()
    for path in [*(ROOT / "learn_core").rglob("*.py"), *(ROOT / "pages").rglob("*.py"), ROOT / "app.py"]:
        text = path.read_text("utf-8")
        if path.name == "__main__.py":  # sets the BLAS threads of the command line (setdefault), reads nothing
            assert "getenv" not in text and "LEARN_" not in text and "os.environ[" not in text, path
        elif path.name not in ("isolation.py", "settings.py"):  # the registry reads it; a parser helper passes it on
            assert "os.environ" not in text and "getenv" not in text, path
        found |= set(re.findall(r"\bLEARN_[A-Z_]+[A-Z]\b", text))
    assert found - set(registry()) == set()


def test_the_registry_defaults_agree_with_the_privacy_engine():
    from learn_core.analysis.privacy import DEFAULT_MIN_GROUP_SIZE, LOWEST_MIN_GROUP_SIZE
    from learn_core.settings import registry

    assert registry()["LEARN_MIN_GROUP_SIZE"].default == DEFAULT_MIN_GROUP_SIZE
    assert registry()["LEARN_MIN_GROUP_SIZE_FLOOR"].default == LOWEST_MIN_GROUP_SIZE
    assert registry()["LEARN_MIN_GROUP_SIZE_FLOOR"].min == LOWEST_MIN_GROUP_SIZE


@pytest.mark.parametrize(("raw", "k", "threshold"), [(None, 5, 10), ("12", 5, 12), ("3", 5, 5), ("10", 15, 15)])
def test_the_comment_threshold_is_the_setting_never_below_k(raw, k, threshold):
    env = {} if raw is None else {"LEARN_COMMENT_MIN_GROUP": raw}
    assert read_settings(env).comment_min_group(k) == threshold


def test_a_comment_threshold_below_three_is_refused():
    with pytest.raises(SettingError, match="LEARN_COMMENT_MIN_GROUP muss eine ganze Zahl von 3 bis 500 sein"):
        read_settings({"LEARN_COMMENT_MIN_GROUP": "2"})


@pytest.mark.parametrize(("accessor", "name", "environ", "value"), [
    ("integer", "LEARN_MIN_GROUP_SIZE", {}, 5), ("integer", "LEARN_MIN_GROUP_SIZE", {"LEARN_MIN_GROUP_SIZE": "7.0"}, 7),
    ("integer", "LEARN_PARSER_WORKERS", {"LEARN_PARSER_WORKERS": "3"}, 3),
    ("number", "LEARN_PARSER_TIMEOUT_SECONDS", {"LEARN_PARSER_TIMEOUT_SECONDS": "2.5"}, 2.5),
    ("number", "LEARN_MIN_GROUP_SIZE", {}, 5.0), ("text", "LEARN_DATA_DIR", {}, "data"),
    ("text", "LEARN_PUBLIC_URL", {"LEARN_PUBLIC_URL": "https://learn.stadt.de/"}, "https://learn.stadt.de"),
])  # fmt: skip
def test_typed_accessors_give_the_value_in_its_type(accessor, name, environ, value):
    got = getattr(read_settings(environ), accessor)(name)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize(("accessor", "name", "environ"), [
    ("integer", "LEARN_UPLOADS", {}), ("integer", "LEARN_DATA_DIR", {}),
    ("integer", "LEARN_PARSER_TIMEOUT_SECONDS", {"LEARN_PARSER_TIMEOUT_SECONDS": "2.5"}),
    ("number", "LEARN_UPLOADS", {}), ("number", "LEARN_AUTH", {}), ("text", "LEARN_MIN_GROUP_SIZE", {}),
    ("text", "LEARN_UPLOADS", {}),
])  # fmt: skip
def test_typed_accessors_refuse_a_setting_of_another_type(accessor, name, environ):
    with pytest.raises(TypeError, match=name):
        getattr(read_settings(environ), accessor)(name)
