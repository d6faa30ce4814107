"""Jobs for the isolation tests that misbehave on purpose, in a module of
their own so that a helper process can import them by name."""

from __future__ import annotations

import os
import time

from learn_core.errors import ReadError


def spin() -> None:
    while True:
        pass


def sleep(seconds: float) -> None:
    time.sleep(seconds)


def grab(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def abort() -> None:
    os.abort()


def refuse(sentence: str) -> None:
    raise ReadError(sentence)


def limits_seen() -> tuple:
    import resource

    return resource.getrlimit(resource.RLIMIT_CORE), resource.getrlimit(resource.RLIMIT_CPU), os.getpid()


def echo(value):
    return value


def kind(checked) -> str:
    return checked.kind
