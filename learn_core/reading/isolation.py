"""Parsing untrusted bytes in a child process with limits.

The spreadsheet library is native code: a file it mishandles can make it
allocate terabytes or loop forever, and that aborts whatever process it runs
in. So every parse of an uploaded file runs in a child process that

* may add at most ``LEARN_PARSER_MEMORY_MB`` of address space (``RLIMIT_AS``),
* may use at most ``LEARN_PARSER_CPU_SECONDS`` of CPU time (``RLIMIT_CPU``),
* is killed after ``LEARN_PARSER_TIMEOUT_SECONDS`` of wall-clock time,
* writes no core file, and serves one file only: it exits afterwards, so
  nothing of one upload stays in a process that reads the next one.

When the child dies or exceeds a limit, the caller gets
:class:`UnsafeFileError` (a :class:`~learn_core.errors.ReadError`) with
:data:`UNSAFE`, and the reason goes to the log for the operator.

How the child is made depends on the calling process:

* a process with one thread (the command line, a test) forks itself: the
  child has everything imported already, so isolation costs a fork;
* a process with threads (the dashboard's web server) must not fork itself, so it
  keeps a small pool of helper processes (``LEARN_PARSER_WORKERS``), started
  with ``subprocess`` and with the parsing modules imported; each helper forks
  one child per file and reports what became of it. A helper that dies is
  replaced.

On systems without ``fork`` (Windows) the parse runs in the calling process.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import queue
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from learn_core.errors import ReadError
from learn_core.settings import read_settings

__all__ = [
    "SETTINGS",
    "UNSAFE",
    "Limits",
    "ParserPool",
    "UnsafeFileError",
    "run",
    "shutdown",
    "start_pool",
]

log = logging.getLogger(__name__)

#: The code of what the user reads when a parse had to be stopped (data/texts.toml).
UNSAFE = "errors.read.unsafe"


class UnsafeFileError(ReadError):
    """The parse of a file was stopped (its process died or exceeded a limit)."""

    def __init__(self, reason: str = "") -> None:
        super().__init__(code=UNSAFE)
        self.reason = reason


#: The settings of the isolation (declared in learn_core/data/settings.toml).
SETTINGS = ("LEARN_PARSER_MEMORY_MB", "LEARN_PARSER_CPU_SECONDS", "LEARN_PARSER_TIMEOUT_SECONDS",
            "LEARN_PARSER_WORKERS")


@dataclass(frozen=True)
class Limits:
    """The limits of one parse and the size of the server's pool."""

    memory_mb: int = 2048
    cpu_seconds: int = 60
    timeout_seconds: float = 120.0
    workers: int = 2

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The limits of :data:`SETTINGS` read by the settings registry from
        ``environ`` (default ``os.environ``) and the server's configuration file.

        Raises
        ------
        SettingError
            (a ValueError) when a setting is not a number in its bounds.
        """
        values = read_settings(environ)
        memory, cpu, timeout, workers = (values.number(name) for name in SETTINGS)
        return cls(int(memory), max(1, int(cpu)), timeout, max(1, int(workers)))


# --------------------------------------------------------------------------- the child


def _address_space() -> int:
    """The calling process's virtual memory size in bytes."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _apply_limits(limits: Limits) -> None:
    import resource

    room = _address_space() + limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (room, room))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 2))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no memory image of an upload on disk


def _outcome(job) -> bytes:
    """Run ``job`` (a pickled or plain ``(function, args, kwargs)``); the pickled outcome."""
    try:
        func, args, kwargs = pickle.loads(job) if isinstance(job, bytes | bytearray) else job
        outcome = ("ok", func(*args, **kwargs))
    except (MemoryError, RecursionError) as exc:
        outcome = ("unsafe", type(exc).__name__)
    except Exception as exc:  # documented errors and bugs alike go back to the caller
        outcome = ("raise", exc)
    try:
        return pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        return pickle.dumps(("unsafe", "MemoryError"))
    except Exception as exc:  # an outcome that cannot be pickled is a bug: say which
        return pickle.dumps(("raise", RuntimeError(f"{type(exc).__name__}: {exc}")))


