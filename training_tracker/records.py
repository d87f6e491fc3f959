"""One record at a time: add a course run or a learner, enrol, take attendance, apply completion
rules, mark structural breaks, purge learners past their retention date."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession

from training_tracker import models as m
from training_tracker.errors import TrainingError, TrainingUsageError
from training_tracker.mapping import ALIASES
from training_tracker.privacy import load_or_create_key, looks_like_rrn, pseudonym
from training_tracker.regions import SIDO


# -- checks for values typed on the command line --------------------------------------------------
def _no_identity_number(name: str, value: str | None) -> None:
    if value and looks_like_rrn(value):
        raise TrainingUsageError(
            f"{name} looks like a resident registration number; it is never stored (value not shown)",
            hint="Use a pseudonymous id, or --name and --phone to derive one.",
        )


def _choice(name: str, value: str | None, choices: tuple[str, ...], alias: str | None = None) -> str | None:
    if value is None:
        return None
    value = ALIASES.get(alias or name, {}).get(value.strip(), value.strip())
    if value not in choices:
        raise TrainingUsageError(f"{name} {value!r} is not one of {', '.join(choices)}")
    return value


def parse_date(name: str, value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise TrainingUsageError(f"{name} {value!r} is not a date (YYYY-MM-DD)") from None


def _region(sido: str | None, sigungu: str | None, required: bool = True) -> tuple[str | None, str | None]:
    if sigungu is not None:
        if not (len(sigungu) == 5 and sigungu.isdigit() and sigungu[:2] in SIDO):
            raise TrainingUsageError(f"시군구 code {sigungu!r} is not 5 digits of a known 시도 (e.g. 11110)")
        if sido is not None and sido != sigungu[:2]:
            raise TrainingUsageError(f"시군구 {sigungu} is not in 시도 {sido}")
        sido = sigungu[:2]
    if sido is not None and sido not in SIDO:
        raise TrainingUsageError(f"시도 code {sido!r} is not known", hint="e.g. 11 서울, 26 부산, 41 경기.")
    if required and sido is None:
        raise TrainingUsageError("give --sido or --sigungu")
    return sido, sigungu


def _run(session: OrmSession, code: str) -> m.CourseRun:
    run = session.scalar(sa.select(m.CourseRun).where(m.CourseRun.code == code))
    if run is None:
        raise TrainingError(
            f"no course run {code!r}", hint="Add it with 'ddkit training course add' or import it."
        )
    return run


def _learner(session: OrmSession, learner: str) -> m.Learner:
    found = session.scalar(sa.select(m.Learner).where(m.Learner.pseudonym == learner))
    if found is None:
        raise TrainingError(
            f"no learner {learner!r}",
            hint="Add the learner with 'ddkit training learner add' or import them.",
        )
    return found


def latest_rule(session: OrmSession, code: str) -> m.CompletionRule:
    rule = session.scalar(
        sa.select(m.CompletionRule)
        .where(m.CompletionRule.code == code)
        .order_by(m.CompletionRule.version.desc())
    )
    if rule is None:
        raise TrainingError(
            f"completion rule {code!r} is not defined", hint="Add it with 'ddkit training rule add'."
        )
    return rule


# -- course runs and learners ----------------------------------------------------------------------
def add_course(
    engine: Engine,
    *,
    code: str,
    programme: str,
    course_name: str,
    mode: str,
    start_date: str | dt.date,
    end_date: str | dt.date,
    planned_hours: float,
    planned_sessions: int,
    year: int | None = None,
    course_type: str | None = None,
    capacity: int | None = None,
    site_code: str | None = None,
    sido_code: str | None = None,
    sigungu_code: str | None = None,
    employment_track: bool = False,
    completion_rule: str = "hours80",
) -> dict:
    mode = _choice("mode", mode, m.MODES)
    start, end = parse_date("start date", start_date), parse_date("end date", end_date)
    if end < start:
        raise TrainingUsageError(f"end date {end} is before start date {start}")
    if planned_hours <= 0 or planned_sessions <= 0:
        raise TrainingUsageError("planned hours and sessions must be above 0")
    sido_code, sigungu_code = _region(sido_code, sigungu_code, required=False)
    with OrmSession(engine) as session, session.begin():
        if session.scalar(sa.select(m.CourseRun.id).where(m.CourseRun.code == code)) is not None:
            raise TrainingError(f"course run {code!r} already exists", hint="Pick another --code.")
        latest_rule(session, completion_rule)
        site_id = None
        if site_code is not None:
            site = session.scalar(sa.select(m.Site).where(m.Site.code == site_code))
            if site is None:
                raise TrainingError(f"no site {site_code!r}", hint="Import the sites file first.")
            site_id = site.id
            sido_code = sido_code or site.sido_code
            sigungu_code = sigungu_code or site.sigungu_code
        run = m.CourseRun(
            code=code,
            programme=programme,
            course_name=course_name,
            course_type=course_type,
            mode=mode,
            year=year or start.year,
            start_date=start,
            end_date=end,
            planned_hours=planned_hours,
            planned_sessions=planned_sessions,
            capacity=capacity,
            site_id=site_id,
            sido_code=sido_code,
            sigungu_code=sigungu_code,
            employment_track=employment_track,
            completion_rule=completion_rule,
        )
        session.add(run)
    return {"code": code, "programme": programme, "mode": mode, "year": year or start.year}


def add_learner(
    engine: Engine,
    *,
    birth_year: int,
    sex: str,
    groups: list[str],
    learner_id: str | None = None,
    name: str | None = None,
    phone: str | None = None,
    key_file: Path | None = None,
    sido_code: str | None = None,
    sigungu_code: str | None = None,
    eligibility_basis: str | None = None,
    consent_sensitive: bool = False,
    disability_type: str | None = None,
    disability_severity: str | None = None,
    retain_until: str | dt.date | None = None,
    retain_years: int = 3,
    today: dt.date | None = None,
) -> dict:
    """Add one learner; returns the pseudonym (derived from name + phone when those are given)."""
    today = today or dt.date.today()
    for label, value in (("learner id", learner_id), ("name", name), ("phone", phone)):
        _no_identity_number(label, value)
    if learner_id and (name or phone):
        raise TrainingUsageError("give either --learner or --name and --phone, not both")
    if not learner_id:
        if not (name and phone):
            raise TrainingUsageError("give --learner ID, or both --name and --phone")
        learner_id = pseudonym(load_or_create_key(key_file), name, phone)
    if not 1900 <= birth_year <= today.year:
        raise TrainingUsageError(f"birth year {birth_year} is not between 1900 and {today.year}")
    sex = _choice("sex", sex, m.SEXES)
    groups = [_choice("group", g, m.GROUPS, "groups") for g in groups]
    if not groups:
        raise TrainingUsageError("give at least one --group", hint=f"Groups: {', '.join(m.GROUPS)}.")
    sido_code, sigungu_code = _region(sido_code, sigungu_code)
    disability_type = _choice("disability type", disability_type, m.DISABILITY_TYPES, "disability_type")
    disability_severity = _choice("severity", disability_severity, m.SEVERITIES, "disability_severity")
    if (disability_type or disability_severity) and not consent_sensitive:
        raise TrainingUsageError(
            "disability type/severity need recorded consent to process sensitive data",
            hint="Add --consent-sensitive once the learner's separate consent is on file, or leave them out.",
        )
    until = parse_date("retain until", retain_until) or dt.date(today.year + retain_years, 12, 31)
    with OrmSession(engine) as session, session.begin():
        if session.scalar(sa.select(m.Learner.id).where(m.Learner.pseudonym == learner_id)) is not None:
            return {"learner": learner_id, "created": False}
        session.add(
            m.Learner(
                pseudonym=learner_id,
                birth_year=birth_year,
                sex=sex,
                sido_code=sido_code,
                sigungu_code=sigungu_code,
                groups=m.group_mask(groups),
                eligibility_basis=eligibility_basis,
                consent_sensitive=consent_sensitive,
                disability_type=disability_type,
                disability_severity=disability_severity,
                retain_until=until,
            )
        )
    return {"learner": learner_id, "created": True}


def enrol(engine: Engine, *, learner: str, run_code: str, enrolled_on: str | dt.date | None = None) -> dict:
    on = parse_date("enrolment date", enrolled_on) or dt.date.today()
    with OrmSession(engine) as session, session.begin():
        run = _run(session, run_code)
        person = _learner(session, learner)
        existing = session.scalar(
            sa.select(m.Enrolment).where(m.Enrolment.run_id == run.id, m.Enrolment.learner_id == person.id)
        )
        if existing is not None:
            return {"learner": learner, "run": run_code, "created": False, "status": existing.status}
        session.add(m.Enrolment(learner_id=person.id, run_id=run.id, enrolled_on=on, status="enrolled"))
    return {"learner": learner, "run": run_code, "created": True, "status": "enrolled"}


@dataclass
class AttendanceMark:
    learner: str
    status: str
    minutes: int | None = None


def record_attendance(
    engine: Engine,
    *,
    run_code: str,
    session_no: int,
    date: str | dt.date | None,
    marks: list[AttendanceMark],
    planned_minutes: int | None = None,
) -> dict:
    """Create the session if needed and record (or correct) each learner's status in it."""
    if session_no < 1:
        raise TrainingUsageError("session number must be 1 or more")
    day = parse_date("session date", date)
    if not marks:
        raise TrainingUsageError("mark at least one learner (--present, --late, --excused or --absent)")
    with OrmSession(engine) as session, session.begin():
        run = _run(session, run_code)
        lesson = session.scalar(
            sa.select(m.Session).where(m.Session.run_id == run.id, m.Session.session_no == session_no)
        )
        created = lesson is None
        if lesson is None:
            if day is None:
                raise TrainingUsageError(f"session {session_no} of {run_code} is new: give --date")
            lesson = m.Session(
                run_id=run.id,
                session_no=session_no,
                date=day,
                planned_minutes=planned_minutes or round(run.planned_hours * 60 / run.planned_sessions),
            )
            session.add(lesson)
            session.flush()
        elif day is not None and lesson.date != day:
            raise TrainingError(
                f"session {session_no} of {run_code} is on {lesson.date}, not {day}",
                hint="Check the session number, or leave --date out.",
            )
        recorded = []
        for mark in marks:
            status = _choice("status", mark.status, m.ATTENDANCE_STATUSES)
            person = _learner(session, mark.learner)
            enrolment = session.scalar(
                sa.select(m.Enrolment).where(
                    m.Enrolment.run_id == run.id, m.Enrolment.learner_id == person.id
                )
            )
            if enrolment is None:
                raise TrainingError(
                    f"learner {mark.learner!r} is not enrolled in {run_code}",
                    hint=f"Enrol them first: ddkit training enrol --learner {mark.learner} --run {run_code}",
                )
            minutes = mark.minutes
            if minutes is None:
                minutes = lesson.planned_minutes if status in ("P", "L") else 0
            if status == "A" and minutes:
                raise TrainingUsageError(f"{mark.learner}: absent with {minutes} minutes")
            row = session.get(m.Attendance, (lesson.id, enrolment.id))
            if row is None:
                session.add(
                    m.Attendance(
                        session_id=lesson.id, enrolment_id=enrolment.id, status=status, minutes=minutes
                    )
                )
            else:
                row.status, row.minutes = status, minutes
            recorded.append({"learner": mark.learner, "status": status, "minutes": minutes})
    return {
        "run": run_code,
        "session_no": session_no,
        "date": (day or lesson.date).isoformat(),
        "session_created": created,
        "marks": recorded,
    }


