"""A survey file's bytes and every check that runs before it is parsed, in a
module that needs no pandas.

:func:`check_file` reads the bytes (at most the size limit), tells the
format by the content and, for workbooks, runs the archive and sheet checks
of :mod:`learn_core.reading.limits`. Because nothing here imports pandas, the
command line runs these checks in a thread while the analysis modules load.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from learn_core.errors import ReadError
from learn_core.reading import limits

__all__ = ["NOT_A_TABLE", "CheckedFile", "ReadError", "Source", "check_file", "source_bytes"]


NOT_A_TABLE = "errors.read.not_a_table"

Source = str | Path | bytes | BinaryIO

#: Beginnings of common files that are no table (PDF, PNG, JPEG, GIF, gzip, 7-Zip, RAR).
_OTHER_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks before parsing: its bytes, ``kind``
    ("xlsx", "ods", "xls" or "text") and the name it came with."""

    data: bytes
    kind: str
    name: str


def check_file(source: Source, file_name: str | None = None) -> CheckedFile:
    """Read ``source`` and run every check that must pass before parsing.

    Raises
    ------
    ReadError
        when the file is empty, too large, not a table, damaged, protected by
        a password, or a workbook whose archive or sheets break the limits.
    """
    from learn_core.reading.biff import check_xls

    data = source_bytes(source)
    kind = _sniff(data)
    if kind == "zip":
        kind = _open_zip(data)
    elif kind == "ole":
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ReadError(code=limits.PASSWORD)
        check_xls(data)
        kind = "xls"
    name = file_name or (str(source) if isinstance(source, str | Path) else "")
    return CheckedFile(data, kind, Path(name).name)


def source_bytes(source: Source) -> bytes:
    """The bytes of a path, bytes or binary stream, at most the size limit.

    Raises
    ------
    ReadError
        when the file is missing, unreadable, too large or empty.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    elif isinstance(source, str | Path):
        path = Path(source)
        try:
            limits.check_file_size(path.stat().st_size)
            data = path.read_bytes()
        except FileNotFoundError:
            raise ReadError(code="errors.read.not_found", params={"name": path.name}) from None
        except IsADirectoryError:
            raise ReadError(code="errors.read.is_folder", params={"name": path.name}) from None
        except OSError:
            raise ReadError(code="errors.read.unreadable_path", params={"name": path.name}) from None
    else:
        try:
            data = source.read(limits.MAX_FILE_BYTES + 1)
        except (OSError, ValueError):
            raise ReadError(code="errors.read.unreadable_upload") from None
        if not isinstance(data, bytes):
            raise ReadError(code="errors.read.unreadable_upload")
    limits.check_file_size(len(data))
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ReadError(code="errors.read.empty_file")
    return data


def _sniff(data: bytes) -> str:
    """The kind of file by its content: "zip", "ole" or "text"."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if data.startswith(_OTHER_MAGIC):
        raise ReadError(code=NOT_A_TABLE)
    return "text"


def _open_zip(data: bytes) -> str:
    """Check a zip-based workbook before it is parsed; its kind, "xlsx" or "ods"."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return _zip_kind(zf)
    except ReadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError, struct.error):
        raise ReadError(code=limits.BROKEN_WORKBOOK) from None


def _zip_kind(zf: zipfile.ZipFile) -> str:
    names = set(zf.namelist())
    limits.check_zip(zf)
    if "xl/workbook.bin" in names:
        raise ReadError(code="errors.read.xlsb")
    if "xl/workbook.xml" in names:
        limits.check_xlsx(zf)
        return "xlsx"
    if "content.xml" in names:
        mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
        if not mimetype or b"spreadsheet" in mimetype:
            limits.check_ods(zf)
            return "ods"
    raise ReadError(code="errors.read.zip_not_table")

