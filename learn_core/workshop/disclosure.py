"""What of a workshop's answers may leave the store, and when.

Rules (pinned by tests/workshop/test_disclosure.py):

* **Reveals are snapshots.** "Ergebnisse freigeben" copies the answers as
  they are into a snapshot; every phone and the projector score that copy
  with the workshop's k, so they all show the same. A later reveal takes a
  new snapshot only when, since the last snapshot that showed figures (one
  of at least k answers), at least k answers are new or changed, and in
  every dimension either no answer or at least k answers changed. Otherwise
  the room keeps the old snapshot and the facilitator is told why: two
  results that differ by fewer than k people would give those people's
  answers by subtraction (``6·new − 5·old``).
* **The export names no small department.** A department with fewer than k
  participants is left blank; when the blank rows (those departments and
  the participants who named none) are 1 to k − 1, the smallest named
  department is left blank as well, so that no blank row can be assigned
  to a department by elimination. Rows are in random order, without ids or
  times.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from learn_core.analysis.privacy import check_min_group_size
from learn_core.instrument import Instrument

__all__ = ["Reveal", "blank_groups", "count_changes", "decide_reveal", "shuffled"]

#: Reveal outcomes that released a new snapshot to the room.
RELEASED = ("first", "new")


@dataclass(frozen=True)
class Reveal:
    """The outcome of "Ergebnisse freigeben".

    ``status``: ``first`` (the first snapshot with figures, or one replacing a
    snapshot of fewer than k answers), ``new`` (a new snapshot), ``unchanged``
    (no new answers: the room sees the last snapshot), ``too_few_new`` or
    ``too_few_in_dimension`` (refused: the room keeps the last snapshot).
    ``n``: answers in the snapshot the room now sees; ``changed``: answers new
    or changed since the last snapshot with figures (in ``dimension`` for
    ``too_few_in_dimension``); ``k``: the workshop's minimum group size.
    """

    status: str
    n: int
    changed: int
    k: int
    dimension: str | None = None

    @property
    def released(self) -> bool:
        """Whether a new snapshot was taken."""
        return self.status in RELEASED


def count_changes(
    rows: Iterable[tuple[str | None, Mapping[str, int], str | None, Mapping[str, int] | None]],
    instrument: Instrument,
) -> tuple[int, dict[str, int]]:
    """How many answers differ from what the last snapshot held of them.

    Parameters
    ----------
    rows
        per participant ``(group, answers, shown_group, shown_answers)``;
        ``shown_answers`` is None for a participant the snapshot did not hold.

    Returns
    -------
    (changed, per_dimension)
        participants whose group or answers differ, and per dimension key the
        participants whose answers to that dimension's items differ.
    """
    changed, per_dim = 0, Counter({d.key: 0 for d in instrument.dimensions})
    items = {d.key: [i.id for i in instrument.items_of(d.key)] for d in instrument.dimensions}
    for group, answers, shown_group, shown in rows:
        before = shown or {}
        if shown is None or group != shown_group or dict(answers) != dict(before):
            changed += 1
        for key, ids in items.items():
            if any(answers.get(i) != before.get(i) for i in ids):
                per_dim[key] += 1
    return changed, dict(per_dim)


def decide_reveal(changed: int, per_dimension: Mapping[str, int], k: int, *, n_now: int, n_shown: int,
                  baseline: bool) -> Reveal:  # fmt: skip
    """Whether a reveal may take a new snapshot (see the module's rules).

    ``n_now``: answers now; ``n_shown``: answers in the current snapshot;
    ``baseline``: whether the current snapshot showed figures (at least k
    answers). Without a baseline the new snapshot is always taken.
    """
    k = check_min_group_size(k)
    if not baseline:
        return Reveal("first", n_now, changed, k)
    if changed == 0:
        return Reveal("unchanged", n_shown, 0, k)
    if changed < k:
        return Reveal("too_few_new", n_shown, changed, k)
    for key, count in per_dimension.items():
        if 0 < count < k:
            return Reveal("too_few_in_dimension", n_shown, count, k, key)
    return Reveal("new", n_now, changed, k)


def blank_groups(counts: Mapping[str, int], no_group: int, k: int) -> set[str]:
    """The departments the export leaves blank (see the module's rules).

    Parameters
    ----------
    counts
        participants per named department.
    no_group
        participants who named no department (always blank).
    """
    k = check_min_group_size(k)
    blank = {name for name, n in counts.items() if n < k}
    pool = no_group + sum(counts[name] for name in blank)
    named = sorted((n, name) for name, n in counts.items() if name not in blank)
    while 1 <= pool < k and named:
        n, name = named.pop(0)
        blank.add(name)
        pool += n
    return blank


def shuffled(rows: list) -> list:
    """The rows in a random order (from the operating system's random source)."""
    out = list(rows)
    secrets.SystemRandom().shuffle(out)
    return out
