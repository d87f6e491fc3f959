"""The sample generator: reproducible, importable in order with its mappings, and its KPIs equal
figures recomputed here from the CSV files alone (no SQL)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections import defaultdict

import pytest

from training_tracker.kpis import compute_kpis
from training_tracker.sample import FILES, IMPORT_ORDER, generate_sample, write_sample

AS_OF = dt.date(2025, 10, 15)


def _read(folder, kind):
    with open(folder / FILES[kind][0], encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    write_sample(generate_sample(5, learners=150, as_of=AS_OF), folder)
    return folder


def test_same_seed_same_files(sample_dir, tmp_path):
    write_sample(generate_sample(5, learners=150, as_of=AS_OF), tmp_path)
    for kind in IMPORT_ORDER:
        name = FILES[kind][0]
        assert (
            hashlib.sha256((tmp_path / name).read_bytes()).digest()
            == hashlib.sha256((sample_dir / name).read_bytes()).digest()
        ), name


def test_import_complete_and_kpis_match_the_files(sample_dir, cli, engine):
    for kind in IMPORT_ORDER:
        name = FILES[kind][0]
        mapping = name.replace(".csv", ".mapping.yaml")
        code, _out, err = cli("import", str(sample_dir / name), "--mapping", str(sample_dir / mapping))
        assert code == 0, err
    again = cli.json(
        "import", str(sample_dir / "attendance.csv"), "--mapping", str(sample_dir / "attendance.mapping.yaml")
    )
    assert again["data"]["added"] == {"attendance": 0}
    assert cli("complete", "--all", "--final", "--as-of", AS_OF.isoformat())[0] == 0
    report = compute_kpis(engine, year=2025, as_of=AS_OF)

    # The same figures from the files: runs of 2025, attended minutes against 80% of planned hours.
    runs = {r["과정코드"]: r for r in _read(sample_dir, "courses") if r["개설년도"] == "2025"}
    enrolments = [e for e in _read(sample_dir, "enrolments") if e["과정코드"] in runs]
    minutes = defaultdict(int)
    present = set()
    for row in _read(sample_dir, "attendance"):
        key = (row["가명아이디"], row["과정코드"])
        minutes[key] += int(row["출석시간(분)"])
        if row["출결"] in ("출석", "지각"):
            present.add(key)
    completed = {
        (e["가명아이디"], e["과정코드"])
        for e in enrolments
        if dt.date.fromisoformat(runs[e["과정코드"]]["교육종료일"]) <= AS_OF
        and minutes[(e["가명아이디"], e["과정코드"])] >= 0.8 * float(runs[e["과정코드"]]["교육시간"]) * 60
    }
    certified = {
        (o["가명아이디"], o["과정코드"])
        for o in _read(sample_dir, "outcomes")
        if o["성과구분"] == "자격증" and o["결과"] == "합격"
    } & completed
    expected = {
        "enrolments": len(enrolments),
        "learners": len({e["가명아이디"] for e in enrolments}),
        "attended": sum((e["가명아이디"], e["과정코드"]) in present for e in enrolments),
        "completed": len(completed),
        "certified": len(certified),
    }
    got = {k: report.headline[k] for k in expected}
    assert got == {k: (v if v >= 5 else None) for k, v in expected.items()}
    assert expected["enrolments"] > 50 and expected["completed"] >= 5
    by_month = defaultdict(int)
    for e in enrolments:
        by_month[e["등록일"][:7]] += 1
    assert {r["month"]: r["enrolments"] for r in report.by_month} == {
        k: (v if v >= 5 else None) for k, v in sorted(by_month.items())
    }
    purge = cli.json("purge", "--as-of", AS_OF.isoformat(), "--dry-run")["data"]
    assert purge["learners"] == sum(
        1 for r in _read(sample_dir, "learners") if r["보존기한"] < AS_OF.isoformat()
    )