# -- completion rules -----------------------------------------------------------------------------
def add_rule(
    engine: Engine,
    *,
    code: str,
    basis: str = "hours",
    min_ratio: float = 0.8,
    min_post_score: float | None = None,
    description: str | None = None,
) -> dict:
    """A new version of rule ``code``; decided completions keep the version they were judged by."""
    basis = _choice("basis", basis, m.RULE_BASES)
    if not 0 < min_ratio <= 1:
        raise TrainingUsageError(f"--min-ratio {min_ratio} must be above 0 and at most 1")
    if min_post_score is not None and not 0 <= min_post_score <= 100:
        raise TrainingUsageError("--min-post-score is a percentage of the post-test maximum (0-100)")
    with OrmSession(engine) as session, session.begin():
        previous = session.scalar(
            sa.select(sa.func.max(m.CompletionRule.version)).where(m.CompletionRule.code == code)
        )
        version = (previous or 0) + 1
        session.add(
            m.CompletionRule(
                code=code,
                version=version,
                basis=basis,
                min_ratio=min_ratio,
                min_post_score=min_post_score,
                description=description,
                created_at=dt.datetime.now().replace(microsecond=0),
            )
        )
    return {
        "code": code,
        "version": version,
        "basis": basis,
        "min_ratio": min_ratio,
        "min_post_score": min_post_score,
    }


