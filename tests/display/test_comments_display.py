"""Open comments for display (learn_core.display.comments): lists, note, table, word chart."""

from __future__ import annotations

from learn_core.analysis.comments import CommentColumn, CommentList, Comments
from learn_core.display.comments import (
    comment_lists,
    comments_note,
    comments_table,
    word_chart,
    word_table,
)

ORG = CommentList(None, 30, ("b", "=1+1"))
BAU = CommentList("Bauamt", 12, ("b",))
COMMENTS = Comments(10, (CommentColumn("Kommentar", ORG, (BAU,)), CommentColumn("Leer", None)),
                    (("Kasse", "min_size"), ("Zentrale", "complementary")))


def test_the_lists_the_organisations_first_and_no_column_without_one():
    assert comment_lists(COMMENTS) == [("Kommentar", ORG), ("Kommentar", BAU)]


def test_the_note_names_the_groups_without_a_list_and_why():
    assert comments_note(COMMENTS) == ("Ohne eigene Kommentarliste (ihre Kommentare stehen nur in der Liste der "
                                       "Organisation): Kasse (weniger als 10 Antwortende), Zentrale (zum Schutz "
                                       "einer kleinen Gruppe).")
    assert comments_note(Comments(10, ())) == ""


def test_the_table_one_comment_a_row_in_english():
    table = comments_table(COMMENTS, "en")
    assert list(table.columns) == ["Question", "Group", "Comment"]
    assert table.values.tolist() == [["Kommentar", "Whole organisation (without groups)", "b"],
                                     ["Kommentar", "Whole organisation (without groups)", "=1+1"],
                                     ["Kommentar", "Bauamt", "b"]]


def test_the_word_chart_bars_most_frequent_on_top_with_their_numbers():
    table = word_table(["Zeit und Geld", "Zeit fehlt", "mehr Geld, mehr Zeit"])
    assert table.values.tolist() == [["zeit", 3], ["geld", 2]]
    spec = word_chart(table).to_dict()
    bars, labels = spec["layer"]
    assert bars["mark"]["type"] == "bar" and labels["mark"]["type"] == "text"
    assert bars["encoding"]["y"]["sort"] == ["zeit", "geld"] and bars["encoding"]["x"]["field"] == "count"
    assert labels["encoding"]["text"]["field"] == "count_text"
    data = next(iter(spec["datasets"].values()))
    assert [(d["word"], d["count"], d["count_text"]) for d in data] == [("zeit", 3, "3"), ("geld", 2, "2")]
