"""The reader of this tree against another tree (e.g. before a change), side
by side in one run: whole-process wall time and peak memory of
``python -m learn_core score FILE`` for generated surveys of 50,000
respondents (.xlsx with numbers, semicolon CSV with numbers, CSV with the
answer labels as text), in turns (base, this, base, this, …) so that a slow
spell of the machine hits both alike.

Run from the project root; BASE is a checkout of the other version, e.g.
``git archive main | tar -x -C /tmp/base``::

    python benchmarks/bench_reader_before_after.py --base /tmp/base [--size 50000] [--repeat 5] [--keep DIR]
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from bench_reader import _MEASURE, _header_and_rows, write_csv, write_xlsx  # noqa: E402

LABELS = ["trifft gar nicht zu", "trifft eher nicht zu", "teils/teils", "trifft eher zu", "trifft voll zu"]


def write_label_csv(path: Path, n: int, item_ids: list[str]) -> None:
    """The CSV of :func:`bench_reader.write_csv` with every answer as its label text."""
    header, rows = _header_and_rows(n, item_ids)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(header)
        for row in rows:
            writer.writerow([*row[:3], *(LABELS[v - 1] if v else None for v in row[3:-1]), row[-1]])


def run(tree: Path, file: Path) -> dict:
    cmd = [sys.executable, "-m", "learn_core", "score", str(file)]
    out = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], capture_output=True, text=True, cwd=tree)
    result = json.loads(out.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"{tree}: {' '.join(cmd)} failed: {result['err']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="the other tree (its project root)")
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="folder for the generated files (reused when present)")
    args = parser.parse_args()
    from learn_core.instrument import default_instrument

    item_ids = list(default_instrument().item_ids)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="learn-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    n = args.size
    files = {"xlsx": folder / f"survey_{n}.xlsx", "csv": folder / f"survey_{n}.csv",
             "csv labels": folder / f"survey_{n}_labels.csv"}
    for kind, path in files.items():
        if not path.exists():
            {"xlsx": write_xlsx, "csv": write_csv, "csv labels": write_label_csv}[kind](path, n, item_ids)
    print("| file | base: best s (median) | this: best s (median) | this / base (median of turns) | peak MB base / this |")
    print("|---|---:|---:|---:|---:|")
    for kind, path in files.items():
        base, this = [], []
        for _ in range(args.repeat):
            base.append(run(args.base, path))
            this.append(run(ROOT, path))
        wb, wt = [r["wall"] for r in base], [r["wall"] for r in this]
        ratio = statistics.median(t / b for t, b in zip(wt, wb, strict=True))
        print(f"| {n:,} {kind} | {min(wb):.2f} ({statistics.median(wb):.2f}) | {min(wt):.2f} "
              f"({statistics.median(wt):.2f}) | {ratio:.2f} | {max(r['peak_mb'] for r in base):.0f} / "
              f"{max(r['peak_mb'] for r in this):.0f} |", flush=True)


if __name__ == "__main__":
    main()
