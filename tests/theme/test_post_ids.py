"""A post's own ids that its page's templates use too: the build warns, naming file and line."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import post, run_blogsite, tree, write_files
from tests.theme.pages import page

CONFIG = '[tool.blogsite]\ntitle = "Test blog"\nbase_url = "https://example.org/"\n'
COMMENTS = """
  - author: Alice
    date: 2011-02-04
    html: "<p>Well said.</p>\""""
POSTS = {
    # The theme's post page has id="comments" when the post carries comments.
    "posts/a.md": post(
        "A", "2011-02-03", "Intro.\n\n## Comments {#comments}\n\nMine.", comments=COMMENTS
    ),
    "posts/b.md": post("B", "2011-02-04", 'Text.\n\n<p id="content">raw HTML</p>'),
    # Fine: no archived comments, so the page has no other "comments"; footnote ids are unique.
    "posts/c.md": post("C", "2011-02-05", "Note[^1].\n\n## Comments {#comments}\n\n[^1]: a note"),
}
WARNINGS = [
    'posts/a.md:12: the id "comments" is on this post\'s page 2 times, 1 from the post and 1 '
    "from the templates: ids must be unique, and a link to #comments finds only the first; "
    "give the post's element another id",
    'posts/b.md:8: the id "content" is on this post\'s page 2 times, 1 from the post and 1 '
    "from the templates: ids must be unique, and a link to #content finds only the first; "
    "give the post's element another id",
]


def test_a_post_id_the_theme_also_uses_is_a_warning_naming_file_and_line(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", {"pyproject.toml": CONFIG, **POSTS})
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.endswith("(warning)")]
    assert sorted(warnings) == [f"{w} (warning)" for w in WARNINGS]
    ids = page(site / "_site", "2011/02/a.html").xpath("//@id")
    assert ids.count("comments") == 2  # the page as the author wrote it; the warning says why
    assert page(site / "_site", "2011/02/c.html").xpath("//@id").count("comments") == 1

    before = tree(site / "_site")
    write_files(site, {"posts/d.md": post("D", "2011-02-06")})
    strict = run_blogsite("build", "--strict", cwd=site)
    assert strict.returncode == 1
    assert strict.stderr == "\n".join([*WARNINGS, "blogsite: 2 errors\n"])
    assert tree(site / "_site") == before


def test_the_warnings_come_back_from_worker_processes(tmp_path: Path) -> None:
    # More pages than workers.MIN_PAGES, so pages are rendered in forked processes.
    filler = {f"posts/f{n:03d}.md": post(f"F{n}", f"2010-{n % 12 + 1:02d}-01") for n in range(210)}
    site = write_files(tmp_path / "site", {"pyproject.toml": CONFIG, **POSTS, **filler})
    result = run_blogsite("build", "--jobs", "2", "--strict", cwd=site)
    assert result.returncode == 1
    assert result.stderr == "\n".join([*WARNINGS, "blogsite: 2 errors\n"])
