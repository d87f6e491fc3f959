"""Throughput of `ddkit audit site` against pa11y-ci on a generated local site, back to back.

    python benchmarks/site_audit.py --pa11y-dir /tmp/pa11y [--pages 240] [--json results.json]

1. Generates the test site (benchmarks/gen_site.py) and serves it on 127.0.0.1 (a separate process).
2. Runs, one after the other on the same machine and the same Debian Chromium:
   * ddkit (crawl from the home page, 2 pages at once, no politeness delay, all pages admitted),
   * pa11y-ci with the axe runner on the same URL list, its default concurrency (1),
   * pa11y-ci at concurrency 2 with ``useIncognitoBrowserContext: false`` (the workaround for
     pa11y-ci issue #354, without which concurrent runs fail pages),
   * ddkit again, to see how much the machine's load moved during the benchmark,
   * the floor (benchmarks/axe_floor.py): Playwright loading each URL and running pa11y's axe rules
     with pa11y's axe build, nothing else, at 2 and 3 pages at once: no axe-based tool that runs
     at least those rules on every page goes faster in this browser on this machine,
   * ddkit without element crops and page thumbnails (``--crops 0 --no-screenshots``).
3. Each tool is measured from process start to exit ("cold"): wall time, pages per minute, CPU
   seconds, and the peak of the summed PSS of its whole process tree (Python or Node, the driver,
   every Chromium process), sampled every 0.2 s.

pa11y-ci must be installed beforehand, without its bundled browser download:
``mkdir -p /tmp/pa11y && cd /tmp/pa11y && npm init -y && PUPPETEER_SKIP_DOWNLOAD=1 npm i pa11y-ci``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import gen_site  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROME_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@dataclass
class Measurement:
    tool: str
    pages: int
    failed: int
    wall_s: float
    pages_per_minute: float
    cpu_s: float
    peak_pss_mb: float
    load_before: float
    command: str


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out.extend(int(c) for c in fh.read().split())
    except OSError:
        pass
    return out


def _tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(_children(p))
    return seen


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime of the process itself
    except (OSError, IndexError, ValueError):
        return 0


def measure(
    tool: str, cmd: list[str], cwd: Path | None = None, env: dict | None = None
) -> tuple[float, float, float, str]:
    """Run ``cmd``; return (wall s, CPU s of the whole tree, peak tree PSS MB, stdout).

    stdout goes to a temporary file, not a pipe: pa11y-ci's --json report of 237 URLs did not come
    through a pipe whole (a Node process that exits right after a large write can cut it off)."""
    sink = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 - closed below
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=sink, stderr=subprocess.PIPE, text=True)
    peak = 0
    ticks: dict[int, int] = {}

    def drain(stream, into):
        for line in stream:
            into.append(line)

    threads = [threading.Thread(target=drain, args=(proc.stderr, []), daemon=True)]
    for t in threads:
        t.start()
    while proc.poll() is None:
        pids = _tree(proc.pid)
        peak = max(peak, sum(_pss_kb(p) for p in pids))
        for p in pids:
            ticks[p] = max(ticks.get(p, 0), _cpu_ticks(p))
        time.sleep(0.2)
    wall = time.monotonic() - start
    for t in threads:
        t.join(timeout=5)
    cpu = sum(ticks.values()) / os.sysconf("SC_CLK_TCK")
    print(
        f"  {tool}: exit {proc.returncode}, {wall:.1f} s, peak PSS {peak / 1024:.0f} MB",
        file=sys.stderr,
        flush=True,
    )
    sink.seek(0)
    out = sink.read()
    sink.close()
    return wall, cpu, peak / 1024, out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_ddkit(
    base: str, work: Path, label: str, concurrency: int, extra: tuple[str, ...] = ()
) -> Measurement:
    db = work / f"{label}.db"
    cmd = [
        str(Path(sys.executable).parent / "ddkit"),
        "audit",
        "site",
        base + "/",
        "--db",
        str(db),
        "--delay",
        "0",
        "--concurrency",
        str(concurrency),
        "--per-host",
        str(concurrency),
        "--max-pages",
        "5000",
        "--max-pattern-variants",
        "5000",
        "--json",
        *extra,
    ]
    load = os.getloadavg()[0]
    wall, cpu, peak, out = measure(label, cmd)
    data = json.loads(out)["data"]
    pages = data["pages"]
    return Measurement(
        label, pages, data["errors"], wall, 60 * pages / wall, cpu, peak, load, " ".join(cmd[1:])
    )


def run_pa11y(
    urls: list[str], work: Path, pa11y_dir: Path, label: str, concurrency: int, incognito: bool
) -> Measurement:
    config = {
        "defaults": {
            "chromeLaunchConfig": {"executablePath": CHROMIUM, "args": CHROME_ARGS},
            "runners": ["axe"],
            "standard": "WCAG2AA",
            "concurrency": concurrency,
            "timeout": 60000,
            **({} if incognito else {"useIncognitoBrowserContext": False}),
        },
        "urls": urls,
    }
    cfg = work / f"{label}.json"
    cfg.write_text(json.dumps(config), encoding="utf-8")
    cmd = [str(pa11y_dir / "node_modules" / ".bin" / "pa11y-ci"), "--json", "--config", str(cfg)]
    load = os.getloadavg()[0]
    wall, cpu, peak, out = measure(label, cmd, cwd=pa11y_dir)
    (work / f"{label}.out").write_text(out, encoding="utf-8")  # kept for a look afterwards
    try:
        # A URL that pa11y could not test has an error object (no "code") instead of issues.
        # --json prints the report as one JSON document; anything printed before it is skipped.
        report, _ = json.JSONDecoder().raw_decode(out[out.index("{") :])
        results = report.get("results", {})
        failed = sum(1 for issues in results.values() if any("code" not in issue for issue in issues))
    except (json.JSONDecodeError, ValueError):
        failed = -1  # not known
    pages = len(urls) - max(failed, 0)
    return Measurement(label, pages, failed, wall, 60 * pages / wall, cpu, peak, load, " ".join(cmd[1:]))


def run_floor(urls: list[str], work: Path, pa11y_dir: Path, concurrency: int) -> Measurement:
    """Load + pa11y's axe rules only (benchmarks/axe_floor.py): the ceiling for either tool here."""
    url_file = work / "urls.txt"
    url_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
    label = f"floor: load + axe (pa11y's rules) only, concurrency {concurrency}"
    cmd = [sys.executable, str(HERE / "axe_floor.py"), str(url_file), "--concurrency", str(concurrency)]
    axe_js = pa11y_dir / "node_modules" / "axe-core" / "axe.min.js"
    if axe_js.exists():
        cmd += ["--axe-js", str(axe_js)]
    load = os.getloadavg()[0]
    wall, cpu, peak, out = measure(label, cmd)
    data = json.loads(out)
    return Measurement(
        label,
        data["pages"],
        data["errors"],
        wall,
        60 * data["pages"] / wall,
        cpu,
        peak,
        load,
        " ".join(cmd[1:]),
    )


