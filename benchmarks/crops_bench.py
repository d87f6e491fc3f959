"""What element crops cost: ``PageWorker.audit`` with the engine option ``crops`` at 0 and at 10.

Pages: the two generated portal-like pages of ``audit_page_bench.py`` (about 600 and 3,000 elements)
and the first ``--sample`` pages of the bundled sample site (``a11y_audit/samples/govsite``, with its
planted barriers), all served on 127.0.0.1. One Chromium, two warm workers (one per setting); every
page is audited with crops off and on in alternation, ``--rounds`` times after one warm-up. Reported
per page set:

- the crop step itself (``timings_ms["crops"]``: one evaluate for the element boxes, then one scaled
  JPEG capture per crop), median and maximum per page, and per crop;
- crops per page (median and maximum) and the JPEG sizes (median and maximum);
- the page's total audit time off and on (medians) and their difference; on a shared machine the
  difference is noisier than the step it contains.

    .venv/bin/python benchmarks/crops_bench.py --rounds 3 --sample 12
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

CROPS = 10


async def measure(urls: dict[str, list[str]], rounds: int) -> None:
    off = await Browser.launch(AuditOptions(crops=0))
    on = await Browser.launch(AuditOptions(crops=CROPS))
    try:
        w_off, w_on = await off.worker(), await on.worker()
        print(f"{rounds} rounds, crops={CROPS}; load average before {os.getloadavg()}")
        print(
            "| pages | audits | crop step median / max (ms) | per crop median (ms) | crops per page "
            "median / max | JPEG median / max (KB) | total off (ms) | total on (ms) | difference (ms) |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for label, group in urls.items():
            for url in group:  # warm-up
                await w_off.audit(url)
                await w_on.audit(url)
            step, per_crop, counts, sizes, t_off, t_on = [], [], [], [], [], []
            for _ in range(rounds):
                for url in group:
                    a = await w_off.audit(url)
                    b = await w_on.audit(url)
                    assert a.error is None and b.error is None, (url, a.error, b.error)
                    assert not a.crops, url
                    t_off.append(a.timings_ms["total"])
                    t_on.append(b.timings_ms["total"])
                    step.append(b.timings_ms["crops"])
                    counts.append(len(b.crops))
                    if b.crops:
                        per_crop.append(b.timings_ms["crops"] / len(b.crops))
                    sizes.extend(len(c.image) / 1024 for c in b.crops)
            m_off, m_on = statistics.median(t_off), statistics.median(t_on)
            print(
                f"| {label} | {len(step)} | {statistics.median(step):.0f} / {max(step):.0f} "
                f"| {statistics.median(per_crop) if per_crop else 0:.0f} "
                f"| {statistics.median(counts):g} / {max(counts)} "
                f"| {statistics.median(sizes) if sizes else 0:.1f} / {max(sizes, default=0):.1f} "
                f"| {m_off:.0f} | {m_on:.0f} | {m_on - m_off:+.0f} |",
                flush=True,
            )
        print(f"load average after: {os.getloadavg()}")
    finally:
        await off.close()
        await on.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sample", type=int, default=12, help="sample-site pages to include")
    args = parser.parse_args()
    with page_sets(args.sample) as urls:
        asyncio.run(measure(urls, args.rounds))


if __name__ == "__main__":
    main()
