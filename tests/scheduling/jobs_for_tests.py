"""Scheduled jobs the scheduler tests run (a skill module of their own)."""

from __future__ import annotations

from bot.core.commands import JobRun, scheduled
from bot.core.context import Context
from bot.core.skills import Skill


class JobFailed(Exception):
    pass


@scheduled("test.ping")
async def ping(ctx: Context, run: JobRun) -> None:
    await ctx.send_dm(run.payload["user"], f"ping {run.due_at:%Y-%m-%d %H:%M}")


@scheduled("test.boom")
async def boom(ctx: Context, run: JobRun) -> None:
    await ctx.send_dm(run.payload["user"], "never sent")
    raise JobFailed("the job broke")


SKILL = Skill(name="test", jobs=(ping, boom))
