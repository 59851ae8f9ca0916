"""Hostile input is bounded in the work it causes: the real command, run with a cap on its
memory and CPU time (resource.setrlimit in the child), reports the problem within them.

Without the bounds, the billion-laughs post took gigabytes and minutes: the caps would kill
the build (a signal, or MemoryError's traceback) instead of letting it print its message.
"""

from __future__ import annotations

import sys
from pathlib import Path

import markdown
import pytest

from tests.conftest import post, run_blogsite, tree, write_files
from tests.invalid.test_bad_input import GOOD, LAUGHS

if sys.platform != "win32":
    import resource

pytestmark = pytest.mark.skipif(
    sys.platform == "win32",
    reason="resource.setrlimit caps a child's memory, time and file size on POSIX only",
)

MEMORY = 2 * 1024**3  # bytes of address space: a build of a small site needs a fraction
CPU_SECONDS = 60  # the machine may be busy; the bounded work is a fraction of a second


def capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


# Front matter that stands for far more than it is; each with the line its message names.
HOSTILE = {
    "nine levels of nine aliases": (LAUGHS, 9),
    "aliases of a long text": (
        post("A", big=f"&big {'x' * 100_000}", more="[" + ", ".join(["*big"] * 200) + "]"),
        5,
    ),
    "a million levels of nesting": (post("A", deep="[" * 1_000_000 + "]" * 1_000_000), 4),
    "merge keys of merge keys": (
        "---\ntitle: A\ndate: 2011-02-03\na: &a {x: 1, y: 2, z: 3}\n"
        + "".join(
            f"m{i}: &m{i} {{<<: [*{'a' if i == 0 else f'm{i - 1}'}], k{i}: 1}}\n" for i in range(60)
        )
        + "n: ["
        + ", ".join(["*m59"] * 900)
        + "]\n---\n\nBody.\n",
        65,
    ),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_front_matter_is_reported_within_memory_and_time_caps(
    tmp_path: Path, case: str
) -> None:
    site = write_files(tmp_path / "site", GOOD)
    assert run_blogsite("build", cwd=site, preexec_fn=capped).returncode == 0
    before = tree(site / "_site")
    text, line = HOSTILE[case]
    write_files(site, {"posts/bad.md": text})
    for _ in range(2):  # the second time with the cache in place
        result = run_blogsite("build", cwd=site, preexec_fn=capped, timeout=300)
        assert result.returncode == 1, result.stderr[-2000:]
        assert result.stderr.startswith(f"posts/bad.md:{line}: front matter "), result.stderr
        assert tree(site / "_site") == before
    cache = site / ".blogsite-cache"
    assert sum(p.stat().st_size for p in cache.rglob("*") if p.is_file()) < 1_000_000


def test_a_deeply_nested_list_builds_within_the_caps(tmp_path: Path) -> None:
    body = "".join("    " * i + "- item\n" for i in range(700))
    site = write_files(tmp_path / "site", {**GOOD, "posts/2011-02-04-deep.md": post(body=body)})
    result = run_blogsite("build", cwd=site, preexec_fn=capped, timeout=300)
    if markdown.__version_info__ < (3, 11, 4):  # it recursed once a level: an error, no traceback
        assert result.returncode == 1
        assert "posts/2011-02-04-deep.md:5: lists or quotes nested too deeply" in result.stderr
        assert "Traceback" not in result.stderr
        return
    assert result.returncode == 0, result.stderr[-2000:]
    # Python-Markdown itself stops nesting lists somewhere past 200 levels.
    assert (site / "_site/2011/02/deep.html").read_text().count("<li>item") > 200
