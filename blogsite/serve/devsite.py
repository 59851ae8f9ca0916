"""The site as the dev server holds it: in memory, updated per change, rendered on request.

Like Hugo's server, nothing is written to disk. Parsed posts are kept by path and bytes, so a
save re-parses only the posts whose bytes changed; collating and planning the whole site again
is cheap, and pages are rendered only when a browser asks for them, then cached until the next
change.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from blogsite.config import SiteConfig
from blogsite.content.markdown.converter import Converter
from blogsite.content.parsing import ParsingPosts
from blogsite.content.sources import POST_SUFFIXES, broken_link, files, inside, unreadable
from blogsite.errors import BlogsiteError, BuildFailed
from blogsite.output.reuse import shape_of
from blogsite.pipeline import (
    Choice,
    Inputs,
    load,
    make_plan,
    now,
    prepare_templates,
    settings,
)
from blogsite.render.plan import Job, Plan
from blogsite.serve.watch import Change, ChangeKind
from blogsite.site.model import Post

if TYPE_CHECKING:
    from jinja2 import Environment


def _errors(error: BlogsiteError) -> list[BlogsiteError]:
    return list(error.errors) if isinstance(error, BuildFailed) else [error]


class ParsedPosts:
    """The posts parsed from each file's bytes, for the next run of the parse stage
    (pipeline.PostStore): a save parses again only the files whose bytes changed."""

    encodes = False

    def __init__(self) -> None:
        self._posts: dict[Path, tuple[bytes, Post]] = {}
        self._used: dict[Path, tuple[bytes, Post]] = {}
        self._before: dict[Path, Post] = {}  # the posts of files whose bytes changed
        # What the last run changed: (old, new) post of each file whose bytes changed, by the
        # old one's id; None when files came or went (as if everything changed).
        self.changed: dict[int, tuple[Post, Post]] | None = None

    def find(self, path: Path, data: bytes) -> Post | None:
        entry = self._posts.get(path)
        if entry is None or (entry[0] is not data and entry[0] != data):
            if entry is not None:
                self._before[path] = entry[1]
            return None
        self._used[path] = entry
        return entry[1]

    def keep(self, path: Path, data: bytes, post: Post, text: bytes | None) -> None:
        self._used[path] = (data, post)

    def save(self) -> None:
        self.changed = None
        if self._used.keys() == self._posts.keys():
            self.changed = {id(old): (old, self._used[p][1]) for p, old in self._before.items()}
        self._posts, self._used, self._before = self._used, {}, {}  # a deleted file's goes

    def any_post(self) -> Post | None:
        return next((post for _, post in self._posts.values()), None)


@dataclass(frozen=True)
class Snapshot:
    """One generation of the site. Pages rendered from it are cached in it, so a change (which
    makes a new snapshot) drops them all at once."""

    generation: int
    jobs: dict[str, Job]  # empty when the site does not build
    errors: tuple[BlogsiteError, ...]
    cache: dict[str, bytes] = field(default_factory=dict)

    def has(self, path: str) -> bool:
        return path in self.jobs

    def render(self, path: str) -> tuple[bytes, list[BlogsiteError]]:
        """The page's bytes and the warnings rendering it gave (none once it is cached);
        raises BlogsiteError when its template fails."""
        data = self.cache.get(path)
        if data is not None:
            return data, []
        data, warnings = self.jobs[path]()
        self.cache[path] = data
        return data, list(warnings)


@dataclass(frozen=True)
class Update:
    """What one batch of changes did, for the log line and the browsers."""

    generation: int
    changed: bool  # False when the files' bytes turned out the same: nothing to reload
    css: tuple[str, ...]  # output paths of stylesheets, when only stylesheets changed
    sources: tuple[Path, ...]  # the changed files
    errors: tuple[BlogsiteError, ...]  # the site does not build: every page shows these
    problems: tuple[BlogsiteError, ...]  # pages that fail to render; warnings
    seconds: float


class DevSite:
    """The pipeline's stages (blogsite.pipeline) run on each change, the output kept in memory.

    Not thread-safe for writers: load() and apply() run on one thread (the watcher's).
    Readers take ``snapshot``, which is replaced whole, never changed.
    """

    def __init__(self, root: Path, *, base_url: str, drafts: bool = True, future: bool = True):
        self.root = root.absolute()
        self.base_url, self.drafts, self.future = base_url, drafts, future
        self.config: SiteConfig | None = None
        self.snapshot = Snapshot(0, {}, ())
        self._inputs: Inputs | None = None  # None until a load reads every input
        # Each post file's bytes, or why it cannot be read; changes to posts alone update it.
        self._files: dict[Path, bytes | BlogsiteError] = {}
        self._store = ParsedPosts()
        self._converter: Converter | None = None
        self._env: Environment | None = None
        self._template_errors: list[BlogsiteError] = []
        self._shown: tuple[Post, ...] = ()  # the posts of the snapshot's site
        self.loads = 0  # how many times every input was read again: see DevServer.apply

    @property
    def post_files(self) -> int:
        return len(self._files)

    @property
    def posts_dir(self) -> str:
        return (self.config or SiteConfig()).posts_dir

    @property
    def output_dir(self) -> str:
        return (self.config or SiteConfig()).output_dir

    def load(self, sources: Iterable[Path] = ()) -> Update:
        """The load stage again: every input read; only posts whose bytes changed are parsed
        again."""
        started = time.perf_counter()
        self.loads += 1
        self._inputs = None  # until every input is read: a change to posts alone cannot
        try:  # be applied to what a failed load read, as the others' errors would be lost
            config = settings(self.root, self.base_url)
        except BlogsiteError as e:
            self.config = None
            return self._publish(started, sources, _errors(e))
        if config != self.config:
            self._store = ParsedPosts()
            self._converter = Converter(
                config.markdown_extensions, config.markdown_extension_configs
            )
            self.config = config
        try:
            inputs = load(self.root, config)
        except BlogsiteError as e:  # unreadable, or gone while being read: its event follows
            return self._publish(started, sources, _errors(e))
        self._inputs, self._files = inputs, dict(inputs.sources.posts)
        self._env, self._template_errors = prepare_templates(inputs)
        update = self._publish(started, sources, [])
        if not update.errors:
            update = self._probe(update)
        return update

    def apply(self, changes: Iterable[Change]) -> Update:
        """Take in one batch of changes from the watcher."""
        started = time.perf_counter()
        changes = set(changes)
        sources = tuple(sorted({c.path for c in changes}))
        kinds = {c.kind for c in changes}
        if kinds == {ChangeKind.POST} and self._inputs is not None:
            if not self._reread({c.path for c in changes}):
                return Update(self.snapshot.generation, False, (), sources, (), (), 0.0)
            return self._publish(started, sources, [], reuse=True)
        before = self._inputs.sources.static if self._inputs else {}
        broken = bool(self.snapshot.errors)
        update = self.load(sources)
        after = self._inputs.sources.static if self._inputs else {}
        css = tuple(
            path for path in sorted(set(before) | set(after)) if before.get(path) != after.get(path)
        )
        # Not while the browsers show the error page: it has no stylesheets, so it must reload.
        only_css = css and all(p.endswith(".css") for p in css)
        if kinds == {ChangeKind.STATIC} and only_css and not broken:
            update = replace(update, css=css)
        return update

    def _reread(self, paths: set[Path]) -> bool:
        """Bring the changed posts (files or folders) up to date; False if nothing changed.

        A file or folder that cannot be read is kept as its error, as discover() reports it.
        """
        before = dict(self._files)
        posts_root = self.root / self.posts_dir
        for path in paths:
            if self._files.pop(path, None) is None:  # a folder, perhaps: forget what was in it
                folder = str(path) + os.sep
                for known in [p for p in self._files if str(p).startswith(folder)]:
                    del self._files[known]
            if path.is_dir():
                errors: list[BlogsiteError] = []
                found = files(path, self.root, errors)
                found = [p for p in found if p.suffix.lower() in POST_SUFFIXES]
                for error in errors:
                    assert error.path is not None
                    self._files[error.path] = error
            elif path.is_symlink() and (problem := broken_link(str(path))):
                found = []
                if path.is_relative_to(posts_root) and path.suffix.lower() in POST_SUFFIXES:
                    self._files[path] = unreadable(path, problem)
            else:
                found = [path] if path.is_file() and inside(path, self.root) else []
            for post in found:
                if post.is_relative_to(posts_root):
                    try:
                        self._files[post] = post.read_bytes()
                    except FileNotFoundError:  # gone again already; its own event follows
                        continue
                    except OSError as e:
                        self._files[post] = unreadable(post, e)
        return self._files.keys() != before.keys() or any(
            _differ(self._files[p], before[p]) for p in self._files.keys() & before.keys()
        )

    def _publish(
        self,
        started: float,
        sources: Iterable[Path],
        errors: list[BlogsiteError],
        *,
        reuse: bool = False,
    ) -> Update:
        """The parse, collate and plan stages on what was read, as a new snapshot; reuse:
        only posts changed, so it keeps the pages rendered that show none of them."""
        jobs: dict[str, Job] = {}
        kept: dict[str, bytes] = {}
        problems: list[BlogsiteError] = []
        errors = [*errors, *(e for e in self._files.values() if isinstance(e, BlogsiteError))]
        if not errors and self._inputs is not None and self._env is not None:
            errors.extend(self._template_errors)
            readable = [(p, d) for p, d in self._files.items() if isinstance(d, bytes)]
            inputs = replace(
                self._inputs, sources=replace(self._inputs.sources, posts=tuple(readable))
            )
            choice = Choice(self.drafts, self.future, now())
            try:
                with ParsingPosts(
                    readable, inputs.config, self._store, converter=self._converter
                ) as parsing:
                    posts = parsing.result()
                todo, selection = make_plan(posts, inputs, self._env, self.root, choice)
            except BlogsiteError as e:
                errors.extend(_errors(e))
                self._shown = ()
            else:
                errors.extend(todo.errors)
                problems.extend(todo.warnings)
                jobs = todo.jobs
                if reuse:
                    kept = self._unchanged(todo, selection.posts)
                self._shown = selection.posts
        errors = BuildFailed(errors).errors  # sorted by file and line
        snapshot = Snapshot(
            self.snapshot.generation + 1, {} if errors else jobs, tuple(errors), kept
        )
        self.snapshot = snapshot
        return Update(
            snapshot.generation,
            True,
            (),
            tuple(sorted(set(sources))),
            snapshot.errors,
            tuple(problems),
            time.perf_counter() - started,
        )

    def _unchanged(self, todo: Plan, shown: tuple[Post, ...]) -> dict[str, bytes]:
        """The pages of the last snapshot that this plan would render the same: those that
        show none of the changed posts, when the site's shape (output.reuse) is the same."""
        old, changed = self.snapshot, self._store.changed
        if old.errors or changed is None or len(shown) != len(self._shown):
            return {}
        expected = {id(changed.get(id(post), (post, post))[1]) for post in self._shown}
        if expected != set(map(id, shown)):
            return {}  # another choice of posts
        if any(shape_of(a) != shape_of(b) for a, b in changed.values()):
            return {}
        new = {id(b) for _, b in changed.values()}
        return {
            path: data
            for path, data in old.cache.items()
            if path in todo.jobs and not any(id(p) in new for p in todo.shows.get(path, ()))
        }

    def _probe(self, update: Update) -> Update:
        """Render the home page and one post, so a template's runtime error is reported
        when the template is saved, not only when a browser asks for a page that uses it."""
        snapshot, problems = self.snapshot, list(update.problems)
        post = self._store.any_post()
        names = ["index.html", *([post.path] if post else [])]
        for path in [n for n in names if snapshot.has(n)]:
            try:
                problems.extend(snapshot.render(path)[1])
            except BlogsiteError as e:
                problems.append(e)
        return replace(update, problems=tuple(problems))


def _differ(a: bytes | BlogsiteError, b: bytes | BlogsiteError) -> bool:
    return a != b if isinstance(a, bytes) and isinstance(b, bytes) else str(a) != str(b)
