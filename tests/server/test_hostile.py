"""The dev server against hostile pages and clients: DNS rebinding, encoded slashes, bursts of
connections and connections that never speak."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_blogsite
from tests.server.conftest import DEADLINE, WHERE_NEXT, Response


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:8000",
        "localhost.evil.example",
        "127.0.0.1.nip.io",
        "",
        "[::1",
    ],
)
def test_a_request_for_another_host_is_refused(site: Path, serve, host: str) -> None:
    """A rebinding page's requests name its own host: none of them may read the site."""
    server = serve(site)
    for target in (WHERE_NEXT, "/__blogsite__/status", "/__blogsite__/events", "/"):
        response = server.request("GET", target, host=host or " ")
        assert response.status == 403, target
        assert b"Where next" not in response.body and b"generation" not in response.body


@pytest.mark.parametrize(
    "host", ["localhost", "LOCALHOST.", "blog.localhost", "127.0.0.1", "[::1]", "10.1.2.3"]
)
def test_a_request_for_this_computer_is_answered(site: Path, serve, host: str) -> None:
    server = serve(site)
    response = server.request("GET", WHERE_NEXT, host=f"{host}:{server.port}")
    assert response.status == 200
    assert "Where next" in response.text


def test_this_computer_s_own_name_is_answered(site: Path, serve) -> None:
    server = serve(site, "--host", "0.0.0.0")
    response = server.request("GET", WHERE_NEXT, host=f"{socket.gethostname()}:{server.port}")
    assert response.status == 200


@pytest.mark.parametrize("target", ["/css%2fstyle.css", "/css%2Fstyle.css", "/css%5cstyle.css"])
def test_encoded_slashes_are_refused(site: Path, serve, target: str) -> None:
    server = serve(site)
    assert server.get("/css/style.css").status == 200
    assert server.request("GET", target).status == 404


def test_an_empty_host_is_a_usage_error(site: Path) -> None:
    result = run_blogsite("serve", "--host", "", "--port", "0", cwd=site, timeout=30)
    assert result.returncode == 2
    assert "--host: expected an address such as 127.0.0.1" in result.stderr


def test_silent_connections_are_closed_and_do_not_stop_others(site: Path, serve) -> None:
    server = serve(site)
    silent = [socket.create_connection((server.host, server.port)) for _ in range(50)]
    try:
        assert server.get(WHERE_NEXT).status == 200  # answered while they hold their threads
        for sock in silent:
            sock.settimeout(DEADLINE)
            assert sock.recv(1024) == b"", "the server closes a connection that never speaks"
    finally:
        for sock in silent:
            sock.close()
    assert "Traceback" not in server.output


def test_a_burst_of_requests_is_queued_not_refused(site: Path, serve) -> None:
    server = serve(site)
    if sys.platform == "linux":  # only Linux's ss shows the backlog; the burst runs everywhere
        listening = subprocess.run(
            ["ss", "-ltnH", f"sport = :{server.port}"], capture_output=True, text=True, check=True
        ).stdout.split()
        assert int(listening[2]) >= 128, f"the listen backlog: {listening}"
    burst = [socket.create_connection((server.host, server.port)) for _ in range(150)]
    try:
        for sock in burst:
            sock.sendall(f"GET / HTTP/1.0\r\nHost: {server.host}\r\n\r\n".encode())
        for sock in burst:
            sock.settimeout(DEADLINE)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
            assert Response(b"".join(chunks)).status == 200
    finally:
        for sock in burst:
            sock.close()
