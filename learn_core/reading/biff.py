"""Checks of an .xls workbook (BIFF records in an OLE compound file) before
it is parsed.

The spreadsheet library trusts the compound file: it follows sector chains
until they end (a chain that loops never ends, and memory runs out), grows
its buffer to any sector number it is given (a number beyond the file asks
for terabytes) and reserves what sizes and counts in the header, the
directory and the records declare. Each of these aborts the whole process.
So :func:`check_xls` walks the whole structure first, the way the library
will read it ([MS-CFB]: header, DIFAT, FAT, directory, mini stream), and
refuses a file unless

* every sector number the library will read lies inside the file,
* every chain ends (no loop, no step outside its table),
* every declared size and count fits into the file,

and then walks the workbook stream's records ([MS-XLS]): no cell, sheet
dimension or string table beyond the limits, every sheet starting on a
record of its own. The walk is one loop per record: an .xls holds at most
65,536 rows, so it takes about a second at most.
"""

from __future__ import annotations

import struct

import numpy as np

from learn_core.errors import ReadError
from learn_core.reading.limits import BROKEN_WORKBOOK, MAX_CELLS, check_shape

__all__ = ["MACROS", "check_xls"]

_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: sector numbers from here on are markers, not sectors ([MS-CFB] 2.1)
_RESERVED = 0xFFFFFFFA
_DIFSECT = 0xFFFFFFFC
_END = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
#: streams shorter than this live in the mini stream (the library uses this
#: number whatever the header says)
_CUTOFF = 4096
_MINI = 64
#: BIFF records that place a cell: row and column are their first two words
_CELL_RECORDS = frozenset({0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x00D6, 0x00FD, 0x0201, 0x0203,
                           0x0204, 0x0205, 0x0206, 0x027E, 0x0406})
_MULTI_RECORDS = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK: row, first column … last column
_BOF, _EOF, _DIMENSIONS, _BOUNDSHEET, _SST, _CONTINUE = 0x0809, 0x000A, 0x0200, 0x0085, 0x00FC, 0x003C

#: The message for a workbook with a macro project.
MACROS = "errors.read.macros"


def _broken() -> ReadError:
    return ReadError(code=BROKEN_WORKBOOK)


