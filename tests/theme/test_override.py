"""A site overrides any theme template or CSS file with one of the same name."""

from __future__ import annotations

from pathlib import Path

from blogsite.content.sources import THEME
from tests.conftest import post, run_blogsite, tree
from tests.theme.pages import page, texts


def test_a_sites_own_template_and_css_replace_the_themes(write_tree) -> None:
    root = write_tree(
        {
            "pyproject.toml": '[tool.blogsite]\ntitle = "Mine"\nbase_url = "https://e.org/"\n',
            "posts/2011-02-03-a.md": post("A", "2011-02-03"),
            "templates/archive_year.html": (
                '<li class="archive-year">{{ year.year }}: {{ year.count }} posts</li>\n'
            ),
            "static/css/style.css": "body { color: rebeccapurple; }\n",
            "static/favicon.ico": b"\x00\x01",
        }
    )
    done = run_blogsite("build", cwd=root)
    assert done.returncode == 0, done.stderr
    built = tree(root / "_site")
    assert built["css/style.css"] == b"body { color: rebeccapurple; }\n"
    assert built["favicon.ico"] == b"\x00\x01"
    doc = page(root / "_site", "2011/02/a.html")
    assert texts(doc, ".archive-year") == ["2011: 1 posts"]
    assert texts(doc, "h1") == ["A"]  # the rest of the theme is still the theme's


def test_an_error_in_an_overriding_template_names_its_file_and_line(write_tree) -> None:
    root = write_tree(
        {
            "posts/2011-02-03-a.md": post("A", "2011-02-03"),
            "templates/archive_year.html": "<li>\n{{ year.no_such_thing }}</li>\n",
        }
    )
    done = run_blogsite("build", cwd=root)
    assert done.returncode == 1
    assert f"{Path('templates') / 'archive_year.html'}:2: undefined variable" in done.stderr
    assert not (root / "_site").exists()


def test_a_sites_sidebar_shows_each_pages_own_period(write_tree) -> None:
    """The sidebar is rendered once per period, so each page must still get its own."""
    root = write_tree(
        {
            "pyproject.toml": '[tool.blogsite]\nbase_url = "https://e.org/"\n',
            "posts/2011-02-03-a.md": post("A", "2011-02-03"),
            "posts/2012-05-06-b.md": post("B", "2012-05-06"),
            "templates/sidebar.html": (
                '<aside class="mine">{{ period[0] }}/{{ period[1] }}</aside>\n'
            ),
        }
    )
    done = run_blogsite("build", cwd=root)
    assert done.returncode == 0, done.stderr
    shown = {
        path: texts(page(root / "_site", path), ".mine")
        for path in ("2011/02/a.html", "2012/05/b.html", "2011/index.html", "index.html")
    }
    assert shown == {
        "2011/02/a.html": ["2011/2"],
        "2012/05/b.html": ["2012/5"],
        "2011/index.html": ["2011/None"],
        "index.html": ["2012/5"],  # the newest month
    }


def test_a_sites_own_post_footer_shows_on_each_posts_page_and_entries(write_tree) -> None:
    """The footer (macros.html's post_meta) is made once per post, so every place that shows
    a post must still get that post's own, from the site's macros.html."""
    macros = (THEME / "templates" / "macros.html").read_text()
    start = macros.index("{% macro post_meta(post) %}")
    end = macros.index("{% endmacro %}", start) + len("{% endmacro %}")
    mine = '{% macro post_meta(post) %}<p class="mine">{{ post.title }}</p>{% endmacro %}'
    root = write_tree(
        {
            "pyproject.toml": '[tool.blogsite]\nbase_url = "https://e.org/"\n',
            "posts/2011-02-03-a.md": post("A", "2011-02-03", labels="[L]"),
            "posts/2011-02-04-b.md": post("B", "2011-02-04", labels="[L]"),
            "templates/macros.html": macros[:start] + mine + macros[end:],
        }
    )
    done = run_blogsite("build", cwd=root)
    assert done.returncode == 0, done.stderr
    shown = {
        path: texts(page(root / "_site", path), ".mine")
        for path in (
            "2011/02/a.html",
            "2011/02/b.html",
            "2011/02/index.html",
            "index.html",
            "labels/l/index.html",
        )
    }
    assert shown == {
        "2011/02/a.html": ["A"],
        "2011/02/b.html": ["B"],
        "2011/02/index.html": ["B", "A"],  # whole posts
        "index.html": ["B", "A"],  # summaries
        "labels/l/index.html": ["B", "A"],
    }
