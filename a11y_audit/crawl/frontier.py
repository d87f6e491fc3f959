"""Which URLs a site audit visits: canonical URLs, scope, include/exclude, caps and crawler-trap bounds.

The frontier is pure bookkeeping (no network, no database). The store persists what it admits, and a
resumed run rebuilds it from the stored queue with :meth:`Frontier.restore`, so the same URL is never
admitted twice, across processes as well.

Every URL that is turned away is counted under a reason (``skipped``) so a run can report what it left
out and why; nothing is dropped silently.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from a11y_audit.errors import AuditUsageError

if TYPE_CHECKING:
    import tldextract

ScopeMode = Literal["host", "domain"]

#: Query or path parameters that carry a session id: they never make a page different.
DEFAULT_SESSION_PARAMS: tuple[str, ...] = (
    "jsessionid",
    "phpsessid",
    "aspsessionid",
    "sessionid",
    "session_id",
    "sessid",
    "cfid",
    "cftoken",
)

#: File types that are never HTML pages (Korean sites link many .hwp/.hwpx attachments).
NON_HTML_EXTENSIONS = frozenset(
    [
        "pdf",
        "hwp",
        "hwpx",
        "hwt",
        "doc",
        "docx",
        "dot",
        "xls",
        "xlsx",
        "xlsm",
        "ppt",
        "pptx",
        "pps",
        "ppsx",
        "odt",
        "ods",
        "odp",
        "rtf",
        "txt",
        "csv",
        "tsv",
        "json",
        "xml",
        "rss",
        "atom",
        "zip",
        "rar",
        "7z",
        "gz",
        "tgz",
        "tar",
        "bz2",
        "xz",
        "alz",
        "egg",
        "jpg",
        "jpeg",
        "png",
        "gif",
        "bmp",
        "svg",
        "webp",
        "ico",
        "tif",
        "tiff",
        "psd",
        "ai",
        "eps",
        "mp3",
        "wav",
        "ogg",
        "oga",
        "m4a",
        "aac",
        "flac",
        "mp4",
        "m4v",
        "avi",
        "wmv",
        "mov",
        "webm",
        "mkv",
        "flv",
        "swf",
        "css",
        "js",
        "mjs",
        "map",
        "woff",
        "woff2",
        "ttf",
        "otf",
        "eot",
        "exe",
        "msi",
        "dmg",
        "apk",
        "ipa",
        "iso",
        "bin",
        "jar",
    ]
)

#: Why a URL was not admitted (the keys of :attr:`Frontier.skipped`).
SKIP_REASONS = {
    "not_http": "not an http(s) URL",
    "out_of_scope": "outside the site's scope",
    "excluded": "matched --exclude or missed --include",
    "robots": "disallowed by robots.txt",
    "non_html": "file type that is not a web page",
    "max_depth": "deeper than --max-depth",
    "max_pages": "beyond --max-pages",
    "trap_query": "too many query variants of one path (crawler trap bound)",
    "trap_pattern": "too many URLs of one numeric pattern (crawler trap bound)",
    "trap_path": "path too long or repeating itself (crawler trap bound)",
}

_DIGITS = re.compile(r"\d+")
_PATH_PARAM_SESSION = re.compile(r";(?P<name>[^;=/?#]+)=[^;/?#]*", re.IGNORECASE)


@cache
def _extractor() -> tldextract.TLDExtract:
    # The bundled public-suffix snapshot only: an audit never fetches the list from the network.
    # Imported here (with requests under it): the CLI imports this module for its option defaults.
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=())


def canonical_url(url: str, session_params: Iterable[str] = DEFAULT_SESSION_PARAMS) -> str | None:
    """The URL to fetch: fragment dropped, host lowercased, default port removed, query sorted,
    percent-encoding normalised, session-id parameters removed. None for anything but http(s)."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    names = {p.lower() for p in session_params}

    def is_session(name: str) -> bool:
        low = name.lower()
        return low in names or any(low.startswith(n) for n in names if n.endswith("sessionid"))

    path = _PATH_PARAM_SESSION.sub(lambda m: "" if is_session(m.group("name")) else m.group(0), parts.path)
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_session(k)], doseq=True
    )
    try:
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    default = {"http": 80, "https": 443}[parts.scheme.lower()]
    netloc = host if port in (None, default) else f"{host}:{port}"
    if parts.username or parts.password:
        return None  # credentials in a link are never followed
    rebuilt = urlunsplit((parts.scheme.lower(), netloc, path or "/", query, ""))
    try:
        return canonicalize_url(rebuilt, keep_fragments=False)
    except ValueError:
        return None