def _child_main(job, fd: int, limits: Limits) -> None:
    """The forked child: limits, the job, its outcome to ``fd``; never returns."""
    code = 0
    try:
        import faulthandler

        faulthandler.disable()  # the parent logs why a child died; no dump of its stack
        os.dup2(2, 1)  # a stray print never reaches a protocol pipe
        _apply_limits(limits)
        payload = _outcome(job)
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
    except BaseException:
        code = 70
    finally:
        os._exit(code)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _fork_payload(job, limits: Limits) -> bytes:
    """Fork a child for ``job``; the child's pickled outcome, or an "unsafe"
    outcome when it died, was killed or ran out of time."""
    try:
        read_fd, write_fd = os.pipe()
    except OSError as exc:
        return pickle.dumps(("unsafe", f"no pipe for a child: {exc}"))
    try:
        pid = os.fork()
    except OSError as exc:  # no process can be made now (a process limit, no memory)
        os.close(read_fd)
        os.close(write_fd)
        return pickle.dumps(("unsafe", f"no child process: {exc}"))
    if pid == 0:
        os.close(read_fd)
        _child_main(job, write_fd, limits)
    os.close(write_fd)
    chunks: list[bytes] = []
    reason = ""
    deadline = time.monotonic() + limits.timeout_seconds
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_fd], [], [], left)[0]:
                reason = f"no result after {limits.timeout_seconds:g} s"
                os.kill(pid, signal.SIGKILL)
                break
            piece = os.read(read_fd, 1 << 20)
            if not piece:
                break
            chunks.append(piece)
    finally:
        os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    if not reason:
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            reason = _signal_name(number) + (" (CPU time limit)" if number == signal.SIGXCPU else "")
        elif os.WEXITSTATUS(status) != 0:
            reason = f"exit status {os.WEXITSTATUS(status)}"
    if reason:
        return pickle.dumps(("unsafe", reason))
    return b"".join(chunks)


def _result(payload: bytes):
    """The value of a pickled outcome; raises what the child raised."""
    try:
        status, value = pickle.loads(payload)
    except Exception:
        status, value = "unsafe", "unreadable result"
    if status == "ok":
        return value
    if status == "raise":
        raise value
    log.warning("parse stopped: %s", value)
    raise UnsafeFileError(str(value))


# --------------------------------------------------------------------------- helper processes

_HEADER = struct.Struct("<Q")
#: the limits sent with each job: memory (MB), CPU time (s), wall-clock time (s)
_LIMITS = struct.Struct("<qqd")
#: Modules a helper imports once, so that its children start with them.
PRELOAD = ("learn_core.reading.reader", "learn_core.reading.plans", "learn_core.reading.mapping", "python_calamine",
           "fastexcel", "pyarrow")


