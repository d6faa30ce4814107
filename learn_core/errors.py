"""The reader's one error type (a module of its own, so that every part of
the reader can raise it without importing the others)."""

from __future__ import annotations

__all__ = ["ReadError"]


class ReadError(ValueError):
    """The file cannot be used; the message is one German sentence for the user."""
