"""Tables as files: the CSV download of every table the dashboard shows.

The dashboard's own table download is switched off (``client.disableDataExport``
in the server's config.toml): it writes cells as they are, so a department
called ``=HYPERLINK(…)`` or an answer cell ``+cmd|…`` would become a live
formula in the spreadsheet that opens the file. This one neutralises them.
"""

from __future__ import annotations

import pandas as pd

from learn_core.actionplan import safe_cell

__all__ = ["table_csv"]


def table_csv(frame: pd.DataFrame) -> bytes:
    """A display table as CSV for German Excel.

    Returns
    -------
    bytes
        UTF-8 with byte order mark, ``;``-separated, CRLF line ends; every
        text (headers included) that a spreadsheet could read as a formula
        (starting with ``=``, ``+``, ``-``, ``@``, tab or CR) starts with an
        apostrophe; numbers stay numbers.
    """
    safe = frame.rename(columns=lambda c: safe_cell(str(c)))
    safe = safe.apply(lambda col: col.map(safe_cell) if col.dtype == object or pd.api.types.is_string_dtype(col) else col)
    return safe.to_csv(sep=";", index=False, lineterminator="\r\n").encode("utf-8-sig")
