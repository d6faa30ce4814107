"""The errors of learn_core that a user's input can cause (a module of its
own, so that every part can raise them without importing the others)."""

from __future__ import annotations

__all__ = ["PrivacyError", "ReadError"]


class ReadError(ValueError):
    """The file cannot be used; the message is one German sentence for the user."""


class PrivacyError(ValueError):
    """A figure of a hidden group (or an unreported organisation) was asked for."""
