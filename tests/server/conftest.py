"""`blogsite serve` in a subprocess on a free port, and ways to wait on what it does.

Nothing here sleeps for a fixed time: every wait is for something to happen (a line printed, a
page changing, an event on the live-reload channel) with a deadline, or, to show that nothing
more happens, for the server's own settle window to pass without an event.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.conftest import FIXED_ENV, REPO, post, write_files

DEADLINE = 30.0  # seconds; generous, as the machine may be busy
# Ctrl-C as a console gives it. Windows can send a process only Ctrl-Break, and only to a
# process group of its own; blogsite stops on it as on Ctrl-C.
if sys.platform == "win32":
    CTRL_C = signal.CTRL_BREAK_EVENT
    NEW_GROUP: dict[str, Any] = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
else:
    CTRL_C = signal.SIGINT
    NEW_GROUP = {}
T = TypeVar("T")


def wait_until(check: Callable[[], T | None], what: str, timeout: float = DEADLINE) -> T:
    """Poll check until it returns something truthy; fail after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


class Response:
    def __init__(self, raw: bytes):
        head, _, self.body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {
            name.strip().lower(): value.strip()
            for name, _, value in (line.partition(":") for line in lines[1:])
        }

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class Events:
    """The live-reload channel, read as the page's EventSource reads it."""

    def __init__(self, host: str, port: int):
        self.sock = socket.create_connection((host, port), timeout=DEADLINE)
        self.sock.sendall(b"GET /__blogsite__/events HTTP/1.0\r\n\r\n")
        self.queue: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.hello = self.next()
        assert self.hello[0] == "hello"

    def _read(self) -> None:
        name = "message"
        with self.sock.makefile("rb") as stream:
            try:
                for raw in stream:
                    line = raw.decode().rstrip("\r\n")
                    if line.startswith("event: "):
                        name = line[len("event: ") :]
                    elif line.startswith("data: "):
                        self.queue.put((name, json.loads(line[len("data: ") :])))
                        name = "message"
            except OSError:
                return

    def next(self, timeout: float = DEADLINE) -> tuple[str, dict[str, Any]]:
        try:
            return self.queue.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("no event on the live-reload channel") from None

    def none_within(self, seconds: float) -> None:
        """Assert that no event arrives within seconds."""
        try:
            event = self.queue.get(timeout=seconds)
        except queue.Empty:
            return
        raise AssertionError(f"unexpected event {event}")

    def close(self) -> None:
        self.sock.close()


class Server:
    def __init__(
        self,
        site: Path,
        *args: str,
        prefix: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
    ):
        """prefix: a command to run the server under, such as setpriv; env: variables to add."""
        self.process = subprocess.Popen(
            [*prefix, sys.executable, "-m", "blogsite", "serve", "--port", "0", *args],
            cwd=site,
            env={**os.environ, **FIXED_ENV, "PYTHONPATH": str(REPO), **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            **NEW_GROUP,
        )
        self.lines: list[str] = []
        self._ended = False
        self._new_line = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        line = self.wait_for_line(r"Serving .* at http://")
        found = re.search(r"http://([\d.]+):(\d+)/", line)
        assert found, line
        self.url, self.host, self.port = found[0], found[1], int(found[2])
        self._streams: list[Events] = []

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self._new_line:
                self.lines.append(line.rstrip("\n"))
                self._new_line.notify_all()
        with self._new_line:
            self._ended = True
            self._new_line.notify_all()

    @property
    def output(self) -> str:
        return "\n".join(list(self.lines))

    def wait_for_line(self, pattern: str, timeout: float = DEADLINE) -> str:
        deadline = time.monotonic() + timeout
        with self._new_line:
            while True:
                for line in self.lines:
                    if re.search(pattern, line):
                        return line
                left = deadline - time.monotonic()
                if self._ended or left <= 0:
                    printed = "\n".join(self.lines)
                    raise AssertionError(f"no line matching {pattern!r}; printed:\n{printed}")
                self._new_line.wait(left)

    def request(self, method: str, target: str, host: str | None = None) -> Response:
        """A raw request: the target goes on the wire exactly as given."""
        with socket.create_connection((self.host, self.port), timeout=DEADLINE) as sock:
            sock.sendall(
                f"{method} {target} HTTP/1.0\r\nHost: {host or self.url[7:-1]}\r\n\r\n".encode()
            )
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return Response(b"".join(chunks))

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def status(self) -> dict[str, Any]:
        return json.loads(self.get("/__blogsite__/status").body)

    def events(self) -> Events:
        stream = Events(self.host, self.port)
        self._streams.append(stream)
        return stream

    def wait_for_page(self, path: str, check: Callable[[Response], bool], what: str) -> Response:
        def attempt() -> Response | None:
            response = self.get(path)
            return response if check(response) else None

        return wait_until(attempt, what)

    def settle(self, stream: Events) -> None:
        """Show that a save is over: no further event for three settle windows."""
        stream.none_within(3 * self.status()["settle_seconds"])

    def stop(self) -> int:
        for stream in self._streams:
            stream.close()
        if self.process.poll() is None:
            self.process.send_signal(CTRL_C)
            try:
                self.process.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@pytest.fixture
def serve() -> Iterator[Callable[..., Server]]:
    """serve(site, *args, prefix=()) starts the server; every one started is stopped
    afterwards."""
    started: list[Server] = []

    def start(site: Path, *args: str, prefix: Sequence[str] = ()) -> Server:
        server = Server(site, *args, prefix=prefix)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small blog whose settings name another address than the one it is served at."""
    return write_files(
        tmp_path / "site",
        {
            "pyproject.toml": (
                '[tool.blogsite]\ntitle = "Served blog"\n'
                'base_url = "https://blog.example.org/sub/"\n'
            ),
            "posts/2011-02-03-where-next.md": post(
                "Where next", "2011-02-03", "The first words.", labels="[Cuts]"
            ),
            "posts/2011-03-04-second.md": post(
                "Second thoughts", "2011-03-04", "Second words.", labels="[Localism]"
            ),
            "posts/2012-05-06-third.md": post("Third time", "2012-05-06", "Third words."),
        },
    )


WHERE_NEXT = "/2011/02/where-next.html"
