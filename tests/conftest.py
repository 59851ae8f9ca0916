"""Shared fixtures: small sites on disk and the real command in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parent.parent
# A fixed clock and zone, so nothing a test checks depends on when or where it runs.
FIXED_ENV = {"TZ": "UTC", "SOURCE_DATE_EPOCH": "1700000000", "LC_ALL": "C.UTF-8"}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="rewrite tests/golden/*/expected from the current build; review the diff",
    )


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in FIXED_ENV.items():
        monkeypatch.setenv(key, value)


def write_files(root: Path, files: Mapping[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return root


@pytest.fixture
def write_tree(tmp_path: Path) -> Callable[[Mapping[str, str | bytes]], Path]:
    """write_tree({"posts/a.md": "..."}) makes a site in a fresh folder and returns it."""
    return lambda files: write_files(tmp_path / "site", files)


def post(
    title: str = "A post", date: str = "2011-02-03", body: str = "Some words.", **fields: str
) -> str:
    """The text of a post file with the given front matter."""
    extra = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return f"---\ntitle: {title}\ndate: {date}\n{extra}---\n\n{body}\n"


def run_blogsite(
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 60,
    prefix: Sequence[str] = (),
    preexec_fn: Callable[[], object] | None = None,
) -> subprocess.CompletedProcess[str]:
    """The real command, as a user runs it, from this checkout; prefix: a command to run it
    under, such as setpriv; preexec_fn: run in the child first (resource.setrlimit)."""
    full_env = {**os.environ, **FIXED_ENV, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "blogsite", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=preexec_fn,
    )


def as_a_user(scratch: Path) -> list[str]:
    """A command prefix under which a file without permissions cannot be read, even when the
    tests run as root (who reads anything): setpriv drops the capabilities that let root ignore
    permissions. Skips the test where that cannot be done; scratch: a folder to probe in."""
    prefix = []
    if sys.platform == "linux" and os.geteuid() == 0 and shutil.which("setpriv"):
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    locked = scratch / "locked-probe"
    locked.write_bytes(b"")
    locked.chmod(0)
    try:
        probe = subprocess.run(
            [*prefix, sys.executable, "-c", f"open({str(locked)!r}).close()"], capture_output=True
        )
    finally:
        locked.unlink()
    if probe.returncode == 0:
        pytest.skip("cannot make a file unreadable here")
    return prefix


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder, by posix path, for whole-site comparisons."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


CHROMIUM = "/usr/bin/chromium"  # Debian's; Playwright's own browser download is not used
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """The session's one Chromium: a second sync_playwright() in the same process fails while
    the first is open, so every browser test shares this one."""
    from playwright.sync_api import sync_playwright

    if sys.platform != "linux" and not Path(CHROMIUM).exists():
        pytest.skip(
            f"Debian's Chromium ({CHROMIUM}) is on the Linux runner only, and Playwright's own "
            "browser download is not used"
        )

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
