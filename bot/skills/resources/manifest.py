"""The resources skill's front door: everything it adds to Staffroom.

A shared library of teaching resources: share, find, rate, save and curate links.
"""

from __future__ import annotations

from bot.core.skills import ChannelPurpose, Skill
from bot.skills.resources import (
    cli,
    collection,
    curation,
    finding,
    importing,
    privacy,
    sharing,
    stats,
)

SKILL = Skill(
    name="resources",
    help_position=20,
    commands=(
        sharing.resource_share,
        finding.resource_find,
        collection.resource_show,
        collection.resource_rate,
        collection.resource_save,
        collection.resource_unsave,
        collection.resource_saved,
        collection.resource_recent,
        collection.resource_top,
        curation.resource_remove,
        curation.resource_feature,
        curation.resource_edit,
        importing.resource_import,
        sharing.resource_share_form,
        sharing.resource_share_submit,
    ),
    listeners=(sharing.offer_links,),
    exporters=(privacy.export_library,),
    erasers=(privacy.forget_library,),
    stats=(stats.resource_stats,),
    settings=collection.TENANT_SETTINGS,
    cli=(cli.IMPORT,),
    channel_purposes=(
        ChannelPurpose(name="resources", summary="where shared resources are announced"),
    ),
)
