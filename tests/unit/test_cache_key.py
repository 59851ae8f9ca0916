"""The cache's keys: every setting is in the environment key, and the input key tells apart
every input a build reads."""

from __future__ import annotations

import hashlib
import importlib
import sys
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from blogsite.config import SiteConfig, load_config
from blogsite.output import cache
from blogsite.output.cache import (
    digest_of,
    environment_key,
    inputs_key,
    installed_versions,
    window,
)
from tests.cache.settings import CHANGES, pyproject, setting_names
from tests.conftest import write_files


class TestEnvironmentKey:
    def test_every_setting_has_a_change(self) -> None:
        assert sorted(CHANGES) == sorted(setting_names())

    @pytest.mark.parametrize("name", setting_names())
    def test_changing_a_setting_changes_the_key(self, tmp_path: Path, name: str) -> None:
        base = load_config(write_files(tmp_path / "base", {"pyproject.toml": pyproject()}))
        files = {"pyproject.toml": pyproject(**{name: CHANGES[name]})}
        changed = load_config(write_files(tmp_path / "changed", files))
        assert getattr(changed, name) != getattr(base, name)
        assert environment_key(changed) != environment_key(base)

    def test_the_same_settings_give_the_same_key(self, tmp_path: Path) -> None:
        one = load_config(write_files(tmp_path / "one", {"pyproject.toml": pyproject()}))
        two = load_config(write_files(tmp_path / "two", {"pyproject.toml": pyproject()}))
        assert environment_key(one) == environment_key(two)
        assert len(environment_key(one)) == 64


@dataclass(frozen=True)
class Input:
    name: str
    data: bytes


class TestInputsKey:
    @pytest.mark.parametrize(
        ("one", "two"),
        [
            (("ab", "c"), ("a", "bc")),  # where one part ends
            ((b"x",), ("x",)),  # bytes or text
            ((Path("x"),), ("x",)),  # a path or text
            ((["a", "b"],), (["a"], "b")),  # a list's length
            (({"a": "b"},), (("a", "b"),)),  # a mapping or a tuple
            (({"a": "b"},), ({"a": "c"},)),
            ((None,), ("None",)),
            ((True,), (1,)),
            ((False,), (True,)),
            ((Input("a", b"1"),), (Input("a", b"2"),)),
            ((Input("a", b"1"),), (Input("b", b"1"),)),
            (([],), ({},)),
            (({"a": "b"},), ({"c": "b"},)),  # a mapping's keys
            ((Path("a"),), (Path("b"),)),
            ((b"a",), (b"b",)),
            ((["a"],), (["b"],)),  # a list's items
            ((("a", Path("x")),), (("a", Path("y")),)),
        ],
    )
    def test_different_inputs_give_different_keys(self, one: tuple, two: tuple) -> None:
        assert inputs_key("env", *one) != inputs_key("env", *two)

    def test_the_environment_is_in_the_key(self) -> None:
        assert inputs_key("env1", "a") != inputs_key("env2", "a")
        assert inputs_key("env", {"a": [b"1", Path("p")]}) == inputs_key(
            "env", {"a": [b"1", Path("p")]}
        )

    def test_an_input_without_a_rule_is_refused(self) -> None:
        with pytest.raises(TypeError, match="cannot digest float"):
            inputs_key("env", 1.5)

    def test_digests_are_length_prefixed_sha256(self) -> None:
        assert digest_of("ab", "c") != digest_of("a", "bc")
        assert digest_of("a") == digest_of(b"a")
        assert digest_of("\ud800") != digest_of(
            "\ud801"
        )  # a lone surrogate, as a file name can hold
        assert digest_of() == hashlib.sha256().hexdigest()
        prefixed = (1).to_bytes(8, "little") + b"a"
        assert digest_of("a") == hashlib.sha256(prefixed).hexdigest()


