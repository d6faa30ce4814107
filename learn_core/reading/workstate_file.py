"""Reading a saved working state (:mod:`learn_core.workstate`) through the
gate: the size (the upload limit) and the nesting are checked before the
JSON parser sees a byte, and the parse runs in a limited child process.
"""

from __future__ import annotations

import json

from learn_core.errors import ReadError
from learn_core.reading import gate
from learn_core.reading.source import CheckedFile, Source
from learn_core.workstate import WorkState, WorkStateError, from_document

__all__ = ["read_work_state"]

NOT_A_WORK_STATE = "errors.read.not_a_work_state"


def _parse_work_state(checked: CheckedFile) -> WorkState:
    """In the child: checked bytes → the working state."""
    if checked.data.lstrip()[:1] != b"{":
        raise WorkStateError(code="errors.read.not_json_work_state")
    try:
        doc = json.loads(checked.data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise WorkStateError(code=NOT_A_WORK_STATE) from None
    return from_document(doc)


def read_work_state(source: Source, file_name: str | None = None) -> WorkState:
    """Read a working state saved by :func:`learn_core.workstate.dumps`.

    Raises
    ------
    WorkStateError
        when the file cannot be used: larger than the upload limit, too deeply
        nested, no JSON, of another format or version, or a bad field (one
        sentence, German or English: ``errors.workstate``).
    """
    try:
        return gate.parse(_parse_work_state, gate.admit(source, file_name, kind="workstate"))
    except ReadError as exc:
        raise WorkStateError.like(exc) from None
