"""The instrument as data: built-in content and validation of own files."""

from __future__ import annotations

import copy
import hashlib
import json
import re
import tomllib

import pytest

from learn_core import instrument as instrument_module
from learn_core.i18n import methodology_markdown
from learn_core.instrument import (
    DATA_DIR,
    DEFAULT_VERSION,
    DIMENSION_KEYS,
    InstrumentError,
    changed_ids,
    default_instrument,
    instrument_for_ids,
    instrument_version,
    instrument_versions,
    latest_instrument,
    levels,
    load_instrument,
    parse_instrument,
)

RAW = tomllib.loads((DATA_DIR / "instrument.toml").read_text("utf-8"))


def test_builtin_instrument_version_1():
    inst = instrument_version("1.0")  # instrument.toml: M1 … L6, the sixth statement of each dimension reversed
    assert inst.item_ids == tuple(f"{p}{i}" for p in "MFKL" for i in range(1, 7))
    for item in inst.items:
        assert item.dimension == DIMENSION_KEYS["MFKL".index(item.id[0])]
        assert item.reverse == item.id.endswith("6")
        assert item.text_de and item.text_en and item.text_de != item.text_en
    assert inst.scale.labels_de == (
        "trifft gar nicht zu",
        "trifft eher nicht zu",
        "teils/teils",
        "trifft eher zu",
        "trifft voll zu",
    )
    assert [d.name_de for d in inst.dimensions] == ["Motivation", "Führung", "Kompetenz", "Lernerfolg"]
    assert all(inst.min_valid(k) == 4 for k in DIMENSION_KEYS)


def test_levels():
    lv = levels()
    assert [x.level for x in lv] == [1, 2, 3, 4, 5]
    assert [x.lower for x in lv] == [0, 20, 40, 60, 80]
    assert all(x.name_de and x.name_en and x.meaning_de and x.meaning_en for x in lv)


def _write(path, raw):
    lines = [f'schema = {raw["schema"]}', f'version = "{raw["version"]}"',
             f'name_de = "{raw["name_de"]}"', f'name_en = "{raw["name_en"]}"', "", "[scale]"]
    for key in ("labels_de", "labels_en"):
        lines.append(f"{key} = [" + ", ".join(f'"{v}"' for v in raw["scale"][key]) + "]")
    for d in raw["dimensions"]:
        lines.append("\n[[dimensions]]")
        lines += [f'{k} = "{v}"' for k, v in d.items()]
    for it in raw["items"]:
        lines.append("\n[[items]]")
        for k, v in it.items():
            lines.append(f"{k} = {str(v).lower()}" if isinstance(v, bool) else f'{k} = "{v}"')
    path.write_text("\n".join(lines), "utf-8")


def test_own_instrument_file(tmp_path):
    raw = copy.deepcopy(RAW)
    raw["items"][0]["text_de"] = "Eigene Formulierung"
    raw["items"] = [it for it in raw["items"] if it["id"] != "L5"]  # one item fewer
    path = tmp_path / "eigen.toml"
    _write(path, raw)
    inst = load_instrument(path)
    assert inst.item("M1").text_de == "Eigene Formulierung"
    assert len(inst.items_of("lernerfolg")) == 5
    assert inst.min_valid("lernerfolg") == 4  # two thirds of 5, rounded up
    assert inst.source == str(path)


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda r: r["items"][3].pop("text_de"), "items[3].text_de"),
        (lambda r: r["items"][2].update(reverse="ja"), "items[2].reverse"),
        (lambda r: r["items"][5].update(dimension="spass"), "items[5].dimension"),
        (lambda r: r["items"][7].update(id="M1"), "items[7].id"),
        (lambda r: r["items"][1].update(text_en="  "), "items[1].text_en"),
        (lambda r: r["items"][0].update(colour="red"), "items[0].colour"),
        (lambda r: r["scale"].update(labels_de=["a", "b"]), "scale.labels_de"),
        (lambda r: r["dimensions"].pop(), "dimensions"),
        (lambda r: r["dimensions"][1].update(key="leadership"), "dimensions"),
        (lambda r: r.pop("version"), "version"),
        (lambda r: r.update(schema=2), "schema"),
    ],
)
def test_broken_instrument_names_the_field(mutate, field):
    raw = copy.deepcopy(RAW)
    mutate(raw)
    with pytest.raises(InstrumentError, match=re.escape(field)):
        parse_instrument(raw)


