"""`blogsite check`: what a reader of the built site would find broken.

Internal links and #anchors that lead nowhere, missing images, stylesheets and files,
duplicate ids, pages without a title or canonical link, and feeds that break their format's
rules; with external=True, links to other sites too. Each problem names the post it comes
from (and the line) where there is one, else the built file.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import urljoin

from blogsite.check.feeds import check_json, check_xml
from blogsite.check.pages import Addresses, Link, Page, Target, find, read_page
from blogsite.content.targets import normal, targets
from blogsite.errors import BlogsiteError
from blogsite.render.pages import line_of_id
from blogsite.site import urls
from blogsite.site.model import Post

FEED_NAMES = set(urls.FEED_FILES.values())
NO_PAGE = {"link": "no such page", "image": "no such file", "stylesheet": "no such file"}
UNKNOWN_BASE = "https://site.invalid/"  # a site built without base_url has root links
# What is wrong with a link, given its kind ("image"): (message, the address it leads to)
Problem = Callable[[str], tuple[str, str]]


@dataclass(frozen=True)
class Report:
    problems: tuple[BlogsiteError, ...]
    pages: int
    feeds: int
    external: int  # outside links checked


def site_files(output: Path) -> list[str]:
    found = []
    for folder, dirs, names in os.walk(output):
        dirs.sort()
        where = Path(folder).relative_to(output).as_posix()
        found += [name if where == "." else f"{where}/{name}" for name in sorted(names)]
    return found


class Sources:
    """Which post each page and link comes from, to name the post's file and line."""

    def __init__(self, posts: dict[str, Post], addresses: Addresses):
        self.posts, self.addresses = posts, addresses
        self._index: dict[str, tuple[Path, int]] | None = None
        self._texts: dict[Path, str] = {}

    def _text(self, post: Post) -> str:
        if post.source not in self._texts:
            try:
                self._texts[post.source] = post.source.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                self._texts[post.source] = ""
        return self._texts[post.source]

    def _targets(self, post: Post) -> list[tuple[int, str]]:
        page = self.addresses.origin + self.addresses.url_of(post.path)
        return [(line, normal(urljoin(page, t))) for line, t in targets(self._text(post))]

    def index(self) -> dict[str, tuple[Path, int]]:
        """Every address any post links to: the first post and line that does."""
        if self._index is None:
            self._index = {}
            for post in self.posts.values():
                for line, address in self._targets(post):
                    self._index.setdefault(address, (post.source, line))
        return self._index

    def where_id(self, page: str, ident: str) -> tuple[Path, int] | None:
        """The post and line that give an element of page the id ident; None if none does."""
        post = self.posts.get(page)
        line = line_of_id(post.source, ident) if post is not None else None
        return None if post is None or line is None else (post.source, line)

    def where(self, page: str, address: str) -> tuple[Path, int] | None:
        """The post and line that put address on page; None when a template did."""
        post = self.posts.get(page)
        if post is not None:
            for line, found in self._targets(post):
                if found == normal(address):
                    return post.source, line
        return self.index().get(normal(address))


