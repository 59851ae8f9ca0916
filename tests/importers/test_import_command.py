"""`blogsite import` then `blogsite build`, as a user runs them: every old address answers."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import feedparser
import pytest
from lxml import etree

from tests.conftest import run_blogsite

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://policy.example/"


def imported(tmp_path: Path, platform: str, fixture: str) -> Path:
    """A new site made from an export: import, settings as printed (with an address), build."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(FIXTURES / fixture, site / fixture)
    result = run_blogsite("import", platform, fixture, cwd=site)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("[tool.blogsite]\n")
    (site / "pyproject.toml").write_text(
        result.stdout.replace("https://example.org/", BASE), encoding="utf-8"
    )
    built = run_blogsite("build", cwd=site)
    assert built.returncode == 0, built.stderr
    return site


def page(site: Path, url: str) -> str:
    """What a static host serves for a URL path: the file, or the folder's index.html."""
    path = site / "_site" / unquote(url).lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    assert path.is_file(), f"{url} does not answer"
    return path.read_text(encoding="utf-8")


def redirect_target(html: str) -> str:
    match = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html)
    assert match, html
    return match[1]


def strict_feed(data: bytes) -> feedparser.FeedParserDict:
    etree.fromstring(data, etree.XMLParser(resolve_entities=False))  # raises if not XML
    feed = feedparser.parse(data)
    assert not feed.bozo, feed.bozo_exception
    return feed


def test_a_classic_blogger_backup_keeps_every_old_address(tmp_path: Path) -> None:
    site = imported(tmp_path, "blogger", "blogger-classic.xml")
    settings = (site / "pyproject.toml").read_text(encoding="utf-8")
    assert 'title = "Policy Notes"' in settings
    assert 'timezone = "America/Los_Angeles"' in settings
    assert "posts_per_page = 5" in settings
    # posts at their exact old addresses, a Blogger _20 suffix included
    steel = page(site, "/2010/11/the-steel-windpipe.html")
    assert "The first paragraph." in steel and "After the jump" in steel
    assert "Same title, another day" in page(site, "/2010/11/the-steel-windpipe_20.html")
    untitled = page(site, "/2011/01/blog-post.html")
    assert (
        '<h1 class="post-title" data-pagefind-meta="title">'
        "Untitled thoughts about the budget and what it…</h1>"
    ) in untitled
    assert "Who writes this blog." in page(site, "/p/about.html")
    assert '<a href="/p/about.html">About</a>' in page(site, "/")  # the page in the header
    # the draft is nowhere
    assert "Secret draft text" not in "".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in (site / "_site").rglob("*")
        if p.is_file()
    )
    # the jump break makes the summary on the home page
    home = page(site, "/")
    assert "The first paragraph." in home and "After the jump" not in home
    # comments under their post, at Blogger's anchors, threaded and sanitised
    assert 'id="c9001"' in steel and 'id="c9002"' in steel and 'id="c9003"' in steel
    assert '<a href="#c9001">an earlier comment</a>' in steel
    comments = steel[steel.index('id="comments"') :]
    for hostile in ("<script", "onerror", "onclick", "javascript:", "steal()"):
        assert hostile not in comments
    assert "Great <b>post</b>" in comments
    # labels, and Blogger's label searches and month archives leading to them
    assert "The steel windpipe" in page(site, "/labels/big-society/")
    assert redirect_target(page(site, "/search/label/Big%20Society")) == "/labels/big-society/"
    assert redirect_target(page(site, "/2010_11_01_archive.html")) == "/2010/11/"
    assert "The steel windpipe" in page(site, "/2010/11/")
    # the feeds: valid, with Blogger's entry ids, also at Blogger's own feed address
    atom = strict_feed((site / "_site" / "atom.xml").read_bytes())
    ids = {entry.id for entry in atom.entries}
    assert "tag:blogger.com,1999:blog-1001.post-2001" in ids
    assert (site / "_site/feeds/posts/default").read_bytes() == (
        site / "_site/atom.xml"
    ).read_bytes()
    strict_feed((site / "_site" / "feed.xml").read_bytes())
    strict_feed((site / "_site/labels/cuts/atom.xml").read_bytes())
    rules = (site / "_site/_redirects").read_text(encoding="utf-8").splitlines()
    assert "/feeds/posts/default alt=rss /feed.xml 301" in rules
    assert "/feeds/posts/default/-/Big%20Society /labels/big-society/atom.xml 301" in rules
    # and the sitemap lists the page, not the redirects
    sitemap = page(site, "/sitemap.xml")
    assert f"{BASE}p/about.html" in sitemap and "archive.html" not in sitemap


