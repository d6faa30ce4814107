"""Privacy: the minimum group size and complementary suppression.

Rules (pinned by tests/analysis/test_privacy.py):

* the minimum group size k defaults to 5 and is never below 3;
* a group with fewer than k respondents is suppressed: its figures appear
  nowhere, only its name in the list of hidden groups;
* complementary suppression: when the suppressed groups together hold between
  1 and k − 1 respondents, the smallest reported group is suppressed as well
  (ties: the first by name), so that no hidden group can be worked out by
  subtracting the reported groups from the total;
* the organisation is reported only with at least k respondents.
"""

from __future__ import annotations

__all__ = ["DEFAULT_MIN_GROUP_SIZE", "LOWEST_MIN_GROUP_SIZE", "check_min_group_size", "suppress"]

DEFAULT_MIN_GROUP_SIZE = 5
LOWEST_MIN_GROUP_SIZE = 3


def check_min_group_size(k: object) -> int:
    """Return ``k`` as an int, or raise ValueError when it is not an integer ≥ 3."""
    if isinstance(k, bool) or not isinstance(k, int):
        raise ValueError(f"Die Mindestgruppengröße muss eine ganze Zahl sein, nicht {k!r}.")
    if k < LOWEST_MIN_GROUP_SIZE:
        raise ValueError(
            f"Die Mindestgruppengröße muss mindestens {LOWEST_MIN_GROUP_SIZE} betragen (angegeben: {k})."
        )
    return k


def suppress(counts: dict[str, int], k: int) -> tuple[list[str], list[str]]:
    """Split groups into reported and suppressed ones.

    Parameters
    ----------
    counts
        respondents per group name.
    k
        the minimum group size (checked with :func:`check_min_group_size`).

    Returns
    -------
    (reported, suppressed), each sorted by name.
    """
    k = check_min_group_size(k)
    suppressed = sorted(name for name, n in counts.items() if n < k)
    reported = sorted(name for name, n in counts.items() if n >= k)
    hidden_total = sum(counts[name] for name in suppressed)
    if 1 <= hidden_total <= k - 1 and reported:
        smallest = min(reported, key=lambda name: (counts[name], name))
        reported.remove(smallest)
        suppressed = sorted([*suppressed, smallest])
    return reported, suppressed
