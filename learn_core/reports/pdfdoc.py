"""The common layout of the PDF documents (report and paper questionnaire).

A thin layer over fpdf2: A4 portrait, the DejaVu Sans font shipped in
``learn_core/data/fonts`` (Umlaute, „Anführungszeichen“, narrow spaces; no
system font needed, nothing fetched), a running footer with the document
title and "Seite X von Y", and a few building blocks (headings, paragraphs,
key-value lines, tables). Text from data files is always written as plain
text: fpdf2 interprets no markup unless asked to.

Names and notes from data can be of any length; a table row taller than a
page cannot be set at all. So every building block bounds what it writes:
a table cell at :data:`CELL_LINES` lines of its column, a heading at
:data:`HEADING_CHARS` and a line of a list or key-value pair at
:data:`LINE_CHARS` characters, cut with an ellipsis.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF, ViewerPreferences
from fpdf.enums import PageMode, XPos, YPos
from fpdf.fonts import TTFFont

__all__ = ["CELL_LINES", "HEADING_CHARS", "INK", "LINE_CHARS", "MUTED", "PRIMARY", "LearnPDF", "shorten"]

FONT_DIR = Path(__file__).parent.parent / "data" / "fonts"
FONT = "DejaVu"
#: Colours (RGB) matching the dashboard theme.
PRIMARY = (31, 95, 139)
INK = (27, 31, 36)
MUTED = (90, 98, 108)
RULE = (200, 206, 214)
ZEBRA = (242, 245, 248)
#: Most lines a table cell takes, most characters of a heading and of a list line.
CELL_LINES = 8
HEADING_CHARS = 240
LINE_CHARS = 900
ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, with an ellipsis when cut."""
    text = str(text)
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


