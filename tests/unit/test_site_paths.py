"""Every page's output path and link, from the one module that makes them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from blogsite.site import urls
from blogsite.site.urls import Urls


class TestOutputPaths:
    # Called in the test, not when the tests are collected: a mutation runner that collects
    # once would otherwise check the unmutated paths.
    @pytest.mark.parametrize(
        ("make", "args", "expected"),
        [
            (urls.home_path, (), "index.html"),
            (urls.home_path, (1,), "index.html"),
            (urls.home_path, (2,), "page/2/index.html"),
            (urls.year_path, (2011,), "2011/index.html"),
            (urls.year_path, (9,), "0009/index.html"),
            (urls.month_path, (2011, 2), "2011/02/index.html"),
            (urls.month_path, (2011, 12, 3), "2011/12/page/3/index.html"),
            (urls.label_path, ("big-society",), "labels/big-society/index.html"),
            (urls.label_path, ("cuts", 2), "labels/cuts/page/2/index.html"),
            (urls.feed_path, ("rss",), "feed.xml"),
            (urls.feed_path, ("atom",), "atom.xml"),
            (urls.feed_path, ("json",), "feed.json"),
            (urls.feed_path, ("rss", "cuts"), "labels/cuts/feed.xml"),
            (urls.feed_path, ("atom", "cuts"), "labels/cuts/atom.xml"),
        ],
    )
    def test_each_page_has_its_path(
        self, make: Callable[..., str], args: tuple[object, ...], expected: str
    ) -> None:
        assert make(*args) == expected

    @pytest.mark.parametrize(
        ("permalink", "expected"),
        [
            ("/{year}/{month}/{slug}.html", "2011/02/where-next.html"),
            ("/{year}/{month}/{day}/{slug}/", "2011/02/03/where-next/index.html"),
            ("//{slug}.html", "where-next.html"),  # every leading slash goes
        ],
    )
    def test_post_paths(self, permalink: str, expected: str) -> None:
        assert urls.post_path(permalink, datetime(2011, 2, 3), "where-next") == expected


class TestLinks:
    def test_links_under_a_sub_path(self) -> None:
        link = Urls("https://x.github.io/blog/")
        assert link.url("index.html") == "/blog/"
        assert link.url("2011/index.html") == "/blog/2011/"
        assert link.url("2011/02/a.html") == "/blog/2011/02/a.html"
        assert link.url("myindex.html") == "/blog/myindex.html"
        assert link.feed_url("atom") == "/blog/atom.xml"
        assert link.feed_url("rss", "cuts") == "/blog/labels/cuts/feed.xml"

    def test_absolute_links(self) -> None:
        link = Urls("https://x.github.io/blog/")
        assert link.absolute("/blog/2011/") == "https://x.github.io/blog/2011/"
        assert link.absolute("a.html") == "https://x.github.io/blog/a.html"
        assert link.absolute("//cdn.example.org/x") == "https://cdn.example.org/x"
        assert link.absolute("https://example.org/") == "https://example.org/"

    def test_without_a_base_url_links_start_at_the_root(self) -> None:
        assert Urls("").url("2011/index.html") == "/2011/"
        assert Urls("https://example.org").url("a.html") == "/a.html"
