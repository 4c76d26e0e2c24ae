"""The scheduled side of check-ins: each round's DMs, the one nudge, and the summary.

A check-in in members' own time has one schedule per time zone its audience lives in
(``checkin:<id>:zone:<zone>``), kept in step with the audience each time a round goes out. A
round is named by its local date; a member gets each round once (a unique row per member and
round), and the summary goes out once the last zone's deadline has passed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.commands import JobRun, scheduled
from bot.core.context import Context
from bot.core.events import Invocation
from bot.core.replies import Button, ButtonStyle, Reply, mention
from bot.core.stats import percent
from bot.scheduling.grammar import parse_schedule
from bot.scheduling.jobs import (
    cancel_schedules,
    create_schedule,
    postpone_schedule,
    schedules_of,
)
from bot.scheduling.recurrence import local_date, once_at, to_utc
from bot.skills.checkins.audience import delivery_zones, recipients
from bot.skills.checkins.models import Checkin, CheckinPrompt
from bot.storage.models import Member
from bot.storage.upsert import insert_ignoring_conflicts

SEND_JOB = "checkins.send"
TREND_ROUNDS = 4


def owner(checkin_id: int) -> str:
    return f"checkin:{checkin_id}"


async def sync_zone_schedules(session: AsyncSession, checkin: Checkin, now: datetime) -> None:
    """One send schedule per zone the check-in needs; gone zones lose theirs."""
    wanted = await delivery_zones(session, checkin)
    existing = {
        s.payload.get("zone", ""): s
        for s in await schedules_of(session, checkin.tenant_id, f"{owner(checkin.id)}:zone")
    }
    schedule = parse_schedule(checkin.rule, now=now, zone_key="UTC")
    for zone in wanted - set(existing):
        await create_schedule(
            session,
            tenant_id=checkin.tenant_id,
            job=SEND_JOB,
            owner=f"{owner(checkin.id)}:zone:{zone}",
            schedule=schedule,
            zone_key=zone,
            payload={"checkin": str(checkin.id), "zone": zone},
            now=now,
            paused=checkin.paused,
        )
    for zone in set(existing) - wanted:
        await cancel_schedules(session, checkin.tenant_id, f"{owner(checkin.id)}:zone:{zone}")


def prompt_reply(checkin: Checkin, round_key: str, *, nudge: bool = False) -> Reply:
    args = {"id": str(checkin.number), "round": round_key}
    questions = "\n".join(f"{i}. {q}" for i, q in enumerate(checkin.questions, 1))
    lead = "A gentle nudge — " if nudge else ""
    how = (
        "Reply here with your answer"
        if len(checkin.questions) == 1
        else "Reply here with one line per question"
    )
    return Reply(
        title=checkin.title,
        text=f"{lead}check-in time!\n{questions}\n{how}, or use the buttons.",
        buttons=(
            Button(
                label="Answer",
                action=Invocation(command="checkin answer", args=args),
                style=ButtonStyle.PRIMARY,
            ),
            Button(label="Skip this time", action=Invocation(command="checkin skip", args=args)),
            Button(label="Snooze 1 h", action=Invocation(command="checkin snooze", args=args)),
        ),
    )


async def _load(ctx: Context, run: JobRun, *, lock: bool = False) -> Checkin | None:
    """The check-in of a job; ``lock`` holds its row to the end of the transaction, so that
    two processes running two zones' rounds at once plan one summary and one zone set."""
    query = select(Checkin).where(Checkin.id == int(run.payload["checkin"]))
    checkin = await ctx.session.scalar(query.with_for_update() if lock else query)
    if checkin is None or checkin.tenant_id != ctx.tenant.id or checkin.paused:
        return None
    return checkin


@scheduled(SEND_JOB)
async def send_round(ctx: Context, run: JobRun) -> None:
    """A round is due in one zone: DM everyone there who has not had it, post channel ones."""
    checkin = await _load(ctx, run, lock=True)
    if checkin is None:
        return
    zone = run.payload["zone"]
    day = local_date(run.due_at, zone)
    round_key = day.isoformat()
    deadline = run.due_at + timedelta(hours=checkin.deadline_hours)
    now = ctx.now()
    # The round's summary waits for the zone where this local date comes last.
    at = parse_schedule(checkin.rule, now=now, zone_key=zone).at
    last = max(to_utc(day, at, z) for z in await delivery_zones(ctx.session, checkin) | {zone})
    summary_at = max(deadline, last + timedelta(hours=checkin.deadline_hours))
    if checkin.audience == "channel":
        await ctx.post(checkin.audience_value, prompt_reply(checkin, round_key))
    else:
        for person in await recipients(ctx.session, checkin):
            if person.zone != zone and checkin.zone == "member":
                continue
            created = await insert_ignoring_conflicts(
                ctx.session,
                CheckinPrompt,
                {
                    "tenant_id": checkin.tenant_id,
                    "checkin_id": checkin.id,
                    "member_id": person.member_id,
                    "round_key": round_key,
                    "sent_at": now,
                    "deadline_at": deadline,
                    "skipped": False,
                    "answers": [],
                },
            )
            if created:
                await ctx.send_dm(person.user_id, prompt_reply(checkin, round_key))
        if checkin.reminder_hours and checkin.reminder_hours < checkin.deadline_hours:
            await create_schedule(
                ctx.session,
                tenant_id=checkin.tenant_id,
                job="checkins.nudge",
                owner=f"{owner(checkin.id)}:nudge:{round_key}:{zone}",
                schedule=once_at(run.due_at + timedelta(hours=checkin.reminder_hours)),
                zone_key="UTC",
                payload={"checkin": str(checkin.id), "round": round_key},
                now=now,
            )
    await _plan_summary(ctx.session, checkin, round_key, summary_at, now)
    await sync_zone_schedules(ctx.session, checkin, now)


