"""A changed setting never reuses stale output: for every setting, a cached build after the
change makes the same bytes as a --no-cache build, through the real command."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cache.settings import CHANGES, NOT_SHOWN, pyproject, setting_names, site_files
from tests.conftest import run_blogsite, tree, write_files


def build(root: Path, *args: str) -> None:
    result = run_blogsite("build", *args, cwd=root)
    assert result.returncode == 0, result.stderr


class TestEverySetting:
    def test_every_setting_has_a_change(self) -> None:
        assert sorted(CHANGES) == sorted(setting_names())

    @pytest.mark.parametrize("name", setting_names())
    def test_a_cached_build_after_the_change_is_a_clean_build(
        self, tmp_path: Path, name: str
    ) -> None:
        root = write_files(tmp_path / "site", site_files())
        build(root)
        before = tree(root / "_site")
        assert (root / ".blogsite-cache").is_dir()

        write_files(root, {"pyproject.toml": pyproject(**{name: CHANGES[name]})})
        build(root)
        output = root / ("public" if name == "output_dir" else "_site")
        cached = tree(output)
        build(root, "--no-cache", "--output", str(tmp_path / "clean"))
        clean = tree(tmp_path / "clean")

        assert cached == clean
        if name not in NOT_SHOWN:  # output_dir: the same site, only somewhere else
            assert clean != before, f"changing {name} changed nothing; pick another value"
