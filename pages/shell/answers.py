"""The Daten page's parts for exports the reader cannot read by itself: the
sheet to read, the answer labels to assign to 1–5 (saved and loaded as a
JSON file like the column mapping), and the rows that were not scored."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from learn_core.reading import ReadError, sheet_names
from learn_core.reading.mapping import (
    answer_map_json,
    column_map_json,
    read_answer_map,
    read_column_map,
)
from pages.shell.budget import upload_limit
from pages.shell.state import error_text, instrument, lang, tr
from pages.shell.texts import escape_md
from pages.shell.widgets import show_table

#: The choices of one label: not assigned, the scale's points, no answer.
_CODES = [None, 1, 2, 3, 4, 5, 0]


def _code_text(code: int | None) -> str:
    if code is None:
        return tr("daten.answers_none")
    if code == 0:
        return tr("daten.answers_missing")
    return f"{code} – {instrument().scale.labels(lang())[code - 1]}"


def answer_mapping_step() -> None:
    """Offer the unknown answer labels of the last refusal (and the labels
    already assigned) for assignment to 1–5; the analysis reruns with them."""
    unknown = st.session_state.get("_unknown_answers") or {}
    mapping = dict(st.session_state.get("answer_map") or {})
    labels = list(dict.fromkeys([*(t for texts in unknown.values() for t in texts), *mapping]))
    st.subheader(tr("daten.answers_title"))
    if unknown:
        st.write(tr("daten.answers_help", cols=", ".join(f"„{escape_md(c)}“" for c in list(unknown)[:5])))
    with st.form("answer_map_form"):
        chosen = {}
        for k, label in enumerate(labels):
            current = mapping.get(label)
            chosen[label] = st.selectbox(escape_md(label), _CODES, index=_CODES.index(current), key=f"_ans_{k}",
                                         format_func=_code_text)
        if st.form_submit_button(tr("daten.answers_apply"), type="primary", disabled=not labels):
            st.session_state["answer_map"] = {t: c for t, c in chosen.items() if c is not None}
            st.rerun()
    c1, c2 = st.columns(2)
    with c1:
        st.download_button(tr("daten.answers_save"), data=answer_map_json(mapping), file_name="learn-antworten.json",
                           mime="application/json", on_click="ignore", disabled=not mapping)
    with c2:
        saved = st.file_uploader(tr("daten.answers_load"), type=["json"], key="_answer_map_file", **upload_limit())
        if saved is not None and st.session_state.get("_answer_map_id") != saved.file_id:
            st.session_state["_answer_map_id"] = saved.file_id
            try:
                st.session_state["answer_map"] = read_answer_map(saved.getvalue(), file_name=saved.name)
                st.rerun()
            except ReadError as exc:
                st.error(error_text(exc))


def sheet_choice(ds: dict) -> None:
    """A select box of the workbook's sheets when it has more than one
    (default: the one the reader picks, the respondent table)."""
    if ds.get("data") is None:
        return
    key = ("_sheets", ds["digest"])
    if st.session_state.get("_sheets_key") != key:
        try:
            names = sheet_names(ds["data"], file_name=ds["name"])
        except ReadError:
            names = []
        st.session_state.update(_sheets_key=key, _sheets=names)
    names = st.session_state.get("_sheets") or []
    if len(names) < 2:
        return
    options = [None, *names]
    current = st.session_state.get("sheet")
    st.selectbox(tr("daten.sheet_choice"), options, index=options.index(current) if current in options else 0,
                 format_func=lambda v: tr("daten.sheet_auto") if v is None else v, key="_sheet_choice",
                 on_change=lambda: st.session_state.update(sheet=st.session_state["_sheet_choice"]))


def left_out_rows(report) -> None:
    """The rows with content that were not scored (summary rows, notes, rows
    without a valid answer) with the reason, and the sheets not read."""
    if report.other_sheets:
        st.caption(tr("daten.sheet_used", sheet=escape_md(report.sheet or ""),
                      others=", ".join(f"„{escape_md(n)}“" for n in report.other_sheets)))
    shown = [r for r in report.left_out_rows if r.reason != "no_answer"]
    if not shown:
        return
    with st.expander(tr("daten.left_out_title", n=len(shown))):
        st.write(tr("daten.left_out_help"))
        show_table(pd.DataFrame([{tr("daten.col_row"): r.row, tr("daten.col_reason"): tr(f"daten.reason_{r.reason}"),
                                  tr("daten.col_value"): r.text} for r in shown]), key="nicht_gezaehlte_zeilen")


def column_mapping_step(report) -> None:
    """Columns the reader did not recognise get a choice of the statements that
    are still missing, each shown with its text; when all were found, one line
    says so. The mapping is saved and loaded as a small JSON file."""
    st.subheader(tr("daten.mapping_title"))
    mapping = dict(st.session_state.get("column_map") or {})
    unmapped = [c for c in report.unmatched_columns if c != report.group_column] + list(mapping)
    if not report.missing_items and not mapping:  # every statement found: nothing to map
        st.write(tr("daten.mapping_none_needed", n=len(report.matched_columns)))
        unmapped = []
    else:
        st.write(tr("daten.mapping_help"))
    # the choices: the statements not found by themselves (and those mapped here), with their text
    open_ids = [i for i in instrument().item_ids if i in report.missing_items or i in mapping.values()]
    item_options = ["", *open_ids]
    statement = {i: escape_md(instrument().item(i).text(lang())) for i in open_ids}
    for col in dict.fromkeys(unmapped):
        current = mapping.get(col, "")
        choice = st.selectbox(escape_md(col), item_options, index=item_options.index(current) if current in item_options else 0,
                              key=f"_map_{col}",
                              format_func=lambda v: f"{v} – {statement[v][:90]}" if v else tr("daten.map_none"))
        if choice:
            mapping[col] = choice
        else:
            mapping.pop(col, None)
    if mapping != (st.session_state.get("column_map") or {}):
        st.session_state["column_map"] = mapping
        st.rerun()
    mc1, mc2 = st.columns(2)
    with mc1:
        st.download_button(tr("daten.mapping_save"), data=column_map_json(mapping),
                           file_name="learn-zuordnung.json", mime="application/json", on_click="ignore",
                           disabled=not mapping)
    with mc2:
        saved = st.file_uploader(tr("daten.mapping_load"), type=["json"], key="_mapping_file", **upload_limit())
        if saved is not None and st.session_state.get("_mapping_id") != saved.file_id:
            st.session_state["_mapping_id"] = saved.file_id
            try:
                st.session_state["column_map"] = read_column_map(saved.getvalue(), instrument(), file_name=saved.name)
                st.rerun()
            except ReadError as exc:
                st.error(f"{tr('daten.mapping_bad')} {error_text(exc)}")
