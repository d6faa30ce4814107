"""Ansatzpunkte: key drivers of Lernerfolg as a priority matrix, the weakest statements with their measures,
the leader-vs-staff gap, the open comments where they may be shown."""

import streamlit as st

from learn_core.display import drivers as views
from learn_core.display.benchmark import gap_intro, gap_table
from learn_core.display.comments import (
    comment_lists,
    comments_note,
    list_label,
    word_chart,
    word_table,
)
from learn_core.i18n import fmt_int
from pages import shell
from pages.shell import escape_md, lang, tr

st.title(tr("drivers.page"))
analysis = shell.require_analysis()
inst = shell.instrument()
drivers = analysis.result.drivers
st.write(tr("drivers.intro", **views.driver_names(inst, lang())))

if drivers is None or drivers.reason is not None:
    st.info(views.driver_sentence(drivers, lang(), inst))
else:
    (st.warning if drivers.caution else st.caption)(views.driver_sentence(drivers, lang(), inst))
    for items in (False, True):
        st.subheader(tr("drivers.matrix_items" if items else "drivers.matrix_dimensions"))
        shell.show_chart(
            lambda items=items: views.priority_matrix_chart(views.priority_matrix_data(drivers, inst, lang(), items=items),
                                                      lang(), items=items, large=shell.large(), instrument=inst),
            lambda items=items: views.priority_matrix_table(views.priority_matrix_data(drivers, inst, lang(), items=items),
                                                      lang(), items=items, instrument=inst),
            key=f"matrix_{'items' if items else 'dimensions'}",
            caption=tr("drivers.matrix_caption", outcome=views.driver_names(inst, lang())["outcome"]),
        )
    st.subheader(tr("drivers.table_title"))
    shell.show_table(views.driver_table(drivers, inst, lang()), key="treiber")

if analysis.result.item_priorities:
    st.subheader(tr("drivers.priorities_title"))
    st.caption(tr("drivers.priorities_help", outcome=views.driver_names(inst, lang())["outcome"]))
    shell.show_table(views.item_priority_table(analysis, inst, lang()), key="prioritaeten")

st.subheader(tr("gap.title"))
st.caption(gap_intro(analysis, lang()))
if analysis.result.leader_gap is not None:
    shell.show_table(gap_table(analysis, inst, lang()), key="fuehrung_abstand")
    st.caption(tr("gap.help"))

comments = analysis.result.comments
st.subheader(tr("comments.title"))
if comments is None or not comments.columns:
    st.caption(tr("comments.none"))
elif not comments.any_shown:
    st.info(tr("comments.too_few", t=comments.threshold))
else:
    st.caption(tr("comments.intro", t=comments.threshold))
    lists, lg = comment_lists(comments), lang()  # the language now: the labels are formatted with it
    pick = st.selectbox(tr("comments.choice"), range(len(lists)), key="ansatzpunkte_comments",
                        format_func=lambda i: list_label(*lists[i], lg, with_header=len(comments.columns) > 1))
    chosen = lists[pick][1]
    st.caption(tr("comments.count", n=fmt_int(len(chosen.texts), lang()), r=fmt_int(chosen.respondents, lang())))
    with st.container(border=True):  # no inner scroll box: one a keyboard cannot reach (axe) for a long list
        # text from the file: escaped, never Markdown or HTML
        st.markdown("\n".join(f"- {escape_md(text)}" for text in chosen.texts) or tr("comments.empty"))
    if note := comments_note(comments, lang()):
        st.caption(note)
    if st.toggle(tr("comments.words_toggle"), key="ansatzpunkte_words"):
        st.markdown(f"**{tr('comments.words_title')}**")
        words = shell.memo("comment_words", lambda: word_table(chosen.texts, lang()), pick)
        if words.empty:
            st.info(tr("comments.words_none"))
        else:
            shell.show_chart(lambda: word_chart(words, lang(), large=shell.large()), lambda: words,
                             key="comment_words", caption=tr("comments.words_caption"), deps=(pick,))

shell.report_downloads("ansatzpunkte")
