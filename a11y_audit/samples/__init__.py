"""The bundled sample government website: where it lives, its documented barriers, and a local server.

The site (``govsite/``) belongs to a fictional ministry and has accessibility barriers planted on
purpose; ``govsite/barriers.yaml`` lists each one (KWCAG 2.2 item, page, element) and the pages whose
fixed twin under ``govsite/fixed/`` removes them. ``ddkit demo`` and the tests audit it on 127.0.0.1.
"""

from __future__ import annotations

import functools
import http.server
import io
import re
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from a11y_audit.errors import AuditError

#: The base URL written into the site's sitemap.xml and robots.txt; the server rewrites it to its own.
SITEMAP_BASE = "http://127.0.0.1:8000/"
#: The page listing the fixed twins; no page of the site links to it.
FIXED_INDEX = "fixed/index.html"
#: What a planted barrier is expected to produce in an automated audit.
EXPECTED_OUTCOMES = ("violation", "needs_review")
_REQUIRED = ("id", "item", "page", "element", "wrong_ko", "wrong_en", "machine_detectable")


@dataclass(frozen=True)
class Barrier:
    """One accessibility barrier planted in the sample site.

    ``element`` is a CSS selector matching exactly the offending element of ``page`` (a path relative to
    the site root). ``machine_detectable`` is true only where an automated check can decide it; then
    ``expected`` says whether it should come out as a violation or as needs-review, and ``rules`` names
    the axe-core rules and ddkit checks expected to report it (all feeding ``item``). ``also`` lists
    other elements where a correct check may report the same barrier (the second of two duplicate ids,
    the element that takes the place of a misplaced skip link).
    """

    id: str
    item: str
    page: str
    element: str
    wrong_ko: str
    wrong_en: str
    machine_detectable: bool
    expected: str | None = None
    rules: tuple[str, ...] = ()
    also: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Twin:
    """A page of the sample site and its fixed twin (same content, every planted barrier removed)."""

    page: str
    fixed: str
    summary: str


def govsite_root() -> Path:
    """The folder holding the sample site (``index.html`` is its home page)."""
    return Path(str(resources.files("a11y_audit.samples").joinpath("govsite")))


def _barriers_file() -> Path:
    return govsite_root() / "barriers.yaml"


def _read_barriers_yaml() -> dict[str, Any]:
    path = _barriers_file()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AuditError(
            f"Cannot read {path}: {exc}", hint="Reinstall ddkit; the sample site is package data."
        ) from exc
    except yaml.YAMLError as exc:
        raise AuditError(
            f"{path} is not valid YAML: {exc}", hint="Fix the file; it is validated at load."
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("barriers"), list):
        raise AuditError(
            f"{path}: expected a mapping with a 'barriers' list.", hint="See docs/explanation/sample-site.md."
        )
    return data


def _parse_barrier(raw: Any, n: int, path: Path, root: Path) -> Barrier:
    where = f"{path}, barrier #{n}"
    if not isinstance(raw, dict):
        raise AuditError(
            f"{where}: expected a mapping.", hint="Each barrier is a mapping with id, item, page, element, …"
        )
    where = f"{path}, barrier #{n} ({raw.get('id', '?')})"
    missing = [key for key in _REQUIRED if key not in raw or raw[key] in (None, "")]
    if missing:
        raise AuditError(
            f"{where}: missing field(s) {', '.join(missing)}.",
            hint="Every barrier needs " + ", ".join(_REQUIRED) + ".",
        )
    if not isinstance(raw["machine_detectable"], bool):
        raise AuditError(
            f"{where}: machine_detectable must be true or false.", hint="Write true or false without quotes."
        )
    if not (root / raw["page"]).is_file():
        raise AuditError(
            f"{where}: page {raw['page']!r} does not exist under {root}.",
            hint="Use a path relative to the site root.",
        )
    expected = raw.get("expected")
    if raw["machine_detectable"] and expected not in EXPECTED_OUTCOMES:
        raise AuditError(
            f"{where}: expected must be one of {', '.join(EXPECTED_OUTCOMES)}.",
            hint="Say what an automated audit should report.",
        )
    rules = raw.get("rules") or []
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        raise AuditError(
            f"{where}: rules must be a list of rule ids.", hint="For example [image-alt, kwcag-alt-quality]."
        )
    also = raw.get("also") or []
    if not isinstance(also, list) or not all(isinstance(a, str) for a in also):
        raise AuditError(
            f"{where}: also must be a list of CSS selectors.",
            hint="For example ['ol.steps > li:nth-of-type(2) > p'].",
        )
    return Barrier(
        id=str(raw["id"]),
        item=str(raw["item"]),
        page=str(raw["page"]),
        element=str(raw["element"]),
        wrong_ko=str(raw["wrong_ko"]).strip(),
        wrong_en=str(raw["wrong_en"]).strip(),
        machine_detectable=raw["machine_detectable"],
        expected=expected if raw["machine_detectable"] else None,
        rules=tuple(rules),
        also=tuple(also),
        note=str(raw.get("note") or "").strip(),
    )


