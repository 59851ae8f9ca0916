"""Which files are inputs: sorted, no editor droppings, nothing outside the site via symlinks."""

from __future__ import annotations

from pathlib import Path

from blogsite.content.sources import files
from blogsite.errors import BlogsiteError


def test_files_are_sorted_by_folder_then_name_without_hidden_or_editor_files(
    tmp_path: Path,
) -> None:
    for name in ("b.md", "a-c.md", "a/b.md", "a/.draft.md", ".git/x", "c.md~", "#c.md#", "z/4913"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in files(tmp_path)]
    assert found == ["a/b.md", "a-c.md", "b.md"]  # a folder sorts before a-c, as Paths do


def test_symlinks_are_followed_only_inside_the_boundary(tmp_path: Path) -> None:
    site, outside = tmp_path / "site", tmp_path / "outside"
    (site / "posts").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.md").write_text("x")
    (outside / "folder").mkdir()
    (outside / "folder" / "in-folder.md").write_text("x")
    (site / "shared.md").write_text("x")
    (site / "posts" / "a.md").write_text("x")
    (site / "posts" / "inside.md").symlink_to(site / "shared.md")
    (site / "posts" / "leak.md").symlink_to(outside / "secret.md")
    (site / "posts" / "linked-folder").symlink_to(outside / "folder")
    (site / "posts" / "broken.md").symlink_to(site / "missing.md")
    errors: list[BlogsiteError] = []
    found = [p.name for p in files(site / "posts", site, errors)]
    assert found == ["a.md", "inside.md"]
    # Only the broken link is an error: the others are skipped on purpose.
    assert [(e.path, e.message) for e in errors] == [
        (
            site / "posts" / "broken.md",
            f"cannot read: it links to {site / 'missing.md'}, which is gone",
        )
    ]
