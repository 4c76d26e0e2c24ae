"""The kudos skill's front door: everything it adds to Staffroom."""

from __future__ import annotations

from pathlib import Path

from bot.core.skills import ChannelPurpose, Skill
from staffroom_kudos import commands

SKILL = Skill(
    name="kudos",
    commands=(commands.give_kudos, commands.kudos_board, commands.kudos_weekly),
    jobs=(commands.post_weekly,),
    exporters=(commands.export_kudos,),
    erasers=(commands.forget_kudos,),
    channel_purposes=(ChannelPurpose(name="kudos", summary="where the week's kudos are posted"),),
    migrations=Path(__file__).parent / "migrations",
)
