"""The live workshop: the store of workshops, answers and dot votes
(:mod:`.store`, SQLite or PostgreSQL, tables and migrations in
:mod:`.schema`, input checks in :mod:`.checks`, their errors in :mod:`.errors`), what may leave it and when
(:mod:`.disclosure`: reveal snapshots, the export) and what the workshop
pages compute from it (:mod:`.room`: join link, QR code, answers, dots, the
room's results)."""

from learn_core.workshop.disclosure import Reveal
from learn_core.workshop.errors import (
    StoreConflictError,
    StoreDatabaseError,
    StoreSchemaError,
    StoreSettingError,
    StoreUnavailableError,
    UnknownWorkshopError,
    WorkshopClosedError,
    WorkshopInputError,
    WorkshopKeyError,
)
from learn_core.workshop.store import (
    CODE_ALPHABET,
    CODE_LENGTH,
    DATA_DIR_ENV,
    GROUP_COLUMN,
    SCHEMA_VERSION,
    Workshop,
    WorkshopInfo,
    WorkshopStore,
)

__all__ = [
    "CODE_ALPHABET", "CODE_LENGTH", "DATA_DIR_ENV", "GROUP_COLUMN", "SCHEMA_VERSION", "Reveal",
    "StoreConflictError", "StoreDatabaseError", "StoreSchemaError", "StoreSettingError", "StoreUnavailableError",
    "UnknownWorkshopError", "Workshop", "WorkshopClosedError", "WorkshopInfo", "WorkshopInputError",
    "WorkshopKeyError", "WorkshopStore",
]  # fmt: skip