def list_rules(engine: Engine) -> list[dict]:
    with OrmSession(engine) as session:
        rules = session.scalars(
            sa.select(m.CompletionRule).order_by(m.CompletionRule.code, m.CompletionRule.version)
        )
        return [
            {
                "code": r.code,
                "version": r.version,
                "basis": r.basis,
                "min_ratio": r.min_ratio,
                "min_post_score": r.min_post_score,
                "description": r.description,
                "created_at": r.created_at,
            }
            for r in rules
        ]


@dataclass
class CompletionResult:
    run: str
    rule: str
    rule_version: int
    basis: str
    min_ratio: float
    min_post_score: float | None
    needed: float  # minutes or sessions needed to complete
    completed: int = 0
    not_completed: int = 0
    still_open: int = 0
    unchanged: int = 0
    learners: list[dict] = field(default_factory=list)


def complete_run(
    engine: Engine,
    run_code: str,
    *,
    final: bool = False,
    recompute: bool = False,
    as_of: str | dt.date | None = None,
) -> CompletionResult:
    """Apply the run's completion rule (latest version) to its open enrolments.

    An enrolment meeting the rule becomes ``completed``; with ``final`` (the run is over) the rest
    become ``not_completed``, otherwise they stay open. Decided enrolments are left alone unless
    ``recompute``; withdrawn ones always are.
    """
    as_of = parse_date("as-of date", as_of) or dt.date.today()
    with OrmSession(engine) as session, session.begin():
        run = _run(session, run_code)
        rule = latest_rule(session, run.completion_rule)
        if rule.basis == "hours":
            # Integer minutes, rounded up: 80% of 20 h is 960 minutes, and 959 is not enough.
            needed = math.ceil(rule.min_ratio * run.planned_hours * 60 - 1e-9)
        else:
            needed = math.ceil(rule.min_ratio * run.planned_sessions - 1e-9)
        attended = sa.case((m.Attendance.status.in_(("P", "L")), 1), else_=0)
        minutes = sa.case((m.Attendance.status.in_(("P", "L")), m.Attendance.minutes), else_=0)
        stats = (
            sa.select(
                m.Attendance.enrolment_id,
                sa.func.sum(minutes).label("minutes"),
                sa.func.sum(attended).label("sessions"),
                sa.func.max(sa.case((m.Attendance.status.in_(("P", "L")), m.Session.date))).label("last"),
            )
            .join(m.Session, m.Session.id == m.Attendance.session_id)
            .where(m.Session.run_id == run.id, m.Session.date <= as_of)
            .group_by(m.Attendance.enrolment_id)
            .subquery()
        )
        post = (
            sa.select(
                m.Assessment.enrolment_id, (100.0 * m.Assessment.score / m.Assessment.max_score).label("pct")
            )
            .where(m.Assessment.kind == "post")
            .subquery()
        )
        rows = session.execute(
            sa.select(
                m.Enrolment,
                m.Learner.pseudonym,
                sa.func.coalesce(stats.c.minutes, 0),
                sa.func.coalesce(stats.c.sessions, 0),
                stats.c.last,
                post.c.pct,
            )
            .join(m.Learner, m.Learner.id == m.Enrolment.learner_id)
            .outerjoin(stats, stats.c.enrolment_id == m.Enrolment.id)
            .outerjoin(post, post.c.enrolment_id == m.Enrolment.id)
            .where(m.Enrolment.run_id == run.id)
            .order_by(m.Learner.pseudonym)
        ).all()
        result = CompletionResult(
            run=run_code,
            rule=rule.code,
            rule_version=rule.version,
            basis=rule.basis,
            min_ratio=rule.min_ratio,
            min_post_score=rule.min_post_score,
            needed=needed,
        )
        for enrolment, learner, minutes_done, sessions_done, last, post_pct in rows:
            if enrolment.status == "withdrawn" or (enrolment.status != "enrolled" and not recompute):
                result.unchanged += 1
                continue
            amount = minutes_done if rule.basis == "hours" else sessions_done
            meets = amount >= needed and (
                rule.min_post_score is None
                or (post_pct is not None and post_pct >= rule.min_post_score - 1e-9)
            )
            if meets:
                status, on = "completed", last or as_of
                result.completed += 1
            elif final:
                status, on = "not_completed", None
                result.not_completed += 1
            else:
                status, on = "enrolled", None
                result.still_open += 1
            enrolment.status = status
            enrolment.completed_on = on
            enrolment.completion_rule_id = rule.id if status != "enrolled" else None
            result.learners.append(
                {
                    "learner": learner,
                    "attended": amount,
                    "needed": needed,
                    "post_score_pct": None if post_pct is None else round(post_pct, 1),
                    "status": status,
                }
            )
    return result


