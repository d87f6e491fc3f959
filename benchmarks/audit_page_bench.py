"""How much ddkit's own checks add to axe-core: `ddkit audit page` against a bare `axe.run`.

Two generated pages that look like a Korean government portal page (skip link, GNB, boards, tables,
forms, images, footer): about 600 and about 3,000 elements. Both are served on 127.0.0.1, so there is
no network time. In one Chromium:

- bare: one reused context + page; goto, inject axe-core into every frame, ``axe.run`` with the same
  tags and explicitly enabled rules as ddkit, results returned whole;
- ddkit: ``PageWorker.audit(url)`` on a reused worker (navigation, axe, every KWCAG check, raw-HTML
  markup check, keyboard tests, statuses), minus nothing.

Each configuration is warmed up once, then run ``--rounds`` times, alternating; the median and the
minimum of each column are reported (on a shared machine the minimum is the steadier figure). The
overhead is (ddkit total - bare nav+inject+run) / bare axe.run.

    .venv/bin/python benchmarks/audit_page_bench.py --rounds 7
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from a11y_audit.engine import AuditOptions, Browser
from a11y_audit.serve import html_files, serve

TAGS = list(AuditOptions().tags)


def gov_page(sections: int, title: str) -> str:
    """A portal-like page; ``sections`` content blocks of about 55 elements each."""
    menu = "".join(
        f'<li><a href="/menu/{i}">메뉴 {i}</a><ul>'
        + "".join(f'<li><a href="/menu/{i}/{j}">하위 메뉴 {i}-{j}</a></li>' for j in range(5))
        + "</ul></li>"
        for i in range(8)
    )
    blocks = []
    for s in range(sections):
        rows = "".join(
            f'<tr><td>{s * 10 + r}</td><td class="subject"><a href="/board/{s}/{r}">{s}번째 게시판의 {r}번 글 제목입니다</a></td>'
            f"<td>2024-0{1 + r % 9}-1{r % 10}</td><td>{r * 13}</td></tr>"
            for r in range(6)
        )
        blocks.append(
            f'<section class="board"><h2>게시판 {s}</h2>'
            f'<table class="list"><caption>게시판 {s} 목록</caption><thead><tr><th scope="col">번호</th>'
            f'<th scope="col">제목</th><th scope="col">작성일</th><th scope="col">조회</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
            f'<p class="more"><a href="/board/{s}">더보기</a> <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="{"" if s % 3 else "이미지"}"></p>'
            f'<form action="/search"><label for="q{s}">검색어</label><input id="q{s}" name="q">'
            f'<select name="f{s}"><option>제목</option><option>내용</option></select>'
            f'<button type="submit">검색</button></form>'
            f'<p style="color:#999">안내 문구 {s}: 자세한 사항은 담당 부서로 문의하시기 바랍니다.</p></section>'
        )
    return f"""<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>{title} | 행정안전부</title>
