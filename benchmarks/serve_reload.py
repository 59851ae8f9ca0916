"""How soon an edit reaches an open page under `blogsite serve`.

measure_reload() starts the real server on a free port (watching with the real watcher), listens
on its live-reload channel as a page does, and times each save of a post until the reload signal
arrives. Run as a script it does so on a 2,000-post synthetic site and also times fetching the
edited page after the signal, which is what a browser does next, and reads the server's memory
(RSS) after each save, which must stay flat:

    python benchmarks/serve_reload.py [--posts N] [--edits N]
    python benchmarks/serve_reload.py --site DIR --edits 50   # a site made before, kept as found
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script from anywhere, using this checkout

from benchmarks.synthetic import make_site  # noqa: E402


class Served:
    """`blogsite serve --port 0` in a subprocess; its URL read from what it prints."""

    def __init__(self, site_root: Path, *extra: str, startup: float = 600):
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "blogsite", "serve", "--port", "0", *extra],
            cwd=site_root,
            env=env,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + startup
        while True:
            line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            found = re.search(r"(http://\S+/) ", line)
            if found:
                self.url = found[1]
                break
        parts = urlsplit(self.url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line)

    def get(self, path: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Events:
    """The live-reload channel, read as a page's EventSource reads it."""

    def __init__(self, served: Served):
        self.connection = http.client.HTTPConnection(served.host, served.port, timeout=60)
        self.connection.request("GET", "/__blogsite__/events")
        self.response = self.connection.getresponse()
        self.events: queue.Queue[tuple[float, str, dict]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.next(timeout=30, name="hello")

    def _read(self) -> None:
        name = "message"
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    name = line[len("event: ") :]
                elif line.startswith("data: "):
                    self.events.put((time.perf_counter(), name, json.loads(line[len("data: ") :])))
                    name = "message"
        except (OSError, ValueError):
            return

    def next(self, timeout: float, name: str | None = None) -> tuple[float, str, dict]:
        deadline = time.monotonic() + timeout
        while True:
            event = self.events.get(timeout=max(0.0, deadline - time.monotonic()))
            if name is None or event[1] == name:
                return event

    def close(self) -> None:
        self.connection.close()


def _newest_post(site_root: Path) -> Path:
    """The newest post (file names start with the date): it is on the home page too."""
    return sorted((site_root / "posts").glob("*.md"))[-1]


def _rss_mib(pid: int) -> float:
    """The process's resident memory now; NaN where there is no /proc to read it from."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan")
    lines = [line for line in status.splitlines() if line.startswith("VmRSS:")]
    return int(lines[0].split()[1]) / 1024 if lines else float("nan")


def _measure(
    site_root: Path, edits: int, rss: list[float] | None = None
) -> list[tuple[float, float]]:
    """(seconds to the reload signal, seconds until the edited post page was fetched); rss:
    filled with the server's RSS in MiB once it has started and after each save (Linux)."""
    from blogsite.config import load_config
    from blogsite.content.markdown.converter import Converter
    from blogsite.content.posts import parse_post

    post = _newest_post(site_root)
    original = post.read_text(encoding="utf-8")
    config = load_config(site_root)
    parsed = parse_post(post, original.encode(), config, Converter((), {}))
    figures = []
    served = Served(site_root)
    if rss is not None:
        rss.append(_rss_mib(served.process.pid))
    try:
        events = Events(served)
        try:
            for n in range(edits):
                marker = f"Edited for the benchmark, time {n}."
                started = time.perf_counter()
                post.write_text(f"{original}\n{marker}\n", encoding="utf-8")
                arrived, _, _ = events.next(timeout=60, name="reload")
                status, page = served.get("/" + parsed.path)
                fetched = time.perf_counter()
                if status != 200 or marker.encode() not in page:
                    raise RuntimeError(f"the edit did not show: HTTP {status}")
                figures.append((arrived - started, fetched - started))
                time.sleep(0.5)  # let the save settle, so each edit is timed on its own
                if rss is not None:
                    rss.append(_rss_mib(served.process.pid))
        finally:
            events.close()
    finally:
        served.stop()
        post.write_text(original, encoding="utf-8")
    return figures


def measure_reload(site_root: Path, edits: int = 5) -> list[float]:
    """Seconds from writing a post to the reload signal reaching a live-reload client."""
    return [signal for signal, _ in _measure(site_root, edits)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--site", type=Path, help="serve this site instead of making one")
    args = parser.parse_args()
    rss: list[float] = []
    if args.site:
        figures = _measure(args.site, args.edits, rss)
        args.posts = len(list((args.site / "posts").glob("*.md")))
    else:
        with tempfile.TemporaryDirectory() as folder:
            site = make_site(Path(folder) / "site", args.posts)
            figures = _measure(site, args.edits, rss)
    for label, values in (
        ("save -> reload signal", [s for s, _ in figures]),
        ("save -> edited page fetched", [p for _, p in figures]),
    ):
        ms = [v * 1000 for v in values]
        print(
            f"{args.posts} posts, {len(ms)} edits, {label}: median {statistics.median(ms):.1f} ms,"
            f" max {max(ms):.1f} ms ({', '.join(f'{v:.1f}' for v in ms)})"
        )
    print(
        f"server RSS: {rss[0]:.0f} MiB started, {rss[1]:.0f} after the first save,"
        f" {rss[-1]:.0f} after the last, {max(rss):.0f} at most"
    )


if __name__ == "__main__":
    main()
