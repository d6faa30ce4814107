"""The instrument as data: built-in content and validation of own files."""

from __future__ import annotations

import copy
import tomllib

import pytest

from learn_core.instrument import (
    DATA_DIR,
    DIMENSION_KEYS,
    InstrumentError,
    default_instrument,
    levels,
    load_instrument,
    parse_instrument,
)

RAW = tomllib.loads((DATA_DIR / "instrument.toml").read_text("utf-8"))


def test_builtin_instrument():
    inst = default_instrument()
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
    with pytest.raises(InstrumentError, match=__import__("re").escape(field)):
        parse_instrument(raw)


def test_unreadable_instrument_file(tmp_path):
    with pytest.raises(InstrumentError, match="nicht gefunden"):
        load_instrument(tmp_path / "fehlt.toml")
    bad = tmp_path / "kaputt.toml"
    bad.write_text("schema = = 1", "utf-8")
    with pytest.raises(InstrumentError, match="kein gültiges TOML"):
        load_instrument(bad)
