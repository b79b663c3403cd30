"""The input checksum recorded in ``results.json``: anyone can check they hold the same input.

A file: SHA-256 of its bytes. A folder of tables: SHA-256 over the sorted table file names,
each followed by the SHA-256 of its bytes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from rairtc.io.layout import TABLES


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_sha256(path: Path) -> str:
    if path.is_file():
        return _file_digest(path)
    digest = hashlib.sha256()
    names = {f"{t}.{ext}" for t in TABLES for ext in ("csv", "parquet")}
    for file in sorted(p for p in path.iterdir() if p.name in names):
        digest.update(f"{file.name}\n{_file_digest(file)}\n".encode())
    return digest.hexdigest()
