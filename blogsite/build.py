"""The build, as one function of pure stages: discover, parse, collate, render, write."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .collate import Selection, collate, select
from .config import SiteConfig, load_config
from .errors import BlogsiteError, BuildFailed, UsageError, collect
from .markdown import Converter
from .model import Post, Site
from .output import check_destination, write
from .posts import parse_post
from .render import make_environment, render
from .sources import Sources, discover
from .urls import slugify


@dataclass(frozen=True)
class Options:
    root: Path = Path(".")
    output: Path | None = None  # default: the output_dir setting, under root
    drafts: bool = False
    future: bool = False
    strict: bool = False
    base_url: str | None = None


@dataclass(frozen=True)
class Result:
    site: Site
    files: dict[str, bytes]
    output: Path
    drafts_left_out: int
    future_left_out: int
    warnings: tuple[BlogsiteError, ...]
    seconds: float


def now() -> datetime:
    """The clock, or SOURCE_DATE_EPOCH when set; used only to hold back future posts."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except ValueError as e:
            raise UsageError(f"SOURCE_DATE_EPOCH must be whole seconds, not {epoch!r}") from e
    return datetime.now(UTC)


def parse_all(
    sources: Iterable[tuple[Path, bytes]],
    config: SiteConfig,
    progress: Callable[[int], None] | None = None,
) -> list[Post]:
    """Parse every post, gathering every file's errors before failing."""
    converter = Converter(config.markdown_extensions, config.markdown_extension_configs)
    posts: list[Post] = []
    errors: list[BlogsiteError] = []
    for path, data in sources:
        try:
            posts.append(parse_post(path, data, config, converter))
        except BuildFailed as e:
            errors.extend(e.errors)
        except BlogsiteError as e:
            errors.append(e)
        if progress:
            progress(1)
    collect(errors)
    return posts


@dataclass(frozen=True)
class Loaded:
    """What a build reads: the settings and every input file."""

    config: SiteConfig
    output: Path
    sources: Sources


def load(options: Options) -> Loaded:
    root = options.root
    overrides = {"base_url": options.base_url} if options.base_url is not None else None
    config = load_config(root, overrides)
    output = options.output or root / config.output_dir
    check_destination(output, root, [root / config.posts_dir, root / "templates", root / "static"])
    return Loaded(config, output, discover(root, config))


def make_site(
    loaded: Loaded, options: Options, progress: Callable[[int], None] | None = None
) -> tuple[Site, Selection]:
    posts = parse_all(loaded.sources.posts, loaded.config, progress)
    chosen = select(posts, drafts=options.drafts, future=options.future, now=now())
    return collate(chosen.posts, loaded.config, loaded.sources.static), chosen


def build(options: Options, progress: Callable[[int], None] | None = None) -> Result:
    started = time.perf_counter()
    loaded = load(options)
    site, chosen = make_site(loaded, options, progress)
    rendered = render(site, make_environment(loaded.sources.template_dirs))
    if options.strict and rendered.warnings:
        raise BuildFailed(rendered.warnings)
    write(rendered.files, loaded.output)
    return Result(
        site,
        rendered.files,
        loaded.output,
        chosen.drafts,
        chosen.future,
        rendered.warnings,
        time.perf_counter() - started,
    )


def new_post(root: Path, title: str) -> Path:
    """Start a post dated now in the site's zone; never overwrites a file."""
    config = load_config(root)
    slug = slugify(title)
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
