"""The dev server's in-memory site, without the HTTP server around it."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from blogsite.serve.devsite import DevSite
from blogsite.serve.watch import Change, ChangeKind
from blogsite.site.urls import ARCHIVE_PATH
from tests.conftest import post


@pytest.fixture
def no_collector() -> Iterator[None]:
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_a_save_leaves_no_loop_that_keeps_the_previous_site(
    tmp_path: Path, no_collector: None
) -> None:
    """A replaced site caught in a reference loop of its own waits for a full collection,
    which took 20-40 ms in the middle of every other save of a 2,000-post blog."""
    (tmp_path / "pyproject.toml").write_text('[tool.blogsite]\nbase_url = "https://e.org/"\n')
    source = tmp_path / "posts" / "2011-02-03-a.md"
    source.parent.mkdir()
    source.write_text(post("A", "2011-02-03"))
    site = DevSite(tmp_path, base_url="http://127.0.0.1:8000/")
    assert not site.load().errors
    source.write_text(post("A, once", "2011-02-03"))
    assert not site.apply([Change(ChangeKind.POST, source)]).errors
    # Jinja2 keeps an imported macro module, with the globals of its first use, for good.
    gc.collect()  # and what rendering leaves (Jinja2's own loops) is the collector's
    old = site.snapshot
    before = [weakref.ref(job) for job in old.jobs.values()]
    assert len(before) > 10

    source.write_text(post("A, twice", "2011-02-03"))
    update = site.apply([Change(ChangeKind.POST, source)])

    assert not update.errors and b"A, twice" in site.snapshot.render("2011/02/a.html")[0]
    del old
    assert [ref for ref in before if ref() is not None] == []


@pytest.fixture
def thawed() -> Iterator[None]:
    """The server freezes what it keeps (gc.freeze); this test process must not stay so."""
    try:
        yield
    finally:
        gc.unfreeze()


def test_a_long_session_keeps_no_more_than_its_site(tmp_path: Path, thawed: None) -> None:
    """What the server freezes is never collected, so it must not freeze garbage: a save's
    reference loops (Python-Markdown leaves one per post it converts), or a replaced Jinja2
    environment or Markdown converter, which are loops themselves."""
    from blogsite.serve.server import DevServer

    config = tmp_path / "pyproject.toml"
    source, template = tmp_path / "posts/2011-02-03-a.md", tmp_path / "templates/post.html"
    source.parent.mkdir()
    template.parent.mkdir()
    server = DevServer(tmp_path, "127.0.0.1", 0, drafts=True, future=True, on_problem=print)
    try:
        kept = []
        for n in range(6):
            config.write_text(f'[tool.blogsite]\nbase_url = "https://e.org/"\ntitle = "{n}"\n')
            template.write_text(f'{{% extends "base.html" %}}{{# {n} #}}')
            source.write_text(post("A", "2011-02-03", f"Words <b>{n}</b>."))
            if n == 0:
                assert not server.load().errors
            for kind, path in (
                (ChangeKind.POST, source),
                (ChangeKind.TEMPLATE, template),
                (ChangeKind.CONFIG, config),
            ):
                assert not server.apply(frozenset([Change(kind, path)])).errors
            server.site.snapshot.render("2011/02/a.html")
            server.apply(frozenset([Change(ChangeKind.POST, source)]))  # to freeze the render
            kept.append(gc.get_freeze_count())
    finally:
        server.server_close()
    assert len(set(kept[1:])) == 1, kept


def _every_page(site: DevSite) -> dict[str, bytes]:
    return {path: site.snapshot.render(path)[0] for path in sorted(site.snapshot.jobs)}


@pytest.mark.parametrize(
    ("old", "new", "kept"),
    [
        ("Four.", "Four, and more.", True),  # a body: the pages not showing the post are kept
        ("title: Fourth", "title: Fourth, retitled", False),  # a title is on every sidebar
    ],
)
def test_a_save_keeps_only_the_pages_it_cannot_change(
    tmp_path: Path, old: str, new: str, kept: bool
) -> None:
    from tests.conftest import write_files
    from tests.pipeline.test_incremental import SITE

    root = write_files(tmp_path / "site", SITE)
    site = DevSite(root, base_url="http://127.0.0.1:8000/")
    assert not site.load().errors
    _every_page(site)
    source = root / "posts/2011-02-10-fourth.md"
    source.write_text(source.read_text().replace(old, new))

    assert not site.apply([Change(ChangeKind.POST, source)]).errors

    assert (ARCHIVE_PATH in site.snapshot.cache) is kept
    assert "2011/02/fourth.html" not in site.snapshot.cache
    fresh = DevSite(root, base_url="http://127.0.0.1:8000/")
    assert not fresh.load().errors
    assert _every_page(site) == _every_page(fresh)
