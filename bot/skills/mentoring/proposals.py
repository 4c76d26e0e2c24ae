"""Rounds, proposals and introductions: what happens between a plan and a pair.

``run_round`` and ``expire_proposals`` take only a ``Context`` so that scheduled work can call
them for a community as ``pair run`` does (see ``automation``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.community.models import MentorPair
from bot.community.profiles import ProfileData, load_profiles
from bot.core.context import Compose, Context
from bot.core.errors import NotFound
from bot.core.events import Invocation
from bot.core.i18n import Translator, lazy
from bot.core.replies import Button, ButtonStyle, Reply, mention
from bot.scheduling.jobs import create_schedule, schedules_of
from bot.scheduling.recurrence import once_at
from bot.skills.mentoring import records
from bot.skills.mentoring.candidates import candidate, missing_fields
from bot.skills.mentoring.matching import Match, RoundPlan, Rules, plan_round
from bot.skills.mentoring.meetings import clock_time, local_time, meeting_slots
from bot.skills.mentoring.models import MentorProposal
from bot.skills.mentoring.settings import experience_gap, expiry_hours, load_weights
from bot.skills.mentoring.words import from_store, shown, stored

_log = logging.getLogger(__name__)

ACCEPT_COMMAND = "mentor accept"
DECLINE_COMMAND = "mentor decline"
EXPIRE_JOB = "mentoring.expire"
EXPIRY_OWNER = "mentoring:expiry"


@dataclass(frozen=True, kw_only=True, slots=True)
class RoundOutcome:
    """What a round did: the proposals sent, and the mentees left for the next round."""

    plan: RoundPlan
    proposal_ids: tuple[int, ...]
    skipped: tuple[str, ...] = ()
    """Members in the pool who could not be considered (their intro is incomplete)."""

    @property
    def unmatched(self) -> int:
        return len(self.plan.unmatched)


@dataclass(frozen=True, kw_only=True, slots=True)
class PlannedRound:
    plan: RoundPlan
    profiles: dict[int, ProfileData]
    goals: dict[int, str]
    skipped: tuple[str, ...]


async def rules_for(ctx: Context) -> Rules:
    return Rules(
        experience_gap=await experience_gap(ctx.session, ctx.tenant.id),
        excluded=await records.history(ctx.session, ctx.tenant.id),
    )


async def plan_for(ctx: Context) -> PlannedRound:
    """The best round for the pool as it stands (nothing written)."""
    now = ctx.now()
    pool = await records.pool(ctx.session, ctx.tenant.id, now)
    ids = [offer.member_id for offer, _ in pool.mentors] + [r.member_id for r in pool.requests]
    profiles = await load_profiles(ctx.session, ctx.tenant.id, ids)
    skipped: list[str] = []

    def usable(member_id: int) -> bool:
        profile = profiles.get(member_id)
        if missing_fields(profile):
            skipped.append(
                mention(profile.user_id) if profile else lazy("member {id}", id=member_id)
            )
            return False
        return True

    mentors = [
        candidate(profiles[offer.member_id], now, subjects=offer.subjects, capacity=free)
        for offer, free in pool.mentors
        if usable(offer.member_id)
    ]
    mentees = [
        candidate(profiles[r.member_id], now, subjects=(r.subject,) if r.subject else ())
        for r in pool.requests
        if usable(r.member_id)
    ]
    plan = plan_round(
        mentors,
        mentees,
        rules=await rules_for(ctx),
        weights=await load_weights(ctx.session, ctx.tenant.id),
    )
    goals = {r.member_id: r.goals for r in pool.requests}
    return PlannedRound(plan=plan, profiles=profiles, goals=goals, skipped=tuple(skipped))


async def run_round(ctx: Context) -> RoundOutcome:
    """Plan the best round and propose every match (both sides get a DM to accept)."""
    await records.lock_pairing(ctx.session, ctx.tenant.id)
    planned = await plan_for(ctx)
    ids = []
    if planned.plan.matches:
        deadline = await proposal_deadline(ctx)
    for match in planned.plan.matches:
        proposal = await propose(
            ctx,
            match,
            mentor=planned.profiles[match.mentor_id],
            mentee=planned.profiles[match.mentee_id],
            goals=planned.goals.get(match.mentee_id, ""),
            origin="round",
            expires_at=deadline,
        )
        ids.append(proposal.id)
    await ctx.audit(
        "pair run",
        after={
            "proposals": ids,
            "unmatched": [u.mentee_id for u in planned.plan.unmatched],
        },
    )
    _log.info(
        "mentoring round in tenant %s: %s proposals, %s unmatched",
        ctx.tenant.id,
        len(ids),
        len(planned.plan.unmatched),
    )
    return RoundOutcome(plan=planned.plan, proposal_ids=tuple(ids), skipped=planned.skipped)


async def propose(
    ctx: Context,
    match: Match,
    *,
    mentor: ProfileData,
    mentee: ProfileData,
    goals: str,
    origin: str,
    expires_at: datetime,
) -> MentorProposal:
    """Store a proposal and DM both sides with Accept and Decline buttons.

    ``expires_at`` comes from ``proposal_deadline``, which also schedules the deadline check
    (once for a whole round)."""
    now = ctx.now()
    proposal = MentorProposal(
        tenant_id=ctx.tenant.id,
        mentor_member_id=match.mentor_id,
        mentee_member_id=match.mentee_id,
        score=round(match.score, 4),
        reasons=[stored(reason) for reason in match.reasons],
        origin=origin,
        status=records.PENDING,
        mentor_answer="",
        mentee_answer="",
        created_at=now,
        expires_at=expires_at,
    )
    ctx.session.add(proposal)
    await ctx.session.flush()
    for me in (mentor, mentee):
        await ctx.send_dm(
            me.user_id,
            _proposal_message(proposal, match, me=me, mentor=mentor, mentee=mentee, goals=goals),
        )
    return proposal


def _proposal_message(
    proposal: MentorProposal,
    match: Match,
    *,
    me: ProfileData,
    mentor: ProfileData,
    mentee: ProfileData,
    goals: str,
) -> Compose:
    """The DM asking ``me`` to accept or decline, in their language."""

    def compose(t: Translator) -> Reply:
        why = "; ".join(shown(t, reason) for reason in match.reasons) or t.gettext(
            "you fit each other's profile"
        )
        if me is mentor:
            question = t.gettext("Would you mentor {mentee}?", mentee=mention(mentee.user_id))
        else:
            question = t.gettext(
                "Would you like {mentor} as your mentor?", mentor=mention(mentor.user_id)
            )
        lines = [question, t.gettext("Why we suggest it: {why}.", why=why)]
        if goals and me is mentor:
            lines.append(t.gettext("Their goals: {goals}", goals=goals))
        lines.append(
            t.gettext(
                "Please answer by {deadline} your time; I'll introduce you once you both accept.",
                deadline=local_time(t, proposal.expires_at, me.timezone),
            )
        )
        return Reply(
            title=t.gettext("🤝 A mentoring match"),
            text="\n".join(lines),
            buttons=_answer_buttons(t, proposal.id),
        )

    return compose


def _answer_buttons(t: Translator, proposal_id: int) -> tuple[Button, ...]:
    args = {"proposal": str(proposal_id)}
    return (
        Button(
            label=t.gettext("Accept"),
            action=Invocation(command=ACCEPT_COMMAND, args=args),
            style=ButtonStyle.PRIMARY,
        ),
        Button(
            label=t.gettext("Decline"),
            action=Invocation(command=DECLINE_COMMAND, args=args),
            style=ButtonStyle.DANGER,
        ),
    )


async def answer(ctx: Context, proposal_id: int, *, accept: bool) -> Reply:
    """One side's Accept or Decline; pressing again, or too late, changes nothing."""
    proposal = await records.load_proposal(ctx.session, ctx.tenant.id, proposal_id, for_update=True)
    me = ctx.member.id
    if proposal is None or me not in (proposal.mentor_member_id, proposal.mentee_member_id):
        raise NotFound(
            ctx.gettext("I can't find that mentoring proposal for you. Nothing was changed.")
        )
    is_mentor = me == proposal.mentor_member_id
    other_id = proposal.mentee_member_id if is_mentor else proposal.mentor_member_id
    profiles = await load_profiles(ctx.session, ctx.tenant.id, [other_id])
    other = (
        mention(profiles[other_id].user_id) if other_id in profiles else ctx.gettext("your match")
    )
    status = records.status_of(proposal, ctx.now())
    if status == records.EXPIRED:
        return Reply(
            text=ctx.gettext(
                "This proposal expired before you both answered, so it won't go ahead. "
                "You're back in the pool for the next round."
            ),
            private=True,
        )
    if status == records.DECLINED:
        return Reply(
            text=ctx.gettext("This proposal was declined, so it won't go ahead."), private=True
        )
    if status == records.ACCEPTED:
        return Reply(
            text=ctx.gettext(
                "You both accepted already: see your introduction with {other}.", other=other
            ),
            private=True,
        )
    given = proposal.mentor_answer if is_mentor else proposal.mentee_answer
    if given:
        already = (
            ctx.gettext("You already accepted this proposal; I'm waiting for {other}.", other=other)
            if given == records.ACCEPTED
            else ctx.gettext(
                "You already declined this proposal; I'm waiting for {other}.", other=other
            )
        )
        return Reply(text=already, private=True)
    choice = records.ACCEPTED if accept else records.DECLINED
    if is_mentor:
        proposal.mentor_answer = choice
    else:
        proposal.mentee_answer = choice
    if not accept:
        return await _declined(ctx, proposal, other_id, profiles.get(other_id))
    if proposal.mentor_answer == proposal.mentee_answer == records.ACCEPTED:
        await introduce(ctx, proposal)
        return Reply(
            text=ctx.gettext(
                "Wonderful — you both said yes! I've introduced you to {other}.", other=other
            ),
            private=True,
        )
    return Reply(
        text=ctx.gettext("Thanks! I'll introduce you as soon as {other} accepts too.", other=other),
        private=True,
    )


