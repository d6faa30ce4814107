"""Speed of the reader: whole-process wall time and peak memory of

* ``python -m learn_core score FILE`` (read, validate, score, JSON out),
* a script doing ``pandas.read_excel(FILE, engine="openpyxl")`` (parse only),
* a script doing ``pandas.read_excel(FILE, engine="calamine")`` (parse only: the limit),

for generated surveys of 50,000 and 100,000 respondents (.xlsx and CSV).
Each command runs as its own process; peak memory is the child's maximum
resident set size (``resource.getrusage(RUSAGE_CHILDREN)``, measured in a
fresh helper process per command so children do not mix).

Run from the project root (not part of the test run; takes a few minutes,
most of it for writing the workbooks)::

    python benchmarks/bench_reader.py [--sizes 50000 100000] [--repeat 3] [--keep DIR] [--stages]
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261122
GROUPS = ["Bürgeramt", "Bauamt", "Jugendamt", "Ordnungsamt", "Kämmerei", "IT und Digitalisierung",
          "Personal und Organisation", "Kultur und Bildung"]

_MEASURE = """
import resource, subprocess, sys, time, json
t = time.perf_counter()
out = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
print(json.dumps({"wall": wall, "cpu": cpu, "peak_mb": peak, "rc": out.returncode, "err": out.stderr.decode()[-300:]}))
"""
_PANDAS = "import sys, pandas; pandas.read_excel(sys.argv[1], engine=sys.argv[2])"

#: In-process stages of ``score`` (uses the reader's internals; for finding where time goes).
_STAGES = """
import sys, time
t = time.perf_counter(); marks = []
def mark(label):
    global t
    now = time.perf_counter(); marks.append(f"{label} {now - t:.2f}"); t = now
import pandas; mark("import pandas")
from learn_core.reading import reader, survey; from learn_core.analysis import analyse; mark("import learn_core")
from learn_core.reading.source import check_file
inst = reader.default_instrument(); checked = check_file(sys.argv[1])
if checked.kind != "text":
    mark("read + checks before parsing")
    table = reader._workbook_table(checked.data, checked.kind, None, inst, None); mark("parse (calamine) + cell block")
else:
    mark("read")
    table = reader.read_delimited(checked.data, inst); mark("parse (pandas C parser)")
s = survey.build_survey(table, inst); mark("decode + validate")
analyse(s); mark("score (analyse)")
print(", ".join(marks))
"""


def _header_and_rows(n: int, item_ids: list[str]):
    rng = np.random.default_rng(SEED + n)
    answers = rng.integers(1, 6, size=(n, len(item_ids)))
    answers = np.where(rng.random(answers.shape) < 0.03, 0, answers)  # 3 % left blank
    groups = rng.integers(0, len(GROUPS), size=n)
    header = ["ID", "Zeitstempel", "Abteilung", *item_ids, "Kommentar"]
    rows = (
        [i + 1, "2026-11-03 09:00", GROUPS[groups[i]], *(int(v) if v else None for v in answers[i]), None]
        for i in range(n)
    )
    return header, rows


def write_xlsx(path: Path, n: int, item_ids: list[str]) -> None:
    """A workbook as survey tools export it, written with openpyxl's streaming writer."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Antworten")
    header, rows = _header_and_rows(n, item_ids)
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)


def write_csv(path: Path, n: int, item_ids: list[str]) -> None:
    """A CSV as German Excel saves it: semicolons, UTF-8 with BOM."""
    header, rows = _header_and_rows(n, item_ids)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)


def measure(cmd: list[str], repeat: int) -> dict:
    """Best wall time and the peak memory of that run, over ``repeat`` runs."""
    best = None
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], capture_output=True, text=True, cwd=ROOT)
        result = json.loads(out.stdout)
        if result["rc"] != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {result['err']}")
        if best is None or result["wall"] < best["wall"]:
            best = result
    return best


