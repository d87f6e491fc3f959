"""A local web site served on 127.0.0.1 by the tests themselves, with a log of every request."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = tuple[int, dict[str, str], bytes]
Handler = Callable[[str, int], Route | None]  # (path with query, n-th request of that path) -> response


@dataclass
class LocalSite:
    routes: dict[str, Route | Callable[[int], Route]] = field(default_factory=dict)
    fallback: Handler | None = None
    hits: list[str] = field(default_factory=list)
    headers: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (path, request headers)
    delay_s: float = 0.0  # answer every request this late (a slower site)
    base: str = ""

    def url(self, path: str = "/") -> str:
        return self.base + path

    def count(self, path: str) -> int:
        return self.hits.count(path)

    def respond(self, path: str) -> Route:
        n = self.hits.count(path)  # how many earlier requests for this path
        route = self.routes.get(path)
        if callable(route):
            return route(n)
        if route is not None:
            return route
        if self.fallback is not None:
            got = self.fallback(path, n)
            if got is not None:
                return got
        return (
            404,
            {"Content-Type": "text/html; charset=utf-8"},
            b"<!doctype html><title>Not found</title><p>Not found",
        )


def html(body: str, title: str = "페이지", lang: str = "ko") -> bytes:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body>{body}</body></html>"
    ).encode()


def page(body: str, title: str = "페이지", status: int = 200, headers: dict | None = None) -> Route:
    return status, {"Content-Type": "text/html; charset=utf-8", **(headers or {})}, html(body, title)


def serve(site: LocalSite) -> Iterator[LocalSite]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            site.headers.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            if site.delay_s:
                time.sleep(site.delay_s)
            status, headers, body = site.respond(self.path)
            site.hits.append(self.path)
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
