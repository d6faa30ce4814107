"""What a server's phones and presenter views read over and over, held once
for all of them: a workshop's public facts (read from the store at most once
per ``ttl``) and the room's released results (computed once per snapshot).

Every phone polls the workshop's state about once a second and redraws the
room's results after each reveal; with 60 phones that is 60 reads a second
and 60 copies of the same results. One :class:`RoomMemo` per server process
(the UI holds it) answers them from memory, without copying: what it holds
is the same for everyone with the code (:class:`WorkshopInfo`, results of at
least k answers) and no one may change it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from learn_core.workshop.store import WorkshopInfo

__all__ = ["RoomMemo", "phone_phase"]


class RoomMemo:
    """A bounded, thread-safe memo of workshop facts and released results.

    Parameters
    ----------
    ttl
        seconds a workshop's facts are answered from memory before the next
        caller reads them again (a reveal reaches the pollers within this).
    max_codes, max_results
        how many workshops' facts and how many results are kept (least
        recently used go first).
    clock
        the time source (monotonic seconds), replaceable in tests.

    Raises
    ------
    ValueError
        for a negative ``ttl`` or a bound below 1.
    """

    def __init__(self, ttl: float = 0.25, max_codes: int = 256, max_results: int = 64,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        if ttl < 0:
            raise ValueError(f"ttl must not be negative, got {ttl!r}")
        if max_codes < 1 or max_results < 1:
            raise ValueError(f"max_codes and max_results must be at least 1, got {max_codes!r}, {max_results!r}")
        self.ttl, self._max_codes, self._max_results, self._clock = ttl, max_codes, max_results, clock
        self._facts: OrderedDict[str, tuple[float, WorkshopInfo | None]] = OrderedDict()
        self._results: OrderedDict[Hashable, object] = OrderedDict()
        self._facts_lock = threading.Lock()
        self._results_lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def state(self, code: str, read: Callable[[str], WorkshopInfo | None]) -> WorkshopInfo | None:
        """The facts of workshop ``code``: ``read(code)`` when the last read is
        older than ``ttl`` (one caller reads, the others get its answer),
        else the last answer. ``read`` returns None when the store cannot be
        read; None is kept for ``ttl`` too, so a failing store is not hammered."""
        with self._facts_lock:
            now = self._clock()
            held = self._facts.get(code)
            if held is not None and now - held[0] < self.ttl:
                self._facts.move_to_end(code)
                return held[1]
            info = read(code)
            self._facts[code] = (self._clock(), info)
            self._facts.move_to_end(code)
            while len(self._facts) > self._max_codes:
                self._facts.popitem(last=False)
            return info

    def results(self, key: Hashable, compute: Callable[[], object]) -> object:
        """``compute()`` once per ``key`` (e.g. workshop, snapshot, k, title,
        language), the same object to every later caller; callers of a key
        being computed wait for that computation instead of repeating it. An
        exception of ``compute`` reaches its caller and nothing is kept."""
        with self._results_lock:
            if key in self._results:
                self._results.move_to_end(key)
                return self._results[key]
            lock = self._computing.setdefault(key, threading.Lock())
        with lock:
            with self._results_lock:
                if key in self._results:
                    return self._results[key]
            try:
                value = compute()
            except BaseException:
                with self._results_lock:
                    self._computing.pop(key, None)
                raise
            with self._results_lock:  # kept before the lock goes: a later caller finds the value
                self._results[key] = value
                self._computing.pop(key, None)
                while len(self._results) > self._max_results:
                    self._results.popitem(last=False)
            return value


def phone_phase(info: WorkshopInfo) -> tuple[bool, int, bool]:
    """What a phone's page shows of a workshop's state: revealed, which
    snapshot, closed. A change of it means a new page on the phone."""
    return info.revealed, info.snapshot_seq, info.closed
