"""Writing Excel workbooks (openpyxl) within Excel's limits and in memory.

openpyxl writes each worksheet to a temporary file on disk before it zips
the workbook; a report of a staff survey must not pass through the disk, so
:func:`workbook_bytes` writes every part to memory. :func:`excel_text` keeps
a text within Excel's 32,767 characters per cell (longer text makes Excel
call the file damaged) and never lets it become a formula.
"""

from __future__ import annotations

import io
import zipfile

__all__ = ["MAX_CELL_CHARS", "MAX_ROW_HEIGHT", "excel_text", "fit_cell", "workbook_bytes"]

#: Most characters Excel holds in a cell, and its tallest row (points).
MAX_CELL_CHARS = 32_767
MAX_ROW_HEIGHT = 409
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def fit_cell(text: str) -> str:
    """``text`` cut with an ellipsis to :data:`MAX_CELL_CHARS` characters."""
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


def excel_text(value: str) -> str:
    """A text for a cell: a leading apostrophe where a spreadsheet could take
    it for a formula (OWASP CSV injection), cut with an ellipsis to
    :data:`MAX_CELL_CHARS`."""
    return fit_cell("'" + value if value.startswith(_FORMULA_START) else value)


def workbook_bytes(wb) -> bytes:
    """The bytes of the .xlsx file of the openpyxl workbook ``wb``, written
    without any temporary file."""
    from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
    from openpyxl.worksheet._writer import WorksheetWriter
    from openpyxl.writer.excel import ExcelWriter

    class MemoryWriter(ExcelWriter):
        def write_worksheet(self, ws):  # as openpyxl's, with the sheet's XML in memory
            ws._drawing = SpreadsheetDrawing()
            ws._drawing.charts = ws._charts
            ws._drawing.images = ws._images
            writer = WorksheetWriter(ws, out=io.BytesIO())
            writer.write()
            ws._rels = writer._rels
            self._archive.writestr(ws.path[1:], writer.read())
            self.manifest.append(ws)

    if getattr(wb, "write_only", False):
        raise ValueError("write-only workbooks stream through temporary files; build the workbook in memory")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        MemoryWriter(wb, archive).save()
    return buf.getvalue()