def parse_barriers(entries: Any, source: str | Path, root: Path) -> list[Barrier]:
    """Barriers from the ``barriers`` list of a barrier file; raises :class:`AuditError` naming the entry."""
    if not isinstance(entries, list):
        raise AuditError(f"{source}: 'barriers' must be a list.", hint="See docs/explanation/sample-site.md.")
    barriers = [_parse_barrier(raw, n, Path(source), root) for n, raw in enumerate(entries, start=1)]
    seen: set[str] = set()
    for b in barriers:
        if b.id in seen:
            raise AuditError(
                f"{source}: barrier id {b.id!r} is used twice.", hint="Give every barrier its own id."
            )
        seen.add(b.id)
    return barriers


@functools.cache
def _cached_barriers() -> tuple[Barrier, ...]:
    return tuple(parse_barriers(_read_barriers_yaml()["barriers"], _barriers_file(), govsite_root()))


def load_barriers() -> list[Barrier]:
    """Every planted barrier, in file order; raises :class:`AuditError` naming the entry at fault."""
    return list(_cached_barriers())


def load_twins() -> list[Twin]:
    """The pages that have a fixed twin, with the twin's path."""
    path, root = _barriers_file(), govsite_root()
    twins = []
    for n, raw in enumerate(_read_barriers_yaml().get("twins") or [], start=1):
        try:
            twin = Twin(page=str(raw["page"]), fixed=str(raw["fixed"]), summary=str(raw.get("summary") or ""))
        except (KeyError, TypeError):
            raise AuditError(
                f"{path}, twin #{n}: needs 'page' and 'fixed'.", hint="See docs/explanation/sample-site.md."
            ) from None
        for rel in (twin.page, twin.fixed):
            if not (root / rel).is_file():
                raise AuditError(
                    f"{path}, twin #{n}: {rel!r} does not exist under {root}.",
                    hint="Use paths relative to the site root.",
                )
        twins.append(twin)
    return twins


def site_pages() -> list[str]:
    """The pages of the sample site (paths relative to its root), as its sitemap.xml lists them."""
    text = (govsite_root() / "sitemap.xml").read_text(encoding="utf-8")
    return [loc.removeprefix(SITEMAP_BASE) for loc in re.findall(r"<loc>([^<]+)</loc>", text)]


def twin_pages() -> list[str]:
    """The fixed twins and their index page ``fixed/index.html`` (audit them apart from the site)."""
    return [FIXED_INDEX, *(t.fixed for t in load_twins())]


# --------------------------------------------------------------------------------------------- server

_TEXT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".vtt": "text/vtt; charset=utf-8",
    ".svg": "image/svg+xml",
    ".yaml": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".wav": "audio/wav",
}
_REWRITTEN = {"/sitemap.xml", "/robots.txt"}


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files from the site root; sitemap.xml and robots.txt carry the server's own base URL."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **_TEXT_TYPES}

    def __init__(self, *args: Any, base_url: str, **kwargs: Any) -> None:
        self.base_url = base_url
        super().__init__(*args, **kwargs)

    def send_head(self):  # noqa: ANN201 - the parent's signature
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path in _REWRITTEN:
            file = Path(self.translate_path(path))
            if not file.is_file():
                self.send_error(404, "File not found")
                return None
            body = file.read_text(encoding="utf-8").replace(SITEMAP_BASE, self.base_url).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", _TEXT_TYPES[Path(path).suffix])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        local = Path(self.translate_path(path))
        if local.is_dir() and not (local / "index.html").is_file():
            self.send_error(404, "File not found")  # no directory listings
            return None
        return super().send_head()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the parent's signature
        pass  # quiet: the demo and the tests report what they need


@dataclass
class SampleSiteServer:
    """A running server for the sample site; use it as a context manager (``with serve_sample_site() as s``)."""

    httpd: http.server.ThreadingHTTPServer
    thread: threading.Thread
    root: Path

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def url(self, path: str = "") -> str:
        """The URL of a page given by its path relative to the site root (``notice/list-1.html``)."""
        return self.base_url + path.lstrip("/")

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> SampleSiteServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def serve_sample_site(port: int = 0, root: Path | None = None) -> SampleSiteServer:
    """Start serving the sample site on 127.0.0.1 (``port=0``: any free port) on a daemon thread.

    Raises :class:`AuditError` when the port cannot be bound.
    """
    site = Path(root) if root else govsite_root()
    if not (site / "index.html").is_file():
        raise AuditError(
            f"The sample site is missing: {site / 'index.html'} does not exist.", hint="Reinstall ddkit."
        )
    holder: dict[str, str] = {}

    def handler(*args: Any, **kwargs: Any) -> _Handler:
        return _Handler(*args, directory=str(site), base_url=holder["base"], **kwargs)

    try:
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise AuditError(
            f"Cannot serve the sample site on 127.0.0.1:{port}: {exc.strerror or exc}.",
            hint="Choose another port with --port, or 0 for any free port.",
        ) from exc
    httpd.daemon_threads = True
    holder["base"] = f"http://127.0.0.1:{httpd.server_address[1]}/"
    thread = threading.Thread(target=httpd.serve_forever, name="ddkit-sample-site", daemon=True)
    thread.start()
    return SampleSiteServer(httpd=httpd, thread=thread, root=site)


__all__ = [
    "FIXED_INDEX",
    "Barrier",
    "SampleSiteServer",
    "Twin",
    "govsite_root",
    "load_barriers",
    "load_twins",
    "parse_barriers",
    "serve_sample_site",
    "site_pages",
    "twin_pages",
]
