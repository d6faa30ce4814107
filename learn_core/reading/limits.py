"""Limits of what the reader accepts, and the checks that run *before* a
spreadsheet is parsed.

A 4 MB .xlsx can unpack to gigabytes, and a file of a few hundred bytes can
name a cell at XFD1048576: the spreadsheet library then allocates the whole
rectangle up to that cell and the process dies (it aborts, nothing can catch
it). So the reader first checks the zip archive's declared sizes and
compression ratio, then scans the sheet XML (streamed, a few megabytes at a
time, with array operations) for the largest row and column a cell names.
Every violation raises :class:`~learn_core.reading.validation.ReadError` with one
sentence (German, or English through ``message("en")``).
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from learn_core.errors import Number, ReadError

__all__ = [
    "BROKEN_WORKBOOK",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "UPLOAD_LIMIT_MB",
    "check_file_size",
    "check_ods",
    "check_shape",
    "check_xlsx",
    "check_zip",
]

#: Largest file accepted, in MB of 1,000,000 bytes: the unit of the browser's
#: upload limit (``server.maxUploadSize`` in the web server's config.toml and every
#: uploader's ``max_upload_size`` are this number), so that the dashboard and
#: the reader refuse at the same size.
UPLOAD_LIMIT_MB = 50
#: Largest file accepted (bytes).
MAX_FILE_BYTES = UPLOAD_LIMIT_MB * 1_000_000
#: Most rows and columns a table may have.
MAX_ROWS = 1_000_000
MAX_COLUMNS = 2_000
#: Most cells of the rectangle a sheet spans: about 130,000 respondents with
#: 30 columns. A sheet of that size whose every cell is a label text (the
#: costliest case) is scored in about 7 s with 0.75 GB of memory.
MAX_CELLS = 4_000_000
#: Most bytes a zip-based workbook may unpack to, and the largest compression
#: ratio of a member bigger than 1 MB.
MAX_UNPACKED_BYTES = 600 * 1024 * 1024
MAX_RATIO = 100

_CHUNK = 8 * 1024 * 1024
#: The message for a workbook that cannot be read.
#: (the code of its sentence in data/texts.toml)
BROKEN_WORKBOOK = "errors.read.broken_workbook"
_MB = 1024 * 1024
#: The code of the sentence for a file protected by a password.
PASSWORD = "errors.read.password"


def check_file_size(size: int) -> None:
    """Raise :class:`ReadError` when a file of ``size`` bytes is too large."""
    if size > MAX_FILE_BYTES:
        raise ReadError(code="errors.read.too_big",
                        params={"size": Number(size / 1e6, 1), "most": MAX_FILE_BYTES // 1_000_000})


def check_shape(rows: int, columns: int) -> None:
    """Raise :class:`ReadError` when a table of this shape is too large."""
    if rows > MAX_ROWS:
        raise ReadError(code="errors.read.too_many_rows", params={"most": MAX_ROWS})
    if columns > MAX_COLUMNS:
        raise ReadError(code="errors.read.too_many_columns", params={"most": MAX_COLUMNS})
    if rows * columns > MAX_CELLS:
        raise ReadError(code="errors.read.too_many_cells", params={"rows": rows, "columns": columns,
                                                                    "most": MAX_CELLS})


def check_zip(zf: zipfile.ZipFile) -> None:
    """Check the declared sizes of a zip archive before anything is unpacked.

    Raises
    ------
    ReadError
        when the archive would unpack to more than :data:`MAX_UNPACKED_BYTES`
        or a member is compressed suspiciously well (a "zip bomb").
    """
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.file_size > _MB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ReadError(code=_BOMB)
    if len(set(zf.namelist())) != len(zf.namelist()):
        raise ReadError(code=BROKEN_WORKBOOK)  # two members of one name: readers disagree which counts
    if total > MAX_UNPACKED_BYTES:
        raise ReadError(code="errors.read.unpacked_too_big",
                        params={"size": f"{total / _MB:.0f}", "most": MAX_UNPACKED_BYTES // _MB})


_BOMB = "errors.read.zip_bomb"


def _unpacked(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes as the spreadsheet library will unpack them, in
    pieces of at most 8 MB.

    The whole deflate stream is unpacked, not only the declared size (the
    library does the same), and it must end exactly at the declared size: a
    member that unpacks to more is refused before it is all in memory.
    """
    if info.flag_bits & 0x1:
        raise ReadError(code=PASSWORD)
    fp = zf.fp
    if fp is None:
        raise ValueError("the archive is closed")
    fp.seek(info.header_offset)
    head = fp.read(30)
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        raise ReadError(code=BROKEN_WORKBOOK)
    fp.seek(info.header_offset + 30 + sum(struct.unpack("<HH", head[26:30])))
    left = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        if left != info.file_size:
            raise ReadError(code=BROKEN_WORKBOOK)
        while left > 0:
            piece = fp.read(min(left, _CHUNK))
            if not piece:
                raise ReadError(code=BROKEN_WORKBOOK)
            left -= len(piece)
            yield piece
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise ReadError(code=BROKEN_WORKBOOK)
    inflate = zlib.decompressobj(-15)
    pending, total = b"", 0
    while not inflate.eof:
        if not pending and left > 0:
            pending = fp.read(min(left, _CHUNK))
            if not pending:
                raise ReadError(code=BROKEN_WORKBOOK)  # the archive ends inside the member
            left -= len(pending)
        given = len(pending)
        piece = inflate.decompress(pending, _CHUNK)
        pending = inflate.unconsumed_tail
        total += len(piece)
        if total > info.file_size:
            raise ReadError(code=_BOMB)
        if piece:
            yield piece
        elif (not pending and left <= 0) or (pending and len(pending) == given):
            break  # no more input, or no progress: the check below decides
    if not inflate.eof or total != info.file_size:
        raise ReadError(code=BROKEN_WORKBOOK)


