"""Write the rendered site so that the output folder is always the old site or the new one."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from blogsite.errors import BlogsiteError, UsageError


def check_destination(dest: Path, root: Path, inputs: list[Path]) -> None:
    """Refuse output folders whose replacement would destroy something that is not a build."""
    dest, root = dest.resolve(), root.resolve()
    if dest == Path(dest.anchor) or dest == Path.home().resolve():
        raise UsageError(f"refusing to use {dest} as the output folder")
    if dest == root or dest in root.parents:
        raise UsageError(f"the output folder {dest} must not be the site folder or above it")
    for folder in inputs:
        folder = folder.resolve()
        if dest == folder or folder in dest.parents or dest in folder.parents:
            raise UsageError(f"the output folder {dest} must not overlap the input {folder}")
    if (dest / ".git").exists():  # a checkout (say of gh-pages): swapping it out loses history
        raise UsageError(
            f"refusing to replace {dest}: it is a git checkout, and a build replaces the whole "
            "folder; build elsewhere and copy the site into it (rsync -a --delete --exclude .git)"
        )
    if dest.exists() and (
        not dest.is_dir() or (any(dest.iterdir()) and not (dest / "index.html").exists())
    ):
        raise UsageError(
            f"refusing to replace {dest}: it does not look like a built site "
            "(no index.html); choose another --output"
        )


def safe_relative(path: str) -> str:
    """path itself, if it names a file inside the output folder; stricter than the OS needs
    ('a//b' and './a' are refused too): every output path is made by urls, never like that."""
    parts = path.split("/")
    if "\\" in path or ":" in parts[0] or any(p in ("", ".", "..") for p in parts):
        raise BlogsiteError(f"refusing to write {path!r}: it would leave the output folder")
    return path


def _locked_folder(dest: Path, kind: str) -> tuple[Path, int]:
    """A new folder .NAME.KIND-XXXX beside dest, with an open descriptor holding its lock.

    The lock is how remove_stale() tells a live build's folder from one a killed build left:
    it lasts as long as the descriptor is open here or in a forked worker.
    """
    while True:
        path = Path(tempfile.mkdtemp(prefix=f".{dest.name}.{kind}-", dir=dest.parent))
        fd = os.open(path, os.O_RDONLY)
        with contextlib.suppress(OSError):  # a file system without locks: nothing is removed
            fcntl.flock(fd, fcntl.LOCK_EX)
        with contextlib.suppress(OSError):
            if os.path.samestat(os.fstat(fd), os.stat(path)):
                return path, fd
        os.close(fd)  # another build's remove_stale() took it before the lock did


def remove_stale(dest: Path) -> None:
    """Remove the staging and old-site folders that killed builds left beside dest."""
    try:
        entries = list(os.scandir(dest.parent))
    except OSError:
        return
    prefixes = (f".{dest.name}.new-", f".{dest.name}.old-")
    for entry in entries:
        if not entry.name.startswith(prefixes) or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            fd = os.open(entry.path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            shutil.rmtree(entry.path, ignore_errors=True)
        except OSError:  # a running build holds it
            pass
        finally:
            os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step where the OS can (Linux renameat2); False if it cannot."""
    # Imported here: a build that reuses its output swaps nothing, and this import took 7 ms
    # of such a build's 0.2 s.
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


class Staging:
    """A new tree built beside dest, swapped in by commit(); dest is untouched until then.

    Files whose bytes equal the current site's are hard links to its files, so they keep
    their inode and mtime and rsync-style deploys send only what changed. put() may be
    called from forked worker processes: each keeps its own record of folders made.
    """

    def __init__(self, dest: Path):
        self.dest = dest.absolute()
        self.dest.parent.mkdir(parents=True, exist_ok=True)
        self.new, self._lock = _locked_folder(self.dest, "new")
        # Strings, not Paths: put() runs for every page, and making Paths was half its time.
        self._root = str(self.new)
        self._old = str(self.dest) if self.dest.is_dir() else None  # None: nothing to keep
        self._folders: set[str] = {self._root}

    def _target(self, path: str) -> str:
        """Where path goes in the new tree, its folders made."""
        target = f"{self._root}/{safe_relative(path)}"
        folder = target.rpartition("/")[0]
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            while folder not in self._folders:
                self._folders.add(folder)
                folder = folder.rpartition("/")[0]
        return target

    def link_old(self, path: str, recorded: Sequence[int]) -> bool:
        """Link the old site's file at path into the new tree, unrendered, if it is as the
        last build left it: recorded is its (mode, size, mtime, ctime, inode) then."""
        if self._old is None:
            return False
        old = f"{self._old}/{path}"
        try:
            st = os.lstat(old)
            if (st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) != tuple(
                recorded
            ):
                return False
            os.link(old, self._target(path), follow_symlinks=False)
        except OSError:  # gone, or no hard links here: render it
            return False
        return True

    def put(self, path: str, data: bytes) -> os.stat_result | None:
        """Write data at path; the file's stat, or None for a file kept from the old site
        (its ctime changes when commit() removes the old site: a link to it goes)."""
        target = self._target(path)
        if self._old is not None and self._keep(f"{self._old}/{path}", target, data):
            return None
        # os.open, not open(): no file object and buffer to make for each of thousands of
        # pages, and the stat is of the file as written, with nothing left in a buffer.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
        try:
            done = os.write(fd, data)
            while done < len(data):  # a write may take less than all of it
                done += os.write(fd, memoryview(data)[done:])
            return os.fstat(fd)
        finally:
            os.close(fd)

    @staticmethod
    def _keep(old: str, target: str, data: bytes) -> bool:
        """Link the old file into the new tree if its bytes are the same; False if not."""
        try:
            st = os.lstat(old)
            if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
                return False
            with open(old, "rb") as f:
                if f.read() != data:
                    return False
        except OSError:
            return False
        try:
            os.link(old, target, follow_symlinks=False)
        except OSError:  # no hard links here (another disk, a file system without them)
            shutil.copy2(old, target)  # copy2 keeps the mtime, which is what deploys compare
        return True

    def commit(self) -> None:
        new, dest = self.new, self.dest
        os.chmod(new, 0o755)  # mkdtemp makes it private; a site is for reading
        if not dest.exists():
            os.replace(new, dest)
        elif _exchange(new, dest):
            shutil.rmtree(new, ignore_errors=True)  # now holds the old site
        else:
            old, lock = _locked_folder(dest, "old")
            try:
                os.replace(dest, old / "site")
                os.replace(new, dest)
                shutil.rmtree(old, ignore_errors=True)
            finally:
                os.close(lock)
        self._unlock()

    def abort(self) -> None:
        shutil.rmtree(self.new, ignore_errors=True)
        self._unlock()

    def _unlock(self) -> None:
        if self._lock >= 0:  # once: abort() may follow a commit() that failed after it
            os.close(self._lock)
            self._lock = -1


def write(files: Mapping[str, bytes], dest: Path) -> None:
    """Build the new tree beside dest, then swap it in; on any failure dest is untouched."""
    staging = Staging(dest)
    try:
        for path in sorted(files):
            staging.put(path, files[path])
        staging.commit()
    except BaseException:
        staging.abort()
        raise
