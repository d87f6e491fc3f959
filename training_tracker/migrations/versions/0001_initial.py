"""Initial training schema, and the default completion rule (hours80: at least 80% of planned hours).

Revision ID: 0001
Revises:
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "training_break",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("programme", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_break")),
        sa.UniqueConstraint("month", "programme", name=op.f("uq_training_break_month_programme")),
    )
    op.create_table(
        "training_completion_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(length=16), nullable=False),
        sa.Column("min_ratio", sa.Float(), nullable=False),
        sa.Column("min_post_score", sa.Float(), nullable=True),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "min_ratio > 0 AND min_ratio <= 1", name=op.f("ck_training_completion_rule_min_ratio_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_completion_rule")),
        sa.UniqueConstraint("code", "version", name=op.f("uq_training_completion_rule_code_version")),
    )
    op.create_table(
        "training_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("already_present", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_import")),
    )
    op.create_index(op.f("ix_training_import_sha256"), "training_import", ["sha256"], unique=False)

    op.create_table(
        "training_learner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("sido_code", sa.String(length=2), nullable=False),
        sa.Column("sigungu_code", sa.String(length=5), nullable=True),
        sa.Column("groups", sa.Integer(), nullable=False),
        sa.Column("eligibility_basis", sa.String(length=64), nullable=True),
        sa.Column("consent_sensitive", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("disability_type", sa.String(length=32), nullable=True),
        sa.Column("disability_severity", sa.String(length=16), nullable=True),
        sa.Column("retain_until", sa.Date(), nullable=False),
        sa.CheckConstraint(
            "consent_sensitive OR (disability_type IS NULL AND disability_severity IS NULL)",
            name=op.f("ck_training_learner_sensitive_needs_consent"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_learner")),
        sa.UniqueConstraint("pseudonym", name=op.f("uq_training_learner_pseudonym")),
    )

    op.create_table(
        "training_population",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=5), nullable=False),
        sa.Column("group_code", sa.String(length=32), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_population")),
        sa.UniqueConstraint(
            "year",
            "region_code",
            "group_code",
            name=op.f("uq_training_population_year_region_code_group_code"),
        ),
    )
    op.create_table(
        "training_site",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=True),
        sa.Column("sido_code", sa.String(length=2), nullable=False),
        sa.Column("sigungu_code", sa.String(length=5), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_site")),
        sa.UniqueConstraint("code", name=op.f("uq_training_site_code")),
    )
    op.create_table(
        "training_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("programme", sa.String(length=64), nullable=False),
        sa.Column("group_code", sa.String(length=32), nullable=False),
        sa.Column("region_code", sa.String(length=5), nullable=False),
        sa.Column("target_enrolled", sa.Integer(), nullable=True),
        sa.Column("target_completed", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_target")),
        sa.UniqueConstraint(
            "year",
            "programme",
            "group_code",
            "region_code",
            name=op.f("uq_training_target_year_programme_group_code_region_code"),
        ),
    )
    op.create_table(
        "training_course_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("programme", sa.String(length=64), nullable=False),
        sa.Column("course_name", sa.String(length=200), nullable=False),
        sa.Column("course_type", sa.String(length=64), nullable=True),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("planned_hours", sa.Float(), nullable=False),
        sa.Column("planned_sessions", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("sido_code", sa.String(length=2), nullable=True),
        sa.Column("sigungu_code", sa.String(length=5), nullable=True),
        sa.Column("employment_track", sa.Boolean(), nullable=False),
        sa.Column("completion_rule", sa.String(length=64), nullable=False),
        sa.CheckConstraint("planned_hours > 0", name=op.f("ck_training_course_run_planned_hours_positive")),
        sa.CheckConstraint(
            "planned_sessions > 0", name=op.f("ck_training_course_run_planned_sessions_positive")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["training_site.id"], name=op.f("fk_training_course_run_site_id_training_site")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_course_run")),
        sa.UniqueConstraint("code", name=op.f("uq_training_course_run_code")),
    )
    op.create_table(
        "training_enrolment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("enrolled_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="enrolled", nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("completion_rule_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["completion_rule_id"],
            ["training_completion_rule.id"],
            name=op.f("fk_training_enrolment_completion_rule_id_training_completion_rule"),
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["training_learner.id"],
            name=op.f("fk_training_enrolment_learner_id_training_learner"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["training_course_run.id"],
            name=op.f("fk_training_enrolment_run_id_training_course_run"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_enrolment")),
        sa.UniqueConstraint("learner_id", "run_id", name=op.f("uq_training_enrolment_learner_id_run_id")),
    )

    op.create_table(
        "training_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("session_no", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("planned_minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["training_course_run.id"],
            name=op.f("fk_training_session_run_id_training_course_run"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_session")),
        sa.UniqueConstraint("run_id", "session_no", name=op.f("uq_training_session_run_id_session_no")),
    )
    op.create_table(
        "training_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("max_score", sa.Float(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["training_enrolment.id"],
            name=op.f("fk_training_assessment_enrolment_id_training_enrolment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_assessment")),
        sa.UniqueConstraint("enrolment_id", "kind", name=op.f("uq_training_assessment_enrolment_id_kind")),
    )
    op.create_table(
        "training_attendance",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=1), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["training_enrolment.id"],
            name=op.f("fk_training_attendance_enrolment_id_training_enrolment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["training_session.id"],
            name=op.f("fk_training_attendance_session_id_training_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "enrolment_id", name=op.f("pk_training_attendance")),
    )
    op.create_index(
        op.f("ix_training_attendance_enrolment_id"), "training_attendance", ["enrolment_id"], unique=False
    )

    op.create_table(
        "training_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["training_enrolment.id"],
            name=op.f("fk_training_outcome_enrolment_id_training_enrolment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_outcome")),
        sa.UniqueConstraint(
            "enrolment_id", "kind", "name", name=op.f("uq_training_outcome_enrolment_id_kind_name")
        ),
    )
    rules = sa.table(
        "training_completion_rule",
        sa.column("code", sa.String),
        sa.column("version", sa.Integer),
        sa.column("basis", sa.String),
        sa.column("min_ratio", sa.Float),
        sa.column("min_post_score", sa.Float),
        sa.column("description", sa.String),
        sa.column("created_at", sa.DateTime),
    )
    op.bulk_insert(
        rules,
        [
            {
                "code": "hours80",
                "version": 1,
                "basis": "hours",
                "min_ratio": 0.8,
                "min_post_score": None,
                "description": "attended minutes >= 80% of the run's planned hours",
                "created_at": dt.datetime(2026, 1, 1),
            }
        ],
    )


def downgrade() -> None:
    op.drop_table("training_outcome")
    op.drop_index(op.f("ix_training_attendance_enrolment_id"), table_name="training_attendance")

    op.drop_table("training_attendance")
    op.drop_table("training_assessment")
    op.drop_table("training_session")

    op.drop_table("training_enrolment")
    op.drop_table("training_course_run")
    op.drop_table("training_target")
    op.drop_table("training_site")
    op.drop_table("training_population")

    op.drop_table("training_learner")
    op.drop_index(op.f("ix_training_import_sha256"), table_name="training_import")

    op.drop_table("training_import")
    op.drop_table("training_completion_rule")
    op.drop_table("training_break")
