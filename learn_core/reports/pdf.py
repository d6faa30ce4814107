"""The layout of the PDF report (see :func:`learn_core.reports.report_pdf`)."""

from __future__ import annotations

import pandas as pd
from fpdf.enums import XPos, YPos

from learn_core.analysis import Analysis
from learn_core.display.benchmark import band_table, gap_header, gap_intro, gap_rows
from learn_core.display.comments import comment_lists, comments_note, list_label
from learn_core.display.drivers import (
    driver_names,
    driver_sentence,
    driver_table,
    item_priority_table,
    priority_matrix_data,
)
from learn_core.display.measures import measure_facts
from learn_core.display.participation import participation_sentence, participation_table
from learn_core.display.views import (
    alpha_note,
    dimension_cards,
    heatmap_data,
    hidden_groups,
    item_distribution,
    kruskal_sentences,
    level_meaning,
    level_name,
    level_text,
    matched_for,
    pair_sentences,
    radar_series,
    whole_name,
)
from learn_core.i18n import fmt_date, fmt_int, fmt_number, fmt_percent, t
from learn_core.recommendations import indicator_text
from learn_core.reports import pdfcharts
from learn_core.reports.common import ReportInput, method_blocks, plan_rows
from learn_core.reports.pdfdoc import FONT, MUTED, PRIMARY, LearnPDF

__all__ = ["build_pdf", "item_rows"]


#: Measures described with their first steps (the others are listed in a table).
DETAILED_MEASURES = 4


def build_pdf(inp: ReportInput) -> bytes:
    """Lay out the report; returns the PDF's bytes.

    Order: title page; summary; the action plan (when given, right after the
    summary: it is what a reader acts on); the four dimensions; the
    department comparison; the statements; the measures; the method. Sections
    run on: a new page only where a section would start at the foot of one.
    """
    title = t("report.title", inp.lang, name=inp.analysis.survey.instrument.name(inp.lang))
    pdf = LearnPDF(f"{title} – {inp.organisation}", inp.lang)
    _title_page(pdf, inp)
    _summary(pdf, inp)
    if inp.analysis.result.participation is not None:
        _participation(pdf, inp)
    if inp.plan is not None:
        _plan(pdf, inp)
    _dimensions(pdf, inp)
    _groups(pdf, inp)
    _drivers(pdf, inp)
    _items(pdf, inp)
    _measures(pdf, inp)
    if inp.comment_lists:
        _comments(pdf, inp)
    _method(pdf, inp)
    return pdf.output_bytes()


def _section(pdf: LearnPDF, title: str, room: float = 70) -> None:
    """A section heading; a new page first when less than ``room`` mm remain."""
    if pdf.get_y() > pdf.h - pdf.b_margin - room:
        pdf.add_page()
    else:
        pdf.ln(4)
    pdf.h1(title)


