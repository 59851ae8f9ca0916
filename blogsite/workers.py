"""Spread parsing and rendering over the machine's cores, when there is enough work to pay.

Both stages give the same results, errors and warnings, in the same order, as one process
does: workers get slices of the same list and their results are put back in list order.
Workers are forked, so they start at once and share the parent's settings, converter and
plan; where fork is not available everything runs in this process.
"""

from __future__ import annotations

import copyreg
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from blogsite.config import SiteConfig
from blogsite.content.markdown.converter import Converter
from blogsite.content.posts import parse_post
from blogsite.errors import BlogsiteError, BuildFailed
from blogsite.output.postcache import encode_post
from blogsite.site.model import Post

if TYPE_CHECKING:  # not imported before the parse workers fork: see pipeline.build
    from blogsite.render.plan import Plan


# Posts carry their extra front matter as a read-only mapping, which pickle refuses; results
# come back from workers pickled, so give it a plain form. Nothing else pickles these.
def _read_only(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


copyreg.pickle(MappingProxyType, lambda m: (_read_only, (dict(m),)))

# Below these, starting processes and moving results between them costs more than it saves.
MIN_POSTS = 200
MIN_PAGES = 200
SHARE_PARTS = 2  # a slice is 1/SHARE_PARTS of a worker's share of the work left
MIN_SLICE = 8  # items: below this, a message costs more than the work it carries
MAX_SLICE = 250  # items: more would make big messages, and a long wait for the first


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_UNFREEZE = False


def _fork_pool(workers: int) -> ProcessPoolExecutor | None:
    # macOS has fork, but system libraries there may crash in a forked child.
    if sys.platform == "darwin" or "fork" not in multiprocessing.get_all_start_methods():
        return None
    # Frozen objects are left alone by the collector, so children do not copy every page of
    # the parent's memory by touching it. A caller that froze objects itself keeps them so.
    global _UNFREEZE
    _UNFREEZE = gc.get_freeze_count() == 0
    gc.freeze()
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_quiet_worker,
        initargs=(os.getpid(),),
    )


T = TypeVar("T")


def _submit(
    pool: ProcessPoolExecutor, fn: Callable[[range], T], spans: Iterable[range]
) -> list[Future[T]]:
    """Submit every slice; the pool forks its workers on the first.

    Ctrl-C or SIGTERM while it forks would leave workers that its shutdown never ends (and
    the build hanging at exit), so they are put off until the pool is whole, then stop the
    build as at any other time. Only the main thread is given signals' exceptions.
    """
    if threading.current_thread() is not threading.main_thread():
        return [pool.submit(fn, span) for span in spans]
    caught: list[int] = []
    held = (signal.SIGINT, signal.SIGTERM)
    handlers = [signal.signal(s, lambda signum, _: caught.append(signum)) for s in held]
    try:
        return [pool.submit(fn, span) for span in spans]
    finally:
        for s, handler in zip(held, handlers, strict=True):
            signal.signal(s, handler)
        for signum in caught:
            signal.raise_signal(signum)


