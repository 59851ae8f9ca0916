"""Paths and URLs are made in one place; dates never depend on the locale."""

from __future__ import annotations

import locale
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from blogsite.site import urls
from blogsite.site.dates import format_date


def test_post_paths_follow_the_permalink_pattern() -> None:
    when = datetime(2011, 2, 3)
    assert urls.post_path("/{year}/{month}/{slug}.html", when, "where-next") == (
        "2011/02/where-next.html"
    )
    assert urls.post_path("/{year}/{month}/{day}/{slug}/", when, "where-next") == (
        "2011/02/03/where-next/index.html"
    )


def test_links_include_the_sub_path_and_drop_index_html() -> None:
    link = urls.Urls("https://x.github.io/blog/")
    assert link.url("2011/02/where-next.html") == "/blog/2011/02/where-next.html"
    assert link.url(urls.month_path(2011, 2)) == "/blog/2011/02/"
    assert link.url(urls.home_path(2)) == "/blog/page/2/"
    assert link.url(urls.home_path(1)) == "/blog/"
    assert link.absolute(link.url("2011/")) == "https://x.github.io/blog/2011/"


def test_without_a_base_url_links_are_root_relative() -> None:
    assert urls.Urls("").url(urls.label_path("big-society", 3)) == "/labels/big-society/page/3/"


@pytest.mark.parametrize("raw", ["..", "a/b", "a\\b", "c:x", "%2e%2e", "nul\x00"])
def test_unsafe_slugs_are_recognised(raw: str) -> None:
    assert urls.unsafe_slug(raw)


def test_ordinary_slugs_are_safe() -> None:
    assert not urls.unsafe_slug("Where next? (part 2)")


def test_the_date_header_reads_as_the_original_blog() -> None:
    when = datetime(2011, 2, 3, 14, 5, tzinfo=ZoneInfo("Europe/London"))
    assert format_date(when, "%A %-d %B %Y") == "Thursday 3 February 2011"
    assert format_date(when, "%H:%M %a %d %b %y %I%p %%") == "14:05 Thu 03 Feb 11 02PM %"


def test_date_names_stay_english_under_another_locale() -> None:
    try:
        locale.setlocale(locale.LC_TIME, "fr_FR.UTF-8")
    except locale.Error:
        pytest.fail("fr_FR.UTF-8 locale missing: cannot check locale independence")
    try:
        assert format_date(datetime(2011, 2, 3), "%A %B") == "Thursday February"
    finally:
        locale.setlocale(locale.LC_TIME, "C")
