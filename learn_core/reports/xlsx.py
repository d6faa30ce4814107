"""The layout of the Excel report (see :func:`learn_core.reports.report_xlsx`).

Numbers are stored as numbers (scores with one decimal shown, p-values with
three), exactly as the command line's JSON has them; every table has a
styled, frozen header row. Every text cell goes through :func:`_text`, which
stores it as a string and neutralises a leading = + - @ tab or CR.
"""

from __future__ import annotations

import math

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from learn_core.analysis.gaps import LeaderGap
from learn_core.display.benchmark import band_text, gap_intro
from learn_core.display.comments import comments_note, comments_table
from learn_core.display.drivers import driver_sentence, driver_table, item_priority_table
from learn_core.display.participation import participation_sentence, participation_table
from learn_core.display.views import (
    alpha_note,
    hidden_groups,
    item_distribution,
    kruskal_sentences,
    level_name,
    level_text,
    matched_for,
    reason_text,
)
from learn_core.i18n import t
from learn_core.recommendations import indicator_text
from learn_core.reports.common import ReportInput, method_blocks, plan_rows
from learn_core.spreadsheet import MAX_ROW_HEIGHT, excel_text, workbook_bytes

__all__ = ["build_xlsx"]

HEADER_FILL = PatternFill("solid", fgColor="1F5F8B")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14, color="1F5F8B")
WRAP = Alignment(wrap_text=True, vertical="top")
SCORE = "0.0"
PERCENT = "0.0"
P_VALUE = "[<0.001]0.0E+00;0.000"  # tiny p-values stay visible
ALPHA = "0.00"


def build_xlsx(inp: ReportInput) -> bytes:
    """Build the workbook; returns the bytes of an .xlsx file."""
    wb = Workbook()
    _overview(wb.active, inp)
    _groups(wb.create_sheet(), inp)
    if inp.analysis.result.participation is not None:
        _participation(wb.create_sheet(), inp)
    _drivers(wb.create_sheet(), inp)
    _items(wb.create_sheet(), inp)
    _measures(wb.create_sheet(), inp)
    if inp.plan is not None:
        _plan(wb.create_sheet(), inp)
    if inp.comment_lists:
        _comments(wb.create_sheet(), inp)
    _method(wb.create_sheet(), inp)
    for ws in wb:
        _fit_rows(ws)
        _print_setup(ws)
    return workbook_bytes(wb)  # in memory: openpyxl's save passes each sheet through a temporary file


# --------------------------------------------------------------------------- cells


def _text(value: object) -> object:
    """A value for a cell: strings neutralised (never a formula) and cut to
    Excel's 32,767 characters, numbers kept."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    return excel_text(str(value))


def _put(ws, row: int, col: int, value: object, fmt: str | None = None):
    cell = ws.cell(row=row, column=col)
    cell.value = _text(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"  # even a text openpyxl would take for a formula stays text
    if fmt and isinstance(cell.value, int | float):
        cell.number_format = fmt
    return cell


def _table(ws, top: int, header: list[str], rows: list[list], formats: list[str | None] | None = None,
           widths: list[float] | None = None, freeze: bool = True) -> int:
    """Write a header row at ``top`` and the rows below; returns the next free row."""
    for j, name in enumerate(header, 1):
        cell = _put(ws, top, j, name)
        cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, Alignment(wrap_text=True, vertical="center")
    for i, row in enumerate(rows, top + 1):
        for j, value in enumerate(row, 1):
            fmt = formats[j - 1] if formats else None
            cell = _put(ws, i, j, value, fmt)
            if isinstance(cell.value, str) and len(cell.value) > 40:
                cell.alignment = WRAP
    if freeze and ws.freeze_panes is None:
        ws.freeze_panes = ws.cell(row=top + 1, column=1).coordinate
    for j, width in enumerate(widths or [], 1):
        ws.column_dimensions[get_column_letter(j)].width = width
    if rows:
        ws.auto_filter.ref = f"A{top}:{get_column_letter(len(header))}{top + len(rows)}"
    return top + len(rows) + 2


def _fit_rows(ws) -> None:
    """Row heights for wrapped text (spreadsheet programs do not always fit
    them on opening): lines estimated from the text length and column width."""
    for row in ws.iter_rows():
        lines = 1
        for cell in row:
            if isinstance(cell.value, str) and cell.alignment.wrap_text:
                width = ws.column_dimensions[cell.column_letter].width or 10
                per_line = max(8, int(width * 1.15))
                lines = max(lines, sum(math.ceil(max(1, len(part)) / per_line) for part in cell.value.split("\n")))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = min(15 * lines, MAX_ROW_HEIGHT)  # Excel's tallest row


def _print_setup(ws) -> None:
    """Landscape, one page wide, the header row repeated on every printed page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if ws.freeze_panes and ws.freeze_panes != "A1" and ws.max_column > 1:  # tables, not the method text
        top = ws[ws.freeze_panes].row - 1
        if top >= 1:
            ws.print_title_rows = f"{top}:{top}"


