"""The relational store: engine and sessions, ORM models, Alembic migrations."""
