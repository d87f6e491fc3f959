"""Seeds from sitemaps (sitemaps.org protocol): ``<urlset>``, ``<sitemapindex>`` (followed), gzip files.

A sitemap that cannot be read (HTTP error, not XML, not a sitemap) does not stop the run: it becomes
an error entry with the reason (``SitemapResult.errors``), stored with the run and shown in its summary.
"""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import httpx

#: sitemaps.org limit for one (uncompressed) sitemap file.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
#: Sitemap files read in one run (an index of indexes is followed this far and no further).
MAX_SITEMAP_FILES = 100


@dataclass
class SitemapResult:
    urls: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (sitemap, what went wrong)
    files_read: int = 0
    truncated: int = 0  # URLs beyond max_urls, counted not kept


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _gunzip(data: bytes) -> bytes:
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = decompressor.decompress(data, MAX_SITEMAP_BYTES + 1)
    if len(out) > MAX_SITEMAP_BYTES:
        raise ValueError(f"larger than {MAX_SITEMAP_BYTES // (1024 * 1024)} MB once decompressed")
    return out


def parse_sitemap(data: bytes, source: str) -> tuple[str, list[str]]:
    """(``"urlset"`` or ``"sitemapindex"``, the ``<loc>`` values). Raises ValueError saying why not."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = _gunzip(data)
        except (OSError, zlib.error, gzip.BadGzipFile) as exc:
            raise ValueError(f"broken gzip data: {exc}") from None
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        what = re.sub(r": line \d+, column \d+$", "", str(exc))
        looks_html = b"<html" in data[:2048].lower() or data[:15].lower().startswith(b"<!doctype html")
        prefix = "an HTML page, not XML" if looks_html else "not XML"
        raise ValueError(f"{prefix} (line {line}, column {column + 1}: {what})") from None
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise ValueError(f"not a sitemap: the root element is <{kind}>, expected <urlset> or <sitemapindex>")
    child = "url" if kind == "urlset" else "sitemap"
    locs = []
    for entry in root:
        if _local(entry.tag) != child:
            continue
        for part in entry:
            if _local(part.tag) == "loc" and part.text and part.text.strip():
                locs.append(part.text.strip())
    return kind, locs


async def _read(source: str, client: httpx.AsyncClient) -> bytes:
    if "://" not in source:
        path = Path(source)
        if not path.is_file():
            raise ValueError("no such file")
        return path.read_bytes()[: MAX_SITEMAP_BYTES + 1]
    response = await client.get(source, follow_redirects=True)
    if response.status_code >= 400:
        raise ValueError(f"HTTP {response.status_code}")
    return response.content[: MAX_SITEMAP_BYTES + 1]


async def read_sitemaps(sources: list[str], client: httpx.AsyncClient, max_urls: int) -> SitemapResult:
    """Every page URL listed by ``sources`` (URLs or local files), following sitemap indexes."""
    result = SitemapResult()
    todo = list(sources)
    seen: set[str] = set()
    while todo:
        source = todo.pop(0)
        if source in seen:
            continue
        seen.add(source)
        if result.files_read >= MAX_SITEMAP_FILES:
            result.errors.append((source, f"not read: more than {MAX_SITEMAP_FILES} sitemap files"))
            continue
        result.files_read += 1
        try:
            data = await _read(source, client)
            kind, locs = parse_sitemap(data, source)
        except httpx.HTTPError as exc:
            result.errors.append((source, f"network error: {type(exc).__name__}: {exc}"))
            continue
        except ValueError as exc:
            result.errors.append((source, str(exc)))
            continue
        if kind == "sitemapindex":
            todo.extend(locs)
            continue
        room = max_urls - len(result.urls)
        result.urls.extend(locs[:room])
        result.truncated += max(0, len(locs) - room)
    return result
