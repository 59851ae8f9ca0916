"""The frozen data the pipeline passes from stage to stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from blogsite.config import SiteConfig


@dataclass(frozen=True)
class Comment:
    """An archived comment, carried over by an importer. ``html`` is already sanitised."""

    author: str
    date: datetime
    html: str
    has_time: bool = True  # False when the importer gave only a day
    id: str | None = None  # the old blog's, shown as the anchor #c<id> its permalinks used
    author_url: str | None = None  # an http(s) address
    reply_to: str | None = None  # the id of the comment it answers


@dataclass(frozen=True)
class Post:
    source: Path  # relative to the site root, for messages
    title: str
    date: datetime  # timezone-aware
    has_time: bool  # False when the front matter gave only a day
    slug: str
    author: str
    labels: tuple[str, ...]
    draft: bool
    body_html: str
    summary_html: str
    has_more: bool  # the summary is shorter than the body: show "Read more"
    updated: datetime | None
    id: str | None  # a stable feed id that survives URL changes
    path: str  # output path, e.g. "2011/02/where-next.html"
    url: str  # site URL, e.g. "/2011/02/where-next.html"
    comments: tuple[Comment, ...] = ()
    extra: MappingProxyType[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    slug_line: int = 1  # the line of its `slug:`, for messages; 1 when the file name gives it
    page: bool = False  # a standalone page from pages/: in no feed, archive or label
    dated: bool = True  # False for a page whose front matter gives no date


@dataclass(frozen=True)
class Page:
    """One page of a paged list of posts (home, month, label).

    A month's first and last pages link on to the neighbouring months (see collate.archive);
    newer_month and older_month then give a date in the month the link leads to, to name it.
    """

    number: int
    count: int  # how many pages the list has
    posts: tuple[Post, ...]
    path: str
    url: str
    newer_url: str | None
    older_url: str | None
    first_url: str
    newer_month: datetime | None = None
    older_month: datetime | None = None


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    posts: tuple[Post, ...]  # newest first
    pages: tuple[Page, ...]
    url: str


@dataclass(frozen=True)
class Year:
    year: int
    months: tuple[Month, ...]  # newest first; only months with posts
    path: str
    url: str

    @property
    def count(self) -> int:
        return sum(len(m.posts) for m in self.months)


@dataclass(frozen=True)
class Label:
    name: str
    slug: str
    posts: tuple[Post, ...]  # newest first
    pages: tuple[Page, ...]
    url: str


@dataclass(frozen=True)
class Neighbours:
    newer: Post | None
    older: Post | None


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    posts: tuple[Post, ...]  # newest first, ties broken by slug
    home: tuple[Page, ...]
    years: tuple[Year, ...]  # newest first
    labels: tuple[Label, ...]  # by name
    neighbours: MappingProxyType[str, Neighbours]  # by post path
    updated: datetime | None  # newest date among posts: the build's only "now"
    static: MappingProxyType[str, bytes]  # output path -> bytes, site files over theme files
    pages: tuple[Post, ...] = ()  # standalone pages (About, Contact), by title
