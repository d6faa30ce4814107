"""The Kaizen recommendation catalogue and its matching rule.

The catalogue (``data/recommendations.toml``, schema 2) is the product's own
work. Each measure names its dimension and level range, action area, owner
role, effort, cost, time horizon and time to a first result, whether the
Personalrat must be involved or a data-protection check is needed, and a
success indicator: what to count in daily work and which LEARN statements
(IDs of the instrument version the catalogue names) should move at the next
survey wave. An ID always means the same measure (saved action plans and
workshop votes refer to it).

Matching (pinned by tests/test_recommendations.py): take a group's two
weakest enablers – Motivation, Führung, Kompetenz (lowest score; ties in
instrument order); Lernerfolg is the outcome the measures should move, not a
target – and for each the catalogue entries whose level range contains that
dimension's level; the weakest dimension's entries come first, each
dimension's entries in catalogue order.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from learn_core.errors import Phrase, file_reason, shown, toml_place
from learn_core.i18n import t
from learn_core.instrument import (
    DIMENSION_KEYS,
    InstrumentError,
    instrument_version,
    level_for,
)

__all__ = [
    "AREAS",
    "COSTS",
    "EFFORTS",
    "FIRST_RESULTS",
    "HORIZONS",
    "OWNERS",
    "CatalogueError",
    "Recommendation",
    "catalogue",
    "catalogue_instrument_version",
    "catalogue_version",
    "indicator_text",
    "load_catalogue",
    "ENABLERS",
    "match",
    "weakest_dimensions",
    "weakest_enablers",
]

DATA_DIR = Path(__file__).parent / "data"

#: Action areas of the study's recommendations: key → (German, English).
AREAS: dict[str, tuple[str, str]] = {
    "strategie": ("Strategie", "Strategy"),
    "qualifizierung": ("Qualifizierung", "Training and development"),
    "fuehrung_change": ("Führung & Change", "Leadership & change"),
    "dialog": ("Dialog mit Bürger:innen", "Dialogue with citizens"),
}
EFFORTS = {"low": ("gering", "low"), "medium": ("mittel", "medium"), "high": ("hoch", "high")}
HORIZONS = {
    "short": ("kurzfristig (unter 3 Monaten)", "short term (under 3 months)"),
    "medium": ("mittelfristig (3–12 Monate)", "medium term (3–12 months)"),
    "long": ("langfristig (über 12 Monate)", "long term (over 12 months)"),
}
#: Who carries a measure: key → (German, English).
OWNERS = {
    "verwaltungsvorstand": ("Bürgermeister:in / Verwaltungsvorstand", "Mayor / executive board"),
    "amtsleitung": ("Amts- oder Fachbereichsleitung", "Head of department"),
    "fuehrungskraft": ("Führungskraft des Teams", "Team manager"),
    "team": ("Team", "Team"),
    "personalentwicklung": ("Personalentwicklung", "Staff development"),
    "organisation": ("Organisation / Digitalisierung", "Organisation / digitalisation"),
}
#: Direct costs besides working time (working time is ``effort``).
COSTS = {
    "none": ("keine Sachkosten", "no direct costs"),
    "low": ("gering, aus laufenden Mitteln", "low, from current funds"),
    "medium": ("mittel, im Fortbildungs- oder Sachbudget einplanen", "medium, to be planned in the training or operating budget"),
    "high": ("hoch, eigener Ansatz im Haushalt nötig", "high, needs its own line in the budget"),
}
#: When a first result can be seen, in this order.
FIRST_RESULTS = {
    "weeks": ("nach wenigen Wochen", "within a few weeks"),
    "months": ("nach etwa drei Monaten", "after about three months"),
    "half_year": ("nach etwa einem halben Jahr", "after about six months"),
    "year": ("nach etwa einem Jahr", "after about a year"),
}
_CHECKS = {
    "codetermination": ("Personalrat beteiligen", "Involve the staff council"),
    "data_protection": ("Datenschutz prüfen", "Check data protection"),
}
#: The catalogue schema this module reads.
SCHEMA = 2
#: The fields that take one of a fixed set of values, with those values.
_CHOICES: dict[str, dict] = {
    "area": AREAS,
    "owner": OWNERS,
    "effort": EFFORTS,
    "cost": COSTS,
    "horizon": HORIZONS,
    "first_result": FIRST_RESULTS,
}


class CatalogueError(InstrumentError):
    """The recommendation catalogue cannot be read or breaks its schema (a code
    of ``errors.catalogue`` naming the field, in German or English)."""


@dataclass(frozen=True)
class Recommendation:
    """One Kaizen measure of the catalogue.

    ``area``, ``owner``, ``effort``, ``cost``, ``horizon`` and
    ``first_result`` are keys of :data:`AREAS`, :data:`OWNERS`,
    :data:`EFFORTS`, :data:`COSTS`, :data:`HORIZONS` and
    :data:`FIRST_RESULTS` (``*_name`` gives the label); ``codetermination``
    means the Personalrat must be involved, ``data_protection`` that personal
    data are processed; ``indicator_items`` are item IDs of the catalogue's
    instrument version that should move at the next survey wave.
    """

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
    owner: str
    cost: str
    first_result: str
    codetermination: bool
    data_protection: bool
    indicator_de: str
    indicator_en: str
    indicator_items: tuple[str, ...]

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

    def _named(self, field: str, lang: str) -> str:
        de, en = _CHOICES[field][getattr(self, field)]
        return self._pick(de, en, lang)

    def area_name(self, lang: str = "de") -> str:
        return self._named("area", lang)

    def effort_name(self, lang: str = "de") -> str:
        return self._named("effort", lang)

    def horizon_name(self, lang: str = "de") -> str:
        return self._named("horizon", lang)

    def owner_name(self, lang: str = "de") -> str:
        return self._named("owner", lang)

    def cost_name(self, lang: str = "de") -> str:
        return self._named("cost", lang)

    def first_result_name(self, lang: str = "de") -> str:
        return self._named("first_result", lang)

    def indicator(self, lang: str = "de") -> str:
        return self._pick(self.indicator_de, self.indicator_en, lang)

    def checks(self, lang: str = "de") -> tuple[str, ...]:
        """What to settle before starting: involve the Personalrat, check
        data protection (empty when neither is needed)."""
        flags = {"codetermination": self.codetermination, "data_protection": self.data_protection}
        return tuple(self._pick(*_CHECKS[key], lang) for key, needed in flags.items() if needed)

    def fits(self, level: int) -> bool:
        return self.levels[0] <= level <= self.levels[1]

    def to_dict(self) -> dict:
        """The measure for the command line's JSON: id, dimension, level range
        and German title (as before), then the catalogue's codes for the
        action area, owner role, effort, cost, horizon and time to first
        result, the two checks and the success indicator (German text and
        the statements it is read from)."""
        return {
            "id": self.id,
            "dimension": self.dimension,
            "levels": [self.levels[0], self.levels[1]],
            "title": self.title_de,
            "area": self.area,
            "owner": self.owner,
            "effort": self.effort,
            "cost": self.cost,
            "horizon": self.horizon,
            "first_result": self.first_result,
            "codetermination": self.codetermination,
            "data_protection": self.data_protection,
            "indicator": self.indicator_de,
            "indicator_items": list(self.indicator_items),
        }


_FIELDS: dict[str, type] = {
    "id": str,
    "dimension": str,
    "levels": list,
    "area": str,
    "owner": str,
    "method_de": str,
    "method_en": str,
    "effort": str,
    "cost": str,
    "horizon": str,
    "first_result": str,
    "codetermination": bool,
    "data_protection": bool,
    "title_de": str,
    "title_en": str,
    "why_de": str,
    "why_en": str,
    "steps_de": list,
    "steps_en": list,
    "indicator_de": str,
    "indicator_en": str,
    "indicator_items": list,
}
_HEADER: dict[str, type] = {"schema": int, "version": str, "instrument_version": str, "recommendations": list}


def _texts(value: list, where: str) -> tuple[str, ...]:
    if not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise CatalogueError(code="errors.catalogue.texts", params={"field": where})
    return tuple(v.strip() for v in value)


def _entry(rec: object, where: str, item_ids: tuple[str, ...], version: str) -> Recommendation:
    if not isinstance(rec, dict):
        raise CatalogueError(code="errors.catalogue.not_table", params={"field": where})
    for key, typ in _FIELDS.items():
        if key not in rec:
            raise CatalogueError(code="errors.catalogue.missing", params={"field": f"{where}.{key}"})
        value = rec[key]
        if not isinstance(value, typ) or (isinstance(value, str) and not value.strip()):
            raise CatalogueError(code="errors.catalogue.wrong_type", params={"field": f"{where}.{key}"})
    extra = sorted(set(rec) - set(_FIELDS))
    if extra:
        raise CatalogueError(code="errors.catalogue.unknown", params={"field": f"{where}.{shown(extra[0])}"})
    lv = rec["levels"]
    if (
        len(lv) != 2
        or not all(isinstance(x, int) and not isinstance(x, bool) for x in lv)
        or not 1 <= lv[0] <= lv[1] <= 5
    ):
        raise CatalogueError(code="errors.catalogue.levels", params={"field": f"{where}.levels"})
    if rec["dimension"] not in DIMENSION_KEYS:
        raise CatalogueError(code="errors.catalogue.not_dimension", params={"field": f"{where}.dimension"})
    for key, choices in _CHOICES.items():
        if rec[key] not in choices:
            raise CatalogueError(code="errors.catalogue.choice",
                                 params={"field": f"{where}.{key}", "values": ", ".join(choices)})
    items = _texts(rec["indicator_items"], f"{where}.indicator_items")
    unknown = [i for i in items if i not in item_ids]
    if unknown:
        raise CatalogueError(code="errors.catalogue.unknown_item",
                             params={"field": f"{where}.indicator_items", "item": shown(unknown[0]),
                                     "version": shown(version)})
    # every field's type is checked above (_FIELDS), so the checked table fills the record
    fields: dict[str, Any] = {
        **{k: v.strip() if isinstance(v, str) else v for k, v in rec.items()},
        "levels": (lv[0], lv[1]),
        "steps_de": _texts(rec["steps_de"], f"{where}.steps_de"),
        "steps_en": _texts(rec["steps_en"], f"{where}.steps_en"),
        "indicator_items": items,
    }
    return Recommendation(**fields)


def _parse(raw: dict) -> tuple[Recommendation, ...]:
    for key, typ in _HEADER.items():
        if not isinstance(raw.get(key), typ) or isinstance(raw.get(key), bool):
            raise CatalogueError(code="errors.catalogue.header", params={"field": key})
    extra = sorted(set(raw) - set(_HEADER))
    if extra:
        raise CatalogueError(code="errors.catalogue.unknown", params={"field": shown(extra[0])})
    if raw["schema"] != SCHEMA:
        raise CatalogueError(code="errors.catalogue.schema", params={"schema": SCHEMA})
    try:
        item_ids = instrument_version(raw["instrument_version"]).item_ids
    except InstrumentError as exc:
        raise CatalogueError(code="errors.catalogue.instrument_version", params={"error": exc}) from None
    out: list[Recommendation] = []
    for i, rec in enumerate(raw["recommendations"]):
        entry = _entry(rec, f"recommendations[{i}]", item_ids, raw["instrument_version"])
        if any(r.id == entry.id for r in out):
            raise CatalogueError(code="errors.catalogue.duplicate_id",
                                 params={"field": f"recommendations[{i}].id", "id": shown(entry.id)})
        out.append(entry)
    for key in DIMENSION_KEYS:
        for level in range(1, 6):
            if not any(r.dimension == key and r.fits(level) for r in out):
                raise CatalogueError(code="errors.catalogue.no_measure", params={"dimension": key, "level": level})
    return tuple(out)


def _read(path: str | Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        reason = Phrase("errors.catalogue.not_toml", {"place": toml_place(exc)})
    except UnicodeDecodeError:
        reason = Phrase("errors.catalogue.not_utf8")
    except OSError as exc:
        reason = file_reason(exc)
    raise CatalogueError(code="errors.catalogue.unreadable", params={"path": path, "reason": reason})


def load_catalogue(path: str | Path) -> tuple[Recommendation, ...]:
    """Load and validate a recommendation catalogue (TOML, schema 2).

    Raises
    ------
    CatalogueError
        naming the first broken field (header, measure field, an indicator
        item unknown to the named instrument version), or a (dimension,
        level) without entry.
    """
    return _parse(_read(path))


@cache
def _builtin() -> tuple[str, tuple[Recommendation, ...], str]:
    raw = _read(DATA_DIR / "recommendations.toml")
    return raw.get("version", ""), _parse(raw), raw["instrument_version"]


def catalogue() -> tuple[Recommendation, ...]:
    """The built-in catalogue (immutable, loaded once)."""
    return _builtin()[1]


def catalogue_version() -> str:
    """The version of the built-in catalogue (e.g. ``"2.0"``)."""
    return _builtin()[0]


def catalogue_instrument_version() -> str:
    """The instrument version whose item IDs the built-in catalogue's
    ``indicator_items`` name (e.g. ``"2.0"``)."""
    return _builtin()[2]


def indicator_text(rec: Recommendation, lang: str = "de") -> str:
    """A measure's success indicator as one text: what to count in daily
    work, then the statements whose scores should rise at the next wave (IDs
    of the built-in catalogue's instrument version). The action plan's
    "Erfolgsindikator" and every view of a measure use it."""
    items = t("massnahmen.indicator_items", lang, items=", ".join(rec.indicator_items),
              version=catalogue_instrument_version())
    return f"{rec.indicator(lang)} {items}"


def weakest_dimensions(scores: dict[str, float | None], count: int = 2) -> list[str]:
    """The ``count`` dimensions with the lowest score (ties: instrument order);
    dimensions without a score are skipped."""
    present = [(s, DIMENSION_KEYS.index(k), k) for k, s in scores.items() if s is not None]
    return [k for _, _, k in sorted(present)[:count]]


#: The enablers (the dimensions measures work on); Lernerfolg is the outcome they should move.
ENABLERS = ("motivation", "fuehrung", "kompetenz")


def weakest_enablers(scores: dict[str, float | None], count: int = 2) -> list[str]:
    """The ``count`` enablers (Motivation, Führung, Kompetenz) with the lowest
    score (ties: instrument order); Lernerfolg is the outcome, never a target."""
    return weakest_dimensions({k: v for k, v in scores.items() if k in ENABLERS}, count)


def match(
    scores: dict[str, float | None],
    entries: tuple[Recommendation, ...] | None = None,
    targets: list[str] | None = None,
) -> list[Recommendation]:
    """Recommendations for a group with these dimension scores.

    Returns the entries for the target dimensions (default: the two weakest
    enablers, :func:`weakest_enablers`) whose level range contains that
    dimension's level, in the order of the targets.
    """
    entries = catalogue() if entries is None else entries
    out: list[Recommendation] = []
    for key in weakest_enablers(scores) if targets is None else targets:
        level = level_for(scores[key])
        if level is None:  # a target without a score fits no level
            continue
        out.extend(r for r in entries if r.dimension == key and r.fits(level))
    return out
