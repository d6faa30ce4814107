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

from learn_core.errors import LearnError
from learn_core.instrument import DIMENSION_KEYS

__all__ = ["FORMAT", "FORMAT_VERSION", "Aggregate", "AggregateError", "UnitAggregate", "aggregate_bytes",
           "aggregate_of", "read_aggregate"]

FORMAT = "learn-aggregate"
FORMAT_VERSION = 1
_DIMENSION_FIELDS = ("n", "score", "favourable", "level")


class AggregateError(LearnError, ValueError):
    """An aggregate file cannot be used (one German sentence)."""


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
        raise AggregateError(f"Kein Aggregat: Es haben weniger als {result.min_group_size} Personen geantwortet "
                             "(Mindestgruppengröße).")
    groups = tuple(_unit(g, name) for name, g in result.groups.items()) if with_groups else ()
    return Aggregate(result.instrument_name, result.instrument_version, date, result.min_group_size,
                     _unit(result.organisation, None), groups)


def aggregate_bytes(result, date: dt.date, *, with_groups: bool = False) -> bytes:
    """The aggregate file's bytes (UTF-8 JSON, indented) of :func:`aggregate_of`."""
    text = json.dumps(aggregate_of(result, date, with_groups=with_groups).to_json(), ensure_ascii=False, indent=2,
                      allow_nan=False)
    return (text + "\n").encode("utf-8")


# --------------------------------------------------------------------------- reading a contribution


def _fail(what: str) -> AggregateError:
    return AggregateError(f"Die Aggregatdatei ist nicht verwendbar: {what}.")


def _number(value, what: str, low: float, high: float, integer: bool = False):
    if value is None:
        return None
    ok = isinstance(value, int) if integer else isinstance(value, int | float)
    if isinstance(value, bool) or not ok or not low <= value <= high:
        raise _fail(f"{what} ist keine {'ganze ' if integer else ''}Zahl von {low:g} bis {high:g} ({value!r})")
    return value if integer else float(value)


def _read_unit(raw, k: int, where: str, named: bool) -> UnitAggregate:
    if not isinstance(raw, dict) or not isinstance(raw.get("dimensions"), dict):
        raise _fail(f"{where} fehlt oder hat keine Dimensionen")
    name = raw.get("name")
    if named and (not isinstance(name, str) or not name.strip()):
        raise _fail(f"{where} hat keinen Namen")
    n = _number(raw.get("n"), f"n von {where}", 0, 10**9, integer=True)
    if n is None or n < k:
        raise _fail(f"{where} hat weniger als {k} Antwortende (Mindestgruppengröße)")
    dims = {}
    for key in DIMENSION_KEYS:
        d = raw["dimensions"].get(key)
        if not isinstance(d, dict) or set(d) != set(_DIMENSION_FIELDS):
            raise _fail(f"die Dimension {key} von {where} fehlt oder hat andere Felder als {', '.join(_DIMENSION_FIELDS)}")
        dn = _number(d["n"], f"n der Dimension {key} von {where}", 0, n, integer=True)
        if dn is not None and dn < k:
            raise _fail(f"die Dimension {key} von {where} beruht auf weniger als {k} Antwortenden")
        figures = [d["score"], d["favourable"], d["level"]]
        if dn is None and any(v is not None for v in figures):
            raise _fail(f"die verborgene Dimension {key} von {where} nennt Werte")
        dims[key] = {"n": dn, "score": _number(d["score"], f"score ({key}, {where})", 0, 100),
                     "favourable": _number(d["favourable"], f"favourable ({key}, {where})", 0, 100),
                     "level": _number(d["level"], f"level ({key}, {where})", 1, 5, integer=True)}
    return UnitAggregate(name if named else None, n, _number(raw.get("index"), f"index von {where}", 0, 100),
                         _number(raw.get("level"), f"level von {where}", 1, 5, integer=True), dims)


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
        raise _fail(f"größer als {MAX_AGGREGATE_BYTES // 1_000_000} MB")
    try:
        raw = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise _fail("kein gültiges JSON") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise _fail(f"das Feld „format“ ist nicht „{FORMAT}“")
    if raw.get("format_version") != FORMAT_VERSION:
        raise _fail(f"Version {raw.get('format_version')!r} wird nicht unterstützt (nur {FORMAT_VERSION})")
    k = _number(raw.get("min_group_size"), "min_group_size", 3, 10**6, integer=True)
    inst = raw.get("instrument")
    if k is None or not isinstance(inst, dict) or not all(isinstance(inst.get(f), str) for f in ("id", "version")):
        raise _fail("Mindestgruppengröße oder Instrument (id, version) fehlt")
    try:
        date = dt.date.fromisoformat(str(raw.get("date")))
    except ValueError:
        raise _fail("das Datum ist kein ISO-Datum (JJJJ-MM-TT)") from None
    groups = raw.get("groups", [])
    if not isinstance(groups, list):
        raise _fail("„groups“ ist keine Liste")
    return Aggregate(inst["id"], inst["version"], date, k, _read_unit(raw.get("organisation"), k, "die Organisation",
                                                                      False),
                     tuple(_read_unit(g, k, f"Gruppe {i}", True) for i, g in enumerate(groups, 1)))
