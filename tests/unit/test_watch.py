"""What the watcher makes of paths and of each editor's burst of events."""

from __future__ import annotations

import errno
from pathlib import Path, PurePath

import pytest
from watchdog.events import (
    DirCreatedEvent,
    DirModifiedEvent,
    FileClosedEvent,
    FileClosedNoWriteEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
    FileSystemEvent,
)

from blogsite.serve import watch
from blogsite.serve.watch import (
    SETTLE,
    Change,
    ChangeKind,
    Pending,
    Watcher,
    WatchUnavailable,
    classify,
    interpret,
)

ROOT = PurePath("/home/author/blog")
POST, TEMPLATE, STATIC, CONFIG, IGNORED = (
    ChangeKind.POST,
    ChangeKind.TEMPLATE,
    ChangeKind.STATIC,
    ChangeKind.CONFIG,
    ChangeKind.IGNORED,
)

CASES = [
    # (path relative to the site, expected kind)
    ("posts/2011-02-03-where-next.md", POST),
    ("posts/2011/old-one.markdown", POST),
    ("posts/SHOUTING.MD", POST),
    ("posts/notes.txt", IGNORED),  # discovery reads only Markdown from posts/
    ("templates/post.html", TEMPLATE),
    ("templates/partials/footer.html", TEMPLATE),
    ("static/css/style.css", STATIC),
    ("static/images/logo.png", STATIC),
    ("pyproject.toml", CONFIG),
    # vim: the 4913 probe, swap files, the ~ backup of write-new-and-rename
    ("posts/4913", IGNORED),
    ("templates/4913", IGNORED),
    ("posts/.where-next.md.swp", IGNORED),
    ("posts/.where-next.md.swx", IGNORED),
    ("templates/.post.html.swp", IGNORED),
    ("posts/where-next.md~", IGNORED),
    ("static/css/style.css~", IGNORED),
    ("pyproject.toml~", IGNORED),
    (".pyproject.toml.swp", IGNORED),
    # gedit and VS Code style atomic saves: a temporary file, then a move
    ("posts/.goutputstream-X1Y2Z3", IGNORED),
    ("templates/.goutputstream-ABCDEF", IGNORED),
    ("posts/where-next.md.tmp", IGNORED),
    ("static/css/style.css.tmp", IGNORED),
    # emacs: auto-save #name# and the .#name lock
    ("posts/#where-next.md#", IGNORED),
    ("posts/.#where-next.md", IGNORED),
    ("templates/#post.html#", IGNORED),
    ("templates/.#post.html", IGNORED),
    # hidden files and folders, the cache, version control
    ("posts/.hidden.md", IGNORED),
    ("posts/.drafts/idea.md", IGNORED),
    (".blogsite-cache/posts.pickle", IGNORED),
    (".git/index", IGNORED),
    (".git/objects/ab/cdef", IGNORED),
    # the output folder, whatever is written there
    ("_site/index.html", IGNORED),
    ("_site/2011/02/where-next.html", IGNORED),
    ("_site/posts/looks-like-a-post.md", IGNORED),
    ("_site/pyproject.toml", IGNORED),
    # standalone pages: every page's header lists them
    ("pages/about.html", ChangeKind.PAGE),
    ("pages/contact.md", ChangeKind.PAGE),
    ("pages/notes.txt", IGNORED),
    ("pages/.about.html.swp", IGNORED),
    # elsewhere in the site, and outside it
    ("README.md", IGNORED),
    ("build.py", IGNORED),
    ("other/pyproject.toml", IGNORED),
    ("posts/../_site/index.html", IGNORED),
    ("../elsewhere/posts/a.md", IGNORED),
]


@pytest.mark.parametrize(("relative", "kind"), CASES)
def test_classify(relative: str, kind: ChangeKind) -> None:
    assert classify(ROOT / relative, ROOT, PurePath("_site")) is kind


@pytest.mark.parametrize(
    ("relative", "is_dir", "kind"),
    [
        ("posts", True, POST),  # a folder of posts made, removed or moved
        ("posts/2011", True, POST),
        ("posts/.archive", True, IGNORED),
        ("templates", True, TEMPLATE),
        ("static/css", True, STATIC),
        ("_site/2011", True, IGNORED),
        ("pyproject.toml", True, IGNORED),
    ],
)
def test_classify_folders(relative: str, is_dir: bool, kind: ChangeKind) -> None:
    assert classify(ROOT / relative, ROOT, PurePath("_site"), is_dir=is_dir) is kind


def test_classify_follows_the_settings_for_folders() -> None:
    def kind(relative: str) -> ChangeKind:
        return classify(ROOT / relative, ROOT, PurePath("public"), posts_dir="content/posts")

    assert kind("content/posts/a.md") is POST
    assert kind("posts/a.md") is IGNORED
    assert kind("public/index.html") is IGNORED
    assert kind("_site/index.html") is IGNORED  # no longer the output folder, and not an input
    assert classify(ROOT / "posts/a.md", ROOT, ROOT / "out") is POST  # absolute output folder


def test_classify_agrees_with_discovery(tmp_path: Path) -> None:
    """A file the watcher ignores is one a build never reads, and the other way round."""
    from blogsite.config import SiteConfig
    from blogsite.content.sources import discover

    names = [rel for rel, _ in CASES if rel.startswith("posts/") and ".." not in rel]
    for name in names:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\ntitle: x\ndate: 2011-02-03\n---\n\nx\n", encoding="utf-8")
    read = {p.relative_to(tmp_path).as_posix() for p, _ in discover(tmp_path, SiteConfig()).posts}
    watched = {n for n in names if classify(tmp_path / n, tmp_path, PurePath("_site")) is POST}
    assert read == watched


