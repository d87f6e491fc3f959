"""Benchmark: the whole index with SEs on 1,000,000 respondents x 40 items x 80 replicate weights,
against the time pandas needs only to read the same Parquet file.

    .venv/bin/python benchmarks/survey_index.py                 # 1,000,000 respondents, 3 rounds
    .venv/bin/python benchmarks/survey_index.py --n 200000 --rounds 1

Each measurement runs in a fresh Python process (imports excluded from the timing) that reports
its own wall time and peak resident memory; reading and computing alternate, so a busy machine
slows both alike. The data are written once by ``ddkit survey synth`` logic (seed 1) and kept.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

READ = """
import json, resource, time
import pandas as pd
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
t, c = time.perf_counter(), cpu()
frame = pd.read_parquet({path!r})
seconds, cpu_seconds = time.perf_counter() - t, cpu() - c
print(json.dumps({{"seconds": seconds, "cpu": cpu_seconds,
                  "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6, "shape": list(frame.shape)}}))
"""

INDEX = """
import json, resource, time
from gap_survey.codebook import load_codebook
from gap_survey.index import compute_index_from_file
codebook = load_codebook({codebook!r})
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
t, c = time.perf_counter(), cpu()
result = compute_index_from_file({path!r}, codebook, 2024, domains={domains!r}, variance={variance!r})
seconds, cpu_seconds = time.perf_counter() - t, cpu() - c
print(json.dumps({{"seconds": seconds, "cpu": cpu_seconds, "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6,
                  "replicates": result.meta["design"]["replicates"], "method": result.meta["design"]["variance_method"],
                  "elderly_total": result.levels.query("group == 'elderly' and component == 'total'")[["estimate", "se"]].iloc[0].tolist()}}))
"""


def child(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def make_data(path: Path, codebook: Path, n: int, replicates: int) -> float:
    import yaml

    from gap_survey.codebook import codebook_with_replicates
    from gap_survey.synth import synthesize

    t = time.perf_counter()
    result = synthesize(2024, n, seed=1, replicates=replicates)
    result.frame.to_parquet(path, index=False)
    raw = codebook_with_replicates(result.codebook, prefix="rw_", rtype="bootstrap")
    codebook.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--replicates", type=int, default=80)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path("/tmp/ddkit-bench"))
    parser.add_argument(
        "--extra", action="store_true", help="also time the jackknife, Taylor and domain variants"
    )
    args = parser.parse_args()

    load_start = os.getloadavg()[0]
    args.data.mkdir(parents=True, exist_ok=True)
    path = args.data / f"survey_{args.n}_{args.replicates}.parquet"
    codebook = path.with_suffix(".codebook.yaml")
    if not path.exists() or not codebook.exists():
        seconds = make_data(path, codebook, args.n, args.replicates)
        print(f"wrote {path} ({path.stat().st_size / 1e6:.0f} MB) in {seconds:.1f} s")
    child(READ.format(path=str(path)))  # warm the page cache

    variants = [("replicate", [])]
    if args.extra:
        variants += [("jackknife", []), ("taylor", []), ("replicate", None)]
    reads: list[dict] = []
    runs: dict[str, list[dict]] = {}
    for _ in range(args.rounds):
        for variance, domains in variants:
            reads.append(child(READ.format(path=str(path))))
            key = f"{variance}{'' if domains == [] else ' + all domains'}"
            runs.setdefault(key, []).append(
                child(
                    INDEX.format(path=str(path), codebook=str(codebook), domains=domains, variance=variance)
                )
            )
    read_s = statistics.median(r["seconds"] for r in reads)
    print(
        f"\nload average {load_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; CPUs: {os.cpu_count()}"
    )
    print(f"respondents {args.n:,}, items 40, replicate weights {args.replicates}, rounds {args.rounds}")

    def listing(items: list[dict]) -> str:
        return ", ".join(f"{r['seconds']:.2f}" for r in items)

    read_peak = max(r["peak_gb"] for r in reads)
    read_cpu = statistics.median(r["cpu"] for r in reads)
    print(
        f"pandas.read_parquet: median {read_s:.2f} s wall (runs {listing(reads)}), {read_cpu:.2f} s CPU, "
        f"peak {read_peak:.2f} GB"
    )
    for key, items in runs.items():
        s = statistics.median(r["seconds"] for r in items)
        c = statistics.median(r["cpu"] for r in items)
        peak = max(r["peak_gb"] for r in items)
        print(
            f"index [{key}]: median {s:.2f} s wall (runs {listing(items)}) = {s / read_s:.2f} x read; "
            f"{c:.2f} s CPU = {c / read_cpu:.2f} x read; peak {peak:.2f} GB; "
            f"{items[0]['replicates']} replicates; elderly total {items[0]['elderly_total']}"
        )


if __name__ == "__main__":
    main()