class _Compound:
    """The structure of a compound file, every part checked as it is read."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(_MAGIC):
            raise _broken()
        self.data = data
        shift, mini_shift = struct.unpack_from("<HH", data, 30)
        if shift not in (9, 12) or mini_shift != 6:
            raise _broken()
        self.size = 1 << shift
        self.v3 = shift == 9
        self.n_sectors = max(len(data) // self.size - 1, 0)
        (n_dir, n_fat, self.dir_start, _, _, self.minifat_start, n_minifat, difat_start,
         n_difat) = struct.unpack_from("<IIIIIIIII", data, 40)
        # counts the library reserves memory for before it reads anything
        guessed_difat = struct.unpack_from("<I", data, 62)[0]  # the library reads this word as a count
        if (n_dir * self.size > len(data) or n_fat > self.n_sectors or n_minifat * self.size > len(data)
                or n_difat > self.n_sectors or guessed_difat > 1 << 24):
            raise _broken()
        self.has_minifat = n_minifat > 0
        self.fat = self._read_fat(difat_start)

    def sector(self, i: int) -> bytes:
        if i >= self.n_sectors:
            raise _broken()
        return self.data[(i + 1) * self.size : (i + 2) * self.size]

    def _read_fat(self, difat_start: int) -> np.ndarray:
        ids = list(struct.unpack_from("<109I", self.data, 76))
        seen: set[int] = set()
        nxt = difat_start
        while nxt < _RESERVED:  # the DIFAT chain: each sector's last word names the next one
            if nxt in seen or nxt >= self.n_sectors:
                raise _broken()
            seen.add(nxt)
            words = struct.unpack(f"<{self.size // 4}I", self.sector(nxt))
            ids += words[:-1]
            nxt = words[-1]
        fat_ids = [i for i in ids if i < _DIFSECT]  # the library reads every one of these
        if any(i >= self.n_sectors for i in fat_ids):
            raise _broken()
        return np.frombuffer(b"".join(self.sector(i) for i in fat_ids), dtype="<u4")

    def chain(self, start: int, table: np.ndarray, n_units: int) -> list[int]:
        """The units of a chain from ``start``; it must end without a loop
        and never leave the table or the ``n_units`` units that exist."""
        out: list[int] = []
        seen: set[int] = set()
        i = start
        while i != _END:
            if i >= n_units or i >= len(table) or i in seen:
                raise _broken()
            seen.add(i)
            out.append(i)
            i = int(table[i])
        return out

    def sector_chain(self, start: int) -> bytes:
        return b"".join(self.sector(i) for i in self.chain(start, self.fat, self.n_sectors))


def _directory(cf: _Compound) -> list[tuple[str, int, int]]:
    """(name, first unit, size) of every directory entry, as the library reads them."""
    raw = cf.sector_chain(cf.dir_start)
    entries = []
    for k in range(0, len(raw) - 127, 128):
        name = raw[k : k + 64].decode("utf-16-le", errors="replace").split("\0", 1)[0]
        start = struct.unpack_from("<I", raw, k + 116)[0]
        size = struct.unpack_from("<I" if cf.v3 else "<Q", raw, k + 120)[0]
        entries.append((name, start, size))
    if not entries:
        raise _broken()
    return entries


def _streams(data: bytes, wanted: tuple[str, ...]) -> bytes | None:
    """The first stream named in ``wanted``, after every chain of the file is checked."""
    cf = _Compound(data)
    entries = _directory(cf)
    if any(name == "_VBA_PROJECT_CUR" for name, _, _ in entries):
        raise ReadError(code=MACROS)  # the library unpacks the macros' compressed streams at once
    root_name, root_start, root_size = entries[0]
    if not cf.v3 and root_start == _END:
        raise _broken()
    mini = b""
    minifat = np.zeros(0, dtype="<u4")
    if cf.has_minifat:
        if root_size > len(data):
            raise _broken()
        mini = cf.sector_chain(root_start)
        if root_size > len(mini):
            raise _broken()
        mini = mini[:root_size]
        minifat = np.frombuffer(cf.sector_chain(cf.minifat_start), dtype="<u4")
    n_mini = len(mini) // _MINI
    found: dict[str, bytes] = {}
    for name, start, size in entries[1:]:
        if not name:
            continue  # an unused entry: the library looks streams up by name
        if size > len(data):
            raise _broken()
        if size < _CUTOFF:
            units = cf.chain(start, minifat, n_mini)
            body = b"".join(mini[i * _MINI : (i + 1) * _MINI] for i in units)
        else:
            body = cf.sector_chain(start)
        if size > len(body):
            raise _broken()  # a stream longer than its chain: the file is cut off or forged
        if name in wanted:
            found.setdefault(name, body[:size])
    for name in wanted:
        if name in found:
            return found[name]
    return None


def _records(stream: bytes) -> tuple[list[tuple[int, int]], dict[int, int]]:
    """The record walk from the first record on.

    Returns the (rows, columns) each stretch of records up to an EOF record
    reaches with its cells (the library reads a sheet from its BOF record to
    the next EOF), and for every BOF record's position the stretch it lies in.
    """
    extents: list[tuple[int, int]] = []
    bof_in: dict[int, int] = {}
    max_row = max_col = -1
    pos, end = 0, len(stream) - 4
    unpack = struct.unpack_from
    sst_count = sst_left = 0  # strings the table declares, bytes it has so far (CONTINUE records add)
    while pos <= end:
        kind, length = unpack("<HH", stream, pos)
        body = pos + 4
        if body + length > len(stream):
            break  # the library stops here with an error
        if sst_count and kind != _CONTINUE:
            _check_sst(sst_count, sst_left)
            sst_count = sst_left = 0
        if kind == _BOF:
            bof_in[pos] = len(extents)
        elif kind == _EOF:
            extents.append((max_row + 1, max_col + 1))
            max_row = max_col = -1
        elif kind in _CELL_RECORDS and length >= 4:
            row, col = unpack("<HH", stream, body)
            max_row, max_col = max(max_row, row), max(max_col, col)
        elif kind in _MULTI_RECORDS and length >= 6:
            row = unpack("<H", stream, body)[0]
            last = unpack("<H", stream, body + length - 2)[0]
            max_row, max_col = max(max_row, row), max(max_col, last)
        elif kind == _DIMENSIONS and length in (10, 14):
            _check_dimensions(stream[body : body + length])
        elif kind == _SST and length >= 8:
            sst_count, sst_left = unpack("<i", stream, body + 4)[0], length - 8
            if sst_count < 0:
                raise _broken()
        elif kind == _CONTINUE and sst_count:
            sst_left += length
        pos = body + length
    _check_sst(sst_count, sst_left)
    extents.append((max_row + 1, max_col + 1))
    return extents, bof_in


def _check_dimensions(body: bytes) -> None:
    """A sheet's DIMENSIONS record: the library reserves its whole rectangle."""
    fmt = "<IIHH" if len(body) == 14 else "<HHHH"
    first_row, last_row, first_col, last_col = struct.unpack_from(fmt, body)
    if last_row >= 1 and last_col >= 1:
        if first_row > last_row - 1 or first_col > last_col - 1:
            raise _broken()  # the library would compute a negative, that is huge, size
        check_shape(last_row - first_row, last_col - first_col)


def _check_sst(count: int, size: int) -> None:
    """A string table declares its number of strings; each takes at least 3 bytes."""
    if count > size // 3 + 1:
        raise _broken()


def _sheet_positions(stream: bytes) -> list[int]:
    """Where the BoundSheet records of the workbook globals say each sheet starts."""
    out = []
    pos, end = 0, len(stream) - 4
    while pos <= end:
        kind, length = struct.unpack_from("<HH", stream, pos)
        if pos + 4 + length > len(stream):
            break
        if kind == _BOUNDSHEET and length >= 4:
            out.append(struct.unpack_from("<I", stream, pos + 4)[0])
        elif kind == _EOF:
            break  # the library reads the globals up to here
        pos += 4 + length
    return out


def check_xls(data: bytes) -> None:
    """Check an .xls workbook's compound file and records before it is parsed.

    Raises
    ------
    ReadError
        when the compound file is damaged or forged (a chain that loops or
        leaves the file, a size beyond it), holds macros, or a cell, sheet
        dimension or string table lies beyond :data:`MAX_ROWS`,
        :data:`MAX_COLUMNS` or :data:`MAX_CELLS`.
    """
    try:
        stream = _streams(data, ("Workbook", "Book"))
    except (struct.error, ValueError, IndexError, OverflowError) as exc:
        if isinstance(exc, ReadError):
            raise
        raise _broken() from None
    if stream is None:
        raise ReadError(code="errors.read.not_xls")
    extents, bof_in = _records(stream)
    for rows, cols in extents:
        check_shape(rows, cols)
    total = 0
    for pos in _sheet_positions(stream):
        if pos not in bof_in:
            raise _broken()  # a sheet that starts inside another record: its records were not walked
        rows, cols = extents[bof_in[pos]]
        total += rows * cols  # the library builds every sheet's rectangle when it opens the file
    if total > MAX_CELLS:
        raise ReadError(code="errors.read.workbook_too_many_cells", params={"cells": total, "most": MAX_CELLS})
