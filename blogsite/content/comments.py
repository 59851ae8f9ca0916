"""Archived comments, as an importer carries them over: checked, and their HTML made safe."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import nh3

from blogsite.site.dates import parse_date
from blogsite.site.model import Comment

# What an archived comment may keep: text markup valid in HTML5 and harmless in a page.
# Headings and images are left out so a comment cannot break the page's outline or validity.
COMMENT_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "i", "ins",
    "li", "ol", "p", "pre", "q", "s", "strong", "sub", "sup", "u", "ul",
}  # fmt: skip
COMMENT_ATTRIBUTES = {"a": {"href"}, "abbr": {"title"}, "blockquote": {"cite"}}
COMMENT_LINK_REL = "nofollow ugc noopener noreferrer"


def sanitise(html: str) -> str:
    """Comment HTML made safe to show: no scripts, handlers, styles or javascript: links.

    nh3 (the Rust ammonia sanitiser) is maintained against real attacks; a home-made
    filter would not be.
    """
    clean = nh3.clean(
        html, tags=COMMENT_TAGS, attributes=COMMENT_ATTRIBUTES, link_rel=COMMENT_LINK_REL
    )
    # A link whose href was refused keeps the added rel, which HTML forbids without href.
    return clean.replace(f'<a rel="{COMMENT_LINK_REL}">', "<a>").strip()


def parse_comment(item: Any, tz: ZoneInfo) -> tuple[Comment | None, list[str]]:
    """One archived comment, {author, date, html}, or the problems with it."""
    if not isinstance(item, dict):
        return None, ["must be a mapping with author, date and html"]
    problems = []
    unknown = sorted(set(map(str, item)) - {"author", "date", "html"})
    if unknown:
        problems.append(f"has unknown keys {unknown}; use author, date and html")
    author, html = item.get("author") or "Anonymous", item.get("html")
    if not isinstance(author, str):
        problems.append("'author' must be text")
    if not isinstance(html, str) or not html.strip():
        problems.append("'html' must be the comment's text or HTML")
    when, has_time = datetime.min, False
    if item.get("date") is None:
        problems.append("missing 'date'")
    else:
        try:
            when, has_time = parse_date(item["date"], tz)
        except ValueError as e:
            problems.append(f"invalid date {item['date']!r}: {e}")
    if problems or not isinstance(html, str):
        return None, problems
    return Comment(author.strip(), when, sanitise(html), has_time), []
