"""Alembic environment: migrations always run on a connection Staffroom hands over."""

from __future__ import annotations

from alembic import context

from bot.storage import models  # noqa: F401  (registers every table on Base.metadata)
from bot.storage.base import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `staffroom db upgrade`, which supplies the connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
