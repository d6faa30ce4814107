"""Parsing in a limited child: a child that dies, spins, sleeps or grabs
memory costs one German sentence, never the calling process; documented
errors come back as they were raised; the helper pool of a threaded server
keeps serving other callers throughout and replaces a helper that died."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from learn_core import i18n
from learn_core.errors import ReadError
from learn_core.reading import isolation
from learn_core.reading.isolation import UNSAFE, Limits, ParserPool, UnsafeFileError
from tests.reading import isolation_tasks as tasks

#: CPU time 1 s, but wall-clock time to spare: the machine may be busy
SMALL = Limits(memory_mb=256, cpu_seconds=1, timeout_seconds=60.0, workers=2)
#: a short wall-clock limit, CPU time to spare
HASTY = Limits(memory_mb=256, cpu_seconds=60, timeout_seconds=2.0, workers=1)


@pytest.fixture(scope="module")
def pool():
    p = ParserPool(SMALL)
    yield p
    p.close()


MISBEHAVING = {
    # name: (job, limits, reason the log gets)
    "abort": ((tasks.abort,), SMALL, "SIGABRT"),
    "CPU time": ((tasks.spin,), SMALL, "SIGXCPU (CPU time limit)"),
    "wall-clock time": ((tasks.sleep, 60), HASTY, "no result after 2 s"),
    "memory": ((tasks.grab, 1024), SMALL, "MemoryError"),
}


@pytest.mark.parametrize("name", MISBEHAVING)
def test_forked_child_that_misbehaves_is_one_sentence(name, monkeypatch):
    job, limits, reason = MISBEHAVING[name]
    values = (limits.memory_mb, limits.cpu_seconds, limits.timeout_seconds, limits.workers)
    for name, value in zip(isolation.SETTINGS, values, strict=True):
        monkeypatch.setenv(name, str(value))
    with pytest.raises(UnsafeFileError) as info:
        isolation.run(*job)
    assert str(info.value) == i18n.t(UNSAFE)
    assert info.value.reason == reason
    assert isolation.run(tasks.echo, 42) == 42  # this process lives on


@pytest.fixture(scope="module")
def hasty_pool():
    p = ParserPool(HASTY)
    yield p
    p.close()


@pytest.mark.parametrize("name", MISBEHAVING)
def test_pool_child_that_misbehaves_is_one_sentence(pool, hasty_pool, name):
    job, limits, reason = MISBEHAVING[name]
    runner = hasty_pool if limits is HASTY else pool
    helpers = runner.helper_pids()
    with pytest.raises(UnsafeFileError) as info:
        runner.run(*job)
    assert str(info.value) == i18n.t(UNSAFE) and info.value.reason == reason
    assert runner.helper_pids() == helpers  # only the child died, the helpers stay
    assert runner.run(tasks.echo, "weiter") == "weiter"


def test_documented_errors_come_back_unchanged(pool):
    sentence = "Die Datei enthält keine Spalten mit Items."
    for runner in (isolation.run, pool.run):
        with pytest.raises(ReadError) as info:
            runner(tasks.refuse, sentence)
        assert type(info.value) is ReadError and str(info.value) == sentence


def test_a_second_caller_is_served_while_a_child_dies(pool):
    """The server keeps serving: while one caller's child spins until its CPU
    limit, another caller's jobs finish."""
    stopped = []

    def hostile():
        with pytest.raises(UnsafeFileError):
            pool.run(tasks.spin)
        stopped.append(True)

    worker = threading.Thread(target=hostile)
    worker.start()
    answers = [pool.run(tasks.echo, k) for k in range(5)]
    worker.join()
    assert answers == [0, 1, 2, 3, 4] and stopped == [True]


def test_a_dead_helper_is_replaced_and_the_job_still_runs(pool):
    victim = pool.helper_pids()[0]
    os.kill(victim, signal.SIGKILL)
    next(h for h in pool._all if h.proc.pid == victim).proc.wait()
    results = [pool.run(tasks.echo, k) for k in range(4)]  # both helpers are used in turn
    assert results == [0, 1, 2, 3]
    assert victim not in pool.helper_pids() and len(pool.helper_pids()) == 2


def test_children_write_no_core_file_and_have_the_cpu_limit(pool):
    for runner in (isolation.run, pool.run):
        core, cpu, pid = runner(tasks.limits_seen)
        assert core == (0, 0)
        assert pid != os.getpid()
    assert pool.run(tasks.limits_seen)[1] == (1, 3)  # soft 1 s: SIGXCPU; hard 3 s: SIGKILL


def test_each_file_gets_a_fresh_child(pool):
    assert len({pool.run(tasks.limits_seen)[2] for _ in range(3)}) == 3


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, Limits(2048, 60, 120.0, 2)),
        ({"LEARN_PARSER_MEMORY_MB": "512", "LEARN_PARSER_WORKERS": "4"}, Limits(512, 60, 120.0, 4)),
        ({"LEARN_PARSER_CPU_SECONDS": "0.4", "LEARN_PARSER_TIMEOUT_SECONDS": "2.5"}, Limits(2048, 1, 2.5, 2)),
        ({"LEARN_PARSER_MEMORY_MB": " "}, Limits(2048, 60, 120.0, 2)),
    ],
)
def test_limits_from_the_environment(environ, expected):
    assert Limits.from_environment(environ) == expected


@pytest.mark.parametrize("value", ["0", "-1", "viel", "nan"])
def test_a_bad_limit_is_refused(value):
    with pytest.raises(ValueError, match="Die Einstellung LEARN_PARSER_MEMORY_MB muss eine Zahl von 1 bis"):
        Limits.from_environment({"LEARN_PARSER_MEMORY_MB": value})


def test_the_default_pool_takes_the_limits_of_each_call(monkeypatch):
    """In a server the helpers start once; a setting changed later still
    applies to the next file."""
    isolation.shutdown()
    isolation.start_pool(Limits(workers=1))
    try:
        monkeypatch.setenv("LEARN_PARSER_TIMEOUT_SECONDS", "2")
        with pytest.raises(UnsafeFileError) as info:
            isolation.run(tasks.sleep, 60)
        assert info.value.reason == "no result after 2 s"
        assert isolation.run(tasks.echo, "ok") == "ok"
    finally:
        isolation.shutdown()