def _title_page(pdf: LearnPDF, inp: ReportInput) -> None:
    a, lang = inp.analysis, inp.lang
    org = inp.org
    pdf.add_page()
    pdf.ln(30)
    pdf.set_font(FONT, "B", 11)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 6, "Kaizen für Kommunen", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*PRIMARY)
    pdf.set_font(FONT, "B", 24)
    for line in t("report.title", lang, name=a.survey.instrument.name(lang)).split(" – "):
        pdf.multi_cell(0, 11, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(FONT, "", 12)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 6, t("report.subtitle", lang), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(10)
    pdf.set_text_color(27, 31, 36)
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(0, 9, inp.organisation, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(8)

    # the index in a coloured box
    top = pdf.get_y()
    pdf.set_fill_color(*PRIMARY)
    pdf.rect(pdf.l_margin, top, pdf.epw, 30, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(pdf.l_margin + 6, top + 4)
    pdf.set_font(FONT, "", 11)
    pdf.cell(60, 6, t("report.index", lang))
    pdf.set_xy(pdf.l_margin + 6, top + 11)
    pdf.set_font(FONT, "B", 26)
    pdf.cell(60, 14, fmt_number(org.index, 1, lang))
    pdf.set_xy(pdf.l_margin + 70, top + 8)
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 7, level_text(org.level, org.index_level_range, lang))
    pdf.set_xy(pdf.l_margin + 70, top + 16)
    pdf.set_font(FONT, "", 9.5)
    pdf.multi_cell(pdf.epw - 76, 4.8, level_meaning(org.level, lang))
    pdf.set_text_color(27, 31, 36)
    pdf.set_y(top + 38)

    hidden = len(a.suppressed_groups)
    pairs = [
        (t("report.date", lang), fmt_date(inp.today, lang)),
        (t("report.source", lang), str(a.result.file or "–")),
        (t("report.respondents", lang), fmt_int(a.result.respondents, lang)),
        (t("report.min_group", lang), fmt_int(a.min_group_size, lang)),
    ]
    if a.result.subset is not None:
        pairs.append((t("report.filter", lang), t("report.filter_value", lang, column=a.result.subset.column,
                                                   value=a.result.subset.value)))
    if a.result.group_column:
        pairs.append((t("report.groups", lang),
                      t("report.groups_count", lang, shown=len(a.groups), hidden=hidden)))
    inst = a.survey.instrument
    pairs.append((t("report.instrument", lang), f"{inst.name(lang)} {inst.version}".strip()))
    pdf.key_values(pairs, size=10.5)
    pdf.ln(6)
    pdf.para(t("report.created_by", lang, k=a.min_group_size), size=8.5, muted=True)


def _summary(pdf: LearnPDF, inp: ReportInput) -> None:
    a, lang = inp.analysis, inp.lang
    org = inp.org
    inst = a.survey.instrument
    pdf.add_page()
    pdf.h1(t("report.summary_title", lang))
    pdf.para(t("report.summary_text", lang, n=fmt_int(org.n, lang), index=fmt_number(org.index, 1, lang),
               level=org.level or "–", level_name=level_name(org.level, lang),
               meaning=level_meaning(org.level, lang)))
    scored = [(d.name(lang), score) for d in inst.dimensions
              if (score := org.dimensions[d.key].score) is not None]
    if len(scored) >= 2:
        best = max(scored, key=lambda x: x[1])
        worst = min(scored, key=lambda x: x[1])
        pdf.para(t("report.best_worst", lang, best=best[0], best_score=fmt_number(best[1], 1, lang),
                   worst=worst[0], worst_score=fmt_number(worst[1], 1, lang)))
    labels = {d.key: d.name(lang) for d in inst.dimensions}
    caption = t("report.radar_caption", lang, whole=_whole(a, lang))
    alt_text = caption + ": " + "; ".join(f"{name} {fmt_number(score, 1, lang)}" for name, score in scored)
    pdfcharts.radar(pdf, radar_series(a, [], lang), labels, lang=lang, width=110, caption=caption, alt=alt_text)
    cards = dimension_cards(a, inst, lang)
    pdf.data_table(
        [t("col.dimension", lang), t("col.score", lang), t("report.ci_short", lang), t("col.favourable", lang),
         t("col.level", lang), "n"],
        [[c["name"], c["score_text"], c["ci_text"], c["favourable_text"],
          t("privacy.cell", lang) if c["hidden"] else c["level_text"], fmt_int(c["n"], lang)] for c in cards],
        # the interval's column holds "Vertrauensbereich" (33 mm in bold 9 pt) on one line: no break inside the word
        widths=[28, 22, 37, 26, 43, 14],
        align=["LEFT", "RIGHT", "CENTER", "RIGHT", "LEFT", "RIGHT"],
    )


def _participation(pdf: LearnPDF, inp: ReportInput) -> None:
    """Participation: the overall sentence and the departments (no figure of a hidden one)."""
    a, lang = inp.analysis, inp.lang
    p = a.result.participation
    if p is None:  # drawn only when headcounts were given
        return
    _section(pdf, t("participation.title", lang), room=60)
    pdf.para(participation_sentence(p, lang))
    table = participation_table(p, a.min_group_size, lang)
    rows = [[str(r[0]), fmt_int(None if pd.isna(r[1]) else int(r[1]), lang),
             fmt_int(None if pd.isna(r[2]) else int(r[2]), lang),
             fmt_percent(None if pd.isna(r[3]) else float(r[3]), 0, lang), str(r[4])]
            for r in table.itertuples(index=False)]
    if rows:
        pdf.data_table(list(table.columns), rows, widths=[44, 22, 20, 24, 60],
                  align=["LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT"], size=8.5)


def _dimensions(pdf: LearnPDF, inp: ReportInput) -> None:
    a, lang = inp.analysis, inp.lang
    inst = a.survey.instrument
    _section(pdf, t("report.dimensions_title", lang), room=60)
    for card, dim in zip(dimension_cards(a, inst, lang), inst.dimensions, strict=True):
        pdf.h3(f"{card['name']}: {card['score_text']}")
        pdf.para(dim.description(lang), size=9.5, muted=True)
        if card["hidden"]:
            pdf.para(f"{t('privacy.cell', lang)}: {card['hidden_text']}", size=9.5)
            continue
        pdf.para(t("report.dimension_line", lang, score=card["score_text"], ci=card["ci_text"],
                   fav=card["favourable_text"], level=card["level"] or "–", level_name=card["level_name"],
                   n=fmt_int(card["n"], lang)), size=9.5)
        if card["level"]:
            pdf.para(card["level_meaning"], size=9.5)
        pdf.para(t("report.reliability", lang, alpha=card["alpha_full_text"],
                   note=alpha_note(card["alpha"], lang, card["alpha_n"])), size=9, muted=True)


def _groups(pdf: LearnPDF, inp: ReportInput) -> None:
    a, lang = inp.analysis, inp.lang
    inst = a.survey.instrument
    _section(pdf, t("report.groups_title", lang), room=110)
    if not a.result.group_column:
        pdf.para(t("report.no_groups", lang))
        return
    if not a.groups:
        pdf.para(t("report.no_group_shown", lang, k=a.min_group_size))
    else:
        table = heatmap_data(a, inst, lang)
        caption = t("report.heatmap_caption", lang, whole=_whole(a, lang))
        pdfcharts.heatmap(pdf, table, lang=lang, width=150, caption=caption,
                          alt=caption + " " + t("report.heatmap_alt", lang))
        dims = list(inst.dimensions)
        pdf.data_table(
            [t("col.group", lang), "n", "Index", *[d.name(lang) for d in dims]],
            [[name, fmt_int(g.n, lang), fmt_number(g.index, 1, lang),
              *[fmt_number(g.dimensions[d.key].score, 1, lang) for d in dims]]
             for name, g in a.groups.items()],
            widths=[38, 12, 16, 26, 26, 26, 26],
            align=["LEFT"] + ["RIGHT"] * (2 + len(dims)),
        )
        if any(c.group is not None for c in a.result.hidden_cells):
            pdf.para(t("privacy.cells_note", lang, k=a.min_group_size), size=8.5, muted=True)
        _bands(pdf, inp)
        names = {d.key: d.name(lang) for d in dims}
        pdf.h2(t("report.strengths_title", lang))
        pdf.para(t("vergleich.strengths_help", lang), size=9, muted=True)
        pdf.data_table(
            [t("col.group", lang), t("col.strengths", lang), t("col.focus", lang)],
            [[name, ", ".join(names[k] for k in g.strengths) or "–",
              ", ".join(names[k] for k in g.focus_areas) or "–"] for name, g in a.groups.items()],
            widths=[56, 57, 57],
        )
        sentences = kruskal_sentences(a, inst, lang) + pair_sentences(a, inst, lang)
        if sentences:
            pdf.h2(t("report.kw_title", lang))
            pdf.bullets(sentences, size=9.5)
    if a.suppressed_groups:
        pdf.h2(t("report.hidden_title", lang))
        pdf.para(t("report.hidden_intro", lang, k=a.min_group_size), size=9.5)
        pdf.bullets([f"{name} – {reason}" for name, reason in hidden_groups(a, lang)], size=9.5)


def _bands(pdf: LearnPDF, inp: ReportInput) -> None:
    """The departments' rank bands (thirds), or why there are none."""
    from learn_core.analysis.benchmark import MIN_BENCHMARK_GROUPS

    a, lang = inp.analysis, inp.lang
    pdf.h2(t("benchmark.title", lang))
    pdf.para(t("benchmark.help", lang, m=MIN_BENCHMARK_GROUPS), size=9, muted=True)
    table = band_table(a, a.survey.instrument, lang)
    if a.result.benchmark is None or not any(a.result.benchmark.ranked.values()):
        pdf.para(t("benchmark.too_few", lang, m=MIN_BENCHMARK_GROUPS), size=9.5)
        return
    pdf.data_table(list(table.columns), [[str(v) for v in row] for row in table.itertuples(index=False)],
              widths=[38, 26, 26, 26, 26, 28], size=8.5)


def _gap(pdf: LearnPDF, inp: ReportInput) -> None:
    """The leader-vs-staff gap per dimension (only when a role column exists)."""
    a, lang = inp.analysis, inp.lang
    pdf.h2(t("gap.title", lang))
    pdf.para(gap_intro(a, lang), size=9, muted=True)
    pdf.data_table(gap_header(lang), gap_rows(a, a.survey.instrument, lang), widths=[26, 34, 34, 24, 52], size=8.5)
    pdf.para(t("gap.help", lang), size=8.5, muted=True)


def _drivers(pdf: LearnPDF, inp: ReportInput) -> None:
    """Where to act: the driver sentence, the enablers' matrix and table, the weakest statements."""
    a, lang = inp.analysis, inp.lang
    inst = a.survey.instrument
    d = a.result.drivers
    _section(pdf, t("drivers.page", lang), room=110)
    pdf.para(driver_sentence(d, lang, inst), size=9.5)
    if d is not None and d.reason is None:
        pdfcharts.priority_matrix(pdf, priority_matrix_data(d, inst, lang), lang=lang, width=140,
                                  caption=t("drivers.matrix_caption", lang, outcome=driver_names(inst, lang)["outcome"]))
        table = driver_table(d, inst, lang)
        pdf.data_table(list(table.columns), [[_cell(v, lang) for v in row] for row in table.itertuples(index=False)],
                  widths=[22, 10, 10, 26, 10, 26, 22, 16, 28], size=7.5)
    if a.result.item_priorities:
        pdf.h2(t("drivers.priorities_title", lang))
        table = item_priority_table(a, inst, lang)
        pdf.data_table(list(table.columns), [[_cell(v, lang) for v in row] for row in table.itertuples(index=False)],
                  widths=[20, 10, 46, 16, 10, 20, 48], size=7.5)
    if a.result.leader_gap is not None:
        _gap(pdf, inp)


def _comments(pdf: LearnPDF, inp: ReportInput) -> None:
    """The open comments the analysis may show (ticked by the user): per list its count and texts."""
    c, lang = inp.analysis.result.comments, inp.lang
    if c is None:  # drawn only when comments may be shown (ReportInput.comment_lists)
        return
    _section(pdf, t("comments.title", lang), room=60)
    pdf.para(t("comments.report_intro", lang, t=c.threshold), size=9, muted=True)
    several = len(c.columns) > 1
    for header, lst in comment_lists(c):
        pdf.h2(list_label(header, lst, lang, with_header=several))
        pdf.para(t("comments.count", lang, n=fmt_int(len(lst.texts), lang), r=fmt_int(lst.respondents, lang)),
                 size=9, muted=True)
        for text in lst.texts:
            pdf.para(f"– {text}", size=9)
    if note := comments_note(c, lang):
        pdf.para(note, size=9, muted=True)


def _cell(value, lang: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, float):
        return fmt_number(value, 2 if abs(value) < 1 else 1, lang)
    return str(value)


def _whole(a: Analysis, lang: str) -> str:
    """Who the organisation figures stand for, inside a caption ("der gesamten
    Verwaltung"), or the filter's selection."""
    return whole_name(a, lang, whole_key="report.whole_org")


def _items(pdf: LearnPDF, inp: ReportInput) -> None:
    a, lang = inp.analysis, inp.lang
    _section(pdf, t("report.items_title", lang), room=80)
    pdf.para(t("report.items_intro", lang, whole=_whole(a, lang)), size=9, muted=True)
    pdf.data_table(
        ["ID", t("col.statement", lang), "n", t("report.agree_col", lang)],
        item_rows(a, lang),
        widths=[14, 114, 16, 26],
        align=["LEFT", "LEFT", "RIGHT", "RIGHT"],
        size=8.5,
    )


def item_rows(analysis, lang: str) -> list[list[str]]:
    """The statements table: ID (↺ for a negatively worded one), text, n and
    the share that agrees with the statement as printed (4–5 before
    reversal), so the number reads right beside the text; hidden ones say so."""
    return [[r["id"] + (" ↺" if r["reverse"] else ""), r["text"],
             t("privacy.cell", lang) if r["hidden"] else fmt_int(int(r["n"]), lang),
             "–" if r["hidden"] else fmt_percent(r["agree"], 0, lang)]
            for r in item_distribution(analysis, lang).to_dict("records")]


def _measures(pdf: LearnPDF, inp: ReportInput) -> None:
    a, lang = inp.analysis, inp.lang
    inst = a.survey.instrument
    names = {d.key: d.name(lang) for d in inst.dimensions}
    weakest, recs = matched_for(a, None)
    _section(pdf, t("report.recs_title", lang), room=80)
    pdf.para(t("report.recs_intro", lang, dims=", ".join(names[k] for k in weakest)))
    if not recs:
        pdf.para(t("report.recs_none", lang))
        return
    # what to settle before the start stays with the title, as words; no
    # column narrower than its longest word (Verwaltungsvorstand, Weiterbildungsbedarfsanalyse)
    pdf.data_table(
        ["ID", t("report.title_col", lang), f"{t('col.dimension', lang)} / {t('report.area_col', lang)}",
         t("massnahmen.col_owner", lang), t("massnahmen.cost", lang), t("massnahmen.first_result", lang)],
        [[r.id, "\n".join([r.title(lang), *(f"({c})" for c in r.checks(lang))]),
          f"{names.get(r.dimension, r.dimension)}\n{r.area_name(lang)}", r.owner_name(lang), r.cost_name(lang),
          r.first_result_name(lang)] for r in recs],
        widths=[14, 46, 26, 33, 27, 24],
        size=8,
    )
    pdf.h3(t("massnahmen.indicator", lang))
    pdf.key_values([(r.id, indicator_text(r, lang)) for r in recs], size=8.5, key_width=18)
    planned = set(plan_rows(inp.plan, lang, inp.analysis.survey.instrument) and [r["id"] for r in plan_rows(inp.plan, lang, inp.analysis.survey.instrument)]) \
        if inp.plan is not None else set()
    detailed = [r for r in recs if r.id in planned] or recs[:DETAILED_MEASURES]
    pdf.para(t("report.recs_detail_intro", lang, n=len(detailed)), size=9, muted=True)
    for rec in detailed:
        pdf.h3(f"{rec.id} – {rec.title(lang)}")
        pdf.para(t("report.rec_meta", lang, dimension=names.get(rec.dimension, rec.dimension),
                   method=rec.method(lang), effort=rec.effort_name(lang), horizon=rec.horizon_name(lang),
                   area=rec.area_name(lang)), size=8.5, muted=True)
        pdf.para(f"{t('report.why', lang)}: {rec.why(lang)}", size=9.5)
        pdf.key_values(measure_facts(rec, lang), size=9, key_width=36)
        pdf.set_font(FONT, "B", 9.5)
        pdf.cell(0, 5, t("report.steps", lang) + ":", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.bullets([f"{i}. {s}" for i, s in enumerate(rec.steps(lang), 1)], size=9.5, marker="")


def _plan(pdf: LearnPDF, inp: ReportInput) -> None:
    lang = inp.lang
    _section(pdf, t("report.plan_title", lang), room=50)
    pdf.para(t("report.plan_intro", lang), size=9, muted=True)
    pdf.data_table(
        ["ID", t("report.title_col", lang), t("col.dimension", lang), t("massnahmen.col_owner", lang),
         t("massnahmen.col_due", lang), t("report.status_col", lang), t("massnahmen.col_note", lang)],
        [[r["id"], r["measure"], r["dimension"], r["owner"], fmt_date(r["due"], lang) if r["due"] else "",
          r["status"], r["note"]] for r in plan_rows(inp.plan, lang, inp.analysis.survey.instrument)],
        widths=[15, 43, 22, 28, 20, 13, 29],  # "Verantwortlich" fits its column in bold 8 pt
        size=8,
    )
    # the indicators below the table: in a ninth of the page's width they would be cut
    indicators = [(r["id"] or r["measure"], r["indicator"]) for r in plan_rows(inp.plan, lang, inp.analysis.survey.instrument) if r["indicator"]]
    if indicators:
        pdf.h3(t("massnahmen.col_indicator", lang))
        pdf.key_values(indicators, size=8.5, key_width=22)


def _method(pdf: LearnPDF, inp: ReportInput) -> None:
    lang = inp.lang
    _section(pdf, t("report.method_title", lang), room=80)
    pending: list[str] = []
    for block in method_blocks(lang, inp.analysis.min_group_size, inp.analysis.survey.instrument):
        if block[0] != "li" and pending:
            pdf.bullets(pending, size=9)
            pending = []
        if block[0] == "h":
            pdf.h3(block[1])
        elif block[0] == "p":
            pdf.para(block[1], size=9)
        elif block[0] == "li":
            pending.append(block[1])
        else:
            pdf.data_table(block[1], block[2], size=8.5)
    if pending:
        pdf.bullets(pending, size=9)

