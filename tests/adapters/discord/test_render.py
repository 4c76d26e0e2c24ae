"""How a Reply looks on Discord, and the custom ids and modals behind its components."""

from __future__ import annotations

from datetime import UTC, datetime

import discord

from bot.adapters.discord.custom_ids import (
    MAX_CUSTOM_ID,
    Action,
    FormPage,
    InlineAction,
    ModalPage,
    StoredAction,
    form_page_id,
    inline_id,
    modal_id,
    parse_custom_id,
    stored_id,
)
from bot.adapters.discord.forms import build_modal, form_from_data, form_to_data, paginate
from bot.adapters.discord.render import CONTENT_LIMIT, render_reply
from bot.core.events import Invocation
from bot.core.replies import (
    Attachment,
    Button,
    ButtonStyle,
    CardField,
    Choice,
    ChoiceList,
    FieldKind,
    Form,
    FormField,
    Reply,
    TimeStyle,
    timestamp,
)

GUILD = "1167032488491937843"


class RecordingIds:
    """Component ids as the port makes them, with long actions "stored" in a list."""

    def __init__(self, *, recipient: bool = True) -> None:
        self.stored: list[Action] = []
        self.forms: list[Form] = []
        self.recipient = recipient

    async def action_id(self, action: Action) -> str:
        inline = inline_id(GUILD, action)
        if inline is not None:
            return inline
        self.stored.append(action)
        return stored_id(len(self.stored))

    async def form_id(self, form: Form) -> str | None:
        if not self.recipient:
            return None
        self.forms.append(form)
        return form_page_id(len(self.forms), 1)


def _components(view: discord.ui.View | None) -> list[dict[str, object]]:
    assert view is not None
    return [c for row in view.to_components() for c in row["components"]]


async def test_plain_text_is_a_message_split_at_line_ends() -> None:
    [short] = await render_reply(Reply(text="Hello <@42>"), RecordingIds())
    assert (short.content, short.embed, short.view, short.files) == ("Hello <@42>", None, None, [])
    lines = [f"line {n:04d} " + "x" * 90 for n in range(60)]
    messages = await render_reply(Reply(text="\n".join(lines)), RecordingIds())
    assert len(messages) == 4  # 19 lines of 100 characters fit in 2,000
    assert all(len(m.content or "") <= CONTENT_LIMIT for m in messages)
    assert "\n".join(m.content or "" for m in messages) == "\n".join(lines)


async def test_a_card_is_an_embed_within_discords_limits() -> None:
    reply = Reply(
        title="T" * 300,
        text="About",
        fields=(
            CardField(name="Subjects", value="math"),
            CardField(name="Long", value="v" * 2000, inline=False),
        ),
        footer="footnote",
    )
    [message] = await render_reply(reply, RecordingIds())
    embed = message.embed
    assert embed is not None
    assert embed.title is not None and len(embed.title) == 256
    assert embed.description == "About"
    assert [(f.name, f.inline) for f in embed.fields] == [("Subjects", True), ("Long", False)]
    assert len(embed.fields[1].value or "") == 1024
    assert embed.footer.text == "footnote"
    many = Reply(title="Stats", fields=tuple(CardField(name=f"f{n}", value="1") for n in range(30)))
    [stats] = await render_reply(many, RecordingIds())
    assert stats.embed is not None and len(stats.embed.fields) == 25


async def test_a_long_card_continues_in_more_embeds() -> None:
    text = "\n".join("y" * 99 for _ in range(80))
    messages = await render_reply(Reply(title="Privacy", text=text, footer="end"), RecordingIds())
    assert len(messages) == 3
    assert messages[0].embed is not None and messages[0].embed.title == "Privacy"
    assert messages[1].embed is not None and messages[1].embed.title is None
    assert messages[-1].embed is not None and messages[-1].embed.footer.text == "end"


async def test_buttons_and_a_choice_list_carry_their_invocations() -> None:
    ids = RecordingIds()
    reply = Reply(
        text="#7 Pizza",
        buttons=(
            Button(label="Save", action=Invocation(command="resource save", args={"id": "7"})),
            Button(
                label="Forget",
                action=Invocation(command="privacy forget confirm", args={"x": "y" * 80}),
                style=ButtonStyle.DANGER,
            ),
        ),
        choices=ChoiceList(
            placeholder="Rate it",
            options=tuple(Choice(label="★" * n, value=str(n)) for n in range(5, 0, -1)),
            action=Invocation(command="resource rate", args={"id": "7"}),
            arg="score",
        ),
    )
    [message] = await render_reply(reply, ids)
    save, forget, rate = _components(message.view)
    assert save["custom_id"] == f'sr:i:{GUILD}:["resource save",{{"id":"7"}}]'
    assert save["style"] == discord.ButtonStyle.secondary.value
    assert forget["custom_id"] == "sr:s:1"
    assert forget["style"] == discord.ButtonStyle.danger.value
    assert ids.stored[0].invocation.command == "privacy forget confirm"
    assert rate["custom_id"] == f'sr:i:{GUILD}:["resource rate",{{"id":"7"}},"score"]'
    assert [o["value"] for o in rate["options"]] == ["5", "4", "3", "2", "1"]
    assert message.view is not None and message.view.is_finished()  # not kept in memory


