"""The forked workers return what one process would, in the same order."""

from __future__ import annotations

import os

from rairtc.study.parallel import MIN_PER_WORKER, forked_map


def test_a_large_batch_is_split_over_processes_and_joined_in_order() -> None:
    items = list(range(2 * MIN_PER_WORKER + 7))
    results = forked_map(lambda x: (x * x, os.getpid()), items, workers=2)
    assert [square for square, _ in results] == [x * x for x in items]
    pids = [pid for _, pid in results]
    assert len(set(pids)) == 2 and pids[0] == os.getpid()


def test_a_small_batch_stays_in_this_process() -> None:
    results = forked_map(lambda x: os.getpid(), list(range(MIN_PER_WORKER)), workers=2)
    assert set(results) == {os.getpid()}
