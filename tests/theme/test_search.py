"""The search index and page: built on by default, kept while no searchable text changes,
and with `search = false` no trace of it at all."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from tests.conftest import run_blogsite, tree
from tests.theme.pages import page, texts
from tests.theme.site import PYPROJECT, build_fixture

# What the search setting adds to the theme's pages: their marks for Pagefind, the search
# page's link in the header and its place in the sitemap, the post page's hidden list of its
# labels.
SEARCH_MARKS = [
    re.compile(r'<p hidden data-pagefind-ignore data-pagefind-meta="labels">[^<]*</p>\n'),
    re.compile(r" data-pagefind-(?:body|ignore)"),
    re.compile(r' data-pagefind-meta="[^"]*"'),
    re.compile(r'<li><a href="/blog/search/"[^>]*>Search</a></li>\n'),
    re.compile(r"<url><loc>https://x.github.io/blog/search/</loc><lastmod>[^<]*</lastmod></url>\n"),
]


def test_the_index_answers_for_every_post_and_only_posts(site_dir: Path) -> None:
    entry = json.loads((site_dir / "pagefind/pagefind-entry.json").read_bytes())
    assert entry["languages"]["en-gb"]["page_count"] == 12  # the published posts
    assert (site_dir / "pagefind/pagefind.js").is_file()
    assert not list((site_dir / "pagefind").glob("pagefind-ui*"))  # the theme uses none
    assert not (site_dir / ".search-pages").exists()
    search = page(site_dir, "search/index.html")
    assert texts(search, "h1") == ["Search"]
    assert search.cssselect("form[role=search] input[type=search][name=q]")
    post = page(site_dir, "2011/01/with-comments.html")
    assert len(post.cssselect("article[data-pagefind-body]")) == 1
    assert texts(post, "[data-pagefind-meta=labels]") == ["Big Society, Volunteering"]


def test_with_search_off_the_site_is_the_same_without_any_trace_of_search(
    site_dir: Path, tmp_path: Path
) -> None:
    off = build_fixture(tmp_path / "off")
    (tmp_path / "off/pyproject.toml").write_text(PYPROJECT + "search = false\n")
    done = run_blogsite("build", "-q", cwd=tmp_path / "off")
    assert done.returncode == 0, done.stderr
    built, searched = tree(off), tree(site_dir)
    assert not any(b"pagefind" in data or b"/search/" in data for data in built.values())
    assert set(searched) - set(built) == {
        p for p in searched if p.startswith(("pagefind/", "search/"))
    }
    for path, data in built.items():
        with_search = searched[path]
        if path.endswith((".html", ".xml")):
            text = with_search.decode("utf-8")
            for mark in SEARCH_MARKS:
                text = mark.sub("", text)
            with_search = text.encode("utf-8")
        assert data == with_search, path


def _index_files(site: Path) -> dict[str, int]:
    """Each file of the search index, by path, with its inode: a file kept, not made again,
    keeps it."""
    return {
        p.relative_to(site / "pagefind").as_posix(): p.stat().st_ino
        for p in sorted((site / "pagefind").rglob("*"))
        if p.is_file()
    }


def test_the_index_is_made_again_only_when_searchable_text_changes(tmp_path: Path) -> None:
    root = tmp_path / "blog"
    site = build_fixture(root)
    first = _index_files(site)
    # A change to every page but no post's article (the header's description), and a new
    # stylesheet, are not searched: the index is kept.
    settings = root / "pyproject.toml"
    settings.write_text(settings.read_text().replace("for testing the theme", "for tests"))
    (root / "static/css").mkdir(parents=True)
    (root / "static/css/style.css").write_text("body { color: black; }\n")
    assert run_blogsite("build", "-q", cwd=root).returncode == 0
    assert "A blog for tests." in (site / "2011/02/cafe.html").read_text()
    assert _index_files(site) == first
    # Nor by a build that finds nothing changed.
    assert run_blogsite("build", "-q", cwd=root).returncode == 0
    assert _index_files(site) == first
    # A post's words are: the index is made again. Its files whose bytes are the same (its
    # script, the other posts' pieces) are the old files still, as unchanged pages are.
    old_bytes = tree(site / "pagefind")
    post = root / "posts/2011-02-25-cafe.md"
    post.write_text(post.read_text() + "\nA zeppelin over the town hall.\n")
    assert run_blogsite("build", "-q", cwd=root).returncode == 0
    second, new_bytes = _index_files(site), tree(site / "pagefind")
    assert second != first
    for name in set(second) & set(first):
        kept = second[name] == first[name]
        assert kept == (new_bytes[name] == old_bytes[name]), name
    assert any(second[name] == first.get(name) for name in second), "some files kept"
    assert any(second[name] != first.get(name) for name in second), "some made again"
    # Without the cache there is nothing to compare with: indexed again, to the same bytes.
    before = tree(site / "pagefind")
    assert run_blogsite("build", "-q", "--no-cache", cwd=root).returncode == 0
    assert tree(site / "pagefind") == before
    shutil.rmtree(root / ".blogsite-cache")
    assert run_blogsite("build", "-q", cwd=root).returncode == 0
    assert tree(site / "pagefind") == before


def test_a_search_setting_that_is_not_true_or_false_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.blogsite]\nbase_url = "https://x.org/"\nsearch = "yes"\n'
    )
    done = run_blogsite("build", cwd=tmp_path)
    assert done.returncode == 1
    assert "pyproject.toml:3: search must be true or false, not 'yes'" in done.stderr
