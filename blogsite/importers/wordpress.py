"""Read a WordPress export (WXR): posts, pages and drafts, categories and tags as labels,
approved comments with their threading; attachments and other post types counted."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
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

CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
WXR = re.compile(r"http://wordpress\.org/export/1\.\d+/")
LIVE, DRAFTS = {"publish"}, {"draft", "pending", "future"}
NO_DATE = "0000-00-00 00:00:00"
BLOCK = re.compile(
    r"<(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|figure|hr|dl|form|address|section)\b",
    re.IGNORECASE,
)

Element = etree._Element


def read(path: Path, max_bytes: int | None = None) -> Export:
    root = read_export(path) if max_bytes is None else read_export(path, max_bytes)
    wp = next((uri for uri in root.nsmap.values() if uri and WXR.fullmatch(uri)), None)
    channel = root.find("channel")
    if root.tag != "rss" or wp is None or channel is None:
        raise BlogsiteError(
            "not a WordPress export (WXR): Tools, Export in WordPress makes one",
            path,
            line_of(root),
        )
    reader = _Reader(path, "{" + wp + "}")
    entries = tuple(e for item in channel.iterfind("item") if (e := reader.item(item)) is not None)
    collect(reader.errors)
    collect(clashes(entries, path))
    settings: dict[str, str | int] = {}
    for key in ("title", "description"):
        value = (channel.findtext(key) or "").strip()
        if value:
            settings[key] = value
    return Export(path, entries, settings, dict(sorted(reader.skipped.items())))


def autop(body: str) -> str:
    """WordPress's paragraphs, as its wpautop makes them from blank lines on display: bare
    text between blank lines becomes a <p>, a single line break a <br>. Block editor content
    (<!-- wp: -->) is left as it is."""
    if "<!-- wp:" in body:
        return body
    chunks = [c.strip() for c in re.split(r"\n\s*\n", body.replace("\r\n", "\n")) if c.strip()]
    return "\n".join(
        c if BLOCK.match(c) else "<p>" + c.replace("\n", "<br>\n") + "</p>" for c in chunks
    )


class _Reader:
    def __init__(self, path: Path, wp: str):
        self.path, self.wp = path, wp
        self.errors: list[BlogsiteError] = []
        self.skipped: dict[str, int] = {}

    def skip(self, what: str, n: int = 1) -> None:
        self.skipped[what] = self.skipped.get(what, 0) + n

    def text(self, element: Element, name: str) -> str:
        return text_of(element.find(self.wp + name)).strip()

    def date(self, element: Element, local: str, gmt: str) -> datetime | None:
        """The local time with its offset from UTC, which WXR gives as two times."""
        here, there = self.text(element, local), self.text(element, gmt)
        try:
            wall = datetime.fromisoformat(here)
            utc = datetime.fromisoformat(there) if there and there != NO_DATE else wall
        except ValueError:
            self.errors.append(
                BlogsiteError(f"<wp:{local}> is not a date: {here!r}", self.path, line_of(element))
            )
            return None
        offset = wall - utc
        if abs(offset) > timedelta(hours=14):
            offset = timedelta(0)
        return wall.replace(tzinfo=UTC if not offset else timezone(offset))

    def item(self, item: Element) -> Entry | None:
        kind = self.text(item, "post_type") or "post"
        status = self.text(item, "status")
        if kind not in ("post", "page"):
            self.skip(kind)
            return None
        if status not in LIVE | DRAFTS:
            self.skip(f"{kind} ({status or 'no status'})")
            return None
        when = self.date(item, "post_date", "post_date_gmt")
        if when is None:
            return None
        body = autop(text_of(item.find(CONTENT)))
        draft = status in DRAFTS
        labels = tuple(
            dict.fromkeys(
                text_of(c).strip()
                for c in item.findall("category")
                if c.get("domain") in ("category", "post_tag") and text_of(c).strip()
            )
        )
        return Entry(
            kind=kind,
            title=text_of(item.find("title")).strip() or title_from_body(body, when),
            date=when,
            updated=None,
            author=text_of(item.find(CREATOR)).strip(),
            labels=labels,
            draft=draft,
            url=None if draft else self.address(item),
            id=text_of(item.find("guid")).strip() or None,
            body=body,
            line=line_of(item),
            comments=self.comments(item),
        )

    def address(self, item: Element) -> str | None:
        parts = urlsplit(text_of(item.find("link")).strip())
        if parts.query or not parts.path.endswith((".html", "/")) or parts.path == "/":
            return None  # a plain ?p=12 permalink: the post gets blogsite's own address
        return parts.path

    def comments(self, item: Element) -> tuple[ImportedComment, ...]:
        found = []
        for c in item.iterfind(self.wp + "comment"):
            if self.text(c, "comment_approved") != "1":
                self.skip("comment (not approved)")
                continue
            if self.text(c, "comment_type") not in ("", "comment"):
                self.skip("comment (pingback or trackback)")
                continue
            when = self.date(c, "comment_date", "comment_date_gmt")
            url, parent = self.text(c, "comment_author_url"), self.text(c, "comment_parent")
            if when is None:
                continue
            found.append(
                ImportedComment(
                    id=self.text(c, "comment_id"),
                    author=self.text(c, "comment_author") or "Anonymous",
                    author_url=url if url.startswith(("http://", "https://")) else None,
                    date=when,
                    html=autop(self.text(c, "comment_content")),
                    reply_to=parent if parent not in ("", "0") else None,
                )
            )
        return threaded(found)
