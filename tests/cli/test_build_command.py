"""The real `blogsite` command in a subprocess, as an author runs it."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXED_ENV, REPO, post, run_blogsite, tree, write_files

CONFIG = '[tool.blogsite]\ntitle = "Test blog"\nbase_url = "https://example.org/"\n'


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the repository's own sample blog."""
    site = tmp_path / "sample"
    shutil.copytree(REPO / "posts", site / "posts")
    shutil.copy(REPO / "pyproject.toml", site / "pyproject.toml")
    return site


def test_the_sample_post_is_built_at_its_dated_address_under_the_original_header(
    sample: Path,
) -> None:
    result = run_blogsite("build", cwd=sample)
    assert result.returncode == 0, result.stderr
    page = (sample / "_site/2011/02/where-next.html").read_text(encoding="utf-8")
    assert ">Thursday 3 February 2011</time>" in page
    assert '<h1 class="post-title" data-pagefind-meta="title">Where next?</h1>' in page
    source = (sample / "posts/2011-02-03-where-next.md").read_text(encoding="utf-8")
    paragraphs = [
        p.removeprefix("> ")
        for p in source.split("---\n", 2)[2].split("\n")
        if p.strip() and p != ">"
    ]
    assert len(paragraphs) == 14
    for words in paragraphs:  # every word kept, curly quotes and pound signs included
        assert f"<p>{html.escape(words, quote=False)}</p>" in page
    assert "It will be fascinating</p>" in page
    assert "£141million" in page and "‘Big Society’" in page
    assert "No comments:" in page
    home = (sample / "_site/index.html").read_text(encoding="utf-8")
    assert 'href="/2011/02/where-next.html"' in home