class LearnPDF(FPDF):
    """An A4 document with the shipped font, footer and page numbers.

    Parameters
    ----------
    title
        document title, repeated in the footer of every page.
    lang
        ``"de"`` or ``"en"`` (footer wording).
    """

    def __init__(self, title: str, lang: str = "de") -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc_title = title
        self.ui_lang = lang  # FPDF.set_lang keeps its own `lang` (the BCP 47 code)
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        for font in self.fonts.values():
            if type(font) is TTFFont:
                font.__class__ = _MeasuredFont
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(True, margin=20)
        # What a screen reader and a PDF viewer need first (issue 19.6): the
        # document language, the title shown instead of the file name, and
        # bookmarks (every h1 and h2) opened beside the pages.
        self.set_title(title)
        self.set_lang("en-GB" if lang == "en" else "de-DE")
        self.set_creator("LEARN-Dashboard")
        self.viewer_preferences = ViewerPreferences(display_doc_title=True)
        self.page_mode = PageMode.USE_OUTLINES
        self.set_font(FONT, "", 10)
        self.set_text_color(*INK)

    # ------------------------------------------------------------------ page furniture

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        page = f"Seite {self.page_no()} von {{nb}}" if self.ui_lang == "de" else f"Page {self.page_no()} of {{nb}}"
        self.cell(self.epw / 2, 5, self.doc_title[:90], align="L")
        self.cell(self.epw / 2, 5, page, align="R")
        self.set_text_color(*INK)

    # ------------------------------------------------------------------ building blocks

    def h1(self, text: str) -> None:
        self.start_section(shorten(text, HEADING_CHARS), level=0, strict=False)
        self.set_font(FONT, "B", 18)
        self.set_text_color(*PRIMARY)
        self.multi_cell(0, 9, shorten(text, HEADING_CHARS), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.ln(2)

    def h2(self, text: str) -> None:
        if self.get_y() > self.h - 45:  # keep a heading with what follows
            self.add_page()
        self.ln(3)
        self.start_section(shorten(text, HEADING_CHARS), level=1, strict=False)
        self.set_font(FONT, "B", 13)
        self.set_text_color(*PRIMARY)
        self.multi_cell(0, 7, shorten(text, HEADING_CHARS), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.ln(1)

    def h3(self, text: str) -> None:
        if self.get_y() > self.h - 35:
            self.add_page()
        self.ln(1)
        self.set_font(FONT, "B", 10.5)
        self.multi_cell(0, 5.5, shorten(text, HEADING_CHARS), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def para(self, text: str, size: float = 10, muted: bool = False) -> None:
        self.set_font(FONT, "", size)
        if muted:
            self.set_text_color(*MUTED)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.ln(1.5)

    def bullets(self, lines: list[str], size: float = 10, marker: str = "•") -> None:
        self.set_font(FONT, "", size)
        for line in lines:
            self.set_x(self.l_margin + 3)
            self.cell(5, size * 0.5, marker)
            self.multi_cell(self.epw - 8, size * 0.5, shorten(line, LINE_CHARS), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def key_values(self, pairs: list[tuple[str, str]], size: float = 10, key_width: float = 55) -> None:
        for key, value in pairs:
            self.set_font(FONT, "B", size)
            self.cell(key_width, size * 0.55, self._fit(key, key_width - 1, 1))
            self.set_font(FONT, "", size)
            self.multi_cell(self.epw - key_width, size * 0.55, shorten(value, LINE_CHARS), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def data_table(
        self,
        header: list[str],
        rows: list[list[str]],
        widths: list[float] | None = None,
        *,
        size: float = 9,
        align: list[str] | None = None,
    ) -> None:
        """A table with a repeated header row; ``align`` per column ``"L"``/``"R"``/``"C"``.

        Each cell is cut to :data:`CELL_LINES` lines of its column (with an
        ellipsis), so no row grows taller than a page.
        """
        self.set_font(FONT, "", size)
        n = max([len(header), *map(len, rows)], default=1)
        shares = list(widths) if widths else [1.0] * n
        room = [self.epw * w / sum(shares) - 2 * 1.2 for w in shares]
        self.set_draw_color(*RULE)
        self.set_fill_color(*ZEBRA)
        with self.table(
            col_widths=widths,
            text_align=align or "LEFT",
            line_height=size * 0.55,
            headings_style=_heading_style(size),
            cell_fill_color=ZEBRA,
            cell_fill_mode="ROWS",
            repeat_headings=1,
            padding=1.2,
            borders_layout="HORIZONTAL_LINES",
        ) as table:
            self.set_font(FONT, "B", size)
            table.row([self._fit(h, room[j], CELL_LINES) for j, h in enumerate(header)])
            self.set_font(FONT, "", size)
            for row in rows:
                table.row([self._fit(c, room[j], CELL_LINES) for j, c in enumerate(row)])
        self.ln(3)

    def _fit(self, text: object, width: float, lines: int) -> str:
        """``text`` cut (with an ellipsis) so that it fills at most ``lines``
        lines of ``width`` mm in the current font (words wrap, so a line is
        counted as 85 % full)."""
        text = shorten(str(text), LINE_CHARS)
        budget = max(width, 1.0) * lines * (0.85 if lines > 1 else 1.0)
        if self.get_string_width(text) <= budget:
            return text
        low, high = 0, len(text)
        while low < high:  # the longest prefix that fits with the ellipsis
            mid = (low + high + 1) // 2
            if self.get_string_width(text[:mid] + ELLIPSIS) <= budget:
                low = mid
            else:
                high = mid - 1
        return text[:low].rstrip() + ELLIPSIS

    def image_block(self, png: bytes, width: float, caption: str | None = None, alt: str | None = None) -> None:
        """A centred image of ``width`` mm (new page when it does not fit), with a
        caption; ``alt`` (or else the caption) is its text for a screen reader."""
        from io import BytesIO

        from PIL import Image

        with Image.open(BytesIO(png)) as img:
            ratio = img.height / img.width
        room = self.h - self.t_margin - self.b_margin - 12
        if width * ratio > room:  # a tall chart (many departments) is scaled to the page
            width = room / ratio
        height = width * ratio
        if self.get_y() + height + 8 > self.h - self.b_margin:
            self.add_page()
        self.image(BytesIO(png), x=(self.w - width) / 2, w=width, alt_text=alt or caption)
        if caption:
            self.set_font(FONT, "", 8.5)
            self.set_text_color(*MUTED)
            self.multi_cell(0, 4.5, caption, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(*INK)
        self.ln(2)

    def output_bytes(self) -> bytes:
        return bytes(self.output())


class _MeasuredFont(TTFFont):
    """fpdf2's TrueType font with a faster text width (the same number).

    fpdf2's line breaking measures the line so far again after every
    character, each time summing the glyph widths in a Python generator:
    that was the largest cost of the report after the charts. The widths
    are whole font units (ints), so summing them in C (``map`` over the
    width table) gives exactly the same sum, and the same PDF bytes. Shaped text (harfbuzz) and symbol
    fonts, which this document uses neither, go to fpdf2's own method.
    """

    __slots__ = ()  # the same layout as TTFFont's, so that a font's class can be changed

    def get_text_width(self, text, font_size_pt, text_shaping_params):
        if text_shaping_params or self.is_symbol:
            return super().get_text_width(text, font_size_pt, text_shaping_params)
        if font_size_pt > self.biggest_size_pt:
            self.biggest_size_pt = font_size_pt
        return len(text), sum(map(self.cw.__getitem__, map(ord, text))) * font_size_pt * 0.001


def _heading_style(size: float):
    from fpdf.fonts import FontFace

    return FontFace(family=FONT, emphasis="BOLD", color=(255, 255, 255), fill_color=PRIMARY, size_pt=size)
