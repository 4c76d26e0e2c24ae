"""The mentoring repository: offers, requests, proposals and pairs of one tenant.

Every query filters by tenant. A pending proposal whose deadline has passed is expired here
already (``is_open``), before ``expire_proposals`` marks it and tells both sides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.community.models import MentorPair
from bot.community.pairs import is_active
from bot.skills.mentoring.models import MenteeRequest, MentorOffer, MentorProposal
from bot.storage.models import Member

PENDING = "pending"
ACCEPTED = "accepted"
DECLINED = "declined"
EXPIRED = "expired"
MAX_CAPACITY = 5
_ROUND_LOCK = 0x4D454E54  # any constant shared by every Staffroom process ("MENT")


def is_open(now: datetime) -> ColumnElement[bool]:
    """A proposal still waiting for answers, and not past its deadline."""
    return and_(MentorProposal.status == PENDING, MentorProposal.expires_at > now)


def status_of(proposal: MentorProposal, now: datetime) -> str:
    """The proposal's status as of ``now`` (a pending one past its deadline has expired)."""
    if proposal.status == PENDING and proposal.expires_at <= now:
        return EXPIRED
    return proposal.status


async def get_offer(session: AsyncSession, tenant_id: int, member_id: int) -> MentorOffer | None:
    return await session.scalar(
        select(MentorOffer).where(
            MentorOffer.tenant_id == tenant_id, MentorOffer.member_id == member_id
        )
    )


async def get_request(
    session: AsyncSession, tenant_id: int, member_id: int
) -> MenteeRequest | None:
    return await session.scalar(
        select(MenteeRequest).where(
            MenteeRequest.tenant_id == tenant_id, MenteeRequest.member_id == member_id
        )
    )


async def save_offer(
    session: AsyncSession,
    tenant_id: int,
    member_id: int,
    *,
    capacity: int,
    subjects: Sequence[str],
    now: datetime,
) -> bool:
    """Create or update the member's offer (and un-pause it); True when it is new."""
    offer = await get_offer(session, tenant_id, member_id)
    if offer is None:
        session.add(
            MentorOffer(
                tenant_id=tenant_id,
                member_id=member_id,
                capacity=capacity,
                subjects=list(subjects),
                created_at=now,
                updated_at=now,
            )
        )
        await session.flush()
        return True
    offer.capacity, offer.subjects = capacity, list(subjects)
    offer.paused_at, offer.updated_at = None, now
    return False


async def save_request(
    session: AsyncSession,
    tenant_id: int,
    member_id: int,
    *,
    subject: str,
    goals: str,
    now: datetime,
) -> bool:
    """Create or reopen the member's request for a mentor; True when it is new."""
    request = await get_request(session, tenant_id, member_id)
    if request is None:
        session.add(
            MenteeRequest(
                tenant_id=tenant_id,
                member_id=member_id,
                subject=subject,
                goals=goals,
                created_at=now,
                updated_at=now,
            )
        )
        await session.flush()
        return True
    request.subject, request.goals = subject, goals
    request.paused_at = request.matched_at = None
    request.updated_at = now
    return False


async def open_proposals(
    session: AsyncSession, tenant_id: int, now: datetime, *, member_id: int | None = None
) -> list[MentorProposal]:
    statement = select(MentorProposal).where(MentorProposal.tenant_id == tenant_id, is_open(now))
    if member_id is not None:
        statement = statement.where(
            or_(
                MentorProposal.mentor_member_id == member_id,
                MentorProposal.mentee_member_id == member_id,
            )
        )
    return list(await session.scalars(statement.order_by(MentorProposal.id)))


async def active_pairs(
    session: AsyncSession, tenant_id: int, *, member_id: int | None = None
) -> list[MentorPair]:
    statement = select(MentorPair).where(MentorPair.tenant_id == tenant_id, is_active())
    if member_id is not None:
        statement = statement.where(
            or_(
                MentorPair.mentor_member_id == member_id,
                MentorPair.mentee_member_id == member_id,
            )
        )
    return list(await session.scalars(statement.order_by(MentorPair.id)))


