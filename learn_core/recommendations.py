"""The Kaizen recommendation catalogue and its matching rule.

Matching (pinned by tests/test_recommendations.py): take a group's two
weakest dimensions (lowest score; ties in instrument order), and for each the
catalogue entries whose level range contains that dimension's level; the
weakest dimension's entries come first, each dimension's entries in
catalogue order.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from learn_core.instrument import DIMENSION_KEYS, InstrumentError, level_for

__all__ = [
    "AREAS",
    "CatalogueError",
    "Recommendation",
    "catalogue",
    "load_catalogue",
    "match",
    "weakest_dimensions",
]

DATA_DIR = Path(__file__).parent / "data"

#: Action areas of the study's recommendations: key → (German, English).
AREAS: dict[str, tuple[str, str]] = {
    "strategie": ("Strategie", "Strategy"),
    "qualifizierung": ("Qualifizierung", "Qualification"),
    "fuehrung_change": ("Führung & Change", "Leadership & change"),
    "dialog": ("Dialog mit Bürger:innen", "Dialogue with citizens"),
}
EFFORTS = {"low": ("gering", "low"), "medium": ("mittel", "medium"), "high": ("hoch", "high")}
HORIZONS = {
    "short": ("kurzfristig (unter 3 Monaten)", "short term (under 3 months)"),
    "medium": ("mittelfristig (3–12 Monate)", "medium term (3–12 months)"),
    "long": ("langfristig (über 12 Monate)", "long term (over 12 months)"),
}


class CatalogueError(InstrumentError):
    """The recommendation catalogue breaks its schema (the message names the field)."""


@dataclass(frozen=True)
class Recommendation:
    """One Kaizen measure of the catalogue."""

    id: str
    dimension: str
    levels: tuple[int, int]
    area: str
    method_de: str
    method_en: str
    effort: str
    horizon: str
    title_de: str
    title_en: str
    why_de: str
    why_en: str
    steps_de: tuple[str, ...]
    steps_en: tuple[str, ...]

    def _pick(self, de, en, lang: str):
        return en if lang == "en" else de

    def title(self, lang: str = "de") -> str:
        return self._pick(self.title_de, self.title_en, lang)

    def why(self, lang: str = "de") -> str:
        return self._pick(self.why_de, self.why_en, lang)

    def steps(self, lang: str = "de") -> tuple[str, ...]:
        return self._pick(self.steps_de, self.steps_en, lang)

    def method(self, lang: str = "de") -> str:
        return self._pick(self.method_de, self.method_en, lang)

    def area_name(self, lang: str = "de") -> str:
        de, en = AREAS[self.area]
        return self._pick(de, en, lang)

    def effort_name(self, lang: str = "de") -> str:
        de, en = EFFORTS[self.effort]
        return self._pick(de, en, lang)

    def horizon_name(self, lang: str = "de") -> str:
        de, en = HORIZONS[self.horizon]
        return self._pick(de, en, lang)

    def fits(self, level: int) -> bool:
        return self.levels[0] <= level <= self.levels[1]

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "dimension": self.dimension,
            "levels": [self.levels[0], self.levels[1]],
            "title": self.title_de,
        }


_FIELDS: dict[str, type] = {
    "id": str,
    "dimension": str,
    "levels": list,
    "area": str,
    "method_de": str,
    "method_en": str,
    "effort": str,
    "horizon": str,
    "title_de": str,
    "title_en": str,
    "why_de": str,
    "why_en": str,
    "steps_de": list,
    "steps_en": list,
}


def _parse(raw: dict) -> tuple[Recommendation, ...]:
    if set(raw) != {"recommendations"} or not isinstance(raw["recommendations"], list):
        raise CatalogueError("Feld „recommendations“ fehlt oder ist keine Liste.")
    out: list[Recommendation] = []
    seen: set[str] = set()
    for i, rec in enumerate(raw["recommendations"]):
        where = f"recommendations[{i}]"
        if not isinstance(rec, dict):
            raise CatalogueError(f"Feld „{where}“ muss eine Tabelle sein.")
        for key, typ in _FIELDS.items():
            if key not in rec:
                raise CatalogueError(f"Feld „{where}.{key}“ fehlt.")
            if not isinstance(rec[key], typ) or (typ is str and not rec[key].strip()):
                raise CatalogueError(f"Feld „{where}.{key}“ hat den falschen Typ oder ist leer.")
        extra = sorted(set(rec) - set(_FIELDS))
        if extra:
            raise CatalogueError(f"Feld „{where}.{extra[0]}“ ist unbekannt.")
        lv = rec["levels"]
        if (
            len(lv) != 2
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in lv)
            or not 1 <= lv[0] <= lv[1] <= 5
        ):
            raise CatalogueError(f"Feld „{where}.levels“ muss [min, max] mit 1 ≤ min ≤ max ≤ 5 sein.")
        if rec["dimension"] not in DIMENSION_KEYS:
            raise CatalogueError(f"Feld „{where}.dimension“ ist keine LEARN-Dimension.")
        if rec["area"] not in AREAS:
            raise CatalogueError(f"Feld „{where}.area“ ist kein bekanntes Handlungsfeld.")
        if rec["effort"] not in EFFORTS:
            raise CatalogueError(f"Feld „{where}.effort“ muss low, medium oder high sein.")
        if rec["horizon"] not in HORIZONS:
            raise CatalogueError(f"Feld „{where}.horizon“ muss short, medium oder long sein.")
        for key in ("steps_de", "steps_en"):
            if not rec[key] or not all(isinstance(s, str) and s.strip() for s in rec[key]):
                raise CatalogueError(f"Feld „{where}.{key}“ muss mindestens einen Schritt enthalten.")
        if rec["id"] in seen:
            raise CatalogueError(f"Feld „{where}.id“: die ID {rec['id']} kommt doppelt vor.")
        seen.add(rec["id"])
        out.append(
            Recommendation(
                **{
                    **rec,
                    "levels": (lv[0], lv[1]),
                    "steps_de": tuple(rec["steps_de"]),
                    "steps_en": tuple(rec["steps_en"]),
                }
            )
        )
    for key in DIMENSION_KEYS:
        for level in range(1, 6):
            if not any(r.dimension == key and r.fits(level) for r in out):
                raise CatalogueError(f"Der Katalog hat keine Empfehlung für {key} auf Stufe {level}.")
    return tuple(out)


def load_catalogue(path: str | Path) -> tuple[Recommendation, ...]:
    """Load and validate a recommendation catalogue (TOML).

    Raises
    ------
    CatalogueError
        naming the first broken field, or a (dimension, level) without entry.
    """
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueError(f"Der Empfehlungskatalog „{path}“ kann nicht gelesen werden: {exc}") from None
    return _parse(raw)


@cache
def catalogue() -> tuple[Recommendation, ...]:
    """The built-in catalogue (immutable, loaded once)."""
    return load_catalogue(DATA_DIR / "recommendations.toml")


def weakest_dimensions(scores: dict[str, float | None], count: int = 2) -> list[str]:
    """The ``count`` dimensions with the lowest score (ties: instrument order);
    dimensions without a score are skipped."""
    present = [(s, DIMENSION_KEYS.index(k), k) for k, s in scores.items() if s is not None]
    return [k for _, _, k in sorted(present)[:count]]


def match(
    scores: dict[str, float | None],
    entries: tuple[Recommendation, ...] | None = None,
) -> list[Recommendation]:
    """Recommendations for a group with these dimension scores.

    Returns the entries for the two weakest dimensions whose level range
    contains that dimension's level, weakest dimension first.
    """
    entries = catalogue() if entries is None else entries
    out: list[Recommendation] = []
    for key in weakest_dimensions(scores):
        level = level_for(scores[key])
        out.extend(r for r in entries if r.dimension == key and r.fits(level))
    return out
