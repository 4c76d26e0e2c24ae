"""Shared helpers for the benchmarks: timing, medians, the JSON result line."""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def parse_args(
    description: str,
    argv: Sequence[str] | None = None,
    *,
    extra: Callable[[argparse.ArgumentParser], object] | None = None,
) -> argparse.Namespace:
    """``--quick``, plus whatever options ``extra`` adds to the parser."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a seconds-long smoke run")
    if extra is not None:
        extra(parser)
    return parser.parse_args(argv)


def machine() -> str:
    return f"{os.cpu_count()}c/{platform.python_version()}"


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def emit(bench: str, n: int, figures: dict[str, Any]) -> None:
    """Print the one JSON result line every benchmark ends with."""
    line = {"bench": bench, "n": n, **figures, "machine": machine()}
    print(json.dumps(line), flush=True)
