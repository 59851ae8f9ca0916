"""A post's own files (charts, PDFs) are copied next to its page, and its relative links to
them work on every page and in the feeds; a link to a file it does not have is an error."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_blogsite, tree, write_files

CONFIG = '[tool.blogsite]\ntitle = "Test blog"\nbase_url = "https://example.org/blog/"\n'
FOLDER_POST = (
    "---\ntitle: Where next\ndate: 2011-02-03\n---\n\n![A chart](chart.png)\n\n"
    "[The consultation](docs/consultation.pdf)\n"
)
PLAIN_POST = "---\ntitle: Plain\ndate: 2011-02-04\n---\n\n![A graph](2011-02-04-plain.graph.png)\n"


def test_a_posts_files_are_copied_next_to_its_page_and_linked_everywhere(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pyproject.toml": CONFIG,
            "posts/2011-02-03-where-next/index.md": FOLDER_POST,
            "posts/2011-02-03-where-next/chart.png": b"PNG",
            "posts/2011-02-03-where-next/docs/consultation.pdf": b"PDF",
            "posts/2011-02-04-plain.md": PLAIN_POST,
            "posts/2011-02-04-plain.graph.png": b"GRAPH",
        },
    )
    done = run_blogsite("build", "--strict", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    site = tree(tmp_path / "_site")
    # The folder names the post, not its index.md.
    assert "2011/02/where-next.html" in site
    assert site["2011/02/chart.png"] == b"PNG"
    assert site["2011/02/docs/consultation.pdf"] == b"PDF"
    assert site["2011/02/2011-02-04-plain.graph.png"] == b"GRAPH"
    for page in ("index.html", "2011/02/index.html", "2011/02/where-next.html"):
        assert 'src="/blog/2011/02/chart.png"' in site[page].decode(), page
    for page in ("2011/02/index.html", "2011/02/where-next.html"):  # the home page: a summary
        assert 'href="/blog/2011/02/docs/consultation.pdf"' in site[page].decode(), page
    feed = json.loads(site["feed.json"])
    bodies = " ".join(item["content_html"] for item in feed["items"])
    assert 'src="https://example.org/blog/2011/02/chart.png"' in bodies
    assert 'src="https://example.org/blog/2011/02/2011-02-04-plain.graph.png"' in bodies
    checked = run_blogsite("check", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr


def test_a_link_to_a_file_the_post_does_not_have_names_the_post_and_line(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pyproject.toml": CONFIG,
            "posts/2011-02-04-plain.md": PLAIN_POST.replace(
                "graph.png)\n", "graph.png)\n\n![x](chart.png) and [y](report.pdf)\n"
            ),
            "posts/2011-02-04-plain.graph.png": b"GRAPH",
            "posts/chart.png": b"PNG",
        },
    )
    done = run_blogsite("build", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == (
        "posts/2011-02-04-plain.md:8: chart.png is beside the post but not one of its files: "
        "name it 2011-02-04-plain.chart.png, or make the post a folder: "
        "posts/2011-02-04-plain/index.md with the file beside it\n"
        "posts/2011-02-04-plain.md:8: report.pdf: no such file beside the post\n"
        "blogsite: 2 errors\n"
    )
    assert not (tmp_path / "_site").exists()


def test_two_folder_posts_with_a_file_of_one_name_in_one_month_clash(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pyproject.toml": CONFIG,
            "posts/2011-02-03-a/index.md": FOLDER_POST.replace("[The", "[No").split("[No")[0],
            "posts/2011-02-03-a/chart.png": b"A",
            "posts/2011-02-05-b/index.md": FOLDER_POST.split("[The")[0],
            "posts/2011-02-05-b/chart.png": b"B",
        },
    )
    done = run_blogsite("build", cwd=tmp_path)
    assert done.returncode == 1
    assert "would both be written to 2011/02/chart.png" in done.stderr
