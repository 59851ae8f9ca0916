"""What a shared link shows (Open Graph, a Twitter card, BlogPosting JSON-LD) and the
favicon every browser asks for."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html

from tests.conftest import post, run_blogsite, write_files
from tests.theme.pages import html_files, meta, page
from tests.theme.site import BASE_URL

SHARE_PNG = f"{BASE_URL}images/share.png"


def json_ld(doc: lxml.html.HtmlElement) -> dict[str, object]:
    scripts = doc.xpath('//script[@type="application/ld+json"]')
    assert len(scripts) == 1
    data: dict[str, object] = json.loads(scripts[0].text)
    return data


def test_a_post_page_describes_itself_as_a_blog_posting(site_dir: Path) -> None:
    doc = page(site_dir, "2011/01/with-comments.html")
    assert json_ld(doc) == {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": "With comments",
        "description": "Some words.",
        "datePublished": "2011-01-10T08:00:00+00:00",
        "dateModified": "2011-01-10T08:00:00+00:00",
        "url": f"{BASE_URL}2011/01/with-comments.html",
        "mainEntityOfPage": f"{BASE_URL}2011/01/with-comments.html",
        "image": SHARE_PNG,
        "author": {"@type": "Person", "name": "Jane Doe"},
        "keywords": ["Big Society", "Volunteering"],
        "publisher": {"@type": "Organization", "name": "Fixture blog"},
    }
    assert meta(doc, "og:type") == "article"
    assert meta(doc, "og:image") == SHARE_PNG
    assert meta(doc, "twitter:card") == "summary_large_image"


def test_every_page_has_a_share_image_and_a_favicon(site_dir: Path) -> None:
    for path in html_files(site_dir):
        doc = page(site_dir, path)
        assert meta(doc, "og:image") == SHARE_PNG, path
        assert meta(doc, "twitter:card") in ("summary", "summary_large_image"), path
        assert doc.xpath('//link[@rel="icon"]/@href') == ["/blog/favicon.svg"], path
    assert (site_dir / "images/share.png").read_bytes().startswith(b"\x89PNG")
    assert (site_dir / "favicon.ico").read_bytes().startswith(b"\x00\x00\x01\x00")
    assert (site_dir / "favicon.svg").read_bytes().startswith(b"<svg")


def test_a_post_is_shared_with_its_first_picture(tmp_path: Path) -> None:
    body = (
        "A chart.\n\n![The chart](https://example.org/chart.png)\n\n"
        '<img src="https://example.org/second.jpg" alt="">\n'
    )
    title = 'A "quoted" </script> title'
    write_files(
        tmp_path,
        {
            "pyproject.toml": f'[tool.blogsite]\nbase_url = "{BASE_URL}"\n',
            "posts/2011-02-03-chart.md": post(json.dumps(title), body=body),
        },
    )
    assert run_blogsite("build", cwd=tmp_path).returncode == 0
    doc = page(tmp_path / "_site", "2011/02/chart.html")
    assert meta(doc, "og:image") == "https://example.org/chart.png"
    data = json_ld(doc)
    assert data["image"] == "https://example.org/chart.png"
    assert data["headline"] == title
    assert "author" not in data  # the site names none
    raw = (tmp_path / "_site/2011/02/chart.html").read_text()
    assert "</script> title" not in raw  # the title cannot end the script early
