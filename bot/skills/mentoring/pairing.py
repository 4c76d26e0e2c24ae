"""Moderators' pairing commands: preview and run a round, pair two people by hand, list."""

from __future__ import annotations

from collections.abc import Sequence

from babel.numbers import format_decimal

from bot.community.profiles import ProfileData, load_profiles
from bot.core.commands import Param, ParamKind, command
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.i18n import N_, Translator
from bot.core.parsing import Args
from bot.core.replies import Reply, mention
from bot.core.roles import Role
from bot.skills.mentoring import proposals, records
from bot.skills.mentoring.candidates import candidate, describe_gaps
from bot.skills.mentoring.matching import Match, RoundPlan, pair_score, refusal
from bot.skills.mentoring.meetings import local_time
from bot.skills.mentoring.settings import load_weights
from bot.skills.mentoring.words import shown

SHOWN = 25
"""Pairs (and unmatched mentees) listed in one reply; the rest are counted."""


def _who(t: Translator, profiles: dict[int, ProfileData], member_id: int | None) -> str:
    found = profiles.get(member_id or 0)
    return mention(found.user_id) if found else t.gettext("a former member")


def _score(t: Translator, score: float) -> str:
    """``6.8`` / ``6,8``: one decimal, in the reader's language."""
    return format_decimal(score, format="0.0", locale=t.locale)


def _more(t: Translator, count: int) -> str:
    return t.ngettext("… and {n} more.", "… and {n} more.", count)


def skipped_line(t: Translator, skipped: Sequence[str]) -> str:
    """The members a round could not consider, in ``t``'s language."""
    return t.gettext(
        "Not considered (intro incomplete): {names}",
        names=", ".join(shown(t, name) for name in skipped[:SHOWN]),
    )


def _plan_lines(
    t: Translator, plan: RoundPlan, profiles: dict[int, ProfileData], skipped: Sequence[str]
) -> list[str]:
    lines = [
        t.gettext(
            "{matches}, total score {score}; {unmatched}.",
            matches=t.ngettext("{n} match", "{n} matches", len(plan.matches)),
            score=_score(t, plan.total_score),
            unmatched=t.ngettext(
                "{n} mentee unmatched", "{n} mentees unmatched", len(plan.unmatched)
            ),
        )
    ]
    for number, match in enumerate(plan.matches[:SHOWN], start=1):
        why = "; ".join(shown(t, reason) for reason in match.reasons)
        lines.append(
            t.gettext(
                "{number}. {mentor} → {mentee} (score {score}): {why}",
                number=number,
                mentor=_who(t, profiles, match.mentor_id),
                mentee=_who(t, profiles, match.mentee_id),
                score=_score(t, match.score),
                why=why or t.gettext("no common ground listed"),
            )
        )
    if len(plan.matches) > SHOWN:
        lines.append(_more(t, len(plan.matches) - SHOWN))
    if plan.unmatched:
        lines.append(t.gettext("Unmatched:"))
        lines += [
            f"• {_who(t, profiles, u.mentee_id)}: {shown(t, u.why)}" for u in plan.unmatched[:SHOWN]
        ]
        if len(plan.unmatched) > SHOWN:
            lines.append(_more(t, len(plan.unmatched) - SHOWN))
    if skipped:
        lines.append(skipped_line(t, skipped))
    return lines


@command(
    "pair preview",
    summary=N_("Show the next mentoring round: matches, scores and who stays unmatched."),
    role=Role.MODERATOR,
    examples=("pair preview",),
    details=N_("Nothing is sent or saved; `pair run` sends the proposals."),
)
async def pair_preview(ctx: Context, args: Args) -> Reply:
    planned = await proposals.plan_for(ctx)
    if not planned.plan.matches and not planned.plan.unmatched:
        return Reply(text=ctx.gettext("Nobody is waiting for a mentor right now."), private=True)
    lines = _plan_lines(ctx.translator, planned.plan, planned.profiles, planned.skipped)
    if planned.plan.matches:
        lines.append(ctx.gettext("Nothing was sent. `pair run` proposes these matches."))
    return Reply(
        title=ctx.gettext("Next mentoring round (preview)"), text="\n".join(lines), private=True
    )


