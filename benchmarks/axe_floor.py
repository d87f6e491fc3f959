"""The floor under any axe-based site audit on this machine: load each page and run axe, nothing more.

    .venv/bin/python benchmarks/axe_floor.py URLS.txt --concurrency 2 [--axe-js PATH]

Playwright drives the same Debian Chromium ddkit uses, with the same launch flags, through
``--concurrency`` warm pages of one browser (no reset between pages, nothing stored, no other
check). Each page is loaded (``load`` event), axe-core is injected into every frame and
``axe.run`` is called with pa11y's WCAG2AA selection (tags wcag2a, wcag21a, wcag2aa, wcag21aa,
best-practice); only the number of violations comes back. ``--axe-js`` picks the axe build (the
benchmark passes pa11y-ci's own ``axe.min.js``; default: the one bundled with ddkit).

What this measures is an upper bound for a tool that runs pa11y's axe rules on every page, in this
browser, on this machine: `benchmarks/site_audit.py` runs it beside ddkit and pa11y-ci. Prints one
JSON document: pages, errors, seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PA11Y_TAGS = ["wcag2a", "wcag21a", "wcag2aa", "wcag21aa", "best-practice"]
RUN = """async (tags) => {
  const r = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, elementRef: false, ancestry: false, xpath: false, iframes: true,
  });
  return r.violations.length;
}"""


async def audit(urls: list[str], concurrency: int, axe_js: str) -> dict:
    from playwright.async_api import async_playwright

    from a11y_audit.browser import LAUNCH_ARGS, find_chromium

    queue: asyncio.Queue[str] = asyncio.Queue()
    for url in urls:
        queue.put_nowait(url)
    errors = 0

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=find_chromium(), headless=True, args=LAUNCH_ARGS)
        start = time.perf_counter()

        async def worker() -> None:
            nonlocal errors
            context = await browser.new_context()
            page = await context.new_page()
            while not queue.empty():
                url = queue.get_nowait()
                try:
                    await page.goto(url, wait_until="load", timeout=30_000)
                    for frame in page.frames:
                        if not frame.is_detached():
                            await frame.evaluate(axe_js)
                    await page.evaluate(RUN, PA11Y_TAGS)
                except Exception:  # noqa: BLE001 - counted, the run goes on
                    errors += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - start
        await browser.close()
    return {"pages": len(urls) - errors, "errors": errors, "seconds": round(seconds, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("urls", type=Path, help="file with one URL per line")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument(
        "--axe-js", type=Path, help="axe.min.js to inject (default: ddkit's bundled axe-core)"
    )
    args = parser.parse_args()
    urls = [line.strip() for line in args.urls.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.axe_js:
        axe_js = args.axe_js.read_text(encoding="utf-8")
    else:
        from a11y_audit.axe import load_axe

        axe_js = load_axe().script
    print(json.dumps(asyncio.run(audit(urls, args.concurrency, axe_js))))


if __name__ == "__main__":
    main()
