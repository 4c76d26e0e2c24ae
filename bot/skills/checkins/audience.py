"""Who a check-in goes to, and in which time zone each of them lives.

A member's zone is their profile's (``intro set timezone …``); members without one get the
community's ``checkins.default_timezone`` (UTC unless a moderator set it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.community.models import Profile
from bot.community.pairs import mentor_pairs
from bot.community.timezones import default_zone
from bot.core.errors import FormError
from bot.core.roles import Role
from bot.core.timezones import AmbiguousTimeZone, UnknownTimeZone, parse_timezone
from bot.skills.checkins.models import Checkin, CheckinMute
from bot.storage.models import Member

MEMBER_ZONE = "member"
_USER = re.compile(r"^<@!?([A-Za-z0-9_.\-]{1,64})>$")
_NAME = re.compile(r"^@([\w.\-]{1,64})$")
_CHANNEL = re.compile(r"^(?:<#([A-Za-z0-9_.\-]{1,64})(?:\|[^>]*)?>|#([\w\-]{1,64}))$")


@dataclass(frozen=True, kw_only=True, slots=True)
class Audience:
    kind: str
    """all, channel, role, pairs (everyone in an active mentoring pair) or members."""
    value: Any
    """The channel id, the role's name, or the members' user ids."""

    def describe(self) -> str:
        if self.kind == "all":
            return "all members"
        if self.kind == "channel":
            return f"<#{self.value}>"
        if self.kind == "role":
            return f"{self.value}s and up"
        if self.kind == "pairs":
            return "all mentor pairs"
        return ", ".join(f"<@{u}>" for u in self.value)


@dataclass(frozen=True, kw_only=True, slots=True)
class Recipient:
    member_id: int
    user_id: str
    zone: str


def parse_audience(text: str) -> Audience:
    """``all``, ``#channel``, ``role:moderator``, ``pairs`` or members (``@ana @ben``)."""
    cleaned = text.strip()
    lowered = " ".join(cleaned.lower().split())
    if lowered in ("", "all", "everyone", "all members"):
        return Audience(kind="all", value="")
    if lowered in ("pairs", "mentor pairs", "all mentor pairs", "mentoring pairs", "mentoring"):
        return Audience(kind="pairs", value="")
    if m := _CHANNEL.match(cleaned):
        return Audience(kind="channel", value=m.group(1) or m.group(2))
    if lowered.startswith("role:") or lowered in ("moderators", "admins"):
        name = lowered.removeprefix("role:").strip().rstrip("s")
        try:
            role = Role.parse(name)
        except ValueError:
            raise FormError({"audience": "Use role:moderator or role:admin."}) from None
        return Audience(kind="role", value=role.label)
    users = []
    for word in re.split(r"[\s,]+", cleaned):
        if m := _USER.match(word):
            users.append(m.group(1))
        elif m := _NAME.match(word):
            users.append(m.group(1).lower())
        elif word:
            raise FormError(
                {
                    "audience": f"I can't read `{word[:30]}`. Use all, #channel, "
                    "role:moderator, pairs (all mentor pairs) or members like @ana @ben."
                }
            )
    return Audience(kind="members", value=list(dict.fromkeys(users)))


def parse_zone(text: str) -> str:
    cleaned = text.strip()
    if cleaned.lower() in ("", MEMBER_ZONE, "local", "members", "member's", "their own"):
        return MEMBER_ZONE
    try:
        return parse_timezone(cleaned)
    except AmbiguousTimeZone as exc:
        raise FormError({"timezone": str(exc)}) from None
    except UnknownTimeZone:
        raise FormError(
            {
                "timezone": f"I don't know the time zone `{cleaned[:40]}`. Use `member` (each "
                "member's own) or a zone like Europe/Paris, UTC+05:30 or New York."
            }
        ) from None


async def recipients(session: AsyncSession, checkin: Checkin) -> list[Recipient]:
    """The members a check-in is DMed to (not for channel check-ins), mutes left out."""
    if checkin.audience == "channel":
        return []
    fallback = await default_zone(session, checkin.tenant_id)
    muted = select(CheckinMute.member_id).where(CheckinMute.checkin_id == checkin.id)
    query = (
        select(Member.id, Member.user_id, Profile.timezone)
        .outerjoin(Profile, Profile.member_id == Member.id)
        .where(
            Member.tenant_id == checkin.tenant_id,
            Member.left_at.is_(None),
            Member.blocked_at.is_(None),
            Member.id.not_in(muted),
        )
        .order_by(Member.id)
    )
    if checkin.audience == "role":
        query = query.where(Member.granted_role >= Role.parse(checkin.audience_value))
    elif checkin.audience == "members":
        query = query.where(Member.user_id.in_(list(checkin.audience_value)))
    elif checkin.audience == "pairs":
        paired = {m for pair in await mentor_pairs(session, checkin.tenant_id) for m in pair}
        query = query.where(Member.id.in_(sorted(paired)))
    rows = (await session.execute(query)).all()
    return [
        Recipient(member_id=member_id, user_id=user_id, zone=zone or fallback)
        for member_id, user_id, zone in rows
    ]


async def delivery_zones(session: AsyncSession, checkin: Checkin) -> set[str]:
    """The zones a check-in needs a schedule in: its fixed zone, or each recipient's."""
    if checkin.zone != MEMBER_ZONE:
        return {checkin.zone}
    if checkin.audience == "channel":
        return {await default_zone(session, checkin.tenant_id)}
    return {r.zone for r in await recipients(session, checkin)} or {
        await default_zone(session, checkin.tenant_id)
    }
