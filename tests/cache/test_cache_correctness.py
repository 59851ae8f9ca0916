"""The cache never changes what a build makes: after every kind of edit, a cached build's
output equals a clean --no-cache build's, byte for byte, through the real command."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from tests.conftest import REPO, post, run_blogsite, tree, write_files

CONFIG = '[tool.blogsite]\ntitle = "Test blog"\nbase_url = "https://example.org/"\n'


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = write_files(
        tmp_path / "site",
        {
            "pyproject.toml": CONFIG,
            "posts/2011-01-15-first.md": post(
                "First", "2011-01-15", "The *first* body.", labels="[Cuts]"
            ),
            "posts/2011-02-03-second.md": post(
                "Second",
                "2011-02-03 09:30",
                'Second body -- with "quotes".\n\n| a | b |\n|---|---|\n| 1 | 2 |',
                labels="[Cuts, Big Society]",
            ),
            "posts/2011-03-01-third.md": post(
                "Third", "2011-03-01", "Third body.\n\n<!--more-->\n\nMore."
            ),
        },
    )
    built(root)  # every test starts from a cached build
    assert (root / ".blogsite-cache/posts.jsonl").exists()
    return root


def built(root: Path, *args: str) -> dict[str, bytes]:
    result = run_blogsite("build", *args, cwd=root)
    assert result.returncode == 0, result.stderr
    return tree(root / "_site")


def clean(root: Path) -> dict[str, bytes]:
    """A build that neither reads nor writes the cache, into a folder of its own."""
    cache_before = tree(root / ".blogsite-cache")
    out = root.parent / "clean"
    result = run_blogsite("build", "--no-cache", "--output", str(out), cwd=root)
    assert result.returncode == 0, result.stderr
    assert tree(root / ".blogsite-cache") == cache_before, "--no-cache wrote the cache"
    return tree(out)


def same_as_clean(root: Path) -> dict[str, bytes]:
    cached = built(root)
    assert cached == clean(root)
    return cached


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_editing_a_posts_body(site: Path) -> None:
    edit(site / "posts/2011-02-03-second.md", "Second body", "Rewritten body")
    out = same_as_clean(site)
    assert b"Rewritten body" in out["2011/02/second.html"]


def test_editing_a_posts_front_matter(site: Path) -> None:
    edit(site / "posts/2011-02-03-second.md", "title: Second", "title: Renamed")
    edit(site / "posts/2011-02-03-second.md", "labels: [Cuts, Big Society]", "labels: [Localism]")
    out = same_as_clean(site)
    assert b"Renamed" in out["index.html"]
    assert "labels/localism/index.html" in out
    assert "labels/big-society/index.html" not in out


def test_editing_a_posts_date_moves_it(site: Path) -> None:
    edit(site / "posts/2011-02-03-second.md", "date: 2011-02-03 09:30", "date: 2012-07-04")
    out = same_as_clean(site)
    assert "2012/07/second.html" in out and "2011/02/second.html" not in out


def test_adding_and_editing_a_template(site: Path) -> None:
    write_files(site, {"templates/post.html": "<p>Mine: {{ post.title }}</p>\n"})
    assert same_as_clean(site)["2011/02/second.html"] == b"<p>Mine: Second</p>\n"
    write_files(site, {"templates/post.html": "<p>Changed: {{ post.title }}</p>\n"})
    assert same_as_clean(site)["2011/02/second.html"] == b"<p>Changed: Second</p>\n"
    (site / "templates/post.html").unlink()
    assert b"Mine" not in same_as_clean(site)["2011/02/second.html"]


def test_editing_a_template_behind_a_symlinked_folder(site: Path) -> None:
    """Jinja2 follows a symlinked folder, so the cache must too (and not loop in one)."""
    write_files(
        site,
        {
            "templates/post.html": '<p>{{ post.title }}</p>\n{% include "parts/foot.html" %}',
            "theme-parts/foot.html": "<p>Old foot</p>\n",
        },
    )
    (site / "templates/parts").symlink_to("../theme-parts", target_is_directory=True)
    (site / "theme-parts/loop").symlink_to(".", target_is_directory=True)
    assert same_as_clean(site)["2011/02/second.html"] == b"<p>Second</p>\n<p>Old foot</p>\n"
    write_files(site, {"theme-parts/foot.html": "<p>New foot</p>\n"})
    assert same_as_clean(site)["2011/02/second.html"] == b"<p>Second</p>\n<p>New foot</p>\n"


def test_changing_a_setting(site: Path) -> None:
    write_files(site, {"pyproject.toml": CONFIG + 'date_format = "%d/%m/%Y"\n'})
    out = same_as_clean(site)
    assert b"03/02/2011" in out["2011/02/second.html"]
    write_files(site, {"pyproject.toml": CONFIG.replace("Test blog", "Other blog")})
    assert b"Other blog" in same_as_clean(site)["index.html"]


def test_changing_the_timezone_setting(site: Path) -> None:
    write_files(site, {"pyproject.toml": CONFIG + 'timezone = "Pacific/Auckland"\n'})
    out = same_as_clean(site)
    assert b"2011-02-03T09:30:00+13:00" in out["2011/02/second.html"]


def test_changing_the_markdown_extensions(site: Path) -> None:
    write_files(site, {"pyproject.toml": CONFIG + 'markdown_extensions = ["extra", "smarty"]\n'})
    out = same_as_clean(site)
    assert b"&ldquo;quotes&rdquo;" in out["2011/02/second.html"]
    write_files(site, {"pyproject.toml": CONFIG + "markdown_extensions = []\n"})
    out = same_as_clean(site)
    assert b"<table>" not in out["2011/02/second.html"]


def test_changing_a_markdown_extension_setting(site: Path) -> None:
    settings = 'markdown_extensions = ["extra", "smarty"]\n'
    write_files(site, {"pyproject.toml": CONFIG + settings})
    built(site)
    extra = "[tool.blogsite.markdown_extension_configs.smarty]\nsmart_quotes = false\n"
    write_files(site, {"pyproject.toml": CONFIG + settings + extra})
    out = same_as_clean(site)
    assert b"&ldquo;" not in out["2011/02/second.html"]


EXTENSION = """\
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
{rules}


