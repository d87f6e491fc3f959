"""KPIs on a small data set whose every figure is worked out by hand below.

Runs (2025):
  R1 digital_baeumteo, 10 h in 5 sessions of 120 min (hours80 needs 480 min), 3 to 31 March.
  R2 disabled_it_job, employment track, 20 h in 5 sessions of 240 min (needs 960 min), April.
Learners:
  A01-A10 elderly, Seoul 11110 (A06-A10 also low income)
  B01-B06 disabled, Gyeonggi 41110 (B01-B03 consented to disability data)
  C01     marriage immigrant, Gyeonggi 41110
Enrolments: R1 <- A01-A10 and B01-B03 (13, enrolled in March); R2 <- B01-B06 and C01 (7, in April).
  -> 20 enrolments, 17 distinct learners.
Attendance:
  R1: A01-A08, B01, B02 all 5 sessions (600 min) -> complete; A09 misses session 3 (480 min, exactly
      the threshold) -> complete; B03 P P P L(60) A = 420 min -> not; A10 absent throughout -> not.
  R2: B01-B05 all 5 (1200) -> complete; C01 4 sessions (960) -> complete; B06 3 (720) -> not.
  -> attended (a P or L) 19 of 20 (A10 never came); completed 11 + 6 = 17.
Outcomes (R2): certificate pass B01-B04 and C01, fail B05 -> sat 6, certified 5;
  employed B01 B02 B03 B05 C01 -> 5 of the 6 completers on the employment track.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.training.conftest import write
from training_tracker import models as m
from training_tracker.importers import import_file
from training_tracker.kpis import compute_kpis
from training_tracker.records import complete_run

R1_DAYS = ["2025-03-03", "2025-03-10", "2025-03-17", "2025-03-24", "2025-03-31"]
R2_DAYS = ["2025-04-07", "2025-04-14", "2025-04-21", "2025-04-28", "2025-04-30"]
A = [f"A{i:02d}" for i in range(1, 11)]
B = [f"B{i:02d}" for i in range(1, 7)]


def _files(tmp_path):
    files = {}
    files["courses"] = write(
        tmp_path / "courses.csv",
        "run_code,programme,course_name,mode,start_date,end_date,planned_hours,planned_sessions,employment_track\n"
        "R1,digital_baeumteo,스마트폰 기초,classroom,2025-03-03,2025-03-31,10,5,N\n"
        "R2,disabled_it_job,ITQ 한글,classroom,2025-04-07,2025-04-30,20,5,Y\n",
    )
    learners = ["learner_id,birth_year,sex,sigungu_code,groups,consent_sensitive,disability_type"]
    for i, a in enumerate(A, start=1):
        learners.append(f"{a},1950,F,11110,{'elderly|low_income' if i >= 6 else 'elderly'},N,")
    for i, b in enumerate(B, start=1):
        learners.append(f"{b},1980,M,41110,disabled,{'Y' if i <= 3 else 'N'},{'visual' if i <= 3 else ''}")
    learners.append("C01,1990,F,41110,marriage_immigrant,N,")
    files["learners"] = write(tmp_path / "learners.csv", "\n".join(learners) + "\n")
    enrolments = ["learner_id,run_code,enrolled_on"]
    enrolments += [f"{x},R1,2025-03-01" for x in [*A, "B01", "B02", "B03"]]
    enrolments += [f"{x},R2,2025-04-01" for x in [*B, "C01"]]
    files["enrolments"] = write(tmp_path / "enrolments.csv", "\n".join(enrolments) + "\n")
    sessions = ["run_code,session_no,date"]
    sessions += [f"R1,{n},{d}" for n, d in enumerate(R1_DAYS, start=1)]
    sessions += [f"R2,{n},{d}" for n, d in enumerate(R2_DAYS, start=1)]
    files["sessions"] = write(tmp_path / "sessions.csv", "\n".join(sessions) + "\n")
    r1 = {x: "PPPPP" for x in [*A[:8], "B01", "B02"]} | {"A09": "PPAPP", "A10": "AAAAA", "B03": "PPPLA"}
    r2 = {x: "PPPPP" for x in B[:5]} | {"C01": "PPPPA", "B06": "PPPAA"}
    attendance = ["learner_id,run_code,session_no,status,minutes"]
    for run, marks in (("R1", r1), ("R2", r2)):
        for learner, pattern in marks.items():
            for n, status in enumerate(pattern, start=1):
                minutes = "60" if status == "L" else ""
                attendance.append(f"{learner},{run},{n},{status},{minutes}")
    files["attendance"] = write(tmp_path / "attendance.csv", "\n".join(attendance) + "\n")
    outcomes = ["learner_id,run_code,kind,name,result,date"]
    outcomes += [f"{x},R2,certificate,ITQ 한글,pass,2025-05-20" for x in ["B01", "B02", "B03", "B04", "C01"]]
    outcomes += ["B05,R2,certificate,ITQ 한글,fail,2025-05-20"]
    outcomes += [f"{x},R2,employment,-,employed,2025-07-01" for x in ["B01", "B02", "B03", "B05", "C01"]]
    files["outcomes"] = write(tmp_path / "outcomes.csv", "\n".join(outcomes) + "\n")
    files["targets"] = write(
        tmp_path / "targets.csv",
        "year,programme,group,region_code,target_enrolled,target_completed\n"
        "2025,all,all,all,25,20\n"
        "2025,all,elderly,all,8,\n"
        "2025,all,all,41,12,\n"
        "2025,disabled_it_job,disabled,41,5,\n",
    )
    files["population"] = write(
        tmp_path / "population.csv",
        "year,region_code,group,population\n"
        "2025,all,all,1000\n2025,all,elderly,200\n2025,all,disabled,50\n"
        "2025,all,low_income,100\n2025,all,marriage_immigrant,10\n",
    )
    return files


@pytest.fixture
def loaded(engine, tmp_path):
    for kind, path in _files(tmp_path).items():
        result = import_file(engine, path, kind=kind, today=dt.date(2025, 1, 1))
        assert result.ok and result.stored, [str(e) for e in result.errors]
    return engine


def test_at_risk_while_r1_is_under_way(loaded):
    # 20 March: sessions of 3, 10 and 17 March held. A10 missed all three (and has not come for 19
    # days since enrolling); A09 attended 3 and 10 March, missed 17 March: 1 of 3 > 25%, 10 days.
    report = compute_kpis(loaded, year=2025, as_of=dt.date(2025, 3, 20))
    assert [(r["learner"], r["days_since_attended"], r["sessions_missed"], r["sessions_held"], r["reasons"])
            for r in report.at_risk] == [
        ("A10", 19, 3, 3, ["absent_7_days", "missed_over_25_percent"]),
        ("A09", 10, 1, 3, ["absent_7_days", "missed_over_25_percent"]),
    ]  # fmt: skip
    assert report.at_risk_total == 2


def test_kpis_worked_out_by_hand(loaded, tmp_path):
    first = complete_run(loaded, "R1", final=True, as_of="2025-04-01")
    second = complete_run(loaded, "R2", final=True, as_of="2025-05-01")
    assert (first.completed, first.not_completed, first.needed) == (11, 2, 480)
    assert (second.completed, second.not_completed, second.needed) == (6, 1, 960)
    gap = write(
        tmp_path / "gap.csv",
        "year,group,component,value\n2024,elderly,total,71.4\n2024,elderly,access,90.1\n"
        "2024,disabled,total,83.5\n2023,disabled,total,82.2\n2026,disabled,total,99.0\n",
    )
    report = compute_kpis(loaded, year=2025, as_of=dt.date(2025, 12, 31), gap_index=gap)

    h = report.headline
    assert (h["enrolments"], h["learners"], h["attended"], h["completed"]) == (20, 17, 19, 17)
    assert (h["sat_exam"], h["certified"], h["completed_employment_track"], h["employed"]) == (6, 5, 6, 5)
    assert h["start_rate"] == 0.95 and h["completion_rate"] == 0.85
    assert h["certificate_rate"] == round(5 / 17, 4) and h["pass_rate"] == round(5 / 6, 4)
    assert h["employment_rate"] == round(5 / 6, 4)
    assert h["suppressed"] == []

    assert [(s["step"], s["count"], s["of_previous"]) for s in report.funnel] == [
        ("enrolled", 20, None),
        ("attended", 19, 0.95),
        ("completed", 17, round(17 / 19, 4)),
        ("certified", 5, round(5 / 17, 4)),
        ("employed", 5, 1.0),
    ]

    groups = {r["group"]: r for r in report.by_group}
    elderly = groups["elderly"]
    assert (elderly["enrolments"], elderly["learners"], elderly["completed"]) == (10, 10, 9)
    assert elderly["completion_rate"] == 0.9
    assert (elderly["target_enrolled"], elderly["attainment"]) == (8, 1.25)
    disabled = groups["disabled"]
    assert (disabled["enrolments"], disabled["learners"], disabled["completed"]) == (9, 6, 7)
    assert disabled["completion_rate"] == round(7 / 9, 4)
    # Low income: 5 enrolments of A06-A10, 4 completed: the 4 and the rate built on it are suppressed.
    low = groups["low_income"]
    assert (low["enrolments"], low["learners"], low["completed"], low["completion_rate"]) == (
        5,
        5,
        None,
        None,
    )
    assert {"completed", "completion_rate"} <= set(low["suppressed"])
    assert groups["marriage_immigrant"]["enrolments"] is None  # 1 person
    assert groups["nk_defector"]["enrolments"] is None  # 0 is fewer than 5 too

    regions = {r["region"]: r for r in report.by_region}
    assert (regions["11"]["enrolments"], regions["11"]["learners"], regions["11"]["completed"]) == (10, 10, 9)
    assert (regions["41"]["enrolments"], regions["41"]["learners"], regions["41"]["completed"]) == (10, 7, 8)
    assert (regions["41"]["target_enrolled"], regions["41"]["attainment"]) == (12, round(10 / 12, 4))

    # Pro-rata targets: 25 a year -> round(25 * 3/12) = 6 by March, round(25 * 4/12) = 8 by April.
    assert [(r["month"], r["enrolments"], r["learners"], r["cumulative_enrolments"], r["target_to_date"],
             r["attainment_to_date"]) for r in report.by_month] == [
        ("2025-03", 13, 13, 13, 6, round(13 / 6, 4)),
        ("2025-04", 7, 7, 20, 8, 2.5),
    ]  # fmt: skip

    targets = {(t["programme"], t["group"], t["region"]): t for t in report.targets}
    overall = targets[("all", "all", "all")]
    assert (overall["target"], overall["actual"], overall["attainment"]) == (25, 20, 0.8)
    assert (overall["target_completed"], overall["completed"], overall["completion_attainment"]) == (
        20,
        17,
        0.85,
    )
    # R2 disabled learners living in 41: B01-B06 = 6 enrolments, 5 completed, of a target of 5.
    it = targets[("disabled_it_job", "disabled", "41")]
    assert (it["actual"], it["attainment"], it["completed"]) == (6, 1.2, 5)

    equity = {r["group"]: r for r in report.equity}
    assert equity["elderly"]["share_of_trainees"] == round(10 / 17, 4)
    assert equity["elderly"]["share_of_population"] == 0.2
    assert equity["elderly"]["equity_ratio"] == round((10 / 17) / 0.2, 3)
    assert (equity["elderly"]["gap_index_level"], equity["elderly"]["gap_index_year"]) == (71.4, 2024)
    assert equity["disabled"]["equity_ratio"] == round((6 / 17) / 0.05, 3)
    assert equity["disabled"]["gap_index_level"] == 83.5  # 2026 is after the KPI year: not used
    assert equity["low_income"]["equity_ratio"] == round((5 / 17) / 0.1, 3)
    assert (
        equity["marriage_immigrant"]["learners"] is None
        and equity["marriage_immigrant"]["equity_ratio"] is None
    )
    assert report.at_risk == []  # everything is decided


def test_filters_and_learner_targets(loaded):
    complete_run(loaded, "R1", final=True, as_of="2025-04-01")
    complete_run(loaded, "R2", final=True, as_of="2025-05-01")
    disabled = compute_kpis(loaded, year=2025, group="disabled", as_of=dt.date(2025, 12, 31))
    assert (disabled.headline["enrolments"], disabled.headline["learners"]) == (9, 6)
    gyeonggi = compute_kpis(loaded, region="41", as_of=dt.date(2025, 12, 31))
    assert (gyeonggi.headline["enrolments"], gyeonggi.headline["learners"]) == (10, 7)
    r2 = compute_kpis(loaded, programme="disabled_it_job", as_of=dt.date(2025, 12, 31))
    assert (r2.headline["enrolments"], r2.headline["completed"], r2.headline["employed"]) == (7, 6, 5)
    # Targets counted in distinct learners: the overall target sees 17 people, not 20 enrolments.
    by_people = compute_kpis(loaded, year=2025, target_basis="learners", as_of=dt.date(2025, 12, 31))
    overall = next(t for t in by_people.targets if (t["programme"], t["group"], t["region"]) == ("all",) * 3)
    assert (overall["actual"], overall["attainment"]) == (17, 0.68)
    nothing = compute_kpis(loaded, year=2024, as_of=dt.date(2025, 12, 31))
    assert nothing.headline["enrolments"] is None and nothing.by_month == []


def test_a_higher_threshold_suppresses_more(loaded):
    report = compute_kpis(loaded, year=2025, min_cell=10, as_of=dt.date(2025, 12, 31))
    groups = {r["group"]: r for r in report.by_group}
    assert groups["elderly"]["enrolments"] == 10
    assert groups["disabled"]["enrolments"] is None  # 9 < 10
    assert report.headline["learners"] == 17


def test_kpis_command_json_and_table(cli, loaded):
    complete_run(loaded, "R1", final=True, as_of="2025-04-01")
    document = cli.json("kpis", "--year", "2025", "--as-of", "2025-12-31")
    assert document["kind"] == "training.kpis" and document["schema_version"]
    assert document["data"]["headline"]["enrolments"] == 20
    code, stdout, _ = cli("kpis", "--year", "2025", "--as-of", "2025-12-31")
    assert code == 0
    assert "completion rate" in stdout and "<5" in stdout
    code, _, stderr = cli("kpis", "--min-cell", "3")
    assert code == 2 and "below 5" in stderr


def test_the_two_learner_halves_add_up_to_the_whole(loaded):
    # compute_kpis runs each enrolment scan as two ranges of learner ids on two connections.
    from training_tracker import kpis

    with loaded.connect() as conn:
        low, high = conn.execute(sa.select(sa.func.min(m.Learner.id), sa.func.max(m.Learner.id))).one()
        halves = kpis._halves(low, high)
        assert halves == [(1, 9), (10, 17)]
        for query, key in ((kpis._cells, kpis._CELL_KEY), (kpis._months, ("month",))):
            whole = query(conn, 2025, None, None, None)
            parts = kpis._add_up([query(conn, 2025, None, None, None, h) for h in halves], key)
            assert sorted(map(str, parts)) == sorted(map(str, whole)) and len(whole) > 1
        whole = kpis._learners_by_cell(conn, 2025, None, None, None)
        parts = kpis._add_up_tuples(
            [kpis._cells_and_learners(conn, 2025, None, None, None, h)[1] for h in halves]
        )
        assert sorted(parts) == sorted(whole) and sum(n for *_k, n in whole) == 17
        # the same from the whole range, and with a group filter (seniors: A01-A10)
        assert sorted(kpis._cells_and_learners(conn, 2025, None, None, None)[1]) == sorted(whole)
        seniors = kpis._cells_and_learners(conn, 2025, None, "elderly", None)[1]
        assert sorted(seniors) == sorted(kpis._learners_by_cell(conn, 2025, None, "elderly", None))
        assert sum(n for *_k, n in seniors) == 10


def test_no_attendance_or_outcomes_counts_zero(engine, tmp_path):
    # Without attendance or outcomes the look-ups are left out of the query; the counts are 0.
    from training_tracker import kpis

    files = _files(tmp_path)
    for kind in ("courses", "learners", "enrolments"):
        assert import_file(engine, files[kind], kind=kind, today=dt.date(2025, 1, 1)).stored
    with engine.connect() as conn:
        cube = kpis._cells(conn, 2025, None, None, None)
    totals = {name: sum(int(row[name]) for row in cube) for name in ("enrolments", *kpis._FLAGS)}
    assert totals == {
        "enrolments": 20,
        "completed": 0,
        "attended": 0,
        "sat_exam": 0,
        "certified": 0,
        "completed_employment_track": 0,
        "employed": 0,
    }
    h = compute_kpis(engine, year=2025, as_of=dt.date(2025, 12, 31)).headline
    assert (h["enrolments"], h["learners"], h["attended"], h["certified"]) == (
        20,
        17,
        None,
        None,
    )  # < 5: hidden
