"""Moderators' pairing commands: preview and run a round, pair two people by hand, list."""

from __future__ import annotations

from collections.abc import Sequence

from bot.community.profiles import ProfileData, load_profiles
from bot.core.commands import Param, ParamKind, command
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.parsing import Args
from bot.core.replies import Reply, mention
from bot.core.roles import Role
from bot.skills.mentoring import proposals, records
from bot.skills.mentoring.candidates import candidate, describe_gaps
from bot.skills.mentoring.matching import Match, RoundPlan, pair_score, refusal
from bot.skills.mentoring.meetings import local_time
from bot.skills.mentoring.settings import load_weights

SHOWN = 25
"""Pairs (and unmatched mentees) listed in one reply; the rest are counted."""


def _who(profiles: dict[int, ProfileData], member_id: int | None) -> str:
    found = profiles.get(member_id or 0)
    return mention(found.user_id) if found else "a former member"


def _plan_lines(
    plan: RoundPlan, profiles: dict[int, ProfileData], skipped: Sequence[str]
) -> list[str]:
    lines = [
        f"{len(plan.matches)} match(es), total score {plan.total_score:.1f}; "
        f"{len(plan.unmatched)} mentee(s) unmatched."
    ]
    for number, match in enumerate(plan.matches[:SHOWN], start=1):
        lines.append(
            f"{number}. {_who(profiles, match.mentor_id)} → {_who(profiles, match.mentee_id)} "
            f"(score {match.score:.1f}): {'; '.join(match.reasons) or 'no common ground listed'}"
        )
    if len(plan.matches) > SHOWN:
        lines.append(f"… and {len(plan.matches) - SHOWN} more.")
    if plan.unmatched:
        lines.append("Unmatched:")
        lines += [f"• {_who(profiles, u.mentee_id)}: {u.why}" for u in plan.unmatched[:SHOWN]]
        if len(plan.unmatched) > SHOWN:
            lines.append(f"… and {len(plan.unmatched) - SHOWN} more.")
    if skipped:
        lines.append("Not considered: " + ", ".join(skipped[:SHOWN]))
    return lines


@command(
    "pair preview",
    summary="Show the next mentoring round: matches, scores and who stays unmatched.",
    role=Role.MODERATOR,
    examples=("pair preview",),
    details="Nothing is sent or saved; `pair run` sends the proposals.",
)
async def pair_preview(ctx: Context, args: Args) -> Reply:
    planned = await proposals.plan_for(ctx)
    if not planned.plan.matches and not planned.plan.unmatched:
        return Reply(text="Nobody is waiting for a mentor right now.", private=True)
    lines = _plan_lines(planned.plan, planned.profiles, planned.skipped)
    if planned.plan.matches:
        lines.append("Nothing was sent. `pair run` proposes these matches.")
    return Reply(title="Next mentoring round (preview)", text="\n".join(lines), private=True)


@command(
    "pair run",
    summary="Run a mentoring round: DM every proposed pair with Accept and Decline buttons.",
    role=Role.MODERATOR,
    examples=("pair run",),
)
async def pair_run(ctx: Context, args: Args) -> Reply:
    outcome = await proposals.run_round(ctx)
    planned_profiles = await load_profiles(
        ctx.session,
        ctx.tenant.id,
        [m.mentor_id for m in outcome.plan.matches]
        + [m.mentee_id for m in outcome.plan.matches]
        + [u.mentee_id for u in outcome.plan.unmatched],
    )
    if not outcome.proposal_ids:
        lines = ["No matches this round: nobody was proposed."]
        lines += _plan_lines(outcome.plan, planned_profiles, outcome.skipped)[1:]
        return Reply(text="\n".join(lines), private=True)
    lines = _plan_lines(outcome.plan, planned_profiles, outcome.skipped)
    lines.append("I've sent each side a DM to accept or decline.")
    return Reply(title="Mentoring round sent", text="\n".join(lines), private=True)


