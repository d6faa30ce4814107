"""The LEARN instrument: items, dimensions, answer scale and maturity levels.

The instrument is data (``data/instrument.toml``, ``data/levels.toml``), loaded
into frozen dataclasses and validated when loaded. A user may supply an own
instrument file of the same schema (other wording or items, same four
dimensions); every problem in such a file raises :class:`InstrumentError`
naming the offending field.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = [
    "DIMENSION_KEYS",
    "Dimension",
    "Instrument",
    "InstrumentError",
    "Item",
    "Level",
    "Scale",
    "default_instrument",
    "level_for",
    "levels",
    "load_instrument",
]

DATA_DIR = Path(__file__).parent / "data"

#: The four LEARN dimensions, in their canonical order.
DIMENSION_KEYS: tuple[str, ...] = ("motivation", "fuehrung", "kompetenz", "lernerfolg")

#: Lower bounds of the five levels on the 0–100 score (the scoring contract).
LEVEL_BOUNDS: tuple[float, ...] = (0.0, 20.0, 40.0, 60.0, 80.0)

SCALE_MIN = 1
SCALE_MAX = 5


class InstrumentError(ValueError):
    """An instrument or levels file is missing, unreadable or breaks the schema."""


@dataclass(frozen=True)
class Item:
    """One statement of the questionnaire."""

    id: str
    dimension: str
    reverse: bool
    text_de: str
    text_en: str

    def text(self, lang: str = "de") -> str:
        return self.text_en if lang == "en" else self.text_de


@dataclass(frozen=True)
class Dimension:
    """One of the four LEARN dimensions."""

    key: str
    name_de: str
    name_en: str
    description_de: str
    description_en: str

    def name(self, lang: str = "de") -> str:
        return self.name_en if lang == "en" else self.name_de

    def description(self, lang: str = "de") -> str:
        return self.description_en if lang == "en" else self.description_de


@dataclass(frozen=True)
class Scale:
    """The 1–5 agreement scale with its labels."""

    labels_de: tuple[str, ...]
    labels_en: tuple[str, ...]
    minimum: int = SCALE_MIN
    maximum: int = SCALE_MAX

    def labels(self, lang: str = "de") -> tuple[str, ...]:
        return self.labels_en if lang == "en" else self.labels_de


@dataclass(frozen=True)
class Level:
    """A maturity level of a 0–100 score."""

    level: int
    lower: float
    name_de: str
    name_en: str
    meaning_de: str
    meaning_en: str

    def name(self, lang: str = "de") -> str:
        return self.name_en if lang == "en" else self.name_de

    def meaning(self, lang: str = "de") -> str:
        return self.meaning_en if lang == "en" else self.meaning_de


@dataclass(frozen=True)
class Instrument:
    """A validated questionnaire: scale, dimensions and items."""

    name_de: str
    name_en: str
    version: str
    scale: Scale
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]
    source: str = "builtin"

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def dimension(self, key: str) -> Dimension:
        for dim in self.dimensions:
            if dim.key == key:
                return dim
        raise KeyError(key)

    def items_of(self, key: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.dimension == key)

    def min_valid(self, key: str) -> int:
        """Valid answers a respondent needs for a score in dimension ``key``.

        4 of 6 for the LEARN instrument; for an own instrument with another
        number of items the same two thirds, rounded up.
        """
        return math.ceil(len(self.items_of(key)) * 4 / 6)

    def name(self, lang: str = "de") -> str:
        return self.name_en if lang == "en" else self.name_de


# --------------------------------------------------------------------------- loading


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise InstrumentError(f"Die Instrument-Datei „{path}“ wurde nicht gefunden.") from None
    except tomllib.TOMLDecodeError as exc:
        raise InstrumentError(f"Die Instrument-Datei „{path}“ ist kein gültiges TOML: {exc}") from None
    except OSError as exc:
        raise InstrumentError(f"Die Instrument-Datei „{path}“ kann nicht gelesen werden: {exc}") from None


def _check_keys(table: object, where: str, required: dict[str, type | tuple[type, ...]]) -> dict:
    if not isinstance(table, dict):
        raise InstrumentError(f"Feld „{where}“ muss eine Tabelle sein.")
    for key, typ in required.items():
        if key not in table:
            raise InstrumentError(f"Feld „{where}.{key}“ fehlt.")
        value = table[key]
        allowed = typ if isinstance(typ, tuple) else (typ,)
        if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
            raise InstrumentError(f"Feld „{where}.{key}“ hat den falschen Typ.")
        if isinstance(value, str) and not value.strip():
            raise InstrumentError(f"Feld „{where}.{key}“ ist leer.")
    extra = sorted(set(table) - set(required))
    if extra:
        raise InstrumentError(f"Feld „{where}.{extra[0]}“ ist unbekannt.")
    return table


def _labels(value: object, where: str) -> tuple[str, ...]:
    if (
        not isinstance(value, list)
        or len(value) != SCALE_MAX - SCALE_MIN + 1
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        raise InstrumentError(f"Feld „{where}“ muss genau fünf Texte enthalten.")
    return tuple(v.strip() for v in value)


def parse_instrument(raw: dict, source: str = "builtin") -> Instrument:
    """Validate a parsed instrument table and build the :class:`Instrument`.

    Raises
    ------
    InstrumentError
        naming the first field that is missing, of the wrong type, unknown,
        duplicated or inconsistent.
    """
    top = _check_keys(
        raw,
        "instrument",
        {
            "schema": int,
            "version": str,
            "name_de": str,
            "name_en": str,
            "scale": dict,
            "dimensions": list,
            "items": list,
        },
    )
    if top["schema"] != 1:
        raise InstrumentError("Feld „schema“ muss 1 sein.")
    scale_raw = _check_keys(top["scale"], "scale", {"labels_de": list, "labels_en": list})
    scale = Scale(
        labels_de=_labels(scale_raw["labels_de"], "scale.labels_de"),
        labels_en=_labels(scale_raw["labels_en"], "scale.labels_en"),
    )

    dims: list[Dimension] = []
    for i, d in enumerate(top["dimensions"]):
        where = f"dimensions[{i}]"
        d = _check_keys(
            d,
            where,
            {"key": str, "name_de": str, "name_en": str, "description_de": str, "description_en": str},
        )
        dims.append(Dimension(**{k: v.strip() for k, v in d.items()}))
    keys = tuple(d.key for d in dims)
    if keys != DIMENSION_KEYS:
        raise InstrumentError(
            "Feld „dimensions“ muss genau die vier Dimensionen "
            f"{', '.join(DIMENSION_KEYS)} in dieser Reihenfolge enthalten."
        )

    items: list[Item] = []
    seen: set[str] = set()
    for i, it in enumerate(top["items"]):
        where = f"items[{i}]"
        it = _check_keys(
            it,
            where,
            {"id": str, "dimension": str, "reverse": bool, "text_de": str, "text_en": str},
        )
        item_id = it["id"].strip().upper()
        if not item_id.isalnum() or len(item_id) > 12:
            raise InstrumentError(f"Feld „{where}.id“ muss ein kurzer Code aus Buchstaben und Ziffern sein.")
        if item_id in seen:
            raise InstrumentError(f"Feld „{where}.id“: die ID {item_id} kommt doppelt vor.")
        if item_id in DIMENSION_KEYS or item_id.lower() in DIMENSION_KEYS:
            raise InstrumentError(f"Feld „{where}.id“ darf kein Dimensionsname sein.")
        if it["dimension"] not in DIMENSION_KEYS:
            raise InstrumentError(
                f"Feld „{where}.dimension“: „{it['dimension']}“ ist keine der Dimensionen "
                f"{', '.join(DIMENSION_KEYS)}."
            )
        seen.add(item_id)
        items.append(
            Item(
                id=item_id,
                dimension=it["dimension"],
                reverse=it["reverse"],
                text_de=" ".join(it["text_de"].split()),
                text_en=" ".join(it["text_en"].split()),
            )
        )
    for key in DIMENSION_KEYS:
        n = sum(1 for it in items if it.dimension == key)
        if n < 2:
            raise InstrumentError(f"Feld „items“: die Dimension {key} braucht mindestens zwei Items.")
    return Instrument(
        name_de=top["name_de"].strip(),
        name_en=top["name_en"].strip(),
        version=top["version"].strip(),
        scale=scale,
        dimensions=tuple(dims),
        items=tuple(items),
        source=source,
    )


def load_instrument(path: str | Path | None = None) -> Instrument:
    """Load and validate an instrument file.

    Parameters
    ----------
    path
        A TOML file of the instrument schema; ``None`` loads the built-in
        LEARN instrument shipped with the package.

    Returns
    -------
    Instrument

    Raises
    ------
    InstrumentError
        when the file is missing, not TOML, or breaks the schema (the message
        names the field).
    """
    if path is None:
        return default_instrument()
    path = Path(path)
    return parse_instrument(_read_toml(path), source=str(path))


@cache
def default_instrument() -> Instrument:
    """The built-in LEARN instrument (loaded once; the object is immutable)."""
    return parse_instrument(_read_toml(DATA_DIR / "instrument.toml"), source="builtin")


@cache
def levels() -> tuple[Level, ...]:
    """The five maturity levels with names and meanings (immutable)."""
    raw = _read_toml(DATA_DIR / "levels.toml")
    if set(raw) != {"levels"} or not isinstance(raw["levels"], list):
        raise InstrumentError("Feld „levels“ fehlt in levels.toml.")
    out: list[Level] = []
    for i, lv in enumerate(raw["levels"]):
        lv = _check_keys(
            lv,
            f"levels[{i}]",
            {
                "level": int,
                "lower": (int, float),
                "name_de": str,
                "name_en": str,
                "meaning_de": str,
                "meaning_en": str,
            },
        )
        out.append(Level(**{**lv, "lower": float(lv["lower"])}))
    if tuple(lv.level for lv in out) != (1, 2, 3, 4, 5) or tuple(lv.lower for lv in out) != LEVEL_BOUNDS:
        raise InstrumentError("levels.toml muss die Stufen 1–5 mit den Grenzen 0, 20, 40, 60, 80 enthalten.")
    return tuple(out)


def level_for(score: float | None) -> int | None:
    """The level (1–5) of a 0–100 score: 1 below 20, 2 below 40, 3 below 60,
    4 below 80, else 5. ``None`` (or NaN) gives ``None``."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    level = 1
    for i, lower in enumerate(LEVEL_BOUNDS):
        if score >= lower:
            level = i + 1
    return level