# Bursts of events, as watchdog reports them (inotify), for one save of posts/a.md.
P = str(ROOT / "posts")
A = f"{P}/a.md"
BURSTS = {
    "vim (4913 probe, swap file, rename to ~ and write anew)": [
        FileModifiedEvent(f"{P}/.a.md.swp"),
        FileCreatedEvent(f"{P}/4913"),
        FileClosedEvent(f"{P}/4913"),
        FileDeletedEvent(f"{P}/4913"),
        FileMovedEvent(A, f"{A}~"),
        FileCreatedEvent(A),
        FileModifiedEvent(A),
        FileClosedEvent(A),
        FileDeletedEvent(f"{A}~"),
        FileModifiedEvent(f"{P}/.a.md.swp"),
    ],
    "gedit (.goutputstream temp file moved over the post)": [
        FileCreatedEvent(f"{P}/.goutputstream-Q1W2E3"),
        FileModifiedEvent(f"{P}/.goutputstream-Q1W2E3"),
        FileClosedEvent(f"{P}/.goutputstream-Q1W2E3"),
        FileMovedEvent(f"{P}/.goutputstream-Q1W2E3", A),
    ],
    "atomic save through a .tmp file": [
        FileCreatedEvent(f"{A}.tmp"),
        FileModifiedEvent(f"{A}.tmp"),
        FileClosedEvent(f"{A}.tmp"),
        FileMovedEvent(f"{A}.tmp", A),
    ],
    "emacs (lock, backup by rename, write, auto-save removed)": [
        FileCreatedEvent(f"{P}/.#a.md"),
        FileMovedEvent(A, f"{A}~"),
        FileCreatedEvent(A),
        FileModifiedEvent(A),
        FileClosedEvent(A),
        FileDeletedEvent(f"{P}/#a.md#"),
        FileDeletedEvent(f"{P}/.#a.md"),
    ],
    "in place (VS Code's default), with reads around it": [
        FileOpenedEvent(A),
        FileClosedNoWriteEvent(A),
        FileModifiedEvent(A),
        FileModifiedEvent(A),
        FileClosedEvent(A),
        DirModifiedEvent(P),
    ],
}


def kind_of(path: Path, is_dir: bool) -> ChangeKind:
    return classify(path, ROOT, PurePath("_site"), is_dir=is_dir)


def batches(events: list[FileSystemEvent], gap: float) -> list[frozenset[Change]]:
    """The batches the watcher hands on, with events `gap` seconds apart, checked at every
    moment an event arrives and then once the burst has had time to settle."""
    pending, out = Pending(), []
    now = 0.0
    for event in events:
        taken = pending.take(now)
        if taken is not None:
            out.append(taken)
        changes, wait = interpret(event, kind_of)
        pending.add(changes, wait, now)
        now += gap
    for later in (now, now + SETTLE, now + 10 * SETTLE):
        taken = pending.take(later)
        if taken is not None:
            out.append(taken)
    return out


@pytest.mark.parametrize("editor", BURSTS)
@pytest.mark.parametrize("gap", [0.0001, 0.005])
def test_each_save_is_one_batch(editor: str, gap: float) -> None:
    assert batches(BURSTS[editor], gap) == [frozenset({Change(POST, Path(A))})]


def test_noise_alone_is_no_batch() -> None:
    noise = [
        FileCreatedEvent(f"{P}/4913"),
        FileDeletedEvent(f"{P}/4913"),
        FileModifiedEvent(f"{P}/.a.md.swp"),
        FileCreatedEvent(str(ROOT / "_site/index.html")),
        FileClosedEvent(str(ROOT / "_site/index.html")),
        FileMovedEvent(str(ROOT / "_site/.new"), str(ROOT / "_site/2011/index.html")),
        FileOpenedEvent(A),
        FileClosedNoWriteEvent(A),
        FileModifiedEvent(str(ROOT / ".git/index")),
        DirModifiedEvent(P),
    ]
    assert batches(noise, 0.001) == []


def test_a_deleted_post_waits_in_case_it_is_written_again() -> None:
    changes, wait = interpret(FileDeletedEvent(A), kind_of)
    assert changes == {Change(POST, Path(A))}
    assert wait == SETTLE
    moved_away, wait = interpret(FileMovedEvent(A, str(ROOT / "elsewhere.md")), kind_of)
    assert moved_away == {Change(POST, Path(A))}
    assert wait == SETTLE


def test_a_renamed_post_changes_both_names() -> None:
    changes, _ = interpret(FileMovedEvent(A, f"{P}/b.md"), kind_of)
    assert changes == {Change(POST, Path(A)), Change(POST, Path(f"{P}/b.md"))}


def test_a_new_folder_of_posts_is_a_change() -> None:
    changes, _ = interpret(DirCreatedEvent(f"{P}/2012"), kind_of)
    assert changes == {Change(POST, Path(f"{P}/2012"))}


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "inotify watches"), (errno.EMFILE, "inotify instances")],
)
def test_out_of_inotify_watches_suggests_polling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    class Exhausted(watch.Observer):  # type: ignore[misc,valid-type]
        def start(self) -> None:
            raise OSError(code, "limit reached")

    monkeypatch.setattr(watch, "Observer", Exhausted)
    (tmp_path / "posts").mkdir()
    watcher = Watcher(tmp_path, lambda batch: None, lambda error: None)
    with pytest.raises(WatchUnavailable) as caught:
        watcher.start("posts", PurePath("_site"))
    assert words in str(caught.value)
    assert "blogsite serve --poll" in str(caught.value)
