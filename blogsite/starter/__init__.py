"""`blogsite init`: a new blog's files, every setting explained; never overwrites one."""

from __future__ import annotations

import json
from dataclasses import fields
from importlib import metadata
from pathlib import Path
from types import MappingProxyType
from typing import Any

from blogsite import __version__
from blogsite.config import SiteConfig
from blogsite.errors import UsageError

FILES = Path(__file__).parent / "files"
# Where the example blog will be, until its author says.
PLACEHOLDER_URL = "https://example.org/"

# One explanation per setting of SiteConfig; tests fail when a setting has none.
EXPLAINED: dict[str, str] = {
    "title": "The blog's name, on every page and in the feeds.",
    "description": "One line about the blog, for page heads and feeds.",
    "author": 'Who wrote the posts, unless a post says (author: …); "" shows no "Posted by".',
    "base_url": (
        "The blog's public address. Links, feeds and the sitemap are made from it; a site\n"
        'under a sub-path works too ("https://you.github.io/blog/"). The GitHub workflow\n'
        "builds with GitHub Pages' own address (--base-url), whatever this says."
    ),
    "language": 'The language of the posts, as a tag such as "en" or "en-GB".',
    "timezone": "The time zone (IANA name) of a post's time given without an offset.",
    "date_format": "How a date is shown: Thursday 3 February 2011 (always in English).",
    "time_format": 'How a time of day is shown, in "Posted at".',
    "permalink": (
        "A post's address: {year}, {month}, {day} and {slug}; ends in .html or /.\n"
        "Choose it for good: a changed address breaks every link to the old one."
    ),
    "posts_per_page": "Posts on each page of the home, month and label lists.",
    "feed_items": "Posts in each feed.",
    "feed_content": '"full" posts or their "summary" in the feeds.',
    "markdown_extensions": 'Python-Markdown extensions, e.g. "toc", "smarty".',
    "markdown_extension_configs": "Their options, e.g. { toc = { permalink = true } }.",
    "posts_dir": "The folder the posts are in.",
    "output_dir": "The folder the site is built into.",
    "blogger_redirects": (
        "For a blog brought over from Blogger (blogsite import): also answer at its old\n"
        "archive, label search and feed addresses."
    ),
    "search": (
        "A search page and an index of the posts for it (Pagefind), made by blogsite build;\n"
        "false leaves search out altogether."
    ),
    "extra_front_matter": (
        "Front-matter keys of your own (for your templates, as post.extra.KEY). An unknown\n"
        'key close to a known one ("draught") is an error; listing yours here checks them too.'
    ),
}

# Given values, not defaults, in a new blog's settings.
STARTING_VALUES: dict[str, Any] = {"base_url": PLACEHOLDER_URL}


def toml_value(value: Any) -> str:
    """A setting's value as TOML: a JSON string or list of strings is TOML as it stands."""
    if isinstance(value, MappingProxyType | dict):
        return "{}" if not value else json.dumps(dict(value))  # only empty ones are defaults
    if isinstance(value, tuple):
        return json.dumps(list(value), ensure_ascii=False)
    if isinstance(value, bool | int):
        return str(value).lower()
    return json.dumps(value, ensure_ascii=False)


def settings_file() -> str:
    """pyproject.toml: every setting of SiteConfig with what it does, commented out at its
    default unless the new blog needs a value."""
    lines = [
        "# This blog's settings, read by blogsite from [tool.blogsite]. Every setting is here",
        "# with what it does; a line starting with # keeps its default: remove the # to",
        "# change it. An unknown setting is an error, so a misspelt one never goes unseen.",
        "",
        "[tool.blogsite]",
    ]
    defaults = SiteConfig()
    for setting in fields(SiteConfig):
        name = setting.name
        lines += [f"# {line}" for line in EXPLAINED[name].splitlines()]
        if name in STARTING_VALUES:
            lines.append(f"{name} = {toml_value(STARTING_VALUES[name])}")
        else:
            lines.append(f"# {name} = {toml_value(getattr(defaults, name))}")
        lines.append("")
    return "\n".join(lines)


def requirement() -> str:
    """How CI installs blogsite: from where this copy came, when pip recorded a URL it can
    reach (PEP 610: a git repository), else this version from the package index."""
    try:
        direct = json.loads(metadata.distribution("blogsite").read_text("direct_url.json") or "")
    except (metadata.PackageNotFoundError, ValueError):
        direct = {}
    vcs = direct.get("vcs_info") if isinstance(direct, dict) else None
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return f"blogsite @ git+{direct['url']}@{vcs['commit_id']}"
    return f"blogsite=={__version__}"


def starter_files(post_date: str) -> dict[str, str]:
    """Every file of a new blog, by its path in the blog's folder."""
    post = (FILES / "posts" / "welcome.md").read_text(encoding="utf-8")
    return {
        "pyproject.toml": settings_file(),
        "requirements.txt": (
            "# What the publishing workflow installs (pip install -r requirements.txt).\n"
            f"{requirement()}\n"
        ),
        f"posts/{post_date}-welcome.md": post.replace("{date}", post_date),
        "templates/README.md": (FILES / "templates" / "README.md").read_text(encoding="utf-8"),
        "static/README.md": (FILES / "static" / "README.md").read_text(encoding="utf-8"),
        ".gitignore": (FILES / "gitignore").read_text(encoding="utf-8"),
        ".github/workflows/publish.yml": workflow(),
    }


def workflow() -> str:
    return (FILES / "publish.yml").read_text(encoding="utf-8")


def init(folder: Path, post_date: str) -> list[Path]:
    """Write a new blog into folder (made if missing); refuses, writing nothing, if any of
    its files is there already. Returns the files written."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    wanted = {folder / name: text for name, text in starter_files(post_date).items()}
    there = [path for path in wanted if path.exists() or path.is_symlink()]
    there += sorted(  # a file where one of the new folders has to be
        {p for path in wanted for p in path.parents if p.is_relative_to(folder) and p.is_file()}
    )
    if there:
        names = ", ".join(str(path) for path in there)
        raise UsageError(f"{names} already exist{'s' if len(there) == 1 else ''}; not overwriting")
    for path, text in wanted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as f:
            f.write(text)
    return list(wanted)
