"""The PDF's own text layout (reports/pdfdoc.py): lines wrapped once with the
font's width table and set with FPDF.text instead of fpdf2's multi_cell and
table. Widths are checked against fpdf2's own measure, wrapping against its
rules (no line too wide, no word lost, greedy), tables against what a reader
of the PDF sees (the header on every page, right-aligned figures)."""

from __future__ import annotations

import functools
import io

import pytest
from fpdf.fonts import TTFFont
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from learn_core.reports.pdfdoc import CELL_LINES, ELLIPSIS, FONT, LearnPDF


def _pdf(size: float = 10, style: str = "") -> LearnPDF:
    pdf = LearnPDF("Test", "de")
    pdf.add_page()
    pdf.set_font(FONT, style, size)
    return pdf


#: One document per font size for the property tests: loading the font for
#: each of their examples took most of their time (wrapping changes no state).
_shared_pdf = functools.cache(_pdf)


def _fpdf_width(pdf: LearnPDF, text: str) -> float:
    """fpdf2's own width (its generator over the width table), in mm."""
    return TTFFont.get_text_width(pdf.current_font, text, pdf.font_size_pt, None)[1] / pdf.k


@pytest.mark.parametrize("style", ["", "B"])
@pytest.mark.parametrize("text", ["", "a", "Führungskräfte „lernen“ – 56,1 %", "WWW iii", "ẞ€…"])
def test_text_width_is_fpdf2s(text, style):
    pdf = _pdf(9, style)
    assert pdf.text_width(text) == pytest.approx(_fpdf_width(pdf, text), abs=1e-9)


def test_widths_differ_by_letter_and_grow_with_the_size():
    small, large = _pdf(9), _pdf(18)
    assert small.text_width("W") > small.text_width("i") > 0
    assert large.text_width("Motivation") == pytest.approx(2 * small.text_width("Motivation"))


def _check_wrapped(pdf: LearnPDF, text: str, width: float, lines: list[str]) -> None:
    assert all(pdf.text_width(line) <= width + 1e-9 for line in lines)
    assert "".join(text.split()) == "".join("".join(lines).split())  # long words may be split, none lost


def test_wrap_by_hand():
    pdf = _pdf(10)
    space = pdf.text_width(" ")
    width = pdf.text_width("aaa") + space + pdf.text_width("bb") + 1e-6  # "aaa bb" just fits
    assert pdf.wrap("aaa bb cc", width) == ["aaa bb", "cc"]
    assert pdf.wrap("aaa bb\ncc dd", width) == ["aaa bb", "cc dd"]
    assert pdf.wrap("", width) == [""]
    one = pdf.text_width("a")
    assert pdf.wrap("aaaaaaa", 3 * one + 1e-6) == ["aaa", "aaa", "a"]  # a word longer than the line


_LETTERS = "abcdefghijklmnopqrstuvwxyzäöüßABCÄÖÜ–„“.,0123456789"


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.text(alphabet=_LETTERS, min_size=1, max_size=30), min_size=0, max_size=40),
    breaks=st.lists(st.integers(min_value=0, max_value=40), max_size=3),
    width=st.floats(min_value=5, max_value=170),
)
def test_wrap_keeps_every_word_and_no_line_is_too_wide(words, breaks, width):
    pdf = _shared_pdf(9)
    parts = list(words)
    for i in breaks:
        if i < len(parts):
            parts[i] += "\n"
    text = " ".join(parts)
    _check_wrapped(pdf, text, width, pdf.wrap(text, width))


@settings(max_examples=150, deadline=None)
@given(words=st.lists(st.text(alphabet=_LETTERS, min_size=1, max_size=8), min_size=1, max_size=40),
       width=st.floats(min_value=40, max_value=170))
def test_wrap_is_greedy(words, width):
    """Short words are never split, and a line ends only where the next word does not fit."""
    pdf = _shared_pdf(9)
    text = " ".join(words)
    lines = pdf.wrap(text, width)
    assert " ".join(lines) == text
    space = pdf.text_width(" ")
    for line, following in zip(lines, lines[1:], strict=False):
        assert pdf.text_width(line) + space + pdf.text_width(following.split(" ")[0]) > width


def test_a_long_cell_is_cut_at_its_lines_with_an_ellipsis():
    pdf = _pdf(9)
    width = 30.0
    lines = pdf._cell_lines("Fachbereich Öffentliche Ordnung " * 40, width)
    assert len(lines) == CELL_LINES
    assert lines[-1].endswith(ELLIPSIS)
    assert all(pdf.text_width(line) <= width for line in lines)
    assert pdf._cell_lines("kurz", width) == ["kurz"]


def _table_pdf(rows: int) -> bytes:
    pdf = _pdf(9)
    pdf.data_table(["Abteilung", "Wert"], [[f"Abteilung {i}", f"{i},5"] for i in range(rows)], [3, 1],
                   align=["LEFT", "RIGHT"])
    return pdf.output_bytes()


def test_a_table_over_pages_repeats_its_header():
    reader = PdfReader(io.BytesIO(_table_pdf(150)))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        text = page.extract_text()
        assert "Abteilung" in text.splitlines()[0] or text.startswith("Abteilung")
        assert "Wert" in text
    whole = "\n".join(page.extract_text() for page in reader.pages)
    assert all(f"Abteilung {i}" in whole for i in range(150))


@pytest.mark.parametrize(("room_rows", "moves"), [(1.5, True), (3.5, False)])
def test_a_table_keeps_its_header_with_two_rows(room_rows, moves):
    """With room below for the header and one row the table starts on the
    next page; with room for the header and two rows it starts where it is."""
    pdf = _pdf(9)
    row = 9 * 0.55 + 2 * 1.2  # one line and the padding (mm)
    pdf.set_y(pdf.page_break_trigger - row * (1 + room_rows))
    pdf.data_table(["Abteilung", "Wert"], [["Bauamt", "4,5"], ["Jugendamt", "12,3"], ["Kämmerei", "1,0"]], [3, 1])
    reader = PdfReader(io.BytesIO(pdf.output_bytes()))
    first = reader.pages[0].extract_text()
    assert ("Abteilung" not in first) is moves
    assert "Bauamt" in reader.pages[-1 if moves else 0].extract_text()


def test_right_aligned_figures_end_at_the_column_edge():
    pdf = _pdf(9)
    placed: list[tuple[float, float, str]] = []
    pdf.text = lambda x, y, text="": placed.append((x, y, text))  # type: ignore[method-assign]
    pdf.data_table(["Abteilung", "Wert"], [["Bauamt", "4,5"], ["Jugendamt", "12,25"]], [3, 1], align=["LEFT", "RIGHT"])
    col_right = pdf.l_margin + pdf.epw
    figures = [(x, s) for x, _, s in placed if s in ("4,5", "12,25")]
    assert len(figures) == 2
    for x, s in figures:
        assert x + pdf.text_width(s) == pytest.approx(col_right - 1.2)
    names = [x for x, _, s in placed if s in ("Bauamt", "Jugendamt")]
    assert names == [pytest.approx(pdf.l_margin + 1.2)] * 2


def test_a_paragraph_goes_on_to_the_next_page():
    pdf = _pdf(10)
    pdf.para(" ".join(f"Wort{i}" for i in range(3000)))
    data = pdf.output_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 3
    whole = " ".join(page.extract_text() for page in reader.pages).split()
    assert [w for w in whole if w.startswith("Wort")] == [f"Wort{i}" for i in range(3000)]