@command(
    "pair manual",
    summary="Propose a mentor for a mentee yourself (they still accept or decline).",
    params=[
        Param(name="mentor", kind=ParamKind.MENTION),
        Param(name="mentee", kind=ParamKind.MENTION),
    ],
    role=Role.MODERATOR,
    examples=("pair manual @ana @bo",),
    details="The hard rules still hold: a shared language, the experience gap, the mentor's "
    "free places, and no pair that was paired or declined before.",
)
async def pair_manual(ctx: Context, args: Args) -> Reply:
    mentor_ref, mentee_ref = args.member("mentor"), args.member("mentee")
    assert mentor_ref is not None and mentee_ref is not None
    mentor_member = await ctx.lookup_member(mentor_ref)
    mentee_member = await ctx.lookup_member(mentee_ref)
    now = ctx.now()
    tenant = ctx.tenant.id
    await records.lock_pairing(ctx.session, tenant)
    profiles = await load_profiles(ctx.session, tenant, [mentor_member.id, mentee_member.id])
    for member in (mentor_member, mentee_member):
        gap = describe_gaps(mention(member.user_id), profiles.get(member.id))
        if gap is not None:
            raise UserFacingError(f"I can't pair them: {gap}. Nothing was changed.")
    for proposal in await records.open_proposals(ctx.session, tenant, now):
        if proposal.mentee_member_id == mentee_member.id:
            raise UserFacingError(
                f"{mention(mentee_member.user_id)} already has a proposal waiting for answers "
                f"(#{proposal.id}). Nothing was changed."
            )
    for pair in await records.active_pairs(ctx.session, tenant, member_id=mentee_member.id):
        if pair.mentee_member_id == mentee_member.id:
            raise UserFacingError(
                f"{mention(mentee_member.user_id)} already has a mentor. Nothing was changed."
            )
    offer = await records.get_offer(ctx.session, tenant, mentor_member.id)
    busy = sum(
        1
        for p in await records.open_proposals(ctx.session, tenant, now, member_id=mentor_member.id)
        if p.mentor_member_id == mentor_member.id
    ) + sum(
        1
        for p in await records.active_pairs(ctx.session, tenant, member_id=mentor_member.id)
        if p.mentor_member_id == mentor_member.id
    )
    capacity = (offer.capacity if offer is not None else 1) - busy
    mentor = candidate(
        profiles[mentor_member.id],
        now,
        subjects=offer.subjects if offer is not None else (),
        capacity=capacity,
    )
    request = await records.get_request(ctx.session, tenant, mentee_member.id)
    mentee = candidate(
        profiles[mentee_member.id],
        now,
        subjects=(request.subject,) if request is not None and request.subject else (),
    )
    why_not = refusal(mentor, mentee, await proposals.rules_for(ctx))
    if why_not is not None:
        raise UserFacingError(f"I can't pair them: {why_not}. Nothing was changed.")
    scored = pair_score(mentor, mentee, await load_weights(ctx.session, tenant))
    proposal = await proposals.propose(
        ctx,
        Match(
            mentor_id=mentor.member_id,
            mentee_id=mentee.member_id,
            score=scored.score,
            reasons=scored.reasons,
        ),
        mentor=profiles[mentor_member.id],
        mentee=profiles[mentee_member.id],
        goals=request.goals if request is not None else "",
        origin="manual",
        expires_at=await proposals.proposal_deadline(ctx),
    )
    await ctx.audit(
        "pair manual",
        target=f"{mentor_member.user_id} → {mentee_member.user_id}",
        after={"proposal": proposal.id, "score": proposal.score},
    )
    return Reply(
        text=f"Proposed #{proposal.id}: {mention(mentor_member.user_id)} to mentor "
        f"{mention(mentee_member.user_id)} (score {scored.score:.1f}). Both got a DM to accept "
        "or decline.",
        private=True,
    )


@command(
    "pair list",
    summary="Active mentoring pairs, proposals waiting for answers, and who is in the pool.",
    role=Role.MODERATOR,
    examples=("pair list",),
)
async def pair_list(ctx: Context, args: Args) -> Reply:
    tenant, now = ctx.tenant.id, ctx.now()
    pairs = await records.active_pairs(ctx.session, tenant)
    waiting = await records.open_proposals(ctx.session, tenant, now)
    pool = await records.pool(ctx.session, tenant, now)
    ids = [p.mentor_member_id or 0 for p in pairs] + [p.mentee_member_id or 0 for p in pairs]
    ids += [p.mentor_member_id for p in waiting] + [p.mentee_member_id for p in waiting]
    profiles = await load_profiles(ctx.session, tenant, ids)
    places = sum(free for _, free in pool.mentors)
    lines = [
        f"Pool: {len(pool.mentors)} mentor(s) with {places} free place(s), "
        f"{len(pool.requests)} mentee(s) waiting."
    ]
    lines.append(f"Active pairs ({len(pairs)}):" if pairs else "No active pairs.")
    lines += [
        f"• {_who(profiles, p.mentor_member_id)} → {_who(profiles, p.mentee_member_id)} "
        f"since {p.started_at:%d %b %Y}"
        for p in pairs[:SHOWN]
    ]
    if len(pairs) > SHOWN:
        lines.append(f"… and {len(pairs) - SHOWN} more.")
    if waiting:
        lines.append(f"Waiting for answers ({len(waiting)}):")
        for proposal in waiting[:SHOWN]:
            missing = [
                _who(profiles, member)
                for member, given in (
                    (proposal.mentor_member_id, proposal.mentor_answer),
                    (proposal.mentee_member_id, proposal.mentee_answer),
                )
                if not given
            ]
            lines.append(
                f"• #{proposal.id} {_who(profiles, proposal.mentor_member_id)} → "
                f"{_who(profiles, proposal.mentee_member_id)}: waiting for "
                f"{' and '.join(missing)} until {local_time(proposal.expires_at, 'UTC')} UTC"
            )
    return Reply(title="Mentoring", text="\n".join(lines), private=True)
