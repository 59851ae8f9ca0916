"""What the theme's templates know beyond the site itself: page numbers, the month of a
post, a post's body as a page shows it (headings below its title, wide parts scrollable by
keyboard), and the sharing metadata (og:image, BlogPosting JSON-LD).

Every name here reaches the templates through install(), the one place they are added.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

import jinja2
from markupsafe import Markup

from blogsite.config import SiteConfig
from blogsite.site import urls
from blogsite.site.dates import rfc3339
from blogsite.site.model import Post

HEADING = re.compile(r"<(/?)h([1-6])(?=[\s>/])", re.IGNORECASE)
IMAGE = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
SHARE_IMAGE = "images/share.png"  # the theme's (or the site's own static/images/share.png)
# Wide parts a reader scrolls sideways, by tag, and the name a screen reader gives them.
SCROLLED = {"table": "Table", "pre": "Code"}
NEAR = 2  # page numbers shown either side of the current one
EVERY = 10  # and every tenth page: page 30 of 300 is one click from page 1


def page_numbers(current: int, count: int) -> list[int | None]:
    """The page numbers a pager shows, None where numbers are left out: the first and last,
    the pages near the current one, and every tenth."""
    shown = {1, count, *range(current - NEAR, current + NEAR + 1), *range(EVERY, count, EVERY)}
    numbers: list[int | None] = []
    for n in sorted(n for n in shown if 1 <= n <= count):
        if numbers and n - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(n)
    return numbers


def headings_below(body: str, level: int) -> str:
    """body with its headings moved down so the highest is one below level (its title's):
    a post's `##` under an h3 title on a month page becomes an h4. Never moved up."""
    levels = [int(m.group(2)) for m in HEADING.finditer(body) if not m.group(1)]
    shift = level + 1 - min(levels, default=level + 1)
    if shift <= 0:
        return body
    return HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + shift, 6)}", body)


def _outermost(body: str, tag: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each outermost `tag` element of body."""
    depth, start = 0, 0
    for m in re.finditer(rf"<(/?){tag}(?=[\s>])", body, re.IGNORECASE):
        if not m.group(1):
            if depth == 0:
                start = m.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                close = body.find(">", m.end())
                yield start, (close + 1 if close >= 0 else len(body))


def scrollable(body: str) -> str:
    """Each table and code block in a box that scrolls sideways by itself, which a keyboard
    can reach (tabindex) and a screen reader names, so it never widens the page."""
    for tag, name in SCROLLED.items():
        if f"<{tag}" not in body:
            continue
        parts, at = [], 0
        for start, end in _outermost(body, tag):
            parts += [
                body[at:start],
                f'<div class="scroll" tabindex="0" role="group" aria-label="{name}">',
            ]
            parts += [body[start:end], "</div>"]
            at = end
        body = "".join(parts) + body[at:]
    return body


def as_shown(body: str, level: int) -> Markup:
    """A post's body as a page shows it, under a title of heading level `level`."""
    return Markup(scrollable(headings_below(body, level)))


def first_image(body: str) -> str | None:
    """The address of a post's first image, as written in its HTML; None if it has none."""
    for m in IMAGE.finditer(body):
        src = html.unescape(m.group(1) if m.group(1) is not None else m.group(2)).strip()
        # Sites that show a shared link's image take no SVG.
        if src and not src.startswith("data:") and not src.lower().endswith(".svg"):
            return src
    return None


class Sharing:
    """og:image and BlogPosting JSON-LD, in absolute URLs."""

    def __init__(self, config: SiteConfig, link: urls.Urls):
        self.config, self.link = config, link

    def image(self, post: Post | None = None) -> str:
        """The post's first image, else the site's share image."""
        src = first_image(post.body_html) if post is not None else None
        return self.link.absolute(src or self.link.url(SHARE_IMAGE))

    def json_ld(self, post: Post, description: str) -> Markup:
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "headline": post.title,
            "description": Markup(description).unescape(),  # the page's, as HTML
            "datePublished": rfc3339(post.date),
            "dateModified": rfc3339(post.updated or post.date),
            "url": self.link.absolute(post.url),
            "mainEntityOfPage": self.link.absolute(post.url),
            "image": self.image(post),
        }
        if post.author:
            data["author"] = {"@type": "Person", "name": post.author}
        if post.labels:
            data["keywords"] = list(post.labels)
        data["publisher"] = {"@type": "Organization", "name": self.config.title}
        text = json.dumps(data, ensure_ascii=False, indent=None)
        # "<" written as an escape: no "</script>" in a title can end the element early.
        text = text.replace("<", "\\u003c")
        return Markup(f'<script type="application/ld+json">{text}</script>')


def install(env: jinja2.Environment, config: SiteConfig, link: urls.Urls) -> None:
    """Give the templates what this module knows."""
    sharing = Sharing(config, link)
    env.filters.update(
        month_url=lambda d: link.url(urls.month_path(d.year, d.month)),
        as_shown=as_shown,
    )
    env.globals.update(
        page_numbers=page_numbers,
        share_image=sharing.image,
        json_ld=sharing.json_ld,
    )
