"""The errors of the workshop store and its input checks, each a
:class:`~learn_core.errors.WorkshopError` with a code of
``data/texts.toml`` (``errors.workshop.*``), so a page shows the actual
problem in its language and catches nothing but these.

Each keeps the builtin class callers test for (an unknown code is a
KeyError, wrong input a ValueError, a wrong key a PermissionError), but a
builtin error that is not one of these is a bug and is not caught by the
pages (:data:`learn_core.workshop.room.STORE_ERRORS`).
"""

from __future__ import annotations

from learn_core.errors import WorkshopError

__all__ = [
    "StoreConflictError", "StoreDatabaseError", "StoreSchemaError", "StoreSettingError", "StoreUnavailableError",
    "UnknownWorkshopError", "WorkshopClosedError", "WorkshopInputError", "WorkshopKeyError",
]  # fmt: skip


class UnknownWorkshopError(WorkshopError, KeyError):
    """There is no workshop with the code (or the code cannot be one)."""


class WorkshopKeyError(WorkshopError, PermissionError):
    """The admin key does not fit the workshop."""


class WorkshopClosedError(WorkshopError, PermissionError):
    """The workshop is closed and accepts no answers or votes."""


class WorkshopInputError(WorkshopError, ValueError):
    """What a facilitator or participant gave is not valid (title, groups,
    dots, answers, votes, an address …); nothing is stored."""


class StoreSettingError(WorkshopError, ValueError):
    """The store's database URL names a database it does not support or is no URL."""


class StoreSchemaError(WorkshopError, RuntimeError):
    """The database holds the tables of a schema version this code does not know."""


class StoreUnavailableError(WorkshopError, OSError):
    """The database file was deleted or replaced while the server runs:
    nothing is read from it or acknowledged until the server is restarted."""


class StoreDatabaseError(WorkshopError):
    """The database refused or failed a read or write (unreachable, read-only,
    locked too long, a broken file …), or its folder cannot be made; the
    driver's error is the ``__cause__``. Nothing of the call was stored."""


class StoreConflictError(StoreDatabaseError):
    """A write broke a constraint of the tables (for a new workshop: its
    drawn code is taken, so the store draws another)."""
