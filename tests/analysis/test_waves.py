"""Survey waves: deltas and p-values checked by hand, privacy across waves,
different layouts and instrument versions, items missing in one wave, the CLI.

Expected p-values are computed independently of scipy: the exact
Mann–Whitney distribution by enumerating all rank subsets (tiny samples
without ties), and the normal approximation with tie and continuity
correction written out (Hollander, Wolfe & Chicken, *Nonparametric
Statistical Methods*, 3rd ed., §4.1); both are cross-checked with
``scipy.stats.mannwhitneyu``.
"""

from __future__ import annotations

import copy
import io
import itertools
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook
from scipy.stats import linregress, mannwhitneyu, wilcoxon

from learn_core.analysis import Analysis, analyse
from learn_core.analysis.waves import WavesError, compare_waves, default_labels, verdict
from learn_core.cli import main
from learn_core.display.charts import OKABE_ITO
from learn_core.display.views import PrivacyError
from learn_core.display.waves import (
    change_sentences,
    change_table,
    compare_text,
    pdca_table,
    series_frame,
    waves_line_chart,
)
from learn_core.instrument import DIMENSION_KEYS, instrument_version, parse_instrument
from learn_core.reading import read_survey, survey_from_frame
from learn_core.samples import SAMPLE_XLSX
from tests.conftest import dim_answers, frame_of, full_row, survey_of

ROOT = Path(__file__).resolve().parents[2]
INSTRUMENT = instrument_version("1.0")  # the waves below are of 1.0 (the sixth item reversed), as tests.conftest
SEED = 20261122
DEPARTMENTS = ["Bauamt", "Bürgeramt", "Kämmerei"]
MS_LABELS = ["Stimme überhaupt nicht zu", "Stimme eher nicht zu", "Teils/teils", "Stimme eher zu",
             "Stimme voll und ganz zu"]


def rows_with_sum(total: int) -> dict:
    """One respondent whose reversed answers sum to ``total`` (6–30) in every dimension."""
    x = [1] * 6
    rest = total - 6
    for i in range(6):
        step = min(4, rest)
        x[i] += step
        rest -= step
    row = {}
    for p in "MFKL":
        row.update(dim_answers(p, [*x[:5], 6 - x[5]]))  # item 6 is reverse-keyed
    return row


def analysis_of(rows: list[dict], k: int = 3, group_column: str | None = None):
    return analyse(survey_of(rows, group_column), k)


# --------------------------------------------------------------------------- hand-computed cases


def exact_two_sided_p(a: list[float], b: list[float]) -> float:
    """Exact Mann–Whitney p by enumerating every way to give len(a) of the ranks to a (no ties)."""
    values = sorted(a + b)
    ranks = {v: i + 1 for i, v in enumerate(values)}
    n1, n2 = len(a), len(b)
    u_obs = sum(ranks[v] for v in a) - n1 * (n1 + 1) / 2
    us = [sum(c) - n1 * (n1 + 1) / 2 for c in itertools.combinations(range(1, n1 + n2 + 1), n1)]
    low = sum(u <= u_obs for u in us) / len(us)
    high = sum(u >= u_obs for u in us) / len(us)
    return min(1.0, 2 * min(low, high))


