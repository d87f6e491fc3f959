"""Small government-style sites served on 127.0.0.1 by the tests themselves, one port per site."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class LocalSite:
    base: str  # http://127.0.0.1:PORT
    pages: int  # the home page plus pages-1 subpages
    bad_pages: int  # subpages with one image without alt text

    def url(self, path: str = "/") -> str:
        return self.base + path

    def page_urls(self) -> set[str]:
        return {self.url("/")} | {self.url(f"/p{i}") for i in range(1, self.pages)}


def _page(title: str, body: str) -> bytes:
    return (
        f'<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><main><h1>{title}</h1>{body}</main></body></html>"
    ).encode()


@contextmanager
def serve_sites(shapes: list[tuple[int, int]], delay_s: float = 0.0) -> Iterator[list[LocalSite]]:
    """One HTTP server per (pages, bad_pages); each subpage waits ``delay_s`` before answering."""
    servers = []
    sites = []
    for n, (pages, bad) in enumerate(shapes):

        def handler_for(pages=pages, bad=bad, n=n):
            class Handler(BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.1"

                def log_message(self, *args) -> None:
                    pass

                def do_GET(self) -> None:  # noqa: N802 - stdlib name
                    path = self.path.split("?")[0]
                    if path == "/":
                        links = "".join(f'<li><a href="/p{i}">메뉴 {i}</a></li>' for i in range(1, pages))
                        status, body = 200, _page(f"기관 {n} 홈", f"<ul>{links}</ul>")
                    elif path.startswith("/p") and path[2:].isdigit() and 1 <= int(path[2:]) < pages:
                        i = int(path[2:])
                        time.sleep(delay_s)
                        img = (
                            '<img src="/logo.png">'
                            if i <= bad
                            else '<img alt="대한민국 정부 상징" src="/logo.png">'
                        )
                        status, body = 200, _page(f"기관 {n} 페이지 {i}", f'{img}<p><a href="/">홈</a></p>')
                    elif path == "/robots.txt":
                        status, body = 200, b"User-agent: *\nAllow: /\n"
                    else:
                        status, body = 404, _page("없음", "<p>없는 페이지</p>")
                    ctype = "text/plain" if path == "/robots.txt" else "text/html; charset=utf-8"
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

            return Handler

        server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for())
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        sites.append(LocalSite(f"http://127.0.0.1:{server.server_address[1]}", pages, bad))
    try:
        yield sites
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def write_sites_csv(path, sites: list[LocalSite], categories: list[str]) -> None:
    lines = ["institution,url,category"]
    for n, (site, category) in enumerate(zip(sites, categories, strict=True)):
        lines.append(f"기관 {n},{site.url('/')},{category}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
