"""Writing files so that a reader never sees half of one and a failure leaves none."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_atomic(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file beside it and one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_together(files: Mapping[Path, bytes], within: Path) -> None:
    """Write several files all or nothing: every one, or none and no new folder.

    Each file is written first into a temporary folder inside ``within`` (so on the same
    disk), then missing folders are made and the files renamed into place. On any
    failure (an ``OSError`` such as a full disk or a name the file system refuses, or an
    interruption) the files moved so far are removed, the ones they replaced put back, the
    new folders removed, and the error is raised again. Every path must be inside
    ``within``.
    """
    staging = Path(tempfile.mkdtemp(prefix=".cxmaturity-writing-", dir=within))
    created: list[Path] = []
    moved: list[Path] = []
    kept: list[tuple[Path, Path]] = []  # (a replaced file's place, its copy in staging)
    try:
        staged = []
        for number, (path, content) in enumerate(files.items()):
            temporary = staging / f"{number}.new"
            temporary.write_bytes(content)
            staged.append((temporary, path))
        for folder in sorted({p.parent for p in files}, key=lambda p: len(p.parts)):
            for missing in reversed([folder, *folder.parents]):
                if missing.is_relative_to(within) and not missing.exists():
                    missing.mkdir()
                    created.append(missing)
        for temporary, path in staged:
            if path.exists() or path.is_symlink():
                copy = temporary.with_suffix(".old")
                os.replace(path, copy)
                kept.append((path, copy))
            os.replace(temporary, path)
            moved.append(path)
    except BaseException:  # a full disk, and Ctrl-C too: nothing half done stays
        _undo(moved, kept, created)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _undo(moved: list[Path], kept: list[tuple[Path, Path]], created: list[Path]) -> None:
    """Take back what :func:`write_together` did before it failed, as far as possible."""
    for path in moved:
        path.unlink(missing_ok=True)
    for path, copy in kept:
        with contextlib.suppress(OSError):
            os.replace(copy, path)
    for folder in reversed(created):
        with contextlib.suppress(OSError):
            folder.rmdir()
