"""Render a report: the Jinja2 environment (autoescape on everywhere), provenance, number formats, writing.

Every report is one self-contained HTML file: inline CSS and SVG, screenshots as ``data:`` URIs, and a
Content-Security-Policy that forbids scripts and every network request, so even a mistake in escaping
cannot run code or fetch anything when the file is opened.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import os
import re
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from reports.errors import ReportError
from reports.i18n import Translator, translator

#: No script, no fetch of any kind; inline styles and data: images only.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
)

_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def ddkit_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ddkit")
    except PackageNotFoundError:
        return "0+unknown"


def now_utc() -> dt.datetime:
    """The report time; ``SOURCE_DATE_EPOCH`` fixes it so the same input renders the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


# ---------------------------------------------------------------------------------------------- provenance


@dataclass(frozen=True)
class InputFile:
    """A file a report's numbers come from, with its SHA-256 so a reader can check it is the same file."""

    path: str
    sha256: str
    #: None when the file is not at hand (e.g. survey microdata whose hash a result recorded).
    size: int | None


def sha256_file(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_file(path: str | os.PathLike[str]) -> InputFile:
    """Describe an input file; a missing or unreadable file is a user error naming the path."""
    p = Path(path)
    try:
        return InputFile(path=str(p), sha256=sha256_file(p), size=p.stat().st_size)
    except OSError as exc:
        raise ReportError(
            f"Cannot read the input file {p}: {exc.strerror or exc}.",
            hint="Check the path; the report lists every input file with its SHA-256.",
        ) from exc


def data_fingerprint(data: Any) -> str:
    """SHA-256 of the report's input data as canonical JSON: the same data gives the same fingerprint."""

    def default(obj: Any) -> Any:
        if is_dataclass(obj) and not isinstance(obj, type):
            return asdict(obj)
        if isinstance(obj, dt.date | dt.datetime):
            return obj.isoformat()
        if isinstance(obj, bytes):
            return hashlib.sha256(obj).hexdigest()
        if isinstance(obj, Path):
            return str(obj)
        if hasattr(obj, "item"):
            return obj.item()
        raise TypeError(type(obj).__name__)

    payload = data if not (is_dataclass(data) and not isinstance(data, type)) else asdict(data)
    text = json.dumps(payload, default=default, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Provenance:
    """What makes every number in a report traceable."""

    ddkit_version: str = field(default_factory=ddkit_version)
    generated_at: dt.datetime = field(default_factory=now_utc)
    inputs: list[InputFile] = field(default_factory=list)
    data_sha256: str | None = None
    axe_version: str | None = None
    #: Further facts shown as a list, e.g. ("database", "sqlite:///ddkit.db").
    facts: list[tuple[str, str]] = field(default_factory=list)


def redact_url(url: str) -> str:
    """A database URL without its password, fit to print in a report."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a SQLAlchemy URL: print it without anything after '@'
        return re.sub(r"//[^/@]*@", "//***@", url)


# ---------------------------------------------------------------------------------------------- formats


def _missing(t: Translator | None) -> str:
    return t("common.missing") if t else "—"


def format_number(value: float | int | None, digits: int = 1, t: Translator | None = None) -> str:
    """``1234.5`` → ``1,234.5``; None/NaN → the language's word for "not available"."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return _missing(t)
    if isinstance(value, int) or digits == 0:
        return f"{round(value):,}"
    return f"{value:,.{digits}f}"


def format_percent(value: float | None, digits: int = 1, t: Translator | None = None) -> str:
    """A value already on the 0–100 scale: ``95.24`` → ``95.2%``."""
    text = format_number(value, digits, t)
    return text if value is None or text == _missing(t) else f"{text}%"


def format_datetime(value: dt.datetime | dt.date | str | None, t: Translator | None = None) -> str:
    if value is None:
        return _missing(t)
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
            return value.strftime("%Y-%m-%d %H:%M UTC")
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def safe_href(url: str | None) -> str | None:
    """The URL when it is a plain http(s) address, else None: a ``javascript:`` or ``data:`` URL from an
    audited site must never become a link in our report."""
    if not url or any(ch in url for ch in "\r\n\t\x00"):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def display_host(url: str) -> str:
    """The host of ``url`` for headings and titles, internationalised names decoded (``xn--…`` → 한글)."""
    try:
        host = urlsplit(url).hostname or url
    except ValueError:
        return url
    try:
        return host.encode("ascii").decode("idna")
    except (UnicodeError, ValueError):
        return host


_REPEATED_SPECIAL = re.compile(r"([^\w\s])\s?\1+")


def title_text(value: str) -> str:
    """A ``<title>`` without runs of the same special character (KWCAG 2.4.2 asks titles not to
    repeat special characters; ``//`` or ``--`` from a URL would)."""
    return _REPEATED_SPECIAL.sub(r"\1", value)


def lang_attr(value: str | None) -> str | None:
    """A BCP 47-looking language tag (from an audited page) or None, so we never emit an invalid lang."""
    if value and _LANG_TAG.match(value.strip()):
        return value.strip()
    return None


# ---------------------------------------------------------------------------------------------- environment


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("reports", "templates"),
        autoescape=True,  # everywhere, whatever the template's name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["safe_href"] = safe_href
    env.filters["lang_attr"] = lang_attr
    env.filters["title_text"] = title_text
    env.globals["csp"] = CONTENT_SECURITY_POLICY
    return env


_ENV: jinja2.Environment | None = None


def environment() -> jinja2.Environment:
    global _ENV
    if _ENV is None:
        _ENV = _environment()
    return _ENV


def render_template(template: str, lang: str, **context: Any) -> str:
    """Render ``templates/<template>`` in ``lang``; ``t``, ``num``, ``pct`` and ``when`` are provided."""
    t = translator(lang)
    helpers = {
        "t": t,
        "lang": lang,
        "num": lambda v, digits=1: format_number(v, digits, t),
        "pct": lambda v, digits=1: format_percent(v, digits, t),
        "when": lambda v: format_datetime(v, t),
    }
    return environment().get_template(template).render(**helpers, **context)


def write_html(html: str, path: str | os.PathLike[str]) -> Path:
    """Write atomically (temporary file, then rename), so a failed write never leaves half a report."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(html, encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise ReportError(
            f"Cannot write the report to {target}: {exc.strerror or exc}.",
            hint="Choose another --out path, or check that the folder exists and is writable.",
        ) from exc
    return target
