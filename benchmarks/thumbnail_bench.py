"""What a page thumbnail costs: ``PageWorker.audit`` with the engine option ``thumbnail`` off and on.

Pages: the two generated portal-like pages of ``audit_page_bench.py`` (about 600 and 3,000 elements)
and the first ``--sample`` pages of the bundled sample site (``a11y_audit/samples/govsite``), all
served on 127.0.0.1. One Chromium, two warm workers (one per setting); every page is audited with
thumbnails off and on in alternation, ``--rounds`` times after one warm-up. Reported per page set:

- the thumbnail step itself (``timings_ms["thumbnail"]``: layout metrics + scaled JPEG capture),
  median and maximum;
- the page's total audit time off and on (medians) and their difference; on a shared machine the
  difference is noisier than the step it contains;
- the JPEG sizes (median and maximum) against the 30 KB target.

``--playwright-sizes`` instead compares the sizes with Playwright's own unscaled
``page.screenshot(type="jpeg", quality=40, scale="css")`` of the same viewport, page by page.

    .venv/bin/python benchmarks/thumbnail_bench.py --rounds 5 --sample 12
    .venv/bin/python benchmarks/thumbnail_bench.py --playwright-sizes --sample 12
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
from pathlib import Path

from a11y_audit.engine import AuditOptions, Browser
from a11y_audit.serve import html_files, serve

sys.path.insert(0, str(Path(__file__).resolve().parent))
from audit_page_bench import SAMPLE, page_sets  # noqa: E402 - a script beside this one


async def measure(urls: dict[str, list[str]], rounds: int) -> None:
    off = await Browser.launch(AuditOptions(thumbnail=False))
    on = await Browser.launch(AuditOptions(thumbnail=True))
    try:
        w_off, w_on = await off.worker(), await on.worker()
        print(f"{rounds} rounds; load average {os.getloadavg()}")
        print(
            "| pages | audits | thumbnail step median / max (ms) | total off (ms) | total on (ms) "
            "| difference (ms) | JPEG median / max (KB) |"
        )
        print("|---|---|---|---|---|---|---|")
        for label, group in urls.items():
            for url in group:  # warm-up
                await w_off.audit(url)
                await w_on.audit(url)
            step, t_off, t_on, sizes = [], [], [], []
            for _ in range(rounds):
                for url in group:
                    a = await w_off.audit(url)
                    b = await w_on.audit(url)
                    assert a.error is None and b.error is None, (url, a.error, b.error)
                    assert b.thumbnail is not None, url
                    t_off.append(a.timings_ms["total"])
                    t_on.append(b.timings_ms["total"])
                    step.append(b.timings_ms["thumbnail"])
                    sizes.append(len(b.thumbnail) / 1024)
            m_off, m_on = statistics.median(t_off), statistics.median(t_on)
            print(
                f"| {label} | {len(step)} | {statistics.median(step):.0f} / {max(step):.0f} "
                f"| {m_off:.0f} | {m_on:.0f} | {m_on - m_off:+.0f} "
                f"| {statistics.median(sizes):.1f} / {max(sizes):.1f} |",
                flush=True,
            )
        print(f"load average after: {os.getloadavg()}")
    finally:
        await off.close()
        await on.close()


async def playwright_sizes(urls: list[str]) -> None:
    browser = await Browser.launch(AuditOptions(thumbnail=True))
    try:
        worker = await browser.worker()
        scaled, full = [], []
        for url in urls:
            result = await worker.audit(url)
            assert result.thumbnail is not None, url
            scaled.append(len(result.thumbnail) / 1024)
            await worker._page.goto(url, wait_until="load")
            shot = await worker._page.screenshot(type="jpeg", quality=40, scale="css")
            full.append(len(shot) / 1024)
        print("| capture | pages | min (KB) | median (KB) | max (KB) |")
        print("|---|---|---|---|---|")
        for label, sizes in (("Playwright, 1280 x 900", full), ("ddkit thumbnail, 640 x 450", scaled)):
            print(
                f"| {label} | {len(sizes)} | {min(sizes):.1f} | {statistics.median(sizes):.1f} | {max(sizes):.1f} |"
            )
    finally:
        await browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sample", type=int, default=12, help="sample-site pages to include")
    parser.add_argument("--playwright-sizes", action="store_true", help="compare JPEG sizes only")
    args = parser.parse_args()
    if args.playwright_sizes:
        with serve(SAMPLE) as sample:
            pages = [sample.url_for(p.resolve()) for p in html_files(SAMPLE)[: args.sample]]
            asyncio.run(playwright_sizes(pages))
        return
    with page_sets(args.sample) as urls:
        asyncio.run(measure(urls, args.rounds))


if __name__ == "__main__":
    main()