@command(
    "pair run",
    summary=N_("Run a mentoring round: DM every proposed pair with Accept and Decline buttons."),
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
        lines = [ctx.gettext("No matches this round: nobody was proposed.")]
        lines += _plan_lines(ctx.translator, outcome.plan, planned_profiles, outcome.skipped)[1:]
        return Reply(text="\n".join(lines), private=True)
    lines = _plan_lines(ctx.translator, outcome.plan, planned_profiles, outcome.skipped)
    lines.append(ctx.gettext("I've sent each side a DM to accept or decline."))
    return Reply(title=ctx.gettext("Mentoring round sent"), text="\n".join(lines), private=True)


@command(
    "pair manual",
    summary=N_("Propose a mentor for a mentee yourself (they still accept or decline)."),
    params=[
        Param(name="mentor", kind=ParamKind.MENTION, help=N_("the mentor")),
        Param(name="mentee", kind=ParamKind.MENTION, help=N_("the mentee")),
    ],
    role=Role.MODERATOR,
    examples=("pair manual @ana @bo",),
    details=N_(
        "The hard rules still hold: a shared language, the experience gap, the mentor's "
        "free places, and no pair that was paired or declined before."
    ),
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
        gap = describe_gaps(ctx.translator, mention(member.user_id), profiles.get(member.id))
        if gap is not None:
            raise UserFacingError(
                ctx.gettext("I can't pair them: {why}. Nothing was changed.", why=gap)
            )
    for proposal in await records.open_proposals(ctx.session, tenant, now):
        if proposal.mentee_member_id == mentee_member.id:
            raise UserFacingError(
                ctx.gettext(
                    "{mentee} already has a proposal waiting for answers (#{number}). Nothing "
                    "was changed.",
                    mentee=mention(mentee_member.user_id),
                    number=proposal.id,
                )
            )
    for pair in await records.active_pairs(ctx.session, tenant, member_id=mentee_member.id):
        if pair.mentee_member_id == mentee_member.id:
            raise UserFacingError(
                ctx.gettext(
                    "{mentee} already has a mentor. Nothing was changed.",
                    mentee=mention(mentee_member.user_id),
                )
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
        raise UserFacingError(
            ctx.gettext(
                "I can't pair them: {why}. Nothing was changed.", why=shown(ctx.translator, why_not)
            )
        )
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
        text=ctx.gettext(
            "Proposed #{number}: {mentor} to mentor {mentee} (score {score}). Both got a DM to "
            "accept or decline.",
            number=proposal.id,
            mentor=mention(mentor_member.user_id),
            mentee=mention(mentee_member.user_id),
            score=_score(ctx.translator, scored.score),
        ),
        private=True,
    )


@command(
    "pair list",
    summary=N_("Active mentoring pairs, proposals waiting for answers, and who is in the pool."),
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
    t = ctx.translator
    lines = [
        t.gettext(
            "Pool: {mentors} with {places}, {mentees} waiting.",
            mentors=t.ngettext("{n} mentor", "{n} mentors", len(pool.mentors)),
            places=t.ngettext("{n} free place", "{n} free places", places),
            mentees=t.ngettext("{n} mentee", "{n} mentees", len(pool.requests)),
        )
    ]
    lines.append(
        t.gettext("Active pairs ({count}):", count=len(pairs))
        if pairs
        else t.gettext("No active pairs.")
    )
    lines += [
        t.gettext(
            "• {mentor} → {mentee} since {day}",
            mentor=_who(t, profiles, p.mentor_member_id),
            mentee=_who(t, profiles, p.mentee_member_id),
            day=t.format_date(p.started_at, format="dd MMM y"),
        )
        for p in pairs[:SHOWN]
    ]
    if len(pairs) > SHOWN:
        lines.append(_more(t, len(pairs) - SHOWN))
    if waiting:
        lines.append(t.gettext("Waiting for answers ({count}):", count=len(waiting)))
        for proposal in waiting[:SHOWN]:
            missing = [
                _who(t, profiles, member)
                for member, given in (
                    (proposal.mentor_member_id, proposal.mentor_answer),
                    (proposal.mentee_member_id, proposal.mentee_answer),
                )
                if not given
            ]
            lines.append(
                t.gettext(
                    "• #{number} {mentor} → {mentee}: waiting for {who} until {deadline} UTC",
                    number=proposal.id,
                    mentor=_who(t, profiles, proposal.mentor_member_id),
                    mentee=_who(t, profiles, proposal.mentee_member_id),
                    who=t.and_list(missing),
                    deadline=local_time(t, proposal.expires_at, "UTC"),
                )
            )
    return Reply(title=t.gettext("Mentoring"), text="\n".join(lines), private=True)
