"""``me language``: which language Staffroom writes to you in.

Precedence (``bot.core.languages``): your choice here, then your chat platform's language,
then the community's (``admin config language``), then English.
"""

from __future__ import annotations

from dataclasses import replace

from bot.community.languages import (
    UnsupportedLanguage,
    autonym,
    parse_spoken_language,
    spoken_languages,
)
from bot.core.commands import Param, ParamKind, command
from bot.core.context import Context
from bot.core.errors import UsageError
from bot.core.i18n import N_, SOURCE_LANGUAGE
from bot.core.languages import COMMUNITY_LANGUAGE, choose_language, language_of, own_language
from bot.core.parsing import Args
from bot.core.replies import Reply
from bot.core.tenant_config import TenantSettingSpec

_RESET_WORDS = frozenset({"default", "auto", "reset"})


def _parse_community_language(text: str) -> str:
    try:
        return parse_spoken_language(text)
    except UnsupportedLanguage:
        raise ValueError(f"Staffroom speaks {', '.join(_listed())}.") from None


COMMUNITY_LANGUAGE_SETTING = TenantSettingSpec(
    key=COMMUNITY_LANGUAGE,
    summary=N_(
        "The community's language: channel posts, and members who chose none "
        "and whose platform does not say."
    ),
    default=SOURCE_LANGUAGE,
    parse=_parse_community_language,
)


@command(
    "me language",
    summary=N_("Choose the language I write to you in."),
    params=[
        Param(
            name="language",
            kind=ParamKind.TEXT,
            required=False,
            max_length=40,
            help=N_(
                "A name or code: es, español, Spanish, pt-BR; `default` to follow the community."
            ),
        )
    ],
    examples=("me language", "me language español", "me language default"),
    details=N_(
        "Without a language, shows the one I use for you and where it comes from. "
        "Your choice wins over your chat app's language, which wins over the community's."
    ),
)
async def me_language(ctx: Context, args: Args) -> Reply:
    wanted = (args.text("language") or "").strip()
    if not wanted:
        return _current(ctx)
    if wanted.lower() in _RESET_WORDS:
        await choose_language(ctx.session, ctx.member, None)
        ctx.member = replace(ctx.member, language=None)
        ctx.language = await language_of(ctx.session, ctx.member)
        return Reply(
            text=ctx.gettext(
                "Done: I'll follow your chat app's language, or else the community's ({language}).",
                language=autonym(ctx.language),
            ),
            private=True,
        )
    try:
        code = parse_spoken_language(wanted)
    except UnsupportedLanguage:
        raise UsageError(
            ctx.gettext(
                "I can't write in {language} yet. I speak {languages}.",
                language=wanted[:40],
                languages=ctx.translator.and_list(_listed()),
            ),
            usage="me language <language>",
        ) from None
    await choose_language(ctx.session, ctx.member, code)
    ctx.member = replace(ctx.member, language=code)
    ctx.language = code
    return Reply(
        text=ctx.gettext(
            "Done: from now on I'll write to you in {language}.", language=autonym(code)
        ),
        private=True,
    )


def _current(ctx: Context) -> Reply:
    if ctx.member.language:
        source = ctx.gettext("you chose it")
    elif own_language(ctx.member):
        source = ctx.gettext("your chat app uses it")
    else:
        source = ctx.gettext("it is the community's language")
    lines = [
        ctx.gettext(
            "I write to you in {language} ({source}).",
            language=autonym(ctx.language),
            source=source,
        ),
        ctx.gettext("I speak {languages}.", languages=ctx.translator.and_list(_listed())),
        ctx.gettext(
            "Change it with `me language <language>`; `me language default` undoes your choice."
        ),
    ]
    return Reply(text="\n".join(lines), private=True)


def _listed() -> list[str]:
    return [f"{name} ({code})" for code, name in spoken_languages()]
