"""Whole-site golden files: build each fixture and compare every output file byte for byte.

After an intended change, regenerate with `python -m pytest tests/golden --regen-golden`
and review the diff of tests/golden/*/expected before committing it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import run_blogsite, tree

HERE = Path(__file__).parent
FIXTURES = sorted(p.name for p in HERE.iterdir() if (p / "site").is_dir())


@pytest.mark.parametrize("name", FIXTURES)
def test_built_site_matches_the_golden_files(
    name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    site = tmp_path / "site"
    shutil.copytree(HERE / name / "site", site)
    result = run_blogsite("build", "-q", cwd=site)
    assert result.returncode == 0, result.stderr
    built = tree(site / "_site")
    expected_dir = HERE / name / "expected"
    if request.config.getoption("--regen-golden"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(site / "_site", expected_dir)
    expected = tree(expected_dir)
    assert sorted(built) == sorted(expected), "the set of output files changed"
    for path, data in expected.items():
        assert built[path] == data, f"{path} differs from tests/golden/{name}/expected/{path}"


def test_a_site_base_html_that_includes_the_feed_links_still_builds_the_same(
    tmp_path: Path,
) -> None:
    """Before the theme rendered its feed links and subscribe line once per site, base.html
    included them; a site's own base.html copied then still works, to the same bytes."""
    site = tmp_path / "site"
    shutil.copytree(HERE / "basic" / "site", site)
    theme_base = (HERE.parents[1] / "blogsite/theme/templates/base.html").read_text()
    own = theme_base.replace(
        "{{ feed_links(label if label is defined else none) -}}", '{% include "feed_links.html" %}'
    ).replace("{{ subscribe() -}}", '{% include "subscribe.html" %}')
    assert own.count("{% include") == 2
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates" / "base.html").write_text(own)
    result = run_blogsite("build", "-q", cwd=site)
    assert result.returncode == 0, result.stderr
    assert tree(site / "_site") == tree(HERE / "basic" / "expected")
