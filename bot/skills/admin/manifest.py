"""The admin skill's front door: everything it adds to Staffroom.

Moderation, community settings, stats, exports and the audit log.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.skills import Skill
from bot.skills.admin import commands, reports

SKILL = Skill(
    name="admin",
    help_position=60,
    commands=(
        commands.admin_channel,
        commands.moderator_add,
        commands.moderator_remove,
        commands.admin_config,
        commands.admin_config_reset,
        commands.admin_block,
        commands.admin_unblock,
        commands.admin_remove_profile,
        reports.admin_stats,
        reports.admin_audit,
        reports.admin_export,
    ),
    stats=(reports.membership_stats,),
    locales=Path(__file__).resolve().parent / "locales",
)
