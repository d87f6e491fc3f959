"""`ddkit training …` end to end in a real SQLite file: one course run from the command line,
versioned completion rules, purge, exit codes and JSON documents."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import sqlalchemy as sa

from tests.training.conftest import write
from training_tracker import models as m
from training_tracker.db import open_database


def _course(cli):
    code, out, err = cli(
        "course", "add", "--code", "R1", "--programme", "digital_baeumteo", "--name", "스마트폰 기초",
        "--mode", "집합", "--start", "2025-03-03", "--end", "2025-03-31", "--hours", "10", "--sessions", "5",
        "--sigungu", "11110",
    )  # fmt: skip
    assert code == 0, err
    assert "Added course run R1" in out


def test_one_course_from_the_command_line(cli, key_file, db_path):
    assert cli("init")[0] == 0
    _course(cli)
    made = cli.json(
        "learner", "add", "--name", "홍길동", "--phone", "010-1234-5678", "--birth-year", "1950", "--sex", "남",
        "--group", "elderly", "--group", "저소득층", "--sigungu", "11110",
    )  # fmt: skip
    person = made["data"]["learner"]
    assert made["data"]["created"] and person.startswith("P") and key_file.exists()
    assert oct(os.stat(key_file).st_mode & 0o777) == "0o600"
    for learner in ("L2", "L3"):
        assert cli("learner", "add", "--learner", learner, "--birth-year", "1960", "--sex", "F", "-g", "elderly",
                   "--sido", "11")[0] == 0  # fmt: skip
    for learner in (person, "L2", "L3"):
        assert cli("enrol", "--learner", learner, "--run", "R1", "--on", "2025-03-01")[0] == 0
    code, out, _ = cli("enrol", "--learner", "L2", "--run", "R1")
    assert code == 0 and "already enrolled" in out

    days = ["2025-03-03", "2025-03-10", "2025-03-17", "2025-03-24", "2025-03-31"]
    for n, day in enumerate(days, start=1):
        absent = ["-a", "L3"] if n > 2 else ["-p", "L3"]
        late = ["-l", "L2=60"] if n == 5 else ["-p", "L2"]
        code, out, err = cli("attend", "R1", str(n), "--date", day, "-p", person, *late, *absent)
        assert code == 0, err
    assert "present 1, late 1, excused 0, absent 1" in out

    # hours80: 480 of 600 minutes. person 600, L2 540, L3 240.
    result = cli.json("complete", "R1", "--final", "--as-of", "2025-04-01")["data"]
    assert (result["completed"], result["not_completed"], result["needed"], result["rule_version"]) == (
        2,
        1,
        480,
        1,
    )
    assert {r["learner"]: r["attended"] for r in result["learners"]} == {person: 600, "L2": 540, "L3": 240}

    # A stricter new version of the rule does not rewrite decided completions ...
    assert cli.json("rule", "add", "--code", "hours80", "--min-ratio", "0.95")["data"]["version"] == 2
    assert cli.json("complete", "R1", "--final")["data"]["unchanged"] == 3
    # ... unless asked to, and then each decision records the version it was judged by.
    again = cli.json("complete", "R1", "--final", "--recompute", "--as-of", "2025-04-01")["data"]
    assert (again["completed"], again["not_completed"], again["rule_version"]) == (1, 2, 2)
    engine = open_database(f"sqlite:///{db_path}")
    with engine.connect() as conn:
        versions = (
            conn.execute(
                sa.select(m.CompletionRule.version).join(
                    m.Enrolment, m.Enrolment.completion_rule_id == m.CompletionRule.id
                )
            )
            .scalars()
            .all()
        )
    engine.dispose()
    assert versions == [2, 2, 2]
    rules = cli.json("rule", "list")["data"]
    assert [(r["code"], r["version"], r["min_ratio"]) for r in rules] == [
        ("hours80", 1, 0.8),
        ("hours80", 2, 0.95),
    ]

    assert cli("break", "add", "--month", "2024-01", "--kind", "budget_cut")[0] == 0
    assert cli.json("break", "list")["data"] == [
        {"month": "2024-01", "programme": "all", "kind": "budget_cut", "note": None}
    ]


def test_usage_errors_exit_2_and_bad_input_exits_3(cli, tmp_path):
    _course(cli)
    code, _, err = cli("learner", "add", "--learner", "900101-1234567", "--birth-year", "1950", "--sex", "M",
                       "-g", "elderly", "--sido", "11")  # fmt: skip
    assert code == 2 and "resident registration number" in err and "1234567" not in err
    code, _, err = cli("learner", "add", "--learner", "X", "--birth-year", "1950", "--sex", "M", "-g", "elderly",
                       "--sido", "11", "--disability-type", "visual")  # fmt: skip
    assert code == 2 and "consent" in err
    code, _, err = cli("enrol", "--learner", "nobody", "--run", "R1")
    assert code == 3 and "no learner 'nobody'" in err and "Traceback" not in err
    code, _, err = cli("complete")
    assert code == 2 and "give a run code or --all" in err
    code, _, _ = cli("import", "x.csv", "--kind", "wrong")
    assert code == 2

    bad = write(tmp_path / "bad.csv", "learner_id,run_code,enrolled_on\nA1,R1,2025-02-30\n")
    code, stdout, _ = cli("import", str(bad), "--kind", "enrolments", "--json")
    document = json.loads(stdout)
    assert code == 3 and document["kind"] == "training.import" and not document["data"]["stored"]
    assert document["data"]["errors"][0] | {"message": ""} == {
        "row": 2,
        "column": "enrolled_on",
        "field": "enrolled_on",
        "code": "bad_date",
        "message": "",
    }
    code, _, err = cli("import", str(bad), "--kind", "enrolments")
    assert code == 3 and "Refused: bad.csv" in err and "bad.csv: row 2, column enrolled_on" in err


def test_purge_says_how_many(cli, db_path):
    _course(cli)
    for learner, until in (("OLD1", "2024-12-31"), ("OLD2", "2025-01-31"), ("NEW", "2030-12-31")):
        cli("learner", "add", "--learner", learner, "--birth-year", "1950", "--sex", "M", "-g", "elderly", "--sido",
            "11", "--retain-until", until)  # fmt: skip
        cli("enrol", "--learner", learner, "--run", "R1", "--on", "2025-03-01")
    cli("attend", "R1", "1", "--date", "2025-03-03", "-p", "OLD1", "-p", "OLD2", "-p", "NEW")
    dry = cli.json("purge", "--as-of", "2025-06-01", "--dry-run")["data"]
    assert (dry["learners"], dry["enrolments"], dry["attendance"], dry["dry_run"]) == (2, 2, 2, True)
    code, out, _ = cli("purge", "--as-of", "2025-06-01")
    assert code == 0 and "Deleted 2 learner(s)" in out and "2 enrolment(s), 2 attendance record(s)" in out
    engine = open_database(f"sqlite:///{db_path}")
    with engine.connect() as conn:
        assert conn.execute(sa.select(m.Learner.pseudonym)).scalars().all() == ["NEW"]
        assert conn.execute(sa.select(sa.func.count()).select_from(m.Attendance)).scalar_one() == 1
    engine.dispose()


def test_sample_command_writes_files_and_mappings(cli, tmp_path):
    document = cli.json("sample", "--out", str(tmp_path / "s"), "--seed", "3", "--learners", "60")
    files = document["data"]["files"]
    assert [f["kind"] for f in files][:4] == ["sites", "courses", "learners", "enrolments"]
    assert all((tmp_path / "s" / os.path.basename(f["mapping"])).exists() for f in files)
    assert (tmp_path / "s" / "README.txt").read_text(encoding="utf-8").count("ddkit training import") == len(
        files
    )


def test_an_import_in_its_own_process_does_not_load_pandas(cli, key_file, db_path, tmp_path):
    # pyarrow would import pandas (a quarter second) on its first conversion; `ddkit training
    # import` run as its own process tells it pandas is missing. The import must work all the same.
    assert cli("init")[0] == 0
    _course(cli)
    path = write(tmp_path / "e.csv", "learner_id,birth_year,sex,sido_code,groups,run_code,enrolled_on\n"
                 "A1,1950,F,11,elderly,R1,2025-03-03\nA2,1951,M,11,elderly|disabled,R1,2025-03-04\n")  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cli", "training", "import", str(path), "--kind", "enrolments",
         "--db", str(db_path), "--json"],
        capture_output=True, text=True, env={**os.environ, "DDKIT_PSEUDONYM_KEY_FILE": str(key_file)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["data"]["added"] == {"learners": 2, "enrolments": 2}
    loaded = {
        line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")
    }
    assert "pyarrow.lib" in loaded and "pandas.core" not in loaded
