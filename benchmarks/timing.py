"""Timing helper shared by the benchmark scripts (run as ``python benchmarks/bench_x.py``)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def runs(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Return median and max milliseconds of ``repeat`` calls (after one warm-up) and a result."""
    result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times), result
