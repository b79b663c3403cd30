"""A folder of tables: every table file in it is read or reported, never silently skipped.

A ``Labs.csv`` beside Parquet tables, a ``labs_2023.csv`` or a ``patients.parquet.bak`` would
otherwise lose a whole table of records with exit 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path as FsPath

from rairtc.core.messages import Problem
from rairtc.io.headers import unknown_table

TABLE_SUFFIXES = frozenset({".csv", ".tsv", ".parquet", ".xlsx", ".json", ".jsonl"})


def unread_files(folder: FsPath, read: Iterable[FsPath], kind: str) -> list[Problem]:
    """A problem for every visible table-like file of ``folder`` not in ``read`` (``kind``
    names the format that was read: "CSV", "Parquet")."""
    taken = {p.name for p in read}
    return [
        unknown_table(path.name, path.stem, f"the other tables of this folder are {kind}")
        for path in sorted(folder.iterdir())
        if not path.name.startswith(".")
        and path.is_file()
        and path.suffix.lower() in TABLE_SUFFIXES
        and path.name not in taken
    ]
