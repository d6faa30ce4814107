"""Excel files are written in memory (no temporary file, checked with an
audit hook on every file opened for writing) and within Excel's limits."""

from __future__ import annotations

import io
import os
import sys
import threading

import pytest
from openpyxl import Workbook, load_workbook

from learn_core.spreadsheet import MAX_CELL_CHARS, excel_text, workbook_bytes

_WRITES = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND
_watch = threading.local()


def _hook(event, args):
    if event == "open" and getattr(_watch, "files", None) is not None:
        path, mode, flags = args
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (isinstance(flags, int) and flags & _WRITES):
            _watch.files.append(str(path))


sys.addaudithook(_hook)


def files_written(build) -> tuple[object, list[str]]:
    """What ``build()`` returns and every file it opened for writing."""
    _watch.files = []
    try:
        return build(), _watch.files
    finally:
        _watch.files = None


def _workbook() -> Workbook:
    wb = Workbook()
    wb.active.append(["ID", "Notiz"])
    wb.active.append(["M-01", "Müller & Söhne"])
    wb.create_sheet("Zwei").append([1, 2.5])
    return wb


def test_the_audit_hook_sees_openpyxl_temporary_files():
    """The check can fail: openpyxl's own save writes a temporary file per sheet."""
    _, written = files_written(lambda: _workbook().save(io.BytesIO()))
    assert len({w for w in written if "openpyxl." in w}) == 2


def test_workbook_bytes_writes_no_file_and_reads_back():
    data, written = files_written(lambda: workbook_bytes(_workbook()))
    assert written == []
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Sheet", "Zwei"]
    assert [c.value for c in wb["Sheet"][2]] == ["M-01", "Müller & Söhne"]
    assert [c.value for c in wb["Zwei"][1]] == [1, 2.5]


def test_write_only_workbooks_are_refused():
    with pytest.raises(ValueError, match="temporary files"):
        workbook_bytes(Workbook(write_only=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Abteilung", "Abteilung"),
        ("=SUMME(A1)", "'=SUMME(A1)"),
        ("x" * MAX_CELL_CHARS, "x" * MAX_CELL_CHARS),
        ("x" * (MAX_CELL_CHARS + 1), "x" * (MAX_CELL_CHARS - 1) + "…"),
        ("=" + "x" * MAX_CELL_CHARS, "'=" + "x" * (MAX_CELL_CHARS - 3) + "…"),
    ],
)
def test_excel_text(text, expected):
    assert excel_text(text) == expected
    assert len(excel_text(text)) <= MAX_CELL_CHARS
