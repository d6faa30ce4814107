"""Tables as files: the CSV download of every table the dashboard shows.

The dashboard's own table download is switched off (``client.disableDataExport``
in the server's config.toml): it writes cells as they are, so a department
called ``=HYPERLINK(…)`` or an answer cell ``+cmd|…`` would become a live
formula in the spreadsheet that opens the file. This one neutralises them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from learn_core.actionplan import safe_cell
from learn_core.i18n import fmt_number

if TYPE_CHECKING:  # pandas' Styler loads Jinja2: only when a page shows a table
    from pandas.io.formats.style import Styler

__all__ = ["table_csv", "table_decimals", "table_display"]

#: The most decimals a table column is shown with.
MAX_DECIMALS = 3
#: Cells up to which a table is shown formatted (pandas' Styler renders every
#: cell; a larger table is shown as its plain numbers).
MAX_STYLED_CELLS = 100_000


def _is_float(value: object) -> bool:
    return isinstance(value, float | np.floating)


def table_csv(frame: pd.DataFrame, lang: str = "de") -> bytes:
    """A display table as CSV for Excel in the language of the page.

    Returns
    -------
    bytes
        UTF-8 with byte order mark, CRLF line ends; German: ``;``-separated
        with a decimal comma (German Excel reads "30.8" as a date), English:
        ``,``-separated with a decimal point; every text (headers included)
        that a spreadsheet could read as a formula (starting with ``=``,
        ``+``, ``-``, ``@``, tab or CR) starts with an apostrophe; numbers
        stay numbers.
    """
    german = lang != "en"

    def cell(value: object) -> object:
        if _is_float(value) and german:  # a number among texts: written as the float columns are
            return repr(value).replace(".", ",")
        return safe_cell(value)

    safe = frame.rename(columns=lambda c: safe_cell(str(c)))
    safe = safe.apply(lambda col: col.map(cell) if col.dtype == object or pd.api.types.is_string_dtype(col) else col)
    return safe.to_csv(sep=";" if german else ",", decimal="," if german else ".", index=False,
                       lineterminator="\r\n").encode("utf-8-sig")


def table_decimals(values: pd.Series) -> int:
    """The fewest decimals (at most :data:`MAX_DECIMALS`) that show every
    number of a column as it is: 0.74 → 2, 30.8 and 33.0 → 1, whole numbers → 0."""
    numbers = np.asarray([v for v in values if _is_float(v)], dtype=float)
    numbers = numbers[np.isfinite(numbers)]
    for decimals in range(MAX_DECIMALS):
        if np.allclose(np.round(numbers, decimals), numbers, rtol=0, atol=1e-9):
            return decimals
    return MAX_DECIMALS


def table_display(frame: pd.DataFrame, lang: str = "de") -> Styler | pd.DataFrame:
    """The table as the page shows it (a pandas ``Styler``): every decimal
    number in the language's format ("0,74" in German), each column with one
    count of decimals (33.0 beside 30.8, not 33); the values underneath stay
    numbers, so the table still sorts by them. Whole-number columns (counts,
    row numbers) and texts are shown as they are. A table of more than
    :data:`MAX_STYLED_CELLS` cells is returned as it is."""
    if frame.size > MAX_STYLED_CELLS:
        return frame
    formats = {}
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_float_dtype(column) or column.dtype == object:
            decimals = table_decimals(column)
            formats[name] = (lambda d: lambda v: fmt_number(float(v), d, lang) if _is_float(v)
                             else ("–" if v is None else v))(decimals)
    return frame.style.format(formats)
