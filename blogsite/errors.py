"""Errors that carry the file and line they are about.

Only the CLI prints them; everything below it raises.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path


class BlogsiteError(Exception):
    """A problem in the site's input, reported as ``path:line: message``."""

    exit_code = 1

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = str(self.path) if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


def shown(path: Path | str) -> str:
    """A file as messages name it: relative to the current folder, as the CLI shows every
    error's own file. So `blogsite -C SITE build` names SITE/posts/a.md in a message's text
    as at its start, not the absolute path a site folder given as one would make."""
    if Path(path).is_absolute():
        with contextlib.suppress(ValueError):  # on another drive there is no relative path
            return os.path.relpath(path)
    return str(path)


class UsageError(BlogsiteError):
    """The command was called wrongly (exit 2), as opposed to bad content (exit 1)."""

    exit_code = 2


class BuildFailed(BlogsiteError):
    """Every error a stage found, so the author can fix them all in one go."""

    def __init__(self, errors: Iterable[BlogsiteError]):
        # One line per problem: a broken template fails every page that uses it the same way.
        unique = {str(e): e for e in errors}.values()
        self.errors = sorted(unique, key=lambda e: (str(e.path or ""), e.line or 0, e.message))
        super().__init__(f"{len(self.errors)} error(s)")
        self.exit_code = max((e.exit_code for e in self.errors), default=1)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def collect(errors: list[BlogsiteError]) -> None:
    """Raise all gathered errors at once, if there are any."""
    if errors:
        raise BuildFailed(errors)