class Marks(Postprocessor):
    def run(self, text):
        return text.replace("body", WORD)


class Marker(Extension):
    def extendMarkdown(self, md):
        md.postprocessors.register(Marks(md), "marks", 0)


def makeExtension(**kwargs):
    return Marker(**kwargs)
"""


def edit_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    """An edit as `cp -p` or `rsync -t` brings it: only the bytes differ."""
    before = path.stat()
    edit(path, old, new)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


@pytest.mark.parametrize(
    ("files", "edited"),
    [
        ({"marker.py": EXTENSION.format(rules='WORD = "BODY-ONE"')}, "marker.py"),
        (  # a package, edited in a module other than its __init__.py
            {
                "marker/__init__.py": EXTENSION.format(rules="from marker.rules import WORD"),
                "marker/rules.py": 'WORD = "BODY-ONE"\n',
            },
            "marker/rules.py",
        ),
    ],
)
def test_editing_a_local_markdown_extension(site: Path, files: dict[str, str], edited: str) -> None:
    code = site.parent / "code"
    write_files(code, files)
    write_files(site, {"pyproject.toml": CONFIG + 'markdown_extensions = ["extra", "marker"]\n'})
    env = {"PYTHONPATH": os.pathsep.join([str(REPO), str(code)])}

    def build(*args: str) -> dict[str, bytes]:
        result = run_blogsite("build", *args, cwd=site, env=env)
        assert result.returncode == 0, result.stderr
        return tree(Path(args[-1]) if args else site / "_site")

    assert b"first BODY-ONE" in build()["2011/01/first.html"]
    edit_keeping_size_and_mtime(code / edited, "BODY-ONE", "BODY-TWO")
    cached = build()
    assert b"first BODY-TWO" in cached["2011/01/first.html"]
    assert cached == build("--no-cache", "--output", str(site.parent / "clean"))


def test_deleting_a_post(site: Path) -> None:
    (site / "posts/2011-03-01-third.md").unlink()
    out = same_as_clean(site)
    assert "2011/03/third.html" not in out
    assert b"Third" not in out["index.html"]


def test_renaming_a_post(site: Path) -> None:
    os.rename(site / "posts/2011-03-01-third.md", site / "posts/2011-03-01-renamed.md")
    out = same_as_clean(site)
    assert "2011/03/renamed.html" in out and "2011/03/third.html" not in out


def test_changing_bytes_while_turning_the_mtime_back(site: Path) -> None:
    path = site / "posts/2011-01-15-first.md"
    before = path.stat()
    edit(path, "The *first* body.", "The *fresh* body.")  # the same size, too
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns - 10**9))
    assert path.stat().st_size == before.st_size
    out = same_as_clean(site)
    assert b"<em>fresh</em>" in out["2011/01/first.html"]


def changed_at(folder: Path) -> dict[str, int]:
    """Every file's ctime: writing, linking or unlinking it moves it, and nothing sets it."""
    return {str(p.relative_to(folder)): p.stat().st_ctime_ns for p in folder.rglob("*")}


