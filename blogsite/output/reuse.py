"""Outputs whose inputs have not changed since the last build: linked from the old site, not
rendered again. So an edit to one post's body renders only the pages that show that post.

Each output the plan tracks (render.plan.Plan.shows) gets a key: a digest of everything it
can show. That is the environment (code, libraries, settings: cache.environment_key), the
templates, the site's shape (every field of every post the site shows, but the text that only
the pages showing a post show), and the bytes of each post whose text it shows. The last
build's keys are in its output record. An output whose key is the same, and whose file is
as that build left it (its mode, size, mtimes and inode), is linked into the new site as it
is, with the warnings it gave then. A new title, date or label changes the shape and so
every key: correct first, then quick.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from blogsite.errors import BlogsiteError
from blogsite.output.cache import Record, digest_of, inputs_key
from blogsite.output.staging import Staging
from blogsite.render.plan import Plan
from blogsite.site.model import Post

# What only a page that shows the post shows (render.plan.Plan.shows): its text, the "Read
# more" it may need, its comments. Every other field, a new one too, is part of the shape.
TEXT = frozenset({"body_html", "summary_html", "has_more", "comments"})
SHAPE = tuple(f.name for f in dataclasses.fields(Post) if f.name not in TEXT)


def shape_of(post: Post) -> str:
    return repr(tuple(getattr(post, name) for name in SHAPE))


def base_key(environment: str, templates: Any, posts: Iterable[Post]) -> str:
    """What every tracked output depends on: environment, templates, the site's shape."""
    return inputs_key(environment, templates, *map(shape_of, posts))


def page_keys(todo: Plan, base: str, text: Mapping[Path, str]) -> dict[str, str]:
    """The key of each output the plan tracks; text: a digest of each post file's bytes (the
    post cache's keys, postcache.PostCache.keys)."""
    return {
        path: digest_of(base, *(text[post.source] for post in shows))
        for path, shows in todo.shows.items()
    }


def keep_unchanged(
    keys: Mapping[str, str], last: Record | None, staging: Staging
) -> dict[str, tuple[BlogsiteError, ...]]:
    """Link every output whose key is the last build's, and whose file that build left as it
    is, into the staging tree; return the warnings each gave, by path."""
    if last is None or not last.pages:
        return {}
    state = {entry[0]: entry[1:] for entry in last.state}
    kept: dict[str, tuple[BlogsiteError, ...]] = {}
    for path, key in keys.items():
        old = last.pages.get(path)
        if old is None or old[0] != key or path not in state:
            continue
        if staging.link_old(path, state[path]):
            kept[path] = tuple(BlogsiteError(m, p, line) for m, p, line in old[1])
    return kept


def page_records(
    keys: Mapping[str, str], warnings: Mapping[str, Sequence[BlogsiteError]]
) -> dict[str, tuple[str, Sequence[BlogsiteError]]]:
    """What the output record keeps of each tracked output, for the next build."""
    return {path: (key, warnings.get(path, ())) for path, key in keys.items()}