def _write_frame(stream, payload: bytes) -> None:
    stream.write(_HEADER.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def _read_exact(stream, n: int) -> bytes | None:
    data = bytearray()
    while len(data) < n:
        piece = stream.read(n - len(data))
        if not piece:
            return None
        data += piece
    return bytes(data)


def _read_frame(stream) -> bytes | None:
    head = _read_exact(stream, _HEADER.size)
    if head is None:
        return None
    return _read_exact(stream, _HEADER.unpack(head)[0])


def helper_main() -> None:
    """The helper process: import the parsers, then fork one child per job
    read from stdin and write each outcome to stdout (length-prefixed)."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # only frames on the protocol pipe
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    inp = sys.stdin.buffer
    _write_frame(out, pickle.dumps(("ready", os.getpid())))
    while True:
        frame = _read_frame(inp)
        if frame is None:
            return  # the server is gone
        memory, cpu, timeout = _LIMITS.unpack_from(frame)
        limits = Limits(memory_mb=memory, cpu_seconds=cpu, timeout_seconds=timeout)
        _write_frame(out, _fork_payload(frame[_LIMITS.size :], limits))


class _HelperGone(Exception):
    def __init__(self, started: bool) -> None:
        super().__init__(started)
        self.started = started


class _Helper:
    """One helper process and its pipes."""

    def __init__(self) -> None:
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parent.parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        env["OPENBLAS_NUM_THREADS"] = env.get("OPENBLAS_NUM_THREADS", "1")  # a helper that forks keeps one thread
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from learn_core.reading.isolation import helper_main; helper_main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True,
        )
        if self.proc.stdin is None or self.proc.stdout is None:  # never: both were asked for as pipes
            raise OSError("the parser helper was started without its pipes")
        self.stdin: IO[bytes] = self.proc.stdin
        self.stdout: IO[bytes] = self.proc.stdout
        self.ready = False

    def _read(self, timeout: float) -> bytes | None:
        fd = self.stdout.fileno()
        deadline = time.monotonic() + timeout
        head = b""
        while len(head) < _HEADER.size:
            piece = self._read_some(fd, _HEADER.size - len(head), deadline)
            if not piece:
                return None
            head += piece
        size = _HEADER.unpack(head)[0]
        chunks, got = [], 0
        while got < size:
            piece = self._read_some(fd, min(size - got, 1 << 20), deadline)
            if not piece:
                return None
            chunks.append(piece)
            got += len(piece)
        return b"".join(chunks)

    @staticmethod
    def _read_some(fd: int, n: int, deadline: float) -> bytes:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return b""
        return os.read(fd, n)

    def call(self, payload: bytes, limits: Limits) -> bytes:
        """The outcome of one job under ``limits``.

        Raises
        ------
        _HelperGone
            when the helper failed: before it took the job (``started`` False)
            or while it ran it.
        """
        try:
            if self.proc.poll() is not None:
                raise _HelperGone(started=False)
            if not self.ready:
                if self._read(60.0) is None:
                    raise _HelperGone(started=False)
                self.ready = True
            head = _LIMITS.pack(limits.memory_mb, limits.cpu_seconds, limits.timeout_seconds)
            self.stdin.write(_HEADER.pack(len(head) + len(payload)) + head)
            self.stdin.write(payload)
            self.stdin.flush()
        except OSError:
            raise _HelperGone(started=False) from None
        outcome = self._read(limits.timeout_seconds + 15.0)
        if outcome is None:
            raise _HelperGone(started=True)
        return outcome

    def stop(self) -> None:
        try:
            self.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class ParserPool:
    """Helper processes that parse files in limited children (for a process
    with threads, such as the dashboard's web server). Thread-safe; a helper that
    fails is replaced.

    Parameters
    ----------
    limits
        the limits of each parse and the number of helpers; default from the environment.
    """

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits.from_environment()
        self._idle: queue.Queue[_Helper] = queue.Queue()
        self._all: list[_Helper] = []
        self._lock = threading.Lock()
        for _ in range(self.limits.workers):
            self._add()

    def _add(self) -> None:
        helper = _Helper()
        with self._lock:
            self._all.append(helper)
        self._idle.put(helper)

    def run(self, func, *args, **kwargs):
        """``func(*args, **kwargs)`` in a child with the pool's limits; its value.

        Raises
        ------
        UnsafeFileError
            when the child died, exceeded a limit, or its helper failed.
        Exception
            whatever ``func`` raised (a :class:`ReadError` for a file that cannot be used).
        """
        return self.run_limited(self.limits, func, args, kwargs)

    def run_limited(self, limits: Limits, func, args: tuple, kwargs: dict):
        """As :meth:`run`, with the memory, CPU and wall-clock limits of ``limits``."""
        payload = pickle.dumps((func, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
        for _attempt in range(3):
            helper = self._idle.get()
            try:
                outcome = helper.call(payload, limits)
            except _HelperGone as gone:
                log.warning("parser helper %s failed; starting a new one", helper.proc.pid)
                self._replace(helper)
                if gone.started:  # the job was running: it counts as stopped
                    outcome = pickle.dumps(("unsafe", "helper process failed during the parse"))
                    break
                continue  # the helper was gone before it took the job: try a fresh one
            self._idle.put(helper)
            break
        else:
            outcome = pickle.dumps(("unsafe", "no parser helper could be started"))
        return _result(outcome)

    def _replace(self, helper: _Helper) -> None:
        helper.proc.kill()
        helper.stop()
        with self._lock:
            if helper in self._all:
                self._all.remove(helper)
        self._add()

    def helper_pids(self) -> list[int]:
        with self._lock:
            return [h.proc.pid for h in self._all]

    def close(self) -> None:
        with self._lock:
            helpers, self._all = self._all, []
        for h in helpers:
            h.stop()


# --------------------------------------------------------------------------- entry

_pool: ParserPool | None = None
_pool_lock = threading.Lock()
_CAN_FORK = hasattr(os, "fork") and sys.platform != "win32"


def start_pool(limits: Limits | None = None) -> ParserPool | None:
    """Start this process's helper pool now (a server calls it at start, so
    the first upload does not wait for the helpers' imports); returns it,
    or None where processes cannot fork."""
    global _pool
    if not _CAN_FORK:
        return None
    with _pool_lock:
        if _pool is None:
            _pool = ParserPool(limits)
            atexit.register(shutdown)
        return _pool


def shutdown() -> None:
    """Stop the helper pool (it is started again on demand)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.close()


def run(func, *args, **kwargs):
    """``func(*args, **kwargs)`` in a limited child process; its value.

    A process with one thread forks the child itself; one with threads uses
    the helper pool (:func:`start_pool`, started on first use).

    Raises
    ------
    UnsafeFileError
        when the child died or exceeded a limit (one sentence, in either language).
    Exception
        whatever ``func`` raised.
    """
    if not _CAN_FORK:
        return func(*args, **kwargs)
    limits = Limits.from_environment()  # read for each file: a changed setting applies at once
    if _pool is None and threading.active_count() == 1:
        return _result(_fork_payload((func, args, kwargs), limits))
    pool = _pool or start_pool()
    if pool is None:  # never: start_pool gives None only where processes cannot fork
        return func(*args, **kwargs)
    return pool.run_limited(limits, func, args, kwargs)