def test_a_takeout_feed_keeps_its_addresses_and_leaves_out_trash(tmp_path: Path) -> None:
    site = imported(tmp_path, "blogger", "takeout-feed.atom")
    post = page(site, "/2011/02/where-next.html")
    assert "Where next? It&#39;s the council&#39;s turn" in post  # escaped once, not twice
    assert "Write to us." in page(site, "/p/contact.html")
    assert not (site / "_site/2011/01/deleted-post.html").exists()
    assert not list((site / "posts").glob("*deleted*"))
    comments = post[post.index('id="comments"') :]
    assert 'id="c900"' in comments and '<a href="#c900">' in comments
    assert "<style" not in comments and "<iframe" not in comments and "Buy now" not in post
    assert redirect_target(page(site, "/search/label/Local%20Government")) == (
        "/labels/local-government/"
    )
    atom = strict_feed((site / "_site/feeds/posts/default").read_bytes())
    assert [e.id for e in atom.entries] == ["tag:blogger.com,1999:blog-5005.post-100"]


def test_a_wordpress_export_keeps_its_permalinks_and_threads(tmp_path: Path) -> None:
    site = imported(tmp_path, "wordpress", "wordpress.xml")
    post = page(site, "/2012/03/hello-world/")
    assert "<p>First paragraph<br>\nwith a line break.</p>" in post  # wpautop's paragraphs
    assert "We write." in page(site, "/about/")  # the page's own old address
    assert "Europe" in page(site, "/labels/europe/") and "Hello world" in page(
        site, "/labels/news/"
    )
    comments = post[post.index('id="comments"') :]
    assert 'id="c7"' in comments and '<a href="#c7">an earlier comment</a>' in comments
    assert "<script" not in comments and "Cheap pills" not in post
    assert not list((site / "_site").rglob("work-in-progress*"))
    assert not (site / "_site/_redirects").exists()  # Blogger's addresses only for Blogger
    strict_feed((site / "_site/atom.xml").read_bytes())


def test_importing_again_leaves_unchanged_and_edited_posts_alone(tmp_path: Path) -> None:
    site = imported(tmp_path, "blogger", "blogger-classic.xml")
    again = run_blogsite("import", "blogger", "blogger-classic.xml", cwd=site)
    assert again.returncode == 0 and "Wrote 0 files; 5 unchanged" in again.stderr
    edited = site / "posts/2010-11-14-the-steel-windpipe.html"
    edited.write_text(edited.read_text(encoding="utf-8") + "<p>My note.</p>\n", encoding="utf-8")
    kept = run_blogsite("import", "blogger", "blogger-classic.xml", cwd=site)
    assert kept.returncode == 0
    assert "kept posts/2010-11-14-the-steel-windpipe.html: edited since its import" in kept.stderr
    assert "My note." in edited.read_text(encoding="utf-8")
    forced = run_blogsite("import", "blogger", "blogger-classic.xml", "--force", cwd=site)
    assert forced.returncode == 0 and "Wrote 1 file;" in forced.stderr
    assert "My note." not in edited.read_text(encoding="utf-8")


CLASSIC = (FIXTURES / "blogger-classic.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (CLASSIC[:-200], r"blogger\.xml:\d+: not well-formed XML"),
        ("<rss><channel/></rss>", r"blogger\.xml:1: not a Blogger export"),
        (
            CLASSIC.replace(
                "<category scheme='http://schemas.google.com/g/2005#kind' "
                "term='http://schemas.google.com/blogger/2008/kind#page'/>",
                "",
            ),
            r"blogger\.xml:\d+: an entry without a kind",
        ),
        (
            CLASSIC.replace("the-steel-windpipe_20.html", "the-steel-windpipe.html"),
            r"blogger\.xml:\d+: post 'The steel windpipe' has the address "
            r"/2010/11/the-steel-windpipe.html, as has post 'The steel windpipe' \(line \d+\)",
        ),
    ],
    ids=["truncated", "not-blogger", "no-kind", "address-clash"],
)
def test_a_bad_export_is_named_and_nothing_is_written(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts/mine.md").write_text("---\ntitle: Mine\ndate: 2011-01-01\n---\nx\n")
    (tmp_path / "blogger.xml").write_text(text, encoding="utf-8")
    result = run_blogsite("import", "blogger", "blogger.xml", cwd=tmp_path)
    assert result.returncode == 1
    assert re.match(message, result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in (tmp_path / "posts").iterdir()] == ["mine.md"]
    assert not (tmp_path / "pages").exists()


def test_a_missing_export_or_platform_is_a_usage_error(tmp_path: Path) -> None:
    assert run_blogsite("import", "blogger", "nope.xml", cwd=tmp_path).returncode == 2
    assert run_blogsite("import", "tumblr", "x.xml", cwd=tmp_path).returncode == 2
