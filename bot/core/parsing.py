"""Turning a line of text (or a structured invocation) into a command and checked arguments.

Nothing a user types reaches a skill unchecked: quoting, ``key:value`` filters, ``#tags`` and
mentions are recognised here, and every value passes its parameter's converter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bot.core.commands import Command, CommandSpec, Param, ParamKind, Registry
from bot.core.errors import UsageError
from bot.core.text import clean_text, whole_number

MAX_COMMAND_LENGTH = 3000
_USER_MENTION = re.compile(r"^<@!?([A-Za-z0-9_.\-]{1,64})(?:\|[^>]*)?>$")
_CHANNEL_MENTION = re.compile(r"^<#([A-Za-z0-9_.\-]{1,64})(?:\|[^>]*)?>$")
_NAME_MENTION = re.compile(r"^@([\w.\-]{1,64})$")
_HASH_NAME = re.compile(r"^#([\w\-]{1,64})$")
_FILTER = re.compile(r"^([A-Za-z][A-Za-z_\-]{0,31}):(.*)$", re.DOTALL)
_TEXT_KINDS = frozenset({ParamKind.WORD, ParamKind.QUOTED, ParamKind.TEXT})
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "＂": '"'})

@dataclass(frozen=True, kw_only=True, slots=True)
class MemberMention:
    """A member as written by the user: a platform id, a name, or ``me``."""

    user_id: str | None = None
    name: str | None = None
    is_me: bool = False

    def __str__(self) -> str:
        if self.is_me:
            return "me"
        return f"<@{self.user_id}>" if self.user_id else f"@{self.name}"


@dataclass(frozen=True, kw_only=True, slots=True)
class ChannelMention:
    channel_id: str

    def __str__(self) -> str:
        return f"<#{self.channel_id}>"


@dataclass(frozen=True, kw_only=True, slots=True)
class Token:
    text: str
    quoted: bool = False


def tokenize(text: str) -> list[Token]:
    """Split on white space; "double quotes" group words (also as ``key:"a b"``).

    An unbalanced quote is read as an ordinary character, never as an error.
    """
    text = text.translate(_QUOTES)
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        starts_with_quote = text[i] == '"'
        saw_quote = False
        buf: list[str] = []
        while i < n and not text[i].isspace():
            close = text.find('"', i + 1) if text[i] == '"' else -1
            if close != -1:
                buf.append(text[i + 1 : close])
                saw_quote = True
                i = close + 1
            else:
                buf.append(text[i])
                i += 1
        tokens.append(Token(text="".join(buf), quoted=starts_with_quote and saw_quote))
    return tokens


@dataclass(frozen=True, kw_only=True, slots=True)
class Args:
    """A command's checked arguments: parameter values, ``key:value`` filters and ``#tags``."""

    values: Mapping[str, object] = field(default_factory=dict)
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    tags: tuple[str, ...] = ()

    def has(self, name: str) -> bool:
        return name in self.values

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is not None and not isinstance(value, str):
            raise TypeError(f"argument {name!r} is not text")
        return value

    def require_text(self, name: str) -> str:
        value = self.text(name)
        if value is None:
            raise TypeError(f"argument {name!r} is missing")
        return value

    def integer(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is not None and not isinstance(value, int):
            raise TypeError(f"argument {name!r} is not a number")
        return value

    def member(self, name: str) -> MemberMention | None:
        value = self.values.get(name)
        if value is not None and not isinstance(value, MemberMention):
            raise TypeError(f"argument {name!r} is not a member")
        return value

    def channel(self, name: str) -> ChannelMention | None:
        value = self.values.get(name)
        if value is not None and not isinstance(value, ChannelMention):
            raise TypeError(f"argument {name!r} is not a channel")
        return value

    def filter(self, key: str) -> str | None:
        """The last value given for a filter (``subject:math subject:art`` → ``art``)."""
        values = self.filters.get(key)
        return values[-1] if values else None

    def describe(self) -> dict[str, object]:
        """The arguments as plain JSON-ready values (for the audit log)."""
        described: dict[str, object] = {
            name: value if isinstance(value, str | int) else str(value)
            for name, value in self.values.items()
        }
        if self.filters:
            described["filters"] = {k: list(v) for k, v in self.filters.items()}
        if self.tags:
            described["tags"] = list(self.tags)
        return described


@dataclass(frozen=True, kw_only=True, slots=True)
class ParsedCommand:
    command: Command
    args: Args


class UnknownCommand(Exception):
    """The text does not start with a known command; ``words`` are what was typed."""

    def __init__(self, words: list[str]) -> None:
        super().__init__(" ".join(words))
        self.words = words


def parse_text(
    registry: Registry, text: str, *, allowed: Callable[[Command], None] | None = None
) -> ParsedCommand:
    """Parse a command line. Raises ``UnknownCommand`` or ``UsageError``.

    ``allowed`` is called with the command before its arguments are read, so that a refusal
    (of a command above the actor's role) comes before any remark about the arguments.
    """
    text = clean_text(text).strip()
    if len(text) > MAX_COMMAND_LENGTH:
        raise UsageError(
            f"That message is too long for a command ({len(text):,} characters; "
            f"the limit is {MAX_COMMAND_LENGTH:,}). Nothing was changed."
        )
    tokens = tokenize(text)
    if not tokens:
        raise UnknownCommand([])
    leading: list[str] = []
    for token in tokens:
        if token.quoted:
            break
        leading.append(token.text)
    found = registry.match(leading)
    if found is None:
        raise UnknownCommand([t.text for t in tokens])
    cmd, used = found
    if allowed is not None:
        allowed(cmd)
    return ParsedCommand(command=cmd, args=bind_tokens(cmd.spec, tokens[used:]))


def bind_tokens(spec: CommandSpec, tokens: list[Token]) -> Args:
    """Bind tokens to the spec's parameters, filters and tags."""
    filters: dict[str, list[str]] = {}
    tags: list[str] = []
    positional: list[Token] = []
    keys = spec.filter_keys()
    for token in tokens:
        if not token.quoted:
            m = _FILTER.match(token.text)
            if m and m.group(1).lower() in keys:
                value = m.group(2).strip()
                if not value:
                    raise UsageError(
                        f"`{m.group(1)}:` needs a value, like `{m.group(1)}:science`.",
                        usage=spec.usage(),
                    )
                filters.setdefault(m.group(1).lower(), []).append(value)
                continue
            if spec.tags and _HASH_NAME.match(token.text) and not _expects_channel(spec):
                tags.append(token.text[1:].lower())
                continue
        positional.append(token)
    values = _bind_positional(spec, positional)
    return Args(values=values, filters={k: tuple(v) for k, v in filters.items()}, tags=tuple(tags))


def _expects_channel(spec: CommandSpec) -> bool:
    return any(p.kind is ParamKind.CHANNEL for p in spec.params)


def _bind_positional(spec: CommandSpec, tokens: list[Token]) -> dict[str, object]:
    values: dict[str, object] = {}
    pending = list(tokens)
    for param in spec.params:
        if not pending:
            if param.required:
                raise UsageError(f"I need {_describe(param)}.", usage=spec.usage())
            continue
        if param.kind is ParamKind.TEXT:
            values[param.name] = convert(param, " ".join(t.text for t in pending), spec)
            pending = []
            continue
        token = pending[0]
        if param.kind is ParamKind.QUOTED and not token.quoted and not param.required:
            continue
        try:
            values[param.name] = convert(param, token.text, spec, quoted=token.quoted)
        except UsageError:
            if param.required:
                raise
            continue
        pending.pop(0)
    if pending:
        extra = " ".join(t.text for t in pending)
        raise UsageError(
            f"I didn't expect `{_shorten(extra)}` there.",
            usage=spec.usage(),
        )
    return values


def bind_mapping(spec: CommandSpec, mapping: Mapping[str, str]) -> Args:
    """Bind a structured invocation's named arguments (buttons, forms, slash commands)."""
    values: dict[str, object] = {}
    filters: dict[str, tuple[str, ...]] = {}
    tags: tuple[str, ...] = ()
    params = {p.name: p for p in spec.params}
    keys = spec.filter_keys()
    for name, raw in mapping.items():
        raw = clean_text(raw).strip()
        if name in params:
            param = params[name]
            if raw:
                values[name] = convert(param, raw, spec, quoted=True)
            elif param.kind in _TEXT_KINDS:
                values[name] = ""  # submitted empty: a form field that was cleared
        elif name in keys:
            if raw:
                filters[name] = (raw,)
        elif name == "tags" and spec.tags:
            tags = tuple(t.lstrip("#").lower() for t in re.split(r"[\s,]+", raw) if t.lstrip("#"))
        else:
            raise UsageError(f"`{spec.name}` has no option called `{name}`.", usage=spec.usage())
    for param in spec.params:
        if param.required and not values.get(param.name):
            raise UsageError(f"I need {_describe(param)}.", usage=spec.usage())
    return Args(values=values, filters=filters, tags=tags)


def convert(param: Param, raw: str, spec: CommandSpec, *, quoted: bool = False) -> object:
    """Check and convert one raw value for ``param``; raises ``UsageError`` with a clear text."""
    if len(raw) > param.max_length:
        raise UsageError(
            f"{param.name.capitalize()} is too long ({len(raw):,} characters; "
            f"at most {param.max_length:,}).",
            usage=spec.usage(),
        )
    kind = param.kind
    if kind is ParamKind.INT:
        return _convert_int(param, raw, spec)
    if kind is ParamKind.MENTION:
        return _convert_member(param, raw, spec)
    if kind is ParamKind.CHANNEL:
        return _convert_channel(param, raw, spec)
    if kind is ParamKind.CHOICE:
        lowered = raw.lower()
        if lowered not in param.choices:
            raise UsageError(
                f"{param.name.capitalize()} must be one of: {', '.join(param.choices)}.",
                usage=spec.usage(),
            )
        return lowered
    if kind is ParamKind.URL:
        return _convert_url(param, raw, spec)
    if kind is ParamKind.QUOTED and not quoted:
        raise UsageError(f'Put the {param.name} in "double quotes".', usage=spec.usage())
    return raw


LARGEST_NUMBER = 2**31 - 1
"""The largest whole number a command takes when it declares no maximum (the store's ids are
32-bit integers on PostgreSQL; a larger one could only be a mistake)."""


def _convert_int(param: Param, raw: str, spec: CommandSpec) -> int:
    digits = raw.lstrip("#")
    low, high = param.minimum, param.maximum
    ascii_digits = digits.isascii() and digits.isdigit()
    in_store = whole_number(digits, minimum=0, maximum=LARGEST_NUMBER) is not None
    if high is None and ascii_digits and not in_store:
        raise UsageError(
            f"{param.name.capitalize()} `{_shorten(raw)}` is far too large: nothing here has a "
            "number that big.",
            usage=spec.usage(),
        )
    value = whole_number(
        digits,
        minimum=0 if low is None else low,
        maximum=LARGEST_NUMBER if high is None else high,
    )
    if value is None:
        bounds = ""
        if low is not None and high is not None:
            bounds = f" from {low} to {high}"
        elif low is not None:
            bounds = f" of at least {low}"
        raise UsageError(
            f"{param.name.capitalize()} must be a whole number{bounds} "
            f"(you wrote `{_shorten(raw)}`).",
            usage=spec.usage(),
        )
    return value


def _convert_member(param: Param, raw: str, spec: CommandSpec) -> MemberMention:
    if raw.lower() == "me":
        return MemberMention(is_me=True)
    if m := _USER_MENTION.match(raw):
        return MemberMention(user_id=m.group(1))
    if m := _NAME_MENTION.match(raw):
        return MemberMention(name=m.group(1))
    raise UsageError(
        f"{param.name.capitalize()} should be a member, like @name (you wrote `{_shorten(raw)}`).",
        usage=spec.usage(),
    )


def _convert_channel(param: Param, raw: str, spec: CommandSpec) -> ChannelMention:
    if m := _CHANNEL_MENTION.match(raw):
        return ChannelMention(channel_id=m.group(1))
    if m := _HASH_NAME.match(raw):
        return ChannelMention(channel_id=m.group(1))
    raise UsageError(
        f"{param.name.capitalize()} should be a channel, like #general "
        f"(you wrote `{_shorten(raw)}`).",
        usage=spec.usage(),
    )


def _convert_url(param: Param, raw: str, spec: CommandSpec) -> str:
    url = raw.strip("<>")
    url = url.split("|", 1)[0]  # Slack writes links as <url|label>
    try:
        parts = urlsplit(url)
        ok = parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)
    except ValueError:
        ok = False
    if not ok:
        raise UsageError(
            f"{param.name.capitalize()} must be a web link starting with http:// or https:// "
            f"(you wrote `{_shorten(raw)}`).",
            usage=spec.usage(),
        )
    return url


def _describe(param: Param) -> str:
    what = {
        ParamKind.MENTION: "a member (like @name)",
        ParamKind.CHANNEL: "a channel (like #general)",
        ParamKind.URL: "a link (http:// or https://)",
        ParamKind.INT: "a number",
    }.get(param.kind, "")
    label = f"the {param.name}"
    if param.help:
        label += f" ({param.help})"
    return f"{label}, {what}" if what else label


def _shorten(text: str, limit: int = 40) -> str:
    text = text.replace("`", "'")
    return text if len(text) <= limit else text[: limit - 1] + "…"
