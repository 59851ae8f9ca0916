"""A post's own url, standalone pages in pages/, and .html bodies kept as written."""

from __future__ import annotations

from pathlib import Path

import feedparser

from tests.conftest import post, run_blogsite, write_files

CONFIG = '[tool.blogsite]\ntitle = "Test blog"\nbase_url = "https://example.org/"\n'
HTML_BODY = '<p>Kept <i>as</i> written&nbsp;here.</p>\n<a name="more"></a>\n<p>The rest.</p>'


def built(tmp_path: Path, files: dict[str, str]) -> Path:
    site = write_files(tmp_path / "site", {"pyproject.toml": CONFIG, **files})
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 0, result.stderr
    return site / "_site"


def test_a_url_in_front_matter_is_the_posts_address(tmp_path: Path) -> None:
    out = built(
        tmp_path,
        {
            "posts/a.md": post("Steel", "2010-11-15", url="/2010/11/the-steel-windpipe.html"),
            "posts/b.md": post("Folder", "2010-11-16", url="/old/folder/"),
        },
    )
    assert "Steel" in (out / "2010/11/the-steel-windpipe.html").read_text(encoding="utf-8")
    assert "Folder" in (out / "old/folder/index.html").read_text(encoding="utf-8")
    assert not (out / "2010/11/a.html").exists()
    feed = feedparser.parse((out / "atom.xml").read_bytes())
    links = {e.link for e in feed.entries}
    assert links == {
        "https://example.org/2010/11/the-steel-windpipe.html",
        "https://example.org/old/folder/",
    }


def test_two_files_at_one_address_are_an_error_naming_both(tmp_path: Path) -> None:
    site = write_files(
        tmp_path / "site",
        {
            "pyproject.toml": CONFIG,
            "posts/a.md": post("A", url="/same.html"),
            "posts/b.md": post("B", url="/same.html"),
        },
    )
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 1
    assert result.stderr.startswith(
        "posts/b.md:1: both this post and posts/a.md would be written to same.html"
    )
    assert not (site / "_site").exists()


def test_a_page_at_an_address_the_site_uses_is_an_error_naming_it(tmp_path: Path) -> None:
    site = write_files(
        tmp_path / "site",
        {
            "pyproject.toml": CONFIG,
            "posts/a.md": post("A"),
            "pages/c.md": "---\ntitle: C\nurl: /labels/\n---\nText\n",
        },
    )
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 1
    assert "labels.html and pages/c.md would both be written to labels/index.html" in (
        result.stderr
    )
    assert not (site / "_site").exists()


def test_a_url_outside_the_site_is_refused_with_its_line(tmp_path: Path) -> None:
    site = write_files(
        tmp_path / "site",
        {"pyproject.toml": CONFIG, "posts/a.md": post("A", url="/../../etc/passwd.html")},
    )
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 1
    assert result.stderr.startswith("posts/a.md:4: url '/../../etc/passwd.html' must be")


def test_pages_are_standalone_in_the_sitemap_and_in_no_list(tmp_path: Path) -> None:
    about = "---\ntitle: About\nnav: true\n---\n\nWho we are.\n"
    out = built(
        tmp_path,
        {
            "posts/a.md": post("A post", labels="[Cuts]"),
            "pages/about.md": about,
            "pages/contact.html": "---\ntitle: Contact\n---\n<p>Write.</p>\n",
        },
    )
    assert "Who we are." in (out / "p/about.html").read_text(encoding="utf-8")
    assert "<p>Write.</p>" in (out / "p/contact.html").read_text(encoding="utf-8")
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="/p/about.html">About</a>' in home  # nav: true
    assert "/p/contact.html" not in home
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://example.org/p/about.html" in sitemap
    for listing in ("atom.xml", "feed.xml", "feed.json", "labels/cuts/index.html",
                    "2011/02/index.html", "archive/index.html"):  # fmt: skip
        assert "Who we are" not in (out / listing).read_text(encoding="utf-8")
        assert '/p/about.html"' not in (out / listing).read_text(encoding="utf-8").replace(
            '<a href="/p/about.html">About</a>', ""
        )


def test_an_html_body_is_kept_as_written_and_its_jump_break_makes_the_summary(
    tmp_path: Path,
) -> None:
    out = built(
        tmp_path,
        {"posts/2011-02-03-a.html": f"---\ntitle: A\ndate: 2011-02-03\n---\n{HTML_BODY}\n"},
    )
    page = (out / "2011/02/a.html").read_text(encoding="utf-8")
    assert HTML_BODY in page
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "Kept <i>as</i> written&nbsp;here." in home and "The rest." not in home
