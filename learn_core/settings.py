"""The settings registry: every setting of the dashboard declared once
(``data/settings.toml``: name, type, default, bounds, help in German and
English, whether an administrator may lock it), and one reading of them.

A value comes from the environment variable of the setting's name, else from
the server configuration file named by ``LEARN_CONFIG_FILE`` (TOML: a
``[settings]`` table with the same names, and ``locked = [...]``), else the
default. An administrator locks a lockable setting by naming it in
``LEARN_LOCKED`` (comma-separated) or in the file's ``locked`` list: the UI
then shows its value and cannot change it. Settings that only the server
configuration sets (the floor of k, uploads, workshops, …) are never offered
in the UI at all.

Nothing is read at import: :func:`read_settings` reads the environment and the file
when it is called (the shell calls it once per server process, the command
line once per run) and returns a frozen :class:`Settings`.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from learn_core.errors import LearnError, Number, Phrase, file_reason, shown, toml_place

__all__ = ["SettingError", "Setting", "Settings", "read_settings", "registry"]

_TYPES = ("int", "number", "bool", "text", "url", "choice")
_TRUE, _FALSE = ("1", "true", "yes", "on", "ja"), ("0", "false", "no", "off", "nein")


class SettingError(LearnError, ValueError):
    """A setting has a value it may not have, or the configuration file is unusable
    (a code of ``errors.settings``, in German or English)."""


@dataclass(frozen=True)
class Setting:
    """One declared setting."""

    name: str
    type: str
    default: object
    de: str
    en: str
    scope: str = "server"
    lockable: bool = False
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()

    def help(self, lang: str = "de") -> str:
        return self.en if lang == "en" else self.de

    def convert(self, raw: object, origin: Phrase) -> object:
        """``raw`` (text from the environment, or a TOML value) as this setting's
        type, checked against its bounds; ``origin`` says where it was given
        (``errors.settings.origin_*``).

        Raises
        ------
        SettingError
            naming the setting, its value, where it came from and what is allowed.
        """
        text = raw.strip() if isinstance(raw, str) else raw
        if self.type in ("int", "number"):
            return self._number(text, origin)
        if self.type == "bool":
            if isinstance(text, bool):
                return text
            if isinstance(text, str) and text.lower() in _TRUE + _FALSE:
                return text.lower() in _TRUE
            raise self._error(raw, origin, Phrase("errors.settings.rule_bool"))
        if not isinstance(text, str):
            raise self._error(raw, origin, Phrase("errors.settings.rule_text"))
        if self.type == "choice" and text not in self.choices:
            raise self._error(raw, origin, Phrase("errors.settings.rule_choice", {"choices": ", ".join(self.choices)}))
        if self.type == "url" and text:
            parts = urlsplit(text)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise self._error(raw, origin, Phrase("errors.settings.rule_url"))
            text = text.rstrip("/")
        return text

    def _number(self, text: object, origin: Phrase) -> int | float:
        rule = Phrase("errors.settings.rule_int" if self.type == "int" else "errors.settings.rule_number",
                      {"low": _bound(self.min), "high": _bound(self.max)})
        try:
            if isinstance(text, bool):
                raise ValueError
            value = float(text) if isinstance(text, str | int | float) else math.nan
        except ValueError:
            value = math.nan
        if math.isnan(value) or (self.type == "int" and not value.is_integer()):
            raise self._error(text, origin, rule)
        if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
            raise self._error(text, origin, rule)
        return int(value) if self.type == "int" else value

    def _error(self, raw: object, origin: Phrase, rule: Phrase) -> SettingError:
        return SettingError(code="errors.settings.bad_value",
                            params={"name": self.name, "rule": rule, "origin": origin, "value": shown(repr(raw), 80)})


def _bound(value: float | None) -> object:
    """A declared bound as an error param: a whole number as an int, else with its own decimals."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return int(value)
    return Number(value, len(repr(float(value)).partition(".")[2]))


@cache
def registry() -> Mapping[str, Setting]:
    """Every declared setting by name, in the order of ``data/settings.toml``
    (package data, read once; it is checked when loaded).

    Raises
    ------
    ValueError
        for a declaration with an unknown type, a default outside its bounds
        or a lock on a setting declared not lockable.
    """
    raw = tomllib.loads((Path(__file__).parent / "data" / "settings.toml").read_text("utf-8"))
    found: dict[str, Setting] = {}
    for entry in raw["setting"]:
        s = Setting(name=entry["name"], type=entry["type"], default=entry["default"], de=entry["de"],
                    en=entry["en"], scope=entry.get("scope", "server"), lockable=bool(entry.get("lockable")),
                    min=entry.get("min"), max=entry.get("max"), choices=tuple(entry.get("choices", ())))
        if s.type not in _TYPES or s.scope not in ("server", "test") or s.name in found:
            raise ValueError(f"settings.toml: {s.name} is declared wrongly (type, scope or a second time)")
        if s.convert(s.default, Phrase("errors.settings.origin_default")) != s.default:
            raise ValueError(f"settings.toml: the default of {s.name} is not of its type")
        found[s.name] = s
    return MappingProxyType(found)