def _num(value):
    return None if value is None else float(value)


# --------------------------------------------------------------------------- sheets


def _overview(ws, inp: ReportInput) -> None:
    a, lang = inp.analysis, inp.lang
    org = inp.org
    inst = a.survey.instrument
    ws.title = t("report.sheet_overview", lang)
    _put(ws, 1, 1, f"{t('report.title', lang, name=inst.name(lang))} – {inp.organisation}").font = TITLE_FONT
    facts = [
        (t("report.date", lang), inp.today, "DD.MM.YYYY"),
        (t("report.source", lang), a.result.file or "–", None),
        (t("report.rows_read", lang), a.result.rows_read, "#,##0"),
        (t("report.respondents", lang), a.result.respondents, "#,##0"),
        (t("report.min_group", lang), a.min_group_size, "0"),
        (t("report.index", lang), _num(org.index), SCORE),
        (t("report.level", lang), f"{org.level} – {level_name(org.level, lang)}" if org.level else "–", None),
    ]
    if a.result.subset is not None:
        facts.append((t("report.filter", lang), t("report.filter_value", lang, column=a.result.subset.column,
                                                   value=a.result.subset.value), None))
    if a.result.group_column:
        facts.append((t("report.groups", lang),
                      t("report.groups_count", lang, shown=len(a.groups), hidden=len(a.suppressed_groups)), None))
    for i, (key, value, fmt) in enumerate(facts, 3):
        _put(ws, i, 1, key).font = Font(bold=True)
        cell = ws.cell(row=i, column=2, value=value) if fmt == "DD.MM.YYYY" else _put(ws, i, 2, value, fmt)
        if fmt == "DD.MM.YYYY":
            cell.number_format = fmt
        cell.alignment = Alignment(horizontal="left")
    top = 3 + len(facts) + 1
    header = [t("col.dimension", lang), t("col.score", lang), t("report.ci_low", lang), t("report.ci_high", lang),
              t("report.favourable_pct", lang), t("col.level", lang), t("report.level_name_col", lang),
              t("col.n", lang), t("col.alpha", lang), t("col.interpretation", lang)]
    rows = []
    for dim in inst.dimensions:
        d = org.dimensions[dim.key]
        ci = d.ci95 or (None, None)
        rows.append([dim.name(lang), _num(d.score), _num(ci[0]), _num(ci[1]), _num(d.favourable),
                     d.level, level_text(d.level, d.level_range, lang), d.n, _num(d.alpha),
                     alpha_note(d.alpha, lang, d.alpha_n)])
    _table(ws, top, header, rows, [None, SCORE, SCORE, SCORE, PERCENT, "0", None, "#,##0", ALPHA, None],
           [24, 14, 11, 11, 15, 8, 20, 14, 14, 48], freeze=False)
    ws.freeze_panes = ws.cell(row=top + 1, column=1).coordinate


