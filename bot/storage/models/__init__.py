"""The store's own models: tenants, members, their settings, processed events, the audit log.

A skill's models live in its package (``bot/skills/<name>/models.py``), what several skills
share in ``bot/community/models.py``; all of them share ``Base`` and one Alembic chain.
"""

from bot.storage.models.audit import AuditEntry
from bot.storage.models.core import Member, ProcessedEvent, Tenant, TenantSequence, TenantSetting

__all__ = ["AuditEntry", "Member", "ProcessedEvent", "Tenant", "TenantSequence", "TenantSetting"]
