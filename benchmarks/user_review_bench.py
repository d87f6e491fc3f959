"""Time the user-review round-trip: export the task workbook, fill every row, import, compute results.

    .venv/bin/python benchmarks/user_review_bench.py --pages 10 100 --testers 1 2

For each page count, a run of hand-made pages (a form, a table, images and a video on every page, the
header search box shared) is stored in a fresh SQLite file; every profile sheet gets ``--testers``
testers; every task row is filled in. Timings are wall-clock seconds of one pass.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

from a11y_audit.crawl.frontier import Decision, url_hash, url_key
from a11y_audit.models import Finding, PageResult
from a11y_audit.rules import load_registry
from a11y_audit.store import AuditStore
from a11y_audit.user_review import combined_view, export_tasks, import_results, user_review_results


def _finding(rule: str, item: str, selector: str, outcome: str = "pass") -> Finding:
    return Finding(rule, "axe", outcome, None, [item], [item], selector, f"<x {selector}>", rule, rule, None)


def _pages(n: int) -> list[PageResult]:
    registry = load_registry()
    pages = []
    for i in range(n):
        status = {it.id: ("manual" if it.automation == "manual" else "pass") for it in registry.items}
        findings = [
            _finding("label", "3.3.2", "#q"),
            _finding("label", "3.3.2", f"#name{i}"),
            _finding("label", "3.3.2", f"#mail{i}", "violation" if i % 3 == 0 else "pass"),
            _finding("td-has-header", "1.3.1", f"table.t{i}"),
            _finding("image-alt", "1.1.1", f"#a{i}"),
            _finding("image-alt", "1.1.1", f"#b{i}"),
            _finding("video-caption", "1.2.1", f"video.v{i}"),
        ]
        pages.append(
            PageResult(
                url=f"http://127.0.0.1:8000/page-{i}.html",
                final_url=f"http://127.0.0.1:8000/page-{i}.html",
                status=200,
                title=f"Page {i}",
                findings=findings,
                item_status=status,
            )
        )
    return pages


def _store_run(url: str, pages: list[PageResult]) -> tuple[AuditStore, int]:
    store = AuditStore(url)
    run = store.create_run([pages[0].url], {}, "bench")
    decisions = []
    for p in pages:
        key = url_key(p.url)
        decisions.append(Decision(p.url, key, url_hash(key), 0))
    store.add_decisions(run, decisions)
    queued = {q.url: q for q in store.queued(run)}
    for p in pages:
        store.record_page(run, queued[p.url], p)
    store.finish_run(run, "finished")
    return store, run


def _fill(path: Path, testers: int) -> int:
    wb = load_workbook(path)
    filled = 0
    for name in [n for n in wb.sheetnames if n not in ("about", "tasks", "lists")]:
        base = wb[name]
        sheets = [base] + [wb.copy_worksheet(base) for _ in range(testers - 1)]
        for t, ws in enumerate(sheets, start=1):
            ws["B2"] = f"{name[:1].upper()}{t}"
            for r in range(5, ws.max_row + 1):
                if not ws.cell(r, 1).value:
                    continue
                k = r + t
                ws.cell(r, 5, ("yes", "yes", "partial", "no")[k % 4])
                ws.cell(r, 6, 1 + k % 9)
                ws.cell(r, 8, 1 + k % 5)
                if k % 4 == 3:
                    ws.cell(r, 9, "3.3.2")
                filled += 1
    wb.save(path)
    return filled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--testers", type=int, nargs="+", default=[1])
    args = parser.parse_args()
    print("pages testers tasks attempts  export_s  fill_s  import_s  reimport_s  results_s")
    for n in args.pages:
        for testers in args.testers:
            with tempfile.TemporaryDirectory() as tmp:
                store, run = _store_run(f"sqlite:///{Path(tmp) / 'bench.db'}", _pages(n))
                book = Path(tmp) / "tasks.xlsx"
                t0 = time.perf_counter()
                summary = export_tasks(store, run, book)
                t1 = time.perf_counter()
                attempts = _fill(book, testers)
                t2 = time.perf_counter()
                imported = import_results(store, run, book)
                t3 = time.perf_counter()
                again = import_results(store, run, book)
                t4 = time.perf_counter()
                result = user_review_results(store, run)
                combined_view(store, run, result)
                t5 = time.perf_counter()
                assert imported.added == attempts and again.unchanged == attempts
                store.close()
                print(
                    f"{n:5d} {testers:7d} {summary.tasks:5d} {attempts:8d} {t1 - t0:9.2f} {t2 - t1:7.2f} "
                    f"{t3 - t2:9.2f} {t4 - t3:11.2f} {t5 - t4:10.2f}"
                )


if __name__ == "__main__":
    main()
