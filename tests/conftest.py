"""Shared test helpers: build surveys in code from small answer tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from learn_core.instrument import Instrument, instrument_version
from learn_core.reading import survey_from_frame

#: The helpers build answers of instrument version 1.0 (M1 … M6, the sixth
#: statement of each dimension reversed), whatever the default of new surveys is.
V1 = instrument_version("1.0")
ITEM_IDS = V1.item_ids


def frame_of(rows: list[dict], group_column: str | None = None, instrument: Instrument = V1) -> pd.DataFrame:
    """A raw table with all 24 item columns of ``instrument`` (empty where a row gives no answer)."""
    cols = ([group_column] if group_column else []) + list(instrument.item_ids)
    return pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols, dtype=object)


def survey_of(rows: list[dict], group_column: str | None = None):
    return survey_from_frame(frame_of(rows, group_column), V1, group_column=group_column)


def dim_answers(prefix: str, values: list) -> dict:
    """``dim_answers("M", [4, 4, 3, 5, 2, 2])`` → ``{"M1": 4, …, "M6": 2}``."""
    return {f"{prefix}{i}": v for i, v in enumerate(values, start=1) if v is not None}


def full_row(value: int, group: str | None = None, group_column: str = "Abteilung") -> dict:
    """All 24 items answered with ``value`` (reverse items with 6 − value, so every
    dimension scores (value − 1) × 25)."""
    row = {}
    for p in "MFKL":
        row.update(dim_answers(p, [value] * 5 + [6 - value]))
    if group is not None:
        row[group_column] = group
    return row


@pytest.fixture
def rng():
    return np.random.default_rng(20261122)


# --------------------------------------------------------------------------- parallel runs
# `pytest` runs the files on every core (pytest-xdist, `-n auto` in pyproject.toml).
# The tests that drive a real browser, server or container wait for it with
# bounded timeouts; two of them at once on a 2-core machine missed their waits.
# So they form one unit of work that one worker runs in turn, started first
# (it is the longest), while the other workers take the remaining files.

#: Test files that run one after another in a single worker.
SERIAL_FILES = ("_browser.py", "tests/deploy/")
SERIAL_UNIT = "serial: browser, server and container tests"
#: Files of few tests but long, handed out right after the serial unit so that they run
#: beside it: xdist orders files by their number of tests, and the gate's bounded fuzz
#: (3 tests, LEARN_FUZZ_SECONDS, 60 s in CI) came last and ran 40 s alone after the rest.
EARLY_FILES = ("tests/reading/test_fuzz.py",)

try:
    from xdist.scheduler import LoadScopeScheduling
except ImportError:  # pragma: no cover - xdist is in requirements-dev.txt
    LoadScopeScheduling = None

if LoadScopeScheduling is not None:

    class _SerialBrowserScheduling(LoadScopeScheduling):
        """Whole files as units of work, the serial files together as one unit handed out first."""

        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            if any(part in path for part in SERIAL_FILES):
                return SERIAL_UNIT
            return path

        def _assign_work_unit(self, node) -> None:
            for unit in (*reversed(EARLY_FILES), SERIAL_UNIT):  # the serial unit first, then the early files
                if unit in self.workqueue:
                    self.workqueue.move_to_end(unit, last=False)
            super()._assign_work_unit(node)

    def pytest_xdist_make_scheduler(config, log):
        return _SerialBrowserScheduling(config, log)