# -- structural breaks -------------------------------------------------------------------------------
def add_break(
    engine: Engine, *, month: str, kind: str, programme: str = m.ALL, note: str | None = None
) -> dict:
    month = normalise_month(month)
    kind = _choice("kind", kind, m.BREAK_KINDS, "break")
    with OrmSession(engine) as session, session.begin():
        existing = session.scalar(
            sa.select(m.StructuralBreak).where(
                m.StructuralBreak.month == month, m.StructuralBreak.programme == programme
            )
        )
        if existing is None:
            session.add(m.StructuralBreak(month=month, programme=programme, kind=kind, note=note))
        else:
            existing.kind, existing.note = kind, note
    return {"month": month, "programme": programme, "kind": kind, "note": note}


def list_breaks(engine: Engine, programme: str | None = None) -> list[dict]:
    with OrmSession(engine) as session:
        query = sa.select(m.StructuralBreak).order_by(m.StructuralBreak.month)
        if programme:
            query = query.where(m.StructuralBreak.programme.in_((programme, m.ALL)))
        return [
            {"month": b.month, "programme": b.programme, "kind": b.kind, "note": b.note}
            for b in session.scalars(query)
        ]


def normalise_month(value: str) -> str:
    text = value.strip()
    try:
        return dt.datetime.strptime(text[:7], "%Y-%m").strftime("%Y-%m")
    except ValueError:
        raise TrainingUsageError(f"month {value!r} is not YYYY-MM") from None