class Checker:
    def __init__(self, output: Path, posts: dict[str, Post], base_url: str):
        self.output = output
        self.files = site_files(output)
        home = read_page("index.html", (output / "index.html").read_bytes())
        base = home.canonical or base_url or UNKNOWN_BASE
        self.addresses = Addresses(base, set(self.files))
        self.sources = Sources(posts, self.addresses)
        self.problems: list[BlogsiteError] = []
        self.from_templates: dict[str, list[BlogsiteError]] = defaultdict(list)
        self.external: dict[str, str] = {}  # address -> the first page that links to it
        self.fine: set[str | tuple[str, str]] = set()  # links that lead somewhere
        self.anchors: dict[str, set[str]] = {}  # page -> its ids and <a name>s
        self.to_anchors: list[tuple[str, str, Target]] = []  # checked once all are read
        self.pages = 0

    def report(self, page: str, link: Link, message: str, source: tuple[Path, int] | None) -> None:
        if source is not None:
            self.problems.append(BlogsiteError(message, *source))
        else:  # the same template makes the same problem on many pages: say it once
            error = BlogsiteError(message, self.output / page, link.line)
            self.from_templates[message].append(error)

    def report_link(self, page: str, url: str, problem: Problem) -> None:
        """Name the post and line that made the link, else the page and its line."""
        link = find((self.output / page).read_bytes(), address=url)
        message, address = problem(link.kind)
        self.report(page, link, message, self.sources.where(page, address))

    def check_page(self, page: Page) -> None:
        self.pages += 1
        self.anchors[page.path] = {*page.ids, *page.names}
        for ident, count in page.ids.items():
            if count > 1:
                link = find((self.output / page.path).read_bytes(), ident=ident)
                message = f'the id "{ident}" is on the page {count} times'
                self.report(page.path, link, message, self.sources.where_id(page.path, ident))
        top = Link("page", "", 1)
        if not page.title:
            self.report(page.path, top, "the page has no <title>", None)
        if page.canonical is None and page.path != urls.NOT_FOUND_PATH:
            self.report(page.path, top, "the page has no canonical link", None)
        here = self.addresses.url_of(page.path)
        folder = here.rpartition("/")[0]
        for url in page.addresses:
            # The sidebar's hundreds of links are on every page: each is checked once (an
            # address from the root, or with its scheme, leads to one place from any folder).
            alike = (url.startswith("/") and not url.startswith("//")) or ":" in url
            seen = url if alike else (folder, url)
            if seen in self.fine:
                continue
            target = self.addresses.target(here, url)
            if target is None:
                continue
            if target.external is not None:  # checked (with --external) once, where first seen
                self.external.setdefault(target.external, page.path)
                continue
            if target.fragment and target.path in self.addresses.files:
                self.to_anchors.append((page.path, url, target))
                continue
            problem = self.problem(here, url, target)
            if problem is None:
                self.fine.add(seen)
            else:
                self.report_link(page.path, url, problem)

    def problem(self, here: str, url: str, target: Target) -> Problem | None:
        """What is wrong with a link, as (message, address) for its kind; None if nothing."""
        address = urljoin(self.addresses.origin + here, url)
        if target.outside or target.path is None:
            where = self.addresses.base_path
            return lambda kind: (f"{kind} {url}: outside the site ({where})", address)
        if target.path not in self.addresses.files:
            return lambda kind: (
                f"{'link to' if kind == 'link' else kind} {url}: "
                f"{NO_PAGE.get(kind, 'no such file')}",
                address,
            )
        fragment = target.fragment
        ids = self.anchors.get(target.path)
        if fragment and ids is not None and fragment not in ids and fragment != "top":
            return lambda kind: (
                f'link to {url}: no element there has the id "{fragment}"',
                address,
            )
        return None

    def check_feed(self, path: str) -> None:
        data = (self.output / path).read_bytes()
        problems, links = check_json(data) if path.endswith(".json") else check_xml(data)
        for line, message in problems:
            self.problems.append(BlogsiteError(message, self.output / path, line))
        for line, address in links:
            target = self.addresses.target("/", address)
            if target and target.path is not None and target.path not in self.addresses.files:
                message = f"link to {address}: no such page"
                self.problems.append(BlogsiteError(message, self.output / path, line))

    def run(self) -> None:
        for path in self.files:
            if path.endswith(".html"):
                self.check_page(read_page(path, (self.output / path).read_bytes()))
            elif path.rpartition("/")[2] in FEED_NAMES:
                self.check_feed(path)
        for page, url, target in self.to_anchors:
            problem = self.problem(self.addresses.url_of(page), url, target)
            if problem is not None:
                self.report_link(page, url, problem)

    def finish(self) -> list[BlogsiteError]:
        """Every problem, those that templates made once each."""
        for message, found in self.from_templates.items():
            first = found[0]
            more = len({e.path for e in found}) - 1
            suffix = f" (and on {more} other page{'s' if more > 1 else ''})" if more else ""
            self.problems.append(BlogsiteError(message + suffix, first.path, first.line))
        return self.problems


def _as_given(problem: tuple[str, str], kind: str) -> tuple[str, str]:
    return problem


def site_posts(root: Path) -> dict[str, Post]:
    """The site's posts by output path, drafts and future ones too, read as a build reads
    them (from its cache when they are there); none when the site cannot be read."""
    from blogsite.config import load_config
    from blogsite.content.sources import discover
    from blogsite.output import cache
    from blogsite.output.postcache import PostCache
    from blogsite.pipeline import parse_all

    try:
        config = load_config(root)
        found = discover(root, config)
        posts_cache = PostCache(root / cache.CACHE_DIR, cache.environment_key(config))
        return {post.path: post for post in parse_all(found.posts, config, None, posts_cache)}
    except (BlogsiteError, OSError):
        return {}


def check(
    output: Path,
    posts: dict[str, Post],
    base_url: str = "",
    *,
    external: bool = False,
    cache: Path | None = None,
    timeout: float = 10.0,
) -> Report:
    """Check the built site in output; posts: the site's posts by output path, to name
    their files in messages (may be empty)."""
    checker = Checker(output, posts, base_url)
    checker.run()
    if external:
        from blogsite.check.external import check_links

        failed = check_links(sorted(checker.external), cache, timeout)
        for address, reason in failed.items():
            problem = partial(_as_given, (f"link to {address}: {reason}", address))
            checker.report_link(checker.external[address], address, problem)
    unique = {str(e): e for e in checker.finish()}.values()
    ordered = sorted(unique, key=lambda e: (str(e.path or ""), e.line or 0, e.message))
    feeds = sum(1 for p in checker.files if p.rpartition("/")[2] in FEED_NAMES)
    return Report(tuple(ordered), checker.pages, feeds, len(checker.external))
