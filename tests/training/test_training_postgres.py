"""The training tracker's database features on both backends (SQLite file and PostgreSQL): schema
creation and upgrade, records, completion, bulk import, KPIs, the monthly series, breaks and purge."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from training_tracker import models as m
from training_tracker.db import SCHEMA_HEAD, init_database, open_database
from training_tracker.forecast import breaks_from_db, monthly_series
from training_tracker.importers import import_file
from training_tracker.kpis import compute_kpis
from training_tracker.records import (
    AttendanceMark,
    add_break,
    add_course,
    add_learner,
    add_rule,
    complete_run,
    enrol,
    list_rules,
    purge_expired,
    record_attendance,
)

SESSIONS = ["2025-03-03", "2025-03-10", "2025-03-17", "2025-03-24"]
TODAY = dt.date(2025, 3, 1)


def _count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


def _one_course_six_learners(db_url):
    """Course R1 (8 h in 4 sessions of 120 minutes) with six enrolled learners and their attendance."""
    first = init_database(db_url)
    assert first.created and first.version == SCHEMA_HEAD
    assert not init_database(db_url).created  # opening again: nothing to upgrade
    engine = open_database(db_url)

    assert add_rule(engine, code="sessions75", basis="sessions", min_ratio=0.75)["version"] == 1
    assert add_rule(engine, code="sessions75", basis="sessions", min_ratio=0.7)["version"] == 2
    assert [(r["code"], r["version"]) for r in list_rules(engine)] == [
        ("hours80", 1),
        ("sessions75", 1),
        ("sessions75", 2),
    ]
    add_course(
        engine,
        code="R1",
        programme="디지털배움터",
        course_name="스마트폰 기초",
        mode="classroom",
        start_date="2025-03-03",
        end_date="2025-03-28",
        planned_hours=8,
        planned_sessions=4,
        sido_code="11",
        sigungu_code="11110",
    )
    for i in range(1, 7):
        made = add_learner(
            engine,
            learner_id=f"P{i:04d}",
            birth_year=1950 + i,
            sex="F" if i % 2 else "M",
            groups=["elderly"],
            sido_code="11",
            sigungu_code="11110",
            retain_until="2026-12-31" if i <= 3 else "2030-12-31",
            today=TODAY,
        )
        assert made["created"]
        assert enrol(engine, learner=f"P{i:04d}", run_code="R1", enrolled_on="2025-03-03")["created"]
    assert not enrol(engine, learner="P0001", run_code="R1")["created"]

    # P0001-P0004 attend all four sessions, P0005 three, P0006 two (120 planned minutes each).
    attended = {1: 4, 2: 4, 3: 4, 4: 4, 5: 3, 6: 2}
    for n, day in enumerate(SESSIONS, start=1):
        marks = [AttendanceMark(f"P{i:04d}", "P" if n <= k else "A") for i, k in attended.items()]
        record_attendance(engine, run_code="R1", session_no=n, date=day, marks=marks)
    # A correction keeps one row per learner and session.
    record_attendance(
        engine, run_code="R1", session_no=4, date=SESSIONS[3], marks=[AttendanceMark("P0006", "E")]
    )
    assert _count(engine, m.Attendance) == 24 and _count(engine, m.Session) == 4

    return engine


def test_records_completion_series_breaks_and_purge(db_url):
    engine = _one_course_six_learners(db_url)
    # hours80: 80 % of 8 h = 384 minutes; 3 sessions (360) are not enough.
    result = complete_run(engine, "R1", final=True, as_of="2025-03-31")
    assert (result.completed, result.not_completed, result.needed) == (4, 2, 384)
    assert complete_run(engine, "R1", final=True, as_of="2025-03-31").unchanged == 6

    add_break(engine, month="2025-03", kind="launch", note="첫 운영")
    add_break(engine, month="2025-03", kind="other")  # the same month again: updated, not added
    assert [(b["period"], b["kind"]) for b in breaks_from_db(engine)] == [("2025-03", "other")]

    assert monthly_series(engine, "enrolments") == [("2025-03", 6.0)]
    assert monthly_series(engine, "completions") == [("2025-03", 4.0)]

    dry = purge_expired(engine, as_of="2027-01-01", dry_run=True)
    assert (dry.learners, dry.enrolments, dry.attendance) == (3, 3, 12)
    assert _count(engine, m.Learner) == 6
    done = purge_expired(engine, as_of="2027-01-01")
    assert (done.learners, done.enrolments, done.attendance) == (3, 3, 12)
    assert (_count(engine, m.Learner), _count(engine, m.Enrolment), _count(engine, m.Attendance)) == (
        3,
        3,
        12,
    )
    engine.dispose()


def test_bulk_import_is_all_or_nothing_and_idempotent(db_url, tmp_path):
    init_database(db_url)
    engine = open_database(db_url)
    courses = tmp_path / "courses.csv"
    courses.write_text(
        "run_code,programme,course_name,mode,start_date,end_date,planned_hours,planned_sessions,sido_code\n"
        "C1,디지털배움터,키오스크 활용,집합,2025-04-01,2025-04-30,10,5,26\n",
        encoding="utf-8",
    )
    enrolments = tmp_path / "enrolments.csv"
    enrolments.write_text(
        "learner_id,birth_year,sex,groups,sido_code,run_code,enrolled_on,status\n"
        "Q0001,1948,여,고령층,26,C1,2025-04-01,수강\n"
        "Q0002,1952,남,고령층,26,C1,2025-04-01,수료\n"
        "Q0003,1961,여,장애인,26,C1,2025-04-02,중도포기\n",
        encoding="utf-8",
    )
    assert import_file(engine, courses, kind="courses", today=TODAY).stored
    first = import_file(engine, enrolments, kind="enrolments", today=TODAY)
    assert first.ok and first.stored and first.rows == 3
    assert _count(engine, m.Learner) == 3 and _count(engine, m.Enrolment) == 3
    again = import_file(engine, enrolments, kind="enrolments", today=TODAY)
    assert again.stored and again.already_present >= 3
    assert _count(engine, m.Enrolment) == 3  # nothing twice
    with engine.connect() as conn:
        statuses = dict(
            conn.execute(sa.select(m.Learner.pseudonym, m.Enrolment.status).join(m.Enrolment)).all()
        )
    assert statuses == {"Q0001": "enrolled", "Q0002": "completed", "Q0003": "withdrawn"}

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "learner_id,birth_year,sex,groups,sido_code,run_code,enrolled_on\n"
        "Q0004,1950,여,고령층,26,C1,2025-04-03\n"
        "Q0005,1950,여,고령층,26,NOPE,2025-04-03\n",
        encoding="utf-8",
    )
    refused = import_file(engine, bad, kind="enrolments", today=TODAY)
    assert not refused.stored and refused.errors_total >= 1
    assert _count(engine, m.Learner) == 3  # the valid row was not stored either
    engine.dispose()


def test_kpis_by_month(db_url):
    engine = _one_course_six_learners(db_url)
    try:
        complete_run(engine, "R1", final=True, as_of="2025-03-31")
        report = compute_kpis(engine, year=2025, as_of=dt.date(2025, 4, 1))
    finally:
        engine.dispose()
    assert report.headline["enrolments"] == 6 and report.headline["learners"] == 6
    assert report.headline["completed"] is None and "completed" in report.headline["suppressed"]  # 4 < 5
    assert [(r["month"], r["enrolments"]) for r in report.by_month] == [("2025-03", 6)]
