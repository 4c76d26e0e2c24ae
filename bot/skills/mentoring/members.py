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
from bot.core.i18n import N_
from bot.core.parsing import Args
from bot.core.replies import Reply, mention
from bot.core.text import whole_number
from bot.skills.mentoring import proposals, records
from bot.skills.mentoring.candidates import check_profile
from bot.skills.mentoring.meetings import local_time
from bot.skills.mentoring.words import problem


def _capacity(ctx: Context, raw: str | None) -> int:
    if raw is None:
        return 1
    capacity = whole_number(raw, minimum=1, maximum=records.MAX_CAPACITY)
    if capacity is None:
        raise UsageError(
            ctx.gettext(
                "A mentor takes 1 to {most} mentees: write `capacity:2`, for example. Nothing "
                "was changed.",
                most=records.MAX_CAPACITY,
            ),
            usage="mentor offer [capacity:N] [subjects…]",
        )
    return capacity


def _subjects(ctx: Context, raw: str | None) -> tuple[str, ...]:
    if not raw or not raw.strip():
        return ()
    try:
        return vocab.parse_subjects(raw)
    except ValueError as exc:
        raise UserFacingError(
            ctx.gettext("{problem} Nothing was changed.", problem=problem(ctx, exc))
        ) from None


@command(
    "mentor offer",
    summary=N_("Offer to mentor colleagues (1 to 5 at a time)."),
    params=[
        Param(
            name="subjects",
            kind=ParamKind.TEXT,
            required=False,
            max_length=500,
            help=N_("the subjects you can help with"),
        )
    ],
    filters=[Filter(key="capacity", help=N_("how many mentees at once, 1–5"), placeholder="N")],
    examples=("mentor offer capacity:2 science, math", "mentor offer"),
    details=N_("Without subjects, I use those of your intro. Offering again updates your offer."),
)
async def mentor_offer(ctx: Context, args: Args) -> Reply:
    capacity = _capacity(ctx, args.filter("capacity"))
    subjects = _subjects(ctx, args.text("subjects"))
    profile = check_profile(
        ctx.translator,
        await load_profile(ctx.session, ctx.tenant.id, ctx.member.id),
        offering=True,
    )
    new = await records.save_offer(
        ctx.session,
        ctx.tenant.id,
        ctx.member.id,
        capacity=capacity,
        subjects=subjects,
        now=ctx.now(),
    )
    lead = ctx.gettext("Thank you!") if new else ctx.gettext("Your offer is updated.")
    offering = ctx.ngettext(
        "You're offering to mentor up to {n} mentee in {subjects}.",
        "You're offering to mentor up to {n} mentees in {subjects}.",
        capacity,
        subjects=ctx.translator.and_list(subjects or profile.subjects),
    )
    then = ctx.gettext(
        "I'll suggest matches in the next pairing round, and you'll get a DM to accept or "
        "decline each one."
    )
    return Reply(text=f"{lead} {offering} {then}", private=True)


@command(
    "mentor request",
    summary=N_("Ask for a mentor."),
    params=[
        Param(
            name="goals",
            kind=ParamKind.TEXT,
            required=False,
            max_length=1000,
            help=N_("what you would like help with"),
        )
    ],
    filters=[Filter(key="subject", help=N_("the subject you want help with"), placeholder="math")],
    examples=(
        "mentor request subject:science I'd like help planning labs for grade 7",
        "mentor request",
    ),
    details=N_("Your goals are shown to the mentor I suggest."),
)
async def mentor_request(ctx: Context, args: Args) -> Reply:
    subject = normalize_subject(args.filter("subject") or "")
    if len(subject) > vocab.MAX_ITEM_LENGTH:
        raise UserFacingError(ctx.gettext("That subject is too long. Nothing was changed."))
    goals = " ".join((args.text("goals") or "").split())
    check_profile(
        ctx.translator,
        await load_profile(ctx.session, ctx.tenant.id, ctx.member.id),
        offering=False,
    )
    for pair in await records.active_pairs(ctx.session, ctx.tenant.id, member_id=ctx.member.id):
        if pair.mentee_member_id == ctx.member.id:
            raise UserFacingError(
                ctx.gettext(
                    "You already have a mentor. When you're done, `mentor end` finishes that "
                    "pairing and you can ask again. Nothing was changed."
                )
            )
    await records.save_request(
        ctx.session, ctx.tenant.id, ctx.member.id, subject=subject, goals=goals, now=ctx.now()
    )
    looking = (
        ctx.gettext("Got it: you're looking for a mentor in {subject}.", subject=subject)
        if subject
        else ctx.gettext("Got it: you're looking for a mentor.")
    )
    then = ctx.gettext(
        "I'll suggest one in the next pairing round, and you'll get a DM to accept or decline."
    )
    return Reply(text=f"{looking} {then}", private=True)


