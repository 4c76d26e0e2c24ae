from __future__ import annotations

import csv
import importlib
import io
import json
import re
import zipfile
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.console.session import ConsoleSession
from bot.app import App, wire
from bot.core.commands import Registry
from bot.core.skills import Skill, discover_skills
from bot.core.stats import Figure, StatsPeriod, StatsSection
from bot.storage.base import Base
from bot.storage.models import AuditEntry
from bot.storage.tenant_data import exported_tables
from tests.support.console import Chat
from tests.support.samples import typed

FULL = {"name": "Ana Lopez", "role": "teacher", "subjects": "math", "grades": "7", "tz": "UTC"}


async def newcomer(chat: Chat, name: str, *, intro: bool) -> None:
    await chat(f"/join {name}")
    if intro:
        await chat.person(name, **FULL)


async def test_stats_count_joins_and_intros_of_this_community_only(chat: Chat) -> None:
    await newcomer(chat, "ana", intro=True)
    await newcomer(chat, "bea", intro=False)
    await chat("/clock +8d")
    await newcomer(chat, "cai", intro=True)
    await newcomer(chat, "dan", intro=True)
    await chat("/tenant other")
    for name in ("x1", "x2", "x3"):
        await newcomer(chat, name, intro=True)
    await chat("/leave x1", "/tenant demo", "/leave bea", "/as mod moderator")
    out = await chat("admin stats")
    assert "== Community stats, last 30 days (08 Feb – 10 Mar 2026) ==" in out
    assert "New members: 4 (previous 30 days: 0)" in out
    assert "Newcomers who completed their intro: 3 of 4 (75%)" in out
    assert "Intros completed by anyone: 3" in out
    assert "Members who left: 1" in out
    assert "Members now: 4 (0 blocked)" in out  # ana, cai, dan and mod
    assert "Joins per week (weeks from Monday):" in out
    chart = [line.strip() for line in out.splitlines() if "│" in line]
    assert chart == [
        "02 Feb │ 0",
        "09 Feb │ 0",
        "16 Feb │ 0",
        "23 Feb │ 0",
        "02 Mar │████████████████ 2",
        "09 Mar │████████████████ 2",
    ]
    out = await chat("admin stats 7d")
    assert "New members: 2 (previous 7 days: 2)" in out
    assert "Joins per day:" in out
    assert "Mon 09 │ 0" in out
    assert "Tue 10 │████████████████ 2" in out
    out = await chat("/clock +100d", "admin stats 90d")
    assert "New members: 0 (previous 90 days: 4)" in out
    assert "Newcomers who completed their intro: 0 of 0 (—)" in out
    assert "Joins per" not in out


async def test_skills_add_their_own_figures(app: App, chat: Chat, tmp_path: Path) -> None:
    seen: list[tuple[int, str]] = []

    async def shelf_stats(
        session: AsyncSession, tenant_id: int, period: StatsPeriod
    ) -> StatsSection:
        seen.append((tenant_id, period.label))
        return StatsSection(
            title="Shelf",
            figures=(Figure(label="Books shelved", value="12", note="3 without a reader"),),
            chart=("▁▃█",),
        )

    async def silent_stats(session: AsyncSession, tenant_id: int, period: StatsPeriod) -> None:
        return None

    shelf = Skill(name="shelf", stats=(shelf_stats, silent_stats))
    registry = Registry.from_skills([*discover_skills(), shelf])
    assert shelf_stats in registry.stats_providers
    dispatcher, _ = wire(app.store, registry, app.clock, app.settings)
    await dispatcher.start()
    console = ConsoleSession(dispatcher, clock=app.clock, user="mod", exports_dir=tmp_path)
    out = "\n".join(await console.feed("/role moderator") + await console.feed("admin stats 90d"))
    await dispatcher.close()
    assert out.index("Members") < out.index("Shelf")
    assert "  Books shelved: 12 (3 without a reader)" in out
    assert "    ▁▃█" in out
    assert seen == [(1, "90d")]


