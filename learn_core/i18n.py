"""Language helpers: German number and date formats.

UI texts live in ``data/texts.toml``; this module formats numbers the way a
reader of the chosen language expects (59,4 in German, 59.4 in English).
"""

from __future__ import annotations

import datetime as _dt
import math
import threading
import tomllib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from learn_core.errors import LearnError, render_param

if TYPE_CHECKING:
    from learn_core.instrument import Instrument

__all__ = ["LANGUAGES", "fmt_date", "fmt_int", "fmt_number", "fmt_percent", "methodology_markdown", "render_error", "t", "texts"]

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


# --------------------------------------------------------------------------- UI texts


TEXTS_FILE = Path(__file__).parent / "data" / "texts.toml"


#: The sentences of :class:`TextsError` (``errors.texts.*``) for when the texts file,
#: which holds them too, cannot be read: a broken texts file must still be named
#: in a readable sentence. ``tests/test_i18n.py`` keeps them equal to the file.
TEXTS_ERROR_FALLBACK = {
    "errors.texts.no_wording": {"de": "Text „{name}“ braucht einen deutschen und englischen Wortlaut.",
                                "en": "Text “{name}” needs a German and an English wording."},
    "errors.texts.no_fields": {"de": "Text „{name}“ braucht die Felder de und en.",
                               "en": "Text “{name}” needs the fields de and en."},
}
_rendering = threading.local()


class TextsError(LearnError, ValueError):
    """The UI text file is broken (a key without both languages); a code of
    ``errors.texts``, in German or English.

    Its sentence comes from the texts file like every error's; when that file
    cannot be read (it is the broken one), from :data:`TEXTS_ERROR_FALLBACK`.
    """

    def message(self, lang: str = "de") -> str:
        """The sentence in ``lang``: the texts file's, else the built-in one."""
        fallback = TEXTS_ERROR_FALLBACK.get(self.code or "")
        if fallback is None:
            return super().message(lang)
        if not getattr(_rendering, "active", False):  # not already inside a reading that failed
            _rendering.active = True
            try:
                return super().message(lang)
            except (LearnError, OSError, KeyError, ValueError):  # the file is unreadable (TOML, UTF-8) or lacks the key
                pass
            finally:
                _rendering.active = False
        return fallback["en" if lang == "en" else "de"].format(**{k: render_param(v, lang) for k, v in self.params.items()})


@cache
def texts() -> dict[str, dict[str, str]]:
    """All UI texts: key → {"de": …, "en": …} (immutable use only)."""
    with open(TEXTS_FILE, "rb") as fh:
        raw = tomllib.load(fh)
    out: dict[str, dict[str, str]] = {}

    def walk(prefix: str, table: dict) -> None:
        for key, value in table.items():
            name = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict) and set(value) == {"de", "en"}:
                if not all(isinstance(v, str) and v for v in value.values()):
                    raise TextsError(code="errors.texts.no_wording", params={"name": name})
                out[name] = value
            elif isinstance(value, dict):
                walk(name, value)
            else:
                raise TextsError(code="errors.texts.no_fields", params={"name": name})

    walk("", raw)
    return out


def t(key: str, lang: str = "de", **values: object) -> str:
    """The UI text ``key`` in ``lang``, with ``{name}`` placeholders filled.

    Raises
    ------
    KeyError
        when the key does not exist (a programming error, caught by tests).
    """
    text = texts()[key]["en" if lang == "en" else "de"]
    return text.format(**values) if values else text


def render_error(exc: BaseException, lang: str = "de") -> str:
    """The sentence for the user about ``exc`` in ``lang``: a :class:`LearnError`'s
    text in that language, any other error's ``str``."""
    return exc.message(lang) if isinstance(exc, LearnError) else str(exc)


def join_names(parts: list[str], lang: str) -> str:
    """"a, b und c" / "a, b and c"."""
    return "".join(parts) if len(parts) < 2 else ", ".join(parts[:-1]) + t("method.and", lang) + parts[-1]


def driver_names(instrument: Instrument | None, lang: str = "de") -> dict[str, str]:
    """The names the texts about the drivers use, as the questionnaire has
    them: ``enablers`` ("Motivation, Führung und Kompetenz") and ``outcome``
    ("Lernerfolg"), of ``instrument`` (by default the built-in one)."""
    from learn_core.instrument import DIMENSION_KEYS, default_instrument

    dims = (instrument or default_instrument()).dimensions
    outcome = DIMENSION_KEYS[-1]  # Lernerfolg: what the other three enable
    return {"enablers": join_names([d.name(lang) for d in dims if d.key != outcome], lang),
            "outcome": next(d.name(lang) for d in dims if d.key == outcome)}


def methodology_markdown(lang: str = "de", min_group_size: int = 5, instrument: Instrument | None = None) -> str:
    """The method explanation (``data/methodik_de.md`` / ``methodik_en.md``)
    with k and the questionnaire filled in: its name, version, statements,
    dimension names and negatively worded statements (``instrument``, by
    default the built-in one)."""
    from learn_core.instrument import default_instrument

    inst = instrument or default_instrument()
    path = Path(__file__).parent / "data" / f"methodik_{'en' if lang == 'en' else 'de'}.md"
    sizes = {len(inst.items_of(d.key)) for d in inst.dimensions}
    reversed_ids = [it.id for it in inst.items if it.reverse]
    kind = "none" if not reversed_ids else "one" if len(reversed_ids) == 1 else "many"
    parts = {
        "{k}": str(min_group_size),
        "{name}": inst.name(lang),
        "{version}": inst.version,
        "{count}": str(len(inst.items)),
        "{dimensions}": join_names([f"**{d.name(lang)}**" for d in inst.dimensions], lang),
        "{each}": t("method.each", lang, n=sizes.pop()) if len(sizes) == 1 else "",
        "{lowest}": inst.scale.labels(lang)[0],
        "{highest}": inst.scale.labels(lang)[-1],
        "{reversal}": t(f"method.reversed_{kind}", lang, ids=join_names(reversed_ids, lang)),
        **{"{" + role + "}": names for role, names in driver_names(inst, lang).items()},
    }
    text = path.read_text("utf-8")
    for placeholder, value in parts.items():
        text = text.replace(placeholder, value)
    return text


#: When the statement's self-assessment was last brought up to date.
ACCESSIBILITY_STATEMENT_DATE = "2026-12-02"


def accessibility_statement(lang: str = "de", *, contact: str = "", enforcement: str = "") -> str:
    """The "Erklärung zur Barrierefreiheit" (``data/barrierefreiheit_de.md`` /
    ``_en.md``, the fields the BITV 2.0 asks for) with the operator's contact
    and the Land's conciliation body filled in; where the operator has not set
    one, the text says which setting names it."""
    en = lang == "en"
    path = Path(__file__).parent / "data" / f"barrierefreiheit_{'en' if en else 'de'}.md"
    unset = "not set yet by the operator (setting {name})" if en else "von der Betreiberin noch nicht eingetragen (Einstellung {name})"
    when = ACCESSIBILITY_STATEMENT_DATE if en else ".".join(reversed(ACCESSIBILITY_STATEMENT_DATE.split("-")))
    return (path.read_text("utf-8")
            .replace("{date}", when)
            .replace("{contact}", contact.strip() or unset.format(name="LEARN_ACCESSIBILITY_CONTACT"))
            .replace("{enforcement}", enforcement.strip() or unset.format(name="LEARN_ACCESSIBILITY_ENFORCEMENT")))
