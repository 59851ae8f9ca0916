"""Folders beside the output that a running build holds, told by a lock from those a killed
build left behind.

A lock lasts as long as its descriptor is open, here or in a forked worker, and ends when the
process does, however it ends. Where a folder can be locked itself (POSIX) its own descriptor
holds the lock; on Windows, which cannot open a folder, a file beside it, FOLDER.lock, does.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from blogsite import system

LOCK_SUFFIX = ".lock"


@dataclass(frozen=True)
class Held:
    """The lock of one folder: release() once, after the folder is renamed or removed."""

    fd: int
    lock_file: str | None  # the file beside the folder that holds it, if not the folder

    def release(self) -> None:
        os.close(self.fd)
        if self.lock_file is not None:  # closed first: Windows cannot remove an open file
            with contextlib.suppress(OSError):
                os.unlink(self.lock_file)


def _open(folder: str, *, new: bool) -> tuple[int, str | None]:
    """The descriptor whose lock stands for folder's, and the lock file's path if any."""
    if system.ROUTES.folder_locks:
        flags = os.O_RDONLY if new else os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
        return os.open(folder, flags), None
    lock_file = folder + LOCK_SUFFIX
    return os.open(lock_file, os.O_RDWR | os.O_CREAT | system.O_BINARY, 0o666), lock_file


def _still(fd: int, folder: str, lock_file: str | None) -> bool:
    """Whether the locked descriptor still stands for folder: a build that cleared killed
    builds' folders may have removed it (or its lock file) before the lock was taken."""
    try:
        return os.path.samestat(os.fstat(fd), os.stat(lock_file or folder)) and (
            os.path.isdir(folder)
        )
    except OSError:
        return False


def hold_new(dest: Path, kind: str) -> tuple[Path, Held]:
    """A new folder .NAME.KIND-XXXX beside dest, and its lock."""
    while True:
        path = tempfile.mkdtemp(prefix=f".{dest.name}.{kind}-", dir=dest.parent)
        fd, lock_file = _open(path, new=True)
        try:
            locked = system.lock(fd, wait=True)
        except OSError:  # a file system without locks: then no build removes another's folder
            locked = True
        if locked and _still(fd, path, lock_file):
            return Path(path), Held(fd, lock_file)
        os.close(fd)  # a build clearing killed builds' folders took it first; it removes both


def hold_left(folder: str) -> Held | None:
    """The lock of a folder that no running build holds, or None."""
    try:
        fd, lock_file = _open(folder, new=False)
    except OSError:
        return None
    try:
        if system.lock(fd, wait=False) and _still(fd, folder, lock_file):
            return Held(fd, lock_file)
    except OSError:  # no locks on this file system: the folder may be a running build's
        pass
    os.close(fd)
    return None


def remove_lock_file(path: str) -> None:
    """Remove a lock file whose folder is gone, unless a build holds it."""
    if system.ROUTES.folder_locks or not path.endswith(LOCK_SUFFIX):
        return
    try:
        fd = os.open(path, os.O_RDWR | system.O_BINARY)
    except OSError:
        return
    try:
        locked = system.lock(fd, wait=False)
    except OSError:
        locked = False
    if locked and not os.path.lexists(path.removesuffix(LOCK_SUFFIX)):
        Held(fd, path).release()
    else:
        os.close(fd)
