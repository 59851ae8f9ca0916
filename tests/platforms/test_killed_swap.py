"""A build killed at any point while it replaces the site leaves the old site or the new one,
or, where the OS cannot swap two folders in one step, the old one moved aside, which the next
build puts back: never no site, on each system's route."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import post, run_blogsite, tree, write_files
from tests.platforms.conftest import SYSTEMS, as_on

CONFIG = '[tool.blogsite]\ntitle = "Test blog"\nbase_url = "https://example.org/"\n'
# None: this system's own (Linux: renameat2's exchange); darwin: two renames, folders locked
# with flock; win32: two renames, lock files beside the folders.
ROUTES = [None, *SYSTEMS]


def beside(site: Path) -> list[Path]:
    return sorted(p for p in site.iterdir() if p.name.startswith("._site"))


def outcome(site: Path, old: dict[str, bytes], new: dict[str, bytes]) -> str:
    """What a killed build left: "old", "new", or "aside" (no site; the old one, whole, in
    one locked folder beside it). Fails on anything else."""
    if (site / "_site").exists():
        found = tree(site / "_site")
        assert found in (old, new), "the site is neither the old one nor the new one"
        return "old" if found == old else "new"
    aside = [p / "site" for p in beside(site) if (p / "site").is_dir()]
    assert len(aside) == 1, f"no site, and no old site beside it: {beside(site)}"
    assert tree(aside[0]) == old
    return "aside"


def killed_build(site: Path, system: str | None, point: int, log: Path) -> bool:
    """Run a build that is killed at the given point; False if it ended before that point."""
    env = as_on(system, BLOGSITE_KILL_AT=str(point), BLOGSITE_KILL_LOG=str(log))
    result = run_blogsite("build", cwd=site, env=env)
    if log.exists():
        log.unlink()
        return True
    assert result.returncode == 0, result.stderr
    return False


@pytest.mark.parametrize("system", ROUTES, ids=lambda system: system or "native")
def test_a_build_killed_at_any_point_of_the_swap_loses_no_site(
    system: str | None, tmp_path: Path
) -> None:
    start = write_files(tmp_path / "start", {"pyproject.toml": CONFIG, "posts/a.md": post("Old")})
    assert run_blogsite("build", cwd=start, env=as_on(system)).returncode == 0
    old = tree(start / "_site")
    write_files(start, {"posts/a.md": post("New")})
    reference = tmp_path / "reference"
    shutil.copytree(start, reference)
    assert run_blogsite("build", cwd=reference, env=as_on(system)).returncode == 0
    new = tree(reference / "_site")
    log = tmp_path / "killed"

    seen = []
    point = 0
    while True:
        site = tmp_path / f"killed-at-{point}"
        shutil.copytree(start, site)
        if not killed_build(site, system, point, log):
            break  # past the last point: the build ran to its end
        seen.append(outcome(site, old, new))
        if seen[-1] == "aside":
            # The next build puts the old site back first; killed as it does, too.
            again = 0
            while killed_build(site, system, again, log):
                assert outcome(site, old, new) in ("aside", "old", "new")
                again += 1
        else:
            assert run_blogsite("build", cwd=site, env=as_on(system)).returncode == 0
        assert tree(site / "_site") == new
        assert beside(site) == [], "what the killed build left is cleared"
        point += 1
    # Before and after each step. Linux exchanges the folders in one step, then removes the
    # old site; elsewhere the old site is moved aside, the new one in, and the old removed.
    if system is None and sys.platform == "linux":
        assert seen == ["new", "new"]
    else:
        assert seen == ["old", "aside", "aside", "new", "new", "new"]


@pytest.mark.parametrize("step", [0, 2], ids=["moving-the-old-site-aside", "moving-the-new-in"])
def test_a_swap_step_that_fails_leaves_the_old_site_and_says_why(step: int, tmp_path: Path) -> None:
    """On Windows a folder cannot be renamed while a program has a file in it open."""
    site = write_files(tmp_path / "site", {"pyproject.toml": CONFIG, "posts/a.md": post("Old")})
    assert run_blogsite("build", cwd=site).returncode == 0
    old = tree(site / "_site")
    write_files(site, {"posts/a.md": post("New")})
    result = run_blogsite("build", cwd=site, env=as_on("win32", BLOGSITE_FAIL_AT=str(step)))
    assert result.returncode == 1
    assert result.stderr == (
        "_site: cannot replace the output folder: Permission denied; it was left as it was\n"
    )
    assert tree(site / "_site") == old
    assert beside(site) == []
