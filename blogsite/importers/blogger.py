"""Read a Blogger export, either format: the classic backup (an Atom feed whose entries are
typed by a kind category) or Takeout's feed.atom (blogger:type and blogger:status)."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from blogsite.errors import BlogsiteError, collect
from blogsite.importers.entries import (
    Entry,
    Export,
    ImportedComment,
    clashes,
    threaded,
    title_from_body,
)
from blogsite.importers.xmlread import line_of, read_export, text_of

ATOM = "{http://www.w3.org/2005/Atom}"
TAKEOUT = "{http://schemas.google.com/blogger/2018}"
THREAD = "{http://purl.org/syndication/thread/1.0}"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
KIND_PREFIX = "http://schemas.google.com/blogger/2008/kind#"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
# Blogger's settings that have a blogsite setting, and its name for them.
SETTINGS = {"BLOG_NAME": "title", "BLOG_DESCRIPTION": "description", "BLOG_TIME_ZONE": "timezone"}

Element = etree._Element


def read(path: Path, max_bytes: int | None = None) -> Export:
    """Every post and page of the export, each with its comments; BuildFailed naming every
    entry that cannot be read."""
    root = read_export(path) if max_bytes is None else read_export(path, max_bytes)
    if root.tag != f"{ATOM}feed":
        raise BlogsiteError(
            "not a Blogger export: it is not an Atom feed (Blogger: Settings, Back up)",
            path,
            line_of(root),
        )
    takeout = root.find(f".//{TAKEOUT}type") is not None
    reader = _Reader(path, _takeout_kind if takeout else _classic_kind)
    export = reader.read(root)
    if not takeout:
        export.settings.update(reader.settings)
    else:
        title = text_of(root.find(f"{ATOM}title")).strip()
        if title:
            export.settings["title"] = html.unescape(title)
    return export


def _local(element: Element) -> str:
    return etree.QName(element).localname


def _classic_kind(entry: Element) -> tuple[str | None, str]:
    """(kind, status) of a classic entry; status is "LIVE" or "DRAFT"."""
    kind = None
    for category in entry.findall(f"{ATOM}category"):
        term = category.get("term", "")
        if category.get("scheme") == KIND_SCHEME and term.startswith(KIND_PREFIX):
            kind = term[len(KIND_PREFIX) :]
    # app:control/app:draft, in whichever namespace (or none declared) the file gives app
    draft = any(
        _local(e) == "draft" and (e.text or "").strip() == "yes"
        for control in entry
        if isinstance(control.tag, str) and _local(control) == "control"
        for e in control
        if isinstance(e.tag, str)
    )
    return kind, "DRAFT" if draft else "LIVE"


def _takeout_kind(entry: Element) -> tuple[str | None, str]:
    kind = (entry.findtext(f"{TAKEOUT}type") or "").strip().lower() or None
    return kind, (entry.findtext(f"{TAKEOUT}status") or "").strip().upper()


def _date(entry: Element, name: str, path: Path, errors: list[BlogsiteError]) -> datetime | None:
    text = (entry.findtext(f"{ATOM}{name}") or "").strip()
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        errors.append(
            BlogsiteError(f"<{name}> is not a date with its offset: {text!r}", path, line_of(entry))
        )
        return None
    return when.replace(microsecond=0)


def _post_id(ident: str) -> str:
    """The number Blogger gives a post or comment: 'tag:…blog-1.post-999' -> '999'."""
    return ident.rsplit("post-", 1)[-1] if "post-" in ident else ""


class _Reader:
    def __init__(self, path: Path, kind_of: Callable[[Element], tuple[str | None, str]]):
        self.path, self.kind_of = path, kind_of
        self.takeout = kind_of is _takeout_kind
        self.errors: list[BlogsiteError] = []
        self.settings: dict[str, str | int] = {}
        self.skipped: dict[str, int] = {}

    def skip(self, what: str, n: int = 1) -> None:
        self.skipped[what] = self.skipped.get(what, 0) + n

    def read(self, root: Element) -> Export:
        entries: list[tuple[str, Entry]] = []  # (Blogger id, entry)
        comments: list[tuple[str, ImportedComment]] = []  # (its post's id, comment)
        for element in root.iterfind(f"{ATOM}entry"):
            kind, status = self.kind_of(element)
            if kind is None:
                self.errors.append(
                    BlogsiteError(
                        "an entry without a kind (post, page, comment…)",
                        self.path,
                        line_of(element),
                    )
                )
            elif kind == "settings":
                self.setting(element)
            elif status not in ("LIVE", "DRAFT"):
                self.skip(f"{kind.lower()} ({status.lower() or 'no status'})")
            elif kind in ("post", "page"):
                entry = self.entry(element, kind, draft=status == "DRAFT")
                if entry is not None:
                    entries.append((text_of(element.find(f"{ATOM}id")).strip(), entry))
            elif kind == "comment" and status == "LIVE":
                comment = self.comment(element)
                if comment is not None:
                    comments.append(comment)
            else:
                self.skip(kind if kind != "comment" else "comment (not published)")
        collect(self.errors)
        by_post: dict[str, list[ImportedComment]] = {}
        for post_id, one in comments:
            by_post.setdefault(post_id, []).append(one)
        found = tuple(
            replace(entry, comments=threaded(by_post.pop(ident, []))) for ident, entry in entries
        )
        for orphans in by_post.values():
            self.skip("comment (its post left out)", len(orphans))
        collect(clashes(found, self.path))
        return Export(self.path, found, {}, dict(sorted(self.skipped.items())))

    def setting(self, element: Element) -> None:
        name = text_of(element.find(f"{ATOM}id")).rsplit(".settings.", 1)[-1]
        value = text_of(element.find(f"{ATOM}content")).strip()
        if name in SETTINGS and value:
            self.settings[SETTINGS[name]] = value
        elif name == "BLOG_MAX_NUM" and value.isdigit() and int(value) > 0:
            self.settings["posts_per_page"] = int(value)

    def entry(self, element: Element, kind: str, draft: bool) -> Entry | None:
        before = len(self.errors)
        published = _date(element, "published", self.path, self.errors)
        updated = _date(element, "updated", self.path, self.errors)
        if published is None and len(self.errors) == before:
            self.errors.append(
                BlogsiteError(f"a {kind} without <published>", self.path, line_of(element))
            )
        if published is None:
            return None
        body = text_of(element.find(f"{ATOM}content"))
        title = text_of(element.find(f"{ATOM}title")).strip()
        if self.takeout:
            title = html.unescape(title)  # Takeout escapes titles' entities twice: &amp;#39;
        labels = tuple(
            c.get("term", "").strip()
            for c in element.findall(f"{ATOM}category")
            if c.get("scheme") != KIND_SCHEME
            and c.get("term", "").strip()
            and (self.takeout or c.get("scheme") == LABEL_SCHEME)
        )
        author = text_of(element.find(f"{ATOM}author/{ATOM}name")).strip()
        return Entry(
            kind=kind,
            title=title or title_from_body(body, published),
            date=published,
            updated=updated if updated and updated > published else None,
            author="" if author in ("", "Unknown") else author,
            labels=labels,
            draft=draft,
            url=None if draft else self.address(element),
            id=text_of(element.find(f"{ATOM}id")).strip() or None,
            body=body,
            line=line_of(element),
        )

    def address(self, element: Element) -> str | None:
        if self.takeout:
            return (element.findtext(f"{TAKEOUT}filename") or "").strip() or None
        for link in element.findall(f"{ATOM}link"):
            if link.get("rel") == "alternate" and link.get("href"):
                return urlsplit(link.get("href", "")).path or None
        return None

    def comment(self, element: Element) -> tuple[str, ImportedComment] | None:
        when = _date(element, "published", self.path, self.errors)
        ident = _post_id(text_of(element.find(f"{ATOM}id")).strip())
        if self.takeout:
            post = (element.findtext(f"{TAKEOUT}parent") or "").strip()
            reply = _post_id((element.findtext(f"{TAKEOUT}inReplyTo") or "").strip())
        else:
            target = element.find(f"{THREAD}in-reply-to")
            post = "" if target is None else target.get("ref", "")
            related = [
                link.get("href", "")
                for link in element.findall(f"{ATOM}link")
                if link.get("rel") == "related"
            ]
            reply = related[0].rstrip("/").rsplit("/", 1)[-1] if related else ""
        if when is None or not post or not ident:
            if when is not None:
                self.errors.append(
                    BlogsiteError("a comment without its id or post", self.path, line_of(element))
                )
            return None
        author_url = text_of(element.find(f"{ATOM}author/{ATOM}uri")).strip()
        return post, ImportedComment(
            id=ident,
            author=text_of(element.find(f"{ATOM}author/{ATOM}name")).strip() or "Anonymous",
            author_url=author_url if author_url.startswith(("http://", "https://")) else None,
            date=when,
            html=text_of(element.find(f"{ATOM}content")),
            reply_to=reply if reply.isdigit() else None,
        )
