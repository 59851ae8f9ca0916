"""Static files: copied as they are, the site's own over the theme's."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from blogsite.content.sources import THEME
from blogsite.render.plan import Plan, job


def add(out: Plan, static: Mapping[str, bytes], root: Path) -> None:
    """root: the site's folder, to name a file in a message as every error names files."""
    for path, data in static.items():
        out.add(path, job(_as_is, data), _static_file(root, path))


def _static_file(root: Path, path: str) -> Path:
    """The file a static output comes from: the site's own, else the theme's. A stat each,
    where reading them (sources.discover) already opened every one."""
    own = root / "static" / path
    return own if own.is_file() else THEME / "static" / path


def _as_is(data: bytes) -> bytes:
    return data