def test_exact_case_without_ties():
    # reversed sums per respondent: wave 1 12, 13, 14, 15, 19; wave 2 16, 18, 21, 22, 24
    # ranks of wave 1 in the pooled sample: 1, 2, 3, 4, 7 → R = 17, U = 17 − 15 = 2;
    # P(U ≤ 2) = (1 + 1 + 2) / C(10, 5) = 4/252, two-sided p = 8/252 = 0.031746
    before_sums, after_sums = [12, 13, 14, 15, 19], [16, 18, 21, 22, 24]
    result = compare_waves([analysis_of([rows_with_sum(s) for s in before_sums]),
                            analysis_of([rows_with_sum(s) for s in after_sums])], ["vorher", "nachher"])
    score = lambda s: (s / 6 - 1) * 25  # noqa: E731
    before, after = [score(s) for s in before_sums], [score(s) for s in after_sums]
    assert exact_two_sided_p(before, after) == pytest.approx(8 / 252)
    assert mannwhitneyu(before, after).pvalue == pytest.approx(8 / 252)
    for key in DIMENSION_KEYS:
        d = result["dimensions"][key]
        assert d["before"] == pytest.approx(73 / 5 / 6 * 25 - 25)  # 35.833…
        assert d["after"] == pytest.approx(101 / 5 / 6 * 25 - 25)  # 59.166…
        assert d["delta"] == pytest.approx(28 / 30 * 25)  # 23.333…
        assert d["p"] == pytest.approx(8 / 252) and d["method"] == "mann_whitney"
        # Holm over the four dimensions, all with p = 8/252: each adjusted to 4 · 8/252 = 0.127;
        # 23 points, but not demonstrable once four tests are made
        assert d["p_holm"] == pytest.approx(32 / 252)
        assert d["verdict"] == "none" and d["verdict_de"] == "keine nachweisbare Veränderung"
    assert result["index"]["delta"] == pytest.approx(28 / 30 * 25)


def test_normal_approximation_with_ties():
    # scores (answer − 1) × 25: wave 1 25, 25, 50, 50, 50, 75; wave 2 50, 75, 75, 75, 100, 100, 50
    before_values, after_values = [2, 2, 3, 3, 3, 4], [3, 4, 4, 4, 5, 5, 3]
    result = compare_waves([analysis_of([full_row(v) for v in before_values]),
                            analysis_of([full_row(v) for v in after_values])], ["2025", "2026"])
    # midranks: 25 → 1.5 (×2), 50 → 5 (×5), 75 → 9.5 (×4), 100 → 12.5 (×2)
    r1 = 1.5 * 2 + 5 * 3 + 9.5 * 1  # 27.5
    n1, n2 = 6, 7
    n = n1 + n2
    u1 = r1 - n1 * (n1 + 1) / 2  # 6.5
    ties = sum(t**3 - t for t in (2, 5, 4, 2))  # 192
    sigma = math.sqrt(n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1))))  # 6.6852
    z = (abs(u1 - n1 * n2 / 2) - 0.5) / sigma  # continuity correction: 2.0942
    p_hand = math.erfc(z / math.sqrt(2))
    assert p_hand == pytest.approx(0.03624, abs=1e-5)
    before = [(v - 1) * 25 for v in before_values]
    after = [(v - 1) * 25 for v in after_values]
    assert mannwhitneyu(before, after).pvalue == pytest.approx(p_hand, rel=1e-12)
    d = result["dimensions"]["fuehrung"]
    assert d["before"] == pytest.approx(275 / 6) and d["after"] == pytest.approx(75.0)
    assert d["delta"] == pytest.approx(75.0 - 275 / 6)
    assert d["p"] == pytest.approx(p_hand, rel=1e-12)
    assert (d["n_before"], d["n_after"]) == (6, 7)


@pytest.mark.parametrize(
    ("delta", "p", "code"),
    [
        (5.0, 0.049, "clear_up"),
        (4.99, 0.001, "slight_up"),
        (-5.0, 0.01, "clear_down"),
        (-0.5, 0.04, "slight_down"),
        (12.0, 0.05, "none"),  # p must be below 0.05
        (-12.0, 0.3, "none"),
        (8.0, None, "none"),
        (0.0, 0.01, "none"),
        (None, None, "not_compared"),
    ],
)
def test_verdict_rule(delta, p, code):
    assert verdict(delta, p) == code


def test_same_file_twice_gives_the_analysis_scores_and_no_change():
    a = analyse(read_survey(SAMPLE_XLSX), 5)
    b = analyse(read_survey(SAMPLE_XLSX), 5)
    result = compare_waves([a, b])
    assert result["waves"] == ["beispielstadt", "beispielstadt (2)"]
    for key in DIMENSION_KEYS:
        d = result["dimensions"][key]
        assert d["before"] == a.organisation.dimensions[key].score  # exactly, not approximately
        assert d["delta"] == 0.0 and d["p"] == pytest.approx(1.0) and d["verdict"] == "none"
    assert result["index"]["before"] == a.organisation.index
    for name, group in a.groups.items():
        assert result["series"]["groups"][name][0]["scores"]["kompetenz"] == group.dimensions["kompetenz"].score


