"""Check links to other sites: a few at a time, each with a time limit, and remember the
ones that worked for a week so a daily check does not knock on every site every day."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPException
from pathlib import Path

from blogsite.output.cache import prepare, write_atomically

AT_ONCE = 8  # requests in flight: enough to be quick, too few to look like an attack
KEEP_SECONDS = 7 * 24 * 3600  # a link that worked is not asked again for a week
CACHE_NAME = "external-links.json"
AGENT = "blogsite-check (link checker)"
# Servers that refuse HEAD often answer GET: ask again before calling the link broken.
TRY_GET = {403, 405, 501}


def _ask(url: str, method: str, timeout: float) -> int:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as answer:  # follows redirects
        return int(answer.status)


def problem(url: str, timeout: float) -> str | None:
    """Why url does not work, or None when it does."""
    try:
        try:
            _ask(url, "HEAD", timeout)
        except urllib.error.HTTPError as e:
            if e.code not in TRY_GET:
                raise
            _ask(url, "GET", timeout)
    except urllib.error.HTTPError as e:
        return f"HTTP {e.code} {e.reason}"
    except urllib.error.URLError as e:
        if isinstance(e.reason, TimeoutError | socket.timeout):
            return f"no answer in {timeout:g} s"
        return f"cannot connect: {e.reason}"
    except TimeoutError:
        return f"no answer in {timeout:g} s"
    except (HTTPException, OSError, ValueError) as e:
        return f"cannot fetch: {e}"
    return None


def _load(path: Path | None) -> dict[str, float]:
    if path is None:
        return {}
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {k: v for k, v in found.items() if isinstance(v, int | float)}


def check_links(addresses: Sequence[str], cache: Path | None, timeout: float) -> dict[str, str]:
    """The addresses that do not work, with why. cache: a folder to remember good ones in."""
    path = cache / CACHE_NAME if cache is not None else None
    worked = _load(path)
    now = time.time()
    todo = [a for a in addresses if now - worked.get(a, 0) > KEEP_SECONDS]
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        results = list(pool.map(lambda a: problem(a, timeout), todo))
    failed = {}
    for address, reason in zip(todo, results, strict=True):
        if reason is None:
            worked[address] = now
        else:
            failed[address] = reason
            worked.pop(address, None)
    if path is not None and todo:
        kept = {a: t for a, t in sorted(worked.items()) if now - t <= KEEP_SECONDS}
        try:
            prepare(path.parent)
            write_atomically(path, [json.dumps(kept, indent=0).encode() + b"\n"])
        except OSError:  # a cache that cannot be written only costs the next check time
            pass
    return failed
