"""The search index: Pagefind over the post pages, run on the new site before it is swapped in.

Pagefind indexes the element a page marks with `data-pagefind-body` (the theme marks a post's
article). Indexing a 2,000-post blog takes seconds, more than building it, so the index is
kept from one build to the next: it is keyed on a digest of exactly what Pagefind is given
(each post's marked element and its path, the language, Pagefind's version), and while that
is the same the previous site's index files are linked into the new site, as unchanged pages
are. Only the post pages are given to it, each cut down to its marked element: what readers
search, and a tenth of the bytes of the whole pages.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from blogsite.errors import BlogsiteError
from blogsite.output.cache import digest_of, installed_versions, prepare, write_atomically
from blogsite.site.urls import SEARCH_INDEX

FORMAT = "1"  # bump when what is given to Pagefind changes shape
RECORD = "search-index.json"  # in the cache folder: the digest and files of the last index
MARK = re.compile(rb"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?\sdata-pagefind-body\b[^>]*>")
# Pagefind's ready-made interfaces; the theme's search page uses its JavaScript API alone.
UNUSED = ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight")


def searchable(page: bytes) -> bytes:
    """The element of a page marked data-pagefind-body, or the whole page when none is (a
    site's own post.html without the mark: Pagefind then indexes its whole body)."""
    found = MARK.search(page)
    if found is None:
        return page
    tag = re.compile(rb"<(/?)" + re.escape(found.group(1)) + rb"\b", re.IGNORECASE)
    depth = 0
    for t in tag.finditer(page, found.start()):
        depth += -1 if t.group(1) else 1
        if depth == 0:
            return page[found.start() : page.find(b">", t.end()) + 1]
    return page[found.start() :]


def _document(language: str, element: bytes) -> bytes:
    head = f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8"><title></title>'
    return head.encode() + b"</head><body>" + element + b"</body></html>\n"


def _executable() -> Path:
    try:
        from pagefind_bin import get_executable

        return get_executable()
    except (ImportError, OSError) as e:
        raise BlogsiteError(
            f"search = true needs Pagefind ({e}): pip install 'pagefind[bin]', "
            "or set search = false",
            "pyproject.toml",
        ) from e


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _kept(record: Path, digest: str, old: Path, new: Path) -> list[str] | None:
    """Link the previous site's index into new when digest made it and it is intact."""
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("digest") != digest:
            return None
        files: dict[str, str] = data["files"]
        if any(_sha256(old / name) != sha for name, sha in files.items()):
            return None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    for name in files:
        (new / name).parent.mkdir(parents=True, exist_ok=True)
        _linked(old / name, new / name)
    return sorted(files)


def _run_pagefind(documents: dict[str, bytes], work: Path, output: Path) -> None:
    """Write the documents under work and run Pagefind over them into output."""
    executable = _executable()
    work.mkdir(parents=True, exist_ok=True)  # also for a blog with no posts yet
    for path, data in documents.items():
        (work / path).parent.mkdir(parents=True, exist_ok=True)
        (work / path).write_bytes(data)
    # Its own folder as the working one and none of its PAGEFIND_ variables: no pagefind.yml
    # or setting from elsewhere changes what it does.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    try:
        done = subprocess.run(
            [str(executable), "--site", ".", "--output-path", str(output.absolute()), "--quiet"],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            errors="replace",
        )
    except OSError as e:
        raise BlogsiteError(f"the search index could not be made: cannot run Pagefind: {e}") from e
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise BlogsiteError(f"the search index could not be made: Pagefind said {message}")
    for name in os.listdir(output):
        if name.startswith(UNUSED):
            os.unlink(output / name)


def _link_unchanged(files: Iterable[str], old: Path, new: Path) -> None:
    """Put the old site's file in place of each new one with the same bytes (most of them:
    Pagefind names its pieces by their content), so it keeps its mtime and inode as
    unchanged pages do and rsync-style deploys send only what changed."""
    for name in files:
        fresh, before = new / name, old / name
        try:
            if before.stat().st_size != fresh.stat().st_size:
                continue
            if before.read_bytes() == fresh.read_bytes():
                os.replace(_linked(before, fresh.with_name(f".{fresh.name}.old")), fresh)
        except OSError:
            continue


def _linked(source: Path, target: Path) -> Path:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:  # no hard links here
        shutil.copy2(source, target)
    return target


def index(
    site: Path, posts: Iterable[str], language: str, old: Path, cache: Path | None
) -> list[str]:
    """Index the post pages (output paths) of the new site folder `site` into its
    SEARCH_INDEX folder, or keep the old site's index when nothing searchable changed;
    return the output paths of the index's files. cache: the cache folder, None for none."""
    documents = {
        path: _document(language, searchable((site / path).read_bytes())) for path in posts
    }
    version = installed_versions().get("pagefind-bin", "?")
    digest = digest_of(
        FORMAT, version, *(part for p in sorted(documents) for part in (p, documents[p]))
    )
    new = site / SEARCH_INDEX
    if cache is not None and (cache.is_symlink() or (cache.exists() and not cache.is_dir())):
        cache = None  # not a folder of the site's: the build's other caches say so
    if not documents:  # Pagefind refuses to make an empty index: the search page finds none
        return []
    record = cache / RECORD if cache is not None else None
    files = _kept(record, digest, old / SEARCH_INDEX, new) if record is not None else None
    if files is None:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(new)  # what a failed keep linked
        work = site / ".search-pages"  # inside the new site: its lock and clean-up cover it
        try:
            _run_pagefind(documents, work, new)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        files = _files(new)
        _link_unchanged(files, old / SEARCH_INDEX, new)
        if cache is not None and record is not None:
            shas = {name: _sha256(new / name) for name in files}
            data = {"format": FORMAT, "digest": digest, "files": shas}
            # A cache that cannot be written is a warning, given by the output record's save
            # (cache.OutputRecords) for the same folder; the next build indexes again.
            with contextlib.suppress(OSError):
                prepare(cache)
                write_atomically(record, json.dumps(data).encode("utf-8"))
    return [f"{SEARCH_INDEX}/{name}" for name in files]


def previous_index(output: Path) -> dict[str, Callable[[], bytes]]:
    """The index of the site last built into the output folder, as jobs for the dev server,
    which never indexes: Pagefind would hold up the page a save reloads by seconds. Its
    search page answers from the last build (and says so when there is none)."""
    folder = output / SEARCH_INDEX
    if not folder.is_dir() or folder.is_symlink():
        return {}
    return {
        f"{SEARCH_INDEX}/{name}": partial(Path.read_bytes, folder / name)
        for name in _files(folder)
        if not (folder / name).is_symlink()
    }
