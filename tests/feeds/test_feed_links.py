"""URLs in a post's raw HTML: absolute in every feed, resolved from the post's own address on
pages (so list pages link where the post does), and an empty URL left empty everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from tests.conftest import run_blogsite, write_files
from tests.feeds.feedcheck import NS, json_feed, reader, strict_xml

BASE = "https://example.org/blog/"
RAW = (
    '<object data="report.pdf" type="application/pdf"></object>\n\n'
    '<form action="search.html"><button formaction="alt.html">Go</button></form>\n\n'
    '<svg><use href="icons.svg#a"/><use xlink:href="icons.svg#b"/></svg>\n\n'
    '<a href="x.html" ping="track.html /count">x</a>\n\n'
    '<img src="" alt="empty"> <img src=" " alt="blank">\n\n'
    "<!--more-->\n\nBelow the fold.\n"
)
# Only its second candidates are relative: a quick look at the first alone would miss them.
MIXED = (
    '<img srcset="https://cdn.example.net/a.png 1x, b.png 2x" alt="m">\n'
    '<a href="https://example.net/" ping="https://t.example/p track.html">t</a>\n\n'
    "<!--more-->\n\nBelow the fold.\n"
)
# On pages, URLs as the site's own links are written: from the root, with the site's path.
PAGE = [
    ("object", "data", "/blog/2011/02/report.pdf"),
    ("form", "action", "/blog/2011/02/search.html"),
    ("button", "formaction", "/blog/2011/02/alt.html"),
    ("use", "href", "/blog/2011/02/icons.svg#a"),
    ("use", "xlink:href", "/blog/2011/02/icons.svg#b"),
    ("a", "href", "/blog/2011/02/x.html"),
    ("a", "ping", "/blog/2011/02/track.html /count"),
    ("img", "src", ""),
    ("img", "src", " "),
]
PAGE_MIXED = [
    ("img", "srcset", "https://cdn.example.net/a.png 1x, /blog/2011/03/b.png 2x"),
    ("a", "href", "https://example.net/"),
    ("a", "ping", "https://t.example/p /blog/2011/03/track.html"),
]


SITE_PATH = re.compile(r"(^|[\s,])/(?!/)")  # a URL from the site's root, in a list or alone


def absolute(expected: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The same URLs as feeds write them: with the site's scheme and host."""
    return [(tag, name, SITE_PATH.sub(r"\1https://example.org/", v)) for tag, name, v in expected]


ATTRIBUTES = ("href", "xlink:href", "src", "srcset", "data", "action", "formaction", "ping")


def urls(body: lxml.html.HtmlElement) -> list[tuple[str, str, str]]:
    return [
        (e.tag, name, e.get(name))
        for e in body.iter()
        if isinstance(e.tag, str)
        for name in ATTRIBUTES
        if e.get(name) is not None
    ]


def fragment_urls(html: str) -> list[tuple[str, str, str]]:
    return urls(lxml.html.fragment_fromstring(html, create_parent="div"))


@pytest.fixture(scope="module", params=["full", "summary"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_files(
        tmp_path_factory.mktemp("links") / "site",
        {
            "pyproject.toml": (
                f'[tool.blogsite]\nbase_url = "{BASE}"\nfeed_content = "{request.param}"\n'
            ),
            # In its own folder, with the files it links to: a link to a missing one fails.
            "posts/2011-02-03-raw/index.md": "---\ntitle: Raw\ndate: 2011-02-03\n---\n\n" + RAW,
            "posts/2011-02-03-raw/report.pdf": b"PDF",
            "posts/2011-02-03-raw/icons.svg": b"<svg/>",
            "posts/2011-03-03-mixed.md": "---\ntitle: Mixed\ndate: 2011-03-03\n---\n\n" + MIXED,
        },
    )
    done = run_blogsite("build", cwd=root)
    assert done.returncode == 0, done.stderr
    return root


def test_feeds_make_every_url_attribute_absolute_and_keep_empty_ones_empty(site: Path) -> None:
    out = site / "_site"
    expected = {"Raw": absolute(PAGE), "Mixed": absolute(PAGE_MIXED)}
    rss, atom = (out / "feed.xml").read_bytes(), (out / "atom.xml").read_bytes()
    reader(rss), reader(atom)
    for item in strict_xml(rss).iter("item"):
        assert fragment_urls(item.findtext("description")) == expected[item.findtext("title")]
    for entry in strict_xml(atom).iterfind("atom:entry", NS):
        html = entry.find("atom:content", NS)
        html = entry.find("atom:summary", NS) if html is None else html
        title = entry.findtext("atom:title", namespaces=NS)
        assert fragment_urls(html.text) == expected[title]
    for json_item in json_feed(site)["items"]:
        assert fragment_urls(json_item["content_html"]) == expected[json_item["title"]]


@pytest.mark.parametrize("page", ["2011/02/raw.html", "2011/03/mixed.html", "index.html"])
def test_pages_resolve_the_same_attributes_from_the_posts_address(site: Path, page: str) -> None:
    html = lxml.html.fromstring((site / "_site" / page).read_bytes())
    bodies = {
        article.find_class("post-title")[0].text_content().strip(): urls(body)
        for article in html.iterfind(".//article")
        for body in article.find_class("post-body")
    }
    expected = {"Raw": PAGE, "Mixed": PAGE_MIXED}
    assert bodies
    for title, found in bodies.items():
        assert found == expected[title], (page, title)
