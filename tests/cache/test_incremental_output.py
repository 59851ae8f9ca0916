"""Only files whose bytes changed are written: the others keep their inode and mtime, so an
rsync-style deploy sends only what changed; the swap of the whole folder stays atomic."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from blogsite.errors import BlogsiteError
from blogsite.output.staging import MARKER, MARKER_TEXT, write
from tests.conftest import post, run_blogsite, tree, write_files

CONFIG = '[tool.blogsite]\ntitle = "Test blog"\nbase_url = "https://example.org/"\n'
LONG_AGO = 1_000_000_000 * 10**9  # 2001, in ns


def age(folder: Path) -> dict[str, tuple[int, int]]:
    """Set every file's mtime to long ago; return {path: (inode, mtime)}."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            os.utime(path, ns=(LONG_AGO, LONG_AGO))
            found[path.relative_to(folder).as_posix()] = (path.stat().st_ino, LONG_AGO)
    return found


def now_(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_write_keeps_unchanged_files_and_replaces_changed_ones(tmp_path: Path) -> None:
    dest = tmp_path / "_site"
    write({"index.html": b"old", "a/same.html": b"same", "gone.html": b"x"}, dest)
    before = age(dest)
    write({"index.html": b"new", "a/same.html": b"same", "b/added.html": b"+"}, dest)
    after = now_(dest)
    assert tree(dest) == {
        **{"index.html": b"new", "a/same.html": b"same", "b/added.html": b"+"},
        MARKER: MARKER_TEXT,
    }
    assert after["a/same.html"] == before["a/same.html"]
    assert after["index.html"][1] != LONG_AGO
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"], "no temporary folders left"


def test_a_same_sized_change_is_written(tmp_path: Path) -> None:
    dest = tmp_path / "_site"
    write({"index.html": b"abc"}, dest)
    age(dest)
    write({"index.html": b"abd"}, dest)
    assert tree(dest) == {**{"index.html": b"abd"}, MARKER: MARKER_TEXT}
    assert now_(dest)["index.html"][1] != LONG_AGO


def test_a_failed_write_leaves_the_old_files_as_they_were(tmp_path: Path) -> None:
    dest = tmp_path / "_site"
    write({"index.html": b"old", "same.html": b"same"}, dest)
    before = age(dest)
    with pytest.raises(BlogsiteError):
        write({"same.html": b"same", "index.html": b"new", "../x": b"x"}, dest)
    assert tree(dest) == {**{"index.html": b"old", "same.html": b"same"}, MARKER: MARKER_TEXT}
    assert now_(dest) == before


def test_editing_one_post_rewrites_only_the_pages_that_show_it(tmp_path: Path) -> None:
    site = write_files(
        tmp_path / "site",
        {
            # Without the search index, whose pieces are named by their content: the pages
            # alone keep one set of files. (The index's files: tests/theme/test_search.py.)
            "pyproject.toml": CONFIG + "search = false\n",
            "posts/2010-05-01-old.md": post("Old", "2010-05-01", labels="[Cuts]"),
            "posts/2011-01-01-a.md": post("A", "2011-01-01", labels="[Health]"),
            "posts/2011-02-03-b.md": post("B", "2011-02-03", labels="[Health]"),
            "posts/2011-03-03-c.md": post("C", "2011-03-03", labels="[Health]"),
        },
    )
    assert run_blogsite("build", cwd=site).returncode == 0
    old_bytes, before = tree(site / "_site"), age(site / "_site")
    edited = post("Old", "2010-05-01", "New words.", labels="[Cuts]")
    write_files(site, {"posts/2010-05-01-old.md": edited})
    assert run_blogsite("build", cwd=site).returncode == 0
    new_bytes, after = tree(site / "_site"), now_(site / "_site")
    assert after.keys() == before.keys()
    changed = {path for path in after if after[path] != before[path]}
    assert changed == {path for path in after if new_bytes[path] != old_bytes[path]}
    # the post's page and the lists showing its summary: home, its month, its label
    assert {"2010/05/old.html", "index.html", "2010/05/index.html", "labels/cuts/index.html"} <= (
        changed
    )
    assert not {"2011/01/a.html", "2011/02/b.html", "2011/03/c.html", "css/style.css"} & changed


def test_files_keep_their_mtime_exactly_when_their_bytes_are_the_same(tmp_path: Path) -> None:
    site = write_files(
        tmp_path / "site",
        {
            "pyproject.toml": CONFIG,
            "posts/2011-01-01-a.md": post("A", "2011-01-01", labels="[Health]"),
            "posts/2011-02-03-b.md": post("B", "2011-02-03", labels="[Health]"),
            "posts/2011-03-03-c.md": post("C", "2011-03-03", labels="[Cuts]"),
        },
    )
    assert run_blogsite("build", cwd=site).returncode == 0
    old_bytes = tree(site / "_site")
    before = age(site / "_site")
    (site / "posts/2011-03-03-c.md").unlink()
    write_files(site, {"posts/2011-02-03-b.md": post("B", "2011-02-03", "Other words.")})
    assert run_blogsite("build", cwd=site).returncode == 0
    new_bytes, after = tree(site / "_site"), now_(site / "_site")
    assert "2011/03/c.html" not in after and "labels/cuts/index.html" not in after
    assert "labels/health/index.html" in after
    for path in after:
        kept = after[path] == before.get(path)
        assert kept == (new_bytes[path] == old_bytes.get(path)), path
    assert any(after[p] == before.get(p) for p in after), "some files were kept"
