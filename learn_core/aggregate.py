"""The aggregate file: what one administration could contribute to a shared
benchmark later – aggregates only, never a figure of fewer than k people.

Format ``learn-aggregate``, version :data:`FORMAT_VERSION` (the README's
section "Aggregate file" describes it field by field)::

    {"format": "learn-aggregate", "format_version": 1, "date": "2026-12-03",
     "instrument": {"id": "LEARN-Selbstcheck", "version": "1.0"},
     "scale": "0-100", "min_group_size": 5,
     "organisation": {"n": 120, "index": 61.2, "level": 3,
                      "dimensions": {"motivation": {"n": 118, "score": 63.4, "favourable": 58.0, "level": 3}, …}},
     "groups": [{"name": "Bauamt", "n": 14, …}]}

* Only the organisation and the reported groups, each with at least k
  respondents; a hidden cell is ``null`` in every figure (its n too).
* ``groups`` only when the user opts in (``with_groups``): then with their
  names. Without it the file holds the organisation alone (a group's figures
  with its n identify it for anyone who knows the organisation, so anonymous
  labels would promise an anonymity they do not give).
* No free text, no file name, no statement distributions. Scores, index and
  favourable shares rounded to one decimal.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass

from learn_core.errors import LearnError, Phrase, shown
from learn_core.instrument import DIMENSION_KEYS

__all__ = ["FORMAT", "FORMAT_VERSION", "Aggregate", "AggregateError", "UnitAggregate", "aggregate_bytes",
           "aggregate_of", "read_aggregate"]

FORMAT = "learn-aggregate"
FORMAT_VERSION = 1
_DIMENSION_FIELDS = ("n", "score", "favourable", "level")


class AggregateError(LearnError, ValueError):
    """An aggregate file cannot be made or used (a code of ``errors.aggregate``, in German or English)."""


@dataclass(frozen=True)
class UnitAggregate:
    """The organisation (``name`` None) or a reported group: n, index, level,
    and per dimension ``{n, score, favourable, level}`` (None where hidden)."""

    name: str | None
    n: int
    index: float | None
    level: int | None
    dimensions: Mapping[str, Mapping[str, float | int | None]]

    def to_json(self) -> dict:
        out = {"name": self.name} if self.name is not None else {}
        return {**out, "n": self.n, "index": self.index, "level": self.level,
                "dimensions": {k: dict(v) for k, v in self.dimensions.items()}}


@dataclass(frozen=True)
class Aggregate:
    """One contribution: instrument, date, k, the organisation and (opt-in) the groups."""

    instrument_id: str
    instrument_version: str
    date: dt.date
    min_group_size: int
    organisation: UnitAggregate
    groups: tuple[UnitAggregate, ...] = ()

    def to_json(self) -> dict:
        out = {"format": FORMAT, "format_version": FORMAT_VERSION, "date": self.date.isoformat(),
               "instrument": {"id": self.instrument_id, "version": self.instrument_version},
               "scale": "0-100", "min_group_size": self.min_group_size,
               "organisation": self.organisation.to_json()}
        if self.groups:
            out["groups"] = [g.to_json() for g in self.groups]
        return out


def _round(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), 1)


def _unit(unit, name: str | None) -> UnitAggregate:
    dims = {}
    for key in DIMENSION_KEYS:
        d = unit.dimensions[key]
        dims[key] = {"n": d.n if d.reported else None, "score": _round(d.score),
                     "favourable": _round(d.favourable), "level": d.level}
    return UnitAggregate(name, int(unit.n), _round(unit.index), unit.level, dims)


def aggregate_of(result, date: dt.date, *, with_groups: bool = False) -> Aggregate:
    """The aggregate of an analysis result (:class:`learn_core.analysis.results.AnalysisResult`).

    ``date`` is the export's date (passed in: no clock is read here);
    ``with_groups`` adds the reported groups by name (hidden groups never
    appear, not even by name).

    Raises
    ------
    AggregateError
        when the organisation is not reported (fewer than k respondents).
    """
    if result.organisation is None:
        raise AggregateError(code="errors.aggregate.no_organisation", params={"k": result.min_group_size})
    groups = tuple(_unit(g, name) for name, g in result.groups.items()) if with_groups else ()
    return Aggregate(result.instrument_name, result.instrument_version, date, result.min_group_size,
                     _unit(result.organisation, None), groups)


def aggregate_bytes(result, date: dt.date, *, with_groups: bool = False) -> bytes:
    """The aggregate file's bytes (UTF-8 JSON, indented) of :func:`aggregate_of`."""
    text = json.dumps(aggregate_of(result, date, with_groups=with_groups).to_json(), ensure_ascii=False, indent=2,
                      allow_nan=False)
    return (text + "\n").encode("utf-8")


# --------------------------------------------------------------------------- reading a contribution