def test_unreadable_instrument_file(tmp_path):
    with pytest.raises(InstrumentError, match="nicht gefunden"):
        load_instrument(tmp_path / "fehlt.toml")
    bad = tmp_path / "kaputt.toml"
    bad.write_text("schema = = 1", "utf-8")
    with pytest.raises(InstrumentError, match="kein gültiges TOML"):
        load_instrument(bad)


# --------------------------------------------------------------------------- versions

V1 = instrument_version("1.0")
V2 = instrument_version("2.0")
RAW_V2 = tomllib.loads((DATA_DIR / "instrument_v2.toml").read_text("utf-8"))
PREFIX = dict(zip(DIMENSION_KEYS, "MFKL", strict=True))
INFORMAL = re.compile(r"\b(du|dich|dir|dein\w*|euch|euer|eure\w*)\b", re.IGNORECASE)


def test_builtin_versions_oldest_first_and_the_default_is_v2():
    assert [inst.version for inst in instrument_versions()] == ["1.0", "2.0"]
    assert latest_instrument() is V2
    assert DEFAULT_VERSION == "2.0" and default_instrument() is V2 and load_instrument() is V2
    with pytest.raises(InstrumentError, match="„3.0“ gibt es nicht; verfügbar sind: 1.0, 2.0"):
        instrument_version("3.0")


def test_version_1_is_unchanged():
    # old exports were scored with exactly these 24 statements; the digest pins them
    blob = json.dumps([[it.id, it.dimension, it.reverse, it.text_de, it.text_en] for it in V1.items],
                      ensure_ascii=False)
    assert hashlib.sha256(blob.encode()).hexdigest() == (
        "3590f399016da938e9032e9413cd84d9466d8d2f520e8586180be10587f32b76"
    )
    assert V1.dimension("lernerfolg").name_en == "Learning success"  # v1 keeps its wording


def test_version_2_loads_from_its_file_like_an_own_instrument():
    own = load_instrument(DATA_DIR / "instrument_v2.toml")
    assert own.items == V2.items and own.scale == V2.scale and own.version == "2.0"
    assert own.source.endswith("instrument_v2.toml") and V2.source == "builtin"


def test_version_2_shape():
    assert [d.key for d in V2.dimensions] == list(DIMENSION_KEYS)
    assert [d.name_en for d in V2.dimensions] == ["Motivation", "Leadership", "Competence", "Learning outcomes"]
    assert V2.scale.labels_de == V1.scale.labels_de
    assert V2.scale.labels_en == ("strongly disagree", "disagree", "neither agree nor disagree", "agree",
                                  "strongly agree")
    positions = []
    for key in DIMENSION_KEYS:
        items = V2.items_of(key)
        assert len(items) == 6, key
        assert all(it.id.startswith(PREFIX[key]) for it in items), key
        reversed_at = [i for i, it in enumerate(items) if it.reverse]
        assert len(reversed_at) == 1, key
        positions.append(reversed_at[0])
    assert 0 not in positions and len(set(positions)) == len(positions)  # never first, never the same place
    assert all(V2.min_valid(k) == 4 for k in DIMENSION_KEYS)


def test_ids_keep_their_meaning_across_versions():
    # the reader matches old headers by ID: an ID in two versions must be the same statement
    versions = instrument_versions()
    for i, old in enumerate(versions):
        for new in versions[i + 1:]:
            assert changed_ids(old, new) == ()
            for item in new.items:
                if item.id in old.item_ids:
                    same = old.item(item.id)
                    assert (item.text_de, item.dimension, item.reverse) == (same.text_de, same.dimension,
                                                                              same.reverse)
    kept = set(V1.item_ids) & set(V2.item_ids)
    assert kept == {"M1", "M3", "M4", "M5", "F1", "F6", "K2", "K4", "K5", "K6", "L2", "L6"}


