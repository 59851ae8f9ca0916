"""Every output path and URL is made here, and only here.

An output path is relative to the output folder ("2011/02/where-next.html");
a URL is what a page links to ("/blog/2011/02/where-next.html" under a sub-path).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, lru_cache
from urllib.parse import urljoin, urlsplit

_UNSAFE = re.compile(r"\.\.|[/\\%\x00]|^[A-Za-z]:")
# What RFC 3987 leaves out of an IRI: spaces, controls and <>"{}|\^`.
NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f<>\"{}|\\^`]")


# A slug names a file or folder: with ".html" added it stays well below the 255 bytes that
# file systems allow in a name (a slug is ASCII, so its characters are bytes).
MAX_SLUG = 200


def too_long(slug: str) -> str | None:
    """Why slug cannot name a file, or None."""
    if len(slug) <= MAX_SLUG:
        return None
    return f"its slug would be {len(slug)} characters long; a file name fits {MAX_SLUG}"


def unsafe_slug(raw: str) -> bool:
    """True when a slug could name a path outside its folder, even once decoded."""
    return bool(_UNSAFE.search(raw))


@lru_cache(maxsize=8192)  # labels repeat across thousands of posts, and slugify is slow
def slugify(text: str, max_length: int = 0) -> str:
    """Lowercase ASCII words joined by '-' (python-slugify transliterates 'é' to 'e'), cut at a
    word to max_length characters when that is given."""
    from slugify import slugify as _slugify  # here: a build that reuses its output makes no slug

    return _slugify(
        text, lowercase=True, separator="-", max_length=max_length, word_boundary=max_length > 0
    )


def post_path(permalink: str, date: datetime, slug: str) -> str:
    path = permalink.format(
        year=f"{date.year:04d}", month=f"{date.month:02d}", day=f"{date.day:02d}", slug=slug
    ).lstrip("/")
    return path + "index.html" if path.endswith("/") else path


def own_path(url: str) -> str | None:
    """The output path of a front-matter ``url`` (/2010/11/x.html, /about/), or None when it
    is not a path inside the site ending in .html or /."""
    if (
        not url.startswith("/")
        or url.startswith("//")
        or not url.endswith((".html", "/"))
        or NOT_IN_URL.search(url)
        or any(part in (".", "..") or part.startswith(".") for part in url.split("/"))
        or any(c in url for c in "?#%\\")
    ):
        return None
    path = url.lstrip("/")
    return path + "index.html" if not path or path.endswith("/") else path


def page_path(slug: str) -> str:
    """A standalone page's default address, Blogger's scheme."""
    return f"p/{slug}.html"


def _paged(folder: str, number: int) -> str:
    folder = f"{folder}/" if folder else ""
    return f"{folder}index.html" if number == 1 else f"{folder}page/{number}/index.html"


def home_path(number: int = 1) -> str:
    return _paged("", number)


def year_path(year: int) -> str:
    return f"{year:04d}/index.html"


def month_path(year: int, month: int, number: int = 1) -> str:
    return _paged(f"{year:04d}/{month:02d}", number)


def label_path(slug: str, number: int = 1) -> str:
    return _paged(f"labels/{slug}", number)


LABELS_PATH = "labels/index.html"
ARCHIVE_PATH = "archive/index.html"
NOT_FOUND_PATH = "404.html"
SITEMAP_PATH = "sitemap.xml"
ROBOTS_PATH = "robots.txt"
SEARCH_PATH = "search/index.html"  # the search page (with the `search` setting)
SEARCH_INDEX = "pagefind"  # the folder of Pagefind's index and its script
SEARCH_SCRIPT = "search/search.js"
FEED_FILES = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}


# Blogger's own addresses, kept answering for a blog brought over from there.
BLOGGER_FEED_PATH = "feeds/posts/default"  # a copy of the Atom feed, for hosts without _redirects
REDIRECTS_PATH = "_redirects"  # the redirect rules Netlify and Cloudflare Pages read


def blogger_month_path(year: int, month: int) -> str:
    return f"{year:04d}_{month:02d}_01_archive.html"


def blogger_label_path(name: str) -> str | None:
    """The folder a request for /search/label/NAME finds, or None for a name that cannot be
    a file name (a '/', a leading '.')."""
    if unsafe_slug(name.replace("%", "")) or name.startswith(".") or not name.strip():
        return None
    return f"search/label/{name}/index.html"


def feed_path(kind: str, label_slug: str | None = None) -> str:
    """The site's feed of a kind in FEED_FILES, or a label's own (RSS and Atom only)."""
    name = FEED_FILES[kind]
    return f"labels/{label_slug}/{name}" if label_slug else name


@dataclass(frozen=True)
class Urls:
    """Turns output paths into links, for a site that may live under a sub-path."""

    base_url: str  # "" for a site with no configured address: links are root-relative

    @cached_property  # asked for every link on every page; the base URL never changes
    def base_path(self) -> str:
        return urlsplit(self.base_url).path or "/" if self.base_url else "/"

    def url(self, path: str) -> str:
        """The link to an output path; folders' index.html is left off."""
        if path == "index.html" or path.endswith("/index.html"):
            path = path[: -len("index.html")]
        return self.base_path + path

    def feed_url(self, kind: str, label_slug: str | None = None) -> str:
        return self.url(feed_path(kind, label_slug))

    @cached_property
    def _origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def absolute(self, url: str) -> str:
        """An absolute URL for a link made by url(); needs base_url."""
        if url.startswith("/") and not url.startswith("//"):  # all of url()'s: skip urljoin
            return self._origin + url
        return urljoin(self.base_url, url)
