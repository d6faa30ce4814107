"""Privacy: no figure rests on fewer than k people, and none can be worked
out by subtraction.

The rules (pinned by tests/analysis/test_privacy.py; the README and the
Methodik page state them):

1. **Minimum size.** k defaults to 5 and is never below 3. A group with
   fewer than k respondents is hidden: only its name appears. The
   organisation is reported only with at least k respondents.
2. **Cells, not rows.** Every figure rests on the people who answered *that*
   cell: a dimension's score, interval, level and favourable share on the
   respondents with a score in it, its alpha on those who answered every
   item, a statement's distribution on those who answered it. A cell with
   fewer than k is hidden, in the organisation as in a group.
3. **Complementary suppression, per cell.** Within one grouping, when the
   hidden cells of a figure together hold 1 to k − 1 people, the smallest
   reported cell is hidden too (ties: the first by name), so that the
   organisation minus the reported cells never gives fewer than k people.
4. **No hidden cell can be computed.** No hidden cell may be the solution of
   the linear equations the reported cells give (sums and counts per cell,
   the organisation's included); where one would be, one more reported cell
   is hidden (from the grouping that comes last in priority, the smallest).
   The same holds for the people who share a cell in every grouping (e.g.
   the managers of one department at one site) when they are 1 to k − 1:
   their sum must not follow from the reported cells either.
5. **Groupings.** All groupings of the same data that can be shown (every
   attribute column, :mod:`learn_core.reading.attributes`) are suppressed
   together, in a fixed priority (a column named like a department first),
   so the result does not depend on which grouping is looked at: two reported
   cells of different groupings never differ by 1 to k − 1 people (the
   pairwise overlap check), and rule 4 holds over all of them.
6. **Across levels.** A dimension's favourable share is hidden in a group
   where one of its statements is hidden (the share would give it away).

Rules 3–5 run to a fixed point for each figure ("family"): respondents per
group, each dimension's score, each statement, each dimension's favourable
share; a group hidden in the first family is hidden in every other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from learn_core.errors import LearnError, shown

__all__ = [
    "DEFAULT_MIN_GROUP_SIZE",
    "LOWEST_MIN_GROUP_SIZE",
    "GroupSizeError",
    "Groupings",
    "atoms_of",
    "check_min_group_size",
    "suppress",
    "suppress_family",
]

DEFAULT_MIN_GROUP_SIZE = 5
LOWEST_MIN_GROUP_SIZE = 3
_TOLERANCE = 1e-9


class GroupSizeError(LearnError, ValueError):
    """The minimum group size asked for is not a whole number of at least
    :data:`LOWEST_MIN_GROUP_SIZE`."""


def check_min_group_size(k: object) -> int:
    """Return ``k`` as an int, or raise :class:`GroupSizeError` (a ValueError)
    when it is not an integer ≥ :data:`LOWEST_MIN_GROUP_SIZE`."""
    if isinstance(k, bool) or not isinstance(k, int):
        raise GroupSizeError(code="errors.analysis.k_not_whole", params={"value": shown(repr(k))})
    if k < LOWEST_MIN_GROUP_SIZE:
        raise GroupSizeError(code="errors.analysis.k_too_small", params={"lowest": LOWEST_MIN_GROUP_SIZE, "k": k})
    return k


def suppress(counts: dict[str, int], k: int) -> tuple[list[str], list[str]]:
    """Rules 1 and 3 for one grouping of respondents: (reported, suppressed),
    each sorted by name.

    A group with fewer than ``k`` respondents is suppressed; when the
    suppressed groups together hold 1 to k − 1 respondents, the smallest
    reported group is suppressed as well (ties: the first by name).
    """
    k = check_min_group_size(k)
    names = sorted(counts)
    g = Groupings.single(names, np.repeat(np.arange(len(names)), [counts[n] for n in names]))
    reasons = suppress_family(g, np.ones(g.codes.shape[0], dtype=bool), k, span=False)[0]
    return [n for n, r in zip(names, reasons, strict=True) if r is None], \
        [n for n, r in zip(names, reasons, strict=True) if r is not None]


@dataclass(frozen=True)
class Groupings:
    """The groupings of one dataset's respondents, in priority order.

    ``names`` the grouping columns; ``labels[g]`` the group names of grouping
    g (its cells); ``codes[:, g]`` each respondent's cell in grouping g.
    """

    names: tuple[str, ...]
    labels: tuple[tuple[str, ...], ...]
    codes: np.ndarray  # respondents × groupings, int

    @classmethod
    def single(cls, labels: list[str], codes: np.ndarray, name: str = "") -> Groupings:
        return cls((name,), (tuple(labels),), np.asarray(codes, dtype=np.int64).reshape(-1, 1))

    @classmethod
    def from_columns(cls, columns: dict[str, pd.Series | np.ndarray]) -> Groupings:
        """Groupings from columns of group labels (one value per respondent), names sorted per grouping."""
        names, labels, codes = [], [], []
        for name, values in columns.items():
            c, u = pd.factorize(np.asarray(values, dtype=object), sort=True)
            names.append(name)
            labels.append(tuple(str(x) for x in u))
            codes.append(c)
        n = len(codes[0]) if codes else 0
        return cls(tuple(names), tuple(labels), np.column_stack(codes) if codes else np.zeros((n, 0), np.int64))

    def __len__(self) -> int:
        return len(self.names)


class _Family:
    """One figure over all groupings: cells as sets of atoms (the respondents'
    cross-classification), weighted by the people who contribute."""

    def __init__(self, groupings: Groupings, contributors: np.ndarray, atoms: np.ndarray, atom_cells: np.ndarray):
        weight = np.bincount(atoms[contributors], minlength=atom_cells.shape[0])
        self.present = np.flatnonzero(weight)
        self.weight = weight[self.present]
        self.atom_cells = atom_cells[self.present]  # atoms with people × groupings
        self.groupings = groupings
        self.total = int(self.weight.sum())
        self.n = [np.bincount(self.atom_cells[:, g], weights=self.weight, minlength=len(groupings.labels[g]))
                  .astype(np.int64) for g in range(len(groupings))]

    def member(self, g: int, c: int) -> np.ndarray:
        return (self.atom_cells[:, g] == c).astype(np.float64)


def atoms_of(groupings: Groupings) -> tuple[np.ndarray, np.ndarray]:
    """Each respondent's atom (the combination of its cells in every grouping)
    and each atom's cell per grouping."""
    codes = groupings.codes
    if codes.shape[0] == 0 or codes.shape[1] == 0:
        return np.zeros(codes.shape[0], np.int64), np.zeros((1 if codes.shape[0] else 0, codes.shape[1]), np.int64)
    key = np.zeros(codes.shape[0], dtype=np.int64)
    for g in range(codes.shape[1]):  # one small integer per combination so far: no overflow
        key = pd.factorize(key * (len(groupings.labels[g]) + 1) + codes[:, g])[0].astype(np.int64)
    atoms = key
    first = np.zeros(atoms.max() + 1, dtype=np.int64)
    first[atoms[::-1]] = np.arange(atoms.size)[::-1]  # a respondent of each atom
    return atoms.astype(np.int64), codes[first]