def url_key(canonical: str) -> str:
    """Identity of a page: the canonical URL without a trailing slash on a non-root path.

    ``/board/`` and ``/board`` are almost always the same page (one redirects to the other), so they
    are audited once; the URL actually fetched keeps the form that was found first.
    """
    parts = urlsplit(canonical)
    path = parts.path
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def url_hash(key: str) -> str:
    """Fixed-length digest of a URL key (a portable unique-index column, whatever the URL length)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def site_of(canonical: str, mode: ScopeMode) -> str:
    """What "the same site" means for a URL: its host[:port], or its registrable domain[:port]."""
    parts = urlsplit(canonical)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    if mode == "host":
        return host + port
    ext = _extractor()(host)
    registrable = ext.top_domain_under_public_suffix if ext.suffix else ""
    return (registrable or host) + port


@dataclass(frozen=True)
class CrawlLimits:
    """Scope and bounds of a crawl. Every field is a command-line option of ``ddkit audit site``."""

    scope: ScopeMode = "host"
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_pages: int = 500
    max_depth: int = 5
    max_query_variants: int = 50
    max_pattern_variants: int = 100
    max_url_length: int = 2048
    max_path_segments: int = 16
    max_repeated_segment: int = 3
    session_params: tuple[str, ...] = DEFAULT_SESSION_PARAMS

    def __post_init__(self) -> None:
        if self.scope not in ("host", "domain"):
            raise AuditUsageError(f"--scope must be 'host' or 'domain', not {self.scope!r}.")
        for name in ("max_pages", "max_query_variants", "max_pattern_variants", "max_url_length"):
            if getattr(self, name) < 1:
                raise AuditUsageError(f"--{name.replace('_', '-')} must be at least 1.")
        if self.max_depth < 0:
            raise AuditUsageError("--max-depth must be 0 or more.")
        for option, patterns in (("--include", self.include), ("--exclude", self.exclude)):
            for pattern in patterns:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise AuditUsageError(
                        f"{option} {pattern!r} is not a valid regular expression: {exc}.",
                        hint="Patterns are Python regular expressions searched anywhere in the URL, "
                        "e.g. --exclude '/eng/' or --include '/bbs/'.",
                    ) from None


@dataclass(frozen=True)
class Decision:
    """What the frontier decided about one newly seen URL: admitted (``reason`` None) or skipped."""

    url: str  # canonical URL to fetch
    key: str  # url_key(url)
    hash: str  # url_hash(key)
    depth: int
    reason: str | None = None

    @property
    def admitted(self) -> bool:
        return self.reason is None


@dataclass
class Frontier:
    """Admission control for one run. Not thread-safe: one event loop owns it."""

    seeds: list[str]
    limits: CrawlLimits = field(default_factory=CrawlLimits)
    skipped: Counter = field(default_factory=Counter)

    def __post_init__(self) -> None:
        canon = [c for c in (canonical_url(s, self.limits.session_params) for s in self.seeds) if c]
        self.sites = {site_of(c, self.limits.scope) for c in canon}
        self._include = [re.compile(p) for p in self.limits.include]
        self._exclude = [re.compile(p) for p in self.limits.exclude]
        self._seen: set[str] = set()
        # Links exactly as found: a site's menus repeat the same strings on every page, and most of a
        # page's links are known already, so they skip canonicalisation entirely.
        self._raw_seen: set[str] = set()
        self._query_variants: Counter = Counter()
        self._pattern_variants: Counter = Counter()
        self.admitted = 0

    # -- state -----------------------------------------------------------------------------------------
    def restore(self, stored: Iterable[tuple[str, str | None]]) -> None:
        """Rebuild from the stored queue: (canonical URL, skip reason or None) for every decision."""
        for url, reason in stored:
            key = url_key(url)
            if key in self._seen:
                continue
            self._seen.add(key)
            if reason is None:
                self._count_variants(url)
                self.admitted += 1
            else:
                self.skipped[reason] += 1

    def key_of(self, url: str) -> str | None:
        canon = canonical_url(url, self.limits.session_params)
        return None if canon is None else url_key(canon)

    def is_seen(self, url: str) -> bool:
        key = self.key_of(url)
        return key is not None and key in self._seen

    def mark_seen(self, url: str) -> None:
        """Record a URL (where a redirect landed) as known, so it is not audited a second time."""
        key = self.key_of(url)
        if key is not None:
            self._seen.add(key)

    # -- decisions -------------------------------------------------------------------------------------
    def in_scope(self, url: str) -> bool:
        canon = canonical_url(url, self.limits.session_params)
        return canon is not None and site_of(canon, self.limits.scope) in self.sites

    def consider(
        self, url: str, depth: int, robots_allows: Callable[[str], bool] | None = None, *, seed: bool = False
    ) -> Decision | None:
        """Decide about ``url`` found at ``depth`` (0 for seeds); None if it was already decided.

        Seeds skip the depth check, the include patterns and the trap bounds (the user asked for them)
        but not scope, exclude patterns, robots.txt or the page cap. A skipped URL is remembered, so the
        same rejected link found on 500 pages is counted once.
        """
        if url in self._raw_seen:
            return None
        self._raw_seen.add(url)
        canon = canonical_url(url, self.limits.session_params)
        if canon is None:
            self.skipped["not_http"] += 1
            return None
        key = url_key(canon)
        if key in self._seen:
            return None
        self._seen.add(key)
        reason = self._reject_reason(canon, depth, seed)
        if reason is None and robots_allows is not None and not robots_allows(canon):
            reason = "robots"
        if reason is None and self.admitted >= self.limits.max_pages:
            reason = "max_pages"
        if reason is not None:
            self.skipped[reason] += 1
        else:
            self._count_variants(canon)
            self.admitted += 1
        return Decision(url=canon, key=key, hash=url_hash(key), depth=depth, reason=reason)

    def _reject_reason(self, canon: str, depth: int, seed: bool) -> str | None:
        if site_of(canon, self.limits.scope) not in self.sites:
            return "out_of_scope"
        if self._include and not seed and not any(p.search(canon) for p in self._include):
            return "excluded"
        if any(p.search(canon) for p in self._exclude):
            return "excluded"
        parts = urlsplit(canon)
        ext = posixpath.splitext(parts.path)[1].lower().lstrip(".")
        if ext in NON_HTML_EXTENSIONS:
            return "non_html"
        if seed:
            return None
        if depth > self.limits.max_depth:
            return "max_depth"
        segments = [s for s in parts.path.split("/") if s]
        if (
            len(canon) > self.limits.max_url_length
            or len(segments) > self.limits.max_path_segments
            or (segments and max(Counter(segments).values()) > self.limits.max_repeated_segment)
        ):
            return "trap_path"
        path_id, pattern_id = _variant_ids(parts)
        if parts.query and self._query_variants[path_id] >= self.limits.max_query_variants:
            return "trap_query"
        if self._pattern_variants[pattern_id] >= self.limits.max_pattern_variants:
            return "trap_pattern"
        return None

    def _count_variants(self, canon: str) -> None:
        parts = urlsplit(canon)
        path_id, pattern_id = _variant_ids(parts)
        if parts.query:
            self._query_variants[path_id] += 1
        self._pattern_variants[pattern_id] += 1


def _variant_ids(parts) -> tuple[str, str]:
    """(host+path) and its numeric pattern (digit runs → ``{n}``, query keys without values)."""
    path_id = parts.netloc + parts.path
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    pattern = _DIGITS.sub("{n}", path_id) + ("?" + "&".join(keys) if keys else "")
    return path_id, pattern


def read_url_list(path: str) -> list[str]:
    """URLs from a text file: one per line; blank lines and lines starting with ``#`` are ignored.

    Raises :class:`AuditUsageError` naming the file and line of anything that is not an http(s) URL.
    """
    from pathlib import Path

    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise AuditUsageError(f"URL list {path!r} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AuditUsageError(
            f"URL list {path!r} cannot be read: {exc}.", hint="Save it as UTF-8 text, one URL per line."
        ) from None
    urls: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.strip()
        if not value or value.startswith("#"):
            continue
        if canonical_url(value) is None:
            raise AuditUsageError(
                f"{path}, line {number}, column 1: {value[:80]!r} is not an http(s) URL.",
                hint="Write one absolute URL per line (https://…); start a line with # for a comment.",
            )
        urls.append(value)
    if not urls:
        raise AuditUsageError(f"URL list {path!r} contains no URL.", hint="Write one absolute URL per line.")
    return urls
