"""The PDF report against ``score`` of the same file (issue 21, part 5).

Goal: ``python -m learn_core report FILE --output x.pdf`` costs at most twice
``python -m learn_core score FILE`` (the whole process, wall and CPU).

Writes surveys with departments (the writer of ``bench_reader.py``: 24
items, a department, an ID, a timestamp and a comment column; 2,000 and
10,000 respondents by default) as semicolon CSV, then runs ``score`` and
``report --output x.pdf`` as their own processes in turns (score, report,
score, report, …; with ``--base`` also main's ``report`` in the same turn),
so that a slow spell of the shared machine hits all of them alike. Prints per
command the best and median wall and CPU seconds (user + system of the
process and its children), the peak memory (the children's maximum resident
set) and the ratio report / score of every turn, with their median.

    python benchmarks/bench_report.py                    # this tree
    python benchmarks/bench_report.py --base main        # and main's PDF code beside it
    python benchmarks/bench_report.py --sizes 2000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_isolation import _before_tree  # noqa: E402  (git archive of a revision into a folder)
from bench_reader import _MEASURE, write_csv  # noqa: E402


def run(cmd: list[str], tree: Path) -> dict:
    """One run of ``python -m learn_core CMD`` from ``tree`` as its own process:
    wall and CPU seconds, peak MB."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "learn_core", *cmd],
                         capture_output=True, text=True, cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)})
    result = json.loads(out.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"{' '.join(cmd)} failed in {tree}: {result['err']}")
    return result


def _line(label: str, runs: list[dict]) -> str:
    walls, cpus = [r["wall"] for r in runs], [r["cpu"] for r in runs]
    return (f"  {label:14s} wall best {min(walls):5.2f} s median {statistics.median(walls):5.2f} s | "
            f"CPU best {min(cpus):5.2f} s median {statistics.median(cpus):5.2f} s | "
            f"peak {max(r['peak_mb'] for r in runs):4.0f} MB")


def _ratios(label: str, runs: list[dict], score: list[dict]) -> str:
    wall = [r["wall"] / s["wall"] for r, s in zip(runs, score, strict=True)]
    cpu = [r["cpu"] / s["cpu"] for r, s in zip(runs, score, strict=True)]
    return (f"  {label} / score per turn: wall {' '.join(f'{x:.2f}' for x in wall)} (median "
            f"{statistics.median(wall):.2f}); CPU {' '.join(f'{x:.2f}' for x in cpu)} (median "
            f"{statistics.median(cpu):.2f})")


def bench(path: Path, out_dir: Path, repeat: int, base: Path | None) -> None:
    trees = {"score": ROOT, "report": ROOT} | ({"report (base)": base} if base else {})
    runs: dict[str, list[dict]] = {name: [] for name in trees}
    for turn in range(repeat):
        for name, tree in trees.items():
            cmd = ["score", str(path)] if name == "score" else \
                ["report", str(path), "--output", str(out_dir / f"{name.split()[-1].strip('()')}-{turn}.pdf")]
            runs[name].append(run(cmd, tree))
    print(f"{path.name} ({path.stat().st_size / 1e6:.1f} MB), {repeat} turns")
    for name, results in runs.items():
        print(_line(name, results))
    for name in trees:
        if name != "score":
            print(_ratios(name, runs[name], runs["score"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000], help="respondents per file")
    parser.add_argument("--repeat", type=int, default=5, help="turns (default 5)")
    parser.add_argument("--base", help="a revision (e.g. main) whose report runs beside this tree's")
    args = parser.parse_args()
    from learn_core.reading import reader

    item_ids = [it.id for it in reader.default_instrument().items]
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        work = Path(tmp)
        base = _before_tree(args.base, work)[1] if args.base else None
        for n in args.sizes:
            path = work / f"survey_{n}.csv"
            write_csv(path, n, item_ids)
            bench(path, work, args.repeat, base)


if __name__ == "__main__":
    main()
