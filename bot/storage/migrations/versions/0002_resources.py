"""Resource library: resources, their tags, ratings and saves, and the full-text index.

The full-text index is kept in step by the database itself, not by the repository: on SQLite
an FTS5 table over the ``resources`` row (external content) with triggers, on PostgreSQL a
stored generated ``tsvector`` column with a GIN index. That way every writer — chat commands,
the CSV/JSON importer, bulk Core inserts in the benchmark, a moderator's edit — updates the
index in the same transaction, and none of them can forget to.

A later migration that rebuilds ``resources`` on SQLite (Alembic's batch mode copies the
table) drops the triggers with the old table and must create them again.

Revision ID: 0002_resources
Revises: 0001_foundation
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.base import UTCDateTime

revision = "0002_resources"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None

_FTS_COLUMNS = "title, tags, description"
_SQLITE_SEARCH_INDEX = (
    "CREATE VIRTUAL TABLE resources_fts USING fts5("
    f"{_FTS_COLUMNS}, content='resources', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER resources_fts_insert AFTER INSERT ON resources BEGIN "
    f"INSERT INTO resources_fts(rowid, {_FTS_COLUMNS}) "
    "VALUES (new.id, new.title, new.tags, new.description); END",
    "CREATE TRIGGER resources_fts_delete AFTER DELETE ON resources BEGIN "
    f"INSERT INTO resources_fts(resources_fts, rowid, {_FTS_COLUMNS}) "
    "VALUES ('delete', old.id, old.title, old.tags, old.description); END",
    "CREATE TRIGGER resources_fts_update AFTER UPDATE OF title, tags, description "
    "ON resources BEGIN "
    f"INSERT INTO resources_fts(resources_fts, rowid, {_FTS_COLUMNS}) "
    "VALUES ('delete', old.id, old.title, old.tags, old.description); "
    f"INSERT INTO resources_fts(rowid, {_FTS_COLUMNS}) "
    "VALUES (new.id, new.title, new.tags, new.description); END",
)
_POSTGRES_SEARCH_INDEX = (
    "ALTER TABLE resources ADD COLUMN search_document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english'::regconfig, title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, tags), 'B') || "
    "setweight(to_tsvector('english'::regconfig, description), 'C')) STORED",
    "CREATE INDEX ix_resources_search_document ON resources USING gin (search_document)",
)


def upgrade() -> None:
    op.create_table(
        "resources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(1000), nullable=False),
        sa.Column("url_key", sa.String(1000), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("description", sa.String(2000), nullable=False),
        sa.Column("tags", sa.String(600), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("grade_mask", sa.Integer(), nullable=False),
        sa.Column("shared_by_member_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("featured_at", UTCDateTime(), nullable=True),
        sa.Column("removed_at", UTCDateTime(), nullable=True),
        sa.Column("removed_by_member_id", sa.Integer(), nullable=True),
        sa.Column("removal_reason", sa.String(300), nullable=False),
        sa.Column("rating_count", sa.Integer(), nullable=False),
        sa.Column("rating_total", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_resources_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shared_by_member_id"],
            ["members.id"],
            name=op.f("fk_resources_shared_by_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["removed_by_member_id"],
            ["members.id"],
            name=op.f("fk_resources_removed_by_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resources")),
        sa.UniqueConstraint("tenant_id", "url_key", name=op.f("uq_resources_tenant_id_url_key")),
    )
    op.create_index("ix_resources_tenant_created", "resources", ["tenant_id", "created_at"])
    op.create_index("ix_resources_tenant_subject", "resources", ["tenant_id", "subject"])
    op.create_index(op.f("ix_resources_shared_by_member_id"), "resources", ["shared_by_member_id"])
    op.create_table(
        "resource_tags",
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(40), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_tags_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_resource_tags_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("resource_id", "tag", name=op.f("pk_resource_tags")),
    )
    op.create_index("ix_resource_tags_lookup", "resource_tags", ["tenant_id", "tag", "resource_id"])
    op.create_table(
        "resource_ratings",
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("rated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_ratings_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_resource_ratings_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_resource_ratings_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("resource_id", "member_id", name=op.f("pk_resource_ratings")),
    )
    op.create_index(op.f("ix_resource_ratings_member_id"), "resource_ratings", ["member_id"])
    op.create_table(
        "resource_saves",
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("saved_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_saves_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_resource_saves_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_resource_saves_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("resource_id", "member_id", name=op.f("pk_resource_saves")),
    )
    op.create_index("ix_resource_saves_member", "resource_saves", ["member_id", "saved_at"])
    op.create_table(
        "resource_searches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("terms", sa.String(300), nullable=False),
        sa.Column("found", sa.Boolean(), nullable=False),
        sa.Column("searched_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_resource_searches_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_searches")),
    )
    op.create_index(
        "ix_resource_searches_tenant_time", "resource_searches", ["tenant_id", "searched_at"]
    )
    dialect = op.get_bind().dialect.name
    statements = _POSTGRES_SEARCH_INDEX if dialect == "postgresql" else _SQLITE_SEARCH_INDEX
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER resources_fts_{trigger}")
        op.execute("DROP TABLE resources_fts")
    op.drop_index("ix_resource_searches_tenant_time", table_name="resource_searches")
    op.drop_table("resource_searches")
    op.drop_index("ix_resource_saves_member", table_name="resource_saves")
    op.drop_table("resource_saves")
    op.drop_index(op.f("ix_resource_ratings_member_id"), table_name="resource_ratings")
    op.drop_table("resource_ratings")
    op.drop_index("ix_resource_tags_lookup", table_name="resource_tags")
    op.drop_table("resource_tags")
    op.drop_index(op.f("ix_resources_shared_by_member_id"), table_name="resources")
    op.drop_index("ix_resources_tenant_subject", table_name="resources")
    op.drop_index("ix_resources_tenant_created", table_name="resources")
    op.drop_table("resources")
