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
