"""Importing files: broken files refused with exact positions and nothing stored; idempotence;
pseudonyms; consent; CSV and XLSX; mappings."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3

import openpyxl
import pyarrow as pa
import pytest
import sqlalchemy as sa

from tests.training.conftest import write
from training_tracker import models as m
from training_tracker.errors import TrainingError, TrainingUsageError
from training_tracker.importers import _insert_arrays, _packed, import_file
from training_tracker.privacy import pseudonym

TODAY = dt.date(2025, 1, 1)
COURSES = (
    "run_code,programme,course_name,mode,start_date,end_date,planned_hours,planned_sessions,sido_code\n"
    "R1,digital_baeumteo,스마트폰 기초,집합,2025-03-03,2025-03-31,10,5,11\n"
)
HEADER = "learner_id,birth_year,sex,sido_code,groups,run_code,enrolled_on"


@pytest.fixture
def with_course(engine, tmp_path):
    assert import_file(engine, write(tmp_path / "courses.csv", COURSES), kind="courses").stored
    return engine


def _count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


def _positions(result) -> list[tuple]:
    return [(e.row, e.column, e.code) for e in result.errors]


def test_rrn_in_any_column_refuses_the_file_with_row_and_column(with_course, tmp_path):
    path = write(
        tmp_path / "e.csv",
        f"{HEADER},비고\n"
        "A1,1950,F,11,elderly,R1,2025-03-01,\n"
        "A2,1951,F,11,elderly,R1,2025-03-01,본인 확인 900101-2345678\n"
        "A3,1952,M,11,elderly,R1,2025-03-01,9001011234567\n"
        "A4,1953,M,11,elderly,R1,2025-03-01,010-1234-5678\n"  # a phone number is not an RRN
        "A5,1954,M,11,elderly,R1,2025-03-01,12345678901234\n",  # 14 digits: not RRN-shaped
    )
    result = import_file(with_course, path, kind="enrolments", today=TODAY)
    assert not result.stored and result.errors_total == 2
    assert _positions(result) == [(3, "비고", "rrn"), (4, "비고", "rrn")]
    assert all("900101" not in e.message and "9001011234567" not in e.message for e in result.errors)
    assert _count(with_course, m.Learner) == 0 and _count(with_course, m.Enrolment) == 0


def test_rrn_in_a_mapped_field_is_never_echoed(with_course, tmp_path):
    path = write(tmp_path / "e.csv", f"{HEADER}\nA1,1950,F,11,elderly,R1,9001011234567\n")
    result = import_file(with_course, path, kind="enrolments", today=TODAY)
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (2, "enrolled_on", "rrn"),
        (2, "enrolled_on", "bad_date"),
    ]
    assert not any("9001011234567" in str(e) for e in result.errors)


def test_identity_number_column_is_refused_even_when_unmapped(with_course, tmp_path):
    path = write(
        tmp_path / "e.csv",
        f"{HEADER},여권번호\nA1,1950,F,11,elderly,R1,2025-03-01,\nA2,1950,F,11,elderly,R1,2025-03-01,M1234567\n",
    )
    result = import_file(with_course, path, kind="enrolments", today=TODAY)
    assert _positions(result) == [(3, "여권번호", "identity_number")]
    assert _count(with_course, m.Learner) == 0


def test_bad_codes_dates_numbers_and_references_with_positions(with_course, tmp_path):
    path = write(
        tmp_path / "e.csv",
        f"{HEADER},sigungu_code\n"
        "A1,1950,X,11,elderly,R1,2025-03-01,\n"  # row 2: sex
        "A2,1850,F,11,elderly,R1,2025-03-01,\n"  # row 3: birth year out of range
        "A3,1950,F,99,elderly,R1,2025-03-01,\n"  # row 4: 시도
        "A4,1950,F,11,senior,R1,2025-03-01,\n"  # row 5: group
        "A5,1950,F,11,elderly,R1,2025-02-30,\n"  # row 6: impossible date
        "A6,1950,F,11,elderly,R9,2025-03-01,\n"  # row 7: unknown run
        "A7,1950,F,11,elderly,R1,2025-03-01,41110\n"  # row 8: 시군구 not in the 시도
        "A8,nineteen,F,11,elderly,R1,2025-03-01,\n",  # row 9: not a number
    )
    result = import_file(with_course, path, kind="enrolments", today=TODAY)
    assert _positions(result) == [
        (2, "sex", "bad_code"),
        (3, "birth_year", "out_of_range"),
        (4, "sido_code", "bad_code"),
        (5, "groups", "bad_code"),
        (6, "enrolled_on", "bad_date"),
        (7, "run_code", "unknown_run"),
        (8, "sigungu_code", "region_mismatch"),
        (9, "birth_year", "not_number"),
    ]
    assert "'X' is not one of M, F" in result.errors[0].message
    assert _count(with_course, m.Learner) == 0


def test_a_bad_value_repeated_on_many_rows_is_reported_on_each_of_them(with_course, tmp_path):
    # Checks run once per distinct value of a column; each row holding a bad one is still named.
    path = write(
        tmp_path / "e.csv",
        f"{HEADER},비고\n"
        "A1,1950,F,11,elderly,R1,2025-03-01,x\n"
        "A2,nineteen,F,11,elderly|senior,R1,2025-03-01,x\n"  # row 3: number, group
        "A3,1950, X ,11,elderly,R1,2025-02-30,9001011234567\n"  # row 4: sex, date, RRN
        "A4,nineteen,F,11,elderly|senior,R1,2025-03-01,x\n"  # row 5: as row 3
        "A5,1950,X,11,elderly,R1,2025-02-30,9001011234567\n"  # row 6: as row 4
        "A6,1950,F,11,elderly,R1,2025-03-01,x\n"
        "A7,1850,F,11,elderly,R1,2025-03-01,x\n",  # row 8: out of range
    )
    result = import_file(with_course, path, kind="enrolments", today=TODAY)
    assert _positions(result) == [
        (3, "birth_year", "not_number"),
        (3, "groups", "bad_code"),
        (4, "enrolled_on", "bad_date"),
        (4, "sex", "bad_code"),
        (4, "비고", "rrn"),
        (5, "birth_year", "not_number"),
        (5, "groups", "bad_code"),
        (6, "enrolled_on", "bad_date"),
        (6, "sex", "bad_code"),
        (6, "비고", "rrn"),
        (8, "birth_year", "out_of_range"),
    ]
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert (
        messages[(3, "birth_year")]
        == messages[(5, "birth_year")]
        == "birth_year 'nineteen' is not a whole number"
    )
    assert messages[(5, "groups")].startswith("group 'senior' is not one of")
    assert messages[(4, "sex")] == messages[(6, "sex")] == "sex 'X' is not one of M, F"
    assert messages[(6, "enrolled_on")].startswith("enrolled_on '2025-02-30' is not a date")
    assert messages[(8, "birth_year")] == "birth_year 1850 is outside 1900..2100"
    assert _count(with_course, m.Learner) == 0


def test_duplicate_rows_point_at_the_first(with_course, tmp_path):
    path = write(
        tmp_path / "e.csv",
        f"{HEADER}\nA1,1950,F,11,elderly,R1,2025-03-01\nA2,1950,F,11,elderly,R1,2025-03-01\n"
        "A1,1950,F,11,elderly,R1,2025-03-02\n",
    )
    result = import_file(with_course, path, kind="enrolments", today=TODAY)
    assert _positions(result) == [(4, "learner_id, run_code", "duplicate_row")]
    assert "duplicates row 2" in result.errors[0].message
    assert _count(with_course, m.Enrolment) == 0


def test_a_learner_contradicting_an_earlier_row(with_course, tmp_path):
    write(tmp_path / "c2.csv", COURSES.replace("R1,", "R2,"))
    import_file(with_course, tmp_path / "c2.csv", kind="courses")
    path = write(
        tmp_path / "e.csv",
        f"{HEADER}\nA1,1950,F,11,elderly,R1,2025-03-01\nA1,1951,F,11,elderly,R2,2025-03-01\n",
    )
    result = import_file(with_course, path, kind="enrolments", today=TODAY)
    assert _positions(result) == [(3, "learner_id", "learner_conflict")]
    assert "than in row 2" in result.errors[0].message


def test_cp949_file_read_as_utf8_is_refused_at_the_first_bad_byte(with_course, tmp_path):
    text = f"{HEADER}\nA1,1950,F,11,elderly,R1,2025-03-01\nA2,1950,여,11,고령층,R1,2025-03-01\n"
    path = write(tmp_path / "e.csv", text, encoding="cp949")
    with pytest.raises(TrainingError) as caught:
        import_file(with_course, path, kind="enrolments", today=TODAY)
    offset = text.encode("cp949").index("여".encode("cp949"))
    assert f"line 3, column sex (byte offset {offset}" in str(caught.value)
    assert "CP949" in str(caught.value) and "encoding: cp949" in caught.value.hint
    assert _count(with_course, m.Learner) == 0

    mapping = write(
        tmp_path / "m.yaml",
        "kind: enrolments\nencoding: cp949\ncolumns:\n" + "".join(f"  {f}: {f}\n" for f in HEADER.split(",")),
    )
    result = import_file(with_course, path, mapping_path=mapping, today=TODAY)
    assert result.stored and result.added == {"learners": 2, "enrolments": 2}


def test_row_with_too_many_fields_and_missing_columns(with_course, tmp_path):
    path = write(
        tmp_path / "e.csv", f"{HEADER}\nA1,1950,F,11,elderly,R1,2025-03-01\nA2,1950,F,11,elderly,R1,x,y\n"
    )
    result = import_file(with_course, path, kind="enrolments", today=TODAY)
    assert _positions(result) == [(3, None, "columns")]
    assert "has 8 fields, the header has 7" in result.errors[0].message
    short = write(tmp_path / "s.csv", "learner_id,run_code\nA1,R1\n")
    with pytest.raises(TrainingError, match="enrolments needs|required field 'enrolled_on'"):
        import_file(with_course, short, kind="enrolments")
    mapping = write(
        tmp_path / "m.yaml",
        "kind: enrolments\ncolumns:\n  learner_id: 가명\n  run_code: 과정\n  enrolled_on: 등록일\n",
    )
    with pytest.raises(
        TrainingError, match=r"row 1 lacks column\(s\) named in the mapping: learner_id -> '가명'"
    ):
        import_file(with_course, short, mapping_path=mapping)


def test_same_file_twice_adds_nothing_and_dry_run_stores_nothing(with_course, tmp_path):
    path = write(
        tmp_path / "e.csv",
        f"{HEADER}\nA1,1950,F,11,elderly,R1,2025-03-01\nA2,1950,M,11,elderly|low_income,R1,2025-03-01\n",
    )
    dry = import_file(with_course, path, kind="enrolments", dry_run=True, today=TODAY)
    assert dry.ok and not dry.stored and dry.added == {"learners": 2, "enrolments": 2}
    assert _count(with_course, m.Learner) == 0
    first = import_file(with_course, path, kind="enrolments", today=TODAY)
    assert first.stored and first.added == {"learners": 2, "enrolments": 2}
    again = import_file(with_course, path, kind="enrolments", today=TODAY)
    assert again.stored and again.added == {"enrolments": 0} and again.already_present == 2
    assert _count(with_course, m.Learner) == 2 and _count(with_course, m.Enrolment) == 2
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert dry.sha256 == first.sha256 == digest
    with with_course.connect() as conn:  # each stored import is logged with the file's hash
        logged = (
            conn.execute(sa.text("SELECT sha256 FROM training_import WHERE kind = 'enrolments'"))
            .scalars()
            .all()
        )
    assert logged == [digest, digest]
    with with_course.connect() as conn:
        rows = conn.execute(sa.select(m.Learner.pseudonym, m.Learner.groups, m.Learner.retain_until)).all()
    assert sorted(rows) == [
        ("A1", m.group_mask(["elderly"]), dt.date(2028, 12, 31)),
        ("A2", m.group_mask(["elderly", "low_income"]), dt.date(2028, 12, 31)),
    ]
    # A stored learner described differently later: kept, and the difference is counted.
    other = write(tmp_path / "o.csv", f"{HEADER}\nA1,1949,F,11,elderly,R1,2025-03-01\n")
    changed = import_file(with_course, other, kind="enrolments", today=TODAY)
    assert changed.stored and "1 learner(s) already stored have other" in changed.warnings[0]


def test_names_and_phones_become_keyed_pseudonyms(engine, tmp_path, key_file):
    path = write(
        tmp_path / "people.csv",
        "성명,연락처,출생연도,성별,시군구,대상\n홍길동,010-1234-5678,1950,남,11110,고령층\n"
        "홍길동,+82 10 1234 5678,1950,남,11110,고령층\n김영희,010-9999-0000,1948,여,11110,고령층|저소득층\n",
    )
    mapping = write(
        tmp_path / "people.yaml",
        "kind: learners\ncolumns:\n  name: 성명\n  phone: 연락처\n  birth_year: 출생연도\n  sex: 성별\n"
        "  sigungu_code: 시군구\n  groups: 대상\n",
    )
    result = import_file(engine, path, mapping_path=mapping, today=TODAY)
    # The first two rows are one person (the phone number normalises to 01012345678): a duplicate.
    assert (
        _positions(result) == [(3, "성명, 연락처" if False else "learner", "duplicate_row")]
        or _positions(result)[0][2] == "duplicate_row"
    )
    assert not result.stored
    write(
        path, path.read_text(encoding="utf-8").replace("홍길동,+82 10 1234 5678,1950,남,11110,고령층\n", "")
    )
    result = import_file(engine, path, mapping_path=mapping, today=TODAY)
    assert result.stored and result.added == {"learners": 2}
    key = bytes.fromhex(key_file.read_text().strip())
    assert oct(os.stat(key_file).st_mode & 0o777) == "0o600"
    with engine.connect() as conn:
        stored = sorted(conn.execute(sa.select(m.Learner.pseudonym)).scalars())
    assert stored == sorted(
        [pseudonym(key, "홍길동", "010-1234-5678"), pseudonym(key, "김영희", "01099990000")]
    )
    assert pseudonym(key, " 홍길동 ", "+82-10-1234-5678") == pseudonym(key, "홍길동", "01012345678")
    engine.dispose()
    raw = (tmp_path / "ddkit.db").read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("ddkit.db-*"))
    assert "홍길동".encode() not in raw and b"1234-5678" not in raw and b"01012345678" not in raw


def test_phone_number_as_learner_id_is_refused(with_course, tmp_path):
    path = write(tmp_path / "e.csv", f"{HEADER}\n010-1234-5678,1950,F,11,elderly,R1,2025-03-01\n")
    result = import_file(with_course, path, kind="enrolments", today=TODAY)
    assert _positions(result) == [(2, "learner_id", "phone_as_id")]


def test_disability_fields_kept_only_with_consent(engine, tmp_path):
    path = write(
        tmp_path / "l.csv",
        "learner_id,birth_year,sex,sido_code,groups,consent_sensitive,disability_type,disability_severity\n"
        "D1,1970,M,41,장애인,Y,시각,심한\nD2,1971,F,41,장애인,N,청각,심하지 않은\nD3,1972,F,41,장애인,,지체,\n",
    )
    result = import_file(engine, path, kind="learners", today=TODAY)
    assert result.stored and "disability fields of 2 row(s) were dropped" in result.warnings[0]
    with engine.connect() as conn:
        rows = dict(
            (p, (t, s))
            for p, t, s in conn.execute(
                sa.select(m.Learner.pseudonym, m.Learner.disability_type, m.Learner.disability_severity)
            )
        )
    assert rows == {"D1": ("visual", "severe"), "D2": (None, None), "D3": (None, None)}
    # Consent withdrawn later: the learners file updates the learner and the fields go.
    write(path, "learner_id,birth_year,sex,sido_code,groups,consent_sensitive\nD1,1970,M,41,장애인,N\n")
    withdrawn = import_file(engine, path, kind="learners", today=TODAY)
    assert withdrawn.updated == 1
    with engine.connect() as conn:
        assert conn.execute(
            sa.select(m.Learner.disability_type, m.Learner.consent_sensitive).where(
                m.Learner.pseudonym == "D1"
            )
        ).one() == (None, False)


def test_xlsx_with_dates_numbers_and_a_blank_row(with_course, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "수강생"
    sheet.append(["가명아이디", "출생연도", "성별", "시도", "대상", "과정", "등록일"])
    sheet.append(["X1", 1950, "남", "11", "고령층", "R1", dt.datetime(2025, 3, 1)])
    sheet.append([None] * 7)
    sheet.append(["X2", 1951.0, "여", 11, "장애인|고령층", "R1", dt.date(2025, 3, 2)])
    sheet.append(["X3", 1952, "여", 11, "장애인", "R1", "2025.03.04"])
    book.save(tmp_path / "x.xlsx")
    mapping = write(
        tmp_path / "x.yaml",
        "kind: enrolments\nsheet: 수강생\ndate_format: '%Y.%m.%d'\ncolumns:\n  learner_id: 가명아이디\n"
        "  birth_year: 출생연도\n  sex: 성별\n  sido_code: 시도\n  groups: 대상\n  run_code: 과정\n  enrolled_on: 등록일\n",
    )
    result = import_file(with_course, tmp_path / "x.xlsx", mapping_path=mapping, today=TODAY)
    assert result.ok, [str(e) for e in result.errors]
    assert (
        result.added == {"learners": 3, "enrolments": 3} and "1 blank row(s) were skipped" in result.warnings
    )
    with with_course.connect() as conn:
        dates = sorted(conn.execute(sa.select(m.Enrolment.enrolled_on)).scalars())
    assert dates == [dt.date(2025, 3, 1), dt.date(2025, 3, 2), dt.date(2025, 3, 4)]
    sheet.append(["X4", 1953, "여", 11, "장애인", "R1", "2025.02.30"])
    book.save(tmp_path / "x.xlsx")
    bad = import_file(with_course, tmp_path / "x.xlsx", mapping_path=mapping, today=TODAY)
    assert _positions(bad) == [(6, "등록일", "bad_date")]  # Excel's own row number


def test_mapping_and_usage_errors(engine, tmp_path):
    csv = write(tmp_path / "c.csv", COURSES)
    with pytest.raises(TrainingUsageError, match="give --mapping FILE or --kind"):
        import_file(engine, csv)
    for text, message in (
        ("kind: nope\n", "kind 'nope' is not one of"),
        ("kind: courses\ncolumns:\n  run: x\n", "'columns.run' is not a field of kind courses"),
        ("kind: courses\ncolour: red\n", "unknown key"),
        ("kind: learners\ncolumns:\n  name: 성명\n", "map both name and phone"),
        ("kind: courses\nencoding: klingon\ncolumns: {run_code: a, programme: b, course_name: c, mode: d, "
         "start_date: e, end_date: f, planned_hours: g, planned_sessions: h}\n", "unknown encoding"),
    ):  # fmt: skip
        with pytest.raises(TrainingError, match=message):
            import_file(engine, csv, mapping_path=write(tmp_path / "m.yaml", text))
    with pytest.raises(TrainingError, match="unsupported file type .pdf"):
        import_file(engine, write(tmp_path / "x.pdf", "x"), kind="courses")


def test_every_kind_imports_and_foreign_keys_hold(with_course, tmp_path, db_path):
    files = {
        "sites": "site_code,name,sigungu_code\nS1,종로복지관,11110\n",
        "learners": "learner_id,birth_year,sex,sido_code,groups\nA1,1950,F,11,elderly\nA2,1951,M,11,elderly\n",
        "enrolments": "learner_id,run_code,enrolled_on\nA1,R1,2025-03-01\nA2,R1,2025-03-01\n",
        "sessions": "run_code,session_no,date\nR1,1,2025-03-03\n",
        "attendance": "learner_id,run_code,session_no,session_date,status,minutes\n"
        "A1,R1,1,2025-03-03,P,\nA2,R1,1,2025-03-03,L,90\nA1,R1,2,2025-03-10,출석,\n",
        "assessments": "learner_id,run_code,kind,score,max_score\nA1,R1,pre,40,100\nA1,R1,post,70,100\n",
        "outcomes": "learner_id,run_code,kind,name,result,date\nA1,R1,certificate,ITQ,합격,2025-04-20\n",
        "targets": "year,group,target_enrolled\n2025,all,100\n2025,elderly,60\n",
        "population": "year,group,population\n2025,all,1000\n2025,elderly,300\n",
    }
    for kind, text in files.items():
        result = import_file(with_course, write(tmp_path / f"{kind}.csv", text), kind=kind, today=TODAY)
        assert result.ok and result.stored, (kind, [str(e) for e in result.errors])
    assert _count(with_course, m.Session) == 2  # session 2 created from the attendance file's date
    with with_course.connect() as conn:
        minutes = conn.execute(
            sa.select(m.Attendance.status, m.Attendance.minutes).order_by(m.Attendance.minutes)
        ).all()
    assert minutes == [("L", 90), ("P", 120), ("P", 120)]  # P defaults to 10 h / 5 sessions
    changed = write(tmp_path / "t2.csv", "year,group,target_enrolled\n2025,all,120\n2025,elderly,60\n")
    again = import_file(with_course, changed, kind="targets")
    assert (again.updated, again.already_present) == (1, 1)
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []


def test_bulk_writes_keep_quotes_backslashes_control_characters_and_nulls(with_course, db_path, tmp_path):
    # SQLite imports travel as JSON documents (values escaped) and learners are read back as
    # joined strings (split on the unit separator): odd values must survive both, or take the
    # row-by-row path when they cannot.
    header = "learner_id,birth_year,sex,sido_code,sigungu_code,groups,run_code,enrolled_on"
    plain = write(
        tmp_path / "plain.csv",
        f"{header}\n"
        '"Q""1",1950,F,11,11680,elderly,R1,2025-03-01\n'
        "B\\2,1951,M,26,,disabled|low_income,R1,2025-03-02\n"
        "한글3,1952,F,41,41110,nk_defector,R1,2025-03-03\n",
    )
    odd = write(
        tmp_path / "odd.csv",
        f"{header}\nT\t4,1953,M,11,,elderly,R1,2025-03-04\nU\x1f5,1954,F,11,11110,general,R1,2025-03-05\n",
    )
    first = import_file(with_course, plain, kind="enrolments", today=TODAY)
    assert first.stored and first.added == {"learners": 3, "enrolments": 3}
    second = import_file(with_course, odd, kind="enrolments", today=TODAY)
    assert second.stored and second.added == {"learners": 2, "enrolments": 2}
    for path in (plain, odd):  # the learners are read back through both paths: nothing is new
        again = import_file(with_course, path, kind="enrolments", today=TODAY)
        assert again.stored and again.added == {"enrolments": 0} and not again.warnings
    with sqlite3.connect(db_path) as conn:
        learners = conn.execute(
            "SELECT id, pseudonym, birth_year, sex, sido_code, sigungu_code, groups, retain_until "
            "FROM training_learner ORDER BY id"
        ).fetchall()
        enrolments = conn.execute(
            "SELECT l.pseudonym, e.enrolled_on, e.status, typeof(e.learner_id) FROM training_enrolment e "
            "JOIN training_learner l ON l.id = e.learner_id ORDER BY e.enrolled_on"
        ).fetchall()
    elderly, disabled_low = m.group_mask(["elderly"]), m.group_mask(["disabled", "low_income"])
    assert learners == [  # inserted in pseudonym order within a file
        (1, "B\\2", 1951, "M", "26", None, disabled_low, "2028-12-31"),
        (2, 'Q"1', 1950, "F", "11", "11680", elderly, "2028-12-31"),
        (3, "한글3", 1952, "F", "41", "41110", m.group_mask(["nk_defector"]), "2028-12-31"),
        (4, "T\t4", 1953, "M", "11", None, elderly, "2028-12-31"),
        (5, "U\x1f5", 1954, "F", "11", "11110", m.group_mask(["general"]), "2028-12-31"),
    ]
    assert enrolments == [
        ('Q"1', "2025-03-01", "enrolled", "integer"),
        ("B\\2", "2025-03-02", "enrolled", "integer"),
        ("한글3", "2025-03-03", "enrolled", "integer"),
        ("T\t4", "2025-03-04", "enrolled", "integer"),
        ("U\x1f5", "2025-03-05", "enrolled", "integer"),
    ]


@pytest.mark.parametrize("spread", [1, 1 << 45], ids=["packed", "too-wide-for-one-number"])
def test_whole_numbers_and_dates_packed_one_number_per_row_come_back_exact(engine, spread):
    # Rows of whole numbers and dates travel as one JSON number each when their ranges fit in 62
    # bits; wider ranges take the JSON-array path. Both must store exactly the given values.
    days = [dt.date(1900, 1, 1), dt.date(1969, 12, 31), dt.date(2025, 2, 28), dt.date(2199, 12, 31)]
    ids = [3, 3 + spread, 7, 2**31]
    arrays = [pa.array(ids), pa.array([-2, 0, 9, 1]), pa.array(days, pa.date32()), pa.array([5, 5, 5, 5])]
    assert (_packed(arrays) is None) == (spread > 1)  # 46 + 4 + 17 bits do not fit in 62
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TEMP TABLE packed (a INTEGER, b INTEGER, d DATE, c INTEGER)")
        added = _insert_arrays(
            conn,
            "packed",
            ("a", "b", "d", "c"),
            arrays,
        )
        stored = conn.exec_driver_sql("SELECT a, b, d, typeof(d), c FROM packed ORDER BY rowid").fetchall()
    assert added == 4
    assert stored == [
        (3, -2, "1900-01-01", "text", 5),
        (3 + spread, 0, "1969-12-31", "text", 5),
        (7, 9, "2025-02-28", "text", 5),
        (2**31, 1, "2199-12-31", "text", 5),
    ]


@pytest.mark.parametrize("code", ["11110", "011"], ids=["decimal-codes-packed", "leading-zero-not-packed"])
def test_texts_keys_and_nulls_packed_one_member_per_row_come_back_exact(engine, code):
    # A first column of distinct texts becomes the key of a JSON object member; texts of a few
    # values become codes, texts of many plain decimals numbers, and nulls stay nulls. "011" would
    # not print back as itself, so that file takes the JSON-array path: both store the same values.
    more = 16  # with these, the decimal column has too many values to be coded as texts
    arrays = [
        pa.array(['Q"1', "B\\2", "한글3", "it's 4"] + [f"k{i}" for i in range(more)]),
        pa.array(["M", None, "F", "it's"] + ["M"] * more),
        pa.array([code, None, "0", "99999999"] + [str(10_000 + i) for i in range(more)]),
        pa.array([True, False, None, True] + [False] * more),
        pa.array([1950, None, 2000, 1950] + [1960] * more),
        pa.array(["2028-12-31"] * (4 + more)),
        pa.array([None] * (4 + more), pa.string()),
    ]
    assert (_packed(arrays) is None) == (code == "011")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TEMP TABLE packed (k TEXT, s TEXT, c TEXT, b BOOLEAN, y INTEGER, d DATE, n TEXT)"
        )
        added = _insert_arrays(conn, "packed", ("k", "s", "c", "b", "y", "d", "n"), arrays)
        stored = conn.exec_driver_sql(
            "SELECT k, s, c, typeof(c), b, y, d, n FROM packed ORDER BY rowid"
        ).fetchall()
    assert added == 4 + more
    assert stored[:4] == [
        ('Q"1', "M", code, "text", 1, 1950, "2028-12-31", None),
        ("B\\2", None, None, "null", 0, None, "2028-12-31", None),
        ("한글3", "F", "0", "text", None, 2000, "2028-12-31", None),
        ("it's 4", "it's", "99999999", "text", 1, 1950, "2028-12-31", None),
    ]
    assert stored[4:] == [
        (f"k{i}", "M", str(10_000 + i), "text", 0, 1960, "2028-12-31", None) for i in range(more)
    ]
