"""Run blogsite here as it runs on another system: Python loads this module at start-up in
every process (the build and each worker) that has this folder on PYTHONPATH.

BLOGSITE_SIMULATE=win32 or darwin takes that system's routes (blogsite.system.routes_for):
no fcntl for win32 (importing it fails, as there), no renameat2, spawned workers.
Windows' msvcrt cannot be had on Linux or macOS; a stand-in with its contract (a lock on a
file's bytes, ended when the descriptor closes) does its job over os.lockf.

BLOGSITE_KILL_AT=N kills the process outright at the Nth point (from 0) before or after a
rename or removal of the output folder or a folder beside it, writing N to BLOGSITE_KILL_LOG
first: a power cut at that point. BLOGSITE_FAIL_AT=N makes that step fail instead, as on
Windows when a program has a file in the folder open.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import types
from typing import Any

SIMULATE = os.environ.get("BLOGSITE_SIMULATE")


def _msvcrt_standin() -> types.ModuleType:
    module = types.ModuleType("msvcrt")
    commands = {0: os.F_ULOCK, 1: os.F_LOCK, 2: os.F_TLOCK}  # LK_UNLCK, LK_LOCK, LK_NBLCK

    def locking(fd: int, mode: int, nbytes: int) -> None:
        os.lockf(fd, commands[mode], nbytes)  # OSError when another process holds it

    module.LK_UNLCK, module.LK_LOCK, module.LK_NBLCK = 0, 1, 2  # type: ignore[attr-defined]
    module.locking = locking  # type: ignore[attr-defined]
    return module


if SIMULATE == "win32" and sys.platform != "win32":
    # These two tell Windows by whether msvcrt imports: let them see this system first.
    import getpass  # noqa: F401
    import subprocess  # noqa: F401

    sys.modules["fcntl"] = None  # type: ignore[assignment]  # import fcntl: ImportError
    sys.modules["msvcrt"] = _msvcrt_standin()

if SIMULATE:
    from blogsite import system

    system.ROUTES = system.routes_for(SIMULATE)


KILL_AT = os.environ.get("BLOGSITE_KILL_AT")
FAIL_AT = os.environ.get("BLOGSITE_FAIL_AT")


def _touches_output(*paths: Any) -> bool:
    return any("_site" in os.path.basename(os.fspath(p)) for p in paths)


if KILL_AT is not None or FAIL_AT is not None:
    points = iter(range(10**6))

    def point() -> None:
        at = next(points)
        if KILL_AT is not None and at == int(KILL_AT):
            with open(os.environ["BLOGSITE_KILL_LOG"], "w") as log:
                log.write(str(at))
            os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
        if FAIL_AT is not None and at == int(FAIL_AT):
            raise PermissionError(13, "Permission denied")  # Windows: a file in it is open

    def watched(call: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            if not _touches_output(*args[:2]):
                return call(*args, **kwargs)
            point()
            result = call(*args, **kwargs)
            point()
            return result

        return run

    os.replace = watched(os.replace)
    os.rename = watched(os.rename)
    shutil.rmtree = watched(shutil.rmtree)  # type: ignore[assignment]

# BLOGSITE_PROCESS_LOG: each process says what it is, so a test sees that workers were spawned.
if "BLOGSITE_PROCESS_LOG" in os.environ:
    with open(os.environ["BLOGSITE_PROCESS_LOG"], "a") as log:
        log.write("worker\n" if "--multiprocessing-fork" in sys.argv else "main\n")
