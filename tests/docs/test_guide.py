"""The user guide in docs/ covers every setting and option the code has."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from blogsite.config import SiteConfig
from tests.conftest import REPO, run_blogsite

DOCS = REPO / "docs"


def test_settings_page_lists_every_setting_with_its_default() -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| ([^|]+) \|", text, re.MULTILINE))
    defaults = SiteConfig()
    for setting in fields(SiteConfig):
        assert setting.name in rows, f"docs/settings.md has no row for {setting.name}"
        value = getattr(defaults, setting.name)
        if isinstance(value, str) and value:
            assert f'`"{value}"`' in rows[setting.name], setting.name
        elif isinstance(value, int):
            assert f"`{value}`" in rows[setting.name], setting.name
    assert set(rows) == {f.name for f in fields(SiteConfig)}


@pytest.mark.parametrize("command, page", [("build", "settings.md"), ("serve", "serve.md")])
def test_every_command_line_option_is_documented(tmp_path: Path, command: str, page: str) -> None:
    shown = run_blogsite(command, "--help", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    options = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", shown.stdout)) - {"--help"}
    assert options, shown.stdout
    text = (DOCS / page).read_text(encoding="utf-8")
    missing = sorted(o for o in options if f"`{o}" not in text and f" {o}" not in text)
    assert not missing, f"docs/{page} does not describe {missing}"


def test_every_relative_link_in_the_guide_leads_to_a_file() -> None:
    pages = [REPO / "README.md", *sorted(DOCS.glob("*.md"))]
    for page in pages:
        text = re.sub(r"```.*?```|`[^`]*`", "", page.read_text(encoding="utf-8"), flags=re.S)
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
            if "://" not in target:
                assert (page.parent / target).exists(), f"{page.name} links to {target}"
