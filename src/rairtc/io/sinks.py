"""Writers that take a registry a chunk of patients at a time (``rairtc convert`` of a large
registry holds one chunk, never the whole registry).

Every format's writer is a :class:`Sink`: ``add`` each chunk, then ``close``. Table formats
share :class:`TableSink`, which flattens each chunk into the rows of every table and numbers
reader-assigned ids (``imaging-<row>``) over the whole table, so a registry written in chunks
is the registry written at once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Sequence
from typing import Any, Protocol

from rairtc.core.records import Patient
from rairtc.io.layout import flatten


class Sink(Protocol):
    def add(self, patients: Sequence[Patient]) -> None: ...

    def close(self) -> None: ...


class TableSink(ABC):
    """A sink for the table layout: ``rows`` receives each table's rows of each chunk."""

    def __init__(self) -> None:
        self.written: Counter[str] = Counter()

    def add(self, patients: Sequence[Patient]) -> None:
        for table, rows in flatten(patients, self.written).items():
            self.written[table] += len(rows)
            if rows:
                self.rows(table, rows)

    @abstractmethod
    def rows(self, table: str, rows: list[dict[str, Any]]) -> None: ...

    @abstractmethod
    def close(self) -> None: ...
