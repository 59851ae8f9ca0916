"""Text as another system writes it: CRLF line endings, a console that is not UTF-8."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXED_ENV, REPO, post, run_blogsite, tree, write_files

CONFIG = '[tool.blogsite]\ntitle = "Test blog"\nbase_url = "https://example.org/"\n'
TEMPLATE = (
    '{% extends "base.html" %}\n{% block content %}\n<p>{{ post.title }}</p>\n{% endblock %}\n'
)


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def test_files_saved_with_crlf_build_the_same_bytes_as_with_lf(tmp_path: Path) -> None:
    """An editor on Windows (or git's autocrlf) saves posts, settings and templates with CRLF."""
    files = {
        "pyproject.toml": CONFIG,
        "posts/2011-02-03-a.md": post("A post", body="One.\n\n- a list\n- of two\n\n> quoted"),
        "posts/2011-03-04-b.md": post("Another", "2011-03-04", labels="[Cuts, Localism]"),
        "templates/post.html": TEMPLATE,
    }
    lf = write_files(tmp_path / "lf", files)
    windows = write_files(tmp_path / "crlf", {name: crlf(text) for name, text in files.items()})
    assert b"\r\n" in (windows / "posts/2011-02-03-a.md").read_bytes()
    for site in (lf, windows):
        result = run_blogsite("build", "-q", cwd=site)
        assert result.returncode == 0, result.stderr
    built = tree(lf / "_site")
    # Every text file (not the theme's images or the search index's binary pieces).
    text = {n: d for n, d in built.items() if not n.startswith("pagefind/")}
    assert not any(b"\r" in d for n, d in text.items() if not n.endswith((".png", ".ico")))
    assert tree(windows / "_site") == built


def test_a_console_that_cannot_show_a_name_shows_it_escaped(tmp_path: Path) -> None:
    site = write_files(
        tmp_path / "site",
        {"pyproject.toml": CONFIG, "posts/2011-02-03-café-☃.md": post(date="2011-13-45")},
    )
    result = subprocess.run(
        [sys.executable, "-m", "blogsite", "build"],
        cwd=site,
        env={**os.environ, **FIXED_ENV, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "cp1252"},
        capture_output=True,
    )
    assert result.returncode == 1
    shown = result.stderr.decode("cp1252")  # what a Windows console set to cp1252 shows
    assert shown.startswith("posts/2011-02-03-café-\\u2603.md:3: invalid date"), shown


def test_a_new_post_is_written_with_lf_line_endings(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", {"pyproject.toml": CONFIG})
    result = run_blogsite("new", "A new post", cwd=site)
    assert result.returncode == 0, result.stderr
    (written,) = (site / "posts").iterdir()
    data = written.read_bytes()
    assert data.startswith(b'---\ntitle: "A new post"\n') and b"\r" not in data
