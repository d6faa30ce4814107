"""Issue 21's goals, side by side in one run: whole-process wall time and peak
memory of ``python -m learn_core score FILE`` (this tree, and optionally a
base tree, e.g. the commit before) against

* a 50,000-respondent .xlsx: ``pandas.read_excel(FILE, engine="calamine")``
  and fastexcel's bare parse of the sheet into Arrow (``load_sheet(0).to_arrow()``),
* a 100,000-respondent CSV: ``import pandas; pandas.read_csv(FILE, sep=";")``,

every command its own process, in turns (A, B, C, A, B, C, …), ratios as the
median of the per-turn ratios, of wall time and of CPU time (user + system of
the process and its children: less disturbed by other work on a shared
machine). The files are those of :mod:`bench_reader`.

Run from the project root (not part of the test run)::

    python benchmarks/bench_speed.py [--base /tmp/base] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from bench_reader import measure_side_by_side, paired_ratio, write_csv, write_xlsx  # noqa: E402

_CALAMINE = "import sys, pandas; pandas.read_excel(sys.argv[1], engine='calamine')"
_FASTEXCEL = "import sys, fastexcel; fastexcel.read_excel(sys.argv[1]).load_sheet(0).to_arrow()"
_READ_CSV = "import sys, pandas; pandas.read_csv(sys.argv[1], sep=';')"


def _row(label: str, result: dict, reference: dict | None) -> str:
    ratio = f"{paired_ratio(result, reference):.2f}" if reference is not None else ""
    cpu = f"{paired_ratio(result, reference, 'cpus'):.2f}" if reference is not None else ""
    peak = f"{result['peak_mb'] / reference['peak_mb']:.2f}" if reference is not None else ""
    return (f"| {label} | {result['wall']:.2f} | {min(result['cpus']):.2f} | {result['peak_mb']:.0f} | {ratio} | "
            f"{cpu} | {peak} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, help="another tree (its project root) to run `score` of as well")
    parser.add_argument("--repeat", type=int, default=3, help="turns (few: the machine is shared)")
    parser.add_argument("--keep", type=Path, help="folder for the generated files (reused when present)")
    parser.add_argument("--xlsx-size", type=int, default=50_000)
    parser.add_argument("--csv-size", type=int, default=100_000)
    args = parser.parse_args()
    from learn_core.instrument import default_instrument

    item_ids = list(default_instrument().item_ids)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="learn-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    xlsx, text = folder / f"survey_{args.xlsx_size}.xlsx", folder / f"survey_{args.csv_size}.csv"
    if not xlsx.exists():
        write_xlsx(xlsx, args.xlsx_size, item_ids)
    if not text.exists():
        write_csv(text, args.csv_size, item_ids)

    def score(tree: Path, path: Path) -> list[str]:
        # bench_reader's runner starts commands in ROOT: a base tree is put first on the path
        return [sys.executable, "-c", f"import sys, runpy; sys.path.insert(0, {str(tree)!r}); "
                f"sys.argv = ['learn_core', 'score', {str(path)!r}]; runpy.run_module('learn_core', "
                "run_name='__main__', alter_sys=True)"]

    print("| command | best wall s | least CPU s | peak MB | wall / reference | CPU / reference | peak / reference |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for path, refs in ((xlsx, [("pandas + calamine", _CALAMINE), ("fastexcel bare parse", _FASTEXCEL)]),
                       (text, [("import pandas; read_csv", _READ_CSV)])):
        commands = [score(ROOT, path)] + ([score(args.base, path)] if args.base else [])
        commands += [[sys.executable, "-c", code, str(path)] for _, code in refs]
        results = measure_side_by_side(commands, args.repeat)
        ours, rest = results[0], results[1:]
        base = rest.pop(0) if args.base else None
        n = args.xlsx_size if path == xlsx else args.csv_size
        print(f"| **{n:,} respondents, {path.suffix} ({path.stat().st_size / 2**20:.1f} MB)** | | | | | | |")
        for (label, _), result in zip(refs, rest, strict=True):
            print(_row(f"ours `score` vs {label}", ours, result))
        if base is not None:
            print(_row("ours `score` vs before (base tree)", ours, base))
            print(_row("before: `score` (base tree)", base, None))
        for (label, _), result in zip(refs, rest, strict=True):
            print(_row(label, result, None))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
