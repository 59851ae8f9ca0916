"""Write an export's entries as posts and pages, safely again and again: a file is written
only when the whole export was read, an unchanged one is left alone, and one edited since
its import is kept unless forced."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from blogsite.content.sources import PAGES_DIR
from blogsite.errors import BlogsiteError
from blogsite.importers.entries import Entry, ImportedComment
from blogsite.output.cache import write_atomically
from blogsite.site import urls

# libyaml's emitter where PyYAML has it: the pure-Python one took three quarters of an
# import's time. Both emit safe YAML that reads back to the same values.
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
MANIFEST = ".blogsite-import.json"  # what each imported file held when written, by path
SLUG_LENGTH = 80


@dataclass
class Outcome:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # edited since imported; not forced


def _iso(value: Any) -> str:
    return value.isoformat()


def _comment(comment: ImportedComment) -> dict[str, str]:
    item = {"author": comment.author, "date": _iso(comment.date), "html": comment.html}
    item["id"] = comment.id
    if comment.author_url:
        item["author_url"] = comment.author_url
    if comment.reply_to:
        item["reply_to"] = comment.reply_to
    return item


def front_matter(entry: Entry) -> dict[str, Any]:
    meta: dict[str, Any] = {"title": entry.title, "date": _iso(entry.date)}
    if entry.updated:
        meta["updated"] = _iso(entry.updated)
    if entry.author:
        meta["author"] = entry.author
    if entry.labels:
        meta["labels"] = list(entry.labels)
    if entry.draft:
        meta["draft"] = True
    if entry.url:
        meta["url"] = entry.url
    if entry.id:
        meta["id"] = entry.id
    if entry.kind == "page" and not entry.draft:
        meta["nav"] = True  # listed in the header, as Blogger's Pages gadget listed it
    if entry.comments:
        meta["comments"] = [_comment(c) for c in entry.comments]
    return meta


def file_text(entry: Entry) -> bytes:
    meta = yaml.dump(
        front_matter(entry), Dumper=DUMPER, sort_keys=False, allow_unicode=True, width=100
    )
    body = entry.body.strip() or "<p></p>"  # the build refuses a post without a body
    return f"---\n{meta}---\n{body}\n".encode()


def slug_of(entry: Entry) -> str:
    """The old address's last part (so the file is found by it), else the title's words."""
    name = (entry.url or "").rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
    return urls.slugify(name, SLUG_LENGTH) or urls.slugify(entry.title, SLUG_LENGTH) or "post"


def file_names(entries: tuple[Entry, ...], posts_dir: str) -> list[str]:
    """Each entry's file under the site, unique: posts by date and slug, pages by slug."""
    names, taken = [], set()
    for entry in entries:
        folder = PAGES_DIR if entry.kind == "page" else posts_dir
        stem = slug_of(entry)
        if entry.kind != "page":
            stem = f"{entry.date:%Y-%m-%d}-{stem}"
        name, n = f"{folder}/{stem}.html", 1
        while name.casefold() in taken:
            n += 1
            name = f"{folder}/{stem}-{n}.html"
        taken.add(name.casefold())
        names.append(name)
    return names


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write(root: Path, files: dict[str, bytes], force: bool) -> Outcome:
    """Write files (site-relative path -> bytes) under root, keeping hand edits."""
    manifest_path = root / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text("utf-8")) if manifest_path.exists() else {}
    except (OSError, ValueError) as e:
        raise BlogsiteError(f"cannot read the record of the last import: {e}", manifest_path) from e
    if not isinstance(manifest, dict):
        manifest = {}
    outcome = Outcome()
    for name, data in files.items():
        path = root / name
        try:
            old = path.read_bytes() if path.exists() else None
        except OSError as e:
            raise BlogsiteError(f"cannot read: {e.strerror or e}", path) from e
        if old == data:
            outcome.unchanged.append(name)
            manifest[name] = _digest(data)
            continue
        if old is not None and manifest.get(name) != _digest(old) and not force:
            outcome.kept.append(name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)
        manifest[name] = _digest(data)
        outcome.written.append(name)
    text = json.dumps(dict(sorted(manifest.items())), indent=1) + "\n"
    write_atomically(manifest_path, text.encode())
    return outcome


def settings_block(settings: dict[str, str | int], blogger: bool) -> str:
    """The blog's own settings as a [tool.blogsite] table for pyproject.toml."""
    lines = ["[tool.blogsite]"]
    for key in ("title", "description", "timezone", "posts_per_page"):
        if key in settings:
            value = settings[key]
            lines.append(f"{key} = {value if isinstance(value, int) else json.dumps(value)}")
    lines.append('base_url = "https://example.org/"  # the blog\'s new address')
    if blogger:
        lines.append("blogger_redirects = true  # old archive, label and feed addresses answer")
    return "\n".join(lines) + "\n"
