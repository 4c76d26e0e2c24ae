"""The mentoring skill's front door: everything it adds to Staffroom.

Peer mentoring: offers, requests, proposals and pairs.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.skills import Skill
from bot.skills.mentoring import automation, members, pairing, privacy, settings, stats

SKILL = Skill(
    name="mentoring",
    help_position=30,
    commands=(
        members.mentor_offer,
        members.mentor_request,
        members.mentor_status,
        members.mentor_pause,
        members.mentor_resume,
        members.mentor_end,
        members.mentor_accept,
        members.mentor_decline,
        pairing.pair_preview,
        pairing.pair_run,
        pairing.pair_manual,
        pairing.pair_list,
        automation.pair_auto,
    ),
    jobs=(
        automation.automatic_round,
        automation.expire_due,
    ),
    exporters=(privacy.export_mentoring,),
    erasers=(privacy.forget_mentoring,),
    stats=(stats.mentoring_stats,),
    settings=settings.TENANT_SETTINGS,
    locales=Path(__file__).resolve().parent / "locales",
)
