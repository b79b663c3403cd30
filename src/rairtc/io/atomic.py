"""Outputs that appear whole or not at all.

Every output is written to a hidden temporary sibling and renamed into place once complete,
so that a reader (or a run killed with ``kill -9``) sees the previous output or the new one,
never a mixture or a half-written file. A folder is written as a temporary folder, then
swapped in: the old folder is renamed aside, the new one renamed into place, the old one
removed. Between those two renames the folder is briefly absent, never mixed.

A folder is only replaced when it is empty, was written by rairtc (it holds
:data:`MARKER`), or holds only files the command itself writes: a folder of the user's own
files is never deleted.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rairtc.core.errors import UsageError

MARKER = ".rairtc-output"


def check_file_target(path: Path, what: str = "the output") -> None:
    """A file can be written at ``path``: its folder exists (or can be made) and it is no
    folder; a usage error (exit 2) otherwise, before anything is read or written."""
    if path.is_dir():
        raise _usage("io.output_is_folder", what=what, path=path)
    _check_parent(path, what)


def check_folder_target(
    path: Path, owned: Callable[[Path], bool], what: str = "the output"
) -> None:
    """A folder can be written (or replaced) at ``path``."""
    if path.exists() and not path.is_dir():
        raise _usage("io.output_is_file", what=what, path=path)
    _check_parent(path, what)
    if path.is_dir() and not replaceable(path, owned):
        raise _usage("io.output_not_ours", what=what, path=path)


def _check_parent(path: Path, what: str) -> None:
    for parent in path.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise _usage("io.output_under_file", what=what, path=path, parent=parent)
            return


def _usage(code: str, **params: object) -> UsageError:
    """A usage error carrying its code, said in the user's language by the command line;
    ``what`` ("the output", "--rejects") is translated when it is one of the program's phrases."""
    from rairtc.i18n import translate

    return UsageError(translate(code, params), code=code, params=params)


def replaceable(folder: Path, owned: Callable[[Path], bool]) -> bool:
    entries = list(folder.iterdir())
    return (folder / MARKER).exists() or all(owned(entry) for entry in entries)


def _sibling(path: Path, tag: str) -> Path:
    return path.with_name(f".{path.name}.{tag}-{uuid.uuid4().hex[:12]}{path.suffix}")


@contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """A temporary sibling of ``path`` (same suffix) to write; renamed onto ``path`` when
    the block completes, removed when it raises."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _sibling(path, "partial")
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        _remove(temporary)


@contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """A temporary sibling folder to fill; swapped in for ``path`` when the block completes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _sibling(path, "partial")
    temporary.mkdir()
    (temporary / MARKER).write_text("written by rairtc; replaced whole on the next run\n")
    old = _sibling(path, "old")
    try:
        yield temporary
        if path.exists():
            os.replace(path, old)
        os.replace(temporary, path)
    finally:
        _remove(temporary)
        _remove(old)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
    for extra in (path.with_name(path.name + ".wal"), path.with_name(path.name + "-journal")):
        extra.unlink(missing_ok=True)