def test_new_ids_were_never_used_and_replacements_are_retired():
    v1_numbers = {key: max(int(it.id[1:]) for it in V1.items_of(key)) for key in DIMENSION_KEYS}
    for item in V2.items:
        if item.id not in V1.item_ids:
            assert int(item.id[1:]) > v1_numbers[item.dimension], item.id
        for old in item.replaces:
            assert old in V1.item_ids and old not in V2.item_ids, (item.id, old)
            assert V1.item(old).dimension == item.dimension
    assert V2.item("M7").replaces == ("M2",) and V2.item("L8").replaces == ("L3",)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"text_de": "Ein anderer Wortlaut."}, ("M1",)),
        ({"reverse": True}, ("M1",)),
        ({"dimension": "fuehrung"}, ("M1",)),
        ({"text_de": "  Ich möchte meine  Arbeitsabläufe regelmäßig verbessern. "}, ()),  # whitespace only
        ({"text_en": "A corrected translation."}, ()),  # English may be corrected
    ],
)
def test_changed_ids(change, expected):
    raw = copy.deepcopy(RAW)
    raw["items"][0].update(change)
    assert changed_ids(V1, parse_instrument(raw)) == expected


def test_builtin_versions_refuse_a_reused_id(tmp_path, monkeypatch):
    raw = copy.deepcopy(RAW_V2)
    raw["items"][0]["text_de"] = "Ich möchte etwas ganz anderes."  # M1 with another meaning
    raw["items"] = [{k: v for k, v in it.items() if k != "replaces"} for it in raw["items"]]
    _write(tmp_path / "instrument_v2.toml", raw)
    (tmp_path / "instrument.toml").write_bytes((DATA_DIR / "instrument.toml").read_bytes())
    monkeypatch.setattr(instrument_module, "DATA_DIR", tmp_path)
    with pytest.raises(InstrumentError, match="die IDs M1 bedeuten in Version 2.0 etwas anderes"):
        instrument_versions.__wrapped__()


@pytest.mark.parametrize(
    ("ids", "version"),
    [
        (V1.item_ids, "1.0"),
        (V2.item_ids, "2.0"),
        ([i.lower() for i in V2.item_ids], "2.0"),
        (["M1", "M3", "F1"], "2.0"),  # only shared IDs: the default
        (["M1", "M7"], "2.0"),
        (["M1", "M2"], "1.0"),
    ],
)
def test_instrument_for_ids(ids, version):
    assert instrument_for_ids(ids).version == version


def test_instrument_for_unknown_ids():
    assert instrument_for_ids(["X1", "Abteilung"]) is None
    assert instrument_for_ids([]) is None


@pytest.mark.parametrize(
    ("replaces", "field"),
    [
        ([], "items[0].replaces"),
        (["M1"], "items[0].replaces"),  # its own ID
        (["M9", "m9"], "items[0].replaces"),  # twice
        ([3], "items[0].replaces"),
        (["M 2"], "items[0].replaces"),
        (["M2"], "items[1].id"),  # M2 is replaced and still present
        ("M2", "items[0].replaces"),
    ],
)
def test_broken_replaces_names_the_field(replaces, field):
    raw = copy.deepcopy(RAW)
    raw["items"][0]["replaces"] = replaces
    with pytest.raises(InstrumentError, match=re.escape(field)):
        parse_instrument(raw)


def test_v2_texts_formal_and_single_barrelled():
    words = re.compile(r"[A-Za-zÄÖÜäöüß]{4,}")
    for item in V2.items:
        assert not INFORMAL.search(item.text_de), item.id
        assert " und " not in item.text_de or item.id == "F6", item.id  # F6: one event, trying and failing
        tokens = [w.casefold() for w in words.findall(item.text_de)]
        for i, w in enumerate(tokens):
            assert not any(o == w or o.endswith(w) or w.endswith(o) for o in tokens[i + 1:]), (item.id, w)
    for dim in V2.dimensions:
        assert not INFORMAL.search(dim.description_de), dim.key
    # the repetition check would have caught the v1 wording "Arbeitszeit Zeit"
    f4 = [w.casefold() for w in words.findall(V1.item("F4").text_de)]
    assert any(a != b and a.endswith(b) for a in f4 for b in f4)


def test_v2_statements_fit_staff_without_projects_or_citizen_contact():
    texts = " ".join(it.text_de for it in V2.items)
    assert "Projekt" not in texts
    assert "Bürger:innen bemerken" not in texts
    assert "procedures" not in V2.item("K4").text_en


@pytest.mark.parametrize(
    ("lang", "phrases"),
    [
        ("de", ["eigenes Instrument des LEARN-Dashboards", "nicht der LEARN-Fragebogen der Studie",
                "--instrument PFAD", "Version 2.0", "nie vergeben"]),
        ("en", ["the LEARN dashboard's own instrument", "not the study's LEARN questionnaire",
                "--instrument PATH", "Version 2.0", "never used before"]),
    ],
)
def test_methodik_states_the_provenance(lang, phrases):
    text = methodology_markdown(lang)
    for phrase in phrases:
        assert phrase in text, phrase
    assert "`" not in text  # the PDF and Excel reports print the method text without Markdown code