def _groups(ws, inp: ReportInput) -> None:
    a, lang = inp.analysis, inp.lang
    inst = a.survey.instrument
    dims = list(inst.dimensions)
    names = {d.key: d.name(lang) for d in dims}
    ws.title = t("report.sheet_groups", lang)
    bench = a.result.benchmark  # the rank bands (thirds), last: "–" where none is given
    header = [t("col.group", lang), t("col.n", lang), t("col.index", lang), t("col.level", lang),
              *[d.name(lang) for d in dims], t("col.strengths", lang), t("col.focus", lang), t("report.note_col", lang),
              *[f"n {d.name(lang)}" for d in dims], t("benchmark.col_index", lang),
              *[f"{t('benchmark.col_short', lang)} {d.name(lang)}" for d in dims]]
    rows = [
        [name, g.n, _num(g.index), g.level, *[_num(g.dimensions[d.key].score) for d in dims],
         ", ".join(names[k] for k in g.strengths), ", ".join(names[k] for k in g.focus_areas),
         _cell_note(g, names, a.min_group_size, lang), *[g.dimensions[d.key].n for d in dims],
         *[band_text(bench.band(name, key) if bench else None, lang) for key in ("index", *[d.key for d in dims])]]
        for name, g in a.groups.items()
    ]
    # hidden groups: the name and why, never a figure
    rows += [[name, *[None] * (5 + len(dims)), reason, *[None] * (2 * len(dims) + 1)]
             for name, reason in hidden_groups(a, lang)]
    if not a.result.group_column:
        rows = [[t("report.no_groups", lang)]]
    nxt = _table(ws, 1, header, rows, [None, "#,##0", SCORE, "0", *[SCORE] * len(dims), None, None, None,
                                       *["#,##0"] * len(dims), *[None] * (len(dims) + 1)],
                 [30, 14, 12, 8, *[14] * len(dims), 30, 30, 50, *[14] * len(dims), *[16] * (len(dims) + 1)])
    if a.result.comparison:
        rows = []
        sentences = dict(zip([d.key for d in dims if d.key in a.result.comparison],
                             kruskal_sentences(a, inst, lang), strict=False))
        for d in dims:
            test = a.result.comparison.get(d.key)
            if test:
                rows.append([d.name(lang), _num(test.H), _num(test.p), _num(test.epsilon2),
                             sentences.get(d.key, "")])
        _put(ws, nxt, 1, t("report.kw_title", lang)).font = Font(bold=True)
        _table(ws, nxt + 1, [t("col.dimension", lang), "H", "p", "ε²", t("report.test_col", lang)], rows,
               [None, "0.00", P_VALUE, "0.000", None], freeze=False)
        for r in range(nxt + 2, nxt + 2 + len(rows)):  # the sentence runs on into the empty cells beside it
            ws.cell(row=r, column=5).alignment = Alignment(wrap_text=False, vertical="top")


def _participation(ws, inp: ReportInput) -> None:
    """Participation per department: no rate or respondents of a hidden group, no headcount below k."""
    a, lang = inp.analysis, inp.lang
    p = a.result.participation
    if p is None:  # a sheet only when headcounts were given
        return
    ws.title = t("participation.title", lang)
    _put(ws, 1, 1, participation_sentence(p, lang)).font = Font(bold=True)
    table = participation_table(p, a.min_group_size, lang)
    rows = [[None if pd.isna(v) else v for v in row] for row in table.itertuples(index=False)]
    _table(ws, 3, list(table.columns), rows, [None, "#,##0", "#,##0", PERCENT, None], [32, 14, 14, 16, 60])


def _drivers(ws, inp: ReportInput) -> None:
    """Where to act: the enablers' drivers and the weakest statements with their measures."""
    a, lang = inp.analysis, inp.lang
    inst = a.survey.instrument
    d = a.result.drivers
    ws.title = t("drivers.page", lang)
    _put(ws, 1, 1, driver_sentence(d, lang, a.survey.instrument)).font = Font(bold=True)
    top = 3
    if d is not None and d.reason is None:
        table = driver_table(d, inst, lang)
        top = _table(ws, top, list(table.columns), [list(r) for r in table.itertuples(index=False)],
                     [None, "#,##0", ALPHA, None, ALPHA, None, PERCENT, SCORE, None], [24, 8, 8, 18, 8, 18, 16, 14, 22])
    if a.result.item_priorities:
        _put(ws, top, 1, t("drivers.priorities_title", lang)).font = Font(bold=True)
        table = item_priority_table(a, inst, lang)
        top = _table(ws, top + 1, list(table.columns), [list(r) for r in table.itertuples(index=False)],
                     [None, None, None, PERCENT, ALPHA, None, None], freeze=False)
    if a.result.leader_gap is not None:
        _gap(ws, top, inp, a.result.leader_gap)


