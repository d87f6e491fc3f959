"""How long a report takes to render and how big it gets, for growing audit runs.

Renders the audit report (the real template, charts and scoring) for runs of 10, 100 and 500 pages
with a given number of findings per page, plus the gap-index and training reports, and prints the
median wall time of a few renders and the file size. No database and no browser: this measures
``reports`` alone (loading from the store is measured by the audit benchmarks).

    .venv/bin/python benchmarks/reports_bench.py                 # 10/100/500 pages, 40 findings each
    .venv/bin/python benchmarks/reports_bench.py --pages 1000 --findings 80 --repeat 1
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from a11y_audit.models import (
    Finding,  # noqa: E402
    PageResult,  # noqa: E402
)
from a11y_audit.rules import load_registry  # noqa: E402
from a11y_audit.scoring import estimate, evidence_from_page  # noqa: E402
from reports.audit import AuditedPage, AuditReportData, render_audit_report  # noqa: E402

RULES = [("image-alt", "1.1.1"), ("color-contrast", "1.4.3"), ("label", "3.3.2"), ("link-name", "2.4.3")]


def synthetic_run(pages: int, findings: int) -> AuditReportData:
    registry = load_registry()
    results = []
    for p in range(pages):
        found = []
        for f in range(findings):
            rule, item = RULES[f % len(RULES)]
            outcome = "violation" if f % 3 else "incomplete"
            found.append(
                Finding(
                    rule,
                    "axe",
                    outcome,
                    "serious" if outcome == "violation" else None,
                    [item],
                    [item],
                    f"main > div:nth-child({f}) > img",
                    f'<img src="/img/{p}-{f}.png" class="x">',
                    f"{rule} message",
                    f"{rule} 메시지",
                    f"https://dequeuniversity.com/rules/axe/4.12/{rule}",
                )
            )
        status = {it.id: ("manual" if it.automation == "manual" else "pass") for it in registry.items}
        status.update({item: "fail" for _, item in RULES})
        results.append(
            PageResult(
                url=f"https://www.example.go.kr/page/{p}",
                title=f"페이지 {p}",
                status=200,
                lang="ko",
                findings=found,
                item_status=status,
            )
        )
    est = estimate([evidence_from_page(r) for r in results])
    return AuditReportData(
        site="https://www.example.go.kr/",
        run_id="1",
        pages=[
            AuditedPage(
                url=r.url,
                title=r.title,
                status=r.status,
                lang=r.lang,
                findings=r.findings,
                item_status=r.item_status,
            )
            for r in results
        ],
        estimate=est,
    )


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="*", default=[10, 100, 500])
    parser.add_argument("--findings", type=int, default=40, help="findings per page")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    render_audit_report(synthetic_run(1, 1), "ko")  # warm: templates compiled, registry loaded
    print(f"{'report':<28}{'median s':>10}{'size KB':>10}")
    for n in args.pages:
        data = synthetic_run(n, args.findings)
        seconds, html = timed(lambda data=data: render_audit_report(data, "ko"), args.repeat)
        label = f"audit {n} pages x {args.findings}"
        print(f"{label:<28}{seconds:>10.3f}{len(html.encode()) / 1024:>10.0f}")

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "reports"))
    from gap_fixture import gap_result  # noqa: E402
    from training_fixture import training_data  # noqa: E402

    from reports.gap import GapReportData, parse_result, published_figures, render_gap_report  # noqa: E402
    from reports.training import render_training_report  # noqa: E402

    gap = GapReportData(
        results=[parse_result(gap_result(2024, -0.4), "a"), parse_result(gap_result(2025), "b")],
        published=published_figures(),
    )
    seconds, html = timed(lambda: render_gap_report(gap, "ko"), args.repeat)
    print(f"{'gap (2 years)':<28}{seconds:>10.3f}{len(html.encode()) / 1024:>10.0f}")
    seconds, (html, _) = timed(lambda: render_training_report(training_data(), "ko"), args.repeat)
    print(f"{'training':<28}{seconds:>10.3f}{len(html.encode()) / 1024:>10.0f}")


if __name__ == "__main__":
    main()
