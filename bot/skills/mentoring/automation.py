"""Mentoring on the scheduler: automatic pairing rounds (``pair auto``) and proposal deadlines.

A round runs as scheduled work, so its proposals go out through the outbox and, with several
processes, exactly one of them runs it. Each round's deadline is a one-off schedule too, so the
people whose proposal expired hear about it then, not at their next command.
"""

from __future__ import annotations

from datetime import datetime

from bot.community.timezones import member_zone
from bot.core.commands import JobRun, Param, ParamKind, command, scheduled
from bot.core.context import Context
from bot.core.errors import UsageError
from bot.core.members import find_member_by_id
from bot.core.parsing import Args
from bot.core.replies import Reply
from bot.core.roles import Role
from bot.scheduling.grammar import GRAMMAR_HELP, parse_schedule, preview
from bot.scheduling.jobs import cancel_schedules, create_schedule, schedules_of
from bot.scheduling.recurrence import DATE_RANGE, BadSchedule, next_occurrence
from bot.skills.mentoring import proposals

ROUND_JOB = "mentoring.round"
AUTO_OWNER = "mentoring:auto-round"
OFF_WORDS = frozenset({"off", "stop", "none", "never"})


@command(
    "pair auto",
    summary="Run pairing rounds on a schedule (in your time zone), or turn them off.",
    params=[
        Param(
            name="when",
            kind=ParamKind.TEXT,
            required=False,
            max_length=80,
            help="a repeating schedule such as every monday 10:00, or off",
        )
    ],
    role=Role.MODERATOR,
    examples=(
        "pair auto every monday 10:00",
        "pair auto first tuesday of the month 16:00",
        "pair auto every other tuesday 16:00",
        "pair auto off",
    ),
    details="Without a schedule, shows the current one. Each round's outcome comes to you by DM.",
)
async def pair_auto(ctx: Context, args: Args) -> Reply:
    text = " ".join((args.text("when") or "").split())
    current = await schedules_of(ctx.session, ctx.tenant.id, AUTO_OWNER)
    zone_key = await member_zone(ctx.session, ctx.tenant.id, ctx.member.id)
    if not text:
        if not current:
            return Reply(
                text="Automatic pairing rounds are off. `pair auto every monday 10:00` "
                "turns them on.",
                private=True,
            )
        return Reply(text=_describe(current[0].rule, current[0].zone, ctx.now()), private=True)
    if text.lower() in OFF_WORDS:
        removed = await cancel_schedules(ctx.session, ctx.tenant.id, AUTO_OWNER)
        await ctx.audit("pair auto", before=current[0].rule if current else None, after="off")
        return Reply(
            text="Automatic pairing rounds are off."
            if removed
            else "Automatic pairing rounds were already off. Nothing was changed."
        )
    try:
        schedule = parse_schedule(text, now=ctx.now(), zone_key=zone_key)
    except BadSchedule as exc:
        raise UsageError(f"{exc} Nothing was changed.", usage="pair auto <schedule>|off") from None
    if not schedule.recurring:
        raise UsageError(
            "Automatic rounds need a repeating schedule, like `every monday 10:00`; for one "
            f"round now, use `pair run`. {GRAMMAR_HELP}"
        )
    if next_occurrence(schedule, zone_key, ctx.now()) is None:
        raise UsageError(
            f"`{text[:60]}` never comes round. {DATE_RANGE} Nothing was changed.",
            usage="pair auto <schedule>|off",
        )
    await cancel_schedules(ctx.session, ctx.tenant.id, AUTO_OWNER)
    created = await create_schedule(
        ctx.session,
        tenant_id=ctx.tenant.id,
        job=ROUND_JOB,
        owner=AUTO_OWNER,
        schedule=schedule,
        zone_key=zone_key,
        payload={"moderator": str(ctx.member.id)},
        now=ctx.now(),
    )
    await ctx.audit("pair auto", before=current[0].rule if current else None, after=created.rule)
    return Reply(text=_describe(created.rule, created.zone, ctx.now()))


def _describe(rule: str, zone_key: str, now: datetime) -> str:
    schedule = parse_schedule(rule, now=now, zone_key=zone_key)
    return (
        f"Pairing rounds run automatically {preview(schedule, zone_key, now)}. "
        "`pair auto off` stops them."
    )


@scheduled(ROUND_JOB)
async def automatic_round(ctx: Context, run: JobRun) -> None:
    """Run a round and tell the moderator who scheduled it what it did."""
    outcome = await proposals.run_round(ctx)
    moderator = await find_member_by_id(ctx.session, ctx.tenant.id, int(run.payload["moderator"]))
    if moderator is None or moderator.blocked:
        return
    lines = [
        f"The automatic pairing round sent {len(outcome.proposal_ids)} proposal(s); "
        f"{outcome.unmatched} mentee(s) wait for the next round."
    ]
    if outcome.skipped:
        lines.append("Not considered (intro incomplete): " + ", ".join(outcome.skipped))
    lines.append("`pair list` shows who has answered.")
    await ctx.send_dm(moderator.user_id, "\n".join(lines))


@scheduled(proposals.EXPIRE_JOB)
async def expire_due(ctx: Context, run: JobRun) -> None:
    """A round's deadline passed: expire what was not accepted in time and tell both sides."""
    await proposals.expire_proposals(ctx)
