"""Reading every table of ``Base.metadata`` in tests: snapshots, and rows that name a member."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.storage.base import Base
from bot.storage.engine import Store
from bot.storage.models import Member

UNCOMPARED_TABLES = frozenset({"processed_events"})
"""Event ids are recorded for every event, refused or not; they hold no community data."""


async def snapshot(store: Store) -> dict[str, list[str]]:
    """Every row of every table (but ``UNCOMPARED_TABLES``), as sorted JSON lines."""
    tables: dict[str, list[str]] = {}
    async with store.transaction() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in UNCOMPARED_TABLES:
                continue
            rows = (await session.execute(select(table))).all()
            tables[table.name] = sorted(
                json.dumps(list(row), default=str, sort_keys=True) for row in rows
            )
    return tables


def _is_member_reference(column: Any) -> bool:
    """The member id itself, a foreign key to it, or a column named like one."""
    if column.table is Member.__table__ and column.name == "id":
        return True
    if column.name.endswith("member_id"):
        return True
    return any(fk.column is Member.__table__.c.id for fk in column.foreign_keys)


async def rows_naming(store: Store, *, member_id: int, names: tuple[str, ...]) -> list[str]:
    """Rows of any table that refer to ``member_id`` or contain any of ``names`` (any case)."""
    needles = [name.lower() for name in names]
    found: list[str] = []
    async with store.transaction() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).mappings():
                for column in table.c:
                    value = row[column]
                    if _is_member_reference(column) and value == member_id:
                        found.append(f"{table.name}.{column.name} = {value}: {dict(row)}")
                        continue
                    if value is None or isinstance(value, int | float | bool):
                        continue
                    text = (
                        value if isinstance(value, str) else json.dumps(value, default=str)
                    ).lower()
                    if any(needle in text for needle in needles):
                        found.append(f"{table.name}.{column.name} names the member: {dict(row)}")
    return found