def _gap(ws, top: int, inp: ReportInput, gap: LeaderGap) -> None:
    """The leader-vs-staff gap as numbers; a hidden dimension gives its reason, no figure."""
    a, lang = inp.analysis, inp.lang
    _put(ws, top, 1, t("gap.title", lang)).font = Font(bold=True)
    _put(ws, top + 1, 1, gap_intro(a, lang))
    header = [t("col.dimension", lang), t("gap.col_leaders", lang), "n", t("gap.col_staff", lang), "n",
              t("gap.col_gap", lang), t("report.ci_low", lang), t("report.ci_high", lang), t("report.note_col", lang)]
    rows: list[list[object]] = []
    for dim in a.survey.instrument.dimensions:
        d = gap.dimensions[dim.key]
        if d.hidden is not None or d.ci95 is None:  # figures are None only when hidden
            rows.append([dim.name(lang), *[None] * 7, t(f"gap.hidden_{d.hidden}", lang, k=a.min_group_size)])
            continue
        rows.append([dim.name(lang), d.leaders_score, d.leaders_n, d.staff_score, d.staff_n, d.gap, d.ci95[0],
                     d.ci95[1], None])
    _table(ws, top + 2, header, rows, [None, SCORE, "#,##0", SCORE, "#,##0", SCORE, SCORE, SCORE, None],
           freeze=False)


def _comments(ws, inp: ReportInput) -> None:
    """The open comments the analysis may show (ticked by the user), one a row; text, never a formula."""
    c, lang = inp.analysis.result.comments, inp.lang
    if c is None:  # a sheet only when comments may be shown (ReportInput.comment_lists)
        return
    ws.title = t("comments.title", lang)
    _put(ws, 1, 1, t("comments.report_intro", lang, t=c.threshold)).font = Font(bold=True)
    top = 3
    if note := comments_note(c, lang):
        _put(ws, 2, 1, note)
        top = 4
    table = comments_table(c, lang)
    _table(ws, top, list(table.columns), [list(r) for r in table.itertuples(index=False)], None, [28, 30, 90])


def _cell_note(group, names: dict[str, str], k: int, lang: str) -> str | None:
    """Which of a group's dimensions are hidden, and why (no figure)."""
    parts = [f"{names[key]}: {t('privacy.cell', lang)} ({reason_text(d.hidden, k, lang)})"
             for key, d in group.dimensions.items() if d.hidden]
    return "; ".join(parts) or None


def _items(ws, inp: ReportInput) -> None:
    a, lang = inp.analysis, inp.lang
    inst = a.survey.instrument
    ws.title = t("report.sheet_items", lang)
    labels = inst.scale.labels(lang)
    names = {d.key: d.name(lang) for d in inst.dimensions}
    header = ["ID", t("col.dimension", lang), t("col.statement", lang), t("report.reverse_col", lang),
              t("col.n", lang), *[t("report.share_col", lang, label=f"{i} {lab}") for i, lab in enumerate(labels, 1)],
              t("report.favourable_pct", lang)]
    rows = [
        [r["id"], names[r["dimension"]], r["text"], t("report.yes" if r["reverse"] else "report.no", lang), None if r["hidden"] else int(r["n"]),
         *[_num(r[f"share_{i}"]) for i in range(1, 6)], None if r["favourable"] != r["favourable"] else r["favourable"]]
        for r in item_distribution(a, lang).to_dict("records")
    ]
    _table(ws, 1, header, rows, [None, None, None, None, "#,##0", *[PERCENT] * 5, PERCENT],
           [7, 14, 70, 10, 13, 14, 14, 14, 14, 14, 15])


