"""An in-process cache of member identities, used only when one process owns the store.

With SQLite there is exactly one Staffroom process, so every change to the members table goes
through this process's sessions and the cache can be dropped whenever one commits such a
change. With PostgreSQL several processes share the table, so no cache is kept.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol

from sqlalchemy.orm import Session

from bot.storage.tracking import UNKNOWN_TABLE, on_transaction_end


class CachedMember(Protocol):
    """What the cache needs of a member (``bot.core.members.MemberInfo``)."""

    @property
    def tenant_id(self) -> int: ...

    @property
    def user_id(self) -> str: ...

SESSION_KEY = "staffroom.member_cache"
_INVALIDATING = frozenset({"members", "tenants", "tenant_settings", UNKNOWN_TABLE})


class MemberCache:
    """(tenant id, platform user id) → member, least recently used dropped first; and each
    community's default language, which every member without a language of their own needs."""

    def __init__(self, capacity: int = 20_000) -> None:
        self._entries: OrderedDict[tuple[int, str], CachedMember] = OrderedDict()
        self._capacity = capacity
        self.community_languages: dict[int, str] = {}

    def get(self, tenant_id: int, user_id: str) -> CachedMember | None:
        key = (tenant_id, user_id)
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, info: CachedMember) -> None:
        self._entries[(info.tenant_id, info.user_id)] = info
        if len(self._entries) > self._capacity:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()
        self.community_languages.clear()


def cache_of(session: Session) -> MemberCache | None:
    cache = session.info.get(SESSION_KEY)
    return cache if isinstance(cache, MemberCache) else None


@on_transaction_end
def _drop_stale(session: Session, tables: set[str]) -> None:
    """Any committed or rolled-back change to members may have made entries wrong."""
    cache = cache_of(session)
    if cache is not None and tables & _INVALIDATING:
        cache.clear()
