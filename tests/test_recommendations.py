"""The recommendation catalogue and its matching rule."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import tomllib

import pytest

from learn_core.instrument import DIMENSION_KEYS, instrument_version
from learn_core.recommendations import (
    AREAS,
    COSTS,
    DATA_DIR,
    EFFORTS,
    FIRST_RESULTS,
    HORIZONS,
    OWNERS,
    CatalogueError,
    Recommendation,
    _parse,
    catalogue,
    catalogue_version,
    load_catalogue,
    match,
    weakest_dimensions,
)

RAW = tomllib.loads((DATA_DIR / "recommendations.toml").read_text("utf-8"))
BY_ID = {r.id: r for r in catalogue()}
V2 = instrument_version("2.0")
INFORMAL = re.compile(r"\b(du|dich|dir|dein\w*|euch|euer|eure\w*)\b", re.IGNORECASE)


def rec(rid: str, dim: str, lo: int, hi: int) -> Recommendation:
    return dataclasses.replace(catalogue()[0], id=rid, dimension=dim, levels=(lo, hi))


CAT = (
    rec("M-a", "motivation", 1, 2),
    rec("M-b", "motivation", 2, 3),
    rec("M-c", "motivation", 4, 5),
    rec("K-a", "kompetenz", 1, 1),
    rec("K-b", "kompetenz", 2, 4),
    rec("F-a", "fuehrung", 1, 5),
    rec("L-a", "lernerfolg", 1, 5),
)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        # weakest: kompetenz 25 (level 2), then motivation 30 (level 2)
        ({"motivation": 30, "fuehrung": 70, "kompetenz": 25, "lernerfolg": 50}, ["K-b", "M-a", "M-b"]),
        # kompetenz 19.9 is level 1, motivation 85 level 5 but fuehrung 60 is second weakest
        ({"motivation": 85, "fuehrung": 60, "kompetenz": 19.9, "lernerfolg": 70}, ["K-a", "F-a"]),
        # tie 40/40: instrument order (motivation before kompetenz)
        ({"motivation": 40, "fuehrung": 90, "kompetenz": 40, "lernerfolg": 90}, ["M-b", "K-b"]),
        # a dimension without score is skipped
        ({"motivation": None, "fuehrung": 90, "kompetenz": 70, "lernerfolg": None}, ["K-b", "F-a"]),
        ({"motivation": None, "fuehrung": None, "kompetenz": None, "lernerfolg": None}, []),
    ],
)
def test_match(scores, expected):
    assert [r.id for r in match(scores, CAT)] == expected


def test_weakest_dimensions():
    assert weakest_dimensions({"motivation": 3, "fuehrung": 1, "kompetenz": 2, "lernerfolg": 9}) == [
        "fuehrung",
        "kompetenz",
    ]


def test_builtin_catalogue_covers_every_level_of_every_dimension_in_every_area():
    entries = catalogue()
    for key in DIMENSION_KEYS:
        for level in range(1, 6):
            areas = {r.area for r in entries if r.dimension == key and r.fits(level)}
            assert areas == set(AREAS), (key, level, set(AREAS) - areas)
    assert len({r.id for r in entries}) == len(entries)
    assert catalogue_version() == "2.0"


def test_measure_ids_of_version_1_keep_their_measure():
    # saved action plans and workshop votes refer to these IDs
    for prefix, key in zip(("MOT", "FUE", "KOM", "LER"), DIMENSION_KEYS, strict=True):
        for n in range(1, 7):
            assert BY_ID[f"{prefix}-0{n}"].dimension == key
    assert BY_ID["LER-01"].method_de == "5-Why-Analyse" and BY_ID["KOM-01"].method_de == "Bedarfsanalyse"
    assert BY_ID["FUE-02"].title_de == "Einen „Fehler des Monats“ gemeinsam auswerten"
    ids = [r.id for r in catalogue()]
    for prefix in ("MOT", "FUE", "KOM", "LER"):
        numbers = [int(i[4:]) for i in ids if i.startswith(prefix)]
        assert numbers == list(range(1, len(numbers) + 1)), prefix  # new measures take the next number


def test_every_measure_has_the_new_fields():
    for r in catalogue():
        assert r.owner in OWNERS and r.cost in COSTS and r.first_result in FIRST_RESULTS, r.id
        assert r.effort in EFFORTS and r.horizon in HORIZONS, r.id
        assert isinstance(r.codetermination, bool) and isinstance(r.data_protection, bool), r.id
        assert r.indicator_de and r.indicator_en and r.indicator_de != r.indicator_en, r.id
        assert len(r.steps_de) == len(r.steps_en) >= 3, r.id
        assert set(r.indicator_items) <= set(V2.item_ids), r.id
        assert any(V2.item(i).dimension == r.dimension for i in r.indicator_items), r.id
    assert {r.owner for r in catalogue()} == set(OWNERS)


def test_first_result_comes_within_the_horizon():
    latest = {"short": "months", "medium": "half_year", "long": "year"}
    order = list(FIRST_RESULTS)
    for r in catalogue():
        assert order.index(r.first_result) <= order.index(latest[r.horizon]), r.id


def _german(r: Recommendation) -> str:
    return " ".join((r.title_de, r.why_de, r.method_de, r.indicator_de, *r.steps_de))


def _english(r: Recommendation) -> str:
    return " ".join((r.title_en, r.why_en, r.method_en, r.indicator_en, *r.steps_en))


def test_formal_register_throughout():
    for r in catalogue():
        assert not INFORMAL.search(_german(r)), (r.id, INFORMAL.search(_german(r)))
    assert INFORMAL.search("Was hat dich behindert?")  # the v1 wording of FUE-01 would fail


def test_flags_match_what_the_steps_ask_for():
    for r in catalogue():
        text = _german(r)
        assert ("Personalrat" in text) == r.codetermination, r.id
        assert ("staff council" in _english(r)) == r.codetermination, r.id
        privacy = re.search(r"Datenschutz|persönliche Angaben|Namen|Einverständnis|Einwilligung", text)
        assert bool(privacy) == r.data_protection, r.id


def test_the_catalogue_names_the_municipal_context():
    german = " ".join(_german(r) for r in catalogue())
    english = " ".join(_english(r) for r in catalogue())
    for word in ("Personalrat", "Dienstvereinbarung", "Haushalt", "KGSt", "Personalversammlung"):
        assert word in german, word
    for word in ("staff council", "budget", "KGSt"):
        assert word in english, word


def test_fixed_tags_and_texts():
    assert BY_ID["FUE-06"].area == "fuehrung_change"  # a leadership retrospective is no citizen dialogue
    assert BY_ID["MOT-05"].codetermination and "Dienstvereinbarung" in BY_ID["MOT-05"].title_de
    assert "nicht als Zielvorgabe" in " ".join(BY_ID["MOT-05"].steps_de)
    for r in catalogue():
        if r.area == "strategie":  # goals, resources or mandate, not a label
            assert re.search(r"Ziel|Haushalt|Stellenplan|Zeitbudget|Beschließen|Leitlinien", _german(r)), r.id
    methods = {r.method_de for r in catalogue() if r.area == "qualifizierung"}
    assert {"Bedarfsanalyse", "Blended Learning"} <= methods


def test_accessors_in_both_languages():
    r = BY_ID["FUE-07"]
    assert r.checks() == ("Personalrat beteiligen", "Datenschutz prüfen")
    assert r.checks("en") == ("Involve the staff council", "Check data protection")
    assert BY_ID["MOT-01"].checks() == ()
    assert r.owner_name() == "Personalentwicklung" and r.owner_name("en") == "Staff development"
    assert r.cost_name("en").startswith("medium") and r.first_result_name() == "nach etwa einem halben Jahr"
    assert r.indicator("en") == r.indicator_en and r.area_name("en") == "Training and development"
    assert r.to_dict() == {"id": "FUE-07", "dimension": "fuehrung", "levels": [4, 5], "title": r.title_de,
                           "area": r.area, "owner": r.owner, "effort": r.effort, "cost": r.cost,
                           "horizon": r.horizon, "first_result": r.first_result,
                           "codetermination": r.codetermination, "data_protection": r.data_protection,
                           "indicator": r.indicator_de, "indicator_items": list(r.indicator_items)}
    assert json.loads(json.dumps(r.to_dict())) == r.to_dict()  # plain JSON values only


def test_load_catalogue_reads_the_builtin_file():
    assert load_catalogue(DATA_DIR / "recommendations.toml") == catalogue()


def test_builtin_match_for_real_scores():
    # Lernerfolg (41) is the outcome, not a target: the two weakest enablers are
    # Führung (35, level 2) and Motivation (55, level 3), weakest first
    got = match({"motivation": 55.0, "fuehrung": 35.0, "kompetenz": 62.0, "lernerfolg": 41.0})
    dims = [r.dimension for r in got]
    assert dims and set(dims) == {"fuehrung", "motivation"}
    assert dims == sorted(dims, key=["fuehrung", "motivation"].index)
    assert all(r.fits(2) for r in got if r.dimension == "fuehrung")
    assert all(r.fits(3) for r in got if r.dimension == "motivation")
    # given targets are taken as they are
    assert {r.dimension for r in match({"lernerfolg": 41.0, "fuehrung": 35.0}, targets=["lernerfolg"])} == {"lernerfolg"}


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda r: r.pop("title_de"), "recommendations[0].title_de"),
        (lambda r: r.update(levels=[3, 2]), "recommendations[0].levels"),
        (lambda r: r.update(levels=[0, 2]), "recommendations[0].levels"),
        (lambda r: r.update(area="sonstiges"), "recommendations[0].area"),
        (lambda r: r.update(effort="tiny"), "recommendations[0].effort"),
        (lambda r: r.update(dimension="spass"), "recommendations[0].dimension"),
        (lambda r: r.update(extra="x"), "recommendations[0].extra"),
        (lambda r: r.update(steps_de=[]), "recommendations[0].steps_de"),
        (lambda r: r.update(owner="chefsache"), "recommendations[0].owner"),
        (lambda r: r.pop("owner"), "recommendations[0].owner"),
        (lambda r: r.update(cost="gratis"), "recommendations[0].cost"),
        (lambda r: r.update(first_result="bald"), "recommendations[0].first_result"),
        (lambda r: r.update(codetermination="ja"), "recommendations[0].codetermination"),
        (lambda r: r.update(data_protection=1), "recommendations[0].data_protection"),
        (lambda r: r.update(effort=True), "recommendations[0].effort"),
        (lambda r: r.update(indicator_de=" "), "recommendations[0].indicator_de"),
        (lambda r: r.update(indicator_items=[]), "recommendations[0].indicator_items"),
        (lambda r: r.update(indicator_items=["M2"]), "recommendations[0].indicator_items"),  # retired in 2.0
        (lambda r: r.update(indicator_items="M7"), "recommendations[0].indicator_items"),
    ],
)
def test_broken_catalogue_names_the_field(mutate, field):
    raw = copy.deepcopy(RAW)
    mutate(raw["recommendations"][0])
    with pytest.raises(CatalogueError, match=re.escape(f"„{field}“")):
        _parse(raw)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r.pop("version"), "„version“"),
        (lambda r: r.update(schema=1), "„schema“ muss 2 sein"),
        (lambda r: r.update(instrument_version="9.9"), "„instrument_version“"),
        (lambda r: r.update(colour="red"), "„colour“ ist unbekannt"),
        (lambda r: r["recommendations"].append(copy.deepcopy(r["recommendations"][0])), "kommt doppelt vor"),
        (lambda r: r.update(recommendations=[x for x in r["recommendations"] if x["dimension"] != "kompetenz"]),
         "keine Empfehlung für kompetenz auf Stufe 1"),
    ],
)
def test_broken_catalogue_header_or_coverage(mutate, message):
    raw = copy.deepcopy(RAW)
    mutate(raw)
    with pytest.raises(CatalogueError, match=re.escape(message)):
        _parse(raw)


def test_unreadable_catalogue(tmp_path):
    bad = tmp_path / "katalog.toml"
    bad.write_text("schema = = 2", "utf-8")
    with pytest.raises(CatalogueError, match="kann nicht gelesen werden"):
        load_catalogue(bad)


def test_a_target_without_a_score_gets_no_measures():
    """A chosen target whose score is hidden or missing fits no level: no measures for it, the others still."""
    got = match({"lernerfolg": None, "fuehrung": 35.0}, targets=["lernerfolg", "fuehrung"])
    assert got and {r.dimension for r in got} == {"fuehrung"}


# --------------------------------------------------------------------------- error sentences (de and en)

R0 = "recommendations[0]"


@pytest.mark.parametrize(
    ("mutate", "code", "de", "en"),
    [
        (lambda r: r["recommendations"][0].pop("title_de"), "errors.catalogue.missing",
         f"Feld „{R0}.title_de“ fehlt.", f"Field “{R0}.title_de” is missing."),
        (lambda r: r["recommendations"][0].update(codetermination="ja"), "errors.catalogue.wrong_type",
         f"Feld „{R0}.codetermination“ hat den falschen Typ oder ist leer.",
         f"Field “{R0}.codetermination” has the wrong type or is empty."),
        (lambda r: r["recommendations"][0].update(extra="x"), "errors.catalogue.unknown",
         f"Feld „{R0}.extra“ ist unbekannt.", f"Field “{R0}.extra” is unknown."),
        (lambda r: r["recommendations"].insert(0, ["MOT-01"]), "errors.catalogue.not_table",
         f"Feld „{R0}“ muss eine Tabelle sein.", f"Field “{R0}” must be a table."),
        (lambda r: r["recommendations"][0].update(steps_en=[" "]), "errors.catalogue.texts",
         f"Feld „{R0}.steps_en“ muss mindestens einen nicht leeren Eintrag enthalten.",
         f"Field “{R0}.steps_en” must contain at least one non-empty entry."),
        (lambda r: r["recommendations"][0].update(levels=[3, 2]), "errors.catalogue.levels",
         f"Feld „{R0}.levels“ muss [min, max] mit 1 ≤ min ≤ max ≤ 5 sein.",
         f"Field “{R0}.levels” must be [min, max] with 1 ≤ min ≤ max ≤ 5."),
        (lambda r: r["recommendations"][0].update(dimension="spass"), "errors.catalogue.not_dimension",
         f"Feld „{R0}.dimension“ ist keine LEARN-Dimension.", f"Field “{R0}.dimension” is not a LEARN dimension."),
        (lambda r: r["recommendations"][0].update(effort="tiny"), "errors.catalogue.choice",
         f"Feld „{R0}.effort“ muss einer der Werte low, medium, high sein.",
         f"Field “{R0}.effort” must be one of the values low, medium, high."),
        (lambda r: r["recommendations"][0].update(indicator_items=["M7", "M2"]), "errors.catalogue.unknown_item",
         f"Feld „{R0}.indicator_items“: M2 ist keine Aussage der Instrument-Version 2.0.",
         f"Field “{R0}.indicator_items”: M2 is not a statement of instrument version 2.0."),
        (lambda r: r.update(version=2), "errors.catalogue.header",
         "Feld „version“ fehlt oder hat den falschen Typ.", "Field “version” is missing or has the wrong type."),
        (lambda r: r.update(colour="red"), "errors.catalogue.unknown",
         "Feld „colour“ ist unbekannt.", "Field “colour” is unknown."),
        (lambda r: r.update(schema=1), "errors.catalogue.schema", "Feld „schema“ muss 2 sein.",
         "Field “schema” must be 2."),
        (lambda r: r.update(instrument_version="9.9"), "errors.catalogue.instrument_version",
         "Feld „instrument_version“: Die Instrument-Version „9.9“ gibt es nicht; verfügbar sind: 1.0, 2.0.",
         "Field “instrument_version”: There is no instrument version “9.9”; available are: 1.0, 2.0."),
        (lambda r: r["recommendations"].append(copy.deepcopy(r["recommendations"][0])), "errors.catalogue.duplicate_id",
         f"Feld „recommendations[{len(RAW['recommendations'])}].id“: die ID MOT-01 kommt doppelt vor.",
         f"Field “recommendations[{len(RAW['recommendations'])}].id”: the ID MOT-01 occurs twice."),
        (lambda r: r.update(recommendations=[x for x in r["recommendations"] if x["dimension"] != "kompetenz"]),
         "errors.catalogue.no_measure", "Der Katalog hat keine Empfehlung für kompetenz auf Stufe 1.",
         "The catalogue has no recommendation for kompetenz at level 1."),
    ],
)
def test_catalogue_errors_in_both_languages(mutate, code, de, en):
    raw = copy.deepcopy(RAW)
    mutate(raw)
    with pytest.raises(CatalogueError) as info:
        _parse(raw)
    assert info.value.code == code
    assert info.value.message("de") == de == str(info.value)
    assert info.value.message("en") == en


@pytest.mark.parametrize(
    ("make", "de", "en"),
    [
        (lambda p: p.write_text("# x\n" * 1000 + "schema = = 2\n", "utf-8"),  # the second "=": line 1001, column 10
         "kein gültiges TOML, Zeile 1.001, Spalte 10", "not valid TOML, line 1,001, column 10"),
        (lambda p: p.write_text('version = "offen', "utf-8"),
         "kein gültiges TOML, am Ende der Datei", "not valid TOML, at the end of the file"),
        (lambda p: p.write_bytes('version = "Gr\xfc\xdfe"'.encode("latin-1")),
         "nicht als UTF-8 gespeichert", "not saved as UTF-8"),
        (lambda p: None, "die Datei gibt es nicht", "the file does not exist"),
        (lambda p: p.mkdir(), "das ist ein Ordner", "that is a folder"),
    ],
)
def test_an_unreadable_catalogue_says_why_in_both_languages(tmp_path, make, de, en):
    path = tmp_path / "katalog.toml"
    make(path)
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert info.value.code == "errors.catalogue.unreadable"
    assert info.value.message("de") == f"Der Empfehlungskatalog „{path}“ kann nicht gelesen werden ({de})."
    assert info.value.message("en") == f"The recommendation catalogue “{path}” cannot be read ({en})."
