"""What mentoring keeps about a member, for ``privacy export`` and ``privacy forget``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.community.models import MentorPair
from bot.skills.mentoring.models import MenteeRequest, MentorOffer, MentorProposal
from bot.skills.mentoring.words import from_store


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


async def export_mentoring(session: AsyncSession, tenant_id: int, member_id: int) -> dict[str, Any]:
    """The member's offer, request, proposals and pairs (with their own feedback)."""
    offer = await session.scalar(
        select(MentorOffer).where(
            MentorOffer.tenant_id == tenant_id, MentorOffer.member_id == member_id
        )
    )
    request = await session.scalar(
        select(MenteeRequest).where(
            MenteeRequest.tenant_id == tenant_id, MenteeRequest.member_id == member_id
        )
    )
    proposals = await session.scalars(
        select(MentorProposal)
        .where(
            MentorProposal.tenant_id == tenant_id,
            or_(
                MentorProposal.mentor_member_id == member_id,
                MentorProposal.mentee_member_id == member_id,
            ),
        )
        .order_by(MentorProposal.id)
    )
    pairs = await session.scalars(
        select(MentorPair)
        .where(
            MentorPair.tenant_id == tenant_id,
            or_(MentorPair.mentor_member_id == member_id, MentorPair.mentee_member_id == member_id),
        )
        .order_by(MentorPair.id)
    )
    exported: dict[str, Any] = {
        "mentor_offer": None
        if offer is None
        else {
            "capacity": offer.capacity,
            "subjects": list(offer.subjects),
            "paused_at": _when(offer.paused_at),
            "created_at": _when(offer.created_at),
        },
        "mentee_request": None
        if request is None
        else {
            "subject": request.subject,
            "goals": request.goals,
            "paused_at": _when(request.paused_at),
            "matched_at": _when(request.matched_at),
            "created_at": _when(request.created_at),
        },
    }
    exported["mentoring_proposals"] = [
        {
            "id": p.id,
            "role": "mentor" if p.mentor_member_id == member_id else "mentee",
            "reasons": [str(from_store(reason)) for reason in p.reasons],
            "status": p.status,
            "your_answer": p.mentor_answer if p.mentor_member_id == member_id else p.mentee_answer,
            "created_at": _when(p.created_at),
            "expires_at": _when(p.expires_at),
        }
        for p in proposals
    ]
    exported["mentoring_pairs"] = [
        {
            "id": p.id,
            "role": "mentor" if p.mentor_member_id == member_id else "mentee",
            "reasons": [str(from_store(reason)) for reason in p.reasons],
            "started_at": _when(p.started_at),
            "ended_at": _when(p.ended_at),
            "your_rating": p.mentor_rating if p.mentor_member_id == member_id else p.mentee_rating,
            "your_feedback": (
                p.mentor_feedback if p.mentor_member_id == member_id else p.mentee_feedback
            ),
        }
        for p in pairs
    ]
    return exported


async def forget_mentoring(session: AsyncSession, tenant_id: int, member_id: int) -> None:
    """Offer, request and proposals go; the member's pairs end, kept without them or their
    feedback (so the other side's history and the community's counts stay)."""
    for model in (MentorOffer, MenteeRequest):
        await session.execute(
            delete(model).where(model.tenant_id == tenant_id, model.member_id == member_id)
        )
    await session.execute(
        delete(MentorProposal).where(
            MentorProposal.tenant_id == tenant_id,
            or_(
                MentorProposal.mentor_member_id == member_id,
                MentorProposal.mentee_member_id == member_id,
            ),
        )
    )
    await session.execute(
        update(MentorPair)
        .where(MentorPair.tenant_id == tenant_id, MentorPair.mentor_member_id == member_id)
        .values(mentor_member_id=None, mentor_rating=None, mentor_feedback="")
    )
    await session.execute(
        update(MentorPair)
        .where(MentorPair.tenant_id == tenant_id, MentorPair.mentee_member_id == member_id)
        .values(mentee_member_id=None, mentee_rating=None, mentee_feedback="")
    )
