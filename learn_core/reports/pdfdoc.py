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
#: Rows a table keeps with its header at the foot of a page (else it starts on the next).
TABLE_LEAD_ROWS = 2
_PAD = 1.2  # the padding of a table cell (mm)


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
        self.text_lines(self.wrap(text, self.epw - 2 * self.c_margin), self.l_margin, self.epw, size * 0.5)
        self.set_text_color(*INK)
        self.ln(1.5)

    def bullets(self, lines: list[str], size: float = 10, marker: str = "•") -> None:
        self.set_font(FONT, "", size)
        for line in lines:
            wrapped = self.wrap(shorten(line, LINE_CHARS), self.epw - 8 - 2 * self.c_margin)
            self.break_before(size * 0.5)
            self.text_lines([marker], self.l_margin + 3, 5, size * 0.5, advance=False)
            self.text_lines(wrapped, self.l_margin + 8, self.epw - 8, size * 0.5)
        self.ln(1)

    def key_values(self, pairs: list[tuple[str, str]], size: float = 10, key_width: float = 55) -> None:
        for key, value in pairs:
            wrapped = self.wrap(shorten(value, LINE_CHARS), self.epw - key_width - 2 * self.c_margin)
            self.break_before(size * 0.55)
            self.set_font(FONT, "B", size)
            self.text_lines([self._fit(key, key_width - 1, 1)], self.l_margin, key_width, size * 0.55, advance=False)
            self.set_font(FONT, "", size)
            self.text_lines(wrapped, self.l_margin + key_width, self.epw - key_width, size * 0.55)
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
        """A table with a header row repeated on every page; ``align`` per
        column ``"LEFT"``/``"RIGHT"``/``"CENTER"`` (or ``"L"``/``"R"``/``"C"``).

        Rows are filled alternately and ruled below; each cell is cut to
        :data:`CELL_LINES` lines of its column (with an ellipsis), so no row
        grows taller than a page. A table starts on a new page when its
        header and first :data:`TABLE_LEAD_ROWS` rows do not fit below (no
        header with one row at the foot of a page). Every cell is wrapped once and its lines
        are set as they are (fpdf2's own table lays out every cell twice,
        re-measuring the line after each character).
        """
        n = max([len(header), *map(len, rows)], default=1)
        shares = list(widths) if widths else [1.0] * n
        cols = [self.epw * w / sum(shares) for w in shares]
        aligns = [(a or "L")[0].upper() for a in (align or [])] + ["L"] * n
        line_h = size * 0.55

        def laid_out(cells: list[str], style: str) -> list[list[str]]:
            self.set_font(FONT, style, size)
            return [self._cell_lines(str(c), cols[j] - 2 * _PAD) for j, c in enumerate(cells)]

        head = laid_out(header, "B")
        body = [laid_out(row, "") for row in rows]
        self.set_draw_color(*RULE)

        def put(lines: list[list[str]], style: str, fill: tuple[int, int, int] | None,
                colour: tuple[int, int, int], ruled: bool) -> None:
            height = max(map(len, lines), default=1) * line_h + 2 * _PAD
            if self.y + height > self.page_break_trigger:
                self.add_page()
                if lines is not head:
                    put(head, "B", PRIMARY, (255, 255, 255), False)
            top, x = self.y, self.l_margin
            if fill is not None:
                self.set_fill_color(*fill)
                self.rect(self.l_margin, top, sum(cols[: len(lines)]), height, style="F")
            self.set_font(FONT, style, size)
            self.set_text_color(*colour)
            for j, cell in enumerate(lines):
                self.y = top + (height - len(cell) * line_h) / 2  # centred in the row
                self.text_lines(cell, x, cols[j], line_h, align=aligns[j], padding=_PAD, breaks=False)
                x += cols[j]
            self.set_text_color(*INK)
            if ruled:
                self.line(self.l_margin, top + height, self.l_margin + sum(cols[: len(lines)]), top + height)
            self.set_xy(self.l_margin, top + height)

        def row_height(lines: list[list[str]]) -> float:
            return max(map(len, lines), default=1) * line_h + 2 * _PAD

        lead = row_height(head) + sum(row_height(r) for r in body[:TABLE_LEAD_ROWS])
        if self.y + lead > self.page_break_trigger and self.y > self.t_margin + 1:
            self.add_page()
        put(head, "B", PRIMARY, (255, 255, 255), False)
        for i, row_lines in enumerate(body):
            put(row_lines, "", ZEBRA if i % 2 == 0 else None, INK, True)
        self.ln(3)

    # ------------------------------------------------------------------ text layout
    #
    # fpdf2's multi_cell re-measures the line so far after every character
    # (that was the largest cost of the report after the charts). These
    # blocks wrap a text once, word by word, with the font's width table,
    # and set each line with FPDF.text: the same font, sizes and positions
    # (the baseline where fpdf2's cell puts it), far less work.

    def text_width(self, text: str) -> float:
        """Width of ``text`` in mm in the current font (fpdf2's
        ``get_string_width`` for unshaped text, summed in C)."""
        font = self.current_font
        if not isinstance(font, TTFFont):  # not the shipped font: fpdf2's own measure
            return self.get_string_width(text)
        return sum(map(font.cw.__getitem__, map(ord, text))) * self.font_size_pt * 0.001 / self.k

    def wrap(self, text: str, width: float) -> list[str]:
        """``text`` as lines no wider than ``width`` mm in the current font:
        words wrap at spaces, a word wider than a line is broken between
        characters, a line break in the text starts a new line."""
        lines: list[str] = []
        space = self.text_width(" ")
        for paragraph in str(text).split("\n"):
            line, used = "", 0.0
            for word in paragraph.split(" "):
                w = self.text_width(word)
                if line and used + space + w <= width:
                    line, used = f"{line} {word}", used + space + w
                    continue
                if line:
                    lines.append(line)
                line, used = word, w
                while used > width and len(line) > 1:  # a word longer than the line
                    cut = self._prefix_fitting(line, width)
                    lines.append(line[:cut])
                    line = line[cut:]
                    used = self.text_width(line)
            lines.append(line)
        return lines

    def _prefix_fitting(self, text: str, width: float) -> int:
        """The number of leading characters of ``text`` (at least one) that fit ``width`` mm."""
        total = 0.0
        for count, char in enumerate(text):
            total += self.text_width(char)
            if total > width:
                return max(count, 1)
        return len(text)

    def _cell_lines(self, text: str, width: float) -> list[str]:
        """``text`` wrapped to ``width`` mm, at most :data:`CELL_LINES` lines;
        the last kept line ends with an ellipsis when text was cut."""
        lines = self.wrap(shorten(text, LINE_CHARS), max(width, 1.0))
        if len(lines) <= CELL_LINES:
            return lines
        last = lines[CELL_LINES - 1]
        while last and self.text_width(last + ELLIPSIS) > width:
            last = last[:-1]
        return [*lines[: CELL_LINES - 1], last.rstrip() + ELLIPSIS]

    def break_before(self, height: float) -> None:
        """A new page when ``height`` mm do not fit below the current position."""
        if self.auto_page_break and self.y + height > self.page_break_trigger:
            self.add_page()

    def text_lines(self, lines: list[str], x: float, width: float, line_h: float, *, align: str = "L",
                   padding: float | None = None, advance: bool = True, breaks: bool = True) -> None:
        """Set ``lines`` one below the other in a column at ``x`` of ``width`` mm,
        from the current position, each in a line of ``line_h`` mm, with
        ``padding`` (fpdf2's cell margin by default) left and right; a new page
        before a line that does not fit (unless ``breaks`` is false). The
        position ends below the last line (``advance``) or stays."""
        pad = self.c_margin if padding is None else padding
        top = self.y
        for line in lines:
            if breaks:
                self.break_before(line_h)
            if line:
                if align == "R":
                    dx = width - pad - self.text_width(line)
                elif align == "C":
                    dx = (width - self.text_width(line)) / 2
                else:
                    dx = pad
                self.text(x + dx, self.y + 0.5 * line_h + 0.3 * self.font_size, line)
            self.y += line_h
        if not advance:
            self.y = top
        self.x = self.l_margin

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

    def figure(self, height: float, draw, caption: str | None = None, alt: str | None = None) -> None:
        """A chart drawn in place: ``draw(top)`` draws it from ``top`` (mm) down
        over ``height`` mm (a new page first when it does not fit), as one
        figure of the document's structure with ``alt`` (or else the caption)
        as its text for a screen reader; the caption below."""
        if self.y + height + 8 > self.page_break_trigger:
            self.add_page()
        top = self.y
        with self._marked_sequence(alt_text=alt or caption):
            draw(top)
        self.set_text_color(*INK)
        self.set_xy(self.l_margin, top + height)
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