async def _declined(
    ctx: Context, proposal: MentorProposal, other_id: int, other: ProfileData | None
) -> Reply:
    proposal.status = records.DECLINED
    proposal.decided_at = ctx.now()
    if other is not None:
        await ctx.send_dm(
            other.user_id,
            lambda t: t.gettext(
                "The mentoring match I suggested won't go ahead this time. You're back in the "
                "pool for the next round."
            ),
        )
    return Reply(
        text=ctx.gettext(
            "Thanks for letting me know. I won't suggest this match again; you're back in the "
            "pool for the next round (`mentor pause` takes you out)."
        ),
        private=True,
    )


async def introduce(ctx: Context, proposal: MentorProposal) -> MentorPair:
    """Both accepted: the pair starts and one message introduces them to each other."""
    now = ctx.now()
    proposal.status = records.ACCEPTED
    proposal.decided_at = now
    pair = MentorPair(
        tenant_id=ctx.tenant.id,
        mentor_member_id=proposal.mentor_member_id,
        mentee_member_id=proposal.mentee_member_id,
        reasons=list(proposal.reasons),
        started_at=now,
        mentor_feedback="",
        mentee_feedback="",
    )
    ctx.session.add(pair)
    request = await records.get_request(ctx.session, ctx.tenant.id, proposal.mentee_member_id)
    if request is not None:
        request.matched_at = now
    profiles = await load_profiles(
        ctx.session, ctx.tenant.id, [proposal.mentor_member_id, proposal.mentee_member_id]
    )
    mentor = profiles[proposal.mentor_member_id]
    mentee = profiles[proposal.mentee_member_id]
    await ctx.send_group_dm(
        [mentor.user_id, mentee.user_id],
        introduction(
            ctx,
            mentor,
            mentee,
            [from_store(reason) for reason in proposal.reasons],
            request.goals if request else "",
        ),
    )
    await ctx.session.flush()
    return pair


