"""learn_core.i18n: number, percent and date formats of both languages, the
text lookup and the checks of the texts file. Expected strings written by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from learn_core import i18n
from learn_core.i18n import TextsError, fmt_date, fmt_int, fmt_number, fmt_percent, t


@pytest.mark.parametrize(("value", "decimals", "de", "en"), [
    (59.44, 1, "59,4", "59.4"),
    (59.45, 0, "59", "59"),
    (1234.5, 1, "1.234,5", "1,234.5"),
    (1234567.891, 2, "1.234.567,89", "1,234,567.89"),
    (-3.25, 1, "-3,2", "-3.2"),  # Python rounds half to even on the binary value
    (0.0, 3, "0,000", "0.000"),
])
def test_numbers_in_both_languages(value, decimals, de, en):
    assert fmt_number(value, decimals, "de") == de
    assert fmt_number(value, decimals, "en") == en


def test_missing_numbers():
    assert fmt_number(None) == "–"
    assert fmt_number(float("nan"), 2, "en") == "–"
    assert fmt_number(None, missing="") == ""
    assert fmt_int(None, "en", missing="n/a") == "n/a"
    assert fmt_percent(float("nan")) == "–"


def test_integers_and_percentages():
    assert fmt_int(1234) == "1.234" and fmt_int(1234, "en") == "1,234"
    assert fmt_int(7) == "7"
    assert fmt_percent(61.25) == "61\u202f%"  # a narrow no-break space before % in German
    assert fmt_percent(61.25, 1, "en") == "61.2%"
    assert fmt_percent(5.0, 1, "de") == "5,0\u202f%"


def test_dates():
    day = dt.date(2026, 11, 22)
    assert fmt_date(day) == "22.11.2026"
    assert fmt_date(day, "en") == "22 Nov 2026"


def test_a_text_in_both_languages_with_placeholders():
    assert t("label.level_one", "de", level=3, name="Im Aufbau") == "Stufe 3: Im Aufbau"
    assert t("label.level_one", "en", level=3, name="Developing") == "Level 3: Developing"
    assert t("label.organisation", "fr") == "Gesamte Verwaltung"  # an unknown language reads German
    with pytest.raises(KeyError):
        t("label.no_such_text")


def _texts_from(tmp_path, monkeypatch, body: str):
    path = tmp_path / "texts.toml"
    path.write_text(body, "utf-8")
    monkeypatch.setattr(i18n, "TEXTS_FILE", path)
    i18n.texts.cache_clear()
    try:
        return i18n.texts()
    finally:
        i18n.texts.cache_clear()


def test_the_texts_file_is_walked_into_dotted_keys(tmp_path, monkeypatch):
    out = _texts_from(tmp_path, monkeypatch, '[a]\nb = { de = "Eins", en = "One" }\n[a.c]\nd = { de = "Zwei", en = "Two" }\n')
    assert out == {"a.b": {"de": "Eins", "en": "One"}, "a.c.d": {"de": "Zwei", "en": "Two"}}


@pytest.mark.parametrize("body", [
    '[a]\nb = { de = "Eins", en = "" }\n',  # an empty wording
    '[a]\nb = "Eins"\n',  # no languages at all
    '[a]\nb = { de = "Eins", en = 1 }\n',  # not a text
])
def test_a_broken_texts_file_is_refused(tmp_path, monkeypatch, body):
    with pytest.raises(TextsError, match="„a.b“"):
        _texts_from(tmp_path, monkeypatch, body)


@pytest.mark.parametrize(("body", "code", "de", "en"), [
    ('[a]\nb = { de = "Eins", en = "" }\n', "errors.texts.no_wording",
     "Text „a.b“ braucht einen deutschen und englischen Wortlaut.", "Text “a.b” needs a German and an English wording."),
    ('[a]\nb = "Eins"\n', "errors.texts.no_fields",
     "Text „a.b“ braucht die Felder de und en.", "Text “a.b” needs the fields de and en."),
])  # fmt: skip
def test_a_broken_texts_file_is_named_in_both_languages_without_the_file(tmp_path, monkeypatch, body, code, de, en):
    """The sentence cannot come from the broken file it names: the built-in one stands in."""
    with pytest.raises(TextsError) as info:
        _texts_from(tmp_path, monkeypatch, body)
    i18n.texts.cache_clear()  # the broken file stays TEXTS_FILE: every rendering reads it again and fails
    assert info.value.code == code
    assert (str(info.value), info.value.message("de"), info.value.message("en")) == (de, de, en)


@pytest.mark.parametrize("body", [b"[a\n", b"\xff\xfe", b'[a]\nb = { de = "Eins", en = "One" }\n'])
def test_a_texts_error_renders_when_the_file_is_no_toml_or_lacks_its_text(tmp_path, monkeypatch, body):
    path = tmp_path / "texts.toml"
    path.write_bytes(body)
    monkeypatch.setattr(i18n, "TEXTS_FILE", path)
    i18n.texts.cache_clear()
    try:
        exc = TextsError(code="errors.texts.no_fields", params={"name": "x.y"})
        assert exc.message("en") == "Text “x.y” needs the fields de and en."
    finally:
        i18n.texts.cache_clear()


def test_the_built_in_texts_errors_are_those_of_the_texts_file():
    assert i18n.TEXTS_ERROR_FALLBACK == {k: v for k, v in i18n.texts().items() if k.startswith("errors.texts.")}


def test_the_real_texts_file_has_every_key_in_both_languages():
    out = i18n.texts()
    assert len(out) > 300
    assert all(set(v) == {"de", "en"} and v["de"] and v["en"] for v in out.values())


def test_the_methodology_fills_in_k():
    de, en = i18n.methodology_markdown("de", 7), i18n.methodology_markdown("en", 7)
    assert "{k}" not in de and "{k}" not in en
    assert "7" in de and "7" in en and de != en


def test_the_accessibility_statement_names_the_missing_settings():
    unset = i18n.accessibility_statement("de")
    assert "LEARN_ACCESSIBILITY_CONTACT" in unset and "LEARN_ACCESSIBILITY_ENFORCEMENT" in unset
    assert "02.12.2026" in unset
    filled = i18n.accessibility_statement("en", contact="barrierefrei@example.org", enforcement="Schlichtungsstelle X")
    assert "barrierefrei@example.org" in filled and "Schlichtungsstelle X" in filled
    assert "LEARN_ACCESSIBILITY_CONTACT" not in filled and "2026-12-02" in filled


def test_the_method_text_follows_the_questionnaire():
    import dataclasses

    from learn_core.i18n import methodology_markdown
    from learn_core.instrument import instrument_version

    v1 = instrument_version("1.0")
    de = methodology_markdown("de", 7, v1)
    assert ("Der Fragebogen „LEARN-Selbstcheck“ (Version 1.0) fragt 24 Aussagen in vier Dimensionen ab – "
            "**Motivation**, **Führung**, **Kompetenz** und **Lernerfolg**, je 6 Aussagen.") in de
    assert "Verneinend formuliert sind die Aussagen M6, F6, K6 und L6; ihre Antworten" in de
    assert "Mindestgruppengröße 7" in de and "{" not in de
    en = methodology_markdown("en", 5, instrument_version("2.0"))
    reversed_ids = [it.id for it in instrument_version("2.0").items if it.reverse]
    assert f"The statements {', '.join(reversed_ids[:-1])} and {reversed_ids[-1]} are worded negatively" in en
    assert "– Motivation, Leadership and Competence. The dimension Learning outcomes is the result" in en
    one = dataclasses.replace(v1, items=tuple(dataclasses.replace(it, reverse=it.id == "M6") for it in v1.items))
    assert "Verneinend formuliert ist die Aussage M6; ihre Antworten" in methodology_markdown("de", 5, one)
    none = dataclasses.replace(v1, items=tuple(dataclasses.replace(it, reverse=False) for it in v1.items))
    assert "No statement is worded negatively; a high value always means" in methodology_markdown("en", 5, none)
