"""A synthetic but realistic set of training records, reproducible from a seed.

Course runs across programmes, modes and regions (2022–2025, with fewer runs in 2024 as after the
2024 budget cut), pseudonymous learners across the groups (some in several), enrolments, sessions,
attendance, pre/post/satisfaction assessments, certificates and employment, targets and population
denominators. ``write_sample`` writes them as the CSV files and column-mapping files a programme
office would import, with Korean headers. Every figure is invented: population numbers are rounded
illustrations of public orders of magnitude, not statistics.

Attendance is generated so that completion under the default rule (attended minutes ≥ 80% of the
planned hours) is decided by the records alone: a test can recompute every KPI from the files.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from training_tracker import models as m

#: (programme, course name, course type, mode, hours, sessions, groups served, employment track, certificate)
PROGRAMMES = (
    (
        "digital_baeumteo",
        "스마트폰 기초",
        "기초",
        "classroom",
        12,
        6,
        ("elderly", "general", "low_income"),
        False,
        None,
    ),
    (
        "digital_baeumteo",
        "키오스크·모바일 예약",
        "생활편의",
        "outreach",
        6,
        3,
        ("elderly", "farmers_fishers"),
        False,
        None,
    ),
    (
        "disabled_group",
        "장애인 정보화 집합교육 (엑셀)",
        "자격증",
        "classroom",
        40,
        10,
        ("disabled",),
        False,
        "ITQ 엑셀",
    ),
    (
        "disabled_home_visit",
        "중증장애인 1:1 방문교육",
        "기초",
        "home_visit",
        20,
        10,
        ("disabled",),
        False,
        None,
    ),
    ("disabled_it_job", "장애인 IT 전문교육", "전문", "classroom", 120, 30, ("disabled",), True, "ITQ 한글"),
    (
        "immigrant_home_visit",
        "다문화 IT 방문교육",
        "기초",
        "home_visit",
        30,
        10,
        ("marriage_immigrant",),
        False,
        None,
    ),
    (
        "nk_defector_it",
        "북한이탈주민 실무 정보화",
        "전문",
        "classroom",
        60,
        20,
        ("nk_defector",),
        True,
        "ITQ 엑셀",
    ),
    ("senior_online", "어르신 온라인 생활 디지털", "생활편의", "online", 8, 4, ("elderly",), False, None),
)
#: (시도, 시군구, site code, site name, site kind)
SITES = (
    ("11", "11110", "S-JONGNO", "종로노인종합복지관", "복지관"),
    ("11", "11680", "S-GANGNAM", "강남구립 디지털배움터", "거점센터"),
    ("26", "26110", "S-BUSAN-JUNG", "부산 중구 주민센터", "주민센터"),
    ("41", "41110", "S-SUWON", "수원시 장애인복지관", "복지관"),
    ("41", "41460", "S-YONGIN", "용인시 평생학습관", "도서관"),
    ("46", "46110", "S-MOKPO", "목포 농어촌 정보센터", "마을정보센터"),
    ("47", "47111", "S-POHANG", "포항 남구 경로당 연합", "경로당"),
)
RUNS_PER_PROGRAMME = {2022: 2, 2023: 2, 2024: 1, 2025: 2}  # 2024: budget cut
GROUP_KO = {
    "disabled": "장애인",
    "elderly": "고령층",
    "marriage_immigrant": "결혼이민자",
    "low_income": "저소득층",
    "farmers_fishers": "농어민",
    "nk_defector": "북한이탈주민",
    "general": "일반",
}
DISABILITY_KO = {
    "physical": "지체",
    "visual": "시각",
    "hearing": "청각",
    "brain_lesion": "뇌병변",
    "intellectual": "지적",
}
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = (
    "민준",
    "서연",
    "영희",
    "철수",
    "순자",
    "영수",
    "지현",
    "미숙",
    "정호",
    "옥순",
    "하늘",
    "응우옌",
    "마리아",
)


@dataclass
class SampleData:
    seed: int
    as_of: dt.date
    sites: list[dict] = field(default_factory=list)
    courses: list[dict] = field(default_factory=list)
    learners: list[dict] = field(default_factory=list)
    enrolments: list[dict] = field(default_factory=list)
    sessions: list[dict] = field(default_factory=list)
    attendance: list[dict] = field(default_factory=list)
    assessments: list[dict] = field(default_factory=list)
    outcomes: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)
    population: list[dict] = field(default_factory=list)
    new_registrations: list[dict] = field(default_factory=list)
    breaks: list[dict] = field(default_factory=list)


def _session_dates(start: dt.date, end: dt.date, count: int) -> list[dt.date]:
    if count == 1:
        return [start]
    span = (end - start).days
    return [start + dt.timedelta(days=round(i * span / (count - 1))) for i in range(count)]


def generate_sample(seed: int = 1, *, learners: int = 400, as_of: dt.date | None = None) -> SampleData:
    """Records for 2022 to ``as_of`` (default 2025-10-15); runs after ``as_of`` are still open."""
    rng = random.Random(seed)
    as_of = as_of or dt.date(2025, 10, 15)
    data = SampleData(seed=seed, as_of=as_of)
    for sido, sigungu, code, name, kind in SITES:
        data.sites.append(
            {
                "site_code": code,
                "name": name,
                "kind": kind,
                "sido_code": sido,
                "sigungu_code": sigungu,
                "capacity": 20,
            }
        )

    # Learners: every learner belongs to at least one group; some to several.
    pool = []
    for index in range(1, learners + 1):
        site = rng.choice(SITES)
        primary = rng.choices(
            (
                "elderly",
                "disabled",
                "marriage_immigrant",
                "low_income",
                "farmers_fishers",
                "nk_defector",
                "general",
            ),
            weights=(34, 26, 10, 10, 6, 6, 8),
        )[0]
        groups = {primary}
        if primary == "disabled" and rng.random() < 0.3:
            groups.add("elderly")
        if primary in ("elderly", "disabled") and rng.random() < 0.2:
            groups.add("low_income")
        if primary == "farmers_fishers" or (site[0] == "46" and rng.random() < 0.5):
            groups.add("farmers_fishers")
        elderly = "elderly" in groups
        birth_year = rng.randint(1938, 1969) if elderly else rng.randint(1965, 2002)
        consent = "disabled" in groups and rng.random() < 0.7
        learner = {
            "learner_id": f"L{seed:02d}{index:05d}",
            "birth_year": birth_year,
            "sex": rng.choice("MF"),
            "sido_code": site[0],
            "sigungu_code": site[1],
            "groups": sorted(groups, key=m.GROUPS.index),
            "consent_sensitive": consent,
            "disability_type": rng.choice(tuple(DISABILITY_KO)) if consent else None,
            "disability_severity": rng.choice(m.SEVERITIES) if consent else None,
            # A few records whose retention period has passed, for `purge`.
            "retain_until": dt.date(2024, 12, 31) if index % 50 == 0 else dt.date(2028, 12, 31),
            "_site": site,
            "_propensity": rng.choices((0.97, 0.85, 0.55), weights=(60, 25, 15))[0],
        }
        pool.append(learner)
        data.learners.append(learner)

    run_number = 0
    for year, runs_per in RUNS_PER_PROGRAMME.items():
        for programme, course, ctype, mode, hours, sessions, served, employment, cert in PROGRAMMES:
            for _ in range(runs_per):
                run_number += 1
                site = rng.choice(SITES)
                start = dt.date(year, rng.randint(3, 9), rng.randint(1, 20))
                weeks = max(1, sessions // 2) if sessions > 6 else sessions
                end = start + dt.timedelta(days=7 * weeks)
                code = f"R{year}-{run_number:03d}"
                data.courses.append(
                    {
                        "run_code": code,
                        "programme": programme,
                        "course_name": course,
                        "course_type": ctype,
                        "mode": mode,
                        "year": year,
                        "start_date": start,
                        "end_date": end,
                        "planned_hours": hours,
                        "planned_sessions": sessions,
                        "capacity": 12 if mode != "home_visit" else 6,
                        "site_code": site[2],
                        "employment_track": employment,
                    }
                )
                if start > as_of:
                    continue
                eligible = [p for p in pool if set(p["groups"]) & set(served)]
                capacity = 12 if mode != "home_visit" else 6
                chosen = rng.sample(eligible, min(len(eligible), rng.randint(capacity // 2 + 2, capacity)))
                dates = _session_dates(start, end, sessions)
                minutes = round(hours * 60 / sessions)
                for number, day in enumerate(dates, start=1):
                    if day <= as_of:
                        data.sessions.append(
                            {"run_code": code, "session_no": number, "date": day, "planned_minutes": minutes}
                        )
                for learner in chosen:
                    enrolled_on = start - dt.timedelta(days=rng.randint(0, 14))
                    data.enrolments.append(
                        {"learner_id": learner["learner_id"], "run_code": code, "enrolled_on": enrolled_on}
                    )
                    attended_minutes = 0
                    for number, day in enumerate(dates, start=1):
                        if day > as_of:
                            break
                        draw = rng.random()
                        if draw < learner["_propensity"] * 0.9:
                            status, spent = "P", minutes
                        elif draw < learner["_propensity"]:
                            status, spent = "L", minutes - 20 if minutes > 30 else minutes // 2
                        elif draw < learner["_propensity"] + (1 - learner["_propensity"]) * 0.3:
                            status, spent = "E", 0
                        else:
                            status, spent = "A", 0
                        attended_minutes += spent
                        data.attendance.append(
                            {
                                "learner_id": learner["learner_id"],
                                "run_code": code,
                                "session_no": number,
                                "status": status,
                                "minutes": spent,
                            }
                        )
                    ended = end <= as_of
                    completes = ended and attended_minutes >= 0.8 * hours * 60
                    if ctype in ("자격증", "전문"):
                        pre = rng.randint(20, 60)
                        data.assessments.append(_assessment(learner, code, "pre", pre, start))
                        if ended:
                            data.assessments.append(
                                _assessment(learner, code, "post", min(100, pre + rng.randint(0, 40)), end)
                            )
                    if ended:
                        data.assessments.append(
                            _assessment(learner, code, "satisfaction", rng.randint(20, 35), end, maximum=35)
                        )
                    if completes and cert and rng.random() < 0.75:
                        exam = end + dt.timedelta(days=21)
                        if exam <= as_of:
                            data.outcomes.append(
                                {
                                    "learner_id": learner["learner_id"],
                                    "run_code": code,
                                    "kind": "certificate",
                                    "name": cert,
                                    "result": "pass" if rng.random() < 0.65 else "fail",
                                    "date": exam,
                                }
                            )
                    if completes and employment and rng.random() < 0.45:
                        hired = end + dt.timedelta(days=rng.randint(20, 90))
                        if hired <= as_of:
                            data.outcomes.append(
                                {
                                    "learner_id": learner["learner_id"],
                                    "run_code": code,
                                    "kind": "employment",
                                    "name": "-",
                                    "result": "employed",
                                    "date": hired,
                                }
                            )

    # Targets: what the office planned (a round number near the expected volume).
    for year in RUNS_PER_PROGRAMME:
        enrolled = [e for e in data.enrolments if e["run_code"].startswith(f"R{year}-")]
        if not enrolled:
            continue
        total = round(len(enrolled) * rng.uniform(0.9, 1.15), -1)
        data.targets.append(_target(year, m.ALL, m.ALL, total, round(total * 0.7)))
        for group in ("disabled", "elderly", "marriage_immigrant", "nk_defector"):
            planned = round(
                total
                * {"disabled": 0.4, "elderly": 0.45, "marriage_immigrant": 0.1, "nk_defector": 0.08}[group]
            )
            data.targets.append(_target(year, group, m.ALL, planned, round(planned * 0.7)))
        for sido in ("11", "41"):
            data.targets.append(_target(year, m.ALL, sido, round(total * 0.3), None))

    # Population denominators: illustrative round figures of the right order of magnitude.
    for region, whole, shares in (
        (
            m.ALL,
            51_300_000,
            {
                "disabled": 0.051,
                "elderly": 0.33,
                "marriage_immigrant": 0.0034,
                "low_income": 0.05,
                "farmers_fishers": 0.043,
                "nk_defector": 0.0007,
            },
        ),
        (
            "11",
            9_400_000,
            {
                "disabled": 0.041,
                "elderly": 0.31,
                "marriage_immigrant": 0.003,
                "low_income": 0.045,
                "farmers_fishers": 0.001,
                "nk_defector": 0.0007,
            },
        ),
        (
            "41",
            13_600_000,
            {
                "disabled": 0.043,
                "elderly": 0.29,
                "marriage_immigrant": 0.0038,
                "low_income": 0.04,
                "farmers_fishers": 0.02,
                "nk_defector": 0.0008,
            },
        ),
    ):
        data.population.append({"year": 2025, "region_code": region, "group": m.ALL, "population": whole})
        for group, share in shares.items():
            data.population.append(
                {"year": 2025, "region_code": region, "group": group, "population": round(whole * share)}
            )

    # New sign-ups arrive on paper with a name and phone number: imported, they become pseudonyms.
    for index in range(1, 6):
        data.new_registrations.append(
            {
                "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                "phone": f"010-{rng.randint(2000, 9999)}-{rng.randint(1000, 9999)}",
                "birth_year": rng.randint(1940, 1960),
                "sex": rng.choice("MF"),
                "sigungu_code": "11110",
                "groups": ["elderly"],
                "index": index,
            }
        )
    data.breaks.append({"month": "2020-05", "kind": "launch", "note": "디지털배움터 launch (illustrative)"})
    data.breaks.append({"month": "2024-01", "kind": "budget_cut", "note": "2024 budget cut, fewer runs"})
    return data


def _assessment(learner, run_code, kind, score, day, maximum=100) -> dict:
    return {
        "learner_id": learner["learner_id"],
        "run_code": run_code,
        "kind": kind,
        "score": score,
        "max_score": maximum,
        "taken_on": day,
    }


def _target(year, group, region, enrolled, completed) -> dict:
    return {
        "year": year,
        "programme": m.ALL,
        "group": group,
        "region_code": region,
        "target_enrolled": int(enrolled),
        "target_completed": None if completed is None else int(completed),
    }


# -- files ---------------------------------------------------------------------------------------
#: kind -> (file name, [(field, Korean header)], values recoding)
FILES = {
    "sites": (
        "sites.csv",
        [
            ("site_code", "교육장코드"),
            ("name", "교육장명"),
            ("kind", "유형"),
            ("sido_code", "시도코드"),
            ("sigungu_code", "시군구코드"),
            ("capacity", "정원"),
        ],
    ),
    "courses": (
        "courses.csv",
        [
            ("run_code", "과정코드"),
            ("programme", "사업"),
            ("course_name", "과정명"),
            ("course_type", "과정유형"),
            ("mode", "교육방식"),
            ("year", "개설년도"),
            ("start_date", "교육시작일"),
            ("end_date", "교육종료일"),
            ("planned_hours", "교육시간"),
            ("planned_sessions", "차시수"),
            ("capacity", "정원"),
            ("site_code", "교육장코드"),
            ("employment_track", "취업연계"),
        ],
    ),
    "learners": (
        "learners.csv",
        [
            ("learner_id", "가명아이디"),
            ("birth_year", "출생연도"),
            ("sex", "성별"),
            ("sido_code", "시도코드"),
            ("sigungu_code", "시군구코드"),
            ("groups", "대상구분"),
            ("consent_sensitive", "민감정보동의"),
            ("disability_type", "장애유형"),
            ("disability_severity", "장애정도"),
            ("retain_until", "보존기한"),
        ],
    ),
    "enrolments": (
        "enrolments.csv",
        [("learner_id", "가명아이디"), ("run_code", "과정코드"), ("enrolled_on", "등록일")],
    ),
    "sessions": (
        "sessions.csv",
        [
            ("run_code", "과정코드"),
            ("session_no", "차시"),
            ("date", "교육일"),
            ("planned_minutes", "계획시간(분)"),
        ],
    ),
    "attendance": (
        "attendance.csv",
        [
            ("learner_id", "가명아이디"),
            ("run_code", "과정코드"),
            ("session_no", "차시"),
            ("status", "출결"),
            ("minutes", "출석시간(분)"),
        ],
    ),
    "assessments": (
        "assessments.csv",
        [
            ("learner_id", "가명아이디"),
            ("run_code", "과정코드"),
            ("kind", "평가구분"),
            ("score", "점수"),
            ("max_score", "만점"),
            ("taken_on", "평가일"),
        ],
    ),
    "outcomes": (
        "outcomes.csv",
        [
            ("learner_id", "가명아이디"),
            ("run_code", "과정코드"),
            ("kind", "성과구분"),
            ("name", "자격명"),
            ("result", "결과"),
            ("date", "일자"),
        ],
    ),
    "targets": (
        "targets.csv",
        [
            ("year", "연도"),
            ("programme", "사업"),
            ("group", "대상구분"),
            ("region_code", "지역코드"),
            ("target_enrolled", "목표인원"),
            ("target_completed", "목표수료인원"),
        ],
    ),
    "population": (
        "population.csv",
        [("year", "연도"), ("region_code", "지역코드"), ("group", "대상구분"), ("population", "인구")],
    ),
    "new_registrations": (
        "new_registrations.csv",
        [
            ("name", "성명"),
            ("phone", "연락처"),
            ("birth_year", "출생연도"),
            ("sex", "성별"),
            ("sigungu_code", "시군구코드"),
            ("groups", "대상구분"),
        ],
    ),
}
#: Import order: what a row refers to must be imported before it.
IMPORT_ORDER = (
    "sites",
    "courses",
    "learners",
    "enrolments",
    "sessions",
    "attendance",
    "assessments",
    "outcomes",
    "targets",
    "population",
    "new_registrations",
)
_STATUS_KO = {"P": "출석", "L": "지각", "E": "공결", "A": "결석"}
_KIND_KO = {
    "pre": "사전",
    "post": "사후",
    "satisfaction": "만족도",
    "certificate": "자격증",
    "employment": "취업",
}
_RESULT_KO = {"pass": "합격", "fail": "불합격", "employed": "취업"}


def _cell(field_name: str, value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, dt.date):
        return value.isoformat()
    if field_name == "groups":
        return "|".join(GROUP_KO[g] for g in value)
    if field_name == "group":
        return "전체" if value == m.ALL else GROUP_KO[value]
    if field_name == "sex":
        return {"M": "남", "F": "여"}[value]
    if field_name == "status":
        return _STATUS_KO[value]
    if field_name == "kind" and value in _KIND_KO:
        return _KIND_KO[value]
    if field_name == "result":
        return _RESULT_KO[value]
    if field_name == "disability_type":
        return DISABILITY_KO[value]
    if field_name == "disability_severity":
        return {"severe": "심한", "mild": "심하지 않은"}[value]
    return value


def write_sample(data: SampleData, out_dir: Path) -> list[Path]:
    """The CSV files and their ``*.mapping.yaml`` next to them; returns the written paths in import order."""
    import yaml

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in IMPORT_ORDER:
        file_name, columns = FILES[kind]
        rows = getattr(data, kind)
        path = out_dir / file_name
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([header for _f, header in columns])
            for row in rows:
                writer.writerow([_cell(f, row.get(f)) for f, _h in columns])
        import_kind = "learners" if kind == "new_registrations" else kind
        mapping = {
            "kind": import_kind,
            "encoding": "utf-8",
            "date_format": "%Y-%m-%d",
            "groups_separator": "|",
            "columns": {f: header for f, header in columns},
        }
        mapping_path = out_dir / file_name.replace(".csv", ".mapping.yaml")
        mapping_path.write_text(
            f"# Column mapping for {file_name}: ddkit training import {file_name} --mapping {mapping_path.name}\n"
            + yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        written.append(path)
    (out_dir / "README.txt").write_text(_readme(data), encoding="utf-8")
    return written


def _readme(data: SampleData) -> str:
    lines = [
        f"Synthetic training records (seed {data.seed}, as of {data.as_of}). Every person and figure is invented.",
        "",
        "Import them in this order (each file with its mapping):",
        "",
        "  ddkit training init",
    ]
    for kind in IMPORT_ORDER:
        file_name = FILES[kind][0]
        lines.append(
            f"  ddkit training import {file_name} --mapping {file_name.replace('.csv', '.mapping.yaml')}"
        )
    lines += [
        f"  ddkit training complete --all --final --as-of {data.as_of}",
    ]
    for brk in data.breaks:
        lines.append(f"  ddkit training break add --month {brk['month']} --kind {brk['kind']}")
    lines += [
        f"  ddkit training kpis --year {data.as_of.year} --as-of {data.as_of}",
        f"  ddkit training forecast --until {data.as_of.replace(day=1) - dt.timedelta(days=1):%Y-%m}",
        f"  ddkit training purge --as-of {data.as_of} --dry-run",
        "",
    ]
    return "\n".join(lines)
