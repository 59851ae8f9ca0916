"""Settings from [tool.blogsite]: defaults, validation, every problem at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from blogsite.config import SiteConfig, load_config
from blogsite.errors import BlogsiteError, BuildFailed


def write(tmp_path: Path, body: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(f"[project]\nname = 'x'\n\n[tool.blogsite]\n{body}")
    return tmp_path


def test_a_site_without_settings_gets_the_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path) == SiteConfig()


def test_unknown_keys_and_bad_values_are_all_reported_with_lines(tmp_path: Path) -> None:
    root = write(tmp_path, 'titel = "x"\nposts_per_page = 0\ntimezone = "Mars/Olympus"\n')
    with pytest.raises(BuildFailed) as caught:
        load_config(root)
    lines = [(e.line, e.message) for e in caught.value.errors]
    assert lines[0][0] == 5 and lines[0][1].startswith("unknown setting 'titel'; valid settings")
    assert "title" in lines[0][1] and "base_url" in lines[0][1]
    assert lines[1] == (6, "posts_per_page must be a whole number of at least 1, not 0")
    assert lines[2][0] == 7 and "unknown timezone 'Mars/Olympus'" in lines[2][1]


@pytest.mark.parametrize("base_url", ["example.org", "/blog/", "ftp://example.org/"])
def test_base_url_must_be_absolute_http(tmp_path: Path, base_url: str) -> None:
    with pytest.raises(BuildFailed, match="base_url must be an absolute http"):
        load_config(write(tmp_path, f'base_url = "{base_url}"\n'))


def test_a_base_url_with_a_space_must_spell_it_as_a_url_does(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed, match="with %20 for a space"):
        load_config(write(tmp_path, 'base_url = "https://x.github.io/my blog/"\n'))
    config = load_config(write(tmp_path, 'base_url = "https://x.github.io/my%20blog/"\n'))
    assert config.base_url == "https://x.github.io/my%20blog/"


@pytest.mark.parametrize("language", ["en_GB", "", "english!", "en-"])
def test_language_must_be_a_language_tag(tmp_path: Path, language: str) -> None:
    with pytest.raises(BuildFailed, match="language must be a language tag such as 'en'"):
        load_config(write(tmp_path, f'language = "{language}"\n'))
    assert load_config(write(tmp_path, 'language = "zh-Hant-TW"\n')).language == "zh-Hant-TW"


def test_date_formats_may_use_only_the_codes_blogsite_knows(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as caught:
        load_config(write(tmp_path, 'date_format = "%e %B %Y"\ntime_format = "%H:%M %P 100%"\n'))
    assert [(e.line, e.message.split(", which")[0]) for e in caught.value.errors] == [
        (5, "date_format uses %e"),
        (6, "time_format uses %P, a '%' alone"),
    ]
    assert load_config(write(tmp_path, 'date_format = "%-d.%m.%y, 100%%"\n'))


def test_base_url_gets_a_trailing_slash(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, 'base_url = "https://x.github.io/blog"\n'))
    assert config.base_url == "https://x.github.io/blog/"


@pytest.mark.parametrize(
    "pattern",
    ["/{year}/{title}.html", "/{year}/post.html", "{slug}.html", "/{slug}.htm", "/../{slug}.html"],
)
def test_bad_permalink_patterns_are_rejected(tmp_path: Path, pattern: str) -> None:
    with pytest.raises(BuildFailed, match="permalink"):
        load_config(write(tmp_path, f'permalink = "{pattern}"\n'))


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(BlogsiteError) as caught:
        load_config(write(tmp_path, "title = \n"))
    assert caught.value.line == 5
