"""--download-images: fetch the posts' pictures into static/ and point the posts at the
copies. A few at a time, each tried again after a failure, with a progress bar."""

from __future__ import annotations

import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote, urlsplit

from blogsite.errors import BlogsiteError
from blogsite.output.cache import write_atomically
from blogsite.site import urls

AT_ONCE = 4  # downloads in flight: polite to the old host, and enough to keep busy
TRIES = 3
TIMEOUT = 30  # seconds for each try
MAX_BYTES = 50 * 1024 * 1024  # one picture
FOLDER = "images"  # under static/, so at /images/ on the site


def local_path(src: str) -> str | None:
    """Where a picture is kept under static/: images/<host>/<its path>, or None for an
    address that would not make a safe file name."""
    parts = urlsplit(src)
    names = [unquote(p) for p in parts.path.split("/") if p]
    if not parts.hostname or not names:
        return None
    if any(urls.unsafe_slug(n) or n.startswith(".") for n in [parts.hostname, *names]):
        return None
    return "/".join([FOLDER, parts.hostname, *names])


def fetch(src: str) -> bytes:
    """The picture's bytes; an error after TRIES tries."""
    problem = ""
    for attempt in range(TRIES):
        if attempt:
            time.sleep(0.5 * 2**attempt)
        try:
            with urllib.request.urlopen(src, timeout=TIMEOUT) as response:
                data: bytes = response.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise BlogsiteError(f"{src}: more than {MAX_BYTES // 2**20} MB; not fetched")
            return data
        except urllib.error.HTTPError as e:
            problem = f"HTTP {e.code}"
            if e.code < 500 and e.code != 429:
                break  # not there: asking again will not help
        except (urllib.error.URLError, OSError) as e:
            problem = str(getattr(e, "reason", e))
    raise BlogsiteError(f"{src}: could not fetch it ({problem})")


def download_images(
    root: Path, files: dict[str, bytes], images: list[str], base_url: str
) -> tuple[dict[str, bytes], list[str]]:
    """Fetch every picture and point the files at the copies; returns the files and the
    pictures left where they were (those that failed are named on stderr)."""
    from tqdm import tqdm

    wanted = {src: path for src in images if (path := local_path(src))}
    link = urls.Urls(base_url)
    fetched: dict[str, str] = {}
    left = [src for src in images if src not in wanted]

    def one(src: str) -> tuple[str, bytes | BlogsiteError]:
        try:
            return src, fetch(src)
        except BlogsiteError as e:
            return src, e

    with (
        ThreadPoolExecutor(AT_ONCE) as pool,
        tqdm(total=len(wanted), desc="Pictures", unit="", file=sys.stderr) as bar,
    ):
        for src, result in pool.map(one, sorted(wanted)):
            bar.update(1)
            if isinstance(result, BlogsiteError):
                print(result, file=sys.stderr)
                left.append(src)
                continue
            target = root / "static" / wanted[src]
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, result)
            fetched[src] = link.url(wanted[src])
    for name, data in files.items():
        for src, new in fetched.items():
            data = data.replace(src.encode(), new.encode())
        files[name] = data
    return files, sorted(left)
