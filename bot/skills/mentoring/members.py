"""Members' mentoring commands: offer, request, status, pause, resume, end, and the answers
to a proposal (its Accept and Decline buttons)."""

from __future__ import annotations

from bot.community import vocabulary as vocab
from bot.community.models import MentorPair
from bot.community.profiles import load_profile, load_profiles
from bot.community.subjects import normalize_subject
from bot.core.commands import Filter, Param, ParamKind, command
from bot.core.context import Context
from bot.core.errors import UsageError, UserFacingError
from bot.core.parsing import Args
from bot.core.replies import Reply, mention
from bot.core.text import whole_number
from bot.skills.mentoring import proposals, records
from bot.skills.mentoring.candidates import check_profile
from bot.skills.mentoring.meetings import local_time


def _capacity(raw: str | None) -> int:
    if raw is None:
        return 1
    capacity = whole_number(raw, minimum=1, maximum=records.MAX_CAPACITY)
    if capacity is None:
        raise UsageError(
            f"A mentor takes 1 to {records.MAX_CAPACITY} mentees: write `capacity:2`, for "
            "example. Nothing was changed.",
            usage="mentor offer [capacity:N] [subjects…]",
        )
    return capacity


def _subjects(raw: str | None) -> tuple[str, ...]:
    if not raw or not raw.strip():
        return ()
    try:
        return vocab.parse_subjects(raw)
    except ValueError as exc:
        raise UserFacingError(f"{exc} Nothing was changed.") from None


@command(
    "mentor offer",
    summary="Offer to mentor colleagues (1 to 5 at a time).",
    params=[Param(name="subjects", kind=ParamKind.TEXT, required=False, max_length=500)],
    filters=[Filter(key="capacity", help="how many mentees at once, 1–5", placeholder="N")],
    examples=("mentor offer capacity:2 science, math", "mentor offer"),
    details="Without subjects, I use those of your intro. Offering again updates your offer.",
)
async def mentor_offer(ctx: Context, args: Args) -> Reply:
    capacity = _capacity(args.filter("capacity"))
    subjects = _subjects(args.text("subjects"))
    profile = check_profile(
        await load_profile(ctx.session, ctx.tenant.id, ctx.member.id), doing="offer to mentor"
    )
    new = await records.save_offer(
        ctx.session,
        ctx.tenant.id,
        ctx.member.id,
        capacity=capacity,
        subjects=subjects,
        now=ctx.now(),
    )
    shown = ", ".join(subjects or profile.subjects)
    places = f"{capacity} mentee" + ("" if capacity == 1 else "s")
    lead = "Thank you!" if new else "Your offer is updated."
    return Reply(
        text=f"{lead} You're offering to mentor up to {places} in {shown}. I'll suggest matches "
        "in the next pairing round, and you'll get a DM to accept or decline each one.",
        private=True,
    )


@command(
    "mentor request",
    summary="Ask for a mentor.",
    params=[Param(name="goals", kind=ParamKind.TEXT, required=False, max_length=1000)],
    filters=[Filter(key="subject", help="the subject you want help with", placeholder="math")],
    examples=(
        "mentor request subject:science I'd like help planning labs for grade 7",
        "mentor request",
    ),
    details="Your goals are shown to the mentor I suggest.",
)
async def mentor_request(ctx: Context, args: Args) -> Reply:
    subject = normalize_subject(args.filter("subject") or "")
    if len(subject) > vocab.MAX_ITEM_LENGTH:
        raise UserFacingError("That subject is too long. Nothing was changed.")
    goals = " ".join((args.text("goals") or "").split())
    check_profile(
        await load_profile(ctx.session, ctx.tenant.id, ctx.member.id), doing="ask for a mentor"
    )
    for pair in await records.active_pairs(ctx.session, ctx.tenant.id, member_id=ctx.member.id):
        if pair.mentee_member_id == ctx.member.id:
            raise UserFacingError(
                "You already have a mentor. When you're done, `mentor end` finishes that "
                "pairing and you can ask again. Nothing was changed."
            )
    await records.save_request(
        ctx.session, ctx.tenant.id, ctx.member.id, subject=subject, goals=goals, now=ctx.now()
    )
    about = f" in {subject}" if subject else ""
    return Reply(
        text=f"Got it: you're looking for a mentor{about}. I'll suggest one in the next pairing "
        "round, and you'll get a DM to accept or decline.",
        private=True,
    )


