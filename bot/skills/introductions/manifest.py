"""The introductions skill's front door: everything it adds to Staffroom.

Member introductions and profiles, and who to meet.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.i18n import N_
from bot.core.skills import ChannelPurpose, Skill
from bot.skills.introductions import commands

SKILL = Skill(
    name="introductions",
    help_position=10,
    commands=(
        commands.intro,
        commands.intro_save,
        commands.intro_set,
        commands.whois,
        commands.people_find,
    ),
    listeners=(commands.welcome,),
    exporters=(commands.export_profile,),
    erasers=(commands.forget_profile,),
    settings=commands.TENANT_SETTINGS,
    channel_purposes=(
        ChannelPurpose(name="introductions", summary=N_("where members' introductions are posted")),
    ),
    locales=Path(__file__).resolve().parent / "locales",
)
