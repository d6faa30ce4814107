"""The errors of learn_core that a user's input can cause (a module of its
own, so that every part can raise them without importing the others).

Every error of the package is a :class:`LearnError`. It carries a ``code``, the
key of its sentence in ``data/texts.toml`` (``errors.read.empty_file``), and
``params``, the values the sentence names; :meth:`LearnError.message` renders
it in a language. ``str(exc)`` is the German sentence. An error raised with a
plain message and no code (``LearnError("…")``) shows that message in every
language: the fallback for sentences not yet given a code.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["LearnError", "Number", "Phrase", "PrivacyError", "ReadError", "Wording", "WorkshopError", "file_reason",
           "render_param", "render_text", "shown", "toml_place"]


@dataclass(frozen=True)
class Number:
    """A number in an error sentence with a fixed count of decimals (a plain
    ``float`` param is shown with one decimal, an ``int`` with none)."""

    value: float
    decimals: int = 1


@dataclass(frozen=True)
class Phrase:
    """A part of an error sentence that is itself a text of ``data/texts.toml``
    (``errors.phrase.*``), rendered in the sentence's language."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        """The phrase in ``lang`` with its params filled in."""
        return _text(self.code, lang, self.params)


@dataclass(frozen=True)
class Wording:
    """A part of a sentence given in both languages by a data file (an own
    instrument's dimension name), not by ``data/texts.toml``."""

    de: str
    en: str


def render_text(code: str, lang: str, params: Mapping[str, object]) -> str:
    """The text ``code`` of ``data/texts.toml`` in ``lang`` with ``params``
    filled in by :func:`render_param`."""
    return _text(code, lang, params)


def _text(code: str, lang: str, params: Mapping[str, object]) -> str:
    from learn_core.i18n import texts  # i18n's TextsError is a LearnError: import when rendering

    return texts()[code]["en" if lang == "en" else "de"].format(
        **{k: render_param(v, lang) for k, v in params.items()})


def _quoted(text: str, lang: str) -> str:
    return f"“{text}”" if lang == "en" else f"„{text}“"


def render_param(value: object, lang: str) -> str:
    """One param as it stands in a sentence of ``lang``: numbers in the
    language's format, a list or tuple as its quoted items joined by commas,
    anything else as its text."""
    from learn_core.i18n import (  # i18n's TextsError is a LearnError: import when rendering
        fmt_int,
        fmt_number,
    )

    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return fmt_int(value, lang)
    if isinstance(value, float):
        return fmt_number(value, 1, lang)
    if isinstance(value, Number):
        return fmt_number(value.value, value.decimals, lang)
    if isinstance(value, Phrase):
        return value.render(lang)
    if isinstance(value, Wording):
        return value.en if lang == "en" else value.de
    if isinstance(value, LearnError):
        return value.message(lang)
    if isinstance(value, list | tuple):
        return ", ".join(_quoted(str(v), lang) for v in value)
    return str(value)


class LearnError(Exception):
    """An error of learn_core; its sentence is the text ``code`` with ``params``
    filled in, in the language the caller asks for.

    Parameters
    ----------
    message
        the German sentence of an error that has no code yet (shown as it is
        in every language); ignored when ``code`` is given.
    code
        key of the sentence in ``data/texts.toml`` (under ``errors.``).
    params
        the values of the sentence's ``{placeholders}``.
    """

    def __init__(self, message: str | None = None, *, code: str | None = None,
                 params: Mapping[str, object] | None = None) -> None:
        self.code = code
        self.params = dict(params or {})
        self.plain = message or ""
        super().__init__(self.message("de"))

    @classmethod
    def like(cls, other: BaseException) -> LearnError:
        """An error of this class with the sentence of ``other`` (its code and
        params, or its plain message; another error's text): a stage passes an
        error on as its own."""
        if isinstance(other, LearnError):
            return cls(other.plain, code=other.code, params=other.params)
        return cls(str(other))

    def message(self, lang: str = "de") -> str:
        """The sentence in ``lang`` ("de" or "en"); the plain message when the error has no code."""
        if self.code is None:
            return self.plain
        return _text(self.code, lang, self.params)

    def __str__(self) -> str:
        return self.message("de")

    def __reduce__(self):  # crosses the process boundary of the limited parse with its code and params
        return _rebuild, (type(self), self.plain, self.code, self.params), self.__dict__


def _rebuild(cls: type[LearnError], plain: str, code: str | None, params: dict[str, object]) -> LearnError:
    """A pickled error again, without calling a subclass's own ``__init__``
    (the pickled ``__dict__`` brings the subclass's attributes back)."""
    exc = cls.__new__(cls)
    LearnError.__init__(exc, plain, code=code, params=params)
    return exc


class ReadError(LearnError, ValueError):
    """The file cannot be used; the message is one sentence for the user."""


class PrivacyError(LearnError, ValueError):
    """A figure of a hidden group (or an unreported organisation) was asked for."""


class WorkshopError(LearnError):
    """A workshop store or room call failed because of the user's input or the database."""


def shown(value: object, limit: int = 20) -> str:
    """Text from a file as it may stand in an error sentence: control
    characters (line breaks among them) as spaces, at most ``limit`` characters."""
    text = "".join(" " if ch < " " or ch == "\x7f" else ch for ch in str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


_READ_REASONS: dict[int | None, str] = {
    errno.ENOENT: "errors.phrase.no_such_file",
    errno.EISDIR: "errors.phrase.is_folder",
    errno.EACCES: "errors.phrase.no_read_permission",
    errno.EPERM: "errors.phrase.no_read_permission",
}


def file_reason(exc: OSError) -> Phrase:
    """Why a file cannot be opened for reading, as a part of an error sentence."""
    return Phrase(_READ_REASONS.get(exc.errno, "errors.phrase.read_failure"))


_TOML_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)$")


def toml_place(exc: Exception) -> Phrase:
    """Where a TOML file breaks (tomllib's error), as a part of an error
    sentence: its line and column, or the end of the file."""
    found = _TOML_PLACE.search(str(exc))
    if found is None:
        return Phrase("errors.phrase.toml_end")
    return Phrase("errors.phrase.toml_at", {"line": int(found[1]), "column": int(found[2])})
