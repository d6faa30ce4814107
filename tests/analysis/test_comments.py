"""Open comments (learn_core.analysis.comments): who may see which comments,
hand-computed; the word counts; the JSON."""

from __future__ import annotations

import pandas as pd
import pytest

from learn_core.analysis import analyse
from learn_core.analysis.comments import (
    comment_threshold,
    open_comments,
    stop_words,
    word_frequencies,
)
from learn_core.reading import survey_from_frame
from tests.conftest import ITEM_IDS


def _survey(groups: dict[str, int], *, comment=lambda g, i: f"{g} Kommentar {i:02d}", extra=None,
            group_column="Abteilung"):
    """``groups`` name → respondents (every item answered 3), one comment each
    from ``comment(group, i)``; ``extra`` more raw columns per row."""
    rows = []
    for g, n in groups.items():
        for i in range(n):
            row = {"Abteilung": g, **dict.fromkeys(ITEM_IDS, 2 + i % 3), "Kommentar": comment(g, i)}
            row.update((extra or (lambda g, i: {}))(g, i))
            rows.append(row)
    return survey_from_frame(pd.DataFrame(rows, dtype=object), group_column=group_column)


def _lists(a):
    col = a.result.comments.columns[0]
    return col.organisation, {g.name: g for g in col.groups}, dict(a.result.comments.hidden_groups)


@pytest.mark.parametrize(("setting", "k", "threshold"), [(10, 5, 10), (9, 5, 9), (10, 12, 12), (3, 5, 5)])
def test_the_threshold_is_the_setting_never_below_k(setting, k, threshold):
    assert comment_threshold(setting, k) == threshold


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "10"])
def test_a_bad_threshold_is_refused(bad):
    with pytest.raises(ValueError, match="comment threshold"):
        comment_threshold(bad, 5)


@pytest.mark.parametrize(("setting", "shown", "hidden"), [
    (9, ["A", "B", "C"], {}),  # 9 each: all at the threshold 9
    (10, [], {"A": "min_size", "B": "min_size", "C": "min_size"}),  # 9 < 10
])  # fmt: skip
def test_a_group_of_nine_is_shown_at_threshold_nine_not_at_ten(setting, shown, hidden):
    a = analyse(_survey({"A": 9, "B": 9, "C": 9}), 5, comment_min_group=setting, seed=1)
    org, groups, hid = _lists(a)
    assert sorted(groups) == shown and hid == hidden
    assert org.respondents == 27 and len(org.texts) == 27  # the organisation (27 ≥ T) always
    for name in shown:
        assert sorted(groups[name].texts) == [f"{name} Kommentar {i:02d}" for i in range(9)]


def test_a_small_rest_hides_the_smallest_shown_group_too():
    # A 10, B 12, C 5 (reported, k = 5), T = 10: C is below T; the rest outside the shown
    # groups would be C's 5 (organisation minus A minus B), so A (the smallest) is hidden
    # too: rest 5 + 10 = 15 ≥ 10; B stays
    a = analyse(_survey({"A": 10, "B": 12, "C": 5}), 5, seed=1)
    assert sorted(a.groups) == ["A", "B", "C"]
    org, groups, hid = _lists(a)
    assert list(groups) == ["B"] and hid == {"A": "complementary", "C": "min_size"}
    assert len(org.texts) == 27 and len(groups["B"].texts) == 12


def test_equal_groups_at_the_threshold_with_nothing_left_over_are_all_shown():
    a = analyse(_survey({"A": 10, "B": 10}), 5, seed=1)
    org, groups, hid = _lists(a)
    assert sorted(groups) == ["A", "B"] and hid == {} and len(org.texts) == 20


def test_k_above_the_threshold_wins():
    # k = 12 > the setting 10: T = 12; groups of 12 and 13 are shown
    a = analyse(_survey({"A": 12, "B": 13}), 12, seed=1)
    assert a.result.comments.threshold == 12
    org, groups, hid = _lists(a)
    assert sorted(groups) == ["A", "B"] and hid == {}
    # a group of 11 is hidden by the analysis (below k), and B with it (so that A cannot
    # be told by difference): no list of either, the organisation's list stays
    org, groups, hid = _lists(analyse(_survey({"A": 11, "B": 13}), 12, seed=1))
    assert groups == {} and hid == {"A": "hidden", "B": "hidden"}
    assert org is not None and len(org.texts) == 24


def test_no_list_at_all_below_the_threshold():
    a = analyse(_survey({"A": 6, "B": 3}), 5, seed=1)  # 9 respondents < 10
    c = a.result.comments
    assert c.reason == "min_size" and c.columns[0].organisation is None and c.columns[0].groups == ()
    assert c.to_json(texts=True)["columns"] == [{"header": "Kommentar", "organisation": None, "groups": []}]


def test_empty_comments_and_rows_without_answers_are_left_out():
    # 12 respondents, 4 of them without comment ("", spaces, None, a tab); a row with a
    # comment but no answer is no respondent and its comment is not shown
    texts = ["", "   ", None, "\t"] + [f"gut {i}" for i in range(8)]
    survey = _survey({"A": 12}, comment=lambda g, i: texts[i])
    frame = pd.DataFrame([{"Abteilung": "A", "M1": None, "Kommentar": "ohne Antworten"}], dtype=object)
    survey2 = survey_from_frame(pd.concat([pd.DataFrame(
        [{"Abteilung": "A", **dict.fromkeys(ITEM_IDS, 3), "Kommentar": t} for t in texts], dtype=object), frame]),
        group_column="Abteilung")
    for s in (survey, survey2):
        org, groups, _ = _lists(analyse(s, 5, seed=1))
        assert sorted(org.texts) == sorted(f"gut {i}" for i in range(8))
        assert org.respondents == 12 and len(groups["A"].texts) == 8


