"""The dashboard's saved column mapping (header → item ID) as a JSON file,
read through the gate: the size and the nesting are checked before the
JSON parser sees a byte, and the parse runs in a limited child process.
"""

from __future__ import annotations

import json

from learn_core.errors import ReadError, shown
from learn_core.instrument import Instrument, default_instrument
from learn_core.reading import gate
from learn_core.reading.limits import MAX_COLUMNS
from learn_core.reading.source import CheckedFile, Source

__all__ = ["column_map_json", "read_column_map"]


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