@dataclass(frozen=True)
class Settings:
    """The values of every setting and which of them the administrator locked."""

    values: Mapping[str, object]
    locked: frozenset[str] = frozenset()

    def __getitem__(self, name: str) -> object:
        return self.values[name]

    def is_locked(self, name: str) -> bool:
        return name in self.locked

    def integer(self, name: str) -> int:
        """The value of the setting ``name`` as an int (its type is "int" or a whole "number").

        Raises
        ------
        TypeError
            when the setting's value is not a whole number (a setting of another type).
        """
        value = self.values[name]
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"the setting {name} is not a whole number: {value!r}")
        return value

    def text(self, name: str) -> str:
        """The value of the setting ``name`` (of type "text", "url" or "choice") as a str.

        Raises
        ------
        TypeError
            when the setting's value is not a str (a setting of another type).
        """
        value = self.values[name]
        if not isinstance(value, str):
            raise TypeError(f"the setting {name} is not a text: {value!r}")
        return value

    def number(self, name: str) -> float:
        """The value of the setting ``name`` (of type "int" or "number") as a float.

        Raises
        ------
        TypeError
            when the setting's value is not a number (a setting of another type).
        """
        value = self.values[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"the setting {name} is not a number: {value!r}")
        return float(value)

    @property
    def min_group_size(self) -> int:
        """The default k: the configured one, never below the floor."""
        return max(self.integer("LEARN_MIN_GROUP_SIZE"), self.k_floor)

    @property
    def k_floor(self) -> int:
        return self.integer("LEARN_MIN_GROUP_SIZE_FLOOR")

    def comment_min_group(self, k: int) -> int:
        """The comment threshold for an analysis with ``k``: LEARN_COMMENT_MIN_GROUP, never below k."""
        return max(self.integer("LEARN_COMMENT_MIN_GROUP"), int(k))

    def allowed_k(self, k: int) -> int:
        """The k a user may have: ``k`` raised to the floor, or the locked k."""
        if self.is_locked("LEARN_MIN_GROUP_SIZE"):
            return self.min_group_size
        return max(int(k), self.k_floor)


def _config_file(path: str) -> dict:
    if not path:
        return {}
    try:
        data = tomllib.loads(Path(path).read_text("utf-8"))
    except OSError as exc:
        raise SettingError(code="errors.settings.unreadable_file",
                           params={"path": path, "reason": file_reason(exc)}) from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingError(code="errors.settings.not_toml", params={"path": path, "reason": toml_place(exc)}) from None
    except UnicodeDecodeError:
        raise SettingError(code="errors.settings.not_toml",
                           params={"path": path, "reason": Phrase("errors.phrase.not_utf8")}) from None
    unknown = set(data) - {"settings", "locked"}
    if unknown or not isinstance(data.get("settings", {}), dict) or not isinstance(data.get("locked", []), list):
        raise SettingError(code="errors.settings.file_shape", params={"path": path})
    return data


def read_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read every server and test setting from ``environ`` (default
    ``os.environ``) and the configuration file it names.

    Raises
    ------
    SettingError
        for an unknown or bad value, an unreadable configuration file or a
        lock on a setting that cannot be locked.
    """
    env = os.environ if environ is None else environ
    reg = registry()
    path = env.get("LEARN_CONFIG_FILE", "").strip()
    config = _config_file(path)
    in_file = config.get("settings", {})
    for name in in_file:
        if name not in reg or name == "LEARN_CONFIG_FILE":
            raise SettingError(code="errors.settings.unknown_setting", params={"path": path, "name": shown(name, 60)})
    values: dict[str, object] = {}
    for name, s in reg.items():
        raw = env.get(name)
        if raw is not None and raw.strip():
            values[name] = s.convert(raw, Phrase("errors.settings.origin_environment"))
        elif name in in_file:
            values[name] = s.convert(in_file[name], Phrase("errors.settings.origin_file", {"path": path}))
        else:
            values[name] = s.default
    locked = {n.strip() for n in str(values["LEARN_LOCKED"]).split(",") if n.strip()}
    locked |= {str(n) for n in config.get("locked", [])}
    for name in sorted(locked):
        if name not in reg or not reg[name].lockable:
            lockable = ", ".join(n for n, s in reg.items() if s.lockable)
            raise SettingError(code="errors.settings.not_lockable", params={"name": shown(name, 60), "lockable": lockable})
    return Settings(MappingProxyType(values), frozenset(locked))
