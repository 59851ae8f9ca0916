"""`blogsite import`: read the whole export, then write its posts and pages into the site."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from blogsite.config import load_config
from blogsite.importers import blogger, wordpress
from blogsite.importers.entries import Export
from blogsite.importers.writer import Outcome, file_names, file_text, settings_block, write

IMAGE = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']?(https?://[^"'\s>]+)""", re.IGNORECASE)
READERS = {"blogger": blogger.read, "wordpress": wordpress.read}


@dataclass(frozen=True)
class Report:
    counts: Counter[str]  # posts, drafts, pages, comments
    skipped: dict[str, int]
    outcome: Outcome
    images: tuple[str, ...]  # addresses of pictures left where they are
    settings: str  # a [tool.blogsite] block


def import_blog(
    root: Path, platform: str, export_path: Path, *, force: bool = False, download: bool = False
) -> Report:
    config = load_config(root)
    export: Export = READERS[platform](export_path)
    names = file_names(export.entries, config.posts_dir)
    files = {name: file_text(entry) for name, entry in zip(names, export.entries, strict=True)}
    images = sorted({src for entry in export.entries for src in IMAGE.findall(entry.body)})
    if download and images:
        from blogsite.importers.images import download_images

        files, images = download_images(root, files, images, config.base_url)
    outcome = write(root, files, force)
    counts: Counter[str] = Counter()
    for entry in export.entries:
        counts["draft" if entry.draft else entry.kind] += 1
        counts["comment"] += len(entry.comments)
    settings = dict(export.settings)
    if "timezone" in settings:
        try:
            ZoneInfo(str(settings["timezone"]))
        except (ZoneInfoNotFoundError, ValueError):
            del settings["timezone"]
    return Report(
        counts,
        export.skipped,
        outcome,
        tuple(images),
        settings_block(settings, blogger=platform == "blogger"),
    )
