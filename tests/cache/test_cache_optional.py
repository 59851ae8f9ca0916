"""The build cache is optional: whatever is wrong with it is a warning, and the build goes on
without it, to the same site."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from tests.conftest import post, run_blogsite, tree, write_files

if sys.platform != "win32":
    import resource

CONFIG = (
    '[tool.blogsite]\ntitle = "Test blog"\nbase_url = "https://example.org/"\n'
    'feed_content = "summary"\nfeed_items = 2\n'
)
CACHE = ".blogsite-cache"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    files: dict[str, str | bytes] = {"pyproject.toml": CONFIG}
    for month in range(1, 13):
        body = f"Words of month {month}. " * 60
        files[f"posts/2011-{month:02d}-03-m{month}.md"] = post(f"Month {month}", body=body)
    return write_files(tmp_path / "site", files)


def reference(site: Path, tmp_path: Path) -> dict[str, bytes]:
    result = run_blogsite("build", "--no-cache", "--output", str(tmp_path / "ref"), cwd=site)
    assert result.returncode == 0, result.stderr
    return tree(tmp_path / "ref")


def test_a_cache_folder_that_is_a_file_is_a_warning(site: Path, tmp_path: Path) -> None:
    (site / CACHE).write_text("not a folder")
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"{CACHE}: cannot write the build cache (it is a file, not a folder); the site was "
        "built without it, and the next build will not be faster (warning)"
    )
    assert "Traceback" not in result.stderr
    assert tree(site / "_site") == reference(site, tmp_path)


def test_a_cache_folder_linked_outside_the_site_is_not_used(site: Path, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (site / CACHE).symlink_to(tmp_path / "elsewhere")
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "it is a symlink, not a folder" in result.stderr
    assert list((tmp_path / "elsewhere").iterdir()) == []


@pytest.mark.parametrize(
    "record",
    [
        "[]",
        "1",
        '{"format": "1"}',
        '{"format": "1", "key": 5}',
        "[" * 100_000,
        "{not json",
    ],
)
def test_an_output_record_that_is_not_the_cache_s_is_ignored(
    site: Path, tmp_path: Path, record: str
) -> None:
    assert run_blogsite("build", cwd=site).returncode == 0
    (records,) = (site / CACHE).glob("output-*.json")
    records.write_text(record)
    write_files(site, {"posts/2011-12-04-new.md": post("New")})
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert tree(site / "_site") == reference(site, tmp_path)


def test_a_record_with_the_right_key_and_wrong_values_is_ignored(
    site: Path, tmp_path: Path
) -> None:
    assert run_blogsite("build", cwd=site).returncode == 0
    (records,) = (site / CACHE).glob("output-*.json")
    data = json.loads(records.read_text())
    data["warnings"] = [[1, 2, "three"]]
    data["state"] = [["index.html", "mode"]]
    records.write_text(json.dumps(data))
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "ignored a damaged build cache file" in result.stderr
    assert tree(site / "_site") == reference(site, tmp_path)


def test_post_entries_that_are_not_what_parsing_makes_are_parsed_again(
    site: Path, tmp_path: Path
) -> None:
    """Valid JSON, with a valid checksum, decoding to a post with the wrong types."""
    assert run_blogsite("build", cwd=site).returncode == 0
    path = site / CACHE / "posts.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)[:-1]
    lines = [line.replace(b'"title":"Month', b'"title":{"l":["Month') for line in lines]
    lines = [line.replace(b'","author"', b'"]},"author"', 1) for line in lines]
    magic = b"blogsite-posts 1 " + hashlib.sha256(b"".join(lines)).hexdigest().encode() + b"\n"
    path.write_bytes(b"".join(lines) + magic)
    (site / "_site").joinpath("index.html").write_text("changed")  # so the output is rebuilt
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert tree(site / "_site") == reference(site, tmp_path)


def _small_files() -> None:
    """In the child: no file may grow past 24 kB: the pages fit, the cache's posts do not."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (24_000, 24_000))


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="resource.setrlimit caps a child's memory, time and file size on POSIX only",
)
def test_a_full_disk_while_writing_the_cache_is_a_warning(site: Path, tmp_path: Path) -> None:
    # Without the search index: Pagefind's own script and WebAssembly are larger than the
    # pages, which are what the limit lets through.
    (site / "pyproject.toml").write_text(CONFIG + "search = false\n")
    result = run_blogsite("build", "--strict", cwd=site, preexec_fn=_small_files)
    assert result.returncode == 0, result.stderr
    assert f"{CACHE}: cannot write the build cache (File too large)" in result.stderr
    assert tree(site / "_site") == reference(site, tmp_path)
