"""The checkins skill's front door: everything it adds to Staffroom.

Recurring check-ins: questions to an audience, answers summarised in a channel.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.i18n import N_
from bot.core.skills import ChannelPurpose, Skill
from bot.skills.checkins import commands, records, rounds

SKILL = Skill(
    name="checkins",
    help_position=40,
    commands=(
        commands.checkin_create,
        commands.checkin_save,
        commands.checkin_list,
        commands.checkin_preview,
        commands.checkin_pause,
        commands.checkin_resume,
        commands.checkin_delete,
        commands.checkin_mute,
        commands.checkin_unmute,
        commands.checkin_answer,
        commands.checkin_submit,
        commands.checkin_skip,
        commands.checkin_snooze,
    ),
    prompts=(commands.open_prompt,),
    jobs=(
        rounds.send_round,
        rounds.nudge_round,
        rounds.resend_prompt,
        rounds.post_summary,
    ),
    exporters=(records.export_checkins,),
    erasers=(records.forget_checkins,),
    stats=(records.checkin_stats,),
    settings=commands.TENANT_SETTINGS,
    channel_purposes=(
        ChannelPurpose(name="summaries", summary=N_("where check-in summaries are posted")),
    ),
    locales=Path(__file__).resolve().parent / "locales",
)
