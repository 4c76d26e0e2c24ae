"""Interactions: slash commands, buttons, selects and submitted modals.

Discord wants an answer within 3 seconds. The dispatcher gets ``ack_budget`` seconds; if it
needs longer, the interaction is deferred and the replies follow. A reply holding a form opens
it as a modal when that is still possible (the first answer to a command or a button);
otherwise the form comes as a button that opens it. Private replies are ephemeral.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

import discord

from bot.adapters.discord.custom_ids import (
    Action,
    FormPage,
    InlineAction,
    ModalPage,
    StoredAction,
    form_page_id,
    parse_custom_id,
)
from bot.adapters.discord.forms import build_modal, paginate
from bot.adapters.discord.inbound import (
    RoleRules,
    custom_id_of,
    interaction_event,
    modal_answers,
    selected_value,
)
from bot.adapters.discord.persistence import DiscordRecords, Draft
from bot.adapters.discord.port import NETWORK_ERRORS, DiscordPort, message_arguments
from bot.adapters.discord.render import OutgoingMessage, render_reply
from bot.adapters.discord.slash import SlashCommands
from bot.core.dispatcher import Dispatcher
from bot.core.events import Event
from bot.core.replies import Reply

_log = logging.getLogger(__name__)

DEFAULT_ACK_BUDGET = 2.0
"""Seconds the dispatcher gets before an interaction is deferred (Discord allows 3)."""
STALE_BUTTON = "That button no longer works. Type the command again (`/help` lists them)."
STALE_FORM = "That form has expired or was already sent. Start it again with its command."
NOT_YOURS = "That form belongs to someone else. Start your own with its command."
NOT_A_MEMBER = "That button belongs to {server}, and you're no longer a member there."
_EXTRA = tuple[str, str, discord.ButtonStyle]


class InteractionHandler:
    """Answers every interaction Staffroom receives."""

    def __init__(
        self,
        *,
        client: discord.Client,
        dispatcher: Dispatcher,
        records: DiscordRecords,
        port: DiscordPort,
        slash: SlashCommands,
        roles: RoleRules,
        ack_budget: float = DEFAULT_ACK_BUDGET,
    ) -> None:
        self._client = client
        self._dispatcher = dispatcher
        self._records = records
        self._port = port
        self._slash = slash
        self._roles = roles
        self._ack_budget = ack_budget

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        try:
            if interaction.type is discord.InteractionType.application_command:
                await self._command(interaction)
            elif interaction.type is discord.InteractionType.component:
                await self._component(interaction)
            elif interaction.type is discord.InteractionType.modal_submit:
                await self._modal(interaction)
        except NETWORK_ERRORS as exc:
            _log.warning("could not answer interaction %s: %r", interaction.id, exc)

    async def _command(self, interaction: discord.Interaction[Any]) -> None:
        invocation = self._slash.invocation(interaction.data or {})
        guild = interaction.guild
        if invocation is None or guild is None:
            await _tell(interaction, STALE_BUTTON)
            return
        event = interaction_event(interaction, invocation, guild=guild, roles=self._roles)
        await self._answer(interaction, event, can_open_modal=True)

    async def _component(self, interaction: discord.Interaction[Any]) -> None:
        parsed = parse_custom_id(custom_id_of(interaction.data))
        if isinstance(parsed, FormPage):
            await self._open_page(interaction, parsed)
            return
        found: tuple[str, Action] | None = None
        if isinstance(parsed, InlineAction):
            found = (parsed.guild_id, parsed.action)
        elif isinstance(parsed, StoredAction):
            found = await self._records.load_action(parsed.action_id)
        guild = self._client.get_guild(int(found[0])) if found else None
        if (
            found is None
            or guild is None
            or (interaction.guild_id is not None and interaction.guild_id != guild.id)
        ):
            await _tell(interaction, STALE_BUTTON)
            return
        if (
            interaction.guild_id is None
            and guild.chunked
            and not guild.get_member(interaction.user.id)
        ):
            await _tell(interaction, NOT_A_MEMBER.format(server=guild.name))
            return
        invocation = found[1].chosen(selected_value(interaction.data))
        event = interaction_event(interaction, invocation, guild=guild, roles=self._roles)
        await self._answer(interaction, event, can_open_modal=True)

    async def _open_page(self, interaction: discord.Interaction[Any], page: FormPage) -> None:
        draft = await self._draft_of(interaction, page.draft_id)
        if draft is None:
            return
        if not 1 <= page.page <= len(draft.pages):
            await _tell(interaction, STALE_FORM)
            return
        modal = build_modal(
            draft.form,
            draft_id=draft.id,
            page=page.page,
            pages=draft.pages,
            answers=draft.answers,
        )
        await interaction.response.send_modal(modal)

    async def _modal(self, interaction: discord.Interaction[Any]) -> None:
        parsed = parse_custom_id(custom_id_of(interaction.data))
        if not isinstance(parsed, ModalPage):
            await _tell(interaction, STALE_FORM)
            return
        draft = await self._draft_of(interaction, parsed.draft_id)
        if draft is None:
            return
        if not 1 <= parsed.page <= len(draft.pages):
            await _tell(interaction, STALE_FORM)
            return
        on_page = set(draft.pages[parsed.page - 1])
        typed = {k: v for k, v in modal_answers(interaction.data).items() if k in on_page}
        answers = {**draft.answers, **typed}
        total = len(draft.pages)
        if parsed.page < total:
            await self._records.update_draft(draft.id, answers, draft.pages)
            next_page = parsed.page + 1
            view = discord.ui.View(timeout=None)
            view.add_item(
                discord.ui.Button(
                    label=f"Continue ({next_page}/{total})",
                    custom_id=form_page_id(draft.id, next_page),
                    style=discord.ButtonStyle.primary,
                )
            )
            view.stop()  # routed by custom id, not kept in discord.py's view store
            await interaction.response.send_message(
                f"Page {parsed.page} of {total} is saved.", view=view, ephemeral=True
            )
            return
        guild = self._client.get_guild(int(draft.guild_id))
        if guild is None:
            await _tell(interaction, STALE_FORM)
            return
        invocation = draft.form.submit.with_args(answers)
        event = interaction_event(interaction, invocation, guild=guild, roles=self._roles)
        await self._answer(interaction, event, can_open_modal=False, draft=(draft, answers))

    async def _draft_of(self, interaction: discord.Interaction[Any], draft_id: int) -> Draft | None:
        draft = await self._records.load_draft(draft_id)
        if draft is None:
            await _tell(interaction, STALE_FORM)
            return None
        if draft.user_id != str(interaction.user.id):
            await _tell(interaction, NOT_YOURS)
            return None
        return draft

    async def _answer(
        self,
        interaction: discord.Interaction[Any],
        event: Event,
        *,
        can_open_modal: bool,
        draft: tuple[Draft, dict[str, str]] | None = None,
    ) -> None:
        """Dispatch, deferring if that takes longer than the budget, then send the replies."""
        handling = asyncio.ensure_future(self._dispatcher.handle(event))
        done, _ = await asyncio.wait({handling}, timeout=self._ack_budget)
        deferred = False
        if not done:
            deferred = await _defer(interaction)
        replies = await handling
        extras: dict[int, Sequence[_EXTRA]] = {}
        if draft is not None:
            extras = await self._settle_draft(draft[0], draft[1], replies)
        if can_open_modal and not deferred and await self._open_form(interaction, event, replies):
            return
        await self._send(interaction, event, replies, extras, deferred=deferred)

    async def _settle_draft(
        self, draft: Draft, answers: dict[str, str], replies: list[Reply]
    ) -> dict[int, Sequence[_EXTRA]]:
        """A rejected form keeps its draft and offers to fix just the fields in error."""
        names = [f.name for f in draft.form.fields]
        for index, reply in enumerate(replies):
            to_fix = [name for name in names if name in reply.field_errors]
            if to_fix:
                await self._records.update_draft(draft.id, answers, paginate(to_fix))
                fix = ("Fix my answers", form_page_id(draft.id, 1), discord.ButtonStyle.primary)
                return {index: (fix,)}
        await self._records.delete_draft(draft.id)
        return {}

    async def _open_form(
        self, interaction: discord.Interaction[Any], event: Event, replies: list[Reply]
    ) -> bool:
        if len(replies) != 1 or replies[0].form is None or interaction.response.is_done():
            return False
        form = replies[0].form
        draft = await self._records.create_draft(event.tenant, event.actor.user_id, form)
        modal = build_modal(form, draft_id=draft.id, page=1, pages=draft.pages, answers={})
        await interaction.response.send_modal(modal)
        return True

    async def _send(
        self,
        interaction: discord.Interaction[Any],
        event: Event,
        replies: list[Reply],
        extras: dict[int, Sequence[_EXTRA]],
        *,
        deferred: bool,
    ) -> None:
        # After deferring a command or a modal submit, the first answer replaces "thinking…".
        edit_original = deferred and interaction.type is not discord.InteractionType.component
        if not replies:
            if edit_original:
                await interaction.edit_original_response(content="Done.")
            elif interaction.response.is_done():
                pass
            elif interaction.type is discord.InteractionType.component:
                await interaction.response.defer()  # a button that needs no answer
            else:
                await interaction.response.send_message("Done.", ephemeral=True)
            return
        for index, reply in enumerate(replies):
            private = reply.private or event.place.is_dm
            ids = self._port.component_ids(event.tenant, event.actor.user_id if private else None)
            messages = await render_reply(reply, ids, extra_buttons=extras.get(index, ()))
            for message in messages:
                await _send_one(
                    interaction, message, ephemeral=reply.private, edit_original=edit_original
                )
                edit_original = False


async def _send_one(
    interaction: discord.Interaction[Any],
    message: OutgoingMessage,
    *,
    ephemeral: bool,
    edit_original: bool,
) -> None:
    arguments = message_arguments(message)
    if edit_original:
        files = arguments.pop("files", None)
        if files:
            arguments["attachments"] = files
        await interaction.edit_original_response(**arguments)
    elif not interaction.response.is_done():
        await interaction.response.send_message(**arguments, ephemeral=ephemeral)
    else:
        await interaction.followup.send(**arguments, ephemeral=ephemeral)


async def _defer(interaction: discord.Interaction[Any]) -> bool:
    """Acknowledge now, answer later: "thinking…" for commands and forms, nothing visible
    for buttons and selects."""
    try:
        if interaction.type is discord.InteractionType.component:
            await interaction.response.defer()
        else:
            await interaction.response.defer(ephemeral=True, thinking=True)
    except discord.HTTPException as exc:
        _log.warning("could not defer interaction %s: %s", interaction.id, exc)
    return interaction.response.is_done()


async def _tell(interaction: discord.Interaction[Any], text: str) -> None:
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True)
    else:
        await interaction.response.send_message(text, ephemeral=True)
