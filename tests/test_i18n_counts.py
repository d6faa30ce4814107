"""Count texts that a page fills with any number read as correct German for 1 too."""

from __future__ import annotations

import pytest

from learn_core.i18n import t


@pytest.mark.parametrize(
    ("key", "expected_de", "expected_en"),
    [
        ("daten.invalid_title", "Ungültige Zellen: 1", "Invalid cells: 1"),
        ("daten.matched_title", "Erkannte Spalten: 1", "Recognised columns: 1"),
    ],
)
def test_count_titles_read_right_for_one(key, expected_de, expected_en):
    # "1 ungültige Zellen" was the old German title; a label with a colon fits every count
    assert t(key, "de", n=1) == expected_de
    assert t(key, "en", n=1) == expected_en
    assert t(key, "de", n=12) == expected_de.replace(": 1", ": 12")


def test_methodik_names_every_level_in_both_languages():
    from learn_core.i18n import methodology_markdown
    from learn_core.instrument import levels

    for lang in ("de", "en"):
        text = methodology_markdown(lang)
        for lv in levels():
            assert f"| {lv.level} – {lv.name(lang)} |" in text, (lang, lv.level)


def test_the_accessibility_statement_fills_in_the_operators_contact():
    from learn_core.i18n import accessibility_statement

    de = accessibility_statement("de", contact="barrierefrei@beispielstadt.de", enforcement="Schlichtungsstelle BGG")
    assert "barrierefrei@beispielstadt.de" in de and "Schlichtungsstelle BGG" in de and "{" not in de
    assert "02.12.2026" in de and "teilweise vereinbar" in de
    en = accessibility_statement("en")
    assert "not set yet by the operator (setting LEARN_ACCESSIBILITY_CONTACT)" in en and "2026-12-02" in en