def _measures(ws, inp: ReportInput) -> None:
    a, lang = inp.analysis, inp.lang
    names = {d.key: d.name(lang) for d in a.survey.instrument.dimensions}
    ws.title = t("report.sheet_measures", lang)
    _, recs = matched_for(a, None)
    header = [t("report.rank_col", lang), "ID", t("col.dimension", lang), t("report.levels_col", lang),
              t("report.title_col", lang), t("report.why", lang), t("report.steps", lang),
              t("report.method_col", lang), t("report.effort_col", lang), t("report.horizon_col", lang),
              t("report.area_col", lang), t("massnahmen.col_owner", lang), t("massnahmen.cost", lang),
              t("massnahmen.first_result", lang), t("massnahmen.indicator", lang),
              t("report.codetermination_col", lang), t("report.data_protection_col", lang)]
    no = t("report.no", lang)
    rows = [
        [i, r.id, names.get(r.dimension, r.dimension), f"{r.levels[0]}–{r.levels[1]}", r.title(lang), r.why(lang),
         "\n".join(f"{k}. {s}" for k, s in enumerate(r.steps(lang), 1)), r.method(lang), r.effort_name(lang),
         r.horizon_name(lang), r.area_name(lang), r.owner_name(lang), r.cost_name(lang), r.first_result_name(lang),
         indicator_text(r, lang), *(check or no for check in _checks(r, lang))]
        for i, r in enumerate(recs, 1)
    ]
    _table(ws, 1, header, rows, ["0"] + [None] * 16,
           [7, 9, 14, 8, 40, 50, 70, 20, 12, 22, 22, 26, 30, 20, 60, 40, 40])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAP


def _checks(rec, lang: str) -> tuple[str, str]:
    """The Personalrat and the data-protection sentence of a measure, each
    empty when not needed (one column each, so either can be filtered)."""
    return (t("massnahmen.codetermination", lang) if rec.codetermination else "",
            t("massnahmen.data_protection", lang) if rec.data_protection else "")


def _plan(ws, inp: ReportInput) -> None:
    lang = inp.lang
    ws.title = t("report.sheet_plan", lang)
    header = ["ID", t("report.title_col", lang), t("col.dimension", lang), t("massnahmen.col_owner", lang),
              t("massnahmen.col_due", lang), t("report.status_col", lang), t("massnahmen.col_note", lang),
              t("massnahmen.col_indicator", lang)]
    records = plan_rows(inp.plan, lang, inp.analysis.survey.instrument)
    rows = [[r["id"], r["measure"], r["dimension"], r["owner"], None, r["status"], r["note"], r["indicator"]]
            for r in records]
    _table(ws, 1, header, rows, widths=[10, 50, 14, 30, 12, 10, 40, 60])
    for i, r in enumerate(records, 2):
        if r["due"] is not None:
            cell = ws.cell(row=i, column=5, value=r["due"])
            cell.number_format = "DD.MM.YYYY"


def _method(ws, inp: ReportInput) -> None:
    ws.title = t("report.sheet_method", inp.lang)
    ws.column_dimensions["A"].width = 110
    row = 1
    _put(ws, row, 1, t("report.method_title", inp.lang)).font = TITLE_FONT
    row += 2
    for block in method_blocks(inp.lang, inp.analysis.min_group_size, inp.analysis.survey.instrument):
        if block[0] == "h" and row > 3:
            row += 1  # a blank line before each section
        if block[0] == "table":
            lines = [" – ".join(block[1])] + [" – ".join(r) for r in block[2]]
        else:
            lines = [("• " if block[0] == "li" else "") + block[1]]
        for line in lines:
            cell = _put(ws, row, 1, line)
            cell.alignment = WRAP
            if block[0] == "h":
                cell.font = Font(bold=True, size=12)
            row += 1
    ws.freeze_panes = "A2"