async def history(session: AsyncSession, tenant_id: int) -> frozenset[tuple[int, int]]:
    """(mentor, mentee) pairs never to propose again: paired before, or declined."""
    paired = await session.execute(
        select(MentorPair.mentor_member_id, MentorPair.mentee_member_id).where(
            MentorPair.tenant_id == tenant_id
        )
    )
    declined = await session.execute(
        select(MentorProposal.mentor_member_id, MentorProposal.mentee_member_id).where(
            MentorProposal.tenant_id == tenant_id, MentorProposal.status == DECLINED
        )
    )
    return frozenset(
        (int(a), int(b)) for a, b in [*paired, *declined] if a is not None and b is not None
    )


async def load_proposal(
    session: AsyncSession, tenant_id: int, proposal_id: int, *, for_update: bool = False
) -> MentorProposal | None:
    """One proposal; ``for_update`` locks its row (PostgreSQL), so that two answers pressed
    at the same moment in two processes are taken one after the other."""
    statement = select(MentorProposal).where(
        MentorProposal.tenant_id == tenant_id, MentorProposal.id == proposal_id
    )
    return await session.scalar(statement.with_for_update() if for_update else statement)


async def lock_pairing(session: AsyncSession, tenant_id: int) -> None:
    """Make a community's rounds and manual proposals wait for each other across processes
    (a PostgreSQL transaction-scoped advisory lock; SQLite has one process and one writer)."""
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(:key, :tenant)"),
            {"key": _ROUND_LOCK, "tenant": tenant_id},
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class Pool:
    """Who a round can match: mentors with their free places, and waiting requests."""

    mentors: list[tuple[MentorOffer, int]]
    requests: list[MenteeRequest]


def _current_member(column: InstrumentedAttribute[int]) -> ColumnElement[bool]:
    return (
        select(Member.id)
        .where(Member.id == column, Member.left_at.is_(None), Member.blocked_at.is_(None))
        .exists()
    )


async def pool(session: AsyncSession, tenant_id: int, now: datetime) -> Pool:
    """Offers and requests that are not paused, of members still here and not blocked.

    A mentor's free places are their capacity less active pairs and open proposals; a
    request waits when it has led to no pair yet and has no open proposal.
    """
    busy: dict[int, int] = {}
    waiting_on: set[int] = set()
    for proposal in await open_proposals(session, tenant_id, now):
        busy[proposal.mentor_member_id] = busy.get(proposal.mentor_member_id, 0) + 1
        waiting_on.add(proposal.mentee_member_id)
    for pair in await active_pairs(session, tenant_id):
        if pair.mentor_member_id is not None:
            busy[pair.mentor_member_id] = busy.get(pair.mentor_member_id, 0) + 1
        if pair.mentee_member_id is not None:
            waiting_on.add(pair.mentee_member_id)
    offers = await session.scalars(
        select(MentorOffer)
        .where(
            MentorOffer.tenant_id == tenant_id,
            MentorOffer.paused_at.is_(None),
            _current_member(MentorOffer.member_id),
        )
        .order_by(MentorOffer.member_id)
    )
    mentors = [
        (offer, offer.capacity - busy.get(offer.member_id, 0))
        for offer in offers
        if offer.capacity > busy.get(offer.member_id, 0)
    ]
    requests = await session.scalars(
        select(MenteeRequest)
        .where(
            MenteeRequest.tenant_id == tenant_id,
            MenteeRequest.paused_at.is_(None),
            MenteeRequest.matched_at.is_(None),
            _current_member(MenteeRequest.member_id),
        )
        .order_by(MenteeRequest.member_id)
    )
    return Pool(mentors=mentors, requests=[r for r in requests if r.member_id not in waiting_on])
