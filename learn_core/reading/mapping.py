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

#: The code of the sentence (data/texts.toml) for a file that is no answer mapping.
NOT_AN_ANSWER_MAP = "errors.read.not_an_answer_map"
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
        raise ReadError(code=gate.NOT_A_MAPPING) from None
    if not isinstance(loaded, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in loaded.items()):
        raise ReadError(code=gate.NOT_A_MAPPING)
    if len(loaded) > MAX_COLUMNS:
        raise ReadError(code="errors.read.mapping_too_many", params={"most": str(MAX_COLUMNS)})
    unknown = [v for v in loaded.values() if v not in item_ids]
    if unknown:
        raise ReadError(code="errors.read.mapping_unknown_item", params={"item": shown(unknown[0])})
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
        an item the instrument does not have (one sentence, in either language).
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
        raise ReadError(code=NOT_AN_ANSWER_MAP) from None
    if not isinstance(loaded, dict) or not all(isinstance(k, str) for k in loaded):
        raise ReadError(code=NOT_AN_ANSWER_MAP)
    if len(loaded) > MAX_ANSWER_LABELS:
        raise ReadError(code="errors.read.answer_map_too_many", params={"most": MAX_ANSWER_LABELS})
    for label, code in loaded.items():
        if isinstance(code, bool) or not isinstance(code, int) or not 0 <= code <= 5:
            raise ReadError(code="errors.read.answer_map_value",
                            params={"label": shown(label), "value": shown(code)})
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
        other than 0–5 (one sentence, in either language).
    """
    return gate.parse(_parse_answer_map, gate.admit(source, file_name, kind="mapping"))