class TestInstalledVersions:
    def test_versions_come_from_the_names_of_dist_info_and_egg_info_folders(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for name in (
            "Python_Slugify-9.2.0.dist-info",
            "old.thing-0.1-py3.8.egg-info",
            "bare.dist-info",
            "pkg-1.0.dist-info.bak",
        ):
            (tmp_path / name).mkdir()
        monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(tmp_path)])
        assert installed_versions() == {"python-slugify": "9.2.0", "old-thing": "0.1", "bare": "?"}

    def test_an_empty_entry_is_the_current_folder(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        (tmp_path / "here-3.1.dist-info").mkdir()
        monkeypatch.chdir(tmp_path)
        monkeypatch.setattr(sys, "path", [""])
        assert installed_versions() == {"here": "3.1"}

    def test_the_first_on_the_path_wins(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        (tmp_path / "a" / "lib-2.0.dist-info").mkdir(parents=True)
        (tmp_path / "b" / "lib-1.0.dist-info").mkdir(parents=True)
        monkeypatch.setattr(sys, "path", [str(tmp_path / "a"), str(tmp_path / "b")])
        assert installed_versions() == {"lib": "2.0"}


class TestWindow:
    def test_with_future_posts_any_now_will_do(self) -> None:
        kept = [datetime(2011, 1, 1, tzinfo=UTC)]
        assert window(kept, None, future=True) == (float("-inf"), float("inf"))

    def test_the_same_posts_are_chosen_from_the_newest_until_the_next_held_back(self) -> None:
        older, newer = datetime(2011, 1, 1, tzinfo=UTC), datetime(2011, 2, 1, tzinfo=UTC)
        held = datetime(2011, 3, 1, tzinfo=UTC)
        assert window([newer, older], held, future=False) == (
            newer.timestamp(),
            held.timestamp(),
        )
        assert window([older], None, future=False) == (older.timestamp(), float("inf"))
        assert window([], held, future=False) == (float("-inf"), held.timestamp())


class TestWhatElseTheEnvironmentKeyCovers:
    """Besides the settings: blogsite's own files, Python, the zone's rules and the code of
    any Markdown extension that Python-Markdown does not ship."""

    def key_after(self, change: Callable[[], object], config: SiteConfig | None = None) -> bool:
        """Whether change() changes the environment key."""
        config = config or SiteConfig()
        before = environment_key(config)
        change()
        importlib.invalidate_caches()
        return environment_key(config) != before

    def test_blogsite_s_own_files(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        package = write_files(tmp_path / "blogsite", {"a.py": "A = 1\n", "theme/x.html": "x"})
        monkeypatch.setattr(cache, "PACKAGE", package)
        assert self.key_after(lambda: (package / "theme/x.html").write_text("y"))
        assert self.key_after(lambda: (package / "a.py").rename(package / "b.py"))
        assert not self.key_after(lambda: write_files(package, {"__pycache__/b.pyc": "z"}))

    def test_python_and_blogsite_versions(self, monkeypatch: pytest.MonkeyPatch) -> None:
        assert self.key_after(lambda: monkeypatch.setattr(sys, "version", "3.99.0"))
        assert self.key_after(lambda: monkeypatch.setattr(cache, "__version__", "99.0"))
        assert self.key_after(lambda: monkeypatch.setattr(cache, "FORMAT", "99"))

    def test_the_zones_rules(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        zones = write_files(tmp_path / "zoneinfo", {"Europe/London": "rules 1"})
        monkeypatch.setattr(zoneinfo, "TZPATH", (str(zones),))
        london = SiteConfig(timezone="Europe/London")
        assert self.key_after(lambda: (zones / "Europe/London").write_text("rules 2"), london)

    def test_a_local_extensions_code(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        code = write_files(tmp_path / "code", {"marker.py": "A = 1\n", "pack/__init__.py": ""})
        monkeypatch.syspath_prepend(str(code))
        config = SiteConfig(markdown_extensions=("extra", "marker", "pack.sub:Ext"))
        assert self.key_after(lambda: (code / "marker.py").write_text("A = 2\n"), config)
        assert self.key_after(lambda: write_files(code, {"pack/sub.py": "B = 1\n"}), config)
        assert not self.key_after(lambda: (code / "other.py").write_text("C = 1\n"), config)
