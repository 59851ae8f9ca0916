"""A site whose every setting can be changed, one at a time, in a way its output shows."""

from __future__ import annotations

from dataclasses import fields

from blogsite.config import SiteConfig
from tests.conftest import post

BASE = {
    "title": '"Test blog"',
    "base_url": '"https://example.org/"',
    "markdown_extensions": '["extra", "sane_lists", "smarty"]',
}

# Every setting (SiteConfig's fields: a new one fails test_every_setting_has_a_change until
# it is added here), and a value for it that changes what the build makes.
CHANGES = {
    "title": '"Other blog"',
    "description": '"Notes on policy."',
    "author": '"Sam Writer"',
    "base_url": '"https://other.example.org/blog/"',
    "language": '"en-GB"',
    "timezone": '"America/New_York"',
    "date_format": '"%Y-%m-%d"',
    "time_format": '"%-I:%M %p"',
    "permalink": '"/{year}/{slug}/"',
    "posts_per_page": "1",
    "feed_items": "1",
    "feed_content": '"summary"',
    "markdown_extensions": '["extra", "sane_lists"]',
    "markdown_extension_configs": "{smarty = {smart_quotes = false}}",
    "posts_dir": '"articles"',
    "output_dir": '"public"',
    "blogger_redirects": "true",
    "extra_front_matter": '["subtitle"]',
    "search": "false",
}

# Settings that change what a build accepts, not what it makes from a site it accepts.
NOT_SHOWN = {"output_dir", "extra_front_matter"}

POSTS = {
    "2011-01-15-first.md": post("First", "2011-01-15", 'The "first" body.', labels="[Cuts]"),
    "2011-02-03-second.md": post(
        "Second", "2011-02-03 09:30", "Second body.\n\n<!--more-->\n\nMore.", labels="[Cuts]"
    ),
    "2011-03-01-third.md": post("Third", "2011-03-01 23:30", "Third body."),
}


def setting_names() -> list[str]:
    return [f.name for f in fields(SiteConfig)]


def pyproject(**changed: str) -> str:
    """The site's pyproject.toml: BASE, with the given settings set to their TOML values."""
    values = {**BASE, **changed}
    return "[tool.blogsite]\n" + "".join(f"{key} = {value}\n" for key, value in values.items())


def site_files() -> dict[str, str]:
    """The posts, and under 'articles' (the posts_dir change) one more."""
    articles = {**POSTS, "2011-03-02-fourth.md": post("Fourth", "2011-03-02", "Fourth body.")}
    return {
        "pyproject.toml": pyproject(),
        **{f"posts/{name}": text for name, text in POSTS.items()},
        **{f"articles/{name}": text for name, text in articles.items()},
    }
