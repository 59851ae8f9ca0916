"""Nothing read from outside the site, nothing replaced that blogsite did not make, and a write
that fails names the folder and keeps the old site."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import as_a_user, post, run_blogsite, tree, write_files
from tests.invalid.test_bad_input import CONFIG, GOOD

if sys.platform != "win32":
    import resource

SECRET = "top secret: not part of the site"


@pytest.fixture
def built_site(tmp_path: Path) -> Path:
    site = write_files(tmp_path / "site", GOOD)
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 0, result.stderr
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/secret.html").write_text(SECRET)
    (tmp_path / "elsewhere/a.md").write_text(post("Elsewhere", body=SECRET))
    return site


def test_a_template_linked_outside_the_site_is_not_read(built_site: Path, tmp_path: Path) -> None:
    (built_site / "templates").mkdir()
    (built_site / "templates/post.html").symlink_to(tmp_path / "elsewhere/secret.html")
    (built_site / "templates/more").symlink_to(tmp_path / "elsewhere")
    result = run_blogsite("build", cwd=built_site)
    assert result.returncode == 0, result.stderr
    built = tree(built_site / "_site")
    assert not [name for name, data in built.items() if SECRET.encode() in data]
    assert b"Fine words." in built["2011/02/good.html"]  # the theme's post.html instead


@pytest.mark.parametrize("folder", ["posts", "static", "templates"])
def test_an_input_folder_linked_outside_the_site_is_an_error(
    built_site: Path, tmp_path: Path, folder: str
) -> None:
    before = tree(built_site / "_site")
    if (built_site / folder).exists():
        (built_site / folder).rename(tmp_path / "moved")
    (built_site / folder).symlink_to(tmp_path / "elsewhere")
    result = run_blogsite("build", cwd=built_site)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{folder}: links to {(tmp_path / 'elsewhere').resolve()}, outside the site folder; "
        "an input folder must be in the site folder (move or copy it in)"
    ]
    assert tree(built_site / "_site") == before


def test_a_folder_blogsite_did_not_make_is_never_replaced(built_site: Path, tmp_path: Path) -> None:
    www = write_files(tmp_path / "www", {"index.html": "<p>mine</p>", "photos/a.jpg": b"\xff"})
    result = run_blogsite("build", "--output", str(www), cwd=built_site)
    assert result.returncode == 2
    assert result.stderr == (
        f"refusing to replace {www}: it does not look like a built site (it has no "
        ".blogsite-output file), and a build replaces the whole folder; if an older blogsite "
        "built it, delete it and build again, else choose another --output\n"
    )
    assert tree(www) == {"index.html": b"<p>mine</p>", "photos/a.jpg": b"\xff"}


def test_a_site_an_older_blogsite_built_is_replaced_by_the_cache_s_record(
    built_site: Path,
) -> None:
    """Before the marker, the cache's record of the output folder is how blogsite knows it."""
    (built_site / "_site/.blogsite-output").unlink()  # as an older version left it
    write_files(built_site, {"posts/2011-02-04-more.md": post("More")})
    result = run_blogsite("build", cwd=built_site)
    assert result.returncode == 0, result.stderr
    assert (built_site / "_site/2011/02/more.html").exists()
    assert (built_site / "_site/.blogsite-output").exists()


def test_without_the_record_an_older_site_is_a_usage_error_that_says_what_to_do(
    built_site: Path,
) -> None:
    (built_site / "_site/.blogsite-output").unlink()
    (built_site / "_site/notes.txt").write_text("not the build's")  # the record no longer fits
    before = tree(built_site / "_site")
    result = run_blogsite("build", cwd=built_site)
    assert result.returncode == 2
    assert "if an older blogsite built it, delete it and build again" in result.stderr
    assert tree(built_site / "_site") == before
    result = run_blogsite("build", "--no-cache", cwd=built_site)  # the same without the cache
    assert result.returncode == 2


def test_an_unwritable_site_folder_is_named_and_the_old_site_kept(
    built_site: Path, tmp_path: Path
) -> None:
    prefix = as_a_user(tmp_path)
    write_files(built_site, {"posts/2011-02-04-more.md": post("More")})
    before = tree(built_site / "_site")
    built_site.chmod(0o555)
    try:
        result = run_blogsite("build", "--no-cache", cwd=built_site, prefix=prefix)
    finally:
        built_site.chmod(0o755)
    assert result.returncode == 1
    assert result.stderr == "_site: cannot write the new site: Permission denied\n"
    assert tree(built_site / "_site") == before


def _small_files() -> None:
    """In the child: no file may grow past 4 kB, as on a disk that is full."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="resource.setrlimit caps a child's memory, time and file size on POSIX only",
)
def test_a_full_disk_while_writing_is_named_and_the_old_site_kept(built_site: Path) -> None:
    write_files(built_site, {"posts/2011-02-04-more.md": post("More", body="words " * 2000)})
    before = tree(built_site / "_site")
    result = run_blogsite("build", "--no-cache", cwd=built_site, preexec_fn=_small_files)
    assert result.returncode == 1
    assert result.stderr == "_site: cannot write the new site: File too large\n"
    assert tree(built_site / "_site") == before
    assert [p.name for p in built_site.iterdir() if p.name.startswith("._site")] == []


def test_an_output_path_too_long_is_no_traceback(tmp_path: Path) -> None:
    site = write_files(
        tmp_path / "site",
        {
            "pyproject.toml": CONFIG + 'permalink = "/{year}/' + "x" * 300 + '/{slug}.html"\n',
            "posts/a.md": post(),
        },
    )
    result = run_blogsite("build", cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("_site: cannot write 2011/")
    assert result.stderr.endswith(".html: its name is too long\n")
