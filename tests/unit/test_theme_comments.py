"""Archived comments in front matter: parsed like post dates, sanitised before any template."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from blogsite.config import SiteConfig
from blogsite.content.markdown.converter import Converter
from blogsite.content.posts import parse_post
from blogsite.errors import BuildFailed

CONFIG = SiteConfig(timezone="Europe/London")
CONVERTER = Converter(CONFIG.markdown_extensions, {})


def parse(front: str):
    text = f"---\ntitle: T\ndate: 2011-02-03\n{front}---\n\nBody.\n"
    return parse_post(Path("posts/t.md"), text.encode(), CONFIG, CONVERTER)


def test_comments_are_parsed_in_order_with_dates_in_the_site_zone() -> None:
    post = parse(
        "comments:\n"
        "  - author: Alice\n    date: 2011-07-04T10:30:00\n    html: <p>First</p>\n"
        "  - author: Bob\n    date: 2011-07-05\n    html: Second\n"
        "  - date: 2011-07-06T09:00:00+00:00\n    html: Third\n"
    )
    london = ZoneInfo("Europe/London")
    assert [(c.author, c.date, c.has_time, c.html) for c in post.comments] == [
        ("Alice", datetime(2011, 7, 4, 10, 30, tzinfo=london), True, "<p>First</p>"),
        ("Bob", datetime(2011, 7, 5, tzinfo=london), False, "Second"),
        ("Anonymous", datetime(2011, 7, 6, 10, 0, tzinfo=london), True, "Third"),
    ]


def test_a_post_without_comments_has_none() -> None:
    assert parse("").comments == ()


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<p onclick="alert(1)" style="background:url(javascript:alert(1))">x</p>',
        "<iframe src='https://evil.example/'></iframe>",
        "<svg><script>alert(1)</script></svg>",
        "<style>body{display:none}</style>",
        "<form action='https://evil.example/'><input name=p></form>",
    ],
)
def test_hostile_comment_html_comes_out_harmless(hostile: str) -> None:
    html = json.dumps(f"Hi {hostile} there")  # a JSON string is valid YAML
    post = parse(f"comments:\n  - author: Mallory\n    date: 2011-02-04\n    html: {html}\n")
    html = post.comments[0].html.lower()
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<svg", "<style",
                "style=", "<form", "<input", "<img", "alert("):  # fmt: skip
        assert bad not in html, (hostile, html)
    assert html.startswith("hi ") and html.endswith(" there")


def test_fair_markup_and_links_survive_and_links_are_marked_nofollow() -> None:
    post = parse(
        "comments:\n  - author: A\n    date: 2011-02-04\n"
        "    html: '<p>See <a href=\"https://example.org/\">this</a> <em>now</em>.</p>'\n"
    )
    assert post.comments[0].html == (
        '<p>See <a href="https://example.org/" rel="nofollow ugc noopener noreferrer">this</a>'
        " <em>now</em>.</p>"
    )


def test_a_refused_link_becomes_plain_placeholder_text_not_invalid_html() -> None:
    post = parse(
        "comments:\n  - author: A\n    date: 2011-02-04\n"
        "    html: '<a href=\"javascript:alert(1)\">x</a>'\n"
    )
    assert post.comments[0].html == "<a>x</a>"


def test_comment_problems_point_at_the_comment_line() -> None:
    front = (
        "comments:\n"  # file line 4
        "  - author: Fine\n    date: 2011-02-04\n    html: ok\n"  # line 5
        "  - author: Eve\n    date: not a date\n    html: x\n"  # line 8
        "  - author: NoDate\n    html: x\n"  # line 11
        "  - 42\n"  # line 13
        "  - author: [1]\n    date: 2011-02-04\n    html: ''\n    colour: red\n"  # line 14
    )
    with pytest.raises(BuildFailed) as caught:
        parse(front)
    messages = [str(e) for e in caught.value.errors]
    assert messages == [
        "posts/t.md:8: comment 2: invalid date 'not a date': Invalid isoformat string: "
        "'not a date'",
        "posts/t.md:11: comment 3: missing 'date'",
        "posts/t.md:13: comment 4: must be a mapping with author, date and html",
        "posts/t.md:14: comment 5: 'author' must be text",
        "posts/t.md:14: comment 5: 'html' must be the comment's text or HTML",
        "posts/t.md:14: comment 5: has unknown keys ['colour']; "
        "use author, date, html, id, author_url, reply_to",
    ]


def test_comments_that_are_not_a_list_are_an_error_on_their_line() -> None:
    with pytest.raises(BuildFailed) as caught:
        parse("author: Someone\ncomments: lots\n")
    assert [str(e) for e in caught.value.errors] == [
        "posts/t.md:5: 'comments' must be a list of {author, date, html} entries"
    ]
