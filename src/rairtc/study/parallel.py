"""The analysed patients of a batch split over forked worker processes (the second core).

The workers are forked after the batch is in memory, so they inherit the patients instead of
receiving them pickled (pickling a patient costs about half of classifying it); this process
and each worker analyse one contiguous slice, the workers send back the small per-patient
results, and the slices are joined in the batch's order: the result is the serial result,
whatever the number of workers.

Forking needs the ``fork`` start method (Linux, macOS); elsewhere, or for a batch too small to
be worth a fork, the batch is analysed in this process.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_PER_WORKER = 200
"""Below this many patients per worker, forking costs more than it saves."""

_batch: tuple[Callable[[Any], Any], Sequence[Any], int] | None = None  # inherited by workers
_one_batch_at_a_time = threading.Lock()


def _slice(worker: int) -> list[Any]:
    assert _batch is not None
    function, items, workers = _batch
    size = -(-len(items) // workers)
    return [function(x) for x in items[worker * size : (worker + 1) * size]]


def forked_map(function: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """``[function(x) for x in items]`` over up to ``workers`` processes: this one takes the
    first slice, forked ones the others."""
    global _batch
    workers = min(workers, len(items) // MIN_PER_WORKER)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(x) for x in items]
    with _one_batch_at_a_time:
        _batch = (function, items, workers)
        try:
            with multiprocessing.get_context("fork").Pool(workers - 1) as pool:
                others = pool.map_async(_slice, range(1, workers))
                first = _slice(0)
                parts = [first, *others.get()]
        finally:
            _batch = None
    return [r for part in parts for r in part]
