"""The build cache in ``.blogsite-cache/``: parsed posts (their file: postcache), and a record
of the last output; and the keys of both.

Correctness comes first: a stale page is a bug. Every key covers everything that can change
what it stands for, and anything the cache cannot vouch for is simply rebuilt:

- The environment key: the Python version, every file of the blogsite package (code and
  theme), the versions of the libraries the build uses, the site's settings (all of them),
  the time-zone rules of its zone and the Markdown extensions in use.
- A parsed post is stored under (environment key, source path, source bytes): mtimes are
  never trusted. It is stored as tagged JSON, never pickle, so a cache file from elsewhere
  cannot run code; a post that JSON cannot carry exactly is just not cached.
- The output record says which inputs (the environment key, every input file's bytes, the
  options) made the current output folder, and the size, mtime, ctime and inode of every file
  in it. When the inputs are the same and the folder is untouched, the build reuses it.

Files are replaced atomically; an unreadable, corrupt or foreign file is ignored.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib.machinery
import importlib.util
import json
import math
import os
import re
import sys
import tempfile
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from blogsite import __version__
from blogsite.config import SiteConfig
from blogsite.errors import BlogsiteError

CACHE_DIR = ".blogsite-cache"
FORMAT = "1"  # bump when the layout of anything stored changes
PACKAGE = Path(__file__).parents[1]  # all of blogsite
# Libraries whose code can change a page (blogsite's own dependencies watchdog and tqdm cannot).
LIBRARIES = (
    "feedgen",
    "lxml",
    "markdown",
    "nh3",
    "pygments",
    "pyyaml",
    "jinja2",
    "markupsafe",
    "python-slugify",
    "text-unidecode",
    "tzdata",
)


def digest_of(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))  # length-prefixed: no two splits collide
        h.update(data)
    return h.hexdigest()


def _files_under(folder: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            yield Path(dirpath, name)


def _folder_digest(folder: Path) -> list[str]:
    return [digest_of(str(p.relative_to(folder)), p.read_bytes()) for p in _files_under(folder)]


def _normalised(project: str) -> str:
    return re.sub(r"[-_.]+", "-", project).lower()  # PEP 503: PyYAML, python_slugify


def installed_versions() -> dict[str, str]:
    """The version of each distribution installed on sys.path, by normalised name, as the
    names of their .dist-info (or .egg-info) folders give it; the first on sys.path wins, as
    for imports. importlib.metadata.version finds the same, but importing it took a tenth of
    a build that finds its output up to date."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # a zip file, a missing folder
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):  # egg-info: older installs
                project, _, rest = name.rpartition(".")[0].partition("-")
                found.setdefault(_normalised(project), rest.split("-")[0] or "?")
    return found


def _library_versions() -> list[str]:
    installed = installed_versions()
    return [f"{name}={installed.get(_normalised(name), 'absent')}" for name in LIBRARIES]


def has_libyaml() -> bool:
    """yaml.__with_libyaml__ (whether PyYAML parses with libyaml), found without importing
    PyYAML: that took a tenth of a build that finds its output up to date. It is whether
    PyYAML's compiled _yaml module is a file in its folder (its wheels build libyaml in)."""
    spec = importlib.util.find_spec("yaml")
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        with contextlib.suppress(OSError):
            if any(n.startswith("_yaml.") and n.endswith(suffixes) for n in os.listdir(folder)):
                return True
    return False


def ships_with_markdown(module: str) -> bool:
    """Whether markdown.extensions.MODULE is a file of the installed Python-Markdown, found
    without importing it: a build that finds its output up to date needs nothing of Markdown,
    and importing it was a tenth of such a build. (An extension shipped otherwise is keyed by
    its origin below: more than needed, never less.)"""
    spec = importlib.util.find_spec("markdown")
    folders = (spec.submodule_search_locations or []) if spec else []
    return any(os.path.isfile(os.path.join(f, "extensions", f"{module}.py")) for f in folders)


