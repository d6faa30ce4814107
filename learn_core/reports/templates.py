"""Blank survey templates: an Excel workbook to collect the answers in and a
printable paper questionnaire.

* :func:`template_xlsx` – sheet "Antworten" with one header row (the group
  column, then one column per item ID, which the reader recognises), input
  checks for the answers 1–5 and, when departments are given, a list to
  choose them from; sheet "Fragebogen" with instructions and the statements.
* :func:`template_pdf` – the questionnaire on A4: instructions, a field for
  the department and, per dimension, each statement with five tick boxes.

Every text a user reads comes from ``data/texts.toml`` (table ``[template]``)
or from the instrument. Text written to a cell goes through
:func:`~learn_core.actionplan.safe_cell`, so a department name such as
``=HYPERLINK(…)`` stays text and never becomes a formula.
"""

from __future__ import annotations

import math

from learn_core.actionplan import safe_cell
from learn_core.analysis.privacy import DEFAULT_MIN_GROUP_SIZE
from learn_core.i18n import t
from learn_core.instrument import Instrument, default_instrument
from learn_core.spreadsheet import workbook_bytes

__all__ = ["TEMPLATE_ROWS", "template_pdf", "template_xlsx"]

#: Data rows of the answers sheet that carry the input checks (rows 2 … 1001).
TEMPLATE_ROWS = 1000

_HEADER_FILL = "1F5F8B"  # the dashboard's primary colour
_HEADER_FONT = "FFFFFF"
_NOTE_FONT = "5A626C"

# Excel's limits for the texts of a data validation.
_MAX_VALIDATION_TITLE = 32
_MAX_VALIDATION_TEXT = 255


def _tt(key: str, lang: str, **values: object) -> str:
    return t(f"template.{key}", lang, **values)


def _scale_text(instrument: Instrument, lang: str) -> str:
    """``1 = trifft gar nicht zu, 2 = …, 5 = trifft voll zu``."""
    scale = instrument.scale
    values = range(scale.minimum, scale.maximum + 1)
    return ", ".join(f"{v} = {label}" for v, label in zip(values, scale.labels(lang), strict=True))


def _clean_groups(groups: list[str] | None) -> list[str]:
    """Group names as the reader will see them: single spaces, no empty or repeated ones."""
    out: list[str] = []
    seen: set[str] = set()
    for name in groups or []:
        text = " ".join(str(name).split())
        if text and text not in seen:
            seen.add(text)
            out.append(text)
    return out


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- Excel


def template_xlsx(
    lang: str = "de",
    instrument: Instrument | None = None,
    groups: list[str] | None = None,
) -> bytes:
    """A blank Excel workbook to collect the answers of a survey in.

    Parameters
    ----------
    lang
        ``"de"`` or ``"en"``: sheet names, group column header and texts.
    instrument
        the questionnaire; default the built-in LEARN instrument.
    groups
        department names offered as a list in the group column; ``None`` or
        empty: the column takes any text.

    Returns
    -------
    bytes
        an .xlsx file: sheet "Antworten" ("Answers") with the header row
        ``Abteilung, M1 … L6`` and input checks on rows 2 … 1001, sheet
        "Fragebogen" ("Questionnaire") with instructions and the statements,
        and, with groups, a hidden sheet "Listen" ("Lists") holding them.
    """
    from openpyxl import Workbook

    instrument = instrument or default_instrument()
    names = _clean_groups(groups)
    wb = Workbook()
    answers = wb.active
    answers.title = _tt("sheet_answers", lang)
    info = wb.create_sheet(_tt("sheet_questionnaire", lang))
    lists = None
    if names:
        lists = wb.create_sheet(_tt("sheet_lists", lang))
        lists.sheet_state = "hidden"
        for row, name in enumerate(names, start=1):
            lists.cell(row=row, column=1, value=safe_cell(name))
        lists.column_dimensions["A"].width = min(60, max(len(n) for n in names) + 2)
    _answers_sheet(answers, instrument, lang, names, lists)
    _questionnaire_sheet(info, instrument, lang, answers.title, bool(names))
    wb.properties.title = _tt("xlsx_title", lang, name=instrument.name(lang))
    wb.properties.creator = "LEARN-Dashboard"
    wb.active = 0
    return workbook_bytes(wb)  # in memory: openpyxl's save passes each sheet through a temporary file