def measure_side_by_side(commands: list[list[str]], repeat: int) -> list[dict]:
    """Like :func:`measure` for several commands, run in turns (A, B, A, B, …),
    so that a slow spell of the machine hits all of them alike. Each result
    also holds ``walls``, the wall time of every turn."""
    best: list[dict | None] = [None] * len(commands)
    walls: list[list[float]] = [[] for _ in commands]
    cpus: list[list[float]] = [[] for _ in commands]
    for _ in range(repeat):
        for i, cmd in enumerate(commands):
            result = measure(cmd, 1)
            walls[i].append(result["wall"])
            cpus[i].append(result["cpu"])
            if best[i] is None or result["wall"] < best[i]["wall"]:
                best[i] = result
    for result, times, cpu in zip(best, walls, cpus, strict=True):
        result["walls"], result["cpus"] = times, cpu
    return best


def paired_ratio(a: dict, b: dict, key: str = "walls") -> float:
    """Median over the turns of a's time / b's time in the same turn
    (``key`` "walls": wall time, "cpus": CPU time of the process and its children)."""
    return statistics.median(x / y for x, y in zip(a[key], b[key], strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5, help="runs of ours and of calamine, taken in turns (best)")
    parser.add_argument("--keep", type=Path, help="folder for the generated files (reused when present)")
    parser.add_argument("--stages", action="store_true", help="also time the stages of score in one process (s)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from learn_core.instrument import default_instrument

    item_ids = list(default_instrument().item_ids)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="learn-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    ours = [sys.executable, "-m", "learn_core", "score"]
    lines = [
        "| respondents | file | ours: `score` | pandas + openpyxl | pandas + calamine | ours / openpyxl "
        "| ours / calamine (best; median of turns) | peak MB ours / calamine |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    stages: list[str] = []
    for n in args.sizes:
        xlsx, text = folder / f"survey_{n}.xlsx", folder / f"survey_{n}.csv"
        if not xlsx.exists():
            write_xlsx(xlsx, n, item_ids)
        if not text.exists():
            write_csv(text, n, item_ids)
        mb = xlsx.stat().st_size / 2**20
        o = measure([sys.executable, "-c", _PANDAS, str(xlsx), "openpyxl"], 1)
        a, c = measure_side_by_side(
            [[*ours, str(xlsx)], [sys.executable, "-c", _PANDAS, str(xlsx), "calamine"]], args.repeat
        )
        lines.append(
            f"| {n:,} | .xlsx ({mb:.1f} MB) | {a['wall']:.2f} s, {a['peak_mb']:.0f} MB | "
            f"{o['wall']:.2f} s, {o['peak_mb']:.0f} MB | {c['wall']:.2f} s, {c['peak_mb']:.0f} MB | "
            f"{a['wall'] / o['wall']:.2f} | {a['wall'] / c['wall']:.2f}; {paired_ratio(a, c):.2f} | "
            f"{a['peak_mb'] / c['peak_mb']:.2f} |"
        )
        t = measure([*ours, str(text)], args.repeat)
        mb = text.stat().st_size / 2**20
        lines.append(f"| {n:,} | .csv ({mb:.1f} MB) | {t['wall']:.2f} s, {t['peak_mb']:.0f} MB | | | | | |")
        print(lines[-2], lines[-1], sep="\n", flush=True)
        if args.stages:
            for path in (xlsx, text):
                out = subprocess.run([sys.executable, "-c", _STAGES, str(path)], capture_output=True, text=True,
                                     cwd=ROOT)
                stages.append(f"* {path.name}: {out.stdout.strip() or out.stderr.strip()[-300:]}")
    print(f"\nPython {sys.version.split()[0]}, files in {folder}\n")
    print("\n".join(lines))
    if stages:
        print("\nStages of score in one process (seconds):\n")
        print("\n".join(stages))


if __name__ == "__main__":
    main()
