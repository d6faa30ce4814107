"""The rate limit for wrong workshop codes (learn_core/workshop/guard.py), on a fake clock."""

from __future__ import annotations

import threading

import pytest

from learn_core.workshop.guard import JoinGuard


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


# failures → seconds to wait right after the last one (free 3, first wait 2 s, at most 10 s)
@pytest.mark.parametrize(("failures", "wait"), [(0, 0), (1, 0), (3, 0), (4, 2), (5, 4), (6, 8), (7, 10), (20, 10)])
def test_waiting_doubles_after_the_free_failures(clock, failures, wait):
    guard = JoinGuard(free=3, first_wait=2, max_wait=10, clock=clock)
    for _ in range(failures):
        guard.failed(["s"])
    assert guard.wait(["s"]) == wait
    clock.now += wait
    assert guard.wait(["s"]) == 0  # after the wait, one more try


def test_keys_are_separate_and_the_strictest_counts(clock):
    guard = JoinGuard(free=1, first_wait=5, clock=clock)
    assert guard.failed(["session-a", "ip-1"]) == 1
    assert guard.failed(["session-a", "ip-1"]) == 2
    assert guard.wait(["session-b"]) == 0
    assert guard.wait(["session-b", "ip-1"]) == 5  # another session from the same address waits too
    guard.succeeded(["session-a"])
    assert guard.wait(["session-a"]) == 0 and guard.wait(["ip-1"]) == 5


def test_old_failures_are_forgotten(clock):
    guard = JoinGuard(free=0, first_wait=1, window=60, clock=clock)
    guard.failed(["s"])
    guard.failed(["s"])
    clock.now += 61
    assert guard.wait(["s"]) == 0
    assert guard.failed(["s"]) == 1  # counting starts again


def test_memory_is_bounded(clock):
    guard = JoinGuard(free=0, max_keys=100, clock=clock)
    for i in range(1000):
        guard.failed([f"k{i}"])
    assert len(guard._records) == 100 and "k999" in guard._records and "k0" not in guard._records


def test_threads_count_every_failure(clock):
    guard = JoinGuard(free=1000, clock=clock)
    threads = [threading.Thread(target=lambda: [guard.failed(["s"]) for _ in range(100)]) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert guard.failed(["s"]) == 801


@pytest.mark.parametrize("kwargs", [{"free": -1}, {"first_wait": 0}, {"first_wait": 5, "max_wait": 4},
                                    {"window": 0}, {"max_keys": 0}])  # fmt: skip
def test_bad_limits(kwargs):
    with pytest.raises(ValueError, match="invalid join-attempt limits"):
        JoinGuard(**kwargs)
