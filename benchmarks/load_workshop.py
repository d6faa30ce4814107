"""Load test of the workshop store: many participants submit at the same moment.

    python benchmarks/load_workshop.py [--participants 60] [--processes 6]
                                       [--backend sqlite|postgresql|all]

The participants are spread over several processes (started with 'spawn',
each with its own store); inside a process each participant is a thread, as
the sessions of one Streamlit server are. All are released at once; each
submits a full answer sheet and then three dots. Reported per backend:
submissions per second (participants / time from release to the last
acknowledgement), median and slowest acknowledgement of a submission, and
whether every answer arrived. The SQLite run uses a fresh file in a temp
folder; the PostgreSQL run (when LEARN_TEST_POSTGRES_URL is set, e.g. by
``eval "$(.ci/postgres start)"``) a fresh schema that is dropped afterwards.
Bounded: at most 500 participants and 16 processes, and a time limit.
Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from learn_core.instrument import default_instrument  # noqa: E402
from learn_core.workshop import WorkshopStore  # noqa: E402

PG_ENV = "LEARN_TEST_POSTGRES_URL"
MAX_PARTICIPANTS, MAX_PROCESSES = 500, 16
GROUPS = ("Bauamt", "Kämmerei", "Ordnungsamt")
DOT_IDS = ("A", "B", "C", "D")

_release = None  # the start barrier, set in each worker process


def _init(barrier) -> None:
    global _release
    _release = barrier


def _participant(store: WorkshopStore, code: str, pid: str, n: int, gate, out: list, i: int) -> None:
    items = default_instrument().item_ids
    answers = {item: 1 + (n + j) % 5 for j, item in enumerate(items)}
    gate.wait()
    start = time.time()
    try:
        store.submit(code, pid, answers, group=GROUPS[n % len(GROUPS)])
        acked = time.time()
        store.vote(code, pid, [DOT_IDS[n % 4], DOT_IDS[(n + 1) % 4], DOT_IDS[n % 4]])
    except Exception as exc:  # a load test reports failures instead of stopping
        out[i] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        return
    out[i] = (start, acked, time.time())


def _worker(url: str, code: str, numbers: list[int], timeout: float) -> list[tuple | str]:
    """In a worker process: one thread per participant, all released together."""
    with WorkshopStore(url, valid_ids=DOT_IDS) as store:
        store.count(code)  # connected before the start
        gate = threading.Barrier(len(numbers) + 1)
        out: list = [None] * len(numbers)
        threads = [
            threading.Thread(target=_participant, args=(store, code, f"p{n}", n, gate, out, i))
            for i, n in enumerate(numbers)
        ]
        for t in threads:
            t.start()
        _release.wait(timeout)
        gate.wait(timeout)
        for t in threads:
            t.join(timeout)
    return [o if o is not None else "did not finish in time" for o in out]


def run(url: str, participants: int, processes: int, timeout: float) -> dict:
    with WorkshopStore(url, valid_ids=DOT_IDS) as store:
        w = store.create_workshop("Lasttest", GROUPS, dots=3)
    shares = [list(range(p, participants, processes)) for p in range(processes)]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(processes, initializer=_init, initargs=(ctx.Barrier(processes),)) as pool:
        job = pool.starmap_async(_worker, [(url, w.code, s, timeout) for s in shares], chunksize=1)
        outcomes = [o for part in job.get(timeout) for o in part]
    times = [o for o in outcomes if isinstance(o, tuple)]
    errors = sorted({o for o in outcomes if isinstance(o, str)})
    if not times:
        return {"participants": participants, "processes": processes, "errors": errors, "complete": False}
    first = min(t[0] for t in times)
    last_ack = max(t[1] for t in times)
    acks = [t[1] - t[0] for t in times]
    with WorkshopStore(url, valid_ids=DOT_IDS) as store:
        frame = store.responses(w.code, w.admin_key)
        dots = sum(n for _, n in store.votes(w.code))
    return {
        "participants": participants,
        "processes": processes,
        "submissions_per_second": round(participants / (last_ack - first), 1),
        "all_done_seconds": round(max(t[2] for t in times) - first, 3),
        "median_ack_ms": round(statistics.median(acks) * 1000, 1),
        "slowest_ack_ms": round(max(acks) * 1000, 1),
        "stored": len(frame),
        "dots": dots,
        "failed": participants - len(times),
        "errors": errors,
        "complete": len(frame) == participants and dots == 3 * participants
        and not frame.drop(columns="Abteilung").isna().any().any(),
    }


def _postgres_run(base: str, participants: int, processes: int, timeout: float) -> dict:
    schema = f"learn_load_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        return run(url.render_as_string(hide_password=False), participants, processes, timeout)
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--processes", type=int, default=6)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "all"), default="all")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per backend")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    participants = max(1, min(args.participants, MAX_PARTICIPANTS))
    processes = max(1, min(args.processes, MAX_PROCESSES, participants))

    results = {}
    if args.backend in ("sqlite", "all"):
        with tempfile.TemporaryDirectory() as tmp:
            results["sqlite"] = run(f"sqlite:///{tmp}/workshops.sqlite3", participants, processes, args.timeout)
    if args.backend in ("postgresql", "all"):
        if os.environ.get(PG_ENV):
            results["postgresql"] = _postgres_run(os.environ[PG_ENV], participants, processes, args.timeout)
        else:
            print(f"postgresql: skipped ({PG_ENV} is not set)", file=sys.stderr)
    for backend, r in results.items():
        if "stored" not in r:
            print(f"{backend:10} every submission failed: {r['errors']}")
            continue
        print(
            f"{backend:10} {r['participants']} participants in {r['processes']} processes: "
            f"{r['submissions_per_second']} submissions/s, median ack {r['median_ack_ms']} ms, "
            f"slowest ack {r['slowest_ack_ms']} ms, all done (incl. votes) in {r['all_done_seconds']} s, "
            f"stored {r['stored']}, dots {r['dots']}, failed {r['failed']}, complete: {r['complete']}"
        )
        for error in r["errors"]:
            print(f"{'':10} error: {error}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2), "utf-8")
    return 0 if all(r["complete"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
