"""Benchmark: `ddkit demo` from start to finish, after set-up (issue 8: under 5 minutes on a
2-core machine).

    .venv/bin/python benchmarks/demo_bench.py              # 3 rounds
    .venv/bin/python benchmarks/demo_bench.py --rounds 1

Each round runs `ddkit demo` in a fresh temporary folder (so the sample database, the audits, the
survey, the training records and the reports are all made from scratch) and records the wall-clock
time, the CPU time of ddkit and every child (Chromium included), the peak resident memory of the
largest process and the load average before and after. Results go to stdout and to
benchmarks/out/demo.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DDKIT = str(ROOT / ".venv" / "bin" / "ddkit")


def one_round() -> dict:
    with tempfile.TemporaryDirectory(prefix="ddkit-demo-bench-") as folder:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        load_before = os.getloadavg()[0]
        start = time.perf_counter()
        done = subprocess.run([DDKIT, "demo"], cwd=folder, capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit(f"ddkit demo failed ({done.returncode}):\n{done.stderr[-2000:]}")
        reports = sorted(p.name for p in (Path(folder) / "ddkit-demo").glob("*.html"))
    return {
        "wall_s": round(wall, 1),
        "cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 1),
        "peak_rss_mb": round(after.ru_maxrss / 1024),
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "reports": reports,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="how many demos to run (default 3)")
    args = parser.parse_args()
    rounds = []
    for n in range(1, args.rounds + 1):
        result = one_round()
        rounds.append(result)
        print(
            f"round {n}: {result['wall_s']} s wall, {result['cpu_s']} CPU-s, "
            f"peak RSS {result['peak_rss_mb']} MB, load {result['load_before']} -> "
            f"{result['load_after']}, {len(result['reports'])} reports",
            flush=True,
        )
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "demo.json").write_text(json.dumps({"rounds": rounds}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
