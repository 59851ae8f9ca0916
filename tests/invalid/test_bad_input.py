"""Sites that must fail: each prints path:line: message, exits 1 and leaves _site as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import as_a_user, post, run_blogsite, tree, write_files

CONFIG = '[tool.blogsite]\ntitle = "Test blog"\nbase_url = "https://example.org/"\n'
GOOD = {"pyproject.toml": CONFIG, "posts/2011-02-03-good.md": post("Good", body="Fine words.")}

# Nine levels of nine aliases each: a billion "lol"s from a few hundred bytes.
LAUGHS = (
    "---\ntitle: Laughs\ndate: 2011-02-03\n"
    + 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    + "".join(
        f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n"
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "---\n\nBody.\n"
)

# name -> (files to add, expected message lines, as printed)
CASES: dict[str, tuple[dict[str, str | bytes], list[str]]] = {
    "invalid yaml": (
        {"posts/bad.md": "---\ntitle: A: B\ndate: 2011-02-03\n---\n\nBody.\n"},
        ["posts/bad.md:2: invalid YAML in front matter: mapping values are not allowed here"],
    ),
    "unclosed front matter": (
        {"posts/bad.md": "---\ntitle: A\ndate: 2011-02-03\n\nBody.\n"},
        ["posts/bad.md:1: front matter opened by '---' on line 1 is never closed"],
    ),
    "no front matter": (
        {"posts/bad.md": "Just words.\n"},
        ["posts/bad.md:1: no front matter: a post must start with a '---' line"],
    ),
    "missing title": (
        {"posts/bad.md": "---\ndate: 2011-02-03\n---\n\nBody.\n"},
        ["posts/bad.md:1: missing 'title' in front matter"],
    ),
    "missing date": (
        {"posts/bad.md": "---\ntitle: A\n---\n\nBody.\n"},
        ["posts/bad.md:1: missing 'date' in front matter (e.g. date: 2011-02-03)"],
    ),
    "impossible date": (
        {"posts/bad.md": "---\ntitle: A\n\ndate: 2011-13-45\n---\n\nBody.\n"},
        ["posts/bad.md:4: invalid date '2011-13-45': month must be in 1..12"],
    ),
    "python yaml tag": (
        {
            "posts/bad.md": "---\ntitle: !!python/object/apply:os.system ['touch pwned']\n"
            "date: 2011-02-03\n---\n\nBody.\n"
        },
        [
            "posts/bad.md:2: invalid YAML in front matter: could not determine a constructor "
            "for the tag 'tag:yaml.org,2002:python/object/apply:os.system'"
        ],
    ),
    "not utf-8": (
        {"posts/bad.md": b"---\ntitle: A\ndate: 2011-02-03\n---\n\ncaf\xe9 au lait\n"},
        ["posts/bad.md:6: not valid UTF-8 (byte 0xe9); save the file as UTF-8"],
    ),
    "control character in title": (
        {"posts/bad.md": '---\ntitle: "Bell \\a here"\ndate: 2011-02-03\n---\n\nBody.\n'},
        ["posts/bad.md:2: 'title' contains a control character"],
    ),
    "empty body": (
        {"posts/bad.md": "---\ntitle: A\ndate: 2011-02-03\n---\n\n  \n"},
        ["posts/bad.md:5: the post has no body"],
    ),
    "same slug twice": (
        {"posts/2011-02-03-twin.md": post("One"), "posts/again.md": post("Two", slug="Twin")},
        [
            "posts/again.md:4: both this post and posts/2011-02-03-twin.md would be written to "
            "2011/02/twin.html; give one of them another 'slug'"
        ],
    ),
    "aliases that stand for billions of values": (
        {"posts/bad.md": LAUGHS},
        [
            "posts/bad.md:9: front matter stands for too much text through its aliases "
            "(more than 100,000 values or 10,000,000 characters)"
        ],
    ),
    "too many aliases": (
        {"posts/bad.md": post("A", x="&x 1", many="[" + ", ".join(["*x"] * 1001) + "]")},
        ["posts/bad.md:5: front matter uses more than 1,000 aliases"],
    ),
    "an alias inside the value it names": (
        {"posts/bad.md": post("A", loop="&a [1, *a]")},
        ["posts/bad.md:4: the alias *a is inside the value it names"],
    ),
    "flow nesting tens of thousands deep": (
        {"posts/bad.md": post("A", deep="[" * 50_000 + "]" * 50_000)},
        ["posts/bad.md:4: front matter nests deeper than 64 levels"],
    ),
    "block nesting deeper than the bound": (
        {"posts/bad.md": post("A", deep="\n" + "".join(" " * n + "- \n" for n in range(1, 80)))},
        ["posts/bad.md:68: front matter nests deeper than 64 levels"],
    ),
    "duplicate keys, at any depth": (
        {
            "posts/bad.md": "---\ntitle: A\ndate: 2011-02-03\ntitle: B\n"
            "comments:\n  - {author: X, author: Y, date: 2011-02-03, html: hi}\n---\n\nBody.\n"
        },
        [
            "posts/bad.md:4: duplicate key 'title' in front matter (first given on line 2)",
            "posts/bad.md:6: duplicate key 'author' in front matter (first given on line 6)",
            "blogsite: 2 errors",
        ],
    ),
    "a date pushed past the year 9999 by its offset": (
        {"posts/bad.md": post("A", "9999-12-31T23:00:00-05:00")},
        [
            "posts/bad.md:3: invalid date '9999-12-31T23:00:00-05:00': a date must be between "
            "the years 1 and 9999 in UTC and in the site's time zone"
        ],
    ),
    "an updated date before the year 1 in UTC": (
        {"posts/bad.md": post("A", updated="0001-01-01T00:30:00+01:00")},
        [
            "posts/bad.md:4: invalid updated date '0001-01-01T00:30:00+01:00': a date must be "
            "between the years 1 and 9999 in UTC and in the site's time zone"
        ],
    ),
    "a slug too long for a file name": (
        {"posts/bad.md": post("A", slug="a" * 300)},
        [
            "posts/bad.md:4: its slug would be 300 characters long; a file name fits 200: "
            "shorten the slug"
        ],
    ),
    "a file name whose slug is too long": (
        {f"posts/{'b' * 240}.md": post("A")},
        [
            f"posts/{'b' * 240}.md:1: its slug would be 240 characters long; a file name fits "
            "200: give it a shorter 'slug' or file name"
        ],
    ),
    "a label too long for a folder name": (
        {"posts/bad.md": post("A", labels=f"[Short, {'Long ' * 60}]")},
        [
            "posts/bad.md:4: the label 'Long Long Long Long Long Long Long Long '…: its slug "
            "would be 299 characters long; a file name fits 200"
        ],
    ),
    "a posts_dir setting outside the site": (
        {
            "pyproject.toml": CONFIG + 'posts_dir = "../elsewhere"\n',
            "../elsewhere/a.md": post("Elsewhere"),
        },
        [
            "pyproject.toml:4: posts_dir: the folder ../elsewhere is outside the site folder; "
            "it must be in it"
        ],
    ),
    "traversal slug": (
        {"posts/bad.md": post("A", slug="../../etc/passwd")},
        [
            "posts/bad.md:4: slug '../../etc/passwd' could leave the output folder; "
            "use words and '-' only"
        ],
    ),
    "percent-encoded traversal slug": (
        {"posts/bad.md": post("A", slug='"%2e%2e%2fescape"')},
        [
            "posts/bad.md:4: slug '%2e%2e%2fescape' could leave the output folder; "
            "use words and '-' only"
        ],
    ),
    "template syntax error": (
        {"templates/post.html": "<p>\n{% if %}\n</p>\n"},
        [
            "templates/post.html:2: template syntax error: Expected an expression, got 'end of "
            "statement block'"
        ],
    ),
    "template undefined variable": (
        {"templates/post.html": "<p>\n{{ post.title }}\n{{ no_such_thing }}\n</p>\n"},
        ["templates/post.html:3: undefined variable: 'no_such_thing' is undefined"],
    ),
    "template includes a missing one": (
        {"templates/post.html": "<p>\n{{ post.title }}\n</p>\n{% include 'nope.html' %}\n"},
        ["templates/post.html:4: template not found: nope.html"],
    ),
    "template extends a missing one": (
        {"templates/post.html": "{% extends 'nope.html' %}\n"},
        ["templates/post.html:1: template not found: nope.html"],
    ),
}


@pytest.fixture
def built_site(tmp_path: Path) -> Path:
    site = write_files(tmp_path / "site", GOOD)
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_is_reported_with_file_and_line(built_site: Path, case: str) -> None:
    files, expected = CASES[case]
    before = tree(built_site / "_site")
    write_files(built_site, files)

    result = run_blogsite("build", cwd=built_site)

    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == expected
    assert tree(built_site / "_site") == before, "a failed build must leave _site untouched"
    assert not (built_site / "pwned").exists()


def test_every_error_is_reported_at_once(built_site: Path) -> None:
    write_files(
        built_site,
        {
            "posts/a.md": "---\ntitle: A: B\n---\n\nx\n",
            "posts/b.md": "---\ndate: 2011-02-03\n---\n",
            "posts/c.md": "no front matter\n",
        },
    )
    result = run_blogsite("build", cwd=built_site)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "posts/a.md:2: invalid YAML in front matter: mapping values are not allowed here",
        "posts/b.md:1: missing 'title' in front matter",
        "posts/b.md:4: the post has no body",
        "posts/c.md:1: no front matter: a post must start with a '---' line",
        "blogsite: 4 errors",
    ]


def test_every_unreadable_input_is_named(built_site: Path, tmp_path: Path) -> None:
    write_files(
        built_site,
        {
            "posts/locked.md": post("Locked"),
            "posts/shut/a.md": post("Shut"),
            "static/locked.css": "p {}\n",
            "templates/locked.html": "<p></p>\n",
        },
    )
    locked = ["posts/locked.md", "posts/shut", "static/locked.css", "templates/locked.html"]
    before = tree(built_site / "_site")
    for name in locked:
        (built_site / name).chmod(0)
    try:
        result = run_blogsite("build", cwd=built_site, prefix=as_a_user(tmp_path))
    finally:
        for name in locked:
            (built_site / name).chmod(0o755)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        *(f"{name}: cannot read: Permission denied" for name in locked),
        "blogsite: 4 errors",
    ]
    assert tree(built_site / "_site") == before


def test_symlink_loops_and_broken_links_are_named(built_site: Path) -> None:
    """A loop crashed the build; a link whose target was moved dropped the post silently."""
    before = tree(built_site / "_site")
    (built_site / "posts/loop.md").symlink_to("loop.md")
    (built_site / "posts/moved.md").symlink_to("drafts/moved.md")
    (built_site / "static/css").mkdir(parents=True)
    (built_site / "static/css/a.css").symlink_to("b.css")
    (built_site / "static/css/b.css").symlink_to("a.css")
    result = run_blogsite("build", cwd=built_site)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "posts/loop.md: cannot read: Too many levels of symbolic links",
        "posts/moved.md: cannot read: it links to drafts/moved.md, which is gone",
        "static/css/a.css: cannot read: Too many levels of symbolic links",
        "static/css/b.css: cannot read: Too many levels of symbolic links",
        "blogsite: 4 errors",
    ]
    assert tree(built_site / "_site") == before


def test_title_with_markup_is_escaped_not_executed(built_site: Path) -> None:
    title = "\"<script>alert('x')</script> & 'quotes'\""
    write_files(built_site, {"posts/2011-02-04-markup.md": post(title)})
    result = run_blogsite("build", cwd=built_site)
    assert result.returncode == 0, result.stderr
    page = (built_site / "_site/2011/02/markup.html").read_text()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#39;quotes&#39;" in page
