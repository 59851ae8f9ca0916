"""Write the rendered site so that the output folder is always the old site or the new one."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from .errors import BlogsiteError, UsageError


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
    if dest.exists() and (
        not dest.is_dir() or (any(dest.iterdir()) and not (dest / "index.html").exists())
    ):
        raise UsageError(
            f"refusing to replace {dest}: it does not look like a built site "
            "(no index.html); choose another --output"
        )


def safe_relative(path: str) -> PurePosixPath:
    rel = PurePosixPath(path)
    if (
        rel.is_absolute()
        or not rel.parts
        or any(p in ("..", "") for p in rel.parts)
        or "\\" in path
        or ":" in rel.parts[0]
    ):
        raise BlogsiteError(f"refusing to write {path!r}: it would leave the output folder")
    return rel


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step where the OS can (Linux renameat2); False if it cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def write(files: Mapping[str, bytes], dest: Path) -> None:
    """Build the new tree beside dest, then swap it in; on any failure dest is untouched."""
    dest = dest.absolute()
    dest.parent.mkdir(parents=True, exist_ok=True)
    new = Path(tempfile.mkdtemp(prefix=f".{dest.name}.new-", dir=dest.parent))
    try:
        for path in sorted(files):
            target = new / safe_relative(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[path])
        os.chmod(new, 0o755)  # mkdtemp makes it private; a site is for reading
        if not dest.exists():
            os.replace(new, dest)
        elif _exchange(new, dest):
            shutil.rmtree(new, ignore_errors=True)  # now holds the old site
        else:
            old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
            os.replace(dest, old / "site")
            os.replace(new, dest)
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
