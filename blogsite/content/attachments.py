"""Files that belong to a post (its charts, PDFs): copied next to the post's page, so a
relative link written beside the post's file leads to them on the site too.

A post in its own folder (posts/2011-02-03-where-next/index.md) owns every other file in
that folder; a plain post file (posts/2011-02-03-where-next.md) owns the files beside it
whose names start with its own and a '.' or '-' (2011-02-03-where-next.chart.png).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from blogsite.content.sources import POST_SUFFIXES
from blogsite.content.targets import targets
from blogsite.errors import BlogsiteError, shown
from blogsite.site.model import Post

PAGE_SUFFIXES = ("", ".html", ".htm")  # a relative link to one of these is a page's, not a file


@dataclass(frozen=True)
class Attachment:
    path: str  # in the output folder, next to the post's page
    source: Path
    data: bytes


def is_folder_post(source: Path) -> bool:
    return source.stem == "index" and source.suffix.lower() in POST_SUFFIXES


def _owned(post: Post, files: Sequence[Path], stems: dict[Path, list[str]]) -> dict[str, Path]:
    """The post's files, by their name relative to the post's own file."""
    source = post.source
    if is_folder_post(source):
        inside = [f for f in files if source.parent in f.parents]
        return {f.relative_to(source.parent).as_posix(): f for f in inside}
    own = {}
    for f in files:
        if f.parent != source.parent:
            continue
        named = [s for s in stems.get(f.parent, ()) if f.name.startswith((f"{s}.", f"{s}-"))]
        if named and max(named, key=len) == source.stem:  # the longest name it starts with
            own[f.name] = f
    return own


def attachments(
    posts: Iterable[Post], files: Sequence[tuple[Path, bytes]], texts: dict[Path, bytes]
) -> tuple[list[Attachment], list[BlogsiteError]]:
    """Every post's files, where they go, and an error for each relative link or image in a
    post that names a file it does not have (texts: each post file's bytes)."""
    posts = list(posts)
    data = dict(files)
    stems: dict[Path, list[str]] = {}
    for post in posts:
        if not is_folder_post(post.source):
            stems.setdefault(post.source.parent, []).append(post.source.stem)
    found: list[Attachment] = []
    errors: list[BlogsiteError] = []
    for post in posts:
        own = _owned(post, list(data), stems)
        folder = posixpath.dirname(post.path)
        found += [
            Attachment(posixpath.join(folder, name), path, data[path]) for name, path in own.items()
        ]
        text = texts.get(post.source, b"").decode("utf-8", "replace")
        errors += _missing(post, text, own, data)
    return found, errors


def _missing(
    post: Post, text: str, own: dict[str, Path], files: dict[Path, bytes]
) -> list[BlogsiteError]:
    errors = []
    for line, target in targets(text):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            continue
        name = posixpath.normpath(unquote(parts.path))
        if target.endswith("/") or posixpath.splitext(name)[1].lower() in PAGE_SUFFIXES:
            continue
        if name in own:
            continue
        beside = post.source.parent / name
        if beside in files:
            how = (
                f"name it {post.source.stem}.{posixpath.basename(name)}, or make the post a "
                f"folder: {shown(post.source.with_suffix(''))}/index.md with the file beside it"
            )
            message = f"{target} is beside the post but not one of its files: {how}"
        else:
            message = f"{target}: no such file beside the post"
        errors.append(BlogsiteError(message, post.source, line))
    return errors
