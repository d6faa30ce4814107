"""Participation for display: the overall sentence and the table per
department (:mod:`learn_core.analysis.participation`). Only what the
participation result holds is shown: no rate or respondent count of a hidden
group, no headcount below k."""

from __future__ import annotations

import pandas as pd

from learn_core.analysis.participation import Participation
from learn_core.i18n import fmt_int, fmt_percent, t

__all__ = ["participation_sentence", "participation_table"]


def participation_sentence(p: Participation, lang: str = "de") -> str:
    """"64 % took part (177 of 276)", or why the overall rate is missing."""
    if p.rate is None:
        return t(f"participation.overall_{p.reason or 'incomplete'}", lang, n=fmt_int(p.respondents, lang))
    text = t("participation.overall", lang, rate=fmt_percent(p.rate, 0, lang), n=fmt_int(p.respondents, lang),
             h=fmt_int(p.headcount, lang))
    if p.low:
        text += " " + t("participation.low", lang, threshold=fmt_percent(p.threshold, 0, lang))
    return text


def participation_table(p: Participation, k: int, lang: str = "de") -> pd.DataFrame:
    """One row per department: headcount, respondents, rate and a note
    (hidden, low, missing headcount)."""
    rows = []
    for r in p.groups:
        if r.hidden in ("min_size", "complementary", "overlap", "no_respondents"):
            note = t("participation.note_hidden", lang, k=k)
        elif r.hidden:
            note = t(f"participation.note_{r.hidden}", lang)
        elif r.low:
            note = t("participation.note_low", lang, threshold=fmt_percent(p.threshold, 0, lang))
        else:
            note = ""
        rows.append({t("col.group", lang): r.name,
                     t("participation.col_headcount", lang): r.headcount,
                     t("participation.col_respondents", lang): r.respondents,
                     t("participation.col_rate", lang): None if r.rate is None else round(r.rate, 1),
                     t("participation.col_note", lang): note})
    return pd.DataFrame(rows).astype(object)
