"""A campaign on a local two-worker Dask cluster against the single-process site audit looped over the
same sites.

    python benchmarks/campaign_bench.py [--sites 50] [--pages 10] [--workers 2] [--json results.json] [--keep]

1. Generates one Korean government-style site (benchmarks/gen_site.py) and serves it on ``--sites``
   ports of 127.0.0.1 from a separate process: ``--sites`` different origins, so each is a site of
   its own for the crawler (scope, robots.txt, politeness are per origin).
2. Baseline: one Python process calls ``audit_site`` for each site in turn, ``--pages`` pages per site,
   2 pages at once (the site audit's default, which keeps both cores busy), no politeness delay. Each
   call launches and closes its own Chromium, as ``ddkit audit site`` does.
3. Campaign: ``run_campaign`` on a ``LocalCluster`` of ``--workers`` processes (one thread each), one
   site per task, 1 page at a time per site, each worker keeping one Chromium for all its sites; the
   same pages per site, no delay. Timed from before the cluster starts to the last site stored.
4. Prints and writes: wall times, speed-up, sites and pages per minute, and the per-site overhead of
   the campaign (time in a task outside ``audit_site``: claiming the site, creating its run, scoring
   it, recording it; and the time the workers sat idle between tasks), from the timings each task
   stores in ``audit_campaign_sites`` (``task_s``, ``audit_s``).

The load average before and after each phase is recorded: on a shared machine the figures move.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

CATEGORIES = ["중앙행정기관", "광역자치단체", "기초자치단체", "공공기관", "교육기관"]


def serve(root: str, count: int) -> None:
    """Serve ``root`` on ``count`` ports; print the ports as one JSON line, then serve until killed."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=root)
    ports = []
    for _ in range(count):
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        ports.append(server.server_address[1])
    print(json.dumps(ports), flush=True)
    threading.Event().wait()


class TreeCPU:
    """CPU seconds (user + system) of this process and all its descendants, sampled from /proc every
    0.25 s while a phase runs: less sensitive than wall time to other jobs on a shared machine.
    ``exclude``: a process whose subtree is not counted (the HTTP server of the test sites)."""

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self, exclude: int | None = None) -> None:
        self.exclude = exclude
        self.start = self._snapshot()
        self.last = dict(self.start)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        todo, seen = [os.getpid()], []
        while todo:
            pid = todo.pop()
            if pid == self.exclude:
                continue
            seen.append(pid)
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as fh:
                        todo.extend(int(c) for c in fh.read().split())
            except OSError:
                pass
        return seen

    def _snapshot(self) -> dict[tuple[int, int], int]:
        out = {}
        for pid in self._tree():
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # fields[11], fields[12]: utime, stime; fields[19]: start time (tells a reused pid apart)
            out[(pid, int(fields[19]))] = int(fields[11]) + int(fields[12])
        return out

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            self.last.update(self._snapshot())

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        self.last.update(self._snapshot())
        return round(sum(v - self.start.get(k, 0) for k, v in self.last.items()) / self.TICK, 1)


@dataclass
class Phase:
    name: str
    sites: int
    sites_ok: int
    pages: int
    wall_s: float
    cpu_s: float  # this process and its descendants (browsers, dask workers), not the site server
    sites_per_minute: float
    pages_per_minute: float
    load_before: float
    load_after: float
    detail: dict


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def run_baseline(urls: list[str], pages: int, db: str, server_pid: int) -> Phase:
    from a11y_audit.crawl.frontier import CrawlLimits
    from a11y_audit.crawl.politeness import Politeness
    from a11y_audit.site import SiteAuditConfig, audit_site

    load = _load()
    per_site = []
    ok = total_pages = 0
    cpu = TreeCPU(exclude=server_pid)
    t0 = time.monotonic()
    for url in urls:
        config = SiteAuditConfig(
            seeds=(url,),
            limits=CrawlLimits(max_pages=pages),
            politeness=Politeness(delay_s=0, jitter=0),
            concurrency=2,
        )
        s0 = time.monotonic()
        result = audit_site(config, db)
        per_site.append(time.monotonic() - s0)
        total_pages += result.summary.pages
        ok += result.status == "finished" and result.summary.errors == 0
    wall = time.monotonic() - t0
    cpu_s = cpu.stop()
    return Phase(
        "baseline: audit_site looped in one process",
        len(urls),
        ok,
        total_pages,
        round(wall, 1),
        cpu_s,
        round(60 * len(urls) / wall, 2),
        round(60 * total_pages / wall, 1),
        load,
        _load(),
        {
            "seconds_per_site_mean": round(sum(per_site) / len(per_site), 2),
            "seconds_per_site_min": round(min(per_site), 2),
            "seconds_per_site_max": round(max(per_site), 2),
        },
    )


