"""Running blogsite as on Windows and macOS: see simulated/sitecustomize.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.conftest import REPO

SIMULATED = Path(__file__).parent / "simulated"
# macOS's route locks with fcntl, which Windows lacks: there only Windows' own is taken.
SYSTEMS = ["win32"] if sys.platform == "win32" else ["win32", "darwin"]


def as_on(system: str | None, **more: str) -> dict[str, str]:
    """The environment that runs blogsite with system's routes (None: this system's own)."""
    env = {"PYTHONPATH": os.pathsep.join([str(SIMULATED), str(REPO)]), **more}
    if system is not None:
        env["BLOGSITE_SIMULATE"] = system
    return env
