"""Element ids: found in HTML, taken out of a post shown on a list page, and checked to be
unique on a post's own page."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from blogsite.errors import BlogsiteError
from blogsite.render.links import has_attribute, unescape_attribute
from blogsite.site.model import Post

START_TAG = re.compile(r"<[A-Za-z][^>]*>")
ID_ATTRIBUTE = re.compile(r"""\s+id\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""", re.IGNORECASE)


def has_id(fragment: str) -> bool:
    """ID_ATTRIBUTE.search(fragment), quickly (has_attribute)."""
    return has_attribute(ID_ATTRIBUTE, fragment, len("id"))


def element_ids(html: str) -> list[str]:
    """The id of every element in html, in order, as a browser reads them."""
    found = []
    for tag in START_TAG.finditer(html):
        for attribute in ID_ATTRIBUTE.finditer(tag.group(0)):
            value = attribute.group(1)
            found.append(unescape_attribute(value[1:-1] if value[0] in "\"'" else value))
    return found


def without_ids(fragment: str) -> str:
    """A post's HTML as a list page shows it: its ids (a footnote's fn:1, a heading's) belong
    to its own page, and two posts on one page could share them. Its links to them already
    lead to the post's page (see links.resolved_html)."""
    if not has_id(fragment):  # most posts have none
        return fragment
    return START_TAG.sub(lambda tag: ID_ATTRIBUTE.sub("", tag.group(0)), fragment)


def repeated_ids(post: Post, page: bytes) -> tuple[BlogsiteError, ...]:
    """A warning for each id of the post's that its page has twice.

    Its own ids (attr_list's `{#comments}`, raw HTML) may be ones the theme's page uses too
    (`comments`, `content`): duplicate ids are invalid and a link to one finds only the
    first. The author is warned rather than the theme's ids renamed: only a check of the
    page catches every source of ids, a site's own templates included, and the theme's ids
    (`#comments`, as the original Blogger pages had it) stay what links and CSS expect.
    """
    if not has_id(post.body_html):  # most posts have no ids
        return ()
    own = Counter(element_ids(post.body_html))
    on_page = Counter(element_ids(page.decode("utf-8")))
    return tuple(
        BlogsiteError(
            f'the id "{ident}" is on this post\'s page {on_page[ident]} times, '
            f"{own[ident]} from the post and {on_page[ident] - own[ident]} from the "
            f"templates: ids must be unique, and a link to #{ident} finds only the "
            "first; give the post's element another id",
            post.source,
            _line_of_id(post.source, ident),
        )
        for ident in own
        if on_page[ident] > 1
    )


def _line_of_id(source: Path, ident: str) -> int | None:
    """The line of the post's file that sets ident, as `{#ident}` or `id="ident"`; None when
    the id is made by an extension (a footnote's fn:1) or the file cannot be read."""
    written = re.compile(rf"""(?:\{{[^}}\n]*#|\bid\s*=\s*["']?){re.escape(ident)}(?![\w:.-])""")
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, line in enumerate(lines, 1) if written.search(line)), None)
