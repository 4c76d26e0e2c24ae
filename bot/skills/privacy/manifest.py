"""The privacy skill's front door: everything it adds to Staffroom.

A member's own data: see it, export it, erase it; retention.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.skills import Skill
from bot.skills.privacy import commands, erasure

SKILL = Skill(
    name="privacy",
    help_position=70,
    commands=(
        commands.privacy_show,
        commands.privacy_export,
        commands.privacy_forget,
        commands.privacy_forget_confirm,
    ),
    exporters=(
        commands.export_membership,
        commands.export_audit_entries,
    ),
    erasers=(
        commands.forget_audit_entries,
        commands.forget_queued_messages,
    ),
    settings=commands.TENANT_SETTINGS,
    housekeeping=(erasure.forget_departed_members,),
    locales=Path(__file__).resolve().parent / "locales",
)
