"""The leader-vs-staff gap and the departments' rank bands for display
(:mod:`learn_core.analysis.gaps`, :mod:`learn_core.analysis.benchmark`).
Only what the result holds is shown: a hidden gap says why, never a figure;
a band only where the analysis gave one."""

from __future__ import annotations

import pandas as pd

from learn_core.analysis import Analysis
from learn_core.analysis.benchmark import INDEX
from learn_core.i18n import fmt_int, fmt_number, t
from learn_core.instrument import Instrument

__all__ = ["band_table", "band_text", "gap_header", "gap_intro", "gap_rows", "gap_table"]


def band_text(band: str | None, lang: str = "de") -> str:
    """„oberes Drittel“, „Mitte“, „unteres Drittel“, or „–“ (no band)."""
    return t(f"benchmark.band_{band}", lang) if band else "–"


def band_table(analysis: Analysis, instrument: Instrument, lang: str = "de") -> pd.DataFrame:
    """One row per reported department: its band for the index and each
    dimension (empty when the analysis gives no benchmark)."""
    bench = analysis.result.benchmark
    if bench is None:
        return pd.DataFrame()
    rows = []
    for name in analysis.result.groups:
        row = {t("col.group", lang): name, t("col.index", lang): band_text(bench.band(name, INDEX), lang)}
        for dim in instrument.dimensions:
            row[dim.name(lang)] = band_text(bench.band(name, dim.key), lang)
        rows.append(row)
    return pd.DataFrame(rows)


def gap_intro(analysis: Analysis, lang: str = "de") -> str:
    """Which column and values the gap compares, or why there is none."""
    gap = analysis.result.leader_gap
    if gap is None:
        return t("gap.none", lang)
    return t("gap.intro", lang, column=gap.role.header, leader=gap.role.leader, staff=gap.role.staff,
             k=analysis.min_group_size)


def gap_rows(analysis: Analysis, instrument: Instrument, lang: str = "de") -> list[list[str]]:
    """The gap table's rows as text: dimension, leaders (n), staff (n), gap,
    interval – or the reason a dimension's gap is hidden."""
    gap = analysis.result.leader_gap
    if gap is None:
        return []
    k = analysis.min_group_size
    rows = []
    for dim in instrument.dimensions:
        d = gap.dimensions[dim.key]
        if d.hidden is not None or d.gap is None or d.ci95 is None:  # figures are None only when hidden
            rows.append([dim.name(lang), "–", "–", "–", t(f"gap.hidden_{d.hidden}", lang, k=k)])
            continue
        sign = "+" if d.gap > 0 else ""
        rows.append([dim.name(lang),
                     f"{fmt_number(d.leaders_score, 1, lang)} (n = {fmt_int(d.leaders_n, lang)})",
                     f"{fmt_number(d.staff_score, 1, lang)} (n = {fmt_int(d.staff_n, lang)})",
                     f"{sign}{fmt_number(d.gap, 1, lang)}",
                     f"{fmt_number(d.ci95[0], 1, lang)} – {fmt_number(d.ci95[1], 1, lang)}"])
    return rows


def gap_table(analysis: Analysis, instrument: Instrument, lang: str = "de") -> pd.DataFrame:
    """:func:`gap_rows` with their headers (empty without a role column)."""
    return pd.DataFrame(gap_rows(analysis, instrument, lang), columns=gap_header(lang))


def gap_header(lang: str = "de") -> list[str]:
    return [t("col.dimension", lang), t("gap.col_leaders", lang), t("gap.col_staff", lang), t("gap.col_gap", lang),
            t("gap.col_ci", lang)]
