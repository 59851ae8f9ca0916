"""The site's feeds: RSS 2.0 and Atom (through feedgen) and JSON Feed 1.1, site-wide and per label.

Feeds are read away from the site, by readers that keep every item they have seen: so every
URL in them is absolute, every id stays the same from build to build, and nothing takes the
clock (``updated`` is the newest post's date).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from feedgen.feed import FeedGenerator

from blogsite.errors import BlogsiteError
from blogsite.render.links import absolute_html
from blogsite.render.plan import Plan, job
from blogsite.site import urls
from blogsite.site.collate import last_changed
from blogsite.site.dates import for_machines, rfc3339
from blogsite.site.model import Post, Site

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
MIME = {"rss": "application/rss+xml", "atom": "application/atom+xml"}
# An empty blog has no newest post to date its feeds by; a fixed date keeps builds reproducible.
NO_POSTS_DATE = datetime(1970, 1, 1, tzinfo=UTC)

# Characters XML 1.0 does not allow at all (even escaped): lxml refuses them and readers choke.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# The same characters, but the surrogates (which UTF-8 cannot encode either), each looked for
# with a substring search: a post's text checked so took 3 µs, where the expression took 23.
CONTROLS = ("\ufffe", "\uffff", *map(chr, [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]))


def xml_safe(text: str) -> tuple[str, list[str]]:
    """text without the characters XML forbids, and those characters as U+XXXX."""
    if not any(c in text for c in CONTROLS):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a surrogate
            pass
        else:
            return text, []
    found = sorted({f"U+{ord(c):04X}" for c in NOT_XML.findall(text)})
    return (NOT_XML.sub("", text) if found else text), found


@dataclass(frozen=True)
class Entry:
    """One post as every feed shows it: absolute URLs and only characters XML allows."""

    id: str
    is_permalink: bool  # the id is the post's own URL, not a front-matter id
    url: str
    title: str
    author: str
    labels: tuple[str, ...]
    published: datetime
    updated: datetime
    html: str  # the full body, or the summary when feed_content = "summary"


@dataclass(frozen=True)
class Channel:
    """One feed's subject: the whole site, or one label."""

    title: str
    description: str
    page: str  # the absolute URL of the page the feed follows
    label_slug: str | None
    posts: tuple[Post, ...]  # newest first, at most feed_items
    updated: datetime


def _newest(posts: Sequence[Post]) -> datetime:
    return for_machines(last_changed(posts) or NO_POSTS_DATE).replace(microsecond=0)


