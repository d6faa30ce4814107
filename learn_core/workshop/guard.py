"""A rate limit for join attempts with wrong workshop codes.

A code has 6 characters of 31 (about 8.9 × 10⁸ codes); without a limit a
script could try codes until one fits. :class:`JoinGuard` lets each key
(a browser session, a client address) fail ``free`` times, then makes it
wait before the next try, twice as long after each further failure (up to
``max_wait`` seconds). Failures older than ``window`` seconds are forgotten.
Thread-safe; the clock is injectable for tests.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = ["JoinGuard"]


@dataclass
class _Record:
    failures: int
    last: float


class JoinGuard:
    """Failed join attempts per key, with exponential waiting.

    Parameters
    ----------
    free
        failures allowed before waiting starts (≥ 0).
    first_wait, max_wait
        seconds of the first wait and the longest one.
    window
        seconds after the last failure when a key's record is forgotten.
    max_keys
        records kept at most (the oldest go first), so the memory is bounded.
    clock
        seconds, monotonic (default :func:`time.monotonic`).

    Raises
    ------
    ValueError
        for a negative ``free``, waits that are not positive or a ``max_wait``
        below ``first_wait``.
    """

    def __init__(self, *, free: int = 5, first_wait: float = 2.0, max_wait: float = 300.0,
                 window: float = 900.0, max_keys: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        if free < 0 or first_wait <= 0 or max_wait < first_wait or window <= 0 or max_keys < 1:
            raise ValueError("invalid join-attempt limits (free ≥ 0, 0 < first_wait ≤ max_wait, window > 0, max_keys ≥ 1)")
        self.free, self.first_wait, self.max_wait, self.window = free, first_wait, max_wait, window
        self._max_keys, self._clock = max_keys, clock
        self._records: OrderedDict[str, _Record] = OrderedDict()
        self._lock = threading.Lock()

    def _live(self, key: str, now: float) -> _Record | None:
        record = self._records.get(key)
        if record is not None and now - record.last > self.window:
            del self._records[key]
            return None
        return record

    def _wait_of(self, record: _Record | None, now: float) -> float:
        if record is None or record.failures <= self.free:
            return 0.0
        wait = min(self.max_wait, self.first_wait * 2 ** (record.failures - self.free - 1))
        return max(0.0, record.last + wait - now)

    def wait(self, keys: Iterable[str]) -> float:
        """Seconds until the next attempt of any of ``keys`` is allowed (0: now)."""
        with self._lock:
            now = self._clock()
            return max((self._wait_of(self._live(k, now), now) for k in keys), default=0.0)

    def failed(self, keys: Iterable[str]) -> int:
        """Record a failed attempt for each of ``keys``; returns the highest
        failure count among them (for the log)."""
        with self._lock:
            now, most = self._clock(), 0
            for key in keys:
                record = self._live(key, now) or _Record(0, now)
                record.failures, record.last = record.failures + 1, now
                self._records[key] = record
                self._records.move_to_end(key)
                most = max(most, record.failures)
            while len(self._records) > self._max_keys:
                self._records.popitem(last=False)
            return most

    def succeeded(self, keys: Iterable[str]) -> None:
        """Forget the failures of ``keys`` (a right code)."""
        with self._lock:
            for key in keys:
                self._records.pop(key, None)
