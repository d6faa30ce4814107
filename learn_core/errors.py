"""The errors of learn_core that a user's input can cause (a module of its
own, so that every part can raise them without importing the others)."""

from __future__ import annotations

__all__ = ["PrivacyError", "ReadError", "shown"]


class ReadError(ValueError):
    """The file cannot be used; the message is one German sentence for the user."""


class PrivacyError(ValueError):
    """A figure of a hidden group (or an unreported organisation) was asked for."""


def shown(value: object, limit: int = 20) -> str:
    """Text from a file as it may stand in an error sentence: control
    characters (line breaks among them) as spaces, at most ``limit`` characters."""
    text = "".join(" " if ch < " " or ch == "\x7f" else ch for ch in str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"
