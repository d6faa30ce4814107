"""The live workshop: the store of workshops, answers and dot votes
(:mod:`.store`, SQLite or PostgreSQL) and what the workshop pages compute
from it (:mod:`.room`: join link, QR code, answers, dots, the room's
results)."""

from learn_core.workshop.store import (
    CODE_ALPHABET,
    CODE_LENGTH,
    DATA_DIR_ENV,
    GROUP_COLUMN,
    SCHEMA_VERSION,
    StoreSchemaError,
    Workshop,
    WorkshopClosedError,
    WorkshopInfo,
    WorkshopStore,
)

__all__ = [
    "CODE_ALPHABET", "CODE_LENGTH", "DATA_DIR_ENV", "GROUP_COLUMN", "SCHEMA_VERSION",
    "StoreSchemaError", "Workshop", "WorkshopClosedError", "WorkshopInfo", "WorkshopStore",
]  # fmt: skip