def _extension_origins(extensions: Sequence[str]) -> list[str]:
    """Where each Markdown extension that Markdown itself does not ship comes from."""
    found = []
    entry_points = None
    for name in extensions:
        module = name.split(":", 1)[0]
        if module.startswith("markdown.") or ("." not in module and ships_with_markdown(module)):
            continue  # covered by Markdown's version
        if "." not in module:
            if entry_points is None:
                import importlib.metadata  # only for an extension Markdown does not ship

                entry_points = {
                    ep.name: ep
                    for ep in importlib.metadata.entry_points(group="markdown.extensions")
                }
            ep = entry_points.get(module)
            if ep is not None:
                found.append(f"{name}={ep.value}@{ep.dist.version if ep.dist else '?'}")
                module = ep.module
        try:
            spec = importlib.util.find_spec(module.split(".")[0])
        except (ImportError, ValueError):
            spec = None
        found.append(f"{name}:{_module_digest(spec)}")
    return found


def _module_digest(spec: importlib.machinery.ModuleSpec | None) -> str:
    """The bytes of an extension's own code (every file of its package): a size and mtime
    would miss an edit that `cp -p` or `rsync -t` carried over with the old mtime."""
    if spec is None:
        return "unknown"
    if spec.submodule_search_locations:
        return digest_of(
            *(h for folder in spec.submodule_search_locations for h in _folder_digest(Path(folder)))
        )
    if spec.origin and os.path.isfile(spec.origin):
        return digest_of(spec.origin, Path(spec.origin).read_bytes())
    return "unknown"


def _zone_rules(key: str) -> bytes:
    """The compiled rules zoneinfo uses for key: a tzdata update can move a post's date."""
    for base in zoneinfo.TZPATH:
        path = Path(base, key)
        if path.is_file():
            return path.read_bytes()
    with contextlib.suppress(Exception):
        from importlib.resources import files

        return files("tzdata.zoneinfo").joinpath(key).read_bytes()
    return b"?"


def environment_key(config: SiteConfig) -> str:
    """Everything besides the input files that can change what a build makes."""
    settings = [f"{f.name}={getattr(config, f.name)!r}" for f in dataclasses.fields(config)]
    return digest_of(
        FORMAT,
        sys.version,
        __version__,
        *_folder_digest(PACKAGE),
        *_library_versions(),
        f"libyaml={has_libyaml()}",  # front matter's parser (frontmatter._FastLoader)
        *_extension_origins(config.markdown_extensions),
        *settings,
        _zone_rules(config.timezone),
    )


def _digest_value(value: Any) -> Iterator[bytes | str]:
    """The parts of a hash over input data: bytes, text, paths, containers.

    A folder is hashed by its name only: the sources carry the bytes of the files in it.
    """
    if isinstance(value, bytes):
        yield b"b"
        yield value
    elif isinstance(value, str):
        yield "s"
        yield value
    elif isinstance(value, Path):
        yield "p"
        yield str(value)
    elif isinstance(value, dict):
        yield f"d{len(value)}"
        for k, v in value.items():
            yield from _digest_value(k)
            yield from _digest_value(v)
    elif isinstance(value, tuple | list):
        yield f"t{len(value)}"
        for v in value:
            yield from _digest_value(v)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield f.name
            yield from _digest_value(getattr(value, f.name))
    elif value is None or isinstance(value, bool | int):
        yield repr(value)
    else:
        raise TypeError(f"cannot digest {type(value).__name__}")  # a new input needs a rule


def inputs_key(environment: str, *inputs: Any) -> str:
    """One key for the environment and every input (the sources, options, output folder)."""
    return digest_of(environment, *(part for value in inputs for part in _digest_value(value)))


# --- The files -----------------------------------------------------------------------------


