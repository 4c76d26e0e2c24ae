"""Rendering core replies as Block Kit within Slack's limits."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest

from bot.adapters.slack.blocks import (
    FormOpener,
    mrkdwn,
    render_message,
)
from bot.adapters.slack.inbound import translate_action
from bot.adapters.slack.modals import (
    FormOrigin,
    decode_form,
    encode_form,
    input_errors,
    render_modal,
    submitted_values,
    view_with_errors,
)
from bot.core.events import Invocation
from bot.core.i18n import CORE_DOMAIN, Catalogs
from bot.core.replies import (
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
from tests.adapters.slack.harness import payload, texts

ENGLISH = Catalogs().translator(CORE_DOMAIN, "en")
ORIGIN = FormOrigin(submit=Invocation(command="x save"), channel_id="C1", is_dm=False)


def test_text_is_escaped_but_mentions_pass_through() -> None:
    assert mrkdwn("<@U1> & <#C2> in <b> <!channel>") == (
        "<@U1> &amp; <#C2> in &lt;b&gt; &lt;!channel&gt;"
    )


def test_a_card_renders_title_text_fields_footer_and_buttons() -> None:
    reply = Reply(
        title="Ana — teacher",
        text="<@UANA>",
        fields=(
            CardField(name="Subjects", value="math"),
            CardField(name="Grades", value="6-8"),
            CardField(name="In common", value="both teach math", inline=False),
        ),
        footer="`privacy forget` erases it",
        buttons=(
            Button(label="More", action=Invocation(command="people find", args={"page": "2"})),
            Button(label="Forget", action=Invocation(command="x"), style=ButtonStyle.DANGER),
        ),
    )
    payload_ = render_message(reply)
    kinds = [b["type"] for b in payload_.blocks]
    assert kinds == ["header", "section", "section", "section", "context", "actions"]
    assert payload_.blocks[2]["fields"][0]["text"] == "*Subjects*\nmath"
    more, forget = payload_.blocks[-1]["elements"]
    assert json.loads(more["value"]) == ["people find", {"page": "2"}]
    assert "style" not in more and forget["style"] == "danger"
    assert payload_.text == "Ana — teacher\n<@UANA>"


def test_a_title_with_a_mention_is_bold_text_not_a_header() -> None:
    blocks = render_message(Reply(title="Hello <@U1>")).blocks
    assert blocks == [{"type": "section", "text": {"type": "mrkdwn", "text": "*Hello <@U1>*"}}]


def test_long_text_is_split_and_a_huge_reply_is_shortened() -> None:
    line = "x" * 100
    blocks = render_message(Reply(text="\n".join([line] * 100))).blocks
    assert len(blocks) == 4 and all(len(b["text"]["text"]) <= 3000 for b in blocks)
    huge = render_message(Reply(text="\n".join([line] * 2000), buttons=())).blocks
    assert len(huge) == 50 and "shortened" in huge[-1]["text"]["text"]


def test_a_choice_list_is_a_select_that_translates_back() -> None:
    choices = ChoiceList(
        placeholder="Rate it",
        options=tuple(Choice(label="★" * n, value=str(n)) for n in (5, 4)),
        action=Invocation(command="resource rate", args={"id": "3"}),
        arg="stars",
    )
    (block,) = render_message(Reply(choices=choices)).blocks
    (select,) = block["elements"]
    body = payload("block_actions")
    body["actions"] = [
        {
            "action_id": select["action_id"],
            "block_id": block["block_id"],
            "selected_option": select["options"][1],
            "type": "static_select",
        }
    ]
    inbound = translate_action(body)
    assert inbound is not None
    assert inbound.event.invocation == Invocation(
        command="resource rate", args={"id": "3", "stars": "4"}
    )


def test_a_form_opener_is_the_first_button() -> None:
    opener = FormOpener(label="Introduce yourself", action_id="sr:say", value="intro")
    (actions,) = render_message(Reply(), opener=opener).blocks
    assert actions["elements"][0]["action_id"] == "sr:say"
    assert actions["elements"][0]["style"] == "primary"


FORM = Form(
    title="A very long form title that Slack would refuse",
    fields=(
        FormField(name="name", label="Name", required=True, default="Ana", max_length=50),
        FormField(name="about", label="About", kind=FieldKind.LONG_TEXT),
        FormField(name="years", label="Years", kind=FieldKind.NUMBER, default="12"),
        FormField(
            name="kind",
            label="Kind",
            kind=FieldKind.CHOICE,
            default="video",
            options=(Choice(label="Video", value="video"), Choice(label="Tool", value="tool")),
        ),
        FormField(
            name="langs",
            label="Languages",
            kind=FieldKind.MULTI_CHOICE,
            default="pt, en",
            options=(Choice(label="pt", value="pt"), Choice(label="en", value="en")),
        ),
    ),
    submit=Invocation(command="x save"),
)


def test_a_form_is_a_modal_with_each_kind_of_input() -> None:
    view = render_modal(FORM, origin=ORIGIN, words=ENGLISH, lead="Tell us")
    assert len(view["title"]["text"]) <= 24
    assert FormOrigin.decode(view["private_metadata"]) == ORIGIN
    lead, *inputs = view["blocks"]
    assert texts({"blocks": [lead]}) == "Tell us"
    name, about, years, kind, langs = (b["element"] for b in inputs)
    assert (name["type"], name["initial_value"], name["max_length"]) == (
        "plain_text_input",
        "Ana",
        50,
    )
    assert inputs[0]["optional"] is False and inputs[1]["optional"] is True
    assert about["multiline"] is True
    assert (years["type"], years["initial_value"]) == ("number_input", "12")
    assert kind["initial_option"]["value"] == "video"
    assert [o["value"] for o in langs["initial_options"]] == ["pt", "en"]


def test_a_whole_form_fits_in_a_button_value_and_reads_back() -> None:
    value = encode_form(FORM)
    assert value is not None and len(value) <= 2000
    assert decode_form(value) == FORM
    for broken in ("", "not base64!", "aGVsbG8=", value[:-8]):
        with pytest.raises(ValueError, match="not a Staffroom form"):
            decode_form(broken)
    huge = Form(
        title="Huge",
        fields=tuple(
            FormField(name=f"f{i}", label=hashlib.sha256(bytes([i])).hexdigest())
            for i in range(100)
        ),
        submit=Invocation(command="x"),
    )
    assert encode_form(huge) is None


def test_a_form_too_big_for_a_modal_is_refused() -> None:
    many = Form(
        title="Big",
        fields=tuple(FormField(name=f"f{i}", label="F") for i in range(101)),
        submit=Invocation(command="x"),
    )
    with pytest.raises(ValueError, match="too many fields"):
        render_modal(many, origin=ORIGIN, words=ENGLISH)
    long_origin = FormOrigin(
        submit=Invocation(command="x", args={"a": "y" * 3000}), channel_id="C1", is_dm=False
    )
    with pytest.raises(ValueError, match="too long"):
        render_modal(FORM, origin=long_origin, words=ENGLISH)


def _state(view: dict[str, object], values: dict[str, dict[str, object]]) -> dict[str, object]:
    return {**view, "state": {"values": {k: {"value": v} for k, v in values.items()}}}


def test_submitted_values_read_every_kind_of_input() -> None:
    view = _state(
        render_modal(FORM, origin=ORIGIN, words=ENGLISH),
        {
            "name": {"type": "plain_text_input", "value": "Bea"},
            "about": {"type": "plain_text_input", "value": None},
            "years": {"type": "number_input", "value": "3"},
            "kind": {"type": "static_select", "selected_option": {"value": "tool"}},
            "langs": {
                "type": "multi_static_select",
                "selected_options": [{"value": "en"}, {"value": "pt"}],
            },
        },
    )
    assert submitted_values(view) == {
        "name": "Bea",
        "about": "",
        "years": "3",
        "kind": "tool",
        "langs": "en, pt",
    }


def test_errors_about_fields_not_shown_go_to_the_first_input() -> None:
    view = render_modal(FORM, origin=ORIGIN, words=ENGLISH)
    assert input_errors(view, {"years": "Too many.", "url": "Needed."}) == {
        "years": "Too many.",
        "name": "Needed.",
    }


def test_a_view_with_errors_keeps_the_answers() -> None:
    view = render_modal(FORM, origin=ORIGIN, words=ENGLISH)
    again = view_with_errors(view, {"name": "Bea", "kind": "tool"}, {"kind": "Pick one."})
    blocks = again["blocks"]
    kinds = [b["type"] for b in blocks]
    assert kinds == ["input", "input", "input", "input", "context", "input"]
    assert blocks[0]["element"]["initial_value"] == "Bea"
    assert blocks[3]["element"]["initial_option"]["value"] == "tool"
    assert "initial_value" not in blocks[2]["element"]  # the number was cleared
    assert again["private_metadata"] == view["private_metadata"]


def test_moments_become_slack_dates_with_their_fallback() -> None:
    moment = datetime(2027, 1, 14, 16, 0, tzinfo=UTC)
    full = timestamp(moment, fallback="Thu 14 Jan 16:00 (Europe/London) <&>")
    soon = timestamp(moment, fallback="in 24 hours", style=TimeStyle.RELATIVE)
    assert mrkdwn(f"<@U1> starts {soon} & ends {full}") == (
        "<@U1> starts <!date^1799942400^{date_short_pretty} {time}|in 24 hours> &amp; ends "
        "<!date^1799942400^{date_long_pretty} {time}|Thu 14 Jan 16:00 (Europe/London) &amp;>"
    )
    payload = render_message(Reply(title=f"Webinar {full}", text=full))
    assert payload.blocks[0]["type"] == "header"
    assert payload.blocks[0]["text"]["text"] == "Webinar Thu 14 Jan 16:00 (Europe/London) &"
