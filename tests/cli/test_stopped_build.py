"""A build stopped from outside: nothing keeps running, and what it left is cleared later."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from benchmarks.synthetic import make_site
from blogsite.workers import MIN_PAGES, MIN_POSTS
from tests.conftest import FIXED_ENV, REPO, post, run_blogsite, tree, write_files

POSTS = MIN_POSTS + MIN_PAGES  # enough for the process pool, and a render that takes a while

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="reads processes from /proc")


def start_build(site: Path, log: Path) -> subprocess.Popen[bytes]:
    """The real command; its messages go to a file, which workers left running cannot hold
    open as they would a pipe."""
    env = {**os.environ, **FIXED_ENV, "PYTHONPATH": str(REPO)}
    with log.open("wb") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "blogsite", "build", "--no-cache", "-j", "2"],
            cwd=site,
            env=env,
            stderr=stderr,
        )


def _stat(pid: int | str) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name: state, parent, ...; None if gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rpartition(")")[2].split()


def alive(pids: Iterable[int]) -> set[int]:
    """The pids still running; a zombie has ended (nobody may be there to reap it)."""
    return {pid for pid in pids if (fields := _stat(pid)) is not None and fields[0] != "Z"}


def children(pid: int) -> set[int]:
    found = set()
    for entry in os.scandir("/proc"):
        fields = _stat(entry.name) if entry.name.isdigit() else None
        if fields is not None and fields[1] == str(pid):
            found.add(int(entry.name))
    return alive(found)


def rendering(build: subprocess.Popen[bytes], site: Path) -> Path:
    """Wait until the build renders in its two workers; its staging folder."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert build.poll() is None, "the build ended before it rendered"
        staging = list(site.glob("._site.new-*"))
        if staging and len(children(build.pid)) == 2:  # both workers, as -j 2 asks
            return staging[0]
        time.sleep(0.005)
    raise AssertionError("the build did not start rendering in a minute")


@contextlib.contextmanager
def workers_gone_in(seconds: float, build: subprocess.Popen[bytes]) -> Iterator[None]:
    """Assert that the build's workers end within seconds of the block; then kill whatever
    of the build is left, so a failure leaves nothing running."""
    workers = children(build.pid)
    try:
        yield
        deadline = time.monotonic() + seconds
        while alive(workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(workers), "workers outlived the build"
    finally:
        build.kill()
        build.wait()
        for pid in alive(workers):
            os.kill(pid, signal.SIGKILL)


@linux_only
def test_the_workers_of_a_killed_build_die_with_it(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", POSTS)
    build = start_build(site, tmp_path / "log")
    rendering(build, site)
    with workers_gone_in(10, build):  # not minutes later, writing to a pipe nobody reads
        build.kill()
        build.wait()
    assert len(beside(site)) == 1  # its staging folder, removed by the next build:
    assert run_blogsite("build", "--no-cache", cwd=site).returncode == 0
    assert beside(site) == []


@linux_only
def test_sigterm_stops_a_build_as_ctrl_c_does(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", POSTS)
    assert run_blogsite("build", "--no-cache", cwd=site).returncode == 0
    before = tree(site / "_site")
    build = start_build(site, tmp_path / "log")
    staging = rendering(build, site)
    with workers_gone_in(0, build):  # the build waited for them
        build.terminate()
        build.wait(timeout=60)
    stderr = (tmp_path / "log").read_text()
    assert build.returncode == 128 + signal.SIGTERM, stderr
    assert stderr == "blogsite: interrupted; the output folder was left as it was\n"
    assert not staging.exists()
    assert tree(site / "_site") == before


CONFIG = '[tool.blogsite]\ntitle = "Test blog"\nbase_url = "https://example.org/"\n'


def beside(site: Path) -> list[str]:
    return sorted(p.name for p in site.iterdir() if p.name.startswith("._site"))


def test_a_build_removes_what_killed_builds_left_beside_the_output(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", {"pyproject.toml": CONFIG, "posts/a.md": post()})
    assert run_blogsite("build", cwd=site).returncode == 0
    write_files(
        site,
        {
            "._site.new-abc/index.html": "half a site",
            "._site.new-abc/2011/02/a.html": "x",
            "._site.old-def/site/index.html": "an old site",
            "._other.new-ghi/index.html": "another output folder's: not ours to remove",
        },
    )
    result = run_blogsite("build", cwd=site)  # nothing changed: the site itself is kept
    assert result.returncode == 0, result.stderr
    assert beside(site) == []
    assert (site / "._other.new-ghi/index.html").exists()
    assert "A post" in (site / "_site/index.html").read_text()


def test_a_staging_folder_a_running_build_holds_is_left_alone(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", {"pyproject.toml": CONFIG, "posts/a.md": post()})
    staging = write_files(site / "._site.new-live", {"index.html": "being written"})
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from blogsite.output.locking import hold_left; "
            "held = hold_left(sys.argv[1]); assert held; print('locked', flush=True); "
            "sys.stdin.read()",
            str(staging),
        ],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        result = run_blogsite("build", cwd=site)
        assert result.returncode == 0, result.stderr
        assert (staging / "index.html").read_text() == "being written"
    finally:
        holder.communicate("")
    assert run_blogsite("build", cwd=site).returncode == 0  # released: now it is stale
    assert beside(site) == []