def test_nothing_changed_keeps_the_output_and_a_changed_output_is_rebuilt(site: Path) -> None:
    first, touched = tree(site / "_site"), changed_at(site / "_site")
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 0
    assert result.stderr.startswith("Built 3 posts, ")
    assert tree(site / "_site") == first
    assert changed_at(site / "_site") == touched, "the output folder was written again"
    page = site / "_site/2011/02/second.html"
    page.write_bytes(page.read_bytes().replace(b"Second", b"Tampered"))
    (site / "_site/stray.html").write_text("not ours")
    assert same_as_clean(site) == first


def test_a_future_post_appears_once_its_date_has_come(site: Path) -> None:
    write_files(site, {"posts/2030-01-01-soon.md": post("Soon", "2030-01-01")})
    assert "2030/01/soon.html" not in built(site)
    later = {"SOURCE_DATE_EPOCH": "1900000000"}
    result = run_blogsite("build", cwd=site, env=later)
    assert result.returncode == 0, result.stderr
    assert (site / "_site/2030/01/soon.html").exists()
    # and back again: a clock set earlier holds it back again
    assert "2030/01/soon.html" not in same_as_clean(site)


def test_the_drafts_option_is_part_of_the_key(site: Path) -> None:
    write_files(site, {"posts/2011-04-01-draft.md": post("Draft", "2011-04-01", draft="true")})
    assert "2011/04/draft.html" not in built(site)
    assert "2011/04/draft.html" in built(site, "--drafts")
    assert "2011/04/draft.html" not in same_as_clean(site)


def test_a_damaged_cache_is_ignored(site: Path) -> None:
    edit(site / "posts/2011-02-03-second.md", "Second body", "Edited body")
    for name in os.listdir(site / ".blogsite-cache"):
        path = site / ".blogsite-cache" / name
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x20  # one flipped bit in the middle of each file
        path.write_bytes(bytes(data))
    out = same_as_clean(site)
    assert b"Edited body" in out["2011/02/second.html"]
    (site / ".blogsite-cache/posts.jsonl").write_bytes(b"\x00garbage")
    assert same_as_clean(site) == out


def test_a_damaged_entry_with_a_good_checksum_is_parsed_again(site: Path) -> None:
    path = site / ".blogsite-cache/posts.jsonl"
    *entries, check = path.read_bytes().splitlines(keepends=True)
    body = b"".join(entries).replace(b'"c":', b'"x":', 1)  # one entry no longer decodes
    magic = check.rsplit(b" ", 1)[0]
    path.write_bytes(body + magic + b" " + hashlib.sha256(body).hexdigest().encode() + b"\n")
    edit(site / "posts/2011-01-15-first.md", "first", "initial")  # so the output is rebuilt
    same_as_clean(site)


def test_warnings_of_a_reused_build_are_reported_and_fail_a_strict_build(site: Path) -> None:
    # No stage of the core warns yet, so give the record of the last build a warning.
    (record,) = (site / ".blogsite-cache").glob("output-*.json")
    data = json.loads(record.read_text())
    data["warnings"] = [["a sample warning", "posts/2011-01-15-first.md", 3]]
    record.write_text(json.dumps(data))
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 0
    assert result.stderr.startswith("posts/2011-01-15-first.md:3: a sample warning (warning)\n")
    before = tree(site / "_site")
    result = run_blogsite("build", "--strict", cwd=site)
    assert result.returncode == 1
    assert result.stderr == "posts/2011-01-15-first.md:3: a sample warning\n"
    assert tree(site / "_site") == before


def test_no_cache_writes_no_cache_folder(tmp_path: Path) -> None:
    root = write_files(tmp_path / "s", {"pyproject.toml": CONFIG, "posts/a.md": post()})
    result = run_blogsite("build", "--no-cache", cwd=root)
    assert result.returncode == 0, result.stderr
    assert not (root / ".blogsite-cache").exists()
    assert run_blogsite("build", cwd=root).returncode == 0
    assert (root / ".blogsite-cache/.gitignore").read_text().endswith("*\n")


def test_the_cache_folder_cannot_be_the_output(site: Path) -> None:
    result = run_blogsite("build", "--output", ".blogsite-cache", cwd=site)
    assert result.returncode == 2
    assert "must not overlap" in result.stderr
