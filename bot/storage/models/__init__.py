"""Every ORM model, imported here so that ``Base.metadata`` knows all tables."""

from bot.storage.models.audit import AuditEntry
from bot.storage.models.checkins import Checkin, CheckinMute, CheckinPrompt, Reminder
from bot.storage.models.core import Member, ProcessedEvent, Tenant, TenantSequence, TenantSetting
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
from bot.storage.models.scheduling import OutboxMessage, ScheduleRow, ScheduleRun

__all__ = [
    "AuditEntry",
    "Checkin",
    "CheckinMute",
    "CheckinPrompt",
    "DiscordAction",
    "DiscordCommandSync",
    "DiscordFormDraft",
    "Member",
    "MenteeRequest",
    "MentorOffer",
    "MentorPair",
    "MentorProposal",
    "OutboxMessage",
    "ProcessedEvent",
    "Profile",
    "ProfileTag",
    "Reminder",
    "Resource",
    "ResourceRating",
    "ResourceSave",
    "ResourceSearch",
    "ResourceTag",
    "ScheduleRow",
    "ScheduleRun",
    "Tenant",
    "TenantSequence",
    "TenantSetting",
]
