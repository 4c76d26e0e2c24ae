"""Importable helpers for tests: stores on SQLite and PostgreSQL, and a console driver."""
