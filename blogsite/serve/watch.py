"""What a changed file means for the site, and a watcher that turns each save into one batch.

Editors do not save by writing a file once: vim probes with ``4913``, renames the post to a
``~`` backup and writes a new file; gedit and VS Code write a hidden temporary file and move it
over the post. ``classify`` says which paths matter (one definition of a temporary file, shared
with discovery), and ``Pending`` waits until a burst is over before handing it on.
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePath

from watchdog.events import (
    DirAttribEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from blogsite.content.sources import PAGES_DIR, POST_SUFFIXES, ignored
from blogsite.errors import BlogsiteError


class ChangeKind(Enum):
    POST = "post"
    PAGE = "page"  # a standalone page: in every page's header and the sitemap, so all reload
    TEMPLATE = "template"
    STATIC = "static"
    CONFIG = "config"
    IGNORED = "ignored"


FOLDERS = (("templates", ChangeKind.TEMPLATE), ("static", ChangeKind.STATIC))
CONFIG_FILE = "pyproject.toml"


def _relative(path: PurePath, folder: PurePath) -> PurePath | None:
    return path.relative_to(folder) if path.is_relative_to(folder) else None


def classify(
    path: PurePath,
    site_root: PurePath,
    output_dir: PurePath,
    *,
    posts_dir: str = "posts",
    is_dir: bool = False,
) -> ChangeKind:
    """The kind of change a path is. Pure: looks at the names only, never at the disk.

    output_dir may be relative to site_root. A folder (is_dir) under posts/ counts as POST, as
    it may hold posts; a file there counts only if it is Markdown, as discovery reads no other.
    """
    root = PurePath(os.path.normpath(site_root))
    path = PurePath(os.path.normpath(root / path))
    if _relative(path, PurePath(os.path.normpath(root / output_dir))) is not None:
        return ChangeKind.IGNORED
    rel = _relative(path, root)
    if rel is None or not rel.parts or any(ignored(part) for part in rel.parts):
        return ChangeKind.IGNORED
    if rel == PurePath(CONFIG_FILE) and not is_dir:
        return ChangeKind.CONFIG
    if _relative(rel, PurePath(posts_dir)) is not None:
        markdown = rel.suffix.lower() in POST_SUFFIXES
        return ChangeKind.POST if is_dir or markdown else ChangeKind.IGNORED
    if _relative(rel, PurePath(PAGES_DIR)) is not None:
        return (
            ChangeKind.PAGE if is_dir or rel.suffix.lower() in POST_SUFFIXES else ChangeKind.IGNORED
        )
    for folder, kind in FOLDERS:
        if _relative(rel, PurePath(folder)) is not None:
            return kind
    return ChangeKind.IGNORED


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    path: Path


# How long to wait after an event for the rest of its burst. A file closed after writing, or
# moved into place, ends a save; a bare write may be followed by more writes; a deletion or a
# move away is, more often than not, an editor about to write the file anew (vim's backup
# rename), so it waits longest before a post is taken away.
AFTER_SAVE = 0.01
AFTER_WRITE = 0.1
AFTER_REMOVAL = 0.3
SETTLE = AFTER_REMOVAL  # the longest a burst can stay open after its last event

EVENTS = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    # Permissions: a file or folder that could not be read, or now can. Reading sends none.
    FileAttribEvent,
    DirAttribEvent,
]  # not opened/closed-without-writing: reading the posts must not look like a change


def interpret(
    event: FileSystemEvent, kind_of: Callable[[Path, bool], ChangeKind]
) -> tuple[set[Change], float]:
    """The changes an event makes and how long to wait for more; no changes if it is noise."""
    changes: set[Change] = set()
    if not isinstance(event, tuple(EVENTS)):  # opened, read: nothing was saved
        return changes, 0.0
    is_dir = event.is_directory
    source = Path(os.fsdecode(event.src_path))
    source_kind = kind_of(source, is_dir)
    if isinstance(event, FileMovedEvent | DirMovedEvent):
        dest = Path(os.fsdecode(event.dest_path))
        dest_kind = kind_of(dest, is_dir)
        if source_kind is not ChangeKind.IGNORED:
            changes.add(Change(source_kind, source))
        if dest_kind is not ChangeKind.IGNORED:
            changes.add(Change(dest_kind, dest))
            return changes, AFTER_WRITE if is_dir else AFTER_SAVE
        return changes, AFTER_REMOVAL
    if source_kind is ChangeKind.IGNORED:
        return changes, 0.0
    changes.add(Change(source_kind, source))
    if isinstance(event, FileDeletedEvent | DirDeletedEvent):
        return changes, AFTER_REMOVAL
    if isinstance(event, FileClosedEvent | FileAttribEvent | DirAttribEvent):
        return changes, AFTER_SAVE
    return changes, AFTER_WRITE


class Pending:
    """The changes of the burst in progress; due once its last event has waited long enough."""

    def __init__(self) -> None:
        self.changes: set[Change] = set()
        self.deadline: float | None = None

    def add(self, changes: Iterable[Change], wait: float, now: float) -> None:
        changes = set(changes)
        if changes:
            self.changes |= changes
            self.deadline = now + wait  # the latest event decides: it says what comes next

    def take(self, now: float) -> frozenset[Change] | None:
        if self.deadline is None or now < self.deadline:
            return None
        batch = frozenset(self.changes)
        self.changes, self.deadline = set(), None
        return batch


class WatchUnavailable(BlogsiteError):
    """The system will not tell us about changes; polling still works."""


def _unavailable(error: OSError) -> WatchUnavailable:
    reason = {
        errno.ENOSPC: "the system's limit on inotify watches is reached",
        errno.EMFILE: "the system's limit on inotify instances is reached",
    }.get(error.errno or 0, f"the file system gives no change events ({error.strerror or error})")
    return WatchUnavailable(
        f"cannot watch the site for changes: {reason}. Run 'blogsite serve --poll' to check "
        "for changes by polling instead (or raise fs.inotify.max_user_watches)."
    )


class Watcher:
    """Watches posts/, templates/, static/ and pyproject.toml; calls on_batch once per save.

    on_batch runs on the watcher's own thread, one batch at a time; events that arrive while it
    runs make up the next batch. A failure inside it goes to on_crash and watching goes on.
    """

    def __init__(
        self,
        root: Path,
        on_batch: Callable[[frozenset[Change]], None],
        on_crash: Callable[[BaseException], None],
        *,
        poll: bool = False,
        poll_interval: float = 0.25,
    ):
        self.root = root.absolute()
        self.on_batch, self.on_crash = on_batch, on_crash
        self.poll, self.poll_interval = poll, poll_interval
        self.posts_dir, self.output_dir = "posts", PurePath("_site")
        self._pending = Pending()
        self._wake = threading.Condition()
        self._stopped = False
        self._observer: BaseObserver | None = None
        self._watches: dict[str, ObservedWatch] = {}
        self._lock = threading.RLock()
        self._thread = threading.Thread(target=self._run, name="blogsite-rebuild", daemon=True)

    def start(self, posts_dir: str, output_dir: PurePath) -> None:
        """Raise WatchUnavailable (suggesting --poll) if the system cannot watch."""
        self.posts_dir, self.output_dir = posts_dir, output_dir
        observer = PollingObserver(timeout=self.poll_interval) if self.poll else Observer()
        self._observer = observer
        try:
            observer.schedule(_Handler(self), self.root, recursive=False, event_filter=EVENTS)
            self._sync_folders()
            observer.start()
        except OSError as e:
            observer.unschedule_all()
            raise _unavailable(e) from e
        self._thread.start()

    def retarget(self, posts_dir: str, output_dir: PurePath) -> None:
        """Follow a changed posts_dir or output_dir setting."""
        if (posts_dir, output_dir) != (self.posts_dir, self.output_dir):
            self.posts_dir, self.output_dir = posts_dir, output_dir
            self._sync_folders()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()
        if self._observer is not None and self._observer.is_alive():
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def kind_of(self, path: Path, is_dir: bool) -> ChangeKind:
        return classify(path, self.root, self.output_dir, posts_dir=self.posts_dir, is_dir=is_dir)

    def _sync_folders(self) -> None:
        """Watch each input folder that exists; a folder made or removed later is followed."""
        with self._lock:
            observer = self._observer
            assert observer is not None
            wanted = {self.posts_dir, *(name for name, _ in FOLDERS)}
            for name in list(self._watches):
                if name not in wanted or not (self.root / name).is_dir():
                    with contextlib.suppress(KeyError):  # its emitter may have gone already
                        observer.unschedule(self._watches[name])
                    del self._watches[name]
            for name in sorted(wanted - set(self._watches)):
                folder = self.root / name
                if folder.is_dir():
                    self._watches[name] = observer.schedule(
                        _Handler(self), folder, recursive=True, event_filter=EVENTS
                    )

    def event(self, event: FileSystemEvent) -> None:
        """Called on the observer's thread for every event."""
        changes, wait = interpret(event, self.kind_of)
        if event.is_directory and any(
            Path(os.fsdecode(p)).parent == self.root
            for p in (event.src_path, getattr(event, "dest_path", ""))
            if p
        ):
            try:
                self._sync_folders()
            except OSError as e:
                self.on_crash(_unavailable(e))
        if changes:
            with self._wake:
                self._pending.add(changes, wait, time.monotonic())
                self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._stopped:
                    batch = self._pending.take(time.monotonic())
                    if batch is not None:
                        break
                    deadline = self._pending.deadline
                    self._wake.wait(None if deadline is None else deadline - time.monotonic())
                if self._stopped or batch is None:
                    return
            try:
                self.on_batch(batch)
            except Exception as e:  # a bug must not end watching for the rest of the session
                self.on_crash(e)


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher):
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.watcher.event(event)
