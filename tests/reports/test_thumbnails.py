"""Sampled pages with screenshot thumbnails: a real site audit (Chromium) of a small site served on
127.0.0.1 stores one small JPEG per page, and the audit report embeds exactly those bytes, with an
``alt`` naming the page. ``--no-screenshots`` stores none, and the report then shows no gallery."""

from __future__ import annotations

import base64
import struct

import pytest

from a11y_audit.crawl.frontier import CrawlLimits
from a11y_audit.crawl.politeness import Politeness
from a11y_audit.site import SiteAuditConfig, audit_site
from a11y_audit.store import AuditStore
from cli import main
from tests.reports.html_checks import parse, structure_problems

pytestmark = pytest.mark.browser

NO_NETWORK = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
NS = "{http://www.w3.org/1999/xhtml}"
PAGES = {
    "index.html": ("디지털포용부", '<a href="apply.html">교육 신청</a> <a href="notice.html">공지사항</a>'),
    "apply.html": ("교육 신청", '<form><label>이름 <input name="n"></label><button>신청</button></form>'),
    "notice.html": (
        "공지사항",
        "<table><caption>공지</caption><tr><th>제목</th></tr><tr><td>안내</td></tr></table>",
    ),
}


def _page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>{title}</title></head>'
        '<body style="margin:0;font:18px sans-serif"><header style="background:#1f4e79;color:#fff;padding:24px">'
        f"<p>디지털포용부</p></header><main><h1>{title}</h1>{body}"
        + "".join(
            f"<p>{title} 안내 문단 {n}: 디지털 역량 교육과 정보격차 해소 사업을 소개합니다.</p>"
            for n in range(8)
        )
        + "</main></body></html>"
    )


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) from the JPEG's start-of-frame segment."""
    i = 2
    while i < len(data):
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2 : i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    raise AssertionError("no start-of-frame segment")


def test_a_site_audit_stores_thumbnails_and_the_report_embeds_them(sqlite_url, tmp_path, serve):
    folder = tmp_path / "site"
    folder.mkdir()
    for name, (title, body) in PAGES.items():
        (folder / name).write_text(_page(title, body), encoding="utf-8")
    base = serve(folder)
    config = SiteAuditConfig(
        seeds=(f"{base}/index.html",),
        limits=CrawlLimits(max_pages=3),
        politeness=Politeness(delay_s=0, jitter=0, backoff_s=0.05),
        launch_args=(NO_NETWORK,),
        timeout_ms=15_000,
    )
    run = audit_site(config, sqlite_url).run_id

    store = AuditStore(sqlite_url)
    try:
        pages = {p.title: p for p in store.page_results(run, thumbnails=True)}
        plain = store.page_results(run)
    finally:
        store.close()
    assert sorted(pages) == sorted(title for title, _ in PAGES.values())
    for page in pages.values():
        shot = page.thumbnail
        assert shot is not None and shot.startswith(b"\xff\xd8\xff") and shot.endswith(b"\xff\xd9")
        assert 1_000 < len(shot) <= 30_000, len(shot)
        assert _jpeg_size(shot) == (640, 450)  # the 1280 x 900 viewport at half scale
        assert page.timings_ms["thumbnail"] > 0
        assert "thumbnail" not in page.to_dict()  # never in JSON
    assert [p.thumbnail for p in plain] == [None, None, None]  # loaded only when asked for

    out = tmp_path / "audit.html"
    assert main(["report", "audit", str(run), "--db", sqlite_url, "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert structure_problems(html) == []
    tree, _ = parse(html)
    shots = [img for img in tree.iter(f"{NS}img") if img.get("class") == "shot"]
    embedded = {
        img.get("alt"): base64.b64decode(img.get("src").removeprefix("data:image/jpeg;base64,"))
        for img in shots
    }
    assert embedded == {f"{title} 페이지의 첫 화면": page.thumbnail for title, page in pages.items()}
    gallery = next(el for el in tree.iter(f"{NS}ul") if el.get("class") == "thumbs")
    links = [a.get("href") for a in gallery.iter(f"{NS}a")]
    assert links == ["#page-1", "#page-2", "#page-3"]  # each thumbnail leads to the page's findings

    # Without screenshots: nothing stored, no gallery.
    db2 = f"sqlite:///{tmp_path / 'plain.db'}"
    args = ["audit", "site", f"{base}/apply.html", "--max-pages", "1", "--delay", "0", "--no-screenshots"]
    assert main([*args, "--db", db2, "--json"]) == 0
    store = AuditStore(db2)
    try:
        (only,) = store.page_results(1, thumbnails=True)
    finally:
        store.close()
    assert only.error is None and only.thumbnail is None and "thumbnail" not in only.timings_ms
    assert main(["report", "audit", "1", "--db", db2, "--out", str(tmp_path / "plain.html")]) == 0
    assert 'class="thumbs"' not in (tmp_path / "plain.html").read_text(encoding="utf-8")