def test_three_waves_series_and_first_to_last():
    waves = [[full_row(v) for v in values] for values in ([2, 2, 3, 3], [3, 3, 3, 4], [4, 4, 4, 5])]
    result = compare_waves([analysis_of(w) for w in waves], ["2024", "2025", "2026"])
    series = result["series"]["organisation"]
    assert [p["wave"] for p in series] == ["2024", "2025", "2026"]
    assert [p["scores"]["motivation"] for p in series] == [37.5, 56.25, 81.25]
    assert [p["index"] for p in series] == [37.5, 56.25, 81.25]
    d = result["dimensions"]["motivation"]
    assert (d["before"], d["after"], d["delta"]) == (37.5, 81.25, 43.75)
    expected = mannwhitneyu([25, 25, 50, 50], [75, 75, 75, 100]).pvalue
    assert d["p"] == pytest.approx(expected)


# --------------------------------------------------------------------------- privacy


def grouped(counts: dict[str, int], value: int = 3) -> list[dict]:
    return [full_row(value, g) for g, n in counts.items() for _ in range(n)]


def figures_text(result: dict) -> str:
    """Everything of a result that carries figures (names in hidden_groups/problems excluded)."""
    return json.dumps({k: v for k, v in result.items() if k not in ("hidden_groups", "problems")}, ensure_ascii=False)


def test_group_hidden_in_one_wave_appears_nowhere_with_figures():
    # wave 2: Amt Gamma has 3 < 5 → hidden; the hidden total 3 ≤ k − 1, so the
    # smallest reported group (Amt Alpha, 6; tie with Beta broken by name) is hidden too
    w1 = analyse(survey_of(grouped({"Amt Alpha": 6, "Amt Beta": 6, "Amt Gamma": 6}, 3), "Abteilung"), 5)
    w2 = analyse(survey_of(grouped({"Amt Alpha": 6, "Amt Beta": 6, "Amt Gamma": 3}, 4), "Abteilung"), 5)
    assert w2.suppressed_groups == ["Amt Alpha", "Amt Gamma"]
    result = compare_waves([w1, w2], ["Herbst 2025", "Herbst 2026"])
    assert list(result["groups"]) == ["Amt Beta"] and list(result["series"]["groups"]) == ["Amt Beta"]
    beta = result["groups"]["Amt Beta"]["motivation"]
    assert {k: beta[k] for k in ("before", "after", "delta")} == {"before": 50.0, "after": 75.0, "delta": 25.0}
    assert beta["method"] == "mann_whitney" and beta["p"] == pytest.approx(
        mannwhitneyu([50.0] * 6, [75.0] * 6, alternative="two-sided").pvalue)
    assert result["hidden_groups"] == ["Amt Alpha", "Amt Gamma"]
    text = figures_text(result)
    assert "Alpha" not in text and "Gamma" not in text
    assert any("Amt Alpha, Amt Gamma" in p["message"] for p in result["problems"])
    for build in (change_table, series_frame):
        with pytest.raises(PrivacyError):
            build(result, INSTRUMENT, "de", "Amt Gamma")
    out = compare_text(result, INSTRUMENT, "de")
    assert "Amt Alpha" in out.split("Ohne Zahlen")[1] and "Amt Alpha" not in out.split("Ohne Zahlen")[0]


def test_organisation_hidden_in_one_wave_is_not_compared():
    w1 = analyse(survey_of(grouped({"Amt Alpha": 6, "Amt Beta": 6})), 5)
    w2 = analyse(survey_of([full_row(4) for _ in range(4)]), 5)
    result = compare_waves([w1, w2], ["a", "b"])
    assert result["groups"] == {} and result["series"]["organisation"] == []
    for d in result["dimensions"].values():
        assert (d["before"], d["after"], d["delta"], d["p"]) == (None, None, None, None)
        assert d["verdict"] == "not_compared" and "weniger als 5" in d["reason"]
    assert result["index"]["before"] is None
    assert [p["severity"] for p in result["problems"]].count("error") == 1