def _read_chunks(pieces: Iterable[bytes], cut: bytes) -> Iterator[bytes]:
    """The pieces regrouped into chunks of about 8 MB, each ending after ``cut``."""
    tail = b""
    for chunk in pieces:
        buf = tail + chunk
        end = buf.rfind(cut)
        if end < 0:
            tail = buf
            continue
        end += len(cut)
        tail = buf[end:]
        yield buf[:end]
    if tail:
        yield tail


def _drain(pieces: Iterable[bytes]) -> None:
    for _ in pieces:
        pass


# --------------------------------------------------------------------------- xlsx


_R_EQ = np.frombuffer(b' r="', dtype="<u4")[0]


def _attr_positions(buf: bytes) -> np.ndarray:
    """Positions just after every ``␣r="`` in ``buf`` (four aligned word scans)."""
    found = []
    for offset in range(4):
        words = np.frombuffer(buf, dtype="<u4", count=(len(buf) - offset) // 4, offset=offset)
        found.append(np.flatnonzero(words == _R_EQ) * 4 + offset + 4)
    return np.concatenate(found)


def _run_length(b: np.ndarray, start: np.ndarray, low: int, high: int, most: int, fold: int = 0) -> np.ndarray:
    """How many bytes from ``start`` on lie in ``low..high`` (at most ``most``);
    ``fold`` is or-ed into each byte first (0x20 folds letters to lower case)."""
    length = np.zeros(start.size, dtype=np.int16)
    alive = np.ones(start.size, dtype=bool)
    for k in range(most):
        x = b[start + k] | fold
        alive &= (x >= low) & (x <= high)
        if not alive.any():
            break
        length += alive
    return length


def _largest(b: np.ndarray, start: np.ndarray, length: np.ndarray, base: int, zero: int, fold: int = 0) -> int:
    """The largest number written at ``start`` with ``length`` symbols: the
    longest first, then the greatest symbol position by position."""
    if start.size == 0:
        return 0
    longest = int(length.max())
    cand = start[length == longest]
    value = 0
    for k in range(longest):
        x = b[cand + k] | fold
        top = int(x.max())
        cand = cand[x == top]
        value = value * base + top - zero
    return value


def _refs_extent(buf: bytes) -> tuple[int, int, int]:
    """Largest row and column named by an ``r="…"`` attribute in ``buf``, and
    how many of those attributes name a cell (letters and digits)."""
    b = np.frombuffer(buf + b"\0" * 16, dtype=np.uint8)
    s = _attr_positions(buf)
    if s.size == 0:
        return 0, 0, 0
    letters = _run_length(b, s, 0x61, 0x7A, 4, fold=0x20)
    if (letters > 3).any():
        return 0, 1 << 40, int((letters > 0).sum())  # four letters: beyond any sheet
    digits_at = s + letters
    digits = _run_length(b, digits_at, 0x30, 0x39, 8)
    col = _largest(b, s[letters > 0], letters[letters > 0], 26, 0x60, fold=0x20)
    row = _largest(b, digits_at, digits, 10, 0x30)
    return row, col, int((letters > 0).sum())


_CELL_OR_ROW = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*)>")
_R_ATTR = re.compile(rb'\sr="([A-Za-z]*)(\d*)"')


