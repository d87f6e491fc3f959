"""The index page: one accessible page linking every ddkit report in a folder.

Reports are recognised by the ``<meta name="ddkit-report">`` that every report carries; their title
and generation time are read from the head. Other HTML files are counted and listed as not reports,
never silently skipped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from reports.errors import ReportError
from reports.i18n import translator
from reports.render import Provenance, render_template, write_html

INDEX_NAME = "index.html"
_META = re.compile(r'<meta\s+name="(ddkit-report|ddkit-generated)"\s+content="([^"]*)"', re.I)
_TITLE = re.compile(r"<title>(.*?)</title>", re.I | re.S)
_LANG = re.compile(r'<html\s+lang="([^"]*)"', re.I)
KINDS = ("audit", "gap", "training")


@dataclass
class IndexEntry:
    href: str
    name: str
    kind: str
    title: str
    lang: str | None
    generated: str | None
    size: int


def _readable_time(iso: str | None) -> str | None:
    """``2026-11-27T08:00:00+00:00`` → ``2026-11-27 08:00``."""
    if not iso:
        return None
    return iso[:16].replace("T", " ")


def scan_reports(folder: Path) -> tuple[list[IndexEntry], list[str]]:
    """(reports found, other HTML files) under ``folder``, recursively, the index itself excluded."""
    entries: list[IndexEntry] = []
    others: list[str] = []
    for path in sorted(folder.rglob("*.html")):
        rel = path.relative_to(folder)
        if rel.as_posix() == INDEX_NAME or path.name.startswith("."):
            continue
        try:
            head = path.read_text(encoding="utf-8", errors="replace")[:8192]
        except OSError:
            others.append(rel.as_posix())
            continue
        meta = dict((k.lower(), v) for k, v in _META.findall(head))
        if meta.get("ddkit-report") not in KINDS:
            others.append(rel.as_posix())
            continue
        title = _TITLE.search(head)
        lang = _LANG.search(head)
        entries.append(
            IndexEntry(
                href="/".join(quote(part) for part in rel.parts),
                name=rel.as_posix(),
                kind=meta["ddkit-report"],
                # The title was escaped when written; unescape once so autoescape does not double it.
                title=html.unescape(title.group(1).strip()) if title else rel.as_posix(),
                lang=lang.group(1) if lang else None,
                generated=_readable_time(meta.get("ddkit-generated")),
                size=path.stat().st_size,
            )
        )
    entries.sort(key=lambda e: (KINDS.index(e.kind), e.generated or "", e.name), reverse=False)
    return entries, others


def write_index(folder: str | Path, lang: str = "ko", out: str | Path | None = None) -> tuple[Path, dict]:
    """Write ``index.html`` in ``folder`` linking every report in it; returns the path and a summary."""
    root = Path(folder)
    if not root.is_dir():
        raise ReportError(
            f"{root} is not a folder.",
            hint="Give the folder the reports were written to, e.g. ddkit-reports.",
        )
    entries, others = scan_reports(root)
    t = translator(lang)
    groups = [(kind, [e for e in entries if e.kind == kind]) for kind in KINDS]
    html_text = render_template(
        "index.html.j2",
        lang,
        report_kind="index",
        page_title=t("index.title"),
        provenance=Provenance(),
        toc=[],
        groups=groups,
        others=others,
        folder=str(root),
    )
    target = Path(out) if out else root / INDEX_NAME
    write_html(html_text, target)
    summary = {"reports": len(entries), "by_kind": {k: len(v) for k, v in groups}, "not_reports": others}
    return target, summary
