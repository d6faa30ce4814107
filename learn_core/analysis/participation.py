"""Participation: how many of a department's staff took part.

The user gives the headcount per department (a small table typed in on the
dashboard, saved with the working state, or a file for the command line,
:mod:`learn_core.reading.headcounts`). :func:`with_participation` adds the
rates to an analysis; the rules (pinned by tests/analysis/test_participation.py,
stated on the Methodik page and in the README):

* a department's rate is its respondents ÷ its headcount, in percent, and is
  shown only for a **reported** group: its respondents are shown already, so
  the rate tells nothing more about the survey than the group figures do;
* a hidden group (fewer than k, or hidden to protect another) gets no rate
  and no respondent count; its headcount is shown only when it is at least
  k, and a headcount below k is never shown at all;
* a department in the headcount table without any respondent is treated
  as hidden (no "0 %"), since zero is a figure below k too;
* the overall rate is all respondents ÷ the organisation's headcount: an
  entry named like "Gesamt" when given, otherwise the sum of the entries, and
  only when every group of the data (but "ohne Angabe") has a headcount;
* below :data:`LOW_PARTICIPATION` percent a rate is flagged: the figures may
  not represent the department;
* more respondents than headcount is a data problem: no rate, a note.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from learn_core.headcounts import TOTAL_NAMES, HeadcountError, check_count, headcounts_from_rows
from learn_core.reading.survey import NO_GROUP

__all__ = ["LOW_PARTICIPATION", "HeadcountError", "Participation", "ParticipationRow", "headcounts_from_rows",
           "participation", "with_participation"]

#: Below this percentage a rate is flagged as possibly not representative.
LOW_PARTICIPATION = 50.0


@dataclass(frozen=True)
class ParticipationRow:
    """One department: ``headcount`` (None when not given or below k and
    hidden), ``respondents`` and ``rate`` (percent) only for a reported group;
    ``hidden`` the reason no rate is shown ("min_size", "complementary",
    "overlap", "no_respondents", "no_headcount", "exceeds_headcount")."""

    name: str
    headcount: int | None
    respondents: int | None
    rate: float | None
    low: bool
    hidden: str | None = None

    def to_json(self) -> dict:
        return {"name": self.name, "headcount": self.headcount, "respondents": self.respondents,
                "rate": self.rate, "low": self.low, "hidden": self.hidden}


@dataclass(frozen=True)
class Participation:
    """The organisation's and the departments' participation."""

    respondents: int
    headcount: int | None
    rate: float | None
    low: bool
    groups: tuple[ParticipationRow, ...]
    threshold: float = LOW_PARTICIPATION
    #: why the overall rate is missing ("incomplete": a group without headcount,
    #: "exceeds_headcount"), None when it is given
    reason: str | None = None

    def to_json(self) -> dict:
        return {"respondents": self.respondents, "headcount": self.headcount, "rate": self.rate, "low": self.low,
                "threshold": self.threshold, "reason": self.reason, "groups": [g.to_json() for g in self.groups]}


def _rate(n: int, h: int) -> float:
    return n * 100.0 / h


def participation(result, headcounts: Mapping[str, int]) -> Participation:
    """The participation of an :class:`~learn_core.analysis.results.AnalysisResult`
    for ``headcounts`` (department → staff, as :func:`headcounts_from_rows`
    gives them); see the module's rules.

    Raises
    ------
    HeadcountError
        for a headcount that is not a whole number from 1.
    """
    k = result.min_group_size
    counts = {" ".join(str(n).split()): check_count(v, str(n)[:60]) for n, v in headcounts.items()}
    total_name = next((n for n in counts if n.casefold() in TOTAL_NAMES), None)
    total_given = counts.pop(total_name) if total_name else None
    hidden = {h.name: h.reason for h in result.hidden_groups}
    rows = []
    for name in sorted({*result.groups, *hidden, *counts} - {NO_GROUP}):
        h = counts.get(name)
        if name in result.groups:
            n = result.groups[name].n
            if h is None:
                rows.append(ParticipationRow(name, None, n, None, False, "no_headcount"))
            elif n > h:
                rows.append(ParticipationRow(name, h, n, None, False, "exceeds_headcount"))
            else:
                rate = _rate(n, h)
                rows.append(ParticipationRow(name, h, n, rate, rate < LOW_PARTICIPATION))
            continue
        reason = hidden.get(name, "no_respondents")
        rows.append(ParticipationRow(name, h if h is not None and h >= k else None, None, None, False, reason))
    n_all = result.respondents
    complete = all(name in counts for name in [*result.groups, *hidden] if name != NO_GROUP)
    total = total_given if total_given is not None else (sum(counts.values()) if counts and complete else None)
    reason = None
    if total is None:
        reason = "incomplete"
    elif n_all > total:
        reason = "exceeds_headcount"
    overall = _rate(n_all, total) if reason is None and total else None
    return Participation(n_all, total if total is None or total >= k else None, overall,
                         overall is not None and overall < LOW_PARTICIPATION, tuple(rows), LOW_PARTICIPATION, reason)


def with_participation(analysis, headcounts: Mapping[str, int] | None):
    """The analysis with its result's ``participation`` set (None without
    headcounts, and for a filtered analysis: the headcounts are whole departments)."""
    value = participation(analysis.result, headcounts) if headcounts and analysis.result.subset is None else None
    return dataclasses.replace(analysis, result=dataclasses.replace(analysis.result, participation=value))
