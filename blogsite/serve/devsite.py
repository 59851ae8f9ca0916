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

import jinja2

from blogsite.config import SiteConfig, load_config
from blogsite.content.markdown.converter import Converter
from blogsite.content.posts import parse_post
from blogsite.content.sources import (
    PAGES_DIR,
    POST_SUFFIXES,
    broken_link,
    discover,
    files,
    inside,
    unreadable,
)
from blogsite.errors import BlogsiteError, BuildFailed
from blogsite.output.search import previous_index
from blogsite.pipeline import now
from blogsite.render.pages import Job, make_environment, plan, template_error
from blogsite.serve.watch import Change, ChangeKind
from blogsite.site.collate import collate, select
from blogsite.site.model import Post
from blogsite.site.urls import SEARCH_INDEX

# A post file's bytes and what they parse to; None for bytes that could not be read, so the
# entry is never taken for that of a readable file.
Parsed = tuple[bytes | None, Post | list[BlogsiteError]]


def _errors(error: BlogsiteError) -> list[BlogsiteError]:
    return list(error.errors) if isinstance(error, BuildFailed) else [error]


@dataclass(frozen=True)
class Snapshot:
    """One generation of the site. Pages rendered from it are cached in it, so a change (which
    makes a new snapshot) drops them all at once."""

    generation: int
    jobs: dict[str, Job]  # empty when the site does not build
    errors: tuple[BlogsiteError, ...]
    cache: dict[str, bytes] = field(default_factory=dict)
    # The plan's warnings: jobs add theirs as they render (a post page's repeated ids).
    warnings: list[BlogsiteError] = field(default_factory=list)

    def has(self, path: str) -> bool:
        return path in self.jobs

    def render(self, path: str) -> tuple[bytes, list[BlogsiteError]]:
        """The page's bytes and the warnings rendering it gave (none once it is cached);
        raises BlogsiteError when its template fails."""
        data = self.cache.get(path)
        if data is not None:
            return data, []
        before = len(self.warnings)
        data = self.jobs[path]()
        self.cache[path] = data
        return data, self.warnings[before:]


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
    """Not thread-safe for writers: load() and apply() run on one thread (the watcher's).

    Readers take ``snapshot``, which is replaced whole, never changed.
    """

    def __init__(self, root: Path, *, base_url: str, drafts: bool = True, future: bool = True):
        self.root = root.absolute()
        self.base_url, self.drafts, self.future = base_url, drafts, future
        self.config: SiteConfig | None = None
        self.snapshot = Snapshot(0, {}, ())
        self._posts: dict[Path, Parsed] = {}
        # Whether the last load() read every input. Until one has, a change to posts alone
        # cannot be applied to what it read: the errors of the others would be lost with it.
        self._complete = False
        self.loads = 0  # how many times every input was read again: see DevServer.apply
        self._static: dict[str, bytes] = {}
        self._env: jinja2.Environment | None = None
        self._converter: Converter | None = None
        self._index: tuple[tuple[int, int] | None, dict[str, Job]] = (None, {})

    @property
    def post_files(self) -> int:
        return len(self._posts)

    @property
    def posts_dir(self) -> str:
        return (self.config or SiteConfig()).posts_dir

    @property
    def output_dir(self) -> str:
        return (self.config or SiteConfig()).output_dir

    def load(self, sources: Iterable[Path] = ()) -> Update:
        """Read everything again; only posts whose bytes changed are parsed again."""
        started = time.perf_counter()
        self.loads += 1
        try:
            config = load_config(self.root, {"base_url": self.base_url})
            if config != self.config or self._converter is None:
                self._posts.clear()
                self.config = config
                self._converter = Converter(
                    config.markdown_extensions, config.markdown_extension_configs
                )
        except BlogsiteError as e:
            self.config, self._complete = None, False
            return self._publish(started, sources, _errors(e), [], css=())
        try:
            found = discover(self.root, config)
        except BlogsiteError as e:  # unreadable, or gone while being read: its event follows
            self._complete = False
            return self._publish(started, sources, _errors(e), [], css=())
        self._complete = True
        known = self._posts
        self._posts = {path: self._parse(path, data, known) for path, data in found.posts}
        self._static = found.static
        self._env = make_environment(found.template_dirs, config)
        update = self._publish(started, sources, [], [], css=(), templates=True)
        if not update.errors:
            update = self._probe(update)
        return update

    def apply(self, changes: Iterable[Change]) -> Update:
        """Take in one batch of changes from the watcher."""
        started = time.perf_counter()
        changes = set(changes)
        sources = tuple(sorted({c.path for c in changes}))
        kinds = {c.kind for c in changes}
        if kinds == {ChangeKind.POST} and self._complete:
            if not self._reread({c.path for c in changes}):
                return Update(self.snapshot.generation, False, (), sources, (), (), 0.0)
            return self._publish(started, sources, [], [], css=())
        before, broken = self._static, bool(self.snapshot.errors)
        update = self.load(sources)
        css = tuple(
            path
            for path in sorted(set(before) | set(self._static))
            if before.get(path) != self._static.get(path)
        )
        # Not while the browsers show the error page: it has no stylesheets, so it must reload.
        only_css = css and all(p.endswith(".css") for p in css)
        if kinds == {ChangeKind.STATIC} and only_css and not broken:
            update = replace(update, css=css)
        return update

    def _parse(self, path: Path, data: bytes, known: dict[Path, Parsed]) -> Parsed:
        """The post from known when its bytes are the same, else parsed now."""
        if path in known and known[path][0] == data:
            return known[path]
        assert self.config is not None and self._converter is not None
        try:
            page = path.is_relative_to(self.root / PAGES_DIR)
            return data, parse_post(path, data, self.config, self._converter, page=page)
        except BlogsiteError as e:
            return data, _errors(e)

    def _reread(self, paths: set[Path]) -> bool:
        """Bring the changed posts (files or folders) up to date; False if nothing changed.

        _parse hands back the very same entry for unchanged bytes, hence the `is not`. A file
        or folder that cannot be read is kept as its error, as discover() reports it.
        """
        before = dict(self._posts)
        posts_root = self.root / self.posts_dir
        for path in paths:
            if self._posts.pop(path, None) is None:  # a folder, perhaps: forget what was in it
                folder = str(path) + os.sep
                for known in [p for p in self._posts if str(p).startswith(folder)]:
                    del self._posts[known]
            if path.is_dir():
                errors: list[BlogsiteError] = []
                found = files(path, self.root, errors)
                found = [p for p in found if p.suffix.lower() in POST_SUFFIXES]
                for error in errors:
                    assert error.path is not None
                    self._posts[error.path] = (None, [error])
            elif path.is_symlink() and (problem := broken_link(str(path))):
                found = []
                if path.is_relative_to(posts_root) and path.suffix.lower() in POST_SUFFIXES:
                    self._posts[path] = (None, [unreadable(path, problem)])
            else:
                found = [path] if path.is_file() and inside(path, self.root) else []
            for post in found:
                if post.is_relative_to(posts_root):
                    try:
                        self._posts[post] = self._parse(post, post.read_bytes(), before)
                    except FileNotFoundError:  # gone again already; its own event follows
                        continue
                    except OSError as e:
                        self._posts[post] = (None, [unreadable(post, e)])
        return self._posts.keys() != before.keys() or any(
            self._posts[p] is not before[p] for p in self._posts.keys() & before.keys()
        )

    def _check_templates(self) -> list[BlogsiteError]:
        """Compile every template now, so a syntax error shows on every page at once."""
        assert self._env is not None
        errors = []
        for name in self._env.list_templates(extensions=("html", "xml", "txt")):
            try:
                self._env.get_template(name)
            except jinja2.TemplateError as e:
                errors.append(template_error(e, name))
        return errors

    def _publish(
        self,
        started: float,
        sources: Iterable[Path],
        errors: list[BlogsiteError],
        problems: list[BlogsiteError],
        *,
        css: tuple[str, ...],
        templates: bool = False,
    ) -> Update:
        """Collate, plan and make the new snapshot; templates: compile them all first."""
        jobs: dict[str, Job] = {}
        warnings: list[BlogsiteError] = []
        for _, parsed in self._posts.values():
            if isinstance(parsed, list):
                errors.extend(parsed)
        if not errors and self.config is not None and self._env is not None:
            posts = [p for _, p in self._posts.values() if isinstance(p, Post)]
            try:
                chosen = select(posts, drafts=self.drafts, future=self.future, now=now())
                site = collate(chosen.posts, self.config, self._static)
                todo = plan(site, self._env, self.root)
            except BlogsiteError as e:
                errors.extend(_errors(e))
            else:
                errors.extend(todo.errors)
                if templates:  # after plan(), which gives the environment its filters
                    errors.extend(self._check_templates())
                problems.extend(todo.warnings)
                jobs, warnings = todo.jobs, todo.warnings
                if self.config.search:
                    jobs.update(self._search_index())
        errors = BuildFailed(errors).errors  # sorted by file and line
        snapshot = Snapshot(
            self.snapshot.generation + 1, {} if errors else jobs, tuple(errors), warnings=warnings
        )
        self.snapshot = snapshot
        return Update(
            snapshot.generation,
            True,
            css,
            tuple(sorted(set(sources))),
            snapshot.errors,
            tuple(problems),
            time.perf_counter() - started,
        )

    def _search_index(self) -> dict[str, Job]:
        """The last build's search index (output.search.previous_index), listed again only
        when a build has replaced it: a large blog's index is thousands of files."""
        folder = self.root / self.output_dir / SEARCH_INDEX
        try:
            st = folder.stat()
            key: tuple[int, int] | None = (st.st_ino, st.st_mtime_ns)
        except OSError:
            key = None
        if key is None or self._index[0] != key:
            self._index = (key, previous_index(self.root / self.output_dir))
        return self._index[1]

    def _probe(self, update: Update) -> Update:
        """Render the home page and one post, so a template's runtime error is reported
        when the template is saved, not only when a browser asks for a page that uses it."""
        snapshot, problems = self.snapshot, list(update.problems)
        names = ["index.html", *(p.path for _, p in self._posts.values() if isinstance(p, Post))]
        for path in [n for n in names if snapshot.has(n)][:2]:
            try:
                problems.extend(snapshot.render(path)[1])
            except BlogsiteError as e:
                problems.append(e)
        return replace(update, problems=tuple(problems))
