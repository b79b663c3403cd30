"""Compute-once caching: when many requests miss the same key together (a new registry
revision, a fresh worker), one thread computes and the others wait for its result instead of
each repeating the work (with 8 threads per worker, a cold dashboard was computed 8 times at
once). The lock is per process and per key; the cache is the project's cache."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

_guard = threading.Lock()
_locks: dict[str, threading.Lock] = {}
MISSING = object()


def lock(key: str) -> threading.Lock:
    with _guard:
        lock = _locks.get(key)
        if lock is None:
            if len(_locks) > 10_000:  # old keys (earlier revisions) are never asked again
                _locks.clear()
            lock = _locks[key] = threading.Lock()
        return lock


def once(key: str, compute: Callable[[], Any], seconds: int) -> Any:
    """The cached value of ``key``, computed by one thread at a time when it is missing."""
    from django.core.cache import cache

    found = cache.get(key, MISSING)
    if found is not MISSING:
        return found
    with lock(key):
        found = cache.get(key, MISSING)
        if found is MISSING:
            found = compute()
            cache.set(key, found, seconds)
        return found