def suppress_family(
    groupings: Groupings,
    contributors: np.ndarray,
    k: int,
    initial: list[list[str | None]] | None = None,
    *,
    span: bool = True,
    atoms: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[list[str | None]]:
    """Rules 1 and 3–5 for one figure: which cell of which grouping is hidden, and why.

    Parameters
    ----------
    groupings
        the groupings (priority order) and every respondent's cells.
    contributors
        True for the respondents who answered this figure (e.g. who have a
        score in the dimension).
    initial
        per grouping and cell a reason the cell is hidden already (a hidden
        group, a hidden statement), or None.
    span
        apply rule 4 (off only for :func:`suppress`, the classic rule).

    Returns
    -------
    per grouping, per cell: None (reported) or the reason
    ("min_size", "complementary", "overlap" or the initial reason).

    Notes
    -----
    The organisation (all contributors) is reported when it has at least k
    and is never hidden to protect a cell. Rule 3 hides the reported cell with
    the fewest people, ties by name; rule 5 (pairwise overlap) hides the cell
    of the later grouping; rule 4 solves the reported cells' equations for a
    hidden cell by least squares over the atoms and hides, among the reported
    cells the solution uses, one of the latest grouping, the smallest, the
    first by name. Each step repeats until nothing changes.
    """
    k = check_min_group_size(k)
    atom_of, atom_cells = atoms if atoms is not None else atoms_of(groupings)
    fam = _Family(groupings, np.asarray(contributors, dtype=bool), atom_of, atom_cells)
    reasons: list[list[str | None]] = (
        [list(r) for r in initial] if initial
        else [[None] * len(groupings.labels[g]) for g in range(len(groupings))])
    for g, counts in enumerate(fam.n):
        for c, n in enumerate(counts):
            if reasons[g][c] is None and n < k:
                reasons[g][c] = "min_size"
    if fam.total < k:
        return [["min_size" if r is None else r for r in rs] for rs in reasons]
    while _complementary(fam, reasons, k) or _overlap(fam, reasons, k) or (span and _span(fam, reasons, k)):
        pass
    return reasons


def _smallest(fam: _Family, g: int, cells: list[int]) -> int:
    labels = fam.groupings.labels[g]
    return min(cells, key=lambda c: (fam.n[g][c], labels[c]))


def _complementary(fam: _Family, reasons: list[list[str | None]], k: int) -> bool:
    """Rule 3 in every grouping; True when a cell was hidden."""
    changed = False
    for g, counts in enumerate(fam.n):
        hidden = sum(int(counts[c]) for c, r in enumerate(reasons[g]) if r is not None)
        reported = [c for c, r in enumerate(reasons[g]) if r is None]
        if 1 <= hidden <= k - 1 and reported:
            reasons[g][_smallest(fam, g, reported)] = "complementary"
            changed = True
    return changed


def _overlap(fam: _Family, reasons: list[list[str | None]], k: int) -> bool:
    """Rule 5: reported cells of two groupings that differ by 1 to k − 1 people."""
    for h in range(1, len(fam.n)):
        for g in range(h):
            a = [c for c, r in enumerate(reasons[g]) if r is None]
            b = [c for c, r in enumerate(reasons[h]) if r is None]
            if not a or not b:
                continue
            ma = np.stack([fam.member(g, c) for c in a]) * fam.weight
            mb = np.stack([fam.member(h, c) for c in b])
            both = ma @ mb.T
            diff = fam.n[g][a][:, None] + fam.n[h][b][None, :] - 2 * both
            pairs = (diff >= 1) & (diff <= k - 1)
            bad = [j for j in np.flatnonzero(pairs.any(axis=0)) if not _everyone(fam, h, b[j])]
            if bad:
                reasons[h][_smallest(fam, h, [b[j] for j in bad])] = "overlap"
                return True
            if pairs.any():  # only cells that hold everyone (the organisation's figure) are in bad pairs:
                rows = [a[i] for i in np.flatnonzero(pairs.any(axis=1))]  # hiding them would change nothing
                reasons[g][_smallest(fam, g, rows)] = "overlap"
                return True
    return False


def _everyone(fam: _Family, g: int, c: int) -> bool:
    """Whether cell ``c`` of grouping ``g`` holds every contributor: its figure is
    the organisation's, which is reported; hiding it protects no one."""
    return int(fam.n[g][c]) == fam.total


def _span(fam: _Family, reasons: list[list[str | None]], k: int) -> bool:
    """Rule 4: a hidden cell with people, or an atom with 1 to k − 1 people,
    that the reported cells determine."""
    rows, owners = [np.ones(fam.present.size)], [(-1, -1)]
    for g, rs in enumerate(reasons):
        for c, r in enumerate(rs):
            if r is None and not _everyone(fam, g, c):  # a cell of everyone is the organisation's row
                rows.append(fam.member(g, c))
                owners.append((g, c))
    if len(rows) == 1:
        return False
    basis = np.stack(rows).T  # atoms × reported cells
    u, s, _ = np.linalg.svd(basis, full_matrices=False)
    u = u[:, s > _TOLERANCE * max(1.0, s[0])]
    for g, rs in enumerate(reasons):
        for c, r in enumerate(rs):
            if r is None or fam.n[g][c] == 0:
                continue
            target = fam.member(g, c)
            if np.linalg.norm(target - u @ (u.T @ target)) > 1e-7 * np.linalg.norm(target):
                continue
            coef = np.linalg.lstsq(basis, target, rcond=None)[0]
            used = [owners[j] for j in np.flatnonzero(np.abs(coef) > 1e-7) if owners[j][0] >= 0]
            if not used:  # the organisation alone: the cell is everyone, it cannot stay hidden
                continue
            last = max(gg for gg, _ in used)
            pick = _smallest(fam, last, [cc for gg, cc in used if gg == last])
            reasons[last][pick] = "complementary" if last == g else "overlap"
            return True
    # the people who share one cell in every grouping (an atom: e.g. the managers of one department at
    # one site) are no cell of their own, but 1 to k − 1 of them must not be computable either
    small = np.flatnonzero((fam.weight >= 1) & (fam.weight < k) & ((u ** 2).sum(axis=1) > 1.0 - 1e-9))
    for a in small:
        target = np.zeros(fam.present.size)
        target[a] = 1.0
        coef = np.linalg.lstsq(basis, target, rcond=None)[0]
        used = [owners[j] for j in np.flatnonzero(np.abs(coef) > 1e-7) if owners[j][0] >= 0]
        if not used:  # the organisation alone: everyone is this one atom (the organisation is below k then)
            continue
        last = max(gg for gg, _ in used)
        reasons[last][_smallest(fam, last, [cc for gg, cc in used if gg == last])] = "overlap"
        return True
    return False
