"""The process's memo of workshop facts and released results
(learn_core/workshop/memo.py): what the polling phones read instead of the store."""

from __future__ import annotations

import threading
import time

import pytest

from learn_core.workshop.memo import RoomMemo, phone_phase


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def counting(answers: list):
    """A reader that returns the next of ``answers`` and records each call."""
    calls: list[str] = []

    def read(code: str):
        calls.append(code)
        return answers[len(calls) - 1]

    return read, calls


def test_state_is_read_once_per_ttl_and_again_after_it():
    clock = Clock()
    memo = RoomMemo(ttl=0.25, clock=clock)
    read, calls = counting(["first", "second"])
    assert memo.state("ABC", read) == "first"
    clock.now += 0.24  # still inside the ttl: from memory
    assert memo.state("ABC", read) == "first"
    assert calls == ["ABC"]
    clock.now += 0.01  # exactly ttl after the read: read again
    assert memo.state("ABC", read) == "second"
    assert calls == ["ABC", "ABC"]


def test_state_per_code_and_a_failed_read_is_kept_for_the_ttl():
    clock = Clock()
    memo = RoomMemo(ttl=1.0, clock=clock)
    read, calls = counting([None, "other", "back"])
    assert memo.state("AAA", read) is None  # the store could not be read
    assert memo.state("BBB", read) == "other"
    assert memo.state("AAA", read) is None  # not asked again within the ttl
    clock.now += 1.0
    assert memo.state("AAA", read) == "back"
    assert calls == ["AAA", "BBB", "AAA"]


def test_state_ttl_zero_reads_every_time():
    memo = RoomMemo(ttl=0.0, clock=Clock())
    read, calls = counting(["a", "b", "c"])
    assert [memo.state("X", read) for _ in range(3)] == ["a", "b", "c"]
    assert len(calls) == 3


def test_state_keeps_at_most_max_codes():
    clock = Clock()
    memo = RoomMemo(ttl=10.0, max_codes=2, clock=clock)
    read, calls = counting(["a1", "b1", "c1", "a2"])
    memo.state("A", read)
    memo.state("B", read)
    memo.state("C", read)  # A, the least recently used, goes
    assert memo.state("B", read) == "b1" and memo.state("C", read) == "c1"
    assert memo.state("A", read) == "a2"
    assert calls == ["A", "B", "C", "A"]


def test_results_computed_once_per_key_and_the_same_object_for_everyone():
    memo = RoomMemo()
    made: list[tuple] = []

    def compute(key):
        def run():
            made.append(key)
            return {"key": key}
        return run

    first = memo.results(("W", 1), compute(("W", 1)))
    assert memo.results(("W", 1), compute(("W", 1))) is first
    assert memo.results(("W", 2), compute(("W", 2))) == {"key": ("W", 2)}  # a new snapshot: new results
    assert made == [("W", 1), ("W", 2)]


def test_results_none_is_kept_too():
    memo = RoomMemo()
    calls = []
    assert memo.results("k", lambda: calls.append(1)) is None
    assert memo.results("k", lambda: calls.append(1)) is None
    assert calls == [1]


def test_results_exception_reaches_the_caller_and_nothing_is_kept():
    memo = RoomMemo()

    def broken():
        raise RuntimeError("store gone")

    with pytest.raises(RuntimeError, match="store gone"):
        memo.results("k", broken)
    assert memo.results("k", lambda: 7) == 7


def test_results_keeps_at_most_max_results():
    memo = RoomMemo(max_results=2)
    calls = []
    for key in ("a", "b", "c", "a"):
        memo.results(key, lambda key=key: calls.append(key) or key)
    assert calls == ["a", "b", "c", "a"]  # "a" was dropped when "c" came


def test_concurrent_callers_wait_for_one_computation():
    memo = RoomMemo()
    started, release = threading.Event(), threading.Event()
    calls = []

    def slow():
        calls.append(1)
        started.set()
        release.wait(5)
        return "done"

    out = []
    threads = [threading.Thread(target=lambda: out.append(memo.results("k", slow))) for _ in range(8)]
    threads[0].start()
    started.wait(5)
    for t in threads[1:]:
        t.start()
    time.sleep(0.05)  # let the others reach the lock (no timing is asserted)
    release.set()
    for t in threads:
        t.join(5)
    assert out == ["done"] * 8 and calls == [1]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"ttl": -1}, "ttl"), ({"max_codes": 0}, "max_codes"), ({"max_results": 0}, "max_results")])
def test_bad_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        RoomMemo(**kwargs)


def facts(revealed=False, seq=0, closed=False):
    """The parts of a WorkshopInfo that a phone's page shows (phone_phase reads only these)."""
    from types import SimpleNamespace

    return SimpleNamespace(revealed=revealed, snapshot_seq=seq, closed=closed)


def test_phone_phase_is_revealed_snapshot_closed():
    assert phone_phase(facts(True, 3, False)) == (True, 3, False)
