"""Writing the site: the output folder is always the old site or the new one."""

from __future__ import annotations

from pathlib import Path

import pytest

from blogsite.errors import BlogsiteError, UsageError
from blogsite.output.staging import MARKER, MARKER_TEXT, check_destination, write
from tests.conftest import tree


def test_write_replaces_the_site_and_drops_stale_files(tmp_path: Path) -> None:
    dest = tmp_path / "_site"
    write({"index.html": b"old", "2011/02/gone.html": b"deleted post"}, dest)
    write({"index.html": b"new", "css/style.css": b"body{}"}, dest)
    assert tree(dest) == {**{"index.html": b"new", "css/style.css": b"body{}"}, MARKER: MARKER_TEXT}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"], "no temporary folders left"


def test_a_failed_write_leaves_the_old_site_exactly_as_it_was(tmp_path: Path) -> None:
    dest = tmp_path / "_site"
    write({"index.html": b"old"}, dest)
    with pytest.raises(BlogsiteError, match="would leave the output folder"):
        write({"a.html": b"new", "../escape.html": b"x"}, dest)
    assert tree(dest) == {**{"index.html": b"old"}, MARKER: MARKER_TEXT}
    assert not (tmp_path / "escape.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


def test_the_site_is_readable_by_a_web_server(tmp_path: Path) -> None:
    write({"index.html": b"x"}, tmp_path / "_site")
    assert (tmp_path / "_site").stat().st_mode & 0o755 == 0o755


@pytest.mark.parametrize("path", ["/etc/passwd", "../x", "a/../../x", "C:/x", "a\\..\\x", ""])
def test_paths_outside_the_output_folder_are_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(BlogsiteError):
        write({path: b"x"}, tmp_path / "_site")


def refused(dest: Path, root: Path) -> str:
    with pytest.raises(UsageError) as caught:
        check_destination(dest, root, [root / "posts", root / "templates", root / "static"])
    return caught.value.message


def test_output_must_not_be_the_site_or_its_inputs_or_above(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "posts").mkdir(parents=True)
    assert "must not be the site folder" in refused(root, root)
    assert "must not be the site folder or above it" in refused(tmp_path, root)
    assert "must not overlap the input" in refused(root / "posts", root)
    assert "must not overlap the input" in refused(root / "static" / "out", root)
    assert "refusing to use" in refused(Path("/"), root)
    assert "refusing to use" in refused(Path.home(), root)


def test_output_will_not_replace_a_folder_that_is_not_a_built_site(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (tmp_path / "Documents").mkdir()
    (tmp_path / "Documents" / "thesis.odt").write_bytes(b"years of work")
    assert "does not look like a built site" in refused(tmp_path / "Documents", root)
    check_destination(tmp_path / "empty", root, [])  # a new or empty folder is fine
