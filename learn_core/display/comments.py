"""Open comments for display (:mod:`learn_core.analysis.comments`): the
lists a reader may choose, the note on what is not shown, the table for the
Excel report and the CSV, the frequent words as a table and a bar chart.
Only what the comments result holds is shown. The texts stay plain text:
the shell escapes them, the reports write them as text."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from learn_core.analysis.comments import CommentList, Comments, word_frequencies
from learn_core.i18n import fmt_int, t

if TYPE_CHECKING:  # altair only where the chart is drawn: not for the Excel report or the CLI
    import altair as alt

__all__ = ["comment_lists", "comments_note", "comments_table", "list_label", "word_chart", "word_table"]


def comment_lists(comments: Comments) -> list[tuple[str, CommentList]]:
    """Every shown list as (column header, list): per column the
    organisation's first, then the groups' by name."""
    return [(c.header, lst) for c in comments.columns if c.organisation is not None
            for lst in (c.organisation, *c.groups)]


def list_label(header: str, lst: CommentList, lang: str = "de", *, with_header: bool = False) -> str:
    """"Bauamt" or "Ganze Organisation (ohne Gruppen)", with the column's header when asked."""
    name = t("comments.organisation", lang) if lst.name is None else lst.name
    return f"{header}: {name}" if with_header else name


def comments_note(comments: Comments, lang: str = "de") -> str:
    """Which groups have no list of their own and why ("" when all have one)."""
    if not comments.hidden_groups:
        return ""
    parts = [f"{name} ({t(f'comments.reason_{reason}', lang, t=comments.threshold)})"
             for name, reason in comments.hidden_groups]
    return t("comments.hidden", lang, groups=", ".join(parts))


def comments_table(comments: Comments, lang: str = "de") -> pd.DataFrame:
    """One row per shown comment: question (column), group (the organisation's
    list without group), comment – in each list's random order."""
    cols = [t("comments.column", lang), t("comments.col_group", lang), t("comments.col_text", lang)]
    rows = [[header, list_label(header, lst, lang), text] for header, lst in comment_lists(comments)
            for text in lst.texts]
    return pd.DataFrame(rows, columns=cols, dtype=object)


def word_table(texts, lang: str = "de", top: int = 20) -> pd.DataFrame:
    """The frequent words of ``texts`` (:func:`~learn_core.analysis.comments.word_frequencies`):
    word and number of comments, most frequent first."""
    pairs = word_frequencies(texts, top=top)
    return pd.DataFrame(pairs, columns=[t("comments.col_word", lang), t("comments.col_comments", lang)])


def word_chart(table: pd.DataFrame, lang: str = "de", *, large: bool = False) -> alt.Chart:
    """Horizontal bars of :func:`word_table`, most frequent on top, each bar
    labelled with its number (the table is its alternative)."""
    import altair as alt

    from learn_core.display.chartdata import INK, OKABE_ITO

    word, count = t("comments.col_word", lang), t("comments.col_comments", lang)
    frame = pd.DataFrame({"word": table[word].astype(str), "count": table[count].astype(int)})
    frame["count_text"] = [fmt_int(int(c), lang) for c in frame["count"]]
    size = 20 if large else 12
    y = alt.Y("word:N", sort=list(frame["word"]), title=None)
    base = alt.Chart(frame)
    bars = base.mark_bar(color=OKABE_ITO[1]).encode(
        x=alt.X("count:Q", title=count, axis=alt.Axis(tickMinStep=1)), y=y,
        tooltip=[alt.Tooltip("word:N", title=word), alt.Tooltip("count_text:N", title=count)])
    labels = base.mark_text(align="left", dx=4, color=INK, fontSize=size).encode(x="count:Q", y=y, text="count_text:N")
    return alt.layer(bars, labels).properties(
        width=560 if large else 420, height=max(60, (34 if large else 22) * len(frame)),
    ).configure_axis(labelFontSize=size, titleFontSize=size + 1)
