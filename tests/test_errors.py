"""LearnError: codes, params and their sentences in German and English."""

from __future__ import annotations

import ast
import pickle
import string
from pathlib import Path

import pytest

import learn_core
from learn_core import i18n
from learn_core.errors import LearnError, Number, Phrase, ReadError
from learn_core.reading.labels import UnknownAnswersError

PACKAGE = Path(learn_core.__file__).parent
ERROR_KEYS = sorted(k for k in i18n.texts() if k.startswith("errors."))
#: Words that give a German sentence away (none of them is English).
GERMAN = ("Die ", "Datei", " ist ", " und ", " nicht ", "ä", "ö", "ü", "ß", "„")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_there_are_error_texts():
    assert len(ERROR_KEYS) > 40


@pytest.mark.parametrize("key", ERROR_KEYS)
def test_every_error_text_has_both_languages_with_the_same_placeholders(key):
    entry = i18n.texts()[key]
    assert entry["de"].strip() and entry["en"].strip()
    assert _fields(entry["de"]) == _fields(entry["en"])


@pytest.mark.parametrize("key", ERROR_KEYS)
def test_english_error_texts_are_not_german(key):
    english = i18n.texts()[key]["en"]
    assert not any(word in english for word in ("ä", "ö", "ü", "ß", "„", " und ", " nicht ", "Datei")), english


def _codes_in_source() -> dict[str, str]:
    """Every string literal of learn_core that looks like an error code → where it stands."""
    found: dict[str, str] = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and node.value.startswith("errors.") and " " not in node.value:
                found[node.value] = f"{path.relative_to(PACKAGE)}:{node.lineno}"
    return found


def test_every_code_used_in_learn_core_exists():
    codes = _codes_in_source()
    assert len(codes) > 40  # the scan finds the codes (a scan that finds none would pass anything)
    missing = {c: where for c, where in codes.items() if c not in i18n.texts()}
    assert not missing


def test_a_code_renders_in_both_languages_with_numbers_in_their_format():
    exc = ReadError(code="errors.read.too_many_cells", params={"rows": 1_000_001, "columns": 4, "most": 4_000_000})
    assert str(exc) == "Die Tabelle ist mit 1.000.001 Zeilen und 4 Spalten zu groß (höchstens 4.000.000 Zellen)."
    assert exc.message("en") == "The table is too large with 1,000,001 rows and 4 columns (at most 4,000,000 cells)."
    assert exc.message("de") == str(exc) == exc.args[0]


def test_numbers_phrases_and_lists_follow_the_language():
    exc = ReadError(code="errors.read.too_big", params={"size": Number(12.345, 1), "most": 50})
    assert exc.message("en") == "The file is too large (12.3 MB); at most 50 MB are accepted."
    assert str(exc) == "Die Datei ist zu groß (12,3 MB); höchstens 50 MB werden angenommen."
    cols = Phrase("errors.phrase.columns_more", {"names": ["ID", "Abteilung"], "rest": 2})
    exc = ReadError(code="errors.read.no_group_column", params={"wanted": "Amt", "columns": cols})
    assert str(exc) == ("Die Gruppenspalte „Amt“ gibt es in der Tabelle nicht; vorhanden sind "
                        "die Spalten „ID“, „Abteilung“ und 2 weitere.")
    assert exc.message("en") == "The table has no group column “Amt”; it has the columns “ID”, “Abteilung” and 2 more."


def test_an_error_without_code_shows_its_message_in_every_language():
    exc = LearnError("Ein Satz ohne Code.")
    assert exc.code is None and str(exc) == exc.message("en") == "Ein Satz ohne Code."


def test_an_error_keeps_code_params_and_attributes_across_pickle():
    exc = UnknownAnswersError({"M1": ["eher ja"]}, code="errors.read.unknown_answers",
                              params={"where": Phrase("errors.phrase.one_column", {"column": "M1"}),
                                      "named": ["eher ja"], "hint": ""})
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is UnknownAnswersError and back.labels == {"M1": ["eher ja"]}
    assert back.code == exc.code and back.message("en") == exc.message("en") and str(back) == str(exc)
    assert back.message("en").startswith("The column “M1” contains answers that cannot be assigned")
    assert str(back).startswith("Die Spalte „M1“ enthält Antworten, die keinem Wert")


def test_like_passes_the_sentence_on_as_another_class():
    from learn_core.headcounts import HeadcountError

    exc = HeadcountError.like(ReadError(code="errors.read.empty_file"))
    assert isinstance(exc, HeadcountError) and isinstance(exc, ValueError)
    assert exc.message("en") == "The file is empty." and str(exc) == "Die Datei ist leer."


def test_render_error_of_a_foreign_error_is_its_text():
    assert i18n.render_error(KeyError("x"), "en") == "'x'"
    assert i18n.render_error(ReadError(code="errors.read.empty_file"), "en") == "The file is empty."


@pytest.mark.parametrize("data", [b"", b"   \n", b"\x00\x01\x02" * 100])
def test_reading_errors_render_in_english_without_german(data):
    from learn_core.reading import read_survey

    with pytest.raises(ReadError) as info:
        read_survey(data, file_name="leer.csv")
    english = info.value.message("en")
    assert english and not any(word in english for word in GERMAN), english
    assert info.value.code is not None