async def test_audit_lists_newest_first_and_only_this_community(chat: Chat, app: App) -> None:
    await chat("/as bea", "help", "/as root admin")
    await chat("admin moderator add @bea", "/clock +1h", "admin block @bea")
    await chat("admin moderator remove @bea", "/clock +1h", "admin block @bea spam")
    await chat("/tenant other", "/as bea", "help", "/as root", "admin moderator add @bea")
    out = await chat("admin audit")
    assert "Audit log" in out
    assert out.count("admin moderator") == 1
    out = await chat("/tenant demo", "admin audit 2")
    lines = [line for line in out.splitlines() if " · " in line]
    assert lines == [
        "2026-03-02 14:00 · Root · admin block · @bea · active → blocked: spam",
        "2026-03-02 13:00 · Root · admin moderator remove · @bea · moderator → member",
    ]
    assert "Showing the 2 newest of 3, newest first. The log can't be changed" in out
    out = await chat("admin audit")
    assert "2026-03-02 12:00 · Root · admin moderator add · @bea · member → moderator" in out
    assert "admin block @bea" not in out  # refused while bea was a moderator: not an action
    assert "(Showing all 4, newest first." in out
    assert "Usage: `admin audit [count 1-200]`" in await chat("admin audit 500")
    async with app.store.transaction() as session:
        actions = list(await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-1] == "admin audit"  # reading the log is recorded too


async def test_no_command_edits_earlier_audit_entries(chat: Chat, app: App) -> None:
    """Every command, run by an admin, may add entries but never changes an earlier one."""
    await chat("/as bea", "help", "/as root admin", "admin block @bea", "admin config")
    async with app.store.transaction() as session:
        before = [tuple(row) for row in (await session.execute(select(AuditEntry.__table__)))]
    for cmd in app.registry.commands(include_hidden=True):
        await chat(typed(cmd, optional=True))
        if chat.session.form is not None:
            await chat("/cancel")
        await chat("/as root admin")
    async with app.store.transaction() as session:
        after = [tuple(row) for row in (await session.execute(select(AuditEntry.__table__)))]
    assert after[: len(before)] == before


async def test_export_holds_every_table_of_this_community_only(chat: Chat, app: App) -> None:
    importlib.import_module("bot.adapters.discord.models")  # every table, whatever ran before
    await chat.person("ana", **FULL)
    await chat("/tenant other")
    await chat.person("ann", **{**FULL, "name": "Other Ann"})
    await chat("/tenant demo", "/as mod moderator", "admin channel resources #library")
    out = await chat("admin export")
    assert "── DM from Staffroom ──" in out
    assert "I've sent you the export in a direct message." in out
    match = re.search(r"\(file saved: (.+\.zip)\)", out)
    assert match is not None
    archive = zipfile.ZipFile(match.group(1))
    document = json.loads(archive.read("staffroom.json"))
    assert document["community"] == {"platform": "console", "id": "demo", "name": "demo"}
    tables = document["tables"]
    expected = {t.name for t in exported_tables()}
    assert set(tables) == expected
    global_tables = {"processed_events", "discord_command_syncs"}  # no community's rows
    assert {t.name for t in Base.metadata.sorted_tables} - expected == global_tables
    assert {f"{name}.csv" for name in expected} | {"staffroom.json"} == set(archive.namelist())
    async with app.store.transaction() as session:
        for table in Base.metadata.sorted_tables:
            if "tenant_id" in table.c:
                stored = await session.scalar(
                    select(func.count()).select_from(table).where(table.c.tenant_id == 1)
                )
                if table.name in ("audit_entries", "outbox"):
                    stored -= 1  # the export's own entry and DM are written after the copy
                assert len(tables[table.name]) == stored, table.name
    assert [t["external_id"] for t in tables["tenants"]] == ["demo"]
    assert {m["user_id"] for m in tables["members"]} == {"ana", "mod"}
    assert "Other Ann" not in archive.read("staffroom.json").decode()
    profiles = list(csv.DictReader(io.StringIO(archive.read("profiles.csv").decode())))
    assert [p["display_name"] for p in profiles] == ["Ana Lopez"]
    assert tables["tenant_settings"] == [
        {"tenant_id": 1, "key": "channel.resources", "value": "library"}
    ]
    async with app.store.transaction() as session:
        entry = await session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
    assert entry is not None
    assert (entry.action, entry.actor_name) == ("admin export", "Mod")
    assert entry.after == {"tables": len(expected), "rows": sum(map(len, tables.values()))}


async def test_export_csv_cells_never_run_as_formulas(chat: Chat) -> None:
    await chat("intro set region =HYPERLINK(1)", "/as mod moderator")
    match = re.search(r"\(file saved: (.+\.zip)\)", await chat("admin export"))
    assert match is not None
    text = zipfile.ZipFile(match.group(1)).read("profiles.csv").decode()
    assert "'=HYPERLINK(1)" in text