# --------------------------------------------------------------------------- error sentences (de and en)

DIMS = "motivation, fuehrung, kompetenz, lernerfolg"


@pytest.mark.parametrize(
    ("mutate", "code", "de", "en"),
    [
        (lambda r: r["items"][3].pop("text_de"), "errors.instrument.missing",
         "Feld „items[3].text_de“ fehlt.", "Field “items[3].text_de” is missing."),
        (lambda r: r["items"][2].update(reverse="ja"), "errors.instrument.wrong_type",
         "Feld „items[2].reverse“ hat den falschen Typ.", "Field “items[2].reverse” has the wrong type."),
        (lambda r: r["items"][1].update(text_en="  "), "errors.instrument.empty",
         "Feld „items[1].text_en“ ist leer.", "Field “items[1].text_en” is empty."),
        (lambda r: r["items"][0].update(colour="red"), "errors.instrument.unknown",
         "Feld „items[0].colour“ ist unbekannt.", "Field “items[0].colour” is unknown."),
        (lambda r: r["items"].__setitem__(4, "M5"), "errors.instrument.not_table",
         "Feld „items[4]“ muss eine Tabelle sein.", "Field “items[4]” must be a table."),
        (lambda r: r["scale"].update(labels_de=["a", "b"]), "errors.instrument.five_labels",
         "Feld „scale.labels_de“ muss genau fünf Texte enthalten.",
         "Field “scale.labels_de” must contain exactly five texts."),
        (lambda r: r["items"][0].update(id="M1234567890123"), "errors.instrument.bad_code",
         "Feld „items[0].id“ muss ein kurzer Code aus Buchstaben und Ziffern sein (höchstens 12 Zeichen).",
         "Field “items[0].id” must be a short code of letters and digits (at most 12 characters)."),
        (lambda r: r["items"][0].update(id="Fuehrung"), "errors.instrument.code_is_dimension",
         "Feld „items[0].id“ darf kein Dimensionsname sein.", "Field “items[0].id” must not be a dimension name."),
        (lambda r: r["items"][5].update(dimension="spass"), "errors.instrument.bad_dimension",
         f"Feld „items[5].dimension“: „spass“ ist keine der Dimensionen {DIMS}.",
         f"Field “items[5].dimension”: “spass” is none of the dimensions {DIMS}."),
        (lambda r: r["items"][0].update(replaces=[]), "errors.instrument.replaces_list",
         "Feld „items[0].replaces“ muss eine nicht leere Liste von IDs sein.",
         "Field “items[0].replaces” must be a non-empty list of IDs."),
        (lambda r: r["items"][0].update(replaces=["M9", "m9"]), "errors.instrument.replaces_self",
         "Feld „items[0].replaces“ nennt die eigene ID oder eine ID doppelt.",
         "Field “items[0].replaces” names the item's own ID or an ID twice."),
        (lambda r: r.update(schema=2), "errors.instrument.schema",
         "Feld „schema“ muss 1 sein.", "Field “schema” must be 1."),
        (lambda r: r["dimensions"].reverse(), "errors.instrument.dimensions",
         f"Feld „dimensions“ muss genau die vier Dimensionen {DIMS} in dieser Reihenfolge enthalten.",
         f"Field “dimensions” must contain exactly the four dimensions {DIMS} in this order."),
        (lambda r: r["items"][7].update(id="m1"), "errors.instrument.duplicate_id",
         "Feld „items[7].id“: die ID M1 kommt doppelt vor.", "Field “items[7].id”: the ID M1 occurs twice."),
        (lambda r: r["items"][0].update(replaces=["M2"]), "errors.instrument.replaced_present",
         "Feld „items[1].id“: M2 wird von einer anderen Aussage ersetzt (replaces) und kann nicht zugleich "
         "selbst vorkommen.",
         "Field “items[1].id”: M2 is replaced by another statement (replaces) and cannot occur itself as well."),
        (lambda r: r.update(items=[it for it in r["items"] if it["dimension"] != "kompetenz" or it["id"] == "K1"]),
         "errors.instrument.few_items", "Feld „items“: die Dimension kompetenz braucht mindestens zwei Items.",
         "Field “items”: the dimension kompetenz needs at least two items."),
    ],
)
def test_instrument_errors_in_both_languages(mutate, code, de, en):
    raw = copy.deepcopy(RAW)
    mutate(raw)
    with pytest.raises(InstrumentError) as info:
        parse_instrument(raw)
    assert info.value.code == code
    assert info.value.message("de") == de == str(info.value)
    assert info.value.message("en") == en


