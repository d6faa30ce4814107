"""Language helpers: German number and date formats.

UI texts live in ``data/texts.toml``; this module formats numbers the way a
reader of the chosen language expects (59,4 in German, 59.4 in English).
"""

from __future__ import annotations

import datetime as _dt
import math

__all__ = ["LANGUAGES", "fmt_date", "fmt_int", "fmt_number", "fmt_percent"]

LANGUAGES = ("de", "en")


def fmt_number(value: float | None, decimals: int = 1, lang: str = "de", missing: str = "–") -> str:
    """``59.44`` → ``"59,4"`` (de) or ``"59.4"`` (en); None/NaN → ``missing``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    text = f"{value:,.{decimals}f}"
    if lang == "de":
        text = text.replace(",", "\u202f").replace(".", ",").replace("\u202f", ".")
    return text


def fmt_int(value: int | None, lang: str = "de", missing: str = "–") -> str:
    """``1234`` → ``"1.234"`` (de) or ``"1,234"`` (en)."""
    if value is None:
        return missing
    return fmt_number(float(value), 0, lang, missing)


def fmt_percent(value: float | None, decimals: int = 0, lang: str = "de", missing: str = "–") -> str:
    """``61.25`` → ``"61 %"`` (de, with a narrow space) or ``"61%"`` (en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    sep = "\u202f" if lang == "de" else ""
    return f"{fmt_number(value, decimals, lang)}{sep}%"


def fmt_date(value: _dt.date, lang: str = "de") -> str:
    """``2026-11-22`` → ``"22.11.2026"`` (de) or ``"22 Nov 2026"`` (en)."""
    return value.strftime("%d.%m.%Y") if lang == "de" else value.strftime("%d %b %Y")