async def _plan_summary(
    session: AsyncSession, checkin: Checkin, round_key: str, deadline: datetime, now: datetime
) -> None:
    """One summary per round, after the latest deadline of its zones."""
    key = f"{owner(checkin.id)}:summary:{round_key}"
    found = await schedules_of(session, checkin.tenant_id, key)
    if found:
        if found[0].next_due_at is not None and found[0].next_due_at < deadline:
            await postpone_schedule(session, found[0].id, deadline)
        return
    await create_schedule(
        session,
        tenant_id=checkin.tenant_id,
        job="checkins.summary",
        owner=key,
        schedule=once_at(deadline),
        zone_key="UTC",
        payload={"checkin": str(checkin.id), "round": round_key},
        now=now - timedelta(minutes=1),
    )


async def open_prompts(
    session: AsyncSession, checkin: Checkin, round_key: str
) -> list[tuple[CheckinPrompt, str]]:
    rows = await session.execute(
        select(CheckinPrompt, Member.user_id)
        .join(Member, Member.id == CheckinPrompt.member_id)
        .where(
            CheckinPrompt.checkin_id == checkin.id,
            CheckinPrompt.round_key == round_key,
            CheckinPrompt.answered_at.is_(None),
            CheckinPrompt.skipped.is_(False),
        )
    )
    return [(prompt, user_id) for prompt, user_id in rows.all()]


@scheduled("checkins.nudge")
async def nudge_round(ctx: Context, run: JobRun) -> None:
    """One reminder to those who have not answered (nor skipped) after ``reminder_hours``."""
    checkin = await _load(ctx, run)
    if checkin is None:
        return
    now = ctx.now()
    due = now - timedelta(hours=checkin.reminder_hours)
    for prompt, user_id in await open_prompts(ctx.session, checkin, run.payload["round"]):
        if prompt.nudged_at is None and prompt.sent_at <= due and prompt.deadline_at > now:
            marked = await ctx.session.execute(
                update(CheckinPrompt)
                .where(CheckinPrompt.id == prompt.id, CheckinPrompt.nudged_at.is_(None))
                .values(nudged_at=now)
            )
            if marked.rowcount == 1:  # type: ignore[attr-defined]
                await ctx.send_dm(user_id, prompt_reply(checkin, prompt.round_key, nudge=True))


@scheduled("checkins.resend")
async def resend_prompt(ctx: Context, run: JobRun) -> None:
    """A snoozed prompt comes back an hour later, unless it was answered meanwhile."""
    checkin = await _load(ctx, run)
    if checkin is None:
        return
    for prompt, user_id in await open_prompts(ctx.session, checkin, run.payload["round"]):
        if user_id == run.payload["user"] and prompt.deadline_at > ctx.now():
            await ctx.send_dm(user_id, prompt_reply(checkin, prompt.round_key))


async def round_rates(
    session: AsyncSession, checkin_id: int, before: str, limit: int
) -> list[tuple[str, int, int]]:
    """(round, answered, sent) of up to ``limit`` rounds before ``before``, oldest first."""
    rows = await session.execute(
        select(
            CheckinPrompt.round_key,
            func.count(CheckinPrompt.answered_at),
            func.count(),
        )
        .where(CheckinPrompt.checkin_id == checkin_id, CheckinPrompt.round_key < before)
        .group_by(CheckinPrompt.round_key)
        .order_by(CheckinPrompt.round_key.desc())
        .limit(limit)
    )
    return [(r, int(a), int(s)) for r, a, s in reversed(rows.all())]


@scheduled("checkins.summary")
async def post_summary(ctx: Context, run: JobRun) -> None:
    """Who answered, the answers, the response rate and its trend, in the summary channel."""
    checkin = await ctx.session.get(Checkin, int(run.payload["checkin"]))
    if checkin is None or checkin.tenant_id != ctx.tenant.id:
        return
    round_key = run.payload["round"]
    rows = (
        await ctx.session.execute(
            select(CheckinPrompt, Member.user_id)
            .join(Member, Member.id == CheckinPrompt.member_id)
            .where(CheckinPrompt.checkin_id == checkin.id, CheckinPrompt.round_key == round_key)
            .order_by(CheckinPrompt.answered_at, CheckinPrompt.id)
        )
    ).all()
    answered: list[str] = []
    silent: list[str] = []
    sent = 0
    for prompt, user_id in rows:
        sent += 1
        if prompt.answered_at is None:
            silent.append(mention(user_id) + (" (skipped)" if prompt.skipped else ""))
            continue
        lines = [
            f"  {q}: {a}" for q, a in zip(checkin.questions, prompt.answers, strict=False) if a
        ]
        answered.append("\n".join([f"• {mention(user_id)}", *lines]))
    rate = percent(len(answered), sent) if checkin.audience != "channel" else "—"
    earlier = await round_rates(ctx.session, checkin.id, round_key, TREND_ROUNDS)
    trend = " → ".join(percent(a, s) for _, a, s in earlier)
    text = [f"Responses: {len(answered)} of {sent} ({rate})"]
    if trend:
        text.append(f"Trend (earlier rounds): {trend} → {rate}")
    text += answered or ["Nobody answered this round."]
    if silent:
        text.append("No answer: " + ", ".join(silent))
    await ctx.post(
        checkin.summary_channel,
        Reply(title=f"{checkin.title} — {round_key}", text="\n".join(text)),
    )
