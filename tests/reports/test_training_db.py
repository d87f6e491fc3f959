"""`ddkit report training --year` from a real training database, filled with the tracker's importer."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cli import main
from tests.reports.html_checks import parse, structure_problems, table_rows
from training_tracker.db import init_database, open_database
from training_tracker.importers import import_file

TODAY = dt.date(2025, 6, 1)


def _csv(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def training_db(tmp_path):
    """2025: 12 elderly learners in Seoul (8 completed), 6 disabled and 2 marriage migrants in Busan
    (5 completed); 10 and 7 elderly learners in 2024 and 2023; targets and population for 2025."""
    db = tmp_path / "training.db"
    url = f"sqlite:///{db}"
    init_database(url)
    engine = open_database(url)
    rows = ["learner_id,birth_year,sex,groups,sido_code,run_code,enrolled_on,status"]
    for i in range(12):
        rows.append(f"E{i:03d},1950,여,고령층,11,C1,2025-04-01,{'수료' if i < 8 else '수강'}")
    for i in range(6):
        rows.append(f"D{i:03d},1980,남,장애인,26,C2,2025-04-02,{'수료' if i < 5 else '수강'}")
    for i in range(2):
        rows.append(f"M{i:03d},1990,여,결혼이민자,26,C2,2025-04-02,수강")
    for i in range(10):
        rows.append(f"F{i:03d},1951,여,고령층,11,C3,2024-04-01,수료")
    for i in range(7):
        rows.append(f"G{i:03d},1952,남,고령층,11,C4,2023-04-01,수료")
    files = [
        (
            "courses",
            "run_code,programme,course_name,mode,start_date,end_date,planned_hours,planned_sessions,sido_code\n"
            "C1,디지털배움터,스마트폰 기초,집합,2025-04-01,2025-04-30,10,5,11\n"
            "C2,디지털배움터,키오스크 활용,집합,2025-04-02,2025-04-30,10,5,26\n"
            "C3,디지털배움터,스마트폰 기초,집합,2024-04-01,2024-04-30,10,5,11\n"
            "C4,디지털배움터,스마트폰 기초,집합,2023-04-01,2023-04-30,10,5,11\n",
        ),
        ("enrolments", "\n".join(rows) + "\n"),
        (
            "targets",
            "year,programme,group,region_code,target_enrolled,target_completed\n"
            "2025,all,all,all,25,15\n2025,all,elderly,all,10,\n2025,all,all,11,15,\n",
        ),
        (
            "population",
            "year,region_code,group,population\n2025,all,all,1000\n2025,all,elderly,300\n2025,all,disabled,50\n",
        ),
    ]
    for kind, text in files:
        assert import_file(engine, _csv(tmp_path / f"{kind}.csv", text), kind=kind, today=TODAY).stored
    engine.dispose()
    return db


def test_training_report_from_the_database(training_db, tmp_path, capsys):
    out = tmp_path / "training.html"
    assert (
        main(["report", "training", "--year", "2025", "--db", str(training_db), "--out", str(out), "--json"])
        == 0
    )
    summary = json.loads(capsys.readouterr().out)["data"]["summary"]
    assert (summary["enrolled"], summary["completed"], summary["target_enrolled"]) == (20, 13, 25)
    html = out.read_text(encoding="utf-8")
    assert structure_problems(html) == []
    tree, _ = parse(html)
    groups = {r[0]: r[1:] for r in table_rows(tree, "groups-table")}
    assert groups["고령층(55세 이상)"] == ["12", "10", "120.0%", "8", "66.7%"]
    assert groups["장애인"] == ["6", "없음", "없음", "5", "83.3%"]
    assert groups["결혼이민자"] == ["<5", "없음", "없음", "<5", "<5"]
    regions = {r[0]: r[1:] for r in table_rows(tree, "regions-table")}
    assert regions["서울특별시"] == ["12", "15", "80.0%", "8", "66.7%"]
    assert regions["부산광역시"] == ["8", "없음", "없음", "5", "62.5%"]
    funnel = {r[0]: r[1:] for r in table_rows(tree, "funnel-table")}
    assert funnel["등록"][0] == "20" and funnel["수료"][0] == "13" and funnel["수료"][2] == "65.0%"
    equity = {r[0]: r[1:] for r in table_rows(tree, "equity-table")}
    # elderly: 12 of 20 learners (60%) against 300 of 1,000 people (30%); gap index from the published series
    assert equity["고령층(55세 이상)"] == ["60.0%", "30.0%", "2.00", "71.8(2025년)"]
    assert equity["장애인"] == ["30.0%", "5.0%", "6.00", "84.1(2025년)"]
    assert str(training_db) in html  # the database file, with its SHA-256


def test_yearly_trend_and_forecast_from_the_database(training_db, tmp_path):
    pytest.importorskip("training_tracker.forecast")
    out = tmp_path / "training.html"
    assert main(["report", "training", "--year", "2025", "--db", str(training_db), "--out", str(out)]) == 0
    tree, _ = parse(out.read_text(encoding="utf-8"))
    rows = table_rows(tree, "chart-trend-data")
    assert [r[:3] for r in rows[:3]] == [["2023", "7", "7"], ["2024", "10", "10"], ["2025", "20", "13"]]
    assert [r[0] for r in rows[3:]] == ["2026", "2027"]  # two forecast years with their intervals
    assert rows[2][3] == "20(실측)"  # the forecast line starts at the last observed year
    for row in rows[3:]:
        low, high = (float(x.replace(",", "")) for x in row[4].split(" – "))
        assert low <= float(row[3].replace(",", "")) <= high


def test_missing_training_database_is_a_clear_error(tmp_path, capsys):
    missing = tmp_path / "none.db"
    assert main(["report", "training", "--year", "2025", "--db", str(missing)]) == 3
    assert "does not exist" in capsys.readouterr().err and not missing.exists()