# -- purge ----------------------------------------------------------------------------------------
@dataclass
class PurgeResult:
    as_of: str
    dry_run: bool
    learners: int
    enrolments: int
    attendance: int
    assessments: int
    outcomes: int


def purge_expired(
    engine: Engine, *, as_of: str | dt.date | None = None, dry_run: bool = False
) -> PurgeResult:
    """Delete learners whose retain-until date is before ``as_of`` (default today), with every
    record about them, in one transaction."""
    day = parse_date("as-of date", as_of) or dt.date.today()
    expired = sa.select(m.Learner.id).where(m.Learner.retain_until < day)
    their_enrolments = sa.select(m.Enrolment.id).where(m.Enrolment.learner_id.in_(expired))
    counts_sql = {
        "learners": sa.select(sa.func.count()).select_from(m.Learner).where(m.Learner.retain_until < day),
        "enrolments": sa.select(sa.func.count()).where(m.Enrolment.learner_id.in_(expired)),
        "attendance": sa.select(sa.func.count()).where(m.Attendance.enrolment_id.in_(their_enrolments)),
        "assessments": sa.select(sa.func.count()).where(m.Assessment.enrolment_id.in_(their_enrolments)),
        "outcomes": sa.select(sa.func.count()).where(m.Outcome.enrolment_id.in_(their_enrolments)),
    }
    with engine.begin() as conn:
        counts = {name: conn.execute(query).scalar_one() for name, query in counts_sql.items()}
        if not dry_run and counts["learners"]:
            # Children first, each as one set-based statement (no per-row cascades).
            for model in (m.Attendance, m.Assessment, m.Outcome):
                conn.execute(sa.delete(model).where(model.enrolment_id.in_(their_enrolments)))
            conn.execute(sa.delete(m.Enrolment).where(m.Enrolment.learner_id.in_(expired)))
            try:
                conn.execute(sa.delete(m.Learner).where(m.Learner.retain_until < day))
            except IntegrityError as exc:  # pragma: no cover - every child table is cleared above
                raise TrainingError(f"purge stopped, nothing was deleted: {exc.orig}") from exc
    return PurgeResult(as_of=day.isoformat(), dry_run=dry_run, **counts)


def complete_finished_runs(
    engine: Engine, *, as_of: str | dt.date | None = None, final: bool = True, recompute: bool = False
) -> list[CompletionResult]:
    """``complete_run`` for every run that has ended by ``as_of`` (default today)."""
    day = parse_date("as-of date", as_of) or dt.date.today()
    with engine.connect() as conn:
        codes = (
            conn.execute(
                sa.select(m.CourseRun.code).where(m.CourseRun.end_date <= day).order_by(m.CourseRun.code)
            )
            .scalars()
            .all()
        )
    return [complete_run(engine, code, final=final, recompute=recompute, as_of=day) for code in codes]
