"""Parse one source file into a Post. Pure: the bytes come in, a frozen Post goes out."""

from __future__ import annotations

import difflib
import re
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import nh3

from blogsite.config import SiteConfig
from blogsite.content.frontmatter import split
from blogsite.content.markdown.converter import Converter
from blogsite.content.sources import HTML_SUFFIXES
from blogsite.errors import BlogsiteError, collect
from blogsite.render.links import resolved_html
from blogsite.site import urls
from blogsite.site.model import Comment, Post

KNOWN = {
    "title",
    "date",
    "author",
    "labels",
    "slug",
    "draft",
    "summary",
    "updated",
    "id",
    "comments",
    "url",
}
# Read as written, never as numbers.
TEXT = ("title", "author", "labels", "slug", "summary", "id", "url")
# Not characters at all: a YAML escape ("\ud800") can make them, but no file can hold them.
NONCHARACTER = re.compile("[\ud800-\udfff\ufffe\uffff]")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
URI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:.")  # a feed id: Atom needs an IRI


def parse_date(value: Any, tz: ZoneInfo) -> tuple[datetime, bool]:
    """Return an aware datetime in the site's zone and whether a time of day was given."""
    if isinstance(value, str):
        text = value.strip()
        value = date.fromisoformat(text) if DAY.fullmatch(text) else datetime.fromisoformat(text)
    try:
        if isinstance(value, datetime):
            aware = value if value.tzinfo else _wall_clock(value, tz)
            return _representable(aware.astimezone(tz)), True
        if isinstance(value, date):
            return _representable(datetime(value.year, value.month, value.day, tzinfo=tz)), False
    except OverflowError as e:
        raise ValueError(OUT_OF_RANGE) from e
    raise ValueError(
        f"expected a date such as 2011-02-03 or 2011-02-03T09:30:00+00:00, not {value!r}"
    )


OUT_OF_RANGE = "a date must be between the years 1 and 9999 in UTC and in the site's time zone"


def _representable(when: datetime) -> datetime:
    """when, if it is a date in UTC too (feeds and the sitemap write it so): 9999-12-31 at
    23:00 in New York is in the year 10000 there; raises OverflowError if not."""
    when.astimezone(UTC)
    return when


def _wall_clock(naive: datetime, tz: ZoneInfo) -> datetime:
    """naive as the clocks in tz showed it. A time they skipped (01:30 on the night they go
    forward) is read with the offset before the change, and so shows as the time it really
    was (02:30): kept as written, it was listed before a post of 02:15."""
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


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


COMMENT_KEYS = ("author", "date", "html", "id", "author_url", "reply_to")
COMMENT_ID = re.compile(r"[A-Za-z0-9_-]+")  # part of an anchor, #c<id>
WEB_ADDRESS = re.compile(r"https?://[^\s<>\"{}|\\^`]+", re.IGNORECASE)


def parse_comment(item: Any, tz: ZoneInfo) -> tuple[Comment | None, list[str]]:
    """One archived comment, {author, date, html, and optionally id, author_url, reply_to},
    or the problems with it."""
    if not isinstance(item, dict):
        return None, ["must be a mapping with author, date and html"]
    problems = []
    unknown = sorted(set(map(str, item)) - set(COMMENT_KEYS))
    if unknown:
        problems.append(f"has unknown keys {unknown}; use {', '.join(COMMENT_KEYS)}")
    author, html = item.get("author") or "Anonymous", item.get("html")
    if not isinstance(author, str):
        problems.append("'author' must be text")
    for key in ("id", "reply_to"):
        if item.get(key) is not None and not COMMENT_ID.fullmatch(str(item[key])):
            problems.append(f"'{key}' must be letters, digits, '-' or '_', not {item[key]!r}")
    author_url = item.get("author_url")
    if author_url is not None and not (
        isinstance(author_url, str) and WEB_ADDRESS.fullmatch(author_url)
    ):
        problems.append(f"'author_url' must be an http or https address, not {author_url!r}")
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
    ident, reply_to = item.get("id"), item.get("reply_to")
    return Comment(
        author.strip(),
        when,
        sanitise(html),
        has_time,
        None if ident is None else str(ident),
        author_url,
        None if reply_to is None else str(reply_to),
    ), []


def decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise BlogsiteError(
            f"not valid UTF-8 (byte {data[e.start]:#04x}); save the file as UTF-8", path, line
        ) from e


def _all_text(value: Any) -> str:
    """Every string in a front-matter value, keys included, joined."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "".join(_all_text(k) + _all_text(v) for k, v in value.items())
    if isinstance(value, list):
        return "".join(map(_all_text, value))
    return ""


def _one_per_page(labels: list[str]) -> tuple[str, ...]:
    """The labels, each as first spelt: two that share a label page (a slug) are one label,
    so the post is listed once there."""
    by_slug: dict[str, str] = {}
    for label in labels:
        by_slug.setdefault(urls.slugify(label), label.strip())
    return tuple(by_slug.values())


UNDATED = datetime(1970, 1, 1, tzinfo=UTC)  # a page's date when its front matter gives none


def parse_post(
    path: Path, data: bytes, config: SiteConfig, converter: Converter, *, page: bool = False
) -> Post:
    """Raise BuildFailed with every problem found in this file. page: a standalone page from
    pages/, which needs no date. A .html file's body is HTML, kept as written."""
    doc = split(decode(data, path), path)
    meta = {**doc.meta, **{key: doc.text(key) for key in TEXT if key in doc.meta}}
    errors: list[BlogsiteError] = []

    def error(key: str, message: str) -> None:
        errors.append(BlogsiteError(message, path, doc.lines.get(key, 1)))

    for key in meta:
        if key not in KNOWN and key not in config.extra_front_matter:
            close = difflib.get_close_matches(key, [*KNOWN, *config.extra_front_matter], 1, 0.65)
            if close:
                error(
                    key,
                    f"unknown key {key!r} in front matter; did you mean {close[0]!r}? "
                    "(a key of the site's own goes in the extra_front_matter setting)",
                )

    title = meta.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        error("title", "missing 'title' in front matter")
    elif not isinstance(title, str):
        error("title", "'title' must be text")
    elif CONTROL.search(title):
        error("title", "'title' contains a control character")

    when, has_time = datetime.min, False
    if meta.get("date") is None and page:
        when = UNDATED
    elif meta.get("date") is None:
        error("date", "missing 'date' in front matter (e.g. date: 2011-02-03)")
    else:
        try:
            when, has_time = parse_date(meta["date"], config.tz)
        except ValueError as e:
            error("date", f"invalid date {meta['date']!r}: {e}")

    updated = None
    if meta.get("updated") is not None:
        try:
            updated, updated_has_time = parse_date(meta["updated"], config.tz)
        except ValueError as e:
            error("updated", f"invalid updated date {meta['updated']!r}: {e}")
        else:
            if not updated_has_time and updated.date() == when.date():
                updated = max(updated, when)  # "updated: 2011-06-01" on a post of 10:00 that day
            if when != datetime.min and updated < when:
                error("updated", f"'updated' ({meta['updated']}) is before the post's 'date'")

    labels = meta.get("labels") or []
    if isinstance(labels, str):
        labels = [labels]
    if not isinstance(labels, list) or not all(
        isinstance(label, str) and urls.slugify(label) for label in labels
    ):
        error("labels", "'labels' must be a list of names, e.g. labels: [Big Society, Cuts]")
        labels = []

    raw_slug = meta.get("slug")
    if raw_slug is not None and (not isinstance(raw_slug, str) or urls.unsafe_slug(raw_slug)):
        error("slug", f"slug {raw_slug!r} could leave the output folder; use words and '-' only")
        raw_slug = None
    # A post in its own folder (posts/2011-02-03-x/index.md) is named by the folder.
    named = path.parent.name if path.stem == "index" else path.stem
    stem = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", named)
    slug = urls.slugify(raw_slug or stem)
    if not slug:
        error("slug" if raw_slug else "title", f"cannot make a slug from {raw_slug or stem!r}")
    elif problem := urls.too_long(slug):
        fix = "shorten the slug" if raw_slug else "give it a shorter 'slug' or file name"
        error("slug" if raw_slug else "", f"{problem}: {fix}")
    for number, label in enumerate(labels, 1):
        if problem := urls.too_long(urls.slugify(label)):
            item = f"labels.{number}"
            error(item if item in doc.lines else "labels", f"the label {label[:40]!r}…: {problem}")

    for key in ("author", "summary", "id"):
        if meta.get(key) is not None and not isinstance(meta[key], str):
            error(key, f"'{key}' must be text")
    for key, value in meta.items():
        bad = sorted({f"U+{ord(c):04X}" for c in NONCHARACTER.findall(_all_text(value))})
        if bad:
            error(key, f"'{key}' contains {', '.join(bad)}, which is not a character")
    ident = meta.get("id")
    if isinstance(ident, str) and (not URI_SCHEME.match(ident) or urls.NOT_IN_URL.search(ident)):
        error(
            "id",
            f"id {ident!r} must be a URI that never changes, such as the post's first URL "
            "or tag:example.org,2011:where-next",
        )
    own_url = meta.get("url")
    own_path = None
    if own_url is not None:
        own_path = urls.own_path(own_url) if isinstance(own_url, str) else None
        if own_path is None:
            error(
                "url",
                f"url {own_url!r} must be an address in the site starting with '/' and ending "
                "in '.html' or '/', e.g. url: /2010/11/the-steel-windpipe.html",
            )
    if not isinstance(meta.get("draft", False), bool):
        error("draft", "'draft' must be true or false")

    comments: list[Comment] = []
    raw_comments = meta.get("comments")
    if raw_comments is not None and not isinstance(raw_comments, list):
        error("comments", "'comments' must be a list of {author, date, html} entries")
        raw_comments = None
    for number, item in enumerate(raw_comments or [], 1):
        comment, problems = parse_comment(item, config.tz)
        line = doc.lines.get(f"comments.{number}", doc.lines.get("comments", 1))
        errors.extend(BlogsiteError(f"comment {number}: {p}", path, line) for p in problems)
        if comment:
            comments.append(comment)

    if not doc.body.strip():
        errors.append(BlogsiteError("the post has no body", path, doc.body_line))
    collect(errors)

    try:
        body_html, summary_html, has_more = converter.body_and_summary(
            doc.body, meta.get("summary"), html=path.suffix.lower() in HTML_SUFFIXES
        )
    except RecursionError:  # before 3.11.4, Python-Markdown recursed once per level of nesting
        raise BlogsiteError(
            "lists or quotes nested too deeply for the installed Python-Markdown "
            "(3.11.4 or later converts them)",
            path,
            doc.body_line,
        ) from None
    if own_path:
        path_out = own_path
    elif page:
        path_out = urls.page_path(slug)
    else:
        path_out = urls.post_path(config.permalink, when, slug)
    url = urls.Urls(config.base_url).url(path_out)
    # Home, month and label pages show it too, at other addresses: 'pic.png' and '#fn:1'
    # must still lead to the post's picture and its footnote.
    body_html, summary_html = resolved_html(body_html, url), resolved_html(summary_html, url)
    return Post(
        source=path,
        title=str(title).strip(),
        date=when,
        has_time=has_time,
        slug=slug,
        author=meta.get("author") or config.author,
        labels=_one_per_page(labels),
        draft=meta.get("draft", False),
        body_html=body_html,
        summary_html=summary_html,
        has_more=has_more,
        updated=updated,
        id=meta.get("id"),
        path=path_out,
        url=url,
        comments=tuple(comments),
        extra=MappingProxyType({k: v for k, v in meta.items() if k not in KNOWN}),
        slug_line=doc.lines.get("slug", 1) if raw_slug else 1,
        page=page,
        dated=when is not UNDATED,
    )
