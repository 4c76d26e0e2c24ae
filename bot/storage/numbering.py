"""Numbers members see, counted within their community (``resource #3``, ``check-in #1``).

Global ids would let one community tell how busy the others are, so each numbered table has a
``number`` unique per tenant, given out here, and its id stays internal. The counter row is
bumped with one upsert, which PostgreSQL serialises on the row: two processes never hand out
the same number.
"""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import TenantSequence

RESOURCE = "resource"
CHECKIN = "checkin"
REMINDER = "reminder"


async def next_number(session: AsyncSession, tenant_id: int, kind: str) -> int:
    """The next number of ``kind`` in the tenant (1, 2, 3…; never reused)."""
    module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = TenantSequence.__table__
    statement = (
        module.insert(table)
        .values(tenant_id=tenant_id, kind=kind, last=1)
        .on_conflict_do_update(
            index_elements=[table.c.tenant_id, table.c.kind], set_={"last": table.c.last + 1}
        )
        .returning(table.c.last)
    )
    number: int = (await session.execute(statement)).scalar_one()
    return number
