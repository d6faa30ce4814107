"""The dashboard's saved column mapping (header → item ID) and answer
mapping (answer label → 1–5, also ``--answer-map`` of the command line) as
JSON files, read through the gate: the size and the nesting are checked
before the JSON parser sees a byte, and the parse runs in a limited child
process.
"""

from __future__ import annotations

import json

from learn_core.errors import ReadError, shown
from learn_core.instrument import Instrument, default_instrument
from learn_core.reading import gate
from learn_core.reading.limits import MAX_COLUMNS
from learn_core.reading.source import CheckedFile, Source

__all__ = ["NOT_AN_ANSWER_MAP", "answer_map_json", "column_map_json", "read_answer_map", "read_column_map"]

NOT_AN_ANSWER_MAP = ("Die Datei ist keine Antwortzuordnung (erwartet wird ein JSON-Objekt aus Antworttext und Wert, "
                     'z. B. {"Somewhat agree": 4}; 0 steht für keine Angabe).')
#: Most answer labels a mapping may assign.
MAX_ANSWER_LABELS = 500


def column_map_json(mapping: dict[str, str]) -> bytes:
    """A mapping as the JSON file :func:`read_column_map` reads back (UTF-8)."""
    return json.dumps(mapping, ensure_ascii=False, indent=2).encode("utf-8")


def _parse_mapping(checked: CheckedFile, item_ids: tuple[str, ...]) -> dict[str, str]:
    """In the child: checked bytes → the mapping."""
    try:
        loaded = json.loads(checked.data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ReadError(gate.NOT_A_MAPPING) from None
    if not isinstance(loaded, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in loaded.items()):
        raise ReadError(gate.NOT_A_MAPPING)
    if len(loaded) > MAX_COLUMNS:
        raise ReadError(f"Die Zuordnung nennt mehr als {MAX_COLUMNS} Spalten.")
    unknown = [v for v in loaded.values() if v not in item_ids]
    if unknown:
        raise ReadError(f"Die Zuordnung nennt „{shown(unknown[0])}“, das ist keine Item-ID des Fragebogens.")
    return loaded


def read_column_map(source: Source, instrument: Instrument | None = None, *, file_name: str | None = None
                    ) -> dict[str, str]:
    """Read a mapping saved by :func:`column_map_json`.

    Returns
    -------
    dict
        header → item ID of ``instrument`` (default the LEARN instrument).

    Raises
    ------
    ReadError
        when the file is too large, nested, no JSON object of texts, or names
        an item the instrument does not have (one German sentence).
    """
    ids = tuple((instrument or default_instrument()).item_ids)
    return gate.parse(_parse_mapping, gate.admit(source, file_name, kind="mapping"), ids)


def answer_map_json(mapping: dict[str, int]) -> bytes:
    """An answer mapping as the JSON file :func:`read_answer_map` reads back (UTF-8)."""
    return json.dumps(mapping, ensure_ascii=False, indent=2).encode("utf-8")


def _parse_answer_map(checked: CheckedFile) -> dict[str, int]:
    """In the child: checked bytes → the answer mapping."""
    try:
        loaded = json.loads(checked.data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ReadError(NOT_AN_ANSWER_MAP) from None
    if not isinstance(loaded, dict) or not all(isinstance(k, str) for k in loaded):
        raise ReadError(NOT_AN_ANSWER_MAP)
    if len(loaded) > MAX_ANSWER_LABELS:
        raise ReadError(f"Die Antwortzuordnung nennt mehr als {MAX_ANSWER_LABELS} Antworten.")
    for label, code in loaded.items():
        if isinstance(code, bool) or not isinstance(code, int) or not 0 <= code <= 5:
            raise ReadError(f"Die Antwortzuordnung gibt „{shown(label)}“ den Wert „{shown(code)}“; "
                            "erlaubt sind 1 bis 5 und 0 für keine Angabe.")
    return loaded


def read_answer_map(source: Source, *, file_name: str | None = None) -> dict[str, int]:
    """Read an answer mapping (answer text → 1–5, 0 for no answer), as
    :func:`answer_map_json` writes it and ``--answer-map`` takes it.

    Returns
    -------
    dict
        answer text as written in the survey file → code.

    Raises
    ------
    ReadError
        when the file is too large, nested, no JSON object, or gives a value
        other than 0–5 (one German sentence).
    """
    return gate.parse(_parse_answer_map, gate.admit(source, file_name, kind="mapping"))