def run_campaign_phase(sites_csv: Path, pages: int, workers: int, db: str, server_pid: int) -> Phase:
    from a11y_audit.campaign import CampaignSettings, CampaignStore, run_campaign
    from a11y_audit.crawl.frontier import CrawlLimits
    from a11y_audit.crawl.politeness import Politeness

    settings = CampaignSettings(
        limits=CrawlLimits(max_pages=pages), politeness=Politeness(delay_s=0, jitter=0), concurrency=1
    )
    load = _load()
    first_done: list[float] = []
    cpu = TreeCPU(exclude=server_pid)
    t0 = time.monotonic()

    def progress(p) -> None:
        if p.last is not None and not first_done:
            first_done.append(time.monotonic() - t0)

    result = run_campaign(db, sites=sites_csv, settings=settings, workers=workers, progress=progress)
    wall = time.monotonic() - t0
    cpu_s = cpu.stop()
    store = CampaignStore(db)
    rows = store.sites(result.campaign_id)
    store.close()
    task_s = [r.task_s for r in rows if r.task_s is not None]
    audit_s = [r.audit_s for r in rows if r.audit_s is not None]
    n = len(rows)
    busy = wall - result.cluster_start_s
    return Phase(
        f"campaign: LocalCluster of {workers} workers",
        n,
        sum(1 for r in rows if r.state == "done" and not r.page_errors),
        sum(r.pages or 0 for r in rows),
        round(wall, 1),
        cpu_s,
        round(60 * n / wall, 2),
        round(60 * sum(r.pages or 0 for r in rows) / wall, 1),
        load,
        _load(),
        {
            "cluster_start_s": round(result.cluster_start_s, 2),
            "first_site_stored_s": round(first_done[0], 2) if first_done else None,
            "task_s_mean": round(sum(task_s) / len(task_s), 3),
            "audit_site_s_mean": round(sum(audit_s) / len(audit_s), 3),
            # in a task, outside audit_site: claim + run creation + scoring + recording
            "in_task_overhead_s_per_site": round((sum(task_s) - sum(audit_s)) / n, 3),
            # worker time not spent in any task once the cluster was up (scheduling, plugin setup, idle tail)
            "idle_worker_s_per_site": round((workers * busy - sum(task_s)) / n, 3),
            "worker_seconds_per_site": round(workers * busy / n, 3),
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the generated site and the databases")
    parser.add_argument("--serve", nargs=2, metavar=("ROOT", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]))
        return

    import gen_site

    work = Path(tempfile.mkdtemp(prefix="ddkit-campaign-bench-"))
    gen_site.generate(work / "site", pages=max(args.pages, 10), seed=7)
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(work / "site"), str(args.sites)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ports = json.loads(server.stdout.readline())
        urls = [f"http://127.0.0.1:{p}/index.html" for p in ports]
        sites_csv = work / "sites.csv"
        sites_csv.write_text(
            "institution,url,category\n"
            + "".join(f"기관 {i:02d},{u},{CATEGORIES[i % len(CATEGORIES)]}\n" for i, u in enumerate(urls)),
            encoding="utf-8",
        )
        phases = []
        print(f"{args.sites} sites x {args.pages} pages; {os.cpu_count()} CPUs; load {_load()}", flush=True)
        if not args.skip_baseline:
            phases.append(run_baseline(urls, args.pages, f"sqlite:///{work / 'baseline.db'}", server.pid))
            print(json.dumps(asdict(phases[-1]), ensure_ascii=False), flush=True)
        phases.append(
            run_campaign_phase(
                sites_csv, args.pages, args.workers, f"sqlite:///{work / 'campaign.db'}", server.pid
            )
        )
        print(json.dumps(asdict(phases[-1]), ensure_ascii=False), flush=True)
        summary: dict = {
            "sites": args.sites,
            "pages_per_site": args.pages,
            "workers": args.workers,
            "cpus": os.cpu_count(),
            "phases": [asdict(p) for p in phases],
        }
        if len(phases) == 2:
            base, camp = phases
            summary["speed_up"] = round(base.wall_s / camp.wall_s, 2)
            summary["speed_up_after_cluster_start"] = round(
                base.wall_s / (camp.wall_s - camp.detail["cluster_start_s"]), 2
            )
            summary["cpu_ratio_baseline_over_campaign"] = round(base.cpu_s / camp.cpu_s, 2)
        print(json.dumps({k: v for k, v in summary.items() if k != "phases"}), flush=True)
        if args.json:
            args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    finally:
        server.kill()
        server.wait()
        if args.keep:
            print(f"kept: {work}", flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