# --------------------------------------------------------------------------- layouts and items


def wave_answers(n: int = 60, seed: int = SEED) -> tuple[np.ndarray, list[str]]:
    """``n`` respondents' answers 1–5 (NaN = no answer, about 5 %) and their departments."""
    rng = np.random.default_rng(seed)
    values = rng.integers(1, 6, size=(n, len(INSTRUMENT.items))).astype(float)
    values[rng.random(values.shape) < 0.05] = np.nan
    return values, [DEPARTMENTS[i % len(DEPARTMENTS)] for i in range(n)]


def improved(values: np.ndarray, dimension: str = "fuehrung", seed: int = SEED + 1) -> np.ndarray:
    """The same answers a year later, 60 % of one dimension's answers one step better."""
    out = values.copy()
    rng = np.random.default_rng(seed)
    for j, item in enumerate(INSTRUMENT.items):
        if item.dimension == dimension:
            hit = rng.random(len(out)) < 0.6
            out[hit, j] = np.clip(out[hit, j] + (-1 if item.reverse else 1), 1, 5)
    return out


def expected_scores(values: np.ndarray) -> dict[str, np.ndarray]:
    """Respondent scores written out: reverse item 6, mean of ≥ 4 valid answers, (mean − 1) × 25."""
    out = {}
    for key in DIMENSION_KEYS:
        cols = [j for j, it in enumerate(INSTRUMENT.items) if it.dimension == key]
        block = values[:, cols].copy()
        block[:, -1] = 6 - block[:, -1]
        valid = (~np.isnan(block)).sum(axis=1)
        mean = np.nansum(block, axis=1) / np.maximum(valid, 1)
        out[key] = np.where(valid >= 4, (mean - 1) * 25, np.nan)
    return out


