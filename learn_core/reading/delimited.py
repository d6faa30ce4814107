"""Reading delimited text (CSV and tab-separated "Unicode-Text") into a
:class:`~learn_core.reading.survey.RawTable`.

Encodings: UTF-8 with or without BOM, UTF-16 with BOM (Excel's
"Unicode-Text"), cp1252 as the fallback. Delimiters ``;``, ``,``, tab and
``|``: the one under which the header row names the most items wins (then
the one giving most fields). The body is parsed by pandas' C parser (numbers
arrive as numbers, so numeric answer columns are decoded without a loop);
rows with more fields than the header fall back to the csv module, so no
field is dropped.
"""

from __future__ import annotations

import codecs
import csv
import io

import numpy as np
import pandas as pd

from learn_core.instrument import Instrument
from learn_core.reading import limits
from learn_core.reading.columns import HEADER_ROWS, find_header_row
from learn_core.reading.headers import header_block
from learn_core.reading.source import NOT_A_TABLE, ReadError
from learn_core.reading.survey import RawTable
from learn_core.reading.validation import ValidationReport

__all__ = ["NOT_A_TABLE", "read_delimited"]

_BROKEN = "errors.read.broken_file"
_DELIMITERS = (";", ",", "\t", "|")


def _decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                raise ReadError(code=_BROKEN) from None
    if b"\x00" in data[:4096]:
        raise ReadError(code=NOT_A_TABLE)
    try:
        text, enc = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, enc = data.decode("cp1252", errors="replace"), "cp1252"
    sample = text[:65536]
    control = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n")
    if control > len(sample) // 100:
        raise ReadError(code=NOT_A_TABLE)
    return text, enc


def _records(text: str, delimiter: str, limit: int | None = None) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out = []
    try:
        for row in reader:
            out.append(row)
            if limit is not None and len(out) >= limit:
                break
    except csv.Error:
        raise ReadError(code=_BROKEN) from None
    return out


def _choose_delimiter(
    text: str, instrument: Instrument, column_map: dict[str, str] | None
) -> tuple[str, int, list[list[str]]]:
    """The delimiter under which the header names most items (then: gives most
    fields), the header's record index and the first records."""
    sample = text[: 1 << 18]
    if len(text) > len(sample):
        sample = sample[: sample.rfind("\n") + 1] or sample
    best = None
    for delimiter in _DELIMITERS:
        rows = _records(sample, delimiter, HEADER_ROWS)
        h, score = find_header_row(rows, instrument, column_map)
        fields = rows[h] if len(rows) > h else []
        key = (score, len(fields))
        if best is None or key > best[0]:
            best = (key, delimiter, h, rows)
    return best[1], best[2], best[3]


def read_delimited(data: bytes, instrument: Instrument, column_map: dict[str, str] | None = None) -> RawTable:
    """Read CSV or tab-separated text into a :class:`RawTable`.

    Returns
    -------
    RawTable
        the header row (among the first ten records), the cells below it and
        their row numbers (the record number, as a spreadsheet shows it).

    Raises
    ------
    ReadError
        when the bytes are no text, the file is damaged or too large.
    """
    text, encoding = _decode(data)
    delimiter, h, first_rows = _choose_delimiter(text, instrument, column_map)
    block = header_block(first_rows, h, instrument, column_map) if first_rows else None
    headers = list(block.headers) if block else []
    first_data = block.first_data if block else h + 1
    limits.check_shape(max(text.count("\n"), text.count("\r")) + 1, len(headers))
    raw = data[3:] if encoding == "utf-8-sig" else data if encoding == "utf-8" else text.encode("utf-8")
    try:
        frame = pd.read_csv(
            io.BytesIO(raw),
            sep=delimiter,
            header=None,
            index_col=False,
            skiprows=first_data,
            skip_blank_lines=False,
            keep_default_na=False,
            na_values=[""],
            low_memory=False,
            encoding="utf-8",
            encoding_errors="replace",
            engine="c",
        )
        columns = [frame[c].to_numpy() for c in frame.columns]
        n = len(frame)
        columns += [np.full(n, None, dtype=object) for _ in range(len(headers) - len(columns))]
        headers += [""] * (len(columns) - len(headers))
    except (pd.errors.ParserError, ValueError, OverflowError):
        # ragged rows: read every field as text, wider rows get extra columns
        rows = _records(text, delimiter)[first_data:]
        width = max([len(headers), *map(len, rows)])
        limits.check_shape(len(rows), width)
        headers += [""] * (width - len(headers))
        padded = [r + [""] * (width - len(r)) for r in rows]
        columns = [np.array(c, dtype=object) for c in zip(*padded, strict=True)] if padded else []
        n = len(rows)
    if not columns:
        columns = [np.empty(0, dtype=object) for _ in headers]
    report = ValidationReport(
        header_row=h + 1, file_format="csv", encoding=encoding, delimiter=delimiter,
        header_rows=list(range((block.top if block else h) + 1, first_data + 1)),
    )
    parts = list(block.parts) + [()] * (len(headers) - len(block.parts)) if block else None
    return RawTable(headers, columns, np.arange(first_data + 1, first_data + 1 + n, dtype=np.int64), report,
                    parts=parts)
