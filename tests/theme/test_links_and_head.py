"""Links, head tags, sitemap and robots.txt of a site living under a sub-path."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree
import lxml.html

from tests.conftest import run_blogsite
from tests.theme.pages import html_files, meta, page, text, texts
from tests.theme.site import BASE_URL, SUB_PATH

W3C_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")


def url_of(path: str) -> str:
    """The address a page is published at: folders' index.html left off."""
    return BASE_URL + re.sub(r"(^|/)index\.html$", r"\1", path)


def target(site: Path, href: str) -> Path:
    """The file a site link leads to, as a static host would serve it."""
    assert href.startswith(SUB_PATH), f"{href} is outside {SUB_PATH}"
    rest = href[len(SUB_PATH) :]
    return site / (rest + "index.html" if rest == "" or rest.endswith("/") else rest)


def test_every_link_on_every_page_leads_to_a_file_under_the_sub_path(site_dir: Path) -> None:
    broken = []
    checked = 0
    for path in html_files(site_dir):
        doc = page(site_dir, path)
        ids = set(doc.xpath("//@id"))
        for element in doc.xpath("//a[@href] | //link[@href] | //script[@src] | //img[@src]"):
            link = element.get("href") or element.get("src")
            if link.startswith("#"):
                if link[1:] not in ids:
                    broken.append((path, link))
                continue
            parts = urlsplit(link)
            if parts.netloc and not link.startswith(BASE_URL):
                continue  # another site (a post's own outside link)
            if link.startswith(BASE_URL):
                link = "/" + link.removeprefix("https://x.github.io/")
            checked += 1
            if not link.startswith(SUB_PATH) or not target(site_dir, parts.path).is_file():
                broken.append((path, link))
                continue
            if parts.fragment:
                linked = lxml.html.fromstring(target(site_dir, parts.path).read_bytes())
                if parts.fragment not in set(linked.xpath("//@id")):
                    broken.append((path, link))
    assert checked > 500
    assert broken == []


def test_every_page_head_has_lang_canonical_description_and_open_graph(site_dir: Path) -> None:
    for path in html_files(site_dir):
        doc = page(site_dir, path)
        assert doc.get("lang") == "en-GB", path
        assert meta(doc, "description"), path
        assert meta(doc, "og:site_name") == "Fixture blog", path
        assert meta(doc, "og:title"), path
        assert meta(doc, "og:description") == meta(doc, "description"), path
        post = path.endswith(".html") and not path.endswith("index.html") and path != "404.html"
        assert meta(doc, "og:type") == ("article" if post else "website"), path
        canonical = doc.xpath('//link[@rel="canonical"]/@href')
        if path == "404.html":  # served at any missing address: it has no address of its own
            assert canonical == [] and meta(doc, "og:url") is None
            assert meta(doc, "robots") == "noindex"
        else:
            assert canonical == [url_of(path)], path
            assert meta(doc, "og:url") == url_of(path), path


def test_post_description_is_its_summary_as_plain_trimmed_text(site_dir: Path) -> None:
    doc = page(site_dir, "2011/02/read-more.html")
    assert meta(doc, "description") == "The part every list shows."
    assert meta(doc, "og:title") == "Read more please"
    assert meta(doc, "article:published_time") == "2011-02-03T00:00:00+00:00"
    assert [m.get("content") for m in doc.xpath('//meta[@property="article:tag"]')] == [
        "Big Society",
        "Cuts",
    ]
    wide = meta(page(site_dir, "2011/02/wide-content.html"), "description")
    assert wide.startswith("A very long address with no spaces: https://example.org/aaa")


def test_titles_say_which_page_of_a_list_it_is(site_dir: Path) -> None:
    assert text(page(site_dir, "index.html").find(".//title")) == "Fixture blog"
    assert text(page(site_dir, "page/2/index.html").find(".//title")) == "Fixture blog (page 2)"
    assert (
        text(page(site_dir, "labels/cuts/page/3/index.html").find(".//title"))
        == "Posts labelled Cuts | Fixture blog (page 3)"
    )


def test_sitemap_lists_every_public_page_with_absolute_urls_and_lastmod(site_dir: Path) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = lxml.etree.fromstring((site_dir / "sitemap.xml").read_bytes())
    entries = {
        u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
        for u in root.findall("s:url", ns)
    }
    expected = {url_of(p) for p in html_files(site_dir) if p != "404.html"}
    assert set(entries) == expected
    assert len(root.findall("s:url", ns)) == len(expected)  # no page twice
    assert all(W3C_DATETIME.fullmatch(m) for m in entries.values()), entries
    assert entries[url_of("2011/01/with-comments.html")] == "2011-01-10T08:00:00+00:00"
    assert entries[url_of("index.html")] == "2011-02-25T12:00:00+00:00"  # its newest post
    assert entries[url_of("page/4/index.html")] == "2010-12-01T10:00:00+00:00"
    assert entries[url_of("2010/index.html")] == "2010-12-31T23:30:00+00:00"
    assert entries[url_of("labels/budget/index.html")] == "2010-11-05T09:00:00+00:00"


def test_robots_txt_names_the_sitemap(site_dir: Path) -> None:
    robots = (site_dir / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots
    assert f"Sitemap: {BASE_URL}sitemap.xml" in robots.splitlines()


def test_the_sample_blog_post_shows_its_author_time_and_labels(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[2]
    (tmp_path / "posts").mkdir()
    (tmp_path / "pyproject.toml").write_bytes((repo / "pyproject.toml").read_bytes())
    for source in (repo / "posts").glob("*.md"):
        (tmp_path / "posts" / source.name).write_bytes(source.read_bytes())
    done = run_blogsite("build", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    doc = page(tmp_path / "_site", "2011/02/where-next.html")
    assert texts(doc, ".post-byline") == ["Posted by Sam Writer at 09:30"]
    assert texts(doc, ".post-labels li") == ["Big Society", "Cuts", "Liverpool"]
    assert doc.get("lang") == "en-GB"
    description = meta(doc, "description")  # the first paragraph, trimmed at a word
    assert description == (
        "The story in today's papers about Liverpool pulling out of the Big Society vanguard "
        "project is an illustration of how problematic it is to promote the concept…"
    )
