"""The mentoring skill as the registry sees it: members' commands (``members``), moderators'
pairing commands (``pairing``), automatic rounds and deadlines (``automation``), the privacy
hooks, the stats section and the settings."""

from __future__ import annotations

from bot.skills.mentoring import automation, members, pairing, privacy, settings, stats

mentor_offer = members.mentor_offer
mentor_request = members.mentor_request
mentor_status = members.mentor_status
mentor_pause = members.mentor_pause
mentor_resume = members.mentor_resume
mentor_end = members.mentor_end
mentor_accept = members.mentor_accept
mentor_decline = members.mentor_decline
pair_preview = pairing.pair_preview
pair_run = pairing.pair_run
pair_manual = pairing.pair_manual
pair_list = pairing.pair_list
pair_auto = automation.pair_auto
automatic_round = automation.automatic_round
expire_due = automation.expire_due
export_mentoring = privacy.export_mentoring
forget_mentoring = privacy.forget_mentoring
mentoring_stats = stats.mentoring_stats

TENANT_SETTINGS = settings.TENANT_SETTINGS
