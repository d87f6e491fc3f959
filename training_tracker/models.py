"""The training tracker's tables (SQLAlchemy 2 declarative models).

Every table name starts with ``training_`` so the tracker can share one database file with the audit
tables; the tracker's Alembic history has its own version table (``alembic_version_training``).
The schema is portable (no dialect-specific SQL): SQLite by default, PostgreSQL later.

No column may ever hold a resident registration, foreign registration or passport number, a name
or a phone number: learners are known by a pseudonym only (see ``privacy.py``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.expression import FunctionElement

# The vocabularies live in codes.py (no SQLAlchemy); re-exported here for the models' users.
from training_tracker.codes import (  # noqa: F401
    ALL,
    ASSESSMENT_KINDS,
    ATTENDANCE_STATUSES,
    BREAK_KINDS,
    DISABILITY_TYPES,
    ENROLMENT_STATUSES,
    GROUPS,
    MODES,
    OUTCOME_KINDS,
    OUTCOME_RESULTS,
    RULE_BASES,
    SEVERITIES,
    SEXES,
    group_bit,
    group_codes,
    group_mask,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class year_month(FunctionElement):  # noqa: N801 - reads like the SQL function it renders as
    """``'YYYY-MM'`` of a DATE column, in each dialect's cheapest form (one per-row string slice on
    SQLite instead of two strftime calls: a million-row KPI query is markedly faster)."""

    type = String()
    inherit_cache = True
    name = "year_month"


@compiles(year_month)
def _year_month(element, compiler, **kw) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


@compiles(year_month, "sqlite")
def _year_month_sqlite(element, compiler, **kw) -> str:
    # SQLAlchemy stores SQLite DATE values as ISO text: the first seven characters are the month.
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 7)"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Site(Base):
    __tablename__ = "training_site"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str | None] = mapped_column(String(64))  # 복지관, 주민센터, 도서관, 경로당, 거점센터 …
    sido_code: Mapped[str] = mapped_column(String(2))
    sigungu_code: Mapped[str | None] = mapped_column(String(5))
    capacity: Mapped[int | None] = mapped_column(Integer)


class CompletionRule(Base):
    """A versioned completion rule; a decided enrolment keeps the exact version it was judged by."""

    __tablename__ = "training_completion_rule"
    __table_args__ = (
        UniqueConstraint("code", "version"),
        CheckConstraint("min_ratio > 0 AND min_ratio <= 1", name="min_ratio_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    basis: Mapped[str] = mapped_column(String(16))  # hours | sessions
    min_ratio: Mapped[float] = mapped_column(Float)
    min_post_score: Mapped[float | None] = mapped_column(Float)  # percent of max_score, optional
    description: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class CourseRun(Base):
    __tablename__ = "training_course_run"
    __table_args__ = (
        CheckConstraint("planned_hours > 0", name="planned_hours_positive"),
        CheckConstraint("planned_sessions > 0", name="planned_sessions_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    programme: Mapped[str] = mapped_column(String(64))
    course_name: Mapped[str] = mapped_column(String(200))
    course_type: Mapped[str | None] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    planned_hours: Mapped[float] = mapped_column(Float)
    planned_sessions: Mapped[int] = mapped_column(Integer)
    capacity: Mapped[int | None] = mapped_column(Integer)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("training_site.id"))
    sido_code: Mapped[str | None] = mapped_column(String(2))
    sigungu_code: Mapped[str | None] = mapped_column(String(5))
    employment_track: Mapped[bool] = mapped_column(Boolean, default=False)
    completion_rule: Mapped[str] = mapped_column(String(64))  # a CompletionRule.code; latest version applies


class Learner(Base):
    """A pseudonymous learner. Disability fields are set only when ``consent_sensitive`` is true."""

    __tablename__ = "training_learner"
    __table_args__ = (
        CheckConstraint(
            "consent_sensitive OR (disability_type IS NULL AND disability_severity IS NULL)",
            name="sensitive_needs_consent",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64), unique=True)
    birth_year: Mapped[int] = mapped_column(Integer)
    sex: Mapped[str] = mapped_column(String(1))
    sido_code: Mapped[str] = mapped_column(String(2))
    sigungu_code: Mapped[str | None] = mapped_column(String(5))
    # The set of groups as a bit mask over GROUPS (bit i = GROUPS[i]; see group_mask / group_codes):
    # one integer instead of a join table keeps a million-row import and the by-group KPIs fast,
    # and `groups & 2 <> 0` works the same on SQLite and PostgreSQL.
    groups: Mapped[int] = mapped_column(Integer)
    eligibility_basis: Mapped[str | None] = mapped_column(String(64))
    consent_sensitive: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    disability_type: Mapped[str | None] = mapped_column(String(32))
    disability_severity: Mapped[str | None] = mapped_column(String(16))
    retain_until: Mapped[dt.date] = mapped_column(Date)


class Enrolment(Base):
    __tablename__ = "training_enrolment"
    # One index only: (learner, run). Imports write in that order, so new enrolments land at the
    # index's end; a second index (by run) would make a million-row import about twice as slow,
    # and per-run reads are full scans of a narrow table that take a fraction of a second.
    __table_args__ = (UniqueConstraint("learner_id", "run_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("training_learner.id", ondelete="CASCADE"))
    run_id: Mapped[int] = mapped_column(ForeignKey("training_course_run.id"))
    enrolled_on: Mapped[dt.date] = mapped_column(Date)
    # Server defaults let bulk imports leave out columns a file does not have.
    status: Mapped[str] = mapped_column(String(16), default="enrolled", server_default="enrolled")
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    completion_rule_id: Mapped[int | None] = mapped_column(ForeignKey("training_completion_rule.id"))


class Session(Base):
    __tablename__ = "training_session"
    __table_args__ = (UniqueConstraint("run_id", "session_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("training_course_run.id"))
    session_no: Mapped[int] = mapped_column(Integer)
    date: Mapped[dt.date] = mapped_column(Date)
    planned_minutes: Mapped[int] = mapped_column(Integer)


class Attendance(Base):
    __tablename__ = "training_attendance"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_session.id", ondelete="CASCADE"), primary_key=True
    )
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("training_enrolment.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    status: Mapped[str] = mapped_column(String(1))
    minutes: Mapped[int] = mapped_column(Integer)


class Assessment(Base):
    __tablename__ = "training_assessment"
    __table_args__ = (UniqueConstraint("enrolment_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("training_enrolment.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float)
    taken_on: Mapped[dt.date | None] = mapped_column(Date)


class Outcome(Base):
    __tablename__ = "training_outcome"
    __table_args__ = (UniqueConstraint("enrolment_id", "kind", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("training_enrolment.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))  # e.g. ITQ 엑셀; for employment, the sector or "-"
    result: Mapped[str] = mapped_column(String(16))
    date: Mapped[dt.date] = mapped_column(Date)


class Target(Base):
    __tablename__ = "training_target"
    __table_args__ = (UniqueConstraint("year", "programme", "group_code", "region_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    programme: Mapped[str] = mapped_column(String(64))  # or "all"
    group_code: Mapped[str] = mapped_column(String(32))  # or "all"
    region_code: Mapped[str] = mapped_column(String(5))  # 2-digit 시도, 5-digit 시군구, or "all"
    target_enrolled: Mapped[int | None] = mapped_column(Integer)
    target_completed: Mapped[int | None] = mapped_column(Integer)


class Population(Base):
    """Population denominators for equity ratios (group "all" = the whole population of the region)."""

    __tablename__ = "training_population"
    __table_args__ = (UniqueConstraint("year", "region_code", "group_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    region_code: Mapped[str] = mapped_column(String(5))
    group_code: Mapped[str] = mapped_column(String(32))
    population: Mapped[int] = mapped_column(Integer)


class StructuralBreak(Base):
    """A month from which a series is not comparable with what came before (launch, budget cut …)."""

    __tablename__ = "training_break"
    __table_args__ = (UniqueConstraint("month", "programme"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    programme: Mapped[str] = mapped_column(String(64))  # or "all"
    kind: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(500))


class ImportLog(Base):
    __tablename__ = "training_import"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    rows: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer)
    already_present: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)
