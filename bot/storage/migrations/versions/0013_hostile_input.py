"""Repair text stored before input was cleaned at the boundary; number resources, check-ins
and reminders within each community.

Lone surrogates kept in JSON columns (check-in answers and questions, settings such as the
welcome text, the audit log's before/after) made every later export fail, for good. Every
text and JSON value loses surrogates, control characters (but newlines and tabs) and bidi
overrides, and is NFC-normalised, as the core now does with everything a member types. The
cleaning is copied here, not imported, so this migration keeps doing what it did.

Resources, check-ins and reminders get a ``number`` counted per tenant (in id order), and
``tenant_sequences`` remembers the last one given, so that members no longer see global ids.

Revision ID: 0013_hostile_input
Revises: 0010_defects
Create Date: 2026-12-04
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0013_hostile_input"
down_revision = "0010_defects"
branch_labels = None
depends_on = None

_INVISIBLE = {"\u200b", "\u200e", "\u200f", "\u2060", "\ufeff"} | {
    chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
}


def _clean(text: str) -> str:
    kept = "".join(
        ch
        for ch in text
        if ch in "\n\t" or (ch not in _INVISIBLE and unicodedata.category(ch) not in ("Cc", "Cs"))
    )
    return unicodedata.normalize("NFC", kept)


def _clean_json(value: Any) -> Any:
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, list):
        return [_clean_json(v) for v in value]
    if isinstance(value, dict):
        return {_clean(str(k)): _clean_json(v) for k, v in value.items()}
    return value


def _read_json(raw: Any) -> Any:
    """A JSON column as the driver hands it over: parsed already, or text (SQLite, asyncpg)."""
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def _repair_table(connection: sa.Connection, table: sa.Table) -> None:
    keys = list(table.primary_key.columns)
    texts = [c for c in table.columns if isinstance(c.type, sa.String) and c not in keys]
    documents = [c for c in table.columns if isinstance(c.type, sa.JSON)]
    if not keys or not (texts or documents):
        return
    query = sa.select(*keys, *texts, *documents)
    changes: list[tuple[dict[str, Any], dict[str, Any]]] = []
    result = connection.execute(query)
    try:
        rows = list(result)
    finally:
        result.close()  # a server-side cursor left open would block ALTER TABLE on PostgreSQL
    for row in rows:
        values = row._mapping
        changed: dict[str, Any] = {}
        for column in texts:
            old = values[column.name]
            if isinstance(old, str) and _clean(old) != old:
                changed[column.name] = _clean(old)
        for column in documents:
            old = _read_json(values[column.name])
            new = _clean_json(old)
            if new != old:
                changed[column.name] = new
        if changed:
            changes.append(({k.name: values[k.name] for k in keys}, changed))
    for key, changed in changes:
        where = sa.and_(*(table.c[name] == value for name, value in key.items()))
        with connection.begin_nested():
            connection.execute(sa.update(table).where(where).values(**changed))


_NUMBERED = {"resources": "resource", "checkins": "checkin", "reminders": "reminder"}


def upgrade() -> None:
    connection = op.get_bind()
    metadata = sa.MetaData()
    metadata.reflect(bind=connection, only=_repaired)
    for table in metadata.sorted_tables:
        _repair_table(connection, table)
    _number_per_tenant()


def _repaired(name: str, _metadata: sa.MetaData) -> bool:
    """Every table but Alembic's own and SQLite's full-text index (kept in step by triggers)."""
    return name != "alembic_version" and not name.startswith("resources_fts")


def _number_per_tenant() -> None:
    sequences = op.create_table(
        "tenant_sequences",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_tenant_sequences_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "kind", name=op.f("pk_tenant_sequences")),
    )
    connection = op.get_bind()
    for name, kind in _NUMBERED.items():
        # Added NOT NULL with a default and indexed, never altered: SQLite would rebuild the
        # table for that, and lose the full-text triggers on ``resources``.
        op.add_column(name, sa.Column("number", sa.Integer(), nullable=False, server_default="0"))
        table = sa.table(
            name,
            sa.column("id", sa.Integer()),
            sa.column("tenant_id", sa.Integer()),
            sa.column("number", sa.Integer()),
        )
        ranked = sa.select(
            table.c.id,
            sa.func.row_number()
            .over(partition_by=table.c.tenant_id, order_by=table.c.id)
            .label("n"),
        ).subquery()
        connection.execute(
            sa.update(table).values(
                number=sa.select(ranked.c.n).where(ranked.c.id == table.c.id).scalar_subquery()
            )
        )
        last = sa.select(table.c.tenant_id, sa.literal(kind), sa.func.max(table.c.number)).group_by(
            table.c.tenant_id
        )
        connection.execute(sa.insert(sequences).from_select(["tenant_id", "kind", "last"], last))
        if connection.dialect.name == "postgresql":
            op.alter_column(name, "number", server_default=None)
        op.create_index(f"ix_{name}_tenant_number", name, ["tenant_id", "number"], unique=True)


def downgrade() -> None:
    """The numbers go; the removed characters were never meant to be stored, so stay out."""
    for name in _NUMBERED:
        op.drop_index(f"ix_{name}_tenant_number", table_name=name)
        op.drop_column(name, "number")  # SQLite 3.35+ drops it in place, keeping triggers
    op.drop_table("tenant_sequences")
