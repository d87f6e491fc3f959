"""Fixtures of the report tests: a real SQLite store, and (browser tests) one Chromium for the session
plus a loopback HTTP server for the rendered files."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'ddkit.db'}"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


@pytest.fixture(scope="session")
def serve():
    """``serve(folder) -> base URL``: serve a folder on 127.0.0.1 for the rest of the session."""
    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(_Quiet, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")  # sync Playwright holds an event loop: never past its module
def browser():
    """One real Chromium (Debian's) for all report browser tests."""
    from playwright.sync_api import sync_playwright

    from a11y_audit.browser import LAUNCH_ARGS, find_chromium

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=find_chromium(), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()
