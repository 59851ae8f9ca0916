"""Write the rendered site so that the output folder is always the old site or the new one."""

from __future__ import annotations

import errno
import os
import shutil
import stat
from collections.abc import Callable, Mapping
from pathlib import Path

from blogsite import system
from blogsite.errors import BlogsiteError, UsageError
from blogsite.output import locking

# Written into every output folder: only a folder that has it (or an empty one) is replaced.
MARKER = ".blogsite-output"
MARKER_TEXT = b"Made by blogsite: each build replaces this whole folder.\n"


def check_destination(
    dest: Path, root: Path, inputs: list[Path], made: Callable[[Path], bool] = lambda _: False
) -> None:
    """Refuse output folders whose replacement would destroy something that is not a build.
    made: whether the build cache's record says blogsite wrote every file in a folder (a site
    an older blogsite built, before it wrote MARKER)."""
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
    if not dest.exists():
        return
    marked = (dest / MARKER).is_file() and not (dest / MARKER).is_symlink()
    if not dest.is_dir() or (not marked and any(dest.iterdir()) and not made(dest)):
        raise UsageError(
            f"refusing to replace {dest}: it does not look like a built site (it has no "
            f"{MARKER} file), and a build replaces the whole folder; if an older blogsite "
            "built it, delete it and build again, else choose another --output"
        )


def safe_relative(path: str) -> str:
    """path itself, if it names a file inside the output folder; stricter than the OS needs
    ('a//b' and './a' are refused too): every output path is made by urls, never like that."""
    parts = path.split("/")
    if "\\" in path or ":" in parts[0] or any(p in ("", ".", "..") for p in parts):
        raise BlogsiteError(f"refusing to write {path!r}: it would leave the output folder")
    return path


def remove_stale(dest: Path) -> None:
    """Clear what killed builds left beside dest: staging folders, old sites, lock files.

    Where the OS cannot swap two folders in one step, commit() moves the old site aside into
    .NAME.old-XXXX/site before it moves the new one in. A build killed between the two leaves
    no dest: the old site is put back then, never removed.
    """
    try:
        entries = sorted(os.scandir(dest.parent), key=lambda entry: entry.name)
    except OSError:
        return
    new, old = f".{dest.name}.new-", f".{dest.name}.old-"
    for entry in entries:
        if not entry.name.startswith((new, old)):
            continue
        if not entry.is_dir(follow_symlinks=False):
            locking.remove_lock_file(entry.path)
            continue
        held = locking.hold_left(entry.path)
        if held is None:  # a running build's
            continue
        try:
            if entry.name.startswith(old) and not _restored(Path(entry.path, "site"), dest):
                continue  # the only copy of the site: kept for the next build to put back
            shutil.rmtree(entry.path, ignore_errors=True)
        finally:
            held.release()


def _restored(kept: Path, dest: Path) -> bool:
    """Put the site a killed commit() moved aside back at dest, if dest is missing; False
    if it could not be (then kept is the only copy)."""
    if dest.exists() or dest.is_symlink() or not kept.is_dir():
        return True  # nothing was lost: kept, if any, is a copy of a replaced site
    try:
        os.replace(kept, dest)
    except OSError:
        return dest.exists()  # another build's site arrived first: kept is not needed
    return True


class Staging:
    """A new tree built beside dest, swapped in by commit(); dest is untouched until then.

    Files whose bytes equal the current site's are hard links to its files, so they keep
    their inode and mtime and rsync-style deploys send only what changed. put() may be
    called from worker processes, forked or spawned: each keeps its own record of folders made.
    """

    def __init__(self, dest: Path):
        self.dest = dest.absolute()
        try:
            self.dest.parent.mkdir(parents=True, exist_ok=True)
            self.new, held = locking.hold_new(self.dest, "new")
        except OSError as e:
            raise self._cannot(e) from e
        self._lock: locking.Held | None = held
        # Strings, not Paths: put() runs for every page, and making Paths was half its time.
        self._root = str(self.new)
        self._old = str(self.dest) if self.dest.is_dir() else None  # None: nothing to keep
        self._folders: set[str] = {self._root}

    def _cannot(self, error: OSError, path: str | None = None) -> BlogsiteError:
        """A write that failed (a full disk, a folder without write permission), named by the
        output folder, so a thousand pages that fail alike are one message; the old site is
        kept. A name too long names its file."""
        if path is not None and error.errno == errno.ENAMETOOLONG:
            return BlogsiteError(f"cannot write {path}: its name is too long", self.dest)
        return BlogsiteError(f"cannot write the new site: {error.strerror or error}", self.dest)

    def put(self, path: str, data: bytes) -> os.stat_result | None:
        """Write data at path; the file's stat, or None for a file kept from the old site
        (its ctime changes when commit() removes the old site: a link to it goes)."""
        try:
            return self._put(safe_relative(path), data)
        except OSError as e:
            raise self._cannot(e, path) from e

    def _put(self, path: str, data: bytes) -> os.stat_result | None:
        target = f"{self._root}/{path}"
        folder = target.rpartition("/")[0]
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            while folder not in self._folders:
                self._folders.add(folder)
                folder = folder.rpartition("/")[0]
        if self._old is not None and self._keep(f"{self._old}/{path}", target, data):
            return None
        # os.open, not open(): no file object and buffer to make for each of thousands of
        # pages, and the stat is of the file as written, with nothing left in a buffer.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | system.O_BINARY, 0o666)
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
        except (OSError, NotImplementedError):  # no hard links here (another disk, say)
            shutil.copy2(old, target)  # copy2 keeps the mtime, which is what deploys compare
        return True

    def commit(self) -> None:
        self.put(MARKER, MARKER_TEXT)
        new, dest = self.new, self.dest
        try:
            os.chmod(new, 0o755)  # mkdtemp makes it private; a site is for reading
            if not dest.exists():
                os.replace(new, dest)
            elif system.exchange(str(new), str(dest)):
                shutil.rmtree(new, ignore_errors=True)  # now holds the old site
            else:
                self._swap()
        except OSError as e:  # on Windows, say, a program has a file in it open
            problem = f"cannot replace the output folder: {e.strerror or e}; it was left as it was"
            raise BlogsiteError(problem, dest) from e
        self._unlock()

    def _swap(self) -> None:
        """Replace dest with new in two renames, the old site moved aside between them into a
        locked folder: if this process is killed there, remove_stale() puts it back."""
        old, held = locking.hold_new(self.dest, "old")
        try:
            os.replace(self.dest, old / "site")
            try:
                os.replace(self.new, self.dest)
            except BaseException:
                os.replace(old / "site", self.dest)
                raise
        finally:
            if self.dest.exists():  # else old holds the only copy of the site: keep it
                shutil.rmtree(old, ignore_errors=True)
            held.release()

    def abort(self) -> None:
        shutil.rmtree(self.new, ignore_errors=True)
        self._unlock()

    def _unlock(self) -> None:
        if self._lock is not None:  # once: abort() may follow a commit() that failed after it
            self._lock.release()
            self._lock = None

    def __getstate__(self) -> dict[str, object]:
        """For a spawned worker, which only puts files: the lock stays with this process."""
        return {**self.__dict__, "_lock": None}


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
