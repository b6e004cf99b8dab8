"""The output folder of a build: refused unless ours, locked, built beside it, swapped in.

A build holds a lock beside its output folder from its first look at the folder to the
swap, so two builds into one folder take turns instead of racing their renames. Under the
lock, folders that an earlier build left behind when it was killed (they carry our
marker, and no live build can be using them while we hold the lock) are removed. Nothing
without our marker is ever deleted.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from .engine import BuildError, OutputRefused

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: builds into one folder are not serialised
    fcntl = None  # type: ignore[assignment]

MARKER = ".cxmaturity-output"
"""Marks a folder this tool wrote: only such folders are ever replaced or deleted."""
MARKER_TEXT = "Written by cxmaturity; replaced on every build.\n"
BUILDING_MARKER = ".cxmaturity-building"
"""Marks a temporary build folder, so that one left by a killed build can be removed."""

Notify = Callable[[str], None]


def write_tree(files: Mapping[str, bytes], folder: Path) -> None:
    """Write ``files`` under ``folder`` (which this function creates)."""
    for relative, content in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def check_output(out: Path) -> None:
    """Refuse an output folder we did not create, unless it is empty, and the folder the
    command runs in (or one holding it): replacing it would pull the floor from under it."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise OutputRefused(f"{out}: exists and is not a folder; not replaced")
    here = Path.cwd().resolve()
    if here.is_relative_to(out.resolve()):
        raise OutputRefused(
            f"{out}: is the current folder or holds it; the output folder is replaced as a "
            "whole, so choose a folder below it (--out site)"
        )
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise OutputRefused(
            f"{out}: folder is not empty and was not written by cxmaturity; "
            "not replaced (choose another --out, or empty it yourself)"
        )


def swap_in(built: Path, out: Path) -> None:
    """Replace ``out`` by ``built`` in two renames; the old copy is deleted only after."""
    out = Path(os.path.abspath(out))
    (built / MARKER).write_text(MARKER_TEXT)
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        os.replace(out, old)
    try:
        os.replace(built, out)
    except OSError:
        if old.exists():
            os.replace(old, out)
        raise
    if old.exists() and (old / MARKER).exists():
        shutil.rmtree(old)
    elif old.exists():  # was empty when checked
        old.rmdir()


@contextlib.contextmanager
def output_lock(out: Path, notify: Notify | None = None) -> Iterator[None]:
    """Hold the lock of the output folder ``out``; wait for another build holding it.

    The lock is a file beside the folder, removed again on release (a killed build's one
    is taken over and removed by the next build).
    """
    path = out.with_name(f".{out.name}.lock")
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if notify is not None:
                notify(f"{out}: another build is writing this folder; waiting for it to finish")
                notify = None
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        # The holder before us may have removed the file: then lock the one now there.
        with contextlib.suppress(FileNotFoundError):
            if os.path.samestat(os.fstat(descriptor), os.stat(path)):
                break
        os.close(descriptor)
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        os.close(descriptor)  # closing releases the lock


def clean_leftovers(out: Path) -> list[Path]:
    """Remove what killed builds into ``out`` left beside it; returns what was removed.

    Only folders carrying our markers go. Call it holding :func:`output_lock`: no live
    build into ``out`` can then be using them. A previous site that a killed build had
    moved aside, with no site in its place, is put back rather than removed.
    """
    removed: list[Path] = []
    parent = out.parent
    if not parent.is_dir():
        return removed
    for path in sorted(parent.iterdir()):
        name = path.name
        if path.is_symlink() or not path.is_dir():
            continue
        if name.startswith(f".{out.name}.building-") and (path / BUILDING_MARKER).is_file():
            shutil.rmtree(path)
            removed.append(path)
        elif name.startswith(f".{out.name}.old-") and (path / MARKER).is_file():
            if not out.exists():
                os.replace(path, out)
            else:
                shutil.rmtree(path)
                removed.append(path)
    return removed


@contextlib.contextmanager
def building(out: Path, notify: Notify | None = None) -> Iterator[Path]:
    """Lock ``out``, check it is ours to replace, and give a fresh folder to build in
    beside it (removed afterwards, whatever happens).

    Raises :class:`OutputRefused` for a folder we may not replace and :class:`BuildError`
    when the folder beside it cannot be written. Swap the result in with :func:`swap_in`
    while still inside.
    """
    where = Path(os.path.abspath(out))  # "--out ." has a name this way
    with contextlib.ExitStack() as stack:
        try:
            where.parent.mkdir(parents=True, exist_ok=True)
            stack.enter_context(output_lock(where, notify))
        except OSError as error:
            raise BuildError(_unwritable(out.parent, error)) from None
        check_output(out)
        clean_leftovers(where)
        try:
            work = Path(tempfile.mkdtemp(prefix=f".{where.name}.building-", dir=where.parent))
            stack.callback(shutil.rmtree, work, ignore_errors=True)
            (work / BUILDING_MARKER).write_text("A cxmaturity build in progress.\n")
        except OSError as error:
            raise BuildError(_unwritable(out.parent, error)) from None
        yield work


def _unwritable(folder: Path, error: OSError) -> str:
    return f"{folder}: cannot write here ({error.strerror}); nothing was changed"
