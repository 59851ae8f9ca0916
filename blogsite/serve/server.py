"""The dev server: serves the in-memory site over HTTP and tells open pages when to reload.

Only GET and HEAD. Every response comes from the site in memory (a path that is not one of the
site's output paths is a 404), so no request can read a file on disk; odd paths (``..``,
encoded slashes, ``//host``) are refused before they are looked up at all.

Against DNS rebinding (a web page whose own name is made to lead to this computer, which could
then read drafts), a request must name this server as its Host: an IP address, localhost or a
name under .localhost, the address it listens on, or this computer's name; any other is 403.
"""

from __future__ import annotations

import contextlib
import gc
import html
import ipaddress
import json
import mimetypes
import re
import socket
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from blogsite import system
from blogsite.errors import BlogsiteError
from blogsite.serve.devsite import DevSite, Snapshot, Update
from blogsite.serve.watch import SETTLE, Change
from blogsite.site.urls import NOT_FOUND_PATH

# Python's own table of types, not the system's: Windows' registry may call a script text/plain.
TYPES = mimetypes.MimeTypes()
PREFIX = "/__blogsite__/"
EVENTS = PREFIX + "events"
STATUS = PREFIX + "status"
KEEPALIVE = 15.0  # seconds between comments on an idle event stream, to notice closed tabs
TOLD_WITHIN = 1.0  # seconds a rebuild waits for the event streams before collecting

# Injected before </body> of every served page (never into `blogsite build` output). On a
# change the page reloads; when only stylesheets changed, their links are re-set with a
# cache-buster instead, so the page keeps its scroll position and state. "hello" on every
# (re)connect tells the page whether it missed a change while the server was away.
RELOAD_SCRIPT = """<script>
(function () {
  var generation = "%s";
  var events = new EventSource("%s");
  function changed(e) { return JSON.parse(e.data).generation !== generation; }
  events.addEventListener("hello", function (e) { if (changed(e)) location.reload(); });
  events.addEventListener("reload", function (e) { if (changed(e)) location.reload(); });
  events.addEventListener("css", function (e) {
    var message = JSON.parse(e.data);
    generation = message.generation;
    document.querySelectorAll('link[rel~="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      if (url.origin !== location.origin) return;
      url.searchParams.set("blogsite-reload", generation);
      link.href = url.href;
    });
  });
})();
</script>
"""


def reload_script(generation: int) -> str:
    return RELOAD_SCRIPT % (generation, EVENTS)


def inject(page: bytes, generation: int) -> bytes:
    """The page with the reload script before its last </body>, or at its end."""
    script = reload_script(generation).encode()
    end = page.lower().rfind(b"</body>")
    return page + script if end < 0 else page[:end] + script + page[end:]


def error_page(errors: Iterable[BlogsiteError], root: Path, generation: int) -> bytes:
    lines = "\n".join(html.escape(describe(e, root)) for e in errors)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>The site does not build</title>\n"
        "<style>body{font:1rem/1.5 sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}"
        "pre{white-space:pre-wrap;background:#fdecea;color:#611a15;padding:1rem}</style>\n"
        "</head>\n<body>\n<h1>The site does not build</h1>\n"
        f'<pre class="blogsite-errors">{lines}</pre>\n'
        "<p>Fix the file and save it: this page comes back by itself.</p>\n"
        f"{reload_script(generation)}</body>\n</html>\n"
    ).encode()


def describe(error: BlogsiteError, root: Path) -> str:
    """``path:line: message`` with the path relative to the site."""
    if error.path is not None and error.path.is_relative_to(root):
        return str(BlogsiteError(error.message, error.path.relative_to(root), error.line))
    return str(error)


ENCODED_SLASH = re.compile("%(2f|5c)", re.IGNORECASE)  # '/' or '\\' inside a segment