def _header_style(cell) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    cell.font = Font(bold=True, color=_HEADER_FONT)
    cell.fill = PatternFill("solid", start_color=_HEADER_FILL, end_color=_HEADER_FILL)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _answers_sheet(ws, instrument: Instrument, lang: str, names: list[str], lists) -> None:
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    group_header = _tt("group_header", lang)
    headers = [group_header, *instrument.item_ids]
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col, value=safe_cell(header))
        _header_style(cell)
    last_row = TEMPLATE_ROWS + 1
    first_item = get_column_letter(2)
    last_item = get_column_letter(len(headers))

    scale = instrument.scale
    answer_check = DataValidation(
        type="whole",
        operator="between",
        formula1=str(scale.minimum),
        formula2=str(scale.maximum),
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=_clip(_tt("error_title", lang), _MAX_VALIDATION_TITLE),
        error=_clip(
            _tt("error_text", lang, low=scale.minimum, high=scale.maximum), _MAX_VALIDATION_TEXT
        ),
        showInputMessage=True,
        promptTitle=_clip(
            _tt("prompt_title", lang, low=scale.minimum, high=scale.maximum),
            _MAX_VALIDATION_TITLE,
        ),
        prompt=_clip(
            _tt("prompt_text", lang, scale=_scale_text(instrument, lang)), _MAX_VALIDATION_TEXT
        ),
    )
    answer_check.add(f"{first_item}2:{last_item}{last_row}")
    ws.add_data_validation(answer_check)

    if lists is not None:
        group_check = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(lists.title)}!$A$1:$A${len(names)}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=_clip(_tt("group_error_title", lang), _MAX_VALIDATION_TITLE),
            error=_clip(_tt("group_error_text", lang), _MAX_VALIDATION_TEXT),
        )
        group_check.add(f"A2:A{last_row}")
        ws.add_data_validation(group_check)

    longest = max([len(group_header), *(len(n) for n in names)])
    ws.column_dimensions["A"].width = min(40, max(16, longest + 3))
    for col in range(2, len(headers) + 1):
        ws.column_dimensions[get_column_letter(col)].width = max(6.5, len(headers[col - 1]) + 3)
    ws.row_dimensions[1].height = 20
    ws.freeze_panes = "B2"
    # printed (e.g. to fill in by hand): landscape, all columns on one page width, header on every page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _text_row_height(text: str, width_chars: float, points: float = 11) -> float:
    """A row height (pt) that shows ``text`` wrapped in a cell ``width_chars`` wide."""
    lines = max(1, math.ceil(len(text) * 1.1 / max(width_chars, 1)))
    return lines * points * 1.35 + 2


