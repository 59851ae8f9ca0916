"""Site settings from ``[tool.blogsite]`` in the site's ``pyproject.toml``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from blogsite.errors import BlogsiteError, UsageError, collect
from blogsite.site import urls
from blogsite.site.dates import DIRECTIVES, unknown_directives

PLACEHOLDERS = frozenset({"year", "month", "day", "slug"})
# BCP 47, as <html lang>, xml:lang and the feeds need it: 'en', 'en-GB', 'zh-Hant-TW'.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")


@dataclass(frozen=True)
class SiteConfig:
    """Every setting, with its default. docs/settings.md lists them all."""

    title: str = "My blog"
    description: str = ""
    author: str = ""
    base_url: str = ""
    language: str = "en"
    timezone: str = "UTC"
    date_format: str = "%A %-d %B %Y"
    time_format: str = "%H:%M"
    permalink: str = "/{year}/{month}/{slug}.html"
    posts_per_page: int = 7
    feed_items: int = 25
    feed_content: str = "full"
    markdown_extensions: tuple[str, ...] = ("extra", "sane_lists", "codehilite")
    markdown_extension_configs: MappingProxyType[str, Any] = field(
        default_factory=lambda: MappingProxyType({})
    )
    posts_dir: str = "posts"
    output_dir: str = "_site"
    # Keep a blog brought over from Blogger answering at its old archive, label and feed
    # addresses (see docs/import.md); blogsite import prints it on.
    blogger_redirects: bool = False
    extra_front_matter: tuple[str, ...] = ()  # the site's own keys, checked like the known ones
    search: bool = True  # a Pagefind index of the posts, and a search page (output/search.py)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


SETTINGS = {f.name: f for f in fields(SiteConfig)}


def _key_line(text: str, key: str) -> int | None:
    """The line of ``key = …`` inside [tool.blogsite]; tomllib keeps no positions."""
    in_table = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_table = stripped.replace(" ", "") == "[tool.blogsite]"
        elif in_table and re.match(rf'["\']?{re.escape(key)}["\']?\s*=', stripped):
            return number
    return None


def where_set(root: Path, key: str) -> tuple[Path, int] | None:
    """The file and line that set key, or None when it has its default."""
    path = root / "pyproject.toml"
    line = _key_line(path.read_text(encoding="utf-8"), key) if path.is_file() else None
    return None if line is None else (path, line)


def _check(name: str, value: Any) -> tuple[Any, str | None]:
    """Return the value in its stored form, or an error message."""
    default = getattr(SiteConfig(), name)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            return value, f"{name} must be true or false, not {value!r}"
        return value, None
    if isinstance(default, int):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            return value, f"{name} must be a whole number of at least 1, not {value!r}"
        return value, None
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return value, f"{name} must be a list of strings"
        return tuple(value), None
    if isinstance(default, MappingProxyType):
        if not isinstance(value, dict):
            return value, f"{name} must be a table"
        return MappingProxyType(value), None
    if not isinstance(value, str):
        return value, f"{name} must be a string, not {value!r}"
    return value, _check_string(name, value)


def _check_string(name: str, value: str) -> str | None:
    if name == "timezone":
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            return f"unknown timezone {value!r} (use an IANA name such as 'Europe/London')"
    if name == "base_url" and value:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return f"base_url must be an absolute http(s) URL, not {value!r}"
        if urls.NOT_IN_URL.search(value):
            return f"base_url must be a URL, with %20 for a space: {value!r}"
    if name == "language" and not LANGUAGE_TAG.fullmatch(value):
        return f"language must be a language tag such as 'en' or 'en-GB', not {value!r}"
    if name in ("date_format", "time_format"):
        unknown = sorted(set(unknown_directives(value)))
        if unknown:
            known = " ".join(f"%{code}" for code in DIRECTIVES)
            return f"{name} uses {', '.join(unknown)}, which blogsite does not know; use {known}"
    if name == "feed_content" and value not in ("full", "summary"):
        return f"feed_content must be 'full' or 'summary', not {value!r}"
    if name == "permalink":
        return permalink_problem(value)
    return None


def permalink_problem(pattern: str) -> str | None:
    used = set(re.findall(r"{(\w+)}", pattern))
    if used - PLACEHOLDERS:
        return f"permalink uses unknown placeholders {sorted(used - PLACEHOLDERS)}; " + (
            f"valid ones are {sorted(PLACEHOLDERS)}"
        )
    if "slug" not in used:
        return "permalink must contain {slug}"
    if not pattern.startswith("/") or not (pattern.endswith(".html") or pattern.endswith("/")):
        return "permalink must start with '/' and end with '.html' or '/'"
    if ".." in pattern or "\\" in pattern:
        return "permalink must stay inside the output folder"
    return None


def load_config(root: Path, overrides: dict[str, Any] | None = None) -> SiteConfig:
    """Read and validate the settings, reporting every problem at once."""
    path = root / "pyproject.toml"
    try:
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
    except OSError as e:
        raise BlogsiteError(f"cannot read: {e.strerror or e}", path) from e
    try:
        table = tomllib.loads(text).get("tool", {}).get("blogsite", {})
    except tomllib.TOMLDecodeError as e:
        line = re.search(r"line (\d+)", str(e))
        raise BlogsiteError(f"invalid TOML: {e}", path, int(line[1]) if line else None) from e
    values: dict[str, Any] = {}
    for key, value in (overrides or {}).items():  # from the command line, so usage errors
        values[key], problem = _check(key, value)
        if problem:
            raise UsageError(f"--{key.replace('_', '-')}: {problem}")
    table = {k: v for k, v in table.items() if k not in values}
    errors: list[BlogsiteError] = []
    for key, value in table.items():
        if key not in SETTINGS:
            valid = ", ".join(sorted(SETTINGS))
            errors.append(
                BlogsiteError(
                    f"unknown setting {key!r}; valid settings are: {valid}",
                    path,
                    _key_line(text, key),
                )
            )
            continue
        values[key], problem = _check(key, value)
        if problem:
            errors.append(BlogsiteError(problem, path, _key_line(text, key)))
    collect(errors)
    if values.get("base_url") and not values["base_url"].endswith("/"):
        values["base_url"] += "/"
    return SiteConfig(**values)
