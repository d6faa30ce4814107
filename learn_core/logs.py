"""Structured server logs: one JSON object a line for the loggers of
``learn_core`` and the shell (setting ``LEARN_LOG_FORMAT=json``), for a
Verwaltung's log collector. The messages name refusals and store errors
and their reasons; they hold no answers, workshop codes, participant ids or
file contents (the places that log take care of that)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

__all__ = ["LOGGERS", "JsonFormatter", "configure"]

#: The loggers whose records are ours.
LOGGERS = ("learn_core", "pages")


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message"}`` (and ``"error"``, the
    exception's class, when one is attached), one line a record."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
        return json.dumps(entry, ensure_ascii=False)


def configure(fmt: str, stream=None) -> logging.Handler | None:
    """With ``fmt == "json"``: our loggers write JSON lines to ``stream``
    (default stderr) from level INFO on, and no longer pass records on to
    the root logger. Returns the handler (None for ``"text"``: the default
    logging stays as it is). Calling it again replaces the handler."""
    if fmt != "json":
        return None
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.set_name("learn-json")
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if h.get_name() == "learn-json"]:
            logger.removeHandler(old)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return handler
