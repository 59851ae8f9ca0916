"""Parsed posts in the build cache (see cache): one file of tagged JSON, never pickle, so a
cache file from elsewhere cannot run code; a post that JSON cannot carry exactly is just not
cached. Kept apart from cache because only a build that parses posts needs it, and a build
that finds its output up to date imports neither it nor the model.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import math
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from blogsite.output.cache import FORMAT, digest_of, prepare, write_atomically
from blogsite.site.model import Comment, Post

# --- Posts as JSON -------------------------------------------------------------------------
# Every value is written with its exact type, so a cached post equals the parsed one. Any type
# not listed here (a str subclass, an unknown object, a fixed-offset zone with a name) makes
# the post uncacheable instead of subtly different.


class Unencodable(Exception):
    pass


DATACLASSES: dict[str, type] = {"Post": Post, "Comment": Comment}
FIELDS = {cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in DATACLASSES.values()}


def _encode(v: Any) -> Any:
    t = type(v)
    if v is None or t is bool or t is int or t is str:
        return v
    if t is float:
        if not math.isfinite(v):
            raise Unencodable(v)
        return v
    if t is tuple:
        return {"t": [_encode(x) for x in v]}
    if t is list:
        return {"l": [_encode(x) for x in v]}
    if t is dict or t is MappingProxyType:
        return {"d" if t is dict else "m": [[_encode(k), _encode(x)] for k, x in v.items()]}
    if t is set or t is frozenset:
        return {"s" if t is set else "fs": [_encode(x) for x in v]}
    if t is bytes:
        return {"b": base64.b64encode(v).decode("ascii")}
    if t is datetime:
        zone = v.tzinfo
        if zone is None:
            tz = None
        elif type(zone) is zoneinfo.ZoneInfo and zone.key and zoneinfo.ZoneInfo(zone.key) is zone:
            tz = zone.key
        elif zone is UTC:
            tz = "!UTC"
        else:
            raise Unencodable(zone)
        return {"dt": [v.replace(tzinfo=None).isoformat(), v.fold, tz]}
    if t is date:
        return {"da": v.isoformat()}
    if t is type(Path()):
        return {"p": str(v)}
    if t in FIELDS:
        return {"c": [t.__name__, {name: _encode(getattr(v, name)) for name in FIELDS[t]}]}
    raise Unencodable(t)


def _decode(v: Any) -> Any:
    if not isinstance(v, dict):
        return v
    ((tag, x),) = v.items()
    if tag == "t":
        return tuple(_decode(i) for i in x)
    if tag == "l":
        return [_decode(i) for i in x]
    if tag == "d":
        return {_decode(k): _decode(i) for k, i in x}
    if tag == "m":
        return MappingProxyType({_decode(k): _decode(i) for k, i in x})
    if tag == "s":
        return {_decode(i) for i in x}
    if tag == "fs":
        return frozenset(_decode(i) for i in x)
    if tag == "b":
        return base64.b64decode(x)
    if tag == "dt":
        text, fold, tz = x
        zone = None if tz is None else UTC if tz == "!UTC" else zoneinfo.ZoneInfo(tz)
        return datetime.fromisoformat(text).replace(tzinfo=zone, fold=fold)
    if tag == "da":
        return date.fromisoformat(x)
    if tag == "p":
        return Path(x)
    if tag == "c":
        name, values = x
        return DATACLASSES[name](**{k: _decode(i) for k, i in values.items()})
    raise ValueError(f"unknown tag {tag!r}")


def encode_post(post: Post) -> bytes | None:
    """The post as one line of JSON (ASCII), or None when that would not give back an equal
    post. Bytes: made in a worker, they reach the cache file unchanged.

    _encode takes each value by its exact type and gives every type a tag of its own, so
    decoding gives back equal values of the same types; anything else is Unencodable.
    """
    try:
        return json.dumps(_encode(post), separators=(",", ":"), allow_nan=False).encode("ascii")
    except (Unencodable, ValueError):  # ValueError: an int too long for json to write
        return None


def decode_post(text: str | bytes) -> Post:
    post = _decode(json.loads(text))
    if type(post) is not Post:
        raise ValueError("not a post")
    return post


class PostCache:
    """Parsed posts by (environment, path, bytes); one file, rewritten with only this build's
    posts, so entries for deleted or edited posts are dropped as soon as they are not used."""

    MAGIC = f"blogsite-posts {FORMAT}"
    encodes = True  # it keeps a post as its JSON, made where the post is parsed

    def __init__(self, folder: Path, environment: str):
        self.path = folder / "posts.jsonl"
        self.environment = environment
        self._old: dict[str, bytes] | None = None  # key -> its whole line in the file
        self._used: dict[str, bytes] = {}
        self.keys: dict[Path, str] = {}  # by file, the key of the bytes find() was given

    def find(self, path: Path, data: bytes) -> Post | None:
        """The post these bytes of this file parsed to, if cached (pipeline.PostStore)."""
        key = self.keys[path] = self.key(path, data)
        return self.get(key)

    def keep(self, path: Path, data: bytes, post: Post, text: bytes | None) -> None:
        """Keep a post just parsed, as found with find(path, data)."""
        if text is not None:
            self.put(self.keys[path], text)

    def key(self, path: Path, data: bytes) -> str:
        return digest_of(self.environment, str(path), data)

    def _load(self) -> dict[str, bytes]:
        """Every entry, read line by line (a big site's file is hundreds of MB); {} for a
        missing, foreign or damaged file. The last line is a checksum of the others."""
        entries: dict[str, bytes] = {}
        digest = hashlib.sha256()
        magic = self.MAGIC.encode()
        try:
            with self.path.open("rb") as f:
                for line in f:
                    if line.startswith(magic):
                        good = line == magic + f" {digest.hexdigest()}\n".encode()
                        return entries if good and not f.read(1) else {}
                    digest.update(line)
                    key, tab, _ = line.partition(b"\t")
                    if tab:
                        entries[key.decode("ascii", "replace")] = line
        except OSError:
            pass
        return {}  # no checksum line: the file was cut short

    def get(self, key: str) -> Post | None:
        if self._old is None:
            self._old = self._load()
        line = self._old.get(key)
        if line is None:
            return None
        try:
            post = decode_post(line[len(key) + 1 : -1])
        except (ValueError, TypeError, KeyError, AttributeError, zoneinfo.ZoneInfoNotFoundError):
            return None  # a damaged entry: parse the post again
        self._used[key] = line
        return post

    def put(self, key: str, text: bytes) -> None:
        self._used[key] = b"".join((key.encode("ascii"), b"\t", text, b"\n"))

    def save(self) -> None:
        """Write this build's entries, then let go of them (a big site's are hundreds of MB)."""
        used, old = self._used, self._old
        self._used, self._old = {}, None
        if old is not None and used.keys() == old.keys():
            return  # nothing new, nothing dropped
        digest = hashlib.sha256()

        def lines() -> Iterator[bytes]:  # one at a time
            for line in used.values():
                digest.update(line)
                yield line
            yield f"{self.MAGIC} {digest.hexdigest()}\n".encode()  # the last line checks the rest

        prepare(self.path.parent)
        write_atomically(self.path, lines())