@command("mentor status", summary=N_("Your offer or request, proposals and pairs."))
async def mentor_status(ctx: Context, args: Args) -> Reply:
    tenant, me, now = ctx.tenant.id, ctx.member.id, ctx.now()
    offer = await records.get_offer(ctx.session, tenant, me)
    request = await records.get_request(ctx.session, tenant, me)
    waiting = await records.open_proposals(ctx.session, tenant, now, member_id=me)
    pairs = await records.active_pairs(ctx.session, tenant, member_id=me)
    others = [p.mentor_member_id for p in waiting] + [p.mentee_member_id for p in waiting]
    others += [p.mentor_member_id or 0 for p in pairs] + [p.mentee_member_id or 0 for p in pairs]
    profiles = await load_profiles(ctx.session, tenant, [*others, me])

    t = ctx.translator

    def who(member_id: int | None) -> str:
        found = profiles.get(member_id or 0)
        return mention(found.user_id) if found else t.gettext("a former member")

    lines: list[str] = []
    if offer is not None:
        mentoring = sum(1 for p in pairs if p.mentor_member_id == me)
        line = (
            t.ngettext(
                "Offer (paused): up to {n} mentee, mentoring {now} now",
                "Offer (paused): up to {n} mentees, mentoring {now} now",
                offer.capacity,
                now=mentoring,
            )
            if offer.paused_at
            else t.ngettext(
                "Offer: up to {n} mentee, mentoring {now} now",
                "Offer: up to {n} mentees, mentoring {now} now",
                offer.capacity,
                now=mentoring,
            )
        )
        if offer.subjects:
            line += t.gettext("; subjects {subjects}", subjects=t.and_list(offer.subjects))
        lines.append(line)
    if request is not None:
        if request.paused_at:
            state = t.gettext("paused")
        elif request.matched_at:
            state = t.gettext("matched")
        elif any(p.mentee_member_id == me for p in waiting):
            state = t.gettext("a match is proposed")
        else:
            state = t.gettext("waiting for the next round")
        lines.append(
            t.gettext(
                "Request for a mentor in {subject}: {state}", subject=request.subject, state=state
            )
            if request.subject
            else t.gettext("Request for a mentor: {state}", state=state)
        )
    zone = profiles[me].timezone if me in profiles and profiles[me].timezone else "UTC"
    for proposal in waiting:
        as_mentor = proposal.mentor_member_id == me
        other = proposal.mentee_member_id if as_mentor else proposal.mentor_member_id
        answered = proposal.mentor_answer if as_mentor else proposal.mentee_answer
        if answered == records.ACCEPTED:
            answer = t.gettext("you accepted")
        elif answered:
            answer = t.gettext("you declined")
        else:
            answer = t.gettext("waiting for your answer")
        lines.append(
            t.gettext(
                "Proposal #{number}: you as mentor with {other} — {answer}, until {deadline}",
                number=proposal.id,
                other=who(other),
                answer=answer,
                deadline=local_time(t, proposal.expires_at, zone),
            )
            if as_mentor
            else t.gettext(
                "Proposal #{number}: you as mentee with {other} — {answer}, until {deadline}",
                number=proposal.id,
                other=who(other),
                answer=answer,
                deadline=local_time(t, proposal.expires_at, zone),
            )
        )
    for pair in pairs:
        since = t.format_date(pair.started_at, format="dd MMM")
        if pair.mentor_member_id == me:
            lines.append(
                t.gettext(
                    "Mentoring {mentee} since {day}", mentee=who(pair.mentee_member_id), day=since
                )
            )
        else:
            lines.append(
                t.gettext(
                    "Mentored by {mentor} since {day}", mentor=who(pair.mentor_member_id), day=since
                )
            )
    if not lines:
        lines.append(
            t.gettext(
                "You're not in mentoring yet: `mentor offer` to mentor, `mentor request` to find "
                "a mentor."
            )
        )
    return Reply(title=t.gettext("Your mentoring"), text="\n".join(lines), private=True)


