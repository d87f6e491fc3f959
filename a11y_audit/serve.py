"""Serve local files on 127.0.0.1 so a page's relative assets (CSS, images, scripts) load as on a site.

``ddkit audit page ./site/index.html`` and ``ddkit audit page ./site/`` use this, and tests reuse it:
a threaded :mod:`http.server` on port 0 (the OS picks a free port), one daemon thread, stopped by
leaving the ``with`` block. It never listens on another interface and never lists directories.
"""

from __future__ import annotations

import mimetypes
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

from a11y_audit.errors import AuditError

HTML_SUFFIXES = (".html", ".htm", ".xhtml")


class QuietHandler(SimpleHTTPRequestHandler):
    """Static files from ``directory``; no access log on stderr, no directory listings, UTF-8 text."""

    # Text files without a <meta charset> would otherwise be decoded as windows-1252.
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html; charset=utf-8",
        ".htm": "text/html; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".txt": "text/plain; charset=utf-8",
        ".vtt": "text/vtt; charset=utf-8",
        ".svg": "image/svg+xml",
        ".wav": "audio/wav",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def list_directory(self, path: str | os.PathLike[str]):  # type: ignore[override]
        self.send_error(404, "Not found")
        return None

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that stops reading (a navigation cancelled, a page closed) is normal here; the
        # stdlib would print a traceback on stderr for it.
        pass


@dataclass
class LocalServer:
    """A running server: ``url`` is ``http://127.0.0.1:<port>/``."""

    root: Path
    host: str
    port: int
    _httpd: ThreadingHTTPServer
    _thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def url_for(self, path: Path | str) -> str:
        """The URL of a file below ``root`` (given absolute or relative to ``root``)."""
        rel = Path(path)
        if rel.is_absolute():
            rel = rel.resolve().relative_to(self.root)
        return self.url + quote(rel.as_posix())

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def start_server(root: Path | str, handler: type[SimpleHTTPRequestHandler] = QuietHandler) -> LocalServer:
    """Start serving ``root`` on 127.0.0.1 and a free port; call ``stop()`` when done."""
    root_path = Path(root).resolve()
    if not root_path.is_dir():
        raise AuditError(f"{root} is not a folder.", hint="Give a folder or an HTML file to serve.")
    mimetypes.add_type("text/html", ".html")
    httpd = _QuietServer(("127.0.0.1", 0), partial(handler, directory=str(root_path)))
    thread = threading.Thread(target=httpd.serve_forever, name="ddkit-local-server", daemon=True)
    thread.start()
    host, port = httpd.server_address[:2]
    return LocalServer(root=root_path, host=str(host), port=int(port), _httpd=httpd, _thread=thread)


@contextmanager
def serve(root: Path | str, handler: type[SimpleHTTPRequestHandler] = QuietHandler) -> Iterator[LocalServer]:
    """``with serve(folder) as server: ... server.url_for("index.html")``."""
    server = start_server(root, handler)
    try:
        yield server
    finally:
        server.stop()


def html_files(folder: Path | str) -> list[Path]:
    """Every HTML file below ``folder`` (recursively, hidden folders skipped), in a stable order."""
    base = Path(folder)
    found = []
    for path in sorted(base.rglob("*")):
        rel = path.relative_to(base)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file() and path.suffix.lower() in HTML_SUFFIXES:
            found.append(path)
    return found
