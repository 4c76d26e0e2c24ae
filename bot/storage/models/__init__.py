"""Every ORM model, imported here so that ``Base.metadata`` knows all tables."""

from bot.storage.models.audit import AuditEntry
from bot.storage.models.core import Member, ProcessedEvent, Tenant, TenantSetting
from bot.storage.models.discord_adapter import (
    DiscordAction,
    DiscordCommandSync,
    DiscordFormDraft,
)
from bot.storage.models.mentoring import MenteeRequest, MentorOffer, MentorPair, MentorProposal
from bot.storage.models.profiles import Profile, ProfileTag
from bot.storage.models.resources import (
    Resource,
    ResourceRating,
    ResourceSave,
    ResourceSearch,
    ResourceTag,
)

__all__ = [
    "AuditEntry",
    "DiscordAction",
    "DiscordCommandSync",
    "DiscordFormDraft",
    "Member",
    "MenteeRequest",
    "MentorOffer",
    "MentorPair",
    "MentorProposal",
    "ProcessedEvent",
    "Profile",
    "ProfileTag",
    "Resource",
    "ResourceRating",
    "ResourceSave",
    "ResourceSearch",
    "ResourceTag",
    "Tenant",
    "TenantSetting",
]
