"""Checks of what a facilitator or participant gives the workshop store:
codes, titles, departments, dots, participant ids, answers, votes. Each
raises :class:`~learn_core.workshop.errors.WorkshopInputError` (a
ValueError; :class:`~learn_core.workshop.errors.UnknownWorkshopError`, a
KeyError, for a code) with a code of ``errors.workshop.*``."""

from __future__ import annotations

import hashlib
import numbers
import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from learn_core.analysis.privacy import LOWEST_MIN_GROUP_SIZE
from learn_core.errors import shown
from learn_core.instrument import Instrument
from learn_core.workshop.errors import UnknownWorkshopError, WorkshopInputError
from learn_core.workshop.schema import CODE_LENGTH, MAX_GROUP_NAME, MAX_JOIN_BASE

__all__ = ["CODE_ALPHABET", "MAX_DOTS", "MAX_EXPECTED", "MAX_GROUPS"]

#: Characters of a workshop code: no 0/O, 1/I/L that people mix up.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
MAX_GROUPS, MAX_DOTS, MAX_EXPECTED = 50, 10, 10_000
_PARTICIPANT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def hash_key(admin_key: str) -> str:
    # The key has 256 random bits, so a fast unsalted hash is enough.
    return hashlib.sha256(admin_key.encode("utf-8")).hexdigest()


def normal_code(code: object) -> str:
    text = "".join(c for c in code if not c.isspace() and c != "-").upper() if isinstance(code, str) else ""
    if len(text) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in text):
        raise UnknownWorkshopError(code="errors.workshop.unknown_code")
    return text


def check_text(value: object, limit: int, error: str) -> str:
    """``value`` with its runs of white space as one space; ``error``: the
    code of the sentence when it is not 1 to ``limit`` characters."""
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if not text or len(text) > limit:
        raise WorkshopInputError(code=error, params={"most": limit})
    return text


def clean_groups(groups: Iterable[str] | None) -> tuple[str, ...]:
    if isinstance(groups, str) or not isinstance(groups, Iterable | None):
        raise WorkshopInputError(code="errors.workshop.groups_not_a_list")
    out: list[str] = []
    for name in groups or ():
        text = check_text(name, MAX_GROUP_NAME, "errors.workshop.group_name_length")
        if text[0] in "=+-@":  # a spreadsheet would read it as a formula (CSV export)
            raise WorkshopInputError(code="errors.workshop.group_formula", params={"name": shown(text)})
        if text.casefold() in {g.casefold() for g in out}:
            raise WorkshopInputError(code="errors.workshop.group_twice", params={"name": shown(text)})
        out.append(text)
    if len(out) > MAX_GROUPS:
        raise WorkshopInputError(code="errors.workshop.too_many_groups", params={"most": MAX_GROUPS})
    return tuple(out)


def check_dots(dots: object) -> int:
    if isinstance(dots, bool) or not isinstance(dots, int) or not 1 <= dots <= MAX_DOTS:
        raise WorkshopInputError(code="errors.workshop.dots", params={"most": MAX_DOTS})
    return dots


def check_participant(participant_id: object) -> str:
    if not isinstance(participant_id, str) or not _PARTICIPANT_ID.fullmatch(participant_id):
        raise WorkshopInputError(code="errors.workshop.participant_id")
    return participant_id


def check_group(group: object, groups: tuple[str, ...]) -> str | None:
    if group is None:
        return None
    if not groups:
        raise WorkshopInputError(code="errors.workshop.no_groups")
    text = " ".join(group.split()) if isinstance(group, str) else None
    if text not in groups:
        raise WorkshopInputError(code="errors.workshop.unknown_group", params={"name": shown(group)})
    return text


def check_k(k: object) -> int:
    """The workshop's minimum group size: an integer, never below the global
    floor (the rule of :func:`learn_core.analysis.privacy.check_min_group_size`)."""
    if isinstance(k, bool) or not isinstance(k, int):
        raise WorkshopInputError(code="errors.workshop.k_not_a_number", params={"k": shown(k)})
    if k < LOWEST_MIN_GROUP_SIZE:
        raise WorkshopInputError(code="errors.workshop.k_too_small", params={"floor": LOWEST_MIN_GROUP_SIZE, "k": k})
    return k


def check_expected(expected: object) -> int | None:
    if expected is None:
        return None
    if isinstance(expected, bool) or not isinstance(expected, int) or not 1 <= expected <= MAX_EXPECTED:
        raise WorkshopInputError(code="errors.workshop.expected", params={"most": MAX_EXPECTED})
    return expected


def check_answers(answers: object, instrument: Instrument) -> dict[str, int]:
    if not isinstance(answers, Mapping):
        raise WorkshopInputError(code="errors.workshop.answers_not_a_mapping")
    low, high, ids = instrument.scale.minimum, instrument.scale.maximum, instrument.item_ids
    for item_id, value in answers.items():
        if item_id not in ids:
            raise WorkshopInputError(code="errors.workshop.unknown_item", params={"item": shown(item_id)})
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= int(value) <= high
        ):
            raise WorkshopInputError(code="errors.workshop.answer_value",
                                     params={"item": item_id, "low": low, "high": high, "value": shown(value)})
    out = {i: int(answers[i]) for i in ids if answers.get(i) is not None}
    if not out:
        raise WorkshopInputError(code="errors.workshop.no_answer")
    return out


def check_recommendations(ids: object, valid: frozenset[str] | set[str]) -> list[str]:
    if isinstance(ids, str | bytes) or not isinstance(ids, Iterable):
        raise WorkshopInputError(code="errors.workshop.votes_not_a_list")
    ids = list(ids)
    for rid in ids:
        if not isinstance(rid, str) or rid not in valid:
            raise WorkshopInputError(code="errors.workshop.unknown_measure", params={"measure": shown(rid)})
    return ids


def check_per_measure(per_measure: object, dots: int) -> int:
    if isinstance(per_measure, bool) or not isinstance(per_measure, int) or not 1 <= per_measure <= dots:
        raise WorkshopInputError(code="errors.workshop.per_measure", params={"most": dots})
    return per_measure


def check_base(base: object) -> str | None:
    """An http(s) address with a host, without query and fragment, or None."""
    if base is None:
        return None
    text = base.strip().rstrip("/") if isinstance(base, str) else ""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment \
            or len(text) > MAX_JOIN_BASE or any(c.isspace() for c in text):
        raise WorkshopInputError(code="errors.workshop.address")
    return text
