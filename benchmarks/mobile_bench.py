"""What the mobile criteria cost: ``PageWorker.audit`` on a phone (``device="mobile"``), the mobile
step alone (``timings_ms["mobile"]``: the in-page checks plus the reflow measurement at 320 px), and
the same pages on the desktop for comparison.

Pages: the two generated portal-like pages of ``audit_page_bench.py`` (about 600 and 3,000 elements)
and the first ``--sample`` pages of the bundled sample site (``a11y_audit/samples/govsite``), served
on 127.0.0.1. One Chromium with a desktop and a phone view (``Browser.for_device``, as
``--device both`` uses it); every page is audited on both in alternation, ``--rounds`` times after one
warm-up. Keyboard checks are off (they are the same on both devices and dominate the time).

    .venv/bin/python benchmarks/mobile_bench.py --rounds 3 --sample 12
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
from pathlib import Path

from a11y_audit.engine import AuditOptions, Browser

sys.path.insert(0, str(Path(__file__).resolve().parent))
from audit_page_bench import page_sets  # noqa: E402 - a script beside this one


async def measure(urls: dict[str, list[str]], rounds: int) -> None:
    browser = await Browser.launch(AuditOptions(keyboard_checks=False))
    try:
        desktop = await browser.worker()
        phone = await (await browser.for_device("mobile")).worker()
        print(f"{rounds} rounds; load average before {os.getloadavg()}")
        print(
            "| pages | audits | mobile step median / max (ms) | total desktop (ms) | total phone (ms) "
            "| mobile findings per page (median) |"
        )
        print("|---|---|---|---|---|---|")
        for label, group in urls.items():
            for url in group:  # warm-up
                await desktop.audit(url)
                await phone.audit(url)
            step, t_desk, t_phone, found = [], [], [], []
            for _ in range(rounds):
                for url in group:
                    a = await desktop.audit(url)
                    b = await phone.audit(url)
                    assert a.error is None and b.error is None, (url, a.error, b.error)
                    step.append(b.timings_ms["mobile"])
                    t_desk.append(a.timings_ms["total"])
                    t_phone.append(b.timings_ms["total"])
                    found.append(sum(1 for f in b.findings if f.rule_id.startswith("mobile-")))
            print(
                f"| {label} | {len(step)} | {statistics.median(step):.0f} / {max(step):.0f} "
                f"| {statistics.median(t_desk):.0f} | {statistics.median(t_phone):.0f} "
                f"| {statistics.median(found):.0f} |"
            )
        print(f"load average after {os.getloadavg()}")
    finally:
        await browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sample", type=int, default=12, help="sample-site pages to include")
    args = parser.parse_args()
    labels = ("generated ~600 elements", "generated ~3,000 elements")
    with page_sets(args.sample, labels, skip_fixed=True) as urls:
        asyncio.run(measure(urls, args.rounds))


if __name__ == "__main__":
    main()