class Feeds:
    """Makes each feed's bytes; an entry is made once however many feeds show its post."""

    def __init__(self, site: Site):
        self.config = site.config
        self.warnings: list[BlogsiteError] = []  # about the text the feeds leave out
        self.link = urls.Urls(site.config.base_url)
        self._entries: dict[str, Entry] = {}
        cfg = site.config
        named = [("title", cfg.title), ("description", cfg.description), ("author", cfg.author)]
        self._warn(named, "pyproject.toml")
        self.title, self.description, self.author = (xml_safe(text)[0] for _, text in named)

    def _warn(self, named: list[tuple[str, str]], where: Path | str) -> None:
        """Warn about characters XML forbids in these (name, text) pairs.

        Done while planning, not in the jobs, so a warning is given once and is never lost
        to a job run elsewhere.
        """
        problems: dict[str, set[str]] = {}
        for name, text in named:
            problems.setdefault(name, set()).update(xml_safe(text)[1])
        what = "; ".join(f"{', '.join(sorted(c))} in the {n}" for n, c in problems.items() if c)
        if what:
            self.warnings.append(
                BlogsiteError(f"characters XML forbids were left out of the feeds: {what}", where)
            )

    def check(self, channels: Sequence[Channel]) -> None:
        """Warn, once per post, about the posts the feeds show."""
        shown = {post.path: post for channel in channels for post in channel.posts}
        for post in shown.values():
            body = post.body_html if self.config.feed_content == "full" else post.summary_html
            named = [("title", post.title), ("author", post.author), ("text", body)]
            self._warn(named + [("labels", label) for label in post.labels], post.source)

    def channels(self, site: Site) -> list[Channel]:
        def published(posts: Sequence[Post]) -> tuple[Post, ...]:
            # Never drafts, even in a --drafts preview: a reader keeps what it once fetched.
            return tuple(p for p in posts if not p.draft)

        home = self.link.absolute(self.link.url(urls.home_path()))
        everything = published(site.posts)
        result = [
            Channel(
                self.title,
                self.description,
                home,
                None,
                everything[: self.config.feed_items],
                _newest(everything),
            )
        ]
        for label in site.labels:
            posts = published(label.posts)
            name = xml_safe(label.name)[0]  # check() warns about its posts' labels
            result.append(
                Channel(
                    f"{self.title}: {name}",
                    f"Posts labelled {name}",
                    self.link.absolute(label.url),
                    label.slug,
                    posts[: self.config.feed_items],
                    _newest(posts),
                )
            )
        return result

    def entry(self, post: Post) -> Entry:
        made = self._entries.get(post.path)
        if made:
            return made
        url = self.link.absolute(post.url)
        content = post.body_html if self.config.feed_content == "full" else post.summary_html
        title, author, body, *labels = (
            xml_safe(text)[0]
            for text in (post.title, post.author, absolute_html(content, url), *post.labels)
        )
        made = Entry(
            id=post.id or url,
            is_permalink=post.id is None,
            url=url,
            title=title,
            author=author,
            labels=tuple(labels),
            published=for_machines(post.date).replace(microsecond=0),
            updated=for_machines(post.updated or post.date).replace(microsecond=0),
            html=body,
        )
        self._entries[post.path] = made
        return made

    def _self_url(self, channel: Channel, kind: str) -> str:
        return self.link.absolute(self.link.feed_url(kind, channel.label_slug))

    def _generator(self, channel: Channel) -> FeedGenerator:
        fg = FeedGenerator()
        fg.title(channel.title)
        fg.language(self.config.language)
        # feedgen would otherwise stamp the clock and its own version into every build.
        fg.updated(channel.updated)
        fg.generator("blogsite")
        return fg

    def rss(self, channel: Channel) -> bytes:
        fg = self._generator(channel)
        fg.link(href=self._self_url(channel, "rss"), rel="self", type=MIME["rss"])
        fg.link(href=channel.page, rel="alternate")  # RSS's <link> is the last one given
        fg.description(channel.description or channel.title)
        # RSS's <author> must be an e-mail address; authors here are names: dc:creator.
        fg.load_extension("dc", atom=False)
        for post in channel.posts:
            e = self.entry(post)
            item = fg.add_entry(order="append")
            item.title(e.title)
            item.link(href=e.url)
            item.guid(e.id, permalink=e.is_permalink)
            item.pubDate(e.published)
            item.description(e.html)
            for label in e.labels:
                item.category(term=label)
            if e.author:
                item.dc.dc_creator(e.author)
        return fg.rss_str(pretty=True)

    def atom(self, channel: Channel) -> bytes:
        fg = self._generator(channel)
        fg.id(channel.page)
        fg.link(href=channel.page, rel="alternate", type="text/html")
        fg.link(href=self._self_url(channel, "atom"), rel="self", type=MIME["atom"])
        if channel.description:
            fg.subtitle(channel.description)
        # Atom wants an author for the feed unless every entry has one.
        fg.author(name=self.author or self.title)
        for post in channel.posts:
            e = self.entry(post)
            entry = fg.add_entry(order="append")
            entry.id(e.id)
            entry.title(e.title)
            entry.link(href=e.url, rel="alternate", type="text/html")
            entry.published(e.published)
            entry.updated(e.updated)
            if e.author:
                entry.author(name=e.author)
            if self.config.feed_content == "full":
                entry.content(e.html, type="html")
            else:
                entry.summary(e.html, type="html")
            for label in e.labels:
                entry.category(term=label)
        return fg.atom_str(pretty=True)

    def json(self, channel: Channel) -> bytes:
        items = []
        for post in channel.posts:
            e = self.entry(post)
            item: dict[str, Any] = {
                "id": e.id,
                "url": e.url,
                "title": e.title,
                "content_html": e.html,
                "date_published": rfc3339(e.published),
            }
            if e.updated != e.published:
                item["date_modified"] = rfc3339(e.updated)
            if e.author:
                item["authors"] = [{"name": e.author}]
            if e.labels:
                item["tags"] = list(e.labels)
            items.append(item)
        feed = {
            "version": JSON_FEED_VERSION,
            "title": channel.title,
            "home_page_url": channel.page,
            "feed_url": self._self_url(channel, "json"),
            "language": self.config.language,
            "items": items,
        }
        if channel.description:
            feed["description"] = channel.description
        if self.author:
            feed["authors"] = [{"name": self.author}]
        text = json.dumps(feed, ensure_ascii=False, sort_keys=True, indent=2)
        return (text + "\n").encode("utf-8")


def add(site: Site, out: Plan) -> tuple[BlogsiteError, ...]:
    """Add every feed of the site to the plan, and return the warnings about them; their
    bytes are made when the plan runs. The site has a base_url (config.base_url_problems)."""
    feeds = Feeds(site)
    makers: dict[str, Callable[[Channel], bytes]] = {
        "rss": feeds.rss,
        "atom": feeds.atom,
        "json": feeds.json,
    }
    channels = feeds.channels(site)
    feeds.check(channels)
    for channel in channels:
        slug = channel.label_slug
        for kind in ("rss", "atom") if slug else ("rss", "atom", "json"):
            origin = f"the {kind} feed" + (f" of label {slug}" if slug else "")
            out.add(
                urls.feed_path(kind, slug), job(makers[kind], channel), origin, shows=channel.posts
            )
    return tuple(feeds.warnings)