@command("mentor status", summary="Your offer or request, proposals and pairs.")
async def mentor_status(ctx: Context, args: Args) -> Reply:
    tenant, me, now = ctx.tenant.id, ctx.member.id, ctx.now()
    offer = await records.get_offer(ctx.session, tenant, me)
    request = await records.get_request(ctx.session, tenant, me)
    waiting = await records.open_proposals(ctx.session, tenant, now, member_id=me)
    pairs = await records.active_pairs(ctx.session, tenant, member_id=me)
    others = [p.mentor_member_id for p in waiting] + [p.mentee_member_id for p in waiting]
    others += [p.mentor_member_id or 0 for p in pairs] + [p.mentee_member_id or 0 for p in pairs]
    profiles = await load_profiles(ctx.session, tenant, [*others, me])

    def who(member_id: int | None) -> str:
        found = profiles.get(member_id or 0)
        return mention(found.user_id) if found else "a former member"

    lines: list[str] = []
    if offer is not None:
        mentoring = sum(1 for p in pairs if p.mentor_member_id == me)
        state = " (paused)" if offer.paused_at else ""
        lines.append(
            f"Offer{state}: up to {offer.capacity} mentee(s), mentoring {mentoring} now"
            + (f"; subjects {', '.join(offer.subjects)}" if offer.subjects else "")
        )
    if request is not None:
        if request.paused_at:
            state = "paused"
        elif request.matched_at:
            state = "matched"
        elif any(p.mentee_member_id == me for p in waiting):
            state = "a match is proposed"
        else:
            state = "waiting for the next round"
        about = f" in {request.subject}" if request.subject else ""
        lines.append(f"Request for a mentor{about}: {state}")
    zone = profiles[me].timezone if me in profiles and profiles[me].timezone else "UTC"
    for proposal in waiting:
        role = "mentor" if proposal.mentor_member_id == me else "mentee"
        other = proposal.mentee_member_id if role == "mentor" else proposal.mentor_member_id
        answered = proposal.mentor_answer if role == "mentor" else proposal.mentee_answer
        lines.append(
            f"Proposal #{proposal.id}: you as {role} with {who(other)} — "
            + (f"you {answered}" if answered else "waiting for your answer")
            + f", until {local_time(proposal.expires_at, zone)}"
        )
    for pair in pairs:
        if pair.mentor_member_id == me:
            lines.append(f"Mentoring {who(pair.mentee_member_id)} since {pair.started_at:%d %b}")
        else:
            lines.append(f"Mentored by {who(pair.mentor_member_id)} since {pair.started_at:%d %b}")
    if not lines:
        lines.append(
            "You're not in mentoring yet: `mentor offer` to mentor, `mentor request` to find "
            "a mentor."
        )
    return Reply(title="Your mentoring", text="\n".join(lines), private=True)


async def _set_paused(ctx: Context, *, paused: bool) -> Reply:
    offer = await records.get_offer(ctx.session, ctx.tenant.id, ctx.member.id)
    request = await records.get_request(ctx.session, ctx.tenant.id, ctx.member.id)
    if offer is None and request is None:
        raise UserFacingError(
            "You haven't offered or asked for mentoring yet (`mentor offer`, `mentor request`)."
        )
    stamp = ctx.now() if paused else None
    changed = False
    for row in (offer, request):
        if row is not None and (row.paused_at is None) == paused:
            row.paused_at = stamp
            changed = True
    if not changed:
        state = "paused" if paused else "not paused"
        raise UserFacingError(f"You're already {state}. Nothing was changed.")
    if paused:
        return Reply(
            text="Paused: I won't suggest new matches until `mentor resume`. Your current "
            "pairs carry on.",
            private=True,
        )
    return Reply(text="Welcome back! You're in the next pairing round.", private=True)