async def test_a_form_is_a_button_that_opens_it_and_files_are_attached() -> None:
    form = Form(
        title="Share", fields=(FormField(name="url", label="Link"),), submit=Invocation(command="x")
    )
    ids = RecordingIds()
    [message] = await render_reply(Reply(text="Fill it in", form=form), ids)
    [button] = _components(message.view)
    assert (button["label"], button["custom_id"]) == ("Open the form", "sr:f:1:1")
    [public] = await render_reply(
        Reply(text="Fill it in", form=form), RecordingIds(recipient=False)
    )
    assert public.view is None
    with_file = Reply(text="Yours", attachments=(Attachment(filename="me.json", content=b"{}"),))
    [message] = await render_reply(with_file, ids)
    assert [f.filename for f in message.files] == ["me.json"]
    [bare] = await render_reply(with_file, ids, include_files=False)
    assert bare.files == []


def test_custom_ids_read_back() -> None:
    action = Action(
        invocation=Invocation(command="resource rate", args={"id": "7"}), choice_arg="score"
    )
    custom_id = inline_id(GUILD, action)
    assert custom_id is not None and len(custom_id) <= MAX_CUSTOM_ID
    assert parse_custom_id(custom_id) == InlineAction(guild_id=GUILD, action=action)
    assert action.chosen("4") == Invocation(command="resource rate", args={"id": "7", "score": "4"})
    long = Action(invocation=Invocation(command="people find", args={"words": "w" * 100}))
    assert inline_id(GUILD, long) is None
    assert parse_custom_id(stored_id(12)) == StoredAction(action_id=12)
    assert parse_custom_id(form_page_id(3, 2)) == FormPage(draft_id=3, page=2)
    assert parse_custom_id(modal_id(3, 2)) == ModalPage(draft_id=3, page=2)
    for garbage in ("", "sr:", "sr:i:12:[1,2]", 'sr:i:12:["a",{"b":1}]', "sr:s:x", "other"):
        assert parse_custom_id(garbage) is None, garbage


def _form(count: int) -> Form:
    return Form(
        title="A rather long form title that goes on",
        fields=tuple(
            FormField(
                name=f"f{n}",
                label=f"Field number {n} with a label far longer than forty-five characters",
                kind=FieldKind.LONG_TEXT if n == 0 else FieldKind.SHORT_TEXT,
                required=n == 1,
                default="d" * 10,
                max_length=5000,
                options=(Choice(label="One", value="one"),) if n == 2 else (),
            )
            for n in range(count)
        ),
        submit=Invocation(command="save it", args={"a": "b"}),
        submit_label="Go",
    )


def test_forms_go_in_pages_of_five_and_keep_through_the_store() -> None:
    assert paginate(["a", "b", "c", "d", "e", "f", "g"]) == [["a", "b", "c", "d", "e"], ["f", "g"]]
    assert paginate([]) == []
    form = _form(7)
    assert form_from_data(form_to_data(form)) == form


async def test_a_modal_page_keeps_to_discords_limits() -> None:
    form = _form(7)
    pages = paginate([f.name for f in form.fields])
    modal = build_modal(form, draft_id=4, page=1, pages=pages, answers={"f1": "typed"})
    data = modal.to_dict()
    assert data["custom_id"] == "sr:m:4:1"
    assert len(data["title"]) <= 45
    inputs = [row["components"][0] for row in data["components"]]
    assert [i["custom_id"] for i in inputs] == ["f0", "f1", "f2", "f3", "f4"]
    assert all(len(i["label"]) <= 45 for i in inputs)
    assert inputs[0]["style"] == discord.TextStyle.paragraph.value
    assert inputs[1]["value"] == "typed"
    assert inputs[1]["required"] is True
    assert inputs[2]["placeholder"] == "One of: one"
    assert all(i["max_length"] == 4000 for i in inputs)
    last = build_modal(form, draft_id=4, page=2, pages=pages, answers={}).to_dict()
    assert last["title"].endswith("(2/2)")
    assert len(last["components"]) == 2


async def test_moments_become_discord_timestamps_where_discord_renders_them() -> None:
    moment = datetime(2027, 1, 14, 16, 0, tzinfo=UTC)
    full = timestamp(moment, fallback="Thu 14 Jan 16:00 (Europe/London)")
    soon = timestamp(moment, fallback="in 24 hours", style=TimeStyle.RELATIVE)
    [plain] = await render_reply(Reply(text=f"Starts {soon}: {full}"), RecordingIds())
    assert plain.content == "Starts <t:1799942400:R>: <t:1799942400:F>"
    card = Reply(
        title=f"Webinar {full}",
        text=full,
        fields=(CardField(name="When", value=full),),
        footer=full,
    )
    [message] = await render_reply(card, RecordingIds())
    assert message.embed is not None
    embed = message.embed.to_dict()
    assert embed["description"] == "<t:1799942400:F>"
    assert embed["fields"][0]["value"] == "<t:1799942400:F>"
    # Titles and footers show no markup: the fallback text.
    assert embed["title"] == "Webinar Thu 14 Jan 16:00 (Europe/London)"
    assert embed["footer"]["text"] == "Thu 14 Jan 16:00 (Europe/London)"