def _extent_by_elements(buf: bytes, state: list[int]) -> tuple[int, int]:
    """Row and column extent of cells without ``r`` attributes, element by
    element (slow; only for files written without cell references).
    ``state`` is [current row, current column] and carries over chunks."""
    max_row = max_col = 0
    for m in _CELL_OR_ROW.finditer(buf):
        ref = _R_ATTR.search(m.group(2))
        if m.group(1) == b"row":
            state[0] = int(ref.group(2)) if ref and ref.group(2) else state[0] + 1
            state[1] = 0
        else:
            if ref and ref.group(1):
                col = 0
                for ch in ref.group(1).upper():
                    col = col * 26 + ch - 64
                state[1] = col
            else:
                state[1] += 1
            max_col = max(max_col, state[1])
        max_row = max(max_row, state[0])
    return max_row, max_col


def _cell_tags(buf: bytes) -> int:
    """How many cell elements (``<c …>``, also with a namespace prefix) ``buf`` holds."""
    b = np.frombuffer(buf + b"\0", dtype=np.uint8)
    count = 0
    for offset in range(2):
        words = np.frombuffer(buf, dtype="<u2", count=(len(buf) - offset) // 2, offset=offset)
        at = np.flatnonzero((words == 0x633C) | (words == 0x633A)) * 2 + offset + 2  # "<c", ":c"
        nxt = b[at]
        count += int(np.isin(nxt, (0x20, 0x3E, 0x2F, 0x09, 0x0A, 0x0D)).sum())
    return count


def _fast_extent(buf: bytes) -> tuple[int, int, bool]:
    """Extent of a chunk from its cell references, and whether some cells
    have no reference (then the chunk needs the element-by-element scan)."""
    row, col, refs = _refs_extent(buf)
    return row, col, _cell_tags(buf) > refs


def _sheet_extent(pieces: Iterable[bytes]) -> tuple[int, int]:
    """Largest row and column a sheet's cells reach.

    The array scans of up to two chunks run in worker threads while the
    next chunk is unpacked (zlib and numpy release the GIL), so the check
    costs about the time of the slower of the two, not their sum. Chunks
    are merged in their order; from the first chunk with cells lacking a
    reference on, the scan goes on element by element in this thread.
    """
    extent = [0, 0]
    slow = False
    state = [0, 0]

    def over() -> bool:
        return extent[0] > MAX_ROWS or extent[1] > MAX_COLUMNS or extent[0] * extent[1] > MAX_CELLS

    def by_elements(buf: bytes) -> None:
        state[0] = max(state[0], extent[0])
        row, col = _extent_by_elements(buf, state)
        extent[0], extent[1] = max(extent[0], row), max(extent[1], col)

    def settle(buf: bytes, future) -> None:
        nonlocal slow
        row, col, lacks_refs = future.result()
        extent[0], extent[1] = max(extent[0], row), max(extent[1], col)
        slow = slow or lacks_refs
        if slow:
            by_elements(buf)

    with ThreadPoolExecutor(max_workers=2) as pool:
        pending: deque = deque()
        for buf in _read_chunks(pieces, b">"):
            if slow:
                while pending:  # the element scan must see the chunks in their order
                    settle(*pending.popleft())
                by_elements(buf)
            else:
                pending.append((buf, pool.submit(_fast_extent, buf)))
                while len(pending) > 2 and not over():
                    settle(*pending.popleft())
            if over():
                break
        while pending and not over():
            settle(*pending.popleft())
        for _, future in pending:
            future.cancel()
    return extent[0], extent[1]


_SHEET_TARGET = re.compile(rb'<Relationship\b[^>]*?Type="[^"]*sheet"[^>]*?Target="([^"]+)"|'
                           rb'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Type="[^"]*sheet"')


def _sheet_parts(zf: zipfile.ZipFile) -> set[str]:
    """The archive members holding sheets: all under xl/worksheets/ and every
    sheet the workbook's relationships point to (they may lie elsewhere)."""
    names = set(zf.namelist())
    parts = {n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    if "xl/_rels/workbook.xml.rels" in names:
        rels = zf.read("xl/_rels/workbook.xml.rels")[: 4 * _MB]
        for m in _SHEET_TARGET.finditer(rels):
            target = (m.group(1) or m.group(2)).decode("utf-8", errors="replace")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            if path in names:
                parts.add(path)
    return parts


def check_xlsx(zf: zipfile.ZipFile) -> None:
    """Check that no sheet of an .xlsx/.xlsm spans too large a rectangle.

    Raises
    ------
    ReadError
        when a sheet's cells reach beyond :data:`MAX_ROWS`, :data:`MAX_COLUMNS`
        or :data:`MAX_CELLS`.
    """
    sheets = _sheet_parts(zf)
    for info in zf.infolist():
        if info.filename in sheets:
            check_shape(*_sheet_extent(_unpacked(zf, info)))
        else:
            _drain(_unpacked(zf, info))


# --------------------------------------------------------------------------- ods

_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d+)"')
_COLS_REPEATED = re.compile(rb'number-columns-repeated="(\d+)"')


def _row_width(seg: bytes) -> int:
    """Columns a table row spans up to its last cell with content (0: empty)."""
    last = max(seg.rfind(b"office:value-type"), seg.rfind(b"<text:p"))
    if last < 0:
        return 0
    end = seg.find(b">", last)
    head = seg[: end if end >= 0 else len(seg)]
    width = head.count(b"<table:table-cell") + head.count(b"<table:covered-table-cell")
    if b"repeated" in head:
        width += sum(int(n) - 1 for n in _COLS_REPEATED.findall(head) if int(n) > 1)
    return width


def check_ods(zf: zipfile.ZipFile) -> None:
    """Check that the repeated rows and cells of an .ods stay within the limits.

    OpenDocument writes runs of equal cells once with a repeat count; a cell
    with content repeated a million times expands to a million cells. Empty
    runs at the end of a row or a sheet do not count (the reader drops them).
    The element names are matched with their usual ``table:`` prefix, as the
    spreadsheet library does (it reads no other prefix).

    Raises
    ------
    ReadError
        when a sheet would span more than :data:`MAX_ROWS` rows,
        :data:`MAX_COLUMNS` columns or :data:`MAX_CELLS` cells.
    """
    for info in zf.infolist():
        if info.filename == "content.xml":
            _check_ods_content(_unpacked(zf, info))
        else:
            _drain(_unpacked(zf, info))


def _check_ods_content(pieces: Iterable[bytes]) -> None:
    """Height and width of the tables in content.xml, counting repeats."""
    height = width = pending = 0  # pending: empty rows that count only if content follows
    for buf in _read_chunks(pieces, b"</table:table-row>"):
        before, *rows = buf.split(b"<table:table-row")
        if b"</table:table>" in before:
            pending = 0
        for seg in rows:
            rep = _ROWS_REPEATED.search(seg, 0, max(seg.find(b">"), 0))
            repeat = int(rep.group(1)) if rep else 1
            row_width = _row_width(seg)
            if row_width:
                height += pending + repeat
                pending = 0
                width = max(width, row_width)
            else:
                pending += repeat
            if b"</table:table>" in seg:
                pending = 0
            if height > MAX_ROWS or width > MAX_COLUMNS or height * width > MAX_CELLS:
                check_shape(height, width)
    check_shape(height, width)
