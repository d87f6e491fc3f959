"""Alembic migrations of the audit tables (version table ``alembic_version_audit``)."""
