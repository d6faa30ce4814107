"""Checks of what a facilitator or participant gives the workshop store:
codes, titles, departments, dots, participant ids, answers, votes. Each
raises ValueError (KeyError for a code) with one German sentence."""

from __future__ import annotations

import hashlib
import numbers
import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from learn_core.analysis.privacy import check_min_group_size
from learn_core.instrument import Instrument
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
        raise KeyError(f"Es gibt keinen Workshop mit dem Code „{code}“.")
    return text


def check_text(value: object, limit: int, what: str) -> str:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if not text or len(text) > limit:
        raise ValueError(f"{what} muss aus 1 bis {limit} Zeichen bestehen.")
    return text


def clean_groups(groups: Iterable[str] | None) -> tuple[str, ...]:
    if isinstance(groups, str) or not isinstance(groups, Iterable | None):
        raise ValueError("Die Gruppen müssen als Liste von Namen angegeben werden.")
    out: list[str] = []
    for name in groups or ():
        text = check_text(name, MAX_GROUP_NAME, "Jeder Gruppenname")
        if text[0] in "=+-@":  # a spreadsheet would read it as a formula (CSV export)
            raise ValueError(f"Der Gruppenname „{text}“ darf nicht mit =, +, - oder @ beginnen.")
        if text.casefold() in {g.casefold() for g in out}:
            raise ValueError(f"Die Gruppe „{text}“ ist doppelt angegeben.")
        out.append(text)
    if len(out) > MAX_GROUPS:
        raise ValueError(f"Ein Workshop kann höchstens {MAX_GROUPS} Gruppen haben.")
    return tuple(out)


def check_dots(dots: object) -> int:
    if isinstance(dots, bool) or not isinstance(dots, int) or not 1 <= dots <= MAX_DOTS:
        raise ValueError(f"Die Zahl der Punkte je Person muss eine ganze Zahl von 1 bis {MAX_DOTS} sein.")
    return dots


def check_participant(participant_id: object) -> str:
    if not isinstance(participant_id, str) or not _PARTICIPANT_ID.fullmatch(participant_id):
        raise ValueError("Die Teilnehmer-Kennung muss aus 1 bis 64 Buchstaben, Ziffern, - oder _ bestehen.")
    return participant_id


def check_group(group: object, groups: tuple[str, ...]) -> str | None:
    if group is None:
        return None
    if not groups:
        raise ValueError("Dieser Workshop hat keine Gruppen; bitte keine Gruppe angeben.")
    text = " ".join(group.split()) if isinstance(group, str) else None
    if text not in groups:
        raise ValueError(f"Die Gruppe „{group}“ gibt es in diesem Workshop nicht.")
    return text


def check_k(k: object) -> int:
    """The workshop's minimum group size: an integer, never below the global floor."""
    return check_min_group_size(k)


def check_expected(expected: object) -> int | None:
    if expected is None:
        return None
    if isinstance(expected, bool) or not isinstance(expected, int) or not 1 <= expected <= MAX_EXPECTED:
        raise ValueError(f"Die erwartete Zahl der Teilnehmenden muss eine ganze Zahl von 1 bis {MAX_EXPECTED} sein.")
    return expected


def check_answers(answers: object, instrument: Instrument) -> dict[str, int]:
    if not isinstance(answers, Mapping):
        raise ValueError("Die Antworten müssen eine Zuordnung von Item zu Wert sein.")
    low, high, ids = instrument.scale.minimum, instrument.scale.maximum, instrument.item_ids
    for item_id, value in answers.items():
        if item_id not in ids:
            raise ValueError(f"Das Item „{item_id}“ gibt es im Fragebogen nicht.")
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= int(value) <= high
        ):
            raise ValueError(f"Die Antwort auf {item_id} muss eine ganze Zahl von {low} bis {high} sein, nicht „{value}“.")
    out = {i: int(answers[i]) for i in ids if answers.get(i) is not None}
    if not out:
        raise ValueError("Bitte beantworten Sie mindestens eine Aussage.")
    return out


def check_recommendations(ids: object, valid: frozenset[str] | set[str]) -> list[str]:
    if isinstance(ids, str | bytes) or not isinstance(ids, Iterable):
        raise ValueError("Die Punkte müssen als Liste von Maßnahmen angegeben werden.")
    ids = list(ids)
    for rid in ids:
        if not isinstance(rid, str) or rid not in valid:
            raise ValueError(f"Die Maßnahme „{rid}“ gibt es im Katalog nicht.")
    return ids


def check_per_measure(per_measure: object, dots: int) -> int:
    if isinstance(per_measure, bool) or not isinstance(per_measure, int) or not 1 <= per_measure <= dots:
        raise ValueError(f"Die Punkte je Maßnahme müssen eine ganze Zahl von 1 bis {dots} sein.")
    return per_measure


def check_base(base: object) -> str | None:
    """An http(s) address with a host, without query and fragment, or None."""
    if base is None:
        return None
    text = base.strip().rstrip("/") if isinstance(base, str) else ""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment \
            or len(text) > MAX_JOIN_BASE or any(c.isspace() for c in text):
        raise ValueError("Die Adresse muss mit http:// oder https:// und einem Servernamen beginnen.")
    return text
