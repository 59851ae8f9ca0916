"""The build, as one function of pure stages: discover, parse, collate, render, write."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from blogsite.config import SiteConfig, load_config, where_set
from blogsite.content.sources import PAGES_DIR, Sources, discover
from blogsite.errors import BlogsiteError, BuildFailed, UsageError, collect
from blogsite.output import cache
from blogsite.output.staging import Staging, check_destination, remove_stale
from blogsite.site.urls import slugify

if TYPE_CHECKING:  # imported where used: see build()
    from jinja2 import Environment

    from blogsite.output.postcache import PostCache
    from blogsite.render.pages import Plan
    from blogsite.site.collate import Selection
    from blogsite.site.model import Post, Site


@dataclass(frozen=True)
class Options:
    root: Path = Path(".")
    output: Path | None = None  # default: the output_dir setting, under root
    drafts: bool = False
    future: bool = False
    strict: bool = False
    base_url: str | None = None
    cache: bool = True  # read and write .blogsite-cache/ under root
    jobs: int | None = None  # processes for big builds; default: every core


@dataclass(frozen=True)
class Result:
    posts: int
    files: tuple[str, ...]  # output paths
    output: Path
    drafts_left_out: int
    future_left_out: int
    warnings: tuple[BlogsiteError, ...]
    seconds: float
    reused: bool = False  # nothing had changed: the output folder was left as it was


def now() -> datetime:
    """The clock, or SOURCE_DATE_EPOCH when set; used only to hold back future posts."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            seconds = int(epoch)
        except ValueError as e:
            raise UsageError(f"SOURCE_DATE_EPOCH must be whole seconds, not {epoch!r}") from e
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (ValueError, OverflowError, OSError) as e:
            problem = f"SOURCE_DATE_EPOCH {epoch} is not a time this computer can hold"
            raise UsageError(problem) from e
    return datetime.now(UTC)


def parse_all(
    sources: Iterable[tuple[Path, bytes]],
    config: SiteConfig,
    progress: Callable[[int], object] | None = None,
    posts_cache: PostCache | None = None,
    workers: int = 1,
    meanwhile: Callable[[], object] | None = None,
    pages: Iterable[Path] = (),
) -> list[Post]:
    """Parse every post (the cached ones from the cache), gathering every file's errors.
    meanwhile: called once, while workers parse if there are any (workers.parse_posts).
    pages: the sources that are standalone pages."""
    from blogsite.workers import parse_posts

    sources = list(sources)
    keys = [posts_cache.key(path, data) for path, data in sources] if posts_cache else []
    found: list[Post | None] = (
        [posts_cache.get(key) for key in keys] if posts_cache else [None] * len(sources)
    )
    todo = [i for i, post in enumerate(found) if post is None]
    if progress and len(todo) < len(sources):
        progress(len(sources) - len(todo))
    parsed = parse_posts(
        [sources[i] for i in todo],
        config,
        workers=workers,
        encode=posts_cache is not None,
        progress=progress,
        meanwhile=meanwhile,
        pages=frozenset(pages),
    )
    errors: list[BlogsiteError] = []
    for i, outcome in zip(todo, parsed, strict=True):
        found[i] = outcome.post
        errors.extend(outcome.errors)
        if posts_cache is not None and outcome.text is not None:
            posts_cache.put(keys[i], outcome.text)
    if posts_cache is not None:
        posts_cache.save()  # also when some posts failed: the others need not be parsed again
    collect(errors)
    return [post for post in found if post is not None]


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
    try:  # once: a symlinked output folder is built, and swapped, where it points
        output = output.resolve()
    except (OSError, RuntimeError) as e:  # RuntimeError: a symlink loop
        raise UsageError(f"cannot use {output} as the output folder: {e}") from e
    inputs = [
        root / config.posts_dir,
        root / PAGES_DIR,
        root / "templates",
        root / "static",
        root / cache.CACHE_DIR,
    ]
    check_destination(output, root, inputs, cache.OutputRecords(root / cache.CACHE_DIR).made)
    if not (root / config.posts_dir).is_dir():
        raise _no_posts_folder(root, config)
    return Loaded(config, output, discover(root, config))


def _no_posts_folder(root: Path, config: SiteConfig) -> BlogsiteError:
    """Building no posts would replace the site with an empty one, when most likely posts_dir
    is mistyped or the command was run in the wrong folder."""
    folder = root / config.posts_dir
    what = "is not a folder" if folder.exists() else "does not exist"
    setting = where_set(root, "posts_dir")
    if setting is not None:
        return BlogsiteError(f"posts_dir: the folder {config.posts_dir} {what}", *setting)
    return BlogsiteError(
        f'the posts folder {what}; blogsite new "Title" starts it with a first post', folder
    )


