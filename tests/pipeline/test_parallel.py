"""Big builds parse and render on every core; the result is the same as in one process."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.synthetic import make_site
from blogsite.workers import MIN_PAGES, MIN_POSTS
from tests.conftest import post, run_blogsite, tree, write_files

POSTS = MIN_POSTS + 60  # enough for the process pool; pages are more than MIN_PAGES too


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = make_site(tmp_path_factory.mktemp("big") / "site", POSTS)
    # Front matter the cache's JSON cannot carry: this post comes back from a worker pickled.
    write_files(site, {"posts/2011-02-03-odd.md": post("Odd", "2011-02-03", rating=".nan")})
    return site


def build(site: Path, *args: str) -> tuple[str, dict[str, bytes]]:
    out = site.parent / f"out-{'-'.join(a.strip('-') for a in args)}"
    result = run_blogsite("build", "--output", str(out), *args, cwd=site)
    assert result.returncode == 0, result.stderr
    return result.stderr, tree(out)


def test_many_processes_make_the_same_bytes_as_one(big: Path) -> None:
    serial_log, serial = build(big, "--no-cache", "-j", "1")
    parallel_log, parallel = build(big, "--no-cache", "-j", "2")
    assert len(serial) > MIN_PAGES
    assert parallel == serial
    # the same counts in the summary line (the time differs)
    assert parallel_log.split(" into ")[0] == serial_log.split(" into ")[0]
    # posts parsed by the pool and then cached give the same site, cold and warm
    assert build(big, "-j", "2")[1] == serial
    assert build(big, "-j", "2")[1] == serial


def test_every_error_is_reported_from_the_pool_as_from_one_process(
    big: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    make_site(site, POSTS)
    names = sorted(p.name for p in (site / "posts").iterdir())
    write_files(
        site / "posts",
        {
            names[3]: post("Bad date", date="2011-13-45"),
            names[150]: "---\ntitle: [unclosed\n---\nbody\n",
            names[-2]: post("No body", body=""),
            names[-1]: b"---\ntitle: x\ndate: 2011-01-01\n---\n\xff\n",
        },
    )
    one = run_blogsite("build", "--no-cache", "-j", "1", cwd=site)
    two = run_blogsite("build", "-j", "2", cwd=site)
    assert one.returncode == two.returncode == 1
    assert two.stderr == one.stderr
    lines = one.stderr.splitlines()
    assert lines[-1] == "blogsite: 4 errors"
    assert f"posts/{names[3]}:3: invalid date '2011-13-45'" in one.stderr
    assert f"posts/{names[150]}:2: invalid YAML in front matter" in one.stderr
    assert f"posts/{names[-2]}:5: the post has no body" in one.stderr
    assert f"posts/{names[-1]}:5: not valid UTF-8" in one.stderr
    assert not (site / "_site").exists()


def test_a_template_error_from_the_pool_names_the_template_and_line(big: Path) -> None:
    site = big.parent / "tpl"
    make_site(site, POSTS)
    write_files(site, {"templates/post.html": "line one\n{{ post.no_such_field }}\n"})
    one = run_blogsite("build", "--no-cache", "-j", "1", cwd=site)
    two = run_blogsite("build", "-j", "2", cwd=site)
    assert one.returncode == two.returncode == 1
    assert two.stderr == one.stderr
    assert "templates/post.html:2: undefined variable" in one.stderr


def test_jobs_must_be_a_positive_number(big: Path) -> None:
    result = run_blogsite("build", "-j", "0", cwd=big)
    assert result.returncode == 2
    assert "at least 1" in result.stderr


def test_templates_compiled_ahead_still_report_their_own_errors(big: Path) -> None:
    """A build compiles every template while its workers parse. One that does not compile
    is still reported, with its line, by the pages that use it; one that no page uses does
    not stop the build, as before."""
    site = big.parent / "syntax"
    make_site(site, POSTS)
    write_files(
        site, {"templates/unused.html": "{% if %}\n", "templates/post.html": "a\n{% if %}\n"}
    )
    broken = run_blogsite("build", "-j", "2", cwd=site)
    assert broken.returncode == 1
    assert "templates/post.html:2: template syntax error" in broken.stderr
    assert "unused.html" not in broken.stderr
    (site / "templates" / "post.html").unlink()
    fixed = run_blogsite("build", "-j", "2", cwd=site)
    assert fixed.returncode == 0, fixed.stderr
    assert (site / "_site" / "index.html").exists()
