"""The resources skill as the registry sees it: every command and listener (declared in
``sharing``, ``finding``, ``collection``, ``curation`` and ``importing``, gathered here in the
order ``help`` lists them), the privacy hooks and the tenant settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.privacy import member_data_eraser, member_data_exporter
from bot.core.tenant_config import TenantSettingSpec
from bot.skills.resources import collection, curation, finding, importing, sharing, stats
from bot.skills.resources import library as lib
from bot.skills.resources.collection import DEFAULT_PAGE_SIZE, PAGE_SIZE_KEY

resource_share = sharing.resource_share
resource_find = finding.resource_find
resource_show = collection.resource_show
resource_rate = collection.resource_rate
resource_save = collection.resource_save
resource_unsave = collection.resource_unsave
resource_saved = collection.resource_saved
resource_recent = collection.resource_recent
resource_top = collection.resource_top
resource_remove = curation.resource_remove
resource_feature = curation.resource_feature
resource_edit = curation.resource_edit
resource_import = importing.resource_import
resource_share_form = sharing.resource_share_form
resource_share_submit = sharing.resource_share_submit
offer_links = sharing.offer_links
resource_stats = stats.resource_stats


def _page_size(raw: str) -> int:
    text = raw.strip()
    if not text.isdigit() or not 1 <= int(text) <= 20:
        raise ValueError("The page size is a whole number from 1 to 20.")
    return int(text)


TENANT_SETTINGS = (
    TenantSettingSpec(
        key=PAGE_SIZE_KEY,
        summary="How many resources `resource find`, `recent`, `top` and `saved` show per page.",
        default=DEFAULT_PAGE_SIZE,
        parse=_page_size,
    ),
)


@member_data_exporter
async def export_library(session: AsyncSession, tenant_id: int, member_id: int) -> dict[str, Any]:
    """The resources a member shared, rated and saved."""
    return await lib.member_contributions(session, tenant_id, member_id)


@member_data_eraser
async def forget_library(session: AsyncSession, tenant_id: int, member_id: int) -> None:
    """Ratings and saves go; shared resources stay, no longer naming the member."""
    await lib.forget_member(session, tenant_id, member_id)