def make_site(
    loaded: Loaded,
    options: Options,
    progress: Callable[[int], object] | None = None,
    posts_cache: PostCache | None = None,
    when: datetime | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[Site, Selection]:
    from blogsite.site.collate import collate, select
    from blogsite.workers import cores

    workers = options.jobs or cores()
    posts = parse_all(
        loaded.sources.posts,
        loaded.config,
        progress,
        posts_cache,
        workers,
        meanwhile,
        loaded.sources.pages,
    )
    chosen = select(posts, drafts=options.drafts, future=options.future, now=when or now())
    return collate(chosen.posts, loaded.config, loaded.sources.static), chosen


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run Python's cycle collector less often, as mypy does in its builds. A build makes
    millions of objects, which their reference counts free; the collector's passes over them,
    one every 700 new objects, took 3-4% of a cold build's time."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


@fewer_collections()
def build(options: Options, progress: Callable[[int], object] | None = None) -> Result:
    started = time.perf_counter()
    loaded = load(options)
    remove_stale(loaded.output)
    when = now()
    folder = options.root / cache.CACHE_DIR
    records = cache.OutputRecords(folder)
    environment = key = ""
    if options.cache:
        environment = cache.environment_key(loaded.config)
        key = cache.inputs_key(
            environment, loaded.sources, options.drafts, options.future, str(loaded.output)
        )
        record = records.reusable(loaded.output, key, when.timestamp())
        if record is not None:  # the same inputs made the output folder, untouched since
            warnings = record.warning_errors()
            if options.strict and warnings:
                raise BuildFailed(warnings)
            return Result(
                record.posts,
                record.files,
                loaded.output,
                record.drafts,
                record.future,
                warnings,
                time.perf_counter() - started,
                reused=True,
            )
    # Imported only now, like workers in parse_all: a build that finds its output up to date
    # needs neither Jinja2, feedgen, lxml nor Markdown, and importing them was a third of its
    # time; nor the model and the post cache (their frozen dataclasses took 5-9 ms to make).
    from blogsite.output.postcache import PostCache
    from blogsite.workers import PlanRecipe, cores, render_into

    posts_cache = PostCache(folder, environment) if options.cache else None
    prepared: list[Environment] = []

    def prepare_rendering() -> None:
        """While the workers parse: import the rendering side and compile the templates in
        this process, once, for the render workers it forks later to inherit."""
        from blogsite.render.pages import compile_templates, make_environment

        env = make_environment(loaded.sources.template_dirs, loaded.config)
        env.auto_reload = False  # no template changes during a build: skip a stat per page
        compile_templates(env)
        prepared.append(env)

    site, chosen = make_site(loaded, options, progress, posts_cache, when, prepare_rendering)
    todo = make_plan(site, prepared[0], loaded.sources, options.root)
    staging = Staging(loaded.output)
    try:
        recipe = PlanRecipe(site, loaded.sources, loaded.config, options.root)
        failed, written = render_into(
            todo, staging.put, workers=options.jobs or cores(), recipe=recipe
        )
        collect([*todo.errors, *failed])
        if options.strict and todo.warnings:
            raise BuildFailed(todo.warnings)
        searched = search_index(staging.new, site, loaded.output, folder if options.cache else None)
        staging.commit()
    except BaseException:
        staging.abort()
        raise
    if options.cache:
        records.save(
            loaded.output,
            key,
            cache.window((p.date for p in chosen.posts), chosen.next_future, options.future),
            (len(site.posts), chosen.drafts, chosen.future),
            [*todo.jobs, *searched],
            todo.warnings,
            cache.written_state(
                loaded.output,
                [*zip(todo.jobs, written, strict=True), *((p, None) for p in searched)],
            ),
        )
    # Not under --strict: the site is built; only the next build may be slower.
    problems = [*records.problems, *(posts_cache.problems if posts_cache else [])]
    cache_problems = {str(e): e for e in problems}  # both caches' folder may be the trouble
    return Result(
        len(site.posts),
        (*todo.jobs, *searched),
        loaded.output,
        chosen.drafts,
        chosen.future,
        (*todo.warnings, *cache_problems.values()),
        time.perf_counter() - started,
    )


def make_plan(site: Site, env: Environment, sources: Sources, root: Path) -> Plan:
    """Every output file as a job; workers.PlanRecipe makes the same in a spawned worker."""
    from blogsite.render.pages import plan

    todo = plan(site, env, root)
    add_attachments(todo, site, sources)
    return todo


def add_attachments(todo: Plan, site: Site, sources: Sources) -> None:
    """The posts' own files, next to their pages, and an error for each that is missing."""
    from blogsite.content.attachments import attachments

    found, errors = attachments(site.posts, sources.beside_posts, dict(sources.posts))
    for attachment in found:
        todo.add(attachment.path, partial(bytes, attachment.data), attachment.source)
    todo.errors.extend(errors)


def search_index(new: Path, site: Site, old: Path, cache_folder: Path | None) -> list[str]:
    """Index the new site's posts for its search page (output/search.py), after they are
    written and before the site is swapped in; the output paths of the index's files."""
    if not site.config.search:
        return []
    from blogsite.output.search import index

    posts = [post.path for post in site.posts]
    return index(new, posts, site.config.language, old, cache_folder)


FILE_SLUG_LENGTH = 80  # a post's file name stays far below the 255 bytes file systems allow


def new_post(root: Path, title: str) -> Path:
    """Start a post dated now in the site's zone; never overwrites a file."""
    from blogsite.content.posts import (  # here: a build reusing its output needs neither
        CONTROL,
        NONCHARACTER,
    )

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
        with path.open("x", encoding="utf-8", newline="\n") as f:  # LF on Windows too
            f.write(
                f"---\ntitle: {quoted}\ndate: {when.isoformat()}\nlabels: []\n"
                "draft: true\n---\n\nWrite the post here. Remove draft: true to publish.\n"
            )
    except FileExistsError as e:
        raise UsageError(f"{path} already exists; not overwriting it") from e
    return path