def _questionnaire_sheet(ws, instrument: Instrument, lang: str, answers_title: str,
                         with_list: bool) -> None:
    from openpyxl.styles import Alignment, Font

    widths = {"A": 9, "B": 18, "C": 88, "D": 44}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    text_width = sum(widths.values()) - widths["A"]
    wrap = Alignment(wrap_text=True, vertical="top")

    ws.cell(row=1, column=1, value=safe_cell(_tt("xlsx_title", lang, name=instrument.name(lang))))
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.row_dimensions[1].height = 22
    ws.cell(row=3, column=1, value=safe_cell(_tt("xlsx_how_title", lang))).font = Font(bold=True)

    ids = instrument.item_ids
    group_column = _tt("group_header", lang)
    steps = [
        _tt("xlsx_how_rows", lang, sheet=answers_title),
        _tt("xlsx_how_numbers", lang, first=ids[0], last=ids[-1],
            scale=_scale_text(instrument, lang)),
        _tt("xlsx_how_empty", lang),
        _tt("xlsx_how_reverse", lang),
        _tt("xlsx_how_group_list" if with_list else "xlsx_how_group_free", lang,
            column=group_column),
        _tt("xlsx_how_header", lang),
        _tt("xlsx_how_anonymous", lang),
        _tt("xlsx_how_privacy", lang, k=DEFAULT_MIN_GROUP_SIZE),
    ]
    row = 4
    for number, text in enumerate(steps, start=1):
        ws.cell(row=row, column=1, value=f"{number}.").alignment = Alignment(
            horizontal="right", vertical="top"
        )
        ws.cell(row=row, column=2, value=safe_cell(text)).alignment = wrap
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        ws.row_dimensions[row].height = _text_row_height(text, text_width)
        row += 1

    row += 1
    title = ws.cell(row=row, column=1, value=safe_cell(_tt("xlsx_items_title", lang)))
    title.font = Font(bold=True)
    row += 1
    table_header = [_tt(k, lang) for k in ("col_id", "col_dimension", "col_statement", "col_note")]
    for col, text in enumerate(table_header, start=1):
        _header_style(ws.cell(row=row, column=col, value=safe_cell(text)))
    header_row = row
    note_font = Font(italic=True, color=_NOTE_FONT)
    for item in instrument.items:
        row += 1
        dimension = instrument.dimension(item.dimension).name(lang)
        statement = item.text(lang)
        ws.cell(row=row, column=1, value=safe_cell(item.id)).alignment = wrap
        ws.cell(row=row, column=2, value=safe_cell(dimension)).alignment = wrap
        ws.cell(row=row, column=3, value=safe_cell(statement)).alignment = wrap
        if item.reverse:
            note = ws.cell(row=row, column=4, value=safe_cell(_tt("reverse_note", lang)))
            note.alignment = wrap
            note.font = note_font
        ws.row_dimensions[row].height = max(
            _text_row_height(statement, widths["C"]),
            _text_row_height(_tt("reverse_note", lang), widths["D"]) if item.reverse else 0,
        )
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


# --------------------------------------------------------------------------- PDF

# Column layout of a statement block on A4 (text width 170 mm): ID, statement, 5 boxes.
_ID_W = 8.0
_BOX_COL_W = 16.0
_BOX = 4.6
_TEXT_SIZE = 9.5
_TEXT_LINE = 4.6
_LABEL_SIZE = 7.5
_LABEL_LINE = 3.3
_ROW_PAD = 3.0
_MIN_ROW_H = 10.0
_HEADING_H = 11.0
_RULE = (200, 206, 214)
_STRIPE = (244, 246, 249)
_HEAD_FILL = (226, 233, 241)


