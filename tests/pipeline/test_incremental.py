"""A build after an edit renders only what the edit touches, and must give the very bytes a
build from scratch gives: each kind of edit is built both ways and every file compared."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import post, run_blogsite, tree, write_files

SETTINGS = '[tool.blogsite]\nbase_url = "https://example.org/"\nposts_per_page = 2\n'
SITE = {
    "pyproject.toml": SETTINGS,
    "posts/2011-01-05-first.md": post("First", "2011-01-05", "One.", labels="[Cuts]"),
    "posts/2011-01-20-second.md": post(
        "Second", "2011-01-20", "Two.", labels="[Cuts, Big Society]"
    ),
    "posts/2011-02-03-third.md": post("Third", "2011-02-03", "Three.\n\n<!--more-->\n\nMore."),
    "posts/2011-02-10-fourth.md": post("Fourth", "2011-02-10", "Four.", labels="[Big Society]"),
    "posts/2011-03-01-fifth.md": post("Fifth", "2011-03-01 09:30", "Five.", labels="[Cuts]"),
    # an id the theme's post page has too: the build warns about it
    "posts/2012-01-01-sixth.md": post("Sixth", "2012-01-01", '<p id="content">Six.</p>'),
}


def _append(name: str, text: str) -> Callable[[Path], None]:
    def edit(site: Path) -> None:
        path = site / name
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return edit


def _replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(site: Path) -> None:
        path = site / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    return edit


def _write(files: dict[str, str]) -> Callable[[Path], None]:
    def edit(site: Path) -> None:
        write_files(site, files)

    return edit


def _delete(name: str) -> Callable[[Path], None]:
    return lambda site: (site / name).unlink()


COMMENT = "comments:\n- author: Ann\n  date: 2011-02-04\n  html: <p>Agreed.</p>\ntitle: Third"
EDITS: dict[str, Callable[[Path], None]] = {
    "a post's body": _append("posts/2011-02-10-fourth.md", "\nAn added sentence.\n"),
    "the body of the post with a repeated id": _append("posts/2012-01-01-sixth.md", "\nMore.\n"),
    "a summary's end": _replace("posts/2011-02-03-third.md", "<!--more-->", ""),
    "a title": _replace("posts/2011-01-20-second.md", "title: Second", "title: Second, retitled"),
    "a date, to another month": _replace(
        "posts/2011-02-10-fourth.md", "date: 2011-02-10", "date: 2011-03-02"
    ),
    "a label added": _replace(
        "posts/2011-02-03-third.md", "title: Third", "title: Third\nlabels: [New]"
    ),
    "a label removed": _replace("posts/2011-03-01-fifth.md", "labels: [Cuts]", "labels: []"),
    "a comment": _replace("posts/2011-02-03-third.md", "title: Third", COMMENT),
    "a post made a draft": _replace(
        "posts/2011-01-05-first.md", "title: First", "title: First\ndraft: true"
    ),
    "a new post": _write({"posts/2011-02-11-new.md": post("New", "2011-02-11", "New.")}),
    "a post deleted": _delete("posts/2011-01-05-first.md"),
    "a template": _write(
        {"templates/entry.html": '<article class="mine">{{ post.title }}</article>\n'}
    ),
    "a setting": _write({"pyproject.toml": SETTINGS + 'title = "Renamed"\n'}),
    "a static file": _write({"static/extra.css": "body { color: red }\n"}),
}


def build(site: Path, *args: str) -> str:
    result = run_blogsite("build", *args, cwd=site)
    assert result.returncode == 0, result.stderr
    return "\n".join(line for line in result.stderr.splitlines() if not line.startswith("Built "))


@pytest.mark.parametrize("edit", EDITS)
def test_a_build_after_an_edit_is_the_build_from_scratch(tmp_path: Path, edit: str) -> None:
    site = write_files(tmp_path / "site", SITE)
    build(site)  # the build before the edit, whose output and cache the next one reuses
    EDITS[edit](site)
    messages = build(site)
    from_scratch = build(site, "--no-cache", "--output", str(tmp_path / "scratch"))
    assert tree(site / "_site") == tree(tmp_path / "scratch")
    assert messages == from_scratch


def test_a_page_kept_from_the_last_build_still_gives_its_warning(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", SITE)
    assert 'the id "content"' in build(site)
    EDITS["a post's body"](site)
    assert 'the id "content"' in build(site)


def test_an_output_file_changed_by_hand_is_made_again(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", SITE)
    build(site)
    page = site / "_site" / "2011" / "02" / "third.html"
    page.write_text("changed by hand")
    EDITS["a post's body"](site)
    build(site)
    assert b"Three." in page.read_bytes()