def test_a_key_from_the_file_is_shown_on_one_line_and_cut():
    raw = copy.deepcopy(RAW)
    raw["items"][0]["a\nb" + "x" * 30] = "?"  # a quoted TOML key may hold a line break; shown() keeps 19 characters
    with pytest.raises(InstrumentError) as info:
        parse_instrument(raw)
    assert info.value.message("en") == f"Field “items[0].a b{'x' * 16}…” is unknown."


def test_a_toml_error_names_its_line_in_the_language(tmp_path):
    path = tmp_path / "eigen.toml"
    path.write_text("# x\n" * 1233 + "schema = = 1\n", "utf-8")  # the second "=" at line 1234, column 10
    with pytest.raises(InstrumentError) as info:
        load_instrument(path)
    assert info.value.code == "errors.instrument.not_toml"
    assert info.value.message("de") == f"Die Instrument-Datei „{path}“ ist kein gültiges TOML (Zeile 1.234, Spalte 10)."
    assert info.value.message("en") == f"The instrument file “{path}” is not valid TOML (line 1,234, column 10)."
    path.write_text('name_de = "offen', "utf-8")
    with pytest.raises(InstrumentError) as info:
        load_instrument(path)
    assert info.value.message("de").endswith("ist kein gültiges TOML (am Ende der Datei).")
    assert info.value.message("en").endswith("is not valid TOML (at the end of the file).")


@pytest.mark.parametrize(
    ("make", "code", "de", "en"),
    [
        (lambda p: None, "errors.instrument.not_found",
         "Die Instrument-Datei „{path}“ wurde nicht gefunden.", "The instrument file “{path}” was not found."),
        (lambda p: p.write_bytes('name_de = "Gr\xfc\xdfe"'.encode("latin-1")), "errors.instrument.not_utf8",
         "Die Instrument-Datei „{path}“ ist nicht als UTF-8 gespeichert.",
         "The instrument file “{path}” is not saved as UTF-8."),
        (lambda p: p.mkdir(), "errors.instrument.unreadable",
         "Die Instrument-Datei „{path}“ kann nicht gelesen werden (das ist ein Ordner).",
         "The instrument file “{path}” cannot be read (that is a folder)."),
    ],
)
def test_an_unusable_instrument_file_in_both_languages(tmp_path, make, code, de, en):
    path = tmp_path / "eigen.toml"
    make(path)
    with pytest.raises(InstrumentError) as info:
        load_instrument(path)
    assert info.value.code == code
    assert info.value.message("de") == de.format(path=path)
    assert info.value.message("en") == en.format(path=path)


def test_an_unknown_version_in_english():
    with pytest.raises(InstrumentError) as info:
        instrument_version("3.0\n" + "9" * 30)
    assert info.value.code == "errors.instrument.unknown_version"
    assert info.value.message("en") == f"There is no instrument version “3.0 {'9' * 15}…”; available are: 1.0, 2.0."


def test_builtin_packaging_errors_in_english(tmp_path, monkeypatch):
    raw = copy.deepcopy(RAW_V2)
    raw["version"] = "1.0"
    raw["items"] = [{k: v for k, v in it.items() if k != "replaces"} for it in raw["items"]]
    _write(tmp_path / "instrument_v2.toml", raw)
    (tmp_path / "instrument.toml").write_bytes((DATA_DIR / "instrument.toml").read_bytes())
    (tmp_path / "levels.toml").write_text((DATA_DIR / "levels.toml").read_text("utf-8").replace(
        "lower = 80", "lower = 75"), "utf-8")
    monkeypatch.setattr(instrument_module, "DATA_DIR", tmp_path)
    with pytest.raises(InstrumentError) as info:
        instrument_versions.__wrapped__()
    assert info.value.message("en") == "instrument_v2.toml: the version 1.0 exists already."
    with pytest.raises(InstrumentError) as info:
        levels.__wrapped__()
    assert info.value.code == "errors.instrument.levels_bounds"
    assert info.value.message("en") == "levels.toml must contain the levels 1–5 with the bounds 0, 20, 40, 60, 80."
