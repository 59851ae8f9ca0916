"""Pieces of pages that many pages share, each rendered once per site and kept.

The sidebar is the same on every page of a period, a post's summary the same on the home page
and its label pages, the feed links the same on every page: rendering them on each of a large
blog's thousands of pages took most of a build.
"""

from __future__ import annotations

import jinja2
from markupsafe import Markup

from blogsite.render.plan import Period
from blogsite.render.templates import for_site
from blogsite.site import urls
from blogsite.site.model import Label, Post, Site, Year


class Fragments:
    """The site's own environment (templates.for_site), whose globals are the site and these
    fragments; kept by the plan's jobs, so each plan renders with its own site."""

    def __init__(self, site: Site, env: jinja2.Environment):
        self._years: dict[tuple[int, bool, int | None], Markup] = {}
        self._sidebars: dict[Period, Markup] = {}
        self._summaries: dict[tuple[str, bool], Markup] = {}  # entry.html, by (path, dated)
        self._post_meta: dict[str, Markup] = {}  # by path
        self._feed_links: dict[str | None, Markup] = {}  # by label slug; None: the site's
        self._subscribe: Markup | None = None
        self.env = for_site(
            env,
            {
                "site": site,
                "config": site.config,
                "urls": urls.Urls(site.config.base_url),
                "archive_year": self.archive_year,
                "sidebar": self.sidebar,
                "entry": self.entry,
                "post_meta": self.post_meta,
                "feed_links": self.feed_links,
                "subscribe": self.subscribe,
            },
        )

    def archive_year(self, year: Year, period: Period) -> Markup:
        """One year of the Blog Archive sidebar, rendered once per open/closed state.

        A closed year looks the same in the sidebar of every period, so each of the
        sidebar's renderings (one per period) joins ready fragments for all but one year.
        """
        is_open = period[0] == year.year
        key = (year.year, is_open, period[1] if is_open else None)
        if key not in self._years:
            html = self.env.get_template("archive_year.html").render(
                year=year, open=is_open, open_month=key[2]
            )
            self._years[key] = Markup(html)
        return self._years[key]

    def sidebar(self, period: Period) -> Markup:
        """sidebar.html, rendered once for each period it shows open. It sees only the
        globals (site, config, urls) and period, not the page's own variables."""
        if period not in self._sidebars:
            html = self.env.get_template("sidebar.html").render(period=period)
            self._sidebars[period] = Markup(html)
        return self._sidebars[period]

    def feed_links(self, label: Label | None) -> Markup:
        """feed_links.html, rendered once for the site's feeds and once for each label's.

        An include on every page made a copy of the page's variables each time: a fifth of
        the time it took to render a post's page. It sees the globals and label only.
        """
        key = label.slug if label else None
        if key not in self._feed_links:
            html = self.env.get_template("feed_links.html").render(label=label)
            self._feed_links[key] = Markup(html)
        return self._feed_links[key]

    def subscribe(self) -> Markup:
        """subscribe.html, the same on every page: rendered once, as feed_links."""
        if self._subscribe is None:
            self._subscribe = Markup(self.env.get_template("subscribe.html").render())
        return self._subscribe

    def entry(self, post: Post, full: bool, dated: bool) -> Markup:
        """entry.html: one post on a list page, under its date if dated. A summary is the
        same on the home page and on each of the post's label pages, so it is rendered once
        (per dated); a whole post is shown on one month page only, and kept by nobody."""
        if full:
            return Markup(self._entry(post, True, dated))
        key = (post.path, dated)
        if key not in self._summaries:
            self._summaries[key] = Markup(self._entry(post, False, dated))
        return self._summaries[key]

    def post_meta(self, post: Post) -> Markup:
        """macros.html's post_meta: a post's footer, the same on its page and in both of its
        entries (its month's page, and its summary's), so rendered once. A site's own
        macros.html is the one used, as by an import."""
        if post.path not in self._post_meta:
            # The module an import gives: this environment keeps it, with its globals (as it
            # does for the templates' own imports of macros.html).
            macros = self.env.get_template("macros.html").module
            self._post_meta[post.path] = Markup(macros.post_meta(post))  # type: ignore[attr-defined]
        return self._post_meta[post.path]

    def _entry(self, post: Post, full: bool, dated: bool) -> str:
        return self.env.get_template("entry.html").render(post=post, full=full, dated=dated)
