"""The LEARN instrument: items, dimensions, answer scale and maturity levels.

The instrument is data, loaded into frozen dataclasses and validated when
loaded: the built-in versions (``data/instrument.toml`` = 1.0,
``data/instrument_v2.toml`` = 2.0) and ``data/levels.toml``. A user may supply
an own instrument file of the same schema (other wording or items, same four
dimensions); every problem in such a file raises :class:`InstrumentError`
naming the offending field (a code of ``errors.instrument``, in German or
English).

Item IDs are stable across the built-in versions: an ID present in two
versions has the same German statement, dimension and reverse key there
(checked by :func:`instrument_versions`), so old exports, which carry only the
IDs in their headers, are never scored with another statement's key.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from learn_core.errors import LearnError, file_reason, shown, toml_place

__all__ = [
    "DIMENSION_KEYS",
    "Dimension",
    "Instrument",
    "InstrumentError",
    "Item",
    "Level",
    "Scale",
    "changed_ids",
    "default_instrument",
    "instrument_for_ids",
    "instrument_version",
    "instrument_versions",
    "latest_instrument",
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
#: Most characters of an item ID.
_CODE_MAX = 12

#: The built-in instrument files, oldest version first.
BUILTIN_FILES: tuple[str, ...] = ("instrument.toml", "instrument_v2.toml")

#: The version :func:`default_instrument` returns: what new surveys are made
#: with (templates, the printable questionnaire, new live workshops). Files of
#: other versions are told apart by the reader (:func:`instrument_for_ids`),
#: and a workshop keeps the version it was created with.
DEFAULT_VERSION = "2.0"


class InstrumentError(LearnError, ValueError):
    """An instrument or levels file is missing, unreadable or breaks the schema
    (a code of ``errors.instrument``, in German or English)."""


@dataclass(frozen=True)
class Item:
    """One statement of the questionnaire."""

    id: str
    dimension: str
    reverse: bool
    text_de: str
    text_en: str
    #: IDs of earlier statements whose place this one takes (a rewrite, not
    #: the same statement: answers to the two must not be pooled).
    replaces: tuple[str, ...] = ()

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


#: Where tomllib found the error: every message of its parser ends so (Python
#: 3.11 and 3.12 have no ``lineno`` on the exception).
def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise InstrumentError(code="errors.instrument.not_found", params={"path": path}) from None
    except tomllib.TOMLDecodeError as exc:
        raise InstrumentError(code="errors.instrument.not_toml",
                              params={"path": path, "place": toml_place(exc)}) from None
    except UnicodeDecodeError:
        raise InstrumentError(code="errors.instrument.not_utf8", params={"path": path}) from None
    except OSError as exc:
        raise InstrumentError(code="errors.instrument.unreadable",
                              params={"path": path, "reason": file_reason(exc)}) from None


def _check_keys(
    table: object,
    where: str,
    required: dict[str, type | tuple[type, ...]],
    optional: dict[str, type | tuple[type, ...]] | None = None,
) -> dict:
    if not isinstance(table, dict):
        raise InstrumentError(code="errors.instrument.not_table", params={"field": where})
    optional = optional or {}
    for key, typ in {**required, **{k: t for k, t in optional.items() if k in table}}.items():
        if key not in table:
            raise InstrumentError(code="errors.instrument.missing", params={"field": f"{where}.{key}"})
        value = table[key]
        allowed = typ if isinstance(typ, tuple) else (typ,)
        if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
            raise InstrumentError(code="errors.instrument.wrong_type", params={"field": f"{where}.{key}"})
        if isinstance(value, str) and not value.strip():
            raise InstrumentError(code="errors.instrument.empty", params={"field": f"{where}.{key}"})
    extra = sorted(set(table) - set(required) - set(optional))
    if extra:
        raise InstrumentError(code="errors.instrument.unknown", params={"field": f"{where}.{shown(extra[0])}"})
    return table


def _labels(value: object, where: str) -> tuple[str, ...]:
    if (
        not isinstance(value, list)
        or len(value) != SCALE_MAX - SCALE_MIN + 1
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        raise InstrumentError(code="errors.instrument.five_labels", params={"field": where})
    return tuple(v.strip() for v in value)


def _code(value: str, where: str) -> str:
    code = value.strip().upper()
    if not code.isalnum() or len(code) > _CODE_MAX:
        raise InstrumentError(code="errors.instrument.bad_code", params={"field": where, "most": _CODE_MAX})
    if code.lower() in DIMENSION_KEYS:
        raise InstrumentError(code="errors.instrument.code_is_dimension", params={"field": where})
    return code


def _item(raw: object, where: str) -> Item:
    it = _check_keys(
        raw,
        where,
        {"id": str, "dimension": str, "reverse": bool, "text_de": str, "text_en": str},
        optional={"replaces": list},
    )
    item_id = _code(it["id"], f"{where}.id")
    if it["dimension"] not in DIMENSION_KEYS:
        raise InstrumentError(code="errors.instrument.bad_dimension",
                              params={"field": f"{where}.dimension", "value": shown(it["dimension"]),
                                      "dimensions": ", ".join(DIMENSION_KEYS)})
    replaces = it.get("replaces", [])
    if "replaces" in it and (not replaces or not all(isinstance(r, str) for r in replaces)):
        raise InstrumentError(code="errors.instrument.replaces_list", params={"field": f"{where}.replaces"})
    codes = tuple(_code(r, f"{where}.replaces") for r in replaces)
    if item_id in codes or len(set(codes)) != len(codes):
        raise InstrumentError(code="errors.instrument.replaces_self", params={"field": f"{where}.replaces"})
    return Item(
        id=item_id,
        dimension=it["dimension"],
        reverse=it["reverse"],
        text_de=" ".join(it["text_de"].split()),
        text_en=" ".join(it["text_en"].split()),
        replaces=codes,
    )


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
        raise InstrumentError(code="errors.instrument.schema", params={"schema": 1})
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
        raise InstrumentError(code="errors.instrument.dimensions", params={"dimensions": ", ".join(DIMENSION_KEYS)})

    items: list[Item] = []
    for i, it in enumerate(top["items"]):
        item = _item(it, f"items[{i}]")
        if any(other.id == item.id for other in items):
            raise InstrumentError(code="errors.instrument.duplicate_id", params={"field": f"items[{i}].id", "id": item.id})
        items.append(item)
    replaced = {old for item in items for old in item.replaces}
    for i, item in enumerate(items):
        if item.id in replaced:
            raise InstrumentError(code="errors.instrument.replaced_present",
                                  params={"field": f"items[{i}].id", "id": item.id})
    for key in DIMENSION_KEYS:
        n = sum(1 for it in items if it.dimension == key)
        if n < 2:
            raise InstrumentError(code="errors.instrument.few_items", params={"dimension": key})
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


def default_instrument() -> Instrument:
    """The built-in instrument of :data:`DEFAULT_VERSION` (loaded once; immutable).

    Forms and new workshops use it, and the reader tries it first; a file of
    another built-in version is read with that one (see
    :func:`instrument_for_ids`).
    """
    return instrument_version(DEFAULT_VERSION)


@cache
def instrument_versions() -> tuple[Instrument, ...]:
    """All built-in instrument versions, oldest first (newest last).

    Raises
    ------
    InstrumentError
        when a built-in file breaks the schema, two files carry the same
        version, or an ID changes its meaning between two versions (see
        :func:`changed_ids`) – a packaging error that the tests catch.
    """
    out: list[Instrument] = []
    for name in BUILTIN_FILES:
        inst = parse_instrument(_read_toml(DATA_DIR / name), source="builtin")
        for older in out:
            if older.version == inst.version:
                raise InstrumentError(code="errors.instrument.version_twice",
                                      params={"name": name, "version": inst.version})
            changed = changed_ids(older, inst)
            if changed:
                raise InstrumentError(code="errors.instrument.ids_changed",
                                      params={"name": name, "ids": ", ".join(changed), "version": inst.version,
                                              "older": older.version})
        out.append(inst)
    return tuple(out)


def instrument_version(version: str) -> Instrument:
    """The built-in instrument of ``version`` (e.g. ``"1.0"``, ``"2.0"``).

    Raises
    ------
    InstrumentError
        for a version that is not built in (the message lists those that are).
    """
    for inst in instrument_versions():
        if inst.version == version:
            return inst
    known = ", ".join(inst.version for inst in instrument_versions())
    raise InstrumentError(code="errors.instrument.unknown_version", params={"version": shown(version), "known": known})


def latest_instrument() -> Instrument:
    """The newest built-in instrument version."""
    return instrument_versions()[-1]


def changed_ids(old: Instrument, new: Instrument) -> tuple[str, ...]:
    """IDs present in both instruments whose meaning differs, in ``old``'s order.

    The meaning of an ID is its German statement (after whitespace
    normalising), its dimension and its reverse key; the English
    translation may be corrected without changing the meaning. An own
    instrument file can be checked against the built-in versions with this,
    e.g. ``changed_ids(latest_instrument(), own)``.
    """
    new_items = {item.id: item for item in new.items}
    return tuple(
        item.id
        for item in old.items
        if item.id in new_items
        and (item.text_de, item.dimension, item.reverse)
        != (new_items[item.id].text_de, new_items[item.id].dimension, new_items[item.id].reverse)
    )


def instrument_for_ids(ids: Iterable[str]) -> Instrument | None:
    """The built-in version that knows most of these item IDs, or ``None``.

    For telling which version an export was made with from the item IDs its
    headers carry (case-insensitive). A tie goes to :func:`default_instrument`
    if it is among the best, else to the newest of them; ``None`` when no
    built-in version knows any of the IDs.
    """
    wanted = {str(i).strip().upper() for i in ids}
    counts = [(len(wanted & set(inst.item_ids)), inst) for inst in instrument_versions()]
    best = max(n for n, _ in counts)
    if best == 0:
        return None
    tied = [inst for n, inst in counts if n == best]
    return default_instrument() if default_instrument() in tied else tied[-1]


@cache
def levels() -> tuple[Level, ...]:
    """The five maturity levels with names and meanings (immutable)."""
    raw = _read_toml(DATA_DIR / "levels.toml")
    if set(raw) != {"levels"} or not isinstance(raw["levels"], list):
        raise InstrumentError(code="errors.instrument.levels_missing")
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
        raise InstrumentError(code="errors.instrument.levels_bounds")
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