def introduction(
    ctx: Context, mentor: ProfileData, mentee: ProfileData, reasons: list[str], goals: str
) -> Compose:
    """The message introducing a new pair, in each reader's language.

    ``reasons`` come from the store (``from_store``): plain English text for proposals made
    before mentoring was translated."""
    now = ctx.now()
    a, b = mention(mentor.user_id), mention(mentee.user_id)
    slots = meeting_slots(mentor.timezone, mentee.timezone, now)

    def compose(t: Translator) -> Reply:
        lines = [
            t.gettext("{mentor}, meet {mentee}: {mentor} will mentor {mentee}.", mentor=a, mentee=b)
        ]
        if reasons:
            lines.append(
                t.gettext("Why we matched you: {why}.", why="; ".join(shown(t, r) for r in reasons))
            )
        if goals:
            lines.append(t.gettext("{mentee}'s goals: {goals}", mentee=b, goals=goals))
        lines.append(
            t.gettext(
                "Local time now: {mentor} {mentor_time} ({mentor_zone}), "
                "{mentee} {mentee_time} ({mentee_zone}).",
                mentor=a,
                mentor_time=clock_time(t, now, mentor.timezone),
                mentor_zone=mentor.timezone,
                mentee=b,
                mentee_time=clock_time(t, now, mentee.timezone),
                mentee_zone=mentee.timezone,
            )
        )
        if slots:
            lines.append(
                t.ngettext(
                    "One time in both your working hours for a first meeting:",
                    "{n} times in both your working hours for a first meeting:",
                    len(slots),
                )
            )
            lines += [
                "• "
                + t.gettext(
                    "{mentor_time} for {mentor} = {mentee_time} for {mentee}",
                    mentor_time=local_time(t, slot, mentor.timezone),
                    mentor=a,
                    mentee_time=local_time(t, slot, mentee.timezone),
                    mentee=b,
                )
                for slot in slots
            ]
        else:
            lines.append(
                t.gettext(
                    "Your working hours don't overlap, so please pick a first meeting time that "
                    "suits you both."
                )
            )
        lines.append(
            t.gettext(
                "When you finish, `mentor end 5 it went well` ends the pairing with feedback."
            )
        )
        return Reply(title=t.gettext("🤝 Meet your mentoring partner"), text="\n".join(lines))

    return compose


