from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.commands import (
    Command,
    CommandSpec,
    Filter,
    Param,
    ParamKind,
    Registry,
)
from bot.core.errors import UsageError
from bot.core.parsing import (
    MAX_COMMAND_LENGTH,
    ChannelMention,
    MemberMention,
    UnknownCommand,
    bind_mapping,
    clean_text,
    parse_text,
    tokenize,
)


async def _noop(ctx: object, args: object) -> None:
    return None


def registry(*specs: CommandSpec) -> Registry:
    return Registry(Command(spec=s, handler=_noop, skill="test") for s in specs)


SHARE = CommandSpec(
    name="resource share",
    summary="share",
    params=(
        Param(name="url", kind=ParamKind.URL),
        Param(name="title", kind=ParamKind.QUOTED, required=False),
        Param(name="description", kind=ParamKind.TEXT, required=False),
    ),
    filters=(Filter(key="subject"), Filter(key="grade")),
    tags=True,
)
END = CommandSpec(
    name="mentor end",
    summary="end",
    params=(
        Param(name="feedback", kind=ParamKind.INT, required=False, minimum=1, maximum=5),
        Param(name="text", kind=ParamKind.TEXT, required=False),
    ),
)
WHOIS = CommandSpec(
    name="whois", summary="w", params=(Param(name="member", kind=ParamKind.MENTION),)
)
CHANNEL = CommandSpec(
    name="admin channel",
    summary="c",
    params=(
        Param(name="purpose", kind=ParamKind.CHOICE, choices=("introductions", "resources")),
        Param(name="channel", kind=ParamKind.CHANNEL),
    ),
)
REG = registry(SHARE, END, WHOIS, CHANNEL, CommandSpec(name="help", summary="h"))


def test_tokenize_groups_double_quotes_and_keeps_apostrophes() -> None:
    tokens = tokenize('share "a b" subject:"social studies" it\'s fine')
    assert [t.text for t in tokens] == ["share", "a b", "subject:social studies", "it's", "fine"]
    assert [t.quoted for t in tokens] == [False, True, False, False, False]


def test_tokenize_reads_unbalanced_and_smart_quotes() -> None:
    assert [t.text for t in tokenize('find "unterminated words')] == [
        "find",
        '"unterminated',
        "words",
    ]
    assert tokenize("“smart quotes”")[0].text == "smart quotes"


def test_filters_tags_and_quoted_title_are_separated() -> None:
    parsed = parse_text(
        REG,
        'resource share https://x.org/a "Fractions game" subject:math #games #Fun great for 5th',
    )
    args = parsed.args
    assert parsed.command.name == "resource share"
    assert args.text("url") == "https://x.org/a"
    assert args.text("title") == "Fractions game"
    assert args.text("description") == "great for 5th"
    assert args.filters == {"subject": ("math",)}
    assert args.tags == ("games", "fun")


def test_optional_quoted_param_is_skipped_for_unquoted_text() -> None:
    args = parse_text(REG, "resource share https://x.org just a description").args
    assert args.text("title") is None
    assert args.text("description") == "just a description"


def test_undeclared_key_value_stays_a_word() -> None:
    args = parse_text(REG, "resource share https://x.org note:keep this").args
    assert args.text("description") == "note:keep this"
    assert args.filters == {}


def test_optional_int_is_skipped_when_the_word_is_not_a_number() -> None:
    assert parse_text(REG, "mentor end great year").args.integer("feedback") is None
    args = parse_text(REG, "mentor end 5 great year").args
    assert args.integer("feedback") == 5
    assert args.text("text") == "great year"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("whois <@U123>", MemberMention(user_id="U123")),
        ("whois <@!9876>", MemberMention(user_id="9876")),
        ("whois <@U123|ana>", MemberMention(user_id="U123")),
        ("whois @ana", MemberMention(name="ana")),
        ("whois me", MemberMention(is_me=True)),
        ("whois ME", MemberMention(is_me=True)),
    ],
)
def test_mentions(text: str, expected: MemberMention) -> None:
    assert parse_text(REG, text).args.member("member") == expected


def test_channels_and_choices() -> None:
    args = parse_text(REG, "admin channel Introductions <#C42|intros>").args
    assert args.text("purpose") == "introductions"
    assert args.channel("channel") == ChannelMention(channel_id="C42")
    assert parse_text(REG, "admin channel resources #library").args.channel("channel") == (
        ChannelMention(channel_id="library")
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("whois", "I need `member`, a member (like @name)"),
        ("whois ana", "should be a member, like @name"),
        ("whois @ana @bea", "I didn't expect `@bea` there"),
        ("admin channel lunch #x", "`purpose` must be one of: `introductions`, `resources`"),
        ("resource share ftp://x.org", "must be a web link"),
        ("resource share javascript:alert(1)", "must be a web link"),
        ("resource share https://x.org subject:", "`subject:` needs a value"),
    ],
)
def test_bad_arguments_explain_themselves_with_usage(text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_text(REG, text)
    assert message in caught.value.message
    assert caught.value.usage.startswith(text.split()[0])


def test_mentor_end_number_out_of_range_is_read_as_text_when_optional() -> None:
    # An optional number that is out of range falls through to the free text.
    assert parse_text(REG, "mentor end 9").args.text("text") == "9"


def test_unknown_and_empty_commands() -> None:
    with pytest.raises(UnknownCommand) as caught:
        parse_text(REG, "hlep me")
    assert caught.value.words == ["hlep", "me"]
    with pytest.raises(UnknownCommand):
        parse_text(REG, "   ")
    with pytest.raises(UnknownCommand):
        parse_text(REG, '"help"')  # a quoted word is never a command name


def test_overlong_lines_are_refused() -> None:
    with pytest.raises(UsageError, match="too long"):
        parse_text(REG, "help " + "x" * MAX_COMMAND_LENGTH)


def test_clean_text_drops_invisible_and_control_characters() -> None:
    assert clean_text("a\u202eb\u200bc\x07d\ne") == "abcd\ne"
    assert clean_text("Cafe\u0301") == "Café"


def test_structured_arguments_pass_the_same_checks() -> None:
    args = bind_mapping(SHARE, {"url": "https://x.org", "subject": "math", "tags": "#a, b"})
    assert args.text("url") == "https://x.org"
    assert args.filters == {"subject": ("math",)}
    assert args.tags == ("a", "b")
    with pytest.raises(UsageError, match="must be a web link"):
        bind_mapping(SHARE, {"url": "file:///etc/passwd"})
    with pytest.raises(UsageError, match="has no option called `evil`"):
        bind_mapping(SHARE, {"url": "https://x.org", "evil": "1"})
    with pytest.raises(UsageError, match="I need `url`"):
        bind_mapping(SHARE, {})


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_fails_politely(text: str) -> None:
    with contextlib.suppress(UsageError, UnknownCommand):
        parse_text(REG, text)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["resource share ", "mentor end ", "whois ", "admin channel "]),
    st.text(max_size=200),
)
def test_any_arguments_parse_or_fail_politely(prefix: str, rest: str) -> None:
    try:
        parse_text(REG, prefix + rest)
    except UsageError as exc:
        problem = exc.message
    else:
        problem = "none"
    assert problem.strip()
