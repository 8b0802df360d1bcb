"""Timing helpers: median of N after a warm-up, with a time budget for the slow measurements."""

import statistics
import time


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def measure(fn, runs=5, warmup=True, budget_s=None):
    """Median in milliseconds of `runs` timed calls of `fn`, after one warm-up call.

    With `budget_s`, a slow `fn` is timed fewer times (at least once) so the whole benchmark stays
    within minutes; the number of timed runs is returned as `n`. A warm-up slower than the whole
    budget is itself the one measurement (`cold`: not warmed up). Without a warm-up (pages, which
    were warmed by the caller) the first timed call sizes the budget.
    """
    times = []
    first, value = timed(fn)
    if warmup:
        warmup_s = first
    else:
        warmup_s = None
        times.append(first)
    if budget_s and warmup and first > budget_s:
        # Slower than the whole budget (an M-size import, the per-unit loop at L): the one call
        # is the measurement; a second would double minutes for little.
        return {"ms": round(first * 1000, 1), "n": 1, "warmup_ms": None, "cold": True}, value
    if budget_s:
        runs = max(1, min(runs, int(budget_s / max(first, 1e-6))))
    while len(times) < runs:
        elapsed, value = timed(fn)
        times.append(elapsed)
    return {
        "ms": round(statistics.median(times) * 1000, 1),
        "n": len(times),
        "warmup_ms": round(warmup_s * 1000, 1) if warmup_s is not None else None,
    }, value


def seconds(fn):
    """(seconds, value) of one call."""
    elapsed, value = timed(fn)
    return round(elapsed, 2), value