async def expire_proposals(ctx: Context) -> int:
    """Mark every proposal past its deadline as expired and tell both sides; returns how many.

    Meant to be called periodically; until then such proposals already count as expired.
    """
    now = ctx.now()
    due = list(
        await ctx.session.scalars(
            select(MentorProposal)
            .where(
                MentorProposal.tenant_id == ctx.tenant.id,
                MentorProposal.status == records.PENDING,
                MentorProposal.expires_at <= now,
            )
            .order_by(MentorProposal.id)
        )
    )
    if not due:
        return 0
    ids = {p.mentor_member_id for p in due} | {p.mentee_member_id for p in due}
    profiles = await load_profiles(ctx.session, ctx.tenant.id, ids)
    for proposal in due:
        proposal.status = records.EXPIRED
        proposal.decided_at = proposal.expires_at
        for me, other in (
            (proposal.mentor_member_id, proposal.mentee_member_id),
            (proposal.mentee_member_id, proposal.mentor_member_id),
        ):
            if me not in profiles:
                continue
            who = mention(profiles[other].user_id) if other in profiles else None
            await ctx.send_dm(profiles[me].user_id, _expired_message(who))
    return len(due)


def _expired_message(who: str | None) -> Compose:
    def compose(t: Translator) -> str:
        return t.gettext(
            "The mentoring match with {who} expired before you both accepted. You're back in "
            "the pool for the next round.",
            who=who or t.gettext("your match"),
        )

    return compose


async def proposal_deadline(ctx: Context) -> datetime:
    """When proposals made now expire; ``expire_proposals`` is scheduled to run then."""
    deadline = ctx.now() + timedelta(hours=await expiry_hours(ctx.session, ctx.tenant.id))
    await schedule_expiry(ctx, deadline)
    return deadline


async def schedule_expiry(ctx: Context, deadline: datetime) -> None:
    """Make sure ``expire_proposals`` runs once ``deadline`` has passed (one schedule per
    deadline minute)."""
    at = (deadline + timedelta(seconds=59)).replace(second=0, microsecond=0)
    owner = f"{EXPIRY_OWNER}:{at:%Y%m%dT%H%M}"
    if await schedules_of(ctx.session, ctx.tenant.id, owner):
        return
    await create_schedule(
        ctx.session,
        tenant_id=ctx.tenant.id,
        job=EXPIRE_JOB,
        owner=owner,
        schedule=once_at(at),
        zone_key="UTC",
        payload={},
        now=ctx.now(),
    )
