"""Audit every page of the bundled sample site with the page engine and check it against barriers.yaml.

    .venv/bin/python benchmarks/sample_site_bench.py [--workers 1 2]

For each number of workers (browser pages auditing in parallel in one Chromium): wall-clock seconds
for the 43 pages of the site, the map frame document and the 8 fixed-twin pages; then, from the last
run, how many machine-detectable barriers were found on their KWCAG item and element with the expected
outcome, every violation or needs-review finding that no planted barrier explains, and how the 43 site
pages cluster into templates (``a11y_audit.sampling``, default threshold).
"""

from __future__ import annotations

import argparse
import asyncio
import time

from a11y_audit.checks.cross_page import apply_title_uniqueness
from a11y_audit.engine import AuditOptions, Browser
from a11y_audit.samples import govsite_root, serve_sample_site, site_pages
from a11y_audit.samples.matching import match_barriers, unplanned_findings
from a11y_audit.sampling import DEFAULT_THRESHOLD, cluster_signatures


async def audit(paths: list[str], base_url: str, workers: int) -> dict:
    results: dict = {}
    queue = list(paths)
    async with await Browser.launch(AuditOptions()) as browser:

        async def run() -> None:
            worker = await browser.worker()
            while queue:
                path = queue.pop(0)
                results[path] = await worker.audit(base_url + path)

        await asyncio.gather(*(run() for _ in range(workers)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    root = govsite_root()
    paths = sorted(str(p.relative_to(root)) for p in root.rglob("*.html"))
    results: dict = {}
    with serve_sample_site() as site:
        for workers in args.workers:
            started = time.monotonic()
            results = asyncio.run(audit(paths, site.base_url, workers))
            errors = sum(1 for r in results.values() if r.error)
            print(
                f"workers={workers}: {len(paths)} pages in {time.monotonic() - started:.1f} s, {errors} page errors"
            )
    apply_title_uniqueness([r for p, r in results.items() if not p.startswith("fixed/")])
    apply_title_uniqueness([r for p, r in results.items() if p.startswith("fixed/")])
    by_page = {p: r.findings for p, r in results.items()}
    matches = match_barriers(by_page)
    print(f"barriers found as expected: {sum(m.as_expected for m in matches)}/{len(matches)}")
    for m in matches:
        if not m.as_expected:
            print(
                f"  {m.barrier.id} {m.barrier.item} {m.barrier.page}: got {m.outcome}, expected {m.barrier.expected}"
            )
    for page, f in unplanned_findings(by_page, outcomes=("violation", "incomplete")):
        print(f"  not planted: {page} {f.outcome} {f.rule_id} {f.kwcag} {f.selector}")
    pages = [p for p in site_pages()]
    clusters = cluster_signatures([results[p].template_signature for p in pages])
    print(
        f"template clusters of the {len(pages)} site pages (threshold {DEFAULT_THRESHOLD}): {len(clusters)}"
    )
    for members in clusters:
        print(
            f"  {len(members):2d}: {', '.join(pages[i] for i in members[:6])}{' …' if len(members) > 6 else ''}"
        )


if __name__ == "__main__":
    main()
