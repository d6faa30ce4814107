"""The one gate every file passes before anything parses it.

Every place a file enters – the survey upload, the action plan, the column
mapping, survey waves, the command line's ``score``, ``report --plan`` and
``compare`` – calls :func:`admit` for the checks before parsing, then
:func:`parse` to run the parser on the checked bytes in a limited child
process (:mod:`learn_core.reading.isolation`). ``tests/reading/test_gate.py``
enumerates the entry points and checks that each goes through both, and
that no parser is called anywhere else.
"""

from __future__ import annotations

import re

import numpy as np

from learn_core.errors import ReadError
from learn_core.reading import isolation
from learn_core.reading.source import CheckedFile, Source, check_file, source_bytes

__all__ = ["KINDS", "MAPPING_TOO_DEEP", "MAX_MAPPING_BYTES", "NOT_A_MAPPING", "WORKSTATE_TOO_DEEP", "admit", "parse"]

#: What a file may be, by the place it enters: a table (survey, wave or
#: action plan: Excel, OpenDocument or CSV) or a saved column mapping (JSON).
KINDS = ("table", "mapping", "workstate")
#: Largest mapping file accepted (a mapping of 2,000 columns with long headers is about 0.3 MB).
MAX_MAPPING_BYTES = 1024 * 1024
#: The deepest nesting a mapping file may have: one object of texts.
_MAPPING_DEPTH = 1
#: A working state nests four deep (document, plan, row, value).
_WORKSTATE_DEPTH = 4

#: Codes of the sentences (data/texts.toml) of a refused mapping or working state.
NOT_A_MAPPING = "errors.read.not_a_mapping"
WORKSTATE_TOO_DEEP = "errors.read.workstate_too_deep"
MAPPING_TOO_DEEP = "errors.read.mapping_too_deep"

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


def admit(source: Source, file_name: str | None = None, *, kind: str = "table") -> CheckedFile:
    """Read ``source`` and run every check for ``kind`` before any parser sees it.

    Returns
    -------
    CheckedFile
        the bytes with their kind ("xlsx", "ods", "xls", "text" or "json").

    Raises
    ------
    ReadError
        when the file cannot be used (one sentence, in either language: ``message(lang)``).
    ValueError
        for an unknown ``kind``.
    """
    if kind == "table":
        return check_file(source, file_name)
    if kind == "workstate":  # a JSON file within the upload limit, nesting counted before parsing
        data = source_bytes(source)
        if json_depth(data) > _WORKSTATE_DEPTH:
            raise ReadError(code=WORKSTATE_TOO_DEEP)
        return CheckedFile(data, "json", file_name or "")
    if kind == "mapping":
        data = source_bytes(source)
        if len(data) > MAX_MAPPING_BYTES:
            raise ReadError(code="errors.read.mapping_too_big", params={"most": MAX_MAPPING_BYTES // 1024})
        if json_depth(data) > _MAPPING_DEPTH:
            raise ReadError(code=MAPPING_TOO_DEEP)
        return CheckedFile(data, "json", file_name or "")
    raise ValueError(f"unknown kind of file {kind!r}; expected one of {KINDS}")


def json_depth(data: bytes) -> int:
    """How deep arrays and objects nest in JSON text (strings skipped), counted
    without parsing, so that no parser recurses into a hostile file."""
    plain = np.frombuffer(_STRING.sub(b'""', data), dtype=np.uint8)
    step = np.isin(plain, (0x5B, 0x7B)).astype(np.int64) - np.isin(plain, (0x5D, 0x7D)).astype(np.int64)
    return int(np.cumsum(step).max(initial=0))


def parse(func, checked: CheckedFile, *args, **kwargs):
    """``func(checked, *args, **kwargs)`` in a limited child process; its value.

    Raises
    ------
    ReadError
        what the parser raised for an unusable file, or
        :class:`~learn_core.reading.isolation.UnsafeFileError` when the parse
        had to be stopped.
    """
    if not isinstance(checked, CheckedFile):
        raise TypeError("parse takes a CheckedFile from admit()")
    return isolation.run(func, checked, *args, **kwargs)

