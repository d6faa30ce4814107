"""Checks of an .xls workbook (BIFF records in an OLE compound file) before
it is parsed.

An .xls cell record names its row and column; one record at column 16,383
makes the spreadsheet library allocate the whole rectangle up to it, and the
process aborts. :func:`check_xls` reads the compound file's workbook stream
and walks its records (a loop per record: an .xls holds at most 65,536 rows,
so this takes about a second at most).
"""

from __future__ import annotations

import struct

import numpy as np

from learn_core.errors import ReadError
from learn_core.reading.limits import BROKEN_WORKBOOK, check_shape

__all__ = ["check_xls"]

_END = 0xFFFFFFFE
#: BIFF records that place a cell: row and column are their first two words
_CELL_RECORDS = frozenset({0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x00D6, 0x00FD, 0x0201, 0x0203,
                           0x0204, 0x0205, 0x0206, 0x027E, 0x0406})
_MULTI_RECORDS = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK: row, first column … last column


def _ole_stream(data: bytes, wanted: tuple[str, ...]) -> bytes | None:
    """The first stream named in ``wanted`` of a compound file (.xls), or None."""
    if len(data) < 512:
        raise ReadError(BROKEN_WORKBOOK)
    shift, mini_shift = struct.unpack_from("<HH", data, 30)
    if not 7 <= shift <= 16 or mini_shift > shift:
        raise ReadError(BROKEN_WORKBOOK)
    size = 1 << shift
    n_sectors = max(len(data) // size - 1, 0)
    dir_start, _, cutoff, minifat_start, _, difat_next, n_difat = struct.unpack_from("<IIIIIII", data, 48)

    def sector(i: int) -> bytes:
        if i >= n_sectors:
            raise ReadError(BROKEN_WORKBOOK)
        return data[(i + 1) * size : (i + 2) * size]

    fat_ids = [i for i in struct.unpack_from("<109I", data, 76) if i < n_sectors]
    for _ in range(min(n_difat, n_sectors)):
        if difat_next >= n_sectors:
            break
        ids = struct.unpack(f"<{size // 4}I", sector(difat_next))
        fat_ids += [i for i in ids[:-1] if i < n_sectors]
        difat_next = ids[-1]
    fat = np.frombuffer(b"".join(sector(i) for i in fat_ids), dtype="<u4")

    def chain(start: int, table: np.ndarray, limit: int) -> list[int]:
        out = []
        while start < len(table) and start < limit and len(out) <= limit:
            out.append(start)
            start = int(table[start])
        return out

    directory = b"".join(sector(i) for i in chain(dir_start, fat, n_sectors))
    entries = {}
    root_start = _END
    for k in range(0, len(directory) - 127, 128):
        name_len, kind = struct.unpack_from("<HB", directory, k + 64)
        name = directory[k : k + max(min(name_len, 64) - 2, 0)].decode("utf-16-le", errors="replace")
        start, length = struct.unpack_from("<IQ", directory, k + 116)
        if kind == 5:
            root_start = start
        elif kind == 2:
            entries.setdefault(name, (start, length))
    for name in wanted:
        if name not in entries:
            continue
        start, length = entries[name]
        if length >= cutoff:
            return b"".join(sector(i) for i in chain(start, fat, n_sectors))[:length]
        mini = b"".join(sector(i) for i in chain(root_start, fat, n_sectors))
        minifat = np.frombuffer(b"".join(sector(i) for i in chain(minifat_start, fat, n_sectors)), dtype="<u4")
        step = 1 << mini_shift
        ids = chain(start, minifat, len(mini) // step)
        return b"".join(mini[i * step : (i + 1) * step] for i in ids)[:length]
    return None


def check_xls(data: bytes) -> None:
    """Check that no cell of an .xls workbook lies outside the limits.

    Raises
    ------
    ReadError
        when a cell record names a row or column beyond :data:`MAX_ROWS`,
        :data:`MAX_COLUMNS` or :data:`MAX_CELLS`, or the container is damaged.
    """
    try:
        stream = _ole_stream(data, ("Workbook", "Book", "WORKBOOK", "BOOK"))
    except (struct.error, ValueError, IndexError):
        raise ReadError(BROKEN_WORKBOOK) from None
    if stream is None:
        raise ReadError("Die Datei ist keine Excel-Arbeitsmappe (.xls) und keine Tabelle.")
    max_row = max_col = pos = 0
    end = len(stream) - 8
    unpack = struct.unpack_from
    while pos <= end:
        kind, length = unpack("<HH", stream, pos)
        if kind in _CELL_RECORDS and length >= 4:
            row, col = unpack("<HH", stream, pos + 4)
            max_row, max_col = max(max_row, row), max(max_col, col)
        elif kind in _MULTI_RECORDS and length >= 6 and pos + 4 + length <= len(stream):
            row = unpack("<H", stream, pos + 4)[0]
            last = unpack("<H", stream, pos + 2 + length)[0]
            max_row, max_col = max(max_row, row), max(max_col, last)
        pos += 4 + length
    check_shape(max_row + 1, max_col + 1)