def forms_workbook(values: np.ndarray, groups: list[str]) -> bytes:
    """A Microsoft Forms export: metadata columns, item texts as headers, answer labels as cells."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Form1"
    ws.append(["ID", "Startzeit", "Fertigstellungszeit", "E-Mail", "Name", "Abteilung",
               *(f"Wie sehr stimmen Sie den folgenden Aussagen zu?.{it.text_de}" for it in INSTRUMENT.items)])
    for i, (g, row) in enumerate(zip(groups, values, strict=True)):
        ws.append([i + 1, "11/3/25 9:01:00", "11/3/25 9:07:00", "anonymous", None, g,
                   *(None if np.isnan(v) else MS_LABELS[int(v) - 1] for v in row)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def german_csv(values: np.ndarray, groups: list[str], seed: int = SEED) -> bytes:
    """German Excel CSV: semicolons, decimal comma, cp1252, item IDs in a shuffled order."""
    order = np.random.default_rng(seed).permutation(len(INSTRUMENT.items))
    lines = [";".join(["Abteilung", "Bearbeitungsdauer (min)", *(INSTRUMENT.items[j].id for j in order)])]
    for g, row in zip(groups, values, strict=True):
        cells = ["" if np.isnan(row[j]) else f"{row[j]:.1f}".replace(".", ",") for j in order]
        lines.append(";".join([g, "12,5", *cells]))
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


@pytest.fixture(scope="module")
def layout_files(tmp_path_factory) -> tuple[Path, Path, np.ndarray, np.ndarray]:
    values, groups = wave_answers()
    later = improved(values)
    folder = tmp_path_factory.mktemp("wellen")
    before, after = folder / "Herbst 2025.xlsx", folder / "Herbst 2026.csv"
    before.write_bytes(forms_workbook(values, groups))
    after.write_bytes(german_csv(later, groups))
    return before, after, values, later


def test_forms_workbook_and_german_csv_compare_by_item_id(layout_files, capsys):
    before, after, values, later = layout_files
    assert main(["compare", str(before), str(after), "--min-group-size", "5"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["waves"] == ["Herbst 2025", "Herbst 2026"]
    assert result["missing_items"] == {"Herbst 2025": [], "Herbst 2026": []}
    exp_before, exp_after = expected_scores(values), expected_scores(later)
    for key in DIMENSION_KEYS:
        d = result["dimensions"][key]
        b, a = exp_before[key], exp_after[key]
        assert d["before"] == pytest.approx(np.nanmean(b), abs=1e-9)
        assert d["after"] == pytest.approx(np.nanmean(a), abs=1e-9)
        assert d["delta"] == pytest.approx(np.nanmean(a) - np.nanmean(b), abs=1e-9)
        assert d["p"] == pytest.approx(mannwhitneyu(b[~np.isnan(b)], a[~np.isnan(a)]).pvalue, rel=1e-9)
    assert result["dimensions"]["fuehrung"]["verdict"] == "clear_up"
    assert result["dimensions"]["fuehrung"]["delta"] > 5 and result["dimensions"]["fuehrung"]["p"] < 0.001
    for key in ("motivation", "kompetenz", "lernerfolg"):
        assert result["dimensions"][key]["delta"] == pytest.approx(0.0)
        assert result["dimensions"][key]["verdict"] == "none"
    assert sorted(result["groups"]) == sorted(DEPARTMENTS)


def test_compare_text_output(layout_files, capsys):
    before, after, _, _ = layout_files
    assert main(["compare", str(before), str(after), "--format", "text", "--labels", "Herbst 2025, Herbst 2026"]) == 0
    out = capsys.readouterr().out
    assert "Wellen: Herbst 2025 → Herbst 2026" in out
    assert "Führung: deutlich verbessert" in out and "Punkte (p < 0,001, Holm-korrigiert; Mann-Whitney-Test" in out
    assert "Motivation: keine nachweisbare Veränderung" in out
    assert "Bürgeramt" in out


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "learn_core", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_cli_errors_exit_2_with_one_german_line(layout_files, tmp_path):
    before, after, _, _ = layout_files
    broken = tmp_path / "kaputt.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    cases = [
        ((str(before),), "mindestens zwei Dateien"),
        ((str(before), str(broken)), "kaputt.xlsx: "),
        ((str(before), str(after), "--labels", "nur eine"), "--labels nennt 1 Namen"),
        ((str(before), str(after), "--labels", "A,A"), "denselben Namen"),
        ((str(before), str(after), "--min-group-size", "2"), "mindestens 3"),
    ]
    for args, fragment in cases:
        out = run_cli("compare", *args)
        lines = out.stderr.strip().splitlines()
        assert out.returncode == 2 and out.stdout == "", args
        assert len(lines) == 1 and lines[0].startswith("Fehler: ") and fragment in lines[0], lines


def test_items_missing_in_one_wave():
    # wave 1 answers M3 with 1 and every other item with 4 (reversed); wave 2 lacks M3, K4, K5, K6
    row = {**full_row(5), "M3": 1}
    w1 = analyse(survey_of([row] * 4), 3)
    frame = frame_of([full_row(4)] * 4).drop(columns=["M3", "K4", "K5", "K6"])
    w2 = analyse(survey_from_frame(frame), 3)
    assert w2.survey.report.unscorable_dimensions == ["kompetenz"]
    result = compare_waves([w1, w2], ["alt", "neu"])
    assert result["missing_items"] == {"alt": [], "neu": ["M3", "K4", "K5", "K6"]}
    m = result["dimensions"]["motivation"]
    assert m["items"] == ["M1", "M2", "M4", "M5", "M6"]
    assert (m["before"], m["after"]) == (100.0, 75.0)  # without M3 (with it wave 1 would score 83.3)
    k = result["dimensions"]["kompetenz"]
    assert (k["before"], k["after"], k["delta"], k["p"]) == (None, None, None, None)
    assert k["verdict"] == "not_compared" and "Kompetenz" in k["reason"] and "„neu“" in k["reason"]
    assert result["index"]["dimensions"] == ["motivation", "fuehrung", "lernerfolg"]
    messages = " ".join(p["message"] for p in result["problems"])
    assert "Welle „neu“: Diese Items fehlen: M3, K4, K5, K6." in messages
    assert "Motivation wird nur über die Items verglichen" in messages
    assert any("Kompetenz: nicht verglichen" in s for s in change_sentences(result, INSTRUMENT, "de"))
    competence = INSTRUMENT.dimension("kompetenz").name_en
    assert any(f"{competence}: not compared" in s for s in change_sentences(result, INSTRUMENT, "en"))


def test_too_few_common_items_although_each_wave_scores_the_dimension():
    w1 = analyse(survey_of([full_row(4)] * 3), 3)
    w2 = analyse(survey_from_frame(frame_of([full_row(4)] * 3).drop(columns=["L1", "L2"])), 3)
    w3 = analyse(survey_from_frame(frame_of([full_row(4)] * 3).drop(columns=["L3"])), 3)
    result = compare_waves([w1, w2, w3], ["a", "b", "c"])
    assert result["dimensions"]["lernerfolg"]["delta"] is None  # only L4, L5, L6 are in every wave
    assert "Zu wenige ihrer Items kommen in allen Wellen vor" in result["dimensions"]["lernerfolg"]["reason"]


def test_instrument_versions_are_matched_by_item_id():
    raw = {"schema": 1, "version": "2.0", "name_de": "LEARN", "name_en": "LEARN",
           "scale": {"labels_de": list(INSTRUMENT.scale.labels_de), "labels_en": list(INSTRUMENT.scale.labels_en)},
           "dimensions": [{"key": d.key, "name_de": d.name_de, "name_en": d.name_en,
                           "description_de": d.description_de, "description_en": d.description_en}
                          for d in INSTRUMENT.dimensions],
           "items": [{"id": it.id, "dimension": it.dimension, "reverse": it.reverse, "text_de": it.text_de,
                      "text_en": it.text_en} for it in INSTRUMENT.items if it.id != "M3"]}
    raw["items"].append({"id": "M7", "dimension": "motivation", "reverse": False, "text_de": "Neu.", "text_en": "New."})
    flipped = copy.deepcopy(raw)
    next(it for it in flipped["items"] if it["id"] == "F2")["reverse"] = True
    v2 = parse_instrument(flipped)
    rows = [{**full_row(4), "M7": 1}] * 3
    frame = pd.DataFrame([{i: r.get(i) for i in v2.item_ids} for r in rows], dtype=object)
    w2 = analyse(survey_from_frame(frame, v2), 3)
    result = compare_waves([analyse(survey_of([full_row(4)] * 3), 3), w2], ["v1", "v2"])
    assert result["missing_items"] == {"v1": ["M7"], "v2": ["M3"]}
    assert result["dimensions"]["motivation"]["items"] == ["M1", "M2", "M4", "M5", "M6"]
    assert result["dimensions"]["fuehrung"]["items"] == ["F1", "F3", "F4", "F5", "F6"]
    messages = " ".join(p["message"] for p in result["problems"])
    assert f"Fragebogen-Versionen ({INSTRUMENT.version}, 2.0)" in messages
    assert "Item F2 ist in den Wellen unterschiedlich festgelegt" in messages


# --------------------------------------------------------------------------- labels, display


def test_labels():
    a = analysis_of([full_row(3)] * 3)
    assert default_labels(["x/Herbst 2025.xlsx", "y/Herbst 2025.csv", "Herbst 2026.ods"]) == [
        "Herbst 2025", "Herbst 2025 (2)", "Herbst 2026"]
    cases = [(["eins"], "errors.waves.labels_count", "Es sind 2 Wellen, aber 1 Namen angegeben.",
              "There are 2 waves but 1 names are given."),
             (["a", "a"], "errors.waves.label_twice", "Zwei Wellen haben denselben Namen; bitte eindeutige "
              "Namen vergeben.", "Two waves have the same name; please give unique names."),
             (["a", " "], "errors.waves.label_empty", "Jede Welle braucht einen Namen.", "Every wave needs a name.")]
    for labels, code, de, en in cases:
        with pytest.raises(WavesError) as caught:
            compare_waves([a, a], labels)
        assert (caught.value.code, caught.value.message("de"), caught.value.message("en")) == (code, de, en)
        assert isinstance(caught.value, ValueError)
    with pytest.raises(WavesError, match="mindestens zwei") as caught:
        compare_waves([a])
    assert caught.value.message("en") == "At least two survey waves are needed for a comparison."


BEFORE_VALUES, AFTER_VALUES = (2, 2, 3, 3, 3, 4) * 2, (3, 4, 4, 4, 5, 5, 3) * 2


def test_tables_and_chart_are_german_formatted():
    result = compare_waves([analysis_of([full_row(v) for v in BEFORE_VALUES]),
                            analysis_of([full_row(v) for v in AFTER_VALUES])], ["2025", "2026"])
    # every dimension the same data: Holm makes each p four times scipy's
    p = 4 * mannwhitneyu([(v - 1) * 25 for v in BEFORE_VALUES], [(v - 1) * 25 for v in AFTER_VALUES],
                         alternative="two-sided").pvalue
    p_de, p_en = f"{p:.3f}".replace(".", ","), f"{p:.3f}"
    table = change_table(result, INSTRUMENT, "de")
    assert list(table.columns) == ["Dimension", "2025", "2026", "Veränderung (Punkte)", "p-Wert", "Bewertung"]
    assert table.iloc[0].tolist() == ["Motivation", "45,8", "75,0", "+29,2", p_de, "deutlich verbessert"]
    assert table.iloc[-1, 0] == "LEARN-Index"
    assert change_sentences(result, INSTRUMENT, "de")[0] == (
        f"Motivation: deutlich verbessert – von 45,8 („2025“) auf 75,0 („2026“), +29,2 Punkte (p = {p_de}, "
        "Holm-korrigiert; Mann-Whitney-Test der beiden Wellen).")
    assert change_sentences(result, INSTRUMENT, "en")[1] == (f"{INSTRUMENT.dimension('fuehrung').name_en}: clearly "
                                                             "improved – from 45.8 (“2025”) to 75.0 (“2026”), "
                                                             f"+29.2 points (p = {p_en}, Holm-corrected; "
                                                             "Mann–Whitney test of the two waves).")
    frame = series_frame(result, INSTRUMENT, "de")
    spec = waves_line_chart(frame, lang="de").to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["line", "point"]
    assert spec["layer"][0]["encoding"]["color"]["scale"]["range"] == OKABE_ITO[:4]
    assert "shape" in spec["layer"][1]["encoding"] and "strokeDash" in spec["layer"][0]["encoding"]
    data = next(iter(spec["datasets"].values()))
    assert {"2025", "2026"} == {d["wave"] for d in data} and "45,8" in {d["score_text"] for d in data}
    assert [t["title"] for t in spec["layer"][1]["encoding"]["tooltip"]] == ["Welle", "Dimension", "Wert"]


def test_pdca_table_puts_measures_beside_their_dimension():
    result = compare_waves([analysis_of([full_row(v) for v in BEFORE_VALUES]),
                            analysis_of([full_row(v) for v in AFTER_VALUES])], ["2025", "2026"])
    plan = pd.DataFrame({
        "ID": ["L-1", "F-2", ""], "Maßnahme": ["Erfolge sichtbar machen", "Feedbackgespräche", "Eigene Idee"],
        "Dimension": ["lernerfolg", "fuehrung", ""], "Verantwortlich": ["Frau A", "", ""],
        "Fällig bis": [pd.Timestamp("2026-03-31"), pd.NaT, pd.NaT], "Status": ["Check", "Do", "Plan"], "Notiz": "",
    })
    table = pdca_table(result, plan, INSTRUMENT, "de")
    assert table["Maßnahme"].tolist() == ["Feedbackgespräche", "Erfolge sichtbar machen", "Eigene Idee"]
    assert table["Dimension"].tolist() == ["Führung", "Lernerfolg", "–"]
    assert table["Veränderung (Punkte)"].tolist() == ["+29,2", "+29,2", "–"]
    assert table["Bewertung"].tolist()[:2] == ["deutlich verbessert"] * 2
    assert table["Fällig bis"].tolist()[1] == "31.03.2026"


# --------------------------------------------------------------------------- paired waves, trend (issue 15)


def _coded_wave(values: list[int], codes: list[str], shift: dict[str, int] | None = None) -> Analysis:
    rows = []
    for v, c in zip(values, codes, strict=True):
        row = full_row(v)
        for i in range(1, 6):  # a person's own change: some Motivation answers one step up
            if (shift or {}).get(c) and i <= shift[c]:
                row[f"M{i}"] = min(5, row[f"M{i}"] + 1)
        rows.append({**row, "Persönlicher Code": c})
    frame = frame_of(rows)
    frame["Persönlicher Code"] = [r["Persönlicher Code"] for r in rows]
    return analyse(survey_from_frame(frame), 5)


def test_the_same_people_again_are_compared_as_pairs():
    rng = np.random.default_rng(11)
    codes = [f"P{i:02d}" for i in range(30)]
    values = [int(v) for v in rng.integers(2, 5, 30)]
    steps = {c: int(s) for c, s in zip(codes, rng.integers(0, 3, 30), strict=True)}  # 0–2 answers up
    before, after = _coded_wave(values, codes), _coded_wave(values, codes, steps)
    result = compare_waves([before, after], ["2025", "2026"])
    d = result["dimensions"]["motivation"]
    assert d["method"] == "wilcoxon" and d["pairs"] == 30
    a, b = before.scores["motivation"].to_numpy(), after.scores["motivation"].to_numpy()
    diff = (b - a)[b != a]
    ref = wilcoxon(a, b, zero_method="wilcox", correction=False,
                   method="exact" if np.unique(np.abs(diff)).size == diff.size else "asymptotic").pvalue
    assert d["p"] == pytest.approx(ref, rel=1e-9)
    # the same change as two unrelated samples: the independent test misses it
    assert mannwhitneyu(a, b).pvalue > d["p"]
    # codes identify people: they appear in no result
    text = json.dumps(result) + json.dumps(after.result.to_json())
    assert "P07" not in text and "Persönlicher Code" not in json.dumps(result)


def test_too_few_people_in_both_waves_fall_back_to_the_independent_test():
    codes = [f"P{i:02d}" for i in range(12)]
    values = [2, 3, 4] * 4
    before = _coded_wave(values, codes)
    after = _coded_wave(values, [f"N{i:02d}" for i in range(6)] + codes[6:])  # only 6 people in both
    d = compare_waves([before, after], ["a", "b"])["dimensions"]["motivation"]
    assert d["method"] == "mann_whitney" and d["pairs"] is None


def test_three_waves_have_a_trend_over_all_of_them():
    waves = [analysis_of([full_row(v) for v in vals], 5) for vals in
             ((2, 2, 3, 3, 3, 4, 2), (3, 3, 3, 4, 3, 2, 3), (3, 4, 4, 4, 5, 3, 4))]
    result = compare_waves(waves, ["2024", "2025", "2026"])
    trend = result["dimensions"]["kompetenz"]["trend"]
    scores = [w.scores["kompetenz"].to_numpy() for w in waves]
    ref = linregress(np.concatenate([np.full(s.size, i) for i, s in enumerate(scores)]), np.concatenate(scores))
    assert trend["slope"] == pytest.approx(ref.slope) and trend["p"] == pytest.approx(ref.pvalue)
    assert "Über alle 3 Wellen" in change_sentences(result, INSTRUMENT, "de")[2]
    assert compare_waves(waves[:2], ["a", "b"])["dimensions"]["kompetenz"]["trend"] is None
