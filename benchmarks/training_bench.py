"""Benchmark: importing 1,000,000 enrolment rows, against the sqlite3 command line's `.import` of
the same file, and `ddkit training kpis` over them.

    .venv/bin/python benchmarks/training_bench.py              # 1,000,000 rows, 5 rounds
    .venv/bin/python benchmarks/training_bench.py --rows 200000 --rounds 1

Two files are measured:

* ``wide``: one row per enrolment carrying the learner's attributes too (pseudonymous id, birth
  year, sex, 시도, 시군구, groups, course run, date), the shape of local 정보화교육 수강 records; the
  import validates every cell, scans every column for RRN-shaped values, creates the learners and
  writes the enrolments.
* ``narrow``: learner id, course run and date only, after the learners were imported (not timed).

Each round runs `sqlite3 x.db ".import"` and `ddkit training import` one after the other on a fresh
database (the 5,000 course runs imported beforehand, untimed), so both see the same machine load;
times are wall clock of the whole process, CPU is user + system of the child. Results go to stdout
as each is measured and to benchmarks/out/training.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DDKIT = [str(ROOT / ".venv" / "bin" / "ddkit")]
GROUPS = (
    "elderly",
    "disabled",
    "low_income",
    "marriage_immigrant",
    "farmers_fishers",
    "nk_defector",
    "general",
)
REGIONS = (
    ("11", "11110"),
    ("11", "11680"),
    ("26", "26110"),
    ("41", "41110"),
    ("41", "41460"),
    ("47", "47111"),
)


def write_files(folder: Path, rows: int, runs: int = 5000, seed: int = 1) -> dict[str, Path]:
    rng = random.Random(seed)
    learners = max(rows * 37 // 100, 1)
    courses = folder / "courses.csv"
    with open(courses, "w", encoding="utf-8") as fh:
        fh.write("run_code,programme,course_name,mode,start_date,end_date,planned_hours,planned_sessions\n")
        for i in range(runs):
            fh.write(f"R{i:05d},digital_baeumteo,course {i},classroom,2025-01-01,2025-12-31,20,10\n")
    people = []
    for i in range(learners):
        sido, sigungu = REGIONS[i % len(REGIONS)]
        first = GROUPS[i % len(GROUPS)]
        groups = first if i % 3 else f"{first}|low_income" if first != "low_income" else first
        people.append((f"L{i:07d}", str(1940 + i % 60), "MF"[i % 2], sido, sigungu, groups))
    pairs = set()
    while len(pairs) < rows:
        pairs.add((rng.randrange(learners), rng.randrange(runs)))
    pairs = list(pairs)
    rng.shuffle(pairs)
    wide, narrow, register = (
        folder / "enrolments_wide.csv",
        folder / "enrolments_narrow.csv",
        folder / "learners.csv",
    )
    with open(wide, "w", encoding="utf-8") as w, open(narrow, "w", encoding="utf-8") as n:
        w.write("learner_id,birth_year,sex,sido_code,sigungu_code,groups,run_code,enrolled_on\n")
        n.write("learner_id,run_code,enrolled_on\n")
        for person, run in pairs:
            p = people[person]
            day = f"2025-{1 + run % 12:02d}-{1 + (person + run) % 28:02d}"
            w.write(f"{','.join(p)},R{run:05d},{day}\n")
            n.write(f"{p[0]},R{run:05d},{day}\n")
    with open(register, "w", encoding="utf-8") as fh:
        fh.write("learner_id,birth_year,sex,sido_code,sigungu_code,groups\n")
        for p in people:
            fh.write(",".join(p) + "\n")
    return {"courses": courses, "wide": wide, "narrow": narrow, "learners": register}


def timed(command: list[str], env: dict | None = None) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": round(wall, 3), "cpu": round(cpu, 3), "stdout": done.stdout}


def fresh_db(folder: Path, name: str, files: dict, with_learners: bool) -> Path:
    db = folder / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    for args in (
        ["training", "init"],
        ["training", "import", str(files["courses"]), "--kind", "courses"],
        *([["training", "import", str(files["learners"]), "--kind", "learners"]] if with_learners else []),
    ):
        timed([*DDKIT, *args, "--db", str(db)])
    return db


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "out" / "training")
    args = parser.parse_args()
    if not shutil.which("sqlite3"):
        sys.exit("the sqlite3 command-line shell is needed (apt-get install sqlite3)")
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"writing {args.rows:,} enrolment rows to {args.work} …", flush=True)
    files = write_files(args.work, args.rows)
    sizes = {k: p.stat().st_size for k, p in files.items()}
    results: dict = {
        "rows": args.rows,
        "rounds": args.rounds,
        "cpus": os.cpu_count(),
        "sqlite3": subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[0],
        "file_bytes": sizes,
        "load_before": os.getloadavg(),
        "import": {},
    }
    env = {**os.environ, "DDKIT_PSEUDONYM_KEY_FILE": str(args.work / "pseudonym.key")}
    for shape in ("wide", "narrow"):
        rounds = []
        for round_no in range(1, args.rounds + 1):
            plain = args.work / "plain.db"
            plain.unlink(missing_ok=True)
            sqlite = timed(["sqlite3", str(plain), "-cmd", ".mode csv", f".import {files[shape]} enrolments"])
            db = fresh_db(args.work, f"ddkit_{shape}.db", files, with_learners=shape == "narrow")
            command = [*DDKIT, "training", "import", str(files[shape]), "--kind", "enrolments"]
            command += ["--db", str(db), "--json"]
            ours = timed(command, env=env)
            added = json.loads(ours["stdout"])["data"]["added"]
            again = timed(command, env=env)
            assert json.loads(again["stdout"])["data"]["added"] == {"enrolments": 0}
            row = {
                "sqlite3_import": {k: sqlite[k] for k in ("wall", "cpu")},
                "ddkit_import": {k: ours[k] for k in ("wall", "cpu")},
                "ddkit_reimport": {k: again[k] for k in ("wall", "cpu")},
                "ratio_wall": round(ours["wall"] / sqlite["wall"], 2),
                "ratio_cpu": round(ours["cpu"] / sqlite["cpu"], 2),
                "added": added,
                "load": os.getloadavg()[0],
            }
            rounds.append(row)
            print(f"{shape} round {round_no}: {json.dumps(row)}", flush=True)
        results["import"][shape] = {
            "rounds": rounds,
            "median_ratio_wall": statistics.median(r["ratio_wall"] for r in rounds),
            "median_ratio_cpu": statistics.median(r["ratio_cpu"] for r in rounds),
        }
    kpi_runs = []
    db = args.work / "ddkit_wide.db"
    for _ in range(args.rounds):
        run = timed(
            [*DDKIT, "training", "kpis", "--year", "2025", "--as-of", "2025-12-31", "--db", str(db), "--json"]
        )
        kpi_runs.append({"wall": run["wall"], "cpu": run["cpu"], "load": os.getloadavg()[0]})
        print(f"kpis: {json.dumps(kpi_runs[-1])}", flush=True)
    headline = json.loads(run["stdout"])["data"]["headline"]
    results["kpis"] = {
        "runs": kpi_runs,
        "enrolments": headline["enrolments"],
        "learners": headline["learners"],
    }
    results["load_after"] = os.getloadavg()
    out = ROOT / "benchmarks" / "out" / "training.json"
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps({k: v for k, v in results.items() if k != "import"}, indent=2))
    for shape, summary in results["import"].items():
        print(f"{shape}: median ratio wall {summary['median_ratio_wall']}, cpu {summary['median_ratio_cpu']}")
    print(f"written {out}")


if __name__ == "__main__":
    main()