@command("mentor pause", summary="Stop getting new mentoring matches for a while.")
async def mentor_pause(ctx: Context, args: Args) -> Reply:
    return await _set_paused(ctx, paused=True)


@command("mentor resume", summary="Get mentoring matches again after a pause.")
async def mentor_resume(ctx: Context, args: Args) -> Reply:
    return await _set_paused(ctx, paused=False)


@command(
    "mentor end",
    summary="End your mentoring pairing, with feedback from 1 to 5 if you like.",
    params=[
        Param(name="partner", kind=ParamKind.MENTION, required=False),
        Param(name="feedback", kind=ParamKind.INT, required=False, minimum=1, maximum=5),
        Param(name="text", kind=ParamKind.TEXT, required=False, max_length=1000),
    ],
    examples=("mentor end 5 We met every week and it really helped", "mentor end @bo 4"),
    details="A mentor with several mentees names the one: `mentor end @bo 4`.",
)
async def mentor_end(ctx: Context, args: Args) -> Reply:
    me = ctx.member.id
    pairs = await records.active_pairs(ctx.session, ctx.tenant.id, member_id=me)
    partner = args.member("partner")
    if partner is not None:
        target = await ctx.lookup_member(partner)
        pairs = [p for p in pairs if target.id in (p.mentor_member_id, p.mentee_member_id)]
        if not pairs:
            raise UserFacingError(
                f"You're not paired with {mention(target.user_id)}. Nothing was changed."
            )
    if not pairs:
        raise UserFacingError(
            "You have no mentoring pairing to end (`mentor pause` stops new matches)."
        )
    profiles = await load_profiles(
        ctx.session,
        ctx.tenant.id,
        [_other(p, me) for p in pairs],
    )
    if len(pairs) > 1:
        names = ", ".join(mention(profiles[_other(p, me)].user_id) for p in pairs)
        raise UsageError(
            f"You're paired with {names}: say which one, like `mentor end @name 5`. "
            "Nothing was changed.",
            usage="mentor end [@partner] [feedback 1-5] [text]",
        )
    (pair,) = pairs
    rating, text = args.integer("feedback"), " ".join((args.text("text") or "").split())
    pair.ended_at = ctx.now()
    if pair.mentor_member_id == me:
        pair.mentor_rating, pair.mentor_feedback = rating, text
    else:
        pair.mentee_rating, pair.mentee_feedback = rating, text
    other = profiles[_other(pair, me)]
    await ctx.send_dm(
        other.user_id,
        f"{mention(ctx.member.user_id)} has ended your mentoring pairing. Thank you for taking "
        "part! (`mentor request` or `mentor offer` to join the next round.)",
    )
    thanks = " Thanks for the feedback." if rating or text else ""
    return Reply(
        text=f"Done: your pairing with {mention(other.user_id)} has ended.{thanks}", private=True
    )


def _other(pair: MentorPair, me: int) -> int:
    other = pair.mentee_member_id if pair.mentor_member_id == me else pair.mentor_member_id
    return other or 0


_PROPOSAL = Param(name="proposal", kind=ParamKind.INT, minimum=1, help="the proposal number")


@command(
    proposals.ACCEPT_COMMAND,
    summary="Accept a mentoring match I suggested.",
    params=[_PROPOSAL],
    hidden=True,
)
async def mentor_accept(ctx: Context, args: Args) -> Reply:
    number = args.integer("proposal")
    assert number is not None
    return await proposals.answer(ctx, number, accept=True)


@command(
    proposals.DECLINE_COMMAND,
    summary="Decline a mentoring match I suggested.",
    params=[_PROPOSAL],
    hidden=True,
)
async def mentor_decline(ctx: Context, args: Args) -> Reply:
    number = args.integer("proposal")
    assert number is not None
    return await proposals.answer(ctx, number, accept=False)
