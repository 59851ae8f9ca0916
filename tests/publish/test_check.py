"""`blogsite check`: a reader's broken links, anchors, images and feeds, each named by the
post and line that made it, found in the built site by the real command."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import post, run_blogsite, write_files

SETTINGS = '[tool.blogsite]\ntitle = "Test blog"\nbase_url = "https://example.org/blog/"\n'
# Without the search page, whose form leads to a web search on another site (which these
# tests, offline, cannot reach); a site with search is checked below.
CONFIG = SETTINGS + "search = false\n"
OLDER = "---\ntitle: Older\ndate: 2011-02-01\n---\n\n## Part one {#part-one}\n\nWords.\n"
BROKEN = """---
title: Where next?
date: 2011-02-03
---

See [the earlier post](earlier.html) and [its second part](older.html#part-two).

![A chart](/blog/img/chart.png)

[Back to the start](#nowhere), and these work: [part one](older.html#part-one),
[the archive](../../archive/), [mail](mailto:someone@example.org).
"""


def site(root: Path, **more: str) -> Path:
    return write_files(
        root,
        {"pyproject.toml": CONFIG, "posts/2011-02-01-older.md": OLDER, **more},
    )


def test_a_good_site_checks_clean(tmp_path: Path) -> None:
    site(tmp_path)
    done = run_blogsite("check", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "Checked 7 pages and 3 feeds: no problems\n")


def test_a_good_site_with_search_checks_clean_its_search_page_counted(tmp_path: Path) -> None:
    site(tmp_path, **{"pyproject.toml": SETTINGS})
    done = run_blogsite("check", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "Checked 8 pages and 3 feeds: no problems\n")
    assert (tmp_path / "_site/search/index.html").is_file()


def test_broken_links_anchors_and_images_are_named_by_post_and_line(tmp_path: Path) -> None:
    site(tmp_path, **{"posts/2011-02-03-where-next.md": BROKEN})
    done = run_blogsite("check", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == (
        "posts/2011-02-03-where-next.md:6: link to /blog/2011/02/earlier.html: no such page\n"
        "posts/2011-02-03-where-next.md:6: link to /blog/2011/02/older.html#part-two: "
        'no element there has the id "part-two"\n'
        "posts/2011-02-03-where-next.md:8: image /blog/img/chart.png: no such file\n"
        "posts/2011-02-03-where-next.md:10: link to /blog/2011/02/where-next.html#nowhere: "
        'no element there has the id "nowhere"\n'
        "blogsite check: 4 problems in 8 pages and 3 feeds\n"
    )
    assert (tmp_path / "_site/2011/02/where-next.html").is_file()  # it built the site first


def test_a_feed_that_breaks_the_rules_is_caught_by_a_strict_parser(tmp_path: Path) -> None:
    site(tmp_path)
    assert run_blogsite("build", cwd=tmp_path).returncode == 0
    feed = tmp_path / "_site/feed.xml"
    text = feed.read_text(encoding="utf-8")
    pub = re.search(r"\n *<pubDate>[^<]*</pubDate>", text)
    assert pub
    feed.write_text(text.replace(pub.group(0), ""), encoding="utf-8")
    line = text[: text.index("<item>")].count("\n") + 1
    atom = tmp_path / "_site/atom.xml"
    atom.write_text(atom.read_text(encoding="utf-8").replace("</feed>", ""), encoding="utf-8")
    done = run_blogsite("check", "--output", "_site", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0].startswith("_site/atom.xml:") and ": not well-formed XML: " in lines[0]
    assert lines[1:] == [
        f"_site/feed.xml:{line}: <item> has no <pubDate>",
        "blogsite check: 2 problems in 7 pages and 3 feeds",
    ]


def test_a_template_problem_is_reported_once_with_its_page_and_line(tmp_path: Path) -> None:
    site(tmp_path, **{"posts/2011-03-01-b.md": post("B", "2011-03-01")})
    write_files(
        tmp_path,
        {
            "templates/404.html": '{% extends "base.html" %}{% block title %}{% endblock %}\n'
            '{% block content %}<p id="x">Lost</p><p id="x">Twice</p>\n'
            '<img src="{{ urls.url("missing.png") }}" alt="">{% endblock %}\n',
            "templates/post.html": '{% extends "base.html" %}\n'
            '{% block content %}<img src="{{ urls.url("logo.png") }}" alt="">'
            "{% endblock %}\n",
        },
    )
    done = run_blogsite("check", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "_site/2011/02/older.html:36: image /blog/logo.png: no such file (and on 1 other page)",
        "_site/404.html:1: the page has no <title>",
        '_site/404.html:34: the id "x" is on the page 2 times',
        "_site/404.html:35: image /blog/missing.png: no such file",
        "blogsite check: 4 problems in 9 pages and 3 feeds",
    ]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def local_server(tmp_path: Path) -> Iterator[tuple[str, http.server.ThreadingHTTPServer]]:
    files = write_files(tmp_path / "www", {"there.html": "<p>here</p>"})
    handler = functools.partial(_Quiet, directory=str(files))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server
    finally:
        server.shutdown()
        server.server_close()


def test_external_links_are_checked_and_the_good_ones_remembered(
    tmp_path: Path, local_server: tuple[str, http.server.ThreadingHTTPServer]
) -> None:
    address, server = local_server
    body = f"[good]({address}/there.html)\n\n[gone]({address}/gone.html)\n"
    site(tmp_path / "s", **{"posts/2011-02-03-out.md": OLDER.replace("## Part", body + "## Part")})
    root = tmp_path / "s"
    assert run_blogsite("check", cwd=root).returncode == 0  # outside links only when asked
    done = run_blogsite("check", "--external", cwd=root)
    assert done.returncode == 1
    assert done.stderr == (
        f"posts/2011-02-03-out.md:8: link to {address}/gone.html: HTTP 404 File not found\n"
        "blogsite check: 1 problem in 8 pages and 3 feeds, 2 links to other sites\n"
    )
    server.shutdown()
    server.server_close()
    done = run_blogsite("check", "--external", "--timeout", "2", cwd=root)
    # The good link is remembered; the broken one is asked again, and now finds nobody.
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"posts/2011-02-03-out.md:8: link to {address}/gone.html: ")
    assert "cannot connect" in lines[0]
