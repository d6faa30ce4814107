"""The priority matrix and the driver tables (learn_core.display.drivers), via chart.to_dict()."""

from __future__ import annotations

import pytest

from learn_core.analysis import analyse
from learn_core.analysis.drivers import Drivers
from learn_core.display.drivers import driver_sentence, priority_matrix_chart, priority_matrix_data
from learn_core.instrument import instrument_version
from learn_core.reading import read_survey
from learn_core.samples import SAMPLE_XLSX


@pytest.fixture(scope="module")
def sample():
    return analyse(read_survey(SAMPLE_XLSX, instrument=instrument_version("1.0")), 5)


def test_matrix_encodes_importance_against_score_with_the_means(sample):
    data = priority_matrix_data(sample.result.drivers, instrument_version("1.0"), "de")
    spec = priority_matrix_chart(data, "de").to_dict()
    vrule, hrule, points, labels = spec["layer"]
    assert points["mark"]["type"] == "point"
    assert points["encoding"]["x"]["field"] == "importance" and points["encoding"]["y"]["field"] == "performance"
    assert points["encoding"]["shape"]["scale"]["range"] == ["diamond", "circle"]  # not colour alone
    datasets = spec["datasets"]
    v = next(iter(datasets[vrule["data"]["name"]]))["v"]
    h = next(iter(datasets[hrule["data"]["name"]]))["v"]
    shares = [d.share for d in sample.result.drivers.dimensions]
    scores = [d.performance for d in sample.result.drivers.dimensions]
    assert v == pytest.approx(100 / 3) and v == pytest.approx(sum(shares) / 3)
    assert h == pytest.approx(sum(scores) / 3)
    rows = datasets[points["data"]["name"]] if "data" in points else datasets[spec["data"]["name"]]
    assert {r["label"]: r["status"] for r in rows} == {"Motivation": "weitere", "Führung": "hier zuerst ansetzen",
                                                       "Kompetenz": "weitere"}
    assert labels["encoding"]["text"]["field"] == "label"


def test_statement_matrix_uses_r_and_favourable(sample):
    data = priority_matrix_data(sample.result.drivers, instrument_version("1.0"), "en", items=True)
    assert len(data) == 18 and set(data["label"]) >= {"M1", "F4", "K6 ↺"}  # ↺: worded negatively
    f4 = data.set_index("label").loc["F4"]
    d = next(x for x in sample.result.drivers.items if x.item == "F4")
    assert f4["importance"] == d.r and f4["performance"] == d.performance and bool(f4["priority"])
    spec = priority_matrix_chart(data, "en", items=True, instrument=instrument_version("1.0")).to_dict()
    assert spec["layer"][2]["encoding"]["x"]["title"] == "Correlation with Learning success (r)"  # 1.0's name
    spec = priority_matrix_chart(data, "de", items=True).to_dict()
    assert spec["layer"][2]["encoding"]["x"]["title"] == "Korrelation mit Lernerfolg (r)"


def test_the_driver_texts_name_the_dimensions_of_the_questionnaire(sample):
    import dataclasses

    from learn_core.display.drivers import driver_names

    v1 = instrument_version("1.0")
    assert driver_names(v1, "de") == {"enablers": "Motivation, Führung und Kompetenz", "outcome": "Lernerfolg"}
    assert driver_names(v1, "en") == {"enablers": "Motivation, Leadership and Competence",
                                      "outcome": "Learning success"}
    own = dataclasses.replace(v1, dimensions=tuple(
        dataclasses.replace(d, name_de="Wirkung", name_en="Impact") if d.key == "lernerfolg" else d
        for d in v1.dimensions))
    assert "der Unterschiede in der Dimension Wirkung (R²)" in driver_sentence(sample.result.drivers, "de", own)
    assert "of the differences in Impact (R²)" in driver_sentence(sample.result.drivers, "en", own)


@pytest.mark.parametrize(("drivers", "text"), [
    (Drivers(12, None, False, (), (), "too_few"), "Keine Treiberanalyse: 12 Personen mit allen vier Werten, nötig sind mindestens 30."),
    (None, "Keine Treiberanalyse: Eine Dimension der Organisation ist verborgen"),
])
def test_sentence_says_why_there_are_no_drivers(drivers, text):
    assert driver_sentence(drivers, "de").startswith(text)


def test_sentence_with_caution_below_100(sample):
    d = sample.result.drivers
    assert "Vorsicht" not in driver_sentence(d, "de")
    small = Drivers(40, d.r2, True, d.dimensions, d.items)
    assert driver_sentence(small, "de").endswith("mit wenigen Antworten ändern.")