def host_allowed(header: str | None, own: frozenset[str]) -> bool:
    """Whether a request's Host header names this server (see the module's docstring).

    An IP address cannot be rebound, and localhost names lead only to this computer (RFC
    6761); a name is never looked up, as what a rebinding name leads to is the attacker's
    to choose. own: the address listened on and this computer's name, lowercase.
    """
    if header is None:  # HTTP/1.0 without Host: no browser sends that
        return True
    name = header.strip().lower()
    if name.startswith("["):  # [::1]:8000
        name = name[1 : name.find("]")] if "]" in name else ""
    elif name.count(":") == 1:
        name = name.partition(":")[0]
    name = name.rstrip(".")
    if not name:
        return False
    with contextlib.suppress(ValueError):
        ipaddress.ip_address(name)
        return True
    return name == "localhost" or name.endswith(".localhost") or name in own


@dataclass(frozen=True)
class Located:
    path: str | None = None  # the output path to serve
    redirect: str | None = None  # a path on this server, for a folder asked without its "/"


def locate(target: str, has: Callable[[str], bool]) -> Located:
    """Map a raw request target to one of the site's output paths, or to nothing (404).

    Refuses, rather than normalises, anything a careful client would not send: a target that is
    not a plain absolute path, "." or ".." segments, empty segments, backslashes and NULs, in
    raw or percent-encoded form.
    """
    raw = target.split("?", 1)[0].split("#", 1)[0]
    if not raw.startswith("/") or raw.startswith("//") or ENCODED_SLASH.search(raw):
        return Located()
    decoded = unquote(raw, errors="replace")
    segments = decoded[1:].split("/")
    if (
        "\\" in decoded
        or "\x00" in decoded
        or any(s in (".", "..") for s in segments)
        or any(not s for s in segments[:-1])
    ):
        return Located()
    rel = "/".join(segments)
    wanted = rel + "index.html" if not rel or rel.endswith("/") else rel
    if has(wanted):
        return Located(path=wanted)
    if rel and not rel.endswith("/") and has(rel + "/index.html"):
        return Located(redirect="/" + quote(rel) + "/")
    return Located()


class Hub:
    """Hands each change to every open event stream."""

    KEEP = 256  # events kept for streams that are behind; one further behind just reloads

    def __init__(self) -> None:
        lock = threading.Lock()
        self._wake = threading.Condition(lock)  # for the streams: an event to send
        self._told = threading.Condition(lock)  # for told(): a stream has sent its events
        self._sent: dict[int, int] = {}  # each open stream's thread -> position sent up to
        self._events: list[tuple[str, str]] = []
        self._first = 0  # the position of _events[0]
        self._generation = 0
        self._closed = False
        self.clients = 0  # open streams, shown in the status

    def publish(self, generation: int, name: str | None, data: dict[str, Any]) -> None:
        with self._wake:
            self._generation = generation
            if name is not None:
                self._events.append((name, json.dumps({"generation": str(generation), **data})))
                if len(self._events) > self.KEEP:
                    drop = len(self._events) - self.KEEP
                    del self._events[:drop]
                    self._first += drop
            self._wake.notify_all()

    def hello(self) -> tuple[str, int]:
        """The current generation's event and the position to wait from."""
        with self._wake:
            data = json.dumps({"generation": str(self._generation)})
            return data, self._first + len(self._events)

    def wait(self, position: int, timeout: float) -> tuple[list[tuple[str, str]], int] | None:
        """Events after position (none on timeout), and the new position; None once closed.
        The calling stream has sent every event before position."""
        with self._wake:
            self._sent[threading.get_ident()] = position
            self._told.notify_all()
            end = self._first + len(self._events)
            if position >= end and not self._closed:
                self._wake.wait(timeout)
            if self._closed:
                return None
            end = self._first + len(self._events)
            if position < self._first:
                data = json.dumps({"generation": str(self._generation)})
                return [("reload", data)], end
            return self._events[position - self._first :], end

    def told(self, timeout: float) -> bool:
        """Wait until every open stream has sent every event published so far; False if one
        has not within timeout."""
        with self._wake:
            end = self._first + len(self._events)
            return self._told.wait_for(
                lambda: all(sent >= end for sent in self._sent.values()), timeout
            )

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify_all()

    @contextlib.contextmanager
    def connected(self, position: int) -> Iterator[None]:
        """A stream is open; its hello tells the generation of position."""
        with self._wake:
            self.clients += 1
            self._sent[threading.get_ident()] = position
        try:
            yield
        finally:
            with self._wake:
                self.clients -= 1
                del self._sent[threading.get_ident()]
                self._told.notify_all()


WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "::1"}


def _keep(*, unfreeze: bool) -> None:
    """Collect what is not frozen, then freeze what is left (the site just made, mostly), so
    later collections walk only what is made after it; unfreeze: collect everything first."""
    if unfreeze:
        gc.unfreeze()
    gc.collect()
    gc.freeze()


class DevServer(ThreadingHTTPServer):
    """Binds at once (so the port and URL are known), then serves the site it holds."""

    daemon_threads = True  # an open event stream must not keep the process alive
    # socketserver listens with a backlog of 5: a page with many images, or a burst of tabs,
    # had connections refused and retried a second later. 128 is Linux's long-standing
    # SOMAXCONN (and what Python's own http.server test server asks for is the default).
    request_queue_size = 128
    allow_reuse_address = system.REUSE_ADDRESS

    def __init__(
        self,
        root: Path,
        host: str,
        port: int,
        *,
        drafts: bool,
        future: bool,
        on_problem: Callable[[BlogsiteError], None],
    ):
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), _Handler)
        self.host = host
        self.port = self.server_address[1]
        self.own_names = frozenset(n.lower().rstrip(".") for n in (host, socket.gethostname()))
        # A wildcard address listens on every interface but is no address to open: the pages'
        # own links and the message use this computer's loopback, as Hugo's server does.
        shown = WILDCARDS.get(host, host)
        self.url = f"http://{f'[{shown}]' if ':' in shown else shown}:{self.port}/"
        self.site = DevSite(root, base_url=self.url, drafts=drafts, future=future)
        self.hub = Hub()
        self.on_problem = on_problem
        self.rebuilds = 0
        self._reported: set[tuple[int, str]] = set()
        self._lock = threading.Lock()

    def load(self) -> Update:
        """The first build; errors do not stop the server."""
        update = self._published(self.site.load())
        _keep(unfreeze=False)
        return update

    def apply(self, batch: frozenset[Change]) -> Update:
        """Take in a batch of changes and tell the open pages.

        The collector waits until the pages have been told. What a rebuild makes is kept (the
        new site) or freed as soon as it is let go (the old site holds no reference loop), so
        collections during a rebuild found next to nothing, yet each walked every object made
        since the last freeze, several times a save: half of a save's time on 20,000 posts.
        """
        loads, collecting = self.site.loads, gc.isenabled()
        gc.disable()
        try:
            update = self.site.apply(batch)
            if update.changed:
                self.rebuilds += 1
            self._published(update)
            # The streams need the interpreter to send the event, which a collection holds.
            self.hub.told(TOLD_WITHIN)
        finally:
            if collecting:
                gc.enable()
        # A full load replaced the Jinja2 environment and perhaps the Markdown converter, which
        # are reference loops: frozen, they would never be freed.
        _keep(unfreeze=self.site.loads != loads)
        return update

    def _published(self, update: Update) -> Update:
        if update.changed:
            if update.css and not update.errors:
                self.hub.publish(update.generation, "css", {"paths": list(update.css)})
            else:
                self.hub.publish(update.generation, "reload", {})
        return update

    def problem(self, error: BlogsiteError, generation: int) -> None:
        """A page failed to render, or warned: report it once per change, not per request."""
        with self._lock:
            key = (generation, str(error))
            if key in self._reported:
                return
            self._reported.add(key)
        self.on_problem(error)

    def status(self) -> dict[str, Any]:
        snapshot = self.site.snapshot
        return {
            "generation": snapshot.generation,
            "rebuilds": self.rebuilds,
            "errors": [describe(e, self.site.root) for e in snapshot.errors],
            "settle_seconds": SETTLE,
            "clients": self.hub.clients,
        }

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away or stalled (a timeout) is no error of the server's."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)

    def close(self) -> None:
        self.hub.close()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: DevServer
    server_version = "blogsite"
    # Seconds a connection may stay silent (sending its request, or reading what is sent to
    # it) before it is closed: a silent one held its thread for ever.
    timeout = 10.0

    def parse_request(self) -> bool:
        """http.server's parsing, then the Host check, for every method."""
        if not super().parse_request():
            return False
        if not host_allowed(self.headers.get("Host"), self.server.own_names):
            self.close_connection = True
            self._send(
                403,
                b"This server answers only requests for its own address "
                b"(such as localhost or 127.0.0.1).\n",
                "text/plain",
                self.command != "HEAD",
            )
            return False
        return True

    def do_GET(self) -> None:
        self._respond(body=True)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def __getattr__(self, name: str) -> Any:
        # http.server answers a method without a do_ handler with 501; every method other than
        # GET and HEAD is refused with 405 instead, which names the ones allowed.
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: only the CLI prints, and request lines would bury the rebuild messages."""

    def _not_allowed(self) -> None:
        self._send(405, b"Only GET and HEAD are allowed.\n", "text/plain", True, Allow="GET, HEAD")

    def _target(self) -> str:
        """The target as the client sent it: http.server rewrites a leading '//'."""
        words = self.requestline.split()
        return words[1] if len(words) >= 2 else ""

    def _respond(self, body: bool) -> None:
        target = self._target()
        route = target.split("?", 1)[0]
        if route == EVENTS:
            return self._events(body)
        if route == STATUS:
            data = json.dumps(self.server.status()).encode()
            return self._send(200, data, "application/json", body)
        snapshot = self.server.site.snapshot
        if snapshot.errors:
            return self._error(snapshot, snapshot.errors, body)
        found = locate(target, snapshot.has) if not route.startswith(PREFIX) else Located()
        if found.redirect is not None:
            return self._send(302, b"", "text/plain", body, Location=found.redirect)
        status, path = (200, found.path) if found.path is not None else (404, NOT_FOUND_PATH)
        if not snapshot.has(path):
            return self._send(404, b"Not found.\n", "text/plain", body)
        try:
            data, warnings = snapshot.render(path)
        except BlogsiteError as e:
            self.server.problem(e, snapshot.generation)
            return self._error(snapshot, [e], body)
        for warning in warnings:  # the page is served all the same, as a build writes it
            self.server.problem(warning, snapshot.generation)
        kind = TYPES.guess_type(path)[0] or "application/octet-stream"
        if kind == "text/html":
            data = inject(data, snapshot.generation)
        self._send(status, data, kind, body)

    def _error(self, snapshot: Snapshot, errors: Iterable[BlogsiteError], body: bool) -> None:
        page = error_page(errors, self.server.site.root, snapshot.generation)
        self._send(500, page, "text/html", body)

    def _send(self, status: int, data: bytes, kind: str, body: bool, **headers: str) -> None:
        if kind.startswith("text/") or kind.endswith(("json", "xml", "javascript")):
            kind += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self, body: bool) -> None:
        """A Server-Sent Events stream: held open, one message per change."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not body:
            return
        hub = self.server.hub
        hello, position = hub.hello()
        chunk = f"retry: 1000\nevent: hello\ndata: {hello}\n\n"
        with hub.connected(position):
            while True:
                try:
                    self.wfile.write(chunk.encode())
                    self.wfile.flush()
                except OSError:  # the tab was closed
                    return
                waited = hub.wait(position, KEEPALIVE)
                if waited is None:
                    return
                events, position = waited
                chunk = "".join(f"event: {name}\ndata: {data}\n\n" for name, data in events)
                chunk = chunk or ": idle\n\n"
