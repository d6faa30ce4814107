"""Item priorities: the weakest statements of each enabler, with their
favourable share, their link with Lernerfolg (:mod:`.drivers`) and the
catalogue measures that address them.

Rules (pinned by tests/analysis/test_priorities.py; stated on the Methodik page):

* per enabler (Motivation, Führung, Kompetenz) the :data:`PER_DIMENSION`
  statements with the lowest favourable share in the organisation (ties in
  instrument order); a statement hidden in the organisation is left out;
* each carries its correlation with Lernerfolg and its priority flag when the
  driver analysis has it (None otherwise);
* the measures: catalogue entries whose success indicator names the statement
  (``indicator_items``), those fitting the dimension's level first, at most
  :data:`MAX_MEASURES` (``linked_by`` "indicator"); when none names it, the
  dimension's measures for its level (``linked_by`` "dimension").
"""

from __future__ import annotations

from dataclasses import dataclass

from learn_core.analysis.drivers import ENABLERS, Drivers
from learn_core.instrument import Instrument, level_for
from learn_core.recommendations import Recommendation, catalogue

__all__ = ["MAX_MEASURES", "PER_DIMENSION", "ItemPriority", "item_priorities"]

PER_DIMENSION = 2
MAX_MEASURES = 3


@dataclass(frozen=True)
class ItemPriority:
    """One of the weakest statements of an enabler."""

    dimension: str
    item: str
    favourable: float
    r: float | None
    priority: bool | None
    measures: tuple[str, ...]
    linked_by: str = "indicator"

    def to_json(self) -> dict:
        return {"dimension": self.dimension, "item": self.item, "favourable": self.favourable, "r": self.r,
                "priority": self.priority, "measures": list(self.measures), "linked_by": self.linked_by}


def item_priorities(organisation, instrument: Instrument, drivers: Drivers | None,
                    entries: tuple[Recommendation, ...] | None = None) -> tuple[ItemPriority, ...]:
    """The weakest statements per enabler of the reported ``organisation``
    (a :class:`~learn_core.analysis.results.GroupResult`; None gives none)."""
    if organisation is None:
        return ()
    entries = catalogue() if entries is None else entries
    by_item = {d.item: d for d in (drivers.items if drivers else ())}
    out = []
    for key in ENABLERS:
        level = level_for(organisation.dimensions[key].score)
        shown = [(organisation.items[it.id].favourable, i, it) for i, it in enumerate(instrument.items_of(key))
                 if organisation.items[it.id].favourable is not None]
        for fav, _, it in sorted(shown, key=lambda s: (s[0], s[1]))[:PER_DIMENSION]:
            linked = [r for r in entries if it.id in r.indicator_items]
            linked.sort(key=lambda r: (not (level is not None and r.fits(level)), r.dimension != key))
            how = "indicator"
            if not linked:
                linked = [r for r in entries if r.dimension == key and level is not None and r.fits(level)]
                how = "dimension"
            d = by_item.get(it.id)
            out.append(ItemPriority(key, it.id, float(fav), d.r if d else None, d.priority if d else None,
                                    tuple(r.id for r in linked[:MAX_MEASURES]), how))
    return tuple(out)