async def _set_paused(ctx: Context, *, paused: bool) -> Reply:
    offer = await records.get_offer(ctx.session, ctx.tenant.id, ctx.member.id)
    request = await records.get_request(ctx.session, ctx.tenant.id, ctx.member.id)
    if offer is None and request is None:
        raise UserFacingError(
            ctx.gettext(
                "You haven't offered or asked for mentoring yet (`mentor offer`, `mentor request`)."
            )
        )
    stamp = ctx.now() if paused else None
    changed = False
    for row in (offer, request):
        if row is not None and (row.paused_at is None) == paused:
            row.paused_at = stamp
            changed = True
    if not changed:
        raise UserFacingError(
            ctx.gettext("You're already paused. Nothing was changed.")
            if paused
            else ctx.gettext("You're already not paused. Nothing was changed.")
        )
    if paused:
        return Reply(
            text=ctx.gettext(
                "Paused: I won't suggest new matches until `mentor resume`. Your current "
                "pairs carry on."
            ),
            private=True,
        )
    return Reply(text=ctx.gettext("Welcome back! You're in the next pairing round."), private=True)


@command("mentor pause", summary=N_("Stop getting new mentoring matches for a while."))
async def mentor_pause(ctx: Context, args: Args) -> Reply:
    return await _set_paused(ctx, paused=True)


@command("mentor resume", summary=N_("Get mentoring matches again after a pause."))
async def mentor_resume(ctx: Context, args: Args) -> Reply:
    return await _set_paused(ctx, paused=False)


@command(
    "mentor end",
    summary=N_("End your mentoring pairing, with feedback from 1 to 5 if you like."),
    params=[
        Param(
            name="partner",
            kind=ParamKind.MENTION,
            required=False,
            help=N_("your mentor or mentee, when you have several"),
        ),
        Param(
            name="feedback",
            kind=ParamKind.INT,
            required=False,
            minimum=1,
            maximum=5,
            help=N_("how it went, from 1 to 5"),
        ),
        Param(
            name="text",
            kind=ParamKind.TEXT,
            required=False,
            max_length=1000,
            help=N_("a few words about it"),
        ),
    ],
    examples=("mentor end 5 We met every week and it really helped", "mentor end @bo 4"),
    details=N_("A mentor with several mentees names the one: `mentor end @bo 4`."),
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
                ctx.gettext(
                    "You're not paired with {partner}. Nothing was changed.",
                    partner=mention(target.user_id),
                )
            )
    if not pairs:
        raise UserFacingError(
            ctx.gettext("You have no mentoring pairing to end (`mentor pause` stops new matches).")
        )
    profiles = await load_profiles(
        ctx.session,
        ctx.tenant.id,
        [_other(p, me) for p in pairs],
    )
    if len(pairs) > 1:
        names = ctx.translator.and_list(mention(profiles[_other(p, me)].user_id) for p in pairs)
        raise UsageError(
            ctx.gettext(
                "You're paired with {names}: say which one, like `mentor end @name 5`. "
                "Nothing was changed.",
                names=names,
            ),
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
    ender = mention(ctx.member.user_id)
    await ctx.send_dm(
        other.user_id,
        lambda t: t.gettext(
            "{partner} has ended your mentoring pairing. Thank you for taking part! "
            "(`mentor request` or `mentor offer` to join the next round.)",
            partner=ender,
        ),
    )
    done = ctx.gettext(
        "Done: your pairing with {partner} has ended.", partner=mention(other.user_id)
    )
    if rating or text:
        done += " " + ctx.gettext("Thanks for the feedback.")
    return Reply(text=done, private=True)


def _other(pair: MentorPair, me: int) -> int:
    other = pair.mentee_member_id if pair.mentor_member_id == me else pair.mentor_member_id
    return other or 0


_PROPOSAL = Param(name="proposal", kind=ParamKind.INT, minimum=1, help=N_("the proposal number"))


@command(
    proposals.ACCEPT_COMMAND,
    summary=N_("Accept a mentoring match I suggested."),
    params=[_PROPOSAL],
    hidden=True,
)
async def mentor_accept(ctx: Context, args: Args) -> Reply:
    number = args.integer("proposal")
    assert number is not None
    return await proposals.answer(ctx, number, accept=True)


@command(
    proposals.DECLINE_COMMAND,
    summary=N_("Decline a mentoring match I suggested."),
    params=[_PROPOSAL],
    hidden=True,
)
async def mentor_decline(ctx: Context, args: Args) -> Reply:
    number = args.integer("proposal")
    assert number is not None
    return await proposals.answer(ctx, number, accept=False)
