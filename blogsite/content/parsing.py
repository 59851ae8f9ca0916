"""The parse stage: every post, those parsed before from a store, the others parsed on every
core (workers.Parsing)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from blogsite.config import SiteConfig
from blogsite.errors import BlogsiteError, collect

if TYPE_CHECKING:  # imported where used: a build that reuses its output needs neither
    from blogsite.content.markdown.converter import Converter
    from blogsite.site.model import Post


class PostStore(Protocol):
    """Posts parsed before, by file and bytes: the build cache's (output.postcache) or the
    dev server's memory (serve.devsite)."""

    encodes: bool  # whether keep() wants the post as cache JSON, made where it is parsed

    def find(self, path: Path, data: bytes) -> Post | None: ...
    def keep(self, path: Path, data: bytes, post: Post, text: bytes | None) -> None: ...
    def save(self) -> None: ...


class ParsingPosts:
    """The parse stage: every post, the stored ones from the store and the others parsed on
    every core, begun on entering; result() waits for them. In between this process is free
    (the build compiles its templates)."""

    def __init__(
        self,
        sources: Sequence[tuple[Path, bytes]],
        config: SiteConfig,
        store: PostStore | None = None,
        *,
        workers: int = 1,
        progress: Callable[[int], object] | None = None,
        converter: Converter | None = None,
    ):
        from blogsite.workers import Parsing

        self.sources, self.store = sources, store
        self.found: list[Post | None] = (
            [store.find(path, data) for path, data in sources] if store else [None] * len(sources)
        )
        self.todo = [i for i, post in enumerate(self.found) if post is None]
        if progress and len(self.todo) < len(sources):
            progress(len(sources) - len(self.todo))
        self.parsing = Parsing(
            [sources[i] for i in self.todo],
            config,
            workers=workers,
            encode=store is not None and store.encodes,
            progress=progress,
            converter=converter,
        )

    def __enter__(self) -> ParsingPosts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.parsing.__exit__(*exc)

    def result(self) -> list[Post]:
        """Every post, in source order; raises BuildFailed with every file's errors."""
        errors: list[BlogsiteError] = []
        found, store = self.found, self.store
        for i, outcome in zip(self.todo, self.parsing.result(), strict=True):
            found[i] = outcome.post
            errors.extend(outcome.errors)
            if store is not None and outcome.post is not None:
                store.keep(*self.sources[i], outcome.post, outcome.text)
        if store is not None:
            store.save()  # also when some posts failed: the others need not be parsed again
        collect(errors)
        return [post for post in found if post is not None]
