"""`blogsite new "Title"`: a first draft of a post, dated now."""

from __future__ import annotations

import json
from pathlib import Path

from blogsite.config import load_config
from blogsite.content.fields import CONTROL, NONCHARACTER
from blogsite.errors import UsageError
from blogsite.pipeline import now
from blogsite.site.urls import slugify

FILE_SLUG_LENGTH = 80  # a post's file name stays far below the 255 bytes file systems allow


def new_post(root: Path, title: str) -> Path:
    """Start a post dated now in the site's zone; never overwrites a file."""
    config = load_config(root)
    if CONTROL.search(title.strip()) or NONCHARACTER.search(title):
        raise UsageError(
            f"the title {title!r} has a line break, control character or byte that is not "
            "UTF-8; a title is one line of text"
        )
    slug = slugify(title, max_length=FILE_SLUG_LENGTH)
    if not title.strip() or not slug:
        raise UsageError(f"cannot make a file name from the title {title!r}")
    when = now().astimezone(config.tz).replace(microsecond=0)
    path = root / config.posts_dir / f"{when:%Y-%m-%d}-{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    quoted = json.dumps(title.strip(), ensure_ascii=False)  # a JSON string is valid YAML
    try:
        with path.open("x", encoding="utf-8") as f:
            f.write(
                f"---\ntitle: {quoted}\ndate: {when.isoformat()}\nlabels: []\n"
                "draft: true\n---\n\nWrite the post here. Remove draft: true to publish.\n"
            )
    except FileExistsError as e:
        raise UsageError(f"{path} already exists; not overwriting it") from e
    return path
