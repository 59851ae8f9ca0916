"""Where Windows, macOS and Linux differ, decided once, here, from sys.platform.

Every other module runs the same code everywhere and asks this one for the few calls that
differ: how a folder is locked, whether two folders can be swapped in one step, how worker
processes start and whether they die with their parent. ROUTES says which way each goes.
"""

from __future__ import annotations

import os
import signal
import sys
from dataclasses import dataclass
from typing import Literal

StartMethod = Literal["fork", "forkserver", "spawn"]


@dataclass(frozen=True)
class Routes:
    # A folder's own descriptor can hold a lock (POSIX flock); otherwise a lock file beside the
    # folder holds it (Windows cannot open a folder, and locks files with msvcrt).
    folder_locks: bool
    # renameat2(RENAME_EXCHANGE) swaps two folders in one step (Linux only).
    exchange: bool
    # Fork starts workers at once, sharing the parent's memory; on macOS system libraries may
    # crash in a forked child and Windows has no fork, so there they are spawned.
    start_method: StartMethod
    # prctl(PR_SET_PDEATHSIG) ends a worker when its parent is killed (Linux only); elsewhere a
    # worker ends when it finds the parent's pipe closed, after its current slice.
    die_with_parent: bool


def routes_for(platform: str) -> Routes:
    linux = platform == "linux"
    return Routes(
        folder_locks=platform != "win32",
        exchange=linux,
        start_method="fork" if linux else "spawn",
        die_with_parent=linux,
    )


ROUTES = routes_for(sys.platform)

if sys.platform == "win32":
    # Windows opens files in text mode unless told otherwise, turning "\n" into "\r\n".
    O_BINARY = os.O_BINARY
    # The signals that stop a build as Ctrl-C does: Windows sends Ctrl-Break as SIGBREAK.
    STOP_SIGNALS = (signal.SIGTERM, signal.SIGBREAK)
else:
    O_BINARY = 0
    STOP_SIGNALS = (signal.SIGTERM,)

# On Windows SO_REUSEADDR lets a second server take a port that is in use.
REUSE_ADDRESS = sys.platform != "win32"


def cores() -> int:
    """The cores this process may run on."""
    if sys.platform == "linux":
        return len(os.sched_getaffinity(0))  # a container or taskset may allow fewer
    return os.cpu_count() or 1


def lock(fd: int, *, wait: bool) -> bool:
    """Lock fd (a folder's, or a lock file's: see Routes.folder_locks) for this process; False
    if another holds it and wait is False. The lock ends when fd is closed."""
    if ROUTES.folder_locks:
        import fcntl

        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            return False
        return True
    import msvcrt

    # Typeshed declares msvcrt's names for Windows only; mypy checks this as Linux.
    mode = msvcrt.LK_LOCK if wait else msvcrt.LK_NBLCK  # type: ignore[attr-defined,unused-ignore]
    try:
        msvcrt.locking(fd, mode, 1)  # type: ignore[attr-defined,unused-ignore]
    except OSError:
        return False
    return True


def exchange(a: str, b: str) -> bool:
    """Swap two paths in one step where the OS can; False if it cannot."""
    if not ROUTES.exchange:
        return False
    # Imported here: a build that reuses its output swaps nothing, and this import took 7 ms
    # of such a build's 0.2 s.
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):  # a C library older than glibc 2.28
        return False
    at_fdcwd, rename_exchange = -100, 2
    done: int = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return done == 0


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with(parent: int) -> None:
    """Where the OS can, end this process when parent ends, even when it is killed outright."""
    if not ROUTES.die_with_parent:
        return
    import ctypes

    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before prctl took effect
        os._exit(1)
