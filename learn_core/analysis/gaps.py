"""The leader-vs-staff gap: per dimension, leaders' score minus staff's score.

A survey may carry a role column (Führungskraft ja/nein, Rolle
Führungskraft/Mitarbeitende, …); :func:`role_column` recognises it among the
attribute columns (:mod:`learn_core.reading.attributes`) by its header and by
its values. :func:`leader_gap` then compares the two role cells of every
dimension with Welch's interval of the difference
(:func:`learn_core.analysis.inference.welch`).

Privacy: the role column is one of the groupings the privacy engine
suppresses together with every other one (:mod:`learn_core.analysis.privacy`);
a dimension's gap is given only when both role cells have at least k people
with a score *and* the engine reports both cells (no complementary or overlap
reason). The gap is the organisation's only: no role split inside a
department is ever computed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from learn_core.analysis.inference import welch
from learn_core.reading.survey import NO_GROUP

__all__ = ["LEADER_VALUES", "ROLE_HEADERS", "STAFF_VALUES", "DimensionGap", "LeaderGap", "RoleColumn",
           "leader_gap", "role_column"]

#: Words that make a header a role column (compared case-insensitively, as a word or part of the header).
ROLE_HEADERS = ("führungskraft", "führungskräfte", "leitungsfunktion", "führungsverantwortung", "führungsposition",
                "führungsfunktion", "personalverantwortung", "vorgesetzte", "vorgesetzter", "rolle", "role",
                "leader", "leadership", "manager", "management")
#: Parts of German compounds that name a role inside a longer header („Führungskraft ja/nein“, „Leitungsfunktion?“).
_ROLE_STEMS = ("führungskr", "führungsverantwortung", "führungsposition", "führungsfunktion", "leitungsfunktion",
               "personalverantwortung")
#: Values that mean "leads people" (case-insensitive).
LEADER_VALUES = ("ja", "j", "yes", "y", "1", "wahr", "true", "x", "führungskraft", "führungskräfte", "leitung",
                 "leitungskraft", "vorgesetzte", "vorgesetzter", "mit führungsverantwortung", "leader", "manager")
#: Values that mean "does not lead people" (case-insensitive).
STAFF_VALUES = ("nein", "n", "no", "0", "falsch", "false", "mitarbeitende", "mitarbeiter", "mitarbeiterin",
                "mitarbeiter:in", "mitarbeiter*in", "mitarbeiterinnen", "beschäftigte", "beschäftigter",
                "keine führungskraft", "ohne führungsverantwortung", "staff", "employee", "employees",
                "team member", "non-manager")


@dataclass(frozen=True)
class RoleColumn:
    """A recognised role column: its header and the label of each side."""

    header: str
    leader: str
    staff: str


@dataclass(frozen=True)
class DimensionGap:
    """One dimension: leaders' and staff's n and score, the gap (leaders −
    staff, points on 0–100) with its 95 % Welch interval. All figures None
    when ``hidden`` (then the reason: ``min_size``, ``complementary``,
    ``overlap``, or ``no_variance`` when no interval can be given)."""

    key: str
    leaders_n: int | None
    leaders_score: float | None
    staff_n: int | None
    staff_score: float | None
    gap: float | None
    ci95: tuple[float, float] | None
    p: float | None
    hidden: str | None = None

    def to_json(self) -> dict:
        return {"leaders_n": self.leaders_n, "leaders_score": self.leaders_score, "staff_n": self.staff_n,
                "staff_score": self.staff_score, "gap": self.gap, "ci95": list(self.ci95) if self.ci95 else None,
                "p": self.p, "hidden": self.hidden}


@dataclass(frozen=True)
class LeaderGap:
    """The gap per dimension for the role column ``role``."""

    role: RoleColumn
    dimensions: Mapping[str, DimensionGap]

    @property
    def any_shown(self) -> bool:
        return any(d.hidden is None for d in self.dimensions.values())

    def to_json(self) -> dict:
        return {"column": self.role.header, "leader_value": self.role.leader, "staff_value": self.role.staff,
                "dimensions": {k: d.to_json() for k, d in self.dimensions.items()}}


def _fold(text: str) -> str:
    return " ".join(str(text).casefold().replace("_", " ").split())


def _is_role_header(header: str) -> bool:
    folded = _fold(header)
    words = folded.replace("/", " ").replace("(", " ").replace(")", " ").replace("-", " ").split()
    return any(name in words for name in ROLE_HEADERS) or any(stem in folded for stem in _ROLE_STEMS)


def _sides(values: Sequence[str]) -> tuple[str, str] | None:
    """(leader label, staff label) when the values are exactly one of each (besides empty cells)."""
    filled = [v for v in values if v != NO_GROUP]  # an empty cell: neither side
    leaders = [v for v in filled if _fold(v) in LEADER_VALUES]
    staff = [v for v in filled if _fold(v) in STAFF_VALUES]
    if len(filled) != 2 or len(leaders) != 1 or len(staff) != 1:
        return None
    return leaders[0], staff[0]


def role_column(attributes: Mapping[str, pd.Series]) -> RoleColumn | None:
    """The first attribute column (header → group labels) that is a role column.

    A role column has a header naming a role (:data:`ROLE_HEADERS`, e.g.
    „Führungskraft“, „Leitungsfunktion“, „Rolle“, "manager") and exactly two
    values besides empty cells, one meaning leader (:data:`LEADER_VALUES`:
    ja, yes, Führungskraft, …) and one meaning staff (:data:`STAFF_VALUES`:
    nein, no, Mitarbeitende, …). Returns None when there is none: the gap is
    then not computed.
    """
    for header, labels in attributes.items():
        if not _is_role_header(header):
            continue
        sides = _sides([str(v) for v in pd.unique(labels.to_numpy())])
        if sides is not None:
            return RoleColumn(header, *sides)
    return None


def leader_gap(scores: pd.DataFrame, role_labels: np.ndarray, role: RoleColumn, keys: Sequence[str],
               reasons: Mapping[str, tuple[str | None, str | None]], k: int) -> LeaderGap:
    """Leaders' minus staff's mean score per dimension, with Welch's 95 % interval.

    Parameters
    ----------
    scores
        the respondents' dimension scores (0–100, NaN where not scorable), one column per key.
    role_labels
        each respondent's label in the role column, row-aligned with ``scores``.
    role
        the recognised role column (:func:`role_column`).
    reasons
        per dimension the privacy engine's reasons for (leaders' cell,
        staff's cell): None where it reports the cell.
    k
        the minimum group size.

    Returns
    -------
    LeaderGap
        per dimension the gap, or the reason it is hidden: ``min_size`` when a
        side has fewer than k scores, else the engine's reason for a hidden
        cell; ``no_variance`` when both sides have no spread (no interval).

    Notes
    -----
    gap = m_L − m_S; the interval is Welch's, (m_L − m_S) ± t(0.975; ν)·se with
    se = √(s_L²/n_L + s_S²/n_S) and the Welch–Satterthwaite ν (checked against
    ``scipy.stats.ttest_ind(equal_var=False)`` in the tests of
    :func:`~learn_core.analysis.inference.welch`).
    """
    labels = np.asarray(role_labels, dtype=object)
    is_leader, is_staff = labels == role.leader, labels == role.staff
    out = {}
    for key in keys:
        col = scores[key].to_numpy(dtype=np.float64)
        lead, staff = col[is_leader & ~np.isnan(col)], col[is_staff & ~np.isnan(col)]
        reason = "min_size" if lead.size < k or staff.size < k else (reasons[key][0] or reasons[key][1])
        test = None
        if reason is None:
            test = welch(lead.size, float(lead.mean()), float(lead.std(ddof=1)),
                         staff.size, float(staff.mean()), float(staff.std(ddof=1)))
            reason = None if test is not None else "no_variance"
        if reason is not None or test is None:
            out[key] = DimensionGap(key, None, None, None, None, None, None, None, reason)
            continue
        out[key] = DimensionGap(key, int(lead.size), float(lead.mean()), int(staff.size), float(staff.mean()),
                                test.diff, (test.low, test.high), test.p)
    return LeaderGap(role, out)
