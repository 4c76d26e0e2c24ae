"""Alembic environment: migrations always run on a connection Staffroom hands over."""

from __future__ import annotations

from alembic import context

from bot.storage.base import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `staffroom db upgrade`, which supplies the connection")

context.configure(
    connection=connection,
    # The tables of whatever is loaded: Staffroom upgrades after loading every installed skill
    # (their models register themselves); migrations are written by hand, and
    # tests/storage/test_schema.py checks that models and migrations agree.
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
