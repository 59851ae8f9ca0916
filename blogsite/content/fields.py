"""The front matter a post may have: one small validator per field, as MkDocs checks its
settings (config_options.py). Adding a field is one entry in SCHEMA; keys it does not name
are kept for templates (Post.extra)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from blogsite.config import SiteConfig
from blogsite.content.comments import parse_comment
from blogsite.content.frontmatter import Document
from blogsite.errors import BlogsiteError
from blogsite.site import urls
from blogsite.site.dates import parse_date
from blogsite.site.model import Comment

# Not characters at all: a YAML escape ("\ud800") can make them, but no file can hold them.
NONCHARACTER = re.compile("[\ud800-\udfff\ufffe\uffff]")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
URI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:.")  # a feed id: Atom needs an IRI
DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")


class Invalid(Exception):
    """A field's problems: each a message about the field's own line, or (message, key) for
    the line of another key ("comments.2": the list's second item)."""

    def __init__(self, *problems: str | tuple[str, str]) -> None:
        super().__init__(*problems)
        self.problems = problems


@dataclass(frozen=True)
class Context:
    """What a validator may read besides its own value."""

    path: Path
    config: SiteConfig
    values: Mapping[str, Any]  # the valid fields before this one in SCHEMA, cleaned


class Field:
    """A field that takes any value; subclasses check and convert it in clean()."""

    text = False  # read as the author typed it: YAML reads `title: No` as false
    default: Any = None  # the value when the front matter does not have the key

    def clean(self, key: str, value: Any, context: Context) -> Any:
        """The value as the Post holds it; raise Invalid with every problem of it."""
        return value


class Text(Field):
    text = True

    def clean(self, key: str, value: Any, context: Context) -> Any:
        if value is not None and not isinstance(value, str):
            raise Invalid(f"'{key}' must be text")
        return value


class Title(Field):
    text = True

    def clean(self, key: str, value: Any, context: Context) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            raise Invalid("missing 'title' in front matter")
        if not isinstance(value, str):
            raise Invalid("'title' must be text")
        if CONTROL.search(value):
            raise Invalid("'title' contains a control character")
        return value.strip()


class Date(Field):
    """(an aware datetime in the site's zone, whether a time of day was given)"""

    def clean(self, key: str, value: Any, context: Context) -> tuple[datetime, bool]:
        if value is None:
            raise Invalid("missing 'date' in front matter (e.g. date: 2011-02-03)")
        try:
            return parse_date(value, context.config.tz)
        except ValueError as e:
            raise Invalid(f"invalid date {value!r}: {e}") from e


class Updated(Field):
    """When the post last changed, never before its date."""

    def clean(self, key: str, value: Any, context: Context) -> datetime | None:
        if value is None:
            return None
        try:
            updated, has_time = parse_date(value, context.config.tz)
        except ValueError as e:
            raise Invalid(f"invalid updated date {value!r}: {e}") from e
        if "date" not in context.values:
            return updated
        when, _ = context.values["date"]
        if not has_time and updated.date() == when.date():
            updated = max(updated, when)  # "updated: 2011-06-01" on a post of 10:00 that day
        if updated < when:
            raise Invalid(f"'updated' ({value}) is before the post's 'date'")
        return updated


class Labels(Field):
    text = True

    def clean(self, key: str, value: Any, context: Context) -> tuple[str, ...]:
        labels = value or []
        if isinstance(labels, str):
            labels = [labels]
        if not isinstance(labels, list) or not all(
            isinstance(label, str) and urls.slugify(label) for label in labels
        ):
            raise Invalid("'labels' must be a list of names, e.g. labels: [Big Society, Cuts]")
        # Each as first spelt: two that share a label page (a slug) are one label, so the
        # post is listed once there.
        by_slug: dict[str, str] = {}
        for label in labels:
            by_slug.setdefault(urls.slugify(label), label.strip())
        return tuple(by_slug.values())


class Slug(Field):
    """The slug given, else the file's name without its date; made URL-safe."""

    text = True

    def clean(self, key: str, value: Any, context: Context) -> str:
        problems: list[str | tuple[str, str]] = []
        if value is not None and (not isinstance(value, str) or urls.unsafe_slug(value)):
            problems.append(f"slug {value!r} could leave the output folder; use words and '-' only")
            value = None
        source = value or DATE_PREFIX.sub("", context.path.stem)
        slug = urls.slugify(source)
        if not slug:
            problems.append((f"cannot make a slug from {source!r}", key if value else "title"))
        if problems:
            raise Invalid(*problems)
        return slug


class FeedId(Text):
    def clean(self, key: str, value: Any, context: Context) -> str | None:
        ident = super().clean(key, value, context)
        if ident is not None and (not URI_SCHEME.match(ident) or urls.NOT_IN_URL.search(ident)):
            raise Invalid(
                f"id {ident!r} must be a URI that never changes, such as the post's first URL "
                "or tag:example.org,2011:where-next"
            )
        return ident


class Flag(Field):
    default = False

    def clean(self, key: str, value: Any, context: Context) -> bool:
        if not isinstance(value, bool):
            raise Invalid(f"'{key}' must be true or false")
        return value


class Comments(Field):
    def clean(self, key: str, value: Any, context: Context) -> tuple[Comment, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise Invalid(f"'{key}' must be a list of {{author, date, html}} entries")
        comments: list[Comment] = []
        problems: list[str | tuple[str, str]] = []
        for number, item in enumerate(value, 1):
            comment, wrong = parse_comment(item, context.config.tz)
            problems += [(f"comment {number}: {p}", f"{key}.{number}") for p in wrong]
            if comment:
                comments.append(comment)
        if problems:
            raise Invalid(*problems)
        return tuple(comments)


# In order: a field may read the ones above it (Context.values).
SCHEMA: Mapping[str, Field] = MappingProxyType(
    {
        "title": Title(),
        "date": Date(),
        "updated": Updated(),
        "author": Text(),
        "labels": Labels(),
        "slug": Slug(),
        "draft": Flag(),
        "summary": Text(),
        "id": FeedId(),
        "comments": Comments(),
    }
)


def _all_text(value: Any) -> str:
    """Every string in a front-matter value, keys included, joined."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "".join(_all_text(k) + _all_text(v) for k, v in value.items())
    if isinstance(value, list):
        return "".join(map(_all_text, value))
    return ""


@dataclass(frozen=True)
class FrontMatter:
    fields: dict[str, Any]  # every field of SCHEMA, cleaned; only when there are no errors
    extra: dict[str, Any]  # the keys SCHEMA does not name, as YAML read them
    errors: list[BlogsiteError]


def read(doc: Document, path: Path, config: SiteConfig) -> FrontMatter:
    """Check every field of the document at once; each error names the line of its key."""
    meta = {
        **doc.meta,
        **{key: doc.text(key) for key, f in SCHEMA.items() if f.text and key in doc.meta},
    }
    errors: list[BlogsiteError] = []

    def error(message: str, key: str) -> None:
        line = doc.lines.get(key) or doc.lines.get(key.partition(".")[0], 1)
        errors.append(BlogsiteError(message, path, line))

    values: dict[str, Any] = {}
    context = Context(path, config, MappingProxyType(values))
    for key, field in SCHEMA.items():
        try:
            values[key] = field.clean(key, meta.get(key, field.default), context)
        except Invalid as e:
            for problem in e.problems:
                error(*((problem, key) if isinstance(problem, str) else problem))
    for key, value in meta.items():
        bad = sorted({f"U+{ord(c):04X}" for c in NONCHARACTER.findall(_all_text(value))})
        if bad:
            error(f"'{key}' contains {', '.join(bad)}, which is not a character", key)
    extra = {k: v for k, v in meta.items() if k not in SCHEMA}
    return FrontMatter(values, extra, errors)