def write_atomically(path: Path, data: bytes | Iterable[bytes]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.writelines([data] if isinstance(data, bytes) else data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def prepare(folder: Path) -> None:
    """Make the cache folder, marked as a cache for backup tools and ignored by git."""
    folder.mkdir(exist_ok=True)
    for name, text in (
        (".gitignore", "# Made by blogsite: its build cache, safe to delete.\n*\n"),
        ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n# blogsite build cache\n"),
    ):
        if not (folder / name).exists():
            write_atomically(folder / name, text.encode("utf-8"))


@dataclasses.dataclass(frozen=True)
class Record:
    """What the last build wrote into one output folder, and from which inputs."""

    key: str
    window: tuple[float, float]  # the build holds for a "now" in [start, end)
    posts: int
    drafts: int
    future: int
    files: tuple[str, ...]
    warnings: tuple[tuple[str, str | None, int | None], ...]
    state: tuple[tuple[str, int, int, int, int, int], ...]
    # output path -> the key of what it was made from (output.reuse), and its warnings
    pages: dict[str, tuple[str, list[tuple[str, str | None, int | None]]]] = dataclasses.field(
        default_factory=dict
    )

    def warning_errors(self) -> tuple[BlogsiteError, ...]:
        return tuple(BlogsiteError(m, p, line) for m, p, line in self.warnings)


State = tuple[tuple[str, int, int, int, int, int], ...]


def _entry(path: str, st: os.stat_result) -> tuple[str, int, int, int, int, int]:
    return (path, st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def folder_state(dest: Path) -> State:
    """(path, mode, size, mtime, ctime, inode) of every non-folder entry under dest.

    ctime cannot be set by any tool, so a file edited in place, even with its old size and
    mtime restored, no longer matches.
    """
    found: list[tuple[str, int, int, int, int, int]] = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/")
                else:
                    found.append(_entry(f"{prefix}{entry.name}", entry.stat(follow_symlinks=False)))

    walk(str(dest), "")
    return tuple(sorted(found))


def written_state(dest: Path, written: Iterable[tuple[str, os.stat_result | None]]) -> State:
    """folder_state(dest) of an output folder that holds just the files written, from the
    stat each had when it was written (output.Staging.put), instead of walking the folder.
    A file kept from the old site (None) is looked at again: its ctime changed when the
    old site was removed."""
    return tuple(sorted(_entry(path, st or os.lstat(dest / path)) for path, st in written))


class OutputRecords:
    """One record per output folder, named by a hash of its absolute path."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, dest: Path) -> Path:
        return self.folder / f"output-{digest_of(str(dest.absolute()))[:24]}.json"

    def read(self, dest: Path) -> Record | None:
        """The record of the last build into dest, if there is a sound one."""
        try:
            data = json.loads(self._path(dest).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return None
            return Record(
                key=data["key"],
                window=(float(data["window"][0]), float(data["window"][1])),
                posts=int(data["posts"]),
                drafts=int(data["drafts"]),
                future=int(data["future"]),
                files=tuple(data["files"]),
                warnings=tuple((m, p, line) for m, p, line in data["warnings"]),
                state=tuple(tuple(s) for s in data["state"]),  # type: ignore[misc]
                pages={
                    str(path): (str(key), [(m, p, line) for m, p, line in warnings])
                    for path, (key, warnings) in data.get("pages", {}).items()
                },
            )
        except (OSError, ValueError, TypeError, KeyError):
            return None

    @staticmethod
    def reusable(record: Record | None, dest: Path, key: str, now: float) -> Record | None:
        """The record (read(dest)) if key made dest, now is in its window and dest is
        untouched."""
        if record is None or record.key != key:
            return None
        if not record.window[0] <= now < record.window[1]:
            return None
        try:
            if folder_state(dest) != record.state:
                return None
        except OSError:
            return None
        return record

    def save(
        self,
        dest: Path,
        key: str,
        window: tuple[float, float],
        counts: tuple[int, int, int],
        files: Iterable[str],
        warnings: Iterable[BlogsiteError],
        state: State,  # folder_state(dest), or written_state
        pages: dict[str, tuple[str, Sequence[BlogsiteError]]] | None = None,
    ) -> None:
        data = {
            "format": FORMAT,
            "key": key,
            "window": [_finite(window[0]), _finite(window[1])],
            "posts": counts[0],
            "drafts": counts[1],
            "future": counts[2],
            "files": list(files),
            "warnings": [_warning(w) for w in warnings],
            "state": [list(s) for s in state],
            "pages": {
                path: [key, [_warning(w) for w in warnings]]
                for path, (key, warnings) in (pages or {}).items()
            },
        }
        prepare(self.folder)
        write_atomically(self._path(dest), json.dumps(data).encode("utf-8"))


def _warning(w: BlogsiteError) -> list[Any]:
    return [w.message, str(w.path) if w.path else None, w.line]


def _finite(x: float) -> float:
    return max(min(x, 1e300), -1e300)  # JSON has no infinity


def window(
    kept: Iterable[datetime], held_back: datetime | None, future: bool
) -> tuple[float, float]:
    """The span of "now" over which the same posts would be chosen (future ones held back)."""
    if future:
        return (-math.inf, math.inf)
    start = max((p.timestamp() for p in kept), default=-math.inf)
    return (start, held_back.timestamp() if held_back else math.inf)