def template_pdf(lang: str = "de", instrument: Instrument | None = None) -> bytes:
    """A printable paper questionnaire (A4 PDF).

    Title, a short introduction and the instructions (anonymous, voluntary,
    one cross per line, how to correct), a field for the department and, per
    dimension, each statement as a row with five tick boxes under the scale
    labels. A dimension starts on a new page when it does not fit on the
    current one; a statement row is never split across pages.

    Parameters
    ----------
    lang
        ``"de"`` or ``"en"``.
    instrument
        the questionnaire; default the built-in LEARN instrument.

    Returns
    -------
    bytes
        the PDF file.
    """
    from learn_core.reports.pdfdoc import INK, MUTED, PRIMARY, LearnPDF

    instrument = instrument or default_instrument()
    pdf = LearnPDF(_tt("pdf_doc_title", lang, name=instrument.name(lang)), lang=lang)
    font = pdf.font_family
    pdf.add_page()
    pdf.h1(instrument.name(lang))
    pdf.set_font(font, "B", 12)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 6, _tt("pdf_subtitle", lang), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.ln(3)
    pdf.para(_tt("pdf_intro", lang))

    labels = instrument.scale.labels(lang)
    scale = _tt("pdf_scale", lang, low=labels[0], high=labels[-1])
    pdf.h2(_tt("pdf_how_title", lang))
    pdf.bullets(
        [
            _tt("pdf_anonymous", lang),
            _tt("pdf_voluntary", lang),
            _tt("pdf_one_cross", lang) + " " + scale,
            _tt("pdf_no_wrong", lang),
            _tt("pdf_privacy", lang, k=DEFAULT_MIN_GROUP_SIZE),
        ]
    )
    _marking_example(pdf, font, lang)
    _department_field(pdf, font, lang, MUTED, INK)

    for dim in instrument.dimensions:
        items = instrument.items_of(dim.key)
        if items:
            _dimension_block(pdf, font, dim.name(lang), items, labels, lang, PRIMARY, INK, MUTED)

    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.ln(6)
    pdf.set_font(font, "B", 12)
    pdf.set_text_color(*PRIMARY)
    pdf.multi_cell(0, 7, _tt("pdf_thanks", lang), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.para(_tt("pdf_return", lang))
    return pdf.output_bytes()


def _tick_box(pdf, x: float, y: float, mark: str = "") -> None:
    """A square tick box at (x, y); ``mark`` "x" draws a cross, "fill" fills it."""
    pdf.set_line_width(0.3)
    if mark == "fill":
        pdf.set_fill_color(60, 60, 60)
    else:
        pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, _BOX, _BOX, style="DF")
    if mark == "x":
        inset = 0.8
        pdf.set_line_width(0.45)
        pdf.line(x + inset, y + inset, x + _BOX - inset, y + _BOX - inset)
        pdf.line(x + inset, y + _BOX - inset, x + _BOX - inset, y + inset)
        pdf.set_line_width(0.3)


def _marking_example(pdf, font: str, lang: str) -> None:
    """"How to mark: [x]   How to correct: [■] [x]" on one line."""
    pdf.set_font(font, "", 9.5)
    pdf.set_draw_color(0, 0, 0)
    y = pdf.get_y() + 1
    x = pdf.l_margin + 3
    text = _tt("pdf_example", lang)
    pdf.set_xy(x, y)
    pdf.cell(pdf.get_string_width(text) + 2, _BOX, text)
    x = pdf.get_x() + 1
    _tick_box(pdf, x, y, "x")
    x += _BOX + 12
    text = _tt("pdf_correction", lang)
    pdf.set_xy(x, y)
    pdf.cell(pdf.get_string_width(text) + 2, _BOX, text)
    x = pdf.get_x() + 1
    _tick_box(pdf, x, y, "fill")
    _tick_box(pdf, x + _BOX + 3, y, "x")
    pdf.set_xy(pdf.l_margin, y + _BOX + 5)


def _department_field(pdf, font: str, lang: str, muted, ink) -> None:
    label = _tt("pdf_department", lang)
    pdf.set_font(font, "B", 10.5)
    y = pdf.get_y()
    width = pdf.get_string_width(label) + 3
    pdf.set_xy(pdf.l_margin, y)
    pdf.cell(width, 9, label)
    pdf.set_draw_color(90, 98, 108)
    pdf.set_line_width(0.3)
    pdf.rect(pdf.l_margin + width, y, pdf.epw - width, 9)
    pdf.set_xy(pdf.l_margin, y + 10)
    pdf.set_font(font, "", 8.5)
    pdf.set_text_color(*muted)
    pdf.multi_cell(0, 4.2, _tt("pdf_department_hint", lang), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*ink)
    pdf.ln(2)


def _text_width(pdf) -> float:
    return pdf.epw - _ID_W - 5 * _BOX_COL_W


def _lines(pdf, width: float, line_h: float, text: str) -> list[str]:
    return pdf.multi_cell(
        width, line_h, text, align="L", dry_run=True, output="LINES", padding=0
    )


def _header_height(pdf, font: str, labels: tuple[str, ...]) -> float:
    pdf.set_font(font, "", _LABEL_SIZE)
    n = max(len(_lines(pdf, _BOX_COL_W - 1, _LABEL_LINE, label)) for label in labels)
    return 4.5 + n * _LABEL_LINE + 2