def _fail(code: str, **params: object) -> AggregateError:
    """The error "the aggregate file cannot be used", with the reason ``code`` (``errors.aggregate.*``)."""
    return AggregateError(code="errors.aggregate.unusable", params={"reason": Phrase(code, params)})


def _number(value, what: object, low: int, high: int, integer: bool = False):
    if value is None:
        return None
    ok = isinstance(value, int) if integer else isinstance(value, int | float)
    if isinstance(value, bool) or not ok or not low <= value <= high:
        code = "errors.aggregate.not_a_whole_number" if integer else "errors.aggregate.not_a_number"
        raise _fail(code, what=what, low=low, high=high, value=shown(repr(value), 40))
    return value if integer else float(value)


def _read_unit(raw, k: int, group: int | None) -> UnitAggregate:
    """The organisation (``group`` None) or the group numbered ``group`` (from 1)."""
    if group is None:
        where, of = Phrase("errors.aggregate.where_organisation"), Phrase("errors.aggregate.of_organisation")
    else:
        where = Phrase("errors.aggregate.where_group", {"number": group})
        of = Phrase("errors.aggregate.of_group", {"number": group})

    def unit_field(name: str) -> Phrase:
        return Phrase("errors.aggregate.field_of_unit", {"field": name, "of": of})

    def dimension_field(name: str, key: str) -> Phrase:
        return Phrase("errors.aggregate.field_of_dimension", {"field": name, "key": key, "of": of})

    if not isinstance(raw, dict) or not isinstance(raw.get("dimensions"), dict):
        raise _fail("errors.aggregate.unit_without_dimensions", where=where)
    name = raw.get("name")
    if group is not None and (not isinstance(name, str) or not name.strip()):
        raise _fail("errors.aggregate.unit_without_name", where=where)
    n = _number(raw.get("n"), unit_field("n"), 0, 10**9, integer=True)
    if n is None or n < k:
        raise _fail("errors.aggregate.unit_below_k", where=where, k=k)
    dims = {}
    for key in DIMENSION_KEYS:
        d = raw["dimensions"].get(key)
        if not isinstance(d, dict) or set(d) != set(_DIMENSION_FIELDS):
            raise _fail("errors.aggregate.dimension_fields", key=key, of=of, fields=", ".join(_DIMENSION_FIELDS))
        dn = _number(d["n"], dimension_field("n", key), 0, n, integer=True)
        if dn is not None and dn < k:
            raise _fail("errors.aggregate.dimension_below_k", key=key, of=of, k=k)
        figures = [d["score"], d["favourable"], d["level"]]
        if dn is None and any(v is not None for v in figures):
            raise _fail("errors.aggregate.hidden_dimension_figures", key=key, of=of)
        dims[key] = {"n": dn, "score": _number(d["score"], dimension_field("score", key), 0, 100),
                     "favourable": _number(d["favourable"], dimension_field("favourable", key), 0, 100),
                     "level": _number(d["level"], dimension_field("level", key), 1, 5, integer=True)}
    return UnitAggregate(name if group is not None else None, n, _number(raw.get("index"), unit_field("index"), 0, 100),
                         _number(raw.get("level"), unit_field("level"), 1, 5, integer=True), dims)


#: Largest aggregate file read (one with 300 groups has about 300 KB).
MAX_AGGREGATE_BYTES = 2_000_000


def read_aggregate(data: bytes | str) -> Aggregate:
    """Read and check an aggregate file (JSON of :meth:`Aggregate.to_json`).

    Raises
    ------
    AggregateError
        for anything but a version-1 ``learn-aggregate`` file whose every
        figure rests on at least its ``min_group_size`` (≥ 3) respondents.
    """
    if len(data) > MAX_AGGREGATE_BYTES:  # an aggregate is a few KB; anything larger is not one
        raise _fail("errors.aggregate.too_large", most=MAX_AGGREGATE_BYTES // 1_000_000)
    try:
        raw = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise _fail("errors.aggregate.not_json") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise _fail("errors.aggregate.wrong_format", format=FORMAT)
    if raw.get("format_version") != FORMAT_VERSION:
        raise _fail("errors.aggregate.bad_version", found=shown(repr(raw.get("format_version"))), version=FORMAT_VERSION)
    k = _number(raw.get("min_group_size"), "min_group_size", 3, 10**6, integer=True)
    inst = raw.get("instrument")
    if k is None or not isinstance(inst, dict) or not all(isinstance(inst.get(f), str) for f in ("id", "version")):
        raise _fail("errors.aggregate.no_k_or_instrument")
    try:
        date = dt.date.fromisoformat(str(raw.get("date")))
    except ValueError:
        raise _fail("errors.aggregate.bad_date") from None
    groups = raw.get("groups", [])
    if not isinstance(groups, list):
        raise _fail("errors.aggregate.groups_not_a_list")
    return Aggregate(inst["id"], inst["version"], date, k, _read_unit(raw.get("organisation"), k, None),
                     tuple(_read_unit(g, k, i) for i, g in enumerate(groups, 1)))