def _close(pool: ProcessPoolExecutor) -> None:
    """Wait for the workers to end; on an error or Ctrl-C, drop the slices not yet started."""
    pool.shutdown(wait=True, cancel_futures=True)
    if _UNFREEZE:
        gc.unfreeze()


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _quiet_worker(parent: int) -> None:
    """Ctrl-C and SIGTERM are the parent's to handle: it stops the build and leaves the output
    folder. A parent killed outright cannot stop its workers, so on Linux they die with it;
    left running, they would write on into a staging folder nobody will use."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if sys.platform != "linux":
        return
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before prctl took effect
        os._exit(1)


def _slices(n: int, workers: int, keys: Sequence[Hashable] | None = None) -> list[range]:
    """Consecutive slices of range(n) that shrink with the work left (each half of a
    worker's share of it): few messages at first, and at the end slices so small that no
    worker waits long for another to finish its last one.

    keys: items next to each other with the same key share work (a sidebar), so they stay
    in one slice, unless it would be more than a worker's share of all the items.
    """
    spans, start = [], 0
    most = max(MAX_SLICE, -(-n // workers))
    while start < n:
        size = max(MIN_SLICE, min(MAX_SLICE, (n - start) // (workers * SHARE_PARTS)))
        end = min(start + size, n)
        while keys is not None and end < n and keys[end] == keys[end - 1] and end - start < most:
            end += 1
        spans.append(range(start, end))
        start = end
    return spans


def _errors_of(error: BlogsiteError) -> list[BlogsiteError]:
    return list(error.errors) if isinstance(error, BuildFailed) else [error]


# --- Parsing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parsed:
    """One source file's outcome: a post (with its cache text when it has one), or errors."""

    post: Post | None
    text: bytes | None  # the post as cache JSON, when caching and the post can be cached
    errors: list[BlogsiteError]


_PARSE: tuple[Sequence[tuple[Path, bytes]], SiteConfig, Converter, bool] | None = None


def _parse_one(
    path: Path, data: bytes, config: SiteConfig, converter: Converter, encode: bool
) -> Parsed:
    try:
        post = parse_post(path, data, config, converter)
    except BlogsiteError as e:
        return Parsed(None, None, _errors_of(e))
    return Parsed(post, encode_post(post) if encode else None, [])


def _parse_slice(span: range) -> list[Parsed]:
    assert _PARSE is not None
    items, config, converter, encode = _PARSE
    return [_parse_one(*items[i], config, converter, encode) for i in span]


class Parsing:
    """Every (path, bytes) being parsed, in order, on every core when there are enough: the
    workers start at once, and result() waits for them; meanwhile this process is free.
    Errors are returned, not raised. Use it as a context manager, which ends the workers."""

    def __init__(
        self,
        items: Sequence[tuple[Path, bytes]],
        config: SiteConfig,
        *,
        workers: int,
        encode: bool,
        progress: Callable[[int], object] | None = None,
        converter: Converter | None = None,
    ):
        global _PARSE
        self._items, self._config, self._encode, self._progress = items, config, encode, progress
        self._converter = converter or Converter(
            config.markdown_extensions, config.markdown_extension_configs
        )
        self._pool = _fork_pool(workers) if workers > 1 and len(items) > MIN_POSTS else None
        self._futures: list[Future[list[Parsed]]] = []
        if self._pool is not None:
            _PARSE = (items, config, self._converter, encode)
            self._futures = _submit(self._pool, _parse_slice, _slices(len(items), workers))

    def __enter__(self) -> Parsing:
        return self

    def __exit__(self, *exc: object) -> None:
        global _PARSE
        if self._pool is not None:
            _PARSE = None
            _close(self._pool)
            self._pool = None

    def result(self) -> list[Parsed]:
        results: list[Parsed] = []
        if self._pool is None:
            for path, data in self._items:
                results.append(_parse_one(path, data, self._config, self._converter, self._encode))
                if self._progress:
                    self._progress(1)
            return results
        for future in self._futures:
            results.extend(future.result())
            if self._progress:
                self._progress(len(future.result()))
        return results


# --- Rendering -----------------------------------------------------------------------------

_RENDER: tuple[list[str], Plan, Callable[[str, bytes], Any]] | None = None

# (errors, warnings, what put returned) of one page
Outcome = tuple[list[BlogsiteError], tuple[BlogsiteError, ...], Any]


def _render_one(path: str, todo: Plan, put: Callable[[str, bytes], Any]) -> Outcome:
    """Render one page into put."""
    try:
        data, warnings = todo.jobs[path]()
        return [], warnings, put(path, data)
    except BlogsiteError as e:
        return _errors_of(e), (), None


def _render_slice(span: range) -> list[Outcome]:
    assert _RENDER is not None
    paths, todo, put = _RENDER
    return [_render_one(paths[i], todo, put) for i in span]


@dataclass(frozen=True)
class Written:
    """What running a plan's jobs gave, in plan order."""

    errors: list[BlogsiteError]
    warnings: list[BlogsiteError]
    put: list[Any]  # what put returned for each job (None where the job failed or was kept)
    by_path: dict[str, tuple[BlogsiteError, ...]]  # the warnings of each output that gave any


def render_into(
    todo: Plan,
    put: Callable[[str, bytes], Any],
    *,
    workers: int,
    kept: Mapping[str, tuple[BlogsiteError, ...]] | None = None,
) -> Written:
    """Run every job of the plan into put, but those of the outputs kept from the last build
    (with the warnings they gave then).

    put must work from a forked child too (as output.Staging.put does: it writes files),
    and return something that pickles.
    """
    global _RENDER
    kept = kept or {}
    paths = [path for path in todo.jobs if path not in kept]
    pool = _fork_pool(workers) if workers > 1 and len(paths) > MIN_PAGES else None
    if pool is None:
        outcomes = [_render_one(path, todo, put) for path in paths]
    else:
        # Each period's pages together, periods in the order the plan first names them.
        keys = [todo.periods.get(path) for path in paths]
        first: dict[Hashable, int] = {}
        for i, key in enumerate(keys):
            first.setdefault(key, i)
        order = sorted(range(len(paths)), key=lambda i: first[keys[i]])
        _RENDER = ([paths[i] for i in order], todo, put)
        try:
            spans = _slices(len(paths), workers, [keys[i] for i in order])
            futures = _submit(pool, _render_slice, spans)
            grouped = [o for future in futures for o in future.result()]
        finally:
            _RENDER = None
            _close(pool)
        # Back in plan order: grouped[at] is the outcome of the plan's page order[at].
        outcomes = [grouped[at] for at in sorted(range(len(order)), key=order.__getitem__)]
    if kept:
        made = dict(zip(paths, outcomes, strict=True))
        outcomes = [made.get(path) or ([], kept[path], None) for path in todo.jobs]
    return Written(
        [e for errors, _, _ in outcomes for e in errors],
        [w for _, warnings, _ in outcomes for w in warnings],
        [o[2] for o in outcomes],
        {path: o[1] for path, o in zip(todo.jobs, outcomes, strict=True) if o[1]},
    )