def _row_height(pdf, font: str, text: str) -> float:
    pdf.set_font(font, "", _TEXT_SIZE)
    n = len(_lines(pdf, _text_width(pdf) - 2, _TEXT_LINE, text))
    return max(_MIN_ROW_H, n * _TEXT_LINE + _ROW_PAD)


def _block_header(pdf, font: str, labels: tuple[str, ...], lang: str, ink, height: float) -> None:
    x0, y = pdf.l_margin, pdf.get_y()
    pdf.set_fill_color(*_HEAD_FILL)
    pdf.rect(x0, y, pdf.epw, height, style="F")
    pdf.set_font(font, "B", _TEXT_SIZE)
    pdf.set_text_color(*ink)
    pdf.set_xy(x0 + _ID_W, y + height - 6)
    pdf.cell(_text_width(pdf), 5, _tt("pdf_statement", lang))
    x = x0 + _ID_W + _text_width(pdf)
    for value, label in enumerate(labels, start=1):
        pdf.set_xy(x, y + 1)
        pdf.set_font(font, "B", 9)
        pdf.cell(_BOX_COL_W, 4, str(value), align="C")
        pdf.set_xy(x + 0.5, y + 5)
        pdf.set_font(font, "", _LABEL_SIZE)
        pdf.multi_cell(_BOX_COL_W - 1, _LABEL_LINE, label, align="C", padding=0)
        x += _BOX_COL_W
    pdf.set_xy(x0, y + height)


def _dimension_block(pdf, font: str, title: str, items, labels, lang: str, primary, ink,
                     muted) -> None:
    header_h = _header_height(pdf, font, labels)
    heights = [_row_height(pdf, font, item.text(lang)) for item in items]
    usable = pdf.page_break_trigger - pdf.t_margin
    whole = _HEADING_H + header_h + sum(heights)
    first = _HEADING_H + header_h + heights[0]
    if pdf.will_page_break(whole) and (whole <= usable or pdf.will_page_break(first)):
        pdf.add_page()

    pdf.ln(3)
    pdf.set_font(font, "B", 13)
    pdf.set_text_color(*primary)
    pdf.cell(0, _HEADING_H - 4, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*ink)
    pdf.ln(1)
    _block_header(pdf, font, labels, lang, ink, header_h)

    text_w = _text_width(pdf)
    for index, (item, height) in enumerate(zip(items, heights, strict=True)):
        if pdf.will_page_break(height):
            pdf.add_page()
            _block_header(pdf, font, labels, lang, ink, header_h)
        x0, y = pdf.l_margin, pdf.get_y()
        if index % 2:
            pdf.set_fill_color(*_STRIPE)
            pdf.rect(x0, y, pdf.epw, height, style="F")
        pdf.set_draw_color(*_RULE)
        pdf.set_line_width(0.2)
        pdf.line(x0, y + height, x0 + pdf.epw, y + height)

        text = item.text(lang)
        pdf.set_font(font, "", _TEXT_SIZE)
        n = len(_lines(pdf, text_w - 2, _TEXT_LINE, text))
        top = y + (height - n * _TEXT_LINE) / 2
        pdf.set_font(font, "", 7.5)
        pdf.set_text_color(*muted)
        pdf.set_xy(x0, top)
        pdf.cell(_ID_W, _TEXT_LINE, item.id)
        pdf.set_text_color(*ink)
        pdf.set_font(font, "", _TEXT_SIZE)
        pdf.set_xy(x0 + _ID_W, top)
        pdf.multi_cell(text_w - 2, _TEXT_LINE, text, align="L", padding=0)

        pdf.set_draw_color(*ink)
        box_y = y + (height - _BOX) / 2
        x = x0 + _ID_W + text_w + (_BOX_COL_W - _BOX) / 2
        for _ in labels:
            _tick_box(pdf, x, box_y)
            x += _BOX_COL_W
        pdf.set_xy(x0, y + height)
