"""The pipeline: load -> parse -> collate -> plan -> render -> write, each stage a function
whose inputs and outputs have names. `build` runs them all; `serve` runs the same stages
(serve.devsite) with a store of parsed posts, keeping the output in memory."""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from blogsite.config import SiteConfig, load_config, where_set
from blogsite.content.parsing import ParsingPosts
from blogsite.content.sources import Sources, discover
from blogsite.errors import BlogsiteError, BuildFailed, UsageError, collect
from blogsite.output import cache
from blogsite.output.staging import Staging, check_destination, remove_stale

if TYPE_CHECKING:  # imported where used: see build()
    from jinja2 import Environment

    from blogsite.render.plan import Plan
    from blogsite.site.collate import Selection
    from blogsite.site.model import Post


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


@dataclass(frozen=True)
class Inputs:
    """What a site is made from: its settings and every input file."""

    config: SiteConfig
    sources: Sources


def settings(root: Path, base_url: str | None = None) -> SiteConfig:
    """The site's settings; base_url as given on the command line, if it was."""
    return load_config(root, {"base_url": base_url} if base_url is not None else None)


def load(root: Path, config: SiteConfig) -> Inputs:
    """The load stage: every input file, read."""
    if not (root / config.posts_dir).is_dir():
        raise _no_posts_folder(root, config)
    return Inputs(config, discover(root, config))


def output_folder(options: Options, config: SiteConfig) -> Path:
    """Where the build goes, once checked that replacing it destroys nothing else."""
    root = options.root
    output = options.output or root / config.output_dir
    try:  # once: a symlinked output folder is built, and swapped, where it points
        output = output.resolve()
    except (OSError, RuntimeError) as e:  # RuntimeError: a symlink loop
        raise UsageError(f"cannot use {output} as the output folder: {e}") from e
    inputs = [root / config.posts_dir, root / "templates", root / "static", root / cache.CACHE_DIR]
    check_destination(output, root, inputs)
    return output


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


def prepare_templates(
    inputs: Inputs, compiled: Path | None = None
) -> tuple[Environment, list[BlogsiteError]]:
    """The template stage: the environment with every template compiled, once, for the
    plans made from it (and the render workers a build forks) to share; and the errors of
    the templates that do not compile. A build leaves those to the pages that use them, which
    report them with their file and line; the dev server shows them at once. compiled: a
    place that keeps them compiled from one build to the next (Keys.templates)."""
    from blogsite.render.templates import compile_templates, make_environment

    env = make_environment(inputs.sources.template_dirs, inputs.config, compiled)
    return env, compile_templates(env)


def make_plan(
    posts: Iterable[Post], inputs: Inputs, env: Environment, root: Path, chosen: Choice
) -> tuple[Plan, Selection]:
    """The collate and plan stages: the posts chosen, ordered into the site, and every
    output of it as a job."""
    from blogsite.render.pages import plan
    from blogsite.site.collate import collate, select

    selection = select(posts, drafts=chosen.drafts, future=chosen.future, now=chosen.now)
    site = collate(selection.posts, inputs.config, inputs.sources.static)
    return plan(site, env, root), selection


@dataclass(frozen=True)
class Choice:
    """Which posts a site shows."""

    drafts: bool
    future: bool
    now: datetime


@dataclass(frozen=True)
class Keys:
    """The build cache's keys (output.cache): of the environment, and of every input."""

    environment: str
    inputs: str

    def templates(self, folder: Path) -> Path:
        """Where compiled templates of this environment are kept in the cache's folder, as the
        start of their file names; those of other environments (another version, other
        settings) are removed."""
        prefix = f"template-{self.environment[:24]}-"
        with contextlib.suppress(OSError):
            for other in os.scandir(folder):
                if other.name.startswith("template-") and not other.name.startswith(prefix):
                    os.unlink(other.path)
        return folder / prefix

    @classmethod
    def of(cls, inputs: Inputs, options: Options, output: Path) -> Keys:
        environment = cache.environment_key(inputs.config)
        return cls(
            environment,
            cache.inputs_key(
                environment, inputs.sources, options.drafts, options.future, str(output)
            ),
        )


def _reused(record: cache.Record, options: Options, output: Path, started: float) -> Result:
    """The result of a build that found its output up to date."""
    warnings = record.warning_errors()
    if options.strict and warnings:
        raise BuildFailed(warnings)
    return Result(
        record.posts,
        record.files,
        output,
        record.drafts,
        record.future,
        warnings,
        time.perf_counter() - started,
        reused=True,
    )


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
    """load -> parse -> collate -> plan -> render -> write, each stage a call."""
    started = time.perf_counter()
    config = settings(options.root, options.base_url)
    output = output_folder(options, config)
    inputs = load(options.root, config)
    remove_stale(output)
    choice = Choice(options.drafts, options.future, now())
    records = cache.OutputRecords(options.root / cache.CACHE_DIR)
    key = Keys.of(inputs, options, output) if options.cache else None
    last = records.read(output) if key else None  # what the last build made of what
    if key and records.reusable(last, output, key.inputs, choice.now.timestamp()):
        assert last is not None  # the same inputs made the output folder, untouched since
        return _reused(last, options, output, started)

    # Imported only now: a build that finds its output up to date needs neither Jinja2,
    # feedgen, lxml nor Markdown, and importing them was a third of its time; nor the model
    # and the post cache (their frozen dataclasses took 5-9 ms to make).
    from blogsite.output import reuse
    from blogsite.output.postcache import PostCache
    from blogsite.workers import cores, render_into

    workers = options.jobs or cores()
    store = PostCache(records.folder, key.environment) if key else None
    with ParsingPosts(
        inputs.sources.posts, inputs.config, store, workers=workers, progress=progress
    ) as parsing:
        # In this process, while the workers parse.
        env, _ = prepare_templates(inputs, key.templates(records.folder) if key else None)
        env.auto_reload = False  # no template changes during a build: skip a stat per page
        posts = parsing.result()
    todo, selection = make_plan(posts, inputs, env, options.root, choice)
    keys = {}  # what each output shows, to render only those whose inputs changed
    if store is not None and key:
        base = reuse.base_key(key.environment, inputs.sources.templates, selection.posts)
        keys = reuse.page_keys(todo, base, store.keys)
    staging = Staging(output)  # the new site, built beside the old
    try:
        kept = reuse.keep_unchanged(keys, last, staging)
        written = render_into(todo, staging.put, workers=workers, kept=kept)
        collect([*todo.errors, *written.errors])
        warnings = (*todo.warnings, *written.warnings)
        if options.strict and warnings:
            raise BuildFailed(warnings)
        staging.commit()  # the write stage: swapped in whole
    except BaseException:
        staging.abort()
        raise
    if key:
        records.save(
            output,
            key.inputs,
            cache.window((p.date for p in selection.posts), selection.next_future, options.future),
            (len(selection.posts), selection.drafts, selection.future),
            todo.jobs,
            warnings,
            cache.written_state(output, zip(todo.jobs, written.put, strict=True)),
            reuse.page_records(keys, written.by_path),
        )
    return Result(
        len(selection.posts),
        tuple(todo.jobs),
        output,
        selection.drafts,
        selection.future,
        warnings,
        time.perf_counter() - started,
    )
