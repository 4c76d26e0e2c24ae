"""Check-in commands: moderators create and manage them; members answer, skip, snooze, mute."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.community.models import Profile
from bot.community.timezones import DEFAULT_ZONE_KEY, default_zone
from bot.core.commands import Param, ParamKind, command
from bot.core.context import Context
from bot.core.errors import FormError, NotFound, UserFacingError
from bot.core.events import Invocation
from bot.core.mentions import without_live_mentions
from bot.core.parsing import Args
from bot.core.prompts import OpenPrompt
from bot.core.replies import FieldKind, Form, FormField, Reply, channel_mention
from bot.core.roles import Role
from bot.core.tenant_config import TenantSettingSpec
from bot.core.text import whole_number
from bot.core.timezones import AmbiguousTimeZone, UnknownTimeZone, parse_timezone, zone
from bot.scheduling.grammar import next_times, parse_schedule
from bot.scheduling.jobs import (
    cancel_schedules,
    create_schedule,
    pause_schedules,
    resume_schedules,
)
from bot.scheduling.recurrence import (
    EXTREME_ZONES,
    BadSchedule,
    check_in_range,
    occurrences,
    once_at,
)
from bot.skills.checkins.audience import MEMBER_ZONE, Audience, parse_audience, parse_zone
from bot.skills.checkins.models import Checkin, CheckinMute, CheckinPrompt
from bot.skills.checkins.rounds import owner, sync_zone_schedules
from bot.storage.numbering import CHECKIN, next_number
from bot.storage.tenant_settings import channel_for

MAX_QUESTIONS = 5


def _zone_setting(raw: str) -> str:
    try:
        return parse_timezone(raw)
    except AmbiguousTimeZone as exc:
        raise ValueError(str(exc)) from None
    except UnknownTimeZone:
        raise ValueError(
            "Use a time zone like Europe/Paris, America/New_York or UTC+05:30."
        ) from None


TENANT_SETTINGS = (
    TenantSettingSpec(
        key=DEFAULT_ZONE_KEY,
        summary="The time zone of members whose intro has none (check-ins, reminders).",
        default="UTC",
        parse=_zone_setting,
    ),
)

_ID = Param(name="id", kind=ParamKind.INT, minimum=1, help="the check-in's number")


def _form() -> Form:
    return Form(
        title="New check-in",
        fields=(
            FormField(name="title", label="Title", required=True, max_length=100),
            FormField(
                name="questions",
                label="Questions (one per line, 1–5)",
                kind=FieldKind.LONG_TEXT,
                required=True,
                placeholder="What went well this week?",
                max_length=1000,
            ),
            FormField(
                name="schedule",
                label="Schedule",
                required=True,
                placeholder="every monday 09:00",
            ),
            FormField(
                name="timezone",
                label="Time zone (member = each member's own)",
                default=MEMBER_ZONE,
            ),
            FormField(
                name="audience",
                label="Audience (all, #channel, role:moderator, pairs or @members)",
                default="all",
            ),
            FormField(
                name="summary_channel",
                label="Summary channel (empty: the summaries channel)",
                placeholder="#staff",
            ),
            FormField(name="reminder_hours", label="Nudge after hours (0: none)", default="4"),
            FormField(name="deadline_hours", label="Summary after hours", default="24"),
        ),
        submit=Invocation(command="checkin save"),
        submit_label="Create check-in",
    )


@command(
    "checkin create",
    summary="Create a recurring check-in (a short form).",
    role=Role.MODERATOR,
    examples=("checkin create",),
)
async def checkin_create(ctx: Context, args: Args) -> Reply:
    return Reply(text="Let's set up a check-in.", form=_form(), private=True)


def _hours(raw: str, name: str, low: int, high: int) -> int:
    value = whole_number(raw.strip() or "0", minimum=low, maximum=high)
    if value is None:
        raise FormError({name: f"Use a whole number of hours from {low} to {high}."})
    return value


@command(
    "checkin save",
    summary="Save the check-in form.",
    params=[
        Param(name=n, required=False, max_length=1000)
        for n in (
            "title",
            "questions",
            "schedule",
            "timezone",
            "audience",
            "summary_channel",
            "reminder_hours",
            "deadline_hours",
        )
    ],
    role=Role.MODERATOR,
    hidden=True,
)
async def checkin_save(ctx: Context, args: Args) -> Reply:
    now = ctx.now()
    title = (args.text("title") or "").strip()
    questions = [q.strip() for q in (args.text("questions") or "").splitlines() if q.strip()]
    errors: dict[str, str] = {}
    if not 1 <= len(title) <= 100:
        errors["title"] = "A title of 1 to 100 characters is needed."
    if not 1 <= len(questions) <= MAX_QUESTIONS or any(len(q) > 300 for q in questions):
        errors["questions"] = "Write 1 to 5 questions, one per line (300 characters at most)."
    zone_key = parse_zone(args.text("timezone") or "")
    channel = parse_audience(args.text("summary_channel") or "")
    if channel.kind == "all":  # left empty
        configured = await channel_for(ctx.session, ctx.tenant.id, "summaries")
        channel = Audience(kind="channel", value=configured or "")
    if channel.kind != "channel" or not channel.value:
        errors["summary_channel"] = (
            "Name a channel, like #staff (or set one with `admin channel summaries #channel`)."
        )
    audience = parse_audience(args.text("audience") or "")
    if audience.kind == "members" and not audience.value:
        errors["audience"] = "Name at least one member."
    try:
        schedule = parse_schedule(args.text("schedule") or "", now=now, zone_key="UTC")
        check_in_range(schedule, *(EXTREME_ZONES if zone_key == MEMBER_ZONE else (zone_key,)))
    except BadSchedule as exc:
        errors["schedule"] = str(exc)
    reminder = _hours(args.text("reminder_hours") or "0", "reminder_hours", 0, 168)
    deadline = _hours(args.text("deadline_hours") or "24", "deadline_hours", 1, 336)
    if reminder and reminder >= deadline:
        errors["reminder_hours"] = "The nudge must come before the summary."
    if errors:
        raise FormError(errors)
    schedule = parse_schedule(args.text("schedule") or "", now=now, zone_key="UTC")
    checkin = Checkin(
        tenant_id=ctx.tenant.id,
        number=await next_number(ctx.session, ctx.tenant.id, CHECKIN),
        title=title,
        questions=questions,
        rule=schedule.text(),
        zone=zone_key,
        audience=audience.kind,
        audience_value=audience.value,
        summary_channel=channel.value,
        reminder_hours=reminder,
        deadline_hours=deadline,
        paused=False,
        created_by_member_id=ctx.member.id,
        created_at=now,
    )
    ctx.session.add(checkin)
    await ctx.session.flush()
    await sync_zone_schedules(ctx.session, checkin, now)
    await ctx.audit("checkin.create", target=f"checkin {checkin.number}", after=_describe(checkin))
    when = "each member's local time" if zone_key == MEMBER_ZONE else zone_key
    mine = await _my_zone(ctx.session, ctx.tenant.id, ctx.member.id)
    source = mine if zone_key == MEMBER_ZONE else zone_key
    times = next_times(schedule, source, now, shown_in=mine)
    return Reply(
        text=f"Check-in #{checkin.number} “{title}” is set: {schedule.describe()} ({when}), to "
        f"{audience.describe()}; summary in {channel_mention(channel.value)}. "
        f"Next, in your time ({mine}): {', '.join(times) or 'never'}. "
        f"`checkin preview {checkin.number}` shows more."
    )


def _describe(checkin: Checkin) -> dict[str, object]:
    return {
        "title": checkin.title,
        "schedule": checkin.rule,
        "zone": checkin.zone,
        "audience": Audience(kind=checkin.audience, value=checkin.audience_value).describe(),
        "paused": checkin.paused,
    }


async def _get(ctx: Context, args: Args) -> Checkin:
    number = args.integer("id")
    checkin = await ctx.session.scalar(
        select(Checkin).where(Checkin.tenant_id == ctx.tenant.id, Checkin.number == number)
    )
    if checkin is None:
        raise NotFound(f"There's no check-in #{number} here. `checkin list` shows them.")
    return checkin


async def _my_zone(session: AsyncSession, tenant_id: int, member_id: int) -> str:
    own = await session.scalar(select(Profile.timezone).where(Profile.member_id == member_id))
    return own or await default_zone(session, tenant_id)


@command("checkin list", summary="List this community's check-ins.", role=Role.MODERATOR)
async def checkin_list(ctx: Context, args: Args) -> Reply:
    rows = list(
        await ctx.session.scalars(
            select(Checkin).where(Checkin.tenant_id == ctx.tenant.id).order_by(Checkin.id)
        )
    )
    if not rows:
        return Reply(text="No check-ins yet. `checkin create` sets one up.")
    lines = []
    for c in rows:
        state = " (paused)" if c.paused else ""
        where = "members' local time" if c.zone == MEMBER_ZONE else c.zone
        lines.append(
            f"#{c.number} {c.title}{state} — {c.rule} ({where}), to "
            f"{Audience(kind=c.audience, value=c.audience_value).describe()}"
        )
    return Reply(title="Check-ins", text="\n".join(lines))


@command(
    "checkin preview",
    summary="The next five times a check-in goes out, in your local time.",
    params=[_ID],
    role=Role.MODERATOR,
    examples=("checkin preview 1",),
)
async def checkin_preview(ctx: Context, args: Args) -> Reply:
    checkin = await _get(ctx, args)
    mine = await _my_zone(ctx.session, ctx.tenant.id, ctx.member.id)
    source = mine if checkin.zone == MEMBER_ZONE else checkin.zone
    schedule = parse_schedule(checkin.rule, now=ctx.now(), zone_key=source)
    found = occurrences(schedule, source, ctx.now(), 5)
    local = [f"{m.astimezone(zone(mine)):%a %Y-%m-%d %H:%M}" for m in found]
    note = " (paused)" if checkin.paused else ""
    return Reply(
        title=f"#{checkin.number} {checkin.title}{note}",
        text=f"Next times, in your time zone ({mine}):\n" + "\n".join(local)
        if local
        else "It will not go out again.",
    )


@command("checkin pause", summary="Stop a check-in for now.", params=[_ID], role=Role.MODERATOR)
async def checkin_pause(ctx: Context, args: Args) -> Reply:
    checkin = await _get(ctx, args)
    checkin.paused = True
    await pause_schedules(ctx.session, ctx.tenant.id, owner(checkin.id))
    await ctx.audit("checkin.pause", target=f"checkin {checkin.number}")
    return Reply(
        text=f"Check-in #{checkin.number} is paused. `checkin resume {checkin.number}` restarts it."
    )


@command("checkin resume", summary="Restart a paused check-in.", params=[_ID], role=Role.MODERATOR)
async def checkin_resume(ctx: Context, args: Args) -> Reply:
    checkin = await _get(ctx, args)
    checkin.paused = False
    await resume_schedules(ctx.session, ctx.tenant.id, owner(checkin.id), ctx.now())
    await sync_zone_schedules(ctx.session, checkin, ctx.now())
    await ctx.audit("checkin.resume", target=f"checkin {checkin.number}")
    return Reply(text=f"Check-in #{checkin.number} is back on ({checkin.rule}).")


@command(
    "checkin delete",
    summary="Delete a check-in with its answers.",
    params=[_ID],
    role=Role.MODERATOR,
)
async def checkin_delete(ctx: Context, args: Args) -> Reply:
    checkin = await _get(ctx, args)
    await ctx.audit("checkin.delete", target=f"checkin {checkin.number}", before=_describe(checkin))
    await cancel_schedules(ctx.session, ctx.tenant.id, owner(checkin.id))
    await ctx.session.delete(checkin)
    return Reply(text=f"Check-in #{checkin.number} “{checkin.title}” is deleted.")


@command(
    "checkin mute",
    summary="Stop getting one check-in.",
    params=[_ID],
    examples=("checkin mute 1",),
)
async def checkin_mute(ctx: Context, args: Args) -> Reply:
    checkin = await _get(ctx, args)
    if await ctx.session.get(CheckinMute, (checkin.id, ctx.member.id)) is None:
        ctx.session.add(
            CheckinMute(checkin_id=checkin.id, member_id=ctx.member.id, tenant_id=ctx.tenant.id)
        )
    return Reply(
        text=f"You won't get “{checkin.title}” any more "
        f"(`checkin unmute {checkin.number}` undoes it).",
        private=True,
    )


@command("checkin unmute", summary="Get a muted check-in again.", params=[_ID])
async def checkin_unmute(ctx: Context, args: Args) -> Reply:
    checkin = await _get(ctx, args)
    await ctx.session.execute(
        delete(CheckinMute).where(
            CheckinMute.checkin_id == checkin.id, CheckinMute.member_id == ctx.member.id
        )
    )
    return Reply(text=f"You'll get “{checkin.title}” again.", private=True)


# --- answering ---------------------------------------------------------------------------------

_ROUND = Param(name="round", max_length=10)


async def _prompt(
    ctx: Context, args: Args, *, create: bool = False
) -> tuple[Checkin, CheckinPrompt]:
    checkin = await _get(ctx, args)
    round_key = args.text("round") or ""
    prompt = await ctx.session.scalar(
        select(CheckinPrompt).where(
            CheckinPrompt.checkin_id == checkin.id,
            CheckinPrompt.member_id == ctx.member.id,
            CheckinPrompt.round_key == round_key,
        )
    )
    if prompt is None and create and checkin.audience == "channel":
        prompt = CheckinPrompt(
            tenant_id=ctx.tenant.id,
            checkin_id=checkin.id,
            member_id=ctx.member.id,
            round_key=round_key[:10],
            sent_at=ctx.now(),
            deadline_at=ctx.now() + timedelta(hours=checkin.deadline_hours),
            skipped=False,
            answers=[],
        )
        ctx.session.add(prompt)
    if prompt is None:
        raise UserFacingError("That check-in wasn't sent to you, so there's nothing to answer.")
    if prompt.deadline_at <= ctx.now() and checkin.audience != "channel":
        raise UserFacingError("That check-in round has closed; the next one will come.")
    return checkin, prompt


def _answer_form(checkin: Checkin, round_key: str) -> Form:
    return Form(
        title=checkin.title[:45],
        fields=tuple(
            FormField(
                name=f"q{i}",
                label=q[:45],
                kind=FieldKind.LONG_TEXT,
                required=i == 1,
                max_length=1000,
            )
            for i, q in enumerate(checkin.questions, 1)
        ),
        submit=Invocation(
            command="checkin submit", args={"id": str(checkin.number), "round": round_key}
        ),
        submit_label="Send",
    )


@command(
    "checkin answer",
    summary="Open the answer form of a check-in.",
    params=[_ID, _ROUND],
    hidden=True,
)
async def checkin_answer(ctx: Context, args: Args) -> Reply:
    checkin, prompt = await _prompt(ctx, args, create=True)
    return Reply(text=checkin.title, form=_answer_form(checkin, prompt.round_key), private=True)


@command(
    "checkin submit",
    summary="Save answers to a check-in.",
    params=[
        _ID,
        _ROUND,
        *(Param(name=f"q{i}", required=False, max_length=1000) for i in range(1, 6)),
    ],
    hidden=True,
)
async def checkin_submit(ctx: Context, args: Args) -> Reply:
    checkin, prompt = await _prompt(ctx, args, create=True)
    answers = [
        await without_live_mentions(ctx.session, ctx.tenant.id, (args.text(f"q{i}") or "").strip())
        for i in range(1, len(checkin.questions) + 1)
    ]
    if not any(answers):
        raise FormError({"q1": "Write an answer (or skip this round)."})
    return _record(ctx, checkin, prompt, answers)


def _record(ctx: Context, checkin: Checkin, prompt: CheckinPrompt, answers: list[str]) -> Reply:
    again = prompt.answered_at is not None
    prompt.answers = answers
    prompt.answered_at = ctx.now()
    prompt.skipped = False
    verb = "updated" if again else "recorded"
    return Reply(text=f"Thanks — your answer to “{checkin.title}” is {verb}.", private=True)


@command("checkin skip", summary="Skip this round.", params=[_ID, _ROUND], hidden=True)
async def checkin_skip(ctx: Context, args: Args) -> Reply:
    checkin, prompt = await _prompt(ctx, args)
    prompt.skipped = True
    return Reply(text=f"Skipped “{checkin.title}” this time.", private=True)


@command("checkin snooze", summary="Ask again in an hour.", params=[_ID, _ROUND], hidden=True)
async def checkin_snooze(ctx: Context, args: Args) -> Reply:
    checkin, prompt = await _prompt(ctx, args)
    prompt.nudged_at = ctx.now()  # the prompt coming back is their one reminder
    later = ctx.now() + timedelta(hours=1)
    await create_schedule(
        ctx.session,
        tenant_id=ctx.tenant.id,
        job="checkins.resend",
        owner=f"{owner(checkin.id)}:snooze:{ctx.member.id}",
        schedule=once_at(later + timedelta(minutes=1) if later.second else later),
        zone_key="UTC",
        payload={
            "checkin": str(checkin.id),
            "round": prompt.round_key,
            "user": ctx.member.user_id,
        },
        now=ctx.now(),
    )
    return Reply(text="I'll ask again in an hour.", private=True)


async def open_prompt(ctx: Context) -> OpenPrompt | None:
    """The newest check-in still waiting for this member's answer, if any."""
    now = ctx.now()
    found = (
        await ctx.session.execute(
            select(CheckinPrompt, Checkin)
            .join(Checkin, Checkin.id == CheckinPrompt.checkin_id)
            .where(
                CheckinPrompt.tenant_id == ctx.tenant.id,
                CheckinPrompt.member_id == ctx.member.id,
                CheckinPrompt.answered_at.is_(None),
                CheckinPrompt.skipped.is_(False),
                CheckinPrompt.deadline_at > now,
            )
            .order_by(CheckinPrompt.sent_at.desc(), CheckinPrompt.id.desc())
            .limit(1)
        )
    ).first()
    if found is None:
        return None
    prompt, checkin = found

    async def answer(text: str) -> Reply:
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        count = len(checkin.questions)
        answers = lines if len(lines) == count else [" ".join(lines)] + [""] * (count - 1)
        return _record(ctx, checkin, prompt, answers)

    about = f"the check-in “{checkin.title}”"
    return OpenPrompt(asked_at=prompt.sent_at, about=about, answer=answer)
