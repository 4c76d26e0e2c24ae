"""Run every benchmark in bench/ (each in its own process) and print one table.

python bench/run_all.py [--quick] [name ...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scripts(names: list[str]) -> list[Path]:
    found = sorted(p for p in HERE.glob("*.py") if not p.name.startswith(("_", "run_all")))
    if names:
        found = [p for p in found if p.stem in names]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="seconds-long smoke runs")
    parser.add_argument("names", nargs="*", help="only these benchmarks")
    args = parser.parse_args()
    results: list[dict[str, object]] = []
    failed = False
    for script in scripts(args.names):
        print(f"running {script.stem} …", file=sys.stderr, flush=True)
        command = [sys.executable, str(script), *(["--quick"] if args.quick else [])]
        done = subprocess.run(command, capture_output=True, text=True, cwd=HERE)
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if done.returncode != 0 or not lines:
            failed = True
            print(f"{script.stem} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
            continue
        results.append(json.loads(lines[-1]))
    print_table(results)
    return 1 if failed else 0


def print_table(results: list[dict[str, object]]) -> None:
    rows = []
    for result in results:
        figures = ", ".join(
            f"{key}={value}"
            for key, value in result.items()
            if key not in ("bench", "n", "machine")
        )
        rows.append((str(result["bench"]), str(result["n"]), figures, str(result["machine"])))
    headers = ("bench", "n", "figures", "machine")
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    line = " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    for result in results:
        print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
