"""What an importer reads from an export, whatever the blog platform: frozen, and in the
export's order, ready for the writer."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from blogsite.errors import BlogsiteError

TAGS = re.compile(r"<[^>]*>")
TITLE_WORDS = 8  # a title made from an untitled post's body, as Blogger lists such posts


@dataclass(frozen=True)
class ImportedComment:
    id: str
    author: str
    author_url: str | None
    date: datetime
    html: str  # untrusted: the build sanitises it
    reply_to: str | None  # the id of the comment it answers


@dataclass(frozen=True)
class Entry:
    """A post or a page of the old blog."""

    kind: str  # "post" or "page"
    title: str
    date: datetime  # with the offset the export gives
    updated: datetime | None
    author: str
    labels: tuple[str, ...]
    draft: bool
    url: str | None  # the old address's path, /2010/11/x.html; None for a draft
    id: str | None  # the old feed's entry id, kept so readers see no post as new
    body: str  # HTML, as written
    line: int | None  # where the export has it, for messages
    comments: tuple[ImportedComment, ...] = ()


@dataclass(frozen=True)
class Export:
    path: Path
    entries: tuple[Entry, ...]
    settings: dict[str, str | int] = field(default_factory=dict)  # for [tool.blogsite]
    skipped: dict[str, int] = field(default_factory=dict)  # what was left out, by kind


def threaded(comments: list[ImportedComment]) -> tuple[ImportedComment, ...]:
    """Oldest first; a reply to a comment not kept (deleted, spam) stands on its own."""
    known = {c.id for c in comments}
    return tuple(
        c if c.reply_to in known else replace(c, reply_to=None)
        for c in sorted(comments, key=lambda c: (c.date, c.id))
    )


def title_from_body(body: str, when: datetime) -> str:
    """The first words of the body's text, else the date: an untitled post still needs a
    title in lists, feeds and the page's <title>."""
    words = html.unescape(TAGS.sub(" ", body)).split()
    if not words:
        return when.strftime("%Y-%m-%d")
    more = "…" if len(words) > TITLE_WORDS else ""
    return " ".join(words[:TITLE_WORDS]) + more


def clashes(entries: tuple[Entry, ...], path: Path) -> list[BlogsiteError]:
    """Two entries at one old address: name both, as the build would."""
    seen: dict[str, Entry] = {}
    errors = []
    for entry in entries:
        if entry.url is None:
            continue
        other = seen.setdefault(entry.url.casefold(), entry)
        if other is not entry:
            errors.append(
                BlogsiteError(
                    f"{entry.kind} {entry.title!r} has the address {entry.url}, as has "
                    f"{other.kind} {other.title!r} (line {other.line})",
                    path,
                    entry.line,
                )
            )
    return errors
