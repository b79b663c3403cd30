"""Progress on stderr for long work, only when stderr is a terminal (silent in pipes, files
and CI, as cli.md asks)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def tracked(items: Iterable[T], total: int, description: str) -> Iterator[T]:
    if not sys.stderr.isatty() or total < 1000:
        yield from items
        return
    from rich.console import Console
    from rich.progress import track

    yield from track(
        items, total=total, description=description, console=Console(stderr=True), transient=True
    )