def test_the_order_is_random_not_the_files_and_reproducible_with_a_seed():
    a = analyse(_survey({"A": 15, "B": 15}), 5, seed=7)
    org, groups, _ = _lists(a)
    in_file = [f"A Kommentar {i:02d}" for i in range(15)] + [f"B Kommentar {i:02d}" for i in range(15)]
    assert list(org.texts) != in_file and sorted(org.texts) == in_file
    assert list(groups["A"].texts) != in_file[:15] and sorted(groups["A"].texts) == in_file[:15]
    again = analyse(_survey({"A": 15, "B": 15}), 5, seed=7).result.comments.columns[0].organisation
    assert again.texts == org.texts
    # without a seed: drawn from the operating system; the same set of texts
    unseeded = analyse(_survey({"A": 15, "B": 15}), 5).result.comments.columns[0].organisation
    assert sorted(unseeded.texts) == in_file


def test_comments_only_by_the_files_first_attribute_column():
    # choosing Standort as the group column: Abteilung is the file's first attribute, so
    # no list per Standort (the same text in lists of two groupings would give away
    # the intersection); the organisation's list stays
    survey = _survey({"A": 10, "B": 10}, extra=lambda g, i: {"Standort": "Nord" if i % 2 else "Süd"},
                     group_column="Standort")
    a = analyse(survey, 5, seed=1)
    org, groups, hid = _lists(a)
    assert groups == {} and hid == {"Nord": "grouping", "Süd": "grouping"} and len(org.texts) == 20
    by_department = analyse(_survey({"A": 10, "B": 10}, extra=lambda g, i: {"Standort": "Nord" if i % 2 else "Süd"}),
                            5, seed=1)
    assert sorted(_lists(by_department)[1]) == ["A", "B"]


def test_hostile_text_is_kept_as_plain_text_for_the_shell_to_escape():
    a = analyse(_survey({"A": 10}, comment=lambda g, i: "<script>alert(1)</script>\x00\n**fett**"), 5, seed=1)
    org, _, _ = _lists(a)
    assert set(org.texts) == {"<script>alert(1)</script> **fett**"}


def test_the_json_has_counts_always_and_texts_only_when_asked():
    a = analyse(_survey({"A": 10, "B": 12, "C": 5}), 5, seed=1)
    plain = a.result.to_json()["comments"]
    assert plain["threshold"] == 10 and plain["texts_included"] is False
    col = plain["columns"][0]
    assert col["organisation"] == {"name": None, "respondents": 27, "count": 27}
    assert col["groups"] == [{"name": "B", "respondents": 12, "count": 12}]
    assert plain["hidden_groups"] == [{"name": "A", "reason": "complementary"}, {"name": "C", "reason": "min_size"}]
    assert "Kommentar" not in str({k: v for k, v in plain.items() if k != "columns"}) and "texts" not in col["groups"][0]
    full = a.result.to_json(comment_texts=True)["comments"]["columns"][0]
    assert sorted(full["groups"][0]["texts"]) == [f"B Kommentar {i:02d}" for i in range(12)]
    assert len(full["organisation"]["texts"]) == 27 and not any("C Kommentar" in t for t in full["groups"][0]["texts"])


def test_a_survey_without_comment_columns():
    a = analyse(survey_from_frame(pd.DataFrame([dict.fromkeys(ITEM_IDS, 3)] * 12, dtype=object)), 5)
    assert a.result.comments.columns == () and not a.result.comments.any_shown
    assert open_comments(a.survey, a.result, 10).threshold == 10


# --------------------------------------------------------------------------- word counts


def test_word_counts_without_stop_words_once_per_comment():
    texts = ["Mehr Zeit für Weiterbildung, bitte mehr Zeit!", "Die Zeit ist knapp.", "Weiterbildung ist gut",
             "Gut so", "IT-Ausstattung veraltet", "it-ausstattung", "Zu 2 Tagen"]
    # zeit: comments 1 and 2 (twice in 1 counts once); weiterbildung 1, 3; gut 3, 4 (gut is
    # no stop word); it-ausstattung 5, 6 (a hyphenated word, lower case); mehr, für, die,
    # ist, bitte, so, zu: stop words; "2" no word
    assert word_frequencies(texts) == [("gut", 2), ("it-ausstattung", 2), ("weiterbildung", 2), ("zeit", 2)]
    assert word_frequencies(texts, min_count=1, top=3) == [("gut", 2), ("it-ausstattung", 2), ("weiterbildung", 2)]
    assert ("tagen", 1) in word_frequencies(texts, min_count=1)
    assert word_frequencies(texts, min_length=5) == [("it-ausstattung", 2), ("weiterbildung", 2)]
    assert word_frequencies(texts, extra_stop_words=["Zeit"])[-1] == ("weiterbildung", 2)


def test_stop_words_are_german_and_english_and_lower_case():
    words = stop_words()
    assert {"und", "nicht", "für", "über", "the", "and"} <= words
    assert all(w == w.lower() and " " not in w for w in words)
    assert "straße" not in words and "weiterbildung" not in words


def test_word_counts_refuse_nonsense_bounds():
    with pytest.raises(ValueError):
        word_frequencies(["a"], top=0)