def axe_rule_counts(pa11y_dir: Path, base: str) -> dict[str, int]:
    """How many checks each tool runs: axe rules selected by its tags (+ ddkit's own checks)."""
    import asyncio

    from playwright.async_api import async_playwright

    from a11y_audit.axe import load_axe
    from a11y_audit.engine import DEFAULT_TAGS
    from a11y_audit.rules.registry import load_registry

    registry = load_registry()
    pa11y_axe = (pa11y_dir / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
    pa11y_tags = ["wcag2a", "wcag21a", "wcag2aa", "wcag21aa", "best-practice"]

    async def go() -> dict[str, int]:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
            page = await browser.new_page()
            await page.goto(base + "/")
            await page.evaluate(load_axe().script)
            ours = await page.evaluate(
                "([tags, extra]) => new Set([...axe.getRules(tags).map(r => r.ruleId), ...extra]).size",
                [list(DEFAULT_TAGS), sorted(registry.axe_enable)],
            )
            ours_version = await page.evaluate("axe.version")
            page2 = await browser.new_page()
            await page2.goto(base + "/")
            await page2.evaluate(pa11y_axe)
            theirs = await page2.evaluate("(tags) => axe.getRules(tags).length", pa11y_tags)
            theirs_version = await page2.evaluate("axe.version")
            await browser.close()
        return {
            "ddkit_axe_rules": ours,
            "ddkit_axe_version": ours_version,
            "ddkit_own_checks": len(registry.checks),
            "pa11y_axe_rules": theirs,
            "pa11y_axe_version": theirs_version,
        }

    return asyncio.run(go())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pa11y-dir", type=Path, default=Path("/tmp/pa11y"))
    parser.add_argument("--pages", type=int, default=240)
    parser.add_argument("--concurrency", type=int, default=2, help="ddkit --concurrency")
    parser.add_argument("--skip-pa11y", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ddkit-bench-"))
    paths = gen_site.generate(work / "site", args.pages)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(work / "site"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)
    urls = [base + ("/" if p == "/index.html" else p) for p in paths]
    results: list[Measurement] = []

    def done(m: Measurement) -> None:
        results.append(m)
        print(f"  -> {json.dumps(asdict(m), ensure_ascii=False)}", file=sys.stderr, flush=True)

    try:
        print(f"{len(urls)} pages at {base}; work folder {work}", file=sys.stderr)
        results.append(run_ddkit(base, work, "ddkit (1st)", args.concurrency))
        if not args.skip_pa11y:
            results.append(run_pa11y(urls, work, args.pa11y_dir, "pa11y-ci concurrency 1", 1, True))
            results.append(
                run_pa11y(urls, work, args.pa11y_dir, "pa11y-ci concurrency 2, no incognito", 2, False)
            )
            results.append(run_ddkit(base, work, "ddkit (2nd)", args.concurrency))
            for n in (2, 3):
                results.append(run_floor(urls, work, args.pa11y_dir, n))
        results.append(
            run_ddkit(
                base,
                work,
                "ddkit, no crops or thumbnails",
                args.concurrency,
                ("--crops", "0", "--no-screenshots"),
            )
        )
        checks = axe_rule_counts(args.pa11y_dir, base) if not args.skip_pa11y else {}
    finally:
        server.terminate()
    print("| tool | pages | failed | wall s | pages/min | CPU s | peak tree PSS MB | load avg before |")
    print("|---|---|---|---|---|---|---|---|")
    for m in results:
        print(
            f"| {m.tool} | {m.pages} | {m.failed} | {m.wall_s:.1f} | {m.pages_per_minute:.1f} | {m.cpu_s:.0f} "
            f"| {m.peak_pss_mb:.0f} | {m.load_before:.1f} |"
        )
    ddkit_runs = [m for m in results if m.tool.startswith("ddkit")]
    pa11y_runs = [m for m in results if m.tool.startswith("pa11y")]
    floor_runs = [m for m in results if m.tool.startswith("floor")]
    summary: dict = {"pages": len(urls), "measurements": [asdict(m) for m in results], "checks": checks}
    if ddkit_runs and pa11y_runs:
        best = max(pa11y_runs, key=lambda m: m.pages_per_minute)
        ratios = {
            m.tool: round(m.pages_per_minute / best.pages_per_minute, 2) for m in ddkit_runs + floor_runs
        }
        summary["ratio_vs_best_pa11y"] = ratios
        print(f"\nratio to the best pa11y-ci ({best.tool}, {best.pages_per_minute:.1f} pages/min):")
        for tool, ratio in ratios.items():
            print(f"  {tool}: {ratio:.2f}x")
    if checks:
        print(f"checks: {json.dumps(checks)}")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