<style>.skip a{{position:absolute;left:-9999px}}.skip a:focus{{left:0}}</style></head>
<body>
<div class="skip"><a href="#content">본문 바로가기</a></div>
<header><a href="/" class="logo"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="행정안전부"></a>
<nav class="gnb"><ul>{menu}</ul></nav></header>
<main id="content"><h1>{title}</h1>{"".join(blocks)}</main>
<footer><p>주소: 세종특별자치시 도움6로 42 | 전화 02-0000-0000</p>
<a href="https://www.gov.kr/" target="_blank">정부24</a> <a href="/privacy">개인정보처리방침</a></footer>
</body></html>"""


BARE_RUN = """async (o) => {
  const r = await axe.run(document, o);
  return {violations: r.violations.length, passes: r.passes.length};
}"""


async def bare_round(page, url: str, axe_script: str, options: dict) -> dict[str, float]:
    t0 = time.perf_counter()
    await page.goto(url, wait_until="load")
    t1 = time.perf_counter()
    for frame in page.frames:
        await frame.evaluate(axe_script)
    t2 = time.perf_counter()
    await page.evaluate(BARE_RUN, options)
    t3 = time.perf_counter()
    return {
        "nav": (t1 - t0) * 1000,
        "inject": (t2 - t1) * 1000,
        "run": (t3 - t2) * 1000,
        "total": (t3 - t0) * 1000,
    }


SAMPLE = Path(__file__).resolve().parents[1] / "a11y_audit" / "samples" / "govsite"


@contextlib.contextmanager
def page_sets(
    sample: int,
    labels: tuple[str, str] = ("gov-600", "gov-3000"),
    skip_fixed: bool = False,
) -> Iterator[dict[str, list[str]]]:
    """The page sets of the per-page benchmarks, served on 127.0.0.1 while the block runs: a generated
    ~600- and ~3,000-element page (``labels``), and the first ``sample`` pages of the sample site
    (without its fixed twins when ``skip_fixed``)."""
    with tempfile.TemporaryDirectory() as tmp:
        gen = Path(tmp)
        for name, sections in zip(labels, (9, 52), strict=True):
            (gen / f"{sections}.html").write_text(gov_page(sections, name), encoding="utf-8")
        with serve(gen) as generated, serve(SAMPLE) as served:
            pages = [p.resolve() for p in html_files(SAMPLE) if not (skip_fixed and "fixed" in p.parts)]
            pages = pages[:sample]
            yield {
                labels[0]: [generated.url_for(gen / "9.html")],
                labels[1]: [generated.url_for(gen / "52.html")],
                f"sample site ({len(pages)} pages)": [served.url_for(p) for p in pages],
            }


def element_count(html: str) -> int:
    from html.parser import HTMLParser

    class Counter(HTMLParser):
        n = 0

        def handle_starttag(self, tag, attrs):
            self.n += 1

    c = Counter()
    c.feed(html)
    return c.n


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        pages = {"gov-600": gov_page(9, "보통 페이지"), "gov-3000": gov_page(52, "큰 페이지")}
        for name, html in pages.items():
            (root / f"{name}.html").write_text(html, encoding="utf-8")
        with serve(root) as server:
            browser = await Browser.launch(AuditOptions())
            try:
                worker = await browser.worker()
                # The bare baseline shares the Chromium process (same flags, same machine state).
                context = await browser._browser.new_context(viewport={"width": 1280, "height": 900})
                bare_page = await context.new_page()
                options = {
                    "runOnly": {"type": "tag", "values": TAGS},
                    "rules": {r: {"enabled": True} for r in browser.registry.axe_enable},
                }
                print(f"axe-core {browser.axe.version}; {rounds} rounds; load average {os.getloadavg()}")
                print(
                    "| page | elements | stat | bare nav | bare inject | bare axe.run | bare total | ddkit nav "
                    "| ddkit axe | ddkit checks (DOM / keys / markup wait) | ddkit total | overhead vs bare axe.run |"
                )
                print("|---|---|---|---|---|---|---|---|---|---|---|---|")
                keys = ("nav", "axe", "checks", "dom_checks", "keyboard", "markup_wait", "total")
                for name, html in pages.items():
                    url = server.url_for(f"{name}.html")
                    await bare_round(bare_page, url, browser.axe.script, options)  # warm-up
                    await worker.audit(url)
                    bare, ours = [], []
                    for _ in range(rounds):
                        bare.append(await bare_round(bare_page, url, browser.axe.script, options))
                        result = await worker.audit(url)
                        assert result.error is None, result.error
                        ours.append(result.timings_ms)
                    for stat, fn in (("median", statistics.median), ("min", min)):
                        b = {k: fn(r[k] for r in bare) for k in bare[0]}
                        o = {k: fn(r[k] for r in ours) for k in keys}
                        overhead = (o["total"] - b["total"]) / b["run"] * 100
                        print(
                            f"| {name} | {element_count(html)} | {stat} | {b['nav']:.0f} | {b['inject']:.0f} "
                            f"| {b['run']:.0f} | {b['total']:.0f} | {o['nav']:.0f} | {o['axe']:.0f} "
                            f"| {o['checks']:.0f} ({o['dom_checks']:.0f} / {o['keyboard']:.0f} / {o['markup_wait']:.0f}) "
                            f"| {o['total']:.0f} | {overhead:+.0f} % |"
                        )
                print(f"load average after: {os.getloadavg()}")
                await context.close()
            finally:
                await browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    asyncio.run(main(parser.parse_args().rounds))
