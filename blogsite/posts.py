"""Parse one source file into a Post. Pure: the bytes come in, a frozen Post goes out."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from . import urls
from .config import SiteConfig
from .errors import BlogsiteError, collect
from .frontmatter import split
from .markdown import Converter
from .model import Post

KNOWN = {"title", "date", "author", "labels", "slug", "draft", "summary", "updated", "id"}
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: Any, tz: ZoneInfo) -> tuple[datetime, bool]:
    """Return an aware datetime in the site's zone and whether a time of day was given."""
    if isinstance(value, str):
        text = value.strip()
        value = date.fromisoformat(text) if DAY.fullmatch(text) else datetime.fromisoformat(text)
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=tz)
        return aware.astimezone(tz), True
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=tz), False
    raise ValueError(
        f"expected a date such as 2011-02-03 or 2011-02-03T09:30:00+00:00, not {value!r}"
    )


def decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise BlogsiteError(
            f"not valid UTF-8 (byte {data[e.start]:#04x}); save the file as UTF-8", path, line
        ) from e


def parse_post(path: Path, data: bytes, config: SiteConfig, converter: Converter) -> Post:
    """Raise BuildFailed with every problem found in this file."""
    doc = split(decode(data, path), path)
    meta, errors = doc.meta, []

    def error(key: str, message: str) -> None:
        errors.append(BlogsiteError(message, path, doc.lines.get(key, 1)))

    title = meta.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        error("title", "missing 'title' in front matter")
    elif not isinstance(title, str | int | float):
        error("title", "'title' must be text")
    elif CONTROL.search(str(title)):
        error("title", "'title' contains a control character")

    when, has_time = datetime.min, False
    if meta.get("date") is None:
        error("date", "missing 'date' in front matter (e.g. date: 2011-02-03)")
    else:
        try:
            when, has_time = parse_date(meta["date"], config.tz)
        except ValueError as e:
            error("date", f"invalid date {meta['date']!r}: {e}")

    updated = None
    if meta.get("updated") is not None:
        try:
            updated = parse_date(meta["updated"], config.tz)[0]
        except ValueError as e:
            error("updated", f"invalid updated date {meta['updated']!r}: {e}")

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
    stem = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", path.stem)
    slug = urls.slugify(raw_slug or stem)
    if not slug:
        error("slug" if raw_slug else "title", f"cannot make a slug from {raw_slug or stem!r}")

    for key in ("author", "summary", "id"):
        if meta.get(key) is not None and not isinstance(meta[key], str):
            error(key, f"'{key}' must be text")
    if not isinstance(meta.get("draft", False), bool):
        error("draft", "'draft' must be true or false")

    if not doc.body.strip():
        errors.append(BlogsiteError("the post has no body", path, doc.body_line))
    collect(errors)

    body_html, summary_html, has_more = converter.body_and_summary(doc.body, meta.get("summary"))
    path_out = urls.post_path(config.permalink, when, slug)
    return Post(
        source=path,
        title=str(title).strip(),
        date=when,
        has_time=has_time,
        slug=slug,
        author=meta.get("author") or config.author,
        labels=tuple(dict.fromkeys(label.strip() for label in labels)),
        draft=meta.get("draft", False),
        body_html=body_html,
        summary_html=summary_html,
        has_more=has_more,
        updated=updated,
        id=meta.get("id"),
        path=path_out,
        url=urls.Urls(config.base_url).url(path_out),
        extra=MappingProxyType({k: v for k, v in meta.items() if k not in KNOWN}),
    )
