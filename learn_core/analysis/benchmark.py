"""The benchmark within the organisation: each reported department's position
among the reported departments, as a band (upper third, middle, lower third),
never as an exact rank.

Rules (pinned by tests/analysis/test_benchmark.py; the Methodik states them):

1. Only reported cells take part: a hidden department, or a department's
   hidden dimension, is neither ranked nor counted.
2. Below :data:`MIN_BENCHMARK_GROUPS` ranked departments no band is given
   for that dimension (with two or three departments a band would be the
   rank itself).
3. The position is the mid-rank percentile (Hazen): with m departments and
   the rank r (1 = the highest score; tied scores share the mean of their
   ranks), q = (r − ½)/m. Upper third when q < 1/3, lower third when
   q > 2/3, middle otherwise (a position exactly on an edge is middle). The
   comparison is done in integers (3·(2r − 1) against 2m and 4m), so there
   is no rounding at the edges.
4. The index is ranked only over departments whose index rests on as many
   dimensions as the organisation's (an index without a hidden dimension is
   not comparable with a full one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["BANDS", "INDEX", "MIN_BENCHMARK_GROUPS", "Benchmark", "rank_bands"]

#: Fewest ranked departments for a band.
MIN_BENCHMARK_GROUPS = 4
#: The bands, best first.
BANDS = ("top", "middle", "bottom")
#: The key of the index among the dimension keys.
INDEX = "index"


@dataclass(frozen=True)
class Benchmark:
    """Bands per ranked figure: ``ranked[key]`` how many departments were
    ranked (0 where fewer than the minimum had a reported score: no band),
    ``bands[group][key]`` the band or None (not ranked)."""

    min_groups: int
    ranked: Mapping[str, int]
    bands: Mapping[str, Mapping[str, str | None]]

    def band(self, group: str, key: str) -> str | None:
        return self.bands.get(group, {}).get(key)

    def to_json(self) -> dict:
        return {"min_groups": self.min_groups, "method": "mid-rank percentile, thirds",
                "ranked": dict(self.ranked), "groups": {g: dict(b) for g, b in self.bands.items()}}


def _band(twice_rank: int, m: int) -> str:
    """The band of mid-rank r = twice_rank / 2 among m (rule 3, in integers)."""
    position = 3 * (twice_rank - 1)  # 6m·q
    if position < 2 * m:
        return "top"
    if position > 4 * m:
        return "bottom"
    return "middle"


def _bands_of(values: Mapping[str, float]) -> dict[str, str]:
    m = len(values)
    scores = list(values.values())
    out = {}
    for name, x in values.items():
        higher = sum(1 for y in scores if y > x)
        tied = sum(1 for y in scores if y == x)
        out[name] = _band(2 * higher + tied + 1, m)  # 2·(higher + (tied + 1)/2)
    return out


def rank_bands(scores: Mapping[str, Mapping[str, float | None]],
               minimum: int = MIN_BENCHMARK_GROUPS) -> Benchmark:
    """The band of every department for every figure.

    Parameters
    ----------
    scores
        per reported department, per key (dimension keys and :data:`INDEX`)
        its reported score, or None where hidden or not comparable.
    minimum
        the fewest departments with a score for a band (rule 2).

    Returns
    -------
    Benchmark

    Raises
    ------
    ValueError
        when ``minimum`` is below 2.
    """
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 2:
        raise ValueError(f"minimum must be an integer of at least 2, not {minimum!r}")
    keys = list(dict.fromkeys(key for row in scores.values() for key in row))
    bands: dict[str, dict[str, str | None]] = {g: dict.fromkeys(keys) for g in scores}
    ranked = {}
    for key in keys:
        values = {g: float(v) for g, row in scores.items() if (v := row.get(key)) is not None}
        if len(values) < minimum:
            ranked[key] = 0
            continue
        ranked[key] = len(values)
        for g, band in _bands_of(values).items():
            bands[g][key] = band
    return Benchmark(minimum, ranked, bands)