def test_build_py_is_the_same_as_blogsite_build(sample: Path) -> None:
    run_blogsite("build", cwd=sample)
    first = tree(sample / "_site")
    shutil.copy(REPO / "build.py", sample / "build.py")
    env = {**FIXED_ENV, "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "build.py"],
        cwd=sample,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert tree(sample / "_site") == first


def test_the_build_ends_with_one_summary_line(sample: Path) -> None:
    result = run_blogsite("build", cwd=sample)
    assert re.fullmatch(r"Built 1 post, \d+ files into _site in \d+\.\d\d s\n", result.stderr)
    assert result.stdout == ""
    assert run_blogsite("build", "-q", cwd=sample).stderr == ""


def test_output_is_byte_identical_whatever_the_zone_locale_or_hash_seed(sample: Path) -> None:
    write_files(
        sample,
        {
            "posts/2012-06-01-later.md": post(
                "Later", date="2012-06-01 23:30", labels="[Cuts, Big Society]"
            )
        },
    )
    runs = []
    for env in (
        {"TZ": "UTC", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "1"},
        {"TZ": "Pacific/Auckland", "LC_ALL": "fr_FR.UTF-8", "PYTHONHASHSEED": "2"},
    ):
        out = sample / f"out-{len(runs)}"
        result = run_blogsite("build", "--output", str(out), cwd=sample, env=env)
        assert result.returncode == 0, result.stderr
        runs.append(tree(out))
    assert runs[0] == runs[1]


def test_drafts_and_future_posts_are_left_out_and_counted(tmp_path: Path) -> None:
    site = write_files(
        tmp_path / "site",
        {
            "pyproject.toml": CONFIG,
            "posts/2011-02-03-public.md": post("Public"),
            "posts/2011-02-04-draft.md": post("Draft", draft="true"),
            "posts/2099-01-01-future.md": post("Future", date="2099-01-01"),
        },
    )
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "1 draft left out (use --drafts); 1 future post left out (use --future)" in (
        result.stderr
    )
    assert not (site / "_site/2011/02/draft.html").exists()
    assert not (site / "_site/2099").exists()

    result = run_blogsite("build", "--drafts", "--future", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "left out" not in result.stderr
    assert (site / "_site/2011/02/draft.html").exists()
    assert (site / "_site/2099/01/future.html").exists()


def test_source_date_epoch_decides_what_is_in_the_future(tmp_path: Path) -> None:
    site = write_files(
        tmp_path / "site", {"pyproject.toml": CONFIG, "posts/a.md": post("Soon", date="2030-01-01")}
    )
    assert "1 future post left out" in run_blogsite("build", cwd=site).stderr
    later = run_blogsite("build", cwd=site, env={"SOURCE_DATE_EPOCH": "1900000000"})
    assert "left out" not in later.stderr
    assert (site / "_site/2030/01/a.html").exists()


def test_deleted_posts_disappear_from_the_output(tmp_path: Path) -> None:
    site = write_files(
        tmp_path / "site",
        {"pyproject.toml": CONFIG, "posts/a.md": post("A"), "posts/b.md": post("B")},
    )
    run_blogsite("build", cwd=site)
    (site / "posts/b.md").unlink()
    assert run_blogsite("build", cwd=site).returncode == 0
    assert (site / "_site/2011/02/a.html").exists()
    assert not (site / "_site/2011/02/b.html").exists()


def test_posts_differing_only_in_case_collide(tmp_path: Path) -> None:
    site = write_files(
        tmp_path / "site",
        {
            "pyproject.toml": CONFIG,
            "posts/a.md": post("A", slug="Same"),
            "posts/b.md": post("B", slug="same"),
        },
    )
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 1
    assert result.stderr == (
        "posts/b.md:4: both this post and posts/a.md would be written to "
        "2011/02/same.html; give one of them another 'slug'\n"
    )


def test_a_static_file_where_the_site_needs_a_folder_is_reported_not_crashed(
    tmp_path: Path,
) -> None:
    site = write_files(
        tmp_path / "site", {"pyproject.toml": CONFIG, "posts/a.md": post(labels="[Cuts]")}
    )
    assert run_blogsite("build", cwd=site).returncode == 0
    before = tree(site / "_site")
    write_files(site, {"static/2011": "x", "static/labels/cuts": "x", "static/404.html/a": "x"})
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 1
    assert result.stderr == (
        "static/2011: 2011 (from static/2011) and 2011/02/a.html (from posts/a.md) "
        "cannot both be written: 2011 would have to be both a file and a folder\n"
        "static/404.html/a: 404.html (from 404.html) and 404.html/a (from static/404.html/a) "
        "cannot both be written: 404.html would have to be both a file and a folder\n"
        "static/labels/cuts: labels/cuts (from static/labels/cuts) and labels/cuts/index.html "
        "(from list.html) cannot both be written: labels/cuts would have to be both a file "
        "and a folder\n"
        "blogsite: 3 errors\n"
    )
    assert tree(site / "_site") == before


@pytest.mark.parametrize("absolute", [False, True])
def test_clash_messages_name_files_as_other_errors_do_when_run_with_c(
    tmp_path: Path, absolute: bool
) -> None:
    """From another folder, every file in a message is named relative to it, as an error's
    own file is (and as a post's parse error names it), never by an absolute path."""
    site = write_files(
        tmp_path / "site",
        {
            "pyproject.toml": CONFIG,
            "posts/a.md": post("A", slug="a"),
            "static/2011/02/a.html": "x",  # where the post goes
            "posts/c.md": post("C", "2012-02-03"),
            "static/2012": "y",  # where the post needs a folder
        },
    )
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    at, shown = (str(site), "../site") if absolute else ("../site", "../site")
    result = run_blogsite("-C", at, "build", cwd=cwd)
    assert result.returncode == 1
    assert result.stderr == (
        f"{shown}/static/2011/02/a.html: {shown}/static/2011/02/a.html and "
        f"{shown}/posts/a.md would both be written to 2011/02/a.html\n"
        f"{shown}/static/2012: 2012 (from {shown}/static/2012) and 2012/02/c.html "
        f"(from {shown}/posts/c.md) cannot both be written: 2012 would have to be both a "
        "file and a folder\n"
        "blogsite: 2 errors\n"
    )

    write_files(site, {"posts/b.md": post("B", slug="A")})  # two posts at one path
    result = run_blogsite("-C", at, "build", cwd=cwd)
    assert result.stderr == (
        f"{shown}/posts/b.md:4: both this post and {shown}/posts/a.md would be written to "
        "2011/02/a.html; give one of them another 'slug'\n"
    )
    write_files(
        site,
        {
            "posts/b.md": post("B", id="tag:x,2011:b"),
            "posts/a.md": post("A", slug="a", id="tag:x,2011:b"),
        },
    )
    result = run_blogsite("-C", at, "build", cwd=cwd)
    assert (
        f"{shown}/posts/b.md:1: this post's feed id tag:x,2011:b is also {shown}/posts/a.md's"
        in result.stderr
    )
    write_files(site, {"posts/b.md": "---\ntitle: [B\n---\n"})  # and any other error
    assert run_blogsite("-C", at, "build", cwd=cwd).stderr.startswith(f"{shown}/posts/b.md:2: ")


def test_a_missing_posts_folder_fails_and_leaves_the_site_alone(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", {"pyproject.toml": CONFIG, "posts/a.md": post()})
    assert run_blogsite("build", cwd=site).returncode == 0
    before = tree(site / "_site")

    write_files(site, {"pyproject.toml": CONFIG + 'posts_dir = "post"\n'})
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 1
    assert result.stderr == "pyproject.toml:4: posts_dir: the folder post does not exist\n"

    write_files(site, {"pyproject.toml": CONFIG})
    shutil.rmtree(site / "posts")
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 1
    assert result.stderr == (
        'posts: the posts folder does not exist; blogsite new "Title" starts it with a first post\n'
    )
    assert tree(site / "_site") == before

    (site / "posts").mkdir()  # an empty one is a blog with no posts yet
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("Built 0 posts")


@pytest.mark.parametrize("args", [["build", "--no-such-flag"], ["frobnicate"], []])
def test_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    result = run_blogsite(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert "usage: blogsite" in result.stderr


@pytest.mark.parametrize(
    ("epoch", "message"),
    [
        ("soon", "SOURCE_DATE_EPOCH must be whole seconds, not 'soon'\n"),
        ("99999999999999999999", "SOURCE_DATE_EPOCH 99999999999999999999 is not a time this"),
    ],
)
def test_a_bad_source_date_epoch_is_a_usage_error(tmp_path: Path, epoch: str, message: str) -> None:
    write_files(tmp_path, {"pyproject.toml": CONFIG, "posts/2011-02-03-a.md": post("A")})
    result = run_blogsite("build", cwd=tmp_path, env={"SOURCE_DATE_EPOCH": epoch})
    assert result.returncode == 2
    assert result.stderr.startswith(message)


@pytest.mark.parametrize("args", [["build"], ["new", "A title"], ["serve", "--port", "0"]])
def test_a_missing_site_folder_is_a_usage_error(tmp_path: Path, args: list[str]) -> None:
    result = run_blogsite("-C", "nowhere", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "-C nowhere: no such folder\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("output", [".", "posts", "..", "/"])
def test_dangerous_output_folders_are_usage_errors(tmp_path: Path, output: str) -> None:
    site = write_files(tmp_path / "site", {"pyproject.toml": CONFIG, "posts/a.md": post()})
    result = run_blogsite("build", "--output", output, cwd=site)
    assert result.returncode == 2, result.stderr
    assert "output folder" in result.stderr
    assert (site / "posts/a.md").exists()


def test_an_output_folder_that_is_a_git_checkout_is_never_replaced(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", {"pyproject.toml": CONFIG, "posts/a.md": post()})
    assert run_blogsite("build", cwd=site).returncode == 0
    (site / "_site/.git").mkdir()  # say, a gh-pages worktree
    (site / "_site/.git/HEAD").write_text("ref: refs/heads/gh-pages\n")
    before = tree(site / "_site")
    result = run_blogsite("build", "--no-cache", cwd=site)
    assert result.returncode == 2
    assert "it is a git checkout" in result.stderr and "rsync" in result.stderr
    assert tree(site / "_site") == before


def test_a_symlinked_output_folder_is_built_where_it_points(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", {"pyproject.toml": CONFIG})
    (tmp_path / "webroot").mkdir()
    (site / "_site").symlink_to("../webroot")
    for title in ("First", "Second"):  # the first build fills it, the second replaces it
        write_files(site, {"posts/a.md": post(title)})
        result = run_blogsite("build", cwd=site)
        assert result.returncode == 0, result.stderr
        assert (site / "_site").readlink() == Path("../webroot")
        assert title in (tmp_path / "webroot/index.html").read_text()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "webroot"]
        assert not [p for p in site.iterdir() if p.name.startswith("._site")]


def test_a_symlinked_output_folder_is_checked_where_it_points(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", {"pyproject.toml": CONFIG, "posts/a.md": post()})
    (site / "_site").symlink_to("posts")
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 2, result.stderr
    assert "must not overlap the input" in result.stderr
    assert (site / "posts/a.md").exists()
    (site / "_site").unlink()
    (site / "_site").symlink_to("_site")
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("cannot use _site as the output folder: ")
    assert "Traceback" not in result.stderr


def test_a_bad_base_url_option_is_a_usage_error_naming_the_option(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", {"pyproject.toml": CONFIG, "posts/a.md": post()})
    result = run_blogsite("build", "--base-url", "ftp://x.org/", cwd=site)
    assert result.returncode == 2, result.stderr
    assert "--base-url: base_url must be an absolute http(s) URL, not 'ftp://x.org/'" in (
        result.stderr
    )
    assert "pyproject.toml" not in result.stderr  # the file is not at fault
    assert not (site / "_site").exists()


def test_base_url_option_puts_the_site_under_a_sub_path(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", {"pyproject.toml": CONFIG, "posts/a.md": post()})
    result = run_blogsite("build", "--base-url", "https://x.github.io/blog/", cwd=site)
    assert result.returncode == 0, result.stderr
    home = (site / "_site/index.html").read_text()
    assert 'href="/blog/2011/02/a.html"' in home
    assert 'href="/blog/css/style.css"' in home


def test_a_site_template_overrides_the_theme_file_of_the_same_name(tmp_path: Path) -> None:
    site = write_files(
        tmp_path / "site",
        {
            "pyproject.toml": CONFIG,
            "posts/a.md": post(),
            "templates/post.html": "<p>Mine: {{ post.title }}</p>\n",
            "static/css/style.css": "body { color: red }\n",
            "static/favicon.ico": b"\x00\x01",
        },
    )
    assert run_blogsite("build", cwd=site).returncode == 0
    assert (site / "_site/2011/02/a.html").read_text() == "<p>Mine: A post</p>\n"
    assert (site / "_site/css/style.css").read_text() == "body { color: red }\n"
    assert (site / "_site/favicon.ico").read_bytes() == b"\x00\x01"


def test_new_writes_a_dated_draft_and_never_overwrites(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", {"pyproject.toml": CONFIG})
    result = run_blogsite("new", "Café: what next?", cwd=site)
    assert result.returncode == 0, result.stderr
    path = site / "posts/2023-11-14-cafe-what-next.md"  # SOURCE_DATE_EPOCH is 2023-11-14
    assert result.stderr == "Created posts/2023-11-14-cafe-what-next.md\n"
    text = path.read_text()
    assert text.startswith('---\ntitle: "Café: what next?"\ndate: 2023-11-14T22:13:20+00:00\n')
    assert "draft: true" in text
    again = run_blogsite("new", "Café: what next?", cwd=site)
    assert again.returncode == 2
    assert "already exists; not overwriting it" in again.stderr
    assert path.read_text() == text
    build = run_blogsite("build", cwd=site)
    assert "1 draft left out" in build.stderr


def test_new_cuts_a_long_title_to_a_short_file_name_at_a_word(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", {"pyproject.toml": CONFIG})
    title = " ".join(["Consultation"] * 40)  # 519 characters: too long for a file name
    result = run_blogsite("new", title, cwd=site)
    assert result.returncode == 0, result.stderr
    slug = "-".join(["consultation"] * 6)  # 77 characters; a seventh word would pass 80
    path = site / f"posts/2023-11-14-{slug}.md"
    assert result.stderr == f"Created posts/2023-11-14-{slug}.md\n"
    assert f'title: "{title}"\n' in path.read_text()
    build = run_blogsite("build", "--drafts", cwd=site)
    assert build.returncode == 0, build.stderr
    assert title in (site / f"_site/2023/11/{slug}.html").read_text()


@pytest.mark.parametrize("title", ["line1\nline2", "tab\there"])
def test_new_refuses_a_title_with_a_control_character(tmp_path: Path, title: str) -> None:
    site = write_files(tmp_path / "site", {"pyproject.toml": CONFIG})
    result = run_blogsite("new", title, cwd=site)
    assert result.returncode == 2
    assert result.stderr == (
        f"the title {title!r} has a line break, control character or byte that is not UTF-8; "
        "a title is one line of text\n"
    )
    assert not (site / "posts").exists()
