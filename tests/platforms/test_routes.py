"""Windows' and macOS's ways of locking, swapping and starting workers give the same site,
byte for byte, as Linux's: taken here by making the Linux-only calls unavailable."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.synthetic import make_site
from blogsite.workers import MIN_PAGES, MIN_POSTS
from tests.conftest import FIXED_ENV, REPO, post, run_blogsite, tree, write_files
from tests.platforms.conftest import SYSTEMS, as_on
from tests.server.conftest import Server

GOLDEN = REPO / "tests" / "golden"


@pytest.mark.parametrize("system", SYSTEMS)
def test_the_simulated_system_has_its_routes_and_lacks_linux_calls(
    system: str, tmp_path: Path
) -> None:
    """Guards the tests below: without this, a broken simulation would pass them all."""
    script = (
        "import sys, blogsite.cli, blogsite.serve.server, blogsite.serve.watch\n"
        "from blogsite import system\n"
        "print(system.ROUTES == system.routes_for(sys.argv[1]), system.ROUTES.start_method)\n"
        "try:\n    import fcntl\nexcept ImportError:\n    print('no fcntl')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, system],
        env={**os.environ, **as_on(system)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "True spawn"
    assert ("no fcntl" in lines) == (system == "win32")


def sample_blog(folder: Path) -> Path:
    """A copy of the sample blog at the repository's root, with its build.py."""
    folder.mkdir()
    for name in ("posts", "static", "templates"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, folder / name)
    for name in ("pyproject.toml", "build.py"):
        shutil.copy2(REPO / name, folder / name)
    return folder


def build_py(site: Path, system: str | None) -> dict[str, bytes]:
    """`python build.py`, as the README says to build the sample blog; the site it built."""
    result = subprocess.run(
        [sys.executable, "build.py", "-q"],
        cwd=site,
        env={**os.environ, **FIXED_ENV, **as_on(system)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return tree(site / "_site")


@pytest.mark.parametrize("system", SYSTEMS)
def test_the_sample_blog_builds_to_the_same_bytes(system: str, tmp_path: Path) -> None:
    native = sample_blog(tmp_path / "native")
    other = sample_blog(tmp_path / system)
    assert build_py(other, system) == build_py(native, None)
    # A second build replaces the site: the swap without renameat2, and its locks.
    for site in (native, other):
        write_files(site, {"posts/2011-03-04-another.md": post("Another", "2011-03-04")})
    again = build_py(other, system)
    assert again == build_py(native, None)
    assert b"Another" in again["index.html"]
    assert sorted(p.name for p in other.iterdir() if p.name.startswith("._site")) == []


@pytest.mark.parametrize("system", SYSTEMS)
@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN.iterdir() if (p / "site").is_dir()))
def test_golden_sites_build_to_their_expected_bytes(system: str, name: str, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(GOLDEN / name / "site", site)
    result = run_blogsite("build", "-q", cwd=site, env=as_on(system))
    assert result.returncode == 0, result.stderr
    assert tree(site / "_site") == tree(GOLDEN / name / "expected")


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_site(tmp_path_factory.mktemp("big") / "site", MIN_POSTS + MIN_PAGES)


@pytest.fixture(scope="module")
def in_one_process(big: Path) -> tuple[str, dict[str, bytes]]:
    """The big site built by Linux's route in one process: its summary line and files."""
    out = big.parent / "one"
    result = run_blogsite("build", "--no-cache", "-j", "1", "--output", str(out), cwd=big)
    assert result.returncode == 0, result.stderr
    return result.stderr.split(" into ")[0], tree(out)


@pytest.mark.parametrize("system", SYSTEMS)
def test_spawned_workers_build_a_big_site_to_the_same_bytes(
    system: str, big: Path, in_one_process: tuple[str, dict[str, bytes]], tmp_path: Path
) -> None:
    log = tmp_path / "processes"
    env = as_on(system, BLOGSITE_PROCESS_LOG=str(log))
    two = run_blogsite(
        "build", "--no-cache", "-j", "2", "--output", str(tmp_path / "two"), cwd=big, env=env
    )
    assert two.returncode == 0, two.stderr
    assert log.read_text().splitlines().count("worker") == 4  # two to parse, two to render
    assert (two.stderr.split(" into ")[0], tree(tmp_path / "two")) == in_one_process


def test_errors_from_spawned_workers_are_those_of_one_process(big: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(big, site)
    names = sorted(p.name for p in (site / "posts").iterdir())
    write_files(
        site,
        {
            f"posts/{names[3]}": post("Bad date", date="2011-13-45"),
            f"posts/{names[-1]}": "---\ntitle: [unclosed\n---\nbody\n",
        },
    )
    one = run_blogsite("build", "--no-cache", "-j", "1", cwd=site)
    two = run_blogsite("build", "--no-cache", "-j", "2", cwd=site, env=as_on("win32"))
    assert one.returncode == two.returncode == 1
    assert two.stderr == one.stderr
    assert f"posts/{names[3]}:3: invalid date '2011-13-45'" in two.stderr
    (site / "posts" / names[3]).unlink()
    (site / "posts" / names[-1]).unlink()
    write_files(site, {"templates/post.html": "line one\n{{ post.no_such_field }}\n"})
    one = run_blogsite("build", "--no-cache", "-j", "1", cwd=site)
    two = run_blogsite("build", "--no-cache", "-j", "2", cwd=site, env=as_on("win32"))
    assert one.returncode == two.returncode == 1
    assert two.stderr == one.stderr
    assert "templates/post.html:2: undefined variable" in two.stderr


@pytest.mark.parametrize("poll", [False, True], ids=["events", "poll"])
def test_serve_serves_the_sample_blog_and_follows_a_save(poll: bool, tmp_path: Path) -> None:
    native = sample_blog(tmp_path / "native")
    other = sample_blog(tmp_path / "win32")
    flags = ["--poll"] if poll else []
    servers = [Server(native, *flags), Server(other, *flags, env=as_on("win32"))]
    try:
        pages = [server.get("/") for server in servers]
        assert pages[0].status == pages[1].status == 200
        assert pages[1].body == pages[0].body.replace(
            servers[0].url.encode(), servers[1].url.encode()
        )
        post_file = next((other / "posts").iterdir())
        text = post_file.read_text(encoding="utf-8")
        post_file.write_text(text.replace("title:", "title: Saved", 1), encoding="utf-8")
        servers[1].wait_for_page("/", lambda r: b"Saved" in r.body, "the page to change")
    finally:
        for server in servers:
            server.stop()
